//! How long one form takes through layout and each writer (`cargo bench --bench render`).
//!
//! Sample 001 is the reference form; sample 000 is a two-page PDF (the size bound of the PDF
//! writer is asserted in `tests/render_pdf.rs`, the sizes are printed here).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao::layout::{self, Grid, Options};
use jixiao::{Layout, Report, SourcedForm};

fn report(json: &str) -> Report {
    let form = jixiao::read::form_from_json(json).expect("the sample parses");
    Report::new(SourcedForm::from_data("bench", form), None)
}

fn options() -> Options {
    Options {
        created: Some("2025-03-01T00:00:00+08:00".into()),
        ..Options::default()
    }
}

fn grid(report: &Report) -> Grid {
    layout::build(report, Layout::for_year(report.form.year), &options()).expect("the grid")
}

fn render(c: &mut Criterion) {
    let samples = [
        ("001", report(include_str!("../samples/001.json"))),
        ("000", report(include_str!("../samples/000.json"))),
    ];
    for (name, report) in &samples {
        let grid = grid(report);
        let pdf = jixiao::render::pdf::write(&grid).expect("the pdf");
        let xlsx = jixiao::render::xlsx::write(&grid).expect("the xlsx");
        eprintln!(
            "sample {name}: PDF {} bytes on {} pages, xlsx {} bytes",
            pdf.len(),
            grid.pages.len(),
            xlsx.len()
        );
    }
    let (_, report) = &samples[0];
    let layout = Layout::for_year(report.form.year);
    c.bench_function("layout::build 001", |b| {
        b.iter(|| layout::build(black_box(report), layout, &options()).unwrap())
    });
    let grid001 = grid(report);
    c.bench_function("xlsx::write 001", |b| {
        b.iter(|| jixiao::render::xlsx::write(black_box(&grid001)).unwrap())
    });
    c.bench_function("pdf::write 001", |b| {
        b.iter(|| jixiao::render::pdf::write(black_box(&grid001)).unwrap())
    });
    let grid000 = grid(&samples[1].1);
    c.bench_function("pdf::write 000 (two pages)", |b| {
        b.iter(|| jixiao::render::pdf::write(black_box(&grid000)).unwrap())
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
