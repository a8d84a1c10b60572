//! Validation: a form and its review in, findings out.
//!
//! Every check of SPEC.md "Validation". A finding is data (a stable code, a severity, the field
//! it concerns and a Chinese message that tells the filer what to fix); nothing here fails.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::layout::Layout;
use crate::model::{
    Field, Form, FundsColumn, FundsRowKind, Indicator, IndicatorField, Shown, is_blank,
};
use crate::score::{Assessment, Grade, Method, Review, UnitNote, Value, parse_value, round_like};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The form is wrong and must be corrected.
    Error,
    /// Probably wrong, or cannot be checked; look at it.
    Warning,
    /// Worth knowing (a discretionary deduction and its reason).
    Info,
}

impl Severity {
    /// The severity as the report shows it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One finding about a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable code, e.g. `indicator-overstated`.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// The field it concerns, when it concerns one.
    pub field: Option<Field>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl Finding {
    fn new(code: &'static str, severity: Severity, field: Option<Field>, message: String) -> Self {
        Finding {
            code,
            severity,
            field,
            message,
        }
    }
}

/// The tolerance of the funds sums (the forms show six decimals).
fn funds_tolerance() -> Decimal {
    Decimal::new(1, 6)
}

fn row_label(kind: FundsRowKind) -> &'static str {
    match kind {
        FundsRowKind::Total => "年度资金总额",
        FundsRowKind::Appropriation => "当年财政拨款",
        FundsRowKind::Carryover => "上年结转资金",
        FundsRowKind::Other => "其他资金",
    }
}

fn column_label(column: FundsColumn) -> &'static str {
    match column {
        FundsColumn::Initial => "年初预算数",
        FundsColumn::Budget => "全年预算数(B)",
        FundsColumn::Executed => "全年执行数(C)",
    }
}

/// Removes white space, so `数 量 指 标` matches `数量指标`.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// How a finding names an indicator: its 三级指标, or its row number when it has none.
fn indicator_label(index: usize, indicator: &Indicator) -> String {
    let name = indicator.name.trim();
    if name.is_empty() {
        format!("第 {} 条指标", index + 1)
    } else {
        format!("指标“{name}”")
    }
}

/// True for a template's placeholder row: `指标1`, `三级指标2`, `……`, `XXX`.
fn is_placeholder(name: &str) -> bool {
    let name = compact(name);
    if name.is_empty() {
        return false;
    }
    let numbered = ["三级指标", "指标"].iter().any(|p| {
        name.strip_prefix(p).is_some_and(|rest| {
            !rest.is_empty()
                && rest.chars().all(|c| {
                    c.is_ascii_digit()
                        || ('０'..='９').contains(&c)
                        || "一二三四五六七八九十".contains(c)
                })
        })
    });
    let filler = name.chars().all(|c| {
        matches!(
            c,
            '…' | '.' | '。' | '·' | 'x' | 'X' | '×' | '*' | '＊' | '?' | '？'
        )
    });
    numbered || filler
}

/// Checks a form against the rules; `shown` is what its worksheet showed of derived values,
/// `review` is `score::review(form)`.
pub fn check(form: &Form, shown: &Shown, review: &Review, layout: &Layout) -> Vec<Finding> {
    let mut out = Vec::new();
    check_header(form, &mut out);
    check_funds(form, shown, review, &mut out);
    check_weights(form, &mut out);
    if form.indicators.is_empty() {
        out.push(Finding::new(
            "indicators-missing",
            Severity::Error,
            None,
            "表中没有绩效指标：请至少填写一条三级指标".to_string(),
        ));
    }
    for (i, (indicator, assessment)) in form.indicators.iter().zip(&review.indicators).enumerate() {
        check_tree(i, indicator, layout, form.year, &mut out);
        check_indicator(i, indicator, assessment, &mut out);
    }
    check_total(form, review, &mut out);
    check_glyphs(form, &mut out);
    out
}

/// Every text field of the form with its place and a Chinese name for it.
fn text_fields(form: &Form) -> Vec<(Field, String, &str)> {
    let mut fields = vec![
        (
            Field::Project,
            "项目名称".to_string(),
            form.project.as_str(),
        ),
        (
            Field::Department,
            "主管部门".to_string(),
            form.department.as_str(),
        ),
        (Field::Unit, "实施单位".to_string(), form.unit.as_str()),
        (
            Field::Expected,
            "预期目标".to_string(),
            form.goals.expected.as_str(),
        ),
        (
            Field::Achieved,
            "实际完成情况".to_string(),
            form.goals.achieved.as_str(),
        ),
    ];
    if let Some(lead) = &form.lead {
        fields.push((Field::Lead, "项目负责人".to_string(), lead.as_str()));
    }
    if let Some(phone) = &form.phone {
        fields.push((Field::Phone, "联系电话".to_string(), phone.as_str()));
    }
    for (i, ind) in form.indicators.iter().enumerate() {
        let label = indicator_label(i, ind);
        let parts = [
            (IndicatorField::Level1, "一级指标", ind.level1.as_str()),
            (IndicatorField::Level2, "二级指标", ind.level2.as_str()),
            (IndicatorField::Name, "三级指标", ind.name.as_str()),
            (IndicatorField::Target, "年度指标值", ind.target.as_str()),
            (IndicatorField::Actual, "实际完成值", ind.actual.as_str()),
            (
                IndicatorField::Deviation,
                "偏差原因分析及改进措施",
                ind.deviation.as_str(),
            ),
        ];
        for (f, name, text) in parts {
            fields.push((Field::Indicator(i, f), format!("{label}的{name}"), text));
        }
    }
    fields
}

/// Characters the bundled fonts cannot draw: the PDF would show an empty box.
fn check_glyphs(form: &Form, out: &mut Vec<Finding>) {
    let metrics = crate::fonts::metrics(false);
    for (field, name, text) in text_fields(form) {
        let mut missing: Vec<char> = text.chars().filter(|c| !metrics.covers(*c)).collect();
        if missing.is_empty() {
            continue;
        }
        missing.dedup();
        missing.truncate(5);
        let listed: Vec<String> = missing
            .iter()
            .map(|c| format!("“{c}”（U+{:04X}）", u32::from(*c)))
            .collect();
        out.push(Finding::new(
            "glyph-missing",
            Severity::Warning,
            Some(field),
            format!(
                "{name}中的字符{}不在内置字体中，PDF 中无法显示：请改用常用写法",
                listed.join("、")
            ),
        ));
    }
}

fn check_header(form: &Form, out: &mut Vec<Finding>) {
    let required = [
        (Field::Project, "项目名称", &form.project),
        (Field::Department, "主管部门", &form.department),
        (Field::Unit, "实施单位", &form.unit),
    ];
    for (field, label, value) in required {
        if is_blank(value) {
            out.push(Finding::new(
                "header-missing",
                Severity::Error,
                Some(field),
                format!("未填写{label}"),
            ));
        }
    }
    if form.year.is_none() {
        out.push(Finding::new(
            "year-missing",
            Severity::Warning,
            Some(Field::Year),
            "标题中没有年度（如“（2024年度）”），已按现行表样审核；请在标题下写明年度".to_string(),
        ));
    }
    if is_blank(&form.goals.expected) {
        out.push(Finding::new(
            "goals-missing",
            Severity::Warning,
            Some(Field::Expected),
            "未填写年度总体目标的预期目标".to_string(),
        ));
    }
    if is_blank(&form.goals.achieved) {
        out.push(Finding::new(
            "goals-missing",
            Severity::Warning,
            Some(Field::Achieved),
            "未填写年度总体目标的实际完成情况".to_string(),
        ));
    }
}

fn check_funds(form: &Form, shown: &Shown, review: &Review, out: &mut Vec<Finding>) {
    let funds = &form.funds;
    let budget_field = Field::Funds(FundsRowKind::Total, FundsColumn::Budget);
    match funds.figure(FundsRowKind::Total, FundsColumn::Budget) {
        None => out.push(Finding::new(
            "funds-budget-missing",
            Severity::Error,
            Some(budget_field),
            "年度资金总额未填写全年预算数(B)，无法计算执行率和预算执行得分".to_string(),
        )),
        Some(b) if b <= Decimal::ZERO => out.push(Finding::new(
            "funds-budget-missing",
            Severity::Error,
            Some(budget_field),
            format!("年度资金总额的全年预算数(B)为 {b}，无法计算执行率和预算执行得分"),
        )),
        Some(_) => {
            if funds
                .figure(FundsRowKind::Total, FundsColumn::Executed)
                .is_none()
            {
                out.push(Finding::new(
                    "funds-executed-missing",
                    Severity::Error,
                    Some(Field::Funds(FundsRowKind::Total, FundsColumn::Executed)),
                    "年度资金总额未填写全年执行数(C)，无法计算执行率和预算执行得分".to_string(),
                ));
            }
        }
    }

    // 年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金, column by column.
    for column in FundsColumn::ALL {
        let parts = &FundsRowKind::ALL[1..];
        if parts.iter().all(|k| funds.figure(*k, column).is_none()) {
            continue;
        }
        let sum = crate::score::sum(parts.iter().filter_map(|k| funds.figure(*k, column)));
        let total = funds.figure(FundsRowKind::Total, column);
        let field = Some(Field::Funds(FundsRowKind::Total, column));
        let label = column_label(column);
        match total {
            Some(t) if t.saturating_sub(sum).abs() <= funds_tolerance() => {}
            Some(t) => out.push(Finding::new(
                "funds-sum",
                Severity::Error,
                field,
                format!(
                    "年度资金总额的{label} {t} 不等于各项资金之和 {sum}（当年财政拨款 + 上年结转资金 + 其他资金），相差 {}",
                    t.saturating_sub(sum)
                ),
            )),
            None => out.push(Finding::new(
                "funds-sum",
                Severity::Error,
                field,
                format!("年度资金总额未填写{label}，而各项资金之和为 {sum}"),
            )),
        }
    }

    for kind in FundsRowKind::ALL {
        let (Some(b), Some(c)) = (
            funds.figure(kind, FundsColumn::Budget),
            funds.figure(kind, FundsColumn::Executed),
        ) else {
            continue;
        };
        if c > b {
            out.push(Finding::new(
                "funds-overspent",
                Severity::Error,
                Some(Field::Funds(kind, FundsColumn::Executed)),
                format!(
                    "{}的全年执行数(C) {c} 大于全年预算数(B) {b}：执行数不能超过预算数",
                    row_label(kind)
                ),
            ));
        }
    }

    // Compared at the decimals shown, rounded once from the exact ratio.
    let ratio = crate::score::execution_ratio(form);
    if let (Some(shown), Some(ratio), Some(rate)) =
        (shown.execution_rate, ratio, review.execution_rate)
        && round_like(crate::score::percent(ratio), shown) != shown
    {
        out.push(Finding::new(
            "funds-rate",
            Severity::Error,
            Some(Field::FundsRate),
            format!("执行率填写为 {shown}%，按全年执行数(C) ÷ 全年预算数(B) 计算应为 {rate}%"),
        ));
    }
    let weight = funds
        .weight
        .unwrap_or_else(crate::score::default_funds_weight);
    match (funds.score, review.funds_score) {
        (Some(declared), _) if declared < Decimal::ZERO || declared > weight => {
            out.push(Finding::new(
                "score-range",
                Severity::Error,
                Some(Field::FundsScore),
                format!("预算执行得分 {declared} 超出 0 至分值 {weight} 的范围"),
            ));
        }
        (Some(declared), Some(computed))
            if ratio.is_some_and(|r| {
                round_like(crate::score::execution_score(form, r), declared) != declared
            }) =>
        {
            out.push(Finding::new(
                "funds-score",
                Severity::Error,
                Some(Field::FundsScore),
                format!(
                    "预算执行得分填写为 {declared}，按 min(执行率, 100%) × 分值 {weight} 计算应为 {computed}"
                ),
            ));
        }
        (None, _) => out.push(Finding::new(
            "score-missing",
            Severity::Error,
            Some(Field::FundsScore),
            "年度资金总额未填写得分".to_string(),
        )),
        _ => {}
    }
}

fn check_weights(form: &Form, out: &mut Vec<Finding>) {
    let funds = form.funds.weight.unwrap_or(Decimal::ZERO);
    let indicators = crate::score::sum(form.indicators.iter().filter_map(|i| i.weight));
    let sum = funds.saturating_add(indicators);
    if sum != Decimal::ONE_HUNDRED {
        out.push(Finding::new(
            "weights-sum",
            Severity::Error,
            None,
            format!("分值合计为 {sum}（预算执行 {funds} + 绩效指标 {indicators}），应为 100"),
        ));
    }
    if form.funds.weight.is_none() {
        out.push(Finding::new(
            "weight-missing",
            Severity::Error,
            Some(Field::FundsWeight),
            "年度资金总额未填写分值（应为 10）".to_string(),
        ));
    }
}

fn check_tree(
    i: usize,
    indicator: &Indicator,
    layout: &Layout,
    year: Option<i32>,
    out: &mut Vec<Finding>,
) {
    let level1 = compact(&indicator.level1);
    let level2 = compact(&indicator.level2);
    let edition = match year {
        Some(y) => format!("{y} 年度表样"),
        None => format!("表样 {}", layout.name),
    };
    let field = |f| Some(Field::Indicator(i, f));
    let Some(group) = layout.group(&level1) else {
        let known: Vec<&str> = layout.tree.iter().map(|g| g.level1.as_str()).collect();
        out.push(Finding::new(
            "tree-level1",
            Severity::Error,
            field(IndicatorField::Level1),
            format!(
                "{}的一级指标“{level1}”不在{edition}的指标体系中（应为：{}）",
                indicator_label(i, indicator),
                known.join("、")
            ),
        ));
        return;
    };
    if !group.level2.contains(&level2) {
        let message = match layout.parent_of(&level2) {
            Some(parent) => {
                format!("二级指标“{level2}”属于一级指标“{parent}”，不应在“{level1}”下（{edition}）")
            }
            None => format!(
                "二级指标“{level2}”不在{edition}的指标体系中（“{level1}”下应为：{}）",
                group.level2.join("、")
            ),
        };
        out.push(Finding::new(
            "tree-level2",
            Severity::Error,
            field(IndicatorField::Level2),
            message,
        ));
    }
    if is_blank(&indicator.name) {
        out.push(Finding::new(
            "tree-level2-empty",
            Severity::Error,
            field(IndicatorField::Name),
            format!("二级指标“{level2}”下没有三级指标：每个二级指标下应至少写一条三级指标"),
        ));
    } else if is_placeholder(&indicator.name) {
        out.push(Finding::new(
            "indicator-placeholder",
            Severity::Error,
            field(IndicatorField::Name),
            format!(
                "第 {} 条指标“{}”是模板的占位内容：请填写实际的三级指标，或删除该行",
                i + 1,
                indicator.name.trim()
            ),
        ));
    }
}

/// Explains how `computed` came about, for the overstated-score message.
fn explain(indicator: &Indicator, a: &Assessment) -> String {
    let (target, actual) = (indicator.target.trim(), indicator.actual.trim());
    let weight = indicator.weight.unwrap_or_default();
    let mut text = match a.method {
        Method::Positive => {
            format!("正向指标：实际完成值 {actual} ÷ 年度指标值 {target} × 分值 {weight}")
        }
        Method::Reverse => {
            format!("反向指标：年度指标值 {target} ÷ 实际完成值 {actual} × 分值 {weight}")
        }
        Method::Deadline => match a.deadline_met {
            Some(false) => format!("时限指标：实际完成时间“{actual}”未达到“{target}”的要求"),
            _ => format!("时限指标：实际完成时间“{actual}”达到“{target}”的要求"),
        },
        Method::Qualitative => String::new(),
    };
    if let Some(o) = a.overachievement {
        text.push_str(&format!(
            "；实际完成值超出年度指标值 {}%，说明年初指标值设定偏低，按规则扣减该指标分值的 {}%",
            o.excess_percent, o.deduction_percent
        ));
    }
    text
}

fn check_indicator(i: usize, indicator: &Indicator, a: &Assessment, out: &mut Vec<Finding>) {
    let label = indicator_label(i, indicator);
    let field = |f| Some(Field::Indicator(i, f));
    let (target, actual) = (indicator.target.trim(), indicator.actual.trim());

    match &a.unit_note {
        Some(UnitNote::Mismatch { target: tu, actual: au }) => out.push(Finding::new(
            "unit-mismatch",
            Severity::Error,
            field(IndicatorField::Actual),
            format!(
                "{label}的年度指标值“{target}”与实际完成值“{actual}”单位不同（{tu} 与 {au}），无法计算得分：请统一单位"
            ),
        )),
        Some(UnitNote::Converted { target: tu, actual: au }) => out.push(Finding::new(
            "unit-converted",
            Severity::Warning,
            field(IndicatorField::Actual),
            format!(
                "{label}的年度指标值“{target}”与实际完成值“{actual}”单位不同（{tu} 与 {au}），已换算为{tu}计分：请统一单位"
            ),
        )),
        None => {}
    }
    if a.actual_unreadable {
        out.push(Finding::new(
            "actual-unreadable",
            Severity::Warning,
            field(IndicatorField::Actual),
            format!(
                "{label}的年度指标值“{target}”是{}，但实际完成值“{actual}”不是可比较的值，无法计算得分",
                a.method
            ),
        ));
    }
    let rate_like = indicator.name.contains('率') || indicator.name.contains("满意度");
    if rate_like && a.actual_percent.is_some_and(|p| p > Decimal::ONE_HUNDRED) {
        out.push(Finding::new(
            "rate-over-100",
            Severity::Warning,
            field(IndicatorField::Actual),
            format!("{label}是比率，实际完成值“{actual}”超过 100%：请核实"),
        ));
    }
    if matches!(parse_value(target), Value::Text) && is_placeholder(target) {
        out.push(Finding::new(
            "indicator-placeholder",
            Severity::Error,
            field(IndicatorField::Target),
            format!("{label}的年度指标值“{target}”是模板的占位内容"),
        ));
    }

    let Some(weight) = indicator.weight else {
        out.push(Finding::new(
            "weight-missing",
            Severity::Error,
            field(IndicatorField::Weight),
            format!("{label}未填写分值"),
        ));
        return;
    };
    let Some(declared) = indicator.score else {
        out.push(Finding::new(
            "score-missing",
            Severity::Error,
            field(IndicatorField::Score),
            format!("{label}未填写得分"),
        ));
        return;
    };
    if declared < Decimal::ZERO || declared > weight {
        out.push(Finding::new(
            "score-range",
            Severity::Error,
            field(IndicatorField::Score),
            format!(
                "{label}的得分 {declared} 超出 0 至分值 {weight} 的范围：得分最高不能超过该指标分值上限"
            ),
        ));
        return;
    }
    if let Some(computed) = a.computed
        && declared > computed
    {
        out.push(Finding::new(
            "indicator-overstated",
            Severity::Error,
            field(IndicatorField::Score),
            format!(
                "{label}自评得分 {declared} 高于按规则计算的得分 {computed}（{}）：请按计算结果修改得分，或核实年度指标值与实际完成值",
                explain(indicator, a)
            ),
        ));
        return;
    }
    if declared < weight {
        if is_blank(&indicator.deviation) {
            out.push(Finding::new(
                "deviation-missing",
                Severity::Error,
                field(IndicatorField::Deviation),
                format!(
                    "{label}得分 {declared} 低于分值 {weight}，但未填写偏差原因分析及改进措施：请说明未完成目标的原因及拟采取的措施"
                ),
            ));
        } else if a.computed.is_none_or(|c| declared < c) {
            let basis = a.computed.unwrap_or(weight);
            let reason = indicator.deviation.trim();
            let how = match a.computed {
                Some(_) => format!("按规则可得 {basis}"),
                None => format!("{}，分值 {weight}", a.method),
            };
            out.push(Finding::new(
                "deduction",
                Severity::Info,
                field(IndicatorField::Score),
                format!(
                    "{label}{how}，自评 {declared}，扣 {}；理由：{reason}",
                    basis.saturating_sub(declared)
                ),
            ));
        }
    }
}

fn check_total(form: &Form, review: &Review, out: &mut Vec<Finding>) {
    match form.total_score {
        None => out.push(Finding::new(
            "total-missing",
            Severity::Warning,
            Some(Field::TotalScore),
            format!("未填写总分；各项得分合计为 {}", review.total),
        )),
        Some(declared) if round_like(review.total, declared) != declared => {
            let funds = form.funds.score.unwrap_or(Decimal::ZERO);
            out.push(Finding::new(
                "total-mismatch",
                Severity::Error,
                Some(Field::TotalScore),
                format!(
                    "总分填写为 {declared}，各项得分合计为 {}（预算执行 {funds} + 绩效指标 {}）",
                    review.total,
                    review.total.saturating_sub(funds)
                ),
            ));
        }
        Some(_) => {}
    }
    if let Some(written) = &form.grade {
        let total = form.total_score.unwrap_or(review.total);
        match Grade::parse(written) {
            None => out.push(Finding::new(
                "grade-unknown",
                Severity::Warning,
                Some(Field::Grade),
                format!("等级“{written}”不是优、良、中、差之一"),
            )),
            Some(g) if g != Grade::of(total) => out.push(Finding::new(
                "grade-mismatch",
                Severity::Error,
                Some(Field::Grade),
                format!(
                    "等级填写为“{g}”，总分 {total} 对应的等级为“{}”（90 分及以上为优，80 至 90 分为良，60 至 80 分为中，60 分以下为差）",
                    Grade::of(total)
                ),
            )),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::review;

    fn sample(json: &str) -> Form {
        crate::read::form_from_json(json).unwrap()
    }

    fn findings(form: &Form) -> Vec<Finding> {
        let layout = Layout::for_year(form.year);
        check(form, &Shown::default(), &review(form), layout)
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn sample_000_has_one_error_and_one_deduction() {
        let form = sample(include_str!("../samples/000.json"));
        let all = findings(&form);
        let errors: Vec<_> = all
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{all:#?}");
        assert_eq!(errors[0].code, "indicator-overstated");
        assert_eq!(
            errors[0].field,
            Some(Field::Indicator(11, IndicatorField::Score))
        );
        assert!(errors[0].message.contains("投诉降低率"));
        assert!(errors[0].message.contains("7.00") && errors[0].message.contains("0.00"));
        let infos: Vec<_> = all
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .collect();
        assert_eq!(infos.len(), 1, "{all:#?}");
        assert_eq!(infos[0].code, "deduction");
        assert!(
            infos[0]
                .message
                .contains("为前端服务的技术提供保障支持及数据支持")
        );
        assert!(infos[0].message.contains("相应支撑材料不够充分"));
        assert_eq!(all.len(), 2, "{all:#?}");
    }

    #[test]
    fn sample_001_has_three_deductions_and_no_error() {
        let form = sample(include_str!("../samples/001.json"));
        let all = findings(&form);
        assert!(all.iter().all(|f| f.severity == Severity::Info), "{all:#?}");
        let deducted: Vec<_> = all
            .iter()
            .filter(|f| f.code == "deduction")
            .map(|f| f.field)
            .collect();
        assert_eq!(
            deducted,
            [6, 7, 9].map(|i| Some(Field::Indicator(i, IndicatorField::Score)))
        );
        assert!(
            all[1]
                .message
                .contains("按规则可得 7.00，自评 5.60，扣 1.40"),
            "{}",
            all[1].message
        );
        assert!(
            all[2]
                .message
                .contains("按规则可得 10.00，自评 7.00，扣 3.00"),
            "{}",
            all[2].message
        );
    }

    type Edit = fn(&mut Form);

    #[test]
    fn each_broken_rule_gives_its_finding() {
        let cases: &[(&str, Edit, &str, Option<Field>)] = &[
            (
                "funds that do not add up",
                |f| f.funds.other.as_mut().unwrap().budget = Some(d("18.000000")),
                "funds-sum",
                Some(Field::Funds(FundsRowKind::Total, FundsColumn::Budget)),
            ),
            (
                "C > B",
                |f| {
                    for row in [&mut f.funds.total, &mut f.funds.other] {
                        row.as_mut().unwrap().executed = Some(d("19.500000"));
                    }
                },
                "funds-overspent",
                Some(Field::Funds(FundsRowKind::Total, FundsColumn::Executed)),
            ),
            (
                "a score above its 分值",
                |f| {
                    f.indicators[0].score = Some(d("8.00"));
                    f.total_score = Some(d("97.00"));
                },
                "score-range",
                Some(Field::Indicator(0, IndicatorField::Score)),
            ),
            (
                "a missing 偏差原因",
                |f| f.indicators[12].deviation.clear(),
                "deviation-missing",
                Some(Field::Indicator(12, IndicatorField::Deviation)),
            ),
            (
                "Σ分值 ≠ 100",
                |f| f.indicators[0].weight = Some(d("8.00")),
                "weights-sum",
                None,
            ),
            (
                "a wrong 总分",
                |f| f.total_score = Some(d("95.00")),
                "total-mismatch",
                Some(Field::TotalScore),
            ),
            (
                "a 二级 under the wrong 一级",
                |f| f.indicators[0].level2 = "经济成本指标".into(),
                "tree-level2",
                Some(Field::Indicator(0, IndicatorField::Level2)),
            ),
            (
                "an unknown 一级",
                |f| f.indicators[0].level1 = "产出".into(),
                "tree-level1",
                Some(Field::Indicator(0, IndicatorField::Level1)),
            ),
            (
                "a 二级 without 三级",
                |f| f.indicators[0].name.clear(),
                "tree-level2-empty",
                Some(Field::Indicator(0, IndicatorField::Name)),
            ),
            (
                "指标1",
                |f| f.indicators[0].name = "指标1".into(),
                "indicator-placeholder",
                Some(Field::Indicator(0, IndicatorField::Name)),
            ),
            (
                "……",
                |f| f.indicators[1].name = "……".into(),
                "indicator-placeholder",
                Some(Field::Indicator(1, IndicatorField::Name)),
            ),
            (
                "≥500次 reached with 2000次 at full marks",
                |f| {
                    f.indicators[0].target = "≥500次".into();
                    f.indicators[0].actual = "2000次".into();
                },
                "indicator-overstated",
                Some(Field::Indicator(0, IndicatorField::Score)),
            ),
            (
                "≤10万元 against 120000元",
                |f| {
                    f.indicators[8].target = "≤10万元".into();
                    f.indicators[8].actual = "120000元".into();
                },
                "unit-converted",
                Some(Field::Indicator(8, IndicatorField::Actual)),
            ),
            (
                "% against a count",
                |f| f.indicators[3].actual = "27个".into(),
                "unit-mismatch",
                Some(Field::Indicator(3, IndicatorField::Actual)),
            ),
            (
                "a rate above 100%",
                |f| f.indicators[2].actual = "120%".into(),
                "rate-over-100",
                Some(Field::Indicator(2, IndicatorField::Actual)),
            ),
            (
                "a wrong budget score",
                |f| f.funds.score = Some(d("9.00")),
                "funds-score",
                Some(Field::FundsScore),
            ),
            (
                "no budget",
                |f| f.funds.total.as_mut().unwrap().budget = None,
                "funds-budget-missing",
                Some(Field::Funds(FundsRowKind::Total, FundsColumn::Budget)),
            ),
            (
                "a grade that does not match",
                |f| f.grade = Some("良".into()),
                "grade-mismatch",
                Some(Field::Grade),
            ),
            (
                "no project name",
                |f| f.project.clear(),
                "header-missing",
                Some(Field::Project),
            ),
            (
                "no year",
                |f| f.year = None,
                "year-missing",
                Some(Field::Year),
            ),
            (
                "a deadline missed at full marks",
                |f| f.indicators[6].actual = "5月".into(),
                "indicator-overstated",
                Some(Field::Indicator(6, IndicatorField::Score)),
            ),
            (
                "an unreadable actual value",
                |f| f.indicators[1].actual = "若干".into(),
                "actual-unreadable",
                Some(Field::Indicator(1, IndicatorField::Actual)),
            ),
            (
                "no indicators",
                |f| f.indicators.clear(),
                "indicators-missing",
                None,
            ),
            (
                "a missing score",
                |f| f.indicators[0].score = None,
                "score-missing",
                Some(Field::Indicator(0, IndicatorField::Score)),
            ),
        ];
        let base = sample(include_str!("../samples/000.json"));
        let before = findings(&base);
        for (what, edit, code, field) in cases {
            let mut form = base.clone();
            edit(&mut form);
            let after = findings(&form);
            let new: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
            assert!(
                new.iter().any(|f| f.code == *code && f.field == *field),
                "{what}: expected {code} at {field:?}, got {new:#?}"
            );
        }
    }

    #[test]
    fn a_wrong_execution_rate_shown_is_an_error() {
        let form = sample(include_str!("../samples/001.json"));
        let layout = Layout::for_year(form.year);
        let check_shown = |rate: &str| {
            let shown = Shown {
                execution_rate: Some(d(rate)),
            };
            check(&form, &shown, &review(&form), layout)
        };
        assert!(!check_shown("98.55").iter().any(|f| f.code == "funds-rate"));
        assert!(
            !check_shown("98.5").iter().any(|f| f.code == "funds-rate"),
            "rounded as shown"
        );
        let wrong = check_shown("99.00");
        let f = wrong.iter().find(|f| f.code == "funds-rate").unwrap();
        assert_eq!(f.field, Some(Field::FundsRate));
        assert!(
            f.message.contains("99.00%") && f.message.contains("98.55%"),
            "{}",
            f.message
        );
    }

    #[test]
    fn the_2020_tree_has_cost_under_output() {
        let mut form = sample(include_str!("../samples/000.json"));
        form.year = Some(2020);
        for i in &mut form.indicators {
            if i.level1 == "成本指标" {
                i.level1 = "产出指标".into();
                i.level2 = "成本指标".into();
            }
        }
        let all = findings(&form);
        assert!(!all.iter().any(|f| f.code.starts_with("tree")), "{all:#?}");
        form.year = Some(2024);
        let all = findings(&form);
        assert!(all.iter().any(|f| f.code == "tree-level2"), "{all:#?}");
    }

    #[test]
    fn characters_the_fonts_lack_are_named() {
        let mut form = sample(include_str!("../samples/000.json"));
        form.unit = "048019-北京艺术博物馆≒".into();
        form.indicators[2].actual = "100%😀".into();
        let all = findings(&form);
        let glyphs: Vec<_> = all.iter().filter(|f| f.code == "glyph-missing").collect();
        assert_eq!(glyphs.len(), 2, "{all:#?}");
        assert_eq!(glyphs[0].field, Some(Field::Unit));
        assert!(
            glyphs[0].message.contains("“≒”（U+2252）"),
            "{}",
            glyphs[0].message
        );
        assert_eq!(
            glyphs[1].field,
            Some(Field::Indicator(2, IndicatorField::Actual))
        );
        assert!(
            glyphs[1].message.contains("U+1F600"),
            "{}",
            glyphs[1].message
        );
        // Rare characters of names are drawn.
        form.unit = "喆堃玥昇镕赟璟".into();
        form.indicators[2].actual = "100%".into();
        assert!(!findings(&form).iter().any(|f| f.code == "glyph-missing"));
    }

    #[test]
    fn placeholders() {
        for name in ["指标1", "指标 2", "三级指标3", "指标一", "……", "...", "XXX"] {
            assert!(is_placeholder(name), "{name}");
        }
        for name in ["运维系统数量", "指标体系完善度", "1号指标", ""] {
            assert!(!is_placeholder(name), "{name}");
        }
    }
}
