//! The `jixiao` command line: argument parsing, printing and exit codes only.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use jixiao::batch::{Event, Formats, Job};
use jixiao::layout::Options;
use jixiao::{Layout, Report};

/// mimalloc rather than the system allocator: see the note on the dependency in Cargo.toml
/// (a batch's peak memory stays flat, whatever the input paths).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 项目支出绩效自评表：读取、审核、计分、生成填报用 xlsx 与归档用 PDF。
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 审核并计分：读取表格（Excel/WPS 工作簿 .xlsx .xls .ods，公开的 PDF，JSON/TOML 数据文件，或目录），列出问题。退出码 0 无错误，1 有错误，2 有文件无法读取。
    Check {
        /// 表格文件或目录（目录递归查找 .xlsx .xls .ods .pdf .json .toml）
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// 以 JSON 输出审核结果（每份表一个对象）
        #[arg(long)]
        json: bool,
        /// 按指定表样审核（内置名称、.toml 文件，或 source：与原表相同），默认按表格年度选择
        #[arg(long, value_name = "NAME|FILE|source")]
        layout: Option<String>,
    },
    /// 生成成品表：每份表写出 OUT/<相对路径>/<文件名>.xlsx 与 .pdf，另有 汇总表.xlsx 与 manifest.json。退出码 0 全部生成（审核意见在成品表与汇总表中），2 有文件无法读取；加 --strict 时有错误的表退出码为 1。
    Render {
        /// 表格文件或目录（目录递归查找 .xlsx .xls .ods .pdf .json .toml，保留目录结构）
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// 输出目录
        #[arg(short, long, value_name = "OUT")]
        out: PathBuf,
        /// 输出格式，逗号分隔
        #[arg(long, value_name = "xlsx,pdf", default_value = "xlsx,pdf", value_parser = parse_formats)]
        format: Formats,
        /// 并行线程数（默认每个 CPU 核一个）
        #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
        jobs: usize,
        /// 不显示进度与统计
        #[arg(short, long)]
        quiet: bool,
        /// 按指定表样输出（内置名称、.toml 文件，或 source：每份表按其原表的表样），默认按表格年度选择
        #[arg(long, value_name = "NAME|FILE|source")]
        layout: Option<String>,
        /// 签字栏：角色=姓名，可重复（如 --signoff 填表人=张三）
        #[arg(long, value_name = "角色=姓名", value_parser = parse_signoff)]
        signoff: Vec<(String, String)>,
        /// 填报日期（如 2025-03-01），也用作 PDF 的创建日期（默认为当前时间）
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// 有错误的表时退出码为 1（如 check），用于报送前的把关
        #[arg(long)]
        strict: bool,
        /// 用 PKCS#12 证书（.p12/.pfx，RSA 或 ECDSA P-256）对每份 PDF 数字签名（PAdES），并签署 manifest.json（manifest.json.p7s）
        #[arg(long, value_name = "FILE.p12")]
        sign: Option<PathBuf>,
        /// 证书密码所在的文件（取第一行）；也可用环境变量 JIXIAO_SIGN_PASSWORD 给出，不接受命令行上的密码
        #[arg(long, value_name = "FILE", requires = "sign")]
        sign_password_file: Option<PathBuf>,
        /// 单位印章图片（PNG，宜为透明背景），盖在“单位（盖章）”处
        #[arg(long, value_name = "SEAL.png")]
        seal: Option<PathBuf>,
    },
    /// 生成空白表样 xlsx（一级、二级指标带下拉选项），填好后可直接 check / render
    Template {
        /// 输出文件
        #[arg(short, long, value_name = "FILE.xlsx")]
        out: PathBuf,
        /// 表样（内置名称或 .toml 文件）；默认为 --kind 所指种类的默认表样
        #[arg(long, value_name = "NAME|FILE")]
        layout: Option<String>,
        /// 表的种类：project（项目支出绩效自评表，默认）或 department（部门整体支出绩效自评表）
        #[arg(long, value_name = "KIND", value_parser = parse_kind)]
        kind: Option<jixiao::model::FormKind>,
        /// 空白指标行数
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=500))]
        rows: u16,
    },
    /// 列出内置表样与给出的 .toml 表样；加 --from 时从一份工作簿导出它的表样（.toml），可用于 --layout
    Layouts {
        /// 要列出的表样文件（.toml）
        #[arg(value_name = "FILE.toml")]
        files: Vec<PathBuf>,
        /// 从这份工作簿（.xlsx .xls .ods）或公开的 PDF 导出原表的表样
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// 导出的表样写入此文件（默认输出到屏幕；工作簿中有多份表时文件名后加工作表名）
        #[arg(short, long, value_name = "NAME.toml", requires = "from")]
        out: Option<PathBuf>,
    },
    /// 列出所有审核结论的代码、严重程度与规则说明
    Findings {
        /// 以 JSON 输出（数组，每项含 code、severity、rule）
        #[arg(long)]
        json: bool,
    },
    /// 在本机打开审核网页：拖入表格即可看到审核结果（问题标在表格的单元格上）并下载成品表。文件只在本机处理。
    Serve {
        /// 端口
        #[arg(long, default_value_t = jixiao::serve::DEFAULT_PORT)]
        port: u16,
        /// 启动后在浏览器中打开网页
        #[arg(long)]
        open: bool,
        /// 监听的地址（默认只接受本机访问的 127.0.0.1；其他地址会让局域网内的电脑也能访问）
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
}

/// A command-line value that cannot be read; clap prints it after the option's name.
#[derive(Debug, thiserror::Error)]
enum BadArgument {
    /// `--signoff` without `角色=`.
    #[error("应为“角色=姓名”，如 填表人=张三，而不是“{0}”")]
    Signoff(String),
    /// `--format` naming a format jixiao does not write.
    #[error("不支持的输出格式“{0}”（可选 xlsx、pdf）")]
    Format(String),
    /// `--format` naming none.
    #[error("至少选择一种输出格式：xlsx、pdf")]
    NoFormat,
}

fn parse_signoff(text: &str) -> Result<(String, String), BadArgument> {
    match text.split_once('=') {
        Some((role, name)) if !role.trim().is_empty() => {
            Ok((role.trim().to_string(), name.trim().to_string()))
        }
        _ => Err(BadArgument::Signoff(text.to_string())),
    }
}

fn main() -> ExitCode {
    // A panic on one input is reported as that input's one line (Error::Internal): the
    // default hook's lines (with whatever the file made the message say) are not printed.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !jixiao::pipeline::guarding() {
            default_hook(info);
        }
    }));
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
            eprintln!("jixiao: {}", message_of(&err));
            ExitCode::from(2)
        }
    }
}

/// An error with the context it was given, as one line: each cause after a colon, down to
/// the first of the library's errors, whose message already says its reason (its sources are
/// kept for programs, not repeated).
fn message_of(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for (k, cause) in err.chain().enumerate() {
        if k > 0 {
            line.push_str(": ");
        }
        line.push_str(&cause.to_string());
        if cause.is::<jixiao::Error>() {
            break;
        }
    }
    line
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
            format,
            layout,
            signoff,
            date,
            jobs,
            quiet,
            strict,
            sign,
            sign_password_file,
            seal,
        } => {
            // The documents' creation time: the sign-off date at midnight in Beijing, else now.
            let created = match &date {
                Some(d) => Some(jixiao::date::start_of_day(d).with_context(|| {
                    format!("无法识别的日期“{d}”（应为 2025-03-01 或 2025年3月1日 的形式）")
                })?),
                None => Some(jixiao::date::now()),
            };
            // The certificate and the seal are checked before any form is rendered.
            let signer = match &sign {
                Some(path) => Some(std::sync::Arc::new(load_signer(
                    path,
                    sign_password_file.as_deref(),
                )?)),
                None => None,
            };
            let seal = match &seal {
                Some(path) => Some(std::sync::Arc::new(
                    jixiao::sign::Seal::from_png(path, &read_file(path)?)
                        .map_err(jixiao::Error::from)?,
                )),
                None => None,
            };
            let layout_source = layout.as_deref() == Some(SOURCE);
            let job = Job {
                inputs: paths,
                out,
                layout: if layout_source {
                    None
                } else {
                    load_layout(layout.as_deref())?
                },
                layout_source,
                options: Options {
                    signoff: signoff.into_iter().collect(),
                    date,
                    created,
                    signature: None,
                },
                formats: format,
                threads: jobs,
                signer,
                seal,
            };
            render(&job, quiet, strict)
        }
        Command::Template {
            out,
            layout,
            kind,
            rows,
        } => {
            let name = layout.unwrap_or_else(|| {
                let blank = jixiao::Form {
                    kind: kind.unwrap_or_default(),
                    ..jixiao::Form::default()
                };
                jixiao::Layout::for_form(&blank).name.clone()
            });
            let layout = load_layout(Some(&name))?.expect("a layout was named");
            if let Some(kind) = kind
                && layout.kind != kind
            {
                anyhow::bail!(
                    "表样 {} 是{}的表样，而 --kind {} 要的是{}",
                    layout.name,
                    layout.kind.title(),
                    kind,
                    kind.title()
                );
            }
            let grid = jixiao::layout::build_blank(&layout, usize::from(rows))?;
            let bytes = jixiao::render::xlsx::write(&grid)?;
            jixiao::batch::write_atomic(&out, &bytes)?;
            eprintln!("已生成空白表样 {}（{}）", out.display(), layout.name);
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { port, open, bind } => serve(bind, port, open),
        Command::Findings { json } => findings(json),
        Command::Layouts { files, from, out } => match from {
            Some(from) => derive_layouts(&from, out.as_deref()),
            None => list_layouts(&files),
        },
    }
}

/// A `--kind` that names no kind of form.
#[derive(Debug, thiserror::Error)]
#[error("应为 project 或 department，而不是“{0}”")]
struct UnknownKind(String);

/// `--kind project|department`.
fn parse_kind(text: &str) -> Result<jixiao::model::FormKind, UnknownKind> {
    jixiao::model::FormKind::parse(text).ok_or_else(|| UnknownKind(text.to_string()))
}

/// `jixiao findings`: the catalogue, one code a line (or as JSON).
fn findings(json: bool) -> anyhow::Result<ExitCode> {
    let entries: Vec<_> = jixiao::finding::code::entries().collect();
    let mut out = anstream::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &entries)?;
        writeln!(out)?;
    } else {
        let width = entries
            .iter()
            .map(|e| e.code.as_str().len())
            .max()
            .unwrap_or(0);
        // `代码` is two characters four columns wide.
        let pad = " ".repeat(width.saturating_sub(4));
        writeln!(out, "代码{pad}  级别  规则")?;
        for e in &entries {
            writeln!(
                out,
                "{:<width$}  {}  {}",
                e.code,
                e.severity.label(),
                e.rule
            )?;
        }
        writeln!(out, "共 {} 个代码", entries.len())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a file named on the command line.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, jixiao::Error> {
    std::fs::read(path).map_err(|source| jixiao::Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Loads `--sign`: the PKCS#12 file, opened with the password from `--sign-password-file`
/// (its first line) or `JIXIAO_SIGN_PASSWORD` (none: an empty password), checked for signing
/// now.
fn load_signer(
    path: &std::path::Path,
    password_file: Option<&std::path::Path>,
) -> anyhow::Result<jixiao::sign::Signer> {
    let password = match password_file {
        Some(file) => {
            let bytes = read_file(file)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{}：密码文件不是 UTF-8 文本", file.display()))?;
            text.lines().next().unwrap_or_default().to_string()
        }
        None => std::env::var("JIXIAO_SIGN_PASSWORD").unwrap_or_default(),
    };
    let bytes = read_file(path)?;
    let now = std::time::SystemTime::now();
    Ok(
        jixiao::sign::Signer::from_pkcs12(path, &bytes, &password, now)
            .map_err(jixiao::Error::from)?,
    )
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

/// `--layout source`: each form in the layout of its own workbook.
const SOURCE: &str = "source";

/// `jixiao layouts`: the built-in layouts, then each given layout file.
fn list_layouts(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut given = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("无法读取表样文件 {}", file.display()))?;
        given.push((file, Layout::parse(&file.display().to_string(), &text)?));
    }
    let mut out = anstream::stdout().lock();
    for layout in Layout::builtin() {
        writeln!(out, "{:<14} {}", layout.name, layout.description)?;
    }
    for (file, layout) in &given {
        writeln!(
            out,
            "{:<14} {}（{}）",
            layout.name,
            layout.description,
            file.display()
        )?;
    }
    writeln!(
        out,
        "{:<14} 与原表相同：每份表按它自己的工作簿的表样输出（render --layout source）",
        SOURCE
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `jixiao layouts --from FILE [-o NAME.toml]`: the layout of each form of a workbook, as a
/// layout file; what it approximates and the built-in layout it matches on stderr.
fn derive_layouts(
    from: &std::path::Path,
    out: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    use jixiao::read::InputKind;
    if !matches!(
        InputKind::of(from),
        Some(InputKind::Workbook | InputKind::Pdf)
    ) {
        anyhow::bail!(
            "{}：只能从工作簿（.xlsx .xls .ods）或公开的 PDF 导出表样，数据文件没有原表的表样",
            from.display()
        );
    }
    let derived = jixiao::pipeline::guarded(from, || jixiao::derive::from_file(from))?;
    if let Some(failed) = derived.iter().find(|d| d.text.is_empty()) {
        anyhow::bail!(
            "{}：无法导出表样：{}",
            failed.form.source,
            failed.approximations.join("；")
        );
    }
    let several = derived.len() > 1;
    let mut stdout = anstream::stdout().lock();
    for d in &derived {
        let target = out.map(|o| {
            if several {
                let stem = o.file_stem().unwrap_or_default().to_string_lossy();
                o.with_file_name(format!("{stem}-{}.toml", d.form.cells.sheet))
            } else {
                o.to_path_buf()
            }
        });
        match &target {
            Some(path) => jixiao::batch::write_atomic(path, d.text.as_bytes())?,
            None => writeln!(stdout, "{}", d.text)?,
        }
        let shown = target
            .as_ref()
            .map_or_else(|| "屏幕".to_string(), |p| p.display().to_string());
        eprintln!("已导出 {} 的表样到 {shown}", d.form.source);
        if let Some(name) = d.builtin {
            eprintln!("  与内置表样 {name} 相同：--layout source 将使用 {name}");
        }
        for note in &d.approximations {
            eprintln!("  近似：{note}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &[PathBuf], json: bool, layout: Option<&str>) -> anyhow::Result<ExitCode> {
    let source = layout == Some(SOURCE);
    let layout = if source { None } else { load_layout(layout)? };
    let choice = if source {
        jixiao::pipeline::Choice::Source
    } else {
        jixiao::pipeline::Choice::of(layout.as_ref())
    };
    let mut reports = Vec::new();
    let mut failed = 0usize;
    for input in jixiao::read::expand(paths, None) {
        // The same read → fit to --layout → report as `render`.
        match input.and_then(|found| jixiao::pipeline::load_in(&found.path, choice)) {
            Ok(forms) => reports.extend(forms.into_iter().map(|c| c.report)),
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

fn render(job: &Job, quiet: bool, strict: bool) -> anyhow::Result<ExitCode> {
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 个文件 {per_sec} 已用 {elapsed} 剩余约 {eta}",
            )
            .expect("a valid progress template"),
        );
        bar
    };
    let progress = |event: Event| match event {
        Event::Found(n) => bar.set_length(n as u64),
        Event::Done { .. } => bar.inc(1),
    };
    let outcome = jixiao::batch::run(job, &progress)?;
    bar.finish_and_clear();
    for failure in &outcome.failures {
        eprintln!("jixiao: {}", failure.reason);
    }
    let with_errors = outcome
        .rows
        .iter()
        .filter(|r| r.count(jixiao::validate::Severity::Error) > 0)
        .count();
    if !quiet {
        eprintln!(
            "已生成 {} 份表到 {}：{with_errors} 份有错误（见 {} 与各表的“审核意见”）；{} 个文件未能处理",
            outcome.rows.len(),
            job.out.display(),
            jixiao::batch::SUMMARY,
            outcome.failures.len()
        );
    }
    Ok(ExitCode::from(outcome.exit_code(strict)))
}

/// `jixiao serve`: binds, says where, opens the browser when asked, and serves until stopped.
fn serve(bind: std::net::IpAddr, port: u16, open: bool) -> anyhow::Result<ExitCode> {
    let addr = std::net::SocketAddr::new(bind, port);
    let listener = std::net::TcpListener::bind(addr).with_context(|| {
        format!("无法在 {addr} 上启动网页服务（端口已被占用？可用 --port 换一个）")
    })?;
    let local = listener.local_addr()?;
    if !bind.is_loopback() {
        eprintln!(
            "jixiao: 警告：正在 {local} 上监听，同一网络中的其他电脑也能打开此页面并上传文件；只在本机使用时请去掉 --bind"
        );
    }
    // The address to open on this machine (an unspecified address listens on loopback too).
    let shown = if bind.is_unspecified() {
        std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
    } else {
        local
    };
    let url = format!("http://{shown}/");
    println!("jixiao serve：请在浏览器中打开 {url}（按 Ctrl+C 停止）");
    std::io::stdout().flush()?;
    if open && let Err(err) = open_browser(&url) {
        eprintln!("jixiao: 无法打开浏览器（{err}）：请手动打开 {url}");
    }
    jixiao::serve::run(listener, jixiao::serve::Config { addr: local })?;
    Ok(ExitCode::SUCCESS)
}

/// Opens `url` in the default browser, without waiting for it.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

/// Reads `--format xlsx,pdf`.
fn parse_formats(text: &str) -> Result<Formats, BadArgument> {
    let mut formats = Formats {
        xlsx: false,
        pdf: false,
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.to_ascii_lowercase().as_str() {
            "xlsx" => formats.xlsx = true,
            "pdf" => formats.pdf = true,
            other => return Err(BadArgument::Format(other.to_string())),
        }
    }
    if !(formats.xlsx || formats.pdf) {
        return Err(BadArgument::NoFormat);
    }
    Ok(formats)
}
