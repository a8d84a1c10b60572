//! The Chinese message of every finding, built in one place from typed data: a producer says
//! what it found ([`FundsMessage::Overspent`] with the row and both figures, [`RowMessage::Placeholder`]
//! with the row and its name) and [`Message::text`] writes the sentence, naming fields by the
//! vocabulary's names ([`crate::vocabulary::Vocabulary::field_name`]) and quoting text from the
//! file through [`crate::text`] (bounded, escaped).
//!
//! The code of a finding follows from its message ([`Message::code`]), its severity from the
//! code ([`crate::finding::code`]). This module sits above `model`, `score` and `vocabulary`
//! (whose types the messages carry), below `read` and `validate`, which make the findings;
//! `finding` below them all keeps only the data, so that `model` can hold findings. It never
//! uses `read`: what the reader says is carried in the crate's shared types (cells, rows,
//! columns, units) and plain text.

use crate::field::{CellRef, Field};
use crate::finding::{Code, Finding};

mod department;
mod form;
mod funds;
mod indicator;
mod names;
mod row;
mod sheet;
mod table;
mod tree;

pub use department::{DepartmentMessage, KindEvidence};
pub use form::FormMessage;
pub use funds::FundsMessage;
pub use indicator::{IndicatorMessage, Scoring};
pub use names::IndicatorName;
pub use row::RowMessage;
pub use sheet::{IncompleteSheet, SheetMessage};
pub use table::{IgnoredColumn, TableMessage};
pub use tree::{TreeMessage, TreeRow};

/// What a finding says, by subject: first what the reader says (what it read with a guess
/// or left unread), then what validation says.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// About the workbook and the sheet as a whole.
    Sheet(SheetMessage),
    /// About the funds block and the indicator table as read: headers, units, extent.
    Table(TableMessage),
    /// About a row of the indicator table not read as an indicator, or its figures.
    Row(RowMessage),
    /// About the form as a whole: its header, goals, texts, 分值 and 总分.
    Form(FormMessage),
    /// About the funds block.
    Funds(FundsMessage),
    /// About the indicator tree: 一级/二级 and the subtotals printed in 一级 cells.
    Tree(TreeMessage),
    /// About one indicator, named in the message.
    Indicator(IndicatorName, IndicatorMessage),
    /// About a department form, or the kind a sheet was read as.
    Department(DepartmentMessage),
}

impl Message {
    /// The code of the catalogue this message is said under.
    pub fn code(&self) -> Code {
        match self {
            Message::Sheet(m) => m.code(),
            Message::Table(m) => m.code(),
            Message::Row(m) => m.code(),
            Message::Form(m) => m.code(),
            Message::Funds(m) => m.code(),
            Message::Tree(m) => m.code(),
            Message::Indicator(_, m) => m.code(),
            Message::Department(m) => m.code(),
        }
    }

    /// The message, in Chinese: what is wrong and what to do.
    pub fn text(&self) -> String {
        match self {
            Message::Sheet(m) => m.text(),
            Message::Table(m) => m.text(),
            Message::Row(m) => m.text(),
            Message::Form(m) => m.text(),
            Message::Funds(m) => m.text(),
            Message::Tree(m) => m.text(),
            Message::Indicator(who, m) => m.text(who),
            Message::Department(m) => m.text(),
        }
    }
}

impl From<SheetMessage> for Message {
    fn from(m: SheetMessage) -> Message {
        Message::Sheet(m)
    }
}

impl From<TableMessage> for Message {
    fn from(m: TableMessage) -> Message {
        Message::Table(m)
    }
}

impl From<RowMessage> for Message {
    fn from(m: RowMessage) -> Message {
        Message::Row(m)
    }
}

impl From<FormMessage> for Message {
    fn from(m: FormMessage) -> Message {
        Message::Form(m)
    }
}

impl From<FundsMessage> for Message {
    fn from(m: FundsMessage) -> Message {
        Message::Funds(m)
    }
}

impl From<DepartmentMessage> for Message {
    fn from(m: DepartmentMessage) -> Message {
        Message::Department(m)
    }
}

impl From<TreeMessage> for Message {
    fn from(m: TreeMessage) -> Message {
        Message::Tree(m)
    }
}

/// Findings made from a message: the only way to make one.
impl Finding {
    /// A finding saying `message` about the whole form.
    pub fn of_form(message: impl Into<Message>) -> Finding {
        let message = message.into();
        Finding::made(message.code(), None, None, message.text())
    }

    /// A finding saying `message` about `field`.
    pub fn about(field: Field, message: impl Into<Message>) -> Finding {
        let message = message.into();
        Finding::made(message.code(), Some(field), None, message.text())
    }

    /// A finding saying `message` about a cell of the worksheet that is no field of the form.
    pub fn at_cell(cell: CellRef, message: impl Into<Message>) -> Finding {
        let message = message.into();
        Finding::made(message.code(), None, Some(cell), message.text())
    }
}

impl IndicatorName {
    /// A message about this indicator.
    pub fn says(&self, message: IndicatorMessage) -> Message {
        Message::Indicator(self.clone(), message)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::field::{FundsColumn, FundsRowKind};

    #[test]
    fn indicators_are_named_by_their_name_or_their_place() {
        assert_eq!(
            IndicatorName::new(2, " 运维系统数量 ").to_string(),
            "指标“运维系统数量”"
        );
        assert_eq!(IndicatorName::new(2, "  ").to_string(), "第 3 条指标");
    }

    #[test]
    fn a_finding_takes_its_code_and_severity_from_its_message() {
        let f = Finding::about(
            Field::Funds(FundsRowKind::Other, FundsColumn::Executed),
            FundsMessage::Overspent {
                row: FundsRowKind::Other,
                basis: FundsColumn::Budget,
                budget: Decimal::new(1800, 2),
                executed: Decimal::new(1950, 2),
            },
        );
        assert_eq!(f.code, Code::FundsOverspent);
        assert_eq!(f.severity, Code::FundsOverspent.severity());
        assert_eq!(
            f.message,
            "其他资金的全年执行数(C) 19.50 大于全年预算数(B) 18.00：执行数不能超过预算数"
        );
        let at = CellRef { row: 4, col: 1 };
        let f = Finding::at_cell(at, FormMessage::IndicatorsMissing);
        assert_eq!((f.at, f.field), (Some(at), None));
    }
}
