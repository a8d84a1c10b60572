//! The library's one error type: a variant per stage, each saying which rule was broken.
//!
//! Messages are in Chinese (they reach the filer) and name the file or layout concerned.
//! Every message is one line of at most [`text::MAX_LINE`] characters, whatever the file
//! holds: the path and the reason are escaped and bounded where they are shown.
//!
//! Where the reason is one of a known set it is typed — [`LayoutProblem`] (with
//! [`GridFault`]), [`RenderProblem`] (with [`FontFault`]), [`OutputProblem`], and `sign`'s own
//! [`SignError`] — so that a caller or a test can tell them apart, and the error it comes
//! from is kept as its source. A message already says its reason: whoever prints the chain
//! of sources stops at the first [`Error`].

use std::path::PathBuf;

use crate::model::FundsRowKind;
use crate::read::source::SourceError;
use crate::sign::{Problem, SignError};
use crate::text::{self, MAX_PATH, MAX_REASON};
use crate::vocabulary::{Column, FundsHeader};

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
    /// A JSON or TOML form file is malformed: bad syntax, a missing or unknown field, a bad
    /// value, past a limit.
    #[error("{}：{}", shown(.path), reason(.source))]
    Data {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the field (`字段 funds.weight：“abc”不是有效的数字`).
        source: Box<SourceError>,
    },
    /// A symbolic link in an input folder leads out of that folder (or nowhere): not followed.
    #[error("{}：符号链接指向输入目录之外（或不存在），已跳过", shown(.path))]
    Link {
        /// The link.
        path: PathBuf,
    },
    /// The input is of a kind jixiao does not read (by its extension).
    #[error("{}：不支持的文件类型（可读取 .xlsx .xls .ods .pdf .json .toml）", shown(.path))]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
    /// An input is not a readable workbook or PDF: not a zip, OLE or PDF file, a truncated
    /// or damaged one, a zip or decompression bomb, a sheet or a PDF too large to be a form, a
    /// scanned PDF, a PDF with a password or without Unicode text, a PDF without a form.
    #[error("{}：{}", shown(.path), reason(&.source.shown_for(.path)))]
    Source {
        /// The file.
        path: PathBuf,
        /// Why, shown as `不是有效的 Excel 文件（zip 结构损坏或文件不完整）` (a damaged workbook is
        /// named as the kind its name promises).
        source: Box<SourceError>,
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
    /// A layout file is invalid or refers to something that does not exist, one of its
    /// templates fails for a form, or a grid built in it breaks the grid's rules (a bug).
    #[error("版式 {}：{}", text::one_line_middle(.name, MAX_PATH), reason(.problem))]
    Layout {
        /// The layout's name or file.
        name: String,
        /// The rule broken.
        #[source]
        problem: LayoutProblem,
    },
    /// The output folder may not be used (it lies inside an input tree and holds other files),
    /// or an output cannot be written there.
    #[error("{}：{}", shown(.path), reason(.problem))]
    Output {
        /// The output folder or file.
        path: PathBuf,
        /// Why.
        #[source]
        problem: OutputProblem,
    },
    /// A writer could not produce its file from a grid: a bug, or a limit of the format.
    #[error("无法生成 {} 文件：{}", .0.format(), reason(.0))]
    Render(#[from] RenderProblem),
    /// The signing certificate (`render --sign`) or the seal image (`--seal`) cannot be used:
    /// checked once, before any form is rendered; or the manifest cannot be signed.
    #[error("{}：{}", shown(&.0.path), reason(&.0.problem))]
    Signing(#[from] SignError),
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

/// What is wrong with a layout: its file, one of its templates, or a grid built in it.
#[derive(Debug, thiserror::Error)]
pub enum LayoutProblem {
    /// The file is not TOML, or a key is missing, unknown or of the wrong type.
    #[error("{}", .0.message())]
    Toml(#[source] Box<toml::de::Error>),
    /// A template does not parse.
    #[error("模板 {key} 有误：{}", .source.reason())]
    TemplateSyntax {
        /// The template (`templates.output`).
        key: String,
        /// What handlebars said.
        source: Box<handlebars::TemplateError>,
    },
    /// A template fails for the data it is given (a variable it does not have).
    #[error("{}", template_failure(.key, .source))]
    Template {
        /// The template (`templates.output`).
        key: String,
        /// What handlebars said.
        source: Box<handlebars::RenderError>,
    },
    /// `table.columns` does not start with the block, 一级 and 二级 columns.
    #[error("table.columns 须以 block、level1、level2 三列开始")]
    FirstColumns,
    /// A role has two columns of the table.
    #[error("table.columns 中 {0:?} 出现了两次")]
    ColumnTwice(Column),
    /// The table has neither one target column nor the three columns of a split target.
    #[error("table.columns 须有 target 一列，或 target_sign、target_value、target_unit 三列")]
    Target,
    /// A column every form needs is missing.
    #[error("table.columns 缺少 {0:?} 列")]
    MissingColumn(Column),
    /// A column's width is not a positive number.
    #[error("table.columns 的宽度须为正数")]
    ColumnWidth,
    /// A column (other than the block column) has no header.
    #[error("table.columns 中 {0:?} 列没有表头")]
    NoHeader(Column),
    /// The columns are wider than the page between its margins.
    #[error("table.columns 的宽度合计 {sum} 毫米，超过版心宽度 {printable} 毫米")]
    TooWide {
        /// The columns' widths added up, in millimetres.
        sum: f32,
        /// The width between the margins, in millimetres.
        printable: f32,
    },
    /// `table.middle` is not a column right of 二级 with a column right of it.
    #[error("table.middle 须为第四列及以后、且右边至少还有一列的列")]
    Middle,
    /// A figure of the funds block has no column, or two.
    #[error("funds.columns 须有且只有一列 {0:?}")]
    FundsColumn(FundsHeader),
    /// The funds block has two 偏差原因 columns.
    #[error("funds.columns 中 Reason 出现了两次")]
    ReasonTwice,
    /// `funds.rows_at` is neither the 一级 nor the 二级 column.
    #[error("funds.rows_at 须为 level1 或 level2")]
    RowsAt,
    /// A funds column does not start right of `rows_at` and of the column before it.
    #[error("funds.columns 的 {role:?} 列须位于 rows_at 之后、前一列之右（at = {at:?}）")]
    FundsColumnOrder {
        /// The funds column.
        role: FundsHeader,
        /// Where it starts.
        at: Column,
    },
    /// A row of the funds block is missing, or given twice.
    #[error("funds.rows 须有且只有一行 {}", .0.key())]
    FundsRow(FundsRowKind),
    /// The funds block has rows beyond its four.
    #[error("funds.rows 应有 4 行")]
    FundsRows,
    /// `tree` names no tree of the vocabulary.
    #[error("指标体系 tree“{name}”不是 layouts/vocabulary.toml 中的指标体系（{known}）")]
    UnknownTree {
        /// The name given.
        name: String,
        /// The vocabulary's trees, joined with `、`.
        known: String,
    },
    /// Only one of `header.lead` and `header.phone` is given, or they are given beside
    /// `header.lead_phone`.
    #[error("header.lead 与 header.phone 须同时给出，且不与 header.lead_phone 同时给出")]
    LeadWithoutPhone,
    /// The sign-off block has no role.
    #[error("signoff.roles 不能为空")]
    NoRoles,
    /// The margins leave too little of the page.
    #[error("页边距过大")]
    Margins,
    /// A label the layout prints is not one the reader knows: jixiao would not read back what
    /// it writes in this layout.
    #[error(
        "{what}“{label}”不是 layouts/vocabulary.toml 中的词语：jixiao 将读不回按此版式写出的表"
    )]
    UnknownLabel {
        /// Where it is (`header 的标签`).
        what: &'static str,
        /// The label, on one line.
        label: String,
    },
    /// A grid built in the layout breaks the grid's rules (a bug).
    #[error("表格结构有误：{0}")]
    Grid(#[source] GridFault),
}

/// A failing template's message: the missing variable when that is what failed.
fn template_failure(key: &str, e: &handlebars::RenderError) -> String {
    match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(var)) => {
            format!("模板 {key} 使用了不存在的变量 {var}")
        }
        reason => format!("模板 {key} 无法生成：{reason}"),
    }
}

/// A rule of the grid that a built grid breaks (`Grid::check`); each is a bug of the builder.
/// Rows and columns are zero-based but for the page rows (`第 3 行`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GridFault {
    /// A row height or a column width is not a positive number.
    #[error("行高或列宽不是正数")]
    NotPositive,
    /// A cell, with its spans, lies outside the grid.
    #[error("单元格 ({row}, {col}) 超出表格范围")]
    CellOutside {
        /// The cell's row.
        row: u32,
        /// The cell's column.
        col: u16,
    },
    /// A cell's style is not in the style table.
    #[error("单元格 ({row}, {col}) 的样式不存在")]
    NoStyle {
        /// The cell's row.
        row: u32,
        /// The cell's column.
        col: u16,
    },
    /// Two cells cover the same place.
    #[error("单元格 ({row}, {col}) 与其他单元格重叠")]
    Overlap {
        /// The later cell's row.
        row: u32,
        /// The later cell's column.
        col: u16,
    },
    /// The cells are not in row, then column order.
    #[error("单元格未按行列排序")]
    Unsorted,
    /// The rows repeated at the top of printed pages lie outside the grid.
    #[error("重复表头行超出表格范围")]
    HeaderRows,
    /// A page shows a row past the grid, or rows out of order.
    #[error("分页中的第 {row} 行超出范围或次序有误")]
    PageRow {
        /// The row, one-based.
        row: usize,
    },
    /// A row is on no page.
    #[error("第 {row} 行不在任何一页上")]
    NotOnPage {
        /// The row, one-based.
        row: usize,
    },
    /// A finding is pinned outside the grid.
    #[error("审核意见指向表格之外")]
    NoteOutside,
    /// The seal's spot lies outside the grid, or has no size.
    #[error("印章位置超出表格范围")]
    SealOutside,
}

/// Why a writer could not produce its file; [`RenderProblem::format`] says which file.
#[derive(Debug, thiserror::Error)]
pub enum RenderProblem {
    /// The workbook cannot be assembled (a limit of the format such as a text longer than
    /// 32 767 characters, or a bug).
    #[error("{0}")]
    Xlsx(#[source] rust_xlsxwriter::XlsxError),
    /// A bundled font cannot be parsed (a bug).
    #[error("内置字体无法解析：{0}")]
    Font(#[source] FontFault),
    /// The subset of a bundled font cannot be made (a bug).
    #[error("内置字体无法取子集：{0}")]
    FontSubset(#[source] FontFault),
    /// The grid's creation time is not an RFC 3339 timestamp with its offset.
    #[error("创建时间“{0}”不是带时区的 RFC 3339 时间")]
    CreatedTime(String),
    /// The grid has no pages: it is a list, not a laid-out form.
    #[error("表格没有分页，不是排好版的表")]
    NotPaginated,
    /// A signer is given but the layout has no seal spot to show the signature in.
    #[error("版式没有盖章位置，无法签名")]
    NoSealSpot,
    /// A signer is given but the seal spot has no signing time.
    #[error("缺少签名时间")]
    NoSigningTime,
    /// The signing time is not an RFC 3339 timestamp with its offset.
    #[error("签名时间“{0}”不是带时区的 RFC 3339 时间")]
    SigningTime(String),
    /// A signer is given but the seal spot is on no page.
    #[error("盖章位置不在任何一页上，无法签名")]
    SealOffPage,
    /// A part of the document the writer made is missing (a bug).
    #[error("{part}缺失：{source}")]
    Missing {
        /// `页面`, `页面资源`, `页面字体资源`, `文档目录`.
        part: &'static str,
        /// What lopdf said.
        source: lopdf::Error,
    },
    /// The document cannot be written out.
    #[error("无法写出：{0}")]
    Save(#[source] std::io::Error),
    /// The document has no cross-reference table to append the signature to (a bug).
    #[error("找不到交叉引用表")]
    NoXref,
    /// The document's trailer lacks an entry the signature's update repeats (a bug).
    #[error("文档尾缺少 {key}{}", .source.as_ref().map(|e| format!("：{e}")).unwrap_or_default())]
    Trailer {
        /// `Size`, `Root`, `Info` or `ID`.
        key: &'static str,
        /// What lopdf said, when it said something.
        source: Option<lopdf::Error>,
    },
    /// The document is too large for its signature's byte range or cross-reference offsets.
    #[error("文件过大，签名范围写不下")]
    TooLarge,
    /// The signature could not be made.
    #[error("{0}")]
    Sign(#[source] Problem),
    /// The signature is longer than the room the document reserved for it (a bug).
    #[error("签名长 {len} 字节，超出预留的 {reserved} 字节")]
    SignatureTooLong {
        /// The signature's length.
        len: usize,
        /// The room reserved.
        reserved: usize,
    },
    /// The archive of a batch's files cannot be written.
    #[error("{0}")]
    Zip(#[source] zip::result::ZipError),
}

impl RenderProblem {
    /// [`RenderProblem::Missing`] of `part`, for `map_err`.
    pub fn missing(part: &'static str) -> impl Fn(lopdf::Error) -> RenderProblem {
        move |source| RenderProblem::Missing { part, source }
    }

    /// The kind of file that could not be made: `xlsx`, `pdf` or `zip`.
    pub fn format(&self) -> &'static str {
        match self {
            RenderProblem::Xlsx(_) => "xlsx",
            RenderProblem::Zip(_) => "zip",
            _ => "pdf",
        }
    }
}

/// What is wrong with a bundled font (a bug: the fonts are part of the binary). In English,
/// for the developer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FontFault {
    /// The font file does not parse.
    #[error("{0}")]
    Face(ttf_parser::FaceParsingError),
    /// The font has no `CFF ` table.
    #[error("no CFF table")]
    NoCffTable,
    /// The font has no PostScript name.
    #[error("no PostScript name")]
    NoPostScriptName,
    /// Its CFF program breaks a rule of the format.
    #[error("CFF: {0}")]
    Cff(&'static str),
    /// Its CFF program lacks an entry.
    #[error("CFF: no {0}")]
    CffMissing(&'static str),
    /// An offset of its CFF program points nowhere.
    #[error("CFF: bad {0} offset")]
    CffOffset(&'static str),
}

/// Why the output folder or an output file may not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputProblem {
    /// The output folder named is a file.
    #[error("已存在同名文件，输出位置须为目录")]
    IsFile,
    /// The output folder lies inside an input folder and holds files jixiao did not write.
    #[error("输出目录位于输入目录 {} 之内且不为空：请换一个输出目录，或先清空它", .input.display())]
    InsideInput {
        /// The input folder.
        input: PathBuf,
    },
    /// An output would replace the input it is made from.
    #[error("输出会覆盖输入文件本身：请换一个输出目录")]
    OverwritesInput,
    /// The manifest cannot be serialised.
    #[error("{0}")]
    Manifest(#[source] serde_json::Error),
    /// No worker thread can be started.
    #[error("无法启动工作线程：{0}")]
    NoWorkers(#[source] rayon::ThreadPoolBuildError),
}

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
                source: Box::new(SourceError::Json {
                    what: long.clone(),
                    source: serde_json::from_str::<u8>("x").unwrap_err(),
                }),
            },
            Error::Link { path: path.clone() },
            Error::Unsupported { path: path.clone() },
            Error::Source {
                path: path.clone(),
                source: Box::new(SourceError::SheetTooLarge {
                    sheet: long.clone(),
                    what: crate::read::sheet::SheetError::TooManyCells,
                }),
            },
            Error::Source {
                path: path.clone(),
                source: Box::new(SourceError::Pdf(
                    crate::read::source::pdf::PdfError::NoForm {
                        pages: 1,
                        tables: 0,
                    },
                )),
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
                problem: LayoutProblem::UnknownLabel {
                    what: "标题",
                    label: long.clone(),
                },
            },
            Error::Output {
                path: path.clone(),
                problem: OutputProblem::InsideInput {
                    input: PathBuf::from(&long),
                },
            },
            Error::Render(RenderProblem::CreatedTime(long.clone())),
            Error::Serve {
                source: std::io::Error::other(long.clone()),
            },
            Error::Internal {
                path: path.clone(),
                message: long.clone(),
            },
            // The certificate's subject is whatever its maker wrote.
            Error::Signing(SignError {
                path: path.clone(),
                problem: Problem::NotForSigning {
                    subject: long.clone(),
                },
            }),
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
