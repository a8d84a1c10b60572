//! Arbitrary bytes as a PDF: reading may refuse the file (damaged, a password, a scan, no
//! form), never panic, hang or run out of memory; what it reads is laid out.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

mod lay_out;

fuzz_target!(|data: &[u8]| {
    if let Ok(forms) = jixiao::read::load_bytes(Path::new("fuzz.pdf"), data) {
        lay_out::lay_out(forms);
    }
});
