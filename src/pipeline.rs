//! One input, the same way for every command: read → review and check each form as filed →
//! fit it to the chosen layout. `check` prints what this gives and `render` writes it, so that the same
//! input with the same `--layout` gives the same findings under both. A bug met on one input
//! (a panic) is that input's error, never the end of the run.

use std::borrow::Cow;
use std::cell::Cell;
use std::path::Path;

use crate::derive;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::layout::Layout;
use crate::message::SheetMessage;
use crate::model::SourcedForm;
use crate::read::{self, InputKind};
use crate::report::Report;

/// The layout forms are checked against and shown in.
#[derive(Debug, Clone, Copy)]
pub enum Choice<'a> {
    /// Each form in the layout of its year.
    Year,
    /// Every form in this layout.
    Given(&'a Layout),
    /// Each form in the layout of its own workbook (`--layout source`, 与原表相同): the
    /// built-in layout its structure matches, else the layout derived from it
    /// ([`derive`]); a data file, which has none, in the layout of its year, said on the
    /// form.
    Source,
}

impl<'a> Choice<'a> {
    /// `Given` for a layout, `Year` for none.
    pub fn of(layout: Option<&'a Layout>) -> Choice<'a> {
        layout.map_or(Choice::Year, Choice::Given)
    }
}

/// A form reviewed and checked against the layout it is shown in.
#[derive(Debug, Clone)]
pub struct Checked<'a> {
    /// The review and the findings.
    pub report: Report,
    /// The layout the form was checked against (and is rendered in).
    pub layout: Cow<'a, Layout>,
    /// The worksheet the form was read from; empty for a data file.
    pub sheet: String,
}

/// Reviews and checks one form as filed and fits it to `layout` ([`Report::new`]); without
/// one, it is shown in the layout of its year.
pub fn check(sourced: SourcedForm, layout: Option<&Layout>) -> Checked<'_> {
    let sheet = sourced.cells.sheet.clone();
    let report = Report::new(sourced, layout);
    let layout = layout.unwrap_or_else(|| Layout::for_form(&report.form));
    Checked {
        report,
        layout: Cow::Borrowed(layout),
        sheet,
    }
}

/// Reviews and checks one form in a layout of its own (one derived from its workbook).
fn check_owned(sourced: SourcedForm, layout: Layout) -> Checked<'static> {
    let sheet = sourced.cells.sheet.clone();
    let report = Report::new(sourced, Some(&layout));
    Checked {
        report,
        layout: Cow::Owned(layout),
        sheet,
    }
}

/// Every form in `bytes` (the file at `path`), in the layout of its workbook.
fn in_source_layout(path: &Path, bytes: &[u8]) -> Result<Vec<Checked<'static>>> {
    if !matches!(
        InputKind::of(path),
        Some(InputKind::Workbook | InputKind::Pdf)
    ) {
        return Ok(read::load_bytes(path, bytes)?
            .into_iter()
            .map(|mut f| {
                let layout = Layout::for_form(&f.form).name.clone();
                f.findings
                    .push(Finding::of_form(SheetMessage::NoSourceLayout { layout }));
                check(f, None)
            })
            .collect());
    }
    Ok(derive::from_bytes(path, bytes)?
        .into_iter()
        .map(|d| match d.builtin.and_then(Layout::by_name) {
            Some(builtin) => check(d.form, Some(builtin)),
            None => check_owned(d.form, d.layout),
        })
        .collect())
}

/// Every form in `bytes`, the content of the file at `path`, read and checked in the layout
/// `choice` says, [`guarded`].
///
/// # Errors
/// As [`read::load_bytes`], and [`Error::Internal`] for a bug.
pub fn load_bytes_in<'a>(
    path: &Path,
    bytes: &[u8],
    choice: Choice<'a>,
) -> Result<Vec<Checked<'a>>> {
    match choice {
        Choice::Source => guarded(path, || in_source_layout(path, bytes)),
        Choice::Year => load_bytes(path, bytes, None),
        Choice::Given(layout) => load_bytes(path, bytes, Some(layout)),
    }
}

/// Every form of the file at `path`, read and checked in the layout `choice` says.
///
/// # Errors
/// As [`load`].
pub fn load_in<'a>(path: &Path, choice: Choice<'a>) -> Result<Vec<Checked<'a>>> {
    match choice {
        Choice::Source => {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            load_bytes_in(path, &bytes, choice)
        }
        Choice::Year => load(path, None),
        Choice::Given(layout) => load(path, Some(layout)),
    }
}

/// Every form of the file at `path`, read ([`read::load`]) and checked ([`check`]),
/// [`guarded`].
///
/// # Errors
/// As [`read::load`], and [`Error::Internal`] for a bug.
pub fn load<'a>(path: &Path, layout: Option<&'a Layout>) -> Result<Vec<Checked<'a>>> {
    guarded(path, || {
        Ok(read::load(path)?
            .into_iter()
            .map(|f| check(f, layout))
            .collect())
    })
}

/// Every form in `bytes`, the content of the file at `path`, read ([`read::load_bytes`]) and
/// checked ([`check`]), [`guarded`].
///
/// # Errors
/// As [`read::load_bytes`], and [`Error::Internal`] for a bug.
pub fn load_bytes<'a>(
    path: &Path,
    bytes: &[u8],
    layout: Option<&'a Layout>,
) -> Result<Vec<Checked<'a>>> {
    guarded(path, || {
        Ok(read::load_bytes(path, bytes)?
            .into_iter()
            .map(|f| check(f, layout))
            .collect())
    })
}

thread_local! {
    /// Set while this thread runs inside [`guarded`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` for the input at `path`, turning a panic (a bug) into [`Error::Internal`] for that
/// input, so that a run loses one input to a bug, not the run.
///
/// # Errors
/// What `f` gives, and [`Error::Internal`] when it panics.
pub fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let outer = GUARDED.replace(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.set(outer);
    result.unwrap_or_else(|panic| {
        // `panic!` with a message carries a `&str` or a `String`.
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "未知错误".to_string());
        Err(Error::Internal {
            path: path.to_path_buf(),
            message,
        })
    })
}

/// True while this thread runs inside [`guarded`]: a panic hook may stay quiet then, since
/// the panic is reported, in one line, as that input's [`Error::Internal`].
pub fn guarding() -> bool {
    GUARDED.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_fails_its_input_only() {
        let path = Path::new("单位/a.xlsx");
        assert!(!guarding());
        assert!(guarded(path, || Ok(guarding())).unwrap());
        assert!(!guarding());
        let err = guarded::<()>(path, || panic!("Addition overflowed")).unwrap_err();
        assert!(!guarding());
        assert!(
            matches!(&err, Error::Internal { message, .. } if message == "Addition overflowed")
        );
        assert_eq!(
            err.to_string(),
            "单位/a.xlsx：内部错误（请将此文件与以下信息报告给开发者）：Addition overflowed"
        );
        let n = 3;
        let err = guarded::<()>(path, || panic!("第 {n} 行")).unwrap_err();
        assert!(err.to_string().ends_with("：第 3 行"), "{err}");
        let err = guarded::<()>(path, || std::panic::panic_any(42)).unwrap_err();
        assert!(err.to_string().ends_with("：未知错误"), "{err}");
        // Nested: the inner guard reports, the outer goes on guarding.
        let inner = guarded(path, || {
            let inner = guarded::<()>(path, || panic!("inner"));
            assert!(guarding());
            Ok(inner)
        });
        assert!(matches!(inner, Ok(Err(Error::Internal { .. }))));
    }
}
