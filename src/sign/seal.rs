//! The unit's seal (印章): a PNG image, decoded once per run into the colour and alpha planes
//! that a PDF image XObject and its soft mask take, both deflated, so that each document only
//! copies them.

use std::io::Write as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use super::{Problem, SignError, problem};

/// The PNG signature, the first eight bytes of every PNG file.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A seal larger than this on either side is not a seal scan (a 42 mm seal at 1200 dpi is
/// about 2 000 pixels).
const MAX_SIDE: u32 = 4096;

/// The seal image, ready to embed.
#[derive(Clone)]
pub struct Seal {
    width: u32,
    height: u32,
    /// 8-bit RGB samples, zlib-deflated.
    rgb: Vec<u8>,
    /// 8-bit alpha samples, zlib-deflated; `None` when the image is opaque.
    alpha: Option<Vec<u8>>,
    /// SHA-256 of the decoded pixels, for the document ID.
    digest: [u8; 32],
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seal")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("alpha", &self.alpha.is_some())
            .finish_non_exhaustive()
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::default(),
    );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

impl Seal {
    /// Decodes the PNG `bytes` (read from `path`, named in messages). Any PNG is accepted:
    /// grey or colour, palette or not, 8 or 16 bits, with or without transparency.
    ///
    /// # Errors
    /// [`SignError`] with [`Problem::SealNotPng`] when the bytes are not a PNG,
    /// [`Problem::BadSeal`] when it cannot be decoded or is larger than 4096 pixels a side.
    pub fn from_png(path: &Path, bytes: &[u8]) -> Result<Seal, SignError> {
        if !bytes.starts_with(PNG_SIGNATURE) {
            return Err(problem(path, Problem::SealNotPng));
        }
        let bad = |message: String| problem(path, Problem::BadSeal(message));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|e| bad(e.to_string()))?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(bad(format!(
                "{width}×{height} 像素，超过 {MAX_SIDE}×{MAX_SIDE}"
            )));
        }
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| bad("图片过大".to_string()))?;
        let mut buf = vec![0; size];
        let frame = reader
            .next_frame(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
        let pixels = &buf[..frame.buffer_size()];
        let channels = match frame.color_type {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            // EXPAND turns palettes into RGB(A).
            png::ColorType::Indexed => return Err(bad("调色板未能展开".to_string())),
        };
        let count = width as usize * height as usize;
        let mut rgb = Vec::with_capacity(count * 3);
        let mut alpha = Vec::with_capacity(count);
        // Rows may be padded: walk them by the frame's line size.
        for row in pixels.chunks(frame.line_size).take(height as usize) {
            for px in row.chunks_exact(channels).take(width as usize) {
                match channels {
                    1 => rgb.extend([px[0]; 3]),
                    2 => {
                        rgb.extend([px[0]; 3]);
                        alpha.push(px[1]);
                    }
                    3 => rgb.extend(&px[..3]),
                    _ => {
                        rgb.extend(&px[..3]);
                        alpha.push(px[3]);
                    }
                }
            }
        }
        if rgb.len() != count * 3 {
            return Err(bad("图片数据不完整".to_string()));
        }
        let mut digest = Sha256::new();
        digest.update(width.to_be_bytes());
        digest.update(height.to_be_bytes());
        digest.update(&rgb);
        digest.update(&alpha);
        let opaque = alpha.iter().all(|&a| a == 255);
        Ok(Seal {
            width,
            height,
            rgb: deflate(&rgb),
            alpha: (!opaque).then(|| deflate(&alpha)),
            digest: digest.finalize().into(),
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The RGB samples (8 bits each), zlib-deflated.
    pub fn rgb(&self) -> &[u8] {
        &self.rgb
    }

    /// The alpha samples (8 bits each), zlib-deflated, or `None` when the image is opaque.
    pub fn alpha(&self) -> Option<&[u8]> {
        self.alpha.as_deref()
    }

    /// SHA-256 of the image's pixels.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `width` × `height` pixels of `color_type`, every sample `value`.
    fn png(width: u32, height: u32, color: png::ColorType, value: u8) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(png::BitDepth::Eight);
        let channels = match color {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            _ => 4,
        };
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&vec![value; (width * height) as usize * channels])
            .unwrap();
        writer.finish().unwrap();
        out
    }

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read as _;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn every_colour_type_becomes_rgb_and_alpha() {
        let path = Path::new("seal.png");
        for (color, has_alpha) in [
            (png::ColorType::Grayscale, false),
            (png::ColorType::GrayscaleAlpha, true),
            (png::ColorType::Rgb, false),
            (png::ColorType::Rgba, true),
        ] {
            let seal = Seal::from_png(path, &png(3, 2, color, 100)).unwrap();
            assert_eq!((seal.width(), seal.height()), (3, 2));
            assert_eq!(inflate(seal.rgb()), vec![100; 18], "{color:?}");
            assert_eq!(
                seal.alpha().map(inflate),
                has_alpha.then(|| vec![100; 6]),
                "{color:?}"
            );
        }
        // Fully opaque alpha needs no soft mask.
        let seal = Seal::from_png(path, &png(2, 2, png::ColorType::Rgba, 255)).unwrap();
        assert!(seal.alpha().is_none());
    }

    #[test]
    fn what_is_not_a_png_is_refused() {
        let path = Path::new("seal.png");
        let err = Seal::from_png(path, b"GIF89a....").unwrap_err();
        assert_eq!(err.to_string(), "seal.png：印章图片不是 PNG 文件");
        let mut cut = png(8, 8, png::ColorType::Rgba, 9);
        cut.truncate(cut.len() - 20);
        let err = Seal::from_png(path, &cut).unwrap_err();
        assert!(
            err.to_string().starts_with("seal.png：印章图片无法使用："),
            "{err}"
        );
        let err = Seal::from_png(path, &png(4097, 1, png::ColorType::Grayscale, 0)).unwrap_err();
        assert!(err.to_string().contains("4097×1"), "{err}");
    }
}
