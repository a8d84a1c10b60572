//! Inputs the fuzzers (`fuzz/`) once broke jixiao with, replayed as the fuzz targets read them:
//! `tests/regressions/<target>/<file>`. Each must now give a result or an error, never a
//! panic, and stay quick. Named after what broke, where a file's name says it.

use std::path::{Path, PathBuf};

use jixiao::layout::{self, Options};
use jixiao::{Layout, Report};

fn cases(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.file_name().is_some_and(|n| n != ".gitkeep"));
    files.sort();
    files
}

/// What the read targets do with a form they read: review it, lay it out and write it.
fn pipeline(report: &Report) {
    let grid = layout::build(
        report,
        Layout::for_year(report.form.year),
        &Options::default(),
    )
    .expect("a form that was read lays out");
    jixiao::render::xlsx::write(&grid).expect("xlsx");
    jixiao::render::pdf::write(&grid).expect("pdf");
}

#[test]
fn read_workbook() {
    for case in cases("read_workbook") {
        let data = std::fs::read(&case).unwrap();
        let Some((&pick, bytes)) = data.split_first() else {
            continue;
        };
        let name = ["fuzz.xlsx", "fuzz.xls", "fuzz.ods"][usize::from(pick % 3)];
        if let Ok(forms) = jixiao::read::load_bytes(Path::new(name), bytes) {
            for form in forms {
                pipeline(&Report::new(form, None));
            }
        }
    }
}

#[test]
fn read_data() {
    for case in cases("read_data") {
        let data = std::fs::read(&case).unwrap();
        let Some((&pick, bytes)) = data.split_first() else {
            continue;
        };
        let name = if pick % 2 == 0 {
            "fuzz.json"
        } else {
            "fuzz.toml"
        };
        if let Ok(forms) = jixiao::read::load_bytes(Path::new(name), bytes) {
            for form in forms {
                pipeline(&Report::new(form, None));
            }
        }
    }
}

#[test]
fn parse_value() {
    for case in cases("parse_value") {
        let text = String::from_utf8_lossy(&std::fs::read(&case).unwrap()).into_owned();
        let _ = jixiao::score::parse_value(&text);
        // As the target: the text split at \u{1} into target and actual, scored out of 10.
        let (target, actual) = text.split_once('\u{1}').unwrap_or((&text, &text));
        let indicator = jixiao::model::Indicator {
            target: target.to_string(),
            actual: actual.to_string(),
            weight: Some(rust_decimal::Decimal::TEN),
            score: Some(rust_decimal::Decimal::TEN),
            ..Default::default()
        };
        let computed = jixiao::score::assess(&indicator, Some(2024)).computed;
        assert!(computed.is_none_or(|c| c >= rust_decimal::Decimal::ZERO && c <= rust_decimal::Decimal::TEN));
    }
}

/// Pipeline crashers are kept as the JSON form the fuzzer's input made (`cargo fuzz fmt`).
#[test]
fn pipeline_forms() {
    for case in cases("pipeline") {
        let text = std::fs::read_to_string(&case).unwrap();
        let form = jixiao::read::form_from_json(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        // As the target: a form past the read limits never reaches the pipeline.
        if jixiao::read::limits::check_form(&form, None).is_err() {
            continue;
        }
        let report = Report::new(jixiao::SourcedForm::from_data("fuzz.json", form), None);
        pipeline(&report);
    }
}

/// The library's own entry points: `form_from_json` refuses 29-digit figures as the readers
/// do, and a form built by hand with them (past the limits) is reviewed, checked and laid out
/// without a panic: every sum and difference of its figures saturates.
#[test]
fn sum_of_29_digit_figures_through_the_library() {
    use rust_decimal::Decimal;
    let mut value: serde_json::Value =
        serde_json::from_str(include_str!("../samples/000.json")).unwrap();
    let max = Decimal::MAX.to_string();
    let min = Decimal::MIN.to_string();
    value["funds"]["weight"] = max.clone().into();
    value["funds"]["score"] = max.clone().into();
    value["funds"]["total"]["budget"] = max.clone().into();
    value["funds"]["other"]["budget"] = min.clone().into();
    value["total_score"] = max.clone().into();
    for (i, indicator) in value["indicators"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        let figure = if i % 2 == 0 { &max } else { &min };
        indicator["weight"] = figure.clone().into();
        indicator["score"] = max.clone().into();
    }
    let text = serde_json::to_string(&value).unwrap();
    let err = jixiao::read::form_from_json(&text).unwrap_err().to_string();
    assert!(err.contains("超出范围"), "{err}");

    let form: jixiao::Form = serde_json::from_str(&text).unwrap();
    let report = Report::new(jixiao::SourcedForm::from_data("hand.json", form), None);
    assert_eq!(report.review.total, jixiao::score::round2(Decimal::MAX));
    assert!(report.has_errors());
    pipeline(&report);
}
