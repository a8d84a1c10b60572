//! One input, the same way for every command: read → fit each form to the chosen layout →
//! review and check. `check` prints what this gives and `render` writes it, so that the same
//! input with the same `--layout` gives the same findings under both.

use std::path::Path;

use crate::error::Result;
use crate::layout::Layout;
use crate::model::SourcedForm;
use crate::read;
use crate::report::Report;

/// A form reviewed and checked against the layout it is shown in.
#[derive(Debug, Clone)]
pub struct Checked<'a> {
    /// The review and the findings.
    pub report: Report,
    /// The layout the form was checked against (and is rendered in).
    pub layout: &'a Layout,
    /// The worksheet the form was read from; empty for a data file.
    pub sheet: String,
}

/// Reviews and checks one form. With a `layout`, the form is first fitted to it (its
/// indicators re-filed under that layout's tree, [`Layout::adapt`], their cells following);
/// without, it is checked against the layout of its year.
pub fn check(mut sourced: SourcedForm, layout: Option<&Layout>) -> Checked<'_> {
    let sheet = sourced.cells.sheet.clone();
    let layout = match layout {
        Some(layout) => {
            let order = layout.adapt(&mut sourced.form);
            sourced.cells.reorder_indicators(&order);
            layout
        }
        None => Layout::for_year(sourced.form.year),
    };
    Checked {
        report: Report::new(sourced, Some(layout)),
        layout,
        sheet,
    }
}

/// Every form of the file at `path`, read ([`read::load`]) and checked ([`check`]).
///
/// # Errors
/// As [`read::load`].
pub fn load<'a>(path: &Path, layout: Option<&'a Layout>) -> Result<Vec<Checked<'a>>> {
    Ok(read::load(path)?
        .into_iter()
        .map(|f| check(f, layout))
        .collect())
}

/// Every form in `bytes`, the content of the file at `path`, read ([`read::load_bytes`]) and
/// checked ([`check`]).
///
/// # Errors
/// As [`read::load_bytes`].
pub fn load_bytes<'a>(
    path: &Path,
    bytes: &[u8],
    layout: Option<&'a Layout>,
) -> Result<Vec<Checked<'a>>> {
    Ok(read::load_bytes(path, bytes)?
        .into_iter()
        .map(|f| check(f, layout))
        .collect())
}
