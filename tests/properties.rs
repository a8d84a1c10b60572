//! Properties over generated forms: any form the model can express survives form → xlsx → read
//! back; a review never scores outside 0..分值; grids never overlap; the PDF's text holds every
//! cell's text. Case counts are modest so that `cargo test` stays fast.

mod common;

use std::collections::BTreeMap;

use common::in_unit;
use jixiao::layout::{self, Grid, Options, Value};
use jixiao::model::{Form, Funds, FundsRow, Goals, Indicator};
use jixiao::{Layout, Report, SourcedForm};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The current indicator tree (beijing-2024): 一级 with its 二级.
const TREE: &[(&str, &[&str])] = &[
    ("产出指标", &["数量指标", "质量指标", "时效指标"]),
    (
        "成本指标",
        &["经济成本指标", "社会成本指标", "生态环境成本指标"],
    ),
    (
        "效益指标",
        &[
            "经济效益指标",
            "社会效益指标",
            "生态效益指标",
            "可持续影响指标",
        ],
    ),
    ("满意度指标", &["服务对象满意度指标"]),
];

/// Short text of CJK and ASCII, starting with a CJK character (as every real field does).
fn text() -> impl Strategy<Value = String> {
    "[馆藏文物展览观众满意度系统服务][馆藏文物展览观众满意度系统服务ABCxyz0-9 ]{0,12}"
        .prop_map(|s| s.trim_end().to_string())
}

/// A decimal with 0–6 places.
fn decimal() -> impl Strategy<Value = Decimal> {
    (0i64..100_000_000, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s))
}

fn row() -> impl Strategy<Value = Option<FundsRow>> {
    proptest::option::of(
        (decimal(), decimal(), decimal()).prop_map(|(i, b, e)| FundsRow {
            initial: Some(i),
            budget: Some(b),
            executed: Some(e),
        }),
    )
}

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..1000, "(|≥|≤|>|<|=)", "(|%|套|个|万元|人次)")
            .prop_map(|(n, op, unit)| format!("{op}{n}{unit}")),
        text(),
    ]
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        0..TREE.len(),
        0usize..4,
        text(),
        value_text(),
        value_text(),
        proptest::option::of(0u32..=30),
        proptest::option::of(0u32..=3000),
        text(),
    )
        .prop_map(|(g, l2, name, target, actual, weight, score, deviation)| {
            let (level1, level2s) = TREE[g];
            Indicator {
                level1: level1.to_string(),
                level2: level2s[l2 % level2s.len()].to_string(),
                name,
                target,
                actual,
                weight: weight.map(Decimal::from),
                score: score.map(|s| Decimal::new(i64::from(s), 2)),
                deviation,
                ..Indicator::default()
            }
        })
}

fn form() -> impl Strategy<Value = Form> {
    (
        (text(), text(), text(), 2021i32..=2026),
        (row(), row(), row(), row()),
        (text(), text()),
        proptest::collection::vec(indicator(), 1..30),
        (
            proptest::option::of(decimal()),
            proptest::option::of(0i64..=1000),
        ),
    )
        .prop_map(
            |(
                (project, department, unit, year),
                (t, a, c, o),
                (expected, achieved),
                mut indicators,
                (total, funds_score),
            )| {
                // The reader groups 一级/二级 as the form shows them: keep each group together.
                indicators.sort_by_key(|i| {
                    let g = TREE.iter().position(|(l1, _)| *l1 == i.level1).unwrap();
                    let l2 = TREE[g].1.iter().position(|l| *l == i.level2).unwrap();
                    (g, l2)
                });
                Form {
                    year: Some(year),
                    project,
                    department,
                    unit,
                    lead: None,
                    phone: None,
                    funds: Funds {
                        total: t,
                        appropriation: a,
                        carryover: c,
                        other: o,
                        weight: Some(Decimal::TEN),
                        score: funds_score.map(|s| Decimal::new(s, 2)),
                        ..Funds::default()
                    },
                    goals: Goals {
                        expected,
                        achieved,
                        adjusted: None,
                    },
                    indicators,
                    total_score: total.map(|d| d.round_dp(2)),
                    grade: None,
                    signoff: BTreeMap::new(),
                    ..Form::default()
                }
            },
        )
}

fn grid_of(form: &Form) -> (Report, Grid) {
    let report = Report::new(SourcedForm::from_data("prop.json", form.clone()), None);
    let grid = layout::build(&report, Layout::for_year(form.year), &Options::default()).unwrap();
    (report, grid)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn review_scores_stay_within_their_weights(form in form()) {
        let review = jixiao::score::review(&form);
        for (a, ind) in review.indicators.iter().zip(&form.indicators) {
            if let (Some(computed), Some(weight)) = (a.computed, ind.weight) {
                prop_assert!(computed >= Decimal::ZERO, "{ind:?} → {computed}");
                prop_assert!(computed <= weight, "{ind:?} → {computed}");
            }
        }
        if let Some(score) = review.funds_score {
            prop_assert!(score >= Decimal::ZERO && score <= Decimal::TEN);
        }
    }

    #[test]
    fn grids_never_overlap(form in form()) {
        let (_, grid) = grid_of(&form);
        let mut taken = vec![false; grid.rows.len() * grid.columns.len()];
        for c in &grid.cells {
            for r in c.row..=c.last_row() {
                for k in c.col..=c.last_col() {
                    let i = r as usize * grid.columns.len() + k as usize;
                    prop_assert!(!taken[i], "two cells cover ({r}, {k})");
                    taken[i] = true;
                }
            }
        }
    }

    #[test]
    fn forms_survive_xlsx_and_back(form in form()) {
        // Every figure is written as filed (a live formula only where it gives that very
        // figure): any form reads back as it was, consistent or not.
        let (_, grid) = grid_of(&form);
        let bytes = jixiao::render::xlsx::write(&grid).unwrap();
        let back = jixiao::read::load_bytes(std::path::Path::new("prop.xlsx"), &bytes).unwrap();
        prop_assert_eq!(back.len(), 1);
        prop_assert_eq!(
            serde_json::to_value(&back[0].form).unwrap(),
            serde_json::to_value(&form).unwrap()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn pdf_text_holds_every_cell(form in form()) {
        if !common::have_tool("pdftotext") {
            return Ok(());
        }
        let (_, grid) = grid_of(&form);
        let bytes = jixiao::render::pdf::write(&grid).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prop.pdf");
        std::fs::write(&path, bytes).unwrap();
        let text: String = common::run_tool("pdftotext", &["-raw", path.to_str().unwrap(), "-"])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for cell in &grid.cells {
            if matches!(cell.value, Value::Empty) {
                continue;
            }
            for line in &cell.lines {
                let line: String = line.chars().filter(|c| !c.is_whitespace()).collect();
                prop_assert!(text.contains(&line), "{line:?} is not in the PDF's text");
            }
        }
    }
}

/// What a filer may put in an indicator table besides indicators.
#[derive(Debug, Clone, Copy)]
enum Trap {
    /// A 小计 row with figures.
    Subtotal,
    /// A template row `指标2` left in.
    Placeholder,
    /// A detail row `其中…` with a target and an actual value but no 分值.
    Detail,
    /// A page copied from a printout: the header again, `续上页` in the label column.
    Continued,
}

/// Names that start like labels (a block, a footer, a reason column) but are indicators.
const LABEL_LIKE: &[&str] = &[
    "项目资金支付率",
    "改进措施落实率",
    "存在问题整改率",
    "原因分析报告数",
    "预算执行情况通报次数",
    "评价结论采纳率",
];

/// A table as a filer prints it: the indicators with traps between them, the total's label
/// and where it stands, and whether a footer follows.
#[derive(Debug, Clone)]
struct Printed {
    indicators: Vec<Indicator>,
    traps: Vec<(usize, Trap)>,
    total: (&'static str, u16, bool),
    footer: bool,
}

fn printed() -> impl Strategy<Value = Printed> {
    // Every indicator with its 分值 and 得分 (a row without them is not an indicator), some
    // named like labels.
    let indicator = (
        indicator(),
        proptest::option::of(proptest::sample::select(LABEL_LIKE)),
        1u32..=30,
    )
        .prop_map(|(mut ind, label_like, weight)| {
            if let Some(name) = label_like {
                ind.name = name.to_string();
            }
            ind.weight.get_or_insert(Decimal::from(weight));
            ind.score.get_or_insert(Decimal::ZERO);
            ind
        });
    (
        proptest::collection::vec(indicator, 1..20),
        proptest::collection::vec(
            (
                0usize..20,
                prop_oneof![
                    Just(Trap::Subtotal),
                    Just(Trap::Placeholder),
                    Just(Trap::Detail),
                    Just(Trap::Continued)
                ],
            ),
            0..5,
        ),
        (
            proptest::sample::select(&["总分", "总 分", "合计", "总计", "总分："][..]),
            prop_oneof![Just(0u16), Just(1u16), Just(3u16)],
            any::<bool>(),
        ),
        any::<bool>(),
    )
        .prop_map(|(indicators, traps, total, footer)| Printed {
            indicators,
            traps,
            total,
            footer,
        })
}

/// Writes `p` as the official printout does (block-label column A, the table in B…I), with
/// another program than jixiao's writer.
fn write_printed(p: &Printed, total_score: &str) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let f = Format::new();
    let merge =
        |ws: &mut rust_xlsxwriter::Worksheet, r1: u32, c1: u16, r2: u32, c2: u16, t: &str| {
            if (r1, c1) == (r2, c2) {
                ws.write_string(r1, c1, t).unwrap();
            } else {
                ws.merge_range(r1, c1, r2, c2, t, &Format::new()).unwrap();
            }
        };
    merge(ws, 0, 0, 0, 8, "项目支出绩效自评表");
    merge(ws, 1, 0, 1, 8, "（2024年度）");
    merge(ws, 2, 0, 2, 1, "项目名称");
    merge(ws, 2, 2, 2, 8, "某项目");
    merge(ws, 3, 0, 3, 1, "主管部门及代码");
    merge(ws, 3, 2, 3, 4, "001-某局");
    merge(ws, 3, 5, 3, 6, "实施单位");
    merge(ws, 3, 7, 3, 8, "001001-某单位");
    merge(ws, 4, 0, 8, 1, "项目资金（万元）");
    let heads = [
        "年初预算数",
        "全年预算数(B)",
        "全年执行数(C)",
        "分值",
        "执行率(C/B)",
        "得分",
    ];
    for (k, h) in heads.iter().enumerate() {
        ws.write_string(4, 3 + k as u16, *h).unwrap();
    }
    for (k, label) in [
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    .iter()
    .enumerate()
    {
        let r = 5 + k as u32;
        ws.write_string(r, 2, *label).unwrap();
        let figures = if k == 0 {
            ["10", "10", "10", "10", "100.00%", "10"]
        } else {
            ["-"; 6]
        };
        for (c, v) in figures.iter().enumerate() {
            ws.write_string(r, 3 + c as u16, *v).unwrap();
        }
    }
    merge(ws, 9, 0, 10, 1, "年度总体目标");
    merge(ws, 9, 2, 9, 4, "预期目标");
    merge(ws, 9, 5, 9, 8, "实际完成情况");
    merge(ws, 10, 2, 10, 4, "完成某事");
    merge(ws, 10, 5, 10, 8, "已完成");
    let header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值(A)",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ];
    let mut r = 11u32;
    let write_header = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, label: &str| {
        ws.write_string(r, 0, label).unwrap();
        for (k, h) in header.iter().enumerate() {
            ws.write_string(r, 1 + k as u16, *h).unwrap();
        }
    };
    write_header(ws, r, "绩效指标");
    r += 1;
    for (i, ind) in p.indicators.iter().enumerate() {
        for (_, trap) in p.traps.iter().filter(|(at, _)| *at == i) {
            ws.write_string(r, 1, &ind.level1).unwrap();
            ws.write_string(r, 2, &ind.level2).unwrap();
            match trap {
                Trap::Subtotal => {
                    ws.write_string(r, 3, "小计").unwrap();
                    ws.write_string(r, 6, "20").unwrap();
                    ws.write_string(r, 7, "20.00").unwrap();
                }
                Trap::Placeholder => ws.write_string(r, 3, "指标2").map(|_| ()).unwrap(),
                Trap::Detail => {
                    ws.write_string(r, 3, "其中：明细").unwrap();
                    ws.write_string(r, 4, "1套").unwrap();
                    ws.write_string(r, 5, "1套").unwrap();
                }
                Trap::Continued => {
                    ws.write_string(r, 1, "").unwrap();
                    ws.write_string(r, 2, "").unwrap();
                    write_header(ws, r, "续上页");
                }
            }
            r += 1;
        }
        let fields = [
            &ind.level1,
            &ind.level2,
            &ind.name,
            &ind.target,
            &ind.actual,
            &ind.weight.unwrap().to_string(),
            &ind.score.unwrap().to_string(),
            &ind.deviation,
        ];
        for (k, v) in fields.iter().enumerate() {
            ws.write_string_with_format(r, 1 + k as u16, v.as_str(), &f)
                .unwrap();
        }
        r += 1;
    }
    let (label, col, merged) = p.total;
    if merged {
        merge(ws, r, col, r, 5, label);
    } else {
        ws.write_string(r, col, label).unwrap();
    }
    ws.write_string(r, 6, "100.00").unwrap();
    ws.write_string(r, 7, total_score).unwrap();
    r += 1;
    if p.footer {
        ws.write_string(r, 0, "填表人：张三").unwrap();
        ws.write_string(r, 4, "联系电话：010-12345678").unwrap();
        r += 1;
    }
    merge(
        ws,
        r,
        0,
        r,
        8,
        "填报注意事项：\n1.得分一档最高不能超过该指标分值上限。",
    );
    book.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A printed table with traps between the indicators — 小计, template and detail rows,
    /// pages copied with `续上页` — and its total under any label, in any label column:
    /// exactly the indicators are read, none named after a label, and the total is the total.
    #[test]
    fn printed_tables_read_exactly(p in printed()) {
        let total = "87.50";
        let bytes = write_printed(&p, total);
        let forms = jixiao::read::load_bytes(std::path::Path::new("printed.xlsx"), &bytes)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(forms.len(), 1);
        let form = &forms[0].form;
        prop_assert_eq!(&form.indicators, &p.indicators);
        prop_assert_eq!(form.total_score, Some(Decimal::new(8750, 2)));
        let v = jixiao::vocabulary::get();
        for ind in &form.indicators {
            prop_assert!(!v.is_label(&ind.name), "{} is a label", ind.name);
        }
    }

    /// Every form survives xlsx and back in every built-in layout, not only its year's: a
    /// form in 万元 written in a layout in 元 reads back in 元, its amounts converted exactly;
    /// a form of the other tree reads back re-filed under the layout's.
    #[test]
    fn forms_survive_every_layout(form in form(), which in 0usize..8) {
        // Project layouts (department forms: tests/department.rs).
        let layouts: Vec<&Layout> = Layout::builtin()
            .iter()
            .filter(|l| l.kind == jixiao::model::FormKind::Project)
            .collect();
        let layout = layouts[which % layouts.len()];
        let report = Report::new(SourcedForm::from_data("prop.json", form.clone()), Some(layout));
        let grid = layout::build(&report, layout, &Options::default()).unwrap();
        let bytes = jixiao::render::xlsx::write(&grid).unwrap();
        let back = jixiao::read::load_bytes(std::path::Path::new("prop.xlsx"), &bytes).unwrap();
        prop_assert_eq!(back.len(), 1);
        prop_assert_eq!(back[0].form.funds.unit, layout.funds.unit);
        prop_assert_eq!(
            in_unit(&back[0].form, layout.funds.unit),
            in_unit(&report.form, layout.funds.unit),
            "layout {}", layout.name
        );
    }
}
