//! The indicator table (绩效指标): its header and the role of every column, then its rows.
//!
//! A row is an indicator only when it has a 三级 name and at least one of target, actual,
//! 分值 or 得分. Template rows (`指标2`, `……`), detail rows (`其中…` without 分值), 二级 rows
//! without a 三级, 小计 rows and rows the reader cannot place are recognised for what they
//! are, reported, and never scored. The table ends at the total row — wherever its label
//! stands — or at the notes or the rows after the table.

mod head;
mod levels;
mod row;
mod total;

pub use head::{TableHead, find_header};

use head::report_header;
use levels::Walk;
use row::{Row, read_row};
use total::{after_total, read_grade, read_total};

use crate::message::{RowMessage, TableMessage, TreeMessage};
use crate::model::{CellRef, Field, IndicatorField};
use crate::read::form::cells::Cells;
use crate::read::form::reader::FormReader;
use crate::read::form::value::decimal;
use crate::read::sheet::{SheetCell, SheetValue};
use crate::vocabulary::{self, Block, Column, RowLabel, fold};

/// Where the label cells of the table's rows stand, from its header.
struct Bounds {
    /// The rightmost column where row labels (总分, 小计, 注) are read: the level and name
    /// columns, or left of the first figure.
    label_limit: u16,
    /// The leftmost column of the table.
    left: u16,
    /// The columns of figures and values (target and its parts, actual, 分值, 得分).
    data_cols: Vec<u16>,
}

impl Bounds {
    fn new(head: &TableHead) -> Bounds {
        let label_limit = [Column::Level1, Column::Level2, Column::Name]
            .iter()
            .filter_map(|c| head.col(*c))
            .max()
            .or_else(|| {
                [Column::Target, Column::Actual, Column::Weight]
                    .iter()
                    .filter_map(|c| head.col(*c))
                    .min()
                    .map(|c| c.saturating_sub(1))
            })
            .unwrap_or(0);
        let data_cols = [
            Column::Target,
            Column::TargetSign,
            Column::TargetUnit,
            Column::TargetAdjusted,
            Column::Actual,
            Column::Weight,
            Column::Score,
            Column::Coefficient,
        ]
        .iter()
        .filter_map(|c| head.col(*c))
        .collect();
        Bounds {
            label_limit,
            left: head.columns.values().copied().min().unwrap_or(0),
            data_cols,
        }
    }
}

/// Where the rows of the table ended.
struct End {
    /// The last row that held something of the table.
    last_row: u32,
    /// The total row, when there is one.
    total_row: Option<u32>,
    /// The label of the notes or footer that ended the table without a total.
    ended_by: Option<CellRef>,
}

/// What to do after a row.
enum Step {
    /// Go on with the next row.
    Next,
    /// The table has ended.
    Stop,
}

/// Reads the header's findings and the table's rows into the form.
pub fn read(reader: &mut FormReader<'_, '_>, head: &TableHead) {
    report_header(reader, head);
    reader.shown.unit_column = head.col(Column::TargetUnit).is_some();
    let bounds = Bounds::new(head);
    let mut walk = Walk::default();
    let mut end = End {
        last_row: head.bottom,
        total_row: None,
        ended_by: None,
    };
    let rows: Vec<u32> = reader.cells.sheet.rows_from(head.bottom + 1).collect();
    for r in rows {
        if let Step::Stop = read_table_row(reader, head, &bounds, r, &mut walk, &mut end) {
            break;
        }
    }
    keep_branches_of_no_indicator(reader);
    report_empty_level2(reader, walk);
    note_centered_labels(reader);
    // A form without 分值 and 得分 has no total to end with.
    let unscored = head.col(Column::Weight).is_none() && head.col(Column::Score).is_none();
    match end.total_row {
        Some(t) => after_total(reader, head, t),
        None if unscored => {}
        None => {
            let at = end.ended_by.unwrap_or(CellRef {
                row: end.last_row,
                col: head.col(Column::Name).unwrap_or(0),
            });
            reader.note(
                at,
                TableMessage::TotalRowMissing {
                    last_row: end.last_row,
                },
            );
            read_grade(reader, head, head.bottom + 1);
        }
    }
}

/// Reads row `r` under the header: a repeated title or header (skipped), the total (the end),
/// a remark, the notes or a footer (the end), a subtotal, or a row of indicators.
fn read_table_row(
    reader: &mut FormReader<'_, '_>,
    head: &TableHead,
    bounds: &Bounds,
    r: u32,
    walk: &mut Walk,
    end: &mut End,
) -> Step {
    let cells = reader.cells;
    let own = cells.sheet.row(r);
    let (label, continued) = row_label(cells, head, bounds, r);
    // The title repeated over a continued page: `项目支出绩效自评表（续）`, `（2024年度）`.
    if is_title_row(own) {
        reader.note(own[0].at, RowMessage::ContinuedTitle { row: r });
        walk.open = None;
        return Step::Next;
    }
    // The header repeated at the top of a continued page.
    let columns = cells.in_row(r).iter().filter(|l| l.roles.column.is_some());
    if columns.count() >= 3 {
        return Step::Next;
    }
    match label {
        Some((RowLabel::Total, at)) => {
            read_total(reader, head, r, at);
            end.total_row = Some(r);
            return Step::Stop;
        }
        // `注：以下为效益指标` between indicators, or a closing row (其他需要说明事项, 评价结论)
        // standing before the total: a remark, the total still to come.
        Some((RowLabel::Notes | RowLabel::Footer, at))
            if total_follows(cells, r, bounds.label_limit) =>
        {
            reader.note(at, RowMessage::Remark { row: r });
            walk.open = None;
            return Step::Next;
        }
        Some((RowLabel::Notes | RowLabel::Footer, at)) => {
            end.ended_by = Some(at);
            return Step::Stop;
        }
        Some((RowLabel::Subtotal, at)) => {
            reader.note(at, RowMessage::Subtotal { row: r });
            end.last_row = r;
            walk.open = None;
            return Step::Next;
        }
        _ => {}
    }
    if read_row(reader, &Row::new(cells, head, r, &continued), walk) {
        end.last_row = r;
    }
    Step::Next
}

/// The row label of row `r` (the first, read in the label columns — or anywhere in a row that
/// holds no indicator — with its cell) and the columns that say 续上页.
fn row_label(
    cells: &Cells<'_>,
    head: &TableHead,
    bounds: &Bounds,
    r: u32,
) -> (Option<(RowLabel, CellRef)>, Vec<u16>) {
    let sheet = cells.sheet;
    let has_name = head.col(Column::Name).is_some_and(|c| {
        let (v, at) = sheet.get(CellRef { row: r, col: c });
        at.row == r && v.is_some_and(|v| !v.is_blank() && cells.row_label(at, v).is_none())
    });
    // A cell of the row's own in `column` (not text merged in from the left), with `test`.
    let holds = |column: Column, test: &dyn Fn(&SheetValue) -> bool| {
        head.col(column).is_some_and(|col| {
            let at = CellRef { row: r, col };
            sheet.anchor(at) == at && sheet.own(at).is_some_and(|v| !v.is_blank() && test(v))
        })
    };
    let has_numbers = [Column::Weight, Column::Score]
        .iter()
        .any(|c| holds(*c, &|v| decimal(Some(v)).is_some()));
    let has_values = [Column::Target, Column::Actual]
        .iter()
        .any(|c| holds(*c, &|_| true));
    let mut label = None;
    let mut continued: Vec<u16> = Vec::new();
    for cell in sheet.row(r) {
        let in_labels = cell.at.col <= bounds.label_limit;
        if !(in_labels || (!has_name && !has_numbers && !bounds.data_cols.contains(&cell.at.col))) {
            continue;
        }
        // A block label left of the table (项目资金 under the indicators): the table has
        // ended, whatever follows.
        if cell.at.col < bounds.left
            && cells
                .at(cell.at)
                .is_some_and(|l| matches!(l.roles.block, Some(Block::Funds | Block::Goals)))
            && label.is_none()
        {
            label = Some((RowLabel::Footer, cell.at));
            continue;
        }
        match cells.row_label(cell.at, &cell.value) {
            Some(RowLabel::Continued) => continued.push(cell.at.col),
            Some(RowLabel::Grade) => {}
            // Words that start a footer start some indicators too (改进措施落实率): a row with
            // 分值 or 得分, or a name with its target, is an indicator row.
            Some(RowLabel::Notes | RowLabel::Footer)
                if has_numbers || (head.col(Column::Name) == Some(cell.at.col) && has_values) => {}
            Some(found) if label.is_none() => label = Some((found, cell.at)),
            _ => {}
        }
    }
    // `合计` of the indicators with the 总分 on the next row: the first is a subtotal.
    if let Some((RowLabel::Total, at)) = label
        && total_next(cells, r)
    {
        label = Some((RowLabel::Subtotal, at));
    }
    (label, continued)
}

/// True when the row after `r` is a total row.
fn total_next(cells: &Cells<'_>, r: u32) -> bool {
    cells.sheet.rows_from(r + 1).next().is_some_and(|next| {
        cells
            .in_row(next)
            .iter()
            .any(|l| l.roles.row == Some(RowLabel::Total))
    })
}

/// True for a row of nothing but the title or year lines (a continued page's heading).
fn is_title_row(own: &[SheetCell]) -> bool {
    !own.is_empty()
        && own
            .iter()
            .all(|c| matches!(&c.value, SheetValue::Text(t) if is_title_line(t)))
}

/// The 一级/二级 of rows that are not indicators, kept only where no indicator shares the
/// 二级 cell (a 二级 cell shared with indicators is checked with them), once per cell.
fn keep_branches_of_no_indicator(reader: &mut FormReader<'_, '_>) {
    let indicator_cells: Vec<CellRef> = (0..reader.form.indicators.len())
        .filter_map(|i| {
            reader
                .sources
                .get(Field::Indicator(i, IndicatorField::Level2))
        })
        .collect();
    reader
        .shown
        .branches
        .retain(|b| !indicator_cells.contains(&b.cell));
    reader.shown.branches.dedup_by_key(|b| b.cell);
}

/// Every 二级 written on rows without a 三级 that no indicator fills, said once per cell.
fn report_empty_level2(reader: &mut FormReader<'_, '_>, walk: Walk) {
    let mut reported: Vec<CellRef> = Vec::new();
    for empty in walk.empty_level2 {
        if reported.contains(&empty.at) {
            continue;
        }
        reported.push(empty.at);
        let filled = reader
            .form
            .indicators
            .iter()
            .any(|i| i.level1 == empty.level1 && i.level2 == empty.level2);
        if !filled {
            reader.note(
                empty.at,
                TreeMessage::Level2Unfilled {
                    level2: empty.level2,
                },
            );
        }
    }
}

/// True when a total row of this form follows row `r` in the label columns (up to
/// `label_limit`), before anything that starts another form.
fn total_follows(cells: &Cells<'_>, r: u32, label_limit: u16) -> bool {
    let below = cells.labels.iter().filter(|l| l.at.row > r);
    let total = below
        .clone()
        .filter(|l| l.at.col <= label_limit && l.roles.row == Some(RowLabel::Total))
        .map(|l| l.at.row)
        .min();
    let next_form = below
        .filter(|l| l.roles.title || l.roles.header.is_some_and(|h| !h.is_office()))
        .map(|l| l.at.row)
        .min();
    total.is_some_and(|t| next_form.is_none_or(|f| t < f))
}

/// Labels written once in the middle row of their group, unmerged (a table converted from a
/// PDF): the rows above each label read as the group before. What shows it is a first
/// indicator without its 一级 or 二级 while later ones have theirs; which rows belong where
/// cannot be told from the sheet, so the reader says so.
fn note_centered_labels(reader: &mut FormReader<'_, '_>) {
    let indicators = &reader.form.indicators;
    let Some(first) = indicators.first() else {
        return;
    };
    let level = if first.level1.is_empty() && indicators.iter().any(|i| !i.level1.is_empty()) {
        Column::Level1
    } else if first.level2.is_empty() && indicators.iter().any(|i| !i.level2.is_empty()) {
        Column::Level2
    } else {
        return;
    };
    let at = reader
        .sources
        .get(Field::Indicator(0, IndicatorField::Name))
        .unwrap_or_default();
    reader.note(at, TreeMessage::LabelsCentered { level });
}

/// True for the title of the form or its year line (`（2024年度）`, `2024年`), as a printout
/// repeats them over a continued page.
fn is_title_line(text: &str) -> bool {
    let n = fold::label(text);
    let year = n.trim_start_matches('(').trim_end_matches(')');
    let year = year
        .strip_suffix("年度")
        .or_else(|| year.strip_suffix('年'))
        .unwrap_or(year);
    (year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) && year != n)
        || vocabulary::get().is_title(&n)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::read::form::{self, SheetContent};
    use crate::read::sheet::{SheetBuilder, SheetValue};

    /// What a cell of a random sheet holds: a label of any section, a name, a figure, a
    /// value with its unit, or a long text.
    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(vec![
                "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                "偏差原因分析及改进措施", "指标性质", "指标值", "度量单位", "权重", "总分", "合计",
                "小计", "续上页", "绩效指标", "填表人：张三", "填报注意事项：1.", "项目资金（元）",
                "全年预算数", "全年执行数", "执行率", "年度资金总额", "其中：当年财政拨款",
                "年度总体目标", "预期目标", "实际完成情况", "项目名称", "项目支出绩效自评表",
                "产出指标(50分)", "数量指标", "指标1", "……", "其中：明细", "≥", "%", "=8个",
            ]).prop_map(String::from),
            2 => "[运维系统满意度数量质量]{1,8}",
            2 => (0u32..200).prop_map(|n| n.to_string()),
            1 => (0u32..200, "(%|个|万元|人次)").prop_map(|(n, u)| format!("≥{n}{u}")),
            1 => "[文本]{60,80}",
        ]
    }

    /// Cells (row, column, text) and merges (row, column, rows more, columns more).
    type Cells = (Vec<(u32, u32, String)>, Vec<(u32, u32, u32, u32)>);

    /// A sheet with a title, a project and an indicator header in a random column order at
    /// row 3 (so that most are read as forms), and random cells and merges around them.
    fn sheet() -> impl Strategy<Value = Cells> {
        let headers = vec![
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ];
        (
            Just(headers).prop_shuffle(),
            proptest::collection::vec((2u32..30, 0u32..10, token()), 0..160),
            proptest::collection::vec((2u32..30, 0u32..10, 0u32..4, 0u32..3), 0..12),
        )
            .prop_map(|(headers, mut cells, merges)| {
                cells.push((0, 0, "项目支出绩效自评表".to_string()));
                cells.push((1, 0, "项目名称".to_string()));
                for (c, h) in headers.iter().enumerate() {
                    cells.insert(0, (3, 1 + c as u32, h.to_string()));
                }
                (cells, merges)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Whatever labels, figures and merges a sheet holds, reading it never panics, every
        /// indicator read has a name and a figure, and none is named after a label.
        #[test]
        fn random_sheets_read_into_plausible_forms((cells, merges) in sheet()) {
            // (The header cells come first: random cells pushed later over them win.)
            let mut b = SheetBuilder::default();
            for (r, c, t) in cells {
                b.push(r, c, SheetValue::Text(t)).unwrap();
            }
            for (r, c, h, w) in merges {
                b.merge((r, c), (r + h, c + w)).unwrap();
            }
            let sheet = b.build("表".into());
            if let SheetContent::Form(read) = form::read(&sheet) {
                let v = crate::vocabulary::get();
                for ind in &read.form.indicators {
                    prop_assert!(!ind.name.trim().is_empty());
                    prop_assert!(
                        !ind.target.is_empty()
                            || !ind.actual.is_empty()
                            || ind.weight.is_some()
                            || ind.score.is_some(),
                        "{ind:?}"
                    );
                    prop_assert!(!v.is_label(&ind.name), "{ind:?}");
                }
            }
        }
    }
}
