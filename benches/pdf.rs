//! How long reading forms out of PDFs takes (`read::load_bytes` on a `.pdf`: parsing, the
//! pages' marks, the tables rebuilt and joined, the form read), reported per page: the
//! samples as jixiao prints them (000 over two pages, 001 on one), and a 95-page Chinese
//! report of tables without a form (`read::source::pdf::tables`) from `../shared` when it is there.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jixiao::layout::{self, Options};

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The sample `name` printed to PDF by jixiao, with its number of pages.
fn printed(name: &str) -> (Vec<u8>, u64) {
    let form = jixiao::read::load(&path(&format!("samples/{name}.json")))
        .expect("sample")
        .remove(0);
    let checked = jixiao::pipeline::check(form, None);
    let grid = layout::build(&checked.report, &checked.layout, &Options::default()).expect("grid");
    let bytes = jixiao::render::pdf::write(&grid).expect("pdf");
    let pages = jixiao::read::source::pdf::tables(&bytes)
        .expect("tables")
        .pages as u64;
    (bytes, pages)
}

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read::source::pdf");
    for name in ["000", "001"] {
        let (bytes, pages) = printed(name);
        let file = PathBuf::from(format!("{name}.pdf"));
        assert_eq!(
            jixiao::read::load_bytes(&file, &bytes).expect(name).len(),
            1
        );
        group.throughput(Throughput::Elements(pages));
        group.bench_function(format!("{name}.pdf ({pages} pages)"), |b| {
            b.iter(|| jixiao::read::load_bytes(black_box(&file), black_box(&bytes)).expect(name))
        });
    }
    let report = path("../shared/realpdfs/pdfpig-cn-gbk-95p.pdf");
    match std::fs::read(&report) {
        Ok(bytes) => {
            let pages = jixiao::read::source::pdf::tables(&bytes)
                .expect("tables")
                .pages as u64;
            group.throughput(Throughput::Elements(pages));
            group.sample_size(10);
            group.bench_function(format!("report of {pages} pages, tables only"), |b| {
                b.iter(|| jixiao::read::source::pdf::tables(black_box(&bytes)).expect("tables"))
            });
        }
        Err(_) => eprintln!("skipped the report: {} is not there", report.display()),
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
