//! Reading workbooks by their labels: every fixture in `.xlsx`, `.xls` and `.ods` gives exactly
//! the expected form and source cells; bad workbooks give one clear line and exit code 2.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{jixiao, repo, workdir};
use jixiao::model::{Field, FundsColumn, FundsRowKind, IndicatorField, SourceCells, SourcedForm};
use jixiao::{Error, Form};
use rust_decimal::Decimal;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    repo(&format!("tests/fixtures/read/{name}"))
}

fn load(path: &Path) -> Vec<SourcedForm> {
    jixiao::read::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn expected_json(stem: &str) -> Value {
    let text = std::fs::read_to_string(fixture(&format!("{stem}.form.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn expected_form(stem: &str) -> Form {
    let text = std::fs::read_to_string(fixture(&format!("{stem}.form.json"))).unwrap();
    jixiao::read::form_from_json(&text).unwrap()
}

/// Every field a form can have, by its path in the JSON contract.
fn all_fields(form: &Form) -> Vec<Field> {
    let mut fields = vec![
        Field::Year,
        Field::Project,
        Field::Department,
        Field::Unit,
        Field::Lead,
        Field::Phone,
        Field::FundsWeight,
        Field::FundsScore,
        Field::FundsRate,
        Field::Expected,
        Field::Achieved,
        Field::TotalScore,
        Field::Grade,
    ];
    for row in FundsRowKind::ALL {
        for col in FundsColumn::ALL {
            fields.push(Field::Funds(row, col));
        }
    }
    let each = [
        IndicatorField::Level1,
        IndicatorField::Level2,
        IndicatorField::Name,
        IndicatorField::Target,
        IndicatorField::Actual,
        IndicatorField::Weight,
        IndicatorField::Score,
        IndicatorField::Deviation,
    ];
    for i in 0..form.indicators.len() {
        fields.extend(each.iter().map(|f| Field::Indicator(i, *f)));
    }
    fields
}

/// The cells of `NAME.cells.json` that a [`Field`] stands for, checked against `cells`.
fn check_cells(what: &str, stem: &str, form: &Form, cells: &SourceCells) {
    let text = std::fs::read_to_string(fixture(&format!("{stem}.cells.json"))).unwrap();
    let want: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
    let got: BTreeMap<String, String> = all_fields(form)
        .into_iter()
        .filter_map(|f| Some((f.to_string(), cells.reference(f)?)))
        .collect();
    let mut checked = 0;
    for (key, cell) in &want {
        let key = match key.as_str() {
            "funds.total.rate" => "funds.rate",
            k if k.ends_with(".rate") => continue, // only the total row's rate is a field
            k => k,
        };
        assert_eq!(got.get(key), Some(cell), "{what}: source cell of {key}");
        checked += 1;
    }
    assert!(checked > 50, "{what}: only {checked} cells checked");
}

/// The execution rate the fixtures show: C/B of 年度资金总额 in percent, 2 decimals.
fn shown_rate(form: &Form) -> Option<Decimal> {
    let total = form.funds.total.as_ref()?;
    let rate = total.executed? / total.budget? * Decimal::ONE_HUNDRED;
    Some(rate.round_dp(2))
}

/// Checks one form read from a workbook against `NAME.form.json` and `NAME.cells.json`.
fn check_form(what: &str, stem: &str, got: &SourcedForm, exact_digits: bool) {
    let want = expected_form(stem);
    let form = got.form.clone();
    assert_eq!(
        got.shown.execution_rate,
        shown_rate(&want),
        "{what}: 执行率 shown"
    );
    assert_eq!(form.grade, None, "{what}: grade");
    for (i, (a, b)) in form.indicators.iter().zip(&want.indicators).enumerate() {
        assert_eq!(a, b, "{what}: indicators[{i}]");
    }
    assert_eq!(form, want, "{what}: form");
    if exact_digits {
        // Text cells keep their digits: compare the JSON, not just the numbers.
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            expected_json(stem),
            "{what}: JSON"
        );
    }
    check_cells(what, stem, &got.form, &got.cells);
}

const SINGLE: [&str; 10] = [
    "canonical-000",
    "canonical-001",
    "numbers",
    "offset",
    "labels",
    "repeated",
    "once",
    "wide",
    "mof-2020",
    "no-year",
];

#[test]
fn every_fixture_reads_in_every_format() {
    for name in SINGLE {
        for ext in ["xlsx", "xls", "ods"] {
            let path = fixture(&format!("{name}.{ext}"));
            let forms = load(&path);
            let what = format!("{name}.{ext}");
            assert_eq!(forms.len(), 1, "{what}");
            assert_eq!(forms[0].source, path.display().to_string(), "{what}");
            assert_eq!(forms[0].cells.sheet, "自评表", "{what}");
            check_form(&what, name, &forms[0], name != "numbers");
        }
    }
}

#[test]
fn xlwt_numbers_reads_like_libreoffice_numbers() {
    let forms = load(&fixture("xlwt-numbers.xls"));
    assert_eq!(forms.len(), 1);
    check_form("xlwt-numbers.xls", "xlwt-numbers", &forms[0], false);
}

#[test]
fn numbers_show_as_formatted_and_keep_their_value() {
    for ext in ["xlsx", "xls", "ods"] {
        let form = &load(&fixture(&format!("numbers.{ext}")))[0].form;
        let ind = &form.indicators;
        // Percent-formatted fractions are text as displayed.
        assert_eq!(
            (
                ind[1].actual.as_str(),
                ind[2].target.as_str(),
                ind[2].actual.as_str()
            ),
            ("100%", "100%", "100.00%"),
            "{ext}"
        );
        assert_eq!(ind[7].actual, "99.00%", "{ext}");
        assert_eq!(ind[9].actual, "99%", "{ext}");
        // Numbers: the stored value, never a float artefact, with the zeros the format shows.
        let total = form.funds.total.as_ref().unwrap();
        let text = |d: Option<Decimal>| d.unwrap().to_string();
        assert_eq!(text(total.budget), "146.435000", "{ext}"); // 0.000000
        assert_eq!(text(form.funds.score), "9.85", "{ext}"); // 0.00
        assert_eq!(text(ind[0].weight), "15", "{ext}"); // General
        assert_eq!(text(ind[1].weight), "15.00", "{ext}"); // 0.00
        let shown = load(&fixture(&format!("numbers.{ext}")))[0].shown.clone();
        assert_eq!(shown.execution_rate.unwrap().to_string(), "98.55", "{ext}");
    }
}

#[test]
fn one_form_per_sheet() {
    for ext in ["xlsx", "xls", "ods"] {
        let path = fixture(&format!("multi.{ext}"));
        let forms = load(&path);
        assert_eq!(forms.len(), 2, "multi.{ext}");
        for (form, sheet) in forms.iter().zip(["项目一", "项目二"]) {
            let what = format!("multi.{ext}#{sheet}");
            assert_eq!(form.source, format!("{}#{sheet}", path.display()));
            assert_eq!(form.cells.sheet, sheet);
            check_form(&what, &format!("multi.{sheet}"), form, true);
        }
    }
}

#[test]
fn a_missing_year_is_empty_not_an_error() {
    for ext in ["xlsx", "xls", "ods"] {
        let form = &load(&fixture(&format!("no-year.{ext}")))[0];
        assert_eq!(form.form.year, None);
        // The finding points at the title.
        assert_eq!(
            form.cells.reference(Field::Year).as_deref(),
            Some("自评表!A1")
        );
    }
}

#[test]
fn samples_read_back_to_their_data_files() {
    for name in ["000", "001"] {
        let forms = load(&repo(&format!("samples/{name}.xlsx")));
        let form = forms[0].form.clone();
        let json = std::fs::read_to_string(repo(&format!("samples/{name}.json"))).unwrap();
        let want = jixiao::read::form_from_json(&json).unwrap();
        assert_eq!(form, want, "{name}");
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            serde_json::from_str::<Value>(&json).unwrap()
        );
    }
}

#[test]
fn check_on_a_workbook_gives_the_same_review_as_the_data_file() {
    let dir = workdir(&["samples/000.json", "samples/000.xlsx"]);
    let a = jixiao(dir.path(), &["check", "--json", "000.json"]);
    let b = jixiao(dir.path(), &["check", "--json", "000.xlsx"]);
    assert_eq!(a.code, 1, "{}", a.stderr);
    assert_eq!(b.code, 1, "{}", b.stderr);
    let (a, b) = (&a.json()[0], &b.json()[0]);
    assert_eq!(b["source"], "000.xlsx");
    assert_eq!(a["review"], b["review"]);
    assert_eq!(b["review"]["reviewed_total"], "89.00");
    let codes = |r: &Value| -> Vec<Value> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].clone())
            .collect()
    };
    assert_eq!(codes(a), codes(b));
    let overstated = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "indicator-overstated")
        .expect("the overstated indicator");
    assert_eq!(overstated["cell"], "自评表!G25");
    assert_eq!(overstated["field"], "indicators[11].score");
    // The readable report names the cell too.
    let run = jixiao(dir.path(), &["check", "000.xlsx"]);
    assert!(run.stdout.contains("自评表!G25"), "{}", run.stdout);
}

#[test]
fn several_forms_in_one_workbook_are_several_reports() {
    let dir = workdir(&["tests/fixtures/read/multi.ods"]);
    let run = jixiao(dir.path(), &["check", "--json", "multi.ods"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reports = run.json();
    let sources: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["multi.ods#项目一", "multi.ods#项目二"]);
    assert_eq!(reports[1]["review"]["total"], "94.85");
}

#[test]
fn a_directory_of_workbooks_is_walked() {
    let dir = workdir(&[
        "tests/fixtures/read/canonical-000.xls",
        "tests/fixtures/read/canonical-001.ods",
        "samples/000.xlsx",
    ]);
    std::fs::write(dir.path().join("~$000.xlsx"), b"lock").unwrap();
    let run = jixiao(dir.path(), &["check", "--json", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.json().as_array().unwrap().len(), 3);
}

/// `(file, the reason its one stderr line must give)`.
const BAD: [(&str, &str); 10] = [
    ("not-a-workbook.xlsx", "是纯文本文件，不是工作簿"),
    ("not-a-workbook.xls", "是纯文本文件，不是工作簿"),
    ("not-a-workbook.ods", "是纯文本文件，不是工作簿"),
    (
        "truncated.xlsx",
        "不是有效的 Excel 文件（zip 结构损坏或文件不完整）",
    ),
    ("corrupt.xlsx", "不是有效的 Excel 文件（工作簿内容损坏"),
    (
        "encrypted.xlsx",
        "文件已加密，请先在 Excel/WPS 中取消密码后再读取",
    ),
    ("empty.xlsx", "未找到自评表（工作表：Sheet1）"),
    ("no-form.xlsx", "未找到自评表（工作表：价目表）"),
    (
        "missing-indicators.xlsx",
        "工作表“自评表”缺少“绩效指标”表头（一级指标、二级指标、三级指标…），无法审核",
    ),
    ("stray-cell.xlsx", ""),
];

#[test]
fn bad_workbooks_give_one_chinese_line_and_exit_2() {
    let files: Vec<String> = BAD
        .iter()
        .map(|(f, _)| format!("tests/fixtures/bad/{f}"))
        .chain(["samples/001.xlsx".to_string()])
        .collect();
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    let dir = workdir(&refs);
    for (file, reason) in BAD {
        let run = jixiao(dir.path(), &["check", "--json", file]);
        assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
        if reason.is_empty() {
            continue; // not bad: read below
        }
        assert_eq!(run.code, 2, "{file}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{file}: {}", run.stderr);
        let want = format!("jixiao: {file}：{reason}");
        assert!(run.stderr.starts_with(&want), "{file}: {}", run.stderr);
        assert_eq!(run.json(), Value::Array(vec![]), "{file}");
    }
    // All at once: every bad file is reported, the good ones still are.
    let mut args = vec!["check", "--json"];
    args.extend(BAD.iter().map(|(f, _)| *f));
    args.push("001.xlsx");
    let run = jixiao(dir.path(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), BAD.len() - 1, "{}", run.stderr);
    let sources = run.sources();
    assert_eq!(sources, ["stray-cell.xlsx", "001.xlsx"]);
}

#[test]
fn library_errors_say_what_is_wrong() {
    let bad = |f: &str| jixiao::read::load(&repo(&format!("tests/fixtures/bad/{f}"))).unwrap_err();
    assert!(matches!(bad("encrypted.xlsx"), Error::Encrypted { .. }));
    assert!(matches!(bad("no-form.xlsx"), Error::NoForm { .. }));
    assert!(matches!(bad("empty.xlsx"), Error::NoForm { .. }));
    assert!(matches!(bad("truncated.xlsx"), Error::Source { .. }));
    assert!(matches!(bad("corrupt.xlsx"), Error::Source { .. }));
    assert!(matches!(
        bad("missing-indicators.xlsx"),
        Error::FormIncomplete { .. }
    ));
}

#[test]
fn a_stray_cell_at_xfd1048576_costs_nothing() {
    let forms = load(&repo("tests/fixtures/bad/stray-cell.xlsx"));
    assert_eq!(forms.len(), 1);
    check_form("stray-cell.xlsx", "canonical-000", &forms[0], true);
}

#[test]
fn a_stray_cell_written_by_rust_xlsxwriter_over_a_form() {
    // The same, on a sheet whose dimension says A1:XFD1048576, with merges, in all formats of
    // the form: copy the canonical cells through the reader, add the stray value.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stray.xlsx");
    let source = load(&fixture("canonical-000.xlsx"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("自评表").unwrap();
    // Header and one indicator are enough to be a form.
    let rows: [&[&str]; 4] = [
        &["项目名称", "某项目"],
        &[
            "",
            "年初预算数",
            "全年预算数(B)",
            "全年执行数(C)",
            "分值",
            "执行率(C/B)",
            "得分",
        ],
        &["年度资金总额", "10", "10", "10", "10", "100.00%", "10"],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值(A)",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write(r as u32, c as u16, *text).unwrap();
        }
    }
    let ind = &source[0].form.indicators[0];
    for (c, text) in [
        &ind.level1,
        &ind.level2,
        &ind.name,
        &ind.target,
        &ind.actual,
    ]
    .iter()
    .enumerate()
    {
        sheet.write(4, c as u16, text.as_str()).unwrap();
    }
    sheet.write(5, 0, "总分").unwrap();
    sheet.write(1_048_575, 16_383, "x").unwrap();
    book.save(&path).unwrap();
    let forms = load(&path);
    assert_eq!(forms[0].form.project, "某项目");
    assert_eq!(forms[0].form.indicators.len(), 1);
    assert_eq!(forms[0].form.indicators[0].name, ind.name);
}

/// Numbers whose format writes a sign or a unit (`"≤"0"万元"` shows 19 as `≤19万元`) or puts
/// a point among the digits (`0!.0000` shows amounts in 元 as 万元: 189500 as `18.9500`) are
/// read as they show, as a person reads them.
#[test]
fn numbers_read_as_their_format_shows_them() {
    use rust_xlsxwriter::Format;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formats.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("自评表").unwrap();
    let rows: [&[&str]; 3] = [
        &["项目名称", "某项目"],
        &[
            "",
            "全年预算数(B)",
            "全年执行数(C)",
            "分值",
            "执行率(C/B)",
            "得分",
        ],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值(A)",
            "实际完成值",
            "分值",
            "得分",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = if r == 2 { 3 } else { r as u32 };
        for (c, text) in row.iter().enumerate() {
            sheet.write(r, c as u16, *text).unwrap();
        }
    }
    let wan = Format::new().set_num_format("0!.0000");
    sheet.write(2, 0, "年度资金总额").unwrap();
    sheet.write_number_with_format(2, 1, 189_500, &wan).unwrap();
    sheet.write_number_with_format(2, 2, 180_000, &wan).unwrap();
    for (c, v) in [(3, "10"), (4, "94.99%"), (5, "9.50")] {
        sheet.write(2, c, v).unwrap();
    }
    for (c, text) in ["成本指标", "经济成本指标", "项目总预算"]
        .iter()
        .enumerate()
    {
        sheet.write(4, c as u16, *text).unwrap();
    }
    let at_most = Format::new().set_num_format(r#""≤"0"万元""#);
    let wan_yuan = Format::new().set_num_format(r#"0.00"万元""#);
    let points = Format::new().set_num_format(r#"0.00"分""#);
    sheet.write_number_with_format(4, 3, 19, &at_most).unwrap();
    sheet.write_number_with_format(4, 4, 20, &wan_yuan).unwrap();
    sheet.write_number_with_format(4, 5, 10, &points).unwrap();
    sheet.write_number_with_format(4, 6, 10, &points).unwrap();
    sheet.write(5, 0, "总分").unwrap();
    book.save(&path).unwrap();
    let forms = load(&path);
    let form = &forms[0].form;
    let total = form.funds.total.as_ref().unwrap();
    assert_eq!(total.budget.unwrap().to_string(), "18.9500");
    assert_eq!(total.executed.unwrap().to_string(), "18.0000");
    let indicator = &form.indicators[0];
    assert_eq!(
        (indicator.target.as_str(), indicator.actual.as_str()),
        ("≤19万元", "20.00万元")
    );
    assert_eq!(indicator.weight, Some(Decimal::TEN));
    // Read as shown, the target is a reverse one: 19 ÷ 20 × 10.
    let review = jixiao::score::review(form);
    assert_eq!(review.indicators[0].method, jixiao::score::Method::Reverse);
    assert_eq!(
        review.indicators[0]
            .computed
            .map(|c| c.to_string())
            .as_deref(),
        Some("9.50")
    );
}

/// A workbook written by a program that does not calculate keeps formulas without their
/// results: the total `=SUM(…)` shows nothing until a spreadsheet recalculates it. It is
/// read as blank and said to be an uncalculated formula, not taken for a total left empty
/// alone; a value typed with a leading `=` (`=8个`) is still read as its text.
#[test]
fn formulas_without_results_are_said() {
    use rust_xlsxwriter::Formula;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uncalculated.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("自评表").unwrap();
    sheet.set_formula_result_default("");
    write_small_form(sheet);
    sheet.write_formula(4, 3, Formula::new("=8个")).unwrap();
    sheet
        .write_formula(5, 6, Formula::new("=F3+SUM(G5:G5)"))
        .unwrap();
    book.save(&path).unwrap();
    let forms = load(&path);
    let read = &forms[0];
    assert_eq!(read.form.indicators[0].target, "=8个");
    assert_eq!(read.form.total_score, None);
    let said = |code: &str| -> Vec<&str> {
        read.findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.message.as_str())
            .collect()
    };
    assert_eq!(said("formula-no-value").len(), 1, "{:?}", read.findings);
    let uncalculated = said("formula-uncalculated");
    assert_eq!(uncalculated.len(), 1, "{:?}", read.findings);
    assert!(
        uncalculated[0].contains("=F3+SUM(G5:G5)") && uncalculated[0].contains("按空白读取"),
        "{uncalculated:?}"
    );
}

/// Writes a small complete form on `sheet`: project, funds, the indicator header on row 4,
/// one indicator (`≥8个`, 90 of 90) and the total (100) on row 6, each cell as text.
fn write_small_form(sheet: &mut rust_xlsxwriter::Worksheet) {
    let rows: [&[&str]; 6] = [
        &["项目名称", "某项目"],
        &[
            "",
            "全年预算数(B)",
            "全年执行数(C)",
            "分值",
            "执行率(C/B)",
            "得分",
        ],
        &["年度资金总额", "10", "10", "10", "100%", "10"],
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值(A)",
            "实际完成值",
            "分值",
            "得分",
        ],
        &[
            "产出指标",
            "数量指标",
            "培训人数",
            "≥8个",
            "8个",
            "90",
            "90",
        ],
        &["总分", "", "", "", "", "", "100"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write(r as u32, c as u16, *text).unwrap();
            }
        }
    }
}

/// A workbook with a 汇总 sheet listing projects (it names 项目名称 but has no indicator
/// table) beside a complete form: the form is read, and the other sheet is said to be no
/// complete form. A workbook with only the 汇总 is still refused with what is missing.
#[test]
fn a_summary_sheet_beside_a_form_does_not_refuse_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let write_summary = |book: &mut rust_xlsxwriter::Workbook| {
        let sheet = book.add_worksheet().set_name("汇总").unwrap();
        sheet.write(0, 0, "2023年度项目支出绩效自评汇总表").unwrap();
        let header = [
            "序号",
            "项目名称",
            "主管部门",
            "全年预算数",
            "全年执行数",
            "执行率",
            "自评得分",
            "等级",
        ];
        for (c, h) in header.iter().enumerate() {
            sheet.write(1, c as u16, *h).unwrap();
        }
        for (c, v) in [
            "1",
            "某项目",
            "某局",
            "32.4",
            "31.69",
            "97.81%",
            "99.78",
            "优",
        ]
        .iter()
        .enumerate()
        {
            sheet.write(2, c as u16, *v).unwrap();
        }
    };
    // A small complete form on a sheet after the 汇总.
    let mut book = rust_xlsxwriter::Workbook::new();
    write_summary(&mut book);
    write_small_form(book.add_worksheet().set_name("自评表").unwrap());
    let both = dir.path().join("both.xlsx");
    book.save(&both).unwrap();
    let read = load(&both);
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].form.indicators.len(), 1);
    assert_eq!(read[0].form.total_score, Some(Decimal::ONE_HUNDRED));
    let said: Vec<&str> = read[0]
        .findings
        .iter()
        .filter(|f| f.code == "sheet-incomplete-skipped")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(said.len(), 1, "{:?}", read[0].findings);
    assert!(said[0].contains("“汇总”"), "{}", said[0]);
    let mut alone = rust_xlsxwriter::Workbook::new();
    write_summary(&mut alone);
    let only = dir.path().join("only.xlsx");
    alone.save(&only).unwrap();
    let err = jixiao::read::load(&only).unwrap_err().to_string();
    assert!(err.contains("汇总"), "{err}");
}

#[test]
fn a_hundred_thousand_rows_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("数据").unwrap();
    for r in 0..100_000u32 {
        sheet.write(r, 0, "x").unwrap();
        sheet.write(r, 1, r).unwrap();
    }
    book.save(&path).unwrap();
    // Bounded work and memory: the sheet is scanned sparsely and refused as no form (how
    // long it takes is for the benchmarks, not for a test).
    let err = jixiao::read::load(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}：未找到自评表（工作表：数据）", path.display())
    );
}

#[test]
fn a_workbook_with_the_wrong_extension_is_read_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("canonical-000.ods", "ods-named.xlsx"),
        ("canonical-000.xls", "xls-named.xlsx"),
        ("canonical-000.xlsx", "xlsx-named.xls"),
    ] {
        let path = dir.path().join(to);
        std::fs::copy(fixture(from), &path).unwrap();
        let forms = load(&path);
        check_form(to, "canonical-000", &forms[0], true);
    }
}

#[test]
fn a_zip_bomb_gives_a_message() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.ods");
    let file = std::fs::File::create(&path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("content.xml", options).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..(jixiao::read::MAX_PART >> 20) + 1 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    let err = jixiao::read::load(&path).unwrap_err().to_string();
    assert!(err.contains("content.xml 解压后超过 200 MB"), "{err}");
}

/// A tiny deterministic generator for the damage below.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }

    /// `bytes` with a few bytes overwritten, and sometimes cut short.
    fn damage(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut b = bytes.to_vec();
        for _ in 0..1 + self.next() % 8 {
            let at = self.next() % b.len();
            b[at] = self.next() as u8;
        }
        if self.next().is_multiple_of(7) {
            b.truncate(self.next() % b.len());
        }
        b
    }
}

/// Damaged `.xls` records and `.ods` XML give an error or a form, never a panic.
#[test]
fn damaged_workbooks_never_panic() {
    use std::io::{Read as _, Write as _};
    let mut rng = XorShift(0x5EED);
    let read = |name: &str, bytes: &[u8]| {
        let result = std::panic::catch_unwind(|| {
            let _ = jixiao::read::workbook_forms(Path::new(name), bytes);
        });
        assert!(result.is_ok(), "{name} panicked");
    };
    for name in ["canonical-000.xls", "multi.xls", "xlwt-numbers.xls"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for _ in 0..150 {
            read(name, &rng.damage(&bytes));
        }
    }
    let ods = std::fs::read(fixture("wide.ods")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&ods)).unwrap();
    let mut content = Vec::new();
    zip.by_name("content.xml")
        .unwrap()
        .read_to_end(&mut content)
        .unwrap();
    for _ in 0..150 {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        out.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&rng.damage(&content)).unwrap();
        read("damaged.ods", &out.finish().unwrap().into_inner());
    }
}

/// Sample 000 as a filer edits it: text cells and merged regions, rows and columns inserted
/// the way Excel inserts them (a region across the place grows), some hidden, saved by
/// rust_xlsxwriter. Zero-based rows and columns.
#[derive(Clone)]
struct Edited {
    name: String,
    cells: BTreeMap<(u32, u16), String>,
    merges: Vec<(u32, u16, u32, u16)>,
    hidden_rows: Vec<u32>,
    hidden_cols: Vec<u16>,
    hidden: bool,
}

impl Edited {
    fn sample() -> Edited {
        use calamine::Reader as _;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook(repo("samples/000.xlsx")).unwrap();
        let range = book.worksheet_range("自评表").unwrap();
        let (top, left) = range.start().unwrap();
        let mut cells = BTreeMap::new();
        for (r, c, value) in range.used_cells() {
            cells.insert(
                ((top + r as u32), (left + c as u32) as u16),
                value.to_string(),
            );
        }
        let merges = book
            .merge_cells_by_sheet_name("自评表")
            .unwrap()
            .into_iter()
            .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
            .collect();
        Edited {
            name: "自评表".into(),
            cells,
            merges,
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
            hidden: false,
        }
    }

    fn set(&mut self, row: u32, col: u16, text: &str) {
        self.cells.insert((row, col), text.to_string());
    }

    fn get(&self, row: u32, col: u16) -> String {
        self.cells.get(&(row, col)).cloned().unwrap_or_default()
    }

    /// Inserts an empty row before `at`.
    fn insert_row(&mut self, at: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((if r >= at { r + 1 } else { r }, c), v))
            .collect();
        for m in &mut self.merges {
            if m.0 >= at {
                m.0 += 1;
            }
            if m.2 >= at {
                m.2 += 1;
            }
        }
    }

    /// Inserts an empty column before `at`.
    fn insert_col(&mut self, at: u16) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((r, if c >= at { c + 1 } else { c }), v))
            .collect();
        for m in &mut self.merges {
            if m.1 >= at {
                m.1 += 1;
            }
            if m.3 >= at {
                m.3 += 1;
            }
        }
    }

    fn write(&self, book: &mut rust_xlsxwriter::Workbook) {
        let sheet = book.add_worksheet().set_name(&self.name).unwrap();
        let plain = rust_xlsxwriter::Format::new();
        for &(r1, c1, r2, c2) in &self.merges {
            sheet
                .merge_range(r1, c1, r2, c2, &self.get(r1, c1), &plain)
                .unwrap();
        }
        for (&(r, c), text) in &self.cells {
            if !self.merges.iter().any(|m| (m.0, m.1) == (r, c)) {
                sheet.write(r, c, text.as_str()).unwrap();
            }
        }
        for &r in &self.hidden_rows {
            sheet.set_row_hidden(r).unwrap();
        }
        for &c in &self.hidden_cols {
            sheet.set_column_hidden(c).unwrap();
        }
        // A workbook shows its active sheet: rust_xlsxwriter hides no sheet that is active.
        if self.hidden {
            sheet.set_hidden(true);
        } else {
            sheet.set_active(true);
        }
    }
}

/// `jixiao check --json` on a workbook of `sheets`, saved as `name` in `dir`: its reports.
fn check_sheets(dir: &Path, name: &str, sheets: &[&Edited]) -> Vec<Value> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for sheet in sheets {
        sheet.write(&mut book);
    }
    book.save(dir.join(name)).unwrap();
    let run = jixiao(dir, &["check", "--json", name]);
    assert!(run.code == 0 || run.code == 1, "{name}: {}", run.stderr);
    run.json().as_array().unwrap().clone()
}

/// The codes of a report's findings, sorted.
fn finding_codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

/// The one finding of `code` in a report.
fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect();
    assert_eq!(found.len(), 1, "{code} in {report:#}");
    found[0]
}

/// A form with something hidden reads as sample 000 reads (its form, its review, its
/// findings) and one warning more that says what hidden rows or columns were not read.
fn reads_as_the_sample(edited: &Edited, name: &str, hidden: &str) {
    let dir = tempfile::tempdir().unwrap();
    let base = &check_sheets(dir.path(), "base.xlsx", &[&Edited::sample()])[0];
    let reports = check_sheets(dir.path(), name, &[edited]);
    assert_eq!(reports.len(), 1, "{name}");
    let got = &reports[0];
    assert_eq!(got["form"], base["form"], "{name}");
    assert_eq!(got["review"], base["review"], "{name}");
    assert_eq!(
        got["form"]["funds"]["total"]["budget"], "18.950000",
        "{name}"
    );
    assert_eq!(got["form"]["indicators"].as_array().unwrap().len(), 14);
    assert_eq!(got["review"]["total"], "96.00", "{name}");
    let mut want = finding_codes(base);
    want.push("hidden-content".into());
    want.sort();
    assert_eq!(finding_codes(got), want, "{name}: {got:#}");
    let warning = finding(got, "hidden-content");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(
        warning["message"],
        format!("{hidden}已隐藏，其中的内容未读取（屏幕与打印均不显示）"),
        "{name}"
    );
}

/// An older 全年预算数(B) = 25 in a hidden column left of the shown one (18.95) was read, and
/// the shown one dropped as a repeated header: a wrong 执行率 and score blamed on the filer.
#[test]
fn a_hidden_budget_column_is_not_read() {
    let mut x = Edited::sample();
    x.insert_col(3);
    x.set(4, 3, "全年预算数(B)");
    x.set(5, 3, "25.000000");
    x.set(8, 3, "25.000000");
    x.hidden_cols.push(3);
    reads_as_the_sample(&x, "hidden-col-budget.xlsx", "D 列");
}

/// An older 得分 column, hidden, holding full marks was read instead of the shown one.
#[test]
fn a_hidden_score_column_is_not_read() {
    let mut x = Edited::sample();
    x.insert_col(6);
    x.set(12, 6, "得分");
    for r in 13..=26 {
        let weight = x.get(r, 5);
        x.set(r, 6, &weight);
    }
    x.set(27, 6, "100.00");
    x.hidden_cols.push(6);
    reads_as_the_sample(&x, "hidden-col.xlsx", "G 列");
}

/// A hidden old indicator row inside the 数量指标 group was counted: 15 indicators, Σ分值 105.
#[test]
fn a_hidden_indicator_row_is_not_counted() {
    let mut x = Edited::sample();
    x.insert_row(15);
    for (c, v) in (2..).zip(["培训学员的人数", "≥10人", "6人", "5.00", "3.00"]) {
        x.set(15, c, v);
    }
    x.hidden_rows.push(15);
    reads_as_the_sample(&x, "hidden-row.xlsx", "第 16 行");
}

/// Hidden funds rows (an old 年度资金总额, an old 上年结转资金) were added to the shown ones.
#[test]
fn hidden_funds_rows_are_not_summed() {
    let mut total = Edited::sample();
    total.insert_row(5);
    total.set(5, 1, "年度资金总额：");
    for (c, v) in (2..).zip([
        "25.000000",
        "25.000000",
        "18.950000",
        "10.00",
        "75.80%",
        "7.58",
    ]) {
        total.set(5, c, v);
    }
    total.hidden_rows.push(5);
    reads_as_the_sample(&total, "hidden-funds-row.xlsx", "第 6 行");

    let mut carryover = Edited::sample();
    carryover.insert_row(8);
    carryover.set(8, 1, "上年结转资金");
    for (c, v) in (2..).zip(["5.000000", "5.000000", "5.000000", "-", "100.00%", "-"]) {
        carryover.set(8, c, v);
    }
    carryover.hidden_rows.push(8);
    reads_as_the_sample(&carryover, "hidden-carryover2.xlsx", "第 9 行");
    carryover.set(7, 1, "上年结转资金(旧)");
    reads_as_the_sample(&carryover, "hidden-carryover.xlsx", "第 9 行");
}

/// A hidden sheet holding an old draft (total 99) was reported as a second form. When a shown
/// sheet holds a form the hidden one is left, and said so; when only hidden sheets hold forms
/// they are read, each with a warning.
#[test]
fn a_hidden_sheet_is_not_a_second_form() {
    let dir = tempfile::tempdir().unwrap();
    let shown = Edited::sample();
    let base = &check_sheets(dir.path(), "base.xlsx", &[&shown])[0];
    let mut draft = Edited::sample();
    draft.name = "旧稿".into();
    draft.set(24, 6, "10.00");
    draft.set(27, 6, "99.00");
    draft.hidden = true;
    let reports = check_sheets(dir.path(), "hidden-first-sheet.xlsx", &[&draft, &shown]);
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let got = &reports[0];
    assert_eq!(got["source"], "hidden-first-sheet.xlsx");
    assert_eq!(got["form"], base["form"]);
    assert_eq!(got["review"]["total"], "96.00");
    let skipped = finding(got, "hidden-sheet-skipped");
    assert_eq!(skipped["severity"], "info");
    assert!(
        skipped["message"].as_str().unwrap().contains("（旧稿）"),
        "{skipped}"
    );
    let mut want = finding_codes(base);
    want.push("hidden-sheet-skipped".into());
    want.sort();
    assert_eq!(finding_codes(got), want);

    // Only a hidden sheet holds a form (the shown one is empty): it is read, with a warning.
    let mut empty = Edited::sample();
    empty.name = "说明".into();
    empty.cells.clear();
    empty.merges.clear();
    let reports = check_sheets(dir.path(), "only-hidden.xlsx", &[&draft, &empty]);
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert_eq!(reports[0]["form"]["total_score"], "99.00");
    let warning = finding(&reports[0], "sheet-hidden");
    assert_eq!(warning["severity"], "warning");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("“旧稿”已隐藏"),
        "{warning}"
    );
}

/// A merged region whose top-left cell is in a hidden row still shows its value (Excel shows
/// it in the part that shows): the 一级 label of a group whose first row is hidden is read.
#[test]
fn a_merged_label_whose_first_row_is_hidden_is_still_read() {
    let mut x = Edited::sample();
    // An old first row of the 产出指标/数量指标 group, hidden: the group's merges start on it.
    x.insert_row(13);
    for m in &mut x.merges {
        if m.0 == 14 && m.1 <= 1 {
            m.0 = 13;
        }
    }
    for c in 0..=1 {
        let label = x.get(14, c);
        x.cells.remove(&(14, c));
        x.set(13, c, &label);
    }
    for (c, v) in (2..).zip(["旧指标", "1套", "1套", "5.00", "5.00"]) {
        x.set(13, c, v);
    }
    x.hidden_rows.push(13);
    reads_as_the_sample(&x, "hidden-group-top.xlsx", "第 14 行");
}
