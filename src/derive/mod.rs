//! Layouts derived from a filer's own workbook: `jixiao layouts --from FILE` and
//! `render --layout source`.
//!
//! The reader says where it took each field from ([`crate::model::SourceCells`]); `find` reads
//! the labels beside those cells (their text as written, their role by the vocabulary), and
//! `write` turns them into a layout file in the format of `layouts/*.toml`, with what it had
//! to approximate said in comments at its top. The file is checked as any layout is
//! ([`Layout::parse`]): every label in it is one the reader knows, so a form written in it
//! reads back. When the workbook's structure is that of a built-in layout, that layout is the
//! source's layout.

mod find;
mod write;

use std::path::Path;

use crate::error::{Error, Result};
use crate::layout::Layout;
use crate::model::SourcedForm;
use crate::read::{self, InputKind};

pub use find::{Found, Spot};

/// The layout of one form of a workbook, as derived from its sheet.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The form, as read.
    pub form: SourcedForm,
    /// Its layout: the built-in one its structure matches, else the derived one.
    pub layout: Layout,
    /// The layout file's text (derived, even when a built-in layout matches); empty when the
    /// derived file did not pass the checks of a layout (then `layout` is the year's, and
    /// `approximations` say why).
    pub text: String,
    /// The built-in layout the structure matches, if any.
    pub builtin: Option<&'static str>,
    /// What the layout file could not say as the source has it.
    pub approximations: Vec<String>,
    /// What the sheet shows of its layout, where.
    pub found: Found,
}

/// Every form of the workbook or published PDF in `bytes` (the file at `path`) with its
/// layout.
///
/// # Errors
/// As [`read::load_bytes`]; [`Error::Unsupported`] for a data file (no worksheet to take a
/// layout from).
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<Derived>> {
    let source_error = |source: read::source::SourceError| Error::Source {
        path: path.to_path_buf(),
        source: Box::new(source),
    };
    let sheets = match InputKind::of(path) {
        Some(InputKind::Workbook) => read::source::sheets(bytes).map_err(source_error)?,
        // A published PDF: the tables rebuilt from its pages, as the reader reads them.
        Some(InputKind::Pdf) => read::source::pdf::tables(bytes)
            .map_err(|e| source_error(e.into()))?
            .tables
            .into_iter()
            .map(|t| t.sheet)
            .collect(),
        _ => {
            return Err(Error::Unsupported {
                path: path.to_path_buf(),
            });
        }
    };
    let forms = read::load_bytes(path, bytes)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let several = forms.len() > 1;
    forms
        .into_iter()
        .map(|form| {
            let sheet = sheets
                .iter()
                .find(|s| s.name == form.cells.sheet)
                .ok_or_else(|| Error::Unsupported {
                    path: path.to_path_buf(),
                })?;
            let name = if several {
                format!("{stem}-{}", form.cells.sheet)
            } else {
                stem.clone()
            };
            Ok(derive(&name, sheet, form))
        })
        .collect()
}

/// Every form of the file at `path` with its layout ([`from_bytes`]).
///
/// # Errors
/// As [`from_bytes`], and [`Error::Io`] when the file cannot be read.
pub fn from_file(path: &Path) -> Result<Vec<Derived>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    from_bytes(path, &bytes)
}

/// The layout of `form`, read from `sheet`, called `name`.
fn derive(name: &str, sheet: &crate::read::sheet::Sheet, form: SourcedForm) -> Derived {
    let found = find::find(sheet, &form);
    let written = write::write(name, &found, &form);
    let mut approximations = written.approximations;
    let (layout, builtin, text) = match Layout::parse(&format!("{name}.toml"), &written.text) {
        Ok(layout) => {
            let builtin = Layout::builtin()
                .iter()
                .find(|b| same_structure(b, &layout))
                .map(|b| b.name.as_str());
            match builtin.and_then(Layout::by_name) {
                Some(b) => (b.clone(), builtin, written.text),
                None => (layout, None, written.text),
            }
        }
        // Every text was chosen to pass the checks; should one still not, the form is shown
        // in the layout of its year and no file is written.
        Err(err) => {
            let base = Layout::for_form(&form.form);
            approximations.push(format!(
                "导出的表样未通过检查（{err}），改用默认表样 {}",
                base.name
            ));
            (base.clone(), Some(base.name.as_str()), String::new())
        }
    };
    Derived {
        form,
        layout,
        text,
        builtin,
        approximations,
        found,
    }
}

/// True when two layouts print the same form: the same title, labels, funds block, table
/// columns (roles and headers, in order) and tree; widths, fonts and paper aside.
pub fn same_structure(a: &Layout, b: &Layout) -> bool {
    let columns = |l: &Layout| -> Vec<(crate::vocabulary::Column, String)> {
        l.table
            .columns
            .iter()
            .map(|c| (c.role, c.header.clone()))
            .collect()
    };
    let lines = |l: &Layout| -> Vec<(String, String, String)> {
        l.lines
            .iter()
            .map(|x| (x.left.clone(), x.center.clone(), x.right.clone()))
            .collect()
    };
    a.kind == b.kind
        && a.title == b.title
        && lines(a) == lines(b)
        && a.header == b.header
        && a.funds.label == b.funds.label
        && a.funds.unit == b.funds.unit
        && a.funds.rows == b.funds.rows
        && a.funds.columns.iter().map(|c| (c.role, &c.header)).eq(b
            .funds
            .columns
            .iter()
            .map(|c| (c.role, &c.header)))
        && (&a.goals.label, &a.goals.expected, &a.goals.achieved)
            == (&b.goals.label, &b.goals.expected, &b.goals.achieved)
        && (&a.indicators.label, &a.indicators.subtotal)
            == (&b.indicators.label, &b.indicators.subtotal)
        && columns(a) == columns(b)
        && a.total == b.total
        && a.closing == b.closing
        && a.tree().name == b.tree().name
}
