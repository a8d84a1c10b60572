//! What signing adds to a PDF (`cargo bench --bench sign`): sample 001 written plain, with
//! the seal, and sealed and signed with ECDSA P-256 and with RSA-2048; and the signature alone
//! (one CMS `SignedData` over a digest). The certificates are made with the `openssl` command
//! line, as in the tests.
//!
//! Times are the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), not the wall clock:
//! on a machine shared with other builds the wall clock measures the neighbours as much as the
//! code (writing a PDF uses one thread).

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao::layout::{self, Grid, Options, Signature};
use jixiao::render::pdf::{Stamp, write, write_stamped};
use jixiao::sign::{Seal, Signer};
use jixiao::{Layout, Report, SourcedForm};

fn grid(signer: Option<&Signer>) -> Grid {
    let form = jixiao::read::form_from_json(include_str!("../samples/001.json")).unwrap();
    let report = Report::new(SourcedForm::from_data("bench", form), None);
    let options = Options {
        created: Some("2025-03-01T00:00:00+08:00".into()),
        signature: signer.map(|s| Signature {
            signer: s.name().to_string(),
            unit: s.unit().map(str::to_string),
            time: "2025-03-01T10:30:00+08:00".into(),
        }),
        ..Options::default()
    };
    layout::build(&report, Layout::for_year(report.form.year), &options).unwrap()
}

/// The CPU time this thread has used.
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given and nothing else.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Benchmarks `f` by the CPU time it takes.
fn bench<T>(c: &mut Criterion, name: &str, mut f: impl FnMut() -> T) {
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let start = cpu_time();
            for _ in 0..iters {
                black_box(f());
            }
            cpu_time() - start
        })
    });
}

fn sign(c: &mut Criterion) {
    let pki = common::pki::pki();
    let seal_bytes = include_bytes!("../tests/fixtures/seal.png");
    let seal = Seal::from_png("seal.png".as_ref(), seal_bytes).unwrap();
    let plain = grid(None);
    bench(c, "pdf 001 plain", || write(black_box(&plain)).unwrap());
    let sealed = Stamp {
        seal: Some(&seal),
        signer: None,
    };
    bench(c, "pdf 001 sealed", || {
        write_stamped(black_box(&plain), sealed).unwrap()
    });
    for (name, p12) in [("ECDSA P-256", &pki.ec), ("RSA-2048", &pki.rsa)] {
        let signer = common::pki::load(p12);
        let signed_grid = grid(Some(&signer));
        let stamp = Stamp {
            seal: Some(&seal),
            signer: Some(&signer),
        };
        let bytes = write_stamped(&signed_grid, stamp).unwrap();
        eprintln!(
            "{name}: signed and sealed PDF of 001: {} bytes",
            bytes.len()
        );
        bench(c, &format!("pdf 001 sealed and signed, {name}"), || {
            write_stamped(black_box(&signed_grid), stamp).unwrap()
        });
        bench(c, &format!("CMS signature alone, {name}"), || {
            signer.sign_digest(black_box(&[7; 32])).unwrap()
        });
    }
    bench(c, "Seal::from_png (once per run)", || {
        Seal::from_png("seal.png".as_ref(), black_box(seal_bytes)).unwrap()
    });
    let p12 = std::fs::read(&pki.ec).unwrap();
    bench(c, "Signer::from_pkcs12 ECDSA (once per run)", || {
        Signer::from_pkcs12(
            pki.ec.as_ref(),
            black_box(&p12),
            common::pki::PASSWORD,
            std::time::SystemTime::now(),
        )
        .unwrap()
    });
}

criterion_group!(benches, sign);
criterion_main!(benches);
