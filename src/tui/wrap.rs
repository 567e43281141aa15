//! Word wrapping done once when data arrives, so drawing only slices lines.

/// Wraps `text` to `width` columns (counted in chars), breaking at spaces when it can.
/// Every `\n` starts a new line; an empty text gives no lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    if text.is_empty() {
        return out;
    }
    for para in text.split('\n') {
        wrap_line(para.trim_end_matches('\r'), width, &mut out);
    }
    out
}

/// Wraps every line of `lines` (already split) into `out`.
pub fn wrap_lines<'a>(lines: impl IntoIterator<Item = &'a str>, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for l in lines {
        wrap_line(l, width.max(1), &mut out);
    }
    out
}

fn wrap_line(line: &str, width: usize, out: &mut Vec<String>) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    if chars.is_empty() {
        out.push(String::new());
        return;
    }
    let mut start = 0;
    while start < chars.len() {
        let end = (start + width).min(chars.len());
        if end == chars.len() {
            out.push(chars[start..end].iter().collect());
            break;
        }
        // Break where the window ends on a space, else after the last space in it,
        // else mid-word.
        let brk = if chars[end] == ' ' {
            end
        } else {
            chars[start..end]
                .iter()
                .rposition(|c| *c == ' ')
                .map(|p| start + p + 1)
                .filter(|b| *b > start)
                .unwrap_or(end)
        };
        out.push(
            chars[start..brk]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string(),
        );
        start = brk;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_newlines() {
        assert_eq!(wrap("hello world foo", 11), vec!["hello world", "foo"]);
        assert_eq!(wrap("a\n\nb", 5), vec!["a", "", "b"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn never_exceeds_width() {
        let text = "The quick brown fox jumps over the lazy dog ".repeat(20);
        for w in 1..30 {
            assert!(wrap(&text, w).iter().all(|l| l.chars().count() <= w));
        }
    }
}
