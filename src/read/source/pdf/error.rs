//! Why a PDF could not be read, each in one Chinese line: typed, as the workbook sources'
//! errors are, and wrapped by [`crate::read::source::SourceError::Pdf`].

use crate::read::limits::{MAX_MARKS, MAX_OBJECTS, MAX_PAGES};

/// Why a PDF could not be read, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The bytes do not start like a PDF.
    #[error("不是 PDF 文件（没有 %PDF 文件头）")]
    NotPdf,
    /// The file is damaged beyond repair, or uses a feature that cannot be read.
    #[error("不是有效的 PDF 文件（{0}）")]
    Damaged(PdfDamage),
    /// A password is needed to open the file (an owner-password-only file opens).
    #[error("PDF 设有打开密码，无法读取：请提供未加密的文件")]
    Password,
    /// The pages are images: a scan without a text layer.
    #[error("扫描件，没有可读取的文字：请提供原表或可复制文字的 PDF")]
    Scanned,
    /// No page draws any text or image.
    #[error("PDF 中没有文字")]
    NoText,
    /// The text is drawn in fonts that do not say which characters their glyphs are.
    #[error(
        "PDF 中的文字没有 Unicode 映射（字体缺少 ToUnicode），无法读取文字：请提供原表或另行导出的 PDF"
    )]
    NoUnicode,
    /// No table of the PDF holds a form.
    #[error("PDF 共 {pages} 页、{tables} 个表格，未找到自评表")]
    NoForm {
        /// Its pages.
        pages: usize,
        /// Its tables (pages joined).
        tables: usize,
    },
    /// Past a limit of [`crate::read::limits`] or [`crate::read::limits`].
    #[error("PDF 过大：{0}，不是自评表")]
    TooLarge(PdfLimit),
}

/// What is damaged in a PDF that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PdfDamage {
    /// The file's structure (cross-reference table, trailer, objects) cannot be read or repaired.
    #[error("文件结构损坏或不完整")]
    Structure,
    /// The encryption dictionary cannot be read.
    #[error("加密信息损坏")]
    Encryption,
    /// An encryption method the parser does not know.
    #[error("使用了不支持的加密方式")]
    UnknownEncryption,
    /// The document has no page.
    #[error("没有页面")]
    NoPages,
    /// The parser gave up inside a page (a panic caught).
    #[error("内容损坏")]
    Content,
}

/// The limit a PDF is past.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfLimit {
    /// The file is larger than [`crate::read::limits::MAX_FILE`].
    #[error("超过 {} MB", crate::read::limits::MAX_FILE / 1024 / 1024)]
    File,
    /// More objects than [`MAX_OBJECTS`].
    #[error("对象超过 {} 万个", MAX_OBJECTS / 10_000)]
    Objects,
    /// More pages than [`MAX_PAGES`].
    #[error("超过 {MAX_PAGES} 页")]
    Pages,
    /// A stream, or all streams together, inflate past the limits of a zip part
    /// ([`crate::read::limits::MAX_PART`], [`crate::read::limits::MAX_UNZIPPED`]): in MB.
    #[error("解压后超过 {0} MB，可能是压缩炸弹")]
    Inflated(u64),
    /// A page draws more glyphs or lines than [`MAX_MARKS`].
    #[error("第 {page} 页的文字或线条超过 {} 万个", MAX_MARKS / 10_000)]
    Marks {
        /// The page, from 1.
        page: usize,
    },
    /// The form read from a table breaks a limit of [`crate::read::limits`].
    #[error("第 {page} 页的表：{source}")]
    Form {
        /// The table's first page.
        page: u32,
        /// The limit broken.
        source: crate::read::limits::LimitError,
    },
}
