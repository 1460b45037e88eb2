//! Document parse and every check kind of the built-in pack, on arbitrary UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "soundness.rs"]
mod soundness;

fuzz_target!(|text: &str| {
    soundness::check_text(text);
});
