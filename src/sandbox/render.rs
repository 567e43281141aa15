//! Renders a [`Plan`] as the service does: one pretty body, or stream events with text
//! deltas, cumulative usage and the finish reason on the last event.

use super::generate::{CandPlan, Plan, Shape, ratings};
use super::tokens::text_tokens;
use crate::gemini::wire::{
    BlockReason, Candidate, Content, GenerateContentResponse, Part, PromptFeedback, UsageMetadata,
};
use serde_json::{Map, json};

fn usage(prompt: u64, cand: u64, thoughts: u64) -> UsageMetadata {
    let mut extra = Map::new();
    extra.insert(
        "promptTokensDetails".into(),
        json!([{"modality": "TEXT", "tokenCount": prompt}]),
    );
    UsageMetadata {
        prompt_token_count: Some(prompt),
        candidates_token_count: (cand > 0).then_some(cand),
        thoughts_token_count: (thoughts > 0).then_some(thoughts),
        total_token_count: Some(prompt + cand + thoughts),
        extra,
        ..Default::default()
    }
}

fn base(plan: &Plan) -> GenerateContentResponse {
    GenerateContentResponse {
        model_version: Some(plan.model_version.clone()),
        response_id: Some(plan.response_id.clone()),
        ..Default::default()
    }
}

fn blocked_response(plan: &Plan, reason: &BlockReason) -> GenerateContentResponse {
    let safety = if *reason == BlockReason::Safety {
        ratings(Some("HARM_CATEGORY_HARASSMENT"))
    } else {
        Vec::new()
    };
    GenerateContentResponse {
        prompt_feedback: Some(PromptFeedback {
            block_reason: Some(reason.clone()),
            safety_ratings: safety,
        }),
        usage_metadata: Some(usage(plan.prompt_tokens, 0, 0)),
        ..base(plan)
    }
}

/// Puts the thought signature on the first non-thought part (Gemini 3 replies).
fn signed(mut parts: Vec<Part>, signature: Option<&str>) -> Vec<Part> {
    if let Some(sig) = signature
        && let Some(p) = parts.iter_mut().find(|p| p.thought != Some(true))
    {
        p.thought_signature = Some(sig.to_string());
    }
    parts
}

fn parts(thought: Option<&str>, text: Option<&str>) -> Vec<Part> {
    let mut v = Vec::new();
    if let Some(t) = thought {
        v.push(Part {
            text: Some(t.to_string()),
            thought: Some(true),
            ..Default::default()
        });
    }
    if let Some(t) = text {
        v.push(Part::text(t));
    }
    v
}

fn model_content(parts: Vec<Part>) -> Content {
    Content {
        role: Some("model".into()),
        parts,
        extra: Map::new(),
    }
}

fn final_candidate(c: &CandPlan, content: Option<Content>) -> Candidate {
    Candidate {
        content,
        finish_reason: Some(c.finish.clone()),
        finish_message: c.finish_message.clone(),
        safety_ratings: c.safety_ratings.clone(),
        index: c.index,
        ..Default::default()
    }
}

/// The non-stream body.
pub fn render_full(plan: &Plan) -> GenerateContentResponse {
    if let Some(r) = &plan.blocked {
        return blocked_response(plan, r);
    }
    let mut cand_tokens = 0;
    let mut thoughts = 0;
    let cands = plan
        .candidates
        .iter()
        .map(|c| {
            cand_tokens += c.text_tokens();
            thoughts += c.thought_tokens;
            let content = match c.shape {
                Shape::Parts => Some(model_content(signed(
                    parts(c.thought.as_deref(), Some(c.text.as_str())),
                    c.signature.as_deref(),
                ))),
                Shape::RoleOnly => Some(model_content(Vec::new())),
                Shape::StreamedThenCut | Shape::Bare => None,
            };
            final_candidate(c, content)
        })
        .collect();
    GenerateContentResponse {
        candidates: Some(cands),
        usage_metadata: Some(usage(plan.prompt_tokens, cand_tokens, thoughts)),
        ..base(plan)
    }
}

/// Splits `text` into `k` pieces at spaces (pieces keep their leading space).
fn split_pieces(text: &str, k: usize) -> Vec<String> {
    let starts: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
    let k = k.clamp(1, starts.len() + 1);
    let mut cuts: Vec<usize> = (1..k).map(|j| starts[j * starts.len() / k]).collect();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = 0;
    for c in cuts {
        out.push(text[from..c].to_string());
        from = c;
    }
    out.push(text[from..].to_string());
    out
}

/// The stream events: text deltas, cumulative usage on each, finish reason on the last.
pub fn render_stream(plan: &Plan, chunks: usize) -> Vec<GenerateContentResponse> {
    if let Some(r) = &plan.blocked {
        return vec![blocked_response(plan, r)];
    }
    let streamed = |c: &CandPlan| matches!(c.shape, Shape::Parts | Shape::StreamedThenCut);
    let k = plan
        .candidates
        .iter()
        .filter(|c| streamed(c))
        .map(|c| split_pieces(&c.text, chunks).len())
        .min()
        .unwrap_or(0);
    let pieces: Vec<Vec<String>> = plan
        .candidates
        .iter()
        .map(|c| {
            if streamed(c) {
                split_pieces(&c.text, k)
            } else {
                Vec::new()
            }
        })
        .collect();
    let thoughts: u64 = plan.candidates.iter().map(|c| c.thought_tokens).sum();
    let mut events = Vec::new();
    let mut emitted: Vec<String> = vec![String::new(); plan.candidates.len()];
    // An extra final event carries the finish for cut candidates and content-less shapes.
    let needs_tail = plan.candidates.iter().any(|c| c.shape != Shape::Parts) || k == 0;
    let total_events = k + usize::from(needs_tail);
    for e in 0..total_events {
        let last = e + 1 == total_events;
        let mut cands = Vec::new();
        for (ci, c) in plan.candidates.iter().enumerate() {
            let piece = pieces[ci].get(e);
            let thought = (e == 0).then_some(c.thought.as_deref()).flatten();
            let content = match (piece, c.shape) {
                (Some(p), _) => {
                    emitted[ci].push_str(p);
                    let sig = (e == 0).then_some(c.signature.as_deref()).flatten();
                    Some(model_content(signed(parts(thought, Some(p)), sig)))
                }
                (None, Shape::RoleOnly) if last => Some(model_content(Vec::new())),
                _ => None,
            };
            if last {
                cands.push(final_candidate(c, content));
            } else if content.is_some() {
                cands.push(Candidate {
                    content,
                    index: c.index,
                    ..Default::default()
                });
            }
        }
        let cand_tokens: u64 = emitted.iter().map(|t| text_tokens(t)).sum();
        events.push(GenerateContentResponse {
            candidates: Some(cands),
            usage_metadata: Some(usage(plan.prompt_tokens, cand_tokens, thoughts)),
            ..base(plan)
        });
    }
    events
}

/// The response as JSON with the service's key order inside `content`
/// (`parts` before `role`, as in captured responses).
pub fn wire(resp: &GenerateContentResponse) -> serde_json::Value {
    let mut v = serde_json::to_value(resp).expect("serialises");
    if let Some(cands) = v.get_mut("candidates").and_then(|c| c.as_array_mut()) {
        for c in cands {
            if let Some(content) = c.get_mut("content").and_then(|c| c.as_object_mut())
                && let Some(role) = content.shift_remove("role")
            {
                content.insert("role".into(), role);
            }
        }
    }
    v
}

/// Serialises a stream event the way the service does: one line, `": "` after keys, `","` alone.
pub fn sse_json(v: &impl serde::Serialize) -> String {
    struct Spaced;
    impl serde_json::ser::Formatter for Spaced {
        fn begin_object_value<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
        ) -> std::io::Result<()> {
            w.write_all(b": ")
        }
    }
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Spaced);
    v.serialize(&mut ser).expect("serialises");
    String::from_utf8(buf).expect("utf-8")
}

/// Pretty JSON body with a trailing newline (non-stream success and error bodies).
pub fn pretty(v: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_json_spacing_matches_the_service() {
        let v = json!({"candidates": [{"index": 0, "finishReason": "STOP"}], "a": 1});
        assert_eq!(
            sse_json(&v),
            r#"{"candidates": [{"index": 0,"finishReason": "STOP"}],"a": 1}"#
        );
    }

    #[test]
    fn pieces_rejoin_to_the_text() {
        let t = "[sandbox] one two three four five six";
        let p = split_pieces(t, 4);
        assert_eq!(p.len(), 4);
        assert_eq!(p.concat(), t);
        assert_eq!(split_pieces("single", 4), vec!["single".to_string()]);
    }
}
