//! `.xls` (BIFF8, Excel 97–2003): cells, number formats and merged regions, read sparsely.
//!
//! calamine's `Xls` builds a dense range of every sheet when the file is opened (and reserves
//! it from the sheet's own DIMENSIONS record) and does not expose number formats, so a
//! percent-formatted `1` could not be shown as `100%`. BIFF8 is read here record by record
//! instead; older BIFF5 files (Excel 95, at most 16 384 rows) still go through calamine.

use std::io::Cursor;

use calamine::Reader as _;
use rust_decimal::Decimal;

use super::cfb::Cfb;
use super::sheet::{NumFmt, Sheet, SheetBuilder, SheetError, Value};
use super::workbook::Failure;

/// Reads every worksheet of an `.xls` compound file.
///
/// # Errors
/// [`Failure`] for a damaged or encrypted file or an oversized sheet.
pub fn read(cfb: &Cfb<'_>, bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    let stream = cfb
        .stream("Workbook")
        .or_else(|| cfb.stream("Book"))
        .ok_or_else(|| Failure::Invalid("OLE 复合文档中没有工作簿数据".into()))?;
    let mut records = Records::new(&stream, 0);
    let Some(bof) = records.next() else {
        return Err(Failure::Invalid("工作簿数据为空".into()));
    };
    let version = bof.body.get(..2).map(|v| u16::from_le_bytes([v[0], v[1]]));
    match (bof.typ, version) {
        (0x0809, Some(0x0600)) => {}
        (0x0809, Some(0x0500)) => {
            // calamine is not hardened against damaged BIFF5: a panic is a damaged file.
            return std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_old(bytes)))
                .unwrap_or_else(|_| Err(Failure::Invalid(DAMAGED.into())));
        }
        _ => {
            return Err(Failure::Invalid(
                "Excel 95 之前的旧格式或已损坏，请在 Excel/WPS 中另存为 .xlsx".into(),
            ));
        }
    }
    Globals::read(&stream)?.sheets(&stream)
}

/// Reads a BIFF5 (Excel 5.0/95) workbook through calamine (no number formats; small by design).
fn read_old(bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    let invalid = |e: calamine::XlsError| match e {
        calamine::XlsError::Password => Failure::Encrypted,
        _ => Failure::Invalid(DAMAGED.into()),
    };
    let mut book = calamine::Xls::new(Cursor::new(bytes)).map_err(invalid)?;
    let names = super::workbook::worksheet_names(&book);
    let mut sheets = Vec::new();
    for name in names {
        let range = book.worksheet_range(&name).map_err(invalid)?;
        let mut builder = SheetBuilder::default();
        // `used_cells` counts from the range's own start.
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (row, col, data) in range.used_cells() {
            let (row, col) = (row as u32, col as u32);
            let value = match data {
                calamine::Data::Int(i) => Value::from_i64(*i, NumFmt::General, false),
                calamine::Data::Float(f) => Value::from_f64(*f, NumFmt::General, false),
                calamine::Data::String(s) => Value::Text(s.clone()),
                calamine::Data::Bool(b) => Value::Text(if *b { "TRUE" } else { "FALSE" }.into()),
                calamine::Data::DateTime(d) => {
                    Value::from_f64(d.as_f64(), NumFmt::Date { cjk: true }, false)
                }
                calamine::Data::Empty => continue,
                other => Value::Text(other.to_string()),
            };
            builder
                .push(r0 + row, c0 + col, value)
                .map_err(|e| Failure::sheet(&name, e))?;
        }
        for m in book.merge_cells_by_sheet_name(&name).unwrap_or_default() {
            builder
                .merge(m.start, m.end)
                .map_err(|e| Failure::sheet(&name, e))?;
        }
        sheets.push(builder.build(name));
    }
    Ok(sheets)
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
}

impl<'a> Bytes<'a> {
    fn new(record: &Record<'a>) -> Self {
        let mut parts = vec![record.body];
        parts.extend(record.continues.iter().copied());
        Bytes {
            parts,
            part: 0,
            pos: 0,
        }
    }

    fn at(body: &'a [u8], pos: usize) -> Self {
        Bytes {
            parts: vec![body],
            part: 0,
            pos,
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
    /// with a new flags byte (MS-XLS 2.4.58).
    fn chars(&mut self, count: usize, mut wide: bool) -> Option<String> {
        let mut units: Vec<u16> = Vec::with_capacity(count.min(8224));
        while units.len() < count {
            if self.pos >= self.parts.get(self.part)?.len() {
                self.part += 1;
                self.pos = 0;
                let flags = *self.parts.get(self.part)?.first()?;
                wide = flags & 1 == 1;
                self.pos = 1;
                continue;
            }
            let part = self.parts[self.part];
            if wide {
                let lo = *part.get(self.pos)?;
                let hi = *part.get(self.pos + 1)?;
                units.push(u16::from_le_bytes([lo, hi]));
                self.pos += 2;
            } else {
                units.push(u16::from(part[self.pos]));
                self.pos += 1;
            }
        }
        Some(String::from_utf16_lossy(&units))
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
    /// `(stream offset, name)` of every worksheet.
    sheets: Vec<(usize, String)>,
    strings: Vec<String>,
    /// Number format of every XF record.
    xf_formats: Vec<NumFmt>,
    is_1904: bool,
}

const DAMAGED: &str = "工作簿内容损坏";

impl Globals {
    fn read(stream: &[u8]) -> Result<Globals, Failure> {
        let damaged = |what: &str| Failure::Invalid(format!("{DAMAGED}：{what}"));
        let mut sheets = Vec::new();
        let mut strings = Vec::new();
        let mut formats: std::collections::HashMap<u16, NumFmt> = Default::default();
        let mut xf_ids: Vec<u16> = Vec::new();
        let mut is_1904 = false;
        for record in Records::new(stream, 0) {
            match record.typ {
                // FilePass: encrypted.
                0x002F => return Err(Failure::Encrypted),
                // DateMode.
                0x0022 => is_1904 = u16_at(record.body, 0) == Some(1),
                // Format.
                0x041E => {
                    let mut b = Bytes::new(&record);
                    let id = b.u16().ok_or_else(|| damaged("数字格式"))?;
                    let code = b.string(true).ok_or_else(|| damaged("数字格式"))?;
                    formats.insert(id, NumFmt::parse(&code));
                }
                // XF.
                0x00E0 => xf_ids.push(u16_at(record.body, 2).unwrap_or(0)),
                // BoundSheet8: only worksheets (dt = 0).
                0x0085 => {
                    let offset = u32_at(record.body, 0).ok_or_else(|| damaged("工作表目录"))?;
                    let kind = record.body.get(5).copied().unwrap_or(0);
                    let mut b = Bytes::at(record.body, 6);
                    let name = b.string(false).ok_or_else(|| damaged("工作表名"))?;
                    if kind == 0 {
                        sheets.push((offset as usize, name));
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
        let xf_formats = xf_ids
            .into_iter()
            .map(|id| formats.get(&id).copied().unwrap_or_else(|| builtin(id)))
            .collect();
        Ok(Globals {
            sheets,
            strings,
            xf_formats,
            is_1904,
        })
    }

    fn format(&self, xf: u16) -> NumFmt {
        self.xf_formats
            .get(xf as usize)
            .copied()
            .unwrap_or_default()
    }

    fn number(&self, xf: u16, f: f64) -> Value {
        Value::from_f64(f, self.format(xf), self.is_1904)
    }

    fn sheets(&self, stream: &[u8]) -> Result<Vec<Sheet>, Failure> {
        let mut out = Vec::new();
        for (offset, name) in &self.sheets {
            let sheet = self
                .sheet(stream, *offset, name)
                .map_err(|e| Failure::sheet(name, e))?;
            out.push(sheet);
        }
        Ok(out)
    }

    fn sheet(&self, stream: &[u8], offset: usize, name: &str) -> Result<Sheet, SheetError> {
        let mut b = SheetBuilder::default();
        let mut depth = 0usize;
        // The cell a FORMULA record with a string result is waiting for (STRING record next).
        let mut pending: Option<(u32, u32)> = None;
        for record in Records::new(stream, offset) {
            let d = record.body;
            let pos = || -> Option<(u32, u32, u16)> {
                Some((
                    u32::from(u16_at(d, 0)?),
                    u32::from(u16_at(d, 2)?),
                    u16_at(d, 4)?,
                ))
            };
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
                        b.push(r, c, Value::Text(s.clone()))?;
                    }
                }
                // Label, RString.
                0x0204 | 0x00D6 => {
                    if let Some((r, c, _)) = pos() {
                        let mut bytes = Bytes::new(&record);
                        bytes.skip(6);
                        if let Some(s) = bytes.string(true) {
                            b.push(r, c, Value::Text(s))?;
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
                        b.push(r, c, Value::Text(text.into()))?;
                    }
                }
                // Formula: the cached result.
                0x0006 => {
                    pending = None;
                    if let (Some((r, c, xf)), Some(v)) = (pos(), d.get(6..14)) {
                        if v[6] == 0xFF && v[7] == 0xFF {
                            match v[0] {
                                0 => pending = Some((r, c)),
                                1 => b.push(
                                    r,
                                    c,
                                    Value::Text(if v[2] == 1 { "TRUE" } else { "FALSE" }.into()),
                                )?,
                                2 => b.push(r, c, Value::Text(error_text(v[2]).into()))?,
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
                        && let Some(s) = Bytes::new(&record).string(true)
                    {
                        b.push(r, c, Value::Text(s))?;
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
        }
        Ok(b.build(name.to_string()))
    }

    /// An RK number (MS-XLS 2.5.217): a 30-bit integer or the high bits of a float, maybe
    /// divided by 100 — done in decimal so that `1895 / 100` is exactly `18.95`.
    fn rk(&self, xf: u16, rk: u32) -> Value {
        let fmt = self.format(xf);
        let cents = rk & 1 == 1;
        if rk & 2 == 2 {
            let i = i64::from((rk as i32) >> 2);
            return match fmt {
                NumFmt::Date { .. } if cents => {
                    Value::from_f64(i as f64 / 100.0, fmt, self.is_1904)
                }
                NumFmt::Date { .. } => Value::from_i64(i, fmt, self.is_1904),
                _ if cents => Value::Number(Decimal::new(i, 2).normalize(), fmt),
                _ => Value::Number(Decimal::from(i), fmt),
            };
        }
        let f = f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32);
        match (cents, Value::from_f64(f, fmt, self.is_1904)) {
            (true, Value::Number(d, fmt)) => {
                Value::Number((d / Decimal::ONE_HUNDRED).normalize(), fmt)
            }
            (true, _) => Value::from_f64(f / 100.0, fmt, self.is_1904),
            (false, v) => v,
        }
    }
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
            is_1904: false,
        }
    }

    #[test]
    fn rk_numbers_are_exact() {
        let g = globals(&[NumFmt::General, NumFmt::Percent(2)]);
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 1895 as an integer, divided by 100.
        let cents = ((1895u32) << 2) | 0b11;
        assert_eq!(g.rk(0, cents), Value::Number(d("18.95"), NumFmt::General));
        // 15 as an integer.
        assert_eq!(
            g.rk(0, (15 << 2) | 0b10),
            Value::Number(d("15"), NumFmt::General)
        );
        // 0.5 as the high bits of a float, in a percent format.
        let half = (0.5f64.to_bits() >> 32) as u32;
        assert_eq!(g.rk(1, half).display(), "50.00%");
        // A negative integer.
        assert_eq!(
            g.rk(0, ((-3i32 << 2) as u32) | 0b10),
            Value::Number(d("-3"), NumFmt::General)
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

    #[test]
    fn built_in_formats() {
        assert_eq!(builtin(9), NumFmt::Percent(0));
        assert_eq!(builtin(10), NumFmt::Percent(2));
        assert_eq!(builtin(2), NumFmt::Fixed(2));
        assert_eq!(builtin(0), NumFmt::General);
        assert_eq!(builtin(31), NumFmt::Date { cjk: true });
    }
}
