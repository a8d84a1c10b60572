//! The first floor of reading: sources. Each turns the bytes of one file format into the
//! one [`Sheet`] of cells, merged regions, number formats (applied: a cell holds what it
//! shows) and hidden marks, or — a data file — into a form directly. Every source fails with
//! the one [`SourceError`]. Nothing here knows what a form is; `read::form` reads forms from
//! sheets without knowing the format.
//!
//! What a file is, is decided by its bytes, not its name ([`sniff`]): a zip is an `.xlsx`
//! ([`xlsx`], through its [`package`]) or an `.ods` ([`ods`]), an OLE compound file an `.xls`
//! ([`xls`]) unless it holds something else, a bare BIFF stream an `.xls` too; text saved with
//! a workbook's extension and other formats are named, not read.
//!
//! A published PDF ([`pdf`]) gives one sheet per table its pages draw, a table continued over
//! pages joined, each with the page every row was printed on ([`pdf::tables`]).
//!
//! A new source is one module here: `pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>,
//! SourceError>`, building each sheet with [`crate::read::sheet::SheetBuilder`] (`push` cells,
//! `merge` regions, `hide_rows`/`hide_cols`/`hide_sheet`, then `build`), and one arm in
//! [`sheets`] that recognises its bytes.

pub mod data;
pub mod error;
pub mod ods;
pub mod package;
pub mod pdf;
pub mod sniff;
pub mod xls;
pub mod xlsx;

pub use error::{Damage, Foreign, SourceError};

use std::io::{Cursor, Read as _};

use crate::read::sheet::Sheet;
use package::Package;
use sniff::Container;

/// Reads every worksheet of a workbook held in `bytes`, whatever its extension says.
///
/// # Errors
/// [`SourceError`] when the bytes are not a readable workbook: damaged, of another kind,
/// encrypted, or with a sheet too large to be a form.
pub fn sheets(bytes: &[u8]) -> Result<Vec<Sheet>, SourceError> {
    match sniff::container(bytes) {
        Container::Zip => zip_sheets(bytes),
        Container::Compound => compound_sheets(bytes),
        Container::Other => other_sheets(bytes),
    }
}

/// An OLE compound file: an `.xls`, or an encrypted `.xlsx` (an `EncryptedPackage` stream),
/// or a Word document. The container is read by the `cfb` crate (permissive, as Excel is:
/// a short last sector is read as if padded with zeros); a panic inside it on a damaged file
/// is a damaged file.
fn compound_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, SourceError> {
    if bytes.len() < 512 {
        return Err(Damage::NotCompound.into());
    }
    let stream = std::panic::catch_unwind(|| workbook_stream(bytes))
        .unwrap_or(Err(Damage::Panicked.into()))?;
    xls::read_stream(&stream)
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of the compound file in `bytes`.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, SourceError> {
    let padded = padded_to_sectors(bytes);
    let mut file = cfb::CompoundFile::open(Cursor::new(&padded[..])).map_err(Damage::Compound)?;
    // The streams of the root, looked at once (names compared as the old formats write them).
    let streams: Vec<String> = file
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .collect();
    let find = |name: &str| streams.iter().find(|s| s.eq_ignore_ascii_case(name));
    if find("EncryptionInfo").is_some() || find("EncryptedPackage").is_some() {
        return Err(SourceError::Encrypted);
    }
    let Some(name) = find("Workbook").or_else(|| find("Book")) else {
        return Err(if find("WordDocument").is_some() {
            Foreign::Doc.into()
        } else {
            Damage::NoWorkbookStream.into()
        });
    };
    let name = format!("/{name}");
    let mut stream = file.open_stream(&name).map_err(Damage::WorkbookStream)?;
    // A stream cannot hold more than the file (twice that, with a margin, for what a
    // writer may leave): a size past it is a damaged directory, not a reason to allocate.
    let limit = bytes.len() as u64 * 2 + 4096;
    if stream.len() > limit {
        return Err(
            Damage::WorkbookStream(std::io::Error::other("stream larger than the file")).into(),
        );
    }
    let mut out = Vec::with_capacity(stream.len() as usize);
    stream
        .read_to_end(&mut out)
        .map_err(Damage::WorkbookStream)?;
    Ok(out)
}

/// The compound file in `bytes` padded with zeros to a whole number of sectors: some
/// writers leave the last sector short (a file of 5 109 bytes), which Excel and other readers
/// take as zeros, and the `cfb` crate reads whole sectors.
fn padded_to_sectors(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // The sector size is 2^shift, the shift at offset 0x1E of the header (9 or 12).
    let shift = bytes
        .get(0x1E..0x20)
        .map_or(9, |s| u16::from_le_bytes([s[0], s[1]]));
    let sector = 1usize << shift.clamp(7, 16);
    if bytes.len().is_multiple_of(sector) {
        std::borrow::Cow::Borrowed(bytes)
    } else {
        let mut padded = bytes.to_vec();
        padded.resize(bytes.len().next_multiple_of(sector), 0);
        std::borrow::Cow::Owned(padded)
    }
}

/// A file that is neither a zip nor a compound file: a bare BIFF stream (read when it is
/// BIFF5 or BIFF8, named when older), or text saved with a workbook extension (named).
fn other_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, SourceError> {
    if bytes.is_empty() {
        return Err(Damage::Empty.into());
    }
    if let Some(version) = xls::old_version_of(bytes) {
        return Err(Foreign::OldExcel(version).into());
    }
    if bytes.starts_with(&[0x09, 0x08]) {
        return xls::read_stream(bytes);
    }
    Err(match sniff::text_kind(bytes) {
        Some(kind) => Foreign::Text(kind).into(),
        None => Damage::UnknownContainer.into(),
    })
}

/// A zip package: an OpenDocument spreadsheet (by its `mimetype`, or its `content.xml`
/// without an Office main document) or an Office Open XML workbook; other Office and
/// OpenDocument files are named.
fn zip_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, SourceError> {
    let mut package = Package::open(bytes)?;
    if let Some(mimetype) = package.read("mimetype")? {
        let mimetype = String::from_utf8_lossy(&mimetype);
        if let Some(kind) = mimetype
            .trim()
            .strip_prefix("application/vnd.oasis.opendocument.")
        {
            return match kind {
                "spreadsheet" | "spreadsheet-template" => ods::read_package(&mut package),
                _ => Err(Foreign::OpenDocument(kind.to_string()).into()),
            };
        }
    }
    let main = package.main_document()?;
    if main.is_none() && package.has("content.xml") {
        return ods::read_package(&mut package);
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
        return Err(Foreign::Xlsb.into());
    }
    if lower.ends_with("document.xml") {
        return Err(Foreign::Docx.into());
    }
    if lower.ends_with("presentation.xml") {
        return Err(Foreign::Pptx.into());
    }
    if !package.has(&main) {
        return Err(Damage::NoWorkbookPart.into());
    }
    xlsx::read_package(bytes, &mut package, &main)
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
            Err(SourceError::Encrypted) => "encrypted".to_string(),
            Err(SourceError::SheetTooLarge { sheet, .. }) => format!("too large: {sheet}"),
            Err(e) => e.to_string(),
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
        // A damaged file is named as the kind its name promises.
        let err = sheets(b"").unwrap_err();
        assert_eq!(
            err.shown_for(std::path::Path::new("a.xls")),
            "不是有效的 Excel 97-2003 文件（文件为空）"
        );
    }

    /// The compound file of an `.xls`: read by the `cfb` crate, also when a writer left its
    /// last sector short (other readers take the missing bytes as zeros); a file shorter than
    /// a header, or a damaged one, is named as such.
    #[test]
    fn compound_files_short_and_damaged() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/read/canonical-000.xls"
        );
        let bytes = std::fs::read(path).unwrap();
        let whole = sheets(&bytes).unwrap();
        let mut short = bytes.clone();
        while short.len() > 513 && short.last() == Some(&0) {
            short.pop();
        }
        assert!(
            !short.len().is_multiple_of(512),
            "no padding to cut: {}",
            short.len()
        );
        let cut = sheets(&short).unwrap();
        assert_eq!(cut.len(), whole.len());
        assert_eq!(cut[0].cells(), whole[0].cells());
        assert_eq!(refusal(&bytes[..300]), "不是 OLE 复合文档");
        let mut damaged = bytes[..4096].to_vec();
        damaged[0x30..0x34].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
        assert_eq!(refusal(&damaged), "OLE 复合文档结构损坏");
    }
}
