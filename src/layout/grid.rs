//! The grid: the finished form as positioned cells, shared by every writer.
//!
//! Cells with row/column spans, a small style table, column widths and row heights in points,
//! the text of every cell already wrapped into lines, the room around the text and the line
//! pitch, the paper, and the printed pages: which rows each page shows. It is checked when it
//! is built (spans inside the grid, no overlaps, every row on a page) and holds everything a
//! writer needs: writers never look at the form or the layout file again, and do no layout of
//! their own.
//!
//! A grid is either a laid-out form, whose `pages` say how it prints (the header of the
//! indicator table and the labels of continued groups are rows and cells of their own on each
//! continued page, as the official printout has them), or a list (the 审核意见 of a form, the
//! sheets of 汇总表), which has no pages: a spreadsheet paginates it, repeating its
//! `header_rows`. The sheets that go with a grid in one workbook are its `appendix`.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::{Error, GridFault, LayoutProblem, Result};
use crate::score::round_like;
use crate::validate::Severity;

pub use super::spec::Paper;

/// The fill of a cell with an error finding (light red).
pub const ERROR_FILL: u32 = 0xFFC7CE;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The tallest row a spreadsheet holds, in points (Excel and WPS cut a row there): no row of a
/// grid is taller.
pub const MAX_ROW_HEIGHT: f32 = 409.0;

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
    /// Text wraps within the cell (every cell of a form; the long texts of a list).
    pub wrap: bool,
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
    /// The shown text wrapped to the cell's width; none in the sheets of 汇总表
    /// ([`crate::layout::summary_grid`]), which are only written as a workbook.
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
    /// The paper.
    pub paper: Paper,
    /// Printed across: `width` > `height`.
    pub landscape: bool,
    /// Page width, as printed (the paper's height when landscape).
    pub width: f32,
    /// Page height, as printed.
    pub height: f32,
    /// Top margin.
    pub top: f32,
    /// Bottom margin.
    pub bottom: f32,
    /// Left margin.
    pub left: f32,
    /// Right margin.
    pub right: f32,
    /// Where the footer's line is centred, from the bottom edge (in the bottom margin).
    pub footer: f32,
}

impl PageSetup {
    /// The height left for the table on one page.
    pub fn printable_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }
}

/// How text sits in its cell, in points: what a writer needs to place the lines of
/// [`Cell::lines`] as they were measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextSetup {
    /// The distance between baselines as a multiple of the font size.
    pub line_pitch: f32,
    /// Room between the border and the text, left and right.
    pub pad_h: f32,
    /// Room between the border and the text, top and bottom.
    pub pad_v: f32,
}

impl TextSetup {
    /// The height `lines` lines of text at `size` points need, paddings included (one line
    /// at least).
    pub fn height(&self, lines: usize, size: f32) -> f32 {
        lines.max(1) as f32 * size * self.line_pitch + 2.0 * self.pad_v
    }
}

/// One printed page: the rows it shows, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSlice {
    /// The rows on the page, in order.
    pub rows: Vec<RowSlice>,
}

/// A row on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSlice {
    /// The grid row.
    pub row: u32,
    /// Its height, in points.
    pub height: f32,
}

impl PageSlice {
    /// The height of everything on the page.
    pub fn height(&self) -> f32 {
        self.rows.iter().map(|s| s.height).sum()
    }

    /// The first row of the page: where a spreadsheet breaks the page.
    pub fn starts_row(&self) -> Option<u32> {
        self.rows.first().map(|s| s.row)
    }
}

/// A rectangle of cells: first row, first column, last row, last column.
pub type Range = (u32, u16, u32, u16);

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

/// The finished form, laid out; or a list.
///
/// Changes for issue 13: `pages` (the printed pages) replaced `break_before` (and
/// `layout::pages`, `layout::sheet_breaks`); `text` (line pitch and paddings, which were the
/// constants `LINE_PITCH`, `PAD_H`, `PAD_V`), `page.paper`, `page.landscape`, `page.footer`,
/// `Style::wrap`, `freeze`, `filter`, `seal` and `appendix` are new; `header_rows` now only
/// serves lists; `PageSlice` has no `header` (a continued page's header is rows of its own).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The worksheet's name.
    pub sheet: String,
    /// The font family spreadsheets are asked to use.
    pub font_family: String,
    /// Paper, orientation and margins.
    pub page: PageSetup,
    /// Line pitch and the room around the text of a cell.
    pub text: TextSetup,
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
    /// Rows a spreadsheet repeats at the top of every printed page of a list (its title
    /// row). A laid-out form has none: its continued pages carry the header as rows of their
    /// own.
    pub header_rows: Option<(u32, u32)>,
    /// The printed pages of a laid-out form, in order: every row on exactly one page (a row
    /// taller than a page is cut into rows of its own). Empty for a list.
    pub pages: Vec<PageSlice>,
    /// Metadata.
    pub info: DocInfo,
    /// Findings pinned to cells.
    pub notes: Vec<Note>,
    /// Findings that concern no single cell.
    pub general: Vec<Note>,
    /// Drop-down lists.
    pub validations: Vec<ListValidation>,
    /// Rows and columns kept in view when a spreadsheet scrolls (`(1, 0)`: the first row).
    pub freeze: Option<(u32, u16)>,
    /// The range a spreadsheet offers filters on (a list's header and rows).
    pub filter: Option<Range>,
    /// Where the seal and the digital signature go: the 单位（盖章） cell and a square in it,
    /// when the form has a sign-off block.
    pub seal: Option<SealSpot>,
    /// The sheets that follow this one in a workbook (the 审核意见 of a form; the findings
    /// and failures of 汇总表). A drawn document shows this grid alone.
    pub appendix: Vec<Grid>,
    /// Column charts over cells of this sheet (the grades of 汇总表), for a spreadsheet; a
    /// drawn document has none.
    pub charts: Vec<ColumnChart>,
}

/// A column chart of a sheet's own cells: categories down one column, each series down
/// another, over the same rows; placed with its top-left corner at a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnChart {
    /// The chart's title.
    pub title: String,
    /// The first and last rows of the data.
    pub rows: (u32, u32),
    /// The column of the category names.
    pub categories: u16,
    /// Each series: its name and its column.
    pub series: Vec<(String, u16)>,
    /// The cell the chart's top-left corner is at.
    pub at: (u32, u16),
}

#[cfg(test)]
impl Grid {
    /// A bare A4 grid of `columns` and `rows` (points) holding `cells` in `styles`, for the
    /// unit tests of the writers and the grid itself.
    pub(crate) fn sketch(
        columns: Vec<f32>,
        rows: Vec<f32>,
        cells: Vec<Cell>,
        styles: Vec<Style>,
    ) -> Grid {
        Grid {
            sheet: "s".into(),
            font_family: "宋体".into(),
            page: PageSetup {
                paper: Paper::A4,
                landscape: false,
                width: 595.0,
                height: 842.0,
                top: 40.0,
                bottom: 40.0,
                left: 30.0,
                right: 30.0,
                footer: 20.0,
            },
            text: TextSetup {
                line_pitch: 1.45,
                pad_h: 4.0,
                pad_v: 2.5,
            },
            footer: vec![],
            footer_size: 9.0,
            columns,
            rows,
            cells,
            styles,
            header_rows: None,
            pages: vec![],
            info: DocInfo::default(),
            notes: vec![],
            general: vec![],
            validations: vec![],
            freeze: None,
            filter: None,
            seal: None,
            appendix: vec![],
            charts: vec![],
        }
    }
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

    /// The height a cell's text needs: its lines at the line pitch plus the paddings.
    pub fn text_height(&self, cell: &Cell) -> f32 {
        self.text.height(cell.lines.len(), self.style(cell).size)
    }

    /// Checks the grid's invariants: spans inside the grid, no two cells overlapping, styles,
    /// notes and validations that point inside it, sizes that are positive.
    ///
    /// # Errors
    /// [`Error::Layout`] naming the first broken rule.
    pub fn check(&self, layout: &str) -> Result<()> {
        let fail = |fault: GridFault| {
            Err(Error::Layout {
                name: layout.to_string(),
                problem: LayoutProblem::Grid(fault),
            })
        };
        let (nrows, ncols) = (self.rows.len(), self.columns.len());
        if self
            .columns
            .iter()
            .chain(&self.rows)
            .any(|s| !(s.is_finite() && *s > 0.0))
        {
            return fail(GridFault::NotPositive);
        }
        let mut taken = vec![false; nrows * ncols];
        for c in &self.cells {
            if c.rows == 0
                || c.cols == 0
                || c.last_row() as usize >= nrows
                || c.last_col() as usize >= ncols
            {
                return fail(GridFault::CellOutside {
                    row: c.row,
                    col: c.col,
                });
            }
            if c.style.0 >= self.styles.len() {
                return fail(GridFault::NoStyle {
                    row: c.row,
                    col: c.col,
                });
            }
            for r in c.row..=c.last_row() {
                for k in c.col..=c.last_col() {
                    let slot = &mut taken[r as usize * ncols + k as usize];
                    if *slot {
                        return fail(GridFault::Overlap {
                            row: c.row,
                            col: c.col,
                        });
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
            return fail(GridFault::Unsorted);
        }
        if let Some((first, last)) = self.header_rows
            && (first > last || last as usize >= nrows)
        {
            return fail(GridFault::HeaderRows);
        }
        if !self.pages.is_empty() {
            let mut shown = vec![false; nrows];
            let mut previous = 0;
            for slice in self.pages.iter().flat_map(|p| &p.rows) {
                let r = slice.row as usize;
                if r >= nrows || slice.row < previous {
                    return fail(GridFault::PageRow { row: r + 1 });
                }
                shown[r] = true;
                previous = slice.row;
            }
            if let Some(r) = shown.iter().position(|s| !s) {
                return fail(GridFault::NotOnPage { row: r + 1 });
            }
        }
        if self
            .notes
            .iter()
            .any(|n| n.row as usize >= nrows || n.col as usize >= ncols)
        {
            return fail(GridFault::NoteOutside);
        }
        if let Some(seal) = &self.seal
            && (seal.row as usize >= nrows
                || seal.col as usize >= ncols
                || !(seal.size.is_finite() && seal.size > 0.0 && seal.x.is_finite()))
        {
            return fail(GridFault::SealOutside);
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
        let style = Style {
            size: 10.0,
            bold: false,
            h_align: HAlign::Center,
            v_align: VAlign::Center,
            border: true,
            fill: None,
            wrap: true,
        };
        Grid::sketch(vec![50.0; 3], vec![20.0; 3], cells, vec![style])
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
        let fault = |cells| match grid(cells).check("t") {
            Err(Error::Layout {
                problem: LayoutProblem::Grid(fault),
                ..
            }) => fault,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fault(vec![cell(0, 0, 2, 2), cell(1, 1, 1, 1)]),
            GridFault::Overlap { row: 1, col: 1 }
        );
        assert_eq!(
            fault(vec![cell(2, 2, 2, 1)]),
            GridFault::CellOutside { row: 2, col: 2 }
        );
        let err = grid(vec![cell(2, 2, 2, 1)]).check("t").unwrap_err();
        assert_eq!(
            err.to_string(),
            "版式 t：表格结构有误：单元格 (2, 2) 超出表格范围"
        );
    }
}
