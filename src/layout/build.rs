//! Form + layout → grid. The blocks of the form are laid out one by one ([`super::blocks`])
//! into a draft: rows of measured cells and the cells that span rows; the draft is cut into
//! pages ([`super::paginate`]) and becomes the grid; the findings are pinned to their cells
//! and listed in the 审核意见 sheet ([`super::lists`]).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::grid::{
    DocInfo, FooterPart, Grid, HAlign, ListValidation, Note, PT_PER_MM, PageSetup, SealSpot, Style,
    StyleId, TextSetup, VAlign, Value,
};
use super::spec::{FontRole, Layout, Orientation, Template};
use super::text::{clean, widest_number, wrap_at};
use crate::error::Result;
use crate::fonts;
use crate::model::{CellRef, Field, Form};
use crate::report::Report;
use crate::validate::Severity;
use crate::vocabulary::Column;

/// The fill of a cell with an error finding (light red).
pub const ERROR_FILL: u32 = 0xFFC7CE;

/// What the form data does not say but the output needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Names for the sign-off block by role (`填表人` → `张三`); they override the form's.
    pub signoff: BTreeMap<String, String>,
    /// The date of the sign-off block (`2025-03-01`); overrides the form's `填报日期`.
    pub date: Option<String>,
    /// When the document is made, as an RFC 3339 timestamp with its offset
    /// (`2025-03-01T00:00:00+08:00`); the clock in China Standard Time when `None`.
    pub created: Option<String>,
    /// Who signs the document digitally, shown in the signature over 单位（盖章）; `None`
    /// for a document that is not signed.
    pub signature: Option<Signature>,
}

/// What a digital signature's appearance shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// The signer's name (the certificate's common name).
    pub signer: String,
    /// The unit that signs (the certificate's organisation); the form's 实施单位 when `None`.
    pub unit: Option<String>,
    /// When it is signed, as an RFC 3339 timestamp with its offset.
    pub time: String,
}

/// The variables layout templates may use.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateData<'a> {
    /// The form's year, null when unknown.
    pub year: Option<i32>,
    /// 项目名称.
    pub project: &'a str,
    /// 主管部门.
    pub department: &'a str,
    /// 实施单位.
    pub unit: &'a str,
    /// The input file's stem.
    pub stem: &'a str,
    /// The worksheet when a workbook holds several forms, "" otherwise.
    pub sheet: &'a str,
}

impl<'a> TemplateData<'a> {
    /// The variables of `form`, read from the input `stem` (and `sheet`).
    pub fn new(form: &'a Form, stem: &'a str, sheet: &'a str) -> Self {
        TemplateData {
            year: form.year,
            project: &form.project,
            department: &form.department,
            unit: &form.unit,
            stem,
            sheet,
        }
    }
}

/// The roles of text in the form: each has its font, alignment and border.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Role {
    Title,
    Subtitle,
    /// A line around the title (corner cells), aligned as given.
    Line(HAlign),
    /// Labels of the blocks, the header fields, the funds block, the goals.
    Label,
    /// The indicator header row.
    Header,
    ValueCenter,
    ValueLeft,
    /// A long text (the goals): flush left, from the top, so that its parts on two pages
    /// read on.
    Text,
    Notes,
    Signoff,
}

/// How a draft row behaves at a page break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Kept on a page whole.
    Plain,
    /// A row of long texts: split between lines, into rows of their own, at a page break.
    Text,
    /// The indicator header: repeated, as rows of its own, at the top of each page that
    /// continues the table.
    Header,
    /// An indicator row: a page that starts with one repeats the header.
    Indicator,
}

/// A cell of one draft row.
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub col: u16,
    pub cols: u16,
    pub value: Value,
    pub lines: Vec<String>,
    /// Where each line starts in the text (for the cells of a `Text` row).
    pub starts: Vec<usize>,
    pub style: StyleId,
}

/// A row of the draft.
#[derive(Debug, Clone)]
pub(super) struct DraftRow {
    pub cells: Vec<Piece>,
    pub height: f32,
    pub kind: Kind,
    /// Never the last row of a page: a label row and what it labels, a block kept together.
    pub keep_with_next: bool,
}

/// A cell spanning rows `first..=last` of the draft: a block label, a 一级 or 二级 group. At
/// a page break it becomes one cell per page, the later ones showing `continued`.
#[derive(Debug, Clone)]
pub(super) struct Span {
    pub first: usize,
    pub last: usize,
    pub col: u16,
    pub cols: u16,
    pub value: Value,
    pub lines: Vec<String>,
    pub continued: Value,
    pub continued_lines: Vec<String>,
    pub style: StyleId,
}

/// Where a field of the form is shown in the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A cell of a row.
    Cell(usize, u16),
    /// The part of span `.0` beside draft row `.1`.
    Span(usize, usize),
}

/// A drop-down list over draft rows.
#[derive(Debug, Clone)]
pub(super) struct DraftValidation {
    pub first: usize,
    pub last: usize,
    pub col: u16,
    pub items: Vec<String>,
}

/// The form laid out, before it is cut into pages.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub columns: Vec<f32>,
    pub rows: Vec<DraftRow>,
    pub spans: Vec<Span>,
    pub styles: Vec<Style>,
    pub text: TextSetup,
    pub fields: HashMap<Field, Place>,
    pub validations: Vec<DraftValidation>,
    /// The 单位（盖章） cell.
    pub seal: Option<(usize, u16)>,
}

impl Draft {
    /// The height the text of a span needs, in its first part and in a continued one.
    pub fn span_needs(&self, span: &Span, continued: bool) -> f32 {
        let lines = if continued {
            span.continued_lines.len()
        } else {
            span.lines.len()
        };
        self.text.height(lines, self.styles[span.style.0].size)
    }
}

/// The formula reference of draft cell (`row`, `col`), resolved to A1 when the draft becomes
/// the grid.
pub(super) fn cell_ref(row: usize, col: u16) -> String {
    format!("\u{E010}{row}\u{E011}{col}\u{E012}")
}

/// Replaces the draft references of `formula` by A1 references through `grid_row`.
pub(super) fn resolve(formula: &str, grid_row: impl Fn(usize) -> u32) -> String {
    let mut out = String::with_capacity(formula.len());
    let mut rest = formula;
    while let Some(at) = rest.find('\u{E010}') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + '\u{E010}'.len_utf8()..];
        let (row, tail) = tail.split_once('\u{E011}').unwrap_or((tail, ""));
        let (col, tail) = tail.split_once('\u{E012}').unwrap_or((tail, ""));
        let (row, col) = (row.parse().unwrap_or(0), col.parse().unwrap_or(0));
        out.push_str(
            &CellRef {
                row: grid_row(row),
                col,
            }
            .to_string(),
        );
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The table's columns by role, in points.
#[derive(Debug, Clone)]
pub(super) struct Columns {
    roles: HashMap<Column, u16>,
    pub widths: Vec<f32>,
}

impl Columns {
    fn of(layout: &Layout) -> Columns {
        Columns {
            roles: layout
                .table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| (c.role, i as u16))
                .collect(),
            widths: layout
                .table
                .columns
                .iter()
                .map(|c| c.width * PT_PER_MM)
                .collect(),
        }
    }

    /// The column of `role`; the layout was checked to have the roles asked for.
    pub fn at(&self, role: Column) -> u16 {
        self.roles.get(&role).copied().unwrap_or(0)
    }

    /// The number of columns.
    pub fn count(&self) -> u16 {
        self.widths.len() as u16
    }
}

/// Lays the blocks out into a draft: places cells, measures and wraps their text, interns
/// styles, remembers where each field is.
pub(super) struct Builder<'l> {
    pub layout: &'l Layout,
    pub columns: Columns,
    pub draft: Draft,
    role_styles: HashMap<(Role, u32), StyleId>,
}

impl<'l> Builder<'l> {
    fn new(layout: &'l Layout) -> Self {
        let columns = Columns::of(layout);
        let c = &layout.cells;
        Builder {
            layout,
            draft: Draft {
                columns: columns.widths.clone(),
                rows: Vec::new(),
                spans: Vec::new(),
                styles: Vec::new(),
                text: TextSetup {
                    line_pitch: c.line_pitch,
                    pad_h: c.padding_h,
                    pad_v: c.padding_v,
                },
                fields: HashMap::new(),
                validations: Vec::new(),
                seal: None,
            },
            columns,
            role_styles: HashMap::new(),
        }
    }

    fn font(&self, role: Role) -> FontRole {
        let f = &self.layout.fonts;
        match role {
            Role::Title => f.title,
            Role::Subtitle => f.subtitle,
            Role::Line(_) | Role::Notes => f.notes,
            Role::Label => f.label,
            Role::Header => f.header,
            Role::ValueCenter | Role::ValueLeft | Role::Text => f.body,
            Role::Signoff => f.signoff,
        }
    }

    /// The style of `role` at `size` points.
    fn style(&mut self, role: Role, size: f32) -> StyleId {
        let key = (role, (size * 100.0).round() as u32);
        if let Some(id) = self.role_styles.get(&key) {
            return *id;
        }
        let font = self.font(role);
        let (h_align, v_align, border) = match role {
            Role::Title | Role::Subtitle => (HAlign::Center, VAlign::Center, false),
            Role::Line(align) => (align, VAlign::Center, false),
            Role::Label | Role::Header | Role::ValueCenter => {
                (HAlign::Center, VAlign::Center, true)
            }
            Role::ValueLeft => (HAlign::Left, VAlign::Center, true),
            Role::Text => (HAlign::Left, VAlign::Top, true),
            Role::Notes => (HAlign::Left, VAlign::Top, false),
            Role::Signoff => (HAlign::Left, VAlign::Center, false),
        };
        let id = StyleId(self.draft.styles.len());
        self.draft.styles.push(Style {
            size,
            bold: font.bold,
            h_align,
            v_align,
            border,
            fill: None,
            wrap: true,
        });
        self.role_styles.insert(key, id);
        id
    }

    /// The width of columns `col..col + cols`.
    fn width(&self, col: u16, cols: u16) -> f32 {
        self.columns.widths[col as usize..(col + cols) as usize]
            .iter()
            .sum()
    }

    /// Measures `value` in `cols` columns from `col` as `role` shows it: its lines (with
    /// where each starts in the text), and its style, the font stepped down when a number
    /// would not fit on one line (a number never wraps).
    fn measure(
        &mut self,
        col: u16,
        cols: u16,
        value: &Value,
        role: Role,
    ) -> (Vec<String>, Vec<usize>, StyleId) {
        let font = self.font(role);
        let metrics = fonts::metrics(font.bold);
        let room = self.width(col, cols) - 2.0 * self.draft.text.pad_h;
        let shown = value.display();
        let mut size = font.size;
        let widest = widest_number(&shown, size, metrics);
        if widest > room && room > 0.0 {
            // Quarter points down until the number fits.
            size = ((size * room / widest) * 4.0).floor() / 4.0;
            while size > 0.25 && widest_number(&shown, size, metrics) > room {
                size -= 0.25;
            }
            size = size.max(0.25);
        }
        let (lines, starts) = wrap_at(&shown, room, size, metrics);
        (lines, starts, self.style(role, size))
    }

    /// Appends an empty row.
    pub fn row(&mut self, kind: Kind, keep_with_next: bool) -> usize {
        self.draft.rows.push(DraftRow {
            cells: Vec::new(),
            height: 0.0,
            kind,
            keep_with_next,
        });
        self.draft.rows.len() - 1
    }

    /// Places a cell of `cols` columns from `col` in draft row `row`.
    pub fn put(&mut self, row: usize, col: u16, cols: u16, value: Value, role: Role) -> Place {
        let value = cleaned(value);
        let (lines, starts, style) = self.measure(col, cols, &value, role);
        self.draft.rows[row].cells.push(Piece {
            col,
            cols,
            value,
            lines,
            starts,
            style,
        });
        Place::Cell(row, col)
    }

    /// Places a cell and remembers that it shows `field`.
    pub fn field(
        &mut self,
        field: Field,
        row: usize,
        col: u16,
        cols: u16,
        value: Value,
        role: Role,
    ) {
        let at = self.put(row, col, cols, value, role);
        self.draft.fields.insert(field, at);
    }

    /// Places a cell over draft rows `first..=last`, showing `continued` where it goes on
    /// after a page break.
    #[allow(clippy::too_many_arguments)]
    pub fn span(
        &mut self,
        first: usize,
        last: usize,
        col: u16,
        cols: u16,
        value: Value,
        continued: Value,
        role: Role,
    ) -> usize {
        let value = cleaned(value);
        let continued = cleaned(continued);
        let (lines, _, style) = self.measure(col, cols, &value, role);
        let (continued_lines, _, continued_style) = self.measure(col, cols, &continued, role);
        // One style for both parts: the smaller, when a number made either step down.
        let style = if self.draft.styles[continued_style.0].size < self.draft.styles[style.0].size {
            continued_style
        } else {
            style
        };
        self.draft.spans.push(Span {
            first,
            last,
            col,
            cols,
            value,
            lines,
            continued,
            continued_lines,
            style,
        });
        self.draft.spans.len() - 1
    }

    /// Text as a value: nothing for blank text.
    pub fn text(&self, text: &str) -> Value {
        if text.trim().is_empty() {
            Value::Empty
        } else {
            Value::Text(text.to_string())
        }
    }

    /// Renders a template of the layout.
    pub fn render(&self, template: Template, data: &impl Serialize) -> Result<String> {
        self.layout.render(template, data)
    }

    /// Sizes every row: as tall as its tallest cell, spans spread over their rows.
    fn size_rows(&mut self) {
        let d = &mut self.draft;
        let body = self.layout.fonts.body.size;
        let minimum = d.text.height(1, body);
        for row in &mut d.rows {
            row.height = row
                .cells
                .iter()
                .map(|c| d.text.height(c.lines.len(), d.styles[c.style.0].size))
                .fold(minimum, f32::max);
        }
        for s in 0..d.spans.len() {
            let span = &d.spans[s];
            let want = d.span_needs(span, false).max(d.span_needs(span, true));
            let rows = span.first..=span.last;
            let have: f32 = d.rows[rows.clone()].iter().map(|r| r.height).sum();
            if want > have {
                let extra = (want - have) / (span.last - span.first + 1) as f32;
                for r in &mut d.rows[rows] {
                    r.height += extra;
                }
            }
        }
        // Whole hundredths of a point: what spreadsheet files store.
        for row in &mut d.rows {
            row.height = (row.height * 100.0).ceil() / 100.0;
        }
    }
}

/// Text cleaned of what no cell may hold (see [`clean`]).
fn cleaned(value: Value) -> Value {
    match value {
        Value::Text(t) => Value::Text(clean(&t).into_owned()),
        other => other,
    }
}

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
    let form = Form::default();
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
            title: form.project.clone(),
            author: form.unit.clone(),
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
    use crate::layout::Layout;
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
    fn draft_references_become_a1() {
        let f = format!(
            "=N({})+SUM({}:{})",
            cell_ref(3, 7),
            cell_ref(10, 6),
            cell_ref(20, 6)
        );
        let got = resolve(&f, |r| r as u32 + 2);
        assert_eq!(got, "=N(H6)+SUM(G13:G23)");
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
