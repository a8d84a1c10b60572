//! End-to-end throughput of `jixiao render` on a generated folder of distinct forms: read,
//! check, xlsx, PDF, summary and manifest, in parallel, as the command line runs it.
//!
//! The forms are made from the two samples with their texts varied (a quarter of the Chinese
//! characters of the goals and indicator names replaced by others of GB2312's first level, and
//! a project name of its own), so that every PDF embeds a different font subset, as in a real
//! batch; a batch of one form copied many times compresses the same subset every time. Half the
//! forms are JSON, half xlsx workbooks (written by jixiao from the varied JSON).
//!
//! It prints the wall time and forms per second of [`jixiao::batch::run`], the peak resident
//! memory of the process (VmHWM) during that run, the mean PDF and xlsx sizes, and then, from a
//! second pass that runs the same steps one by one with a clock around each, the CPU time per
//! form of every stage. Timings are never asserted.
//!
//! Knobs (environment):
//! - `JIXIAO_BENCH_FORMS`: how many forms (default 1 000);
//! - `JIXIAO_BENCH_THREADS`: worker threads (default 0: one per core);
//! - `JIXIAO_BENCH_STAGES`: `0` skips the stage pass (default on);
//! - `JIXIAO_BENCH_DIR`: generate into (and reuse) this folder instead of a temporary one; the
//!   inputs are kept between runs when their count matches, so that runs compare on the same
//!   forms.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jixiao::batch::{FileEntry, Formats, Job};
use jixiao::layout::{self, Options};
use jixiao::pipeline;
use jixiao::render::pdf::Stamp;
use jixiao::summary::SummaryRow;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The allocator of the `jixiao` binary, so that the memory measured is the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Peak resident memory of this process, in MB.
fn peak_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// The memory figure `field` (`VmHWM:`, `VmRSS:`) of this process, in MB.
fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak resident memory (VmHWM) to the current resident size.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift64*), so that the same count gives the same forms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The 3 755 characters of GB2312's first level (common characters), decoded from GBK.
fn common_characters() -> Vec<char> {
    let mut bytes = Vec::new();
    for hi in 0xb0u8..=0xd7 {
        for lo in 0xa1u8..=0xfe {
            if hi == 0xd7 && lo > 0xf9 {
                break;
            }
            bytes.extend([hi, lo]);
        }
    }
    let (text, _, errors) = encoding_rs::GBK.decode(&bytes);
    assert!(!errors);
    text.chars().collect()
}

/// `text` with about one in four of its Chinese characters replaced by one of `pool`.
fn vary(text: &str, pool: &[char], rng: &mut Rng) -> String {
    text.chars()
        .map(|c| {
            if ('\u{4e00}'..='\u{9fa5}').contains(&c) && rng.next().is_multiple_of(4) {
                pool[(rng.next() % pool.len() as u64) as usize]
            } else {
                c
            }
        })
        .collect()
}

/// Form `k`: a sample with its texts varied.
fn varied_form(samples: &[serde_json::Value], k: usize, pool: &[char]) -> serde_json::Value {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (k as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9));
    let mut form = samples[k % samples.len()].clone();
    let project = form["project"].as_str().unwrap_or_default();
    let name = project.split_once('-').map_or(project, |(_, name)| name);
    form["project"] = format!("11000024T{k:012}-{}", vary(name, pool, &mut rng)).into();
    for key in ["expected", "achieved"] {
        let text = form["goals"][key].as_str().unwrap_or_default().to_string();
        form["goals"][key] = vary(&text, pool, &mut rng).into();
    }
    if let Some(indicators) = form["indicators"].as_array_mut() {
        for indicator in indicators {
            for key in ["name", "deviation"] {
                let text = indicator[key].as_str().unwrap_or_default().to_string();
                indicator[key] = vary(&text, pool, &mut rng).into();
            }
        }
    }
    form
}

/// Writes `forms` distinct inputs under `dir`, a hundred to a folder; half JSON, half xlsx.
fn generate(dir: &Path, forms: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let samples: Vec<serde_json::Value> = ["000", "001"]
        .iter()
        .map(|name| {
            let path = root.join(format!("samples/{name}.json"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        })
        .collect();
    let pool = common_characters();
    (0..forms).into_par_iter().for_each(|k| {
        let unit = dir.join(format!("unit-{:03}", k / 100));
        std::fs::create_dir_all(&unit).unwrap();
        let json = serde_json::to_vec(&varied_form(&samples, k, &pool)).unwrap();
        if k % 2 == 0 {
            std::fs::write(unit.join(format!("form-{k:05}.json")), json).unwrap();
        } else {
            let mut checked =
                pipeline::load_bytes(Path::new("form.json"), &json, None).expect("varied form");
            let checked = checked.remove(0);
            let grid =
                layout::build(&checked.report, &checked.layout, &Options::default()).expect("grid");
            let xlsx = jixiao::render::xlsx::write(&grid).expect("xlsx");
            std::fs::write(unit.join(format!("form-{k:05}.xlsx")), xlsx).unwrap();
        }
    });
}

/// The stages timed by the second pass, in the order they run.
const STAGES: [&str; 8] = [
    "read", "check", "layout", "xlsx", "pdf", "hashing", "writes", "summary",
];

/// Runs every step of the bulk run on `inputs` one by one, on the current thread pool, and
/// returns the CPU time each stage took, summed over the threads, and the resident memory
/// before the summary is written and at its peak while it is, in MB.
fn stages(inputs: &[PathBuf], out: &Path, options: &Options) -> ([Duration; 8], (f64, f64)) {
    let rows = Mutex::new(Vec::new());
    let mut total = inputs
        .par_iter()
        .enumerate()
        .map(|(index, path)| {
            let mut t = [Duration::ZERO; 8];
            let mut clock = Instant::now();
            let mut lap = |stage: usize, t: &mut [Duration; 8]| {
                let now = Instant::now();
                t[stage] += now - clock;
                clock = now;
            };
            let bytes = std::fs::read(path).unwrap();
            let sourced = jixiao::read::load_bytes(path, &bytes).unwrap();
            lap(0, &mut t);
            let input_digest = Sha256::digest(&bytes);
            lap(5, &mut t);
            let checked: Vec<_> = sourced
                .into_iter()
                .map(|f| pipeline::check(f, None))
                .collect();
            lap(1, &mut t);
            let mut mine = Vec::new();
            for c in &checked {
                let grid = layout::build(&c.report, &c.layout, options).unwrap();
                lap(2, &mut t);
                let xlsx = jixiao::render::xlsx::write(&grid).unwrap();
                lap(3, &mut t);
                let pdf = jixiao::render::pdf::write_stamped(&grid, Stamp::default()).unwrap();
                lap(4, &mut t);
                let digests = (Sha256::digest(&xlsx), Sha256::digest(&pdf));
                std::hint::black_box((input_digest, digests));
                lap(5, &mut t);
                let base = out.join(format!("form-{index:05}"));
                jixiao::batch::write_atomic(&base.with_extension("xlsx"), &xlsx).unwrap();
                jixiao::batch::write_atomic(&base.with_extension("pdf"), &pdf).unwrap();
                lap(6, &mut t);
                mine.push(SummaryRow::new(path.display().to_string(), &c.report));
            }
            rows.lock().unwrap().extend(mine);
            t
        })
        .reduce(
            || [Duration::ZERO; 8],
            |mut a, b| {
                for (a, b) in a.iter_mut().zip(b) {
                    *a += b;
                }
                a
            },
        );
    let rows = rows.into_inner().unwrap();
    reset_peak();
    let resident = status_mb("VmRSS:").unwrap_or(f64::NAN);
    let start = Instant::now();
    let created = options.created.clone().unwrap_or_default();
    let summary = jixiao::render::xlsx::write(&layout::summary_grid(
        &rows,
        &jixiao::summary::Grouping::of(&rows),
        &[],
        &created,
    ))
    .unwrap();
    jixiao::batch::write_atomic(&out.join("汇总表.xlsx"), &summary).unwrap();
    total[7] = start.elapsed();
    (total, (resident, peak_mb().unwrap_or(f64::NAN)))
}

/// Mean size in KB of the outputs whose path ends with `ext`.
fn mean_kb(outputs: &[FileEntry], ext: &str) -> f64 {
    let sizes: Vec<u64> = outputs
        .iter()
        .filter(|o| o.path.ends_with(ext))
        .map(|o| o.size)
        .collect();
    sizes.iter().sum::<u64>() as f64 / sizes.len().max(1) as f64 / 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let forms = env_number("JIXIAO_BENCH_FORMS", 1000);
    let threads = env_number("JIXIAO_BENCH_THREADS", 0);
    let stage_pass = std::env::var("JIXIAO_BENCH_STAGES").map_or(true, |v| v != "0");
    let temporary = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("JIXIAO_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| temporary.path().to_path_buf());
    let inputs = dir.join(format!("in-{forms}"));
    if !inputs.join(".complete").is_file() {
        let _ = std::fs::remove_dir_all(&inputs);
        let start = Instant::now();
        generate(&inputs, forms);
        std::fs::write(inputs.join(".complete"), b"").unwrap();
        eprintln!(
            "generated {forms} forms in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    let out = dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let options = Options {
        created: Some("2025-03-01T09:00:00+08:00".to_string()),
        ..Options::default()
    };
    let job = Job {
        inputs: vec![inputs.clone()],
        out: out.clone(),
        layout: None,
        layout_source: false,
        options: options.clone(),
        formats: Formats::default(),
        threads,
        signer: None,
        seal: None,
    };
    let before = peak_mb().unwrap_or(f64::NAN);
    reset_peak();
    let start = Instant::now();
    let outcome = jixiao::batch::run(&job, &|_| {}).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let peak = peak_mb().unwrap_or(f64::NAN);
    assert_eq!(outcome.rows.len(), forms);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let used = if threads == 0 {
        rayon::current_num_threads()
    } else {
        threads
    };
    println!(
        "batch: {forms} forms (xlsx + pdf each) in {seconds:.2} s = {:.0} forms/s on {used} threads; \
         peak memory {peak:.0} MB (before the run {before:.0} MB); \
         mean PDF {:.1} KB, mean xlsx {:.1} KB",
        forms as f64 / seconds,
        mean_kb(&outcome.outputs, ".pdf"),
        mean_kb(&outcome.outputs, ".xlsx"),
    );
    drop(outcome);
    if !stage_pass {
        return;
    }
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let mut paths: Vec<PathBuf> = jixiao::read::expand(&[&inputs], None)
        .into_iter()
        .map(|f| f.unwrap().path)
        .collect();
    paths.sort();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let start = Instant::now();
    let (times, (resident, summary_peak)) = pool.install(|| stages(&paths, &out, &options));
    let wall = start.elapsed().as_secs_f64();
    let cpu: f64 = times.iter().map(Duration::as_secs_f64).sum();
    println!(
        "stages ({forms} forms, {used} threads, {wall:.2} s wall, {:.0} forms/s): CPU ms per form",
        forms as f64 / wall
    );
    for (name, time) in STAGES.iter().zip(times) {
        let ms = time.as_secs_f64() * 1000.0 / forms as f64;
        println!(
            "  {name:<8} {ms:>7.3} ms  {:>5.1} %",
            100.0 * time.as_secs_f64() / cpu
        );
    }
    println!("  {:<8} {:>7.3} ms", "total", cpu * 1000.0 / forms as f64);
    println!(
        "summary of {forms} rows: resident {resident:.0} MB before it, {summary_peak:.0} MB at its peak"
    );
}
