//! Fingerprints that identify a finding across runs, for SARIF `partialFingerprints` and
//! GitLab's `fingerprint`: code scanning and merge-request widgets use them to tell a new
//! finding from one that was already there.
//!
//! A fingerprint hashes the file, the rule code, the text of the lines under the finding
//! (each line trimmed, so re-indenting does not matter) and an occurrence counter for
//! identical findings in one file. It deliberately leaves out line numbers: a finding keeps
//! its fingerprint when text is added above it, and changes when its own lines change.
//! Findings about the document as a whole (a missing section) sit on an arbitrary line, the
//! title; for them the message, which names what is missing, stands in for the lines, so
//! adding one missing section does not shift the identity of the others.
//! The excerpt is the one the renderers show, so redaction applied to it carries over.
//! The hash is FNV-1a (128 bit), written out here so it can never change under us with a
//! dependency or toolchain upgrade.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::report::Report;

/// One fingerprint per diagnostic of `report`, in its order: 32 lowercase hex digits.
pub fn fingerprints(report: &Report) -> Vec<String> {
    let mut seen: HashMap<(String, &str, String), usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let what = if d.finding.document_level {
                d.message().to_string()
            } else {
                excerpt_key(d)
            };
            let key = (d.path_string(), d.code.as_str(), what);
            let occurrence = seen.entry(key.clone()).or_insert(0);
            *occurrence += 1;
            let mut h = Fnv128::new();
            // the counter first, so findings that differ only in it differ in every digit
            h.field(occurrence.to_string().as_bytes());
            h.field(key.0.as_bytes());
            h.field(key.1.as_bytes());
            h.field(key.2.as_bytes());
            format!("{:032x}", h.finish())
        })
        .collect()
}

/// The lines under the finding, each trimmed; the finding's own span is marked so two
/// findings of one rule on the same line (two placeholders) differ.
fn excerpt_key(d: &Diagnostic) -> String {
    let text = &d.excerpt.text;
    let span = d.excerpt.span.start.min(text.len())..d.excerpt.span.end.min(text.len());
    let marked = match (
        text.get(..span.start),
        text.get(span.clone()),
        text.get(span.end..),
    ) {
        (Some(a), Some(b), Some(c)) => format!("{a}\u{1}{b}\u{1}{c}"),
        _ => text.clone(),
    };
    marked
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// FNV-1a, 128-bit (offset basis and prime from the FNV specification).
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;

    fn new() -> Self {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u128::from(*b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// A field followed by a separator that cannot occur in text, so ("ab","c") ≠ ("a","bc").
    fn field(&mut self, bytes: &[u8]) {
        self.write(bytes);
        self.write(&[0xff]);
    }

    fn finish(&self) -> u128 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv128_matches_the_reference_vectors() {
        // FNV-1a 128 of "" is the offset basis; of "a" from the reference implementation.
        let h = Fnv128::new();
        assert_eq!(h.finish(), 0x6c62272e07bb014262b821756295c58d);
        let mut h = Fnv128::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xd228cb696f1a8caf78912b704e4a8964);
    }
}
