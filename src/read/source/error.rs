//! The one error of every source: why bytes gave no sheets (a workbook) or no form (a data
//! file). Typed, with the error of the library that found the fault kept as its source;
//! nothing here knows the file's name (the reader attaches it, see [`SourceError::shown_for`]).

use std::path::Path;

use super::sniff::TextKind;
use crate::read::limits::{LimitError, MAX_CELLS, MAX_DATA, MAX_DEPTH, MAX_FILE, MAX_MERGES};
use crate::read::limits::{MAX_PART, MAX_UNZIPPED};
use crate::read::sheet::SheetError;
use crate::text::{self, MAX_SHEET_NAME};

/// The longest part name shown in a message, in characters.
const MAX_PART_NAME: usize = 60;

/// Why a source gave nothing to read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The bytes are a damaged or truncated file of a kind jixiao reads: its zip, compound
    /// file, XML or records cannot be read.
    #[error("{0}")]
    Damaged(#[from] Damage),
    /// The bytes are a file of another kind (an older Excel, a Word document, text saved
    /// with a workbook's extension): what it is and what to do.
    #[error("{0}")]
    Foreign(#[from] Foreign),
    /// The workbook is protected by a password.
    #[error("文件已加密")]
    Encrypted,
    /// A sheet holds more cells or merged regions than a form can
    /// ([`MAX_CELLS`], [`MAX_MERGES`]).
    #[error("{}", sheet_too_large(.sheet, .what))]
    SheetTooLarge {
        /// The sheet.
        sheet: String,
        /// What is too large.
        what: SheetError,
    },
    /// A workbook file is larger than [`MAX_FILE`].
    #[error("文件过大（超过 {} MB），不是自评表", MAX_FILE / 1024 / 1024)]
    WorkbookTooLarge,
    /// A PDF cannot be read, or holds no form.
    #[error(transparent)]
    Pdf(#[from] super::pdf::PdfError),
    /// A data file is larger than [`MAX_DATA`].
    #[error("文件过大（超过 {} MB），不是自评表数据", MAX_DATA / 1024 / 1024)]
    DataTooLarge,
    /// The form read from a sheet breaks a limit of [`crate::read::limits`].
    #[error("工作表“{}”：{}", text::one_line(.sheet, MAX_SHEET_NAME), short_sheet_name(&.source.to_string(), .sheet))]
    SheetOverLimit {
        /// The sheet.
        sheet: String,
        /// The limit broken.
        source: LimitError,
    },
    /// The form of a data file breaks a limit of [`crate::read::limits`].
    #[error(transparent)]
    OverLimit(#[from] LimitError),
    /// A data file is empty (or white space).
    #[error("文件为空")]
    EmptyData,
    /// A data file is not UTF-8 text.
    #[error("不是 UTF-8 编码的文本（第 {} 字节）", .0.valid_up_to())]
    NotUtf8(#[source] std::str::Utf8Error),
    /// A data file nests arrays or objects deeper than [`MAX_DEPTH`] (counted before parsing).
    #[error("数组或对象嵌套超过 {MAX_DEPTH} 层，不是自评表数据")]
    TooDeep,
    /// A JSON form file is not valid JSON, or not a form: `what` names the line or the field.
    #[error("{what}")]
    Json {
        /// What is wrong, in the filer's words (`缺少字段 indicators[2].name（第 40 行）`).
        what: String,
        /// What serde_json said.
        source: serde_json::Error,
    },
    /// A TOML form file is not valid TOML, or not a form: `what` names the line or the field.
    #[error("{what}")]
    Toml {
        /// What is wrong, in the filer's words.
        what: String,
        /// What the TOML reader said.
        source: toml::de::Error,
    },
}

impl SourceError {
    /// A sheet that could not be loaded.
    pub fn sheet(name: &str, what: SheetError) -> SourceError {
        SourceError::SheetTooLarge {
            sheet: name.to_string(),
            what,
        }
    }

    /// The message for the file at `path`: a damaged file is named as the kind its name
    /// promises (`不是有效的 Excel 97-2003 文件（…）`), whatever its bytes turned out to be.
    pub fn shown_for(&self, path: &Path) -> String {
        match self {
            SourceError::Damaged(damage) => {
                format!("不是有效的{}文件（{damage}）", promised_kind(path))
            }
            other => other.to_string(),
        }
    }
}

/// The kind of file the extension of `path` promises, for messages.
fn promised_kind(path: &Path) -> &'static str {
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

fn sheet_too_large(sheet: &str, what: &SheetError) -> String {
    let sheet = text::one_line(sheet, MAX_SHEET_NAME);
    match what {
        SheetError::TooManyCells => format!(
            "工作表“{sheet}”过大（超过 {} 万个非空单元格），不是自评表",
            MAX_CELLS / 10_000
        ),
        SheetError::TooManyMerges => format!(
            "工作表“{sheet}”的合并单元格过多（超过 {} 万处），不是自评表",
            MAX_MERGES / 10_000
        ),
    }
}

/// `message` about the sheet `name` with that name shortened (escaped and cut to
/// [`MAX_SHEET_NAME`] characters), so that a long name does not crowd out the reason.
fn short_sheet_name(message: &str, name: &str) -> String {
    let short = text::one_line(name, MAX_SHEET_NAME);
    if short == name || name.is_empty() {
        message.to_string()
    } else {
        message.replace(name, &short)
    }
}

fn part_name(name: &str) -> String {
    text::one_line(name, MAX_PART_NAME)
}

/// What is damaged in a file of a kind jixiao reads.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    /// The file has no bytes.
    #[error("文件为空")]
    Empty,
    /// The bytes are neither a zip nor a compound file nor a BIFF stream nor text.
    #[error("内容既不是 zip 压缩包也不是 OLE 复合文档")]
    UnknownContainer,
    /// The zip's structure (its directory, an entry's header) cannot be read.
    #[error("zip 结构损坏或文件不完整")]
    Zip(#[source] zip::result::ZipError),
    /// A part's compressed data cannot be decompressed.
    #[error("zip 数据损坏（{}）", part_name(.part))]
    ZipData {
        /// The part.
        part: String,
        /// What the decompressor said.
        source: std::io::Error,
    },
    /// A part is larger than [`MAX_PART`] once decompressed (a zip bomb).
    #[error("{} 解压后超过 {} MB", part_name(.part), MAX_PART / 1024 / 1024)]
    PartTooLarge {
        /// The part.
        part: String,
    },
    /// The parts together are larger than [`MAX_UNZIPPED`] once decompressed.
    #[error("解压后超过 {} MB", MAX_UNZIPPED / 1024 / 1024)]
    UnzippedTooLarge,
    /// An XML part is neither UTF-8 nor UTF-16.
    #[error("{} 不是 UTF-8 文本", part_name(.part))]
    NotUtf8 {
        /// The part.
        part: String,
        /// Where the text stops being UTF-8.
        source: std::str::Utf8Error,
    },
    /// The zip has no workbook part.
    #[error("zip 压缩包中没有工作簿")]
    NoWorkbookPart,
    /// An OpenDocument package has no `content.xml`.
    #[error("zip 压缩包中没有 content.xml")]
    NoContentPart,
    /// A package rewritten for calamine could not be written (a bug, or a damaged part).
    #[error("工作簿内容损坏")]
    Rewrite(#[source] zip::result::ZipError),
    /// calamine could not read the workbook (also after a rewrite).
    #[error("{}", calamine_reason(.0))]
    Xlsx(#[source] calamine::XlsxError),
    /// calamine panicked on a damaged part.
    #[error("工作簿内容损坏")]
    Panicked,
    /// The file starts as a compound file but is shorter than its header.
    #[error("不是 OLE 复合文档")]
    NotCompound,
    /// The compound file's structure cannot be read.
    #[error("OLE 复合文档结构损坏")]
    Compound(#[source] std::io::Error),
    /// A compound file without a workbook stream (a Word file or another document).
    #[error("OLE 复合文档中没有工作簿，可能是 Word 等其他文件")]
    NoWorkbookStream,
    /// The workbook stream of a compound file cannot be read (its chain is damaged).
    #[error("OLE 复合文档中没有工作簿数据")]
    WorkbookStream(#[source] std::io::Error),
    /// The workbook stream is empty.
    #[error("工作簿数据为空")]
    EmptyStream,
    /// The stream does not start as a BIFF5 or BIFF8 workbook.
    #[error("Excel 95 之前的旧格式或已损坏，请在 Excel/WPS 中另存为 .xlsx")]
    NotBiff,
    /// A record of the workbook globals cannot be read.
    #[error("工作簿内容损坏：{0}")]
    Record(&'static str),
    /// The `content.xml` of an OpenDocument spreadsheet is not well-formed XML.
    #[error("工作簿内容损坏：content.xml 不是有效的 XML")]
    ContentXml(#[source] quick_xml::Error),
}

/// What went wrong in calamine, in the filer's words.
fn calamine_reason(e: &calamine::XlsxError) -> String {
    use calamine::XlsxError;
    match e {
        XlsxError::Zip(_) => "zip 结构损坏".to_string(),
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_) => {
            "工作簿内容损坏：XML 格式错误".to_string()
        }
        XlsxError::FileNotFound(part) => format!("工作簿内容损坏：缺少 {part}"),
        _ => "工作簿内容损坏".to_string(),
    }
}

/// A file of a kind jixiao does not read: what it is, and what to do, as a whole sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Foreign {
    /// Excel 2.x, 3.0 or 4.0.
    #[error("是旧版 Excel（{0}）格式的工作簿，无法直接读取：请在 Excel/WPS 中另存为 .xlsx")]
    OldExcel(&'static str),
    /// A Word 97–2003 document.
    #[error("是 Word 97-2003 文档（.doc），不是工作簿")]
    Doc,
    /// A Word document.
    #[error("是 Word 文档（.docx），不是工作簿")]
    Docx,
    /// A PowerPoint presentation.
    #[error("是 PowerPoint 演示文稿（.pptx），不是工作簿")]
    Pptx,
    /// A binary Excel workbook.
    #[error("是 .xlsb 二进制工作簿，请在 Excel/WPS 中另存为 .xlsx")]
    Xlsb,
    /// An OpenDocument file that is not a spreadsheet (its mimetype's last part).
    #[error("是 OpenDocument {}，不是工作簿", match .0.as_str() {
        "text" => "文本文档（.odt）",
        "presentation" => "演示文稿（.odp）",
        _ => "文档",
    })]
    OpenDocument(String),
    /// Text: a table exported as text, a web page, plain text.
    #[error("{}", text_kind(*.0))]
    Text(TextKind),
}

fn text_kind(kind: TextKind) -> String {
    match kind {
        TextKind::Markup => {
            "是网页或 XML 格式的表格，不是 Excel 工作簿：请在 Excel/WPS 中另存为 .xlsx".into()
        }
        TextKind::Plain => "是纯文本文件，不是工作簿".into(),
        kind => format!(
            "是文本格式（{}），不是 Excel 工作簿：请在 Excel/WPS 中打开后另存为 .xlsx",
            kind.name()
        ),
    }
}
