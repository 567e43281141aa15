//! The two languages the guide speaks, and how the user's choice is found.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Output language of findings and evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// English (the default).
    #[default]
    #[serde(rename = "en")]
    En,
    /// Brazilian Portuguese.
    #[serde(rename = "pt-BR")]
    PtBr,
}

impl Lang {
    /// The tag used in `guide.toml` and `--lang` (`en`, `pt-BR`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::PtBr => "pt-BR",
        }
    }

    /// Parses `--lang` values: `en`, `pt-BR`, `pt_BR`, `pt` (case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        let l = s.trim().to_ascii_lowercase().replace('_', "-");
        match l.as_str() {
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            "pt" | "pt-br" | "portugues" | "português" => Some(Lang::PtBr),
            _ => None,
        }
    }

    /// Picks the language from locale variables with POSIX precedence
    /// (`LC_ALL`, then `LC_MESSAGES`, then `LANG`); `pt*` means Portuguese.
    pub fn from_locale(env: impl Fn(&str) -> Option<String>) -> Lang {
        let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| env(k))
            .find(|v| !v.trim().is_empty());
        match value {
            Some(v) if v.trim().to_ascii_lowercase().starts_with("pt") => Lang::PtBr,
            _ => Lang::En,
        }
    }

    /// `--lang` if given and valid, otherwise the process locale.
    pub fn resolve(flag: Option<&str>) -> Lang {
        flag.and_then(Lang::parse)
            .unwrap_or_else(|| Lang::from_locale(|k| std::env::var(k).ok()))
    }

    /// Chooses between an English and a Portuguese text.
    pub fn pick<T>(self, en: T, pt: T) -> T {
        match self {
            Lang::En => en,
            Lang::PtBr => pt,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A text in both languages; evidence is built in both and picked at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bi {
    /// English.
    pub en: String,
    /// Brazilian Portuguese.
    pub pt: String,
}

impl Bi {
    /// Builds a bilingual text.
    pub fn new(en: impl Into<String>, pt: impl Into<String>) -> Self {
        Bi {
            en: en.into(),
            pt: pt.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.pt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn locale_precedence_is_lc_all_then_lc_messages_then_lang() {
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "pt_BR.UTF-8")])),
            Lang::PtBr
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "pt_BR.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "pt_PT"),
                ("LANG", "C")
            ])),
            Lang::PtBr
        );
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
    }

    #[test]
    fn flag_values() {
        assert_eq!(Lang::parse("pt-BR"), Some(Lang::PtBr));
        assert_eq!(Lang::parse("PT_br"), Some(Lang::PtBr));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
