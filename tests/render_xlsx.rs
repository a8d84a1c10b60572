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

#[test]
fn figures_are_numbers_and_formulas_have_their_results() {
    let report = report("samples/001.json");
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    let mut wb = workbook(jixiao::render::xlsx::write(&grid).unwrap());
    let values = wb.worksheet_range("自评表").unwrap();
    let formulas = wb.worksheet_formula("自评表").unwrap();
    let at = |a1: &str| {
        let (col, row) = a1.split_at(1);
        let pos = (
            row.parse::<u32>().unwrap() - 1,
            u32::from(col.as_bytes()[0] - b'A'),
        );
        (
            values.get_value(pos).cloned(),
            formulas.get_value(pos).cloned().unwrap_or_default(),
        )
    };
    // 年度资金总额: B and C as numbers, 执行率 and 得分 as formulas with the results cached.
    assert_eq!(at("D6").0, Some(Data::Float(146.435)));
    assert_eq!(at("E6").0, Some(Data::Float(144.306)));
    let (rate, rate_formula) = at("G6");
    assert!(
        rate_formula.contains("E6") && rate_formula.contains("D6"),
        "{rate_formula}"
    );
    let Some(Data::Float(rate)) = rate else {
        panic!("{rate:?}")
    };
    assert!((rate - 144.306 / 146.435).abs() < 1e-12);
    let (score, score_formula) = at("H6");
    assert_eq!(score, Some(Data::Float(9.85)));
    assert!(score_formula.contains("ROUND"), "{score_formula}");
    // 总分 with its formula and the total as cached result.
    let total_row = grid.rows.len() - 3;
    let (total, total_formula) = at(&format!("G{total_row}"));
    assert_eq!(total, Some(Data::Float(94.85)), "G{total_row}");
    assert!(total_formula.starts_with("N(H6)+SUM(G"), "{total_formula}");
    let (weights, _) = at(&format!("F{total_row}"));
    assert_eq!(weights, Some(Data::Float(100.0)));
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
    assert_eq!(review.height(), 1 + report.findings.len());
    let first: Vec<String> = (0..4)
        .map(|c| {
            review
                .get_value((1, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(first[0], "自评表!G25");
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

#[test]
fn print_setup_is_a4_one_page_wide_with_the_header_repeated() {
    let report = report("samples/000.json");
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    let bytes = jixiao::render::xlsx::write(&grid).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="portrait""#));
    assert!(sheet.contains(r#"fitToHeight="0""#), "fit to one page wide");
    assert!(
        sheet.contains("&amp;P") && sheet.contains("&amp;N"),
        "page numbers in the footer"
    );
    let mut workbook = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut workbook)
        .unwrap();
    let (first, last) = grid.header_rows.unwrap();
    assert!(
        workbook.contains(&format!("自评表!$A$1:$H${}", grid.rows.len())),
        "{workbook}"
    );
    assert!(
        workbook.contains(&format!("自评表!${}:${}", first + 1, last + 1)),
        "{workbook}"
    );
    // Page breaks fall only where a group starts.
    for b in layout::sheet_breaks(&grid) {
        assert!(grid.break_before.contains(&b), "break at row {b}");
    }
}

#[test]
fn the_row_heights_fit_the_wrapped_text() {
    let report = report("samples/001.json");
    let layout = Layout::for_year(report.form.year);
    let grid = layout::build(&report, layout, &Options::default()).unwrap();
    for cell in &grid.cells {
        let style = grid.style(cell);
        let needed = cell.lines.len() as f32 * style.size * layout::LINE_PITCH;
        let have = grid.rows_height(cell.row, cell.last_row());
        assert!(
            have + 0.01 >= needed,
            "cell ({}, {}) needs {needed}, has {have}",
            cell.row,
            cell.col
        );
        let width = grid.cell_width(cell) - 2.0 * layout::PAD_H;
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
