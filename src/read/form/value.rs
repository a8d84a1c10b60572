//! The values of fields as the form takes them from cells: text as displayed, decimals as
//! written or stored (never rounded), 执行率 in percent.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::is_blank;
use crate::read::sheet::{NumFmt, SheetValue};
use crate::vocabulary::fold;

/// A text field: what the cell displays, trimmed; `-`, `——`, `/` and empty are "".
pub fn text(value: Option<&SheetValue>) -> String {
    match value {
        Some(v) if !v.is_blank() => v.display().trim().to_string(),
        _ => String::new(),
    }
}

/// A decimal field: a text cell as written (`18.950000`, `7.00`); a number cell as stored,
/// with the trailing zeros its format shows (`7` in `0.00` → `7.00`) but never rounded;
/// `None` for a dash, an empty cell or text that is not a number.
pub fn decimal(value: Option<&SheetValue>) -> Option<Decimal> {
    let (mut d, places) = match value? {
        SheetValue::Number(d, NumFmt::Percent(p)) => (d.saturating_mul(Decimal::ONE_HUNDRED), *p),
        SheetValue::Number(d, NumFmt::Fixed(p)) => (*d, *p),
        SheetValue::Number(d, _) => (*d, 0),
        SheetValue::Text(t) => return decimal_text(t),
        SheetValue::Formula(_) | SheetValue::Uncalculated(_) => return None,
    };
    if d.scale() < u32::from(places) {
        d.rescale(u32::from(places));
    }
    Some(d)
}

/// A number written as text, tolerating thousands separators, full-width digits and a unit
/// (`1,234.50`, `１０`, `10分`, `18.95万元`, `90万`, a 分值 of `10%`).
pub fn decimal_text(text: &str) -> Option<Decimal> {
    if is_blank(text) {
        return None;
    }
    let n = fold::label(text).replace(',', "");
    let n = ["万元", "元", "万", "分", "%"]
        .iter()
        .find_map(|u| n.strip_suffix(u))
        .unwrap_or(&n);
    Decimal::from_str(n)
        .or_else(|_| Decimal::from_scientific(n))
        .ok()
}

/// 执行率 in percent: `98.55%` as text, a percent-formatted fraction (as displayed), a bare
/// number (a fraction up to 1.5, else already percent).
pub fn percent(value: Option<&SheetValue>) -> Option<Decimal> {
    match value? {
        SheetValue::Number(d, NumFmt::Percent(places)) => {
            let mut p = d
                .saturating_mul(Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(
                    u32::from(*places),
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                );
            p.rescale(u32::from(*places));
            Some(p)
        }
        SheetValue::Number(d, _) if d.abs() <= Decimal::new(15, 1) => {
            Some(d.saturating_mul(Decimal::ONE_HUNDRED).normalize())
        }
        SheetValue::Number(d, _) => Some(*d),
        SheetValue::Text(t) => {
            let n = fold::label(t);
            decimal_text(n.strip_suffix('%').unwrap_or(&n))
        }
        SheetValue::Formula(_) | SheetValue::Uncalculated(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(decimal_text("18.950000").unwrap().to_string(), "18.950000");
        assert_eq!(decimal_text("1,234.5"), Some(d("1234.5")));
        assert_eq!(decimal_text("10分"), Some(d("10")));
        assert_eq!(decimal_text("——"), None);
        assert_eq!(decimal_text("无"), None);
        let pct = SheetValue::Number(d("0.985461"), NumFmt::Percent(2));
        assert_eq!(percent(Some(&pct)).unwrap().to_string(), "98.55");
        let txt = SheetValue::Text("98.55%".into());
        assert_eq!(percent(Some(&txt)).unwrap().to_string(), "98.55");
        assert_eq!(percent(Some(&SheetValue::Text("-".into()))), None);
        let frac = SheetValue::Number(d("1"), NumFmt::General);
        assert_eq!(percent(Some(&frac)), Some(d("100")));
        let shown = |v: SheetValue| decimal(Some(&v)).unwrap().to_string();
        assert_eq!(shown(SheetValue::Number(d("7"), NumFmt::Fixed(2))), "7.00");
        assert_eq!(
            shown(SheetValue::Number(d("146.4351"), NumFmt::Fixed(2))),
            "146.4351"
        );
        assert_eq!(shown(SheetValue::Number(d("15"), NumFmt::General)), "15");
    }
}
