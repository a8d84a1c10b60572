//! Published PDFs as a source: each table a page draws — rebuilt from its ruling lines and its
//! positioned text — becomes the same [`Sheet`] the workbook readers give (text as printed,
//! `18.950000`, `98.55%`), a table continued over pages joined into one, so that everything
//! after reading is shared. The interface is narrow: bytes in, [`Tables`] (one sheet per table,
//! named after its first page, with the page of each row) or a [`PdfError`] out. What cannot be
//! read — a scan, text without Unicode, a user password, a damaged file — is said in one line.
//!
//! - [`page`]: what a page draws (the only module that knows the parsing crate);
//! - [`grid`]: one page's tables and the lines of text outside them;
//! - [`join`]: tables continued over pages joined, and laid out as sheets;
//! - [`radicals`]: CJK radicals a writer named for ideographs (`⼀级指标`) read as them.
//!
//! # The parsing crate: hayro (`hayro-interpret` 0.9 over `hayro-syntax`)
//!
//! Chosen by measurement (2026-12-06, 2 cores shared with other builds, `../shared/realpdfs/`
//! — 60 files from PDF projects' test suites — read by a probe of each candidate):
//!
//! | candidate | cold release build of a probe | corpus: opened, text | no panic | paths |
//! |---|---|---|---|---|
//! | hayro-interpret 0.9 | 67 s (82 crates, no C) | 51 files drawn; owner-only RC4-40/AES-128/AES-256 open, the 4 user-password files refused as such; GBK-EUC-H, UniGB-UTF16-H and Adobe-Japan1 CMaps (built in); xref rebuilt for broken offsets, leading junk, truncation | yes | strokes and fills with their CTM, `re` as paths |
//! | lopdf 0.44 + own text layer | 28 s (in the tree already) | fails to open 12 files (no xref repair: a 95-page Chinese report, leading junk, truncated, broken offsets); no predefined CMaps, no glyph widths: the whole text layer (fonts, encodings, CMaps, text state) would be own code | yes | content operators only |
//! | pdf-extract 0.12 (lopdf 0.42) | 104 s | lopdf's 12 failures; panics on the GBK-EUC-H and UniGB-UTF16 files; user-password files read as empty instead of refused | no (2 panics) | strokes and fills, but `re` fills of table cells missed |
//! | pdf_oxide 0.3 | see below | | | |
//!
//! pdf_oxide (452 000 lines, mandatory dependencies on image, brotli, chrono, nom, regex,
//! taffy, an office-format crate…) had not finished its cold build after 10 minutes (stopped
//! while its office-format dependency compiled, before pdf_oxide itself), against a budget of
//! 4 minutes for the whole project's release build. hayro reads the whole corpus in 0.55 s
//! (326 pages of it in 0.34 s). What it adds to this project: 27 crates; alone, 67 s of wall
//! time and 123 s of CPU on the idle machine; in `cargo build --release --timings` of the
//! whole project on the loaded machine (13 min wall), its units are 27 % of the unit time of the
//! build, the largest `read-fonts` (under `skrifa`, hayro's font parser) and `moxcms` (colour
//! management, which text and lines never need but hayro-interpret requires). Its image
//! decoders (JPEG, JBIG2, JPEG 2000, CCITT) come along but never run: images are only counted.
//! Nothing needs a C library.
//!
//! Reading speed (release, `cargo bench --bench pdf`): a form as jixiao prints it in 3–5 ms
//! (1.6–2.4 ms a page), a 95-page report in 110 ms.

mod draw;
mod error;
mod font;
mod grid;
mod join;
mod page;
mod radicals;
mod tables;

use std::path::Path;

pub use error::{PdfDamage, PdfError, PdfLimit};
pub use join::Joined;

/// The tables of a PDF.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Every table, pages joined, in page order.
    pub tables: Vec<Joined>,
    /// The number of pages.
    pub pages: usize,
}

/// Every table in the PDF `bytes`.
///
/// # Errors
/// A [`PdfError`] saying why nothing can be read.
pub fn tables(bytes: &[u8]) -> Result<Tables, PdfError> {
    // The parser is guarded by the limits above; a panic inside it is a damaged file.
    std::panic::catch_unwind(|| read(bytes)).unwrap_or(Err(PdfError::Damaged(PdfDamage::Content)))
}

fn read(bytes: &[u8]) -> Result<Tables, PdfError> {
    let document = page::Document::open(bytes)?;
    let pages = document.pages();
    if pages == 0 {
        return Err(PdfError::Damaged(PdfDamage::NoPages));
    }
    let (mut mapped, mut unmapped, mut images) = (0usize, 0usize, 0usize);
    let mut layouts = Vec::with_capacity(pages);
    document.each_page(|index, marks| {
        if marks.overflow {
            return Err(PdfError::TooLarge(PdfLimit::Marks { page: index + 1 }));
        }
        mapped += marks.glyphs.len();
        unmapped += marks.unmapped;
        images += marks.images;
        layouts.push(grid::layout(&marks));
        Ok(())
    })?;
    if mapped == 0 && unmapped == 0 {
        return Err(if images > 0 {
            PdfError::Scanned
        } else {
            PdfError::NoText
        });
    }
    if unmapped > mapped {
        return Err(PdfError::NoUnicode);
    }
    Ok(Tables {
        tables: join::tables(layouts),
        pages,
    })
}

/// True when `path` names a PDF (by its extension).
pub fn is_pdf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}
