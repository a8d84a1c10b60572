//! Golden pictures: every built-in layout's PDF of each sample, page by page, as poppler draws
//! it at 40 dpi in 16 grey levels, against the references in `tests/golden/<layout>/`. A page
//! that changes beyond a few pixels fails until its reference is deliberately updated:
//!
//! ```text
//! JIXIAO_UPDATE_GOLDEN=1 cargo test --test golden
//! ```
//!
//! writes the references anew (look at them before committing). A failing page is written
//! to `target/golden/<layout>/` beside the reference's name, to look at.

mod common;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use jixiao::layout::{self, Options};
use jixiao::{Layout, Report, SourcedForm};

/// The resolution of the pictures.
const DPI: &str = "40";

/// Grey levels kept: fewer make smaller files and ignore antialiasing noise.
const LEVELS: u8 = 16;

/// A pixel differs when its level differs by this much.
const PIXEL_TOLERANCE: u8 = 2;

/// A page differs when more than this share of its pixels do (about 30 pixels of an A4 page).
const PAGE_TOLERANCE: f64 = 1.0 / 5000.0;

/// A picture in grey levels `0..LEVELS`.
#[derive(Debug, Clone, PartialEq)]
struct Picture {
    width: u32,
    height: u32,
    levels: Vec<u8>,
}

fn read_png(path: &Path) -> Picture {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (color, depth) = reader.output_color_type();
    assert_eq!(depth, png::BitDepth::Eight, "{}", path.display());
    let channels = color.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|px| {
            // Grey, or the first channel of a colour picture (poppler draws black on white).
            let v = u32::from(px[0]);
            // Stored references hold levels spread over 0..=255.
            ((v * u32::from(LEVELS - 1) + 127) / 255) as u8
        })
        .collect();
    Picture {
        width: info.width,
        height: info.height,
        levels: pixels,
    }
}

fn write_png(path: &Path, picture: &Picture) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = File::create(path).unwrap();
    let mut encoder = png::Encoder::new(file, picture.width, picture.height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Four);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().unwrap();
    let row_bytes = picture.width.div_ceil(2) as usize;
    let mut data = vec![0u8; row_bytes * picture.height as usize];
    for (i, level) in picture.levels.iter().enumerate() {
        let (y, x) = (i / picture.width as usize, i % picture.width as usize);
        let byte = &mut data[y * row_bytes + x / 2];
        *byte |= if x % 2 == 0 { level << 4 } else { *level };
    }
    writer.write_image_data(&data).unwrap();
}

/// The pages of a PDF as pictures.
fn pictures(pdf: &Path, dir: &Path) -> Vec<Picture> {
    let prefix = dir.join("page");
    common::run_tool(
        "pdftoppm",
        &[
            "-r",
            DPI,
            "-gray",
            "-png",
            &pdf.to_string_lossy(),
            &prefix.to_string_lossy(),
        ],
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("page-") && name.ends_with(".png")
        })
        .collect();
    pages.sort();
    let out = pages.iter().map(|p| read_png(p)).collect();
    for p in pages {
        std::fs::remove_file(p).unwrap();
    }
    out
}

/// How many pixels of `a` and `b` differ; every pixel when their sizes do.
fn differing(a: &Picture, b: &Picture) -> usize {
    if (a.width, a.height) != (b.width, b.height) {
        return a.levels.len().max(b.levels.len());
    }
    a.levels
        .iter()
        .zip(&b.levels)
        .filter(|(x, y)| x.abs_diff(**y) >= PIXEL_TOLERANCE)
        .count()
}

#[test]
fn every_layout_draws_the_samples_as_its_golden_pictures() {
    if !common::have_tool("pdftoppm") {
        return;
    }
    let update = std::env::var_os("JIXIAO_UPDATE_GOLDEN").is_some();
    let work = tempfile::tempdir().unwrap();
    let options = Options {
        created: Some("2025-03-01T00:00:00+08:00".to_string()),
        ..Options::default()
    };
    let mut failures = Vec::new();
    for layout in Layout::builtin() {
        let golden = common::repo(&format!("tests/golden/{}", layout.name));
        for sample in ["000", "001"] {
            let text =
                std::fs::read_to_string(common::repo(&format!("samples/{sample}.json"))).unwrap();
            let form = jixiao::read::form_from_json(&text).unwrap();
            let checked = jixiao::pipeline::check(
                SourcedForm::from_data(format!("{sample}.json"), form),
                Some(layout),
            );
            let report: &Report = &checked.report;
            let grid = layout::build(report, layout, &options).unwrap();
            let pdf = work.path().join(format!("{}-{sample}.pdf", layout.name));
            std::fs::write(&pdf, jixiao::render::pdf::write(&grid).unwrap()).unwrap();
            let pages = pictures(&pdf, work.path());
            assert_eq!(pages.len(), grid.pages.len());
            let reference = |n: usize| golden.join(format!("{sample}-{n}.png"));
            if update {
                // Pages a shorter form no longer has go with the old references.
                for n in pages.len() + 1..=pages.len() + 10 {
                    let _ = std::fs::remove_file(reference(n));
                }
                for (i, page) in pages.iter().enumerate() {
                    write_png(&reference(i + 1), page);
                }
                continue;
            }
            let stored = (1..).take_while(|&n| reference(n).exists()).count();
            if stored != pages.len() {
                failures.push(format!(
                    "{} {sample}: {} pages, the references have {stored}",
                    layout.name,
                    pages.len()
                ));
            }
            for (i, page) in pages.iter().enumerate() {
                let path = reference(i + 1);
                if !path.exists() {
                    continue;
                }
                let want = read_png(&path);
                let differ = differing(page, &want);
                let allowed = (page.levels.len() as f64 * PAGE_TOLERANCE) as usize;
                if differ > allowed {
                    let actual = common::repo(&format!(
                        "target/golden/{}/{sample}-{}.png",
                        layout.name,
                        i + 1
                    ));
                    write_png(&actual, page);
                    failures.push(format!(
                        "{}: {differ} pixels differ (at most {allowed}); drawn now: {}",
                        path.display(),
                        actual.display()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "pages changed:\n{}\nlook at them; if the change is meant, update the references with \
         JIXIAO_UPDATE_GOLDEN=1 cargo test --test golden",
        failures.join("\n")
    );
}

#[test]
fn a_changed_page_is_caught() {
    let mut page = Picture {
        width: 331,
        height: 468,
        levels: vec![LEVELS - 1; 331 * 468],
    };
    let same = page.clone();
    assert_eq!(differing(&page, &same), 0);
    // A figure changed: a few dozen pixels of text.
    for i in 0..60 {
        page.levels[10_000 + i * 3] = 0;
    }
    let allowed = (page.levels.len() as f64 * PAGE_TOLERANCE) as usize;
    assert!(differing(&page, &same) > allowed);
    // Antialiasing one level off is no change.
    let mut noisy = same.clone();
    for l in noisy.levels.iter_mut().step_by(7) {
        *l -= 1;
    }
    assert_eq!(differing(&noisy, &same), 0);
}
