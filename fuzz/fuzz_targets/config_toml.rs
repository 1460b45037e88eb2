//! Configuration loading (`spec-check.toml`, resolved as a run resolves it): any text is
//! settings or an error that points into the TOML, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use spec_check::config::{Overrides, Settings};

fn dir() -> &'static tempfile::TempDir {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().expect("temp dir"))
}

fuzz_target!(|text: &str| {
    let d = dir().path();
    if std::fs::write(d.join("spec-check.toml"), text).is_err() {
        return;
    }
    let flags = Overrides {
        config: Some("spec-check.toml".into()),
        ..Overrides::default()
    };
    if let Ok(settings) = Settings::resolve(d, &flags) {
        let _ = settings.load_packs();
        let _ = settings.show(&[]);
    }
});
