//! The grid as an HTML table, the third writer beside xlsx and PDF: the same cells with their
//! row and column spans, column widths, row heights and styles, the text in the lines the grid
//! wrapped it into, and every finding pinned on its cell (a class for its severity, the
//! messages on hover) and listed beside the table (the rule of its code on hover).
//!
//! Looks only at the grid. Every text is escaped; the markup is polyglot (it parses the same as
//! HTML and as XML), so that a test can read it back cell by cell. No script, no inline event
//! handlers: the page that shows it wires the list to the cells by their `data-cell`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::finding::Code;
use crate::layout::{Cell, Grid, HAlign, Note, Style, VAlign};
use crate::validate::Severity;

/// The class of a severity, on cells and list items.
pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "jx-error",
        Severity::Warning => "jx-warning",
        Severity::Info => "jx-info",
    }
}

/// `text` escaped for HTML text and attribute values, as [`write()`] escapes every text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` escaped for HTML text and attribute values; control characters (which the
/// grid has already removed from cell text) are shown as escapes rather than written raw.
fn escape_into(out: &mut String, text: &str) {
    for c in crate::text::escaped(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The inline style of a cell: what its grid style says.
fn cell_style(style: &Style) -> String {
    let mut css = format!("font-size:{}pt", style.size);
    if style.bold {
        css.push_str(";font-weight:bold");
    }
    css.push_str(match style.h_align {
        HAlign::Left => ";text-align:left",
        HAlign::Center => ";text-align:center",
        HAlign::Right => ";text-align:right",
    });
    css.push_str(match style.v_align {
        VAlign::Top => ";vertical-align:top",
        VAlign::Center => ";vertical-align:middle",
    });
    if let Some(rgb) = style.fill {
        let _ = write!(css, ";background-color:#{rgb:06X}");
    }
    css
}

/// The most serious severity among `notes`.
fn worst<'a>(notes: impl IntoIterator<Item = &'a Note>) -> Option<Severity> {
    notes.into_iter().map(|n| n.severity).min()
}

/// One finding as a line: `错误［code］message`, as the xlsx writer's cell notes say it.
fn note_line(note: &Note) -> String {
    format!("{}［{}］{}", note.severity.label(), note.code, note.message)
}

/// The grid as `<div class="jx-form">` holding the table (`<table class="jx-table">`) and the
/// list of its findings (`<ol class="jx-notes">`): findings that concern no single cell first,
/// then the others in table order, each item carrying the `data-cell="row,col"` of its cell.
///
/// Every cell of the grid is one `<td>` with `data-cell="row,col"` (zero-based, its top-left
/// slot), `rowspan`/`colspan` for its spans and its lines joined by `<br/>`; a slot that no
/// cell covers is an empty `<td class="jx-gap">`, so that the cells after it keep their
/// columns. Column widths (`<col>`) and row heights are in points, the padding and line pitch
/// are given to the page's stylesheet as custom properties (`--jx-pad-v`, `--jx-pad-h`,
/// `--jx-pitch`).
pub fn write(grid: &Grid) -> String {
    let ncols = grid.columns.len();
    let mut notes: BTreeMap<(u32, u16), Vec<&Note>> = BTreeMap::new();
    for n in &grid.notes {
        notes.entry((n.row, n.col)).or_default().push(n);
    }
    let width: f32 = grid.columns.iter().sum();
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<div class=\"jx-form\">");
    let _ = write!(
        out,
        "<table class=\"jx-table\" style=\"width:{width:.2}pt;--jx-pad-v:{}pt;--jx-pad-h:{}pt;--jx-pitch:{}\" data-font=\"",
        grid.text.pad_v, grid.text.pad_h, grid.text.line_pitch
    );
    escape_into(&mut out, &grid.font_family);
    out.push_str("\"><colgroup>");
    for w in &grid.columns {
        let _ = write!(out, "<col style=\"width:{w:.2}pt\"/>");
    }
    out.push_str("</colgroup><tbody>");
    // Which slots are covered by a cell starting in an earlier row or column.
    let mut covered = vec![false; grid.rows.len() * ncols];
    let mut cells = grid.cells.iter().peekable();
    for (r, height) in grid.rows.iter().enumerate() {
        let _ = write!(out, "<tr style=\"height:{height:.2}pt\">");
        let mut c = 0;
        while c < ncols {
            if covered[r * ncols + c] {
                c += 1;
                continue;
            }
            let starts_here = cells
                .peek()
                .is_some_and(|cell| cell.row as usize == r && cell.col as usize == c);
            if !starts_here {
                out.push_str("<td class=\"jx-gap\"></td>");
                c += 1;
                continue;
            }
            let cell = cells.next().expect("peeked");
            for rr in cell.row..=cell.last_row() {
                for cc in cell.col..=cell.last_col() {
                    covered[rr as usize * ncols + cc as usize] = true;
                }
            }
            cell_into(
                &mut out,
                grid,
                cell,
                notes.get(&(cell.row, cell.col)).map(Vec::as_slice),
            );
            c += cell.cols as usize;
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");

    notes_into(&mut out, grid, &notes);
    out.push_str("</ol></div>");
    out
}

/// One `<td>` of the table: its spans, border and severity classes, style, the findings at
/// it as its title (one a line) and its lines.
fn cell_into(out: &mut String, grid: &Grid, cell: &Cell, here: Option<&[&Note]>) {
    let style = grid.style(cell);
    let mut class = String::new();
    if style.border {
        class.push_str("jx-b");
    }
    if let Some(severity) = here.and_then(|n| worst(n.iter().copied())) {
        if !class.is_empty() {
            class.push(' ');
        }
        class.push_str("jx-note ");
        class.push_str(severity_class(severity));
    }
    let _ = write!(out, "<td data-cell=\"{},{}\"", cell.row, cell.col);
    if cell.rows > 1 {
        let _ = write!(out, " rowspan=\"{}\"", cell.rows);
    }
    if cell.cols > 1 {
        let _ = write!(out, " colspan=\"{}\"", cell.cols);
    }
    if !class.is_empty() {
        let _ = write!(out, " class=\"{class}\"");
    }
    let _ = write!(out, " style=\"{}\"", cell_style(style));
    if let Some(here) = here {
        // One finding a line (a character reference: a raw newline in an attribute
        // is read as a space by XML parsers).
        out.push_str(" title=\"");
        for (k, note) in here.iter().enumerate() {
            if k > 0 {
                out.push_str("&#10;");
            }
            escape_into(out, &note_line(note));
        }
        out.push('"');
    }
    out.push('>');
    for (k, line) in cell.lines.iter().enumerate() {
        if k > 0 {
            out.push_str("<br/>");
        }
        escape_into(out, line);
    }
    out.push_str("</td>");
}

/// The list of findings under the table: those of no single cell first, then the others in
/// table order.
fn notes_into(out: &mut String, grid: &Grid, notes: &BTreeMap<(u32, u16), Vec<&Note>>) {
    out.push_str("<ol class=\"jx-notes\">");
    let item = |out: &mut String, note: &Note, cell: Option<(u32, u16)>| {
        let _ = write!(out, "<li class=\"{}\"", severity_class(note.severity));
        if let Some((row, col)) = cell {
            let _ = write!(out, " data-cell=\"{row},{col}\"");
        }
        // The rule the finding stands for, on hover (from the catalogue).
        if let Some(code) = Code::parse(note.code) {
            out.push_str(" title=\"");
            escape_into(out, code.rule());
            out.push('"');
        }
        out.push_str("><span class=\"jx-severity\">");
        out.push_str(note.severity.label());
        out.push_str("</span> <span class=\"jx-message\">");
        escape_into(out, &note.message);
        out.push_str("</span> <code>");
        escape_into(out, note.code);
        out.push_str("</code></li>");
    };
    for note in &grid.general {
        item(out, note, None);
    }
    for ((row, col), here) in notes {
        for note in here {
            item(out, note, Some((*row, *col)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{StyleId, Value};

    fn style(border: bool, fill: Option<u32>) -> Style {
        Style {
            size: 10.5,
            bold: false,
            h_align: HAlign::Left,
            v_align: VAlign::Top,
            border,
            fill,
            wrap: true,
        }
    }

    fn cell(row: u32, col: u16, rows: u32, cols: u16, text: &str) -> Cell {
        Cell {
            row,
            col,
            rows,
            cols,
            value: Value::Text(text.into()),
            lines: text.split('\n').map(String::from).collect(),
            style: StyleId(0),
        }
    }

    fn grid(cells: Vec<Cell>, notes: Vec<Note>) -> Grid {
        let styles = vec![style(true, None), style(false, Some(0xFFC7CE))];
        let mut grid = Grid::sketch(
            vec![40.0, 50.0, 60.0],
            vec![20.0, 21.5, 22.0],
            cells,
            styles,
        );
        grid.notes = notes;
        grid
    }

    fn note(row: u32, col: u16, severity: Severity, message: &str) -> Note {
        Note {
            row,
            col,
            severity,
            code: "t",
            message: message.into(),
        }
    }

    #[test]
    fn spans_gaps_and_covered_rows() {
        // (0,0) spans two rows and two columns; (0,2) is alone; row 1 has nothing of its own
        // but (1,2) is a gap; row 2 has a gap at its start.
        let g = grid(
            vec![
                cell(0, 0, 2, 2, "甲\n乙"),
                cell(0, 2, 1, 1, "丙"),
                cell(2, 1, 1, 2, "丁"),
            ],
            vec![],
        );
        let html = write(&g);
        assert!(
            html.contains(
                "<tr style=\"height:20.00pt\"><td data-cell=\"0,0\" rowspan=\"2\" colspan=\"2\" class=\"jx-b\""
            ),
            "{html}"
        );
        assert!(html.contains(">甲<br/>乙</td>"), "{html}");
        assert!(
            html.contains("<tr style=\"height:21.50pt\"><td class=\"jx-gap\"></td></tr>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<tr style=\"height:22.00pt\"><td class=\"jx-gap\"></td><td data-cell=\"2,1\" colspan=\"2\""
            ),
            "{html}"
        );
        assert_eq!(html.matches("<col ").count(), 3);
        assert!(html.contains("width:150.00pt"));
    }

    #[test]
    fn findings_are_pinned_and_listed() {
        let mut g = grid(
            vec![cell(0, 0, 1, 3, "项目"), cell(1, 0, 1, 3, "得分")],
            vec![
                note(1, 0, Severity::Warning, "可能有误"),
                note(1, 0, Severity::Error, "得分 7.00 高于 <计算> 的 0.00"),
            ],
        );
        g.general.push(note(0, 0, Severity::Info, "全表 & 说明"));
        let html = write(&g);
        // The worst severity colours the cell; both messages on hover, escaped.
        assert!(
            html.contains("<td data-cell=\"1,0\" colspan=\"3\" class=\"jx-b jx-note jx-error\""),
            "{html}"
        );
        assert!(
            html.contains(
                "title=\"警告［t］可能有误&#10;错误［t］得分 7.00 高于 &lt;计算&gt; 的 0.00\""
            ),
            "{html}"
        );
        // The list: the general one first, without a cell; then the pinned ones.
        let list = &html[html.find("<ol").unwrap()..];
        let general = list.find("全表 &amp; 说明").unwrap();
        let pinned = list.find("可能有误").unwrap();
        assert!(general < pinned);
        assert!(list.contains("<li class=\"jx-info\"><span"), "{list}");
        assert!(
            list.contains("<li class=\"jx-error\" data-cell=\"1,0\">"),
            "{list}"
        );
    }

    #[test]
    fn text_cannot_become_markup() {
        let g = grid(
            vec![cell(0, 0, 1, 3, "<script>alert(1)</script>\"'&\u{1b}[31m")],
            vec![],
        );
        let html = write(&g);
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\\u{1b}[31m"),
            "{html}"
        );
    }

    #[test]
    fn fills_are_the_grids() {
        let mut g = grid(vec![cell(0, 0, 1, 1, "x")], vec![]);
        g.cells[0].style = StyleId(1);
        let html = write(&g);
        assert!(html.contains("background-color:#FFC7CE"), "{html}");
        assert!(!html.contains("jx-b"), "{html}");
    }
}
