//! The form as data: 项目支出绩效自评表 with its funds, goals and indicators.
//!
//! These types are the JSON/TOML contract (`../shared/examples/*.json`). Money, weights and
//! scores are [`Decimal`]s that keep the digits as written (`18.950000` stays `18.950000`).
//! No I/O and no rules live here. Where things are in a form ([`Field`], [`CellRef`] and the
//! funds rows and columns) lives in `field`, below `finding`, and is re-exported here.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::field::{CellRef, Field, FundsColumn, FundsRowKind, IndicatorField};
use crate::finding::Finding;

/// One filled form.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// The year of the title line `（2024年度）`; `None` when the form does not say.
    #[serde(default)]
    pub year: Option<i32>,
    /// 项目名称.
    pub project: String,
    /// 主管部门及代码 (older forms: 主管部门), e.g. `048-北京市文物局`.
    pub department: String,
    /// 实施单位, e.g. `048019-北京艺术博物馆`.
    pub unit: String,
    /// 项目负责人 (2020 and earlier forms only).
    #[serde(default)]
    pub lead: Option<String>,
    /// 联系电话 (2020 and earlier forms only).
    #[serde(default)]
    pub phone: Option<String>,
    /// 项目资金（万元）.
    pub funds: Funds,
    /// 年度总体目标.
    pub goals: Goals,
    /// 绩效指标, in the order of the form.
    pub indicators: Vec<Indicator>,
    /// 总分 as declared on the form.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub total_score: Option<Decimal>,
    /// 等级 as written on the form, when the form carries one (most do not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Names and date of the sign-off block, keyed by the role label of the layout
    /// (`填表人`, `审核人`, `单位负责人`, `填报日期`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub signoff: BTreeMap<String, String>,
}

impl Form {
    /// True for a form without any 分值 or 得分 (a 2020 form that compares targets and actual
    /// values only): its indicators are checked, nothing is scored.
    pub fn is_unscored(&self) -> bool {
        !self.indicators.is_empty()
            && self
                .indicators
                .iter()
                .all(|i| i.weight.is_none() && i.score.is_none())
            && self.funds.weight.is_none()
            && self.funds.score.is_none()
            && self.total_score.is_none()
    }
}

/// 项目资金（万元）: the four rows and the score of the budget execution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// The unit of every amount of the block: 万元 on the official form (then left out of the
    /// JSON), 元 on some provinces' forms (`项目资金（元）`).
    #[serde(default, skip_serializing_if = "AmountUnit::is_wan_yuan")]
    pub unit: AmountUnit,
    /// 年度资金总额.
    pub total: Option<FundsRow>,
    /// 其中：当年财政拨款.
    pub appropriation: Option<FundsRow>,
    /// 上年结转资金.
    pub carryover: Option<FundsRow>,
    /// 其他资金.
    pub other: Option<FundsRow>,
    /// 分值 of the budget execution (10 on every known form).
    #[serde(default, deserialize_with = "decimal::optional")]
    pub weight: Option<Decimal>,
    /// 得分 of the budget execution as declared.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub score: Option<Decimal>,
    /// 原因: why the budget was not fully executed, where the form has a column for it
    /// (`预算执行情况（10分）| … | 原因`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The unit of a form's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum AmountUnit {
    /// 万元, the official form's unit.
    #[default]
    #[serde(rename = "万元")]
    WanYuan,
    /// 元.
    #[serde(rename = "元")]
    Yuan,
}

impl AmountUnit {
    /// Reads `万元` or `元`.
    pub fn parse(text: &str) -> Option<AmountUnit> {
        match text.trim() {
            "万元" => Some(AmountUnit::WanYuan),
            "元" => Some(AmountUnit::Yuan),
            _ => None,
        }
    }

    /// The unit as written: `万元` or `元`.
    pub fn as_str(self) -> &'static str {
        match self {
            AmountUnit::WanYuan => "万元",
            AmountUnit::Yuan => "元",
        }
    }

    /// True for 万元 (the default, left out of the JSON).
    pub fn is_wan_yuan(&self) -> bool {
        *self == AmountUnit::WanYuan
    }

    /// How many of this unit make one 万元.
    pub fn per_wan_yuan(self) -> Decimal {
        match self {
            AmountUnit::WanYuan => Decimal::ONE,
            AmountUnit::Yuan => Decimal::from(10_000),
        }
    }

    /// `amount` (in this unit) in `to`; exact, since one unit is a power of ten of the other.
    /// `None` only past `Decimal`'s range.
    pub fn convert(self, amount: Decimal, to: AmountUnit) -> Option<Decimal> {
        if self == to {
            return Some(amount);
        }
        let wan = amount.checked_div(self.per_wan_yuan())?;
        wan.checked_mul(to.per_wan_yuan()).map(|d| d.normalize())
    }
}

impl fmt::Display for AmountUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the funds block; a figure written `-` or `——` is `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsRow {
    /// 年初预算数.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub initial: Option<Decimal>,
    /// 全年预算数(B).
    #[serde(default, deserialize_with = "decimal::optional")]
    pub budget: Option<Decimal>,
    /// 全年执行数(C).
    #[serde(default, deserialize_with = "decimal::optional")]
    pub executed: Option<Decimal>,
}

/// 年度总体目标.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goals {
    /// 预期目标.
    pub expected: String,
    /// 实际完成情况.
    pub achieved: String,
}

/// One row of 绩效指标.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 年度指标值(A), as written.
    pub target: String,
    /// 实际完成值, as written.
    pub actual: String,
    /// 分值.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub weight: Option<Decimal>,
    /// 得分 as declared.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub score: Option<Decimal>,
    /// 偏差原因分析及改进措施.
    #[serde(default)]
    pub deviation: String,
}

/// Reading decimals from data files: strings, numbers, or a dash for none.
mod decimal {
    use std::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Deserializer, MapAccess, Visitor};

    /// Reads `"18.950000"`, `18.95`, `7`, `null`, `""`, `"-"` or `"——"` (the last four: none).
    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_any(OptionalDecimal)
    }

    struct OptionalDecimal;

    fn parse<E: de::Error>(text: &str) -> Result<Option<Decimal>, E> {
        let t = text.trim();
        if crate::model::is_blank(t) {
            return Ok(None);
        }
        t.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(t))
            .map(Some)
            .map_err(|_| E::custom(format!("“{text}”不是有效的数字")))
    }

    impl<'de> Visitor<'de> for OptionalDecimal {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("数字（如 \"18.950000\"）或 null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(OptionalDecimal)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            parse(v)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Decimal::from(v)))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Decimal::from(v)))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // TOML floats: the shortest text that reads back as `v` (18.95, not 18.9499…).
            parse(&v.to_string())
        }

        /// serde_json's `arbitrary_precision` numbers arrive as a one-entry map with the digits.
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            match map.next_key::<String>()? {
                Some(_) => {
                    let digits: String = map.next_value()?;
                    parse(&digits)
                }
                None => Err(de::Error::custom("应为数字，不是空对象")),
            }
        }
    }
}

/// True for a cell that means "nothing": empty, `-`, `—`, `——`, `/`, `－`.
pub fn is_blank(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || t.chars()
            .all(|c| matches!(c, '-' | '—' | '－' | '–' | '─' | '/' | '／' | '\u{2015}'))
}

impl FundsRow {
    /// The figure in `column`.
    pub fn get(&self, column: FundsColumn) -> Option<Decimal> {
        match column {
            FundsColumn::Initial => self.initial,
            FundsColumn::Budget => self.budget,
            FundsColumn::Executed => self.executed,
        }
    }

    /// The figure in `column`, mutably.
    pub fn get_mut(&mut self, column: FundsColumn) -> &mut Option<Decimal> {
        match column {
            FundsColumn::Initial => &mut self.initial,
            FundsColumn::Budget => &mut self.budget,
            FundsColumn::Executed => &mut self.executed,
        }
    }

    /// True when every figure is missing (a row of dashes).
    pub fn is_empty(&self) -> bool {
        FundsColumn::ALL.iter().all(|c| self.get(*c).is_none())
    }
}

impl Funds {
    /// The row of `kind`.
    pub fn row(&self, kind: FundsRowKind) -> Option<&FundsRow> {
        self.row_slot(kind).as_ref()
    }

    fn row_slot(&self, kind: FundsRowKind) -> &Option<FundsRow> {
        match kind {
            FundsRowKind::Total => &self.total,
            FundsRowKind::Appropriation => &self.appropriation,
            FundsRowKind::Carryover => &self.carryover,
            FundsRowKind::Other => &self.other,
        }
    }

    /// The row of `kind`, mutably.
    pub fn row_mut(&mut self, kind: FundsRowKind) -> &mut Option<FundsRow> {
        match kind {
            FundsRowKind::Total => &mut self.total,
            FundsRowKind::Appropriation => &mut self.appropriation,
            FundsRowKind::Carryover => &mut self.carryover,
            FundsRowKind::Other => &mut self.other,
        }
    }

    /// A figure of the funds block, `None` for a dash or a missing row.
    pub fn figure(&self, kind: FundsRowKind, column: FundsColumn) -> Option<Decimal> {
        self.row(kind).and_then(|r| r.get(column))
    }
}

/// Where each field of a form came from, when it was read from a worksheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceCells {
    /// The worksheet's name; empty when the form came from a data file.
    pub sheet: String,
    cells: BTreeMap<Field, CellRef>,
    parts: BTreeMap<Field, Vec<CellRef>>,
    /// For a table read from a PDF, `(first row, page)` of each page's rows: cells are then
    /// named `第2页 F14`.
    pages: Vec<(u32, u32)>,
}

impl SourceCells {
    /// An empty map for the worksheet `sheet`.
    pub fn new(sheet: impl Into<String>) -> Self {
        SourceCells {
            sheet: sheet.into(),
            cells: BTreeMap::new(),
            parts: BTreeMap::new(),
            pages: Vec::new(),
        }
    }

    /// Says that the worksheet is a table read from a PDF: `(first row, page)` of each page's
    /// rows, in order.
    pub fn set_pages(&mut self, pages: Vec<(u32, u32)>) {
        self.pages = pages;
    }

    /// Remembers that `field` was read from `cell`.
    pub fn insert(&mut self, field: Field, cell: CellRef) {
        self.cells.insert(field, cell);
    }

    /// The cell `field` was read from.
    pub fn get(&self, field: Field) -> Option<CellRef> {
        self.cells.get(&field).copied()
    }

    /// Every field with the cell it was read from, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, CellRef)> + '_ {
        self.cells.iter().map(|(f, c)| (*f, *c))
    }

    /// Remembers the cells a field was put together from (a split target's sign, number and
    /// unit); the first is also its cell.
    pub fn insert_parts(&mut self, field: Field, parts: Vec<CellRef>) {
        if let Some(&first) = parts.first() {
            self.cells.entry(field).or_insert(first);
        }
        self.parts.insert(field, parts);
    }

    /// The cells `field` was put together from; empty when it came from one cell.
    pub fn parts(&self, field: Field) -> &[CellRef] {
        self.parts.get(&field).map_or(&[], Vec::as_slice)
    }

    /// The cell of `field` as `Sheet!H23`, quoting a sheet name that needs it.
    pub fn reference(&self, field: Field) -> Option<String> {
        self.get(field).and_then(|cell| self.reference_at(cell))
    }

    /// `cell` of this worksheet as `Sheet!H23`; `None` for a form read from a data file.
    pub fn reference_at(&self, cell: CellRef) -> Option<String> {
        if self.sheet.is_empty() {
            return None;
        }
        if !self.pages.is_empty() {
            let i = self.pages.partition_point(|&(first, _)| first <= cell.row);
            let page = self.pages[i.saturating_sub(1)].1;
            return Some(format!("第{page}页 {cell}"));
        }
        let plain = self
            .sheet
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if plain {
            Some(format!("{}!{cell}", self.sheet))
        } else {
            Some(format!("'{}'!{cell}", self.sheet.replace('\'', "''")))
        }
    }
}

/// Values a worksheet shows that are derived from the form rather than part of it: they are
/// not data (a written form shows them recomputed) but are checked against the recomputation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shown {
    /// 执行率(C/B) of 年度资金总额, in percent (`98.55` for `98.55%`).
    pub execution_rate: Option<Decimal>,
    /// The form has a 执行率 cell for 年度资金总额 and left it blank.
    pub rate_left_blank: bool,
    /// Subtotals printed in 一级 cells (`产出指标(50分)`), in form order.
    pub subtotals: Vec<Subtotal>,
    /// The table has a unit column (`度量单位`): an actual value written without its unit is
    /// in that unit, not a unit left out.
    pub unit_column: bool,
    /// The 一级/二级 of rows that are not indicators (a 二级 without a 三级, a template row),
    /// where no indicator shares the cell: checked against the tree like an indicator's.
    pub branches: Vec<Branch>,
}

/// The 一级 and 二级 written on a row that is not an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// The cell of the 二级.
    pub cell: CellRef,
}

/// A subtotal printed in a 一级 cell: `产出指标(50分)` says the 分值 under 产出指标 add up to 50.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subtotal {
    /// The 一级指标.
    pub level1: String,
    /// The 分值 printed.
    pub points: Decimal,
    /// The cell it is printed in.
    pub cell: CellRef,
}

/// A form together with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedForm {
    /// The input as the user named it, with `#Sheet` when a workbook holds several forms.
    pub source: String,
    /// The form.
    pub form: Form,
    /// The source cell of each field read from a worksheet.
    pub cells: SourceCells,
    /// What the worksheet showed of derived values.
    pub shown: Shown,
    /// What reading noticed: rows it did not take for indicators, columns it had to guess or
    /// could not find, the end of a table without a total.
    pub findings: Vec<Finding>,
}

impl SourcedForm {
    /// A form read from a data file: no cells, nothing shown.
    pub fn from_data(source: impl Into<String>, form: Form) -> Self {
        SourcedForm {
            source: source.into(),
            form,
            cells: SourceCells::default(),
            shown: Shown::default(),
            findings: Vec::new(),
        }
    }
}

/// 等级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Grade {
    /// 优: 90 (inclusive) to 100.
    #[serde(rename = "优")]
    Excellent,
    /// 良: 80 (inclusive) to 90.
    #[serde(rename = "良")]
    Good,
    /// 中: 60 (inclusive) to 80.
    #[serde(rename = "中")]
    Fair,
    /// 差: below 60.
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    /// The grade of a total score.
    pub fn of(total: Decimal) -> Grade {
        if total >= Decimal::from(90) {
            Grade::Excellent
        } else if total >= Decimal::from(80) {
            Grade::Good
        } else if total >= Decimal::from(60) {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }

    /// The grade's character.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// Reads `优`/`良`/`中`/`差` (also `优秀`, `良好`, `合格`→中 is not accepted: only the four).
    pub fn parse(text: &str) -> Option<Grade> {
        match text.trim() {
            "优" | "优秀" => Some(Grade::Excellent),
            "良" | "良好" => Some(Grade::Good),
            "中" | "中等" => Some(Grade::Fair),
            "差" | "较差" => Some(Grade::Poor),
            _ => None,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_with_spaces_are_quoted() {
        let mut cells = SourceCells::new("My Sheet");
        cells.insert(Field::Project, CellRef { row: 2, col: 1 });
        assert_eq!(
            cells.reference(Field::Project).as_deref(),
            Some("'My Sheet'!B3")
        );
        let mut cells = SourceCells::new("自评表");
        cells.insert(Field::TotalScore, CellRef { row: 30, col: 6 });
        assert_eq!(
            cells.reference(Field::TotalScore).as_deref(),
            Some("自评表!G31")
        );
    }

    #[test]
    fn decimals_keep_their_digits() {
        let row: FundsRow =
            serde_json::from_str(r#"{"initial":"19.000000","budget":18.950000,"executed":null}"#)
                .unwrap();
        assert_eq!(row.initial.unwrap().to_string(), "19.000000");
        assert_eq!(row.budget.unwrap().to_string(), "18.950000");
        let back = serde_json::to_string(&row).unwrap();
        assert_eq!(
            back,
            r#"{"initial":"19.000000","budget":"18.950000","executed":null}"#
        );
    }
}
