//! Rule packs: data that says which files a pack applies to, the outline it expects and the
//! rules it runs (each a generic check kind with parameters). Built-in packs live in `rules/`
//! and are compiled in; users add their own by path, optionally `extends`-ing another pack.
//! The configuration's per-rule parameters are merged in before each check compiles.
//! Globs compile here, once; regexes are checked here and compile on first use
//! (`check::LazyRegex`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::check::{self, Check};
use crate::diagnostic::{Level, Severity};
use crate::outline::{Template, TemplateSection};
pub use crate::toml_error::TomlError as PackError;
use crate::toml_error::{TomlError, TomlFile};

/// The packs shipped inside the binary: `(id, TOML source)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("vibe-step-6", include_str!("../rules/vibe-step-6.toml")),
    (
        "vibe-steps-1-5",
        include_str!("../rules/vibe-steps-1-5.toml"),
    ),
    ("adr", include_str!("../rules/adr.toml")),
];

/// How many `extends` a pack may chain (a cycle is an error long before this).
const MAX_EXTENDS: usize = 8;

/// A quality-checklist item a pack scores documents on.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub title: String,
    /// The template sections the item is about (`["security"]`): the item passes only when
    /// they are found and hold content; missing or empty, it fails and names them; when the
    /// outline was not recognised, it is unknown.
    #[serde(default)]
    pub sections: Vec<String>,
}

/// A rule's documentation, printed by `spec-check rule CODE`: read from a pack, or written
/// in the code for the engine's own rules.
#[derive(Debug, Clone, Default)]
pub struct RuleDocs {
    pub summary: Cow<'static, str>,
    pub what: Cow<'static, str>,
    pub why: Cow<'static, str>,
    pub bad: Cow<'static, str>,
    pub good: Cow<'static, str>,
}

/// Any rule a run knows, as listings, documentation, SARIF and hovers show it: a pack's
/// rule, or one of the engine's own (`pack: None`), which report suppression comments
/// whichever pack runs.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    pub pack: Option<&'a RulePack>,
    pub code: &'a str,
    pub name: &'a str,
    pub severity: Severity,
    pub checklist: Option<&'a str>,
    pub fixable: bool,
    pub docs: &'a RuleDocs,
}

impl RuleInfo<'_> {
    /// Whether `code_or_name` names this rule (codes in any case).
    pub fn is(&self, code_or_name: &str) -> bool {
        self.code.eq_ignore_ascii_case(code_or_name) || self.name == code_or_name
    }
}

/// Every rule of `packs`, in order, then the engine's.
pub fn every_rule<'a>(
    packs: impl IntoIterator<Item = &'a RulePack>,
) -> impl Iterator<Item = RuleInfo<'a>> {
    packs
        .into_iter()
        .flat_map(|p| p.rules.iter().map(move |r| r.info(p)))
        .chain(
            crate::suppress::RULES
                .iter()
                .map(crate::suppress::EngineRule::info),
        )
}

/// One rule: a check kind with parameters, a code, a name and a default severity.
#[derive(Debug)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub severity: Severity,
    pub checklist: Option<String>,
    pub docs: RuleDocs,
    pub check: Box<dyn Check>,
}

impl Rule {
    pub fn fixable(&self) -> bool {
        self.check.fixable()
    }

    /// This rule of `pack`, as listings and documentation show it.
    pub fn info<'a>(&'a self, pack: &'a RulePack) -> RuleInfo<'a> {
        RuleInfo {
            pack: Some(pack),
            code: &self.code,
            name: &self.name,
            severity: self.severity,
            checklist: self.checklist.as_deref(),
            fixable: self.fixable(),
            docs: &self.docs,
        }
    }
}

/// A loaded, compiled pack.
#[derive(Debug)]
pub struct RulePack {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    /// The pack this one extends, if any (its id).
    pub extends: Option<String>,
    pub file_patterns: Vec<String>,
    files: GlobSet,
    pub checklist: Vec<ChecklistItem>,
    pub template: Template,
    /// Per template section: the files it is expected in (`None`: all the pack's files).
    section_files: Vec<Option<GlobSet>>,
    pub rules: Vec<Rule>,
}

/// What the configuration changes in packs before they compile: rule parameters and
/// section aliases.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub rules: Vec<RuleOverlay>,
    pub sections: Vec<SectionOverlay>,
}

/// `[rules.<code-or-name>]` from the configuration.
#[derive(Debug, Clone)]
pub struct RuleOverlay {
    /// A rule code or name.
    pub rule: String,
    pub entries: Vec<OverlayEntry>,
    /// Where the table is, for errors.
    pub at: Place,
}

/// One `key = value` of a `[rules.…]` table.
#[derive(Debug, Clone)]
pub struct OverlayEntry {
    pub key: String,
    pub value: toml::Value,
    pub at: Place,
}

/// `[sections.<id>]` from the configuration: more titles for a template section, or an
/// essential subsection made optional.
#[derive(Debug, Clone)]
pub struct SectionOverlay {
    /// `id` of a section or `section.subsection`.
    pub section: String,
    pub aliases: Option<Vec<String>>,
    pub extend_aliases: Vec<String>,
    /// For a subsection: whether it is required.
    pub essential: Option<bool>,
    /// For a top-level section: never reported missing.
    pub optional: Option<bool>,
    pub at: Place,
}

/// A place in a TOML file, for an error that points at it.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: TomlFile,
    pub origin: Arc<str>,
    pub toml: Arc<str>,
    pub span: Range<usize>,
}

impl Place {
    pub fn error(&self, message: impl Into<String>) -> TomlError {
        TomlError {
            file: self.file,
            origin: self.origin.to_string(),
            toml: self.toml.to_string(),
            span: Some(self.span.clone()),
            message: message.into(),
        }
    }

    /// 1-based line of the place.
    pub fn line(&self) -> usize {
        crate::toml_error::line_of(&self.toml, self.span.start)
    }
}

/// Whether a `packs` entry names a file rather than a built-in pack.
pub fn is_path(reference: &str) -> bool {
    reference.ends_with(".toml") || reference.contains('/') || reference.contains('\\')
}

/// `extend-<key>` appends to the list `<key>`; any other key replaces the value. Used for
/// the configuration's `[rules.…]` tables and for rules a pack overrides with `extends`.
pub fn merge_param(params: &mut toml::Table, key: &str, value: toml::Value) -> Result<(), String> {
    let Some(target) = key.strip_prefix("extend-") else {
        params.insert(key.to_string(), value);
        return Ok(());
    };
    let toml::Value::Array(more) = value else {
        return Err(format!(
            "`{key}` takes a list to append to `{target}`, e.g. `{key} = [ … ]`"
        ));
    };
    match params.get_mut(target) {
        None => {
            params.insert(target.to_string(), toml::Value::Array(more));
            Ok(())
        }
        Some(toml::Value::Array(list)) => {
            list.extend(more);
            Ok(())
        }
        Some(_) => Err(format!(
            "`{target}` is not a list, so `{key}` cannot extend it; set it with `{target} = …`"
        )),
    }
}

impl RulePack {
    /// Whether this pack applies to `path` (relative, `/`-separated).
    pub fn applies_to(&self, path: &str) -> bool {
        self.files.is_match(path)
    }

    pub fn rule(&self, code_or_name: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
    }

    /// The outline expected of the file at `path`: the whole template, or for a pack that
    /// scopes sections to files, the sections meant for this one.
    pub fn template_for(&self, path: &str) -> Cow<'_, Template> {
        if self.section_files.iter().all(Option::is_none) {
            return Cow::Borrowed(&self.template);
        }
        let sections = self
            .template
            .sections
            .iter()
            .zip(&self.section_files)
            .filter(|(_, files)| files.as_ref().is_none_or(|g| g.is_match(path)))
            .map(|(s, _)| s.clone())
            .collect();
        Cow::Owned(Template::new(sections))
    }

    /// Load a built-in pack by id.
    pub fn builtin(id: &str) -> Result<RulePack, PackError> {
        RulePack::load(id, Path::new("."), &Overlay::default())
    }

    /// Parse and compile a pack. `origin` names it in errors (a path, or "built-in pack …");
    /// a path in its `extends` is taken relative to the current directory.
    pub fn from_toml(origin: &str, source: &str) -> Result<RulePack, PackError> {
        let src = Arc::new(PackSource {
            origin: origin.to_string(),
            text: source.to_string(),
            dir: None,
            builtin: false,
        });
        RulePack::build(src, &Overlay::default())
    }

    /// Load a pack named in the configuration: a built-in id, or a path relative to `base`.
    pub fn load(reference: &str, base: &Path, overlay: &Overlay) -> Result<RulePack, PackError> {
        let src = PackSource::open(reference, base)?;
        RulePack::build(src, overlay)
    }

    fn build(src: Arc<PackSource>, overlay: &Overlay) -> Result<RulePack, PackError> {
        let flat = flatten(src, 0, &mut Vec::new())?;
        let FlatPack {
            src,
            id,
            name,
            version,
            description,
            extends,
            files: file_patterns,
            checklist,
            mut sections,
            defaults,
            rules: flat_rules,
        } = flat;

        let mut files = GlobSetBuilder::new();
        for (pattern, _) in &file_patterns {
            // each pattern was compiled when its layer was parsed
            if let Ok(glob) = Glob::new(pattern) {
                files.add(glob);
            }
        }
        let files = files
            .build()
            .map_err(|e| src.error(None, format!("invalid globs: {e}")))?;

        apply_section_overlays(&mut sections, &overlay.sections)?;
        let mut section_files = Vec::with_capacity(sections.len());
        for s in &sections {
            if let Some(re) = &s.present_if
                && let Err(e) = check::LazyRegex::new(re)
            {
                return Err(src.error(
                    None,
                    format!("section `{}`: invalid regex in `present-if`: {e}", s.id),
                ));
            }
            let sub_cues = s.subsections.iter().flat_map(|x| {
                x.cues
                    .iter()
                    .map(move |c| (format!("{}.{}", s.id, x.id), c))
            });
            for (id, cue) in s.cues.iter().map(|c| (s.id.clone(), c)).chain(sub_cues) {
                if let Err(e) = crate::check::quick_regex(cue) {
                    return Err(src.error(
                        None,
                        format!("section `{id}`: invalid regex in `cues`: {e}"),
                    ));
                }
            }
            if s.cues.len() > 64 {
                return Err(src.error(None, format!("section `{}`: at most 64 `cues`", s.id)));
            }
            if s.files.is_empty() {
                section_files.push(None);
                continue;
            }
            let mut b = GlobSetBuilder::new();
            for pattern in &s.files {
                let glob = Glob::new(pattern).map_err(|e| {
                    src.error(
                        None,
                        format!("section `{}`: invalid glob in `files`: {e}", s.id),
                    )
                })?;
                b.add(glob);
            }
            section_files.push(Some(b.build().map_err(|e| {
                src.error(
                    None,
                    format!("section `{}`: invalid globs in `files`: {e}", s.id),
                )
            })?));
        }
        let template = Template::new(sections);
        for item in &checklist {
            if let Some(id) = item
                .sections
                .iter()
                .find(|id| template.index_of(id).is_none())
            {
                return Err(src.error(
                    None,
                    format!(
                        "checklist item `{}`: unknown section `{id}`; sections are: {}",
                        item.id,
                        template.ids()
                    ),
                ));
            }
        }

        let mut rules: Vec<Rule> = Vec::with_capacity(flat_rules.len());
        for r in flat_rules {
            let shared = r.check.as_ref().and_then(|(kind, _)| defaults.get(kind));
            if let Some(rule) = compile_rule(r, shared, &checklist, &template, overlay, &rules)? {
                rules.push(rule);
            }
        }
        Ok(RulePack {
            id,
            name,
            version,
            description,
            extends,
            file_patterns: file_patterns.into_iter().map(|(p, _)| p).collect(),
            files,
            checklist,
            template,
            section_files,
            rules,
        })
    }
}

/// The text of one pack file (or built-in pack), kept for errors that point into it.
#[derive(Debug)]
struct PackSource {
    origin: String,
    text: String,
    /// The directory a path in its `extends` is relative to (`None`: the current directory).
    dir: Option<PathBuf>,
    /// One of [`BUILTIN`]: its patterns are compiled by a test, not checked at every start.
    builtin: bool,
}

impl PackSource {
    fn open(reference: &str, base: &Path) -> Result<Arc<PackSource>, PackError> {
        if !is_path(reference) {
            let Some((id, text)) = BUILTIN.iter().find(|(b, _)| *b == reference) else {
                return Err(TomlError {
                    file: TomlFile::Pack,
                    origin: reference.to_string(),
                    toml: String::new(),
                    span: None,
                    message: format!(
                        "unknown built-in pack `{reference}`; {}built-in packs are: {} (a pack file is named by a path ending in `.toml`)",
                        crate::selector::did_you_mean(reference, BUILTIN.iter().map(|(b, _)| *b))
                            .map(|b| format!("did you mean `{b}`? "))
                            .unwrap_or_default(),
                        BUILTIN
                            .iter()
                            .map(|(b, _)| *b)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            };
            return Ok(Arc::new(PackSource {
                origin: format!("built-in pack `{id}`"),
                text: (*text).to_string(),
                dir: None,
                builtin: true,
            }));
        }
        let path = base.join(reference);
        let shown = crate::source::display_path(Path::new(reference));
        let text = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not valid UTF-8".to_string()))
            .map_err(|e| TomlError {
                file: TomlFile::Pack,
                origin: shown.clone(),
                toml: String::new(),
                span: None,
                message: format!("cannot read pack file: {e}"),
            })?;
        Ok(Arc::new(PackSource {
            origin: shown,
            text,
            dir: Some(
                path.parent()
                    .map_or_else(|| base.to_path_buf(), Path::to_path_buf),
            ),
            builtin: false,
        }))
    }

    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> PackError {
        TomlError {
            file: TomlFile::Pack,
            origin: self.origin.clone(),
            toml: self.text.clone(),
            span,
            message: message.into(),
        }
    }
}

/// A pack with everything it extends folded in, not yet compiled.
struct FlatPack {
    src: Arc<PackSource>,
    id: String,
    name: String,
    version: String,
    description: String,
    extends: Option<String>,
    files: Vec<(String, At)>,
    checklist: Vec<ChecklistItem>,
    sections: Vec<TemplateSection>,
    /// `[defaults.<kind>]`: the parameters every rule of a check kind starts from.
    defaults: BTreeMap<String, toml::Table>,
    rules: Vec<FlatRule>,
}

/// A span in a pack source.
#[derive(Clone)]
struct At {
    src: Arc<PackSource>,
    span: Range<usize>,
}

impl At {
    fn new(src: &Arc<PackSource>, span: Range<usize>) -> At {
        At {
            src: Arc::clone(src),
            span,
        }
    }

    fn error(&self, message: impl Into<String>) -> PackError {
        self.src.error(Some(self.span.clone()), message)
    }
}

/// A rule as the pack layers define it; `None` fields are filled by a lower layer or missing.
struct FlatRule {
    code: String,
    at: At,
    name: Option<(String, At)>,
    check: Option<(String, At)>,
    level: Option<Level>,
    checklist: Option<(String, At)>,
    summary: Option<String>,
    what: Option<String>,
    why: Option<String>,
    bad: Option<String>,
    good: Option<String>,
    params: toml::Table,
    /// The last layer that set parameters (errors in them point there).
    params_at: Option<At>,
}

/// Parse one layer and fold in the pack it extends.
fn flatten(
    src: Arc<PackSource>,
    depth: usize,
    seen: &mut Vec<String>,
) -> Result<FlatPack, PackError> {
    let raw: RawPack = toml::from_str(&src.text)
        .map_err(|e| src.error(e.span(), e.message().trim().to_string()))?;
    for pattern in raw.files.iter().flatten() {
        Glob::new(pattern.get_ref())
            .map_err(|e| src.error(Some(pattern.span()), format!("invalid glob: {e}")))?;
    }
    seen.push(src.origin.clone());
    let parent = match &raw.extends {
        None => None,
        Some(ext) => {
            let at = At::new(&src, ext.span());
            if depth >= MAX_EXTENDS {
                return Err(at.error(format!(
                    "`extends` chains more than {MAX_EXTENDS} packs deep"
                )));
            }
            let base = src.dir.clone().unwrap_or_else(|| PathBuf::from("."));
            let parent_src = PackSource::open(ext.get_ref(), &base).map_err(|e| {
                at.error(format!("cannot extend `{}`: {}", ext.get_ref(), e.message))
            })?;
            if seen.contains(&parent_src.origin) {
                return Err(at.error(format!(
                    "`extends` makes a cycle: {} → {}",
                    seen.join(" → "),
                    parent_src.origin
                )));
            }
            Some(flatten(parent_src, depth + 1, seen)?)
        }
    };

    let own_rules: Vec<FlatRule> = raw
        .rules
        .into_iter()
        .map(|r| {
            let (params, params_at) = match r.params {
                Some(p) => {
                    let at = At::new(&src, p.span());
                    (p.into_inner(), Some(at))
                }
                None => (toml::Table::new(), None),
            };
            FlatRule {
                at: At::new(&src, r.code.span()),
                code: r.code.into_inner(),
                name: r.name.map(|n| {
                    let at = At::new(&src, n.span());
                    (n.into_inner(), at)
                }),
                check: r.check.map(|c| {
                    let at = At::new(&src, c.span());
                    (c.into_inner(), at)
                }),
                level: r.severity,
                checklist: r.checklist.map(|c| {
                    let at = At::new(&src, c.span());
                    (c.into_inner(), at)
                }),
                summary: r.summary,
                what: r.what,
                why: r.why,
                bad: r.bad,
                good: r.good,
                params,
                params_at,
            }
        })
        .collect();

    let mut own_defaults: Vec<(String, toml::Table, At)> = Vec::new();
    for (kind, table) in raw.defaults {
        let at = At::new(&src, table.span());
        if !check::kinds().any(|k| k == kind) {
            return Err(at.error(format!(
                "`[defaults.{kind}]` names an unknown check kind; known kinds: {}",
                check::kinds().collect::<Vec<_>>().join(", ")
            )));
        }
        own_defaults.push((kind, table.into_inner(), at));
    }

    let missing = |key: &str| {
        src.error(
            None,
            format!("missing key `{key}` (required in a pack without `extends`)"),
        )
    };
    let files_missing = raw.files.is_none();
    let own_files: Vec<(String, At)> = raw
        .files
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let at = At::new(&src, p.span());
            (p.into_inner(), at)
        })
        .collect();

    let Some(parent) = parent else {
        if files_missing {
            return Err(missing("files"));
        }
        let mut rules: Vec<FlatRule> = Vec::new();
        for r in own_rules {
            if let Some(prev) = rules.iter().find(|p| p.code == r.code) {
                return Err(r.at.error(format!(
                    "duplicate rule code `{}` (also used by `{}`)",
                    r.code,
                    prev.name.as_ref().map_or("", |n| n.0.as_str())
                )));
            }
            rules.push(r);
        }
        return Ok(FlatPack {
            id: raw.id,
            name: raw.name.ok_or_else(|| missing("name"))?,
            version: raw.version.ok_or_else(|| missing("version"))?,
            description: raw.description.unwrap_or_default(),
            extends: None,
            files: own_files,
            checklist: raw.checklist.unwrap_or_default(),
            sections: raw.sections.unwrap_or_default(),
            defaults: own_defaults.into_iter().map(|(k, t, _)| (k, t)).collect(),
            rules,
            src,
        });
    };

    // a child: its own values win; rules with a known code override the parent's
    let mut sections = parent.sections;
    for s in raw.sections.unwrap_or_default() {
        match sections.iter_mut().find(|p| p.id == s.id) {
            Some(p) => *p = s,
            None => sections.push(s),
        }
    }
    // a child's shared parameters merge key by key over the parent's (`extend-<key>` appends)
    let mut defaults = parent.defaults;
    for (kind, table, at) in own_defaults {
        let base = defaults.entry(kind).or_default();
        for (k, v) in table {
            merge_param(base, &k, v).map_err(|m| at.error(m))?;
        }
    }
    let mut rules = parent.rules;
    let mut added: Vec<String> = Vec::new();
    for r in own_rules {
        if added.contains(&r.code) {
            return Err(r.at.error(format!("duplicate rule code `{}`", r.code)));
        }
        added.push(r.code.clone());
        match rules.iter_mut().find(|p| p.code == r.code) {
            Some(p) => override_rule(p, r)?,
            None => rules.push(r),
        }
    }
    Ok(FlatPack {
        id: raw.id,
        name: raw.name.unwrap_or(parent.name),
        version: raw.version.unwrap_or(parent.version),
        description: raw.description.unwrap_or(parent.description),
        extends: Some(parent.id),
        files: if own_files.is_empty() {
            parent.files
        } else {
            own_files
        },
        checklist: raw.checklist.unwrap_or(parent.checklist),
        sections,
        defaults,
        rules,
        src,
    })
}

/// A child pack's `[[rules]]` entry with a code its parent has: what it sets replaces the
/// parent's; its `params` merge key by key (`extend-<key>` appends).
fn override_rule(base: &mut FlatRule, child: FlatRule) -> Result<(), PackError> {
    if let Some((check, at)) = &child.check
        && base.check.as_ref().is_some_and(|(b, _)| b != check)
        && child.params_at.is_none()
    {
        return Err(at.error(format!(
            "rule `{}` changes its check kind to `{check}`; give its `params` too (the parent's are for another kind)",
            child.code
        )));
    }
    if child.check.is_some() && child.params_at.is_some() {
        // a new kind starts from fresh parameters
        base.params = toml::Table::new();
    }
    macro_rules! take {
        ($($f:ident),*) => {$( if child.$f.is_some() { base.$f = child.$f; } )*};
    }
    take!(name, check, level, checklist, summary, what, why, bad, good);
    if let Some(at) = child.params_at {
        for (k, v) in child.params {
            merge_param(&mut base.params, &k, v).map_err(|m| at.error(m))?;
        }
        base.params_at = Some(at);
    }
    base.at = child.at;
    Ok(())
}

fn apply_section_overlays(
    sections: &mut [TemplateSection],
    overlays: &[SectionOverlay],
) -> Result<(), PackError> {
    for o in overlays {
        let (sec, sub) = match o.section.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (o.section.as_str(), None),
        };
        let Some(s) = sections.iter_mut().find(|s| s.id == sec) else {
            continue; // another pack's section; the configuration checks some pack has it
        };
        match sub {
            None => {
                if o.essential.is_some() {
                    return Err(o.at.error(format!(
                        "`essential` applies to subsections (`[sections.\"{sec}.<subsection>\"]`); a top-level section is made optional with `optional = true`"
                    )));
                }
                if let Some(opt) = o.optional {
                    s.optional = opt;
                }
                if let Some(a) = &o.aliases {
                    s.aliases = a.clone();
                }
                s.aliases.extend(o.extend_aliases.iter().cloned());
            }
            Some(sub) => {
                let Some(x) = s.subsections.iter_mut().find(|x| x.id == sub) else {
                    continue;
                };
                if o.optional.is_some() {
                    return Err(o.at.error(format!(
                        "`optional` applies to top-level sections; a subsection is made optional with `essential = false` in `[sections.\"{sec}.{sub}\"]`"
                    )));
                }
                if let Some(a) = &o.aliases {
                    x.aliases = a.clone();
                }
                x.aliases.extend(o.extend_aliases.iter().cloned());
                if let Some(e) = o.essential {
                    x.essential = e;
                }
            }
        }
    }
    Ok(())
}

/// Check a rule's fields, merge the configuration's parameters, compile its check.
/// `None` when the rule is `off`.
fn compile_rule(
    mut r: FlatRule,
    shared: Option<&toml::Table>,
    checklist: &[ChecklistItem],
    template: &Template,
    overlay: &Overlay,
    done: &[Rule],
) -> Result<Option<Rule>, PackError> {
    let need = |key: &str| {
        r.at.error(format!(
            "rule `{}` has no `{key}` (a new rule needs code, name, check, severity, summary, what, why, bad and good)",
            r.code
        ))
    };
    let (name, name_at) = r.name.clone().ok_or_else(|| need("name"))?;
    let (kind, kind_at) = r.check.clone().ok_or_else(|| need("check"))?;
    let level = r.level.ok_or_else(|| need("severity"))?;
    let docs = RuleDocs {
        summary: r.summary.clone().ok_or_else(|| need("summary"))?.into(),
        what: r.what.clone().ok_or_else(|| need("what"))?.into(),
        why: r.why.clone().ok_or_else(|| need("why"))?.into(),
        bad: r.bad.clone().ok_or_else(|| need("bad"))?.into(),
        good: r.good.clone().ok_or_else(|| need("good"))?.into(),
    };
    if !is_kebab(&name) {
        return Err(name_at.error(format!(
            "rule name `{name}` must be kebab-case (lowercase words joined by `-`)"
        )));
    }
    if let Some(prev) = done.iter().find(|p| p.code == r.code) {
        return Err(r.at.error(format!(
            "duplicate rule code `{}` (also used by `{}`)",
            r.code, prev.name
        )));
    }
    if done.iter().any(|p| p.name == name) {
        return Err(name_at.error(format!("duplicate rule name `{name}`")));
    }
    if let Some((item, at)) = &r.checklist
        && !checklist.iter().any(|c| c.id == *item)
    {
        return Err(at.error(format!(
            "unknown checklist item `{item}`; this pack defines: {}",
            if checklist.is_empty() {
                "none (add a `checklist` list, or drop the rule's `checklist`)".to_string()
            } else {
                checklist
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )));
    }
    let Some(severity) = level.severity() else {
        return Ok(None);
    };

    if let Some(shared) = shared {
        // the kind's shared parameters, under the rule's own
        let own = std::mem::replace(&mut r.params, shared.clone());
        for (k, v) in own {
            merge_param(&mut r.params, &k, v)
                .map_err(|m| r.params_at.as_ref().unwrap_or(&kind_at).error(m))?;
        }
    }
    let pack_params = r.params.clone();
    let mut params = r.params;
    let mine: Vec<&RuleOverlay> = overlay
        .rules
        .iter()
        .filter(|o| o.rule.eq_ignore_ascii_case(&r.code) || o.rule == name)
        .collect();
    for o in &mine {
        for e in &o.entries {
            merge_param(&mut params, &e.key, e.value.clone()).map_err(|m| e.at.error(m))?;
        }
    }
    // parameters exactly as a built-in pack wrote them: no syntax check of their patterns
    let builtin = mine.is_empty() && r.params_at.as_ref().is_none_or(|at| at.src.builtin);
    let compiled = if builtin {
        check::trusting(|| check::compile(&kind, params, template))
    } else {
        check::compile(&kind, params, template)
    };
    let check = match compiled {
        Ok(c) => c,
        Err(check::CompileError::UnknownKind) => {
            return Err(kind_at.error(format!(
                "unknown check kind `{kind}`; known kinds: {}",
                check::kinds().collect::<Vec<_>>().join(", ")
            )));
        }
        Err(check::CompileError::Params(m)) => {
            let message = format!(
                "invalid params for check `{kind}` in rule `{}`: {m}",
                r.code
            );
            // blame the configuration when the pack's own parameters compile
            if !mine.is_empty() && check::compile(&kind, pack_params, template).is_ok() {
                let entries: Vec<&OverlayEntry> = mine.iter().flat_map(|o| &o.entries).collect();
                let named = entries
                    .iter()
                    .find(|e| m.contains(&format!("`{}`", e.key)))
                    .or(if entries.len() == 1 {
                        entries.first()
                    } else {
                        None
                    });
                let entry = named.map(|e| &e.at).unwrap_or(&mine[0].at);
                return Err(entry.error(message));
            }
            return Err(r.params_at.as_ref().unwrap_or(&kind_at).error(message));
        }
    };
    Ok(Some(Rule {
        code: r.code,
        name,
        kind,
        severity,
        checklist: r.checklist.map(|(c, _)| c),
        docs,
        check,
    }))
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPack {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extends: Option<Spanned<String>>,
    #[serde(default)]
    files: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    checklist: Option<Vec<ChecklistItem>>,
    #[serde(default)]
    sections: Option<Vec<TemplateSection>>,
    /// `[defaults.<kind>]`: parameters shared by every rule of a check kind (vocabularies).
    #[serde(default)]
    defaults: BTreeMap<String, Spanned<toml::Table>>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    code: Spanned<String>,
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    check: Option<Spanned<String>>,
    #[serde(default)]
    severity: Option<Level>,
    #[serde(default)]
    checklist: Option<Spanned<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    what: Option<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    bad: Option<String>,
    #[serde(default)]
    good: Option<String>,
    #[serde(default)]
    params: Option<Spanned<toml::Table>>,
}

/// `packs` and after them every built-in pack not among them: the rule reference and
/// `spec-check rule` cover rules whose pack is not enabled.
pub fn with_every_builtin(mut packs: Vec<RulePack>) -> Result<Vec<RulePack>, PackError> {
    for (id, _) in BUILTIN {
        if !packs.iter().any(|p| p.id == *id) {
            packs.push(RulePack::builtin(id)?);
        }
    }
    Ok(packs)
}

/// `(id, version)` of each built-in pack, read without compiling it (for `--version`).
pub fn builtin_versions() -> Vec<(&'static str, String)> {
    #[derive(Deserialize)]
    struct Head {
        version: Option<String>,
    }
    BUILTIN
        .iter()
        .map(|(id, src)| {
            // top-level keys come before the first table header: parse only those (every
            // run builds `--version`'s text, and a pack is thousands of lines); a line that
            // starts with `[` inside a multi-line value cuts it short, then parse it all
            let head = src
                .match_indices('\n')
                .map(|(i, _)| i + 1)
                .find(|&i| src[i..].trim_start_matches([' ', '\t']).starts_with('['))
                .map_or(*src, |i| &src[..i]);
            let v = toml::from_str::<Head>(head)
                .or_else(|_| toml::from_str::<Head>(src))
                .ok()
                .and_then(|h| h.version)
                .unwrap_or_else(|| "?".to_string());
            (*id, v)
        })
        .collect()
}
