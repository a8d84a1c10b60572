//! What the form reader says about the sheet as a whole once the form is read: fields read
//! from formulas without a result or from error values, and hidden rows and columns that held
//! something (left unread: what is filed is what the screen and the printout show).

use super::reader::FormReader;
use crate::message::SheetMessage;
use crate::model::CellRef;
use crate::read::sheet::SheetValue;

/// Fields read from a formula the file keeps no result for (read as the formula's text) or
/// from a cell showing an Excel error value (read as blank): said so once per cell.
pub fn note_formulas(reader: &mut FormReader<'_, '_>) {
    let sheet = reader.cells.sheet;
    let mut seen: Vec<CellRef> = Vec::new();
    let odd: Vec<(CellRef, SheetValue)> = reader
        .sources
        .iter()
        .filter_map(|(_, at)| match sheet.own(at) {
            Some(v @ (SheetValue::Formula(_) | SheetValue::Uncalculated(_))) => {
                Some((at, v.clone()))
            }
            Some(v) if v.is_error() => Some((at, v.clone())),
            _ => None,
        })
        .collect();
    for (at, value) in odd {
        if seen.contains(&at) {
            continue;
        }
        seen.push(at);
        let message = match value {
            SheetValue::Formula(formula) => SheetMessage::FormulaNoValue { at, formula },
            SheetValue::Uncalculated(formula) => SheetMessage::FormulaUncalculated { at, formula },
            value => SheetMessage::ErrorValue {
                at,
                shown: value.display(),
            },
        };
        reader.note(at, message);
    }
}

/// The hidden rows and columns that held something, said once: what is filed is what the
/// screen and the printout show, so their cells were not read (see [`crate::read::sheet::Sheet::unread`]).
pub fn note_hidden(reader: &mut FormReader<'_, '_>) {
    let sheet = reader.cells.sheet;
    let Some(&first) = sheet.unread.first() else {
        return;
    };
    let mut rows: Vec<u32> = sheet
        .unread
        .iter()
        .map(|c| c.row)
        .filter(|r| sheet.hidden.rows.contains(*r))
        .collect();
    rows.dedup();
    let mut cols: Vec<u16> = sheet
        .unread
        .iter()
        .map(|c| c.col)
        .filter(|c| sheet.hidden.cols.contains(u32::from(*c)))
        .collect();
    cols.sort_unstable();
    cols.dedup();
    // Hidden among the cells the form was read from, it may be what the filer meant;
    // outside them (a helper column, a list for drop-downs) it is only noted.
    let fields: Vec<CellRef> = reader.sources.iter().map(|(_, at)| at).collect();
    let rows_read = fields
        .iter()
        .map(|c| c.row)
        .min()
        .zip(fields.iter().map(|c| c.row).max());
    let cols_read = fields
        .iter()
        .map(|c| c.col)
        .min()
        .zip(fields.iter().map(|c| c.col).max());
    let inside = |c: &&CellRef| {
        rows_read.is_some_and(|(a, b)| (a..=b).contains(&c.row))
            && cols_read.is_some_and(|(a, b)| (a..=b).contains(&c.col))
    };
    let (at, among_read) = match sheet.unread.iter().find(inside) {
        Some(&at) => (at, true),
        None => (first, false),
    };
    reader.note(
        at,
        SheetMessage::HiddenCells {
            rows,
            cols,
            among_read,
        },
    );
}
