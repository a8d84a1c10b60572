//! One worksheet as sparse cells and merged regions, whatever file format it came from: the
//! type below both floors of `read` (every source builds it, the form is read from it).
//!
//! Only non-empty cells are kept (sorted by row, then column), so a stray value at
//! `XFD1048576` costs one cell, not a dense range of the used area. Numbers are [`Decimal`]s
//! taken from the shortest text of the stored `f64`; no arithmetic is done on floats here.
//!
//! A sheet holds what the screen and the printout show: the cells of hidden rows and columns
//! are left out when it is built (the value of a merged region stays where part of it shows),
//! and remembered as [`Sheet::unread`] so that the reader can say so.
//!
//! A source builds each sheet with a [`SheetBuilder`]: [`SheetBuilder::push`] every cell that
//! shows something as the [`SheetValue`] a person sees (text as written; a number as a
//! [`Decimal`] with its [`NumFmt`], or as text when its format writes more, see
//! [`Decoration`]), [`SheetBuilder::merge`] every merged region, mark what is hidden
//! ([`SheetBuilder::hide_rows`], [`SheetBuilder::hide_cols`], [`SheetBuilder::hide_sheet`]),
//! then [`SheetBuilder::build`] with the sheet's name. Positions are zero-based; the builder
//! refuses a sheet past [`MAX_CELLS`] or [`MAX_MERGES`] with a [`SheetError`], which the source
//! returns as `SourceError::sheet(name, error)`.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::CellRef;

pub use super::limits::{MAX_CELLS, MAX_MERGES};

/// How a number cell is displayed, as far as reading a form needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumFmt {
    /// `General`: the shortest decimal.
    #[default]
    General,
    /// A fixed number of decimals (`0.00`, `#,##0.000000`).
    Fixed(u8),
    /// A percentage with this many decimals (`0%`, `0.00%`).
    Percent(u8),
    /// A date (or date and time); `cjk` when the format writes `年`/`月`/`日`.
    Date {
        /// The format uses Chinese date words.
        cjk: bool,
    },
}

impl NumFmt {
    /// Classifies an Excel number format code (`0.00%`, `yyyy"年"m"月"d"日"`, `General`).
    pub fn parse(code: &str) -> NumFmt {
        // Only the first section (positive numbers) matters.
        let mut plain = String::with_capacity(code.len());
        let mut cjk = false;
        let mut chars = code.chars();
        let mut in_quote = false;
        let mut in_bracket = false;
        while let Some(c) = chars.next() {
            match c {
                '"' => in_quote = !in_quote,
                _ if in_quote => cjk |= matches!(c, '年' | '月' | '日'),
                '\\' | '_' | '*' => {
                    if let Some(n) = chars.next() {
                        cjk |= matches!(n, '年' | '月' | '日');
                    }
                }
                '[' => in_bracket = true,
                ']' => in_bracket = false,
                _ if in_bracket => {}
                ';' => break,
                _ => {
                    cjk |= matches!(c, '年' | '月' | '日');
                    plain.push(c.to_ascii_lowercase());
                }
            }
        }
        if plain.is_empty() || plain == "general" || plain == "@" {
            return if cjk {
                NumFmt::Date { cjk }
            } else {
                NumFmt::General
            };
        }
        let decimals = |s: &str| -> u8 {
            s.split_once('.').map_or(0, |(_, frac)| {
                frac.chars()
                    .take_while(|c| matches!(c, '0' | '#' | '?'))
                    .count()
                    .min(28) as u8
            })
        };
        if plain.contains('%') {
            return NumFmt::Percent(decimals(&plain));
        }
        if cjk || (plain.contains(['y', 'm', 'd', 'h', 's']) && !plain.contains('e')) {
            return NumFmt::Date { cjk };
        }
        if plain.contains(['0', '#', '?']) {
            return NumFmt::Fixed(decimals(&plain));
        }
        NumFmt::General
    }
}

/// Characters that take no room and show nothing: zero-width space, non-joiner and joiner,
/// word joiner, byte-order mark, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Significant digits a spreadsheet keeps and shows of a number (Excel, WPS, LibreOffice).
const SIGNIFICANT_DIGITS: u32 = 15;

/// A number as a spreadsheet holds it: to 15 significant digits, without trailing zeros.
/// What a formula leaves past them (`7.000000000000001` for `=0.7*10`) is the float
/// arithmetic's noise, which no one sees in the cell and no one typed.
pub fn as_stored(number: Decimal) -> Decimal {
    number
        .round_sf(SIGNIFICANT_DIGITS)
        .unwrap_or(number)
        .normalize()
}

/// What a number format writes besides the number, when a reader needs it: a sign or a
/// unit around it (`"≤"0"万元"` shows 19 as `≤19万元`, `0.00"分"`), or a point among the
/// digits (`0!.0000` shows 189500 as `18.9500`, amounts in 元 shown as 万元). Currency signs,
/// padding, colours and conditions are not kept: they do not change what the number says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoration {
    before: String,
    after: String,
    /// Digits right of a point written among the digit placeholders.
    shift: u32,
}

/// A piece of the first section of a number format: a character of the number (a digit
/// placeholder, the point, a comma, `%`) or literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Number(char),
    Literal(String),
}

impl Piece {
    /// True for a digit placeholder (`0`, `#`, `?`).
    fn is_digit(&self) -> bool {
        matches!(self, Piece::Number('0' | '#' | '?'))
    }

    /// The text of a literal piece.
    fn literal(&self) -> Option<&str> {
        match self {
            Piece::Literal(t) => Some(t),
            Piece::Number(_) => None,
        }
    }
}

impl Decoration {
    /// The decoration of an Excel number format code; `None` when it writes the number alone
    /// or in a way not worked out here (dates, text, exponents, other characters among the
    /// digits), where the number is read as stored.
    pub fn parse(code: &str) -> Option<Decoration> {
        // The pieces of the first section: literal text, or a character of the number.
        let mut pieces: Vec<Piece> = Vec::new();
        // Chinese Excel and WPS spell General `G/通用格式`.
        let code = code
            .replace("G/通用格式", "General")
            .replace("g/通用格式", "General");
        let mut chars = code.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                ';' => break,
                '"' => {
                    let literal: String = chars.by_ref().take_while(|&q| q != '"').collect();
                    pieces.push(Piece::Literal(literal));
                }
                '\\' | '!' => pieces.push(Piece::Literal(chars.next()?.to_string())),
                '_' | '*' => {
                    chars.next();
                }
                // Colours, conditions, locales and currencies (`[$¥-804]`) say nothing about
                // what the number is.
                '[' => chars.by_ref().take_while(|&q| q != ']').for_each(drop),
                '0' | '#' | '?' | '.' | ',' | '%' => pieces.push(Piece::Number(c)),
                'G' | 'g' => {
                    let word: String = std::iter::once(c)
                        .chain(std::iter::from_fn(|| {
                            chars.next_if(char::is_ascii_alphabetic)
                        }))
                        .collect();
                    if !word.eq_ignore_ascii_case("general") {
                        return None;
                    }
                    pieces.push(Piece::Number('0'));
                }
                c if c.is_ascii_alphabetic() || c == '@' => return None,
                c => pieces.push(Piece::Literal(c.to_string())),
            }
        }
        let first = pieces.iter().position(|p| p.is_digit())?;
        let last = pieces.iter().rposition(|p| p.literal().is_none())?;
        // Currency signs and codes (`¥`, `"RMB"`) are no part of what the number says.
        let is_currency = |t: &str| {
            t.chars().all(|c| {
                c.is_ascii_alphabetic()
                    || c.is_whitespace()
                    || matches!(c, '¥' | '￥' | '$' | '€' | '£')
            })
        };
        let literal = |range: &[Piece]| -> String {
            range
                .iter()
                .filter_map(Piece::literal)
                .filter(|t| !is_currency(t))
                .flat_map(|t| t.chars())
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let before = literal(&pieces[..first]);
        let after = literal(&pieces[last + 1..]);
        let core = &pieces[first..=last];
        // A comma after the last digit divides by a thousand (`0.00,,"百万"`): not worked out.
        let last_digit = core.iter().rposition(|p| p.is_digit())?;
        if core[last_digit..].contains(&Piece::Number(',')) {
            return None;
        }
        let mut shift = 0;
        if let Some(point) = core.iter().position(|p| p.literal().is_some()) {
            // Only `0!.0000`: one literal point among the digits of a whole number.
            let digits_after = &core[point + 1..];
            let is_point = core[point].literal() == Some(".");
            let rest_digits = digits_after.iter().all(|p| p.is_digit());
            let whole = core[..point]
                .iter()
                .all(|p| p.is_digit() || *p == Piece::Number(','));
            if !(is_point && rest_digits && whole) {
                return None;
            }
            shift = digits_after.len() as u32;
        }
        (shift > 0 || !before.is_empty() || !after.is_empty()).then_some(Decoration {
            before,
            after,
            shift,
        })
    }

    /// What a cell holding `number` with `fmt` and this decoration shows, as text.
    pub fn show(&self, number: Decimal, fmt: NumFmt) -> SheetValue {
        let core = if self.shift > 0 {
            let whole = number
                .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            let mut shown = whole / Decimal::from(10u64.pow(self.shift.min(18)));
            shown.rescale(self.shift.min(18));
            shown.to_string()
        } else {
            SheetValue::Number(number, fmt).display()
        };
        SheetValue::Text(format!("{}{core}{}", self.before, self.after))
    }
}

/// The value of a non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetValue {
    /// Text as written (also booleans, errors and dates, as displayed).
    Text(String),
    /// A number with its display format.
    Number(Decimal, NumFmt),
    /// A formula the file keeps no result for (a workbook written by a program that does not
    /// calculate, or `=8个` typed as a target): shown as its text, `=8个`.
    Formula(String),
    /// A formula that calculates (`SUM(G14:G27)`) but whose result the file does not keep (a
    /// workbook written by a program that does not calculate): it shows nothing until a
    /// spreadsheet recalculates it.
    Uncalculated(String),
}

impl SheetValue {
    /// The value of a float cell: the shortest decimal that reads back as `f` (18.95, not
    /// 18.949999999999999), displayed with `fmt`.
    pub fn from_f64(f: f64, fmt: NumFmt, is_1904: bool) -> SheetValue {
        if let NumFmt::Date { cjk } = fmt
            && let Some(text) = excel_date(f, cjk, is_1904)
        {
            return SheetValue::Text(text);
        }
        if !f.is_finite() {
            return SheetValue::Text(f.to_string());
        }
        // `Display` for f64 is the shortest round-trip text and never uses an exponent.
        let text = f.to_string();
        match Decimal::from_str(&text) {
            Ok(d) => SheetValue::Number(as_stored(d), fmt),
            Err(_) => SheetValue::Text(text),
        }
    }

    /// The value of an integer cell.
    pub fn from_i64(i: i64, fmt: NumFmt, is_1904: bool) -> SheetValue {
        match fmt {
            NumFmt::Date { .. } => SheetValue::from_f64(i as f64, fmt, is_1904),
            _ => SheetValue::Number(Decimal::from(i), fmt),
        }
    }

    /// The text a person sees in the cell: text as written, a number with its format applied
    /// (`0.99` with `0.00%` → `99.00%`; `15` with `0.00` → `15.00`; `General` → `15`).
    pub fn display(&self) -> String {
        match self {
            SheetValue::Text(t) => t.clone(),
            SheetValue::Formula(f) => format!("={f}"),
            SheetValue::Uncalculated(_) => String::new(),
            SheetValue::Number(d, fmt) => match *fmt {
                NumFmt::Percent(places) => {
                    let pct = d
                        .saturating_mul(Decimal::ONE_HUNDRED)
                        .round_dp_with_strategy(
                            u32::from(places),
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                        );
                    format!("{}%", with_places(pct, places))
                }
                NumFmt::Fixed(places) => with_places(
                    d.round_dp_with_strategy(
                        u32::from(places),
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    ),
                    places,
                ),
                _ => d.normalize().to_string(),
            },
        }
    }

    /// True for a value that means "nothing" (`-`, `——`, `/`, blank text).
    pub fn is_blank(&self) -> bool {
        match self {
            SheetValue::Text(t) => crate::model::is_blank(t) || self.is_error(),
            SheetValue::Number(..) => false,
            SheetValue::Formula(f) => f.trim().is_empty(),
            SheetValue::Uncalculated(_) => true,
        }
    }

    /// True for an Excel error value (`#NAME?`, `#DIV/0!` …): a formula that could not be
    /// calculated, which shows no value.
    pub fn is_error(&self) -> bool {
        matches!(self, SheetValue::Text(t) if EXCEL_ERRORS.contains(&t.trim()))
    }
}

/// The error values a spreadsheet shows for a formula it cannot calculate.
const EXCEL_ERRORS: &[&str] = &[
    "#NAME?",
    "#VALUE!",
    "#REF!",
    "#DIV/0!",
    "#N/A",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "Err:502",
    "Err:504",
    "Err:508",
    "Err:510",
    "Err:511",
    "Err:512",
];

/// `d` written with exactly `places` decimals.
fn with_places(d: Decimal, places: u8) -> String {
    let mut d = d;
    d.rescale(u32::from(places));
    d.to_string()
}

/// An Excel date serial as text: `2020年6月4日` (`cjk`) or `2020-06-04`, with `hh:mm` when
/// it has a time of day.
fn excel_date(serial: f64, cjk: bool, is_1904: bool) -> Option<String> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if is_1904 {
        days += 1462;
    } else if days < 60 {
        // Excel's 1900-02-29 does not exist; serials before it are one day off.
        days += 1;
    }
    // Days since 1899-12-30 → civil date (Howard Hinnant's algorithm).
    let z = days - 25_569 + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut text = if cjk {
        format!("{year}年{month}月{day}日")
    } else {
        format!("{year:04}-{month:02}-{day:02}")
    };
    if seconds > 0 && seconds < 86_400 {
        text.push_str(&format!(" {:02}:{:02}", seconds / 3600, seconds / 60 % 60));
    }
    Some(text)
}

/// A merged region, inclusive, zero-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// The top-left cell, which holds the value.
    pub first: CellRef,
    /// The bottom-right cell.
    pub last: CellRef,
}

impl Merge {
    fn contains(&self, row: u32, col: u16) -> bool {
        (self.first.row..=self.last.row).contains(&row)
            && (self.first.col..=self.last.col).contains(&col)
    }

    fn area(&self) -> u64 {
        u64::from(self.last.row - self.first.row + 1)
            * u64::from(self.last.col - self.first.col + 1)
    }
}

/// A non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetCell {
    /// Where it is.
    pub at: CellRef,
    /// What it holds.
    pub value: SheetValue,
}

/// Why a worksheet could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetError {
    /// More than [`MAX_CELLS`] non-empty cells.
    TooManyCells,
    /// More than [`MAX_MERGES`] merged regions.
    TooManyMerges,
}

/// Sorted, disjoint, inclusive ranges of row or column numbers: what a sheet hides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranges(Vec<(u32, u32)>);

impl Ranges {
    /// The ranges `spans` (in any order, overlapping or not) sorted and joined.
    fn new(mut spans: Vec<(u32, u32)>) -> Ranges {
        spans.retain(|(first, last)| first <= last);
        spans.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
        for (first, last) in spans {
            match out.last_mut() {
                Some(prev) if first <= prev.1.saturating_add(1) => prev.1 = prev.1.max(last),
                _ => out.push((first, last)),
            }
        }
        Ranges(out)
    }

    /// True when no number is in a range.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `n` is in a range.
    pub fn contains(&self, n: u32) -> bool {
        self.range_of(n).is_some()
    }

    /// The range that holds `n`.
    fn range_of(&self, n: u32) -> Option<(u32, u32)> {
        let i = self.0.partition_point(|&(_, last)| last < n);
        self.0.get(i).copied().filter(|&(first, _)| first <= n)
    }

    /// The first number from `n` to `last` that is in no range.
    fn next_outside(&self, n: u32, last: u32) -> Option<u32> {
        // The ranges are joined: the number after the one holding `n` is outside all.
        let n = match self.range_of(n) {
            Some((_, end)) => end.checked_add(1)?,
            None => n,
        };
        (n <= last).then_some(n)
    }

    /// The ranges, in order.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.0.iter().copied()
    }
}

/// What a worksheet hides from the screen and the printout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// The sheet itself is hidden (Excel's hidden and very hidden, an ODS table not displayed).
    pub sheet: bool,
    /// Hidden rows, zero-based.
    pub rows: Ranges,
    /// Hidden columns, zero-based.
    pub cols: Ranges,
}

impl Hidden {
    /// True when the cell `at` is in a hidden row or column.
    pub fn covers(&self, at: CellRef) -> bool {
        self.rows.contains(at.row) || self.cols.contains(u32::from(at.col))
    }
}

/// Collects the cells and merges of one worksheet while a file is read.
#[derive(Debug, Default)]
pub struct SheetBuilder {
    cells: Vec<SheetCell>,
    merges: Vec<Merge>,
    hidden_rows: Vec<(u32, u32)>,
    hidden_cols: Vec<(u32, u32)>,
    hidden_sheet: bool,
    print: PrintSetup,
}

impl SheetBuilder {
    /// Adds a cell; text loses the characters that show nothing (copied from web pages: a
    /// zero-width space before `6.00`), and empty text is dropped.
    ///
    /// # Errors
    /// [`SheetError::TooManyCells`] past [`MAX_CELLS`].
    pub fn push(&mut self, row: u32, col: u32, value: SheetValue) -> Result<(), SheetError> {
        let value = match value {
            SheetValue::Text(t) if t.contains(is_invisible) => {
                SheetValue::Text(t.replace(is_invisible, ""))
            }
            v => v,
        };
        if matches!(&value, SheetValue::Text(t) | SheetValue::Formula(t) if t.trim().is_empty()) {
            return Ok(());
        }
        let Ok(col) = u16::try_from(col) else {
            return Ok(());
        };
        if self.cells.len() >= MAX_CELLS {
            return Err(SheetError::TooManyCells);
        }
        self.cells.push(SheetCell {
            at: CellRef { row, col },
            value,
        });
        Ok(())
    }

    /// Adds a merged region from `(row, col)` to `(row2, col2)`, inclusive.
    ///
    /// # Errors
    /// [`SheetError::TooManyMerges`] past [`MAX_MERGES`].
    pub fn merge(&mut self, first: (u32, u32), last: (u32, u32)) -> Result<(), SheetError> {
        let (Ok(c1), Ok(c2)) = (u16::try_from(first.1), u16::try_from(last.1)) else {
            return Ok(());
        };
        if first.0 > last.0 || c1 > c2 || (first.0 == last.0 && c1 == c2) {
            return Ok(());
        }
        if self.merges.len() >= MAX_MERGES {
            return Err(SheetError::TooManyMerges);
        }
        self.merges.push(Merge {
            first: CellRef {
                row: first.0,
                col: c1,
            },
            last: CellRef {
                row: last.0,
                col: c2,
            },
        });
        Ok(())
    }

    /// Marks the rows `first..=last` (zero-based) hidden.
    pub fn hide_rows(&mut self, first: u32, last: u32) {
        self.hidden_rows.push((first, last));
    }

    /// Marks the columns `first..=last` (zero-based) hidden.
    pub fn hide_cols(&mut self, first: u32, last: u32) {
        self.hidden_cols.push((first, last));
    }

    /// Marks the sheet itself hidden.
    pub fn hide_sheet(&mut self) {
        self.hidden_sheet = true;
    }

    /// Says how the file prints the sheet.
    pub fn print(&mut self, print: PrintSetup) {
        self.print = print;
    }

    /// The finished sheet: what it shows, with what it hides (see [`Sheet::unread`]).
    pub fn build(self, name: String) -> Sheet {
        let hidden = Hidden {
            sheet: self.hidden_sheet,
            rows: Ranges::new(self.hidden_rows),
            cols: Ranges::new(self.hidden_cols),
        };
        let mut sheet = Sheet::new(name, self.cells, self.merges);
        sheet.print = self.print;
        if !hidden.rows.is_empty() || !hidden.cols.is_empty() {
            sheet = sheet.shown(&hidden);
        }
        sheet.hidden = hidden;
        sheet
    }
}

/// Hashes a cell position by multiplying (FxHash's scheme): the keys are small integers of the
/// file's own grid, looked up for every field read, where SipHash's resistance to chosen keys
/// buys nothing (the number of merges a sheet may hold is bounded).
#[derive(Debug, Clone, Copy, Default)]
struct CellHasher;

impl std::hash::BuildHasher for CellHasher {
    type Hasher = FxLike;

    fn build_hasher(&self) -> FxLike {
        FxLike(0)
    }
}

/// The hasher of [`CellHasher`].
#[derive(Debug, Clone, Copy)]
struct FxLike(u64);

impl std::hash::Hasher for FxLike {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The largest merged region whose cells are indexed one by one; bigger ones are searched.
const SMALL_MERGE: u64 = 4096;

/// One worksheet: sparse cells and merged regions.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The worksheet's name.
    pub name: String,
    cells: Vec<SheetCell>,
    /// `(row, index of its first cell)` for every row that has cells.
    rows: Vec<(u32, usize)>,
    merges: Vec<Merge>,
    /// Merge index by every cell of a small merged region.
    covered: HashMap<CellRef, u32, CellHasher>,
    /// Merged regions too large to index cell by cell.
    large: Vec<u32>,
    /// What the sheet hides.
    pub hidden: Hidden,
    /// The cells with content left out because their row or column is hidden, in order.
    pub unread: Vec<CellRef>,
    /// How the file prints the sheet (column widths, paper), where it says.
    pub print: PrintSetup,
}

/// How a file prints a sheet, as far as it says: what a layout derived from the sheet measures
/// (`crate::derive`); reading the form never looks at it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintSetup {
    /// Column widths: zero-based first and last column, width in hundredths of a character
    /// (the spreadsheet's unit).
    pub widths: Vec<(u32, u32, u32)>,
    /// The width of a column the file gives none, in hundredths of a character.
    pub default_width: Option<u32>,
    /// The paper, by its spreadsheet code (`paperSize`: 9 is A4).
    pub paper: Option<u8>,
    /// True for landscape, false for portrait; `None` when the file does not say.
    pub landscape: Option<bool>,
}

impl PrintSetup {
    /// The width of zero-based column `col`, in characters, when the file gives one.
    pub fn width(&self, col: u32) -> Option<f32> {
        self.widths
            .iter()
            .rev()
            .find(|(first, last, _)| (*first..=*last).contains(&col))
            .map(|(_, _, w)| *w)
            .or(self.default_width)
            .map(|w| w as f32 / 100.0)
    }
}

impl Sheet {
    /// A sheet from cells in any order (later duplicates win) and merged regions.
    pub fn new(name: String, mut cells: Vec<SheetCell>, merges: Vec<Merge>) -> Sheet {
        cells.sort_by_key(|c| c.at);
        // Keep the last of duplicates (a later record overrides an earlier one).
        cells.reverse();
        cells.dedup_by_key(|c| c.at);
        cells.reverse();
        let mut rows = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            if rows.last().is_none_or(|&(r, _)| r != cell.at.row) {
                rows.push((cell.at.row, i));
            }
        }
        let mut covered = HashMap::with_hasher(CellHasher);
        let mut large = Vec::new();
        let mut budget: u64 = 4 * MAX_CELLS as u64;
        for (i, m) in merges.iter().enumerate() {
            let area = m.area();
            if area <= SMALL_MERGE && area <= budget {
                budget -= area;
                for row in m.first.row..=m.last.row {
                    for col in m.first.col..=m.last.col {
                        covered.entry(CellRef { row, col }).or_insert(i as u32);
                    }
                }
            } else {
                large.push(i as u32);
            }
        }
        Sheet {
            name,
            cells,
            rows,
            merges,
            covered,
            large,
            hidden: Hidden::default(),
            unread: Vec::new(),
            print: PrintSetup::default(),
        }
    }

    /// The sheet as shown when `hidden` rows and columns are hidden: their cells left out
    /// (and listed in [`Sheet::unread`] when they show something), merged regions wholly
    /// hidden dropped, and the value of a region whose top-left cell is hidden but some other
    /// part shows moved to its first shown cell — Excel shows it there.
    fn shown(mut self, hidden: &Hidden) -> Sheet {
        let mut merges = Vec::with_capacity(self.merges.len());
        // (from, to) of the values moved with their region's first shown cell.
        let mut moved: Vec<(CellRef, CellRef)> = Vec::new();
        for m in &self.merges {
            let row = hidden.rows.next_outside(m.first.row, m.last.row);
            let col = hidden
                .cols
                .next_outside(u32::from(m.first.col), u32::from(m.last.col));
            let (Some(row), Some(col)) = (row, col) else {
                continue; // wholly hidden
            };
            // `col` lies within the region's columns, which are u16.
            let first = CellRef {
                row,
                col: col as u16,
            };
            if first != m.first {
                moved.push((m.first, first));
            }
            if first != m.last {
                merges.push(Merge {
                    first,
                    last: m.last,
                });
            }
        }
        moved.sort_unstable();
        let all = std::mem::take(&mut self.cells);
        let mut cells = Vec::with_capacity(all.len());
        // After the others, so that a moved value replaces what its new cell held unseen.
        let mut relocated = Vec::with_capacity(moved.len());
        let mut unread = Vec::new();
        for cell in all {
            if !hidden.covers(cell.at) {
                cells.push(cell);
            } else if let Ok(i) = moved.binary_search_by_key(&cell.at, |&(from, _)| from) {
                relocated.push(SheetCell {
                    at: moved[i].1,
                    value: cell.value,
                });
            } else if self.anchor(cell.at) == cell.at && !cell.value.is_blank() {
                // A cell hidden inside a merged region showed nothing even when shown.
                unread.push(cell.at);
            }
        }
        cells.extend(relocated);
        let mut sheet = Sheet::new(self.name, cells, merges);
        sheet.unread = unread;
        sheet.print = self.print;
        sheet
    }

    /// The sheet with `cells` written over it (a later cell replaces one at the same place);
    /// cells in hidden rows or columns are left out, as when the sheet was built.
    pub fn with_cells(&self, cells: Vec<SheetCell>) -> Sheet {
        let mut all = self.cells.clone();
        all.extend(cells.into_iter().filter(|c| !self.hidden.covers(c.at)));
        let mut sheet = Sheet::new(self.name.clone(), all, self.merges.clone());
        sheet.hidden = self.hidden.clone();
        sheet.unread = self.unread.clone();
        sheet.print = self.print.clone();
        sheet
    }

    /// Every non-empty cell, by row then column.
    pub fn cells(&self) -> &[SheetCell] {
        &self.cells
    }

    /// The non-empty cells of `row`, by column.
    pub fn row(&self, row: u32) -> &[SheetCell] {
        match self.rows.binary_search_by_key(&row, |&(r, _)| r) {
            Ok(i) => {
                let start = self.rows[i].1;
                let end = self.rows.get(i + 1).map_or(self.cells.len(), |&(_, s)| s);
                &self.cells[start..end]
            }
            Err(_) => &[],
        }
    }

    /// The rows that have cells, from `from` on, in order.
    pub fn rows_from(&self, from: u32) -> impl Iterator<Item = u32> + '_ {
        let start = self.rows.partition_point(|&(r, _)| r < from);
        self.rows[start..].iter().map(|&(r, _)| r)
    }

    /// The value written in the cell itself (not through a merge).
    pub fn own(&self, at: CellRef) -> Option<&SheetValue> {
        let row = self.row(at.row);
        row.binary_search_by_key(&at.col, |c| c.at.col)
            .ok()
            .map(|i| &row[i].value)
    }

    /// The merged region covering `at`, if any.
    pub fn merge_at(&self, at: CellRef) -> Option<Merge> {
        if let Some(&i) = self.covered.get(&at) {
            return Some(self.merges[i as usize]);
        }
        self.large
            .iter()
            .map(|&i| self.merges[i as usize])
            .find(|m| m.contains(at.row, at.col))
    }

    /// The cell that holds what a person sees at `at`: the top-left cell of a merged region
    /// covering it, or `at` itself.
    pub fn anchor(&self, at: CellRef) -> CellRef {
        self.merge_at(at).map_or(at, |m| m.first)
    }

    /// What a person sees at `at` (through merges), with the cell that holds it.
    pub fn get(&self, at: CellRef) -> (Option<&SheetValue>, CellRef) {
        let anchor = self.anchor(at);
        (self.own(anchor), anchor)
    }

    /// The last cell of the region that starts at `at` (`at` itself when not merged).
    pub fn last_of(&self, at: CellRef) -> CellRef {
        match self.merge_at(at) {
            Some(m) if m.first == at => m.last,
            _ => at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn number_formats() {
        let cases = [
            ("General", NumFmt::General),
            ("0.00", NumFmt::Fixed(2)),
            ("0.000000", NumFmt::Fixed(6)),
            ("#,##0.00_);[Red](#,##0.00)", NumFmt::Fixed(2)),
            ("0%", NumFmt::Percent(0)),
            ("0.00%", NumFmt::Percent(2)),
            ("yyyy\"年\"m\"月\"d\"日\"", NumFmt::Date { cjk: true }),
            ("mm-dd-yy", NumFmt::Date { cjk: false }),
            ("@", NumFmt::General),
            ("0.00E+00", NumFmt::Fixed(2)),
        ];
        for (code, want) in cases {
            assert_eq!(NumFmt::parse(code), want, "{code}");
        }
    }

    #[test]
    fn numbers_display_as_formatted() {
        let cases = [
            (1.0, NumFmt::Percent(0), "100%"),
            (1.0, NumFmt::Percent(2), "100.00%"),
            (0.99, NumFmt::Percent(2), "99.00%"),
            (0.99, NumFmt::Percent(0), "99%"),
            (0.985461, NumFmt::Percent(2), "98.55%"),
            (15.0, NumFmt::General, "15"),
            (15.0, NumFmt::Fixed(2), "15.00"),
            (18.95, NumFmt::General, "18.95"),
            (146.435, NumFmt::Fixed(6), "146.435000"),
            // The noise of float arithmetic is no part of the number.
            (0.1 + 0.2, NumFmt::General, "0.3"),
            (0.7 * 10.0, NumFmt::Fixed(2), "7.00"),
            (96.00000000000001, NumFmt::General, "96"),
            (123_456_789.123_456_78, NumFmt::General, "123456789.123457"),
        ];
        for (f, fmt, want) in cases {
            assert_eq!(
                SheetValue::from_f64(f, fmt, false).display(),
                want,
                "{f} {fmt:?}"
            );
        }
        assert_eq!(
            SheetValue::from_f64(18.95, NumFmt::General, false),
            SheetValue::Number(d("18.95"), NumFmt::General)
        );
    }

    #[test]
    fn dates() {
        let cjk = NumFmt::Date { cjk: true };
        assert_eq!(
            SheetValue::from_f64(43_986.0, cjk, false).display(),
            "2020年6月4日"
        );
        assert_eq!(
            SheetValue::from_f64(45_292.0, NumFmt::Date { cjk: false }, false).display(),
            "2024-01-01"
        );
        assert_eq!(
            SheetValue::from_f64(42_524.0, cjk, true).display(),
            "2020年6月4日"
        );
    }

    /// What formats write besides the number, and what the cell then shows; formats that
    /// write the number alone, dates and what is not worked out here have no decoration.
    #[test]
    fn decorations_of_number_formats() {
        let shows = |code: &str, number: &str, fmt: NumFmt| {
            let number = Decimal::from_str(number).unwrap();
            Decoration::parse(code).map(|d| d.show(number, fmt).display())
        };
        let cases = [
            (r#""≤"0"万元""#, "19", NumFmt::Fixed(0), Some("≤19万元")),
            (r#"0.00"分""#, "7", NumFmt::Fixed(2), Some("7.00分")),
            (r#""≥"0%"#, "0.9", NumFmt::Percent(0), Some("≥90%")),
            (r#""≥"General"#, "6", NumFmt::General, Some("≥6")),
            (r"\≥0\人", "6", NumFmt::Fixed(0), Some("≥6人")),
            ("0!.0000", "189500", NumFmt::Fixed(0), Some("18.9500")),
            (
                r"#,##0\.0000",
                "1895000",
                NumFmt::Fixed(0),
                Some("189.5000"),
            ),
            ("0.00", "7", NumFmt::Fixed(2), None),
            ("#,##0.00_);[Red](#,##0.00)", "7", NumFmt::Fixed(2), None),
            (r##""¥"#,##0.00"##, "7", NumFmt::Fixed(2), None),
            ("[$¥-804]#,##0.00", "7", NumFmt::Fixed(2), None),
            (
                r#"yyyy"年"m"月""#,
                "45000",
                NumFmt::Date { cjk: true },
                None,
            ),
            ("0.00E+00", "7", NumFmt::Fixed(2), None),
            ("@", "7", NumFmt::General, None),
            (r#"0"-"00"#, "7", NumFmt::Fixed(0), None),
            // Chinese General, currency codes, thousands scaling.
            (
                r#"G/通用格式"万元""#,
                "18.95",
                NumFmt::General,
                Some("18.95万元"),
            ),
            (r#""≥"G/通用格式"#, "90", NumFmt::General, Some("≥90")),
            (r"[$CNY]\ #,##0.00", "7", NumFmt::Fixed(2), None),
            (r##""RMB"#,##0.00"##, "7", NumFmt::Fixed(2), None),
            (r#"0.00,,"百万""#, "12345678", NumFmt::Fixed(2), None),
        ];
        for (code, number, fmt, want) in cases {
            assert_eq!(shows(code, number, fmt).as_deref(), want, "{code}");
        }
    }

    /// Text copied from a web page carries characters that show nothing: the cell holds what
    /// it shows, and a cell of nothing else is empty.
    #[test]
    fn invisible_characters_are_not_kept() {
        let mut b = SheetBuilder::default();
        b.push(0, 0, SheetValue::Text("\u{200B}6.00".into()))
            .unwrap();
        b.push(0, 1, SheetValue::Text("\u{FEFF}\u{200D}".into()))
            .unwrap();
        b.push(0, 2, SheetValue::Text("满意\u{00AD}度".into()))
            .unwrap();
        let sheet = b.build("S".into());
        let shown: Vec<String> = sheet.cells().iter().map(|c| c.value.display()).collect();
        assert_eq!(shown, ["6.00", "满意度"]);
    }

    #[test]
    fn merges_resolve_to_their_anchor() {
        let mut b = SheetBuilder::default();
        b.push(0, 0, SheetValue::Text("一级".into())).unwrap();
        b.push(5, 3, SheetValue::Text("x".into())).unwrap();
        b.push(0, 1, SheetValue::Text(" ".into())).unwrap();
        b.merge((0, 0), (2, 0)).unwrap();
        b.merge((10, 0), (1_048_575, 16_383)).unwrap();
        let sheet = b.build("S".into());
        assert_eq!(sheet.cells().len(), 2);
        let at = |row, col| CellRef { row, col };
        assert_eq!(
            sheet.get(at(2, 0)),
            (Some(&SheetValue::Text("一级".into())), at(0, 0))
        );
        assert_eq!(sheet.get(at(3, 0)).0, None);
        assert_eq!(sheet.anchor(at(500_000, 9)), at(10, 0));
        assert_eq!(sheet.last_of(at(0, 0)), at(2, 0));
        assert_eq!(sheet.rows_from(1).collect::<Vec<_>>(), [5]);
    }

    #[test]
    fn hidden_ranges_are_joined() {
        let r = Ranges::new(vec![(5, 5), (1, 2), (3, 3), (9, 12), (10, 11), (7, 6)]);
        assert_eq!(r.iter().collect::<Vec<_>>(), [(1, 3), (5, 5), (9, 12)]);
        assert!(r.contains(2) && r.contains(12) && !r.contains(4) && !r.contains(0));
        assert_eq!(r.next_outside(1, 10), Some(4));
        assert_eq!(r.next_outside(9, 12), None);
        assert_eq!(r.next_outside(4, 4), Some(4));
        let all = Ranges::new(vec![(0, u32::MAX)]);
        assert_eq!(all.next_outside(3, u32::MAX), None);
    }

    /// Hidden rows and columns are left out, said in `unread` where they showed something; a
    /// merged region shows its value in its first shown cell; a region wholly hidden goes.
    #[test]
    fn hidden_rows_and_columns_are_not_read() {
        let mut b = SheetBuilder::default();
        let text = |t: &str| SheetValue::Text(t.to_string());
        b.push(0, 0, text("shown")).unwrap();
        b.push(0, 3, text("hidden column")).unwrap();
        b.push(2, 1, text("hidden row")).unwrap();
        b.push(2, 2, text("-")).unwrap();
        // 一级 merged over rows 2..=4 from the hidden row: shown from row 3.
        b.push(2, 0, text("产出指标")).unwrap();
        b.merge((2, 0), (4, 0)).unwrap();
        // A value in a cell the region covers, unseen even when shown.
        b.push(3, 0, text("unseen")).unwrap();
        // A region wholly in the hidden column.
        b.push(5, 3, text("gone")).unwrap();
        b.merge((5, 3), (6, 3)).unwrap();
        b.hide_rows(2, 2);
        b.hide_cols(3, 3);
        let sheet = b.build("S".into());
        let at = |row, col| CellRef { row, col };
        let shown: Vec<(CellRef, String)> = sheet
            .cells()
            .iter()
            .map(|c| (c.at, c.value.display()))
            .collect();
        assert_eq!(
            shown,
            [(at(0, 0), "shown".into()), (at(3, 0), "产出指标".into())]
        );
        assert_eq!(sheet.get(at(4, 0)).1, at(3, 0));
        assert_eq!(sheet.merge_at(at(5, 3)), None);
        assert_eq!(sheet.unread, [at(0, 3), at(2, 1), at(5, 3)]);
        assert!(sheet.hidden.covers(at(2, 5)) && sheet.hidden.covers(at(9, 3)));
        // Cells written over the sheet later keep out of what it hides.
        let more = sheet.with_cells(vec![
            SheetCell {
                at: at(2, 4),
                value: text("typed"),
            },
            SheetCell {
                at: at(1, 1),
                value: text("typed"),
            },
        ]);
        assert_eq!(more.cells().len(), 3);
        assert_eq!(more.own(at(2, 4)), None);
        assert_eq!(more.unread, sheet.unread);
    }
}
