//! Messages only a 部门整体支出绩效自评表 gives rise to (and the one that says which kind a
//! sheet was read as): its name, its breakdown by expenditure, its tasks, its header total.

use rust_decimal::Decimal;

use super::names::{funds_column, funds_row};
use crate::field::{FundsColumn, FundsRowKind};
use crate::finding::Code;
use crate::model::FormKind;

/// What told the reader which kind of form a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindEvidence {
    /// The title (`部门整体支出绩效自评表`).
    Title,
    /// A header label (`项目名称`, `部门（单位）名称`).
    Header,
    /// The funds block (`项目资金`, `基本支出`).
    Funds,
}

impl KindEvidence {
    /// The evidence as the message names it.
    pub fn label(self) -> &'static str {
        match self {
            KindEvidence::Title => "标题",
            KindEvidence::Header => "表头",
            KindEvidence::Funds => "资金栏",
        }
    }
}

/// What is wrong with a department form, or with the kind a sheet was read as.
#[derive(Debug, Clone, PartialEq)]
pub enum DepartmentMessage {
    /// `form-kind-weighed`: the evidence disagrees; the form was read as `kind`.
    KindWeighed {
        /// The kind decided.
        kind: FormKind,
        /// What decided it.
        by: KindEvidence,
        /// What said the other kind.
        against: KindEvidence,
    },
    /// `layout-kind`: the layout asked for prints the other kind of form.
    LayoutKind {
        /// The form's kind.
        form: FormKind,
        /// The layout's name.
        layout: String,
        /// The layout's kind.
        layout_kind: FormKind,
    },
    /// `department-missing`: no 部门（单位）名称.
    DepartmentMissing,
    /// `header-score-mismatch`: 自评总分 in the header is not the 总分 of the table.
    HeaderScore {
        /// 自评总分 in the header.
        header: Decimal,
        /// 总分 of the table.
        total: Decimal,
    },
    /// `funds-breakdown-sum`: 年度资金总额 is not the sum of the expenditure breakdown.
    BreakdownSum {
        /// The column.
        column: FundsColumn,
        /// 年度资金总额's figure, when written.
        total: Option<Decimal>,
        /// The expenditure rows added up.
        sum: Decimal,
    },
    /// `funds-row-score`: a score on a breakdown row its figures contradict.
    RowScore {
        /// The row.
        row: FundsRowKind,
        /// What C is measured against.
        basis: FundsColumn,
        /// The score printed.
        declared: Decimal,
        /// C over the basis, in percent, two decimals.
        rate: Decimal,
        /// The score by the rule.
        computed: Decimal,
    },
    /// `funds-row-rate`: an 执行率 on a breakdown row that its figures contradict, or that
    /// no figure supports (and above 100 %).
    RowRate {
        /// The row.
        row: FundsRowKind,
        /// The rate printed, in percent.
        declared: Decimal,
        /// C over the basis, in percent, two decimals, when the row has both figures.
        computed: Option<Decimal>,
    },
    /// `task-over-budget`: a task's 执行数 above its 预算数.
    TaskOverBudget {
        /// The task's number, zero-based.
        index: usize,
        /// 任务名称.
        name: String,
        /// 预算数.
        budget: Decimal,
        /// 执行数.
        executed: Decimal,
    },
}

impl DepartmentMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            DepartmentMessage::KindWeighed { .. } => Code::FormKindWeighed,
            DepartmentMessage::LayoutKind { .. } => Code::LayoutKind,
            DepartmentMessage::DepartmentMissing => Code::DepartmentMissing,
            DepartmentMessage::HeaderScore { .. } => Code::HeaderScoreMismatch,
            DepartmentMessage::BreakdownSum { .. } => Code::FundsBreakdownSum,
            DepartmentMessage::TaskOverBudget { .. } => Code::TaskOverBudget,
            DepartmentMessage::RowScore { .. } => Code::FundsRowScore,
            DepartmentMessage::RowRate { .. } => Code::FundsRowRate,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        match self {
            DepartmentMessage::KindWeighed { kind, by, against } => format!(
                "{}说明这是{}，而{}像{}：已按{}读取，请核实",
                by.label(),
                kind.title(),
                against.label(),
                kind.other().title(),
                kind.title()
            ),
            DepartmentMessage::LayoutKind {
                form,
                layout,
                layout_kind,
            } => format!(
                "这是{}，而表样“{}”是{}的表样：已按该表样输出，请核实是否应换用{}表样",
                form.title(),
                crate::text::one_line(layout, 40),
                layout_kind.title(),
                form.short()
            ),
            DepartmentMessage::DepartmentMissing => {
                let name = crate::vocabulary::get()
                    .header
                    .name(crate::vocabulary::HeaderLabel::DepartmentName);
                format!("未填写{name}：部门整体支出绩效自评表应写明是哪个部门（单位）的整体支出")
            }
            DepartmentMessage::HeaderScore { header, total } => format!(
                "表头的自评总分 {header} 不等于表中的总分 {total}，相差 {}",
                header.saturating_sub(*total)
            ),
            DepartmentMessage::BreakdownSum { column, total, sum } => {
                let parts: Vec<&str> = FundsRowKind::EXPENDITURE
                    .iter()
                    .map(|k| funds_row(*k))
                    .collect();
                let total_row = funds_row(FundsRowKind::Total);
                match total {
                    Some(t) => format!(
                        "{total_row}的{} {t} 不等于按支出性质分的各项之和 {sum}（{}），相差 {}",
                        funds_column(*column),
                        parts.join(" + "),
                        t.saturating_sub(*sum)
                    ),
                    None => format!(
                        "{total_row}未填写{}，而按支出性质分的各项（{}）之和为 {sum}",
                        funds_column(*column),
                        parts.join(" + ")
                    ),
                }
            }
            DepartmentMessage::RowScore {
                row,
                basis,
                declared,
                rate,
                computed,
            } => format!(
                "{}的得分 {declared} 与该行数字不符：{} ÷ {} = {rate}%，按规则得分为 {computed}",
                funds_row(*row),
                funds_column(FundsColumn::Executed),
                funds_column(*basis)
            ),
            DepartmentMessage::RowRate {
                row,
                declared,
                computed,
            } => {
                let mut text = match computed {
                    Some(c) => format!(
                        "{}的执行率写作 {declared}%，按该行数字为 {c}%",
                        funds_row(*row)
                    ),
                    None => format!(
                        "{}的执行率写作 {declared}%，但该行没有预算数和执行数，无法核对",
                        funds_row(*row)
                    ),
                };
                if *declared > Decimal::ONE_HUNDRED {
                    text.push_str("；执行率超过 100% 即执行数超过了预算数，请核实");
                }
                text
            }
            DepartmentMessage::TaskOverBudget {
                index,
                name,
                budget,
                executed,
            } => format!(
                "第 {} 项任务“{}”的执行数 {executed} 大于预算数 {budget}",
                index + 1,
                crate::text::one_line(name, 30)
            ),
        }
    }
}
