//! Coded events labelled right or wrong as the reference scorer judges
//! them (a gold sentence event matched at dyad level; a gold article event
//! matched strictly), with the confidence model's inputs: what `dyad train
//! confidence` fits and what the reliability table of `dyad eval` reads.

use std::{collections::HashMap, path::Path};

use anyhow::Context;
use chrono::NaiveDate;
use dyad_extract::{
    ArticleText, Coder,
    confidence::{FEATURE_COUNT, features_of_article},
};
use serde_json::Value;

use super::{gold, reference, reported};

/// One coded event and whether it is right.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The confidence the coder gave it.
    pub confidence: f64,
    /// Whether the scorer counts it as right.
    pub right: bool,
    /// The confidence model's inputs.
    pub features: [f64; FEATURE_COUNT],
    /// The text it came from (a gold sentence or an article), for folds
    /// that keep a text's events together.
    pub text_id: String,
}

/// The events of one text in proto3 JSON with each one's model inputs.
fn coded(
    coder: &Coder,
    id: &str,
    text: &str,
    published: &str,
) -> anyhow::Result<Vec<(Value, [f64; FEATURE_COUNT])>> {
    let (article, events) = reported::predict_article(coder, id, text, published)?;
    let date = NaiveDate::parse_from_str(published, "%Y-%m-%d")
        .with_context(|| format!("{id}: published {published:?} is not YYYY-MM-DD"))?;
    let codings = coder.code(ArticleText {
        text: &article.text,
        published: date,
    });
    // A reported event is the first coding of its happening (merged by id).
    let mut by_id: HashMap<String, [f64; FEATURE_COUNT]> = HashMap::new();
    for (coding, x) in codings.iter().zip(features_of_article(&codings)) {
        by_id
            .entry(dyad_ingest::convert::event_id(&coding.identity()))
            .or_insert(x);
    }
    events
        .into_iter()
        .map(|event| {
            let id = event["id"].as_str().unwrap_or_default();
            let x = by_id
                .get(id)
                .copied()
                .with_context(|| format!("event {id} has no coding"))?;
            Ok((event, x))
        })
        .collect()
}

fn labelled(text_id: &str, event: &Value, x: [f64; FEATURE_COUNT], right: bool) -> Labelled {
    Labelled {
        confidence: event["confidence"].as_f64().unwrap_or(0.0),
        right,
        features: x,
        text_id: text_id.to_string(),
    }
}

/// The events coded from gold sentences (gold JSONL objects), right when
/// they match one of the sentence's gold events at dyad level.
pub fn of_sentences(coder: &Coder, cases: &[Value]) -> anyhow::Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        let expected = case["expected"].as_array().map_or(&[][..], Vec::as_slice);
        let text = case["text"].as_str().unwrap_or_default();
        let published = case["published"].as_str().unwrap_or_default();
        for (event, x) in coded(coder, id, text, published)? {
            let right = expected
                .iter()
                .any(|g| reference::sentence_match(2, &event, g));
            out.push(labelled(id, &event, x, right));
        }
    }
    Ok(out)
}

/// The events coded from the annotated articles of `dir`, right when the
/// strict article scoring matches them.
pub fn of_articles(coder: &Coder, dir: &Path) -> anyhow::Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for path in reported::annotations(dir)? {
        let case = gold::read_fixture(&path)?;
        let annotation: toml::Table = toml::from_str(&std::fs::read_to_string(&path)?)
            .with_context(|| format!("{}: not TOML", path.display()))?;
        let coded = coded(coder, &case.id, &case.text, &case.published)?;
        let events: Vec<Value> = coded.iter().map(|(e, _)| e.clone()).collect();
        let rights = reference::strict_labels(&annotation, &events);
        for ((event, x), right) in coded.into_iter().zip(rights) {
            out.push(labelled(&case.id, &event, x, right));
        }
    }
    Ok(out)
}

/// A reliability table: events by confidence band, with the share of each
/// band that is right, and the Brier score (mean squared error of the
/// confidence as a probability).
pub fn reliability(items: &[(f64, bool)]) -> String {
    const BANDS: usize = 5;
    let mut table = format!(
        "  {:<11} {:>7} {:>15} {:>11}\n",
        "confidence", "events", "mean confidence", "share right"
    );
    for band in 0..BANDS {
        let (low, high) = (band as f64 / BANDS as f64, (band + 1) as f64 / BANDS as f64);
        let members: Vec<&(f64, bool)> = items
            .iter()
            .filter(|(c, _)| *c >= low && (*c < high || (band + 1 == BANDS && *c <= high)))
            .collect();
        if members.is_empty() {
            continue;
        }
        let n = members.len() as f64;
        let mean = members.iter().map(|(c, _)| c).sum::<f64>() / n;
        let right = members.iter().filter(|(_, r)| *r).count() as f64 / n;
        table.push_str(&format!(
            "  {:<11} {:>7} {:>15.2} {:>11.2}\n",
            format!("{low:.1}-{high:.1}"),
            members.len(),
            mean,
            right
        ));
    }
    let brier = items
        .iter()
        .map(|(c, r)| (c - f64::from(u8::from(*r))).powi(2))
        .sum::<f64>()
        / items.len().max(1) as f64;
    table.push_str(&format!(
        "  {} events, {} right; Brier score {brier:.3}\n",
        items.len(),
        items.iter().filter(|(_, r)| *r).count()
    ));
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reliability_table_counts_each_band() {
        let items = [(0.1, false), (0.15, true), (0.9, true), (1.0, true)];
        let table = reliability(&items);
        assert!(
            table.contains("0.0-0.2           2            0.12        0.50"),
            "{table}"
        );
        assert!(
            table.contains("0.8-1.0           2            0.95        1.00"),
            "{table}"
        );
        assert!(
            table.contains("4 events, 3 right; Brier score 0.186"),
            "{table}"
        );
    }
}
