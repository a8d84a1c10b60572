//! The serde shape of `layouts/*.toml`, the built-in layouts and the choice of one per year.

use std::sync::OnceLock;

use handlebars::{Handlebars, RenderErrorReason};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Form;

/// A layout: one variant of the form (years, region), as data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The layout's name, e.g. `beijing-2024`.
    pub name: String,
    /// What it is for, shown by `jixiao layouts`.
    pub description: String,
    /// The years of the forms it is the default for.
    pub years: Years,
    /// The worksheet's name in written workbooks.
    pub sheet: String,
    /// Paper and margins.
    pub page: Page,
    /// Font family and the size of each role.
    pub fonts: Fonts,
    /// The table's columns.
    pub columns: Columns,
    /// Every fixed text of the form.
    pub text: Text,
    /// The sign-off block.
    pub signoff: Signoff,
    /// Templates for file names and document metadata.
    pub templates: TemplateTexts,
    /// 指标体系: every 一级指标 with its 二级指标.
    pub tree: Vec<TreeGroup>,
    /// The compiled templates (`text.year_line`, `templates.*`, `page.footer`).
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

/// Paper size and margins, in millimetres.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Paper width.
    pub width: f32,
    /// Paper height.
    pub height: f32,
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
    /// Labels of the header and funds blocks.
    pub label: FontRole,
    /// The indicator header row.
    pub header: FontRole,
    /// Values.
    pub body: FontRole,
    /// 填报注意事项.
    pub notes: FontRole,
    /// The sign-off block.
    pub signoff: FontRole,
}

/// The table's columns.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Widths in millimetres; there are exactly eight.
    pub widths: Vec<f32>,
}

/// Every fixed text of the form.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// 项目支出绩效自评表.
    pub title: String,
    /// The year line template (`（{{year}}年度）`).
    pub year_line: String,
    /// 项目名称.
    pub project: String,
    /// 主管部门及代码 / 主管部门.
    pub department: String,
    /// 实施单位.
    pub unit: String,
    /// 项目负责人: the optional row of older layouts, with `phone`.
    #[serde(default)]
    pub lead: Option<String>,
    /// 联系电话.
    #[serde(default)]
    pub phone: Option<String>,
    /// An optional line over the table, flush right, such as `金额单位：万元`.
    #[serde(default)]
    pub amount_unit: Option<String>,
    /// 项目资金（万元）.
    pub funds: String,
    /// The six column headers of the funds block.
    pub funds_header: Vec<String>,
    /// The four row labels of the funds block.
    pub funds_rows: Vec<String>,
    /// 年度总体目标.
    pub goals: String,
    /// 预期目标.
    pub expected: String,
    /// 实际完成情况.
    pub achieved: String,
    /// 绩效指标.
    pub indicators: String,
    /// The eight column headers of the indicator table.
    pub indicator_header: Vec<String>,
    /// 总分.
    pub total: String,
    /// What an empty figure shows (`-`).
    pub empty: String,
    /// 填报注意事项, printed under the table.
    pub notes: String,
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

/// One 一级指标 and its 二级指标.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeGroup {
    /// 一级指标.
    pub level1: String,
    /// The 二级指标 under it.
    pub level2: Vec<String>,
}

/// The templates a layout renders, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// `text.year_line`.
    YearLine,
    /// `page.footer`.
    Footer,
    /// `templates.output`.
    Output,
    /// `templates.subject`.
    Subject,
    /// `templates.keywords`.
    Keywords,
}

impl Template {
    const ALL: [Template; 5] = [
        Template::YearLine,
        Template::Footer,
        Template::Output,
        Template::Subject,
        Template::Keywords,
    ];

    fn key(self) -> &'static str {
        match self {
            Template::YearLine => "text.year_line",
            Template::Footer => "page.footer",
            Template::Output => "templates.output",
            Template::Subject => "templates.subject",
            Template::Keywords => "templates.keywords",
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
];

/// The number of columns of the table.
pub const COLUMNS: usize = 8;

impl Layout {
    /// Parses a layout from TOML text; `origin` names it in errors.
    ///
    /// # Errors
    /// [`Error::Layout`] when the text is not a valid layout: bad TOML, a missing or unknown
    /// key, a wrong number of columns or labels, an empty tree, a template that does not parse.
    pub fn parse(origin: &str, text: &str) -> Result<Layout> {
        let fail = |message: String| Error::Layout {
            name: origin.to_string(),
            message,
        };
        let mut layout: Layout = toml::from_str(text).map_err(|e| fail(e.message().to_string()))?;
        let counts = [
            ("columns.widths", layout.columns.widths.len(), COLUMNS),
            (
                "text.indicator_header",
                layout.text.indicator_header.len(),
                COLUMNS,
            ),
            ("text.funds_header", layout.text.funds_header.len(), 6),
            ("text.funds_rows", layout.text.funds_rows.len(), 4),
        ];
        for (key, got, want) in counts {
            if got != want {
                return Err(fail(format!("{key} 应有 {want} 项，实有 {got} 项")));
            }
        }
        if layout
            .columns
            .widths
            .iter()
            .any(|w| !(w.is_finite() && *w > 0.0))
        {
            return Err(fail("columns.widths 须为正数".to_string()));
        }
        if layout.tree.is_empty() {
            return Err(fail("指标体系 tree 为空".to_string()));
        }
        if layout.text.lead.is_some() != layout.text.phone.is_some() {
            return Err(fail("text.lead 与 text.phone 须同时给出".to_string()));
        }
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        for t in Template::ALL {
            hb.register_template_string(t.key(), layout.template_source(t))
                .map_err(|e| fail(format!("模板 {} 有误：{}", t.key(), e.reason())))?;
        }
        layout.compiled = Templates(hb);
        Ok(layout)
    }

    fn template_source(&self, t: Template) -> &str {
        match t {
            Template::YearLine => &self.text.year_line,
            Template::Footer => &self.page.footer,
            Template::Output => &self.templates.output,
            Template::Subject => &self.templates.subject,
            Template::Keywords => &self.templates.keywords,
        }
    }

    /// Renders one of the layout's templates with `data`.
    ///
    /// # Errors
    /// [`Error::Layout`] naming the layout, the template and the missing variable.
    pub fn render(&self, template: Template, data: &impl Serialize) -> Result<String> {
        self.compiled
            .0
            .render(template.key(), data)
            .map_err(|e| Error::Layout {
                name: self.name.clone(),
                message: match e.reason() {
                    RenderErrorReason::MissingVariable(Some(var)) => {
                        format!("模板 {} 使用了不存在的变量 {var}", template.key())
                    }
                    reason => format!("模板 {} 无法生成：{reason}", template.key()),
                },
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

    /// The built-in layout for forms of `year`; the current one when the year is unknown.
    pub fn for_year(year: Option<i32>) -> &'static Layout {
        let all = Layout::builtin();
        year.and_then(|y| all.iter().find(|l| l.years.contains(y)))
            .unwrap_or(&all[0])
    }

    /// The 一级指标 a 二级指标 belongs to in this layout's tree.
    pub fn parent_of(&self, level2: &str) -> Option<&str> {
        self.tree
            .iter()
            .find(|g| g.level2.iter().any(|l| l == level2))
            .map(|g| g.level1.as_str())
    }

    /// The group of a 一级指标.
    pub fn group(&self, level1: &str) -> Option<&TreeGroup> {
        self.tree.iter().find(|g| g.level1 == level1)
    }

    /// Re-files a form's indicators under this layout's tree: a 二级 that is a 一级 here becomes
    /// that 一级 with its first 二级 (成本指标 of 2020 forms under the current layout), a 一级 that
    /// is a 二级 here goes under its parent (the other way round). When anything moved, the
    /// indicators are regrouped in the order of the tree. Returns the new order: position `i`
    /// holds the indicator that was at `order[i]`.
    pub fn adapt(&self, form: &mut Form) -> Vec<usize> {
        let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut moved = false;
        for ind in &mut form.indicators {
            let (level1, level2) = (compact(&ind.level1), compact(&ind.level2));
            if self
                .group(&level1)
                .is_some_and(|g| g.level2.contains(&level2))
            {
                continue;
            }
            if let Some(g) = self.group(&level2) {
                ind.level1 = g.level1.clone();
                ind.level2 = g.level2[0].clone();
                moved = true;
            } else if let Some(parent) = self.parent_of(&level1) {
                ind.level2 = level1;
                ind.level1 = parent.to_string();
                moved = true;
            }
        }
        let mut order: Vec<usize> = (0..form.indicators.len()).collect();
        if moved {
            let rank = |level1: &str| {
                self.tree
                    .iter()
                    .position(|g| g.level1 == compact(level1))
                    .unwrap_or(usize::MAX)
            };
            order.sort_by_key(|&i| rank(&form.indicators[i].level1));
            let old = std::mem::take(&mut form.indicators);
            form.indicators = order.iter().map(|&i| old[i].clone()).collect();
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_layouts_parse_and_cover_the_years() {
        assert_eq!(Layout::for_year(Some(2024)).name, "beijing-2024");
        assert_eq!(Layout::for_year(Some(2021)).name, "beijing-2024");
        assert_eq!(Layout::for_year(Some(2020)).name, "mof-2020");
        assert_eq!(Layout::for_year(Some(2015)).name, "mof-2020");
        assert_eq!(Layout::for_year(None).name, "beijing-2024");
    }

    #[test]
    fn cost_indicators_move_between_the_trees() {
        let current = Layout::by_name("beijing-2024").unwrap();
        let old = Layout::by_name("mof-2020").unwrap();
        assert_eq!(current.parent_of("经济成本指标"), Some("成本指标"));
        assert_eq!(old.parent_of("成本指标"), Some("产出指标"));
        assert_eq!(current.parent_of("成本指标"), None);
        assert!(old.text.lead.is_some() && current.text.lead.is_none());
    }

    #[test]
    fn columns_fill_the_printable_width() {
        for layout in Layout::builtin() {
            let p = &layout.page;
            let sum: f32 = layout.columns.widths.iter().sum();
            let printable = p.width - p.margin_left - p.margin_right;
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
    fn old_forms_are_refiled_under_the_current_tree() {
        let mut form: Form = serde_json::from_str(include_str!("../../samples/000.json")).unwrap();
        // As a 2020 form would have it: 成本指标 a 二级 under 产出指标, after the 效益 group.
        let mut cost: Vec<_> = form.indicators.drain(8..11).collect();
        for i in &mut cost {
            i.level1 = "产出指标".into();
            i.level2 = "成本指标".into();
        }
        form.indicators.extend(cost);
        let current = Layout::by_name("beijing-2024").unwrap();
        let mut adapted = form.clone();
        let order = current.adapt(&mut adapted);
        let levels: Vec<(&str, &str)> = adapted
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str()))
            .collect();
        assert_eq!(levels[8], ("成本指标", "经济成本指标"));
        assert_eq!(levels[11], ("效益指标", "社会效益指标"));
        assert_eq!(adapted.indicators[8].name, form.indicators[order[8]].name);
        assert_eq!(order[8], 11);
        // And back: under mof-2020, 成本指标 is a 二级 again.
        let old = Layout::by_name("mof-2020").unwrap();
        old.adapt(&mut adapted);
        assert_eq!(adapted.indicators[0].level1, "产出指标");
        assert_eq!(adapted.indicators[8].level1, "产出指标");
        assert_eq!(adapted.indicators[8].level2, "成本指标");
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
}
