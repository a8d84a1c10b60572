//! The indicator header: the row (or rows) that name the columns, the role of every column —
//! by the vocabulary, or by its place among the known ones — and what the reader says about
//! the header (columns missing, guessed, not read, a second table beside the first).

use std::collections::BTreeMap;

use crate::message::{IgnoredColumn, SheetMessage, TableMessage};
use crate::model::CellRef;
use crate::read::form::cells::{Cells, Label};
use crate::read::form::reader::FormReader;
use crate::vocabulary::{self, Column};

/// The columns a 自评表 must have: without one the form cannot be checked.
const REQUIRED: [Column; 5] = [
    Column::Name,
    Column::Target,
    Column::Actual,
    Column::Weight,
    Column::Score,
];

/// The column orders printed forms use, for placing a header the vocabulary does not know.
const ORDERS: [[Column; 8]; 2] = [
    [
        Column::Level1,
        Column::Level2,
        Column::Name,
        Column::Target,
        Column::Actual,
        Column::Weight,
        Column::Score,
        Column::Deviation,
    ],
    [
        Column::Level1,
        Column::Level2,
        Column::Name,
        Column::Weight,
        Column::Target,
        Column::Actual,
        Column::Score,
        Column::Deviation,
    ],
];

/// A header cell the vocabulary does not know.
#[derive(Debug, Clone)]
struct Unknown {
    at: CellRef,
    /// Its text, as written.
    text: String,
}

/// The indicator header: its rows and the column of each role.
#[derive(Debug, Clone)]
pub struct TableHead {
    /// The first header row.
    pub top: u32,
    /// The last header row (merged header cells, a second row of sub-headers).
    pub bottom: u32,
    /// The column of each role; a split target has `TargetSign`/`TargetUnit` beside
    /// `Target` (its number).
    pub(super) columns: BTreeMap<Column, u16>,
    /// More columns of 偏差原因 (`偏差原因分析 | 改进措施`): their texts are joined.
    pub(super) more_deviation: Vec<u16>,
    /// Roles placed by position, with the header text.
    guessed: Vec<(Column, Unknown)>,
    /// Roles read from the words of a header no spelling matches.
    inferred: Vec<(Column, Unknown)>,
    /// Header cells not read, with why.
    ignored: Vec<(Unknown, IgnoredColumn)>,
    /// The rightmost column of the header.
    right: u32,
    /// Where the header starts over to the right (一级指标 again): a second form beside the
    /// first, which is not read.
    beside: Option<CellRef>,
}

impl TableHead {
    /// The column of `column`, when the table has it.
    pub fn col(&self, column: Column) -> Option<u16> {
        self.columns.get(&column).copied()
    }

    /// True when the table has results (实际完成值 or 得分): a 自评表, not a 绩效目标表.
    pub fn is_self_evaluation(&self) -> bool {
        self.columns.contains_key(&Column::Actual) || self.columns.contains_key(&Column::Score)
    }

    /// The rightmost column of the table.
    pub fn right(&self) -> u32 {
        self.right
    }

    /// True for a rubric's header (评价指标表): 三级, 分值 or 得分, 评价标准 or 指标说明, and
    /// neither target nor actual value.
    pub fn is_rubric(&self) -> bool {
        let has = |c: Column| self.columns.contains_key(&c);
        has(Column::Name)
            && (has(Column::Weight) || has(Column::Score))
            && (has(Column::Criteria) || has(Column::Explanation))
            && !has(Column::Target)
            && !has(Column::Actual)
    }

    /// True when the target is split over sign / number / unit columns.
    pub fn split(&self) -> bool {
        self.columns.contains_key(&Column::TargetSign)
            || self.columns.contains_key(&Column::TargetUnit)
    }
}

/// The roles of the labels written in `row`.
fn roles<'s, 'a>(cells: &'s Cells<'a>, row: u32) -> Vec<(Column, &'s Label<'a>)> {
    cells
        .in_row(row)
        .iter()
        .filter_map(|l| l.roles.column.map(|c| (c, l)))
        .collect()
}

/// True when a row's roles make an indicator header: three roles or more, among them the
/// 三级指标, or 一级 and 二级, or a target with its actual value.
fn is_header(roles: &[(Column, &Label<'_>)]) -> bool {
    let has = |c: Column| roles.iter().any(|(r, _)| *r == c);
    let mut distinct: Vec<Column> = roles.iter().map(|(c, _)| *c).collect();
    distinct.sort();
    distinct.dedup();
    distinct.len() >= 3
        && (has(Column::Name)
            || (has(Column::Level1) && has(Column::Level2))
            || ((has(Column::Target) || has(Column::TargetValue)) && has(Column::Actual)))
}

/// Finds the indicator header: the first row that is one.
pub fn find_header(cells: &Cells<'_>) -> Option<TableHead> {
    let mut rows: Vec<u32> = cells.labels.iter().map(|l| l.at.row).collect();
    rows.dedup();
    let found = rows.into_iter().find(|&r| is_header(&roles(cells, r)))?;
    // Column headers merged down into the header row from the row above (`指标分值` over two
    // rows beside `绩效指标` over 一级/二级/三级, Sichuan): the header starts there.
    let top = cells
        .covering(found)
        .filter(|l| l.at.row < found && l.roles.column.is_some())
        .map(|l| l.at.row)
        .min()
        .unwrap_or(found);
    let first = roles(cells, found);
    let mut known: Vec<Column> = first.iter().map(|(c, _)| *c).collect();
    let mut bottom = first.iter().map(|(_, l)| l.last.row).max().unwrap_or(found);
    // Rows of sub-headers: `指标性质 | 指标值 | 度量单位` under a merged 年度指标值, or
    // `一级指标 | 二级指标 | 三级指标` under a merged 绩效指标 — a row that adds columns.
    for _ in 0..2 {
        let next = roles(cells, bottom + 1);
        let adds = next.iter().any(|(c, _)| !known.contains(c));
        if !adds {
            break;
        }
        known.extend(next.iter().map(|(c, _)| *c));
        bottom = next
            .iter()
            .map(|(_, l)| l.last.row)
            .max()
            .unwrap_or(bottom + 1)
            .max(bottom + 1);
    }
    Some(map_columns(cells, top, bottom))
}

/// The role of every header cell of rows `top..=bottom`.
fn map_columns(cells: &Cells<'_>, top: u32, bottom: u32) -> TableHead {
    let mut cells: Vec<&Label<'_>> = (top..=bottom).flat_map(|r| cells.in_row(r)).collect();
    cells.sort_by_key(|l| (l.at.col, l.at.row));
    let split = cells.iter().any(|l| {
        matches!(
            l.roles.column,
            Some(Column::TargetSign | Column::TargetUnit)
        )
    });
    let mut columns: BTreeMap<Column, u16> = BTreeMap::new();
    let mut ignored = Vec::new();
    let mut unknown = Vec::new();
    let mut more_deviation = Vec::new();
    let mut inferred = Vec::new();
    let mut right = 0u32;
    let mut beside = None;
    let mut weights = Vec::new();
    for l in &cells {
        // 一级指标 again, right of the columns read: a table starts over to the right; nothing
        // from there on is this table's (not its 偏差原因 either). A second 三级 word
        // (`指标内容` beside `三级指标`) is only a column not read.
        if l.roles.column == Some(Column::Level1)
            && columns.get(&Column::Level1).is_some_and(|&c| c < l.at.col)
            && columns.contains_key(&Column::Name)
        {
            beside = Some(l.at);
            break;
        }
        let by_words = l
            .roles
            .is_none()
            .then(|| vocabulary::get().meanings.column(l.text))
            .flatten()
            .filter(|role| !columns.contains_key(role));
        if let Some(role) = by_words {
            let text = l.text.to_string();
            inferred.push((role, Unknown { at: l.at, text }));
        }
        let Some(mut role) = l.roles.column.or(by_words) else {
            // The block label beside the header (`绩效指标`) is no column.
            if l.roles.block.is_none() && l.roles.row.is_none() {
                unknown.push(Unknown {
                    at: l.at,
                    text: l.text.to_string(),
                });
                right = right.max(u32::from(l.last.col));
            }
            continue;
        };
        right = right.max(u32::from(l.last.col));
        if split && role == Column::Target {
            // The parent over the split parts, or the number column itself.
            let spans_parts = l.last.col > l.at.col;
            if spans_parts || columns.contains_key(&Column::TargetValue) {
                continue;
            }
        }
        if role == Column::TargetValue && !split {
            role = Column::Target;
        }
        if role == Column::TargetValue {
            role = Column::Target;
            columns.remove(&Column::Target);
        }
        if role == Column::Deviation && columns.contains_key(&role) {
            more_deviation.push(l.at.col);
            continue;
        }
        if role == Column::Weight {
            weights.push(Unknown {
                at: l.at,
                text: l.text.to_string(),
            });
            continue;
        }
        if columns.contains_key(&role) {
            ignored.push((
                Unknown {
                    at: l.at,
                    text: l.text.to_string(),
                },
                IgnoredColumn::Repeated,
            ));
            continue;
        }
        columns.insert(role, l.at.col);
    }
    place_weights(&mut columns, &mut ignored, weights);
    let mut head = TableHead {
        top,
        bottom,
        columns,
        more_deviation,
        guessed: Vec::new(),
        inferred,
        ignored,
        right,
        beside,
    };
    guess_by_position(&mut head, unknown);
    head
}

/// The 分值 columns: the indicator's, and — when there is one right of the 三级 too — those
/// left of the 三级, which give the points of the level they follow (`一级指标 | 分值 | 二级指标
/// | 分值 | 三级指标 | 分值`, Jiangxi's `分解目标 | 自评权重`). A single 分值 column is the
/// indicator's wherever it stands.
fn place_weights(
    columns: &mut BTreeMap<Column, u16>,
    ignored: &mut Vec<(Unknown, IgnoredColumn)>,
    weights: Vec<Unknown>,
) {
    let name = columns.get(&Column::Name).copied();
    let left_of_name = |col: u16| name.is_some_and(|n| col < n);
    let any_right = weights.iter().any(|w| !left_of_name(w.at.col));
    for w in weights {
        let col = w.at.col;
        let after = |level: Column| columns.get(&level).is_some_and(|&c| c < col);
        let role = if !any_right || !left_of_name(col) {
            Column::Weight
        } else if after(Column::Level2) {
            Column::Level2Weight
        } else if after(Column::Level1) {
            Column::Level1Weight
        } else {
            Column::Weight
        };
        if columns.contains_key(&role) {
            ignored.push((w, IgnoredColumn::Repeated));
            continue;
        }
        columns.insert(role, col);
    }
}

/// Places the header cells the vocabulary does not know where a missing role fits between
/// the known ones, in the column order printed forms use. A cell is placed only when it is
/// the one candidate for the role; the rest are ignored.
fn guess_by_position(head: &mut TableHead, mut unknown: Vec<Unknown>) {
    let weight_first = matches!(
        (head.col(Column::Weight), head.col(Column::Target)),
        (Some(w), Some(t)) if w < t
    );
    let order = &ORDERS[usize::from(weight_first)];
    for (i, role) in order.iter().enumerate() {
        if head.columns.contains_key(role) {
            continue;
        }
        let before = order[..i].iter().filter_map(|c| head.col(*c)).max();
        let after = order[i + 1..].iter().filter_map(|c| head.col(*c)).min();
        let fits =
            |u: &Unknown| before.is_none_or(|b| u.at.col > b) && after.is_none_or(|a| u.at.col < a);
        let candidates: Vec<usize> = (0..unknown.len()).filter(|&k| fits(&unknown[k])).collect();
        if let [only] = candidates[..] {
            let u = unknown.remove(only);
            head.columns.insert(*role, u.at.col);
            head.guessed.push((*role, u));
        }
    }
    head.ignored
        .extend(unknown.into_iter().map(|u| (u, IgnoredColumn::Unknown)));
}

/// Findings about the header: columns missing, placed by position, or not read.
pub(super) fn report_header(reader: &mut FormReader<'_, '_>, head: &TableHead) {
    let first = CellRef {
        row: head.top,
        col: head.columns.values().copied().min().unwrap_or(0),
    };
    // A form without 分值 and 得分 (it compares targets and actual values only) is said once,
    // by validation, not as two missing columns.
    let unscored =
        !head.columns.contains_key(&Column::Weight) && !head.columns.contains_key(&Column::Score);
    // A rubric has no target or actual value by design: said once, by validation.
    let rubric = head.is_rubric();
    for column in ORDERS[0] {
        if head.columns.contains_key(&column)
            || (unscored && matches!(column, Column::Weight | Column::Score))
            || (rubric && matches!(column, Column::Target | Column::Actual))
        {
            continue;
        }
        let header_row = head.top;
        let message = if REQUIRED.contains(&column) {
            TableMessage::ColumnMissing { header_row, column }
        } else {
            TableMessage::OptionalColumnMissing { header_row, column }
        };
        reader.note(first, message);
    }
    for (column, u) in head.guessed.clone() {
        let message = TableMessage::ColumnGuessed {
            header: u.text,
            at: u.at,
            column,
        };
        reader.note(u.at, message);
    }
    for (column, u) in head.inferred.clone() {
        let message = TableMessage::LabelInferred {
            label: u.text,
            at: u.at,
            read_as: column.label().to_string(),
        };
        reader.note(u.at, message);
    }
    for (u, why) in head.ignored.clone() {
        let message = TableMessage::ColumnIgnored {
            header: u.text,
            at: u.at,
            why,
        };
        reader.note(u.at, message);
    }
    if let Some(at) = head.beside {
        reader.note(at, SheetMessage::FormBeside { at });
    }
}
