//! A PDF opened within the limits, and what each of its pages draws ([`Marks`], drawn by
//! [`super::draw`]). This module, [`super::draw`] and [`super::font`] are the only ones that
//! know the parsing crates (`hayro-syntax`, `hayro-cmap`).
//!
//! The document is opened with the empty user password (an owner-password-only file opens);
//! before any page is drawn, every stream that is not an image is inflated once into a
//! counter, so that a decompression bomb is refused before it is held in memory.

use std::collections::HashSet;
use std::io::Read as _;

use hayro_syntax::object::{Array, Dict, Name, Object, ObjectIdentifier};
use hayro_syntax::{DecryptionError, Filter, LoadPdfError, Pdf};

use super::draw;
use super::error::{PdfDamage, PdfError, PdfLimit};
use super::font::Fonts;
use super::marks::Marks;
use crate::read::limits::{MAX_OBJECTS, MAX_PAGES, MAX_PART, MAX_UNZIPPED};

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
        let hidden = self.hidden_layers();
        for (index, page) in self.pdf.pages().iter().enumerate() {
            each(index, draw::page(page, &mut fonts, &hidden))?;
        }
        Ok(())
    }

    /// The optional content groups (layers) the document shows switched off: all of
    /// `/OCGs` if the default configuration's `/BaseState` is `/OFF`, less its `/ON`, plus
    /// its `/OFF`.
    fn hidden_layers(&self) -> HashSet<ObjectIdentifier> {
        let xref = self.pdf.xref();
        let mut hidden = HashSet::new();
        let Some(properties) = xref
            .get::<Dict<'_>>(xref.root_id())
            .and_then(|catalog| catalog.get::<Dict<'_>>(b"OCProperties"))
        else {
            return hidden;
        };
        let Some(config) = properties.get::<Dict<'_>>(b"D") else {
            return hidden;
        };
        let ids = |array: Option<Array<'_>>| -> Vec<ObjectIdentifier> {
            array.map_or_else(Vec::new, |a| {
                a.raw_iter()
                    .filter_map(|item| item.as_obj_ref())
                    .map(Into::into)
                    .collect()
            })
        };
        if config.get::<Name<'_>>(b"BaseState").as_deref() == Some(b"OFF".as_slice()) {
            hidden.extend(ids(properties.get::<Array<'_>>(b"OCGs")));
        }
        for id in ids(config.get::<Array<'_>>(b"ON")) {
            hidden.remove(&id);
        }
        hidden.extend(ids(config.get::<Array<'_>>(b"OFF")));
        hidden
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

#[cfg(test)]
mod tests {
    //! Small PDFs written by hand, one feature of the text and line reading each; pages are
    //! 200 × 200 points, so page y is 200 − PDF y.

    use super::*;
    use crate::read::source::pdf::marks::Rule;

    /// A PDF whose page (object 3) has `resources` and draws `content`; `extra` are objects
    /// 5, 6, … (object 4 is the content).
    fn pdf(resources: &str, content: &str, extra: &[Vec<u8>]) -> Vec<u8> {
        pdf_with_catalog("", resources, content, extra)
    }

    /// The same with `catalog` added to the catalog's entries.
    fn pdf_with_catalog(
        catalog: &str,
        resources: &str,
        content: &str,
        extra: &[Vec<u8>],
    ) -> Vec<u8> {
        let mut objects: Vec<Vec<u8>> = vec![
            format!("<< /Type /Catalog /Pages 2 0 R {catalog} >>").into_bytes(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources {resources} \
                 /Contents 4 0 R >>"
            )
            .into_bytes(),
            stream("", content.as_bytes()),
        ];
        objects.extend(extra.iter().cloned());
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend(body);
            out.extend(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            out.extend(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        s.extend(data);
        s.extend(b"\nendstream");
        s
    }

    /// What the first page draws.
    fn marks(resources: &str, content: &str, extra: &[Vec<u8>]) -> Marks {
        first_page(&pdf(resources, content, extra))
    }

    fn first_page(bytes: &[u8]) -> Marks {
        let document = Document::open(bytes).unwrap();
        let mut marks = None;
        document
            .each_page(|_, m| {
                marks = Some(m);
                Ok::<(), ()>(())
            })
            .unwrap();
        marks.unwrap()
    }

    fn texts(marks: &Marks) -> Vec<&str> {
        marks.glyphs.iter().map(|g| g.text.as_str()).collect()
    }

    fn lefts(marks: &Marks) -> Vec<f64> {
        marks
            .glyphs
            .iter()
            .map(|g| (g.x0 * 1000.0).round() / 1000.0)
            .collect()
    }

    const F1: &str = "<< /Font << /F1 5 0 R >> >>";

    /// A TrueType font with widths for A–C and `uni4E2D` for C.
    fn simple_font() -> Vec<u8> {
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Foo /FirstChar 65 /LastChar 67 \
          /Widths [600 700 800] /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding \
          /Differences [67 /uni4E2D] >> >>"
            .to_vec()
    }

    #[test]
    fn a_simple_font_gives_text_from_its_encoding_and_boxes_from_its_widths() {
        let m = marks(
            F1,
            "BT /F1 10 Tf 1 0 0 1 20 150 Tm (ABC) Tj ET",
            &[simple_font()],
        );
        assert_eq!(texts(&m), ["A", "B", "中"]);
        assert_eq!(lefts(&m), [20.0, 26.0, 33.0]);
        let c = &m.glyphs[2];
        assert!((c.x1 - 41.0).abs() < 1e-9, "{c:?}");
        // The em box: 0.12 em below the baseline (page y 50), 0.88 above.
        assert!(
            (c.y0 - 41.2).abs() < 1e-9 && (c.y1 - 51.2).abs() < 1e-9,
            "{c:?}"
        );
        assert!((c.size - 10.0).abs() < 1e-9);
        assert_eq!(m.unmapped, 0);
    }

    #[test]
    fn character_word_and_horizontal_spacing_and_tj_numbers_move_the_glyphs() {
        let m = marks(
            F1,
            "BT /F1 10 Tf 2 Tc 50 Tz 20 150 Td (AB) Tj ET",
            &[simple_font()],
        );
        // A advances (6 + 2) × 0.5; its box is its width, scaled.
        assert_eq!(lefts(&m), [20.0, 24.0]);
        assert!((m.glyphs[0].x1 - 23.0).abs() < 1e-9);
        let m = marks(
            F1,
            "BT /F1 10 Tf 20 150 Td [(A) -1000 (B)] TJ ET",
            &[simple_font()],
        );
        assert_eq!(lefts(&m), [20.0, 36.0]);
        let m = marks(
            F1,
            "BT /F1 10 Tf 12 TL 20 150 Td (A) Tj T* (B) Tj ET",
            &[simple_font()],
        );
        assert!(
            (m.glyphs[1].y1 - m.glyphs[0].y1 - 12.0).abs() < 1e-9,
            "{m:?}"
        );
    }

    #[test]
    fn a_standard_font_without_widths_is_measured_by_its_metrics() {
        let helvetica = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec();
        let m = marks(F1, "BT /F1 10 Tf 0 150 Td (AB) Tj ET", &[helvetica]);
        assert_eq!(texts(&m), ["A", "B"]);
        assert_eq!(lefts(&m), [0.0, 6.67]);
    }

    #[test]
    fn a_composite_font_reads_its_codes_by_to_unicode_and_its_widths_by_w() {
        let font = b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H \
                     /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"
            .to_vec();
        let descendant = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X \
                           /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) \
                           /Supplement 0 >> /DW 1000 /W [1 [500] 2 3 250] >>"
            .to_vec();
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                     1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                     1 beginbfchar <0001> <0041> endbfchar\n\
                     1 beginbfrange <0002> <0003> <4E2D> endbfrange\n\
                     endcmap end end";
        let m = marks(
            F1,
            "BT /F1 10 Tf 0 150 Td <0001000200030004> Tj ET",
            &[font, descendant, stream("", cmap)],
        );
        assert_eq!(texts(&m), ["A", "中", "丮"]);
        assert_eq!(lefts(&m), [0.0, 5.0, 7.5]);
        // Code 4 has no Unicode: counted, not guessed.
        assert_eq!(m.unmapped, 1);
    }

    /// A Type 0 font over Adobe-GB1 with `encoding`; `embedded` gives it a font program.
    fn gb1_font(encoding: &str, embedded: bool) -> Vec<Vec<u8>> {
        let program = if embedded { "/FontFile2 7 0 R" } else { "" };
        vec![
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /{encoding} \
                 /DescendantFonts [6 0 R] >>"
            )
            .into_bytes(),
            format!(
                "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
                 /FontDescriptor << /Type /FontDescriptor /Flags 4 {program} >> >>"
            )
            .into_bytes(),
            stream("", b"not a font"),
        ]
    }

    #[test]
    fn a_predefined_cmap_reads_through_its_collection() {
        let m = marks(
            F1,
            "BT /F1 10 Tf 0 150 Td <4E2D6587> Tj ET",
            &gb1_font("UniGB-UCS2-H", true),
        );
        assert_eq!(texts(&m), ["中", "文"]);
        assert_eq!(lefts(&m), [0.0, 10.0]);
        // Identity codes of an embedded program number glyphs: nothing to read.
        let m = marks(
            F1,
            "BT /F1 10 Tf 0 150 Td <4E2D6587> Tj ET",
            &gb1_font("Identity-H", true),
        );
        assert_eq!((m.glyphs.len(), m.unmapped), (0, 2));
        // Not embedded: the CIDs are the collection's, so they read.
        let m = marks(
            F1,
            "BT /F1 10 Tf 0 150 Td <00110012> Tj ET",
            &gb1_font("Identity-H", false),
        );
        // Adobe-GB1 numbers the ASCII digits from CID 17.
        assert_eq!((texts(&m), m.unmapped), (vec!["0", "1"], 0), "{m:?}");
    }

    #[test]
    fn a_null_to_unicode_falls_back_to_the_glyph_name() {
        let cmap = b"begincmap 1 begincodespacerange <00> <FF> endcodespacerange\n\
                     1 beginbfchar <41> <0000> endbfchar endcmap";
        let font = b"<< /Type /Font /Subtype /TrueType /BaseFont /Foo /FirstChar 65 \
                     /LastChar 65 /Widths [600] /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>"
            .to_vec();
        let m = marks(
            F1,
            "BT /F1 10 Tf 0 150 Td (A) Tj ET",
            &[font, stream("", cmap)],
        );
        assert_eq!(texts(&m), ["A"]);
    }

    #[test]
    fn a_symbolic_type1_program_names_its_codes() {
        let program = b"%!PS-AdobeFont-1.0: Greek\n/Encoding 256 array\n\
                        0 1 255 {1 index exch /.notdef put} for\n\
                        dup 65 /Alpha put\ndup 66 /Beta put\nreadonly def\n\
                        currentfile eexec\n";
        let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Greek /FirstChar 65 \
                     /LastChar 67 /Widths [700 700 700] /FontDescriptor 6 0 R >>"
            .to_vec();
        let descriptor =
            b"<< /Type /FontDescriptor /FontName /Greek /Flags 4 /FontFile 7 0 R >>".to_vec();
        let m = marks(
            F1,
            "BT /F1 10 Tf 0 150 Td (ABC) Tj ET",
            &[
                font,
                descriptor,
                stream("/Length1 10 /Length2 0 /Length3 0", program),
            ],
        );
        assert_eq!(texts(&m), ["Α", "Β"]);
        // C has no name in the program: unknown, not guessed from StandardEncoding.
        assert_eq!(m.unmapped, 1);
    }

    #[test]
    fn ruling_lines_are_strokes_and_thin_fills_in_any_transformation() {
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Matrix [1 0 0 1 0 -50]",
            b"10 150 m 100 150 l S",
        );
        let m = marks(
            "<< /XObject << /X1 5 0 R >> >>",
            "0 0 0 RG 1 w 10 100 m 190 100 l S 10 10 0.5 180 re f \
             1 1 1 rg 20 20 100 0.5 re f 0 g 50 50 40 40 re f \
             q 2 0 0 2 0 0 cm 10 20 m 50 20 l S Q /X1 Do",
            &[form],
        );
        let rule = |horizontal, at: f64, from: f64, to: f64| Rule {
            horizontal,
            at,
            from,
            to,
        };
        assert_eq!(
            m.rules,
            [
                rule(true, 100.0, 10.0, 190.0),
                rule(false, 10.25, 10.0, 190.0),
                rule(true, 160.0, 20.0, 100.0),
                rule(true, 100.0, 10.0, 100.0),
            ]
        );
    }

    #[test]
    fn an_annotation_appearance_is_drawn_in_its_rectangle_and_images_are_counted() {
        let appearance = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 7 0 R \
             >> >>",
            b"BT /F1 10 Tf 0 5 Td (A) Tj ET",
        );
        let page_resources = "<< /XObject << /Im 8 0 R >> >>";
        let annotation =
            b"<< /Type /Annot /Subtype /Widget /Rect [50 50 150 70] /AP << /N 6 0 R >> >>".to_vec();
        let image = stream(
            "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray \
             /BitsPerComponent 8",
            b"\x00",
        );
        // The annotation is object 5 and joins the page through /Annots.
        let mut bytes = pdf(
            page_resources,
            "q 10 0 0 10 0 0 cm /Im Do Q",
            &[annotation, appearance, simple_font(), image],
        );
        let at = bytes.windows(9).position(|w| w == b"/Contents").unwrap();
        bytes.splice(at..at, b"/Annots [5 0 R] ".iter().copied());
        let m = first_page(&bytes);
        assert_eq!(texts(&m), ["A"]);
        assert_eq!(lefts(&m), [50.0]);
        assert_eq!(m.images, 1);
    }

    #[test]
    fn a_form_cannot_restore_the_state_of_the_stream_that_drew_it() {
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 200 200]",
            b"Q Q 10 180 m 100 180 l S",
        );
        let m = marks(
            "<< /XObject << /X1 5 0 R >> >>",
            "q 1 0 0 1 0 -50 cm /X1 Do 10 150 m 100 150 l S Q",
            &[form],
        );
        let ats: Vec<f64> = m.rules.iter().map(|r| r.at).collect();
        // Both lines 50 points down: the form's `Q`s restored nothing of the page's.
        assert_eq!(ats, [70.0, 100.0]);
    }

    #[test]
    fn a_vertical_font_writes_downwards() {
        let font = b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-V \
                     /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"
            .to_vec();
        let descendant = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X \
                           /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) \
                           /Supplement 0 >> >>"
            .to_vec();
        let cmap = b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                     1 beginbfrange <0001> <0002> <4E2D> endbfrange endcmap";
        let m = marks(
            F1,
            "BT /F1 10 Tf 100 150 Td <00010002> Tj ET",
            &[font, descendant, stream("", cmap)],
        );
        assert_eq!(texts(&m), ["中", "丮"]);
        let (a, b) = (&m.glyphs[0], &m.glyphs[1]);
        assert!(
            (b.y0 - a.y0 - 10.0).abs() < 1e-9 && (a.x0 - b.x0).abs() < 1e-9,
            "{m:?}"
        );
        // Centred on the origin, hanging below it.
        assert!(
            (a.x0 - 95.0).abs() < 1e-9 && (a.y0 - 50.0).abs() < 1e-9,
            "{a:?}"
        );
    }

    #[test]
    fn a_layer_switched_off_is_not_read() {
        let layer = b"<< /Type /OCG /Name (Watermark) >>".to_vec();
        let other = b"<< /Type /OCG /Name (Text) >>".to_vec();
        let membership = b"<< /Type /OCMD /OCGs [5 0 R 6 0 R] /P /AllOn >>".to_vec();
        let bytes = pdf_with_catalog(
            "/OCProperties << /OCGs [5 0 R 6 0 R] /D << /OFF [5 0 R] >> >>",
            "<< /Font << /F1 8 0 R >> /Properties << /W 5 0 R /T 6 0 R /M 7 0 R >> >>",
            "/OC /W BDC BT /F1 10 Tf 0 150 Td (A) Tj ET 0 g 0 100 m 100 100 l S EMC \
             /OC /T BDC BT /F1 10 Tf 0 150 Td (B) Tj ET EMC \
             /OC /M BDC BT /F1 10 Tf 0 150 Td (C) Tj ET EMC \
             /Span << /ActualText (x) >> BDC BT /F1 10 Tf 0 150 Td (A) Tj ET EMC",
            &[layer, other, membership, simple_font()],
        );
        let m = first_page(&bytes);
        assert_eq!(texts(&m), ["B", "A"]);
        assert!(m.rules.is_empty(), "{:?}", m.rules);
        // A form that leaves a switched-off layer open hides nothing after it.
        let form = stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 200 200]",
            b"/OC /W BDC 0 g 0 50 m 100 50 l S",
        );
        let layer = b"<< /Type /OCG /Name (Watermark) >>".to_vec();
        let bytes = pdf_with_catalog(
            "/OCProperties << /OCGs [6 0 R] /D << /OFF [6 0 R] >> >>",
            "<< /Font << /F1 7 0 R >> /XObject << /X 5 0 R >> /Properties << /W 6 0 R >> >>",
            "/X Do BT /F1 10 Tf 0 150 Td (A) Tj ET",
            &[form, layer, simple_font()],
        );
        let m = first_page(&bytes);
        assert_eq!(texts(&m), ["A"]);
        assert!(m.rules.is_empty(), "{:?}", m.rules);
    }
}
