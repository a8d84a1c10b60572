//! How messages name what they are about: an indicator, a field, a column, a funds row, a
//! row or a column of the worksheet, and text quoted from the file (bounded and escaped by
//! [`crate::text`]).

use std::fmt;

use crate::field::{CellRef, Field, FundsColumn, FundsRowKind, IndicatorField};
use crate::text;
use crate::vocabulary::{self, Column, FundsHeader, split_qualifier};

/// The longest text of a cell a message quotes, in characters.
const MAX_QUOTE: usize = 40;

/// How a message names an indicator: `指标“运维系统数量”`, or `第 3 条指标` when it has no
/// 三级 name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorName {
    /// Its place in the form, zero-based.
    pub index: usize,
    /// Its 三级指标, trimmed.
    pub name: String,
}

impl IndicatorName {
    /// The name of the indicator at `index` called `name`.
    pub fn new(index: usize, name: &str) -> IndicatorName {
        IndicatorName {
            index,
            name: name.trim().to_string(),
        }
    }
}

impl fmt::Display for IndicatorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() {
            write!(f, "第 {} 条指标", self.index + 1)
        } else {
            write!(f, "指标“{}”", self.name)
        }
    }
}

/// The name of a field of the form (`项目名称`, `年度资金总额的全年预算数(B)`).
pub(super) fn field_name(field: Field) -> String {
    vocabulary::get().field_name(field)
}

/// The name of an indicator's column (`年度指标值`).
pub(super) fn column(field: IndicatorField) -> &'static str {
    Column::of(field).label()
}

/// The name of a funds row (`年度资金总额`).
pub(super) fn funds_row(kind: FundsRowKind) -> &'static str {
    vocabulary::get().funds_rows.name(kind)
}

/// The name of a funds column (`全年预算数(B)`).
pub(super) fn funds_column(column: FundsColumn) -> &'static str {
    vocabulary::get()
        .funds_columns
        .name(FundsHeader::of(column))
}

/// The name of a funds column without its letter (`全年预算数`), as a header may write it.
pub(super) fn funds_header_bare(head: FundsHeader) -> &'static str {
    split_qualifier(vocabulary::get().funds_columns.name(head)).0
}

/// Text from a cell as a message quotes it: trimmed, one line, at most [`MAX_QUOTE`]
/// characters.
pub(super) fn quoted(cell_text: &str) -> String {
    text::one_line(cell_text.trim(), MAX_QUOTE)
}

/// A sheet's name as a message shows it.
pub(super) fn sheet(name: &str) -> String {
    text::one_line(name, text::MAX_SHEET_NAME)
}

/// The number of a zero-based worksheet row as the filer sees it: row 0 → 1.
pub(super) fn row_number(row: u32) -> u64 {
    u64::from(row) + 1
}

/// The letters of a zero-based worksheet column: 3 → `D`.
pub(super) fn column_letters(col: u16) -> String {
    let a1 = CellRef { row: 0, col }.to_string();
    a1.trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}
