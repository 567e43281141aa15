//! The request history: one JSON object per line, `{"summary":{…},"exchange":{…}}`.
//!
//! - Appends write one whole line under an exclusive file lock, so two instances
//!   writing at once never interleave.
//! - Loading reads only each line's `summary` (it comes first, so the rest of the
//!   line is never parsed) and remembers where the line is; the full exchange is read
//!   from disk when someone looks at it. 100k entries cost about 100k small structs.
//! - A line that is torn (no closing brace, e.g. the writer was killed) or corrupt is
//!   skipped and reported, never fatal.
//! - Past `max_bytes` the file is rotated to `history.1.jsonl` (one generation kept).

use crate::gemini::exchange::{Exchange, OutcomeClass};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Default rotation size: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

const LINE_PREFIX: &[u8] = b"{\"summary\":";

/// What the log needs to draw one row, without the bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// Exchange id.
    pub id: String,
    /// RFC 3339 start time.
    pub started_at: String,
    /// `sandbox`, `live` or `custom`.
    #[serde(default)]
    pub backend: String,
    /// Method name.
    #[serde(default)]
    pub operation: String,
    /// `v1` / `v1beta`.
    #[serde(default)]
    pub api_version: String,
    /// Model id.
    #[serde(default)]
    pub model: String,
    /// HTTP status, if headers arrived.
    #[serde(default)]
    pub status: Option<u16>,
    /// Outcome label for the table.
    #[serde(default)]
    pub outcome: String,
    /// Outcome class for colours and filters.
    pub class: OutcomeClass,
    /// Time to first byte.
    #[serde(default)]
    pub ttfb_ms: Option<f64>,
    /// Total time.
    #[serde(default)]
    pub total_ms: Option<f64>,
    /// Prompt tokens.
    #[serde(default)]
    pub tokens_in: Option<u64>,
    /// Output tokens (thinking included).
    #[serde(default)]
    pub tokens_out: Option<u64>,
    /// Finish reason of the first candidate.
    #[serde(default)]
    pub finish_reason: Option<String>,
}

impl Summary {
    /// Summarises an exchange.
    pub fn of(ex: &Exchange) -> Self {
        let usage = ex.usage();
        Summary {
            id: ex.id.clone(),
            started_at: ex.started_at.clone(),
            backend: ex.backend.clone(),
            operation: ex
                .operation
                .map(|o| o.method_name().to_string())
                .unwrap_or_default(),
            api_version: ex.api_version.to_string(),
            model: ex.model.clone().unwrap_or_default(),
            status: ex.status(),
            outcome: ex.outcome.short_label(),
            class: ex.outcome.class(),
            ttfb_ms: ex.timings.first_byte_ms,
            total_ms: ex.timings.total_ms,
            tokens_in: usage.and_then(|u| u.prompt_token_count),
            tokens_out: usage.map(|u| u.output_tokens()).filter(|n| *n > 0),
            finish_reason: ex.finish_reason().map(|f| f.to_string()),
        }
    }

    /// True for anything but success.
    pub fn is_failure(&self) -> bool {
        !matches!(self.class, OutcomeClass::Ok | OutcomeClass::InFlight)
    }
}

#[derive(Serialize)]
struct LineOut<'a> {
    summary: &'a Summary,
    exchange: &'a Exchange,
}

#[derive(Deserialize)]
struct LineIn {
    exchange: Exchange,
}

/// Where an entry's line lives, so it can be read back on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 0 for the rotated file, 1 for the current one.
    pub file: u8,
    /// Byte offset of the line.
    pub offset: u64,
    /// Line length without the newline.
    pub len: u32,
}

/// One loaded entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The row data.
    pub summary: Summary,
    /// Where the full record is.
    pub location: Location,
}

/// A line that could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// File it was in.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// The result of loading.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Entries, oldest first.
    pub entries: Vec<Entry>,
    /// Lines skipped.
    pub skipped: Vec<Skipped>,
}

/// The history file pair.
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
    max_bytes: u64,
}

impl History {
    /// A history at `path` rotating past `max_bytes`.
    pub fn new(path: PathBuf, max_bytes: u64) -> Self {
        History { path, max_bytes }
    }

    /// The current file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rotated file.
    pub fn rotated_path(&self) -> PathBuf {
        self.path.with_extension("1.jsonl")
    }

    /// Appends one exchange as one line, under an exclusive lock.
    pub fn append(&self, ex: &Exchange) -> std::io::Result<()> {
        let summary = Summary::of(ex);
        let mut line = serde_json::to_vec(&LineOut {
            summary: &summary,
            exchange: ex,
        })
        .map_err(std::io::Error::other)?;
        line.push(b'\n');
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.lock()?;
        // Rotation happens under the lock; a second writer that opened the old file
        // before the rename still appends whole lines to it, which the loader reads.
        let len = file.metadata()?.len();
        if len > 0 && len + line.len() as u64 > self.max_bytes {
            std::fs::rename(&self.path, self.rotated_path())?;
            file.unlock()?;
            file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            file.lock()?;
        }
        // A previous writer killed mid-line leaves no newline; start ours on a fresh line.
        if len > 0 && !ends_with_newline(&self.path)? {
            line.insert(0, b'\n');
        }
        let res = file.write_all(&line).and_then(|_| file.flush());
        file.unlock()?;
        res
    }

    /// Loads every summary from the rotated and the current file.
    pub fn load(&self) -> std::io::Result<Loaded> {
        let mut loaded = Loaded::default();
        for (idx, path) in [self.rotated_path(), self.path.clone()]
            .into_iter()
            .enumerate()
        {
            match File::open(&path) {
                Ok(f) => load_file(f, &path, idx as u8, &mut loaded)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(loaded)
    }

    /// Reads the full exchange of an entry.
    pub fn read(&self, loc: Location) -> Result<Exchange, String> {
        let path = if loc.file == 0 {
            self.rotated_path()
        } else {
            self.path.clone()
        };
        let mut f =
            File::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        f.seek(SeekFrom::Start(loc.offset))
            .map_err(|e| e.to_string())?;
        let mut buf = vec![0; loc.len as usize];
        f.read_exact(&mut buf)
            .map_err(|e| format!("history entry unreadable: {e}"))?;
        serde_json::from_slice::<LineIn>(&buf)
            .map(|l| l.exchange)
            .map_err(|e| format!("history entry is corrupt: {e}"))
    }
}

fn ends_with_newline(path: &Path) -> std::io::Result<bool> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

fn load_file(f: File, path: &Path, file_idx: u8, loaded: &mut Loaded) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, f);
    let mut offset = 0u64;
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        number += 1;
        let terminated = line.last() == Some(&b'\n');
        let body = trim_line(&line);
        let here = offset;
        offset += n as u64;
        if body.is_empty() {
            continue;
        }
        let skip = |reason: String, loaded: &mut Loaded| {
            loaded.skipped.push(Skipped {
                file: path.to_path_buf(),
                line: number,
                reason,
            });
        };
        if !terminated || body.last() != Some(&b'}') {
            skip("torn line (the writer stopped mid-line)".into(), loaded);
            continue;
        }
        match parse_summary(body) {
            Ok(summary) => loaded.entries.push(Entry {
                summary,
                location: Location {
                    file: file_idx,
                    offset: here,
                    len: body.len() as u32,
                },
            }),
            Err(e) => skip(format!("not a history record: {e}"), loaded),
        }
    }
    Ok(())
}

fn trim_line(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// Parses only the leading summary of a line written by [`History::append`]; other
/// lines (hand-edited, other writers) fall back to a full parse.
fn parse_summary(body: &[u8]) -> Result<Summary, String> {
    if let Some(rest) = body.strip_prefix(LINE_PREFIX) {
        let mut it = serde_json::Deserializer::from_slice(rest).into_iter::<Summary>();
        if let Some(Ok(s)) = it.next() {
            return Ok(s);
        }
    }
    serde_json::from_slice::<LineIn>(body)
        .map(|l| Summary::of(&l.exchange))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gemini::exchange::Outcome;

    fn ex(id: &str, outcome: Outcome) -> Exchange {
        Exchange {
            id: id.into(),
            started_at: "2026-12-04T10:00:00.000Z".into(),
            outcome,
            ..Default::default()
        }
    }

    #[test]
    fn append_then_load_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::new(dir.path().join("h.jsonl"), DEFAULT_MAX_BYTES);
        h.append(&ex("a", Outcome::Success)).unwrap();
        h.append(&ex("b", Outcome::Cancelled)).unwrap();
        let l = h.load().unwrap();
        assert_eq!(l.entries.len(), 2);
        assert!(l.skipped.is_empty());
        assert_eq!(l.entries[1].summary.outcome, "cancelled");
        assert!(l.entries[1].summary.is_failure());
        assert_eq!(h.read(l.entries[1].location).unwrap().id, "b");
    }

    #[test]
    fn torn_and_corrupt_lines_are_skipped_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("h.jsonl");
        let h = History::new(p.clone(), DEFAULT_MAX_BYTES);
        h.append(&ex("a", Outcome::Success)).unwrap();
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"this is not json}\n{\"summary\":{\"id\":\"torn\"")
            .unwrap();
        drop(f);
        // The next append starts on a fresh line despite the torn tail.
        h.append(&ex("c", Outcome::Success)).unwrap();
        let l = h.load().unwrap();
        let ids: Vec<_> = l.entries.iter().map(|e| e.summary.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(l.skipped.len(), 2);
        assert_eq!(l.skipped[0].line, 2);
        assert!(l.skipped[1].reason.contains("torn"), "{:?}", l.skipped);
        assert_eq!(h.read(l.entries[1].location).unwrap().id, "c");
    }

    #[test]
    fn rotates_past_the_size_cap_and_loads_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::new(dir.path().join("h.jsonl"), 600);
        for i in 0..6 {
            h.append(&ex(&format!("e{i}"), Outcome::Success)).unwrap();
        }
        assert!(h.rotated_path().exists());
        assert!(std::fs::metadata(h.path()).unwrap().len() <= 600);
        let l = h.load().unwrap();
        let ids: Vec<_> = l.entries.iter().map(|e| e.summary.id.clone()).collect();
        // The newest entries survive in order; older generations beyond one are dropped.
        assert_eq!(ids.last().unwrap(), "e5");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        for e in &l.entries {
            assert_eq!(h.read(e.location).unwrap().id, e.summary.id);
        }
    }

    #[test]
    fn concurrent_appends_from_threads_are_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::new(dir.path().join("h.jsonl"), DEFAULT_MAX_BYTES);
        let big = "x".repeat(20_000);
        std::thread::scope(|s| {
            for t in 0..4 {
                let h = h.clone();
                let big = big.clone();
                s.spawn(move || {
                    for i in 0..25 {
                        let mut e = ex(&format!("t{t}-{i}"), Outcome::Success);
                        e.body = Some(big.clone());
                        h.append(&e).unwrap();
                    }
                });
            }
        });
        let l = h.load().unwrap();
        assert_eq!(l.entries.len(), 100);
        assert!(l.skipped.is_empty());
    }
}
