//! End-to-end throughput of `jixiao render` on a generated department folder: read, check,
//! xlsx, PDF, summary and manifest, in parallel, as the command line runs it.
//!
//! `cargo bench --bench batch` renders 1 000 forms; `JIXIAO_BENCH_FORMS=10000 cargo bench
//! --bench batch` renders 10 000. It prints the wall time, forms per second and the peak
//! resident memory of the process (VmHWM). Half the forms are JSON, half xlsx workbooks.

use std::path::Path;
use std::time::Instant;

use jixiao::batch::{Formats, Job};

/// The allocator of the `jixiao` binary, so that the memory measured is the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use jixiao::layout::Options;

/// Peak resident memory of this process, in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn generate(dir: &Path, forms: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("samples/001.json")).unwrap())
            .unwrap();
    let xlsx = std::fs::read(root.join("samples/000.xlsx")).unwrap();
    for k in 0..forms {
        let unit = dir.join(format!("unit-{:03}", k / 100));
        std::fs::create_dir_all(&unit).unwrap();
        if k % 2 == 0 {
            let mut form = json.clone();
            form["project"] = format!("11000024T{k:012}-第{k}号项目").into();
            std::fs::write(
                unit.join(format!("form-{k:05}.json")),
                serde_json::to_vec(&form).unwrap(),
            )
            .unwrap();
        } else {
            std::fs::write(unit.join(format!("form-{k:05}.xlsx")), &xlsx).unwrap();
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let forms: usize = std::env::var("JIXIAO_BENCH_FORMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    generate(&inputs, forms);
    let before = peak_mb();
    let job = Job {
        inputs: vec![inputs],
        out: dir.path().join("out"),
        layout: None,
        layout_source: false,
        options: Options {
            created: Some(jixiao::date::now()),
            ..Options::default()
        },
        formats: Formats::default(),
        threads: 0,
        signer: None,
        seal: None,
    };
    let start = Instant::now();
    let outcome = jixiao::batch::run(&job, &|_| {}).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(outcome.rows.len(), forms);
    assert!(outcome.failures.is_empty());
    println!(
        "batch: {forms} forms (xlsx + pdf each) in {seconds:.2} s = {:.0} forms/s on {} threads; peak memory {:.0} MB (before the run {:.0} MB)",
        forms as f64 / seconds,
        rayon::current_num_threads(),
        peak_mb().unwrap_or(f64::NAN),
        before.unwrap_or(f64::NAN),
    );
}
