//! The indicator table (绩效指标): its header and the role of every column, then its rows.
//!
//! A row is an indicator only when it has a 三级 name and at least one of target, actual,
//! 分值 or 得分. Template rows (`指标2`, `……`), detail rows (`其中…` without 分值), 二级 rows
//! without a 三级, 小计 rows and rows the reader cannot place are recognised for what they
//! are, reported, and never scored. The table ends at the total row — wherever its label
//! stands — or at the notes or the rows after the table.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::extract::{Label, Reader, Scan, decimal, quote, text};
use super::sheet::Value;
use crate::finding::Severity;
use crate::model::{Branch, CellRef, Field, Indicator, IndicatorField, Subtotal};
use crate::vocabulary::{
    self, Block, Column, Qualifier, RowLabel, normalize, split_qualifier, strip_enumerator,
};

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
    text: String,
}

/// The indicator header: its rows and the column of each role.
#[derive(Debug, Clone)]
pub(super) struct TableHead {
    /// The first header row.
    pub top: u32,
    /// The last header row (merged header cells, a second row of sub-headers).
    pub bottom: u32,
    /// The column of each role; a split target has `TargetSign`/`TargetUnit` beside
    /// `Target` (its number).
    columns: BTreeMap<Column, u16>,
    /// More columns of 偏差原因 (`偏差原因分析 | 改进措施`): their texts are joined.
    more_deviation: Vec<u16>,
    /// Roles placed by position, with the header text.
    guessed: Vec<(Column, Unknown)>,
    /// Header cells not read, with why.
    ignored: Vec<(Unknown, &'static str)>,
    /// The rightmost column of the header.
    right: u32,
    /// Where the header starts over to the right (一级指标 again): a second form beside the
    /// first, which is not read.
    beside: Option<CellRef>,
}

impl TableHead {
    fn col(&self, column: Column) -> Option<u16> {
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

    /// True when the target is split over sign / number / unit columns.
    fn split(&self) -> bool {
        self.columns.contains_key(&Column::TargetSign)
            || self.columns.contains_key(&Column::TargetUnit)
    }
}

/// The roles of the labels written in `row`.
fn roles<'s, 'a>(scan: &'s Scan<'a>, row: u32) -> Vec<(Column, &'s Label<'a>)> {
    scan.in_row(row)
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
pub(super) fn find_header(scan: &Scan<'_>) -> Option<TableHead> {
    let mut rows: Vec<u32> = scan.labels.iter().map(|l| l.at.row).collect();
    rows.dedup();
    let top = rows.into_iter().find(|&r| is_header(&roles(scan, r)))?;
    let first = roles(scan, top);
    let mut known: Vec<Column> = first.iter().map(|(c, _)| *c).collect();
    let mut bottom = first.iter().map(|(_, l)| l.last.row).max().unwrap_or(top);
    // Rows of sub-headers: `指标性质 | 指标值 | 度量单位` under a merged 年度指标值, or
    // `一级指标 | 二级指标 | 三级指标` under a merged 绩效指标 — a row that adds columns.
    for _ in 0..2 {
        let next = roles(scan, bottom + 1);
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
    Some(map_columns(scan, top, bottom))
}

/// The role of every header cell of rows `top..=bottom`.
fn map_columns(scan: &Scan<'_>, top: u32, bottom: u32) -> TableHead {
    let mut cells: Vec<&Label<'_>> = (top..=bottom).flat_map(|r| scan.in_row(r)).collect();
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
    let mut right = 0u32;
    let mut beside = None;
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
        let Some(mut role) = l.roles.column else {
            // The block label beside the header (`绩效指标`) is no column.
            if l.roles.block.is_none() && l.roles.row.is_none() {
                unknown.push(Unknown {
                    at: l.at,
                    text: quote(l.text),
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
        if columns.contains_key(&role) {
            ignored.push((
                Unknown {
                    at: l.at,
                    text: quote(l.text),
                },
                "与前面的列重复",
            ));
            continue;
        }
        columns.insert(role, l.at.col);
    }
    let mut head = TableHead {
        top,
        bottom,
        columns,
        more_deviation,
        guessed: Vec::new(),
        ignored,
        right,
        beside,
    };
    guess_by_position(&mut head, unknown);
    head
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
        .extend(unknown.into_iter().map(|u| (u, "不是已知的列名")));
}

/// Where the level state stands while rows are read.
#[derive(Debug, Default)]
struct Levels {
    level1: Option<(String, CellRef)>,
    level2: Option<(String, CellRef)>,
}

/// What reading the rows of a table keeps track of from row to row.
#[derive(Default)]
struct Walk {
    /// The 一级 and 二级 in force.
    levels: Levels,
    /// 二级 written on rows without a 三级, to report those no indicator fills.
    empty_level2: Vec<EmptyLevel2>,
    /// The 一级 cells whose printed subtotal is already recorded.
    subtotal_cells: Vec<CellRef>,
    /// The indicator read on the rows just above, whose 偏差原因 a row of its own may go on
    /// with ([`deviation_goes_on`]).
    open: Option<usize>,
}

/// A 二级 written on a row without a 三级.
struct EmptyLevel2 {
    level1: String,
    level2: String,
    at: CellRef,
}

/// Reads the header's findings and the table's rows into the form.
pub(super) fn read(reader: &mut Reader<'_, '_>, head: &TableHead) {
    report_header(reader, head);
    reader.shown.unit_column = head.col(Column::TargetUnit).is_some();
    let scan = reader.scan;
    let sheet = scan.sheet;
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
    let table_left = head.columns.values().copied().min().unwrap_or(0);
    let data_cols: Vec<u16> = [
        Column::Target,
        Column::TargetSign,
        Column::TargetUnit,
        Column::Actual,
        Column::Weight,
        Column::Score,
    ]
    .iter()
    .filter_map(|c| head.col(*c))
    .collect();
    let mut walk = Walk::default();
    let mut last_row = head.bottom;
    let mut total_row = None;
    let mut ended_by = None;
    let rows: Vec<u32> = sheet.rows_from(head.bottom + 1).collect();
    for r in rows {
        let own = sheet.row(r);
        let name_cell = head
            .col(Column::Name)
            .map(|c| sheet.get(CellRef { row: r, col: c }));
        let has_name = name_cell.as_ref().is_some_and(|(v, at)| {
            at.row == r && v.is_some_and(|v| !v.is_blank() && scan.row_label(*at, v).is_none())
        });
        // A cell of the row's own in `column` (not text merged in from the left), with `test`.
        let holds = |column: Column, test: &dyn Fn(&Value) -> bool| {
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
        for cell in own {
            let in_labels = cell.at.col <= label_limit;
            if !(in_labels || (!has_name && !has_numbers && !data_cols.contains(&cell.at.col))) {
                continue;
            }
            // A block label left of the table (项目资金 under the indicators): the table
            // has ended, whatever follows.
            if cell.at.col < table_left
                && scan
                    .at(cell.at)
                    .is_some_and(|l| matches!(l.roles.block, Some(Block::Funds | Block::Goals)))
                && label.is_none()
            {
                label = Some((RowLabel::Footer, cell.at));
                continue;
            }
            match scan.row_label(cell.at, &cell.value) {
                Some(RowLabel::Continued) => continued.push(cell.at.col),
                Some(RowLabel::Grade) => {}
                // Words that start a footer start some indicators too (改进措施落实率): a
                // row with 分值 or 得分, or a name with its target, is an indicator row.
                Some(RowLabel::Notes | RowLabel::Footer)
                    if has_numbers
                        || (head.col(Column::Name) == Some(cell.at.col) && has_values) => {}
                Some(found) if label.is_none() => label = Some((found, cell.at)),
                _ => {}
            }
        }
        // The title repeated over a continued page: `项目支出绩效自评表（续）`, `（2024年度）`.
        if !own.is_empty()
            && own
                .iter()
                .all(|c| matches!(&c.value, Value::Text(t) if is_title_line(t)))
        {
            reader.note(
                "row-continued-title",
                Severity::Info,
                own[0].at,
                format!("第 {} 行是续页的表题，不作为指标读取", r + 1),
            );
            walk.open = None;
            continue;
        }
        // The header repeated at the top of a continued page.
        if scan
            .in_row(r)
            .iter()
            .filter(|l| l.roles.column.is_some())
            .count()
            >= 3
        {
            continue;
        }
        // `合计` of the indicators with the 总分 on the next row: the first is a subtotal.
        let total_next = || {
            sheet.rows_from(r + 1).next().is_some_and(|next| {
                scan.in_row(next)
                    .iter()
                    .any(|l| l.roles.row == Some(RowLabel::Total))
            })
        };
        if let Some((RowLabel::Total, at)) = label
            && total_next()
        {
            label = Some((RowLabel::Subtotal, at));
        }
        match label {
            Some((RowLabel::Total, at)) => {
                read_total(reader, head, r, at);
                total_row = Some(r);
                break;
            }
            // `注：以下为效益指标` between indicators, with the total still to come: a remark.
            Some((RowLabel::Notes, at)) if total_follows(scan, r, label_limit) => {
                reader.note(
                    "row-remark",
                    Severity::Info,
                    at,
                    format!("第 {} 行是表格中的说明文字，不作为指标读取", r + 1),
                );
                walk.open = None;
                continue;
            }
            Some((RowLabel::Notes | RowLabel::Footer, at)) => {
                ended_by = Some(at);
                break;
            }
            Some((RowLabel::Subtotal, at)) => {
                reader.note(
                    "row-subtotal",
                    Severity::Info,
                    at,
                    format!("第 {} 行是小计行，不作为指标读取", r + 1),
                );
                last_row = r;
                walk.open = None;
                continue;
            }
            _ => {}
        }
        if read_row(reader, head, r, &continued, &mut walk) {
            last_row = r;
        }
    }
    // A 二级 cell shared with indicators is checked with them.
    let indicator_cells: Vec<CellRef> = (0..reader.form.indicators.len())
        .filter_map(|i| {
            reader
                .cells
                .get(Field::Indicator(i, IndicatorField::Level2))
        })
        .collect();
    reader
        .shown
        .branches
        .retain(|b| !indicator_cells.contains(&b.cell));
    reader.shown.branches.dedup_by_key(|b| b.cell);
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
                "tree-level2-empty",
                Severity::Error,
                empty.at,
                format!(
                    "二级指标“{}”下没有三级指标：每个二级指标下应至少写一条三级指标，或删除该行",
                    quote(&empty.level2)
                ),
            );
        }
    }
    note_centered_labels(reader);
    match total_row {
        Some(t) => after_total(reader, head, t),
        None => {
            let at = ended_by.unwrap_or(CellRef {
                row: last_row,
                col: head.col(Column::Name).unwrap_or(0),
            });
            reader.note(
                "total-row-missing",
                Severity::Warning,
                at,
                format!(
                    "未找到“总分”行：绩效指标读到第 {} 行为止，表格可能不完整",
                    last_row + 1
                ),
            );
            read_grade(reader, head, head.bottom + 1);
        }
    }
}

/// True when a total row of this form follows row `r` in the label columns (up to
/// `label_limit`), before anything that starts another form.
fn total_follows(scan: &Scan<'_>, r: u32, label_limit: u16) -> bool {
    let below = scan.labels.iter().filter(|l| l.at.row > r);
    let total = below
        .clone()
        .filter(|l| l.at.col <= label_limit && l.roles.row == Some(RowLabel::Total))
        .map(|l| l.at.row)
        .min();
    let next_form = below
        .filter(|l| l.roles.title || l.roles.header.is_some())
        .map(|l| l.at.row)
        .min();
    total.is_some_and(|t| next_form.is_none_or(|f| t < f))
}

/// Labels written once in the middle row of their group, unmerged (a table converted from a
/// PDF): the rows above each label read as the group before. What shows it is a first
/// indicator without its 一级 or 二级 while later ones have theirs; which rows belong where
/// cannot be told from the sheet, so the reader says so.
fn note_centered_labels(reader: &mut Reader<'_, '_>) {
    let indicators = &reader.form.indicators;
    let Some(first) = indicators.first() else {
        return;
    };
    let level = if first.level1.is_empty() && indicators.iter().any(|i| !i.level1.is_empty()) {
        "一级指标"
    } else if first.level2.is_empty() && indicators.iter().any(|i| !i.level2.is_empty()) {
        "二级指标"
    } else {
        return;
    };
    let at = reader
        .cells
        .get(Field::Indicator(0, IndicatorField::Name))
        .unwrap_or_default();
    reader.note(
        "tree-labels-centered",
        Severity::Warning,
        at,
        format!(
            "第一个指标没有{level}，后面的指标有：{level}可能只写在每组的中间一行（如由 PDF 转换的表格），每组上面几行会被读入上一组：请核实每个指标的{level}，或合并单元格后再检查"
        ),
    );
}

/// Findings about the header: columns missing, placed by position, or not read.
fn report_header(reader: &mut Reader<'_, '_>, head: &TableHead) {
    let header_row = head.top + 1;
    let first = CellRef {
        row: head.top,
        col: head.columns.values().copied().min().unwrap_or(0),
    };
    for column in ORDERS[0] {
        if head.columns.contains_key(&column) {
            continue;
        }
        let required = REQUIRED.contains(&column);
        reader.note(
            "column-missing",
            if required {
                Severity::Error
            } else {
                Severity::Warning
            },
            first,
            format!(
                "绩效指标表头（第 {header_row} 行）中没有“{}”列{}",
                column.label(),
                if required {
                    "：无法审核该项，请按表样补上这一列"
                } else {
                    ""
                }
            ),
        );
    }
    for (column, u) in head.guessed.clone() {
        reader.note(
            "column-guessed",
            Severity::Warning,
            u.at,
            format!(
                "表头“{}”（{}）不是已知的列名，按位置读作“{}”：请核实，或改用表样的列名",
                u.text,
                u.at,
                column.label()
            ),
        );
    }
    for (u, why) in head.ignored.clone() {
        reader.note(
            "column-ignored",
            Severity::Info,
            u.at,
            format!("表头“{}”（{}）{}，该列未读取", u.text, u.at, why),
        );
    }
    if let Some(at) = head.beside {
        reader.note(
            "sheet-more-forms",
            Severity::Warning,
            at,
            format!(
                "{at} 起的表头又从一级指标开始，似乎右侧还有一份自评表：每张工作表只读取第一份，请把每份表放在单独的工作表中"
            ),
        );
    }
}

/// What a level cell says: the name (without white space or a printed subtotal) and the
/// subtotal, when the cell holds text.
fn level_text(
    scan: &Scan<'_>,
    value: Option<&Value>,
    at: CellRef,
) -> Option<(String, Option<rust_decimal::Decimal>)> {
    let t = text(value);
    if t.is_empty() || value.is_some_and(|v| scan.row_label(at, v) == Some(RowLabel::Continued)) {
        return None;
    }
    let n = normalize(&t);
    let (base, q) = split_qualifier(&n);
    let base = strip_enumerator(base);
    if let Some(Qualifier::Points(p)) = q {
        return Some((base.to_string(), Some(p)));
    }
    // Other ways of printing a 一级's subtotal, taken only when what is left is a 一级 of a
    // tree: `产出指标（50）`, `产出指标：50分`, `产出指标50`, `产出指标[分值50]`,
    // `产出指标（权重50%）`.
    if let Some((name, points)) = points_after(base)
        && vocabulary::get()
            .trees
            .iter()
            .any(|t| t.position(name).is_some())
    {
        return Some((name.to_string(), Some(points)));
    }
    Some((base.to_string(), None))
}

/// `产出指标(50)` → (`产出指标`, 50): a number at the end of a normalised label, bracketed or
/// not, with `分`, `%`, `分值`/`权重` around it.
fn points_after(n: &str) -> Option<(&str, Decimal)> {
    let (name, inner) = match n.strip_suffix([')', ']']) {
        Some(open) => open.rsplit_once(['(', '['])?,
        None => {
            let digits = n
                .trim_end_matches(['分', '%'])
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
            (digits, &n[digits.len()..])
        }
    };
    let inner = inner
        .trim_start_matches("分值")
        .trim_start_matches("权重")
        .trim_start_matches(':')
        .trim_end_matches(['分', '%']);
    let points = inner.parse::<Decimal>().ok()?;
    let name = name.trim_end_matches(':');
    (!name.is_empty()).then_some((name, points))
}

/// Reads one row of the table; returns whether the row held anything of the table.
fn read_row(
    reader: &mut Reader<'_, '_>,
    head: &TableHead,
    r: u32,
    continued: &[u16],
    walk: &mut Walk,
) -> bool {
    if let Some(i) = walk.open
        && deviation_goes_on(reader, head, r, continued, walk, i)
    {
        return true;
    }
    let before = reader.form.indicators.len();
    let held = read_row_into(reader, head, r, continued, walk);
    walk.open = (reader.form.indicators.len() > before).then_some(before);
    if held
        && reader.form.indicators.len() == before
        && let (Some((level1, _)), Some((level2, at))) = (&walk.levels.level1, &walk.levels.level2)
        && at.row == r
    {
        reader.shown.branches.push(Branch {
            level1: level1.clone(),
            level2: level2.clone(),
            cell: *at,
        });
    }
    held
}

/// Whether row `r` goes on with the 偏差原因 of indicator `i`, read on the rows just above:
/// it holds 偏差原因 text and nothing else of an indicator (its 一级 and 二级 blank, merged
/// from above or repeated as they stand). A printout continues a long text on the next page in
/// a row of its own, and jixiao writes one taller than a spreadsheet row so; the text is
/// joined to the indicator's as it stands.
fn deviation_goes_on(
    reader: &mut Reader<'_, '_>,
    head: &TableHead,
    r: u32,
    continued: &[u16],
    walk: &Walk,
    i: usize,
) -> bool {
    let sheet = reader.scan.sheet;
    // What the row itself holds in `col`: not a cell merged from above, not blank.
    let own = |col: u16| {
        let at = CellRef { row: r, col };
        (sheet.anchor(at) == at && !continued.contains(&col))
            .then(|| sheet.own(at))
            .flatten()
            .filter(|v| !v.is_blank())
            .map(|v| (v, at))
    };
    let in_force = |level: &Option<(String, CellRef)>, col: u16| {
        own(col).is_none_or(|(v, at)| {
            level_text(reader.scan, Some(v), at).map(|(name, _)| name)
                == level.as_ref().map(|(name, _)| name.clone())
        })
    };
    let others_blank = head.columns.iter().all(|(&column, &col)| match column {
        Column::Deviation | Column::Block => true,
        Column::Level1 => in_force(&walk.levels.level1, col),
        Column::Level2 => in_force(&walk.levels.level2, col),
        _ => own(col).is_none(),
    });
    let Some(first) = head.col(Column::Deviation) else {
        return false;
    };
    if !others_blank {
        return false;
    }
    let mut text = String::new();
    let mut cells = Vec::new();
    for col in std::iter::once(first).chain(head.more_deviation.iter().copied()) {
        if let Some((v, at)) = own(col) {
            if !text.is_empty() {
                text.push('；');
            }
            text.push_str(&v.display());
            cells.push(at);
        }
    }
    if text.is_empty() {
        return false;
    }
    let field = Field::Indicator(i, IndicatorField::Deviation);
    let mut parts = reader.cells.parts(field).to_vec();
    if parts.is_empty() {
        parts.extend(reader.cells.get(field));
    }
    // A break at a space leaves it at the end of the part above (trimmed as it was read).
    let spaced = parts
        .last()
        .and_then(|&at| sheet.own(at))
        .is_some_and(|v| v.display().ends_with(char::is_whitespace))
        || text.starts_with(char::is_whitespace);
    parts.extend(cells);
    reader.cells.insert_parts(field, parts);
    let deviation = &mut reader.form.indicators[i].deviation;
    if spaced && !deviation.is_empty() {
        deviation.push(' ');
    }
    deviation.push_str(text.trim());
    true
}

/// [`read_row`] without the bookkeeping of rows that are not indicators.
fn read_row_into(
    reader: &mut Reader<'_, '_>,
    head: &TableHead,
    r: u32,
    continued: &[u16],
    walk: &mut Walk,
) -> bool {
    let Walk {
        levels,
        empty_level2,
        subtotal_cells,
        ..
    } = walk;
    let sheet = reader.scan.sheet;
    let get = |column: Column| {
        head.col(column)
            .filter(|c| !continued.contains(c))
            .map(|col| sheet.get(CellRef { row: r, col }))
    };
    let own = |column: Column| -> (Option<&Value>, Option<CellRef>) {
        match get(column) {
            Some((v, at)) if at.row == r => (v.filter(|v| !v.is_blank()), Some(at)),
            Some((_, at)) => (None, Some(at)),
            None => (None, None),
        }
    };

    // 一级 and 二级: written here, merged over this row from above, or carried down.
    let mut new_group = false;
    if let Some((value, at)) = get(Column::Level1)
        && let Some((name, points)) = level_text(reader.scan, value, at)
    {
        if let Some(points) = points
            && !subtotal_cells.contains(&at)
        {
            subtotal_cells.push(at);
            reader.shown.subtotals.push(Subtotal {
                level1: name.clone(),
                points,
                cell: at,
            });
        }
        new_group = levels.level1.as_ref().is_none_or(|(n, _)| *n != name);
        levels.level1 = Some((name, at));
    }
    let level2_here = get(Column::Level2)
        .and_then(|(value, at)| level_text(reader.scan, value, at).map(|(n, _)| (n, at)));
    match &level2_here {
        Some(l2) => levels.level2 = Some(l2.clone()),
        None if new_group => levels.level2 = None,
        None => {}
    }

    let name = own(Column::Name);
    let name_text = text(name.0);
    let target = read_target(reader, head, r, continued);
    let actual = get(Column::Actual).map(|(v, at)| (text(v), at));
    let weight = own(Column::Weight);
    let score = own(Column::Score);
    let deviation = get(Column::Deviation).map(|(v, at)| {
        let mut t = text(v);
        let mut parts = vec![at];
        for &col in &head.more_deviation {
            let (v, at) = sheet.get(CellRef { row: r, col });
            let more = text(v);
            if !more.is_empty() {
                if !t.is_empty() {
                    t.push('；');
                }
                t.push_str(&more);
            }
            parts.push(at);
        }
        (t, parts)
    });
    let has_content = !target.0.is_empty()
        || actual
            .as_ref()
            .is_some_and(|(t, at)| !t.is_empty() && at.row == r)
        || decimal(weight.0).is_some()
        || decimal(score.0).is_some();

    let v = vocabulary::get();
    let (level1, level2) = (
        levels.level1.clone().unwrap_or_default(),
        levels.level2.clone().unwrap_or_default(),
    );
    if name_text.is_empty() {
        if has_content {
            let at = [target.1.first().copied(), weight.1, score.1]
                .into_iter()
                .flatten()
                .next()
                .unwrap_or(CellRef { row: r, col: 0 });
            reader.note(
                "row-unplaced",
                Severity::Warning,
                at,
                format!(
                    "第 {} 行有年度指标值、实际完成值、分值或得分，但没有三级指标名称，未作为指标读取：请补上指标名称或删除该行",
                    r + 1
                ),
            );
            return true;
        }
        if let Some((l2, at)) = level2_here.as_ref().filter(|(_, at)| at.row == r) {
            empty_level2.push(EmptyLevel2 {
                level1: level1.0.clone(),
                level2: l2.clone(),
                at: *at,
            });
            return true;
        }
        return level2_here.is_some() || new_group;
    }
    let name_at = name.1.unwrap_or(CellRef { row: r, col: 0 });
    // A label where a 三级 name belongs (a header cell copied into the table): no indicator.
    if v.is_label(&name_text) {
        reader.note(
            "row-unplaced",
            Severity::Warning,
            name_at,
            format!(
                "第 {} 行的“{}”是表头或栏目文字，不是三级指标，该行未作为指标读取：请核实",
                r + 1,
                quote(&name_text)
            ),
        );
        return true;
    }
    let is_placeholder = v.placeholders.is_placeholder(&name_text);
    if !has_content {
        let (code, message) = if is_placeholder {
            (
                "row-placeholder",
                format!(
                    "第 {} 行“{}”是模板的占位行，未作为指标读取：请删除该行，或填写实际的指标",
                    r + 1,
                    quote(&name_text)
                ),
            )
        } else {
            (
                "row-incomplete",
                format!(
                    "第 {} 行三级指标“{}”没有年度指标值、实际完成值、分值和得分，未作为指标读取：请补全或删除该行",
                    r + 1,
                    quote(&name_text)
                ),
            )
        };
        reader.note(code, Severity::Warning, name_at, message);
        if !level2.0.is_empty() && is_placeholder {
            empty_level2.push(EmptyLevel2 {
                level1: level1.0.clone(),
                level2: level2.0.clone(),
                at: level2.1,
            });
        }
        return true;
    }
    let detail = weight.0.is_none()
        && score.0.is_none()
        && name_text
            .trim_start_matches(|c: char| c.is_whitespace() || "★☆*＊·•-—".contains(c))
            .starts_with("其中");
    if detail {
        reader.note(
            "row-detail",
            Severity::Info,
            name_at,
            format!(
                "第 {} 行“{}”是明细行（没有分值和得分），不作为指标计分",
                r + 1,
                quote(&name_text)
            ),
        );
        return true;
    }

    // A 分值 or 得分 the rules cannot use: say why, where the rules only see it missing.
    for ((value, at), what) in [(weight, "分值"), (score, "得分")] {
        let Some(at) = at else { continue };
        let message = match value {
            Some(v) if decimal(Some(v)).is_none() => format!(
                "第 {} 行的{what}“{}”不是数字，按未填写读取：请填写数字",
                r + 1,
                quote(&v.display())
            ),
            None if at.row < r && sheet.own(at).is_some_and(|v| !v.is_blank()) => format!(
                "第 {} 行的{what}单元格与上面的行合并（{at}），本行没有自己的{what}：请为每个指标分别填写{what}",
                r + 1
            ),
            _ => continue,
        };
        reader.note("figure-unreadable", Severity::Warning, at, message);
    }
    let i = reader.form.indicators.len();
    let field = |f| Field::Indicator(i, f);
    let mut indicator = Indicator {
        level1: level1.0,
        level2: level2.0,
        name: name_text,
        target: target.0,
        weight: decimal(weight.0),
        score: decimal(score.0),
        ..Indicator::default()
    };
    if !indicator.level1.is_empty() || head.col(Column::Level1).is_some() {
        reader.cells.insert(field(IndicatorField::Level1), level1.1);
    }
    if !indicator.level2.is_empty() || head.col(Column::Level2).is_some() {
        let at = if indicator.level2.is_empty() {
            get(Column::Level2).map_or(level2.1, |(_, at)| at)
        } else {
            level2.1
        };
        reader.cells.insert(field(IndicatorField::Level2), at);
    }
    reader.cells.insert(field(IndicatorField::Name), name_at);
    if !target.1.is_empty() {
        reader
            .cells
            .insert_parts(field(IndicatorField::Target), target.1.clone());
    }
    if let Some((t, at)) = actual {
        indicator.actual = t;
        reader.cells.insert(field(IndicatorField::Actual), at);
    }
    for (f, cell) in [
        (IndicatorField::Weight, weight.1),
        (IndicatorField::Score, score.1),
    ] {
        if let Some(at) = cell {
            reader.cells.insert(field(f), at);
        }
    }
    if let Some((t, parts)) = deviation {
        indicator.deviation = t;
        if parts.len() > 1 {
            reader
                .cells
                .insert_parts(field(IndicatorField::Deviation), parts);
        } else {
            reader
                .cells
                .insert(field(IndicatorField::Deviation), parts[0]);
        }
    }
    reader.form.indicators.push(indicator);
    true
}

/// The target of row `r`: one cell, or sign + number + unit of a split target, with the
/// cells it came from (the number's first).
fn read_target(
    reader: &Reader<'_, '_>,
    head: &TableHead,
    r: u32,
    continued: &[u16],
) -> (String, Vec<CellRef>) {
    let sheet = reader.scan.sheet;
    let cell = |column: Column| {
        head.col(column)
            .filter(|c| !continued.contains(c))
            .map(|col| sheet.get(CellRef { row: r, col }))
    };
    let Some((value, at)) = cell(Column::Target) else {
        return (String::new(), Vec::new());
    };
    if !head.split() {
        return (text(value), vec![at]);
    }
    let mut cells = vec![at];
    let mut sign = String::new();
    if let Some((value, sign_at)) = cell(Column::TargetSign) {
        cells.push(sign_at);
        sign = text(value);
    }
    let mut unit = String::new();
    if let Some((value, unit_at)) = cell(Column::TargetUnit) {
        cells.push(unit_at);
        unit = text(value);
    }
    let out = vocabulary::get().join_target(&sign, &text(value), &unit);
    (out, cells)
}

/// 总分 from the 得分 column of the total row (or written in its label, `总分：96`), and
/// the 等级 printed beside or under it.
fn read_total(reader: &mut Reader<'_, '_>, head: &TableHead, r: u32, label_at: CellRef) {
    let sheet = reader.scan.sheet;
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
        && let Some(Value::Text(t)) = sheet.own(at)
        && let Some((d, g)) = total_with_grade(t)
    {
        found = Some((Some(d), at));
        grade = Some((g, at));
    }
    if found.as_ref().is_none_or(|(d, _)| d.is_none())
        && let Some(Value::Text(t)) = sheet.own(label_at)
        && let Some((_, number)) = t.split_once([':', '：'])
        && let Some(d) = super::extract::decimal_text(number)
    {
        found = Some((Some(d), label_at));
    }
    let (value, at) = found.unwrap_or((None, label_at));
    reader.form.total_score = value;
    reader.cells.insert(Field::TotalScore, at);
    read_grade(reader, head, r);
    // A grade written alone beside the total, without its label: `96.00 | 优`.
    // Only the first cell after the total, and only a grade word in it.
    let beside = || {
        let from = at.col.max(label_at.col);
        let next = sheet.row(r).iter().find(|c| c.at.col > from)?;
        let Value::Text(t) = &next.value else {
            return None;
        };
        crate::model::Grade::parse(&normalize(t)).map(|_| (t.trim().to_string(), next.at))
    };
    if reader.form.grade.is_none()
        && let Some((g, at)) = grade.or_else(beside)
    {
        reader.form.grade = Some(g);
        reader.cells.insert(Field::Grade, at);
    }
}

/// True for the title of the form or its year line (`（2024年度）`, `2024年`), as a printout
/// repeats them over a continued page.
fn is_title_line(text: &str) -> bool {
    let n = normalize(text);
    let year = n.trim_start_matches('(').trim_end_matches(')');
    let year = year
        .strip_suffix("年度")
        .or_else(|| year.strip_suffix('年'))
        .unwrap_or(year);
    (year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) && year != n)
        || vocabulary::get().is_title(&n)
}

/// `96.00（优）`, `96分(良好)`, `96 优`: a total written with its grade, as the number and the
/// grade's text.
fn total_with_grade(text: &str) -> Option<(Decimal, String)> {
    let t = normalize(text);
    let (number, grade) = match t.strip_suffix(')').and_then(|x| x.rsplit_once('(')) {
        Some(split) => split,
        None => {
            let at = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '分'))?;
            t.split_at(at)
        }
    };
    crate::model::Grade::parse(grade)?;
    let d = super::extract::decimal_text(number)?;
    Some((d, grade.to_string()))
}

/// 等级 right of its label, on the total row or after it.
fn read_grade(reader: &mut Reader<'_, '_>, head: &TableHead, from: u32) {
    let scan = reader.scan;
    let Some(label) = scan
        .labels
        .iter()
        .filter(|l| l.at.row >= from)
        .find(|l| l.roles.row == Some(RowLabel::Grade))
    else {
        return;
    };
    let (value, at) = scan.right_of(label, head.right(), |l| l.roles.row.is_some());
    let t = text(value);
    if !t.is_empty() {
        reader.form.grade = Some(t);
        reader.cells.insert(Field::Grade, at);
    }
}

/// Rows after the total that still look like indicators, or a second form on the sheet: the
/// reader stops at the total, and says so.
fn after_total(reader: &mut Reader<'_, '_>, head: &TableHead, total: u32) {
    let scan = reader.scan;
    let sheet = scan.sheet;
    // Past the notes or the sign-off only a second form is looked for.
    let mut past_table = false;
    for r in sheet.rows_from(total + 1) {
        if let Some(l) = scan.in_row(r).iter().find(|l| {
            l.roles.title
                || matches!(
                    l.roles.header,
                    Some(crate::vocabulary::HeaderLabel::Project)
                )
        }) {
            reader.note(
                "sheet-more-forms",
                Severity::Warning,
                l.at,
                format!(
                    "第 {} 行起似乎还有一份自评表：每张工作表只读取第一份，请把每份表放在单独的工作表中",
                    r + 1
                ),
            );
            return;
        }
        // The notes, the sign-off, or a block of the form under the table (项目资金 printed
        // below it).
        past_table = past_table
            || sheet.row(r).iter().any(|c| {
                scan.row_label(c.at, &c.value)
                    .is_some_and(|l| matches!(l, RowLabel::Notes | RowLabel::Footer))
            })
            || scan
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
                "rows-after-total",
                Severity::Warning,
                at,
                format!(
                    "总分行（第 {} 行）之后的第 {} 行仍有指标内容，未读取：请核实表格，总分行应在全部指标之后",
                    total + 1,
                    r + 1
                ),
            );
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The ways a 一级's subtotal is printed after its name.
    #[test]
    fn points_after_a_name() {
        use rust_decimal::Decimal;
        let n = |s: &str| super::normalize(s);
        for written in [
            "产出指标（50）",
            "产出指标：50分",
            "产出指标 50分",
            "产出指标50",
            "产出指标[50分]",
            "产出指标(分值50)",
            "产出指标（权重50%）",
        ] {
            assert_eq!(
                super::points_after(&n(written)),
                Some(("产出指标", Decimal::from(50))),
                "{written}"
            );
        }
        for plain in ["产出指标", "(50)", "指标"] {
            assert_eq!(super::points_after(&n(plain)), None, "{plain}");
        }
    }

    use super::super::extract::{self, Found};
    use super::super::sheet::{SheetBuilder, Value};

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
                b.push(r, c, Value::Text(t)).unwrap();
            }
            for (r, c, h, w) in merges {
                b.merge((r, c), (r + h, c + w)).unwrap();
            }
            let sheet = b.build("表".into());
            if let Found::Form(read) = extract::form(&sheet) {
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
