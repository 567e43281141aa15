//! Loopback tests of the sandbox's successful surface: listing, generation, streaming
//! framing, determinism, versions, field-name styles and path prefixes.

mod sandbox_support;

use gemini_doctor::gemini::ApiVersion;
use gemini_doctor::gemini::sse::{self, SseItem};
use gemini_doctor::gemini::wire::{GenerateContentResponse, ListModelsResponse, Model};
use gemini_doctor::sandbox::{Fault, catalogue};
use sandbox_support::*;
use serde_json::{Value, json};

#[tokio::test]
async fn models_list_paginates_and_omits_the_last_token() {
    let s = start_unlimited().await;
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &token {
            Some(t) => format!("/v1beta/models?pageSize=2&pageToken={t}"),
            None => "/v1beta/models?pageSize=2".into(),
        };
        let r = s.get(&q).await;
        assert_eq!(r.status, 200);
        let raw = r.json();
        let page: ListModelsResponse = serde_json::from_value(raw.clone()).unwrap();
        assert!(page.models.len() <= 2);
        names.extend(page.models.into_iter().map(|m| m.name));
        pages += 1;
        match page.next_page_token {
            Some(t) => token = Some(t),
            None => {
                assert!(
                    raw.get("nextPageToken").is_none(),
                    "key omitted on the last page"
                );
                break;
            }
        }
    }
    let expected: Vec<String> = catalogue()
        .listed(ApiVersion::V1Beta)
        .iter()
        .map(|m| m.wire.name.clone())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(pages, expected.len().div_ceil(2));
    // Default page size holds the whole catalogue; v1 does not list the preview model.
    let all: ListModelsResponse =
        serde_json::from_value(s.get("/v1beta/models").await.json()).unwrap();
    assert_eq!(all.models.len(), expected.len());
    assert!(all.next_page_token.is_none());
    let v1: ListModelsResponse =
        serde_json::from_value(s.get("/v1/models?pageSize=5000").await.json()).unwrap();
    assert!(
        v1.models
            .iter()
            .all(|m| m.name != "models/gemini-3-pro-preview")
    );
    assert!(!v1.models.is_empty());
    assert!(
        v1.models
            .iter()
            .all(|m| !m.name.starts_with("tunedModels/"))
    );
    assert_eq!(s.get("/v1beta/models?pageToken=garbage").await.status, 400);
}

#[tokio::test]
async fn get_model_returns_the_catalogue_resource() {
    let s = start_unlimited().await;
    let r = s.get("/v1beta/models/gemini-2.5-pro").await;
    assert_eq!(r.status, 200);
    let m: Model = serde_json::from_value(r.json()).unwrap();
    assert_eq!(&m, &catalogue().lookup("gemini-2.5-pro").unwrap().wire);
    assert_eq!(m.max_temperature, Some(2.0));
    let r = s.get("/v1beta/models/gemini-9-ultra").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error().status, "NOT_FOUND");
}

#[tokio::test]
async fn generate_success_is_exactly_200_pretty_json_and_labelled() {
    let s = start_unlimited().await;
    let r = s
        .generate("gemini-2.0-flash", &prompt("Explain rate limits"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/json; charset=UTF-8");
    assert!(r.body.starts_with("{\n  \"candidates\": ["), "{}", r.body);
    assert!(r.body.ends_with("}\n"));
    let (parts_at, role_at) = (
        r.body.find("\"parts\"").unwrap(),
        r.body.find("\"role\"").unwrap(),
    );
    assert!(
        parts_at < role_at,
        "content lists parts before role, as the service does"
    );
    let resp: GenerateContentResponse = serde_json::from_value(r.json()).unwrap();
    assert!(resp.text().starts_with("[sandbox] "));
    assert!(resp.text().contains("Explain rate limits"));
    assert_eq!(resp.finish_reason().map(|f| f.as_str()), Some("STOP"));
    assert_eq!(resp.model_version.as_deref(), Some("gemini-2.0-flash"));
    let u = resp.usage_metadata.unwrap();
    assert_eq!(u.thoughts_token_count, None, "2.0 Flash does not think");
    assert_eq!(
        u.total_token_count.unwrap(),
        u.prompt_token_count.unwrap() + u.candidates_token_count.unwrap()
    );
    // countTokens uses the same approximation as usageMetadata.
    let c = s
        .post(
            "/v1beta/models/gemini-2.0-flash:countTokens",
            &prompt("Explain rate limits"),
        )
        .await;
    assert_eq!(c.status, 200);
    assert_eq!(
        c.json()["totalTokens"],
        json!(u.prompt_token_count.unwrap())
    );
    assert_eq!(c.json()["totalTokens"], json!(5), "ceil(19 chars / 4)");
}

#[tokio::test]
async fn count_tokens_accepts_a_whole_generate_request() {
    let s = start_unlimited().await;
    let body = json!({"generateContentRequest": {"model": "models/gemini-2.5-flash",
        "contents": [{"parts": [{"text": "abcdefgh"}]}],
        "systemInstruction": {"parts": [{"text": "abcd"}]}}});
    let r = s
        .post("/v1beta/models/gemini-2.5-flash:countTokens", &body)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["totalTokens"], json!(3));
    let r = s
        .post("/v1beta/models/gemini-2.5-flash:countTokens", &json!({}))
        .await;
    assert_eq!(r.status, 400);
}

fn text_of(r: &Resp) -> String {
    let resp: GenerateContentResponse = serde_json::from_value(r.json()).unwrap();
    resp.text()
}

#[tokio::test]
async fn seed_and_temperature_drive_the_reply() {
    let s = start_unlimited().await;
    let ask =
        |t: f64, seed: i64| with_config("Same prompt", json!({"temperature": t, "seed": seed}));
    let a = text_of(&s.generate("gemini-2.5-flash", &ask(0.9, 42)).await);
    let b = text_of(&s.generate("gemini-2.5-flash", &ask(0.9, 42)).await);
    let c = text_of(&s.generate("gemini-2.5-flash", &ask(0.9, 43)).await);
    assert_eq!(a, b, "same seed, same temperature: identical");
    assert_ne!(a, c, "another seed changes the sampled words");
    let z1 = text_of(&s.generate("gemini-2.5-flash", &ask(0.0, 1)).await);
    let z2 = text_of(&s.generate("gemini-2.5-flash", &ask(0.0, 999)).await);
    assert_eq!(z1, z2, "temperature 0 is greedy: the seed does not matter");
    // Without a seed, sampled replies vary from call to call.
    let n1 = text_of(
        &s.generate(
            "gemini-2.5-flash",
            &with_config("Same prompt", json!({"temperature": 1.5})),
        )
        .await,
    );
    let n2 = text_of(
        &s.generate(
            "gemini-2.5-flash",
            &with_config("Same prompt", json!({"temperature": 1.5})),
        )
        .await,
    );
    assert_ne!(n1, n2);
}

#[tokio::test]
async fn sse_framing_is_exact_and_matches_the_full_reply() {
    let s = start_unlimited().await;
    let body = with_config("Stream this please", json!({"seed": 5, "temperature": 0.7}));
    let r = s
        .post(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            &body,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "text/event-stream");
    assert!(!r.body.contains("[DONE]"));
    assert!(
        r.body
            .starts_with("data: {\"candidates\": [{\"content\": {\"parts\": [{"),
        "service spacing: {}",
        &r.body[..60]
    );
    let events = sse_events(&r.body);
    assert!(events.len() >= 3, "a reply is split into several events");
    let mut last_total = 0;
    let mut text = String::new();
    for (i, e) in events.iter().enumerate() {
        let fr = &e["candidates"][0]["finishReason"];
        assert_eq!(
            fr.is_null(),
            i + 1 < events.len(),
            "finishReason only on the last event"
        );
        let total = e["usageMetadata"]["totalTokenCount"].as_u64().unwrap();
        assert!(total >= last_total, "cumulative usage");
        last_total = total;
        assert!(e["responseId"].is_string() && e["modelVersion"] == "gemini-2.5-flash");
        for p in e["candidates"][0]["content"]["parts"].as_array().unwrap() {
            if p["thought"] != json!(true) {
                text.push_str(p["text"].as_str().unwrap());
            }
        }
    }
    let full = s.generate("gemini-2.5-flash", &body).await.json();
    assert_eq!(
        text,
        full["candidates"][0]["content"]["parts"][0]["text"]
            .as_str()
            .unwrap()
    );
    assert_eq!(
        events.last().unwrap()["usageMetadata"],
        full["usageMetadata"]
    );
}

#[tokio::test]
async fn stream_without_alt_sse_is_a_json_array() {
    let s = start_unlimited().await;
    let r = s
        .post(
            "/v1beta/models/gemini-2.0-flash:streamGenerateContent",
            &prompt("array please"),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("application/json"));
    assert!(r.body.starts_with("[{") && r.body.ends_with("}]"));
    assert!(r.body.contains("},\r\n{"));
    let arr: Vec<Value> = serde_json::from_str(&r.body).unwrap();
    assert!(arr.len() >= 2);
    assert_eq!(arr.last().unwrap()["candidates"][0]["finishReason"], "STOP");
}

#[tokio::test]
async fn blocked_prompt_streams_as_one_prompt_feedback_event() {
    let s = start_unlimited().await;
    let r = s
        .post(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            &prompt("please sandbox:block-prohibited now"),
        )
        .await;
    let events = sse_events(&r.body);
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0]["promptFeedback"]["blockReason"],
        "PROHIBITED_CONTENT"
    );
    assert!(events[0].get("candidates").is_none());
    let u = &events[0]["usageMetadata"];
    assert_eq!(u["promptTokenCount"], u["totalTokenCount"]);
}

#[tokio::test]
async fn in_stream_error_is_a_bare_pretty_object_in_its_own_write() {
    let s = start_unlimited().await;
    s.control().arm(Fault::StreamError {
        code: 503,
        after_chunks: 2,
    });
    let (status, ct, chunks) = s
        .stream_chunks(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            &prompt("long enough prompt to stream"),
        )
        .await;
    assert_eq!((status, ct.as_str()), (200, "text/event-stream"));
    let last = chunks.last().unwrap();
    assert!(
        last.starts_with("{\n  \"error\": {\n    \"code\": 503,"),
        "own write: {last:?}"
    );
    let body = chunks.concat();
    let (events, err) = body.rsplit_once("\r\n\r\n").unwrap();
    assert_eq!(sse_events(&format!("{events}\r\n\r\n")).len(), 2);
    let v: Value = serde_json::from_str(err).unwrap();
    assert_eq!(v["error"]["code"], json!(503));
    assert_eq!(v["error"]["status"], "UNAVAILABLE");
    // The project's own client decoder sees two events, then the raw error object.
    let items = sse::decode_all(body.as_bytes());
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(matches!(&items[2], SseItem::Raw(r) if r.trim() == err.trim()));
}

#[tokio::test]
async fn path_prefix_query_key_and_snake_case_work() {
    let s = start_unlimited().await;
    let body = json!({"contents": [{"role": "user", "parts": [{"text": "snake"}]}],
                      "generation_config": {"max_output_tokens": 400, "stop_sequences": ["zzz"],
                                            "thinking_config": {"thinking_budget": 0}},
                      "safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
                      "system_instruction": {"parts": [{"text": "be brief"}]}});
    let r = s
        .send(
            s.client
                .post(format!(
                    "{}/proxy/gemini/v1beta/models/gemini-2.5-flash:generateContent?key={KEY}",
                    s.base
                ))
                .body(body.to_string()),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["usageMetadata"]
            .get("thoughtsTokenCount")
            .is_none(),
        "budget 0 turns thinking off"
    );
    let logs = s.logs.lock().unwrap();
    let line = logs.last().unwrap();
    assert_eq!(line.status, 200);
    assert!(!line.path.contains(KEY), "the key never reaches the log");
    assert!(line.path.starts_with("/proxy/gemini/v1beta/"));
}

#[tokio::test]
async fn v1_rejects_v1beta_only_fields_and_v1beta_accepts_them() {
    let s = start_unlimited().await;
    let body = json!({"contents": [{"parts": [{"text": "x"}]}],
                      "systemInstruction": {"parts": [{"text": "y"}]},
                      "generationConfig": {"responseMimeType": "application/json", "temperature": 0.5}});
    let r = s
        .post("/v1/models/gemini-2.5-flash:generateContent", &body)
        .await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert_eq!(e.status, "INVALID_ARGUMENT");
    assert_eq!(
        e.message,
        "Invalid JSON payload received. Unknown name \"systemInstruction\": Cannot find field.\nInvalid JSON payload received. Unknown name \"responseMimeType\" at 'generation_config': Cannot find field."
    );
    let fields: Vec<Option<String>> = e.field_violations().map(|f| f.field.clone()).collect();
    assert_eq!(fields, vec![None, Some("generation_config".into())]);
    let r = s
        .post("/v1beta/models/gemini-2.5-flash:generateContent", &body)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The 2026 v1 surface (config switch) accepts them too.
    s.control().update(|c| c.v1_has_beta_fields = true);
    let r = s
        .post("/v1/models/gemini-2.5-flash:generateContent", &body)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // An unknown name is rejected on v1beta too.
    let r = s
        .post(
            "/v1beta/models/gemini-2.5-flash:generateContent",
            &with_config("x", json!({"temprature": 1})),
        )
        .await;
    assert_eq!(
        r.error().message,
        "Invalid JSON payload received. Unknown name \"temprature\" at 'generation_config': Cannot find field."
    );
}

#[tokio::test]
async fn include_thoughts_and_candidate_count() {
    let s = start_unlimited().await;
    let body = with_config(
        "think",
        json!({"candidateCount": 3, "temperature": 1.0, "seed": 3,
                                            "thinkingConfig": {"includeThoughts": true, "thinkingBudget": 1024}}),
    );
    let v = s.generate("gemini-2.5-flash", &body).await.json();
    let cands = v["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 3);
    assert_eq!(cands[2]["index"], 2);
    assert_eq!(cands[0]["content"]["parts"][0]["thought"], true);
    assert_ne!(
        cands[0]["content"]["parts"][1]["text"],
        cands[1]["content"]["parts"][1]["text"]
    );
    assert!(v["usageMetadata"]["thoughtsTokenCount"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn json_mode_returns_json_that_fits_the_schema() {
    let s = start_unlimited().await;
    let body = with_config(
        "list two fruits",
        json!({"responseMimeType": "application/json",
               "responseSchema": {"type": "ARRAY", "items": {"type": "OBJECT",
                   "properties": {"name": {"type": "STRING"}, "calories": {"type": "INTEGER"}}}}}),
    );
    let text = text_of(&s.generate("gemini-2.5-flash", &body).await);
    let v: Value = serde_json::from_str(&text).expect("the reply is JSON");
    assert!(v[0]["name"].is_string() && v[0]["calories"].is_i64(), "{v}");
}
