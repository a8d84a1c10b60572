//! Render: a [`crate::layout::Grid`] in, file bytes out. Writers look only at the grid and do
//! no layout of their own: a workbook is the grid and its appendix as sheets, a PDF the
//! grid's pages as drawn, and `html` the grid as the table of `jixiao serve`'s page.

pub mod html;
pub mod pdf;
pub mod xlsx;
