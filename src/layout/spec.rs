//! The serde shape of `layouts/*.toml`, the built-in layouts and the choice of one per year.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{Error, Result};

/// A layout: one variant of the form, as data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The layout's name, e.g. `beijing-2024`.
    pub name: String,
    /// What it is for, shown by `jixiao layouts`.
    pub description: String,
    /// The years of the forms it is the default for.
    pub years: Years,
    /// 指标体系: every 一级指标 with its 二级指标.
    pub tree: Vec<TreeGroup>,
}

/// A range of years, open at either end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Years {
    /// The first year, inclusive.
    pub from: Option<i32>,
    /// The last year, inclusive.
    pub to: Option<i32>,
}

impl Years {
    /// True when `year` falls in the range.
    pub fn contains(&self, year: i32) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

/// One 一级指标 and its 二级指标.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeGroup {
    /// 一级指标.
    pub level1: String,
    /// The 二级指标 under it.
    pub level2: Vec<String>,
}

const BUILTIN: &[(&str, &str)] = &[
    (
        "beijing-2024",
        include_str!("../../layouts/beijing-2024.toml"),
    ),
    ("mof-2020", include_str!("../../layouts/mof-2020.toml")),
];

impl Layout {
    /// Parses a layout from TOML text; `origin` names it in errors.
    ///
    /// # Errors
    /// [`Error::Layout`] when the text is not a valid layout.
    pub fn parse(origin: &str, text: &str) -> Result<Layout> {
        let layout: Layout = toml::from_str(text).map_err(|e| Error::Layout {
            name: origin.to_string(),
            message: e.message().to_string(),
        })?;
        if layout.tree.is_empty() {
            return Err(Error::Layout {
                name: origin.to_string(),
                message: "指标体系 tree 为空".to_string(),
            });
        }
        Ok(layout)
    }

    /// The layouts built into the binary, default first.
    pub fn builtin() -> &'static [Layout] {
        static LAYOUTS: OnceLock<Vec<Layout>> = OnceLock::new();
        LAYOUTS.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(name, text)| {
                    Layout::parse(name, text).unwrap_or_else(|e| panic!("built-in layout: {e}"))
                })
                .collect()
        })
    }

    /// The built-in layout called `name`.
    pub fn by_name(name: &str) -> Option<&'static Layout> {
        Layout::builtin().iter().find(|l| l.name == name)
    }

    /// The built-in layout for forms of `year`; the current one when the year is unknown.
    pub fn for_year(year: Option<i32>) -> &'static Layout {
        let all = Layout::builtin();
        year.and_then(|y| all.iter().find(|l| l.years.contains(y)))
            .unwrap_or(&all[0])
    }

    /// The 一级指标 a 二级指标 belongs to in this layout's tree.
    pub fn parent_of(&self, level2: &str) -> Option<&str> {
        self.tree
            .iter()
            .find(|g| g.level2.iter().any(|l| l == level2))
            .map(|g| g.level1.as_str())
    }

    /// The group of a 一级指标.
    pub fn group(&self, level1: &str) -> Option<&TreeGroup> {
        self.tree.iter().find(|g| g.level1 == level1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_layouts_parse_and_cover_the_years() {
        assert_eq!(Layout::for_year(Some(2024)).name, "beijing-2024");
        assert_eq!(Layout::for_year(Some(2021)).name, "beijing-2024");
        assert_eq!(Layout::for_year(Some(2020)).name, "mof-2020");
        assert_eq!(Layout::for_year(Some(2015)).name, "mof-2020");
        assert_eq!(Layout::for_year(None).name, "beijing-2024");
    }

    #[test]
    fn cost_indicators_move_between_the_trees() {
        let current = Layout::by_name("beijing-2024").unwrap();
        let old = Layout::by_name("mof-2020").unwrap();
        assert_eq!(current.parent_of("经济成本指标"), Some("成本指标"));
        assert_eq!(old.parent_of("成本指标"), Some("产出指标"));
        assert_eq!(current.parent_of("成本指标"), None);
    }

    #[test]
    fn a_bad_layout_names_itself() {
        let err = Layout::parse("mine.toml", "name = 1").unwrap_err();
        assert!(err.to_string().starts_with("版式 mine.toml："), "{err}");
    }
}
