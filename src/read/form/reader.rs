//! What the reading of one sheet builds up — the form, the cell of every field, what the
//! sheet showed of derived values, the findings — and the one way to say something about a
//! cell.

use super::cells::Cells;
use crate::finding::Finding;
use crate::message::Message;
use crate::model::{CellRef, Form, Shown, SourceCells};

/// What the reading of one sheet builds up.
pub struct FormReader<'s, 'a> {
    /// The sheet, as the form reader sees it.
    pub cells: &'s Cells<'a>,
    /// Where each field came from.
    pub sources: SourceCells,
    /// The form.
    pub form: Form,
    /// Derived values the sheet showed.
    pub shown: Shown,
    /// What reading noticed.
    pub findings: Vec<Finding>,
}

impl<'s, 'a> FormReader<'s, 'a> {
    /// A reader of the sheet `cells` shows, with nothing read yet.
    pub fn new(cells: &'s Cells<'a>) -> Self {
        FormReader {
            cells,
            sources: SourceCells::new(cells.sheet.name.clone()),
            form: Form::default(),
            shown: Shown::default(),
            findings: Vec::new(),
        }
    }

    /// A finding saying `message` about a cell of the sheet.
    pub fn note(&mut self, at: CellRef, message: impl Into<Message>) {
        self.findings.push(Finding::at_cell(at, message));
    }
}
