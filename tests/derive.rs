//! Layouts derived from a filer's own workbook (`layouts --from`, `render --layout source`):
//! every real form of `../shared/real-forms/` and every printed variant, written in the layout
//! of its own file, reads back from the xlsx and from the PDF to the form jixiao reads from the
//! source, with the source's indicator headers in the source's order, its amount unit and its
//! title; the derived layout file is a layout like any other, and a sample reads back in it.

mod common;

use std::path::{Path, PathBuf};

use common::{jixiao, repo};
use jixiao::layout::{self, Options};
use jixiao::vocabulary::Column;
use jixiao::{Layout, SourcedForm};

/// The real forms (as printed and as typed with numbers) and the printed variants in each of
/// their formats.
fn sources() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = common::shared("real-forms") {
        let mut real: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        real.sort();
        assert!(real.len() >= 20, "{} real workbooks", real.len());
        out.extend(real);
    }
    let mut variants: Vec<PathBuf> = std::fs::read_dir(repo("tests/fixtures/variants"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "xlsx" || e == "xls" || e == "ods")
        })
        .collect();
    variants.sort();
    out.extend(variants);
    out
}

/// The indicator headers the sheet shows, in its order (the texts of the table's header).
fn headers(found: &jixiao::derive::Found) -> Vec<(Column, String)> {
    found
        .columns
        .iter()
        .map(|(c, s)| (*c, s.text.clone()))
        .collect()
}

fn spaceless(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The written file shows the source's indicator headers in the source's order: each column
/// of the source, in order, with its header as written — unless the derived layout says it
/// had to write another (a header the reader only placed by its position); a column the
/// layout adds (a layout has 实际完成值 and the rest) is said in the file too. A PDF
/// (`printed`) keeps no line break of a header: there they compare without spaces.
fn same_headers(
    name: &str,
    d: &jixiao::derive::Derived,
    written: &jixiao::derive::Derived,
    printed: bool,
) {
    let said = |text: &str| d.approximations.iter().any(|a| a.contains(text));
    let source = headers(&d.found);
    let out = headers(&written.found);
    let mut rest = out.iter();
    for (role, text) in &source {
        let Some((_, shown)) = rest.find(|(r, _)| r == role) else {
            panic!("{name}: {role:?} out of order: {out:?} for {source:?}");
        };
        assert!(
            shown == text || (printed && spaceless(shown) == spaceless(text)) || said(text),
            "{name}: {role:?} shows “{shown}” for “{text}”"
        );
    }
    for (role, _) in &out {
        assert!(
            source.iter().any(|(r, _)| r == role) || said(role.label()),
            "{name}: {role:?} added without a word: {:?}",
            d.approximations
        );
    }
}

/// `value` with every string's whitespace removed.
fn squeezed(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(spaceless(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(squeezed).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, squeezed(v))).collect()),
        other => other,
    }
}

/// The form as JSON in its own unit, decimals normalised.
fn plain(form: &jixiao::Form) -> serde_json::Value {
    common::in_unit(form, form.funds.unit)
}

/// Writes `form` in `layout` to xlsx and PDF under `dir`; returns both paths.
fn write_both(form: SourcedForm, layout: &Layout, dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let checked = jixiao::pipeline::check(form, Some(layout));
    let grid = layout::build(&checked.report, layout, &Options::default()).unwrap();
    let xlsx = dir.join(format!("{name}.xlsx"));
    let pdf = dir.join(format!("{name}.pdf"));
    std::fs::write(&xlsx, jixiao::render::xlsx::write(&grid).unwrap()).unwrap();
    std::fs::write(&pdf, jixiao::render::pdf::write(&grid).unwrap()).unwrap();
    (xlsx, pdf)
}

fn read_one(path: &Path) -> SourcedForm {
    let mut forms = jixiao::read::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(forms.len(), 1, "{}", path.display());
    forms.remove(0)
}

/// Every source in the layout derived from it: the xlsx and the PDF read back to the form read
/// from the source; the xlsx shows the source's indicator headers in order, its title and its
/// unit, and so does the PDF's text; a sample written in the derived layout file reads back.
#[test]
fn every_source_reads_back_in_its_own_layout() {
    let dir = tempfile::tempdir().unwrap();
    let sample = jixiao::read::load(&repo("samples/000.json"))
        .unwrap()
        .remove(0);
    let mut count = 0;
    let mut failed = Vec::new();
    for source in sources() {
        let one = std::panic::AssertUnwindSafe(|| {
            let name = source
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace('.', "_");
            let derived = jixiao::derive::from_file(&source)
                .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
            assert_eq!(derived.len(), 1, "{name}");
            let d = &derived[0];
            // The file is a layout like any other.
            let file = Layout::parse(&format!("{name}.toml"), &d.text)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{}", d.text));
            let (xlsx, pdf) = write_both(d.form.clone(), &d.layout, dir.path(), &name);
            let expected = plain(&d.form.form);
            assert_eq!(plain(&read_one(&xlsx).form), expected, "{name}: xlsx");
            // A PDF keeps no line breaks of a text: they are compared without spaces.
            assert_eq!(
                squeezed(plain(&read_one(&pdf).form)),
                squeezed(expected.clone()),
                "{name}: PDF"
            );
            assert_eq!(d.layout.funds.unit, d.form.form.funds.unit, "{name}");
            // The xlsx as the source shows it: its headers in order, its title.
            let again = jixiao::derive::from_file(&xlsx).unwrap().remove(0);
            same_headers(&name, d, &again, false);
            let title = |f: &jixiao::derive::Found| f.title.as_ref().map(|t| spaceless(&t.text));
            if d.found.title.is_some() {
                assert_eq!(title(&again.found), title(&d.found), "{name}: title");
            }
            // The PDF too: its tables show the same headers, its text the title.
            let printed = jixiao::derive::from_file(&pdf).unwrap().remove(0);
            same_headers(&format!("{name} (PDF)"), d, &printed, true);
            let text: String = common::pdf_lines(&pdf)
                .concat()
                .iter()
                .map(|l| spaceless(l))
                .collect();
            if let Some(title) = title(&d.found) {
                assert!(text.contains(&title), "{name}: PDF lacks {title}");
            }
            // Any form in the derived layout file reads back.
            let (other, _) =
                write_both(sample.clone(), &file, dir.path(), &format!("{name}-sample"));
            let back = read_one(&other);
            let fitted = jixiao::pipeline::check(sample.clone(), Some(&file));
            assert_eq!(
                common::in_unit(&back.form, file.funds.unit),
                common::in_unit(&fitted.report.form, file.funds.unit),
                "{name}: the sample in its layout"
            );
        });
        match std::panic::catch_unwind(one) {
            Ok(()) => count += 1,
            Err(_) => failed.push(source.display().to_string()),
        }
    }
    assert!(failed.is_empty(), "{} failed: {failed:#?}", failed.len());
    assert!(count >= 40, "{count} sources");
}

/// A workbook printed in a built-in layout is in that layout: `--layout source` uses it.
#[test]
fn a_workbook_in_a_builtin_layout_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let sample = jixiao::read::load(&repo("samples/000.json"))
        .unwrap()
        .remove(0);
    for builtin in Layout::builtin() {
        let (xlsx, _) = write_both(sample.clone(), builtin, dir.path(), &builtin.name);
        let d = jixiao::derive::from_file(&xlsx).unwrap().remove(0);
        assert_eq!(
            d.builtin,
            Some(builtin.name.as_str()),
            "{}\n{}",
            builtin.name,
            d.text
        );
        assert_eq!(d.layout.name, builtin.name);
    }
}

/// What a user does: `layouts --from` writes a layout file, `layouts` lists it, `render
/// --layout source` writes each form in its own layout and a data file in the default one
/// (said on the form), and `render other.json --layout NAME.toml` writes any form in it.
#[test]
fn the_commands_of_a_derived_layout() {
    let Some(real) = common::shared("real-forms/yn-yongde-2022.xlsx") else {
        return;
    };
    let dir = common::workdir(&["samples/000.json"]);
    std::fs::copy(&real, dir.path().join("yongde.xlsx")).unwrap();
    let run = jixiao(
        dir.path(),
        &["layouts", "--from", "yongde.xlsx", "-o", "yongde.toml"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("yongde.toml")).unwrap();
    assert!(text.contains("unit = \"元\""), "{text}");
    let list = jixiao(dir.path(), &["layouts", "yongde.toml"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.contains("yongde") && list.stdout.contains("beijing-2024"));
    let run = jixiao(
        dir.path(),
        &[
            "render",
            "yongde.xlsx",
            "000.json",
            "-o",
            "out",
            "--layout",
            "source",
            "-q",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = jixiao(dir.path(), &["check", "--json", "out/yongde.xlsx"]).json();
    assert_eq!(check[0]["form"]["funds"]["unit"], "元");
    let check = jixiao(
        dir.path(),
        &["check", "--json", "000.json", "--layout", "source"],
    )
    .json();
    let codes: Vec<&str> = check[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"layout-source-none"), "{codes:?}");
    let run = jixiao(
        dir.path(),
        &[
            "render",
            "000.json",
            "-o",
            "other",
            "--layout",
            "yongde.toml",
            "-q",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = jixiao(dir.path(), &["check", "--json", "other/000.xlsx"]).json();
    assert_eq!(check[0]["form"]["funds"]["unit"], "元");
    let refused = jixiao(dir.path(), &["layouts", "--from", "000.json"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("工作簿"), "{}", refused.stderr);
    // A published PDF has its layout too.
    let run = jixiao(dir.path(), &["layouts", "--from", "out/yongde.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("unit = \"元\""), "{}", run.stdout);
}

/// `header.lead_phone`: 项目负责人及电话 in one cell, as some regions print it; a form written so
/// reads back with its lead and phone apart.
#[test]
fn the_lead_and_the_phone_in_one_cell_read_back() {
    let text = include_str!("../layouts/mof-2020.toml").replace(
        "lead = \"项目负责人\"\nphone = \"联系电话\"",
        "lead_phone = \"项目负责人及电话\"",
    );
    assert!(text.contains("lead_phone"));
    let layout = Layout::parse("both.toml", &text).unwrap();
    let mut form = jixiao::read::load(&repo("samples/000.json"))
        .unwrap()
        .remove(0);
    form.form.lead = Some("张三".into());
    form.form.phone = Some("0813-1234567".into());
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, pdf) = write_both(form, &layout, dir.path(), "both");
    for path in [xlsx, pdf] {
        let back = read_one(&path).form;
        assert_eq!(back.lead.as_deref(), Some("张三"), "{}", path.display());
        assert_eq!(
            back.phone.as_deref(),
            Some("0813-1234567"),
            "{}",
            path.display()
        );
    }
}

/// A department form's own layout (issue 21): `layouts --from` a department form's workbook
/// writes a department layout (its kind, the label of its name, the funds rows of the
/// breakdowns the form has, its indicator headers) in which the form prints back, xlsx and
/// PDF, as the same department form; the layout of that xlsx is the same layout again.
#[test]
fn a_department_forms_layout_is_derived_and_prints_it_back() {
    use jixiao::model::{FormKind, FundsRowKind};
    let dir = tempfile::tempdir().unwrap();
    for fixture in ["gz-suiyang-2021", "gz-suiyang-2021-numeric"] {
        let source = repo(&format!("tests/fixtures/department/{fixture}.xlsx"));
        let derived = jixiao::derive::from_file(&source).unwrap();
        assert_eq!(derived.len(), 1, "{fixture}");
        let d = &derived[0];
        assert_eq!(d.form.form.kind, FormKind::Department, "{fixture}");
        let file = Layout::parse(&format!("{fixture}.toml"), &d.text)
            .unwrap_or_else(|e| panic!("{fixture}: {e}\n{}", d.text));
        assert_eq!(file.kind, FormKind::Department, "{fixture}\n{}", d.text);
        assert_eq!(d.layout.kind, FormKind::Department, "{fixture}");
        // The breakdown the form has, and no project form's rows it lacks: Guizhou's form
        // prints 其他 under 基本支出 / 项目支出, the expenditure breakdown's own.
        let rows: Vec<FundsRowKind> = file.funds.rows.iter().map(|r| r.role).collect();
        assert_eq!(
            rows,
            [
                FundsRowKind::Total,
                FundsRowKind::Basic,
                FundsRowKind::Project,
                FundsRowKind::ExpenditureOther,
            ],
            "{fixture}\n{}",
            d.text
        );
        let (xlsx, pdf) = write_both(d.form.clone(), &file, dir.path(), fixture);
        let expected = plain(&d.form.form);
        let back = read_one(&xlsx);
        assert_eq!(back.form.kind, FormKind::Department, "{fixture}");
        assert_eq!(plain(&back.form), expected, "{fixture}: xlsx");
        assert_eq!(
            squeezed(plain(&read_one(&pdf).form)),
            squeezed(expected),
            "{fixture}: PDF"
        );
        let again = jixiao::derive::from_file(&xlsx).unwrap().remove(0);
        same_headers(fixture, d, &again, false);
        let again = Layout::parse("again.toml", &again.text).unwrap();
        assert!(
            jixiao::derive::same_structure(&again, &file),
            "{fixture}: the layout of the printed form differs:\n{}",
            d.text
        );
    }
    // As a user runs it: the file written, then used.
    let run = jixiao(
        dir.path(),
        &[
            "layouts",
            "--from",
            &repo("tests/fixtures/department/gz-suiyang-2021.xlsx").to_string_lossy(),
            "-o",
            "gz.toml",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.path().join("gz.toml")).unwrap();
    assert!(written.contains("kind = \"department\""), "{written}");
    let run = jixiao(
        dir.path(),
        &[
            "render",
            &repo("tests/fixtures/department/gz-suiyang-2021.xlsx").to_string_lossy(),
            "-o",
            "out",
            "--layout",
            "gz.toml",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let back = read_one(&dir.path().join("out/gz-suiyang-2021.xlsx"));
    assert_eq!(back.form.kind, FormKind::Department);
    assert_eq!(back.form.department, "绥阳县太白镇人民政府");
}
