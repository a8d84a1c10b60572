//! The task table of a department form (年度主要任务): a block labelled so, or a header row
//! with a task-name column and an amount column, between the funds block and the goals. Each
//! row under the header is a task; its figures' cells are remembered, so that a task over its
//! budget is said at its 执行数.

use std::ops::Range;

use super::cells::{Cells, Label};
use super::reader::FormReader;
use super::value::{decimal, text};
use crate::message::TableMessage;
use crate::model::{CellRef, Field, Task, TaskField};
use crate::vocabulary::{self, Block, RowLabel, TaskColumn};

/// The header of a task table, with the column of each header.
#[derive(Debug, Clone)]
pub(super) struct TasksHead {
    /// The first row of the block (its label's, or the header's).
    pub top: u32,
    /// The last row of the header.
    bottom: u32,
    /// The column of each header, first occurrence.
    columns: Vec<(TaskColumn, u16)>,
    /// The headers read from their words (no spelling matched), with their cells.
    inferred: Vec<(TaskColumn, CellRef, String)>,
}

impl TasksHead {
    fn column(&self, column: TaskColumn) -> Option<u16> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, at)| *at)
    }
}

/// The task table's header in `rows`: the first row with a task-name column and an amount
/// column, on or right under a 年度主要任务 label, or anywhere in `rows` without one.
pub(super) fn find_header(cells: &Cells<'_>, rows: Range<u32>) -> Option<TasksHead> {
    let label = cells
        .labels
        .iter()
        .find(|l| rows.contains(&l.at.row) && l.roles.block == Some(Block::Tasks));
    let search = match label {
        Some(l) => l.at.row..(l.last.row.max(l.at.row + 1) + 1).min(rows.end),
        None => rows,
    };
    let mut candidates: Vec<u32> = cells
        .labels
        .iter()
        .filter(|l| search.contains(&l.at.row))
        .map(|l| l.at.row)
        .collect();
    candidates.dedup();
    candidates.into_iter().find_map(|row| {
        let head = header_at(cells, row)?;
        Some(TasksHead {
            top: label.map_or(row, |l| l.at.row.min(row)),
            ..head
        })
    })
}

/// The task header on `row`, if the row has one.
fn header_at(cells: &Cells<'_>, row: u32) -> Option<TasksHead> {
    let v = vocabulary::get();
    let mut columns: Vec<(TaskColumn, u16)> = Vec::new();
    let mut inferred = Vec::new();
    let mut bottom = row;
    for label in cells.in_row(row) {
        // A block label (年度主要任务) or a funds row's label (合计) is no column header.
        if label.roles.block.is_some() || label.roles.funds_row.is_some() {
            continue;
        }
        let spelled = v.task_columns.find(&vocabulary::fold::label(label.text));
        let by_words = spelled
            .is_none()
            .then(|| v.meanings.task_column(label.text))
            .flatten();
        let Some(column) = spelled.or(by_words) else {
            continue;
        };
        if columns.iter().all(|(c, _)| *c != column) {
            if by_words.is_some() {
                inferred.push((column, label.at, label.text.to_string()));
            }
            columns.push((column, label.at.col));
            bottom = bottom.max(label.last.row);
        }
    }
    let has = |c: TaskColumn| columns.iter().any(|(x, _)| *x == c);
    (has(TaskColumn::Name) && (has(TaskColumn::Budget) || has(TaskColumn::Executed))).then_some(
        TasksHead {
            top: row,
            bottom,
            columns,
            inferred,
        },
    )
}

/// Reads the tasks under `head`, down to the next block or goal label or `limit`; returns
/// the row after the table.
pub(super) fn read(reader: &mut FormReader<'_, '_>, head: &TasksHead, limit: u32) -> u32 {
    let cells = reader.cells;
    for (column, at, label) in &head.inferred {
        let read_as = vocabulary::get().task_columns.name(*column).to_string();
        let (label, at) = (label.clone(), *at);
        reader.note(at, TableMessage::LabelInferred { label, at, read_as });
    }
    let Some(name_col) = head.column(TaskColumn::Name) else {
        return head.bottom + 1;
    };
    let ends_block = |l: &Label<'_>| {
        l.at.col <= name_col
            && (l.roles.block.is_some() || l.roles.goal.is_some())
            && l.roles.block != Some(Block::Tasks)
    };
    let end = cells
        .labels
        .iter()
        .filter(|l| l.at.row > head.bottom && l.at.row < limit)
        .filter(|l| ends_block(l))
        .map(|l| l.at.row)
        .min()
        .unwrap_or(limit);
    let value = |row: u32, column: TaskColumn| {
        head.column(column)
            .map(|col| cells.sheet.get(CellRef { row, col }))
    };
    for row in head.bottom + 1..end {
        let Some((name, name_at)) = value(row, TaskColumn::Name) else {
            continue;
        };
        // A name merged down over several rows is read once, on its first row.
        if name_at.row != row {
            continue;
        }
        let is_total = cells.at(name_at).is_some_and(|l| {
            matches!(l.row(), Some(RowLabel::Total | RowLabel::Subtotal))
                || l.roles.funds_row == Some(crate::model::FundsRowKind::Total)
        });
        let budget = value(row, TaskColumn::Budget);
        let executed = value(row, TaskColumn::Executed);
        let task = Task {
            name: text(name),
            content: value(row, TaskColumn::Content).map_or_else(String::new, |(v, _)| text(v)),
            budget: budget.and_then(|(v, _)| decimal(v)),
            executed: executed.and_then(|(v, _)| decimal(v)),
            completion: value(row, TaskColumn::Completion)
                .map_or_else(String::new, |(v, _)| text(v)),
        };
        if is_total || (task.name.is_empty() && task.budget.is_none() && task.executed.is_none()) {
            continue;
        }
        let index = reader.form.tasks.len();
        reader
            .sources
            .insert(Field::Task(index, TaskField::Name), name_at);
        for (field, cell) in [(TaskField::Budget, budget), (TaskField::Executed, executed)] {
            if let Some((_, at)) = cell {
                reader.sources.insert(Field::Task(index, field), at);
            }
        }
        reader.form.tasks.push(task);
    }
    end
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::read::sheet::{SheetBuilder, SheetValue};

    /// A block label merged down over the header and the tasks, a task name merged over two
    /// rows, a 合计 row, and the goals under the table: two tasks, the goals' label ends it.
    #[test]
    fn a_merged_block_label_and_a_name_over_two_rows() {
        let mut b = SheetBuilder::default();
        let cells = [
            (2, 0, "年度主要任务"),
            (2, 1, "任务名称"),
            (2, 2, "预算数"),
            (2, 3, "执行数"),
            (2, 4, "完成情况"),
            (3, 1, "道路养护"),
            (3, 2, "30"),
            (3, 3, "20"),
            (5, 1, "办公楼维修"),
            (5, 2, "10"),
            (5, 3, "12"),
            (6, 1, "合计"),
            (6, 2, "40"),
            (7, 0, "年度总体目标"),
            (7, 1, "预期目标"),
        ];
        for (r, c, t) in cells {
            b.push(r, c, SheetValue::Text(t.to_string())).unwrap();
        }
        b.merge((2, 0), (6, 0)).unwrap();
        b.merge((3, 1), (4, 1)).unwrap();
        let sheet = b.build("表".into());
        let cells = Cells::new(&sheet);
        let head = find_header(&cells, 0..20).expect("the task header");
        assert_eq!(head.top, 2);
        let mut reader = FormReader::new(&cells);
        let end = read(&mut reader, &head, 20);
        assert_eq!(end, 7);
        let read: Vec<(&str, Option<Decimal>)> = reader
            .form
            .tasks
            .iter()
            .map(|t| (t.name.as_str(), t.executed))
            .collect();
        assert_eq!(
            read,
            [
                ("道路养护", Some(Decimal::from(20))),
                ("办公楼维修", Some(Decimal::from(12)))
            ]
        );
        let at = reader.sources.get(Field::Task(1, TaskField::Executed));
        assert_eq!(at, Some(CellRef { row: 5, col: 3 }));
        assert!(reader.findings.is_empty(), "{:?}", reader.findings);
    }
}
