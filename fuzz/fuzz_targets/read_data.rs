//! Arbitrary text as a JSON or TOML form file (the first byte picks which).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

mod lay_out;

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
        lay_out::lay_out(forms);
    }
});
