//! The lists that go with the forms, as grids: the 审核意见 sheet of a form's workbook, and
//! the sheets of the department summary (汇总表). A spreadsheet paginates a
//! list itself: list grids have no pages, and repeat their title row.
//!
//! Nothing a file holds can stop a list from being written: every text from a file is
//! escaped and cut to what a cell holds, and a sheet that would pass Excel's row limit ends
//! with a row saying how many were left out.

use rust_decimal::Decimal;

use super::grid::{
    Cell, ColumnChart, DocInfo, ERROR_FILL, Grid, HAlign, PageSetup, Paper, Style, StyleId,
    TextSetup, VAlign, Value,
};
use crate::fonts;
use crate::model::{CellRef, FormKind};
use crate::report::Report;
use crate::score::Grade;
use crate::summary::{
    FailedInput, Grouping, SummaryColumn, SummaryFormat, SummaryRow, SummaryValue, column_letter,
};
use crate::text::{self, MAX_CELL, fit_utf16};
use crate::validate::Severity;

/// The rows of a worksheet (Excel's limit).
const MAX_ROWS: u32 = 1_048_576;

/// The most data rows of a summary sheet: the room below the header, less the rows written
/// after them (the note on what was left out, the 合计 and the counts per grade).
const MAX_DATA_ROWS: u32 = MAX_ROWS - 1 - 8;

/// The font size of lists.
const SIZE: f32 = 10.0;

/// The fill of a list's title row.
const HEADER_FILL: u32 = 0xDDEBF7;

/// How the cells of a list look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// The title row.
    Header,
    /// Plain text or figures.
    Plain,
    /// A long text, wrapped.
    Wrapped,
    /// A row of an error finding: wrapped, filled.
    Error,
    /// 合计.
    Total,
}

/// A list under construction: columns of a width in characters, rows of cells.
struct List {
    charts: Vec<ColumnChart>,
    sheet: String,
    columns: Vec<f32>,
    rows: Vec<f32>,
    cells: Vec<Cell>,
    styles: Vec<Style>,
    looks: Vec<Look>,
    text: TextSetup,
    header_fill: Option<u32>,
    /// Whether cells keep their wrapped lines. The sheets of 汇总表 are only ever written as
    /// a workbook, which shows a cell's value: they measure each row from the lines and keep
    /// none, since on a batch of 10 000 forms the copies were a third of the summary's
    /// memory (benches/batch.rs).
    keep_lines: bool,
}

/// Points of a column `chars` characters wide (Excel's measure: 7 pixels a character and 5
/// of padding, 0.75 point a pixel).
fn chars_wide(chars: f32) -> f32 {
    (chars * 7.0 + 5.0) * 0.75
}

impl List {
    fn new(sheet: &str, columns: &[(&str, f32)], header_fill: Option<u32>) -> List {
        let mut list = List {
            charts: Vec::new(),
            sheet: sheet.to_string(),
            columns: columns.iter().map(|(_, w)| chars_wide(*w)).collect(),
            rows: Vec::new(),
            cells: Vec::new(),
            styles: Vec::new(),
            looks: Vec::new(),
            text: TextSetup {
                line_pitch: 1.45,
                pad_h: 4.0,
                pad_v: 2.5,
            },
            header_fill,
            keep_lines: true,
        };
        let r = list.row();
        for (col, (title, _)) in columns.iter().enumerate() {
            list.put(
                r,
                col as u16,
                Value::Text((*title).to_string()),
                Look::Header,
            );
        }
        list
    }

    fn style(&mut self, look: Look) -> StyleId {
        if let Some(i) = self.looks.iter().position(|l| *l == look) {
            return StyleId(i);
        }
        let plain = Style {
            size: SIZE,
            bold: false,
            h_align: HAlign::Left,
            v_align: VAlign::Center,
            border: true,
            fill: None,
            wrap: false,
        };
        self.styles.push(match look {
            Look::Header => Style {
                bold: true,
                h_align: HAlign::Center,
                fill: self.header_fill,
                ..plain
            },
            Look::Plain => plain,
            Look::Wrapped => Style {
                wrap: true,
                ..plain
            },
            Look::Error => Style {
                wrap: true,
                fill: Some(ERROR_FILL),
                ..plain
            },
            Look::Total => Style {
                bold: true,
                ..plain
            },
        });
        self.looks.push(look);
        StyleId(self.styles.len() - 1)
    }

    /// The same list, its cells from now on measured but written without their lines (see
    /// [`List::keep_lines`]).
    fn without_lines(mut self) -> List {
        self.keep_lines = false;
        for cell in &mut self.cells {
            cell.lines = Vec::new();
        }
        self
    }

    /// A new row, one line high.
    fn row(&mut self) -> u32 {
        self.rows.push(self.text.height(1, SIZE));
        self.rows.len() as u32 - 1
    }

    /// A cell; a wrapped one makes its row as tall as its lines.
    fn put(&mut self, row: u32, col: u16, value: Value, look: Look) {
        let style = self.style(look);
        let shown = value.display();
        let lines = if matches!(look, Look::Wrapped | Look::Error) {
            // wrap() measures a line that fits in one pass.
            let width = self.columns[col as usize] - 2.0 * self.text.pad_h;
            super::text::wrap(&shown, width, SIZE, fonts::metrics(false))
        } else {
            shown.split('\n').map(str::to_string).collect()
        };
        let height = self.text.height(lines.len(), SIZE);
        let r = &mut self.rows[row as usize];
        *r = r.max((height * 100.0).ceil() / 100.0);
        let lines = if self.keep_lines { lines } else { Vec::new() };
        self.cells.push(Cell {
            row,
            col,
            rows: 1,
            cols: 1,
            value,
            lines,
            style,
        });
    }

    /// A cell over `cols` columns from `col`, its text wrapped (when its look wraps) to their
    /// width together.
    fn put_span(&mut self, row: u32, col: u16, cols: u16, value: Value, look: Look) {
        let wide: f32 = self.columns[col as usize..(col + cols) as usize]
            .iter()
            .sum();
        let own = std::mem::replace(&mut self.columns[col as usize], wide);
        self.put(row, col, value, look);
        self.columns[col as usize] = own;
        if let Some(cell) = self.cells.last_mut() {
            cell.cols = cols;
        }
    }

    /// Text from a file, as a cell shows it: control characters escaped, at most what a cell
    /// holds.
    fn text(&mut self, row: u32, col: u16, text: &str, look: Look) {
        self.put(row, col, Value::Text(text::cell(text)), look);
    }

    fn grid(self, font_family: &str, info: DocInfo) -> Grid {
        let last_row = self.rows.len() as u32 - 1;
        let last_col = self.columns.len() as u16 - 1;
        let mm = super::grid::PT_PER_MM;
        Grid {
            sheet: self.sheet,
            font_family: font_family.to_string(),
            page: PageSetup {
                paper: Paper::A4,
                landscape: true,
                width: 297.0 * mm,
                height: 210.0 * mm,
                top: 15.0 * mm,
                bottom: 15.0 * mm,
                left: 12.0 * mm,
                right: 12.0 * mm,
                footer: 7.5 * mm,
            },
            text: self.text,
            footer: Vec::new(),
            footer_size: 9.0,
            columns: self.columns,
            rows: self.rows,
            cells: self.cells,
            styles: self.styles,
            header_rows: Some((0, 0)),
            pages: Vec::new(),
            info,
            notes: Vec::new(),
            general: Vec::new(),
            validations: Vec::new(),
            freeze: Some((1, 0)),
            filter: Some((0, 0, last_row.max(1), last_col)),
            seal: None,
            appendix: Vec::new(),
            charts: self.charts,
        }
    }
}

/// A score with two decimals.
fn score(value: Decimal) -> Value {
    Value::Number { value, decimals: 2 }
}

/// A figure as it was filed, with its own decimals.
fn filed(value: Option<Decimal>) -> Value {
    value.map_or(Value::Text("未填".to_string()), Value::number)
}

/// The sheet that goes with a form's grid, `审核意见`: first the figures of the form as filed
/// and as jixiao computes them, each named (复核结果); then every finding, with the cell of
/// `form` it is pinned to. One sheet: a workbook's every sheet costs time to write.
pub fn review(form: &Grid, report: &Report) -> Grid {
    let mut list = List::new(
        "审核意见",
        &[
            ("复核项目", 24.0),
            ("数值", 22.0),
            ("", 8.0),
            ("说明", 90.0),
        ],
        None,
    );
    let r = &report.review;
    let f = &report.form;
    let percent = |p: Decimal| Value::Percent {
        value: p / Decimal::ONE_HUNDRED,
        decimals: 2,
    };
    let none = || Value::Text("—".to_string());
    let figures: Vec<(&str, Value, String)> = vec![
        (
            "执行率（C/B）",
            r.execution_rate.map_or_else(none, percent),
            "按规则计算：全年执行数 ÷ 全年预算数（年度资金总额）".into(),
        ),
        (
            "预算执行得分（填报）",
            filed(f.funds.score),
            "表中所填".into(),
        ),
        (
            "预算执行得分（按规则）",
            r.funds_score.map_or_else(none, score),
            "按规则计算：min(执行率, 100%) × 分值".into(),
        ),
        ("总分（填报）", filed(f.total_score), "表中所填".into()),
        (
            "自评总分",
            score(r.total),
            format!(
                "按规则计算：填报的预算执行得分与各指标得分之和；等级：{}",
                r.grade
            ),
        ),
        (
            "复核总分",
            score(r.reviewed_total),
            format!(
                "按规则计算：预算执行得分按规则计，各指标取填报得分与按规则计算得分中的较低者；等级：{}",
                r.reviewed_grade
            ),
        ),
    ];
    for (label, value, note) in figures {
        let row = list.row();
        list.put(row, 0, Value::Text(label.to_string()), Look::Plain);
        list.put(row, 1, value, Look::Plain);
        list.put(row, 2, Value::Empty, Look::Plain);
        list.put(row, 3, Value::Text(note), Look::Wrapped);
    }
    list.row();
    let head = list.row();
    for (col, title) in ["单元格", "代码", "级别", "说明"].into_iter().enumerate() {
        list.put(
            head,
            col as u16,
            Value::Text(title.to_string()),
            Look::Header,
        );
    }
    let place = |row, col| format!("{}!{}", form.sheet, CellRef { row, col });
    let rows = form
        .notes
        .iter()
        .map(|n| (place(n.row, n.col), n))
        .chain(form.general.iter().map(|n| (String::new(), n)));
    for (cell, n) in rows {
        let look = if n.severity == Severity::Error {
            Look::Error
        } else {
            Look::Wrapped
        };
        let r = list.row();
        list.put(r, 0, Value::Text(cell), look);
        list.put(r, 1, Value::Text(n.code.to_string()), look);
        list.put(r, 2, Value::Text(n.severity.label().to_string()), look);
        list.put(
            r,
            3,
            Value::Text(fit_utf16(&n.message, MAX_CELL).into_owned()),
            look,
        );
    }
    let last = list.rows.len() as u32 - 1;
    let mut grid = list.grid(&form.font_family, form.info.clone());
    grid.header_rows = Some((head, head));
    grid.freeze = None;
    grid.filter = Some((head, 0, last.max(head + 1), 3));
    grid
}

/// 汇总表: one row per project form with its funds, scores and grades, a 合计 row and counts
/// per grade; when the batch holds department-wide forms, the same for them on a sheet of
/// their own (部门整体, with the department's columns), and the project forms of a department
/// listed under it ([`Grouping`]: a heading naming the department form, the forms, a 小计),
/// with the joins not made said below the counts; then the sheets of every finding and every
/// input that failed. `grouping` is [`Grouping::of`] these rows, made once by the caller (the
/// manifest names the same joins). `created` (RFC 3339) dates it.
pub fn summary_grid(
    rows: &[SummaryRow],
    grouping: &Grouping,
    failures: &[FailedInput],
    created: &str,
) -> Grid {
    let info = DocInfo {
        title: "项目支出绩效自评汇总表".to_string(),
        created: created.to_string(),
        ..DocInfo::default()
    };
    let of =
        |kind: FormKind| -> Vec<&SummaryRow> { rows.iter().filter(|r| r.kind == kind).collect() };
    let doubts: Vec<(&str, String)> = grouping
        .doubts
        .iter()
        .map(|d| (rows[d.row].source.as_str(), d.message(rows)))
        .collect();
    let projects = project_parts(rows, grouping);
    let mut grid =
        forms_sheet("汇总", FormKind::Project, &projects, &doubts).grid("宋体", info.clone());
    let departments = of(FormKind::Department);
    if !departments.is_empty() {
        let all = [Part {
            heading: None,
            rows: departments,
        }];
        grid.appendix.push(
            forms_sheet("部门整体", FormKind::Department, &all, &[]).grid("宋体", info.clone()),
        );
    }
    grid.appendix
        .push(findings_sheet(rows).grid("宋体", info.clone()));
    let mut failed = failures_sheet(failures).grid("宋体", info);
    failed.filter = None;
    grid.appendix.push(failed);
    grid
}

/// A run of rows of a sheet of forms: all of them (no heading), or the project forms of one
/// department under a heading that names its department form, or those of none.
struct Part<'a> {
    heading: Option<String>,
    rows: Vec<&'a SummaryRow>,
}

/// The project forms of `rows` in parts: as they come when none is under a department form;
/// else each department form's, under it, in the order of the department forms, then those
/// under none.
fn project_parts<'a>(rows: &'a [SummaryRow], grouping: &Grouping) -> Vec<Part<'a>> {
    let projects = |under: &dyn Fn(usize) -> bool| -> Vec<&'a SummaryRow> {
        rows.iter()
            .enumerate()
            .filter(|(i, r)| r.kind == FormKind::Project && under(*i))
            .map(|(_, r)| r)
            .collect()
    };
    if grouping.is_empty() {
        return vec![Part {
            heading: None,
            rows: projects(&|_| true),
        }];
    }
    let mut parts: Vec<Part<'a>> = grouping
        .groups()
        .into_iter()
        .map(|(d, members)| {
            let department = &rows[d];
            Part {
                heading: Some(format!(
                    "部门整体：{}（{}；自评总分 {}，{}；复核总分 {}，{}）：以下项目表的实施单位或主管部门与之同名",
                    department.department,
                    department.source,
                    department.total,
                    department.grade,
                    department.reviewed_total,
                    department.reviewed_grade,
                )),
                rows: members.into_iter().map(|i| &rows[i]).collect(),
            }
        })
        .collect();
    let rest = projects(&|i| grouping.under[i].is_none());
    if !rest.is_empty() {
        parts.push(Part {
            heading: Some("未归入部门整体表的项目表".to_string()),
            rows: rest,
        });
    }
    parts
}

/// Writes, in a new row, how many were left out.
fn left_out(list: &mut List, n: usize, what: &str) {
    if n > 0 {
        let r = list.row();
        list.put(
            r,
            0,
            Value::Text(format!("另有 {n} {what}未列出（超过 Excel 的行数上限）")),
            Look::Total,
        );
    }
}

fn count(n: usize) -> Value {
    Value::Number {
        value: Decimal::from(n as u64),
        decimals: 0,
    }
}

fn formula(formula: String, result: Value) -> Value {
    Value::Formula {
        formula,
        result: Box::new(result),
    }
}

/// A row's value in `column`, as the sheet writes it: text escaped and cut to a cell, each
/// figure in its column's format.
fn summary_cell(column: SummaryColumn, row: &SummaryRow) -> Value {
    match column.value(row) {
        SummaryValue::Text(t) => Value::Text(text::cell(t)),
        SummaryValue::Figure(figure) => figure
            .and_then(|value| figure_value(column.format(), value))
            .unwrap_or(Value::Empty),
        SummaryValue::Count(n) => count(n),
    }
}

/// A figure in `format`; `None` for a rate that cannot be a fraction.
fn figure_value(format: SummaryFormat, value: Decimal) -> Option<Value> {
    Some(match format {
        SummaryFormat::Amount => Value::Number { value, decimals: 6 },
        SummaryFormat::Percent => Value::Percent {
            value: value.checked_div(Decimal::ONE_HUNDRED)?,
            decimals: 2,
        },
        SummaryFormat::Score => score(value),
        SummaryFormat::Count => Value::Number { value, decimals: 0 },
        SummaryFormat::Text => Value::Text(value.to_string()),
    })
}

/// The sheet `name` of the forms of `kind`, in that kind's columns: the `parts` (a part with
/// a heading ends with its 小计), the 合计 of every form listed, the counts per grade, and the
/// `doubts` (source, message) said after them.
fn forms_sheet(name: &str, kind: FormKind, parts: &[Part<'_>], doubts: &[(&str, String)]) -> List {
    let set = SummaryColumn::of(kind);
    let columns: Vec<(&str, f32)> = set.iter().map(|c| (c.header(), c.width())).collect();
    let mut list = List::new(name, &columns, Some(HEADER_FILL)).without_lines();
    let grouped = parts.iter().any(|p| p.heading.is_some());
    let mut listed: Vec<&SummaryRow> = Vec::new();
    let mut left = 0;
    for part in parts {
        // A heading and a 小计 take two rows beside the forms.
        let room = (MAX_DATA_ROWS as usize).saturating_sub(list.rows.len() + 1 + 2);
        if room == 0 {
            left += part.rows.len();
            continue;
        }
        let rows = &part.rows[..part.rows.len().min(room)];
        left += part.rows.len() - rows.len();
        if let Some(heading) = &part.heading {
            let r = list.row();
            list.put_span(
                r,
                0,
                set.len() as u16,
                Value::Text(text::cell(heading)),
                Look::Total,
            );
        }
        let first = list.rows.len() as u32;
        for r in rows {
            let row = list.row();
            for &column in set {
                list.put(
                    row,
                    column.index_in(set) as u16,
                    summary_cell(column, r),
                    Look::Plain,
                );
            }
        }
        if part.heading.is_some() {
            let last = list.rows.len() as u32 - 1;
            let t = list.row();
            let label = format!("小计（{} 份）", rows.len());
            sums(&mut list, set, rows, (t, first, last), &label, true);
        }
        listed.extend(rows);
    }
    let last = list.rows.len() as u32 - 1;
    // The 合计 and the counts are those of the rows listed.
    left_out(&mut list, left, "份表");
    let t = list.row();
    let label = format!("合计（{} 份）", listed.len());
    sums(&mut list, set, &listed, (t, 1, last), &label, grouped);
    grade_counts(&mut list, set, &listed, last);
    said_doubts(&mut list, doubts);
    list
}

/// The joins of project forms to department forms not made, each with its source and why
/// (after an empty row, under a title row), as many as the sheet has room for.
fn said_doubts(list: &mut List, doubts: &[(&str, String)]) {
    if doubts.is_empty() {
        return;
    }
    list.row();
    let head = list.row();
    list.put(head, 0, Value::Text("源文件".to_string()), Look::Header);
    list.put_span(
        head,
        1,
        3,
        Value::Text("未归入部门整体表的原因".to_string()),
        Look::Header,
    );
    let room = (MAX_ROWS as usize).saturating_sub(list.rows.len() + 1);
    for (source, message) in &doubts[..doubts.len().min(room)] {
        let r = list.row();
        list.text(r, 0, source, Look::Wrapped);
        list.put_span(r, 1, 3, Value::Text(text::cell(message)), Look::Wrapped);
    }
    left_out(list, doubts.len().saturating_sub(room), "条未归入说明");
}

/// A 合计 or 小计 row: ΣB, ΣC and ΣC/ΣB of `rows` (the data rows `first..=last`, zero-based
/// sheet rows, written in row `t`) as formulas with their results. `subtotal`: the sums are
/// `SUBTOTAL(9, …)`, which leaves out the 小计 rows inside the range (and rows a filter hides).
fn sums(
    list: &mut List,
    set: &[SummaryColumn],
    rows: &[&SummaryRow],
    (t, first, last): (u32, u32, u32),
    label: &str,
    subtotal: bool,
) {
    use SummaryColumn::{Budget, Executed, Rate};
    // Saturating: each figure is bounded (read::limits), but not the number of forms.
    let total = |figure: fn(&SummaryRow) -> Option<Decimal>| {
        crate::score::sum(rows.iter().filter_map(|r| figure(r)))
    };
    let (budget, executed) = (total(|r| r.budget), total(|r| r.executed));
    list.put(t, 0, Value::Text(label.to_string()), Look::Total);
    let sum = |column: SummaryColumn| {
        let col = column.letter_in(set);
        let range = format!("{col}{}:{col}{}", first + 1, last + 1);
        match (last < first, subtotal) {
            (true, _) => "=0".to_string(),
            (false, true) => format!("=SUBTOTAL(9,{range})"),
            (false, false) => format!("=SUM({range})"),
        }
    };
    let amount = |value| figure_value(Budget.format(), value).unwrap_or(Value::Empty);
    list.put(
        t,
        Budget.index_in(set) as u16,
        formula(sum(Budget), amount(budget)),
        Look::Plain,
    );
    list.put(
        t,
        Executed.index_in(set) as u16,
        formula(sum(Executed), amount(executed)),
        Look::Plain,
    );
    let ratio = crate::score::ratio(executed, budget)
        .map_or(Value::Empty, |value| Value::Percent { value, decimals: 2 });
    let (b, e) = (Budget.letter_in(set), Executed.letter_in(set));
    list.put(
        t,
        Rate.index_in(set) as u16,
        formula(format!("=IF({b}{0}>0,{e}{0}/{b}{0},\"\")", t + 1), ratio),
        Look::Plain,
    );
}

/// Counts per grade, self-assessed and reviewed, after an empty row: a small table whose
/// first column names the grade, counted in the grade columns of the data rows (which end at
/// sheet row `last` + 1).
fn grade_counts(list: &mut List, set: &[SummaryColumn], rows: &[&SummaryRow], last: u32) {
    list.row();
    let g = list.row();
    for (col, title) in ["等级", "自评（份）", "复核（份）"].into_iter().enumerate() {
        list.put(g, col as u16, Value::Text(title.to_string()), Look::Header);
    }
    let label = column_letter(0);
    for grade in [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor] {
        let row = list.row();
        let own = rows.iter().filter(|r| r.grade == grade).count();
        let reviewed = rows.iter().filter(|r| r.reviewed_grade == grade).count();
        list.put(row, 0, Value::Text(grade.as_str().to_string()), Look::Plain);
        let counting = |column: SummaryColumn| {
            let col = column.letter_in(set);
            format!(
                "=COUNTIF({col}2:{col}{},{label}{})",
                last.max(1) + 1,
                row + 1
            )
        };
        list.put(
            row,
            1,
            formula(counting(SummaryColumn::Grade), count(own)),
            Look::Plain,
        );
        list.put(
            row,
            2,
            formula(counting(SummaryColumn::ReviewedGrade), count(reviewed)),
            Look::Plain,
        );
    }
    // The same counts drawn: a reviewer would rather look than count.
    let last_grade = list.rows.len() as u32 - 1;
    list.charts.push(ColumnChart {
        title: "等级分布".to_string(),
        rows: (g + 1, last_grade),
        categories: 0,
        series: vec![("自评".to_string(), 1), ("复核".to_string(), 2)],
        at: (g, 4),
    });
}

fn findings_sheet(rows: &[SummaryRow]) -> List {
    let mut list = List::new(
        "审核意见",
        &[
            ("源文件", 30.0),
            ("单元格", 14.0),
            ("代码", 22.0),
            ("级别", 6.0),
            ("说明", 90.0),
        ],
        Some(HEADER_FILL),
    )
    .without_lines();
    let mut listed = 0;
    let mut skipped = 0;
    for r in rows {
        for finding in &r.findings {
            if listed >= MAX_DATA_ROWS {
                skipped += 1;
                continue;
            }
            listed += 1;
            let look = if finding.severity == Severity::Error {
                Look::Error
            } else {
                Look::Plain
            };
            let row = list.row();
            list.text(row, 0, &r.source, look);
            list.text(row, 1, &finding.cell, look);
            list.text(row, 2, finding.code, look);
            list.text(row, 3, finding.severity.label(), look);
            list.text(row, 4, &finding.message, look);
        }
    }
    left_out(&mut list, skipped, "条审核意见");
    list
}

fn failures_sheet(failures: &[FailedInput]) -> List {
    let mut list = List::new(
        "未能读取",
        &[("源文件", 40.0), ("原因", 90.0)],
        Some(HEADER_FILL),
    )
    .without_lines();
    let listed = failures.len().min(MAX_DATA_ROWS as usize);
    for failure in &failures[..listed] {
        let row = list.row();
        list.text(row, 0, &failure.source, Look::Plain);
        list.text(row, 1, &failure.reason, Look::Plain);
    }
    left_out(&mut list, failures.len() - listed, "个文件");
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::SummaryFinding;

    /// A project form's row with one finding, its other fields plain.
    fn project_row(finding: SummaryFinding) -> SummaryRow {
        SummaryRow {
            source: "a.xlsx".to_string(),
            kind: crate::model::FormKind::Project,
            year: Some(2024),
            project: "项目".to_string(),
            department: "部门".to_string(),
            unit: "单位".to_string(),
            budget: Some(Decimal::ONE),
            executed: Some(Decimal::ONE),
            rate: Some(Decimal::ONE_HUNDRED),
            filed_total: None,
            total: Decimal::ZERO,
            grade: Grade::Poor,
            reviewed_total: Decimal::ZERO,
            reviewed_grade: Grade::Poor,
            findings: vec![finding],
        }
    }

    #[test]
    fn text_past_a_cells_limit_never_stops_the_summary() {
        let long = format!("{}\u{1b}[31m\n", "长".repeat(40_000));
        let row = SummaryRow {
            source: format!("book.xlsx#{long}"),
            project: long.clone(),
            department: long.clone(),
            unit: long.clone(),
            executed: Some(Decimal::MAX),
            rate: None,
            ..project_row(SummaryFinding {
                cell: format!("'{long}'!A1"),
                code: "funds-sum",
                severity: Severity::Error,
                message: long.clone(),
            })
        };
        let failure = FailedInput {
            source: long.clone(),
            reason: long.clone(),
        };
        let rows = [row.clone(), row];
        let grid = summary_grid(
            &rows,
            &Grouping::of(&rows),
            &[failure],
            "2025-03-01T00:00:00+08:00",
        );
        grid.check("汇总表").unwrap();
        for sheet in std::iter::once(&grid).chain(&grid.appendix) {
            sheet.check("汇总表").unwrap();
            for cell in &sheet.cells {
                let shown = cell.value.display();
                assert!(shown.encode_utf16().count() <= MAX_CELL);
                assert!(!shown.contains('\u{1b}'));
            }
        }
        let bytes = crate::render::xlsx::write(&grid).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }

    #[test]
    fn the_summary_measures_its_rows_but_keeps_no_lines() {
        let message = "偏差原因未填写，".repeat(40);
        let row = project_row(SummaryFinding {
            cell: "G9".to_string(),
            code: "deviation-missing",
            severity: Severity::Error,
            message: message.clone(),
        });
        let rows = [row];
        let grid = summary_grid(
            &rows,
            &Grouping::of(&rows),
            &[],
            "2025-03-01T00:00:00+08:00",
        );
        let findings = grid
            .appendix
            .iter()
            .find(|g| g.sheet == "审核意见")
            .unwrap();
        let cell = findings
            .cells
            .iter()
            .find(|c| c.value.display() == message)
            .unwrap();
        // The long message wraps: its row is several lines tall, measured from the lines
        // the cell no longer holds.
        assert!(findings.rows[cell.row as usize] > 3.0 * findings.rows[0]);
        for sheet in std::iter::once(&grid).chain(&grid.appendix) {
            assert!(sheet.cells.iter().all(|c| c.lines.is_empty()));
        }
    }
}
