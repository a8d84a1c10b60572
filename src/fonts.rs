//! The bundled fonts (Noto Serif CJK SC Regular and Bold, trimmed; see `fonts/README.md`) and
//! their advance widths and glyph indices, read once.
//!
//! Layout measures text with these metrics; the PDF writer embeds the same bytes, so what is
//! measured is what is drawn. No I/O: the fonts are part of the binary.

use std::sync::OnceLock;

/// Noto Serif CJK SC Regular, trimmed to GBK + CJK Ext-A + Latin and punctuation.
pub static REGULAR: &[u8] = include_bytes!("../fonts/NotoSerifCJKsc-Regular.otf");
/// Noto Serif CJK SC Bold, trimmed likewise.
pub static BOLD: &[u8] = include_bytes!("../fonts/NotoSerifCJKsc-Bold.otf");

/// A font's horizontal metrics, by character.
#[derive(Debug)]
pub struct Metrics {
    /// Advance of each BMP character in thousandths of an em; `u16::MAX` where the font has no
    /// glyph.
    advances: Box<[u16]>,
    /// Glyph index of each BMP character; 0 (`.notdef`) where the font has none.
    glyphs: Box<[u16]>,
    /// The OS/2 typographic ascender, in thousandths of an em.
    pub ascender: f32,
    /// The OS/2 typographic descender (negative), in thousandths of an em.
    pub descender: f32,
}

const MISSING: u16 = u16::MAX;

impl Metrics {
    fn read(bytes: &[u8]) -> Metrics {
        let face = ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
        let upem = f32::from(face.units_per_em());
        let mut advances = vec![MISSING; 0x1_0000].into_boxed_slice();
        let mut glyphs = vec![0u16; 0x1_0000].into_boxed_slice();
        if let Some(cmap) = face.tables().cmap {
            for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
                table.codepoints(|cp| {
                    let Some(slot) = advances.get_mut(cp as usize) else {
                        return;
                    };
                    let Some(glyph) = table.glyph_index(cp) else {
                        return;
                    };
                    if let Some(adv) = face.glyph_hor_advance(glyph) {
                        // The PDF's /W holds trunc(advance * 1000 / upem): the same numbers.
                        *slot = (f32::from(adv) * 1000.0 / upem).trunc() as u16;
                        glyphs[cp as usize] = glyph.0;
                    }
                });
            }
        }
        let per_mille =
            |v: Option<i16>, default: f32| v.map_or(default, |v| f32::from(v) * 1000.0 / upem);
        Metrics {
            advances,
            glyphs,
            ascender: per_mille(face.typographic_ascender(), 880.0),
            descender: per_mille(face.typographic_descender(), -120.0),
        }
    }

    /// The advance of `c` in thousandths of an em, `None` when the font lacks it.
    pub fn advance(&self, c: char) -> Option<u16> {
        match self.advances.get(c as usize) {
            Some(&a) if a != MISSING => Some(a),
            _ => None,
        }
    }

    /// The glyph index of `c`, 0 (`.notdef`, an empty box) when the font lacks it.
    pub fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(c as usize).copied().unwrap_or(0)
    }

    /// True when the font draws `c` (control characters count as drawn: they are never shown).
    pub fn covers(&self, c: char) -> bool {
        c.is_control() || self.advance(c).is_some()
    }

    /// The width of `c` at `size` points; a character the font lacks counts one em.
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        f32::from(self.advance(c).unwrap_or(1000)) * size / 1000.0
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }
}

/// The metrics of the regular or the bold face, read on first use.
pub fn metrics(bold: bool) -> &'static Metrics {
    static REGULAR_METRICS: OnceLock<Metrics> = OnceLock::new();
    static BOLD_METRICS: OnceLock<Metrics> = OnceLock::new();
    if bold {
        BOLD_METRICS.get_or_init(|| Metrics::read(BOLD))
    } else {
        REGULAR_METRICS.get_or_init(|| Metrics::read(REGULAR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_match_the_font() {
        let m = metrics(false);
        assert_eq!(m.advance('中'), Some(1000));
        assert_eq!(m.advance('0'), Some(557));
        assert_eq!(m.advance('A'), Some(718));
        assert_eq!(metrics(true).advance('0'), Some(593));
        assert_eq!((m.ascender, m.descender), (880.0, -120.0));
        let face = ttf_parser::Face::parse(REGULAR, 0).unwrap();
        for c in ['中', '0', '喆', '％'] {
            assert_eq!(m.glyph(c), face.glyph_index(c).unwrap().0, "{c}");
        }
        assert_eq!(m.glyph('≒'), 0);
        assert_eq!(m.glyph('😀'), 0);
    }

    #[test]
    fn rare_name_characters_are_covered() {
        let m = metrics(false);
        for c in "喆堃玥昇镕赟璟≥≤“”％（）".chars() {
            assert!(m.covers(c), "{c}");
        }
        assert!(!m.covers('≒'));
        assert!(!m.covers('😀'));
    }
}
