//! The grid as the archival PDF: the grid's pages drawn from the grid alone (borders, text
//! placed as it was measured, at the grid's line pitch and paddings, page numbers) as content
//! streams written directly ([`content`]), the bundled fonts embedded as subsets with
//! ToUnicode (our own subsetter, [`font`] and [`cff`]), and the document put together and
//! written with lopdf: the page tree, the Info dictionary (dates with their offset), an XMP
//! stream and a document ID.
//!
//! Why no PDF-drawing crate: printpdf drew the pages here before, through a list of
//! operations serialised by lopdf's generic writer — about a tenth of the PDF's time, and
//! printpdf with its font stack (allsorts) was the largest part of a cold build; the pages
//! need five operators.
//!
//! Review highlights (the error fill of [`crate::layout::Style::fill`]) are not drawn: the PDF
//! is the clean, signed-off copy; findings live in the workbook. A character the fonts lack
//! is drawn as the font's empty box (validation reports it); nothing here panics on any text.

mod cff;
mod content;
mod font;
mod number;
mod stamp;

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use content::Content;

use crate::date::parse_rfc3339;
use crate::error::{RenderProblem, Result};
use crate::fonts;
use crate::layout::{Cell, FooterPart, Grid, HAlign, PageSlice, SealSpot, VAlign};
use crate::sign::{Seal, Signer};

/// The program named as the document's creator.
pub const CREATOR: &str = concat!("jixiao ", env!("CARGO_PKG_VERSION"));

/// The width of table borders, in points (a spreadsheet's thin border).
const BORDER_WIDTH: f32 = 0.5;

/// Which weight of the bundled font a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn of(bold: bool) -> Weight {
        if bold { Weight::Bold } else { Weight::Regular }
    }

    /// The font's resource name on every page.
    fn resource(self) -> &'static str {
        match self {
            Weight::Regular => "F0",
            Weight::Bold => "F1",
        }
    }
}

/// The text of a line as it may be shown: no control characters (a tab becomes a space).
fn showable(line: &str) -> String {
    line.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Collects horizontal and vertical border segments and merges those on one line, so that
/// no border is stroked twice.
#[derive(Default)]
struct Borders {
    /// y (hundredths of a point) → (x0, x1) intervals.
    horizontal: BTreeMap<i64, Vec<(i64, i64)>>,
    /// x (hundredths of a point) → (y0, y1) intervals.
    vertical: BTreeMap<i64, Vec<(i64, i64)>>,
}

impl Borders {
    fn key(v: f32) -> i64 {
        content::hundredths(v)
    }

    /// The rectangle with corners (x0, y0) and (x1, y1), in PDF coordinates.
    fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        let (x0, x1, y0, y1) = (Self::key(x0), Self::key(x1), Self::key(y0), Self::key(y1));
        for y in [y0, y1] {
            self.horizontal.entry(y).or_default().push((x0, x1));
        }
        for x in [x0, x1] {
            self.vertical
                .entry(x)
                .or_default()
                .push((y0.min(y1), y0.max(y1)));
        }
    }

    fn merged(map: BTreeMap<i64, Vec<(i64, i64)>>) -> Vec<(i64, i64, i64)> {
        let mut out = Vec::new();
        for (at, mut spans) in map {
            spans.sort_unstable();
            let mut current: Option<(i64, i64)> = None;
            for (a, b) in spans {
                current = match current {
                    Some((s, e)) if a <= e => Some((s, e.max(b))),
                    Some(done) => {
                        out.push((at, done.0, done.1));
                        Some((a, b))
                    }
                    None => Some((a, b)),
                };
            }
            if let Some((s, e)) = current {
                out.push((at, s, e));
            }
        }
        out
    }

    /// Strokes the merged segments: horizontal ones, then vertical ones.
    fn draw(self, out: &mut Content) {
        for (y, x0, x1) in Self::merged(self.horizontal) {
            out.segment((x0, y), (x1, y));
        }
        for (x, y0, y1) in Self::merged(self.vertical) {
            out.segment((x, y0), (x, y1));
        }
    }
}

/// Draws the pages of one grid, keeping what the metadata needs.
struct Painter<'g> {
    grid: &'g Grid,
    /// Everything drawn, for the document ID.
    content: Sha256,
    /// The faces, parsed once per process.
    faces: [&'static font::Face; 2],
    /// The glyphs shown with each face.
    used: [font::Used; 2],
    /// The page (from 0) and the rectangle (x0, y0, x1, y1 in PDF coordinates) of the seal's
    /// square, once the page holding its row is drawn.
    seal_at: Option<(usize, [f32; 4])>,
}

impl<'g> Painter<'g> {
    fn new(grid: &'g Grid) -> Result<Self> {
        Ok(Painter {
            grid,
            content: Sha256::new(),
            faces: [
                font::Face::get(false).map_err(RenderProblem::Font)?,
                font::Face::get(true).map_err(RenderProblem::Font)?,
            ],
            used: Default::default(),
            seal_at: None,
        })
    }

    /// The content of the signature's appearance (a form XObject as large as the seal's
    /// square): its lines centred, in the regular face, as resource `F0`.
    fn appearance_text(&mut self, spot: &SealSpot) -> String {
        use std::fmt::Write as _;
        let metrics = fonts::metrics(false);
        let size = spot.text_size;
        let pitch = size * self.grid.text.line_pitch;
        let em = (metrics.ascender - metrics.descender) * size / 1000.0;
        let ascent = metrics.ascender * size / 1000.0;
        let top = (spot.size - spot.lines.len() as f32 * pitch) / 2.0;
        let mut out = format!("BT\n/{} {size} Tf\n", Weight::Regular.resource());
        for (i, line) in spot.lines.iter().enumerate() {
            let text = showable(line);
            let baseline = top + i as f32 * pitch + (pitch - em) / 2.0 + ascent;
            let x = number::round((spot.size - metrics.width(&text, size)) / 2.0);
            let y = number::round(spot.size - baseline);
            self.content
                .update(format!("signature {x} {y} {size} {text}\n").as_bytes());
            let cids = self.faces[0].encode(&text, &mut self.used[0]);
            let _ = write!(out, "1 0 0 1 {x} {y} Tm <");
            for cid in cids {
                let _ = write!(out, "{cid:04X}");
            }
            out.push_str("> Tj\n");
        }
        out.push_str("ET\n");
        out
    }

    /// Shows one line of text with its baseline at (x, y).
    fn line(
        &mut self,
        out: &mut Content,
        current: &mut Option<(Weight, f32)>,
        text: &str,
        at: (f32, f32),
        weight: Weight,
        size: f32,
    ) {
        let text = showable(text);
        if text.is_empty() {
            return;
        }
        if *current != Some((weight, size)) {
            out.font(weight.resource(), size);
            *current = Some((weight, size));
        }
        out.text_at(content::hundredths(at.0), content::hundredths(at.1));
        let k = weight as usize;
        // The characters, for the document ID (the stream holds their places and glyphs).
        self.content.update(text.as_bytes());
        self.content.update([b'\n']);
        let cids = self.faces[k].encode(&text, &mut self.used[k]);
        out.show(&cids);
    }

    /// The content stream drawing page `number` of `total`.
    fn page(&mut self, slice: &PageSlice, number: usize, total: usize) -> Vec<u8> {
        let grid = self.grid;
        let page = &grid.page;
        let height = page.height;

        // Where each row on the page is: its top (from the top of the paper) and height.
        let mut place: Vec<Option<(f32, f32)>> = vec![None; grid.rows.len()];
        let mut y = page.top;
        for s in &slice.rows {
            place[s.row as usize] = Some((y, s.height));
            y += s.height;
        }
        let mut x_at = Vec::with_capacity(grid.columns.len() + 1);
        let mut x = page.left;
        x_at.push(x);
        for w in &grid.columns {
            x += w;
            x_at.push(x);
        }
        if let Some(spot) = &grid.seal
            && self.seal_at.is_none()
            && let Some((top, h)) = place[spot.row as usize]
        {
            let left = x_at[spot.col as usize] + spot.x;
            let top = top + h / 2.0 - spot.size / 2.0;
            self.seal_at = Some((
                number - 1,
                [
                    left,
                    height - top - spot.size,
                    left + spot.size,
                    height - top,
                ],
            ));
        }

        let mut borders = Borders::default();
        let mut text = Content::new();
        text.raw("BT\n");
        let mut current = None;
        for cell in &grid.cells {
            let mut top = f32::INFINITY;
            let mut bottom = f32::NEG_INFINITY;
            for r in cell.row..=cell.last_row() {
                if let Some((t, h)) = place[r as usize] {
                    top = top.min(t);
                    bottom = bottom.max(t + h);
                }
            }
            if top > bottom {
                continue;
            }
            let style = grid.style(cell);
            let left = x_at[cell.col as usize];
            let right = x_at[cell.last_col() as usize + 1];
            if style.border {
                borders.rect(left, height - top, right, height - bottom);
            }
            self.cell_lines(&mut text, &mut current, cell, [left, top, right, bottom]);
        }
        self.footer(&mut text, &mut current, number, total);
        text.raw("ET\n");

        // Black borders of BORDER_WIDTH, then the text.
        let mut out = Content::new();
        out.raw("0 0 0 RG\n");
        out.number(BORDER_WIDTH);
        out.raw("w\n");
        borders.draw(&mut out);
        out.append(text);
        let bytes = out.into_bytes();
        self.content.update(&bytes);
        bytes
    }

    /// Draws the lines of `cell`, whose box on this page is `[left, top, right, bottom]`
    /// (from the top left of the paper), into `out`.
    fn cell_lines(
        &mut self,
        out: &mut Content,
        current: &mut Option<(Weight, f32)>,
        cell: &Cell,
        [left, top, right, bottom]: [f32; 4],
    ) {
        let grid = self.grid;
        let height = grid.page.height;
        let style = grid.style(cell);
        let lines = &cell.lines;
        if lines.is_empty() {
            return;
        }
        let metrics = fonts::metrics(style.bold);
        let size = style.size;
        let pitch = size * grid.text.line_pitch;
        let block = lines.len() as f32 * pitch;
        let v_align = style.v_align;
        let text_top = match v_align {
            VAlign::Top => top + grid.text.pad_v,
            VAlign::Center => top + (bottom - top - block) / 2.0,
        };
        // The em box (typographic ascender to descender) centred in each line's pitch.
        let em = (metrics.ascender - metrics.descender) * size / 1000.0;
        let ascent = metrics.ascender * size / 1000.0;
        let weight = Weight::of(style.bold);
        for (i, line) in lines.iter().enumerate() {
            let baseline = text_top + i as f32 * pitch + (pitch - em) / 2.0 + ascent;
            let width = metrics.width(line, size);
            let x = match style.h_align {
                HAlign::Left => left + grid.text.pad_h,
                HAlign::Center => left + (right - left - width) / 2.0,
                HAlign::Right => right - grid.text.pad_h - width,
            };
            self.line(out, current, line, (x, height - baseline), weight, size);
        }
    }

    /// Draws the footer of page `number` of `total`, centred in the bottom margin.
    fn footer(
        &mut self,
        out: &mut Content,
        current: &mut Option<(Weight, f32)>,
        number: usize,
        total: usize,
    ) {
        let grid = self.grid;
        let page = &grid.page;
        let footer: String = grid
            .footer
            .iter()
            .map(|p| match p {
                FooterPart::Text(t) => t.clone(),
                FooterPart::Page => number.to_string(),
                FooterPart::Pages => total.to_string(),
            })
            .collect();
        if !footer.trim().is_empty() {
            let metrics = fonts::metrics(false);
            let size = grid.footer_size;
            let width = metrics.width(&footer, size);
            let middle = (metrics.ascender + metrics.descender) / 2.0 * size / 1000.0;
            self.line(
                out,
                current,
                &footer,
                ((page.width - width) / 2.0, page.footer - middle),
                Weight::Regular,
                size,
            );
        }
    }
}

/// A subset tag (six capital letters) from a digest.
fn tag(digest: &[u8]) -> String {
    digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// `2025-03-01T00:00:00+08:00` as a PDF date, `D:20250301000000+08'00'`.
fn pdf_date(rfc3339: &str) -> Option<String> {
    let (y, mo, d, h, mi, s, offset) = parse_rfc3339(rfc3339)?;
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let o = offset.unsigned_abs();
        format!("{sign}{:02}'{:02}'", o / 60, o % 60)
    };
    Some(format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}{zone}"))
}

/// A PDF text string: plain when ASCII, UTF-16BE with a byte order mark otherwise.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The XMP metadata packet mirroring the Info dictionary.
fn xmp(grid: &Grid, created: &str, id: &[u8]) -> String {
    let info = &grid.info;
    let uuid = {
        let h = hex(&id[..16]);
        format!(
            "uuid:{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    };
    let keywords: Vec<String> = info
        .keywords
        .split([',', '，'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| format!("<rdf:li>{}</rdf:li>", xml(k)))
        .collect();
    format!(
        concat!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "<rdf:Description rdf:about=\"\"",
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
            " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
            " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"",
            " xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n",
            "<dc:format>application/pdf</dc:format>\n",
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n",
            "<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n",
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n",
            "<dc:subject><rdf:Bag>{bag}</rdf:Bag></dc:subject>\n",
            "<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>\n",
            "<pdf:Keywords>{keywords}</pdf:Keywords>\n",
            "<pdf:Producer>{creator}</pdf:Producer>\n",
            "<xmp:CreatorTool>{creator}</xmp:CreatorTool>\n",
            "<xmp:CreateDate>{created}</xmp:CreateDate>\n",
            "<xmp:ModifyDate>{created}</xmp:ModifyDate>\n",
            "<xmp:MetadataDate>{created}</xmp:MetadataDate>\n",
            "<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>\n",
            "<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>\n",
            "</rdf:Description>\n",
            "</rdf:RDF>\n",
            "</x:xmpmeta>\n",
            "<?xpacket end=\"r\"?>"
        ),
        title = xml(&info.title),
        author = xml(&info.author),
        subject = xml(&info.subject),
        bag = keywords.concat(),
        keywords = xml(&info.keywords),
        creator = xml(CREATOR),
        created = xml(created),
        uuid = uuid,
    )
}

/// Adds the Info dictionary, the XMP stream, the language and the ID.
fn fix_metadata(doc: &mut lopdf::Document, grid: &Grid, created: &str, id: &[u8]) -> Result<()> {
    let info = &grid.info;
    let date = pdf_date(created).ok_or_else(|| RenderProblem::CreatedTime(created.to_string()))?;
    let mut dict = Dictionary::new();
    dict.set("Title", text_string(&info.title));
    dict.set("Author", text_string(&info.author));
    dict.set("Subject", text_string(&info.subject));
    dict.set("Keywords", text_string(&info.keywords));
    dict.set("Creator", text_string(CREATOR));
    dict.set(
        "Producer",
        text_string(concat!(
            "jixiao ",
            env!("CARGO_PKG_VERSION"),
            " (lopdf 0.44)"
        )),
    );
    dict.set("CreationDate", Object::string_literal(date.clone()));
    dict.set("ModDate", Object::string_literal(date));
    dict.set("Trapped", Object::Name(b"False".to_vec()));
    let info_id = doc.add_object(dict);
    doc.trailer.set("Info", Object::Reference(info_id));

    let mut metadata = lopdf::Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(grid, created, id).into_bytes(),
    );
    // Uncompressed, so that archive tools find it without a PDF parser.
    metadata.allows_compression = false;
    let metadata_id = doc.add_object(metadata);
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(RenderProblem::missing("文档目录"))?;
    let catalog = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(RenderProblem::missing("文档目录"))?;
    catalog.set("Metadata", Object::Reference(metadata_id));
    catalog.set("Lang", Object::string_literal("zh-CN"));
    catalog.set(
        "ViewerPreferences",
        Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]),
    );
    let id = Object::String(id[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}

thread_local! {
    /// This thread's deflate compressor (libdeflate keeps its tables between calls), at level
    /// 6, chosen on 1 000 distinct forms (benches/batch.rs) against zlib's level 6 before it:
    /// at levels 3 and 4 about 270 of the PDFs grew; level 5 saves 0.8 % of the run's
    /// instructions for 0.1 KB more a PDF, level 7 costs 1.2 % more for 0.06 KB less.
    static DEFLATE: std::cell::RefCell<libdeflater::Compressor> =
        std::cell::RefCell::new(libdeflater::Compressor::new(
            libdeflater::CompressionLvl::new(6).unwrap_or_default(),
        ));
}

/// Deflates (zlib format, `/FlateDecode`) every stream that may be compressed and is smaller
/// for it; a stream that would not shrink stays as it is.
fn compress(doc: &mut lopdf::Document) {
    DEFLATE.with_borrow_mut(|deflate| {
        for object in doc.objects.values_mut() {
            let Object::Stream(stream) = object else {
                continue;
            };
            if !stream.allows_compression || stream.dict.has(b"Filter") {
                continue;
            }
            // Room for one byte less than the stream: what does not fit would not shrink it.
            let mut compressed = vec![0; stream.content.len().saturating_sub(1)];
            if let Ok(n) = deflate.zlib_compress(&stream.content, &mut compressed) {
                compressed.truncate(n);
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(compressed);
            }
        }
    });
}

/// Embeds each face the pages show (named by a subset tag from its glyphs, so the same
/// document gets the same bytes); returns the font resources (`F0`, `F1`).
fn embed_fonts(doc: &mut lopdf::Document, painter: &Painter) -> Result<Dictionary> {
    let mut fonts = Dictionary::new();
    for weight in [Weight::Regular, Weight::Bold] {
        let k = weight as usize;
        let used = &painter.used[k];
        if used.is_empty() {
            continue;
        }
        let tag = tag(&Sha256::digest(used.key()));
        let id = painter.faces[k]
            .embed(doc, used, &tag)
            .map_err(RenderProblem::FontSubset)?;
        fonts.set(weight.resource(), Object::Reference(id));
    }
    Ok(fonts)
}

/// Adds the catalog, the page tree and one page per content stream, each of the grid's paper
/// size, with `fonts` as their font resources (one dictionary, shared); returns the pages' ids.
fn add_pages(
    doc: &mut lopdf::Document,
    grid: &Grid,
    contents: Vec<Vec<u8>>,
    fonts: &Dictionary,
) -> Vec<ObjectId> {
    let pages_id = doc.new_object_id();
    let fonts_id = doc.add_object(fonts.clone());
    let media_box = Object::Array(vec![
        Object::Integer(0),
        Object::Integer(0),
        Object::Real(grid.page.width),
        Object::Real(grid.page.height),
    ]);
    let kids: Vec<ObjectId> = contents
        .into_iter()
        .map(|bytes| {
            let stream = doc.add_object(Stream::new(Dictionary::new(), bytes));
            doc.add_object(Dictionary::from_iter([
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages_id)),
                ("MediaBox", media_box.clone()),
                (
                    "Resources",
                    Object::Dictionary(Dictionary::from_iter([(
                        "Font",
                        Object::Reference(fonts_id),
                    )])),
                ),
                ("Contents", Object::Reference(stream)),
            ]))
        })
        .collect();
    doc.set_object(
        pages_id,
        Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Count", Object::Integer(kids.len() as i64)),
            (
                "Kids",
                Object::Array(kids.iter().map(|&id| Object::Reference(id)).collect()),
            ),
        ]),
    );
    let catalog = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("PageLayout", Object::Name(b"OneColumn".to_vec())),
        ("Pages", Object::Reference(pages_id)),
    ]));
    doc.trailer.set("Root", Object::Reference(catalog));
    kids
}

/// What a PDF may carry beyond the grid: the unit's seal and a digital signature, both in the
/// grid's seal spot ([`Grid::seal`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Stamp<'a> {
    /// The seal image: in the signature's appearance when signed, on the page otherwise.
    pub seal: Option<&'a Seal>,
    /// The signer: the document gets a PAdES baseline B-B signature, shown with the seal
    /// spot's lines and dated with its `signed_at`.
    pub signer: Option<&'a Signer>,
}

/// Writes the grid as a PDF.
///
/// # Errors
/// [`crate::Error::Render`] when the bundled fonts cannot be parsed or subset, or the grid's
/// creation time is not an RFC 3339 timestamp with an offset; [`crate::Error::Layout`] when
/// the grid breaks its own rules (see [`Grid::check`]).
pub fn write(grid: &Grid) -> Result<Vec<u8>> {
    write_stamped(grid, Stamp::default())
}

/// Writes the grid as a PDF with the unit's seal and, when `stamp` has a signer, digitally
/// signed: the signature field sits on the seal spot with a visible appearance, and the
/// signature (detached CMS, `/SubFilter /ETSI.CAdES.detached`, SHA-256, the chain embedded)
/// covers the whole file but its own `/Contents`.
///
/// # Errors
/// As [`write()`]; also [`crate::Error::Render`] when a signer is given but the grid has no
/// seal spot or no signing time, or signing fails.
pub fn write_stamped(grid: &Grid, stamp: Stamp) -> Result<Vec<u8>> {
    // Spans and styles inside the grid: what the drawing below indexes by.
    grid.check(&grid.sheet)?;
    let created = grid.info.created.as_str();
    if parse_rfc3339(created).is_none() {
        return Err(RenderProblem::CreatedTime(created.to_string()).into());
    }
    let slices = &grid.pages;
    if slices.is_empty() {
        return Err(RenderProblem::NotPaginated.into());
    }
    let total = slices.len();
    let mut painter = Painter::new(grid)?;
    let contents: Vec<Vec<u8>> = slices
        .iter()
        .enumerate()
        .map(|(i, slice)| painter.page(slice, i + 1, total))
        .collect();
    // The signature's text is shown with the regular face: its glyphs join the subset.
    let signing = match stamp.signer {
        Some(signer) => {
            let spot = grid.seal.as_ref().ok_or(RenderProblem::NoSealSpot)?;
            let time = spot
                .signed_at
                .as_deref()
                .ok_or(RenderProblem::NoSigningTime)?;
            let date =
                pdf_date(time).ok_or_else(|| RenderProblem::SigningTime(time.to_string()))?;
            Some((signer, painter.appearance_text(spot), date))
        }
        None => None,
    };
    let mut lo = lopdf::Document::with_version("1.5");
    let fonts = embed_fonts(&mut lo, &painter)?;
    let pages = add_pages(&mut lo, grid, contents, &fonts);

    let mut content = painter.content.clone();
    // Where the seal and the signature go: the page and square the seal spot landed on.
    let seal_at = painter
        .seal_at
        .and_then(|(page, rect)| pages.get(page).map(|&id| (id, rect)));
    let image = match (stamp.seal, seal_at) {
        (Some(seal), Some(_)) => {
            content.update(seal.digest());
            Some(stamp::add_seal_image(&mut lo, seal))
        }
        _ => None,
    };
    let mut signature_id = None;
    match (&signing, seal_at) {
        (Some((signer, text, date)), Some((page, rect))) => {
            content.update(date.as_bytes());
            content.update(signer.subject().as_bytes());
            signature_id = Some(stamp::add_signature_field(
                &mut lo,
                page,
                rect,
                text,
                &fonts,
                image.map(|i| (i, stamp.seal.map_or((1, 1), |s| (s.width(), s.height())))),
            )?);
        }
        (Some(_), None) => return Err(RenderProblem::SealOffPage.into()),
        (None, Some((page, rect))) => {
            if let (Some(image), Some(seal)) = (image, stamp.seal) {
                stamp::draw_seal(&mut lo, page, rect, image, (seal.width(), seal.height()))?;
            }
        }
        (None, None) => {}
    }
    for part in [
        &grid.info.title,
        &grid.info.author,
        &grid.info.subject,
        &grid.info.keywords,
        &grid.info.created,
    ] {
        content.update(part.as_bytes());
        content.update([0]);
    }
    let id = content.finalize();
    fix_metadata(&mut lo, grid, created, &id)?;
    // Object and cross-reference streams (PDF 1.5) compress the dictionaries, the glyph
    // widths above all: about 5 KB less for a two-page form. A PAdES signature is a PDF 1.7
    // extension (ESIC), declared in the catalog.
    lo.version = if signing.is_some() { "1.7" } else { "1.5" }.to_string();
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_modern(&mut bytes).map_err(RenderProblem::Save)?;
    match (signing, signature_id) {
        (Some((signer, _, date)), Some(id)) => {
            Ok(stamp::sign(bytes, &lo.trailer, id, signer, &date)?)
        }
        _ => Ok(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offset() {
        assert_eq!(
            pdf_date("2025-03-01T00:00:00+08:00").as_deref(),
            Some("D:20250301000000+08'00'")
        );
        assert_eq!(
            pdf_date("2025-03-01T09:05:07Z").as_deref(),
            Some("D:20250301090507Z")
        );
        assert_eq!(pdf_date("2025-03-01"), None);
    }

    #[test]
    fn control_characters_are_never_shown() {
        assert_eq!(showable("a\tb\nc\u{7}d"), "a bcd");
        assert_eq!(xml("<a&\u{1}b>"), "&lt;a&amp;b&gt;");
    }

    #[test]
    fn borders_on_one_line_are_stroked_once() {
        let mut b = Borders::default();
        b.rect(0.0, 0.0, 10.0, 10.0);
        b.rect(10.0, 0.0, 20.0, 10.0);
        let h = Borders::merged(b.horizontal.clone());
        assert_eq!(h, [(0, 0, 2000), (1000, 0, 2000)]);
        let v = Borders::merged(b.vertical.clone());
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn subset_tags_are_six_capitals() {
        let t = tag(&Sha256::digest(b"x"));
        assert_eq!(t.len(), 6);
        assert!(t.bytes().all(|b| b.is_ascii_uppercase()));
    }
}
