//! Running the `jixiao` binary as a user does, in a temporary folder.
#![allow(dead_code)]

pub mod pki;
pub mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the repository.
pub fn repo(path: &str) -> PathBuf {
    root().join(path)
}

/// The workbook fixtures (`tests/fixtures/read/*.xlsx|xls|ods`), sorted.
pub fn workbook_fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo("tests/fixtures/read"))
        .expect("tests/fixtures/read")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xlsx" | "xls" | "ods")
            )
        })
        .collect();
    paths.sort();
    paths
}

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `source` of each report of `check --json`.
    pub fn sources(&self) -> Vec<serde_json::Value> {
        self.json()
            .as_array()
            .expect("an array of reports")
            .iter()
            .map(|r| r["source"].clone())
            .collect()
    }

    /// The stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `jixiao ARGS` in `dir`.
pub fn jixiao(dir: &Path, args: &[&str]) -> Run {
    jixiao_with(dir, args, &[])
}

/// Runs `jixiao ARGS` in `dir` with the environment variables `env` (and no
/// `JIXIAO_SIGN_PASSWORD` but one given there).
pub fn jixiao_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("JIXIAO_SIGN_PASSWORD")
        .envs(env.iter().copied())
        .output()
        .expect("run jixiao");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// A temporary folder holding copies of the given repository files (by file name).
pub fn workdir(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in files {
        let src = repo(f);
        let name = src.file_name().unwrap();
        std::fs::copy(&src, dir.path().join(name)).unwrap_or_else(|e| panic!("copy {f}: {e}"));
    }
    dir
}

/// Whether the outside program `name` can be run. When it cannot, a test that needs it is
/// skipped with a notice, except under `JIXIAO_REQUIRE_TOOLS=1` (CI), where that is a failure.
pub fn have_tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("JIXIAO_REQUIRE_TOOLS").is_none(),
            "{name} is required (JIXIAO_REQUIRE_TOOLS is set): install it, see .ci/run"
        );
        eprintln!("skipped: {name} is not installed (see .ci/run for what the tests use)");
    }
    found
}

/// Runs an outside program and returns its stdout, panicking with its stderr on failure.
pub fn run_tool(program: &str, args: &[&str]) -> String {
    run_command(Command::new(program).args(args))
}

/// Runs a prepared command and returns its stdout, panicking with its stderr on failure.
pub fn run_command(command: &mut Command) -> String {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// LibreOffice headless in `dir`, with a profile of its own there (so that runs never share
/// one) and the test fonts configuration; the caller adds `--convert-to …`.
pub fn soffice(dir: &Path) -> Command {
    let mut command = Command::new("soffice");
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("lo-profile").display()
        ))
        .arg("--headless")
        .current_dir(dir)
        .env("FONTCONFIG_FILE", repo("tests/support/fonts.conf"));
    command
}

/// A file or folder of `../shared/` beside the checkout (the real forms and workbooks the tests
/// read; CI has it). When it is missing the test is skipped with a notice, except under
/// `JIXIAO_REQUIRE_TOOLS=1`, where that is a failure.
pub fn shared(path: &str) -> Option<PathBuf> {
    let full = root().join("..").join("shared").join(path);
    if full.exists() {
        return Some(full);
    }
    assert!(
        std::env::var_os("JIXIAO_REQUIRE_TOOLS").is_none(),
        "{} is required (JIXIAO_REQUIRE_TOOLS is set)",
        full.display()
    );
    eprintln!("skipped: {} is not there", full.display());
    None
}

/// Every form the tests print: the samples, the expected forms of the workbook fixtures
/// (`tests/fixtures/read/*.form.json`) and of the printed variants
/// (`tests/fixtures/variants/*.expect.json`), with a name for each.
pub fn all_forms() -> Vec<(String, jixiao::Form)> {
    let load = |text: &str, name: &str| {
        jixiao::read::form_from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let mut out = Vec::new();
    for name in ["000", "001"] {
        let text = std::fs::read_to_string(repo(&format!("samples/{name}.json"))).unwrap();
        out.push((format!("sample-{name}"), load(&text, name)));
    }
    let listing = |dir: &str, suffix: &str| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(suffix))
            .collect();
        paths.sort();
        paths
    };
    for path in listing("tests/fixtures/read", ".form.json") {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".form.json", "");
        let text = std::fs::read_to_string(&path).unwrap();
        out.push((format!("read-{name}"), load(&text, &name)));
    }
    for path in listing("tests/fixtures/variants", ".expect.json") {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".expect.json", "");
        let expect: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        out.push((
            format!("variant-{name}"),
            load(&expect["form"].to_string(), &name),
        ));
    }
    out
}

/// The text of a PDF as `pdftotext -bbox-layout` places it: per page, its lines, each the
/// words of one line joined by spaces.
pub fn pdf_lines(pdf: &Path) -> Vec<Vec<String>> {
    let xml = run_tool("pdftotext", &["-bbox-layout", &pdf.to_string_lossy(), "-"]);
    let unescape = |t: &str| {
        t.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<line")
                .skip(1)
                .map(|line| {
                    let line = line.split("</line>").next().unwrap_or("");
                    line.split("<word")
                        .skip(1)
                        .filter_map(|w| {
                            let text = w.split_once('>')?.1.split("</word>").next()?;
                            Some(unescape(text))
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .collect()
}

/// The numbers written in `text` (`146.435000`, `98.55%`, `1,234`): every run of digits with
/// its decimal point, separators and percent sign.
pub fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (matches!(c, '.' | ',' | '%') && (digits || c == '.')) {
            current.push(c);
            digits |= c.is_ascii_digit();
        } else {
            if digits {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
            digits = false;
        }
    }
    out
}

/// Checks that every number the cells of `grid` show is printed whole, on one line, in the
/// pages `lines` (as many times as the cells show it, at least): no number wraps.
pub fn assert_numbers_whole(name: &str, grid: &jixiao::layout::Grid, lines: &[Vec<String>]) {
    let mut printed: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in lines.iter().flatten() {
        for n in numbers(line) {
            *printed.entry(n).or_default() += 1;
        }
    }
    let mut wanted: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for cell in &grid.cells {
        for n in numbers(&cell.value.display()) {
            *wanted.entry(n).or_default() += 1;
        }
    }
    for (n, count) in wanted {
        let got = printed.get(&n).copied().unwrap_or(0);
        assert!(
            got >= count,
            "{name}: “{n}” printed whole {got} times, the cells show it {count} times"
        );
    }
}

/// `form` as JSON with its amounts in `unit`, every decimal written without trailing zeros:
/// a form and the same form read back from a layout in another unit compare equal.
pub fn in_unit(form: &jixiao::Form, unit: jixiao::model::AmountUnit) -> serde_json::Value {
    let mut form = form.clone();
    let from = form.funds.unit;
    for kind in jixiao::model::FundsRowKind::ALL {
        if let Some(row) = form.funds.row_mut(kind) {
            for column in jixiao::model::FundsColumn::ALL {
                let figure = row.get_mut(column);
                *figure = figure
                    .and_then(|d| from.convert(d, unit))
                    .map(|d| d.normalize());
            }
        }
    }
    form.funds.unit = unit;
    form.funds.weight = form.funds.weight.map(|d| d.normalize());
    form.funds.score = form.funds.score.map(|d| d.normalize());
    form.total_score = form.total_score.map(|d| d.normalize());
    for ind in &mut form.indicators {
        ind.weight = ind.weight.map(|d| d.normalize());
        ind.score = ind.score.map(|d| d.normalize());
    }
    serde_json::to_value(&form).unwrap()
}

/// The height of the tallest row of any worksheet of the workbook `xlsx`, in points, as its
/// `<row ht="…">` elements say: what Excel and WPS show (and cut at 409 pt).
#[allow(dead_code)]
pub fn tallest_row(xlsx: &[u8]) -> f32 {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an xlsx is a zip");
    let mut tallest = 0.0f32;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if !entry.name().unwrap().starts_with("xl/worksheets/sheet") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        for row in xml.split("<row ").skip(1) {
            let head = &row[..row.find('>').unwrap_or(row.len())];
            if let Some(at) = head.find(" ht=\"") {
                let value = &head[at + 5..];
                let value = &value[..value.find('"').unwrap()];
                tallest = tallest.max(value.parse().unwrap());
            }
        }
    }
    tallest
}
