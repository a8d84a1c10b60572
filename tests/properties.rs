//! Properties over generated forms: any form the model can express survives form → xlsx → read
//! back; a review never scores outside 0..分值; grids never overlap; the PDF's text holds every
//! cell's text. Case counts are modest so that `cargo test` stays fast.

mod common;

use std::collections::BTreeMap;

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
            }
        })
}

fn form() -> impl Strategy<Value = Form> {
    (
        (text(), text(), text(), 2021i32..=2026),
        (row(), row(), row(), row()),
        (text(), text()),
        proptest::collection::vec(indicator(), 1..30),
        proptest::option::of(decimal()),
    )
        .prop_map(
            |(
                (project, department, unit, year),
                (t, a, c, o),
                (expected, achieved),
                mut indicators,
                total,
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
                        score: Some(Decimal::new(1000, 2)),
                        ..Funds::default()
                    },
                    goals: Goals { expected, achieved },
                    indicators,
                    total_score: total.map(|d| d.round_dp(2)),
                    grade: None,
                    signoff: BTreeMap::new(),
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
        // 得分 of the funds and 总分 are written as live formulas: a form reads back with the
        // scores they compute, which is what a consistent form declares.
        let mut form = form;
        let funds_score = jixiao::score::review(&form).funds_score;
        prop_assume!(funds_score.is_some());
        form.funds.score = funds_score;
        form.total_score = Some(jixiao::score::review(&form).total);
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
