//! The coder run as `dyad extract --jsonl` runs it, scored and reported
//! as the reference scorer scores: sentence figures, article figures and
//! the listing of misses.

use std::path::{Path, PathBuf};

use anyhow::Context;
use dyad_extract::Coder;
use dyad_ingest::validate::Limits;
use dyad_proto::v1::Article;

use super::{gold, reference};

/// Codes one text as `dyad extract --jsonl` does and returns its events in
/// proto3 JSON, the form the reference scorer reads.
pub fn predict(
    coder: &Coder,
    id: &str,
    text: &str,
    published: &str,
) -> anyhow::Result<Vec<serde_json::Value>> {
    Ok(predict_article(coder, id, text, published)?.1)
}

/// As [`predict`], with the article as the coder read it (validated, its
/// text normalised).
pub fn predict_article(
    coder: &Coder,
    id: &str,
    text: &str,
    published: &str,
) -> anyhow::Result<(Article, Vec<serde_json::Value>)> {
    let article = Article {
        id: id.to_string(),
        text: text.to_string(),
        publish_time: Some(crate::articles::publish_time(published)?),
        ..Default::default()
    };
    let response = dyad_ingest::extract_events(
        coder,
        Some(article),
        Limits {
            max_text_bytes: dyad_ingest::DEFAULT_MAX_TEXT_BYTES,
            max_html_bytes: dyad_ingest::DEFAULT_MAX_HTML_BYTES,
        },
    )
    .with_context(|| format!("{id}: cannot be coded"))?;
    let mut json = serde_json::to_value(&response)?;
    let events = match json["events"].take() {
        serde_json::Value::Array(events) => events,
        _ => Vec::new(),
    };
    Ok((response.article.unwrap_or_default(), events))
}

/// The NAME.expected.toml files of `dir`, in name order; an error when
/// there are none.
pub fn annotations(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut annotations: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".expected.toml"))
        .collect();
    annotations.sort();
    anyhow::ensure!(
        !annotations.is_empty(),
        "{}: no NAME.expected.toml annotations",
        dir.display()
    );
    Ok(annotations)
}

/// Scores every NAME.expected.toml of `dir` in the reference scorer's article mode.
pub fn score_articles(
    coder: &Coder,
    dir: &Path,
    json: bool,
) -> anyhow::Result<reference::ArticleScores> {
    let annotations = annotations(dir)?;
    let mut scores = reference::ArticleScores::default();
    for path in &annotations {
        let case = gold::read_fixture(path)?;
        let annotation: toml::Table = toml::from_str(&std::fs::read_to_string(path)?)
            .with_context(|| format!("{}: not TOML", path.display()))?;
        let events = predict(coder, &case.id, &case.text, &case.published)?;
        scores.add(&annotation, &events);
    }
    let strict = scores.strict();
    println!(
        "{} ({} articles, reference scorer)",
        dir.display(),
        annotations.len()
    );
    println!(
        "  strict: precision {:.3} recall {:.3} F1 {:.3} ({} of {} gold events, {} coded); dates right {:.3}",
        strict.precision,
        strict.recall,
        strict.f1,
        scores.strict_found,
        scores.events,
        scores.predicted,
        scores.strict_date_accuracy()
    );
    println!(
        "  lenient: recall {:.3}, precision at least {:.3}; must_not hits {} of {}",
        scores.recall(),
        scores.precision_lower_bound(),
        scores.must_not_hits,
        scores.must_not
    );
    if json {
        let mut line = serde_json::to_value(&scores)?;
        line["strict_precision"] = strict.precision.into();
        line["strict_recall"] = strict.recall.into();
        line["strict_f1"] = strict.f1.into();
        println!("{line}");
    }
    Ok(scores)
}

pub fn print_sentence_scores(title: &str, scores: &reference::SentenceScores, json: bool) {
    println!("{title}, reference scorer (role-aware)");
    println!(
        "  {:<12} {:>9} {:>9} {:>9}",
        "level", "precision", "recall", "F1"
    );
    for (name, prf) in reference::LEVELS.iter().zip(&scores.levels) {
        println!(
            "  {name:<12} {:>9.3} {:>9.3} {:>9.3}",
            prf.precision, prf.recall, prf.f1
        );
    }
    println!(
        "  {} gold events, {} coded",
        scores.gold_events, scores.predicted_events
    );
    if json {
        let mut line = serde_json::json!({
            "gold_events": scores.gold_events,
            "predicted_events": scores.predicted_events,
        });
        for (name, prf) in reference::LEVELS.iter().zip(&scores.levels) {
            line[*name] =
                serde_json::json!({"precision": prf.precision, "recall": prf.recall, "f1": prf.f1});
        }
        println!("{line}");
    }
}

/// Lists gold events no prediction matches at `level`, and predictions
/// that match no gold event.
pub fn list_sentences<'p>(
    cases: &[serde_json::Value],
    predicted: impl Fn(&str) -> &'p [serde_json::Value],
    level: usize,
) {
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        let events = predicted(id);
        let expected = case["expected"].as_array().map_or(&[][..], Vec::as_slice);
        let text = case["text"].as_str().unwrap_or_default();
        for x in expected {
            if !events
                .iter()
                .any(|e| reference::sentence_match(level, e, x))
            {
                println!(
                    "  MISS {id} {}{} -> {} {}: {text}",
                    x["source"].as_str().unwrap_or(""),
                    super::suffix(x["source_role"].as_str().unwrap_or("")),
                    x["target"].as_str().unwrap_or(""),
                    x["roots"]
                );
            }
        }
        for e in events {
            if !expected
                .iter()
                .any(|x| reference::sentence_match(level, e, x))
            {
                println!(
                    "  FALSE {id} {} {} -> {} ({}): {text}",
                    e["source"]["code"].as_str().unwrap_or("-"),
                    e["cameoCode"].as_str().unwrap_or("-"),
                    e["target"]["code"].as_str().unwrap_or("-"),
                    e["mentions"][0]["rule"].as_str().unwrap_or("")
                );
            }
        }
    }
}
