//! The top of the form: the year of its title and the header fields (项目名称, 主管部门,
//! 实施单位, 项目负责人, 联系电话, the amount unit), each right of its label or written with it
//! (`项目名称：某项目`).

use super::cells::{Label, MAX_LABEL};
use super::reader::FormReader;
use super::value::text;
use crate::message::TableMessage;
use crate::model::{AmountUnit, CellRef, Field, FormKind};
use crate::read::sheet::SheetValue;
use crate::vocabulary::{self, HeaderLabel, fold};

/// True when a label is a label of any section that marks the top of the form (header
/// fields, blocks, funds and goal labels, the title): a value right of a header label stops
/// at one of these.
pub fn is_form_label(l: &Label<'_>) -> bool {
    let r = &l.roles;
    r.header.is_some()
        || r.block.is_some()
        || r.goal.is_some()
        || r.funds_column.is_some()
        || r.funds_row.is_some()
}

/// A header-field label (`项目名称`), or one written with its value (`项目名称：某项目`).
pub fn header_label(l: &Label<'_>) -> Option<(HeaderLabel, Option<String>)> {
    let v = vocabulary::get();
    if l.norm.chars().count() <= MAX_LABEL
        && let Some(label) = l.roles.header.or_else(|| inferred_header(l))
    {
        return Some((label, None));
    }
    let (head, value) = l.text.split_once([':', '：'])?;
    let label = v.header.find(&fold::label(head))?;
    Some((label, Some(value.trim().to_string())))
}

/// The header field a label names by its words alone (`项目实施单位（盖章）`): only a cell that
/// is no label of any section.
pub fn inferred_header(l: &Label<'_>) -> Option<HeaderLabel> {
    if !l.roles.is_none() {
        return None;
    }
    vocabulary::get().meanings.header(l.text)
}

/// The title year: from the title, the line under it (`（2024年度）`), or the corner cells
/// above the header fields.
pub fn read_year(reader: &mut FormReader<'_, '_>, top: u32, title: Option<&Label<'_>>) {
    let found = reader
        .cells
        .sheet
        .cells()
        .iter()
        .take_while(|c| c.at.row < top.max(title.map_or(0, |t| t.at.row + 2)))
        .find_map(|c| match &c.value {
            SheetValue::Text(t) => year_of(t).map(|y| (y, c.at)),
            _ => None,
        });
    match found {
        Some((year, at)) => {
            reader.form.year = Some(year);
            reader.sources.insert(Field::Year, at);
        }
        None => {
            if let Some(title) = title {
                reader.sources.insert(Field::Year, title.at);
            }
        }
    }
}

/// 项目名称, 主管部门, 实施单位, 项目负责人, 联系电话 (or 项目负责人及电话), the amount unit:
/// the first of each above the indicator header.
pub fn read_header(reader: &mut FormReader<'_, '_>, header_top: u32, right: u32) {
    let cells = reader.cells;
    let mut seen = Vec::new();
    for label in cells.labels.iter().take_while(|l| l.at.row < header_top) {
        let Some((kind, inline)) = header_label(label) else {
            continue;
        };
        if seen.contains(&kind) {
            continue;
        }
        seen.push(kind);
        if inline.is_none() && inferred_header(label).is_some() {
            let message = TableMessage::LabelInferred {
                label: label.text.to_string(),
                at: label.at,
                read_as: vocabulary::get().header.name(kind).to_string(),
            };
            reader.note(label.at, message);
        }
        let (value, at) = match inline {
            Some(v) => (v, label.at),
            None => {
                let (value, at) = cells.right_of(label, right, is_form_label);
                (text(value), at)
            }
        };
        match kind {
            HeaderLabel::Project if reader.form.kind == FormKind::Department => {}
            HeaderLabel::Unit | HeaderLabel::Lead | HeaderLabel::LeadPhone
                if reader.form.kind == FormKind::Department => {}
            HeaderLabel::Project => {
                reader.form.project = value;
                reader.sources.insert(Field::Project, at);
            }
            HeaderLabel::Department => {
                // On a department form 主管部门 names the department only when no
                // 部门（单位）名称 does.
                let named = reader.sources.get(Field::Department).is_some();
                if reader.form.kind == FormKind::Project || !named {
                    reader.form.department = value;
                    reader.sources.insert(Field::Department, at);
                }
            }
            HeaderLabel::Unit => {
                reader.form.unit = value;
                reader.sources.insert(Field::Unit, at);
            }
            HeaderLabel::Lead => {
                reader.form.lead = (!value.is_empty()).then_some(value);
                reader.sources.insert(Field::Lead, at);
            }
            HeaderLabel::Phone => {
                // A department form keeps a blank cell as "" (the contract tells a blank cell
                // from no cell there); a project form as none, as before.
                let department = reader.form.kind == FormKind::Department;
                reader.form.phone = (department || !value.is_empty()).then_some(value);
                reader.sources.insert(Field::Phone, at);
            }
            HeaderLabel::LeadPhone => {
                let (lead, phone) = split_lead_phone(&value);
                reader.form.lead = lead;
                reader.form.phone = phone;
                reader.sources.insert(Field::Lead, at);
                reader.sources.insert(Field::Phone, at);
            }
            HeaderLabel::AmountUnit => {
                if let Some(unit) = AmountUnit::parse(&fold::label(&value)) {
                    reader.form.funds.unit = unit;
                }
            }
            // The date line of a department form, under the name it is printed with
            // (`填报日期:…`, `报告日期:…`).
            HeaderLabel::SignoffDate => {
                if reader.form.kind == FormKind::Department && !value.is_empty() {
                    let printed = label.text.split([':', '：']).next().unwrap_or(label.text);
                    let name = fold::label(printed);
                    reader.form.signoff.insert(name, value);
                }
            }
            other => read_office(reader, other, value, at),
        }
    }
}

/// The header fields of a department form: its name (which 主管部门 gives when the form names
/// no department otherwise), 联系人, 自评总分, 预算编码, 财政处室, 下属单位个数. A project form
/// has none of these; their labels there are left unread.
fn read_office(reader: &mut FormReader<'_, '_>, label: HeaderLabel, value: String, at: CellRef) {
    if reader.form.kind != FormKind::Department {
        return;
    }
    let office = &mut reader.form.office;
    match label {
        HeaderLabel::DepartmentName => {
            reader.form.department = value;
            reader.sources.insert(Field::Department, at);
        }
        HeaderLabel::Contact => {
            office.contact = Some(value);
            reader.sources.insert(Field::Contact, at);
        }
        HeaderLabel::HeaderScore => {
            reader.shown.header_score = decimal_text(&value);
            reader.sources.insert(Field::HeaderScore, at);
        }
        HeaderLabel::Code => office.code = Some(value),
        HeaderLabel::FinanceOffice => office.finance_office = Some(value),
        HeaderLabel::Subunits => office.subunits = Some(value),
        _ => {}
    }
}

/// A figure written in a header cell (`97.6`, `97.6分`).
fn decimal_text(text: &str) -> Option<rust_decimal::Decimal> {
    let t = fold::label(text);
    t.trim_end_matches('分').parse().ok()
}

/// `李宁0557-5788003` → (`李宁`, `0557-5788003`); a name alone or a number alone.
fn split_lead_phone(text: &str) -> (Option<String>, Option<String>) {
    let t = text.trim();
    let split = t
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || *c == '(' || *c == '（' || *c == '+')
        .map_or(t.len(), |(i, _)| i);
    let (name, phone) = t.split_at(split);
    let clean = |s: &str| {
        let s = s
            .trim()
            .trim_matches(|c: char| matches!(c, ',' | '，' | '、' | '/' | ':' | '：'));
        (!s.is_empty()).then(|| s.trim().to_string())
    };
    (clean(name), clean(phone))
}

/// The year of a title such as `（2024年度）`, `2019年度)` or `2024年度项目支出绩效自评表`.
fn year_of(text: &str) -> Option<i32> {
    let n = fold::label(text);
    let mut rest = n.as_str();
    while let Some(i) = rest.find("年度") {
        let before = &rest[..i];
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if digits.len() == 4
            && let Ok(year) = digits.parse::<i32>()
            && (1990..=2100).contains(&year)
        {
            return Some(year);
        }
        rest = &rest[i + "年度".len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years() {
        assert_eq!(year_of("（2024年度）"), Some(2024));
        assert_eq!(year_of("(2020 年度)"), Some(2020));
        assert_eq!(year_of("2019年度)"), Some(2019));
        assert_eq!(year_of("2024年度项目支出绩效自评表"), Some(2024));
        assert_eq!(year_of("项目支出绩效自评表"), None);
        assert_eq!(year_of("年度资金总额"), None);
        assert_eq!(year_of("全年度"), None);
    }

    #[test]
    fn lead_and_phone_in_one_cell() {
        let s = |t: &str| split_lead_phone(t);
        assert_eq!(
            s("李宁0557-5788003"),
            (Some("李宁".into()), Some("0557-5788003".into()))
        );
        assert_eq!(
            s("张三 13800000000"),
            (Some("张三".into()), Some("13800000000".into()))
        );
        assert_eq!(s("张三"), (Some("张三".into()), None));
        assert_eq!(s("010-12345678"), (None, Some("010-12345678".into())));
    }
}
