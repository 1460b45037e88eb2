//! JSON-RPC over a byte stream (`Content-Length` framing), tolerant of bad input.
//!
//! lsp-server's own stdio transport ends the connection on the first message it cannot
//! parse; a linter that dies when an editor sends one odd message is worse than one that
//! answers "parse error" and goes on. So the reading is done here, with lsp-server's message
//! types: a frame whose body is not JSON-RPC becomes [`Incoming::Malformed`] (answered with
//! the JSON-RPC error), a body with bytes that are not UTF-8 is decoded with replacement
//! characters and flagged, and only the end of the stream (or a broken frame at it) ends
//! the connection.

use std::io::{self, BufRead, Write};

use lsp_server::Message;

/// What the reader hands the server.
#[derive(Debug)]
pub enum Incoming {
    /// A message; `lossy` when its bytes were not UTF-8 and were replaced with U+FFFD.
    Message { message: Message, lossy: bool },
    /// A frame that is not a JSON-RPC message: the error code to answer with (parse error
    /// or invalid request), the request id if one could be read, and what was wrong.
    Malformed {
        code: i32,
        id: Option<serde_json::Value>,
        error: String,
    },
    /// The stream ended (or broke); no more input.
    Closed,
}

/// JSON-RPC's "Parse error": the body is not JSON.
pub const PARSE_ERROR: i32 = -32700;
/// JSON-RPC's "Invalid Request": JSON, but not a request, response or notification.
pub const INVALID_REQUEST: i32 = -32600;

/// Frames larger than this are refused (a runaway client must not exhaust memory).
const MAX_FRAME: usize = 256 * 1024 * 1024;

/// Read the next frame. `Ok(None)` at the end of the stream.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = Vec::new();
    let mut any = false;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return if any {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the stream ended inside a header",
                ))
            } else {
                Ok(None)
            };
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if any {
                break;
            }
            continue; // stray blank line between frames
        }
        any = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length header `{}`", value.trim())),
            );
        }
    }
    let length = match length {
        None => return Ok(Some(Err("a header without Content-Length".to_string()))),
        Some(Err(e)) => return Ok(Some(Err(e))),
        Some(Ok(n)) if n > MAX_FRAME => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a {n}-byte message is over the {MAX_FRAME}-byte limit"),
            ));
        }
        Some(Ok(n)) => n,
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(Ok(body)))
}

/// Turn a frame's body into what the server sees.
pub fn decode(body: &[u8]) -> Incoming {
    let (text, lossy) = match std::str::from_utf8(body) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), false),
        Err(_) => (String::from_utf8_lossy(body), true),
    };
    match serde_json::from_str::<Message>(&text) {
        Ok(message) => Incoming::Message { message, lossy },
        Err(e) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => Incoming::Malformed {
                code: INVALID_REQUEST,
                id: value
                    .get("id")
                    .filter(|id| id.is_number() || id.is_string())
                    .cloned(),
                error: format!("not a JSON-RPC request, response or notification: {e}"),
            },
            Err(e) => Incoming::Malformed {
                code: PARSE_ERROR,
                id: None,
                error: format!("the message is not valid JSON: {e}"),
            },
        },
    }
}

/// Read messages from `input` until it ends, handing each to `send`; stops early when
/// `send` returns false (the server is gone).
pub fn read_loop(mut input: impl BufRead, mut send: impl FnMut(Incoming) -> bool) {
    loop {
        let incoming = match read_frame(&mut input) {
            Ok(None) | Err(_) => {
                send(Incoming::Closed);
                return;
            }
            Ok(Some(Ok(body))) => decode(&body),
            Ok(Some(Err(error))) => Incoming::Malformed {
                code: PARSE_ERROR,
                id: None,
                error,
            },
        };
        let exit = matches!(&incoming, Incoming::Message { message: Message::Notification(n), .. } if n.method == "exit");
        if !send(incoming) || exit {
            return;
        }
    }
}

/// Write one message.
pub fn write(out: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(out)
}

/// Write a JSON-RPC error response whose id lsp-server cannot express (`null`, or one read
/// from a message that was otherwise malformed).
pub fn write_error(
    out: &mut impl Write,
    id: Option<serde_json::Value>,
    code: i32,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Incoming> {
        let mut out = Vec::new();
        read_loop(input, |m| {
            out.push(m);
            true
        });
        out
    }

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        f.extend_from_slice(body);
        f
    }

    #[test]
    fn bad_frames_are_reported_and_reading_goes_on() {
        let mut input = frame(b"{not json");
        input.extend(frame(br#"{"jsonrpc":"2.0","id":7,"method":5}"#));
        input.extend(b"X-Nothing: 1\r\n\r\n");
        input.extend(frame(br#"{"jsonrpc":"2.0","method":"exit"}"#));
        let got = frames(&input);
        assert!(
            matches!(
                &got[0],
                Incoming::Malformed {
                    code: PARSE_ERROR,
                    id: None,
                    ..
                }
            ),
            "{got:?}"
        );
        assert!(
            matches!(&got[1], Incoming::Malformed { code: INVALID_REQUEST, id: Some(id), .. } if id == 7),
            "{got:?}"
        );
        assert!(matches!(&got[2], Incoming::Malformed { .. }), "{got:?}");
        assert!(
            matches!(&got[3], Incoming::Message { lossy: false, .. }),
            "{got:?}"
        );
        assert_eq!(got.len(), 4, "reading stops after exit");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_and_flagged() {
        let mut body = br#"{"jsonrpc":"2.0","method":"x","params":{"t":"a"#.to_vec();
        body.extend([0xff, 0xfe]);
        body.extend(br#"b"}}"#);
        let got = frames(&frame(&body));
        match &got[0] {
            Incoming::Message {
                message: Message::Notification(n),
                lossy: true,
            } => assert_eq!(n.params["t"], "a\u{fffd}\u{fffd}b"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(got[1], Incoming::Closed));
    }

    #[test]
    fn a_stream_cut_inside_a_frame_closes() {
        let got = frames(b"Content-Length: 50\r\n\r\n{\"a\":");
        assert!(matches!(got[..], [Incoming::Closed]), "{got:?}");
    }
}
