//! `.xlsx`: cells (with their number formats) and merged regions through calamine's streaming
//! cell reader, so that only non-empty cells are kept, whatever the sheet's dimension says;
//! hidden sheets from calamine, hidden rows and columns from the package's scan.
//!
//! What Excel reads and calamine refuses (UTF-16 parts, Excel 4.0 macro sheets, merges of
//! whole rows or columns: real workbooks in `../shared/realbooks-failures/`) is read again
//! from the package rewritten in memory ([`package::normalised`]) — only when calamine
//! refused the package ([`Damage::Xlsx`], [`Damage::Panicked`]), so that the workbooks that
//! need no rewrite never pay for one.

use std::io::Cursor;

use calamine::{DataRef, Reader as _, Xlsx, XlsxError};

use super::error::{Damage, SourceError};
use super::package::{self, Package, SheetScans};
use crate::model::CellRef;
use crate::read::sheet::{Decoration, NumFmt, Sheet, SheetBuilder, SheetCell, SheetValue};

/// Reads every worksheet of the Office Open XML `package` (held in `bytes`) whose workbook
/// part is `main`: the parts checked against the limits of decompression first, then read by
/// calamine, and read again from a rewritten package when calamine refuses it.
///
/// # Errors
/// [`SourceError`] for a damaged or oversized package or a sheet too large to be a form.
pub fn read_package(
    bytes: &[u8],
    package: &mut Package<'_>,
    main: &str,
) -> Result<Vec<Sheet>, SourceError> {
    package.check_parts()?;
    // The merges found by a scan of each sheet's end, not by calamine's parse of every cell,
    // and the hidden rows and columns, which calamine does not give.
    let scans = package.sheet_scans(main);
    match read_guarded(bytes, scans.as_ref()) {
        // What Excel reads and calamine does not: read again from a package rewritten in
        // memory, with calamine's merges and the hidden rows and columns of the rewritten
        // parts.
        Err(SourceError::Damaged(refused @ (Damage::Xlsx(_) | Damage::Panicked))) => {
            match package::normalised(bytes)? {
                Some(fixed) => {
                    let scans = Package::open(&fixed).ok().and_then(|mut p| {
                        let main = p.main_document().ok()??;
                        let mut scans = p.sheet_scans(&main)?;
                        scans.values_mut().for_each(|s| s.merges = None);
                        Some(scans)
                    });
                    read_guarded(&fixed, scans.as_ref())
                }
                None => Err(refused.into()),
            }
        }
        other => other,
    }
}

/// [`read`], with a panic inside calamine on a damaged part taken for a damaged file, not the
/// end of the batch.
fn read_guarded(bytes: &[u8], scans: Option<&SheetScans>) -> Result<Vec<Sheet>, SourceError> {
    std::panic::catch_unwind(|| read(bytes, scans)).unwrap_or(Err(Damage::Panicked.into()))
}

/// The names of a calamine workbook's worksheets (not chart sheets), in order, each with
/// whether it is hidden (or very hidden).
fn worksheet_names<RS, R>(book: &R) -> Vec<(String, bool)>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
{
    book.sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect()
}

/// Reads every worksheet of an `.xlsx` (zip already checked by the caller), with the merged
/// regions of `scans` where it knows a sheet's (calamine's otherwise) and the rows and columns
/// it hides.
///
/// # Errors
/// [`SourceError`] for a damaged workbook part or a sheet that is too large.
fn read(bytes: &[u8], scans: Option<&SheetScans>) -> Result<Vec<Sheet>, SourceError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(failure)?;
    let is_1904 = book.has_1904_epoch();
    let names = worksheet_names(&book);
    let mut formats: Option<Vec<(NumFmt, Option<Decoration>)>> = None;
    let mut sheets = Vec::with_capacity(names.len());
    for (name, hidden) in names {
        let mut builder = SheetBuilder::default();
        if hidden {
            builder.hide_sheet();
        }
        let scan = scans.and_then(|s| s.get(&name));
        for &(first, last) in scan.map_or(&[][..], |s| &s.hidden_rows) {
            builder.hide_rows(first, last);
        }
        for &(first, last) in scan.map_or(&[][..], |s| &s.hidden_cols) {
            builder.hide_cols(first, last);
        }
        if let Some(scan) = scan {
            builder.print(scan.print.clone());
        }
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(failure)?;
            let formats = formats.get_or_insert_with(|| {
                reader
                    .styles()
                    .iter()
                    .map(|s| match &s.number_format {
                        Some(f) => (
                            NumFmt::parse(&f.format_code),
                            Decoration::parse(&f.format_code),
                        ),
                        None => (NumFmt::General, None),
                    })
                    .collect()
            });
            while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(failure)? {
                let (row, col) = cell.get_position();
                let (fmt, decoration) = formats
                    .get(style)
                    .map_or((NumFmt::General, None), |(f, d)| (*f, d.as_ref()));
                let value = match cell.get_value() {
                    DataRef::Empty => continue,
                    DataRef::Float(f) => SheetValue::from_f64(*f, fmt, is_1904),
                    DataRef::Int(i) => SheetValue::from_i64(*i, fmt, is_1904),
                    DataRef::String(s) => SheetValue::Text(s.clone()),
                    DataRef::SharedString(s) => SheetValue::Text((*s).to_string()),
                    DataRef::Bool(b) => SheetValue::Text(if *b { "TRUE" } else { "FALSE" }.into()),
                    DataRef::DateTime(d) => {
                        let fmt = match fmt {
                            NumFmt::Date { .. } => fmt,
                            _ => NumFmt::Date { cjk: false },
                        };
                        SheetValue::from_f64(d.as_f64(), fmt, is_1904)
                    }
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                        SheetValue::Text(s.clone())
                    }
                    DataRef::Error(e) => SheetValue::Text(e.to_string()),
                };
                let value = match (value, decoration) {
                    (SheetValue::Number(d, fmt), Some(decoration)) => decoration.show(d, fmt),
                    (value, _) => value,
                };
                builder
                    .push(row, col, value)
                    .map_err(|e| SourceError::sheet(&name, e))?;
            }
        }
        match scan.and_then(|s| s.merges.as_ref()) {
            Some(spans) => {
                for &(first, last) in spans {
                    builder
                        .merge(first, last)
                        .map_err(|e| SourceError::sheet(&name, e))?;
                }
            }
            None => {
                for m in book.merge_cells_by_sheet_name(&name).map_err(failure)? {
                    builder
                        .merge(m.start, m.end)
                        .map_err(|e| SourceError::sheet(&name, e))?;
                }
            }
        }
        sheets.push(builder.build(name));
    }
    Ok(sheets)
}

/// The formulas without a result that the cells `at` of the sheet `sheet` hold: values typed
/// with a leading `=` (`=8个`) as [`SheetValue::Formula`] cells, formulas that calculate as
/// [`SheetValue::Uncalculated`]. Read only for the cells of a form's fields that show nothing or
/// an error: a second pass over one sheet, which most workbooks (and every one jixiao
/// writes) never need.
///
/// # Errors
/// [`SourceError`] for a damaged workbook part.
pub fn typed_formulas(
    bytes: &[u8],
    sheet: &str,
    at: &[CellRef],
) -> Result<Vec<SheetCell>, SourceError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(failure)?;
    let mut reader = book.worksheet_cells_reader(sheet).map_err(failure)?;
    let mut out = Vec::new();
    while let Some(cell) = reader.next_formula().map_err(failure)? {
        let (row, col) = cell.get_position();
        let Ok(col) = u16::try_from(col) else {
            continue;
        };
        let here = CellRef { row, col };
        // Every cell comes by, with an empty formula when it has none.
        if at.contains(&here) && !cell.get_value().trim().is_empty() {
            let formula = cell.get_value().clone();
            let value = if typed_value(&formula) {
                SheetValue::Formula(formula)
            } else {
                SheetValue::Uncalculated(formula)
            };
            out.push(SheetCell { at: here, value });
        }
    }
    Ok(out)
}

/// True for a "formula" that is a value typed with a leading `=` (`=8个`, `=100%`): no
/// function, no cell reference. Excel shows it as an error, or nothing; the filer meant the
/// text. A real formula without a result (`SUM(G12:G25)`) stays empty.
fn typed_value(formula: &str) -> bool {
    let f = formula.trim();
    if f.is_empty() || f.contains(['(', '!', ':', '$', '"']) {
        return false;
    }
    // A cell reference: ASCII letters followed by digits (`G12`, `AB3`).
    let bytes = f.as_bytes();
    let reference = bytes
        .windows(2)
        .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_digit());
    !reference
}

/// calamine's error as a damaged workbook.
fn failure(e: XlsxError) -> SourceError {
    Damage::Xlsx(e).into()
}

#[cfg(test)]
mod tests {
    use super::typed_value;

    #[test]
    fn values_typed_with_an_equals_sign_are_told_from_formulas() {
        for typed in ["8个", "42个", "100%", "≥90%", "合规"] {
            assert!(typed_value(typed), "{typed}");
        }
        for formula in [
            "SUM(G12:G25)",
            "G12*100",
            "AB3",
            "IF(N(E6)>0,N(F6)/E6,\"\")",
            "",
        ] {
            assert!(!typed_value(formula), "{formula}");
        }
    }
}
