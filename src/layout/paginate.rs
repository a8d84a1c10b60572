//! Where pages break.
//!
//! A spreadsheet cannot continue a merged cell on the next page, so workbooks break only
//! between indicator groups ([`sheet_breaks`]). A PDF draws every page itself: it may break
//! between any two rows, continues a merged cell on the next page with its text repeated, and
//! splits a row taller than a page between lines of text ([`pages`]). Both are plain data
//! computed from the grid; nothing here draws.

use std::ops::Range;

use super::build::{LINE_PITCH, PAD_V};
use super::grid::{Cell, Grid};

/// Tolerance for comparing heights in points.
const EPS: f32 = 0.01;

/// The rows before which a printed worksheet starts a new page: only where the grid allows a
/// break (between 一级 groups, before the total, the notes and the sign-off), as late as the
/// page allows, counting the repeated header on every page after the one it starts on.
pub fn sheet_breaks(grid: &Grid) -> Vec<u32> {
    let available = grid.page.printable_height();
    let header = grid
        .header_rows
        .map_or(0.0, |(first, last)| grid.rows_height(first, last));
    let header_first = grid.header_rows.map_or(u32::MAX, |(first, _)| first);
    let nrows = grid.rows.len() as u32;
    let mut starts: Vec<u32> = grid
        .break_before
        .iter()
        .copied()
        .filter(|&r| r > 0 && r < nrows)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut blocks = Vec::with_capacity(starts.len() + 1);
    let mut first = 0;
    for &s in &starts {
        blocks.push((first, s - 1));
        first = s;
    }
    blocks.push((first, nrows - 1));

    let mut breaks = Vec::new();
    // `floor` is what the current page holds before its first block: the repeated header.
    let (mut used, mut floor) = (0.0, 0.0);
    for (first, last) in blocks {
        let height = grid.rows_height(first, last);
        if used + height > available && used > floor + 0.01 {
            breaks.push(first);
            floor = if first > header_first { header } else { 0.0 };
            used = floor;
        }
        used += height;
    }
    breaks
}

/// One page of a drawn document (PDF): the rows it shows, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSlice {
    /// The header rows repeated at the top of this page: on pages after the one the header
    /// starts on, when they continue the table.
    pub header: Option<(u32, u32)>,
    /// The rows under the repeated header, in order: whole rows, and parts of rows taller
    /// than a page.
    pub rows: Vec<RowSlice>,
}

/// A row, or a part of a row, on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSlice {
    /// The grid row.
    pub row: u32,
    /// Its height on this page, in points.
    pub height: f32,
    /// For a part of a row split between pages: which part it is and which lines of the
    /// row's cells it shows. `None` for a whole row.
    pub split: Option<RowSplit>,
}

/// A part of a row split between text lines.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSplit {
    /// The part's index, from 0.
    pub part: usize,
    /// How many parts the row has.
    pub parts: usize,
    /// The lines shown in this part, by column, for every one-row cell of the row. Cells
    /// spanning several rows show their whole text in every part.
    pub lines: LineRanges,
}

/// Line ranges by column: the lines of each one-row cell shown in a part of a split row.
pub type LineRanges = Vec<(u16, Range<usize>)>;

impl PageSlice {
    /// Every row on the page, the repeated header first, with its height on the page.
    pub fn all_rows<'a>(&'a self, grid: &'a Grid) -> impl Iterator<Item = (u32, f32)> + 'a {
        let header = self
            .header
            .map_or(0..0, |(first, last)| first..last + 1)
            .map(|r| (r, grid.rows[r as usize]));
        header.chain(self.rows.iter().map(|s| (s.row, s.height)))
    }

    /// The height of everything on the page.
    pub fn height(&self, grid: &Grid) -> f32 {
        self.all_rows(grid).map(|(_, h)| h).sum()
    }
}

/// The height a cell's text needs: its lines at the line pitch plus the paddings.
pub fn text_height(grid: &Grid, cell: &Cell) -> f32 {
    let style = grid.style(cell);
    cell.lines.len().max(1) as f32 * style.size * LINE_PITCH + 2.0 * PAD_V
}

/// Splits the grid into pages for a drawn document.
///
/// Rows go on a page while they fit in its printable height. A page breaks between rows: as
/// late as possible, but not right after the repeated header, and not where a merged cell
/// (a 一级 or 二级 group) would keep a part too short for its text when an earlier break
/// avoids it. A page that continues the table starts with the header rows. A row taller than
/// a page is split between its text lines: each part shows the lines that fit, one-row cells
/// with fewer lines show them in the first parts. No row is ever cut otherwise.
pub fn pages(grid: &Grid) -> Vec<PageSlice> {
    Paginator::new(grid).run()
}

struct Paginator<'g> {
    grid: &'g Grid,
    /// The printable height of a page.
    available: f32,
    /// The height of the repeated header.
    header_height: f32,
    /// Rows holding a bordered cell: the table, where the header repeats.
    in_table: Vec<bool>,
    /// Cells spanning several rows.
    merged: Vec<&'g Cell>,
    pages: Vec<PageSlice>,
    current: PageSlice,
}

impl<'g> Paginator<'g> {
    fn new(grid: &'g Grid) -> Self {
        let mut in_table = vec![false; grid.rows.len()];
        for cell in grid.cells.iter().filter(|c| grid.style(c).border) {
            for r in cell.row..=cell.last_row() {
                in_table[r as usize] = true;
            }
        }
        let available = grid.page.printable_height();
        let header_height = grid
            .header_rows
            .map_or(0.0, |(first, last)| grid.rows_height(first, last));
        Paginator {
            grid,
            available,
            header_height,
            in_table,
            merged: grid.cells.iter().filter(|c| c.rows > 1).collect(),
            pages: Vec::new(),
            current: PageSlice {
                header: None,
                rows: Vec::new(),
            },
        }
    }

    /// The header a page starting with row `first` repeats.
    fn header_for(&self, first: u32) -> Option<(u32, u32)> {
        self.grid.header_rows.filter(|&(_, last)| {
            first > last
                && self.in_table.get(first as usize).copied().unwrap_or(false)
                // A header that leaves no room for a few lines is not repeated.
                && self.header_height < self.available / 2.0
        })
    }

    /// The room for rows on a new page starting with row `first`.
    fn fresh_room(&self, first: u32) -> f32 {
        self.available
            - if self.header_for(first).is_some() {
                self.header_height
            } else {
                0.0
            }
    }

    fn used(&self) -> f32 {
        self.current.height(self.grid)
    }

    /// Closes the current page and opens one starting with row `first`.
    fn new_page(&mut self, first: u32) {
        let next = PageSlice {
            header: self.header_for(first),
            rows: Vec::new(),
        };
        let done = std::mem::replace(&mut self.current, next);
        if !done.rows.is_empty() || done.header.is_some() {
            self.pages.push(done);
        }
    }

    fn run(mut self) -> Vec<PageSlice> {
        let nrows = self.grid.rows.len() as u32;
        let mut r = 0;
        while r < nrows {
            let height = self.grid.rows[r as usize];
            if self.used() + height <= self.available + EPS {
                self.current.rows.push(RowSlice {
                    row: r,
                    height,
                    split: None,
                });
                r += 1;
                continue;
            }
            if self.current.rows.is_empty() || height > self.fresh_room(r) + EPS {
                self.split_row(r);
                r += 1;
                continue;
            }
            let b = self.choose_break(r);
            let moved = self.current.rows.iter().position(|s| s.row >= b);
            if let Some(at) = moved {
                self.current.rows.truncate(at);
            }
            self.new_page(b);
            r = b;
        }
        self.new_page(nrows);
        if self.pages.is_empty() {
            self.pages.push(PageSlice {
                header: None,
                rows: Vec::new(),
            });
        }
        self.pages
    }

    /// The row before which the current page ends, when row `r` does not fit: the latest
    /// acceptable one, `r` when none is.
    fn choose_break(&self, r: u32) -> u32 {
        let Some(first) = self.current.rows.first().map(|s| s.row) else {
            return r;
        };
        (first + 1..=r)
            .rev()
            .find(|&b| self.acceptable_break(b))
            .unwrap_or(r)
    }

    /// Whether the current page may end before row `b` (all rows before `b` on it).
    fn acceptable_break(&self, b: u32) -> bool {
        if let Some((first, last)) = self.grid.header_rows
            && b > first
            && b <= last + 1
        {
            // Never split the header nor leave it at the foot of a page.
            return false;
        }
        let on_page = |from: u32, to: u32| -> f32 {
            self.current
                .rows
                .iter()
                .filter(|s| s.row >= from && s.row <= to)
                .map(|s| s.height)
                .sum()
        };
        let fresh = self.fresh_room(b);
        self.merged
            .iter()
            .filter(|c| c.row < b && b <= c.last_row())
            .all(|c| {
                let needed = text_height(self.grid, c) - EPS;
                let upper = on_page(c.row, b - 1);
                let lower = self.grid.rows_height(b, c.last_row());
                upper >= needed && (lower >= needed || lower > fresh)
            })
    }

    /// Splits row `r` between text lines, starting on the current page when a few lines
    /// still fit there; the last part stays open for the rows that follow.
    fn split_row(&mut self, r: u32) {
        let grid = self.grid;
        let cells: Vec<(u16, usize, f32)> = grid
            .cells
            .iter()
            .filter(|c| c.row == r && c.rows == 1)
            .map(|c| (c.col, c.lines.len(), grid.style(c).size * LINE_PITCH))
            .collect();
        let height = grid.rows[r as usize];
        // The finest pitch decides how small a part may be: at least two of its lines.
        let pitch = cells
            .iter()
            .map(|&(_, _, p)| p)
            .fold(f32::INFINITY, f32::min);
        let pitch = if pitch.is_finite() { pitch } else { height };
        let min_part = 2.0 * PAD_V + 2.0 * pitch;
        if !self.current.rows.is_empty() && self.available - self.used() < min_part {
            self.new_page(r);
        }
        // The parts: the first fills what is left of this page, the others whole pages.
        let mut room = self.available - self.used();
        let fresh = self.fresh_room(r);
        let mut remaining: Vec<usize> = cells.iter().map(|&(_, n, _)| n).collect();
        let mut shown = vec![0usize; cells.len()];
        let mut consumed = 0.0;
        let mut parts: Vec<(f32, LineRanges)> = Vec::new();
        loop {
            let rest = cells
                .iter()
                .zip(&remaining)
                .map(|(&(_, _, p), &n)| 2.0 * PAD_V + n as f32 * p)
                .fold((height - consumed).max(2.0 * PAD_V + pitch), f32::max);
            let last = rest <= room + EPS || remaining.iter().all(|&n| n == 0);
            let part_height = if last { rest } else { room };
            let mut lines = Vec::with_capacity(cells.len());
            for (k, &(col, _, p)) in cells.iter().enumerate() {
                let fit = if last {
                    remaining[k]
                } else {
                    // At least one line per part, so that splitting always ends.
                    (((part_height - 2.0 * PAD_V) / p + EPS).floor() as usize)
                        .max(1)
                        .min(remaining[k])
                };
                lines.push((col, shown[k]..shown[k] + fit));
                shown[k] += fit;
                remaining[k] -= fit;
            }
            consumed += part_height - 2.0 * PAD_V;
            parts.push((part_height, lines));
            if last {
                break;
            }
            room = fresh;
        }
        let count = parts.len();
        for (part, (h, lines)) in parts.into_iter().enumerate() {
            if part > 0 {
                self.new_page(r);
            }
            self.current.rows.push(RowSlice {
                row: r,
                height: h,
                split: (count > 1).then_some(RowSplit {
                    part,
                    parts: count,
                    lines,
                }),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::grid::{DocInfo, PageSetup, Style, StyleId, VAlign, Value};
    use crate::layout::{HAlign, Layout, Options, build};
    use crate::model::{Form, Indicator, SourcedForm};
    use crate::report::Report;

    fn sample(name: &str) -> Form {
        let text = match name {
            "000" => include_str!("../../samples/000.json"),
            _ => include_str!("../../samples/001.json"),
        };
        crate::read::form_from_json(text).unwrap()
    }

    fn grid_of(form: Form) -> Grid {
        let layout = Layout::for_year(form.year);
        let report = Report::new(SourcedForm::from_data("t", form), None);
        let options = Options {
            created: Some("2025-03-01T00:00:00+08:00".into()),
            ..Options::default()
        };
        build(&report, layout, &options).unwrap()
    }

    fn long_form() -> Form {
        let mut form = sample("000");
        form.indicators = (0..60)
            .map(|i| Indicator {
                level1: ["产出指标", "效益指标", "满意度指标"][i / 25].into(),
                level2: format!("二级{}", i / 7),
                name: format!("指标名称{i}"),
                target: "≥1".into(),
                actual: "1".into(),
                deviation: "说明".repeat(i % 5 * 6),
                ..Indicator::default()
            })
            .collect();
        form.goals.expected = "预期".repeat(500);
        form.goals.achieved = "完成".repeat(500);
        form
    }

    /// The checks every pagination must pass.
    fn check(grid: &Grid, pages: &[PageSlice]) {
        let available = grid.page.printable_height();
        let mut seen = vec![0usize; grid.rows.len()];
        for (p, page) in pages.iter().enumerate() {
            assert!(
                page.height(grid) <= available + 0.1,
                "page {p} is {} high",
                page.height(grid)
            );
            assert!(!page.rows.is_empty(), "page {p} is empty");
            for s in &page.rows {
                seen[s.row as usize] += 1;
                if s.split.is_none() {
                    assert_eq!(s.height, grid.rows[s.row as usize], "row {} cut", s.row);
                }
            }
            let (first, last) = grid.header_rows.unwrap();
            let ends = page.rows.last().unwrap().row;
            assert!(
                !(first..=last).contains(&ends) || p + 1 == pages.len(),
                "page {p} ends with the header"
            );
            if p > 0 && page.rows[0].row > last && page.rows[0].row < grid.rows.len() as u32 - 3 {
                assert_eq!(page.header, grid.header_rows, "page {p} lacks the header");
            }
        }
        for (r, n) in seen.iter().enumerate() {
            let parts = pages
                .iter()
                .flat_map(|p| &p.rows)
                .filter(|s| s.row == r as u32)
                .count();
            assert!(*n >= 1 && *n == parts, "row {r} shown {n} times");
        }
        // Rows come in order.
        let order: Vec<u32> = pages.iter().flat_map(|p| &p.rows).map(|s| s.row).collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    }

    #[test]
    fn the_samples_break_between_whole_rows() {
        for name in ["000", "001"] {
            let grid = grid_of(sample(name));
            let pages = super::pages(&grid);
            check(&grid, &pages);
            assert!(
                pages
                    .iter()
                    .flat_map(|p| &p.rows)
                    .all(|s| s.split.is_none())
            );
            assert_eq!(pages[0].header, None);
        }
        assert_eq!(super::pages(&grid_of(sample("000"))).len(), 2);
    }

    #[test]
    fn merged_groups_continue_with_room_for_their_labels() {
        let grid = grid_of(long_form());
        let pages = super::pages(&grid);
        check(&grid, &pages);
        assert!(pages.len() > 3, "{} pages", pages.len());
        let mut continued = 0;
        for page in &pages {
            for cell in grid.cells.iter().filter(|c| c.rows > 1) {
                let part: f32 = page
                    .all_rows(&grid)
                    .filter(|(r, _)| (cell.row..=cell.last_row()).contains(r))
                    .map(|(_, h)| h)
                    .sum();
                if part > 0.0 {
                    assert!(
                        part + EPS >= text_height(&grid, cell),
                        "cell ({}, {}) gets {part}",
                        cell.row,
                        cell.col
                    );
                    continued += usize::from(page.rows[0].row > cell.row);
                }
            }
        }
        assert!(continued > 0, "no group crosses a page");
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_its_lines() {
        let mut form = sample("001");
        form.goals.achieved = "完成事项已验收。".repeat(800);
        let grid = grid_of(form);
        let pages = super::pages(&grid);
        check(&grid, &pages);
        let tall = (0..grid.rows.len())
            .find(|&r| grid.rows[r] > grid.page.printable_height())
            .unwrap() as u32;
        let parts: Vec<&RowSlice> = pages
            .iter()
            .flat_map(|p| &p.rows)
            .filter(|s| s.row == tall)
            .collect();
        assert!(parts.len() >= 3, "{} parts", parts.len());
        for cell in grid.cells.iter().filter(|c| c.row == tall && c.rows == 1) {
            let mut next = 0;
            for (k, part) in parts.iter().enumerate() {
                let split = part.split.as_ref().unwrap();
                assert_eq!((split.part, split.parts), (k, parts.len()));
                let (_, range) = split.lines.iter().find(|(c, _)| *c == cell.col).unwrap();
                assert_eq!(range.start, next, "cell {} part {k}", cell.col);
                let pitch = grid.style(cell).size * LINE_PITCH;
                assert!(range.len() as f32 * pitch + 2.0 * PAD_V <= part.height + EPS);
                next = range.end;
            }
            assert_eq!(next, cell.lines.len(), "cell {} loses lines", cell.col);
        }
    }

    /// A grid of `heights`, rows `0..=1` the header, rows from `table_end` borderless.
    fn synthetic(heights: &[f32], table_end: u32) -> Grid {
        let style = |border| Style {
            size: 10.0,
            bold: false,
            h_align: HAlign::Left,
            v_align: VAlign::Top,
            border,
            fill: None,
        };
        Grid {
            sheet: "s".into(),
            font_family: "宋体".into(),
            page: PageSetup {
                width: 300.0,
                height: 200.0,
                top: 0.0,
                bottom: 0.0,
                left: 0.0,
                right: 0.0,
            },
            footer: vec![],
            footer_size: 9.0,
            columns: vec![100.0],
            rows: heights.to_vec(),
            cells: (0..heights.len() as u32)
                .map(|r| Cell {
                    row: r,
                    col: 0,
                    rows: 1,
                    cols: 1,
                    value: Value::Text("x".into()),
                    lines: vec!["x".into()],
                    style: StyleId(usize::from(r >= table_end)),
                })
                .collect(),
            styles: vec![style(true), style(false)],
            header_rows: Some((0, 1)),
            break_before: vec![],
            info: DocInfo::default(),
            notes: vec![],
            general: vec![],
            validations: vec![],
            seal: None,
        }
    }

    #[test]
    fn the_header_repeats_over_the_table_only() {
        // 2 header rows, 8 table rows, 3 rows of notes; 200 pt a page.
        let grid = synthetic(&[20.0; 13], 10);
        let pages = super::pages(&grid);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].rows.len(), 10);
        assert_eq!(pages[1].header, None, "no header over the notes");
        let grid = synthetic(&[20.0; 14], 11);
        let pages = super::pages(&grid);
        assert_eq!(pages[1].header, Some((0, 1)));
        assert_eq!(pages[1].rows[0].row, 10);
    }

    #[test]
    fn the_header_never_ends_a_page() {
        // Row 0 fills most of the page; the header (rows 1 and 2) would end it.
        let mut grid = synthetic(&[150.0, 20.0, 20.0, 20.0], 4);
        grid.header_rows = Some((1, 2));
        let pages = super::pages(&grid);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].rows.len(), 1);
        assert_eq!(pages[1].rows[0].row, 1);
    }
}
