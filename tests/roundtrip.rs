//! Round trips: every sample and fixture form → our xlsx → read back gives the same form, and
//! a blank template filled in by another program reads back to what was filled in.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{have_tool, jixiao, repo};
use jixiao::layout::{self, Options};
use jixiao::{Layout, Report, SourcedForm};

/// Every form we have: the samples (data and workbooks) and every workbook fixture.
fn inputs() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = ["000.json", "001.json", "000.xlsx", "001.xlsx"]
        .iter()
        .map(|n| repo(&format!("samples/{n}")))
        .collect();
    paths.extend(common::workbook_fixtures());
    paths
}

fn write_and_read(form: &SourcedForm, dir: &Path, name: &str) -> Vec<SourcedForm> {
    let report = Report::new(form.clone(), None);
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    let path = dir.join(format!("{name}.xlsx"));
    std::fs::write(&path, jixiao::render::xlsx::write(&grid).unwrap()).unwrap();
    jixiao::read::load(&path).unwrap()
}

#[test]
fn every_form_survives_xlsx_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    for input in inputs() {
        for (k, form) in jixiao::read::load(&input).unwrap().into_iter().enumerate() {
            let name = format!("{}-{k}", input.file_name().unwrap().to_string_lossy());
            let back = write_and_read(&form, dir.path(), &name);
            assert_eq!(back.len(), 1, "{name}");
            // The same form, digit for digit.
            assert_eq!(
                serde_json::to_value(&back[0].form).unwrap(),
                serde_json::to_value(&form.form).unwrap(),
                "{name}"
            );
            // The written workbook shows the recomputed 执行率.
            let review = jixiao::score::review(&form.form);
            assert_eq!(
                back[0].shown.execution_rate, review.execution_rate,
                "{name}"
            );
            count += 1;
        }
    }
    assert!(count >= 30, "{count} forms");
}

/// Every form in every built-in layout, fitted to it as `render --layout` fits it: the
/// workbook reads back to the same form (in the layout's unit, amounts converted exactly); a
/// goal longer than a page, held in a row per page, reads back whole, and so does a 偏差原因
/// taller than a spreadsheet row (Excel's 409 pt) and one longer than a page, held in rows of
/// their own: no row of any workbook is taller than 409 pt.
#[test]
fn every_form_survives_every_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    // Project forms, in the project layouts (department forms: tests/department.rs).
    for layout in Layout::builtin()
        .iter()
        .filter(|l| l.kind == jixiao::model::FormKind::Project)
    {
        for input in inputs() {
            for (k, mut form) in jixiao::read::load(&input).unwrap().into_iter().enumerate() {
                if k == 0 && input.ends_with("samples/001.json") {
                    form.form.goals.achieved = "完成事项已验收，资料归档。".repeat(300);
                }
                if k == 0 && input.ends_with("samples/000.json") {
                    let reason = "Material was not complete; 相应支撑材料不够充分，加强归档。";
                    form.form.indicators[0].deviation = reason.repeat(12);
                    form.form.indicators[5].deviation = reason.repeat(150);
                }
                let name = format!(
                    "{}-{}-{k}",
                    layout.name,
                    input.file_name().unwrap().to_string_lossy()
                );
                let checked = jixiao::pipeline::check(form, Some(layout));
                let grid = layout::build(&checked.report, layout, &Options::default()).unwrap();
                let path = dir.path().join(format!("{name}.xlsx"));
                let bytes = jixiao::render::xlsx::write(&grid).unwrap();
                let tallest = common::tallest_row(&bytes);
                assert!(tallest <= 409.0, "{name}: a row of {tallest} pt");
                std::fs::write(&path, bytes).unwrap();
                let back = jixiao::read::load(&path).unwrap();
                assert_eq!(back.len(), 1, "{name}");
                assert_eq!(back[0].form.funds.unit, layout.funds.unit, "{name}");
                assert_eq!(
                    common::in_unit(&back[0].form, layout.funds.unit),
                    common::in_unit(&checked.report.form, layout.funds.unit),
                    "{name}"
                );
                count += 1;
            }
        }
    }
    assert!(count >= 120, "{count} forms");
}

/// `check --json` of what `render --layout` wrote gives the form `check --json --layout` reads
/// from the input, in every layout.
#[test]
fn check_reads_back_what_render_wrote_in_every_layout() {
    let dir = common::workdir(&["samples/000.json", "samples/001.xlsx"]);
    for layout in Layout::builtin()
        .iter()
        .filter(|l| l.kind == jixiao::model::FormKind::Project)
    {
        let out = format!("out-{}", layout.name);
        let run = jixiao(
            dir.path(),
            &[
                "render",
                "000.json",
                "001.xlsx",
                "-o",
                &out,
                "--layout",
                &layout.name,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        for (input, output) in [("000.json", "000.xlsx"), ("001.xlsx", "001.xlsx")] {
            let output = format!("{out}/{output}");
            let a = jixiao(
                dir.path(),
                &["check", "--json", input, "--layout", &layout.name],
            )
            .json();
            let b = jixiao(
                dir.path(),
                &["check", "--json", &output, "--layout", &layout.name],
            )
            .json();
            let form = |v: &serde_json::Value| -> jixiao::Form {
                serde_json::from_value(v[0]["form"].clone()).unwrap()
            };
            let unit = layout.funds.unit;
            assert_eq!(
                common::in_unit(&form(&b), unit),
                common::in_unit(&form(&a), unit),
                "{}: {input}",
                layout.name
            );
            assert_eq!(a[0]["review"], b[0]["review"], "{}: {input}", layout.name);
        }
    }
}

#[test]
fn the_command_line_reads_back_what_it_wrote() {
    let dir = common::workdir(&["samples/001.json"]);
    let run = jixiao(dir.path(), &["render", "001.json", "-o", "out"]);
    assert!(run.code < 2, "{}", run.stderr);
    let a = jixiao(dir.path(), &["check", "--json", "001.json"]).json();
    let b = jixiao(dir.path(), &["check", "--json", "out/001.xlsx"]).json();
    assert_eq!(a[0]["form"], b[0]["form"]);
    assert_eq!(a[0]["review"], b[0]["review"]);
}

/// Fills the blank template with openpyxl, has LibreOffice recalculate and save it, reads it.
#[test]
fn a_template_filled_by_another_program_reads_back() {
    if !(have_tool("python3") && have_tool("soffice")) {
        return;
    }
    let has_openpyxl = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_openpyxl {
        assert!(
            std::env::var_os("JIXIAO_REQUIRE_TOOLS").is_none(),
            "openpyxl is required (JIXIAO_REQUIRE_TOOLS is set)"
        );
        eprintln!("skipped: python3 -m pip install openpyxl");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = jixiao(dir.path(), &["template", "-o", "blank.xlsx", "--rows", "6"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = r#"
import openpyxl, sys
wb = openpyxl.load_workbook("blank.xlsx")
ws = wb["自评表"]
def find(text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise SystemExit("no " + text)
def right_of(cell):
    # The first column right of the label's merged range.
    for m in ws.merged_cells.ranges:
        if cell.coordinate in m:
            return m.max_col + 1
    return cell.column + 1
year = ws.cell(row=2, column=1)
year.value = "（2024年度）"
p = find("项目名称")
ws.cell(row=p.row, column=right_of(p)).value = "测试项目"
d = find("主管部门及代码")
ws.cell(row=d.row, column=right_of(d)).value = "048-北京市文物局"
u = find("实施单位")
ws.cell(row=u.row, column=right_of(u)).value = "048001-测试单位"
columns = [find(h).column for h in ["年初预算数", "全年预算数(B)", "全年执行数(C)", "分值"]]
t = find("年度资金总额：").row
for col, v in zip(columns, [20, 20, 19, 10]):
    ws.cell(row=t, column=col).value = v
o = find("其他资金").row
for col, v in zip(columns, [20, 20, 19]):
    ws.cell(row=o, column=col).value = v
e = find("预期目标")
ws.cell(row=e.row + 1, column=e.column).value = "完成年度任务"
a = find("实际完成情况")
ws.cell(row=a.row + 1, column=a.column).value = "已完成"
headers = ["一级指标", "二级指标", "三级指标", "年度指标值(A)", "实际完成值", "分值", "得分",
           "偏差原因分析及改进措施"]
h = find("一级指标").row
cols = []
for name in headers:
    cols.append([c for c in ws[h] if c.value == name][0].column)
rows = [
    ("产出指标", "数量指标", "采购设备数量", "≥10台", "12台", 30, 30, None),
    ("产出指标", "时效指标", "完成时间", "≤12月", "11月", 20, 20, None),
    ("成本指标", "经济成本指标", "采购成本", "≤20万元", "19万元", 20, 20, None),
    ("满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%", "95%", 20, 18, "未开展问卷调查"),
]
for i, values in enumerate(rows):
    for col, v in zip(cols, values):
        ws.cell(row=h + 1 + i, column=col).value = v
wb.save("filled.xlsx")
"#;
    common::run_command(
        Command::new("python3")
            .arg("-c")
            .arg(script)
            .current_dir(dir.path()),
    );
    // openpyxl keeps the formulas without results: LibreOffice computes and saves them.
    common::run_command(common::soffice(dir.path()).args([
        "--convert-to",
        "xlsx",
        "--outdir",
        "lo",
        "filled.xlsx",
    ]));
    let forms = jixiao::read::load(&dir.path().join("lo/filled.xlsx")).unwrap();
    let form = &forms[0].form;
    assert_eq!(form.year, Some(2024));
    assert_eq!(form.project, "测试项目");
    assert_eq!(form.unit, "048001-测试单位");
    let total = form.funds.total.as_ref().unwrap();
    assert_eq!(total.budget.unwrap().to_string(), "20");
    assert_eq!(total.executed.unwrap().to_string(), "19");
    assert_eq!(form.funds.score.unwrap(), "9.5".parse().unwrap());
    assert_eq!(form.indicators.len(), 4, "{:#?}", form.indicators);
    assert_eq!(form.indicators[3].name, "使用人员满意度");
    assert_eq!(form.indicators[3].deviation, "未开展问卷调查");
    assert_eq!(form.indicators[0].weight.unwrap().to_string(), "30");
    assert_eq!(form.total_score.unwrap(), "97.5".parse().unwrap());
    let run = jixiao(dir.path(), &["check", "--json", "lo/filled.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
