//! Messages of the reader about the rows of the indicator table it did not read as
//! indicators (a continued page's title, remarks, subtotals, template rows, rows without a
//! name or without values, rows after the total) and about 分值 or 得分 it could not use.

use super::names::{quoted, row_number};
use crate::field::CellRef;
use crate::finding::Code;
use crate::vocabulary::Column;

/// What the reader says about a row of the indicator table; every row is zero-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowMessage {
    /// `row-continued-title`: the title repeated over a continued page.
    ContinuedTitle {
        /// The row.
        row: u32,
    },
    /// `row-remark`: a remark between the indicators.
    Remark {
        /// The row.
        row: u32,
    },
    /// `row-subtotal`: a subtotal row.
    Subtotal {
        /// The row.
        row: u32,
    },
    /// `row-unplaced`: a header or label text where the 三级 name belongs.
    NameIsLabel {
        /// The row.
        row: u32,
        /// The text.
        name: String,
    },
    /// `row-unplaced`: values without a 三级 name.
    Unnamed {
        /// The row.
        row: u32,
    },
    /// `row-placeholder`: a template row (`指标1`, `……`) without values.
    Placeholder {
        /// The row.
        row: u32,
        /// Its name.
        name: String,
    },
    /// `name-prefix`: a template's numbering left before a 三级 name (`指标1:`), read without it.
    NamePrefix {
        /// The row.
        row: u32,
        /// The name as written.
        written: String,
        /// The name read.
        name: String,
    },
    /// `row-incomplete`: a 三级 name without target, actual value, 分值 or 得分.
    Incomplete {
        /// The row.
        row: u32,
        /// Its name.
        name: String,
    },
    /// `row-detail`: a `其中…` row without 分值 and 得分.
    Detail {
        /// The row.
        row: u32,
        /// Its name.
        name: String,
    },
    /// `figure-unreadable`: a 分值 or 得分 that is no number, read as missing.
    FigureNotNumber {
        /// The row.
        row: u32,
        /// 分值 or 得分.
        column: Column,
        /// What the cell shows.
        written: String,
    },
    /// `figure-unreadable`: a 分值 or 得分 cell merged with the rows above.
    FigureMerged {
        /// The row.
        row: u32,
        /// 分值 or 得分.
        column: Column,
        /// The merged cell.
        at: CellRef,
    },
    /// `rows-after-total`: a row after the total that still holds an indicator.
    AfterTotal {
        /// The total row.
        total_row: u32,
        /// The row.
        row: u32,
    },
}

impl RowMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            RowMessage::ContinuedTitle { .. } => Code::RowContinuedTitle,
            RowMessage::Remark { .. } => Code::RowRemark,
            RowMessage::Subtotal { .. } => Code::RowSubtotal,
            RowMessage::NameIsLabel { .. } | RowMessage::Unnamed { .. } => Code::RowUnplaced,
            RowMessage::Placeholder { .. } => Code::RowPlaceholder,
            RowMessage::NamePrefix { .. } => Code::NamePrefix,
            RowMessage::Incomplete { .. } => Code::RowIncomplete,
            RowMessage::Detail { .. } => Code::RowDetail,
            RowMessage::FigureNotNumber { .. } | RowMessage::FigureMerged { .. } => {
                Code::FigureUnreadable
            }
            RowMessage::AfterTotal { .. } => Code::RowsAfterTotal,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        match self {
            RowMessage::ContinuedTitle { row } => {
                format!("第 {} 行是续页的表题，不作为指标读取", row_number(*row))
            }
            RowMessage::Remark { row } => format!(
                "第 {} 行是表格中的说明文字，不作为指标读取",
                row_number(*row)
            ),
            RowMessage::Subtotal { row } => {
                format!("第 {} 行是小计行，不作为指标读取", row_number(*row))
            }
            RowMessage::NameIsLabel { row, name } => format!(
                "第 {} 行的“{}”是表头或栏目文字，不是三级指标，该行未作为指标读取：请核实",
                row_number(*row),
                quoted(name)
            ),
            RowMessage::Unnamed { row } => format!(
                "第 {} 行有年度指标值、实际完成值、分值或得分，但没有三级指标名称，未作为指标读取：请补上指标名称或删除该行",
                row_number(*row)
            ),
            RowMessage::Placeholder { row, name } => format!(
                "第 {} 行“{}”是模板的占位行，未作为指标读取：请删除该行，或填写实际的指标",
                row_number(*row),
                quoted(name)
            ),
            RowMessage::NamePrefix { row, written, name } => format!(
                "第 {} 行三级指标“{}”前面留有模板的编号，按“{}”读取：请删去编号",
                row_number(*row),
                quoted(written),
                quoted(name)
            ),
            RowMessage::Incomplete { row, name } => format!(
                "第 {} 行三级指标“{}”没有年度指标值、实际完成值、分值和得分，未作为指标读取：请补全或删除该行",
                row_number(*row),
                quoted(name)
            ),
            RowMessage::Detail { row, name } => format!(
                "第 {} 行“{}”是明细行（没有分值和得分），不作为指标计分",
                row_number(*row),
                quoted(name)
            ),
            RowMessage::FigureNotNumber {
                row,
                column,
                written,
            } => format!(
                "第 {} 行的{}“{}”不是数字，按未填写读取：请填写数字",
                row_number(*row),
                column.label(),
                quoted(written)
            ),
            RowMessage::FigureMerged { row, column, at } => {
                let what = column.label();
                format!(
                    "第 {} 行的{what}单元格与上面的行合并（{at}），本行没有自己的{what}：请为每个指标分别填写{what}",
                    row_number(*row)
                )
            }
            RowMessage::AfterTotal { total_row, row } => format!(
                "总分行（第 {} 行）之后的第 {} 行仍有指标内容，未读取：请核实表格，总分行应在全部指标之后",
                row_number(*total_row),
                row_number(*row)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_the_filer_sees_them_and_names_quoted() {
        let title = RowMessage::ContinuedTitle { row: 20 };
        assert_eq!(title.code(), Code::RowContinuedTitle);
        assert_eq!(title.text(), "第 21 行是续页的表题，不作为指标读取");
        let long = RowMessage::Placeholder {
            row: 0,
            name: format!("指标1{}\n", "…".repeat(50)),
        };
        let text = long.text();
        assert!(
            text.starts_with("第 1 行“指标1") && !text.contains('\n'),
            "{text}"
        );
        let merged = RowMessage::FigureMerged {
            row: 14,
            column: Column::Weight,
            at: CellRef { row: 13, col: 5 },
        };
        assert_eq!(merged.code(), Code::FigureUnreadable);
        assert_eq!(
            merged.text(),
            "第 15 行的分值单元格与上面的行合并（F14），本行没有自己的分值：请为每个指标分别填写分值"
        );
    }
}
