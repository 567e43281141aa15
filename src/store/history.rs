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
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default rotation size: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

const LINE_PREFIX: &[u8] = b"{\"summary\":";

/// A short string repeated across many rows (model id, outcome label, version): rows
/// loaded together share one allocation per distinct value, which keeps 100k summaries
/// small. Reads as `&str`; (de)serialises as a plain JSON string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Label(Arc<str>);

impl Label {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Label {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Label {
    fn from(s: &str) -> Self {
        Label(Arc::from(s))
    }
}

impl From<String> for Label {
    fn from(s: String) -> Self {
        Label(Arc::from(s))
    }
}

impl PartialEq<str> for Label {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Label::from)
    }
}

/// Hands out one shared [`Label`] per distinct text.
#[derive(Default)]
struct Interner(HashSet<Arc<str>>);

impl Interner {
    fn intern(&mut self, l: &mut Label) {
        match self.0.get(&*l.0) {
            Some(shared) => l.0 = shared.clone(),
            None => {
                self.0.insert(l.0.clone());
            }
        }
    }

    fn summary(&mut self, s: &mut Summary) {
        for l in [
            &mut s.backend,
            &mut s.operation,
            &mut s.api_version,
            &mut s.model,
            &mut s.outcome,
        ] {
            self.intern(l);
        }
        if let Some(f) = &mut s.finish_reason {
            self.intern(f);
        }
    }
}

/// What the log needs to draw one row, without the bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// Exchange id.
    pub id: String,
    /// RFC 3339 start time.
    pub started_at: String,
    /// `sandbox`, `live` or `custom`.
    #[serde(default)]
    pub backend: Label,
    /// Method name.
    #[serde(default)]
    pub operation: Label,
    /// `v1` / `v1beta`.
    #[serde(default)]
    pub api_version: Label,
    /// Model id.
    #[serde(default)]
    pub model: Label,
    /// HTTP status, if headers arrived.
    #[serde(default)]
    pub status: Option<u16>,
    /// Outcome label for the table.
    #[serde(default)]
    pub outcome: Label,
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
    pub finish_reason: Option<Label>,
}

impl Summary {
    /// Summarises an exchange.
    pub fn of(ex: &Exchange) -> Self {
        let usage = ex.usage();
        Summary {
            id: ex.id.clone(),
            started_at: ex.started_at.clone(),
            backend: ex.backend.as_str().into(),
            operation: ex.operation.map(|o| o.method_name()).unwrap_or("").into(),
            api_version: ex.api_version.as_str().into(),
            model: ex.model.as_deref().unwrap_or("").into(),
            status: ex.status(),
            outcome: ex.outcome.short_label().into(),
            class: ex.outcome.class(),
            ttfb_ms: ex.timings.first_byte_ms,
            total_ms: ex.timings.total_ms,
            tokens_in: usage.and_then(|u| u.prompt_token_count),
            tokens_out: usage.map(|u| u.output_tokens()).filter(|n| *n > 0),
            finish_reason: ex.finish_reason().map(|f| f.as_str().into()),
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
        let mut file = self.open_locked()?;
        let mut len = file.metadata()?.len();
        if len > 0 && len + line.len() as u64 > self.max_bytes {
            std::fs::rename(&self.path, self.rotated_path())?;
            file.unlock()?;
            file = self.open_locked()?;
            len = file.metadata()?.len();
        }
        // A previous writer killed mid-line leaves no newline; start ours on a fresh line.
        if len > 0 && !last_byte_is_newline(&mut file)? {
            line.insert(0, b'\n');
        }
        let res = file.write_all(&line).and_then(|_| file.flush());
        file.unlock()?;
        res
    }

    /// Opens the current file for appending and locks it. A writer that waited for the
    /// lock while another one rotated holds the rotated file: it lets go and reopens,
    /// so it neither appends to the old generation nor rotates it a second time.
    fn open_locked(&self) -> std::io::Result<File> {
        for _ in 0..16 {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .read(true)
                .open(&self.path)?;
            file.lock()?;
            if is_current(&file, &self.path)? {
                return Ok(file);
            }
            file.unlock()?;
        }
        Err(std::io::Error::other(format!(
            "{} keeps being rotated under us",
            self.path.display()
        )))
    }

    /// Loads every summary from the rotated and the current file.
    pub fn load(&self) -> std::io::Result<Loaded> {
        let mut loaded = Loaded::default();
        let mut interner = Interner::default();
        for (idx, path) in [self.rotated_path(), self.path.clone()]
            .into_iter()
            .enumerate()
        {
            match File::open(&path) {
                Ok(f) => load_file(f, &path, idx as u8, &mut loaded, &mut interner)?,
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

/// Whether the locked, non-empty file ends with a newline (reads go through the same
/// handle; appends still land at the end whatever the cursor).
fn last_byte_is_newline(file: &mut File) -> std::io::Result<bool> {
    file.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    file.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

/// Whether `file` is still the file at `path` (not renamed away since it was opened).
#[cfg(unix)]
fn is_current(file: &File, path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata()?;
    match std::fs::metadata(path) {
        Ok(named) => Ok(open.dev() == named.dev() && open.ino() == named.ino()),
        // Renamed away and not yet recreated: not current; the caller reopens.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn is_current(_file: &File, _path: &Path) -> std::io::Result<bool> {
    Ok(true)
}

fn load_file(
    f: File,
    path: &Path,
    file_idx: u8,
    loaded: &mut Loaded,
    interner: &mut Interner,
) -> std::io::Result<()> {
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
            Ok(mut summary) => loaded.entries.push(Entry {
                summary: {
                    interner.summary(&mut summary);
                    summary
                },
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
    fn a_handle_opened_before_a_rotation_is_not_current() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::new(dir.path().join("h.jsonl"), 600);
        h.append(&ex("a", Outcome::Success)).unwrap();
        // What a second writer holds while the first one rotates.
        let waiting = File::open(h.path()).unwrap();
        for i in 0..5 {
            h.append(&ex(&format!("b{i}"), Outcome::Success)).unwrap();
        }
        assert!(h.rotated_path().exists());
        assert!(!is_current(&waiting, h.path()).unwrap());
        assert!(is_current(&File::open(h.path()).unwrap(), h.path()).unwrap());
    }

    #[test]
    fn loaded_rows_share_repeated_labels() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::new(dir.path().join("h.jsonl"), DEFAULT_MAX_BYTES);
        for i in 0..3 {
            let mut e = ex(&format!("e{i}"), Outcome::Success);
            e.model = Some("gemini-2.5-flash".into());
            h.append(&e).unwrap();
        }
        let l = h.load().unwrap();
        let (a, b) = (&l.entries[0].summary.model, &l.entries[2].summary.model);
        assert_eq!(a, "gemini-2.5-flash");
        assert!(Arc::ptr_eq(&a.0, &b.0), "each row allocated its own copy");
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
