//! How long `jixiao serve` takes to answer one form (`cargo bench --bench serve`): a real
//! HTTP round trip on loopback to the server running in this process — the upload read,
//! checked, drawn as a table and answered as JSON — and each download made from it.

use std::hint::black_box;
use std::net::TcpListener;

use criterion::{Criterion, criterion_group, criterion_main};

#[allow(dead_code)]
#[path = "../tests/common/serve.rs"]
mod client;

use client::{Part, multipart, request};

/// Starts the server on a port of its own, in a thread of this process; its address.
fn start() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = listener.local_addr().unwrap();
    let config = jixiao::serve::Config { addr };
    std::thread::spawn(move || jixiao::serve::run(listener, config));
    addr.to_string()
}

fn check(addr: &str, name: &str, bytes: &[u8]) -> serde_json::Value {
    let (content_type, body) = multipart(&[Part {
        field: "files",
        file: Some(name),
        bytes,
    }]);
    let answer = request(
        addr,
        "POST",
        "/api/check",
        &[("Content-Type", &content_type)],
        &body,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()
}

fn serve(c: &mut Criterion) {
    let addr = start();
    let xlsx = std::fs::read("samples/000.xlsx").expect("samples/000.xlsx");
    let json = std::fs::read("samples/001.json").expect("samples/001.json");
    let view = check(&addr, "000.xlsx", &xlsx);
    assert_eq!(view["forms"][0]["scores"]["reviewed_total"], "89.00");
    let batch = view["batch"].as_str().unwrap().to_string();

    let download = |ext: &str| {
        let path = format!("/api/batch/{batch}/0.{ext}?date=2025-03-01");
        let addr = addr.clone();
        move || {
            let answer = request(&addr, "GET", &path, &[], &[]);
            assert_eq!(answer.status, 200);
            answer.body.len()
        }
    };
    let pdf = download("pdf");
    c.bench_function("serve: download the PDF of 000", |b| b.iter(&pdf));
    let workbook = download("xlsx");
    c.bench_function("serve: download the xlsx of 000", |b| b.iter(&workbook));
    // Each check keeps a batch, and the oldest make room: the downloads are measured first.
    c.bench_function("serve: check 000.xlsx (upload → table and scores)", |b| {
        b.iter(|| check(&addr, "000.xlsx", black_box(&xlsx)))
    });
    c.bench_function("serve: check 001.json", |b| {
        b.iter(|| check(&addr, "001.json", black_box(&json)))
    });
}

criterion_group!(benches, serve);
criterion_main!(benches);
