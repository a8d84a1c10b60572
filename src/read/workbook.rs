//! Workbooks: what kind of file it really is (by its bytes, not its name), the guards that keep
//! a hostile file cheap (size, zip bombs, cell counts), and every form found in its sheets.

use std::io::{Cursor, Read};
use std::path::Path;

use super::cfb::{self, Cfb};
use super::extract::{self, Found};
use super::limits::{self, MAX_CELLS, MAX_MERGES, MAX_PART, MAX_UNZIPPED};
use super::sheet::{Sheet, SheetError};
use super::{ods, xls, xlsx};
use crate::error::{Error, Result};
use crate::model::SourcedForm;

/// Why a workbook could not be read, before the file's name is attached.
#[derive(Debug)]
pub enum Failure {
    /// Not a workbook, or a damaged one: the reason.
    Invalid(String),
    /// Protected by a password.
    Encrypted,
    /// A sheet is too large to be a form.
    TooLarge {
        /// The sheet.
        sheet: String,
        /// What is too large.
        what: SheetError,
    },
}

impl Failure {
    /// A sheet that could not be loaded.
    pub fn sheet(name: &str, what: SheetError) -> Failure {
        Failure::TooLarge {
            sheet: name.to_string(),
            what,
        }
    }

    fn into_error(self, path: &Path, kind: &str) -> Error {
        let path = path.to_path_buf();
        match self {
            Failure::Invalid(reason) => Error::Workbook {
                path,
                message: format!("不是有效的{kind}文件（{reason}）"),
            },
            Failure::Encrypted => Error::Encrypted { path },
            Failure::TooLarge { sheet, what } => Error::Workbook {
                path,
                message: match what {
                    SheetError::TooManyCells => format!(
                        "工作表“{sheet}”过大（超过 {} 万个非空单元格），不是自评表",
                        MAX_CELLS / 10_000
                    ),
                    SheetError::TooManyMerges => format!(
                        "工作表“{sheet}”的合并单元格过多（超过 {} 万处），不是自评表",
                        MAX_MERGES / 10_000
                    ),
                },
            },
        }
    }
}

/// What the bytes of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Zip,
    Ole,
    Other,
}

/// The names of a calamine workbook's worksheets (not chart sheets), in order.
pub(super) fn worksheet_names<RS, R>(book: &R) -> Vec<String>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
{
    book.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

fn sniff(bytes: &[u8]) -> Container {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Container::Zip
    } else if bytes.starts_with(&cfb::MAGIC) {
        Container::Ole
    } else {
        Container::Other
    }
}

/// The kind of file the extension promises, for messages.
fn kind_of(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xls") => " Excel 97-2003 ",
        Some("ods") => " ODS ",
        _ => " Excel ",
    }
}

/// Reads every worksheet of a workbook held in `bytes`, whatever its extension says.
///
/// # Errors
/// [`Failure`] when the bytes are not a readable workbook.
pub fn sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    match sniff(bytes) {
        Container::Zip => zip_sheets(bytes),
        Container::Ole => {
            let cfb = Cfb::parse(bytes).map_err(|r| Failure::Invalid(r.to_string()))?;
            if cfb.has("EncryptionInfo") || cfb.has("EncryptedPackage") {
                return Err(Failure::Encrypted);
            }
            if !cfb.has("Workbook") && !cfb.has("Book") {
                return Err(Failure::Invalid(
                    "OLE 复合文档中没有工作簿，可能是 Word 等其他文件".into(),
                ));
            }
            xls::read(&cfb, bytes)
        }
        Container::Other => {
            let start = bytes
                .iter()
                .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
                .map_or(&[][..], |i| &bytes[i..]);
            Err(Failure::Invalid(if bytes.is_empty() {
                "文件为空".into()
            } else if start.starts_with(b"<") {
                "是网页或 XML 格式的表格，请在 Excel/WPS 中另存为 .xlsx".into()
            } else {
                "内容既不是 zip 压缩包也不是 OLE 复合文档".into()
            }))
        }
    }
}

fn zip_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    let broken = || Failure::Invalid("zip 结构损坏或文件不完整".into());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| broken())?;
    let has = |a: &zip::ZipArchive<Cursor<&[u8]>>, name: &str| a.index_for_name(name).is_some();
    if has(&archive, "content.xml") && !has(&archive, "xl/workbook.xml") {
        let content = read_part(&mut archive, "content.xml")?;
        let text = std::str::from_utf8(&content)
            .map_err(|_| Failure::Invalid("content.xml 不是 UTF-8 文本".into()))?;
        return ods::read(text);
    }
    if has(&archive, "xl/workbook.bin") {
        return Err(Failure::Invalid(
            "是 .xlsb 二进制工作簿，请在 Excel/WPS 中另存为 .xlsx".into(),
        ));
    }
    if !archive
        .file_names()
        .flatten()
        .any(|n| n.eq_ignore_ascii_case("xl/workbook.xml"))
    {
        return Err(Failure::Invalid("zip 压缩包中没有工作簿".into()));
    }
    check_parts(&mut archive)?;
    // A panic inside calamine on a damaged part is a damaged file, not the end of the batch.
    std::panic::catch_unwind(|| xlsx::read(bytes))
        .unwrap_or_else(|_| Err(Failure::Invalid("工作簿内容损坏".into())))
}

/// Decompresses every XML part once, with limits, before calamine reads them: a zip bomb or
/// damaged compressed data gives a message instead of exhausting memory or failing later.
fn check_parts(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), Failure> {
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut part = archive
            .by_index(i)
            .map_err(|_| Failure::Invalid("zip 结构损坏或文件不完整".into()))?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        if part.encrypted() {
            return Err(Failure::Encrypted);
        }
        if part.size() > MAX_PART {
            return Err(too_big(&name));
        }
        let n = std::io::copy(&mut (&mut part).take(MAX_PART + 1), &mut std::io::sink())
            .map_err(|_| Failure::Invalid(format!("zip 数据损坏（{name}）")))?;
        if n > MAX_PART {
            return Err(too_big(&name));
        }
        total += n;
        if total > MAX_UNZIPPED {
            return Err(Failure::Invalid(format!(
                "解压后超过 {} MB",
                MAX_UNZIPPED / 1024 / 1024
            )));
        }
    }
    Ok(())
}

fn too_big(name: &str) -> Failure {
    Failure::Invalid(format!("{name} 解压后超过 {} MB", MAX_PART / 1024 / 1024))
}

/// One part of a zip, decompressed with the size limit.
fn read_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, Failure> {
    let broken = || Failure::Invalid(format!("zip 数据损坏（{name}）"));
    let part = archive.by_name(name).map_err(|_| broken())?;
    if part.encrypted() {
        return Err(Failure::Encrypted);
    }
    if part.size() > MAX_PART {
        return Err(too_big(name));
    }
    // The declared size may lie: grow as the data comes, up to the limit.
    let mut out = Vec::with_capacity(part.size().min(1 << 20) as usize);
    part.take(MAX_PART + 1)
        .read_to_end(&mut out)
        .map_err(|_| broken())?;
    if out.len() as u64 > MAX_PART {
        return Err(too_big(name));
    }
    Ok(out)
}

/// Every form in the workbook `bytes` read from `path`: one per sheet that holds a form;
/// `source` is the path, with `#Sheet` when there are several.
///
/// # Errors
/// [`Error::Workbook`] for a file that is not a readable workbook or has an oversized sheet,
/// [`Error::Encrypted`] for a password-protected one, [`Error::NoForm`] when no sheet holds a
/// form, [`Error::FormIncomplete`] when a sheet looks like a form but lacks a whole block.
pub fn forms(path: &Path, bytes: &[u8]) -> Result<Vec<SourcedForm>> {
    let sheets = sheets(bytes).map_err(|f| f.into_error(path, kind_of(path)))?;
    let mut found = Vec::new();
    for sheet in &sheets {
        match extract::form(sheet) {
            Found::Form(read) => {
                limits::check_form(&read.form, Some(&read.cells)).map_err(|message| {
                    Error::Workbook {
                        path: path.to_path_buf(),
                        message: format!("工作表“{}”：{message}", sheet.name),
                    }
                })?;
                found.push(*read)
            }
            Found::Incomplete(message) => {
                return Err(Error::FormIncomplete {
                    path: path.to_path_buf(),
                    message,
                });
            }
            Found::Nothing => {}
        }
    }
    if found.is_empty() {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::NoForm {
            path: path.to_path_buf(),
            sheets: if names.is_empty() {
                "无".to_string()
            } else {
                names.join("、")
            },
        });
    }
    let several = found.len() > 1;
    Ok(found
        .into_iter()
        .map(|read| SourcedForm {
            source: if several {
                format!("{}#{}", path.display(), read.cells.sheet)
            } else {
                path.display().to_string()
            },
            form: read.form,
            cells: read.cells,
            shown: read.shown,
            findings: read.findings,
        })
        .collect())
}
