//! Kinds of structure that forms from regions not seen before print, each written as a small
//! workbook the way such a form lays it out, and read: a total after closing rows, another
//! region's words for the columns, the national evaluation framework with the budget
//! execution rate as an indicator, a form without scores, template numbering before names.

mod common;

use jixiao::Report;
use rust_decimal::Decimal;

/// A sheet as rows of cells from column A; `""` is an empty cell.
fn workbook(rows: &[&[&str]]) -> (tempfile::TempDir, std::path::PathBuf) {
    merged_workbook(rows, &[])
}

/// [`workbook`] with merged cells: (first row, column, last row, text).
fn merged_workbook(
    rows: &[&[&str]],
    merges: &[(u32, u16, u32, &str)],
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    let plain = rust_xlsxwriter::Format::new();
    for &(first, col, last, text) in merges {
        sheet
            .merge_range(first, col, last, col, text, &plain)
            .unwrap();
    }
    book.save(&path).unwrap();
    (dir, path)
}

/// The one form of the workbook, checked as filed.
fn report(rows: &[&[&str]]) -> Report {
    let (_dir, path) = workbook(rows);
    let mut forms = jixiao::read::load(&path).unwrap();
    assert_eq!(forms.len(), 1);
    Report::new(forms.remove(0), None)
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code).collect()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const TITLE: &[&str] = &["项目支出绩效自评表"];
const YEAR: &[&str] = &["（2022年度）"];
const PROJECT: &[&str] = &["项目名称", "某项目", "", "", ""];
const OWNER: &[&str] = &["主管部门", "某局", "", "实施单位", "某中心"];
const GOALS: &[&str] = &[
    "年度总体目标",
    "预期目标",
    "完成某事",
    "实际完成情况",
    "完成了某事",
];
const FUNDS_HEAD: &[&str] = &[
    "项目资金（万元）",
    "",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
];
const FUNDS_TOTAL: &[&str] = &["", "年度资金总额", "100", "100", "90", "10", "90.00%", "9"];
/// A funds block without 分值 and 得分 (the national framework; a form without scores).
const FUNDS_HEAD_UNSCORED: &[&str] = &[
    "项目资金（万元）",
    "",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
];
const FUNDS_TOTAL_UNSCORED: &[&str] = &["", "年度资金总额", "100", "100", "95", "95.00%"];
const HEAD: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
];

/// Closing rows (其他需要说明事项, 评价结论) between the indicators and the total: the total
/// under them is read, and the grade printed in its own cell beside it.
#[test]
fn a_total_after_closing_rows_is_read() {
    let r = report(&[
        TITLE,
        YEAR,
        PROJECT,
        OWNER,
        FUNDS_HEAD,
        FUNDS_TOTAL,
        GOALS,
        HEAD,
        &[
            "产出指标",
            "数量指标",
            "建设数量",
            "≥10个",
            "10个",
            "50",
            "50",
            "",
        ],
        &[
            "效益指标",
            "社会效益指标",
            "受益人数",
            "≥100人",
            "100人",
            "30",
            "30",
            "",
        ],
        &[
            "满意度指标",
            "服务对象满意度指标",
            "满意度",
            "≥90%",
            "95%",
            "10",
            "10",
            "",
        ],
        &["其他需要说明事项", "无"],
        &["评价结论", "良好"],
        &["总分", "", "", "", "", "100", "99", "优"],
    ]);
    assert_eq!(r.form.total_score, Some(d("99")));
    assert_eq!(r.form.grade.as_deref(), Some("优"));
    assert_eq!(r.form.indicators.len(), 3);
    let c = codes(&r);
    assert!(!c.contains(&"total-row-missing"), "{c:?}");
    assert!(!c.contains(&"total-missing"), "{c:?}");
    assert_eq!(c.iter().filter(|&&c| c == "row-remark").count(), 2, "{c:?}");
}

/// Another region's words for the columns and the header are read by what they mean, each
/// said where it stands; the form reads as the official wording does.
#[test]
fn another_regions_words_read_as_the_official_ones() {
    let official = report(&[
        TITLE,
        YEAR,
        PROJECT,
        OWNER,
        FUNDS_HEAD,
        FUNDS_TOTAL,
        GOALS,
        HEAD,
        &[
            "产出指标",
            "数量指标",
            "建设数量",
            "≥10个",
            "10个",
            "90",
            "90",
            "",
        ],
        &["总分", "", "", "", "", "100", "99", ""],
    ]);
    let other = report(&[
        TITLE,
        YEAR,
        PROJECT,
        &["主管部门", "某局", "", "项目承办单位", "某中心"],
        &[
            "项目资金（万元）",
            "",
            "年初安排数",
            "调整后预算",
            "本年实际支出",
            "分值",
            "支出进度率",
            "得分",
        ],
        FUNDS_TOTAL,
        GOALS,
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度计划值",
            "本年实现值",
            "分值",
            "得分",
            "未达标原因",
        ],
        &[
            "产出指标",
            "数量指标",
            "建设数量",
            "≥10个",
            "10个",
            "90",
            "90",
            "",
        ],
        &["总分", "", "", "", "", "100", "99", ""],
    ]);
    assert_eq!(other.form, official.form);
    let inferred: Vec<_> = other
        .findings
        .iter()
        .filter(|f| f.code == "label-inferred")
        .map(|f| f.cell.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        inferred.len(),
        8,
        "{inferred:?}: 承办单位, 4 funds and 3 indicator columns"
    );
    assert!(!codes(&other).contains(&"column-missing"));
}

/// The national framework: 决策 / 过程 / 产出 / 效益 with subtotals in the 一级 cells, the
/// budget execution rate an indicator row (not header text), the funds block without a score.
#[test]
fn the_national_framework_is_a_tree_and_its_execution_rate_an_indicator() {
    let r = report(&[
        TITLE,
        YEAR,
        PROJECT,
        OWNER,
        FUNDS_HEAD_UNSCORED,
        FUNDS_TOTAL_UNSCORED,
        GOALS,
        HEAD,
        &[
            "决策（20分）",
            "项目立项",
            "立项依据充分性",
            "充分",
            "充分",
            "10",
            "10",
            "",
        ],
        &[
            "",
            "绩效目标",
            "绩效目标合理性",
            "合理",
            "合理",
            "10",
            "10",
            "",
        ],
        &[
            "过程（30分）",
            "资金管理",
            "预算执行率",
            "100%",
            "95%",
            "20",
            "19",
            "年底部分资金未支付",
        ],
        &[
            "",
            "组织实施",
            "制度执行有效性",
            "有效",
            "有效",
            "10",
            "10",
            "",
        ],
        &[
            "产出（30分）",
            "产出数量",
            "建设数量",
            "≥10个",
            "10个",
            "30",
            "30",
            "",
        ],
        &[
            "效益（20分）",
            "项目效益",
            "受益人数",
            "≥100人",
            "100人",
            "20",
            "20",
            "",
        ],
        &["总分", "", "", "", "", "100", "99", ""],
    ]);
    let names: Vec<&str> = r.form.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "立项依据充分性",
            "绩效目标合理性",
            "预算执行率",
            "制度执行有效性",
            "建设数量",
            "受益人数"
        ]
    );
    assert_eq!(r.form.indicators[2].level1, "过程");
    let c = codes(&r);
    for wrong in [
        "row-unplaced",
        "tree-level1",
        "tree-level2",
        "tree-mixed",
        "weights-sum",
        "weight-missing",
        "score-missing",
        "total-mismatch",
        "subtotal-mismatch",
    ] {
        assert!(!c.contains(&wrong), "{wrong}: {c:?}");
    }
    assert!(c.contains(&"funds-unscored"), "{c:?}");
    assert_eq!(r.review.execution_rate, Some(d("95.00")));
    assert_eq!(r.review.total, d("99"));
}

/// A form without 分值 and 得分 columns compares targets and actual values, and says once
/// that it has no scores.
#[test]
fn a_form_without_scores_is_checked_and_said_once() {
    let r = report(&[
        TITLE,
        YEAR,
        PROJECT,
        OWNER,
        FUNDS_HEAD_UNSCORED,
        FUNDS_TOTAL_UNSCORED,
        GOALS,
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "偏差原因分析及改进措施",
        ],
        &[
            "产出指标",
            "数量指标",
            "建设数量",
            "≥10个",
            "8个",
            "天气原因",
        ],
        &["产出指标", "质量指标", "验收合格率", "100%", "100%", ""],
        &[
            "效益指标",
            "社会效益指标",
            "受益人数",
            "≥100人",
            "120人",
            "",
        ],
    ]);
    assert_eq!(r.form.indicators.len(), 3);
    let c = codes(&r);
    assert_eq!(
        c.iter().filter(|&&c| c == "form-unscored").count(),
        1,
        "{c:?}"
    );
    for wrong in [
        "weight-missing",
        "score-missing",
        "weights-sum",
        "column-missing",
        "total-missing",
        "total-row-missing",
    ] {
        assert!(!c.contains(&wrong), "{wrong}: {c:?}");
    }
}

/// Template numbering before a name is taken off and said; a row of the template filled with
/// `/` is a placeholder, never an indicator.
#[test]
fn template_numbering_and_filler_rows() {
    let r = report(&[
        TITLE,
        YEAR,
        PROJECT,
        OWNER,
        FUNDS_HEAD,
        FUNDS_TOTAL,
        GOALS,
        &["年度绩效指标完成情况"],
        HEAD,
        &[
            "产出指标",
            "数量指标",
            "指标1:建设数量",
            "≥10个",
            "10个",
            "50",
            "50",
            "",
        ],
        &["", "", "指标2:", "", "", "", "", ""],
        &["效益指标", "生态效益指标", "指标1:/", "/", "/", "", "", ""],
        &[
            "",
            "社会效益指标",
            "指标1受益人数",
            "≥100人",
            "100人",
            "30",
            "30",
            "",
        ],
        &[
            "满意度指标",
            "服务对象满意度指标",
            "指标一、满意度",
            "≥90%",
            "95%",
            "10",
            "10",
            "",
        ],
        &["总分", "", "", "", "", "100", "99", ""],
    ]);
    let names: Vec<&str> = r.form.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["建设数量", "受益人数", "满意度"]);
    let c = codes(&r);
    assert_eq!(
        c.iter().filter(|&&c| c == "name-prefix").count(),
        3,
        "{c:?}"
    );
    assert_eq!(
        c.iter().filter(|&&c| c == "row-placeholder").count(),
        2,
        "{c:?}"
    );
    assert!(!c.contains(&"column-ignored"), "{c:?}");
    assert!(!c.contains(&"row-incomplete"), "{c:?}");
}

/// A finding about a cell several indicators share (a 二级 merged over two rows, not in the
/// tree) is said once at that cell, not once per indicator.
#[test]
fn a_finding_at_one_cell_is_said_once() {
    let rows: &[&[&str]] = &[
        TITLE,
        YEAR,
        PROJECT,
        OWNER,
        FUNDS_HEAD,
        FUNDS_TOTAL,
        GOALS,
        HEAD,
        &["产出指标", "", "建设数量", "≥10个", "10个", "45", "45", ""],
        &[
            "",
            "",
            "建设面积",
            "≥100平方米",
            "100平方米",
            "45",
            "45",
            "",
        ],
        &["总分", "", "", "", "", "100", "99", ""],
    ];
    let (_dir, path) = merged_workbook(rows, &[(8, 1, 9, "建设规模指标")]);
    let r = Report::new(jixiao::read::load(&path).unwrap().remove(0), None);
    let at_level2: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.cell.as_deref().is_some_and(|c| c.ends_with("!B9")))
        .map(|f| f.code)
        .collect();
    assert_eq!(at_level2, ["tree-level2"], "{:?}", codes(&r));
}
