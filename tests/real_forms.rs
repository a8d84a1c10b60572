//! The ten real published forms of `../shared/real-forms/` (Anhui, Hebei, Sichuan, Yunnan):
//! each read field by field exactly as transcribed — as printed text and with numbers stored as
//! numbers — and the filing errors each contains reported at their cells.
//!
//! The transcriptions list every printed row with its kind. Rows of kind `ind` are the
//! indicators. One more is read as an indicator: a row the excerpt cut off after its 分值
//! (`truncated`, with a weight) is an indicator whose results are not filled in, and jixiao
//! keeps it — dropping a weighted row would change Σ分值 and lose what the form says — and
//! reports its missing 实际完成值 and 得分. Every other row (template rows, detail rows, a
//! name alone) is not an indicator.
//!
//! Two rules of the reader differ from the letter of the transcriptions, and the comparison
//! applies them to the transcription too: a template's numbering before a name (`指标1:工程质量
//! 合格`, `指标1学生满意度`) is not part of the name (`name-prefix`), and funds rows the form model
//! has no row of (财政专户管理资金, 单位资金) are other funds, added into 其他资金
//! (`funds-row-merged`).

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
        "ah-tianchang-2022",
        &[
            // 主管部门 left empty; 执行率 blank beside 分值 10 and 得分 10.
            ("header-missing", "C4"),
            ("funds-rate-missing", "H6"),
            // Six indicators with neither target nor actual value, scored full.
            ("target-actual-missing", "F16"),
            ("target-actual-missing", "F19"),
            ("target-actual-missing", "F22"),
            ("target-actual-missing", "F25"),
            ("target-actual-missing", "F28"),
            ("target-actual-missing", "F34"),
            // The template's rows: 指标2: and …… under every 二级, 生态效益 filled with '/'.
            ("row-placeholder", "D15"),
            ("row-placeholder", "D17"),
            ("row-placeholder", "D31"),
            ("row-placeholder", "D39"),
            ("tree-level2-empty", "C31"),
            // 指标1: left before the names.
            ("name-prefix", "D13"),
            ("name-prefix", "D37"),
        ],
    ),
    (
        "sc-qingshen-2023",
        &[
            // Published unfilled: no 完成值, no 得分, no total.
            ("actual-missing", "H16"),
            ("actual-missing", "H17"),
            ("score-missing", "J16"),
            ("score-missing", "J17"),
            ("total-missing", "J18"),
            // The funds 得分 blank (computes 10.00).
            ("score-missing", "I10"),
            // The template's instructions where the answers belong.
            ("template-text", "H7"),
            ("template-text", "J10"),
            // 财政专户管理资金 and 单位资金 are other funds.
            ("funds-row-merged", "B13"),
        ],
    ),
    (
        "sc-zhongjiang-2022",
        &[
            // Σ分值 110 and Σ得分 110 under a 总分 of 100.
            ("weights-sum", ""),
            ("total-mismatch", "I24"),
            // Actual values that restate the target.
            ("actual-bound", "H13"),
            ("actual-bound", "H14"),
            ("actual-bound", "H16"),
            ("actual-bound", "H17"),
            ("actual-bound", "H20"),
            ("actual-bound", "H22"),
            ("tree-level2-empty", "D19"),
            ("row-placeholder", "E23"),
        ],
    ),
    (
        "yn-yongde-2022",
        &[
            // Two scores lowered without a 偏差原因.
            ("deviation-missing", "K16"),
            ("deviation-missing", "K19"),
            ("tree-level2-empty", "C20"),
            // 其他需要说明事项 before the 总分 row.
            ("row-remark", "A24"),
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

/// A name without the template's numbering before it: `指标1:工程质量合格` → `工程质量合格`,
/// `指标1学生满意度` → `学生满意度`; `指标2:` alone stays (a placeholder row).
fn without_numbering(name: &str) -> String {
    let Some(rest) = name.strip_prefix("指标") else {
        return name.to_string();
    };
    let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let named = after.trim_start_matches([':', '：']);
    if after.len() == rest.len() || named.is_empty() {
        name.to_string()
    } else {
        named.to_string()
    }
}

/// The funds of the transcription in its unit, with the rows the model has no row of added
/// into 其他资金.
fn transcribed_funds(t: &Value) -> Value {
    let mut funds = t["funds"].clone();
    if t["funds_unit"] == "元" {
        funds["unit"] = Value::from("元");
    }
    let Some(extra) = t["extra_fund_rows"].as_object() else {
        return funds;
    };
    let mut other = funds["other"].clone();
    for row in extra.values() {
        for column in ["initial", "budget", "executed"] {
            let Some(add) = row[column].as_str().filter(|a| !a.is_empty()) else {
                continue;
            };
            let add: rust_decimal::Decimal = add.parse().unwrap();
            let sum = match other[column].as_str().filter(|a| !a.is_empty()) {
                Some(have) => have.parse::<rust_decimal::Decimal>().unwrap() + add,
                None => add,
            };
            if other.is_null() {
                other = json!({});
            }
            other[column] = Value::from(sum.to_string());
        }
    }
    funds["other"] = other;
    funds
}

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
                "name": without_numbering(&field("name")),
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
        // A blank 项目负责人 (qingshen's unsigned sign-off line) is none.
        "lead": t["lead"].as_str().filter(|l| !l.is_empty()),
        "phone": t["phone"].as_str().filter(|p| !p.is_empty()),
        "funds": transcribed_funds(t),
        "goals": t["goals"],
        "indicators": indicators,
        "total_score": t["total_score"],
        "grade": t["grade_printed"].as_str().filter(|g| !g.is_empty()),
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
                .position(|ind| ind.name == without_numbering(name))
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
        if t["complete"] == json!(true) {
            // Its 总分 row is read, wherever it stands.
            assert!(
                report
                    .findings
                    .iter()
                    .all(|f| f.code != "total-row-missing"),
                "{file}"
            );
        } else {
            // The form is cut off: the missing total is reported, never invented.
            assert_eq!(report.form.total_score, None, "{file}");
            assert!(
                report.findings.iter().any(|f| f.code == "total-missing"),
                "{file}"
            );
        }
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
        let sourced = forms[0].clone();
        // The indicators whose target is a formula the file keeps no result for (`=8个`).
        let formulas: Vec<usize> = (0..sourced.form.indicators.len())
            .filter(|&i| {
                let field =
                    jixiao::model::Field::Indicator(i, jixiao::model::IndicatorField::Target);
                let cell = sourced.cells.reference(field);
                cell.is_some()
                    && Report::new(sourced.clone(), None)
                        .findings
                        .iter()
                        .any(|f| f.code == "formula-no-value" && f.cell == cell)
            })
            .collect();
        let report = Report::new(sourced, None);
        let findings: Vec<(String, Option<String>)> = report
            .findings
            .iter()
            .map(|f| (f.code.to_string(), f.cell.clone()))
            .collect();
        (
            serde_json::to_value(&report.form).unwrap(),
            findings,
            formulas,
        )
    };
    // A value typed as `=8个` is a formula without a result in the .xlsx (read as its text);
    // LibreOffice calculates it to an error (#NAME?), which reads as blank with `cell-error`.
    let typed =
        |form: &mut Value, findings: &mut Vec<(String, Option<String>)>, formulas: &[usize]| {
            for &i in formulas {
                form["indicators"][i]["target"] = Value::from("");
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
        let (mut form, mut findings, formulas) = summary(&work.path().join(name));
        typed(&mut form, &mut findings, &formulas);
        for ext in ["xls", "ods"] {
            let (other_form, other_findings, _) =
                summary(&work.path().join(format!("{stem}.{ext}")));
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
