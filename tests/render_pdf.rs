//! The PDF writer: what poppler (`pdffonts`, `pdftotext`, `pdfinfo`) and `qpdf` find in the
//! files. CI installs `poppler-utils` and `qpdf`; without them these tests fail and say so.

mod common;

use std::path::Path;
use std::process::Command;

use common::{jixiao, repo, workdir};
use jixiao::layout::{self, Grid, Options};
use jixiao::model::Indicator;
use jixiao::{Form, Layout, Report, SourcedForm};

const CREATED: &str = "2025-03-01T00:00:00+08:00";

/// Whether poppler and qpdf are installed (a test skips without them, except in CI).
fn pdf_tools() -> bool {
    ["pdffonts", "pdftotext", "pdfinfo", "qpdf"]
        .iter()
        .all(|t| common::have_tool(t))
}

/// Runs an outside tool; a missing tool fails the test with what to install.
fn tool(name: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{name}` ({e}): the PDF tests need poppler-utils and qpdf \
             (apt-get install poppler-utils qpdf)"
        )
    });
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `text` without any whitespace.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn load(path: &Path) -> Form {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    jixiao::read::form_from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The samples and every workbook fixture's expected form.
fn sources() -> Vec<(String, Form)> {
    let mut paths = vec![repo("samples/000.json"), repo("samples/001.json")];
    let mut fixtures: Vec<_> = std::fs::read_dir(repo("tests/fixtures/read"))
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".form.json"))
                .collect()
        })
        .unwrap_or_default();
    fixtures.sort();
    paths.extend(fixtures);
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, load(&p))
        })
        .collect()
}

fn report(source: &str, form: Form) -> Report {
    Report::new(SourcedForm::from_data(source, form), None)
}

fn options() -> Options {
    Options {
        created: Some(CREATED.to_string()),
        ..Options::default()
    }
}

fn render(form: &Form, options: &Options) -> (Grid, Vec<u8>) {
    let report = report("test", form.clone());
    let grid = layout::build(&report, Layout::for_year(form.year), options).unwrap();
    let bytes = jixiao::render::pdf::write(&grid).unwrap();
    (grid, bytes)
}

fn save(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn pages_of(pdf: &str) -> usize {
    let info = common::run_tool("pdfinfo", &[pdf]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count: {info}"))
}

fn page_text(pdf: &str, page: usize) -> String {
    let n = page.to_string();
    common::run_tool("pdftotext", &["-f", &n, "-l", &n, "-raw", pdf, "-"])
}

/// Every font embedded as a subset (six-capital tag) with a ToUnicode map.
fn check_fonts(pdf: &str) {
    let listing = common::run_tool("pdffonts", &[pdf]);
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "{listing}");
    for line in fonts {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let name = cols[0];
        let (tag, _) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("not a subset: {line}"));
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{line}"
        );
        // name, type (two words), encoding, emb, sub, uni, object, generation
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{line}");
    }
}

/// `qpdf --check` passes without a warning.
fn check_qpdf(pdf: &str) {
    let (code, stdout, stderr) = tool("qpdf", &["--check", pdf]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("No syntax or stream encoding errors found"),
        "{stdout}"
    );
    assert!(!stderr.to_lowercase().contains("warning"), "{stderr}");
}

/// The uncompressed file (`qpdf --qdf`), to look for keys.
fn qdf(pdf: &str, dir: &Path) -> String {
    let out = dir.join("qdf.pdf").to_string_lossy().into_owned();
    let (code, _, stderr) = tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", pdf, out.as_str()],
    );
    assert_eq!(code, 0, "{stderr}");
    String::from_utf8_lossy(&std::fs::read(&out).unwrap()).into_owned()
}

/// No object in the file, referenced or not, carries printpdf's faulty metadata.
fn assert_no_leftovers(name: &str, bytes: &[u8]) {
    let doc = lopdf::Document::load_mem(bytes).expect("lopdf reads the file");
    let mut count = 0;
    for object in doc.objects.values() {
        let dict = match object {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => continue,
        };
        count += 1;
        assert!(!dict.has(b"GTS_PDFXVersion"), "{name}: {dict:?}");
        for (_, value) in dict.iter() {
            if let lopdf::Object::String(text, _) = value {
                assert!(!text.starts_with(b"D:1970"), "{name}: a 1970 date");
            }
        }
    }
    assert!(count > 10, "{name}: {count} dictionaries");
}

#[test]
fn every_sample_and_fixture_is_embedded_extractable_clean_and_described() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sources = sources();
    assert!(sources.len() >= 2);
    for (name, form) in sources {
        let (grid, bytes) = render(&form, &options());
        check_pdf(dir.path(), &name, &form, &grid, &bytes);
    }
}

#[test]
fn every_sample_and_fixture_signed_and_sealed_passes_the_same_checks() {
    if !(pdf_tools() && common::have_tool("openssl") && common::have_tool("pdfsig")) {
        return;
    }
    let pki = common::pki::pki();
    let signer = common::pki::load(&pki.ec);
    let seal_path = repo("tests/fixtures/seal.png");
    let seal = jixiao::sign::Seal::from_png(&seal_path, &std::fs::read(&seal_path).unwrap())
        .expect("the test seal");
    let stamp = jixiao::render::pdf::Stamp {
        seal: Some(&seal),
        signer: Some(&signer),
    };
    let options = Options {
        signature: Some(jixiao::layout::Signature {
            signer: signer.name().to_string(),
            unit: signer.unit().map(str::to_string),
            time: "2025-03-01T10:30:00+08:00".to_string(),
        }),
        ..options()
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, form) in sources() {
        let report = report("test", form.clone());
        let grid = layout::build(&report, Layout::for_year(form.year), &options).unwrap();
        let bytes = jixiao::render::pdf::write_stamped(&grid, stamp).unwrap();
        let pdf = check_pdf(dir.path(), &name, &form, &grid, &bytes);
        let sig = common::run_tool("pdfsig", &[&pdf]);
        assert!(sig.contains("Signature is Valid."), "{name}: {sig}");
        assert!(sig.contains("Total document signed"), "{name}: {sig}");
    }
}

/// The checks every written PDF passes: fonts embedded as subsets with ToUnicode, `qpdf
/// --check` clean, every cell's text extractable, the metadata; returns the saved file.
fn check_pdf(dir: &Path, name: &str, form: &Form, grid: &Grid, bytes: &[u8]) -> String {
    let pdf = save(dir, &format!("{name}.pdf"), bytes);
    check_fonts(&pdf);
    check_qpdf(&pdf);

    // Every cell's text, Chinese included, comes back out (whitespace aside).
    let text = squeeze(&common::run_tool("pdftotext", &["-raw", &pdf, "-"]));
    for cell in &grid.cells {
        let shown = squeeze(&cell.value.display());
        assert!(
            text.contains(&shown),
            "{name}: cell ({}, {}) “{shown}” not in the text",
            cell.row,
            cell.col
        );
    }
    let layout_text = squeeze(&common::run_tool("pdftotext", &["-layout", &pdf, "-"]));
    assert!(layout_text.contains(&squeeze(&form.project)), "{name}");

    let info = common::run_tool("pdfinfo", &["-isodates", &pdf]);
    let field = |key: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{name}: no {key} in\n{info}"))
            .to_string()
    };
    assert_eq!(field("Title"), form.project.trim(), "{name}");
    assert_eq!(field("Author"), form.unit.trim(), "{name}");
    let year = form.year.map_or(String::new(), |y| format!("（{y}年度）"));
    assert_eq!(
        field("Subject"),
        format!("项目支出绩效自评表{year}"),
        "{name}"
    );
    assert!(field("Keywords").contains("项目支出绩效自评表"), "{name}");
    assert_eq!(
        field("Creator"),
        concat!("jixiao ", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(field("CreationDate"), "2025-03-01T00:00:00+08", "{name}");
    assert_eq!(field("Metadata Stream"), "yes", "{name}");
    assert_eq!(field("Page size"), "595.276 x 841.89 pts (A4)", "{name}");

    assert_no_leftovers(name, bytes);
    let raw = qdf(&pdf, dir);
    assert!(!raw.contains("GTS_PDFX"), "{name}: bogus PDF/X version");
    assert!(raw.contains("<xmp:CreateDate>2025-03-01T00:00:00+08:00</xmp:CreateDate>"));
    assert!(
        raw.contains("/CreationDate (D:20250301000000+08'00')"),
        "{name}"
    );
    pdf
}

/// The `/ID` of a PDF, from its trailer.
fn document_id(pdf: &str) -> String {
    let trailer = common::run_tool("qpdf", &["--show-object=trailer", pdf]);
    let at = trailer
        .find("/ID [")
        .unwrap_or_else(|| panic!("no /ID: {trailer}"));
    trailer[at..].split(']').next().unwrap().to_string()
}

#[test]
fn documents_have_their_own_id_and_the_same_input_gives_the_same_bytes() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = load(&repo("samples/000.json"));
    let b = load(&repo("samples/001.json"));
    let (_, pdf_a) = render(&a, &options());
    let (_, pdf_b) = render(&b, &options());
    let later = Options {
        created: Some("2025-03-02T09:30:00+08:00".to_string()),
        ..Options::default()
    };
    let (_, pdf_a_later) = render(&a, &later);
    let ids: Vec<String> = [("a", &pdf_a), ("b", &pdf_b), ("a2", &pdf_a_later)]
        .into_iter()
        .map(|(n, bytes)| document_id(&save(dir.path(), &format!("{n}.pdf"), bytes)))
        .collect();
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[0], ids[2], "the creation time is part of the ID");
    let (_, again) = render(&a, &options());
    assert!(
        again == pdf_a,
        "the same form at the same time gives the same file"
    );
}

/// A form with 60 indicators in seven groups and goals of 2 000 characters.
fn long_form() -> Form {
    let mut form = load(&repo("samples/000.json"));
    let groups = [
        ("产出指标", "数量指标", 12),
        ("产出指标", "质量指标", 10),
        ("产出指标", "时效指标", 6),
        ("成本指标", "经济成本指标", 6),
        ("效益指标", "社会效益指标", 12),
        ("效益指标", "可持续影响指标", 8),
        ("满意度指标", "服务对象满意度指标", 6),
    ];
    form.indicators.clear();
    for (level1, level2, n) in groups {
        for k in 0..n {
            let i = form.indicators.len();
            form.indicators.push(Indicator {
                level1: level1.to_string(),
                level2: level2.to_string(),
                name: format!("服务内容第{}项完成情况", i + 1),
                target: "≥95%".to_string(),
                actual: "98%".to_string(),
                weight: Some("1.50".parse().unwrap()),
                score: Some("1.50".parse().unwrap()),
                deviation: if k % 4 == 1 {
                    format!("第{}项：相应支撑材料不够充分，今后将加强收集整理。", i + 1)
                } else {
                    String::new()
                },
                ..Indicator::default()
            });
        }
    }
    let sentences = |what: &str, n: usize| -> String {
        (1..=n)
            .map(|i| format!("第{i}项{what}按计划推进，"))
            .collect::<String>()
    };
    form.goals.expected = sentences("目标", 100);
    form.goals.achieved = sentences("工作", 100);
    assert!(form.goals.expected.chars().count() + form.goals.achieved.chars().count() >= 2000);
    form
}

#[test]
fn a_long_form_continues_with_the_header_and_the_group_labels_on_every_page() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let form = long_form();
    let (grid, bytes) = render(&form, &options());
    let pdf = save(dir.path(), "long.pdf", &bytes);
    check_fonts(&pdf);
    check_qpdf(&pdf);
    let pages = pages_of(&pdf);
    assert!(pages > 2, "{pages} pages");
    assert_eq!(grid.pages.len(), pages);
    let layout = Layout::for_year(form.year);
    let header: Vec<String> = layout
        .table
        .columns
        .iter()
        .filter(|c| !c.header.is_empty())
        .map(|c| squeeze(&c.header))
        .collect();
    let mut continued = 0;
    for (p, slice) in grid.pages.iter().enumerate().skip(1) {
        let text = squeeze(&page_text(&pdf, p + 1));
        // Every page with indicator rows shows the header, and the 一级 and 二级 labels of
        // its rows.
        let rows: Vec<u32> = slice.rows.iter().map(|s| s.row).collect();
        let indicators = grid
            .cells
            .iter()
            .any(|c| rows.contains(&c.row) && c.value.display().starts_with("服务内容第"));
        if indicators {
            for label in &header {
                assert!(text.contains(label), "page {}: no “{label}”", p + 1);
            }
            for cell in grid
                .cells
                .iter()
                .filter(|c| (1..=2).contains(&c.col) && rows.contains(&c.row) && c.rows > 1)
            {
                let label = squeeze(&cell.value.display());
                assert!(text.contains(&label), "page {}: no “{label}”", p + 1);
            }
            assert!(text.contains("绩效指标"), "page {}: no block label", p + 1);
            continued += 1;
        }
        assert!(
            text.contains(&format!("第{}页共{pages}页", p + 1)),
            "page {}: no page number",
            p + 1
        );
    }
    assert!(continued > 0, "the table was not continued on a next page");
    let first_page = squeeze(&page_text(&pdf, 1));
    assert!(first_page.contains(&format!("第1页共{pages}页")));
}

#[test]
fn a_goal_taller_than_a_page_is_split_between_lines_and_kept_whole() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut form = load(&repo("samples/001.json"));
    form.goals.achieved = (1..=600)
        .map(|i| format!("完成事项{i:03}已验收。"))
        .collect();
    assert!(form.goals.achieved.chars().count() >= 6000);
    let (grid, bytes) = render(&form, &options());
    let pdf = save(dir.path(), "tall.pdf", &bytes);
    check_fonts(&pdf);
    check_qpdf(&pdf);
    // The text is held in a row per page, its parts adding up to it; no row is taller than
    // a page.
    let label = grid
        .cells
        .iter()
        .find(|c| c.value.display() == "实际完成情况")
        .unwrap();
    let parts: Vec<&layout::Cell> = grid
        .cells
        .iter()
        .filter(|c| c.col == label.col && c.row > label.row)
        .take_while(|c| c.value.display() != "实际完成值")
        .collect();
    assert!(parts.len() >= 3, "{} parts", parts.len());
    let joined: String = parts.iter().map(|c| c.value.display()).collect();
    assert_eq!(joined, form.goals.achieved);
    let available = grid.page.printable_height();
    assert!(grid.rows.iter().all(|h| *h <= available + 0.01));
    let pages = pages_of(&pdf);
    assert!(pages >= 4, "{pages} pages");
    // Every line of the text is on some page, once, in order.
    let text: String = (1..=pages).map(|p| squeeze(&page_text(&pdf, p))).collect();
    let mut from = 0;
    for line in parts.iter().flat_map(|c| &c.lines) {
        let line = squeeze(line);
        let at = text[from..]
            .find(&line)
            .unwrap_or_else(|| panic!("“{line}” missing or out of order"));
        from += at + line.len();
    }
    for i in [1, 300, 600] {
        let item = format!("完成事项{i:03}已验收。");
        assert_eq!(text.matches(&item).count(), 1, "{item}");
    }
}

#[test]
fn any_text_renders_without_a_panic() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut form = load(&repo("samples/000.json"));
    form.project = "项目😀\u{7}\t名称 עברית العربية 𠀀𪚥 \u{200B}\u{FEFF}≒ e\u{301}".to_string();
    form.unit = "单位\r\n第二行\u{0}".to_string();
    form.indicators[0].deviation = "\u{1F600}".repeat(50);
    form.signoff
        .insert("填表人".to_string(), "喆堃玥".to_string());
    let (_, bytes) = render(&form, &options());
    let pdf = save(dir.path(), "odd.pdf", &bytes);
    check_fonts(&pdf);
    check_qpdf(&pdf);
    let text = squeeze(&common::run_tool("pdftotext", &["-raw", &pdf, "-"]));
    // What the fonts lack is an empty box (validation names it); the rest extracts.
    assert!(text.contains("项目") && text.contains("名称"), "{text}");
    assert!(text.contains("单位第二行"), "{text}");
    assert!(text.contains("填表人：喆堃玥"), "{text}");
}

#[test]
fn a_two_page_form_is_small() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, bytes) = render(&load(&repo("samples/000.json")), &options());
    let pdf = save(dir.path(), "000.pdf", &bytes);
    assert_eq!(pages_of(&pdf), 2);
    assert!(bytes.len() <= 90_000, "{} bytes", bytes.len());
}

#[test]
fn render_writes_the_pdf_beside_the_workbook_with_the_signoff() {
    if !pdf_tools() {
        return;
    }
    let dir = workdir(&["samples/000.json", "samples/001.json"]);
    let run = jixiao(
        dir.path(),
        &[
            "render",
            "000.json",
            "001.json",
            "-o",
            "out",
            "--signoff",
            "填表人=张三",
            "--signoff",
            "审核人=李四",
            "--date",
            "2025-03-01",
        ],
    );
    // Exit code 0: every form was rendered (sample 000's error finding is in its outputs).
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["000", "001"] {
        assert!(dir.path().join(format!("out/{name}.xlsx")).is_file());
        let pdf = dir.path().join(format!("out/{name}.pdf"));
        let pdf = pdf.to_string_lossy();
        let text = squeeze(&common::run_tool("pdftotext", &["-raw", &pdf, "-"]));
        for expected in [
            "填表人：张三",
            "审核人：李四",
            "填报日期：2025-03-01",
            "单位（盖章）：",
        ] {
            assert!(text.contains(expected), "{name}: no {expected}");
        }
        let info = common::run_tool("pdfinfo", &["-isodates", &pdf]);
        assert!(info.contains("2025-03-01T00:00:00+08"), "{info}");
    }
    let leftovers = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0);

    // One format only.
    let run = jixiao(
        dir.path(),
        &["render", "000.json", "-o", "pdf-only", "--format", "pdf"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("pdf-only/000.pdf").is_file());
    assert!(!dir.path().join("pdf-only/000.xlsx").exists());
    // Without --date, the clock (in +08:00) dates the document.
    let pdf = dir.path().join("pdf-only/000.pdf");
    let info = common::run_tool("pdfinfo", &["-isodates", &pdf.to_string_lossy()]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("CreationDate:") && l.trim_end().ends_with("+08")),
        "{info}"
    );

    // Clear errors for an unknown format and an unreadable date.
    let run = jixiao(
        dir.path(),
        &["render", "000.json", "-o", "x", "--format", "xlsx,docx"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("docx"), "{}", run.stderr);
    let run = jixiao(
        dir.path(),
        &["render", "000.json", "-o", "x", "--date", "明天"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("明天"), "{}", run.stderr);
}

#[test]
fn the_signoff_comes_from_the_form_data_too() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut form = load(&repo("samples/001.json"));
    form.signoff
        .insert("单位负责人".to_string(), "王五".to_string());
    form.signoff
        .insert("填报日期".to_string(), "2025年2月28日".to_string());
    let (_, bytes) = render(&form, &options());
    let pdf = save(dir.path(), "signed.pdf", &bytes);
    let text = squeeze(&common::run_tool("pdftotext", &["-raw", &pdf, "-"]));
    assert!(text.contains("单位负责人：王五"), "{text}");
    assert!(text.contains("填报日期：2025年2月28日"), "{text}");
}

/// Every sample and fixture form in every layout: no number wraps in the PDF (the positions
/// `pdftotext -bbox-layout` gives put every number on one line), the PDF has the grid's pages,
/// no page but the last ends with a label row or is less than 60 % full.
#[test]
fn no_number_wraps_and_pages_are_full_in_every_layout() {
    if !pdf_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for layout in Layout::builtin() {
        for (name, form) in common::all_forms() {
            let name = format!("{}-{name}", layout.name);
            let report = Report::new(SourcedForm::from_data(&name, form), Some(layout));
            let grid = layout::build(&report, layout, &options()).unwrap();
            let bytes = jixiao::render::pdf::write(&grid).unwrap();
            let pdf = dir.path().join(format!("{name}.pdf"));
            std::fs::write(&pdf, &bytes).unwrap();
            let lines = common::pdf_lines(&pdf);
            assert_eq!(lines.len(), grid.pages.len(), "{name}");
            common::assert_numbers_whole(&name, &grid, &lines);
            let available = grid.page.printable_height();
            for (p, page) in grid.pages.iter().enumerate().rev().skip(1) {
                let fill = page.height() / available;
                assert!(
                    fill >= 0.6,
                    "{name}: page {} is {:.0} % full",
                    p + 1,
                    fill * 100.0
                );
                let last = page.rows.last().unwrap().row;
                assert!(
                    !grid.cells.iter().any(|c| c.row == last
                        && matches!(c.value.display().as_str(), "预期目标" | "一级指标")),
                    "{name}: page {} ends with a label row",
                    p + 1
                );
            }
        }
    }
    // Sample 001 prints on two pages in its own layout.
    let form = load(&repo("samples/001.json"));
    let (grid, bytes) = render(&form, &options());
    let pdf = save(dir.path(), "001.pdf", &bytes);
    assert_eq!(grid.pages.len(), 2);
    assert_eq!(pages_of(&pdf), 2);
}
