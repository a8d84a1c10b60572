//! Text folding: the one place that says which characters jixiao takes as the same when it
//! compares or parses what a filer wrote. Each function serves one purpose and says what it
//! folds; no two fold for the same purpose.
//!
//! | function      | for                                   | folds                                  |
//! |---------------|---------------------------------------|----------------------------------------|
//! | [`label`]     | matching labels against the vocabulary | space, full-width ASCII, brackets, case, trailing colon |
//! | [`figure`]    | parsing a target or an actual value    | space, full-width digits and signs, `≧≦−` |
//! | [`spaceless`] | comparing names as written             | space only                             |

/// A label as the vocabulary matches it: white space (the ideographic space too) dropped,
/// full-width ASCII (`（）：，Ｂ１`, U+FF01–U+FF5E) made half-width, `【】〔〕` made `[]`, Latin
/// letters upper-case, trailing colons dropped (`项目名称：` is `项目名称`).
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            '\u{3000}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            continue;
        }
        out.push(c.to_ascii_uppercase());
    }
    while out.ends_with(':') {
        out.pop();
    }
    out
}

/// A target or an actual value as its number, comparison and unit are parsed: white space
/// dropped; full-width digits and `．％＞＜＝－＋／` made ASCII, `≧≦` made `≥≤`, the minus sign
/// `−` made `-`. Letters keep their case and every other character stays: the unit is shown
/// as written.
pub fn figure(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '＞' => '>',
            '＜' => '<',
            '＝' => '=',
            '≧' => '≥',
            '≦' => '≤',
            '－' | '−' => '-',
            '＋' => '+',
            '／' => '/',
            c => c,
        })
        .collect()
}

/// A name compared as written, white space aside (`产 出 指 标` is `产出指标`, `满意度\n指标`
/// is `满意度指标`): an indicator's 一级 and 二级 against the tree, nothing else folded.
pub fn spaceless(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each purpose folds, and what it leaves.
    #[test]
    fn each_purpose_folds_its_own_characters() {
        assert_eq!(label("　项目名称（Ｂ）："), "项目名称(B)");
        assert_eq!(label("【产出】 km"), "[产出]KM");
        assert_eq!(figure("≧ ９０．５％"), "≥90.5%");
        assert_eq!(figure("−3 km（元）"), "-3km（元）");
        assert_eq!(spaceless("产 出\n指标（Ｂ）："), "产出指标（Ｂ）：");
    }
}
