//! What a PDF page draws, as far as a table needs it: the glyphs with their Unicode text and
//! box, and the straight ruling lines (stroked segments and thin filled rectangles), all in
//! page space — points, origin at the top left of the crop box, y downwards, the page's
//! `/Rotate` applied. The only module that knows the parsing crate (hayro).
//!
//! The document is opened with the empty user password (an owner-password-only file opens);
//! before any page is drawn, every stream that is not an image is inflated once into a
//! counter, so that a decompression bomb is refused before it is held in memory.

use std::io::Read as _;

use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, Paint, SoftMask, interpret_page,
};
use hayro_syntax::object::{Name, Object};
use hayro_syntax::{DecryptionError, Filter, LoadPdfError, Pdf};

use super::error::{PdfDamage, PdfError, PdfLimit};
use super::radicals;
use crate::read::limits::{MAX_MARKS, MAX_OBJECTS, MAX_PAGES, MAX_PART, MAX_UNZIPPED};

/// A ruling line is at most this thick (points): a filled rectangle thinner than this in one
/// direction is a line, a thicker one is a shaded area.
const MAX_RULE: f64 = 2.5;

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
    /// the reading by returning an error. One cache of fonts and objects serves every page.
    pub fn each_page<E>(
        &self,
        mut each: impl FnMut(usize, Marks) -> Result<(), E>,
    ) -> Result<(), E> {
        let settings = InterpreterSettings::default();
        let cache = InterpreterCache::new();
        for (index, page) in self.pdf.pages().iter().enumerate() {
            let (width, height) = page.render_dimensions();
            let initial = Affine::new(page.initial_transform(true).as_coeffs());
            let bbox = Rect::new(0.0, 0.0, f64::from(width), f64::from(height));
            let mut context =
                Context::new(initial, bbox, &cache, self.pdf.xref(), settings.clone());
            let mut collector = Collector {
                marks: Marks::default(),
            };
            interpret_page(page, &mut context, &mut collector);
            each(index, collector.marks)?;
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

/// The hayro device that keeps glyphs and rules.
struct Collector {
    marks: Marks,
}

impl Collector {
    fn full(&mut self) -> bool {
        let full = self.marks.glyphs.len() + self.marks.rules.len() >= MAX_MARKS;
        self.marks.overflow |= full;
        full
    }

    fn rule(&mut self, a: Point, b: Point) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if !(a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()) {
            return;
        }
        if dy <= 0.5 && dx > 1.0 {
            self.marks.rules.push(Rule {
                horizontal: true,
                at: (a.y + b.y) / 2.0,
                from: a.x.min(b.x),
                to: a.x.max(b.x),
            });
        } else if dx <= 0.5 && dy > 1.0 {
            self.marks.rules.push(Rule {
                horizontal: false,
                at: (a.x + b.x) / 2.0,
                from: a.y.min(b.y),
                to: a.y.max(b.y),
            });
        }
    }

    /// The straight segments of a stroked path.
    fn stroke(&mut self, path: &BezPath) {
        let (mut start, mut last) = (Point::ZERO, Point::ZERO);
        for el in path.elements() {
            if self.full() {
                return;
            }
            match *el {
                PathEl::MoveTo(p) => {
                    start = p;
                    last = p;
                }
                PathEl::LineTo(p) => {
                    self.rule(last, p);
                    last = p;
                }
                PathEl::ClosePath => {
                    self.rule(last, start);
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = p,
            }
        }
    }

    /// A filled path: each of its subpaths that is a thin box is a rule.
    fn fill(&mut self, path: &BezPath) {
        let mut sub = BezPath::new();
        let flush = |sub: &mut BezPath, this: &mut Collector| {
            if sub.elements().is_empty() {
                return;
            }
            let b = sub.bounding_box();
            let (w, h) = (b.width(), b.height());
            if h <= MAX_RULE && w > h && w > 1.0 {
                let y = (b.y0 + b.y1) / 2.0;
                this.rule(Point::new(b.x0, y), Point::new(b.x1, y));
            } else if w <= MAX_RULE && h > w && h > 1.0 {
                let x = (b.x0 + b.x1) / 2.0;
                this.rule(Point::new(x, b.y0), Point::new(x, b.y1));
            }
            *sub = BezPath::new();
        };
        for el in path.elements() {
            if self.full() {
                return;
            }
            if matches!(el, PathEl::MoveTo(_)) {
                flush(&mut sub, self);
            }
            sub.push(*el);
        }
        flush(&mut sub, self);
    }
}

/// True for a paint that shows nothing on white paper.
fn is_white(paint: &Paint<'_>) -> bool {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, a] = c.to_rgba().components();
            a < 0.1 || (r > 0.95 && g > 0.95 && b > 0.95)
        }
        Paint::Pattern(_) => false,
    }
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, mode: &DrawMode) {
        if self.full() || is_white(&props.paint) {
            return;
        }
        let path = props.transform * path.clone();
        match mode {
            DrawMode::Stroke(_) => self.stroke(&path),
            DrawMode::Fill(_) => self.fill(&path),
            DrawMode::FillAndStroke(..) => {
                self.fill(&path);
                self.stroke(&path);
            }
            DrawMode::Invisible => {}
        }
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        for glyph in run.glyphs() {
            if self.full() {
                return;
            }
            let Some(text) = glyph.as_unicode() else {
                self.marks.unmapped += 1;
                continue;
            };
            let text = match text {
                BfString::Char(c) => radicals::ideograph(c).to_string(),
                BfString::String(s) => radicals::ideographs(&s),
            };
            // Glyph space: 1000 units to the em, origin on the baseline.
            let advance = match &**glyph {
                hayro_interpret::font::Glyph::Outline(g) => g.advance_width(),
                hayro_interpret::font::Glyph::Type3(g) => g.advance_width(),
            }
            .map(f64::from)
            .filter(|a| a.is_finite() && *a > 0.0 && *a < 4000.0)
            .unwrap_or_else(|| {
                if text.chars().any(is_wide) {
                    1000.0
                } else {
                    500.0
                }
            });
            let to_page = props.transform * glyph.transform();
            let corners = [
                to_page * Point::new(0.0, -120.0),
                to_page * Point::new(advance, -120.0),
                to_page * Point::new(0.0, 880.0),
                to_page * Point::new(advance, 880.0),
            ];
            let xs = corners.map(|p| p.x);
            let ys = corners.map(|p| p.y);
            let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
            let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
            let size = (to_page * Point::new(0.0, 1000.0) - to_page * Point::ZERO).hypot();
            let g = Glyph {
                text,
                x0: min(xs),
                x1: max(xs),
                y0: min(ys),
                y1: max(ys),
                size,
            };
            if g.x0.is_finite() && g.y0.is_finite() && g.x1.is_finite() && g.y1.is_finite() {
                self.marks.glyphs.push(g);
            }
        }
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.marks.images += 1;
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}
}

/// True for a character set in a full em (CJK ideographs, kana, hangul, full-width forms).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}
