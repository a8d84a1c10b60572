//! The `jixiao` command line: argument parsing, printing and exit codes only.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use jixiao::{Layout, Report};

/// 项目支出绩效自评表：读取、审核、计分、生成填报用 xlsx 与归档用 PDF。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 审核并计分：读取表格（JSON/TOML，或目录），列出问题。退出码 0 无错误，1 有错误，2 有文件无法读取。
    Check {
        /// 表格文件或目录（目录递归查找 .json .toml）
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// 以 JSON 输出审核结果（每份表一个对象）
        #[arg(long)]
        json: bool,
        /// 按指定表样审核（内置名称或 .toml 文件），默认按表格年度选择
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
    },
    /// 列出内置表样
    Layouts,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        // A closed pipe (`jixiao check … | head`) is the reader's choice, not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("jixiao: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            json,
            layout,
        } => check(&paths, json, layout.as_deref()),
        Command::Layouts => {
            let mut out = anstream::stdout().lock();
            for layout in Layout::builtin() {
                writeln!(out, "{:<14} {}", layout.name, layout.description)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads `--layout`: a built-in name, or a TOML file.
fn load_layout(name: Option<&str>) -> anyhow::Result<Option<Layout>> {
    let Some(name) = name else { return Ok(None) };
    if let Some(layout) = Layout::by_name(name) {
        return Ok(Some(layout.clone()));
    }
    let text = std::fs::read_to_string(name).with_context(|| {
        let known: Vec<&str> = Layout::builtin().iter().map(|l| l.name.as_str()).collect();
        format!(
            "找不到表样“{name}”（内置：{}；或给出 .toml 文件）",
            known.join("、")
        )
    })?;
    Ok(Some(Layout::parse(name, &text)?))
}

fn check(paths: &[PathBuf], json: bool, layout: Option<&str>) -> anyhow::Result<ExitCode> {
    let layout = load_layout(layout)?;
    let mut reports = Vec::new();
    let mut failed = 0usize;
    for input in jixiao::read::expand(paths) {
        match input.and_then(|path| jixiao::read::load(&path)) {
            Ok(forms) => reports.extend(forms.into_iter().map(|f| Report::new(f, layout.as_ref()))),
            Err(err) => {
                failed += 1;
                eprintln!("jixiao: {err}");
            }
        }
    }
    let mut out = anstream::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &reports)?;
        writeln!(out)?;
    } else {
        for report in &reports {
            writeln!(out, "{}", report.to_text(true))?;
        }
        let with_errors = reports.iter().filter(|r| r.has_errors()).count();
        writeln!(
            out,
            "共 {} 份表：{with_errors} 份有错误；{failed} 个文件无法读取",
            reports.len()
        )?;
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else if reports.iter().any(Report::has_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
