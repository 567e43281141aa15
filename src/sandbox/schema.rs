//! The request message types the API knows, field by field and per API version
//! (from the public v1/v1beta protos, Dec 2025). Walked by [`super::validate`].

/// Value type of a field.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// string.
    Str,
    /// float/double (`TYPE_FLOAT`).
    Float,
    /// int32/int64 (`TYPE_INT32`).
    Int,
    /// bool.
    Bool,
    /// base64 bytes.
    Bytes,
    /// An enum: type name and values in proto-number order.
    Enum(&'static str, &'static [&'static str]),
    /// `google.protobuf.Struct`/`Value` or a message the sandbox does not inspect.
    Any,
    /// A nested message.
    Msg(&'static Msg),
}

/// Field cardinality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    /// One value.
    One,
    /// `repeated`.
    List,
    /// `map<string, T>`.
    Map,
}

/// One field of a message.
#[derive(Debug)]
pub struct Field {
    /// lowerCamelCase JSON name.
    pub json: &'static str,
    /// snake_case proto name (used in error paths).
    pub snake: &'static str,
    /// Value type.
    pub kind: Kind,
    /// Cardinality.
    pub card: Card,
    /// Present in v1beta only.
    pub beta: bool,
}

/// A message type.
#[derive(Debug)]
pub struct Msg {
    /// Proto message name (for `Invalid value` type URLs).
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
}

impl Msg {
    /// Finds a field by JSON or proto name.
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.json == key || f.snake == key)
    }
}

const fn f(json: &'static str, snake: &'static str, kind: Kind) -> Field {
    Field {
        json,
        snake,
        kind,
        card: Card::One,
        beta: false,
    }
}
const fn list(json: &'static str, snake: &'static str, kind: Kind) -> Field {
    Field {
        json,
        snake,
        kind,
        card: Card::List,
        beta: false,
    }
}
const fn beta(mut fd: Field) -> Field {
    fd.beta = true;
    fd
}

const HARM_CATEGORY: Kind = Kind::Enum(
    "HarmCategory",
    &[
        "HARM_CATEGORY_UNSPECIFIED",
        "HARM_CATEGORY_DEROGATORY",
        "HARM_CATEGORY_TOXICITY",
        "HARM_CATEGORY_VIOLENCE",
        "HARM_CATEGORY_SEXUAL",
        "HARM_CATEGORY_MEDICAL",
        "HARM_CATEGORY_DANGEROUS",
        "HARM_CATEGORY_HARASSMENT",
        "HARM_CATEGORY_HATE_SPEECH",
        "HARM_CATEGORY_SEXUALLY_EXPLICIT",
        "HARM_CATEGORY_DANGEROUS_CONTENT",
        "HARM_CATEGORY_CIVIC_INTEGRITY",
    ],
);
const THRESHOLD: Kind = Kind::Enum(
    "SafetySetting.HarmBlockThreshold",
    &[
        "HARM_BLOCK_THRESHOLD_UNSPECIFIED",
        "BLOCK_LOW_AND_ABOVE",
        "BLOCK_MEDIUM_AND_ABOVE",
        "BLOCK_ONLY_HIGH",
        "BLOCK_NONE",
        "OFF",
    ],
);
const MODALITY: Kind = Kind::Enum(
    "GenerationConfig.Modality",
    &["MODALITY_UNSPECIFIED", "TEXT", "IMAGE", "AUDIO"],
);
const MEDIA_RESOLUTION: Kind = Kind::Enum(
    "GenerationConfig.MediaResolution",
    &[
        "MEDIA_RESOLUTION_UNSPECIFIED",
        "MEDIA_RESOLUTION_LOW",
        "MEDIA_RESOLUTION_MEDIUM",
        "MEDIA_RESOLUTION_HIGH",
    ],
);
/// Schema `type` values (matched case-insensitively, see docs/sandbox.md).
pub const SCHEMA_TYPE: Kind = Kind::Enum(
    "Type",
    &[
        "TYPE_UNSPECIFIED",
        "STRING",
        "NUMBER",
        "INTEGER",
        "BOOLEAN",
        "ARRAY",
        "OBJECT",
        "NULL",
    ],
);
const FC_MODE: Kind = Kind::Enum(
    "FunctionCallingConfig.Mode",
    &["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"],
);

/// `GenerateContentRequest`.
pub static GENERATE_CONTENT_REQUEST: Msg = Msg {
    name: "GenerateContentRequest",
    fields: &[
        f("model", "model", Kind::Str),
        list("contents", "contents", Kind::Msg(&CONTENT)),
        beta(f(
            "systemInstruction",
            "system_instruction",
            Kind::Msg(&CONTENT),
        )),
        beta(list("tools", "tools", Kind::Msg(&TOOL))),
        beta(f("toolConfig", "tool_config", Kind::Msg(&TOOL_CONFIG))),
        list(
            "safetySettings",
            "safety_settings",
            Kind::Msg(&SAFETY_SETTING),
        ),
        f(
            "generationConfig",
            "generation_config",
            Kind::Msg(&GENERATION_CONFIG),
        ),
        beta(f("cachedContent", "cached_content", Kind::Str)),
        beta(f("serviceTier", "service_tier", Kind::Str)),
    ],
};

/// `CountTokensRequest`.
pub static COUNT_TOKENS_REQUEST: Msg = Msg {
    name: "CountTokensRequest",
    fields: &[
        list("contents", "contents", Kind::Msg(&CONTENT)),
        f(
            "generateContentRequest",
            "generate_content_request",
            Kind::Msg(&GENERATE_CONTENT_REQUEST),
        ),
    ],
};

static CONTENT: Msg = Msg {
    name: "Content",
    fields: &[
        f("role", "role", Kind::Str),
        list("parts", "parts", Kind::Msg(&PART)),
    ],
};

static PART: Msg = Msg {
    name: "Part",
    fields: &[
        f("text", "text", Kind::Str),
        f("inlineData", "inline_data", Kind::Msg(&BLOB)),
        f("videoMetadata", "video_metadata", Kind::Any),
        beta(f(
            "functionCall",
            "function_call",
            Kind::Msg(&FUNCTION_CALL),
        )),
        beta(f(
            "functionResponse",
            "function_response",
            Kind::Msg(&FUNCTION_RESPONSE),
        )),
        beta(f("fileData", "file_data", Kind::Msg(&FILE_DATA))),
        beta(f("executableCode", "executable_code", Kind::Any)),
        beta(f("codeExecutionResult", "code_execution_result", Kind::Any)),
        beta(f("thought", "thought", Kind::Bool)),
        beta(f("thoughtSignature", "thought_signature", Kind::Bytes)),
        beta(f("partMetadata", "part_metadata", Kind::Any)),
        beta(f("mediaResolution", "media_resolution", Kind::Any)),
    ],
};

static BLOB: Msg = Msg {
    name: "Blob",
    fields: &[
        f("mimeType", "mime_type", Kind::Str),
        f("data", "data", Kind::Bytes),
    ],
};

static FILE_DATA: Msg = Msg {
    name: "FileData",
    fields: &[
        f("mimeType", "mime_type", Kind::Str),
        f("fileUri", "file_uri", Kind::Str),
    ],
};

static FUNCTION_CALL: Msg = Msg {
    name: "FunctionCall",
    fields: &[
        f("id", "id", Kind::Str),
        f("name", "name", Kind::Str),
        f("args", "args", Kind::Any),
    ],
};

static FUNCTION_RESPONSE: Msg = Msg {
    name: "FunctionResponse",
    fields: &[
        f("id", "id", Kind::Str),
        f("name", "name", Kind::Str),
        f("response", "response", Kind::Any),
        list("parts", "parts", Kind::Any),
        f("willContinue", "will_continue", Kind::Bool),
        f("scheduling", "scheduling", Kind::Any),
    ],
};

static SAFETY_SETTING: Msg = Msg {
    name: "SafetySetting",
    fields: &[
        f("category", "category", HARM_CATEGORY),
        f("threshold", "threshold", THRESHOLD),
    ],
};

static GENERATION_CONFIG: Msg = Msg {
    name: "GenerationConfig",
    fields: &[
        f("candidateCount", "candidate_count", Kind::Int),
        list("stopSequences", "stop_sequences", Kind::Str),
        f("maxOutputTokens", "max_output_tokens", Kind::Int),
        f("temperature", "temperature", Kind::Float),
        f("topP", "top_p", Kind::Float),
        f("topK", "top_k", Kind::Int),
        f("seed", "seed", Kind::Int),
        f("presencePenalty", "presence_penalty", Kind::Float),
        f("frequencyPenalty", "frequency_penalty", Kind::Float),
        f("responseLogprobs", "response_logprobs", Kind::Bool),
        f("logprobs", "logprobs", Kind::Int),
        f(
            "enableEnhancedCivicAnswers",
            "enable_enhanced_civic_answers",
            Kind::Bool,
        ),
        beta(f("responseMimeType", "response_mime_type", Kind::Str)),
        beta(f("responseSchema", "response_schema", Kind::Msg(&SCHEMA))),
        beta(f("responseJsonSchema", "response_json_schema", Kind::Any)),
        beta(f("_responseJsonSchema", "_response_json_schema", Kind::Any)),
        beta(list("responseModalities", "response_modalities", MODALITY)),
        beta(f("speechConfig", "speech_config", Kind::Any)),
        beta(f(
            "thinkingConfig",
            "thinking_config",
            Kind::Msg(&THINKING_CONFIG),
        )),
        beta(f("imageConfig", "image_config", Kind::Any)),
        beta(f("mediaResolution", "media_resolution", MEDIA_RESOLUTION)),
    ],
};

static THINKING_CONFIG: Msg = Msg {
    name: "ThinkingConfig",
    fields: &[
        f("includeThoughts", "include_thoughts", Kind::Bool),
        f("thinkingBudget", "thinking_budget", Kind::Int),
        f("thinkingLevel", "thinking_level", Kind::Str),
    ],
};

static TOOL: Msg = Msg {
    name: "Tool",
    fields: &[
        list(
            "functionDeclarations",
            "function_declarations",
            Kind::Msg(&FUNCTION_DECLARATION),
        ),
        f(
            "googleSearchRetrieval",
            "google_search_retrieval",
            Kind::Any,
        ),
        f("codeExecution", "code_execution", Kind::Any),
        f("googleSearch", "google_search", Kind::Any),
        f("computerUse", "computer_use", Kind::Any),
        f("urlContext", "url_context", Kind::Any),
        f("fileSearch", "file_search", Kind::Any),
        f("googleMaps", "google_maps", Kind::Any),
    ],
};

static TOOL_CONFIG: Msg = Msg {
    name: "ToolConfig",
    fields: &[
        f(
            "functionCallingConfig",
            "function_calling_config",
            Kind::Msg(&FUNCTION_CALLING_CONFIG),
        ),
        f("retrievalConfig", "retrieval_config", Kind::Any),
    ],
};

static FUNCTION_CALLING_CONFIG: Msg = Msg {
    name: "FunctionCallingConfig",
    fields: &[
        f("mode", "mode", FC_MODE),
        list("allowedFunctionNames", "allowed_function_names", Kind::Str),
    ],
};

static FUNCTION_DECLARATION: Msg = Msg {
    name: "FunctionDeclaration",
    fields: &[
        f("name", "name", Kind::Str),
        f("description", "description", Kind::Str),
        f("parameters", "parameters", Kind::Msg(&SCHEMA)),
        f("parametersJsonSchema", "parameters_json_schema", Kind::Any),
        f("response", "response", Kind::Msg(&SCHEMA)),
        f("responseJsonSchema", "response_json_schema", Kind::Any),
        f("behavior", "behavior", Kind::Any),
    ],
};

static SCHEMA: Msg = Msg {
    name: "Schema",
    fields: &[
        f("type", "type", SCHEMA_TYPE),
        f("format", "format", Kind::Str),
        f("title", "title", Kind::Str),
        f("description", "description", Kind::Str),
        f("nullable", "nullable", Kind::Bool),
        list("enum", "enum", Kind::Str),
        f("items", "items", Kind::Msg(&SCHEMA)),
        f("maxItems", "max_items", Kind::Int),
        f("minItems", "min_items", Kind::Int),
        Field {
            json: "properties",
            snake: "properties",
            kind: Kind::Msg(&SCHEMA),
            card: Card::Map,
            beta: false,
        },
        list("required", "required", Kind::Str),
        f("minProperties", "min_properties", Kind::Int),
        f("maxProperties", "max_properties", Kind::Int),
        f("minimum", "minimum", Kind::Float),
        f("maximum", "maximum", Kind::Float),
        f("minLength", "min_length", Kind::Int),
        f("maxLength", "max_length", Kind::Int),
        f("pattern", "pattern", Kind::Str),
        f("example", "example", Kind::Any),
        list("anyOf", "any_of", Kind::Msg(&SCHEMA)),
        list("propertyOrdering", "property_ordering", Kind::Str),
        f("default", "default", Kind::Any),
    ],
};
