//! Text measurement and line breaking with the 禁则 of Chinese typesetting.
//!
//! Widths come from the bundled font's advances, so the PDF draws exactly what was measured and
//! spreadsheet programs (whose 宋体 is narrower for Latin text) never need more lines.

use crate::fonts::Metrics;

/// Characters that may not start a line: closing punctuation, `%`, the full stop.
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』】〕〉’”…—·％%,.;:?!)]}>、～".contains(c)
}

/// Characters that may not end a line: opening brackets and quotes.
fn no_line_end(c: char) -> bool {
    "（《「『【〔〈‘“([{<".contains(c)
}

/// Characters that stay together with their neighbours of the same kind (Latin words, numbers).
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@' | '#' | '&' | '/' | '\'' | '+')
}

/// Whether a line may break between `prev` and `next`.
fn break_between(prev: char, next: char) -> bool {
    if prev == ' ' {
        return true;
    }
    !(no_line_start(next)
        || no_line_end(prev)
        || (word_char(prev) && word_char(next))
        || next == ' ')
}

/// The text a cell may hold: control characters other than tab and line feed (which XML 1.0
/// cannot carry and no font draws) removed, `\r\n` and a lone `\r` made line feeds, and the
/// noncharacters U+FFFE/U+FFFF removed. Both writers get their text through here, by the grid.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t' && c != '\n') || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    std::borrow::Cow::Owned(unified.chars().filter(|&c| !bad(c)).collect())
}

/// Wraps `text` into lines no wider than `width` points at `size` points.
///
/// Explicit line breaks are kept; lines break between CJK characters and at spaces, never
/// inside a Latin word or number unless it is wider than a line, never before closing
/// punctuation nor after an opening bracket (the punctuation is carried over with its
/// neighbour).
pub fn wrap(text: &str, width: f32, size: f32, metrics: &Metrics) -> Vec<String> {
    wrap_at(text, width, size, metrics).0
}

/// [`wrap`], with the byte offset in `text` where each line starts: the text of lines `a..b`
/// is `text[starts[a]..starts[b]]` (to the end for the last), white space and line feeds
/// between them included, so that the parts of a text held in several cells add up to it.
pub fn wrap_at(text: &str, width: f32, size: f32, metrics: &Metrics) -> (Vec<String>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut starts = Vec::new();
    let mut offset = 0;
    for paragraph in text.split('\n') {
        wrap_paragraph(
            paragraph,
            offset,
            width,
            size,
            metrics,
            &mut lines,
            &mut starts,
        );
        offset += paragraph.len() + 1;
    }
    (lines, starts)
}

/// The width of the widest number in `text` (`146.435000`, `98.55%`) at `size` points: what
/// a cell must hold on one line.
pub fn widest_number(text: &str, size: f32, metrics: &Metrics) -> f32 {
    let mut widest: f32 = 0.0;
    let mut current = 0.0;
    let mut digits = false;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (matches!(c, '.' | ',' | '%') && (digits || c == '.')) {
            current += metrics.char_width(c, size);
            digits |= c.is_ascii_digit();
        } else {
            if digits {
                widest = widest.max(current);
            }
            current = 0.0;
            digits = false;
        }
    }
    widest
}

#[allow(clippy::too_many_arguments)]
fn wrap_paragraph(
    text: &str,
    offset: usize,
    width: f32,
    size: f32,
    metrics: &Metrics,
    lines: &mut Vec<String>,
    starts: &mut Vec<usize>,
) {
    // Most cells hold a line that fits: one pass, no buffers.
    let shown = |c: char| !c.is_control() || c == '\t';
    let whole: f32 = text
        .chars()
        .filter(|&c| shown(c))
        .map(|c| metrics.char_width(if c == '\t' { ' ' } else { c }, size))
        .sum();
    if whole <= width {
        let line: String = text
            .chars()
            .filter(|&c| shown(c))
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        lines.push(line.trim_end().to_string());
        starts.push(offset);
        return;
    }
    let mut chars = Vec::with_capacity(text.len());
    let mut at = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices().filter(|&(_, c)| shown(c)) {
        chars.push(if c == '\t' { ' ' } else { c });
        at.push(offset + i);
    }
    if chars.is_empty() {
        lines.push(String::new());
        starts.push(offset);
        return;
    }
    let widths: Vec<f32> = chars.iter().map(|&c| metrics.char_width(c, size)).collect();
    let first_line = lines.len();
    let mut start = 0;
    while start < chars.len() {
        // Skip the spaces a break left at the start of a line.
        while start < chars.len() && chars[start] == ' ' && lines.len() > first_line {
            start += 1;
        }
        if start >= chars.len() {
            break;
        }
        let mut used = 0.0;
        let mut end = start;
        let mut last_break = None;
        while end < chars.len() {
            if end > start && break_between(chars[end - 1], chars[end]) {
                last_break = Some(end);
            }
            if used + widths[end] > width && end > start {
                break;
            }
            used += widths[end];
            end += 1;
        }
        if end < chars.len() {
            // The line is full: go back to the last place a break is allowed, if any; with
            // none, cut the word, but still carry a closing mark over with its neighbour.
            match last_break.filter(|&b| b > start) {
                Some(b) => end = b,
                None => {
                    while end > start + 1 && no_line_start(chars[end]) {
                        end -= 1;
                    }
                }
            }
        }
        let line: String = chars[start..end].iter().collect();
        lines.push(line.trim_end().to_string());
        // The first line of a paragraph starts with it (leading spaces kept); the others
        // where their text starts.
        starts.push(if lines.len() == first_line + 1 {
            offset
        } else {
            at[start]
        });
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::metrics;

    fn lines(text: &str, width_em: f32) -> Vec<String> {
        wrap(text, width_em * 10.0, 10.0, metrics(false))
    }

    #[test]
    fn cjk_breaks_anywhere() {
        assert_eq!(lines("一二三四五六七", 3.0), ["一二三", "四五六", "七"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        assert_eq!(lines("一二三，四五", 3.0), ["一二", "三，四", "五"]);
        assert_eq!(lines("一二三。", 3.0), ["一二", "三。"]);
        for l in lines(
            "偏差原因分析：相应支撑材料不够充分；改进措施：今后将加强相关绩效支撑材料收集、整理及归档工作。",
            7.0,
        ) {
            let first = l.chars().next().unwrap();
            assert!(!no_line_start(first), "{l}");
        }
    }

    #[test]
    fn opening_brackets_never_end_a_line() {
        assert_eq!(lines("一二（三四", 3.0), ["一二", "（三四"]);
        for l in lines(
            "北京艺术博物馆于2023年申请了《参观服务系统搭建项目》，本项目需要延续",
            6.0,
        ) {
            let last = l.chars().last().unwrap();
            assert!(!no_line_end(last), "{l}");
        }
    }

    #[test]
    fn numbers_and_words_stay_whole() {
        let got = lines("合计18.950000万元", 6.0);
        assert!(got.iter().any(|l| l.contains("18.950000")), "{got:?}");
        assert_eq!(lines("hello world", 3.0), ["hello", "world"]);
    }

    #[test]
    fn explicit_breaks_and_empty_text() {
        assert_eq!(lines("一\n二", 5.0), ["一", "二"]);
        assert_eq!(lines("", 5.0), [""]);
        assert_eq!(lines("一\n\n二", 5.0), ["一", "", "二"]);
    }

    #[test]
    fn a_cut_word_keeps_its_closing_mark() {
        let got = lines("100.00%", 3.5);
        assert!(got.len() > 1, "{got:?}");
        assert!(got.iter().all(|l| !l.starts_with('%')), "{got:?}");
        assert_eq!(got.concat(), "100.00%");
    }

    #[test]
    fn an_overlong_word_is_cut() {
        let got = lines("11000024T000002790130", 5.0);
        assert!(got.len() > 1);
        assert_eq!(got.concat(), "11000024T000002790130");
    }

    #[test]
    fn the_parts_of_a_wrapped_text_add_up_to_it() {
        let text = "第一段 文字，很长很长的一段话。\n\n  second paragraph with words\t和中文混排的句子，继续。";
        let (lines, starts) = wrap_at(text, 40.0, 10.0, metrics(false));
        assert_eq!(lines.len(), starts.len());
        assert!(lines.len() > 4, "{lines:?}");
        assert_eq!(starts[0], 0);
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        let mut parts = Vec::new();
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            parts.push(&text[s..end]);
            // Each part starts with its line's text.
            assert!(
                text[s..end]
                    .replace('\t', " ")
                    .starts_with(lines[k].as_str()),
                "{k}"
            );
        }
        assert_eq!(parts.concat(), text);
        assert_eq!(lines, wrap(text, 40.0, 10.0, metrics(false)));
    }

    #[test]
    fn numbers_are_measured_whole() {
        let m = metrics(false);
        assert_eq!(widest_number("无数字", 10.0, m), 0.0);
        let w = widest_number("≤146.435万元，98.55%", 10.0, m);
        assert!((w - m.width("146.435", 10.0)).abs() < 0.001, "{w}");
        assert!(widest_number("100.00%", 10.0, m) > m.width("100.00", 10.0));
    }

    #[test]
    fn no_line_is_wider_than_asked() {
        let text = include_str!("../../samples/001.json");
        for l in lines(text, 12.0) {
            assert!(metrics(false).width(&l, 10.0) <= 120.0 + 0.001, "{l}");
        }
    }
}

#[cfg(test)]
mod clean_tests {
    use super::clean;

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean("普通文字"), "普通文字");
        assert_eq!(clean("a\u{0}b\u{1b}[31mc\u{7f}"), "ab[31mc");
        assert_eq!(clean("一\r\n二\r三\t四\u{FFFF}"), "一\n二\n三\t四");
        assert_eq!(clean("\u{85}x"), "x");
    }
}
