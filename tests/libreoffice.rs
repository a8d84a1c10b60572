//! LibreOffice as an outside reader of the workbooks jixiao writes: it opens each one, and its
//! PDF export shows the whole text of every cell, one page wide, with the header repeated.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{have_tool, repo, run_tool};
use jixiao::layout::{self, Options};
use jixiao::{Layout, Report};

/// The forms to write: the samples and the fixtures' expected forms.
fn forms() -> Vec<(String, Report)> {
    let mut out = Vec::new();
    for name in ["samples/000.json", "samples/001.json"] {
        let mut forms = jixiao::read::load(&repo(name)).unwrap();
        out.push((name.replace('/', "_"), Report::new(forms.remove(0), None)));
    }
    let dir = repo("tests/fixtures/read");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".form.json"))
        {
            let mut forms = jixiao::read::load(p).unwrap();
            let stem = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".form.json", "");
            out.push((stem, Report::new(forms.remove(0), None)));
        }
    }
    out
}

/// Characters of a text that count: everything but white space.
fn char_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

fn convert(dir: &Path, files: &[String]) {
    common::run_command(
        common::soffice(dir)
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(dir.join("pdf"))
            .args(files),
    );
}

#[test]
fn libreoffice_prints_every_cell_whole() {
    if !(have_tool("soffice") && have_tool("pdftotext") && have_tool("pdfinfo")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut grids = Vec::new();
    for (name, report) in forms() {
        let layout = Layout::for_year(report.form.year);
        let grid = layout::build(&report, layout, &Options::default()).unwrap();
        let file = format!("{name}.xlsx");
        std::fs::write(
            dir.path().join(&file),
            jixiao::render::xlsx::write(&grid).unwrap(),
        )
        .unwrap();
        files.push(file);
        grids.push((name, grid));
    }
    convert(dir.path(), &files);
    for (name, grid) in grids {
        let pdf = dir.path().join(format!("pdf/{name}.pdf"));
        let pdf = pdf.to_str().unwrap();
        let info = run_tool("pdfinfo", &[pdf]);
        assert!(
            info.contains("595.") && info.contains("841."),
            "{name}: A4 portrait\n{info}"
        );
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap();
        let text = run_tool("pdftotext", &["-enc", "UTF-8", pdf, "-"]);
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
        // One page wide, and the indicator header on every page of the form that has
        // indicator rows (the last page is the 审核意见 sheet).
        for page in 1..=pages {
            let p = page.to_string();
            let text = run_tool(
                "pdftotext",
                &["-f", &p, "-l", &p, "-enc", "UTF-8", pdf, "-"],
            );
            let text: String = text.split_whitespace().collect();
            if text.contains("一级指标") {
                assert!(
                    text.contains("偏差原因分析及改进措施"),
                    "{name} page {page}: cut in width"
                );
            }
            if page > 1 && text.contains("总分") {
                assert!(
                    text.contains("一级指标"),
                    "{name} page {page}: header not repeated"
                );
            }
        }
    }
}
