//! What the page asks for, as library calls, run off the async threads: uploads read and
//! checked as `check` does ([`pipeline::load_bytes`], a `.zip` through [`crate::read::archive`]),
//! each form's grid drawn by [`render::html`]; downloads laid out and written as `render`
//! does ([`layout::build`], [`render::xlsx`], [`render::pdf`], [`batch::render_loaded`]).
//! Builds data and bytes only.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use super::fields::{self, FieldView, FundsLine};
use super::store::Batch;
use crate::batch::{self, Formats, Loaded};
use crate::error::{Error, RenderProblem, Result, shown};
use crate::layout::{self, Layout, Options};
use crate::model::FormKind;
use crate::pipeline::{self, guarded};
use crate::read::Found;
use crate::read::archive::Archive;
use crate::render;
use crate::summary::{FailedInput, Grouping, SummaryColumn, SummaryRow};

/// The most files one request may hold, the files inside `.zip` files included.
pub const MAX_FILES: usize = 2_000;

/// The most forms one request may give (a workbook may hold one per sheet).
pub const MAX_FORMS: usize = 5_000;

/// How many files of a drop are read at once before their forms are counted against
/// [`MAX_FORMS`]: enough to keep every core busy, few enough that a drop past the bound
/// reads little more than it keeps.
const READ_CHUNK: usize = 32;

/// One file of a request: the name the browser gave it (shown only) and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file's name as sent; never a path on this machine.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Why a request is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// More than [`MAX_FILES`] files, counting those inside archives.
    #[error("一次最多检查 {MAX_FILES} 个文件（含压缩包中的文件）：请分批拖入")]
    TooManyFiles,
    /// No file in the request.
    #[error("没有收到文件：请拖入 .xlsx .xls .ods .pdf .json .toml 文件，或整个文件夹的 .zip")]
    NoFiles,
    /// A layout name that is not built in.
    #[error("没有名为“{0}”的内置表样")]
    UnknownLayout(String),
    /// A sign-off date that cannot be read.
    #[error("无法识别的日期“{0}”（应为 2025-03-01 或 2025年3月1日 的形式）")]
    BadDate(String),
    /// A sign-off name longer than a field holds.
    #[error("签字栏的姓名过长（最多 {MAX_NAME} 个字符）")]
    LongName,
}

impl Refusal {
    /// The HTTP status of the refusal.
    pub fn status(&self) -> axum::http::StatusCode {
        match self {
            Refusal::TooManyFiles => axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            _ => axum::http::StatusCode::BAD_REQUEST,
        }
    }
}

/// The longest sign-off name or date taken from the page, in characters.
pub const MAX_NAME: usize = 100;

/// The file name as shown: its last component (a browser sends no folders; another client
/// might), one bounded line; `未命名` when empty.
fn label(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if last.is_empty() {
        "未命名".to_string()
    } else {
        crate::text::one_line_middle(last, crate::text::MAX_PATH)
    }
}

/// One input of a request: where it shows, and where its bytes are.
struct Input<'u> {
    found: Found,
    source: Source<'u>,
}

enum Source<'u> {
    /// An uploaded file.
    File(&'u [u8]),
    /// A member of an uploaded archive (index into the archives).
    Member(usize, crate::read::archive::Member),
    /// Refused before it was read.
    Refused(Error),
}

/// The inputs of a request: each upload, or each form file of an uploaded `.zip` (with the
/// archives they are read from).
///
/// # Errors
/// [`Refusal::TooManyFiles`] past [`MAX_FILES`], [`Refusal::NoFiles`] for none.
fn inputs_of(uploads: &[Upload]) -> Result<(Vec<Archive<'_>>, Vec<Input<'_>>), Refusal> {
    if uploads.is_empty() {
        return Err(Refusal::NoFiles);
    }
    let mut archives: Vec<Archive<'_>> = Vec::new();
    let mut inputs: Vec<Input<'_>> = Vec::new();
    for upload in uploads {
        let name = PathBuf::from(label(&upload.name));
        let found = |relative: PathBuf, shown: PathBuf| Found {
            path: shown,
            relative,
        };
        let is_zip = name
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        if !is_zip {
            inputs.push(Input {
                found: found(name.clone(), name),
                source: Source::File(&upload.bytes),
            });
            continue;
        }
        match Archive::open(&name, &upload.bytes) {
            Ok(archive) => {
                for member in archive.members() {
                    inputs.push(match member {
                        Ok(m) => Input {
                            found: found(m.relative.clone(), name.join(&m.relative)),
                            source: Source::Member(archives.len(), m),
                        },
                        Err(e) => Input {
                            found: found(name.clone(), name.clone()),
                            source: Source::Refused(e),
                        },
                    });
                }
                archives.push(archive);
            }
            Err(e) => inputs.push(Input {
                found: found(name.clone(), name),
                source: Source::Refused(e),
            }),
        }
        if inputs.len() > MAX_FILES {
            break;
        }
    }
    if inputs.len() > MAX_FILES {
        return Err(Refusal::TooManyFiles);
    }
    Ok((archives, inputs))
}

/// A request's files, checked: the batch to keep for its downloads, and each form's table.
#[derive(Debug)]
pub struct Answer {
    /// The inputs read, with their forms; the inputs that could not be.
    pub batch: Batch,
    /// Each form's table with its findings ([`render::html`]), in the order of `batch.forms`.
    pub tables: Vec<String>,
}

/// Reads and checks every upload — each file, and each form file of each `.zip`, as
/// [`pipeline::load_bytes_in`] reads a file of a folder, in the layout `layout` says — and draws each
/// form's grid as a table, in parallel.
///
/// # Errors
/// [`Refusal::TooManyFiles`] past [`MAX_FILES`], [`Refusal::NoFiles`] for none. A file that
/// cannot be read or drawn (a bug) is one of the batch's failures, never an error.
pub fn check(uploads: &[Upload], layout: pipeline::Choice<'static>) -> Result<Answer, Refusal> {
    check_within(uploads, layout, MAX_FORMS)
}

/// [`check`], with at most `max_forms` forms: each file whose forms would pass the bound,
/// counted in the order dropped, is a failure, not checked.
fn check_within(
    uploads: &[Upload],
    layout: pipeline::Choice<'static>,
    max_forms: usize,
) -> Result<Answer, Refusal> {
    let (archives, inputs) = inputs_of(uploads)?;
    let unzipped: Vec<AtomicU64> = archives.iter().map(|_| AtomicU64::new(0)).collect();
    let load = |input: Input<'_>| -> std::result::Result<Loaded<'static>, FailedInput> {
        let found = input.found;
        let read = |found: &Found| -> Result<Loaded<'static>> {
            let member_bytes;
            let bytes: &[u8] = match input.source {
                Source::File(bytes) => bytes,
                Source::Member(k, ref member) => {
                    member_bytes = archives[k].read(member, &unzipped[k])?;
                    &member_bytes
                }
                Source::Refused(e) => return Err(e),
            };
            Ok(Loaded {
                entry: Loaded::entry_of(found, bytes),
                found: found.clone(),
                forms: pipeline::load_bytes_in(&found.path, bytes, layout)?,
            })
        };
        guarded(&found.path, || read(&found)).map_err(|e| batch::failure(&found.path, e))
    };
    let too_many = |path: &std::path::Path| {
        let source = shown(path);
        FailedInput {
            reason: format!(
                "{source}：本次拖入的表格超过 {max_forms} 份，此文件未检查：请分批拖入"
            ),
            source,
        }
    };
    // Every form kept costs its report and its table: a drop holds a bounded number, the
    // first files in the order they were dropped. Files are read in parallel a chunk at a
    // time and counted in order; once the bound is reached the rest is not read at all.
    let mut counted = 0;
    let mut read: Vec<std::result::Result<Loaded<'static>, FailedInput>> = Vec::new();
    let mut inputs = inputs.into_iter().peekable();
    while inputs.peek().is_some() {
        let chunk: Vec<Input<'_>> = inputs.by_ref().take(READ_CHUNK).collect();
        if counted >= max_forms {
            read.extend(chunk.iter().map(|input| Err(too_many(&input.found.path))));
            continue;
        }
        let loaded: Vec<_> = chunk.into_par_iter().map(&load).collect();
        for loaded in loaded {
            read.push(match loaded {
                Ok(l) if counted + l.forms.len() > max_forms => Err(too_many(&l.found.path)),
                Ok(l) => {
                    counted += l.forms.len();
                    Ok(l)
                }
                Err(f) => Err(f),
            });
        }
    }
    Ok(drawn(read))
}

/// The batch of the inputs `read` (in order), each form's grid drawn as a table, in
/// parallel; an input whose table cannot be drawn (a bug) becomes a failure.
fn drawn(read: Vec<std::result::Result<Loaded<'static>, FailedInput>>) -> Answer {
    let results: Vec<std::result::Result<(Loaded<'static>, Vec<String>), FailedInput>> = read
        .into_par_iter()
        .map(|loaded| {
            let loaded = loaded?;
            // The page shows the table without a sign-off: names are typed in later.
            let draw = || -> Result<Vec<String>> {
                loaded
                    .forms
                    .iter()
                    .map(|c| {
                        let grid = layout::build(&c.report, &c.layout, &Options::default())?;
                        Ok(render::html::write(&grid))
                    })
                    .collect()
            };
            let path = &loaded.found.path;
            let tables = guarded(path, draw).map_err(|e| batch::failure(path, e))?;
            Ok((loaded, tables))
        })
        .collect();
    let mut batch = Batch {
        inputs: Vec::new(),
        failures: Vec::new(),
        forms: Vec::new(),
    };
    let mut tables = Vec::new();
    for r in results {
        match r {
            Ok((loaded, drawn)) => {
                let k = batch.inputs.len();
                batch.forms.extend((0..loaded.forms.len()).map(|f| (k, f)));
                batch.inputs.push(loaded);
                tables.extend(drawn);
            }
            Err(f) => batch.failures.push(f),
        }
    }
    Answer { batch, tables }
}

/// What the page shows of a batch.
#[derive(Debug, Serialize)]
pub struct BatchView<'a> {
    /// The batch's id, for its downloads.
    pub batch: String,
    /// The columns of the summary (汇总表's), each with its key in the forms' rows.
    pub columns: &'static [SummaryColumn],
    /// The columns of the department forms' summary (汇总表's 部门整体 sheet).
    pub department_columns: &'static [SummaryColumn],
    /// The roles of the sign-off blocks of the batch's layouts, in order.
    pub roles: Vec<String>,
    /// The label of the sign-off date (`填报日期`).
    pub date_label: String,
    /// Each form.
    pub forms: Vec<FormView>,
    /// The files that could not be read.
    pub failures: &'a [FailedInput],
}

/// One form: its summary row, its scores, its table.
#[derive(Debug, Serialize)]
pub struct FormView {
    /// Its place in the batch.
    pub id: usize,
    /// The layout it was checked against and is drawn in.
    pub layout: String,
    /// Its summary row, as the 汇总表's columns show it (keyed by [`SummaryColumn::key`]).
    pub row: SummaryRow,
    /// Which form: `project` or `department`.
    pub kind: FormKind,
    /// Its header fields, by its kind.
    pub header: Vec<FieldView>,
    /// Its funds rows with their breakdowns.
    pub funds: Vec<FundsLine>,
    /// The unit of its amounts (`万元`, `元`).
    pub amount_unit: &'static str,
    /// The department form (its place in the batch) a project form is listed under, as
    /// 汇总表 lists it ([`Grouping`]).
    pub under: Option<usize>,
    /// 执行率 (percent), budget score, totals and grades.
    pub scores: ScoresView,
    /// Each indicator's computed score and method.
    pub indicators: Vec<IndicatorView>,
    /// The official table with the findings pinned on its cells (`render::html`).
    pub html: String,
    /// The name its outputs get (without extension).
    pub name: String,
}

/// The scores of a form.
#[derive(Debug, Serialize)]
pub struct ScoresView {
    /// 执行率 in percent, 2 decimals.
    pub execution_rate: Option<String>,
    /// The budget score.
    pub funds_score: Option<String>,
    /// 自评总分 and its grade.
    pub total: String,
    /// 等级.
    pub grade: &'static str,
    /// 复核总分.
    pub reviewed_total: String,
    /// 复核等级.
    pub reviewed_grade: &'static str,
}

/// One indicator's review.
#[derive(Debug, Serialize)]
pub struct IndicatorView {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 分值.
    pub weight: Option<String>,
    /// 得分 as declared.
    pub declared: Option<String>,
    /// 得分 by the rules; `None` when not computable.
    pub computed: Option<String>,
    /// How it is scored (`正向指标` …).
    pub method: String,
}

fn text(d: Decimal) -> String {
    d.to_string()
}

/// The options of a download: the sign-off names (by the roles of `layout`) and date typed
/// into the page, from the query `query`; the documents are dated that day, else now.
///
/// # Errors
/// [`Refusal::BadDate`], [`Refusal::LongName`].
pub fn options(query: &BTreeMap<String, String>, roles: &[String]) -> Result<Options, Refusal> {
    let mut options = Options::default();
    for (key, value) in query {
        let value = value.trim();
        if value.chars().count() > MAX_NAME {
            return Err(Refusal::LongName);
        }
        if value.is_empty() {
            continue;
        }
        if key == "date" {
            let created = crate::date::start_of_day(value)
                .ok_or_else(|| Refusal::BadDate(crate::text::one_line(value, 40)))?;
            options.date = Some(value.to_string());
            options.created = Some(created);
        } else if roles.contains(key) {
            options.signoff.insert(key.clone(), value.to_string());
        }
    }
    if options.created.is_none() {
        options.created = Some(crate::date::now());
    }
    Ok(options)
}

/// The roles of the sign-off blocks of `batch`'s layouts, in order, each once.
pub fn roles(batch: &Batch) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    let layouts = batch
        .inputs
        .iter()
        .flat_map(|i| i.forms.iter().map(|c| &*c.layout));
    for layout in layouts.chain(std::iter::once(Layout::for_year(None))) {
        for role in &layout.signoff.roles {
            if !roles.contains(role) {
                roles.push(role.clone());
            }
        }
    }
    roles
}

/// What the page shows of `batch` (kept as `id`): per form its summary row, scores and its
/// table from `tables` (of [`Answer`]).
pub fn view<'b>(id: &str, batch: &'b Batch, tables: Vec<String>) -> BatchView<'b> {
    let rows: Vec<Vec<SummaryRow>> = batch.inputs.iter().map(Loaded::summary_rows).collect();
    // The forms' rows in the order of `batch.forms`, which is the order of the ids.
    let flat: Vec<SummaryRow> = batch
        .forms
        .iter()
        .map(|&(i, f)| rows[i][f].clone())
        .collect();
    let grouping = Grouping::of(&flat);
    let forms = batch
        .forms
        .iter()
        .zip(tables)
        .enumerate()
        .map(|(id, (&(i, f), html))| {
            let checked = &batch.inputs[i].forms[f];
            let report = &checked.report;
            let r = &report.review;
            FormView {
                id,
                layout: checked.layout.name.clone(),
                row: flat[id].clone(),
                kind: report.form.kind,
                header: fields::header(&report.form),
                funds: fields::funds(&report.form),
                amount_unit: report.form.funds.unit.as_str(),
                under: grouping.under[id],
                scores: ScoresView {
                    execution_rate: r.execution_rate.map(text),
                    funds_score: r.funds_score.map(text),
                    total: text(r.total),
                    grade: r.grade.as_str(),
                    reviewed_total: text(r.reviewed_total),
                    reviewed_grade: r.reviewed_grade.as_str(),
                },
                indicators: report
                    .form
                    .indicators
                    .iter()
                    .zip(&r.indicators)
                    .map(|(ind, a)| IndicatorView {
                        level1: ind.level1.clone(),
                        level2: ind.level2.clone(),
                        name: ind.name.clone(),
                        weight: ind.weight.map(text),
                        declared: ind.score.map(text),
                        computed: a.computed.map(text),
                        method: a.method.to_string(),
                    })
                    .collect(),
                html,
                name: output_name(batch, id),
            }
        })
        .collect();
    let date_label = Layout::for_year(None).signoff.date.clone();
    BatchView {
        batch: id.to_string(),
        columns: &SummaryColumn::ALL,
        department_columns: &SummaryColumn::DEPARTMENT,
        roles: roles(batch),
        date_label,
        forms,
        failures: &batch.failures,
    }
}

/// The file name (without extension) form `form` of `batch` is downloaded as: its layout's
/// output name, as `render` names it, without the folders.
fn output_name(batch: &Batch, form: usize) -> String {
    let (i, f) = batch.forms[form];
    let loaded = &batch.inputs[i];
    let stem = loaded
        .found
        .relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    batch::output_name(&loaded.forms[f], &stem, loaded.forms.len() > 1)
        .unwrap_or_else(|_| batch::sanitize(&stem))
}

/// One form of `batch` (by its place) as `format` (`xlsx` or `pdf`), with `options`; its
/// file name.
///
/// # Errors
/// [`Error::Layout`] or [`Error::Render`] when it cannot be made (a bug), [`Error::Internal`]
/// for a panic; `None` when there is no such form.
pub fn form_file(
    batch: &Batch,
    form: usize,
    format: &str,
    options: &Options,
) -> Option<Result<(String, Vec<u8>)>> {
    let &(i, f) = batch.forms.get(form)?;
    let loaded = &batch.inputs[i];
    let checked = &loaded.forms[f];
    let name = output_name(batch, form);
    Some(guarded(&loaded.found.path, || {
        let grid = layout::build(&checked.report, &checked.layout, options)?;
        let bytes = match format {
            "pdf" => render::pdf::write(&grid)?,
            _ => render::xlsx::write(&grid)?,
        };
        Ok((format!("{name}.{format}"), bytes))
    }))
}

/// Every output of `batch`, 汇总表.xlsx and manifest.json, as `render` writes them for the
/// same files, in one `.zip`.
///
/// # Errors
/// [`Error::Render`] when the summary or the archive cannot be written.
pub fn batch_zip(batch: &Batch, options: &Options) -> Result<Vec<u8>> {
    use std::io::Write as _;
    use zip::write::{SimpleFileOptions, ZipWriter};
    let rendered = batch::render_loaded(
        &batch.inputs,
        batch.failures.clone(),
        options,
        Formats::default(),
        0,
    )?;
    let zip_error = |e: zip::result::ZipError| RenderProblem::Zip(e);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // PDFs and workbooks are compressed already: stored as they are, but for the summary.
    for (path, bytes) in &rendered.files {
        let method = if path.ends_with(".json") {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(bytes.len() as u64 >= u32::MAX as u64);
        zip.start_file(path.as_str(), opts).map_err(zip_error)?;
        zip.write_all(bytes)
            .map_err(|e| zip_error(zip::result::ZipError::from(e)))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn names_are_labels_only() {
        assert_eq!(label("../../etc/passwd.xlsx"), "passwd.xlsx");
        assert_eq!(label("C:\\Users\\a\\表.xlsx"), "表.xlsx");
        assert_eq!(label("a\u{1b}[31m.json"), "a\\u{1b}[31m.json");
        assert_eq!(label(""), "未命名");
        assert_eq!(label("dir/"), "未命名");
    }

    #[test]
    fn a_form_is_checked_as_check_does() {
        let json = include_bytes!("../../samples/000.json");
        let Answer { batch, tables } = check(
            &[upload("000.json", json), upload("说明.txt", b"x")],
            pipeline::Choice::Year,
        )
        .unwrap();
        assert_eq!(batch.forms, [(0, 0)]);
        assert_eq!(batch.failures.len(), 1);
        assert_eq!(
            batch.failures[0].reason,
            "说明.txt：不支持的文件类型（可读取 .xlsx .xls .ods .pdf .json .toml）"
        );
        let view = view("id", &batch, tables);
        let form = &view.forms[0];
        assert_eq!(form.scores.total, "96.00");
        assert_eq!(form.scores.reviewed_total, "89.00");
        assert_eq!(
            (form.scores.grade, form.scores.reviewed_grade),
            ("优", "良")
        );
        assert_eq!(form.name, "000");
        assert!(form.html.contains("jx-error"));
        let complaints = form
            .indicators
            .iter()
            .find(|i| i.name == "投诉降低率")
            .unwrap();
        assert_eq!(complaints.declared.as_deref(), Some("7.00"));
        assert_eq!(complaints.computed.as_deref(), Some("0.00"));
        assert_eq!(complaints.method, "正向指标");
        assert_eq!(view.roles, ["填表人", "审核人", "单位负责人"]);
        assert_eq!(view.columns.len(), 14);
    }

    #[test]
    fn forms_past_the_bound_are_not_checked() {
        // Counted in the order dropped, whichever thread reads first; a file that cannot be
        // read takes no room; past the bound, files of later chunks are not read at all.
        let json = include_bytes!("../../samples/001.json");
        let mut uploads: Vec<Upload> = (0..4).map(|k| upload(&format!("{k}.json"), json)).collect();
        uploads.insert(1, upload("bad.json", b"{}"));
        let Answer { batch, tables } = check_within(&uploads, pipeline::Choice::Year, 3).unwrap();
        assert_eq!(batch.forms.len(), 3);
        assert_eq!(tables.len(), 3);
        let reasons: Vec<&str> = batch.failures.iter().map(|f| f.reason.as_str()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].starts_with("bad.json："), "{reasons:?}");
        assert_eq!(
            reasons[1],
            "3.json：本次拖入的表格超过 3 份，此文件未检查：请分批拖入"
        );
        let many: Vec<Upload> = (0..2 * READ_CHUNK + 3)
            .map(|k| upload(&format!("{k:03}.json"), json))
            .collect();
        let Answer { batch, .. } = check_within(&many, pipeline::Choice::Year, 3).unwrap();
        assert_eq!(batch.forms.len(), 3);
        let refused: Vec<&str> = batch.failures.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(refused.len(), many.len() - 3);
        assert_eq!(refused.first().copied(), Some("003.json"));
        assert_eq!(
            refused.last().map(|s| s.to_string()),
            Some(format!("{:03}.json", many.len() - 1))
        );
    }

    #[test]
    fn too_many_files_are_refused_as_a_whole() {
        let uploads = vec![upload("a.json", b"{}"); MAX_FILES + 1];
        assert_eq!(
            check(&uploads, pipeline::Choice::Year).unwrap_err(),
            Refusal::TooManyFiles
        );
        assert_eq!(
            check(&[], pipeline::Choice::Year).unwrap_err(),
            Refusal::NoFiles
        );
    }

    #[test]
    fn sign_off_from_the_page() {
        let roles = vec!["填表人".to_string()];
        let query: BTreeMap<String, String> =
            [("填表人", "张三"), ("未知", "x"), ("date", "2025-03-01")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let o = options(&query, &roles).unwrap();
        assert_eq!(o.signoff.get("填表人").map(String::as_str), Some("张三"));
        assert_eq!(o.signoff.len(), 1);
        assert_eq!(o.created.as_deref(), Some("2025-03-01T00:00:00+08:00"));
        let bad: BTreeMap<String, String> = [("date".to_string(), "昨天".to_string())]
            .into_iter()
            .collect();
        assert_eq!(
            options(&bad, &roles).unwrap_err().to_string(),
            "无法识别的日期“昨天”（应为 2025-03-01 或 2025年3月1日 的形式）"
        );
    }
}
