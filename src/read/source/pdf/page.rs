//! What a PDF page draws, as far as a table needs it: the glyphs with their Unicode text and
//! box, and the straight ruling lines (stroked segments and thin filled rectangles), all in
//! page space — points, origin at the top left of the crop box, y downwards, the page's
//! `/Rotate` applied. This module, [`super::draw`] and [`super::font`] are the only ones that
//! know the parsing crates (`hayro-syntax`, `hayro-cmap`).
//!
//! The document is opened with the empty user password (an owner-password-only file opens);
//! before any page is drawn, every stream that is not an image is inflated once into a
//! counter, so that a decompression bomb is refused before it is held in memory.

use std::io::Read as _;

use hayro_syntax::object::{Name, Object};
use hayro_syntax::{DecryptionError, Filter, LoadPdfError, Pdf};

use super::draw;
use super::error::{PdfDamage, PdfError, PdfLimit};
use super::font::Fonts;
use crate::read::limits::{MAX_OBJECTS, MAX_PAGES, MAX_PART, MAX_UNZIPPED};

/// A glyph drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Its text (usually one character; a ligature gives several).
    pub text: String,
    /// Left, right, top and bottom of its em box on the page.
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    /// The font size as drawn (the em box's height), in points.
    pub size: f64,
}

impl Glyph {
    /// The centre of its box.
    pub fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// True for white space.
    pub fn is_space(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }
}

/// A horizontal or vertical ruling segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// True for a horizontal line (`at` is its y), false for a vertical one (`at` is its x).
    pub horizontal: bool,
    /// Its position across.
    pub at: f64,
    /// Where it starts and ends along (`from <= to`).
    pub from: f64,
    pub to: f64,
}

/// Everything a page draws that a table is made of.
#[derive(Debug, Default)]
pub struct Marks {
    pub glyphs: Vec<Glyph>,
    /// Glyphs drawn whose text is not known (no ToUnicode, no glyph name).
    pub unmapped: usize,
    pub rules: Vec<Rule>,
    /// Images drawn (a scan is an image and no glyph).
    pub images: usize,
    /// More marks than [`MAX_MARKS`] were drawn.
    pub overflow: bool,
}

/// An opened PDF.
pub struct Document {
    pdf: Pdf,
}

impl Document {
    /// Opens `bytes` with the empty user password and checks the limits.
    ///
    /// # Errors
    /// [`PdfError::Damaged`], [`PdfError::Password`], [`PdfError::TooLarge`].
    pub fn open(bytes: &[u8]) -> Result<Document, PdfError> {
        if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
            return Err(PdfError::NotPdf);
        }
        let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
            LoadPdfError::Decryption(DecryptionError::PasswordProtected) => PdfError::Password,
            LoadPdfError::Decryption(DecryptionError::UnsupportedAlgorithm) => {
                PdfError::Damaged(PdfDamage::UnknownEncryption)
            }
            LoadPdfError::Decryption(_) => PdfError::Damaged(PdfDamage::Encryption),
            LoadPdfError::Invalid => PdfError::Damaged(PdfDamage::Structure),
        })?;
        if pdf.len() > MAX_OBJECTS {
            return Err(PdfError::TooLarge(PdfLimit::Objects));
        }
        let pages = pdf.pages().len();
        if pages > MAX_PAGES {
            return Err(PdfError::TooLarge(PdfLimit::Pages));
        }
        inflated_within_limits(&pdf)?;
        Ok(Document { pdf })
    }

    /// The number of pages.
    pub fn pages(&self) -> usize {
        self.pdf.pages().len()
    }

    /// What each page draws, in order; `each` gets the page's index and marks and may stop
    /// the reading by returning an error. The fonts are loaded once for every page.
    pub fn each_page<E>(
        &self,
        mut each: impl FnMut(usize, Marks) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut fonts = Fonts::default();
        for (index, page) in self.pdf.pages().iter().enumerate() {
            each(index, draw::page(page, &mut fonts))?;
        }
        Ok(())
    }
}

/// Inflates every stream that is not an image into a counter: none past [`MAX_PART`], all
/// together within [`MAX_UNZIPPED`].
fn inflated_within_limits(pdf: &Pdf) -> Result<(), PdfError> {
    let mut total: u64 = 0;
    for object in pdf.objects() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let dict = stream.dict();
        if dict
            .get::<Name<'_>>(b"Subtype".as_slice())
            .is_some_and(|n| n.as_ref() == b"Image")
        {
            continue;
        }
        let filters = stream.filters();
        if filters.first() != Some(&Filter::FlateDecode) {
            continue;
        }
        let raw = stream.raw_data();
        let limit = MAX_PART.min(MAX_UNZIPPED - total) + 1;
        let zlib = flate2::read::ZlibDecoder::new(&raw[..]).take(limit);
        let mut size = std::io::copy(&mut { zlib }, &mut std::io::sink()).unwrap_or(0);
        if size == 0 {
            let deflate = flate2::read::DeflateDecoder::new(&raw[..]).take(limit);
            size = std::io::copy(&mut { deflate }, &mut std::io::sink()).unwrap_or(0);
        }
        if size >= limit {
            return Err(PdfError::TooLarge(PdfLimit::Inflated(
                if limit > MAX_PART {
                    MAX_PART
                } else {
                    MAX_UNZIPPED
                } / 1024
                    / 1024,
            )));
        }
        total += size;
    }
    Ok(())
}

/// True for a character set in a full em (CJK ideographs, kana, hangul, full-width forms).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}
