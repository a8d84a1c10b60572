//! Render: a [`crate::layout::Grid`] in, file bytes out. Writers look only at the grid: `xlsx`
//! and `pdf` for the filed forms, `html` for the page of `jixiao serve`.

pub mod html;
pub mod pdf;
pub mod summary;
pub mod xlsx;
