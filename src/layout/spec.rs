//! The serde shape of `layouts/*.toml`, the built-in layouts and the choice of one per year.
//!
//! A layout describes a printed form as data: its paper, fonts and the room around the text of
//! a cell; the table as a list of columns, each with a role, a header and a width; the blocks
//! of the form (header, funds, goals, indicators, total, closing rows, notes, sign-off) with
//! their labels, the funds block's own columns and rows placed under the table's columns by
//! role; the amount unit; optional lines around the title (corner cells); the indicator tree;
//! templates for texts that carry form data. [`Layout::parse`] checks all of it, so that the
//! grid builder can rely on it.

use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::{Deserialize, Serialize};

use crate::error::{Error, LayoutProblem, Result};
use crate::model::{AmountUnit, Form, FormKind, FundsRowKind};
use crate::vocabulary::{
    self, Block, Column, FundsHeader, GoalLabel, HeaderLabel, Qualifier, RowLabel, Tree, fold,
    split_qualifier,
};

/// A layout: one variant of the form (years, region), as data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The layout's name, e.g. `beijing-2024`.
    pub name: String,
    /// What it is for, shown by `jixiao layouts`.
    pub description: String,
    /// Which form it prints: 项目支出绩效自评表 (the default) or 部门整体支出绩效自评表.
    #[serde(default)]
    pub kind: FormKind,
    /// The years of the forms it is the default for; none: only chosen by name.
    #[serde(default)]
    pub years: Option<Years>,
    /// The worksheet's name in written workbooks.
    pub sheet: String,
    /// Paper, orientation, margins, footer.
    pub page: Page,
    /// Font family and the size of each role.
    pub fonts: Fonts,
    /// Line pitch and the room between a cell's border and its text.
    #[serde(default)]
    pub cells: CellText,
    /// The title and the year line.
    pub title: Title,
    /// Lines of text outside the table, above the title or between it and the table (corner
    /// cells such as `公开14表`, `金额单位：元`).
    #[serde(default)]
    pub lines: Vec<Line>,
    /// The header block: 项目名称, 主管部门, 实施单位 (项目负责人, 联系电话).
    pub header: Header,
    /// 项目资金: its label, unit, columns and rows.
    pub funds: FundsBlock,
    /// 年度总体目标.
    pub goals: GoalsBlock,
    /// 绩效指标: the block's label and what its 一级 cells show.
    pub indicators: IndicatorsBlock,
    /// The table's columns.
    pub table: Table,
    /// The closing row (总分).
    pub total: TotalRow,
    /// Rows after the table (`评价结论：`, `填表人：`).
    #[serde(default)]
    pub closing: Closing,
    /// 填报注意事项, under the table.
    pub notes: Notes,
    /// The sign-off block.
    pub signoff: Signoff,
    /// Templates for file names and document metadata.
    pub templates: TemplateTexts,
    /// 指标体系: the name of one of the vocabulary's trees ([`Layout::tree`]).
    #[serde(rename = "tree")]
    tree_name: String,
    /// The compiled templates.
    #[serde(skip)]
    compiled: Templates,
}

/// A range of years, open at either end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Years {
    /// The first year, inclusive.
    pub from: Option<i32>,
    /// The last year, inclusive.
    pub to: Option<i32>,
}

impl Years {
    /// True when `year` falls in the range.
    pub fn contains(&self, year: i32) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

/// A paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Paper {
    /// 210 × 297 mm.
    A4,
    /// 297 × 420 mm.
    A3,
    /// JIS B5, 182 × 257 mm.
    B5,
    /// US Letter, 215.9 × 279.4 mm.
    Letter,
}

impl Paper {
    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
            Paper::B5 => (182.0, 257.0),
            Paper::Letter => (215.9, 279.4),
        }
    }

    /// The paper's code in spreadsheet files (`paperSize` of OOXML).
    pub fn xlsx_code(self) -> u8 {
        match self {
            Paper::A4 => 9,
            Paper::A3 => 8,
            Paper::B5 => 13,
            Paper::Letter => 1,
        }
    }
}

/// Portrait or landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Taller than wide.
    #[default]
    Portrait,
    /// Wider than tall.
    Landscape,
}

/// Paper, orientation and margins (millimetres), and the footer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The paper.
    pub paper: Paper,
    /// Its orientation.
    #[serde(default)]
    pub orientation: Orientation,
    /// Top margin.
    pub margin_top: f32,
    /// Bottom margin (the footer sits in it).
    pub margin_bottom: f32,
    /// Left margin.
    pub margin_left: f32,
    /// Right margin.
    pub margin_right: f32,
    /// The footer template, with `{{page}}` and `{{pages}}`.
    pub footer: String,
}

impl Page {
    /// Width and height of the page as it is printed, in millimetres.
    pub fn size_mm(&self) -> (f32, f32) {
        let (w, h) = self.paper.size_mm();
        match self.orientation {
            Orientation::Portrait => (w, h),
            Orientation::Landscape => (h, w),
        }
    }

    /// The width between the margins, in millimetres.
    pub fn printable_width_mm(&self) -> f32 {
        self.size_mm().0 - self.margin_left - self.margin_right
    }
}

/// The size and weight of one role's text.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontRole {
    /// Size in points.
    pub size: f32,
    /// Bold.
    #[serde(default)]
    pub bold: bool,
}

/// Fonts per role.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    /// The font name written into workbooks (`宋体`).
    pub family: String,
    /// The title.
    pub title: FontRole,
    /// The year line.
    pub subtitle: FontRole,
    /// Labels of the header, funds and goals blocks, and the block labels.
    pub label: FontRole,
    /// The indicator header row.
    pub header: FontRole,
    /// Values.
    pub body: FontRole,
    /// 填报注意事项 and the lines around the title.
    pub notes: FontRole,
    /// The closing rows and the sign-off block.
    pub signoff: FontRole,
}

/// How text sits in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellText {
    /// Line pitch as a multiple of the font size (CJK text reads best at about 1.45; it also
    /// leaves room for spreadsheet programs whose line height for the same font is larger).
    pub line_pitch: f32,
    /// Room between a cell's border and its text, left and right, in points.
    pub padding_h: f32,
    /// Room between a cell's border and its text, top and bottom, in points.
    pub padding_v: f32,
}

impl Default for CellText {
    fn default() -> Self {
        CellText {
            line_pitch: 1.45,
            padding_h: 4.0,
            padding_v: 2.5,
        }
    }
}

/// The title and the line under it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    /// The title, a template (`{{year}}年度项目支出绩效自评表` carries the year).
    pub text: String,
    /// The year line under it, a template (`（{{year}}年度）`); when it renders empty (or is
    /// `""`), the form has no year line.
    #[serde(default)]
    pub year_line: String,
}

/// Where a [`Line`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinePlace {
    /// Above the title.
    Above,
    /// Between the title (or year line) and the table.
    Below,
}

/// A line of text outside the table: up to three templates, flush left, centred, flush right.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Above the title or below it.
    pub place: LinePlace,
    /// Flush left.
    #[serde(default)]
    pub left: String,
    /// Centred.
    #[serde(default)]
    pub center: String,
    /// Flush right.
    #[serde(default)]
    pub right: String,
}

/// The header block.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// 项目名称 (project layouts).
    #[serde(default)]
    pub project: String,
    /// 主管部门及代码 / 主管部门; on a department layout the name's label (部门（单位）名称).
    pub department: String,
    /// 实施单位, in the right half of the department's row (project layouts).
    #[serde(default)]
    pub unit: String,
    /// 联系人 (department layouts), on a row with `phone`.
    #[serde(default)]
    pub contact: Option<String>,
    /// 项目负责人: the optional row of older layouts, with `phone`.
    #[serde(default)]
    pub lead: Option<String>,
    /// 联系电话.
    #[serde(default)]
    pub phone: Option<String>,
    /// 项目负责人及电话: the lead and the phone in one cell, on a row of its own (instead of
    /// `lead` and `phone`).
    #[serde(default)]
    pub lead_phone: Option<String>,
}

impl Header {
    /// True when the layout prints the lead and the phone, apart or in one cell.
    pub fn has_lead(&self) -> bool {
        self.lead.is_some() || self.lead_phone.is_some()
    }
}

/// One column of the funds block.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsColumnSpec {
    /// What it holds.
    pub role: FundsHeader,
    /// Its header.
    pub header: String,
    /// The table column it starts under; it runs to the next funds column, the last one to
    /// the right edge.
    pub at: Column,
}

/// One row of the funds block.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsRowSpec {
    /// Which row.
    pub role: FundsRowKind,
    /// Its label.
    pub label: String,
}

/// The funds block (项目资金).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsBlock {
    /// The block's label (`项目资金（万元）`), over the whole block, in the columns left of
    /// `rows_at`.
    pub label: String,
    /// The table column where the rows' labels start (`level1` or `level2`); they run to the
    /// first funds column.
    #[serde(default = "level2")]
    pub rows_at: Column,
    /// The unit every amount is shown in; a form in another unit is converted, exactly.
    pub unit: AmountUnit,
    /// What an empty figure shows (`-`).
    pub empty: String,
    /// Its columns, left to right.
    pub columns: Vec<FundsColumnSpec>,
    /// Its rows, top to bottom: each of the four exactly once.
    pub rows: Vec<FundsRowSpec>,
}

fn level2() -> Column {
    Column::Level2
}

/// 年度总体目标.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalsBlock {
    /// The block's label (`年度总体\n目标`).
    pub label: String,
    /// The label where the texts continue on a new page (the label itself when absent).
    #[serde(default)]
    pub continued: Option<String>,
    /// 预期目标.
    pub expected: String,
    /// 实际完成情况, in the right half.
    pub achieved: String,
}

/// 绩效指标.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorsBlock {
    /// The block's label, down the block-label column (`绩效指标`, `绩\n效\n指\n标`).
    pub label: String,
    /// The label on each continued page (`绩效\n指标`, `续上页`); the label itself when absent.
    #[serde(default)]
    pub continued: Option<String>,
    /// What a 一级 cell shows when it carries its subtotal, a template with `{{level1}}` and
    /// `{{points}}` (`{{level1}}({{points}}分)`); the name alone when absent.
    #[serde(default)]
    pub subtotal: Option<String>,
}

/// One column of the table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// What it holds.
    pub role: Column,
    /// Its header in the indicator header row (none for the block-label column).
    #[serde(default)]
    pub header: String,
    /// Its width in millimetres.
    pub width: f32,
}

/// The table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The column where the right half of the form begins: 实施单位 (联系电话) and 实际完成情况
    /// start under it.
    pub middle: Column,
    /// The columns, left to right: the block-label column, 一级, 二级 first; the widths fill the
    /// printable width.
    pub columns: Vec<ColumnSpec>,
}

/// The closing row.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotalRow {
    /// 总分, merged from the left edge to the first of 分值 and 得分.
    pub label: String,
}

/// Rows after the table, before the notes.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    /// Each a row of templates spread over the width (`[["评价结论："]]`).
    pub rows: Vec<Vec<String>>,
}

/// 填报注意事项.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    /// The text, printed across the width under the table.
    pub text: String,
}

/// The sign-off block.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// The roles that sign (`填表人`, `审核人`, `单位负责人`).
    pub roles: Vec<String>,
    /// The date's label (`填报日期`).
    pub date: String,
    /// The seal's label (`单位（盖章）`).
    pub seal: String,
    /// The side of the square where the unit's seal image and the digital signature go, over
    /// the seal's label, in millimetres (an official round seal is 40–42 mm across).
    #[serde(default = "default_seal_size")]
    pub seal_size: f32,
    /// The label of the signer's name in a digital signature's appearance (`数字签名`).
    #[serde(default = "default_signature_label")]
    pub signature: String,
}

fn default_seal_size() -> f32 {
    40.0
}

fn default_signature_label() -> String {
    "数字签名".to_string()
}

/// Handlebars templates of a layout.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateTexts {
    /// Output file names without extension.
    pub output: String,
    /// The PDF's subject.
    pub subject: String,
    /// The PDF's keywords.
    pub keywords: String,
}

/// The templates a layout renders, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// `title.text`.
    Title,
    /// `title.year_line`.
    YearLine,
    /// `page.footer`.
    Footer,
    /// `templates.output`.
    Output,
    /// `templates.subject`.
    Subject,
    /// `templates.keywords`.
    Keywords,
    /// `indicators.subtotal`.
    Subtotal,
    /// The left, centre or right text (0, 1, 2) of `lines[i]`.
    Line(usize, usize),
    /// Text `k` of closing row `i`.
    Closing(usize, usize),
}

impl Template {
    fn key(self) -> String {
        match self {
            Template::Title => "title.text".into(),
            Template::YearLine => "title.year_line".into(),
            Template::Footer => "page.footer".into(),
            Template::Output => "templates.output".into(),
            Template::Subject => "templates.subject".into(),
            Template::Keywords => "templates.keywords".into(),
            Template::Subtotal => "indicators.subtotal".into(),
            Template::Line(i, k) => format!("lines[{i}].{}", ["left", "center", "right"][k]),
            Template::Closing(i, k) => format!("closing[{i}][{k}]"),
        }
    }
}

/// The compiled templates of a layout (strict: a missing variable is an error).
#[derive(Debug, Clone, Default)]
struct Templates(Handlebars<'static>);

const BUILTIN: &[(&str, &str)] = &[
    (
        "beijing-2024",
        include_str!("../../layouts/beijing-2024.toml"),
    ),
    ("mof-2020", include_str!("../../layouts/mof-2020.toml")),
    (
        "yunnan-public",
        include_str!("../../layouts/yunnan-public.toml"),
    ),
    ("anhui-2022", include_str!("../../layouts/anhui-2022.toml")),
    (
        "mof-department",
        include_str!("../../layouts/mof-department.toml"),
    ),
    (
        "hunan-department",
        include_str!("../../layouts/hunan-department.toml"),
    ),
];

impl Layout {
    /// Parses a layout from TOML text; `origin` names it in errors.
    ///
    /// # Errors
    /// [`Error::Layout`] when the text is not a valid layout: bad TOML, a missing or unknown
    /// key, a table without its required columns or wider than the page, funds columns that
    /// are missing or out of order, a funds row missing or twice, an empty tree, a template
    /// that does not parse.
    pub fn parse(origin: &str, text: &str) -> Result<Layout> {
        let fail = |problem: LayoutProblem| Error::Layout {
            name: origin.to_string(),
            problem,
        };
        let mut layout: Layout =
            toml::from_str(text).map_err(|e| fail(LayoutProblem::Toml(Box::new(e))))?;
        layout.check().map_err(fail)?;
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        for (t, source) in layout.template_sources() {
            hb.register_template_string(&t.key(), source)
                .map_err(|source| {
                    fail(LayoutProblem::TemplateSyntax {
                        key: t.key(),
                        source: Box::new(source),
                    })
                })?;
        }
        layout.compiled = Templates(hb);
        layout.check_vocabulary().map_err(fail)?;
        Ok(layout)
    }

    /// Every label of the header block is the vocabulary's label of its field, for the
    /// layout's kind (部门（单位）名称 on a department layout, 项目名称 … on a project one).
    fn check_header_labels(&self) -> std::result::Result<(), LayoutProblem> {
        let v = vocabulary::get();
        let n = |s: &str| fold::label(s);
        let h = &self.header;
        let mut header = match self.kind {
            FormKind::Project => vec![
                (&h.project, HeaderLabel::Project),
                (&h.department, HeaderLabel::Department),
                (&h.unit, HeaderLabel::Unit),
            ],
            FormKind::Department => vec![(&h.department, HeaderLabel::DepartmentName)],
        };
        if let (Some(contact), Some(phone)) = (&h.contact, &h.phone) {
            header.push((contact, HeaderLabel::Contact));
            header.push((phone, HeaderLabel::Phone));
        }
        if let (Some(lead), Some(phone)) = (&h.lead, &h.phone) {
            header.push((lead, HeaderLabel::Lead));
            header.push((phone, HeaderLabel::Phone));
        }
        if let Some(both) = &h.lead_phone {
            header.push((both, HeaderLabel::LeadPhone));
        }
        for (text, role) in header {
            if v.header.find(&n(text)) != Some(role) {
                return Err(LayoutProblem::UnknownLabel {
                    what: "header 的标签",
                    label: text.replace('\n', ""),
                });
            }
        }
        Ok(())
    }

    /// Every label the layout prints is one the reader knows (`layouts/vocabulary.toml`), in
    /// the section where it prints it, for the role it prints it for: what jixiao writes in
    /// this layout, jixiao reads back. The message names the first label that is not.
    fn check_vocabulary(&self) -> std::result::Result<(), LayoutProblem> {
        let v = vocabulary::get();
        let n = |s: &str| fold::label(s);
        let unknown = |what: &'static str, label: &str| {
            Err(LayoutProblem::UnknownLabel {
                what,
                label: label.replace('\n', ""),
            })
        };
        let data = serde_json::json!({
            "year": 2024, "project": "项目", "department": "部门", "unit": "单位", "stem": "s",
            "sheet": "", "level1": "产出指标", "points": "50",
        });
        let render = |t: Template| self.render_template(t, &data);
        let title = render(Template::Title)?;
        if !v.is_title(&n(&title)) {
            return unknown("标题", &title);
        }
        if v.kind.of_title(&n(&title)).is_some_and(|k| k != self.kind) {
            return unknown("标题（与 kind 不符）", &title);
        }
        self.check_header_labels()?;
        let f = &self.funds;
        if v.blocks.find(&n(&f.label)) != Some(Block::Funds) || !self.says_unit() {
            return unknown(
                "funds.label（金额单位不是万元时须在标签或表头写明）",
                &f.label,
            );
        }
        for c in &f.columns {
            if v.funds_columns.find(&n(&c.header)) != Some(c.role) {
                return unknown("funds.columns 的表头", &c.header);
            }
        }
        for r in &f.rows {
            if v.funds_rows.find(&n(&r.label)) != Some(r.role) {
                return unknown("funds.rows 的标签", &r.label);
            }
        }
        let g = &self.goals;
        for label in std::iter::once(&g.label).chain(&g.continued) {
            if v.blocks.find(&n(label)) != Some(Block::Goals) {
                return unknown("goals 的标签", label);
            }
        }
        if v.goals.find(&n(&g.expected)) != Some(GoalLabel::Expected) {
            return unknown("goals.expected", &g.expected);
        }
        if v.goals.find(&n(&g.achieved)) != Some(GoalLabel::Achieved) {
            return unknown("goals.achieved", &g.achieved);
        }
        let i = &self.indicators;
        if v.blocks.find(&n(&i.label)) != Some(Block::Indicators)
            || v.rows.find(&n(&i.label)) != Some(RowLabel::Continued)
        {
            return unknown("indicators.label", &i.label);
        }
        if let Some(c) = &i.continued
            && v.rows.find(&n(c)) != Some(RowLabel::Continued)
        {
            return unknown("indicators.continued", c);
        }
        let subtotal = render(Template::Subtotal)?;
        if split_qualifier(&n(&subtotal)).0 != "产出指标" {
            return unknown("indicators.subtotal", &subtotal);
        }
        for c in &self.table.columns {
            if c.role == Column::Block {
                continue;
            }
            let column = c.role;
            // `指标值` alone is the whole target; beside a sign or a unit, its number.
            let found = match v.columns.find(&n(&c.header)) {
                Some(Column::TargetValue) if c.role == Column::Target => Some(Column::Target),
                other => other,
            };
            if found != Some(column) {
                return unknown("table.columns 的表头", &c.header);
            }
        }
        if v.rows.find(&n(&self.total.label)) != Some(RowLabel::Total) {
            return unknown("total.label", &self.total.label);
        }
        if v.rows.find(&n(&self.notes.text)) != Some(RowLabel::Notes) {
            return unknown(
                "notes.text 的开头",
                &self.notes.text.chars().take(10).collect::<String>(),
            );
        }
        let s = &self.signoff;
        for label in s.roles.iter().chain([&s.date, &s.seal]) {
            if v.rows.find(&n(&format!("{label}：张三"))) != Some(RowLabel::Footer) {
                return unknown("signoff 的标签", label);
            }
        }
        for (i, row) in self.closing.rows.iter().enumerate() {
            for k in 0..row.len() {
                let text = render(Template::Closing(i, k))?;
                if v.rows.find(&n(&text)) != Some(RowLabel::Footer) {
                    return unknown("closing.rows 的文字", &text);
                }
            }
        }
        Ok(())
    }

    /// True when what the layout prints tells the reader the amount unit: the funds label
    /// (`项目资金（元）`) or a funds header (`全年预算数（元）`) names it, or it is 万元, which
    /// the reader takes when nothing names one (`预算执行情况（10分）`).
    pub fn says_unit(&self) -> bool {
        let f = &self.funds;
        let unit_of = |text: &str| match split_qualifier(&fold::label(text)).1 {
            Some(Qualifier::Unit(u)) => Some(u),
            _ => None,
        };
        match unit_of(&f.label) {
            Some(u) => u == f.unit,
            None => {
                f.unit == AmountUnit::WanYuan
                    || f.columns.iter().any(|c| unit_of(&c.header) == Some(f.unit))
            }
        }
    }

    /// Every template of the layout with its source.
    fn template_sources(&self) -> Vec<(Template, String)> {
        let mut out = vec![
            (Template::Title, self.title.text.clone()),
            (Template::YearLine, self.title.year_line.clone()),
            (Template::Footer, self.page.footer.clone()),
            (Template::Output, self.templates.output.clone()),
            (Template::Subject, self.templates.subject.clone()),
            (Template::Keywords, self.templates.keywords.clone()),
            (
                Template::Subtotal,
                self.indicators
                    .subtotal
                    .clone()
                    .unwrap_or_else(|| "{{level1}}".to_string()),
            ),
        ];
        for (i, line) in self.lines.iter().enumerate() {
            for (k, text) in [&line.left, &line.center, &line.right]
                .into_iter()
                .enumerate()
            {
                out.push((Template::Line(i, k), text.clone()));
            }
        }
        for (i, row) in self.closing.rows.iter().enumerate() {
            for (k, text) in row.iter().enumerate() {
                out.push((Template::Closing(i, k), text.clone()));
            }
        }
        out
    }

    /// The rules a layout keeps beyond its shape; the message names the first one broken.
    fn check(&self) -> std::result::Result<(), LayoutProblem> {
        let roles: Vec<Column> = self.table.columns.iter().map(|c| c.role).collect();
        let position = |role: Column| roles.iter().position(|r| *r == role);
        if roles.len() < 3 || roles[..3] != [Column::Block, Column::Level1, Column::Level2] {
            return Err(LayoutProblem::FirstColumns);
        }
        for (i, role) in roles.iter().enumerate() {
            if roles[..i].contains(role) {
                return Err(LayoutProblem::ColumnTwice(*role));
            }
        }
        let split = [Column::TargetSign, Column::TargetValue, Column::TargetUnit];
        let target_ok = match position(Column::Target) {
            Some(_) => split.iter().all(|r| position(*r).is_none()),
            None => split.iter().all(|r| position(*r).is_some()),
        };
        if !target_ok {
            return Err(LayoutProblem::Target);
        }
        for role in [
            Column::Name,
            Column::Actual,
            Column::Weight,
            Column::Score,
            Column::Deviation,
        ] {
            if position(role).is_none() {
                return Err(LayoutProblem::MissingColumn(role));
            }
        }
        for c in &self.table.columns {
            if !(c.width.is_finite() && c.width > 0.0) {
                return Err(LayoutProblem::ColumnWidth);
            }
            if c.role != Column::Block && c.header.trim().is_empty() {
                return Err(LayoutProblem::NoHeader(c.role));
            }
        }
        let sum: f32 = self.table.columns.iter().map(|c| c.width).sum();
        let printable = self.page.printable_width_mm();
        if sum > printable + 0.01 {
            return Err(LayoutProblem::TooWide { sum, printable });
        }
        match position(self.table.middle) {
            Some(m) if m >= 3 && m + 1 < roles.len() => {}
            _ => {
                return Err(LayoutProblem::Middle);
            }
        }
        self.check_funds(&position)?;
        if !vocabulary::get()
            .trees
            .iter()
            .any(|t| t.name == self.tree_name)
        {
            let names: Vec<&str> = vocabulary::get()
                .trees
                .iter()
                .map(|t| t.name.as_str())
                .collect();
            return Err(LayoutProblem::UnknownTree {
                name: self.tree_name.clone(),
                known: names.join("、"),
            });
        }
        // The phone goes with the lead (project layouts) or the contact (department layouts).
        let h = &self.header;
        let partner = h.lead.is_some() || h.contact.is_some();
        if partner != h.phone.is_some()
            || (h.lead.is_some() && h.contact.is_some())
            || (h.lead.is_some() && h.lead_phone.is_some())
        {
            return Err(LayoutProblem::LeadWithoutPhone);
        }
        if self.signoff.roles.is_empty() {
            return Err(LayoutProblem::NoRoles);
        }
        let m = &self.page;
        let (w, h) = m.size_mm();
        if m.margin_top + m.margin_bottom >= h * 0.8 || m.margin_left + m.margin_right >= w * 0.8 {
            return Err(LayoutProblem::Margins);
        }
        Ok(())
    }

    /// The rules of the funds block: every figure of the model under a column of its own,
    /// the columns in order right of `rows_at`, each of the four rows once. `position` is the
    /// place of a role among the table's columns.
    fn check_funds(
        &self,
        position: &dyn Fn(Column) -> Option<usize>,
    ) -> std::result::Result<(), LayoutProblem> {
        let funds = &self.funds;
        for role in [
            FundsHeader::Initial,
            FundsHeader::Budget,
            FundsHeader::Executed,
            FundsHeader::Weight,
            FundsHeader::Rate,
            FundsHeader::Score,
        ] {
            if funds.columns.iter().filter(|c| c.role == role).count() != 1 {
                return Err(LayoutProblem::FundsColumn(role));
            }
        }
        if funds
            .columns
            .iter()
            .filter(|c| c.role == FundsHeader::Reason)
            .count()
            > 1
        {
            return Err(LayoutProblem::ReasonTwice);
        }
        let mut last = match position(funds.rows_at) {
            Some(p @ (1 | 2)) => p,
            _ => return Err(LayoutProblem::RowsAt),
        };
        for c in &funds.columns {
            match position(c.at) {
                Some(p) if p > last => last = p,
                _ => {
                    return Err(LayoutProblem::FundsColumnOrder {
                        role: c.role,
                        at: c.at,
                    });
                }
            }
        }
        // A project layout prints the four rows of the project form; a department layout the
        // total and the breakdowns it has (by income, by expenditure or both), each once.
        let (required, allowed): (&[FundsRowKind], &[FundsRowKind]) = match self.kind {
            FormKind::Project => (&FundsRowKind::ALL, &FundsRowKind::ALL),
            FormKind::Department => (&[FundsRowKind::Total], &FundsRowKind::EVERY),
        };
        for kind in FundsRowKind::EVERY {
            let count = funds.rows.iter().filter(|r| r.role == kind).count();
            if count > 1 || (count == 0 && required.contains(&kind)) {
                return Err(LayoutProblem::FundsRow(kind));
            }
        }
        if funds.rows.iter().any(|r| !allowed.contains(&r.role)) {
            return Err(LayoutProblem::FundsRows);
        }
        Ok(())
    }

    /// Renders one of the layout's templates with `data`.
    ///
    /// # Errors
    /// [`Error::Layout`] naming the layout, the template and the missing variable.
    pub fn render(&self, template: Template, data: &impl Serialize) -> Result<String> {
        self.render_template(template, data)
            .map_err(|problem| Error::Layout {
                name: self.name.clone(),
                problem,
            })
    }

    /// [`Layout::render`], failing with the problem alone.
    fn render_template(
        &self,
        template: Template,
        data: &impl Serialize,
    ) -> std::result::Result<String, LayoutProblem> {
        self.compiled
            .0
            .render(&template.key(), data)
            .map_err(|source| LayoutProblem::Template {
                key: template.key(),
                source: Box::new(source),
            })
    }

    /// The layouts built into the binary, default first.
    pub fn builtin() -> &'static [Layout] {
        static LAYOUTS: OnceLock<Vec<Layout>> = OnceLock::new();
        LAYOUTS.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(name, text)| {
                    Layout::parse(name, text).unwrap_or_else(|e| panic!("built-in layout: {e}"))
                })
                .collect()
        })
    }

    /// The built-in layout called `name`.
    pub fn by_name(name: &str) -> Option<&'static Layout> {
        Layout::builtin().iter().find(|l| l.name == name)
    }

    /// The built-in project layout for forms of `year`; the current one when the year is
    /// unknown.
    pub fn for_year(year: Option<i32>) -> &'static Layout {
        let all = Layout::builtin();
        year.and_then(|y| {
            all.iter()
                .filter(|l| l.kind == FormKind::Project)
                .find(|l| l.years.is_some_and(|r| r.contains(y)))
        })
        .unwrap_or(&all[0])
    }

    /// The built-in layout a form is shown in when none is asked for: the layout of its year
    /// for a project form, the national department-wide layout for a department form.
    pub fn for_form(form: &Form) -> &'static Layout {
        match form.kind {
            FormKind::Project => Layout::for_year(form.year),
            FormKind::Department => Layout::builtin()
                .iter()
                .find(|l| l.kind == FormKind::Department)
                .unwrap_or(&Layout::builtin()[0]),
        }
    }

    /// 指标体系: the tree of the vocabulary this layout prints and fits forms to.
    pub fn tree(&self) -> &'static Tree {
        let trees = &vocabulary::get().trees;
        // `check` made sure the name is one of them.
        trees
            .iter()
            .find(|t| t.name == self.tree_name)
            .unwrap_or(&trees[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_the_vocabulary_does_not_know_is_refused() {
        let text = include_str!("../../layouts/beijing-2024.toml")
            .replace("tree = \"现行指标体系\"", "tree = \"2019 年版\"");
        let err = Layout::parse("tree.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("2019 年版") && err.contains("现行指标体系"),
            "{err}"
        );
    }

    #[test]
    fn builtin_layouts_parse_and_cover_the_years() {
        assert_eq!(Layout::for_year(Some(2024)).name, "beijing-2024");
        assert_eq!(Layout::for_year(Some(2021)).name, "beijing-2024");
        assert_eq!(Layout::for_year(Some(2020)).name, "mof-2020");
        assert_eq!(Layout::for_year(Some(2015)).name, "mof-2020");
        assert_eq!(Layout::for_year(None).name, "beijing-2024");
        assert!(Layout::builtin().len() >= 4);
    }

    #[test]
    fn cost_indicators_move_between_the_trees() {
        let current = Layout::by_name("beijing-2024").unwrap();
        let old = Layout::by_name("mof-2020").unwrap();
        assert_eq!(current.tree().parent_of("经济成本指标"), Some("成本指标"));
        assert_eq!(old.tree().parent_of("成本指标"), Some("产出指标"));
        assert_eq!(current.tree().parent_of("成本指标"), None);
        assert!(old.header.lead.is_some() && current.header.lead.is_none());
    }

    #[test]
    fn columns_fill_the_printable_width() {
        for layout in Layout::builtin() {
            let sum: f32 = layout.table.columns.iter().map(|c| c.width).sum();
            let printable = layout.page.printable_width_mm();
            assert!(
                (sum - printable).abs() < 0.01,
                "{}: {sum} vs {printable}",
                layout.name
            );
        }
    }

    #[test]
    fn a_bad_layout_names_itself() {
        let err = Layout::parse("mine.toml", "name = 1").unwrap_err();
        assert!(err.to_string().starts_with("版式 mine.toml："), "{err}");
    }

    #[test]
    fn a_layout_breaking_a_rule_says_which() {
        let text = include_str!("../../layouts/beijing-2024.toml");
        let cases = [
            (
                text.replace("role = \"deviation\"", "role = \"actual\""),
                "出现了两次",
            ),
            (
                text.replace("at = \"score\" }", "at = \"level1\" }"),
                "funds.columns",
            ),
            (
                text.replace("role = \"carryover\"", "role = \"other\""),
                "funds.rows",
            ),
            (text.replace("width = 33.0", "width = 80.0"), "版心宽度"),
            (
                text.replace("middle = \"actual\"", "middle = \"level1\""),
                "table.middle",
            ),
        ];
        for (broken, words) in cases {
            assert_ne!(broken, text, "{words}: the case changes nothing");
            let err = Layout::parse("x.toml", &broken).unwrap_err().to_string();
            assert!(err.contains(words), "{words}: {err}");
        }
    }

    #[test]
    fn templates_are_strict() {
        let text = include_str!("../../layouts/beijing-2024.toml")
            .replace("{{stem}}{{#if sheet}}", "{{stem}}-{{projekt}}{{#if sheet}}");
        let layout = Layout::parse("typo.toml", &text).unwrap();
        let err = layout
            .render(
                Template::Output,
                &serde_json::json!({"stem": "a", "sheet": "", "project": "p", "year": 2024}),
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("beijing-2024")
                && err.contains("templates.output")
                && err.contains("projekt"),
            "{err}"
        );
        let year = Layout::by_name("beijing-2024").unwrap();
        let line = year
            .render(Template::YearLine, &serde_json::json!({"year": 2024}))
            .unwrap();
        assert_eq!(line, "（2024年度）");
    }

    #[test]
    fn a_funds_label_names_the_unit_unless_it_is_wan_yuan() {
        let wan = include_str!("../../layouts/beijing-2024.toml").replace(
            "label = \"项目资金（万元）\"",
            "label = \"预算执行情况（10分）\"",
        );
        assert!(wan.contains("预算执行情况"));
        assert!(Layout::parse("wan.toml", &wan).is_ok());
        let yuan = include_str!("../../layouts/yunnan-public.toml").replace(
            "label = \"项目资金（元）\"",
            "label = \"预算执行情况（10分）\"",
        );
        let err = Layout::parse("yuan.toml", &yuan).unwrap_err().to_string();
        assert!(err.contains("预算执行情况"), "{err}");
        // A header may say it instead.
        let header = yuan.replace("header = \"全年预算数\"", "header = \"全年预算数（元）\"");
        assert!(Layout::parse("header.toml", &header).is_ok());
    }

    #[test]
    fn a_label_the_reader_does_not_know_is_refused() {
        let text = include_str!("../../layouts/beijing-2024.toml");
        let cases = [
            ("label = \"绩效指标\"", "label = \"绩效考核\"", "绩效考核"),
            (
                "header = \"实际完成值\"",
                "header = \"完成结果\"",
                "完成结果",
            ),
            ("label = \"总分：\"", "label = \"得分总计\"", "得分总计"),
            ("project = \"项目名称\"", "project = \"名称\"", "名称"),
            (
                "header = \"全年执行数(C)\"",
                "header = \"全年预算数\"",
                "全年预算数",
            ),
        ];
        for (old, new, word) in cases {
            assert!(text.contains(old), "{old}");
            let err = Layout::parse("x.toml", &text.replace(old, new))
                .unwrap_err()
                .to_string();
            assert!(err.contains(word) && err.contains("vocabulary"), "{err}");
        }
    }
}
