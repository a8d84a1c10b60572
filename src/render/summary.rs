//! The department summary of a batch (汇总表): one row per form with its funds, scores and
//! grades, a 合计 row and counts per grade; every finding; every input that failed.
//!
//! Nothing an input holds can stop it from being written: every text from a file is escaped
//! and cut to what a cell holds, and a sheet that would pass Excel's row limit ends with a row
//! saying how many were left out.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use super::xlsx::header_row;
use crate::batch::{Failure, SummaryRow};
use crate::error::{Error, Result};
use crate::score::Grade;
use crate::text;
use crate::validate::Severity;

/// The rows of a worksheet (Excel's limit).
const MAX_ROWS: u32 = 1_048_576;

/// The most data rows of a sheet: the room below the header, less the rows written after
/// them (the note on what was left out, the 合计 and the counts per grade).
const MAX_DATA_ROWS: u32 = MAX_ROWS - 1 - 8;

/// Text from a file as a cell shows it: control characters escaped, at most what a cell
/// holds.
fn cell(text: &str) -> String {
    text::cell(text)
}

/// Writes, in the row after the last one written, how many rows were left out.
fn left_out(
    ws: &mut Worksheet,
    row: u32,
    n: usize,
    what: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    if n > 0 {
        ws.write_string_with_format(
            row,
            0,
            format!("另有 {n} {what}未列出（超过 Excel 的行数上限）"),
            &f.total,
        )?;
    }
    Ok(())
}

/// The columns of the sheet 汇总 and their widths: one row per form.
pub const HEADERS: [(&str, f64); 13] = [
    ("源文件", 30.0),
    ("项目名称", 40.0),
    ("主管部门", 18.0),
    ("实施单位", 22.0),
    ("全年预算数", 14.0),
    ("全年执行数", 14.0),
    ("执行率", 9.0),
    ("自评总分", 9.0),
    ("等级", 6.0),
    ("复核总分", 9.0),
    ("复核等级", 8.0),
    ("错误", 6.0),
    ("警告", 6.0),
];

struct Formats {
    header: Format,
    text: Format,
    amount: Format,
    rate: Format,
    score: Format,
    count: Format,
    total: Format,
    error: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    Formats {
        header: base
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(0xDDEBF7)),
        text: base.clone(),
        amount: base.clone().set_num_format("0.000000"),
        rate: base.clone().set_num_format("0.00%"),
        score: base.clone().set_num_format("0.00"),
        count: base.clone().set_num_format("0"),
        total: base.clone().set_bold(),
        error: base
            .set_text_wrap()
            .set_background_color(Color::RGB(crate::layout::ERROR_FILL)),
    }
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Render {
        format: "xlsx",
        message: e.to_string(),
    }
}

fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    f: &Format,
) -> Result<(), XlsxError> {
    match value.and_then(|v| v.to_f64()) {
        Some(v) => ws.write_number_with_format(row, col, v, f).map(drop),
        None => ws.write_blank(row, col, f).map(drop),
    }
}

/// Writes 汇总表: sheets 汇总, 审核意见 and 未能读取; `created` (RFC 3339) dates it, to the day.
///
/// # Errors
/// [`Error::Render`] when the workbook cannot be assembled.
pub fn write(rows: &[SummaryRow], failures: &[Failure], created: &str) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&super::xlsx::properties_of_day(created).set_title("项目支出绩效自评汇总表"));
    let f = formats();
    write_forms(wb.add_worksheet(), rows, &f).map_err(xlsx_error)?;
    write_findings(wb.add_worksheet(), rows, &f).map_err(xlsx_error)?;
    write_failures(wb.add_worksheet(), failures, &f).map_err(xlsx_error)?;
    wb.save_to_buffer().map_err(xlsx_error)
}

fn write_forms(ws: &mut Worksheet, rows: &[SummaryRow], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("汇总")?;
    ws.set_formula_result_default("");
    header_row(ws, &HEADERS, &f.header)?;
    let all = rows;
    let rows = &all[..all.len().min(MAX_DATA_ROWS as usize)];
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, cell(&r.source), &f.text)?;
        ws.write_string_with_format(row, 1, cell(&r.project), &f.text)?;
        ws.write_string_with_format(row, 2, cell(&r.department), &f.text)?;
        ws.write_string_with_format(row, 3, cell(&r.unit), &f.text)?;
        number(ws, row, 4, r.budget, &f.amount)?;
        number(ws, row, 5, r.executed, &f.amount)?;
        number(
            ws,
            row,
            6,
            r.rate.and_then(|p| p.checked_div(Decimal::ONE_HUNDRED)),
            &f.rate,
        )?;
        number(ws, row, 7, Some(r.total), &f.score)?;
        ws.write_string_with_format(row, 8, r.grade.as_str(), &f.text)?;
        number(ws, row, 9, Some(r.reviewed_total), &f.score)?;
        ws.write_string_with_format(row, 10, r.reviewed_grade.as_str(), &f.text)?;
        ws.write_number_with_format(row, 11, r.count(Severity::Error) as f64, &f.count)?;
        ws.write_number_with_format(row, 12, r.count(Severity::Warning) as f64, &f.count)?;
    }
    let last = rows.len() as u32;
    ws.autofilter(0, 0, last.max(1), (HEADERS.len() - 1) as u16)?;
    ws.set_freeze_panes(1, 0)?;
    // The 合计 and the counts are those of the rows listed.
    left_out(ws, last + 1, all.len() - rows.len(), "份表", f)?;
    let last = last + u32::from(all.len() > rows.len());

    // 合计: ΣB, ΣC and ΣC/ΣB, as formulas with their results.
    let t = last + 1;
    // Saturating: each figure is bounded (read::limits), but not the number of forms.
    let total = |figure: fn(&SummaryRow) -> Option<Decimal>| {
        crate::score::sum(rows.iter().filter_map(figure))
    };
    let (budget, executed) = (total(|r| r.budget), total(|r| r.executed));
    ws.write_string_with_format(t, 0, format!("合计（{} 份）", rows.len()), &f.total)?;
    let sum = |col: char| {
        if last == 0 {
            "=0".to_string()
        } else {
            format!("=SUM({col}2:{col}{})", last + 1)
        }
    };
    ws.write_formula_with_format(
        t,
        4,
        Formula::new(sum('E')).set_result(budget.normalize().to_string()),
        &f.amount,
    )?;
    ws.write_formula_with_format(
        t,
        5,
        Formula::new(sum('F')).set_result(executed.normalize().to_string()),
        &f.amount,
    )?;
    let ratio = crate::score::ratio(executed, budget)
        .map(|r| r.normalize().to_string())
        .unwrap_or_default();
    let ratio_formula = format!("=IF(E{0}>0,F{0}/E{0},\"\")", t + 1);
    ws.write_formula_with_format(t, 6, Formula::new(ratio_formula).set_result(ratio), &f.rate)?;

    // Counts per grade, self-assessed and reviewed.
    let g = t + 2;
    ws.write_string_with_format(g, 0, "等级", &f.header)?;
    ws.write_string_with_format(g, 1, "自评（份）", &f.header)?;
    ws.write_string_with_format(g, 2, "复核（份）", &f.header)?;
    for (k, grade) in [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor]
        .into_iter()
        .enumerate()
    {
        let row = g + 1 + k as u32;
        let own = rows.iter().filter(|r| r.grade == grade).count();
        let reviewed = rows.iter().filter(|r| r.reviewed_grade == grade).count();
        ws.write_string_with_format(row, 0, grade.as_str(), &f.text)?;
        let count = |col: char| format!("=COUNTIF({col}2:{col}{},A{})", last.max(1) + 1, row + 1);
        ws.write_formula_with_format(
            row,
            1,
            Formula::new(count('I')).set_result(own.to_string()),
            &f.count,
        )?;
        ws.write_formula_with_format(
            row,
            2,
            Formula::new(count('K')).set_result(reviewed.to_string()),
            &f.count,
        )?;
    }
    Ok(())
}

fn write_findings(ws: &mut Worksheet, rows: &[SummaryRow], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("审核意见")?;
    header_row(
        ws,
        &[
            ("源文件", 30.0),
            ("单元格", 14.0),
            ("代码", 22.0),
            ("级别", 6.0),
            ("说明", 90.0),
        ],
        &f.header,
    )?;
    let mut row = 0;
    let mut skipped = 0;
    for r in rows {
        for finding in &r.findings {
            if row >= MAX_DATA_ROWS {
                skipped += 1;
                continue;
            }
            row += 1;
            let fmt = if finding.severity == Severity::Error {
                &f.error
            } else {
                &f.text
            };
            ws.write_string_with_format(row, 0, cell(&r.source), fmt)?;
            ws.write_string_with_format(row, 1, cell(&finding.cell), fmt)?;
            ws.write_string_with_format(row, 2, finding.code, fmt)?;
            ws.write_string_with_format(row, 3, finding.severity.label(), fmt)?;
            ws.write_string_with_format(row, 4, cell(&finding.message), fmt)?;
        }
    }
    ws.autofilter(0, 0, row.max(1), 4)?;
    left_out(ws, row + 1, skipped, "条审核意见", f)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_failures(ws: &mut Worksheet, failures: &[Failure], f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("未能读取")?;
    header_row(ws, &[("源文件", 40.0), ("原因", 90.0)], &f.header)?;
    let listed = failures.len().min(MAX_DATA_ROWS as usize);
    for (i, failure) in failures[..listed].iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, cell(&failure.source), &f.text)?;
        ws.write_string_with_format(row, 1, cell(&failure.reason), &f.text)?;
    }
    left_out(ws, listed as u32 + 1, failures.len() - listed, "个文件", f)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::SummaryFinding;
    use crate::text::MAX_CELL;

    #[test]
    fn text_past_a_cells_limit_never_stops_the_summary() {
        let long = format!("{}\u{1b}[31m\n", "长".repeat(40_000));
        let row = SummaryRow {
            source: format!("book.xlsx#{long}"),
            project: long.clone(),
            department: long.clone(),
            unit: long.clone(),
            budget: Some(Decimal::ONE),
            executed: Some(Decimal::MAX),
            rate: None,
            total: Decimal::ZERO,
            grade: Grade::Poor,
            reviewed_total: Decimal::ZERO,
            reviewed_grade: Grade::Poor,
            findings: vec![SummaryFinding {
                cell: format!("'{long}'!A1"),
                code: "funds-sum",
                severity: Severity::Error,
                message: long.clone(),
            }],
        };
        let failure = Failure {
            source: long.clone(),
            reason: long.clone(),
        };
        let bytes = write(&[row.clone(), row], &[failure], "2025-03-01T00:00:00+08:00").unwrap();
        assert!(bytes.starts_with(b"PK"));
        assert_eq!(cell(&long).encode_utf16().count(), MAX_CELL);
        assert!(cell(&long).starts_with("长长"));
        assert!(!cell("a\u{1b}b").contains('\u{1b}'));
    }
}
