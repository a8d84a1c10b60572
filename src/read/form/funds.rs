//! The funds block (项目资金): its column headers, its rows, its amount unit.
//!
//! Row labels are read in the label columns of the block (left of the first figure); 分值,
//! 执行率, 得分 and 原因 only on the 年度资金总额 row, so that a sub-row repeating them is not
//! counted twice.

use rust_decimal::Decimal;

use super::cells::Cells;
use super::reader::FormReader;
use super::value::{decimal, percent, text};
use crate::message::{FormMessage, TableMessage};
use crate::model::{
    AmountUnit, CellRef, Field, FormKind, FundsColumn, FundsRow, FundsRowKind, RowRate, RowScore,
};
use crate::read::sheet::SheetValue;
use crate::vocabulary::{
    self, Block, FundsHeader as Head, HeaderLabel, Qualifier, fold, split_qualifier,
};

/// The header row of the funds block, with the column of each header.
#[derive(Debug, Clone)]
pub(super) struct FundsHead {
    /// The header row.
    pub row: u32,
    /// The last row of the header (merged header cells).
    bottom: u32,
    /// The column of each header, first occurrence.
    columns: Vec<(Head, u16)>,
    /// The unit a header states (`全年预算数（万元）`).
    unit: Option<AmountUnit>,
    /// The headers read from their words (no spelling matched), with their cells.
    inferred: Vec<(Head, CellRef, String)>,
}

impl FundsHead {
    fn column(&self, head: Head) -> Option<u16> {
        self.columns
            .iter()
            .find(|(h, _)| *h == head)
            .map(|(_, c)| *c)
    }
}

/// The funds header: the first row in `rows` that holds 全年预算数 or 全年执行数 and at
/// least three funds headers in all.
pub(super) fn find_header(cells: &Cells<'_>, rows: std::ops::Range<u32>) -> Option<FundsHead> {
    let mut rows: Vec<u32> = cells
        .labels
        .iter()
        .filter(|l| rows.contains(&l.at.row))
        .map(|l| l.at.row)
        .collect();
    rows.dedup();
    for row in rows {
        let mut columns: Vec<(Head, u16)> = Vec::new();
        let mut bottom = row;
        let mut unit = None;
        let mut inferred = Vec::new();
        for label in cells.covering(row) {
            let by_words = label
                .roles
                .is_none()
                .then(|| vocabulary::get().meanings.funds_column(label.text))
                .flatten()
                .filter(|_| figures_below(cells, label));
            let Some(head) = label.roles.funds_column.or(by_words) else {
                continue;
            };
            if columns.iter().any(|(h, _)| *h == head) {
                continue;
            }
            if by_words.is_some() {
                inferred.push((head, label.at, label.text.to_string()));
            }
            columns.push((head, label.at.col));
            bottom = bottom.max(label.last.row);
            if let (_, Some(Qualifier::Unit(u))) = split_qualifier(&label.norm) {
                unit = Some(u);
            }
        }
        let money = columns
            .iter()
            .any(|(h, _)| matches!(h, Head::Budget | Head::Executed));
        if money && columns.len() >= 3 {
            columns.sort_by_key(|(_, c)| *c);
            return Some(FundsHead {
                row,
                bottom,
                columns,
                unit,
                inferred,
            });
        }
    }
    None
}

/// True when the cell under a header holds a figure or nothing: the header of a column of
/// amounts, not of the row labels (`年度预算数（万元）` over 总额, 财政资金).
fn figures_below(cells: &Cells<'_>, label: &super::cells::Label<'_>) -> bool {
    let below = CellRef {
        row: label.last.row + 1,
        col: label.at.col,
    };
    cells
        .sheet
        .own(below)
        .is_none_or(|v| v.is_blank() || decimal(Some(v)).is_some() || percent(Some(v)).is_some())
}

/// The unit a line above the funds block states for the form's amounts: `单位：元`,
/// `金额单位：万元`, `（单位：万元）`, with its cell.
fn unit_line(cells: &Cells<'_>, last_row: u32) -> Option<(AmountUnit, CellRef)> {
    cells
        .sheet
        .cells()
        .iter()
        .take_while(|c| c.at.row <= last_row)
        .find_map(|c| {
            let SheetValue::Text(t) = &c.value else {
                return None;
            };
            let n = fold::label(t);
            let n = n.trim_start_matches('(').trim_end_matches(')');
            let (label, rest) = n.split_once(':')?;
            let is_unit = vocabulary::get()
                .header
                .spellings(HeaderLabel::AmountUnit)
                .any(|s| s == label);
            is_unit.then(|| AmountUnit::parse(rest).map(|u| (u, c.at)))?
        })
}

/// The unit an amount written as text ends with: `189500元`, `18.95万元`, `90万`.
fn unit_written(text: &str) -> Option<AmountUnit> {
    let n = fold::label(text);
    if n.ends_with("万元") || n.ends_with('万') {
        Some(AmountUnit::WanYuan)
    } else if n.ends_with('元') {
        Some(AmountUnit::Yuan)
    } else {
        None
    }
}

/// Reads the funds block under `head`, down to the goals, the indicator header or `limit`
/// (the indicator header when the block is above it, as it usually is).
pub(super) fn read(reader: &mut FormReader<'_, '_>, head: &FundsHead, limit: u32) {
    let cells = reader.cells;
    let first_figure = head.columns.iter().map(|(_, c)| *c).min().unwrap_or(0);
    // The block's label, with the unit (`项目资金（元）`) or the score it states.
    let block = cells
        .labels
        .iter()
        .filter(|l| l.at.row <= head.bottom && l.last.row >= head.row.saturating_sub(1))
        .filter(|l| l.at.col < first_figure)
        .find(|l| l.roles.block == Some(Block::Funds));
    let block_qualifier = block.and_then(|l| split_qualifier(&l.norm).1);
    for (column, at, label) in &head.inferred {
        let read_as = vocabulary::get().funds_columns.name(*column).to_string();
        let label = label.clone();
        reader.note(
            *at,
            TableMessage::LabelInferred {
                label,
                at: *at,
                read_as,
            },
        );
    }
    read_unit(reader, head, block_qualifier);
    // A department form measured against 年初预算数 (`年初预算数(A) | 全年执行数(B)`).
    reader.shown.budget_absent = reader.form.kind == FormKind::Department
        && head.column(Head::Budget).is_none()
        && head.column(Head::Initial).is_some();
    // The block ends at the goals (a block label or a goal label) or the indicator header.
    let end = cells
        .labels
        .iter()
        .filter(|l| l.at.row > head.bottom && l.at.row < limit)
        .filter(|l| {
            matches!(l.roles.block, Some(Block::Goals | Block::Indicators))
                || l.roles.goal.is_some()
        })
        .map(|l| l.at.row)
        .min()
        .unwrap_or(limit);
    let seen = read_rows(reader, head, first_figure, end);
    if reader.form.funds.weight.is_none()
        && let Some(Qualifier::Points(points)) = block_qualifier
        && head.column(Head::Weight).is_none()
    {
        // `预算执行情况（10分）` without a 分值 column: the label gives it.
        reader.form.funds.weight = Some(points);
        if let Some(block) = block {
            reader.sources.insert(Field::FundsWeight, block.at);
        }
    }
    note_missing(reader, head, first_figure, &seen);
}

/// The unit of the amounts: the block's label (`项目资金（元）`) or a header's, else a line
/// above the block (`单位：元`); said when the two disagree (the label wins).
fn read_unit(reader: &mut FormReader<'_, '_>, head: &FundsHead, block: Option<Qualifier>) {
    let labelled = match block {
        Some(Qualifier::Unit(u)) => Some(u),
        _ => head.unit,
    };
    let unit = match (labelled, unit_line(reader.cells, head.bottom)) {
        (Some(label), Some((line, at))) if line != label => {
            reader.note(
                at,
                TableMessage::FundsUnitConflict {
                    line,
                    header: label,
                },
            );
            Some(label)
        }
        (Some(label), _) => Some(label),
        (None, line) => line.map(|(u, _)| u),
    };
    if let Some(unit) = unit {
        reader.form.funds.unit = unit;
    }
}

/// Reads the rows of the block, from under its header to `end`: each row's kind by its label
/// (left of `first_figure`), its amounts (converted when a cell writes another unit), a second
/// row of one kind added to the first. Returns the kinds read, with the cell of each label.
fn read_rows(
    reader: &mut FormReader<'_, '_>,
    head: &FundsHead,
    first_figure: u16,
    end: u32,
) -> Vec<(FundsRowKind, CellRef)> {
    let cells = reader.cells;
    let unit = reader.form.funds.unit;
    let mut converted: Option<(CellRef, String, Decimal)> = None;
    let money = [
        (FundsColumn::Initial, head.column(Head::Initial)),
        (FundsColumn::Budget, head.column(Head::Budget)),
        (FundsColumn::Executed, head.column(Head::Executed)),
    ];
    let mut seen: Vec<(FundsRowKind, CellRef)> = Vec::new();
    let only = only_row(cells, head, first_figure, end);
    for row in cells.sheet.rows_from(head.bottom + 1) {
        if row >= end {
            break;
        }
        let label = cells
            .in_row(row)
            .iter()
            .filter(|l| l.at.col < first_figure)
            .find_map(|l| l.roles.funds_row.map(|k| (k, l.at, l.text)))
            .or_else(|| {
                only.filter(|at| at.row == row)
                    .map(|at| (FundsRowKind::Total, at, ""))
            });
        let Some(label) = label else {
            continue;
        };
        let (mut kind, at, label_text) = label;
        let department = reader.form.kind == FormKind::Department;
        if kind.is_expenditure() && !department {
            // 基本支出 on a project form: the kind was weighed (a finding says so); a project
            // form has no breakdown by expenditure to put it in.
            continue;
        }
        if kind == FundsRowKind::Other && seen.last().is_some_and(|(k, _)| k.is_expenditure()) {
            // `其他` right under 基本支出 / 项目支出 is the expenditure breakdown's own.
            kind = FundsRowKind::ExpenditureOther;
        }
        if kind.is_expenditure() {
            // Printed, even blank: the breakdown is there.
            reader.form.funds.expenditure.get_or_insert_default();
        }
        let mut figures = FundsRow::default();
        for (column, col) in money {
            let Some(col) = col else { continue };
            let (value, cell) = cells.sheet.get(CellRef { row, col });
            let mut amount = decimal(value);
            // `189500元` in a block of 万元: the cell says its unit, and is converted.
            if let (Some(d), Some(SheetValue::Text(t))) = (amount, value)
                && let Some(written) = unit_written(t)
                && written != unit
            {
                // Past Decimal's range the figure stays unread (the limits refuse it anyway).
                amount = written.convert(d, unit);
                if let Some(d) = amount {
                    converted.get_or_insert((cell, t.trim().to_string(), d));
                }
            }
            *figures.get_mut(column) = amount;
            if !seen.iter().any(|(k, _)| *k == kind) {
                reader.sources.insert(Field::Funds(kind, column), cell);
            }
        }
        if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == kind) {
            // A second row of one kind (财政专户管理资金 and 单位资金 under 其他资金): added up.
            let merged = add_rows(reader.form.funds.row(kind), &figures);
            *reader.form.funds.row_mut(kind) = merged.filter(|r| !r.is_empty());
            reader.note(
                at,
                TableMessage::FundsRowMerged {
                    label: label_text.to_string(),
                    first_row: first.row,
                    kind,
                },
            );
            continue;
        }
        seen.push((kind, at));
        if !figures.is_empty() {
            *reader.form.funds.row_mut(kind) = Some(figures);
        }
        if kind == FundsRowKind::Total {
            read_total_extras(reader, head, row);
        } else if department {
            read_row_score(reader, head, kind, row);
            read_row_rate(reader, head, kind, row);
        }
    }
    if let Some((at, written, d)) = converted {
        reader.note(
            at,
            TableMessage::FundsCellUnit {
                written,
                unit,
                amount: d,
            },
        );
    }
    seen
}

/// The one row of a block that labels none of its rows (Chongqing's `部门预算执行情况(万元)`
/// over a single row of figures): the whole budget, i.e. the 年度资金总额, named by its first
/// figure cell. A block of several unlabelled rows stays unread (which row is the total cannot
/// be told).
fn only_row(cells: &Cells<'_>, head: &FundsHead, first_figure: u16, end: u32) -> Option<CellRef> {
    let rows: Vec<u32> = cells
        .sheet
        .rows_from(head.bottom + 1)
        .take_while(|&r| r < end)
        .collect();
    let labelled = rows.iter().any(|&r| {
        cells
            .in_row(r)
            .iter()
            .any(|l| l.at.col < first_figure && l.roles.funds_row.is_some())
    });
    match rows[..] {
        [row] if !labelled => Some(CellRef {
            row,
            col: first_figure,
        }),
        _ => None,
    }
}

/// What the block lacks: the 全年预算数 or 全年执行数 column, the 年度资金总额 row.
fn note_missing(
    reader: &mut FormReader<'_, '_>,
    head: &FundsHead,
    first_figure: u16,
    seen: &[(FundsRowKind, CellRef)],
) {
    for column in [Head::Budget, Head::Executed] {
        if head.column(column).is_none() && !(column == Head::Budget && reader.shown.budget_absent)
        {
            let at = CellRef {
                row: head.row,
                col: first_figure,
            };
            reader.note(
                at,
                TableMessage::FundsColumnMissing {
                    header_row: head.row,
                    column,
                    kind: reader.form.kind,
                },
            );
        }
    }
    if seen.iter().all(|(k, _)| *k != FundsRowKind::Total) {
        let at = CellRef {
            row: head.row,
            col: first_figure,
        };
        let kind = reader.form.kind;
        reader.note(at, TableMessage::FundsTotalRowMissing(kind));
    }
}

/// 分值, 执行率, 得分 and 原因 of the 年度资金总额 row.
fn read_total_extras(reader: &mut FormReader<'_, '_>, head: &FundsHead, row: u32) {
    let sheet = reader.cells.sheet;
    if let Some(col) = head.column(Head::Weight) {
        let (value, at) = sheet.get(CellRef { row, col });
        reader.form.funds.weight = decimal(value);
        reader.sources.insert(Field::FundsWeight, at);
    }
    if let Some(col) = head.column(Head::Score) {
        let (value, at) = sheet.get(CellRef { row, col });
        reader.form.funds.score = decimal(value);
        reader.sources.insert(Field::FundsScore, at);
    }
    if let Some(col) = head.column(Head::Rate) {
        let (value, at) = sheet.get(CellRef { row, col });
        reader.shown.execution_rate = percent(value);
        reader.shown.rate_left_blank = value.is_none_or(SheetValue::is_blank);
        reader.sources.insert(Field::FundsRate, at);
    }
    if let Some(col) = head.column(Head::Reason) {
        let (value, at) = sheet.get(CellRef { row, col });
        let reason = text(value);
        // The template's instructions printed in the 原因 column are no reason given.
        let v = vocabulary::get();
        if v.placeholders.is_instruction(&reason) {
            let label = v.funds_columns.name(Head::Reason).to_string();
            reader.note(
                at,
                FormMessage::TemplateText {
                    label,
                    text: reason,
                },
            );
        } else {
            reader.form.funds.reason = reason;
        }
    }
}

/// 分值 and 得分 printed on a breakdown row of a department form: shown, to be checked.
fn read_row_score(reader: &mut FormReader<'_, '_>, head: &FundsHead, kind: FundsRowKind, row: u32) {
    let sheet = reader.cells.sheet;
    let Some(col) = head.column(Head::Score) else {
        return;
    };
    let (value, cell) = sheet.get(CellRef { row, col });
    let Some(score) = decimal(value) else {
        return;
    };
    let weight = head
        .column(Head::Weight)
        .and_then(|col| decimal(sheet.get(CellRef { row, col }).0));
    reader.shown.row_scores.push(RowScore {
        row: kind,
        weight,
        score,
        cell,
    });
}

/// 执行率 printed on a breakdown row of a department form: shown, to be checked.
fn read_row_rate(reader: &mut FormReader<'_, '_>, head: &FundsHead, kind: FundsRowKind, row: u32) {
    let Some(col) = head.column(Head::Rate) else {
        return;
    };
    let (value, cell) = reader.cells.sheet.get(CellRef { row, col });
    if let Some(rate) = percent(value) {
        reader.shown.row_rates.push(RowRate {
            row: kind,
            rate,
            cell,
        });
    }
}

/// Two rows of one kind added up, figure by figure (a figure missing on both stays missing);
/// `None` past `Decimal`'s range, which the limits refuse anyway.
fn add_rows(a: Option<&FundsRow>, b: &FundsRow) -> Option<FundsRow> {
    let mut out = FundsRow::default();
    for column in FundsColumn::ALL {
        let x = a.and_then(|r| r.get(column));
        let y = b.get(column);
        *out.get_mut(column) = match (x, y) {
            (Some(x), Some(y)) => Some(x.checked_add(y)?),
            (x, y) => x.or(y),
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    #[test]
    fn rows_of_one_kind_add_up() {
        let row = |b: i64, c: Option<i64>| FundsRow {
            initial: None,
            budget: Some(Decimal::from(b)),
            executed: c.map(Decimal::from),
        };
        let sum = add_rows(Some(&row(3, Some(2))), &row(4, None)).unwrap();
        assert_eq!(sum.budget, Some(Decimal::from(7)));
        assert_eq!(sum.executed, Some(Decimal::from(2)));
        assert_eq!(sum.initial, None);
    }
}
