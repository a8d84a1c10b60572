//! The unit's seal and the digital signature in a PDF.
//!
//! The seal is an image XObject with a soft mask (its transparency), drawn on the seal spot's
//! page, or, in a signed document, inside the signature's appearance. The signature is an
//! AcroForm `/Sig` field whose widget covers the seal spot, and a signature dictionary
//! (PAdES baseline B-B: `/SubFilter /ETSI.CAdES.detached`, `/M` in +08:00). lopdf writes the
//! document with its object streams; the signature dictionary, which must stay uncompressed
//! at a known place, follows as an incremental update that the signature covers too: its
//! `/ByteRange` is the whole file but the `/Contents` hole, patched once the file is complete,
//! and the CMS signature of those bytes is written into the hole.

use std::fmt::Write as _;

use lopdf::{Dictionary, Object, ObjectId, Stream};
use sha2::{Digest as _, Sha256};

use super::number::round;
use crate::error::RenderProblem;
use crate::sign::Signer;

fn name(text: &str) -> Object {
    Object::Name(text.as_bytes().to_vec())
}

fn rect_object(rect: [f32; 4]) -> Object {
    Object::Array(rect.iter().map(|&v| Object::Real(v)).collect())
}

/// The seal image (and its soft mask, when it has transparency); returns the image's id.
pub(super) fn add_seal_image(doc: &mut lopdf::Document, seal: &crate::sign::Seal) -> ObjectId {
    let image = |colour: &str, data: &[u8]| {
        let mut stream = Stream::new(
            Dictionary::from_iter([
                ("Type", name("XObject")),
                ("Subtype", name("Image")),
                ("Width", Object::Integer(i64::from(seal.width()))),
                ("Height", Object::Integer(i64::from(seal.height()))),
                ("ColorSpace", name(colour)),
                ("BitsPerComponent", Object::Integer(8)),
                ("Filter", name("FlateDecode")),
            ]),
            data.to_vec(),
        );
        // Deflated once per run, when the seal was read.
        stream.allows_compression = false;
        stream
    };
    let mut rgb = image("DeviceRGB", seal.rgb());
    if let Some(alpha) = seal.alpha() {
        let mask = doc.add_object(image("DeviceGray", alpha));
        rgb.dict.set("SMask", Object::Reference(mask));
    }
    doc.add_object(rgb)
}

/// The operators drawing the image `/Seal` (`pixels` = width × height) as large as fits,
/// centred, in the square (x0, y0, x1, y1).
fn seal_ops(rect: [f32; 4], pixels: (u32, u32)) -> String {
    let side = rect[2] - rect[0];
    let (w, h) = (pixels.0.max(1) as f32, pixels.1.max(1) as f32);
    let scale = side / w.max(h);
    let (dw, dh) = (w * scale, h * scale);
    let (x, y) = (rect[0] + (side - dw) / 2.0, rect[1] + (side - dh) / 2.0);
    format!(
        "q {} 0 0 {} {} {} cm /Seal Do Q\n",
        round(dw),
        round(dh),
        round(x),
        round(y)
    )
}

/// The page's resources dictionary, for changing (the shared one when it is a reference).
fn resources_mut(
    doc: &mut lopdf::Document,
    page: ObjectId,
) -> Result<&mut Dictionary, RenderProblem> {
    let missing = RenderProblem::missing("页面资源");
    let reference = doc
        .get_dictionary(page)
        .and_then(|p| p.get(b"Resources"))
        .map_err(&missing)?
        .as_reference()
        .ok();
    match reference {
        Some(id) => doc
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(missing),
        None => doc
            .get_object_mut(page)
            .and_then(Object::as_dict_mut)
            .and_then(|p| p.get_mut(b"Resources"))
            .and_then(Object::as_dict_mut)
            .map_err(missing),
    }
}

/// Draws the seal on the page, over everything else, in the square `rect`.
pub(super) fn draw_seal(
    doc: &mut lopdf::Document,
    page: ObjectId,
    rect: [f32; 4],
    image: ObjectId,
    pixels: (u32, u32),
) -> Result<(), RenderProblem> {
    let resources = resources_mut(doc, page)?;
    match resources.get_mut(b"XObject") {
        Ok(Object::Dictionary(xobjects)) => xobjects.set("Seal", Object::Reference(image)),
        _ => resources.set(
            "XObject",
            Dictionary::from_iter([("Seal", Object::Reference(image))]),
        ),
    }
    let ops = doc.add_object(Stream::new(
        Dictionary::new(),
        seal_ops(rect, pixels).into_bytes(),
    ));
    let page = doc
        .get_object_mut(page)
        .and_then(Object::as_dict_mut)
        .map_err(RenderProblem::missing("页面"))?;
    let contents = match page.get(b"Contents") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    let mut contents = contents;
    contents.push(Object::Reference(ops));
    page.set("Contents", Object::Array(contents));
    Ok(())
}

/// Adds the signature field on `page` over `rect`: its appearance shows the seal `image` and
/// over it `text` (the content drawing the signature's lines with font `F0` of `fonts`); the
/// catalog gets the AcroForm and the PAdES extension. Returns the id reserved for the
/// signature dictionary, written by [`sign`].
pub(super) fn add_signature_field(
    doc: &mut lopdf::Document,
    page: ObjectId,
    rect: [f32; 4],
    text: &str,
    fonts: &Dictionary,
    image: Option<(ObjectId, (u32, u32))>,
) -> Result<ObjectId, RenderProblem> {
    let side = rect[2] - rect[0];
    let mut ops = String::new();
    let mut resources = Dictionary::from_iter([("Font", Object::Dictionary(fonts.clone()))]);
    if let Some((image, pixels)) = image {
        ops.push_str(&seal_ops([0.0, 0.0, side, side], pixels));
        resources.set(
            "XObject",
            Dictionary::from_iter([("Seal", Object::Reference(image))]),
        );
    }
    // The signature's text over the seal, so that it stays legible.
    ops.push_str(text);
    let appearance = doc.add_object(Stream::new(
        Dictionary::from_iter([
            ("Type", name("XObject")),
            ("Subtype", name("Form")),
            ("BBox", rect_object([0.0, 0.0, side, side])),
            ("Resources", Object::Dictionary(resources)),
        ]),
        ops.into_bytes(),
    ));
    // Reserved: the dictionary itself is written after the document (see `sign`).
    let signature = doc.new_object_id();
    let field = doc.add_object(Dictionary::from_iter([
        ("Type", name("Annot")),
        ("Subtype", name("Widget")),
        ("FT", name("Sig")),
        ("T", Object::string_literal("Signature1")),
        // Print | Locked.
        ("F", Object::Integer(132)),
        ("Rect", rect_object(rect)),
        ("P", Object::Reference(page)),
        ("V", Object::Reference(signature)),
        (
            "AP",
            Object::Dictionary(Dictionary::from_iter([(
                "N",
                Object::Reference(appearance),
            )])),
        ),
    ]));
    let page_dict = doc
        .get_object_mut(page)
        .and_then(Object::as_dict_mut)
        .map_err(RenderProblem::missing("页面"))?;
    let mut annots = match page_dict.get(b"Annots") {
        Ok(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    annots.push(Object::Reference(field));
    page_dict.set("Annots", Object::Array(annots));
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(RenderProblem::missing("文档目录"))?;
    let catalog = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(RenderProblem::missing("文档目录"))?;
    catalog.set(
        "AcroForm",
        Dictionary::from_iter([
            ("Fields", Object::Array(vec![Object::Reference(field)])),
            // SignaturesExist | AppendOnly.
            ("SigFlags", Object::Integer(3)),
        ]),
    );
    catalog.set(
        "Extensions",
        Dictionary::from_iter([(
            "ESIC",
            Object::Dictionary(Dictionary::from_iter([
                ("BaseVersion", name("1.7")),
                ("ExtensionLevel", Object::Integer(1)),
            ])),
        )]),
    );
    Ok(signature)
}

/// The width reserved for the four numbers of `/ByteRange`.
const BYTE_RANGE_WIDTH: usize = 48;

fn hex_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2 + 2);
    out.push('<');
    for b in bytes {
        let _ = write!(out, "{b:02X}");
    }
    out.push('>');
    out
}

/// A PDF text string as hexadecimal UTF-16BE with a byte order mark.
fn text_hex(text: &str) -> String {
    let bytes: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    hex_string(&bytes)
}

/// The number after the last `startxref` of a PDF.
fn last_startxref(bytes: &[u8]) -> Option<usize> {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    std::str::from_utf8(&tail[at + 9..])
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// What the signature's update repeats of the document's trailer.
struct Repeated {
    /// `/Size`: the next object number.
    size: i64,
    /// `/Root` and `/Info`, as references (`1 0 R`).
    root: String,
    info: String,
    /// `/ID`, as hex strings.
    ids: String,
}

/// The entries of `trailer` that the signature's update repeats.
fn repeated(trailer: &Dictionary) -> Result<Repeated, RenderProblem> {
    let lacking = |key: &'static str| {
        move |e: lopdf::Error| RenderProblem::Trailer {
            key,
            source: Some(e),
        }
    };
    let size = trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .map_err(lacking("Size"))?;
    let reference = |key: &'static str| {
        trailer
            .get(key.as_bytes())
            .and_then(Object::as_reference)
            .map(|(n, g)| format!("{n} {g} R"))
            .map_err(lacking(key))
    };
    let (root, info) = (reference("Root")?, reference("Info")?);
    let ids = match trailer.get(b"ID") {
        Ok(Object::Array(ids)) => ids
            .iter()
            .filter_map(|i| i.as_str().ok().map(hex_string))
            .collect::<Vec<_>>()
            .join(""),
        _ => {
            return Err(RenderProblem::Trailer {
                key: "ID",
                source: None,
            });
        }
    };
    Ok(Repeated {
        size,
        root,
        info,
        ids,
    })
}

/// Appends the signature dictionary `id` to the finished document `bytes` (an incremental
/// update with its own cross-reference stream; `trailer` is the document's, for `/Root`,
/// `/Info` and `/ID`), then signs: `/ByteRange` covers everything but `/Contents`, whose
/// hole receives the CMS signature of those bytes by `signer`, dated `date` (`/M`).
pub(super) fn sign(
    mut bytes: Vec<u8>,
    trailer: &Dictionary,
    id: ObjectId,
    signer: &Signer,
    date: &str,
) -> Result<Vec<u8>, RenderProblem> {
    let prev = last_startxref(&bytes).ok_or(RenderProblem::NoXref)?;
    let Repeated {
        size,
        root,
        info,
        ids,
    } = repeated(trailer)?;

    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    let object_at = bytes.len();
    let reserved = signer.max_len();
    let head = format!(
        concat!(
            "{} {} obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached",
            "/Name{}/M({})/ByteRange["
        ),
        id.0,
        id.1,
        text_hex(signer.name()),
        date
    );
    bytes.extend_from_slice(head.as_bytes());
    let range_at = bytes.len();
    bytes.extend(std::iter::repeat_n(b' ', BYTE_RANGE_WIDTH));
    bytes.extend_from_slice(b"]/Contents");
    let hole_start = bytes.len();
    bytes.push(b'<');
    bytes.extend(std::iter::repeat_n(b'0', reserved * 2));
    bytes.push(b'>');
    let hole_end = bytes.len();
    bytes.extend_from_slice(b">>\nendobj\n");

    // The update's cross-reference stream: the signature dictionary and the stream itself.
    let xref_id = u32::try_from(size).map_err(|_| RenderProblem::TooLarge)?;
    let xref_at = bytes.len();
    let mut rows = Vec::with_capacity(14);
    for offset in [object_at, xref_at] {
        rows.push(1u8);
        rows.extend(
            u32::try_from(offset)
                .map_err(|_| RenderProblem::TooLarge)?
                .to_be_bytes(),
        );
        rows.extend(0u16.to_be_bytes());
    }
    let xref = format!(
        concat!(
            "{xref_id} 0 obj\n<</Type/XRef/Size {size}/W[1 4 2]/Index[{id} 1 {xref_id} 1]",
            "/Prev {prev}/Root {root}/Info {info}/ID[{ids}]/Length {len}>>stream\n"
        ),
        xref_id = xref_id,
        size = xref_id + 1,
        id = id.0,
        prev = prev,
        root = root,
        info = info,
        ids = ids,
        len = rows.len(),
    );
    bytes.extend_from_slice(xref.as_bytes());
    bytes.extend_from_slice(&rows);
    bytes.extend_from_slice(
        format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
    );

    // The byte range: all but the hole, brackets included.
    let range = format!("0 {hole_start} {hole_end} {}", bytes.len() - hole_end);
    if range.len() > BYTE_RANGE_WIDTH {
        return Err(RenderProblem::TooLarge);
    }
    bytes[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());
    let mut digest = Sha256::new();
    digest.update(&bytes[..hole_start]);
    digest.update(&bytes[hole_end..]);
    let cms = signer
        .sign_digest(&digest.finalize().into())
        .map_err(RenderProblem::Sign)?;
    if cms.len() > reserved {
        return Err(RenderProblem::SignatureTooLong {
            len: cms.len(),
            reserved,
        });
    }
    let hex = hex_string(&cms);
    // Without the brackets: the zeros after it pad the hole.
    bytes[hole_start + 1..hole_start + 1 + cms.len() * 2]
        .copy_from_slice(&hex.as_bytes()[1..hex.len() - 1]);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_startxref_is_found() {
        assert_eq!(
            last_startxref(b"%PDF\nstartxref\n12\n%%EOF\nxx\nstartxref\n345\n%%EOF"),
            Some(345)
        );
        assert_eq!(last_startxref(b"%PDF-1.5 nothing"), None);
    }

    #[test]
    fn text_strings_are_utf16_with_a_byte_order_mark() {
        assert_eq!(text_hex("张A"), "<FEFF5F200041>");
    }

    #[test]
    fn the_seal_keeps_its_proportions_in_the_square() {
        assert_eq!(
            seal_ops([10.0, 20.0, 110.0, 120.0], (200, 100)),
            "q 100 0 0 50 10 45 cm /Seal Do Q\n"
        );
    }
}
