//! A derived layout written as a layout file: what the sheet shows where the format can say
//! it and the reader knows the words, the year's built-in layout where it cannot, each such
//! place said in a comment at the top of the file.

use std::fmt::Write as _;

use super::find::{Found, Spot};
use crate::layout::{Layout, Paper};
use crate::model::{AmountUnit, FormKind, FundsRowKind, SourcedForm};
use crate::vocabulary::{
    self, Block, Column, FundsHeader, GoalLabel, HeaderLabel, Qualifier, RowLabel, fold,
    split_qualifier,
};

/// A layout file's text and what it approximates.
pub struct Written {
    /// The TOML text.
    pub text: String,
    /// What the file could not say as the source has it, in Chinese.
    pub approximations: Vec<String>,
}

/// A TOML string.
fn q(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn n(text: &str) -> String {
    fold::label(text)
}

fn column_key(c: Column) -> &'static str {
    match c {
        Column::Block => "block",
        Column::Level1 => "level1",
        Column::Level2 => "level2",
        Column::Name => "name",
        Column::Target => "target",
        Column::TargetSign => "target_sign",
        Column::TargetValue => "target_value",
        Column::TargetUnit => "target_unit",
        Column::Actual => "actual",
        Column::Weight => "weight",
        Column::Score => "score",
        Column::Deviation => "deviation",
        Column::TargetAdjusted => "target_adjusted",
        Column::Coefficient => "coefficient",
        Column::Core => "core",
        Column::Level1Weight => "level1_weight",
        Column::Level2Weight => "level2_weight",
        Column::Criteria => "criteria",
        Column::Explanation => "explanation",
    }
}

fn funds_key(h: FundsHeader) -> &'static str {
    match h {
        FundsHeader::Initial => "initial",
        FundsHeader::Budget => "budget",
        FundsHeader::Executed => "executed",
        FundsHeader::Weight => "weight",
        FundsHeader::Rate => "rate",
        FundsHeader::Score => "score",
        FundsHeader::Reason => "reason",
    }
}

/// The width (mm) a column of `role` gets when the source's is not known.
fn usual_width(role: Column) -> f32 {
    match role {
        Column::Block => 11.0,
        Column::Level1 | Column::Weight | Column::Score => 16.0,
        Column::Level2 | Column::TargetSign | Column::TargetUnit => 18.0,
        Column::TargetValue => 18.0,
        Column::Name => 36.0,
        Column::Target | Column::Actual => 24.0,
        Column::Deviation | Column::Criteria | Column::Explanation => 36.0,
        Column::TargetAdjusted => 24.0,
        Column::Coefficient | Column::Core | Column::Level1Weight | Column::Level2Weight => 16.0,
    }
}

/// The file under construction.
struct Out<'a> {
    base: &'a Layout,
    form: &'a SourcedForm,
    found: &'a Found,
    notes: Vec<String>,
    /// The paper and orientation chosen (landscape: true).
    paper: Option<(Paper, bool)>,
}

impl Out<'_> {
    fn approx(&mut self, text: String) {
        self.notes.push(text);
    }

    /// `spot`'s text when `ok` says the reader knows it for its place, else `fallback`, said.
    fn label(
        &mut self,
        what: &str,
        spot: Option<&Spot>,
        ok: impl Fn(&str) -> bool,
        fallback: &str,
    ) -> String {
        match spot {
            Some(s) if ok(&n(&s.text)) => s.text.clone(),
            Some(s) => {
                self.approx(format!(
                    "{what}“{}”（{}）不是读表认得的写法，改用“{}”",
                    one_line(&s.text),
                    s.at,
                    one_line(fallback)
                ));
                fallback.to_string()
            }
            None => fallback.to_string(),
        }
    }
}

fn one_line(text: &str) -> String {
    text.replace('\n', " ")
}

/// The form's year in `text` made a template: `（2022年度）` → `{{#if year}}（{{year}}年度）{{/if}}`.
fn year_template(text: &str, year: Option<i32>) -> String {
    let Some(y) = year.map(|y| y.to_string()) else {
        return text.to_string();
    };
    let Some(at) = text.find(&y) else {
        return text.to_string();
    };
    let after = &text[at + y.len()..];
    let before = &text[..at];
    let open = before.ends_with(['(', '（']);
    let close_len = if after.starts_with("年度") {
        "年度".len()
    } else if after.starts_with('年') {
        '年'.len_utf8()
    } else {
        0
    };
    let tail = &after[close_len..];
    let closes = open && tail.starts_with([')', '）']);
    let (start, end) = if closes {
        let open_len = before.chars().last().map_or(0, char::len_utf8);
        let close = tail.chars().next().map_or(0, char::len_utf8);
        (at - open_len, at + y.len() + close_len + close)
    } else {
        (at, at + y.len() + close_len)
    };
    let inner = text[start..end].replacen(&y, "{{year}}", 1);
    format!(
        "{}{{{{#if year}}}}{inner}{{{{/if}}}}{}",
        &text[..start],
        &text[end..]
    )
}

/// Writes the layout file of `found`, the layout of `form`, called `name`.
pub fn write(name: &str, found: &Found, form: &SourcedForm) -> Written {
    // The built-in layout of the form's kind (and year) gives what the source does not show.
    let base = Layout::for_form(&form.form);
    let mut out = Out {
        base,
        form,
        found,
        notes: Vec::new(),
        paper: None,
    };
    let columns = table_columns(&mut out);
    let mut body = String::new();
    page_and_title(&mut out, &columns, &mut body);
    header_block(&mut out, &mut body);
    funds_block(&mut out, &columns, &mut body);
    goals_and_indicators(&mut out, &mut body);
    table_block(&mut out, &columns, &mut body);
    after_table(&mut out, &mut body);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# 由 {} 的原表导出的表样（jixiao layouts --from）。",
        one_line(&form.source)
    );
    if found.print.widths.is_empty() {
        let _ = writeln!(
            text,
            "# 源文件没有给出列宽：列宽按各列用途的常用宽度排满版心，纸张按表的宽度选择。"
        );
    } else {
        let _ = writeln!(
            text,
            "# 列宽按源文件的列宽等比排满版心，纸张与方向取自源文件（未给出时为 A4，按表宽选方向）。"
        );
    }
    let _ = writeln!(
        text,
        "# 字号、页边距、签字栏取自默认表样；其余文字取自原表，原表没有的沿用默认表样。"
    );
    for note in &out.notes {
        let _ = writeln!(text, "# 近似：{}", one_line(note));
    }
    let _ = writeln!(text, "name = {}", q(name));
    let _ = writeln!(
        text,
        "description = {}",
        q(&format!("与 {} 原表相同的表样", one_line(&form.source)))
    );
    if form.form.kind == FormKind::Department {
        let _ = writeln!(text, "kind = \"{}\"", FormKind::Department.key());
    }
    let _ = writeln!(text, "sheet = {}", q(&form.cells.sheet));
    let _ = writeln!(text, "tree = {}", q(&tree_name(form, base)));
    text.push_str(&body);
    Written {
        text,
        approximations: out.notes,
    }
}

/// The tree most of the form's indicators follow (the base layout's on a tie).
fn tree_name(form: &SourcedForm, base: &Layout) -> String {
    let trees = &vocabulary::get().trees;
    let fits = |t: &vocabulary::Tree| {
        form.form
            .indicators
            .iter()
            .filter(|i| t.has(&fold::spaceless(&i.level1), &fold::spaceless(&i.level2)))
            .count()
    };
    let base_fit = fits(base.tree());
    trees
        .iter()
        .filter(|t| fits(t) > base_fit)
        .max_by_key(|t| fits(t))
        .map_or_else(|| base.tree().name.clone(), |t| t.name.clone())
}

/// The table's columns: role, header, width; the block-label column first, the roles a
/// layout needs added where the source has none.
fn table_columns(out: &mut Out<'_>) -> Vec<(Column, String, f32)> {
    let v = vocabulary::get();
    let base_header = |role: Column| {
        out.base
            .table
            .columns
            .iter()
            .find(|c| c.role == role)
            .map_or_else(|| v.columns.name(role).to_string(), |c| c.header.clone())
    };
    let mut cols: Vec<(Column, String)> = Vec::new();
    let found: Vec<(Column, Spot)> = out.found.columns.clone();
    let split = found.iter().any(|(c, _)| *c == Column::TargetSign);
    for (role, spot) in &found {
        let fits = |t: &str| match v.columns.find(t) {
            Some(Column::TargetValue) if *role == Column::Target => true,
            found => found == Some(*role),
        };
        let fallback = base_header(*role);
        let header = if spot.text.is_empty() {
            fallback
        } else {
            out.label("表头", Some(spot), fits, &fallback)
        };
        cols.push((*role, header));
    }
    if out.found.indicators_label.is_none() && !found.is_empty() {
        out.approx("原表没有“绩效指标”一列，版式左侧仍有块标签列".to_string());
    }
    cols.insert(0, (Column::Block, String::new()));
    let mut needed = vec![Column::Level1, Column::Level2, Column::Name];
    if split {
        needed.extend([Column::TargetSign, Column::TargetValue, Column::TargetUnit]);
    } else {
        needed.push(Column::Target);
    }
    needed.extend([
        Column::Actual,
        Column::Weight,
        Column::Score,
        Column::Deviation,
    ]);
    for (k, role) in needed.iter().enumerate() {
        if cols.iter().any(|(r, _)| r == role) {
            continue;
        }
        if !found.is_empty() {
            out.approx(format!("原表没有“{}”列，版式补上", role.label()));
        }
        // After the role that comes before it in the usual order.
        let at = needed[..k]
            .iter()
            .rev()
            .find_map(|p| cols.iter().position(|(r, _)| r == p))
            .map_or(1, |p| p + 1);
        cols.insert(at, (*role, base_header(*role)));
    }
    for extra in &out.found.columns_extra {
        out.approx(format!(
            "原表的列“{}”（{}）并入“{}”",
            one_line(&extra.text),
            extra.at,
            Column::Deviation.label()
        ));
    }
    let measured = measured_widths(out.found, &cols);
    let widths: Vec<f32> = match &measured {
        Some(w) => w.clone(),
        None => cols.iter().map(|(r, _)| usual_width(*r)).collect(),
    };
    let sum: f32 = widths.iter().sum();
    let (paper, landscape) = paper(out.found, sum, cols.len(), split);
    out.paper = Some((paper, landscape));
    let printable = printable_width(paper, landscape, out.base);
    let scale = printable / sum;
    cols.into_iter()
        .zip(widths)
        .map(|((r, h), w)| (r, h, (w * scale * 10.0).floor() / 10.0))
        .collect()
}

/// The widths (mm) of the table's columns as the file sets them: each from its sheet column
/// to the next one's (the columns of a merged header cell together); `None` when the file
/// gives no widths (a column the layout added gets its usual width).
fn measured_widths(found: &Found, cols: &[(Column, String)]) -> Option<Vec<f32>> {
    let print = &found.print;
    if print.widths.is_empty() {
        return None;
    }
    // A character of the default font is about 7 px wide, plus 5 px of padding, at 96 dpi.
    let mm = |chars: f32| (chars * 7.0 + 5.0) * 25.4 / 96.0;
    let width = |c: u32| mm(print.width(c).unwrap_or(8.43));
    let start = |role: Column| match role {
        Column::Block => found.indicators_label.as_ref().map(|s| u32::from(s.at.col)),
        role => found
            .columns
            .iter()
            .find(|(c, _)| *c == role)
            .map(|(_, s)| u32::from(s.at.col)),
    };
    let starts: Vec<Option<u32>> = cols.iter().map(|(r, _)| start(*r)).collect();
    let right = u32::from(found.span.1);
    Some(
        cols.iter()
            .enumerate()
            .map(|(k, (role, _))| match starts[k] {
                Some(first) => {
                    let next = starts[k + 1..]
                        .iter()
                        .flatten()
                        .copied()
                        .find(|&n| n > first)
                        .unwrap_or(right.max(first) + 1);
                    (first..next).map(width).sum::<f32>().max(3.0)
                }
                None => usual_width(*role),
            })
            .collect(),
    )
}

/// The paper and orientation: as the file says, else A4, landscape when the table is wider
/// than portrait A4 leaves room for.
fn paper(found: &Found, width_mm: f32, columns: usize, split: bool) -> (Paper, bool) {
    let print = &found.print;
    let paper = match print.paper {
        Some(8) => Paper::A3,
        Some(13) => Paper::B5,
        Some(1) => Paper::Letter,
        _ => Paper::A4,
    };
    let landscape = match print.landscape {
        Some(l) => l,
        None if !print.widths.is_empty() => width_mm > 200.0,
        None => split || columns > 10,
    };
    (paper, landscape)
}

fn printable_width(paper: Paper, landscape: bool, base: &Layout) -> f32 {
    let (w, h) = paper.size_mm();
    let width = if landscape { h } else { w };
    width - base.page.margin_left - base.page.margin_right - 0.1
}

fn paper_key(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "A4",
        Paper::A3 => "A3",
        Paper::B5 => "B5",
        Paper::Letter => "Letter",
    }
}

/// `[page]`, `[fonts]`, `[cells]`, `[title]` and the corner cells.
fn page_and_title(out: &mut Out<'_>, columns: &[(Column, String, f32)], body: &mut String) {
    let p = &out.base.page;
    let _ = columns;
    let (paper, landscape) = out.paper.unwrap_or((Paper::A4, false));
    let orientation = if landscape { "landscape" } else { "portrait" };
    let _ = write!(
        body,
        "\n[page]\npaper = \"{}\"\norientation = \"{orientation}\"\nmargin_top = {:?}\n\
         margin_bottom = {:?}\nmargin_left = {:?}\nmargin_right = {:?}\nfooter = {}\n",
        paper_key(paper),
        p.margin_top,
        p.margin_bottom,
        p.margin_left,
        p.margin_right,
        q(&p.footer)
    );
    let f = &out.base.fonts;
    let _ = writeln!(body, "\n[fonts]\nfamily = {}", q(&f.family));
    for (key, role) in [
        ("title", f.title),
        ("subtitle", f.subtitle),
        ("label", f.label),
        ("header", f.header),
        ("body", f.body),
        ("notes", f.notes),
        ("signoff", f.signoff),
    ] {
        let _ = writeln!(
            body,
            "{key} = {{ size = {:?}, bold = {} }}",
            role.size, role.bold
        );
    }
    let c = &out.base.cells;
    let _ = writeln!(
        body,
        "\n[cells]\nline_pitch = {:?}\npadding_h = {:?}\npadding_v = {:?}",
        c.line_pitch, c.padding_h, c.padding_v
    );
    let year = out.form.form.year;
    let v = vocabulary::get();
    let title = match &out.found.title {
        Some(t) => year_template(&t.text, year),
        None => out.base.title.text.clone(),
    };
    let plain = title
        .replace("{{#if year}}", "")
        .replace("{{/if}}", "")
        .replace("{{year}}", "2024");
    let title = if v.is_title(&n(&plain)) {
        title
    } else {
        out.approx(format!("标题“{}”改用默认标题", one_line(&title)));
        out.base.title.text.clone()
    };
    let year_line = match &out.found.year_line {
        Some(s) => year_template(&s.text, year),
        None if out.found.title.is_some() => String::new(),
        None => out.base.title.year_line.clone(),
    };
    let _ = writeln!(
        body,
        "\n[title]\ntext = {}\nyear_line = {}",
        q(&title),
        q(&year_line)
    );
    corners(out, body);
}

/// The corner cells as `[[lines]]`, one a row, flush left, centred or flush right by where
/// they stand in the table's width.
fn corners(out: &mut Out<'_>, body: &mut String) {
    let title_row = out.found.title.as_ref().map(|t| t.at.row);
    let (left, right) = out.found.span;
    let mid = (u32::from(left) + u32::from(right)) / 2;
    let mut rows: Vec<u32> = out.found.corners.iter().map(|s| s.at.row).collect();
    rows.dedup();
    for row in rows {
        let mut parts = [String::new(), String::new(), String::new()];
        for s in out.found.corners.iter().filter(|s| s.at.row == row) {
            let col = u32::from(s.at.col);
            let k = if col <= u32::from(left) + 1 {
                0
            } else if s.end >= right || col + 2 >= u32::from(right) || col > mid {
                2
            } else {
                1
            };
            if !parts[k].is_empty() {
                parts[k].push(' ');
            }
            parts[k].push_str(&with_fields(&s.text, out.form));
        }
        let place = if title_row.is_some_and(|t| row < t) {
            "above"
        } else {
            "below"
        };
        let _ = writeln!(body, "\n[[lines]]\nplace = \"{place}\"");
        for (key, text) in ["left", "center", "right"].iter().zip(&parts) {
            if !text.is_empty() {
                let _ = writeln!(body, "{key} = {}", q(text));
            }
        }
    }
}

/// `text` with the form's department and unit made templates (`部门：{{unit}}`), and the
/// braces of handlebars left as written.
fn with_fields(text: &str, form: &SourcedForm) -> String {
    let mut t = text.replace("{{", "{ {");
    let mut fields = [
        (&form.form.unit, "{{unit}}"),
        (&form.form.department, "{{department}}"),
        (&form.form.project, "{{project}}"),
    ];
    fields.sort_by_key(|(v, _)| std::cmp::Reverse(v.chars().count()));
    for (value, key) in fields {
        if value.chars().count() >= 2 && t.contains(value.as_str()) {
            t = t.replacen(value.as_str(), key, 1);
        }
    }
    t
}

/// `[header]`.
fn header_block(out: &mut Out<'_>, body: &mut String) {
    let v = vocabulary::get();
    let spot = |role: HeaderLabel| {
        out.found
            .header
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, s)| s.clone())
    };
    let h = out.base.header.clone();
    let line = |out: &mut Out<'_>, key: &str, role: HeaderLabel, fallback: &str| {
        let s = spot(role);
        let text = out.label(
            "表头标签",
            s.as_ref(),
            |t| v.header.find(t) == Some(role),
            fallback,
        );
        format!("{key} = {}\n", q(&text))
    };
    let mut text = String::from("\n[header]\n");
    if out.form.form.kind == FormKind::Department {
        department_header(out, &mut text, &line);
        body.push_str(&text);
        return;
    }
    text.push_str(&line(out, "project", HeaderLabel::Project, &h.project));
    text.push_str(&line(
        out,
        "department",
        HeaderLabel::Department,
        &h.department,
    ));
    text.push_str(&line(out, "unit", HeaderLabel::Unit, &h.unit));
    let form = &out.form.form;
    let printed = out
        .found
        .header
        .iter()
        .any(|(r, _)| matches!(r, HeaderLabel::Lead | HeaderLabel::Phone));
    // 项目负责人及电话 in one cell.
    let both = out
        .found
        .header
        .iter()
        .find(|(_, s)| v.header.find(&n(&s.text)) == Some(HeaderLabel::LeadPhone))
        .map(|(_, s)| s.text.clone());
    if let Some(both) = both {
        text.push_str(&format!("lead_phone = {}\n", q(&both)));
    } else if form.lead.is_some() || form.phone.is_some() || printed {
        let lead = h.lead.clone().unwrap_or_else(|| "项目负责人".to_string());
        let phone = h.phone.clone().unwrap_or_else(|| "联系电话".to_string());
        text.push_str(&line(out, "lead", HeaderLabel::Lead, &lead));
        text.push_str(&line(out, "phone", HeaderLabel::Phone, &phone));
    }
    body.push_str(&text);
}

/// The header of a department form: its name's label, and 联系人 with 联系电话 when the source
/// prints either (a layout prints the two together; the one the source lacks is said).
fn department_header(
    out: &mut Out<'_>,
    text: &mut String,
    line: &dyn Fn(&mut Out<'_>, &str, HeaderLabel, &str) -> String,
) {
    let h = out.base.header.clone();
    text.push_str(&line(
        out,
        "department",
        HeaderLabel::DepartmentName,
        &h.department,
    ));
    let printed = |role| out.found.header.iter().any(|(r, _)| *r == role);
    let (contact, phone) = (printed(HeaderLabel::Contact), printed(HeaderLabel::Phone));
    let form = &out.form.form;
    if !(contact || phone || form.office.contact.is_some() || form.phone.is_some()) {
        return;
    }
    let v = vocabulary::get();
    for (key, role, shown) in [
        ("contact", HeaderLabel::Contact, contact),
        ("phone", HeaderLabel::Phone, phone),
    ] {
        let fallback = v.header.name(role).to_string();
        if !shown {
            out.approx(format!("原表表头没有“{fallback}”，版式与另一栏一起补上"));
        }
        text.push_str(&line(out, key, role, &fallback));
    }
}

/// `[funds]`: the label with the form's unit, the columns in the source's order placed under
/// the table's columns, the rows in the source's order.
fn funds_block(out: &mut Out<'_>, columns: &[(Column, String, f32)], body: &mut String) {
    let v = vocabulary::get();
    let unit = out.form.form.funds.unit;
    let fallback = match out.form.form.kind {
        FormKind::Department if unit == out.base.funds.unit => out.base.funds.label.clone(),
        FormKind::Department => format!("预算资金（{unit}）"),
        FormKind::Project => format!("项目资金（{unit}）"),
    };
    // The label names the unit, or a header does, or the unit is the reader's default.
    let header_unit = out
        .found
        .funds_columns
        .iter()
        .any(|(_, s)| split_qualifier(&n(&s.text)).1 == Some(Qualifier::Unit(unit)));
    let label_ok = |t: &str| {
        v.blocks.find(t) == Some(Block::Funds)
            && match split_qualifier(t).1 {
                Some(Qualifier::Unit(u)) => u == unit,
                _ => unit == AmountUnit::WanYuan || header_unit,
            }
    };
    let label = out.label(
        "资金块标签（金额单位不是万元时须写明）",
        out.found.funds_label.clone().as_ref(),
        label_ok,
        &fallback,
    );
    let mut rows_at = rows_at(out, columns);
    let funds_columns = funds_columns(out, columns, &mut rows_at);
    let _ = write!(
        body,
        "\n[funds]\nlabel = {}\nrows_at = \"{}\"\nunit = \"{}\"\nempty = {}\ncolumns = [\n",
        q(&label),
        column_key(rows_at),
        unit_key(unit),
        q(&out.base.funds.empty)
    );
    for (role, header, at) in funds_columns {
        let _ = writeln!(
            body,
            "  {{ role = \"{}\", header = {}, at = \"{}\" }},",
            funds_key(role),
            q(&header),
            column_key(at)
        );
    }
    body.push_str("]\nrows = [\n");
    for (kind, label) in funds_rows(out) {
        let _ = writeln!(
            body,
            "  {{ role = \"{}\", label = {} }},",
            row_key(kind),
            q(&label)
        );
    }
    body.push_str("]\n");
}

/// A funds row's role as a layout file writes it (`basic`, not the contract's
/// `expenditure.basic`).
fn row_key(kind: FundsRowKind) -> &'static str {
    match kind {
        FundsRowKind::Basic => "basic",
        FundsRowKind::Project => "project",
        FundsRowKind::ExpenditureOther => "expenditure_other",
        other => other.key(),
    }
}

fn unit_key(unit: AmountUnit) -> &'static str {
    unit.as_str()
}

/// Where the funds rows' labels start: under 一级 when they stand in its column or left of it.
fn rows_at(out: &Out<'_>, _columns: &[(Column, String, f32)]) -> Column {
    let level1 = out
        .found
        .columns
        .iter()
        .find(|(c, _)| *c == Column::Level1)
        .map(|(_, s)| s.at.col);
    let label = out.found.funds_rows.first().map(|(_, s)| s.at.col);
    match (level1, label) {
        (Some(l1), Some(l)) if l <= l1 => Column::Level1,
        (None, _) | (_, None) => out.base.funds.rows_at,
        _ => Column::Level2,
    }
}

/// The funds columns: role, header, the table column they start under.
fn funds_columns(
    out: &mut Out<'_>,
    columns: &[(Column, String, f32)],
    rows_at: &mut Column,
) -> Vec<(FundsHeader, String, Column)> {
    let v = vocabulary::get();
    let mut list: Vec<(FundsHeader, String, Option<u16>)> = out
        .found
        .funds_columns
        .iter()
        .map(|(r, s)| (*r, s.text.clone(), Some(s.at.col)))
        .collect();
    let order = [
        FundsHeader::Initial,
        FundsHeader::Budget,
        FundsHeader::Executed,
        FundsHeader::Weight,
        FundsHeader::Rate,
        FundsHeader::Score,
    ];
    for (k, role) in order.iter().enumerate() {
        if list.iter().any(|(r, _, _)| r == role) {
            continue;
        }
        let header = out
            .base
            .funds
            .columns
            .iter()
            .find(|c| c.role == *role)
            .map_or_else(
                || v.funds_columns.name(*role).to_string(),
                |c| c.header.clone(),
            );
        if !out.found.funds_columns.is_empty() {
            out.approx(format!("原表资金块没有“{header}”列，版式补上"));
        }
        let at = order[..k]
            .iter()
            .rev()
            .find_map(|p| list.iter().position(|(r, _, _)| r == p))
            .map_or(0, |p| p + 1);
        list.insert(at, (*role, header, None));
    }
    let start_of = |at: Column| columns.iter().position(|(c, _, _)| *c == at).unwrap_or(2) + 1;
    if list.len() > columns.len() - start_of(*rows_at) && *rows_at == Column::Level2 {
        // The row labels give the 二级 column to the figures.
        *rows_at = Column::Level1;
    }
    let start = start_of(*rows_at);
    let room = columns.len() - start;
    if list.len() > room
        && let Some(k) = list.iter().position(|(r, _, _)| *r == FundsHeader::Reason)
    {
        out.approx(format!("资金块的“{}”列放不下，略去", one_line(&list[k].1)));
        list.remove(k);
    }
    place_funds(out, columns, start, list)
}

/// Places each funds column under a table column: the one whose sheet column it starts in
/// where that keeps them in order, else the next free one.
fn place_funds(
    out: &mut Out<'_>,
    columns: &[(Column, String, f32)],
    start: usize,
    list: Vec<(FundsHeader, String, Option<u16>)>,
) -> Vec<(FundsHeader, String, Column)> {
    // Sheet column of each table column (the block column and added ones have none).
    let sheet_col = |role: Column| {
        out.found
            .columns
            .iter()
            .find(|(c, _)| *c == role)
            .map(|(_, s)| s.at.col)
    };
    let mut placed = Vec::new();
    let mut next = start;
    let total = list.len();
    for (k, (role, header, col)) in list.into_iter().enumerate() {
        let latest = columns.len() - (total - k);
        let wanted = col.and_then(|c| {
            columns
                .iter()
                .rposition(|(r, _, _)| sheet_col(*r).is_some_and(|s| s <= c))
        });
        let i = wanted.map_or(next, |w| w.max(next)).min(latest);
        placed.push((role, header, columns[i].0));
        next = i + 1;
    }
    placed
}

/// The funds rows: the source's labels in its order, the rows it lacks after them.
fn funds_rows(out: &mut Out<'_>) -> Vec<(FundsRowKind, String)> {
    let v = vocabulary::get();
    let found = out.found.funds_rows.clone();
    // A row the reader knows by its place only (`其他` under 项目支出) gets the words of its
    // role, said.
    let mut rows: Vec<(FundsRowKind, String)> = found
        .iter()
        .map(|(k, s)| {
            let fallback = default_row_label(out.base, *k);
            (
                *k,
                out.label(
                    "资金行标签",
                    Some(s),
                    |t| v.funds_rows.find(t) == Some(*k),
                    &fallback,
                ),
            )
        })
        .collect();
    // A project layout has the four rows of the project form; a department layout the total
    // and the rows of the breakdowns the form has.
    let department = out.form.form.kind == FormKind::Department;
    let funds = &out.form.form.funds;
    let needed: Vec<FundsRowKind> = if department {
        FundsRowKind::EVERY
            .into_iter()
            .filter(|&k| k == FundsRowKind::Total || funds.row(k).is_some())
            .collect()
    } else {
        FundsRowKind::ALL.to_vec()
    };
    for kind in needed {
        if rows.iter().any(|(k, _)| *k == kind) {
            continue;
        }
        let label = default_row_label(out.base, kind);
        if !out.found.funds_rows.is_empty() {
            out.approx(format!("原表资金块没有“{label}”行，版式补上"));
        }
        rows.push((kind, label));
    }
    for extra in out.found.funds_extra.clone() {
        out.approx(format!(
            "资金块的行“{}”（{}）在版式中没有自己的行（表中的资金只分年度资金总额与其来源、支出性质各行）",
            one_line(&extra.text),
            extra.at
        ));
    }
    rows
}

/// The label of a funds row the source does not print as the reader knows it: the base
/// layout's, else the vocabulary's name of the row.
fn default_row_label(base: &Layout, kind: FundsRowKind) -> String {
    base.funds.rows.iter().find(|r| r.role == kind).map_or_else(
        || vocabulary::get().funds_rows.name(kind).to_string(),
        |r| r.label.clone(),
    )
}

/// `[goals]` and `[indicators]`.
fn goals_and_indicators(out: &mut Out<'_>, body: &mut String) {
    let v = vocabulary::get();
    let g = out.base.goals.clone();
    let label = out.label(
        "目标块标签",
        out.found.goals_label.clone().as_ref(),
        |t| v.blocks.find(t) == Some(Block::Goals),
        &g.label,
    );
    let expected = out.label(
        "目标标签",
        out.found.expected.clone().as_ref(),
        |t| v.goals.find(t) == Some(GoalLabel::Expected),
        &g.expected,
    );
    let achieved = out.label(
        "目标标签",
        out.found.achieved.clone().as_ref(),
        |t| v.goals.find(t) == Some(GoalLabel::Achieved),
        &g.achieved,
    );
    let _ = writeln!(
        body,
        "\n[goals]\nlabel = {}\nexpected = {}\nachieved = {}",
        q(&label),
        q(&expected),
        q(&achieved)
    );
    let i = out.base.indicators.clone();
    let label = out.label(
        "指标块标签",
        out.found.indicators_label.clone().as_ref(),
        |t| {
            v.blocks.find(t) == Some(Block::Indicators)
                && v.rows.find(t) == Some(RowLabel::Continued)
        },
        &i.label,
    );
    let _ = writeln!(body, "\n[indicators]\nlabel = {}", q(&label));
    if let Some(c) = &i.continued {
        let _ = writeln!(body, "continued = {}", q(c));
    }
    if let Some(subtotal) = subtotal_template(out) {
        let _ = writeln!(body, "subtotal = {}", q(&subtotal));
    }
}

/// The template of a 一级 cell with its subtotal, from the first such cell: `产出指标(50分)` →
/// `{{level1}}({{points}}分)`.
fn subtotal_template(out: &mut Out<'_>) -> Option<String> {
    let (spot, level1, points) = out.found.subtotal.clone()?;
    let fallback = "{{level1}}({{points}}分)".to_string();
    let text = spot.text.as_str();
    let Some(at) = text.rfind(points.as_str()) else {
        out.approx(format!("一级指标小计“{}”的写法改为默认", one_line(text)));
        return Some(fallback);
    };
    let (prefix, suffix) = (&text[..at], &text[at + points.len()..]);
    // Past the name: its characters in order, spaces between them skipped.
    let mut wanted = level1.chars().filter(|c| !c.is_whitespace()).peekable();
    let mut cut = 0;
    for (k, c) in prefix.char_indices() {
        if wanted.peek().is_none() {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        if Some(&c) == wanted.peek() {
            wanted.next();
            cut = k + c.len_utf8();
        } else {
            break;
        }
    }
    if wanted.peek().is_some() {
        out.approx(format!("一级指标小计“{}”的写法改为默认", one_line(text)));
        return Some(fallback);
    }
    let template = format!("{{{{level1}}}}{}{{{{points}}}}{}", &prefix[cut..], suffix);
    // The reader must find the name before the subtotal's qualifier.
    let shown = template
        .replace("{{level1}}", "产出指标")
        .replace("{{points}}", "50");
    if split_qualifier(&n(&shown)).0 != "产出指标" {
        out.approx(format!("一级指标小计“{}”的写法改为默认", one_line(text)));
        return Some(fallback);
    }
    Some(template)
}

/// `[table]`: the middle and the columns.
fn table_block(out: &mut Out<'_>, columns: &[(Column, String, f32)], body: &mut String) {
    // The right half starts where 实施单位 or 实际完成情况 stands.
    let right_half = out
        .found
        .achieved
        .as_ref()
        .or(out
            .found
            .header
            .iter()
            .find(|(r, _)| *r == HeaderLabel::Unit)
            .map(|(_, s)| s))
        .map(|s| s.at.col);
    let sheet_col = |role: Column| {
        out.found
            .columns
            .iter()
            .find(|(c, _)| *c == role)
            .map(|(_, s)| s.at.col)
    };
    let found = right_half.and_then(|c| {
        columns
            .iter()
            .rposition(|(r, _, _)| sheet_col(*r).is_some_and(|s| s <= c))
    });
    let fallback = columns
        .iter()
        .position(|(r, _, _)| *r == out.base.table.middle)
        .or_else(|| columns.iter().position(|(r, _, _)| *r == Column::Actual))
        .unwrap_or(4);
    let middle = found
        .filter(|&m| m >= 3 && m + 1 < columns.len())
        .unwrap_or(fallback);
    let _ = writeln!(
        body,
        "\n[table]\nmiddle = \"{}\"\ncolumns = [",
        column_key(columns[middle].0)
    );
    for (role, header, width) in columns {
        if *role == Column::Block {
            let _ = writeln!(body, "  {{ role = \"block\", width = {width:?} }},");
        } else {
            let _ = writeln!(
                body,
                "  {{ role = \"{}\", header = {}, width = {width:?} }},",
                column_key(*role),
                q(header)
            );
        }
    }
    body.push_str("]\n");
}

/// `[total]`, `[closing]`, `[notes]`, `[signoff]` and `[templates]`.
fn after_table(out: &mut Out<'_>, body: &mut String) {
    let v = vocabulary::get();
    let total = out.label(
        "总分标签",
        out.found.total.clone().as_ref(),
        |t| v.rows.find(t) == Some(RowLabel::Total),
        &out.base.total.label.clone(),
    );
    let _ = writeln!(body, "\n[total]\nlabel = {}", q(&total));
    if out.found.closing_before_total {
        out.approx("原表在总分行之前的结尾行移到总分行之后".to_string());
    }
    let rows: Vec<Vec<String>> = if out.found.closing.is_empty() && out.found.total.is_none() {
        out.base.closing.rows.clone()
    } else {
        out.found
            .closing
            .iter()
            .map(|r| r.iter().map(|s| s.text.replace("{{", "{ {")).collect())
            .collect()
    };
    body.push_str("\n[closing]\nrows = [\n");
    for row in rows {
        let texts: Vec<String> = row.iter().map(|t| q(t)).collect();
        let _ = writeln!(body, "  [{}],", texts.join(", "));
    }
    body.push_str("]\n");
    let notes = match &out.found.notes {
        Some(s) => s.text.clone(),
        None => {
            if out.found.total.is_some() {
                out.approx("原表没有填报注意事项，沿用默认表样的说明".to_string());
            }
            out.base.notes.text.clone()
        }
    };
    let _ = writeln!(body, "\n[notes]\ntext = {}", q(&notes));
    let s = &out.base.signoff;
    let roles: Vec<String> = s.roles.iter().map(|r| q(r)).collect();
    let _ = writeln!(
        body,
        "\n[signoff]\nroles = [{}]\ndate = {}\nseal = {}\nseal_size = {:?}\nsignature = {}",
        roles.join(", "),
        q(&s.date),
        q(&s.seal),
        s.seal_size,
        q(&s.signature)
    );
    let t = &out.base.templates;
    let _ = writeln!(
        body,
        "\n[templates]\noutput = {}\nsubject = {}\nkeywords = {}",
        q(&t.output),
        q(&t.subject),
        q(&t.keywords)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_becomes_a_template() {
        assert_eq!(
            year_template("(2022年度)", Some(2022)),
            "{{#if year}}({{year}}年度){{/if}}"
        );
        assert_eq!(
            year_template("2022年度项目支出绩效自评表", Some(2022)),
            "{{#if year}}{{year}}年度{{/if}}项目支出绩效自评表"
        );
        assert_eq!(
            year_template("部门预算项目支出绩效自评表（2023年度）", Some(2023)),
            "部门预算项目支出绩效自评表{{#if year}}（{{year}}年度）{{/if}}"
        );
        assert_eq!(
            year_template("项目支出绩效自评表", Some(2023)),
            "项目支出绩效自评表"
        );
    }
}
