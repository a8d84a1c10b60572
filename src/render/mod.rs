//! Render: a [`crate::layout::Grid`] in, file bytes out. Writers look only at the grid and do
//! no layout of their own: a workbook is the grid and its appendix as sheets, a PDF the
//! grid's pages as drawn.

pub mod pdf;
pub mod xlsx;
