//! Applying fixes: the one routine behind `--fix` and `--diff`.
//!
//! Checkers offer fixes as data (`Fix { title, applicability, edits, path }`). This module
//! picks the fixes the user allowed, applies the non-overlapping ones to the text, checks the
//! new text with the same packs and repeats until nothing changes (bounded). A fix that would
//! add findings of another rule is dropped and reported instead. Nothing here touches the
//! disk except `write_changes`, which replaces each file atomically (a temporary file in the
//! same directory, fsync, rename) or not at all; `unified_diff` renders the same changes as a
//! patch for `git apply` / `patch -p1`.

use crate::source::normalize_path;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::pack::RulePack;
use crate::source::{SourceFile, Workspace, display_path};
use crate::{EngineOptions, check_file};

/// Which fixes to apply, and how hard to try.
#[derive(Debug, Clone, Copy)]
pub struct FixSettings {
    /// Also apply `Unsafe` fixes (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Give up after this many check-and-fix rounds per document.
    pub max_rounds: usize,
    /// How suppression comments are honoured, as in the check.
    pub suppression: crate::suppress::Options,
    /// How each document's language is chosen, as in the check.
    pub language: crate::language::LanguageSetting,
}

impl Default for FixSettings {
    fn default() -> Self {
        FixSettings {
            unsafe_fixes: false,
            max_rounds: 10,
            suppression: crate::suppress::Options::default(),
            language: crate::language::LanguageSetting::Auto,
        }
    }
}

impl FixSettings {
    fn allows(&self, a: Applicability) -> bool {
        match a {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }
}

/// One fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFix {
    pub code: String,
    pub rule: String,
    pub title: String,
    /// The file it changed.
    pub path: PathBuf,
}

/// A fix that was offered but not applied, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFix {
    pub code: String,
    pub rule: String,
    pub title: String,
    pub reason: String,
}

/// What fixing one checked document did.
#[derive(Debug, Clone, Default)]
pub struct DocumentFixes {
    pub path: PathBuf,
    /// Findings of the first check that the fixed text no longer has.
    pub fixed: usize,
    /// Findings the fixed text still has (including the empty sections of inserted skeletons).
    pub remaining: usize,
    /// Findings the fixed text has beyond the original's, rule by rule (what inserted
    /// skeletons carry: an empty section, a service without its auth method …).
    pub added: usize,
    /// Every fix applied, follow-ups included (a renumbering that an insertion made necessary).
    pub applied: Vec<AppliedFix>,
    pub skipped: Vec<SkippedFix>,
    /// Check-and-fix rounds it took.
    pub rounds: usize,
}

/// A file whose text the fixes change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    pub original: String,
    pub fixed: String,
}

/// The outcome of fixing a set of documents: the changed files (documents and the other
/// files their fixes touch) and a per-document account.
#[derive(Debug, Clone, Default)]
pub struct FixRun {
    pub changes: Vec<FileChange>,
    pub documents: Vec<DocumentFixes>,
}

impl FixRun {
    /// Findings fixed over all documents.
    pub fn fixed(&self) -> usize {
        self.documents.iter().map(|d| d.fixed).sum()
    }

    /// Findings the fixes brought over all documents (see [`DocumentFixes::added`]).
    pub fn added(&self) -> usize {
        self.documents.iter().map(|d| d.added).sum()
    }
}

/// Why fixing or writing failed. The files on disk are unchanged when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error(
        "{path}: fixes did not settle after {rounds} rounds; rules still changing it: {rules}. Nothing was written. This is a bug in spec-check: please report it with the file; `--ignore CODE` for those rules works around it"
    )]
    NoConvergence {
        path: String,
        rounds: usize,
        rules: String,
    },
    #[error("{path}: the file is read-only; nothing was written (make it writable, or use --diff)")]
    ReadOnlyFile { path: String },
    #[error(
        "{path}: its directory {dir} is read-only, so the file cannot be replaced safely; nothing was written (use --diff)"
    )]
    ReadOnlyDir { path: String, dir: String },
    #[error(
        "{path}: the file changed on disk while it was being fixed; nothing was written, run again"
    )]
    Changed { path: String },
    #[error("{path}: cannot write the fixed file: {source}; nothing was written")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Fix `files` with `packs`, reading other files through `workspace`. Documents are fixed
/// one after another so a file that several documents edit (the status file) accumulates
/// their fixes. Nothing is written.
pub fn fix_files(
    packs: &[RulePack],
    files: &[SourceFile],
    workspace: &dyn Workspace,
    settings: &FixSettings,
) -> Result<FixRun, FixError> {
    let mut pending = Pending::default();
    let mut run = FixRun::default();
    for file in files {
        let fixer = Fixer {
            packs,
            file,
            doc_key: normalize_path(&file.path),
            workspace,
            pending: &pending,
            settings,
        };
        let (doc, texts) = fixer.run()?;
        let changed: Vec<(PathBuf, PathBuf, String, String)> = texts
            .into_iter()
            .map(|(key, text)| {
                if key == fixer.doc_key {
                    (key, file.path.clone(), file.text.clone(), text)
                } else {
                    let original = fixer.read(&key).unwrap_or_default();
                    (key.clone(), key, original, text)
                }
            })
            .collect();
        for (key, path, original, text) in changed {
            pending.record(key, path, original, text);
        }
        run.documents.push(doc);
    }
    run.changes = pending.into_changes();
    Ok(run)
}

/// Files changed by the documents fixed so far: path, original and current text, by
/// normalised path.
#[derive(Debug, Default)]
struct Pending {
    files: BTreeMap<PathBuf, (PathBuf, String, String)>,
}

impl Pending {
    fn current(&self, key: &Path) -> Option<&str> {
        self.files.get(key).map(|(_, _, now)| now.as_str())
    }

    /// Keep the first original a file had and its latest text.
    fn record(&mut self, key: PathBuf, path: PathBuf, original: String, text: String) {
        match self.files.get_mut(&key) {
            Some(entry) => entry.2 = text,
            None => {
                self.files.insert(key, (path, original, text));
            }
        }
    }

    fn into_changes(self) -> Vec<FileChange> {
        self.files
            .into_values()
            .filter(|(_, original, fixed)| original != fixed)
            .map(|(path, original, fixed)| FileChange {
                path,
                original,
                fixed,
            })
            .collect()
    }
}

/// Texts being fixed for one document, by normalised path: the document and the other
/// files its fixes edit.
type Texts = BTreeMap<PathBuf, String>;

/// The workspace as the fixes left it, for cross-file rules: the texts being fixed, then the
/// files earlier documents changed, then the real files.
struct Overlay<'a> {
    base: &'a dyn Workspace,
    pending: &'a Pending,
    texts: &'a Texts,
}

impl Overlay<'_> {
    fn get(&self, path: &Path) -> Option<String> {
        let key = normalize_path(path);
        self.texts
            .get(&key)
            .cloned()
            .or_else(|| self.pending.current(&key).map(str::to_string))
    }
}

impl Workspace for Overlay<'_> {
    fn read(&self, path: &Path) -> Option<String> {
        self.get(path).or_else(|| self.base.read(path))
    }

    fn exists(&self, path: &Path) -> bool {
        self.get(path).is_some() || self.base.exists(path)
    }

    fn list_dir(&self, dir: &Path) -> Vec<String> {
        self.base.list_dir(dir)
    }
}

/// A fix picked for a round, with where it came from.
#[derive(Debug, Clone)]
struct Candidate {
    code: String,
    rule: String,
    fix: Fix,
    /// The file it edits (normalised); the document's own key for document edits.
    target: PathBuf,
    /// Identifies the fix across rounds, where byte offsets shift.
    key: String,
}

/// Per-rule finding counts of one check of a document.
type Counts = HashMap<String, usize>;

/// The state of a document and the files its fixes touch, checked.
#[derive(Clone)]
struct Checked {
    diagnostics: Vec<Diagnostic>,
    /// Findings per rule that no allowed fix can remove. Findings that carry a fix are left
    /// out: the next round fixes them (a renumbered section makes its subsections' numbers
    /// wrong until they follow).
    stuck: Counts,
    /// `stuck`, leaving out what the last edits' skeletons account for.
    stuck_new: Counts,
}

/// Fixing one document.
struct Fixer<'a> {
    packs: &'a [RulePack],
    file: &'a SourceFile,
    doc_key: PathBuf,
    workspace: &'a dyn Workspace,
    /// Files changed by the documents fixed before this one.
    pending: &'a Pending,
    settings: &'a FixSettings,
}

impl Fixer<'_> {
    /// Check, fix, re-check until no allowed fix changes anything. Returns the account and
    /// the final texts of the document and the other files it changed.
    fn run(&self) -> Result<(DocumentFixes, Texts), FixError> {
        let mut out = DocumentFixes {
            path: self.file.path.clone(),
            ..DocumentFixes::default()
        };
        let mut texts: Texts = BTreeMap::new();
        texts.insert(self.doc_key.clone(), self.file.text.clone());
        let mut dropped: HashSet<String> = HashSet::new();
        let mut seen: HashSet<u64> = HashSet::new();
        let mut current = self.check(&texts, &[]);
        let first = current.diagnostics.clone();
        for round in 1..=self.settings.max_rounds + 1 {
            let candidates = self.candidates(&current.diagnostics, &dropped);
            // overlapping fixes wait for the next round, when their checker recomputes them
            let batch = self.select(&candidates, &texts, &mut out);
            if batch.is_empty() {
                break;
            }
            if round > self.settings.max_rounds {
                return Err(self.no_convergence(self.settings.max_rounds, &batch));
            }
            out.rounds = round;
            // The whole batch at once; if some rule gained findings, one fix at a time.
            let (all_texts, inserted) = self.apply(&batch, &texts);
            let all_checked = self.check(&all_texts, &inserted);
            let (accepted, next_texts, next) =
                if increases(&current.stuck, &all_checked.stuck_new, None).is_empty() {
                    (batch, all_texts, all_checked)
                } else {
                    self.one_by_one(&batch, &texts, &current, &mut dropped, &mut out)
                };
            if accepted.is_empty() {
                continue; // all dropped; the next round offers what is left
            }
            for c in &accepted {
                // declined in an earlier state, applied in this one: its note no longer holds
                out.skipped
                    .retain(|s| !(s.code == c.code && s.title == c.fix.title));
                out.applied.push(AppliedFix {
                    code: c.code.clone(),
                    rule: c.rule.clone(),
                    title: c.fix.title.clone(),
                    path: if c.target == self.doc_key {
                        self.file.path.clone()
                    } else {
                        c.target.clone()
                    },
                });
            }
            texts = next_texts;
            current = next;
            // A fix declined because of what the text was then may fit the text as it is now
            // (a skeleton inserted beside it settles the outline): offer it again. The
            // fingerprint check below still stops a cycle.
            dropped.clear();
            // a text seen before means the fixes undo each other: stop rather than cycle
            if !seen.insert(fingerprint(&texts)) {
                return Err(self.no_convergence(round, &accepted));
            }
        }
        out.fixed = gone(&first, &current.diagnostics);
        out.added = more_per_rule(&first, &current.diagnostics);
        out.remaining = current.diagnostics.len();
        Ok((out, texts))
    }

    fn no_convergence(&self, rounds: usize, batch: &[Candidate]) -> FixError {
        let mut rules: Vec<String> = batch
            .iter()
            .map(|c| format!("{} ({})", c.code, c.rule))
            .collect();
        rules.sort();
        rules.dedup();
        FixError::NoConvergence {
            path: display_path(&self.file.path),
            rounds,
            rules: rules.join(", "),
        }
    }

    /// A file's text before this document's fixes.
    fn read(&self, key: &Path) -> Option<String> {
        self.pending
            .current(key)
            .map(str::to_string)
            .or_else(|| self.workspace.read(key))
    }

    fn text_of(&self, key: &Path, texts: &Texts) -> Option<String> {
        texts.get(key).cloned().or_else(|| self.read(key))
    }

    /// Check the document as `texts` has it. In `stuck_new`, findings that lie inside the
    /// section skeletons the last edits inserted (`inserted`) are not counted: a skeleton is
    /// empty on purpose, and what the rules say about it (empty, no auth method, no test
    /// layers) is the author's to-do list, not a regression.
    fn check(&self, texts: &Texts, inserted: &[Range<usize>]) -> Checked {
        let overlay = Overlay {
            base: self.workspace,
            pending: self.pending,
            texts,
        };
        let source = SourceFile {
            path: self.file.path.clone(),
            text: texts.get(&self.doc_key).cloned().unwrap_or_default(),
            origin: self.file.origin,
            explicit: self.file.explicit,
        };
        let opts = EngineOptions {
            suppression: self.settings.suppression,
            language: self.settings.language,
            ..EngineOptions::default()
        };
        let (_, diagnostics) = check_file(self.packs, &source, &overlay, &opts);
        let mut stuck = Counts::new();
        let mut stuck_new = Counts::new();
        for d in &diagnostics {
            if d.fix()
                .is_some_and(|f| self.settings.allows(f.applicability))
            {
                continue;
            }
            *stuck.entry(d.code.clone()).or_default() += 1;
            let span = d.start.byte..d.end.byte;
            let skeleton = inserted
                .iter()
                .any(|r| r.start <= span.start && span.end <= r.end);
            if !skeleton {
                *stuck_new.entry(d.code.clone()).or_default() += 1;
            }
        }
        Checked {
            diagnostics,
            stuck,
            stuck_new,
        }
    }

    /// The fixes the user allows, in the order the checkers produced them.
    fn candidates(&self, diagnostics: &[Diagnostic], dropped: &HashSet<String>) -> Vec<Candidate> {
        let mut list = Vec::new();
        for d in diagnostics {
            let Some(fix) = d.fix() else { continue };
            if !self.settings.allows(fix.applicability) || fix.edits.is_empty() {
                continue;
            }
            let target = match &fix.path {
                Some(p) => normalize_path(p),
                None => self.doc_key.clone(),
            };
            let key = format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                d.code,
                display_path(&target),
                fix.title,
                fix.edits
                    .iter()
                    .map(|e| e.replacement.as_str())
                    .collect::<Vec<_>>()
                    .join("\u{1e}")
            );
            if dropped.contains(&key) {
                continue;
            }
            list.push(Candidate {
                code: d.code.clone(),
                rule: d.rule.clone(),
                fix: fix.clone(),
                target,
                key,
            });
        }
        list
    }

    /// Pick the fixes of one round: valid, changing something, and not overlapping a fix
    /// picked before them (the later fix waits, as a whole, for the next round). Two
    /// insertions at the same place go together only when one rule made both (it emits them
    /// in order).
    fn select(
        &self,
        candidates: &[Candidate],
        texts: &Texts,
        out: &mut DocumentFixes,
    ) -> Vec<Candidate> {
        let mut taken: HashMap<PathBuf, Vec<(Range<usize>, String)>> = HashMap::new();
        let mut batch = Vec::new();
        for c in candidates {
            let Some(text) = self.text_of(&c.target, texts) else {
                skip(out, c, "the file it edits does not exist or is not UTF-8");
                continue;
            };
            if !valid_edits(&c.fix, &text) {
                skip(
                    out,
                    c,
                    "its edits are out of range or out of order (a bug in the rule)",
                );
                continue;
            }
            if c.fix
                .edits
                .iter()
                .all(|e| text.get(e.range.clone()) == Some(e.replacement.as_str()))
            {
                continue; // changes nothing
            }
            let spans = taken.entry(c.target.clone()).or_default();
            let clash = c.fix.edits.iter().any(|e| {
                spans
                    .iter()
                    .any(|(a, code)| conflicts(&e.range, a, *code == c.code))
            });
            if clash {
                continue;
            }
            spans.extend(
                c.fix
                    .edits
                    .iter()
                    .map(|e| (e.range.clone(), c.code.clone())),
            );
            batch.push(c.clone());
        }
        batch
    }

    /// Apply non-overlapping fixes. Returns the new texts and where section skeletons
    /// landed in the new document.
    fn apply(&self, batch: &[Candidate], texts: &Texts) -> (Texts, Vec<Range<usize>>) {
        let mut by_target: BTreeMap<&Path, Vec<(usize, &Edit, bool)>> = BTreeMap::new();
        for (seq, (c, e)) in batch
            .iter()
            .flat_map(|c| c.fix.edits.iter().map(move |e| (c, e)))
            .enumerate()
        {
            by_target
                .entry(&c.target)
                .or_default()
                .push((seq, e, c.fix.skeleton));
        }
        let mut out = texts.clone();
        let mut doc_inserted = Vec::new();
        for (target, mut edits) in by_target {
            let Some(text) = self.text_of(target, texts) else {
                continue;
            };
            // by position; an insertion before a replacement that starts at the same place;
            // ties keep the order the fixes were picked in
            edits.sort_by_key(|(seq, e, _)| (e.range.start, e.range.end, *seq));
            let (new, landed) = apply_edits(&text, edits.iter().map(|(_, e, _)| *e));
            if target == self.doc_key {
                doc_inserted = landed
                    .into_iter()
                    .zip(&edits)
                    .filter(|(_, (_, _, skeleton))| *skeleton)
                    .map(|(r, _)| r)
                    .collect();
            }
            out.insert(target.to_path_buf(), new);
        }
        (out, doc_inserted)
    }

    /// Add the round's fixes one at a time, keeping each only if no other rule gains
    /// findings that no fix removes; a dropped fix is not offered again.
    fn one_by_one(
        &self,
        batch: &[Candidate],
        texts: &Texts,
        current: &Checked,
        dropped: &mut HashSet<String>,
        out: &mut DocumentFixes,
    ) -> (Vec<Candidate>, Texts, Checked) {
        let mut accepted: Vec<Candidate> = Vec::new();
        let mut state_texts = texts.clone();
        let mut state = current.clone();
        // What a trial is compared with: the counts before the round, then those of the
        // accepted fixes, both leaving out the same skeletons the trial leaves out.
        let mut baseline = current.stuck.clone();
        for c in batch {
            let mut trial = accepted.clone();
            trial.push(c.clone());
            let (t, inserted) = self.apply(&trial, texts);
            let checked = self.check(&t, &inserted);
            let worse = increases(&baseline, &checked.stuck_new, Some(&c.code));
            if worse.is_empty() {
                accepted.push(c.clone());
                state_texts = t;
                baseline = checked.stuck_new.clone();
                state = checked;
                continue;
            }
            dropped.insert(c.key.clone());
            let what = worse
                .iter()
                .map(|(code, n)| {
                    let rule = checked
                        .diagnostics
                        .iter()
                        .find(|d| &d.code == code)
                        .map_or("", |d| d.rule.as_str());
                    format!("{n} more {code} ({rule})")
                })
                .collect::<Vec<_>>()
                .join(", ");
            skip(
                out,
                c,
                &format!("it would add findings of another rule: {what}"),
            );
        }
        (accepted, state_texts, state)
    }
}

/// How many findings of `before` are not in `after`, matched by rule and message (positions
/// move when text is inserted).
fn gone(before: &[Diagnostic], after: &[Diagnostic]) -> usize {
    let mut left: HashMap<(&str, &str), usize> = HashMap::new();
    for d in after {
        *left.entry((d.code.as_str(), d.message())).or_default() += 1;
    }
    before
        .iter()
        .filter(|d| match left.get_mut(&(d.code.as_str(), d.message())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .count()
}

/// How many more findings `after` has than `before`, rule by rule (a finding whose message
/// only changed, such as a renumbered section's, is not new).
fn more_per_rule(before: &[Diagnostic], after: &[Diagnostic]) -> usize {
    let mut delta: HashMap<&str, isize> = HashMap::new();
    for d in after {
        *delta.entry(d.code.as_str()).or_default() += 1;
    }
    for d in before {
        *delta.entry(d.code.as_str()).or_default() -= 1;
    }
    delta.values().map(|&n| n.max(0) as usize).sum()
}

fn fingerprint(texts: &Texts) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    texts.hash(&mut h);
    h.finish()
}

fn skip(out: &mut DocumentFixes, c: &Candidate, reason: &str) {
    if !out
        .skipped
        .iter()
        .any(|s| s.code == c.code && s.title == c.fix.title && s.reason == reason)
    {
        out.skipped.push(SkippedFix {
            code: c.code.clone(),
            rule: c.rule.clone(),
            title: c.fix.title.clone(),
            reason: reason.to_string(),
        });
    }
}

/// Edits in order, inside the text, on character boundaries, not overlapping each other.
fn valid_edits(fix: &Fix, text: &str) -> bool {
    let mut end = 0;
    for e in &fix.edits {
        let r = &e.range;
        if r.start > r.end
            || r.start < end
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            return false;
        }
        end = r.end;
    }
    true
}

/// Whether edit range `e` collides with an already picked range `a`.
fn conflicts(e: &Range<usize>, a: &Range<usize>, same_rule: bool) -> bool {
    match (e.is_empty(), a.is_empty()) {
        (false, false) => e.start < a.end && a.start < e.end,
        (true, false) => a.start < e.start && e.start < a.end,
        (false, true) => e.start < a.start && a.start < e.end,
        (true, true) => e.start == a.start && !same_rule,
    }
}

/// Apply sorted, non-overlapping edits to `text`; also returns where each replacement
/// landed in the new text.
fn apply_edits<'e>(
    text: &str,
    edits: impl Iterator<Item = &'e Edit>,
) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len() + 256);
    let mut pos = 0;
    let mut landed = Vec::new();
    for e in edits {
        let start = e.range.start.max(pos);
        out.push_str(&text[pos..start]);
        let at = out.len();
        out.push_str(&e.replacement);
        landed.push(at..out.len());
        pos = e.range.end.max(pos);
    }
    out.push_str(&text[pos..]);
    (out, landed)
}

/// Rules (other than `own`) with more findings in `after` than in `before`, and how many.
fn increases(before: &Counts, after: &Counts, own: Option<&str>) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = after
        .iter()
        .filter(|(code, _)| Some(code.as_str()) != own)
        .filter_map(|(code, n)| {
            let b = before.get(code).copied().unwrap_or(0);
            (*n > b).then(|| (code.clone(), n - b))
        })
        .collect();
    v.sort();
    v
}

/// A unified diff of `changes`, with `a/` and `b/` paths relative to `root` (the repository
/// root, or the current directory outside a repository), as `git apply` and `patch -p1`
/// read it. `cwd` is where the changes' relative paths start from.
pub fn unified_diff(changes: &[FileChange], cwd: &Path, root: &Path) -> String {
    let mut out = String::new();
    for c in changes {
        let shown = patch_path(&c.path, cwd, root);
        let a = format!("a/{shown}");
        let b = format!("b/{shown}");
        let diff = similar::TextDiff::from_lines(&c.original, &c.fixed);
        let body = diff
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string();
        if body.is_empty() {
            continue;
        }
        out.push_str(&format!("diff --git {a} {b}\n"));
        out.push_str(&body);
    }
    out
}

/// `path` (relative to `cwd`, or absolute) relative to `root`, `/`-separated.
fn patch_path(path: &Path, cwd: &Path, root: &Path) -> String {
    let abs = normalize_path(&cwd.join(path));
    let root = normalize_path(root);
    match abs.strip_prefix(&root) {
        Ok(rel) => display_path(rel),
        Err(_) => display_path(&normalize_path(path)),
    }
}

/// Write every change, each atomically; if any file cannot be staged (read-only, changed on
/// disk, no space), none is written.
pub fn write_changes(changes: &[FileChange]) -> Result<(), FixError> {
    let mut staged: Vec<Staged> = Vec::with_capacity(changes.len());
    for c in changes {
        match stage(c) {
            Ok(s) => staged.push(s),
            Err(e) => {
                for s in staged {
                    let _ = fs::remove_file(&s.temp);
                }
                return Err(e);
            }
        }
    }
    let mut iter = staged.into_iter();
    while let Some(s) = iter.next() {
        if let Err(e) = fs::rename(&s.temp, &s.target) {
            let _ = fs::remove_file(&s.temp);
            for rest in iter {
                let _ = fs::remove_file(&rest.temp);
            }
            return Err(FixError::Io {
                path: s.shown,
                source: e,
            });
        }
        sync_dir(&s.target);
    }
    Ok(())
}

/// A fixed file written next to its target, not yet renamed over it.
struct Staged {
    temp: PathBuf,
    target: PathBuf,
    shown: String,
}

fn stage(c: &FileChange) -> Result<Staged, FixError> {
    let shown = display_path(&c.path);
    let io = |source: std::io::Error| FixError::Io {
        path: shown.clone(),
        source,
    };
    // a symlink is replaced at its target, so the link stays a link
    let target = fs::canonicalize(&c.path).map_err(io)?;
    let meta = fs::metadata(&target).map_err(io)?;
    if meta.permissions().readonly() {
        return Err(FixError::ReadOnlyFile { path: shown });
    }
    let dir = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir_meta = fs::metadata(&dir).map_err(io)?;
    if dir_meta.permissions().readonly() {
        return Err(FixError::ReadOnlyDir {
            path: shown,
            dir: display_path(&dir),
        });
    }
    let now = fs::read(&target).map_err(io)?;
    if now != c.original.as_bytes() {
        return Err(FixError::Changed { path: shown });
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut n = 0u32;
    let (temp, mut f) = loop {
        let temp = dir.join(format!(".{name}.spec-check-{}-{n}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(f) => break (temp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(FixError::ReadOnlyDir {
                    path: shown,
                    dir: display_path(&dir),
                });
            }
            Err(e) => return Err(io(e)),
        }
    };
    let written = f
        .write_all(c.fixed.as_bytes())
        .and_then(|()| f.sync_all())
        .and_then(|()| fs::set_permissions(&temp, meta.permissions()));
    drop(f);
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(Staged {
        temp,
        target,
        shown,
    })
}

/// Make the rename durable (best effort: not every platform can open a directory).
fn sync_dir(target: &Path) {
    if let Some(dir) = target.parent()
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}
