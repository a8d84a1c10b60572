//! The grid as a filing-ready workbook: 宋体 with its charset, borders, wrapping, the computed
//! row heights, the grid's paper and orientation fit to one page wide, a page break where each
//! of the grid's pages starts (so that a spreadsheet prints the pages the PDF shows), live
//! formulas with their cached results, findings as notes on their cells; then the grids of
//! its appendix (审核意见; the sheets of 汇总表) as further sheets. It does no
//! layout of its own.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    Chart, ChartType, Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Note, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, RenderProblem, Result};
use crate::layout::{ColumnChart, FooterPart, Grid, HAlign, Style, VAlign, Value};
use crate::text::{MAX_CELL, fit_utf16};

/// GB2312, the charset Excel expects with 宋体.
const CHARSET_GB2312: u8 = 134;
const PT_PER_INCH: f64 = 72.0;
/// Sheets of more rows than this (汇总表 of a large batch) are written row by row through a
/// temporary file (rust_xlsxwriter's constant memory mode, strings inline) rather than held
/// whole: a 10 000-form summary took about 175 MB more resident memory held whole.
const STREAMED_ROWS: usize = 2000;

fn xlsx_error(e: XlsxError) -> Error {
    Error::Render(RenderProblem::Xlsx(e))
}

/// The format of a cell: its style plus a number format.
fn format(grid: &Grid, style: &Style, number_format: Option<&str>) -> Format {
    let mut f = Format::new()
        .set_font_name(&grid.font_family)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(style.size)
        .set_align(match style.h_align {
            HAlign::Left => FormatAlign::Left,
            HAlign::Center => FormatAlign::Center,
            HAlign::Right => FormatAlign::Right,
        })
        .set_align(match style.v_align {
            VAlign::Top => FormatAlign::Top,
            VAlign::Center => FormatAlign::VerticalCenter,
        });
    if style.wrap {
        f = f.set_text_wrap();
    }
    if style.bold {
        f = f.set_bold();
    }
    if style.border {
        f = f.set_border(FormatBorder::Thin);
    }
    if let Some(rgb) = style.fill {
        f = f.set_background_color(Color::RGB(rgb));
    }
    if let Some(nf) = number_format {
        f = f.set_num_format(nf);
    }
    f
}

/// The footer in Excel's header/footer code, centred.
fn footer_code(parts: &[FooterPart]) -> String {
    let mut code = String::from("&C");
    for part in parts {
        match part {
            FooterPart::Text(t) => code.push_str(&t.replace('&', "&&")),
            FooterPart::Page => code.push_str("&P"),
            FooterPart::Pages => code.push_str("&N"),
        }
    }
    code
}

/// The cached result of a formula as the file stores it.
fn formula_result(result: &Value) -> String {
    match result {
        Value::Number { value, .. } | Value::Percent { value, .. } => value.normalize().to_string(),
        _ => String::new(),
    }
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    f: &Format,
) -> Result<(), XlsxError> {
    match value {
        Value::Empty => ws.write_blank(row, col, f).map(drop),
        Value::Text(t) => ws.write_string_with_format(row, col, t, f).map(drop),
        Value::Number { .. } | Value::Percent { .. } => {
            let n = value.as_f64().unwrap_or_default();
            ws.write_number_with_format(row, col, n, f).map(drop)
        }
        Value::Formula { formula, result } => {
            let formula = Formula::new(formula).set_result(formula_result(result));
            ws.write_formula_with_format(row, col, formula, f).map(drop)
        }
    }
}

fn points_to_pixels(points: f32) -> u32 {
    (f64::from(points) * 96.0 / PT_PER_INCH).round() as u32
}

fn inches(points: f32) -> f64 {
    f64::from(points) / PT_PER_INCH
}

/// Document properties dated to the day of `created` (RFC 3339), not its time, so that a
/// second run the same day gives the same bytes; the comment names jixiao.
pub fn properties_of_day(created: &str) -> DocProperties {
    let props = DocProperties::new().set_comment(concat!("jixiao ", env!("CARGO_PKG_VERSION")));
    match crate::date::parse_rfc3339(created)
        .and_then(|(y, m, d, ..)| ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).ok())
    {
        Some(day) => props.set_creation_datetime(&day),
        None => props,
    }
}

/// The grid and its appendix, depth first: the sheets of its workbook.
fn sheets(grid: &Grid) -> Vec<&Grid> {
    let mut out = vec![grid];
    for g in &grid.appendix {
        out.extend(sheets(g));
    }
    out
}

/// Writes the grid as an `.xlsx` workbook, its appendix as further sheets.
///
/// # Errors
/// [`Error::Render`] when the workbook cannot be assembled (a bug, or a limit of the format
/// such as a text longer than 32 767 characters).
pub fn write(grid: &Grid) -> Result<Vec<u8>> {
    write_streaming(grid, STREAMED_ROWS)
}

/// [`write`], with sheets of more than `streamed_rows` rows written row by row.
fn write_streaming(grid: &Grid, streamed_rows: usize) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    for sheet in sheets(grid) {
        let streamed = streamed(sheet, streamed_rows);
        let ws = if streamed {
            wb.add_worksheet_with_constant_memory()
                .map_err(xlsx_error)?
        } else {
            wb.add_worksheet()
        };
        ws.set_name(&sheet.sheet).map_err(xlsx_error)?;
        // Formulas whose result is "" must cache "", not 0.
        ws.set_formula_result_default("");
        write_sheet(sheet, ws, streamed).map_err(xlsx_error)?;
        for chart in &sheet.charts {
            ws.insert_chart(chart.at.0, chart.at.1, &column_chart(&sheet.sheet, chart))
                .map_err(xlsx_error)?;
        }
    }
    let info = &grid.info;
    let mut props = properties_of_day(&info.created).set_title(&info.title);
    if !info.author.is_empty() {
        props = props.set_author(&info.author);
    }
    if !info.subject.is_empty() {
        props = props.set_subject(&info.subject);
    }
    if !info.keywords.is_empty() {
        props = props.set_keywords(&info.keywords);
    }
    wb.set_properties(&props);
    // Deflate level 1: a third faster to save than the default 6, for a workbook about 3 KB
    // larger (16 KB for a two-page form): in a batch, time matters more.
    wb.set_zip_compression_level(1);
    wb.save_to_buffer().map_err(xlsx_error)
}

/// A grid's column chart as rust_xlsxwriter draws it, over the cells of `sheet`.
fn column_chart(sheet: &str, spec: &ColumnChart) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name(&spec.title);
    let (first, last) = spec.rows;
    for (name, col) in &spec.series {
        chart
            .add_series()
            .set_name(name.as_str())
            .set_categories((sheet, first, spec.categories, last, spec.categories))
            .set_values((sheet, first, *col, last, *col));
    }
    chart
}

/// Whether `sheet` is written row by row: only one of more than `rows` rows whose cells each
/// stay within a row and that has no notes, since a row once left cannot be written again.
fn streamed(sheet: &Grid, rows: usize) -> bool {
    sheet.rows.len() > rows && sheet.notes.is_empty() && sheet.cells.iter().all(|c| c.rows == 1)
}

fn write_sheet(grid: &Grid, ws: &mut Worksheet, streamed: bool) -> Result<(), XlsxError> {
    for (col, width) in grid.columns.iter().enumerate() {
        ws.set_column_width_pixels(col as u16, points_to_pixels(*width))?;
    }
    for (row, height) in grid.rows.iter().enumerate() {
        ws.set_row_height(row as u32, f64::from(*height))?;
    }
    let mut formats: BTreeMap<(usize, Option<String>), Format> = BTreeMap::new();
    // A streamed sheet takes its cells row by row; any other in the grid's order, which
    // decides the order of the shared strings.
    let mut cells: Vec<&crate::layout::Cell> = grid.cells.iter().collect();
    if streamed {
        cells.sort_by_key(|c| (c.row, c.col));
    }
    for cell in cells {
        let nf = cell.value.number_format();
        let f = formats
            .entry((cell.style.0, nf.clone()))
            .or_insert_with(|| format(grid, grid.style(cell), nf.as_deref()));
        if cell.rows > 1 || cell.cols > 1 {
            // merge_range writes text only: merge blank, then write the anchor with its value.
            ws.merge_range(cell.row, cell.col, cell.last_row(), cell.last_col(), "", f)?;
        }
        write_value(ws, cell.row, cell.col, &cell.value, f)?;
    }

    // Findings as notes, several on one cell joined.
    let mut notes: BTreeMap<(u32, u16), Vec<String>> = BTreeMap::new();
    for n in &grid.notes {
        notes.entry((n.row, n.col)).or_default().push(format!(
            "{}［{}］{}",
            n.severity.label(),
            n.code,
            n.message
        ));
    }
    for ((row, col), texts) in notes {
        // Excel's limit for a cell, less the author prefix rust_xlsxwriter keeps room for: a
        // finding may quote a field of the form at full length.
        let note = Note::new(fit_utf16(&texts.join("\n"), MAX_CELL - 54))
            .set_author("jixiao")
            .add_author_prefix(false)
            .set_width(360)
            .set_height(160);
        ws.insert_note(row, col, &note)?;
    }
    for v in &grid.validations {
        let items: Vec<&str> = v.items.iter().map(String::as_str).collect();
        let dv = DataValidation::new().allow_list_strings(&items)?;
        ws.add_data_validation(v.first_row, v.col, v.last_row, v.col, &dv)?;
    }

    let p = &grid.page;
    ws.set_paper_size(p.paper.xlsx_code());
    if p.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    // Excel places the footer's top at its margin; the grid says where its line is centred.
    let footer_margin = f64::from(p.footer) - f64::from(grid.footer_size) / 2.0;
    ws.set_margins(
        inches(p.left),
        inches(p.right),
        inches(p.top),
        inches(p.bottom),
        inches(p.top) / 2.0,
        (footer_margin / PT_PER_INCH).max(0.0),
    );
    if !grid.pages.is_empty() {
        ws.set_print_center_horizontally(true);
        // The print area is the table alone: the notes' boxes lie to its right and would
        // otherwise widen what LibreOffice fits to the page.
        let last_row = grid.rows.len().saturating_sub(1) as u32;
        let last_col = grid.columns.len().saturating_sub(1) as u16;
        ws.set_print_area(0, 0, last_row, last_col)?;
        // A break where each page of the grid starts: the pages the PDF shows.
        let breaks: Vec<u32> = grid
            .pages
            .iter()
            .skip(1)
            .filter_map(|page| page.starts_row())
            .filter(|&r| r > 0)
            .collect();
        if !breaks.is_empty() {
            ws.set_page_breaks(&breaks)?;
        }
    }
    if let Some((first, last)) = grid.header_rows {
        ws.set_repeat_rows(first, last)?;
    }
    if !grid.footer.is_empty() {
        ws.set_footer(footer_code(&grid.footer));
    }
    if let Some((row, col)) = grid.freeze {
        ws.set_freeze_panes(row, col)?;
    }
    if let Some((first_row, first_col, last_row, last_col)) = grid.filter {
        ws.autofilter(first_row, first_col, last_row, last_col)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    /// Every sheet's values and formulas, as calamine reads them back.
    fn read_back(bytes: Vec<u8>) -> Vec<(String, String, String)> {
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        names
            .into_iter()
            .map(|name| {
                let values = book.worksheet_range(&name).unwrap();
                let formulas = book.worksheet_formula(&name).unwrap();
                (name, format!("{values:?}"), format!("{formulas:?}"))
            })
            .collect()
    }

    #[test]
    fn a_sheet_written_row_by_row_reads_back_as_one_held_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::pipeline::load(&root.join("samples/000.json"), None)
            .unwrap()
            .remove(0);
        let rows: Vec<crate::summary::SummaryRow> = (0..40)
            .map(|k| crate::summary::SummaryRow::new(format!("unit/{k}.json"), &checked.report))
            .collect();
        let grid = crate::layout::summary_grid(
            &rows,
            &crate::summary::Grouping::of(&rows),
            &[],
            "2025-03-01T00:00:00+08:00",
        );
        assert!(sheets(&grid).iter().any(|s| streamed(s, 0)));
        let whole = read_back(write_streaming(&grid, usize::MAX).unwrap());
        let by_row = read_back(write_streaming(&grid, 0).unwrap());
        assert_eq!(whole.len(), 3);
        assert_eq!(whole, by_row);
    }
}
