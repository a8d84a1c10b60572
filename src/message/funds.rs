//! Messages about the funds block: the budget and its execution, the sums, 执行率 and 得分.

use rust_decimal::Decimal;

use super::names::{funds_column, funds_row};
use crate::field::{FundsColumn, FundsRowKind};
use crate::finding::Code;

/// What is wrong with the funds block.
#[derive(Debug, Clone, PartialEq)]
pub enum FundsMessage {
    /// `funds-budget-missing`: 年度资金总额 has no 全年预算数(B), or one not above 0 (`Some`).
    BudgetMissing {
        /// The figure written, when there is one.
        budget: Option<Decimal>,
    },
    /// `funds-executed-missing`: 年度资金总额 has a budget but no 全年执行数(C).
    ExecutedMissing,
    /// `funds-sum`: 年度资金总额 is not the sum of the rows under it in `column`.
    Sum {
        /// The column.
        column: FundsColumn,
        /// 年度资金总额's figure, when written.
        total: Option<Decimal>,
        /// The rows under it added up.
        sum: Decimal,
    },
    /// `funds-overspent`: C above B in a row.
    Overspent {
        /// The row.
        row: FundsRowKind,
        /// What C is measured against: 全年预算数(B), or 年初预算数 on a form without it.
        basis: FundsColumn,
        /// 全年预算数(B).
        budget: Decimal,
        /// 全年执行数(C).
        executed: Decimal,
    },
    /// `funds-budget-adjusted`: B moved a fifth or more from 年初预算数, with no reason given.
    BudgetAdjusted {
        /// The row.
        row: FundsRowKind,
        /// 年初预算数.
        initial: Decimal,
        /// 全年预算数(B).
        budget: Decimal,
        /// The change, in percent of 年初预算数 (negative: less).
        percent: Decimal,
    },
    /// `funds-rate`: 执行率 shown is not C/B.
    Rate {
        /// 执行率 shown, in percent.
        shown: Decimal,
        /// C/B in percent, two decimals.
        rate: Decimal,
    },
    /// `funds-unscored`: the funds block carries no score; the indicators make the 100.
    Unscored,
    /// `funds-rate-missing`: the 执行率 cell of 年度资金总额 left blank.
    RateMissing {
        /// C/B in percent, two decimals.
        rate: Decimal,
    },
    /// `funds-rate-rounded`: 执行率 shown with fewer than two decimals, hiding a difference.
    RateRounded {
        /// 执行率 shown, in percent.
        shown: Decimal,
        /// C/B in percent, two decimals.
        rate: Decimal,
    },
    /// `score-range`: 得分 of the funds block outside 0..分值.
    ScoreRange {
        /// 得分 as written.
        declared: Decimal,
        /// 分值.
        weight: Decimal,
    },
    /// `funds-score`: 得分 is not min(执行率, 100%) × 分值.
    Score {
        /// 得分 as written.
        declared: Decimal,
        /// 分值.
        weight: Decimal,
        /// 得分 by the rules.
        computed: Decimal,
    },
    /// `score-missing`: no 得分.
    ScoreMissing,
    /// `weight-missing`: no 分值.
    WeightMissing {
        /// The 分值 the rules give the funds block.
        usual: Decimal,
    },
}

impl FundsMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            FundsMessage::BudgetMissing { .. } => Code::FundsBudgetMissing,
            FundsMessage::ExecutedMissing => Code::FundsExecutedMissing,
            FundsMessage::Sum { .. } => Code::FundsSum,
            FundsMessage::Overspent { .. } => Code::FundsOverspent,
            FundsMessage::BudgetAdjusted { .. } => Code::FundsBudgetAdjusted,
            FundsMessage::Rate { .. } => Code::FundsRate,
            FundsMessage::Unscored => Code::FundsUnscored,
            FundsMessage::RateMissing { .. } => Code::FundsRateMissing,
            FundsMessage::RateRounded { .. } => Code::FundsRateRounded,
            FundsMessage::ScoreRange { .. } => Code::ScoreRange,
            FundsMessage::Score { .. } => Code::FundsScore,
            FundsMessage::ScoreMissing => Code::ScoreMissing,
            FundsMessage::WeightMissing { .. } => Code::WeightMissing,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        let total = funds_row(FundsRowKind::Total);
        let budget = funds_column(FundsColumn::Budget);
        let executed = funds_column(FundsColumn::Executed);
        let unscored = "无法计算执行率和预算执行得分";
        match self {
            FundsMessage::BudgetMissing { budget: None } => {
                format!("{total}未填写{budget}，{unscored}")
            }
            FundsMessage::BudgetMissing { budget: Some(b) } => {
                format!("{total}的{budget}为 {b}，{unscored}")
            }
            FundsMessage::ExecutedMissing => format!("{total}未填写{executed}，{unscored}"),
            FundsMessage::Sum {
                column,
                total: Some(t),
                sum,
            } => {
                let parts: Vec<&str> = FundsRowKind::ALL[1..]
                    .iter()
                    .map(|k| funds_row(*k))
                    .collect();
                format!(
                    "{total}的{} {t} 不等于各项资金之和 {sum}（{}），相差 {}",
                    funds_column(*column),
                    parts.join(" + "),
                    t.saturating_sub(*sum)
                )
            }
            FundsMessage::Sum {
                column,
                total: None,
                sum,
            } => format!(
                "{total}未填写{}，而各项资金之和为 {sum}",
                funds_column(*column)
            ),
            FundsMessage::Overspent {
                row,
                basis,
                budget: b,
                executed: c,
            } => format!(
                "{}的{executed} {c} 大于{} {b}：执行数不能超过预算数",
                funds_row(*row),
                funds_column(*basis)
            ),
            FundsMessage::BudgetAdjusted {
                row,
                initial,
                budget: b,
                percent,
            } => format!(
                "{}的{budget} {b} 比{} {initial} {} {}%：预算调整幅度较大，请在偏差原因中说明",
                funds_row(*row),
                funds_column(FundsColumn::Initial),
                if percent.is_sign_negative() {
                    "减少"
                } else {
                    "增加"
                },
                percent.abs()
            ),
            FundsMessage::Rate { shown, rate } => {
                format!("执行率填写为 {shown}%，按{executed} ÷ {budget} 计算应为 {rate}%")
            }
            FundsMessage::Unscored => {
                "项目资金没有分值和得分，各项指标的分值合计为 100：预算执行情况不单独计分（如全过程指标体系以预算执行率作为指标计分）".to_string()
            }
            FundsMessage::RateMissing { rate } => {
                format!("年度资金总额的执行率未填写：按全年执行数 / 全年预算数应为 {rate}%")
            }
            FundsMessage::RateRounded { shown, rate } => {
                format!("执行率填写为 {shown}%，按规则应保留两位小数，为 {rate}%")
            }
            FundsMessage::ScoreRange { declared, weight } => {
                format!("预算执行得分 {declared} 超出 0 至分值 {weight} 的范围")
            }
            FundsMessage::Score {
                declared,
                weight,
                computed,
            } => format!(
                "预算执行得分填写为 {declared}，按 min(执行率, 100%) × 分值 {weight} 计算应为 {computed}"
            ),
            FundsMessage::ScoreMissing => format!("{total}未填写得分"),
            FundsMessage::WeightMissing { usual } => {
                format!("{total}未填写分值（应为 {usual}）")
            }
        }
    }
}
