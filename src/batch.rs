//! Bulk rendering: many inputs in, the finished forms, a summary workbook and a manifest out.
//!
//! Founds are read, checked, laid out and written in parallel (rayon); every output is written
//! to a temporary name and renamed; a bad input is recorded and never stops the run; outputs
//! never leave `OUT` and never replace an input. Reports progress through a callback and never
//! prints.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use crate::error::{Error, OutputProblem, Result, shown};
use crate::layout::{self, Layout, Options, Signature, Template, TemplateData};
use crate::model::FormKind;
use crate::pipeline::{self, Checked, guarded};
use crate::read::{self, Found};
use crate::render::pdf::Stamp;
use crate::sign::{Seal, SignError, Signer};
use crate::summary::{FailedInput, SummaryRow};
use crate::validate::Severity;

/// The name of the summary workbook in `OUT`.
pub const SUMMARY: &str = "汇总表.xlsx";
/// The name of the manifest in `OUT`.
pub const MANIFEST: &str = "manifest.json";
/// The name of the manifest's detached CMS signature (DER) in `OUT`, when signing.
pub const MANIFEST_SIGNATURE: &str = "manifest.json.p7s";

/// Which files to write per form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// The filing-ready workbook.
    pub xlsx: bool,
    /// The archive PDF.
    pub pdf: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            xlsx: true,
            pdf: true,
        }
    }
}

/// What to render, where, and how.
#[derive(Debug, Clone)]
pub struct Job {
    /// Files and directories, as the user named them.
    pub inputs: Vec<PathBuf>,
    /// The output directory.
    pub out: PathBuf,
    /// The layout of every output; `None`: each form in the layout of its year.
    pub layout: Option<Layout>,
    /// Each form in the layout of its own workbook (`--layout source`, [`pipeline::Choice::Source`]);
    /// `layout` is then not used.
    pub layout_source: bool,
    /// Sign-off names and dates.
    pub options: Options,
    /// Which files to write.
    pub formats: Formats,
    /// Worker threads; 0 for one per core.
    pub threads: usize,
    /// Signs every PDF (PAdES) and the manifest (`manifest.json.p7s`); loaded and checked once.
    pub signer: Option<Arc<Signer>>,
    /// The unit's seal, drawn over 单位（盖章） in every PDF.
    pub seal: Option<Arc<Seal>>,
}

/// Progress of a run, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The inputs were found: this many files will be read.
    Found(usize),
    /// One input is done.
    Done {
        /// Whether it was read and written.
        ok: bool,
    },
}

/// A file with its digest, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    /// The path: relative to `OUT` for outputs, as found for inputs.
    pub path: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// One row per form written, in input order.
    pub rows: Vec<SummaryRow>,
    /// The inputs that failed, in input order.
    pub failures: Vec<FailedInput>,
    /// Every input read, with its digest.
    pub inputs: Vec<FileEntry>,
    /// Every file written, with its digest (the manifest itself aside).
    pub outputs: Vec<FileEntry>,
}

impl Outcome {
    /// The exit status a command line should give: 2 when an input failed; else, with
    /// `strict`, 1 when a form has error findings; else 0 (every form was rendered, its
    /// findings are in its outputs and the summary).
    pub fn exit_code(&self, strict: bool) -> u8 {
        if !self.failures.is_empty() {
            2
        } else if strict && self.rows.iter().any(|r| r.count(Severity::Error) > 0) {
            1
        } else {
            0
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes a file name from form data safe: no path separators, no `..`, no control characters,
/// no leading dot, not empty, not overlong.
pub fn sanitize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    while s.contains("..") {
        s = s.replace("..", "_");
    }
    let s = s.trim().trim_start_matches('.').to_string();
    let s: String = s.chars().take(120).collect();
    if s.is_empty() { "_".to_string() } else { s }
}

/// Checks that `out` may be written: not inside an input tree unless empty or written by
/// jixiao (it holds our manifest), and not an input file.
fn check_out(job: &Job) -> Result<Option<PathBuf>> {
    let refuse = |problem: OutputProblem| Error::Output {
        path: job.out.clone(),
        problem,
    };
    if job.out.is_file() {
        return Err(refuse(OutputProblem::IsFile));
    }
    let Ok(out) = fs::canonicalize(&job.out) else {
        return Ok(None);
    };
    let empty = fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none());
    let ours = out.join(MANIFEST).is_file();
    for input in &job.inputs {
        let Ok(input) = fs::canonicalize(input) else {
            continue;
        };
        if input.is_dir() && out.starts_with(&input) && !(empty || ours) {
            return Err(refuse(OutputProblem::InsideInput { input }));
        }
    }
    Ok(Some(out))
}

/// Where the outputs of one input go, without extension: `OUT/<dir>/<name>`.
fn output_base(relative: &Path) -> PathBuf {
    relative
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(n) => Some(sanitize(&n.to_string_lossy())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `bytes` to `path` through a temporary file beside it, then renames.
///
/// # Errors
/// [`Error::Io`] when the folder or the file cannot be written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| io_error(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error(path, e)
    })
}

/// Names that are taken in `OUT`, so that two inputs never write the same file. Names that
/// differ only in case clash, as they do on the file systems of Windows and macOS.
struct Names {
    /// The names taken, in lower case.
    taken: Mutex<HashSet<String>>,
}

impl Names {
    /// Names with `reserved` already taken.
    fn new<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Names {
        Names {
            taken: Mutex::new(reserved.into_iter().map(str::to_lowercase).collect()),
        }
    }

    /// Claims `base` (or `base-2`, `base-3` … when taken).
    fn claim(&self, base: PathBuf) -> PathBuf {
        let key = |p: &Path| p.to_string_lossy().to_lowercase();
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let mut candidate = base.clone();
        let mut n = 2;
        while !taken.insert(key(&candidate)) {
            let name = base
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            candidate = base.with_file_name(format!("{name}-{n}"));
            n += 1;
        }
        candidate
    }
}

/// The order in which inputs, read and written in parallel, claim their output names: input
/// order, so that which input gets `-2` never depends on which thread finished first.
#[derive(Default)]
struct Turns {
    /// The input whose turn it is.
    next: Mutex<usize>,
    passed: Condvar,
}

impl Turns {
    /// The turn of input `index`.
    fn turn(&self, index: usize) -> Turn<'_> {
        Turn {
            turns: self,
            index,
            taken: false,
        }
    }
}

/// One input's turn. Inputs are started in input order, so the earliest input still without
/// its turn is always running and never waits: no deadlock. A turn not taken (the input
/// failed) is passed on when it is dropped.
struct Turn<'a> {
    turns: &'a Turns,
    index: usize,
    taken: bool,
}

impl Turn<'_> {
    /// Waits until every earlier input has had its turn, runs `f`, and passes the turn on.
    fn take<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let turns = self.turns;
        let mut next = turns.next.lock().unwrap_or_else(|e| e.into_inner());
        while *next < self.index {
            next = turns.passed.wait(next).unwrap_or_else(|e| e.into_inner());
        }
        let result = f();
        *next = self.index + 1;
        self.taken = true;
        drop(next);
        turns.passed.notify_all();
        result
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if !self.taken {
            self.take(|| ());
        }
    }
}

/// The stems that would clash within one folder (`a.xlsx` and `a.json`) get their extension
/// in their output name (`a-xlsx`, `a-json`).
fn stems(inputs: &[Found]) -> Vec<String> {
    let key = |i: &Found| {
        let stem = i
            .relative
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        (output_base(&i.relative), stem)
    };
    let mut count: HashMap<(PathBuf, String), usize> = HashMap::new();
    for i in inputs {
        *count.entry(key(i)).or_default() += 1;
    }
    inputs
        .iter()
        .map(|i| {
            let stem = i
                .relative
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if count[&key(i)] > 1 {
                let ext = i
                    .relative
                    .extension()
                    .map(|s| s.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                format!("{stem}-{ext}")
            } else {
                stem
            }
        })
        .collect()
}

/// What one input gave.
struct Done {
    rows: Vec<SummaryRow>,
    outputs: Vec<FileEntry>,
    input: FileEntry,
}

/// One input read and checked, ready to be rendered by [`render_loaded`]: where it was found
/// (its `relative` path decides where its outputs go, as in a folder given to [`run`]), its
/// digest and its forms.
#[derive(Debug, Clone)]
pub struct Loaded<'a> {
    /// The input as found; `path` is only shown, never opened.
    pub found: Found,
    /// The input's digest and size, for the manifest.
    pub entry: FileEntry,
    /// Its forms, read and checked ([`pipeline::load_bytes`]).
    pub forms: Vec<Checked<'a>>,
}

impl Loaded<'_> {
    /// The input's digest entry for `bytes` found at `found`.
    pub fn entry_of(found: &Found, bytes: &[u8]) -> FileEntry {
        FileEntry {
            path: found.path.display().to_string(),
            sha256: digest(bytes),
            size: bytes.len() as u64,
        }
    }

    /// The summary row of each form, as the summary lists it (`source` with `#Sheet` when
    /// the input holds several forms).
    pub fn summary_rows(&self) -> Vec<SummaryRow> {
        summary_rows(&self.found, &self.forms)
    }
}

/// The summary row of each of the `forms` of the input `found`: its relative path, with
/// `#Sheet` when it holds several forms.
fn summary_rows(found: &Found, forms: &[Checked<'_>]) -> Vec<SummaryRow> {
    let relative = found.relative.display().to_string();
    forms
        .iter()
        .map(|checked| {
            let source = if forms.len() > 1 {
                format!("{relative}#{}", checked.sheet)
            } else {
                relative.clone()
            };
            SummaryRow::new(source, &checked.report)
        })
        .collect()
}

/// The file name (without extension) of one form's outputs: its layout's output template
/// for the input's `stem` (and its sheet when the input holds `several` forms), sanitized.
///
/// # Errors
/// [`Error::Layout`] when the template fails.
pub fn output_name(checked: &Checked<'_>, stem: &str, several: bool) -> Result<String> {
    let sheet = if several { checked.sheet.as_str() } else { "" };
    let data = TemplateData::new(&checked.report.form, stem, sheet);
    Ok(sanitize(&checked.layout.render(Template::Output, &data)?))
}

/// Where one form's outputs go, without extension: [`output_name`] in the input's folder.
fn wanted_base(found: &Found, stem: &str, checked: &Checked<'_>, several: bool) -> Result<PathBuf> {
    Ok(output_base(&found.relative).join(output_name(checked, stem, several)?))
}

/// Lays out and writes every form of one input: claims their output names in its `turn`,
/// then hands each file to `emit` with its path relative to `OUT`, and returns the summary
/// rows and the digests of what was emitted.
/// What is written for each form: the sign-off, the formats, the seal and the signature.
#[derive(Clone, Copy)]
struct Writing<'a> {
    options: &'a Options,
    formats: Formats,
    stamp: Stamp<'a>,
}

fn render_forms(
    loaded: (&Found, &[Checked<'_>]),
    stem: &str,
    names: &Names,
    turn: &mut Turn<'_>,
    writing: Writing<'_>,
    emit: &mut dyn FnMut(&Path, Vec<u8>) -> Result<()>,
) -> Result<(Vec<SummaryRow>, Vec<FileEntry>)> {
    let Writing {
        options,
        formats,
        stamp,
    } = writing;
    let (found, forms) = loaded;
    let several = forms.len() > 1;
    let wanted = forms
        .iter()
        .map(|checked| wanted_base(found, stem, checked, several))
        .collect::<Result<Vec<_>>>()?;
    let bases: Vec<PathBuf> = turn.take(|| wanted.into_iter().map(|b| names.claim(b)).collect());
    let mut outputs = Vec::new();
    for (checked, base) in forms.iter().zip(bases) {
        let grid = layout::build(&checked.report, &checked.layout, options)?;
        let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
        if formats.xlsx {
            files.push(("xlsx", crate::render::xlsx::write(&grid)?));
        }
        if formats.pdf {
            files.push(("pdf", crate::render::pdf::write_stamped(&grid, stamp)?));
        }
        for (ext, data) in files {
            // Appended, not `with_extension`, which would eat a dot inside the name.
            let mut rel = base.clone().into_os_string();
            rel.push(format!(".{ext}"));
            let rel = PathBuf::from(rel);
            let entry = FileEntry {
                path: rel.to_string_lossy().into_owned(),
                sha256: digest(&data),
                size: data.len() as u64,
            };
            emit(&rel, data)?;
            outputs.push(entry);
        }
    }
    Ok((summary_rows(found, forms), outputs))
}

/// Reads, checks and writes every form of one input; its output names are claimed in its
/// `turn`.
fn render_input(
    job: &Job,
    out: &Path,
    input: &Found,
    stem: &str,
    names: &Names,
    turn: &mut Turn<'_>,
) -> Result<Done> {
    let bytes = fs::read(&input.path).map_err(|e| io_error(&input.path, e))?;
    let input_entry = Loaded::entry_of(input, &bytes);
    let choice = if job.layout_source {
        pipeline::Choice::Source
    } else {
        pipeline::Choice::of(job.layout.as_ref())
    };
    let forms = pipeline::load_bytes_in(&input.path, &bytes, choice)?;
    drop(bytes);
    let input_canonical = fs::canonicalize(&input.path).ok();
    let (rows, outputs) = render_forms(
        (input, &forms),
        stem,
        names,
        turn,
        Writing {
            options: &job.options,
            formats: job.formats,
            stamp: Stamp {
                seal: job.seal.as_deref(),
                signer: job.signer.as_deref(),
            },
        },
        &mut |rel, data| {
            let target = out.join(rel);
            // An input named inside OUT (`render out/a.xlsx -o out`) is never replaced.
            if fs::canonicalize(&target).is_ok_and(|t| Some(&t) == input_canonical.as_ref()) {
                return Err(Error::Output {
                    path: target,
                    problem: OutputProblem::OverwritesInput,
                });
            }
            write_atomic(&target, &data)
        },
    )?;
    Ok(Done {
        rows,
        outputs,
        input: input_entry,
    })
}

/// Names that no form may take: the summary and the manifest are ours.
fn reserved_names() -> Names {
    Names::new(
        [SUMMARY, MANIFEST]
            .iter()
            .map(|n| n.trim_end_matches(".xlsx").trim_end_matches(".json")),
    )
}

/// The failure of the input at `relative`, as the summary and the command line list it.
pub fn failure(relative: &Path, e: Error) -> FailedInput {
    // A writer's or a template's error does not name the input: say which it was.
    let reason = match e {
        Error::Render(_) | Error::Layout { .. } => format!("{}：{e}", shown(relative)),
        e => e.to_string(),
    };
    FailedInput {
        source: shown(relative),
        reason: crate::text::one_line(&reason, crate::text::MAX_LINE - "jixiao: ".len()),
    }
}

/// Runs `work` for every index of `0..n` on `threads` workers (0: one per core; 1: this
/// thread alone), each worker taking the next index in order (which [`Turns`] needs), and
/// returns the results in index order.
fn in_order<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(usize) -> T + Sync,
) -> std::result::Result<Vec<T>, rayon::ThreadPoolBuildError> {
    if threads == 1 {
        return Ok((0..n).map(work).collect());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = pool
        .broadcast(|_| {
            let mut mine = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= n {
                    break mine;
                }
                mine.push((index, work(index)));
            }
        })
        .into_iter()
        .flatten()
        .collect();
    done.sort_by_key(|(index, _)| *index);
    Ok(done.into_iter().map(|(_, result)| result).collect())
}

/// The outcome of the inputs' `results` (in input order) after the `failures` met before.
fn outcome_of(
    failures: Vec<FailedInput>,
    results: Vec<std::result::Result<Done, FailedInput>>,
) -> Outcome {
    let mut outcome = Outcome {
        failures,
        ..Outcome::default()
    };
    for r in results {
        match r {
            Ok(done) => {
                outcome.rows.extend(done.rows);
                outcome.outputs.extend(done.outputs);
                outcome.inputs.push(done.input);
            }
            Err(f) => outcome.failures.push(f),
        }
    }
    outcome
}

/// [`MANIFEST`]: what was read and written, with digests. Serialised from borrowed fields, so
/// that a batch of 10 000 forms does not hold a second copy of its outputs as a JSON tree.
#[derive(Serialize)]
struct Manifest<'a> {
    generator: &'static str,
    inputs: &'a [FileEntry],
    forms: Vec<ManifestForm<'a>>,
    outputs: &'a [FileEntry],
    failures: &'a [FailedInput],
}

/// Which form each is: 项目支出 (project) or 部门整体支出 (department); a project form listed
/// under a department form of the run names its source (`department_form`).
#[derive(Serialize)]
struct ManifestForm<'a> {
    source: &'a str,
    kind: FormKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    department_form: Option<&'a str>,
}

/// The summary workbook ([`SUMMARY`], dated `created`) and then the manifest
/// ([`MANIFEST`]) of `outcome`, whose outputs gain the summary's entry.
fn summary_and_manifest(outcome: &mut Outcome, created: &str) -> Result<(Vec<u8>, Vec<u8>)> {
    // One grouping for both: 汇总表 lists the joins, the manifest names them.
    let grouping = crate::summary::Grouping::of(&outcome.rows);
    let summary = crate::render::xlsx::write(&layout::summary_grid(
        &outcome.rows,
        &grouping,
        &outcome.failures,
        created,
    ))?;
    outcome.outputs.push(FileEntry {
        path: SUMMARY.to_string(),
        sha256: digest(&summary),
        size: summary.len() as u64,
    });
    let manifest = Manifest {
        generator: concat!("jixiao ", env!("CARGO_PKG_VERSION")),
        inputs: &outcome.inputs,
        forms: outcome
            .rows
            .iter()
            .zip(&grouping.under)
            .map(|(r, under)| ManifestForm {
                source: &r.source,
                kind: r.kind,
                department_form: under.map(|d| outcome.rows[d].source.as_str()),
            })
            .collect(),
        outputs: &outcome.outputs,
        failures: &outcome.failures,
    };
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Output {
        path: PathBuf::from(MANIFEST),
        problem: OutputProblem::Manifest(e),
    })?;
    Ok((summary, manifest))
}

fn no_workers(out: &Path, e: rayon::ThreadPoolBuildError) -> Error {
    Error::Output {
        path: out.to_path_buf(),
        problem: OutputProblem::NoWorkers(e),
    }
}

/// Renders every input of `job`; `progress` hears of each input as it is done.
///
/// # Errors
/// [`Error::Output`] when `OUT` may not be used (inside an input tree and not empty, or a
/// file), [`Error::Io`] when it cannot be created or the summary cannot be written. A bad
/// input is never an error of the run: it is listed in [`Outcome::failures`].
pub fn run(job: &Job, progress: &(dyn Fn(Event) + Sync)) -> Result<Outcome> {
    // Every PDF of a signed run shows the same signer and signing time.
    let signed;
    let job = match (&job.signer, &job.options.signature) {
        (Some(signer), None) => {
            signed = Job {
                options: Options {
                    signature: Some(Signature {
                        signer: signer.name().to_string(),
                        unit: signer.unit().map(str::to_string),
                        time: crate::date::now(),
                    }),
                    ..job.options.clone()
                },
                ..job.clone()
            };
            &signed
        }
        _ => job,
    };
    let out_canonical = check_out(job)?;
    fs::create_dir_all(&job.out).map_err(|e| io_error(&job.out, e))?;
    let out = fs::canonicalize(&job.out).map_err(|e| io_error(&job.out, e))?;
    let mut failures = Vec::new();
    let mut inputs = Vec::new();
    for found in read::expand(&job.inputs, Some(out_canonical.as_deref().unwrap_or(&out))) {
        match found {
            Ok(f) => inputs.push(f),
            Err(e) => failures.push(FailedInput {
                source: match &e {
                    Error::Io { path, .. } | Error::Link { path } => shown(path),
                    _ => String::new(),
                },
                reason: e.to_string(),
            }),
        }
    }
    progress(Event::Found(inputs.len()));
    let stems = stems(&inputs);
    let names = reserved_names();
    let turns = Turns::default();
    let work = |index: usize| {
        let (input, stem) = (&inputs[index], &stems[index]);
        let mut turn = turns.turn(index);
        let result = guarded(&input.relative, || {
            render_input(job, &out, input, stem, &names, &mut turn)
        });
        drop(turn);
        progress(Event::Done { ok: result.is_ok() });
        result.map_err(|e| failure(&input.relative, e))
    };
    let results = in_order(inputs.len(), job.threads, work).map_err(|e| no_workers(&job.out, e))?;
    let mut outcome = outcome_of(failures, results);
    let created = job.options.created.clone().unwrap_or_else(crate::date::now);
    let (summary, manifest) = summary_and_manifest(&mut outcome, &created)?;
    write_atomic(&out.join(SUMMARY), &summary)?;
    write_atomic(&out.join(MANIFEST), &manifest)?;
    if let Some(signer) = &job.signer {
        let signature = signer.sign(&manifest).map_err(|problem| SignError {
            path: out.join(MANIFEST),
            problem,
        })?;
        write_atomic(&out.join(MANIFEST_SIGNATURE), &signature)?;
    } else if out.join(MANIFEST_SIGNATURE).is_file() {
        // An earlier signed run's signature would not verify against this manifest.
        fs::remove_file(out.join(MANIFEST_SIGNATURE))
            .map_err(|e| io_error(&out.join(MANIFEST_SIGNATURE), e))?;
    }
    Ok(outcome)
}

/// A batch rendered in memory by [`render_loaded`].
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Every file, by its path relative to the output folder (`/`-separated), as [`run`]
    /// would write it: the outputs in input order, then [`SUMMARY`] and [`MANIFEST`].
    pub files: Vec<(String, Vec<u8>)>,
    /// What was rendered, and what failed.
    pub outcome: Outcome,
}

/// Renders inputs already read and checked, in memory: the same outputs, names, summary and
/// manifest [`run`] writes for the same inputs, with `failures` (inputs that could not be
/// read) listed first, as [`run`] lists the inputs it could not find. `threads` as
/// [`Job::threads`].
///
/// # Errors
/// [`Error::Render`] when the summary cannot be written, [`Error::Output`] when no worker
/// thread can be started. An input that cannot be rendered is listed in the outcome's
/// failures.
pub fn render_loaded(
    inputs: &[Loaded<'_>],
    failures: Vec<FailedInput>,
    options: &Options,
    formats: Formats,
    threads: usize,
) -> Result<Rendered> {
    let founds: Vec<Found> = inputs.iter().map(|l| l.found.clone()).collect();
    let stems = stems(&founds);
    let names = reserved_names();
    let turns = Turns::default();
    let work = |index: usize| {
        let loaded = &inputs[index];
        let mut turn = turns.turn(index);
        let mut files = Vec::new();
        let result = guarded(&loaded.found.relative, || {
            render_forms(
                (&loaded.found, &loaded.forms),
                &stems[index],
                &names,
                &mut turn,
                Writing {
                    options,
                    formats,
                    stamp: Stamp::default(),
                },
                &mut |rel, data| {
                    files.push((rel.to_string_lossy().replace('\\', "/"), data));
                    Ok(())
                },
            )
        });
        drop(turn);
        match result {
            Ok((rows, outputs)) => Ok((
                Done {
                    rows,
                    outputs,
                    input: loaded.entry.clone(),
                },
                files,
            )),
            Err(e) => Err(failure(&loaded.found.relative, e)),
        }
    };
    let results =
        in_order(inputs.len(), threads, work).map_err(|e| no_workers(Path::new(""), e))?;
    let mut files = Vec::new();
    let results = results
        .into_iter()
        .map(|r| {
            r.map(|(done, mine)| {
                files.extend(mine);
                done
            })
        })
        .collect();
    let mut outcome = outcome_of(failures, results);
    let created = options.created.clone().unwrap_or_else(crate::date::now);
    let (summary, manifest) = summary_and_manifest(&mut outcome, &created)?;
    files.push((SUMMARY.to_string(), summary));
    files.push((MANIFEST.to_string(), manifest));
    Ok(Rendered { files, outcome })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_form_data_stay_inside_the_output_folder() {
        let cases = [
            ("../../etc/passwd", "____etc_passwd"),
            ("a/b", "a_b"),
            ("..", "_"),
            ("", "_"),
            (".hidden", "hidden"),
            ("项目\u{0}名\u{7}称", "项目_名_称"),
            ("C:\\x", "C__x"),
            ("正常的项目名称", "正常的项目名称"),
        ];
        for (name, want) in cases {
            let got = sanitize(name);
            assert_eq!(got, want, "{name:?}");
            assert!(!got.contains('/') && !got.contains("..") && !got.starts_with('.'));
        }
        assert_eq!(sanitize(&"长".repeat(500)).chars().count(), 120);
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let names = Names::new(["汇总表"]);
        assert_eq!(names.claim(PathBuf::from("d/a")), PathBuf::from("d/a"));
        assert_eq!(names.claim(PathBuf::from("d/a")), PathBuf::from("d/a-2"));
        assert_eq!(names.claim(PathBuf::from("d/a")), PathBuf::from("d/a-3"));
        // Names that differ only in case clash, as on Windows and macOS.
        assert_eq!(names.claim(PathBuf::from("d/A")), PathBuf::from("d/A-4"));
        assert_eq!(names.claim(PathBuf::from("D/a")), PathBuf::from("D/a-5"));
        assert_eq!(
            names.claim(PathBuf::from("汇总表")),
            PathBuf::from("汇总表-2")
        );
    }

    #[test]
    fn turns_are_taken_in_input_order() {
        let turns = Turns::default();
        let order = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            // Started in reverse: each waits for the ones before it; 3 fails without taking.
            for index in (0..6).rev() {
                let (turns, order) = (&turns, &order);
                scope.spawn(move || {
                    let mut turn = turns.turn(index);
                    if index != 3 {
                        turn.take(|| order.lock().unwrap().push(index));
                    }
                });
            }
        });
        assert_eq!(*order.lock().unwrap(), [0, 1, 2, 4, 5]);
    }
}
