//! The catalogue of findings: every code jixiao can say, with its severity and its rule.
//!
//! One table (the `catalogue!` below) gives each code its stable kebab-case string (what the JSON
//! and the printed reports show, never changed), its severity and a one-line Chinese rule
//! (what is checked and why: what `jixiao findings` lists and the page shows on hover). The
//! enum, [`Code::ALL`] and the three lookups are made from that one table, so a code cannot be
//! added without its severity and rule, nor left out of the list.
//!
//! A code has one severity. Two codes that used to be said at two severities were split:
//! `column-missing` (a column the rules need, an error) and `column-missing-optional` (another
//! column of the form, a warning); `hidden-content` (hidden among the cells the form was read
//! from, a warning) and `hidden-content-outside` (hidden outside them, a note).

use std::fmt;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The form is wrong and must be corrected.
    Error,
    /// Probably wrong, or cannot be checked; look at it.
    Warning,
    /// Worth knowing (a discretionary deduction and its reason).
    Info,
}

impl Severity {
    /// The severity as the report shows it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Makes [`Code`] and its lookups from one table: `Variant = "code", Severity, "rule";`.
macro_rules! catalogue {
    ($($variant:ident = $code:literal, $severity:ident, $rule:literal;)*) => {
        /// A finding's code: one entry of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "` (", stringify!($severity), "): ", $rule)]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the catalogue (reading first, then checking).
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, e.g. `indicator-overstated`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// How serious a finding of this code is.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// The rule, in one Chinese line: what is checked and why.
            pub fn rule(self) -> &'static str {
                match self {
                    $(Code::$variant => $rule,)*
                }
            }
        }
    };
}

catalogue! {
    // Reading: the workbook and its sheets.
    SheetHidden = "sheet-hidden", Warning,
        "工作簿中没有显示的自评表时才读取隐藏的工作表：报送的是屏幕与打印显示的内容，请核实这是要报送的表。";
    HiddenSheetSkipped = "hidden-sheet-skipped", Info,
        "有显示的自评表时，隐藏工作表中的自评表不读取：以显示的工作表为准。";
    SheetIncompleteSkipped = "sheet-incomplete-skipped", Warning,
        "工作簿中像自评表但不完整的工作表（如多个项目的汇总、只填了一半的表）不读取，在读取的每份表上说明。";
    SheetMoreForms = "sheet-more-forms", Warning,
        "每张工作表只读取第一份自评表：右侧或下方的第二份表不读取，应放在单独的工作表中。";
    HiddenContent = "hidden-content", Warning,
        "读取范围内隐藏的行、列中的内容不读取：报送的是屏幕与打印显示的内容，而隐藏的内容可能是填表人的本意。";
    HiddenContentOutside = "hidden-content-outside", Info,
        "表格范围以外隐藏的行、列（辅助列、下拉选项表等）不读取，只作提示。";
    FormulaNoValue = "formula-no-value", Warning,
        "公式单元格应保存计算结果：文件中没有结果时按公式原文读取，应在 Excel/WPS 中重新计算并保存。";
    FormulaUncalculated = "formula-uncalculated", Warning,
        "公式单元格应保存计算结果：保存文件的程序没有计算公式（结果为空）时按空白读取。";
    CellError = "cell-error", Warning,
        "单元格不应显示错误值（#DIV/0!、#REF! 等）：按空白读取，应直接填写内容。";
    LayoutSourceNone = "layout-source-none", Info,
        "按“与原表相同”（--layout source）输出时，数据文件没有可沿用的原表表样：按默认表样输出，并在表上说明。";
    PdfTablesSkipped = "pdf-tables-skipped", Info,
        "PDF 中不是自评表的表格（决算公开的收支表等）不读取，只计数：每份自评表单独读取。";

    // Reading: the headers and the columns.
    FundsBlockMissing = "funds-block-missing", Error,
        "表中应有“项目资金”表头（全年预算数、全年执行数、分值、执行率、得分）：找不到时无法审核预算执行情况。";
    ColumnMissing = "column-missing", Error,
        "表头应有计分必需的列（三级指标、年度指标值、实际完成值、分值、得分；项目资金的全年预算数、全年执行数）：缺少时无法审核该项。";
    ColumnMissingOptional = "column-missing-optional", Warning,
        "绩效指标表头应有表样的其他列（一级指标、二级指标、偏差原因分析及改进措施）：缺少时这些内容无法读取和审核。";
    LabelInferred = "label-inferred", Info,
        "不在词表中的栏目名按其字词的意思读取（如“预算执行数”读作全年执行数），并说明读作什么。";
    ColumnGuessed = "column-guessed", Warning,
        "表头不是已知的列名时按表样的列序读取：应核实，或改用表样的列名。";
    ColumnIgnored = "column-ignored", Info,
        "对应不到表样任何一列的表头（不认识或重复的列）不读取。";
    TreeLabelsCentered = "tree-labels-centered", Warning,
        "一级、二级指标只写在每组中间一行而没有合并单元格时（如由 PDF 转换的表格），每组上面几行会被读入上一组：应核实。";

    // Reading: the funds block.
    FundsTotalRowMissing = "funds-total-row-missing", Error,
        "项目资金中应有“年度资金总额”行：执行率和预算执行得分按这一行计算。";
    FundsUnitConflict = "funds-unit-conflict", Warning,
        "表格上方写明的金额单位应与项目资金表头写明的单位一致：不一致时按表头读取。";
    FundsCellUnit = "funds-cell-unit", Warning,
        "项目资金的金额应使用表头的单位：单元格写明其他单位（如“189500元”）时已折算。";
    FundsRowMerged = "funds-row-merged", Info,
        "同一类资金有多行时（如财政专户管理资金与单位资金同属其他资金），金额合并计入。";

    // Reading: the rows of the indicator table.
    RowUnplaced = "row-unplaced", Warning,
        "有年度指标值、实际完成值、分值或得分的行应有三级指标名称，且名称不是表头文字：否则不作为指标读取。";
    RowPlaceholder = "row-placeholder", Warning,
        "没有数值的模板占位行（“指标1”“……”）不作为指标读取：应删除，或填写实际的指标。";
    RowIncomplete = "row-incomplete", Warning,
        "只有三级指标名称、没有年度指标值、实际完成值、分值和得分的行不作为指标读取。";
    RowDetail = "row-detail", Info,
        "以“其中”开头、没有分值和得分的明细行不作为指标计分。";
    RowSubtotal = "row-subtotal", Info,
        "绩效指标表中的小计行不作为指标读取。";
    NamePrefix = "name-prefix", Info,
        "三级指标名称前模板的编号（指标1：）不是名称的一部分：按去掉编号后的名称读取。";
    RowRemark = "row-remark", Info,
        "绩效指标表中间的说明文字行，以及总分行之前的结论、说明行（其他需要说明事项、评价结论），不作为指标读取。";
    RowContinuedTitle = "row-continued-title", Info,
        "续页上重复的表题不作为指标读取。";
    FigureUnreadable = "figure-unreadable", Warning,
        "分值和得分应是每个指标自己单元格中的数字：不是数字、或与上一行合并时按未填写读取。";
    TotalRowMissing = "total-row-missing", Warning,
        "绩效指标表应以“总分”行结束：找不到时表格可能不完整。";
    RowsAfterTotal = "rows-after-total", Warning,
        "总分行应在全部指标之后：其后仍有指标内容的行不读取。";

    // Reading: which form.
    FormKindWeighed = "form-kind-weighed", Warning,
        "标题、表头和资金栏应说明同一种表（项目支出绩效自评表或部门整体支出绩效自评表）：说法不一致时按标题（其次表头）认定，请核实。";

    LayoutKind = "layout-kind", Warning,
        "输出表样应与表的种类一致：项目支出绩效自评表用项目表样，部门整体支出绩效自评表用部门整体表样；不一致时仍按指定表样输出，请核实。";

    // Checking: the header and the goals.
    HeaderMissing = "header-missing", Error,
        "项目名称、主管部门、实施单位应填写：它们说明是哪个单位的哪个项目。";
    DepartmentMissing = "department-missing", Error,
        "部门整体支出绩效自评表应填写部门（单位）名称：它说明是哪个部门的整体支出。";
    HeaderScoreMismatch = "header-score-mismatch", Error,
        "部门整体支出绩效自评表表头的自评总分应等于表中的总分。";
    TaskOverBudget = "task-over-budget", Error,
        "年度主要任务的执行数不能大于其预算数。";
    YearMissing = "year-missing", Warning,
        "标题下应写明年度（如“（2024年度）”）：年度决定按哪一版表样审核，没有时按现行表样审核。";
    GoalsMissing = "goals-missing", Warning,
        "年度总体目标的预期目标和实际完成情况都应填写：自评是对照目标说明完成情况。";
    FormUnscored = "form-unscored", Info,
        "没有分值和得分的表（只填目标值与实际完成值）只核对指标的完成情况，不计分。";
    FormRubric = "form-rubric", Info,
        "评分表（评价指标表：每项指标给出分值与评价标准，没有年度指标值和实际完成值）的得分无法按规则核对，按所填得分计，并说明一次。";
    FundsUnscored = "funds-unscored", Info,
        "项目资金没有分值和得分而各项指标分值合计为 100 时，预算执行情况不单独计分。";
    TemplateText = "template-text", Warning,
        "模板中的填写说明（如“……（100字以内）”）应替换为填报的内容。";
    GoalsNotText = "goals-not-text", Warning,
        "年度总体目标应是文字说明，不能只填一个数字。";
    GlyphMissing = "glyph-missing", Warning,
        "文字中不应有内置字体无法显示的字符：PDF 中该处会显示为空框。";

    // Checking: the funds block.
    FundsBudgetMissing = "funds-budget-missing", Error,
        "年度资金总额的全年预算数(B)应填写且大于 0：执行率 = 全年执行数(C) ÷ 全年预算数(B)。";
    FundsExecutedMissing = "funds-executed-missing", Error,
        "年度资金总额的全年执行数(C)应填写：没有它无法计算执行率和预算执行得分。";
    FundsSum = "funds-sum", Error,
        "年度资金总额的每一列应等于当年财政拨款、上年结转资金与其他资金之和（相差不超过 0.000001 万元）。";
    FundsOverspent = "funds-overspent", Error,
        "每一类资金的全年执行数(C)不能大于全年预算数(B)。";
    FundsRowScore = "funds-row-score", Warning,
        "部门整体支出资金栏分项行（基本支出、项目支出等）上填写的得分应与该行的数字相符：min(执行数 ÷ 预算数, 100%) × 分值。";
    FundsRowRate = "funds-row-rate", Warning,
        "部门整体支出资金栏分项行上填写的执行率应有该行的预算数和执行数支持，并与之相符；超过 100% 即执行数超过预算数。";
    FundsBreakdownSum = "funds-breakdown-sum", Error,
        "部门整体支出的年度资金总额的每一列应等于按支出性质分的基本支出、项目支出与其他之和（相差不超过 0.000001 万元），与按收入来源分的合计分别核对。";
    FundsBudgetAdjusted = "funds-budget-adjusted", Info,
        "全年预算数(B)比年初预算数增减五分之一及以上、而表中没有写原因时提示：预算调整幅度较大，应说明原因。";
    FundsRate = "funds-rate", Error,
        "表中的执行率应等于全年执行数(C) ÷ 全年预算数(B)，按表中显示的小数位比较。";
    FundsRateMissing = "funds-rate-missing", Warning,
        "表中有执行率一栏时应填写年度资金总额的执行率（全年执行数 / 全年预算数，保留两位小数）。";
    FundsRateRounded = "funds-rate-rounded", Warning,
        "执行率应保留两位小数：位数较少时掩盖了与计算结果的差别。";
    FundsScore = "funds-score", Error,
        "预算执行得分应为 min(执行率, 100%) × 分值，保留两位小数。";

    // Checking: 分值 and 得分.
    WeightMissing = "weight-missing", Error,
        "每条指标和预算执行都应填写分值（预算执行一般为 10 分）。";
    WeightsSum = "weights-sum", Error,
        "预算执行与全部绩效指标的分值合计应为 100。";
    ScoreMissing = "score-missing", Error,
        "每条指标和预算执行都应填写得分。";
    ScoreRange = "score-range", Error,
        "得分应在 0 至该项分值之间。";
    SubtotalMismatch = "subtotal-mismatch", Error,
        "一级指标格中标注的分值（如“产出指标(50分)”）应等于其下各三级指标的分值合计。";

    // Checking: the indicator tree.
    IndicatorsMissing = "indicators-missing", Error,
        "表中至少要有一条绩效指标（三级指标）：没有指标无法自评计分。";
    TreeLevel1 = "tree-level1", Error,
        "一级指标应填写，且是本表所用指标体系中的一级指标。";
    TreeLevel2 = "tree-level2", Error,
        "二级指标应填写，且是其一级指标之下的二级指标（按本表所用的指标体系）。";
    TreeMixed = "tree-mixed", Error,
        "同一张表只能用一种指标体系：不能部分指标按现行表样、部分按 2020 年表样（成本指标在产出指标下）填写。";
    TreeLevel2Empty = "tree-level2-empty", Error,
        "每个二级指标下至少要有一条三级指标。";
    IndicatorPlaceholder = "indicator-placeholder", Error,
        "三级指标和年度指标值不能是模板的占位内容（“指标1”“……”“XXX”）：应填写实际内容，或删除该行。";
    IndicatorNameTemplate = "indicator-name-template", Warning,
        "指标名称中不应留有模板的“**”“XX”等记号：应换成实际内容。";

    // Checking: targets, actual values and scores of the indicators.
    TargetTemplate = "target-template", Warning,
        "年度指标值中不应留有模板的“**”“XX”等记号：应换成实际数值。";
    TargetNotComputable = "target-not-computable", Warning,
        "看似定量的年度指标值（区间、±、中文数字）应写成可计算的形式（如“≥90%”“≤19万元”）：否则按定性指标处理，得分未按规则核对。";
    UnitOmitted = "unit-omitted", Warning,
        "年度指标值和实际完成值都应写明单位：一方没有写时按另一方的单位计分。";
    UnitConverted = "unit-converted", Warning,
        "年度指标值与实际完成值宜用同一单位：可以换算的单位（如万元与元）已换算后计分。";
    UnitMismatch = "unit-mismatch", Error,
        "年度指标值与实际完成值的单位应能比较：单位不同且无法换算（如 % 与 个）时无法计算得分。";
    TargetActualMissing = "target-actual-missing", Error,
        "每个指标都应填写年度指标值和实际完成值：两者都空着，得分无从核实。";
    ActualBound = "actual-bound", Warning,
        "实际完成值应是实际达到的值（如 268米），而不是带比较符号的目标写法（≥266米）。";
    ActualMissing = "actual-missing", Error,
        "每条指标都应填写实际完成值。";
    ActualUnreadable = "actual-unreadable", Warning,
        "年度指标值可以计算时，实际完成值也应是可比较的值（数字及单位、日期）：否则无法按规则计算得分。";
    RateOver100 = "rate-over-100", Warning,
        "比率、满意度类指标的实际完成值一般不超过 100%：超过时应核实。";
    IndicatorOverstated = "indicator-overstated", Error,
        "自评得分不能高于按计分规则算出的得分（正向指标按实际完成值 ÷ 年度指标值，反向指标反之，时限指标按期完成得满分；超额过多扣减分值的 10%～30%）。";
    DeviationMissing = "deviation-missing", Error,
        "得分低于分值时应填写偏差原因分析及改进措施：“无”“0”或一个数字不算原因。";
    Deduction = "deduction", Info,
        "自评得分低于按规则可得的得分（定性指标：低于分值）时，列出所扣的分与所写的理由，供审核。";
    DeviationNotText = "deviation-not-text", Info,
        "没有偏差时偏差原因分析及改进措施应留空，不要填数字。";

    // Checking: the total and the grade.
    TotalMissing = "total-missing", Warning,
        "应填写总分：预算执行得分与各指标得分之和。";
    TotalMismatch = "total-mismatch", Error,
        "总分应等于预算执行得分与各指标得分之和（至少按两位小数比较）。";
    GradeUnknown = "grade-unknown", Warning,
        "等级应为优、良、中、差之一。";
    GradeMismatch = "grade-mismatch", Error,
        "等级应与总分相符：90 分及以上为优，80 至 90 分为良，60 至 80 分为中，60 分以下为差。";
}

impl Code {
    /// The code written `text` (`indicator-overstated`), if it is one.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One entry of the catalogue, as `jixiao findings --json` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The code.
    pub code: Code,
    /// Its severity.
    pub severity: Severity,
    /// Its rule.
    pub rule: &'static str,
}

/// Every entry of the catalogue, in its order.
pub fn entries() -> impl Iterator<Item = Entry> {
    Code::ALL.iter().map(|&code| Entry {
        code,
        severity: code.severity(),
        rule: code.rule(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{s}"
            );
            assert_eq!(Code::parse(s), Some(code));
            assert!(!code.rule().trim().is_empty() && !code.rule().contains('\n'));
        }
        assert_eq!(Code::parse("no-such-code"), None);
    }

    #[test]
    fn entries_serialise_as_code_severity_and_rule() {
        let first = entries().next().unwrap();
        let json = serde_json::to_value(first).unwrap();
        assert_eq!(json["code"], "sheet-hidden");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["rule"], Code::SheetHidden.rule());
    }
}
