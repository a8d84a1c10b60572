//! Messages of the reader about the workbook and the sheet as a whole: which sheets were read
//! or left (hidden, incomplete, a second form), hidden rows and columns left unread, formulas
//! without a result and error values.

use super::names::{column_letters, quoted, row_number, sheet};
use crate::field::CellRef;
use crate::finding::Code;
use crate::text;

/// How many hidden rows (and how many hidden columns) a `hidden-content` message lists.
const LISTED_HIDDEN: usize = 5;

/// A sheet that looks like a form (two of its blocks are there) but lacks its indicator
/// table: not read. Said as the error of a workbook with no other form, or beside the forms
/// read ([`SheetMessage::IncompleteSkipped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncompleteSheet {
    /// The sheet's name: for a table of a PDF, its first page.
    pub sheet: String,
    /// True for a table of a PDF, named by its first page (`第 3 页的表格`).
    pub printed: bool,
}

impl IncompleteSheet {
    /// What the sheet lacks, naming it.
    pub fn text(&self) -> String {
        let what = if self.printed {
            format!("第 {} 页的表格", quoted(&self.sheet))
        } else {
            format!("工作表“{}”", quoted(&self.sheet))
        };
        format!("{what}缺少“绩效指标”表头（一级指标、二级指标、三级指标…），无法审核")
    }
}

/// What the reader says about the workbook or the sheet as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetMessage {
    /// `sheet-hidden`: the form was read from a hidden sheet, no shown sheet holding one.
    Hidden {
        /// The sheet's name.
        sheet: String,
    },
    /// `hidden-sheet-skipped`: hidden sheets hold forms too, not read beside a shown one.
    HiddenSkipped {
        /// Their names.
        sheets: Vec<String>,
    },
    /// `sheet-incomplete-skipped`: another sheet looks like a form but is not complete.
    IncompleteSkipped(IncompleteSheet),
    /// `pdf-tables-skipped`: tables of a PDF that hold no form (a 决算公开's 收支 tables).
    TablesSkipped {
        /// How many.
        count: usize,
    },
    /// `sheet-more-forms`: the indicator header starts over to the right (一级指标 again).
    FormBeside {
        /// Where it starts over.
        at: CellRef,
    },
    /// `sheet-more-forms`: a second form (its title or 项目名称) under the first.
    FormBelow {
        /// Its first row, zero-based.
        row: u32,
    },
    /// `hidden-content` (`among_read`) or `hidden-content-outside`: hidden rows and columns
    /// that held something, left unread.
    HiddenCells {
        /// The hidden rows, zero-based, in order.
        rows: Vec<u32>,
        /// The hidden columns, zero-based, in order.
        cols: Vec<u16>,
        /// True when a hidden cell stands among the cells the form was read from.
        among_read: bool,
    },
    /// `formula-no-value`: a field read as the text of its formula, the file keeping no
    /// result.
    FormulaNoValue {
        /// The cell.
        at: CellRef,
        /// The formula, without its `=`.
        formula: String,
    },
    /// `formula-uncalculated`: a field read as blank, its formula having no result (or an
    /// empty one).
    FormulaUncalculated {
        /// The cell.
        at: CellRef,
        /// The formula, without its `=`.
        formula: String,
    },
    /// `layout-source-none`: `--layout source` asked for the layout of a file that has no
    /// sheet to take it from (a data file): the form is shown in `layout`.
    NoSourceLayout {
        /// The layout it is shown in instead.
        layout: String,
    },
    /// `cell-error`: a field read as blank, its cell showing an error value.
    ErrorValue {
        /// The cell.
        at: CellRef,
        /// The error shown (`#DIV/0!`).
        shown: String,
    },
}

impl SheetMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            SheetMessage::Hidden { .. } => Code::SheetHidden,
            SheetMessage::HiddenSkipped { .. } => Code::HiddenSheetSkipped,
            SheetMessage::IncompleteSkipped(_) => Code::SheetIncompleteSkipped,
            SheetMessage::TablesSkipped { .. } => Code::PdfTablesSkipped,
            SheetMessage::FormBeside { .. } | SheetMessage::FormBelow { .. } => {
                Code::SheetMoreForms
            }
            SheetMessage::HiddenCells {
                among_read: true, ..
            } => Code::HiddenContent,
            SheetMessage::HiddenCells { .. } => Code::HiddenContentOutside,
            SheetMessage::FormulaNoValue { .. } => Code::FormulaNoValue,
            SheetMessage::FormulaUncalculated { .. } => Code::FormulaUncalculated,
            SheetMessage::ErrorValue { .. } => Code::CellError,
            SheetMessage::NoSourceLayout { .. } => Code::LayoutSourceNone,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        let one_form = "每张工作表只读取第一份，请把每份表放在单独的工作表中";
        match self {
            SheetMessage::Hidden { sheet: name } => format!(
                "工作表“{}”已隐藏（屏幕与打印均不显示），工作簿中没有显示的自评表，仍按此表读取：请核实这是要报送的表",
                sheet(name)
            ),
            SheetMessage::HiddenSkipped { sheets } => {
                let names: Vec<&str> = sheets.iter().map(String::as_str).collect();
                format!(
                    "已隐藏的工作表（{}）中另有自评表，未读取（屏幕与打印均不显示）：以显示的工作表为准",
                    text::sheet_list(&names)
                )
            }
            SheetMessage::IncompleteSkipped(incomplete) => {
                format!(
                    "另一个工作表不是完整的自评表，未读取：{}",
                    incomplete.text()
                )
            }
            SheetMessage::NoSourceLayout { layout } => format!(
                "这份表来自数据文件，没有可沿用的原表表样，按默认表样“{}”输出",
                quoted(layout)
            ),
            SheetMessage::TablesSkipped { count } => {
                format!("PDF 中另有 {count} 个表格不是自评表（收支表等），未读取")
            }
            SheetMessage::FormBeside { at } => {
                format!("{at} 起的表头又从一级指标开始，似乎右侧还有一份自评表：{one_form}")
            }
            SheetMessage::FormBelow { row } => {
                format!("第 {} 行起似乎还有一份自评表：{one_form}", row_number(*row))
            }
            SheetMessage::HiddenCells { rows, cols, .. } => format!(
                "{}已隐藏，其中的内容未读取（屏幕与打印均不显示）",
                hidden_cells(rows, cols)
            ),
            SheetMessage::FormulaNoValue { at, formula } => format!(
                "单元格 {at} 是公式“={}”，文件中没有它的计算结果，已按公式原文读取：请在 Excel/WPS 中打开、重新计算并保存，或直接填写内容",
                quoted(formula)
            ),
            SheetMessage::FormulaUncalculated { at, formula } => format!(
                "单元格 {at} 是公式“={}”，文件中没有它的计算结果（或结果为空），按空白读取：如果保存文件的程序没有计算公式，请在 Excel/WPS 中打开、重新计算并保存后再检查",
                quoted(formula)
            ),
            SheetMessage::ErrorValue { at, shown } => format!(
                "单元格 {at} 显示错误值“{}”（公式无法计算），按空白读取：请改为直接填写内容",
                quoted(shown)
            ),
        }
    }
}

/// Hidden rows and columns as a message lists them: `第 16、17 行、D、G 列`; past
/// [`LISTED_HIDDEN`], `第 … 行等 8 行`.
fn hidden_cells(rows: &[u32], cols: &[u16]) -> String {
    let list = |items: Vec<String>, before: &str, unit: &str| {
        let mut out = format!(
            "{before}{} {unit}",
            items[..items.len().min(LISTED_HIDDEN)].join("、")
        );
        if items.len() > LISTED_HIDDEN {
            out.push_str(&format!("等 {} {unit}", items.len()));
        }
        out
    };
    let mut parts = Vec::new();
    if !rows.is_empty() {
        let rows = rows.iter().map(|r| row_number(*r).to_string()).collect();
        parts.push(list(rows, "第 ", "行"));
    }
    if !cols.is_empty() {
        let cols = cols.iter().map(|c| column_letters(*c)).collect();
        parts.push(list(cols, "", "列"));
    }
    parts.join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_and_columns_are_listed_up_to_five() {
        let said = |among_read| SheetMessage::HiddenCells {
            rows: (13..20).collect(),
            cols: vec![11, 12],
            among_read,
        };
        assert_eq!(said(true).code(), Code::HiddenContent);
        assert_eq!(said(false).code(), Code::HiddenContentOutside);
        assert_eq!(
            said(true).text(),
            "第 14、15、16、17、18 行等 7 行、L、M 列已隐藏，其中的内容未读取（屏幕与打印均不显示）"
        );
    }

    #[test]
    fn sheet_names_are_bounded_and_escaped() {
        let long = "旧稿".repeat(30);
        let text = SheetMessage::Hidden {
            sheet: format!("{long}\n"),
        }
        .text();
        assert!(!text.contains('\n') && text.contains('…'), "{text}");
        let sheets = (0..7).map(|i| format!("稿{i}")).collect();
        let text = SheetMessage::HiddenSkipped { sheets }.text();
        assert!(
            text.starts_with("已隐藏的工作表（稿0、稿1、稿2、稿3、稿4 等 7 个工作表）"),
            "{text}"
        );
        let incomplete = SheetMessage::IncompleteSkipped(IncompleteSheet {
            sheet: " 汇总 ".into(),
            printed: false,
        });
        assert_eq!(incomplete.code(), Code::SheetIncompleteSkipped);
        assert_eq!(
            incomplete.text(),
            "另一个工作表不是完整的自评表，未读取：工作表“汇总”缺少“绩效指标”表头（一级指标、二级指标、三级指标…），无法审核"
        );
    }
}
