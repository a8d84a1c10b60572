//! Layout variants as printed forms and other provinces lay them out
//! (`tests/fixtures/variants/`, made by `make_variants.py`): each reads, in `.xlsx`, `.xls`
//! and `.ods`, to exactly the expected form, with the findings it must give at their cells
//! and without the ones it must not give.

mod common;

use std::path::{Path, PathBuf};

use jixiao::Report;
use serde_json::Value;

fn variants() -> Vec<(String, Value)> {
    let dir = common::repo("tests/fixtures/variants");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".expect.json")?.to_string();
            let text = std::fs::read_to_string(dir.join(&name)).ok()?;
            Some((stem, serde_json::from_str(&text).unwrap()))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn file(stem: &str, ext: &str) -> PathBuf {
    common::repo(&format!("tests/fixtures/variants/{stem}.{ext}"))
}

fn report_of(path: &Path) -> Report {
    let mut forms = jixiao::read::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(forms.len(), 1, "{}", path.display());
    Report::new(forms.remove(0), None)
}

fn listing(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| format!("  {} {:?} {}", f.code, f.cell, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_variant_reads_exactly_in_every_format() {
    let all = variants();
    assert!(all.len() >= 12, "{} variants", all.len());
    for (stem, expect) in &all {
        let want: Value = {
            let form = jixiao::read::form_from_json(&expect["form"].to_string())
                .unwrap_or_else(|e| panic!("{stem}: expected form: {e}"));
            serde_json::to_value(form).unwrap()
        };
        for ext in ["xlsx", "xls", "ods"] {
            let path = file(stem, ext);
            let report = report_of(&path);
            let got = serde_json::to_value(&report.form).unwrap();
            for key in want.as_object().unwrap().keys() {
                assert_eq!(got[key], want[key], "{stem}.{ext}: {key}");
            }
            assert_eq!(got, want, "{stem}.{ext}");
            for f in expect["findings"].as_array().unwrap() {
                let (code, cell) = (f[0].as_str().unwrap(), f[1].as_str().unwrap());
                let found = report.findings.iter().any(|r| {
                    r.code == code && (cell.is_empty() || r.cell.as_deref() == Some(cell))
                });
                assert!(
                    found,
                    "{stem}.{ext}: expected {code} at {cell:?}; reported:\n{}",
                    listing(&report)
                );
            }
            for code in expect["absent"].as_array().unwrap() {
                let code = code.as_str().unwrap();
                assert!(
                    !report.findings.iter().any(|r| r.code == code),
                    "{stem}.{ext}: {code} must not be reported; reported:\n{}",
                    listing(&report)
                );
            }
        }
    }
}

/// The official printout reads with the right 总分 (never the doubled total of a 总分 row
/// read as an indicator) and exactly its indicators, in all three formats.
#[test]
fn the_official_printouts_read_with_their_total() {
    for (stem, total, count) in [
        ("official-2024", "96.00", 14),
        ("official-2020", "98.96", 10),
    ] {
        for ext in ["xlsx", "xls", "ods"] {
            let report = report_of(&file(stem, ext));
            assert_eq!(report.review.total.to_string(), total, "{stem}.{ext}");
            assert_eq!(report.form.indicators.len(), count, "{stem}.{ext}");
            assert_eq!(
                report.form.total_score.map(|d| d.to_string()).as_deref(),
                Some(total),
                "{stem}.{ext}"
            );
        }
    }
}

/// No indicator of any variant or workbook fixture is named after a label of the vocabulary
/// (总分, 合计, 小计, 填表人…, a header, a block label).
#[test]
fn no_indicator_is_named_after_a_label() {
    let v = jixiao::vocabulary::get();
    let mut paths: Vec<PathBuf> = variants()
        .iter()
        .flat_map(|(stem, _)| ["xlsx", "xls", "ods"].map(|ext| file(stem, ext)))
        .collect();
    paths.extend(common::workbook_fixtures());
    for path in paths {
        for sourced in jixiao::read::load(&path).unwrap() {
            for ind in &sourced.form.indicators {
                assert!(
                    !v.is_label(&ind.name),
                    "{}: indicator named after a label: {}",
                    path.display(),
                    ind.name
                );
            }
        }
    }
}

/// An indicator whose name starts like a label (项目资金支付率) is read as the indicator it
/// is, and the table goes on after it.
#[test]
fn an_indicator_named_like_a_label_is_an_indicator() {
    let report = report_of(&file("special-rows", "xlsx"));
    let names: Vec<&str> = report
        .form
        .indicators
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert!(names.contains(&"项目资金支付率"), "{names:?}");
    assert_eq!(names.len(), 14, "{names:?}");
    for label in ["小计", "合计", "指标2：", "……", "其中：本馆窗口"] {
        assert!(!names.contains(&label), "{label} read as an indicator");
    }
}
