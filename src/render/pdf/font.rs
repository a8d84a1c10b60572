//! The bundled faces in a PDF: each document embeds, per face it uses, a Type 0 font with
//! Identity-H encoding over a CIDFontType0 whose program is the CFF subset of exactly the
//! glyphs shown ([`super::cff`]), its `/W` widths and a `/ToUnicode` CMap, so text extracts
//! and searches as written.
//!
//! Text is shown by CID (two bytes per character). The faces are parsed once per process;
//! per document only the used glyphs are copied.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::cff::Cff;
use crate::error::FontFault;
use crate::fonts::{self, Metrics};

/// One bundled face, ready to embed.
pub(super) struct Face {
    cff: Cff<'static>,
    metrics: &'static Metrics,
    /// The PostScript name, e.g. `NotoSerifCJKsc-Regular`.
    ps_name: String,
    /// The font bounding box and cap height, in thousandths of an em.
    bbox: [i64; 4],
    cap_height: i64,
}

impl Face {
    fn load(bytes: &'static [u8], bold: bool) -> Result<Face, FontFault> {
        let face = ttf_parser::Face::parse(bytes, 0).map_err(FontFault::Face)?;
        let table = face
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .ok_or(FontFault::NoCffTable)?;
        let upem = f64::from(face.units_per_em());
        let scale = |v: i16| (f64::from(v) * 1000.0 / upem).round() as i64;
        let b = face.global_bounding_box();
        let ps_name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .ok_or(FontFault::NoPostScriptName)?;
        Ok(Face {
            cff: Cff::parse(table)?,
            metrics: fonts::metrics(bold),
            ps_name,
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max].map(scale),
            cap_height: face.capital_height().map_or(733, scale),
        })
    }

    /// The regular or the bold face, parsed on first use and shared by every thread.
    pub(super) fn get(bold: bool) -> Result<&'static Face, FontFault> {
        static REGULAR: OnceLock<Result<Face, FontFault>> = OnceLock::new();
        static BOLD: OnceLock<Result<Face, FontFault>> = OnceLock::new();
        let slot = if bold { &BOLD } else { &REGULAR };
        slot.get_or_init(|| Face::load(if bold { fonts::BOLD } else { fonts::REGULAR }, bold))
            .as_ref()
            .map_err(|e| *e)
    }

    /// The CIDs that show `text`, noting each glyph in `used`; a character the face lacks is
    /// CID 0 (`.notdef`, drawn as an empty box).
    pub(super) fn encode(&self, text: &str, used: &mut Used) -> Vec<u16> {
        text.chars()
            .map(|c| {
                let cid = self.cff.cid(self.metrics.glyph(c));
                if cid != 0 {
                    used.glyphs
                        .entry(cid)
                        .or_insert((c, self.metrics.advance(c)));
                }
                cid
            })
            .collect()
    }

    /// Adds the font objects for the glyphs in `used` to `doc`, named `tag+PostScript name`;
    /// returns the Type 0 font's id.
    pub(super) fn embed(
        &self,
        doc: &mut lopdf::Document,
        used: &Used,
        tag: &str,
    ) -> Result<ObjectId, FontFault> {
        let name = format!("{tag}+{}", self.ps_name);
        let program = self.cff.subset(used.glyphs.keys().copied())?;
        let mut file = Stream::new(
            Dictionary::from_iter([("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]),
            program,
        );
        file.allows_compression = true;
        let file = doc.add_object(file);
        let descriptor = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"FontDescriptor".to_vec())),
            ("FontName", Object::Name(name.clone().into_bytes())),
            // Symbolic (not the standard Latin set) and serif.
            ("Flags", Object::Integer(6)),
            (
                "FontBBox",
                Object::Array(self.bbox.iter().map(|&v| Object::Integer(v)).collect()),
            ),
            ("ItalicAngle", Object::Integer(0)),
            (
                "Ascent",
                Object::Integer(self.metrics.ascender.round() as i64),
            ),
            (
                "Descent",
                Object::Integer(self.metrics.descender.round() as i64),
            ),
            ("CapHeight", Object::Integer(self.cap_height)),
            ("StemV", Object::Integer(80)),
            ("FontFile3", Object::Reference(file)),
        ]));
        let cid_font = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"CIDFontType0".to_vec())),
            ("BaseFont", Object::Name(name.clone().into_bytes())),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter([
                    ("Registry", Object::string_literal("Adobe")),
                    ("Ordering", Object::string_literal("Identity")),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("FontDescriptor", Object::Reference(descriptor)),
            ("DW", Object::Integer(i64::from(DEFAULT_WIDTH))),
            ("W", Object::Array(used.widths())),
        ]));
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), used.to_unicode()));
        Ok(doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type0".to_vec())),
            ("BaseFont", Object::Name(name.into_bytes())),
            ("Encoding", Object::Name(b"Identity-H".to_vec())),
            (
                "DescendantFonts",
                Object::Array(vec![Object::Reference(cid_font)]),
            ),
            ("ToUnicode", Object::Reference(to_unicode)),
        ])))
    }
}

/// The width of a glyph not listed in `/W` (and of `.notdef`): one em, as layout measures a
/// character the font lacks.
const DEFAULT_WIDTH: u16 = 1000;

/// The glyphs one document shows with one face: CID → (the first character shown with it,
/// its advance).
#[derive(Debug, Default)]
pub(super) struct Used {
    glyphs: BTreeMap<u16, (char, Option<u16>)>,
}

impl Used {
    pub(super) fn is_empty(&self) -> bool {
        self.glyphs.is_empty()
    }

    /// The CIDs in use, as bytes: what a subset tag is made from.
    pub(super) fn key(&self) -> Vec<u8> {
        self.glyphs.keys().flat_map(|c| c.to_be_bytes()).collect()
    }

    /// `/W`: the widths other than one em, as runs of consecutive CIDs (`c [w1 w2 …]`).
    fn widths(&self) -> Vec<Object> {
        let mut out = Vec::new();
        let mut run: Option<(u16, Vec<Object>)> = None;
        for (&cid, &(_, advance)) in &self.glyphs {
            let width = advance.unwrap_or(DEFAULT_WIDTH);
            if width == DEFAULT_WIDTH {
                continue;
            }
            match &mut run {
                Some((first, widths)) if usize::from(*first) + widths.len() == usize::from(cid) => {
                    widths.push(Object::Integer(i64::from(width)));
                }
                _ => {
                    if let Some((first, widths)) = run.take() {
                        out.extend([Object::Integer(i64::from(first)), Object::Array(widths)]);
                    }
                    run = Some((cid, vec![Object::Integer(i64::from(width))]));
                }
            }
        }
        if let Some((first, widths)) = run {
            out.extend([Object::Integer(i64::from(first)), Object::Array(widths)]);
        }
        out
    }

    /// The `/ToUnicode` CMap: each CID to the character it was shown for.
    fn to_unicode(&self) -> Vec<u8> {
        let mut cmap = String::from(concat!(
            "/CIDInit /ProcSet findresource begin\n",
            "12 dict begin\n",
            "begincmap\n",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n",
            "/CMapName /Adobe-Identity-UCS def\n",
            "/CMapType 2 def\n",
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        ));
        let entries: Vec<(u16, char)> = self.glyphs.iter().map(|(&g, &(c, _))| (g, c)).collect();
        // At most 100 mappings per block, as the CMap format asks.
        for block in entries.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", block.len());
            for &(cid, c) in block {
                let _ = write!(cmap, "<{cid:04X}> <");
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(cmap, "{unit:04X}");
                }
                cmap.push_str(">\n");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str(concat!(
            "endcmap\n",
            "CMapName currentdict /CMap defineresource pop\n",
            "end\n",
            "end\n",
        ));
        cmap.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_list_only_what_is_not_one_em_in_runs() {
        let face = Face::get(false).unwrap();
        let mut used = Used::default();
        let cids = face.encode("中01A中≒", &mut used);
        assert_eq!(cids.len(), 6);
        assert_eq!(cids[5], 0, "≒ is not in the font");
        // 中 is one em: not listed; 0 and 1 are consecutive CIDs, A is not next to them.
        let w = used.widths();
        let zero = i64::from(cids[1]);
        assert_eq!(w[0], Object::Integer(zero));
        let one = i64::from(face.metrics.advance('1').unwrap());
        assert_eq!(
            w[1],
            Object::Array(vec![Object::Integer(557), Object::Integer(one)])
        );
        assert_eq!(w[2], Object::Integer(i64::from(cids[3])));
        assert_eq!(w[3], Object::Array(vec![Object::Integer(718)]));
        assert_eq!(w.len(), 4);
    }

    #[test]
    fn to_unicode_maps_each_cid_to_its_character() {
        let face = Face::get(true).unwrap();
        let mut used = Used::default();
        let cids = face.encode("得分％", &mut used);
        let cmap = String::from_utf8(used.to_unicode()).unwrap();
        assert!(cmap.contains("3 beginbfchar"), "{cmap}");
        assert!(
            cmap.contains(&format!("<{:04X}> <5F97>", cids[0])),
            "{cmap}"
        );
        assert!(
            cmap.contains(&format!("<{:04X}> <FF05>", cids[2])),
            "{cmap}"
        );
        assert_eq!(face.ps_name, "NotoSerifCJKsc-Bold");
    }
}
