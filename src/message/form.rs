//! Messages about the form as a whole: the header fields, the year, the goals, characters the
//! fonts lack, 分值 and 总分, the grade.

use rust_decimal::Decimal;

use super::names::{IndicatorName, field_name, quoted};
use crate::field::Field;
use crate::finding::Code;
use crate::model::Grade;
use crate::vocabulary::{self, Block};

/// What is wrong with the form as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum FormMessage {
    /// `header-missing`: a header field (项目名称, 主管部门, 实施单位) is empty.
    HeaderMissing(Field),
    /// `year-missing`: the title has no year.
    YearMissing,
    /// `goals-missing`: a text of 年度总体目标 is empty.
    GoalMissing(Field),
    /// `goals-not-text`: a text of 年度总体目标 is only a number.
    GoalNotText {
        /// 预期目标 or 实际完成情况.
        field: Field,
        /// The number written.
        text: String,
    },
    /// `form-unscored`: no 分值 or 得分 anywhere: targets and actual values are compared only.
    Unscored,
    /// `form-rubric`: a rubric (评价标准 per indicator, no target or actual value): the scores
    /// are the filer's reading of the rubric and stand.
    Rubric,
    /// `template-text`: a text is still the template's instruction to the filer.
    TemplateText {
        /// What the text is, named as the form names it (`实际完成情况`, `原因`).
        label: String,
        /// The text.
        text: String,
    },
    /// `glyph-missing`: characters of a text the bundled fonts cannot draw.
    GlyphMissing {
        /// The field of the text.
        field: Field,
        /// The indicator, when the field is one of its.
        indicator: Option<IndicatorName>,
        /// The characters, at most five, each once.
        chars: Vec<char>,
    },
    /// `indicators-missing`: no indicator at all.
    IndicatorsMissing,
    /// `weights-sum`: Σ分值 is not 100.
    WeightsSum {
        /// The sum.
        sum: Decimal,
        /// 分值 of the funds block.
        funds: Decimal,
        /// Σ分值 of the indicators.
        indicators: Decimal,
    },
    /// `total-missing`: no 总分.
    TotalMissing {
        /// The scores added up.
        total: Decimal,
    },
    /// `total-mismatch`: 总分 is not the scores added up.
    TotalMismatch {
        /// 总分 as written.
        declared: Decimal,
        /// The scores added up.
        total: Decimal,
        /// 得分 of the funds block.
        funds: Decimal,
    },
    /// `grade-unknown`: a grade that is none of the four.
    GradeUnknown {
        /// As written.
        written: String,
    },
    /// `grade-mismatch`: the grade of another total.
    GradeMismatch {
        /// The grade written.
        written: Grade,
        /// The total it is judged by.
        total: Decimal,
    },
}

impl FormMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            FormMessage::HeaderMissing(_) => Code::HeaderMissing,
            FormMessage::YearMissing => Code::YearMissing,
            FormMessage::GoalMissing(_) => Code::GoalsMissing,
            FormMessage::GoalNotText { .. } => Code::GoalsNotText,
            FormMessage::TemplateText { .. } => Code::TemplateText,
            FormMessage::Unscored => Code::FormUnscored,
            FormMessage::Rubric => Code::FormRubric,
            FormMessage::GlyphMissing { .. } => Code::GlyphMissing,
            FormMessage::IndicatorsMissing => Code::IndicatorsMissing,
            FormMessage::WeightsSum { .. } => Code::WeightsSum,
            FormMessage::TotalMissing { .. } => Code::TotalMissing,
            FormMessage::TotalMismatch { .. } => Code::TotalMismatch,
            FormMessage::GradeUnknown { .. } => Code::GradeUnknown,
            FormMessage::GradeMismatch { .. } => Code::GradeMismatch,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        let goals = || vocabulary::get().blocks.name(Block::Goals);
        match self {
            FormMessage::HeaderMissing(field) => format!("未填写{}", field_name(*field)),
            FormMessage::YearMissing => {
                "标题中没有年度（如“（2024年度）”），已按现行表样审核；请在标题下写明年度"
                    .to_string()
            }
            FormMessage::GoalMissing(field) => {
                format!("未填写{}的{}", goals(), field_name(*field))
            }
            FormMessage::GoalNotText { field, text } => format!(
                "{}的{}只填了数字“{text}”：应写明目标及其完成情况的文字说明",
                goals(),
                field_name(*field)
            ),
            FormMessage::Unscored => {
                "本表没有分值和得分：只核对各项指标的年度指标值与实际完成值，不计算得分和总分"
                    .to_string()
            }
            FormMessage::Rubric => "本表是评分表（每项指标给出评价标准，没有年度指标值和实际完成值）：各项得分是按评价标准自评的结果，无法按规则核对，按所填得分计"
                .to_string(),
            FormMessage::TemplateText { label, text } => format!(
                "{label}还是模板的填写说明“{}”，不是填报的内容：请按说明填写",
                quoted(text)
            ),
            FormMessage::GlyphMissing {
                field,
                indicator,
                chars,
            } => {
                let listed: Vec<String> = chars
                    .iter()
                    .map(|c| format!("“{c}”（U+{:04X}）", u32::from(*c)))
                    .collect();
                let name = match indicator {
                    Some(who) => format!("{who}的{}", field_name(*field)),
                    None => field_name(*field),
                };
                format!(
                    "{name}中的字符{}不在内置字体中，PDF 中无法显示：请改用常用写法",
                    listed.join("、")
                )
            }
            FormMessage::IndicatorsMissing => {
                "表中没有绩效指标：请至少填写一条三级指标".to_string()
            }
            FormMessage::WeightsSum {
                sum,
                funds,
                indicators,
            } => format!("分值合计为 {sum}（预算执行 {funds} + 绩效指标 {indicators}），应为 100"),
            FormMessage::TotalMissing { total } => {
                format!(
                    "未填写{}；各项得分合计为 {total}",
                    field_name(Field::TotalScore)
                )
            }
            FormMessage::TotalMismatch {
                declared,
                total,
                funds,
            } => format!(
                "总分填写为 {declared}，各项得分合计为 {total}（预算执行 {funds} + 绩效指标 {}）",
                total.saturating_sub(*funds)
            ),
            FormMessage::GradeUnknown { written } => {
                format!("等级“{written}”不是优、良、中、差之一")
            }
            FormMessage::GradeMismatch { written, total } => format!(
                "等级填写为“{written}”，总分 {total} 对应的等级为“{}”（90 分及以上为优，80 至 90 分为良，60 至 80 分为中，60 分以下为差）",
                Grade::of(*total)
            ),
        }
    }
}
