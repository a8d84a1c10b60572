//! Messages of the reader about the two tables of the form as read: the funds block (its
//! header, its 年度资金总额 row, its amount unit, rows of one kind added up) and the header of
//! the indicator table (columns missing, placed by position, not read) and where it ends.

use rust_decimal::Decimal;

use super::names::{funds_header_bare, funds_row, quoted, row_number};
use crate::field::{CellRef, FundsRowKind};
use crate::finding::Code;
use crate::model::{AmountUnit, FormKind};
use crate::vocabulary::{Column, FundsHeader};

/// Why a header cell of the indicator table was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoredColumn {
    /// No column of the form is called so, and its place fits none.
    Unknown,
    /// It names a column already read to its left.
    Repeated,
}

/// The funds block as the form's kind calls it: 项目资金, or 部门资金 for a department's whole
/// budget.
fn funds_block(kind: FormKind) -> &'static str {
    match kind {
        FormKind::Project => "项目资金",
        FormKind::Department => "部门资金",
    }
}

/// What the reader says about the tables of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableMessage {
    /// `funds-block-missing`: no funds header; the block named as the form's kind names it.
    FundsHeaderMissing(FormKind),
    /// `column-missing`: the funds header lacks 全年预算数 or 全年执行数.
    FundsColumnMissing {
        /// The header row, zero-based.
        header_row: u32,
        /// The column missing.
        column: FundsHeader,
        /// The form's kind, which names the block.
        kind: FormKind,
    },
    /// `funds-total-row-missing`: the funds block has no 年度资金总额 row.
    FundsTotalRowMissing(FormKind),
    /// `funds-unit-conflict`: a line above the form states another unit than the funds
    /// header (which is followed).
    FundsUnitConflict {
        /// The unit of the line (`单位：元`).
        line: AmountUnit,
        /// The unit of the funds header.
        header: AmountUnit,
    },
    /// `funds-cell-unit`: an amount writing another unit (`189500元`), converted.
    FundsCellUnit {
        /// The amount as written.
        written: String,
        /// The unit of the block.
        unit: AmountUnit,
        /// The amount in it.
        amount: Decimal,
    },
    /// `funds-row-merged`: a second row of one kind, added to the first.
    FundsRowMerged {
        /// The label of the second row.
        label: String,
        /// The first row of the kind, zero-based.
        first_row: u32,
        /// The kind.
        kind: FundsRowKind,
    },
    /// `column-missing`: the indicator header lacks a column the rules need.
    ColumnMissing {
        /// The first header row, zero-based.
        header_row: u32,
        /// The column.
        column: Column,
    },
    /// `column-missing-optional`: the indicator header lacks another column of the form.
    OptionalColumnMissing {
        /// The first header row, zero-based.
        header_row: u32,
        /// The column.
        column: Column,
    },
    /// `column-guessed`: a header the vocabulary does not know, read by its place.
    ColumnGuessed {
        /// The header's text.
        header: String,
        /// Its cell.
        at: CellRef,
        /// The column it was read as.
        column: Column,
    },
    /// `label-inferred`: a label none of the vocabulary's spellings match, read by its words.
    LabelInferred {
        /// The label's text.
        label: String,
        /// Its cell.
        at: CellRef,
        /// What it was read as, named by its usual spelling.
        read_as: String,
    },
    /// `column-ignored`: a header cell whose column was not read.
    ColumnIgnored {
        /// The header's text.
        header: String,
        /// Its cell.
        at: CellRef,
        /// Why.
        why: IgnoredColumn,
    },
    /// `total-row-missing`: the indicator table has no 总分 row.
    TotalRowMissing {
        /// The last row read, zero-based.
        last_row: u32,
    },
}

impl TableMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            TableMessage::FundsHeaderMissing(_) => Code::FundsBlockMissing,
            TableMessage::FundsColumnMissing { .. } | TableMessage::ColumnMissing { .. } => {
                Code::ColumnMissing
            }
            TableMessage::FundsTotalRowMissing(_) => Code::FundsTotalRowMissing,
            TableMessage::FundsUnitConflict { .. } => Code::FundsUnitConflict,
            TableMessage::FundsCellUnit { .. } => Code::FundsCellUnit,
            TableMessage::FundsRowMerged { .. } => Code::FundsRowMerged,
            TableMessage::OptionalColumnMissing { .. } => Code::ColumnMissingOptional,
            TableMessage::ColumnGuessed { .. } => Code::ColumnGuessed,
            TableMessage::LabelInferred { .. } => Code::LabelInferred,
            TableMessage::ColumnIgnored { .. } => Code::ColumnIgnored,
            TableMessage::TotalRowMissing { .. } => Code::TotalRowMissing,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        match self {
            TableMessage::FundsHeaderMissing(kind) => format!(
                "未找到“{}”表头（全年预算数、全年执行数、分值、执行率、得分）：无法审核预算执行情况",
                funds_block(*kind)
            ),
            TableMessage::FundsColumnMissing {
                header_row,
                column,
                kind,
            } => format!(
                "{}表头（第 {} 行）中没有“{}”列",
                funds_block(*kind),
                row_number(*header_row),
                funds_header_bare(*column)
            ),
            TableMessage::FundsTotalRowMissing(kind) => format!(
                "{}中没有“{}”行：无法计算执行率和预算执行得分",
                funds_block(*kind),
                funds_row(FundsRowKind::Total)
            ),
            TableMessage::FundsUnitConflict { line, header } => format!(
                "表格上方写明“单位：{}”，项目资金的表头却写明“{}”：金额按表头的{}读取，请核实并统一单位",
                line.as_str(),
                header.as_str(),
                header.as_str()
            ),
            TableMessage::FundsCellUnit {
                written,
                unit,
                amount,
            } => format!(
                "金额“{}”写明的单位与项目资金的单位（{}）不同，已折算为 {} {}：请统一单位",
                quoted(written),
                unit.as_str(),
                amount.normalize(),
                unit.as_str()
            ),
            TableMessage::FundsRowMerged {
                label,
                first_row,
                kind,
            } => format!(
                "“{}”与第 {} 行同属{}，金额已合并计入",
                quoted(label),
                row_number(*first_row),
                funds_row(*kind)
            ),
            TableMessage::ColumnMissing { header_row, column } => format!(
                "绩效指标表头（第 {} 行）中没有“{}”列：无法审核该项，请按表样补上这一列",
                row_number(*header_row),
                column.label()
            ),
            TableMessage::OptionalColumnMissing { header_row, column } => format!(
                "绩效指标表头（第 {} 行）中没有“{}”列",
                row_number(*header_row),
                column.label()
            ),
            TableMessage::ColumnGuessed { header, at, column } => format!(
                "表头“{}”（{at}）不是已知的列名，按位置读作“{}”：请核实，或改用表样的列名",
                quoted(header),
                column.label()
            ),
            TableMessage::LabelInferred { label, at, read_as } => format!(
                "“{}”（{at}）不是常见的写法，按其字词读作“{read_as}”：请核实",
                quoted(label)
            ),
            TableMessage::ColumnIgnored { header, at, why } => {
                let why = match why {
                    IgnoredColumn::Unknown => "不是已知的列名",
                    IgnoredColumn::Repeated => "与前面的列重复",
                };
                format!("表头“{}”（{at}）{why}，该列未读取", quoted(header))
            }
            TableMessage::TotalRowMissing { last_row } => format!(
                "未找到“总分”行：绩效指标读到第 {} 行为止，表格可能不完整",
                row_number(*last_row)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funds_rows_and_columns_are_named_by_the_vocabulary() {
        let missing = TableMessage::FundsColumnMissing {
            header_row: 3,
            column: FundsHeader::Budget,
            kind: FormKind::Project,
        };
        assert_eq!(missing.code(), Code::ColumnMissing);
        assert_eq!(
            missing.text(),
            "项目资金表头（第 4 行）中没有“全年预算数”列"
        );
        // A department's whole budget is no 项目资金.
        let missing = TableMessage::FundsTotalRowMissing(FormKind::Department);
        assert_eq!(
            missing.text(),
            "部门资金中没有“年度资金总额”行：无法计算执行率和预算执行得分"
        );
        let merged = TableMessage::FundsRowMerged {
            label: " 单位资金 ".into(),
            first_row: 6,
            kind: FundsRowKind::Other,
        };
        assert_eq!(
            merged.text(),
            "“单位资金”与第 7 行同属其他资金，金额已合并计入"
        );
        let converted = TableMessage::FundsCellUnit {
            written: "189500元".into(),
            unit: AmountUnit::WanYuan,
            amount: Decimal::new(189_500, 4),
        };
        assert_eq!(
            converted.text(),
            "金额“189500元”写明的单位与项目资金的单位（万元）不同，已折算为 18.95 万元：请统一单位"
        );
    }

    #[test]
    fn a_missing_column_is_an_error_only_when_the_rules_need_it() {
        let at = CellRef { row: 12, col: 0 };
        let required = TableMessage::ColumnMissing {
            header_row: 12,
            column: Column::Score,
        };
        let optional = TableMessage::OptionalColumnMissing {
            header_row: 12,
            column: Column::Deviation,
        };
        assert_eq!(required.code(), Code::ColumnMissing);
        assert_eq!(optional.code(), Code::ColumnMissingOptional);
        assert_eq!(
            required.text(),
            "绩效指标表头（第 13 行）中没有“得分”列：无法审核该项，请按表样补上这一列"
        );
        assert_eq!(
            optional.text(),
            "绩效指标表头（第 13 行）中没有“偏差原因分析及改进措施”列"
        );
        let ignored = TableMessage::ColumnIgnored {
            header: "备注".into(),
            at,
            why: IgnoredColumn::Unknown,
        };
        assert_eq!(
            ignored.text(),
            "表头“备注”（A13）不是已知的列名，该列未读取"
        );
    }
}
