//! The goals (预期目标, 实际完成情况): the text below each label, or right of it, between the
//! funds block and the indicator header; a text a printout continued in the rows below is
//! joined to it.

use super::cells::{Cells, Label};
use super::reader::FormReader;
use super::value::text;
use crate::model::{CellRef, Field};
use crate::vocabulary::{Block, GoalLabel};

/// 预期目标 / 实际完成情况: the text below each label, or right of it, between the funds
/// block and the indicator header; never in the rows of the task table (`tasks`), whose
/// 完成情况 is no goal.
pub fn read_goals(
    reader: &mut FormReader<'_, '_>,
    from: u32,
    header_top: u32,
    right: u32,
    tasks: &std::ops::Range<u32>,
) {
    let cells = reader.cells;
    let is_label = |l: &Label<'_>| l.roles.goal.is_some() || l.roles.block.is_some();
    let outside = |l: &&Label<'_>| !tasks.contains(&l.at.row);
    // The adjusted goal (全年(调整)绩效目标) has no cell of its own in the findings.
    for (goal, field) in [
        (GoalLabel::Expected, Some(Field::Expected)),
        (GoalLabel::Achieved, Some(Field::Achieved)),
        (GoalLabel::Adjusted, None),
    ] {
        // Below the funds block, where most forms print the goals; else anywhere above the
        // indicators (a 项目基本情况 block before the funds).
        let labelled =
            |from: u32| {
                cells.labels.iter().filter(outside).find(|l| {
                    l.at.row >= from && l.at.row < header_top && l.roles.goal == Some(goal)
                })
            };
        let found = labelled(from).or_else(|| labelled(0));
        // `年初设定目标 | 年度总体目标完成情况` (Guizhou): the second header of the goals row is
        // spelled as the block's label, right of the expected goal's header.
        let found = found.or_else(|| {
            let expected = cells.labels.iter().find(|l| {
                l.at.row >= from
                    && l.at.row < header_top
                    && l.roles.goal == Some(GoalLabel::Expected)
            })?;
            (goal == GoalLabel::Achieved)
                .then(|| {
                    cells.labels.iter().find(|l| {
                        l.at.row == expected.at.row
                            && l.at.col > expected.last.col
                            && l.roles.block == Some(Block::Goals)
                    })
                })
                .flatten()
        });
        let Some(label) = found else {
            continue;
        };
        let (value, at) = text_of(cells, label, header_top, right, &is_label);
        match goal {
            GoalLabel::Expected => reader.form.goals.expected = value,
            GoalLabel::Achieved => reader.form.goals.achieved = value,
            GoalLabel::Adjusted => reader.form.goals.adjusted = Some(value),
        }
        if let Some(field) = field {
            reader.sources.insert(field, at);
        }
    }
    // A form with one goal text beside its 年度总体目标 and no 预期目标 label: that text is
    // the expected goal.
    if reader.sources.get(Field::Expected).is_none()
        && let Some(block) = cells.labels.iter().find(|l| {
            l.at.row >= from && l.at.row < header_top && l.roles.block == Some(Block::Goals)
        })
        && let (Some(value), at) = cells.right_of(block, right, is_label)
    {
        reader.form.goals.expected = text(Some(value));
        reader.sources.insert(Field::Expected, at);
    }
}

/// The text of a goal under its `label` (or right of it), joined with its continuation
/// below, and its cell.
fn text_of(
    cells: &Cells<'_>,
    label: &Label<'_>,
    header_top: u32,
    right: u32,
    is_label: &dyn Fn(&Label<'_>) -> bool,
) -> (String, CellRef) {
    let below = cells.sheet.anchor(CellRef {
        row: label.last.row + 1,
        col: label.at.col,
    });
    let below_is_label = cells.at(below).is_some_and(is_label);
    let below_value = cells
        .sheet
        .own(below)
        .filter(|v| !v.is_blank())
        .filter(|_| below.row < header_top);
    let (value, at) = if below_value.is_some() && !below_is_label {
        (below_value, below)
    } else {
        match cells.right_of(label, right, is_label) {
            (Some(v), at) => (Some(v), at),
            (None, _) if !below_is_label && below.row < header_top => (None, below),
            (None, at) => (None, at),
        }
    };
    let mut joined = match value {
        Some(v) if !v.is_blank() => v.display(),
        _ => String::new(),
    };
    if !joined.is_empty() {
        for part in continued_below(cells, at, header_top, &is_label) {
            joined.push_str(&part);
        }
    }
    (joined.trim().to_string(), at)
}

/// The parts of a long text held in the cells right below `at` (a printout continues a
/// text on the next page in a row of its own): each cell of the same width, not blank,
/// not a label, above `end`. Joined to the text as they stand.
fn continued_below(
    cells: &Cells<'_>,
    at: CellRef,
    end: u32,
    is_label: &dyn Fn(&Label<'_>) -> bool,
) -> Vec<String> {
    let sheet = cells.sheet;
    let region = |cell: CellRef| {
        sheet
            .merge_at(cell)
            .map_or((cell, cell), |m| (m.first, m.last))
    };
    let (_, last) = region(at);
    let mut parts = Vec::new();
    let mut row = last.row + 1;
    while row < end {
        let cell = CellRef { row, col: at.col };
        let (first, bottom) = region(cell);
        // A row with a goal label of its own (实际完成情况 under 预期目标) is no
        // continuation; the block label repeated beside one (年度总体目标) is.
        let labelled = cells.in_row(row).iter().any(|l| l.roles.goal.is_some());
        if first != cell
            || bottom.col != last.col
            || labelled
            || cells.at(cell).is_some_and(is_label)
        {
            break;
        }
        match sheet.own(cell) {
            Some(v) if !v.is_blank() => parts.push(v.display()),
            _ => break,
        }
        row = bottom.row + 1;
    }
    parts
}
