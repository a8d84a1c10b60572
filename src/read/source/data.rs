//! JSON and TOML form files: the source whose bytes are a form already, with one-line
//! Chinese errors that name the field ([`SourceError::Json`], [`SourceError::Toml`], the
//! parser's error kept as their source).

use super::error::SourceError;
use crate::model::Form;
use crate::read::limits::{self, MAX_DEPTH, nesting};

/// Refuses text nested deeper than [`MAX_DEPTH`] before a parser recurses into it.
fn check_nesting(text: &str) -> Result<(), SourceError> {
    if nesting(text) > MAX_DEPTH {
        return Err(SourceError::TooDeep);
    }
    Ok(())
}

/// Reads a form from JSON text, within the limits every reader applies
/// ([`limits::check_form`]: text lengths, indicator count, the size of figures).
///
/// # Errors
/// [`SourceError::Json`] naming the field (or the line) that is wrong,
/// [`SourceError::EmptyData`], [`SourceError::TooDeep`], or [`SourceError::OverLimit`]
/// naming the limit passed.
pub fn form_from_json(text: &str) -> Result<Form, SourceError> {
    if text.trim().is_empty() {
        return Err(SourceError::EmptyData);
    }
    check_nesting(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let form: Form = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let what = match inner.classify() {
            serde_json::error::Category::Syntax => format!(
                "不是有效的 JSON：第 {} 行第 {} 列有语法错误{}",
                inner.line(),
                inner.column(),
                syntax_reason(&inner.to_string())
            ),
            serde_json::error::Category::Eof => {
                format!("不是完整的 JSON：在第 {} 行意外结束", inner.line())
            }
            _ => {
                let message = inner.to_string();
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(m, _)| m);
                format!(
                    "{}（第 {} 行）",
                    describe(&e.path().to_string(), message),
                    inner.line()
                )
            }
        };
        SourceError::Json {
            what,
            source: e.into_inner(),
        }
    })?;
    de.end().map_err(|source| SourceError::Json {
        what: format!("JSON 之后还有多余内容（第 {} 行）", source.line()),
        source,
    })?;
    limits::check_form(&form, None)?;
    Ok(form)
}

/// Reads a form from TOML text, within the limits every reader applies
/// ([`limits::check_form`]).
///
/// # Errors
/// [`SourceError::Toml`] naming the field (or the line) that is wrong, and the errors of
/// [`form_from_json`] that are not JSON's.
pub fn form_from_toml(text: &str) -> Result<Form, SourceError> {
    if text.trim().is_empty() {
        return Err(SourceError::EmptyData);
    }
    check_nesting(text)?;
    let line_of = |span: Option<std::ops::Range<usize>>| {
        span.map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        })
    };
    let de = toml::Deserializer::parse(text).map_err(|source| {
        let what = if source.message().contains("recursion limit") {
            // Dotted keys and table headers nest without brackets: the parser's own guard.
            "键或表的嵌套层数过深，不是自评表数据".to_string()
        } else {
            format!(
                "不是有效的 TOML：第 {} 行：{}",
                line_of(source.span()),
                source.message().trim()
            )
        };
        SourceError::Toml { what, source }
    })?;
    let form: Form = serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let what = format!(
            "{}（第 {} 行）",
            describe(&e.path().to_string(), inner.message().trim()),
            line_of(inner.span())
        );
        SourceError::Toml {
            what,
            source: e.into_inner(),
        }
    })?;
    limits::check_form(&form, None)?;
    Ok(form)
}

/// The reason of a serde_json syntax error in Chinese, for the cases a filer can act on.
fn syntax_reason(message: &str) -> &'static str {
    if message.contains("surrogate") || message.contains("end of hex escape") {
        "（\\u 转义不完整或是孤立的代理项，不是有效字符）"
    } else if message.contains("control character") {
        "（字符串中有未转义的控制字符）"
    } else if message.contains("recursion limit") {
        "（嵌套层数过深）"
    } else if message.contains("escape") {
        "（无效的转义序列）"
    } else {
        ""
    }
}

/// Joins a field path and a field name: `funds` + `weight` → `funds.weight`.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Turns a serde message into Chinese, naming the field.
fn describe(path: &str, message: &str) -> String {
    let quoted = |rest: &str| rest.split('`').next().unwrap_or_default().to_string();
    if let Some(rest) = message.strip_prefix("missing field `") {
        return format!("缺少字段 {}", join(path, &quoted(rest)));
    }
    if message.starts_with("表的种类：") {
        // A key of the other kind of form (`model::wire`): the message names it.
        return message.to_string();
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        return format!("未知字段 {}", join(path, &quoted(rest)));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "字段 {path}：类型不对，应为{}，实际为{}",
            kind_name(expected),
            kind_name(found)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        return format!("字段 {path}：长度不对（{rest}）");
    }
    format!("字段 {path}：{message}")
}

/// A serde type description in Chinese.
fn kind_name(text: &str) -> String {
    let t = text.trim();
    if let Some(s) = t.strip_prefix("string ") {
        return format!("文本 {s}");
    }
    if let Some(n) = t
        .strip_prefix("integer ")
        .or_else(|| t.strip_prefix("floating point "))
    {
        return format!("数字 {}", n.trim_matches('`'));
    }
    match t {
        "a string" | "string" => "文本".to_string(),
        "null" | "unit value" => "空值".to_string(),
        "map" | "a map" => "对象".to_string(),
        "sequence" | "a sequence" => "数组".to_string(),
        "boolean" | "a boolean" => "布尔值".to_string(),
        t if t.starts_with("boolean ") => format!("布尔值 {}", &t[8..]),
        t if t.starts_with("struct ") => "对象".to_string(),
        "i32" | "u16" | "u32" | "i64" | "u64" => "整数".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../samples/000.json")).unwrap()
    }

    fn json_error(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v = sample();
        edit(&mut v);
        form_from_json(&serde_json::to_string_pretty(&v).unwrap())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn samples_read() {
        let form = form_from_json(include_str!("../../../samples/000.json")).unwrap();
        assert_eq!(form.indicators.len(), 14);
        assert_eq!(
            form.funds
                .other
                .as_ref()
                .unwrap()
                .budget
                .unwrap()
                .to_string(),
            "18.950000"
        );
    }

    #[test]
    fn errors_name_the_field() {
        type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (
                Box::new(|v| v["funds"]["weight"] = "abc".into()),
                "字段 funds.weight：“abc”不是有效的数字",
            ),
            (
                Box::new(|v| {
                    v.as_object_mut().unwrap().remove("project");
                }),
                "缺少字段 project",
            ),
            (
                Box::new(|v| {
                    v["indicators"][2].as_object_mut().unwrap().remove("name");
                }),
                "缺少字段 indicators[2].name",
            ),
            (
                Box::new(|v| v["indicators"][0]["wieght"] = "7".into()),
                "未知字段 indicators[0].wieght",
            ),
            (
                Box::new(|v| v["year"] = "二〇二四".into()),
                "字段 year：类型不对，应为整数，实际为文本 \"二〇二四\"",
            ),
            (
                Box::new(|v| v["indicators"] = serde_json::json!({})),
                "字段 indicators：类型不对，应为数组，实际为对象",
            ),
        ];
        for (edit, want) in cases {
            let got = json_error(edit);
            assert!(got.starts_with(want), "got {got:?}, want {want:?}");
            assert!(!got.contains('\n'));
        }
    }

    #[test]
    fn syntax_and_empty() {
        assert_eq!(form_from_json("  \n").unwrap_err().to_string(), "文件为空");
        assert!(
            form_from_json("{\"year\": 2024,")
                .unwrap_err()
                .to_string()
                .starts_with("不是完整的 JSON")
        );
        assert!(
            form_from_json("year = 2024")
                .unwrap_err()
                .to_string()
                .starts_with("不是有效的 JSON")
        );
        assert!(
            form_from_toml("{not toml")
                .unwrap_err()
                .to_string()
                .starts_with("不是有效的 TOML")
        );
    }

    #[test]
    fn figures_past_the_limit_are_errors_not_panics() {
        // 29 digits: past MAX_FIGURE, and near Decimal's own range, where adding two panics.
        let err =
            json_error(|v| v["indicators"][0]["score"] = "79228162514264337593543950335".into());
        assert!(
            err.starts_with(
                "字段 indicators[0].score 的数值 79228162514264337593543950335 超出范围"
            ),
            "{err}"
        );
        let form = form_from_json(include_str!("../../../samples/000.json")).unwrap();
        let mut text = toml::to_string(&form).unwrap();
        text = text.replacen(
            "weight = \"10.00\"",
            "weight = \"-9999999999999999999999999999\"",
            1,
        );
        let err = form_from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("超出范围"), "{err}");
        let many = json_error(|v| {
            let one = v["indicators"][0].clone();
            v["indicators"] = serde_json::Value::Array(vec![one; 1001]);
        });
        assert!(many.contains("超过上限 1000 行"), "{many}");
    }

    #[test]
    fn toml_reads_the_same_form() {
        let form = form_from_json(include_str!("../../../samples/000.json")).unwrap();
        let text = toml::to_string(&form).unwrap();
        assert_eq!(form_from_toml(&text).unwrap(), form);
        let bad = text.replacen("weight = \"10.00\"", "weight = \"abc\"", 1);
        let err = form_from_toml(&bad).unwrap_err().to_string();
        assert!(
            err.starts_with("字段 funds.weight：“abc”不是有效的数字"),
            "{err}"
        );
    }
}
