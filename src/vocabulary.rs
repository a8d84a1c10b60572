//! The words jixiao knows: labels and their synonyms, row labels, template placeholders, the
//! spellings of signs and units, and the indicator trees — all read from
//! `layouts/vocabulary.toml`, built into the binary.
//!
//! A data module: it matches text against the vocabulary and answers with typed roles; it
//! never decides what a cell means on a sheet (that is `read`'s job, which asks the section
//! that fits where a cell stands).

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::model::{
    AmountUnit, Field, FormKind, FundsColumn, FundsRowKind, IndicatorField, TaskField,
};

pub mod fold;

/// The vocabulary file, built in.
const SOURCE: &str = include_str!("../layouts/vocabulary.toml");

/// The vocabulary built into the binary.
pub fn get() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        Vocabulary::parse(SOURCE).unwrap_or_else(|e| panic!("layouts/vocabulary.toml: {e}"))
    })
}

/// A comparison written in a target or an actual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `≥`, `>=`, `不低于`, `…以上`.
    Ge,
    /// `>`, `＞`, `大于`, `超过`.
    Gt,
    /// `≤`, `<=`, `不超过`, `…以下`, `…以内`.
    Le,
    /// `<`, `＜`, `小于`, `低于`.
    Lt,
    /// `=`, `＝`, `═`.
    Eq,
}

impl Op {
    /// True for `≤` and `<`: the smaller the better.
    pub fn is_reverse(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }

    /// The sign as jixiao writes it (`≥`, `≤`, `>`, `<`, `=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }
}

/// A field at the top of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderLabel {
    /// 项目名称.
    Project,
    /// 主管部门(及代码).
    Department,
    /// 实施单位.
    Unit,
    /// 项目负责人.
    Lead,
    /// 联系电话.
    Phone,
    /// 项目负责人及电话: name and number in one cell.
    LeadPhone,
    /// 金额单位: the unit of every amount.
    AmountUnit,
    /// 部门（单位）名称: a department form's own name.
    DepartmentName,
    /// 联系人 (department forms).
    Contact,
    /// 自评总分 in the header (department forms).
    HeaderScore,
    /// 预算编码 (department forms).
    Code,
    /// 财政处室 (department forms).
    FinanceOffice,
    /// 下属单位个数 (department forms).
    Subunits,
    /// 填报日期 written above a department form's grid.
    SignoffDate,
}

impl HeaderLabel {
    /// True for a header field only department forms print (联系人, 自评总分 …): words that
    /// also stand in the footer or a total row of either form, so they start no form.
    pub fn is_office(self) -> bool {
        matches!(
            self,
            HeaderLabel::Contact
                | HeaderLabel::HeaderScore
                | HeaderLabel::Code
                | HeaderLabel::FinanceOffice
                | HeaderLabel::Subunits
                | HeaderLabel::SignoffDate
        )
    }
}

/// The label of a block, in the block-label column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// 项目资金（万元）.
    Funds,
    /// 年度总体目标.
    Goals,
    /// 绩效指标.
    Indicators,
    /// 年度主要任务 (department forms).
    Tasks,
}

/// A column of the task table (年度主要任务) of a department form, read from its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskColumn {
    /// 任务名称.
    Name,
    /// 主要内容.
    Content,
    /// 预算数.
    Budget,
    /// 执行数.
    Executed,
    /// 完成情况.
    Completion,
}

/// A column header of the funds block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundsHeader {
    /// 年初预算数.
    Initial,
    /// 全年预算数(B).
    Budget,
    /// 全年执行数(C).
    Executed,
    /// 分值 (权重).
    Weight,
    /// 执行率(C/B).
    Rate,
    /// 得分.
    Score,
    /// 原因: why the budget was not executed.
    Reason,
}

impl FundsHeader {
    /// The header of a money column.
    pub fn of(column: FundsColumn) -> FundsHeader {
        match column {
            FundsColumn::Initial => FundsHeader::Initial,
            FundsColumn::Budget => FundsHeader::Budget,
            FundsColumn::Executed => FundsHeader::Executed,
        }
    }
}

/// One of the two texts of 年度总体目标.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalLabel {
    /// 预期目标.
    Expected,
    /// 实际完成情况.
    Achieved,
    /// 全年（调整）绩效目标: the goal as adjusted during the year (Chongqing).
    Adjusted,
}

/// A column of the indicator table, by its role: what the reader maps a header to, and what
/// a layout lists its table as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The block-label column left of the table: 项目资金, 年度总体目标, 绩效指标 down their
    /// blocks (it has no header; the reader never maps a header to it).
    Block,
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Name,
    /// 年度指标值(A), whole.
    Target,
    /// 指标性质: the sign of a split target.
    TargetSign,
    /// 指标值: the number of a split target (the whole target when it is not split).
    TargetValue,
    /// 度量单位: the unit of a split target.
    TargetUnit,
    /// 实际完成值.
    Actual,
    /// 分值 (权重).
    Weight,
    /// 得分.
    Score,
    /// 偏差原因分析及改进措施.
    Deviation,
    /// 调整指标值: the target as adjusted during the year (Chongqing); beside 年初指标值, which
    /// is then the [`Column::Target`].
    TargetAdjusted,
    /// 得分系数(%): the share of the 分值 the filer scored (Chongqing); shown, not a field.
    Coefficient,
    /// 是否核心指标 (是/否).
    Core,
    /// A 分值 column right of the 一级 (`一级指标 | 分值 | 二级指标 …`, Jiangxi's 自评权重
    /// beside 分解目标): the 一级's points, merged down its group.
    Level1Weight,
    /// A 分值 column right of the 二级, left of the 三级: the 二级's points.
    Level2Weight,
    /// 评价标准 / 计分标准 of a rubric.
    Criteria,
    /// 指标说明 / 指标解释 of a rubric.
    Explanation,
}

impl Column {
    /// The header a filer knows the column by, for messages: the first spelling of the
    /// column in the vocabulary (of the 绩效指标 block label for [`Column::Block`]).
    pub fn label(self) -> &'static str {
        let v = get();
        match self {
            Column::Block => v.blocks.name(Block::Indicators),
            column => v.columns.name(column),
        }
    }

    /// The column of an indicator field.
    pub fn of(field: IndicatorField) -> Column {
        match field {
            IndicatorField::Level1 => Column::Level1,
            IndicatorField::Level2 => Column::Level2,
            IndicatorField::Name => Column::Name,
            IndicatorField::Target => Column::Target,
            IndicatorField::Actual => Column::Actual,
            IndicatorField::Weight => Column::Weight,
            IndicatorField::Score => Column::Score,
            IndicatorField::Deviation => Column::Deviation,
        }
    }
}

/// A label that stands for a whole row of the indicator table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowLabel {
    /// 总分, 合计, 总计: the closing row.
    Total,
    /// 小计.
    Subtotal,
    /// 续上页, or the block label repeated on a continued page.
    Continued,
    /// 填报注意事项, 填表说明.
    Notes,
    /// 评价结论, 填表人 …: rows after the table.
    Footer,
    /// 等级.
    Grade,
}

/// One 一级指标 of a tree and the 二级指标 under it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeGroup {
    /// 一级指标.
    pub level1: String,
    /// Its 二级指标, in order.
    pub level2: Vec<String>,
}

/// An indicator tree (指标体系) a form may follow.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    /// What it is, for messages.
    pub name: String,
    /// The kind of form that follows it: a department tree is no template of a project form
    /// (project trees serve both).
    #[serde(default)]
    pub kind: FormKind,
    /// Its 一级 groups, in order.
    pub groups: Vec<TreeGroup>,
}

/// True when a form's 一级/二级 name is the tree's `name`: the same, or the same without the
/// trailing `指标` (`数量` for `数量指标`).
fn same_name(written: &str, name: &str) -> bool {
    written == name
        || (!written.is_empty()
            && written.trim_end_matches("指标") == name.trim_end_matches("指标"))
}

impl Tree {
    /// The group of a 一级指标.
    pub fn group(&self, level1: &str) -> Option<&TreeGroup> {
        self.position(level1).map(|i| &self.groups[i])
    }

    /// Where the group of a 一级指标 comes in the tree.
    pub fn position(&self, level1: &str) -> Option<usize> {
        self.groups
            .iter()
            .position(|g| same_name(level1, &g.level1))
    }

    /// The 一级指标 a 二级指标 belongs to.
    pub fn parent_of(&self, level2: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|g| g.level2.iter().any(|l| same_name(level2, l)))
            .map(|g| g.level1.as_str())
    }

    /// True when `level2` under `level1` is a branch of this tree (a group of a department
    /// tree that names no 二级 accepts any: the source showed none).
    pub fn has(&self, level1: &str, level2: &str) -> bool {
        self.group(level1).is_some_and(|g| {
            (g.level2.is_empty() && self.kind == FormKind::Department && !level2.is_empty())
                || g.level2.iter().any(|l| same_name(level2, l))
        })
    }
}

/// A name without the numbering of a list in front of it: `一、产出指标`, `（一）产出指标`,
/// `1.产出指标`, `1、产出指标` → `产出指标` (a normalised text: brackets half-width).
pub fn strip_enumerator(n: &str) -> &str {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let rest = match n.strip_prefix('(') {
        Some(inner) => {
            let digits = inner.trim_start_matches(numeral);
            match digits.strip_prefix(')') {
                Some(after) if digits.len() < inner.len() => after,
                _ => return n,
            }
        }
        None => {
            let digits = n.trim_start_matches(numeral);
            if digits.len() == n.len() {
                return n;
            }
            match digits.strip_prefix(['、', '.']) {
                Some(after) => after,
                None => return n,
            }
        }
    };
    let rest = rest.strip_prefix(['、', '.']).unwrap_or(rest);
    if rest.is_empty() { n } else { rest }
}

/// What a trailing bracket said about a label: `(万元)`, `(50分)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// The unit of the amounts under it.
    Unit(AmountUnit),
    /// A score: the 分值 of a block or a subtotal (`产出指标(50分)`).
    Points(Decimal),
}

/// Splits a normalised label into its base and what a trailing bracket says:
/// `项目资金(万元)` → (`项目资金`, 万元), `产出指标(50分)` → (`产出指标`, 50 分),
/// `全年预算数(B)` → (`全年预算数`, none), `执行率(C/B)` → (`执行率`, none). Other brackets
/// stay (`主管部门(代码)`).
pub fn split_qualifier(n: &str) -> (&str, Option<Qualifier>) {
    let Some(open) = n.rfind('(') else {
        return (n, None);
    };
    if !n.ends_with(')') || open == 0 {
        return (n, None);
    }
    let inner = &n[open + 1..n.len() - 1];
    let base = &n[..open];
    let points = inner
        .strip_suffix('分')
        .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .and_then(|d| d.parse::<Decimal>().ok());
    if let Some(p) = points {
        return (base, Some(Qualifier::Points(p)));
    }
    if let Some(unit) = AmountUnit::parse(inner) {
        return (base, Some(Qualifier::Unit(unit)));
    }
    let letters = !inner.is_empty()
        && inner.len() <= 5
        && inner
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, '/' | '%' | '*'));
    // `实施单位（盖章）`: where the printout is stamped or signed, no part of the label.
    let signing = inner.contains(['章', '签']);
    // `指标权重(分)`, `得分(分)`: the unit of the figures under it, no part of the label.
    if letters || inner == "%" || inner == "分" || signing {
        return (base, None);
    }
    (n, None)
}

/// Every role a label's text has, one per section: what the reader needs to know of a cell
/// whatever place it stands in, computed once per cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    /// As a header field.
    pub header: Option<HeaderLabel>,
    /// As a block label.
    pub block: Option<Block>,
    /// As a funds column header.
    pub funds_column: Option<FundsHeader>,
    /// As a funds row label.
    pub funds_row: Option<FundsRowKind>,
    /// As a goal label.
    pub goal: Option<GoalLabel>,
    /// As an indicator column header.
    pub column: Option<Column>,
    /// As a row label of the indicator table.
    pub row: Option<RowLabel>,
    /// The title.
    pub title: bool,
}

impl Roles {
    /// Fills every role not yet known from `other`.
    fn fill(&mut self, other: &Roles) {
        self.header = self.header.or(other.header);
        self.block = self.block.or(other.block);
        self.funds_column = self.funds_column.or(other.funds_column);
        self.funds_row = self.funds_row.or(other.funds_row);
        self.goal = self.goal.or(other.goal);
        self.column = self.column.or(other.column);
        self.row = self.row.or(other.row);
    }

    /// True when the text has no role at all.
    pub fn is_none(&self) -> bool {
        *self == Roles::default()
    }
}

/// Every spelling of every section in one sorted table, for [`Vocabulary::classify`].
#[derive(Debug, Clone, Default)]
struct Index {
    /// Exact spellings, sorted.
    exact: Vec<(String, Roles)>,
    /// Prefix spellings, longest first.
    prefixes: Vec<(String, Roles)>,
}

impl Index {
    fn add<R: Copy>(&mut self, section: &Section<R>, set: impl Fn(&mut Roles, R)) {
        for (spelling, role) in &section.exact {
            let mut r = Roles::default();
            set(&mut r, *role);
            self.exact.push((spelling.clone(), r));
        }
        for (spelling, role) in &section.prefixes {
            let mut r = Roles::default();
            set(&mut r, *role);
            self.prefixes.push((spelling.clone(), r));
        }
    }

    fn finish(&mut self) {
        self.exact.sort_by(|a, b| a.0.cmp(&b.0));
        // One entry per spelling: the roles of every section that spells it so.
        let mut merged: Vec<(String, Roles)> = Vec::with_capacity(self.exact.len());
        for (s, r) in self.exact.drain(..) {
            match merged.last_mut() {
                Some((last, roles)) if *last == s => roles.fill(&r),
                _ => merged.push((s, r)),
            }
        }
        self.exact = merged;
        self.prefixes
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.chars().count()));
    }

    fn exact(&self, text: &str) -> Option<&Roles> {
        self.exact
            .binary_search_by(|(s, _)| s.as_str().cmp(text))
            .ok()
            .map(|i| &self.exact[i].1)
    }
}

/// How a spelling matches.
#[derive(Debug, Clone)]
enum Spelling {
    Exact(String),
    Prefix(String),
}

impl Spelling {
    fn of(text: &str) -> Spelling {
        match text.strip_suffix('*') {
            Some(prefix) => Spelling::Prefix(fold::label(prefix)),
            None => Spelling::Exact(fold::label(text)),
        }
    }
}

/// The spellings of one section, by role.
#[derive(Debug, Clone)]
pub struct Section<R> {
    exact: HashMap<String, R>,
    /// Longest first.
    prefixes: Vec<(String, R)>,
    /// The first spelling of each role as the file writes it: the name messages use.
    names: Vec<(R, String)>,
}

impl<R: Copy> Section<R> {
    fn new(entries: Vec<(R, Vec<String>)>) -> Section<R> {
        let mut exact = HashMap::new();
        let mut prefixes = Vec::new();
        let mut names = Vec::new();
        for (role, spellings) in entries {
            if let Some(first) = spellings.first() {
                names.push((role, first.trim_end_matches('*').to_string()));
            }
            for s in spellings {
                match Spelling::of(&s) {
                    Spelling::Exact(e) => {
                        exact.entry(e).or_insert(role);
                    }
                    Spelling::Prefix(p) => prefixes.push((p, role)),
                }
            }
        }
        prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.chars().count()));
        Section {
            exact,
            prefixes,
            names,
        }
    }

    /// The name of `role` in messages: its first spelling in `layouts/vocabulary.toml`.
    ///
    /// # Panics
    /// When the file lists no spelling for `role` (the built-in file lists one for every role;
    /// a test says so).
    pub fn name(&self, role: R) -> &str
    where
        R: PartialEq + std::fmt::Debug,
    {
        self.names
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, n)| n.as_str())
            .unwrap_or_else(|| panic!("layouts/vocabulary.toml: no spelling for {role:?}"))
    }

    /// The exact spellings of `role`, normalised.
    pub fn spellings(&self, role: R) -> impl Iterator<Item = &str>
    where
        R: PartialEq,
    {
        self.exact
            .iter()
            .filter(move |(_, r)| **r == role)
            .map(|(s, _)| s.as_str())
    }

    /// The role of a normalised text: an exact spelling (with or without its qualifier and a
    /// leading `其中:`), else the longest prefix.
    pub fn find(&self, normalized: &str) -> Option<R> {
        let n = strip_among(normalized);
        let (base, _) = split_qualifier(n);
        self.exact
            .get(base)
            .or_else(|| self.exact.get(n))
            .copied()
            .or_else(|| {
                self.prefixes
                    .iter()
                    .find(|(p, _)| n.starts_with(p.as_str()))
                    .map(|(_, r)| *r)
            })
    }
}

/// `其中:当年财政拨款` → `当年财政拨款`.
fn strip_among(n: &str) -> &str {
    n.strip_prefix("其中:")
        .or_else(|| n.strip_prefix("其中"))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(n)
}

/// The template leftovers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placeholders {
    /// Words followed by a number (`指标1`).
    numbered: Vec<String>,
    /// Characters that only fill a cell (`……`).
    filler: String,
    /// Text inside a name that the template asked to replace (`**`).
    marks: Vec<String>,
    /// What only the template's instructions to the filer say (`（100字以内）`).
    instructions: Vec<String>,
}

impl Placeholders {
    /// True for a template's placeholder row name: `指标1`, `指标2：`, `三级指标2`, `……`, `XXX`.
    pub fn is_placeholder(&self, name: &str) -> bool {
        // Most names start with neither a numbered word nor a filler character.
        let Some(first) = name.trim().chars().next() else {
            return false;
        };
        if !self.filler.contains(first) && !self.numbered.iter().any(|w| w.starts_with(first)) {
            return false;
        }
        let name = fold::label(name);
        if name.is_empty() {
            return false;
        }
        let numbered = self.numbered.iter().any(|p| {
            name.strip_prefix(fold::label(p).as_str())
                .is_some_and(|rest| {
                    !rest.is_empty()
                        && rest.chars().all(|c| {
                            c.is_ascii_digit()
                                || ('０'..='９').contains(&c)
                                || "一二三四五六七八九十".contains(c)
                        })
                })
        });
        let filler = name
            .chars()
            .all(|c| self.filler.contains(c) || self.filler.contains(c.to_ascii_lowercase()));
        numbered || filler
    }

    /// A template's numbering left before a real name: `指标1:工程质量合格`, `指标2工程验收合格率`,
    /// `指标一、安全率` → (the numbering as written, the name after it). None when nothing
    /// follows (`指标2：`, a placeholder) or when what follows is no name of its own: a Chinese
    /// numeral must be followed by a separator (`指标一致率` is a name).
    pub fn numbered_prefix<'a>(&self, name: &'a str) -> Option<(&'a str, &'a str)> {
        let t = name.trim_start();
        let rest = self
            .numbered
            .iter()
            .find_map(|w| t.strip_prefix(w.as_str()))?;
        let digits = rest
            .char_indices()
            .take_while(|(_, c)| {
                c.is_ascii_digit()
                    || ('０'..='９').contains(c)
                    || "一二三四五六七八九十".contains(*c)
            })
            .count();
        if digits == 0 || digits > 2 {
            return None;
        }
        let (number, after) = rest.split_at(rest.char_indices().nth(digits)?.0);
        let separators = [':', '：', '、', '.', '．', ' ', '\u{3000}'];
        let named = after.trim_start_matches(separators);
        let separated = named.len() < after.len();
        if named.is_empty() || !(separated || number.chars().all(|c| c.is_ascii_digit())) {
            return None;
        }
        Some((&t[..t.len() - named.len()], named.trim_end()))
    }

    /// True for a text that is the template's instruction to the filer, not an answer:
    /// `对照年度目标，说明相关任务目标的完成情况（100字以内）`.
    pub fn is_instruction(&self, text: &str) -> bool {
        let n = fold::label(text);
        self.instructions.iter().any(|w| n.contains(w.as_str()))
    }

    /// The first template mark left inside a name (`**` in `(≥**人)`), if any.
    pub fn mark_in(&self, name: &str) -> Option<&str> {
        self.marks
            .iter()
            .find(|m| name.contains(m.as_str()))
            .map(String::as_str)
    }
}

/// The longest label (in characters, qualifier aside) read by the words it holds: longer
/// texts are sentences, not headers.
const MAX_MEANING: usize = 12;

/// One rule of `[meanings]`: a label that no spelling matches is `role` when it holds a word
/// of every group of `all` and no word of `not`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meaning<R> {
    role: R,
    all: Vec<Vec<String>>,
    #[serde(default)]
    not: Vec<String>,
}

/// What a label means by its words, per section, the first rule that fits winning.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meanings {
    header: Vec<Meaning<HeaderLabel>>,
    funds_columns: Vec<Meaning<FundsHeader>>,
    columns: Vec<Meaning<Column>>,
    tasks: Vec<Meaning<TaskColumn>>,
}

impl Meanings {
    /// The role of `text` by the first rule of `rules` it fits, for a short text without
    /// figures or a colon (a bracket qualifying it aside: `(B)`, `(万元)`).
    fn infer<R: Copy>(rules: &[Meaning<R>], text: &str) -> Option<R> {
        let n = fold::label(text);
        let (base, _) = split_qualifier(strip_among(&n));
        let short = !base.is_empty() && base.chars().count() <= MAX_MEANING;
        // A colon writes the value after its label (`项目名称：某项目`): no label alone.
        if !short || base.chars().any(|c| c.is_ascii_digit() || c == ':') {
            return None;
        }
        let has = |w: &String| base.contains(w.as_str());
        rules
            .iter()
            .find(|m| m.all.iter().all(|group| group.iter().any(has)) && !m.not.iter().any(has))
            .map(|m| m.role)
    }

    /// The header field a label names by its words (`项目实施单位（盖章）`).
    pub fn header(&self, text: &str) -> Option<HeaderLabel> {
        Meanings::infer(&self.header, text)
    }

    /// The funds column a header names by its words (`预算执行数`).
    pub fn funds_column(&self, text: &str) -> Option<FundsHeader> {
        Meanings::infer(&self.funds_columns, text)
    }

    /// The indicator column a header names by its words (`本年实际完成`).
    pub fn column(&self, text: &str) -> Option<Column> {
        Meanings::infer(&self.columns, text)
    }

    /// The task table column a header names by its words (`任务名称`, `实际支出金额`).
    pub fn task_column(&self, text: &str) -> Option<TaskColumn> {
        Meanings::infer(&self.tasks, text)
    }
}

/// The vocabulary: every section of `layouts/vocabulary.toml`, ready for matching.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    title_endings: Vec<String>,
    /// What a title repeated over a continued page ends with (`(续)`), normalised.
    title_continued: Vec<String>,
    /// What may follow a bound to say it is included (`(含)`), normalised.
    inclusive: Vec<String>,
    /// Header fields.
    pub header: Section<HeaderLabel>,
    /// Block labels.
    pub blocks: Section<Block>,
    /// Funds column headers.
    pub funds_columns: Section<FundsHeader>,
    /// Funds row labels.
    pub funds_rows: Section<FundsRowKind>,
    /// Goal labels.
    pub goals: Section<GoalLabel>,
    /// Indicator column headers.
    pub columns: Section<Column>,
    /// Column headers of a department form's task table (年度主要任务).
    pub task_columns: Section<TaskColumn>,
    /// Row labels of the indicator table.
    pub rows: Section<RowLabel>,
    /// Template leftovers.
    pub placeholders: Placeholders,
    /// What labels no spelling matches mean by their words.
    pub meanings: Meanings,
    /// Signs written in front of a number, longest first.
    signs_before: Vec<(String, Op)>,
    /// Signs written after the unit, longest first.
    signs_after: Vec<(String, Op)>,
    /// Words of a split target's sign column that give a direction (`正向`, `反向`).
    directions: Vec<(String, Op)>,
    /// Words of that column that say the indicator's nature instead (`定量指标`), normalised.
    natures: Vec<String>,
    /// Other spellings of units, with the unit they mean.
    unit_aliases: Vec<(String, String)>,
    /// The indicator trees a form may follow, current first.
    pub trees: Vec<Tree>,
    /// The words that tell the two kinds of form apart.
    pub kind: KindWords,
    /// How a department is named when forms of one batch are compared.
    pub organisations: Organisations,
    /// Every section's spellings in one table.
    index: Index,
    /// The first character of every spelling (and of `其中`), sorted: a text that starts with
    /// none of them is no label of any section.
    first_chars: Vec<char>,
}

/// The serde shape of the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    title: TitleFile,
    header: HashMap<HeaderLabel, Vec<String>>,
    blocks: HashMap<Block, Vec<String>>,
    funds_columns: HashMap<FundsHeader, Vec<String>>,
    funds_rows: HashMap<FundsRowKind, Vec<String>>,
    goals: HashMap<GoalLabel, Vec<String>>,
    columns: HashMap<Column, Vec<String>>,
    task_columns: HashMap<TaskColumn, Vec<String>>,
    rows: HashMap<RowLabel, Vec<String>>,
    placeholders: Placeholders,
    meanings: Meanings,
    signs: SignsFile,
    units: HashMap<String, Vec<String>>,
    trees: Vec<Tree>,
    kind: KindWords,
    organisations: Organisations,
}

/// How a department is named when forms of one batch are compared (`[organisations]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisations {
    /// Words after a name that still name the same department's own budget (`本级`).
    own: Vec<String>,
}

impl Organisations {
    /// The name a department is compared by: folded ([`fold::organisation`]: spaces,
    /// full-width ASCII, brackets, a budget code), then one of the `own` words at its end
    /// dropped, bracketed or not (`北京市文物局(本级)` is `北京市文物局`). Empty for a blank
    /// name.
    pub fn key(&self, name: &str) -> String {
        let mut key = fold::organisation(name);
        for word in &self.own {
            let word = fold::label(word);
            let bracketed = format!("({word})");
            for suffix in [bracketed.as_str(), word.as_str()] {
                if let Some(base) = key.strip_suffix(suffix)
                    && !base.is_empty()
                {
                    key.truncate(base.len());
                    return key;
                }
            }
        }
        key
    }
}

/// The words that tell a 部门整体支出绩效自评表 from a 项目支出绩效自评表 (`[kind]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindWords {
    department_title: Vec<String>,
    project_title: Vec<String>,
    department_funds: Vec<String>,
    project_funds: Vec<String>,
}

impl KindWords {
    /// The kind a title (normalised) names: `部门整体支出绩效自评表` → department.
    pub fn of_title(&self, normalized: &str) -> Option<FormKind> {
        let has = |words: &[String]| words.iter().any(|w| normalized.contains(w.as_str()));
        if has(&self.department_title) {
            Some(FormKind::Department)
        } else if has(&self.project_title) {
            Some(FormKind::Project)
        } else {
            None
        }
    }

    /// The kind a funds block label (normalised) names: `年度部门整体支出预算执行情况` →
    /// department, `项目资金（万元）` → project.
    pub fn of_funds(&self, normalized: &str) -> Option<FormKind> {
        let (base, _) = split_qualifier(normalized);
        let matches = |words: &[String]| {
            words.iter().any(|w| match w.strip_suffix('*') {
                Some(prefix) => base.starts_with(&fold::label(prefix)),
                None => base == fold::label(w),
            })
        };
        if matches(&self.department_funds) {
            Some(FormKind::Department)
        } else if matches(&self.project_funds) {
            Some(FormKind::Project)
        } else {
            None
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleFile {
    endings: Vec<String>,
    continued: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignsFile {
    ge: Vec<String>,
    le: Vec<String>,
    gt: Vec<String>,
    lt: Vec<String>,
    eq: Vec<String>,
    ge_after: Vec<String>,
    le_after: Vec<String>,
    inclusive: Vec<String>,
    direction_ge: Vec<String>,
    direction_le: Vec<String>,
    nature: Vec<String>,
}

/// Entries of a map in a stable order (the file's map order is not kept by serde).
fn sorted<K: Copy + std::fmt::Debug>(map: HashMap<K, Vec<String>>) -> Vec<(K, Vec<String>)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by_key(|(k, _)| format!("{k:?}"));
    v
}

fn ops(words: &[(Vec<String>, Op)]) -> Vec<(String, Op)> {
    let mut out: Vec<(String, Op)> = words
        .iter()
        .flat_map(|(ws, op)| ws.iter().map(move |w| (w.clone(), *op)))
        .collect();
    out.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
    out
}

/// Why a vocabulary file cannot be used (a bug of `layouts/vocabulary.toml`: it is built in).
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    /// Not valid TOML, or not a vocabulary (a missing section, an unknown role).
    #[error("{}", .0.message())]
    Toml(#[from] toml::de::Error),
    /// The list of indicator trees, or a tree, is empty.
    #[error("trees: 指标体系不能为空")]
    EmptyTree,
}

impl Vocabulary {
    /// Parses a vocabulary file.
    ///
    /// # Errors
    /// [`VocabularyError`]: the TOML error, or an empty tree.
    pub fn parse(text: &str) -> Result<Vocabulary, VocabularyError> {
        let file: File = toml::from_str(text)?;
        if file.trees.is_empty() || file.trees.iter().any(|t| t.groups.is_empty()) {
            return Err(VocabularyError::EmptyTree);
        }
        let s = file.signs;
        let signs_before = ops(&[
            (s.ge, Op::Ge),
            (s.le, Op::Le),
            (s.gt, Op::Gt),
            (s.lt, Op::Lt),
            (s.eq, Op::Eq),
        ]);
        let signs_after = ops(&[(s.ge_after, Op::Ge), (s.le_after, Op::Le)]);
        let directions = ops(&[(s.direction_ge, Op::Ge), (s.direction_le, Op::Le)])
            .into_iter()
            .map(|(w, op)| (fold::label(&w), op))
            .collect();
        let natures = s.nature.iter().map(|w| fold::label(w)).collect();
        let mut unit_aliases: Vec<(String, String)> = file
            .units
            .into_iter()
            .flat_map(|(unit, aliases)| aliases.into_iter().map(move |a| (a, unit.clone())))
            .collect();
        unit_aliases.sort_by_key(|(a, _)| std::cmp::Reverse(a.chars().count()));
        let mut v = Vocabulary {
            title_endings: file.title.endings.iter().map(|e| fold::label(e)).collect(),
            title_continued: file
                .title
                .continued
                .iter()
                .map(|e| fold::label(e))
                .collect(),
            // Both bracket widths: targets are folded by `score`, which keeps `（）`.
            inclusive: s
                .inclusive
                .iter()
                .map(|e| fold::label(e))
                .flat_map(|e| [e.replace('(', "（").replace(')', "）"), e])
                .collect(),
            header: Section::new(sorted(file.header)),
            blocks: Section::new(sorted(file.blocks)),
            funds_columns: Section::new(sorted(file.funds_columns)),
            funds_rows: Section::new(sorted(file.funds_rows)),
            goals: Section::new(sorted(file.goals)),
            columns: Section::new(sorted(file.columns)),
            task_columns: Section::new(sorted(file.task_columns)),
            rows: Section::new(sorted(file.rows)),
            placeholders: file.placeholders,
            meanings: file.meanings,
            signs_before,
            signs_after,
            directions,
            natures,
            unit_aliases,
            trees: file.trees,
            kind: file.kind,
            organisations: file.organisations,
            index: Index::default(),
            first_chars: Vec::new(),
        };
        let mut index = Index::default();
        index.add(&v.header, |r, x| r.header = Some(x));
        index.add(&v.blocks, |r, x| r.block = Some(x));
        index.add(&v.funds_columns, |r, x| r.funds_column = Some(x));
        index.add(&v.funds_rows, |r, x| r.funds_row = Some(x));
        index.add(&v.goals, |r, x| r.goal = Some(x));
        index.add(&v.columns, |r, x| r.column = Some(x));
        index.add(&v.rows, |r, x| r.row = Some(x));
        index.finish();
        let mut first_chars: Vec<char> = index
            .exact
            .iter()
            .chain(&index.prefixes)
            .filter_map(|(s, _)| s.chars().next())
            // `其中:…`, and a funds row run in after its number (`(2)项目支出`).
            .chain(['其', '('])
            .collect();
        first_chars.sort_unstable();
        first_chars.dedup();
        v.index = index;
        v.first_chars = first_chars;
        Ok(v)
    }

    /// The trees a form of `kind` may follow: a project form the project trees, a department
    /// form any (Guizhou's department form prints the project tree).
    pub fn trees_for(&self, kind: FormKind) -> impl Iterator<Item = &Tree> {
        self.trees
            .iter()
            .filter(move |t| kind == FormKind::Department || t.kind == FormKind::Project)
    }

    /// True for a title: `项目支出绩效自评表`, `2022年度项目支出绩效自评表`,
    /// `项目支出绩效自评表(2024年度)`, `部门预算项目支出绩效自评表`; not a sentence that
    /// mentions the form.
    pub fn is_title(&self, normalized: &str) -> bool {
        // Over a continued page: `项目支出绩效自评表(续)`.
        let normalized = self
            .title_continued
            .iter()
            .find_map(|s| normalized.strip_suffix(s.as_str()))
            .unwrap_or(normalized);
        let n = match normalized.rfind('(') {
            Some(open) if normalized.ends_with("年度)") => &normalized[..open],
            _ => normalized,
        };
        n.chars().count() <= 30
            && !n.contains(['。', ',', ';', '，', '；'])
            && self.title_endings.iter().any(|e| n.ends_with(e.as_str()))
    }

    /// The sign at the start of `s` (already folded to half-width), with the rest.
    pub fn sign_before<'a>(&self, s: &'a str) -> (Option<Op>, &'a str) {
        for (word, op) in &self.signs_before {
            if let Some(rest) = s.strip_prefix(word.as_str()) {
                return (Some(*op), rest);
            }
        }
        (None, s)
    }

    /// `s` without a word after its bound saying the bound is included (`≥90%(含)`,
    /// `≥90%（含）`).
    pub fn without_inclusive<'a>(&self, s: &'a str) -> &'a str {
        self.inclusive
            .iter()
            .find_map(|w| s.strip_suffix(w.as_str()))
            .unwrap_or(s)
    }

    /// The sign at the end of `s` (`以上`, `以内`), with the rest.
    pub fn sign_after<'a>(&self, s: &'a str) -> (Option<Op>, &'a str) {
        for (word, op) in &self.signs_after {
            if let Some(rest) = s.strip_suffix(word.as_str()) {
                return (Some(*op), rest);
            }
        }
        (None, s)
    }

    /// The direction a word of a split target's sign column gives (`正向` → ≥, `反向` → ≤).
    pub fn direction(&self, normalized: &str) -> Option<Op> {
        self.directions
            .iter()
            .find(|(w, _)| w == normalized)
            .map(|(_, op)| *op)
    }

    /// True when a word of a split target's sign column says the indicator's nature
    /// (`定量指标`, `定性`) rather than a comparison: Chongqing's 指标性质.
    pub fn is_nature(&self, text: &str) -> bool {
        let n = fold::label(text);
        self.natures.contains(&n)
    }

    /// The sign column of a split target as the sign it means: `≥`, `>=` as written, `正向`
    /// (≥), `反向` (≤); words that only say the kind (`定性`, `定量`) give nothing.
    pub fn sign_text(&self, sign: &str) -> String {
        let n = fold::label(sign);
        if self.is_sign(&n).is_some() {
            return sign.trim().to_string();
        }
        match self.direction(&n) {
            Some(op) => op.symbol().to_string(),
            None => String::new(),
        }
    }

    /// A target split over `指标性质 | 指标值 | 度量单位` as one (`≥`, `735`, `人次` →
    /// `≥735人次`): nothing without a number; the unit once, also when the number cell
    /// already ends with it.
    pub fn join_target(&self, sign: &str, number: &str, unit: &str) -> String {
        let number = number.trim();
        if number.is_empty() {
            return String::new();
        }
        let unit = unit.trim();
        let mut out = self.sign_text(sign);
        out.push_str(number);
        if !number.ends_with(unit) {
            out.push_str(unit);
        }
        out
    }

    /// The unit another spelling means (`百分比` → `%`).
    pub fn unit_alias(&self, unit: &str) -> Option<&str> {
        self.unit_aliases
            .iter()
            .find(|(a, _)| a == unit)
            .map(|(_, u)| u.as_str())
    }

    /// Every spelling of a sign, for a property test and the reader of split targets.
    pub fn is_sign(&self, text: &str) -> Option<Op> {
        match self.sign_before(text) {
            (Some(op), "") => Some(op),
            _ => None,
        }
    }

    /// False for a text that cannot be a label of any section or the title, decided from its
    /// first and last characters without normalising it: most cells of a form (names,
    /// targets, figures) are passed over this way.
    pub fn may_be_label(&self, text: &str) -> bool {
        let fold = |c: char| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c.to_ascii_uppercase(),
        };
        let t = text.trim();
        let Some(first) = t.chars().next().map(fold) else {
            return false;
        };
        self.first_chars.binary_search(&first).is_ok() || t.ends_with(['表', ')', '）'])
    }

    /// Every role of a normalised text, one per section, as [`Section::find`] gives each: an
    /// exact spelling (with or without its qualifier and a leading `其中:`), else the longest
    /// prefix of that section.
    pub fn classify(&self, normalized: &str) -> Roles {
        let n = strip_among(normalized);
        let (base, _) = split_qualifier(n);
        let mut roles = self.index.exact(base).copied().unwrap_or_default();
        if base != n
            && let Some(r) = self.index.exact(n)
        {
            roles.fill(r);
        }
        for (p, r) in &self.index.prefixes {
            if n.starts_with(p.as_str()) {
                roles.fill(r);
            }
        }
        if roles.funds_row.is_none()
            && let Some(kind) = self.run_in_funds_row(n)
        {
            roles.funds_row = Some(kind);
        }
        if roles.row.is_none() && self.is_total_with_value(n) {
            roles.row = Some(RowLabel::Total);
        }
        roles.title = self.is_title(normalized);
        roles
    }

    /// A funds row label run in after the breakdown's name and its item number, as Jiangxi
    /// prints them: `资金来源:(1)财政拨款`, `资金结构:(1)基本支出`, `(2)项目支出`. The name
    /// before the colon must speak of the funds (资金, 支出), so that no other `X:Y` is read so.
    fn run_in_funds_row(&self, normalized: &str) -> Option<FundsRowKind> {
        let item = match normalized.split_once(':') {
            Some((name, rest)) if name.contains("资金") || name.contains("支出") => rest,
            Some(_) => return None,
            None => normalized,
        };
        let item = strip_enumerator(item);
        (item != normalized)
            .then(|| self.funds_rows.find(item))
            .flatten()
    }

    /// True for a total written with its value in the label's cell: `总分：96分`, `合计:96`.
    fn is_total_with_value(&self, normalized: &str) -> bool {
        normalized.split_once(':').is_some_and(|(label, value)| {
            self.rows.exact.get(label) == Some(&RowLabel::Total)
                && value.starts_with(|c: char| c.is_ascii_digit())
        })
    }

    /// The name of a field of the form in messages, from the first spellings of its labels:
    /// `项目名称`, `年度资金总额的全年预算数(B)`, `预期目标`, `总分`; an indicator's field by its
    /// column (`得分`), the message naming the indicator.
    pub fn field_name(&self, field: Field) -> String {
        let total = || self.funds_rows.name(FundsRowKind::Total);
        let of_total = |header| format!("{}的{}", total(), self.funds_columns.name(header));
        match field {
            Field::Year => "年度".to_string(),
            Field::Project => self.header.name(HeaderLabel::Project).to_string(),
            Field::Department => self.header.name(HeaderLabel::Department).to_string(),
            Field::Unit => self.header.name(HeaderLabel::Unit).to_string(),
            Field::Lead => self.header.name(HeaderLabel::Lead).to_string(),
            Field::Phone => self.header.name(HeaderLabel::Phone).to_string(),
            Field::Contact => self.header.name(HeaderLabel::Contact).to_string(),
            Field::HeaderScore => self.header.name(HeaderLabel::HeaderScore).to_string(),
            Field::Task(i, f) => format!(
                "第 {} 项任务的{}",
                i + 1,
                match f {
                    TaskField::Name => "任务名称",
                    TaskField::Budget => "预算数",
                    TaskField::Executed => "执行数",
                }
            ),
            Field::Funds(row, column) => format!(
                "{}的{}",
                self.funds_rows.name(row),
                self.funds_columns.name(FundsHeader::of(column))
            ),
            Field::FundsWeight => of_total(FundsHeader::Weight),
            Field::FundsScore => of_total(FundsHeader::Score),
            Field::FundsRate => of_total(FundsHeader::Rate),
            Field::Expected => self.goals.name(GoalLabel::Expected).to_string(),
            Field::Achieved => self.goals.name(GoalLabel::Achieved).to_string(),
            Field::Indicator(_, f) => Column::of(f).label().to_string(),
            Field::TotalScore => self.rows.name(RowLabel::Total).to_string(),
            Field::Grade => self.rows.name(RowLabel::Grade).to_string(),
        }
    }

    /// True when `text` is written exactly as a label of any section (`总分`, `小计`, `填表人`,
    /// `项目资金`), or is the title: what no indicator may be named. A text that only starts
    /// like a label (`项目资金支付率`, `改进措施落实率`) is no label.
    ///
    /// A funds column header alone is not such a label: the national framework scores the
    /// budget execution rate as an indicator (`预算执行率`, `执行率`).
    pub fn is_label(&self, text: &str) -> bool {
        let n = fold::label(text);
        let m = strip_among(&n);
        let (base, _) = split_qualifier(m);
        let not_funds_column = |r: &Roles| {
            let mut other = *r;
            other.funds_column = None;
            !other.is_none()
        };
        let exact = [base, m]
            .iter()
            .filter_map(|t| self.index.exact(t))
            .any(not_funds_column);
        let prefix = self
            .index
            .prefixes
            .iter()
            .any(|(p, r)| (p == base || p == m) && not_funds_column(r));
        exact || prefix || self.is_title(&n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_vocabulary_parses() {
        let v = get();
        assert_eq!(v.trees.len(), 7);
        assert!(v.trees[3].has("管理指标", "资产管理"));
        assert!(
            v.trees_for(FormKind::Project)
                .all(|t| t.kind == FormKind::Project)
        );
        assert_eq!(v.trees_for(FormKind::Department).count(), 7);
        assert!(v.trees[0].has("成本指标", "经济成本指标"));
        assert!(v.trees[1].has("产出指标", "成本指标"));
        assert!(v.trees[2].has("过程", "资金管理"));
    }

    /// A department is compared by its name without its code, spaces, bracket widths and
    /// the words that say its own budget (本级), and nothing else.
    #[test]
    fn departments_are_compared_by_their_names() {
        let names = &get().organisations;
        for (written, key) in [
            ("048-北京市文物局", "北京市文物局"),
            ("北京市 文物局（本级）", "北京市文物局"),
            ("北京市文物局本级", "北京市文物局"),
            ("北京市文物局机关", "北京市文物局机关"),
            ("本级", "本级"),
            ("", ""),
        ] {
            assert_eq!(names.key(written), key, "{written}");
        }
    }

    /// The names messages use: the first spelling of each label, written as the official
    /// form writes it.
    #[test]
    fn fields_are_named_by_their_first_spelling() {
        let v = get();
        let cases = [
            (Field::Project, "项目名称"),
            (Field::Department, "主管部门"),
            (Field::Unit, "实施单位"),
            (Field::Lead, "项目负责人"),
            (Field::Phone, "联系电话"),
            (
                Field::Funds(FundsRowKind::Carryover, FundsColumn::Initial),
                "上年结转资金的年初预算数",
            ),
            (
                Field::Funds(FundsRowKind::Total, FundsColumn::Budget),
                "年度资金总额的全年预算数(B)",
            ),
            (
                Field::Funds(FundsRowKind::Appropriation, FundsColumn::Executed),
                "当年财政拨款的全年执行数(C)",
            ),
            (
                Field::Funds(FundsRowKind::Other, FundsColumn::Budget),
                "其他资金的全年预算数(B)",
            ),
            (Field::FundsRate, "年度资金总额的执行率"),
            (Field::FundsScore, "年度资金总额的得分"),
            (Field::FundsWeight, "年度资金总额的分值"),
            (Field::Expected, "预期目标"),
            (Field::Achieved, "实际完成情况"),
            (Field::TotalScore, "总分"),
            (Field::Grade, "等级"),
            (Field::Indicator(3, IndicatorField::Target), "年度指标值"),
            (
                Field::Indicator(0, IndicatorField::Deviation),
                "偏差原因分析及改进措施",
            ),
        ];
        for (field, name) in cases {
            assert_eq!(v.field_name(field), name, "{field}");
        }
        let columns = [
            (Column::Block, "绩效指标"),
            (Column::Level1, "一级指标"),
            (Column::Level2, "二级指标"),
            (Column::Name, "三级指标"),
            (Column::TargetSign, "指标性质"),
            (Column::TargetValue, "指标值"),
            (Column::TargetUnit, "度量单位"),
            (Column::Actual, "实际完成值"),
            (Column::Weight, "分值"),
            (Column::Score, "得分"),
        ];
        for (column, name) in columns {
            assert_eq!(column.label(), name);
        }
    }

    #[test]
    fn labels_are_matched_in_their_section() {
        let v = get();
        let n = |s: &str| fold::label(s);
        assert_eq!(v.header.find(&n("项 目 名 称")), Some(HeaderLabel::Project));
        assert_eq!(
            v.header.find(&n("主管部门及代码：")),
            Some(HeaderLabel::Department)
        );
        assert_eq!(
            v.header.find(&n("项目负责人及电话")),
            Some(HeaderLabel::LeadPhone)
        );
        assert_eq!(v.blocks.find(&n("项目资金（万元）")), Some(Block::Funds));
        assert_eq!(v.blocks.find(&n("资金情况 (万元)")), Some(Block::Funds));
        assert_eq!(
            v.blocks.find(&n("预算执行情况（10分）")),
            Some(Block::Funds)
        );
        assert_eq!(v.blocks.find(&n("年度 总体 目标")), Some(Block::Goals));
        assert_eq!(
            v.funds_columns.find(&n("全年预算数（Ｂ）")),
            Some(FundsHeader::Budget)
        );
        assert_eq!(
            v.funds_columns.find(&n("全年预算数(A)")),
            Some(FundsHeader::Budget)
        );
        assert_eq!(
            v.funds_columns.find(&n("全年\n执行数")),
            Some(FundsHeader::Executed)
        );
        assert_eq!(
            v.funds_columns.find(&n("执行率(B/A)")),
            Some(FundsHeader::Rate)
        );
        assert_eq!(
            v.funds_columns.find(&n("分值（10分）")),
            Some(FundsHeader::Weight)
        );
        assert_eq!(
            v.funds_rows.find(&n("其中：本年财政拨款")),
            Some(FundsRowKind::Appropriation)
        );
        assert_eq!(
            v.funds_rows.find(&n("年度资金总额:")),
            Some(FundsRowKind::Total)
        );
        assert_eq!(
            v.funds_rows.find(&n("财政专户管理资金")),
            Some(FundsRowKind::Other)
        );
        assert_eq!(
            v.goals.find(&n("年度总体目标完成情况综述")),
            Some(GoalLabel::Achieved)
        );
        assert_eq!(v.columns.find(&n("年度\n指标值")), Some(Column::Target));
        assert_eq!(v.columns.find(&n("年度指标值（A）")), Some(Column::Target));
        assert_eq!(v.columns.find(&n("全年实际值(B)")), Some(Column::Actual));
        assert_eq!(v.columns.find(&n("权重")), Some(Column::Weight));
        assert_eq!(
            v.columns.find(&n("未完成原因及拟采取的改进措施")),
            Some(Column::Deviation)
        );
        assert_eq!(v.columns.find(&n("一级 指标")), Some(Column::Level1));
        assert_eq!(v.rows.find(&n("总 分")), Some(RowLabel::Total));
        assert_eq!(v.rows.find(&n("总分：")), Some(RowLabel::Total));
        assert_eq!(v.rows.find(&n("合计")), Some(RowLabel::Total));
        assert_eq!(v.rows.find(&n("填表人：张三")), Some(RowLabel::Footer));
        assert_eq!(v.rows.find(&n("绩效\n指标")), Some(RowLabel::Continued));
        // A data cell is asked nothing, but even asked, an indicator name is no header.
        assert_eq!(v.columns.find(&n("项目资金支付率")), None);
        assert_eq!(v.blocks.find(&n("项目资金支付率")), Some(Block::Funds));
    }

    /// One lookup for every section gives what each section's own lookup gives, for every
    /// spelling of the file and a few texts that only start like one.
    #[test]
    fn classify_agrees_with_every_section() {
        let v = get();
        let mut texts: Vec<String> = SOURCE
            .lines()
            .flat_map(|l| l.split('"').skip(1).step_by(2).map(String::from))
            .collect();
        texts.extend(
            [
                "项目资金支付率",
                "填表人：张三",
                "产 出 指 标 (50分)",
                "其中：本年财政拨款",
                "xyz",
            ]
            .map(String::from),
        );
        for t in texts {
            let n = fold::label(t.trim_end_matches('*'));
            let r = v.classify(&n);
            assert_eq!(r.header, v.header.find(&n), "{t}");
            assert_eq!(r.block, v.blocks.find(&n), "{t}");
            assert_eq!(r.funds_column, v.funds_columns.find(&n), "{t}");
            assert_eq!(r.funds_row, v.funds_rows.find(&n), "{t}");
            assert_eq!(r.goal, v.goals.find(&n), "{t}");
            assert_eq!(r.column, v.columns.find(&n), "{t}");
            assert_eq!(r.row, v.rows.find(&n), "{t}");
            assert_eq!(r.title, v.is_title(&n), "{t}");
            if !r.is_none() || r.title {
                assert!(v.may_be_label(t.trim_end_matches('*')), "{t} passed over");
            }
        }
    }

    #[test]
    fn qualifiers() {
        let q = |s: &str| {
            let n = fold::label(s);
            let (base, q) = split_qualifier(&n);
            (base.to_string(), q)
        };
        assert_eq!(
            q("项目资金（元）"),
            ("项目资金".into(), Some(Qualifier::Unit(AmountUnit::Yuan)))
        );
        assert_eq!(
            q("产 出 指 标 (50分)"),
            (
                "产出指标".into(),
                Some(Qualifier::Points(Decimal::from(50)))
            )
        );
        assert_eq!(q("执行率(C/B)"), ("执行率".into(), None));
        assert_eq!(q("主管部门(代码)"), ("主管部门(代码)".into(), None));
    }

    #[test]
    fn titles_and_placeholders() {
        let v = get();
        for t in [
            "项目支出绩效自评表",
            "2022年度项目支出绩效自评表",
            "绩效目标自评表",
            "部门预算项目支出绩效自评表",
            "项目支出绩效自评表（2023年度）",
        ] {
            assert!(v.is_title(&fold::label(t)), "{t}");
        }
        assert!(!v.is_title(&fold::label(
            "1.本工作簿用于填报项目支出绩效自评表，每个项目一张工作表。"
        )));
        let p = &v.placeholders;
        for name in ["指标1", "指标2：", "三级指标2", "……", "XXX", "指标１"] {
            assert!(p.is_placeholder(name), "{name}");
        }
        for name in ["指标1工程资金金额", "运维系统数量", "1号指标", ""] {
            assert!(!p.is_placeholder(name), "{name}");
        }
        assert_eq!(p.mark_in("★受助对象满意度(≥**%)"), Some("**"));
        assert_eq!(p.mark_in("受助对象满意度"), None);
        for label in [
            "总分",
            "合 计",
            "填表人",
            "项目资金（万元）",
            "三级指标",
            "其中：本年财政拨款",
        ] {
            assert!(v.is_label(label), "{label}");
        }
        for name in [
            "预算执行率",
            "执行率",
            "项目资金支付率",
            "改进措施落实率",
            "填表人：张三",
            "运维系统数量",
        ] {
            assert!(!v.is_label(name), "{name}");
        }
    }

    #[test]
    fn enumerators_and_short_names() {
        for (text, want) in [
            ("一、产出指标", "产出指标"),
            ("(一)产出指标", "产出指标"),
            ("1.产出指标", "产出指标"),
            ("2、效益指标", "效益指标"),
            ("产出指标", "产出指标"),
            ("一级指标", "一级指标"),
            ("1", "1"),
        ] {
            assert_eq!(strip_enumerator(text), want, "{text}");
        }
        let tree = &get().trees[0];
        assert!(tree.has("产出指标", "数量"));
        assert!(tree.has("满意度", "服务对象满意度指标"));
        assert!(!tree.has("满意度指标", "满意度指标"));
    }

    /// Labels of another region's wording are read by their words, and only short labels
    /// without figures are.
    #[test]
    fn labels_are_read_by_their_words() {
        let m = &get().meanings;
        assert_eq!(m.funds_column("预算执行数"), Some(FundsHeader::Executed));
        assert_eq!(
            m.funds_column("本年实际支出(C)"),
            Some(FundsHeader::Executed)
        );
        assert_eq!(m.funds_column("调整后预算(B)"), Some(FundsHeader::Budget));
        assert_eq!(m.funds_column("年初安排数"), Some(FundsHeader::Initial));
        assert_eq!(m.funds_column("支出进度率"), Some(FundsHeader::Rate));
        assert_eq!(m.column("本年实现值"), Some(Column::Actual));
        assert_eq!(m.column("年度计划值"), Some(Column::Target));
        assert_eq!(m.column("未完成原因"), Some(Column::Deviation));
        assert_eq!(m.column("指标满分"), Some(Column::Weight));
        assert_eq!(m.header("项目承办单位"), Some(HeaderLabel::Unit));
        assert_eq!(m.header("项目主管单位"), Some(HeaderLabel::Department));
        assert_eq!(m.header("财务负责人"), None);
        // Sentences and figures are no labels.
        assert_eq!(m.column("本年度计划完成的工程验收合格数量"), None);
        assert_eq!(m.funds_column("执行数2024"), None);
        assert_eq!(m.header("项目名称：某项目"), None);
    }

    #[test]
    fn signs() {
        let v = get();
        assert_eq!(v.sign_before(">=9"), (Some(Op::Ge), "9"));
        assert_eq!(v.sign_before("≧9"), (Some(Op::Ge), "9"));
        assert_eq!(v.sign_before("═100%"), (Some(Op::Eq), "100%"));
        assert_eq!(v.sign_before("不低于95%"), (Some(Op::Ge), "95%"));
        assert_eq!(v.sign_after("95%以上"), (Some(Op::Ge), "95%"));
        assert_eq!(v.is_sign("≤"), Some(Op::Le));
        assert_eq!(v.is_sign("≤5"), None);
        assert_eq!(v.unit_alias("百分比"), Some("%"));
    }
}
