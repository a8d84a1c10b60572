//! `jixiao check` as a user runs it: reports, the JSON contract, exit codes, bad input.

mod common;

use common::{jixiao, workdir};
use serde_json::Value;

#[test]
fn sample_000_reviews_to_89_with_one_error() {
    let dir = workdir(&["samples/000.json"]);
    let run = jixiao(dir.path(), &["check", "--json", "000.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reports = run.json();
    let r = &reports[0];
    assert_eq!(r["source"], "000.json");
    assert_eq!(r["layout"], "beijing-2024");
    let review = &r["review"];
    assert_eq!(review["execution_rate"], "100.00");
    assert_eq!(review["funds_score"], "10.00");
    assert_eq!(
        (&review["total"], &review["grade"]),
        (&Value::from("96.00"), &Value::from("优"))
    );
    assert_eq!(
        (&review["reviewed_total"], &review["reviewed_grade"]),
        (&Value::from("89.00"), &Value::from("良"))
    );
    assert_eq!(review["indicators"][11]["computed"], "0.00");
    assert_eq!(review["indicators"][11]["method"], "positive");
    assert_eq!(review["indicators"][12]["computed"], Value::Null);
    assert_eq!(review["indicators"][12]["method"], "qualitative");
    assert_eq!(review["indicators"][4]["method"], "deadline");
    assert_eq!(review["indicators"][8]["method"], "reverse");

    let findings = r["findings"].as_array().unwrap();
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("投诉降低率") && message.contains("7.00") && message.contains("0.00"));
    let deduction = findings.iter().find(|f| f["code"] == "deduction").unwrap();
    assert_eq!(deduction["severity"], "info");
    assert!(
        deduction["message"]
            .as_str()
            .unwrap()
            .contains("为前端服务")
    );
}

#[test]
fn the_form_is_echoed_exactly() {
    let dir = workdir(&["samples/000.json", "samples/001.json"]);
    let run = jixiao(dir.path(), &["check", "--json", "000.json", "001.json"]);
    let reports = run.json();
    for (i, name) in ["000", "001"].iter().enumerate() {
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(common::repo(&format!("samples/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(reports[i]["form"], want, "{name}");
        // Key order as in the contract, too.
        assert_eq!(
            serde_json::to_string(&reports[i]["form"]).unwrap(),
            serde_json::to_string(&want).unwrap()
        );
    }
}

#[test]
fn sample_001_reviews_to_94_85_with_deductions() {
    let dir = workdir(&["samples/001.json"]);
    let run = jixiao(dir.path(), &["check", "--json", "001.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = &run.json()[0];
    assert_eq!(r["review"]["execution_rate"], "98.55");
    assert_eq!(r["review"]["funds_score"], "9.85");
    assert_eq!(r["review"]["total"], "94.85");
    assert_eq!(r["review"]["grade"], "优");
    assert_eq!(r["review"]["reviewed_total"], "94.85");
    let deductions: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "deduction")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        deductions
            .iter()
            .any(|m| m.contains("自评 5.60") && m.contains("理由"))
    );
    assert!(
        deductions
            .iter()
            .any(|m| m.contains("自评 7.00") && m.contains("理由"))
    );
}

#[test]
fn the_readable_report_names_the_problem() {
    let dir = workdir(&["samples/000.json"]);
    let run = jixiao(dir.path(), &["check", "000.json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("自评 96.00（优），复核 89.00（良）"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("错误 indicators[11].score [indicator-overstated]"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour when not a terminal"
    );
}

#[test]
fn toml_input_is_read_like_json() {
    let dir = workdir(&["samples/001.json"]);
    let json = std::fs::read_to_string(dir.path().join("001.json")).unwrap();
    let form: jixiao::Form = serde_json::from_str(&json).unwrap();
    std::fs::write(dir.path().join("001.toml"), toml::to_string(&form).unwrap()).unwrap();
    let a = jixiao(dir.path(), &["check", "--json", "001.json"]).json();
    let b = jixiao(dir.path(), &["check", "--json", "001.toml"]).json();
    assert_eq!(a[0]["form"], b[0]["form"]);
    assert_eq!(a[0]["review"], b[0]["review"]);
}

#[test]
fn a_directory_is_walked() {
    let dir = workdir(&["samples/000.json", "samples/001.json"]);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::rename(dir.path().join("001.json"), dir.path().join("sub/001.json")).unwrap();
    std::fs::write(dir.path().join(".hidden.json"), "{").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a form").unwrap();
    let run = jixiao(dir.path(), &["check", "--json", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sources = run.sources();
    assert_eq!(sources, ["./000.json", "./sub/001.json"]);
}

#[test]
fn malformed_inputs_give_one_chinese_line_and_exit_2() {
    let dir = workdir(&["samples/000.json"]);
    let sample = std::fs::read_to_string(dir.path().join("000.json")).unwrap();
    let cases = [
        ("empty.json", String::new(), "empty.json：文件为空"),
        (
            "text.json",
            "这不是表格".to_string(),
            "text.json：不是有效的 JSON",
        ),
        (
            "cut.json",
            sample[..sample.floor_char_boundary(sample.len() / 2)].to_string(),
            "cut.json：不是完整的 JSON",
        ),
        (
            "weight.json",
            sample.replacen("\"weight\": \"10.00\"", "\"weight\": \"abc\"", 1),
            "weight.json：字段 funds.weight：“abc”不是有效的数字",
        ),
        (
            "missing.json",
            sample.replacen("\"unit\": \"048019-北京艺术博物馆\",", "", 1),
            "missing.json：缺少字段 unit",
        ),
        (
            "bad.toml",
            "year = [".to_string(),
            "bad.toml：不是有效的 TOML",
        ),
    ];
    for (name, content, want) in &cases {
        std::fs::write(dir.path().join(name), content).unwrap();
        let run = jixiao(dir.path(), &["check", name]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!("jixiao: {want}")),
            "{name}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"));
    }
    // The bad files do not stop the good one.
    let run = jixiao(
        dir.path(),
        &[
            "check",
            "--json",
            "empty.json",
            "000.json",
            "missing.json",
            "nothing.json",
        ],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.json().as_array().unwrap().len(), 1);
    assert_eq!(run.stderr.lines().count(), 3, "{}", run.stderr);
    assert!(run.stderr.contains("nothing.json：无法读取"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = workdir(&[]);
    assert_eq!(jixiao(dir.path(), &["check"]).code, 2);
    assert_eq!(jixiao(dir.path(), &["frobnicate"]).code, 2);
    let run = jixiao(dir.path(), &["check", "--layout", "nope", "x.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("找不到表样“nope”"), "{}", run.stderr);
}

#[test]
fn layouts_are_listed() {
    let dir = workdir(&[]);
    let run = jixiao(dir.path(), &["layouts"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("beijing-2024") && run.stdout.contains("mof-2020"));
}
