//! The HTML writer draws the grid: every sample and fixture, in every built-in layout, read
//! back from the HTML (as XML: the writer's markup is polyglot) cell by cell — the slots each
//! `<td>` takes by the HTML table rules (row and column spans, cells covered by spans from
//! rows above), its spans, its lines of text, the column widths and row heights — equals the
//! grid; every finding is on its cell and in the list.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::repo;
use jixiao::layout::{self, Grid, Options};
use jixiao::render::html;
use jixiao::{Layout, pipeline};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Every input the tests read forms from: the samples and the workbook fixtures.
fn inputs() -> Vec<PathBuf> {
    let mut paths = vec![
        repo("samples/000.json"),
        repo("samples/001.json"),
        repo("samples/000.xlsx"),
        repo("samples/001.xlsx"),
    ];
    for dir in ["tests/fixtures/read", "tests/fixtures/variants"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(repo(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("xlsx" | "xls" | "ods")
                )
            })
            .collect();
        found.sort();
        paths.extend(found);
    }
    paths
}

/// One `<td>` as read back.
#[derive(Debug, Default, Clone)]
struct Td {
    attrs: BTreeMap<String, String>,
    lines: Vec<String>,
}

/// What the HTML holds.
#[derive(Debug, Default)]
struct Parsed {
    columns: Vec<String>,
    rows: Vec<String>,
    /// Per row, its cells in document order.
    tds: Vec<Vec<Td>>,
    /// The list items: their attributes and text.
    items: Vec<(BTreeMap<String, String>, String)>,
}

fn attrs(e: &BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("a well-formed attribute");
            (
                a.key.0.to_string(),
                quick_xml::escape::unescape(&a.value)
                    .expect("known references only")
                    .into_owned(),
            )
        })
        .collect()
}

fn parse(html: &str) -> Parsed {
    let mut reader = Reader::from_str(html);
    let mut parsed = Parsed::default();
    let mut td: Option<Td> = None;
    let mut item: Option<(BTreeMap<String, String>, String)> = None;
    let text = |td: &mut Option<Td>, item: &mut Option<(_, String)>, s: &str| {
        if let Some(td) = td.as_mut() {
            td.lines.last_mut().expect("a line").push_str(s);
        }
        if let Some((_, t)) = item.as_mut() {
            t.push_str(s);
        }
    };
    loop {
        match reader.read_event().expect("well-formed markup") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "col" => {
                parsed.columns.push(attrs(&e)["style"].clone());
            }
            Event::Start(e) if e.name().as_ref() == "tr" => {
                parsed.rows.push(attrs(&e)["style"].clone());
                parsed.tds.push(Vec::new());
            }
            Event::Start(e) if e.name().as_ref() == "td" => {
                td = Some(Td {
                    attrs: attrs(&e),
                    lines: vec![String::new()],
                });
            }
            Event::Empty(e) if e.name().as_ref() == "br" => {
                td.as_mut()
                    .expect("<br/> inside a cell")
                    .lines
                    .push(String::new());
            }
            Event::End(e) if e.name().as_ref() == "td" => {
                let mut done = td.take().expect("an open cell");
                if done.lines == [""] {
                    done.lines.clear();
                }
                parsed.tds.last_mut().expect("a row").push(done);
            }
            Event::Start(e) if e.name().as_ref() == "li" => {
                item = Some((attrs(&e), String::new()));
            }
            Event::End(e) if e.name().as_ref() == "li" => {
                parsed.items.push(item.take().expect("an open item"));
            }
            Event::Text(t) => text(&mut td, &mut item, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().expect("a valid reference") {
                    Some(ch) => ch,
                    None => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unknown entity {}", other),
                    },
                };
                text(&mut td, &mut item, &ch.to_string());
            }
            _ => {}
        }
    }
    parsed
}

/// A cell as placed in the table: slot, spans, lines.
type Placed = (u32, u16, u32, u16, Vec<String>);

/// Compares the HTML of `grid` with it; `what` names the case in failures.
fn compare(grid: &Grid, markup: &str, what: &str) {
    let parsed = parse(markup);
    let pt = |v: f32| format!("{v:.2}pt");
    let widths: Vec<String> = grid
        .columns
        .iter()
        .map(|w| format!("width:{}", pt(*w)))
        .collect();
    assert_eq!(parsed.columns, widths, "{what}: column widths");
    let heights: Vec<String> = grid
        .rows
        .iter()
        .map(|h| format!("height:{}", pt(*h)))
        .collect();
    assert_eq!(parsed.rows, heights, "{what}: row heights");

    // Place every <td> by the HTML table rules: the next slot of its row not yet taken.
    let ncols = grid.columns.len();
    let mut taken = vec![vec![false; ncols]; grid.rows.len()];
    let mut placed: Vec<Placed> = Vec::new();
    let mut by_slot: BTreeMap<(u32, u16), Td> = BTreeMap::new();
    for (r, row) in parsed.tds.iter().enumerate() {
        let mut c = 0;
        for td in row {
            while c < ncols && taken[r][c] {
                c += 1;
            }
            assert!(c < ncols, "{what}: row {r} has more cells than columns");
            let span = |name: &str| {
                td.attrs
                    .get(name)
                    .map_or(1, |v| v.parse::<usize>().unwrap())
            };
            let (rows, cols) = (span("rowspan"), span("colspan"));
            assert!(
                r + rows <= taken.len() && c + cols <= ncols,
                "{what}: a span past the table"
            );
            for (rr, slots) in taken.iter_mut().enumerate().skip(r).take(rows) {
                for (cc, slot) in slots.iter_mut().enumerate().skip(c).take(cols) {
                    assert!(!*slot, "{what}: slot ({rr}, {cc}) taken twice");
                    *slot = true;
                }
            }
            if td.attrs.get("class").map(String::as_str) == Some("jx-gap") {
                assert!(
                    td.lines.is_empty() && rows == 1 && cols == 1,
                    "{what}: gap {td:?}"
                );
            } else {
                assert_eq!(
                    td.attrs["data-cell"],
                    format!("{r},{c}"),
                    "{what}: data-cell of the cell in slot ({r}, {c})"
                );
                placed.push((
                    r as u32,
                    c as u16,
                    rows as u32,
                    cols as u16,
                    td.lines.clone(),
                ));
                by_slot.insert((r as u32, c as u16), td.clone());
            }
            c += cols;
        }
    }
    assert!(
        taken.iter().flatten().all(|t| *t),
        "{what}: every slot of the table is drawn"
    );
    let want: Vec<Placed> = grid
        .cells
        .iter()
        // One empty line is an empty cell: HTML cannot tell them apart, and shows both alike.
        .map(|c| {
            let lines = if c.lines == [""] {
                vec![]
            } else {
                c.lines.clone()
            };
            (c.row, c.col, c.rows, c.cols, lines)
        })
        .collect();
    assert_eq!(placed.len(), want.len(), "{what}: number of cells");
    for (got, want) in placed.iter().zip(&want) {
        assert_eq!(got, want, "{what}");
    }

    // Styles: fills and borders as the grid has them.
    for cell in &grid.cells {
        let td = &by_slot[&(cell.row, cell.col)];
        let style = grid.style(cell);
        let class = td.attrs.get("class").cloned().unwrap_or_default();
        assert_eq!(
            class.split(' ').any(|c| c == "jx-b"),
            style.border,
            "{what}: border of ({}, {})",
            cell.row,
            cell.col
        );
        let css = &td.attrs["style"];
        assert!(
            css.contains(&format!("font-size:{}pt", style.size)),
            "{what}: {css}"
        );
        assert_eq!(
            css.contains("font-weight:bold"),
            style.bold,
            "{what}: {css}"
        );
        if let Some(fill) = style.fill {
            assert!(
                css.contains(&format!("background-color:#{fill:06X}")),
                "{what}: {css}"
            );
        }
    }

    // Findings: each on its cell (its class, its message on hover) and in the list.
    for note in &grid.notes {
        let td = by_slot.get(&(note.row, note.col)).unwrap_or_else(|| {
            panic!(
                "{what}: a note on ({}, {}) with no cell",
                note.row, note.col
            )
        });
        let class = &td.attrs["class"];
        assert!(class.contains("jx-note"), "{what}: {class}");
        let worst = grid
            .notes
            .iter()
            .filter(|n| (n.row, n.col) == (note.row, note.col))
            .map(|n| n.severity)
            .min()
            .unwrap();
        assert!(
            class.contains(html::severity_class(worst)),
            "{what}: {class}"
        );
        assert!(
            td.attrs["title"].contains(&note.message),
            "{what}: {}",
            note.message
        );
        assert!(
            parsed.items.iter().any(|(a, text)| {
                a.get("data-cell") == Some(&format!("{},{}", note.row, note.col))
                    && a["class"] == html::severity_class(note.severity)
                    && text.contains(&note.message)
            }),
            "{what}: {} is not listed",
            note.message
        );
    }
    for note in &grid.general {
        assert!(
            parsed
                .items
                .iter()
                .any(|(a, text)| !a.contains_key("data-cell") && text.contains(&note.message)),
            "{what}: {} is not listed",
            note.message
        );
    }
    assert_eq!(
        parsed.items.len(),
        grid.notes.len() + grid.general.len(),
        "{what}: the list holds every finding once"
    );
    let noted = by_slot
        .values()
        .filter(|td| td.attrs.contains_key("title"))
        .count();
    let distinct: std::collections::BTreeSet<_> =
        grid.notes.iter().map(|n| (n.row, n.col)).collect();
    assert_eq!(
        noted,
        distinct.len(),
        "{what}: only cells with findings have a title"
    );
}

fn options() -> Options {
    Options {
        created: Some("2025-03-01T00:00:00+08:00".into()),
        ..Options::default()
    }
}

#[test]
fn every_sample_and_fixture_in_every_layout_is_drawn_as_its_grid() {
    let mut forms = 0;
    let mut notes = 0;
    for path in inputs() {
        for layout in Layout::builtin() {
            let checked = pipeline::load(&path, Some(layout))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for c in checked {
                let what = format!("{} ({}) in {}", path.display(), c.sheet, layout.name);
                let grid = layout::build(&c.report, &c.layout, &options()).unwrap();
                compare(&grid, &html::write(&grid), &what);
                forms += 1;
                notes += grid.notes.len();
            }
        }
    }
    // Both layouts, every file; and findings on cells to compare.
    assert!(forms >= 2 * inputs().len(), "{forms} forms");
    assert!(notes > 0);
}

#[test]
fn a_blank_template_is_drawn_as_its_grid() {
    for layout in Layout::builtin() {
        let grid = layout::build_blank(layout, 5).unwrap();
        compare(&grid, &html::write(&grid), &layout.name);
    }
}

#[test]
fn sample_000_has_its_error_on_the_score_of_complaints() {
    let path: &Path = &repo("samples/000.xlsx");
    let checked = pipeline::load(path, None).unwrap().remove(0);
    let grid = layout::build(&checked.report, &checked.layout, &options()).unwrap();
    let parsed = parse(&html::write(&grid));
    // The row of 投诉降低率: its 得分 cell (the column of the header 得分) holds the error.
    let name = grid
        .cells
        .iter()
        .find(|c| c.value.display() == "投诉降低率")
        .expect("the indicator");
    // The indicator header's 得分 (the funds block has one too, above it).
    let header = grid
        .cells
        .iter()
        .rfind(|c| c.value.display() == "得分" && c.row < name.row)
        .expect("the 得分 header");
    let score = format!("{},{}", name.row, header.col);
    let row = &parsed.tds[name.row as usize];
    let td = row
        .iter()
        .find(|td| td.attrs.get("data-cell") == Some(&score))
        .expect("the score cell");
    assert_eq!(td.lines, ["7.00"]);
    assert!(td.attrs["class"].contains("jx-error"), "{:?}", td.attrs);
    assert!(td.attrs["title"].contains("投诉降低率"), "{:?}", td.attrs);
}
