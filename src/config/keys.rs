//! The configuration's keys, documented once: the README's reference table, the
//! commented file `spec-check init` writes, and the list the parser is tested against.

/// One configuration key, documented. The README's reference table and `spec-check init`
/// are generated from `KEYS`, and tests check the parser accepts exactly these keys.
#[derive(Debug, Clone, Copy)]
pub struct KeyDoc {
    pub key: &'static str,
    /// The kind of value, as a reader would say it.
    pub value: &'static str,
    /// The default, as TOML (empty: none).
    pub default: &'static str,
    /// The command-line flag that overrides it (empty: none).
    pub flag: &'static str,
    pub doc: &'static str,
}

pub const KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "packs",
        value: "list of pack ids or paths",
        default: r#"["vibe-step-6"]"#,
        flag: "--pack",
        doc: "Rule packs to run: built-in ids (`vibe-step-6`, `vibe-steps-1-5`, `adr`) or paths to pack files (relative to this file). Each pack checks the files its `files` globs match.",
    },
    KeyDoc {
        key: "include",
        value: "list of globs",
        default: r#"["**/*.md"]"#,
        flag: "",
        doc: "Markdown files considered when spec-check walks the repository, relative to this file's directory. A pattern without `/` matches a file name at any depth.",
    },
    KeyDoc {
        key: "exclude",
        value: "list of globs",
        default: "[]",
        flag: "",
        doc: "Files and directories never checked, even when named on the command line (so a pre-commit hook that passes file names honours it).",
    },
    KeyDoc {
        key: "select",
        value: "list of rule selectors",
        default: r#"["ALL"]"#,
        flag: "--select",
        doc: "Rules to run: a code (`SC007`), a code prefix (`SC`, `SC00`), a rule name (`empty-section`) or `ALL`. The flag replaces this list.",
    },
    KeyDoc {
        key: "extend-select",
        value: "list of rule selectors",
        default: "[]",
        flag: "--extend-select",
        doc: "Rules to run in addition to `select`.",
    },
    KeyDoc {
        key: "ignore",
        value: "list of rule selectors",
        default: "[]",
        flag: "--ignore",
        doc: "Rules not to run. The most specific selector wins (a code beats a prefix beats `ALL`); on a tie, `ignore` wins.",
    },
    KeyDoc {
        key: "fail-on",
        value: "`error`, `warning`, `info` or `never`",
        default: r#""error""#,
        flag: "--fail-on",
        doc: "The lowest severity that fails the run (exit 1).",
    },
    KeyDoc {
        key: "changed-lines-only",
        value: "boolean",
        default: "false",
        flag: "--changed-lines-only",
        doc: "With `--base`, report only findings on changed lines (document-level findings whenever the file changed).",
    },
    KeyDoc {
        key: "max-file-size",
        value: "bytes, or a size such as `\"10MiB\"`",
        default: r#""10MiB""#,
        flag: "--max-file-size",
        doc: "A larger file is not checked and fails the run (exit 2); list it under `exclude` to leave it out on purpose. Units: `B`, `KB`, `MB`, `GB` (powers of 1000), `KiB`, `MiB`, `GiB` (powers of 1024).",
    },
    KeyDoc {
        key: "require-suppression-reason",
        value: "boolean",
        default: "false",
        flag: "",
        doc: "Report a suppression comment without `-- reason` as an error (`suppression-without-reason`).",
    },
    KeyDoc {
        key: "language",
        value: "`auto` or a language code",
        default: r#""auto""#,
        flag: "",
        doc: "The language the documents are written in (`es`, `pt`, `zh`, `vi`…), which picks the pack's vocabulary entries marked with that `lang`. `auto` detects it per document.",
    },
    KeyDoc {
        key: "baseline",
        value: "path",
        default: "",
        flag: "--baseline",
        doc: "A baseline file written by `spec-check baseline`: findings recorded in it are not reported.",
    },
    KeyDoc {
        key: "severity",
        value: "table: selector = level",
        default: "",
        flag: "",
        doc: "`[severity]` sets a rule's level: `error`, `warning`, `info` or `off`. Keys are selectors (code, prefix, name); the more specific wins.",
    },
    KeyDoc {
        key: "rules",
        value: "table per rule",
        default: "",
        flag: "",
        doc: "`[rules.<code-or-name>]` parameters merged over the pack's for that rule (see rules/README.md for each check kind's parameters); `extend-<param>` appends to a list parameter, e.g. `extend-patterns`.",
    },
    KeyDoc {
        key: "sections",
        value: "table per section",
        default: "",
        flag: "",
        doc: "`[sections.<id>]` (or `[sections.\"<id>.<subsection>\"]`): `aliases` replaces and `extend-aliases` adds titles the outline accepts for a template section; `optional = true` stops a section being reported missing, `essential = false` a subsection.",
    },
];

/// `spec-check init`: a commented configuration with every key at its default.
pub fn init_template() -> String {
    let mut out = String::from(
        "# spec-check configuration. Every key is shown at its default; see the README's\n\
         # configuration reference. Command-line flags override these values.\n",
    );
    for k in KEYS {
        out.push('\n');
        for line in wrap(k.doc, 88) {
            out.push_str(&format!("# {line}\n"));
        }
        match k.key {
            "baseline" => out.push_str("# baseline = \"spec-check-baseline.json\"\n"),
            "severity" => out.push_str("# [severity]\n# SC006 = \"off\"\n"),
            "rules" => out.push_str(
                "# [rules.empty-section]\n# min-words = 10\n# [rules.placeholder]\n# extend-patterns = [{ pattern = '\\bXXX\\b' }]\n",
            ),
            "sections" => out.push_str(
                "# [sections.api]\n# extend-aliases = [\"Interfaces\"]\n# [sections.\"services.env\"]\n# essential = false\n",
            ),
            key => out.push_str(&format!("{key} = {}\n", k.default)),
        }
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The README's configuration reference, as a markdown table.
pub fn reference_table() -> String {
    let mut out =
        String::from("| key | value | default | flag | meaning |\n|---|---|---|---|---|\n");
    for k in KEYS {
        let cell = |s: &str| {
            if s.is_empty() {
                "—".to_string()
            } else {
                format!("`{}`", s.replace('|', "\\|"))
            }
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            k.key,
            k.value.replace('|', "\\|"),
            cell(k.default),
            cell(k.flag),
            k.doc.replace('|', "\\|")
        ));
    }
    out
}
