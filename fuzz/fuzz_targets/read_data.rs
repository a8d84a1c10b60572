//! Arbitrary text as a JSON or TOML form file (the first byte picks which).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = if pick % 2 == 0 {
        "fuzz.json"
    } else {
        "fuzz.toml"
    };
    if let Ok(forms) = jixiao::read::load_bytes(Path::new(name), bytes) {
        // As `render` does with what it reads: review it and lay it out (the writers are
        // the pipeline target's).
        for form in forms {
            let report = jixiao::Report::new(form, None);
            let layout = jixiao::Layout::for_year(report.form.year);
            if let Err(e) = jixiao::layout::build(&report, layout, &Default::default()) {
                panic!("a form that was read does not lay out: {e}");
            }
        }
    }
});
