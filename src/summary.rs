//! The department summary (汇总表) as data: one [`SummaryRow`] per form, keyed by
//! [`SummaryColumn`] — each column gives its header, its width, its number format, its letter
//! in formulas and a row's value in it — and the inputs that could not be read
//! ([`FailedInput`]). The workbook's sheets ([`crate::layout::summary_grid`]) and the page of
//! `jixiao serve` (which gets the column list with each batch) take their columns from here.
//! Builds data only.

mod group;

pub use group::{Doubt, Grouping, NamedBy, Why};

use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use crate::model::{AmountUnit, FormKind, Grade};
use crate::report::Report;
use crate::text;
use crate::validate::Severity;

/// A column of the 汇总 sheet, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SummaryColumn {
    /// 源文件: the input, relative to the folder it was found in.
    Source,
    /// 项目名称.
    Project,
    /// 主管部门.
    Department,
    /// 部门（单位）: the department a department-wide form is filed for.
    DepartmentName,
    /// 实施单位.
    Unit,
    /// 全年预算数 of 年度资金总额, in 万元.
    Budget,
    /// 全年执行数 of 年度资金总额, in 万元.
    Executed,
    /// 执行率.
    Rate,
    /// 总分 as filed.
    FiledTotal,
    /// 自评总分.
    Total,
    /// 等级 of 自评总分.
    Grade,
    /// 复核总分.
    ReviewedTotal,
    /// 复核等级.
    ReviewedGrade,
    /// The number of error findings.
    Errors,
    /// The number of warnings.
    Warnings,
}

/// How a column's figures are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    /// Text as it is.
    Text,
    /// An amount in 万元, to six decimals (one yuan is 0.0001 万元; six keep what the forms
    /// file).
    Amount,
    /// A percentage with two decimals; the value is held in percent (`98.55`).
    Percent,
    /// A score with two decimals.
    Score,
    /// A whole count.
    Count,
}

/// A row's value in one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryValue<'a> {
    /// Text, as the form or the input's name has it.
    Text(&'a str),
    /// A figure, in the column's [`SummaryFormat`]; `None` when the form has none.
    Figure(Option<Decimal>),
    /// A count.
    Count(usize),
}

impl SummaryColumn {
    /// The columns of the sheet of department-wide forms (部门整体), left to right: the
    /// department, its whole budget and execution, totals, grades and findings.
    pub const DEPARTMENT: [SummaryColumn; 12] = [
        SummaryColumn::Source,
        SummaryColumn::DepartmentName,
        SummaryColumn::Budget,
        SummaryColumn::Executed,
        SummaryColumn::Rate,
        SummaryColumn::FiledTotal,
        SummaryColumn::Total,
        SummaryColumn::Grade,
        SummaryColumn::ReviewedTotal,
        SummaryColumn::ReviewedGrade,
        SummaryColumn::Errors,
        SummaryColumn::Warnings,
    ];

    /// The columns of the sheet of a kind of form.
    pub fn of(kind: FormKind) -> &'static [SummaryColumn] {
        match kind {
            FormKind::Project => &SummaryColumn::ALL,
            FormKind::Department => &SummaryColumn::DEPARTMENT,
        }
    }

    /// Every column of the project forms' sheet, left to right (the page's columns).
    pub const ALL: [SummaryColumn; 14] = [
        SummaryColumn::Source,
        SummaryColumn::Project,
        SummaryColumn::Department,
        SummaryColumn::Unit,
        SummaryColumn::Budget,
        SummaryColumn::Executed,
        SummaryColumn::Rate,
        SummaryColumn::FiledTotal,
        SummaryColumn::Total,
        SummaryColumn::Grade,
        SummaryColumn::ReviewedTotal,
        SummaryColumn::ReviewedGrade,
        SummaryColumn::Errors,
        SummaryColumn::Warnings,
    ];

    /// The header (`全年预算数`).
    pub fn header(self) -> &'static str {
        match self {
            SummaryColumn::Source => "源文件",
            SummaryColumn::Project => "项目名称",
            SummaryColumn::Department => "主管部门",
            SummaryColumn::DepartmentName => "部门（单位）",
            SummaryColumn::Unit => "实施单位",
            SummaryColumn::Budget => "全年预算数",
            SummaryColumn::Executed => "全年执行数",
            SummaryColumn::Rate => "执行率",
            SummaryColumn::FiledTotal => "填报总分",
            SummaryColumn::Total => "自评总分",
            SummaryColumn::Grade => "等级",
            SummaryColumn::ReviewedTotal => "复核总分",
            SummaryColumn::ReviewedGrade => "复核等级",
            SummaryColumn::Errors => "错误",
            SummaryColumn::Warnings => "警告",
        }
    }

    /// The key of the column in the JSON of the page (`budget`).
    pub fn key(self) -> &'static str {
        match self {
            SummaryColumn::Source => "source",
            SummaryColumn::Project => "project",
            SummaryColumn::Department => "department",
            SummaryColumn::DepartmentName => "department_name",
            SummaryColumn::Unit => "unit",
            SummaryColumn::Budget => "budget",
            SummaryColumn::Executed => "executed",
            SummaryColumn::Rate => "rate",
            SummaryColumn::FiledTotal => "filed_total",
            SummaryColumn::Total => "total",
            SummaryColumn::Grade => "grade",
            SummaryColumn::ReviewedTotal => "reviewed_total",
            SummaryColumn::ReviewedGrade => "reviewed_grade",
            SummaryColumn::Errors => "errors",
            SummaryColumn::Warnings => "warnings",
        }
    }

    /// The width of the column in the sheet, in characters.
    pub fn width(self) -> f32 {
        match self {
            SummaryColumn::Source => 30.0,
            SummaryColumn::Project => 40.0,
            SummaryColumn::Department => 18.0,
            SummaryColumn::DepartmentName => 30.0,
            SummaryColumn::Unit => 22.0,
            SummaryColumn::Budget | SummaryColumn::Executed => 14.0,
            SummaryColumn::Rate
            | SummaryColumn::FiledTotal
            | SummaryColumn::Total
            | SummaryColumn::ReviewedTotal => 9.0,
            SummaryColumn::ReviewedGrade => 8.0,
            SummaryColumn::Grade | SummaryColumn::Errors | SummaryColumn::Warnings => 6.0,
        }
    }

    /// How its values are written.
    pub fn format(self) -> SummaryFormat {
        match self {
            SummaryColumn::Source
            | SummaryColumn::Project
            | SummaryColumn::Department
            | SummaryColumn::DepartmentName
            | SummaryColumn::Unit
            | SummaryColumn::Grade
            | SummaryColumn::ReviewedGrade => SummaryFormat::Text,
            SummaryColumn::Budget | SummaryColumn::Executed => SummaryFormat::Amount,
            SummaryColumn::Rate => SummaryFormat::Percent,
            SummaryColumn::FiledTotal | SummaryColumn::Total | SummaryColumn::ReviewedTotal => {
                SummaryFormat::Score
            }
            SummaryColumn::Errors | SummaryColumn::Warnings => SummaryFormat::Count,
        }
    }

    /// Its place in the project forms' sheet, from 0 at the left.
    pub fn index(self) -> usize {
        self.index_in(&SummaryColumn::ALL)
    }

    /// Its place among `columns`, from 0 at the left.
    pub fn index_in(self, columns: &[SummaryColumn]) -> usize {
        columns.iter().position(|c| *c == self).unwrap_or_default()
    }

    /// Its letter in formulas of the project forms' sheet (`E`), from its place.
    pub fn letter(self) -> char {
        column_letter(self.index())
    }

    /// Its letter in formulas of a sheet of `columns`.
    pub fn letter_in(self, columns: &[SummaryColumn]) -> char {
        column_letter(self.index_in(columns))
    }

    /// The value of `row` in this column.
    pub fn value(self, row: &SummaryRow) -> SummaryValue<'_> {
        match self {
            SummaryColumn::Source => SummaryValue::Text(&row.source),
            SummaryColumn::Project => SummaryValue::Text(&row.project),
            SummaryColumn::Department | SummaryColumn::DepartmentName => {
                SummaryValue::Text(&row.department)
            }
            SummaryColumn::Unit => SummaryValue::Text(&row.unit),
            SummaryColumn::Budget => SummaryValue::Figure(row.budget),
            SummaryColumn::Executed => SummaryValue::Figure(row.executed),
            SummaryColumn::Rate => SummaryValue::Figure(row.rate),
            SummaryColumn::FiledTotal => SummaryValue::Figure(row.filed_total),
            SummaryColumn::Total => SummaryValue::Figure(Some(row.total)),
            SummaryColumn::Grade => SummaryValue::Text(row.grade.as_str()),
            SummaryColumn::ReviewedTotal => SummaryValue::Figure(Some(row.reviewed_total)),
            SummaryColumn::ReviewedGrade => SummaryValue::Text(row.reviewed_grade.as_str()),
            SummaryColumn::Errors => SummaryValue::Count(row.count(Severity::Error)),
            SummaryColumn::Warnings => SummaryValue::Count(row.count(Severity::Warning)),
        }
    }
}

// Every column has a letter of its own.
const _: () = assert!(SummaryColumn::ALL.len() <= 26);

/// The letter of the sheet column at `index` (0 → `A`), for the first 26.
pub fn column_letter(index: usize) -> char {
    char::from(b'A' + (index % 26) as u8)
}

/// The page gets each column as its key, header and whether its values are figures (shown
/// flush right, sorted as numbers).
impl Serialize for SummaryColumn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("SummaryColumn", 3)?;
        s.serialize_field("key", self.key())?;
        s.serialize_field("header", self.header())?;
        s.serialize_field("numeric", &(self.format() != SummaryFormat::Text))?;
        s.end()
    }
}

/// One finding in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryFinding {
    /// The cell in the input (`自评表!G25`), or the field's path for data files.
    pub cell: String,
    /// The stable code.
    pub code: &'static str,
    /// How serious.
    pub severity: Severity,
    /// The message.
    pub message: String,
}

/// One form in the department summary (汇总表).
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The input, relative to the folder it was found in, with `#Sheet` when needed.
    pub source: String,
    /// Which form: a project form goes on the 汇总 sheet, a department form on 部门整体.
    pub kind: FormKind,
    /// The year of the form, when it says (forms of one department are grouped within a year).
    pub year: Option<i32>,
    /// 项目名称.
    pub project: String,
    /// 主管部门.
    pub department: String,
    /// 实施单位.
    pub unit: String,
    /// 全年预算数 (B) of 年度资金总额, in 万元.
    pub budget: Option<Decimal>,
    /// 全年执行数 (C) of 年度资金总额, in 万元.
    pub executed: Option<Decimal>,
    /// 执行率 in percent.
    pub rate: Option<Decimal>,
    /// 总分 as filed on the form (what its 总分 cell shows), `None` when it has none.
    pub filed_total: Option<Decimal>,
    /// 自评总分: the filed scores added up ([`crate::score::Review::total`]).
    pub total: Decimal,
    /// 等级 of `total`.
    pub grade: Grade,
    /// 复核总分.
    pub reviewed_total: Decimal,
    /// 复核等级.
    pub reviewed_grade: Grade,
    /// Findings.
    pub findings: Vec<SummaryFinding>,
}

impl SummaryRow {
    /// The row of `report`, read from `source`. Amounts are added up in 万元, whatever unit
    /// the form was filed in.
    pub fn new(source: String, report: &Report) -> SummaryRow {
        let total = report.form.funds.total.as_ref();
        let unit = report.form.funds.unit;
        let wan_yuan = |amount: Decimal| unit.convert(amount, AmountUnit::WanYuan);
        SummaryRow {
            source,
            kind: report.form.kind,
            year: report.form.year,
            project: report.form.project.clone(),
            department: report.form.department.clone(),
            unit: report.form.unit.clone(),
            budget: total.and_then(|t| wan_yuan(t.budget?)),
            executed: total.and_then(|t| wan_yuan(t.executed?)),
            rate: report.review.execution_rate,
            filed_total: report.form.total_score,
            total: report.review.total,
            grade: report.review.grade,
            reviewed_total: report.review.reviewed_total,
            reviewed_grade: report.review.reviewed_grade,
            findings: report
                .findings
                .iter()
                .map(|f| SummaryFinding {
                    cell: f
                        .cell
                        .clone()
                        .or_else(|| f.field.map(|x| x.to_string()))
                        .unwrap_or_default(),
                    code: f.code,
                    severity: f.severity,
                    message: f.message.clone(),
                })
                .collect(),
        }
    }

    /// The number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// A row as the page shows it: each column's key with its value as text — a figure as its
/// decimal (`98.55%` for the rate), `null` when the form has none, a count as a number, the
/// source as one bounded line. The findings are on the page's table, not here.
impl Serialize for SummaryRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Every column of either sheet, each once: the page shows each kind in its columns.
        let columns = SummaryColumn::ALL.iter().copied().chain(
            SummaryColumn::DEPARTMENT
                .iter()
                .copied()
                .filter(|c| !SummaryColumn::ALL.contains(c)),
        );
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", &self.kind)?;
        for column in columns {
            let key = column.key();
            match column.value(self) {
                SummaryValue::Text(t) if column == SummaryColumn::Source => {
                    map.serialize_entry(key, &text::one_line(t, text::MAX_LINE))?;
                }
                SummaryValue::Text(t) => map.serialize_entry(key, t)?,
                SummaryValue::Figure(figure) => {
                    let shown = figure.map(|d| match column.format() {
                        SummaryFormat::Percent => format!("{d}%"),
                        _ => d.to_string(),
                    });
                    map.serialize_entry(key, &shown)?;
                }
                SummaryValue::Count(n) => map.serialize_entry(key, &n)?,
            }
        }
        map.end()
    }
}

/// An input that could not be read or written, as the summary's 未能读取 sheet, the
/// manifest and the page list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedInput {
    /// The input as found, as messages show it ([`crate::error::shown`]: escaped, bounded).
    pub source: String,
    /// Why, in one Chinese line of at most [`crate::text::MAX_LINE`] characters (the
    /// [`crate::Error`]'s message).
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_have_their_letters_and_keys() {
        assert_eq!(SummaryColumn::Budget.letter(), 'E');
        assert_eq!(SummaryColumn::Executed.letter(), 'F');
        assert_eq!(SummaryColumn::Grade.letter(), 'J');
        assert_eq!(SummaryColumn::ReviewedGrade.letter(), 'L');
        for (i, c) in SummaryColumn::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
            let json = serde_json::to_value(c).unwrap();
            assert_eq!(json["key"], c.key());
            assert_eq!(json["header"], c.header());
        }
        let keys: std::collections::HashSet<&str> =
            SummaryColumn::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), SummaryColumn::ALL.len());
    }

    #[test]
    fn a_row_shows_on_the_page_by_its_columns() {
        let row = SummaryRow {
            source: "a/\u{1b}b.xlsx".into(),
            kind: FormKind::Project,
            year: Some(2024),
            project: "项目".into(),
            department: "部门".into(),
            unit: "单位".into(),
            budget: Some(Decimal::new(12345, 2)),
            executed: None,
            rate: Some(Decimal::new(9855, 2)),
            filed_total: None,
            total: Decimal::new(9600, 2),
            grade: Grade::Excellent,
            reviewed_total: Decimal::new(8900, 2),
            reviewed_grade: Grade::Good,
            findings: vec![SummaryFinding {
                cell: "A1".into(),
                code: "funds-sum",
                severity: Severity::Error,
                message: "x".into(),
            }],
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "project",
                "source": "a/\\u{1b}b.xlsx", "project": "项目", "department": "部门",
                "department_name": "部门",
                "unit": "单位", "budget": "123.45", "executed": null, "rate": "98.55%",
                "filed_total": null, "total": "96.00", "grade": "优",
                "reviewed_total": "89.00", "reviewed_grade": "良", "errors": 1, "warnings": 0,
            })
        );
    }
}
