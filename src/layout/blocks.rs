//! The blocks of the form, one function each, over the table's columns keyed by role: the
//! lines around the title, the title, the header, the funds block, the goals, the indicators,
//! the total, the closing rows, the notes and the sign-off. Each appends its rows to the
//! draft; none knows where pages break.
//!
//! Every figure shown is the figure as filed: a live formula stands in a cell only where it
//! gives that very figure (a consistent form), and a cell the form leaves empty stays empty.
//! What jixiao computes has places of its own: 执行率 (C/B, which the form data does not hold)
//! and Σ分值 here; the scores by the rules in the 审核意见 sheet ([`super::lists`]).

use rust_decimal::Decimal;

use super::draft::{
    Builder, DraftValidation, Kind, Options, Place, Role, TemplateData, cell_ref, text_value,
};
use super::grid::{HAlign, Value};
use super::spec::{LinePlace, Template};
use crate::error::Result;
use crate::model::{
    AmountUnit, Field, Form, FormKind, FundsColumn, FundsRow, FundsRowKind, Indicator,
    IndicatorField,
};
use crate::report::Report;
use crate::vocabulary::Column;
use crate::vocabulary::{self, FundsHeader};

/// Lays out every block of `form` (a blank form with `blank_rows` indicator rows when there
/// is no `report`).
pub(super) fn lay_out(
    b: &mut Builder<'_>,
    form: &Form,
    report: Option<&Report>,
    options: &Options,
    blank_rows: usize,
    data: &TemplateData<'_>,
) -> Result<()> {
    lines(b, LinePlace::Above, data)?;
    title(b, data)?;
    lines(b, LinePlace::Below, data)?;
    header(b, form);
    let funds = funds(b, form, report);
    goals(b, form);
    let table = indicators(b, form, report, blank_rows)?;
    total(b, form, report, &funds, &table);
    closing(b, data)?;
    notes(b);
    signoff(b, form, options);
    Ok(())
}

/// Where the label columns end: the 二级 column, where the funds rows' labels and the goals'
/// texts start.
fn labels_end(b: &Builder<'_>) -> u16 {
    b.columns.at(Column::Level2)
}

/// Where the right half of the form starts.
fn middle(b: &Builder<'_>) -> u16 {
    b.columns.at(b.layout.table.middle)
}

/// Spreads `count` cells over the width: the columns each starts at and covers.
fn spread(columns: u16, count: usize) -> Vec<(u16, u16)> {
    let count = count.clamp(1, columns as usize) as u16;
    let each = columns / count;
    (0..count)
        .map(|k| {
            let col = k * each;
            let cols = if k + 1 == count { columns - col } else { each };
            (col, cols)
        })
        .collect()
}

/// The lines of text outside the table at `place` (corner cells).
fn lines(b: &mut Builder<'_>, place: LinePlace, data: &TemplateData<'_>) -> Result<()> {
    let n = b.columns.count();
    for i in 0..b.layout.lines.len() {
        if b.layout.lines[i].place != place {
            continue;
        }
        let mut texts = Vec::new();
        for (k, align) in [HAlign::Left, HAlign::Center, HAlign::Right]
            .into_iter()
            .enumerate()
        {
            let text = b.render(Template::Line(i, k), data)?;
            if !text.trim().is_empty() {
                texts.push((text, align));
            }
        }
        if texts.is_empty() {
            continue;
        }
        let r = b.row(Kind::Plain, true);
        for ((text, align), (col, cols)) in texts.iter().zip(spread(n, texts.len())) {
            b.put(r, col, cols, Value::Text(text.clone()), Role::Line(*align));
        }
    }
    Ok(())
}

/// The title and the year line; the year is the title's when there is no year line.
fn title(b: &mut Builder<'_>, data: &TemplateData<'_>) -> Result<()> {
    let n = b.columns.count();
    let title = b.render(Template::Title, data)?;
    let r = b.row(Kind::Plain, true);
    b.field(Field::Year, r, 0, n, Value::Text(title), Role::Title);
    let year_line = b.render(Template::YearLine, data)?;
    let has_line = !b.layout.title.year_line.trim().is_empty();
    if has_line {
        let r = b.row(Kind::Plain, true);
        let value = b.text(&year_line);
        b.field(Field::Year, r, 0, n, value, Role::Subtitle);
    }
    Ok(())
}

/// 项目名称; 主管部门 | 实施单位; (项目负责人 | 联系电话). A department layout: the
/// department's name; (联系人 | 联系电话).
fn header(b: &mut Builder<'_>, form: &Form) {
    if b.layout.kind == FormKind::Department {
        return department_header(b, form);
    }
    let n = b.columns.count();
    let (labels, mid) = (labels_end(b), middle(b));
    // The right-hand label takes two columns when the value still has two.
    let right_label = if n - mid >= 4 { 2 } else { 1 };
    let h = b.layout.header.clone();
    let r = b.row(Kind::Plain, true);
    b.put(r, 0, labels, Value::Text(h.project), Role::Label);
    let value = b.text(&form.project);
    b.field(
        Field::Project,
        r,
        labels,
        n - labels,
        value,
        Role::ValueLeft,
    );
    let mut pairs = vec![(
        (h.department, Field::Department, form.department.clone()),
        (h.unit, Field::Unit, form.unit.clone()),
    )];
    if let (Some(lead), Some(phone)) = (h.lead, h.phone) {
        pairs.push((
            (lead, Field::Lead, form.lead.clone().unwrap_or_default()),
            (phone, Field::Phone, form.phone.clone().unwrap_or_default()),
        ));
    }
    for ((left, left_field, left_value), (right, right_field, right_value)) in pairs {
        let r = b.row(Kind::Plain, true);
        b.put(r, 0, labels, Value::Text(left), Role::Label);
        let value = b.text(&left_value);
        b.field(left_field, r, labels, mid - labels, value, Role::ValueLeft);
        b.put(r, mid, right_label, Value::Text(right), Role::Label);
        let value = b.text(&right_value);
        let from = mid + right_label;
        b.field(right_field, r, from, n - from, value, Role::ValueLeft);
    }
    if let Some(both) = h.lead_phone {
        // 项目负责人及电话: the name, then the number, in one cell (the reader splits them at
        // the number).
        let r = b.row(Kind::Plain, true);
        b.put(r, 0, labels, Value::Text(both), Role::Label);
        let parts: Vec<&str> = [form.lead.as_deref(), form.phone.as_deref()]
            .into_iter()
            .flatten()
            .filter(|t| !t.trim().is_empty())
            .collect();
        let value = b.text(&parts.join(" "));
        b.field(Field::Lead, r, labels, n - labels, value, Role::ValueLeft);
    }
}

/// The header of a department form: 部门（单位）名称 over the whole width, then 联系人 |
/// 联系电话 when the layout prints them.
fn department_header(b: &mut Builder<'_>, form: &Form) {
    let n = b.columns.count();
    let (labels, mid) = (labels_end(b), middle(b));
    let right_label = if n - mid >= 4 { 2 } else { 1 };
    let h = b.layout.header.clone();
    let r = b.row(Kind::Plain, true);
    b.put(r, 0, labels, Value::Text(h.department), Role::Label);
    let value = b.text(&form.department);
    b.field(
        Field::Department,
        r,
        labels,
        n - labels,
        value,
        Role::ValueLeft,
    );
    if let (Some(contact), Some(phone)) = (h.contact, h.phone) {
        let r = b.row(Kind::Plain, true);
        b.put(r, 0, labels, Value::Text(contact), Role::Label);
        let value = b.text(form.office.contact.as_deref().unwrap_or_default());
        b.field(
            Field::Contact,
            r,
            labels,
            mid - labels,
            value,
            Role::ValueLeft,
        );
        b.put(r, mid, right_label, Value::Text(phone), Role::Label);
        let value = b.text(form.phone.as_deref().unwrap_or_default());
        let from = mid + right_label;
        b.field(Field::Phone, r, from, n - from, value, Role::ValueLeft);
    }
}

/// Where the funds block's figures are, for the total's formula.
pub(super) struct FundsCells {
    /// The 年度资金总额 row.
    row: usize,
    /// The columns of 分值 and 得分.
    weight: u16,
    score: u16,
}

/// An amount in the layout's unit, shown with the decimals it was written with (six in
/// 万元 for an amount converted from 元, two at least in 元). One past what a decimal holds
/// in the layout's unit (no form that was read is) is shown as filed, with its unit.
fn amount(value: Decimal, from: AmountUnit, to: AmountUnit) -> Value {
    if from == to {
        return Value::number(value);
    }
    let Some(converted) = from.convert(value, to) else {
        return Value::Text(format!("{value}{from}"));
    };
    let decimals = match to {
        AmountUnit::Yuan => converted.scale().max(2),
        AmountUnit::WanYuan => converted.scale().max(value.scale() + 4).min(28),
    };
    Value::Number {
        value: converted,
        decimals,
    }
}

/// A live formula with the figure it gives.
fn formula(formula: String, result: Value) -> Value {
    Value::Formula {
        formula,
        result: Box::new(result),
    }
}

/// 项目资金: the label over the block, the column headers, one row per kind of funds.
fn funds(b: &mut Builder<'_>, form: &Form, report: Option<&Report>) -> FundsCells {
    let blank = report.is_none();
    let n = b.columns.count();
    let spec = b.layout.funds.clone();
    let labels = b.columns.at(spec.rows_at);
    // Each funds column from the table column it starts under to the next one.
    let starts: Vec<u16> = spec.columns.iter().map(|c| b.columns.at(c.at)).collect();
    let span_of = |k: usize| {
        let end = starts.get(k + 1).copied().unwrap_or(n);
        (starts[k], end - starts[k])
    };
    let col_of = |role: FundsHeader| {
        spec.columns
            .iter()
            .position(|c| c.role == role)
            .map(|k| starts[k])
    };
    let top = b.row(Kind::Plain, true);
    b.put(top, labels, starts[0] - labels, Value::Empty, Role::Label);
    for (k, c) in spec.columns.iter().enumerate() {
        let (col, cols) = span_of(k);
        b.put(top, col, cols, Value::Text(c.header.clone()), Role::Label);
    }
    let (budget_col, executed_col) = (
        col_of(FundsHeader::Budget).unwrap_or(0),
        col_of(FundsHeader::Executed).unwrap_or(0),
    );
    let mut total = FundsCells {
        row: top + 1,
        weight: col_of(FundsHeader::Weight).unwrap_or(0),
        score: col_of(FundsHeader::Score).unwrap_or(0),
    };
    for (i, row_spec) in spec.rows.iter().enumerate() {
        let kind = row_spec.role;
        let r = b.row(Kind::Plain, i + 1 < spec.rows.len());
        if kind == FundsRowKind::Total {
            total.row = r;
        }
        b.put(
            r,
            labels,
            starts[0] - labels,
            Value::Text(row_spec.label.clone()),
            Role::Label,
        );
        let row = FundsRowCells {
            kind,
            figures: form.funds.row(kind),
            budget: cell_ref(r, budget_col),
            executed: cell_ref(r, executed_col),
            weight: cell_ref(r, total.weight),
            blank,
            empty: Value::Text(spec.empty.clone()),
            unit: spec.unit,
        };
        for (k, c) in spec.columns.iter().enumerate() {
            let (col, cols) = span_of(k);
            match funds_cell(c.role, &row, form, report) {
                Some((value, Some(field), role)) => b.field(field, r, col, cols, value, role),
                Some((value, None, role)) => {
                    b.put(r, col, cols, value, role);
                }
                None => {}
            }
        }
    }
    let last = top + spec.rows.len();
    let label = Value::Text(spec.label.clone());
    b.span(top, last, 0, labels, label.clone(), label, Role::Label);
    total
}

/// What the cells of one row of the funds block are made from.
struct FundsRowCells<'f> {
    kind: FundsRowKind,
    /// The row's figures as filed.
    figures: Option<&'f FundsRow>,
    /// The draft references of the row's 全年预算数, 全年执行数 and 分值 cells.
    budget: String,
    executed: String,
    weight: String,
    /// A blank, fillable form.
    blank: bool,
    /// What an empty figure shows.
    empty: Value,
    /// The unit the block shows amounts in.
    unit: AmountUnit,
}

/// The cell of funds column `role` in `row`: its value, the field it shows and its role;
/// `None` for a column the block does not fill.
fn funds_cell(
    role: FundsHeader,
    row: &FundsRowCells<'_>,
    form: &Form,
    report: Option<&Report>,
) -> Option<(Value, Option<Field>, Role)> {
    let (kind, blank) = (row.kind, row.blank);
    let empty = || row.empty.clone();
    let money = match role {
        FundsHeader::Initial => Some(FundsColumn::Initial),
        FundsHeader::Budget => Some(FundsColumn::Budget),
        FundsHeader::Executed => Some(FundsColumn::Executed),
        _ => None,
    };
    if let Some(column) = money {
        let value = if blank {
            Value::Empty
        } else {
            match row.figures.and_then(|f| f.get(column)) {
                Some(v) => amount(v, form.funds.unit, row.unit),
                None => empty(),
            }
        };
        return Some((value, Some(Field::Funds(kind, column)), Role::ValueCenter));
    }
    let (budget, executed) = (&row.budget, &row.executed);
    let cell = match role {
        FundsHeader::Rate => {
            // 执行率 on every row where C/B is computable (a live formula); a dash elsewhere.
            let rate = format!("=IF(N({budget})>0,N({executed})/{budget},\"\")");
            let ratio = row
                .figures
                .and_then(|f| crate::score::ratio(f.executed?, f.budget?));
            let value = match ratio {
                Some(value) => formula(rate, Value::Percent { value, decimals: 2 }),
                None if blank => formula(rate, Value::Empty),
                None => empty(),
            };
            let field = (kind == FundsRowKind::Total).then_some(Field::FundsRate);
            (value, field, Role::ValueCenter)
        }
        // Only 年度资金总额 carries 分值, 得分 and 原因.
        _ if kind != FundsRowKind::Total => {
            let value = if blank || role == FundsHeader::Reason {
                Value::Empty
            } else {
                empty()
            };
            (value, None, Role::ValueCenter)
        }
        FundsHeader::Weight => {
            let value = match form.funds.weight {
                _ if blank => Value::Empty,
                Some(w) => Value::number(w),
                None => empty(),
            };
            (value, Some(Field::FundsWeight), Role::ValueCenter)
        }
        FundsHeader::Score => {
            let weight = &row.weight;
            let rule = format!(
                "=IF(N({budget})>0,ROUND(MIN(N({executed})/{budget},1)*N({weight}),2),\"\")"
            );
            let computed = report.and_then(|r| r.review.funds_score);
            let value = match form.funds.score {
                _ if blank => formula(rule, Value::Empty),
                // The figure as filed; live where the rule gives that very figure.
                Some(filed) if computed == Some(filed) => formula(rule, Value::number(filed)),
                Some(filed) => Value::number(filed),
                None => Value::Empty,
            };
            (value, Some(Field::FundsScore), Role::ValueCenter)
        }
        FundsHeader::Reason => (text_value(&form.funds.reason), None, Role::ValueLeft),
        _ => return None,
    };
    Some(cell)
}

/// 年度总体目标: the labels of the two texts, then the texts, in a row that may be split
/// between lines at a page break.
fn goals(b: &mut Builder<'_>, form: &Form) {
    let n = b.columns.count();
    let (labels, mid) = (labels_end(b), middle(b));
    let g = b.layout.goals.clone();
    let top = b.row(Kind::Plain, true);
    b.put(
        top,
        labels,
        mid - labels,
        Value::Text(g.expected),
        Role::Label,
    );
    b.put(top, mid, n - mid, Value::Text(g.achieved), Role::Label);
    let r = b.row(Kind::Text, false);
    let expected = b.text(&form.goals.expected);
    b.field(
        Field::Expected,
        r,
        labels,
        mid - labels,
        expected,
        Role::Text,
    );
    let achieved = b.text(&form.goals.achieved);
    b.field(Field::Achieved, r, mid, n - mid, achieved, Role::Text);
    let continued = g.continued.unwrap_or_else(|| g.label.clone());
    b.span(
        top,
        r,
        0,
        labels,
        Value::Text(g.label),
        Value::Text(continued),
        Role::Label,
    );
}

/// Where the indicator rows are, for the total's formulas.
pub(super) struct TableRows {
    first: usize,
    last: usize,
}

/// The end (exclusive) of the run of items from `start` for which `same` holds.
fn run_end(items: &[Indicator], start: usize, same: impl Fn(&Indicator) -> bool) -> usize {
    let mut end = start + 1;
    while end < items.len() && same(&items[end]) {
        end += 1;
    }
    end
}

/// `target` split for the columns `指标性质 | 指标值 | 度量单位` (`≥735人次` → `≥`, `735`,
/// `人次`) when the reader joins the parts back into exactly it; whole in the middle column
/// otherwise (`得到提高`).
fn split_target(target: &str) -> (String, String, String) {
    let v = vocabulary::get();
    let t = target.trim();
    let whole = || (String::new(), t.to_string(), String::new());
    // The longest sign at the start (`≥`, `>=`, `不低于`).
    let sign_len = t
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take(6)
        .filter(|&end| v.is_sign(&vocabulary::fold::label(&t[..end])).is_some())
        .last()
        .unwrap_or(0);
    let (sign, rest) = t.split_at(sign_len);
    let digits = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let (mut number, mut unit) = rest.split_at(digits);
    // `12.` is a number and a unit starting with a dot.
    if let Some(stripped) = number.strip_suffix('.') {
        number = stripped;
        unit = &rest[number.len()..];
    }
    if number.is_empty() {
        return whole();
    }
    let parts = (sign.to_string(), number.to_string(), unit.to_string());
    if v.join_target(&parts.0, &parts.1, &parts.2) == t {
        parts
    } else {
        whole()
    }
}

/// 绩效指标: the header, the indicators with 一级 and 二级 merged over their groups, the block
/// label down the first column.
fn indicators(
    b: &mut Builder<'_>,
    form: &Form,
    report: Option<&Report>,
    blank_rows: usize,
) -> Result<TableRows> {
    let layout = b.layout;
    let blank = report.is_none();
    let header = b.row(Kind::Header, true);
    for (k, c) in layout.table.columns.iter().enumerate() {
        if c.role != Column::Block {
            b.put(
                header,
                k as u16,
                1,
                Value::Text(c.header.clone()),
                Role::Header,
            );
        }
    }
    let blank_form_rows;
    let indicators: &[Indicator] = if blank {
        blank_form_rows = vec![Indicator::default(); blank_rows.max(1)];
        &blank_form_rows
    } else {
        &form.indicators
    };
    let first = b.draft.rows.len();
    for k in 0..indicators.len() {
        b.row(Kind::Indicator, k + 1 == indicators.len());
    }
    indicator_groups(b, indicators, first, report)?;
    indicator_cells(b, indicators, first);
    let (level1_col, level2_col) = (b.columns.at(Column::Level1), b.columns.at(Column::Level2));
    let last = first + indicators.len() - 1;
    let label = Value::Text(layout.indicators.label.clone());
    let continued = Value::Text(
        layout
            .indicators
            .continued
            .clone()
            .unwrap_or_else(|| layout.indicators.label.clone()),
    );
    b.span(header, last, 0, 1, label, continued, Role::Label);
    if blank {
        let groups = &layout.tree().groups;
        let level1: Vec<String> = groups.iter().map(|g| g.level1.clone()).collect();
        let level2: Vec<String> = groups.iter().flat_map(|g| g.level2.clone()).collect();
        for (col, items) in [(level1_col, level1), (level2_col, level2)] {
            b.draft.validations.push(DraftValidation {
                first,
                last,
                col,
                items,
            });
        }
    }
    Ok(TableRows { first, last })
}

/// The 一级 and 二级 cells of the `indicators` (draft rows from `first`), each merged over
/// its group; a 一级 cell shows its subtotal when the layout says so. A blank form's rows
/// are not grouped.
fn indicator_groups(
    b: &mut Builder<'_>,
    indicators: &[Indicator],
    first: usize,
    report: Option<&Report>,
) -> Result<()> {
    let layout = b.layout;
    let blank = report.is_none();
    let level1_col = b.columns.at(Column::Level1);
    let level2_col = b.columns.at(Column::Level2);
    let mut i = 0;
    while i < indicators.len() {
        let level1 = indicators[i].level1.trim();
        let end1 = run_end(indicators, i, |x| {
            x.level1.trim() == level1 && !blank && !level1.is_empty()
        });
        let shown = match &layout.indicators.subtotal {
            Some(_) if !level1.is_empty() => {
                // As filed when the workbook printed one (a wrong one stays wrong, its finding
                // pinned on it); else the 分值 under it.
                let points = report
                    .and_then(|r| r.filed_subtotal(level1))
                    .unwrap_or_else(|| {
                        crate::score::sum(indicators[i..end1].iter().filter_map(|x| x.weight))
                    });
                b.render(
                    Template::Subtotal,
                    &serde_json::json!({"level1": level1, "points": points.normalize().to_string()}),
                )?
            }
            _ => level1.to_string(),
        };
        group(
            b,
            first,
            i..end1,
            level1_col,
            IndicatorField::Level1,
            &shown,
        );
        let mut j = i;
        while j < end1 {
            let level2 = indicators[j].level2.trim();
            let end2 = run_end(&indicators[..end1], j, |x| {
                x.level2.trim() == level2 && !level2.is_empty()
            });
            group(
                b,
                first,
                j..end2,
                level2_col,
                IndicatorField::Level2,
                level2,
            );
            j = end2;
        }
        i = end1;
    }
    Ok(())
}

/// The cells of each of the `indicators` (draft rows from `first`) but 一级 and 二级, each
/// remembered as the field it shows.
fn indicator_cells(b: &mut Builder<'_>, indicators: &[Indicator], first: usize) {
    let layout = b.layout;
    for (k, ind) in indicators.iter().enumerate() {
        let r = first + k;
        let f = |field| Field::Indicator(k, field);
        for (c, spec) in layout.table.columns.iter().enumerate() {
            let col = c as u16;
            let (field, value, role) = match spec.role {
                // A level's points are printed in its 一级 cell by jixiao's layouts, not in a
                // column of their own.
                Column::Block
                | Column::Level1
                | Column::Level2
                | Column::Level1Weight
                | Column::Level2Weight => continue,
                Column::Name => (IndicatorField::Name, b.text(&ind.name), Role::ValueCenter),
                Column::Target => (
                    IndicatorField::Target,
                    b.text(&ind.target),
                    Role::ValueCenter,
                ),
                Column::TargetSign | Column::TargetValue | Column::TargetUnit => {
                    let (sign, number, unit) = split_target(&ind.target);
                    let part = match spec.role {
                        Column::TargetSign => sign,
                        Column::TargetValue => number,
                        _ => unit,
                    };
                    let value = b.text(&part);
                    if spec.role == Column::TargetValue {
                        b.field(
                            f(IndicatorField::Target),
                            r,
                            col,
                            1,
                            value,
                            Role::ValueCenter,
                        );
                    } else {
                        b.put(r, col, 1, value, Role::ValueCenter);
                    }
                    continue;
                }
                Column::Actual => (
                    IndicatorField::Actual,
                    b.text(&ind.actual),
                    Role::ValueCenter,
                ),
                Column::Weight => (
                    IndicatorField::Weight,
                    ind.weight.map_or(Value::Empty, Value::number),
                    Role::ValueCenter,
                ),
                Column::Score => (
                    IndicatorField::Score,
                    ind.score.map_or(Value::Empty, Value::number),
                    Role::ValueCenter,
                ),
                Column::Deviation => (
                    IndicatorField::Deviation,
                    b.text(&ind.deviation),
                    Role::ValueLeft,
                ),
                // The columns of Chongqing's list, written as read (no field of their own).
                Column::TargetAdjusted
                | Column::Coefficient
                | Column::Core
                | Column::Criteria
                | Column::Explanation => {
                    let shown = match spec.role {
                        Column::TargetAdjusted => ind.target_adjusted.clone(),
                        Column::Criteria => ind.criteria.clone(),
                        Column::Explanation => ind.explanation.clone(),
                        Column::Core => match ind.core {
                            Some(true) => "是".to_string(),
                            Some(false) => "否".to_string(),
                            None => String::new(),
                        },
                        _ => coefficient(ind),
                    };
                    let value = b.text(&shown);
                    b.put(r, col, 1, value, Role::ValueCenter);
                    continue;
                }
            };
            b.field(f(field), r, col, 1, value, role);
        }
    }
}

/// 得分系数 of an indicator: its 得分 as a share of its 分值 (`100%`), when it has both.
fn coefficient(ind: &Indicator) -> String {
    match (ind.score, ind.weight) {
        (Some(score), Some(weight)) if !weight.is_zero() => {
            let share = (score / weight * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            format!("{}%", share.normalize())
        }
        _ => String::new(),
    }
}

/// The 一级 or 二级 label of the indicators `group` (rows from `first_row`), merged over
/// them and repeated where the group goes on after a page break.
fn group(
    b: &mut Builder<'_>,
    first_row: usize,
    group: std::ops::Range<usize>,
    col: u16,
    field: IndicatorField,
    text: &str,
) {
    let value = b.text(text);
    let (top, bottom) = (first_row + group.start, first_row + group.end - 1);
    let s = b.span(top, bottom, col, 1, value.clone(), value, Role::ValueCenter);
    for k in group {
        b.draft
            .fields
            .insert(Field::Indicator(k, field), Place::Span(s, first_row + k));
    }
}

/// 总分: merged from the left edge; Σ分值 (computed: the form holds no such figure), the
/// total as filed and, when the form writes one, its grade in the cell after it.
fn total(
    b: &mut Builder<'_>,
    form: &Form,
    report: Option<&Report>,
    funds: &FundsCells,
    table: &TableRows,
) {
    let blank = report.is_none();
    let layout = b.layout;
    let n = b.columns.count();
    let r = b.row(Kind::Plain, false);
    let (weight, score) = (b.columns.at(Column::Weight), b.columns.at(Column::Score));
    let label_end = weight.min(score);
    b.put(
        r,
        0,
        label_end,
        Value::Text(layout.total.label.clone()),
        Role::Label,
    );
    let sum = |col: u16, funds_col: u16| {
        format!(
            "=N({})+SUM({}:{})",
            cell_ref(funds.row, funds_col),
            cell_ref(table.first, col),
            cell_ref(table.last, col)
        )
    };
    for col in label_end..n {
        if col == weight {
            let weights = crate::score::sum(
                form.funds
                    .weight
                    .into_iter()
                    .chain(form.indicators.iter().filter_map(|x| x.weight)),
            );
            let result = if blank {
                Value::Empty
            } else {
                Value::Number {
                    value: weights,
                    decimals: 2,
                }
            };
            b.put(
                r,
                col,
                1,
                formula(sum(weight, funds.weight), result),
                Role::ValueCenter,
            );
        } else if col == score {
            let scores = crate::score::sum(
                form.funds
                    .score
                    .into_iter()
                    .chain(form.indicators.iter().filter_map(|x| x.score)),
            );
            let rule = sum(score, funds.score);
            let value = match form.total_score {
                _ if blank => formula(rule, Value::Empty),
                // As filed; live where the scores shown add up to it.
                Some(filed) if filed == scores => formula(rule, Value::number(filed)),
                Some(filed) => Value::number(filed),
                None => Value::Empty,
            };
            b.field(Field::TotalScore, r, col, 1, value, Role::ValueCenter);
        } else if let Some(grade) = form.grade.as_ref().filter(|_| col == score + 1 && !blank) {
            // The grade as filed, beside the total (`总分 | 100 | 96 | 优`).
            let value = Value::Text(grade.clone());
            b.field(Field::Grade, r, col, 1, value, Role::ValueCenter);
        } else {
            b.put(r, col, 1, Value::Empty, Role::ValueCenter);
        }
    }
}

/// The rows after the table (`评价结论：`), each spread over the width.
fn closing(b: &mut Builder<'_>, data: &TemplateData<'_>) -> Result<()> {
    let n = b.columns.count();
    for i in 0..b.layout.closing.rows.len() {
        let count = b.layout.closing.rows[i].len();
        let r = b.row(Kind::Plain, false);
        for (k, (col, cols)) in spread(n, count).into_iter().enumerate() {
            let text = b.render(Template::Closing(i, k), data)?;
            b.put(r, col, cols, Value::Text(text), Role::Signoff);
        }
    }
    Ok(())
}

/// 填报注意事项, across the width.
fn notes(b: &mut Builder<'_>) {
    let n = b.columns.count();
    let r = b.row(Kind::Plain, false);
    let text = b.layout.notes.text.clone();
    b.put(r, 0, n, Value::Text(text), Role::Notes);
}

/// The sign-off block: each role with its name; the date and the seal's place.
fn signoff(b: &mut Builder<'_>, form: &Form, options: &Options) {
    let n = b.columns.count();
    let s = b.layout.signoff.clone();
    let names = |role: &str| {
        options
            .signoff
            .get(role)
            .or_else(|| form.signoff.get(role))
            .cloned()
            .unwrap_or_default()
    };
    let r = b.row(Kind::Plain, true);
    for (role, (col, cols)) in s.roles.iter().zip(spread(n, s.roles.len())) {
        let text = format!("{role}：{}", names(role));
        b.put(r, col, cols, Value::Text(text), Role::Signoff);
    }
    let date = options
        .date
        .clone()
        .or_else(|| form.signoff.get(&s.date).cloned())
        .unwrap_or_default();
    let r = b.row(Kind::Plain, false);
    let halves = spread(n, 2);
    let (col, cols) = halves[0];
    b.put(
        r,
        col,
        cols,
        Value::Text(format!("{}：{date}", s.date)),
        Role::Signoff,
    );
    let (col, cols) = halves[halves.len() - 1];
    b.put(
        r,
        col,
        cols,
        Value::Text(format!("{}：", s.seal)),
        Role::Signoff,
    );
    b.draft.seal = Some((r, col));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_what_the_reader_joins() {
        let cases = [
            ("≥735人次", ("≥", "735", "人次")),
            ("≤4.05万元", ("≤", "4.05", "万元")),
            ("100%", ("", "100", "%")),
            ("1套", ("", "1", "套")),
            (">=90%", (">=", "90", "%")),
            ("不低于95%", ("不低于", "95", "%")),
            ("6月前", ("", "6", "月前")),
            ("得到提高", ("", "得到提高", "")),
            ("≥ 95 %", ("", "≥ 95 %", "")),
            ("", ("", "", "")),
        ];
        for (target, (sign, number, unit)) in cases {
            let got = split_target(target);
            assert_eq!(
                (got.0.as_str(), got.1.as_str(), got.2.as_str()),
                (sign, number, unit),
                "{target}"
            );
            let v = vocabulary::get();
            if !target.is_empty() {
                assert_eq!(v.join_target(&got.0, &got.1, &got.2), target, "{target}");
            }
        }
    }

    #[test]
    fn amounts_convert_exactly_with_their_decimals() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let yuan = amount(d("18.950000"), AmountUnit::WanYuan, AmountUnit::Yuan);
        assert_eq!(yuan.display(), "189500.00");
        let wan = amount(d("189500.00"), AmountUnit::Yuan, AmountUnit::WanYuan);
        assert_eq!(wan.display(), "18.950000");
        let wan = amount(d("123.45"), AmountUnit::Yuan, AmountUnit::WanYuan);
        assert_eq!(wan.display(), "0.012345");
        assert_eq!(
            amount(d("7.5"), AmountUnit::WanYuan, AmountUnit::WanYuan).display(),
            "7.5"
        );
    }

    #[test]
    fn cells_spread_over_the_width() {
        assert_eq!(spread(9, 3), [(0, 3), (3, 3), (6, 3)]);
        assert_eq!(spread(9, 2), [(0, 4), (4, 5)]);
        assert_eq!(spread(2, 5), [(0, 1), (1, 1)]);
    }
}
