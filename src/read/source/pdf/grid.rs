//! One page's tables, rebuilt from its marks: the ruling lines give the grid (near-equal
//! coordinates merged, broken and doubled lines joined), cells without a line between them are
//! one region, each glyph goes to the region holding its centre, and a region's glyphs are read
//! in lines, top to bottom. What lies outside every table is kept as lines of text (titles
//! above, notes and sign-off below).
//!
//! Nothing here knows the form: a page gives tables and lines, whatever they say.

use super::marks::{Glyph, Marks, Rule, is_wide};

/// Coordinates closer than this (points) are one line of the grid: doubled lines and the
/// few hundredths a producer's rounding leaves.
const SNAP: f64 = 1.6;

/// A gap along a line shorter than this (points) is a break in the drawing, not in the line.
const GAP: f64 = 2.5;

/// A line separates two cells when it runs along this share of their common side.
const COVERED: f64 = 0.6;

/// Column lines running on this far (points) past the first or last row line leave that side
/// of the table open: a row cut by the page break.
const OPEN: f64 = 4.0;

/// A page with more distinct lines than this in one direction is no table (a chart, a
/// hatched drawing): its lines are not compared pairwise.
const MAX_LINES: usize = 4_000;

/// A region of a table: cells `r0..=r1` × `c0..=c1` of its grid, with the text in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub r0: usize,
    pub c0: usize,
    pub r1: usize,
    pub c1: usize,
    pub text: String,
}

/// A table of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The x of its column lines, left to right (columns are the gaps between them).
    pub xs: Vec<f64>,
    /// The y of its row lines, top to bottom.
    pub ys: Vec<f64>,
    /// Its regions, by first row then first column.
    pub regions: Vec<Region>,
    /// Its column lines run on above its first row line: a row cut by the page break before
    /// (its first row is the part of that row drawn on this page).
    pub open_top: bool,
    /// Its column lines run on below its last row line: its last row is cut by the page break.
    pub open_bottom: bool,
}

impl Table {
    pub fn rows(&self) -> usize {
        self.ys.len() - 1
    }

    pub fn top(&self) -> f64 {
        self.ys[0]
    }

    pub fn bottom(&self) -> f64 {
        self.ys[self.ys.len() - 1]
    }
}

/// A piece of a line of text outside every table: its left and right and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub x0: f64,
    pub x1: f64,
    pub text: String,
}

/// A line of text outside every table.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The middle of the line.
    pub y: f64,
    /// Its pieces, left to right, split where a wide gap stands between words.
    pub chunks: Vec<Chunk>,
}

/// What one page holds.
#[derive(Debug, Default)]
pub struct Layout {
    /// Its tables, top to bottom.
    pub tables: Vec<Table>,
    /// The lines of text outside them, top to bottom.
    pub lines: Vec<TextLine>,
}

/// The tables and lines of a page.
pub fn layout(marks: &Marks) -> Layout {
    let skeletons = skeletons(&marks.rules);
    let mut inside: Vec<Vec<&Glyph>> = vec![Vec::new(); skeletons.len()];
    let mut outside: Vec<&Glyph> = Vec::new();
    for glyph in dedup(&marks.glyphs) {
        let (x, y) = glyph.centre();
        // The smallest table holding the centre (a table drawn inside a cell of another).
        let holder = skeletons
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contains(x, y))
            .min_by(|(_, a), (_, b)| a.area().total_cmp(&b.area()))
            .map(|(i, _)| i);
        match holder {
            Some(i) => inside[i].push(glyph),
            None => outside.push(glyph),
        }
    }
    let mut tables: Vec<Table> = skeletons
        .into_iter()
        .zip(inside)
        .map(|(s, glyphs)| s.fill(&glyphs))
        .collect();
    tables.sort_by(|a, b| a.top().total_cmp(&b.top()));
    Layout {
        tables,
        lines: text_lines(&outside),
    }
}

/// The glyphs without those drawn twice at (almost) the same place — fake bold, a shadow.
fn dedup(glyphs: &[Glyph]) -> Vec<&Glyph> {
    let mut order: Vec<&Glyph> = glyphs.iter().collect();
    order.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<&Glyph> = Vec::with_capacity(order.len());
    for g in order {
        let near = |o: &&Glyph| {
            o.text == g.text
                && (o.x0 - g.x0).abs() < 0.3 * g.size.max(1.0)
                && (o.y0 - g.y0).abs() < 0.3 * g.size.max(1.0)
        };
        // Duplicates sort next to each other, give or take a glyph on the same line.
        if out.iter().rev().take(4).any(near) {
            continue;
        }
        out.push(g);
    }
    out
}

/// A table's lines before its text is placed.
struct Skeleton {
    xs: Vec<f64>,
    ys: Vec<f64>,
    open_top: bool,
    open_bottom: bool,
    /// Which grid cells are joined to the one right of them / below them.
    regions: Vec<(usize, usize, usize, usize)>,
}

impl Skeleton {
    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.xs[0]
            && x <= self.xs[self.xs.len() - 1]
            && y >= self.ys[0]
            && y <= self.ys[self.ys.len() - 1]
    }

    fn area(&self) -> f64 {
        (self.xs[self.xs.len() - 1] - self.xs[0]) * (self.ys[self.ys.len() - 1] - self.ys[0])
    }

    /// The table with each glyph in the region holding its centre.
    fn fill(self, glyphs: &[&Glyph]) -> Table {
        let cols = self.xs.len() - 1;
        let mut owner = vec![0usize; (self.ys.len() - 1) * cols];
        for (i, &(r0, c0, r1, c1)) in self.regions.iter().enumerate() {
            for r in r0..=r1 {
                for c in c0..=c1 {
                    owner[r * cols + c] = i;
                }
            }
        }
        let mut held: Vec<Vec<&Glyph>> = vec![Vec::new(); self.regions.len()];
        for &g in glyphs {
            let (x, y) = g.centre();
            let c = slot(&self.xs, x);
            let r = slot(&self.ys, y);
            held[owner[r * cols + c]].push(g);
        }
        let regions = self
            .regions
            .iter()
            .zip(held)
            .map(|(&(r0, c0, r1, c1), glyphs)| Region {
                r0,
                c0,
                r1,
                c1,
                text: cell_text(&glyphs, self.xs[c0], self.xs[c1 + 1]),
            })
            .collect();
        Table {
            xs: self.xs,
            ys: self.ys,
            regions,
            open_top: self.open_top,
            open_bottom: self.open_bottom,
        }
    }
}

/// The gap of `lines` (sorted) that holds `v`, clamped to the first and last.
fn slot(lines: &[f64], v: f64) -> usize {
    let i = lines.partition_point(|&l| l <= v);
    i.saturating_sub(1).min(lines.len() - 2)
}

/// Groups sorted values closer than [`SNAP`] to their neighbour; the mean of each group.
fn snap(sorted: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut group: Vec<f64> = Vec::new();
    for &v in sorted {
        if group.last().is_some_and(|&l| v - l > SNAP) {
            out.push(group.iter().sum::<f64>() / group.len() as f64);
            group.clear();
        }
        group.push(v);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f64>() / group.len() as f64);
    }
    out
}

/// The rules of one direction joined: those on one line (within [`SNAP`]) and overlapping or
/// close along it become one.
fn joined(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut out = Vec::new();
    let mut start = 0;
    while start < rules.len() {
        let mut end = start + 1;
        while end < rules.len() && rules[end].at - rules[end - 1].at <= SNAP {
            end += 1;
        }
        let line = &mut rules[start..end];
        let at = line.iter().map(|r| r.at).sum::<f64>() / line.len() as f64;
        line.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut current: Option<Rule> = None;
        for r in line.iter() {
            match &mut current {
                Some(c) if r.from <= c.to + GAP => c.to = c.to.max(r.to),
                _ => {
                    out.extend(current.take());
                    current = Some(Rule { at, ..*r });
                }
            }
        }
        out.extend(current);
        start = end;
    }
    out
}

/// Union-find over `n` items.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// The tables the rules draw: each set of crossing lines with at least two lines each way.
fn skeletons(rules: &[Rule]) -> Vec<Skeleton> {
    let h = joined(rules.iter().filter(|r| r.horizontal).copied().collect());
    let mut v = joined(rules.iter().filter(|r| !r.horizontal).copied().collect());
    if h.len() > MAX_LINES || v.len() > MAX_LINES || h.len() < 2 || v.len() < 2 {
        return Vec::new();
    }
    v.sort_by(|a, b| a.at.total_cmp(&b.at));
    // Sets of lines that cross or touch: h[i] is item i, v[j] is item h.len() + j.
    let mut sets = Sets::new(h.len() + v.len());
    for (i, hr) in h.iter().enumerate() {
        let first = v.partition_point(|r| r.at < hr.from - GAP);
        for (j, vr) in v.iter().enumerate().skip(first) {
            if vr.at > hr.to + GAP {
                break;
            }
            if hr.at >= vr.from - GAP && hr.at <= vr.to + GAP {
                sets.union(i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> =
        std::collections::BTreeMap::new();
    for (i, r) in h.iter().enumerate() {
        groups.entry(sets.find(i)).or_default().0.push(*r);
    }
    for (j, r) in v.iter().enumerate() {
        groups.entry(sets.find(h.len() + j)).or_default().1.push(*r);
    }
    groups
        .into_values()
        .filter_map(|(h, v)| skeleton(&h, &v))
        .collect()
}

/// The grid and regions of one set of crossing lines, if it is a table.
fn skeleton(h: &[Rule], v: &[Rule]) -> Option<Skeleton> {
    let mut ya: Vec<f64> = h.iter().map(|r| r.at).collect();
    let mut xa: Vec<f64> = v.iter().map(|r| r.at).collect();
    ya.sort_by(f64::total_cmp);
    xa.sort_by(f64::total_cmp);
    let mut ys = snap(&ya);
    let xs = snap(&xa);
    if xs.len() < 2 || ys.is_empty() {
        return None;
    }
    // Column lines running on past the first or last row line: a row cut by a page break,
    // drawn without the line at the cut. The cut is a row line of its own.
    let top = v.iter().map(|r| r.from).fold(f64::INFINITY, f64::min);
    let bottom = v.iter().map(|r| r.to).fold(f64::NEG_INFINITY, f64::max);
    let open_top = top < ys[0] - OPEN;
    let open_bottom = bottom > ys[ys.len() - 1] + OPEN;
    if open_top {
        ys.insert(0, top);
    }
    if open_bottom {
        ys.push(bottom);
    }
    if ys.len() < 2 {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // A grid of one cell is a frame, not a table.
    if rows * cols < 2 {
        return None;
    }
    let nearest = |lines: &[f64], at: f64| {
        let i = lines.partition_point(|&l| l < at);
        [i.saturating_sub(1), i.min(lines.len() - 1)]
            .into_iter()
            .min_by(|&a, &b| (lines[a] - at).abs().total_cmp(&(lines[b] - at).abs()))
            .unwrap_or(0)
    };
    // Covered length of each side: vertical sides (x line i, row r), horizontal (y line j, col c).
    let mut vside = vec![0.0f64; xs.len() * rows];
    let mut hside = vec![0.0f64; ys.len() * cols];
    for r in v {
        let i = nearest(&xs, r.at);
        for row in 0..rows {
            let overlap = r.to.min(ys[row + 1]) - r.from.max(ys[row]);
            if overlap > 0.0 {
                vside[i * rows + row] += overlap;
            }
        }
    }
    for r in h {
        let j = nearest(&ys, r.at);
        for col in 0..cols {
            let overlap = r.to.min(xs[col + 1]) - r.from.max(xs[col]);
            if overlap > 0.0 {
                hside[j * cols + col] += overlap;
            }
        }
    }
    let mut sets = Sets::new(rows * cols);
    for row in 0..rows {
        let height = ys[row + 1] - ys[row];
        for col in 0..cols {
            if col + 1 < cols && vside[(col + 1) * rows + row] < COVERED * height {
                sets.union(row * cols + col, row * cols + col + 1);
            }
            let width = xs[col + 1] - xs[col];
            if row + 1 < rows && hside[(row + 1) * cols + col] < COVERED * width {
                sets.union(row * cols + col, (row + 1) * cols + col);
            }
        }
    }
    // Regions as rectangles: a region that is not one (a line missing along part of a side)
    // takes in every cell of its bounding box.
    loop {
        let mut boxes: std::collections::BTreeMap<usize, (usize, usize, usize, usize)> =
            std::collections::BTreeMap::new();
        for row in 0..rows {
            for col in 0..cols {
                let root = sets.find(row * cols + col);
                let b = boxes.entry(root).or_insert((row, col, row, col));
                b.0 = b.0.min(row);
                b.1 = b.1.min(col);
                b.2 = b.2.max(row);
                b.3 = b.3.max(col);
            }
        }
        let mut changed = false;
        for (&root, &(r0, c0, r1, c1)) in &boxes {
            for row in r0..=r1 {
                for col in c0..=c1 {
                    if sets.find(row * cols + col) != sets.find(root) {
                        sets.union(root, row * cols + col);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            let mut regions: Vec<_> = boxes.into_values().collect();
            regions.sort();
            return Some(Skeleton {
                xs,
                ys,
                open_top,
                open_bottom,
                regions,
            });
        }
    }
}

/// The glyphs in lines, top to bottom, each line left to right: glyphs whose middles are
/// within half a glyph's height of the line's are on it.
fn lines_of<'g>(glyphs: &[&'g Glyph]) -> Vec<Vec<&'g Glyph>> {
    let mut order: Vec<&Glyph> = glyphs.to_vec();
    order.sort_by(|a, b| a.centre().1.total_cmp(&b.centre().1));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    let mut middle = f64::NEG_INFINITY;
    for g in order {
        let y = g.centre().1;
        match lines.last_mut() {
            Some(line) if (y - middle).abs() <= 0.5 * g.size.max(1.0) => {
                line.push(g);
                middle = line.iter().map(|g| g.centre().1).sum::<f64>() / line.len() as f64;
            }
            _ => {
                lines.push(vec![g]);
                middle = y;
            }
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// One line's text, with a space where a gap stands between glyphs and none is drawn.
fn line_text(line: &[&Glyph]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Glyph> = None;
    for &g in line {
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            if gap > 0.15 * g.size.max(p.size) && !p.is_space() && !g.is_space() {
                out.push(' ');
            }
        }
        out.push_str(&g.text);
        prev = Some(g);
    }
    out
}

/// True for a character that belongs to a Latin word or a number.
fn latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// A line of a cell: its text, where its first and last glyphs start and end, and the width
/// of what would have had to move up for it not to start a new line.
struct CellLine {
    text: String,
    size: f64,
    end: f64,
    start: f64,
    head: f64,
}

impl CellLine {
    fn new(line: &[&Glyph]) -> Option<CellLine> {
        let shown: Vec<&Glyph> = line.iter().copied().filter(|g| !g.is_space()).collect();
        let first = shown.first()?;
        let last = shown.last()?;
        Some(CellLine {
            text: line_text(line).trim().to_string(),
            size: first.size,
            start: first.x0,
            end: last.x1,
            head: head_width(&shown),
        })
    }
}

/// The width of what would have had to move up for a line not to start a new line: its
/// opening brackets, then its first character (a CJK character) or its first word (Latin
/// letters, digits and signs up to a space or a CJK character), then the closing marks that
/// may not start a line.
fn head_width(shown: &[&Glyph]) -> f64 {
    let Some(first) = shown.first() else {
        return f64::INFINITY;
    };
    let mut end = first.x1;
    let mut i = 0;
    while i + 1 < shown.len() && shown[i].text.chars().all(no_line_end) {
        i += 1;
        end = shown[i].x1;
    }
    let word = shown[i]
        .text
        .chars()
        .all(|c| !is_wide(c) && !no_line_start(c));
    i += 1;
    while i < shown.len() {
        let g = shown[i];
        let joins = if word {
            g.text.chars().all(|c| !is_wide(c)) && g.x0 - end < 0.15 * g.size
        } else {
            g.text.chars().all(no_line_start)
        };
        if !joins {
            break;
        }
        end = g.x1;
        i += 1;
    }
    end - first.x0
}

/// Characters a line may not end with (opening brackets and quotes).
fn no_line_end(c: char) -> bool {
    "（《「『【〔〈‘“([{<".contains(c)
}

/// Characters a line may not start with (closing punctuation).
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』】〕〉’”…%％,.;:?!)]}".contains(c)
}

/// The text of a cell from `left` to `right`: its lines joined as a spreadsheet holds a
/// wrapped cell's text — with nothing between them where the line was wrapped (`年度指标` +
/// `值`), a space between two Latin words, and a line feed where a line ended although what
/// follows would have fitted on it with two ems to spare (a break the writer typed; writers
/// keep more together than the closing marks — LibreOffice moves `持。2、` as one).
pub fn cell_text(glyphs: &[&Glyph], left: f64, right: f64) -> String {
    let lines: Vec<CellLine> = lines_of(glyphs)
        .iter()
        .filter_map(|l| CellLine::new(l))
        .collect();
    // The padding the writer left: the least gap at the left, taken at the right as well.
    let padding = lines
        .iter()
        .map(|l| l.start - left)
        .fold(f64::INFINITY, f64::min)
        .max(0.0);
    let limit = right - padding;
    let mut out = String::new();
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            let prev = &lines[k - 1];
            let last = prev.text.chars().next_back().unwrap_or(' ');
            let first = line.text.chars().next().unwrap_or(' ');
            if prev.end + line.head + 2.0 * line.size < limit {
                out.push('\n');
            } else if latin(last) && latin(first) {
                out.push(' ');
            }
        }
        out.push_str(&line.text);
    }
    out
}

/// The lines of text outside every table, each cut into chunks where a gap wider than one
/// and a half glyphs stands.
fn text_lines(glyphs: &[&Glyph]) -> Vec<TextLine> {
    lines_of(glyphs)
        .into_iter()
        .filter_map(|line| {
            let y = line.iter().map(|g| g.centre().1).sum::<f64>() / line.len() as f64;
            let mut chunks: Vec<Vec<&Glyph>> = Vec::new();
            for g in line {
                match chunks.last_mut() {
                    Some(chunk)
                        if g.x0 - chunk.last().map_or(g.x0, |p| p.x1) <= 1.5 * g.size.max(1.0) =>
                    {
                        chunk.push(g)
                    }
                    _ => chunks.push(vec![g]),
                }
            }
            let chunks: Vec<Chunk> = chunks
                .into_iter()
                .filter_map(|c| {
                    let text = line_text(&c).trim().to_string();
                    (!text.is_empty()).then(|| Chunk {
                        x0: c.first().map_or(0.0, |g| g.x0),
                        x1: c.last().map_or(0.0, |g| g.x1),
                        text,
                    })
                })
                .collect();
            (!chunks.is_empty()).then_some(TextLine { y, chunks })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glyph of `size` points whose box starts at (x, y); CJK characters a full em wide.
    fn glyph(text: &str, x: f64, y: f64, size: f64) -> Glyph {
        let wide = text.chars().any(is_wide);
        Glyph {
            text: text.to_string(),
            x0: x,
            x1: x + if wide { size } else { size / 2.0 },
            y0: y,
            y1: y + size,
            size,
        }
    }

    /// The glyphs of `text` set from (x, y), one after another.
    fn set(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut x = x;
        for c in text.chars() {
            let g = glyph(&c.to_string(), x, y, size);
            x = g.x1;
            out.push(g);
        }
        out
    }

    fn rule(horizontal: bool, at: f64, from: f64, to: f64) -> Rule {
        Rule {
            horizontal,
            at,
            from,
            to,
        }
    }

    #[test]
    fn wrapped_lines_join_as_a_spreadsheet_holds_them() {
        // (lines as (text, x) set at 10 pt, the cell's right edge, the text read)
        // Each line: its text and where it starts.
        type Lines<'a> = &'a [(&'a str, f64)];
        let cases: [(Lines, f64, &str); 5] = [
            // Wrapped: the next character would not have fitted.
            (&[("年度指标", 2.0), ("值", 2.0)], 50.0, "年度指标值"),
            // Two Latin words wrapped at the space between them.
            (&[("Material", 2.0), ("was", 2.0)], 46.0, "Material was"),
            // A line ended early although the next one's start fitted: a typed break.
            (&[("一、", 2.0), ("二、", 2.0)], 80.0, "一、\n二、"),
            // A closing mark carried over with its character: wrapped.
            (&[("完成情况", 2.0), ("好。", 2.0)], 58.0, "完成情况好。"),
            // Centred lines.
            (&[("偏差原因分", 5.0), ("析", 25.0)], 60.0, "偏差原因分析"),
        ];
        for (lines, right, want) in cases {
            let glyphs: Vec<Glyph> = lines
                .iter()
                .enumerate()
                .flat_map(|(k, (text, x))| set(text, *x, 2.0 + 12.0 * k as f64, 10.0))
                .collect();
            let refs: Vec<&Glyph> = glyphs.iter().collect();
            assert_eq!(cell_text(&refs, 0.0, right), want, "{lines:?}");
        }
    }

    /// Lines drawn in pieces, doubled, or a hair apart make one grid; cells without a line
    /// between them are one region, holding the text of all their glyphs.
    #[test]
    fn a_table_from_broken_and_doubled_lines() {
        let marks = Marks {
            rules: vec![
                rule(true, 10.0, 0.0, 50.0),
                rule(true, 10.2, 51.0, 100.0),
                rule(true, 30.0, 0.0, 100.0),
                rule(true, 30.6, 0.0, 100.0),
                rule(true, 50.0, 0.0, 100.0),
                rule(false, 0.0, 10.0, 50.0),
                rule(false, 50.0, 10.0, 30.0),
                rule(false, 100.0, 10.0, 50.0),
                rule(false, 99.5, 10.0, 50.0),
            ],
            glyphs: [
                set("项目", 5.0, 15.0, 10.0),
                set("18.950000", 55.0, 15.0, 10.0),
                set("年度资金总额", 20.0, 35.0, 10.0),
                set("标题", 30.0, 0.0, 8.0),
            ]
            .concat(),
            ..Marks::default()
        };
        let layout = layout(&marks);
        assert_eq!(layout.tables.len(), 1);
        let table = &layout.tables[0];
        assert_eq!((table.rows(), table.xs.len() - 1), (2, 2));
        let regions: Vec<(usize, usize, usize, usize, &str)> = table
            .regions
            .iter()
            .map(|r| (r.r0, r.c0, r.r1, r.c1, r.text.as_str()))
            .collect();
        assert_eq!(
            regions,
            [
                (0, 0, 0, 0, "项目"),
                (0, 1, 0, 1, "18.950000"),
                (1, 0, 1, 1, "年度资金总额"),
            ]
        );
        assert_eq!(layout.lines.len(), 1);
        assert_eq!(layout.lines[0].chunks[0].text, "标题");
    }

    /// Glyphs painted twice at nearly the same place (fake bold) are read once.
    #[test]
    fn glyphs_drawn_twice_are_read_once() {
        let mut glyphs = set("自评表", 0.0, 0.0, 10.0);
        glyphs.extend(set("自评表", 0.3, 0.2, 10.0));
        let lines = text_lines(&dedup(&glyphs));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].chunks[0].text, "自评表");
    }
}
