//! Where something is in a form: a field of the form ([`Field`], down to the funds row and
//! column or the indicator and its column) and a cell of a worksheet ([`CellRef`]).
//!
//! Below `model` and `finding`, which both point at places: it imports nothing of the crate,
//! so that a finding can name a field without the form's types and the form can hold findings.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The rows of the funds block: the total, its breakdown by income (the project form's rows)
/// and, on a department form, its breakdown by expenditure (基本支出 / 项目支出).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundsRowKind {
    /// 年度资金总额.
    Total,
    /// 当年财政拨款.
    Appropriation,
    /// 上年结转资金.
    Carryover,
    /// 其他资金.
    Other,
    /// 基本支出 (department forms).
    Basic,
    /// 项目支出 (department forms).
    Project,
    /// 其他 under the expenditure rows (department forms).
    ExpenditureOther,
}

impl FundsRowKind {
    /// The project form's rows, top to bottom: the total and its breakdown by income.
    pub const ALL: [FundsRowKind; 4] = [
        FundsRowKind::Total,
        FundsRowKind::Appropriation,
        FundsRowKind::Carryover,
        FundsRowKind::Other,
    ];

    /// The breakdown by income (资金来源): the rows under the total on every form.
    pub const INCOME: [FundsRowKind; 3] = [
        FundsRowKind::Appropriation,
        FundsRowKind::Carryover,
        FundsRowKind::Other,
    ];

    /// The breakdown by expenditure (支出性质), printed by department forms only.
    pub const EXPENDITURE: [FundsRowKind; 3] = [
        FundsRowKind::Basic,
        FundsRowKind::Project,
        FundsRowKind::ExpenditureOther,
    ];

    /// Every row either form may print, top to bottom.
    pub const EVERY: [FundsRowKind; 7] = [
        FundsRowKind::Total,
        FundsRowKind::Appropriation,
        FundsRowKind::Carryover,
        FundsRowKind::Other,
        FundsRowKind::Basic,
        FundsRowKind::Project,
        FundsRowKind::ExpenditureOther,
    ];

    /// True for a row of the breakdown by expenditure.
    pub fn is_expenditure(self) -> bool {
        Self::EXPENDITURE.contains(&self)
    }

    /// The key of the row in the JSON contract.
    pub fn key(self) -> &'static str {
        match self {
            FundsRowKind::Total => "total",
            FundsRowKind::Appropriation => "appropriation",
            FundsRowKind::Carryover => "carryover",
            FundsRowKind::Other => "other",
            FundsRowKind::Basic => "expenditure.basic",
            FundsRowKind::Project => "expenditure.project",
            FundsRowKind::ExpenditureOther => "expenditure.other",
        }
    }
}

/// The three money columns of the funds block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FundsColumn {
    /// 年初预算数.
    Initial,
    /// 全年预算数(B).
    Budget,
    /// 全年执行数(C).
    Executed,
}

impl FundsColumn {
    /// All columns, left to right.
    pub const ALL: [FundsColumn; 3] = [
        FundsColumn::Initial,
        FundsColumn::Budget,
        FundsColumn::Executed,
    ];

    /// The key of the column in the JSON contract.
    pub fn key(self) -> &'static str {
        match self {
            FundsColumn::Initial => "initial",
            FundsColumn::Budget => "budget",
            FundsColumn::Executed => "executed",
        }
    }
}

/// The fields of an indicator row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndicatorField {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Name,
    /// 年度指标值(A).
    Target,
    /// 实际完成值.
    Actual,
    /// 分值.
    Weight,
    /// 得分.
    Score,
    /// 偏差原因分析及改进措施.
    Deviation,
}

impl IndicatorField {
    /// The key of the field in the JSON contract.
    pub fn key(self) -> &'static str {
        match self {
            IndicatorField::Level1 => "level1",
            IndicatorField::Level2 => "level2",
            IndicatorField::Name => "name",
            IndicatorField::Target => "target",
            IndicatorField::Actual => "actual",
            IndicatorField::Weight => "weight",
            IndicatorField::Score => "score",
            IndicatorField::Deviation => "deviation",
        }
    }
}

/// The fields of a task of 年度主要任务 (department forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskField {
    /// 任务名称.
    Name,
    /// 预算数.
    Budget,
    /// 执行数.
    Executed,
}

impl TaskField {
    /// The key of the field in the JSON contract.
    pub fn key(self) -> &'static str {
        match self {
            TaskField::Name => "name",
            TaskField::Budget => "budget",
            TaskField::Executed => "executed",
        }
    }
}

/// A place in the form: what a finding points at and what a source cell is remembered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The title year.
    Year,
    /// 项目名称.
    Project,
    /// 主管部门.
    Department,
    /// 实施单位.
    Unit,
    /// 项目负责人.
    Lead,
    /// 联系电话.
    Phone,
    /// 联系人 (department forms).
    Contact,
    /// 自评总分 printed in the header of a department form.
    HeaderScore,
    /// A field of the task (年度主要任务) at this index.
    Task(usize, TaskField),
    /// A money figure of the funds block.
    Funds(FundsRowKind, FundsColumn),
    /// 分值 of the funds block.
    FundsWeight,
    /// 得分 of the funds block.
    FundsScore,
    /// 执行率 of the funds block.
    FundsRate,
    /// 预期目标.
    Expected,
    /// 实际完成情况.
    Achieved,
    /// A field of the indicator at this index.
    Indicator(usize, IndicatorField),
    /// 总分.
    TotalScore,
    /// 等级.
    Grade,
}

impl fmt::Display for Field {
    /// The path of the field in the JSON contract, e.g. `indicators[11].score`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Year => f.write_str("year"),
            Field::Project => f.write_str("project"),
            Field::Department => f.write_str("department"),
            Field::Unit => f.write_str("unit"),
            Field::Lead => f.write_str("lead"),
            Field::Phone => f.write_str("phone"),
            Field::Contact => f.write_str("contact"),
            Field::HeaderScore => f.write_str("header_score"),
            Field::Task(i, field) => write!(f, "tasks[{i}].{}", field.key()),
            Field::Funds(row, col) => write!(f, "funds.{}.{}", row.key(), col.key()),
            Field::FundsWeight => f.write_str("funds.weight"),
            Field::FundsScore => f.write_str("funds.score"),
            Field::FundsRate => f.write_str("funds.rate"),
            Field::Expected => f.write_str("goals.expected"),
            Field::Achieved => f.write_str("goals.achieved"),
            Field::Indicator(i, field) => write!(f, "indicators[{i}].{}", field.key()),
            Field::TotalScore => f.write_str("total_score"),
            Field::Grade => f.write_str("grade"),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A cell of a worksheet, zero-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CellRef {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u16,
}

impl fmt::Display for CellRef {
    /// The A1 reference of the cell, e.g. `H23`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A u16 column needs up to four letters (65 535 is `CRXO`): damaged files go past XFD.
        let mut letters = [0u8; 4];
        let mut n = u32::from(self.col) + 1;
        let mut len = 0;
        while n > 0 {
            let rem = (n - 1) % 26;
            letters[len] = b'A' + rem as u8;
            len += 1;
            n = (n - 1) / 26;
        }
        for &b in letters[..len].iter().rev() {
            f.write_str(std::str::from_utf8(&[b]).expect("ASCII letter"))?;
        }
        write!(f, "{}", u64::from(self.row) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_are_a1() {
        let cases = [
            (0, 0, "A1"),
            (22, 7, "H23"),
            (0, 25, "Z1"),
            (0, 26, "AA1"),
            (1_048_575, 16_383, "XFD1048576"),
            // Past what Excel writes, as damaged files hold (found by fuzzing).
            (0, 18_278, "AAAA1"),
            (u32::MAX, u16::MAX, "CRXP4294967296"),
        ];
        for (row, col, want) in cases {
            assert_eq!(CellRef { row, col }.to_string(), want);
        }
    }

    #[test]
    fn field_paths_follow_the_json_contract() {
        assert_eq!(
            Field::Indicator(11, IndicatorField::Score).to_string(),
            "indicators[11].score"
        );
        assert_eq!(
            Field::Funds(FundsRowKind::Total, FundsColumn::Budget).to_string(),
            "funds.total.budget"
        );
    }
}
