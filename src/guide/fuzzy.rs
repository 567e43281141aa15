//! "Did you mean": edit distance over model ids.

/// Model ids suggested when the caller has no model list (explain works offline).
/// Kept short on purpose: current stable ids only.
pub const WELL_KNOWN_MODELS: [&str; 8] = [
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.0-flash",
    "gemini-2.0-flash-lite",
    "gemini-flash-latest",
    "gemini-pro-latest",
    "gemini-embedding-001",
];

/// Levenshtein distance on chars, two rows of memory.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate within a typo-sized distance, never `name` itself.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let name = name.strip_prefix("models/").unwrap_or(name);
    let limit = (name.chars().count() / 4).clamp(2, 4);
    candidates
        .into_iter()
        .map(|c| c.strip_prefix("models/").unwrap_or(c))
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggests_the_nearest_model() {
        let m = [
            "gemini-2.5-flash",
            "gemini-2.5-pro",
            "gemini-2.5-flash-lite",
        ];
        assert_eq!(did_you_mean("gemini-2.5-flsh", m), Some("gemini-2.5-flash"));
        assert_eq!(
            did_you_mean("models/gemini-25-pro", m),
            Some("gemini-2.5-pro")
        );
        assert_eq!(did_you_mean("gpt-4o-mini", m), None);
        assert_eq!(did_you_mean("gemini-2.5-pro", m), None);
    }
}
