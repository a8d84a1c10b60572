//! `jixiao serve` over HTTP, as the page and as a hostile client talk to it: the page and its
//! assets, a form checked as `check` checks it, downloads as `render` writes them, the limits
//! (body, file count, zip bombs, `../` entries), the hostile corpus, foreign hosts and
//! origins, and many uploads at once — the server answering each and serving on.

mod common;

use std::collections::BTreeSet;
use std::io::{Cursor, Read as _, Write as _};
use std::path::Path;

use common::serve::{Part, Server, multipart, request};
use common::{jixiao, repo};

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `text` percent-encoded for a query.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A zip of `entries`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The entries of the zip in `bytes`, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// The server answers the page: it is still serving.
fn still_serving(server: &Server) {
    let page = server.get("/");
    assert_eq!(page.status, 200, "{}", page.text());
}

#[test]
fn the_page_and_its_assets_are_built_in() {
    let server = Server::start(&[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let html = page.text();
    assert!(
        html.contains("<input type=\"file\" id=\"files\" multiple"),
        "{html}"
    );
    assert!(html.contains("不上传到任何地方"));
    assert!(!html.contains("{{"), "a placeholder left: {html}");
    for layout in jixiao::Layout::builtin() {
        assert!(html.contains(&format!("<option value=\"{}\">", layout.name)));
    }
    assert!(
        html.contains("<option value=\"source\">与原表相同"),
        "{html}"
    );
    // Nothing from elsewhere: every script, sheet and font is this server's.
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    let js = server.get("/app.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(
        !js.text().contains("http"),
        "the script reaches nothing outside"
    );
    let css = server.get("/app.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let font = server.get("/fonts/regular.otf");
    assert_eq!(font.status, 200);
    assert_eq!(font.body, jixiao::fonts::REGULAR);
    assert_eq!(
        server.get("/fonts/bold.otf").body.len(),
        jixiao::fonts::BOLD.len()
    );
    let missing = server.get("/nothing");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error(), "没有这个页面");
}

#[test]
fn a_form_is_checked_as_check_does() {
    let server = Server::start(&[]);
    let answer = server.check(&[("000.xlsx", &read("samples/000.xlsx"))], "");
    assert_eq!(answer.status, 200, "{}", answer.text());
    let view = answer.json();
    let form = &view["forms"][0];
    assert_eq!(form["scores"]["total"], "96.00");
    assert_eq!(form["scores"]["grade"], "优");
    assert_eq!(form["scores"]["reviewed_total"], "89.00");
    assert_eq!(form["scores"]["reviewed_grade"], "良");
    assert_eq!(form["scores"]["execution_rate"], "100.00");
    assert_eq!(form["row"]["source"], "000.xlsx");
    assert_eq!(form["layout"], "beijing-2024");
    assert_eq!(view["failures"].as_array().unwrap().len(), 0);
    assert_eq!(
        view["roles"],
        serde_json::json!(["填表人", "审核人", "单位负责人"])
    );

    // The same review and findings as `jixiao check --json`.
    let dir = common::workdir(&["samples/000.xlsx"]);
    let check = jixiao(dir.path(), &["check", "--json", "000.xlsx"]).json();
    let report = &check[0];
    assert_eq!(form["scores"]["total"], report["review"]["total"]);
    let findings = report["findings"].as_array().unwrap();
    let count = |severity: &str| {
        findings
            .iter()
            .filter(|f| f["severity"] == severity)
            .count()
    };
    assert_eq!(form["row"]["errors"], count("error"));
    assert_eq!(form["row"]["warnings"], count("warning"));
    let html = form["html"].as_str().unwrap();
    for f in findings {
        let message = jixiao::render::html::escape(f["message"].as_str().unwrap());
        assert!(html.contains(&message), "{message} is not on the page");
    }
    for (k, (ind, assessed)) in report["form"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .zip(report["review"]["indicators"].as_array().unwrap())
        .enumerate()
    {
        let shown = &form["indicators"][k];
        assert_eq!(shown["name"], ind["name"]);
        assert_eq!(shown["computed"], assessed["computed"]);
    }
    let complaints = form["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "投诉降低率")
        .unwrap();
    assert_eq!(complaints["declared"], "7.00");
    assert_eq!(complaints["computed"], "0.00");
    assert_eq!(complaints["method"], "正向指标");
    // 投诉降低率's 得分 cell carries the error.
    assert!(html.contains("jx-note jx-error"), "{html}");

    // Another layout, when chosen.
    let answer = server.check(&[("000.json", &read("samples/000.json"))], "mof-2020");
    assert_eq!(answer.json()["forms"][0]["layout"], "mof-2020");
    // 与原表相同: a workbook in a layout of its own, derived from it; a data file in the
    // default one.
    let variant = read("tests/fixtures/variants/yunnan-split.xlsx");
    let answer = server.check(
        &[
            ("yunnan-split.xlsx", &variant),
            ("000.json", &read("samples/000.json")),
        ],
        "source",
    );
    let forms = answer.json()["forms"].clone();
    let layout_of = |file: &str| {
        forms
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["row"]["source"].as_str().unwrap().ends_with(file))
            .map(|f| f["layout"].clone())
            .unwrap()
    };
    assert_eq!(layout_of("yunnan-split.xlsx"), "yunnan-split");
    assert_eq!(layout_of("000.json"), "beijing-2024");
}

#[test]
fn downloads_are_what_render_writes_with_the_names_typed_in() {
    let server = Server::start(&[]);
    let view = server
        .check(&[("000.json", &read("samples/000.json"))], "")
        .json();
    let batch = view["batch"].as_str().unwrap();
    let query = format!(
        "?{}={}&{}={}&date=2025-03-01",
        encode("填表人"),
        encode("张三"),
        encode("审核人"),
        encode("李四")
    );
    let dir = tempfile::tempdir().unwrap();

    let xlsx = server.get(&format!("/api/batch/{batch}/0.xlsx{query}"));
    assert_eq!(xlsx.status, 200, "{}", xlsx.text());
    assert_eq!(
        xlsx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(
        xlsx.header("content-disposition"),
        Some("attachment; filename=\"000.xlsx\"; filename*=UTF-8''000.xlsx")
    );
    std::fs::write(dir.path().join("000.xlsx"), &xlsx.body).unwrap();
    std::fs::copy(repo("samples/000.json"), dir.path().join("000.json")).unwrap();
    // Reads back to the same form and review as the file dropped.
    let back = jixiao(dir.path(), &["check", "--json", "000.xlsx"]).json();
    let original = jixiao(dir.path(), &["check", "--json", "000.json"]).json();
    assert_eq!(back[0]["form"], original[0]["form"]);
    assert_eq!(back[0]["review"], original[0]["review"]);
    // `render` with the same sign-off writes the same workbook, byte for byte.
    let run = jixiao(
        dir.path(),
        &[
            "render",
            "000.json",
            "-o",
            "out",
            "--format",
            "xlsx",
            "--signoff",
            "填表人=张三",
            "--signoff",
            "审核人=李四",
            "--date",
            "2025-03-01",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read(dir.path().join("out/000.xlsx")).unwrap() == xlsx.body);

    let pdf = server.get(&format!("/api/batch/{batch}/0.pdf{query}"));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));
    if common::have_tool("pdftotext") && common::have_tool("pdfinfo") {
        let path = dir.path().join("000.pdf");
        std::fs::write(&path, &pdf.body).unwrap();
        let path = path.to_string_lossy();
        let text: String = common::run_tool("pdftotext", &["-raw", &path, "-"])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for expected in [
            "填表人：张三",
            "审核人：李四",
            "填报日期：2025-03-01",
            "投诉降低率",
        ] {
            assert!(text.contains(expected), "no {expected} in the PDF");
        }
        let info = common::run_tool("pdfinfo", &["-isodates", &path]);
        assert!(info.contains("2025-03-01T00:00:00+08"), "{info}");
    }

    // Clear answers for what cannot be given.
    let bad = server.get(&format!("/api/batch/{batch}/0.pdf?date={}", encode("明天")));
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.error(),
        "无法识别的日期“明天”（应为 2025-03-01 或 2025年3月1日 的形式）"
    );
    let gone = server.get("/api/batch/00000000000000000000000000000000/0.pdf");
    assert_eq!(gone.status, 404);
    assert!(gone.error().contains("请重新拖入文件"), "{}", gone.error());
    assert_eq!(server.get(&format!("/api/batch/{batch}/7.pdf")).status, 404);
    assert_eq!(
        server.get(&format!("/api/batch/{batch}/0.docx")).status,
        404
    );
    assert_eq!(
        server.get(&format!("/api/batch/{batch}/../0.pdf")).status,
        404
    );
    let long = "长".repeat(101);
    let long = server.get(&format!(
        "/api/batch/{batch}/0.pdf?{}={}",
        encode("填表人"),
        encode(&long)
    ));
    assert_eq!(long.status, 400);
}

#[test]
fn a_batch_is_one_zip_of_what_render_writes() {
    let files = [
        "samples/000.json",
        "samples/001.json",
        "samples/000.xlsx",
        "samples/001.xlsx",
        "tests/fixtures/read/multi.xlsx",
        "tests/fixtures/bad/corrupt.xlsx",
    ];
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| {
            (
                Path::new(f)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                read(f),
            )
        })
        .collect();
    let uploads: Vec<(&str, &[u8])> = bytes
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let server = Server::start(&[]);
    let view = server.check(&uploads, "").json();
    assert_eq!(view["forms"].as_array().unwrap().len(), 6);
    let failures = view["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["source"], "corrupt.xlsx");
    // The reason is the one `check` gives.
    let dir = common::workdir(&files);
    let cli = jixiao(dir.path(), &["check", "corrupt.xlsx"]);
    assert_eq!(
        format!("jixiao: {}", failures[0]["reason"].as_str().unwrap()),
        cli.stderr.lines().next().unwrap()
    );
    let batch = view["batch"].as_str().unwrap();
    let zip = server.get(&format!("/api/batch/{batch}/all.zip?date=2025-03-01"));
    assert_eq!(zip.status, 200, "{}", zip.text());
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let entries = unzip(&zip.body);
    let names: BTreeSet<String> = entries.iter().map(|(n, _)| n.clone()).collect();

    // `render` of the same files writes the same names.
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for (name, data) in &bytes {
        std::fs::write(dir.path().join("in").join(name), data).unwrap();
    }
    let run = jixiao(
        dir.path(),
        &["render", "in", "-o", "out", "--date", "2025-03-01"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let written: BTreeSet<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, written);
    assert!(names.contains("汇总表.xlsx") && names.contains("manifest.json"));
    let manifest: serde_json::Value = serde_json::from_slice(
        &entries
            .iter()
            .find(|(n, _)| n == "manifest.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(manifest["failures"][0]["source"], "corrupt.xlsx");
    for entry in manifest["outputs"].as_array().unwrap() {
        let (_, data) = entries.iter().find(|(n, _)| *n == entry["path"]).unwrap();
        assert_eq!(entry["size"], data.len());
    }
    // The workbooks are those `render` wrote, byte for byte.
    for (name, data) in &entries {
        if name.ends_with(".xlsx") && name != "汇总表.xlsx" {
            assert!(
                std::fs::read(dir.path().join("out").join(name)).unwrap() == *data,
                "{name}"
            );
        }
    }
}

#[test]
fn a_body_past_the_limit_is_refused_and_the_server_serves_on() {
    let mut server = Server::start(&[]);
    let limit = jixiao::serve::MAX_BODY;
    // Said in advance: refused before a byte of it is read.
    let (content_type, _) = multipart(&[]);
    let answer = request(
        &server.addr,
        "POST",
        "/api/check",
        &[
            ("Content-Type", &content_type),
            ("Content-Length", &(limit + 1).to_string()),
        ],
        &[],
    );
    assert_eq!(answer.status, 413, "{}", answer.text());
    assert_eq!(
        answer.error(),
        "上传的文件合计超过 100 MB：请分批拖入（每次不超过 100 MB、2000 个文件）"
    );
    // Not said: found out while reading.
    let big = vec![b'x'; limit + 1024];
    let (content_type, body) = multipart(&[Part {
        field: "files",
        file: Some("big.json"),
        bytes: &big,
    }]);
    let answer = request(
        &server.addr,
        "POST",
        "/api/check",
        &[
            ("Content-Type", &content_type),
            ("Transfer-Encoding", "chunked"),
        ],
        &chunked(&body),
    );
    assert_eq!(answer.status, 413, "{}", answer.text());
    assert!(
        answer.error().starts_with("上传的文件合计超过 100 MB"),
        "{}",
        answer.error()
    );
    assert!(server.alive());
    still_serving(&server);
}

/// `body` in one chunk of the chunked transfer coding.
fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out.extend_from_slice(b"\r\n0\r\n\r\n");
    out
}

#[test]
fn more_files_than_the_limit_are_refused_with_a_clear_message() {
    let server = Server::start(&[]);
    let limit = jixiao::serve::work::MAX_FILES;
    let names: Vec<String> = (0..=limit).map(|i| format!("{i}.json")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"{}"[..])).collect();
    let answer = server.check(&files, "");
    assert_eq!(answer.status, 413);
    assert_eq!(
        answer.error(),
        "一次最多检查 2000 个文件（含压缩包中的文件）：请分批拖入"
    );
    // Counting the files inside a zip too.
    let inner: Vec<(&str, &[u8])> = names[..limit]
        .iter()
        .map(|n| (n.as_str(), &b"{}"[..]))
        .collect();
    let zip = zip_of(&inner);
    let answer = server.check(&[("a.zip", &zip), ("b.json", b"{}")], "");
    assert_eq!(answer.status, 413, "{}", answer.text());
    // At the limit, every one is answered.
    let answer = server.check(&[("a.zip", &zip)], "");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["failures"].as_array().unwrap().len(), limit);
}

#[test]
fn a_zip_of_a_folder_is_read_and_its_bad_entries_refused() {
    let server = Server::start(&[]);
    let zip = zip_of(&[
        ("部门/000.json", &read("samples/000.json")),
        ("部门/子单位/001.xlsx", &read("samples/001.xlsx")),
        ("../../etc/evil.json", &read("samples/000.json")),
        ("/abs/evil.json", &read("samples/000.json")),
        ("部门/inner.zip", &zip_of(&[("x.json", b"{}")])),
        ("部门/说明.docx", b"not a form"),
        ("部门/.DS_Store", b"x"),
        (
            "部门/many-indicators.json",
            &read("tests/hostile/many-indicators.json"),
        ),
    ]);
    let view = server.check(&[("部门.zip", &zip)], "").json();
    let sources: Vec<&str> = view["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["row"]["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["部门/000.json", "部门/子单位/001.xlsx"]);
    let reasons: Vec<&str> = view["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "部门.zip/../../etc/evil.json：条目路径指向压缩包之外（含 ../ 或绝对路径），已拒绝",
            "部门.zip//abs/evil.json：条目路径指向压缩包之外（含 ../ 或绝对路径），已拒绝",
            "部门.zip/部门/inner.zip：压缩包中的压缩包不展开：请先解压它，或单独拖入",
            "部门.zip/部门/many-indicators.json：绩效指标有 2000 行，超过上限 1000 行，不是自评表",
        ]
    );
    // The batch's outputs keep the folder tree, inside the zip and nowhere else.
    let batch = view["batch"].as_str().unwrap();
    let entries = unzip(&server.get(&format!("/api/batch/{batch}/all.zip")).body);
    let names: BTreeSet<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains("部门/000.pdf") && names.contains("部门/子单位/001.xlsx"),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .all(|n| !n.contains("..") && !n.starts_with('/')),
        "{names:?}"
    );
}

/// A zip of one entry `name` holding `size` zero bytes, deflated (about a thousandth of it).
fn bomb(name: &str, size: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().large_file(size as u64 >= u32::MAX as u64);
    w.start_file(name, options).unwrap();
    let block = vec![0u8; 1 << 20];
    for _ in 0..size / block.len() {
        w.write_all(&block).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// `zip` with the declared uncompressed size of its one entry set to `size`, in the local
/// header and the central directory: a header that lies.
fn lying(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let central = zip
        .windows(4)
        .rposition(|w| w == b"PK\x01\x02")
        .expect("a central directory");
    zip[22..26].copy_from_slice(&size.to_le_bytes());
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    zip
}

#[test]
fn zip_bombs_get_their_reason_and_the_server_serves_on() {
    let mut server = Server::start(&[]);
    let gigabyte = bomb("部门/bomb.xlsx", 1 << 30);
    assert!(gigabyte.len() < 2 << 20, "{} bytes", gigabyte.len());
    let liar = lying(gigabyte.clone(), 4096);
    let json_bomb = bomb("bomb.json", 64 << 20);
    let started = std::time::Instant::now();
    let view = server
        .check(
            &[
                ("gigabyte.zip", &gigabyte),
                ("liar.zip", &liar),
                ("json.zip", &json_bomb),
                ("000.json", &read("samples/000.json")),
            ],
            "",
        )
        .json();
    let reasons: Vec<&str> = view["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(
        reasons[0],
        "gigabyte.zip/部门/bomb.xlsx：解压后超过 200 MB，不是自评表"
    );
    // A header that lies is found out by what comes out of it (or the zip reader refuses it).
    assert!(
        reasons[1].starts_with("liar.zip/部门/bomb.xlsx："),
        "{}",
        reasons[1]
    );
    assert_eq!(
        reasons[2],
        "json.zip/bomb.json：解压后超过 10 MB，不是自评表"
    );
    assert_eq!(view["forms"].as_array().unwrap().len(), 1);
    eprintln!(
        "three bombs answered in {:?}: {reasons:?}",
        started.elapsed()
    );
    // A workbook that is itself a bomb (the hostile corpus) is refused by the workbook reader.
    let view = server
        .check(
            &[("zip-bomb.xlsx", &read("tests/hostile/zip-bomb.xlsx"))],
            "",
        )
        .json();
    assert!(
        view["failures"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("解压后超过 200 MB"),
        "{view}"
    );
    assert!(server.alive());
    still_serving(&server);
}

#[test]
fn every_hostile_file_gets_the_answer_check_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(dir.path(), &[]);
    let mut files: Vec<String> = std::fs::read_dir(repo("tests/hostile"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".py"))
        .collect();
    files.sort();
    let contents: Vec<Vec<u8>> = files
        .iter()
        .map(|f| read(&format!("tests/hostile/{f}")))
        .collect();
    // Names no browser sends, kept as labels only.
    let evil_names = [
        "../../../../tmp/jixiao-escape.json",
        "C:\\Windows\\evil.json",
        "<img src=x onerror=alert(1)>.json",
        "\u{202e}nosj.exe.json",
    ];
    let sample = read("samples/000.json");
    let mut uploads: Vec<(&str, &[u8])> = files
        .iter()
        .zip(&contents)
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    uploads.extend(evil_names.iter().map(|n| (*n, sample.as_slice())));
    let answer = server.check(&uploads, "");
    assert_eq!(answer.status, 200, "{}", answer.text());
    let view = answer.json();
    let failures = view["failures"].as_array().unwrap();
    let forms = view["forms"].as_array().unwrap();

    let work = common::workdir(&[]);
    for (name, bytes) in files.iter().zip(&contents) {
        std::fs::write(work.path().join(name), bytes).unwrap();
        let cli = jixiao(work.path(), &["check", "--json", name]);
        if cli.code == 2 {
            let line = cli
                .stderr
                .lines()
                .find(|l| l.starts_with("jixiao: "))
                .unwrap();
            let failure = failures
                .iter()
                .find(|f| f["source"] == name.as_str())
                .unwrap_or_else(|| panic!("{name}: not listed as a failure"));
            assert_eq!(
                format!("jixiao: {}", failure["reason"].as_str().unwrap()),
                line,
                "{name}"
            );
        } else {
            let report = &cli.json()[0];
            let form = forms
                .iter()
                .find(|f| f["row"]["source"] == name.as_str())
                .unwrap_or_else(|| panic!("{name}: not shown as a form"));
            assert_eq!(form["scores"]["total"], report["review"]["total"], "{name}");
            // (`check --json` goes through anstream, which drops a raw DEL from its output.)
            let project = form["row"]["project"]
                .as_str()
                .unwrap()
                .replace('\u{7f}', "");
            assert_eq!(
                project,
                report["form"]["project"].as_str().unwrap(),
                "{name}"
            );
        }
    }
    let shown: Vec<&str> = forms
        .iter()
        .map(|f| f["row"]["source"].as_str().unwrap())
        .collect();
    for expected in [
        "jixiao-escape.json",
        "evil.json",
        "<img src=x onerror=alert(1)>.json",
        "\\u{202e}nosj.exe.json",
    ] {
        assert!(shown.contains(&expected), "{expected} in {shown:?}");
    }
    // A table drawn from a hostile form holds no markup of its own.
    for form in forms {
        let html = form["html"].as_str().unwrap();
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
    }
    // Nothing was written anywhere: not where it runs, not where a name pointed.
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    assert!(!Path::new("/tmp/jixiao-escape.json").exists());
    assert!(server.alive());
    still_serving(&server);
}

#[test]
fn bad_requests_get_a_clear_answer() {
    let server = Server::start(&[]);
    let answer = request(
        &server.addr,
        "POST",
        "/api/check",
        &[("Content-Type", "text/plain")],
        b"x",
    );
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error(), "请以 multipart/form-data 上传文件");
    let answer = server.check(&[], "");
    assert_eq!(answer.status, 400);
    assert!(
        answer.error().starts_with("没有收到文件"),
        "{}",
        answer.error()
    );
    let answer = server.check(&[("000.json", &read("samples/000.json"))], "no-such-layout");
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error(), "没有名为“no-such-layout”的内置表样");
    // A body cut off before its closing boundary.
    let (content_type, body) = multipart(&[Part {
        field: "files",
        file: Some("a.json"),
        bytes: b"{}",
    }]);
    let cut = &body[..body.len() - 30];
    let answer = request(
        &server.addr,
        "POST",
        "/api/check",
        &[("Content-Type", &content_type)],
        cut,
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(
        answer.error(),
        "上传的数据格式有误（不完整，或文件名含控制字符）：请检查后重试"
    );
    // A control character in a file name (possible on Linux; browsers send it as it is).
    let (content_type, body) = multipart(&[Part {
        field: "files",
        file: Some("\u{1b}[31mred.json"),
        bytes: b"{}",
    }]);
    let answer = request(
        &server.addr,
        "POST",
        "/api/check",
        &[("Content-Type", &content_type)],
        &body,
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(
        answer.error(),
        "上传的数据格式有误（不完整，或文件名含控制字符）：请检查后重试"
    );
    still_serving(&server);
}

#[test]
fn only_this_machine_and_its_own_page_are_answered() {
    let server = Server::start(&[]);
    // A site whose name resolves here (DNS rebinding) does not get the page.
    let port = server.addr.rsplit(':').next().unwrap();
    let evil = format!("evil.example:{port}");
    let answer = request(&server.addr, "GET", "/", &[("Host", &evil)], &[]);
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.error(),
        "只接受本机的访问：请打开 jixiao serve 显示的地址"
    );
    let local = format!("localhost:{port}");
    assert_eq!(
        request(&server.addr, "GET", "/", &[("Host", &local)], &[]).status,
        200
    );
    // Another page posting to this one is refused; the page's own posts are taken.
    let (content_type, body) = multipart(&[Part {
        field: "files",
        file: Some("000.json"),
        bytes: &read("samples/000.json"),
    }]);
    let foreign = request(
        &server.addr,
        "POST",
        "/api/check",
        &[
            ("Content-Type", &content_type),
            ("Origin", "http://evil.example"),
        ],
        &body,
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(foreign.error(), "只接受本页面发出的请求");
    let own = format!("http://{}", server.addr);
    let answer = request(
        &server.addr,
        "POST",
        "/api/check",
        &[("Content-Type", &content_type), ("Origin", &own)],
        &body,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
}

#[test]
fn listening_elsewhere_is_said_with_a_warning() {
    let server = Server::start(&["--bind", "0.0.0.0"]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    // Other machines call it by their own name for it.
    let port = server.addr.rsplit(':').next().unwrap();
    let host = format!("192.0.2.7:{port}");
    assert_eq!(
        request(&server.addr, "GET", "/", &[("Host", &host)], &[]).status,
        200
    );
    let stderr = server.stop();
    assert!(stderr.contains("警告：正在 0.0.0.0:"), "{stderr}");
}

#[test]
fn many_uploads_at_once_each_get_their_own_answer() {
    let server = Server::start(&[]);
    let base: serde_json::Value = serde_json::from_slice(&read("samples/001.json")).unwrap();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|k| {
                let (server, base) = (&server, &base);
                scope.spawn(move || {
                    let mut form = base.clone();
                    let project = format!("第{k}号并发项目");
                    form["project"] = project.clone().into();
                    let name = format!("unit-{k}.json");
                    let bytes = serde_json::to_vec(&form).unwrap();
                    let answer = server.check(&[(&name, &bytes)], "");
                    assert_eq!(answer.status, 200, "{}", answer.text());
                    let view = answer.json();
                    let shown = &view["forms"][0];
                    assert_eq!(shown["row"]["project"], project.as_str());
                    assert_eq!(shown["row"]["source"], name.as_str());
                    assert_eq!(shown["name"], format!("unit-{k}"));
                    let batch = view["batch"].as_str().unwrap();
                    let xlsx = server.get(&format!("/api/batch/{batch}/0.xlsx"));
                    assert_eq!(xlsx.status, 200);
                    let strings = unzip(&xlsx.body)
                        .into_iter()
                        .find(|(n, _)| n == "xl/sharedStrings.xml")
                        .map(|(_, d)| String::from_utf8(d).unwrap())
                        .unwrap();
                    assert!(strings.contains(&project), "{k}: another form's workbook");
                    for other in (0..12).filter(|o| *o != k) {
                        assert!(!strings.contains(&format!("第{other}号并发项目")));
                    }
                    batch.to_string()
                })
            })
            .collect();
        let batches: BTreeSet<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(batches.len(), 12);
    });
}
