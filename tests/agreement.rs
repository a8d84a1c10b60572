//! The outputs agree: a form whose filed figures are not what the rules give (sample 000 with
//! its funds 得分 changed to 5.00) shows the same filed and computed figures in the workbook,
//! the PDF, 汇总表 and `check --json`. The form's cells show what was filed; the figures by the
//! rules are named as such (审核意见, 汇总表, the JSON's `review`).

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::{jixiao, repo};

fn workbook(path: &std::path::Path) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(std::fs::read(path).unwrap())).expect("the workbook opens")
}

/// The cells of a sheet as text, by row.
fn rows(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Float(f) => format!("{f:.2}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The row holding a cell `label`, from that cell on.
fn row_after<'r>(rows: &'r [Vec<String>], label: &str) -> &'r [String] {
    rows.iter()
        .find_map(|r| r.iter().position(|c| c == label).map(|at| &r[at..]))
        .unwrap_or_else(|| panic!("no row “{label}”"))
}

/// The non-empty cells of a row.
fn filled(row: &[String]) -> Vec<&str> {
    row.iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn a_form_with_a_wrong_funds_score_shows_the_same_figures_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut form: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("samples/000.json")).unwrap()).unwrap();
    form["funds"]["score"] = "5.00".into();
    std::fs::write(dir.path().join("000.json"), form.to_string()).unwrap();

    // check --json: the form as filed, the review by the rules.
    let report = jixiao(dir.path(), &["check", "--json", "000.json"]).json();
    let r = &report[0];
    assert_eq!(r["form"]["funds"]["score"], "5.00");
    assert_eq!(r["form"]["total_score"], "96.00");
    let review = &r["review"];
    assert_eq!(review["execution_rate"], "100.00");
    assert_eq!(review["funds_score"], "10.00");
    assert_eq!(
        (&review["total"], &review["grade"]),
        (&"91.00".into(), &"优".into())
    );
    assert_eq!(
        (&review["reviewed_total"], &review["reviewed_grade"]),
        (&"89.00".into(), &"良".into())
    );
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"funds-score") && codes.contains(&"total-mismatch"));

    let run = jixiao(
        dir.path(),
        &["render", "000.json", "-o", "out", "--date", "2025-03-01"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = dir.path().join("out");

    // The workbook: the filed figures in the form's cells, the computed ones named in
    // 审核意见.
    let mut wb = workbook(&out.join("000.xlsx"));
    let form_rows = rows(&mut wb, "自评表");
    let funds = filled(row_after(&form_rows, "年度资金总额："));
    assert_eq!(
        funds,
        [
            "年度资金总额：",
            "19.00",
            "18.95",
            "18.95",
            "10.00",
            "1.00",
            "5.00"
        ],
        "weight 10, rate 100 %, 得分 as filed"
    );
    let total = filled(row_after(&form_rows, "总分："));
    assert_eq!(total, ["总分：", "100.00", "96.00"]);
    let figures = rows(&mut wb, "审核意见");
    let figure = |label: &str| row_after(&figures, label)[1].clone();
    assert_eq!(figure("执行率（C/B）"), "1.00");
    assert_eq!(figure("预算执行得分（填报）"), "5.00");
    assert_eq!(figure("预算执行得分（按规则）"), "10.00");
    assert_eq!(figure("总分（填报）"), "96.00");
    assert_eq!(figure("自评总分"), "91.00");
    assert_eq!(figure("复核总分"), "89.00");
    assert!(figures.iter().any(|n| n[1] == "funds-score"), "{figures:?}");

    // The PDF: the same cells.
    if common::have_tool("pdftotext") {
        let text = common::run_tool(
            "pdftotext",
            &["-layout", &out.join("000.pdf").to_string_lossy(), "-"],
        );
        // The words of the line with `label`, from it on (a block label may stand left).
        let line = |label: &str| {
            let line = text
                .lines()
                .find_map(|l| l.find(label).map(|at| &l[at..]))
                .unwrap_or_else(|| panic!("no line “{label}” in\n{text}"));
            line.split_whitespace().collect::<Vec<_>>()
        };
        assert_eq!(
            line("年度资金总额："),
            [
                "年度资金总额：",
                "19.000000",
                "18.950000",
                "18.950000",
                "10.00",
                "100.00%",
                "5.00"
            ]
        );
        assert_eq!(line("总分："), ["总分：", "100.00", "96.00"]);
    }

    // 汇总表: the filed 总分, and the totals by the rules, named.
    let mut summary = workbook(&out.join("汇总表.xlsx"));
    let sheet = rows(&mut summary, "汇总");
    let header = &sheet[0];
    let at = |name: &str| {
        let col = header.iter().position(|h| h == name).unwrap();
        sheet[1][col].clone()
    };
    assert_eq!(at("执行率"), "1.00");
    assert_eq!(at("填报总分"), "96.00");
    assert_eq!(at("自评总分"), "91.00");
    assert_eq!(at("等级"), "优");
    assert_eq!(at("复核总分"), "89.00");
    assert_eq!(at("复核等级"), "良");
}
