//! Where pages break.
//!
//! A spreadsheet cannot continue a merged cell on the next page, so workbooks break only
//! between indicator groups ([`sheet_breaks`]).

use super::grid::Grid;

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
