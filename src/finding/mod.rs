//! Findings: what is wrong with a form, or worth knowing, as data — never an error.
//!
//! Every finding has a [`Code`] of the catalogue ([`code`]), which gives its severity and its
//! rule, and a Chinese message made from typed data by the `message` module. Reading and
//! validation both make them; the report resolves where each points to a cell.
//!
//! Only data lives here (below `model`, which holds the reader's findings): the messages,
//! which need the form's types and the vocabulary, are built above.

use crate::field::{CellRef, Field};

pub mod code;

pub use code::{Code, Severity};

/// One finding about a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its code in the catalogue, e.g. `indicator-overstated`.
    pub code: Code,
    /// How serious it is: always `code.severity()`.
    pub severity: Severity,
    /// The field it concerns, when it concerns one.
    pub field: Option<Field>,
    /// The worksheet cell it concerns when that is no field of the form (a row the reader did
    /// not take for an indicator, a header it did not know).
    pub at: Option<CellRef>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

/// Findings are made from a typed message (the `message` module: `Finding::about`,
/// `Finding::of_form`, `Finding::at_cell`), so that the code, the severity and the text
/// always agree.
impl Finding {
    /// A finding of `code` with its severity: for the `message` module only.
    pub(crate) fn made(
        code: Code,
        field: Option<Field>,
        at: Option<CellRef>,
        message: String,
    ) -> Self {
        Finding {
            code,
            severity: code.severity(),
            field,
            at,
            message,
        }
    }

    /// The same finding, also about `field`: a cell of the worksheet that shows a field (the
    /// 一级 cell of a group), so that the report names the cell and a rendered form marks it.
    pub fn on(mut self, field: Field) -> Self {
        self.field = Some(field);
        self
    }
}
