//! What the page lists of a form beside its table: the header fields of its kind (a project
//! form's 项目名称 / 主管部门 / 实施单位 …, a department form's 部门（单位）名称 / 联系人 /
//! 预算编码 …) and its funds rows with their breakdowns, each named as the vocabulary names
//! it. Data only.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Form, FormKind, FundsColumn, FundsRowKind};
use crate::vocabulary::{self, HeaderLabel};

/// A header field: its label and its value as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldView {
    /// The label (`部门（单位）名称`).
    pub label: &'static str,
    /// The value; empty when the cell is blank.
    pub value: String,
}

/// A row of the funds block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundsLine {
    /// The row's name (`基本支出`).
    pub label: &'static str,
    /// Which breakdown it belongs to: `total`, `income` (资金来源) or `expenditure` (支出性质).
    pub part: &'static str,
    /// 年初预算数, 全年预算数 and 全年执行数 as filed.
    pub initial: Option<String>,
    /// 全年预算数.
    pub budget: Option<String>,
    /// 全年执行数.
    pub executed: Option<String>,
    /// 执行数 over the block's basis (全年预算数, or 年初预算数 on a form without it), in
    /// percent with two decimals; `None` when not computable.
    pub rate: Option<String>,
}

/// The header fields of `form`, by its kind: those it has (a field the form has no cell for
/// is left out; the name of either kind is always listed).
pub fn header(form: &Form) -> Vec<FieldView> {
    let names = &vocabulary::get().header;
    let field = |label: HeaderLabel, value: &str| FieldView {
        label: names.name(label),
        value: value.to_string(),
    };
    let mut fields = Vec::new();
    let optional = |fields: &mut Vec<FieldView>, label, value: &Option<String>| {
        if let Some(v) = value {
            fields.push(field(label, v));
        }
    };
    match form.kind {
        FormKind::Project => {
            fields.push(field(HeaderLabel::Project, &form.project));
            fields.push(field(HeaderLabel::Department, &form.department));
            fields.push(field(HeaderLabel::Unit, &form.unit));
            optional(&mut fields, HeaderLabel::Lead, &form.lead);
            optional(&mut fields, HeaderLabel::Phone, &form.phone);
        }
        FormKind::Department => {
            let office = &form.office;
            fields.push(field(HeaderLabel::DepartmentName, &form.department));
            optional(&mut fields, HeaderLabel::Code, &office.code);
            optional(
                &mut fields,
                HeaderLabel::FinanceOffice,
                &office.finance_office,
            );
            optional(&mut fields, HeaderLabel::Contact, &office.contact);
            optional(&mut fields, HeaderLabel::Phone, &form.phone);
            optional(&mut fields, HeaderLabel::Subunits, &office.subunits);
        }
    }
    fields
}

/// The funds rows `form` has, top to bottom: 年度资金总额, its breakdown by income, then (on
/// a department form) its breakdown by expenditure.
pub fn funds(form: &Form) -> Vec<FundsLine> {
    let rows = &vocabulary::get().funds_rows;
    let f = &form.funds;
    let has_budget = FundsRowKind::EVERY
        .iter()
        .any(|k| f.row(*k).is_some_and(|r| r.budget.is_some()));
    let basis = if has_budget {
        FundsColumn::Budget
    } else {
        FundsColumn::Initial
    };
    let text = |d: Option<Decimal>| d.map(|d| d.to_string());
    FundsRowKind::EVERY
        .iter()
        .filter_map(|&kind| {
            let row = f.row(kind)?;
            let rate = row
                .executed
                .zip(row.get(basis))
                .and_then(|(c, b)| crate::score::ratio(c, b))
                .map(|r| format!("{:.2}", crate::score::round2(crate::score::percent(r))));
            Some(FundsLine {
                label: rows.name(kind),
                part: if kind == FundsRowKind::Total {
                    "total"
                } else if FundsRowKind::INCOME.contains(&kind) {
                    "income"
                } else {
                    "expenditure"
                },
                initial: text(row.initial),
                budget: text(row.budget),
                executed: text(row.executed),
                rate,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Expenditure, FundsRow};

    fn row(initial: i64, budget: Option<i64>, executed: i64) -> Option<FundsRow> {
        Some(FundsRow {
            initial: Some(Decimal::from(initial)),
            budget: budget.map(Decimal::from),
            executed: Some(Decimal::from(executed)),
        })
    }

    #[test]
    fn a_department_form_lists_its_own_fields_and_breakdowns() {
        let mut form = Form {
            kind: FormKind::Department,
            department: "北京市文物局".into(),
            phone: Some("010-1".into()),
            ..Form::default()
        };
        form.office.contact = Some("张三".into());
        form.funds.total = row(100, None, 90);
        form.funds.appropriation = row(80, None, 70);
        form.funds.expenditure = Some(Expenditure {
            basic: row(60, None, 60),
            project: row(40, None, 30),
            other: None,
        });
        let fields: Vec<(&str, String)> = header(&form)
            .into_iter()
            .map(|f| (f.label, f.value))
            .collect();
        assert_eq!(fields[0].1, "北京市文物局");
        assert!(fields[0].0.contains("部门"), "{fields:?}");
        assert!(fields.iter().any(|(_, v)| v == "张三"), "{fields:?}");
        assert!(
            !fields.iter().any(|(l, _)| l.contains("项目")),
            "{fields:?}"
        );
        let lines = funds(&form);
        let parts: Vec<(&str, Option<&str>)> =
            lines.iter().map(|l| (l.part, l.rate.as_deref())).collect();
        // No 全年预算数 anywhere: measured against 年初预算数.
        assert_eq!(
            parts,
            [
                ("total", Some("90.00")),
                ("income", Some("87.50")),
                ("expenditure", Some("100.00")),
                ("expenditure", Some("75.00")),
            ]
        );
    }

    #[test]
    fn a_project_form_lists_its_project_fields() {
        let form = Form {
            project: "项目".into(),
            department: "048-北京市文物局".into(),
            unit: "048019-北京艺术博物馆".into(),
            ..Form::default()
        };
        let values: Vec<String> = header(&form).into_iter().map(|f| f.value).collect();
        assert_eq!(
            values,
            ["项目", "048-北京市文物局", "048019-北京艺术博物馆"]
        );
        assert!(funds(&form).is_empty());
    }
}
