#!/usr/bin/env python3
"""Generate `tables.rs`: the static font data the PDF text interpreter needs.

A PDF's simple fonts (Type1, TrueType, Type3) name their glyphs through an
encoding and often rely on data the file does not carry: the standard 14 fonts
are usually not embedded, so their widths come from Adobe's published metrics,
and glyph names are turned into text through the Adobe Glyph List. This script
writes that data as sorted Rust tables, plus the small lookup functions over
them and their tests, into `tables.rs` next to itself.

Sources:
- Glyph name -> Unicode: the Adobe Glyph List (glyphlist.txt, table version
  2.0, BSD-3-Clause, Copyright 2002-2019 Adobe), as shipped in fontTools
  (`fontTools.agl.LEGACY_AGL2UV`); every name mapping to a single code point
  outside the Private Use Area (U+E000-U+F8FF), plus the six Symbol-font
  names the AGL maps there (copyright/registered/trademark, serif and sans),
  mapped to the characters they are designs of.
- Zapf Dingbats names (a1...a206) -> Unicode: the ITC Zapf Dingbats Glyph
  List (zapfdingbats.txt, same licence), as shipped in fontTools
  (`fontTools.agl._AGL_ZAPF_DINGBATS`, indexed by the number after `a`).
- StandardEncoding, WinAnsiEncoding, MacRomanEncoding, PDFDocEncoding and the
  Symbol and ZapfDingbats built-in encodings (PDF 32000-1, Annex D):
  reportlab's `reportlab.pdfbase._fontdata.encodings` (its MacExpertEncoding,
  whose glyphs the AGL maps into the Private Use Area, is left out).
- Glyph widths of the standard 14 fonts: Adobe's Core 14 AFM metrics (Adobe,
  freely distributable), as shipped in reportlab
  (`reportlab.pdfbase._fontdata.widthsByFontGlyph`, 229 glyphs for the Latin
  fonts, 190 for Symbol, 202 for ZapfDingbats).

Run from the repository root, after `python3 -m pip install -q reportlab fonttools`:

    python3 src/read/source/pdf/tables.py

The output is deterministic (every table sorted or indexed by code) and
formatted so that `rustfmt --edition 2024 --check` leaves it unchanged (the big
data arrays carry `#[rustfmt::skip]`). Never edit `tables.rs` by hand.
"""

import os
import unicodedata

import fontTools.agl as agl
from reportlab.pdfbase import _fontdata

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tables.rs")
WIDTH = 100  # line width of the packed data arrays


def is_pua(cp):
    return 0xE000 <= cp <= 0xF8FF


# Characters written as themselves in char literals: visible, left-to-right or neutral,
# not combining, unchanged by NFC normalization (the others are written as `\u{...}`).
LITERAL_BIDI = {"L", "EN", "ES", "ET", "CS", "ON"}


def rust_char(c):
    cp = ord(c)
    if c == "'" or c == "\\":
        return "'\\" + c + "'"
    if 0x20 <= cp < 0x7F:
        return "'" + c + "'"
    if (
        unicodedata.category(c)[0] not in "MCZ"
        and unicodedata.bidirectional(c) in LITERAL_BIDI
        and unicodedata.normalize("NFC", c) == c
    ):
        return "'" + c + "'"
    return "'\\u{%X}'" % cp


def rust_str(s):
    assert all(0x20 < ord(c) < 0x7F and c not in "\"\\" for c in s), s
    return '"' + s + '"'


def packed(items, indent="    "):
    """Items joined with `, ` into lines of at most WIDTH columns, each line ending in `,`."""
    lines, line = [], ""
    for item in items:
        piece = item + ","
        if line and len(indent) + len(line) + 1 + len(piece) > WIDTH:
            lines.append(indent + line)
            line = piece
        else:
            line = line + " " + piece if line else piece
    if line:
        lines.append(indent + line)
    return "\n".join(lines)


# --- The Adobe Glyph List -----------------------------------------------------

def agl_licence():
    """The copyright notice and licence at the head of the AGL, as `//` comment lines."""
    out, dashes = [], 0
    for line in agl._aglText.splitlines():
        if line.startswith("# ---"):
            dashes += 1
            if dashes == 2:
                break
            continue
        if dashes == 1:
            out.append(("// " + line[2:]).rstrip())
    assert out and "Copyright" in out[0] and "Adobe" in out[0], out[:1]
    return "\n".join(out)


# Names of the Symbol font's encoding that the AGL maps into the Private Use
# Area, as (sans and serif) designs of an ordinary character.
SYMBOL_VARIANTS = {
    "copyrightsans": "\u00a9",
    "copyrightserif": "\u00a9",
    "registersans": "\u00ae",
    "registerserif": "\u00ae",
    "trademarksans": "\u2122",
    "trademarkserif": "\u2122",
}


def agl_table():
    table = {}
    for name, cps in agl.LEGACY_AGL2UV.items():
        if len(cps) == 1 and not is_pua(cps[0]):
            table[name] = chr(cps[0])
    for name, char in SYMBOL_VARIANTS.items():
        assert name in agl.LEGACY_AGL2UV and name not in table, name
        table[name] = char
    assert all("_" not in name and "." not in name for name in table)
    return sorted(table.items())


def dingbat_table():
    table = {}
    for number, char in enumerate(agl._AGL_ZAPF_DINGBATS):
        if char != " ":
            assert not is_pua(ord(char))
            table["a%d" % number] = char
    assert table["a1"] == "\u2701" and table["a20"] == "\u2714" and len(table) > 190
    return sorted(table.items())


# --- Encodings ----------------------------------------------------------------

ENCODINGS = [
    # (variant, reportlab name, Rust table, PDF /Encoding name or None)
    ("Standard", "StandardEncoding", "STANDARD_ENCODING", "StandardEncoding"),
    ("WinAnsi", "WinAnsiEncoding", "WIN_ANSI_ENCODING", "WinAnsiEncoding"),
    ("MacRoman", "MacRomanEncoding", "MAC_ROMAN_ENCODING", "MacRomanEncoding"),
    ("PdfDoc", "PDFDocEncoding", "PDF_DOC_ENCODING", "PDFDocEncoding"),
    ("Symbol", "SymbolEncoding", "SYMBOL_ENCODING", None),
    ("ZapfDingbats", "ZapfDingbatsEncoding", "ZAPF_DINGBATS_ENCODING", None),
]


def encoding_table(rust_name, names):
    names = list(names)
    assert len(names) == 256
    rows = []
    for start in range(0, 256, 8):
        cells = [rust_str(n) if n else '""' for n in names[start : start + 8]]
        rows.append("    /* 0x%02X */ %s," % (start, ", ".join(cells)))
    return "#[rustfmt::skip]\nstatic %s: [&str; 256] = [\n%s\n];\n" % (rust_name, "\n".join(rows))


# --- Widths -------------------------------------------------------------------

# (Rust table, the AFM metric set it holds, the fonts sharing it, the glyph list it follows)
WIDTHS = [
    ("HELVETICA", "Helvetica", ["Helvetica", "Helvetica-Oblique"], "LATIN"),
    ("HELVETICA_BOLD", "Helvetica-Bold", ["Helvetica-Bold", "Helvetica-BoldOblique"], "LATIN"),
    ("TIMES_ROMAN", "Times-Roman", ["Times-Roman"], "LATIN"),
    ("TIMES_BOLD", "Times-Bold", ["Times-Bold"], "LATIN"),
    ("TIMES_ITALIC", "Times-Italic", ["Times-Italic"], "LATIN"),
    ("TIMES_BOLD_ITALIC", "Times-BoldItalic", ["Times-BoldItalic"], "LATIN"),
    ("SYMBOL", "Symbol", ["Symbol"], "SYMBOL"),
    ("ZAPF_DINGBATS", "ZapfDingbats", ["ZapfDingbats"], "ZAPF_DINGBATS"),
]
GLYPH_LIST_FONTS = {
    "LATIN": "Helvetica and Times",
    "SYMBOL": "Symbol",
    "ZAPF_DINGBATS": "ZapfDingbats",
}
COURIER = ["Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"]


def width_tables():
    """The glyph lists (sorted glyph names) and, for each metric set, its widths in that order."""
    by_font = _fontdata.widthsByFontGlyph
    for _, metrics, fonts, _ in WIDTHS:
        for font in fonts:
            assert by_font[font] == by_font[metrics], font
    for font in COURIER:
        assert set(by_font[font].values()) == {600}, font
    covered = {f for _, _, fonts, _ in WIDTHS for f in fonts} | set(COURIER)
    assert covered == set(by_font), sorted(set(by_font) ^ covered)
    glyphs = {}
    for _, metrics, _, glyph_list in WIDTHS:
        names = sorted(by_font[metrics])
        assert glyphs.setdefault(glyph_list, names) == names, metrics
    out, sizes = [], {}
    for glyph_list, names in glyphs.items():
        fonts = GLYPH_LIST_FONTS[glyph_list]
        out.append(
            "/// The glyphs of the %s metrics, sorted by name: the order of their widths.\n"
            "#[rustfmt::skip]\n"
            "static %s_GLYPHS: [&str; %d] = [\n%s\n];\n"
            % (fonts, glyph_list, len(names), packed(rust_str(n) for n in names))
        )
    for rust_name, metrics, _, glyph_list in WIDTHS:
        names = glyphs[glyph_list]
        widths = [by_font[metrics][n] for n in names]
        assert all(isinstance(w, int) and 0 <= w <= 0xFFFF for w in widths)
        sizes[metrics] = len(widths)
        out.append(
            "/// The `%s` AFM widths of the `%s_GLYPHS`.\n#[rustfmt::skip]\n"
            "static %s_WIDTHS: [u16; %d] = [\n%s\n];\n"
            % (metrics, glyph_list, rust_name, len(widths), packed(str(w) for w in widths))
        )
    return "\n".join(out), sizes


# --- The Rust file --------------------------------------------------------------

HEADER = """\
//! Generated by `tables.py` (do not edit): the data a PDF's simple fonts rely on without
//! embedding it, and lookups over it.
//!
//! - The glyph names of the standard encodings (PDF 32000-1, Annex D: `StandardEncoding`,
//!   `WinAnsiEncoding`, `MacRomanEncoding`, `PDFDocEncoding`, and the Symbol and
//!   `ZapfDingbats` fonts' built-in encodings), from reportlab's `_fontdata`.
//! - The Unicode text of glyph names: the Adobe Glyph List (BSD-3-Clause, Adobe), every name
//!   mapping to a single code point outside the Private Use Area U+E000-U+F8FF ({agl} names),
//!   plus the Symbol font's serif and sans copyright, registered and trademark signs (which it
//!   maps into that area) as the plain signs; with the AGL specification's `uniXXXX`, `uXXXX`,
//!   `.suffix` and `a_b` ligature forms. And the ITC Zapf Dingbats Glyph List (`a1`...`a206`,
//!   same licence), for the `ZapfDingbats` font.
//! - The glyph widths of the standard 14 fonts, from Adobe's Core 14 AFM metrics (Adobe,
//!   freely distributable) as shipped in reportlab: one table per metric set, as the
//!   Oblique fonts share their upright's widths and Courier's are all 600.
//!
//! Regenerate with `python3 src/read/source/pdf/tables.py`.

// The Adobe Glyph List and the ITC Zapf Dingbats Glyph List are distributed under this licence:
//
{licence}
"""

API = """\
/// A simple font's base encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
{variants}
}

impl BaseEncoding {
    /// The encoding an `/Encoding` or `/BaseEncoding` name (without its `/`) stands for:
    /// `StandardEncoding`, `WinAnsiEncoding`, `MacRomanEncoding` or `PDFDocEncoding`
    /// (`MacExpertEncoding` is not supported).
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
{from_name}
            _ => None,
        }
    }

    /// The glyph name the encoding gives `code`, if any.
    pub fn glyph_name(self, code: u8) -> Option<&'static str> {
        let table = match self {
{tables}
        };
        let name = table[usize::from(code)];
        (!name.is_empty()).then_some(name)
    }
}

/// The Unicode text of a glyph name, per the Adobe Glyph List specification: a name in the
/// AGL, `uniXXXX` (one or more groups of four uppercase hex digits, not surrogates),
/// `uXXXX` to `uXXXXXX`, any of these with a `.suffix` (`one.oldstyle` is "1"), and
/// ligatures of them joined with `_` (`f_f_i` is "ffi"). None for `.notdef`, unknown names,
/// and names with any unknown component.
pub fn unicode_of_name(name: &str) -> Option<String> {
    let base = name.split_once('.').map_or(name, |(base, _)| base);
    if base.is_empty() {
        return None;
    }
    let mut text = String::new();
    for component in base.split('_') {
        if let Ok(i) = AGL.binary_search_by(|(n, _)| n.cmp(&component)) {
            text.push(AGL[i].1);
        } else if let Some(hex) = component.strip_prefix("uni") {
            if hex.is_empty() {
                return None;
            }
            for group in hex.as_bytes().chunks(4) {
                if group.len() != 4 {
                    return None;
                }
                text.push(char::from_u32(upper_hex(group)?)?);
            }
        } else if let Some(hex) = component.strip_prefix('u') {
            if !(4..=6).contains(&hex.len()) {
                return None;
            }
            text.push(char::from_u32(upper_hex(hex.as_bytes())?)?);
        } else {
            return None;
        }
    }
    Some(text)
}

/// The value of up to eight uppercase hexadecimal digits (the AGL's glyph-name forms allow no
/// lowercase ones).
fn upper_hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    digits.iter().try_fold(0, |value, &digit| {
        let digit = match digit {
            b'0'..=b'9' => digit - b'0',
            b'A'..=b'F' => digit - b'A' + 10,
            _ => return None,
        };
        Some(value << 4 | u32::from(digit))
    })
}

/// The character of a name in the ITC Zapf Dingbats Glyph List (`a1`...`a206`), which the AGL
/// specification applies, before the AGL itself, to the `ZapfDingbats` font only.
pub fn unicode_of_dingbat(name: &str) -> Option<char> {
    let i = DINGBATS.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
    Some(DINGBATS[i].1)
}

/// One of the standard 14 fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardFont {
    Helvetica,
    HelveticaBold,
    HelveticaOblique,
    HelveticaBoldOblique,
    TimesRoman,
    TimesBold,
    TimesItalic,
    TimesBoldItalic,
    Courier,
    CourierBold,
    CourierOblique,
    CourierBoldOblique,
    Symbol,
    ZapfDingbats,
}

/// The font families `StandardFont::from_base_font` knows, longest name first among those
/// sharing a beginning.
const FAMILIES: &[(&str, StandardFont)] = &[
    ("Helvetica", StandardFont::Helvetica),
    ("Arial", StandardFont::Helvetica),
    ("TimesNewRoman", StandardFont::TimesRoman),
    ("Times", StandardFont::TimesRoman),
    ("CourierNew", StandardFont::Courier),
    ("Courier", StandardFont::Courier),
    ("Symbol", StandardFont::Symbol),
    ("ZapfDingbats", StandardFont::ZapfDingbats),
];

impl StandardFont {
    /// The standard font a `/BaseFont` names or stands in for: the 14 names and their usual
    /// aliases (`Arial`, `ArialMT`, `Arial,Bold`, `Arial-BoldItalicMT`; `TimesNewRoman`,
    /// `TimesNewRomanPSMT`, `Times New Roman,Italic`, `TimesNewRomanPS-BoldMT`; `CourierNew`,
    /// `CourierNewPSMT`, `CourierNewPS-ObliqueMT`; `SymbolMT`), after a subset prefix
    /// (`ABCDEF+`) and with spaces ignored. The style follows the family, after `,`, `-` or
    /// nothing: `Bold`, `Italic`, `Oblique`, `BoldItalic`, `BoldOblique`, or a regular one
    /// (`Roman`, `Regular`, `Normal`, `Book`). None for other fonts and styles (`SimSun`,
    /// `Arial-Black`, `ArialNarrow`, `HelveticaNeue`, `TimesNewRomanPS-SemiboldMT`).
    pub fn from_base_font(name: &[u8]) -> Option<StandardFont> {
        let name = match name.split_at_checked(7) {
            Some((tag, rest)) if tag[6] == b'+' && tag[..6].iter().all(u8::is_ascii_uppercase) => {
                rest
            }
            _ => name,
        };
        let name: String = std::str::from_utf8(name)
            .ok()?
            .chars()
            .filter(|&c| c != ' ')
            .collect();
        let (rest, family) = FAMILIES
            .iter()
            .find_map(|&(family, font)| Some((name.strip_prefix(family)?, font)))?;
        // `TimesNewRomanPS`, `ArialMT`, `TimesNewRomanPSMT,Bold`, `Arial-BoldMT`.
        let rest = rest.strip_prefix("PS").unwrap_or(rest);
        let rest = rest.strip_prefix("MT").unwrap_or(rest);
        let rest = rest.strip_prefix([',', '-']).unwrap_or(rest);
        let rest = rest.strip_suffix("MT").unwrap_or(rest);
        let (bold, italic) = match rest.to_ascii_lowercase().as_str() {
            "" | "roman" | "regular" | "normal" | "book" => (false, false),
            "bold" => (true, false),
            "italic" | "oblique" => (false, true),
            "bolditalic" | "boldoblique" | "italicbold" | "obliquebold" => (true, true),
            _ => return None,
        };
        Some(match (family, bold, italic) {
            (StandardFont::Helvetica, false, false) => StandardFont::Helvetica,
            (StandardFont::Helvetica, true, false) => StandardFont::HelveticaBold,
            (StandardFont::Helvetica, false, true) => StandardFont::HelveticaOblique,
            (StandardFont::Helvetica, true, true) => StandardFont::HelveticaBoldOblique,
            (StandardFont::TimesRoman, false, false) => StandardFont::TimesRoman,
            (StandardFont::TimesRoman, true, false) => StandardFont::TimesBold,
            (StandardFont::TimesRoman, false, true) => StandardFont::TimesItalic,
            (StandardFont::TimesRoman, true, true) => StandardFont::TimesBoldItalic,
            (StandardFont::Courier, false, false) => StandardFont::Courier,
            (StandardFont::Courier, true, false) => StandardFont::CourierBold,
            (StandardFont::Courier, false, true) => StandardFont::CourierOblique,
            (StandardFont::Courier, true, true) => StandardFont::CourierBoldOblique,
            (font, _, _) => font,
        })
    }

    /// The font's built-in encoding: Symbol and `ZapfDingbats` their own, the others
    /// `StandardEncoding`.
    pub fn encoding(self) -> BaseEncoding {
        match self {
            StandardFont::Symbol => BaseEncoding::Symbol,
            StandardFont::ZapfDingbats => BaseEncoding::ZapfDingbats,
            _ => BaseEncoding::Standard,
        }
    }

    /// The advance width (in 1000 units to the em) of the glyph `name`, from the font's AFM
    /// metrics. Courier is monospaced: 600 for any name.
    pub fn width(self, name: &str) -> Option<u16> {
        let (glyphs, widths): (&[&str], &[u16]) = match self {
            StandardFont::Helvetica | StandardFont::HelveticaOblique => {
                (&LATIN_GLYPHS, &HELVETICA_WIDTHS)
            }
            StandardFont::HelveticaBold | StandardFont::HelveticaBoldOblique => {
                (&LATIN_GLYPHS, &HELVETICA_BOLD_WIDTHS)
            }
            StandardFont::TimesRoman => (&LATIN_GLYPHS, &TIMES_ROMAN_WIDTHS),
            StandardFont::TimesBold => (&LATIN_GLYPHS, &TIMES_BOLD_WIDTHS),
            StandardFont::TimesItalic => (&LATIN_GLYPHS, &TIMES_ITALIC_WIDTHS),
            StandardFont::TimesBoldItalic => (&LATIN_GLYPHS, &TIMES_BOLD_ITALIC_WIDTHS),
            StandardFont::Courier
            | StandardFont::CourierBold
            | StandardFont::CourierOblique
            | StandardFont::CourierBoldOblique => return Some(600),
            StandardFont::Symbol => (&SYMBOL_GLYPHS, &SYMBOL_WIDTHS),
            StandardFont::ZapfDingbats => (&ZAPF_DINGBATS_GLYPHS, &ZAPF_DINGBATS_WIDTHS),
        };
        let i = glyphs.binary_search(&name).ok()?;
        Some(widths[i])
    }
}
"""

TESTS = """\
#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str) -> Option<String> {
        unicode_of_name(name)
    }

    #[test]
    fn tables_are_sorted() {
        assert!(AGL.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(DINGBATS.windows(2).all(|w| w[0].0 < w[1].0));
        for glyphs in [&LATIN_GLYPHS[..], &SYMBOL_GLYPHS, &ZAPF_DINGBATS_GLYPHS] {
            assert!(glyphs.windows(2).all(|w| w[0] < w[1]));
        }
        assert_eq!(AGL.len(), {agl});
        assert_eq!(LATIN_GLYPHS.len(), {helvetica});
        assert_eq!(SYMBOL_GLYPHS.len(), {symbol});
        assert_eq!(ZAPF_DINGBATS_GLYPHS.len(), {zapf});
    }

    #[test]
    fn encodings() {
        let win = BaseEncoding::from_name(b"WinAnsiEncoding").unwrap();
        assert_eq!(win, BaseEncoding::WinAnsi);
        assert_eq!(win.glyph_name(0x80), Some("Euro"));
        assert_eq!(text("Euro").as_deref(), Some("\\u{20AC}"));
        assert_eq!(win.glyph_name(0x41), Some("A"));
        assert_eq!(win.glyph_name(0x27), Some("quotesingle"));
        assert_eq!(win.glyph_name(0xA0), Some("space"));
        assert_eq!(win.glyph_name(0x1F), None);
        let standard = BaseEncoding::from_name(b"StandardEncoding").unwrap();
        assert_eq!(standard.glyph_name(0x27), Some("quoteright"));
        assert_eq!(text("quoteright").as_deref(), Some("\\u{2019}"));
        assert_eq!(standard.glyph_name(0x60), Some("quoteleft"));
        assert_eq!(standard.glyph_name(0xAE), Some("fi"));
        assert_eq!(standard.glyph_name(0x80), None);
        let mac = BaseEncoding::from_name(b"MacRomanEncoding").unwrap();
        assert_eq!(mac.glyph_name(0x8A), Some("adieresis"));
        assert_eq!(mac.glyph_name(0xDB), Some("currency"));
        let pdf_doc = BaseEncoding::from_name(b"PDFDocEncoding").unwrap();
        assert_eq!(pdf_doc.glyph_name(0xA0), Some("Euro"));
        assert_eq!(pdf_doc.glyph_name(0x18), Some("breve"));
        assert_eq!(BaseEncoding::from_name(b"MacExpertEncoding"), None);
        assert_eq!(BaseEncoding::from_name(b"/WinAnsiEncoding"), None);
        assert_eq!(BaseEncoding::Symbol.glyph_name(0x61), Some("alpha"));
        assert_eq!(text("alpha").as_deref(), Some("\\u{3B1}"));
        assert_eq!(BaseEncoding::Symbol.glyph_name(0xD2), Some("registerserif"));
        assert_eq!(text("registerserif").as_deref(), Some("\\u{AE}"));
        assert_eq!(BaseEncoding::ZapfDingbats.glyph_name(0x34), Some("a20"));
        assert_eq!(unicode_of_dingbat("a20"), Some('\\u{2714}'));
        assert_eq!(unicode_of_dingbat("a0"), None);
        assert_eq!(unicode_of_dingbat("A"), None);
        for encoding in [
            BaseEncoding::Standard,
            BaseEncoding::WinAnsi,
            BaseEncoding::MacRoman,
            BaseEncoding::PdfDoc,
            BaseEncoding::Symbol,
        ] {
            assert_eq!(encoding.glyph_name(b'0'), Some("zero"));
            assert_eq!(encoding.glyph_name(b' '), Some("space"));
        }
    }

    #[test]
    fn glyph_names() {
        assert_eq!(text("A").as_deref(), Some("A"));
        assert_eq!(text("zero").as_deref(), Some("0"));
        assert_eq!(text("quotesingle").as_deref(), Some("'"));
        assert_eq!(text("backslash").as_deref(), Some("\\\\"));
        assert_eq!(text("uni4E2D").as_deref(), Some("\\u{4E2D}"));
        assert_eq!(text("uni00660069").as_deref(), Some("fi"));
        assert_eq!(text("uni4E2D.vert").as_deref(), Some("\\u{4E2D}"));
        assert_eq!(text("u1F600").as_deref(), Some("\\u{1F600}"));
        assert_eq!(text("u0041").as_deref(), Some("A"));
        assert_eq!(text("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(text("T_h.liga").as_deref(), Some("Th"));
        assert_eq!(text("uni0041_uni0042").as_deref(), Some("AB"));
        assert_eq!(text("one.oldstyle").as_deref(), Some("1"));
        assert_eq!(text("ff").as_deref(), Some("\\u{FB00}"));
        assert_eq!(text("Acyrillic").as_deref(), Some("\\u{410}"));
        assert_eq!(text("afii10017").as_deref(), Some("\\u{410}"));
        assert_eq!(text(".notdef"), None);
        assert_eq!(text(""), None);
        assert_eq!(text("foo"), None);
        assert_eq!(text("f_foo"), None);
        assert_eq!(text("f__i"), None);
        assert_eq!(text("uni4e2d"), None);
        assert_eq!(text("uniD800"), None);
        assert_eq!(text("uni4E2"), None);
        assert_eq!(text("uni"), None);
        assert_eq!(text("uD800"), None);
        assert_eq!(text("u110000"), None);
        assert_eq!(text("u12"), None);
        assert_eq!(text("u1234567"), None);
        assert_eq!(text("uFFFFFFFF"), None);
        assert_eq!(text("uni0041004"), None);
        assert_eq!(text("uni0041_xyzzy"), None);
        assert_eq!(text("Asmall"), None);
        assert_eq!(text("a20"), None);
    }

    #[test]
    fn widths() {
        assert_eq!(StandardFont::Helvetica.width("A"), Some(667));
        assert_eq!(StandardFont::HelveticaOblique.width("A"), Some(667));
        assert_eq!(StandardFont::TimesRoman.width("A"), Some(722));
        assert_eq!(StandardFont::HelveticaBold.width("zero"), Some(556));
        assert_eq!(StandardFont::TimesBold.width("A"), Some(722));
        assert_eq!(StandardFont::TimesItalic.width("A"), Some(611));
        assert_eq!(StandardFont::TimesBoldItalic.width("A"), Some(667));
        assert_eq!(StandardFont::Helvetica.width("space"), Some(278));
        assert_eq!(StandardFont::Courier.width("A"), Some(600));
        assert_eq!(StandardFont::CourierOblique.width("anything"), Some(600));
        assert_eq!(StandardFont::Symbol.width("alpha"), Some(631));
        assert_eq!(StandardFont::ZapfDingbats.width("a1"), Some(974));
        assert_eq!(StandardFont::Helvetica.width("uni4E2D"), None);
        assert_eq!(StandardFont::Helvetica.width("alpha"), None);
    }

    #[test]
    fn base_fonts() {
        use StandardFont as F;
        let font = StandardFont::from_base_font;
        assert_eq!(font(b"Helvetica"), Some(F::Helvetica));
        assert_eq!(
            font(b"Helvetica-BoldOblique"),
            Some(F::HelveticaBoldOblique)
        );
        assert_eq!(font(b"Times-Roman"), Some(F::TimesRoman));
        assert_eq!(font(b"Times-BoldItalic"), Some(F::TimesBoldItalic));
        assert_eq!(font(b"Courier-Oblique"), Some(F::CourierOblique));
        assert_eq!(font(b"Symbol"), Some(F::Symbol));
        assert_eq!(font(b"ZapfDingbats"), Some(F::ZapfDingbats));
        assert_eq!(font(b"ABCDEF+Helvetica"), Some(F::Helvetica));
        assert_eq!(font(b"ABCDEF+Arial,Bold"), Some(F::HelveticaBold));
        assert_eq!(font(b"Arial"), Some(F::Helvetica));
        assert_eq!(font(b"ArialMT"), Some(F::Helvetica));
        assert_eq!(font(b"Arial-BoldMT"), Some(F::HelveticaBold));
        assert_eq!(font(b"Arial-ItalicMT"), Some(F::HelveticaOblique));
        assert_eq!(font(b"Arial,BoldItalic"), Some(F::HelveticaBoldOblique));
        assert_eq!(font(b"TimesNewRoman"), Some(F::TimesRoman));
        assert_eq!(font(b"TimesNewRomanPSMT"), Some(F::TimesRoman));
        assert_eq!(font(b"Times New Roman,Bold"), Some(F::TimesBold));
        assert_eq!(font(b"TimesNewRomanPS-BoldMT"), Some(F::TimesBold));
        assert_eq!(font(b"TimesNewRomanPS-ItalicMT"), Some(F::TimesItalic));
        assert_eq!(
            font(b"TimesNewRomanPS-BoldItalicMT"),
            Some(F::TimesBoldItalic)
        );
        assert_eq!(font(b"CourierNew"), Some(F::Courier));
        assert_eq!(font(b"CourierNewPSMT"), Some(F::Courier));
        assert_eq!(font(b"CourierNewPS-BoldMT"), Some(F::CourierBold));
        assert_eq!(font(b"SymbolMT"), Some(F::Symbol));
        assert_eq!(font(b"Symbol,Bold"), Some(F::Symbol));
        assert_eq!(font(b"TimesNewRomanPSMT,Bold"), Some(F::TimesBold));
        let times = font(b"Times New Roman Bold Italic");
        assert_eq!(times, Some(F::TimesBoldItalic));
        assert_eq!(font(b"Helvetica-Narrow"), None);
        assert_eq!(font(b"TimesNewRomanPS-SemiboldMT"), None);
        assert_eq!(font(b"SimSun"), None);
        assert_eq!(font(b"ABCDEF+SimSun"), None);
        assert_eq!(font(b"Arial-Black"), None);
        assert_eq!(font(b"ArialNarrow"), None);
        assert_eq!(font(b"HelveticaNeue"), None);
        assert_eq!(font(b"abcdef+Arial"), None);
        assert_eq!(font(b""), None);
    }

    #[test]
    fn encodings_of_fonts() {
        assert_eq!(StandardFont::Helvetica.encoding(), BaseEncoding::Standard);
        assert_eq!(StandardFont::CourierBold.encoding(), BaseEncoding::Standard);
        assert_eq!(StandardFont::Symbol.encoding(), BaseEncoding::Symbol);
        let zapf = StandardFont::ZapfDingbats;
        assert_eq!(zapf.encoding(), BaseEncoding::ZapfDingbats);
    }
}
"""


def fill(template, **values):
    """`str.format` for templates full of Rust braces: only `{key}` for the given keys."""
    for key, value in values.items():
        template = template.replace("{%s}" % key, str(value))
    return template


def main():
    agl_entries = agl_table()
    dingbats = dingbat_table()
    widths, sizes = width_tables()

    agl_names = len(agl_entries) - len(SYMBOL_VARIANTS)
    parts = [fill(HEADER, agl=agl_names, licence=agl_licence())]
    parts.append(
        fill(
            API,
            variants="\n".join("    %s," % v for v, _, _, _ in ENCODINGS),
            from_name="\n".join(
                '            b"%s" => Some(BaseEncoding::%s),' % (pdf, v)
                for v, _, _, pdf in ENCODINGS
                if pdf
            ),
            tables="\n".join(
                "            BaseEncoding::%s => &%s," % (v, rust) for v, _, rust, _ in ENCODINGS
            ),
        )
    )
    for _, source, rust, _ in ENCODINGS:
        parts.append(
            "/// `%s`: the glyph name of each code, empty for none.\n" % source
            + encoding_table(rust, _fontdata.encodings[source])
        )
    parts.append(
        "/// The Adobe Glyph List: glyph name and character, sorted by name.\n#[rustfmt::skip]\n"
        "static AGL: &[(&str, char)] = &[\n%s\n];\n"
        % packed("(%s, %s)" % (rust_str(n), rust_char(c)) for n, c in agl_entries)
    )
    parts.append(
        "/// The ITC Zapf Dingbats Glyph List: glyph name and character, sorted by name.\n"
        "#[rustfmt::skip]\nstatic DINGBATS: &[(&str, char)] = &[\n%s\n];\n"
        % packed("(%s, %s)" % (rust_str(n), rust_char(c)) for n, c in dingbats)
    )
    parts.append(widths)
    parts.append(
        fill(
            TESTS,
            agl=len(agl_entries),
            helvetica=sizes["Helvetica"],
            symbol=sizes["Symbol"],
            zapf=sizes["ZapfDingbats"],
        )
    )
    text = "\n".join(parts)
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    print(
        "wrote %s: %d bytes, %d AGL names, %d dingbats, widths %s"
        % (OUT, len(text.encode()), len(agl_entries), len(dingbats), sizes)
    )


if __name__ == "__main__":
    main()
