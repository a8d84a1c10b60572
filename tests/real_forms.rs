//! The six real published forms of `../shared/real-forms/` (Anhui, Hebei, Yunnan): each read
//! field by field exactly as transcribed — as printed text and with numbers stored as numbers —
//! and the filing errors each contains reported at their cells.
//!
//! The transcriptions list every printed row with its kind. Rows of kind `ind` are the
//! indicators. One more is read as an indicator: a row the excerpt cut off after its 分值
//! (`truncated`, with a weight) is an indicator whose results are not filled in, and jixiao
//! keeps it — dropping a weighted row would change Σ分值 and lose what the form says — and
//! reports its missing 实际完成值 and 得分. Every other row (template rows, detail rows, a
//! name alone) is not an indicator.

mod common;

use std::path::Path;

use jixiao::Report;
use serde_json::{Value, json};

/// The filing errors of each form, as the codes and cells jixiao reports them (from the
/// `expected_findings` of each transcription).
const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    (
        "ah-chizhou-2022a",
        &[
            // 年度资金总额 0 | 0 | 0 while 其中:本年财政拨款 holds 90 | 89.974 | 89.974.
            ("funds-sum", "E7"),
            ("funds-sum", "F7"),
            ("funds-budget-missing", "E7"),
            // 满意度指标 / 满意度指标 is not in the tree.
            ("tree-level2", "C24"),
            // The empty 经济效益指标 row.
            ("tree-level2-empty", "C23"),
            // Actuals without their unit.
            ("unit-omitted", "F14"),
            ("unit-omitted", "F15"),
            ("unit-omitted", "F18"),
            // Cut off: Σ分值 90, no 总分, the 满意度 subtotal without indicators.
            ("weights-sum", ""),
            ("total-row-missing", "D24"),
            ("subtotal-mismatch", "B24"),
        ],
    ),
    (
        "ah-chizhou-2022b",
        &[
            ("funds-sum", "E7"),
            ("funds-budget-missing", "E7"),
            // 全年预算数 132.912 is 65.59 % of 年初预算数 202.64, with no reason given.
            ("funds-budget-adjusted", "E8"),
            ("unit-omitted", "F19"),
            ("total-row-missing", "D22"),
        ],
    ),
    (
        "he-langfang-2019",
        &[
            // 86% shown for 86.20 %; 得分 9 for 8.62.
            ("funds-rate-rounded", "I8"),
            ("funds-score", "J8"),
            // 指标1工程资金金额 43.2 → 37.24 computes to 8.62, declared 9.
            ("indicator-overstated", "I15"),
            // 年度总体目标 holds numbers.
            ("goals-not-text", "D13"),
            ("goals-not-text", "G13"),
            // Template rows left in, and 生态效益指标 with nothing but them.
            ("row-placeholder", "E16"),
            ("row-placeholder", "E17"),
            ("row-placeholder", "E33"),
            ("tree-level2-empty", "D33"),
            // 偏差原因 '0'.
            ("deviation-not-text", "J27"),
        ],
    ),
    (
        "ah-suixi-2019",
        &[
            // A missed target and an exceeded reverse target both scored full.
            ("indicator-overstated", "H15"),
            ("indicator-overstated", "H19"),
            // Template marks left in the names.
            ("indicator-name-template", "D12"),
            ("indicator-name-template", "D19"),
            // The satisfaction row, cut off after its 分值 and target.
            ("actual-missing", "G21"),
            ("score-missing", "H21"),
        ],
    ),
    (
        "yn-linxiang-2023",
        &[
            // 97.80 % shown for 97.81 %; 得分 9 for 9.78.
            ("funds-rate", "H7"),
            ("funds-score", "I7"),
            ("row-incomplete", "D19"),
        ],
    ),
    (
        "ah-xiaoxian-2023",
        &[
            // Detail rows: never indicators.
            ("row-detail", "D15"),
            ("row-detail", "D18"),
            ("row-detail", "D23"),
            // Empty 二级 rows and '……' placeholders.
            ("tree-level2-empty", "C31"),
            ("tree-level2-empty", "C32"),
            ("row-placeholder", "D27"),
            ("row-placeholder", "D33"),
        ],
    ),
];

/// The `form` object the transcription describes, in the JSON contract.
fn transcribed_form(t: &Value) -> Value {
    let mut indicators = Vec::new();
    for row in t["rows"].as_array().expect("rows") {
        let cut_with_weight = row["truncated"] == json!(true)
            && row["weight"].as_str().is_some_and(|w| !w.is_empty());
        if row["kind"] == "ind" || cut_with_weight {
            let field = |k: &str| row[k].as_str().unwrap_or("").to_string();
            indicators.push(json!({
                "level1": field("level1"),
                "level2": field("level2"),
                "name": field("name"),
                "target": field("target"),
                "actual": field("actual"),
                "weight": field("weight"),
                "score": field("score"),
                "deviation": field("deviation"),
            }));
        }
    }
    let form = json!({
        "year": t["year"],
        "project": t["project"],
        "department": t["department"],
        "unit": t["unit"].as_str().unwrap_or(""),
        "lead": t["lead"],
        "phone": t["phone"],
        "funds": t["funds"],
        "goals": t["goals"],
        "indicators": indicators,
        "total_score": t["total_score"],
    });
    // Through the contract's own reader: "" and "-" are no figure, digits stay as written.
    let form = jixiao::read::form_from_json(&form.to_string()).expect("transcription as a form");
    serde_json::to_value(form).unwrap()
}

fn check_one(dir: &Path, id: &str, expected: &[(&str, &str)]) {
    let t: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap())
            .unwrap();
    let want = transcribed_form(&t);
    for file in [format!("{id}.xlsx"), format!("{id}-numeric.xlsx")] {
        let path = dir.join(&file);
        let mut forms = jixiao::read::load(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(forms.len(), 1, "{file}");
        let sourced = forms.remove(0);
        let got = serde_json::to_value(&sourced.form).unwrap();
        for key in want.as_object().unwrap().keys() {
            assert_eq!(
                got[key], want[key],
                "{file}: {key} differs from the transcription"
            );
        }
        assert_eq!(got, want, "{file}");

        let report = Report::new(sourced, None);
        let review = &t["review"];
        assert_eq!(
            report.review.execution_rate.map(|d| d.to_string()),
            review["execution_rate"].as_str().map(String::from),
            "{file}: 执行率"
        );
        assert_eq!(
            report.review.funds_score.map(|d| d.to_string()),
            review["funds_score"].as_str().map(String::from),
            "{file}: 预算执行得分"
        );
        for (name, computed) in review["computed"].as_object().unwrap() {
            let i = report
                .form
                .indicators
                .iter()
                .position(|ind| ind.name == *name)
                .unwrap_or_else(|| panic!("{file}: no indicator {name}"));
            assert_eq!(
                report.review.indicators[i].computed.map(|d| d.to_string()),
                computed.as_str().map(String::from),
                "{file}: computed score of {name}"
            );
        }
        for (code, cell) in expected {
            let found = report.findings.iter().any(|f| {
                f.code == *code
                    && match f.cell.as_deref() {
                        Some(c) => c.rsplit('!').next() == Some(cell),
                        None => cell.is_empty(),
                    }
            });
            assert!(
                found,
                "{file}: expected {code} at {cell}; reported:\n{}",
                report
                    .findings
                    .iter()
                    .map(|f| format!("  {} {:?} {}", f.code, f.cell, f.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        // The form is cut off: the missing total is reported, never invented.
        assert_eq!(report.form.total_score, None, "{file}");
        assert!(
            report.findings.iter().any(|f| f.code == "total-missing"),
            "{file}"
        );
    }
}

#[test]
fn real_forms_read_as_transcribed_with_their_filing_errors() {
    let Some(dir) = common::shared("real-forms") else {
        return;
    };
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(String::from)
        })
        .collect();
    ids.sort();
    assert!(ids.len() >= 6, "{ids:?}");
    for id in &ids {
        let expected = EXPECTED
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, e)| *e)
            .unwrap_or_else(|| panic!("no expected findings written for {id}"));
        check_one(&dir, id, expected);
    }
}

/// The real forms saved again by LibreOffice as `.xls` and `.ods` read exactly as their
/// `.xlsx` does: the same form, the same findings at the same cells.
#[test]
fn real_forms_read_the_same_as_xls_and_ods() {
    let Some(dir) = common::shared("real-forms") else {
        return;
    };
    if !common::have_tool("soffice") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut books: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    books.sort();
    for name in &books {
        std::fs::copy(dir.join(name), work.path().join(name)).unwrap();
    }
    for format in ["xls:MS Excel 97", "ods"] {
        common::run_command(
            common::soffice(work.path())
                .args(["--convert-to", format, "--outdir"])
                .arg(work.path())
                .args(&books),
        );
    }
    let summary = |path: &Path| {
        let forms = jixiao::read::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(forms.len(), 1, "{}", path.display());
        let report = Report::new(forms[0].clone(), None);
        let findings: Vec<(String, Option<String>)> = report
            .findings
            .iter()
            .map(|f| (f.code.to_string(), f.cell.clone()))
            .collect();
        (serde_json::to_value(&report.form).unwrap(), findings)
    };
    // A value typed as `=8个` is a formula without a result in the .xlsx (read as its text);
    // LibreOffice calculates it to an error (#NAME?), which reads as blank with `cell-error`.
    let typed = |form: &mut Value, findings: &mut Vec<(String, Option<String>)>| {
        for ind in form["indicators"].as_array_mut().unwrap() {
            if ind["target"].as_str().is_some_and(|t| t.starts_with('=')) {
                ind["target"] = Value::from("");
            }
        }
        // The row number of a cell reference (`Sheet1!E14` → `14`).
        let row_of = |cell: &Option<String>| {
            let a1 = cell
                .as_deref()
                .unwrap_or("")
                .rsplit('!')
                .next()
                .unwrap_or("");
            a1.trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .to_string()
        };
        let mut rows = Vec::new();
        for (code, cell) in findings.iter_mut() {
            if code == "formula-no-value" {
                *code = "cell-error".to_string();
                rows.push(row_of(cell));
            }
        }
        // What follows from the target's text (a unit left out beside it) goes with it.
        findings.retain(|(code, cell)| code != "unit-omitted" || !rows.contains(&row_of(cell)));
    };
    for name in &books {
        let stem = name.trim_end_matches(".xlsx");
        let (mut form, mut findings) = summary(&work.path().join(name));
        typed(&mut form, &mut findings);
        for ext in ["xls", "ods"] {
            let (other_form, other_findings) = summary(&work.path().join(format!("{stem}.{ext}")));
            assert_eq!(other_form, form, "{stem}.{ext}");
            assert_eq!(other_findings, findings, "{stem}.{ext}");
        }
    }
}

/// Every workbook of the real forms and of the layout variants.
fn workbooks() -> Vec<std::path::PathBuf> {
    let mut books: Vec<_> = std::fs::read_dir(common::repo("tests/fixtures/variants"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    if let Some(dir) = common::shared("real-forms") {
        books.extend(std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()));
    }
    books.retain(|p| p.extension().is_some_and(|e| e == "xlsx"));
    books.sort();
    books
}

/// A form is checked as filed: fitting it to another layout (`--layout`, which may re-file
/// its indicators under another tree) changes none of its findings, and a finding about an
/// indicator still names the same indicator after the move.
#[test]
fn the_layout_never_changes_the_findings() {
    let mut refiled = 0;
    for path in workbooks() {
        for sourced in jixiao::read::load(&path).unwrap() {
            let plain = Report::new(sourced.clone(), None);
            // Layouts of the form's kind: one of the other kind adds `layout-kind`.
            for layout in jixiao::Layout::builtin()
                .iter()
                .filter(|l| l.kind == sourced.form.kind)
            {
                let fitted = Report::new(sourced.clone(), Some(layout));
                let what = format!("{} under {}", path.display(), layout.name);
                let seen = |r: &Report| -> Vec<_> {
                    r.findings
                        .iter()
                        .map(|f| (f.code, f.severity, f.cell.clone(), f.message.clone()))
                        .collect()
                };
                assert_eq!(seen(&fitted), seen(&plain), "{what}");
                let names = |r: &Report| -> Vec<Option<String>> {
                    r.findings
                        .iter()
                        .map(|f| match f.field {
                            Some(jixiao::model::Field::Indicator(i, _)) => {
                                Some(r.form.indicators[i].name.clone())
                            }
                            _ => None,
                        })
                        .collect()
                };
                assert_eq!(names(&fitted), names(&plain), "{what}");
                refiled += usize::from(fitted.form.indicators != plain.form.indicators);
            }
        }
    }
    // Some of them followed the other tree and were re-filed: the move is exercised.
    assert!(refiled > 0);
}

/// A subtotal is printed as filed: ah-chizhou-2022b marks 效益指标 (30分) over 分值 adding
/// up to 20. Rendered in its own layout, the 一级 cell still says 30, carries the finding and
/// reads back with the same error; re-filed under the current tree, the subtotals are the
/// layout's groups and print their sums.
#[test]
fn filed_subtotals_are_rendered_as_filed() {
    let Some(dir) = common::shared("real-forms") else {
        return;
    };
    let sourced = jixiao::read::load(&dir.join("ah-chizhou-2022b.xlsx"))
        .unwrap()
        .remove(0);
    let anhui = jixiao::Layout::by_name("anhui-2022").unwrap();
    let report = Report::new(sourced, Some(anhui));
    let options = jixiao::layout::Options::default();
    let grid = jixiao::layout::build(&report, anhui, &options).unwrap();
    let cell = grid
        .cells
        .iter()
        .find(|c| c.value.display().starts_with("效益指标"))
        .expect("the 效益指标 cell");
    assert_eq!(cell.value.display(), "效益指标(30分)");
    assert!(
        grid.notes
            .iter()
            .any(|n| n.code == "subtotal-mismatch" && n.row == cell.row && n.col == cell.col),
        "the finding is pinned on the cell"
    );
    let work = tempfile::tempdir().unwrap();
    let written = work.path().join("chizhou.xlsx");
    std::fs::write(&written, jixiao::render::xlsx::write(&grid).unwrap()).unwrap();
    let back = Report::new(jixiao::read::load(&written).unwrap().remove(0), None);
    let mismatch: Vec<&str> = back
        .findings
        .iter()
        .filter(|f| f.code == "subtotal-mismatch")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        mismatch,
        ["一级指标“效益指标”标注为 30 分，其下各三级指标的分值合计为 20"]
    );

    let current = jixiao::Layout::by_name("beijing-2024").unwrap();
    let sourced = jixiao::read::load(&dir.join("ah-chizhou-2022b.xlsx"))
        .unwrap()
        .remove(0);
    let refiled = Report::new(sourced, Some(current));
    assert_eq!(refiled.filed_subtotal("效益指标"), None);
}
