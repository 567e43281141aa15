//! Request parameters: model, version, stream, timeout, sampling sliders, safety.
//! Out-of-range values are allowed on purpose: the point is to see what the API says.

use crate::gemini::client::CallSpec;
use crate::gemini::wire::{
    ApiVersion, BLOCK_THRESHOLDS, Content, GenerateContentRequest, GenerationConfig,
    HARM_CATEGORIES, Model, SafetySetting, ThinkingConfig,
};
use crate::tui::theme::Theme;
use crate::tui::widgets::slider::slider;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use serde_json::Value;
use std::time::Duration;

/// A numeric generationConfig parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    /// temperature
    Temperature,
    /// topP
    TopP,
    /// topK
    TopK,
    /// maxOutputTokens
    MaxOutputTokens,
    /// candidateCount
    CandidateCount,
    /// thinkingConfig.thinkingBudget
    ThinkingBudget,
    /// seed
    Seed,
    /// presencePenalty
    PresencePenalty,
    /// frequencyPenalty
    FrequencyPenalty,
}

/// Every numeric parameter, in display order.
pub const NUMERIC: [Num; 9] = [
    Num::Temperature,
    Num::TopP,
    Num::TopK,
    Num::MaxOutputTokens,
    Num::CandidateCount,
    Num::ThinkingBudget,
    Num::Seed,
    Num::PresencePenalty,
    Num::FrequencyPenalty,
];

impl Num {
    /// The field name as the API spells it.
    pub fn json_name(self) -> &'static str {
        match self {
            Num::Temperature => "temperature",
            Num::TopP => "topP",
            Num::TopK => "topK",
            Num::MaxOutputTokens => "maxOutputTokens",
            Num::CandidateCount => "candidateCount",
            Num::ThinkingBudget => "thinkingBudget",
            Num::Seed => "seed",
            Num::PresencePenalty => "presencePenalty",
            Num::FrequencyPenalty => "frequencyPenalty",
        }
    }

    fn index(self) -> usize {
        NUMERIC.iter().position(|n| *n == self).unwrap_or(0)
    }

    fn integer(self) -> bool {
        !matches!(
            self,
            Num::Temperature | Num::TopP | Num::PresencePenalty | Num::FrequencyPenalty
        )
    }

    /// (fine, coarse) step.
    fn steps(self) -> (f64, f64) {
        match self {
            Num::Temperature => (0.05, 0.5),
            Num::TopP => (0.05, 0.25),
            Num::TopK => (1.0, 10.0),
            Num::MaxOutputTokens => (64.0, 1024.0),
            Num::CandidateCount => (1.0, 2.0),
            Num::ThinkingBudget => (128.0, 1024.0),
            Num::Seed => (1.0, 100.0),
            Num::PresencePenalty | Num::FrequencyPenalty => (0.1, 0.5),
        }
    }

    /// Hard bounds of stepping, far outside any model's range (typing can go further).
    fn hard(self) -> (f64, f64) {
        match self {
            Num::Temperature | Num::TopP => (-1.0, 10.0),
            Num::PresencePenalty | Num::FrequencyPenalty => (-10.0, 10.0),
            Num::Seed => (i32::MIN as f64, i32::MAX as f64),
            _ => (-1.0, 1_048_576.0),
        }
    }

    /// The range the selected model accepts, when its metadata says.
    pub fn range(self, model: Option<&Model>) -> Option<(f64, f64)> {
        match self {
            Num::Temperature => Some((0.0, model.and_then(|m| m.max_temperature).unwrap_or(2.0))),
            Num::TopP => Some((0.0, 1.0)),
            Num::TopK => model.and_then(|m| m.top_k).map(|k| (1.0, k as f64)),
            Num::MaxOutputTokens => model
                .and_then(|m| m.output_token_limit)
                .map(|l| (1.0, l as f64)),
            Num::CandidateCount => Some((1.0, 8.0)),
            Num::ThinkingBudget => match model.and_then(|m| m.thinking) {
                Some(true) => Some((-1.0, 32_768.0)),
                Some(false) => Some((0.0, 0.0)),
                None => None,
            },
            Num::Seed => None,
            Num::PresencePenalty | Num::FrequencyPenalty => Some((-2.0, 1.99)),
        }
    }

    /// The model's default, when its metadata says.
    pub fn default(self, model: Option<&Model>) -> Option<f64> {
        let m = model?;
        match self {
            Num::Temperature => m.temperature,
            Num::TopP => m.top_p,
            Num::TopK => m.top_k.map(|k| k as f64),
            Num::MaxOutputTokens => m.output_token_limit.map(|l| l as f64),
            _ => None,
        }
    }

    /// Formats a value the way the field is typed.
    pub fn fmt(self, v: f64) -> String {
        if self.integer() {
            format!("{}", v.round() as i64)
        } else {
            let s = format!("{v:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }

    /// The value of this field in a generationConfig JSON object.
    pub fn value_in(self, gc: Option<&Value>) -> Option<f64> {
        let gc = gc?;
        match self {
            Num::ThinkingBudget => gc.get("thinkingConfig")?.get("thinkingBudget")?.as_f64(),
            n => gc.get(n.json_name())?.as_f64(),
        }
    }

    /// Finds a parameter by its API name.
    pub fn by_json_name(name: &str) -> Option<Num> {
        NUMERIC
            .into_iter()
            .find(|n| n.json_name().eq_ignore_ascii_case(name))
    }
}

/// One row of the parameters pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The model id.
    Model,
    /// v1 / v1beta.
    Version,
    /// Streaming on/off.
    Stream,
    /// Timeout in seconds.
    Timeout,
    /// A numeric generationConfig field.
    Num(Num),
    /// Stop sequences, comma separated.
    Stop,
    /// responseMimeType.
    Mime,
    /// Safety threshold for `HARM_CATEGORIES[i]`.
    Safety(usize),
}

const MIMES: [&str; 3] = ["text/plain", "application/json", "text/x.enum"];

/// Every row, in display order.
pub fn fields() -> Vec<Field> {
    let mut v = vec![Field::Model, Field::Version, Field::Stream, Field::Timeout];
    v.extend(NUMERIC.map(Field::Num));
    v.extend([Field::Stop, Field::Mime]);
    v.extend((0..HARM_CATEGORIES.len()).map(Field::Safety));
    v
}

/// Whether the model list has arrived.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Catalogue {
    /// Still fetching.
    #[default]
    Loading,
    /// Arrived.
    Loaded,
    /// Failed; the model can still be typed.
    Failed(String),
}

/// State of the parameters pane.
#[derive(Debug, Clone)]
pub struct ParamsState {
    /// Model id.
    pub model: String,
    /// API version.
    pub version: ApiVersion,
    /// Stream the response.
    pub stream: bool,
    /// Timeout in seconds.
    pub timeout_s: f64,
    default_timeout_s: f64,
    nums: [Option<f64>; 9],
    /// Stop sequences as typed (comma separated), if set.
    pub stop: Option<String>,
    /// responseMimeType, if set.
    pub mime: Option<String>,
    /// Index into `BLOCK_THRESHOLDS` per category, if set.
    pub safety: [Option<usize>; 5],
    /// Selected row.
    pub selected: usize,
    /// The exact-value input line, while typing.
    pub editing: Option<String>,
    /// The models the API listed.
    pub models: Vec<Model>,
    /// Whether the list arrived.
    pub catalogue: Catalogue,
}

impl ParamsState {
    /// Defaults: the given model and version, streaming on, nothing else set.
    pub fn new(model: String, version: ApiVersion, timeout: Duration) -> Self {
        ParamsState {
            model,
            version,
            stream: true,
            timeout_s: timeout.as_secs_f64(),
            default_timeout_s: timeout.as_secs_f64(),
            nums: [None; 9],
            stop: None,
            mime: None,
            safety: [None; 5],
            selected: 0,
            editing: None,
            models: Vec::new(),
            catalogue: Catalogue::Loading,
        }
    }

    /// The selected model's metadata, if listed.
    pub fn current_model(&self) -> Option<&Model> {
        self.models.iter().find(|m| m.id() == self.model)
    }

    /// The value of a numeric field (None = omitted from the request).
    pub fn num(&self, n: Num) -> Option<f64> {
        self.nums[n.index()]
    }

    /// Sets a numeric field.
    pub fn set_num(&mut self, n: Num, v: Option<f64>) {
        self.nums[n.index()] = v.map(|v| {
            if n.integer() {
                v.round()
            } else {
                (v * 100.0).round() / 100.0
            }
        });
    }

    /// The field on the selected row.
    pub fn field(&self) -> Field {
        let f = fields();
        f[self.selected.min(f.len() - 1)]
    }

    /// Moves the selection.
    pub fn move_by(&mut self, delta: i64) {
        let n = fields().len() as i64;
        self.selected = (self.selected as i64 + delta).clamp(0, n - 1) as usize;
    }

    /// ←/→ (and Shift for coarse) on the selected row. Numeric values start from the model's
    /// default (or the range's low end) when unset, and are not clamped to the range.
    pub fn step(&mut self, dir: f64, coarse: bool) {
        match self.field() {
            Field::Model => {}
            Field::Version => {
                self.version = match self.version {
                    ApiVersion::V1 => ApiVersion::V1Beta,
                    ApiVersion::V1Beta => ApiVersion::V1,
                }
            }
            Field::Stream => self.stream = !self.stream,
            Field::Timeout => {
                let step = if coarse { 30.0 } else { 5.0 };
                self.timeout_s = (self.timeout_s + dir * step).clamp(1.0, 3600.0);
            }
            Field::Num(n) => {
                let model = self.current_model();
                let start = self
                    .num(n)
                    .or_else(|| n.default(model))
                    .or_else(|| n.range(model).map(|r| r.0))
                    .unwrap_or(0.0);
                let (fine, big) = n.steps();
                let (lo, hi) = n.hard();
                let next = if self.num(n).is_none() {
                    start
                } else {
                    start + dir * if coarse { big } else { fine }
                };
                self.set_num(n, Some(next.clamp(lo, hi)));
            }
            Field::Stop => {}
            Field::Mime => {
                let i = self
                    .mime
                    .as_deref()
                    .and_then(|m| MIMES.iter().position(|x| *x == m));
                self.mime = cycle(i, MIMES.len(), dir).map(|i| MIMES[i].to_string());
            }
            Field::Safety(c) => self.safety[c] = cycle(self.safety[c], BLOCK_THRESHOLDS.len(), dir),
        }
    }

    /// Resets the selected row to the model's default (unset when the model has none).
    pub fn reset(&mut self) {
        match self.field() {
            Field::Num(n) => {
                let d = n.default(self.current_model());
                self.set_num(n, d);
            }
            Field::Timeout => self.timeout_s = self.default_timeout_s,
            Field::Stream => self.stream = true,
            Field::Version => self.version = ApiVersion::V1Beta,
            _ => self.unset(),
        }
    }

    /// Omits the selected row from the request.
    pub fn unset(&mut self) {
        match self.field() {
            Field::Num(n) => self.set_num(n, None),
            Field::Stop => self.stop = None,
            Field::Mime => self.mime = None,
            Field::Safety(c) => self.safety[c] = None,
            _ => {}
        }
    }

    /// Opens the input line with the current value.
    pub fn begin_edit(&mut self) {
        let current = match self.field() {
            Field::Model => self.model.clone(),
            Field::Version => self.version.to_string(),
            Field::Stream => self.stream.to_string(),
            Field::Timeout => format!("{}", self.timeout_s),
            Field::Num(n) => self.num(n).map(|v| n.fmt(v)).unwrap_or_default(),
            Field::Stop => self.stop.clone().unwrap_or_default(),
            Field::Mime => self.mime.clone().unwrap_or_default(),
            Field::Safety(c) => self.safety[c]
                .map(|i| BLOCK_THRESHOLDS[i].to_string())
                .unwrap_or_default(),
        };
        self.editing = Some(current);
    }

    /// Applies the input line; an empty value unsets. Errors keep the line open.
    pub fn commit_edit(&mut self) -> Result<(), String> {
        let Some(text) = self.editing.clone() else {
            return Ok(());
        };
        let t = text.trim();
        match self.field() {
            Field::Model if !t.is_empty() => {
                self.model = t.trim_start_matches("models/").to_string()
            }
            Field::Model => return Err("the model cannot be empty".into()),
            Field::Version => {
                self.version = ApiVersion::parse(t).ok_or(format!("{t:?} is not v1 or v1beta"))?
            }
            Field::Stream => self.stream = matches!(t, "true" | "on" | "yes" | "1"),
            Field::Timeout => {
                let s: f64 = t
                    .parse()
                    .map_err(|_| format!("{t:?} is not a number of seconds"))?;
                if !(s.is_finite() && s > 0.0) {
                    return Err("the timeout must be positive".into());
                }
                self.timeout_s = s;
            }
            Field::Num(n) if t.is_empty() => self.set_num(n, None),
            Field::Num(n) => {
                let v: f64 = t.parse().map_err(|_| format!("{t:?} is not a number"))?;
                if !v.is_finite() {
                    return Err(format!("{t:?} is not a finite number"));
                }
                self.set_num(n, Some(v));
            }
            Field::Stop => self.stop = (!t.is_empty()).then(|| t.to_string()),
            Field::Mime => self.mime = (!t.is_empty()).then(|| t.to_string()),
            Field::Safety(c) => {
                let up = t.to_ascii_uppercase();
                self.safety[c] = if t.is_empty() {
                    None
                } else {
                    Some(
                        BLOCK_THRESHOLDS
                            .iter()
                            .position(|x| *x == up)
                            .ok_or(format!("{t:?} is not a threshold"))?,
                    )
                };
            }
        }
        self.editing = None;
        Ok(())
    }

    /// The call the draft describes.
    pub fn build_spec(&self, prompt: &str, system: &str) -> CallSpec {
        let mut request = GenerateContentRequest::from_prompt(prompt);
        if !system.trim().is_empty() {
            request.system_instruction = Some(Content::text(system));
        }
        let mut gc = GenerationConfig {
            temperature: self.num(Num::Temperature),
            top_p: self.num(Num::TopP),
            top_k: self.num(Num::TopK).map(|v| v as i64),
            candidate_count: self.num(Num::CandidateCount).map(|v| v as i64),
            max_output_tokens: self.num(Num::MaxOutputTokens).map(|v| v as i64),
            seed: self.num(Num::Seed).map(|v| v as i64),
            presence_penalty: self.num(Num::PresencePenalty),
            frequency_penalty: self.num(Num::FrequencyPenalty),
            response_mime_type: self.mime.clone(),
            ..GenerationConfig::default()
        };
        if let Some(stop) = &self.stop {
            gc.stop_sequences = Some(
                stop.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            );
        }
        if let Some(b) = self.num(Num::ThinkingBudget) {
            gc.thinking_config = Some(ThinkingConfig {
                thinking_budget: Some(b as i64),
                ..ThinkingConfig::default()
            });
        }
        if gc != GenerationConfig::default() {
            request.generation_config = Some(gc);
        }
        let safety: Vec<SafetySetting> = self
            .safety
            .iter()
            .enumerate()
            .filter_map(|(c, t)| {
                t.map(|t| SafetySetting {
                    category: HARM_CATEGORIES[c].into(),
                    threshold: BLOCK_THRESHOLDS[t].into(),
                })
            })
            .collect();
        if !safety.is_empty() {
            request.safety_settings = Some(safety);
        }
        CallSpec {
            model: self.model.clone(),
            api_version: self.version,
            stream: self.stream,
            request,
            timeout: Duration::from_secs_f64(self.timeout_s),
        }
    }

    /// Label and value text of a row, and whether the value is out of the model's range.
    fn row(&self, f: Field) -> (String, String, Option<f64>, Option<(f64, f64)>) {
        let model = self.current_model();
        match f {
            Field::Model => ("model".into(), self.model.clone(), None, None),
            Field::Version => ("version".into(), self.version.to_string(), None, None),
            Field::Stream => (
                "stream".into(),
                if self.stream { "on" } else { "off" }.into(),
                None,
                None,
            ),
            Field::Timeout => (
                "timeout".into(),
                format!("{} s", self.timeout_s),
                Some(self.timeout_s),
                Some((1.0, 600.0)),
            ),
            Field::Num(n) => {
                let v = self.num(n);
                let text = v.map(|v| n.fmt(v)).unwrap_or_else(|| "unset".into());
                (n.json_name().into(), text, v, n.range(model))
            }
            Field::Stop => (
                "stop".into(),
                self.stop.clone().unwrap_or_else(|| "unset".into()),
                None,
                None,
            ),
            Field::Mime => (
                "mime".into(),
                self.mime.clone().unwrap_or_else(|| "unset".into()),
                None,
                None,
            ),
            Field::Safety(c) => {
                let short = ["harassment", "hate speech", "sexual", "dangerous", "civic"][c.min(4)];
                let v = self.safety[c]
                    .map(|t| BLOCK_THRESHOLDS[t].trim_start_matches("HARM_").to_string())
                    .unwrap_or_else(|| "unset".into());
                (short.to_string(), v, None, None)
            }
        }
    }

    /// Draws the pane.
    pub fn render(&self, f: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        let model_note = match (&self.catalogue, self.current_model()) {
            (Catalogue::Loading, _) => " · listing models…".to_string(),
            (Catalogue::Failed(_), _) => " · model list unavailable".to_string(),
            (_, Some(m)) => format!(
                " · in {} out {}",
                m.input_token_limit
                    .map(short_count)
                    .unwrap_or_else(|| "?".into()),
                m.output_token_limit
                    .map(short_count)
                    .unwrap_or_else(|| "?".into())
            ),
            (_, None) => " · not in the list".to_string(),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(focused))
            .title(Line::from(vec![
                Span::styled(" Parameters", theme.accent()),
                Span::styled(format!("{model_note} "), theme.dim()),
            ]));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let all = fields();
        let h = inner.height as usize;
        if h == 0 {
            return;
        }
        let offset = self.selected.saturating_sub(h.saturating_sub(1));
        let w = inner.width as usize;
        let label_w = 18.min(w / 3);
        let value_w = 14.min(w / 3);
        let wide = w >= 60;
        let mut lines = Vec::new();
        for (i, field) in all.iter().enumerate().skip(offset).take(h) {
            let (label, value, v, range) = self.row(*field);
            let sel = i == self.selected;
            let out = matches!((v, range), (Some(v), Some((lo, hi))) if v < lo || v > hi);
            let mut spans = vec![Span::styled(
                format!(
                    "{}{:<lw$}",
                    if sel { "›" } else { " " },
                    clip(&label, label_w.saturating_sub(1)),
                    lw = label_w.saturating_sub(1)
                ),
                if sel { theme.accent() } else { theme.dim() },
            )];
            let value_text = if sel && let Some(e) = &self.editing {
                format!("{e}▏")
            } else {
                value
            };
            let vstyle = if out {
                theme.bad()
            } else if value_text == "unset" {
                theme.dim()
            } else {
                ratatui::style::Style::new()
            };
            let value_cell =
                if matches!(field, Field::Num(_) | Field::Timeout) && self.editing.is_none() {
                    format!("{:>vw$} ", clip(&value_text, value_w), vw = value_w)
                } else {
                    format!("{} ", clip(&value_text, w.saturating_sub(label_w + 1)))
                };
            let used = label_w + value_cell.chars().count();
            spans.push(Span::styled(value_cell, vstyle));
            if matches!(field, Field::Num(_) | Field::Timeout) && !(sel && self.editing.is_some()) {
                let range_text = match range {
                    Some((lo, hi)) if wide => match field {
                        Field::Num(n) => format!(" {}–{}", n.fmt(lo), n.fmt(hi)),
                        _ => format!(" {lo}–{hi}"),
                    },
                    _ => String::new(),
                };
                let bar_w = w.saturating_sub(used + range_text.chars().count()).min(30);
                spans.extend(slider(v, range, bar_w, theme));
                spans.push(Span::styled(
                    range_text,
                    if out { theme.bad() } else { theme.dim() },
                ));
            }
            let mut line = Line::from(spans);
            if sel && focused {
                line = line.style(theme.selected());
            }
            lines.push(line);
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

fn cycle(current: Option<usize>, len: usize, dir: f64) -> Option<usize> {
    // Unset sits between the last and the first value, so it is reachable both ways.
    match (current, dir > 0.0) {
        (None, true) => Some(0),
        (None, false) => Some(len - 1),
        (Some(i), true) if i + 1 >= len => None,
        (Some(i), true) => Some(i + 1),
        (Some(0), false) => None,
        (Some(i), false) => Some(i - 1),
    }
}

/// `1048576` → `1M`, `65536` → `64k`.
pub fn short_count(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_048_576) {
        format!("{}M", n / 1_048_576)
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{}k", n / 1024)
    } else if n >= 10_000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

/// Cuts to `max` chars with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}
