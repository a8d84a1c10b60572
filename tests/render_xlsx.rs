//! The xlsx writer: what a spreadsheet program finds in the workbook.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::{jixiao, repo, workdir};
use jixiao::layout::{self, Options};
use jixiao::{Layout, Report};

fn report(name: &str) -> Report {
    let mut forms = jixiao::read::load(&repo(name)).unwrap();
    Report::new(forms.remove(0), None)
}

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("the workbook opens")
}

#[test]
fn merged_ranges_are_the_grids_spans() {
    for sample in ["samples/000.json", "samples/001.json"] {
        let report = report(sample);
        let layout = Layout::for_year(report.form.year);
        let grid = layout::build(&report, layout, &Options::default()).unwrap();
        let mut wb = workbook(jixiao::render::xlsx::write(&grid).unwrap());
        let mut merged: Vec<_> = wb
            .merge_cells_by_sheet_name("自评表")
            .unwrap()
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect();
        merged.sort();
        let mut spans: Vec<_> = grid
            .cells
            .iter()
            .filter(|c| c.rows > 1 || c.cols > 1)
            .map(|c| {
                (
                    (c.row, u32::from(c.col)),
                    (c.last_row(), u32::from(c.last_col())),
                )
            })
            .collect();
        spans.sort();
        assert_eq!(merged, spans, "{sample}");
    }
}

/// The A1 reference of a grid cell.
fn a1(row: u32, col: u16) -> String {
    jixiao::model::CellRef { row, col }.to_string()
}

/// The grid cell showing `text`.
fn cell_with<'g>(grid: &'g layout::Grid, text: &str) -> &'g layout::Cell {
    grid.cells
        .iter()
        .find(|c| c.value.display() == text)
        .unwrap_or_else(|| panic!("no cell “{text}”"))
}

#[test]
fn figures_are_numbers_and_formulas_have_their_results() {
    let report = report("samples/001.json");
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    let mut wb = workbook(jixiao::render::xlsx::write(&grid).unwrap());
    let values = wb.worksheet_range("自评表").unwrap();
    let formulas = wb.worksheet_formula("自评表").unwrap();
    let at = |row: u32, col: u16| {
        let pos = (row, u32::from(col));
        (
            values.get_value(pos).cloned(),
            formulas.get_value(pos).cloned().unwrap_or_default(),
        )
    };
    let col_of = |header: &str| cell_with(&grid, header).col;
    let total = cell_with(&grid, "年度资金总额：").row;
    let (budget, executed) = (col_of("全年预算数(B)"), col_of("全年执行数(C)"));
    // 年度资金总额: B and C as numbers, 执行率 and 得分 as formulas with the results cached.
    assert_eq!(at(total, budget).0, Some(Data::Float(146.435)));
    assert_eq!(at(total, executed).0, Some(Data::Float(144.306)));
    let (rate, rate_formula) = at(total, col_of("执行率(C/B)"));
    assert!(
        rate_formula.contains(&a1(total, executed)) && rate_formula.contains(&a1(total, budget)),
        "{rate_formula}"
    );
    let Some(Data::Float(rate)) = rate else {
        panic!("{rate:?}")
    };
    assert!((rate - 144.306 / 146.435).abs() < 1e-12);
    // The funds block's 得分 is its last column.
    let score_col = grid
        .cells
        .iter()
        .filter(|c| c.row == total)
        .map(|c| c.col)
        .max()
        .unwrap();
    let (score, score_formula) = at(total, score_col);
    assert_eq!(score, Some(Data::Float(9.85)));
    assert!(score_formula.contains("ROUND"), "{score_formula}");
    // 总分 with its formula and the total as cached result; Σ分值 beside it.
    let total_row = cell_with(&grid, "总分：").row;
    let sum = grid
        .cells
        .iter()
        .find(|c| c.row == total_row && c.value.display() == "94.85")
        .expect("the total");
    let (value, sum_formula) = at(total_row, sum.col);
    assert_eq!(value, Some(Data::Float(94.85)));
    assert!(
        sum_formula.starts_with(&format!("N({})+SUM(", a1(total, score_col))),
        "{sum_formula}"
    );
    let weights = grid
        .cells
        .iter()
        .find(|c| c.row == total_row && c.value.display() == "100.00")
        .expect("Σ分值");
    assert_eq!(at(total_row, weights.col).0, Some(Data::Float(100.0)));
}

/// Sample 000 with its funds 得分 changed to 5.00: the cells show what was filed.
#[test]
fn a_filed_figure_is_never_replaced() {
    let mut form = report("samples/000.json").form;
    form.funds.score = Some("5.00".parse().unwrap());
    let report = Report::new(jixiao::SourcedForm::from_data("000.json", form), None);
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    let mut wb = workbook(jixiao::render::xlsx::write(&grid).unwrap());
    let values = wb.worksheet_range("自评表").unwrap();
    let formulas = wb.worksheet_formula("自评表").unwrap();
    let total = cell_with(&grid, "年度资金总额：").row;
    let score = grid
        .cells
        .iter()
        .find(|c| c.row == total && c.value.display() == "5.00")
        .expect("the filed 5.00");
    let pos = (score.row, u32::from(score.col));
    assert_eq!(values.get_value(pos), Some(&Data::Float(5.0)));
    assert_eq!(formulas.get_value(pos).cloned().unwrap_or_default(), "");
    // 总分 as filed (96.00), a plain figure: the scores shown add up to 91.00.
    let total_row = cell_with(&grid, "总分：").row;
    let filed = grid
        .cells
        .iter()
        .find(|c| c.row == total_row && c.value.display() == "96.00")
        .expect("the filed 96.00");
    let pos = (filed.row, u32::from(filed.col));
    assert_eq!(values.get_value(pos), Some(&Data::Float(96.0)));
    assert_eq!(formulas.get_value(pos).cloned().unwrap_or_default(), "");
    // The findings say so, on those cells.
    let notes: Vec<(u32, u16, &str)> = grid.notes.iter().map(|n| (n.row, n.col, n.code)).collect();
    assert!(
        notes.contains(&(score.row, score.col, "funds-score")),
        "{notes:?}"
    );
    assert!(
        notes.contains(&(filed.row, filed.col, "total-mismatch")),
        "{notes:?}"
    );
}

#[test]
fn findings_become_notes_and_a_review_sheet() {
    let report = report("samples/000.json");
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    assert_eq!(grid.notes.len(), report.findings.len());
    let bytes = jixiao::render::xlsx::write(&grid).unwrap();
    let mut wb = workbook(bytes.clone());
    assert_eq!(wb.sheet_names(), ["自评表", "审核意见"]);
    let review = wb.worksheet_range("审核意见").unwrap();
    // The figures by the rules first, then the findings under their own header.
    assert_eq!(review.get_value((0, 0)).unwrap().to_string(), "复核项目");
    let head = (0..review.height() as u32)
        .find(|&r| review.get_value((r, 0)).is_some_and(|v| *v == "单元格"))
        .expect("the findings' header");
    assert_eq!(
        review.height() as u32,
        head + 1 + report.findings.len() as u32
    );
    let first: Vec<String> = (0..4)
        .map(|c| {
            review
                .get_value((head + 1, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    let overstated = grid
        .notes
        .iter()
        .find(|n| n.code == "indicator-overstated")
        .unwrap();
    assert_eq!(
        first[0],
        format!("自评表!{}", a1(overstated.row, overstated.col))
    );
    assert_eq!(first[1], "indicator-overstated");
    assert_eq!(first[2], "错误");
    // The notes and the fill are in the sheet's XML.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut comments = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/comments1.xml").unwrap(), &mut comments)
        .unwrap();
    assert!(comments.contains("投诉降低率"), "{comments}");
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core)
        .unwrap();
    assert!(
        core.contains(
            "<dc:title>11000024T000002790130-2024年北京艺术博物馆票务系统服务费</dc:title>"
        )
    );
    assert!(core.contains("<dc:creator>048019-北京艺术博物馆</dc:creator>"));
}

/// A part of the workbook's package as text.
fn part(bytes: Vec<u8>, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

#[test]
fn print_setup_follows_the_layout_and_breaks_where_the_pages_do() {
    let report = report("samples/000.json");
    for layout in Layout::builtin() {
        let grid = layout::build(&report, layout, &Options::default()).unwrap();
        let bytes = jixiao::render::xlsx::write(&grid).unwrap();
        let sheet = part(bytes.clone(), "xl/worksheets/sheet1.xml");
        let name = &layout.name;
        assert!(sheet.contains(r#"paperSize="9""#), "{name}");
        let orientation = if grid.page.landscape {
            "landscape"
        } else {
            "portrait"
        };
        assert!(
            sheet.contains(&format!(r#"orientation="{orientation}""#)),
            "{name}"
        );
        assert!(sheet.contains(r#"fitToHeight="0""#), "fit to one page wide");
        assert!(
            sheet.contains("&amp;P") && sheet.contains("&amp;N"),
            "page numbers in the footer"
        );
        let workbook = part(bytes, "xl/workbook.xml");
        let last = a1(grid.rows.len() as u32 - 1, grid.columns.len() as u16 - 1);
        let (letters, digits) = last.split_at(last.find(|c: char| c.is_ascii_digit()).unwrap());
        assert!(
            workbook.contains(&format!("{}!$A$1:${letters}${digits}", layout.sheet)),
            "{name}: {workbook}"
        );
        // A break where each page of the grid starts, and none elsewhere.
        let breaks: Vec<u32> = grid
            .pages
            .iter()
            .skip(1)
            .filter_map(|p| p.starts_row())
            .collect();
        assert!(!breaks.is_empty(), "{name}: one page");
        for b in &breaks {
            assert!(
                sheet.contains(&format!(r#"<brk id="{b}""#)),
                "{name}: break {b}"
            );
        }
        assert_eq!(sheet.matches("<brk ").count(), breaks.len(), "{name}");
        // No repeated rows: the continued pages carry the header as rows of their own.
        assert!(
            !workbook.contains(r#"Print_Titles" localSheetId="0""#),
            "{name}: {workbook}"
        );
    }
}

#[test]
fn the_row_heights_fit_the_wrapped_text() {
    let report = report("samples/001.json");
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    for cell in &grid.cells {
        let style = grid.style(cell);
        let needed = cell.lines.len() as f32 * style.size * grid.text.line_pitch;
        let have = grid.rows_height(cell.row, cell.last_row());
        assert!(
            have + 0.01 >= needed,
            "cell ({}, {}) needs {needed}, has {have}",
            cell.row,
            cell.col
        );
        let width = grid.cell_width(cell) - 2.0 * grid.text.pad_h;
        for line in &cell.lines {
            assert!(
                jixiao::fonts::metrics(style.bold).width(line, style.size) <= width + 0.01,
                "{line}"
            );
        }
        // The lines hold the whole text.
        let joined: String = cell.lines.concat().split_whitespace().collect();
        let shown: String = cell.value.display().split_whitespace().collect();
        assert_eq!(joined, shown);
    }
}

#[test]
fn render_and_template_from_the_command_line() {
    let dir = workdir(&["samples/000.json", "samples/001.json"]);
    let run = jixiao(dir.path(), &["render", "000.json", "001.json", "-o", "out"]);
    // Rendered: 0, though 000 has an error finding (it is in the outputs).
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["000", "001"] {
        let path = dir.path().join(format!("out/{name}.xlsx"));
        let wb = workbook(std::fs::read(&path).unwrap());
        assert_eq!(wb.sheet_names()[0], "自评表");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let run = jixiao(
        dir.path(),
        &["template", "-o", "blank.xlsx", "--rows", "12"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(dir.path().join("blank.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains("<dataValidations count=\"2\">"),
        "drop-down lists"
    );
    assert!(
        sheet.contains("产出指标,成本指标,效益指标,满意度指标"),
        "{sheet}"
    );
    let run = jixiao(
        dir.path(),
        &["template", "-o", "old.xlsx", "--layout", "mof-2020"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
