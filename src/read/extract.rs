//! Finding a form on a worksheet by its labels, as a person reads it, and taking its values.
//!
//! Labels are compared after [`normalize`]: no spaces, half-width brackets and colons, no
//! trailing colon, no `（10分）`/`（万元）` suffix, no `其中：` prefix. Blocks are found by their
//! header rows, columns by their header text, values through merged regions. Nothing here
//! judges the values: a missing value is an empty field for `validate`; only a missing block
//! (the form cannot be reviewed without it) stops the reading.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::sheet::{NumFmt, Sheet, Value};
use crate::model::{
    CellRef, Field, Form, FundsColumn, FundsRow, FundsRowKind, Indicator, IndicatorField, Shown,
    SourceCells, is_blank,
};

/// What a worksheet holds.
#[derive(Debug)]
pub enum Found {
    /// Not a form (instructions, a price list, an empty sheet).
    Nothing,
    /// Looks like a form but a whole block is missing; the text names it.
    Incomplete(String),
    /// A form, with the cell of every field.
    Form(Box<Form>, SourceCells, Shown),
}

/// The labels of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Title,
    Project,
    Department,
    Unit,
    Lead,
    Phone,
    Funds,
    Initial,
    Budget,
    Executed,
    Weight,
    Rate,
    Score,
    Row(FundsRowKind),
    Goals,
    Expected,
    Achieved,
    Indicators,
    Level1,
    Level2,
    Name,
    Target,
    Actual,
    Deviation,
    TotalScore,
    Grade,
    Notes,
}

/// Labels longer than this (in characters) are not labels but text.
const MAX_LABEL: usize = 40;

/// A label's text reduced to what matters for matching: no whitespace, full-width ASCII
/// (`（）：，Ｂ`) made half-width, upper-case Latin letters, no trailing colon.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            c => c,
        };
        if c.is_whitespace() {
            continue;
        }
        out.push(c.to_ascii_uppercase());
    }
    while out.ends_with(':') {
        out.pop();
    }
    out
}

/// `分值(10分)` → `分值`, `项目资金(万元)` → `项目资金`; other text unchanged.
fn strip_unit_suffix(n: &str) -> &str {
    if let Some(open) = n.rfind('(')
        && n.ends_with(')')
    {
        let inner = &n[open + 1..n.len() - 1];
        let score = inner
            .strip_suffix('分')
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || c == '.'));
        if score || inner == "万元" || inner == "元" {
            return &n[..open];
        }
    }
    n
}

/// The label a cell's text is, if any.
fn classify(text: &str) -> Option<Label> {
    if text.len() > 4 * 3 * MAX_LABEL {
        // Long text (goals, notes): only the notes are recognised, by their start.
        let head: String = text.chars().take(2 * MAX_LABEL).collect();
        return normalize(&head)
            .starts_with("填报注意事项")
            .then_some(Label::Notes);
    }
    let n = normalize(text);
    if n.starts_with("填报注意事项") {
        return Some(Label::Notes);
    }
    if n.chars().count() > MAX_LABEL {
        return None;
    }
    classify_normalized(&n)
}

fn classify_normalized(n: &str) -> Option<Label> {
    let n = strip_unit_suffix(n);
    let n = n
        .strip_prefix("其中:")
        .or_else(|| n.strip_prefix("其中"))
        .unwrap_or(n);
    Some(match n {
        "项目名称" => Label::Project,
        "主管部门及代码" | "主管部门" | "主管部门及编码" | "主管部门名称" | "主管部门(代码)" => {
            Label::Department
        }
        "实施单位" | "实施单位及代码" | "实施单位名称" | "实施单位(代码)" => {
            Label::Unit
        }
        "项目负责人" => Label::Lead,
        "联系电话" | "项目负责人联系电话" => Label::Phone,
        "年初预算数" => Label::Initial,
        "全年预算数(B)" | "全年预算数" => Label::Budget,
        "全年执行数(C)" | "全年执行数" => Label::Executed,
        "分值" => Label::Weight,
        "执行率(C/B)" | "执行率" => Label::Rate,
        "得分" => Label::Score,
        "年度资金总额" => Label::Row(FundsRowKind::Total),
        "当年财政拨款" | "财政拨款" => Label::Row(FundsRowKind::Appropriation),
        "上年结转资金" => Label::Row(FundsRowKind::Carryover),
        "其他资金" => Label::Row(FundsRowKind::Other),
        "年度总体目标" => Label::Goals,
        "预期目标" => Label::Expected,
        "实际完成情况" => Label::Achieved,
        "绩效指标" => Label::Indicators,
        "一级指标" => Label::Level1,
        "二级指标" => Label::Level2,
        "三级指标" => Label::Name,
        "年度指标值(A)" | "年度指标值" => Label::Target,
        "实际完成值" | "实际完成值(B)" | "全年实际值" | "全年实际值(B)" => {
            Label::Actual
        }
        "总分" => Label::TotalScore,
        "等级" | "自评等级" | "评价等级" | "绩效等级" => Label::Grade,
        _ if n.starts_with("偏差原因") => Label::Deviation,
        _ if n.starts_with("项目资金") => Label::Funds,
        _ if is_title(n) => Label::Title,
        _ => return None,
    })
}

/// `项目支出绩效自评表`, `2024年度项目支出绩效自评表`, `项目支出绩效自评表(2024年度)`; not a
/// sentence that mentions the form.
fn is_title(n: &str) -> bool {
    let n = match n.rfind('(') {
        Some(open) if n.ends_with("年度)") => &n[..open],
        _ => n,
    };
    n.ends_with("绩效自评表") && n.chars().count() <= 24
}

/// A header field written with its value in one cell: `项目名称：某项目`.
fn inline_field(text: &str) -> Option<(Label, String)> {
    let (head, value) = text.split_once([':', '：'])?;
    let label = classify_normalized(&normalize(head))?;
    matches!(
        label,
        Label::Project | Label::Department | Label::Unit | Label::Lead | Label::Phone
    )
    .then(|| (label, value.trim().to_string()))
}

/// The year of a title such as `（2024年度）` or `2024年度项目支出绩效自评表`.
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

/// A label found on the sheet.
#[derive(Debug, Clone)]
struct Hit {
    label: Label,
    at: CellRef,
    last: CellRef,
    inline: Option<String>,
}

/// Every label of a sheet, in reading order.
struct Labels {
    hits: Vec<Hit>,
}

impl Labels {
    fn scan(sheet: &Sheet) -> Labels {
        let mut hits = Vec::new();
        for cell in sheet.cells() {
            let Value::Text(text) = &cell.value else {
                continue;
            };
            let found = match classify(text) {
                Some(label) => Some((label, None)),
                None if text.chars().count() <= 400 => {
                    inline_field(text).map(|(l, v)| (l, Some(v)))
                }
                None => None,
            };
            if let Some((label, inline)) = found {
                hits.push(Hit {
                    label,
                    at: cell.at,
                    last: sheet.last_of(cell.at),
                    inline,
                });
            }
        }
        Labels { hits }
    }

    fn first(&self, label: Label) -> Option<&Hit> {
        self.hits.iter().find(|h| h.label == label)
    }

    fn first_where(&self, label: Label, pred: impl Fn(&Hit) -> bool) -> Option<&Hit> {
        self.hits.iter().find(|h| h.label == label && pred(h))
    }

    /// True when the cell at `at` (a region's top-left cell) is a label.
    fn is_label(&self, at: CellRef) -> bool {
        self.hits.binary_search_by_key(&at, |h| h.at).is_ok()
    }

    /// The labels of a header row: those whose region covers `row`.
    fn in_row(&self, row: u32) -> impl Iterator<Item = &Hit> {
        self.hits
            .iter()
            .filter(move |h| h.at.row <= row && row <= h.last.row)
    }
}

/// Reads the form on `sheet`, if it holds one.
pub fn form(sheet: &Sheet) -> Found {
    let labels = Labels::scan(sheet);
    if labels.hits.is_empty() {
        return Found::Nothing;
    }
    let header = labels
        .hits
        .iter()
        .filter(|h| h.label == Label::Name)
        .find(|name| {
            labels.in_row(name.at.row).any(|h| {
                matches!(
                    h.label,
                    Label::Level1 | Label::Level2 | Label::Target | Label::Actual
                )
            })
        });
    let funds_header = labels.hits.iter().find(|h| {
        h.label == Label::Budget
            && header.is_none_or(|hd| hd.at.row != h.at.row)
            && labels.in_row(h.at.row).any(|o| o.label == Label::Executed)
    });
    let blocks = [
        labels.first(Label::Project).is_some(),
        funds_header.is_some(),
        labels.first(Label::Expected).is_some() || labels.first(Label::Goals).is_some(),
        labels.first(Label::TotalScore).is_some(),
        labels.first(Label::Title).is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let Some(header) = header else {
        return if blocks >= 2 {
            Found::Incomplete(format!(
                "工作表“{}”缺少“绩效指标”表头（一级指标、二级指标、三级指标…），无法审核",
                sheet.name
            ))
        } else {
            Found::Nothing
        };
    };
    if blocks == 0 {
        return Found::Nothing;
    }
    let Some(funds_header) = funds_header else {
        return Found::Incomplete(format!(
            "工作表“{}”缺少“项目资金”表头（年初预算数、全年预算数(B)、全年执行数(C)…），无法审核",
            sheet.name
        ));
    };
    let reader = FormReader {
        sheet,
        labels: &labels,
        header_row: header.at.row,
        funds_row: funds_header.at.row,
        cells: SourceCells::new(sheet.name.clone()),
        form: Form::default(),
        shown: Shown::default(),
    };
    let (form, cells, shown) = reader.read();
    Found::Form(Box::new(form), cells, shown)
}

/// Reads one form once its two header rows are known.
struct FormReader<'a> {
    sheet: &'a Sheet,
    labels: &'a Labels,
    /// The row of the indicator header (一级指标 … 偏差原因分析及改进措施).
    header_row: u32,
    /// The row of the funds header (年初预算数 … 得分).
    funds_row: u32,
    cells: SourceCells,
    form: Form,
    shown: Shown,
}

impl FormReader<'_> {
    fn read(mut self) -> (Form, SourceCells, Shown) {
        let right = self
            .indicator_headers()
            .chain(self.funds_headers())
            .map(|h| u32::from(h.last.col))
            .max()
            .unwrap_or(0);
        let top = [Label::Project, Label::Department, Label::Unit]
            .iter()
            .filter_map(|l| self.labels.first(*l).map(|h| h.at.row))
            .min()
            .unwrap_or(self.funds_row.min(self.header_row));
        self.read_year(top);
        self.read_header(right);
        self.read_funds();
        self.read_goals(right);
        let end = self.read_indicators(right);
        self.read_total(end, right);
        (self.form, self.cells, self.shown)
    }

    /// The title year, from the rows above the header fields.
    fn read_year(&mut self, top: u32) {
        let found = self
            .sheet
            .cells()
            .iter()
            .take_while(|c| c.at.row < top)
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
                if let Some(title) = self.labels.first(Label::Title) {
                    self.cells.insert(Field::Year, title.at);
                }
            }
        }
    }

    /// The value right of a label on its row: the next non-empty cell that is not itself a
    /// label, up to column `right`; `None` with the first cell after the label when empty.
    fn right_of(&self, hit: &Hit, right: u32) -> (Option<&Value>, CellRef) {
        let row = hit.at.row;
        let start = u32::from(hit.last.col) + 1;
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
            if anchor.row != row {
                continue; // a region that belongs to the row above
            }
            if self.labels.is_label(anchor) {
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

    /// A text field right of `label`: `(text, cell)`, `None` when the label is missing.
    fn text_right_of(&self, label: Label, right: u32) -> Option<(String, CellRef)> {
        let hit = self
            .labels
            .first_where(label, |h| h.at.row < self.header_row)?;
        if let Some(inline) = &hit.inline {
            return Some((inline.clone(), hit.at));
        }
        let (value, at) = self.right_of(hit, right);
        Some((text(value), at))
    }

    fn read_header(&mut self, right: u32) {
        for (label, field) in [
            (Label::Project, Field::Project),
            (Label::Department, Field::Department),
            (Label::Unit, Field::Unit),
            (Label::Lead, Field::Lead),
            (Label::Phone, Field::Phone),
        ] {
            let Some((value, at)) = self.text_right_of(label, right) else {
                continue;
            };
            self.cells.insert(field, at);
            match field {
                Field::Project => self.form.project = value,
                Field::Department => self.form.department = value,
                Field::Unit => self.form.unit = value,
                Field::Lead => self.form.lead = (!value.is_empty()).then_some(value),
                _ => self.form.phone = (!value.is_empty()).then_some(value),
            }
        }
    }

    /// The column headers of the funds block (年初预算数 … 得分).
    fn funds_headers(&self) -> impl Iterator<Item = &Hit> {
        self.labels.in_row(self.funds_row).filter(|h| {
            matches!(
                h.label,
                Label::Initial
                    | Label::Budget
                    | Label::Executed
                    | Label::Weight
                    | Label::Rate
                    | Label::Score
            )
        })
    }

    /// The column headers of the indicator table (一级指标 … 偏差原因分析及改进措施).
    fn indicator_headers(&self) -> impl Iterator<Item = &Hit> {
        self.labels.in_row(self.header_row).filter(|h| {
            matches!(
                h.label,
                Label::Level1
                    | Label::Level2
                    | Label::Name
                    | Label::Target
                    | Label::Actual
                    | Label::Weight
                    | Label::Score
                    | Label::Deviation
            )
        })
    }

    /// The column of `label` in a header row.
    fn column(&self, row: u32, label: Label) -> Option<u16> {
        self.labels
            .in_row(row)
            .find(|h| h.label == label)
            .map(|h| h.at.col)
    }

    fn read_funds(&mut self) {
        let row = self.funds_row;
        let columns = [
            (FundsColumn::Initial, self.column(row, Label::Initial)),
            (FundsColumn::Budget, self.column(row, Label::Budget)),
            (FundsColumn::Executed, self.column(row, Label::Executed)),
        ];
        let weight = self.column(row, Label::Weight);
        let rate = self.column(row, Label::Rate);
        let score = self.column(row, Label::Score);
        let header_bottom = self
            .funds_headers()
            .map(|h| h.last.row)
            .max()
            .unwrap_or(row);
        // The block ends at the next block's label (goals or indicators), or the header.
        let end = self
            .labels
            .hits
            .iter()
            .filter(|h| {
                h.at.row > header_bottom
                    && matches!(
                        h.label,
                        Label::Goals | Label::Expected | Label::Indicators | Label::Name
                    )
            })
            .map(|h| h.at.row)
            .min()
            .unwrap_or(u32::MAX);
        for kind in FundsRowKind::ALL {
            let Some(hit) = self.labels.first_where(Label::Row(kind), |h| {
                h.at.row > header_bottom && h.at.row < end
            }) else {
                continue;
            };
            let r = hit.at.row;
            let mut figures = FundsRow::default();
            for (column, col) in columns {
                let Some(col) = col else { continue };
                let (value, at) = self.sheet.get(CellRef { row: r, col });
                *figures.get_mut(column) = decimal(value);
                self.cells.insert(Field::Funds(kind, column), at);
            }
            if !figures.is_empty() {
                *self.form.funds.row_mut(kind) = Some(figures);
            }
            if kind != FundsRowKind::Total {
                continue;
            }
            if let Some(col) = weight {
                let (value, at) = self.sheet.get(CellRef { row: r, col });
                self.form.funds.weight = decimal(value);
                self.cells.insert(Field::FundsWeight, at);
            }
            if let Some(col) = score {
                let (value, at) = self.sheet.get(CellRef { row: r, col });
                self.form.funds.score = decimal(value);
                self.cells.insert(Field::FundsScore, at);
            }
            if let Some(col) = rate {
                let (value, at) = self.sheet.get(CellRef { row: r, col });
                self.shown.execution_rate = percent(value);
                self.cells.insert(Field::FundsRate, at);
            }
        }
    }

    /// 预期目标 / 实际完成情况: the text below the label, or right of it.
    fn read_goals(&mut self, right: u32) {
        for (label, field) in [
            (Label::Expected, Field::Expected),
            (Label::Achieved, Field::Achieved),
        ] {
            let Some(hit) = self
                .labels
                .first_where(label, |h| h.at.row < self.header_row)
            else {
                continue;
            };
            let below = self.sheet.anchor(CellRef {
                row: hit.last.row + 1,
                col: hit.at.col,
            });
            let below_value = self.sheet.own(below).filter(|v| !v.is_blank());
            let (value, at) = if below_value.is_some() && !self.labels.is_label(below) {
                (below_value, below)
            } else {
                match self.right_of(hit, right) {
                    (Some(v), at) => (Some(v), at),
                    (None, _) if !self.labels.is_label(below) => (None, below),
                    (None, at) => (None, at),
                }
            };
            let value = text(value);
            match field {
                Field::Expected => self.form.goals.expected = value,
                _ => self.form.goals.achieved = value,
            }
            self.cells.insert(field, at);
        }
    }

    /// Reads the indicator rows; returns the row of 总分 (or the row after the last read).
    fn read_indicators(&mut self, right: u32) -> Option<u32> {
        let row = self.header_row;
        let fields = [
            (IndicatorField::Level1, Label::Level1),
            (IndicatorField::Level2, Label::Level2),
            (IndicatorField::Name, Label::Name),
            (IndicatorField::Target, Label::Target),
            (IndicatorField::Actual, Label::Actual),
            (IndicatorField::Weight, Label::Weight),
            (IndicatorField::Score, Label::Score),
            (IndicatorField::Deviation, Label::Deviation),
        ]
        .map(|(f, l)| (f, self.column(row, l)));
        let left = self
            .indicator_headers()
            .map(|h| h.at.col)
            .min()
            .unwrap_or(0);
        let bottom = self
            .indicator_headers()
            .map(|h| h.last.row)
            .max()
            .unwrap_or(row);
        let rows: Vec<u32> = self.sheet.rows_from(bottom + 1).collect();
        for r in rows {
            let in_table = |c: &&super::sheet::Cell| {
                u32::from(c.at.col) >= u32::from(left) && u32::from(c.at.col) <= right
            };
            let row_labels: Vec<Label> = self
                .sheet
                .row(r)
                .iter()
                .filter(in_table)
                .filter(|c| self.labels.is_label(c.at))
                .filter_map(|c| match &c.value {
                    Value::Text(t) => classify(t),
                    _ => None,
                })
                .collect();
            if row_labels.contains(&Label::TotalScore) {
                return Some(r);
            }
            if row_labels.iter().any(|l| {
                matches!(
                    l,
                    Label::Notes | Label::Title | Label::Project | Label::Funds | Label::Grade
                )
            }) {
                return None;
            }
            if row_labels.contains(&Label::Name) {
                continue; // the header repeated
            }
            // Skip rows with nothing of their own in the table's columns.
            let own = fields.iter().any(|(_, col)| {
                col.is_some_and(|col| {
                    let (v, at) = self.sheet.get(CellRef { row: r, col });
                    at.row == r && v.is_some_and(|v| !v.is_blank())
                })
            });
            if !own {
                continue;
            }
            self.read_indicator(r, &fields);
        }
        None
    }

    fn read_indicator(&mut self, r: u32, fields: &[(IndicatorField, Option<u16>); 8]) {
        let i = self.form.indicators.len();
        let mut indicator = Indicator::default();
        let mut level1_continued = false;
        for &(field, col) in fields {
            let Some(col) = col else { continue };
            let (value, at) = self.sheet.get(CellRef { row: r, col });
            let mut at = at;
            match field {
                IndicatorField::Level1 | IndicatorField::Level2 => {
                    let mut t = text(value);
                    let may_continue =
                        field == IndicatorField::Level1 || level1_continued || at.row < r;
                    if t.is_empty()
                        && may_continue
                        && let Some(prev) = self.form.indicators.last()
                    {
                        t = if field == IndicatorField::Level1 {
                            prev.level1.clone()
                        } else {
                            prev.level2.clone()
                        };
                        if let Some(prev_at) = self.cells.get(Field::Indicator(i - 1, field)) {
                            at = prev_at;
                        }
                        level1_continued |= field == IndicatorField::Level1;
                    } else if field == IndicatorField::Level1 {
                        // Merged over this row from above: the same group.
                        level1_continued = at.row < r;
                    }
                    if field == IndicatorField::Level1 {
                        indicator.level1 = t;
                    } else {
                        indicator.level2 = t;
                    }
                }
                IndicatorField::Name => indicator.name = text(value),
                IndicatorField::Target => indicator.target = text(value),
                IndicatorField::Actual => indicator.actual = text(value),
                IndicatorField::Weight => indicator.weight = decimal(value),
                IndicatorField::Score => indicator.score = decimal(value),
                IndicatorField::Deviation => indicator.deviation = text(value),
            }
            self.cells.insert(Field::Indicator(i, field), at);
        }
        self.form.indicators.push(indicator);
    }

    /// 总分 (under the 得分 column) and 等级 (right of its label), when the form has them.
    fn read_total(&mut self, total_row: Option<u32>, right: u32) {
        if let Some(r) = total_row
            && let Some(col) = self.column(self.header_row, Label::Score)
        {
            let (value, at) = self.sheet.get(CellRef { row: r, col });
            self.form.total_score = decimal(value);
            self.cells.insert(Field::TotalScore, at);
        }
        if let Some(hit) = self
            .labels
            .first_where(Label::Grade, |h| h.at.row > self.header_row)
        {
            let (value, at) = self.right_of(hit, right);
            let t = text(value);
            if !t.is_empty() {
                self.form.grade = Some(t);
                self.cells.insert(Field::Grade, at);
            }
        }
    }
}

/// A text field: what the cell displays, trimmed; `-`, `——`, `/` and empty are "".
fn text(value: Option<&Value>) -> String {
    match value {
        Some(v) if !v.is_blank() => v.display().trim().to_string(),
        _ => String::new(),
    }
}

/// A decimal field: a text cell as written (`18.950000`, `7.00`); a number cell as stored,
/// with the trailing zeros its format shows (`7` in `0.00` → `7.00`) but never rounded;
/// `None` for a dash, an empty cell or text that is not a number.
fn decimal(value: Option<&Value>) -> Option<Decimal> {
    let (mut d, places) = match value? {
        Value::Number(d, NumFmt::Percent(p)) => (d.saturating_mul(Decimal::ONE_HUNDRED), *p),
        Value::Number(d, NumFmt::Fixed(p)) => (*d, *p),
        Value::Number(d, _) => (*d, 0),
        Value::Text(t) => return decimal_text(t),
    };
    if d.scale() < u32::from(places) {
        d.rescale(u32::from(places));
    }
    Some(d)
}

/// A number written as text, tolerating thousands separators, full-width digits and a unit
/// (`1,234.50`, `１０`, `10分`, `18.95万元`).
fn decimal_text(text: &str) -> Option<Decimal> {
    if is_blank(text) {
        return None;
    }
    let n = normalize(text).replace(',', "");
    let n = ["万元", "元", "分"]
        .iter()
        .find_map(|u| n.strip_suffix(u))
        .unwrap_or(&n);
    Decimal::from_str(n)
        .or_else(|_| Decimal::from_scientific(n))
        .ok()
}

/// 执行率 in percent: `98.55%` as text, a percent-formatted fraction (as displayed), a bare
/// number (a fraction up to 1.5, else already percent).
fn percent(value: Option<&Value>) -> Option<Decimal> {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_normalized() {
        let cases = [
            ("项 目 名 称", Some(Label::Project)),
            ("主管部门及代码：", Some(Label::Department)),
            ("主管部门", Some(Label::Department)),
            ("全年预算数（B）", Some(Label::Budget)),
            ("全年预算数(B)", Some(Label::Budget)),
            ("全年执行数（Ｃ）", Some(Label::Executed)),
            ("分值（10分）", Some(Label::Weight)),
            ("分值(10分)", Some(Label::Weight)),
            ("执行率（C/B）", Some(Label::Rate)),
            (
                "其中：当年财政拨款",
                Some(Label::Row(FundsRowKind::Appropriation)),
            ),
            (
                "其中:当年财政拨款",
                Some(Label::Row(FundsRowKind::Appropriation)),
            ),
            ("年度资金总额：", Some(Label::Row(FundsRowKind::Total))),
            ("项目资金（万元）", Some(Label::Funds)),
            ("年度指标值（A）", Some(Label::Target)),
            ("偏差原因分析 及改进措施", Some(Label::Deviation)),
            ("总分：", Some(Label::TotalScore)),
            ("2024年度项目支出绩效自评表", Some(Label::Title)),
            (
                "填报注意事项：\n1.得分一档最高不能超过该指标分值上限。",
                Some(Label::Notes),
            ),
            ("项目名称很长的一段说明文字", None),
            ("项目支出绩效自评表（2023年度）", Some(Label::Title)),
            (
                "1.本工作簿用于填报项目支出绩效自评表，每个项目一张工作表。",
                None,
            ),
            ("18.950000", None),
        ];
        for (text, want) in cases {
            assert_eq!(classify(text), want, "{text}");
        }
        assert_eq!(
            inline_field("项目名称：某某项目"),
            Some((Label::Project, "某某项目".to_string()))
        );
    }

    #[test]
    fn years() {
        assert_eq!(year_of("（2024年度）"), Some(2024));
        assert_eq!(year_of("(2020 年度)"), Some(2020));
        assert_eq!(year_of("2024年度项目支出绩效自评表"), Some(2024));
        assert_eq!(year_of("项目支出绩效自评表"), None);
        assert_eq!(year_of("年度资金总额"), None);
        assert_eq!(year_of("全年度"), None);
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
        let header = [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ];
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
        let Found::Form(form, cells, shown) = super::form(&sheet) else {
            panic!("not read as a form");
        };
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
}
