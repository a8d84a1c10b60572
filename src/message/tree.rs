//! Messages about the indicator tree: 一级 and 二级 against the template the form follows, a
//! 二级 without 三级, the subtotals printed in 一级 cells, and (said by the reader) 一级 or
//! 二级 labels that only stand in the middle of their group.

use std::fmt;

use rust_decimal::Decimal;

use super::names::{IndicatorName, quoted};
use crate::finding::Code;
use crate::vocabulary::Column;

/// The row a tree message is about: an indicator, or a row that only carries a 二级.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeRow {
    /// An indicator.
    Indicator(IndicatorName),
    /// A row with a 二级 and no 三级, by its 二级.
    Branch(String),
}

impl fmt::Display for TreeRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeRow::Indicator(who) => who.fmt(f),
            TreeRow::Branch(level2) => write!(f, "二级指标“{level2}”"),
        }
    }
}

/// What is wrong with a row's place in the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum TreeMessage {
    /// `tree-level1`: no 一级.
    Level1Missing {
        /// The row.
        row: TreeRow,
    },
    /// `tree-level1`: a 一级 not in the form's tree.
    Level1Unknown {
        /// The row.
        row: TreeRow,
        /// The 一级 written.
        level1: String,
        /// The tree's name.
        tree: &'static str,
        /// The tree's 一级, in order.
        known: Vec<&'static str>,
    },
    /// `tree-mixed`: a branch of the other tree.
    Mixed {
        /// The row.
        row: TreeRow,
        /// The 一级 written.
        level1: String,
        /// The 二级 written.
        level2: String,
        /// The tree the branch belongs to.
        other: &'static str,
        /// The tree the rest of the form follows.
        tree: &'static str,
    },
    /// `tree-level2`: no 二级.
    Level2Missing {
        /// The row.
        row: TreeRow,
        /// The 一级 written.
        level1: String,
        /// The 二级 the tree has under it.
        expected: &'static [String],
    },
    /// `tree-level2`: a 二级 of another 一级.
    Level2Misplaced {
        /// The 一级 written.
        level1: String,
        /// The 二级 written.
        level2: String,
        /// The 一级 it belongs under.
        parent: &'static str,
        /// The tree's name.
        tree: &'static str,
    },
    /// `tree-level2`: a 二级 not in the tree.
    Level2Unknown {
        /// The 一级 written.
        level1: String,
        /// The 二级 written.
        level2: String,
        /// The tree's name.
        tree: &'static str,
        /// The 二级 the tree has under the 一级.
        expected: &'static [String],
    },
    /// `tree-level2-empty`: a 二级 with no 三级 under it.
    Level2Empty {
        /// The 二级.
        level2: String,
    },
    /// `tree-level2-empty`: a 二级 written on rows without a 三级 that no indicator fills
    /// (said by the reader).
    Level2Unfilled {
        /// The 二级, as written.
        level2: String,
    },
    /// `tree-labels-centered`: the first indicator has no 一级 (or 二级) while later ones
    /// have theirs: the labels may stand in the middle of their groups, unmerged.
    LabelsCentered {
        /// The 一级 or the 二级 column.
        level: Column,
    },
    /// `subtotal-mismatch`: a 一级 cell's `(50分)` against the 分值 under it.
    SubtotalMismatch {
        /// The 一级.
        level1: String,
        /// The 分值 printed.
        points: Decimal,
        /// The 分值 under it added up.
        sum: Decimal,
    },
}

impl TreeMessage {
    /// The code it is said under.
    pub fn code(&self) -> Code {
        match self {
            TreeMessage::Level1Missing { .. } | TreeMessage::Level1Unknown { .. } => {
                Code::TreeLevel1
            }
            TreeMessage::Mixed { .. } => Code::TreeMixed,
            TreeMessage::Level2Missing { .. }
            | TreeMessage::Level2Misplaced { .. }
            | TreeMessage::Level2Unknown { .. } => Code::TreeLevel2,
            TreeMessage::Level2Empty { .. } | TreeMessage::Level2Unfilled { .. } => {
                Code::TreeLevel2Empty
            }
            TreeMessage::LabelsCentered { .. } => Code::TreeLabelsCentered,
            TreeMessage::SubtotalMismatch { .. } => Code::SubtotalMismatch,
        }
    }

    /// The message.
    pub fn text(&self) -> String {
        match self {
            TreeMessage::Level1Missing { row } => format!("{row}未填写一级指标"),
            TreeMessage::Level1Unknown {
                row,
                level1,
                tree,
                known,
            } => format!(
                "{row}的一级指标“{level1}”不在{tree}中（应为：{}）",
                known.join("、")
            ),
            TreeMessage::Mixed {
                row,
                level1,
                level2,
                other,
                tree,
            } => format!(
                "{row}按“{other}”填在“{level1} / {level2}”下，而本表其他指标按“{tree}”填写：同一张表只能用一种指标体系"
            ),
            TreeMessage::Level2Missing {
                row,
                level1,
                expected,
            } => format!(
                "{row}未填写二级指标（“{level1}”下应为：{}）",
                expected.join("、")
            ),
            TreeMessage::Level2Misplaced {
                level1,
                level2,
                parent,
                tree,
            } => format!("二级指标“{level2}”属于一级指标“{parent}”，不应在“{level1}”下（{tree}）"),
            TreeMessage::Level2Unknown {
                level1,
                level2,
                tree,
                expected,
            } => format!(
                "二级指标“{level2}”不在{tree}中（“{level1}”下应为：{}）",
                expected.join("、")
            ),
            TreeMessage::Level2Empty { level2 } => {
                format!("二级指标“{level2}”下没有三级指标：每个二级指标下应至少写一条三级指标")
            }
            TreeMessage::Level2Unfilled { level2 } => format!(
                "二级指标“{}”下没有三级指标：每个二级指标下应至少写一条三级指标，或删除该行",
                quoted(level2)
            ),
            TreeMessage::LabelsCentered { level } => {
                let level = level.label();
                format!(
                    "第一个指标没有{level}，后面的指标有：{level}可能只写在每组的中间一行（如由 PDF 转换的表格），每组上面几行会被读入上一组：请核实每个指标的{level}，或合并单元格后再检查"
                )
            }
            TreeMessage::SubtotalMismatch {
                level1,
                points,
                sum,
            } => format!("一级指标“{level1}”标注为 {points} 分，其下各三级指标的分值合计为 {sum}"),
        }
    }
}
