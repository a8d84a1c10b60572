//! Where pages break, decided once for every writer, and the draft cut into the grid's rows
//! page by page.
//!
//! Rows go on a page while they fit. A row of long texts (the goals) that does not fit is
//! split between lines into rows of its own, one part on each page, so that no page is left
//! mostly empty. Otherwise the page ends before the row, or earlier: never right after a label
//! row (what it labels follows it), and not where a merged group would keep a part too short
//! for its label. A page that continues the indicator table starts with the header again and
//! the block label's continued text (`绩效\n指标`, `续上页`); a group cut by the break shows
//! its label again. Any other row taller than a page (a long 偏差原因) is split between lines the
//! same way, one part on each page.
//!
//! A spreadsheet holds no row taller than [`MAX_ROW_HEIGHT`]: a row or part that is taller
//! becomes several grid rows under cells merged over them, so that it prints as one row with
//! no line across it and its text stays whole in its cell.

use std::ops::Range;

use super::draft::{Draft, Kind, Span};
use super::grid::{Cell, MAX_ROW_HEIGHT, PageSlice, RowSlice, Value};

/// Tolerance for comparing heights in points.
const EPS: f32 = 0.01;

/// The fewest lines of a text row on either side of a break.
const MIN_LINES: usize = 2;

/// What one page shows, in order.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A whole draft row.
    Row(usize),
    /// Lines `lines` of a row, as a row of its own.
    Part {
        row: usize,
        lines: Range<usize>,
        height: f32,
    },
    /// A header row repeated at the top of a continued page.
    Copy(usize),
}

impl Item {
    fn row(&self) -> usize {
        match self {
            Item::Row(r) | Item::Copy(r) => *r,
            Item::Part { row, .. } => *row,
        }
    }
}

/// The draft cut into pages: the grid's rows and cells, and where each draft row went.
pub(super) struct Cut {
    /// Row heights.
    pub rows: Vec<f32>,
    /// Cells, sorted by row then column.
    pub cells: Vec<Cell>,
    /// The pages.
    pub pages: Vec<PageSlice>,
    /// The grid row each draft row starts in.
    pub first_row: Vec<u32>,
    /// The grid row each draft row ends in.
    pub last_row: Vec<u32>,
    /// The cells each span became: (span, first grid row, last grid row).
    span_parts: Vec<(usize, u32, u32)>,
    span_cols: Vec<u16>,
}

impl Cut {
    /// The cell of span `span`'s part that covers grid row `row`.
    pub fn span_cell(&self, span: usize, row: u32) -> Option<crate::model::CellRef> {
        self.span_parts
            .iter()
            .find(|(s, first, last)| *s == span && (*first..=*last).contains(&row))
            .map(|(s, first, _)| crate::model::CellRef {
                row: *first,
                col: self.span_cols[*s],
            })
    }
}

/// Cuts `draft` into pages of `available` points.
pub(super) fn cut(draft: &Draft, available: f32) -> Cut {
    let pages = Paginator::new(draft, available).run();
    materialize(draft, &pages)
}

struct Paginator<'d> {
    draft: &'d Draft,
    available: f32,
    /// The header rows, repeated on continued pages.
    header: Vec<usize>,
    header_height: f32,
    pages: Vec<Vec<Item>>,
    current: Vec<Item>,
}

impl<'d> Paginator<'d> {
    fn new(draft: &'d Draft, available: f32) -> Self {
        let header: Vec<usize> = (0..draft.rows.len())
            .filter(|&r| draft.rows[r].kind == Kind::Header)
            .collect();
        let header_height = header.iter().map(|&r| draft.rows[r].height).sum();
        Paginator {
            draft,
            available,
            header,
            header_height,
            pages: Vec::new(),
            current: Vec::new(),
        }
    }

    fn height(&self, item: &Item) -> f32 {
        match item {
            Item::Row(r) | Item::Copy(r) => self.draft.rows[*r].height,
            Item::Part { height, .. } => *height,
        }
    }

    fn used(&self) -> f32 {
        self.current.iter().map(|i| self.height(i)).sum()
    }

    /// Whether a page starting with row `r` repeats the header.
    fn repeats_header(&self, r: usize) -> bool {
        self.draft
            .rows
            .get(r)
            .is_some_and(|row| row.kind == Kind::Indicator)
            && self.header_height < self.available / 2.0
    }

    /// The room on a new page starting with row `r`.
    fn fresh_room(&self, r: usize) -> f32 {
        self.available
            - if self.repeats_header(r) {
                self.header_height
            } else {
                0.0
            }
    }

    /// Closes the current page and opens one starting with row `r`.
    fn new_page(&mut self, r: usize) {
        let done = std::mem::take(&mut self.current);
        if done.iter().any(|i| !matches!(i, Item::Copy(_))) {
            self.pages.push(done);
        }
        if self.repeats_header(r) {
            self.current = self.header.iter().map(|&h| Item::Copy(h)).collect();
        }
    }

    /// The number of lines of a text row: its longest cell's.
    fn text_lines(&self, r: usize) -> usize {
        self.draft.rows[r]
            .cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(0)
    }

    /// The height of lines `lines` of text row `r`: its tallest cell's part.
    fn part_height(&self, r: usize, lines: &Range<usize>) -> f32 {
        let d = self.draft;
        d.rows[r]
            .cells
            .iter()
            .map(|c| {
                let shown = c.lines.len().min(lines.end).saturating_sub(lines.start);
                d.text.height(shown, d.styles[c.style.0].size)
            })
            .fold(0.0, f32::max)
    }

    /// How many lines of text row `r` from line `from` fit in `room`.
    fn lines_fitting(&self, r: usize, from: usize, room: f32) -> usize {
        let total = self.text_lines(r);
        let mut n = 0;
        while from + n < total && self.part_height(r, &(from..from + n + 1)) <= room + EPS {
            n += 1;
        }
        n
    }

    fn run(mut self) -> Vec<Vec<Item>> {
        let rows = self.draft.rows.len();
        let mut r = 0;
        // Lines of text row `r` already placed on earlier pages.
        let mut from = 0;
        while r < rows {
            let row = &self.draft.rows[r];
            let is_text = row.kind == Kind::Text;
            let total_lines = if is_text { self.text_lines(r) } else { 0 };
            let item = if is_text && from > 0 {
                let lines = from..total_lines;
                Item::Part {
                    row: r,
                    height: self.part_height(r, &lines),
                    lines,
                }
            } else {
                Item::Row(r)
            };
            let height = self.height(&item);
            if self.used() + height <= self.available + EPS {
                self.current.push(item);
                r += 1;
                from = 0;
                continue;
            }
            if is_text {
                // Split between lines: as many as fit here, at least two on either side.
                let room = self.available - self.used();
                let left = total_lines - from;
                let fit = self
                    .lines_fitting(r, from, room)
                    .min(left.saturating_sub(MIN_LINES));
                let alone = self.current.iter().all(|i| matches!(i, Item::Copy(_)));
                if fit >= MIN_LINES || (alone && fit >= 1) {
                    let lines = from..from + fit;
                    self.current.push(Item::Part {
                        row: r,
                        height: self.part_height(r, &lines),
                        lines,
                    });
                    from += fit;
                    self.new_page(r);
                    continue;
                }
                if alone {
                    // Not even a line fits a fresh page: one line, overflowing.
                    let lines = from..from + 1;
                    self.current.push(Item::Part {
                        row: r,
                        height: self.part_height(r, &lines),
                        lines,
                    });
                    from += 1;
                    self.new_page(r);
                    continue;
                }
                if from == 0 {
                    // The text starts on the next page; its label goes with it.
                    let b = self.choose_break(r);
                    self.break_before(b);
                    r = b;
                } else {
                    self.new_page(r);
                }
                continue;
            }
            let alone = self.current.iter().all(|i| matches!(i, Item::Copy(_)));
            if alone || height > self.fresh_room(r) + EPS {
                if !alone && self.available - self.used() < self.min_part(r) {
                    // Not even two lines fit here: the row starts on the next page, with
                    // what must go with it.
                    let b = self.choose_break(r);
                    self.break_before(b);
                    r = b;
                    continue;
                }
                self.split_row(r);
                r += 1;
                continue;
            }
            let b = self.choose_break(r);
            self.break_before(b);
            r = b;
        }
        self.new_page(rows);
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        self.pages
    }

    /// Ends the current page before row `b`, moving the rows from `b` on to the next.
    fn break_before(&mut self, b: usize) {
        if let Some(at) = self
            .current
            .iter()
            .position(|i| matches!(i, Item::Row(x) if *x >= b))
        {
            self.current.truncate(at);
        }
        self.new_page(b);
    }

    /// The row before which the current page ends when row `r` does not fit on it: the
    /// latest acceptable one, `r` when none is.
    fn choose_break(&self, r: usize) -> usize {
        // Only whole rows after the last part or copy on the page may move.
        let movable = self
            .current
            .iter()
            .rposition(|i| !matches!(i, Item::Row(_)))
            .map_or(0, |p| p + 1)
            .max(1);
        let mut candidates = vec![r];
        for j in (movable..self.current.len()).rev() {
            candidates.push(self.current[j].row());
        }
        candidates
            .into_iter()
            .find(|&b| self.acceptable_break(b))
            .unwrap_or(r)
    }

    /// Whether the current page may end before row `b` (the rows before `b` on it).
    fn acceptable_break(&self, b: usize) -> bool {
        let before: Vec<&Item> = self.current.iter().filter(|i| i.row() < b).collect();
        let Some(last) = before.last() else {
            return false;
        };
        let keep = match last {
            Item::Row(x) => self.draft.rows[*x].keep_with_next,
            Item::Copy(_) => true,
            Item::Part { .. } => false,
        };
        if keep || before.iter().all(|i| matches!(i, Item::Copy(_))) {
            return false;
        }
        let fresh = self.fresh_room(b);
        self.draft
            .spans
            .iter()
            .filter(|s| s.first < b && b <= s.last)
            .all(|s| {
                let upper: f32 = before
                    .iter()
                    .filter(|i| (s.first..=s.last).contains(&i.row()))
                    .map(|i| self.height(i))
                    .sum();
                let starts_here = before
                    .iter()
                    .any(|i| !matches!(i, Item::Copy(_)) && i.row() == s.first);
                let mut lower: f32 = (b..=s.last).map(|x| self.draft.rows[x].height).sum();
                if self.repeats_header(b) && self.header.iter().any(|h| covers(s, *h)) {
                    lower += self.header_height;
                }
                upper + EPS >= self.draft.span_needs(s, !starts_here)
                    && (lower + EPS >= self.draft.span_needs(s, true) || lower > fresh)
            })
    }

    /// The finest pitch of row `r`'s cells (its row height when it has none).
    fn finest_pitch(&self, r: usize) -> f32 {
        let d = self.draft;
        let pitch = d.rows[r]
            .cells
            .iter()
            .map(|c| d.styles[c.style.0].size * d.text.line_pitch)
            .fold(f32::INFINITY, f32::min);
        if pitch.is_finite() {
            pitch
        } else {
            d.rows[r].height
        }
    }

    /// The smallest part of row `r` worth starting a page with: two lines of its finest text.
    fn min_part(&self, r: usize) -> f32 {
        2.0 * self.draft.text.pad_v + 2.0 * self.finest_pitch(r)
    }

    /// Splits row `r`, taller than a page, between its lines into rows of their own, starting
    /// on the current page: each part as tall as the room on its page allows, the last at
    /// least what is left of the row's height.
    fn split_row(&mut self, r: usize) {
        let total = self.text_lines(r);
        if total == 0 {
            self.current.push(Item::Row(r));
            return;
        }
        let height = self.draft.rows[r].height;
        let mut consumed = 0.0;
        let mut from = 0;
        while from < total {
            let room = self.available - self.used();
            let alone = self.current.iter().all(|i| matches!(i, Item::Copy(_)));
            let fit = match self.lines_fitting(r, from, room) {
                // Not even a line fits a fresh page: one line, overflowing.
                0 if alone => 1,
                0 => {
                    self.new_page(r);
                    continue;
                }
                n => n,
            };
            let lines = from..from + fit;
            from += fit;
            let mut part = self.part_height(r, &lines);
            if from == total {
                part = part.max(height - consumed);
            }
            consumed += part;
            self.current.push(Item::Part {
                row: r,
                lines,
                height: part,
            });
            if from < total {
                self.new_page(r);
            }
        }
    }
}

/// Whether span `s` covers draft row `r`.
fn covers(s: &Span, r: usize) -> bool {
    (s.first..=s.last).contains(&r)
}

/// The text of lines `lines` of a cell whose lines start at `starts` in `text`.
fn part_text(text: &str, starts: &[usize], lines: &Range<usize>) -> String {
    let at = |k: usize| {
        if k == 0 {
            0
        } else {
            starts.get(k).copied().unwrap_or(text.len()).min(text.len())
        }
    };
    let (a, b) = (at(lines.start), at(lines.end));
    text.get(a..b).unwrap_or("").to_string()
}

/// The heights of the grid rows that hold a row or part `height` high: itself, or as few
/// rows of equal height (in hundredths of a point) as a spreadsheet needs.
fn grid_rows(height: f32) -> Vec<f32> {
    if height <= MAX_ROW_HEIGHT {
        return vec![height];
    }
    let hundredths = (height * 100.0).ceil() as u32;
    let n = hundredths.div_ceil((MAX_ROW_HEIGHT * 100.0) as u32);
    (0..n)
        .map(|i| (hundredths / n + u32::from(i < hundredths % n)) as f32 / 100.0)
        .collect()
}

/// Turns the pages of draft rows into the grid's rows and cells.
fn materialize(draft: &Draft, pages: &[Vec<Item>]) -> Cut {
    let mut rows: Vec<f32> = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut slices: Vec<PageSlice> = Vec::new();
    let mut first_row = vec![u32::MAX; draft.rows.len()];
    let mut last_row = vec![0u32; draft.rows.len()];
    // For each page, the grid rows (first and last) of each draft row it shows.
    let mut page_rows: Vec<Vec<(u32, u32, usize)>> = Vec::new();
    for page in pages {
        let mut slice = PageSlice { rows: Vec::new() };
        let mut shown = Vec::new();
        for item in page {
            let r = item.row();
            let g = rows.len() as u32;
            let (height, part) = match item {
                Item::Row(_) | Item::Copy(_) => (draft.rows[r].height, None),
                Item::Part { lines, height, .. } => ((height * 100.0).ceil() / 100.0, Some(lines)),
            };
            let heights = grid_rows(height);
            let span = heights.len() as u32;
            for h in heights {
                slice.rows.push(RowSlice {
                    row: rows.len() as u32,
                    height: h,
                });
                rows.push(h);
            }
            for p in &draft.rows[r].cells {
                let (value, lines) = match part {
                    None => (p.value.clone(), p.lines.clone()),
                    Some(lines) => {
                        let end = lines.end.min(p.lines.len());
                        let start = lines.start.min(end);
                        let value = match &p.value {
                            Value::Text(t) if start < end => {
                                Value::Text(part_text(t, &p.starts, &(start..end)))
                            }
                            Value::Text(_) => Value::Empty,
                            other if lines.start == 0 => other.clone(),
                            _ => Value::Empty,
                        };
                        (value, p.lines[start..end].to_vec())
                    }
                };
                cells.push(Cell {
                    row: g,
                    col: p.col,
                    rows: span,
                    cols: p.cols,
                    value,
                    lines,
                    style: p.style,
                });
            }
            let last = g + span - 1;
            if !matches!(item, Item::Copy(_)) {
                first_row[r] = first_row[r].min(g);
                last_row[r] = last_row[r].max(last);
            }
            shown.push((g, last, r));
        }
        slices.push(slice);
        page_rows.push(shown);
    }
    // Draft rows that reached no page (none do) still map somewhere.
    for first in &mut first_row {
        if *first == u32::MAX {
            *first = 0;
        }
    }
    // Each span becomes one cell per page it reaches, over its rows there.
    let mut span_parts = Vec::new();
    for (s, span) in draft.spans.iter().enumerate() {
        let mut covered: Option<u32> = None;
        for shown in &page_rows {
            let mine: Vec<(u32, u32, usize)> = shown
                .iter()
                .copied()
                .filter(|&(g, _, r)| covers(span, r) && covered.is_none_or(|c| g > c))
                .collect();
            let (Some(&(top, _, _)), Some(&(_, bottom, _))) = (mine.first(), mine.last()) else {
                continue;
            };
            let first_part = covered.is_none()
                && mine
                    .iter()
                    .any(|&(g, _, r)| r == span.first && first_row[r] == g);
            let (value, lines) = if first_part {
                (span.value.clone(), span.lines.clone())
            } else {
                (span.continued.clone(), span.continued_lines.clone())
            };
            cells.push(Cell {
                row: top,
                col: span.col,
                rows: bottom - top + 1,
                cols: span.cols,
                value,
                lines,
                style: span.style,
            });
            span_parts.push((s, top, bottom));
            covered = Some(bottom);
        }
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Cut {
        rows,
        cells,
        pages: slices,
        first_row,
        last_row,
        span_parts,
        span_cols: draft.spans.iter().map(|s| s.col).collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::layout::grid::{Cell, Grid, MAX_ROW_HEIGHT};
    use crate::layout::{Layout, Options, build};
    use crate::model::{Form, Indicator, SourcedForm};
    use crate::report::Report;

    const EPS: f32 = super::EPS;

    fn sample(name: &str) -> Form {
        let text = match name {
            "000" => include_str!("../../samples/000.json"),
            _ => include_str!("../../samples/001.json"),
        };
        crate::read::form_from_json(text).unwrap()
    }

    fn grid_in(form: Form, layout: &Layout) -> Grid {
        let report = Report::new(SourcedForm::from_data("t", form), Some(layout));
        let options = Options {
            created: Some("2025-03-01T00:00:00+08:00".into()),
            ..Options::default()
        };
        build(&report, layout, &options).unwrap()
    }

    fn grid_of(form: Form) -> Grid {
        let layout = Layout::for_year(form.year);
        grid_in(form, layout)
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

    /// The text of the cells in grid row `row`.
    fn row_text(grid: &Grid, row: u32) -> String {
        grid.cells
            .iter()
            .filter(|c| c.row == row)
            .map(|c| c.value.display())
            .collect()
    }

    /// The checks every pagination must pass.
    fn check(grid: &Grid) {
        let available = grid.page.printable_height();
        let pages = &grid.pages;
        let mut seen = vec![0usize; grid.rows.len()];
        for (p, page) in pages.iter().enumerate() {
            assert!(
                page.height() <= available + 0.1,
                "page {p} is {} high",
                page.height()
            );
            assert!(!page.rows.is_empty(), "page {p} is empty");
            for s in &page.rows {
                seen[s.row as usize] += 1;
                assert_eq!(s.height, grid.rows[s.row as usize], "row {} cut", s.row);
            }
            // No merged cell crosses a page.
            for cell in grid.cells.iter().filter(|c| c.rows > 1) {
                let on: Vec<u32> = page
                    .rows
                    .iter()
                    .map(|s| s.row)
                    .filter(|r| (cell.row..=cell.last_row()).contains(r))
                    .collect();
                if !on.is_empty() {
                    assert_eq!(
                        on.len() as u32,
                        cell.rows,
                        "page {p}: cell ({}, {}) crosses the page",
                        cell.row,
                        cell.col
                    );
                }
            }
            // A label row is never the last of a page.
            if p + 1 < pages.len() {
                let last = page.rows.last().unwrap().row;
                assert!(
                    !grid.cells.iter().any(|c| c.row == last
                        && matches!(c.value.display().as_str(), "预期目标" | "一级指标")),
                    "page {p} ends with “{}”",
                    row_text(grid, last)
                );
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "a row on no page, or on two");
        // No row is taller than a spreadsheet holds.
        for (r, h) in grid.rows.iter().enumerate() {
            assert!(*h <= MAX_ROW_HEIGHT + EPS, "row {r} is {h} high");
        }
    }

    #[test]
    fn sample_001_fills_two_pages() {
        for layout in Layout::builtin() {
            for name in ["000", "001"] {
                let grid = grid_in(sample(name), layout);
                check(&grid);
                let pages = &grid.pages;
                let available = grid.page.printable_height();
                for (p, page) in pages.iter().enumerate().take(pages.len() - 1) {
                    let fill = page.height() / available;
                    assert!(
                        fill >= 0.6,
                        "{} {name}: page {} is {:.0} % full",
                        layout.name,
                        p + 1,
                        fill * 100.0
                    );
                }
                if layout.name == "beijing-2024" && name == "001" {
                    assert_eq!(pages.len(), 2, "sample 001 prints on two pages");
                }
            }
        }
    }

    #[test]
    fn continued_pages_repeat_the_header_and_the_labels() {
        let grid = grid_of(long_form());
        check(&grid);
        assert!(grid.pages.len() > 3, "{} pages", grid.pages.len());
        let mut continued = 0;
        for page in &grid.pages[1..] {
            let first = page.rows[0].row;
            let text = row_text(&grid, first);
            if text.contains("指标名称") {
                panic!("a continued page starts without the header: {text}");
            }
            if text.contains("一级指标") {
                continued += 1;
                // The block label's continued text beside it.
                let label = grid
                    .cells
                    .iter()
                    .find(|c| c.row == first && c.col == 0)
                    .unwrap();
                assert_eq!(label.value.display(), "绩效\n指标");
            }
        }
        assert!(continued >= 2, "{continued} continued pages");
        // Every merged label has room for its text on each page.
        for cell in grid.cells.iter().filter(|c| c.rows > 1) {
            let have = grid.rows_height(cell.row, cell.last_row());
            assert!(
                have + EPS >= grid.text_height(cell),
                "cell ({}, {}) “{}” gets {have}",
                cell.row,
                cell.col,
                cell.value.display()
            );
        }
    }

    #[test]
    fn a_long_goal_is_held_in_a_row_per_page_and_adds_up() {
        let mut form = sample("001");
        form.goals.achieved = "完成事项已验收。".repeat(800);
        let achieved = form.goals.achieved.clone();
        let grid = grid_of(form);
        check(&grid);
        let parts: Vec<String> = grid
            .cells
            .iter()
            .filter(|c| {
                let t = c.value.display();
                !t.is_empty() && t.chars().all(|ch| "完成事项已验收。".contains(ch))
            })
            .map(|c| c.value.display())
            .collect();
        assert!(parts.len() >= 3, "{} parts", parts.len());
        assert_eq!(parts.concat(), achieved);
        // No row is taller than a page.
        let available = grid.page.printable_height();
        assert!(grid.rows.iter().all(|h| *h <= available + EPS));
    }

    /// A 偏差原因 longer than a page is cut into parts, one on each page, their texts adding up
    /// to the whole; one longer than a spreadsheet row but shorter than a page stays whole.
    /// Either way the rows that hold it are no taller than a spreadsheet row, under cells
    /// merged over them: the indicator's name beside the first part, the 二级 beside all.
    #[test]
    fn a_row_taller_than_a_spreadsheet_row_is_held_in_merged_rows() {
        for (repeat, pages) in [(600, 2), (40, 1)] {
            let mut form = sample("001");
            let deviation = "偏差原因分析。".repeat(repeat);
            form.indicators[0].deviation.clone_from(&deviation);
            let name = form.indicators[0].name.clone();
            let grid = grid_of(form);
            check(&grid);
            let parts: Vec<&Cell> = grid
                .cells
                .iter()
                .filter(|c| {
                    let t = c.value.display();
                    !t.is_empty() && t.chars().all(|ch| "偏差原因分析。".contains(ch))
                })
                .collect();
            assert!(
                (parts.len() == 1) == (pages == 1) && parts.len() >= pages,
                "{repeat}: {} parts",
                parts.len()
            );
            assert!(
                parts.iter().any(|c| c.rows > 1),
                "{repeat}: no part over merged rows"
            );
            let text: String = parts.iter().map(|c| c.value.display()).collect();
            assert_eq!(text, deviation, "{repeat}");
            let rows: Vec<u32> = parts.iter().map(|c| c.row).collect();
            assert!(rows.windows(2).all(|w| w[1] > w[0]), "{rows:?}");
            let name = grid
                .cells
                .iter()
                .find(|c| c.value.display() == name)
                .expect("the indicator's name");
            assert_eq!(
                (name.row, name.rows),
                (rows[0], parts[0].rows),
                "{repeat}: the name is not beside the first part"
            );
            // The 二级 label covers every part on each page.
            for &row in &rows {
                assert!(
                    grid.cells.iter().any(|c| c.rows >= 1
                        && c.col == 2
                        && (c.row..=c.last_row()).contains(&row)),
                    "{repeat}: part in row {row} has no 二级"
                );
            }
        }
    }
}
