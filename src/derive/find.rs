//! What a worksheet shows of its layout: the texts of its labels by role and where they stand,
//! found from the cells the reader took each field from ([`SourceCells`]) and the vocabulary's
//! sections, never from a list of spellings of its own.

use crate::model::{CellRef, Field, FormKind, FundsRowKind, IndicatorField, SourcedForm};
use crate::read::sheet::{PrintSetup, Sheet};
use crate::vocabulary::{self, Block, Column, FundsHeader, GoalLabel, HeaderLabel, RowLabel, fold};

/// A label found on the sheet: its text as written and its cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// The text, trimmed.
    pub text: String,
    /// Its cell (the first of a merged region).
    pub at: CellRef,
    /// The last column of its merged region (its own column when not merged).
    pub end: u16,
}

/// The layout of one form as its worksheet shows it.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The title.
    pub title: Option<Spot>,
    /// The year line under it (`（2022年度）`).
    pub year_line: Option<Spot>,
    /// Other text above the form's first label row: corner cells.
    pub corners: Vec<Spot>,
    /// Header labels by role.
    pub header: Vec<(HeaderLabel, Spot)>,
    /// The funds block's label.
    pub funds_label: Option<Spot>,
    /// The funds block's column headers, left to right.
    pub funds_columns: Vec<(FundsHeader, Spot)>,
    /// The funds block's row labels, top to bottom.
    pub funds_rows: Vec<(FundsRowKind, Spot)>,
    /// Funds rows whose kind another row already has (the model has four).
    pub funds_extra: Vec<Spot>,
    /// 年度总体目标 and its two labels.
    pub goals_label: Option<Spot>,
    /// 预期目标.
    pub expected: Option<Spot>,
    /// 实际完成情况.
    pub achieved: Option<Spot>,
    /// The indicators' block label.
    pub indicators_label: Option<Spot>,
    /// The indicator table's columns, left to right, with their header.
    pub columns: Vec<(Column, Spot)>,
    /// Header cells of the table that hold no field of the form (a second 偏差原因 column).
    pub columns_extra: Vec<Spot>,
    /// The text of the first 一级 cell that carries its subtotal, with that subtotal.
    pub subtotal: Option<(Spot, String, String)>,
    /// 总分.
    pub total: Option<Spot>,
    /// Rows after the table with labels (评价结论, 其他需要说明事项 …): their labels.
    pub closing: Vec<Vec<Spot>>,
    /// True when a closing row stands before the total.
    pub closing_before_total: bool,
    /// 填报注意事项.
    pub notes: Option<Spot>,
    /// The leftmost and rightmost column of the table.
    pub span: (u16, u16),
    /// How the file prints the sheet.
    pub print: PrintSetup,
}

/// The text of the cell at `at` (of its merged region), trimmed; `None` when empty.
pub fn text_at(sheet: &Sheet, at: CellRef) -> Option<Spot> {
    let (value, anchor) = sheet.get(at);
    let text = value?.display().trim().to_string();
    let end = sheet.last_of(anchor).col;
    (!text.is_empty()).then_some(Spot {
        text,
        at: anchor,
        end,
    })
}

/// The texts of row `row`, left to right.
fn row_texts(sheet: &Sheet, row: u32) -> Vec<Spot> {
    sheet
        .row(row)
        .iter()
        .filter_map(|c| text_at(sheet, c.at))
        .collect()
}

fn n(text: &str) -> String {
    fold::label(text)
}

/// Reads what the sheet shows of the form's layout.
pub fn find(sheet: &Sheet, sourced: &SourcedForm) -> Found {
    let mut found = Found {
        print: sheet.print.clone(),
        ..Found::default()
    };
    table(sheet, sourced, &mut found);
    funds(sheet, sourced, &mut found);
    goals(sheet, sourced, &mut found);
    header(sheet, sourced, &mut found);
    top(sheet, &mut found);
    after(sheet, sourced, &mut found);
    found
}

/// The column of indicator field `f`: the one most indicators were read from.
fn field_col(sourced: &SourcedForm, f: IndicatorField) -> Option<u16> {
    let mut cols: Vec<u16> = (0..sourced.form.indicators.len())
        .filter_map(|i| sourced.cells.get(Field::Indicator(i, f)))
        .map(|c| c.col)
        .collect();
    cols.sort_unstable();
    let mut best: Option<(u16, usize)> = None;
    for c in &cols {
        let count = cols.iter().filter(|x| *x == c).count();
        if best.is_none_or(|(_, k)| count > k) {
            best = Some((*c, count));
        }
    }
    best.map(|(c, _)| c)
}

/// The first row of the indicators.
fn first_indicator_row(sourced: &SourcedForm) -> Option<u32> {
    sourced
        .cells
        .iter()
        .filter(|(f, _)| matches!(f, Field::Indicator(..)))
        .map(|(_, at)| at.row)
        .min()
}

/// The header text over column `col` of a table whose data start at `row`: the lowest cell
/// above it that the vocabulary knows as a column header.
fn header_over(sheet: &Sheet, row: u32, col: u16) -> Option<(Column, Spot)> {
    let v = vocabulary::get();
    (row.saturating_sub(4)..row).rev().find_map(|r| {
        let spot = text_at(sheet, CellRef { row: r, col })?;
        v.columns.find(&n(&spot.text)).map(|c| (c, spot))
    })
}

/// The indicator table: its columns by role with their headers, its block label, its
/// 一级 subtotal.
fn table(sheet: &Sheet, sourced: &SourcedForm, found: &mut Found) {
    let Some(first) = first_indicator_row(sourced) else {
        return;
    };
    let fields = [
        IndicatorField::Level1,
        IndicatorField::Level2,
        IndicatorField::Name,
        IndicatorField::Target,
        IndicatorField::Actual,
        IndicatorField::Weight,
        IndicatorField::Score,
        IndicatorField::Deviation,
    ];
    let mut columns: Vec<(u16, Column)> = Vec::new();
    for f in fields {
        let parts = (0..sourced.form.indicators.len())
            .map(|i| sourced.cells.parts(Field::Indicator(i, f)))
            .find(|p| p.len() > 1);
        match (f, parts) {
            (IndicatorField::Target, Some(parts)) => {
                split_target(sheet, first, parts, &mut columns);
            }
            (IndicatorField::Deviation, Some(parts)) => {
                columns.push((parts[0].col, Column::Deviation));
                for p in &parts[1..] {
                    if let Some(spot) = text_at(
                        sheet,
                        CellRef {
                            row: first.saturating_sub(1),
                            col: p.col,
                        },
                    ) {
                        found.columns_extra.push(spot);
                    }
                }
            }
            _ => {
                if let Some(col) = field_col(sourced, f) {
                    columns.push((col, Column::of(f)));
                }
            }
        }
    }
    columns.sort_by_key(|(c, _)| *c);
    columns.dedup_by_key(|(c, _)| *c);
    for (col, role) in &columns {
        // A header the vocabulary does not know (the reader placed it by its position): the
        // text right above the column.
        let spot = header_over(sheet, first, *col)
            .map(|(_, s)| s)
            .or_else(|| {
                (first.saturating_sub(2)..first)
                    .rev()
                    .find_map(|r| text_at(sheet, CellRef { row: r, col: *col }))
            })
            .unwrap_or(Spot {
                text: String::new(),
                at: CellRef {
                    row: first.saturating_sub(1),
                    col: *col,
                },
                end: *col,
            });
        found.columns.push((*role, spot));
    }
    let left = columns.first().map_or(0, |(c, _)| *c);
    let right = columns.last().map_or(0, |(c, _)| *c);
    found.span = (left, right);
    let v = vocabulary::get();
    let header_row = found
        .columns
        .iter()
        .map(|(_, s)| s.at.row)
        .min()
        .unwrap_or(first);
    found.indicators_label = (header_row.saturating_sub(1)..first).find_map(|r| {
        (0..left).find_map(|c| {
            text_at(sheet, CellRef { row: r, col: c })
                .filter(|s| v.blocks.find(&n(&s.text)) == Some(Block::Indicators))
        })
    });
    if let Some(s) = sourced.shown.subtotals.first()
        && let Some(spot) = text_at(sheet, s.cell)
    {
        found.subtotal = Some((spot, s.level1.clone(), s.points.normalize().to_string()));
    }
}

/// The sub-columns of a split target, by their headers (sign, number, unit in order when a
/// header does not say).
fn split_target(sheet: &Sheet, first: u32, parts: &[CellRef], columns: &mut Vec<(u16, Column)>) {
    let order = [Column::TargetSign, Column::TargetValue, Column::TargetUnit];
    for (k, p) in parts.iter().enumerate() {
        let role = match header_over(sheet, first, p.col) {
            Some((c, _)) if order.contains(&c) => c,
            _ => order[k.min(2)],
        };
        if !columns.iter().any(|(_, r)| *r == role) {
            columns.push((p.col, role));
        }
    }
}

/// The funds block: its label, column headers and row labels.
fn funds(sheet: &Sheet, sourced: &SourcedForm, found: &mut Found) {
    let v = vocabulary::get();
    let cells: Vec<CellRef> = sourced
        .cells
        .iter()
        .filter(|(f, _)| {
            matches!(
                f,
                Field::Funds(..) | Field::FundsWeight | Field::FundsRate | Field::FundsScore
            )
        })
        .map(|(_, at)| at)
        .collect();
    let Some(first_row) = cells.iter().map(|c| c.row).min() else {
        return;
    };
    // The header row: the lowest row above the figures where a funds header stands.
    let header_row = (first_row.saturating_sub(3)..first_row).rev().find(|&r| {
        row_texts(sheet, r)
            .iter()
            .filter(|s| s.at.row == r || sheet.merge_at(s.at).is_some())
            .any(|s| {
                matches!(
                    v.funds_columns.find(&n(&s.text)),
                    Some(FundsHeader::Budget | FundsHeader::Executed)
                )
            })
    });
    let Some(header_row) = header_row else {
        return;
    };
    let mut first_col = u16::MAX;
    for spot in row_texts(sheet, header_row) {
        match v.funds_columns.find(&n(&spot.text)) {
            Some(role) if !found.funds_columns.iter().any(|(r, _)| *r == role) => {
                first_col = first_col.min(spot.at.col);
                found.funds_columns.push((role, spot));
            }
            _ => {}
        }
    }
    found.funds_label = (header_row.saturating_sub(1)..=header_row).find_map(|r| {
        (0..first_col).find_map(|c| {
            text_at(sheet, CellRef { row: r, col: c })
                .filter(|s| v.blocks.find(&n(&s.text)) == Some(Block::Funds))
        })
    });
    funds_rows(sheet, sourced, header_row, first_col, found);
}

/// The funds rows' labels, left of the first figure, under the header until another block.
fn funds_rows(
    sheet: &Sheet,
    sourced: &SourcedForm,
    header_row: u32,
    first_col: u16,
    found: &mut Found,
) {
    let v = vocabulary::get();
    let end = sourced
        .cells
        .get(Field::Expected)
        .map(|c| c.row)
        .into_iter()
        .chain(first_indicator_row(sourced))
        .min()
        .unwrap_or(header_row + 8);
    let block_label = found.funds_label.as_ref().map(|s| s.at);
    for r in header_row + 1..end.min(header_row + 10) {
        let labels: Vec<Spot> = row_texts(sheet, r)
            .into_iter()
            .filter(|s| s.at.row == r && s.at.col < first_col && Some(s.at) != block_label)
            .collect();
        if labels
            .iter()
            .any(|s| v.blocks.find(&n(&s.text)).is_some() || v.goals.find(&n(&s.text)).is_some())
        {
            break;
        }
        let Some(label) = labels.into_iter().last() else {
            continue;
        };
        let mut kind = v.funds_rows.find(&n(&label.text));
        if kind == Some(FundsRowKind::Other)
            && found
                .funds_rows
                .last()
                .is_some_and(|(k, _)| k.is_expenditure())
        {
            // `其他` right under 基本支出 / 项目支出 is the expenditure breakdown's own, as the
            // reader takes it.
            kind = Some(FundsRowKind::ExpenditureOther);
        }
        match kind {
            Some(kind) if !found.funds_rows.iter().any(|(k, _)| *k == kind) => {
                found.funds_rows.push((kind, label));
            }
            _ => found.funds_extra.push(label),
        }
    }
}

/// 年度总体目标: the block label, 预期目标 and 实际完成情况.
fn goals(sheet: &Sheet, sourced: &SourcedForm, found: &mut Found) {
    let v = vocabulary::get();
    let label_of = |field: Field, role: GoalLabel| {
        let at = sourced.cells.get(field)?;
        let above = (at.row.saturating_sub(2)..at.row).rev().filter_map(|r| {
            text_at(
                sheet,
                CellRef {
                    row: r,
                    col: at.col,
                },
            )
        });
        let left = (0..at.col).rev().filter_map(|c| {
            text_at(
                sheet,
                CellRef {
                    row: at.row,
                    col: c,
                },
            )
        });
        above
            .chain(left)
            .find(|s| v.goals.find(&n(&s.text)) == Some(role))
    };
    found.expected = label_of(Field::Expected, GoalLabel::Expected);
    found.achieved = label_of(Field::Achieved, GoalLabel::Achieved);
    let Some(at) = found
        .expected
        .as_ref()
        .map(|s| s.at)
        .or(sourced.cells.get(Field::Expected))
    else {
        return;
    };
    found.goals_label = (at.row..=at.row + 1).find_map(|r| {
        (0..at.col).find_map(|c| {
            text_at(sheet, CellRef { row: r, col: c })
                .filter(|s| v.blocks.find(&n(&s.text)) == Some(Block::Goals))
        })
    });
}

/// The header labels: the nearest label left of each header field.
fn header(sheet: &Sheet, sourced: &SourcedForm, found: &mut Found) {
    let v = vocabulary::get();
    let department = sourced.form.kind == FormKind::Department;
    // A department form's name is its 部门（单位）名称, and its phone goes with 联系人.
    let name = if department {
        HeaderLabel::DepartmentName
    } else {
        HeaderLabel::Department
    };
    let fields = [
        (Field::Project, HeaderLabel::Project),
        (Field::Department, name),
        (Field::Unit, HeaderLabel::Unit),
        (Field::Lead, HeaderLabel::Lead),
        (Field::Contact, HeaderLabel::Contact),
        (Field::Phone, HeaderLabel::Phone),
    ];
    for (field, role) in fields {
        let Some(at) = sourced.cells.get(field) else {
            continue;
        };
        let label = (0..at.col)
            .rev()
            .filter_map(|c| {
                text_at(
                    sheet,
                    CellRef {
                        row: at.row,
                        col: c,
                    },
                )
            })
            .find(|s| s.at != at);
        if let Some(spot) = label {
            let said = v.header.find(&n(&spot.text));
            if said == Some(role) || said == Some(HeaderLabel::LeadPhone) {
                found.header.push((role, spot));
            }
        }
    }
    // 项目负责人 (联系人) and 联系电话 are printed even when the form leaves them empty.
    let first = if department {
        Field::Department
    } else {
        Field::Project
    };
    let Some(top) = sourced.cells.get(first).map(|c| c.row) else {
        return;
    };
    let end = found.funds_label.as_ref().map_or(top + 4, |s| s.at.row);
    for r in top..end {
        for spot in row_texts(sheet, r) {
            let role = match v.header.find(&n(&spot.text)) {
                Some(role @ (HeaderLabel::Lead | HeaderLabel::Phone)) if !department => role,
                Some(HeaderLabel::LeadPhone) if !department => HeaderLabel::Lead,
                Some(role @ (HeaderLabel::Contact | HeaderLabel::Phone)) if department => role,
                _ => continue,
            };
            if !found.header.iter().any(|(x, _)| *x == role) {
                found.header.push((role, spot));
            }
        }
    }
}

/// The title, the year line and the corner cells: text above the form's first label row.
fn top(sheet: &Sheet, found: &mut Found) {
    let v = vocabulary::get();
    let first = found
        .header
        .iter()
        .map(|(_, s)| s.at.row)
        .chain(found.funds_label.iter().map(|s| s.at.row))
        .chain(found.columns.iter().map(|(_, s)| s.at.row))
        .min()
        .unwrap_or(0);
    let mut spots: Vec<Spot> = (0..first).flat_map(|r| row_texts(sheet, r)).collect();
    spots.retain(|s| s.at.row < first);
    spots.dedup_by_key(|s| s.at);
    for spot in spots {
        let folded = n(&spot.text);
        if found.title.is_none() && v.is_title(&folded) {
            found.title = Some(spot);
        } else if found.title.is_some()
            && found.year_line.is_none()
            && spot.text.chars().count() <= 12
            && spot.text.contains("年度")
            && spot.text.chars().any(|c| c.is_ascii_digit())
        {
            found.year_line = Some(spot);
        } else {
            found.corners.push(spot);
        }
    }
}

/// The total's label, the rows after the table and the notes.
fn after(sheet: &Sheet, sourced: &SourcedForm, found: &mut Found) {
    let v = vocabulary::get();
    let last_indicator = sourced
        .cells
        .iter()
        .filter(|(f, _)| matches!(f, Field::Indicator(..)))
        .map(|(_, at)| sheet.last_of(at).row)
        .max();
    let Some(last) = last_indicator else {
        return;
    };
    let total_at = sourced.cells.get(Field::TotalScore);
    if let Some(at) = total_at {
        found.total = row_texts(sheet, at.row)
            .into_iter()
            .find(|s| s.at.col < at.col && v.rows.find(&n(&s.text)) == Some(RowLabel::Total));
    }
    let end = sheet.cells().last().map_or(last, |c| c.at.row);
    for r in last + 1..=end {
        if total_at.is_some_and(|t| t.row == r) {
            continue;
        }
        let texts: Vec<Spot> = row_texts(sheet, r)
            .into_iter()
            .filter(|s| s.at.row == r)
            .collect();
        if let Some(note) = texts
            .iter()
            .find(|s| v.rows.find(&n(&s.text)) == Some(RowLabel::Notes))
        {
            found.notes = Some(note.clone());
            break;
        }
        let labels: Vec<Spot> = texts
            .into_iter()
            .filter(|s| v.rows.find(&n(&s.text)) == Some(RowLabel::Footer))
            .collect();
        if !labels.is_empty() {
            if total_at.is_some_and(|t| t.row > r) {
                found.closing_before_total = true;
            }
            found.closing.push(labels);
        }
    }
}
