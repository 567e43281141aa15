//! Incremental decoder for the `text/event-stream` bodies of `streamGenerateContent?alt=sse`.
//!
//! Hand-written rather than taken from an SSE crate because we need what those crates
//! throw away: text outside `data:` framing (the bare JSON error object the service
//! writes when a stream fails after HTTP 200) must come out as its own item, as soon as
//! its braces balance, and whatever is left when the connection ends must be returned.
//!
//! Accepts LF, CR and CRLF line ends, split anywhere across reads (a CR at the end of a
//! read is held until the next byte shows whether an LF follows).

/// One decoded item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseItem {
    /// The payload of one event: its `data:` lines joined with `\n`.
    Data(String),
    /// Text that arrived outside SSE framing, e.g. a pretty-printed `{"error": …}` object.
    Raw(String),
}

/// Push bytes in, get events out.
#[derive(Debug, Default)]
pub struct SseDecoder {
    buf: Vec<u8>,
    /// Start of the first line not yet consumed.
    pos: usize,
    data: Option<String>,
    raw: Option<String>,
    raw_depth: i64,
    raw_in_string: bool,
    raw_escaped: bool,
}

impl SseDecoder {
    /// A fresh decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one read's bytes; complete items are appended to `out`.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<SseItem>) {
        self.buf.extend_from_slice(bytes);
        loop {
            let rest = &self.buf[self.pos..];
            let Some(i) = rest.iter().position(|&b| b == b'\n' || b == b'\r') else {
                break;
            };
            let term_len = if rest[i] == b'\r' {
                match rest.get(i + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    // A CR at the very end: wait to see if an LF follows.
                    None => break,
                }
            } else {
                1
            };
            let line = String::from_utf8_lossy(&rest[..i]).into_owned();
            self.pos += i + term_len;
            self.line(line, out);
        }
        // Compact once the consumed prefix dominates, keeping pushes amortised O(n).
        if self.pos > 4096 && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
    }

    /// Ends the stream: returns what was pending (an unterminated event or raw text).
    pub fn finish(&mut self, out: &mut Vec<SseItem>) {
        let tail = &self.buf[self.pos..];
        let tail = tail.strip_suffix(b"\r").unwrap_or(tail);
        if !tail.is_empty() {
            let line = String::from_utf8_lossy(tail).into_owned();
            self.line(line, out);
        }
        self.buf.clear();
        self.pos = 0;
        self.flush_data(out);
        self.flush_raw(out);
    }

    /// Bytes received but not yet part of an emitted item.
    pub fn pending_bytes(&self) -> usize {
        self.buf.len() - self.pos
            + self.data.as_ref().map_or(0, String::len)
            + self.raw.as_ref().map_or(0, String::len)
    }

    fn line(&mut self, line: String, out: &mut Vec<SseItem>) {
        if line.is_empty() {
            self.flush_data(out);
            if self.raw_depth <= 0 {
                self.flush_raw(out);
            }
            return;
        }
        if self.raw.is_none() || self.raw_depth <= 0 {
            if let Some(payload) = line.strip_prefix("data:") {
                self.flush_raw(out);
                let payload = payload.strip_prefix(' ').unwrap_or(payload);
                match &mut self.data {
                    Some(d) => {
                        d.push('\n');
                        d.push_str(payload);
                    }
                    None => self.data = Some(payload.to_string()),
                }
                return;
            }
            if line.starts_with(':')
                || line.starts_with("event:")
                || line.starts_with("id:")
                || line.starts_with("retry:")
            {
                return;
            }
        }
        // Text outside SSE framing.
        self.flush_data(out);
        self.scan_braces(&line);
        match &mut self.raw {
            Some(r) => {
                r.push('\n');
                r.push_str(&line);
            }
            None => self.raw = Some(line),
        }
        if self.raw_depth <= 0 {
            self.flush_raw(out);
        }
    }

    fn scan_braces(&mut self, line: &str) {
        for b in line.bytes() {
            if self.raw_in_string {
                if self.raw_escaped {
                    self.raw_escaped = false;
                } else if b == b'\\' {
                    self.raw_escaped = true;
                } else if b == b'"' {
                    self.raw_in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.raw_in_string = true,
                b'{' | b'[' => self.raw_depth += 1,
                b'}' | b']' => self.raw_depth -= 1,
                _ => {}
            }
        }
    }

    fn flush_data(&mut self, out: &mut Vec<SseItem>) {
        if let Some(d) = self.data.take() {
            out.push(SseItem::Data(d));
        }
    }

    fn flush_raw(&mut self, out: &mut Vec<SseItem>) {
        if let Some(r) = self.raw.take() {
            out.push(SseItem::Raw(r));
        }
        self.raw_depth = 0;
        self.raw_in_string = false;
        self.raw_escaped = false;
    }
}

/// Decodes a whole body at once (tests, benchmarks, `explain`).
pub fn decode_all(body: &[u8]) -> Vec<SseItem> {
    let mut d = SseDecoder::new();
    let mut out = Vec::new();
    d.push(body, &mut out);
    d.finish(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REAL: &str = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"We\"}],\"role\": \"model\"},\"index\": 0}]}\r\n\r\ndata: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" see\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}\r\n\r\n";

    fn datas(items: &[SseItem]) -> Vec<&str> {
        items
            .iter()
            .map(|i| match i {
                SseItem::Data(d) | SseItem::Raw(d) => d.as_str(),
            })
            .collect()
    }

    #[test]
    fn crlf_framed_events_decode() {
        let items = decode_all(REAL.as_bytes());
        assert_eq!(items.len(), 2);
        assert!(datas(&items)[1].contains("STOP"));
    }

    #[test]
    fn lf_and_cr_framing_and_data_without_space() {
        let items = decode_all(b"data:{\"a\":1}\n\ndata: {\"b\":2}\r\rdata: x\ndata: y\n\n");
        assert_eq!(
            items,
            vec![
                SseItem::Data("{\"a\":1}".into()),
                SseItem::Data("{\"b\":2}".into()),
                SseItem::Data("x\ny".into()),
            ]
        );
    }

    #[test]
    fn comments_and_fields_are_ignored() {
        let items = decode_all(b": ping\nevent: message\nid: 3\ndata: 1\n\n");
        assert_eq!(items, vec![SseItem::Data("1".into())]);
    }

    #[test]
    fn bare_pretty_error_after_events_comes_out_raw_as_soon_as_it_closes() {
        let body = "data: {\"x\": 1}\r\n\r\n{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"a } in a string\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n";
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        d.push(body.as_bytes(), &mut out);
        // Emitted before finish(): the closing brace balanced the object.
        assert_eq!(out.len(), 2);
        let SseItem::Raw(raw) = &out[1] else {
            panic!("{out:?}")
        };
        let v: serde_json::Value = serde_json::from_str(raw).unwrap();
        assert_eq!(v["error"]["code"], 503);
    }

    #[test]
    fn unterminated_last_event_is_returned_by_finish() {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        d.push(b"data: {\"partial\": tr", &mut out);
        assert!(out.is_empty());
        assert_eq!(d.pending_bytes(), 20);
        d.finish(&mut out);
        assert_eq!(out, vec![SseItem::Data("{\"partial\": tr".into())]);
    }

    proptest! {
        #[test]
        fn any_byte_split_gives_the_same_items(cuts in proptest::collection::vec(0usize..REAL.len() + 40, 0..12)) {
            let body = format!("{REAL}: c\r\ndata: é ü\r\n\r\n{{\n \"error\": {{\"code\": 500}}\n}}\n");
            let bytes = body.as_bytes();
            let whole = decode_all(bytes);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut d = SseDecoder::new();
            let mut out = Vec::new();
            let mut last = 0;
            for c in cuts {
                d.push(&bytes[last..c], &mut out);
                last = c;
            }
            d.push(&bytes[last..], &mut out);
            d.finish(&mut out);
            prop_assert_eq!(out, whole);
        }
    }
}
