//! Render: a [`crate::layout::Grid`] in, file bytes out. Writers look only at the grid.

pub mod pdf;
pub mod summary;
pub mod xlsx;
