//! Subsets of a CID-keyed CFF font program (Adobe Technical Note #5176), for embedding as
//! `/FontFile3 /CIDFontType0C`.
//!
//! The bundled fonts are parsed once ([`Cff::parse`]); a subset ([`Cff::subset`]) then costs
//! only copying the used glyphs' charstrings and a few small tables, instead of re-reading the
//! 9 MB program for every document as a general subsetter does.
//!
//! A subset keeps each glyph's CID: glyph 0 is `.notdef`, glyphs 1.. are the used ones in CID
//! order and the charset maps them back to their CIDs, so a PDF shows text by the original
//! CIDs (Identity-H) and `/W` and `/ToUnicode` are keyed by them. Only the font dicts the
//! glyphs use are kept; global and local subroutines are copied whole, so charstrings that call
//! them stay valid (the bundled fonts are desubroutinized and have none).

use std::collections::BTreeMap;
use std::ops::Range;

/// A parsed CID-keyed CFF font program, borrowing its bytes.
#[derive(Debug)]
pub struct Cff<'a> {
    /// The Name INDEX's first entry.
    name: &'a [u8],
    /// The Top DICT, operators other than the offsets rewritten by a subset.
    top: Vec<Entry<'a>>,
    /// The String INDEX and Global Subr INDEX, copied whole.
    strings: &'a [u8],
    global_subrs: &'a [u8],
    charstrings: Index<'a>,
    /// The font dict of each glyph.
    fd_select: Vec<u8>,
    /// The CID of each glyph.
    cids: Vec<u16>,
    /// The glyph of each CID (0 where the font has none).
    glyph_of_cid: Vec<u16>,
    fds: Vec<FontDict<'a>>,
}

/// One font dict of the FDArray, with its Private DICT and local subroutines.
#[derive(Debug)]
struct FontDict<'a> {
    /// Its operators other than `Private`.
    entries: Vec<Entry<'a>>,
    /// The Private DICT, operators other than `Subrs`.
    private: Vec<Entry<'a>>,
    /// The local Subr INDEX, whole, when there is one.
    subrs: Option<&'a [u8]>,
}

/// A DICT operator with its operands, as the bytes they were written in.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    op: u16,
    operands: &'a [u8],
}

/// An INDEX: where it is and where each of its items starts.
#[derive(Debug)]
struct Index<'a> {
    /// The whole INDEX, header included.
    bytes: &'a [u8],
    /// The item data.
    data: &'a [u8],
    count: usize,
    off_size: usize,
    /// Where the offset array starts in `bytes`.
    offsets_at: usize,
}

// DICT operators (two-byte ones as 1200 + second byte).
const OP_CHARSET: u16 = 15;
const OP_ENCODING: u16 = 16;
const OP_CHARSTRINGS: u16 = 17;
const OP_PRIVATE: u16 = 18;
const OP_SUBRS: u16 = 19;
const OP_ROS: u16 = 1230;
const OP_FDARRAY: u16 = 1236;
const OP_FDSELECT: u16 = 1237;

/// What is wrong with a font program, in English: it is a bundled font, so this is a bug.
pub type Error = crate::error::FontFault;

fn error(what: &'static str) -> Error {
    Error::Cff(what)
}

fn card16(data: &[u8], at: usize) -> Result<u16, Error> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| error("truncated"))
}

fn offset(data: &[u8], at: usize, size: usize) -> Result<usize, Error> {
    let bytes = data.get(at..at + size).ok_or_else(|| error("truncated"))?;
    Ok(bytes.iter().fold(0usize, |v, &b| (v << 8) | usize::from(b)))
}

impl<'a> Index<'a> {
    fn parse(data: &'a [u8], at: usize) -> Result<Index<'a>, Error> {
        let count = usize::from(card16(data, at)?);
        if count == 0 {
            let bytes = &data[at..at + 2];
            return Ok(Index {
                bytes,
                data: &[],
                count: 0,
                off_size: 1,
                offsets_at: 2,
            });
        }
        let off_size = usize::from(*data.get(at + 2).ok_or_else(|| error("truncated"))?);
        if !(1..=4).contains(&off_size) {
            return Err(error("bad offset size"));
        }
        let offsets_at = 3;
        // Offsets count from 1 at the first byte of the data.
        let data_start = at + offsets_at + (count + 1) * off_size;
        let last = offset(data, at + offsets_at + count * off_size, off_size)?;
        let end = (data_start + last).wrapping_sub(1);
        if last == 0 || end > data.len() {
            return Err(error("INDEX past the end"));
        }
        Ok(Index {
            bytes: &data[at..end],
            data: &data[data_start..end],
            count,
            off_size,
            offsets_at,
        })
    }

    /// The bytes of item `i`.
    fn get(&self, i: usize) -> Result<&'a [u8], Error> {
        if i >= self.count {
            return Err(error("INDEX item out of range"));
        }
        let at = self.offsets_at + i * self.off_size;
        let start = offset(self.bytes, at, self.off_size)?;
        let end = offset(self.bytes, at + self.off_size, self.off_size)?;
        self.data
            .get(start.wrapping_sub(1)..end.wrapping_sub(1))
            .ok_or_else(|| error("bad INDEX offsets"))
    }

    fn end(&self, start: usize) -> usize {
        start + self.bytes.len()
    }
}

/// The operators of a DICT with their operand bytes.
fn parse_dict(data: &[u8]) -> Result<Vec<Entry<'_>>, Error> {
    let mut entries = Vec::new();
    let (mut i, mut start) = (0, 0);
    while i < data.len() {
        let b0 = data[i];
        match b0 {
            0..=21 => {
                let (op, len) = if b0 == 12 {
                    let b1 = *data.get(i + 1).ok_or_else(|| error("truncated DICT"))?;
                    (1200 + u16::from(b1), 2)
                } else {
                    (u16::from(b0), 1)
                };
                entries.push(Entry {
                    op,
                    operands: &data[start..i],
                });
                i += len;
                start = i;
            }
            28 => i += 3,
            29 => i += 5,
            30 => {
                // A real: nibbles up to the one that is 0xf.
                i += 1;
                while i < data.len() && data[i] & 0x0f != 0x0f && data[i] & 0xf0 != 0xf0 {
                    i += 1;
                }
                i += 1;
            }
            32..=246 => i += 1,
            247..=254 => i += 2,
            _ => return Err(error("bad DICT operand")),
        }
    }
    if start != data.len() {
        return Err(error("DICT operands without an operator"));
    }
    Ok(entries)
}

/// The integer operands of a DICT entry.
fn integers(operands: &[u8]) -> Result<Vec<i64>, Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < operands.len() {
        let b0 = operands[i];
        let byte = |k: usize| {
            operands
                .get(i + k)
                .map(|&b| i64::from(b))
                .ok_or_else(|| error("truncated operand"))
        };
        let (value, len) = match b0 {
            28 => (i64::from(card16(operands, i + 1)? as i16), 3),
            29 => {
                let b = operands
                    .get(i + 1..i + 5)
                    .ok_or_else(|| error("truncated operand"))?;
                (i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])), 5)
            }
            32..=246 => (i64::from(b0) - 139, 1),
            247..=250 => ((i64::from(b0) - 247) * 256 + byte(1)? + 108, 2),
            251..=254 => (-(i64::from(b0) - 251) * 256 - byte(1)? - 108, 2),
            _ => return Err(error("expected an integer operand")),
        };
        out.push(value);
        i += len;
    }
    Ok(out)
}

fn find<'e>(entries: &'e [Entry<'_>], op: u16) -> Option<&'e Entry<'e>> {
    entries.iter().find(|e| e.op == op)
}

/// The single offset operand of `op`.
fn offset_of(entries: &[Entry<'_>], op: u16, what: &'static str) -> Result<usize, Error> {
    let entry = find(entries, op).ok_or(Error::CffMissing(what))?;
    match integers(entry.operands)?.as_slice() {
        [v] if *v >= 0 => Ok(*v as usize),
        _ => Err(Error::CffOffset(what)),
    }
}

/// The (size, offset) operands of `Private`.
fn private_range(entries: &[Entry<'_>]) -> Result<Range<usize>, Error> {
    let entry = find(entries, OP_PRIVATE).ok_or_else(|| error("font dict without Private"))?;
    match integers(entry.operands)?.as_slice() {
        [size, at] if *size >= 0 && *at >= 0 => Ok(*at as usize..(*at + *size) as usize),
        _ => Err(error("bad Private operands")),
    }
}

impl<'a> Cff<'a> {
    /// Parses the `CFF ` table of an OpenType font.
    ///
    /// # Errors
    /// When the program is not a CID-keyed CFF (version 1) or is damaged.
    pub fn parse(data: &'a [u8]) -> Result<Cff<'a>, Error> {
        if data.first() != Some(&1) {
            return Err(error("not CFF version 1"));
        }
        let header_size = usize::from(*data.get(2).ok_or_else(|| error("truncated"))?);
        let names = Index::parse(data, header_size)?;
        let top_index = Index::parse(data, names.end(header_size))?;
        let strings_at = top_index.end(names.end(header_size));
        let strings = Index::parse(data, strings_at)?;
        let global_subrs = Index::parse(data, strings.end(strings_at))?;
        let top = parse_dict(top_index.get(0)?)?;
        if find(&top, OP_ROS).is_none() {
            return Err(error("not CID-keyed (no ROS)"));
        }
        let charstrings = Index::parse(data, offset_of(&top, OP_CHARSTRINGS, "CharStrings")?)?;
        let glyphs = charstrings.count;
        let fd_array = Index::parse(data, offset_of(&top, OP_FDARRAY, "FDArray")?)?;
        let fd_select = parse_fd_select(data, offset_of(&top, OP_FDSELECT, "FDSelect")?, glyphs)?;
        if fd_select
            .iter()
            .any(|&fd| usize::from(fd) >= fd_array.count)
        {
            return Err(error("FDSelect names a missing font dict"));
        }
        let cids = parse_charset(data, offset_of(&top, OP_CHARSET, "charset")?, glyphs)?;
        let mut glyph_of_cid = vec![0u16; usize::from(cids.iter().copied().max().unwrap_or(0)) + 1];
        for (gid, &cid) in cids.iter().enumerate().skip(1).rev() {
            // A CID shown by two glyphs (a broken charset) resolves to the first.
            glyph_of_cid[usize::from(cid)] = gid as u16;
        }
        let mut fds = Vec::with_capacity(fd_array.count);
        for i in 0..fd_array.count {
            let entries = parse_dict(fd_array.get(i)?)?;
            let range = private_range(&entries)?;
            let private_bytes = data
                .get(range.clone())
                .ok_or_else(|| error("Private past the end"))?;
            let private = parse_dict(private_bytes)?;
            let subrs = match find(&private, OP_SUBRS) {
                Some(_) => {
                    let at = range.start + offset_of(&private, OP_SUBRS, "Subrs")?;
                    Some(Index::parse(data, at)?.bytes)
                }
                None => None,
            };
            fds.push(FontDict {
                entries: entries.into_iter().filter(|e| e.op != OP_PRIVATE).collect(),
                private: private.into_iter().filter(|e| e.op != OP_SUBRS).collect(),
                subrs,
            });
        }
        let rewritten = [
            OP_CHARSET,
            OP_ENCODING,
            OP_CHARSTRINGS,
            OP_PRIVATE,
            OP_FDARRAY,
            OP_FDSELECT,
        ];
        Ok(Cff {
            name: names.get(0)?,
            top: top
                .into_iter()
                .filter(|e| !rewritten.contains(&e.op))
                .collect(),
            strings: strings.bytes,
            global_subrs: global_subrs.bytes,
            charstrings,
            fd_select,
            cids,
            glyph_of_cid,
            fds,
        })
    }

    /// The number of glyphs.
    #[cfg(test)]
    fn glyphs(&self) -> usize {
        self.charstrings.count
    }

    /// The CID of glyph `gid` (0 for a glyph the font does not have).
    pub fn cid(&self, gid: u16) -> u16 {
        self.cids.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// A font program holding `.notdef` and the glyphs of `cids` (CIDs this font has; others
    /// are left out), each under its CID.
    ///
    /// # Errors
    /// When a charstring of the font cannot be read (a damaged program).
    pub fn subset(&self, cids: impl IntoIterator<Item = u16>) -> Result<Vec<u8>, Error> {
        // (CID, glyph) of .notdef and of each requested CID the font has, in CID order.
        let mut glyphs: Vec<(u16, usize)> = vec![(0, 0)];
        glyphs.extend(cids.into_iter().filter_map(|cid| {
            let gid = *self.glyph_of_cid.get(usize::from(cid))?;
            (gid != 0).then_some((cid, usize::from(gid)))
        }));
        glyphs[1..].sort_unstable();
        glyphs.dedup();

        // The font dicts in use, renumbered in order of first use.
        let mut fd_map: BTreeMap<u8, u8> = BTreeMap::new();
        let mut fd_of_glyph = Vec::with_capacity(glyphs.len());
        for &(_, gid) in &glyphs {
            let old = self.fd_select[gid];
            let next = fd_map.len() as u8;
            fd_of_glyph.push(*fd_map.entry(old).or_insert(next));
        }
        let mut fds_used: Vec<(u8, u8)> = fd_map.iter().map(|(&o, &n)| (n, o)).collect();
        fds_used.sort_unstable();

        let charstrings: Vec<&[u8]> = glyphs
            .iter()
            .map(|&(_, gid)| self.charstrings.get(gid))
            .collect::<Result<_, _>>()?;
        let charstrings = index(&charstrings);
        let mut charset = vec![0u8];
        for &(cid, _) in &glyphs[1..] {
            charset.extend(cid.to_be_bytes());
        }
        let fd_select = fd_select_format3(&fd_of_glyph);
        let names = index(&[self.name]);
        // Each kept Private DICT, with its local subroutines right after it.
        let privates: Vec<(Vec<u8>, &[u8])> = fds_used
            .iter()
            .map(|&(_, old)| {
                let fd = &self.fds[usize::from(old)];
                match fd.subrs {
                    None => (dict(&fd.private, &[]), &[][..]),
                    Some(subrs) => {
                        // The Subrs offset counts from the DICT's start: its own size.
                        let size = dict(&fd.private, &[]).len() + 6;
                        (dict(&fd.private, &[(OP_SUBRS, &[size as i64])]), subrs)
                    }
                }
            })
            .collect();

        // Offsets are written as 5-byte integers: a DICT's size does not depend on them.
        let top = |at: [usize; 4]| {
            let [charset, fd_select, charstrings, fd_array] = at.map(|v| [v as i64]);
            index(&[&dict(
                &self.top,
                &[
                    (OP_CHARSET, &charset),
                    (OP_FDSELECT, &fd_select),
                    (OP_CHARSTRINGS, &charstrings),
                    (OP_FDARRAY, &fd_array),
                ],
            )])
        };
        let fd_array = |first_private: usize| {
            let mut at = first_private;
            let dicts: Vec<Vec<u8>> = fds_used
                .iter()
                .zip(&privates)
                .map(|(&(_, old), (private, subrs))| {
                    let d = dict(
                        &self.fds[usize::from(old)].entries,
                        &[(OP_PRIVATE, &[private.len() as i64, at as i64])],
                    );
                    at += private.len() + subrs.len();
                    d
                })
                .collect();
            index(&dicts.iter().map(Vec::as_slice).collect::<Vec<_>>())
        };
        let charset_at =
            4 + names.len() + top([0; 4]).len() + self.strings.len() + self.global_subrs.len();
        let fd_select_at = charset_at + charset.len();
        let charstrings_at = fd_select_at + fd_select.len();
        let fd_array_at = charstrings_at + charstrings.len();
        let private_at = fd_array_at + fd_array(0).len();

        let mut out = Vec::new();
        out.extend([1, 0, 4, 4]);
        out.extend(names);
        out.extend(top([charset_at, fd_select_at, charstrings_at, fd_array_at]));
        out.extend(self.strings);
        out.extend(self.global_subrs);
        debug_assert_eq!(out.len(), charset_at);
        out.extend(charset);
        out.extend(fd_select);
        out.extend(charstrings);
        out.extend(fd_array(private_at));
        debug_assert_eq!(out.len(), private_at);
        for (private, subrs) in privates {
            out.extend(private);
            out.extend(subrs);
        }
        Ok(out)
    }
}

/// FDSelect (format 0 or 3) → the font dict of each glyph.
fn parse_fd_select(data: &[u8], at: usize, glyphs: usize) -> Result<Vec<u8>, Error> {
    match data.get(at) {
        Some(0) => data
            .get(at + 1..at + 1 + glyphs)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| error("FDSelect past the end")),
        Some(3) => {
            let ranges = usize::from(card16(data, at + 1)?);
            let mut out = vec![0u8; glyphs];
            for r in 0..ranges {
                let p = at + 3 + r * 3;
                let first = usize::from(card16(data, p)?);
                let fd = *data.get(p + 2).ok_or_else(|| error("truncated FDSelect"))?;
                let next = usize::from(card16(data, p + 3)?);
                out.get_mut(first..next.min(glyphs))
                    .ok_or_else(|| error("bad FDSelect range"))?
                    .fill(fd);
            }
            Ok(out)
        }
        _ => Err(error("unknown FDSelect format")),
    }
}

/// The charset (format 0, 1 or 2) → the CID of each glyph (glyph 0 is CID 0).
fn parse_charset(data: &[u8], at: usize, glyphs: usize) -> Result<Vec<u16>, Error> {
    let mut cids = Vec::with_capacity(glyphs);
    cids.push(0);
    let format = *data.get(at).ok_or_else(|| error("charset past the end"))?;
    let mut p = at + 1;
    while cids.len() < glyphs {
        match format {
            0 => {
                cids.push(card16(data, p)?);
                p += 2;
            }
            1 | 2 => {
                let first = card16(data, p)?;
                let left = if format == 1 {
                    u16::from(*data.get(p + 2).ok_or_else(|| error("truncated charset"))?)
                } else {
                    card16(data, p + 2)?
                };
                p += if format == 1 { 3 } else { 4 };
                for k in 0..=left {
                    if cids.len() == glyphs {
                        break;
                    }
                    cids.push(first.checked_add(k).ok_or_else(|| error("bad charset"))?);
                }
            }
            _ => return Err(error("unknown charset format")),
        }
    }
    Ok(cids)
}

/// FDSelect format 3 for the font dict of each glyph.
fn fd_select_format3(fds: &[u8]) -> Vec<u8> {
    let mut ranges: Vec<(u16, u8)> = Vec::new();
    for (gid, &fd) in fds.iter().enumerate() {
        if ranges.last().is_none_or(|&(_, last)| last != fd) {
            ranges.push((gid as u16, fd));
        }
    }
    let mut out = vec![3];
    out.extend((ranges.len() as u16).to_be_bytes());
    for (first, fd) in ranges {
        out.extend(first.to_be_bytes());
        out.push(fd);
    }
    out.extend((fds.len() as u16).to_be_bytes());
    out
}

/// An INDEX of `items`.
fn index(items: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return out;
    }
    let total: usize = items.iter().map(|i| i.len()).sum::<usize>() + 1;
    let off_size = match total {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    };
    out.push(off_size as u8);
    let mut at = 1usize;
    let put = |out: &mut Vec<u8>, v: usize| {
        out.extend(&(v as u32).to_be_bytes()[4 - off_size..]);
    };
    put(&mut out, at);
    for item in items {
        at += item.len();
        put(&mut out, at);
    }
    for item in items {
        out.extend(*item);
    }
    out
}

/// A DICT of `entries` followed by `offsets`, each operand a 5-byte integer.
fn dict(entries: &[Entry<'_>], offsets: &[(u16, &[i64])]) -> Vec<u8> {
    let mut out = Vec::new();
    let op = |out: &mut Vec<u8>, op: u16| {
        if op >= 1200 {
            out.extend([12, (op - 1200) as u8]);
        } else {
            out.push(op as u8);
        }
    };
    // ROS must come first in a CID-keyed Top DICT.
    for e in entries.iter().filter(|e| e.op == OP_ROS) {
        out.extend(e.operands);
        op(&mut out, e.op);
    }
    for e in entries.iter().filter(|e| e.op != OP_ROS) {
        out.extend(e.operands);
        op(&mut out, e.op);
    }
    for &(o, values) in offsets {
        for &v in values {
            out.push(29);
            out.extend((v as i32).to_be_bytes());
        }
        op(&mut out, o);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Cff<'static> {
        let face = ttf_parser::RawFace::parse(crate::fonts::REGULAR, 0).unwrap();
        let table = face.table(ttf_parser::Tag::from_bytes(b"CFF ")).unwrap();
        Cff::parse(table).unwrap()
    }

    #[test]
    fn the_bundled_fonts_parse() {
        let cff = font();
        assert_eq!(cff.glyphs(), 29_334);
        // Renumbered when the fonts were built: CID = glyph index.
        assert!((0..cff.glyphs() as u16).all(|g| cff.cid(g) == g));
        assert!(cff.fds.iter().all(|fd| fd.subrs.is_none()));
    }

    #[test]
    fn a_subset_reads_back_with_its_glyphs_under_their_cids() {
        let cff = font();
        let cids = [35u16, 4_000, 12_345, 29_333, 60_000];
        let bytes = cff.subset(cids).unwrap();
        let sub = Cff::parse(&bytes).unwrap();
        // .notdef and the four CIDs the font has; 60 000 is not one of them.
        assert_eq!(sub.glyphs(), 5);
        assert_eq!(sub.cids, vec![0, 35, 4_000, 12_345, 29_333]);
        for (gid, &cid) in sub.cids.iter().enumerate() {
            assert_eq!(
                sub.charstrings.get(gid).unwrap(),
                cff.charstrings.get(usize::from(cid)).unwrap()
            );
            let fd = |c: &Cff, g: usize| c.fds[usize::from(c.fd_select[g])].private.len();
            assert_eq!(fd(&sub, gid), fd(&cff, usize::from(cid)));
        }
        assert!(sub.fds.len() <= cff.fds.len());
        assert_eq!(sub.strings, cff.strings);
        assert_eq!(sub.name, cff.name);
    }

    #[test]
    fn local_subroutines_follow_their_private_dict() {
        // The bundled fonts have none: give every font dict a Subr INDEX of its own.
        let mut cff = font();
        let subrs: Vec<Vec<u8>> = (0..cff.fds.len())
            .map(|k| index(&[&[139 + k as u8, 11][..], &[11]]))
            .collect();
        for (fd, s) in cff.fds.iter_mut().zip(&subrs) {
            fd.subrs = Some(s);
        }
        let cids = [35u16, 4_000, 12_345];
        let bytes = cff.subset(cids).unwrap();
        let sub = Cff::parse(&bytes).unwrap();
        for (gid, &cid) in sub.cids.iter().enumerate() {
            let old = cff.fd_select[usize::from(cid)];
            let new = sub.fd_select[gid];
            assert_eq!(
                sub.fds[usize::from(new)].subrs,
                Some(&subrs[usize::from(old)][..])
            );
        }
    }

    #[test]
    fn dict_operands_round_trip() {
        for v in [
            0i64, -107, 107, 108, -108, 1131, -1131, 1132, 32_767, -32_768, 100_000,
        ] {
            let d = dict(&[], &[(OP_CHARSET, &[v])]);
            let e = parse_dict(&d).unwrap();
            assert_eq!(integers(e[0].operands).unwrap(), vec![v]);
        }
        // The short encodings a font uses.
        assert_eq!(
            integers(&[139, 247, 0, 251, 0, 28, 0x80, 0]).unwrap(),
            vec![0, 108, -108, -32_768]
        );
    }
}
