//! LibreOffice as an outside reader of the workbooks jixiao writes: it opens each one (every
//! sample and fixture form in every layout), and its PDF export prints the pages the grid
//! says, on the layout's paper, with the whole text of every cell, no number split, and no
//! label row at the foot of a page.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{have_tool, run_tool};
use jixiao::layout::{self, Grid, Options};
use jixiao::{Layout, Report, SourcedForm};

/// Characters of a text that count: everything but white space.
fn char_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn convert(dir: &Path, files: &[String]) {
    common::run_command(
        common::soffice(dir)
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(dir.join("pdf"))
            .args(files),
    );
}

/// A piece of the text of grid row `row` that a printout of it shows, however it wraps: the
/// start of its longest one-row cell, squeezed.
fn mark(grid: &Grid, row: u32) -> Option<String> {
    grid.cells
        .iter()
        .filter(|c| c.row == row && c.rows == 1)
        .map(|c| squeeze(&c.value.display()))
        .max_by_key(|t| t.chars().count())
        .filter(|t| t.chars().count() >= 3)
        .map(|t| t.chars().take(3).collect())
}

/// The rows that label the row after them: the goals' labels, the indicator header.
fn is_label_row(grid: &Grid, row: u32) -> bool {
    grid.cells
        .iter()
        .any(|c| c.row == row && matches!(c.value.display().as_str(), "预期目标" | "一级指标"))
}

#[test]
fn libreoffice_prints_every_page_as_the_grid_says() {
    if !(have_tool("soffice") && have_tool("pdftotext") && have_tool("pdfinfo")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut grids = Vec::new();
    let options = Options {
        created: Some("2025-03-01T00:00:00+08:00".to_string()),
        ..Options::default()
    };
    for layout in Layout::builtin() {
        for (name, form) in common::all_forms() {
            let report = Report::new(SourcedForm::from_data(&name, form), Some(layout));
            let grid = layout::build(&report, layout, &options).unwrap();
            let file = format!("{}-{name}.xlsx", layout.name);
            std::fs::write(
                dir.path().join(&file),
                jixiao::render::xlsx::write(&grid).unwrap(),
            )
            .unwrap();
            files.push(file);
            grids.push((format!("{}-{name}", layout.name), grid));
        }
    }
    assert!(grids.len() >= 100, "{} workbooks", grids.len());
    // One LibreOffice for all: about 0.1 s a workbook.
    convert(dir.path(), &files);
    for (name, grid) in grids {
        let pdf = dir.path().join(format!("pdf/{name}.pdf"));
        let info = run_tool("pdfinfo", &[&pdf.to_string_lossy()]);
        // The layout's paper and orientation.
        let size: Vec<f32> = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            size.len() == 2
                && (size[0] - grid.page.width).abs() < 2.0
                && (size[1] - grid.page.height).abs() < 2.0,
            "{name}: {size:?}\n{info}"
        );
        let lines = common::pdf_lines(&pdf);
        let pages = grid.pages.len();
        assert!(lines.len() > pages, "{name}: {} pages", lines.len());
        let text: String = lines.iter().flatten().cloned().collect();
        assert!(
            !text.contains("###"),
            "{name}: a number did not fit its column"
        );
        // Every character of every cell is printed: a clipped line would lose some.
        let printed = char_counts(&text);
        let mut wanted: HashMap<char, usize> = HashMap::new();
        for cell in &grid.cells {
            for (c, n) in char_counts(&cell.value.display()) {
                *wanted.entry(c).or_insert(0) += n;
            }
        }
        for (c, n) in wanted {
            let got = printed.get(&c).copied().unwrap_or(0);
            assert!(
                got >= n,
                "{name}: “{c}” printed {got} times, the cells hold it {n} times"
            );
        }
        // No number split, on the pages of the form (the sheets after it are lists).
        common::assert_numbers_whole(&name, &grid, &lines[..pages]);
        // The pages are the grid's: each ends with the row the grid ends it with, and none
        // ends with a label row.
        for (p, page) in grid.pages.iter().enumerate() {
            let printed: String = lines[p].iter().map(|l| squeeze(l)).collect();
            let last = page.rows.last().unwrap().row;
            if let Some(mark) = mark(&grid, last) {
                assert!(
                    printed.contains(&mark),
                    "{name}: page {} does not end with “{mark}”",
                    p + 1
                );
            }
            if p + 1 < pages {
                assert!(
                    !is_label_row(&grid, last),
                    "{name}: page {} ends with a label row",
                    p + 1
                );
                let next = grid.pages[p + 1].rows[0].row;
                if let Some(mark) = mark(&grid, next).filter(|m| !printed.contains(m)) {
                    let on_next: String = lines[p + 1].iter().map(|l| squeeze(l)).collect();
                    assert!(
                        on_next.contains(&mark),
                        "{name}: page {} does not start with “{mark}”",
                        p + 2
                    );
                }
            }
            // One page wide: the rightmost header is on every page that shows the header.
            if printed.contains("一级指标") {
                assert!(
                    printed.contains("偏差原因分析及改进措施"),
                    "{name} page {}: cut in width",
                    p + 1
                );
            }
        }
    }
}
