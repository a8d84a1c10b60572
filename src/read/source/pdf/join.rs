//! The pages' tables as sheets: a table continued on the next page (same width, no new title
//! above it, its header rows repeated or not) is joined to the part before it — the repeated
//! header rows and `续上页` rows dropped, a merged cell cut by the page break made one again —
//! and the lines of text above and below a table become rows of its sheet (a title, the
//! year, the notes), each piece in the column where it stands.

use super::grid::{Layout, Table, TextLine};
use crate::model::CellRef;
use crate::read::sheet::{Merge, Sheet, SheetCell, SheetValue};

/// Column lines of two parts of one table closer than this (points) are the same line.
const SAME_COLUMN: f64 = 3.0;

/// A table of the document, its pages joined.
#[derive(Debug, Clone)]
pub struct Joined {
    /// The table as a sheet named after its first page.
    pub sheet: Sheet,
    /// The first page (one-based).
    pub first_page: u32,
    /// `(first row, page)` of each page's rows in the sheet, in order.
    pub pages: Vec<(u32, u32)>,
}

/// A table of one page with the text around it.
struct Part {
    page: u32,
    table: Table,
    leading: Vec<TextLine>,
    trailing: Vec<TextLine>,
    first_on_page: bool,
    last_on_page: bool,
}

/// Every table of the document (`layouts` in page order), continued tables joined.
pub fn tables(layouts: Vec<Layout>) -> Vec<Joined> {
    let mut parts: Vec<Part> = Vec::new();
    for (index, layout) in layouts.into_iter().enumerate() {
        parts.extend(parts_of(index as u32 + 1, layout));
    }
    let mut groups: Vec<Vec<Part>> = Vec::new();
    for part in parts {
        let continues = groups.last().and_then(|g| g.last()).is_some_and(|prev| {
            prev.last_on_page
                && part.first_on_page
                && part.page == prev.page + 1
                && continues(prev, &part)
        });
        match groups.last_mut() {
            Some(group) if continues => group.push(part),
            _ => groups.push(vec![part]),
        }
    }
    groups.into_iter().map(build).collect()
}

/// The tables of a page, each with the lines above it (down from the table before) and, for
/// the last, the lines below it; a line between two tables goes to the nearer.
fn parts_of(page: u32, layout: Layout) -> Vec<Part> {
    let Layout { tables, lines } = layout;
    let tables: Vec<Table> = tables
        .into_iter()
        .filter(|t| t.xs[t.xs.len() - 1] - t.xs[0] >= 30.0 && t.bottom() - t.top() >= 10.0)
        .collect();
    let count = tables.len();
    let mut parts: Vec<Part> = tables
        .into_iter()
        .enumerate()
        .map(|(i, table)| Part {
            page,
            table,
            leading: Vec::new(),
            trailing: Vec::new(),
            first_on_page: i == 0,
            last_on_page: i + 1 == count,
        })
        .collect();
    if parts.is_empty() {
        return parts;
    }
    for line in lines {
        let below = parts.iter().position(|p| line.y < p.table.top());
        match below {
            Some(0) => parts[0].leading.push(line),
            Some(i) => {
                let above = &parts[i - 1].table;
                if line.y <= above.bottom() {
                    continue; // beside a table
                }
                if line.y - above.bottom() <= parts[i].table.top() - line.y {
                    parts[i - 1].trailing.push(line);
                } else {
                    parts[i].leading.push(line);
                }
            }
            None => {
                let last = parts.len() - 1;
                if line.y > parts[last].table.bottom() {
                    parts[last].trailing.push(line);
                }
            }
        }
    }
    parts
}

/// True for text that says a table goes on (`续上页`, `续表`, `（续）`).
fn is_continuation_mark(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.contains('续') && t.chars().count() <= 8
}

/// True for text that reads as a table's title or its year line.
fn is_title(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    !is_continuation_mark(&t) && (t.ends_with('表') || t.contains("年度") || t.contains("表（"))
}

/// Whether `next`, the first table of its page, goes on from `prev`, the last of the page
/// before: the same width, and either its first rows repeat rows of `prev` or it has no title
/// of its own (above it, or in a row across its whole width at its top).
fn continues(prev: &Part, next: &Part) -> bool {
    let (p, n) = (&prev.table, &next.table);
    let same_width = (p.xs[0] - n.xs[0]).abs() <= SAME_COLUMN
        && (p.xs[p.xs.len() - 1] - n.xs[n.xs.len() - 1]).abs() <= SAME_COLUMN;
    if !same_width {
        return false;
    }
    if repeated_rows(&[p], n) > 0 {
        return true;
    }
    // A line standing above the table on both pages is the pages' running header, no title.
    let running = |text: &str| {
        prev.leading
            .iter()
            .any(|l| l.chunks.iter().any(|c| compact(&c.text) == compact(text)))
    };
    let titled_above = next.leading.iter().any(|l| {
        l.chunks
            .iter()
            .any(|c| is_title(&c.text) && !running(&c.text))
    });
    let cols = n.xs.len() - 1;
    let titled_inside = n
        .regions
        .iter()
        .any(|r| r.r0 <= 1 && r.c0 == 0 && r.c1 + 1 == cols && is_title(&r.text));
    !titled_above && !titled_inside
}

/// The text of each column of row `row` of `table` that starts there (`None` where a region
/// from above covers it), by the table's own columns mapped through `col`.
fn signature(table: &Table, row: usize) -> Vec<(usize, &str)> {
    table
        .regions
        .iter()
        .filter(|r| r.r0 == row && !r.text.trim().is_empty())
        .map(|r| (r.c0, r.text.as_str()))
        .collect()
}

/// Whether two rows say the same (a header repeated on the next page): at least two cells
/// agree, none disagrees, at most one is written in only one of them.
fn same_row(a: &[(f64, String)], b: &[(f64, String)]) -> bool {
    let key = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    let (mut equal, mut one_sided) = (0, 0);
    for (x, text) in a {
        match b.iter().find(|(y, _)| (x - y).abs() <= SAME_COLUMN) {
            Some((_, other)) if key(other) == key(text) => equal += 1,
            Some(_) => return false,
            None => one_sided += 1,
        }
    }
    one_sided += b
        .iter()
        .filter(|(y, _)| !a.iter().any(|(x, _)| (x - y).abs() <= SAME_COLUMN))
        .count();
    equal >= 2 && one_sided <= 1
}

/// A row's written cells as (left edge, text).
fn row_cells(table: &Table, row: usize) -> Vec<(f64, String)> {
    signature(table, row)
        .into_iter()
        .map(|(c, t)| (table.xs[c], t.to_string()))
        .collect()
}

/// How many rows at the top of `next` repeat rows of the `before` tables or only say that the
/// table goes on: they are dropped when the parts are joined.
fn repeated_rows(before: &[&Table], next: &Table) -> usize {
    let earlier: Vec<Vec<(f64, String)>> = before
        .iter()
        .flat_map(|t| (0..t.rows()).map(move |r| row_cells(t, r)))
        .collect();
    let mut dropped = 0;
    for row in 0..next.rows() {
        let cells = row_cells(next, row);
        let text: String = cells.iter().map(|(_, t)| t.as_str()).collect();
        let repeated = earlier.iter().any(|e| same_row(e, &cells));
        if !(repeated || (!text.is_empty() && is_continuation_mark(&text))) {
            break;
        }
        dropped = row + 1;
    }
    dropped
}

/// A region placed on the sheet: rows and columns inclusive.
#[derive(Debug, Clone)]
struct Placed {
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    text: String,
}

/// The sheet of one table made of `parts` (pages in order).
fn build(parts: Vec<Part>) -> Joined {
    let first_page = parts[0].page;
    let mut sheet = Builder::new(&parts);
    let count = parts.len();
    for (k, part) in parts.iter().enumerate() {
        sheet.pages.push((sheet.row, part.page));
        if k == 0 {
            sheet.lines(&part.leading);
            sheet.table(&part.table, 0, false, false);
        } else {
            let before: Vec<&Table> = parts[..k].iter().map(|p| &p.table).collect();
            let dropped = repeated_rows(&before, &part.table);
            let cut = parts[k - 1].table.open_bottom || part.table.open_top;
            sheet.table(&part.table, dropped, true, cut);
        }
        if k + 1 == count {
            sheet.lines(&part.trailing);
        }
    }
    let pages = std::mem::take(&mut sheet.pages);
    Joined {
        sheet: sheet.finish(first_page.to_string()),
        first_page,
        pages,
    }
}

/// A sheet being laid out from the parts of one table.
struct Builder {
    /// The column lines of every part, near-equal ones as one.
    columns: Vec<f64>,
    placed: Vec<Placed>,
    /// `(first row, page)` of each part.
    pages: Vec<(u32, u32)>,
    /// The next row of the sheet.
    row: u32,
    /// The regions of the part before that reach its last row (indices into `placed`).
    open: Vec<usize>,
}

impl Builder {
    fn new(parts: &[Part]) -> Builder {
        let mut all: Vec<f64> = parts.iter().flat_map(|p| p.table.xs.clone()).collect();
        all.sort_by(f64::total_cmp);
        let mut columns: Vec<f64> = Vec::new();
        for x in all {
            if columns.last().is_none_or(|&l| x - l > SAME_COLUMN) {
                columns.push(x);
            }
        }
        Builder {
            columns,
            placed: Vec::new(),
            pages: Vec::new(),
            row: 0,
            open: Vec::new(),
        }
    }

    /// The column line at `x`.
    fn line_at(&self, x: f64) -> u16 {
        let i = self.columns.partition_point(|&l| l < x - SAME_COLUMN);
        i.min(self.columns.len() - 1).min(u16::MAX as usize) as u16
    }

    /// The column a piece of text starting at `x` stands in.
    fn column_at(&self, x: f64) -> u16 {
        let i = self.columns.partition_point(|&l| l <= x + SAME_COLUMN);
        i.saturating_sub(1)
            .min(self.columns.len().saturating_sub(2))
            .min(u16::MAX as usize) as u16
    }

    /// Lines of text outside the table, a row each, each piece in the column where it starts,
    /// merged over the columns it runs across.
    fn lines(&mut self, lines: &[TextLine]) {
        for line in lines {
            let starts: Vec<u16> = line.chunks.iter().map(|c| self.column_at(c.x0)).collect();
            for (k, chunk) in line.chunks.iter().enumerate() {
                let c0 = starts[k];
                let next = starts.get(k + 1).map_or(u16::MAX, |&n| n.saturating_sub(1));
                let c1 = self
                    .column_at(chunk.x1 - SAME_COLUMN)
                    .max(c0)
                    .min(next.max(c0));
                match self.placed.last_mut() {
                    // Two pieces in one column: one cell, as the line reads.
                    Some(p) if p.r0 == self.row && p.c1 >= c0 => {
                        p.text.push(' ');
                        p.text.push_str(&chunk.text);
                    }
                    _ => self.placed.push(Placed {
                        r0: self.row,
                        c0,
                        r1: self.row,
                        c1,
                        text: chunk.text.clone(),
                    }),
                }
            }
            self.row += 1;
        }
    }

    /// The regions of `table` without its first `dropped` rows; on a `continued` page a merged
    /// cell cut by the break (its label repeated or left out) goes on the one above, and a
    /// `cut` row goes on the last row above.
    fn table(&mut self, table: &Table, dropped: usize, continued: bool, cut: bool) {
        let kept = table.rows().saturating_sub(dropped) as u32;
        let cut = cut && continued && kept > 0 && self.row > 0 && !self.open.is_empty();
        let base = if cut { self.row - 1 } else { self.row };
        let last = base + kept;
        let mut open = Vec::new();
        for region in table.regions.iter().filter(|r| r.r1 >= dropped) {
            let top = base + region.r0.saturating_sub(dropped) as u32;
            let bottom = base + (region.r1 - dropped) as u32;
            let c0 = self.line_at(table.xs[region.c0]);
            let c1 = self
                .line_at(table.xs[region.c1 + 1])
                .saturating_sub(1)
                .max(c0);
            let above = (continued && top == base)
                .then(|| self.continues_above(c0, c1, &region.text, cut))
                .flatten();
            let index = match above {
                Some(i) => {
                    let p = &mut self.placed[i];
                    if cut {
                        p.text = joined_text(&p.text, &region.text);
                    }
                    p.r1 = p.r1.max(bottom);
                    i
                }
                None => {
                    self.placed.push(Placed {
                        r0: top,
                        c0,
                        r1: bottom,
                        c1,
                        text: region.text.clone(),
                    });
                    self.placed.len() - 1
                }
            };
            if bottom + 1 == last {
                open.push(index);
            }
        }
        self.open = open;
        self.row = last;
    }

    /// The region above the page break that the region `c0..=c1` with `text` at the top of
    /// the next page goes on: in a `cut` row, the one over the same columns; else a merged
    /// cell over the same columns whose label the part below repeats or leaves out.
    fn continues_above(&self, c0: u16, c1: u16, text: &str, cut: bool) -> Option<usize> {
        self.open.iter().copied().find(|&i| {
            let p = &self.placed[i];
            p.c0 == c0
                && p.c1 == c1
                && (cut
                    || (p.r1 > p.r0
                        && (text.trim().is_empty() || compact(text) == compact(&p.text))))
        })
    }

    /// The sheet named `name`.
    fn finish(self, name: String) -> Sheet {
        let mut cells = Vec::new();
        let mut merges = Vec::new();
        for p in self.placed {
            let first = CellRef {
                row: p.r0,
                col: p.c0,
            };
            if p.r1 > p.r0 || p.c1 > p.c0 {
                merges.push(Merge {
                    first,
                    last: CellRef {
                        row: p.r1,
                        col: p.c1,
                    },
                });
            }
            if !p.text.trim().is_empty() {
                cells.push(SheetCell {
                    at: first,
                    value: SheetValue::Text(p.text),
                });
            }
        }
        Sheet::new(name, cells, merges)
    }
}

/// The text of a cell cut by a page break: the part above, then the part below, as wrapped
/// lines join (a space only between two Latin words).
fn joined_text(above: &str, below: &str) -> String {
    let (above, below) = (above.trim(), below.trim());
    if above.is_empty() || below.is_empty() {
        return format!("{above}{below}");
    }
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let space = latin(above.chars().next_back()) && latin(below.chars().next());
    format!("{above}{}{below}", if space { " " } else { "" })
}

/// `text` without white space.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::source::pdf::grid::{Chunk, Region};

    /// A table with column lines at `xs`, one row line every 20 points from `top`, and
    /// `regions` as (r0, c0, r1, c1, text).
    fn table(
        xs: &[f64],
        rows: usize,
        top: f64,
        regions: &[(usize, usize, usize, usize, &str)],
    ) -> Table {
        Table {
            xs: xs.to_vec(),
            ys: (0..=rows).map(|r| top + 20.0 * r as f64).collect(),
            regions: regions
                .iter()
                .map(|&(r0, c0, r1, c1, text)| Region {
                    r0,
                    c0,
                    r1,
                    c1,
                    text: text.to_string(),
                })
                .collect(),
            open_top: false,
            open_bottom: false,
        }
    }

    fn line(y: f64, x0: f64, text: &str) -> TextLine {
        TextLine {
            y,
            chunks: vec![Chunk {
                x0,
                x1: x0 + 12.0 * text.chars().count() as f64,
                text: text.to_string(),
            }],
        }
    }

    fn cells(sheet: &Sheet) -> Vec<(String, String)> {
        sheet
            .cells()
            .iter()
            .map(|c| {
                let at = sheet
                    .merge_at(c.at)
                    .map_or(c.at.to_string(), |m| format!("{}:{}", m.first, m.last));
                (at, c.value.display())
            })
            .collect()
    }

    /// A form over two pages — the header repeated, `续上页` above it, a 一级 label merged on
    /// both sides of the break — is one sheet: the header once, the label's cell merged across
    /// the break; a table under a title of its own on the next page is a table of its own.
    #[test]
    fn continued_tables_are_joined_and_titled_ones_are_not() {
        let xs = [0.0, 100.0, 200.0, 300.0];
        let page1 = Layout {
            tables: vec![table(
                &xs,
                3,
                100.0,
                &[
                    (0, 0, 0, 0, "一级指标"),
                    (0, 1, 0, 1, "三级指标"),
                    (0, 2, 0, 2, "分值"),
                    (1, 0, 2, 0, "产出指标"),
                    (1, 1, 1, 1, "数量"),
                    (1, 2, 1, 2, "10"),
                    (2, 1, 2, 1, "质量"),
                    (2, 2, 2, 2, "20"),
                ],
            )],
            lines: vec![
                line(80.0, 100.0, "项目支出绩效自评表"),
                line(800.0, 120.0, "第1页"),
            ],
        };
        let page2 = Layout {
            tables: vec![table(
                &xs,
                3,
                60.0,
                &[
                    (0, 0, 0, 0, "一级指标"),
                    (0, 1, 0, 1, "三级指标"),
                    (0, 2, 0, 2, "分值"),
                    (1, 0, 2, 0, "产出指标"),
                    (1, 1, 1, 1, "时效"),
                    (1, 2, 1, 2, "30"),
                    (2, 1, 2, 1, "成本"),
                    (2, 2, 2, 2, "40"),
                ],
            )],
            lines: vec![line(40.0, 0.0, "续上页")],
        };
        let page3 = Layout {
            tables: vec![table(
                &xs,
                2,
                100.0,
                &[(0, 0, 0, 2, "收入"), (1, 0, 1, 2, "1")],
            )],
            lines: vec![line(80.0, 100.0, "收入支出决算表")],
        };
        let joined = tables(vec![page1, page2, page3]);
        assert_eq!(joined.len(), 2);
        assert_eq!(joined[0].pages, [(0, 1), (4, 2)]);
        assert_eq!(joined[0].sheet.name, "1");
        let want: Vec<(String, String)> = [
            ("B1:C1", "项目支出绩效自评表"),
            ("A2", "一级指标"),
            ("B2", "三级指标"),
            ("C2", "分值"),
            ("A3:A6", "产出指标"),
            ("B3", "数量"),
            ("C3", "10"),
            ("B4", "质量"),
            ("C4", "20"),
            ("B5", "时效"),
            ("C5", "30"),
            ("B6", "成本"),
            ("C6", "40"),
        ]
        .iter()
        .map(|(a, t)| (a.to_string(), t.to_string()))
        .collect();
        assert_eq!(cells(&joined[0].sheet), want);
        assert_eq!(joined[1].first_page, 3);
        assert_eq!(
            cells(&joined[1].sheet)[0],
            ("B1".to_string(), "收入支出决算表".to_string())
        );
    }
}
