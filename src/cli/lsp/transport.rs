//! JSON-RPC framing over a byte stream: `Content-Length` headers, then a
//! JSON body. A body that is not JSON, or not a JSON-RPC message, is
//! reported as [`Incoming::Malformed`] with the error to answer, so that
//! one bad message never ends the session.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::{Value, json};

/// The largest body read: a bogus `Content-Length` must not make the
/// server allocate without bound. A 20 MB note fits many times.
const MAX_BODY: usize = 256 << 20;

/// What the next read found.
#[derive(Debug)]
pub enum Incoming {
    /// A request, response or notification.
    Message(Message),
    /// Something that is no JSON-RPC message: the error response to send
    /// (its `id` is the message's when it had one, else null).
    Malformed(Value),
    /// The stream ended.
    End,
}

/// Reads one framed message.
pub fn read(input: &mut impl BufRead) -> io::Result<Incoming> {
    let mut length = None;
    let mut bad_header = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(Incoming::End);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header `{header}`")),
        }
    }
    let length = match (length, bad_header) {
        (Some(length), None) => length,
        (_, Some(reason)) => {
            // A body whose length is known is skipped, so that the next
            // message is read from its start.
            if let Some(length) = length {
                io::copy(&mut input.take(length as u64), &mut io::sink())?;
            }
            return Ok(Incoming::Malformed(error(
                Value::Null,
                ErrorCode::ParseError,
                &reason,
            )));
        }
        (None, None) => {
            return Ok(Incoming::Malformed(error(
                Value::Null,
                ErrorCode::ParseError,
                "no Content-Length header",
            )));
        }
    };
    if length > MAX_BODY {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        let reason = format!("a message of {length} bytes is over the limit of {MAX_BODY}");
        return Ok(Incoming::Malformed(error(
            Value::Null,
            ErrorCode::InvalidRequest,
            &reason,
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(parse(&body))
}

/// A message from its JSON body.
fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            let reason = format!("the message is not JSON: {err}");
            return Incoming::Malformed(error(Value::Null, ErrorCode::ParseError, &reason));
        }
    };
    // JSON-RPC answers an invalid request with its id, when it has one.
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    // Told apart by their fields, not by what deserializes first: an
    // untagged `Message` would take `{"id":1,"method":5}` for a response.
    let parsed = match (value.get("method"), value.get("id")) {
        (Some(_), Some(_)) => serde_json::from_value(value).map(Message::Request),
        (Some(_), None) => serde_json::from_value(value).map(Message::Notification),
        (None, Some(_)) if value.get("result").is_some() || value.get("error").is_some() => {
            serde_json::from_value(value).map(Message::Response)
        }
        (None, _) => {
            let reason = "a message needs a method, or an id and a result or error";
            return Incoming::Malformed(error(id, ErrorCode::InvalidRequest, reason));
        }
    };
    match parsed {
        Ok(message) => Incoming::Message(message),
        Err(err) => {
            let reason = format!("not a valid JSON-RPC message: {err}");
            Incoming::Malformed(error(id, ErrorCode::InvalidRequest, &reason))
        }
    }
}

/// An error response with any id (null included, which a
/// [`lsp_server::RequestId`] cannot be).
fn error(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({ "id": id, "error": { "code": code as i32, "message": message } })
}

/// Writes one message, framed.
pub fn write(output: &mut impl Write, message: &impl serde::Serialize) -> io::Result<()> {
    let mut value = serde_json::to_value(message)?;
    if let Value::Object(fields) = &mut value {
        fields.insert("jsonrpc".to_owned(), Value::from("2.0"));
    }
    let body = serde_json::to_vec(&value)?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str) -> Vec<Incoming> {
        let mut input = input.as_bytes();
        let mut found = Vec::new();
        loop {
            match read(&mut input).expect("reads") {
                Incoming::End => return found,
                incoming => found.push(incoming),
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_bad_message_between_good_ones_is_answered_and_skipped() {
        let input = [
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            framed(r#"{"jsonrpc":"2.0","id":"x"}"#),
            framed("[1, 2]"),
            "Content-Type: x\r\n\r\n".to_owned(),
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let found = read_all(&input);
        let summary: Vec<String> = found
            .iter()
            .map(|incoming| match incoming {
                Incoming::Message(Message::Request(r)) => format!("request {}", r.method),
                Incoming::Message(Message::Notification(n)) => format!("notification {}", n.method),
                Incoming::Message(Message::Response(_)) => "response".to_owned(),
                Incoming::Malformed(e) => format!("error {} {}", e["id"], e["error"]["code"]),
                Incoming::End => "end".to_owned(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "request shutdown",
                "error null -32700",
                "error 7 -32600",
                "error \"x\" -32600",
                "error null -32600",
                "error null -32700",
                "notification exit"
            ]
        );
    }

    #[test]
    fn a_huge_length_is_refused_without_allocating_it() {
        let input = format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1);
        let found = read_all(&input);
        assert!(matches!(&found[..], [Incoming::Malformed(e)] if e["error"]["code"] == -32600));
    }

    #[test]
    fn written_messages_are_framed_json_rpc() {
        let mut out = Vec::new();
        write(&mut out, &json!({"id": 1, "result": null})).expect("writes");
        let text = String::from_utf8(out).expect("UTF-8");
        let body = r#"{"id":1,"jsonrpc":"2.0","result":null}"#;
        assert_eq!(
            text,
            format!("Content-Length: {}\r\n\r\n{body}", body.len())
        );
    }
}
