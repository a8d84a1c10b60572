//! Signed PDFs, the seal and the signed manifest, as readers no one here wrote see them:
//! `pdfsig` (poppler), pyHanko's validator and `openssl cms -verify`, each trusting only a test
//! CA made for the run (`common::pki`). CI installs poppler-utils, openssl and pyHanko; without
//! them these tests skip, except under `JIXIAO_REQUIRE_TOOLS=1`.

mod common;

use std::path::Path;
use std::process::Command;

use common::pki::{self, PASSWORD, SIGNER, UNIT};
use common::{jixiao_with, repo, workdir};
use jixiao::layout::{self, Options, Signature};
use jixiao::render::pdf::{Stamp, write, write_stamped};
use jixiao::sign::Seal;
use jixiao::{Layout, Report, SourcedForm};

const CREATED: &str = "2025-03-01T00:00:00+08:00";

/// Whether pyHanko can be imported (a test skips without it, except in CI).
fn have_pyhanko() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import pyhanko.sign, pyhanko_certvalidator"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("JIXIAO_REQUIRE_TOOLS").is_none(),
            "pyHanko is required (JIXIAO_REQUIRE_TOOLS is set): pip install pyhanko, see .ci/run"
        );
        eprintln!("skipped: pyHanko is not installed (pip install pyhanko)");
    }
    found
}

/// Whether every outside program these tests use is there.
fn tools() -> bool {
    ["openssl", "pdfsig", "pdftoppm", "qpdf", "python3"]
        .iter()
        .all(|t| common::have_tool(t))
        && have_pyhanko()
}

/// Runs a program, giving its exit code and its stdout and stderr together.
fn output(program: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn pdfsig(pdf: &Path) -> String {
    output("pdfsig", &[&pdf.to_string_lossy()]).1
}

/// pyHanko's verdict: its exit code (0: intact, valid, trusted, whole file) and report.
fn pyhanko(pdf: &Path, ca: &Path) -> (i32, String) {
    output(
        "python3",
        &[
            &repo("tests/support/pyhanko_validate.py").to_string_lossy(),
            &pdf.to_string_lossy(),
            &ca.to_string_lossy(),
        ],
    )
}

/// `openssl cms -verify` of a detached signature of `content`, trusting `ca`.
fn cms_verify(content: &Path, signature: &Path, ca: &Path) -> (i32, String) {
    output(
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-content",
            &content.to_string_lossy(),
            "-inform",
            "DER",
            "-in",
            &signature.to_string_lossy(),
            "-CAfile",
            &ca.to_string_lossy(),
            "-out",
            "/dev/null",
        ],
    )
}

/// Asserts that both readers accept the signature of `pdf`, made by the test signer.
fn assert_signed(pdf: &Path, ca: &Path) {
    let report = pdfsig(pdf);
    for expected in [
        "Signature Type: ETSI.CAdES.detached",
        "Signing Hash Algorithm: SHA-256",
        &format!("Signer Certificate Common Name: {SIGNER}"),
        "Total document signed",
        "Signature Validation: Signature is Valid.",
    ] {
        assert!(
            report.contains(expected),
            "{}: no “{expected}”:\n{report}",
            pdf.display()
        );
    }
    let (code, report) = pyhanko(pdf, ca);
    assert_eq!(code, 0, "{}: pyHanko:\n{report}", pdf.display());
    assert!(report.contains("coverage=ENTIRE_FILE"), "{report}");
    assert!(
        report.contains("The signature is judged VALID."),
        "{report}"
    );
}

/// Where `/ByteRange [0 a b c]` puts the hole, as pdfsig reports it: `(a, b)`.
fn hole(pdf: &Path) -> (usize, usize) {
    let report = pdfsig(pdf);
    let line = report
        .lines()
        .find(|l| l.contains("Signed Ranges:"))
        .unwrap_or_else(|| panic!("no signed ranges:\n{report}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 4, "{line}");
    assert_eq!(numbers[0], 0, "{line}");
    (numbers[1], numbers[2])
}

/// Asserts that a copy of `pdf` with one byte changed in each signed range fails both
/// readers.
fn assert_tampering_shows(pdf: &Path, ca: &Path) {
    let bytes = std::fs::read(pdf).unwrap();
    let (start, end) = hole(pdf);
    // One byte of the header comment (first range), one of the page content's compressed
    // bytes half way through it, one of the update's startxref number (last range).
    let last_digit = bytes.len()
        - 1
        - bytes
            .iter()
            .rev()
            .position(u8::is_ascii_digit)
            .expect("the startxref number");
    for at in [10, start / 2, last_digit] {
        assert!(at < start || at >= end, "{at} is inside the hole");
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let copy = pdf.with_extension(format!("changed-{at}.pdf"));
        std::fs::write(&copy, &changed).unwrap();
        let report = pdfsig(&copy);
        assert!(
            !report.contains("Signature is Valid"),
            "byte {at} changed, pdfsig still says valid:\n{report}"
        );
        let (code, report) = pyhanko(&copy, ca);
        assert_ne!(
            code, 0,
            "byte {at} changed, pyHanko still accepts:\n{report}"
        );
    }
}

#[test]
fn render_signs_every_pdf_and_the_manifest_and_readers_verify_them() {
    if !tools() {
        return;
    }
    let pki = pki::pki();
    let dir = workdir(&[
        "samples/000.json",
        "samples/001.json",
        "tests/fixtures/seal.png",
    ]);
    let p12 = |p: &Path| p.to_string_lossy().into_owned();
    let password_file = p12(&pki.password_file);
    // RSA from a legacy (3DES, SHA-1 MAC) file, its password in a file; ECDSA P-256 from an
    // AES/PBKDF2 file, its password in the environment.
    let runs = [
        (
            "rsa",
            p12(&pki.rsa),
            vec!["--sign-password-file", &password_file],
            vec![],
        ),
        (
            "ec",
            p12(&pki.ec),
            vec![],
            vec![("JIXIAO_SIGN_PASSWORD", PASSWORD)],
        ),
    ];
    for (key, p12, password_args, env) in runs {
        let out = format!("out-{key}");
        let mut args = vec![
            "render",
            "000.json",
            "001.json",
            "-o",
            &out,
            "--sign",
            &p12,
            "--seal",
            "seal.png",
            "--date",
            "2025-03-01",
        ];
        args.extend(password_args);
        let run = jixiao_with(dir.path(), &args, &env);
        // Exit code 0: every input was rendered (sample 000's error finding is in its outputs).
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
        let out = dir.path().join(&out);
        for name in ["000", "001"] {
            let pdf = out.join(format!("{name}.pdf"));
            assert_signed(&pdf, &pki.ca);
            assert_tampering_shows(&pdf, &pki.ca);
            let (code, check) = output("qpdf", &["--check", &pdf.to_string_lossy()]);
            assert_eq!(code, 0, "{check}");
            assert!(!check.to_lowercase().contains("warning"), "{check}");
        }
        // The manifest's detached signature: accepted, and refused for an edited manifest.
        let manifest = out.join("manifest.json");
        let signature = out.join("manifest.json.p7s");
        let (code, report) = cms_verify(&manifest, &signature, &pki.ca);
        assert_eq!(code, 0, "{key}: {report}");
        assert!(report.contains("Verification successful"), "{report}");
        let edited = out.join("manifest-edited.json");
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.contains("000.pdf"));
        std::fs::write(&edited, text.replacen("000.pdf", "001.pdf", 1)).unwrap();
        let (code, report) = cms_verify(&edited, &signature, &pki.ca);
        assert_ne!(code, 0, "{key}: an edited manifest verified:\n{report}");
        // Nothing half-written is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    // Rendered again unsigned into the same folder, the old signature (which would no longer
    // verify) goes with the old manifest.
    let run = jixiao_with(dir.path(), &["render", "001.json", "-o", "out-ec"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("out-ec/manifest.json").is_file());
    assert!(!dir.path().join("out-ec/manifest.json.p7s").exists());
    assert!(pdfsig(&dir.path().join("out-ec/001.pdf")).contains("does not contain any signatures"));
}

/// `jixiao render` with `args` in a folder holding the samples, the test PKI's files and a
/// few bad seals; asserts exit code 2 with one line naming `file` and saying `message`,
/// and that nothing was rendered.
fn assert_refused(args: &[&str], env: &[(&str, &str)], file: &str, message: &str) {
    let pki = pki::pki();
    let dir = workdir(&["samples/001.json", "tests/fixtures/seal.png"]);
    for entry in std::fs::read_dir(&pki.dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "p12" || e == "pem") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("password.txt"), format!("{PASSWORD}\n")).unwrap();
    std::fs::write(dir.path().join("wrong.txt"), "not the password\n").unwrap();
    std::fs::write(dir.path().join("seal.gif"), b"GIF89a\x01\x00\x01\x00").unwrap();
    let png = std::fs::read(repo("tests/fixtures/seal.png")).unwrap();
    std::fs::write(dir.path().join("cut.png"), &png[..png.len() / 2]).unwrap();
    let mut all = vec!["render", "001.json", "-o", "out"];
    all.extend(args);
    let run = jixiao_with(dir.path(), &all, env);
    let context = format!("{args:?}: {}", run.stderr);
    assert_eq!(run.code, 2, "{context}");
    let stderr = run.stderr.trim_end();
    assert_eq!(stderr.lines().count(), 1, "{context}");
    assert!(
        stderr.starts_with(&format!("jixiao: {file}：")),
        "{context}"
    );
    assert!(stderr.contains(message), "{context}");
    assert!(
        !dir.path().join("out").exists(),
        "{context}: rendered anyway"
    );
}

#[test]
fn a_bad_certificate_or_seal_is_one_line_and_exit_code_2_before_any_form_is_rendered() {
    if !common::have_tool("openssl") {
        return;
    }
    let with = |p12: &'static str| -> Vec<&'static str> {
        vec!["--sign", p12, "--sign-password-file", "password.txt"]
    };
    assert_refused(
        &["--sign", "ec.p12", "--sign-password-file", "wrong.txt"],
        &[],
        "ec.p12",
        "证书密码不对",
    );
    assert_refused(
        &["--sign", "rsa.p12"],
        &[("JIXIAO_SIGN_PASSWORD", "wrong")],
        "rsa.p12",
        "证书密码不对",
    );
    // No password at all is the empty one: wrong too.
    assert_refused(&["--sign", "ec.p12"], &[], "ec.p12", "证书密码不对");
    assert_refused(
        &with("ca.pem"),
        &[],
        "ca.pem",
        "不是 PKCS#12 证书文件（.p12/.pfx）",
    );
    assert_refused(
        &with("expired.p12"),
        &[],
        "expired.p12",
        &format!("证书“CN={SIGNER},O={UNIT},C=CN”已于 2021-01-01T08:00:00+08:00 过期"),
    );
    assert_refused(
        &with("future.p12"),
        &[],
        "future.p12",
        "尚未生效（自 2099-01-01T08:00:00+08:00 起有效）",
    );
    assert_refused(
        &with("mismatched.p12"),
        &[],
        "mismatched.p12",
        "私钥与证书不匹配",
    );
    assert_refused(
        &with("encipher.p12"),
        &[],
        "encipher.p12",
        "的密钥用途不含数字签名（digitalSignature）或不可否认（nonRepudiation），不能用于签名",
    );
    assert_refused(&with("missing.p12"), &[], "missing.p12", "无法读取");
    assert_refused(
        &["--sign", "ec.p12", "--sign-password-file", "missing.txt"],
        &[],
        "missing.txt",
        "无法读取",
    );
    assert_refused(&["--seal", "missing.png"], &[], "missing.png", "无法读取");
    assert_refused(
        &["--seal", "seal.gif"],
        &[],
        "seal.gif",
        "印章图片不是 PNG 文件",
    );
    assert_refused(&["--seal", "cut.png"], &[], "cut.png", "印章图片无法使用：");
    // A good certificate with a bad seal: still refused before rendering.
    let mut args = with("ec.p12");
    args.extend(["--seal", "seal.gif"]);
    assert_refused(&args, &[], "seal.gif", "不是 PNG");
}

/// A grid of sample 001, signed by the test signer at a fixed time when `signed`.
fn grid_001(signed: bool) -> layout::Grid {
    let text = std::fs::read_to_string(repo("samples/001.json")).unwrap();
    let form = jixiao::read::form_from_json(&text).unwrap();
    let report = Report::new(SourcedForm::from_data("001.json", form), None);
    let options = Options {
        created: Some(CREATED.to_string()),
        signature: signed.then(|| Signature {
            signer: SIGNER.to_string(),
            unit: Some(UNIT.to_string()),
            time: "2025-03-01T10:30:00+08:00".to_string(),
        }),
        ..Options::default()
    };
    layout::build(&report, Layout::for_year(report.form.year), &options).unwrap()
}

/// The last page of `pdf` as 8-bit grey pixels at 30 dpi: (width, height, pixels).
fn last_page(pdf: &Path) -> (usize, usize, Vec<u8>) {
    let info = common::run_tool("pdfinfo", &[&pdf.to_string_lossy()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let n = pages.to_string();
    let stem = pdf.with_extension("");
    common::run_tool(
        "pdftoppm",
        &[
            "-r",
            "30",
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            &pdf.to_string_lossy(),
            &stem.to_string_lossy(),
        ],
    );
    decode_grey(&stem.with_extension("png"))
}

fn decode_grey(path: &Path) -> (usize, usize, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    // pdftoppm's `-gray` PNG may still be written as RGB: take the mean of the colours.
    let channels = info.color_type.samples();
    let colours = channels.min(3);
    let grey = buf
        .chunks_exact(channels)
        .map(|px| {
            let sum: usize = px[..colours].iter().map(|&v| usize::from(v)).sum();
            (sum / colours) as u8
        })
        .collect();
    (info.width as usize, info.height as usize, grey)
}

fn encode_grey(path: &Path, (width, height, pixels): &(usize, usize, Vec<u8>)) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, *width as u32, *height as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(pixels).unwrap();
    writer.finish().unwrap();
}

/// The bounding box `(x0, y0, x1, y1)` of the pixels that differ by more than `tolerance`.
fn differences(a: &[u8], b: &[u8], width: usize, tolerance: u8) -> Option<[usize; 4]> {
    let mut bbox: Option<[usize; 4]> = None;
    for (k, (&p, &q)) in a.iter().zip(b).enumerate() {
        if p.abs_diff(q) > tolerance {
            let (x, y) = (k % width, k / width);
            let b = bbox.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    bbox
}

#[test]
fn the_seal_changes_nothing_but_its_square_and_the_signed_page_matches_its_golden_picture() {
    if !tools() {
        return;
    }
    let pki = pki::pki();
    let dir = tempfile::tempdir().unwrap();
    let seal_path = repo("tests/fixtures/seal.png");
    let seal = Seal::from_png(&seal_path, &std::fs::read(&seal_path).unwrap()).unwrap();
    let signer = pki::load(&pki.ec);

    let plain = dir.path().join("plain.pdf");
    std::fs::write(&plain, write(&grid_001(false)).unwrap()).unwrap();
    let sealed = dir.path().join("sealed.pdf");
    let stamp = Stamp {
        seal: Some(&seal),
        signer: None,
    };
    std::fs::write(&sealed, write_stamped(&grid_001(false), stamp).unwrap()).unwrap();
    let signed = dir.path().join("signed.pdf");
    let grid = grid_001(true);
    let stamp = Stamp {
        seal: Some(&seal),
        signer: Some(&signer),
    };
    std::fs::write(&signed, write_stamped(&grid, stamp).unwrap()).unwrap();
    assert_signed(&signed, &pki.ca);
    assert!(
        pdfsig(&sealed).contains("does not contain any signatures"),
        "{}",
        pdfsig(&sealed)
    );

    // The seal (and the signature with it) changes the page only inside one square as large
    // as the layout's seal (40 mm: 47 pixels at 30 dpi), in the lower right half, where
    // 单位（盖章） is.
    let side = (40.0 / 25.4 * 30.0_f32).ceil() as usize;
    let page = last_page(&plain);
    for other in [&sealed, &signed] {
        let (width, height, pixels) = last_page(other);
        assert_eq!((width, height), (page.0, page.1));
        let [x0, y0, x1, y1] = differences(&page.2, &pixels, width, 32)
            .unwrap_or_else(|| panic!("{}: the seal is not drawn", other.display()));
        assert!(
            x1 - x0 <= side && y1 - y0 <= side,
            "{other:?}: {x0},{y0} – {x1},{y1}"
        );
        assert!(x0 > width / 2, "{other:?}: the seal is not on the right");
    }

    // The signed page against its golden picture (regenerate with JIXIAO_UPDATE_GOLDEN=1).
    let golden = repo("tests/fixtures/golden/signed-sealed-001.png");
    let picture = last_page(&signed);
    if std::env::var_os("JIXIAO_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        encode_grey(&golden, &picture);
    }
    let expected = decode_grey(&golden);
    assert_eq!((picture.0, picture.1), (expected.0, expected.1));
    let off = picture
        .2
        .iter()
        .zip(&expected.2)
        .filter(|(p, q)| p.abs_diff(**q) > 48)
        .count();
    let actual = dir.path().join("actual.png");
    encode_grey(&actual, &picture);
    assert!(
        off * 200 < picture.2.len(),
        "{off} pixels differ from {} (this run's page: {})",
        golden.display(),
        actual.display()
    );
}

#[test]
fn a_signer_names_its_subject_embeds_its_chain_and_its_cms_verifies() {
    if !common::have_tool("openssl") {
        return;
    }
    let pki = pki::pki();
    let dir = tempfile::tempdir().unwrap();
    for p12 in [&pki.rsa, &pki.ec] {
        let signer = pki::load(p12);
        assert_eq!(signer.name(), SIGNER);
        assert_eq!(signer.unit(), Some(UNIT));
        assert_eq!(signer.chain().len(), 2, "the signer and the CA");
        let content = dir.path().join("content.bin");
        std::fs::write(&content, "清单\n").unwrap();
        let signature = dir.path().join("content.p7s");
        let cms = signer.sign("清单\n".as_bytes()).unwrap();
        assert!(cms.len() <= signer.max_len());
        std::fs::write(&signature, cms).unwrap();
        let (code, report) = cms_verify(&content, &signature, &pki.ca);
        assert_eq!(code, 0, "{report}");
    }
}
