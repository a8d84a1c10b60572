//! Above both floors: the orchestration of a workbook. Its sheets come from a source
//! ([`source::sheets`]), each sheet's form from `read::form`; here are what the two cannot
//! decide alone — which of several forms are filed (hidden sheets, several forms), the second
//! pass for values typed as formulas (`.xlsx` only), the limits of a form read from a sheet —
//! and the errors with the file's name attached.

use std::path::Path;

use super::form::{self, SheetContent, SheetForm};
use super::limits;
use super::sheet::{Sheet, SheetValue};
use super::source::sniff::{self, Container};
use super::source::{self, SourceError, xlsx};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::message::{IncompleteSheet, SheetMessage};
use crate::model::SourcedForm;
use crate::text;

/// The error of the workbook at `path` that gave `error`.
fn workbook_error(path: &Path, error: SourceError) -> Error {
    let path = path.to_path_buf();
    match error {
        SourceError::Encrypted => Error::Encrypted { path },
        source => Error::Source {
            path,
            source: Box::new(source),
        },
    }
}

/// Every form in the workbook `bytes` read from `path`: one per sheet that holds a form;
/// `source` is the path, with `#Sheet` when there are several.
///
/// What is filed is what is shown: a hidden sheet's form (an old draft) is not read when a
/// shown sheet holds one — the forms read say which hidden sheets were left — and is read,
/// with a warning, when only hidden sheets hold forms.
///
/// # Errors
/// [`Error::Source`] for a file that is not a readable workbook or has an oversized sheet,
/// [`Error::Encrypted`] for a password-protected one, [`Error::NoForm`] when no sheet holds a
/// form, [`Error::FormIncomplete`] when a sheet looks like a form but lacks a whole block.
pub fn forms(path: &Path, bytes: &[u8]) -> Result<Vec<SourcedForm>> {
    let sheets = source::sheets(bytes).map_err(|e| workbook_error(path, e))?;
    // (sheet, form) of every sheet that holds one; (sheet, what is missing) of every sheet that
    // looks like a form but is not complete.
    let mut found: Vec<(&Sheet, SheetForm)> = Vec::new();
    let mut incomplete: Vec<(&Sheet, IncompleteSheet)> = Vec::new();
    for sheet in &sheets {
        match with_typed_formulas(bytes, sheet, form::read(sheet)) {
            SheetContent::Form(read) => found.push((sheet, *read)),
            SheetContent::Incomplete(what) => incomplete.push((sheet, what)),
            SheetContent::Nothing => {}
        }
    }
    if found.is_empty()
        && let Some((_, what)) = incomplete
            .iter()
            .find(|(sheet, _)| !sheet.hidden.sheet)
            .or(incomplete.first())
    {
        return Err(Error::FormIncomplete {
            path: path.to_path_buf(),
            message: what.text(),
        });
    }
    keep_shown(&mut found, &incomplete);
    for (sheet, read) in &found {
        limits::check_form(&read.form, Some(&read.cells)).map_err(|source| {
            workbook_error(
                path,
                SourceError::SheetOverLimit {
                    sheet: sheet.name.clone(),
                    source,
                },
            )
        })?;
    }
    if found.is_empty() {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::NoForm {
            path: path.to_path_buf(),
            sheets: if names.is_empty() {
                "无".to_string()
            } else {
                text::sheet_list(&names)
            },
        });
    }
    let several = found.len() > 1;
    Ok(found
        .into_iter()
        .map(|(_, read)| SourcedForm {
            source: if several {
                format!("{}#{}", path.display(), read.cells.sheet)
            } else {
                path.display().to_string()
            },
            form: read.form,
            cells: read.cells,
            shown: read.shown,
            findings: read.findings,
        })
        .collect())
}

/// The forms that are filed, each told what was left: a hidden sheet's form is dropped when
/// a shown sheet holds one (and the forms kept say which hidden sheets were left), kept with
/// a warning when only hidden sheets hold forms; a shown sheet that looks like a form but is
/// not one (a 汇总 of several projects, a form left half done) is said on every form read.
fn keep_shown(found: &mut Vec<(&Sheet, SheetForm)>, incomplete: &[(&Sheet, IncompleteSheet)]) {
    fn say(found: &mut [(&Sheet, SheetForm)], message: SheetMessage) {
        for (_, read) in found {
            read.findings.push(Finding::of_form(message.clone()));
        }
    }
    if found.iter().any(|(sheet, _)| !sheet.hidden.sheet) {
        let skipped: Vec<String> = found
            .iter()
            .filter(|(sheet, _)| sheet.hidden.sheet)
            .map(|(sheet, _)| sheet.name.clone())
            .collect();
        if !skipped.is_empty() {
            found.retain(|(sheet, _)| !sheet.hidden.sheet);
            say(found, SheetMessage::HiddenSkipped { sheets: skipped });
        }
    } else {
        for (sheet, read) in found.iter_mut() {
            let message = SheetMessage::Hidden {
                sheet: sheet.name.clone(),
            };
            read.findings.push(Finding::of_form(message));
        }
    }
    for (_, what) in incomplete.iter().filter(|(s, _)| !s.hidden.sheet) {
        say(found, SheetMessage::IncompleteSkipped(what.clone()));
    }
}

/// The form read again when fields it needs show nothing but hold a formula without a result
/// in an `.xlsx`: a value typed with a leading `=` (`=8个`) is read as that text, a formula
/// that calculates stays blank and is said to have no result. Most forms have no such field
/// and are returned as they were read.
fn with_typed_formulas(bytes: &[u8], sheet: &Sheet, found: SheetContent) -> SheetContent {
    let SheetContent::Form(read) = &found else {
        return found;
    };
    let blank = read.blank_figures(sheet);
    if blank.is_empty() || sniff::container(bytes) != Container::Zip {
        return found;
    }
    // The sheet was read once already: a panic here is a damaged part, and the form stands.
    let typed = std::panic::catch_unwind(|| xlsx::typed_formulas(bytes, &sheet.name, &blank));
    match typed {
        Ok(Ok(mut typed)) => {
            // A formula showing an error keeps it: the file holds that result.
            typed.retain(|c| {
                !matches!(c.value, SheetValue::Uncalculated(_)) || sheet.own(c.at).is_none()
            });
            if typed.is_empty() {
                found
            } else {
                form::read(&sheet.with_cells(typed))
            }
        }
        _ => found,
    }
}
