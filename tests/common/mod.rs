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
