//! The whole pipeline on an arbitrary form: review → grid → xlsx and PDF bytes (and the
//! output name).
//! The review stays within its weights and the grid passes its own check.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use jixiao::layout::{Options, Template, TemplateData};
use jixiao::model::{Form, FormKind, Funds, FundsRow, Goals, Indicator, SourcedForm, Task};
use jixiao::{Layout, Report};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

/// A decimal as a mantissa and a scale (0–28 places): past the read limits too, which the
/// target refuses as reading does.
#[derive(Debug, Arbitrary)]
struct Dec(i64, u8);

impl Dec {
    fn get(&self) -> Decimal {
        Decimal::new(self.0, u32::from(self.1 % 29))
    }
}

#[derive(Debug, Arbitrary)]
struct Row(Option<Dec>, Option<Dec>, Option<Dec>);

#[derive(Debug, Arbitrary)]
struct Ind {
    level1: u8,
    level2: u8,
    name: String,
    target: String,
    actual: String,
    weight: Option<Dec>,
    score: Option<Dec>,
    deviation: String,
    adjusted: String,
    nature: String,
    core: Option<bool>,
    criteria: String,
}

#[derive(Debug, Arbitrary)]
struct Tsk {
    name: String,
    budget: Option<Dec>,
    executed: Option<Dec>,
    completion: String,
}

#[derive(Debug, Arbitrary)]
struct Input {
    department_form: bool,
    year: Option<i16>,
    project: String,
    department: String,
    unit: String,
    lead: Option<String>,
    phone: Option<String>,
    funds: [Option<Row>; 4],
    weight: Option<Dec>,
    score: Option<Dec>,
    expected: String,
    achieved: String,
    adjusted: Option<String>,
    tasks: Vec<Tsk>,
    indicators: Vec<Ind>,
    total: Option<Dec>,
    grade: Option<String>,
    signoff: Vec<(String, String)>,
    options: Vec<(String, String)>,
    date: Option<String>,
    layout: bool,
}

const LEVEL1: [&str; 5] = ["产出指标", "成本指标", "效益指标", "满意度指标", ""];
const LEVEL2: [&str; 6] = [
    "数量指标",
    "质量指标",
    "时效指标",
    "社会效益指标",
    "服务对象满意度指标",
    "成本指标",
];

fn level(names: &[&str], pick: u8, text: &str) -> String {
    names
        .get(usize::from(pick))
        .map_or_else(|| text.to_string(), |s| s.to_string())
}

impl Input {
    fn form(&self) -> Form {
        let row = |r: &Option<Row>| {
            r.as_ref().map(|r| FundsRow {
                initial: r.0.as_ref().map(Dec::get),
                budget: r.1.as_ref().map(Dec::get),
                executed: r.2.as_ref().map(Dec::get),
            })
        };
        Form {
            kind: if self.department_form {
                FormKind::Department
            } else {
                FormKind::Project
            },
            year: self.year.map(i32::from),
            project: self.project.clone(),
            department: self.department.clone(),
            unit: self.unit.clone(),
            lead: self.lead.clone(),
            phone: self.phone.clone(),
            funds: Funds {
                total: row(&self.funds[0]),
                appropriation: row(&self.funds[1]),
                carryover: row(&self.funds[2]),
                other: row(&self.funds[3]),
                weight: self.weight.as_ref().map(Dec::get),
                score: self.score.as_ref().map(Dec::get),
                ..Funds::default()
            },
            tasks: self
                .tasks
                .iter()
                .take(50)
                .map(|t| Task {
                    name: t.name.clone(),
                    budget: t.budget.as_ref().map(Dec::get),
                    executed: t.executed.as_ref().map(Dec::get),
                    completion: t.completion.clone(),
                    ..Task::default()
                })
                .collect(),
            goals: Goals {
                expected: self.expected.clone(),
                achieved: self.achieved.clone(),
                adjusted: self.adjusted.clone(),
            },
            indicators: self
                .indicators
                .iter()
                .take(200)
                .map(|i| Indicator {
                    level1: level(&LEVEL1, i.level1, &i.name),
                    level2: level(&LEVEL2, i.level2, &i.deviation),
                    name: i.name.clone(),
                    target: i.target.clone(),
                    actual: i.actual.clone(),
                    weight: i.weight.as_ref().map(Dec::get),
                    score: i.score.as_ref().map(Dec::get),
                    deviation: i.deviation.clone(),
                    target_adjusted: i.adjusted.clone(),
                    nature: i.nature.clone(),
                    core: i.core,
                    criteria: i.criteria.clone(),
                    ..Indicator::default()
                })
                .collect(),
            total_score: self.total.as_ref().map(Dec::get),
            grade: self.grade.clone(),
            signoff: self.signoff.iter().cloned().collect::<BTreeMap<_, _>>(),
            ..Form::default()
        }
    }
}

fuzz_target!(|input: Input| {
    let form = input.form();
    // Every form reaches the pipeline through a reader, which applies the limits.
    if jixiao::read::limits::check_form(&form, None).is_err() {
        return;
    }
    let report = Report::new(SourcedForm::from_data("fuzz.json", form), None);
    let review = &report.review;
    for (assessment, indicator) in review.indicators.iter().zip(&report.form.indicators) {
        if let (Some(computed), Some(weight)) = (assessment.computed, indicator.weight) {
            assert!(computed >= Decimal::ZERO && computed <= weight.max(Decimal::ZERO));
        }
    }
    // A form in the layout `render` gives it, or (project forms) in another year's.
    let layout = if input.layout && report.form.kind == FormKind::Project {
        Layout::by_name("mof-2020").unwrap()
    } else {
        Layout::for_form(&report.form)
    };
    let options = Options {
        signoff: input.options.iter().cloned().collect(),
        date: input.date.clone(),
        created: Some("2025-03-01T00:00:00+08:00".to_string()),
        ..Options::default()
    };
    let _ = layout.render(
        Template::Output,
        &TemplateData::new(&report.form, "stem", ""),
    );
    let grid = match jixiao::layout::build(&report, layout, &options) {
        Ok(grid) => grid,
        Err(e) => panic!("layout failed on a form the model can express: {e}"),
    };
    if let Err(e) = jixiao::render::xlsx::write(&grid) {
        panic!("xlsx failed: {e}");
    }
    if let Err(e) = jixiao::render::pdf::write(&grid) {
        panic!("pdf failed: {e}");
    }
});
