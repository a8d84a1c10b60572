//! A minimal reader of OLE compound files (the container of `.xls` and of encrypted
//! `.xlsx`): the directory and the streams, nothing else. Never trusts a sector number.

use std::borrow::Cow;

/// The signature of a compound file.
pub const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

/// A compound file held in memory.
pub struct Cfb<'a> {
    /// The file, padded to a whole number of sectors.
    data: Cow<'a, [u8]>,
    sector_size: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    mini_cutoff: u64,
    entries: Vec<Entry>,
}

/// A stream of the directory.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    start: u32,
    size: u64,
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

impl<'a> Cfb<'a> {
    /// Parses the header, the allocation tables and the directory.
    ///
    /// # Errors
    /// A short Chinese reason when the structure is damaged.
    pub fn parse(data: &'a [u8]) -> Result<Cfb<'a>, &'static str> {
        const DAMAGED: &str = "OLE 复合文档结构损坏";
        if data.len() < 512 || data[..8] != MAGIC {
            return Err("不是 OLE 复合文档");
        }
        let shift = u16_at(data, 0x1E).ok_or(DAMAGED)?;
        if !(7..=16).contains(&shift) {
            return Err(DAMAGED);
        }
        let sector_size = 1usize << shift;
        // Some writers leave the last sector short (a file of 5 109 bytes); other readers
        // take the missing bytes as zeros, and so does this one.
        let data: Cow<'a, [u8]> = if data.len().is_multiple_of(sector_size) {
            Cow::Borrowed(data)
        } else {
            let mut padded = data.to_vec();
            padded.resize(data.len().next_multiple_of(sector_size), 0);
            Cow::Owned(padded)
        };
        let mini_cutoff = u64::from(u32_at(&data, 0x38).ok_or(DAMAGED)?);
        let first_dir = u32_at(&data, 0x30).ok_or(DAMAGED)?;
        let first_mini_fat = u32_at(&data, 0x3C).ok_or(DAMAGED)?;
        let mut difat_sector = u32_at(&data, 0x44).ok_or(DAMAGED)?;
        let sectors = data.len().div_ceil(sector_size);

        // The FAT sectors: 109 in the header, more in a chain of DIFAT sectors.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(&data, 0x4C + i * 4))
            .filter(|&s| s != FREE && s != END_OF_CHAIN)
            .collect();
        let mut seen = 0;
        while difat_sector != END_OF_CHAIN && difat_sector != FREE {
            seen += 1;
            if seen > sectors {
                return Err(DAMAGED);
            }
            let base = (difat_sector as usize + 1) * sector_size;
            let per = sector_size / 4 - 1;
            for i in 0..per {
                match u32_at(&data, base + i * 4) {
                    Some(s) if s != FREE && s != END_OF_CHAIN => fat_sectors.push(s),
                    Some(_) => {}
                    None => return Err(DAMAGED),
                }
            }
            difat_sector = u32_at(&data, base + per * 4).ok_or(DAMAGED)?;
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
        for s in fat_sectors {
            let base = (s as usize + 1).checked_mul(sector_size).ok_or(DAMAGED)?;
            let sector = data.get(base..base + sector_size).ok_or(DAMAGED)?;
            fat.extend(
                sector
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))),
            );
        }
        let mut cfb = Cfb {
            data,
            sector_size,
            fat,
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            mini_cutoff,
            entries: Vec::new(),
        };
        let dir = cfb.chain(first_dir, None).ok_or(DAMAGED)?;
        let mut root = None;
        for raw in dir.chunks_exact(128) {
            let kind = raw[0x42];
            let name_len = (u16_at(raw, 0x40).unwrap_or(0) as usize).min(64);
            let units: Vec<u16> = raw[..name_len.saturating_sub(2)]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let entry = Entry {
                name: String::from_utf16_lossy(&units),
                start: u32_at(raw, 0x74).unwrap_or(END_OF_CHAIN),
                // Version 3 files (512-byte sectors) may leave junk in the high half.
                size: u64_at(raw, 0x78).map_or(0, |s| {
                    if sector_size == 512 {
                        s & 0xFFFF_FFFF
                    } else {
                        s
                    }
                }),
            };
            match kind {
                5 if root.is_none() => root = Some(entry),
                2 => cfb.entries.push(entry),
                _ => {}
            }
        }
        if let Some(root) = root {
            if first_mini_fat != END_OF_CHAIN && first_mini_fat != FREE {
                let table = cfb.chain(first_mini_fat, None).ok_or(DAMAGED)?;
                cfb.mini_fat = table
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
                    .collect();
            }
            if root.start != END_OF_CHAIN && root.size > 0 {
                cfb.mini_stream = cfb.chain(root.start, Some(root.size)).ok_or(DAMAGED)?;
            }
        }
        Ok(cfb)
    }

    /// Follows a chain of regular sectors; `size` cuts the result.
    fn chain(&self, start: u32, size: Option<u64>) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut sector = start;
        let limit = size.map(|s| s as usize);
        let mut steps = 0;
        while sector != END_OF_CHAIN {
            steps += 1;
            if steps > self.fat.len() + 1 || sector as usize >= self.fat.len() {
                return None;
            }
            let base = (sector as usize + 1) * self.sector_size;
            let end = (base + self.sector_size).min(self.data.len());
            out.extend_from_slice(self.data.get(base..end)?);
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
            sector = self.fat[sector as usize];
        }
        if let Some(l) = limit {
            if out.len() < l {
                return None;
            }
            out.truncate(l);
        }
        Some(out)
    }

    /// Follows a chain of mini sectors (64 bytes) in the mini stream.
    fn mini_chain(&self, start: u32, size: u64) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(size as usize);
        let mut sector = start;
        let mut steps = 0;
        while sector != END_OF_CHAIN && (out.len() as u64) < size {
            steps += 1;
            if steps > self.mini_fat.len() + 1 || sector as usize >= self.mini_fat.len() {
                return None;
            }
            let base = sector as usize * 64;
            out.extend_from_slice(self.mini_stream.get(base..base + 64)?);
            sector = self.mini_fat[sector as usize];
        }
        if (out.len() as u64) < size {
            return None;
        }
        out.truncate(size as usize);
        Some(out)
    }

    /// True when the file holds a stream named `name` (case-insensitive).
    pub fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// The bytes of the stream named `name` (case-insensitive); `None` when it is missing or
    /// its chain is damaged.
    pub fn stream(&self, name: &str) -> Option<Vec<u8>> {
        let entry = self
            .entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))?;
        if entry.size as usize > self.data.len() * 2 + 4096 {
            return None;
        }
        if entry.size < self.mini_cutoff {
            self.mini_chain(entry.start, entry.size)
        } else {
            self.chain(entry.start, Some(entry.size))
        }
    }
}
