//! `file:` URIs ↔ paths. lsp-types' `Uri` parses and compares URIs but has no file-path
//! conversion; twenty lines of percent-coding do it without pulling in `url` and `idna`.
//! The server answers with the URI string a client sent whenever it has one, so a
//! client's own spelling (`%3A` for a drive colon) is never re-encoded differently.

use std::path::{Path, PathBuf};

/// The local path of a `file:` URI (`None` for other schemes, or a remote host).
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p` and `file://localhost/p`; no query or fragment in a file name
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(i) if rest[..i].eq_ignore_ascii_case("localhost") => &rest[i..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    let decoded = String::from_utf8(bytes).ok()?;
    // `/C:/x` on Windows
    if cfg!(windows) {
        let b = decoded.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

/// A `file:` URI for an absolute path.
pub fn from_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_percent_coding() {
        let p = Path::new("/home/a b/docs/06-spéc#1.md");
        let uri = from_path(p);
        assert_eq!(uri, "file:///home/a%20b/docs/06-sp%C3%A9c%231.md");
        assert_eq!(to_path(&uri).as_deref(), Some(p));
        assert_eq!(
            to_path("file://localhost/x/y.md").as_deref(),
            Some(Path::new("/x/y.md"))
        );
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file://server/share/x.md"), None);
        assert_eq!(to_path("file:///bad%zz"), None);
    }
}
