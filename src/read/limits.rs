//! Every limit that keeps a hostile or broken input cheap, in one place, with the check that
//! applies to a form once it has been read (from a workbook or a data file).
//!
//! A real form is a few hundred cells and a few dozen indicators; each limit is far above that
//! and far below what would exhaust memory or time. An input past a limit is refused with one
//! message naming the file and the limit; it never stops a batch.

use rust_decimal::Decimal;

use crate::model::{Field, Form, FundsColumn, FundsRowKind, IndicatorField, SourceCells};

/// The largest workbook file read, in bytes (200 MB).
pub const MAX_FILE: u64 = 200 * 1024 * 1024;

/// The largest part of a zip (`content.xml`, a worksheet) read once decompressed, in bytes
/// (200 MB): a zip bomb stops here.
pub const MAX_PART: u64 = 200 * 1024 * 1024;

/// The most bytes decompressed from all parts of one zip together (500 MB).
pub const MAX_UNZIPPED: u64 = 500 * 1024 * 1024;

/// The most entries in a `.zip` of a folder of forms (`read::archive`); a department has a
/// few hundred forms.
pub const MAX_ARCHIVE_ENTRIES: usize = 20_000;

/// The largest central directory of a `.zip` of a folder of forms, in bytes (8 MB): it is
/// read into memory before any entry, so it is bounded before it is read.
pub const MAX_ARCHIVE_DIRECTORY: u64 = 8 * 1024 * 1024;

/// The most non-empty cells read from one worksheet; a form has a few hundred.
pub const MAX_CELLS: usize = 1_000_000;

/// The most merged regions read from one worksheet; a form has a few dozen.
pub const MAX_MERGES: usize = 100_000;

/// The longest text of one field (one cell), in UTF-16 code units: 32 767 is what an xlsx
/// cell holds (a character outside the Basic Multilingual Plane counts two, as Excel counts).
pub const MAX_TEXT: usize = 32_767;

/// The most indicators (绩效指标 rows) in one form; a form has a few dozen.
pub const MAX_INDICATORS: usize = 1_000;

/// The largest JSON or TOML form file, in bytes (10 MB).
pub const MAX_DATA: u64 = 10 * 1024 * 1024;

/// The deepest nesting of arrays and objects in a JSON or TOML form file. A form needs 3;
/// serde_json stops at 128 on its own, the TOML reader is guarded by [`nesting`].
pub const MAX_DEPTH: usize = 64;

/// The most pages read from one PDF; a 决算公开 has a few hundred.
pub const MAX_PAGES: usize = 2_000;

/// The most objects a PDF may hold; a 决算公开 of 300 pages has some tens of thousands.
pub const MAX_OBJECTS: usize = 2_000_000;

/// The most glyphs and the most ruling segments kept from one page; a form's page has a
/// few thousand of each.
pub const MAX_MARKS: usize = 500_000;

/// The largest magnitude of any number in a form (an amount, 分值, 得分 or 总分): 10^15, a
/// thousand trillion — far above any budget, in 元 or 万元. Every sum and difference the
/// checks and the summary make of such numbers stays far inside `Decimal`'s range (about
/// 7.9 × 10^28), so none of them can overflow.
pub const MAX_FIGURE: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// A limit a form breaks: the field (and its cell, when the form came from a sheet).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// More than [`MAX_INDICATORS`] indicators.
    #[error("绩效指标有 {count} 行，超过上限 {MAX_INDICATORS} 行，不是自评表")]
    TooManyIndicators {
        /// How many the form has.
        count: usize,
    },
    /// A text longer than [`MAX_TEXT`] UTF-16 units.
    #[error("字段 {field}{} 的文字有 {units} 个字符，超过单元格上限 {MAX_TEXT} 个字符", cell_note(.cell))]
    TextTooLong {
        /// The field.
        field: Field,
        /// Its cell (`表!B2`), when the form came from a sheet.
        cell: Option<String>,
        /// Its length in UTF-16 units.
        units: usize,
    },
    /// A figure past [`MAX_FIGURE`] in magnitude.
    #[error("字段 {field}{} 的数值 {value} 超出范围：金额和分值的绝对值不得超过 10^15", cell_note(.cell))]
    FigureOutOfRange {
        /// The field.
        field: Field,
        /// Its cell, when the form came from a sheet.
        cell: Option<String>,
        /// The figure.
        value: Decimal,
    },
    /// A role or name of the sign-off longer than [`MAX_TEXT`].
    #[error("字段 signoff 的文字超过单元格上限 {MAX_TEXT} 个字符")]
    SignoffTooLong,
}

/// `（表!B2）` after a field's name, when its cell is known.
fn cell_note(cell: &Option<String>) -> String {
    cell.as_ref()
        .map(|r| format!("（{r}）"))
        .unwrap_or_default()
}

/// Checks a form read from anywhere against [`MAX_INDICATORS`], [`MAX_TEXT`] and
/// [`MAX_FIGURE`].
///
/// # Errors
/// The first [`LimitError`] found, naming the field (and the cell, when `cells` knows it).
pub fn check_form(form: &Form, cells: Option<&SourceCells>) -> Result<(), LimitError> {
    if form.indicators.len() > MAX_INDICATORS {
        return Err(LimitError::TooManyIndicators {
            count: form.indicators.len(),
        });
    }
    let mut texts: Vec<(Field, &str)> = vec![
        (Field::Project, &form.project),
        (Field::Department, &form.department),
        (Field::Unit, &form.unit),
        (Field::Lead, form.lead.as_deref().unwrap_or("")),
        (Field::Phone, form.phone.as_deref().unwrap_or("")),
        (Field::Expected, &form.goals.expected),
        (Field::Achieved, &form.goals.achieved),
        (Field::Grade, form.grade.as_deref().unwrap_or("")),
    ];
    for (i, ind) in form.indicators.iter().enumerate() {
        texts.extend([
            (
                Field::Indicator(i, IndicatorField::Level1),
                ind.level1.as_str(),
            ),
            (Field::Indicator(i, IndicatorField::Level2), &ind.level2),
            (Field::Indicator(i, IndicatorField::Name), &ind.name),
            (Field::Indicator(i, IndicatorField::Target), &ind.target),
            (Field::Indicator(i, IndicatorField::Actual), &ind.actual),
            (
                Field::Indicator(i, IndicatorField::Deviation),
                &ind.deviation,
            ),
        ]);
    }
    for (field, text) in texts {
        // Bytes bound UTF-16 units from above: count only when it may matter.
        if text.len() > MAX_TEXT && text.encode_utf16().count() > MAX_TEXT {
            return Err(LimitError::TextTooLong {
                field,
                cell: cells.and_then(|c| c.reference(field)),
                units: text.encode_utf16().count(),
            });
        }
    }
    let mut figures: Vec<(Field, Option<Decimal>)> = vec![
        (Field::FundsWeight, form.funds.weight),
        (Field::FundsScore, form.funds.score),
        (Field::TotalScore, form.total_score),
    ];
    for kind in FundsRowKind::ALL {
        for column in FundsColumn::ALL {
            figures.push((Field::Funds(kind, column), form.funds.figure(kind, column)));
        }
    }
    for (i, ind) in form.indicators.iter().enumerate() {
        figures.push((Field::Indicator(i, IndicatorField::Weight), ind.weight));
        figures.push((Field::Indicator(i, IndicatorField::Score), ind.score));
    }
    for (field, value) in figures {
        if let Some(v) = value
            && v.abs() > MAX_FIGURE
        {
            return Err(LimitError::FigureOutOfRange {
                field,
                cell: cells.and_then(|c| c.reference(field)),
                value: v,
            });
        }
    }
    for (role, name) in &form.signoff {
        if role.encode_utf16().count() > MAX_TEXT || name.encode_utf16().count() > MAX_TEXT {
            return Err(LimitError::SignoffTooLong);
        }
    }
    Ok(())
}

/// The deepest nesting of `[`/`{` in TOML or JSON text, outside strings and comments (an
/// estimate that never under-counts a real nesting, cheap enough to run before parsing).
pub fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => match c {
                '\\' if q == '"' => {
                    chars.next();
                }
                _ if c == q => quote = None,
                _ => {}
            },
            None => match c {
                '"' | '\'' => quote = Some(c),
                '#' => {
                    for n in chars.by_ref() {
                        if n == '\n' {
                            break;
                        }
                    }
                }
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_outside_strings() {
        assert_eq!(nesting("a = [[1], {b = 2}]"), 2);
        assert_eq!(nesting("a = \"[[[[\" # [[[[\nb = '{{{'"), 0);
        assert_eq!(nesting("a = \"\\\"[\""), 0);
        assert_eq!(nesting(&"[".repeat(1000)), 1000);
    }

    #[test]
    fn long_text_and_many_indicators_are_refused() {
        let mut form = Form {
            project: "项".repeat(MAX_TEXT),
            ..Form::default()
        };
        assert!(check_form(&form, None).is_ok());
        form.project.push('目');
        let err = check_form(&form, None).unwrap_err().to_string();
        assert!(
            err.starts_with("字段 project 的文字有 32768 个字符"),
            "{err}"
        );
        // As Excel counts: a character of CJK Extension B is two UTF-16 units.
        form.project = "𠀀".repeat(MAX_TEXT / 2 + 1);
        let err = check_form(&form, None).unwrap_err().to_string();
        assert!(err.contains("的文字有 32768 个字符"), "{err}");
        form.project.clear();
        form.indicators = vec![Default::default(); MAX_INDICATORS + 1];
        let err = check_form(&form, None).unwrap_err().to_string();
        assert!(err.contains("超过上限 1000 行"), "{err}");
    }

    #[test]
    fn figures_past_the_bound_are_refused() {
        assert_eq!(MAX_FIGURE, Decimal::from(1_000_000_000_000_000_i64));
        let mut form = Form::default();
        form.funds.other = Some(crate::model::FundsRow {
            budget: Some(-MAX_FIGURE),
            ..Default::default()
        });
        assert!(check_form(&form, None).is_ok());
        form.funds.other.as_mut().unwrap().budget = Some(-MAX_FIGURE - Decimal::ONE);
        let err = check_form(&form, None).unwrap_err().to_string();
        assert_eq!(
            err,
            "字段 funds.other.budget 的数值 -1000000000000001 超出范围：金额和分值的绝对值不得超过 10^15"
        );
        form.funds.other = None;
        form.indicators = vec![crate::model::Indicator {
            score: Some(Decimal::MAX),
            ..Default::default()
        }];
        let err = check_form(&form, None).unwrap_err().to_string();
        assert!(err.starts_with("字段 indicators[0].score 的数值"), "{err}");
    }
}
