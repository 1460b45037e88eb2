//! `spec-check server` driven as an editor drives it: the binary over stdio, JSON-RPC frames
//! in and out. Findings, fixes applied to the text, hovers, configuration changes, and bad
//! input the server must survive.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

/// The spec under test: a wrong section number (SC004, safe fix) and a placeholder (SC008)
/// after non-ASCII text, so UTF-8, UTF-16 and character columns all differ.
const SPEC: &str = "# Spéc\n\n## 1. Executive Summary\n\nÜnïcödé 😀 TBD\n\n## 3. System Architecture\n\nA web app and an API.\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications seen while waiting for something else.
    seen: Vec<Value>,
    next_id: i64,
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spec-check"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            while let Some(v) = read_frame(&mut stdout) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages: rx,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    fn raw(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.stdin.write_all(&frame).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        self.raw(v.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no message in time; seen: {:#?}", self.seen))
    }

    /// Send a request and wait for its response (notifications meanwhile are kept).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.next(deadline);
            if m.get("method").is_none() && m["id"] == id {
                return m;
            }
            self.seen.push(m);
        }
    }

    /// The next notification `method` that `pick` accepts (earlier ones seen are used first).
    fn notification(&mut self, method: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let ok = |m: &Value| m["method"] == method && pick(&m["params"]);
        if let Some(i) = self.seen.iter().position(ok) {
            return self.seen.remove(i)["params"].take();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.next(deadline);
            if ok(&m) {
                return m["params"].clone();
            }
            self.seen.push(m);
        }
    }

    /// The next diagnostics published for `uri` (with `version`, when given).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && version.is_none_or(|v| p["version"] == v)
        });
        p["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path, encodings: &[&str]) -> Value {
        let uri = file_uri(root);
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "project"}],
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "workspace": {"workspaceEdit": {"documentChanges": true}},
                },
                "initializationOptions": {"debounceMs": 0},
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn shutdown_and_exit(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_uri(p: &Path) -> String {
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A repository with the spec on disk (the server reads the buffer, not this copy).
fn project(spec: &str) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir(root.join(".git")).unwrap();
    std::fs::create_dir(root.join("docs")).unwrap();
    let path = root.join("docs/06-technical-specification.md");
    std::fs::write(&path, spec).unwrap();
    let uri = file_uri(&path);
    (dir, root, uri)
}

/// Replace a file as editors save it (a new file renamed over the old), so the server never
/// sees it half-written.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn find<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// UTF-16 (or UTF-8) position → byte offset, for applying edits as a client does.
fn offset(text: &str, pos: &Value, utf8: bool) -> usize {
    let (line, character) = (
        pos["line"].as_u64().unwrap() as usize,
        pos["character"].as_u64().unwrap() as usize,
    );
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    text.len()
}

/// Apply a workspace edit's changes for `uri` to `text`.
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let edits = edit["changes"][uri]
        .as_array()
        .expect("edits for the document");
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], false),
                offset(text, &e["range"]["end"], false),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, t);
    }
    out
}

fn action<'a>(actions: &'a Value, title_part: &str) -> &'a Value {
    actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains(title_part))
        .unwrap_or_else(|| panic!("no action `{title_part}` in {actions:#}"))
}

#[test]
fn findings_fixes_and_hovers_over_stdio() {
    let (_dir, root, uri) = project(SPEC);
    let mut c = Client::start(&root);
    let init = c.initialize(&root, &["utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["result"]["serverInfo"]["name"], "spec-check");

    c.open(&uri, SPEC);
    let diags = c.diagnostics(&uri, Some(1));
    // "Ünïcödé 😀 " is 11 UTF-16 code units (the emoji is two)
    let tbd = find(&diags, "SC008");
    assert_eq!(tbd["range"]["start"], json!({"line": 4, "character": 11}));
    assert_eq!(tbd["range"]["end"], json!({"line": 4, "character": 14}));
    assert_eq!(tbd["source"], "spec-check");
    assert!(
        tbd["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/docs/rules.md#sc008"),
        "{tbd}"
    );
    let numbering = find(&diags, "SC004");
    assert_eq!(numbering["range"]["start"]["line"], 6);
    assert!(codes(&diags).contains(&"SC001".to_string()), "{diags:#?}");

    // hover over the placeholder shows the rule's documentation
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 12}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("**SC008** `placeholder`"), "{shown}");
    assert!(shown.contains("**What it does.**"), "{shown}");
    assert_eq!(hover["result"]["range"], tbd["range"]);
    let nothing = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 8, "character": 2}}),
    );
    assert_eq!(nothing["result"], Value::Null, "{nothing}");

    // the safe renumbering fix, applied as the client would
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": numbering["range"],
               "context": {"diagnostics": [numbering]}}),
    );
    let fix = action(&actions["result"], "(SC004)");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let text = apply(SPEC, &fix["edit"], &uri);
    assert!(text.contains("## 2. System Architecture"), "{text}");
    // sent as an incremental change
    let edit = &fix["edit"]["changes"][&uri][0];
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let diags = c.diagnostics(&uri, Some(2));
    assert!(!codes(&diags).contains(&"SC004".to_string()), "{diags:#?}");
    let tbd = find(&diags, "SC008").clone();

    // "disable for this line" writes the suppression comment the CLI honours
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": tbd["range"], "context": {"diagnostics": []}}),
    );
    let disable = action(
        &actions["result"],
        "Disable SC008 (placeholder) for this line",
    );
    let text = apply(&text, &disable["edit"], &uri);
    assert!(
        text.contains("<!-- spec-check-disable-next-line SC008 -->\nÜnïcödé 😀 TBD"),
        "{text}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    let diags = c.diagnostics(&uri, Some(3));
    assert!(!codes(&diags).contains(&"SC008".to_string()), "{diags:#?}");
    assert!(!codes(&diags).contains(&"SC020".to_string()), "{diags:#?}");

    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn fix_all_applies_every_safe_fix_and_unsafe_fixes_say_so() {
    let spec = "# Spec\n\n## 1. Executive Summary\n\nThe product.\n\n## 3. System Architecture\n\nWeb.\n\n### 3.1 Frontend\n\nReact.\n\n```json\n{\"a\": 1,}\n```\n";
    let (_dir, root, uri) = project(spec);
    let mut c = Client::start(&root);
    c.initialize(&root, &[]);
    c.open(&uri, spec);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(codes(&diags).contains(&"SC004".to_string()), "{diags:#?}");

    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let list = actions["result"].as_array().unwrap();
    assert_eq!(list.len(), 1, "only the fix-all action: {actions:#}");
    assert_eq!(list[0]["kind"], "source.fixAll.spec-check");
    let fixed = apply(spec, &list[0]["edit"], &uri);
    assert!(fixed.contains("## 2. System Architecture"), "{fixed}");
    assert!(fixed.contains("### 2.1 Frontend"), "{fixed}");

    // a missing section's skeleton is an unsafe fix: offered, and titled as unsafe
    let missing = find(&diags, "SC001");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": missing["range"], "context": {"diagnostics": []}}),
    );
    let unsafe_fix = action(&actions["result"], "unsafe fix");
    assert_ne!(unsafe_fix["isPreferred"], true);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let (_dir, root, uri) = project(SPEC);
    let mut c = Client::start(&root);
    let init = c.initialize(&root, &["utf-16", "utf-8"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    c.open(&uri, SPEC);
    let diags = c.diagnostics(&uri, Some(1));
    // "Ünïcödé 😀 " is 17 bytes
    assert_eq!(
        find(&diags, "SC008")["range"]["start"],
        json!({"line": 4, "character": 17})
    );
    // an incremental change in UTF-8 columns: replace "TBD" with "Done."
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 4, "character": 17}, "end": {"line": 4, "character": 20}}, "text": "Done."}]}),
    );
    let diags = c.diagnostics(&uri, Some(2));
    assert!(!codes(&diags).contains(&"SC008".to_string()), "{diags:#?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn only_documents_the_packs_apply_to_get_findings() {
    let (_dir, root, _) = project(SPEC);
    let notes = root.join("docs/notes.md");
    std::fs::write(&notes, "TBD\n").unwrap();
    let mut c = Client::start(&root);
    c.initialize(&root, &[]);
    let uri = file_uri(&notes);
    c.open(&uri, "TBD\n");
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn configuration_changes_apply_without_a_restart_and_a_broken_one_is_one_diagnostic() {
    let (_dir, root, uri) = project(SPEC);
    let config = root.join("spec-check.toml");
    std::fs::write(&config, "ignore = [\"SC008\"]\n").unwrap();
    let config_uri = file_uri(&config);
    let mut c = Client::start(&root);
    c.initialize(&root, &[]);
    c.open(&uri, SPEC);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(!codes(&diags).contains(&"SC008".to_string()), "{diags:#?}");
    assert!(codes(&diags).contains(&"SC004".to_string()), "{diags:#?}");

    // broken: one diagnostic on the configuration file, none on the document
    save(&config, "ignore = [\"SC008\"]\nfail-on = \"sometimes\"\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let on_config = c.diagnostics(&config_uri, None);
    assert_eq!(on_config.len(), 1, "{on_config:#?}");
    assert_eq!(on_config[0]["range"]["start"]["line"], 1, "{on_config:#?}");
    assert!(
        on_config[0]["message"]
            .as_str()
            .unwrap()
            .contains("invalid configuration"),
        "{on_config:#?}"
    );
    assert!(c.diagnostics(&uri, Some(1)).is_empty());

    // repaired without telling the server: the stamp check notices within a second or two
    save(&config, "ignore = [\"SC004\"]\n");
    assert!(c.diagnostics(&config_uri, None).is_empty());
    // (an empty publication of the broken state may still be queued before the new one)
    let diags = loop {
        let diags = c.diagnostics(&uri, Some(1));
        if !diags.is_empty() {
            break diags;
        }
    };
    assert!(codes(&diags).contains(&"SC008".to_string()), "{diags:#?}");
    assert!(!codes(&diags).contains(&"SC004".to_string()), "{diags:#?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn bad_input_is_answered_and_survived() {
    let (_dir, root, uri) = project(SPEC);
    let mut c = Client::start(&root);
    // before initialize
    let early = c.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    c.initialize(&root, &[]);

    // an unknown method
    let unknown = c.request("spec-check/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // bad params
    let bad = c.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    // a malformed message: parse error with a null id, and the server carries on
    c.raw(b"{\"jsonrpc\": \"2.0\", \"id\": ");
    let parse = c.response(Value::Null);
    assert_eq!(parse["error"]["code"], -32700, "{parse}");
    // JSON that is no JSON-RPC message: invalid request, with its id
    c.raw(br#"{"jsonrpc": "2.0", "id": 99, "method": 5}"#);
    let invalid = c.response(json!(99));
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");

    // a document that is not UTF-8 clean: the bytes are replaced and the document checked
    let mut body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                   "text": "@@BAD@@"}}})
    .to_string()
    .into_bytes();
    let at = body.windows(7).position(|w| w == b"@@BAD@@").unwrap();
    // (JSON-escaped line breaks; the raw bytes 0xE9 0xFF are no UTF-8)
    let mut text = br"# Spec\n\n## 1. Executive Summary\n\nCaf".to_vec();
    text.extend([0xe9, 0xff]);
    text.extend(br" TBD\n");
    body.splice(at..at + 7, text);
    c.raw(&body);
    let warning = c.notification("window/logMessage", |p| {
        p["message"].as_str().unwrap_or("").contains("not UTF-8")
    });
    assert_eq!(warning["type"], 2);
    let diags = c.diagnostics(&uri, Some(1));
    let tbd = find(&diags, "SC008");
    // "Caf" + two replacement characters + " "
    assert_eq!(tbd["range"]["start"], json!({"line": 4, "character": 6}));

    // still answering
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 7}}),
    );
    assert!(hover["result"]["contents"]["value"].is_string(), "{hover}");

    // exit without shutdown: status 1
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
}

#[test]
fn cross_document_rules_read_unsaved_buffers() {
    let (_dir, root, uri) = project(SPEC);
    let mut c = Client::start(&root);
    c.initialize(&root, &[]);
    c.open(&uri, SPEC);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(codes(&diags).contains(&"PR001".to_string()), "{diags:#?}");
    assert!(codes(&diags).contains(&"PR002".to_string()), "{diags:#?}");
    // the prerequisites and the status file exist only as open buffers, never saved
    for name in crate::support::PREREQUISITES {
        let path = root.join("docs").join(name);
        c.open(&file_uri(&path), "# prerequisite\n");
    }
    let status = root.join(".vibe-status.md");
    c.open(
        &file_uri(&status),
        "- [x] Step 6: Technical Specification\n",
    );
    // the spec is re-checked after each; the last publication sees them all
    let deadline = Instant::now() + WAIT;
    loop {
        let diags = c.diagnostics(&uri, Some(1));
        let codes = codes(&diags);
        if !codes.contains(&"PR001".to_string()) && !codes.contains(&"PR002".to_string()) {
            break;
        }
        assert!(Instant::now() < deadline, "still {codes:?}");
    }
    assert!(!root.join("docs/01-project-specification.md").exists());
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// The `language` setting reaches the server's checks as it does the CLI's: a short service
/// list, too little prose to tell its language, is read with the Spanish vocabulary once the
/// configuration says `language = "es"`.
#[test]
fn the_language_setting_picks_the_vocabulary() {
    let spec = "# Panadería\n\n## 13. Service Integration Specifications\n\n### 13.1 Required Services & Authentication\n\n**Pagos:** Stripe — clave secreta en Vault.\n";
    let (_dir, root, uri) = project(spec);
    let config = root.join("spec-check.toml");
    std::fs::write(&config, "select = [\"SVC001\"]\n").unwrap();
    let mut c = Client::start(&root);
    c.initialize(&root, &[]);
    c.open(&uri, spec);
    let diags = c.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), ["SVC001"], "{diags:#?}");

    save(&config, "select = [\"SVC001\"]\nlanguage = \"es\"\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    // (a publication of the old state may still be queued before the new one)
    let mut seen = 0;
    while !c.diagnostics(&uri, Some(1)).is_empty() {
        seen += 1;
        assert!(seen < 5, "SVC001 still reported with language = \"es\"");
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}
