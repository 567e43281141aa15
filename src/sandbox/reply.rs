//! The deterministic reply generator: text made locally from (prompt, model, temperature,
//! seed), labelled as simulated. Temperature 0 follows a "greedy" path fixed by the
//! prompt and model; higher temperatures swap more words for seed-driven picks.

use super::prng::{SplitMix, hash};

/// Every reply starts with this label, so nobody mistakes it for a model's answer.
pub const LABEL: &str = "[sandbox] ";

const VOCAB: &[&str] = &[
    "the",
    "request",
    "reached",
    "a",
    "local",
    "simulator",
    "which",
    "answers",
    "without",
    "any",
    "model",
    "so",
    "this",
    "text",
    "is",
    "generated",
    "from",
    "your",
    "prompt",
    "and",
    "settings",
    "only",
    "tokens",
    "stream",
    "chunks",
    "arrive",
    "in",
    "order",
    "quota",
    "limits",
    "apply",
    "per",
    "minute",
    "day",
    "temperature",
    "changes",
    "word",
    "choice",
    "seed",
    "keeps",
    "it",
    "repeatable",
    "every",
    "call",
    "returns",
    "usage",
    "metadata",
    "counted",
    "with",
    "one",
    "rule",
    "four",
    "characters",
    "make",
    "token",
    "errors",
    "look",
    "like",
    "real",
    "service",
    "status",
    "codes",
    "details",
    "retry",
    "delay",
    "after",
    "window",
    "slides",
    "forward",
    "candidates",
    "finish",
    "reason",
    "safety",
    "ratings",
    "blocked",
    "prompts",
    "get",
    "feedback",
    "instead",
    "of",
    "thinking",
    "budget",
    "output",
    "cap",
    "counts",
    "against",
    "both",
    "versions",
    "accept",
    "known",
    "fields",
    "unknown",
    "names",
    "are",
    "rejected",
    "clearly",
    "connection",
    "may",
    "drop",
    "stall",
    "or",
    "break",
    "when",
    "armed",
    "faults",
    "fire",
    "once",
    "then",
    "normal",
    "replies",
    "resume",
    "quickly",
    "locally",
    "here",
];

/// What a reply depends on.
#[derive(Debug, Clone, Copy)]
pub struct ReplySpec<'a> {
    /// The prompt text (all user text of the request).
    pub prompt: &'a str,
    /// Model id.
    pub model: &'a str,
    /// Sampling temperature (0 = greedy).
    pub temperature: f64,
    /// Sampling seed.
    pub seed: u64,
    /// Candidate index, so several candidates differ when sampling.
    pub candidate: usize,
}

/// The full reply text of one candidate.
pub fn reply_text(spec: &ReplySpec<'_>) -> String {
    let mut greedy = SplitMix::new(hash(&[spec.prompt.as_bytes(), spec.model.as_bytes()]));
    let mut sample = SplitMix::new(hash(&[
        &spec.seed.to_le_bytes(),
        &(spec.candidate as u64).to_le_bytes(),
        spec.prompt.as_bytes(),
    ]));
    // Swap probability grows with temperature and saturates at 0.9 (temperature 2).
    let swap = (spec.temperature.max(0.0) * 0.45).min(0.9);
    let n_words = 24 + greedy.below(24);
    let mut out = String::from(LABEL);
    out.push_str(&format!(
        "Simulated reply from {} to \"{}\".",
        spec.model,
        excerpt(spec.prompt, 60)
    ));
    let mut sentence_left = 0;
    for _ in 0..n_words {
        let base = VOCAB[greedy.below(VOCAB.len())];
        let roll = sample.next_f64();
        let alt = VOCAB[sample.below(VOCAB.len())];
        let word = if roll < swap { alt } else { base };
        if sentence_left == 0 {
            if !out.ends_with('.') {
                out.push('.');
            }
            out.push(' ');
            let mut cs = word.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
            sentence_left = 6 + greedy.below(7);
        } else {
            out.push(' ');
            out.push_str(word);
        }
        sentence_left -= 1;
    }
    out.push('.');
    out
}

/// The thought summary returned when `includeThoughts` is on.
pub fn thought_text(prompt_tokens: u64, thought_tokens: u64) -> String {
    format!(
        "{LABEL}Simulated thinking: the prompt has {prompt_tokens} tokens; {thought_tokens} thinking tokens were accounted."
    )
}

/// The first `max` chars of `s` on one line, with `…` when cut.
pub fn excerpt(s: &str, max: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut e: String = one_line.chars().take(max).collect();
        e.push('…');
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(t: f64, seed: u64) -> ReplySpec<'static> {
        ReplySpec {
            prompt: "Tell me about quotas",
            model: "gemini-2.5-flash",
            temperature: t,
            seed,
            candidate: 0,
        }
    }

    fn words_differing(a: &str, b: &str) -> usize {
        a.split(' ')
            .zip(b.split(' '))
            .filter(|(x, y)| x != y)
            .count()
    }

    #[test]
    fn temperature_zero_ignores_the_seed() {
        assert_eq!(reply_text(&spec(0.0, 1)), reply_text(&spec(0.0, 999)));
        assert!(reply_text(&spec(0.0, 1)).starts_with(LABEL));
    }

    #[test]
    fn same_seed_same_text_and_other_seed_other_text() {
        assert_eq!(reply_text(&spec(1.0, 7)), reply_text(&spec(1.0, 7)));
        assert_ne!(reply_text(&spec(1.0, 7)), reply_text(&spec(1.0, 8)));
    }

    #[test]
    fn higher_temperature_strays_further_from_greedy() {
        let greedy = reply_text(&spec(0.0, 0));
        let total = |t: f64| -> usize {
            (0..40)
                .map(|s| words_differing(&greedy, &reply_text(&spec(t, s))))
                .sum()
        };
        let (low, high) = (total(0.2), total(1.8));
        assert!(low > 0, "some variation at 0.2");
        assert!(high > low * 2, "low={low} high={high}");
    }
}
