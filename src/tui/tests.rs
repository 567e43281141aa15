//! Console tests: pure updates, pane snapshots at fixed sizes, and the whole loop with an
//! injected input stream and a fake effect runner. Fixed clock, fixed ids, no ports or paths.

use crate::gemini::api_error::{ApiErrorBody, ErrorDetail};
use crate::gemini::client::Progress;
use crate::gemini::exchange::{
    Exchange, Operation, Outcome, RecordedRequest, RecordedResponse, StreamEvent, Timings,
    TransportKind,
};
use crate::gemini::wire::{
    ApiVersion, BlockReason, Content, GenerateContentResponse, Model, Part, PromptFeedback,
    SafetyRating, UsageMetadata,
};
use crate::store::history::{Entry, Location, Summary};
use crate::tui::app::{App, Focus, Overlay};
use crate::tui::effects::{Effect, EffectRunner};
use crate::tui::msg::Msg;
use crate::tui::panes::params::{Num, ParamsState};
use crate::tui::panes::status::StatusState;
use crate::tui::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::json;
use std::time::Duration;

fn model(id: &str, out: u64, thinking: bool) -> Model {
    serde_json::from_value(json!({
        "name": format!("models/{id}"),
        "inputTokenLimit": 1_048_576,
        "outputTokenLimit": out,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
        "temperature": 1.0,
        "maxTemperature": 2.0,
        "topP": 0.95,
        "topK": 64,
        "thinking": thinking,
    }))
    .unwrap()
}

fn app(w: u16, h: u16) -> App {
    let status = StatusState {
        badge: "SANDBOX".into(),
        base_url: "http://sandbox.test".into(),
        key: "sand…-key from sandbox".into(),
        history_path: "<data>/history.jsonl".into(),
        export_dir: "<data>/exports".into(),
        config_path: "<config>/config.toml".into(),
        ..StatusState::default()
    };
    let params = ParamsState::new(
        "gemini-2.5-flash".into(),
        ApiVersion::V1Beta,
        Duration::from_secs(60),
    );
    let mut a = App::new(params, status, Rect::new(0, 0, w, h));
    a.session.sandbox = true;
    a.update(Msg::Models {
        version: ApiVersion::V1Beta,
        result: Ok(vec![
            model("gemini-2.5-flash", 65_536, true),
            model("gemini-2.0-flash", 8_192, false),
        ]),
    });
    a
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(a: &mut App, s: &str) {
    for c in s.chars() {
        a.on_event(key(KeyCode::Char(c)));
    }
}

fn base_exchange(n: u32) -> Exchange {
    Exchange {
        id: format!("0000000000{n:03}"),
        started_at: format!("2026-12-04T16:{:02}:{:02}.000Z", n / 60 % 60, n % 60),
        backend: "sandbox".into(),
        operation: Some(Operation::StreamGenerateContent),
        api_version: ApiVersion::V1Beta,
        model: Some("gemini-2.5-flash".into()),
        timeout_ms: Some(60_000),
        request: RecordedRequest {
            method: "POST".into(),
            url: "http://sandbox.test/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
                .into(),
            headers: vec![
                ("x-goog-api-key".into(), "sand…-key".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Some(
                json!({"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}),
            ),
        },
        ..Exchange::default()
    }
}

fn response(status: u16, reason: &str) -> RecordedResponse {
    RecordedResponse {
        status,
        reason: reason.into(),
        headers: vec![("content-type".into(), "text/event-stream".into())],
    }
}

fn chunk(text: &str, out_tokens: u64, finish: Option<&str>) -> GenerateContentResponse {
    let mut v = json!({
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}],
        "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": out_tokens, "totalTokenCount": 7 + out_tokens},
    });
    if let Some(f) = finish {
        v["candidates"][0]["finishReason"] = json!(f);
    }
    serde_json::from_value(v).unwrap()
}

const ANSWER: &str = "The sky looks blue because air molecules scatter short (blue) wavelengths of sunlight far more than long (red) ones. This is Rayleigh scattering; at sunset light crosses more air, so the blues are scattered away and reds remain.";

/// Drives a finished exchange through the same messages a real send produces.
fn finish(a: &mut App, req: u64, ex: Exchange) {
    let mut started = ex.clone();
    started.outcome = Outcome::InFlight;
    started.response = None;
    started.timings = Timings::default();
    started.result = None;
    started.events.clear();
    a.update(Msg::Progress {
        req,
        progress: Progress::Started(Box::new(started)),
    });
    a.update(Msg::Finished {
        req,
        exchange: Box::new(ex),
    });
}

fn success(n: u32) -> Exchange {
    let mut ex = base_exchange(n);
    ex.response = Some(response(200, "OK"));
    ex.timings = Timings {
        headers_ms: Some(180.0),
        first_byte_ms: Some(412.0),
        total_ms: Some(2310.0),
    };
    ex.events = vec![StreamEvent {
        at_ms: 412.0,
        data: serde_json::to_string(&chunk(ANSWER, 48, Some("STOP"))).unwrap(),
        raw: false,
    }];
    ex.result = Some(chunk(ANSWER, 48, Some("STOP")));
    ex.outcome = Outcome::Success;
    ex
}

fn api_error(n: u32, err: ApiErrorBody) -> Exchange {
    let mut ex = base_exchange(n);
    ex.response = Some(response(err.code as u16, "Error"));
    ex.timings = Timings {
        headers_ms: Some(95.0),
        first_byte_ms: Some(96.0),
        total_ms: Some(97.0),
    };
    ex.body = Some(err.to_wire_pretty());
    ex.outcome = Outcome::ApiError {
        error: err,
        in_stream: false,
    };
    ex
}

fn rate_limited(n: u32) -> Exchange {
    api_error(
        n,
        ApiErrorBody::new(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
        )
        .with(ErrorDetail::RetryInfo {
            retry_delay: "37s".into(),
        }),
    )
}

fn out_of_range(n: u32) -> Exchange {
    let mut ex = api_error(
        n,
        ApiErrorBody::new(
            400,
            "INVALID_ARGUMENT",
            "Unable to submit request because it has a temperature value of 3.5 but the supported range is from 0 (inclusive) to 2.0001 (exclusive).",
        ),
    );
    ex.request.body = Some(
        json!({"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"temperature": 3.5}}),
    );
    ex
}

fn blocked(n: u32) -> Exchange {
    let mut ex = base_exchange(n);
    ex.response = Some(response(200, "OK"));
    ex.timings = Timings {
        headers_ms: Some(120.0),
        first_byte_ms: Some(130.0),
        total_ms: Some(131.0),
    };
    ex.result = Some(GenerateContentResponse {
        prompt_feedback: Some(PromptFeedback {
            block_reason: Some(BlockReason::Safety),
            safety_ratings: vec![SafetyRating {
                category: "HARM_CATEGORY_DANGEROUS_CONTENT".into(),
                probability: "HIGH".into(),
                blocked: Some(true),
            }],
        }),
        usage_metadata: Some(UsageMetadata {
            prompt_token_count: Some(9),
            ..Default::default()
        }),
        ..Default::default()
    });
    ex.outcome = Outcome::PromptBlocked {
        reason: BlockReason::Safety,
    };
    ex
}

fn timed_out(n: u32) -> Exchange {
    let mut ex = base_exchange(n);
    ex.timeout_ms = Some(10_000);
    ex.timings = Timings {
        total_ms: Some(10_002.0),
        ..Timings::default()
    };
    ex.outcome = Outcome::Transport {
        kind: TransportKind::TimeoutBeforeHeaders,
        message: "no response headers within 10 s".into(),
    };
    ex
}

fn interrupted(n: u32) -> Exchange {
    let mut ex = success(n);
    ex.result = Some(chunk(
        "The sky looks blue because air molecules scatter",
        9,
        None,
    ));
    ex.timings.total_ms = Some(1500.0);
    ex.outcome = Outcome::StreamInterrupted {
        kind: TransportKind::ConnectionReset,
        events_received: 5,
        message: "connection closed before the stream ended".into(),
    };
    ex
}

fn render(a: &mut App) -> Terminal<TestBackend> {
    let size = a.session.size;
    let mut t = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    t.draw(|f| crate::tui::view::draw(f, a, &Theme::colored()))
        .unwrap();
    t
}

fn screen(a: &mut App) -> String {
    format!("{}", render(a).backend())
}

// ---- pure updates ----

#[test]
fn typing_edits_the_prompt_and_f5_sends_the_draft() {
    let mut a = app(120, 40);
    type_text(&mut a, "hello");
    assert_eq!(a.prompt.prompt_text(), "hello");
    let fx = a.on_event(key(KeyCode::F(5)));
    let [Effect::Send { req: 1, spec }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(spec.model, "gemini-2.5-flash");
    assert!(spec.stream);
    // Unset values are not sent.
    assert!(spec.request.generation_config.is_none());
    assert!(spec.request.safety_settings.is_none());
    let fx = a.on_event(ctrl('s'));
    assert!(matches!(fx.as_slice(), [Effect::Send { req: 2, .. }]));
}

#[test]
fn undo_and_redo_in_the_prompt() {
    let mut a = app(120, 40);
    type_text(&mut a, "abc");
    a.on_event(ctrl('z'));
    assert_eq!(a.prompt.prompt_text(), "ab");
    a.on_event(ctrl('r'));
    assert_eq!(a.prompt.prompt_text(), "abc");
    a.on_event(Event::Paste("pasted\r\ntext".into()));
    assert_eq!(a.prompt.prompt_text(), "abcpasted\ntext");
    a.on_event(ctrl('t'));
    type_text(&mut a, "sys");
    assert_eq!(
        a.draft().request.system_instruction.unwrap().visible_text(),
        "sys"
    );
}

#[test]
fn question_mark_types_in_the_prompt_but_opens_help_elsewhere() {
    let mut a = app(120, 40);
    a.on_event(key(KeyCode::Char('?')));
    assert_eq!(a.prompt.prompt_text(), "?");
    assert!(a.overlay.is_none());
    a.on_event(key(KeyCode::Tab));
    assert_eq!(a.focus, Focus::Params);
    a.on_event(key(KeyCode::Char('?')));
    assert!(matches!(a.overlay, Some(Overlay::Help(0))));
    a.on_event(key(KeyCode::Esc));
    assert!(a.overlay.is_none());
    a.on_event(key(KeyCode::F(1)));
    assert!(a.overlay.is_some());
}

#[test]
fn ctrl_c_quits_from_anywhere_even_an_overlay() {
    let mut a = app(80, 24);
    a.on_event(key(KeyCode::F(1)));
    a.on_event(ctrl('c'));
    assert!(a.session.quit);
}

fn select_param(a: &mut App, n: Num) {
    a.focus = Focus::Params;
    let target = crate::tui::panes::params::fields()
        .iter()
        .position(|f| *f == crate::tui::panes::params::Field::Num(n))
        .unwrap();
    a.params.selected = target;
}

#[test]
fn sliders_step_from_the_model_default_and_may_leave_the_range() {
    let mut a = app(120, 40);
    select_param(&mut a, Num::Temperature);
    a.on_event(key(KeyCode::Right));
    assert_eq!(
        a.params.num(Num::Temperature),
        Some(1.0),
        "first step starts at the model default"
    );
    a.on_event(key(KeyCode::Right));
    assert_eq!(a.params.num(Num::Temperature), Some(1.05));
    a.on_event(Event::Key(KeyEvent::new(
        KeyCode::Right,
        KeyModifiers::SHIFT,
    )));
    a.on_event(Event::Key(KeyEvent::new(
        KeyCode::Right,
        KeyModifiers::SHIFT,
    )));
    a.on_event(Event::Key(KeyEvent::new(
        KeyCode::Right,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(
        a.params.num(Num::Temperature),
        Some(2.55),
        "out of range is allowed"
    );
    assert_eq!(a.inspector.preflight[0].id, "param.temperature");
    // Clamp via the inspector's numbered fix.
    let fx = a.apply(crate::tui::msg::Action::ApplyFix(1));
    assert!(fx.is_empty());
    assert_eq!(a.params.num(Num::Temperature), Some(2.0));
    assert!(
        a.inspector
            .preflight
            .iter()
            .all(|f| f.id != "param.temperature")
    );
    a.on_event(key(KeyCode::Char('u')));
    assert_eq!(a.params.num(Num::Temperature), None);
    a.on_event(key(KeyCode::Char('d')));
    assert_eq!(a.params.num(Num::Temperature), Some(1.0));
}

#[test]
fn exact_values_are_typed_and_errors_keep_the_line_open() {
    let mut a = app(120, 40);
    select_param(&mut a, Num::MaxOutputTokens);
    a.on_event(key(KeyCode::Char('e')));
    for c in "12x".chars() {
        a.on_event(key(KeyCode::Char(c)));
    }
    a.on_event(key(KeyCode::Enter));
    assert!(a.params.editing.is_some());
    assert!(a.status.message.as_ref().is_some_and(|(_, err)| *err));
    a.on_event(key(KeyCode::Backspace));
    a.on_event(key(KeyCode::Enter));
    assert_eq!(a.params.num(Num::MaxOutputTokens), Some(12.0));
    let spec = a.draft();
    assert_eq!(
        spec.request.generation_config.unwrap().max_output_tokens,
        Some(12)
    );
}

#[test]
fn progress_messages_build_a_live_row() {
    let mut a = app(120, 40);
    let mut ex = base_exchange(1);
    a.update(Msg::Progress {
        req: 1,
        progress: Progress::Started(Box::new(ex.clone())),
    });
    assert_eq!(a.log.in_flight(), 1);
    assert!(a.wants_ticks());
    a.update(Msg::Progress {
        req: 1,
        progress: Progress::Headers(response(200, "OK"), 100.0),
    });
    a.update(Msg::Progress {
        req: 1,
        progress: Progress::FirstByte(120.0),
    });
    for (i, part) in ["The sky ", "is blue."].iter().enumerate() {
        let c = chunk(part, 3 * (i as u64 + 1), None);
        let ev = StreamEvent {
            at_ms: 120.0 + i as f64,
            data: serde_json::to_string(&c).unwrap(),
            raw: false,
        };
        a.update(Msg::Progress {
            req: 1,
            progress: Progress::Event(ev, Some(Box::new(c))),
        });
    }
    let row = a.log.selected_row().unwrap();
    assert_eq!(row.summary.tokens_out, Some(6));
    assert_eq!(row.live.as_ref().unwrap().text(), "The sky is blue.");
    assert!(
        a.response
            .current()
            .iter()
            .any(|l| l.contains("The sky is blue."))
    );
    ex = success(1);
    let fx = a.update(Msg::Finished {
        req: 1,
        exchange: Box::new(ex),
    });
    assert!(matches!(fx.as_slice(), [Effect::AppendHistory(_)]));
    assert_eq!(a.log.in_flight(), 0);
    assert!(!a.wants_ticks());
}

fn history_entries(n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            let ex = if i % 7 == 3 {
                rate_limited(i as u32)
            } else {
                success(i as u32)
            };
            Entry {
                summary: Summary::of(&ex),
                location: Location {
                    file: 1,
                    offset: i as u64 * 100,
                    len: 100,
                },
            }
        })
        .collect()
}

#[test]
fn history_rows_are_read_on_demand_and_the_latest_selection_wins() {
    let mut a = app(120, 40);
    a.update(Msg::HistoryLoaded {
        result: Ok(history_entries(20)),
        skipped: 2,
    });
    assert_eq!(a.status.skipped, 2);
    assert_eq!(a.log.len(), 20);
    // Selecting asked for the newest entry's body.
    a.focus = Focus::Log;
    let fx = a.on_event(key(KeyCode::Up));
    let [Effect::LoadExchange { id: first, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    let fx = a.on_event(key(KeyCode::Up));
    let [Effect::LoadExchange { id: second, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_ne!(first, second);
    // The stale answer arrives first and is dropped.
    a.update(Msg::ExchangeLoaded {
        id: first.clone(),
        result: Ok(Box::new(success(18))),
    });
    assert!(a.selected_exchange().is_none());
    let mut wanted = success(17);
    wanted.id = second.clone();
    a.update(Msg::ExchangeLoaded {
        id: second.clone(),
        result: Ok(Box::new(wanted)),
    });
    assert_eq!(
        a.selected_exchange().map(|e| e.id.as_str()),
        Some(second.as_str())
    );
}

#[test]
fn failures_filter_and_search_narrow_the_log() {
    let mut a = app(120, 40);
    a.update(Msg::HistoryLoaded {
        result: Ok(history_entries(70)),
        skipped: 0,
    });
    a.focus = Focus::Log;
    a.on_event(key(KeyCode::Char('f')));
    assert_eq!(a.log.visible_len(), 10);
    a.on_event(key(KeyCode::Char('f')));
    a.on_event(key(KeyCode::Char('/')));
    type_text(&mut a, "16:00:5");
    a.on_event(key(KeyCode::Enter));
    assert_eq!(a.log.visible_len(), 10, "started 16:00:50..59");
}

#[test]
fn retry_after_arms_a_countdown_that_fires_on_the_clock() {
    let mut a = app(120, 40);
    finish(&mut a, 1, rate_limited(1));
    assert_eq!(
        a.inspector.actions()[0],
        crate::tui::diagnosis::InspectorAction::RetryAfter(Duration::from_secs(37))
    );
    a.session.now_ms = 1_000;
    a.focus = Focus::Inspector;
    assert!(a.on_event(key(KeyCode::Char('1'))).is_empty());
    assert_eq!(a.countdown_left(), Some(37_000));
    assert!(a.wants_ticks());
    assert!(a.tick(30_000).is_empty());
    assert_eq!(a.countdown_left(), Some(8_000));
    let fx = a.tick(38_000);
    let [Effect::Send { spec, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(
        spec.request.contents[0].visible_text(),
        "Why is the sky blue?"
    );
    assert!(a.session.countdown.is_none());
}

#[test]
fn esc_cancels_the_countdown_then_the_selected_request() {
    let mut a = app(120, 40);
    finish(&mut a, 1, rate_limited(1));
    a.focus = Focus::Inspector;
    a.on_event(key(KeyCode::Char('1')));
    a.on_event(key(KeyCode::Esc));
    assert!(a.session.countdown.is_none());
    a.update(Msg::Progress {
        req: 2,
        progress: Progress::Started(Box::new(base_exchange(2))),
    });
    let fx = a.on_event(key(KeyCode::Esc));
    assert!(matches!(fx.as_slice(), [Effect::Cancel(2)]));
    // F8 works from the prompt too.
    a.focus = Focus::Prompt;
    let fx = a.on_event(key(KeyCode::F(8)));
    assert!(matches!(fx.as_slice(), [Effect::Cancel(2)]));
}

#[test]
fn copy_and_export_never_carry_the_key() {
    let mut a = app(120, 40);
    finish(&mut a, 1, success(1));
    a.focus = Focus::Log;
    let mut snippets = Vec::new();
    for k in ['y', 'Y', 'x'] {
        match a.on_event(key(KeyCode::Char(k))).as_slice() {
            [Effect::Clipboard(s)] => snippets.push(s.clone()),
            [Effect::Export { files, .. }] => snippets.extend(
                files
                    .iter()
                    .filter(|(ext, _)| ext != "json")
                    .map(|(_, s)| s.clone()),
            ),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(snippets.len(), 4);
    for s in snippets {
        assert!(s.contains("GEMINI_API_KEY"), "{s}");
        assert!(
            !s.contains("sand…"),
            "snippets carry no key, not even masked: {s}"
        );
    }
}

#[test]
fn picker_filters_fuzzily_and_sets_the_model() {
    let mut a = app(120, 40);
    a.on_event(key(KeyCode::F(2)));
    type_text(&mut a, "20fl");
    a.on_event(key(KeyCode::Enter));
    assert_eq!(a.params.model, "gemini-2.0-flash");
    assert!(a.overlay.is_none());
}

#[test]
fn fault_menu_emits_the_chosen_fault() {
    let mut a = app(120, 40);
    a.on_event(key(KeyCode::F(7)));
    a.on_event(key(KeyCode::Down));
    let fx = a.on_event(key(KeyCode::Enter));
    assert!(matches!(
        fx.as_slice(),
        [Effect::ArmFault(
            crate::tui::panes::faults::FaultChoice::Next500
        )]
    ));
}

#[test]
fn findings_offer_the_expected_actions() {
    use crate::tui::diagnosis::{InspectorAction as A, findings_for};
    let m = model("gemini-2.5-flash", 65_536, true);
    let f = findings_for(&timed_out(1), Some(&m), &[], &[]);
    assert_eq!(
        f[0].actions,
        vec![A::RaiseTimeout(Duration::from_secs(30)), A::Retry]
    );
    let mut overloaded = api_error(
        1,
        ApiErrorBody::new(503, "UNAVAILABLE", "The model is overloaded."),
    );
    overloaded.model = Some("gemini-2.5-pro".into());
    let f = findings_for(
        &overloaded,
        None,
        &[],
        &["gemini-2.5-pro".into(), "gemini-2.0-flash".into()],
    );
    assert_eq!(
        f[0].actions,
        vec![
            A::RetryAfter(Duration::from_secs(10)),
            A::SwitchModel("gemini-2.0-flash".into())
        ]
    );
    let f = findings_for(&out_of_range(1), Some(&m), &[], &[]);
    assert!(f[0].actions.contains(&A::ClampParameter {
        field: "temperature".into(),
        value: 2.0
    }));
    let mut max = success(1);
    max.request.body = Some(json!({"contents": [], "generationConfig": {"maxOutputTokens": 100}}));
    max.outcome = Outcome::StoppedEarly {
        reason: crate::gemini::wire::FinishReason::MaxTokens,
        empty: false,
    };
    let f = findings_for(&max, Some(&m), &[], &[]);
    assert_eq!(f[0].id, "output.max_tokens");
    assert_eq!(
        f[0].actions,
        vec![A::ClampParameter {
            field: "maxOutputTokens".into(),
            value: 200.0
        }]
    );
}

// ---- snapshots ----

#[test]
fn snapshot_empty_narrow() {
    let mut a = app(80, 24);
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_empty_wide() {
    let mut a = app(200, 60);
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_streaming() {
    let mut a = app(120, 36);
    type_text(&mut a, "Why is the sky blue?");
    finish(&mut a, 1, success(1));
    let mut live = base_exchange(2);
    a.update(Msg::Progress {
        req: 2,
        progress: Progress::Started(Box::new(live.clone())),
    });
    a.update(Msg::Progress {
        req: 2,
        progress: Progress::Headers(response(200, "OK"), 150.0),
    });
    a.update(Msg::Progress {
        req: 2,
        progress: Progress::FirstByte(380.0),
    });
    let c = chunk(
        "The sky looks blue because air molecules scatter short (blue) wavelengths",
        14,
        None,
    );
    let ev = StreamEvent {
        at_ms: 380.0,
        data: serde_json::to_string(&c).unwrap(),
        raw: false,
    };
    a.update(Msg::Progress {
        req: 2,
        progress: Progress::Event(ev, Some(Box::new(c))),
    });
    live.id.clear();
    a.session.now_ms = 300;
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_success_wide() {
    let mut a = app(200, 60);
    type_text(&mut a, "Why is the sky blue?");
    for i in 0..5 {
        finish(&mut a, i + 1, success(i as u32 + 1));
    }
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_rate_limited_with_countdown() {
    let mut a = app(120, 36);
    finish(&mut a, 1, success(1));
    finish(&mut a, 2, rate_limited(2));
    a.focus = Focus::Inspector;
    a.on_event(key(KeyCode::Char('1')));
    a.tick(12_400);
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_out_of_range_400() {
    let mut a = app(120, 36);
    finish(&mut a, 1, out_of_range(1));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_out_of_range_400_narrow_keeps_the_fix_in_view() {
    let mut a = app(80, 24);
    finish(&mut a, 1, out_of_range(1));
    let s = screen(&mut a);
    assert!(s.contains("[1] set temperature = 2"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn snapshot_blocked_prompt() {
    let mut a = app(120, 36);
    finish(&mut a, 1, blocked(1));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_transport_timeout() {
    let mut a = app(120, 36);
    finish(&mut a, 1, timed_out(1));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_stream_interrupted() {
    let mut a = app(120, 36);
    finish(&mut a, 1, interrupted(1));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_preflight_warning() {
    let mut a = app(120, 36);
    type_text(&mut a, "Write a haiku");
    select_param(&mut a, Num::Temperature);
    a.params.set_num(Num::Temperature, Some(3.5));
    a.params.set_num(Num::TopK, Some(100.0));
    a.on_event(key(KeyCode::Up));
    a.on_event(key(KeyCode::Down));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_response_tabs() {
    let mut a = app(120, 36);
    finish(&mut a, 1, rate_limited(1));
    a.focus = Focus::Response;
    let mut out = String::new();
    for _ in 0..3 {
        a.on_event(key(KeyCode::Right));
        let t = render(&mut a);
        let area = a.areas().response;
        let buf = t.backend().buffer();
        for y in area.y..area.y + area.height {
            let line: String = (area.x..area.x + area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn snapshot_help() {
    let mut a = app(80, 24);
    a.on_event(key(KeyCode::F(1)));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_model_picker() {
    let mut a = app(120, 36);
    a.on_event(key(KeyCode::F(2)));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_fault_menu() {
    let mut a = app(80, 24);
    a.on_event(key(KeyCode::F(7)));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn snapshot_history_and_log_narrow() {
    let mut a = app(80, 24);
    a.update(Msg::HistoryLoaded {
        result: Ok(history_entries(100_000)),
        skipped: 3,
    });
    a.focus = Focus::Log;
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn out_of_range_values_are_red() {
    let mut a = app(120, 36);
    a.params.set_num(Num::Temperature, Some(3.5));
    a.focus = Focus::Params;
    let t = render(&mut a);
    let area = a.areas().params;
    let buf = t.backend().buffer();
    let row = (area.y..area.y + area.height)
        .find(|y| {
            (area.x..area.x + area.width)
                .map(|x| buf[(x, *y)].symbol().to_string())
                .collect::<String>()
                .contains("temperature")
        })
        .unwrap();
    let reds = (area.x..area.x + area.width)
        .filter(|x| buf[(*x, row)].fg == ratatui::style::Color::Red)
        .count();
    assert!(reds > 10, "{reds}");
}

// ---- the whole loop ----

/// Answers effects like a backend would, through the same message queue.
struct FakeRunner {
    tx: tokio::sync::mpsc::UnboundedSender<Msg>,
    seen: Vec<String>,
}

impl EffectRunner for FakeRunner {
    fn run(&mut self, effect: Effect) {
        self.seen
            .push(format!("{effect:?}").chars().take(40).collect());
        if let Effect::Send { req, spec } = effect {
            let mut ex = base_exchange(req as u32);
            ex.request.body = serde_json::to_value(&spec.request).ok();
            self.tx
                .send(Msg::Progress {
                    req,
                    progress: Progress::Started(Box::new(ex.clone())),
                })
                .unwrap();
            let c = chunk("pong", 1, Some("STOP"));
            let ev = StreamEvent {
                at_ms: 5.0,
                data: serde_json::to_string(&c).unwrap(),
                raw: false,
            };
            self.tx
                .send(Msg::Progress {
                    req,
                    progress: Progress::Event(ev, Some(Box::new(c.clone()))),
                })
                .unwrap();
            ex.result = Some(c);
            ex.outcome = Outcome::Success;
            self.tx
                .send(Msg::Finished {
                    req,
                    exchange: Box::new(ex),
                })
                .unwrap();
        }
    }
}

#[tokio::test]
async fn the_loop_sends_streams_and_records_without_sleeping() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut a = app(100, 30);
    let mut runner = FakeRunner {
        tx,
        seen: Vec::new(),
    };
    let events: Vec<std::io::Result<Event>> = vec![
        Ok(key(KeyCode::Char('p'))),
        Ok(key(KeyCode::Char('i'))),
        Ok(key(KeyCode::F(5))),
        Ok(Event::Resize(90, 28)),
    ];
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let clock = || 0u64;
    crate::tui::event_loop::run_loop(
        &mut a,
        futures_util::stream::iter(events),
        &mut runner,
        &mut rx,
        &mut term,
        &Theme::colored(),
        &clock,
    )
    .await
    .unwrap();
    assert_eq!(a.log.len(), 1);
    assert_eq!(a.log.selected_row().unwrap().summary.outcome, "OK");
    assert!(runner.seen.iter().any(|s| s.starts_with("ListModels")));
    assert!(runner.seen.iter().any(|s| s.starts_with("LoadHistory")));
    assert!(runner.seen.iter().any(|s| s.starts_with("AppendHistory")));
    let screen = format!("{}", term.backend());
    assert!(screen.contains("pong"), "{screen}");
}

#[test]
fn nothing_sent_is_ever_drawn_with_a_key() {
    let mut a = app(120, 36);
    finish(&mut a, 1, success(1));
    a.focus = Focus::Response;
    a.on_event(key(KeyCode::Right));
    a.on_event(key(KeyCode::Right));
    let s = screen(&mut a);
    assert!(
        s.contains("x-goog-api-key: sand…-key"),
        "request headers show the recorded masked key: {s}"
    );
    let _ = Content::text("");
    let _ = Part::text("");
}

#[test]
fn no_color_draws_without_colours() {
    let mut a = app(120, 36);
    finish(&mut a, 1, rate_limited(1));
    a.params.set_num(Num::Temperature, Some(3.5));
    let mut t = Terminal::new(TestBackend::new(120, 36)).unwrap();
    t.draw(|f| crate::tui::view::draw(f, &mut a, &Theme { color: false }))
        .unwrap();
    let buf = t.backend().buffer();
    let coloured = buf
        .content()
        .iter()
        .filter(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset)
        .count();
    assert_eq!(coloured, 0);
}

#[test]
fn mouse_click_focuses_and_wheel_scrolls_the_pane_under_the_pointer() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut a = app(120, 36);
    a.update(Msg::HistoryLoaded {
        result: Ok(history_entries(50)),
        skipped: 0,
    });
    let log = a.areas().log;
    let at = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: log.x + 3,
            row: log.y + 2,
            modifiers: KeyModifiers::NONE,
        })
    };
    a.on_event(at(MouseEventKind::Down(MouseButton::Left)));
    assert_eq!(a.focus, Focus::Log);
    let before = a.log.selected;
    a.on_event(at(MouseEventKind::ScrollUp));
    assert_eq!(a.log.selected, before.map(|s| s - 3));
}

#[test]
fn resize_rewraps_the_response() {
    let mut a = app(120, 36);
    finish(&mut a, 1, success(1));
    let wide = a.response.current().len();
    a.on_event(Event::Resize(80, 24));
    a.on_event(key(KeyCode::Null));
    let narrow = a.response.current().len();
    assert!(narrow > wide, "{narrow} > {wide}");
}

/// The production runner, watched: when the finished exchange is handed to history,
/// the test presses Ctrl-C. Event-driven, no sleeps.
struct QuitAfterAppend {
    inner: crate::tui::effects::TaskRunner,
    keys: tokio::sync::mpsc::UnboundedSender<std::io::Result<Event>>,
}

impl EffectRunner for QuitAfterAppend {
    fn run(&mut self, effect: Effect) {
        let done = matches!(effect, Effect::AppendHistory(_));
        self.inner.run(effect);
        if done {
            let _ = self.keys.send(Ok(ctrl('c')));
        }
    }
}

#[tokio::test]
async fn the_loop_streams_from_a_loopback_server_through_the_real_client() {
    use crate::gemini::client::{ClientConfig, DEFAULT_MAX_BODY_BYTES, GeminiClient};
    use crate::gemini::key::ApiKey;
    use futures_util::StreamExt;

    let sse = [
        chunk("Hello ", 1, None),
        chunk("from loopback.", 3, Some("STOP")),
    ]
    .iter()
    .map(|c| format!("data: {}\r\n\r\n", serde_json::to_string(c).unwrap()))
    .collect::<String>();
    let router = axum::Router::new().fallback(move || {
        let body = sse.clone();
        async move { ([("content-type", "text/event-stream")], body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let client = GeminiClient::new(ClientConfig {
        base_url,
        api_key: ApiKey::new("loopback-secret-key"),
        backend: "custom".into(),
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let history = crate::store::history::History::new(dir.path().join("history.jsonl"), 1 << 20);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let (keys_tx, keys_rx) = tokio::sync::mpsc::unbounded_channel();
    let inner = crate::tui::effects::TaskRunner::new(
        Some(client),
        Some(history.clone()),
        dir.path().join("exports"),
        tx,
    );
    let mut runner = QuitAfterAppend {
        inner,
        keys: keys_tx,
    };
    let typed: Vec<std::io::Result<Event>> = "hi"
        .chars()
        .map(|c| Ok(key(KeyCode::Char(c))))
        .chain([Ok(key(KeyCode::F(5)))])
        .collect();
    let later =
        futures_util::stream::unfold(
            keys_rx,
            |mut rx| async move { rx.recv().await.map(|e| (e, rx)) },
        );
    let input = futures_util::stream::iter(typed).chain(later).boxed();
    let mut a = app(100, 30);
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let clock = || 0u64;
    crate::tui::event_loop::run_loop(
        &mut a,
        input,
        &mut runner,
        &mut rx,
        &mut term,
        &Theme::colored(),
        &clock,
    )
    .await
    .unwrap();
    let ex = a.selected_exchange().expect("the exchange is selected");
    assert_eq!(ex.outcome, Outcome::Success);
    assert_eq!(ex.text(), "Hello from loopback.");
    assert!(format!("{}", term.backend()).contains("Hello from loopback."));
    // What `run` does on the way out: wait for the background writes.
    runner.inner.finish(Duration::from_secs(10)).await;
    assert_eq!(history.load().unwrap().entries.len(), 1);
    let raw = std::fs::read_to_string(dir.path().join("history.jsonl")).unwrap();
    assert!(
        !raw.contains("loopback-secret-key"),
        "the key never reaches history"
    );
}

#[test]
fn switching_version_relists_models_and_f6_counts_tokens() {
    let mut a = app(120, 36);
    a.focus = Focus::Params;
    a.params.selected = 1;
    let fx = a.on_event(key(KeyCode::Right));
    assert!(
        matches!(fx.as_slice(), [Effect::ListModels(ApiVersion::V1)]),
        "{fx:?}"
    );
    type_text(&mut a, "");
    let fx = a.on_event(key(KeyCode::F(6)));
    assert!(matches!(fx.as_slice(), [Effect::CountTokens(_)]));
    a.update(Msg::Counted {
        model: "gemini-2.5-flash".into(),
        result: Ok(12),
    });
    assert_eq!(
        a.status.message.as_ref().unwrap().0,
        "prompt: 12 tokens of 1048576 (gemini-2.5-flash)"
    );
}

#[test]
fn a_model_list_for_a_stale_version_is_dropped() {
    let mut a = app(120, 36);
    a.params.version = ApiVersion::V1;
    a.update(Msg::Models {
        version: ApiVersion::V1Beta,
        result: Ok(vec![model("stale-model", 1, false)]),
    });
    assert!(a.params.models.iter().all(|m| m.id() != "stale-model"));
    a.update(Msg::Models {
        version: ApiVersion::V1,
        result: Ok(vec![model("fresh-model", 1, false)]),
    });
    assert_eq!(a.params.models[0].id(), "fresh-model");
}
