//! Which project forms of a batch go under a department-wide form of the same batch (issue 21:
//! a department's project forms and its 部门整体支出绩效自评表 in one batch are listed under
//! that department). A project form names departments twice, 实施单位 and 主管部门; each is
//! compared with the department forms' names as the vocabulary compares department names
//! ([`crate::vocabulary::Organisations::key`]: spaces, bracket widths, a budget code, `本级`).
//! Nothing is joined by a guess: a name like but not equal to a department's, a name two
//! department forms share, or the same name in another year is said ([`Doubt`]) and the form
//! stays where it was. Data only.

use super::SummaryRow;
use crate::model::FormKind;

/// Which of a project form's names matched a department form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedBy {
    /// 实施单位: the unit that carries the project out (tried first: a unit that files its own
    /// department form is nearer the project than its 主管部门).
    Unit,
    /// 主管部门: the department in charge.
    Department,
}

impl NamedBy {
    /// The field as the form prints it.
    pub fn label(self) -> &'static str {
        match self {
            NamedBy::Unit => "实施单位",
            NamedBy::Department => "主管部门",
        }
    }
}

/// Why a project form was not put under a department form whose name is like one it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// One name holds the other but they differ (`北京市文物局` and `北京市文物局机关`): two
    /// departments may be named so.
    Near,
    /// More than one department form of the batch has this name (and year).
    Shared,
    /// The same name, but the forms are of different years.
    OtherYear,
}

/// A join not made, said: the project form `row` names (by `named_by`) the department forms
/// `departments` in a way that is not enough to put it under one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doubt {
    /// The project form (its index among the rows).
    pub row: usize,
    /// Which of its names.
    pub named_by: NamedBy,
    /// The department forms (indices among the rows).
    pub departments: Vec<usize>,
    /// Why it was not joined.
    pub why: Why,
}

impl Doubt {
    /// What the summary says, in Chinese: the name as written, the department forms and why.
    pub fn message(&self, rows: &[SummaryRow]) -> String {
        let project = &rows[self.row];
        let written = match self.named_by {
            NamedBy::Unit => &project.unit,
            NamedBy::Department => &project.department,
        };
        let named: Vec<String> = self
            .departments
            .iter()
            .map(|&d| format!("「{}」（{}）", rows[d].department, rows[d].source))
            .collect();
        let named = named.join("、");
        let field = self.named_by.label();
        match self.why {
            Why::Near => format!(
                "{field}「{written}」与部门整体表{named}的名称相近但不相同，未归入：如为同一部门，请统一名称"
            ),
            Why::Shared => {
                format!("{field}「{written}」与多份部门整体表{named}同名，无法确定归属，未归入")
            }
            Why::OtherYear => format!(
                "{field}「{written}」与部门整体表{named}同名，但年度不同（项目表 {}），未归入",
                project
                    .year
                    .map_or("未填".to_string(), |y| format!("{y} 年度"))
            ),
        }
    }
}

/// The project forms of a batch put under its department forms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grouping {
    /// For each row, the department form (its index) it is under.
    pub under: Vec<Option<usize>>,
    /// The joins not made, in the order of the rows.
    pub doubts: Vec<Doubt>,
}

impl Grouping {
    /// The grouping of `rows`: each project form under the one department form of the same
    /// year (or of no year said) that its 实施单位, else its 主管部门, names.
    pub fn of(rows: &[SummaryRow]) -> Grouping {
        let names = &crate::vocabulary::get().organisations;
        let departments: Vec<(usize, String)> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == FormKind::Department)
            .map(|(i, r)| (i, names.key(&r.department)))
            .filter(|(_, key)| !key.is_empty())
            .collect();
        let mut grouping = Grouping {
            under: vec![None; rows.len()],
            doubts: Vec::new(),
        };
        if departments.is_empty() {
            return grouping;
        }
        for (i, row) in rows.iter().enumerate() {
            if row.kind != FormKind::Project {
                continue;
            }
            let mut doubts = Vec::new();
            for (named_by, name) in [
                (NamedBy::Unit, &row.unit),
                (NamedBy::Department, &row.department),
            ] {
                let key = names.key(name);
                if key.is_empty() {
                    continue;
                }
                match place(rows, i, &key, &departments) {
                    Ok(d) => {
                        grouping.under[i] = Some(d);
                        doubts.clear();
                        break;
                    }
                    Err(Some((departments, why))) => doubts.push(Doubt {
                        row: i,
                        named_by,
                        departments,
                        why,
                    }),
                    Err(None) => {}
                }
            }
            grouping.doubts.extend(doubts);
        }
        grouping
    }

    /// True when no project form is under a department form.
    pub fn is_empty(&self) -> bool {
        self.under.iter().all(Option::is_none)
    }

    /// The department forms with project forms under them, in the order of the rows, each with
    /// its project forms in order.
    pub fn groups(&self) -> Vec<(usize, Vec<usize>)> {
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, under) in self.under.iter().enumerate() {
            let Some(d) = *under else { continue };
            match groups.iter_mut().find(|(g, _)| *g == d) {
                Some((_, members)) => members.push(i),
                None => groups.push((d, vec![i])),
            }
        }
        groups.sort_by_key(|(d, _)| *d);
        groups
    }
}

/// The one department form of `departments` that the project form `row` names by `key`; else
/// the department forms it nearly names and why it is not joined (`None`: it names none).
fn place(
    rows: &[SummaryRow],
    row: usize,
    key: &str,
    departments: &[(usize, String)],
) -> Result<usize, Option<(Vec<usize>, Why)>> {
    let year = rows[row].year;
    let same_year = |d: usize| match (year, rows[d].year) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let equal: Vec<usize> = departments
        .iter()
        .filter(|(_, k)| k == key)
        .map(|(d, _)| *d)
        .collect();
    let in_year: Vec<usize> = equal.iter().copied().filter(|&d| same_year(d)).collect();
    match in_year.as_slice() {
        [d] => return Ok(*d),
        [] if !equal.is_empty() => return Err(Some((equal, Why::OtherYear))),
        [] => {}
        _ => return Err(Some((in_year, Why::Shared))),
    }
    // Only a name of some length is weighed as near: a two-character fragment is no name.
    let near: Vec<usize> = departments
        .iter()
        .filter(|(d, k)| {
            same_year(*d)
                && k.chars().count().min(key.chars().count()) >= 3
                && (k.contains(key) || key.contains(k.as_str()))
        })
        .map(|(d, _)| *d)
        .collect();
    if near.is_empty() {
        Err(None)
    } else {
        Err(Some((near, Why::Near)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Grade;
    use rust_decimal::Decimal;

    fn row(kind: FormKind, year: Option<i32>, department: &str, unit: &str) -> SummaryRow {
        SummaryRow {
            source: format!("{department}/{unit}"),
            kind,
            year,
            project: String::new(),
            department: department.into(),
            unit: unit.into(),
            budget: None,
            executed: None,
            rate: None,
            filed_total: None,
            total: Decimal::ZERO,
            grade: Grade::Poor,
            reviewed_total: Decimal::ZERO,
            reviewed_grade: Grade::Poor,
            findings: Vec::new(),
        }
    }

    fn project(department: &str, unit: &str) -> SummaryRow {
        row(FormKind::Project, Some(2024), department, unit)
    }

    fn department(name: &str) -> SummaryRow {
        row(FormKind::Department, Some(2024), name, "")
    }

    #[test]
    fn project_forms_go_under_the_department_they_name() {
        let rows = [
            department("北京市文物局（本级）"),
            project("048-北京市文物局", "048016-首都博物馆"),
            department("北京艺术博物馆"),
            project("048-北京市文物局", "048019－北京 艺术博物馆"),
            project("049-北京市园林绿化局", "049001-北京植物园"),
        ];
        let g = Grouping::of(&rows);
        // 实施单位 before 主管部门; a form that names none stays where it is.
        assert_eq!(g.under, [None, Some(0), None, Some(2), None]);
        assert_eq!(g.groups(), [(0, vec![1]), (2, vec![3])]);
        assert!(g.doubts.is_empty(), "{:?}", g.doubts);
    }

    #[test]
    fn near_shared_and_other_years_are_said_not_joined() {
        let rows = [
            department("北京市文物局"),
            project("北京市文物局机关", ""),
            department("北京市水务局"),
            department("北京市水务局"),
            project("北京市水务局", ""),
            row(FormKind::Department, Some(2023), "北京市园林绿化局", ""),
            project("北京市园林绿化局", ""),
            project("北京市", ""),
        ];
        let g = Grouping::of(&rows);
        assert!(g.is_empty(), "{:?}", g.under);
        let why: Vec<(usize, Why, Vec<usize>)> = g
            .doubts
            .iter()
            .map(|d| (d.row, d.why, d.departments.clone()))
            .collect();
        assert_eq!(
            why,
            [
                (1, Why::Near, vec![0]),
                (4, Why::Shared, vec![2, 3]),
                (6, Why::OtherYear, vec![5]),
                (7, Why::Near, vec![0, 2, 3]),
            ]
        );
        let said = g.doubts[0].message(&rows);
        assert!(
            said.contains("北京市文物局机关") && said.contains("未归入"),
            "{said}"
        );
        assert!(g.doubts[2].message(&rows).contains("2024 年度"));
    }

    #[test]
    fn a_doubt_about_one_name_goes_when_the_other_name_joins() {
        let rows = [
            department("北京市文物局"),
            project("048-北京市文物局", "北京市文物局机关"),
        ];
        let g = Grouping::of(&rows);
        assert_eq!(g.under, [None, Some(0)]);
        assert!(g.doubts.is_empty());
    }
}
