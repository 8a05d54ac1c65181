//! The translation table: every visible string, in Simplified Chinese (default) and English.
//!
//! Look strings up with [`t`] (plain) or [`tf`] (with `{name}` placeholders). The current
//! language is per thread (the UI runs on one thread; tests run in parallel threads).

mod table;

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use table::TABLE;

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Self; 2] = [Self::ZhCn, Self::En];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// Parses a stored code; unknown codes give the default.
    pub fn from_code(code: &str) -> Self {
        match code {
            "en" => Self::En,
            _ => Self::ZhCn,
        }
    }

    /// The language's own name, shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::ZhCn => "简体中文",
            Self::En => "English",
        }
    }
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::ZhCn) };
}

/// Sets the language of this thread's UI.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// The language of this thread's UI.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

fn index() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    static INDEX: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    INDEX.get_or_init(|| TABLE.iter().map(|&(k, zh, en)| (k, (zh, en))).collect())
}

/// The text for `key` in the current language; the key itself when it is missing (a test
/// makes sure no key used in the source is missing).
pub fn t(key: &str) -> &str {
    match index().get(key) {
        Some(&(zh, en)) => match lang() {
            Lang::ZhCn => zh,
            Lang::En => en,
        },
        None => key,
    }
}

/// The text for `key` in the current language, if the table has it.
pub fn translated(key: &str) -> Option<&'static str> {
    index().get(key).map(|&(zh, en)| match lang() {
        Lang::ZhCn => zh,
        Lang::En => en,
    })
}

/// [`t`] with `{name}` placeholders replaced.
pub fn tf(key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(key).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_key_has_both_languages_once() {
        let mut seen = HashSet::new();
        for (key, zh, en) in TABLE {
            assert!(seen.insert(*key), "duplicate key {key}");
            assert!(!zh.trim().is_empty(), "{key} has no Chinese text");
            assert!(!en.trim().is_empty(), "{key} has no English text");
            let placeholders = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            assert_eq!(
                placeholders(zh),
                placeholders(en),
                "{key}: placeholders differ"
            );
        }
    }

    /// Every `t("…")`/`tf("…")` key and every `"….…"` key literal passed around in the source
    /// must be in the table.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("table.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for key in used_keys(&text) {
                    if !index().contains_key(key.as_str()) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the table:\n{}",
            missing.join("\n")
        );
    }

    /// Keys are string literals of the form `group.name` whose group is a known prefix.
    fn used_keys(text: &str) -> Vec<String> {
        const GROUPS: &[&str] = &[
            "customer.",
            "account.",
            "login.",
            "inspect.",
            "reward.",
            "audit.",
            "dash.",
            "sup.",
            "claim.",
            "claims.",
            "complaint.",
            "call.",
            "callback.",
            "satisfaction.",
            "report.",
            "inbox.",
            "calls.",
            "complaints.",
            "app.",
            "nav.",
            "reception.",
            "stage.",
            "field.",
            "err.",
            "settings.",
            "role.",
            "honorific.",
            "travel.",
            "script.",
            "register.",
            "handover.",
            "seeoff.",
            "cancel.",
            "history.",
            "staff.",
            "common.",
            "timer.",
            "counts.",
            "store.",
            "lang.",
            "backup.",
            "damaged.",
        ];
        let mut keys = Vec::new();
        for piece in text.split('"').skip(1).step_by(2) {
            if GROUPS
                .iter()
                .any(|g| piece.starts_with(g) && piece.len() > g.len())
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit())
            {
                keys.push(piece.to_owned());
            }
        }
        keys
    }

    #[test]
    fn lookup_and_placeholders() {
        set_lang(Lang::ZhCn);
        assert_eq!(
            tf("script.greet_known", &[("salutation", "王先生")]),
            "王先生,您好"
        );
        assert_eq!(t("script.greet_unknown"), "您好,欢迎光临");
        set_lang(Lang::En);
        assert!(t("nav.reception").contains("Reception"));
        assert_eq!(t("no.such.key"), "no.such.key");
        set_lang(Lang::ZhCn);
    }
}
