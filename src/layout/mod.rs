//! Layouts: the form's variants (years, regions) as data, loaded from `layouts/*.toml`.
//!
//! A layout says which indicator tree a form of its years follows; it never reads forms.

mod spec;

pub use spec::{Layout, TreeGroup, Years};
