//! Which form a sheet holds: 项目支出绩效自评表 or 部门整体支出绩效自评表, decided from the
//! form itself as a person would — the title first, then the header labels, then the funds
//! block (the words are `[kind]` and the header section of `layouts/vocabulary.toml`).
//!
//! The first that says wins; a later one that says the other kind is a finding, so a form is
//! never read as the other kind silently. No evidence at all: a project form, as before.
//! Nothing else is read here.

use super::cells::{Cells, Label};
use super::header::header_label;
use crate::finding::Finding;
use crate::message::{DepartmentMessage, KindEvidence};
use crate::model::{CellRef, Form, FormKind, FundsRowKind};
use crate::vocabulary::{self, Block, HeaderLabel};

/// The kind decided, and a finding when the evidence disagreed.
pub struct Decided {
    /// The kind.
    pub kind: FormKind,
    /// True when nothing above the table said a kind (the kind is the default).
    pub unsaid: bool,
    /// `form-kind-weighed`, at the evidence that was outweighed.
    pub finding: Option<Finding>,
}

/// Decides the kind of the form on `cells` from the labels above row `top` (the indicator
/// header) and its `title`.
pub fn decide(cells: &Cells<'_>, title: Option<&Label<'_>>, top: u32) -> Decided {
    let said = evidence(cells, title, top);
    let Some(&(kind, by, _)) = said.first() else {
        return Decided {
            kind: FormKind::Project,
            unsaid: true,
            finding: None,
        };
    };
    let finding = said
        .iter()
        .find(|(k, ..)| *k != kind)
        .map(|&(_, against, at)| {
            Finding::at_cell(at, DepartmentMessage::KindWeighed { kind, by, against })
        });
    Decided {
        kind,
        unsaid: false,
        finding,
    }
}

/// True when the 一级 names of `form` say it is a department form: every one is a 一级 of a
/// department tree, and some are of no project tree (Sichuan's rubric table, which starts at
/// its header: `部门预算管理(80分)`). Asked only when nothing above the table said a kind.
pub fn by_tree(form: &Form) -> bool {
    let v = vocabulary::get();
    let mut names: Vec<String> = form
        .indicators
        .iter()
        .map(|i| crate::vocabulary::fold::spaceless(&i.level1))
        .filter(|n| !n.is_empty())
        .collect();
    names.dedup();
    let in_kind = |kind: FormKind, name: &str| {
        v.trees
            .iter()
            .any(|t| t.kind == kind && t.position(name).is_some())
    };
    !names.is_empty()
        && names.iter().all(|n| in_kind(FormKind::Department, n))
        && names.iter().any(|n| !in_kind(FormKind::Project, n))
}

/// What each kind of evidence says, in order of weight, with its cell.
fn evidence(
    cells: &Cells<'_>,
    title: Option<&Label<'_>>,
    top: u32,
) -> Vec<(FormKind, KindEvidence, CellRef)> {
    let v = vocabulary::get();
    let mut said = Vec::new();
    if let Some(t) = title
        && let Some(kind) = v.kind.of_title(&t.norm)
    {
        said.push((kind, KindEvidence::Title, t.at));
    }
    let above = || cells.labels.iter().filter(|l| l.at.row < top);
    let header = above().find_map(|l| match header_label(l) {
        Some((HeaderLabel::Project, _)) => Some((FormKind::Project, l.at)),
        _ => None,
    });
    let header = header.or_else(|| {
        above().find_map(|l| match header_label(l) {
            Some((HeaderLabel::DepartmentName, _)) => Some((FormKind::Department, l.at)),
            _ => None,
        })
    });
    if let Some((kind, at)) = header {
        said.push((kind, KindEvidence::Header, at));
    }
    let funds = above().find_map(|l| {
        let by_label = (l.roles.block == Some(Block::Funds))
            .then(|| v.kind.of_funds(&l.norm))
            .flatten();
        let by_row = l
            .roles
            .funds_row
            .filter(|r| matches!(r, FundsRowKind::Basic | FundsRowKind::Project))
            .map(|_| FormKind::Department);
        by_label.or(by_row).map(|k| (k, l.at))
    });
    if let Some((kind, at)) = funds {
        said.push((kind, KindEvidence::Funds, at));
    }
    said
}
