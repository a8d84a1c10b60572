//! One row of the indicator table read into an indicator, column by column: a handler per
//! column role reads its cell (or cells) into the [`Draft`] of the indicator, with the cells
//! it came from, driven by the header's mapping of roles to columns; the row is then judged as
//! a whole (an indicator, a template row, a 二级 without a 三级, a detail row, a row the reader
//! cannot place) and, when it is an indicator, committed with its source cells.

use super::head::TableHead;
use super::levels::{EmptyLevel2, Walk, level_text};
use crate::message::RowMessage;
use crate::model::{Branch, CellRef, Field, Indicator, IndicatorField, Subtotal};
use crate::read::form::cells::Cells;
use crate::read::form::reader::FormReader;
use crate::read::form::value::{decimal, text};
use crate::read::sheet::SheetValue;
use crate::vocabulary::{self, Column};

/// One row of the table, as its column handlers see it: the sheet, the header, the row, and
/// the columns whose cell says 续上页.
pub(super) struct Row<'r, 'a> {
    cells: &'r Cells<'a>,
    head: &'r TableHead,
    /// The row, zero-based.
    pub r: u32,
    /// The columns whose cell in this row says 续上页 (and is not read).
    continued: &'r [u16],
}

impl<'r, 'a> Row<'r, 'a> {
    /// Row `r` of the table under `head`.
    pub fn new(cells: &'r Cells<'a>, head: &'r TableHead, r: u32, continued: &'r [u16]) -> Self {
        Row {
            cells,
            head,
            r,
            continued,
        }
    }

    /// What a person sees in `column` of this row (through merges), with the cell that holds
    /// it; `None` when the table has no such column or the cell says 续上页.
    pub fn get(&self, column: Column) -> Option<(Option<&'a SheetValue>, CellRef)> {
        self.head
            .col(column)
            .filter(|c| !self.continued.contains(c))
            .map(|col| self.cells.sheet.get(CellRef { row: self.r, col }))
    }

    /// The row's own cell in `column`.
    fn own(&self, column: Column) -> Own<'a> {
        match self.get(column) {
            Some((v, at)) if at.row == self.r => Own {
                value: v.filter(|v| !v.is_blank()),
                at: Some(at),
            },
            Some((_, at)) => Own {
                value: None,
                at: Some(at),
            },
            None => Own::default(),
        }
    }

    /// What the row itself holds in `col`: not a cell merged in from above, not a 续上页 cell,
    /// not blank.
    fn own_at(&self, col: u16) -> Option<(&'a SheetValue, CellRef)> {
        let sheet = self.cells.sheet;
        let at = CellRef { row: self.r, col };
        (sheet.anchor(at) == at && !self.continued.contains(&col))
            .then(|| sheet.own(at))
            .flatten()
            .filter(|v| !v.is_blank())
            .map(|v| (v, at))
    }
}

/// A column's own cell in a row: the cell (when the table has the column) and its value when
/// the row holds one there (not blank, not merged in from the rows above).
#[derive(Debug, Default, Clone, Copy)]
struct Own<'a> {
    value: Option<&'a SheetValue>,
    at: Option<CellRef>,
}

/// What the level columns of one row said.
pub(super) struct RowLevels {
    /// The 一级 changed on this row.
    pub new_group: bool,
    /// The 二级 written in (or merged over) this row, with its cell.
    pub level2: Option<(String, CellRef)>,
}

/// Reads the 一级 and 二级 of `row` into the levels in force: written here, merged over this
/// row from above, or carried down; a 一级's printed subtotal is kept once per cell.
pub(super) fn read_levels(
    reader: &mut FormReader<'_, '_>,
    row: &Row<'_, '_>,
    walk: &mut Walk,
) -> RowLevels {
    let mut new_group = false;
    if let Some((value, at)) = row.get(Column::Level1)
        && let Some((name, points)) = level_text(reader.cells, value, at)
    {
        // The 一级's points in its own text, or in a column of their own beside it (Jiangxi's
        // 自评权重); each printed subtotal is kept once per cell.
        let weight = row
            .get(Column::Level1Weight)
            .and_then(|(weight, weight_at)| Some((decimal(weight)?, weight_at)));
        for (points, cell) in [points.map(|p| (p, at)), weight].into_iter().flatten() {
            if !walk.subtotal_cells.contains(&cell) {
                walk.subtotal_cells.push(cell);
                reader.shown.subtotals.push(Subtotal {
                    level1: name.clone(),
                    points,
                    cell,
                });
            }
        }
        new_group = walk.levels.level1.as_ref().is_none_or(|(n, _)| *n != name);
        walk.levels.level1 = Some((name, at));
    }
    let level2 = row
        .get(Column::Level2)
        .and_then(|(value, at)| level_text(reader.cells, value, at).map(|(n, _)| (n, at)));
    match &level2 {
        Some(l2) => walk.levels.level2 = Some(l2.clone()),
        None if new_group => walk.levels.level2 = None,
        None => {}
    }
    RowLevels { new_group, level2 }
}

/// What the column handlers read from one row: each field's text or figure and its cells.
#[derive(Debug, Default)]
struct Draft<'a> {
    name: Own<'a>,
    /// The target as written (sign, number and unit joined when split), and its cells, the
    /// number's first.
    target: (String, Vec<CellRef>),
    actual: Option<(String, CellRef)>,
    weight: Own<'a>,
    score: Own<'a>,
    /// 偏差原因 (the texts of several columns joined with `；`) and its cells.
    deviation: Option<(String, Vec<CellRef>)>,
    /// 调整指标值, as written, and its cell.
    target_adjusted: Option<(String, CellRef)>,
    /// 指标性质 when its column says the nature (`定量指标`), not a sign.
    nature: String,
    /// 是否核心指标: `是` / `否`.
    core: Option<bool>,
    /// 评价标准 and 指标说明 of a rubric.
    criteria: String,
    explanation: String,
}

/// Reads one column role of a row into the draft.
type Handler = for<'r, 'a> fn(&Row<'r, 'a>, &mut Draft<'a>);

/// The handler of each role an indicator takes a field from. The levels are read before, by
/// [`read_levels`] (they carry down from row to row); the sign and unit of a split target are
/// read with the target; a block column holds no field.
fn handler(column: Column) -> Option<Handler> {
    let handler: Handler = match column {
        Column::Name => |row, draft| draft.name = row.own(Column::Name),
        Column::Target => read_target,
        Column::Actual => {
            |row, draft| draft.actual = row.get(Column::Actual).map(|(v, at)| (text(v), at))
        }
        Column::Weight => |row, draft| draft.weight = row.own(Column::Weight),
        Column::Score => |row, draft| draft.score = row.own(Column::Score),
        Column::Deviation => read_deviation,
        Column::TargetAdjusted => |row, draft| {
            let own = row.own(Column::TargetAdjusted);
            draft.target_adjusted = own.value.zip(own.at).map(|(v, at)| (text(Some(v)), at));
        },
        Column::Criteria => |row, draft| draft.criteria = text(row.own(Column::Criteria).value),
        Column::Explanation => {
            |row, draft| draft.explanation = text(row.own(Column::Explanation).value)
        }
        Column::Core => |row, draft| {
            draft.core = match text(row.get(Column::Core).and_then(|(v, _)| v)).as_str() {
                "是" | "Y" | "y" | "√" => Some(true),
                "否" | "N" | "n" | "×" => Some(false),
                _ => None,
            };
        },
        _ => return None,
    };
    Some(handler)
}

/// The target of the row: one cell, or sign + number + unit of a split target, with the cells
/// it came from (the number's first).
fn read_target<'a>(row: &Row<'_, 'a>, draft: &mut Draft<'a>) {
    let Some((value, at)) = row.get(Column::Target) else {
        return;
    };
    if !row.head.split() {
        draft.target = (text(value), vec![at]);
        return;
    }
    let mut cells = vec![at];
    let mut part = |column: Column| match row.get(column) {
        Some((value, at)) => {
            cells.push(at);
            text(value)
        }
        None => String::new(),
    };
    let mut sign = part(Column::TargetSign);
    let unit = part(Column::TargetUnit);
    let v = vocabulary::get();
    // Chongqing's 指标性质 says 定量指标 / 定性指标: the indicator's nature, no sign.
    if v.is_nature(&sign) {
        draft.nature = std::mem::take(&mut sign);
    }
    let joined = v.join_target(&sign, &text(value), &unit);
    draft.target = (joined, cells);
}

/// 偏差原因: its column and the further columns of a split header (`偏差原因分析 | 改进措施`),
/// joined with `；`.
fn read_deviation<'a>(row: &Row<'_, 'a>, draft: &mut Draft<'a>) {
    let Some((value, at)) = row.get(Column::Deviation) else {
        return;
    };
    let mut joined = text(value);
    let mut parts = vec![at];
    for &col in &row.head.more_deviation {
        let (value, at) = row.cells.sheet.get(CellRef { row: row.r, col });
        let more = text(value);
        if !more.is_empty() {
            if !joined.is_empty() {
                joined.push('；');
            }
            joined.push_str(&more);
        }
        parts.push(at);
    }
    draft.deviation = Some((joined, parts));
}

impl<'a> Draft<'a> {
    /// Every column of the row the header maps a role to, read by that role's handler.
    fn read(row: &Row<'_, 'a>) -> Self {
        let mut draft = Draft::default();
        for &column in row.head.columns.keys() {
            if let Some(read) = handler(column) {
                read(row, &mut draft);
            }
        }
        draft
    }

    /// True when the row holds a value of an indicator (its own target, actual, 分值 or 得分).
    fn has_content(&self, r: u32) -> bool {
        !self.target.0.is_empty()
            || self.target_adjusted.is_some()
            || self
                .actual
                .as_ref()
                .is_some_and(|(t, at)| !t.is_empty() && at.row == r)
            || decimal(self.weight.value).is_some()
            || decimal(self.score.value).is_some()
    }
}

/// Reads one row of the table; returns whether the row held anything of the table.
pub(super) fn read_row(
    reader: &mut FormReader<'_, '_>,
    row: &Row<'_, '_>,
    walk: &mut Walk,
) -> bool {
    if let Some(i) = walk.open
        && deviation_goes_on(reader, row, walk, i)
    {
        return true;
    }
    let before = reader.form.indicators.len();
    let levels = read_levels(reader, row, walk);
    let draft = Draft::read(row);
    let held = judge(reader, row, walk, &levels, draft);
    walk.open = (reader.form.indicators.len() > before).then_some(before);
    if held
        && reader.form.indicators.len() == before
        && let (Some((level1, _)), Some((level2, at))) = (&walk.levels.level1, &walk.levels.level2)
        && at.row == row.r
    {
        reader.shown.branches.push(Branch {
            level1: level1.clone(),
            level2: level2.clone(),
            cell: *at,
        });
    }
    held
}

/// Whether the row goes on with the 偏差原因 of indicator `i`, read on the rows just above: it
/// holds 偏差原因 text and nothing else of an indicator (its 一级 and 二级 blank, merged from
/// above or repeated as they stand). A printout continues a long text on the next page in a
/// row of its own, and jixiao writes one taller than a spreadsheet row so; the text is joined
/// to the indicator's as it stands.
fn deviation_goes_on(
    reader: &mut FormReader<'_, '_>,
    row: &Row<'_, '_>,
    walk: &Walk,
    i: usize,
) -> bool {
    let in_force = |level: &Option<(String, CellRef)>, col: u16| {
        row.own_at(col).is_none_or(|(v, at)| {
            level_text(reader.cells, Some(v), at).map(|(name, _)| name)
                == level.as_ref().map(|(name, _)| name.clone())
        })
    };
    let others_blank = row.head.columns.iter().all(|(&column, &col)| match column {
        Column::Deviation | Column::Block => true,
        Column::Level1 => in_force(&walk.levels.level1, col),
        Column::Level2 => in_force(&walk.levels.level2, col),
        _ => row.own_at(col).is_none(),
    });
    let Some(first) = row.head.col(Column::Deviation) else {
        return false;
    };
    if !others_blank {
        return false;
    }
    let mut text = String::new();
    let mut cells = Vec::new();
    for col in std::iter::once(first).chain(row.head.more_deviation.iter().copied()) {
        if let Some((v, at)) = row.own_at(col) {
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
    let mut parts = reader.sources.parts(field).to_vec();
    if parts.is_empty() {
        parts.extend(reader.sources.get(field));
    }
    // A break at a space leaves it at the end of the part above (trimmed as it was read).
    let spaced = parts
        .last()
        .and_then(|&at| reader.cells.sheet.own(at))
        .is_some_and(|v| v.display().ends_with(char::is_whitespace))
        || text.starts_with(char::is_whitespace);
    parts.extend(cells);
    reader.sources.insert_parts(field, parts);
    let deviation = &mut reader.form.indicators[i].deviation;
    if spaced && !deviation.is_empty() {
        deviation.push(' ');
    }
    deviation.push_str(text.trim());
    true
}

/// Judges the row the handlers read: an indicator (committed), or a row that is not one (said
/// in a finding where the filer should know). Returns whether the row held anything of the
/// table.
fn judge(
    reader: &mut FormReader<'_, '_>,
    row: &Row<'_, '_>,
    walk: &mut Walk,
    levels: &RowLevels,
    draft: Draft<'_>,
) -> bool {
    let r = row.r;
    let has_content = draft.has_content(r);
    let name_text = text(draft.name.value);
    let (level1, level2) = (
        walk.levels.level1.clone().unwrap_or_default(),
        walk.levels.level2.clone().unwrap_or_default(),
    );
    if name_text.is_empty() {
        return without_name(reader, row, walk, levels, &draft, has_content);
    }
    let name_at = draft.name.at.unwrap_or(CellRef { row: r, col: 0 });
    let v = vocabulary::get();
    // `指标1：工程质量合格`: the template's numbering is no part of the name.
    let (name_text, written) = match v.placeholders.numbered_prefix(&name_text) {
        Some((_, name)) => (name.to_string(), Some(name_text.clone())),
        None => (name_text, None),
    };
    // A label where a 三级 name belongs (a header cell copied into the table): no indicator.
    if v.is_label(&name_text) {
        reader.note(
            name_at,
            RowMessage::NameIsLabel {
                row: r,
                name: name_text,
            },
        );
        return true;
    }
    let is_placeholder = v.placeholders.is_placeholder(&name_text);
    if !has_content {
        let message = if is_placeholder {
            RowMessage::Placeholder {
                row: r,
                name: name_text,
            }
        } else {
            RowMessage::Incomplete {
                row: r,
                name: name_text,
            }
        };
        reader.note(name_at, message);
        if !level2.0.is_empty() && is_placeholder {
            walk.empty_level2.push(EmptyLevel2 {
                level1: level1.0.clone(),
                level2: level2.0.clone(),
                at: level2.1,
            });
        }
        return true;
    }
    let detail = draft.weight.value.is_none()
        && draft.score.value.is_none()
        && name_text
            .trim_start_matches(|c: char| c.is_whitespace() || "★☆*＊·•-—".contains(c))
            .starts_with("其中");
    if detail {
        reader.note(
            name_at,
            RowMessage::Detail {
                row: r,
                name: name_text,
            },
        );
        return true;
    }
    if let Some(written) = written {
        let name = name_text.clone();
        reader.note(
            name_at,
            RowMessage::NamePrefix {
                row: r,
                written,
                name,
            },
        );
    }
    note_unusable_figures(reader, row, &draft);
    commit(reader, row, (level1, level2), name_text, name_at, draft);
    true
}

/// A row without a 三级 name: values without a name (not placed), a 二级 of its own (kept to
/// report when no indicator fills it), or nothing of an indicator.
fn without_name(
    reader: &mut FormReader<'_, '_>,
    row: &Row<'_, '_>,
    walk: &mut Walk,
    levels: &RowLevels,
    draft: &Draft<'_>,
    has_content: bool,
) -> bool {
    let r = row.r;
    if has_content {
        let at = [
            draft.target.1.first().copied(),
            draft.weight.at,
            draft.score.at,
        ]
        .into_iter()
        .flatten()
        .next()
        .unwrap_or(CellRef { row: r, col: 0 });
        reader.note(at, RowMessage::Unnamed { row: r });
        return true;
    }
    if let Some((level2, at)) = levels.level2.as_ref().filter(|(_, at)| at.row == r) {
        let level1 = walk.levels.level1.clone().unwrap_or_default().0;
        walk.empty_level2.push(EmptyLevel2 {
            level1,
            level2: level2.clone(),
            at: *at,
        });
        return true;
    }
    levels.level2.is_some() || levels.new_group
}

/// A 分值 or 得分 the rules cannot use: said why, where the rules only see it missing.
fn note_unusable_figures(reader: &mut FormReader<'_, '_>, row: &Row<'_, '_>, draft: &Draft<'_>) {
    let r = row.r;
    for (own, column) in [(draft.weight, Column::Weight), (draft.score, Column::Score)] {
        let Some(at) = own.at else { continue };
        let message = match own.value {
            Some(v) if decimal(Some(v)).is_none() => RowMessage::FigureNotNumber {
                row: r,
                column,
                written: v.display(),
            },
            None if at.row < r && row.cells.sheet.own(at).is_some_and(|v| !v.is_blank()) => {
                RowMessage::FigureMerged { row: r, column, at }
            }
            _ => continue,
        };
        reader.note(at, message);
    }
}

/// The indicator of the row, added to the form with the cell of every field.
fn commit(
    reader: &mut FormReader<'_, '_>,
    row: &Row<'_, '_>,
    (level1, level2): ((String, CellRef), (String, CellRef)),
    name: String,
    name_at: CellRef,
    draft: Draft<'_>,
) {
    let i = reader.form.indicators.len();
    let field = |f| Field::Indicator(i, f);
    let head = row.head;
    let mut indicator = Indicator {
        level1: level1.0,
        level2: level2.0,
        name,
        target: draft.target.0,
        weight: decimal(draft.weight.value),
        score: decimal(draft.score.value),
        nature: draft.nature,
        core: draft.core,
        criteria: draft.criteria,
        explanation: draft.explanation,
        ..Indicator::default()
    };
    let sources = &mut reader.sources;
    let mut target_cells = draft.target.1;
    // 调整指标值 written: the target the year was measured against (`target` holds it too).
    if let Some((adjusted, at)) = draft.target_adjusted {
        indicator.target.clone_from(&adjusted);
        indicator.target_adjusted = adjusted;
        target_cells = vec![at];
    }
    if !indicator.level1.is_empty() || head.col(Column::Level1).is_some() {
        sources.insert(field(IndicatorField::Level1), level1.1);
    }
    if !indicator.level2.is_empty() || head.col(Column::Level2).is_some() {
        let at = if indicator.level2.is_empty() {
            row.get(Column::Level2).map_or(level2.1, |(_, at)| at)
        } else {
            level2.1
        };
        sources.insert(field(IndicatorField::Level2), at);
    }
    sources.insert(field(IndicatorField::Name), name_at);
    if !target_cells.is_empty() {
        sources.insert_parts(field(IndicatorField::Target), target_cells);
    }
    if let Some((t, at)) = draft.actual {
        indicator.actual = t;
        sources.insert(field(IndicatorField::Actual), at);
    }
    for (f, at) in [
        (IndicatorField::Weight, draft.weight.at),
        (IndicatorField::Score, draft.score.at),
    ] {
        if let Some(at) = at {
            sources.insert(field(f), at);
        }
    }
    if let Some((t, parts)) = draft.deviation {
        indicator.deviation = t;
        if parts.len() > 1 {
            sources.insert_parts(field(IndicatorField::Deviation), parts);
        } else {
            sources.insert(field(IndicatorField::Deviation), parts[0]);
        }
    }
    reader.form.indicators.push(indicator);
}
