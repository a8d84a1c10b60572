//! The grid: the finished form as positioned cells, shared by every writer.
//!
//! Cells with row/column spans, a small style table, column widths and row heights in points,
//! the text of every cell already wrapped into lines. It is checked when it is built (spans
//! inside the grid, no overlaps) and holds everything a writer needs: writers never look at
//! the form or the layout file again.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::{Error, Result};
use crate::score::round_like;
use crate::validate::Severity;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HAlign {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// Vertical alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VAlign {
    /// At the top.
    Top,
    /// Centred.
    Center,
}

/// How a cell looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Font size in points.
    pub size: f32,
    /// Bold face.
    pub bold: bool,
    /// Horizontal alignment.
    pub h_align: HAlign,
    /// Vertical alignment.
    pub v_align: VAlign,
    /// Thin borders on all four sides.
    pub border: bool,
    /// Background colour as 0xRRGGBB.
    pub fill: Option<u32>,
}

/// An index into [`Grid::styles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StyleId(pub usize);

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing.
    Empty,
    /// Text, shown as is.
    Text(String),
    /// A number shown with `decimals` decimals.
    Number {
        /// The value.
        value: Decimal,
        /// Decimals shown.
        decimals: u32,
    },
    /// A fraction shown as a percentage with `decimals` decimals (`0.9855` → `98.55%`).
    Percent {
        /// The fraction.
        value: Decimal,
        /// Decimals of the percentage shown.
        decimals: u32,
    },
    /// A spreadsheet formula (A1 references into this grid) and its result.
    Formula {
        /// The formula, starting with `=`.
        formula: String,
        /// The result: a number, a percentage, or empty.
        result: Box<Value>,
    },
}

impl Value {
    /// A number shown with the decimals it was written with (`18.950000` keeps six).
    pub fn number(value: Decimal) -> Value {
        Value::Number {
            value,
            decimals: value.scale(),
        }
    }

    /// The text the cell shows.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.clone(),
            Value::Number { value, decimals } => {
                let mut v = round_like(*value, Decimal::new(0, *decimals));
                v.rescale(*decimals);
                v.to_string()
            }
            Value::Percent { value, decimals } => {
                let mut v = round_like(crate::score::percent(*value), Decimal::new(0, *decimals));
                v.rescale(*decimals);
                format!("{v}%")
            }
            Value::Formula { result, .. } => result.display(),
        }
    }

    /// The spreadsheet number format (`0.00`, `0.000000`, `0.00%`), for numbers.
    pub fn number_format(&self) -> Option<String> {
        let fixed = |decimals: u32| {
            if decimals == 0 {
                "0".to_string()
            } else {
                format!("0.{}", "0".repeat(decimals as usize))
            }
        };
        match self {
            Value::Number { decimals, .. } => Some(fixed(*decimals)),
            Value::Percent { decimals, .. } => Some(format!("{}%", fixed(*decimals))),
            Value::Formula { result, .. } => result.number_format(),
            Value::Empty | Value::Text(_) => None,
        }
    }

    /// The value as a spreadsheet stores it (a double), for numbers and percentages.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number { value, .. } | Value::Percent { value, .. } => value.to_f64(),
            _ => None,
        }
    }
}

/// One cell (the top-left cell of a merged range).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u16,
    /// Rows covered (1 for a plain cell).
    pub rows: u32,
    /// Columns covered (1 for a plain cell).
    pub cols: u16,
    /// What it holds.
    pub value: Value,
    /// The shown text wrapped to the cell's width.
    pub lines: Vec<String>,
    /// How it looks.
    pub style: StyleId,
}

impl Cell {
    /// The last row covered.
    pub fn last_row(&self) -> u32 {
        self.row + self.rows - 1
    }

    /// The last column covered.
    pub fn last_col(&self) -> u16 {
        self.col + self.cols - 1
    }
}

/// Paper and margins, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Paper width.
    pub width: f32,
    /// Paper height.
    pub height: f32,
    /// Top margin.
    pub top: f32,
    /// Bottom margin.
    pub bottom: f32,
    /// Left margin.
    pub left: f32,
    /// Right margin.
    pub right: f32,
}

impl PageSetup {
    /// The height left for the table on one page.
    pub fn printable_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }
}

/// A piece of the page footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FooterPart {
    /// Fixed text.
    Text(String),
    /// The page number.
    Page,
    /// The number of pages.
    Pages,
}

/// Document metadata.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocInfo {
    /// The project's name.
    pub title: String,
    /// The implementing unit.
    pub author: String,
    /// `项目支出绩效自评表（2024年度）`.
    pub subject: String,
    /// Keywords.
    pub keywords: String,
    /// When the document was made, as an RFC 3339 timestamp with its offset
    /// (`2025-03-01T00:00:00+08:00`).
    pub created: String,
}

/// A finding pinned to a cell of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The cell's row.
    pub row: u32,
    /// The cell's column.
    pub col: u16,
    /// How serious.
    pub severity: Severity,
    /// The stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

/// A drop-down list on a column range (blank templates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListValidation {
    /// First row.
    pub first_row: u32,
    /// Last row.
    pub last_row: u32,
    /// The column.
    pub col: u16,
    /// The choices.
    pub items: Vec<String>,
}

/// Where the unit's seal and the digital signature go: a square over the 单位（盖章） cell,
/// centred on it vertically, and the signature's text, measured and wrapped to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SealSpot {
    /// The cell's row (the seal follows the row to whichever page it lands on).
    pub row: u32,
    /// The cell's column.
    pub col: u16,
    /// The square's left edge, from the cell's left edge, in points.
    pub x: f32,
    /// The square's side, in points.
    pub size: f32,
    /// The digital signature's text (unit, signer, time), centred in the square line by
    /// line; empty when the document is not signed.
    pub lines: Vec<String>,
    /// The font size of `lines`, in points (regular face).
    pub text_size: f32,
    /// When the document is signed, as an RFC 3339 timestamp with its offset.
    pub signed_at: Option<String>,
}

/// The finished form, laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The worksheet's name.
    pub sheet: String,
    /// The font family spreadsheets are asked to use.
    pub font_family: String,
    /// Paper and margins.
    pub page: PageSetup,
    /// The footer, with page numbers.
    pub footer: Vec<FooterPart>,
    /// The footer's font size in points.
    pub footer_size: f32,
    /// Column widths.
    pub columns: Vec<f32>,
    /// Row heights.
    pub rows: Vec<f32>,
    /// Cells, sorted by row then column.
    pub cells: Vec<Cell>,
    /// The style table.
    pub styles: Vec<Style>,
    /// Rows repeated at the top of every page after the first (the indicator header).
    pub header_rows: Option<(u32, u32)>,
    /// Rows before which a page may break without cutting a merged group.
    pub break_before: Vec<u32>,
    /// Metadata.
    pub info: DocInfo,
    /// Findings pinned to cells.
    pub notes: Vec<Note>,
    /// Findings that concern no single cell.
    pub general: Vec<Note>,
    /// Drop-down lists.
    pub validations: Vec<ListValidation>,
    /// Where the seal and the digital signature go, when the layout has a seal spot.
    pub seal: Option<SealSpot>,
}

impl Grid {
    /// The style of a cell.
    pub fn style(&self, cell: &Cell) -> &Style {
        &self.styles[cell.style.0]
    }

    /// The width of a cell, spans included.
    pub fn cell_width(&self, cell: &Cell) -> f32 {
        self.columns[cell.col as usize..=cell.last_col() as usize]
            .iter()
            .sum()
    }

    /// The height of rows `first..=last`.
    pub fn rows_height(&self, first: u32, last: u32) -> f32 {
        self.rows[first as usize..=last as usize].iter().sum()
    }

    /// Checks the grid's invariants: spans inside the grid, no two cells overlapping, styles,
    /// notes and validations that point inside it, sizes that are positive.
    ///
    /// # Errors
    /// [`Error::Layout`] naming the first broken rule.
    pub fn check(&self, layout: &str) -> Result<()> {
        let fail = |message: String| {
            Err(Error::Layout {
                name: layout.to_string(),
                message: format!("表格结构有误：{message}"),
            })
        };
        let (nrows, ncols) = (self.rows.len(), self.columns.len());
        if self
            .columns
            .iter()
            .chain(&self.rows)
            .any(|s| !(s.is_finite() && *s > 0.0))
        {
            return fail("行高或列宽不是正数".to_string());
        }
        let mut taken = vec![false; nrows * ncols];
        for c in &self.cells {
            if c.rows == 0
                || c.cols == 0
                || c.last_row() as usize >= nrows
                || c.last_col() as usize >= ncols
            {
                return fail(format!("单元格 ({}, {}) 超出表格范围", c.row, c.col));
            }
            if c.style.0 >= self.styles.len() {
                return fail(format!("单元格 ({}, {}) 的样式不存在", c.row, c.col));
            }
            for r in c.row..=c.last_row() {
                for k in c.col..=c.last_col() {
                    let slot = &mut taken[r as usize * ncols + k as usize];
                    if *slot {
                        return fail(format!("单元格 ({}, {}) 与其他单元格重叠", c.row, c.col));
                    }
                    *slot = true;
                }
            }
        }
        if self
            .cells
            .windows(2)
            .any(|w| (w[0].row, w[0].col) >= (w[1].row, w[1].col))
        {
            return fail("单元格未按行列排序".to_string());
        }
        if let Some((first, last)) = self.header_rows
            && (first > last || last as usize >= nrows)
        {
            return fail("重复表头行超出表格范围".to_string());
        }
        if self
            .notes
            .iter()
            .any(|n| n.row as usize >= nrows || n.col as usize >= ncols)
        {
            return fail("审核意见指向表格之外".to_string());
        }
        if let Some(seal) = &self.seal
            && (seal.row as usize >= nrows
                || seal.col as usize >= ncols
                || !(seal.size.is_finite() && seal.size > 0.0 && seal.x.is_finite()))
        {
            return fail("印章位置超出表格范围".to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn values_display_as_spreadsheets_show_them() {
        assert_eq!(Value::number(d("18.950000")).display(), "18.950000");
        assert_eq!(Value::number(d("15")).display(), "15");
        assert_eq!(
            Value::Percent {
                value: d("0.985461"),
                decimals: 2
            }
            .display(),
            "98.55%"
        );
        assert_eq!(
            Value::Percent {
                value: d("0.985461"),
                decimals: 2
            }
            .number_format()
            .as_deref(),
            Some("0.00%")
        );
        assert_eq!(
            Value::number(d("7.00")).number_format().as_deref(),
            Some("0.00")
        );
        assert_eq!(Value::number(d("15")).number_format().as_deref(), Some("0"));
    }

    fn grid(cells: Vec<Cell>) -> Grid {
        Grid {
            sheet: "s".into(),
            font_family: "宋体".into(),
            page: PageSetup {
                width: 595.0,
                height: 842.0,
                top: 40.0,
                bottom: 40.0,
                left: 30.0,
                right: 30.0,
            },
            footer: vec![],
            footer_size: 9.0,
            columns: vec![50.0; 3],
            rows: vec![20.0; 3],
            cells,
            styles: vec![Style {
                size: 10.0,
                bold: false,
                h_align: HAlign::Center,
                v_align: VAlign::Center,
                border: true,
                fill: None,
            }],
            header_rows: None,
            break_before: vec![],
            info: DocInfo::default(),
            notes: vec![],
            general: vec![],
            validations: vec![],
            seal: None,
        }
    }

    fn cell(row: u32, col: u16, rows: u32, cols: u16) -> Cell {
        Cell {
            row,
            col,
            rows,
            cols,
            value: Value::Empty,
            lines: vec![],
            style: StyleId(0),
        }
    }

    #[test]
    fn overlaps_and_overflows_are_refused() {
        assert!(
            grid(vec![cell(0, 0, 2, 2), cell(2, 0, 1, 3)])
                .check("t")
                .is_ok()
        );
        let err = grid(vec![cell(0, 0, 2, 2), cell(1, 1, 1, 1)])
            .check("t")
            .unwrap_err();
        assert!(err.to_string().contains("重叠"), "{err}");
        let err = grid(vec![cell(2, 2, 2, 1)]).check("t").unwrap_err();
        assert!(err.to_string().contains("超出"), "{err}");
    }
}
