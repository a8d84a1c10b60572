//! Form + layout → grid. The blocks of the form are laid out one by one ([`super::blocks`])
//! into a draft ([`super::draft`]): rows of measured cells and the cells that span rows; the
//! draft is cut into pages ([`super::paginate`]) and becomes the grid; the findings are pinned
//! to their cells and listed in the 审核意见 sheet ([`super::lists`]).

use std::collections::HashMap;

use super::draft::{Builder, Options, Place, TemplateData, resolve};
use super::grid::{
    DocInfo, ERROR_FILL, FooterPart, Grid, ListValidation, Note, PT_PER_MM, PageSetup, SealSpot,
    StyleId, Value,
};
use super::spec::{Layout, Orientation, Template};
use super::text::clean;
use crate::error::Result;
use crate::fonts;
use crate::model::{CellRef, Field, Form, FormKind};
use crate::report::Report;
use crate::validate::Severity;

/// Builds the grid of a checked form in `layout`, with its 审核意见 sheet as appendix.
///
/// # Errors
/// [`crate::Error::Layout`] when a template of the layout fails or the grid breaks its rules.
pub fn build(report: &Report, layout: &Layout, options: &Options) -> Result<Grid> {
    let (mut grid, fields) = lay_out(&report.form, Some(report), layout, options, 0)?;
    pin_findings(&mut grid, &fields, report);
    // Findings quote cell text and the metadata repeats it: they get the cells' cleaning too.
    for note in grid.notes.iter_mut().chain(grid.general.iter_mut()) {
        note.message = clean(&note.message).into_owned();
    }
    let info = &mut grid.info;
    for text in [
        &mut info.title,
        &mut info.author,
        &mut info.subject,
        &mut info.keywords,
    ] {
        *text = clean(text).into_owned();
    }
    grid.check(&layout.name)?;
    let review = super::lists::review(&grid, report);
    review.check(&layout.name)?;
    grid.appendix.push(review);
    Ok(grid)
}

/// Builds a blank, fillable form with `rows` empty indicator rows and drop-down lists.
///
/// # Errors
/// [`crate::Error::Layout`] when a template of the layout fails or the grid breaks its rules.
pub fn build_blank(layout: &Layout, rows: usize) -> Result<Grid> {
    let form = Form {
        kind: layout.kind,
        ..Form::default()
    };
    let (grid, _) = lay_out(&form, None, layout, &Options::default(), rows)?;
    grid.check(&layout.name)?;
    Ok(grid)
}

fn lay_out(
    form: &Form,
    report: Option<&Report>,
    layout: &Layout,
    options: &Options,
    blank_rows: usize,
) -> Result<(Grid, HashMap<Field, CellRef>)> {
    let mut b = Builder::new(layout);
    let data = TemplateData::new(form, "", "");
    super::blocks::lay_out(&mut b, form, report, options, blank_rows, &data)?;
    b.size_rows();
    let page = &layout.page;
    let (width, height) = page.size_mm();
    let setup = PageSetup {
        paper: page.paper,
        landscape: page.orientation == Orientation::Landscape,
        width: width * PT_PER_MM,
        height: height * PT_PER_MM,
        top: page.margin_top * PT_PER_MM,
        bottom: page.margin_bottom * PT_PER_MM,
        left: page.margin_left * PT_PER_MM,
        right: page.margin_right * PT_PER_MM,
        footer: page.margin_bottom * PT_PER_MM / 2.0,
    };
    let mut cut = super::paginate::cut(&b.draft, setup.printable_height());
    let footer_text = layout.render(
        Template::Footer,
        &serde_json::json!({"page": "\u{E000}", "pages": "\u{E001}"}),
    )?;
    let subject = layout.render(Template::Subject, &data)?;
    let keywords = layout.render(Template::Keywords, &data)?;
    let draft = &b.draft;
    let grid_row = |r: usize| cut.first_row[r];
    let mut cells = std::mem::take(&mut cut.cells);
    for cell in &mut cells {
        if let Value::Formula { formula, .. } = &mut cell.value {
            *formula = resolve(formula, grid_row);
        }
    }
    let fields: HashMap<Field, CellRef> = draft
        .fields
        .iter()
        .filter_map(|(field, place)| {
            let at = match *place {
                Place::Cell(r, col) => CellRef {
                    row: cut.first_row[r],
                    col,
                },
                Place::Span(s, r) => cut.span_cell(s, cut.first_row[r])?,
            };
            Some((*field, at))
        })
        .collect();
    let validations = draft
        .validations
        .iter()
        .map(|v| ListValidation {
            first_row: cut.first_row[v.first],
            last_row: cut.last_row[v.last],
            col: v.col,
            items: v.items.clone(),
        })
        .collect();
    let grid = Grid {
        sheet: layout.sheet.clone(),
        font_family: layout.fonts.family.clone(),
        page: setup,
        text: draft.text,
        footer: footer_parts(&footer_text),
        footer_size: layout.fonts.notes.size,
        columns: draft.columns.clone(),
        rows: std::mem::take(&mut cut.rows),
        cells,
        styles: draft.styles.clone(),
        header_rows: None,
        pages: std::mem::take(&mut cut.pages),
        info: DocInfo {
            title: match form.kind {
                FormKind::Project => form.project.clone(),
                FormKind::Department => form.department.clone(),
            },
            author: match form.kind {
                FormKind::Project => form.unit.clone(),
                FormKind::Department => form.department.clone(),
            },
            subject,
            keywords,
            created: options.created.clone().unwrap_or_else(crate::date::now),
        },
        notes: Vec::new(),
        general: Vec::new(),
        validations,
        freeze: None,
        filter: None,
        seal: None,
        appendix: Vec::new(),
        charts: Vec::new(),
    };
    let seal = draft
        .seal
        .and_then(|(r, c)| seal_spot(&grid, layout, form, options, (cut.first_row[r], c)));
    Ok((Grid { seal, ..grid }, fields))
}

/// The seal's square over the 单位（盖章） cell at `(row, col)` of `grid`: centred in the room
/// its label leaves (over the label where the cell is too narrow, as a stamp would be), with
/// the digital signature's lines when the document is signed.
fn seal_spot(
    grid: &Grid,
    layout: &Layout,
    form: &Form,
    options: &Options,
    (row, col): (u32, u16),
) -> Option<SealSpot> {
    let cell = grid.cells.iter().find(|c| (c.row, c.col) == (row, col))?;
    let style = grid.style(cell);
    let size = layout.signoff.seal_size * PT_PER_MM;
    let cell_width = grid.cell_width(cell);
    let label = cell.lines.first().map_or("", String::as_str);
    let label_end = grid.text.pad_h + fonts::metrics(style.bold).width(label, style.size);
    let x = (label_end + (cell_width - label_end - size) / 2.0).min(cell_width - size);
    let text_size = layout.fonts.notes.size;
    let (lines, signed_at) = match &options.signature {
        Some(sig) => {
            let unit = sig
                .unit
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| form.unit.clone());
            let time = crate::sign::shown_time(&sig.time).unwrap_or_else(|| sig.time.clone());
            let text = format!(
                "{}\n{}：{}\n{time}",
                clean(&unit),
                layout.signoff.signature,
                clean(&sig.signer)
            );
            let width = size - 2.0 * grid.text.pad_h;
            (
                super::text::wrap(&text, width, text_size, fonts::metrics(false)),
                Some(sig.time.clone()),
            )
        }
        None => (Vec::new(), None),
    };
    Some(SealSpot {
        row,
        col,
        x,
        size,
        lines,
        text_size,
        signed_at,
    })
}

/// Splits a rendered footer at the page-number markers.
fn footer_parts(text: &str) -> Vec<FooterPart> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let marker = match c {
            '\u{E000}' => Some(FooterPart::Page),
            '\u{E001}' => Some(FooterPart::Pages),
            _ => None,
        };
        match marker {
            Some(m) => {
                if !current.is_empty() {
                    parts.push(FooterPart::Text(std::mem::take(&mut current)));
                }
                parts.push(m);
            }
            None => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(FooterPart::Text(current));
    }
    parts
}

/// Pins each finding of `report` to the cell of its field, filling error cells.
fn pin_findings(grid: &mut Grid, cells: &HashMap<Field, CellRef>, report: &Report) {
    let mut errors = Vec::new();
    for f in &report.findings {
        let note = |row, col| Note {
            row,
            col,
            severity: f.severity,
            code: f.code,
            message: f.message.clone(),
        };
        match f.field.and_then(|field| cells.get(&field)) {
            Some(at) => {
                grid.notes.push(note(at.row, at.col));
                if f.severity == Severity::Error {
                    errors.push(*at);
                }
            }
            None => grid.general.push(note(0, 0)),
        }
    }
    for at in errors {
        if let Some(cell) = grid
            .cells
            .iter_mut()
            .find(|c| c.row == at.row && c.col == at.col)
        {
            let mut style = grid.styles[cell.style.0];
            style.fill = Some(ERROR_FILL);
            cell.style = match grid.styles.iter().position(|s| *s == style) {
                Some(i) => StyleId(i),
                None => {
                    grid.styles.push(style);
                    StyleId(grid.styles.len() - 1)
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::widest_number;
    use crate::model::SourcedForm;

    fn report() -> Report {
        let form = crate::read::form_from_json(include_str!("../../samples/000.json")).unwrap();
        Report::new(SourcedForm::from_data("t", form), None)
    }

    fn options() -> Options {
        Options {
            created: Some("2025-03-01T00:00:00+08:00".into()),
            ..Options::default()
        }
    }

    #[test]
    fn the_creation_time_defaults_to_the_clock_in_beijing() {
        let layout = Layout::by_name("beijing-2024").unwrap();
        let grid = build(&report(), layout, &Options::default()).unwrap();
        assert!(
            grid.info.created.ends_with("+08:00"),
            "{}",
            grid.info.created
        );
        assert!(crate::date::parse_rfc3339(&grid.info.created).is_some());
        assert_eq!(grid.footer_size, layout.fonts.notes.size);
        let grid = build(&report(), layout, &options()).unwrap();
        assert_eq!(grid.info.created, "2025-03-01T00:00:00+08:00");
    }

    #[test]
    fn no_number_is_wider_than_its_cell() {
        let mut report = report();
        report.form.funds.total.as_mut().unwrap().budget =
            Some("123456789.123456".parse().unwrap());
        for layout in Layout::builtin() {
            let grid = build(&report, layout, &options()).unwrap();
            for cell in &grid.cells {
                let style = grid.style(cell);
                let room = grid.cell_width(cell) - 2.0 * grid.text.pad_h;
                let widest = widest_number(
                    &cell.value.display(),
                    style.size,
                    fonts::metrics(style.bold),
                );
                assert!(
                    widest <= room + 0.01,
                    "{}: “{}” is {widest} wide in {room}",
                    layout.name,
                    cell.value.display()
                );
            }
        }
    }
}
