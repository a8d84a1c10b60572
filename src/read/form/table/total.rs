//! The end of the indicator table: 总分 (from the 得分 column of the total row, or written in
//! its label, `总分：96`), the 等级 beside or under it, and what stands after the total (rows
//! that still look like indicators, a second form).

use rust_decimal::Decimal;

use super::head::TableHead;
use crate::message::{RowMessage, SheetMessage};
use crate::model::{CellRef, Field};
use crate::read::form::reader::FormReader;
use crate::read::form::value::{decimal, decimal_text, text};
use crate::read::sheet::SheetValue;
use crate::vocabulary::{Block, Column, RowLabel, fold};

/// 总分 from the 得分 column of the total row (or written in its label, `总分：96`), and
/// the 等级 printed beside or under it.
pub(super) fn read_total(
    reader: &mut FormReader<'_, '_>,
    head: &TableHead,
    r: u32,
    label_at: CellRef,
) {
    let sheet = reader.cells.sheet;
    let mut found = None;
    if let Some(col) = head.col(Column::Score) {
        let (value, at) = sheet.get(CellRef { row: r, col });
        // Not a cell merged in from the 分值 column: that is Σ分值, not the total.
        let from_weight = head.col(Column::Weight).is_some_and(|w| at.col <= w);
        if at.row == r && !from_weight {
            found = Some((decimal(value), at));
        }
    }
    // `96.00（优）`: the total with its grade.
    let mut grade = None;
    if let Some((None, at)) = found
        && let Some(SheetValue::Text(t)) = sheet.own(at)
        && let Some((d, g)) = total_with_grade(t)
    {
        found = Some((Some(d), at));
        grade = Some((g, at));
    }
    if found.as_ref().is_none_or(|(d, _)| d.is_none())
        && let Some(SheetValue::Text(t)) = sheet.own(label_at)
        && let Some((_, number)) = t.split_once([':', '：'])
        && let Some(d) = decimal_text(number)
    {
        found = Some((Some(d), label_at));
    }
    let (value, at) = found.unwrap_or((None, label_at));
    reader.form.total_score = value;
    reader.sources.insert(Field::TotalScore, at);
    read_grade(reader, head, r);
    // A grade written alone beside the total, without its label: `96.00 | 优`.
    // Only the first cell after the total, and only a grade word in it.
    let beside = || {
        let from = at.col.max(label_at.col);
        let next = sheet.row(r).iter().find(|c| c.at.col > from)?;
        let SheetValue::Text(t) = &next.value else {
            return None;
        };
        crate::model::Grade::parse(&fold::label(t)).map(|_| (t.trim().to_string(), next.at))
    };
    if reader.form.grade.is_none()
        && let Some((g, at)) = grade.or_else(beside)
    {
        reader.form.grade = Some(g);
        reader.sources.insert(Field::Grade, at);
    }
}

/// `96.00（优）`, `96分(良好)`, `96 优`: a total written with its grade, as the number and the
/// grade's text.
fn total_with_grade(text: &str) -> Option<(Decimal, String)> {
    let t = fold::label(text);
    let (number, grade) = match t.strip_suffix(')').and_then(|x| x.rsplit_once('(')) {
        Some(split) => split,
        None => {
            let at = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '分'))?;
            t.split_at(at)
        }
    };
    crate::model::Grade::parse(grade)?;
    let d = decimal_text(number)?;
    Some((d, grade.to_string()))
}

/// 等级 right of its label, on the total row or after it.
pub(super) fn read_grade(reader: &mut FormReader<'_, '_>, head: &TableHead, from: u32) {
    let cells = reader.cells;
    let Some(label) = cells
        .labels
        .iter()
        .filter(|l| l.at.row >= from)
        .find(|l| l.roles.row == Some(RowLabel::Grade))
    else {
        return;
    };
    let (value, at) = cells.right_of(label, head.right(), |l| l.roles.row.is_some());
    let t = text(value);
    if !t.is_empty() {
        reader.form.grade = Some(t);
        reader.sources.insert(Field::Grade, at);
    }
}

/// Rows after the total that still look like indicators, or a second form on the sheet: the
/// reader stops at the total, and says so.
pub(super) fn after_total(reader: &mut FormReader<'_, '_>, head: &TableHead, total: u32) {
    let cells = reader.cells;
    let sheet = cells.sheet;
    // Past the notes or the sign-off only a second form is looked for.
    let mut past_table = false;
    for r in sheet.rows_from(total + 1) {
        if let Some(l) = cells.in_row(r).iter().find(|l| {
            l.roles.title
                || matches!(
                    l.roles.header,
                    Some(crate::vocabulary::HeaderLabel::Project)
                )
        }) {
            reader.note(l.at, SheetMessage::FormBelow { row: r });
            return;
        }
        // The notes, the sign-off, or a block of the form under the table (项目资金 printed
        // below it).
        past_table = past_table
            || sheet.row(r).iter().any(|c| {
                cells
                    .row_label(c.at, &c.value)
                    .is_some_and(|l| matches!(l, RowLabel::Notes | RowLabel::Footer))
            })
            || cells
                .in_row(r)
                .iter()
                .any(|l| matches!(l.roles.block, Some(Block::Funds | Block::Goals)));
        if past_table {
            continue;
        }
        let filled = |column: Column| {
            head.col(column).is_some_and(|col| {
                let (value, at) = sheet.get(CellRef { row: r, col });
                at.row == r && value.is_some_and(|v| !v.is_blank())
            })
        };
        if filled(Column::Name) && (filled(Column::Weight) || filled(Column::Score)) {
            let at = CellRef {
                row: r,
                col: head.col(Column::Name).unwrap_or(0),
            };
            reader.note(
                at,
                RowMessage::AfterTotal {
                    total_row: total,
                    row: r,
                },
            );
            return;
        }
    }
}
