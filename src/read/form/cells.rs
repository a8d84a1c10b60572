//! The `Cells` view of a sheet that the form is read over: every label-sized text cell,
//! normalised once and classified by every section of the vocabulary, in reading order, with
//! the sheet's cells (through merges) beside them. It knows nothing of file formats.

use crate::model::CellRef;
use crate::read::sheet::{Sheet, SheetValue};
use crate::vocabulary::{self, Roles, RowLabel, fold};

/// Cells longer than this (in characters) are text, not labels; inline header fields
/// (`项目名称：某项目`) may be longer.
pub const MAX_LABEL: usize = 40;

/// The most rows a header cell is merged over and still read as a header of its last row.
const HEADER_SPAN: u32 = 4;

/// A text cell short enough to be a label, normalised once.
#[derive(Debug, Clone)]
pub struct Label<'a> {
    /// The cell (the top-left cell of its merged region).
    pub at: CellRef,
    /// The bottom-right cell of its region (`at` when not merged).
    pub last: CellRef,
    /// The text as written.
    pub text: &'a str,
    /// The text normalised for matching.
    pub norm: String,
    /// What the text is in each section of the vocabulary.
    pub roles: Roles,
}

impl Label<'_> {
    /// The row label this cell is: a short text, or the start of the notes or a footer.
    pub fn row(&self) -> Option<RowLabel> {
        let long = self.text.chars().nth(MAX_LABEL).is_some();
        self.roles
            .row
            .filter(|r| !long || matches!(r, RowLabel::Notes | RowLabel::Footer))
    }
}

/// A sheet as the form reader sees it: its cells, and every label-sized text cell of it in
/// reading order.
pub struct Cells<'a> {
    pub sheet: &'a Sheet,
    pub labels: Vec<Label<'a>>,
}

impl<'a> Cells<'a> {
    /// The view of `sheet`.
    pub fn new(sheet: &'a Sheet) -> Cells<'a> {
        let v = vocabulary::get();
        let labels = sheet
            .cells()
            .iter()
            .filter_map(|cell| match &cell.value {
                SheetValue::Text(t)
                    if t.chars().take(4 * MAX_LABEL + 1).count() <= 4 * MAX_LABEL =>
                {
                    // Most cells are no label: kept (an unknown header is read by its
                    // place), but not normalised and looked up.
                    let (norm, roles) = if v.may_be_label(t) {
                        let norm = fold::label(t);
                        let roles = v.classify(&norm);
                        (norm, roles)
                    } else {
                        (String::new(), Roles::default())
                    };
                    Some(Label {
                        at: cell.at,
                        last: sheet.last_of(cell.at),
                        text: t,
                        norm,
                        roles,
                    })
                }
                _ => None,
            })
            .collect();
        Cells { sheet, labels }
    }

    /// The labels whose region covers `row`: written in it, or merged down into it from the
    /// few rows above (a header cell spans at most [`HEADER_SPAN`] rows; looking no further
    /// keeps a sheet of many merged rows cheap).
    pub fn covering(&self, row: u32) -> impl Iterator<Item = &Label<'a>> {
        let start = self
            .labels
            .partition_point(|l| l.at.row < row.saturating_sub(HEADER_SPAN - 1));
        let end = self.labels.partition_point(|l| l.at.row <= row);
        self.labels[start..end]
            .iter()
            .filter(move |l| row <= l.last.row)
    }

    /// The labels written in `row`.
    pub fn in_row(&self, row: u32) -> &[Label<'a>] {
        let start = self.labels.partition_point(|l| l.at.row < row);
        let end = self.labels.partition_point(|l| l.at.row <= row);
        &self.labels[start..end]
    }

    /// The row label of a cell of `row`: from its label, or, for a long text, from its start
    /// (the notes).
    pub fn row_label(&self, at: CellRef, value: &SheetValue) -> Option<RowLabel> {
        match self.at(at) {
            Some(label) => label.row(),
            None => row_label(value),
        }
    }

    /// The label written at `at`.
    pub fn at(&self, at: CellRef) -> Option<&Label<'a>> {
        self.labels
            .binary_search_by_key(&at, |l| l.at)
            .ok()
            .map(|i| &self.labels[i])
    }

    /// The value right of a label on its row: the next non-empty cell that is not itself a
    /// label of `is_label`, up to column `right`; with the cell it is in, or the first cell
    /// after the label when there is none.
    pub fn right_of(
        &self,
        label: &Label<'_>,
        right: u32,
        is_label: impl Fn(&Label<'_>) -> bool,
    ) -> (Option<&'a SheetValue>, CellRef) {
        let row = label.at.row;
        let start = u32::from(label.last.col) + 1;
        let limit = right.max(start + 8).min(u32::from(u16::MAX));
        let first = self.sheet.anchor(CellRef {
            row,
            col: start.min(limit) as u16,
        });
        for col in start..=limit {
            let (value, anchor) = self.sheet.get(CellRef {
                row,
                col: col as u16,
            });
            if anchor.row != row && anchor.col == col as u16 {
                continue; // a region that belongs to the row above
            }
            if self.at(anchor).is_some_and(&is_label) {
                break;
            }
            if let Some(v) = value
                && !v.is_blank()
            {
                return (Some(v), anchor);
            }
        }
        (None, first)
    }
}

/// What a row label of the indicator table says, for any cell: a short label, or the start
/// of a long text (the notes).
pub fn row_label(value: &SheetValue) -> Option<RowLabel> {
    let SheetValue::Text(t) = value else {
        return None;
    };
    let head: String = t.chars().take(2 * MAX_LABEL).collect();
    let n = fold::label(&head);
    let found = vocabulary::get().rows.find(&n)?;
    // A long cell is a row label only as the start of the notes or a footer text.
    let long = t.chars().nth(MAX_LABEL).is_some();
    (!long || matches!(found, RowLabel::Notes | RowLabel::Footer)).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_labels() {
        let t = |s: &str| row_label(&SheetValue::Text(s.to_string()));
        assert_eq!(t("总分"), Some(RowLabel::Total));
        assert_eq!(t("合 计"), Some(RowLabel::Total));
        assert_eq!(t("小计"), Some(RowLabel::Subtotal));
        assert_eq!(t("续上页"), Some(RowLabel::Continued));
        assert_eq!(
            t(
                "填报注意事项：\n1.得分一档最高不能超过该指标分值上限。2.定量指标若为正向指标，则得分计算方法应用全年实际值"
            ),
            Some(RowLabel::Notes)
        );
        assert_eq!(t("填表人：张三"), Some(RowLabel::Footer));
        assert_eq!(t("项目资金支付率"), None);
        assert_eq!(
            t("总分很高的一个指标名称写得很长很长很长很长很长很长很长很长很长很长很长"),
            None
        );
    }
}
