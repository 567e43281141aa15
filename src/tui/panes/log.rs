//! The request log: one row per exchange, virtualised so 100k rows draw like 10.

use crate::gemini::exchange::{Exchange, OutcomeClass};
use crate::store::history::{Entry, Location, Summary};
use crate::tui::panes::params::clip;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};
use std::collections::HashMap;

/// One exchange in the log. History rows keep only the summary; bodies stay on disk.
#[derive(Debug, Clone)]
pub struct LogRow {
    /// What the table shows.
    pub summary: Summary,
    /// Where the full record lives in the history file.
    pub location: Option<Location>,
    /// The full record, for exchanges of this session.
    pub live: Option<Box<Exchange>>,
}

/// State of the log pane.
#[derive(Debug, Default)]
pub struct LogState {
    rows: Vec<LogRow>,
    by_req: HashMap<u64, usize>,
    visible: Vec<usize>,
    /// Position of the selection in the visible rows.
    pub selected: Option<usize>,
    /// Keep the newest row selected as rows arrive.
    pub follow: bool,
    /// Show failures only.
    pub failures_only: bool,
    /// Active search text.
    pub search: String,
    /// The search input line, while typing.
    pub searching: Option<String>,
    /// First visible row (scroll).
    pub offset: usize,
    /// Rows that fit on screen, set from the layout.
    pub page: usize,
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

impl LogState {
    /// An empty log following new rows.
    pub fn new() -> Self {
        LogState {
            follow: true,
            page: 10,
            ..LogState::default()
        }
    }

    /// Number of rows (all, unfiltered).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Number of rows passing the filter.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    fn passes(&self, r: &LogRow) -> bool {
        if self.failures_only && !r.summary.is_failure() {
            return false;
        }
        if self.search.is_empty() {
            return true;
        }
        let s = &r.summary;
        let needle = self.search.to_ascii_lowercase();
        [
            s.model.as_str(),
            s.outcome.as_str(),
            s.id.as_str(),
            s.api_version.as_str(),
            s.started_at.as_str(),
        ]
        .iter()
        .any(|f| f.to_ascii_lowercase().contains(&needle))
            || s.finish_reason
                .as_deref()
                .is_some_and(|f| f.to_ascii_lowercase().contains(&needle))
    }

    fn refilter(&mut self) {
        let keep = self.selected_index();
        self.visible = (0..self.rows.len())
            .filter(|i| self.passes(&self.rows[*i]))
            .collect();
        self.selected = match keep.and_then(|k| self.visible.iter().position(|i| *i == k)) {
            Some(p) if !self.follow => Some(p),
            _ => self.visible.len().checked_sub(1),
        };
        self.ensure_visible();
    }

    /// Adds history rows in front of this session's rows.
    pub fn load_history(&mut self, entries: Vec<Entry>) {
        let n = entries.len();
        let mut rows: Vec<LogRow> = entries
            .into_iter()
            .map(|e| LogRow {
                summary: e.summary,
                location: Some(e.location),
                live: None,
            })
            .collect();
        rows.append(&mut self.rows);
        self.rows = rows;
        for v in self.by_req.values_mut() {
            *v += n;
        }
        self.refilter();
    }

    /// Adds a live row for request `req`.
    pub fn push_live(&mut self, req: u64, ex: Box<Exchange>) {
        let row = LogRow {
            summary: Summary::of(&ex),
            location: None,
            live: Some(ex),
        };
        self.rows.push(row);
        let idx = self.rows.len() - 1;
        self.by_req.insert(req, idx);
        if self.passes(&self.rows[idx]) {
            self.visible.push(idx);
            if self.follow || self.selected.is_none() {
                self.selected = Some(self.visible.len() - 1);
            }
        }
        self.ensure_visible();
    }

    /// The live record of request `req`.
    pub fn live_mut(&mut self, req: u64) -> Option<&mut Exchange> {
        let i = *self.by_req.get(&req)?;
        self.rows.get_mut(i)?.live.as_deref_mut()
    }

    /// Recomputes the summary of request `req` after its record changed.
    pub fn refresh(&mut self, req: u64) {
        if let Some(&i) = self.by_req.get(&req)
            && let Some(row) = self.rows.get_mut(i)
            && let Some(ex) = &row.live
        {
            row.summary = Summary::of(ex);
        }
    }

    /// Replaces the record of request `req` with its final version.
    pub fn finish(&mut self, req: u64, ex: Box<Exchange>) {
        if let Some(&i) = self.by_req.get(&req)
            && let Some(row) = self.rows.get_mut(i)
        {
            row.summary = Summary::of(&ex);
            row.live = Some(ex);
        }
        if self.failures_only {
            self.refilter();
        }
    }

    /// Request number of a row index, if live.
    pub fn req_of(&self, idx: usize) -> Option<u64> {
        self.by_req
            .iter()
            .find(|(_, i)| **i == idx)
            .map(|(r, _)| *r)
    }

    /// Index (into all rows) of the selection.
    pub fn selected_index(&self) -> Option<usize> {
        self.selected.and_then(|p| self.visible.get(p).copied())
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&LogRow> {
        self.selected_index().and_then(|i| self.rows.get(i))
    }

    /// Requests still running.
    pub fn in_flight(&self) -> usize {
        self.by_req
            .values()
            .filter(|i| {
                self.rows
                    .get(**i)
                    .is_some_and(|r| r.summary.class == OutcomeClass::InFlight)
            })
            .count()
    }

    /// Moves the selection; following stops unless the newest row is reached.
    pub fn move_by(&mut self, delta: i64) {
        let n = self.visible.len();
        if n == 0 {
            return;
        }
        let cur = self.selected.unwrap_or(n - 1) as i64;
        let next = (cur + delta).clamp(0, n as i64 - 1) as usize;
        self.selected = Some(next);
        self.follow = next == n - 1;
        self.ensure_visible();
    }

    /// Jumps to the newest row and follows new ones.
    pub fn newest(&mut self) {
        self.selected = self.visible.len().checked_sub(1);
        self.follow = true;
        self.ensure_visible();
    }

    /// Toggles the failures filter.
    pub fn toggle_failures(&mut self) {
        self.failures_only = !self.failures_only;
        self.refilter();
    }

    /// Applies a search text (empty clears).
    pub fn set_search(&mut self, text: String) {
        self.search = text;
        self.refilter();
    }

    fn ensure_visible(&mut self) {
        let page = self.page.max(1);
        let Some(sel) = self.selected else {
            self.offset = 0;
            return;
        };
        if sel < self.offset {
            self.offset = sel;
        } else if sel >= self.offset + page {
            self.offset = sel + 1 - page;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(page));
    }

    /// Sets the number of rows that fit and keeps the selection on screen.
    pub fn set_page(&mut self, page: usize) {
        self.page = page.max(1);
        self.ensure_visible();
    }

    /// Draws only the rows that fit.
    pub fn render(&self, f: &mut Frame, area: Rect, focused: bool, theme: &Theme, now_ms: u64) {
        let mut title = vec![Span::styled(" Log ", theme.accent())];
        let count = if self.visible.len() == self.rows.len() {
            format!("{} ", self.rows.len())
        } else {
            format!("{}/{} ", self.visible.len(), self.rows.len())
        };
        title.push(Span::styled(count, theme.dim()));
        if self.failures_only {
            title.push(Span::styled("[failures] ", theme.warn()));
        }
        if let Some(s) = &self.searching {
            title.push(Span::styled(format!("/{s}▏ "), theme.accent()));
        } else if !self.search.is_empty() {
            title.push(Span::styled(format!("/{} ", self.search), theme.warn()));
        }
        if !self.follow {
            title.push(Span::styled("End: newest ", theme.dim()));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(focused))
            .title(Line::from(title));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if self.rows.is_empty() {
            let hint = Line::from(Span::styled(
                " No requests yet. Type a prompt and press F5.",
                theme.dim(),
            ));
            f.render_widget(ratatui::widgets::Paragraph::new(hint), inner);
            return;
        }
        let h = inner.height.saturating_sub(1) as usize;
        let wide = inner.width >= 90;
        let offset = self.offset.min(self.visible.len().saturating_sub(h));
        let spin = SPINNER[(now_ms / 100) as usize % SPINNER.len()];
        let rows: Vec<Row> = self.visible[offset..(offset + h).min(self.visible.len())]
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let s = &self.rows[i].summary;
                let live = self.rows[i].live.as_deref();
                let time = s.started_at.get(11..19).unwrap_or("").to_string();
                let status = if s.class == OutcomeClass::InFlight {
                    let what = match live {
                        Some(ex) if !ex.events.is_empty() => {
                            format!("streaming {}", ex.events.len())
                        }
                        Some(ex) if ex.response.is_some() => "receiving".into(),
                        _ => "waiting".into(),
                    };
                    format!("{spin} {what}")
                } else {
                    s.outcome.to_string()
                };
                let out_tokens = match (s.tokens_out, live) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(ex)) if s.class == OutcomeClass::InFlight => {
                        let chars = ex.text().chars().count() as u64;
                        if chars > 0 {
                            format!("~{}", chars / 4)
                        } else {
                            "–".into()
                        }
                    }
                    _ => "–".into(),
                };
                let tokens = format!(
                    "{}/{}",
                    s.tokens_in.map(|n| n.to_string()).unwrap_or("–".into()),
                    out_tokens
                );
                let mut cells = vec![
                    Cell::from(time).style(theme.dim()),
                    Cell::from(s.model.to_string()),
                ];
                if wide {
                    cells.push(Cell::from(s.api_version.to_string()).style(theme.dim()));
                }
                cells.push(Cell::from(status).style(theme.class(s.class)));
                cells.push(Cell::from(ms(s.ttfb_ms)));
                cells.push(Cell::from(ms(s.total_ms)));
                cells.push(Cell::from(tokens));
                if wide {
                    cells.push(
                        Cell::from(s.finish_reason.as_deref().unwrap_or("").to_string())
                            .style(theme.dim()),
                    );
                }
                let row = Row::new(cells);
                if Some(offset + k) == self.selected {
                    row.style(theme.selected())
                } else {
                    row
                }
            })
            .collect();
        let mut widths = vec![Constraint::Length(8), Constraint::Fill(2)];
        if wide {
            widths.push(Constraint::Length(6));
        }
        widths.extend([
            Constraint::Fill(3),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(11),
        ]);
        let mut header = vec!["time", "model"];
        if wide {
            header.push("ver");
        }
        header.extend(["status", "ttfb", "total", "tok in/out"]);
        if wide {
            widths.push(Constraint::Length(12));
            header.push("finish");
        }
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(theme.dim()))
            .column_spacing(1);
        f.render_widget(table, inner);
    }
}

/// `1.2s`, `340ms`, `–`.
fn ms(v: Option<f64>) -> String {
    match v {
        None => "–".into(),
        Some(v) if v < 1000.0 => format!("{}ms", v.round()),
        Some(v) => clip(&format!("{:.1}s", v / 1000.0), 7),
    }
}
