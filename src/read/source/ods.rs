//! `.ods` (OpenDocument spreadsheet): cells and merged regions from `content.xml`, sparsely.
//!
//! Repeated empty rows and cells (`number-rows-repeated`, `number-columns-repeated`) only
//! move the position; merges come from `number-columns-spanned` / `number-rows-spanned`.
//! A number keeps the value of `office:value` (decimal text, never an `f64`) and the number
//! of decimals the cell displays. Rows and columns whose `table:visibility` is `collapse` or
//! `filter` are hidden, and so is a table whose style says `table:display="false"`.
//!
//! Own code, not calamine's `Ods`: it gives no merged regions (a form is read through its
//! merges), keeps `office:value` only (not what the cell shows: `18.9500` for 189500, `≤19万元`
//! for 19, which a filer reads and the form must too), and builds a dense range of the used
//! area (a stray cell at `XFD1048576` is 17 billion cells) where this reader keeps one.

use std::collections::HashSet;
use std::str::FromStr;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use rust_decimal::Decimal;

use super::error::{Damage, SourceError};
use super::package::Package;
use crate::read::sheet::{NumFmt, Sheet, SheetBuilder, SheetError, SheetValue, as_stored};

/// The sheets of an OpenDocument spreadsheet held in `package`.
///
/// # Errors
/// [`SourceError::Encrypted`] for a password-protected document, [`SourceError`] for a
/// damaged one or a sheet too large to be a form.
pub fn read_package(package: &mut Package<'_>) -> Result<Vec<Sheet>, SourceError> {
    // A password-protected document keeps its parts encrypted and says so in its manifest.
    if let Some(manifest) = package.read("META-INF/manifest.xml")?
        && String::from_utf8_lossy(&manifest).contains("encryption-data")
    {
        return Err(SourceError::Encrypted);
    }
    let content = package.read("content.xml")?.ok_or(Damage::NoContentPart)?;
    let text = std::str::from_utf8(&content).map_err(|source| Damage::NotUtf8 {
        part: "content.xml".to_string(),
        source,
    })?;
    read(text)
}

/// Reads every sheet of an ODS document from the text of its `content.xml`.
///
/// # Errors
/// [`SourceError`] for XML that is not well formed or a sheet that is too large.
pub fn read(content: &str) -> Result<Vec<Sheet>, SourceError> {
    let mut reader = Reader::from_str(content);
    let mut doc = Document::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| SourceError::from(Damage::ContentXml(e)))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => doc.start(&e),
            Event::Empty(e) => doc.empty(&e)?,
            Event::End(e) => doc.end(local(e.name().0))?,
            Event::Text(t) if doc.skip == 0 => doc.push_text(&t.xml10_content()),
            Event::CData(t) if doc.skip == 0 => doc.push_text(&t.xml10_content()),
            Event::GeneralRef(r) if doc.skip == 0 => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(ch)) => Some(ch),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(ch) = ch {
                    doc.push_text(ch.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
    }
    Ok(doc.sheets)
}

/// Where the reading of `content.xml` stands.
#[derive(Default)]
struct Document {
    /// The sheets read so far.
    sheets: Vec<Sheet>,
    /// The table being read.
    table: Option<Table>,
    /// The cell being read.
    cell: Option<CellState>,
    /// Depth inside an annotation (comment) of a cell, whose text is not the cell's.
    skip: usize,
    /// The table style being read.
    style: Option<String>,
    /// The table styles that hide their tables.
    hiding_styles: HashSet<String>,
}

impl Document {
    /// An element opened (`<x …>`).
    fn start(&mut self, e: &BytesStart<'_>) {
        let name = local(e.name().0);
        if self.skip > 0 {
            self.skip += 1;
            return;
        }
        if self.read_either(name, e) {
            return;
        }
        match name {
            "table" => self.table = Some(Table::new(e, &self.hiding_styles)),
            "style" => self.style = table_style(e),
            "table-row" => {
                if let Some(t) = self.table.as_mut() {
                    t.start_row(e);
                }
            }
            "table-cell" | "covered-table-cell" => {
                self.cell = Some(CellState::new(e, name == "covered-table-cell"));
            }
            "annotation" => self.skip = 1,
            "p" | "h" => {
                if let Some(c) = self.cell.as_mut() {
                    c.start_paragraph();
                }
            }
            _ => {}
        }
    }

    /// An element without content (`<x …/>`).
    fn empty(&mut self, e: &BytesStart<'_>) -> Result<(), SourceError> {
        if self.skip > 0 {
            return Ok(());
        }
        let name = local(e.name().0);
        if self.read_either(name, e) {
            return Ok(());
        }
        match name {
            "table-row" => {
                if let Some(t) = self.table.as_mut() {
                    t.start_row(e);
                    t.end_row()
                        .map_err(|err| SourceError::sheet(&t.name, err))?;
                }
            }
            "table-cell" | "covered-table-cell" => {
                let covered = name == "covered-table-cell";
                if let Some(t) = self.table.as_mut() {
                    t.add_cell(CellState::new(e, covered));
                }
            }
            "s" => {
                let n = attr(e, "c")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1);
                if let Some(c) = self.cell.as_mut() {
                    c.text.extend(std::iter::repeat_n(' ', n.min(1000)));
                }
            }
            "tab" => self.push_text("\t"),
            "line-break" => self.push_text("\n"),
            "p" | "h" => {
                if let Some(c) = self.cell.as_mut() {
                    c.start_paragraph();
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// An element closed (`</x>`), by its local name.
    fn end(&mut self, name: &str) -> Result<(), SourceError> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        match name {
            "style" => self.style = None,
            "table-cell" | "covered-table-cell" => {
                if let (Some(t), Some(c)) = (self.table.as_mut(), self.cell.take()) {
                    t.add_cell(c);
                }
            }
            "table-row" => {
                if let Some(t) = self.table.as_mut() {
                    t.end_row()
                        .map_err(|err| SourceError::sheet(&t.name, err))?;
                }
            }
            "table" => {
                if let Some(t) = self.table.take() {
                    self.sheets.push(t.builder.build(t.name));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Text of the cell being read.
    fn push_text(&mut self, text: &str) {
        if let Some(c) = self.cell.as_mut() {
            c.text.push_str(text);
        }
    }

    /// Reads the elements that mean the same with content or without (`<x/>` or
    /// `<x>…</x>`): a table style's properties (whether it hides its tables) and a column.
    /// True when `name` was one of them.
    fn read_either(&mut self, name: &str, e: &BytesStart<'_>) -> bool {
        match name {
            "table-properties" => {
                if let Some(name) = hiding(e, self.style.as_ref()) {
                    self.hiding_styles.insert(name);
                }
            }
            "table-column" => {
                if let Some(t) = self.table.as_mut() {
                    t.add_column(e);
                }
            }
            _ => return false,
        }
        true
    }
}

/// The local part of a qualified name: `table:table-cell` → `table-cell`.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// The value of the attribute whose local name is `name`.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local(a.key.0) == name)
        .and_then(|a| {
            quick_xml::escape::unescape(&a.value)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The name of a table style (`<style:style style:family="table">`) being opened.
fn table_style(e: &BytesStart<'_>) -> Option<String> {
    (attr(e, "family").as_deref() == Some("table"))
        .then(|| attr(e, "name"))
        .flatten()
}

/// The name of the table style `style` when its properties `e` hide its tables
/// (`table:display="false"`).
fn hiding(e: &BytesStart<'_>, style: Option<&String>) -> Option<String> {
    (attr(e, "display").as_deref() == Some("false"))
        .then(|| style.cloned())
        .flatten()
}

/// True for a row or column whose `table:visibility` hides it (`collapse`; `filter`, hidden
/// by a filter).
fn hidden(e: &BytesStart<'_>) -> bool {
    matches!(
        attr(e, "visibility").as_deref(),
        Some("collapse" | "filter")
    )
}

/// A count attribute (`number-columns-repeated` …), at least 1.
fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    count_of(attr(e, name))
}

/// The value of a count attribute, at least 1.
fn count_of(value: Option<String>) -> u32 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// A cell being read.
struct CellState {
    covered: bool,
    repeat: u32,
    span: (u32, u32),
    kind: Option<String>,
    value: Option<String>,
    text: String,
    paragraphs: usize,
}

impl CellState {
    /// A new paragraph of the cell's text: a line break after the first.
    fn start_paragraph(&mut self) {
        if self.paragraphs > 0 {
            self.text.push('\n');
        }
        self.paragraphs += 1;
    }

    /// A cell opened by `e`: its repeat, span, value type and value, read in one pass over
    /// its attributes (the first of each name counts, as [`attr`] reads them).
    fn new(e: &BytesStart<'_>, covered: bool) -> CellState {
        const NAMES: [&str; 5] = [
            "number-columns-repeated",
            "number-rows-spanned",
            "number-columns-spanned",
            "value-type",
            "value",
        ];
        let mut found: [Option<Option<String>>; 5] = Default::default();
        for a in e.attributes().with_checks(false).flatten() {
            let name = local(a.key.0);
            if let Some(i) = NAMES.iter().position(|n| *n == name)
                && found[i].is_none()
            {
                found[i] = Some(
                    quick_xml::escape::unescape(&a.value)
                        .ok()
                        .map(|v| v.into_owned()),
                );
            }
        }
        let [repeat, rows, cols, kind, value] = found.map(Option::flatten);
        CellState {
            covered,
            repeat: count_of(repeat),
            span: (count_of(rows), count_of(cols)),
            kind,
            value,
            text: String::new(),
            paragraphs: 0,
        }
    }

    /// The value a person sees, `None` for an empty cell.
    fn value(self) -> Option<SheetValue> {
        let number = |v: &Option<String>| {
            v.as_deref().and_then(|v| {
                Decimal::from_str(v)
                    .or_else(|_| Decimal::from_scientific(v))
                    .ok()
                    .map(as_stored)
            })
        };
        // What the cell shows is what a person reads: `≤19万元` (a sign or unit its format
        // writes), `18.9500` for 189500 (a point among the digits).
        let as_shown = |d: Decimal, percent: bool| {
            shows_more_than_a_number(&self.text) || shown_differs(d, &self.text, percent)
        };
        match self.kind.as_deref() {
            Some("float" | "currency") => match number(&self.value) {
                Some(d) if as_shown(d, false) => text(self.text),
                Some(d) => Some(SheetValue::Number(d, shown_decimals(&self.text))),
                None => text(self.text),
            },
            Some("percentage") => match number(&self.value) {
                Some(d) if as_shown(d, true) => text(self.text),
                Some(d) => {
                    let places = match shown_decimals(self.text.trim_end_matches('%')) {
                        NumFmt::Fixed(p) => p,
                        _ => 0,
                    };
                    Some(SheetValue::Number(d, NumFmt::Percent(places)))
                }
                None => text(self.text),
            },
            _ => text(self.text),
        }
    }
}

fn text(t: String) -> Option<SheetValue> {
    (!t.trim().is_empty()).then_some(SheetValue::Text(t))
}

/// True when the number a cell shows (`18.9500`) is not its value (189500) rounded to the
/// decimals shown: a format that moves the point. Text that is not a plain number (grouping
/// aside) is left to [`shows_more_than_a_number`].
fn shown_differs(value: Decimal, shown: &str, percent: bool) -> bool {
    let digits: String = shown
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '%' | '¥' | '￥' | '$' | '€' | '£'))
        .collect();
    let Ok(seen) = Decimal::from_str(&digits) else {
        return false;
    };
    let value = if percent {
        value.saturating_mul(Decimal::ONE_HUNDRED)
    } else {
        value
    };
    let rounded = value.round_dp_with_strategy(
        seen.scale(),
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    rounded != seen
}

/// True when a number cell shows text besides the number: a sign or a unit its format
/// writes (`≤19万元`, `10分`), not a currency sign, grouping or a minus.
fn shows_more_than_a_number(shown: &str) -> bool {
    shown.chars().any(|c| {
        !(c.is_ascii_digit()
            || c.is_whitespace()
            || matches!(
                c,
                '.' | ',' | '-' | '+' | '%' | 'E' | 'e' | '¥' | '￥' | '$' | '€' | '£' | '(' | ')'
            ))
    })
}

/// The format a displayed number implies: `146.435000` → six decimals, `15` → `General`.
fn shown_decimals(shown: &str) -> NumFmt {
    let t = shown.trim();
    let digits = t.replace([',', ' '], "");
    if Decimal::from_str(&digits).is_err() {
        return NumFmt::General;
    }
    match digits.split_once('.') {
        Some((_, frac)) => NumFmt::Fixed(frac.len().min(28) as u8),
        None => NumFmt::General,
    }
}

/// A table being read.
struct Table {
    name: String,
    builder: SheetBuilder,
    row: u32,
    col: u32,
    row_repeat: u32,
    /// The current row is hidden.
    row_hidden: bool,
    /// The next column a `table:table-column` describes.
    next_column: u32,
    /// The cells of the current row.
    pending: Vec<Pending>,
}

/// A cell of the row being read: its column, how often it repeats, its span (rows,
/// columns) and its value.
struct Pending {
    col: u32,
    repeat: u32,
    span: (u32, u32),
    value: Option<SheetValue>,
}

/// Positions past these are ignored (ODS sheets have at most 1 048 576 × 16 384 cells).
const MAX_ROW: u32 = 1 << 20;
const MAX_COL: u32 = 1 << 14;

impl Table {
    /// A table opened by `e`, hidden when its style is one of `hiding_styles`.
    fn new(e: &BytesStart<'_>, hiding_styles: &HashSet<String>) -> Table {
        let mut builder = SheetBuilder::default();
        if attr(e, "style-name").is_some_and(|s| hiding_styles.contains(&s)) {
            builder.hide_sheet();
        }
        Table {
            name: attr(e, "name").unwrap_or_default(),
            builder,
            row: 0,
            col: 0,
            row_repeat: 1,
            row_hidden: false,
            next_column: 0,
            pending: Vec::new(),
        }
    }

    /// A column description (`table:table-column`, maybe repeated): hidden or not.
    fn add_column(&mut self, e: &BytesStart<'_>) {
        let first = self.next_column;
        let repeat = count(e, "number-columns-repeated");
        self.next_column = first.saturating_add(repeat);
        if hidden(e) && first < MAX_COL {
            let last = first.saturating_add(repeat - 1).min(MAX_COL - 1);
            self.builder.hide_cols(first, last);
        }
    }

    fn start_row(&mut self, e: &BytesStart<'_>) {
        self.col = 0;
        self.row_repeat = count(e, "number-rows-repeated");
        self.row_hidden = hidden(e);
        self.pending.clear();
    }

    fn add_cell(&mut self, cell: CellState) {
        let col = self.col;
        let repeat = cell.repeat;
        self.col = self.col.saturating_add(repeat);
        if cell.covered || col >= MAX_COL {
            return;
        }
        let span = cell.span;
        let value = cell.value();
        if value.is_some() || span != (1, 1) {
            self.pending.push(Pending {
                col,
                repeat,
                span,
                value,
            });
        }
    }

    fn end_row(&mut self) -> Result<(), SheetError> {
        if self.row_hidden && self.row < MAX_ROW {
            let last = self
                .row
                .saturating_add(self.row_repeat - 1)
                .min(MAX_ROW - 1);
            self.builder.hide_rows(self.row, last);
        }
        let repeat = if self.pending.is_empty() {
            0
        } else {
            self.row_repeat
        };
        for r in 0..repeat {
            let row = self.row.saturating_add(r);
            if row >= MAX_ROW {
                break;
            }
            for Pending {
                col,
                repeat: times,
                span,
                value,
            } in &self.pending
            {
                for c in 0..*times {
                    let col = col + c;
                    if col >= MAX_COL {
                        break;
                    }
                    if let Some(v) = value {
                        self.builder.push(row, col, v.clone())?;
                    }
                    if *span != (1, 1) {
                        self.builder.merge(
                            (row, col),
                            (
                                row.saturating_add(span.0 - 1),
                                col.saturating_add(span.1 - 1).min(MAX_COL - 1),
                            ),
                        )?;
                    }
                }
            }
        }
        self.row = self.row.saturating_add(self.row_repeat);
        self.pending.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellRef;

    /// A number cell whose format writes a sign or a unit is read as it shows; grouping,
    /// currency signs and a minus are still a number.
    #[test]
    fn numbers_with_text_read_as_shown() {
        for (shown, more) in [
            ("≤19万元", true),
            ("7.00分", true),
            ("¥1,234.50", false),
            ("-3", false),
            ("98.55%", false),
            ("1.2E+05", false),
        ] {
            assert_eq!(shows_more_than_a_number(shown), more, "{shown}");
        }
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert!(shown_differs(d("189500"), "18.9500", false));
        assert!(!shown_differs(d("146.435"), "146.435000", false));
        assert!(!shown_differs(d("1234.5"), "¥1,234.50", false));
        assert!(!shown_differs(d("0.985461"), "98.55%", true));
        assert!(!shown_differs(d("18.949999"), "18.95", false));
    }

    #[test]
    fn repeats_spans_text_and_numbers() {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x">
<office:body><office:spreadsheet>
<table:table table:name="表 1">
<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-header-rows><table:table-row>
 <table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2" office:value-type="string"><text:p>项<text:s text:c="2"/>目</text:p><text:p>A &amp; B<text:line-break/>C</text:p><office:annotation><text:p>comment</text:p></office:annotation></table:table-cell>
 <table:covered-table-cell/>
 <table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>-</text:p></table:table-cell>
 <table:table-cell office:value-type="percentage" office:value="0.985461"><text:p>98.55%</text:p></table:table-cell>
 <table:table-cell office:value-type="float" office:value="146.435"><text:p>146.435000</text:p></table:table-cell>
 <table:table-cell office:value-type="float" office:value="15"><text:p>15</text:p></table:table-cell>
</table:table-row></table:table-header-rows>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let sheets = read(content).unwrap();
        assert_eq!(sheets.len(), 1);
        let s = &sheets[0];
        assert_eq!(s.name, "表 1");
        let at = |row, col| CellRef { row, col };
        let shown = |row, col| s.get(at(row, col)).0.map(SheetValue::display);
        assert_eq!(shown(3, 0).as_deref(), Some("项  目\nA & B\nC"));
        assert_eq!(s.anchor(at(4, 1)), at(3, 0));
        assert_eq!(shown(3, 4).as_deref(), Some("-"));
        assert_eq!(shown(3, 5).as_deref(), Some("98.55%"));
        assert_eq!(shown(3, 6).as_deref(), Some("146.435000"));
        assert_eq!(shown(3, 7).as_deref(), Some("15"));
        assert_eq!(shown(1_048_004, 16_383).as_deref(), Some("x"));
        assert_eq!(s.cells().len(), 8);
    }

    #[test]
    fn hidden_rows_columns_and_tables() {
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x" xmlns:style="s">
<office:automatic-styles>
<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>
<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="1in"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="旧稿" table:style-name="ta2"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="表" table:style-name="ta1">
<table:table-header-columns><table:table-column table:style-name="co1"/></table:table-header-columns>
<table:table-column table:number-columns-repeated="2" table:visibility="collapse"/>
<table:table-column/>
<table:table-column table:visibility="filter"/>
<table:table-row><table:table-cell table:number-columns-repeated="5" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2" table:visibility="collapse"><table:table-cell office:value-type="string"><text:p>y</text:p></table:table-cell></table:table-row>
<table:table-row table:visibility="visible"><table:table-cell office:value-type="string"><text:p>z</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
        let sheets = read(content).unwrap();
        assert!(sheets[0].hidden.sheet);
        let s = &sheets[1];
        assert!(!s.hidden.sheet);
        let cols: Vec<(u32, u32)> = s.hidden.cols.iter().collect();
        assert_eq!(cols, [(1, 2), (4, 4)]);
        let rows: Vec<(u32, u32)> = s.hidden.rows.iter().collect();
        assert_eq!(rows, [(1, 2)]);
        let at = |row, col| CellRef { row, col };
        let kept: Vec<CellRef> = s.cells().iter().map(|c| c.at).collect();
        assert_eq!(kept, [at(0, 0), at(0, 3), at(3, 0)]);
        assert_eq!(s.unread.len(), 5);
    }
}
