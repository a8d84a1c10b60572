//! Reading forms out of PDFs: every form jixiao prints, in every layout, reads back from its
//! PDF field-exact; so do the same forms and the real forms printed by another producer
//! (LibreOffice, which draws its lines and text differently); a PDF of several forms and other
//! tables yields each form once, in order, continued pages joined; what cannot be read is
//! refused in one line; no file of a corpus of real-world PDFs makes the reader panic.

mod common;

use std::path::{Path, PathBuf};

use common::{have_tool, jixiao, repo, run_command, run_tool};
use jixiao::layout::{self, Options};
use jixiao::{Layout, SourcedForm};

/// Every form we have: the samples (data and workbooks) and every workbook fixture.
fn inputs() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = ["000.json", "001.json", "000.xlsx", "001.xlsx"]
        .iter()
        .map(|n| repo(&format!("samples/{n}")))
        .collect();
    paths.extend(common::workbook_fixtures());
    paths
}

/// The forms jixiao reads from the file `path`.
fn read(path: &Path) -> Vec<SourcedForm> {
    jixiao::read::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every form in every built-in layout, fitted to it as `render --layout` fits it and printed
/// to PDF by jixiao, reads back from the PDF to the same form, digit for digit.
#[test]
fn every_form_in_every_layout_reads_back_from_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    // Project forms, in the project layouts (department forms: tests/department.rs).
    for layout in Layout::builtin()
        .iter()
        .filter(|l| l.kind == jixiao::model::FormKind::Project)
    {
        for input in inputs() {
            for (k, form) in read(&input).into_iter().enumerate() {
                let name = format!(
                    "{}-{}-{k}",
                    layout.name,
                    input.file_name().unwrap().to_string_lossy()
                );
                let checked = jixiao::pipeline::check(form, Some(layout));
                let grid = layout::build(&checked.report, layout, &Options::default()).unwrap();
                let path = dir.path().join(format!("{name}.pdf"));
                std::fs::write(&path, jixiao::render::pdf::write(&grid).unwrap()).unwrap();
                let back = read(&path);
                assert_eq!(back.len(), 1, "{name}");
                let unit = layout.funds.unit;
                assert_eq!(
                    common::in_unit(&back[0].form, unit),
                    common::in_unit(&checked.report.form, unit),
                    "{name}"
                );
                count += 1;
            }
        }
    }
    assert!(count >= 120, "{count} forms");
}

/// Converts every `.xlsx` in `dir` to PDF with LibreOffice, in one call.
fn print_with_libreoffice(dir: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    names.sort();
    run_command(
        common::soffice(dir)
            .args(["--convert-to", "pdf", "--outdir", "."])
            .args(&names),
    );
}

/// The samples and fixtures as jixiao writes them to xlsx, printed to PDF by LibreOffice (its
/// own lines, fonts and line breaks), read back as the workbooks read.
#[test]
fn libreoffice_prints_of_every_form_read_back() {
    if !have_tool("soffice") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for input in inputs() {
        for (k, form) in read(&input).into_iter().enumerate() {
            let name = format!("{}-{k}", input.file_name().unwrap().to_string_lossy());
            let checked = jixiao::pipeline::check(form, None);
            let grid =
                layout::build(&checked.report, &checked.layout, &Options::default()).unwrap();
            let path = dir.path().join(format!("{name}.xlsx"));
            std::fs::write(&path, jixiao::render::xlsx::write(&grid).unwrap()).unwrap();
            expected.push((name, read(&path).remove(0).form));
        }
    }
    print_with_libreoffice(dir.path());
    for (name, form) in &expected {
        let back = read(&dir.path().join(format!("{name}.pdf")));
        assert_eq!(back.len(), 1, "{name}");
        assert_eq!(
            serde_json::to_value(&back[0].form).unwrap(),
            serde_json::to_value(form).unwrap(),
            "{name}"
        );
    }
    assert!(expected.len() >= 30, "{} forms", expected.len());
}

/// The real forms of `../shared/real-forms/` (as printed text and with numbers as numbers),
/// printed by LibreOffice: each reads from its PDF to what its workbook reads to — except
/// where the printout itself shows something else: a target typed `=8个` is a formula that
/// LibreOffice prints as `#NAME?`, which shows no value. Each print distilled again by
/// poppler's cairo backend (Type 1 fonts with built-in encodings) reads to the same form, and
/// by Ghostscript (Type 1C simple fonts with custom encodings) to the same form or to a
/// refusal where Ghostscript dropped the Unicode of the text — never to another form.
#[test]
fn real_forms_printed_by_libreoffice_read_as_their_workbooks() {
    if !have_tool("soffice") {
        return;
    }
    let Some(real) = common::shared("real-forms") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&real).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    print_with_libreoffice(dir.path());
    for name in &names {
        let book = read(&dir.path().join(format!("{name}.xlsx")));
        let printed = read(&dir.path().join(format!("{name}.pdf")));
        assert_eq!(printed.len(), book.len(), "{name}");
        let mut want = serde_json::to_value(&book[0].form).unwrap();
        if name.starts_with("ah-chizhou-2022b") {
            for i in [0, 1] {
                assert!(
                    want["indicators"][i]["target"]
                        .as_str()
                        .unwrap()
                        .starts_with('=')
                );
                want["indicators"][i]["target"] = "".into();
            }
        }
        assert_eq!(
            serde_json::to_value(&printed[0].form).unwrap(),
            want,
            "{name}"
        );
        redistilled_read_the_same(dir.path(), name, &printed[0].form);
    }
}

/// The PDF `dir/name.pdf` distilled again by poppler's cairo backend reads to `form`; by
/// Ghostscript, to `form` or, where Ghostscript dropped the text's Unicode, to a refusal.
fn redistilled_read_the_same(dir: &Path, name: &str, form: &jixiao::Form) {
    if !(have_tool("gs") && have_tool("pdftocairo")) {
        return;
    }
    let source = dir.join(format!("{name}.pdf"));
    let gs = dir.join(format!("{name}-gs.pdf"));
    let cairo = dir.join(format!("{name}-cairo.pdf"));
    run_tool(
        "gs",
        &[
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pdfwrite",
            &format!("-sOutputFile={}", gs.display()),
            &source.to_string_lossy(),
        ],
    );
    run_tool(
        "pdftocairo",
        &["-pdf", &source.to_string_lossy(), &cairo.to_string_lossy()],
    );
    let same = |path: &Path, again: Vec<SourcedForm>| {
        assert_eq!(again.len(), 1, "{}", path.display());
        assert_eq!(
            serde_json::to_value(&again[0].form).unwrap(),
            serde_json::to_value(form).unwrap(),
            "{}",
            path.display()
        );
    };
    same(&cairo, read(&cairo));
    // Ghostscript keeps the glyph names of some subsets only as `cid44042`, without a
    // ToUnicode map (poppler reads no text there either): such a copy is refused as having
    // no Unicode, never read as another form.
    match jixiao::read::load(&gs) {
        Ok(again) => same(&gs, again),
        Err(e) => assert!(
            e.to_string().contains("没有 Unicode 映射"),
            "{}: {e}",
            gs.display()
        ),
    }
}

/// A PDF as a 决算公开 is: other tables (ruled tables of a land-use standard), a form over two
/// pages, a one-page form, another table: `check` gives each form once, in order, named
/// `FILE#页码`, the two pages of the first joined, its findings on cells of their page, and the
/// other tables skipped and counted.
#[test]
fn several_forms_and_other_tables_in_one_pdf() {
    if !have_tool("qpdf") {
        return;
    }
    let (Some(landuse), Some(colspan)) = (
        common::shared("realpdfs/plumber-cn-landuse-tables.pdf"),
        common::shared("realpdfs/camelot-colspan-table.pdf"),
    ) else {
        return;
    };
    let dir = common::workdir(&["samples/000.json", "samples/001.json"]);
    let run = jixiao(dir.path(), &["render", "000.json", "001.json", "-o", "out"]);
    assert!(run.code < 2, "{}", run.stderr);
    let (landuse, colspan) = (landuse.to_string_lossy(), colspan.to_string_lossy());
    run_tool(
        "qpdf",
        &[
            "--empty",
            "--pages",
            &landuse,
            &dir.path().join("out/000.pdf").to_string_lossy(),
            &dir.path().join("out/001.pdf").to_string_lossy(),
            &colspan,
            "--",
            &dir.path().join("决算公开.pdf").to_string_lossy(),
        ],
    );
    let pages_000 = run_tool(
        "pdfinfo",
        &[&dir.path().join("out/000.pdf").to_string_lossy()],
    );
    assert!(pages_000.contains("Pages:           2"), "{pages_000}");
    let run = jixiao(dir.path(), &["check", "--json", "决算公开.pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reports = run.json();
    assert_eq!(run.sources(), ["决算公开.pdf#2", "决算公开.pdf#4"]);
    for (report, sample) in reports.as_array().unwrap().iter().zip(["000", "001"]) {
        let want = jixiao(dir.path(), &["check", "--json", &format!("{sample}.json")]).json();
        assert_eq!(report["form"], want[0]["form"], "{sample}");
        assert_eq!(report["review"], want[0]["review"], "{sample}");
    }
    // 000's overstated indicator is on the second page of its form, the PDF's third.
    let cells: Vec<&str> = reports[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "indicator-overstated")
        .map(|f| f["cell"].as_str().unwrap())
        .collect();
    assert_eq!(cells.len(), 1, "{cells:?}");
    assert!(cells[0].starts_with("第3页 "), "{cells:?}");
    let skipped: Vec<&str> = reports[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "pdf-tables-skipped")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(skipped.len(), 1, "{}", reports[0]["findings"]);
    assert!(skipped[0].contains("另有 4 个表格"), "{skipped:?}");
    // The human report names the page too.
    let run = jixiao(dir.path(), &["check", "决算公开.pdf"]);
    assert!(run.stdout.contains("第3页 H"), "{}", run.stdout);
}

/// A scanned page (an image of the printed form, no text layer) is refused in one line.
#[test]
fn a_scan_is_refused_in_one_line() {
    if !(have_tool("pdftoppm") && have_tool("img2pdf")) {
        return;
    }
    let dir = common::workdir(&["samples/001.json"]);
    let run = jixiao(dir.path(), &["render", "001.json", "-o", "out"]);
    assert!(run.code < 2, "{}", run.stderr);
    let page = dir.path().join("page");
    run_tool(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-png",
            "-singlefile",
            &dir.path().join("out/001.pdf").to_string_lossy(),
            &page.to_string_lossy(),
        ],
    );
    run_tool(
        "img2pdf",
        &[
            &dir.path().join("page.png").to_string_lossy(),
            "-o",
            &dir.path().join("扫描.pdf").to_string_lossy(),
        ],
    );
    let run = jixiao(dir.path(), &["check", "扫描.pdf"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("扫描.pdf"))
        .collect();
    assert_eq!(
        lines,
        ["jixiao: 扫描.pdf：扫描件，没有可读取的文字：请提供原表或可复制文字的 PDF"],
        "{}",
        run.stderr
    );
}

/// Every file of `../shared/realpdfs/` (60 PDFs from PDF projects' test suites: CJK encodings,
/// ruled tables, encryption, damage, scans) gives forms or one line saying why not, and never
/// panics; the ones whose reason is known give it.
#[test]
fn real_world_pdfs_give_forms_or_one_line() {
    let Some(corpus) = common::shared("realpdfs") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 60);
    let expect = [
        ("pdfminer-enc-aes128-user", "PDF 设有打开密码"),
        ("pypdf-enc-rc4-128-user", "PDF 设有打开密码"),
        ("qpdf-enc-aes256-user", "PDF 设有打开密码"),
        ("qpdf-enc-rc4-128-user", "PDF 设有打开密码"),
        ("ocrmypdf-scan-jpeg", "扫描件，没有可读取的文字"),
        ("ocrmypdf-scan-jbig2-4p", "扫描件，没有可读取的文字"),
        ("ocrmypdf-bomb-35000px", "扫描件，没有可读取的文字"),
        ("plumber-zero-byte", "不是 PDF 文件"),
        ("ocrmypdf-header-only", "不是有效的 PDF 文件"),
        ("pdfpig-zh-identity-notounicode", "没有 Unicode 映射"),
        ("pdfjs-ja-wrong-length-notounicode", "没有 Unicode 映射"),
        // Owner password only: opens, and is read (it holds no form).
        ("qpdf-enc-aes256-owner", "PDF 共 30 页"),
        ("qpdf-enc-rc4-40-owner", "PDF 共 30 页"),
        ("pdfjs-enc-aes128-owner-form", "PDF 共 1 页"),
        ("pdfpig-cn-gbk-95p", "PDF 共 95 页"),
    ];
    for path in &paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let result = std::panic::catch_unwind(|| jixiao::read::load_bytes(path, &bytes));
        let result = result.unwrap_or_else(|_| panic!("{name}: panicked"));
        let Err(error) = result else {
            continue;
        };
        let line = error.to_string();
        assert_eq!(line.lines().count(), 1, "{name}: {line}");
        if let Some((_, want)) = expect.iter().find(|(n, _)| *n == name) {
            assert!(line.contains(want), "{name}: {line}");
        }
    }
}

/// A table printed by a browser, which cuts a row at the page break (no line at the cut, the
/// rest of the row at the top of the next page) and does not repeat the header: one table, every
/// row whole, the cut rows' texts joined.
#[test]
fn rows_cut_by_a_page_break_are_joined() {
    if !have_tool("chromium") {
        return;
    }
    let header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];
    let rows: Vec<Vec<String>> = (1..20)
        .map(|i| {
            let reason = "很长的偏差原因说明文字，".repeat(if i == 14 { 60 } else { 1 });
            [
                "产出指标".to_string(),
                "数量指标".to_string(),
                format!("指标{i}"),
                format!("≥{i}个"),
                format!("{i}个"),
                "5".to_string(),
                "5".to_string(),
                reason,
            ]
            .to_vec()
        })
        .collect();
    let cell = |t: &str| format!("<td>{t}</td>");
    let html = format!(
        "<html><head><meta charset=\"utf-8\"></head><body><table border=\"1\" cellspacing=\"0\" style=\"border-collapse:collapse\"><tr>{}</tr>{}</table></body></html>",
        header.iter().map(|t| cell(t)).collect::<String>(),
        rows.iter()
            .map(|r| format!("<tr>{}</tr>", r.iter().map(|t| cell(t)).collect::<String>()))
            .collect::<String>()
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("table.html");
    std::fs::write(&page, html).unwrap();
    let pdf = dir.path().join("table.pdf");
    run_command(std::process::Command::new("chromium").args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        &format!("--print-to-pdf={}", pdf.display()),
        &page.to_string_lossy(),
    ]));
    let tables = jixiao::read::source::pdf::tables(&std::fs::read(&pdf).unwrap()).unwrap();
    assert!(tables.pages >= 2, "{} pages", tables.pages);
    assert_eq!(tables.tables.len(), 1);
    let sheet = &tables.tables[0].sheet;
    let mut read: Vec<Vec<String>> = Vec::new();
    for row in sheet.rows_from(0) {
        read.push(
            sheet
                .row(row)
                .iter()
                .map(|c| c.value.display().split_whitespace().collect())
                .collect(),
        );
    }
    let mut want = vec![header.iter().map(|t| t.to_string()).collect::<Vec<_>>()];
    want.extend(rows);
    assert_eq!(read, want);
}

/// A PDF whose content stream inflates past the limit (a few hundred KB holding 300 MB of
/// zeros) is refused in one line before any page is drawn.
#[test]
fn a_decompression_bomb_is_refused_before_it_is_drawn() {
    use std::io::Write as _;
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zlib.write_all(&zeros).unwrap();
    }
    let stream = zlib.finish().unwrap();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let objects: [Vec<u8>; 4] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                stream.len()
            )
            .as_bytes(),
            &stream,
            b"\nendstream",
        ]
        .concat(),
    ];
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    assert!(pdf.len() < 2 << 20, "{} bytes", pdf.len());
    let started = std::time::Instant::now();
    let error = jixiao::read::load_bytes(Path::new("bomb.pdf"), &pdf).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bomb.pdf：PDF 过大：解压后超过 200 MB，可能是压缩炸弹，不是自评表"
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

/// `check` walks the PDFs of a folder as it walks workbooks, and the page reads a PDF dropped
/// on it and the PDFs in a `.zip` of a folder, as `check` reads them.
#[test]
fn folders_zips_and_the_page_take_pdfs() {
    let dir = common::workdir(&["samples/000.json", "samples/001.json"]);
    let run = jixiao(
        dir.path(),
        &[
            "render", "000.json", "001.json", "-o", "out", "--format", "pdf",
        ],
    );
    assert!(run.code < 2, "{}", run.stderr);
    let run = jixiao(dir.path(), &["check", "--json", "out"]);
    assert_eq!(
        run.sources(),
        ["out/000.pdf", "out/001.pdf"],
        "{}",
        run.stderr
    );
    let from_pdf = run.json();
    let pdf = std::fs::read(dir.path().join("out/001.pdf")).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("部门/001.pdf", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, &pdf).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    let server = common::serve::Server::start(&[]);
    let view = server
        .check(&[("001.pdf", &pdf), ("部门.zip", &zip)], "")
        .json();
    let forms = view["forms"].as_array().unwrap();
    let sources: Vec<&str> = forms
        .iter()
        .map(|f| f["row"]["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["001.pdf", "部门/001.pdf"], "{view}");
    assert!(view["failures"].as_array().unwrap().is_empty(), "{view}");
    for form in forms {
        assert_eq!(
            form["scores"]["total"], from_pdf[1]["review"]["total"],
            "{form}"
        );
        let html = form["html"].as_str().unwrap();
        let project = from_pdf[1]["form"]["project"].as_str().unwrap();
        assert!(
            html.contains(&jixiao::render::html::escape(project)),
            "{project}"
        );
    }
}
