//! Above both floors: the orchestration of a published PDF, as `workbook` is of a workbook. each table of a PDF read as a form where it
//! holds one (`FILE#页码` when the file holds several), the other tables — a 决算公开's 收支
//! tables — skipped and counted, every cell of a form named with its page (`第2页 F14`).

use std::path::Path;

use super::form::{self, SheetContent};
use super::limits;
use super::source::SourceError;
use super::source::pdf::{PdfError, PdfLimit, tables};
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::message::{IncompleteSheet, SheetMessage};
use crate::model::SourcedForm;

/// Every form in the PDF `bytes` read from `path`.
///
/// # Errors
/// [`Error::Source`] when the PDF cannot be read or holds no form, [`Error::FormIncomplete`]
/// when its only form-like table lacks a whole block.
pub fn forms(path: &Path, bytes: &[u8]) -> Result<Vec<SourcedForm>> {
    let pdf_error = |error: PdfError| Error::Source {
        path: path.to_path_buf(),
        source: Box::new(SourceError::Pdf(error)),
    };
    let pdf = tables(bytes).map_err(pdf_error)?;
    let mut found = Vec::new();
    let mut incomplete: Option<IncompleteSheet> = None;
    let mut skipped = 0usize;
    for table in &pdf.tables {
        match form::read(&table.sheet) {
            SheetContent::Form(read) => found.push((table, *read)),
            SheetContent::Incomplete(what) => {
                skipped += 1;
                incomplete.get_or_insert(IncompleteSheet {
                    printed: true,
                    ..what
                });
            }
            SheetContent::Nothing => skipped += 1,
        }
    }
    if found.is_empty() {
        if let Some(what) = incomplete {
            return Err(Error::FormIncomplete {
                path: path.to_path_buf(),
                message: what.text(),
            });
        }
        return Err(pdf_error(PdfError::NoForm {
            pages: pdf.pages,
            tables: pdf.tables.len(),
        }));
    }
    let several = found.len() > 1;
    let mut out = Vec::with_capacity(found.len());
    for (k, (table, mut read)) in found.into_iter().enumerate() {
        limits::check_form(&read.form, Some(&read.cells)).map_err(|source| {
            pdf_error(PdfError::TooLarge(PdfLimit::Form {
                page: table.first_page,
                source,
            }))
        })?;
        read.cells.set_pages(table.pages.clone());
        if k == 0 && skipped > 0 {
            read.findings
                .push(Finding::of_form(SheetMessage::TablesSkipped {
                    count: skipped,
                }));
        }
        out.push(SourcedForm {
            source: if several {
                format!("{}#{}", path.display(), table.first_page)
            } else {
                path.display().to_string()
            },
            form: read.form,
            cells: read.cells,
            shown: read.shown,
            findings: read.findings,
        });
    }
    Ok(out)
}
