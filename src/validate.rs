//! Validation: a form and its review in, findings out.
//!
//! Every check of SPEC.md "Validation". A finding is data (a stable code, a severity, the field
//! it concerns and a Chinese message that tells the filer what to fix); nothing here fails.

use rust_decimal::Decimal;

use crate::model::{
    Field, Form, FundsColumn, FundsRowKind, Indicator, IndicatorField, Shown, is_blank,
};
use crate::score::{
    Assessment, Grade, Method, Review, UnitNote, Value, parse_value, round_like, round2,
};
use crate::vocabulary::{self, Tree, compact};

pub use crate::finding::{Finding, Severity};

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
    vocabulary::get().placeholders.is_placeholder(name)
}

/// True for a target that reads as a quantity to a person but not to the rules: a comparison
/// or percentage with a number in figures or Chinese numerals (`≥五个`, `90%-100%`, `±5%`).
/// Text that merely mentions numbers (`服务器设备27，网络设备5`) is not.
fn looks_quantitative(target: &str) -> bool {
    let t = compact(target);
    let numeral = t
        .chars()
        .any(|c| c.is_ascii_digit() || "０１２３４５６７８９一二三四五六七八九十百两".contains(c));
    let (sign, _) = vocabulary::get().sign_before(&t);
    numeral && (sign.is_some() || t.contains(['%', '％', '±', '≥', '≤', '>', '<']))
}

/// True for a text that gives no reason: `0`, `无`, `/` (a number is no reason either).
fn gives_no_reason(text: &str) -> bool {
    let t = compact(text);
    is_blank(&t) || matches!(t.as_str(), "无" | "没有" | "暂无" | "无偏差") || is_number(&t)
}

/// True for a text that is only a number (`43.2`, `0`).
fn is_number(text: &str) -> bool {
    let t = compact(text).replace(',', "");
    !t.is_empty() && t.parse::<Decimal>().is_ok()
}

/// Checks a form against the rules; `shown` is what its worksheet showed of derived values,
/// `review` is `score::review(form)`. The indicator tree is checked against the template the
/// form follows (either tree of the vocabulary, whatever its layout or year).
pub fn check(form: &Form, shown: &Shown, review: &Review) -> Vec<Finding> {
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
    let tree = form_tree(form);
    for (i, (indicator, assessment)) in form.indicators.iter().zip(&review.indicators).enumerate() {
        check_tree(i, indicator, tree, &mut out);
        check_name(i, indicator, &mut out);
        check_indicator(i, indicator, assessment, shown.unit_column, &mut out);
    }
    check_branches(shown, tree, &mut out);
    check_subtotals(form, shown, &mut out);
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
    for (field, name, text) in [
        (Field::Expected, "预期目标", &form.goals.expected),
        (Field::Achieved, "实际完成情况", &form.goals.achieved),
    ] {
        if is_number(text) {
            out.push(Finding::new(
                "goals-not-text",
                Severity::Warning,
                Some(field),
                format!(
                    "年度总体目标的{name}只填了数字“{}”：应写明目标及其完成情况的文字说明",
                    text.trim()
                ),
            ));
        }
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
        let tolerance = funds_tolerance() * funds.unit.per_wan_yuan();
        match total {
            Some(t) if t.saturating_sub(sum).abs() <= tolerance => {}
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

    check_budget_changes(form, out);

    // Compared at the decimals shown, rounded once from the exact ratio; a rate shown with
    // fewer than the two decimals of the rules is a warning when they hide a difference.
    let ratio = crate::score::execution_ratio(form);
    if let (Some(shown), Some(ratio), Some(rate)) =
        (shown.execution_rate, ratio, review.execution_rate)
    {
        if round_like(crate::score::percent(ratio), shown) != shown {
            out.push(Finding::new(
                "funds-rate",
                Severity::Error,
                Some(Field::FundsRate),
                format!("执行率填写为 {shown}%，按全年执行数(C) ÷ 全年预算数(B) 计算应为 {rate}%"),
            ));
        } else if rate != shown {
            out.push(Finding::new(
                "funds-rate-rounded",
                Severity::Warning,
                Some(Field::FundsRate),
                format!("执行率填写为 {shown}%，按规则应保留两位小数，为 {rate}%"),
            ));
        }
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
        // Scores are kept to two decimals: 9 for 8.62 is a wrong score, not a rounding.
        (Some(declared), Some(computed))
            if declared != computed
                && !(declared.scale() > 2
                    && ratio.is_some_and(|r| {
                        round_like(crate::score::execution_score(form, r), declared) == declared
                    })) =>
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

/// A 全年预算数 that moved far from the 年初预算数 (a fifth or more) with no reason given.
fn check_budget_changes(form: &Form, out: &mut Vec<Finding>) {
    if !form.funds.reason.trim().is_empty() {
        return;
    }
    for kind in FundsRowKind::ALL {
        let (Some(initial), Some(budget)) = (
            form.funds.figure(kind, FundsColumn::Initial),
            form.funds.figure(kind, FundsColumn::Budget),
        ) else {
            continue;
        };
        if initial <= Decimal::ZERO {
            continue;
        }
        let Some(change) = budget
            .checked_sub(initial)
            .and_then(|d| d.checked_div(initial))
        else {
            continue;
        };
        if change.abs() >= Decimal::new(2, 1) {
            let word = if change.is_sign_negative() {
                "减少"
            } else {
                "增加"
            };
            out.push(Finding::new(
                "funds-budget-adjusted",
                Severity::Info,
                Some(Field::Funds(kind, FundsColumn::Budget)),
                format!(
                    "{}的全年预算数(B) {budget} 比年初预算数 {initial} {word} {}%：预算调整幅度较大，请在偏差原因中说明",
                    row_label(kind),
                    round2(crate::score::percent(change.abs()))
                ),
            ));
        }
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

/// The tree a form follows: the vocabulary's tree that accepts the most of its branches,
/// the current one on a tie.
fn form_tree(form: &Form) -> &'static Tree {
    let trees = &vocabulary::get().trees;
    let accepted = |t: &Tree| {
        form.indicators
            .iter()
            .filter(|i| t.has(&compact(&i.level1), &compact(&i.level2)))
            .count()
    };
    let mut best = &trees[0];
    for tree in &trees[1..] {
        if accepted(tree) > accepted(best) {
            best = tree;
        }
    }
    best
}

/// The indicator's 一级/二级 against the form's tree.
fn check_tree(i: usize, indicator: &Indicator, tree: &Tree, out: &mut Vec<Finding>) {
    let label = indicator_label(i, indicator);
    if let Some((code, message)) = tree_finding(&label, &indicator.level1, &indicator.level2, tree)
    {
        let f = if code == "tree-level1" {
            IndicatorField::Level1
        } else {
            IndicatorField::Level2
        };
        out.push(Finding::new(
            code,
            Severity::Error,
            Some(Field::Indicator(i, f)),
            message,
        ));
    }
}

/// The 一级/二级 of rows that are not indicators, at their cells.
fn check_branches(shown: &Shown, tree: &Tree, out: &mut Vec<Finding>) {
    for b in &shown.branches {
        let label = format!("二级指标“{}”", compact(&b.level2));
        if let Some((code, message)) = tree_finding(&label, &b.level1, &b.level2, tree) {
            out.push(Finding::at(code, Severity::Error, b.cell, message));
        }
    }
}

/// What is wrong with 一级 `level1` / 二级 `level2` in `tree`: a branch of the other tree means
/// the form mixes the two; a name of neither is not in the tree. `label` names the row.
fn tree_finding(
    label: &str,
    level1: &str,
    level2: &str,
    tree: &Tree,
) -> Option<(&'static str, String)> {
    let level1 = compact(level1);
    let level2 = compact(level2);
    if tree.has(&level1, &level2) {
        return None;
    }
    if level1.is_empty() {
        return Some(("tree-level1", format!("{label}未填写一级指标")));
    }
    if let Some(other) = vocabulary::get()
        .trees
        .iter()
        .find(|t| t.has(&level1, &level2))
    {
        return Some((
            "tree-mixed",
            format!(
                "{label}按“{}”填在“{level1} / {level2}”下，而本表其他指标按“{}”填写：同一张表只能用一种指标体系",
                other.name, tree.name
            ),
        ));
    }
    let Some(group) = tree.group(&level1) else {
        let known: Vec<&str> = tree.groups.iter().map(|g| g.level1.as_str()).collect();
        return Some((
            "tree-level1",
            format!(
                "{label}的一级指标“{level1}”不在{}中（应为：{}）",
                tree.name,
                known.join("、")
            ),
        ));
    };
    let message = if level2.is_empty() {
        format!(
            "{label}未填写二级指标（“{level1}”下应为：{}）",
            group.level2.join("、")
        )
    } else {
        match tree.parent_of(&level2) {
            Some(parent) => format!(
                "二级指标“{level2}”属于一级指标“{parent}”，不应在“{level1}”下（{}）",
                tree.name
            ),
            None => format!(
                "二级指标“{level2}”不在{}中（“{level1}”下应为：{}）",
                tree.name,
                group.level2.join("、")
            ),
        }
    };
    Some(("tree-level2", message))
}

/// The 三级 name: present, not a template placeholder, no template mark left in it.
fn check_name(i: usize, indicator: &Indicator, out: &mut Vec<Finding>) {
    let field = Some(Field::Indicator(i, IndicatorField::Name));
    let name = indicator.name.trim();
    if is_blank(name) {
        out.push(Finding::new(
            "tree-level2-empty",
            Severity::Error,
            field,
            format!(
                "二级指标“{}”下没有三级指标：每个二级指标下应至少写一条三级指标",
                compact(&indicator.level2)
            ),
        ));
    } else if is_placeholder(name) {
        out.push(Finding::new(
            "indicator-placeholder",
            Severity::Error,
            field,
            format!(
                "第 {} 条指标“{name}”是模板的占位内容：请填写实际的三级指标，或删除该行",
                i + 1
            ),
        ));
    } else if let Some(mark) = vocabulary::get().placeholders.mark_in(name) {
        out.push(Finding::new(
            "indicator-name-template",
            Severity::Warning,
            field,
            format!("指标“{name}”的名称中还留有模板的“{mark}”：请填写实际内容"),
        ));
    }
}

/// Subtotals printed in 一级 cells (`产出指标(50分)`) against the 分值 under them.
fn check_subtotals(form: &Form, shown: &Shown, out: &mut Vec<Finding>) {
    for subtotal in &shown.subtotals {
        let sum = crate::score::sum(
            form.indicators
                .iter()
                .filter(|i| compact(&i.level1) == subtotal.level1)
                .filter_map(|i| i.weight),
        );
        if sum != subtotal.points {
            let finding = Finding::at(
                "subtotal-mismatch",
                Severity::Error,
                subtotal.cell,
                format!(
                    "一级指标“{}”标注为 {} 分，其下各三级指标的分值合计为 {sum}",
                    subtotal.level1, subtotal.points
                ),
            );
            let first = form
                .indicators
                .iter()
                .position(|i| compact(&i.level1) == subtotal.level1);
            out.push(match first {
                Some(i) => finding.on(Field::Indicator(i, IndicatorField::Level1)),
                None => finding,
            });
        }
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

/// A quantity's unit left out on one side: the other side's is taken (`≥50个` against `50`).
fn unit_omitted(target: &str, actual: &str) -> Option<(String, &'static str)> {
    let (Value::Quantity(t), Value::Quantity(a)) = (parse_value(target), parse_value(actual))
    else {
        return None;
    };
    match (&t.unit, &a.unit) {
        (Some(u), None) => Some((u.name.clone(), "实际完成值")),
        (None, Some(u)) => Some((u.name.clone(), "年度指标值")),
        _ => None,
    }
}

fn check_indicator(
    i: usize,
    indicator: &Indicator,
    a: &Assessment,
    unit_column: bool,
    out: &mut Vec<Finding>,
) {
    let label = indicator_label(i, indicator);
    let field = |f| Some(Field::Indicator(i, f));
    let (target, actual) = (indicator.target.trim(), indicator.actual.trim());
    if !unit_column && let Some((unit, side)) = unit_omitted(target, actual) {
        let (f, text) = if side == "实际完成值" {
            (IndicatorField::Actual, actual)
        } else {
            (IndicatorField::Target, target)
        };
        out.push(Finding::new(
            "unit-omitted",
            Severity::Warning,
            field(f),
            format!(
                "{label}的{side}“{text}”没有写单位，已按“{unit}”计分：请写明单位（年度指标值“{target}”，实际完成值“{actual}”）"
            ),
        ));
    }

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
    if is_blank(actual) {
        out.push(Finding::new(
            "actual-missing",
            Severity::Error,
            field(IndicatorField::Actual),
            format!("{label}未填写实际完成值"),
        ));
    } else if a.actual_unreadable {
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
    } else if let Some(mark) = vocabulary::get().placeholders.mark_in(target) {
        out.push(Finding::new(
            "target-template",
            Severity::Warning,
            field(IndicatorField::Target),
            format!("{label}的年度指标值“{target}”中还留有模板的“{mark}”：请填写实际内容"),
        ));
    } else if a.method == Method::Qualitative && looks_quantitative(target) {
        out.push(Finding::new(
            "target-not-computable",
            Severity::Warning,
            field(IndicatorField::Target),
            format!(
                "{label}的年度指标值“{target}”像是定量指标（区间、±、中文数字等），但不是可计算的形式，按定性指标处理，自评得分未按规则核对：请改写为“≥90%”“≤19万元”这样的形式，或人工核对得分"
            ),
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
    let deviation = indicator.deviation.trim();
    if declared < weight {
        if gives_no_reason(deviation) {
            let written = if is_blank(deviation) {
                "未填写偏差原因分析及改进措施".to_string()
            } else {
                format!("偏差原因分析及改进措施只写了“{deviation}”")
            };
            out.push(Finding::new(
                "deviation-missing",
                Severity::Error,
                field(IndicatorField::Deviation),
                format!(
                    "{label}得分 {declared} 低于分值 {weight}，但{written}：请说明未完成目标的原因及拟采取的措施"
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
    } else if is_number(deviation) {
        out.push(Finding::new(
            "deviation-not-text",
            Severity::Info,
            field(IndicatorField::Deviation),
            format!(
                "{label}的偏差原因分析及改进措施填写为“{deviation}”，不是文字说明：没有偏差时请留空"
            ),
        ));
    }
}

/// A zero with the decimals of `declared`, two at least: what a written score is compared at.
fn at_least_cents(declared: Decimal) -> Decimal {
    Decimal::new(0, declared.scale().max(2))
}

fn check_total(form: &Form, review: &Review, out: &mut Vec<Finding>) {
    match form.total_score {
        None => out.push(Finding::new(
            "total-missing",
            Severity::Warning,
            Some(Field::TotalScore),
            format!("未填写总分；各项得分合计为 {}", review.total),
        )),
        // Compared at two decimals at least, as the scores are: `100` for 99.78 (or `90` for
        // 89.60, which turns 良 into 优) is wrong, not rounded.
        Some(declared) if round_like(review.total, at_least_cents(declared)) != declared => {
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
        check(form, &Shown::default(), &review(form))
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
                |f| f.indicators[0].level1 = "管理指标".into(),
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
                "a total rounded to whole points (94.85 written as 95)",
                |f| f.total_score = Some(d("95")),
                "total-mismatch",
                Some(Field::TotalScore),
            ),
            (
                "a target that is a range",
                |f| f.indicators[1].target = "99%-100%".into(),
                "target-not-computable",
                Some(Field::Indicator(1, IndicatorField::Target)),
            ),
            (
                "a target in Chinese numerals",
                |f| f.indicators[0].target = "≥一年".into(),
                "target-not-computable",
                Some(Field::Indicator(0, IndicatorField::Target)),
            ),
            (
                "a target still holding the template's mark",
                |f| f.indicators[1].target = "≥**%".into(),
                "target-template",
                Some(Field::Indicator(1, IndicatorField::Target)),
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
        let check_shown = |rate: &str| {
            let shown = Shown {
                execution_rate: Some(d(rate)),
                ..Shown::default()
            };
            check(&form, &shown, &review(&form))
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
    fn either_tree_is_valid_in_any_year_but_not_both_at_once() {
        let mut form = sample(include_str!("../samples/000.json"));
        let cost: Vec<usize> = (0..form.indicators.len())
            .filter(|&i| form.indicators[i].level1 == "成本指标")
            .collect();
        assert!(cost.len() >= 2, "sample 000 has cost indicators");
        let trees = |form: &Form| -> Vec<Finding> {
            findings(form)
                .into_iter()
                .filter(|f| f.code.starts_with("tree"))
                .collect()
        };
        assert!(trees(&form).is_empty());
        // The 2020 template (成本指标 under 产出指标) in a 2024 form: that template, no error.
        for &i in &cost {
            form.indicators[i].level1 = "产出指标".into();
            form.indicators[i].level2 = "成本指标".into();
        }
        for year in [2019, 2024] {
            form.year = Some(year);
            assert!(trees(&form).is_empty(), "{year}: {:#?}", trees(&form));
        }
        // Mixing the two: the minority branch is the finding.
        form.indicators[cost[0]].level1 = "成本指标".into();
        form.indicators[cost[0]].level2 = "经济成本指标".into();
        let mixed = trees(&form);
        assert_eq!(mixed.len(), 1, "{mixed:#?}");
        assert_eq!(mixed[0].code, "tree-mixed");
        assert_eq!(
            mixed[0].field,
            Some(Field::Indicator(cost[0], IndicatorField::Level2))
        );
        // A name of neither tree.
        form.indicators[0].level2 = "满意度指标".into();
        assert!(trees(&form).iter().any(|f| f.code == "tree-level2"
            && f.field == Some(Field::Indicator(0, IndicatorField::Level2))));
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
