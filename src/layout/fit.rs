//! A checked form fitted to a layout: [`Report::new`] reviews and checks a form as filed and
//! re-files its indicators under the layout's tree ([`Layout::adapt`]). It lives here, above
//! `report`, because fitting needs the layout: `report` knows no layout, and the layout's
//! builders use the report.

use super::spec::Layout;
use crate::finding::Finding;
use crate::message::DepartmentMessage;
use crate::model::{Form, SourcedForm};
use crate::report::Report;
use crate::vocabulary::fold;

impl Report {
    /// Reviews and checks `input` as filed, then fits it to `layout` when one is given
    /// ([`Layout::adapt`]: its indicators re-filed under that layout's tree, their
    /// assessments and the findings' fields following); without, it is shown in the layout of
    /// its year as it is. The checks see the form as filed, so its tree, the subtotals in its
    /// 一级 cells and its branches are judged as the workbook has them whatever the layout.
    ///
    /// Every reader keeps a form's numbers within [`crate::read::limits::MAX_FIGURE`]
    /// (`read::limits::check_form`); a form built by hand past it is still reviewed and
    /// checked without a panic (every sum and difference of its figures saturates), but its
    /// totals are then meaningless: check it with `check_form` first.
    pub fn new(mut input: SourcedForm, layout: Option<&Layout>) -> Report {
        if let Some(layout) = layout
            && layout.kind != input.form.kind
        {
            input
                .findings
                .push(Finding::of_form(DepartmentMessage::LayoutKind {
                    form: input.form.kind,
                    layout: layout.name.clone(),
                    layout_kind: layout.kind,
                }));
        }
        let mut report = Report::as_filed(input, "");
        let layout = match layout {
            Some(layout) => {
                if let Some(order) = layout.adapt(&mut report.form) {
                    report.refiled(&order);
                }
                layout
            }
            None => Layout::for_form(&report.form),
        };
        report.layout.clone_from(&layout.name);
        report
    }
}

impl Layout {
    /// Re-files a form's indicators under this layout's tree: a 二级 that is a 一级 here becomes
    /// that 一级 with its first 二级 (成本指标 of 2020 forms under the current layout), a 一级 that
    /// is a 二级 here goes under its parent (the other way round). When anything moved, the
    /// indicators are regrouped in the order of the tree. A layout without the 项目负责人 row
    /// (the current form has none) drops the lead and the phone. When an indicator was
    /// re-filed, returns the new order: position `i` holds the indicator that was at
    /// `order[i]`; `None` when the form already follows this tree.
    pub fn adapt(&self, form: &mut Form) -> Option<Vec<usize>> {
        if !self.header.has_lead() {
            form.lead = None;
            if self.header.contact.is_none() {
                form.phone = None;
            }
        }
        let tree = self.tree();
        let mut moved = false;
        for ind in &mut form.indicators {
            let (level1, level2) = (fold::spaceless(&ind.level1), fold::spaceless(&ind.level2));
            if tree.has(&level1, &level2) {
                continue;
            }
            if let Some(g) = tree.group(&level2) {
                ind.level1 = g.level1.clone();
                ind.level2 = g.level2[0].clone();
                moved = true;
            } else if let Some(parent) = tree.parent_of(&level1) {
                ind.level2 = level1;
                ind.level1 = parent.to_string();
                moved = true;
            }
        }
        if !moved {
            return None;
        }
        let rank = |level1: &str| {
            tree.position(&fold::spaceless(level1))
                .unwrap_or(usize::MAX)
        };
        let mut order: Vec<usize> = (0..form.indicators.len()).collect();
        order.sort_by_key(|&i| rank(&form.indicators[i].level1));
        let old = std::mem::take(&mut form.indicators);
        form.indicators = order.iter().map(|&i| old[i].clone()).collect();
        Some(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_forms_are_refiled_under_the_current_tree() {
        let mut form: Form = serde_json::from_str(include_str!("../../samples/000.json")).unwrap();
        // As a 2020 form would have it: 成本指标 a 二级 under 产出指标, after the 效益 group.
        let mut cost: Vec<_> = form.indicators.drain(8..11).collect();
        for i in &mut cost {
            i.level1 = "产出指标".into();
            i.level2 = "成本指标".into();
        }
        form.indicators.extend(cost);
        let current = Layout::by_name("beijing-2024").unwrap();
        let mut adapted = form.clone();
        let order = current.adapt(&mut adapted).unwrap();
        let levels: Vec<(&str, &str)> = adapted
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str()))
            .collect();
        assert_eq!(levels[8], ("成本指标", "经济成本指标"));
        assert_eq!(levels[11], ("效益指标", "社会效益指标"));
        assert_eq!(adapted.indicators[8].name, form.indicators[order[8]].name);
        assert_eq!(order[8], 11);
        // And back: under mof-2020, 成本指标 is a 二级 again.
        let old = Layout::by_name("mof-2020").unwrap();
        old.adapt(&mut adapted);
        assert_eq!(adapted.indicators[0].level1, "产出指标");
        assert_eq!(adapted.indicators[8].level1, "产出指标");
        assert_eq!(adapted.indicators[8].level2, "成本指标");
    }
}
