//! The builder's types, shared by the blocks that fill a draft ([`super::blocks`]), the
//! pagination that cuts it ([`super::paginate`]) and the step that turns it into the grid
//! ([`super::build`]): the options and template data a build is given, the draft (rows of
//! measured cells and the cells that span rows) and the [`Builder`] that places, measures and
//! styles its cells. It calls none of them.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::grid::{HAlign, PT_PER_MM, Style, StyleId, TextSetup, VAlign, Value};
use super::spec::{FontRole, Layout, Template};
use super::text::{clean, widest_number, wrap_at};
use crate::error::Result;
use crate::fonts;
use crate::model::{CellRef, Field, Form};
use crate::vocabulary::Column;

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
    pub fn new(layout: &'l Layout) -> Self {
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
        text_value(text)
    }

    /// Renders a template of the layout.
    pub fn render(&self, template: Template, data: &impl Serialize) -> Result<String> {
        self.layout.render(template, data)
    }

    /// Sizes every row: as tall as its tallest cell, spans spread over their rows.
    pub fn size_rows(&mut self) {
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

/// Text as a value: nothing for blank text.
pub(super) fn text_value(text: &str) -> Value {
    if text.trim().is_empty() {
        Value::Empty
    } else {
        Value::Text(text.to_string())
    }
}

/// Text cleaned of what no cell may hold (see [`clean`]).
fn cleaned(value: Value) -> Value {
    match value {
        Value::Text(t) => Value::Text(clean(&t).into_owned()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
