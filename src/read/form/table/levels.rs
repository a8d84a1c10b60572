//! The levels of the indicator tree as rows are read: the 一级 and 二级 in force (written on
//! a row, merged over it from above, or carried down), the subtotals printed in 一级 cells,
//! and the 二级 written on rows without a 三级.

use rust_decimal::Decimal;

use crate::model::CellRef;
use crate::read::form::cells::Cells;
use crate::read::form::value::text;
use crate::read::sheet::SheetValue;
use crate::vocabulary::{self, Qualifier, RowLabel, fold, split_qualifier, strip_enumerator};

/// Where the level state stands while rows are read.
#[derive(Debug, Default)]
pub(super) struct Levels {
    pub level1: Option<(String, CellRef)>,
    pub level2: Option<(String, CellRef)>,
}

/// What reading the rows of a table keeps track of from row to row.
#[derive(Default)]
pub(super) struct Walk {
    /// The 一级 and 二级 in force.
    pub levels: Levels,
    /// 二级 written on rows without a 三级, to report those no indicator fills.
    pub empty_level2: Vec<EmptyLevel2>,
    /// The 一级 cells whose printed subtotal is already recorded.
    pub subtotal_cells: Vec<CellRef>,
    /// The indicator read on the rows just above, whose 偏差原因 a row of its own may go on
    /// with (`row::read_row`).
    pub open: Option<usize>,
}

/// A 二级 written on a row without a 三级.
pub(super) struct EmptyLevel2 {
    pub level1: String,
    pub level2: String,
    pub at: CellRef,
}

/// What a level cell says: the name (without white space or a printed subtotal) and the
/// subtotal, when the cell holds text.
pub(super) fn level_text(
    cells: &Cells<'_>,
    value: Option<&SheetValue>,
    at: CellRef,
) -> Option<(String, Option<rust_decimal::Decimal>)> {
    let t = text(value);
    if t.is_empty() || value.is_some_and(|v| cells.row_label(at, v) == Some(RowLabel::Continued)) {
        return None;
    }
    let n = fold::label(&t);
    let (base, q) = split_qualifier(&n);
    let base = strip_enumerator(base);
    // `服务对象满意度指标等`: the template's "and the like" after a name of a tree.
    let base = base
        .strip_suffix('等')
        .filter(|name| in_a_tree(name))
        .unwrap_or(base);
    if let Some(Qualifier::Points(p)) = q {
        return Some((base.to_string(), Some(p)));
    }
    // Other ways of printing a 一级's subtotal, taken only when what is left is a 一级 of a
    // tree: `产出指标（50）`, `产出指标：50分`, `产出指标50`, `产出指标[分值50]`,
    // `产出指标（权重50%）`.
    if let Some((name, points)) = points_after(base)
        && vocabulary::get()
            .trees
            .iter()
            .any(|t| t.position(name).is_some())
    {
        return Some((name.to_string(), Some(points)));
    }
    Some((base.to_string(), None))
}

/// True for a 一级 or 二级 name of one of the trees.
fn in_a_tree(name: &str) -> bool {
    vocabulary::get()
        .trees
        .iter()
        .any(|t| t.position(name).is_some() || t.parent_of(name).is_some())
}

/// `产出指标(50)` → (`产出指标`, 50): a number at the end of a normalised label, bracketed or
/// not, with `分`, `%`, `分值`/`权重` around it.
fn points_after(n: &str) -> Option<(&str, Decimal)> {
    let (name, inner) = match n.strip_suffix([')', ']']) {
        Some(open) => open.rsplit_once(['(', '['])?,
        None => {
            let digits = n
                .trim_end_matches(['分', '%'])
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
            (digits, &n[digits.len()..])
        }
    };
    let inner = inner
        .trim_start_matches("分值")
        .trim_start_matches("权重")
        .trim_start_matches(':')
        .trim_end_matches(['分', '%']);
    let points = inner.parse::<Decimal>().ok()?;
    let name = name.trim_end_matches(':');
    (!name.is_empty()).then_some((name, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ways a 一级's subtotal is printed after its name.
    #[test]
    fn points_after_a_name() {
        use rust_decimal::Decimal;
        let n = |s: &str| fold::label(s);
        for written in [
            "产出指标（50）",
            "产出指标：50分",
            "产出指标 50分",
            "产出指标50",
            "产出指标[50分]",
            "产出指标(分值50)",
            "产出指标（权重50%）",
        ] {
            assert_eq!(
                super::points_after(&n(written)),
                Some(("产出指标", Decimal::from(50))),
                "{written}"
            );
        }
        for plain in ["产出指标", "(50)", "指标"] {
            assert_eq!(super::points_after(&n(plain)), None, "{plain}");
        }
    }
}
