//! The `jixiao` command line: argument parsing, printing and exit codes only.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use jixiao::layout::{Options, TemplateData};
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
    /// 审核并计分：读取表格（Excel/WPS 工作簿 .xlsx .xls .ods，JSON/TOML 数据文件，或目录），列出问题。退出码 0 无错误，1 有错误，2 有文件无法读取。
    Check {
        /// 表格文件或目录（目录递归查找 .xlsx .xls .ods .json .toml）
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// 以 JSON 输出审核结果（每份表一个对象）
        #[arg(long)]
        json: bool,
        /// 按指定表样审核（内置名称或 .toml 文件），默认按表格年度选择
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
    },
    /// 生成填报用 xlsx 与归档用 PDF：每份表写出 OUT/<文件名>.xlsx（计算公式、审核意见批注与“审核意见”工作表）和 OUT/<文件名>.pdf（嵌入字体、签字栏、文档信息）
    Render {
        /// 表格文件或目录（目录递归查找）
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// 输出目录
        #[arg(short, long, value_name = "OUT")]
        out: PathBuf,
        /// 按指定表样输出（内置名称或 .toml 文件），默认按表格年度选择
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
        /// 签字栏：角色=姓名，可重复（如 --signoff 填表人=张三）
        #[arg(long, value_name = "角色=姓名", value_parser = parse_signoff)]
        signoff: Vec<(String, String)>,
        /// 填报日期（如 2025-03-01），也用作 PDF 的创建日期（默认为当前时间）
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// 输出格式，逗号分隔
        #[arg(
            long,
            value_name = "FORMATS",
            value_delimiter = ',',
            default_value = "xlsx,pdf"
        )]
        format: Vec<Format>,
    },
    /// 生成空白表样 xlsx（一级、二级指标带下拉选项），填好后可直接 check / render
    Template {
        /// 输出文件
        #[arg(short, long, value_name = "FILE.xlsx")]
        out: PathBuf,
        /// 表样（内置名称或 .toml 文件）
        #[arg(long, value_name = "NAME|FILE", default_value = "beijing-2024")]
        layout: String,
        /// 空白指标行数
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=500))]
        rows: u16,
    },
    /// 列出内置表样
    Layouts,
}

/// An output format of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum Format {
    /// 填报用 Excel 工作簿
    Xlsx,
    /// 归档用 PDF
    Pdf,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

fn parse_signoff(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((role, name)) if !role.trim().is_empty() => {
            Ok((role.trim().to_string(), name.trim().to_string()))
        }
        _ => Err(format!("应为“角色=姓名”，如 填表人=张三，而不是“{text}”")),
    }
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
        Command::Render {
            paths,
            out,
            layout,
            signoff,
            date,
            format,
        } => {
            // The document's creation time: the sign-off date at midnight in Beijing, else now.
            let created = match &date {
                Some(d) => Some(jixiao::date::start_of_day(d).with_context(|| {
                    format!("无法识别的日期“{d}”（应为 2025-03-01 或 2025年3月1日 的形式）")
                })?),
                None => Some(jixiao::date::now()),
            };
            let options = Options {
                signoff: signoff.into_iter().collect(),
                date,
                created,
            };
            let mut formats = format;
            formats.sort_unstable();
            formats.dedup();
            render(&paths, &out, layout.as_deref(), &options, &formats)
        }
        Command::Template { out, layout, rows } => {
            let layout = load_layout(Some(&layout))?.expect("a layout was named");
            let grid = jixiao::layout::build_blank(&layout, usize::from(rows))?;
            let bytes = jixiao::render::xlsx::write(&grid)?;
            write_atomic(&out, &bytes)?;
            eprintln!("已生成空白表样 {}（{}）", out.display(), layout.name);
            Ok(ExitCode::SUCCESS)
        }
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

/// Writes `bytes` to `path` through a temporary file in the same folder, so that a reader never
/// sees half a file.
fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("无法写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

fn render(
    paths: &[PathBuf],
    out: &std::path::Path,
    layout: Option<&str>,
    options: &Options,
    formats: &[Format],
) -> anyhow::Result<ExitCode> {
    let layout = load_layout(layout)?;
    let mut failed = 0usize;
    let (mut forms, mut with_errors) = (0usize, 0usize);
    for input in jixiao::read::expand(paths) {
        let result = input.and_then(|path| {
            let sourced = jixiao::read::load(&path)?;
            let several = sourced.len() > 1;
            let mut written = Vec::new();
            for s in sourced {
                let sheet = if several {
                    s.cells.sheet.clone()
                } else {
                    String::new()
                };
                let report = Report::new(s, layout.as_ref());
                let chosen = layout
                    .as_ref()
                    .unwrap_or_else(|| Layout::for_year(report.form.year));
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = chosen.output_name(&TemplateData::new(&report.form, &stem, &sheet))?;
                let grid = jixiao::layout::build(&report, chosen, options)?;
                let mut files = Vec::with_capacity(formats.len());
                for format in formats {
                    let bytes = match format {
                        Format::Xlsx => jixiao::render::xlsx::write(&grid)?,
                        Format::Pdf => jixiao::render::pdf::write(&grid)?,
                    };
                    files.push((out.join(format!("{name}.{}", format.extension())), bytes));
                }
                written.push((files, report.has_errors()));
            }
            Ok(written)
        });
        match result {
            Ok(written) => {
                for (files, errors) in written {
                    for (target, bytes) in files {
                        write_atomic(&target, &bytes)?;
                    }
                    forms += 1;
                    with_errors += usize::from(errors);
                }
            }
            Err(err) => {
                failed += 1;
                eprintln!("jixiao: {err}");
            }
        }
    }
    let see = if formats.contains(&Format::Xlsx) {
        "见各表的批注与“审核意见”工作表"
    } else {
        "用 jixiao check 查看"
    };
    eprintln!(
        "已生成 {forms} 份表到 {}：{with_errors} 份有错误（{see}）；{failed} 个文件无法读取",
        out.display()
    );
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
