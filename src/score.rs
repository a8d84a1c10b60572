//! Scoring: the rules printed in the forms' own 填报注意事项.
//!
//! [`parse_value`] reads a 年度指标值 or 实际完成值 text into a quantity, a deadline or
//! qualitative text; [`review`] applies the rules to a whole form and returns a [`Review`].
//! All arithmetic is on [`Decimal`]; rates and scores are rounded half-up to 2 decimals.
//! No I/O, no findings: judging the form is `validate`'s job.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::model::{Form, FundsColumn, FundsRowKind, Indicator};

pub use crate::model::Grade;
pub use crate::vocabulary::Op;

/// What a unit measures; units of one family convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitFamily {
    /// `%`, `％`, `‰`.
    Percent,
    /// `元`, `千元`, `万元`, `亿元`.
    Money,
    /// Everything else (`个`, `人次`, `万人次`, `套` …): comparable only with the same base word.
    Count,
}

/// A unit after a number, e.g. `万元` or `人次`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The unit as written (normalised to half-width `%`).
    pub name: String,
    /// What it measures.
    pub family: UnitFamily,
    /// The word the unit counts, without a multiplier prefix (`元` for `万元`, `人次` for `万人次`).
    pub base: String,
    /// How many base units one unit is (`10000` for `万元`).
    pub scale: Decimal,
}

impl Unit {
    /// Reads a unit word; `None` when `s` cannot be a unit (digits, punctuation, too long).
    pub fn parse(s: &str) -> Option<Unit> {
        match s {
            "%" => return Some(Unit::percent("%", Decimal::ONE)),
            "‰" => return Some(Unit::percent("‰", Decimal::new(1, 1))),
            "" => return None,
            _ => {}
        }
        let len = s.chars().count();
        let unit_char = |c: char| {
            is_cjk(c)
                || c.is_ascii_alphabetic()
                || matches!(c, '/' | '²' | '³' | '㎡' | '·' | '*' | '×')
        };
        let starts_well = s
            .chars()
            .next()
            .is_some_and(|c| !matches!(c, '/' | '*' | '×'));
        if len > 8 || !s.chars().all(unit_char) || !starts_well {
            return None;
        }
        let (scale, base) = match s.chars().next() {
            Some('万') if len > 1 => (Decimal::from(10_000), &s['万'.len_utf8()..]),
            Some('亿') if len > 1 => (Decimal::from(100_000_000), &s['亿'.len_utf8()..]),
            Some('千') if len > 1 && s != "千克" && s != "千米" => {
                (Decimal::from(1_000), &s['千'.len_utf8()..])
            }
            _ => (Decimal::ONE, s),
        };
        let family = if base == "元" {
            UnitFamily::Money
        } else {
            UnitFamily::Count
        };
        Some(Unit {
            name: s.to_string(),
            family,
            base: base.to_string(),
            scale,
        })
    }

    fn percent(name: &str, scale: Decimal) -> Unit {
        Unit {
            name: name.to_string(),
            family: UnitFamily::Percent,
            base: "%".to_string(),
            scale,
        }
    }

    /// True when a value in `self` can be compared with one in `other`.
    pub fn compatible(&self, other: &Unit) -> bool {
        self.family == other.family && (self.family != UnitFamily::Count || self.base == other.base)
    }
}

/// A number with its operator and unit: `≥90%`, `≤4.05万元`, `1套`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// The operator; `None` for a bare value.
    pub op: Option<Op>,
    /// The number.
    pub number: Decimal,
    /// The unit; `None` for a bare number.
    pub unit: Option<Unit>,
}

/// A calendar point of a deadline: `12月`, `6月底`, `2020年6月4日`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The year, when written.
    pub year: Option<i32>,
    /// The month, 1–12.
    pub month: u8,
    /// The day, when written.
    pub day: Option<u8>,
}

/// A deadline or a completion date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// When.
    pub when: When,
    /// `<12月`: strictly before; everything else (`≤`, `前`, `底前`, a bare month) is "by".
    pub strict: bool,
}

/// A 年度指标值 or 实际完成值, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measure {
    /// One number with its operator and unit.
    Quantity(Quantity),
    /// A month or date (`≤12月`, `6月前`, `年底前`, `2020年6月4日`).
    Deadline(Deadline),
    /// Anything else: `得到提高`, `通过验收`, `服务器设备27，网络设备5`.
    Text,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FFFF}')
}

fn strip_prefix_op(s: &str) -> (Option<Op>, &str) {
    crate::vocabulary::get().sign_before(s)
}

fn strip_suffix_op(s: &str) -> (Option<Op>, &str) {
    crate::vocabulary::get().sign_after(s)
}

/// Splits a leading decimal number (sign, digits, `1,000` groups, one point) off `s`.
fn split_number(s: &str) -> Option<(Decimal, &str)> {
    let bytes = s.as_bytes();
    let mut digits = String::new();
    let mut i = 0;
    match bytes.first() {
        Some(b'-') => {
            digits.push('-');
            i = 1;
        }
        Some(b'+') => i = 1,
        _ => {}
    }
    let start = i;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => digits.push(char::from(bytes[i])),
            // A thousands separator: exactly three digits follow, then no more digits.
            b',' if i > start
                && bytes.len() >= i + 4
                && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit) => {}
            _ => break,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        digits.push('.');
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits.push(char::from(bytes[i]));
            i += 1;
        }
    }
    let number: Decimal = digits.parse().ok()?;
    Some((number, &s[i..]))
}

/// Parses a quantity: operator, one number, an optional unit, an optional `以上`/`以下`.
fn parse_quantity(s: &str) -> Option<Quantity> {
    let (prefix, rest) = strip_prefix_op(s);
    let (suffix, rest) = strip_suffix_op(rest);
    let op = match (prefix, suffix) {
        (Some(p), None) => Some(p),
        (None, s) => s,
        (Some(p), Some(s)) if p == s => Some(p),
        (Some(_), Some(_)) => return None,
    };
    let (number, unit_text) = split_number(rest)?;
    let unit = if unit_text.is_empty() {
        None
    } else {
        let unit_text = crate::vocabulary::get()
            .unit_alias(unit_text)
            .unwrap_or(unit_text);
        Some(Unit::parse(unit_text)?)
    };
    Some(Quantity { op, number, unit })
}

/// Words that mean "by the end of the year".
const YEAR_END: &[&str] = &[
    "年底前",
    "年底之前",
    "年底",
    "年末前",
    "年末",
    "年内",
    "年度内",
    "本年度内",
    "当年内",
];

/// Words after a month or date that mean "by".
const BY_SUFFIX: &[&str] = &[
    "底之前",
    "底以前",
    "底前",
    "之前",
    "以前",
    "前",
    "底",
    "内",
    "完成",
];

/// Parses a deadline: `≤12月`, `6月前`, `6月底前`, `年底前`, `2020年6月4日`, `2020-06-04`.
fn parse_deadline(s: &str) -> Option<Deadline> {
    let (op, rest) = strip_prefix_op(s);
    let strict = match op {
        None | Some(Op::Le) | Some(Op::Eq) => false,
        Some(Op::Lt) => true,
        Some(Op::Ge | Op::Gt) => return None,
    };
    // `6月底` and `6月前` are both read as by the end of June; `12月底前完成` and `年底前完成`
    // too.
    let mut body = rest;
    loop {
        if YEAR_END.contains(&body) {
            return Some(Deadline {
                when: When {
                    year: None,
                    month: 12,
                    day: Some(31),
                },
                strict,
            });
        }
        match BY_SUFFIX
            .iter()
            .find_map(|suffix| body.strip_suffix(suffix))
        {
            Some(shorter) => body = shorter,
            None => break,
        }
    }
    let when = parse_date(body)?;
    Some(Deadline { when, strict })
}

fn small_int(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `[YYYY年]M月[D日|D号]` or `YYYY-M-D` / `YYYY/M/D` / `YYYY.M.D`.
fn parse_date(s: &str) -> Option<When> {
    for sep in ['-', '/', '.'] {
        let parts: Vec<&str> = s.split(sep).collect();
        if parts.len() == 3 && parts[0].len() == 4 {
            let year = small_int(parts[0])? as i32;
            let month = small_int(parts[1])?;
            let day = small_int(parts[2])?;
            return when(Some(year), month, Some(day));
        }
    }
    let (year, rest) = match s.split_once('年') {
        Some((y, rest)) => {
            let y = small_int(y).filter(|y| (1900..=2200).contains(y))?;
            (Some(y as i32), rest)
        }
        None => (None, s),
    };
    let (month, rest) = rest.split_once('月')?;
    let month = small_int(month)?;
    let day = match rest {
        "" => None,
        d => {
            let d = d.strip_suffix('日').or_else(|| d.strip_suffix('号'))?;
            Some(small_int(d)?)
        }
    };
    when(year, month, day)
}

fn when(year: Option<i32>, month: u32, day: Option<u32>) -> Option<When> {
    if !(1..=12).contains(&month) || day.is_some_and(|d| !(1..=31).contains(&d)) {
        return None;
    }
    Some(When {
        year,
        month: month as u8,
        day: day.map(|d| d as u8),
    })
}

/// Parses a 年度指标值 or 实际完成值.
///
/// A value is a quantity only when the whole cell is one number with its operator and unit;
/// a month or date is a deadline; everything else is qualitative text.
pub fn parse_value(text: &str) -> Measure {
    let s = crate::vocabulary::fold::figure(text);
    // `≥90%（含）`: the bound is included, as `≥` says already.
    let s = crate::vocabulary::get().without_inclusive(&s);
    if s.is_empty() {
        return Measure::Text;
    }
    if let Some(d) = parse_deadline(s) {
        return Measure::Deadline(d);
    }
    match parse_quantity(s) {
        Some(q) => Measure::Quantity(q),
        None => Measure::Text,
    }
}

/// How an indicator is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// `≥`, `>`, `=` or a bare value: min(B/A, 1) × 分值, less the over-achievement deduction.
    Positive,
    /// `≤`, `<`: min(A/B, 1) × 分值; B = 0 gives full marks.
    Reverse,
    /// A month or date: met or not met.
    Deadline,
    /// Not computable: the declared score stands.
    Qualitative,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Positive => "正向指标",
            Method::Reverse => "反向指标",
            Method::Deadline => "时限指标",
            Method::Qualitative => "定性指标",
        })
    }
}

/// The deduction for a target set too low (positive indicators only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overachievement {
    /// (B − A) / A, in percent, rounded to 2 decimals.
    pub excess_percent: Decimal,
    /// 10, 20 or 30 (percent of 分值).
    pub deduction_percent: u8,
}

/// Why a target and an actual value do not compare directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitNote {
    /// Different units of one family; the actual value was converted (`120000元` → `12万元`).
    Converted {
        /// The target's unit.
        target: String,
        /// The actual value's unit.
        actual: String,
    },
    /// Units that do not compare (`%` against `个`): not computable.
    Mismatch {
        /// The target's unit.
        target: String,
        /// The actual value's unit.
        actual: String,
    },
}

/// The review of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The score by the rules, rounded to 2 decimals; `None` when not computable.
    pub computed: Option<Decimal>,
    /// How it was scored.
    pub method: Method,
    /// The deduction for a target set too low, when one applies.
    #[serde(skip)]
    pub overachievement: Option<Overachievement>,
    /// Unit conversion or mismatch between target and actual.
    #[serde(skip)]
    pub unit_note: Option<UnitNote>,
    /// Whether a deadline was met.
    #[serde(skip)]
    pub deadline_met: Option<bool>,
    /// The target is computable but the actual value is not a comparable value.
    #[serde(skip)]
    pub actual_unreadable: bool,
    /// The actual value, in percent, when it is a percentage (for the 率/满意度 check).
    #[serde(skip)]
    pub actual_percent: Option<Decimal>,
}

/// The review of a whole form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// 执行率 = C/B of 年度资金总额, in percent; `None` when B is 0 or missing.
    pub execution_rate: Option<Decimal>,
    /// min(C/B, 1) × 分值 of the funds block; `None` when not computable.
    pub funds_score: Option<Decimal>,
    /// One assessment per indicator, in form order.
    pub indicators: Vec<Assessment>,
    /// The self-assessed total: the declared scores added up (budget score + Σ 得分).
    pub total: Decimal,
    /// The grade of `total`.
    pub grade: Grade,
    /// Budget score by the rules + Σ min(declared, computed), declared where not computable.
    pub reviewed_total: Decimal,
    /// The grade of `reviewed_total`.
    pub reviewed_grade: Grade,
}

/// `n / d`, saturating at the largest decimal of the right sign instead of panicking: a
/// 29-digit value in a form (found by fuzzing) must not stop the review. `d` is never 0 here.
fn sat_div(n: Decimal, d: Decimal) -> Decimal {
    n.checked_div(d)
        .unwrap_or(if n.is_sign_negative() == d.is_sign_negative() {
            Decimal::MAX
        } else {
            Decimal::MIN
        })
}

/// `a × b`, saturating like [`sat_div`].
fn sat_mul(a: Decimal, b: Decimal) -> Decimal {
    a.checked_mul(b)
        .unwrap_or(if a.is_sign_negative() == b.is_sign_negative() {
            Decimal::MAX
        } else {
            Decimal::MIN
        })
}

/// Σ `values`, saturating at the largest decimal of the right sign instead of panicking: the
/// sums the checks, the layout and the summary make of a form's figures.
pub fn sum(values: impl IntoIterator<Item = Decimal>) -> Decimal {
    values
        .into_iter()
        .fold(Decimal::ZERO, Decimal::saturating_add)
}

/// Rounds half-up to 2 decimals and always shows 2 decimals.
pub fn round2(value: Decimal) -> Decimal {
    let mut r = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Rounds `value` half-up to the number of decimals `like` shows.
pub fn round_like(value: Decimal, like: Decimal) -> Decimal {
    let mut r = value.round_dp_with_strategy(like.scale(), RoundingStrategy::MidpointAwayFromZero);
    r.rescale(like.scale());
    r
}

/// The 分值 of the funds block when the form leaves it out.
pub fn default_funds_weight() -> Decimal {
    Decimal::TEN
}

/// C/B, unrounded, saturating (a tiny B must not overflow); `None` unless B > 0.
pub fn ratio(executed: Decimal, budget: Decimal) -> Option<Decimal> {
    (budget > Decimal::ZERO).then(|| sat_div(executed, budget))
}

/// A ratio in percent, unrounded and saturating.
pub fn percent(ratio: Decimal) -> Decimal {
    sat_mul(ratio, Decimal::ONE_HUNDRED)
}

/// C/B of the 年度资金总额 row, unrounded; `None` when B is 0 or either is missing.
pub fn execution_ratio(form: &Form) -> Option<Decimal> {
    execution_ratio_on(form, FundsColumn::Budget)
}

/// C over the `basis` column (全年预算数, or 年初预算数 on a form without it) of the
/// 年度资金总额 row, unrounded.
pub fn execution_ratio_on(form: &Form, basis: FundsColumn) -> Option<Decimal> {
    let total = form.funds.row(FundsRowKind::Total)?;
    ratio(total.executed?, total.get(basis)?)
}

/// The budget score of a ratio C/B, unrounded: min(C/B, 1) × 分值.
pub fn execution_score(form: &Form, ratio: Decimal) -> Decimal {
    let weight = form.funds.weight.unwrap_or_else(default_funds_weight);
    sat_mul(ratio.clamp(Decimal::ZERO, Decimal::ONE), weight)
}

/// 执行率 (percent, 2 decimals) and budget score of the 年度资金总额 row.
pub fn funds_execution(form: &Form) -> (Option<Decimal>, Option<Decimal>) {
    funds_execution_on(form, FundsColumn::Budget)
}

/// [`funds_execution`] measured against `basis`.
pub fn funds_execution_on(form: &Form, basis: FundsColumn) -> (Option<Decimal>, Option<Decimal>) {
    match execution_ratio_on(form, basis) {
        Some(ratio) => (
            Some(round2(percent(ratio))),
            funds_scored(form).then(|| round2(execution_score(form, ratio))),
        ),
        None => (None, None),
    }
}

/// False for a form that does not score its budget execution in the funds block: neither
/// 分值 nor 得分 there, while the indicators' 分值 make the whole 100 (the national
/// framework scores 预算执行率 as an indicator), or a form without scores at all.
pub fn funds_scored(form: &Form) -> bool {
    let funds = &form.funds;
    if funds.weight.is_some() || funds.score.is_some() {
        return true;
    }
    let weights = sum(form.indicators.iter().filter_map(|i| i.weight));
    !form.is_unscored() && weights != Decimal::ONE_HUNDRED
}

/// Converts `actual` into the unit of `target`, or says why it cannot be.
fn align_units(
    target: &Quantity,
    actual: &Quantity,
) -> Result<(Decimal, Option<UnitNote>), UnitNote> {
    match (&target.unit, &actual.unit) {
        (Some(t), Some(a)) if t.name == a.name => Ok((actual.number, None)),
        (Some(t), Some(a)) if t.compatible(a) => Ok((
            sat_div(sat_mul(actual.number, a.scale), t.scale),
            Some(UnitNote::Converted {
                target: t.name.clone(),
                actual: a.name.clone(),
            }),
        )),
        (Some(t), Some(a)) => Err(UnitNote::Mismatch {
            target: t.name.clone(),
            actual: a.name.clone(),
        }),
        // A unit left out on one side is taken to be the other side's.
        _ => Ok((actual.number, None)),
    }
}

fn excess_deduction(a: Decimal, b: Decimal) -> Option<Overachievement> {
    if a <= Decimal::ZERO {
        return None;
    }
    let excess = b.checked_sub(a).map_or(
        if b.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        },
        |d| sat_div(d, a),
    );
    let deduction_percent = if excess >= Decimal::from(5) {
        30
    } else if excess >= Decimal::from(3) {
        20
    } else if excess >= Decimal::from(2) {
        10
    } else {
        return None;
    };
    Some(Overachievement {
        excess_percent: round2(sat_mul(excess, Decimal::ONE_HUNDRED)),
        deduction_percent,
    })
}

fn percent_of(q: &Quantity) -> Option<Decimal> {
    match &q.unit {
        Some(u) if u.family == UnitFamily::Percent => Some(sat_mul(q.number, u.scale)),
        _ => None,
    }
}

/// Whether `actual` meets `target` on a form of `year`: a month without its year is in the
/// form's year (`≤12月` on a 2024 form is December 2024, so `2025年1月` is late).
fn deadline_met(target: &Deadline, actual: &When, year: Option<i32>) -> bool {
    let mut t = target.when;
    let mut actual = *actual;
    if t.year.is_some() || actual.year.is_some() {
        t.year = t.year.or(year);
        actual.year = actual.year.or(year);
    }
    let actual = &actual;
    let key = |w: &When, day_default: u8, with_day: bool| {
        (
            w.month,
            if with_day {
                w.day.unwrap_or(day_default)
            } else {
                0
            },
        )
    };
    // Compare years when both give one; compare days only when both give one.
    if let (Some(ty), Some(ay)) = (t.year, actual.year)
        && ay != ty
    {
        return ay < ty;
    }
    let with_day = t.day.is_some() && actual.day.is_some();
    let tk = key(&t, 31, with_day);
    let ak = key(actual, 1, with_day);
    if target.strict { ak < tk } else { ak <= tk }
}

/// Scores one indicator of a form of `year` by the rules.
pub fn assess(indicator: &Indicator, year: Option<i32>) -> Assessment {
    let mut out = Assessment {
        computed: None,
        method: Method::Qualitative,
        overachievement: None,
        unit_note: None,
        deadline_met: None,
        actual_unreadable: false,
        actual_percent: None,
    };
    let target = parse_value(&indicator.target);
    let mut actual = parse_value(&indicator.actual);
    if let Measure::Quantity(q) = &actual {
        out.actual_percent = percent_of(q);
    }
    // `≥12月` is a number of months: read a bare month in the actual value the same way.
    if let (Measure::Quantity(t), Measure::Deadline(d)) = (&target, &actual) {
        let month_only = d.when.year.is_none() && d.when.day.is_none() && !d.strict;
        if month_only && t.unit.as_ref().is_some_and(|u| u.name == "月") {
            actual = Measure::Quantity(Quantity {
                op: None,
                number: Decimal::from(d.when.month),
                unit: t.unit.clone(),
            });
        }
    }
    let weight = indicator.weight;
    match (&target, &actual) {
        (Measure::Deadline(t), actual) => {
            out.method = Method::Deadline;
            match actual {
                Measure::Deadline(a) => {
                    let met = deadline_met(t, &a.when, year);
                    out.deadline_met = Some(met);
                    out.computed = weight.map(|w| {
                        if met {
                            round2(w)
                        } else {
                            round2(Decimal::ZERO)
                        }
                    });
                }
                _ => out.actual_unreadable = true,
            }
        }
        (Measure::Quantity(t), actual) => {
            let reverse = t.op.is_some_and(Op::is_reverse);
            out.method = if reverse {
                Method::Reverse
            } else {
                Method::Positive
            };
            let Measure::Quantity(a) = actual else {
                out.actual_unreadable = true;
                return out;
            };
            let b = match align_units(t, a) {
                Ok((b, note)) => {
                    out.unit_note = note;
                    b
                }
                Err(note) => {
                    out.unit_note = Some(note);
                    return out;
                }
            };
            let a_value = t.number;
            let ratio = if reverse {
                if b <= Decimal::ZERO {
                    Decimal::ONE
                } else {
                    sat_div(a_value, b)
                }
            } else if a_value <= Decimal::ZERO {
                if b >= a_value {
                    Decimal::ONE
                } else {
                    Decimal::ZERO
                }
            } else {
                sat_div(b, a_value)
            };
            let ratio = ratio.clamp(Decimal::ZERO, Decimal::ONE);
            if !reverse {
                out.overachievement = excess_deduction(a_value, b);
            }
            if let Some(w) = weight {
                let deduction = out.overachievement.map_or(Decimal::ZERO, |o| {
                    sat_div(
                        sat_mul(w, Decimal::from(o.deduction_percent)),
                        Decimal::ONE_HUNDRED,
                    )
                });
                let score = sat_mul(ratio, w)
                    .saturating_sub(deduction)
                    .clamp(Decimal::ZERO, w.max(Decimal::ZERO));
                out.computed = Some(round2(score));
            }
        }
        (Measure::Text, _) => {}
    }
    out
}

/// Reviews a whole form: budget execution, every indicator, totals and grades.
pub fn review(form: &Form) -> Review {
    review_on(form, FundsColumn::Budget)
}

/// [`review`] with the execution rate measured against `basis` ([`Shown::rate_basis`]).
///
/// [`Shown::rate_basis`]: crate::model::Shown::rate_basis
pub fn review_on(form: &Form, basis: FundsColumn) -> Review {
    let (execution_rate, funds_score) = funds_execution_on(form, basis);
    let indicators: Vec<Assessment> = form
        .indicators
        .iter()
        .map(|i| assess(i, form.year))
        .collect();
    let declared_funds = form.funds.score.unwrap_or(Decimal::ZERO);
    let budget_score = funds_score.unwrap_or(declared_funds);
    let mut total = declared_funds;
    let mut reviewed = budget_score;
    for (indicator, assessment) in form.indicators.iter().zip(&indicators) {
        let declared = indicator.score.unwrap_or(Decimal::ZERO);
        // Saturating: a form built by hand may hold figures past read::limits::MAX_FIGURE.
        total = total.saturating_add(declared);
        reviewed = reviewed.saturating_add(match assessment.computed {
            Some(c) => declared.min(c),
            None => declared,
        });
    }
    let total = round2(total);
    let reviewed_total = round2(reviewed);
    Review {
        execution_rate,
        funds_score,
        indicators,
        total,
        grade: Grade::of(total),
        reviewed_total,
        reviewed_grade: Grade::of(reviewed_total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Indicator;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// How a parsed value is shown in the table below.
    fn show(v: &Measure) -> String {
        match v {
            Measure::Text => "text".to_string(),
            Measure::Deadline(dl) => {
                let w = dl.when;
                let mut s = String::from(if dl.strict { "before " } else { "by " });
                if let Some(y) = w.year {
                    s.push_str(&format!("{y}-"));
                }
                s.push_str(&w.month.to_string());
                if let Some(day) = w.day {
                    s.push_str(&format!("-{day}"));
                }
                s
            }
            Measure::Quantity(q) => {
                let op = match q.op {
                    None => "",
                    Some(Op::Ge) => ">=",
                    Some(Op::Gt) => ">",
                    Some(Op::Le) => "<=",
                    Some(Op::Lt) => "<",
                    Some(Op::Eq) => "=",
                };
                let unit = q.unit.as_ref().map_or("", |u| u.name.as_str());
                format!("{op}{} {unit}", q.number).trim_end().to_string()
            }
        }
    }

    #[test]
    fn parser_table() {
        let cases = [
            // Operators, ASCII, symbol and full-width.
            ("≥90%", ">=90 %"),
            (">=90%", ">=90 %"),
            ("≧90%", ">=90 %"),
            ("＞90％", ">90 %"),
            (">90%", ">90 %"),
            ("≤4.05万元", "<=4.05 万元"),
            ("<=4.05万元", "<=4.05 万元"),
            ("＜5次", "<5 次"),
            ("<5次", "<5 次"),
            ("＝100%", "=100 %"),
            ("=100%", "=100 %"),
            ("≤1", "<=1"),
            ("≥ 90 %", ">=90 %"),
            ("≥９０％", ">=90 %"),
            // Words, and a bound said to be included.
            ("达到90%", ">=90 %"),
            ("≥90%（含）", ">=90 %"),
            ("≤19万元(含)", "<=19 万元"),
            ("控制在19万元以内", "<=19 万元"),
            // Bare values with units.
            ("100%", "100 %"),
            ("100.00%", "100.00 %"),
            ("1套", "1 套"),
            ("6人", "6 人"),
            ("18.95万元", "18.95 万元"),
            ("120000元", "120000 元"),
            ("1,200元", "1200 元"),
            ("27个", "27 个"),
            ("2000次", "2000 次"),
            ("3家", "3 家"),
            ("1年", "1 年"),
            ("12个月", "12 个月"),
            ("5项", "5 项"),
            ("15场", "15 场"),
            ("428篇", "428 篇"),
            ("1万人次", "1 万人次"),
            ("0", "0"),
            ("0%", "0 %"),
            ("-5%", "-5 %"),
            ("5‰", "5 ‰"),
            ("≥500次", ">=500 次"),
            // Operators in words.
            ("不低于95%", ">=95 %"),
            ("不少于10场", ">=10 场"),
            ("不超过19万元", "<=19 万元"),
            ("不高于5%", "<=5 %"),
            ("大于等于80%", ">=80 %"),
            ("小于3次", "<3 次"),
            ("90%以上", ">=90 %"),
            ("90%及以上", ">=90 %"),
            ("5%以下", "<=5 %"),
            ("3个月内", "<=3 个月"),
            ("19万元以内", "<=19 万元"),
            // Deadlines.
            ("≤12月", "by 12"),
            ("12月", "by 12"),
            ("≤3月", "by 3"),
            ("<6月", "before 6"),
            ("6月前", "by 6"),
            ("6月底前", "by 6"),
            ("6月底", "by 6"),
            ("年底前", "by 12-31"),
            ("年内", "by 12-31"),
            ("2020年6月4日", "by 2020-6-4"),
            ("2024年12月31日前", "by 2024-12-31"),
            ("12月31日前", "by 12-31"),
            ("2024-06-30", "by 2024-6-30"),
            ("2024年12月", "by 2024-12"),
            // Qualitative: text, lists, ranges and several numbers are never a number.
            ("得到提高", "text"),
            ("通过验收", "text"),
            ("提供基本数据", "text"),
            ("服务器设备27，网络设备5", "text"),
            ("27台服务器和5台网络设备", "text"),
            ("90%-95%", "text"),
            ("≥90%且≤100%", "text"),
            ("约100人", "text"),
            ("13月", "13 月"),
            ("", "text"),
            ("——", "text"),
            ("第1期", "text"),
            ("1.2.3", "text"),
            ("≥", "text"),
            ("%", "text"),
            ("90%以上以下", "text"),
            ("≥90%以下", "text"),
        ];
        assert!(cases.len() >= 60);
        for (text, want) in cases {
            assert_eq!(show(&parse_value(text)), want, "parsing {text:?}");
        }
    }

    #[test]
    fn decimals_are_kept_exactly() {
        let Measure::Quantity(q) = parse_value("≤146.435万元") else {
            panic!()
        };
        assert_eq!(q.number.to_string(), "146.435");
    }

    fn indicator(target: &str, actual: &str, weight: &str, score: &str) -> Indicator {
        Indicator {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            name: "测试指标".into(),
            target: target.into(),
            actual: actual.into(),
            weight: Some(d(weight)),
            score: Some(d(score)),
            deviation: String::new(),
            ..Indicator::default()
        }
    }

    #[test]
    fn rules_table() {
        use Method::*;
        // target, actual, weight → method, computed
        let cases: &[(&str, &str, &str, Method, Option<&str>)] = &[
            ("≥90%", "100%", "7", Positive, Some("7.00")),
            ("≥60%", "0%", "10", Positive, Some("0.00")),
            ("≥95%", "94%", "10", Positive, Some("9.89")),
            ("≥6人", "6人", "8", Positive, Some("8.00")),
            ("≥6人", "3人", "8", Positive, Some("4.00")),
            ("1套", "1套", "7", Positive, Some("7.00")),
            ("100%", "98.5%", "3", Positive, Some("2.96")),
            // Over-achievement: r = (B − A)/A; 200%, 300%, 500% deduct 10, 20, 30% of 分值.
            ("≥100次", "299次", "10", Positive, Some("10.00")),
            ("≥100次", "300次", "10", Positive, Some("9.00")),
            ("≥500次", "2000次", "10", Positive, Some("8.00")),
            ("≥100次", "600次", "10", Positive, Some("7.00")),
            ("≥100次", "5000次", "10", Positive, Some("7.00")),
            // Reverse.
            ("≤4.05万元", "4.05万元", "6", Reverse, Some("6.00")),
            ("≤19万元", "18.95万元", "7", Reverse, Some("7.00")),
            ("≤10万元", "12万元", "10", Reverse, Some("8.33")),
            ("≤10万元", "120000元", "10", Reverse, Some("8.33")),
            ("≤1", "0", "5", Reverse, Some("5.00")),
            ("<5次", "0次", "5", Reverse, Some("5.00")),
            ("≤0次", "2次", "5", Reverse, Some("0.00")),
            // Deadlines.
            ("≤12月", "12月", "3", Deadline, Some("3.00")),
            ("≤3月", "4月", "2", Deadline, Some("0.00")),
            ("6月前", "2020年6月4日", "2", Deadline, Some("2.00")),
            ("6月前", "2020年7月1日", "2", Deadline, Some("0.00")),
            ("年底前", "12月", "2", Deadline, Some("2.00")),
            (
                "2024年6月30日前",
                "2024年6月30日",
                "2",
                Deadline,
                Some("2.00"),
            ),
            (
                "2024年6月30日前",
                "2024年7月1日",
                "2",
                Deadline,
                Some("0.00"),
            ),
            ("<6月", "6月", "2", Deadline, Some("0.00")),
            ("≤12月", "按时完成", "3", Deadline, None),
            // Not computable.
            ("提供基本数据", "提供基本数据", "10", Qualitative, None),
            ("≥90%", "27个", "10", Positive, None),
            ("≥90%", "基本完成", "10", Positive, None),
            (
                "服务器设备27，网络设备5",
                "服务器设备27，网络设备5",
                "4",
                Qualitative,
                None,
            ),
            // A target of zero.
            ("≥0个", "3个", "4", Positive, Some("4.00")),
        ];
        for (target, actual, weight, method, computed) in cases {
            let a = assess(&indicator(target, actual, weight, weight), Some(2020));
            assert_eq!(a.method, *method, "{target} / {actual}");
            assert_eq!(
                a.computed.map(|c| c.to_string()),
                computed.map(str::to_string),
                "{target} / {actual}"
            );
        }
    }

    /// A month without its year is in the form's year: December 2024 on a 2024 form, so a
    /// completion in January 2025 is late; without the form's year only months compare.
    #[test]
    fn a_deadline_is_in_the_forms_year() {
        let cases = [
            ("≤12月", "2025年1月", Some(2024), "0.00"),
            ("年底前", "2025年1月", Some(2024), "0.00"),
            ("12月31日前", "2025年1月10日", Some(2024), "0.00"),
            ("2024年12月底前完成", "2025年2月完成", Some(2024), "0.00"),
            ("2024年12月底前完成", "2024年11月完成", Some(2024), "3.00"),
            ("年底前完成", "2025年3月", Some(2024), "0.00"),
            ("年内完成", "2024年10月", Some(2024), "3.00"),
            ("≤12月", "2024年12月", Some(2024), "3.00"),
            ("≤6月", "2023年12月", Some(2024), "3.00"),
            ("≤12月", "12月", Some(2024), "3.00"),
            ("≤12月", "2025年1月", None, "3.00"),
        ];
        for (target, actual, year, computed) in cases {
            let a = assess(&indicator(target, actual, "3", "3"), year);
            assert_eq!(a.method, Method::Deadline, "{target} / {actual}");
            assert_eq!(
                a.computed.map(|c| c.to_string()).as_deref(),
                Some(computed),
                "{target} / {actual} / {year:?}"
            );
        }
    }

    #[test]
    fn overachievement_and_units_are_explained() {
        let a = assess(&indicator("≥500次", "2000次", "10", "10"), None);
        let o = a.overachievement.unwrap();
        assert_eq!(
            (o.excess_percent.to_string().as_str(), o.deduction_percent),
            ("300.00", 20)
        );
        let a = assess(&indicator("≤10万元", "120000元", "10", "10"), None);
        assert_eq!(
            a.unit_note,
            Some(UnitNote::Converted {
                target: "万元".into(),
                actual: "元".into()
            })
        );
        let a = assess(&indicator("≥90%", "27个", "10", "10"), None);
        assert!(matches!(a.unit_note, Some(UnitNote::Mismatch { .. })));
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(round2(d("9.855")).to_string(), "9.86");
        assert_eq!(round2(d("9.845")).to_string(), "9.85");
        assert_eq!(round2(d("0.005")).to_string(), "0.01");
        assert_eq!(round2(d("7")).to_string(), "7.00");
        assert_eq!(round_like(d("98.546"), d("98.5")).to_string(), "98.5");
    }

    #[test]
    fn grades() {
        for (total, grade) in [
            ("100", Grade::Excellent),
            ("90.00", Grade::Excellent),
            ("89.99", Grade::Good),
            ("80", Grade::Good),
            ("79.99", Grade::Fair),
            ("60", Grade::Fair),
            ("59.99", Grade::Poor),
            ("0", Grade::Poor),
        ] {
            assert_eq!(Grade::of(d(total)), grade, "{total}");
        }
    }

    #[test]
    fn sample_000_reviews_to_89() {
        let form = crate::read::form_from_json(include_str!("../samples/000.json")).unwrap();
        let r = review(&form);
        assert_eq!(r.execution_rate.unwrap().to_string(), "100.00");
        assert_eq!(r.funds_score.unwrap().to_string(), "10.00");
        assert_eq!(
            (r.total.to_string(), r.grade),
            ("96.00".to_string(), Grade::Excellent)
        );
        assert_eq!(
            (r.reviewed_total.to_string(), r.reviewed_grade),
            ("89.00".to_string(), Grade::Good)
        );
        assert_eq!(r.indicators[11].computed.unwrap().to_string(), "0.00");
        assert_eq!(r.indicators[12].method, Method::Qualitative);
    }

    #[test]
    fn sample_001_reviews_to_94_85() {
        let form = crate::read::form_from_json(include_str!("../samples/001.json")).unwrap();
        let r = review(&form);
        assert_eq!(r.execution_rate.unwrap().to_string(), "98.55");
        assert_eq!(r.funds_score.unwrap().to_string(), "9.85");
        assert_eq!(r.total.to_string(), "94.85");
        assert_eq!(r.reviewed_total.to_string(), "94.85");
        assert_eq!(r.reviewed_grade, Grade::Excellent);
    }
}
