//! The fix engine: apply every fix (safe, or safe and unsafe), re-check, and fix again.
//! Fixing must settle (no `NoConvergence` error), keep every span sound on the fixed text,
//! and be idempotent: fixing the fixed text changes nothing.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use spec_check::fix::{FixSettings, fix_files};
use spec_check::source::{Origin, SourceFile};

#[path = "soundness.rs"]
mod soundness;

fn fix(text: &str, unsafe_fixes: bool) -> String {
    let file = SourceFile {
        path: soundness::SPEC.into(),
        text: text.to_string(),
        origin: Origin::WorkTree,
        explicit: true,
    };
    let settings = FixSettings {
        unsafe_fixes,
        ..FixSettings::default()
    };
    let run = fix_files(
        soundness::packs(),
        &[file],
        soundness::workspace(),
        &settings,
    )
    .unwrap_or_else(|e| panic!("fixing failed: {e}"));
    run.changes
        .iter()
        .find(|c| c.path == Path::new(soundness::SPEC))
        .map_or_else(|| text.to_string(), |c| c.fixed.clone())
}

fuzz_target!(|input: (bool, &str)| {
    let (unsafe_fixes, text) = input;
    let fixed = fix(text, unsafe_fixes);
    if fixed == text {
        return;
    }
    soundness::check_text(&fixed);
    let again = fix(&fixed, unsafe_fixes);
    assert_eq!(again, fixed, "fixing the fixed text changed it again");
});
