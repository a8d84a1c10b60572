//! What a file's bytes are, whatever its name says: a zip, an OLE compound file, a bare
//! BIFF stream, text (and which text format), or something else.

/// The signature of an OLE compound file.
pub const COMPOUND_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the bytes of a file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A zip package (`.xlsx`, `.ods`, or another Office or OpenDocument file).
    Zip,
    /// An OLE compound file (`.xls`, an encrypted `.xlsx`, a `.doc`).
    Compound,
    /// Anything else: a bare BIFF stream, text, or nothing jixiao knows.
    Other,
}

/// The container of `bytes`, by their signature.
pub fn container(bytes: &[u8]) -> Container {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Container::Zip
    } else if bytes.starts_with(&COMPOUND_MAGIC) {
        Container::Compound
    } else {
        Container::Other
    }
}

/// The text formats spreadsheets are exported to, and sometimes saved with a workbook
/// extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
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
    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
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
pub fn text_kind(bytes: &[u8]) -> Option<TextKind> {
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
