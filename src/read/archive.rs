//! A `.zip` of a folder of forms — what a finance officer gets when she compresses a
//! department's folder — as inputs: its form files in name order, each with its path inside
//! the archive and its bytes decompressed within the limits of [`super::limits`].
//!
//! Nothing here touches the file system: entry names are only shown and used as relative
//! paths of outputs. An entry whose name climbs out (`../`, an absolute or drive path), an
//! encrypted entry, an archive inside the archive and an entry past the limits (a zip bomb)
//! are each refused with one line; the other entries are read all the same. Entries a folder
//! walk skips (folders, hidden files, Office lock files, `__MACOSX/`, files of other kinds)
//! are skipped here too.

use std::io::{Cursor, Read as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use zip::{ZipArchive, ZipReadOptions};

use super::InputKind;
use super::limits::{MAX_ARCHIVE_DIRECTORY, MAX_ARCHIVE_ENTRIES, MAX_DATA, MAX_FILE, MAX_UNZIPPED};
use crate::error::{Error, Result};

/// The longest entry name shown in a message, in characters.
const MAX_NAME: usize = 80;

/// A zip archive held in memory.
pub struct Archive<'a> {
    /// How messages name the archive (the uploaded file's name).
    label: PathBuf,
    bytes: &'a [u8],
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

/// A form file inside an [`Archive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The entry's index in the archive.
    index: usize,
    /// Its path inside the archive, every component a plain name.
    pub relative: PathBuf,
    /// The size its header declares once decompressed (it may lie).
    pub declared: u64,
}

/// The error of the archive `label`, or of its entry `name`.
fn refused(label: &Path, name: Option<&str>, message: impl Into<String>) -> Error {
    // Joined as text: an absolute entry name must not replace the archive's.
    let path = match name {
        Some(name) => PathBuf::from(format!(
            "{}/{}",
            label.display(),
            crate::text::one_line(name, MAX_NAME)
        )),
        None => label.to_path_buf(),
    };
    Error::Archive {
        path,
        message: message.into(),
    }
}

/// The number of entries and the size of the central directory the end record of the zip in
/// `bytes` declares (ZIP64 records included); `None` when there is no such record (the zip
/// reader then says what is wrong).
fn directory(bytes: &[u8]) -> Option<(u64, u64)> {
    const END: &[u8] = b"PK\x05\x06";
    const LOCATOR: &[u8] = b"PK\x06\x07";
    const END64: &[u8] = b"PK\x06\x06";
    let u16_at = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let u64_at = |at: usize| Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?));
    // The end record is 22 bytes and a comment of at most 65 535 bytes.
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(u16::MAX as usize);
    let end = (first..=last)
        .rev()
        .find(|&at| bytes[at..].starts_with(END))?;
    let entries = u64::from(u16_at(end + 10)?);
    let size = u64::from(u32_at(end + 12)?);
    if entries != u64::from(u16::MAX) && size != u64::from(u32::MAX) {
        return Some((entries, size));
    }
    // ZIP64: the locator just before the end record points at the ZIP64 end record.
    let locator = end.checked_sub(20)?;
    if !bytes[locator..].starts_with(LOCATOR) {
        return Some((entries, size));
    }
    let end64 = usize::try_from(u64_at(locator + 8)?).ok()?;
    if !bytes.get(end64..)?.starts_with(END64) {
        return None;
    }
    Some((u64_at(end64 + 32)?, u64_at(end64 + 40)?))
}

/// An entry's name as text: UTF-8 when it is (the flag is often missing), else GB18030, the
/// code page of the Chinese Windows that wrote it.
fn decode_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(name) => name.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

/// The entry `name` as a relative path of plain names (`.` components dropped), or `None`
/// when it climbs out of the archive: a `..` component, an absolute path, a drive or UNC
/// prefix, a NUL.
fn enclosed(name: &str) -> Option<PathBuf> {
    if name.contains('\0') || name.starts_with(['/', '\\']) {
        return None;
    }
    let mut path = PathBuf::new();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            // `C:`, `C:x`: a drive, wherever it stands.
            p if p.contains(':') => return None,
            p => path.push(p),
        }
    }
    Some(path)
}

/// True for entries a folder walk skips: hidden files and folders (`.DS_Store`,
/// `.git/`), macOS resource forks (`__MACOSX/`) and Office lock files (`~$a.xlsx`).
fn skipped(relative: &Path) -> bool {
    relative.iter().any(|part| {
        let part = part.to_string_lossy();
        part.starts_with('.') || part.starts_with("~$") || part == "__MACOSX"
    })
}

impl<'a> Archive<'a> {
    /// Opens the zip in `bytes`; `label` names it in messages.
    ///
    /// # Errors
    /// [`Error::Archive`] when it is not a readable zip, or declares more than
    /// [`MAX_ARCHIVE_ENTRIES`] entries or a central directory over
    /// [`MAX_ARCHIVE_DIRECTORY`] bytes (checked before the directory is read).
    pub fn open(label: &Path, bytes: &'a [u8]) -> Result<Archive<'a>> {
        let too_many = || {
            refused(
                label,
                None,
                format!(
                    "压缩包中的条目过多（上限 {MAX_ARCHIVE_ENTRIES} 个），不是一个部门的表格文件夹"
                ),
            )
        };
        if let Some((entries, size)) = directory(bytes)
            && (entries > MAX_ARCHIVE_ENTRIES as u64 || size > MAX_ARCHIVE_DIRECTORY)
        {
            return Err(too_many());
        }
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| refused(label, None, "不是有效的 zip 压缩包（结构损坏或文件不完整）"))?;
        // The end record may lie about its size: the directory as read is bounded too.
        if zip.len() > MAX_ARCHIVE_ENTRIES {
            return Err(too_many());
        }
        Ok(Archive {
            label: label.to_path_buf(),
            bytes,
            zip,
        })
    }

    /// The form files of the archive, sorted by path, and in their place each entry that is
    /// refused: one that climbs out, one that is itself an archive. Entries a folder walk
    /// skips are left out.
    pub fn members(&self) -> Vec<Result<Member>> {
        let mut found: Vec<(String, Result<Member>)> = Vec::new();
        for index in 0..self.zip.len() {
            let Ok(entry) = self.zip.by_index_data(index) else {
                continue;
            };
            let name = decode_name(entry.name_raw());
            if entry.is_dir() {
                continue;
            }
            let Some(relative) = enclosed(&name) else {
                found.push((
                    name.clone(),
                    Err(refused(
                        &self.label,
                        Some(&name),
                        "条目路径指向压缩包之外（含 ../ 或绝对路径），已拒绝",
                    )),
                ));
                continue;
            };
            if relative.as_os_str().is_empty() || skipped(&relative) {
                continue;
            }
            let archive = relative
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
            if archive {
                found.push((
                    name.clone(),
                    Err(refused(
                        &self.label,
                        Some(&name),
                        "压缩包中的压缩包不展开：请先解压它，或单独拖入",
                    )),
                ));
                continue;
            }
            if InputKind::of(&relative).is_none() {
                continue;
            }
            found.push((
                name,
                Ok(Member {
                    index,
                    relative,
                    declared: entry.size(),
                }),
            ));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found.into_iter().map(|(_, m)| m).collect()
    }

    /// The bytes of `member`, decompressed. At most [`MAX_FILE`] bytes for a workbook and
    /// [`MAX_DATA`] for a data file, and, across all the archive's members, at most
    /// [`MAX_UNZIPPED`]: `unzipped` counts what was decompressed so far (shared by the
    /// threads reading one archive).
    ///
    /// # Errors
    /// [`Error::Archive`] naming the entry: encrypted, damaged, or past a limit.
    pub fn read(&self, member: &Member, unzipped: &AtomicU64) -> Result<Vec<u8>> {
        let name = member.relative.display().to_string();
        let fail = |message: String| refused(&self.label, Some(&name), message);
        let limit = match InputKind::of(&member.relative) {
            Some(InputKind::Json | InputKind::Toml) => MAX_DATA,
            _ => MAX_FILE,
        };
        let too_big = || fail(format!("解压后超过 {} MB，不是自评表", limit / 1024 / 1024));
        let entry = self
            .zip
            .by_index_data(member.index)
            .map_err(|_| fail("zip 数据损坏".to_string()))?;
        if entry.encrypted() {
            return Err(fail("已加密，请先解密后再压缩".to_string()));
        }
        if entry.size() > limit {
            return Err(too_big());
        }
        let mut cursor = Cursor::new(self.bytes);
        let file = entry
            .with_reader(&mut cursor, ZipReadOptions::new())
            .map_err(|_| fail("zip 数据损坏或使用了不支持的压缩方式".to_string()))?;
        // The declared size may lie: grow as the data comes, up to the limit.
        let mut out = Vec::with_capacity(member.declared.min(1 << 20) as usize);
        file.take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|_| fail("zip 数据损坏".to_string()))?;
        if out.len() as u64 > limit {
            return Err(too_big());
        }
        let before = unzipped.fetch_add(out.len() as u64, Ordering::Relaxed);
        if before + out.len() as u64 > MAX_UNZIPPED {
            return Err(fail(format!(
                "压缩包解压后总计超过 {} MB，此文件未读取",
                MAX_UNZIPPED / 1024 / 1024
            )));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    use zip::write::{SimpleFileOptions, ZipWriter};

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn label() -> &'static Path {
        Path::new("部门.zip")
    }

    #[test]
    fn names_that_climb_out_are_refused() {
        let cases = [
            ("a/b.xlsx", Some("a/b.xlsx")),
            ("./a/./b.xlsx", Some("a/b.xlsx")),
            ("a\\b.xlsx", Some("a/b.xlsx")),
            ("../b.xlsx", None),
            ("a/../../b.xlsx", None),
            ("/etc/passwd.json", None),
            ("\\\\server\\share\\a.xlsx", None),
            ("C:\\Windows\\a.xlsx", None),
            ("C:a.xlsx", None),
            ("a\0.xlsx", None),
        ];
        for (name, want) in cases {
            assert_eq!(enclosed(name), want.map(PathBuf::from), "{name:?}");
        }
    }

    #[test]
    fn members_are_the_form_files_in_name_order() {
        let bytes = zip_of(&[
            ("单位/b.xlsx", b"x"),
            ("单位/a.json", b"{}"),
            ("单位/", b""),
            ("单位/说明.docx", b"x"),
            ("单位/.DS_Store", b"x"),
            ("__MACOSX/单位/._a.json", b"x"),
            ("单位/~$b.xlsx", b"x"),
            ("../evil.xlsx", b"x"),
            ("单位/inner.zip", b"PK"),
        ]);
        let archive = Archive::open(label(), &bytes).unwrap();
        let members = archive.members();
        let shown: Vec<String> = members
            .iter()
            .map(|m| match m {
                Ok(m) => m.relative.display().to_string(),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "部门.zip/../evil.xlsx：条目路径指向压缩包之外（含 ../ 或绝对路径），已拒绝",
                "单位/a.json",
                "单位/b.xlsx",
                "部门.zip/单位/inner.zip：压缩包中的压缩包不展开：请先解压它，或单独拖入",
            ]
        );
        let unzipped = AtomicU64::new(0);
        let a = members[1].as_ref().unwrap();
        assert_eq!(archive.read(a, &unzipped).unwrap(), b"{}");
        assert_eq!(unzipped.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn names_from_chinese_windows_are_read_as_gbk() {
        // 表.xlsx in GBK, without the UTF-8 flag.
        let (gbk, _, _) = encoding_rs::GBK.encode("表.xlsx");
        assert_eq!(decode_name(&gbk), "表.xlsx");
        assert_eq!(decode_name("表.xlsx".as_bytes()), "表.xlsx");
    }

    #[test]
    fn bombs_stop_at_the_limit() {
        // 11 MB of zeros as a JSON file (the limit is 10 MB): refused by what it holds, even
        // though its header is honest; a workbook of the same size is read.
        let zeros = vec![b'0'; 11 * 1024 * 1024];
        let bytes = zip_of(&[("a.json", &zeros), ("b.xlsx", &zeros)]);
        let archive = Archive::open(label(), &bytes).unwrap();
        let members = archive.members();
        let unzipped = AtomicU64::new(0);
        let err = archive
            .read(members[0].as_ref().unwrap(), &unzipped)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "部门.zip/a.json：解压后超过 10 MB，不是自评表"
        );
        let b = archive
            .read(members[1].as_ref().unwrap(), &unzipped)
            .unwrap();
        assert_eq!(b.len(), zeros.len());
        // Past the total for the archive, the rest is not read.
        unzipped.store(MAX_UNZIPPED, Ordering::Relaxed);
        let err = archive
            .read(members[1].as_ref().unwrap(), &unzipped)
            .unwrap_err();
        assert!(err.to_string().contains("总计超过 500 MB"), "{err}");
    }

    #[test]
    fn directories_past_the_limits_are_refused_before_they_are_read() {
        let names: Vec<String> = (0..MAX_ARCHIVE_ENTRIES + 1)
            .map(|i| format!("{i}"))
            .collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let bytes = zip_of(&entries);
        assert_eq!(
            directory(&bytes).map(|(n, _)| n),
            Some(MAX_ARCHIVE_ENTRIES as u64 + 1)
        );
        let err = Archive::open(label(), &bytes).err().unwrap();
        assert!(err.to_string().contains("条目过多"), "{err}");
        let err = Archive::open(label(), b"PK\x03\x04 not a zip")
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "部门.zip：不是有效的 zip 压缩包（结构损坏或文件不完整）"
        );
        assert_eq!(directory(b""), None);
    }
}
