//! Validation: a form and its review in, findings out.
//!
//! Every check of SPEC.md "Validation". A finding is data (a code of the catalogue, the field
//! it concerns and a message that tells the filer what to fix): the checks here decide what is
//! wrong and say it as typed data ([`crate::message`]), which writes the Chinese; nothing here
//! fails.

use rust_decimal::Decimal;

use crate::message::{
    DepartmentMessage, FormMessage, FundsMessage, IndicatorMessage, IndicatorName, Message,
    Scoring, TreeMessage, TreeRow,
};
use crate::model::{
    Field, Form, FormKind, FundsColumn, FundsRowKind, Indicator, IndicatorField, Shown, TaskField,
    is_blank,
};
use crate::score::{
    Assessment, Grade, Measure, Method, Review, UnitNote, parse_value, round_like, round2,
};
use crate::vocabulary::{self, Tree, fold};

pub use crate::finding::{Code, Finding, Severity};

/// The tolerance of the funds sums (the forms show six decimals).
fn funds_tolerance() -> Decimal {
    Decimal::new(1, 6)
}

/// True for a template's placeholder row: `指标1`, `三级指标2`, `……`, `XXX`.
fn is_placeholder(name: &str) -> bool {
    vocabulary::get().placeholders.is_placeholder(name)
}

/// True for a target that reads as a quantity to a person but not to the rules: a comparison
/// or percentage with a number in figures or Chinese numerals (`≥五个`, `90%-100%`, `±5%`).
/// Text that merely mentions numbers (`服务器设备27，网络设备5`) is not.
fn looks_quantitative(target: &str) -> bool {
    let t = fold::spaceless(target);
    let numeral = t
        .chars()
        .any(|c| c.is_ascii_digit() || "０１２３４５６７８９一二三四五六七八九十百两".contains(c));
    let (sign, _) = vocabulary::get().sign_before(&t);
    numeral && (sign.is_some() || t.contains(['%', '％', '±', '≥', '≤', '>', '<']))
}

/// True for a text that gives no reason: `0`, `无`, `/` (a number is no reason either).
fn gives_no_reason(text: &str) -> bool {
    let t = fold::spaceless(text);
    is_blank(&t) || matches!(t.as_str(), "无" | "没有" | "暂无" | "无偏差") || is_number(&t)
}

/// True for a text that is only a number (`43.2`, `0`).
fn is_number(text: &str) -> bool {
    let t = fold::spaceless(text).replace(',', "");
    !t.is_empty() && t.parse::<Decimal>().is_ok()
}

/// Checks a form against the rules; `shown` is what its worksheet showed of derived values,
/// `review` is `score::review(form)`. The indicator tree is checked against the template the
/// form follows (either tree of the vocabulary, whatever its layout or year).
pub fn check(form: &Form, shown: &Shown, review: &Review) -> Vec<Finding> {
    let mut out = Vec::new();
    let scored = !form.is_unscored();
    check_header(form, &mut out);
    check_funds(form, shown, review, &mut out);
    if scored {
        check_weights(form, &mut out);
    } else {
        out.push(Finding::of_form(FormMessage::Unscored));
    }
    if form.indicators.is_empty() {
        out.push(Finding::of_form(FormMessage::IndicatorsMissing));
    }
    // A rubric (评价标准 per indicator, no target or actual anywhere) is said once, not as a
    // target and actual value missing on every row.
    let rubric = is_rubric(form);
    if rubric {
        out.push(Finding::of_form(FormMessage::Rubric));
    }
    let tree = form_tree(form);
    // A department form may list its indicators flat, without 一级/二级 (Chongqing): no tree
    // to check (reading said once that the columns are not there).
    let flat = form.kind == FormKind::Department
        && form
            .indicators
            .iter()
            .all(|i| i.level1.trim().is_empty() && i.level2.trim().is_empty());
    for (i, (indicator, assessment)) in form.indicators.iter().zip(&review.indicators).enumerate() {
        let mut found = IndicatorFindings {
            index: i,
            who: IndicatorName::new(i, &indicator.name),
            out: &mut out,
        };
        if !flat {
            check_tree(indicator, tree, &mut found);
        }
        check_name(indicator, &mut found);
        if !rubric {
            check_target(indicator, assessment, shown.unit_column, &mut found);
        }
        if scored {
            check_score(indicator, assessment, &mut found);
        }
    }
    check_branches(shown, tree, &mut out);
    check_subtotals(form, shown, &mut out);
    if scored {
        check_total(form, review, &mut out);
    }
    if form.kind == FormKind::Department {
        check_department(form, shown, &mut out);
    }
    check_glyphs(form, &mut out);
    out
}

/// Scores printed on breakdown rows: min(C / basis, 1) × the row's 分值 (the block's when the
/// row prints none), compared at two decimals.
fn check_row_scores(form: &Form, shown: &Shown, out: &mut Vec<Finding>) {
    let basis = shown.rate_basis();
    for printed in &shown.row_scores {
        let Some(row) = form.funds.row(printed.row) else {
            continue;
        };
        let (Some(executed), Some(budget)) = (row.executed, row.get(basis)) else {
            continue;
        };
        let Some(ratio) = crate::score::ratio(executed, budget) else {
            continue;
        };
        let weight = printed
            .weight
            .or(form.funds.weight)
            .unwrap_or_else(crate::score::default_funds_weight);
        let capped = ratio.clamp(Decimal::ZERO, Decimal::ONE);
        let computed = round2(capped.saturating_mul(weight));
        if computed == printed.score {
            continue;
        }
        out.push(Finding::at_cell(
            printed.cell,
            DepartmentMessage::RowScore {
                row: printed.row,
                basis,
                declared: printed.score,
                rate: round2(crate::score::percent(ratio)),
                computed,
            },
        ));
    }
}

/// Rates printed on breakdown rows: compared with C / basis at two decimals where the row has
/// both figures; said where it has none (Jiangxi prints rates only) or the rate passes 100 %.
fn check_row_rates(form: &Form, shown: &Shown, out: &mut Vec<Finding>) {
    let basis = shown.rate_basis();
    for printed in &shown.row_rates {
        let row = form.funds.row(printed.row);
        let figures = row.and_then(|r| Some((r.executed?, r.get(basis)?)));
        let computed = figures
            .and_then(|(executed, budget)| crate::score::ratio(executed, budget))
            .map(|ratio| round2(crate::score::percent(ratio)));
        // Figures that agree (an overspent row is said at its 执行数), or a basis of zero.
        let agrees = computed.is_some_and(|c| c == round2(printed.rate));
        if agrees || (figures.is_some() && computed.is_none()) {
            continue;
        }
        out.push(Finding::at_cell(
            printed.cell,
            DepartmentMessage::RowRate {
                row: printed.row,
                declared: printed.rate.normalize(),
                computed,
            },
        ));
    }
}

/// What only a department form must get right: its breakdown by expenditure adds up to the
/// total (separately from the breakdown by income, which `check_funds_sums` checks), its
/// tasks spend no more than their budgets, and the 自评总分 of its header is its 总分.
fn check_department(form: &Form, shown: &Shown, out: &mut Vec<Finding>) {
    if form.funds.expenditure.is_some() {
        for (column, total, sum) in sums_missing_the_total(form, &FundsRowKind::EXPENDITURE) {
            out.push(Finding::about(
                Field::Funds(FundsRowKind::Total, column),
                DepartmentMessage::BreakdownSum { column, total, sum },
            ));
        }
    }
    check_row_scores(form, shown, out);
    check_row_rates(form, shown, out);
    for (index, task) in form.tasks.iter().enumerate() {
        if let (Some(budget), Some(executed)) = (task.budget, task.executed)
            && executed > budget
        {
            out.push(Finding::about(
                Field::Task(index, TaskField::Executed),
                DepartmentMessage::TaskOverBudget {
                    index,
                    name: task.name.clone(),
                    budget,
                    executed,
                },
            ));
        }
    }
    if let (Some(header), Some(total)) = (shown.header_score, form.total_score)
        && header != total
    {
        out.push(Finding::about(
            Field::HeaderScore,
            DepartmentMessage::HeaderScore { header, total },
        ));
    }
}

/// Where the findings about one indicator go, and how they name it.
struct IndicatorFindings<'a> {
    index: usize,
    who: IndicatorName,
    out: &'a mut Vec<Finding>,
}

impl IndicatorFindings<'_> {
    /// Says `message` about the indicator's `field`.
    fn say(&mut self, field: IndicatorField, message: IndicatorMessage) {
        self.out.push(Finding::about(
            Field::Indicator(self.index, field),
            self.who.says(message),
        ));
    }
}

/// Every text field of the form with its place (and the indicator it belongs to).
fn text_fields(form: &Form) -> Vec<(Field, Option<IndicatorName>, &str)> {
    let mut fields = vec![
        (Field::Project, None, form.project.as_str()),
        (Field::Department, None, form.department.as_str()),
        (Field::Unit, None, form.unit.as_str()),
        (Field::Expected, None, form.goals.expected.as_str()),
        (Field::Achieved, None, form.goals.achieved.as_str()),
    ];
    if let Some(lead) = &form.lead {
        fields.push((Field::Lead, None, lead.as_str()));
    }
    if let Some(phone) = &form.phone {
        fields.push((Field::Phone, None, phone.as_str()));
    }
    for (i, ind) in form.indicators.iter().enumerate() {
        let parts = [
            (IndicatorField::Level1, ind.level1.as_str()),
            (IndicatorField::Level2, ind.level2.as_str()),
            (IndicatorField::Name, ind.name.as_str()),
            (IndicatorField::Target, ind.target.as_str()),
            (IndicatorField::Actual, ind.actual.as_str()),
            (IndicatorField::Deviation, ind.deviation.as_str()),
        ];
        for (f, text) in parts {
            let who = IndicatorName::new(i, &ind.name);
            fields.push((Field::Indicator(i, f), Some(who), text));
        }
    }
    fields
}

/// Characters the bundled fonts cannot draw: the PDF would show an empty box.
fn check_glyphs(form: &Form, out: &mut Vec<Finding>) {
    let metrics = crate::fonts::metrics(false);
    for (field, indicator, text) in text_fields(form) {
        let mut chars: Vec<char> = text.chars().filter(|c| !metrics.covers(*c)).collect();
        if chars.is_empty() {
            continue;
        }
        chars.dedup();
        chars.truncate(5);
        out.push(Finding::about(
            field,
            FormMessage::GlyphMissing {
                field,
                indicator,
                chars,
            },
        ));
    }
}

fn check_header(form: &Form, out: &mut Vec<Finding>) {
    match form.kind {
        FormKind::Project => {
            let required = [
                (Field::Project, &form.project),
                (Field::Department, &form.department),
                (Field::Unit, &form.unit),
            ];
            for (field, value) in required {
                if is_blank(value) {
                    out.push(Finding::about(field, FormMessage::HeaderMissing(field)));
                }
            }
        }
        // A department form names the department only: no 项目名称 or 实施单位 to miss.
        FormKind::Department => {
            if is_blank(&form.department) {
                out.push(Finding::about(
                    Field::Department,
                    DepartmentMessage::DepartmentMissing,
                ));
            }
        }
    }
    if form.year.is_none() {
        out.push(Finding::about(Field::Year, FormMessage::YearMissing));
    }
    let goals = [
        (Field::Expected, &form.goals.expected),
        (Field::Achieved, &form.goals.achieved),
    ];
    for (field, text) in goals {
        if is_blank(text) {
            out.push(Finding::about(field, FormMessage::GoalMissing(field)));
        }
    }
    for (field, text) in goals {
        if is_number(text) {
            let text = text.trim().to_string();
            out.push(Finding::about(
                field,
                FormMessage::GoalNotText { field, text },
            ));
        } else if vocabulary::get().placeholders.is_instruction(text) {
            let text = text.trim().to_string();
            let label = vocabulary::get().field_name(field);
            out.push(Finding::about(
                field,
                FormMessage::TemplateText { label, text },
            ));
        }
    }
}

fn check_funds(form: &Form, shown: &Shown, review: &Review, out: &mut Vec<Finding>) {
    let funds = &form.funds;
    let basis = shown.rate_basis();
    let budget_field = Field::Funds(FundsRowKind::Total, basis);
    match funds.figure(FundsRowKind::Total, basis) {
        None => out.push(Finding::about(
            budget_field,
            FundsMessage::BudgetMissing { budget: None },
        )),
        Some(b) if b <= Decimal::ZERO => out.push(Finding::about(
            budget_field,
            FundsMessage::BudgetMissing { budget: Some(b) },
        )),
        Some(_) => {
            if funds
                .figure(FundsRowKind::Total, FundsColumn::Executed)
                .is_none()
            {
                out.push(Finding::about(
                    Field::Funds(FundsRowKind::Total, FundsColumn::Executed),
                    FundsMessage::ExecutedMissing,
                ));
            }
        }
    }
    check_funds_sums(form, out);
    for kind in FundsRowKind::EVERY {
        let (Some(budget), Some(executed)) = (
            funds.figure(kind, basis),
            funds.figure(kind, FundsColumn::Executed),
        ) else {
            continue;
        };
        if executed > budget {
            out.push(Finding::about(
                Field::Funds(kind, FundsColumn::Executed),
                FundsMessage::Overspent {
                    row: kind,
                    basis,
                    budget,
                    executed,
                },
            ));
        }
    }
    check_budget_changes(form, out);
    check_funds_rate(form, shown, review, out);
    if crate::score::funds_scored(form) {
        check_funds_score(form, shown, review, out);
    }
}

/// The columns where the rows `parts` (one breakdown of the funds) do not add up to 年度资金总额
/// within the tolerance, with the total (when given) and their sum; a column none of them
/// fills is not compared.
fn sums_missing_the_total(
    form: &Form,
    parts: &[FundsRowKind],
) -> Vec<(FundsColumn, Option<Decimal>, Decimal)> {
    let funds = &form.funds;
    let tolerance = funds_tolerance() * funds.unit.per_wan_yuan();
    FundsColumn::ALL
        .into_iter()
        .filter(|&column| parts.iter().any(|k| funds.figure(*k, column).is_some()))
        .filter_map(|column| {
            let sum = crate::score::sum(parts.iter().filter_map(|k| funds.figure(*k, column)));
            let total = funds.figure(FundsRowKind::Total, column);
            let adds_up = total.is_some_and(|t| t.saturating_sub(sum).abs() <= tolerance);
            (!adds_up).then_some((column, total, sum))
        })
        .collect()
}

/// 年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金, column by column.
fn check_funds_sums(form: &Form, out: &mut Vec<Finding>) {
    for (column, total, sum) in sums_missing_the_total(form, &FundsRowKind::ALL[1..]) {
        out.push(Finding::about(
            Field::Funds(FundsRowKind::Total, column),
            FundsMessage::Sum { column, total, sum },
        ));
    }
}

/// The 执行率 shown, compared at the decimals shown, rounded once from the exact ratio; a rate
/// shown with fewer than the two decimals of the rules is a warning when they hide a
/// difference.
fn check_funds_rate(form: &Form, shown: &Shown, review: &Review, out: &mut Vec<Finding>) {
    let ratio = crate::score::execution_ratio_on(form, shown.rate_basis());
    if shown.rate_left_blank
        && let Some(rate) = review.execution_rate
    {
        out.push(Finding::about(
            Field::FundsRate,
            FundsMessage::RateMissing { rate },
        ));
        return;
    }
    let (Some(shown), Some(ratio), Some(rate)) =
        (shown.execution_rate, ratio, review.execution_rate)
    else {
        return;
    };
    if round_like(crate::score::percent(ratio), shown) != shown {
        out.push(Finding::about(
            Field::FundsRate,
            FundsMessage::Rate { shown, rate },
        ));
    } else if rate != shown {
        out.push(Finding::about(
            Field::FundsRate,
            FundsMessage::RateRounded { shown, rate },
        ));
    }
}

/// 得分 of the funds block: within 0..分值, and min(执行率, 100%) × 分值.
fn check_funds_score(form: &Form, shown: &Shown, review: &Review, out: &mut Vec<Finding>) {
    let funds = &form.funds;
    let ratio = crate::score::execution_ratio_on(form, shown.rate_basis());
    let weight = funds
        .weight
        .unwrap_or_else(crate::score::default_funds_weight);
    let message = match (funds.score, review.funds_score) {
        (Some(declared), _) if declared < Decimal::ZERO || declared > weight => {
            FundsMessage::ScoreRange { declared, weight }
        }
        // Scores are kept to two decimals: 9 for 8.62 is a wrong score, not a rounding.
        (Some(declared), Some(computed))
            if declared != computed
                && !(declared.scale() > 2
                    && ratio.is_some_and(|r| {
                        round_like(crate::score::execution_score(form, r), declared) == declared
                    })) =>
        {
            FundsMessage::Score {
                declared,
                weight,
                computed,
            }
        }
        (None, _) => FundsMessage::ScoreMissing,
        _ => return,
    };
    out.push(Finding::about(Field::FundsScore, message));
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
            out.push(Finding::about(
                Field::Funds(kind, FundsColumn::Budget),
                FundsMessage::BudgetAdjusted {
                    row: kind,
                    initial,
                    budget,
                    percent: round2(crate::score::percent(change)),
                },
            ));
        }
    }
}

fn check_weights(form: &Form, out: &mut Vec<Finding>) {
    if !crate::score::funds_scored(form) {
        out.push(Finding::of_form(FundsMessage::Unscored));
        return;
    }
    let funds = form.funds.weight.unwrap_or(Decimal::ZERO);
    let indicators = crate::score::sum(form.indicators.iter().filter_map(|i| i.weight));
    let sum = funds.saturating_add(indicators);
    if sum != Decimal::ONE_HUNDRED {
        out.push(Finding::of_form(FormMessage::WeightsSum {
            sum,
            funds,
            indicators,
        }));
    }
    if form.funds.weight.is_none() {
        out.push(Finding::about(
            Field::FundsWeight,
            FundsMessage::WeightMissing {
                usual: crate::score::default_funds_weight(),
            },
        ));
    }
}

/// True for a rubric: no indicator has a target or an actual value, and some has its 评价标准
/// or 指标说明.
fn is_rubric(form: &Form) -> bool {
    let values = form
        .indicators
        .iter()
        .any(|i| !is_blank(&i.target) || !is_blank(&i.actual));
    let rules = form
        .indicators
        .iter()
        .any(|i| !i.criteria.trim().is_empty() || !i.explanation.trim().is_empty());
    !values && rules
}

/// The tree a form follows: the vocabulary's tree of its kind that accepts the most of its
/// branches, the current one on a tie.
fn form_tree(form: &Form) -> &'static Tree {
    let trees: Vec<&'static Tree> = vocabulary::get().trees_for(form.kind).collect();
    let accepted = |t: &Tree| {
        form.indicators
            .iter()
            .filter(|i| t.has(&fold::spaceless(&i.level1), &fold::spaceless(&i.level2)))
            .count()
    };
    let mut best = trees[0];
    for &tree in &trees[1..] {
        if accepted(tree) > accepted(best) {
            best = tree;
        }
    }
    best
}

/// The indicator's 一级/二级 against the form's tree.
fn check_tree(indicator: &Indicator, tree: &'static Tree, found: &mut IndicatorFindings<'_>) {
    let row = TreeRow::Indicator(found.who.clone());
    if let Some(message) = tree_finding(row, &indicator.level1, &indicator.level2, tree) {
        let f = if message.code() == Code::TreeLevel1 {
            IndicatorField::Level1
        } else {
            IndicatorField::Level2
        };
        found
            .out
            .push(Finding::about(Field::Indicator(found.index, f), message));
    }
}

/// The 一级/二级 of rows that are not indicators, at their cells.
fn check_branches(shown: &Shown, tree: &'static Tree, out: &mut Vec<Finding>) {
    for b in &shown.branches {
        let row = TreeRow::Branch(fold::spaceless(&b.level2));
        if let Some(message) = tree_finding(row, &b.level1, &b.level2, tree) {
            out.push(Finding::at_cell(b.cell, message));
        }
    }
}

/// What is wrong with 一级 `level1` / 二级 `level2` of `row` in `tree`: a branch of the other
/// tree means the form mixes the two; a name of neither is not in the tree.
fn tree_finding(
    row: TreeRow,
    level1: &str,
    level2: &str,
    tree: &'static Tree,
) -> Option<TreeMessage> {
    let level1 = fold::spaceless(level1);
    let level2 = fold::spaceless(level2);
    if tree.has(&level1, &level2) {
        return None;
    }
    if level1.is_empty() {
        return Some(TreeMessage::Level1Missing { row });
    }
    // The other trees a form following `tree` might mix in: of a project tree, the project
    // trees (a department tree is no template of a project form).
    if let Some(other) = vocabulary::get()
        .trees_for(tree.kind)
        .find(|t| t.has(&level1, &level2))
    {
        return Some(TreeMessage::Mixed {
            row,
            level1,
            level2,
            other: &other.name,
            tree: &tree.name,
        });
    }
    let Some(group) = tree.group(&level1) else {
        return Some(TreeMessage::Level1Unknown {
            row,
            level1,
            tree: &tree.name,
            known: tree.groups.iter().map(|g| g.level1.as_str()).collect(),
        });
    };
    let expected = group.level2.as_slice();
    Some(if level2.is_empty() {
        TreeMessage::Level2Missing {
            row,
            level1,
            expected,
        }
    } else {
        match tree.parent_of(&level2) {
            Some(parent) => TreeMessage::Level2Misplaced {
                level1,
                level2,
                parent,
                tree: &tree.name,
            },
            None => TreeMessage::Level2Unknown {
                level1,
                level2,
                tree: &tree.name,
                expected,
            },
        }
    })
}

/// The 三级 name: present, not a template placeholder, no template mark left in it.
fn check_name(indicator: &Indicator, found: &mut IndicatorFindings<'_>) {
    let name = indicator.name.trim();
    let message = if is_blank(name) {
        Message::Tree(TreeMessage::Level2Empty {
            level2: fold::spaceless(&indicator.level2),
        })
    } else if is_placeholder(name) {
        found.who.says(IndicatorMessage::NamePlaceholder)
    } else if let Some(mark) = vocabulary::get().placeholders.mark_in(name) {
        found.who.says(IndicatorMessage::NameTemplate {
            mark: mark.to_string(),
        })
    } else {
        return;
    };
    found.out.push(Finding::about(
        Field::Indicator(found.index, IndicatorField::Name),
        message,
    ));
}

/// Subtotals printed in 一级 cells (`产出指标(50分)`) against the 分值 under them.
fn check_subtotals(form: &Form, shown: &Shown, out: &mut Vec<Finding>) {
    for subtotal in &shown.subtotals {
        let sum = crate::score::sum(
            form.indicators
                .iter()
                .filter(|i| fold::spaceless(&i.level1) == subtotal.level1)
                .filter_map(|i| i.weight),
        );
        if sum != subtotal.points {
            let finding = Finding::at_cell(
                subtotal.cell,
                TreeMessage::SubtotalMismatch {
                    level1: subtotal.level1.clone(),
                    points: subtotal.points,
                    sum,
                },
            );
            let first = form
                .indicators
                .iter()
                .position(|i| fold::spaceless(&i.level1) == subtotal.level1);
            out.push(match first {
                Some(i) => finding.on(Field::Indicator(i, IndicatorField::Level1)),
                None => finding,
            });
        }
    }
}

/// True for an actual value written the way a target is, with its comparison (`≥266米`,
/// `90%以上`): what was required, not what was reached.
fn written_as_bound(actual: &str) -> bool {
    let v = vocabulary::get();
    let figure = fold::figure(actual);
    let bound = |(op, rest): (Option<vocabulary::Op>, &str)| {
        op.is_some() && rest.chars().any(|c| c.is_ascii_digit())
    };
    bound(v.sign_before(&figure)) || bound(v.sign_after(&figure))
}

/// A quantity's unit left out on one side: the other side's is taken (`≥50个` against `50`).
fn unit_omitted(target: &str, actual: &str) -> Option<(String, IndicatorField)> {
    let (Measure::Quantity(t), Measure::Quantity(a)) = (parse_value(target), parse_value(actual))
    else {
        return None;
    };
    match (&t.unit, &a.unit) {
        (Some(u), None) => Some((u.name.clone(), IndicatorField::Actual)),
        (None, Some(u)) => Some((u.name.clone(), IndicatorField::Target)),
        _ => None,
    }
}

/// The target and the actual value: units, placeholders and template marks, whether the
/// actual value can be compared, rates above 100 %.
fn check_target(
    indicator: &Indicator,
    a: &Assessment,
    unit_column: bool,
    found: &mut IndicatorFindings<'_>,
) {
    let (target, actual) = (indicator.target.trim(), indicator.actual.trim());
    if !unit_column && let Some((unit, side)) = unit_omitted(target, actual) {
        found.say(
            side,
            IndicatorMessage::UnitOmitted {
                side,
                unit,
                target: target.to_string(),
                actual: actual.to_string(),
            },
        );
    }
    let units = |target_unit: &String, actual_unit: &String, converted| IndicatorMessage::Units {
        target: target.to_string(),
        actual: actual.to_string(),
        target_unit: target_unit.clone(),
        actual_unit: actual_unit.clone(),
        converted,
    };
    match &a.unit_note {
        Some(UnitNote::Mismatch {
            target: tu,
            actual: au,
        }) => found.say(IndicatorField::Actual, units(tu, au, false)),
        Some(UnitNote::Converted {
            target: tu,
            actual: au,
        }) => found.say(IndicatorField::Actual, units(tu, au, true)),
        None => {}
    }
    if is_blank(actual) && is_blank(target) {
        found.say(
            IndicatorField::Actual,
            IndicatorMessage::TargetActualMissing,
        );
    } else if is_blank(actual) {
        found.say(IndicatorField::Actual, IndicatorMessage::ActualMissing);
    } else if written_as_bound(actual) {
        found.say(
            IndicatorField::Actual,
            IndicatorMessage::ActualBound {
                actual: actual.to_string(),
            },
        );
    } else if a.actual_unreadable {
        found.say(
            IndicatorField::Actual,
            IndicatorMessage::ActualUnreadable {
                target: target.to_string(),
                actual: actual.to_string(),
                method: a.method,
            },
        );
    }
    let rate_like = indicator.name.contains('率') || indicator.name.contains("满意度");
    if rate_like && a.actual_percent.is_some_and(|p| p > Decimal::ONE_HUNDRED) {
        let actual = actual.to_string();
        found.say(
            IndicatorField::Actual,
            IndicatorMessage::RateOver100 { actual },
        );
    }
    let message = if matches!(parse_value(target), Measure::Text) && is_placeholder(target) {
        IndicatorMessage::TargetPlaceholder {
            target: target.to_string(),
        }
    } else if let Some(mark) = vocabulary::get().placeholders.mark_in(target) {
        IndicatorMessage::TargetTemplate {
            target: target.to_string(),
            mark: mark.to_string(),
        }
    } else if a.method == Method::Qualitative && looks_quantitative(target) {
        IndicatorMessage::TargetNotComputable {
            target: target.to_string(),
        }
    } else {
        return;
    };
    found.say(IndicatorField::Target, message);
}

/// 分值 and 得分 against the rules, and the deviation text a score below 分值 needs.
fn check_score(indicator: &Indicator, a: &Assessment, found: &mut IndicatorFindings<'_>) {
    let Some(weight) = indicator.weight else {
        found.say(IndicatorField::Weight, IndicatorMessage::WeightMissing);
        return;
    };
    let Some(declared) = indicator.score else {
        found.say(IndicatorField::Score, IndicatorMessage::ScoreMissing);
        return;
    };
    if declared < Decimal::ZERO || declared > weight {
        found.say(
            IndicatorField::Score,
            IndicatorMessage::ScoreRange { declared, weight },
        );
        return;
    }
    if let Some(computed) = a.computed
        && declared > computed
    {
        let scoring = Scoring {
            method: a.method,
            target: indicator.target.trim().to_string(),
            actual: indicator.actual.trim().to_string(),
            weight,
            deadline_met: a.deadline_met,
            overachievement: a.overachievement,
        };
        found.say(
            IndicatorField::Score,
            IndicatorMessage::Overstated {
                declared,
                computed,
                scoring,
            },
        );
        return;
    }
    let deviation = indicator.deviation.trim();
    if declared < weight {
        if gives_no_reason(deviation) {
            let written = (!is_blank(deviation)).then(|| deviation.to_string());
            found.say(
                IndicatorField::Deviation,
                IndicatorMessage::DeviationMissing {
                    declared,
                    weight,
                    written,
                },
            );
        } else if a.computed.is_none_or(|c| declared < c) {
            found.say(
                IndicatorField::Score,
                IndicatorMessage::Deduction {
                    declared,
                    computed: a.computed,
                    method: a.method,
                    weight,
                    reason: deviation.to_string(),
                },
            );
        }
    } else if is_number(deviation) {
        found.say(
            IndicatorField::Deviation,
            IndicatorMessage::DeviationNotText {
                deviation: deviation.to_string(),
            },
        );
    }
}

/// A zero with the decimals of `declared`, two at least: what a written score is compared at.
fn at_least_cents(declared: Decimal) -> Decimal {
    Decimal::new(0, declared.scale().max(2))
}

fn check_total(form: &Form, review: &Review, out: &mut Vec<Finding>) {
    let total = review.total;
    match form.total_score {
        None => out.push(Finding::about(
            Field::TotalScore,
            FormMessage::TotalMissing { total },
        )),
        // Compared at two decimals at least, as the scores are: `100` for 99.78 (or `90` for
        // 89.60, which turns 良 into 优) is wrong, not rounded.
        Some(declared) if round_like(total, at_least_cents(declared)) != declared => {
            out.push(Finding::about(
                Field::TotalScore,
                FormMessage::TotalMismatch {
                    declared,
                    total,
                    funds: form.funds.score.unwrap_or(Decimal::ZERO),
                },
            ));
        }
        Some(_) => {}
    }
    if let Some(written) = &form.grade {
        let total = form.total_score.unwrap_or(review.total);
        let message = match Grade::parse(written) {
            None => FormMessage::GradeUnknown {
                written: written.clone(),
            },
            Some(g) if g != Grade::of(total) => FormMessage::GradeMismatch { written: g, total },
            Some(_) => return,
        };
        out.push(Finding::about(Field::Grade, message));
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
                .filter(|f| f.code.as_str().starts_with("tree"))
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
