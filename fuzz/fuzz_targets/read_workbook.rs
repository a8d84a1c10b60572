//! Arbitrary bytes as a workbook: the first byte picks the extension (xlsx, xls, ods), the rest
//! is the file. Reading may refuse the file, never panic, hang or run out of memory.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

mod lay_out;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = match pick % 3 {
        0 => "fuzz.xlsx",
        1 => "fuzz.xls",
        _ => "fuzz.ods",
    };
    if let Ok(forms) = jixiao::read::load_bytes(Path::new(name), bytes) {
        lay_out::lay_out(forms);
    }
});
