//! The form as data: 项目支出绩效自评表 or 部门整体支出绩效自评表 with its funds, goals and
//! indicators.
//!
//! These types are the JSON/TOML contract (`../shared/examples/*.json`; the department form's
//! keys in `tests/fixtures/department/CONTRACT.md`). One [`Form`] serves both kinds, since
//! everything after the header is shared; [`FormKind`] says which, and the wire shape (`wire`)
//! writes only the keys of that kind and refuses the other kind's, so that one kind is never
//! read as the other silently. Money, weights and
//! scores are [`Decimal`]s that keep the digits as written (`18.950000` stays `18.950000`).
//! No I/O and no rules live here. Where things are in a form ([`Field`], [`CellRef`] and the
//! funds rows and columns) lives in `field`, below `finding`, and is re-exported here.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

pub use crate::field::{CellRef, Field, FundsColumn, FundsRowKind, IndicatorField, TaskField};
use crate::finding::Finding;

/// Which form: 项目支出绩效自评表 or 部门整体支出绩效自评表.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    /// 项目支出绩效自评表: a project's funds; 项目名称, 主管部门, 实施单位 in the header.
    #[default]
    Project,
    /// 部门整体支出绩效自评表: the whole budget of a department or unit, named in the header.
    Department,
}

impl FormKind {
    /// The form's name as printed: `项目支出绩效自评表` or `部门整体支出绩效自评表`.
    pub fn title(self) -> &'static str {
        match self {
            FormKind::Project => "项目支出绩效自评表",
            FormKind::Department => "部门整体支出绩效自评表",
        }
    }

    /// Short name for messages and lists: `项目` or `部门整体`.
    pub fn short(self) -> &'static str {
        match self {
            FormKind::Project => "项目",
            FormKind::Department => "部门整体",
        }
    }

    /// `project` or `department`, as in the JSON contract.
    pub fn key(self) -> &'static str {
        match self {
            FormKind::Project => "project",
            FormKind::Department => "department",
        }
    }

    /// Reads `project` / `department` (also `项目` / `部门`).
    pub fn parse(text: &str) -> Option<FormKind> {
        match text.trim() {
            "project" | "项目" => Some(FormKind::Project),
            "department" | "部门" | "部门整体" => Some(FormKind::Department),
            _ => None,
        }
    }
}

impl fmt::Display for FormKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One filled form, of either kind. On a department form `project`, `unit` and `lead` are
/// empty and not written; `department` is the department's or unit's own name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(into = "WireForm", try_from = "WireForm")]
pub struct Form {
    /// Which form this is.
    pub kind: FormKind,
    /// The year of the title line `（2024年度）`; `None` when the form does not say.
    #[serde(default)]
    pub year: Option<i32>,
    /// 项目名称 (project forms).
    pub project: String,
    /// 主管部门及代码 (older forms: 主管部门), e.g. `048-北京市文物局`; on a department form
    /// the department's or unit's own name (部门（单位）名称, 部门名称, 一级预算单位名称).
    pub department: String,
    /// 实施单位, e.g. `048019-北京艺术博物馆` (project forms).
    pub unit: String,
    /// 项目负责人 (2020 and earlier project forms only).
    pub lead: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// The department-only header fields (联系人, 预算编码, 财政处室, 下属单位个数).
    pub office: Office,
    /// 项目资金（万元）, or the department's whole budget.
    pub funds: Funds,
    /// 年度主要任务 (department forms of some provinces).
    pub tasks: Vec<Task>,
    /// 年度总体目标.
    pub goals: Goals,
    /// 绩效指标, in the order of the form.
    pub indicators: Vec<Indicator>,
    /// 总分 as declared on the form (a department form without a total row: its header's
    /// 自评总分).
    pub total_score: Option<Decimal>,
    /// 等级 as written on the form, when the form carries one (most do not).
    pub grade: Option<String>,
    /// Names and date of the sign-off block, keyed by the role label of the layout
    /// (`填表人`, `审核人`, `单位负责人`, `填报日期`).
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

/// The header fields only a department form has; each `None` when the form has no such cell,
/// `Some("")` when the cell is blank.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Office {
    /// 联系人 / 部门联系人.
    pub contact: Option<String>,
    /// 预算编码 / 单位编码.
    pub code: Option<String>,
    /// 财政处室 (Chongqing).
    pub finance_office: Option<String>,
    /// 下属单位个数, as printed.
    pub subunits: Option<String>,
}

/// One task of 年度主要任务.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// 任务名称.
    pub name: String,
    /// 主要内容.
    #[serde(default)]
    pub content: String,
    /// 预算数.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub budget: Option<Decimal>,
    /// 执行数.
    #[serde(default, deserialize_with = "decimal::optional")]
    pub executed: Option<Decimal>,
    /// 完成情况.
    #[serde(default)]
    pub completion: String,
}

/// The breakdown of a department's funds by expenditure (按支出性质分).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expenditure {
    /// 基本支出.
    pub basic: Option<FundsRow>,
    /// 项目支出.
    pub project: Option<FundsRow>,
    /// 其他.
    pub other: Option<FundsRow>,
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
    /// The breakdown by expenditure (基本支出 / 项目支出), printed by department forms only;
    /// `Some` with every row `None` when the form prints the rows blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expenditure: Option<Expenditure>,
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
    /// 全年（调整）绩效目标, where the form prints one (Chongqing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<String>,
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
    /// 调整指标值, where the form has the column (the adjusted target; `target` holds it too).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_adjusted: String,
    /// 指标性质: 定量指标 / 定性指标, where the form has the column.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nature: String,
    /// 是否核心指标, where the form has the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core: Option<bool>,
    /// 评价标准 / 计分标准 of a rubric form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub criteria: String,
    /// 指标说明 / 指标解释 of a rubric form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
}

// The serde shape of a `Form`: the keys of its kind only, `kind` first. A department form has
// no 项目名称/实施单位/项目负责人 and a project form no department keys, so each is written
// without the other's keys, and a data file that mixes them is refused with a message naming
// the kind — never read as the other kind silently. A file without `kind` is a project form,
// so every older data file reads as it did.

/// A key that may be absent, or present with `null`: `None` absent, `Some(None)` null.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

fn is_none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireForm {
    #[serde(default)]
    kind: FormKind,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default, skip_serializing_if = "is_none")]
    project: Option<String>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default, skip_serializing_if = "is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "is_none", deserialize_with = "present")]
    lead: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "is_none", deserialize_with = "present")]
    phone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "is_none")]
    contact: Option<String>,
    #[serde(default, skip_serializing_if = "is_none")]
    code: Option<String>,
    #[serde(default, skip_serializing_if = "is_none")]
    finance_office: Option<String>,
    #[serde(default, skip_serializing_if = "is_none")]
    subunits: Option<String>,
    funds: Funds,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<Task>,
    goals: Goals,
    indicators: Vec<Indicator>,
    #[serde(default, deserialize_with = "decimal::optional")]
    total_score: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    signoff: BTreeMap<String, String>,
}

/// Why a data file's form cannot be taken as the kind it says.
#[derive(Debug, thiserror::Error)]
pub enum KindMismatch {
    /// A key of the other kind.
    #[error("表的种类：{kind}（\"kind\": \"{key_kind}\"）不应有字段 {key}：这是{other}的内容", kind = .kind.title(), key_kind = .kind.key(), other = .kind.other().title())]
    ForeignKey {
        /// The kind the file says.
        kind: FormKind,
        /// The key of the other kind.
        key: &'static str,
    },
    /// A key the kind needs.
    #[error("missing field `{key}` ({kind})", kind = .kind.key())]
    Missing {
        /// The kind the file says.
        kind: FormKind,
        /// The key.
        key: &'static str,
    },
}

impl FormKind {
    /// The other kind.
    pub fn other(self) -> FormKind {
        match self {
            FormKind::Project => FormKind::Department,
            FormKind::Department => FormKind::Project,
        }
    }
}

impl TryFrom<WireForm> for Form {
    type Error = KindMismatch;

    fn try_from(w: WireForm) -> Result<Form, KindMismatch> {
        let foreign = |key| KindMismatch::ForeignKey { kind: w.kind, key };
        let missing = |key| KindMismatch::Missing { kind: w.kind, key };
        match w.kind {
            FormKind::Project => {
                let department_keys = [
                    ("contact", w.contact.is_some()),
                    ("code", w.code.is_some()),
                    ("finance_office", w.finance_office.is_some()),
                    ("subunits", w.subunits.is_some()),
                    ("tasks", !w.tasks.is_empty()),
                    ("funds.expenditure", w.funds.expenditure.is_some()),
                    ("goals.adjusted", w.goals.adjusted.is_some()),
                ];
                if let Some((key, _)) = department_keys.iter().find(|(_, set)| *set) {
                    return Err(foreign(key));
                }
                for (key, set) in [
                    ("project", w.project.is_some()),
                    ("department", w.department.is_some()),
                    ("unit", w.unit.is_some()),
                ] {
                    if !set {
                        return Err(missing(key));
                    }
                }
            }
            FormKind::Department => {
                for (key, set) in [
                    ("project", w.project.is_some()),
                    ("unit", w.unit.is_some()),
                    ("lead", w.lead.is_some()),
                ] {
                    if set {
                        return Err(foreign(key));
                    }
                }
                if w.department.is_none() {
                    return Err(missing("department"));
                }
            }
        }
        Ok(Form {
            kind: w.kind,
            year: w.year,
            project: w.project.unwrap_or_default(),
            department: w.department.unwrap_or_default(),
            unit: w.unit.unwrap_or_default(),
            lead: w.lead.flatten(),
            phone: w.phone.flatten(),
            office: Office {
                contact: w.contact,
                code: w.code,
                finance_office: w.finance_office,
                subunits: w.subunits,
            },
            funds: w.funds,
            tasks: w.tasks,
            goals: w.goals,
            indicators: w.indicators,
            total_score: w.total_score,
            grade: w.grade,
            signoff: w.signoff,
        })
    }
}

impl From<Form> for WireForm {
    fn from(f: Form) -> WireForm {
        let project = f.kind == FormKind::Project;
        WireForm {
            kind: f.kind,
            year: f.year,
            project: project.then_some(f.project),
            department: Some(f.department),
            unit: project.then_some(f.unit),
            // The project form writes `lead` and `phone` always (null when absent), as before;
            // the department form only what it has.
            lead: project.then_some(f.lead),
            phone: if project {
                Some(f.phone)
            } else {
                f.phone.map(Some)
            },
            contact: f.office.contact,
            code: f.office.code,
            finance_office: f.office.finance_office,
            subunits: f.office.subunits,
            funds: f.funds,
            tasks: f.tasks,
            goals: f.goals,
            indicators: f.indicators,
            total_score: f.total_score,
            grade: f.grade,
            signoff: f.signoff,
        }
    }
}

/// Reading decimals from data files: strings, numbers, or a dash for none.
pub(crate) mod decimal {
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
        const NONE: Option<FundsRow> = None;
        let spent = self.expenditure.as_ref();
        match kind {
            FundsRowKind::Total => &self.total,
            FundsRowKind::Appropriation => &self.appropriation,
            FundsRowKind::Carryover => &self.carryover,
            FundsRowKind::Other => &self.other,
            FundsRowKind::Basic => spent.map_or(&NONE, |e| &e.basic),
            FundsRowKind::Project => spent.map_or(&NONE, |e| &e.project),
            FundsRowKind::ExpenditureOther => spent.map_or(&NONE, |e| &e.other),
        }
    }

    /// The row of `kind`, mutably; a row of the expenditure breakdown makes the breakdown.
    pub fn row_mut(&mut self, kind: FundsRowKind) -> &mut Option<FundsRow> {
        match kind {
            FundsRowKind::Total => &mut self.total,
            FundsRowKind::Appropriation => &mut self.appropriation,
            FundsRowKind::Carryover => &mut self.carryover,
            FundsRowKind::Other => &mut self.other,
            FundsRowKind::Basic => &mut self.expenditure.get_or_insert_default().basic,
            FundsRowKind::Project => &mut self.expenditure.get_or_insert_default().project,
            FundsRowKind::ExpenditureOther => &mut self.expenditure.get_or_insert_default().other,
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
    /// 自评总分 printed in the header of a department form that also has a total row (then
    /// the row's 总分 is the form's and the header's is checked against it).
    pub header_score: Option<Decimal>,
    /// The funds block has 年初预算数 but no 全年预算数 column (Guizhou's department form:
    /// `年初预算数(A) | 全年执行数(B)`, rate B/A): rates and overspending are measured against
    /// 年初预算数. Never set when the column is there and a cell is blank.
    pub budget_absent: bool,
    /// 分值/得分 printed on the breakdown rows of a department form's funds block (Guizhou
    /// prints 10 / 10 on every row): shown, not data, and checked against each row's figures.
    pub row_scores: Vec<RowScore>,
    /// 执行率 printed on the breakdown rows of a department form's funds block (Jiangxi
    /// prints rates only, without figures): checked against each row's figures.
    pub row_rates: Vec<RowRate>,
    /// Subtotals printed in 一级 cells (`产出指标(50分)`), in form order.
    pub subtotals: Vec<Subtotal>,
    /// The table has a unit column (`度量单位`): an actual value written without its unit is
    /// in that unit, not a unit left out.
    pub unit_column: bool,
    /// The 一级/二级 of rows that are not indicators (a 二级 without a 三级, a template row),
    /// where no indicator shares the cell: checked against the tree like an indicator's.
    pub branches: Vec<Branch>,
}

/// A score printed on a breakdown row of the funds block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowScore {
    /// The row.
    pub row: FundsRowKind,
    /// Its 分值, when printed.
    pub weight: Option<Decimal>,
    /// Its 得分.
    pub score: Decimal,
    /// The 得分's cell.
    pub cell: CellRef,
}

/// An 执行率 printed on a breakdown row of the funds block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRate {
    /// The row.
    pub row: FundsRowKind,
    /// The rate, in percent (`103.21` for `103.21%`).
    pub rate: Decimal,
    /// Its cell.
    pub cell: CellRef,
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

impl Shown {
    /// The column the execution rate is measured against: 全年预算数, or 年初预算数 when the
    /// form has no 全年预算数 column.
    pub fn rate_basis(&self) -> FundsColumn {
        if self.budget_absent {
            FundsColumn::Initial
        } else {
            FundsColumn::Budget
        }
    }
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
