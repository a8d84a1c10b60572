//! Reading: input files in, forms (with the cells they came from) out.
//!
//! JSON and TOML data files hold the `form` object of the JSON contract; workbooks (`.xlsx`,
//! `.xls`, `.ods`) are read by their labels, as a person reads them, with the source cell of
//! every field. Reading never judges a form: what is wrong with its content is `validate`'s job.

pub mod archive;
mod cfb;
mod data;
mod extract;
mod funds;
pub mod limits;
mod ods;
mod package;
mod sheet;
mod table;
mod workbook;
mod xls;
mod xlsx;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::SourcedForm;

pub use crate::vocabulary::normalize;
pub use data::{form_from_json, form_from_toml};
pub use limits::{MAX_FILE, MAX_PART};

/// The kinds of input jixiao reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A JSON form file.
    Json,
    /// A TOML form file.
    Toml,
    /// A workbook: `.xlsx`, `.xlsm`, `.xls` or `.ods` (the bytes decide how it is read).
    Workbook,
}

impl InputKind {
    /// The kind of `path`, from its extension (case-insensitive).
    pub fn of(path: &Path) -> Option<InputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputKind::Json),
            "toml" => Some(InputKind::Toml),
            "xlsx" | "xlsm" | "xls" | "ods" => Some(InputKind::Workbook),
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
/// [`Error::Data`] for a malformed data file; for a workbook [`Error::Workbook`] (not a
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
    };
    let source = path.display().to_string();
    let data_error = |message: String| Error::Data {
        path: path.to_path_buf(),
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        data_error(format!(
            "不是 UTF-8 编码的文本（第 {} 字节）",
            e.valid_up_to()
        ))
    })?;
    // The parsers apply the limits (read::limits::check_form) themselves.
    let form = parse(text).map_err(data_error)?;
    Ok(vec![SourcedForm::from_data(source, form)])
}

/// The error for a file of `size` bytes past [`MAX_FILE`] (workbooks) or [`limits::MAX_DATA`]
/// (data files), if it is.
fn too_large(path: &Path, kind: InputKind, size: u64) -> Option<Error> {
    let path = path.to_path_buf();
    match kind {
        InputKind::Workbook if size > MAX_FILE => Some(Error::Workbook {
            path,
            message: format!("文件过大（超过 {} MB），不是自评表", MAX_FILE / 1024 / 1024),
        }),
        InputKind::Json | InputKind::Toml if size > limits::MAX_DATA => Some(Error::Data {
            path,
            message: format!(
                "文件过大（超过 {} MB），不是自评表数据",
                limits::MAX_DATA / 1024 / 1024
            ),
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
