//! The zip package of an `.xlsx` or `.ods`: its parts by name (as Windows tools write them,
//! `xl\workbook.xml`, and in any case), where its workbook is (`_rels/.rels` says; not always
//! `xl/workbook.xml`), the guards against zip bombs, and — for the packages that calamine cannot
//! read as they are but Excel can — an equivalent package rewritten in memory.
//!
//! The rewrite touches only what needs it: XML parts in UTF-16 become UTF-8, Excel 4.0 macro
//! sheets are marked as dialog sheets (which are skipped, like charts), and merges of whole
//! rows or columns (`1:1`, `J:J`) get their cell range (`A1:XFD1`, `J1:J1048576`). Every other
//! part is copied as it is, still compressed.
//!
//! Own code because calamine 0.38 refuses such packages, which Excel and WPS open: the `.xlsx`
//! files of `../shared/realbooks-failures/` (backslash part names, a workbook found only
//! through `_rels/.rels`, UTF-16 parts, whole-row and whole-column merges, a macro sheet) were
//! refused as damaged before this module; `tests/realbooks.rs` reads each of them. The merges and hidden rows are scanned
//! here too ([`Package::sheet_scans`]): calamine gives no hidden rows or columns, and its own
//! merge reading parses every cell again.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write as _};

use quick_xml::Reader;
use quick_xml::events::Event;
use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::error::{Damage, SourceError};
use crate::read::limits::{MAX_PART, MAX_UNZIPPED};
use crate::read::sheet::PrintSetup;

/// More than deflate's largest expansion (about 1 032 : 1): the most a deflated part can
/// grow to, per compressed byte.
const DEFLATE_MAX_RATIO: u64 = 1_100;

fn broken(e: zip::result::ZipError) -> SourceError {
    Damage::Zip(e).into()
}

/// A part name as a lookup key: `/` separators, no leading `/`, lower case (Excel's part names
/// are case-insensitive).
fn key(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_lowercase()
}

/// True for the parts that hold XML text (and may be in UTF-16).
fn is_xml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels")
}

/// A zip package held in memory.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Part index by [`key`].
    parts: HashMap<String, usize>,
}

impl<'a> Package<'a> {
    /// Opens the zip in `bytes`.
    ///
    /// # Errors
    /// [`Damage::Zip`] when it is not a readable zip.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, SourceError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
        let parts = (0..archive.len())
            .filter_map(|i| Some((key(&archive.name_for_index(i)?.ok()?), i)))
            .collect();
        Ok(Package { archive, parts })
    }

    /// True when the package has the part `name` (any separators, any case).
    pub fn has(&self, name: &str) -> bool {
        self.parts.contains_key(&key(name))
    }

    /// The part `name`, decompressed with the size limit; `None` when there is no such part.
    ///
    /// # Errors
    /// [`SourceError`] for damaged or oversized data, or an encrypted part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let Some(&index) = self.parts.get(&key(name)) else {
            return Ok(None);
        };
        read_index(&mut self.archive, index).map(Some)
    }

    /// The part `name` as text: UTF-8, or UTF-16 (with or without a byte order mark)
    /// transcoded; `None` when there is no such part.
    ///
    /// # Errors
    /// As [`Package::read`], and [`Damage::NotUtf8`] when the part is neither.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, SourceError> {
        let Some(data) = self.read(name)? else {
            return Ok(None);
        };
        let text = match utf16_text(&data) {
            Some(text) => text,
            None => String::from_utf8(data).map_err(|e| Damage::NotUtf8 {
                part: name.to_string(),
                source: e.utf8_error(),
            })?,
        };
        Ok(Some(text))
    }

    /// The main document of an Office Open XML package, as `_rels/.rels` names it (a part
    /// name, without a leading `/`); `None` when the package has no such relationship.
    ///
    /// # Errors
    /// As [`Package::read_text`].
    pub fn main_document(&mut self) -> Result<Option<String>, SourceError> {
        let Some(rels) = self.read_text("_rels/.rels")? else {
            return Ok(None);
        };
        let mut reader = Reader::from_str(&rels);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if attr_of(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"))
                        && let Some(target) = attr_of(&e, "Target")
                    {
                        return Ok(Some(
                            target
                                .replace('\\', "/")
                                .trim_start_matches('/')
                                .to_string(),
                        ));
                    }
                }
                Ok(Event::Eof) | Err(_) => return Ok(None),
                _ => {}
            }
        }
    }

    /// What calamine does not say about every worksheet of the workbook `main` (its main
    /// document), by sheet name: its merged regions, found by scanning its XML after its cells
    /// (where `<mergeCells>` stands) rather than parsing every cell again, and its hidden rows
    /// and columns. `None` when the workbook part is not as expected.
    pub fn sheet_scans(&mut self, main: &str) -> Option<SheetScans> {
        let workbook = self.read_text(main).ok()??;
        let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
        let rels_name = format!("{dir}/_rels/{}.rels", main.rsplit('/').next()?);
        let rels = self.read_text(rels_name.trim_start_matches('/')).ok()??;
        let targets = relationships(&rels);
        let mut out = HashMap::new();
        for (name, id) in sheets_of(&workbook)? {
            let Some(target) = targets.get(&id) else {
                continue; // a chart sheet or a broken reference: calamine decides
            };
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None if dir.is_empty() => target.clone(),
                None => format!("{dir}/{target}"),
            };
            let xml = self.read(&path).ok()??;
            out.insert(
                name,
                SheetScan {
                    merges: merges_in(&xml),
                    hidden_rows: hidden_rows(&xml),
                    hidden_cols: hidden_cols(&xml),
                    print: print_setup(&xml),
                },
            );
        }
        Some(out)
    }

    /// Decompresses every XML part once, with limits, before calamine reads them: a zip bomb or
    /// damaged compressed data gives a message instead of exhausting memory or failing later.
    ///
    /// # Errors
    /// [`SourceError`] for damaged or oversized data, or an encrypted part.
    pub fn check_parts(&mut self) -> Result<(), SourceError> {
        let mut total = 0u64;
        for i in 0..self.archive.len() {
            let mut part = self.archive.by_index(i).map_err(broken)?;
            let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            if !is_xml(&name) {
                continue;
            }
            if part.encrypted() {
                return Err(SourceError::Encrypted);
            }
            if part.size() > MAX_PART {
                return Err(too_big(&name));
            }
            // Deflate expands at most about 1 032 times: a part whose compressed size keeps it
            // under the limits even so need not be decompressed to prove it (the bound, not
            // the real size, counts towards the total).
            let bound = part.compressed_size().saturating_mul(DEFLATE_MAX_RATIO);
            let bounded = matches!(
                part.compression(),
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            );
            if bounded && bound <= MAX_PART && total.saturating_add(bound) <= MAX_UNZIPPED {
                total += bound;
                continue;
            }
            let n = std::io::copy(&mut (&mut part).take(MAX_PART + 1), &mut std::io::sink())
                .map_err(|e| damaged(&name, e))?;
            if n > MAX_PART {
                return Err(too_big(&name));
            }
            total += n;
            if total > MAX_UNZIPPED {
                return Err(Damage::UnzippedTooLarge.into());
            }
        }
        Ok(())
    }
}

fn damaged(name: &str, source: std::io::Error) -> SourceError {
    Damage::ZipData {
        part: name.to_string(),
        source,
    }
    .into()
}

fn too_big(name: &str) -> SourceError {
    Damage::PartTooLarge {
        part: name.to_string(),
    }
    .into()
}

/// The name of part `index` (empty when it cannot be decoded).
fn name_of(archive: &ZipArchive<Cursor<&[u8]>>, index: usize) -> String {
    archive
        .name_for_index(index)
        .and_then(Result::ok)
        .map(|n| n.into_owned())
        .unwrap_or_default()
}

/// Part `index`, decompressed with the size limit.
fn read_index(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
) -> Result<Vec<u8>, SourceError> {
    let part = archive.by_index(index).map_err(broken)?;
    let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
    if part.encrypted() {
        return Err(SourceError::Encrypted);
    }
    if part.size() > MAX_PART {
        return Err(too_big(&name));
    }
    // The declared size may lie: grow as the data comes, up to the limit.
    let mut out = Vec::with_capacity(part.size().min(1 << 20) as usize);
    part.take(MAX_PART + 1)
        .read_to_end(&mut out)
        .map_err(|e| damaged(&name, e))?;
    if out.len() as u64 > MAX_PART {
        return Err(too_big(&name));
    }
    Ok(out)
}

/// XML text in UTF-16 (a byte order mark, or `<?` as two 16-bit units), as UTF-8 with its
/// declaration saying so; `None` when `data` is not UTF-16 XML.
fn utf16_text(data: &[u8]) -> Option<String> {
    let (big_endian, body) = match data {
        [0xFE, 0xFF, rest @ ..] => (true, rest),
        [0xFF, 0xFE, rest @ ..] => (false, rest),
        [0, b'<', 0, b'?', ..] => (true, data),
        [b'<', 0, b'?', 0, ..] => (false, data),
        _ => return None,
    };
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    let mut text = String::from_utf16(&units).ok()?;
    // `<?xml version="1.0" encoding="UTF-16BE"?>`: the encoding is now UTF-8.
    if text.starts_with("<?xml")
        && let Some(end) = text.find("?>")
        && let Some(at) = text[..end].find("encoding")
    {
        let rest = &text[at + "encoding".len()..end];
        if let Some(open) = rest.find(['"', '\''])
            && let quote = &rest[open..=open]
            && let Some(close) = rest[open + 1..].find(quote)
        {
            let (from, to) = (
                at + "encoding".len() + open + 1,
                at + "encoding".len() + open + 1 + close,
            );
            text.replace_range(from..to, "UTF-8");
        }
    }
    Some(text)
}

/// A whole-row or whole-column range (`1:1`, `2:4`, `J:J`, `$B:$D`) as a cell range
/// (`A1:XFD1`, `A2:XFD4`, `J1:J1048576`); `None` for any other text.
fn full_range(range: &str) -> Option<String> {
    let (first, last) = range.split_once(':')?;
    let (first, last) = (first.trim_start_matches('$'), last.trim_start_matches('$'));
    let all = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.as_bytes().iter().all(f);
    if all(first, u8::is_ascii_digit) && all(last, u8::is_ascii_digit) {
        Some(format!("A{first}:XFD{last}"))
    } else if all(first, u8::is_ascii_alphabetic) && all(last, u8::is_ascii_alphabetic) {
        Some(format!("{first}1:{last}1048576"))
    } else {
        None
    }
}

/// A merged region: its first and last cell, zero-based `(row, column)`, inclusive.
pub type Span = ((u32, u32), (u32, u32));

/// What the scan of one worksheet's XML found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetScan {
    /// Its merged regions; `None` when one is not a range jixiao reads (calamine decides).
    pub merges: Option<Vec<Span>>,
    /// Its hidden rows, zero-based, inclusive ranges.
    pub hidden_rows: Vec<(u32, u32)>,
    /// Its hidden columns, zero-based, inclusive ranges.
    pub hidden_cols: Vec<(u32, u32)>,
    /// Its column widths and paper.
    pub print: PrintSetup,
}

/// The scans of every worksheet, by sheet name.
pub type SheetScans = HashMap<String, SheetScan>;

/// True for the value of a `hidden` attribute that hides (`1`, `true`).
fn hides(value: Option<String>) -> bool {
    value.is_some_and(|v| matches!(v.trim(), "1" | "true"))
}

/// The hidden rows of a worksheet's XML (`<row r="16" hidden="1">`), zero-based. Found by
/// looking for the word `hidden` and reading only the tags it stands in: the cells are not
/// parsed again, and each byte is looked at a bounded number of times whatever the text holds.
fn hidden_rows(xml: &[u8]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    // The `<` last seen before the word, and the one whose tag was read last.
    let mut open: Option<usize> = None;
    let mut read: Option<usize> = None;
    let mut searched = 0;
    for at in memchr::memmem::find_iter(xml, b"hidden") {
        // Text holds no `<` (it is escaped): the last one opens the tag the word is in.
        if let Some(i) = memchr::memrchr(b'<', &xml[searched..at]) {
            open = Some(searched + i);
        }
        searched = at;
        let Some(start) = open else {
            continue;
        };
        if read == Some(start) {
            continue; // the same tag, or the same text
        }
        read = Some(start);
        // The tag's end, before any other `<` (a damaged tag is no row): the bytes looked at
        // for one `<` are never looked at for another.
        let Some(len) = memchr::memchr2(b'>', b'<', &xml[start + 1..]) else {
            continue;
        };
        let end = start + 1 + len;
        if xml[end] != b'>' {
            continue;
        }
        let tag = &xml[start..=end];
        let name_end = tag
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(tag.len());
        let name = &tag[1..name_end];
        if name != b"row" && !name.ends_with(b":row") {
            continue;
        }
        let mut reader = Reader::from_reader(tag);
        let Ok(Event::Start(e) | Event::Empty(e)) = reader.read_event() else {
            continue;
        };
        if !hides(attr_of(&e, "hidden")) {
            continue;
        }
        match attr_of(&e, "r").and_then(|r| r.trim().parse::<u32>().ok()) {
            Some(r) if r >= 1 => out.push((r - 1, r - 1)),
            // Rows numbered by their place: count them all (rare; no writer jixiao knows).
            _ => return hidden_rows_counted(xml),
        }
    }
    out
}

/// The hidden rows of a worksheet's XML, every row read in order (for rows without `r`).
fn hidden_rows_counted(xml: &[u8]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut next = 0u32;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let row = attr_of(&e, "r")
                    .and_then(|r| r.trim().parse::<u32>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(next);
                if hides(attr_of(&e, "hidden")) {
                    out.push((row, row));
                }
                next = row.saturating_add(1);
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => return out,
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
    }
}

/// The hidden columns of a worksheet's XML (`<col min="4" max="4" hidden="1"/>` in
/// `<cols>`, before the cells), zero-based.
fn hidden_cols(xml: &[u8]) -> Vec<(u32, u32)> {
    let head_end = memchr::memmem::find(xml, b"sheetData").unwrap_or(xml.len());
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(&xml[..head_end]);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "col" => {
                let number = |name| {
                    attr_of(&e, name)
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .and_then(|n| n.checked_sub(1))
                };
                if hides(attr_of(&e, "hidden"))
                    && let (Some(min), Some(max)) = (number("min"), number("max"))
                {
                    out.push((min, max));
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
    }
}

/// The column widths (`<col min max width>`, `<sheetFormatPr defaultColWidth>`) and the
/// paper (`<pageSetup paperSize orientation>`) of a worksheet's XML.
fn print_setup(xml: &[u8]) -> PrintSetup {
    let mut out = PrintSetup::default();
    let hundredths = |v: Option<String>| {
        v.and_then(|v| v.trim().parse::<f32>().ok())
            .filter(|w| w.is_finite() && *w >= 0.0 && *w < 10_000.0)
            .map(|w| (w * 100.0).round() as u32)
    };
    let head_end = memchr::memmem::find(xml, b"sheetData").unwrap_or(xml.len());
    let mut reader = Reader::from_reader(&xml[..head_end]);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "col" => {
                    let number = |name| {
                        attr_of(&e, name)
                            .and_then(|v| v.trim().parse::<u32>().ok())
                            .and_then(|n| n.checked_sub(1))
                    };
                    if let (Some(min), Some(max), Some(w)) = (
                        number("min"),
                        number("max"),
                        hundredths(attr_of(&e, "width")),
                    ) {
                        out.widths.push((min, max, w));
                    }
                }
                "sheetFormatPr" => out.default_width = hundredths(attr_of(&e, "defaultColWidth")),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    if let Some(at) = memchr::memmem::rfind(xml, b"<pageSetup") {
        let mut reader = Reader::from_reader(&xml[at..]);
        buf.clear();
        if let Ok(Event::Start(e) | Event::Empty(e)) = reader.read_event_into(&mut buf) {
            out.paper = attr_of(&e, "paperSize").and_then(|v| v.trim().parse().ok());
            out.landscape = attr_of(&e, "orientation").map(|o| o.trim() == "landscape");
        }
    }
    out
}

/// The value of attribute `name` (by its local name) of an element.
fn attr_of(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// `Id` → `Target` of a relationships part.
fn relationships(rels: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr_of(&e, "Id"), attr_of(&e, "Target")) {
                    out.insert(id, target.replace('\\', "/"));
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
    }
}

/// The sheets of a workbook part in order: name and relationship id.
fn sheets_of(workbook: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(workbook);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                out.push((attr_of(&e, "name")?, attr_of(&e, "id")?));
            }
            Ok(Event::Eof) => return Some(out),
            Err(_) => return None,
            _ => {}
        }
    }
}

/// The merged regions of a worksheet's XML: the `<mergeCell ref>`s after its cells. Only the
/// end of the part is parsed (from the last `sheetData>`, the end of the cells); `None` when
/// a reference is not a range jixiao can read.
fn merges_in(xml: &[u8]) -> Option<Vec<Span>> {
    let tail_from = memchr_last(xml, b"sheetData>").unwrap_or(0);
    let tail = std::str::from_utf8(&xml[tail_from..]).ok()?;
    let mut out = Vec::new();
    let mut reader = Reader::from_str(tail);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(span) = attr_of(&e, "ref").and_then(|r| span_of(&r)) {
                    out.push(span);
                } else {
                    return None;
                }
            }
            Ok(Event::Eof) => return Some(out),
            // The end of the list, or the end of the part (`</worksheet>`, opened before the
            // tail): every merge is read.
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => return Some(out),
            Err(quick_xml::Error::IllFormed(
                quick_xml::errors::IllFormedError::UnmatchedEndTag(_),
            )) => return Some(out),
            Err(_) => return None,
            _ => {}
        }
    }
}

/// Where `needle` last starts in `haystack`.
fn memchr_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A range `A1:B2`, `$A$1:$B$2`, a whole-row `1:1` or a whole-column `J:J`.
fn span_of(range: &str) -> Option<Span> {
    let range = full_range(range).unwrap_or_else(|| range.to_string());
    let (first, last) = range.split_once(':').unwrap_or((&range, &range));
    Some((cell_of(first)?, cell_of(last)?))
}

/// `B3` (or `$B$3`) → (2, 1).
fn cell_of(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.replace('$', "");
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// `xml` with the `ref` of every whole-row or whole-column `<mergeCell>` made a cell range;
/// `None` when there is none.
fn fix_merges(xml: &str) -> Option<String> {
    const TAG: &str = "mergeCell";
    let mut out = String::new();
    let (mut copied, mut search) = (0, 0);
    while let Some(found) = xml[search..].find(TAG) {
        let at = search + found;
        search = at + TAG.len();
        let before = xml[..at].chars().next_back();
        let after = xml[search..].chars().next();
        if !matches!(before, Some('<' | ':'))
            || !after.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>')
        {
            continue;
        }
        let end = xml[at..].find('>').map_or(xml.len(), |e| at + e);
        if let Some((from, to)) = attribute(&xml[at..end], "ref")
            && let Some(range) = full_range(&xml[at + from..at + to])
        {
            out.push_str(&xml[copied..at + from]);
            out.push_str(&range);
            copied = at + to;
        }
        search = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&xml[copied..]);
    Some(out)
}

/// The byte range of the value of attribute `name` in the text of one tag.
fn attribute(tag: &str, name: &str) -> Option<(usize, usize)> {
    let mut search = 0;
    while let Some(found) = tag[search..].find(name) {
        let at = search + found;
        search = at + name.len();
        if !tag[..at].ends_with(char::is_whitespace) {
            continue;
        }
        let rest = tag[search..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let from = tag.len() - rest.len() + 1;
        let to = from + tag[from..].find(quote)?;
        return Some((from, to));
    }
    None
}

/// Excel 4.0 macro sheets, which calamine refuses, as dialog sheets, which it lists and
/// jixiao skips.
fn fix_macro_sheets(rels: &str) -> Option<String> {
    const DIALOG: &str =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/dialogsheet";
    const MACRO: [&str; 2] = [
        "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
        "http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet",
    ];
    MACRO.iter().any(|m| rels.contains(m)).then(|| {
        MACRO
            .iter()
            .fold(rels.to_string(), |text, m| text.replace(m, DIALOG))
    })
}

/// The part `name` holding `data`, rewritten as calamine can read it; `None` when it needs no
/// change.
fn fixed_part(name: &str, data: &[u8]) -> Option<Vec<u8>> {
    let transcoded = utf16_text(data);
    let was_utf16 = transcoded.is_some();
    let mut text = match transcoded {
        Some(t) => t,
        None => std::str::from_utf8(data).ok()?.to_string(),
    };
    let mut changed = was_utf16;
    if name.to_ascii_lowercase().ends_with(".rels")
        && let Some(t) = fix_macro_sheets(&text)
    {
        text = t;
        changed = true;
    }
    if let Some(t) = fix_merges(&text) {
        text = t;
        changed = true;
    }
    changed.then(|| text.into_bytes())
}

/// The package in `bytes` with every part calamine cannot read rewritten (see the module
/// documentation); `None` when no part needs it.
///
/// # Errors
/// [`SourceError`] for a damaged zip or oversized parts (as [`Package::check_parts`]).
pub fn normalised(bytes: &[u8]) -> Result<Option<Vec<u8>>, SourceError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
    let mut fixed: Vec<Option<Vec<u8>>> = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let name = name_of(&archive, i);
        let part = if is_xml(&name) && !name.ends_with('/') {
            fixed_part(&name, &read_index(&mut archive, i)?)
        } else {
            None
        };
        fixed.push(part);
    }
    if fixed.iter().all(Option::is_none) {
        return Ok(None);
    }
    let write_error = |e| SourceError::from(Damage::Rewrite(e));
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, part) in fixed.into_iter().enumerate() {
        match part {
            Some(data) => {
                let name = name_of(&archive, i);
                writer.start_file(name, stored).map_err(write_error)?;
                writer.write_all(&data).map_err(|e| write_error(e.into()))?;
            }
            None => {
                let raw = archive.by_index_raw(i).map_err(broken)?;
                writer.raw_copy_file(raw).map_err(write_error)?;
            }
        }
    }
    Ok(Some(writer.finish().map_err(write_error)?.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merges found by scanning each sheet's end are calamine's, for every workbook
    /// fixture written by openpyxl and the real forms' workbooks when they are there.
    #[test]
    fn scanned_merges_are_calamines() {
        use calamine::Reader as _;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut books = Vec::new();
        for dir in [
            "tests/fixtures/read",
            "tests/fixtures/variants",
            "samples",
            "../shared/real-forms",
        ] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            books.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "xlsx")),
            );
        }
        assert!(books.len() > 20, "{books:?}");
        for path in books {
            let bytes = std::fs::read(&path).unwrap();
            let mut package = Package::open(&bytes).unwrap();
            let main = package.main_document().unwrap().unwrap();
            let scanned = package
                .sheet_scans(&main)
                .unwrap_or_else(|| panic!("merges not scanned: {}", path.display()));
            let mut book = calamine::Xlsx::new(Cursor::new(&bytes[..])).unwrap();
            for name in book.sheet_names() {
                let mut want: Vec<Span> = book
                    .merge_cells_by_sheet_name(&name)
                    .unwrap()
                    .into_iter()
                    .map(|d| (d.start, d.end))
                    .collect();
                let mut got = scanned[&name]
                    .merges
                    .clone()
                    .unwrap_or_else(|| panic!("merges not scanned: {name}"));
                want.sort();
                got.sort();
                assert_eq!(got, want, "{}: {name}", path.display());
            }
        }
    }

    #[test]
    fn hidden_rows_and_columns_are_found() {
        let xml = br#"<worksheet><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="9"/><col min="4" max="5" hidden="1"/><x:col min="7" max="7" hidden="true" width="0"/><col min="8" max="8" hidden="0"/></cols><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden="1" in a text</t></is></c></row><row r="16" spans="1:8" hidden="1" customHeight="1"><c r="A16"/></row><x:row r="20" hidden="true"/><row r="21" hidden="0"/></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#;
        assert_eq!(hidden_rows(xml), [(15, 15), (19, 19)]);
        assert_eq!(hidden_cols(xml), [(3, 4), (6, 6)]);
        // Rows numbered by their place.
        let unnumbered = br#"<sheetData><row><c/></row><row hidden="1"/><row r="5"/><row hidden="1"/></sheetData>"#;
        assert_eq!(hidden_rows(unnumbered), [(1, 1), (5, 5)]);
        assert!(hidden_rows(b"<sheetData><row r=\"1\"/></sheetData>").is_empty());
        // Damaged or hostile text costs a look at each byte, not one per word found.
        let hostile = b"<row hidden=\"1\" r=\"".repeat(200_000);
        assert!(hidden_rows(&hostile).is_empty());
        let words = [
            b"<row r=\"3\" x=\"".as_slice(),
            &b"hidden".repeat(1_000_000),
        ]
        .concat();
        assert!(hidden_rows(&words).is_empty());
    }

    #[test]
    fn merge_references() {
        assert_eq!(span_of("B3:D5"), Some(((2, 1), (4, 3))));
        assert_eq!(span_of("$A$1:$I$1"), Some(((0, 0), (0, 8))));
        assert_eq!(span_of("1:1"), Some(((0, 0), (0, 16_383))));
        assert_eq!(span_of("J:J"), Some(((0, 9), (1_048_575, 9))));
        assert_eq!(span_of("A0:B1"), None);
        assert_eq!(span_of("AAAA1:B2"), None);
    }

    #[test]
    fn whole_rows_and_columns_become_cell_ranges() {
        let cases = [
            ("1:1", Some("A1:XFD1")),
            ("2:4", Some("A2:XFD4")),
            ("J:J", Some("J1:J1048576")),
            ("$B:$D", Some("B1:D1048576")),
            ("A1:H1", None),
            ("E2:E4", None),
            ("A:3", None),
            (":", None),
        ];
        for (range, want) in cases {
            assert_eq!(full_range(range).as_deref(), want, "{range}");
        }
        let xml = r#"<mergeCells count="3"><mergeCell ref="1:1"/><x:mergeCell  ref = 'J:J' /><mergeCell ref="E2:E4"/></mergeCells>"#;
        assert_eq!(
            fix_merges(xml).as_deref(),
            Some(
                r#"<mergeCells count="3"><mergeCell ref="A1:XFD1"/><x:mergeCell  ref = 'J1:J1048576' /><mergeCell ref="E2:E4"/></mergeCells>"#
            )
        );
        assert_eq!(fix_merges(r#"<mergeCell ref="A1:B2"/>"#), None);
        assert_eq!(fix_merges(r#"<c><v>mergeCell ref="1:1"</v></c>"#), None);
    }

    #[test]
    fn utf16_xml_becomes_utf8() {
        let xml = r#"<?xml version="1.0" encoding="UTF-16BE" standalone="yes"?><a>中文</a>"#;
        let be: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let want = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a>中文</a>"#;
        assert_eq!(utf16_text(&be).as_deref(), Some(want));
        assert_eq!(utf16_text(&le).as_deref(), Some(want));
        assert_eq!(utf16_text(xml.as_bytes()), None);
    }

    #[test]
    fn macro_sheets_become_dialog_sheets() {
        let rels = r#"<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/>"#;
        let fixed = fix_macro_sheets(rels).unwrap();
        assert!(fixed.contains("relationships/dialogsheet\""), "{fixed}");
        assert_eq!(fix_macro_sheets("<Relationships/>"), None);
    }
}
