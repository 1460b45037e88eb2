//! `spec-check config`: the resolved settings printed as TOML, each value with where it
//! came from.

use super::{FILE_NAMES, Item, Origin, Settings, toml_size};
use crate::diagnostic::Severity;
use crate::pack::{Place, RulePack};
use crate::report::FailOn;
use crate::suppress;

impl Settings {
    /// `spec-check config`: the resolved settings as TOML, each value with where it came
    /// from, and which rules of `packs` (loaded with `load_all_packs`) are on.
    pub fn show(&self, packs: &[RulePack]) -> String {
        let mut out = String::new();
        match &self.file {
            Some(f) => out.push_str(&format!("# configuration file: {}\n", f.shown)),
            None if self.searched.is_empty() => {
                out.push_str("# configuration file: none (--isolated)\n")
            }
            None => out.push_str(&format!(
                "# configuration file: none found (looked for {} in {})\n",
                FILE_NAMES.join(" or "),
                self.searched
                    .iter()
                    .map(|p| crate::source::display_path(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
        let list = |items: &[Item]| {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| toml_string(&i.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let mut line = |key: &str, value: String, origin: &Origin| {
            out.push_str(&format!("{:<40} # {origin}\n", format!("{key} = {value}")));
        };
        line("packs", list(&self.packs.value), &self.packs.origin);
        line("include", list(&self.include.value), &self.include.origin);
        line("exclude", list(&self.exclude.value), &self.exclude.origin);
        line("select", list(&self.select.value), &self.select.origin);
        line(
            "extend-select",
            list(&self.extend_select.value),
            &self.extend_select.origin,
        );
        line("ignore", list(&self.ignore.value), &self.ignore.origin);
        line(
            "fail-on",
            toml_string(fail_on_str(self.fail_on.value)),
            &self.fail_on.origin,
        );
        line(
            "changed-lines-only",
            self.changed_lines_only.value.to_string(),
            &self.changed_lines_only.origin,
        );
        line(
            "max-file-size",
            toml_size(self.max_file_size.value),
            &self.max_file_size.origin,
        );
        line(
            "require-suppression-reason",
            self.require_suppression_reason.value.to_string(),
            &self.require_suppression_reason.origin,
        );
        line(
            "language",
            toml_string(self.language.value.as_str()),
            &self.language.origin,
        );
        match &self.baseline.value {
            Some(b) => line(
                "baseline",
                toml_string(&crate::source::display_path(b)),
                &self.baseline.origin,
            ),
            None => out.push_str(&format!("{:<40} # default\n", "# baseline = (none)")),
        }
        if !self.severity.is_empty() {
            out.push_str("\n[severity]\n");
            for (item, level) in &self.severity {
                let origin = place_origin(item.place.as_ref());
                out.push_str(&format!(
                    "{:<40} # {origin}\n",
                    format!("{} = {}", toml_key(&item.text), toml_string(level.as_str()))
                ));
            }
        }
        for o in &self.overlay.rules {
            out.push_str(&format!(
                "\n{:<40} # {}\n",
                format!("[rules.{}]", toml_key(&o.rule)),
                place_origin(Some(&o.at))
            ));
            for e in &o.entries {
                out.push_str(&format!(
                    "{:<40} # {}\n",
                    format!("{} = {}", toml_key(&e.key), inline_value(&e.value)),
                    place_origin(Some(&e.at))
                ));
            }
        }
        for o in &self.overlay.sections {
            out.push_str(&format!(
                "\n{:<40} # {}\n",
                format!("[sections.{}]", toml_key(&o.section)),
                place_origin(Some(&o.at))
            ));
            if let Some(a) = &o.aliases {
                out.push_str(&format!("aliases = {}\n", string_list(a)));
            }
            if !o.extend_aliases.is_empty() {
                out.push_str(&format!(
                    "extend-aliases = {}\n",
                    string_list(&o.extend_aliases)
                ));
            }
            if let Some(e) = o.essential {
                out.push_str(&format!("essential = {e}\n"));
            }
            if let Some(e) = o.optional {
                out.push_str(&format!("optional = {e}\n"));
            }
        }
        out.push_str("\n# rules\n");
        for p in packs {
            let off: Vec<&str> = p
                .rules
                .iter()
                .filter(|r| self.rule_level(&r.code, &r.name, r.severity).is_none())
                .map(|r| r.code.as_str())
                .collect();
            out.push_str(&format!(
                "#   {} {}: {} of {} on{}\n",
                p.id,
                p.version,
                p.rules.len() - off.len(),
                p.rules.len(),
                if off.is_empty() {
                    String::new()
                } else {
                    format!(" (off: {})", off.join(", "))
                }
            ));
        }
        let engine = self.suppression();
        out.push_str(&format!(
            "#   engine: {}={} {}={}\n",
            suppress::UNUSED.code,
            engine.unused.map_or("off", Severity::as_str),
            suppress::MISSING_REASON.code,
            engine.missing_reason.map_or("off", Severity::as_str),
        ));
        out
    }
}

fn place_origin(place: Option<&Place>) -> Origin {
    match place {
        Some(p) => Origin::File {
            path: p.origin.to_string(),
            line: p.line(),
        },
        None => Origin::Default,
    }
}

fn fail_on_str(f: FailOn) -> &'static str {
    match f {
        FailOn::Error => "error",
        FailOn::Warning => "warning",
        FailOn::Info => "info",
        FailOn::Never => "never",
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn string_list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|s| toml_string(s))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_string()
    } else {
        toml_string(k)
    }
}

fn inline_value(v: &toml::Value) -> String {
    v.to_string()
}
