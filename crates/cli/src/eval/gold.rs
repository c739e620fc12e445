//! Gold data: sentence-level JSONL (`shared/data/README.md` format) and
//! article annotations in the fixture TOML format.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

/// One expected event of a gold sentence or article.
#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    /// Label (gold JSONL) or id (fixture) for reports.
    #[serde(default, alias = "id")]
    pub label: String,
    /// Source country or organisation code; "" = any; "IGO" = any organisation.
    #[serde(default)]
    pub source: String,
    /// Source role (gold JSONL), "" = any.
    #[serde(default)]
    pub source_role: String,
    /// Target country or organisation code; "" = any.
    #[serde(default)]
    pub target: String,
    /// Target role, "" = any.
    #[serde(default)]
    pub target_role: String,
    /// Acceptable CAMEO roots.
    #[serde(default)]
    pub roots: Vec<String>,
    /// Acceptable full codes ([] = any under the roots).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Source and target may be swapped.
    #[serde(default)]
    pub symmetric: bool,
    /// Expected event date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[serde(default)]
    pub date: Option<String>,
    /// Expected place name (fixture).
    #[serde(default)]
    pub location: Option<String>,
    /// The annotated words (fixture).
    #[serde(default)]
    pub text: String,
}

/// A text to code and what should come out of it.
#[derive(Debug, Clone)]
pub struct GoldCase {
    /// Identifier for reports.
    pub id: String,
    /// The text.
    pub text: String,
    /// Publication date, YYYY-MM-DD.
    pub published: String,
    /// Expected events.
    pub expected: Vec<Expected>,
    /// Codings that must not appear (fixture only).
    pub must_not: Vec<Expected>,
}

/// Reads gold JSONL as JSON values, the form the reference scorer reads.
pub fn read_jsonl_values(path: &Path) -> anyhow::Result<Vec<serde_json::Value>> {
    let contents =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    contents
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let case: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not JSON", path.display(), index + 1))?;
            anyhow::ensure!(
                case["id"].is_string() && case["text"].is_string() && case["expected"].is_array(),
                "{}:{}: a gold case needs id, text and expected",
                path.display(),
                index + 1
            );
            Ok(case)
        })
        .collect()
}

#[derive(Deserialize)]
struct FixtureToml {
    published: String,
    #[serde(default)]
    event: Vec<FixtureEvent>,
    #[serde(default)]
    must_not: Vec<FixtureEvent>,
}

#[derive(Deserialize)]
struct FixtureEvent {
    id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    root: String,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    symmetric: bool,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    date_before: Option<String>,
    #[serde(default)]
    location: Option<String>,
}

/// "ARM+REB" -> ("ARM", "REB").
fn split_actor(actor: &str) -> (String, String) {
    match actor.split_once('+') {
        Some((country, role)) => (country.to_string(), role.to_string()),
        None => (actor.to_string(), String::new()),
    }
}

impl From<FixtureEvent> for Expected {
    fn from(e: FixtureEvent) -> Self {
        let (source, source_role) = split_actor(&e.source);
        let (target, target_role) = split_actor(&e.target);
        Expected {
            label: e.id,
            source,
            source_role,
            target,
            target_role,
            // A listed full code under another root is acceptable too.
            roots: std::iter::once(e.root.clone())
                .chain(
                    e.codes
                        .iter()
                        .filter_map(|c| c.get(..2))
                        .map(str::to_string),
                )
                .fold(Vec::new(), |mut roots, r| {
                    if !roots.contains(&r) {
                        roots.push(r);
                    }
                    roots
                }),
            codes: e.codes,
            symmetric: e.symmetric,
            date: e.date.or(e.date_before.map(|d| format!("<={d}"))),
            location: e.location,
            text: e.text,
        }
    }
}

/// Reads an annotated article: `NAME.expected.toml` beside `NAME.txt`.
pub fn read_fixture(path: &Path) -> anyhow::Result<GoldCase> {
    let contents =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let fixture: FixtureToml = toml::from_str(&contents)
        .with_context(|| format!("{}: not a fixture annotation", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let Some(stem) = name.strip_suffix(".expected.toml") else {
        bail!(
            "{}: fixture annotations are named NAME.expected.toml",
            path.display()
        );
    };
    let text_path = path.with_file_name(format!("{stem}.txt"));
    let text = std::fs::read_to_string(&text_path)
        .with_context(|| format!("cannot read the article {}", text_path.display()))?;
    Ok(GoldCase {
        id: stem.to_string(),
        text,
        published: fixture.published,
        expected: fixture.event.into_iter().map(Expected::from).collect(),
        must_not: fixture.must_not.into_iter().map(Expected::from).collect(),
    })
}
