//! Real workbooks from other libraries' test suites that jixiao once refused with the wrong
//! reason (`../shared/realbooks-failures/`, beside the checkout; never copied into the
//! repository): each is read as the workbook it is and refused as "not a form" naming its
//! sheets, or refused with one line that says what the file really is.

mod common;

use std::path::PathBuf;

use common::{jixiao, root};
use jixiao::Error;

/// The folder of real workbooks; `None` (with a notice) when it is not there, except under
/// `JIXIAO_REQUIRE_TOOLS=1` (CI), where that is a failure.
fn realbooks() -> Option<PathBuf> {
    let dir = root().join("../shared/realbooks-failures");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("JIXIAO_REQUIRE_TOOLS").is_none(),
        "{} is required (JIXIAO_REQUIRE_TOOLS is set)",
        dir.display()
    );
    eprintln!("skipped: {} is not there", dir.display());
    None
}

/// What reading a file must give.
enum Want {
    /// Read as a workbook, no form in it: the `未找到自评表（工作表：…）` list.
    NoForm(&'static str),
    /// Refused with a message holding this text.
    Refused(&'static str),
    /// Password-protected.
    Encrypted,
}

use Want::{Encrypted, NoForm, Refused};

const TEXT: &str = "不是 Excel 工作簿：请在 Excel/WPS 中打开后另存为 .xlsx";
const OLD: &str = "格式的工作簿，无法直接读取：请在 Excel/WPS 中另存为 .xlsx";

/// Every file of the folder, with what it must give.
const BOOKS: [(&str, Want); 23] = [
    // Backslash part names (`xl\workbook.xml`).
    (
        "calamine__tests__issue_530.xlsx",
        NoForm("出勤分类组织汇总表"),
    ),
    // The workbook at the zip root, found through `_rels/.rels`.
    ("calamine__tests__minimal_package.xlsx", NoForm("Sheet1")),
    ("calamine__tests__pass_protected.ods", Encrypted),
    (
        "openpyxl__openpyxl__tests__data__reader__bigfoot.xlsx",
        NoForm("sheet #0、sheet #1、sheet #2、sheet #3、sheet #4 等 1024 个工作表"),
    ),
    (
        "phpspreadsheet__tests__data__Reader__XLSX__Zip-Windows-Directory-Separator.xlsx",
        NoForm("Sheet"),
    ),
    // Merges of whole columns and rows (`A:A`, `B:D`, `1:1`, `2:4`).
    (
        "phpspreadsheet__tests__data__Reader__XLSX__issue.2501.b.xlsx",
        NoForm("Columns、Rows"),
    ),
    (
        "phpspreadsheet__tests__data__Reader__XLSX__issue.3730.xlsx",
        NoForm("promedia postlogs wk 2-12"),
    ),
    (
        "phpspreadsheet__tests__data__Reader__XLSX__rootZipFiles.xlsx",
        NoForm("Data"),
    ),
    // UTF-16 XML parts, with and without a byte order mark.
    (
        "phpspreadsheet__tests__data__Reader__XLSX__utf16be.bom.xlsx",
        NoForm("Sheet1"),
    ),
    (
        "phpspreadsheet__tests__data__Reader__XLSX__utf16be.xlsx",
        NoForm("Sheet1"),
    ),
    // BIFF5 in Mac Central European (no decoder: its one non-ASCII letter is U+FFFD).
    (
        "phpspreadsheet__tests__data__Reader__XLS__maccentraleurope.biff5.xls",
        NoForm("\u{FFFD}rkusz1"),
    ),
    // The last sector of the compound file is short.
    (
        "phpspreadsheet__tests__data__Reader__XLS__sample.xls",
        NoForm("Sheet"),
    ),
    // An Excel 4.0 macro sheet, a dialog sheet and a chart sheet beside the worksheet.
    (
        "sheetjs-renamed__BlankSheetTypes.xlsm.xlsx",
        NoForm("Sheet1"),
    ),
    (
        "sheetjs-renamed__ErrorTypes.dif.xls",
        Refused("是文本格式（DIF）"),
    ),
    (
        "sheetjs-renamed__ErrorTypes.slk.xls",
        Refused("是文本格式（SYLK）"),
    ),
    (
        "sheetjs-renamed__ErrorTypes.tsv.xls",
        Refused("是文本格式（制表符分隔的 TSV）"),
    ),
    // BIFF5 written by Quattro Pro (code page 0x8001).
    ("sheetjs__artifacts__quattro__write_57.xls", NoForm("A")),
    (
        "sheetjs__crlf__CRLFR9_4.XLS",
        Refused("是旧版 Excel（Excel 4.0）"),
    ),
    (
        "sheetjs__crlf__CRLFX5_2.XLS",
        Refused("是旧版 Excel（Excel 2.x）"),
    ),
    (
        "sheetjs__crlf__CRLFX5_3.XLS",
        Refused("是旧版 Excel（Excel 3.0）"),
    ),
    (
        "sheetjs__crlf__CRLFX5_4.XLS",
        Refused("是旧版 Excel（Excel 4.0）"),
    ),
    ("sheetjs__wtf_path.xlsx", NoForm("SheetJS、Hidden")),
    (
        "xlrd__tests__samples__biff4_no_format_no_window2.xls",
        Refused("是旧版 Excel（Excel 4.0）"),
    ),
];

#[test]
fn every_real_workbook_is_read_or_named() {
    let Some(dir) = realbooks() else { return };
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    files.sort();
    let mut listed: Vec<&str> = BOOKS.iter().map(|(f, _)| *f).collect();
    listed.sort();
    assert_eq!(files, listed, "every file of the folder is a case here");

    for (file, want) in &BOOKS {
        let err = jixiao::read::load(&dir.join(file)).unwrap_err();
        let message = err.to_string();
        match (want, &err) {
            (NoForm(sheets), Error::NoForm { sheets: got, .. }) => {
                assert_eq!(got, sheets, "{file}");
            }
            (Refused(what), Error::Source { .. }) => {
                assert!(message.contains(what), "{file}: {message}");
                assert!(
                    message.ends_with(TEXT) || message.ends_with(OLD),
                    "{file}: {message}"
                );
                // What the file is, not that it is damaged.
                assert!(!message.contains("不是有效的"), "{file}: {message}");
            }
            (Encrypted, Error::Encrypted { .. }) => {}
            _ => panic!("{file}: {message}"),
        }
    }
}

#[test]
fn the_folder_gives_one_short_line_per_file() {
    let Some(dir) = realbooks() else { return };
    let run = jixiao(&dir, &["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), BOOKS.len(), "{}", run.stderr);
    for line in lines {
        assert!(line.starts_with("jixiao: ./"), "{line}");
        assert!(line.chars().count() <= 300, "{line}");
    }
    assert!(run.stdout.contains("共 0 份表"), "{}", run.stdout);
}
