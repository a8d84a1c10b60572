//! Layout: the form's variants as data (`layouts/*.toml`), and the grid built from a form and a
//! layout that every writer renders.
//!
//! `spec` is the serde shape of a layout file; `fit` fits a checked form to a layout
//! ([`crate::Report::new`]); `build` lays the blocks of the form out
//! (`blocks`, one function per block over the table's columns keyed by role) into a draft
//! (`draft`: the builder's types, below every step that uses them), measuring and wrapping
//! their text (`text`); `paginate` decides where pages break and cuts the result into the grid
//! (`grid`), page by page; `lists` makes the 审核意见 and 汇总表 grids. Nothing here reads or
//! writes files.

mod blocks;
mod build;
mod draft;
mod fit;
mod grid;
mod lists;
mod paginate;
mod spec;
mod text;

pub use crate::vocabulary::{Column, TreeGroup};
pub use build::{build, build_blank};
pub use draft::{Options, Signature, TemplateData};
pub use grid::{
    Cell, ColumnChart, DocInfo, ERROR_FILL, FooterPart, Grid, HAlign, ListValidation,
    MAX_ROW_HEIGHT, Note, PT_PER_MM, PageSetup, PageSlice, Range, RowSlice, SealSpot, Style,
    StyleId, TextSetup, VAlign, Value,
};
pub use lists::summary_grid;
pub use spec::{ColumnSpec, Layout, Orientation, Paper, Template, Years};
pub use text::{widest_number, wrap};
