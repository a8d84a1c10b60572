//! The library's one error type: a variant per stage, each saying which rule was broken.
//!
//! Messages are in Chinese (they reach the filer) and name the file or layout concerned.
//! Every message is one line of at most [`text::MAX_LINE`] characters, whatever the file
//! holds: the path and the reason are escaped and bounded where they are shown.

use std::path::PathBuf;

use crate::text::{self, MAX_PATH, MAX_REASON};

/// Everything that can stop one input or one output; findings are not errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be opened or read from disk.
    #[error("{}：无法读取：{}", shown(.path), reason(.source))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A JSON or TOML form file is malformed: bad syntax, a missing or unknown field, a bad value.
    #[error("{}：{}", shown(.path), reason(.message))]
    Data {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the field (`字段 funds.weight：“abc”不是有效的数字`).
        message: String,
    },
    /// A symbolic link in an input folder leads out of that folder (or nowhere): not followed.
    #[error("{}：符号链接指向输入目录之外（或不存在），已跳过", shown(.path))]
    Link {
        /// The link.
        path: PathBuf,
    },
    /// The input is of a kind jixiao does not read (by its extension).
    #[error("{}：不支持的文件类型（可读取 .xlsx .xls .ods .json .toml）", shown(.path))]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
    /// An input with a workbook extension (or bytes) is not a readable workbook: not a zip or
    /// OLE file, a truncated or damaged one, a zip bomb, or a sheet too large to be a form.
    #[error("{}：{}", shown(.path), reason(.message))]
    Workbook {
        /// The file.
        path: PathBuf,
        /// Why, e.g. `不是有效的 Excel 文件（zip 结构损坏或文件不完整）`.
        message: String,
    },
    /// A workbook is protected by a password (an encrypted `.xlsx` or `.xls`).
    #[error("{}：文件已加密，请先在 Excel/WPS 中取消密码后再读取", shown(.path))]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// A workbook has no sheet that holds a 项目支出绩效自评表.
    #[error("{}：未找到自评表（工作表：{}）", shown(.path), reason(.sheets))]
    NoForm {
        /// The file.
        path: PathBuf,
        /// The names of its sheets, joined with `、`.
        sheets: String,
    },
    /// A sheet looks like a form but a whole block (funds or indicators) is missing.
    #[error("{}：{}", shown(.path), reason(.message))]
    FormIncomplete {
        /// The file.
        path: PathBuf,
        /// The sheet and the missing block, e.g. `工作表“自评表”缺少“绩效指标”表头…`.
        message: String,
    },
    /// A `.zip` of a folder of forms (dropped on the page of `jixiao serve`) or one of its
    /// entries cannot be read: not a zip, too many entries, an entry whose name climbs out of
    /// the archive, an encrypted entry, an archive inside the archive, an entry past the limits
    /// of decompression (a zip bomb).
    #[error("{}：{}", shown(.path), reason(.message))]
    Archive {
        /// The archive, or the archive joined with the entry's name.
        path: PathBuf,
        /// Why, e.g. `条目路径指向压缩包之外（含 ../ 或绝对路径），已拒绝`.
        message: String,
    },
    /// A layout file is invalid or refers to something that does not exist.
    #[error("版式 {}：{}", text::one_line_middle(.name, MAX_PATH), reason(.message))]
    Layout {
        /// The layout's name or file.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The output folder may not be used (it lies inside an input tree and holds other files),
    /// or an output cannot be written there.
    #[error("{}：{}", shown(.path), reason(.message))]
    Output {
        /// The output folder or file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A writer could not produce its file from a grid.
    #[error("无法生成 {format} 文件：{}", reason(.message))]
    Render {
        /// `xlsx` or `pdf`.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The signing certificate (`render --sign`) or the seal image (`--seal`) cannot be used:
    /// checked once, before any form is rendered.
    #[error("{}：{}", shown(.path), reason(.problem))]
    Signing {
        /// The `.p12` or `.png` file.
        path: PathBuf,
        /// What is wrong with it.
        problem: crate::sign::Problem,
    },
    /// The page of `jixiao serve` could not be served: its runtime did not start, or its
    /// listening socket failed.
    #[error("本机网页服务出错：{}", reason(.source))]
    Serve {
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A bug: processing one input panicked. The batch records it and goes on.
    #[error("{}：内部错误（请将此文件与以下信息报告给开发者）：{}", shown(.path), reason(.message))]
    Internal {
        /// The input being processed.
        path: PathBuf,
        /// The panic message.
        message: String,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A path as messages show it: control characters (a file name may hold ESC sequences that
/// would drive the terminal) written as `\u{1b}` escapes, and a long path cut in the middle
/// (at most [`MAX_PATH`] characters).
pub fn shown(path: &std::path::Path) -> String {
    text::one_line_middle(&path.display().to_string(), MAX_PATH)
}

/// A reason as messages show it: one line of at most [`MAX_REASON`] characters.
fn reason(reason: &impl std::fmt::Display) -> String {
    text::one_line(&reason.to_string(), MAX_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_one_bounded_line() {
        let path = PathBuf::from(format!("{}/\u{1b}[31m坏\n文件.xlsx", "目录".repeat(500)));
        let long = format!("{}\n第二行\u{1b}[0m", "工作表名".repeat(20_000));
        let errors = [
            Error::Io {
                path: path.clone(),
                source: std::io::Error::other(long.clone()),
            },
            Error::Data {
                path: path.clone(),
                message: long.clone(),
            },
            Error::Link { path: path.clone() },
            Error::Unsupported { path: path.clone() },
            Error::Workbook {
                path: path.clone(),
                message: long.clone(),
            },
            Error::Encrypted { path: path.clone() },
            Error::NoForm {
                path: path.clone(),
                sheets: long.clone(),
            },
            Error::FormIncomplete {
                path: path.clone(),
                message: long.clone(),
            },
            Error::Archive {
                path: path.clone(),
                message: long.clone(),
            },
            Error::Layout {
                name: long.clone(),
                message: long.clone(),
            },
            Error::Output {
                path: path.clone(),
                message: long.clone(),
            },
            Error::Render {
                format: "xlsx",
                message: long.clone(),
            },
            Error::Serve {
                source: std::io::Error::other(long.clone()),
            },
            Error::Internal {
                path: path.clone(),
                message: long.clone(),
            },
            // The certificate's subject is whatever its maker wrote.
            Error::Signing {
                path: path.clone(),
                problem: crate::sign::Problem::NotForSigning {
                    subject: long.clone(),
                },
            },
        ];
        for err in errors {
            let shown = err.to_string();
            // "jixiao: " and the message fit in one line of MAX_LINE characters.
            assert!(
                shown.chars().count() + 8 <= text::MAX_LINE,
                "{} characters: {shown}",
                shown.chars().count()
            );
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
            assert!(
                shown.contains("文件.xlsx") || !shown.contains("目录"),
                "{shown}"
            );
        }
    }
}
