//! An error located in a TOML file — a rule pack or the configuration — and its rendering
//! as an annotated snippet that points at the key or value at fault.

use std::ops::Range;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// Which kind of TOML file an error is in (it titles the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlFile {
    Pack,
    Config,
}

/// A TOML file that could not be used, with the place in its text.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct TomlError {
    pub file: TomlFile,
    /// A path, or "built-in pack `id`".
    pub origin: String,
    /// The TOML text the span points into (empty when there is none).
    pub toml: String,
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl TomlError {
    /// The error as text for stderr: an annotated snippet when the place is known.
    pub fn render(&self, color: bool) -> String {
        let what = match self.file {
            TomlFile::Pack => "invalid rule pack",
            TomlFile::Config => "invalid configuration",
        };
        let title = format!("{what}: {}", self.message);
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        match &self.span {
            Some(span) if !self.toml.is_empty() => {
                let span = clamp(&self.toml, span.clone());
                let report = &[Level::ERROR.primary_title(title.as_str()).element(
                    Snippet::source(self.toml.as_str())
                        .path(self.origin.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                )];
                format!("{}\n", renderer.render(report))
            }
            _ => format!("error: {}: {title}\n", self.origin),
        }
    }

    /// 1-based line of the span, if any.
    pub fn line(&self) -> Option<usize> {
        let span = self.span.as_ref()?;
        Some(line_of(&self.toml, span.start))
    }
}

/// 1-based line number of `byte` in `text`.
pub fn line_of(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.as_bytes()[..byte]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A span on char boundaries inside `text`.
fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
    let fix = |mut b: usize| {
        b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        b
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}
