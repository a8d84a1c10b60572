//! `.xlsx`: cells (with their number formats) and merged regions through calamine's streaming
//! cell reader, so that only non-empty cells are kept, whatever the sheet's dimension says.

use std::io::Cursor;

use calamine::{DataRef, Reader as _, Xlsx, XlsxError};

use super::sheet::{NumFmt, Sheet, SheetBuilder, Value};
use super::workbook::Failure;

/// Reads every worksheet of an `.xlsx` (zip already checked by the caller).
///
/// # Errors
/// [`Failure`] for a damaged workbook part or a sheet that is too large.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, Failure> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(failure)?;
    let is_1904 = book.has_1904_epoch();
    let names = super::workbook::worksheet_names(&book);
    let mut formats: Option<Vec<NumFmt>> = None;
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let mut builder = SheetBuilder::default();
        // Formulas first: a formula without a cached result (written by a program that does
        // not calculate) is kept as its text; a cell's value, read next, replaces it.
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(failure)?;
            while let Some(cell) = reader.next_formula().map_err(failure)? {
                let (row, col) = cell.get_position();
                let text = cell.get_value();
                if !text.trim().is_empty() {
                    builder
                        .push(row, col, Value::Formula(text.clone()))
                        .map_err(|e| Failure::sheet(&name, e))?;
                }
            }
        }
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(failure)?;
            let formats = formats.get_or_insert_with(|| {
                reader
                    .styles()
                    .iter()
                    .map(|s| {
                        s.number_format
                            .as_ref()
                            .map_or(NumFmt::General, |f| NumFmt::parse(&f.format_code))
                    })
                    .collect()
            });
            while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(failure)? {
                let (row, col) = cell.get_position();
                let fmt = formats.get(style).copied().unwrap_or_default();
                let value = match cell.get_value() {
                    DataRef::Empty => continue,
                    DataRef::Float(f) => Value::from_f64(*f, fmt, is_1904),
                    DataRef::Int(i) => Value::from_i64(*i, fmt, is_1904),
                    DataRef::String(s) => Value::Text(s.clone()),
                    DataRef::SharedString(s) => Value::Text((*s).to_string()),
                    DataRef::Bool(b) => Value::Text(if *b { "TRUE" } else { "FALSE" }.into()),
                    DataRef::DateTime(d) => {
                        let fmt = match fmt {
                            NumFmt::Date { .. } => fmt,
                            _ => NumFmt::Date { cjk: false },
                        };
                        Value::from_f64(d.as_f64(), fmt, is_1904)
                    }
                    DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
                    DataRef::Error(e) => Value::Text(e.to_string()),
                };
                builder
                    .push(row, col, value)
                    .map_err(|e| Failure::sheet(&name, e))?;
            }
        }
        for m in book.merge_cells_by_sheet_name(&name).map_err(failure)? {
            builder
                .merge(m.start, m.end)
                .map_err(|e| Failure::sheet(&name, e))?;
        }
        sheets.push(builder.build(name));
    }
    Ok(sheets)
}

/// What went wrong in calamine, in the filer's words.
fn failure(e: XlsxError) -> Failure {
    let reason = match e {
        XlsxError::Zip(_) => "zip 结构损坏".to_string(),
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_) => {
            "工作簿内容损坏：XML 格式错误".to_string()
        }
        XlsxError::FileNotFound(part) => format!("工作簿内容损坏：缺少 {part}"),
        _ => "工作簿内容损坏".to_string(),
    };
    Failure::Invalid(reason)
}
