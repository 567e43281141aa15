//! Typed request and response bodies of the Gemini REST API (`v1` and `v1beta`).
//!
//! Field names follow the proto3 JSON mapping: camelCase on output, camelCase or
//! snake_case accepted on input. Every struct that the service may extend keeps the
//! fields it does not know in `extra`, so nothing the server sent is dropped.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// The REST API version segment of a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ApiVersion {
    /// The stable surface.
    #[serde(rename = "v1")]
    V1,
    /// The early-access surface, default of the official SDKs.
    #[default]
    #[serde(rename = "v1beta")]
    V1Beta,
}

impl ApiVersion {
    /// The segment as it appears in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V1Beta => "v1beta",
        }
    }

    /// Parses `v1` / `v1beta` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "v1" => Some(ApiVersion::V1),
            "v1beta" => Some(ApiVersion::V1Beta),
            _ => None,
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Body of `generateContent` and `streamGenerateContent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateContentRequest {
    /// The conversation so far; the last turn is the prompt.
    #[serde(default)]
    pub contents: Vec<Content>,
    /// System instruction (v1beta only in the public protos).
    #[serde(
        default,
        alias = "system_instruction",
        skip_serializing_if = "Option::is_none"
    )]
    pub system_instruction: Option<Content>,
    /// Tool declarations, kept as JSON: the console passes them through untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
    /// Tool configuration (v1beta only).
    #[serde(
        default,
        alias = "tool_config",
        skip_serializing_if = "Option::is_none"
    )]
    pub tool_config: Option<Value>,
    /// Per-category safety thresholds.
    #[serde(
        default,
        alias = "safety_settings",
        skip_serializing_if = "Option::is_none"
    )]
    pub safety_settings: Option<Vec<SafetySetting>>,
    /// Sampling and output parameters.
    #[serde(
        default,
        alias = "generation_config",
        skip_serializing_if = "Option::is_none"
    )]
    pub generation_config: Option<GenerationConfig>,
    /// Name of a cached content resource (v1beta only).
    #[serde(
        default,
        alias = "cached_content",
        skip_serializing_if = "Option::is_none"
    )]
    pub cached_content: Option<String>,
    /// Fields this version of the types does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl GenerateContentRequest {
    /// A single-turn text request.
    pub fn from_prompt(prompt: &str) -> Self {
        GenerateContentRequest {
            contents: vec![Content::user_text(prompt)],
            ..Default::default()
        }
    }
}

/// One turn of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// `user` or `model`; optional in system instructions and single-turn requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The parts; the service omits the key entirely when a candidate has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Content {
    /// A user turn with one text part.
    pub fn user_text(text: &str) -> Self {
        Content {
            role: Some("user".into()),
            parts: vec![Part::text(text)],
            extra: Map::new(),
        }
    }

    /// A content without role holding one text part (system instructions).
    pub fn text(text: &str) -> Self {
        Content {
            role: None,
            parts: vec![Part::text(text)],
            extra: Map::new(),
        }
    }

    /// The concatenated visible text of the parts (thought parts skipped).
    pub fn visible_text(&self) -> String {
        self.parts
            .iter()
            .filter(|p| p.thought != Some(true))
            .filter_map(|p| p.text.as_deref())
            .collect()
    }
}

/// One piece of a turn: text, inline data, a file reference or a function call/response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    /// Text content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// True on parts that carry the model's thinking summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought: Option<bool>,
    /// Opaque signature that Gemini 3 requires back on function-call turns.
    #[serde(
        default,
        alias = "thought_signature",
        skip_serializing_if = "Option::is_none"
    )]
    pub thought_signature: Option<String>,
    /// Base64 inline data.
    #[serde(
        default,
        alias = "inline_data",
        skip_serializing_if = "Option::is_none"
    )]
    pub inline_data: Option<Blob>,
    /// Reference to an uploaded file (v1beta).
    #[serde(default, alias = "file_data", skip_serializing_if = "Option::is_none")]
    pub file_data: Option<FileData>,
    /// A function call proposed by the model (v1beta).
    #[serde(
        default,
        alias = "function_call",
        skip_serializing_if = "Option::is_none"
    )]
    pub function_call: Option<FunctionCall>,
    /// A function result sent back by the caller (v1beta), kept as JSON.
    #[serde(
        default,
        alias = "function_response",
        skip_serializing_if = "Option::is_none"
    )]
    pub function_response: Option<Value>,
    /// Unknown fields (executableCode, codeExecutionResult, videoMetadata, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Part {
    /// A text part.
    pub fn text(text: &str) -> Self {
        Part {
            text: Some(text.to_string()),
            ..Default::default()
        }
    }
}

/// Inline bytes with their MIME type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Blob {
    /// MIME type such as `image/png`.
    #[serde(default, alias = "mime_type")]
    pub mime_type: String,
    /// Base64-encoded bytes.
    #[serde(default)]
    pub data: String,
}

/// A reference to a file uploaded through the Files API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileData {
    /// MIME type of the file.
    #[serde(default, alias = "mime_type", skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// URI such as `https://generativelanguage.googleapis.com/v1beta/files/abc`.
    #[serde(default, alias = "file_uri")]
    pub file_uri: String,
}

/// A function call proposed by the model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionCall {
    /// Call id, when the service assigns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Function name.
    #[serde(default)]
    pub name: String,
    /// Arguments as a JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Value>,
}

/// `safetySettings[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SafetySetting {
    /// `HARM_CATEGORY_*`.
    pub category: String,
    /// `BLOCK_*`, `OFF` or `HARM_BLOCK_THRESHOLD_UNSPECIFIED`.
    pub threshold: String,
}

/// The harm categories the Developer API accepts in `safetySettings`.
pub const HARM_CATEGORIES: [&str; 5] = [
    "HARM_CATEGORY_HARASSMENT",
    "HARM_CATEGORY_HATE_SPEECH",
    "HARM_CATEGORY_SEXUALLY_EXPLICIT",
    "HARM_CATEGORY_DANGEROUS_CONTENT",
    "HARM_CATEGORY_CIVIC_INTEGRITY",
];

/// Block thresholds, from most to least permissive.
pub const BLOCK_THRESHOLDS: [&str; 6] = [
    "HARM_BLOCK_THRESHOLD_UNSPECIFIED",
    "OFF",
    "BLOCK_NONE",
    "BLOCK_ONLY_HIGH",
    "BLOCK_MEDIUM_AND_ABOVE",
    "BLOCK_LOW_AND_ABOVE",
];

/// `generationConfig`: every sampling and output parameter the API documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationConfig {
    /// Sampling temperature; model-specific ceiling (`Model.maxTemperature`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling mass, 0–1.
    #[serde(default, alias = "top_p", skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Top-k sampling; only for models that publish `topK`.
    #[serde(default, alias = "top_k", skip_serializing_if = "Option::is_none")]
    pub top_k: Option<i64>,
    /// Number of candidates, 1–8.
    #[serde(
        default,
        alias = "candidate_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub candidate_count: Option<i64>,
    /// Output token cap; thinking tokens count against it on thinking models.
    #[serde(
        default,
        alias = "max_output_tokens",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_output_tokens: Option<i64>,
    /// Up to five stop sequences.
    #[serde(
        default,
        alias = "stop_sequences",
        skip_serializing_if = "Option::is_none"
    )]
    pub stop_sequences: Option<Vec<String>>,
    /// Sampling seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Presence penalty.
    #[serde(
        default,
        alias = "presence_penalty",
        skip_serializing_if = "Option::is_none"
    )]
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    #[serde(
        default,
        alias = "frequency_penalty",
        skip_serializing_if = "Option::is_none"
    )]
    pub frequency_penalty: Option<f64>,
    /// `text/plain`, `application/json` or `text/x.enum` (v1beta).
    #[serde(
        default,
        alias = "response_mime_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub response_mime_type: Option<String>,
    /// OpenAPI-subset schema for structured output (v1beta).
    #[serde(
        default,
        alias = "response_schema",
        skip_serializing_if = "Option::is_none"
    )]
    pub response_schema: Option<Value>,
    /// JSON-Schema-subset schema for structured output (v1beta).
    #[serde(
        default,
        alias = "response_json_schema",
        skip_serializing_if = "Option::is_none"
    )]
    pub response_json_schema: Option<Value>,
    /// Thinking budget and related switches (v1beta).
    #[serde(
        default,
        alias = "thinking_config",
        skip_serializing_if = "Option::is_none"
    )]
    pub thinking_config: Option<ThinkingConfig>,
    /// Unknown fields (responseModalities, logprobs, speechConfig, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `generationConfig.thinkingConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThinkingConfig {
    /// Token budget for thinking; `-1` dynamic, `0` off where the model allows it.
    #[serde(
        default,
        alias = "thinking_budget",
        skip_serializing_if = "Option::is_none"
    )]
    pub thinking_budget: Option<i64>,
    /// Ask for thought summaries in the output.
    #[serde(
        default,
        alias = "include_thoughts",
        skip_serializing_if = "Option::is_none"
    )]
    pub include_thoughts: Option<bool>,
    /// Gemini 3 thinking level (`MINIMAL`, `LOW`, `MEDIUM`, `HIGH`).
    #[serde(
        default,
        alias = "thinking_level",
        skip_serializing_if = "Option::is_none"
    )]
    pub thinking_level: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Response of `generateContent`, and each event of `streamGenerateContent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateContentResponse {
    /// Absent when the prompt was blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<Candidate>>,
    /// Present when the prompt was blocked (first stream event only).
    #[serde(
        default,
        alias = "prompt_feedback",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt_feedback: Option<PromptFeedback>,
    /// Token accounting; cumulative across stream events.
    #[serde(
        default,
        alias = "usage_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub usage_metadata: Option<UsageMetadata>,
    /// The concrete model version that answered.
    #[serde(
        default,
        alias = "model_version",
        skip_serializing_if = "Option::is_none"
    )]
    pub model_version: Option<String>,
    /// Server-assigned response id.
    #[serde(
        default,
        alias = "response_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub response_id: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl GenerateContentResponse {
    /// Visible text of the first candidate (thought parts skipped), as the SDKs' `.text`.
    pub fn text(&self) -> String {
        self.first_candidate()
            .and_then(|c| c.content.as_ref())
            .map(Content::visible_text)
            .unwrap_or_default()
    }

    /// The first candidate, if any.
    pub fn first_candidate(&self) -> Option<&Candidate> {
        self.candidates.as_ref().and_then(|c| c.first())
    }

    /// Finish reason of the first candidate.
    pub fn finish_reason(&self) -> Option<&FinishReason> {
        self.first_candidate()
            .and_then(|c| c.finish_reason.as_ref())
    }

    /// The prompt's block reason, if it was blocked.
    pub fn block_reason(&self) -> Option<&BlockReason> {
        self.prompt_feedback
            .as_ref()
            .and_then(|f| f.block_reason.as_ref())
    }

    /// Folds one stream event into the accumulated response: parts are appended
    /// per candidate index, the latest usage, finish reason and metadata win.
    pub fn merge_chunk(&mut self, chunk: GenerateContentResponse) {
        if let Some(chunk_cands) = chunk.candidates {
            let cands = self.candidates.get_or_insert_with(Vec::new);
            for (pos, c) in chunk_cands.into_iter().enumerate() {
                let idx = c.index.map(|i| i.max(0) as usize).unwrap_or(pos);
                while cands.len() <= idx {
                    cands.push(Candidate {
                        index: Some(cands.len() as i64),
                        ..Default::default()
                    });
                }
                cands[idx].merge(c);
            }
        }
        if chunk.prompt_feedback.is_some() {
            self.prompt_feedback = chunk.prompt_feedback;
        }
        if chunk.usage_metadata.is_some() {
            self.usage_metadata = chunk.usage_metadata;
        }
        if chunk.model_version.is_some() {
            self.model_version = chunk.model_version;
        }
        if chunk.response_id.is_some() {
            self.response_id = chunk.response_id;
        }
        for (k, v) in chunk.extra {
            self.extra.insert(k, v);
        }
    }
}

/// One generated answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// The answer; may lack `parts` (thinking used the budget, empty STOP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    /// Why generation stopped; only on the last stream event of a candidate.
    #[serde(
        default,
        alias = "finish_reason",
        skip_serializing_if = "Option::is_none"
    )]
    pub finish_reason: Option<FinishReason>,
    /// Human-readable detail for some finish reasons.
    #[serde(
        default,
        alias = "finish_message",
        skip_serializing_if = "Option::is_none"
    )]
    pub finish_message: Option<String>,
    /// Per-category safety ratings.
    #[serde(
        default,
        alias = "safety_ratings",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub safety_ratings: Vec<SafetyRating>,
    /// Citation sources, kept as JSON.
    #[serde(
        default,
        alias = "citation_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub citation_metadata: Option<Value>,
    /// Grounding metadata, kept as JSON.
    #[serde(
        default,
        alias = "grounding_metadata",
        skip_serializing_if = "Option::is_none"
    )]
    pub grounding_metadata: Option<Value>,
    /// Average log probability.
    #[serde(
        default,
        alias = "avg_logprobs",
        skip_serializing_if = "Option::is_none"
    )]
    pub avg_logprobs: Option<f64>,
    /// Candidate index (absent on some shapes, e.g. BLOCKLIST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Candidate {
    fn merge(&mut self, chunk: Candidate) {
        if let Some(content) = chunk.content {
            match &mut self.content {
                Some(mine) => {
                    if content.role.is_some() {
                        mine.role = content.role;
                    }
                    mine.parts.extend(content.parts);
                    mine.extra.extend(content.extra);
                }
                None => self.content = Some(content),
            }
        }
        if chunk.finish_reason.is_some() {
            self.finish_reason = chunk.finish_reason;
        }
        if chunk.finish_message.is_some() {
            self.finish_message = chunk.finish_message;
        }
        if !chunk.safety_ratings.is_empty() {
            self.safety_ratings = chunk.safety_ratings;
        }
        if chunk.citation_metadata.is_some() {
            self.citation_metadata = chunk.citation_metadata;
        }
        if chunk.grounding_metadata.is_some() {
            self.grounding_metadata = chunk.grounding_metadata;
        }
        if chunk.avg_logprobs.is_some() {
            self.avg_logprobs = chunk.avg_logprobs;
        }
        if chunk.index.is_some() {
            self.index = chunk.index;
        }
        self.extra.extend(chunk.extra);
    }
}

/// `safetyRatings[]` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SafetyRating {
    /// `HARM_CATEGORY_*`.
    #[serde(default)]
    pub category: String,
    /// `NEGLIGIBLE`, `LOW`, `MEDIUM` or `HIGH`.
    #[serde(default)]
    pub probability: String,
    /// True when this category caused the block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
}

/// `promptFeedback`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptFeedback {
    /// Why the prompt was blocked.
    #[serde(
        default,
        alias = "block_reason",
        skip_serializing_if = "Option::is_none"
    )]
    pub block_reason: Option<BlockReason>,
    /// Ratings of the prompt.
    #[serde(
        default,
        alias = "safety_ratings",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub safety_ratings: Vec<SafetyRating>,
}

/// `usageMetadata`: zero counts are omitted by the service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageMetadata {
    /// Prompt tokens, cached ones included.
    #[serde(
        default,
        alias = "prompt_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub prompt_token_count: Option<u64>,
    /// Tokens served from a context cache.
    #[serde(
        default,
        alias = "cached_content_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub cached_content_token_count: Option<u64>,
    /// Visible output tokens.
    #[serde(
        default,
        alias = "candidates_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub candidates_token_count: Option<u64>,
    /// Tokens of tool-use prompts.
    #[serde(
        default,
        alias = "tool_use_prompt_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub tool_use_prompt_token_count: Option<u64>,
    /// Thinking tokens (count against `maxOutputTokens`).
    #[serde(
        default,
        alias = "thoughts_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub thoughts_token_count: Option<u64>,
    /// Sum of the above.
    #[serde(
        default,
        alias = "total_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_token_count: Option<u64>,
    /// Unknown fields (per-modality details, serviceTier, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UsageMetadata {
    /// Output tokens including thinking.
    pub fn output_tokens(&self) -> u64 {
        self.candidates_token_count.unwrap_or(0) + self.thoughts_token_count.unwrap_or(0)
    }
}

/// Body of `countTokens`: either `contents` or a whole `generateContentRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountTokensRequest {
    /// Contents to count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contents: Option<Vec<Content>>,
    /// Alternatively, a full request (model name included).
    #[serde(
        default,
        alias = "generate_content_request",
        skip_serializing_if = "Option::is_none"
    )]
    pub generate_content_request: Option<Box<Value>>,
}

/// Response of `countTokens`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountTokensResponse {
    /// Tokens of the prompt.
    #[serde(default, alias = "total_tokens")]
    pub total_tokens: u64,
    /// Tokens served from cache (v1beta).
    #[serde(
        default,
        alias = "cached_content_token_count",
        skip_serializing_if = "Option::is_none"
    )]
    pub cached_content_token_count: Option<u64>,
    /// Unknown fields (per-modality details).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A model resource from `models.list` / `models.get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    /// `models/{id}`.
    pub name: String,
    /// Base model id (often omitted by the real service).
    #[serde(
        default,
        alias = "base_model_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub base_model_id: Option<String>,
    /// Version string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Human-readable name.
    #[serde(
        default,
        alias = "display_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Maximum prompt tokens.
    #[serde(
        default,
        alias = "input_token_limit",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_token_limit: Option<u64>,
    /// Maximum output tokens.
    #[serde(
        default,
        alias = "output_token_limit",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_token_limit: Option<u64>,
    /// Method names such as `generateContent`, `countTokens`.
    #[serde(default, alias = "supported_generation_methods")]
    pub supported_generation_methods: Vec<String>,
    /// Default temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Highest accepted temperature.
    #[serde(
        default,
        alias = "max_temperature",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_temperature: Option<f64>,
    /// Default topP.
    #[serde(default, alias = "top_p", skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Default topK; absent means top-k is not supported.
    #[serde(default, alias = "top_k", skip_serializing_if = "Option::is_none")]
    pub top_k: Option<i64>,
    /// Whether the model thinks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<bool>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Model {
    /// The id without the `models/` prefix.
    pub fn id(&self) -> &str {
        self.name.strip_prefix("models/").unwrap_or(&self.name)
    }

    /// Whether the model lists `method` among its supported generation methods.
    pub fn supports(&self, method: &str) -> bool {
        self.supported_generation_methods
            .iter()
            .any(|m| m == method)
    }
}

/// Response of `models.list`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListModelsResponse {
    /// This page of models.
    #[serde(default)]
    pub models: Vec<Model>,
    /// Token of the next page; absent on the last page.
    #[serde(
        default,
        alias = "next_page_token",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_page_token: Option<String>,
}

/// Normalises a user-typed model name to its resource name (`models/…`), as the SDKs do.
pub fn model_resource_name(model: &str) -> String {
    let m = model.trim();
    if m.starts_with("models/") || m.starts_with("tunedModels/") {
        m.to_string()
    } else {
        format!("models/{m}")
    }
}

/// Declares a proto enum carried as its name on the wire, keeping unknown values as text.
/// Numeric values (the legacy `enum-encoding=int`) are mapped through the proto numbers.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $num:literal => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this build does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s,
                }
            }

            /// Parses a wire name; unknown names are kept.
            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }

            fn from_number(n: i64) -> Self {
                match n {
                    $($num => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match Value::deserialize(d)? {
                    Value::String(s) => Ok($name::parse(&s)),
                    Value::Number(n) => Ok(n.as_i64().map($name::from_number).unwrap_or_else(|| $name::Unknown(n.to_string()))),
                    other => Ok($name::Unknown(other.to_string())),
                }
            }
        }
    };
}

wire_enum!(
    /// `Candidate.finishReason`: every value of the v1beta proto.
    FinishReason {
        /// Unspecified.
        Unspecified = 0 => "FINISH_REASON_UNSPECIFIED",
        /// Natural stop or a stop sequence.
        Stop = 1 => "STOP",
        /// `maxOutputTokens` reached.
        MaxTokens = 2 => "MAX_TOKENS",
        /// Output flagged by safety filters.
        Safety = 3 => "SAFETY",
        /// Output resembles training data.
        Recitation = 4 => "RECITATION",
        /// Other reason.
        Other = 5 => "OTHER",
        /// Unsupported language.
        Language = 6 => "LANGUAGE",
        /// Forbidden terms.
        Blocklist = 7 => "BLOCKLIST",
        /// Prohibited content.
        ProhibitedContent = 8 => "PROHIBITED_CONTENT",
        /// Sensitive personally identifiable information.
        Spii = 9 => "SPII",
        /// Invalid function call generated.
        MalformedFunctionCall = 10 => "MALFORMED_FUNCTION_CALL",
        /// Generated image flagged.
        ImageSafety = 11 => "IMAGE_SAFETY",
        /// Tool call while tools are disabled.
        UnexpectedToolCall = 12 => "UNEXPECTED_TOOL_CALL",
        /// Too many tool calls in a row.
        TooManyToolCalls = 13 => "TOO_MANY_TOOL_CALLS",
        /// Generated image prohibited.
        ImageProhibitedContent = 14 => "IMAGE_PROHIBITED_CONTENT",
        /// Other image problem.
        ImageOther = 15 => "IMAGE_OTHER",
        /// No image produced.
        NoImage = 16 => "NO_IMAGE",
        /// Image recitation.
        ImageRecitation = 17 => "IMAGE_RECITATION",
    }
);

wire_enum!(
    /// `promptFeedback.blockReason`.
    BlockReason {
        /// Unspecified.
        Unspecified = 0 => "BLOCK_REASON_UNSPECIFIED",
        /// Safety filters.
        Safety = 1 => "SAFETY",
        /// Other (terms of service, unsupported).
        Other = 2 => "OTHER",
        /// Forbidden terms.
        Blocklist = 3 => "BLOCKLIST",
        /// Prohibited content.
        ProhibitedContent = 4 => "PROHIBITED_CONTENT",
        /// Image flagged.
        ImageSafety = 5 => "IMAGE_SAFETY",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let raw = json!({
            "candidates": [{"content": {"parts": [{"text": "hi"}], "role": "model"},
                            "finishReason": "MALFORMED_RESPONSE", "index": 0, "newThing": 1}],
            "usageMetadata": {"promptTokenCount": 3, "serviceTier": "standard"},
            "modelVersion": "gemini-2.5-flash",
            "brandNew": {"a": 1}
        });
        let r: GenerateContentResponse = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(
            r.finish_reason(),
            Some(&FinishReason::Unknown("MALFORMED_RESPONSE".into()))
        );
        assert_eq!(serde_json::to_value(&r).unwrap(), raw);
    }

    #[test]
    fn snake_case_and_numeric_enums_are_accepted() {
        let r: GenerateContentResponse = serde_json::from_value(json!({
            "candidates": [{"finish_reason": 2, "index": 0}],
            "prompt_feedback": {"block_reason": "OTHER"}
        }))
        .unwrap();
        assert_eq!(r.finish_reason(), Some(&FinishReason::MaxTokens));
        assert_eq!(r.block_reason(), Some(&BlockReason::Other));
    }

    #[test]
    fn merging_chunks_appends_parts_and_keeps_latest_usage() {
        let mut acc = GenerateContentResponse::default();
        for (text, fin, total) in [("Hel", None, 5), ("lo", Some("STOP"), 7)] {
            let mut c = json!({"candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "index": 0}],
                               "usageMetadata": {"totalTokenCount": total}});
            if let Some(f) = fin {
                c["candidates"][0]["finishReason"] = json!(f);
            }
            acc.merge_chunk(serde_json::from_value(c).unwrap());
        }
        assert_eq!(acc.text(), "Hello");
        assert_eq!(acc.finish_reason(), Some(&FinishReason::Stop));
        assert_eq!(acc.usage_metadata.unwrap().total_token_count, Some(7));
    }

    #[test]
    fn thought_parts_are_not_visible_text() {
        let c: Content = serde_json::from_value(
            json!({"parts": [{"text": "thinking…", "thought": true}, {"text": "answer"}]}),
        )
        .unwrap();
        assert_eq!(c.visible_text(), "answer");
    }

    #[test]
    fn request_serialises_camel_case_and_omits_empty_options() {
        let mut req = GenerateContentRequest::from_prompt("hi");
        req.generation_config = Some(GenerationConfig {
            temperature: Some(0.5),
            max_output_tokens: Some(10),
            ..Default::default()
        });
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "generationConfig": {"temperature": 0.5, "maxOutputTokens": 10}})
        );
    }

    #[test]
    fn model_names_are_normalised() {
        assert_eq!(
            model_resource_name("gemini-2.5-flash"),
            "models/gemini-2.5-flash"
        );
        assert_eq!(model_resource_name("tunedModels/x"), "tunedModels/x");
    }
}
