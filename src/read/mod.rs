//! Reading: input files in, forms (with the cells they came from) out.
//!
//! Two floors, arrows only downward, on one shared type:
//!
//! ```text
//! read (this module: input kinds, load, expand)   archive (.zip of a folder of forms)
//!   workbook  — sheets → forms: hidden sheets, several forms, the second pass for typed
//!               formulas, limits, errors with the file's name
//!   published — a PDF's tables → forms: the tables that hold forms, `FILE#页码`, 第N页 cells
//!     form    — floor 2: the form on one sheet, by its labels, over a Cells view
//!     source  — floor 1: bytes → Sheets (xlsx + package, xls, ods, pdf) or a Form (data
//!               files), one SourceError
//!       sheet, limits — below both: the Sheet every source builds, the limits every
//!              reader applies
//! ```
//!
//! JSON and TOML data files hold the `form` object of the JSON contract; workbooks (`.xlsx`,
//! `.xls`, `.ods`) and published PDFs are read by their labels, as a person reads them, with the source cell of
//! every field. Reading never judges a form: what is wrong with its content is `validate`'s job.

pub mod archive;
mod form;
pub mod limits;
mod published;
pub mod sheet;
pub mod source;
mod workbook;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::SourcedForm;

pub use limits::{MAX_FILE, MAX_PART};
use source::SourceError;
pub use source::data::{form_from_json, form_from_toml};
use source::pdf::{PdfError, PdfLimit};

/// The kinds of input jixiao reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A JSON form file.
    Json,
    /// A TOML form file.
    Toml,
    /// A workbook: `.xlsx`, `.xlsm`, `.xls` or `.ods` (the bytes decide how it is read).
    Workbook,
    /// A published PDF: its tables are rebuilt from what its pages draw.
    Pdf,
}

impl InputKind {
    /// The kind of `path`, from its extension (case-insensitive).
    pub fn of(path: &Path) -> Option<InputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputKind::Json),
            "toml" => Some(InputKind::Toml),
            "xlsx" | "xlsm" | "xls" | "ods" => Some(InputKind::Workbook),
            "pdf" => Some(InputKind::Pdf),
            _ => None,
        }
    }
}

/// Reads every form in the file at `path`; `source` is how reports name it.
///
/// A workbook gives one form per sheet that holds one (`source` = `book.xlsx#Sheet` when there
/// are several); a data file gives one form.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::Unsupported`] for an unknown extension,
/// [`Error::Data`] for a malformed data file, [`Error::Source`] for a PDF that cannot be read; for a workbook [`Error::Source`] (not a
/// workbook, damaged, too large), [`Error::Encrypted`], [`Error::NoForm`] and
/// [`Error::FormIncomplete`].
pub fn load(path: &Path) -> Result<Vec<SourcedForm>> {
    let kind = InputKind::of(path).ok_or_else(|| Error::Unsupported {
        path: path.to_path_buf(),
    })?;
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if let Some(err) = too_large(path, kind, size) {
        return Err(err);
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    load_bytes(path, &bytes)
}

/// Reads every form in `bytes`, the content of the file at `path` (whose extension says how
/// to read it).
///
/// # Errors
/// As [`load`], except for reading the file.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<SourcedForm>> {
    let kind = InputKind::of(path).ok_or_else(|| Error::Unsupported {
        path: path.to_path_buf(),
    })?;
    if let Some(err) = too_large(path, kind, bytes.len() as u64) {
        return Err(err);
    }
    let parse = match kind {
        InputKind::Json => form_from_json,
        InputKind::Toml => form_from_toml,
        InputKind::Workbook => return workbook_forms(path, bytes),
        InputKind::Pdf => return published::forms(path, bytes),
    };
    let data_error = |source: SourceError| Error::Data {
        path: path.to_path_buf(),
        source: Box::new(source),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| data_error(SourceError::NotUtf8(e)))?;
    // The parsers apply the limits (read::limits::check_form) themselves.
    let form = parse(text).map_err(data_error)?;
    Ok(vec![SourcedForm::from_data(
        path.display().to_string(),
        form,
    )])
}

/// The error for a file of `size` bytes past [`MAX_FILE`] (workbooks) or [`limits::MAX_DATA`]
/// (data files), if it is.
fn too_large(path: &Path, kind: InputKind, size: u64) -> Option<Error> {
    let path = path.to_path_buf();
    match kind {
        InputKind::Workbook if size > MAX_FILE => Some(Error::Source {
            path,
            source: Box::new(SourceError::WorkbookTooLarge),
        }),
        InputKind::Pdf if size > MAX_FILE => Some(Error::Source {
            path,
            source: Box::new(PdfError::TooLarge(PdfLimit::File).into()),
        }),
        InputKind::Json | InputKind::Toml if size > limits::MAX_DATA => Some(Error::Data {
            path,
            source: Box::new(SourceError::DataTooLarge),
        }),
        _ => None,
    }
}

/// Every form in a workbook already in memory (`path` names it in sources and messages).
///
/// # Errors
/// As [`load`] for a workbook.
pub fn workbook_forms(path: &Path, bytes: &[u8]) -> Result<Vec<SourcedForm>> {
    workbook::forms(path, bytes)
}

/// True for files a directory walk skips: hidden files and Office lock files (`~$book.xlsx`).
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$")
}

/// An input file found by [`expand`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file, as it can be opened.
    pub path: PathBuf,
    /// The file relative to the directory it was found in (its file name for a named file):
    /// where its outputs go under an output folder.
    pub relative: PathBuf,
}

/// Expands the paths a user named into input files, in order: a file stands for itself (even
/// with an unknown extension, so that it is reported), a directory for every readable file
/// below it, sorted by path. Hidden files and Office lock files are skipped, the directory
/// `skip` (an output folder, canonical) is not entered, and a symbolic link is followed only
/// to a file inside the tree being walked.
///
/// # Errors
/// Each path that does not exist or cannot be listed, and each link that leads out of its
/// tree, gives an error in its place.
pub fn expand(paths: &[impl AsRef<Path>], skip: Option<&Path>) -> Vec<Result<Found>> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let root = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                walk(path, &root, Path::new(""), skip, &mut out);
            }
            Ok(_) => out.push(Ok(Found {
                path: path.to_path_buf(),
                relative: path.file_name().map(PathBuf::from).unwrap_or_default(),
            })),
            Err(source) => out.push(Err(Error::Io {
                path: path.to_path_buf(),
                source,
            })),
        }
    }
    out
}

fn walk(
    dir: &Path,
    root: &Path,
    relative: &Path,
    skip: Option<&Path>,
    out: &mut Vec<Result<Found>>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            out.push(Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            }));
            return;
        }
    };
    let mut children: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    children.sort_by_key(|e| e.file_name());
    for entry in children {
        let name = entry.file_name();
        if skipped(&name.to_string_lossy()) {
            continue;
        }
        let path = entry.path();
        let rel = relative.join(&name);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if skip.is_none_or(|s| s != canonical) {
                walk(&path, root, &rel, skip, out);
            }
        } else if InputKind::of(&path).is_some() {
            if kind.is_symlink() {
                let target = std::fs::canonicalize(&path);
                if !target
                    .as_ref()
                    .is_ok_and(|t| t.starts_with(root) && t.is_file())
                {
                    out.push(Err(Error::Link { path }));
                    continue;
                }
            }
            out.push(Ok(Found {
                path,
                relative: rel,
            }));
        }
    }
}
