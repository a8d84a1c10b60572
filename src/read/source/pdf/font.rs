//! A page's fonts as reading text needs them: for each code a string shows, how many bytes it
//! takes, its Unicode text and its advance. Glyph outlines are never needed, so no font
//! program is parsed: the text comes from the font's `ToUnicode` map, else from its encoding's
//! glyph names (simple fonts) or the predefined CMaps of its character collection (composite
//! fonts); the advances from `Widths` and `W`, else the standard 14 fonts' metrics.
//!
//! A code whose text none of these give stays unknown (counted as unmapped) rather than
//! guessed: a symbolic font's codes without an encoding name nothing, and a composite font
//! with an embedded program and the identity encoding numbers its glyphs, not characters.

use std::collections::HashMap;
use std::rc::Rc;

use hayro_cmap::{BfString, CMap, CMapName, CidFamily, WritingMode};
use hayro_syntax::object::{Array, Dict, Name, Object, ObjectIdentifier, Stream};

use super::marks::assumed_advance;
use super::tables::{BaseEncoding, StandardFont, unicode_of_dingbat, unicode_of_name};

/// One code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// Its text, when the font tells it.
    pub text: Option<String>,
    /// Its advance along the line, in text space at font size 1 (a width of 500 is 0.5).
    pub advance: f64,
    /// The single-byte code 32, to which word spacing applies.
    pub space: bool,
}

/// A font as loaded from its dictionary.
#[derive(Debug)]
pub struct Font {
    to_unicode: Option<CMap>,
    /// Glyph-space units to text space: 1/1000, or a Type 3 font's matrix.
    scale: f64,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// One byte a code: its glyph's text (from the encoding) and its width.
    Simple {
        names: Box<[Option<String>; 256]>,
        widths: Box<[Option<f64>; 256]>,
    },
    /// One to four bytes a code, mapped to CIDs by the encoding CMap.
    Composite {
        encoding: Rc<CMap>,
        widths: HashMap<u32, f64>,
        default_width: f64,
        /// The character collection's CID-to-Unicode map, where CIDs are characters.
        ucs2: Option<Rc<CMap>>,
        vertical: bool,
        vertical_advance: f64,
    },
}

/// Fonts and predefined CMaps already loaded, for every page of a document.
#[derive(Default)]
pub struct Fonts {
    fonts: HashMap<FontKey, Rc<Font>>,
    cmaps: HashMap<Vec<u8>, Option<Rc<CMap>>>,
}

/// A font dictionary: its object, or its bytes where it is written inside the resources.
#[derive(Debug, PartialEq, Eq, Hash)]
enum FontKey {
    Object(ObjectIdentifier),
    Direct(Vec<u8>),
}

impl Fonts {
    /// The font `dict`, loaded once per document (a stream selecting a font a million times
    /// parses its maps once).
    pub fn get(&mut self, dict: &Dict<'_>) -> Rc<Font> {
        let key = match dict.obj_id() {
            Some(id) => FontKey::Object(id),
            None => FontKey::Direct(dict.data().to_vec()),
        };
        if let Some(font) = self.fonts.get(&key) {
            return font.clone();
        }
        let font = Rc::new(Font::load(dict, self));
        self.fonts.insert(key, font.clone());
        font
    }

    /// A predefined CMap by name (`UniGB-UCS2-H`, `Adobe-GB1-UCS2`), parsed once.
    fn predefined(&mut self, name: &[u8]) -> Option<Rc<CMap>> {
        if let Some(cmap) = self.cmaps.get(name) {
            return cmap.clone();
        }
        let cmap = hayro_cmap::load_embedded(CMapName::from_bytes(name))
            .and_then(parse_cmap)
            .map(Rc::new);
        self.cmaps.insert(name.to_vec(), cmap.clone());
        cmap
    }
}

impl Font {
    /// Loads a font dictionary; what is missing or damaged leaves codes unknown, never fails.
    fn load(dict: &Dict<'_>, fonts: &mut Fonts) -> Font {
        let to_unicode = dict
            .get::<Stream<'_>>(b"ToUnicode")
            .and_then(|s| s.decoded_data().ok())
            .and_then(|data| parse_cmap(&data));
        let subtype = dict.get::<Name<'_>>(b"Subtype");
        if subtype.as_deref() == Some(b"Type0".as_slice()) {
            return Font {
                to_unicode,
                scale: 0.001,
                kind: composite(dict, fonts),
            };
        }
        let scale = if subtype.as_deref() == Some(b"Type3".as_slice()) {
            dict.get::<Array<'_>>(b"FontMatrix")
                .and_then(|m| m.iter::<f64>().next())
                .filter(|a| a.is_finite() && *a != 0.0)
                .unwrap_or(0.001)
        } else {
            0.001
        };
        Font {
            to_unicode,
            scale,
            kind: simple(dict),
        }
    }

    /// True for a font that writes downwards (a `-V` CMap).
    pub fn vertical(&self) -> bool {
        matches!(self.kind, Kind::Composite { vertical: true, .. })
    }

    /// The codes of a shown string, in order.
    pub fn codes(&self, bytes: &[u8]) -> Vec<Code> {
        let mut codes = Vec::with_capacity(bytes.len());
        let mut at = 0;
        while at < bytes.len() {
            let (code, len) = self.read_code(&bytes[at..]);
            at += len;
            let text = self.text(code);
            // A simple font without widths (invalid, yet printed): as the glyph boxes assume.
            let advance = self.width(code).map_or_else(
                || assumed_advance(text.as_deref().unwrap_or_default()),
                |w| w * self.scale,
            );
            codes.push(Code {
                text,
                advance,
                space: code == 32 && len == 1,
            });
        }
        codes
    }

    /// The code at the start of `bytes` and its length.
    fn read_code(&self, bytes: &[u8]) -> (u32, usize) {
        let Kind::Composite { encoding, .. } = &self.kind else {
            return (u32::from(bytes[0]), 1);
        };
        let mut code = 0u32;
        for (n, byte) in bytes.iter().take(4).enumerate() {
            code = (code << 8) | u32::from(*byte);
            if encoding.lookup_cid_code(code, n as u8 + 1).is_some() {
                return (code, n + 1);
            }
        }
        (u32::from(bytes[0]), 1)
    }

    fn text(&self, code: u32) -> Option<String> {
        let bf = |b: BfString| match b {
            BfString::Char(c) => c.to_string(),
            BfString::String(s) => s,
        };
        // Some writers map codes to U+0000: the glyph name or collection says more.
        if let Some(text) = self
            .to_unicode
            .as_ref()
            .and_then(|m| m.lookup_bf_string(code))
            .filter(|t| *t != BfString::Char('\0'))
        {
            return Some(bf(text));
        }
        match &self.kind {
            Kind::Simple { names, .. } => names[code as usize & 0xFF].clone(),
            Kind::Composite { encoding, ucs2, .. } => {
                let cid = cid(encoding, code)?;
                ucs2.as_ref()?.lookup_bf_string(cid).map(bf)
            }
        }
    }

    /// The width of `code` in glyph space (1000 to the em for all but Type 3 fonts), if the
    /// font gives it.
    fn width(&self, code: u32) -> Option<f64> {
        match &self.kind {
            Kind::Simple { widths, .. } => widths[code as usize & 0xFF],
            Kind::Composite {
                vertical: true,
                vertical_advance,
                ..
            } => Some(*vertical_advance),
            Kind::Composite {
                encoding,
                widths,
                default_width,
                ..
            } => Some(
                cid(encoding, code)
                    .and_then(|cid| widths.get(&cid).copied())
                    .unwrap_or(*default_width),
            ),
        }
    }
}

/// A CMap (a `ToUnicode` map, an embedded or a predefined encoding), the predefined CMaps it
/// names with `usecmap` built in.
fn parse_cmap(data: &[u8]) -> Option<CMap> {
    CMap::parse(data, hayro_cmap::load_embedded)
}

/// The CID of `code` under `encoding`, trying the code's lengths in turn.
fn cid(encoding: &CMap, code: u32) -> Option<u32> {
    (1..=4).find_map(|len| encoding.lookup_cid_code(code, len))
}

/// A Type 0 font: its CMap, its descendant's widths and, where the CIDs are a predefined
/// collection's characters, that collection's Unicode map.
fn composite(dict: &Dict<'_>, fonts: &mut Fonts) -> Kind {
    let (encoding, identity) = match dict.get::<Object<'_>>(b"Encoding") {
        Some(Object::Name(name)) if &*name == b"Identity-V" => (Rc::new(CMap::identity_v()), true),
        Some(Object::Name(name)) if &*name != b"Identity-H" => match fonts.predefined(&name) {
            Some(cmap) => (cmap, false),
            None => (Rc::new(CMap::identity_h()), true),
        },
        Some(Object::Stream(stream)) => match stream
            .decoded_data()
            .ok()
            .and_then(|data| parse_cmap(&data))
        {
            Some(cmap) => {
                let identity = cmap
                    .metadata()
                    .character_collection
                    .as_ref()
                    .is_none_or(|c| c.family == CidFamily::AdobeIdentity);
                (Rc::new(cmap), identity)
            }
            None => (Rc::new(CMap::identity_h()), true),
        },
        _ => (Rc::new(CMap::identity_h()), true),
    };
    let vertical = encoding.metadata().writing_mode == Some(WritingMode::Vertical);
    let descendant = dict
        .get::<Array<'_>>(b"DescendantFonts")
        .and_then(|a| a.iter::<Dict<'_>>().next())
        .unwrap_or_default();
    let family = encoding
        .metadata()
        .character_collection
        .as_ref()
        .map(|c| c.family.clone())
        .filter(|f| *f != CidFamily::AdobeIdentity)
        .or_else(|| {
            let info = descendant.get::<Dict<'_>>(b"CIDSystemInfo")?;
            let registry = info.get::<hayro_syntax::object::String<'_>>(b"Registry")?;
            let ordering = info.get::<hayro_syntax::object::String<'_>>(b"Ordering")?;
            Some(CidFamily::from_registry_ordering(
                registry.as_bytes(),
                ordering.as_bytes(),
            ))
        });
    // With the identity encoding and an embedded program, CIDs are usually glyph numbers,
    // whatever the CIDSystemInfo says.
    let embedded = descendant
        .get::<Dict<'_>>(b"FontDescriptor")
        .is_some_and(|d| has_program(&d));
    let ucs2 = if identity && embedded {
        None
    } else {
        family
            .and_then(|f| f.ucs2_cmap())
            .and_then(|name| fonts.predefined(name.to_bytes()))
    };
    let vertical_advance = descendant
        .get::<Array<'_>>(b"DW2")
        .and_then(|a| a.iter::<f64>().nth(1))
        .map_or(1000.0, |v| -v);
    Kind::Composite {
        encoding,
        widths: descendant
            .get::<Array<'_>>(b"W")
            .map(|w| cid_widths(&w))
            .unwrap_or_default(),
        default_width: descendant.get::<f64>(b"DW").unwrap_or(1000.0),
        ucs2,
        vertical,
        vertical_advance,
    }
}

/// True for a font descriptor that embeds the font's program.
fn has_program(descriptor: &Dict<'_>) -> bool {
    [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
        .iter()
        .any(|k| descriptor.contains_key(k))
}

/// A `W` array: `c [w1 w2 …]` gives CIDs c, c+1, … their widths, `c1 c2 w` one width to all
/// of c1..=c2. CIDs are 16-bit; past [`MAX_WIDTHS`] entries the array is damage, not widths.
fn cid_widths(w: &Array<'_>) -> HashMap<u32, f64> {
    const MAX_CID: u32 = 0xFFFF;
    const MAX_WIDTHS: usize = 1 << 20;
    let mut widths = HashMap::new();
    let mut written = 0usize;
    let items: Vec<Object<'_>> = w.iter::<Object<'_>>().collect();
    let number = |o: &Object<'_>| match o {
        Object::Number(n) => Some(n.as_f64()),
        _ => None,
    };
    let mut i = 0;
    while i < items.len() {
        let Some(first) = number(&items[i]).filter(|f| (0.0..=f64::from(MAX_CID)).contains(f))
        else {
            break;
        };
        let first = first as u32;
        match items.get(i + 1) {
            Some(Object::Array(list)) => {
                for (cid, width) in (first..=MAX_CID).zip(list.iter::<f64>()) {
                    widths.insert(cid, width);
                    written += 1;
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (number(last), items.get(i + 2).and_then(number))
                else {
                    break;
                };
                let last = last.clamp(0.0, f64::from(MAX_CID)) as u32;
                for cid in first..=last {
                    widths.insert(cid, width);
                    written += 1;
                }
                i += 3;
            }
            None => break,
        }
        if written > MAX_WIDTHS {
            break;
        }
    }
    widths
}

/// A simple font (Type 1, TrueType, Type 3): each code's glyph name from the encoding, and
/// its width from `Widths`, else the standard font's metrics.
fn simple(dict: &Dict<'_>) -> Kind {
    let standard = dict
        .get::<Name<'_>>(b"BaseFont")
        .and_then(|n| StandardFont::from_base_font(&n));
    let descriptor = dict.get::<Dict<'_>>(b"FontDescriptor").unwrap_or_default();
    // Flags bit 3: symbolic; bit 6: nonsymbolic.
    let flags = descriptor.get::<u32>(b"Flags").unwrap_or(0);
    let symbolic = flags & 4 != 0 && flags & 32 == 0;
    let encoding = dict.get::<Object<'_>>(b"Encoding");
    let base = match &encoding {
        Some(Object::Name(name)) => BaseEncoding::from_name(name),
        Some(Object::Dict(d)) => d
            .get::<Name<'_>>(b"BaseEncoding")
            .and_then(|n| BaseEncoding::from_name(&n)),
        _ => None,
    };
    // Without a base encoding, a Type 1 program's own encoding, or a symbolic TrueType
    // program's codes, name the glyphs; else the standard font's, else StandardEncoding. A
    // symbolic font whose program says nothing leaves its codes unknown.
    let builtin = match base {
        Some(_) => None,
        None => builtin_names(&descriptor, symbolic),
    };
    let mut glyphs: [Option<String>; 256] = match builtin {
        Some(names) => names,
        None => {
            let base = base.or(match standard {
                Some(font) => Some(font.encoding()),
                None if symbolic => None,
                None => Some(BaseEncoding::Standard),
            });
            std::array::from_fn(|code| {
                base.and_then(|b| b.glyph_name(code as u8))
                    .map(str::to_string)
            })
        }
    };
    let mut names: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|_| None));
    if let Some(Object::Dict(d)) = &encoding
        && let Some(differences) = d.get::<Array<'_>>(b"Differences")
    {
        apply_differences(&differences, &mut glyphs);
    }
    // ZapfDingbats names its glyphs `a1`…`a206`, which mean something only in it.
    let dingbats = standard == Some(StandardFont::ZapfDingbats);
    for (text, glyph) in names.iter_mut().zip(&glyphs) {
        *text = glyph.as_deref().and_then(|g| {
            let dingbat = dingbats.then(|| unicode_of_dingbat(g)).flatten();
            dingbat.map(String::from).or_else(|| unicode_of_name(g))
        });
    }
    let widths = simple_widths(dict, &descriptor, standard, &glyphs);
    Kind::Simple { names, widths }
}

/// The glyph names an embedded program gives its codes: a CFF (`FontFile3`) or Type 1
/// (`FontFile`) program's built-in encoding; a symbolic TrueType program's (3,0) or (1,0)
/// `cmap` and its glyph names. None when there is no program or it says nothing.
fn builtin_names(descriptor: &Dict<'_>, symbolic: bool) -> Option<[Option<String>; 256]> {
    let mut names: [Option<String>; 256] = std::array::from_fn(|_| None);
    if let Some(program) = descriptor.get::<Stream<'_>>(b"FontFile3") {
        let data = program.decoded_data().ok()?;
        let cff = ttf_parser::cff::Table::parse(&data)?;
        for (code, name) in names.iter_mut().enumerate() {
            *name = cff
                .glyph_index(code as u8)
                .filter(|g| g.0 != 0)
                .and_then(|g| cff.glyph_name(g))
                .map(str::to_string);
        }
    } else if let Some(program) = descriptor.get::<Stream<'_>>(b"FontFile") {
        type1_encoding(&program.decoded_data().ok()?, &mut names);
    } else if let Some(program) = descriptor.get::<Stream<'_>>(b"FontFile2")
        && symbolic
    {
        let data = program.decoded_data().ok()?;
        let face = ttf_parser::Face::parse(&data, 0).ok()?;
        let cmap = face.tables().cmap?;
        let subtables: Vec<_> = cmap.subtables.into_iter().collect();
        let find = |platform: u16, encoding: u16| {
            subtables
                .iter()
                .find(|t| t.platform_id as u16 == platform && t.encoding_id == encoding)
        };
        let (symbol, mac) = (find(3, 0), find(1, 0));
        for (code, name) in names.iter_mut().enumerate() {
            let code = code as u32;
            let glyph = symbol
                .and_then(|t| t.glyph_index(0xF000 | code).or_else(|| t.glyph_index(code)))
                .or_else(|| mac.and_then(|t| t.glyph_index(code)))
                .filter(|g| g.0 != 0);
            *name = glyph.and_then(|g| face.glyph_name(g)).map(str::to_string);
        }
    }
    names.iter().any(Option::is_some).then_some(names)
}

/// A Type 1 program's `/Encoding`, in its clear-text part: `dup 65 /A put` for each code
/// (`StandardEncoding def` leaves the names to the standard encoding: none here).
fn type1_encoding(program: &[u8], names: &mut [Option<String>; 256]) {
    let clear = program
        .windows(5)
        .position(|w| w == b"eexec")
        .map_or(program, |end| &program[..end]);
    let text = String::from_utf8_lossy(clear);
    let mut words = text.split_ascii_whitespace();
    while let Some(word) = words.next() {
        if word != "dup" {
            continue;
        }
        let (Some(code), Some(name), Some("put")) = (words.next(), words.next(), words.next())
        else {
            continue;
        };
        if let (Ok(code), Some(name)) = (code.parse::<u8>(), name.strip_prefix('/')) {
            names[usize::from(code)] = Some(name.to_string());
        }
    }
}

/// `Differences`: a code, then the glyph names of it and the codes after it, and so on.
fn apply_differences(differences: &Array<'_>, glyphs: &mut [Option<String>; 256]) {
    let mut code: Option<usize> = None;
    for item in differences.iter::<Object<'_>>() {
        match item {
            Object::Number(n) => {
                let n = n.as_f64();
                code = (0.0..256.0).contains(&n).then_some(n as usize);
            }
            Object::Name(name) => {
                if let Some(c) = code {
                    glyphs[c] = Some(name.as_str().to_string());
                    code = (c < 255).then_some(c + 1);
                }
            }
            _ => {}
        }
    }
}

fn simple_widths(
    dict: &Dict<'_>,
    descriptor: &Dict<'_>,
    standard: Option<StandardFont>,
    glyphs: &[Option<String>; 256],
) -> Box<[Option<f64>; 256]> {
    let mut widths: Box<[Option<f64>; 256]> = Box::new([None; 256]);
    if let Some(font) = standard {
        for (width, glyph) in widths.iter_mut().zip(glyphs) {
            *width = glyph.as_deref().and_then(|g| font.width(g)).map(f64::from);
        }
    }
    let missing = descriptor.get::<f64>(b"MissingWidth").filter(|w| *w > 0.0);
    if let Some(list) = dict.get::<Array<'_>>(b"Widths") {
        let first = dict.get::<u32>(b"FirstChar").unwrap_or(0) as usize;
        for (k, width) in list.iter::<f64>().enumerate() {
            if let Some(slot) = widths.get_mut(first + k) {
                *slot = Some(width);
            }
        }
        if let Some(missing) = missing {
            for slot in widths.iter_mut().filter(|w| w.is_none()) {
                *slot = Some(missing);
            }
        }
    }
    widths
}
