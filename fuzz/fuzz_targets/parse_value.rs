//! 年度指标值 / 实际完成值 text → `parse_value`, and scoring one indicator with it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = jixiao::score::parse_value(text);
    // The same text as target and actual of an indicator: the scoring rules on top of the parser.
    let (target, actual) = text.split_once('\u{1}').unwrap_or((text, text));
    let indicator = jixiao::model::Indicator {
        target: target.to_string(),
        actual: actual.to_string(),
        weight: Some(rust_decimal::Decimal::TEN),
        score: Some(rust_decimal::Decimal::TEN),
        ..Default::default()
    };
    let assessment = jixiao::score::assess(&indicator, Some(2024));
    if let Some(computed) = assessment.computed {
        assert!(
            computed >= rust_decimal::Decimal::ZERO,
            "{text:?} → {computed}"
        );
        assert!(
            computed <= rust_decimal::Decimal::TEN,
            "{text:?} → {computed}"
        );
    }
});
