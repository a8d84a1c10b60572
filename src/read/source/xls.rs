//! `.xls`: Excel 97–2003 (BIFF8) and Excel 5.0/95 (BIFF5) workbooks — cells, number formats
//! and merged regions, read sparsely, record by record.
//!
//! Own code, not calamine's `Xls`, which builds a dense range of every sheet when the file is
//! opened (and reserves it from the sheet's own DIMENSIONS record: one stray cell at `IV65536`
//! makes 65 536 × 256 cells of 32 bytes, 512 MiB, where this reader keeps one), does not expose
//! number formats (a percent-formatted `1` could not be shown as `100%`, a `0.00` amount as
//! `18.950000`), and refuses BIFF5 files in code pages it does not know (Mac Central European,
//! Quattro Pro's: two of `../shared/realbooks-failures/`). The container around the stream is
//! the `cfb` crate's (see `source::compound_sheets`). Both versions are read here; they
//! differ in how text is stored (BIFF8: UTF-16 or Latin-1; BIFF5: bytes in the workbook's code
//! page) and in what BIFF5 lacks (shared strings, merged cells). Older versions (Excel 2.x–4.0)
//! are recognised and named, not read. Hidden sheets, rows and columns are marked as such.

use encoding_rs::Encoding;
use rust_decimal::Decimal;

use super::error::{Damage, Foreign, SourceError};
use crate::read::sheet::{Decoration, NumFmt, Sheet, SheetBuilder, SheetError, SheetValue};

/// Reads every worksheet of a BIFF5 or BIFF8 workbook stream: the `Workbook`/`Book` stream of
/// a compound file, or a bare stream as some writers save it.
///
/// # Errors
/// [`SourceError`] for a damaged or encrypted workbook, an older version, or an oversized
/// sheet.
pub fn read_stream(stream: &[u8]) -> Result<Vec<Sheet>, SourceError> {
    let Some(bof) = Records::new(stream, 0).next() else {
        return Err(Damage::EmptyStream.into());
    };
    let text = match (bof.typ, u16_at(bof.body, 0)) {
        (0x0809, Some(0x0600)) => Text::Unicode,
        // The code page comes in a CODEPAGE record of the globals; Windows-1252 until then.
        (0x0809, Some(0x0500)) => Text::Bytes(Some(encoding_rs::WINDOWS_1252)),
        (typ, _) => {
            return Err(match old_version(typ) {
                Some(version) => Foreign::OldExcel(version).into(),
                None => Damage::NotBiff.into(),
            });
        }
    };
    Globals::read(stream, text)?.sheets(stream)
}

/// The Excel version of a bare BIFF2–BIFF4 stream (no compound file), by the type of its
/// first record (BOF) and that record's length: `Excel 2.x`, `Excel 3.0`, `Excel 4.0`.
pub fn old_version_of(bytes: &[u8]) -> Option<&'static str> {
    let typ = u16_at(bytes, 0)?;
    let len = u16_at(bytes, 2)?;
    (4..=16).contains(&len).then(|| old_version(typ)).flatten()
}

fn old_version(typ: u16) -> Option<&'static str> {
    match typ {
        0x0009 => Some("Excel 2.x"),
        0x0209 => Some("Excel 3.0"),
        0x0409 => Some("Excel 4.0"),
        _ => None,
    }
}

/// How a workbook stores text.
#[derive(Debug, Clone, Copy)]
enum Text {
    /// BIFF8: UTF-16, or Latin-1 when compressed, with a flags byte.
    Unicode,
    /// BIFF5: bytes in the workbook's code page (`None`: one no decoder knows; its non-ASCII
    /// bytes are shown as U+FFFD).
    Bytes(Option<&'static Encoding>),
}

impl Text {
    fn decode(self, raw: &[u8]) -> String {
        match self {
            Text::Bytes(Some(encoding)) => encoding.decode_without_bom_handling(raw).0.into_owned(),
            _ => raw
                .iter()
                .map(|&b| {
                    if b.is_ascii() {
                        char::from(b)
                    } else {
                        '\u{FFFD}'
                    }
                })
                .collect(),
        }
    }
}

/// The decoder of a BIFF CODEPAGE value (MS-XLS 2.4.52).
fn code_page(value: u16) -> Option<&'static Encoding> {
    match value {
        // Mac Roman; Windows-1252 (BIFF2–3 writers and Quattro Pro); US-ASCII.
        0x8000 => Some(encoding_rs::MACINTOSH),
        0x8001 | 367 => Some(encoding_rs::WINDOWS_1252),
        value => codepage::to_encoding_no_replacement(value)
            .filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE),
    }
}

/// One BIFF record with the bodies of the CONTINUE records that follow it.
struct Record<'a> {
    typ: u16,
    body: &'a [u8],
    continues: Vec<&'a [u8]>,
    /// Offset of the record in the stream.
    offset: usize,
}

/// Iterates over the records of a stream from an offset; stops at the first damaged header.
struct Records<'a> {
    stream: &'a [u8],
    pos: usize,
}

impl<'a> Records<'a> {
    fn new(stream: &'a [u8], pos: usize) -> Self {
        Records { stream, pos }
    }

    fn header(&self, at: usize) -> Option<(u16, &'a [u8])> {
        let h = self.stream.get(at..at + 4)?;
        let typ = u16::from_le_bytes([h[0], h[1]]);
        let len = u16::from_le_bytes([h[2], h[3]]) as usize;
        Some((typ, self.stream.get(at + 4..at + 4 + len)?))
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let offset = self.pos;
        let (typ, body) = self.header(offset)?;
        self.pos += 4 + body.len();
        let mut continues = Vec::new();
        while let Some((0x003C, more)) = self.header(self.pos) {
            continues.push(more);
            self.pos += 4 + more.len();
        }
        Some(Record {
            typ,
            body,
            continues,
            offset,
        })
    }
}

/// Reads across a record and its CONTINUE records.
struct Bytes<'a> {
    parts: Vec<&'a [u8]>,
    part: usize,
    pos: usize,
    /// The UTF-16 units of the string being read, kept from one string to the next.
    units: Vec<u16>,
}

impl<'a> Bytes<'a> {
    fn new(record: &Record<'a>) -> Self {
        let mut parts = vec![record.body];
        parts.extend(record.continues.iter().copied());
        Bytes {
            parts,
            part: 0,
            pos: 0,
            units: Vec::new(),
        }
    }

    fn at(body: &'a [u8], pos: usize) -> Self {
        Bytes {
            parts: vec![body],
            part: 0,
            pos,
            units: Vec::new(),
        }
    }

    /// Moves to the next part when the current one is used up; false at the end.
    fn ready(&mut self) -> bool {
        while self.part < self.parts.len() && self.pos >= self.parts[self.part].len() {
            self.part += 1;
            self.pos = 0;
        }
        self.part < self.parts.len()
    }

    fn u8(&mut self) -> Option<u8> {
        if !self.ready() {
            return None;
        }
        let b = self.parts[self.part][self.pos];
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }

    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            if !self.ready() {
                return None;
            }
            let take = n.min(self.parts[self.part].len() - self.pos);
            self.pos += take;
            n -= take;
        }
        Some(())
    }

    /// `count` characters; a string that crosses into a CONTINUE record starts that record
    /// with a new flags byte (MS-XLS 2.4.58). The characters of one record are taken as a run.
    fn chars(&mut self, count: usize, mut wide: bool) -> Option<String> {
        // The units of one string, in a buffer kept for the next (the shared strings are read
        // one after another from one `Bytes`).
        let mut units = std::mem::take(&mut self.units);
        units.clear();
        let text = self.units_into(count, &mut wide, &mut units).map(|()| {
            let mut text = String::with_capacity(units.len());
            text.extend(char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{FFFD}')));
            text
        });
        self.units = units;
        text
    }

    /// Reads `count` UTF-16 units of a string into `units` (see [`Bytes::chars`]).
    fn units_into(&mut self, count: usize, wide: &mut bool, units: &mut Vec<u16>) -> Option<()> {
        units.reserve(count.min(8224));
        while units.len() < count {
            let part = *self.parts.get(self.part)?;
            if self.pos >= part.len() {
                self.part += 1;
                let flags = *self.parts.get(self.part)?.first()?;
                *wide = flags & 1 == 1;
                self.pos = 1;
                continue;
            }
            let want = count - units.len();
            let rest = &part[self.pos..];
            if *wide {
                // A character cut in half by the end of a record: damaged.
                let n = want.min(rest.len() / 2);
                if n == 0 {
                    return None;
                }
                units.extend(
                    rest[..2 * n]
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]])),
                );
                self.pos += 2 * n;
            } else {
                let n = want.min(rest.len());
                units.extend(rest[..n].iter().map(|&b| u16::from(b)));
                self.pos += n;
            }
        }
        Some(())
    }

    /// An XLUnicodeString (`long`: 16-bit count) or ShortXLUnicodeString (8-bit count).
    fn string(&mut self, long: bool) -> Option<String> {
        let count = if long {
            self.u16()? as usize
        } else {
            self.u8()? as usize
        };
        let flags = self.u8()?;
        self.chars(count, flags & 1 == 1)
    }

    /// `n` bytes, across CONTINUE records.
    fn take(&mut self, n: usize) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(n.min(8224));
        while out.len() < n {
            if !self.ready() {
                return None;
            }
            let part = self.parts[self.part];
            let take = (n - out.len()).min(part.len() - self.pos);
            out.extend_from_slice(&part[self.pos..self.pos + take]);
            self.pos += take;
        }
        Some(out)
    }

    /// A string as `text` stores it, with a 16-bit (`long`) or 8-bit count.
    fn text(&mut self, long: bool, text: Text) -> Option<String> {
        match text {
            Text::Unicode => self.string(long),
            Text::Bytes(_) => {
                let count = if long {
                    self.u16()? as usize
                } else {
                    self.u8()? as usize
                };
                Some(text.decode(&self.take(count)?))
            }
        }
    }

    /// An XLUnicodeRichExtendedString (shared strings).
    fn rich_string(&mut self) -> Option<String> {
        let count = self.u16()? as usize;
        let flags = self.u8()?;
        let runs = if flags & 0x08 != 0 { self.u16()? } else { 0 };
        let ext = if flags & 0x04 != 0 { self.u32()? } else { 0 };
        let text = self.chars(count, flags & 1 == 1)?;
        self.skip(runs as usize * 4)?;
        self.skip(ext as usize)?;
        Some(text)
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn f64_at(data: &[u8], at: usize) -> Option<f64> {
    Some(f64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

/// The workbook globals: sheets, shared strings, number formats.
struct Globals {
    /// `(stream offset, name, hidden)` of every worksheet.
    sheets: Vec<(usize, String, bool)>,
    strings: Vec<String>,
    /// Number format of every XF record.
    xf_formats: Vec<NumFmt>,
    /// What the number format of every XF record writes besides the number.
    xf_decorations: Vec<Option<Decoration>>,
    is_1904: bool,
    text: Text,
}

impl Globals {
    fn read(stream: &[u8], mut text: Text) -> Result<Globals, SourceError> {
        let damaged = |what: &'static str| SourceError::from(Damage::Record(what));
        let mut sheets = Vec::new();
        let mut strings = Vec::new();
        let mut formats: std::collections::HashMap<u16, (NumFmt, Option<Decoration>)> =
            Default::default();
        let mut xf_ids: Vec<u16> = Vec::new();
        let mut is_1904 = false;
        for record in Records::new(stream, 0) {
            match record.typ {
                // FilePass: encrypted.
                0x002F => return Err(SourceError::Encrypted),
                // DateMode.
                0x0022 => is_1904 = u16_at(record.body, 0) == Some(1),
                // CodePage: how BIFF5 text is stored.
                0x0042 => {
                    if let (Text::Bytes(_), Some(value)) = (text, u16_at(record.body, 0)) {
                        text = Text::Bytes(code_page(value));
                    }
                }
                // Format.
                0x041E => {
                    let mut b = Bytes::new(&record);
                    let id = b.u16().ok_or_else(|| damaged("数字格式"))?;
                    let long = matches!(text, Text::Unicode);
                    let code = b.text(long, text).ok_or_else(|| damaged("数字格式"))?;
                    formats.insert(id, (NumFmt::parse(&code), Decoration::parse(&code)));
                }
                // XF.
                0x00E0 => xf_ids.push(u16_at(record.body, 2).unwrap_or(0)),
                // BoundSheet8: only worksheets (dt = 0); hsState 1 hidden, 2 very hidden.
                0x0085 => {
                    let offset = u32_at(record.body, 0).ok_or_else(|| damaged("工作表目录"))?;
                    let hidden = record.body.get(4).is_some_and(|state| state & 0x03 != 0);
                    let kind = record.body.get(5).copied().unwrap_or(0);
                    let mut b = Bytes::at(record.body, 6);
                    let name = b.text(false, text).ok_or_else(|| damaged("工作表名"))?;
                    if kind == 0 {
                        sheets.push((offset as usize, name, hidden));
                    }
                }
                // SST.
                0x00FC => {
                    let mut b = Bytes::new(&record);
                    b.skip(4);
                    let unique = b.u32().unwrap_or(0) as usize;
                    strings.reserve(unique.min(record.body.len()));
                    for _ in 0..unique {
                        match b.rich_string() {
                            Some(s) => strings.push(s),
                            None => break,
                        }
                    }
                }
                // EOF of the globals.
                0x000A => break,
                _ => {}
            }
        }
        let (xf_formats, xf_decorations) = xf_ids
            .into_iter()
            .map(|id| match formats.get(&id) {
                Some((fmt, decoration)) => (*fmt, decoration.clone()),
                None => (builtin(id), None),
            })
            .unzip();
        Ok(Globals {
            sheets,
            strings,
            xf_formats,
            xf_decorations,
            is_1904,
            text,
        })
    }

    fn format(&self, xf: u16) -> NumFmt {
        self.xf_formats
            .get(xf as usize)
            .copied()
            .unwrap_or_default()
    }

    fn number(&self, xf: u16, f: f64) -> SheetValue {
        self.decorated(xf, SheetValue::from_f64(f, self.format(xf), self.is_1904))
    }

    /// A number as its format shows it, when the format writes more than the number.
    fn decorated(&self, xf: u16, value: SheetValue) -> SheetValue {
        match (value, self.xf_decorations.get(xf as usize)) {
            (SheetValue::Number(d, fmt), Some(Some(decoration))) => decoration.show(d, fmt),
            (value, _) => value,
        }
    }

    fn sheets(&self, stream: &[u8]) -> Result<Vec<Sheet>, SourceError> {
        let mut out = Vec::new();
        for (offset, name, hidden) in &self.sheets {
            let sheet = self
                .sheet(stream, *offset, name, *hidden)
                .map_err(|e| SourceError::sheet(name, e))?;
            out.push(sheet);
        }
        Ok(out)
    }

    fn sheet(
        &self,
        stream: &[u8],
        offset: usize,
        name: &str,
        hidden: bool,
    ) -> Result<Sheet, SheetError> {
        let mut b = SheetBuilder::default();
        if hidden {
            b.hide_sheet();
        }
        let mut depth = 0usize;
        // The cell a FORMULA record with a string result is waiting for (STRING record next).
        let mut pending: Option<(u32, u32)> = None;
        for record in Records::new(stream, offset) {
            match record.typ {
                // BOF of an embedded substream (a chart): skipped up to its EOF.
                0x0809 if record.offset != offset => depth += 1,
                0x0809 => {}
                0x000A => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                _ if depth > 0 => {}
                // Row, ColInfo, MergeCells.
                0x0208 | 0x007D | 0x00E5 => layout_record(&record, &mut b)?,
                _ => self.cell_record(&record, &mut b, &mut pending)?,
            }
        }
        Ok(b.build(name.to_string()))
    }

    /// A record that gives a cell its value (a number, a string, a formula's cached result),
    /// pushed into `b`; `pending` is the cell a FORMULA record with a string result waits
    /// for. Other records are passed over.
    fn cell_record(
        &self,
        record: &Record<'_>,
        b: &mut SheetBuilder,
        pending: &mut Option<(u32, u32)>,
    ) -> Result<(), SheetError> {
        let d = record.body;
        let pos = || -> Option<(u32, u32, u16)> {
            Some((
                u32::from(u16_at(d, 0)?),
                u32::from(u16_at(d, 2)?),
                u16_at(d, 4)?,
            ))
        };
        match record.typ {
            // Number.
            0x0203 => {
                if let (Some((r, c, xf)), Some(f)) = (pos(), f64_at(d, 6)) {
                    b.push(r, c, self.number(xf, f))?;
                }
            }
            // RK.
            0x027E => {
                if let (Some((r, c, xf)), Some(rk)) = (pos(), u32_at(d, 6)) {
                    b.push(r, c, self.rk(xf, rk))?;
                }
            }
            // MulRk: row, first column, (xf, rk)…, last column.
            0x00BD => {
                if let (Some(r), Some(c0)) = (u16_at(d, 0), u16_at(d, 2)) {
                    let items = d.len().saturating_sub(6) / 6;
                    for i in 0..items {
                        let at = 4 + i * 6;
                        if let (Some(xf), Some(rk)) = (u16_at(d, at), u32_at(d, at + 2)) {
                            b.push(u32::from(r), u32::from(c0) + i as u32, self.rk(xf, rk))?;
                        }
                    }
                }
            }
            // LabelSst.
            0x00FD => {
                if let (Some((r, c, _)), Some(i)) = (pos(), u32_at(d, 6))
                    && let Some(s) = self.strings.get(i as usize)
                {
                    b.push(r, c, SheetValue::Text(s.clone()))?;
                }
            }
            // Label, RString.
            0x0204 | 0x00D6 => {
                if let Some((r, c, _)) = pos() {
                    let mut bytes = Bytes::new(record);
                    bytes.skip(6);
                    if let Some(s) = bytes.text(true, self.text) {
                        b.push(r, c, SheetValue::Text(s))?;
                    }
                }
            }
            // BoolErr.
            0x0205 => {
                if let (Some((r, c, _)), Some(v), Some(is_err)) = (pos(), d.get(6), d.get(7)) {
                    let text = if *is_err == 1 {
                        error_text(*v)
                    } else if *v == 1 {
                        "TRUE"
                    } else {
                        "FALSE"
                    };
                    b.push(r, c, SheetValue::Text(text.into()))?;
                }
            }
            // Formula: the cached result.
            0x0006 => {
                *pending = None;
                if let (Some((r, c, xf)), Some(v)) = (pos(), d.get(6..14)) {
                    if v[6] == 0xFF && v[7] == 0xFF {
                        match v[0] {
                            0 => *pending = Some((r, c)),
                            1 => b.push(
                                r,
                                c,
                                SheetValue::Text(if v[2] == 1 { "TRUE" } else { "FALSE" }.into()),
                            )?,
                            2 => b.push(r, c, SheetValue::Text(error_text(v[2]).into()))?,
                            _ => {}
                        }
                    } else if let Some(f) = f64_at(d, 6) {
                        b.push(r, c, self.number(xf, f))?;
                    }
                }
            }
            // String: the text result of the formula before it.
            0x0207 => {
                if let Some((r, c)) = pending.take()
                    && let Some(s) = Bytes::new(record).text(true, self.text)
                {
                    b.push(r, c, SheetValue::Text(s))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An RK number (MS-XLS 2.5.217): a 30-bit integer or the high bits of a float, maybe
    /// divided by 100 — done in decimal so that `1895 / 100` is exactly `18.95`.
    fn rk(&self, xf: u16, rk: u32) -> SheetValue {
        self.decorated(xf, self.rk_number(xf, rk))
    }

    /// [`Globals::rk`] before its format's decoration.
    fn rk_number(&self, xf: u16, rk: u32) -> SheetValue {
        let fmt = self.format(xf);
        let cents = rk & 1 == 1;
        if rk & 2 == 2 {
            let i = i64::from((rk as i32) >> 2);
            return match fmt {
                NumFmt::Date { .. } if cents => {
                    SheetValue::from_f64(i as f64 / 100.0, fmt, self.is_1904)
                }
                NumFmt::Date { .. } => SheetValue::from_i64(i, fmt, self.is_1904),
                _ if cents => SheetValue::Number(Decimal::new(i, 2).normalize(), fmt),
                _ => SheetValue::Number(Decimal::from(i), fmt),
            };
        }
        let f = f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32);
        match (cents, SheetValue::from_f64(f, fmt, self.is_1904)) {
            (true, SheetValue::Number(d, fmt)) => {
                SheetValue::Number((d / Decimal::ONE_HUNDRED).normalize(), fmt)
            }
            (true, _) => SheetValue::from_f64(f / 100.0, fmt, self.is_1904),
            (false, v) => v,
        }
    }
}

/// A record of the sheet's layout: a hidden row (ROW), hidden columns (COLINFO), merged
/// regions (MERGECELLS), marked in `b`.
fn layout_record(record: &Record<'_>, b: &mut SheetBuilder) -> Result<(), SheetError> {
    let d = record.body;
    match record.typ {
        // Row: fDyZero (bit 5 of the flags) hides it.
        0x0208 => {
            if let (Some(r), Some(flags)) = (u16_at(d, 0), u16_at(d, 12))
                && flags & 0x0020 != 0
            {
                b.hide_rows(u32::from(r), u32::from(r));
            }
        }
        // ColInfo: columns colFirst..=colLast, fHidden (bit 0 of the flags).
        0x007D => {
            if let (Some(first), Some(last), Some(flags)) =
                (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
                && flags & 0x0001 != 0
            {
                b.hide_cols(u32::from(first), u32::from(last));
            }
        }
        // MergeCells.
        0x00E5 => {
            let count = u16_at(d, 0).unwrap_or(0) as usize;
            for i in 0..count {
                let at = 2 + i * 8;
                if let (Some(r1), Some(r2), Some(c1), Some(c2)) = (
                    u16_at(d, at),
                    u16_at(d, at + 2),
                    u16_at(d, at + 4),
                    u16_at(d, at + 6),
                ) {
                    b.merge(
                        (u32::from(r1), u32::from(c1)),
                        (u32::from(r2), u32::from(c2)),
                    )?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        0x2A => "#N/A",
        _ => "#ERROR!",
    }
}

/// The built-in number formats (MS-XLS 2.4.126, with the Chinese locale's date formats).
fn builtin(id: u16) -> NumFmt {
    match id {
        1 | 3 | 5 | 6 | 37 | 38 | 41 | 42 => NumFmt::Fixed(0),
        2 | 4 | 7 | 8 | 11 | 39 | 40 | 43 | 44 => NumFmt::Fixed(2),
        9 => NumFmt::Percent(0),
        10 => NumFmt::Percent(2),
        14..=17 | 22 => NumFmt::Date { cjk: false },
        27..=36 | 50..=58 => NumFmt::Date { cjk: true },
        _ => NumFmt::General,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globals(formats: &[NumFmt]) -> Globals {
        Globals {
            sheets: Vec::new(),
            strings: Vec::new(),
            xf_formats: formats.to_vec(),
            xf_decorations: Vec::new(),
            is_1904: false,
            text: Text::Unicode,
        }
    }

    #[test]
    fn rk_numbers_are_exact() {
        let g = globals(&[NumFmt::General, NumFmt::Percent(2)]);
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 1895 as an integer, divided by 100.
        let cents = ((1895u32) << 2) | 0b11;
        assert_eq!(
            g.rk(0, cents),
            SheetValue::Number(d("18.95"), NumFmt::General)
        );
        // 15 as an integer.
        assert_eq!(
            g.rk(0, (15 << 2) | 0b10),
            SheetValue::Number(d("15"), NumFmt::General)
        );
        // 0.5 as the high bits of a float, in a percent format.
        let half = (0.5f64.to_bits() >> 32) as u32;
        assert_eq!(g.rk(1, half).display(), "50.00%");
        // A negative integer.
        assert_eq!(
            g.rk(0, ((-3i32 << 2) as u32) | 0b10),
            SheetValue::Number(d("-3"), NumFmt::General)
        );
    }

    #[test]
    fn strings_continue_across_records() {
        // A 5-character string: 2 compressed characters, then a CONTINUE record that switches
        // to UTF-16 for the last 3.
        let mut body = vec![5, 0, 0];
        body.extend(b"ab");
        let mut more = vec![1];
        for c in "中文字".encode_utf16() {
            more.extend(c.to_le_bytes());
        }
        let record = Record {
            typ: 0x00FC,
            body: &body,
            continues: vec![&more],
            offset: 0,
        };
        assert_eq!(
            Bytes::new(&record).string(true).as_deref(),
            Some("ab中文字")
        );
        // Damaged: the count says more than there is.
        let short = [9u8, 0, 0, b'a'];
        let record = Record {
            typ: 0x0204,
            body: &short,
            continues: Vec::new(),
            offset: 0,
        };
        assert_eq!(Bytes::new(&record).string(true), None);
    }

    /// A character outside the Basic Multilingual Plane split over a CONTINUE record, and a
    /// lone surrogate: read as `String::from_utf16_lossy` reads them.
    #[test]
    fn surrogates_across_records() {
        let units: Vec<u16> = "𠀀a".encode_utf16().chain([0xD800, 0x41]).collect();
        let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        // Count 5, wide; the first unit (the lead surrogate) in the record, the rest after.
        let mut body = vec![5, 0, 1];
        body.extend(&bytes[..2]);
        let mut more = vec![1];
        more.extend(&bytes[2..]);
        let record = Record {
            typ: 0x00FC,
            body: &body,
            continues: vec![&more],
            offset: 0,
        };
        let mut b = Bytes::new(&record);
        assert_eq!(b.string(true), Some(String::from_utf16_lossy(&units)));
        assert!(b.units.capacity() >= 5);
    }

    /// A record: type, length, body.
    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn biff5_text_is_read_in_its_code_page() {
        let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
        let name = gbk("自评表");
        // Globals: BOF (BIFF5, workbook globals), CODEPAGE 936, BOUNDSHEET, EOF.
        let mut globals = record(0x0809, &[0x00, 0x05, 0x05, 0x00]);
        globals.extend(record(0x0042, &936u16.to_le_bytes()));
        let bound_sheet = |offset: u32| {
            let mut body = offset.to_le_bytes().to_vec();
            body.extend([0, 0, name.len() as u8]);
            body.extend(&name);
            record(0x0085, &body)
        };
        let globals_len = globals.len() + bound_sheet(0).len() + 4;
        globals.extend(bound_sheet(globals_len as u32));
        globals.extend(record(0x000A, &[]));
        // The sheet: BOF, LABEL "项目名称" at A1, NUMBER 18.95 at B2, EOF.
        let mut sheet = record(0x0809, &[0x00, 0x05, 0x10, 0x00]);
        let text = gbk("项目名称");
        let mut label = vec![0, 0, 0, 0, 0, 0];
        label.extend((text.len() as u16).to_le_bytes());
        label.extend(&text);
        sheet.extend(record(0x0204, &label));
        let mut number = vec![1, 0, 1, 0, 0, 0];
        number.extend(18.95f64.to_le_bytes());
        sheet.extend(record(0x0203, &number));
        sheet.extend(record(0x000A, &[]));
        let stream = [globals, sheet].concat();
        let sheets = read_stream(&stream).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].name, "自评表");
        let values: Vec<String> = sheets[0]
            .cells()
            .iter()
            .map(|c| c.value.display())
            .collect();
        assert_eq!(values, ["项目名称", "18.95"]);
    }

    #[test]
    fn hidden_sheets_rows_and_columns() {
        // Globals: BOF (BIFF8), BOUNDSHEET of a hidden and a shown sheet, EOF.
        let bound_sheet = |offset: u32, state: u8, name: &str| {
            let mut body = offset.to_le_bytes().to_vec();
            body.extend([state, 0, name.len() as u8, 0]);
            body.extend(name.as_bytes());
            record(0x0085, &body)
        };
        let bof = record(0x0809, &[0x00, 0x06, 0x05, 0x00]);
        let globals_len = bof.len() + bound_sheet(0, 0, "old").len() * 2 + 4;
        // A sheet: BOF, ROW 1 hidden, COLINFO B:C hidden, three labels, EOF.
        let mut sheet = record(0x0809, &[0x00, 0x06, 0x10, 0x00]);
        let mut row = vec![1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];
        row.extend(0x0120u16.to_le_bytes());
        row.extend(0x0F00u16.to_le_bytes());
        sheet.extend(record(0x0208, &row));
        let mut colinfo = vec![1, 0, 2, 0, 0, 9, 0x0F, 0];
        colinfo.extend(1u16.to_le_bytes());
        colinfo.extend([0, 0]);
        sheet.extend(record(0x007D, &colinfo));
        for (r, c) in [(0u16, 0u16), (0, 1), (1, 0)] {
            let mut label = [r.to_le_bytes(), c.to_le_bytes(), [0, 0]].concat();
            label.extend([1, 0, 0, b'x']);
            sheet.extend(record(0x0204, &label));
        }
        sheet.extend(record(0x000A, &[]));
        let first = globals_len as u32;
        let second = first + sheet.len() as u32;
        let mut stream = bof;
        stream.extend(bound_sheet(first, 1, "old"));
        stream.extend(bound_sheet(second, 0, "new"));
        stream.extend(record(0x000A, &[]));
        assert_eq!(stream.len(), globals_len);
        stream.extend(&sheet);
        stream.extend(&sheet);
        let sheets = read_stream(&stream).unwrap();
        assert_eq!(
            sheets
                .iter()
                .map(|s| (s.name.as_str(), s.hidden.sheet))
                .collect::<Vec<_>>(),
            [("old", true), ("new", false)]
        );
        let s = &sheets[1];
        assert_eq!(s.hidden.rows.iter().collect::<Vec<_>>(), [(1, 1)]);
        assert_eq!(s.hidden.cols.iter().collect::<Vec<_>>(), [(1, 2)]);
        assert_eq!(s.cells().len(), 1);
        assert_eq!(s.unread.len(), 2);
    }

    #[test]
    fn older_versions_are_named() {
        assert_eq!(
            old_version_of(&[0x09, 0x00, 0x04, 0x00, 7, 0, 0x10, 0]),
            Some("Excel 2.x")
        );
        assert_eq!(
            old_version_of(&[0x09, 0x02, 0x06, 0x00, 0, 0]),
            Some("Excel 3.0")
        );
        assert_eq!(
            old_version_of(&[0x09, 0x04, 0x06, 0x00, 0, 0]),
            Some("Excel 4.0")
        );
        assert_eq!(old_version_of(b"ID;PWXL"), None);
        assert!(matches!(
            read_stream(&record(0x0409, &[0, 0, 0x10, 0, 0, 0])),
            Err(SourceError::Foreign(Foreign::OldExcel("Excel 4.0")))
        ));
    }

    #[test]
    fn built_in_formats() {
        assert_eq!(builtin(9), NumFmt::Percent(0));
        assert_eq!(builtin(10), NumFmt::Percent(2));
        assert_eq!(builtin(2), NumFmt::Fixed(2));
        assert_eq!(builtin(0), NumFmt::General);
        assert_eq!(builtin(31), NumFmt::Date { cjk: true });
    }
}
