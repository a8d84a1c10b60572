//! Layout: the form's variants as data (`layouts/*.toml`), and the grid built from a form and a
//! layout that both writers render.
//!
//! `spec` is the serde shape of a layout file; `build` places a form into a [`Grid`] (`grid`),
//! measuring and wrapping its text (`text`); `paginate` decides where pages break. Nothing here
//! reads or writes files.

mod build;
mod grid;
mod paginate;
mod spec;
mod text;

pub use build::{
    ERROR_FILL, LINE_PITCH, Options, PAD_H, PAD_V, Signature, TemplateData, build, build_blank,
};
pub use grid::{
    Cell, DocInfo, FooterPart, Grid, HAlign, ListValidation, Note, PT_PER_MM, PageSetup, SealSpot,
    Style, StyleId, VAlign, Value,
};
pub use paginate::{PageSlice, RowSlice, RowSplit, pages, sheet_breaks, text_height};
pub use spec::{COLUMNS, Layout, Template, TreeGroup, Years};
pub use text::wrap;
