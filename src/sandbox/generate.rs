//! Plans a generateContent answer (candidates, finish reasons, usage) from the request,
//! the model and any content fault, then renders it as one body or as stream events.

use super::catalogue::ModelEntry;
use super::faults::Fault;
use super::prng::{SplitMix, hash};
use super::reply::{self, ReplySpec};
use super::tokens::text_tokens;
use crate::gemini::wire::{BlockReason, FinishReason, GenerateContentRequest, SafetyRating};

/// How a candidate's content is shaped on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `content.parts` with the text.
    Parts,
    /// `{"content":{"role":"model"}}` without parts (empty STOP, thinking ate the budget).
    RoleOnly,
    /// Text streams out, then the final event has no content (SAFETY/RECITATION cut);
    /// the non-stream body has no content at all.
    StreamedThenCut,
    /// No content key at all.
    Bare,
}

/// One candidate to send.
#[derive(Debug, Clone)]
pub struct CandPlan {
    /// Candidate index; `None` for the BLOCKLIST shape.
    pub index: Option<i64>,
    /// Visible text.
    pub text: String,
    /// Thought summary (only with `includeThoughts`).
    pub thought: Option<String>,
    /// Thinking tokens.
    pub thought_tokens: u64,
    /// Finish reason.
    pub finish: FinishReason,
    /// `finishMessage`, e.g. for MALFORMED_FUNCTION_CALL.
    pub finish_message: Option<String>,
    /// Safety ratings (SAFETY finishes).
    pub safety_ratings: Vec<SafetyRating>,
    /// Wire shape.
    pub shape: Shape,
    /// `thoughtSignature` of the first text part (Gemini 3).
    pub signature: Option<String>,
}

impl CandPlan {
    /// Tokens of the visible text the candidate carries.
    pub fn text_tokens(&self) -> u64 {
        if matches!(self.shape, Shape::Parts | Shape::StreamedThenCut) {
            text_tokens(&self.text)
        } else {
            0
        }
    }
}

/// A whole answer.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `modelVersion`.
    pub model_version: String,
    /// `responseId`.
    pub response_id: String,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// Set when the prompt is blocked (no candidates).
    pub blocked: Option<BlockReason>,
    /// The candidates otherwise.
    pub candidates: Vec<CandPlan>,
}

/// Inputs of [`plan`] besides the request.
pub struct PlanInput<'a> {
    /// The model.
    pub model: &'a ModelEntry,
    /// All user-visible prompt text.
    pub prompt_text: &'a str,
    /// Prompt tokens.
    pub prompt_tokens: u64,
    /// A content fault (block, finish reason...), if one fires.
    pub fault: Option<Fault>,
    /// Seed to use when the request sends none.
    pub fallback_seed: u64,
}

pub(super) fn ratings(blocked_category: Option<&str>) -> Vec<SafetyRating> {
    crate::gemini::wire::HARM_CATEGORIES[..4]
        .iter()
        .map(|c| {
            let hit = blocked_category == Some(*c);
            SafetyRating {
                category: (*c).to_string(),
                probability: if hit { "HIGH" } else { "NEGLIGIBLE" }.into(),
                blocked: hit.then_some(true),
            }
        })
        .collect()
}

/// Decides what the answer will be.
pub fn plan(req: &GenerateContentRequest, input: PlanInput<'_>) -> Plan {
    let m = input.model;
    let gc = req.generation_config.clone().unwrap_or_default();
    let model_id = m.wire.id().to_string();
    let seed = gc.seed.map(|s| s as u64).unwrap_or(input.fallback_seed);
    let temperature = gc.temperature.or(m.wire.temperature).unwrap_or(1.0);
    let response_id = response_id(input.prompt_text, seed, input.fallback_seed);
    let mut out = Plan {
        model_version: model_id.clone(),
        response_id,
        prompt_tokens: input.prompt_tokens,
        blocked: None,
        candidates: Vec::new(),
    };
    if let Some(Fault::BlockPrompt { reason }) = &input.fault {
        out.blocked = Some(BlockReason::parse(reason));
        return out;
    }
    let max_out = gc
        .max_output_tokens
        .map(|n| n.max(1) as u64)
        .unwrap_or(m.wire.output_token_limit.unwrap_or(8192));
    let thought_tokens = thinking_tokens(&gc, m, input.prompt_text, input.prompt_tokens);
    let include_thoughts = gc
        .thinking_config
        .as_ref()
        .and_then(|t| t.include_thoughts)
        .unwrap_or(false);
    let n = gc.candidate_count.unwrap_or(1).max(1) as usize;
    for i in 0..n {
        let text = reply::reply_text(&ReplySpec {
            prompt: input.prompt_text,
            model: &model_id,
            temperature,
            seed,
            candidate: i,
        });
        let full = super::structured::reply(
            gc.response_mime_type.as_deref(),
            gc.response_schema.as_ref(),
            gc.response_json_schema
                .as_ref()
                .or_else(|| gc.extra.get("_responseJsonSchema")),
            &reply::excerpt(input.prompt_text, 40),
        )
        .unwrap_or(text);
        let mut c = CandPlan {
            index: Some(i as i64),
            text: full,
            thought: None,
            thought_tokens,
            finish: FinishReason::Stop,
            finish_message: None,
            safety_ratings: Vec::new(),
            shape: Shape::Parts,
            signature: m
                .sandbox
                .thought_signatures
                .then(|| signature(&out.response_id, i)),
        };
        if thought_tokens >= max_out {
            c.thought_tokens = max_out;
            c.text.clear();
            c.finish = FinishReason::MaxTokens;
            c.shape = Shape::RoleOnly;
        } else {
            apply_stops(&mut c, gc.stop_sequences.as_deref().unwrap_or(&[]));
            truncate_to(&mut c, max_out - thought_tokens);
        }
        if include_thoughts && c.thought_tokens > 0 {
            c.thought = Some(reply::thought_text(input.prompt_tokens, c.thought_tokens));
        }
        if let Some(f) = &input.fault {
            apply_fault(&mut c, f, max_out);
        }
        out.candidates.push(c);
    }
    out
}

fn response_id(prompt: &str, seed: u64, salt: u64) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut r = SplitMix::new(hash(&[
        prompt.as_bytes(),
        &seed.to_le_bytes(),
        &salt.to_le_bytes(),
    ]));
    (0..23).map(|_| ALPHA[r.below(64)] as char).collect()
}

/// An opaque base64 signature (the real ones are encrypted model state).
fn signature(response_id: &str, candidate: usize) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut r = SplitMix::new(hash(&[response_id.as_bytes(), &candidate.to_le_bytes()]));
    (0..48).map(|_| B64[r.below(64)] as char).collect()
}

/// Thinking tokens the model spends: a deterministic "dynamic" amount, capped by the budget.
fn thinking_tokens(
    gc: &crate::gemini::wire::GenerationConfig,
    m: &ModelEntry,
    prompt: &str,
    prompt_tokens: u64,
) -> u64 {
    let Some(range) = &m.sandbox.thinking else {
        return 0;
    };
    let tc = gc.thinking_config.as_ref();
    let budget = tc.and_then(|t| t.thinking_budget);
    let level = tc.and_then(|t| t.thinking_level.as_deref());
    let on = match budget {
        Some(0) => false,
        Some(_) => true,
        None => range.on_by_default || level.is_some(),
    };
    if !on {
        return 0;
    }
    let dynamic = (48 + hash(&[prompt.as_bytes()]) % 64 + prompt_tokens / 4).min(8192);
    match budget {
        Some(b) if b > 0 => dynamic.min(b as u64),
        _ => dynamic,
    }
}

fn apply_stops(c: &mut CandPlan, stops: &[String]) {
    let cut = stops
        .iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| c.text.find(s.as_str()))
        .min();
    if let Some(at) = cut {
        c.text.truncate(at);
    }
}

/// Cuts the text to `budget` tokens (4 chars each) and marks MAX_TOKENS when cut.
fn truncate_to(c: &mut CandPlan, budget: u64) {
    if text_tokens(&c.text) > budget {
        c.text = c.text.chars().take((budget * 4) as usize).collect();
        c.finish = FinishReason::MaxTokens;
    }
}

fn apply_fault(c: &mut CandPlan, f: &Fault, max_out: u64) {
    match f {
        Fault::EmptyStop => {
            c.text.clear();
            c.finish = FinishReason::Stop;
            c.shape = Shape::RoleOnly;
        }
        Fault::ThinkingEatsBudget => {
            c.text.clear();
            c.thought = None;
            c.thought_tokens = max_out;
            c.finish = FinishReason::MaxTokens;
            c.shape = Shape::RoleOnly;
        }
        Fault::FinishReason { reason } => {
            let fr = FinishReason::parse(reason);
            match fr {
                FinishReason::MaxTokens => {
                    let keep = text_tokens(&c.text) / 3;
                    truncate_to(c, keep.max(1));
                    c.finish = FinishReason::MaxTokens;
                }
                FinishReason::Safety => {
                    c.safety_ratings = ratings(Some("HARM_CATEGORY_DANGEROUS_CONTENT"));
                    cut_third(c);
                }
                FinishReason::Recitation => cut_third(c),
                FinishReason::Blocklist => {
                    c.text.clear();
                    c.index = None;
                    c.shape = Shape::Bare;
                }
                FinishReason::MalformedFunctionCall => {
                    c.text.clear();
                    c.shape = Shape::Bare;
                    c.finish_message = Some(
                        "Malformed function call: print(default_api.lookup(query=\"sandbox\""
                            .into(),
                    );
                }
                _ => {
                    c.text.clear();
                    c.shape = Shape::Bare;
                }
            }
            c.finish = fr;
        }
        _ => {}
    }
}

fn cut_third(c: &mut CandPlan) {
    let keep = c.text.chars().count() / 3;
    c.text = c.text.chars().take(keep).collect();
    c.shape = Shape::StreamedThenCut;
}
