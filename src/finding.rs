//! Findings: what is wrong with a form, or worth knowing, as data — never an error.
//!
//! Reading and validation both make them; the report resolves where each points to a cell.

use std::fmt;

use serde::Serialize;

use crate::model::{CellRef, Field};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The form is wrong and must be corrected.
    Error,
    /// Probably wrong, or cannot be checked; look at it.
    Warning,
    /// Worth knowing (a discretionary deduction and its reason).
    Info,
}

impl Severity {
    /// The severity as the report shows it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One finding about a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable code, e.g. `indicator-overstated`.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// The field it concerns, when it concerns one.
    pub field: Option<Field>,
    /// The worksheet cell it concerns when that is no field of the form (a row the reader did
    /// not take for an indicator, a header it did not know).
    pub at: Option<CellRef>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl Finding {
    /// A finding about `field` (or the whole form).
    pub fn new(
        code: &'static str,
        severity: Severity,
        field: Option<Field>,
        message: String,
    ) -> Self {
        Finding {
            code,
            severity,
            field,
            at: None,
            message,
        }
    }

    /// A finding about a cell of the worksheet.
    pub fn at(code: &'static str, severity: Severity, at: CellRef, message: String) -> Self {
        Finding {
            code,
            severity,
            field: None,
            at: Some(at),
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
