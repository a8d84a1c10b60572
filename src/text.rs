//! Text taken from input files (sheet names, cell text, file names, zip part names), made safe
//! to show in a message, a report line or a summary cell: one line, control characters
//! escaped, bounded in length. Depends on nothing else in the crate, so every stage can use it.

use std::borrow::Cow;

/// The longest line jixiao prints or stores for one input (an error with its file name), in
/// characters.
pub const MAX_LINE: usize = 300;

/// The longest file name or path shown in a message, in characters (the rest is cut in the
/// middle, so that the file name at the end stays).
pub const MAX_PATH: usize = 96;

/// The longest reason shown after a file name in a message, in characters.
pub const MAX_REASON: usize = 160;

/// The longest sheet name shown in a message, in characters.
pub const MAX_SHEET_NAME: usize = 40;

/// How many sheet names a message lists before `等 N 个工作表`.
const LISTED_SHEETS: usize = 5;

/// The longest text an xlsx cell holds (Excel's limit), in UTF-16 code units (a character
/// outside the Basic Multilingual Plane, such as a rare name character of CJK Extension B,
/// counts two).
pub const MAX_CELL: usize = 32_767;

/// True for a character that must not reach a terminal or a one-line message raw: C0 and C1
/// controls and DEL (ESC drives the terminal, a newline starts a line that the file writes),
/// the Unicode line and paragraph separators, and the bidirectional overrides that reorder
/// what is shown.
fn hazardous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c` as shown: itself, or escaped (`\n`, `\r`, `\t`, `\u{1b}`).
fn push_shown(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if hazardous(c) => out.extend(c.escape_unicode()),
        c => out.push(c),
    }
}

/// `text` with every hazardous character escaped, unbounded.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hazardous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// `text` as one line of at most `max_chars` characters: hazardous characters escaped
/// (`\n`, `\u{1b}`), and, when that is too long, cut at a character (never inside an escape)
/// and ended with `…`.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let shown = escaped(text);
    // Bytes bound characters from above: count only when it may matter.
    if shown.len() <= max_chars || shown.chars().count() <= max_chars {
        return shown.into_owned();
    }
    let mut out = String::new();
    let mut count = 0;
    let mut piece = String::new();
    for c in text.chars() {
        piece.clear();
        push_shown(&mut piece, c);
        let n = piece.chars().count();
        if count + n + 1 > max_chars {
            break;
        }
        out.push_str(&piece);
        count += n;
    }
    out.push('…');
    out
}

/// `text` as one line of at most `max_chars` characters like [`one_line`], cut in the middle
/// (`…`) rather than at the end: for paths, whose file name is at the end.
pub fn one_line_middle(text: &str, max_chars: usize) -> String {
    let shown = escaped(text);
    if shown.len() <= max_chars || shown.chars().count() <= max_chars {
        return shown.into_owned();
    }
    let pieces: Vec<String> = text
        .chars()
        .map(|c| {
            let mut piece = String::new();
            push_shown(&mut piece, c);
            piece
        })
        .collect();
    let room = max_chars.saturating_sub(1);
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    let (mut used, mut front, mut back) = (0, 0, pieces.len());
    // The end (the file name) gets two thirds of the room, the start the rest.
    let tail_room = room - room / 3;
    while back > front {
        let n = pieces[back - 1].chars().count();
        if used + n > tail_room {
            break;
        }
        used += n;
        back -= 1;
        tail.push(pieces[back].as_str());
    }
    while front < back {
        let n = pieces[front].chars().count();
        if used + n > room {
            break;
        }
        used += n;
        head.push(pieces[front].as_str());
        front += 1;
    }
    tail.reverse();
    let mut out = head.concat();
    out.push('…');
    out.push_str(&tail.concat());
    out
}

/// `text` cut to at most `max_units` UTF-16 code units (what an xlsx cell counts), ending
/// with `…` when cut; line breaks and all other characters are kept.
pub fn fit_utf16(text: &str, max_units: usize) -> Cow<'_, str> {
    // UTF-8 bytes bound UTF-16 units from above: count only when it may matter.
    if text.len() <= max_units || text.encode_utf16().count() <= max_units {
        return Cow::Borrowed(text);
    }
    let mut units = 0;
    let mut out = String::new();
    for c in text.chars() {
        if units + c.len_utf16() + 1 > max_units {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// Text from a file as an xlsx cell shows it: one line ([`one_line`]), within
/// [`MAX_CELL`] UTF-16 code units.
pub fn cell(text: &str) -> String {
    fit_utf16(&one_line(text, MAX_CELL), MAX_CELL).into_owned()
}

/// The names of sheets as a message lists them: [`name_list`] of [`MAX_SHEET_NAME`]
/// characters each, the first five (`自评表、旧稿 等 8 个工作表`).
pub fn sheet_list(names: &[&str]) -> String {
    name_list(names, LISTED_SHEETS, MAX_SHEET_NAME, "个工作表")
}

/// A list of names from a file, shortened for a message: the first `first` names (each one
/// line of at most `each` characters) joined with `、`, then `等 N 个工作表` (`what` is the
/// counter word and noun) when there are more.
pub fn name_list(names: &[&str], first: usize, each: usize, what: &str) -> String {
    let mut out = names
        .iter()
        .take(first)
        .map(|n| one_line(n, each))
        .collect::<Vec<_>>()
        .join("、");
    if names.len() > first {
        out.push_str(&format!(" 等 {} {what}", names.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        let cases = [
            ("正常文本", "正常文本"),
            ("a\nb", "a\\nb"),
            ("\u{1b}[31m红", "\\u{1b}[31m红"),
            ("tab\there\r", "tab\\there\\r"),
            ("\u{7f}\u{85}", "\\u{7f}\\u{85}"),
            ("abc\u{202e}def", "abc\\u{202e}def"),
            ("line\u{2028}sep", "line\\u{2028}sep"),
        ];
        for (text, want) in cases {
            assert_eq!(escaped(text), want, "{text:?}");
            assert_eq!(one_line(text, 100), want, "{text:?}");
        }
        assert!(matches!(escaped("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(one_line("工作表", 3), "工作表");
        assert_eq!(one_line("工作表一", 3), "工作…");
        let long = "长".repeat(40_000);
        let cut = one_line(&long, MAX_REASON);
        assert_eq!(cut.chars().count(), MAX_REASON);
        assert!(cut.ends_with('…'));
        // Never inside an escape: `\u{1b}` is 6 characters, and does not fit in 5 + `…`.
        assert_eq!(one_line("a\u{1b}bcdefgh", 7), "a…");
        assert_eq!(one_line("a\u{1b}bcdefgh", 8), "a\\u{1b}…");
    }

    #[test]
    fn cells_fit_in_utf16_units() {
        assert_eq!(fit_utf16("ab\ncd", 5), "ab\ncd");
        assert_eq!(fit_utf16("ab\ncde", 5), "ab\nc…");
        // 𠀀 (CJK Extension B) is two UTF-16 units.
        let rare = "𠀀".repeat(20_000);
        let fitted = cell(&rare);
        assert!(fitted.encode_utf16().count() <= MAX_CELL);
        assert_eq!(fitted.chars().count(), MAX_CELL / 2 + 1);
        assert!(fitted.ends_with('…'));
        assert_eq!(cell("a\u{1b}b"), "a\\u{1b}b");
    }

    #[test]
    fn paths_keep_their_file_name() {
        let path = format!("{}/报表.xlsx", "目录".repeat(200));
        let shown = one_line_middle(&path, MAX_PATH);
        assert_eq!(shown.chars().count(), MAX_PATH);
        assert!(shown.starts_with("目录目录"), "{shown}");
        assert!(shown.ends_with("目录/报表.xlsx"), "{shown}");
        assert!(shown.contains('…'));
        assert_eq!(one_line_middle("a/b.xlsx", MAX_PATH), "a/b.xlsx");
        assert_eq!(
            one_line_middle("in/\u{1b}.xlsx", MAX_PATH),
            "in/\\u{1b}.xlsx"
        );
    }

    #[test]
    fn name_lists_are_shortened() {
        let names: Vec<String> = (0..1024).map(|i| format!("sheet #{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            name_list(&names, 3, 20, "个工作表"),
            "sheet #0、sheet #1、sheet #2 等 1024 个工作表"
        );
        assert_eq!(
            name_list(&names[..2], 3, 20, "个工作表"),
            "sheet #0、sheet #1"
        );
        assert_eq!(name_list(&["a\nb"], 3, 20, "个工作表"), "a\\nb");
    }
}
