//! Finding a form on a worksheet by its labels, as a person reads it, and taking its values.
//!
//! Labels are recognised where labels stand, by the section of the vocabulary
//! (`layouts/vocabulary.toml`) that fits the place: the indicator header is found first (the
//! row with the most column headers), the funds block and the goals above it, the header
//! fields above those; the indicator rows are read under the header until the total row —
//! wherever its label stands — or the first row that ends the table. A data cell is never
//! taken for a label. Nothing here judges the values: where the reader had to guess, or could
//! not place a row, it says so in a finding; judging the form is `validate`'s job.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::sheet::{NumFmt, Sheet, Value};
use super::{funds, table};
use crate::finding::{Finding, Severity};
use crate::model::{CellRef, Field, Form, IndicatorField, Shown, SourceCells, is_blank};
use crate::vocabulary::{self, Block, GoalLabel, HeaderLabel, Roles, RowLabel, normalize};

/// What a worksheet holds.
#[derive(Debug)]
pub enum Found {
    /// Not a form (instructions, a price list, an empty sheet, a 绩效目标表 without results).
    Nothing,
    /// Looks like a form but its indicator table is missing; the text names it.
    Incomplete(String),
    /// A form, with the cell of every field, what the sheet showed of derived values, and
    /// what reading noticed.
    Form(Box<Read>),
}

/// A form as read from a worksheet.
#[derive(Debug)]
pub struct Read {
    /// The form.
    pub form: Form,
    /// Where each field came from.
    pub cells: SourceCells,
    /// Derived values the sheet showed.
    pub shown: Shown,
    /// What reading noticed.
    pub findings: Vec<Finding>,
}

impl Read {
    /// The cells of fields that must hold a value (targets, actual values, figures, scores,
    /// the total) but show nothing or an Excel error: where a value typed with a leading `=`
    /// (`=8个`) may hide behind a formula without a result.
    pub fn blank_figures(&self, sheet: &Sheet) -> Vec<CellRef> {
        let mut out: Vec<CellRef> = self
            .cells
            .iter()
            .filter(|(field, _)| match field {
                Field::Indicator(_, f) => matches!(
                    f,
                    IndicatorField::Target
                        | IndicatorField::Actual
                        | IndicatorField::Weight
                        | IndicatorField::Score
                ),
                Field::Funds(..)
                | Field::FundsWeight
                | Field::FundsScore
                | Field::FundsRate
                | Field::TotalScore => true,
                _ => false,
            })
            .map(|(_, at)| at)
            .filter(|at| match sheet.own(*at) {
                None => true,
                Some(v) => v.is_error(),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Cells longer than this (in characters) are text, not labels; inline header fields
/// (`项目名称：某项目`) may be longer.
const MAX_LABEL: usize = 40;

/// The most rows a header cell is merged over and still read as a header of its last row.
const HEADER_SPAN: u32 = 4;

/// A text cell short enough to be a label, normalised once.
#[derive(Debug, Clone)]
pub(super) struct Label<'a> {
    /// The cell (the top-left cell of its merged region).
    pub at: CellRef,
    /// The bottom-right cell of its region (`at` when not merged).
    pub last: CellRef,
    /// The text as written.
    pub text: &'a str,
    /// The text normalised for matching.
    pub norm: String,
    /// What the text is in each section of the vocabulary.
    pub roles: Roles,
}

impl Label<'_> {
    /// The row label this cell is: a short text, or the start of the notes or a footer.
    pub fn row(&self) -> Option<RowLabel> {
        let long = self.text.chars().nth(MAX_LABEL).is_some();
        self.roles
            .row
            .filter(|r| !long || matches!(r, RowLabel::Notes | RowLabel::Footer))
    }
}

/// Every label-sized text cell of a sheet, in reading order.
pub(super) struct Scan<'a> {
    pub sheet: &'a Sheet,
    pub labels: Vec<Label<'a>>,
}

impl<'a> Scan<'a> {
    fn new(sheet: &'a Sheet) -> Scan<'a> {
        let v = vocabulary::get();
        let labels = sheet
            .cells()
            .iter()
            .filter_map(|cell| match &cell.value {
                Value::Text(t) if t.chars().take(4 * MAX_LABEL + 1).count() <= 4 * MAX_LABEL => {
                    // Most cells are no label: kept (an unknown header is read by its
                    // place), but not normalised and looked up.
                    let (norm, roles) = if v.may_be_label(t) {
                        let norm = normalize(t);
                        let roles = v.classify(&norm);
                        (norm, roles)
                    } else {
                        (String::new(), Roles::default())
                    };
                    Some(Label {
                        at: cell.at,
                        last: sheet.last_of(cell.at),
                        text: t,
                        norm,
                        roles,
                    })
                }
                _ => None,
            })
            .collect();
        Scan { sheet, labels }
    }

    /// The labels whose region covers `row`: written in it, or merged down into it from the
    /// few rows above (a header cell spans at most [`HEADER_SPAN`] rows; looking no further
    /// keeps a sheet of many merged rows cheap).
    pub fn covering(&self, row: u32) -> impl Iterator<Item = &Label<'a>> {
        let start = self
            .labels
            .partition_point(|l| l.at.row < row.saturating_sub(HEADER_SPAN - 1));
        let end = self.labels.partition_point(|l| l.at.row <= row);
        self.labels[start..end]
            .iter()
            .filter(move |l| row <= l.last.row)
    }

    /// The labels written in `row`.
    pub fn in_row(&self, row: u32) -> &[Label<'a>] {
        let start = self.labels.partition_point(|l| l.at.row < row);
        let end = self.labels.partition_point(|l| l.at.row <= row);
        &self.labels[start..end]
    }

    /// The row label of a cell of `row`: from its label, or, for a long text, from its start
    /// (the notes).
    pub fn row_label(&self, at: CellRef, value: &Value) -> Option<RowLabel> {
        match self.at(at) {
            Some(label) => label.row(),
            None => row_label(value),
        }
    }

    /// The label written at `at`.
    pub fn at(&self, at: CellRef) -> Option<&Label<'a>> {
        self.labels
            .binary_search_by_key(&at, |l| l.at)
            .ok()
            .map(|i| &self.labels[i])
    }

    /// The value right of a label on its row: the next non-empty cell that is not itself a
    /// label of `is_label`, up to column `right`; with the cell it is in, or the first cell
    /// after the label when there is none.
    pub fn right_of(
        &self,
        label: &Label<'_>,
        right: u32,
        is_label: impl Fn(&Label<'_>) -> bool,
    ) -> (Option<&'a Value>, CellRef) {
        let row = label.at.row;
        let start = u32::from(label.last.col) + 1;
        let limit = right.max(start + 8).min(u32::from(u16::MAX));
        let first = self.sheet.anchor(CellRef {
            row,
            col: start.min(limit) as u16,
        });
        for col in start..=limit {
            let (value, anchor) = self.sheet.get(CellRef {
                row,
                col: col as u16,
            });
            if anchor.row != row && anchor.col == col as u16 {
                continue; // a region that belongs to the row above
            }
            if self.at(anchor).is_some_and(&is_label) {
                break;
            }
            if let Some(v) = value
                && !v.is_blank()
            {
                return (Some(v), anchor);
            }
        }
        (None, first)
    }
}

/// True when a label is a label of any section that marks the top of the form (header
/// fields, blocks, funds and goal labels, the title): a value right of a header label stops
/// at one of these.
fn is_form_label(l: &Label<'_>) -> bool {
    let r = &l.roles;
    r.header.is_some()
        || r.block.is_some()
        || r.goal.is_some()
        || r.funds_column.is_some()
        || r.funds_row.is_some()
}

/// Reads the form on `sheet`, if it holds one.
pub fn form(sheet: &Sheet) -> Found {
    let scan = Scan::new(sheet);
    if scan.labels.is_empty() {
        return Found::Nothing;
    }
    let title = scan.labels.iter().find(|l| l.roles.title);
    let header = table::find_header(&scan);
    // The funds block stands above the indicators; a few forms put it under them.
    let funds_header = match &header {
        Some(h) => funds::find_header(&scan, 0..h.top)
            .or_else(|| funds::find_header(&scan, h.bottom + 1..u32::MAX)),
        None => funds::find_header(&scan, 0..u32::MAX),
    };
    let project = scan
        .labels
        .iter()
        .find(|l| matches!(header_label(l), Some((HeaderLabel::Project, _))));
    let blocks = [
        project.is_some(),
        funds_header.is_some(),
        scan.labels
            .iter()
            .any(|l| l.roles.goal.is_some() || l.roles.block == Some(Block::Goals)),
        title.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let Some(header) = header else {
        return if blocks >= 2 {
            Found::Incomplete(format!(
                "工作表“{}”缺少“绩效指标”表头（一级指标、二级指标、三级指标…），无法审核",
                quote(&sheet.name)
            ))
        } else {
            Found::Nothing
        };
    };
    if blocks == 0 || !header.is_self_evaluation() {
        // A 绩效目标申报表 has the indicator table but no results: not a 自评表.
        return Found::Nothing;
    }
    let mut reader = Reader {
        scan: &scan,
        cells: SourceCells::new(sheet.name.clone()),
        form: Form::default(),
        shown: Shown::default(),
        findings: Vec::new(),
    };
    let right = header.right();
    let top = scan
        .labels
        .iter()
        .filter(|l| l.at.row < header.top)
        .filter_map(|l| header_label(l).map(|_| l.at.row))
        .min()
        .or(funds_header
            .as_ref()
            .filter(|f| f.row < header.top)
            .map(|f| f.row))
        .unwrap_or(header.top);
    reader.read_year(top, title);
    reader.read_header(header.top, right);
    match &funds_header {
        Some(f) => {
            let limit = if f.row < header.top { header.top } else { u32::MAX };
            funds::read(&mut reader, f, limit);
        }
        None => reader.findings.push(Finding::new(
            "funds-block-missing",
            Severity::Error,
            None,
            "未找到“项目资金”表头（全年预算数、全年执行数、分值、执行率、得分）：无法审核预算执行情况".to_string(),
        )),
    }
    let goals_from = funds_header
        .as_ref()
        .filter(|f| f.row < header.top)
        .map_or(0, |f| f.row);
    reader.read_goals(goals_from, header.top, right);
    table::read(&mut reader, &header);
    reader.note_formulas();
    reader.note_hidden();
    Found::Form(Box::new(Read {
        form: reader.form,
        cells: reader.cells,
        shown: reader.shown,
        findings: reader.findings,
    }))
}

/// A header-field label (`项目名称`), or one written with its value (`项目名称：某项目`).
fn header_label(l: &Label<'_>) -> Option<(HeaderLabel, Option<String>)> {
    let v = vocabulary::get();
    if l.norm.chars().count() <= MAX_LABEL
        && let Some(label) = l.roles.header
    {
        return Some((label, None));
    }
    let (head, value) = l.text.split_once([':', '：'])?;
    let label = v.header.find(&normalize(head))?;
    Some((label, Some(value.trim().to_string())))
}

/// What the reading of one sheet builds up.
pub(super) struct Reader<'s, 'a> {
    pub scan: &'s Scan<'a>,
    pub cells: SourceCells,
    pub form: Form,
    pub shown: Shown,
    pub findings: Vec<Finding>,
}

impl Reader<'_, '_> {
    /// A finding about a cell of the sheet.
    pub fn note(&mut self, code: &'static str, severity: Severity, at: CellRef, message: String) {
        self.findings.push(Finding::at(code, severity, at, message));
    }

    /// Fields read from a formula the file keeps no result for (read as the formula's text) or
    /// from a cell showing an Excel error value (read as blank): said so once per cell.
    fn note_formulas(&mut self) {
        let sheet = self.scan.sheet;
        let mut seen: Vec<CellRef> = Vec::new();
        let odd: Vec<(CellRef, Value)> = self
            .cells
            .iter()
            .filter_map(|(_, at)| match sheet.own(at) {
                Some(v @ (Value::Formula(_) | Value::Uncalculated(_))) => Some((at, v.clone())),
                Some(v) if v.is_error() => Some((at, v.clone())),
                _ => None,
            })
            .collect();
        for (at, value) in odd {
            if seen.contains(&at) {
                continue;
            }
            seen.push(at);
            let (code, message) = match &value {
                Value::Formula(formula) => (
                    "formula-no-value",
                    format!(
                        "单元格 {at} 是公式“={}”，文件中没有它的计算结果，已按公式原文读取：请在 Excel/WPS 中打开、重新计算并保存，或直接填写内容",
                        quote(formula)
                    ),
                ),
                Value::Uncalculated(formula) => (
                    "formula-uncalculated",
                    format!(
                        "单元格 {at} 是公式“={}”，文件中没有它的计算结果（或结果为空），按空白读取：如果保存文件的程序没有计算公式，请在 Excel/WPS 中打开、重新计算并保存后再检查",
                        quote(formula)
                    ),
                ),
                _ => (
                    "cell-error",
                    format!(
                        "单元格 {at} 显示错误值“{}”（公式无法计算），按空白读取：请改为直接填写内容",
                        quote(&value.display())
                    ),
                ),
            };
            self.note(code, Severity::Warning, at, message);
        }
    }

    /// The hidden rows and columns that held something, said once: what is filed is what the
    /// screen and the printout show, so their cells were not read (see [`Sheet::unread`]).
    fn note_hidden(&mut self) {
        let sheet = self.scan.sheet;
        let Some(&first) = sheet.unread.first() else {
            return;
        };
        let mut rows: Vec<u32> = sheet
            .unread
            .iter()
            .map(|c| c.row)
            .filter(|r| sheet.hidden.rows.contains(*r))
            .collect();
        rows.dedup();
        let mut cols: Vec<u16> = sheet
            .unread
            .iter()
            .map(|c| c.col)
            .filter(|c| sheet.hidden.cols.contains(u32::from(*c)))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        // `第 16、17 行`, `D、G 列`; past LISTED_HIDDEN, `… 行等 8 行`.
        let list = |items: Vec<String>, before: &str, unit: &str| {
            let mut out = format!(
                "{before}{} {unit}",
                items[..items.len().min(LISTED_HIDDEN)].join("、")
            );
            if items.len() > LISTED_HIDDEN {
                out.push_str(&format!("等 {} {unit}", items.len()));
            }
            out
        };
        let mut parts = Vec::new();
        if !rows.is_empty() {
            let rows = rows
                .iter()
                .map(|r| (u64::from(*r) + 1).to_string())
                .collect();
            parts.push(list(rows, "第 ", "行"));
        }
        if !cols.is_empty() {
            let cols = cols.iter().map(|c| column_letters(*c)).collect();
            parts.push(list(cols, "", "列"));
        }
        // Hidden among the cells the form was read from, it may be what the filer meant;
        // outside them (a helper column, a list for drop-downs) it is only noted.
        let fields: Vec<CellRef> = self.cells.iter().map(|(_, at)| at).collect();
        let rows_read = fields
            .iter()
            .map(|c| c.row)
            .min()
            .zip(fields.iter().map(|c| c.row).max());
        let cols_read = fields
            .iter()
            .map(|c| c.col)
            .min()
            .zip(fields.iter().map(|c| c.col).max());
        let inside = |c: &&CellRef| {
            rows_read.is_some_and(|(a, b)| (a..=b).contains(&c.row))
                && cols_read.is_some_and(|(a, b)| (a..=b).contains(&c.col))
        };
        let (at, severity) = match sheet.unread.iter().find(inside) {
            Some(&at) => (at, Severity::Warning),
            None => (first, Severity::Info),
        };
        self.note(
            "hidden-content",
            severity,
            at,
            format!(
                "{}已隐藏，其中的内容未读取（屏幕与打印均不显示）",
                parts.join("、")
            ),
        );
    }

    /// The title year: from the title, the line under it (`（2024年度）`), or the corner cells
    /// above the header fields.
    fn read_year(&mut self, top: u32, title: Option<&Label<'_>>) {
        let found = self
            .scan
            .sheet
            .cells()
            .iter()
            .take_while(|c| c.at.row < top.max(title.map_or(0, |t| t.at.row + 2)))
            .find_map(|c| match &c.value {
                Value::Text(t) => year_of(t).map(|y| (y, c.at)),
                _ => None,
            });
        match found {
            Some((year, at)) => {
                self.form.year = Some(year);
                self.cells.insert(Field::Year, at);
            }
            None => {
                if let Some(title) = title {
                    self.cells.insert(Field::Year, title.at);
                }
            }
        }
    }

    /// 项目名称, 主管部门, 实施单位, 项目负责人, 联系电话 (or 项目负责人及电话), the amount unit:
    /// the first of each above the indicator header.
    fn read_header(&mut self, header_top: u32, right: u32) {
        let scan = self.scan;
        let mut seen = Vec::new();
        for label in scan.labels.iter().take_while(|l| l.at.row < header_top) {
            let Some((kind, inline)) = header_label(label) else {
                continue;
            };
            if seen.contains(&kind) {
                continue;
            }
            seen.push(kind);
            let (value, at) = match inline {
                Some(v) => (v, label.at),
                None => {
                    let (value, at) = scan.right_of(label, right, is_form_label);
                    (text(value), at)
                }
            };
            match kind {
                HeaderLabel::Project => {
                    self.form.project = value;
                    self.cells.insert(Field::Project, at);
                }
                HeaderLabel::Department => {
                    self.form.department = value;
                    self.cells.insert(Field::Department, at);
                }
                HeaderLabel::Unit => {
                    self.form.unit = value;
                    self.cells.insert(Field::Unit, at);
                }
                HeaderLabel::Lead => {
                    self.form.lead = (!value.is_empty()).then_some(value);
                    self.cells.insert(Field::Lead, at);
                }
                HeaderLabel::Phone => {
                    self.form.phone = (!value.is_empty()).then_some(value);
                    self.cells.insert(Field::Phone, at);
                }
                HeaderLabel::LeadPhone => {
                    let (lead, phone) = split_lead_phone(&value);
                    self.form.lead = lead;
                    self.form.phone = phone;
                    self.cells.insert(Field::Lead, at);
                    self.cells.insert(Field::Phone, at);
                }
                HeaderLabel::AmountUnit => {
                    if let Some(unit) = crate::model::AmountUnit::parse(&normalize(&value)) {
                        self.form.funds.unit = unit;
                    }
                }
            }
        }
    }

    /// 预期目标 / 实际完成情况: the text below each label, or right of it, between the funds
    /// block and the indicator header.
    fn read_goals(&mut self, from: u32, header_top: u32, right: u32) {
        let scan = self.scan;
        let is_label = |l: &Label<'_>| l.roles.goal.is_some() || l.roles.block.is_some();
        for (goal, field) in [
            (GoalLabel::Expected, Field::Expected),
            (GoalLabel::Achieved, Field::Achieved),
        ] {
            let Some(label) = scan
                .labels
                .iter()
                .find(|l| l.at.row >= from && l.at.row < header_top && l.roles.goal == Some(goal))
            else {
                continue;
            };
            let below = scan.sheet.anchor(CellRef {
                row: label.last.row + 1,
                col: label.at.col,
            });
            let below_is_label = scan.at(below).is_some_and(is_label);
            let below_value = scan
                .sheet
                .own(below)
                .filter(|v| !v.is_blank())
                .filter(|_| below.row < header_top);
            let (value, at) = if below_value.is_some() && !below_is_label {
                (below_value, below)
            } else {
                match scan.right_of(label, right, is_label) {
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
                for part in self.continued_below(at, header_top, &is_label) {
                    joined.push_str(&part);
                }
            }
            let value = joined.trim().to_string();
            match goal {
                GoalLabel::Expected => self.form.goals.expected = value,
                GoalLabel::Achieved => self.form.goals.achieved = value,
            }
            self.cells.insert(field, at);
        }
        // A form with one goal text beside its 年度总体目标 and no 预期目标 label: that text is
        // the expected goal.
        if self.cells.get(Field::Expected).is_none()
            && let Some(block) = scan.labels.iter().find(|l| {
                l.at.row >= from && l.at.row < header_top && l.roles.block == Some(Block::Goals)
            })
            && let (Some(value), at) = scan.right_of(block, right, is_label)
        {
            self.form.goals.expected = text(Some(value));
            self.cells.insert(Field::Expected, at);
        }
    }
}

impl Reader<'_, '_> {
    /// The parts of a long text held in the cells right below `at` (a printout continues a
    /// text on the next page in a row of its own): each cell of the same width, not blank,
    /// not a label, above `end`. Joined to the text as they stand.
    fn continued_below(
        &self,
        at: CellRef,
        end: u32,
        is_label: &dyn Fn(&Label<'_>) -> bool,
    ) -> Vec<String> {
        let sheet = self.scan.sheet;
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
            let labelled = self.scan.in_row(row).iter().any(|l| l.roles.goal.is_some());
            if first != cell
                || bottom.col != last.col
                || labelled
                || self.scan.at(cell).is_some_and(is_label)
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
}

/// How many hidden rows (and how many hidden columns) a `hidden-content` finding lists.
const LISTED_HIDDEN: usize = 5;

/// The letters of a column: 3 → `D`.
fn column_letters(col: u16) -> String {
    let a1 = CellRef { row: 0, col }.to_string();
    a1.trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string()
}

/// What a row label of the indicator table says, for any cell: a short label, or the start
/// of a long text (the notes).
pub(super) fn row_label(value: &Value) -> Option<RowLabel> {
    let Value::Text(t) = value else {
        return None;
    };
    let head: String = t.chars().take(2 * MAX_LABEL).collect();
    let n = normalize(&head);
    let found = vocabulary::get().rows.find(&n)?;
    // A long cell is a row label only as the start of the notes or a footer text.
    let long = t.chars().nth(MAX_LABEL).is_some();
    (!long || matches!(found, RowLabel::Notes | RowLabel::Footer)).then_some(found)
}

/// Text from a cell as a finding quotes it: one line, at most 40 characters.
pub(super) fn quote(text: &str) -> String {
    crate::text::one_line(text.trim(), 40)
}

/// `李宁0557-5788003` → (`李宁`, `0557-5788003`); a name alone or a number alone.
fn split_lead_phone(text: &str) -> (Option<String>, Option<String>) {
    let t = text.trim();
    let split = t
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || *c == '(' || *c == '（' || *c == '+')
        .map_or(t.len(), |(i, _)| i);
    let (name, phone) = t.split_at(split);
    let clean = |s: &str| {
        let s = s
            .trim()
            .trim_matches(|c: char| matches!(c, ',' | '，' | '、' | '/' | ':' | '：'));
        (!s.is_empty()).then(|| s.trim().to_string())
    };
    (clean(name), clean(phone))
}

/// The year of a title such as `（2024年度）`, `2019年度)` or `2024年度项目支出绩效自评表`.
fn year_of(text: &str) -> Option<i32> {
    let n = normalize(text);
    let mut rest = n.as_str();
    while let Some(i) = rest.find("年度") {
        let before = &rest[..i];
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if digits.len() == 4
            && let Ok(year) = digits.parse::<i32>()
            && (1990..=2100).contains(&year)
        {
            return Some(year);
        }
        rest = &rest[i + "年度".len()..];
    }
    None
}

/// A text field: what the cell displays, trimmed; `-`, `——`, `/` and empty are "".
pub(super) fn text(value: Option<&Value>) -> String {
    match value {
        Some(v) if !v.is_blank() => v.display().trim().to_string(),
        _ => String::new(),
    }
}

/// A decimal field: a text cell as written (`18.950000`, `7.00`); a number cell as stored,
/// with the trailing zeros its format shows (`7` in `0.00` → `7.00`) but never rounded;
/// `None` for a dash, an empty cell or text that is not a number.
pub(super) fn decimal(value: Option<&Value>) -> Option<Decimal> {
    let (mut d, places) = match value? {
        Value::Number(d, NumFmt::Percent(p)) => (d.saturating_mul(Decimal::ONE_HUNDRED), *p),
        Value::Number(d, NumFmt::Fixed(p)) => (*d, *p),
        Value::Number(d, _) => (*d, 0),
        Value::Text(t) => return decimal_text(t),
        Value::Formula(_) | Value::Uncalculated(_) => return None,
    };
    if d.scale() < u32::from(places) {
        d.rescale(u32::from(places));
    }
    Some(d)
}

/// A number written as text, tolerating thousands separators, full-width digits and a unit
/// (`1,234.50`, `１０`, `10分`, `18.95万元`, `90万`, a 分值 of `10%`).
pub(super) fn decimal_text(text: &str) -> Option<Decimal> {
    if is_blank(text) {
        return None;
    }
    let n = normalize(text).replace(',', "");
    let n = ["万元", "元", "万", "分", "%"]
        .iter()
        .find_map(|u| n.strip_suffix(u))
        .unwrap_or(&n);
    Decimal::from_str(n)
        .or_else(|_| Decimal::from_scientific(n))
        .ok()
}

/// 执行率 in percent: `98.55%` as text, a percent-formatted fraction (as displayed), a bare
/// number (a fraction up to 1.5, else already percent).
pub(super) fn percent(value: Option<&Value>) -> Option<Decimal> {
    match value? {
        Value::Number(d, NumFmt::Percent(places)) => {
            let mut p = d
                .saturating_mul(Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(
                    u32::from(*places),
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
            p.rescale(u32::from(*places));
            Some(p)
        }
        Value::Number(d, _) if d.abs() <= Decimal::new(15, 1) => {
            Some(d.saturating_mul(Decimal::ONE_HUNDRED).normalize())
        }
        Value::Number(d, _) => Some(*d),
        Value::Text(t) => {
            let n = normalize(t);
            decimal_text(n.strip_suffix('%').unwrap_or(&n))
        }
        Value::Formula(_) | Value::Uncalculated(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indicator header of the official form, in its order.
    const HEADER: [&str; 8] = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];

    #[test]
    fn years() {
        assert_eq!(year_of("（2024年度）"), Some(2024));
        assert_eq!(year_of("(2020 年度)"), Some(2020));
        assert_eq!(year_of("2019年度)"), Some(2019));
        assert_eq!(year_of("2024年度项目支出绩效自评表"), Some(2024));
        assert_eq!(year_of("项目支出绩效自评表"), None);
        assert_eq!(year_of("年度资金总额"), None);
        assert_eq!(year_of("全年度"), None);
    }

    #[test]
    fn lead_and_phone_in_one_cell() {
        let s = |t: &str| split_lead_phone(t);
        assert_eq!(
            s("李宁0557-5788003"),
            (Some("李宁".into()), Some("0557-5788003".into()))
        );
        assert_eq!(
            s("张三 13800000000"),
            (Some("张三".into()), Some("13800000000".into()))
        );
        assert_eq!(s("张三"), (Some("张三".into()), None));
        assert_eq!(s("010-12345678"), (None, Some("010-12345678".into())));
    }

    #[test]
    fn values() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(decimal_text("18.950000").unwrap().to_string(), "18.950000");
        assert_eq!(decimal_text("1,234.5"), Some(d("1234.5")));
        assert_eq!(decimal_text("10分"), Some(d("10")));
        assert_eq!(decimal_text("——"), None);
        assert_eq!(decimal_text("无"), None);
        let pct = Value::Number(d("0.985461"), NumFmt::Percent(2));
        assert_eq!(percent(Some(&pct)).unwrap().to_string(), "98.55");
        let txt = Value::Text("98.55%".into());
        assert_eq!(percent(Some(&txt)).unwrap().to_string(), "98.55");
        assert_eq!(percent(Some(&Value::Text("-".into()))), None);
        let frac = Value::Number(d("1"), NumFmt::General);
        assert_eq!(percent(Some(&frac)), Some(d("100")));
        let shown = |v: Value| decimal(Some(&v)).unwrap().to_string();
        assert_eq!(shown(Value::Number(d("7"), NumFmt::Fixed(2))), "7.00");
        assert_eq!(
            shown(Value::Number(d("146.4351"), NumFmt::Fixed(2))),
            "146.4351"
        );
        assert_eq!(shown(Value::Number(d("15"), NumFmt::General)), "15");
    }

    #[test]
    fn row_labels() {
        let t = |s: &str| row_label(&Value::Text(s.to_string()));
        assert_eq!(t("总分"), Some(RowLabel::Total));
        assert_eq!(t("合 计"), Some(RowLabel::Total));
        assert_eq!(t("小计"), Some(RowLabel::Subtotal));
        assert_eq!(t("续上页"), Some(RowLabel::Continued));
        assert_eq!(
            t(
                "填报注意事项：\n1.得分一档最高不能超过该指标分值上限。2.定量指标若为正向指标，则得分计算方法应用全年实际值"
            ),
            Some(RowLabel::Notes)
        );
        assert_eq!(t("填表人：张三"), Some(RowLabel::Footer));
        assert_eq!(t("项目资金支付率"), None);
        assert_eq!(
            t("总分很高的一个指标名称写得很长很长很长很长很长很长很长很长很长很长很长"),
            None
        );
    }
    /// A hand-made variant: inline header values, goals to the right of their labels, a
    /// `绩效指标` label merged down the left of the table, a blank spacer row, the header
    /// repeated after a page break, one-row 二级 written once, a 等级 after 总分.
    #[test]
    fn a_hand_made_variant() {
        use super::super::sheet::SheetBuilder;
        let mut b = SheetBuilder::default();
        let mut put = |r: u32, c: u32, t: &str| {
            b.push(r, c, Value::Text(t.to_string())).unwrap();
        };
        put(0, 1, "项目支出绩效自评表（2023年度）");
        put(1, 1, "项目名称：测试项目");
        put(2, 1, "主管部门");
        put(2, 2, "001-某局");
        put(2, 5, "实施单位");
        put(2, 7, "001001-某单位");
        let heads = [
            "年初预算数",
            "全年预算数（Ｂ）",
            "全年执行数（C）",
            "分值",
            "执行率",
            "得分",
        ];
        for (i, h) in heads.iter().enumerate() {
            put(3, 3 + i as u32, h);
        }
        put(4, 2, "年度资金总额");
        for (i, v) in ["10", "10", "9", "10", "90%", "9"].iter().enumerate() {
            put(4, 3 + i as u32, v);
        }
        put(5, 2, "其他资金");
        put(6, 1, "预期目标");
        put(6, 2, "完成某事");
        put(7, 1, "实际完成情况");
        put(7, 2, "已完成");
        put(8, 1, "绩效指标");
        let header = HEADER;
        for (i, h) in header.iter().enumerate() {
            put(9, 2 + i as u32, h);
        }
        put(10, 2, "产出指标");
        put(10, 3, "数量指标");
        put(10, 4, "甲");
        put(10, 7, "50");
        // row 11: blank spacer
        for (i, h) in header.iter().enumerate() {
            put(12, 2 + i as u32, h);
        }
        put(13, 4, "乙");
        put(13, 7, "40");
        put(13, 9, "原因");
        put(14, 2, "总分");
        put(14, 8, "99");
        put(15, 2, "等级");
        put(15, 3, "优");
        b.merge((8, 1), (14, 1)).unwrap();
        let sheet = b.build("表".into());
        let Found::Form(read) = super::form(&sheet) else {
            panic!("not read as a form");
        };
        let Read {
            form, cells, shown, ..
        } = *read;
        assert_eq!(form.year, Some(2023));
        assert_eq!(form.project, "测试项目");
        assert_eq!(cells.reference(Field::Project).as_deref(), Some("表!B2"));
        assert_eq!(
            (form.department.as_str(), form.unit.as_str()),
            ("001-某局", "001001-某单位")
        );
        let total = form.funds.total.as_ref().unwrap();
        assert_eq!(total.executed, Some(Decimal::from(9)));
        assert_eq!(shown.execution_rate, Some(Decimal::from(90)));
        assert_eq!(form.funds.other, None);
        assert_eq!(form.goals.expected, "完成某事");
        assert_eq!(form.goals.achieved, "已完成");
        assert_eq!(form.indicators.len(), 2);
        let second = &form.indicators[1];
        assert_eq!(
            (second.level1.as_str(), second.level2.as_str()),
            ("产出指标", "数量指标")
        );
        assert_eq!(second.deviation, "原因");
        assert_eq!(
            cells
                .reference(Field::Indicator(1, IndicatorField::Level1))
                .as_deref(),
            Some("表!C11")
        );
        assert_eq!(form.total_score, Some(Decimal::from(99)));
        assert_eq!(form.grade.as_deref(), Some("优"));
    }

    /// A small form read: title, project, the funds total, goals, the indicator header on
    /// row 10 (一级 in column C), then `rows` (row, column, text) and `merges` (first row and
    /// column, last row and column).
    fn small_form(rows: &[(u32, u32, &str)], merges: &[[u32; 4]]) -> Read {
        use super::super::sheet::SheetBuilder;
        let mut b = SheetBuilder::default();
        let header = HEADER;
        let funds = ["全年预算数", "全年执行数", "分值", "执行率", "得分"];
        let cells = [
            (0, 2, "项目支出绩效自评表"),
            (1, 1, "项目名称"),
            (1, 2, "测试项目"),
            (5, 2, "年度资金总额"),
            (6, 1, "预期目标"),
            (6, 2, "完成某事"),
            (7, 1, "实际完成情况"),
            (7, 2, "已完成"),
            (8, 1, "绩效指标"),
        ]
        .into_iter()
        .chain(funds.iter().enumerate().map(|(i, h)| (4, 3 + i as u32, *h)))
        .chain(
            ["10", "10", "10", "100%", "10"]
                .iter()
                .enumerate()
                .map(|(i, v)| (5, 3 + i as u32, *v)),
        )
        .chain(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (9, 2 + i as u32, *h)),
        )
        .chain(rows.iter().copied());
        for (r, c, t) in cells {
            b.push(r, c, Value::Text(t.to_string())).unwrap();
        }
        for &[r1, c1, r2, c2] in merges {
            b.merge((r1, c1), (r2, c2)).unwrap();
        }
        match super::form(&b.build("表".into())) {
            Found::Form(read) => *read,
            _ => panic!("not read as a form"),
        }
    }

    /// Two indicators of 45 points under 产出指标/数量指标, rows 11 and 12.
    const TWO_INDICATORS: [(u32, u32, &str); 10] = [
        (10, 2, "产出指标"),
        (10, 3, "数量指标"),
        (10, 4, "甲"),
        (10, 7, "45"),
        (10, 8, "45"),
        (11, 2, "产出指标"),
        (11, 3, "数量指标"),
        (11, 4, "乙"),
        (11, 7, "45"),
        (11, 8, "41"),
    ];

    /// The total written in its label's cell, merged across the row: `总分：96分`.
    #[test]
    fn a_total_written_in_its_label() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.push((12, 1, "总分：96分"));
        let read = small_form(&rows, &[[12, 1, 12, 9]]);
        assert_eq!(read.form.indicators.len(), 2);
        assert_eq!(read.form.total_score, Some(Decimal::from(96)));
    }

    /// 一级 and 二级 written once in the middle row of each group, as a table converted from
    /// a PDF has them: the first rows read without their labels, and the reader says that
    /// the groups cannot be told apart.
    #[test]
    fn labels_in_the_middle_of_their_group_are_said() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.retain(|&(r, c, _)| !(r == 10 && (c == 2 || c == 3)));
        rows.retain(|&(r, c, _)| !(r == 11 && c == 2));
        rows.extend([(11, 2, "产出指标")]);
        let read = small_form(&rows, &[]);
        let said: Vec<&str> = read
            .findings
            .iter()
            .filter(|f| f.code == "tree-labels-centered")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(said.len(), 1, "{:?}", read.findings);
        assert!(
            said[0].contains("一级指标可能只写在每组的中间一行"),
            "{}",
            said[0]
        );
        // Labels on the first row of their group, or merged over it, are the usual case.
        let read = small_form(&TWO_INDICATORS, &[]);
        assert!(
            !read
                .findings
                .iter()
                .any(|f| f.code == "tree-labels-centered")
        );
    }

    /// A remark between the indicators (`注：以下为效益指标`) with the total still to come is
    /// no end of the table; other words for the total and a 分值 written `45%` are read.
    #[test]
    fn remarks_other_totals_and_percent_weights() {
        let mut rows: Vec<(u32, u32, &str)> = TWO_INDICATORS
            .iter()
            .map(|&(r, c, t)| (if r == 11 { 12 } else { r }, c, t))
            .collect();
        rows.extend([
            (11, 2, "注：以下为效益指标"),
            (13, 2, "自评总分"),
            (13, 8, "86"),
            (10, 7, "45%"),
        ]);
        let read = small_form(&rows, &[[11, 2, 11, 9]]);
        let names: Vec<&str> = read
            .form
            .indicators
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["甲", "乙"]);
        assert_eq!(read.form.indicators[0].weight, Some(Decimal::from(45)));
        assert_eq!(read.form.total_score, Some(Decimal::from(86)));
        assert!(read.findings.iter().any(|f| f.code == "row-remark"));
        // A note after the total still ends the table.
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([
            (12, 2, "总分"),
            (12, 8, "86"),
            (13, 2, "注：得分不超过分值"),
        ]);
        let read = small_form(&rows, &[]);
        assert!(!read.findings.iter().any(|f| f.code == "row-remark"));
    }

    /// A 分值 or 得分 that is no number (`9/10`), or a 分值 merged over two indicators: the
    /// rules see it missing, and the reader says why.
    #[test]
    fn figures_the_rules_cannot_use_are_said() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.retain(|&(r, c, _)| !(r == 11 && c == 7));
        rows.push((10, 8, "41/45"));
        let read = small_form(&rows, &[[10, 7, 11, 7]]);
        let said: Vec<&str> = read
            .findings
            .iter()
            .filter(|f| f.code == "figure-unreadable")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(said.len(), 2, "{:?}", read.findings);
        assert!(said[0].contains("得分“41/45”不是数字"), "{}", said[0]);
        assert!(
            said[1].contains("分值单元格与上面的行合并（H11）"),
            "{}",
            said[1]
        );
    }

    /// `合计` of the indicators with the 总分 right under it: the 总分 is the total, the
    /// 合计 a subtotal.
    #[test]
    fn a_sum_of_the_indicators_above_the_total_is_a_subtotal() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([
            (12, 2, "合计"),
            (12, 8, "86"),
            (13, 2, "总分"),
            (13, 8, "96"),
        ]);
        let read = small_form(&rows, &[]);
        assert_eq!(read.form.indicators.len(), 2);
        assert_eq!(read.form.total_score, Some(Decimal::from(96)));
        assert!(read.findings.iter().any(|f| f.code == "row-subtotal"));
        assert!(!read.findings.iter().any(|f| f.code == "rows-after-total"));
    }

    /// The total with its grade in the 得分 cell: `96.00（良）` is the total and the grade.
    #[test]
    fn a_total_written_with_its_grade() {
        for (written, grade) in [
            ("96.00（良）", "良"),
            ("96分(优秀)", "优秀"),
            ("96 优", "优"),
        ] {
            let mut rows = TWO_INDICATORS.to_vec();
            rows.extend([(12, 2, "总分"), (12, 8, written)]);
            let read = small_form(&rows, &[]);
            assert_eq!(
                read.form.total_score.map(|d| d.normalize()),
                Some(Decimal::from(96)),
                "{written}"
            );
            assert_eq!(read.form.grade.as_deref(), Some(grade), "{written}");
        }
        // The grade alone in a cell beside the total.
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([(12, 2, "总分"), (12, 8, "96"), (12, 9, "良")]);
        let read = small_form(&rows, &[]);
        assert_eq!(read.form.grade.as_deref(), Some("良"));
        // A word that is no grade leaves the total unread.
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([(12, 2, "总分"), (12, 8, "96（甲）")]);
        let read = small_form(&rows, &[]);
        assert_eq!((read.form.total_score, read.form.grade), (None, None));
    }

    /// The title and year repeated over a continued page, then the header: no indicators.
    #[test]
    fn a_title_over_a_continued_page_is_no_indicator() {
        let mut rows = TWO_INDICATORS.to_vec();
        for row in &mut rows {
            if row.0 == 11 {
                row.0 = 15;
            }
        }
        rows.extend([
            (11, 2, "项目支出绩效自评表（续）"),
            (12, 2, "（2024年度）"),
            (16, 2, "总分"),
            (16, 8, "86"),
        ]);
        let header = &HEADER[..7];
        rows.extend(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (13, 2 + i as u32, *h)),
        );
        let read = small_form(&rows, &[[11, 2, 11, 9]]);
        let names: Vec<&str> = read
            .form
            .indicators
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["甲", "乙"]);
        assert_eq!(read.form.total_score, Some(Decimal::from(86)));
        let titles = read
            .findings
            .iter()
            .filter(|f| f.code == "row-continued-title")
            .count();
        assert_eq!(titles, 2);
    }

    /// A second form pasted under the first, past its notes, or beside it: the first is read
    /// alone (nothing of the second joins it) and a warning says the second is not read.
    #[test]
    fn a_second_form_on_the_sheet_is_not_read_and_said() {
        let mut below = TWO_INDICATORS.to_vec();
        below.extend([
            (12, 2, "总分"),
            (12, 8, "96"),
            (13, 1, "填报注意事项：1.得分不能超过分值。"),
            (16, 2, "项目支出绩效自评表"),
            (17, 1, "项目名称"),
            (17, 2, "另一个项目"),
        ]);
        let mut beside = TWO_INDICATORS.to_vec();
        beside.extend([(12, 2, "总分"), (12, 8, "96")]);
        let header = [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "偏差原因分析",
        ];
        beside.extend(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (9, 12 + i as u32, *h)),
        );
        beside.extend([
            (10, 12, "产出指标"),
            (10, 14, "丙"),
            (10, 17, "另一份的原因"),
        ]);
        // A second word for 三级 (`指标内容`) beside 三级指标 is a column not read, not a form.
        let mut synonym = TWO_INDICATORS.to_vec();
        synonym.extend([(9, 10, "指标内容"), (12, 2, "总分"), (12, 8, "86")]);
        let read = small_form(&synonym, &[]);
        assert_eq!(read.form.indicators.len(), 2);
        assert!(!read.findings.iter().any(|f| f.code == "sheet-more-forms"));
        for (rows, at) in [(below, "C17"), (beside, "M10")] {
            let read = small_form(&rows, &[]);
            let names: Vec<&str> = read
                .form
                .indicators
                .iter()
                .map(|i| i.name.as_str())
                .collect();
            assert_eq!(names, ["甲", "乙"], "{at}");
            assert!(
                read.form.indicators.iter().all(|i| i.deviation.is_empty()),
                "{at}"
            );
            let more: Vec<String> = read
                .findings
                .iter()
                .filter(|f| f.code == "sheet-more-forms")
                .map(|f| f.message.clone())
                .collect();
            assert_eq!(more.len(), 1, "{at}: {:?}", read.findings);
            assert!(more[0].contains("还有一份自评表"), "{}", more[0]);
        }
    }

    /// The unit of the amounts said by a line above the form (`单位：元`), by the cell itself
    /// (`100000元` in a block of 万元), or by both the line and the block's label, which
    /// disagree: the reader follows what is written closest to the figures, and says so when
    /// it converts or has to choose.
    #[test]
    fn the_unit_of_the_amounts() {
        use crate::model::AmountUnit;
        let funds = |extra: &[(u32, u32, &'static str)]| {
            let mut rows = TWO_INDICATORS.to_vec();
            rows.extend_from_slice(extra);
            let read = small_form(&rows, &[]);
            let total = read.form.funds.total.clone().unwrap();
            let codes: Vec<&str> = read.findings.iter().map(|f| f.code).collect();
            (read.form.funds.unit, total.budget, total.executed, codes)
        };
        let ten = Some(Decimal::TEN);
        let (unit, budget, _, codes) = funds(&[(0, 6, "（单位：元）")]);
        assert_eq!((unit, budget), (AmountUnit::Yuan, ten));
        assert!(!codes.iter().any(|c| c.contains("unit")), "{codes:?}");
        let (unit, budget, executed, codes) = funds(&[
            (4, 1, "项目资金（万元）"),
            (5, 3, "100000元"),
            (5, 4, "9万元"),
        ]);
        assert_eq!(
            (unit, budget, executed),
            (AmountUnit::WanYuan, ten, Some(Decimal::from(9)))
        );
        assert_eq!(codes.iter().filter(|c| **c == "funds-cell-unit").count(), 1);
        let (unit, budget, _, _) = funds(&[(4, 1, "项目资金（元）"), (5, 3, "10万")]);
        assert_eq!(
            (unit, budget),
            (AmountUnit::Yuan, Some(Decimal::from(100_000)))
        );
        // Past Decimal's range when converted: unread, no panic.
        let (_, budget, _, _) = funds(&[
            (0, 6, "单位：元"),
            (5, 3, "79228162514264337593543950335万元"),
        ]);
        assert_eq!(budget, None);
        let (unit, budget, _, codes) = funds(&[(0, 6, "单位：元"), (4, 1, "项目资金（万元）")]);
        assert_eq!((unit, budget), (AmountUnit::WanYuan, ten));
        assert!(codes.contains(&"funds-unit-conflict"), "{codes:?}");
    }

    /// The funds block printed under the total is no indicator row after the total.
    #[test]
    fn funds_under_the_total_are_not_rows_after_it() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([
            (12, 2, "总分"),
            (12, 8, "86"),
            (13, 2, "项目资金"),
            (14, 4, "年度资金总额"),
            (14, 7, "10"),
            (14, 8, "10"),
        ]);
        let read = small_form(&rows, &[]);
        assert_eq!(read.form.total_score, Some(Decimal::from(86)));
        assert!(
            !read.findings.iter().any(|f| f.code == "rows-after-total"),
            "{:?}",
            read.findings
        );
    }

    /// A total row whose 得分 cell is merged in from the 分值 column shows Σ分值, not the
    /// total: the reader leaves the total empty rather than take 100 for it.
    #[test]
    fn a_total_merged_over_weight_and_score_is_not_the_total() {
        use super::super::sheet::SheetBuilder;
        let mut b = SheetBuilder::default();
        let mut put = |r: u32, c: u32, t: &str| {
            b.push(r, c, Value::Text(t.to_string())).unwrap();
        };
        put(0, 0, "项目支出绩效自评表");
        put(1, 0, "项目名称");
        put(1, 1, "某项目");
        for (i, h) in ["全年预算数", "全年执行数", "分值", "执行率", "得分"]
            .iter()
            .enumerate()
        {
            put(2, 2 + i as u32, h);
        }
        put(3, 1, "年度资金总额");
        for (i, v) in ["10", "10", "10", "100%", "10"].iter().enumerate() {
            put(3, 2 + i as u32, v);
        }
        let header = &HEADER[..7];
        for (i, h) in header.iter().enumerate() {
            put(4, i as u32, h);
        }
        for (i, v) in ["产出指标", "数量指标", "甲", "1套", "1套", "90", "90"]
            .iter()
            .enumerate()
        {
            put(5, i as u32, v);
        }
        put(6, 0, "总分");
        put(6, 5, "100");
        b.merge((6, 5), (6, 6)).unwrap();
        let sheet = b.build("表".into());
        let Found::Form(read) = super::form(&sheet) else {
            panic!("not read as a form");
        };
        assert_eq!(read.form.indicators.len(), 1);
        assert_eq!(read.form.total_score, None);
    }
}
