//! Text folding: the one place that says which characters jixiao takes as the same when it
//! compares or parses what a filer wrote. Each function serves one purpose and says what it
//! folds; no two fold for the same purpose.
//!
//! | function      | for                                   | folds                                  |
//! |---------------|---------------------------------------|----------------------------------------|
//! | [`label`]     | matching labels against the vocabulary | space, full-width ASCII, brackets, case, trailing colon |
//! | [`figure`]    | parsing a target or an actual value    | space, full-width digits and signs, `≧≦−` |
//! | [`spaceless`] | comparing names as written             | space only                             |
//! | [`organisation`] | telling whether two forms name one department | as [`label`], and a leading or bracketed code |

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

/// A department's or unit's name as two forms of one batch are compared (a project form's
/// 主管部门 or 实施单位 against a department form's 部门（单位）名称): folded as [`label`], then
/// a budget code in front (`048-`, `048019－`, `[048]`) or in brackets after the name
/// (`(048)`) dropped, since the code is written on some forms and not on others. A text that is
/// nothing but a code stays as it is. What follows a name to say the same department
/// (`本级`) is the vocabulary's to say, not this fold's.
pub fn organisation(text: &str) -> String {
    let folded = label(text);
    let is_code = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mut name = folded.as_str();
    if let Some(rest) = name.strip_prefix('[')
        && let Some((code, after)) = rest.split_once(']')
        && is_code(code)
    {
        name = after;
    } else {
        let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let rest = &name[digits..];
        if digits > 0
            && let Some(sep) = rest.chars().next()
            && matches!(sep, '-' | '_' | '—' | '.' | '、')
        {
            name = &rest[sep.len_utf8()..];
        }
    }
    if let Some(open) = name.rfind(['(', '['])
        && name.ends_with([')', ']'])
        && is_code(&name[open + 1..name.len() - 1])
    {
        name = &name[..open];
    }
    if name.is_empty() {
        folded
    } else {
        name.to_string()
    }
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
        for (written, compared) in [
            ("048-北京市文物局", "北京市文物局"),
            ("048019－北京艺术博物馆", "北京艺术博物馆"),
            ("【048】 北京市 文物局", "北京市文物局"),
            ("北京市文物局（048）", "北京市文物局"),
            ("北京市文物局（本级）", "北京市文物局(本级)"),
            ("2024年度", "2024年度"),
            ("048", "048"),
            ("", ""),
        ] {
            assert_eq!(organisation(written), compared, "{written}");
        }
    }
}
