//! The response view: text as it streams, raw JSON/events, the request, headers and timings.
//! Lines are wrapped when data arrives; drawing only slices them.

use crate::gemini::exchange::{Exchange, OutcomeClass};
use crate::tui::theme::Theme;
use crate::tui::wrap::{wrap, wrap_lines};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use serde_json::Value;

/// Tabs of the response view.
pub const TABS: [&str; 4] = ["Text", "Raw", "Request", "Headers"];

/// State of the response view.
#[derive(Debug, Default)]
pub struct ResponseState {
    /// Selected tab.
    pub tab: usize,
    /// First line shown.
    pub scroll: usize,
    /// Wrapped lines per tab.
    lines: [Vec<String>; 4],
    /// Width the lines were wrapped to.
    pub width: usize,
    /// Rows that fit, from the layout.
    pub page: usize,
    /// A note in place of content (loading, nothing selected).
    pub note: Option<String>,
}

impl ResponseState {
    /// Rewraps every tab for `ex`.
    pub fn rebuild(&mut self, ex: Option<&Exchange>) {
        let w = self.width.max(10);
        let Some(ex) = ex else {
            self.lines = Default::default();
            return;
        };
        self.note = None;
        self.lines[0] = text_lines(ex, w);
        self.lines[1] = raw_lines(ex, w);
        self.lines[2] = request_lines(ex, w);
        self.lines[3] = header_lines(ex, w);
    }

    /// Rewraps only what streaming changes (text and raw events).
    pub fn rebuild_streaming(&mut self, ex: &Exchange) {
        let w = self.width.max(10);
        // Follow the tail while the reader is at the bottom, like `tail -f`.
        let page = self.page.max(1);
        let at_bottom = self.scroll + page >= self.current().len();
        self.lines[0] = text_lines(ex, w);
        self.lines[1] = raw_lines(ex, w);
        self.lines[3] = header_lines(ex, w);
        if at_bottom {
            self.scroll = self.current().len().saturating_sub(page);
        }
    }

    /// Lines of the current tab.
    pub fn current(&self) -> &[String] {
        &self.lines[self.tab]
    }

    /// Scrolls, clamped to the content.
    pub fn scroll_by(&mut self, delta: i64) {
        let max = self.current().len().saturating_sub(self.page.max(1)) as i64;
        self.scroll = (self.scroll as i64 + delta).clamp(0, max.max(0)) as usize;
    }

    /// Switches tab and scrolls to its top.
    pub fn switch_tab(&mut self, delta: i64) {
        self.tab = (self.tab as i64 + delta).rem_euclid(TABS.len() as i64) as usize;
        self.scroll = 0;
    }

    /// Draws the selected tab.
    pub fn render(
        &self,
        f: &mut Frame,
        area: Rect,
        focused: bool,
        theme: &Theme,
        ex: Option<&Exchange>,
    ) {
        let mut title = vec![Span::raw(" ")];
        for (i, t) in TABS.iter().enumerate() {
            let st = if i == self.tab {
                theme.accent().add_modifier(Modifier::REVERSED)
            } else {
                theme.dim()
            };
            let text = if i == self.tab {
                format!("[{t}]")
            } else {
                format!(" {t} ")
            };
            title.push(Span::styled(text, st));
        }
        title.push(Span::raw(" "));
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(focused))
            .title(Line::from(title));
        if let Some(ex) = ex {
            let st = theme.class(ex.outcome.class());
            block = block.title_bottom(
                Line::from(Span::styled(format!(" {} ", bottom_label(ex)), st)).right_aligned(),
            );
        }
        let inner = block.inner(area);
        f.render_widget(block, area);
        let body: Vec<Line> = if let Some(note) = &self.note {
            vec![Line::from(Span::styled(note.clone(), theme.dim()))]
        } else if ex.is_none() {
            vec![Line::from(Span::styled(
                "Nothing selected. Sent requests appear here as they stream.",
                theme.dim(),
            ))]
        } else {
            let lines = self.current();
            let h = inner.height as usize;
            let start = self.scroll.min(lines.len().saturating_sub(1));
            lines[start..(start + h).min(lines.len())]
                .iter()
                .map(|l| Line::raw(l.clone()))
                .collect()
        };
        f.render_widget(Paragraph::new(body), inner);
    }
}

fn text_lines(ex: &Exchange, w: usize) -> Vec<String> {
    let text = ex.text();
    if !text.is_empty() {
        let mut out = wrap(&text, w);
        if ex.outcome.class() == OutcomeClass::InFlight {
            match out.last_mut() {
                Some(l) if l.chars().count() < w => l.push('▍'),
                _ => out.push("▍".into()),
            }
        } else if ex.outcome.is_failure() {
            out.push(String::new());
            out.extend(wrap(
                &format!("── incomplete: {} ──", ex.outcome.short_label()),
                w,
            ));
        }
        return out;
    }
    let note = match ex.outcome.class() {
        OutcomeClass::InFlight if ex.response.is_none() => {
            "Waiting for the response headers…".to_string()
        }
        OutcomeClass::InFlight => "Waiting for the first token…".to_string(),
        OutcomeClass::Ok => "(no text)".to_string(),
        _ => match ex.outcome.api_error() {
            Some(e) => format!("{} {}: {}", e.code, e.status, e.message),
            None => format!(
                "No text: {}. See the inspector and the Raw tab.",
                ex.outcome.short_label()
            ),
        },
    };
    wrap(&note, w)
}

fn pretty(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_string()),
        Err(_) => text.to_string(),
    }
}

fn raw_lines(ex: &Exchange, w: usize) -> Vec<String> {
    if !ex.events.is_empty() {
        let mut out = Vec::new();
        for (i, e) in ex.events.iter().enumerate() {
            let tag = if e.raw { " raw" } else { "" };
            out.push(format!("── event {} at {:.0} ms{tag}", i + 1, e.at_ms));
            out.extend(wrap(&pretty(&e.data), w));
        }
        return out;
    }
    match &ex.body {
        Some(b) => wrap(&pretty(b), w),
        None => vec!["(no body)".into()],
    }
}

fn request_lines(ex: &Exchange, w: usize) -> Vec<String> {
    let r = &ex.request;
    let mut out = vec![format!("{} {}", r.method, r.url)];
    for (k, v) in &r.headers {
        out.push(format!("{k}: {v}"));
    }
    out.push(String::new());
    if let Some(b) = &r.body {
        out.push(serde_json::to_string_pretty(b).unwrap_or_default());
    }
    wrap_lines(out.iter().flat_map(|s| s.split('\n')), w)
}

fn header_lines(ex: &Exchange, w: usize) -> Vec<String> {
    let mut out = Vec::new();
    match &ex.response {
        Some(r) => {
            out.push(format!("HTTP {} {}", r.status, r.reason));
            for (k, v) in &r.headers {
                out.push(format!("{k}: {v}"));
            }
        }
        None => out.push("(no response headers)".into()),
    }
    out.push(String::new());
    let t = &ex.timings;
    let f = |v: Option<f64>| {
        v.map(|v| format!("{v:.0} ms"))
            .unwrap_or_else(|| "–".into())
    };
    out.push(format!("headers after   {}", f(t.headers_ms)));
    out.push(format!("first byte      {}", f(t.first_byte_ms)));
    out.push(format!("total           {}", f(t.total_ms)));
    out.push(format!("body bytes      {}", ex.body_bytes));
    out.push(format!("stream events   {}", ex.events.len()));
    if let Some(to) = ex.timeout_ms {
        out.push(format!("timeout         {to} ms"));
    }
    if let Some(u) = ex.usage() {
        out.push(format!(
            "tokens          prompt {} · output {} · thinking {} · total {}",
            u.prompt_token_count.unwrap_or(0),
            u.candidates_token_count.unwrap_or(0),
            u.thoughts_token_count.unwrap_or(0),
            u.total_token_count.unwrap_or(0)
        ));
    }
    wrap_lines(out.iter().map(String::as_str), w)
}

fn bottom_label(ex: &Exchange) -> String {
    match ex.outcome.class() {
        OutcomeClass::InFlight => "in flight".into(),
        _ => ex.outcome.short_label(),
    }
}
