//! Workbooks: what kind of file it really is (by its bytes, not its name), the guards that keep
//! a hostile file cheap (size, zip bombs, cell counts), and every form found in its sheets.

use std::path::Path;

use super::cfb::{self, Cfb};
use super::extract::{self, Found, Read};
use super::limits::{self, MAX_CELLS, MAX_MERGES};
use super::package::{self, Package};
use super::sheet::{Sheet, SheetError, Value};
use super::{ods, xls, xlsx};
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::model::SourcedForm;
use crate::text;

/// The longest sheet name shown in a message, in characters.
const MAX_SHEET_NAME: usize = 40;

/// How many sheet names a `未找到自评表` message lists.
const LISTED_SHEETS: usize = 5;

/// Why a workbook could not be read, before the file's name is attached.
#[derive(Debug)]
pub enum Failure {
    /// Not a workbook, or a damaged one: the reason.
    Invalid(String),
    /// A file of a kind jixiao does not read (an older Excel version, text saved as `.xls`,
    /// `.xlsb`, a Word document): what it is and what to do, as a whole sentence.
    Format(String),
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
            Failure::Format(what) => Error::Workbook {
                path,
                message: what,
            },
            Failure::Encrypted => Error::Encrypted { path },
            Failure::TooLarge { sheet, what } => Error::Workbook {
                path,
                message: match (text::one_line(&sheet, MAX_SHEET_NAME), what) {
                    (sheet, SheetError::TooManyCells) => format!(
                        "工作表“{sheet}”过大（超过 {} 万个非空单元格），不是自评表",
                        MAX_CELLS / 10_000
                    ),
                    (sheet, SheetError::TooManyMerges) => format!(
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

/// The names of a calamine workbook's worksheets (not chart sheets), in order, each with
/// whether it is hidden (or very hidden).
pub(super) fn worksheet_names<RS, R>(book: &R) -> Vec<(String, bool)>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
{
    book.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
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
                return Err(if cfb.has("WordDocument") {
                    Failure::Format("是 Word 97-2003 文档（.doc），不是工作簿".into())
                } else {
                    Failure::Invalid("OLE 复合文档中没有工作簿，可能是 Word 等其他文件".into())
                });
            }
            xls::read(&cfb)
        }
        Container::Other => other_sheets(bytes),
    }
}

/// A file that is neither a zip nor a compound file: a bare BIFF stream (read when it is
/// BIFF5 or BIFF8, named when older), or text saved with a workbook extension (named).
fn other_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    if bytes.is_empty() {
        return Err(Failure::Invalid("文件为空".into()));
    }
    if let Some(version) = xls::old_version_of(bytes) {
        return Err(Failure::Format(xls::old_excel(version)));
    }
    if bytes.starts_with(&[0x09, 0x08]) {
        return xls::read_stream(bytes);
    }
    Err(match text_kind(bytes) {
        Some(TextKind::Markup) => Failure::Format(
            "是网页或 XML 格式的表格，不是 Excel 工作簿：请在 Excel/WPS 中另存为 .xlsx".into(),
        ),
        Some(TextKind::Plain) => Failure::Format("是纯文本文件，不是工作簿".into()),
        Some(kind) => Failure::Format(format!(
            "是文本格式（{}），不是 Excel 工作簿：请在 Excel/WPS 中打开后另存为 .xlsx",
            kind.name()
        )),
        None => Failure::Invalid("内容既不是 zip 压缩包也不是 OLE 复合文档".into()),
    })
}

/// The text formats spreadsheets are exported to, and sometimes saved with a workbook
/// extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// HTML or XML (SpreadsheetML 2003).
    Markup,
    /// Symbolic Link (`ID;P…`).
    Sylk,
    /// Data Interchange Format (`TABLE` / `0,1`).
    Dif,
    /// Tab-separated values.
    Tsv,
    /// Comma-separated values.
    Csv,
    /// Other plain text.
    Plain,
}

impl TextKind {
    fn name(self) -> &'static str {
        match self {
            TextKind::Markup => "网页或 XML",
            TextKind::Sylk => "SYLK",
            TextKind::Dif => "DIF",
            TextKind::Tsv => "制表符分隔的 TSV",
            TextKind::Csv => "逗号分隔的 CSV",
            TextKind::Plain => "纯文本",
        }
    }
}

/// What kind of text `bytes` hold (UTF-8, UTF-16 with a byte order mark, or an ASCII-based
/// code page such as GBK), judged from their start; `None` when they are not text.
fn text_kind(bytes: &[u8]) -> Option<TextKind> {
    let head = &bytes[..bytes.len().min(4096)];
    let text: String = match head {
        [0xFF, 0xFE, rest @ ..] => char::decode_utf16(
            rest.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]])),
        )
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect(),
        [0xFE, 0xFF, rest @ ..] => char::decode_utf16(
            rest.chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]])),
        )
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect(),
        _ => {
            // Bytes of any ASCII-based encoding: no NUL, few control characters.
            let controls = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
                .count();
            if head.contains(&0) || controls * 100 > head.len() {
                return None;
            }
            String::from_utf8_lossy(head).into_owned()
        }
    };
    let text = text.trim_start_matches('\u{FEFF}').trim_start();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .collect();
    let first = lines.first().map_or("", |l| l.trim_end());
    // A table: at least two lines, each with the separator.
    let table = |sep: char| lines.len() >= 2 && lines.iter().all(|l| l.contains(sep));
    Some(if text.starts_with('<') {
        TextKind::Markup
    } else if text.starts_with("ID;") {
        TextKind::Sylk
    } else if first == "TABLE" {
        TextKind::Dif
    } else if table('\t') {
        TextKind::Tsv
    } else if table(',') {
        TextKind::Csv
    } else {
        TextKind::Plain
    })
}

fn zip_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    let mut package = Package::open(bytes)?;
    if let Some(mimetype) = package.read("mimetype")? {
        let mimetype = String::from_utf8_lossy(&mimetype);
        if let Some(kind) = mimetype
            .trim()
            .strip_prefix("application/vnd.oasis.opendocument.")
        {
            return match kind {
                "spreadsheet" | "spreadsheet-template" => ods_sheets(&mut package),
                _ => Err(Failure::Format(format!(
                    "是 OpenDocument {}，不是工作簿",
                    match kind {
                        "text" => "文本文档（.odt）",
                        "presentation" => "演示文稿（.odp）",
                        _ => "文档",
                    }
                ))),
            };
        }
    }
    let main = package.main_document()?;
    if main.is_none() && package.has("content.xml") {
        return ods_sheets(&mut package);
    }
    let main = main.unwrap_or_else(|| {
        if package.has("xl/workbook.bin") {
            "xl/workbook.bin"
        } else {
            "xl/workbook.xml"
        }
        .to_string()
    });
    let lower = main.to_ascii_lowercase();
    if lower.ends_with(".bin") {
        return Err(Failure::Format(
            "是 .xlsb 二进制工作簿，请在 Excel/WPS 中另存为 .xlsx".into(),
        ));
    }
    if lower.ends_with("document.xml") {
        return Err(Failure::Format("是 Word 文档（.docx），不是工作簿".into()));
    }
    if lower.ends_with("presentation.xml") {
        return Err(Failure::Format(
            "是 PowerPoint 演示文稿（.pptx），不是工作簿".into(),
        ));
    }
    if !package.has(&main) {
        return Err(Failure::Invalid("zip 压缩包中没有工作簿".into()));
    }
    package.check_parts()?;
    // The merges found by a scan of each sheet's end, not by calamine's parse of every cell,
    // and the hidden rows and columns, which calamine does not give.
    let scans = package.sheet_scans(&main);
    // A panic inside calamine on a damaged part is a damaged file, not the end of the batch.
    let read = |bytes: &[u8], scans: Option<&package::SheetScans>| {
        std::panic::catch_unwind(|| xlsx::read(bytes, scans))
            .unwrap_or_else(|_| Err(Failure::Invalid("工作簿内容损坏".into())))
    };
    match read(bytes, scans.as_ref()) {
        // What Excel reads and calamine does not (UTF-16 parts, macro sheets, whole-row
        // merges): read again from a package rewritten in memory, with calamine's merges and
        // the hidden rows and columns of the rewritten parts.
        Err(Failure::Invalid(reason)) => match package::normalised(bytes)? {
            Some(fixed) => {
                let scans = Package::open(&fixed).ok().and_then(|mut p| {
                    let main = p.main_document().ok()??;
                    let mut scans = p.sheet_scans(&main)?;
                    scans.values_mut().for_each(|s| s.merges = None);
                    Some(scans)
                });
                read(&fixed, scans.as_ref())
            }
            None => Err(Failure::Invalid(reason)),
        },
        other => other,
    }
}

/// The sheets of an OpenDocument spreadsheet.
fn ods_sheets(package: &mut Package<'_>) -> Result<Vec<Sheet>, Failure> {
    // A password-protected document keeps its parts encrypted and says so in its manifest.
    if let Some(manifest) = package.read("META-INF/manifest.xml")?
        && String::from_utf8_lossy(&manifest).contains("encryption-data")
    {
        return Err(Failure::Encrypted);
    }
    let content = package
        .read("content.xml")?
        .ok_or_else(|| Failure::Invalid("zip 压缩包中没有 content.xml".into()))?;
    let text = std::str::from_utf8(&content)
        .map_err(|_| Failure::Invalid("content.xml 不是 UTF-8 文本".into()))?;
    ods::read(text)
}

/// Every form in the workbook `bytes` read from `path`: one per sheet that holds a form;
/// `source` is the path, with `#Sheet` when there are several.
///
/// What is filed is what is shown: a hidden sheet's form (an old draft) is not read when a
/// shown sheet holds one — the forms read say which hidden sheets were left — and is read,
/// with a warning, when only hidden sheets hold forms.
///
/// # Errors
/// [`Error::Workbook`] for a file that is not a readable workbook or has an oversized sheet,
/// [`Error::Encrypted`] for a password-protected one, [`Error::NoForm`] when no sheet holds a
/// form, [`Error::FormIncomplete`] when a sheet looks like a form but lacks a whole block.
pub fn forms(path: &Path, bytes: &[u8]) -> Result<Vec<SourcedForm>> {
    let sheets = sheets(bytes).map_err(|f| f.into_error(path, kind_of(path)))?;
    let incomplete = |message: String, sheet: &Sheet| Error::FormIncomplete {
        path: path.to_path_buf(),
        message: short_sheet_name(message, &sheet.name),
    };
    // (sheet, form) of every sheet that holds one; (sheet, what is missing) of every sheet that
    // looks like a form but is not complete.
    let mut found: Vec<(&Sheet, Read)> = Vec::new();
    let mut incomplete_sheets: Vec<(&Sheet, String)> = Vec::new();
    for sheet in &sheets {
        match with_typed_formulas(bytes, sheet, extract::form(sheet)) {
            Found::Form(read) => found.push((sheet, *read)),
            Found::Incomplete(message) => incomplete_sheets.push((sheet, message)),
            Found::Nothing => {}
        }
    }
    let shown_form = found.iter().any(|(sheet, _)| !sheet.hidden.sheet);
    if found.is_empty()
        && let Some((sheet, message)) = incomplete_sheets
            .iter()
            .find(|(sheet, _)| !sheet.hidden.sheet)
            .or(incomplete_sheets.first())
    {
        return Err(incomplete(message.clone(), sheet));
    }
    if shown_form {
        let skipped: Vec<&str> = found
            .iter()
            .filter(|(sheet, _)| sheet.hidden.sheet)
            .map(|(sheet, _)| sheet.name.as_str())
            .collect();
        if !skipped.is_empty() {
            let message = format!(
                "已隐藏的工作表（{}）中另有自评表，未读取（屏幕与打印均不显示）：以显示的工作表为准",
                text::name_list(&skipped, LISTED_SHEETS, MAX_SHEET_NAME, "个工作表")
            );
            found.retain(|(sheet, _)| !sheet.hidden.sheet);
            for (_, read) in &mut found {
                read.findings.push(Finding::new(
                    "hidden-sheet-skipped",
                    Severity::Info,
                    None,
                    message.clone(),
                ));
            }
        }
    } else {
        for (sheet, read) in &mut found {
            read.findings.push(Finding::new(
                "sheet-hidden",
                Severity::Warning,
                None,
                format!(
                    "工作表“{}”已隐藏（屏幕与打印均不显示），工作簿中没有显示的自评表，仍按此表读取：请核实这是要报送的表",
                    text::one_line(&sheet.name, MAX_SHEET_NAME)
                ),
            ));
        }
    }
    // A shown sheet that looks like a form but is not one (a 汇总 of several projects, a
    // form left half done) beside the forms that were read: said on each of them.
    for (sheet, message) in incomplete_sheets.iter().filter(|(s, _)| !s.hidden.sheet) {
        let message = format!(
            "另一个工作表不是完整的自评表，未读取：{}",
            short_sheet_name(message.clone(), &sheet.name)
        );
        for (_, read) in &mut found {
            read.findings.push(Finding::new(
                "sheet-incomplete-skipped",
                Severity::Warning,
                None,
                message.clone(),
            ));
        }
    }
    for (sheet, read) in &found {
        limits::check_form(&read.form, Some(&read.cells)).map_err(|message| Error::Workbook {
            path: path.to_path_buf(),
            message: format!(
                "工作表“{}”：{}",
                text::one_line(&sheet.name, MAX_SHEET_NAME),
                short_sheet_name(message, &sheet.name)
            ),
        })?;
    }
    if found.is_empty() {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::NoForm {
            path: path.to_path_buf(),
            sheets: if names.is_empty() {
                "无".to_string()
            } else {
                text::name_list(&names, LISTED_SHEETS, MAX_SHEET_NAME, "个工作表")
            },
        });
    }
    let several = found.len() > 1;
    Ok(found
        .into_iter()
        .map(|(_, read)| SourcedForm {
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

/// The form read again when fields it needs show nothing but hold a formula without a result
/// in an `.xlsx`: a value typed with a leading `=` (`=8个`) is read as that text, a formula
/// that calculates stays blank and is said to have no result. Most forms have no such field
/// and are returned as they were read.
fn with_typed_formulas(bytes: &[u8], sheet: &Sheet, found: Found) -> Found {
    let Found::Form(read) = &found else {
        return found;
    };
    let blank = read.blank_figures(sheet);
    if blank.is_empty() || sniff(bytes) != Container::Zip {
        return found;
    }
    // The sheet was read once already: a panic here is a damaged part, and the form stands.
    let typed = std::panic::catch_unwind(|| xlsx::typed_formulas(bytes, &sheet.name, &blank));
    match typed {
        Ok(Ok(mut typed)) => {
            // A formula showing an error keeps it: the file holds that result.
            typed.retain(|c| {
                !matches!(c.value, Value::Uncalculated(_)) || sheet.own(c.at).is_none()
            });
            if typed.is_empty() {
                found
            } else {
                extract::form(&sheet.with_cells(typed))
            }
        }
        _ => found,
    }
}

/// `message` about the sheet `name` with that name shortened (escaped and cut to
/// [`MAX_SHEET_NAME`] characters), so that a long name does not crowd out the reason.
fn short_sheet_name(message: String, name: &str) -> String {
    let short = text::one_line(name, MAX_SHEET_NAME);
    if short == name || name.is_empty() {
        message
    } else {
        message.replace(name, &short)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, text) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn refusal(bytes: &[u8]) -> String {
        match sheets(bytes) {
            Err(Failure::Format(m) | Failure::Invalid(m)) => m,
            Err(Failure::Encrypted) => "encrypted".to_string(),
            Err(Failure::TooLarge { sheet, .. }) => format!("too large: {sheet}"),
            Ok(s) => format!("{} sheets", s.len()),
        }
    }

    #[test]
    fn packages_say_what_they_are() {
        let rels = |target: &str| {
            format!(
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/></Relationships>"#
            )
        };
        let docx = zip_of(&[
            ("_rels/.rels", &rels("word/document.xml")),
            ("word/document.xml", "<w:document/>"),
        ]);
        assert_eq!(refusal(&docx), "是 Word 文档（.docx），不是工作簿");
        let xlsb = zip_of(&[("xl/workbook.bin", "")]);
        assert!(refusal(&xlsb).starts_with("是 .xlsb 二进制工作簿"));
        let odt = zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "<office:document-content/>"),
        ]);
        assert_eq!(
            refusal(&odt),
            "是 OpenDocument 文本文档（.odt），不是工作簿"
        );
        let locked = zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", "\u{fffd}"),
            (
                "META-INF/manifest.xml",
                r#"<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>"#,
            ),
        ]);
        assert_eq!(refusal(&locked), "encrypted");
        let nothing = zip_of(&[("_rels/.rels", &rels("xl/workbook.xml"))]);
        assert_eq!(refusal(&nothing), "zip 压缩包中没有工作簿");
    }

    #[test]
    fn text_says_what_it_is() {
        let cases: [(&[u8], &str); 6] = [
            (b"a,b,c\r\n1,2,3\r\n", "是文本格式（逗号分隔的 CSV）"),
            (
                b"\xEF\xBB\xBFa\tb\n1\t2\n",
                "是文本格式（制表符分隔的 TSV）",
            ),
            (b"ID;PWXL;N;E\r\nC;Y1;X1;K1\r\n", "是文本格式（SYLK）"),
            (b"TABLE\r\n0,1\r\n\"\"\r\n", "是文本格式（DIF）"),
            (b"  <html><table></table></html>", "是网页或 XML 格式的表格"),
            ("一行文字，逗号".as_bytes(), "是纯文本文件，不是工作簿"),
        ];
        for (bytes, want) in cases {
            let got = refusal(bytes);
            assert!(got.starts_with(want), "{got} for {bytes:?}");
        }
        assert_eq!(refusal(b""), "文件为空");
        assert_eq!(
            refusal(&[0x00, 0x01, 0x02, 0x03, 0xFF]),
            "内容既不是 zip 压缩包也不是 OLE 复合文档"
        );
    }
}
