//! Form + layout → grid: places every label and value of the official table, measures and
//! wraps the text, sizes the rows, pins the findings to their cells.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;

use super::grid::{
    Cell, DocInfo, FooterPart, Grid, HAlign, ListValidation, Note, PT_PER_MM, PageSetup, Style,
    StyleId, VAlign, Value,
};
use super::spec::{FontRole, Layout, Template};
use super::text::{clean, wrap};
use crate::error::Result;
use crate::fonts;
use crate::model::{
    AmountUnit, CellRef, Field, Form, FundsColumn, FundsRowKind, Indicator, IndicatorField,
};
use crate::report::Report;
use crate::score::Review;
use crate::validate::Severity;

/// Line pitch as a multiple of the font size (CJK text reads best at about 1.45; it also
/// leaves room for spreadsheet programs whose line height for the same font is larger).
pub const LINE_PITCH: f32 = 1.45;
/// Space between a cell's border and its text, left and right, in points.
pub const PAD_H: f32 = 4.0;
/// Space between a cell's border and its text, top and bottom, in points.
pub const PAD_V: f32 = 2.5;
/// The fill of a cell with an error finding (light red).
pub const ERROR_FILL: u32 = 0xFFC7CE;

/// What the form data does not say but the output needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Names for the sign-off block by role (`填表人` → `张三`); they override the form's.
    pub signoff: BTreeMap<String, String>,
    /// The date of the sign-off block (`2025-03-01`); overrides the form's `填报日期`.
    pub date: Option<String>,
    /// When the document is made, as an RFC 3339 timestamp with its offset
    /// (`2025-03-01T00:00:00+08:00`); the clock in China Standard Time when `None`.
    pub created: Option<String>,
    /// Who signs the document digitally, shown in the signature over 单位（盖章）; `None`
    /// for a document that is not signed.
    pub signature: Option<Signature>,
}

/// What a digital signature's appearance shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// The signer's name (the certificate's common name).
    pub signer: String,
    /// The unit that signs (the certificate's organisation); the form's 实施单位 when `None`.
    pub unit: Option<String>,
    /// When it is signed, as an RFC 3339 timestamp with its offset.
    pub time: String,
}

/// The variables layout templates may use.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateData<'a> {
    /// The form's year, null when unknown.
    pub year: Option<i32>,
    /// 项目名称.
    pub project: &'a str,
    /// 主管部门.
    pub department: &'a str,
    /// 实施单位.
    pub unit: &'a str,
    /// The input file's stem.
    pub stem: &'a str,
    /// The worksheet when a workbook holds several forms, "" otherwise.
    pub sheet: &'a str,
}

impl<'a> TemplateData<'a> {
    /// The variables of `form`, read from the input `stem` (and `sheet`).
    pub fn new(form: &'a Form, stem: &'a str, sheet: &'a str) -> Self {
        TemplateData {
            year: form.year,
            project: &form.project,
            department: &form.department,
            unit: &form.unit,
            stem,
            sheet,
        }
    }
}

/// The roles of text in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Title,
    Subtitle,
    Unit,
    Label,
    Header,
    ValueCenter,
    ValueLeft,
    Notes,
    Signoff,
}

/// Places cells and interns styles.
struct Builder<'l> {
    layout: &'l Layout,
    columns: Vec<f32>,
    cells: Vec<Cell>,
    styles: Vec<Style>,
    role_styles: HashMap<(Role, bool), StyleId>,
    fields: HashMap<Field, CellRef>,
    row: u32,
}

impl<'l> Builder<'l> {
    fn font(&self, role: Role) -> FontRole {
        let f = &self.layout.fonts;
        match role {
            Role::Title => f.title,
            Role::Subtitle => f.subtitle,
            Role::Unit => f.body,
            Role::Label => f.label,
            Role::Header => f.header,
            Role::ValueCenter | Role::ValueLeft => f.body,
            Role::Notes => f.notes,
            Role::Signoff => f.signoff,
        }
    }

    fn style(&mut self, role: Role, error: bool) -> StyleId {
        if let Some(id) = self.role_styles.get(&(role, error)) {
            return *id;
        }
        let font = self.font(role);
        let (h_align, v_align, border) = match role {
            Role::Title | Role::Subtitle => (HAlign::Center, VAlign::Center, false),
            Role::Unit => (HAlign::Right, VAlign::Center, false),
            Role::Label | Role::Header | Role::ValueCenter => {
                (HAlign::Center, VAlign::Center, true)
            }
            Role::ValueLeft => (HAlign::Left, VAlign::Center, true),
            Role::Notes => (HAlign::Left, VAlign::Top, false),
            Role::Signoff => (HAlign::Left, VAlign::Center, false),
        };
        let style = Style {
            size: font.size,
            bold: font.bold,
            h_align,
            v_align,
            border,
            fill: error.then_some(ERROR_FILL),
        };
        let id = StyleId(self.styles.len());
        self.styles.push(style);
        self.role_styles.insert((role, error), id);
        id
    }

    /// Places a cell spanning `rows` × `cols` at (`row`, `col`).
    fn put(
        &mut self,
        row: u32,
        col: u16,
        rows: u32,
        cols: u16,
        value: Value,
        role: Role,
    ) -> CellRef {
        let value = match value {
            Value::Text(t) => Value::Text(clean(&t).into_owned()),
            other => other,
        };
        let font = self.font(role);
        let width: f32 = self.columns[col as usize..(col + cols) as usize]
            .iter()
            .sum();
        let lines = wrap(
            &value.display(),
            width - 2.0 * PAD_H,
            font.size,
            fonts::metrics(font.bold),
        );
        let style = self.style(role, false);
        self.cells.push(Cell {
            row,
            col,
            rows,
            cols,
            value,
            lines,
            style,
        });
        CellRef { row, col }
    }

    /// Places the 一级 or 二级 label of the indicators `group` (rows from `first_row`), merged
    /// over them, and remembers it as that field of each.
    fn group(
        &mut self,
        first_row: u32,
        group: std::ops::Range<usize>,
        col: u16,
        field: IndicatorField,
        text: &str,
    ) {
        let rows = group.len() as u32;
        let at = self.put(
            first_row + group.start as u32,
            col,
            rows,
            1,
            self.text(text),
            Role::ValueCenter,
        );
        for k in group {
            self.fields.insert(Field::Indicator(k, field), at);
        }
    }

    /// Places a cell in the current row and remembers which field it shows.
    fn field(&mut self, field: Field, col: u16, cols: u16, value: Value, role: Role) {
        let at = self.put(self.row, col, 1, cols, value, role);
        self.fields.insert(field, at);
    }

    fn text(&self, text: &str) -> Value {
        if text.trim().is_empty() {
            Value::Empty
        } else {
            Value::Text(text.to_string())
        }
    }

    fn amount(&self, value: Option<Decimal>) -> Value {
        match value {
            Some(v) => Value::number(v),
            None => Value::Text(self.layout.text.empty.clone()),
        }
    }
}

/// The A1 reference of a cell in the grid.
fn a1(row: u32, col: u16) -> String {
    CellRef { row, col }.to_string()
}

/// Builds the grid of a checked form in `layout`.
///
/// # Errors
/// [`crate::Error::Layout`] when a template of the layout fails or the grid breaks its rules.
pub fn build(report: &Report, layout: &Layout, options: &Options) -> Result<Grid> {
    let (mut grid, fields) = lay_out(&report.form, Some(&report.review), layout, options, 0)?;
    pin_findings(&mut grid, &fields, report);
    // Findings quote cell text and the metadata repeats it: they get the cells' cleaning too.
    for note in grid.notes.iter_mut().chain(grid.general.iter_mut()) {
        note.message = clean(&note.message).into_owned();
    }
    let info = &mut grid.info;
    for text in [
        &mut info.title,
        &mut info.author,
        &mut info.subject,
        &mut info.keywords,
    ] {
        *text = clean(text).into_owned();
    }
    grid.check(&layout.name)?;
    Ok(grid)
}

/// Builds a blank, fillable form with `rows` empty indicator rows and drop-down lists.
///
/// # Errors
/// [`crate::Error::Layout`] when a template of the layout fails or the grid breaks its rules.
pub fn build_blank(layout: &Layout, rows: usize) -> Result<Grid> {
    let form = Form::default();
    let (grid, _) = lay_out(&form, None, layout, &Options::default(), rows)?;
    grid.check(&layout.name)?;
    Ok(grid)
}

fn lay_out(
    form: &Form,
    review: Option<&Review>,
    layout: &Layout,
    options: &Options,
    blank_rows: usize,
) -> Result<(Grid, HashMap<Field, CellRef>)> {
    let blank = review.is_none();
    let columns: Vec<f32> = layout
        .columns
        .widths
        .iter()
        .map(|w| w * PT_PER_MM)
        .collect();
    let mut b = Builder {
        layout,
        columns,
        cells: Vec::new(),
        styles: Vec::new(),
        role_styles: HashMap::new(),
        fields: HashMap::new(),
        row: 0,
    };
    let t = &layout.text;
    let data = TemplateData::new(form, "", "");
    let mut break_before = Vec::new();

    // Title and year line.
    b.put(0, 0, 1, 8, Value::Text(t.title.clone()), Role::Title);
    let year_line = layout.render(Template::YearLine, &data)?;
    let at = b.put(1, 0, 1, 8, b.text(&year_line), Role::Subtitle);
    b.fields.insert(Field::Year, at);
    b.row = 2;
    if let Some(unit) = &t.amount_unit {
        b.put(b.row, 0, 1, 8, Value::Text(unit.clone()), Role::Unit);
        b.row += 1;
    }

    // Header: 项目名称; 主管部门 | 实施单位; (项目负责人 | 联系电话).
    b.put(b.row, 0, 1, 1, Value::Text(t.project.clone()), Role::Label);
    b.field(Field::Project, 1, 7, b.text(&form.project), Role::ValueLeft);
    b.row += 1;
    b.put(
        b.row,
        0,
        1,
        1,
        Value::Text(t.department.clone()),
        Role::Label,
    );
    b.field(
        Field::Department,
        1,
        3,
        b.text(&form.department),
        Role::ValueLeft,
    );
    b.put(b.row, 4, 1, 1, Value::Text(t.unit.clone()), Role::Label);
    b.field(Field::Unit, 5, 3, b.text(&form.unit), Role::ValueLeft);
    b.row += 1;
    if let (Some(lead), Some(phone)) = (&t.lead, &t.phone) {
        b.put(b.row, 0, 1, 1, Value::Text(lead.clone()), Role::Label);
        b.field(
            Field::Lead,
            1,
            3,
            b.text(form.lead.as_deref().unwrap_or("")),
            Role::ValueLeft,
        );
        b.put(b.row, 4, 1, 1, Value::Text(phone.clone()), Role::Label);
        b.field(
            Field::Phone,
            5,
            3,
            b.text(form.phone.as_deref().unwrap_or("")),
            Role::ValueLeft,
        );
        b.row += 1;
    }

    // 项目资金（万元）: a label over five rows, the header row, four rows of figures.
    let funds_top = b.row;
    b.put(
        funds_top,
        0,
        5,
        1,
        Value::Text(t.funds.clone()),
        Role::Label,
    );
    b.put(funds_top, 1, 1, 1, Value::Empty, Role::Label);
    for (k, label) in t.funds_header.iter().enumerate() {
        b.put(
            funds_top,
            2 + k as u16,
            1,
            1,
            Value::Text(label.clone()),
            Role::Label,
        );
    }
    for (k, kind) in FundsRowKind::ALL.into_iter().enumerate() {
        b.row = funds_top + 1 + k as u32;
        let r = b.row;
        b.put(
            r,
            1,
            1,
            1,
            Value::Text(t.funds_rows[k].clone()),
            Role::Label,
        );
        let row = form.funds.row(kind);
        for (c, column) in FundsColumn::ALL.into_iter().enumerate() {
            // The layout's amounts are in 万元: a form in 元 is converted, exactly.
            let value = if blank {
                Value::Empty
            } else {
                b.amount(
                    row.and_then(|r| r.get(column))
                        .map(|d| form.funds.unit.convert(d, AmountUnit::WanYuan).unwrap_or(d)),
                )
            };
            b.field(
                Field::Funds(kind, column),
                2 + c as u16,
                1,
                value,
                Role::ValueCenter,
            );
        }
        let (budget, executed) = (a1(r, 3), a1(r, 4));
        // 执行率 on every row where C/B is computable (a live formula); a dash elsewhere.
        let formula = |formula: String, result: Value| Value::Formula {
            formula,
            result: Box::new(result),
        };
        let rate_formula = format!("=IF(N({budget})>0,N({executed})/{budget},\"\")");
        let ratio = row.and_then(|r| crate::score::ratio(r.executed?, r.budget?));
        let rate = match ratio {
            Some(value) => formula(rate_formula, Value::Percent { value, decimals: 2 }),
            None if blank => formula(rate_formula, Value::Empty),
            None => Value::Text(t.empty.clone()),
        };
        let dash = || {
            if blank {
                Value::Empty
            } else {
                Value::Text(t.empty.clone())
            }
        };
        if kind != FundsRowKind::Total {
            // Only 年度资金总额 carries 分值 and 得分.
            b.put(r, 5, 1, 1, dash(), Role::ValueCenter);
            b.put(r, 6, 1, 1, rate, Role::ValueCenter);
            b.put(r, 7, 1, 1, dash(), Role::ValueCenter);
            continue;
        }
        let weight = if blank {
            Value::Empty
        } else {
            b.amount(form.funds.weight)
        };
        b.field(Field::FundsWeight, 5, 1, weight, Role::ValueCenter);
        b.field(Field::FundsRate, 6, 1, rate, Role::ValueCenter);
        let weight_cell = a1(r, 5);
        let score_formula = format!(
            "=IF(N({budget})>0,ROUND(MIN(N({executed})/{budget},1)*N({weight_cell}),2),\"\")"
        );
        let score = match review.and_then(|r| r.funds_score) {
            Some(s) => formula(score_formula, Value::number(s)),
            None if blank => formula(score_formula, Value::Empty),
            // Not computable: keep what the form declares.
            None => b.amount(form.funds.score),
        };
        b.field(Field::FundsScore, 7, 1, score, Role::ValueCenter);
    }
    let funds_total_row = funds_top + 1;
    b.row = funds_top + 5;

    // 年度总体目标: 预期目标 | 实际完成情况, then the two texts.
    let goals = b.row;
    b.put(goals, 0, 2, 1, Value::Text(t.goals.clone()), Role::Label);
    b.put(goals, 1, 1, 4, Value::Text(t.expected.clone()), Role::Label);
    b.put(goals, 5, 1, 3, Value::Text(t.achieved.clone()), Role::Label);
    b.row = goals + 1;
    b.field(
        Field::Expected,
        1,
        4,
        b.text(&form.goals.expected),
        Role::ValueLeft,
    );
    b.field(
        Field::Achieved,
        5,
        3,
        b.text(&form.goals.achieved),
        Role::ValueLeft,
    );
    b.row = goals + 2;

    // 绩效指标 and the indicator header, repeated on every printed page.
    let header_first = b.row;
    break_before.push(header_first);
    b.put(
        b.row,
        0,
        1,
        8,
        Value::Text(t.indicators.clone()),
        Role::Label,
    );
    b.row += 1;
    for (k, label) in t.indicator_header.iter().enumerate() {
        b.put(
            b.row,
            k as u16,
            1,
            1,
            Value::Text(label.clone()),
            Role::Header,
        );
    }
    let header_last = b.row;
    b.row += 1;

    // The indicators, 一级 and 二级 merged over their groups.
    let first_indicator = b.row;
    let blank_form_rows;
    let indicators: &[Indicator] = if blank {
        blank_form_rows = vec![Indicator::default(); blank_rows.max(1)];
        &blank_form_rows
    } else {
        &form.indicators
    };
    let mut i = 0;
    while i < indicators.len() {
        let level1 = indicators[i].level1.trim();
        let end1 = run_end(indicators, i, |x| {
            x.level1.trim() == level1 && !blank && !level1.is_empty()
        });
        let start_row = first_indicator + i as u32;
        if i > 0 {
            break_before.push(start_row);
        }
        b.group(first_indicator, i..end1, 0, IndicatorField::Level1, level1);
        let mut j = i;
        while j < end1 {
            let level2 = indicators[j].level2.trim();
            let end2 = run_end(&indicators[..end1], j, |x| {
                x.level2.trim() == level2 && !level2.is_empty()
            });
            b.group(first_indicator, j..end2, 1, IndicatorField::Level2, level2);
            j = end2;
        }
        for (k, ind) in indicators.iter().enumerate().take(end1).skip(i) {
            b.row = first_indicator + k as u32;
            let f = |field| Field::Indicator(k, field);
            b.field(
                f(IndicatorField::Name),
                2,
                1,
                b.text(&ind.name),
                Role::ValueCenter,
            );
            b.field(
                f(IndicatorField::Target),
                3,
                1,
                b.text(&ind.target),
                Role::ValueCenter,
            );
            b.field(
                f(IndicatorField::Actual),
                4,
                1,
                b.text(&ind.actual),
                Role::ValueCenter,
            );
            let weight = ind.weight.map_or(Value::Empty, Value::number);
            b.field(f(IndicatorField::Weight), 5, 1, weight, Role::ValueCenter);
            let score = ind.score.map_or(Value::Empty, Value::number);
            b.field(f(IndicatorField::Score), 6, 1, score, Role::ValueCenter);
            b.field(
                f(IndicatorField::Deviation),
                7,
                1,
                b.text(&ind.deviation),
                Role::ValueLeft,
            );
        }
        i = end1;
    }
    let last_indicator = first_indicator + indicators.len() as u32 - 1;
    b.row = last_indicator + 1;

    // 总分: Σ分值 and the total, as live formulas.
    let total_row = b.row;
    break_before.push(total_row);
    b.put(
        total_row,
        0,
        1,
        5,
        Value::Text(t.total.clone()),
        Role::Label,
    );
    let weights = crate::score::sum(
        form.funds
            .weight
            .into_iter()
            .chain(indicators.iter().filter_map(|x| x.weight)),
    );
    let sum = |col: u16, funds_col: u16| {
        format!(
            "=N({})+SUM({}:{})",
            a1(funds_total_row, funds_col),
            a1(first_indicator, col),
            a1(last_indicator, col)
        )
    };
    let number_or_empty = |v: Decimal| {
        if blank {
            Value::Empty
        } else {
            Value::Number {
                value: v,
                decimals: 2,
            }
        }
    };
    b.put(
        total_row,
        5,
        1,
        1,
        Value::Formula {
            formula: sum(5, 5),
            result: Box::new(number_or_empty(weights)),
        },
        Role::ValueCenter,
    );
    let total = review.map_or(Decimal::ZERO, |r| {
        crate::score::sum(
            r.funds_score
                .or(form.funds.score)
                .into_iter()
                .chain(form.indicators.iter().filter_map(|x| x.score)),
        )
    });
    b.row = total_row;
    b.field(
        Field::TotalScore,
        6,
        1,
        Value::Formula {
            formula: sum(6, 7),
            result: Box::new(number_or_empty(total)),
        },
        Role::ValueCenter,
    );
    b.put(total_row, 7, 1, 1, Value::Empty, Role::ValueCenter);

    // 填报注意事项 and the sign-off block, outside the table.
    let notes_row = total_row + 1;
    break_before.push(notes_row);
    b.put(
        notes_row,
        0,
        1,
        8,
        Value::Text(t.notes.clone()),
        Role::Notes,
    );
    let signoff_row = notes_row + 1;
    break_before.push(signoff_row);
    let names = |role: &str| {
        options
            .signoff
            .get(role)
            .or_else(|| form.signoff.get(role))
            .cloned()
            .unwrap_or_default()
    };
    let roles = &layout.signoff.roles;
    let per_role = (8 / roles.len().max(1)).max(1) as u16;
    for (k, role) in roles.iter().enumerate().take(8) {
        let col = k as u16 * per_role;
        let cols = if k + 1 == roles.len() {
            8 - col
        } else {
            per_role
        };
        b.put(
            signoff_row,
            col,
            1,
            cols,
            Value::Text(format!("{role}：{}", names(role))),
            Role::Signoff,
        );
    }
    let date = options
        .date
        .clone()
        .or_else(|| form.signoff.get(&layout.signoff.date).cloned())
        .unwrap_or_default();
    b.put(
        signoff_row + 1,
        0,
        1,
        4,
        Value::Text(format!("{}：{date}", layout.signoff.date)),
        Role::Signoff,
    );
    let seal_label = format!("{}：", layout.signoff.seal);
    b.put(
        signoff_row + 1,
        4,
        1,
        4,
        Value::Text(seal_label.clone()),
        Role::Signoff,
    );
    let seal = seal_spot(&b, (signoff_row + 1, 4, 4), &seal_label, form, options);
    let nrows = signoff_row + 2;

    // Sizes: every row as tall as its tallest cell, merged cells spread over their rows.
    b.cells.sort_by_key(|c| (c.row, c.col));
    let rows = row_heights(&b, nrows as usize);

    let page = &layout.page;
    let footer_text = layout.render(
        Template::Footer,
        &serde_json::json!({"page": "\u{E000}", "pages": "\u{E001}"}),
    )?;
    let subject = layout.render(Template::Subject, &data)?;
    let keywords = layout.render(Template::Keywords, &data)?;
    let validations = if blank {
        let level1: Vec<String> = layout.tree.iter().map(|g| g.level1.clone()).collect();
        let level2: Vec<String> = layout.tree.iter().flat_map(|g| g.level2.clone()).collect();
        vec![
            ListValidation {
                first_row: first_indicator,
                last_row: last_indicator,
                col: 0,
                items: level1,
            },
            ListValidation {
                first_row: first_indicator,
                last_row: last_indicator,
                col: 1,
                items: level2,
            },
        ]
    } else {
        Vec::new()
    };
    let grid = Grid {
        sheet: layout.sheet.clone(),
        font_family: layout.fonts.family.clone(),
        page: PageSetup {
            width: page.width * PT_PER_MM,
            height: page.height * PT_PER_MM,
            top: page.margin_top * PT_PER_MM,
            bottom: page.margin_bottom * PT_PER_MM,
            left: page.margin_left * PT_PER_MM,
            right: page.margin_right * PT_PER_MM,
        },
        footer: footer_parts(&footer_text),
        footer_size: layout.fonts.notes.size,
        columns: b.columns.clone(),
        rows,
        cells: std::mem::take(&mut b.cells),
        styles: std::mem::take(&mut b.styles),
        header_rows: Some((header_first, header_last)),
        break_before,
        info: DocInfo {
            title: form.project.clone(),
            author: form.unit.clone(),
            subject,
            keywords,
            created: options.created.clone().unwrap_or_else(crate::date::now),
        },
        notes: Vec::new(),
        general: Vec::new(),
        validations,
        seal: Some(seal),
    };
    Ok((grid, b.fields))
}

/// The seal's square over the 单位（盖章） cell at (`row`, `col`), `cols` wide: centred in the room the
/// label leaves (over the label where the cell is too narrow, as a stamp would be), with the
/// digital signature's lines when the document is signed.
fn seal_spot(
    b: &Builder,
    (row, col, cols): (u32, u16, u16),
    label: &str,
    form: &Form,
    options: &Options,
) -> super::grid::SealSpot {
    let layout = b.layout;
    let size = layout.signoff.seal_size * PT_PER_MM;
    let font = b.font(Role::Signoff);
    let cell_width: f32 = b.columns[col as usize..(col + cols) as usize].iter().sum();
    let label_end = PAD_H + fonts::metrics(font.bold).width(label, font.size);
    let x = (label_end + (cell_width - label_end - size) / 2.0).min(cell_width - size);
    let text_size = layout.fonts.notes.size;
    let (lines, signed_at) = match &options.signature {
        Some(sig) => {
            let unit = sig
                .unit
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| form.unit.clone());
            let time = crate::sign::shown_time(&sig.time).unwrap_or_else(|| sig.time.clone());
            let text = format!(
                "{}\n{}：{}\n{time}",
                clean(&unit),
                layout.signoff.signature,
                clean(&sig.signer)
            );
            (
                wrap(&text, size - 2.0 * PAD_H, text_size, fonts::metrics(false)),
                Some(sig.time.clone()),
            )
        }
        None => (Vec::new(), None),
    };
    super::grid::SealSpot {
        row,
        col,
        x,
        size,
        lines,
        text_size,
        signed_at,
    }
}

/// The end (exclusive) of the run of items from `start` for which `same` holds.
fn run_end(items: &[Indicator], start: usize, same: impl Fn(&Indicator) -> bool) -> usize {
    let mut end = start + 1;
    while end < items.len() && same(&items[end]) {
        end += 1;
    }
    end
}

/// Splits a rendered footer at the page-number markers.
fn footer_parts(text: &str) -> Vec<FooterPart> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let marker = match c {
            '\u{E000}' => Some(FooterPart::Page),
            '\u{E001}' => Some(FooterPart::Pages),
            _ => None,
        };
        match marker {
            Some(m) => {
                if !current.is_empty() {
                    parts.push(FooterPart::Text(std::mem::take(&mut current)));
                }
                parts.push(m);
            }
            None => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(FooterPart::Text(current));
    }
    parts
}

/// Row heights that fit the wrapped text of every cell, merged ones included.
fn row_heights(b: &Builder, nrows: usize) -> Vec<f32> {
    let body = b.layout.fonts.body.size;
    let mut rows = vec![body * LINE_PITCH + 2.0 * PAD_V; nrows];
    let needed = |c: &Cell| {
        let style = &b.styles[c.style.0];
        c.lines.len().max(1) as f32 * style.size * LINE_PITCH + 2.0 * PAD_V
    };
    for c in b.cells.iter().filter(|c| c.rows == 1) {
        let r = &mut rows[c.row as usize];
        *r = r.max(needed(c));
    }
    for c in b.cells.iter().filter(|c| c.rows > 1) {
        let span = c.row as usize..=c.last_row() as usize;
        let have: f32 = rows[span.clone()].iter().sum();
        let want = needed(c);
        if want > have {
            let extra = (want - have) / c.rows as f32;
            for r in &mut rows[span] {
                *r += extra;
            }
        }
    }
    // Whole hundredths of a point: what spreadsheet files store.
    rows.iter().map(|h| (h * 100.0).ceil() / 100.0).collect()
}

/// Pins each finding of `report` to the cell of its field, filling error cells.
fn pin_findings(grid: &mut Grid, cells: &HashMap<Field, CellRef>, report: &Report) {
    let mut errors = Vec::new();
    for f in &report.findings {
        let note = |row, col| Note {
            row,
            col,
            severity: f.severity,
            code: f.code,
            message: f.message.clone(),
        };
        match f.field.and_then(|field| cells.get(&field)) {
            Some(at) => {
                grid.notes.push(note(at.row, at.col));
                if f.severity == Severity::Error {
                    errors.push(*at);
                }
            }
            None => grid.general.push(note(0, 0)),
        }
    }
    for at in errors {
        if let Some(cell) = grid
            .cells
            .iter_mut()
            .find(|c| c.row == at.row && c.col == at.col)
        {
            let mut style = grid.styles[cell.style.0];
            style.fill = Some(ERROR_FILL);
            cell.style = match grid.styles.iter().position(|s| *s == style) {
                Some(i) => StyleId(i),
                None => {
                    grid.styles.push(style);
                    StyleId(grid.styles.len() - 1)
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Layout;
    use crate::model::SourcedForm;

    fn report() -> Report {
        let form = crate::read::form_from_json(include_str!("../../samples/000.json")).unwrap();
        Report::new(SourcedForm::from_data("t", form), None)
    }

    #[test]
    fn the_amount_unit_line_goes_where_the_layout_puts_it() {
        let plain = Layout::by_name("beijing-2024").unwrap();
        let text = include_str!("../../layouts/beijing-2024.toml")
            .replace("# amount_unit = ", "amount_unit = ");
        let with_unit = Layout::parse("unit.toml", &text).unwrap();
        let options = Options {
            created: Some("2025-03-01T00:00:00+08:00".into()),
            ..Options::default()
        };
        let a = build(&report(), plain, &options).unwrap();
        let b = build(&report(), &with_unit, &options).unwrap();
        assert!(
            a.cells
                .iter()
                .all(|c| c.value.display() != "金额单位：万元")
        );
        let unit = b
            .cells
            .iter()
            .find(|c| c.value.display() == "金额单位：万元")
            .expect("the unit line");
        assert_eq!((unit.row, unit.col, unit.cols), (2, 0, 8));
        assert_eq!(b.style(unit).h_align, HAlign::Right);
        assert!(!b.style(unit).border);
        assert_eq!(b.rows.len(), a.rows.len() + 1);
        assert_eq!(b.info.created, "2025-03-01T00:00:00+08:00");
    }

    #[test]
    fn the_creation_time_defaults_to_the_clock_in_beijing() {
        let layout = Layout::by_name("beijing-2024").unwrap();
        let grid = build(&report(), layout, &Options::default()).unwrap();
        assert!(
            grid.info.created.ends_with("+08:00"),
            "{}",
            grid.info.created
        );
        assert!(crate::date::parse_rfc3339(&grid.info.created).is_some());
        assert_eq!(grid.footer_size, layout.fonts.notes.size);
    }

    #[test]
    fn the_seal_spot_is_the_seal_labels_cell_and_carries_the_signature_text() {
        let layout = Layout::by_name("beijing-2024").unwrap();
        let mut options = Options {
            created: Some("2025-03-01T00:00:00+08:00".into()),
            ..Options::default()
        };
        let grid = build(&report(), layout, &options).unwrap();
        let spot = grid.seal.clone().expect("a seal spot");
        let cell = grid
            .cells
            .iter()
            .find(|c| (c.row, c.col) == (spot.row, spot.col))
            .expect("the spot's cell");
        assert_eq!(cell.value.display(), "单位（盖章）：");
        assert!((spot.size - 40.0 * PT_PER_MM).abs() < 0.01);
        // Right of the label, inside the cell.
        let size = layout.fonts.signoff.size;
        let label = PAD_H + fonts::metrics(false).width("单位（盖章）：", size);
        assert!(spot.x > label, "{} <= {label}", spot.x);
        assert!(spot.x + spot.size <= grid.cell_width(cell) + 0.01);
        assert!(spot.lines.is_empty() && spot.signed_at.is_none());

        options.signature = Some(Signature {
            signer: "张三".into(),
            unit: None,
            time: "2025-03-01T10:30:05+08:00".into(),
        });
        let grid = build(&report(), layout, &options).unwrap();
        let spot = grid.seal.expect("a seal spot");
        // No unit in the certificate: the form's 实施单位.
        assert_eq!(
            spot.lines,
            [
                "048019-北京艺术博物馆",
                "数字签名：张三",
                "2025-03-01 10:30"
            ]
        );
        assert_eq!(spot.signed_at.as_deref(), Some("2025-03-01T10:30:05+08:00"));
    }
}
