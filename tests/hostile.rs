//! The hostile corpus (`tests/hostile/`, written by `make_hostile.py`) and the cases made at
//! test time (a 20 MB JSON, symbolic links, file names with control characters, workbooks
//! written by hand with a 40 000-character sheet name, 1 500 sheets, a newline and an ESC in
//! sheet names, whole-row merges): no panic, one clear message per bad file with exit code 2,
//! the run goes on and always ends with its summary, nothing written outside `OUT`.

mod common;

use std::io::Read as _;
use std::path::Path;

use common::{jixiao, repo};

/// A temporary folder holding copies of the named corpus files.
fn corpus(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(repo(&format!("tests/hostile/{f}")), dir.path().join(f)).unwrap();
    }
    dir
}

/// Runs `jixiao check FILE` and returns its stderr, asserting exit code 2 and one message.
fn refused(file: &str) -> String {
    let dir = corpus(&[file]);
    let run = jixiao(dir.path(), &["check", file]);
    assert_eq!(run.code, 2, "{file}: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let messages: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("jixiao: "))
        .collect();
    assert_eq!(messages.len(), 1, "{}", run.stderr);
    assert!(messages[0].contains(file), "{}", messages[0]);
    messages[0].to_string()
}

/// A part of the zip at `path`.
fn zip_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn formulas_in_cells_are_written_as_text() {
    let dir = corpus(&["formula.json"]);
    let run = jixiao(dir.path(), &["render", "formula.json", "-o", "out"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let sheet = zip_part(
        &dir.path().join("out/formula.xlsx"),
        "xl/worksheets/sheet1.xml",
    );
    for formula in sheet.split("<f>").skip(1) {
        let formula = formula.split("</f>").next().unwrap();
        // The only formulas are the computed 执行率, 得分 and 总分.
        assert!(
            !["cmd", "HYPERLINK", "@", "1+1", "2+3"]
                .iter()
                .any(|t| formula.contains(t)),
            "text became a formula: {formula}"
        );
    }
    // Reading the output back gives the text as written.
    let back = jixiao(dir.path(), &["check", "--json", "out/formula.xlsx"]);
    assert_ne!(back.code, 2, "{}", back.stderr);
    let form = &back.json()[0]["form"];
    assert_eq!(form["project"], "=cmd|' /C calc'!A0");
    assert_eq!(
        form["indicators"][0]["name"],
        "=HYPERLINK(\"http://example.com/x\",\"点击\")"
    );
    assert_eq!(form["indicators"][1]["name"], "+1+1");
    assert!(dir.path().join("out/formula.pdf").is_file());
}

#[test]
fn control_characters_do_not_break_the_outputs() {
    let dir = corpus(&["control.json"]);
    let run = jixiao(dir.path(), &["render", "control.json", "-o", "out"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(dir.path().join("out/control.pdf").is_file());
    let back = jixiao(dir.path(), &["check", "--json", "out/control.xlsx"]);
    assert_ne!(back.code, 2, "{}", back.stderr);
    let form = &back.json()[0]["form"];
    assert_eq!(form["project"], "项目[31m名称");
    assert_eq!(form["unit"], "048019-北京\n艺术博物馆");
    assert_eq!(form["indicators"][0]["name"], "门票销售数量");
}

#[test]
fn lone_surrogate_in_json() {
    let message = refused("surrogate.json");
    assert!(message.contains("孤立的代理项"), "{message}");
}

#[test]
fn too_many_indicators() {
    let message = refused("many-indicators.json");
    assert!(
        message.contains("绩效指标有 2000 行，超过上限 1000 行"),
        "{message}"
    );
}

#[test]
fn amounts_past_the_bound() {
    let message = refused("huge-amount.json");
    assert!(
        message
            .contains("字段 funds.carryover.budget 的数值 79228162514264337593543950335 超出范围"),
        "{message}"
    );
}

#[test]
fn ratio_over_a_tiny_budget() {
    let dir = corpus(&["tiny-budget.json"]);
    let run = jixiao(
        dir.path(),
        &["render", "--strict", "tiny-budget.json", "-o", "out"],
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Checked like any form (C > B is an error finding), and both files are written.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(dir.path().join("out/tiny-budget.pdf").is_file());
    assert!(dir.path().join("out/tiny-budget.xlsx").is_file());
}

#[test]
fn deep_nesting() {
    for file in ["deep.json", "deep.toml", "deep-table.toml"] {
        let message = refused(file);
        assert!(message.contains("嵌套超过 64 层"), "{message}");
    }
    let message = refused("deep-keys.toml");
    assert!(message.contains("键或表的嵌套层数过深"), "{message}");
}

#[test]
fn long_cell() {
    let message = refused("long-cell.xlsx");
    assert!(
        message.contains(
            "字段 project（自评表!B3）的文字有 40000 个字符，超过单元格上限 32767 个字符"
        ) || message.contains("的文字有 40000 个字符，超过单元格上限 32767 个字符"),
        "{message}"
    );
}

#[test]
fn lone_surrogate_in_workbook_xml() {
    let message = refused("xml-surrogate.xlsx");
    assert!(message.contains("XML 格式错误"), "{message}");
}

#[test]
fn zip_bomb() {
    let message = refused("zip-bomb.xlsx");
    assert!(message.contains("解压后超过 200 MB"), "{message}");
}

#[test]
fn huge_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("{\"project\": \"");
    text.push_str(&"长".repeat(7 * 1024 * 1024));
    text.push_str("\"}");
    std::fs::write(dir.path().join("big.json"), text).unwrap();
    let run = jixiao(dir.path(), &["check", "big.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("big.json：文件过大（超过 10 MB），不是自评表数据"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_names_never_leave_out() {
    let files = [
        "traversal-0.json",
        "traversal-1.json",
        "traversal-2.json",
        "traversal-3.json",
        "by-project.layout.toml",
    ];
    let dir = corpus(&files);
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for f in &files[..4] {
        std::fs::rename(dir.path().join(f), dir.path().join("in").join(f)).unwrap();
    }
    let run = jixiao(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "work/out",
            "--layout",
            "by-project.layout.toml",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("work/out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "C__Windows_x.pdf",
            "C__Windows_x.xlsx",
            "_.pdf",
            "_.xlsx",
            "____etc_x.pdf",
            "____etc_x.xlsx",
            "a_b.pdf",
            "a_b.xlsx",
            "manifest.json",
            "汇总表.xlsx",
        ]
    );
    // Nothing beside `out`, nothing above it.
    let above: Vec<_> = std::fs::read_dir(dir.path().join("work"))
        .unwrap()
        .collect();
    assert_eq!(above.len(), 1);
    assert!(!dir.path().join("etc").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(repo("samples/000.json"), dir.path().join("outside.json")).unwrap();
    std::fs::copy(repo("samples/000.json"), input.join("good.json")).unwrap();
    std::os::unix::fs::symlink("../outside.json", input.join("escape.json")).unwrap();
    std::os::unix::fs::symlink("good.json", input.join("inside.json")).unwrap();
    let run = jixiao(dir.path(), &["check", "--json", "in"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("escape.json：符号链接指向输入目录之外（或不存在），已跳过"),
        "{}",
        run.stderr
    );
    let sources: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources, ["in/good.json", "in/inside.json"]);
}

#[cfg(unix)]
#[test]
fn file_names_with_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("bad\u{1b}[31m\u{7}name.xlsx"), b"not a workbook").unwrap();
    std::fs::copy(repo("samples/000.json"), input.join("good.json")).unwrap();
    let run = jixiao(dir.path(), &["render", "in", "-o", "out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("是纯文本文件，不是工作簿"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains('\u{1b}'),
        "a file name reached the terminal raw"
    );
    assert!(dir.path().join("out/good.xlsx").is_file());
}

#[test]
fn the_whole_corpus_in_one_run_goes_on() {
    let run = jixiao(&repo("tests/hostile"), &["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let messages = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("jixiao: "))
        .count();
    // surrogate ×2, many-indicators, deep ×4, long-cell, zip-bomb, huge-amount;
    // by-project.layout.toml is a layout, not a form.
    assert_eq!(messages, 11, "{}", run.stderr);
    assert!(run.stdout.contains("共 7 份表"), "{}", run.stdout);

    // Rendering the same folder writes the seven readable forms and goes past the others.
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    let run = jixiao(
        &repo("tests/hostile"),
        &["render", ".", "-o", out_dir.to_str().unwrap()],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let written = std::fs::read_dir(&out_dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf")
        })
        .count();
    assert_eq!(written, 7, "{}", run.stderr);
}

/// Escapes text for an XML attribute, control characters as character references (a raw
/// newline in an attribute would be read as a space).
fn xml_attr(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '"' => "&quot;".to_string(),
            '\n' | '\r' | '\t' => format!("&#{};", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// An xlsx written by hand with these sheet names, each holding one text cell: Excel and
/// the usual writers refuse sheet names past 31 characters or with control characters, a
/// hand-made package does not, and calamine reads it.
fn hand_made_xlsx(names: &[String]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, text: &str| {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut sheets = String::new();
    let mut rels = String::new();
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        sheets.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            xml_attr(name)
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    types.push_str("</Types>");
    part("[Content_Types].xml", &types);
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#
        ),
    );
    part(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    for n in 1..=names.len() {
        part(
            &format!("xl/worksheets/sheet{n}.xml"),
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>价目表</t></is></c></row></sheetData></worksheet>"#,
        );
    }
    zip.finish().unwrap().into_inner()
}

/// Sample 000 with its title merged over the whole of row 1 (`1:1`, as Excel writes a merge
/// of a whole row) and an unused merge of column J (`J:J`).
fn sample_with_whole_row_merges() -> Vec<u8> {
    use std::io::Write as _;
    let mut source =
        zip::ZipArchive::new(std::fs::File::open(repo("samples/000.xlsx")).unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut part = source.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data).unwrap();
            let title = r#"<mergeCell ref="A1:H1" />"#;
            assert!(text.contains(title));
            data = text
                .replace(title, r#"<mergeCell ref="1:1" /><mergeCell ref="J:J" />"#)
                .into_bytes();
        }
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_form_with_whole_row_and_column_merges_reads_as_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("merged.xlsx"),
        sample_with_whole_row_merges(),
    )
    .unwrap();
    std::fs::copy(repo("samples/000.xlsx"), dir.path().join("000.xlsx")).unwrap();
    let merged = jixiao(dir.path(), &["check", "--json", "merged.xlsx"]);
    assert_eq!(merged.code, 1, "{}", merged.stderr);
    let plain = jixiao(dir.path(), &["check", "--json", "000.xlsx"]);
    assert_eq!(merged.json()[0]["form"], plain.json()[0]["form"]);
    assert_eq!(merged.json()[0]["findings"], plain.json()[0]["findings"]);
}

#[test]
fn hostile_sheet_names_never_cost_a_batch_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(repo("samples/000.json"), input.join("000.json")).unwrap();
    std::fs::copy(repo("samples/001.xlsx"), input.join("001.xlsx")).unwrap();
    std::fs::write(input.join("merged.xlsx"), sample_with_whole_row_merges()).unwrap();
    std::fs::write(
        input.join("long-name.xlsx"),
        hand_made_xlsx(&["长".repeat(40_000)]),
    )
    .unwrap();
    let many: Vec<String> = (0..1500).map(|i| format!("表{i}")).collect();
    std::fs::write(input.join("many-sheets.xlsx"), hand_made_xlsx(&many)).unwrap();
    std::fs::write(
        input.join("control-name.xlsx"),
        hand_made_xlsx(&[
            "第一行\nthread 'main' panicked at src/main.rs:1:1".to_string(),
            "\u{1b}[31m红色".to_string(),
        ]),
    )
    .unwrap();

    let run = jixiao(
        dir.path(),
        &["render", "in", "-o", "out", "--format", "xlsx"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "ESC reached the terminal");
    let lines: Vec<&str> = run.stderr.lines().collect();
    // One line per bad file, then the count.
    assert_eq!(lines.len(), 4, "{}", run.stderr);
    assert!(lines[3].starts_with("已生成 3 份表"), "{}", run.stderr);
    for line in &lines[..3] {
        assert!(line.starts_with("jixiao: "), "{line}");
        assert!(line.chars().count() <= 300, "{line}");
    }
    assert!(
        lines[0]
            .contains(r"control-name.xlsx：未找到自评表（工作表：第一行\nthread 'main' panicked"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(r"\u{1b}[31m红色"), "{}", lines[0]);
    assert!(lines[1].contains("long-name.xlsx：未找到自评表（工作表：长长长"));
    assert!(lines[1].contains("长…）"), "{}", lines[1]);
    assert!(
        lines[2].contains(
            "many-sheets.xlsx：未找到自评表（工作表：表0、表1、表2、表3、表4 等 1500 个工作表）"
        ),
        "{}",
        lines[2]
    );

    // Every form written, the summary listing every failure, the manifest.
    let out = dir.path().join("out");
    for f in [
        "000.xlsx",
        "001.xlsx",
        "merged.xlsx",
        "汇总表.xlsx",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let reasons: Vec<&str> = manifest["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3);
    let mut summary: calamine::Xlsx<_> = calamine::open_workbook(out.join("汇总表.xlsx")).unwrap();
    use calamine::Reader as _;
    let failed = summary.worksheet_range("未能读取").unwrap();
    let listed: Vec<(String, String)> = failed
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].0, "control-name.xlsx");
    for ((_, reason), want) in listed.iter().zip(&reasons) {
        assert_eq!(reason, want);
        assert!(!reason.chars().any(char::is_control), "{reason:?}");
    }
    assert!(listed[1].1.contains("长…"), "{}", listed[1].1);
    let forms = summary.worksheet_range("汇总").unwrap();
    assert_eq!(
        forms
            .rows()
            .filter(|r| r[0].to_string().ends_with(".xlsx"))
            .count(),
        2
    );

    // `check` says the same, one line per bad file.
    let run = jixiao(dir.path(), &["check", "in"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 3, "{}", run.stderr);
    assert!(run.stdout.contains("共 3 份表"), "{}", run.stdout);
}

#[test]
fn a_field_at_the_cell_limit_renders_with_its_findings() {
    // 32 767 characters: what a cell holds. The finding on its score quotes it, and its note
    // and its line in 审核意见 are cut to fit rather than failing the form.
    let dir = tempfile::tempdir().unwrap();
    let mut form: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("samples/000.json")).unwrap()).unwrap();
    form["indicators"][11]["name"] = "长".repeat(32_767).into();
    std::fs::write(
        dir.path().join("long.json"),
        serde_json::to_string(&form).unwrap(),
    )
    .unwrap();
    let run = jixiao(dir.path(), &["render", "long.json", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out/long.xlsx").is_file());
    assert!(dir.path().join("out/long.pdf").is_file());
    // One character more than a cell holds, counted as Excel counts (UTF-16 units).
    form["indicators"][11]["name"] = "𠀀".repeat(16_384).into();
    std::fs::write(
        dir.path().join("rare.json"),
        serde_json::to_string(&form).unwrap(),
    )
    .unwrap();
    let run = jixiao(dir.path(), &["check", "rare.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("的文字有 32768 个字符，超过单元格上限 32767 个字符"),
        "{}",
        run.stderr
    );
}
