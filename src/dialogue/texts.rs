//! Localised texts: one Fluent bundle per locale, loaded from `dialogues/locales/<locale>/*.ftl`.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The languages the bot speaks. Chinese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// English for clients whose language starts with `en`, Chinese otherwise.
    pub fn from_client(language_code: Option<&str>) -> Locale {
        match language_code {
            Some(code) if code.to_ascii_lowercase().starts_with("en") => Locale::En,
            _ => Locale::ZhCn,
        }
    }
}

/// A text to render: a key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub key: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
    /// Arguments that are themselves text keys, rendered in the same locale.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_args: Vec<(String, String)>,
}

impl Text {
    pub fn new(key: impl Into<String>) -> Text {
        Text {
            key: key.into(),
            args: Vec::new(),
            key_args: Vec::new(),
        }
    }

    pub fn arg_key(mut self, name: impl Into<String>, key: impl Into<String>) -> Text {
        self.key_args.push((name.into(), key.into()));
        self
    }

    pub fn arg(mut self, name: impl Into<String>, value: impl Into<String>) -> Text {
        self.args.push((name.into(), value.into()));
        self
    }
}

/// All locales' bundles.
pub struct Texts {
    bundles: Vec<(Locale, FluentBundle<FluentResource>, BTreeSet<String>)>,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts")
            .field("locales", &self.bundles.len())
            .finish()
    }
}

impl Texts {
    /// Loads every locale folder under `dir`; returns the problems found, if any.
    pub fn load(dir: &Path) -> Result<Texts, Vec<String>> {
        let mut problems = Vec::new();
        let mut bundles = Vec::new();
        for locale in Locale::ALL {
            let folder = dir.join(locale.code());
            let mut sources = Vec::new();
            match std::fs::read_dir(&folder) {
                Ok(entries) => {
                    let mut paths: Vec<_> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
                        .collect();
                    paths.sort();
                    for path in paths {
                        match std::fs::read_to_string(&path) {
                            Ok(s) => sources.push((path.display().to_string(), s)),
                            Err(e) => problems.push(format!("{}: {e}", path.display())),
                        }
                    }
                }
                Err(e) => problems.push(format!("{}: {e}", folder.display())),
            }
            match Self::bundle(locale, &sources) {
                Ok(b) => bundles.push((locale, b.0, b.1)),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if problems.is_empty() {
            Ok(Texts { bundles })
        } else {
            Err(problems)
        }
    }

    /// Builds texts from in-memory sources (tests, embedded defaults).
    pub fn from_sources(sources: &[(Locale, &str)]) -> Result<Texts, Vec<String>> {
        let mut bundles = Vec::new();
        let mut problems = Vec::new();
        for locale in Locale::ALL {
            let own: Vec<(String, String)> = sources
                .iter()
                .filter(|(l, _)| *l == locale)
                .map(|(_, s)| ("<memory>".to_string(), s.to_string()))
                .collect();
            match Self::bundle(locale, &own) {
                Ok(b) => bundles.push((locale, b.0, b.1)),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if problems.is_empty() {
            Ok(Texts { bundles })
        } else {
            Err(problems)
        }
    }

    fn bundle(
        locale: Locale,
        sources: &[(String, String)],
    ) -> Result<(FluentBundle<FluentResource>, BTreeSet<String>), Vec<String>> {
        let mut problems = Vec::new();
        let lang = locale
            .code()
            .parse()
            .map_err(|e| vec![format!("{}: {e}", locale.code())])?;
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        // Isolation marks would leak invisible characters into Telegram messages.
        bundle.set_use_isolating(false);
        let mut keys = BTreeSet::new();
        for (name, source) in sources {
            let resource = match FluentResource::try_new(source.clone()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        problems.push(format!("{name}: {e:?}"));
                    }
                    r
                }
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.insert(m.id.name.to_string());
                }
            }
            if let Err(errors) = bundle.add_resource(resource) {
                for e in errors {
                    problems.push(format!("{name}: {e}"));
                }
            }
        }
        if problems.is_empty() {
            Ok((bundle, keys))
        } else {
            Err(problems)
        }
    }

    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundles
            .iter()
            .any(|(l, _, keys)| *l == locale && keys.contains(key))
    }

    /// The keys defined in a locale.
    pub fn keys(&self, locale: Locale) -> BTreeSet<String> {
        self.bundles
            .iter()
            .find(|(l, _, _)| *l == locale)
            .map(|(_, _, k)| k.clone())
            .unwrap_or_default()
    }

    /// Renders a text. A missing key renders as the key itself (the checker prevents it).
    pub fn render(&self, locale: Locale, text: &Text) -> String {
        let Some((_, bundle, _)) = self.bundles.iter().find(|(l, _, _)| *l == locale) else {
            return text.key.clone();
        };
        let Some(pattern) = bundle.get_message(&text.key).and_then(|m| m.value()) else {
            return text.key.clone();
        };
        let mut args = FluentArgs::new();
        for (name, value) in &text.args {
            // Texts are HTML; every argument is data, never markup.
            args.set(name.as_str(), FluentValue::from(escape_html(value)));
        }
        for (name, key) in &text.key_args {
            args.set(name.as_str(), FluentValue::from(self.get(locale, key)));
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .into_owned()
    }

    /// Renders a key with no arguments.
    pub fn get(&self, locale: Locale, key: &str) -> String {
        self.render(locale, &Text::new(key))
    }
}

/// Escapes the characters Telegram's HTML parse mode treats as markup.
pub fn escape_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Turns the bot's HTML into plain text (console, e-mail, SMS).
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A date as students read it: `2026年6月30日` / `30 June 2026`.
pub fn format_date(date: chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match locale {
        Locale::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Locale::En => {
            let month = MONTHS.get(date.month0() as usize).copied().unwrap_or("");
            format!("{} {month} {}", date.day(), date.year())
        }
    }
}
