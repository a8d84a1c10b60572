//! A checked form as the user sees it: the JSON contract of `jixiao check --json`, and the
//! readable report. Builds strings; never prints. It knows no layout: fitting a form to one
//! ([`Report::new`]) is the layout's business, in `layout::fit`.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Field, Form, SourcedForm};
use crate::score::{self, Review};
use crate::text;
use crate::validate::{self, Severity};

/// The longest text from a form shown in one line of the readable report, in characters.
const MAX_FIELD: usize = 500;

/// One form, reviewed and checked.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The input, with `#Sheet` when a workbook holds several forms.
    pub source: String,
    /// The name of the layout the form was checked against.
    pub layout: String,
    /// The form as read.
    pub form: Form,
    /// Scores by the rules.
    pub review: Review,
    /// What is wrong or worth knowing, in form order.
    pub findings: Vec<ReportFinding>,
    /// The subtotals printed in the 一级 cells as filed, by 一级 name ([`Report::filed_subtotal`]).
    #[serde(skip)]
    subtotals: Vec<(String, Decimal)>,
}

/// A finding with its location resolved to a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportFinding {
    /// The stable code.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// The source cell as `Sheet!H23`, when the form came from a workbook.
    pub cell: Option<String>,
    /// The field it concerns; serialised as its path in the JSON contract
    /// (`indicators[11].score`).
    pub field: Option<Field>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl Report {
    /// `input` reviewed and checked as filed, shown in the layout named `layout`.
    /// [`Report::new`] (in `layout`, which knows the layouts) fits it to a layout.
    pub(crate) fn as_filed(input: SourcedForm, layout: &str) -> Report {
        let review = score::review_on(&input.form, input.shown.rate_basis());
        let checked = validate::check(&input.form, &input.shown, &review);
        let mut findings: Vec<ReportFinding> = Vec::new();
        let said = input
            .findings
            .into_iter()
            .chain(checked)
            .map(|f| ReportFinding {
                code: f.code.as_str(),
                severity: f.severity,
                cell: f
                    .at
                    .and_then(|at| input.cells.reference_at(at))
                    .or_else(|| f.field.and_then(|field| input.cells.reference(field))),
                field: f.field,
                message: f.message,
            });
        // The same finding at the same cell is said once (two indicators under one merged
        // 二级 cell share its tree finding).
        for f in said {
            let repeated = f.cell.is_some()
                && findings
                    .iter()
                    .any(|g| g.code == f.code && g.cell == f.cell && g.message == f.message);
            if !repeated {
                findings.push(f);
            }
        }
        let subtotals = input
            .shown
            .subtotals
            .iter()
            .map(|s| (s.level1.clone(), s.points))
            .collect();
        Report {
            source: input.source,
            layout: layout.to_string(),
            form: input.form,
            review,
            findings,
            subtotals,
        }
    }

    /// After the form's indicators were re-filed under another tree (position `i` now holds
    /// the indicator that was at `order[i]`): their assessments and the fields of the findings
    /// move with them, and the filed subtotals are dropped, the 一级 groups being no longer
    /// the ones they were filed for.
    pub(crate) fn refiled(&mut self, order: &[usize]) {
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        // One assessment per indicator (`score::review`), so `order` covers them all.
        let old = std::mem::take(&mut self.review.indicators);
        self.review.indicators = order.iter().map(|&i| old[i].clone()).collect();
        for f in &mut self.findings {
            if let Some(Field::Indicator(i, part)) = f.field
                && let Some(&new) = new_index.get(i)
            {
                f.field = Some(Field::Indicator(new, part));
            }
        }
        self.subtotals.clear();
    }

    /// The subtotal the 一级 cells of `level1` were filed with (`产出指标(50分)` → 50), when
    /// the form was read from a workbook that printed one and was not re-filed under another
    /// tree: what a rendered form prints, as filed.
    pub fn filed_subtotal(&self, level1: &str) -> Option<Decimal> {
        let level1 = crate::vocabulary::fold::spaceless(level1);
        self.subtotals
            .iter()
            .find(|(name, _)| *name == level1)
            .map(|&(_, points)| points)
    }

    /// How many findings of `severity` there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// True when some finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The readable report; with `styled`, ANSI colours for a terminal. What comes from the
    /// file (its name, sheet names, cell text quoted in messages) is shown escaped and bounded
    /// (`text::one_line`): each line of the report stays one line.
    pub fn to_text(&self, styled: bool) -> String {
        let line = |text: &str| text::one_line(text, MAX_FIELD);
        let paint = |style: Style, text: &str| {
            if styled {
                format!("{}{text}{}", style.render(), style.render_reset())
            } else {
                text.to_string()
            }
        };
        let bold = Style::new().bold();
        let mut out = String::new();
        let r = &self.review;
        let _ = writeln!(out, "{}", paint(bold, &line(&self.source)));
        match self.form.kind {
            crate::model::FormKind::Project => {
                let _ = writeln!(out, "  项目名称  {}", line(&self.form.project));
            }
            crate::model::FormKind::Department => {
                let _ = writeln!(out, "  部门整体  {}", line(&self.form.department));
            }
        }
        let year = self
            .form
            .year
            .map_or_else(|| "年度未知".to_string(), |y| format!("{y} 年度"));
        let _ = writeln!(out, "  表样      {}（{year}）", line(&self.layout));
        let dash = || "—".to_string();
        let filed = |d: Option<Decimal>| d.map_or_else(|| "未填".to_string(), |v| v.to_string());
        // Filed figures and the figures by the rules, each named: as the workbook's 审核意见
        // sheet and 汇总表 show them.
        let _ = writeln!(
            out,
            "  预算执行  执行率 {}，得分填报 {}，按规则 {}",
            r.execution_rate.map_or_else(dash, |v| format!("{v}%")),
            filed(self.form.funds.score),
            r.funds_score.map_or_else(dash, |v| v.to_string())
        );
        let _ = writeln!(
            out,
            "  总分      填报 {}，自评 {}（{}），复核 {}（{}）",
            filed(self.form.total_score),
            r.total,
            r.grade,
            r.reviewed_total,
            r.reviewed_grade
        );
        for f in &self.findings {
            let style = match f.severity {
                Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
                Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
                Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
            };
            let place = match (&f.cell, f.field) {
                (Some(cell), _) => line(cell),
                (None, Some(field)) => field.to_string(),
                (None, None) => "全表".to_string(),
            };
            let _ = writeln!(
                out,
                "  {} {place} [{}] {}",
                paint(style, f.severity.label()),
                f.code,
                line(&f.message)
            );
        }
        let _ = writeln!(
            out,
            "  {} 个错误，{} 个警告，{} 个提示",
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info)
        );
        out
    }
}
