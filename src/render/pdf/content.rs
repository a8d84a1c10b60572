//! A page's content stream written straight into bytes: the few operators the pages use, with
//! coordinates as hundredths of a point printed digit by digit. Generic formatting (an
//! operator list, then each number through `Display` of a float) was a tenth of the PDF
//! writer's time; this writes the same drawing without it. It draws nothing on its own.

/// The operators of one content stream, as bytes.
#[derive(Debug, Default)]
pub(super) struct Content {
    bytes: Vec<u8>,
}

/// The hundredths of a point nearest to `v`: what every coordinate is rounded to (smaller
/// streams, the same drawing).
pub(super) fn hundredths(v: f32) -> i64 {
    (v * 100.0).round() as i64
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl Content {
    pub(super) fn new() -> Content {
        Content {
            bytes: Vec::with_capacity(16 * 1024),
        }
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Appends another stream's operators.
    pub(super) fn append(&mut self, other: Content) {
        self.bytes.extend_from_slice(&other.bytes);
    }

    /// Appends raw operator text, e.g. `"BT\n"`.
    pub(super) fn raw(&mut self, text: &str) {
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// Appends a number given in hundredths as its shortest decimal (`1250` → `12.5`,
    /// `-3` → `-0.03`, `0` → `0`) and a space.
    pub(super) fn hundredths(&mut self, v: i64) {
        if v < 0 {
            self.bytes.push(b'-');
        }
        let a = v.unsigned_abs();
        self.unsigned(a / 100);
        let fraction = a % 100;
        if fraction != 0 {
            self.bytes.push(b'.');
            self.bytes.push(b'0' + (fraction / 10) as u8);
            if !fraction.is_multiple_of(10) {
                self.bytes.push(b'0' + (fraction % 10) as u8);
            }
        }
        self.bytes.push(b' ');
    }

    /// Appends `v` rounded to hundredths, and a space.
    pub(super) fn number(&mut self, v: f32) {
        self.hundredths(hundredths(v));
    }

    fn unsigned(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.bytes.extend_from_slice(&digits[at..]);
    }

    /// A straight stroked segment between two points given in hundredths: `x0 y0 m x1 y1 l S`.
    pub(super) fn segment(&mut self, (x0, y0): (i64, i64), (x1, y1): (i64, i64)) {
        self.hundredths(x0);
        self.hundredths(y0);
        self.raw("m ");
        self.hundredths(x1);
        self.hundredths(y1);
        self.raw("l S\n");
    }

    /// Selects font resource `name` at `size` points: `/F0 9 Tf`.
    pub(super) fn font(&mut self, name: &str, size: f32) {
        self.bytes.push(b'/');
        self.raw(name);
        self.bytes.push(b' ');
        self.number(size);
        self.raw("Tf\n");
    }

    /// Places the next text at (x, y), given in hundredths: `1 0 0 1 x y Tm`.
    pub(super) fn text_at(&mut self, x: i64, y: i64) {
        self.raw("1 0 0 1 ");
        self.hundredths(x);
        self.hundredths(y);
        self.raw("Tm\n");
    }

    /// Shows two-byte character codes (Identity-H CIDs) as one hex string: `<0012ABCD> Tj`.
    pub(super) fn show(&mut self, cids: &[u16]) {
        self.bytes.reserve(cids.len() * 4 + 6);
        self.bytes.push(b'<');
        for &cid in cids {
            for shift in [12, 8, 4, 0] {
                self.bytes.push(HEX[usize::from((cid >> shift) & 0xF)]);
            }
        }
        self.raw("> Tj\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Content)) -> String {
        let mut c = Content::new();
        f(&mut c);
        String::from_utf8(c.into_bytes()).unwrap()
    }

    #[test]
    fn numbers_are_the_shortest_decimal_of_their_hundredths() {
        for (v, text) in [
            (0, "0 "),
            (100, "1 "),
            (1250, "12.5 "),
            (1205, "12.05 "),
            (-3, "-0.03 "),
            (-120, "-1.2 "),
            (84189, "841.89 "),
            (100_000_000, "1000000 "),
        ] {
            assert_eq!(written(|c| c.hundredths(v)), text, "{v}");
        }
        assert_eq!(written(|c| c.number(12.345_6)), "12.35 ");
        assert_eq!(written(|c| c.number(-0.001)), "0 ");
        assert_eq!(hundredths(595.275_6), 59528);
    }

    #[test]
    fn operators_are_written_as_the_pdf_spells_them() {
        assert_eq!(
            written(|c| c.segment((0, 100), (2050, 100))),
            "0 1 m 20.5 1 l S\n"
        );
        assert_eq!(written(|c| c.font("F1", 10.5)), "/F1 10.5 Tf\n");
        assert_eq!(written(|c| c.text_at(7205, -1)), "1 0 0 1 72.05 -0.01 Tm\n");
        assert_eq!(written(|c| c.show(&[0x12, 0xABCD])), "<0012ABCD> Tj\n");
        assert_eq!(written(|c| c.show(&[])), "<> Tj\n");
    }
}
