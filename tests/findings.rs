//! The catalogue of findings against what jixiao says, both ways: every code `jixiao findings`
//! lists is produced by some input here (the samples, the fixtures, the hostile files, the
//! regressions, the real forms when `../shared/real-forms/` is there, and a small edited form
//! for each rarer code), and every code produced is in the catalogue, at its severity. The
//! list itself (`jixiao findings`, `--json`, `docs/findings.md`) shows the whole catalogue.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{jixiao, repo, workdir};
use jixiao::finding::Code;
use jixiao::finding::code::entries;
use jixiao::model::SourcedForm;
use jixiao::{Form, Report};
use rust_decimal::Decimal;

/// The codes said so far, each with the first input that said it.
#[derive(Default)]
struct Said(BTreeMap<Code, String>);

impl Said {
    /// Notes the findings of `report` (read from `input`), each checked against the catalogue.
    fn add(&mut self, input: &str, report: &Report) -> BTreeSet<Code> {
        let mut here = BTreeSet::new();
        for f in &report.findings {
            let code = Code::parse(f.code)
                .unwrap_or_else(|| panic!("{input}: “{}” is not in the catalogue", f.code));
            assert_eq!(f.severity, code.severity(), "{input}: {code}");
            assert!(
                !f.message.trim().is_empty(),
                "{input}: {code} without a message"
            );
            here.insert(code);
            self.0.entry(code).or_insert_with(|| input.to_string());
        }
        here
    }

    /// Reads and checks every form of the file at `path`; an unreadable file says nothing.
    fn file(&mut self, path: &Path) -> BTreeSet<Code> {
        let name = path.display().to_string();
        let Ok(forms) = jixiao::pipeline::load(path, None) else {
            return BTreeSet::new();
        };
        let mut here = BTreeSet::new();
        for checked in forms {
            here.extend(self.add(&name, &checked.report));
        }
        here
    }
}

/// Every file under `dir` (recursively), sorted; none when it is not there.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Sample 000 as data, edited.
fn data_form(edit: fn(&mut Form)) -> Report {
    let mut form = jixiao::read::form_from_json(include_str!("../samples/000.json")).unwrap();
    edit(&mut form);
    Report::new(SourcedForm::from_data("000.json", form), None)
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

type FormEdit = (&'static str, Code, fn(&mut Form));

/// Edits of sample 000's data for the checks the files here do not need.
const FORM_EDITS: &[FormEdit] = &[
    ("no 分值 or 得分 anywhere", Code::FormUnscored, |f| {
        for i in &mut f.indicators {
            (i.weight, i.score) = (None, None);
        }
        (f.funds.weight, f.funds.score, f.total_score) = (None, None, None);
    }),
    (
        "no funds score, the indicators make the 100",
        Code::FundsUnscored,
        |f| {
            (f.funds.weight, f.funds.score) = (None, None);
            let first = &mut f.indicators[0];
            first.weight = first.weight.map(|w| w + d("10"));
        },
    ),
    (
        "a department whose 基本支出 and 项目支出 miss the total",
        Code::FundsBreakdownSum,
        |f| {
            f.kind = jixiao::model::FormKind::Department;
            let row = f.funds.total.clone();
            f.funds.expenditure = Some(jixiao::model::Expenditure {
                basic: row,
                project: f.funds.total.clone(),
                other: None,
            });
        },
    ),
    (
        "a department task spending past its budget",
        Code::TaskOverBudget,
        |f| {
            f.kind = jixiao::model::FormKind::Department;
            f.tasks.push(jixiao::model::Task {
                name: "护林防火".into(),
                budget: Some(d("20")),
                executed: Some(d("25.5")),
                ..Default::default()
            });
        },
    ),
    ("no indicators", Code::IndicatorsMissing, |f| {
        f.indicators.clear()
    }),
    ("no 全年执行数", Code::FundsExecutedMissing, |f| {
        f.funds.total.as_mut().unwrap().executed = None
    }),
    ("a grade of another total", Code::GradeMismatch, |f| {
        f.grade = Some("良".into())
    }),
    ("a grade of no kind", Code::GradeUnknown, |f| {
        f.grade = Some("甲".into())
    }),
    ("指标1", Code::IndicatorPlaceholder, |f| {
        f.indicators[0].name = "指标1".into()
    }),
    ("a score above its 分值", Code::ScoreRange, |f| {
        f.indicators[0].score = Some(d("8.00"))
    }),
    ("an unknown 一级", Code::TreeLevel1, |f| {
        f.indicators[0].level1 = "管理指标".into()
    }),
    (
        "an actual value that is no value",
        Code::ActualUnreadable,
        |f| f.indicators[1].actual = "若干".into(),
    ),
    ("a rate above 100 %", Code::RateOver100, |f| {
        f.indicators[2].actual = "120%".into()
    }),
    ("a range for a target", Code::TargetNotComputable, |f| {
        f.indicators[1].target = "99%-100%".into()
    }),
    (
        "the template's mark in a target",
        Code::TargetTemplate,
        |f| f.indicators[1].target = "≥**%".into(),
    ),
    ("元 against 万元", Code::UnitConverted, |f| {
        f.indicators[8].target = "≤10万元".into();
        f.indicators[8].actual = "120000元".into();
    }),
    ("a wrong budget score", Code::FundsScore, |f| {
        f.funds.score = Some(d("9.00"))
    }),
    ("a goal written as a number", Code::GoalsNotText, |f| {
        f.goals.expected = "43.2".into()
    }),
    ("a 二级 under the wrong 一级", Code::TreeLevel2, |f| {
        f.indicators[0].level2 = "经济成本指标".into()
    }),
    (
        "the template's mark in a name",
        Code::IndicatorNameTemplate,
        |f| f.indicators[1].name = "培训学员的人数(≥**人)".into(),
    ),
    ("an actual value without its unit", Code::UnitOmitted, |f| {
        f.indicators[1].actual = "6".into()
    }),
    ("a number for no deviation", Code::DeviationNotText, |f| {
        f.indicators[0].deviation = "0".into()
    }),
    ("% against a count", Code::UnitMismatch, |f| {
        f.indicators[3].actual = "27个".into()
    }),
    (
        "one 成本指标 of the current tree in a 2020 form",
        Code::TreeMixed,
        |f| {
            for ind in f.indicators.iter_mut().filter(|i| i.level1 == "成本指标") {
                ind.level1 = "产出指标".into();
                ind.level2 = "成本指标".into();
            }
            let first = f.indicators.iter().position(|i| i.level2 == "成本指标");
            let ind = &mut f.indicators[first.unwrap()];
            ind.level1 = "成本指标".into();
            ind.level2 = "经济成本指标".into();
        },
    ),
];

/// A cell of an edited worksheet.
#[derive(Clone)]
enum Cell {
    Text(String),
    /// A formula saved without its result.
    Formula(String),
}

/// A worksheet as a filer edits it (sample 000's 自评表 to start with), saved by
/// rust_xlsxwriter; zero-based rows and columns.
#[derive(Clone)]
struct Sheet {
    name: String,
    cells: BTreeMap<(u32, u16), Cell>,
    merges: Vec<(u32, u16, u32, u16)>,
    hidden_rows: Vec<u32>,
    hidden_cols: Vec<u16>,
    hidden: bool,
}

impl Sheet {
    fn sample() -> Sheet {
        use calamine::Reader as _;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook(repo("samples/000.xlsx")).unwrap();
        let range = book.worksheet_range("自评表").unwrap();
        let (top, left) = range.start().unwrap();
        let cells = range
            .used_cells()
            .map(|(r, c, v)| {
                let at = (top + r as u32, (left + c as u32) as u16);
                (at, Cell::Text(v.to_string()))
            })
            .collect();
        let merges = book
            .merge_cells_by_sheet_name("自评表")
            .unwrap()
            .into_iter()
            .map(|d| (d.start.0, d.start.1 as u16, d.end.0, d.end.1 as u16))
            .collect();
        Sheet {
            name: "自评表".into(),
            cells,
            merges,
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
            hidden: false,
        }
    }

    fn empty(name: &str) -> Sheet {
        Sheet {
            name: name.into(),
            cells: BTreeMap::new(),
            merges: Vec::new(),
            ..Sheet::sample()
        }
    }

    fn set(&mut self, row: u32, col: u16, text: &str) {
        self.cells.insert((row, col), Cell::Text(text.into()));
    }

    /// Inserts an empty row before `at`, as Excel does (a merge across it grows).
    fn insert_row(&mut self, at: u32) {
        self.cells = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|((r, c), v)| ((if r >= at { r + 1 } else { r }, c), v))
            .collect();
        for m in &mut self.merges {
            m.0 += u32::from(m.0 >= at);
            m.2 += u32::from(m.2 >= at);
        }
    }

    fn write(&self, book: &mut rust_xlsxwriter::Workbook) {
        let sheet = book.add_worksheet().set_name(&self.name).unwrap();
        // A formula keeps no result, as a program that does not calculate saves it.
        sheet.set_formula_result_default("");
        let plain = rust_xlsxwriter::Format::new();
        let text = |at| match self.cells.get(&at) {
            Some(Cell::Text(t)) => t.clone(),
            _ => String::new(),
        };
        for &(r1, c1, r2, c2) in &self.merges {
            sheet
                .merge_range(r1, c1, r2, c2, &text((r1, c1)), &plain)
                .unwrap();
        }
        for (&(r, c), cell) in &self.cells {
            match cell {
                Cell::Text(_) if self.merges.iter().any(|m| (m.0, m.1) == (r, c)) => {}
                Cell::Text(t) => {
                    sheet.write(r, c, t.as_str()).unwrap();
                }
                Cell::Formula(f) => {
                    sheet
                        .write_formula(r, c, rust_xlsxwriter::Formula::new(f))
                        .unwrap();
                }
            }
        }
        for &r in &self.hidden_rows {
            sheet.set_row_hidden(r).unwrap();
        }
        for &c in &self.hidden_cols {
            sheet.set_column_hidden(c).unwrap();
        }
        if self.hidden {
            sheet.set_hidden(true);
        } else {
            sheet.set_active(true);
        }
    }
}

type SheetEdit = (&'static str, Code, fn() -> Vec<Sheet>);

/// Workbooks made from sample 000's sheet for what reading says about rarer sheets.
const SHEET_EDITS: &[SheetEdit] = &[
    (
        "labels no spelling matches, read by their words",
        Code::LabelInferred,
        || {
            let mut s = Sheet::sample();
            s.set(3, 4, "项目承办单位");
            s.set(4, 4, "本年实际支出数(C)");
            s.set(12, 4, "本年实现值");
            vec![s]
        },
    ),
    (
        "a department title over a 项目名称 header",
        Code::FormKindWeighed,
        || {
            let mut s = Sheet::sample();
            s.set(0, 0, "部门整体支出绩效自评表");
            vec![s]
        },
    ),
    (
        "a department header's 自评总分 that is not the 总分",
        Code::HeaderScoreMismatch,
        || {
            let mut s = Sheet::sample();
            s.set(0, 0, "部门整体支出绩效自评表");
            s.set(2, 0, "部门名称");
            s.set(3, 4, "自评总分");
            s.set(3, 5, "50");
            vec![s]
        },
    ),
    ("an error value in a field", Code::CellError, || {
        let mut s = Sheet::sample();
        s.set(13, 4, "#DIV/0!");
        vec![s]
    }),
    (
        "a value typed with a leading =",
        Code::FormulaNoValue,
        || {
            let mut s = Sheet::sample();
            s.cells.insert((13, 3), Cell::Formula("=1套".into()));
            vec![s]
        },
    ),
    (
        "a formula saved without its result",
        Code::FormulaUncalculated,
        || {
            let mut s = Sheet::sample();
            s.cells
                .insert((27, 6), Cell::Formula("=SUM(G14:G27)".into()));
            vec![s]
        },
    ),
    ("no funds header", Code::FundsBlockMissing, || {
        let mut s = Sheet::sample();
        for col in 2..8 {
            s.cells.remove(&(4, col));
        }
        vec![s]
    }),
    (
        "no 年度资金总额 row",
        Code::FundsTotalRowMissing,
        || {
            let mut s = Sheet::sample();
            s.cells.remove(&(5, 1));
            vec![s]
        },
    ),
    ("a wrong 执行率", Code::FundsRate, || {
        let mut s = Sheet::sample();
        s.set(5, 6, "99.00%");
        vec![s]
    }),
    ("执行率 with one decimal", Code::FundsRateRounded, || {
        let mut s = Sheet::sample();
        for row in [5, 8] {
            s.set(row, 4, "18.700000");
        }
        s.set(5, 6, "98.7%");
        vec![s]
    }),
    (
        "a subtotal in a 一级 cell",
        Code::SubtotalMismatch,
        || {
            let mut s = Sheet::sample();
            s.set(13, 0, "产出指标（50分）");
            vec![s]
        },
    ),
    (
        "an amount in 元 in a block of 万元",
        Code::FundsCellUnit,
        || {
            let mut s = Sheet::sample();
            s.set(5, 4, "189500元");
            vec![s]
        },
    ),
    (
        "单位：元 over a block of 万元",
        Code::FundsUnitConflict,
        || {
            let mut s = Sheet::sample();
            s.set(1, 9, "单位：元");
            vec![s]
        },
    ),
    ("a hidden indicator row", Code::HiddenContent, || {
        let mut s = Sheet::sample();
        s.hidden_rows.push(14);
        vec![s]
    }),
    ("a hidden helper column", Code::HiddenContentOutside, || {
        let mut s = Sheet::sample();
        s.set(13, 11, "辅助");
        s.hidden_cols.push(11);
        vec![s]
    }),
    (
        "a hidden draft beside the form",
        Code::HiddenSheetSkipped,
        || {
            let mut draft = Sheet::sample();
            draft.name = "旧稿".into();
            draft.hidden = true;
            vec![draft, Sheet::sample()]
        },
    ),
    (
        "only a hidden sheet holds a form",
        Code::SheetHidden,
        || {
            let mut draft = Sheet::sample();
            draft.name = "旧稿".into();
            draft.hidden = true;
            vec![draft, Sheet::empty("说明")]
        },
    ),
    (
        "a summary sheet beside the form",
        Code::SheetIncompleteSkipped,
        || {
            let mut summary = Sheet::empty("汇总");
            let rows = [
                [
                    "序号",
                    "项目名称",
                    "主管部门",
                    "全年预算数",
                    "全年执行数",
                    "执行率",
                ],
                ["1", "某项目", "某局", "32.4", "31.69", "97.81%"],
            ];
            for (r, row) in rows.iter().enumerate() {
                for (c, text) in row.iter().enumerate() {
                    summary.set(r as u32, c as u16, text);
                }
            }
            vec![Sheet::sample(), summary]
        },
    ),
    (
        "a second form under the first",
        Code::SheetMoreForms,
        || {
            let mut s = Sheet::sample();
            s.set(31, 0, "项目支出绩效自评表");
            s.set(32, 0, "项目名称");
            s.set(32, 1, "另一个项目");
            vec![s]
        },
    ),
    (
        "the title over a continued page",
        Code::RowContinuedTitle,
        || {
            let mut s = Sheet::sample();
            s.insert_row(21);
            s.set(21, 0, "项目支出绩效自评表（续）");
            vec![s]
        },
    ),
    ("a remark between the indicators", Code::RowRemark, || {
        let mut s = Sheet::sample();
        s.insert_row(24);
        s.set(24, 0, "注：以下为效益指标");
        vec![s]
    }),
    (
        "a target and 分值 without a name",
        Code::RowUnplaced,
        || {
            let mut s = Sheet::sample();
            s.insert_row(21);
            s.set(21, 3, "≥5个");
            s.set(21, 5, "1.00");
            vec![s]
        },
    ),
    ("a name and nothing else", Code::RowIncomplete, || {
        let mut s = Sheet::sample();
        s.insert_row(21);
        s.set(21, 2, "额外指标");
        vec![s]
    }),
    ("an indicator under the total", Code::RowsAfterTotal, || {
        let mut s = Sheet::sample();
        s.insert_row(28);
        s.set(28, 2, "额外指标");
        s.set(28, 5, "5.00");
        vec![s]
    }),
    (
        "一级 written in the middle of its group",
        Code::TreeLabelsCentered,
        || {
            let mut s = Sheet::sample();
            s.merges.retain(|m| (m.0, m.1) != (13, 0));
            s.cells.remove(&(13, 0));
            s.set(16, 0, "产出指标");
            vec![s]
        },
    ),
    ("分值 in words", Code::FigureUnreadable, || {
        let mut s = Sheet::sample();
        s.set(13, 5, "七分");
        vec![s]
    }),
    (
        "no 偏差原因 column",
        Code::ColumnMissingOptional,
        || {
            let mut s = Sheet::sample();
            s.cells.remove(&(12, 7));
            vec![s]
        },
    ),
];

#[test]
fn every_code_of_the_catalogue_is_said_by_some_input() {
    let mut said = Said::default();
    let mut corpus: Vec<PathBuf> = [
        "samples",
        "tests/fixtures",
        "tests/hostile",
        "tests/regressions",
    ]
    .iter()
    .flat_map(|d| files(&repo(d)))
    .chain(files(&repo("../shared/real-forms")))
    .collect();
    corpus.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("xlsx" | "xls" | "ods" | "json" | "toml")
        ) && !p.to_string_lossy().ends_with(".expect.json")
    });
    for path in &corpus {
        said.file(path);
    }
    for (what, code, edit) in FORM_EDITS {
        let here = said.add(what, &data_form(*edit));
        assert!(here.contains(code), "{what}: expected {code}, got {here:?}");
    }
    let dir = workdir(&[]);
    for (what, code, sheets) in SHEET_EDITS {
        let mut book = rust_xlsxwriter::Workbook::new();
        for sheet in sheets() {
            sheet.write(&mut book);
        }
        let path = dir.path().join(format!("{code}.xlsx"));
        book.save(&path).unwrap();
        let here = said.file(&path);
        assert!(here.contains(code), "{what}: expected {code}, got {here:?}");
    }
    // A department form in a project layout.
    let gz = repo("tests/fixtures/department/gz-suiyang-2021.xlsx");
    let project = jixiao::Layout::by_name("beijing-2024").unwrap();
    let checked = jixiao::pipeline::load(&gz, Some(project)).unwrap();
    let here = said.add("a department form in a project layout", &checked[0].report);
    assert!(here.contains(&Code::LayoutKind), "got {here:?}");
    // `--layout source` on a data file: it has no layout of its own.
    let sample = repo("samples/000.json");
    let source = jixiao::pipeline::load_in(&sample, jixiao::pipeline::Choice::Source).unwrap();
    let here = said.add("samples/000.json in its source layout", &source[0].report);
    assert!(here.contains(&Code::LayoutSourceNone), "got {here:?}");
    let pdf = pdf_with_another_table(dir.path());
    let here = said.file(&pdf);
    assert!(
        here.contains(&Code::PdfTablesSkipped),
        "a PDF with a form and another table: got {here:?}"
    );
    let never: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !said.0.contains_key(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        never.is_empty(),
        "codes of the catalogue no input says: {never:?}"
    );
}

/// Sample 000 as jixiao prints it, with one more page that draws a ruled table that is no form
/// (as a 决算公开 holds its 收支 tables beside the forms): written in `dir`, its path returned.
fn pdf_with_another_table(dir: &Path) -> PathBuf {
    use lopdf::{Document, Object, Stream, dictionary};
    let run = jixiao(
        dir,
        &[
            "render",
            repo("samples/000.json").to_str().unwrap(),
            "-o",
            "pdf",
            "--format",
            "pdf",
            "--quiet",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut doc = Document::load(dir.join("pdf/000.pdf")).expect("jixiao's PDF");
    // A table of 3 rows and 2 columns, ruled, with text in a standard font.
    let mut ops = String::from("0.5 w\n");
    for i in 0..4 {
        let y = 700 - 20 * i;
        ops += &format!("100 {y} m 400 {y} l S\n");
    }
    for x in [100, 250, 400] {
        ops += &format!("{x} 700 m {x} 640 l S\n");
    }
    for (i, (a, b)) in [
        ("Income", "Amount"),
        ("Grants", "120.00"),
        ("Other", "8.50"),
    ]
    .iter()
    .enumerate()
    {
        let y = 686 - 20 * i;
        ops +=
            &format!("BT /F1 10 Tf 105 {y} Td ({a}) Tj ET BT /F1 10 Tf 255 {y} Td ({b}) Tj ET\n");
    }
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let content = doc.add_object(Stream::new(dictionary! {}, ops.into_bytes()));
    let pages = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("the page tree");
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    let tree = doc
        .get_object_mut(pages)
        .and_then(Object::as_dict_mut)
        .expect("the page tree");
    let count = tree.get(b"Count").and_then(Object::as_i64).expect("Count");
    tree.set("Count", count + 1);
    tree.get_mut(b"Kids")
        .and_then(Object::as_array_mut)
        .expect("Kids")
        .push(page.into());
    let path = dir.join("form-and-table.pdf");
    doc.save(&path).expect("saved");
    path
}

/// `jixiao findings` lists the whole catalogue; `--json` as {code, severity, rule}.
#[test]
fn jixiao_findings_lists_every_code() {
    let dir = workdir(&[]);
    let run = jixiao(dir.path(), &["findings", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = run.json();
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), Code::ALL.len());
    for (entry, code) in listed.iter().zip(Code::ALL) {
        assert_eq!(entry["code"], code.as_str());
        assert_eq!(
            entry["severity"],
            serde_json::to_value(code.severity()).unwrap()
        );
        assert_eq!(entry["rule"], code.rule());
        assert_eq!(entry.as_object().unwrap().len(), 3, "{entry}");
    }
    let run = jixiao(dir.path(), &["findings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), Code::ALL.len() + 2, "{}", run.stdout);
    for (line, code) in lines[1..].iter().zip(Code::ALL) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words[..2],
            [code.as_str(), code.severity().label()],
            "{line}"
        );
        assert!(line.ends_with(code.rule()), "{line}");
    }
    assert!(lines[0].starts_with("代码"));
}

/// The list in the docs, made from the catalogue.
fn markdown() -> String {
    let mut out = String::from(
        "# 审核结论一览 · The findings jixiao reports\n\n\
         <!-- Made from src/finding/code.rs by tests/findings.rs: \
         JIXIAO_UPDATE_DOCS=1 cargo test --test findings rewrites it. -->\n\n\
         Every finding of `jixiao check` (and of the 审核意见 of a rendered form, the 汇总表 and \
         the page) has one of these codes, always at the severity given here: 错误 (`error`) \
         must be corrected, 警告 (`warning`) should be looked at, 提示 (`info`) is worth \
         knowing. `jixiao findings` prints this list, `jixiao findings --json` gives it as an \
         array of `{code, severity, rule}`.\n\n\
         | 代码 | 级别 | 规则 |\n|---|---|---|\n",
    );
    for e in entries() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            e.code,
            e.severity.label(),
            e.rule.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn the_docs_list_the_catalogue() {
    let path = repo("docs/findings.md");
    let want = markdown();
    if std::env::var_os("JIXIAO_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/findings.md is not the catalogue: run JIXIAO_UPDATE_DOCS=1 cargo test --test findings"
    );
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    assert!(
        readme.contains("(docs/findings.md)"),
        "the README links the list"
    );
}
