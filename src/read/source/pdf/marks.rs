//! What a PDF page draws, as far as a table needs it: the glyphs with their Unicode text and
//! box, and the straight ruling lines (stroked segments and thin filled rectangles), all in
//! page space — points, origin at the top left of the crop box, y downwards, the page's
//! `/Rotate` applied.

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

/// The advance assumed where a font gives none usable, in ems: a full em for text with a wide
/// character, half an em for other text.
pub fn assumed_advance(text: &str) -> f64 {
    if text.chars().any(is_wide) { 1.0 } else { 0.5 }
}

/// True for a character set in a full em (CJK ideographs, kana, hangul, full-width forms).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}
