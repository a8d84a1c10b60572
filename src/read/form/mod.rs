//! The second floor of reading: the form on a sheet, found by its labels as a person reads
//! it, over the [`Cells`] view of a sheet from any source — it never knows the file format.
//!
//! Labels are recognised where labels stand, by the section of the vocabulary
//! (`layouts/vocabulary.toml`) that fits the place: the indicator header is found first
//! ([`table`]), the funds block ([`funds`]) and the goals ([`goals`]) above it, the header
//! fields ([`header`]) above those; the indicator rows are read under the header until the
//! total row — wherever its label stands — or the first row that ends the table. A data cell
//! is never taken for a label. Nothing here judges the values: where the reader had to guess,
//! or could not place a row, it says so in a finding ([`notes`], [`FormReader::note`]);
//! judging the form is `validate`'s job.

pub mod cells;
pub mod funds;
pub mod goals;
pub mod header;
pub mod kind;
pub mod notes;
pub mod reader;
pub mod table;
pub mod tasks;
pub mod value;

use cells::Cells;
use reader::FormReader;

use crate::finding::Finding;
use crate::message::{IncompleteSheet, TableMessage};
use crate::model::{CellRef, Field, Form, IndicatorField, Shown, SourceCells};
use crate::read::sheet::Sheet;
use crate::vocabulary::{Block, HeaderLabel};

/// What a worksheet holds.
#[derive(Debug)]
pub enum SheetContent {
    /// Not a form (instructions, a price list, an empty sheet, a 绩效目标表 without results).
    Nothing,
    /// Looks like a form but its indicator table is missing.
    Incomplete(IncompleteSheet),
    /// A form, with the cell of every field, what the sheet showed of derived values, and
    /// what reading noticed.
    Form(Box<SheetForm>),
}

/// A form as read from a worksheet (a [`crate::model::SourcedForm`] without its source name).
#[derive(Debug)]
pub struct SheetForm {
    /// The form.
    pub form: Form,
    /// Where each field came from.
    pub cells: SourceCells,
    /// Derived values the sheet showed.
    pub shown: Shown,
    /// What reading noticed.
    pub findings: Vec<Finding>,
}

impl SheetForm {
    /// The cells of fields that must hold a value (targets, actual values, figures, scores,
    /// the total) but show nothing or an Excel error: where a value typed with a leading `=`
    /// (`=8个`) may hide behind a formula without a result.
    pub fn blank_figures(&self, sheet: &Sheet) -> Vec<CellRef> {
        let mut out: Vec<CellRef> = self
            .cells
            .iter()
            .filter(|(field, _)| match field {
                Field::Indicator(_, f) => matches!(
                    f,
                    IndicatorField::Target
                        | IndicatorField::Actual
                        | IndicatorField::Weight
                        | IndicatorField::Score
                ),
                Field::Funds(..)
                | Field::FundsWeight
                | Field::FundsScore
                | Field::FundsRate
                | Field::TotalScore => true,
                _ => false,
            })
            .map(|(_, at)| at)
            .filter(|at| match sheet.own(*at) {
                None => true,
                Some(v) => v.is_error(),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Reads the form on `sheet`, if it holds one.
pub fn read(sheet: &Sheet) -> SheetContent {
    let cells = Cells::new(sheet);
    if cells.labels.is_empty() {
        return SheetContent::Nothing;
    }
    let title = cells.labels.iter().find(|l| l.roles.title);
    let header = table::find_header(&cells);
    // The funds block stands above the indicators; a few forms put it under them.
    let funds_header = match &header {
        Some(h) => funds::find_header(&cells, 0..h.top)
            .or_else(|| funds::find_header(&cells, h.bottom + 1..u32::MAX)),
        None => funds::find_header(&cells, 0..u32::MAX),
    };
    let project = cells
        .labels
        .iter()
        .find(|l| matches!(header::header_label(l), Some((HeaderLabel::Project, _))));
    let blocks = [
        project.is_some(),
        funds_header.is_some(),
        cells
            .labels
            .iter()
            .any(|l| l.roles.goal.is_some() || l.roles.block == Some(Block::Goals)),
        title.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let Some(header) = header else {
        return if blocks >= 2 {
            SheetContent::Incomplete(IncompleteSheet {
                sheet: sheet.name.clone(),
                printed: false,
            })
        } else {
            SheetContent::Nothing
        };
    };
    // A rubric (评价指标表) is a form by its own header, whatever stands above it: Sichuan's
    // starts at its header.
    if (blocks == 0 && !header.is_rubric()) || !header.is_self_evaluation() {
        // A 绩效目标申报表 has the indicator table but no results: not a 自评表.
        return SheetContent::Nothing;
    }
    let mut reader = FormReader::new(&cells);
    let decided = kind::decide(&cells, title, header.top);
    reader.form.kind = decided.kind;
    reader.findings.extend(decided.finding);
    let right = header.right();
    let top = cells
        .labels
        .iter()
        .filter(|l| l.at.row < header.top)
        .filter_map(|l| header::header_label(l).map(|_| l.at.row))
        .min()
        .or(funds_header
            .as_ref()
            .filter(|f| f.row < header.top)
            .map(|f| f.row))
        .unwrap_or(header.top);
    header::read_year(&mut reader, top, title);
    header::read_header(&mut reader, header.top, right);
    // A department form's 年度主要任务 stands between the funds block and the goals: its
    // rows are neither funds rows nor goals.
    let tasks_from = funds_header
        .as_ref()
        .filter(|f| f.row < header.top)
        .map_or(0, |f| f.row + 1);
    let tasks_head = (reader.form.kind == crate::model::FormKind::Department)
        .then(|| tasks::find_header(&cells, tasks_from..header.top))
        .flatten();
    match &funds_header {
        Some(f) => {
            let limit = if f.row < header.top {
                tasks_head.as_ref().map_or(header.top, |t| t.top)
            } else {
                u32::MAX
            };
            funds::read(&mut reader, f, limit);
        }
        None => reader
            .findings
            .push(Finding::of_form(TableMessage::FundsHeaderMissing(
                reader.form.kind,
            ))),
    }
    let tasks_rows = match &tasks_head {
        Some(t) => t.top..tasks::read(&mut reader, t, header.top),
        None => 0..0,
    };
    let goals_from = funds_header
        .as_ref()
        .filter(|f| f.row < header.top)
        .map_or(0, |f| f.row)
        .max(tasks_rows.end);
    goals::read_goals(&mut reader, goals_from, header.top, right, &tasks_rows);
    table::read(&mut reader, &header);
    if decided.unsaid && kind::by_tree(&reader.form) {
        reader.form.kind = crate::model::FormKind::Department;
    }
    if reader.form.total_score.is_none()
        && let Some(score) = reader.shown.header_score.take()
    {
        // A department form without a total row: its header's 自评总分 is the form's 总分.
        reader.form.total_score = Some(score);
        if let Some(at) = reader.sources.get(Field::HeaderScore) {
            reader.sources.insert(Field::TotalScore, at);
        }
    }
    notes::note_formulas(&mut reader);
    notes::note_hidden(&mut reader);
    SheetContent::Form(Box::new(SheetForm {
        form: reader.form,
        cells: reader.sources,
        shown: reader.shown,
        findings: reader.findings,
    }))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::read::sheet::SheetValue;

    /// The indicator header of the official form, in its order.
    const HEADER: [&str; 8] = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];

    /// A hand-made variant: inline header values, goals to the right of their labels, a
    /// `绩效指标` label merged down the left of the table, a blank spacer row, the header
    /// repeated after a page break, one-row 二级 written once, a 等级 after 总分.
    #[test]
    fn a_hand_made_variant() {
        use crate::read::sheet::SheetBuilder;
        let mut b = SheetBuilder::default();
        let mut put = |r: u32, c: u32, t: &str| {
            b.push(r, c, SheetValue::Text(t.to_string())).unwrap();
        };
        put(0, 1, "项目支出绩效自评表（2023年度）");
        put(1, 1, "项目名称：测试项目");
        put(2, 1, "主管部门");
        put(2, 2, "001-某局");
        put(2, 5, "实施单位");
        put(2, 7, "001001-某单位");
        let heads = [
            "年初预算数",
            "全年预算数（Ｂ）",
            "全年执行数（C）",
            "分值",
            "执行率",
            "得分",
        ];
        for (i, h) in heads.iter().enumerate() {
            put(3, 3 + i as u32, h);
        }
        put(4, 2, "年度资金总额");
        for (i, v) in ["10", "10", "9", "10", "90%", "9"].iter().enumerate() {
            put(4, 3 + i as u32, v);
        }
        put(5, 2, "其他资金");
        put(6, 1, "预期目标");
        put(6, 2, "完成某事");
        put(7, 1, "实际完成情况");
        put(7, 2, "已完成");
        put(8, 1, "绩效指标");
        let header = HEADER;
        for (i, h) in header.iter().enumerate() {
            put(9, 2 + i as u32, h);
        }
        put(10, 2, "产出指标");
        put(10, 3, "数量指标");
        put(10, 4, "甲");
        put(10, 7, "50");
        // row 11: blank spacer
        for (i, h) in header.iter().enumerate() {
            put(12, 2 + i as u32, h);
        }
        put(13, 4, "乙");
        put(13, 7, "40");
        put(13, 9, "原因");
        put(14, 2, "总分");
        put(14, 8, "99");
        put(15, 2, "等级");
        put(15, 3, "优");
        b.merge((8, 1), (14, 1)).unwrap();
        let sheet = b.build("表".into());
        let SheetContent::Form(read) = super::read(&sheet) else {
            panic!("not read as a form");
        };
        let SheetForm {
            form, cells, shown, ..
        } = *read;
        assert_eq!(form.year, Some(2023));
        assert_eq!(form.project, "测试项目");
        assert_eq!(cells.reference(Field::Project).as_deref(), Some("表!B2"));
        assert_eq!(
            (form.department.as_str(), form.unit.as_str()),
            ("001-某局", "001001-某单位")
        );
        let total = form.funds.total.as_ref().unwrap();
        assert_eq!(total.executed, Some(Decimal::from(9)));
        assert_eq!(shown.execution_rate, Some(Decimal::from(90)));
        assert_eq!(form.funds.other, None);
        assert_eq!(form.goals.expected, "完成某事");
        assert_eq!(form.goals.achieved, "已完成");
        assert_eq!(form.indicators.len(), 2);
        let second = &form.indicators[1];
        assert_eq!(
            (second.level1.as_str(), second.level2.as_str()),
            ("产出指标", "数量指标")
        );
        assert_eq!(second.deviation, "原因");
        assert_eq!(
            cells
                .reference(Field::Indicator(1, IndicatorField::Level1))
                .as_deref(),
            Some("表!C11")
        );
        assert_eq!(form.total_score, Some(Decimal::from(99)));
        assert_eq!(form.grade.as_deref(), Some("优"));
    }

    /// A small form read: title, project, the funds total, goals, the indicator header on
    /// row 10 (一级 in column C), then `rows` (row, column, text) and `merges` (first row and
    /// column, last row and column).
    fn small_form(rows: &[(u32, u32, &str)], merges: &[[u32; 4]]) -> SheetForm {
        use crate::read::sheet::SheetBuilder;
        let mut b = SheetBuilder::default();
        let header = HEADER;
        let funds = ["全年预算数", "全年执行数", "分值", "执行率", "得分"];
        let cells = [
            (0, 2, "项目支出绩效自评表"),
            (1, 1, "项目名称"),
            (1, 2, "测试项目"),
            (5, 2, "年度资金总额"),
            (6, 1, "预期目标"),
            (6, 2, "完成某事"),
            (7, 1, "实际完成情况"),
            (7, 2, "已完成"),
            (8, 1, "绩效指标"),
        ]
        .into_iter()
        .chain(funds.iter().enumerate().map(|(i, h)| (4, 3 + i as u32, *h)))
        .chain(
            ["10", "10", "10", "100%", "10"]
                .iter()
                .enumerate()
                .map(|(i, v)| (5, 3 + i as u32, *v)),
        )
        .chain(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (9, 2 + i as u32, *h)),
        )
        .chain(rows.iter().copied());
        for (r, c, t) in cells {
            b.push(r, c, SheetValue::Text(t.to_string())).unwrap();
        }
        for &[r1, c1, r2, c2] in merges {
            b.merge((r1, c1), (r2, c2)).unwrap();
        }
        match super::read(&b.build("表".into())) {
            SheetContent::Form(read) => *read,
            _ => panic!("not read as a form"),
        }
    }

    /// Two indicators of 45 points under 产出指标/数量指标, rows 11 and 12.
    const TWO_INDICATORS: [(u32, u32, &str); 10] = [
        (10, 2, "产出指标"),
        (10, 3, "数量指标"),
        (10, 4, "甲"),
        (10, 7, "45"),
        (10, 8, "45"),
        (11, 2, "产出指标"),
        (11, 3, "数量指标"),
        (11, 4, "乙"),
        (11, 7, "45"),
        (11, 8, "41"),
    ];

    /// The total written in its label's cell, merged across the row: `总分：96分`.
    #[test]
    fn a_total_written_in_its_label() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.push((12, 1, "总分：96分"));
        let read = small_form(&rows, &[[12, 1, 12, 9]]);
        assert_eq!(read.form.indicators.len(), 2);
        assert_eq!(read.form.total_score, Some(Decimal::from(96)));
    }

    /// 一级 and 二级 written once in the middle row of each group, as a table converted from
    /// a PDF has them: the first rows read without their labels, and the reader says that
    /// the groups cannot be told apart.
    #[test]
    fn labels_in_the_middle_of_their_group_are_said() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.retain(|&(r, c, _)| !(r == 10 && (c == 2 || c == 3)));
        rows.retain(|&(r, c, _)| !(r == 11 && c == 2));
        rows.extend([(11, 2, "产出指标")]);
        let read = small_form(&rows, &[]);
        let said: Vec<&str> = read
            .findings
            .iter()
            .filter(|f| f.code == "tree-labels-centered")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(said.len(), 1, "{:?}", read.findings);
        assert!(
            said[0].contains("一级指标可能只写在每组的中间一行"),
            "{}",
            said[0]
        );
        // Labels on the first row of their group, or merged over it, are the usual case.
        let read = small_form(&TWO_INDICATORS, &[]);
        assert!(
            !read
                .findings
                .iter()
                .any(|f| f.code == "tree-labels-centered")
        );
    }

    /// A remark between the indicators (`注：以下为效益指标`) with the total still to come is
    /// no end of the table; other words for the total and a 分值 written `45%` are read.
    #[test]
    fn remarks_other_totals_and_percent_weights() {
        let mut rows: Vec<(u32, u32, &str)> = TWO_INDICATORS
            .iter()
            .map(|&(r, c, t)| (if r == 11 { 12 } else { r }, c, t))
            .collect();
        rows.extend([
            (11, 2, "注：以下为效益指标"),
            (13, 2, "自评总分"),
            (13, 8, "86"),
            (10, 7, "45%"),
        ]);
        let read = small_form(&rows, &[[11, 2, 11, 9]]);
        let names: Vec<&str> = read
            .form
            .indicators
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["甲", "乙"]);
        assert_eq!(read.form.indicators[0].weight, Some(Decimal::from(45)));
        assert_eq!(read.form.total_score, Some(Decimal::from(86)));
        assert!(read.findings.iter().any(|f| f.code == "row-remark"));
        // A note after the total still ends the table.
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([
            (12, 2, "总分"),
            (12, 8, "86"),
            (13, 2, "注：得分不超过分值"),
        ]);
        let read = small_form(&rows, &[]);
        assert!(!read.findings.iter().any(|f| f.code == "row-remark"));
    }

    /// A 分值 or 得分 that is no number (`9/10`), or a 分值 merged over two indicators: the
    /// rules see it missing, and the reader says why.
    #[test]
    fn figures_the_rules_cannot_use_are_said() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.retain(|&(r, c, _)| !(r == 11 && c == 7));
        rows.push((10, 8, "41/45"));
        let read = small_form(&rows, &[[10, 7, 11, 7]]);
        let said: Vec<&str> = read
            .findings
            .iter()
            .filter(|f| f.code == "figure-unreadable")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(said.len(), 2, "{:?}", read.findings);
        assert!(said[0].contains("得分“41/45”不是数字"), "{}", said[0]);
        assert!(
            said[1].contains("分值单元格与上面的行合并（H11）"),
            "{}",
            said[1]
        );
    }

    /// `合计` of the indicators with the 总分 right under it: the 总分 is the total, the
    /// 合计 a subtotal.
    #[test]
    fn a_sum_of_the_indicators_above_the_total_is_a_subtotal() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([
            (12, 2, "合计"),
            (12, 8, "86"),
            (13, 2, "总分"),
            (13, 8, "96"),
        ]);
        let read = small_form(&rows, &[]);
        assert_eq!(read.form.indicators.len(), 2);
        assert_eq!(read.form.total_score, Some(Decimal::from(96)));
        assert!(read.findings.iter().any(|f| f.code == "row-subtotal"));
        assert!(!read.findings.iter().any(|f| f.code == "rows-after-total"));
    }

    /// The total with its grade in the 得分 cell: `96.00（良）` is the total and the grade.
    #[test]
    fn a_total_written_with_its_grade() {
        for (written, grade) in [
            ("96.00（良）", "良"),
            ("96分(优秀)", "优秀"),
            ("96 优", "优"),
        ] {
            let mut rows = TWO_INDICATORS.to_vec();
            rows.extend([(12, 2, "总分"), (12, 8, written)]);
            let read = small_form(&rows, &[]);
            assert_eq!(
                read.form.total_score.map(|d| d.normalize()),
                Some(Decimal::from(96)),
                "{written}"
            );
            assert_eq!(read.form.grade.as_deref(), Some(grade), "{written}");
        }
        // The grade alone in a cell beside the total.
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([(12, 2, "总分"), (12, 8, "96"), (12, 9, "良")]);
        let read = small_form(&rows, &[]);
        assert_eq!(read.form.grade.as_deref(), Some("良"));
        // A word that is no grade leaves the total unread.
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([(12, 2, "总分"), (12, 8, "96（甲）")]);
        let read = small_form(&rows, &[]);
        assert_eq!((read.form.total_score, read.form.grade), (None, None));
    }

    /// The title and year repeated over a continued page, then the header: no indicators.
    #[test]
    fn a_title_over_a_continued_page_is_no_indicator() {
        let mut rows = TWO_INDICATORS.to_vec();
        for row in &mut rows {
            if row.0 == 11 {
                row.0 = 15;
            }
        }
        rows.extend([
            (11, 2, "项目支出绩效自评表（续）"),
            (12, 2, "（2024年度）"),
            (16, 2, "总分"),
            (16, 8, "86"),
        ]);
        let header = &HEADER[..7];
        rows.extend(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (13, 2 + i as u32, *h)),
        );
        let read = small_form(&rows, &[[11, 2, 11, 9]]);
        let names: Vec<&str> = read
            .form
            .indicators
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["甲", "乙"]);
        assert_eq!(read.form.total_score, Some(Decimal::from(86)));
        let titles = read
            .findings
            .iter()
            .filter(|f| f.code == "row-continued-title")
            .count();
        assert_eq!(titles, 2);
    }

    /// A second form pasted under the first, past its notes, or beside it: the first is read
    /// alone (nothing of the second joins it) and a warning says the second is not read.
    #[test]
    fn a_second_form_on_the_sheet_is_not_read_and_said() {
        let mut below = TWO_INDICATORS.to_vec();
        below.extend([
            (12, 2, "总分"),
            (12, 8, "96"),
            (13, 1, "填报注意事项：1.得分不能超过分值。"),
            (16, 2, "项目支出绩效自评表"),
            (17, 1, "项目名称"),
            (17, 2, "另一个项目"),
        ]);
        let mut beside = TWO_INDICATORS.to_vec();
        beside.extend([(12, 2, "总分"), (12, 8, "96")]);
        let header = [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "偏差原因分析",
        ];
        beside.extend(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (9, 12 + i as u32, *h)),
        );
        beside.extend([
            (10, 12, "产出指标"),
            (10, 14, "丙"),
            (10, 17, "另一份的原因"),
        ]);
        // A second word for 三级 (`指标内容`) beside 三级指标 is a column not read, not a form.
        let mut synonym = TWO_INDICATORS.to_vec();
        synonym.extend([(9, 10, "指标内容"), (12, 2, "总分"), (12, 8, "86")]);
        let read = small_form(&synonym, &[]);
        assert_eq!(read.form.indicators.len(), 2);
        assert!(!read.findings.iter().any(|f| f.code == "sheet-more-forms"));
        for (rows, at) in [(below, "C17"), (beside, "M10")] {
            let read = small_form(&rows, &[]);
            let names: Vec<&str> = read
                .form
                .indicators
                .iter()
                .map(|i| i.name.as_str())
                .collect();
            assert_eq!(names, ["甲", "乙"], "{at}");
            assert!(
                read.form.indicators.iter().all(|i| i.deviation.is_empty()),
                "{at}"
            );
            let more: Vec<String> = read
                .findings
                .iter()
                .filter(|f| f.code == "sheet-more-forms")
                .map(|f| f.message.clone())
                .collect();
            assert_eq!(more.len(), 1, "{at}: {:?}", read.findings);
            assert!(more[0].contains("还有一份自评表"), "{}", more[0]);
        }
    }

    /// The unit of the amounts said by a line above the form (`单位：元`), by the cell itself
    /// (`100000元` in a block of 万元), or by both the line and the block's label, which
    /// disagree: the reader follows what is written closest to the figures, and says so when
    /// it converts or has to choose.
    #[test]
    fn the_unit_of_the_amounts() {
        use crate::model::AmountUnit;
        let funds = |extra: &[(u32, u32, &'static str)]| {
            let mut rows = TWO_INDICATORS.to_vec();
            rows.extend_from_slice(extra);
            let read = small_form(&rows, &[]);
            let total = read.form.funds.total.clone().unwrap();
            let codes: Vec<&str> = read.findings.iter().map(|f| f.code.as_str()).collect();
            (read.form.funds.unit, total.budget, total.executed, codes)
        };
        let ten = Some(Decimal::TEN);
        let (unit, budget, _, codes) = funds(&[(0, 6, "（单位：元）")]);
        assert_eq!((unit, budget), (AmountUnit::Yuan, ten));
        assert!(!codes.iter().any(|c| c.contains("unit")), "{codes:?}");
        let (unit, budget, executed, codes) = funds(&[
            (4, 1, "项目资金（万元）"),
            (5, 3, "100000元"),
            (5, 4, "9万元"),
        ]);
        assert_eq!(
            (unit, budget, executed),
            (AmountUnit::WanYuan, ten, Some(Decimal::from(9)))
        );
        assert_eq!(codes.iter().filter(|c| **c == "funds-cell-unit").count(), 1);
        let (unit, budget, _, _) = funds(&[(4, 1, "项目资金（元）"), (5, 3, "10万")]);
        assert_eq!(
            (unit, budget),
            (AmountUnit::Yuan, Some(Decimal::from(100_000)))
        );
        // Past Decimal's range when converted: unread, no panic.
        let (_, budget, _, _) = funds(&[
            (0, 6, "单位：元"),
            (5, 3, "79228162514264337593543950335万元"),
        ]);
        assert_eq!(budget, None);
        let (unit, budget, _, codes) = funds(&[(0, 6, "单位：元"), (4, 1, "项目资金（万元）")]);
        assert_eq!((unit, budget), (AmountUnit::WanYuan, ten));
        assert!(codes.contains(&"funds-unit-conflict"), "{codes:?}");
    }

    /// The funds block printed under the total is no indicator row after the total.
    #[test]
    fn funds_under_the_total_are_not_rows_after_it() {
        let mut rows = TWO_INDICATORS.to_vec();
        rows.extend([
            (12, 2, "总分"),
            (12, 8, "86"),
            (13, 2, "项目资金"),
            (14, 4, "年度资金总额"),
            (14, 7, "10"),
            (14, 8, "10"),
        ]);
        let read = small_form(&rows, &[]);
        assert_eq!(read.form.total_score, Some(Decimal::from(86)));
        assert!(
            !read.findings.iter().any(|f| f.code == "rows-after-total"),
            "{:?}",
            read.findings
        );
    }

    /// A total row whose 得分 cell is merged in from the 分值 column shows Σ分值, not the
    /// total: the reader leaves the total empty rather than take 100 for it.
    #[test]
    fn a_total_merged_over_weight_and_score_is_not_the_total() {
        use crate::read::sheet::SheetBuilder;
        let mut b = SheetBuilder::default();
        let mut put = |r: u32, c: u32, t: &str| {
            b.push(r, c, SheetValue::Text(t.to_string())).unwrap();
        };
        put(0, 0, "项目支出绩效自评表");
        put(1, 0, "项目名称");
        put(1, 1, "某项目");
        for (i, h) in ["全年预算数", "全年执行数", "分值", "执行率", "得分"]
            .iter()
            .enumerate()
        {
            put(2, 2 + i as u32, h);
        }
        put(3, 1, "年度资金总额");
        for (i, v) in ["10", "10", "10", "100%", "10"].iter().enumerate() {
            put(3, 2 + i as u32, v);
        }
        let header = &HEADER[..7];
        for (i, h) in header.iter().enumerate() {
            put(4, i as u32, h);
        }
        for (i, v) in ["产出指标", "数量指标", "甲", "1套", "1套", "90", "90"]
            .iter()
            .enumerate()
        {
            put(5, i as u32, v);
        }
        put(6, 0, "总分");
        put(6, 5, "100");
        b.merge((6, 5), (6, 6)).unwrap();
        let sheet = b.build("表".into());
        let SheetContent::Form(read) = super::read(&sheet) else {
            panic!("not read as a form");
        };
        assert_eq!(read.form.indicators.len(), 1);
        assert_eq!(read.form.total_score, None);
    }
}
