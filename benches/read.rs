//! How long reading one form from a workbook takes (`read::load`: file, cells, merges, labels).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read::load");
    for (name, rel) in [
        ("000.xlsx", "samples/000.xlsx"),
        ("000.xls", "tests/fixtures/read/canonical-000.xls"),
        ("000.ods", "tests/fixtures/read/canonical-000.ods"),
        ("000.json", "samples/000.json"),
        ("stray-cell.xlsx", "tests/fixtures/bad/stray-cell.xlsx"),
        // Real published forms, laid out as their province prints them (blank figures,
        // formulas): read from ../shared when it is there.
        (
            "he-langfang-2019.xlsx",
            "../shared/real-forms/he-langfang-2019.xlsx",
        ),
        (
            "ah-chizhou-2022a.xlsx",
            "../shared/real-forms/ah-chizhou-2022a.xlsx",
        ),
    ] {
        let file = path(rel);
        if !file.exists() {
            eprintln!("skipped {name}: {} is not there", file.display());
            continue;
        }
        assert_eq!(jixiao::read::load(&file).expect(rel).len(), 1);
        group.bench_function(name, |b| {
            b.iter(|| jixiao::read::load(black_box(&file)).expect(rel))
        });
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
