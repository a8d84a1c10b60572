//! Reading: input files in, forms (with the cells they came from) out.
//!
//! JSON and TOML data files hold the `form` object of the JSON contract. Reading never judges
//! a form: what is wrong with its content is `validate`'s job.

mod data;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::SourcedForm;

pub use data::{form_from_json, form_from_toml};

/// The kinds of input jixiao reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A JSON form file.
    Json,
    /// A TOML form file.
    Toml,
}

impl InputKind {
    /// The kind of `path`, from its extension (case-insensitive).
    pub fn of(path: &Path) -> Option<InputKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputKind::Json),
            "toml" => Some(InputKind::Toml),
            _ => None,
        }
    }
}

/// Reads every form in the file at `path`; `source` is how reports name it.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, [`Error::Unsupported`] for an unknown extension,
/// [`Error::Data`] for a malformed data file.
pub fn load(path: &Path) -> Result<Vec<SourcedForm>> {
    let kind = InputKind::of(path).ok_or_else(|| Error::Unsupported {
        path: path.to_path_buf(),
    })?;
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let source = path.display().to_string();
    let data_error = |message: String| Error::Data {
        path: path.to_path_buf(),
        message,
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        data_error(format!(
            "不是 UTF-8 编码的文本（第 {} 字节）",
            e.valid_up_to()
        ))
    })?;
    let form = match kind {
        InputKind::Json => form_from_json(text),
        InputKind::Toml => form_from_toml(text),
    }
    .map_err(data_error)?;
    Ok(vec![SourcedForm {
        source,
        form,
        cells: Default::default(),
    }])
}

/// True for files a directory walk skips: hidden files and Office lock files (`~$book.xlsx`).
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$")
}

/// Expands the paths a user named into input files, in order: a file stands for itself (even
/// with an unknown extension, so that it is reported), a directory for every readable file
/// below it, sorted by path. Symbolic links to directories are not followed.
///
/// # Errors
/// Each path that does not exist or cannot be listed gives an [`Error::Io`] in its place.
pub fn expand(paths: &[impl AsRef<Path>]) -> Vec<Result<std::path::PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut out),
            Ok(_) => out.push(Ok(path.to_path_buf())),
            Err(source) => out.push(Err(Error::Io {
                path: path.to_path_buf(),
                source,
            })),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<std::path::PathBuf>>) {
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
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(t) if t.is_file() && InputKind::of(&path).is_some() => out.push(Ok(path)),
            Ok(t)
                if t.is_symlink()
                    && InputKind::of(&path).is_some()
                    && std::fs::metadata(&path).is_ok_and(|m| m.is_file()) =>
            {
                out.push(Ok(path))
            }
            _ => {}
        }
    }
}
