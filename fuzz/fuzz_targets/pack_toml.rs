//! Rule-pack TOML loading (`RulePack::from_toml`): any text is a pack or an error, never a panic;
//! a pack that loads can check a document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spec_check::pack::RulePack;
use spec_check::source::memory::MemoryWorkspace;
use spec_check::source::{Origin, SourceFile};

fuzz_target!(|text: &str| {
    let Ok(pack) = RulePack::from_toml("fuzz.toml", text) else {
        return;
    };
    let file = SourceFile {
        path: "docs/06-technical-specification.md".into(),
        text: "# Spec\n\n## 1. Executive Summary\n\nTBD\n\n```json\n{\n```\n".into(),
        origin: Origin::WorkTree,
        explicit: true,
    };
    let opts = spec_check::EngineOptions {
        threads: 1,
        ..Default::default()
    };
    spec_check::check(&[pack], vec![file], &MemoryWorkspace::new(), &opts);
});
