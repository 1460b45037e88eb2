//! Settings: `spec-check.toml` (or `.spec-check.toml`) found by walking up from the current
//! directory to the repository root, layered under the command line, with where each value
//! came from; and the packs those settings select, their rules filtered and re-levelled.
//! The keys and their documentation are in `keys`; `spec-check config`'s printer in `show`.

use crate::source::normalize_path;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Level, Severity};
use crate::pack::{Overlay, OverlayEntry, Place, RuleOverlay, RulePack, SectionOverlay};
use crate::report::FailOn;
use crate::source::FileFilter;
use crate::suppress;
use crate::toml_error::{TomlError, TomlFile};

mod keys;
mod show;

pub use keys::{KEYS, KeyDoc, init_template, reference_table};

/// Configuration file names, in the order they are looked for in each directory.
pub const FILE_NAMES: [&str; 2] = ["spec-check.toml", ".spec-check.toml"];

/// The packs a run uses when nothing says otherwise.
pub const DEFAULT_PACKS: &[&str] = &["vibe-step-6"];

/// Files larger than this are not checked (exit 2, never a silent pass): comrak's tree takes about twelve times
/// the input, so 10 MiB stays near 150 MB of memory; real specifications are < 1 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File { path: String, line: usize },
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{path}:{line}"),
            Origin::Flag(flag) => f.write_str(flag),
        }
    }
}

/// A resolved value and where it came from.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn default(value: T) -> Self {
        Setting {
            value,
            origin: Origin::Default,
        }
    }
}

/// One entry of a list setting; `place` points into the configuration for errors.
#[derive(Debug, Clone)]
pub struct Item {
    pub text: String,
    pub place: Option<Place>,
}

impl Item {
    fn plain(text: impl Into<String>) -> Item {
        Item {
            text: text.into(),
            place: None,
        }
    }
}

/// The command line's say, already parsed by the binary (nothing here knows clap).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--config PATH`.
    pub config: Option<PathBuf>,
    /// `--isolated`: ignore every configuration file.
    pub isolated: bool,
    pub packs: Option<Vec<String>>,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub changed_lines_only: Option<bool>,
    pub max_file_size: Option<String>,
    pub baseline: Option<PathBuf>,
}

/// Why the settings could not be resolved (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Toml(#[from] TomlError),
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Flag(String),
}

/// The configuration file in use.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// As shown to the user.
    pub shown: String,
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// The resolved settings of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub file: Option<ConfigFile>,
    /// Where configuration files were looked for, nearest first (for `spec-check config`).
    pub searched: Vec<PathBuf>,
    /// The directory `include`, `exclude`, pack paths and `baseline` are relative to.
    pub base: PathBuf,
    pub packs: Setting<Vec<Item>>,
    pub include: Setting<Vec<Item>>,
    pub exclude: Setting<Vec<Item>>,
    pub select: Setting<Vec<Item>>,
    pub extend_select: Setting<Vec<Item>>,
    pub ignore: Setting<Vec<Item>>,
    pub fail_on: Setting<FailOn>,
    pub changed_lines_only: Setting<bool>,
    pub max_file_size: Setting<u64>,
    pub require_suppression_reason: Setting<bool>,
    pub language: Setting<crate::language::LanguageSetting>,
    pub baseline: Setting<Option<PathBuf>>,
    /// `[severity]` entries in file order.
    pub severity: Vec<(Item, Level)>,
    pub overlay: Overlay,
    /// Selection layers in order: the file's, then the command line's.
    layers: Vec<Layer>,
    filter: FileFilter,
}

/// One layer of rule selection (ruff's model): `select` replaces what earlier layers chose,
/// `extend-select` adds, `ignore` removes; within a layer the most specific selector wins.
#[derive(Debug, Clone, Default)]
struct Layer {
    select: Option<Vec<Item>>,
    extend_select: Vec<Item>,
    ignore: Vec<Item>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    packs: Option<Spanned<Vec<Spanned<String>>>>,
    include: Option<Spanned<Vec<Spanned<String>>>>,
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    select: Option<Spanned<Vec<Spanned<String>>>>,
    extend_select: Option<Spanned<Vec<Spanned<String>>>>,
    ignore: Option<Spanned<Vec<Spanned<String>>>>,
    fail_on: Option<Spanned<FailOn>>,
    changed_lines_only: Option<Spanned<bool>>,
    max_file_size: Option<Spanned<toml::Value>>,
    require_suppression_reason: Option<Spanned<bool>>,
    language: Option<Spanned<String>>,
    baseline: Option<Spanned<String>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<Level>>>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<RawRuleParams>>>,
    sections: Option<BTreeMap<Spanned<String>, Spanned<RawSection>>>,
}

/// `[rules.<rule>]`: parameter name → value, both with positions.
type RawRuleParams = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSection {
    aliases: Option<Vec<String>>,
    #[serde(default)]
    extend_aliases: Vec<String>,
    essential: Option<bool>,
    optional: Option<bool>,
}

/// The configuration file that applies in `cwd`: the nearest `spec-check.toml` or
/// `.spec-check.toml` from `cwd` up to the repository root. Outside a repository only `cwd`
/// is looked at, so a stray file in a parent directory never changes a run.
/// Returns the file (if any) and the directories searched.
pub fn discover(cwd: &Path) -> (Option<PathBuf>, Vec<PathBuf>) {
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    let root = crate::source::fs::repo_root(&cwd);
    let mut searched = Vec::new();
    for dir in cwd.ancestors() {
        searched.push(dir.to_path_buf());
        for name in FILE_NAMES {
            let p = dir.join(name);
            if p.is_file() {
                return (Some(p), searched);
            }
        }
        if root.as_deref().is_none_or(|r| r == dir) {
            break;
        }
    }
    (None, searched)
}

impl Settings {
    /// Resolve the settings for a run in `cwd`: defaults, then the configuration file, then
    /// the command line.
    pub fn resolve(cwd: &Path, flags: &Overrides) -> Result<Settings, ConfigError> {
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        let (path, searched) = if flags.isolated {
            (None, Vec::new())
        } else if let Some(p) = &flags.config {
            (Some(cwd.join(p)), Vec::new())
        } else {
            discover(&cwd)
        };
        let file = match path {
            None => None,
            Some(path) => {
                let shown = crate::source::display_path(&relative(&path, &cwd));
                let text = std::fs::read(&path)
                    .and_then(|b| {
                        String::from_utf8(b).map_err(|_| {
                            std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-8")
                        })
                    })
                    .map_err(|source| ConfigError::Read {
                        path: shown.clone(),
                        source,
                    })?;
                Some(ConfigFile {
                    shown,
                    path,
                    text: text.into(),
                })
            }
        };
        let base = match &file {
            Some(f) => f
                .path
                .parent()
                .map_or_else(|| cwd.clone(), Path::to_path_buf),
            None => crate::source::fs::repo_root(&cwd).unwrap_or_else(|| cwd.clone()),
        };
        let mut s = Settings {
            file: None,
            searched,
            base,
            packs: Setting::default(DEFAULT_PACKS.iter().map(|p| Item::plain(*p)).collect()),
            include: Setting::default(vec![Item::plain("**/*.md")]),
            exclude: Setting::default(Vec::new()),
            select: Setting::default(vec![Item::plain("ALL")]),
            extend_select: Setting::default(Vec::new()),
            ignore: Setting::default(Vec::new()),
            fail_on: Setting::default(FailOn::Error),
            changed_lines_only: Setting::default(false),
            max_file_size: Setting::default(DEFAULT_MAX_FILE_SIZE),
            require_suppression_reason: Setting::default(false),
            language: Setting::default(crate::language::LanguageSetting::Auto),
            baseline: Setting::default(None),
            severity: Vec::new(),
            overlay: Overlay::default(),
            layers: Vec::new(),
            filter: FileFilter::default(),
        };
        if let Some(f) = &file {
            s.apply_file(f)?;
        }
        s.file = file;
        s.apply_flags(flags, &cwd)?;
        s.filter = file_filter(&s.base, &s.include, &s.exclude)?;
        Ok(s)
    }

    fn apply_file(&mut self, f: &ConfigFile) -> Result<(), ConfigError> {
        let origin: Arc<str> = f.shown.clone().into();
        let place = |span: Range<usize>| Place {
            file: TomlFile::Config,
            origin: Arc::clone(&origin),
            toml: Arc::clone(&f.text),
            span,
        };
        let at = |span: Range<usize>| Origin::File {
            path: f.shown.clone(),
            line: crate::toml_error::line_of(&f.text, span.start),
        };
        let raw: RawConfig = toml::from_str(&f.text).map_err(|e| TomlError {
            file: TomlFile::Config,
            origin: f.shown.clone(),
            toml: f.text.to_string(),
            span: e.span(),
            message: friendlier(e.message().trim()),
        })?;
        let list = |v: Spanned<Vec<Spanned<String>>>| Setting {
            origin: at(v.span()),
            value: v
                .into_inner()
                .into_iter()
                .map(|s| Item {
                    place: Some(place(s.span())),
                    text: s.into_inner(),
                })
                .collect::<Vec<Item>>(),
        };
        if let Some(v) = raw.packs {
            let span = v.span();
            self.packs = list(v);
            if self.packs.value.is_empty() {
                return Err(place(span)
                    .error("`packs` is empty: name at least one pack, e.g. `packs = [\"vibe-step-6\"]`")
                    .into());
            }
        }
        if let Some(v) = raw.include {
            self.include = list(v);
        }
        if let Some(v) = raw.exclude {
            self.exclude = list(v);
        }
        let mut layer = Layer::default();
        if let Some(v) = raw.select {
            self.select = list(v);
            layer.select = Some(self.select.value.clone());
        }
        if let Some(v) = raw.extend_select {
            self.extend_select = list(v);
            layer.extend_select = self.extend_select.value.clone();
        }
        if let Some(v) = raw.ignore {
            self.ignore = list(v);
            layer.ignore = self.ignore.value.clone();
        }
        self.layers.push(layer);
        if let Some(v) = raw.fail_on {
            self.fail_on = Setting {
                origin: at(v.span()),
                value: v.into_inner(),
            };
        }
        if let Some(v) = raw.changed_lines_only {
            self.changed_lines_only = Setting {
                origin: at(v.span()),
                value: v.into_inner(),
            };
        }
        if let Some(v) = raw.require_suppression_reason {
            self.require_suppression_reason = Setting {
                origin: at(v.span()),
                value: v.into_inner(),
            };
        }
        if let Some(v) = raw.max_file_size {
            let span = v.span();
            let size = match v.get_ref() {
                toml::Value::Integer(n) if *n > 0 => Ok(*n as u64),
                toml::Value::String(s) => parse_size(s),
                _ => Err(String::new()),
            }
            .map_err(|m| {
                place(span.clone()).error(format!(
                    "`max-file-size` must be a positive number of bytes or a size such as \"10MiB\"{}",
                    if m.is_empty() { String::new() } else { format!(": {m}") }
                ))
            })?;
            self.max_file_size = Setting {
                origin: at(span),
                value: size,
            };
        }
        if let Some(v) = raw.language {
            let value = crate::language::LanguageSetting::parse(v.get_ref()).ok_or_else(|| {
                place(v.span()).error(format!(
                    "`language` must be \"auto\" or a language code such as \"es\", \"pt-BR\" or \"zh-Hant\", not {:?}",
                    v.get_ref()
                ))
            })?;
            self.language = Setting {
                origin: at(v.span()),
                value,
            };
        }
        if let Some(v) = raw.baseline {
            if v.get_ref().trim().is_empty() {
                return Err(place(v.span())
                    .error("`baseline` is empty: give the path of a file written by `spec-check baseline`, or remove the key")
                    .into());
            }
            self.baseline = Setting {
                origin: at(v.span()),
                value: Some(self.base.join(v.get_ref())),
            };
        }
        for (k, v) in raw.severity.unwrap_or_default() {
            self.severity.push((
                Item {
                    place: Some(place(k.span())),
                    text: k.into_inner(),
                },
                v.into_inner(),
            ));
        }
        for (rule, table) in raw.rules.unwrap_or_default() {
            let table_place = place(rule.span());
            let entries = table
                .into_inner()
                .into_iter()
                .map(|(k, v)| OverlayEntry {
                    at: place(k.span().start..v.span().end),
                    key: k.into_inner(),
                    value: v.into_inner(),
                })
                .collect();
            self.overlay.rules.push(RuleOverlay {
                rule: rule.into_inner(),
                entries,
                at: table_place,
            });
        }
        for (id, sec) in raw.sections.unwrap_or_default() {
            let p = place(id.span());
            let sec = sec.into_inner();
            self.overlay.sections.push(SectionOverlay {
                section: id.into_inner(),
                aliases: sec.aliases,
                extend_aliases: sec.extend_aliases,
                essential: sec.essential,
                optional: sec.optional,
                at: p,
            });
        }
        Ok(())
    }

    fn apply_flags(&mut self, o: &Overrides, cwd: &Path) -> Result<(), ConfigError> {
        let items = |v: &[String]| v.iter().map(Item::plain).collect::<Vec<_>>();
        if let Some(p) = &o.packs {
            if p.is_empty() {
                return Err(ConfigError::Flag(
                    "--pack needs a pack id or path".to_string(),
                ));
            }
            // pack paths on the command line are relative to where it was typed
            self.packs = Setting {
                value: p
                    .iter()
                    .map(|r| {
                        if crate::pack::is_path(r) {
                            let abs = normalize_path(&cwd.join(r));
                            let base = normalize_path(&self.base);
                            let rel = abs
                                .strip_prefix(&base)
                                .map(Path::to_path_buf)
                                .unwrap_or(abs);
                            Item::plain(crate::source::display_path(&rel))
                        } else {
                            Item::plain(r.as_str())
                        }
                    })
                    .collect(),
                origin: Origin::Flag("--pack"),
            };
        }
        let mut layer = Layer::default();
        if let Some(v) = &o.select {
            self.select = Setting {
                value: items(v),
                origin: Origin::Flag("--select"),
            };
            layer.select = Some(items(v));
        }
        if !o.extend_select.is_empty() {
            self.extend_select.value.extend(items(&o.extend_select));
            self.extend_select.origin = Origin::Flag("--extend-select");
            layer.extend_select = items(&o.extend_select);
        }
        if !o.ignore.is_empty() {
            self.ignore.value.extend(items(&o.ignore));
            self.ignore.origin = Origin::Flag("--ignore");
            layer.ignore = items(&o.ignore);
        }
        self.layers.push(layer);
        if let Some(f) = o.fail_on {
            self.fail_on = Setting {
                value: f,
                origin: Origin::Flag("--fail-on"),
            };
        }
        if let Some(c) = o.changed_lines_only {
            self.changed_lines_only = Setting {
                value: c,
                origin: Origin::Flag("--changed-lines-only"),
            };
        }
        if let Some(m) = &o.max_file_size {
            let size = parse_size(m).map_err(|e| {
                ConfigError::Flag(format!(
                    "--max-file-size `{m}`: {e}; give bytes or a size such as 10MiB"
                ))
            })?;
            self.max_file_size = Setting {
                value: size,
                origin: Origin::Flag("--max-file-size"),
            };
        }
        if let Some(b) = &o.baseline {
            self.baseline = Setting {
                value: Some(cwd.join(b)),
                origin: Origin::Flag("--baseline"),
            };
        }
        Ok(())
    }

    /// Which files a walk may pick up and which are never checked.
    pub fn filter(&self) -> &FileFilter {
        &self.filter
    }

    /// Load the configured packs with the configuration's parameters merged in, then keep
    /// only the selected rules at their configured levels. Every selector, `[severity]`
    /// key, `[rules.…]` and `[sections.…]` table must name something that exists.
    pub fn load_packs(&self) -> Result<Vec<RulePack>, ConfigError> {
        let mut packs = self.load_all_packs()?;
        for pack in &mut packs {
            pack.rules
                .retain_mut(|r| match self.rule_level(&r.code, &r.name, r.severity) {
                    Some(s) => {
                        r.severity = s;
                        true
                    }
                    None => false,
                });
        }
        Ok(packs)
    }

    /// The configured packs with every rule, before selection (for `spec-check rules`).
    pub fn load_all_packs(&self) -> Result<Vec<RulePack>, ConfigError> {
        let mut packs: Vec<RulePack> = Vec::new();
        for item in &self.packs.value {
            let pack = RulePack::load(&item.text, &self.base, &self.overlay).map_err(|e| {
                match (&item.place, e.toml.is_empty()) {
                    // an unknown id or unreadable file: point at the entry that named it
                    (Some(place), true) => place.error(e.message),
                    _ => e,
                }
            })?;
            if let Some(prev) = packs.iter().find(|p| p.id == pack.id) {
                let msg = format!(
                    "pack `{}` is listed twice (`{}` has the same id as an earlier entry)",
                    prev.id, item.text
                );
                return Err(match &item.place {
                    Some(p) => p.error(msg).into(),
                    None => ConfigError::Flag(msg),
                });
            }
            packs.push(pack);
        }
        self.check_names(&packs)?;
        Ok(packs)
    }

    /// The severity a rule runs at, or `None` when it is not selected or is `off`.
    pub fn rule_level(&self, code: &str, name: &str, default: Severity) -> Option<Severity> {
        if !self.enabled(code, name) {
            return None;
        }
        match self.level_of(code, name) {
            Some(l) => l.severity(),
            None => Some(default),
        }
    }

    /// [`Settings::rule_level`] as `spec-check rules` shows it: a severity, or `off`.
    pub fn level_name(&self, code: &str, name: &str, default: Severity) -> &'static str {
        self.rule_level(code, name, default)
            .map_or("off", |s| s.as_str())
    }

    /// The engine's own rules (suppression comments) at their configured levels.
    pub fn suppression(&self) -> suppress::Options {
        let level = |r: &suppress::EngineRule| self.rule_level(r.code, r.name, r.severity);
        suppress::Options {
            unused: level(&suppress::UNUSED),
            missing_reason: if self.require_suppression_reason.value {
                level(&suppress::MISSING_REASON)
            } else {
                None
            },
        }
    }

    /// Whether the selection layers leave a rule on.
    fn enabled(&self, code: &str, name: &str) -> bool {
        let mut on = true;
        for layer in &self.layers {
            let mut best: Option<(u32, bool)> = None;
            let mut consider = |items: &[Item], enable: bool| {
                for i in items {
                    if let Some(s) = crate::selector::specificity(&i.text, code, name) {
                        // on a tie, ignore wins
                        if best.is_none_or(|(b, e)| s > b || (s == b && e && !enable)) {
                            best = Some((s, enable));
                        }
                    }
                }
            };
            if let Some(sel) = &layer.select {
                consider(sel, true);
            }
            consider(&layer.extend_select, true);
            consider(&layer.ignore, false);
            match (best, layer.select.is_some()) {
                (Some((_, e)), _) => on = e,
                (None, true) => on = false,
                (None, false) => {}
            }
        }
        on
    }

    /// The `[severity]` level for a rule: the most specific matching key (the later on a tie).
    fn level_of(&self, code: &str, name: &str) -> Option<Level> {
        let mut best: Option<(u32, Level)> = None;
        for (item, level) in &self.severity {
            if let Some(s) = crate::selector::specificity(&item.text, code, name)
                && best.is_none_or(|(b, _)| s >= b)
            {
                best = Some((s, *level));
            }
        }
        best.map(|(_, l)| l)
    }

    /// Every selector, severity key and overlay must name a rule or section that exists.
    fn check_names(&self, packs: &[RulePack]) -> Result<(), ConfigError> {
        let rules: Vec<(&str, &str)> = crate::pack::every_rule(packs)
            .map(|r| (r.code, r.name))
            .collect();
        let enabled: Vec<&str> = packs.iter().map(|p| p.id.as_str()).collect();
        let unknown = |item: &Item, what: &str, flag: Option<&str>| -> ConfigError {
            let hint = crate::selector::unknown_rule_hint(&item.text, &rules, &enabled);
            let msg = format!(
                "{what} `{}` matches no rule of the enabled packs{hint}",
                item.text
            );
            match (&item.place, flag) {
                (Some(p), _) => p.error(msg).into(),
                (None, Some(f)) => ConfigError::Flag(format!("{f}: {msg}")),
                (None, None) => ConfigError::Flag(msg),
            }
        };
        let matches_any = |sel: &str| crate::selector::matches_any(sel, &rules);
        for (items, what) in [
            (&self.select, "selector"),
            (&self.extend_select, "selector"),
            (&self.ignore, "selector"),
        ] {
            let flag = match items.origin {
                Origin::Flag(f) => Some(f),
                _ => None,
            };
            for i in &items.value {
                if !matches_any(&i.text) {
                    return Err(unknown(i, what, flag));
                }
            }
        }
        for (i, _) in &self.severity {
            if !matches_any(&i.text) {
                return Err(unknown(i, "`[severity]` key", None));
            }
        }
        for o in &self.overlay.rules {
            let found = packs.iter().any(|p| p.rule(&o.rule).is_some());
            if !found {
                let item = Item {
                    text: format!("[rules.{}]", o.rule),
                    place: Some(o.at.clone()),
                };
                if matches_any(&o.rule) {
                    return Err(o
                        .at
                        .error(format!(
                            "`[rules.{}]` must name one rule by its code or name, not a prefix",
                            o.rule
                        ))
                        .into());
                }
                return Err(unknown(&item, "the table", None));
            }
        }
        for o in &self.overlay.sections {
            let found = packs.iter().any(|p| {
                let (sec, sub) = match o.section.split_once('.') {
                    Some((a, b)) => (a, Some(b)),
                    None => (o.section.as_str(), None),
                };
                p.template.sections.iter().any(|s| {
                    s.id == sec && sub.is_none_or(|sub| s.subsections.iter().any(|x| x.id == sub))
                })
            });
            if !found {
                let ids: Vec<String> = packs
                    .iter()
                    .flat_map(|p| p.template.sections.iter().map(|s| s.id.clone()))
                    .collect();
                return Err(o
                    .at
                    .error(format!(
                        "no enabled pack has a section `{}`; sections are: {}",
                        o.section,
                        ids.join(", ")
                    ))
                    .into());
            }
        }
        Ok(())
    }
}

/// toml's messages name serde's field list; say what the user can do, and suggest the
/// nearest key or value for a typo.
fn friendlier(message: &str) -> String {
    let unknown_field = message.starts_with("unknown field");
    if !unknown_field && !message.starts_with("unknown variant") {
        return message.to_string();
    }
    // "unknown field `x`, expected one of `a`, `b`" (or "expected `a` or `b`")
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let near = quoted.split_first().and_then(|(typed, expected)| {
        crate::selector::did_you_mean(typed, expected.iter().copied())
    });
    let mut out = message.to_string();
    if let Some(near) = near {
        out.push_str(&format!("; did you mean `{near}`?"));
    } else if unknown_field {
        out.push_str("; see the configuration reference in the README or run `spec-check init`");
    }
    out
}

/// A size for people: `10 MiB`, `19.7 MiB`, `512 B` (one decimal, dropped when it is 0).
pub fn human_size(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let tenths = (n as f64 / size as f64 * 10.0).round() / 10.0;
            return if tenths.fract() == 0.0 {
                format!("{} {unit}", tenths as u64)
            } else {
                format!("{tenths:.1} {unit}")
            };
        }
    }
    format!("{n} B")
}

/// A `--max-file-size` value that lets a file of `size` bytes through: the next whole MiB.
pub fn suggested_limit(size: u64) -> String {
    format!("{}MiB", size.div_ceil(1 << 20).max(1))
}

/// A size as `init` writes it: `"10MiB"` for a whole number of KiB/MiB/GiB, else bytes.
fn toml_size(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    UNITS.iter().find(|(_, size)| n % size == 0).map_or_else(
        || n.to_string(),
        |(unit, size)| format!("\"{}{unit}\"", n / size),
    )
}

/// `10MiB`, `512 KB`, `2000000`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let at = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(at);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` does not start with a number"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000 * 1000,
        "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        other => return Err(format!("unknown unit `{other}`")),
    };
    match n.checked_mul(mult) {
        Some(0) => Err("the size must be more than 0".to_string()),
        Some(v) => Ok(v),
        None => Err("the size is too large".to_string()),
    }
}

/// The `include` / `exclude` globs as a [`FileFilter`] relative to `base`; a default
/// `include` (every markdown file) leaves the walk to the packs' `files` globs.
fn file_filter(
    base: &Path,
    include: &Setting<Vec<Item>>,
    exclude: &Setting<Vec<Item>>,
) -> Result<FileFilter, ConfigError> {
    let build = |items: &[Item], flag: &str| -> Result<Option<GlobSet>, ConfigError> {
        if items.is_empty() {
            return Ok(None);
        }
        let mut b = GlobSetBuilder::new();
        for i in items {
            let glob = GlobBuilder::new(&i.text)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    let msg = format!("invalid glob `{}`: {}", i.text, e.kind());
                    match &i.place {
                        Some(p) => ConfigError::from(p.error(msg)),
                        None => ConfigError::Flag(format!("{flag}: {msg}")),
                    }
                })?;
            b.add(glob);
        }
        b.build()
            .map(Some)
            .map_err(|e| ConfigError::Flag(format!("{flag}: {e}")))
    };
    let include = if include.origin == Origin::Default {
        None
    } else {
        build(&include.value, "include")?
    };
    Ok(FileFilter::new(
        base,
        include,
        build(&exclude.value, "exclude")?,
    ))
}

/// `path` relative to `base` when below it (for showing), else unchanged.
fn relative(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_and_init_write_them() {
        assert_eq!(human_size(10 * 1024 * 1024), "10 MiB");
        assert_eq!(human_size(20_618_479), "19.7 MiB");
        assert_eq!(human_size(512), "512 B");
        assert_eq!(toml_size(10 * 1024 * 1024), "\"10MiB\"");
        assert_eq!(toml_size(1000), "1000");
        assert_eq!(
            parse_size("10MiB").map(toml_size),
            Ok("\"10MiB\"".to_string())
        );
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("10MiB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("512 KB"), Ok(512_000));
        assert_eq!(parse_size("42"), Ok(42));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("3 parsecs").is_err());
    }
}
