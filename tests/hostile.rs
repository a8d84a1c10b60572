//! The hostile corpus (`tests/hostile/`, written by `make_hostile.py`) and the cases made at
//! test time (a 20 MB JSON, symbolic links, file names with control characters): no panic, one
//! clear message per bad file with exit code 2, the run goes on, nothing written outside `OUT`.

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
