//! What the read targets do with the forms they read, as `render` does: review each and lay
//! it out (the writers are the pipeline target's).

pub fn lay_out(forms: Vec<jixiao::SourcedForm>) {
    for form in forms {
        let report = jixiao::Report::new(form, None);
        let layout = jixiao::Layout::for_form(&report.form);
        if let Err(e) = jixiao::layout::build(&report, layout, &Default::default()) {
            panic!("a form that was read does not lay out: {e}");
        }
    }
}
