//! `jixiao render` over a department's folder: a tree of good, old and bad forms in, the
//! finished forms, the summary and the manifest out.

mod common;

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::{jixiao, repo};
use sha2::{Digest, Sha256};

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
}

/// Builds the input tree; returns (forms, readable files, bad files).
fn make_tree(root: &Path) -> (usize, usize, usize) {
    let mut forms = 0;
    let mut files = 0;
    for name in ["000.json", "001.json", "000.xlsx", "001.xlsx"] {
        copy(
            &repo(&format!("samples/{name}")),
            &root.join("samples").join(name),
        );
        forms += 1;
        files += 1;
    }
    let names = common::workbook_fixtures();
    for p in &names {
        let ext = p.extension().unwrap().to_str().unwrap();
        copy(
            p,
            &root.join("fixtures").join(ext).join(p.file_name().unwrap()),
        );
        forms += if p.file_stem().unwrap() == "multi" {
            2
        } else {
            1
        };
        files += 1;
    }
    // Generated variants: many units of one department, some of them 2020 forms.
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("samples/001.json")).unwrap()).unwrap();
    for k in 0..16 {
        let mut form = base.clone();
        form["project"] = format!("11000024T0000000{k:02}-第{k}号项目").into();
        form["unit"] = format!("048{k:03}-第{k}单位").into();
        if k % 4 == 0 {
            form["year"] = 2020.into();
        }
        let dir = root.join(format!("units/unit-{:02}", k / 4));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("form-{k:02}.json")),
            serde_json::to_string(&form).unwrap(),
        )
        .unwrap();
        forms += 1;
        files += 1;
    }
    // Two inputs that would give the same output name.
    copy(&repo("samples/000.json"), &root.join("clash/a.json"));
    copy(&repo("samples/000.xlsx"), &root.join("clash/a.xlsx"));
    forms += 2;
    files += 2;
    // Bad files, and files a walk skips.
    let mut bad = 0;
    for e in std::fs::read_dir(repo("tests/fixtures/bad")).unwrap() {
        let p = e.unwrap().path();
        copy(&p, &root.join("bad").join(p.file_name().unwrap()));
        // A stray value far away does not spoil the form beside it.
        if p.file_name().unwrap() == "stray-cell.xlsx" {
            forms += 1;
            files += 1;
        } else {
            bad += 1;
        }
    }
    std::fs::write(root.join("bad/broken.json"), "{\"year\": 2024,").unwrap();
    bad += 1;
    std::fs::write(root.join("samples/~$000.xlsx"), "lock").unwrap();
    std::fs::write(root.join("samples/.hidden.json"), "{").unwrap();
    std::fs::write(root.join("samples/readme.txt"), "not a form").unwrap();
    (forms, files, bad)
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn all_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

#[test]
fn a_department_folder_converts_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    let (forms, good, bad) = make_tree(&inputs);
    assert!(forms + bad >= 50, "{forms} forms and {bad} bad files");
    let run = jixiao(dir.path(), &["render", "in", "-o", "out", "-j", "2"]);
    assert_eq!(run.code, 2, "bad inputs make exit code 2\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // One line per bad file on stderr.
    let failures: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("jixiao: "))
        .collect();
    assert_eq!(failures.len(), bad, "{}", run.stderr);
    assert!(failures.iter().all(|l| l.contains("bad/")), "{failures:?}");

    let out = dir.path().join("out");
    let files = all_files(&out);
    // The tree is kept, one xlsx and one pdf per form.
    for f in [
        "samples/000-json.xlsx",
        "samples/000-xlsx.pdf",
        "units/unit-03/form-15.pdf",
        "fixtures/ods/offset.xlsx",
        "fixtures/xlsx/multi-项目一.xlsx",
        "fixtures/xlsx/multi-项目二.pdf",
        "clash/a-json.xlsx",
        "clash/a-xlsx.xlsx",
        "汇总表.xlsx",
        "manifest.json",
    ] {
        assert!(files.contains(Path::new(f)), "{f} missing from {files:#?}");
    }
    let xlsx = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
        .count();
    let pdf = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "pdf"))
        .count();
    assert_eq!(
        (xlsx - 1, pdf),
        (forms, forms),
        "one pair per form (plus 汇总表)"
    );
    assert!(!files.iter().any(|f| f.to_string_lossy().contains(".tmp")));
    assert!(!files.iter().any(|f| f.to_string_lossy().contains("~$")));

    // The manifest lists every file written with its digest and size, and the inputs.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), files.len() - 1);
    for o in outputs {
        let bytes = std::fs::read(out.join(o["path"].as_str().unwrap())).unwrap();
        assert_eq!(o["sha256"], sha256(&bytes));
        assert_eq!(o["size"], bytes.len());
    }
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), good);

    // The summary: a row per form, the 合计, the findings and the failures.
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(std::fs::read(out.join("汇总表.xlsx")).unwrap())).unwrap();
    assert_eq!(wb.sheet_names(), ["汇总", "审核意见", "未能读取"]);
    let summary = wb.worksheet_range("汇总").unwrap();
    let header: Vec<String> = (0..14)
        .map(|c| summary.get_value((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "源文件",
            "项目名称",
            "主管部门",
            "实施单位",
            "全年预算数",
            "全年执行数",
            "执行率",
            "填报总分",
            "自评总分",
            "等级",
            "复核总分",
            "复核等级",
            "错误",
            "警告"
        ]
    );
    let total_row = (1..=forms as u32 + 1)
        .find(|&r| {
            summary
                .get_value((r, 0))
                .is_some_and(|v| v.to_string().starts_with("合计"))
        })
        .expect("a 合计 row");
    assert_eq!(total_row as usize, forms + 1);
    let sum_b: f64 = (1..total_row)
        .filter_map(|r| match summary.get_value((r, 4)) {
            Some(Data::Float(f)) => Some(*f),
            _ => None,
        })
        .sum();
    let Some(Data::Float(cached)) = summary.get_value((total_row, 4)) else {
        panic!("ΣB")
    };
    assert!((sum_b - cached).abs() < 1e-6, "{sum_b} vs {cached}");
    // Counts per grade under the 合计: four grades, self-assessed and reviewed, adding up.
    assert_eq!(
        summary.get_value((total_row + 2, 0)).unwrap().to_string(),
        "等级"
    );
    for col in [1, 2] {
        let counted: f64 = (total_row + 3..total_row + 7)
            .map(|r| match summary.get_value((r, col)) {
                Some(Data::Float(n)) => *n,
                other => panic!("grade count at ({r}, {col}): {other:?}"),
            })
            .sum();
        assert_eq!(counted as usize, forms, "column {col}");
    }
    let sources: Vec<String> = (1..total_row)
        .map(|r| summary.get_value((r, 0)).unwrap().to_string())
        .collect();
    assert!(
        sources.contains(&"samples/000.json".to_string()),
        "{sources:?}"
    );
    assert!(
        sources.contains(&"fixtures/xlsx/multi.xlsx#项目一".to_string()),
        "{sources:?}"
    );
    let failed = wb.worksheet_range("未能读取").unwrap();
    assert_eq!(failed.height(), bad + 1);
    let findings = wb.worksheet_range("审核意见").unwrap();
    assert!(
        findings.height() > forms,
        "every form has findings in this tree"
    );

    // A second run over the same inputs writes the same workbooks.
    let before: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
        .map(|f| (f.clone(), std::fs::read(out.join(f)).unwrap()))
        .collect();
    let again = jixiao(dir.path(), &["render", "in", "-o", "out"]);
    assert_eq!(again.code, 2);
    for (f, bytes) in before {
        assert!(
            std::fs::read(out.join(&f)).unwrap() == bytes,
            "{} changed",
            f.display()
        );
    }
}

#[test]
fn old_forms_convert_to_the_current_layout_on_request() {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &repo("tests/fixtures/read/mof-2020.xlsx"),
        &dir.path().join("in/old.xlsx"),
    );
    let run = jixiao(
        dir.path(),
        &["render", "in", "-o", "kept", "--format", "xlsx"],
    );
    assert!(run.code < 2, "{}", run.stderr);
    let run = jixiao(
        dir.path(),
        &[
            "render",
            "in",
            "-o",
            "new",
            "--layout",
            "beijing-2024",
            "--format",
            "xlsx",
        ],
    );
    assert!(run.code < 2, "{}", run.stderr);
    let read = |p: &str| {
        let run = jixiao(dir.path(), &["check", "--json", p]);
        run.json()[0]["form"]["indicators"].clone()
    };
    let kept = read("kept/old.xlsx");
    let new = read("new/old.xlsx");
    let levels = |v: &serde_json::Value| -> Vec<(String, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["level1"].as_str().unwrap().to_string(),
                    i["level2"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert!(levels(&kept).contains(&("产出指标".into(), "成本指标".into())));
    assert!(!levels(&new).iter().any(|(_, l2)| l2 == "成本指标"));
    assert!(levels(&new).iter().any(|(l1, _)| l1 == "成本指标"));
}

#[test]
fn an_output_folder_inside_the_inputs_is_refused_unless_empty_or_ours() {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo("samples/000.json"), &dir.path().join("in/000.json"));
    std::fs::create_dir_all(dir.path().join("in/out")).unwrap();
    std::fs::write(dir.path().join("in/out/keep.txt"), "mine").unwrap();
    let run = jixiao(dir.path(), &["render", "in", "-o", "in/out"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("输出目录位于输入目录"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in/out/keep.txt")).unwrap(),
        "mine"
    );
    // An empty one is fine, and once ours it is fine again, and never read as input.
    let run = jixiao(dir.path(), &["render", "in", "-o", "in/new"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = jixiao(dir.path(), &["render", "in", "-o", "in/new"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = all_files(&dir.path().join("in/new"));
    assert!(!files.iter().any(|f| f.starts_with("new")), "{files:?}");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_input_tree_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo("samples/000.json"), &dir.path().join("in/000.json"));
    copy(
        &repo("samples/001.json"),
        &dir.path().join("elsewhere/001.json"),
    );
    std::os::unix::fs::symlink(
        dir.path().join("elsewhere/001.json"),
        dir.path().join("in/link.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("in/000.json"),
        dir.path().join("in/inside.json"),
    )
    .unwrap();
    let run = jixiao(
        dir.path(),
        &["render", "in", "-o", "out", "--format", "xlsx"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("link.json：符号链接指向输入目录之外"),
        "{}",
        run.stderr
    );
    let files = all_files(&dir.path().join("out"));
    assert!(files.contains(Path::new("inside.xlsx")), "{files:?}");
    assert!(
        !files
            .iter()
            .any(|f| f.to_string_lossy().starts_with("link")),
        "{files:?}"
    );
}

#[test]
fn an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    copy(&repo("samples/001.json"), &dir.path().join("in/001.json"));
    let run = jixiao(
        dir.path(),
        &["render", "in", "-o", "out", "--format", "xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = std::fs::read(dir.path().join("out/001.xlsx")).unwrap();
    // The workbook written is now given as an input, with its own folder as output.
    let run = jixiao(
        dir.path(),
        &["render", "out/001.xlsx", "-o", "out", "--format", "xlsx"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("输出会覆盖输入文件本身"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/001.xlsx")).unwrap(),
        before
    );
}

/// The `(code, cell)` of every finding listed in the 审核意见 sheet of `OUT/汇总表.xlsx`.
fn summary_findings(out: &Path) -> Vec<(String, String)> {
    let mut book: Xlsx<_> = calamine::open_workbook(out.join("汇总表.xlsx")).unwrap();
    let range = book.worksheet_range("审核意见").unwrap();
    range
        .rows()
        .skip(1)
        .map(|r| (r[2].to_string(), r[1].to_string()))
        .collect()
}

#[test]
fn check_and_render_agree_under_the_same_layout() {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &repo("tests/fixtures/read/mof-2020.xlsx"),
        &dir.path().join("mof-2020.xlsx"),
    );
    copy(&repo("samples/000.json"), &dir.path().join("000.json"));
    for input in ["mof-2020.xlsx", "000.json"] {
        for layout in [None, Some("beijing-2024"), Some("mof-2020")] {
            let with = |args: &[&str]| -> Vec<String> {
                let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                if let Some(layout) = layout {
                    args.extend(["--layout".to_string(), layout.to_string()]);
                }
                args
            };
            let run = |args: Vec<String>| {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                jixiao(dir.path(), &args)
            };
            let check = run(with(&["check", "--json", input]));
            assert!(check.code < 2, "{input} {layout:?}: {}", check.stderr);
            let from_check: Vec<(String, String)> = check.json()[0]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["code"].as_str().unwrap().to_string(),
                        f["cell"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            let out = format!("out-{input}-{}", layout.unwrap_or("auto"));
            let render = run(with(&[
                "render", "--strict", input, "--format", "xlsx", "-o", &out,
            ]));
            let what = format!("{input} {layout:?}");
            assert_eq!(render.code, check.code, "{what}: {}", render.stderr);
            // Cells of data files are their field paths in the summary: compare codes there.
            let from_render = summary_findings(&dir.path().join(&out));
            let codes = |f: &[(String, String)]| -> Vec<String> {
                f.iter().map(|(code, _)| code.clone()).collect()
            };
            assert_eq!(codes(&from_render), codes(&from_check), "{what}");
            if input.ends_with(".xlsx") {
                assert_eq!(from_render, from_check, "{what}");
            }
        }
    }
}

#[test]
fn render_exits_0_when_everything_was_rendered() {
    // Sample 000 has an error finding: the outputs are written, and that is success.
    let dir = tempfile::tempdir().unwrap();
    copy(&repo("samples/000.json"), &dir.path().join("in/000.json"));
    copy(&repo("samples/001.json"), &dir.path().join("in/001.json"));
    let render = |args: &[&str]| {
        let mut all = vec!["render", "in", "--format", "xlsx"];
        all.extend(args);
        jixiao(dir.path(), &all)
    };
    let run = render(&["-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out/000.xlsx").is_file());
    assert!(run.stderr.contains("1 份有错误"), "{}", run.stderr);
    // --strict gates a submission on the error findings, as `check` does.
    let run = render(&["-o", "strict", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(dir.path().join("strict/000.xlsx").is_file());
    assert_eq!(jixiao(dir.path(), &["check", "in"]).code, 1);
    // An unreadable input is 2, with or without --strict.
    std::fs::write(dir.path().join("in/broken.json"), "{").unwrap();
    assert_eq!(render(&["-o", "bad"]).code, 2);
    assert_eq!(render(&["-o", "bad-strict", "--strict"]).code, 2);
}

#[test]
fn clashing_output_names_are_claimed_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &repo("tests/hostile/by-project.layout.toml"),
        &dir.path().join("by-project.layout.toml"),
    );
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("samples/001.json")).unwrap()).unwrap();
    // Eight forms of one project (so one output name) from eight units; two more whose
    // project names differ only in case.
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    let write = |file: &str, project: &str, unit: &str| {
        let mut form = base.clone();
        form["project"] = project.into();
        form["unit"] = unit.into();
        std::fs::write(
            dir.path().join("in").join(file),
            serde_json::to_string(&form).unwrap(),
        )
        .unwrap();
    };
    for k in 0..8 {
        write(
            &format!("f{k}.json"),
            "同名项目",
            &format!("048{k:03}-第{k}单位"),
        );
    }
    write("g0.json", "Case", "048100-大写");
    write("g1.json", "case", "048101-小写");
    let mut runs = Vec::new();
    for out in ["out1", "out2"] {
        let run = jixiao(
            dir.path(),
            &[
                "render",
                "in",
                "-o",
                out,
                "-j",
                "4",
                "--format",
                "xlsx",
                "--layout",
                "by-project.layout.toml",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let manifest: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(out).join("manifest.json")).unwrap(),
        )
        .unwrap();
        let names: Vec<String> = manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["path"].as_str().unwrap().to_string())
            .collect();
        runs.push(names);
    }
    let mut want: Vec<String> = (0..8)
        .map(|k| match k {
            0 => "同名项目.xlsx".to_string(),
            k => format!("同名项目-{}.xlsx", k + 1),
        })
        .collect();
    want.extend([
        "Case.xlsx".into(),
        "case-2.xlsx".into(),
        "汇总表.xlsx".into(),
    ]);
    assert_eq!(runs[0], want);
    assert_eq!(runs[1], want);
    // Each name went to the input in its place: f3.json is 同名项目-4.
    let run = jixiao(dir.path(), &["check", "--json", "out2/同名项目-4.xlsx"]);
    assert_eq!(run.json()[0]["form"]["unit"], "048003-第3单位");
    let run = jixiao(dir.path(), &["check", "--json", "out2/case-2.xlsx"]);
    assert_eq!(run.json()[0]["form"]["unit"], "048101-小写");
}

#[test]
fn a_batch_rendered_in_memory_is_the_batch_written_to_a_folder() {
    use jixiao::batch::{self, Formats, Job, Loaded};
    use jixiao::layout::Options;
    use jixiao::summary::FailedInput;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    make_tree(&root);
    let options = Options {
        created: Some("2025-03-01T00:00:00+08:00".into()),
        ..Options::default()
    };
    let job = Job {
        inputs: vec![root.clone()],
        out: dir.path().join("out"),
        layout: None,
        layout_source: false,
        options: options.clone(),
        formats: Formats::default(),
        threads: 2,
        signer: None,
        seal: None,
    };
    let written = batch::run(&job, &|_| {}).unwrap();

    // The same inputs, read by the caller (as `jixiao serve` reads uploads).
    let mut loaded = Vec::new();
    let mut failures = Vec::new();
    for found in jixiao::read::expand(&[&root], None) {
        let found = found.unwrap();
        let bytes = std::fs::read(&found.path).unwrap();
        match jixiao::pipeline::load_bytes(&found.path, &bytes, None) {
            Ok(forms) => loaded.push(Loaded {
                entry: Loaded::entry_of(&found, &bytes),
                found,
                forms,
            }),
            Err(e) => failures.push(FailedInput {
                source: jixiao::error::shown(&found.relative),
                reason: e.to_string(),
            }),
        }
    }
    let rendered =
        batch::render_loaded(&loaded, failures, &options, Formats::default(), 0).unwrap();
    let names: BTreeSet<PathBuf> = rendered
        .files
        .iter()
        .map(|(p, _)| PathBuf::from(p))
        .collect();
    let on_disk: BTreeSet<PathBuf> = all_files(&dir.path().join("out"));
    assert_eq!(names, on_disk);
    assert_eq!(rendered.outcome.rows, written.rows);
    assert_eq!(rendered.outcome.failures.len(), written.failures.len());
    assert_eq!(rendered.outcome.inputs, written.inputs);
    for (path, bytes) in &rendered.files {
        // Workbooks are the same bytes (the date is fixed); each PDF has its own document ID.
        if path.ends_with(".xlsx") {
            let disk = std::fs::read(dir.path().join("out").join(path)).unwrap();
            assert!(disk == *bytes, "{path} differs");
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&rendered.files.last().unwrap().1).unwrap();
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), rendered.files.len() - 1);
    for (entry, (path, bytes)) in outputs.iter().zip(&rendered.files) {
        assert_eq!(entry["path"], path.as_str());
        assert_eq!(entry["sha256"], sha256(bytes));
    }
}
