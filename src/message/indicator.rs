//! Messages about one indicator: its name and target, units, the actual value, 分值 and 得分
//! against the rules, and the deviation text.

use rust_decimal::Decimal;

use super::names::{IndicatorName, column};
use crate::field::IndicatorField;
use crate::finding::Code;
use crate::score::{Method, Overachievement};

/// How the rules scored an indicator, for the message that says its score is too high.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// How it was scored.
    pub method: Method,
    /// 年度指标值, as written.
    pub target: String,
    /// 实际完成值, as written.
    pub actual: String,
    /// 分值.
    pub weight: Decimal,
    /// Whether a deadline was met.
    pub deadline_met: Option<bool>,
    /// The deduction for a target set too low, when one applies.
    pub overachievement: Option<Overachievement>,
}

impl Scoring {
    /// How the computed score came about.
    fn explain(&self) -> String {
        let (target, actual, weight) = (&self.target, &self.actual, self.weight);
        let mut text = match self.method {
            Method::Positive => {
                format!("正向指标：实际完成值 {actual} ÷ 年度指标值 {target} × 分值 {weight}")
            }
            Method::Reverse => {
                format!("反向指标：年度指标值 {target} ÷ 实际完成值 {actual} × 分值 {weight}")
            }
            Method::Deadline => match self.deadline_met {
                Some(false) => format!("时限指标：实际完成时间“{actual}”未达到“{target}”的要求"),
                _ => format!("时限指标：实际完成时间“{actual}”达到“{target}”的要求"),
            },
            Method::Qualitative => String::new(),
        };
        if let Some(o) = self.overachievement {
            text.push_str(&format!(
                "；实际完成值超出年度指标值 {}%，说明年初指标值设定偏低，按规则扣减该指标分值的 {}%",
                o.excess_percent, o.deduction_percent
            ));
        }
        text
    }
}

/// What is wrong with one indicator, or worth knowing about it.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorMessage {
    /// `indicator-placeholder`: the 三级 name is a template's placeholder (`指标1`).
    NamePlaceholder,
    /// `indicator-placeholder`: the target is a template's placeholder.
    TargetPlaceholder {
        /// 年度指标值.
        target: String,
    },
    /// `indicator-name-template`: a template mark (`**`) left in the name.
    NameTemplate {
        /// The mark.
        mark: String,
    },
    /// `target-template`: a template mark left in the target.
    TargetTemplate {
        /// 年度指标值.
        target: String,
        /// The mark.
        mark: String,
    },
    /// `target-not-computable`: a target that reads as a quantity but not to the rules.
    TargetNotComputable {
        /// 年度指标值.
        target: String,
    },
    /// `unit-omitted`: one side's unit left out, the other's taken.
    UnitOmitted {
        /// The side without a unit: [`IndicatorField::Target`] or [`IndicatorField::Actual`].
        side: IndicatorField,
        /// The unit taken.
        unit: String,
        /// 年度指标值.
        target: String,
        /// 实际完成值.
        actual: String,
    },
    /// `unit-mismatch` (not `converted`) or `unit-converted`: target and actual in different
    /// units.
    Units {
        /// 年度指标值.
        target: String,
        /// 实际完成值.
        actual: String,
        /// The target's unit.
        target_unit: String,
        /// The actual value's unit.
        actual_unit: String,
        /// The actual value was converted to the target's unit and scored.
        converted: bool,
    },
    /// `actual-missing`: no actual value.
    ActualMissing,
    /// `target-actual-missing`: neither a target nor an actual value.
    TargetActualMissing,
    /// `actual-bound`: an actual value written as a bound (`≥266米`).
    ActualBound {
        /// 实际完成值.
        actual: String,
    },
    /// `actual-unreadable`: a computable target against an actual value that is not.
    ActualUnreadable {
        /// 年度指标值.
        target: String,
        /// 实际完成值.
        actual: String,
        /// How the target would be scored.
        method: Method,
    },
    /// `rate-over-100`: a rate above 100 %.
    RateOver100 {
        /// 实际完成值.
        actual: String,
    },
    /// `weight-missing`: no 分值.
    WeightMissing,
    /// `score-missing`: no 得分.
    ScoreMissing,
    /// `score-range`: 得分 outside 0..分值.
    ScoreRange {
        /// 得分.
        declared: Decimal,
        /// 分值.
        weight: Decimal,
    },
    /// `indicator-overstated`: 得分 above the rules' score.
    Overstated {
        /// 得分 as written.
        declared: Decimal,
        /// 得分 by the rules.
        computed: Decimal,
        /// How the rules scored it.
        scoring: Scoring,
    },
    /// `deviation-missing`: a score below 分值 with no reason.
    DeviationMissing {
        /// 得分.
        declared: Decimal,
        /// 分值.
        weight: Decimal,
        /// What was written instead of a reason (`无`, `0`), when anything.
        written: Option<String>,
    },
    /// `deduction`: points taken off with the reason given.
    Deduction {
        /// 得分.
        declared: Decimal,
        /// 得分 by the rules, when computable.
        computed: Option<Decimal>,
        /// How it is scored.
        method: Method,
        /// 分值.
        weight: Decimal,
        /// The reason written.
        reason: String,
    },
    /// `deviation-not-text`: a number where no deviation needs a text.
    DeviationNotText {
        /// What was written.
        deviation: String,
    },
}

impl IndicatorMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            IndicatorMessage::NamePlaceholder | IndicatorMessage::TargetPlaceholder { .. } => {
                Code::IndicatorPlaceholder
            }
            IndicatorMessage::NameTemplate { .. } => Code::IndicatorNameTemplate,
            IndicatorMessage::TargetTemplate { .. } => Code::TargetTemplate,
            IndicatorMessage::TargetNotComputable { .. } => Code::TargetNotComputable,
            IndicatorMessage::UnitOmitted { .. } => Code::UnitOmitted,
            IndicatorMessage::Units {
                converted: false, ..
            } => Code::UnitMismatch,
            IndicatorMessage::Units {
                converted: true, ..
            } => Code::UnitConverted,
            IndicatorMessage::ActualMissing => Code::ActualMissing,
            IndicatorMessage::TargetActualMissing => Code::TargetActualMissing,
            IndicatorMessage::ActualBound { .. } => Code::ActualBound,
            IndicatorMessage::ActualUnreadable { .. } => Code::ActualUnreadable,
            IndicatorMessage::RateOver100 { .. } => Code::RateOver100,
            IndicatorMessage::WeightMissing => Code::WeightMissing,
            IndicatorMessage::ScoreMissing => Code::ScoreMissing,
            IndicatorMessage::ScoreRange { .. } => Code::ScoreRange,
            IndicatorMessage::Overstated { .. } => Code::IndicatorOverstated,
            IndicatorMessage::DeviationMissing { .. } => Code::DeviationMissing,
            IndicatorMessage::Deduction { .. } => Code::Deduction,
            IndicatorMessage::DeviationNotText { .. } => Code::DeviationNotText,
        }
    }

    /// The message about the indicator `who`.
    pub fn text(&self, who: &IndicatorName) -> String {
        let target_name = column(IndicatorField::Target);
        let actual_name = column(IndicatorField::Actual);
        let deviation_name = column(IndicatorField::Deviation);
        match self {
            IndicatorMessage::NamePlaceholder => format!(
                "第 {} 条指标“{}”是模板的占位内容：请填写实际的{}，或删除该行",
                who.index + 1,
                who.name,
                column(IndicatorField::Name)
            ),
            IndicatorMessage::TargetPlaceholder { target } => {
                format!("{who}的{target_name}“{target}”是模板的占位内容")
            }
            IndicatorMessage::NameTemplate { mark } => {
                format!("{who}的名称中还留有模板的“{mark}”：请填写实际内容")
            }
            IndicatorMessage::TargetTemplate { target, mark } => {
                format!("{who}的{target_name}“{target}”中还留有模板的“{mark}”：请填写实际内容")
            }
            IndicatorMessage::TargetNotComputable { target } => format!(
                "{who}的{target_name}“{target}”像是定量指标（区间、±、中文数字等），但不是可计算的形式，按定性指标处理，自评得分未按规则核对：请改写为“≥90%”“≤19万元”这样的形式，或人工核对得分"
            ),
            IndicatorMessage::UnitOmitted {
                side,
                unit,
                target,
                actual,
            } => unit_omitted(who, *side, unit, target, actual),
            IndicatorMessage::Units {
                target,
                actual,
                target_unit,
                actual_unit,
                converted,
            } => {
                let done = if *converted {
                    format!("已换算为{target_unit}计分")
                } else {
                    "无法计算得分".to_string()
                };
                format!(
                    "{who}的{target_name}“{target}”与{actual_name}“{actual}”单位不同（{target_unit} 与 {actual_unit}），{done}：请统一单位"
                )
            }
            IndicatorMessage::ActualMissing => format!("{who}未填写{actual_name}"),
            IndicatorMessage::TargetActualMissing => format!(
                "{who}未填写{target_name}和{actual_name}：得分无从核实，请填写目标值和实际完成的值"
            ),
            IndicatorMessage::ActualBound { actual } => format!(
                "{who}的{actual_name}“{actual}”带有比较符号，是目标的写法，不是实际达到的值：得分无从核实，请填写实际完成的数值"
            ),
            IndicatorMessage::ActualUnreadable {
                target,
                actual,
                method,
            } => format!(
                "{who}的{target_name}“{target}”是{method}，但{actual_name}“{actual}”不是可比较的值，无法计算得分"
            ),
            IndicatorMessage::RateOver100 { actual } => {
                format!("{who}是比率，{actual_name}“{actual}”超过 100%：请核实")
            }
            IndicatorMessage::WeightMissing => {
                format!("{who}未填写{}", column(IndicatorField::Weight))
            }
            IndicatorMessage::ScoreMissing => {
                format!("{who}未填写{}", column(IndicatorField::Score))
            }
            IndicatorMessage::ScoreRange { declared, weight } => format!(
                "{who}的得分 {declared} 超出 0 至分值 {weight} 的范围：得分最高不能超过该指标分值上限"
            ),
            IndicatorMessage::Overstated {
                declared,
                computed,
                scoring,
            } => format!(
                "{who}自评得分 {declared} 高于按规则计算的得分 {computed}（{}）：请按计算结果修改得分，或核实{target_name}与{actual_name}",
                scoring.explain()
            ),
            IndicatorMessage::DeviationMissing {
                declared,
                weight,
                written,
            } => {
                let written = match written {
                    None => format!("未填写{deviation_name}"),
                    Some(w) => format!("{deviation_name}只写了“{w}”"),
                };
                format!(
                    "{who}得分 {declared} 低于分值 {weight}，但{written}：请说明未完成目标的原因及拟采取的措施"
                )
            }
            IndicatorMessage::Deduction {
                declared,
                computed,
                method,
                weight,
                reason,
            } => deduction(who, *declared, *computed, *method, *weight, reason),
            IndicatorMessage::DeviationNotText { deviation } => format!(
                "{who}的{deviation_name}填写为“{deviation}”，不是文字说明：没有偏差时请留空"
            ),
        }
    }
}

/// `unit-omitted`: the side without a unit, the unit taken, both texts.
fn unit_omitted(
    who: &IndicatorName,
    side: IndicatorField,
    unit: &str,
    target: &str,
    actual: &str,
) -> String {
    let text = if side == IndicatorField::Target {
        target
    } else {
        actual
    };
    format!(
        "{who}的{}“{text}”没有写单位，已按“{unit}”计分：请写明单位（{}“{target}”，{}“{actual}”）",
        column(side),
        column(IndicatorField::Target),
        column(IndicatorField::Actual)
    )
}

/// `deduction`: what the rules give (or the 分值 of a qualitative indicator), what was
/// declared, the difference and the reason.
fn deduction(
    who: &IndicatorName,
    declared: Decimal,
    computed: Option<Decimal>,
    method: Method,
    weight: Decimal,
    reason: &str,
) -> String {
    let basis = computed.unwrap_or(weight);
    let how = match computed {
        Some(_) => format!("按规则可得 {basis}"),
        None => format!("{method}，分值 {weight}"),
    };
    format!(
        "{who}{how}，自评 {declared}，扣 {}；理由：{reason}",
        basis.saturating_sub(declared)
    )
}
