//! `dyad eval`: scores the coder against gold data.

mod gold;
mod reference;
mod score;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use chrono::NaiveDate;
use dyad_extract::{ArticleText, CodedEvent, Coder};
use dyad_ingest::validate::Limits;
use dyad_proto::v1::Article;

use gold::GoldCase;
use score::{Counts, Level};

/// Arguments of `dyad eval`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// Gold sentences in the gold JSONL format (shared/data/README.md).
    #[arg(long = "gold")]
    gold: Vec<PathBuf>,
    /// Annotated articles: NAME.expected.toml beside NAME.txt.
    #[arg(long = "fixture")]
    fixtures: Vec<PathBuf>,
    /// Directories of annotated articles (NAME.txt + NAME.expected.toml),
    /// scored as the reference scorer's article mode (strict and lenient).
    #[arg(long = "articles")]
    article_dirs: Vec<PathBuf>,
    /// Fail unless the articles' strict precision reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_strict_precision: f64,
    /// Fail unless the articles' strict recall reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_strict_recall: f64,
    /// Fail when the articles' must_not entries are hit more often than this.
    #[arg(long)]
    max_must_not_hits: Option<usize>,
    /// Also print each set's figures as one JSON line, named as the reference scorer names them.
    #[arg(long)]
    json: bool,
    /// Directory of extra dictionary files (*.tsv).
    #[arg(long = "dictionary", env = "DYAD_DICTIONARY")]
    dictionary_dir: Option<PathBuf>,
    /// Fail unless the gold F1 at type level reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_type_f1: f64,
    /// Fail unless the gold F1 at type+source level reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_source_f1: f64,
    /// Fail unless the gold F1 at dyad level reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_dyad_f1: f64,
    /// Fail unless each fixture has at least this many expected events found
    /// at dyad level.
    #[arg(long, default_value_t = 0)]
    min_fixture_found: usize,
    /// Fail unless each fixture has at least this many expected events
    /// found and dated right.
    #[arg(long, default_value_t = 0)]
    min_fixture_dates: usize,
    /// Fail unless each fixture has at least this many expected events
    /// found and placed right.
    #[arg(long, default_value_t = 0)]
    min_fixture_locations: usize,
    /// Do not list misses and false positives.
    #[arg(long)]
    quiet: bool,
    /// The level at which misses and false positives are listed.
    #[arg(long, value_enum, default_value_t = Level::Dyad)]
    list_at: Level,
}

/// Runs `dyad eval`.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        !args.gold.is_empty() || !args.fixtures.is_empty() || !args.article_dirs.is_empty(),
        "give --gold FILE.jsonl, --articles DIR and/or --fixture FILE.expected.toml"
    );
    let coder =
        dyad_ingest::load_coder(args.dictionary_dir.as_deref()).map_err(anyhow::Error::msg)?;
    let mut failures = Vec::new();

    for path in &args.gold {
        let cases = gold::read_jsonl_values(path)?;
        let mut predicted = std::collections::HashMap::new();
        for case in &cases {
            let id = case["id"].as_str().unwrap_or_default().to_string();
            let events = predict(
                &coder,
                &id,
                case["text"].as_str().unwrap_or_default(),
                case["published"].as_str().unwrap_or_default(),
            )?;
            predicted.insert(id, events);
        }
        let events_of = |id: &str| predicted.get(id).map_or(&[][..], Vec::as_slice);
        let scores = reference::sentences(&cases, events_of);
        print_sentence_scores(
            &format!("{} ({} sentences)", path.display(), cases.len()),
            &scores,
            args.json,
        );
        if let Some(level) = listing(&args) {
            list_sentences(&cases, events_of, level as usize);
        }
        for (level, min) in [
            (Level::Type, args.min_type_f1),
            (Level::TypeSource, args.min_source_f1),
            (Level::Dyad, args.min_dyad_f1),
        ] {
            let f1 = scores.levels[level as usize].f1;
            if f1 < min {
                failures.push(format!(
                    "{}: {} F1 {f1:.3} is below {min}",
                    path.display(),
                    level.name()
                ));
            }
        }
    }

    for dir in &args.article_dirs {
        let scores = score_articles(&coder, dir, args.json)?;
        let strict = scores.strict();
        for (what, value, min) in [
            (
                "strict precision",
                strict.precision,
                args.min_strict_precision,
            ),
            ("strict recall", strict.recall, args.min_strict_recall),
        ] {
            if value < min {
                failures.push(format!(
                    "{}: {what} {value:.3} is below {min}",
                    dir.display()
                ));
            }
        }
        if let Some(max) = args.max_must_not_hits
            && scores.must_not_hits > max
        {
            failures.push(format!(
                "{}: {} must_not hits, above {max}",
                dir.display(),
                scores.must_not_hits
            ));
        }
    }

    for path in &args.fixtures {
        let case = gold::read_fixture(path)?;
        let events = code(&coder, &case)?;
        let totals = evaluate(
            std::slice::from_ref(&case),
            std::slice::from_ref(&events),
            true,
            listing(&args),
        );
        print_scores(
            &format!(
                "{} (article, {} events coded)",
                path.display(),
                events.len()
            ),
            &totals,
        );
        // Among codings that match at dyad level, prefer the one dated and placed right.
        let dyad = score::assign_preferring(&case.expected, &events, |e, event| {
            e.date
                .as_deref()
                .is_none_or(|d| score::date_matches(d, event))
                && e.location
                    .as_deref()
                    .is_none_or(|l| score::location_matches(l, event))
        });
        let dates = score::Tally::of(
            &case.expected,
            &dyad,
            &events,
            |e| e.date.as_deref(),
            score::date_matches,
        );
        let places = score::Tally::of(
            &case.expected,
            &dyad,
            &events,
            |e| e.location.as_deref(),
            score::location_matches,
        );
        println!(
            "  dates right: {} of {} dated expected events",
            dates.right, dates.annotated
        );
        println!(
            "  locations right: {} of {} placed expected events",
            places.right, places.annotated
        );
        if !args.quiet {
            for line in dates.wrong.iter().chain(&places.wrong) {
                println!("    {line}");
            }
        }
        for (what, tally, min) in [
            ("dates", &dates, args.min_fixture_dates),
            ("locations", &places, args.min_fixture_locations),
        ] {
            if tally.right < min {
                failures.push(format!(
                    "{}: {} {what} right, below {min}",
                    path.display(),
                    tally.right
                ));
            }
        }
        let coded_found: Vec<_> = case
            .expected
            .iter()
            .zip(&dyad)
            .filter_map(|(e, m)| m.map(|i| (e, i)))
            .collect();
        let codes_right = coded_found
            .iter()
            .filter(|(e, i)| e.codes.is_empty() || e.codes.contains(&events[*i].cameo.code))
            .count();
        println!(
            "  full codes right: {codes_right} of {} found",
            coded_found.len()
        );
        let violations: Vec<&CodedEvent> = events
            .iter()
            .filter(|event| case.must_not.iter().any(|m| violates(m, event)))
            .collect();
        println!("  must_not codings: {}", violations.len());
        for event in &violations {
            println!("    FORBIDDEN {}", describe(event));
        }
        let found = totals[Level::Dyad as usize].found;
        if found < args.min_fixture_found {
            failures.push(format!(
                "{}: {found} expected events found at dyad level, below {}",
                path.display(),
                args.min_fixture_found
            ));
        }
        if !violations.is_empty() {
            failures.push(format!(
                "{}: {} must_not codings",
                path.display(),
                violations.len()
            ));
        }
    }

    if failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for failure in &failures {
            eprintln!("dyad eval: {failure}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Codes one text as `dyad extract --jsonl` does and returns its events in
/// proto3 JSON, the form the reference scorer reads.
fn predict(
    coder: &Coder,
    id: &str,
    text: &str,
    published: &str,
) -> anyhow::Result<Vec<serde_json::Value>> {
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
    Ok(match json["events"].take() {
        serde_json::Value::Array(events) => events,
        _ => Vec::new(),
    })
}

/// Scores every NAME.expected.toml of `dir` in the reference scorer's article mode.
fn score_articles(
    coder: &Coder,
    dir: &Path,
    json: bool,
) -> anyhow::Result<reference::ArticleScores> {
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

fn print_sentence_scores(title: &str, scores: &reference::SentenceScores, json: bool) {
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
fn list_sentences<'p>(
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
                    suffix(x["source_role"].as_str().unwrap_or("")),
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

fn code(coder: &Coder, case: &GoldCase) -> anyhow::Result<Vec<CodedEvent>> {
    let published = NaiveDate::parse_from_str(&case.published, "%Y-%m-%d").with_context(|| {
        format!(
            "{}: published {:?} is not YYYY-MM-DD",
            case.id, case.published
        )
    })?;
    Ok(coder.code(ArticleText {
        text: &case.text,
        published,
    }))
}

/// The level at which misses and false positives are listed, if they are.
fn listing(args: &EvalArgs) -> Option<Level> {
    (!args.quiet).then_some(args.list_at)
}

/// Scores every case (with the events coded from it) at every level, printing misses and false positives
/// at the `listed` level.
fn evaluate(
    cases: &[GoldCase],
    coded: &[Vec<CodedEvent>],
    check_roles: bool,
    listed: Option<Level>,
) -> [Counts; 3] {
    let mut totals = [Counts::default(); 3];
    for (case, events) in cases.iter().zip(coded) {
        for level in Level::ALL {
            let assignment = score::assign(level, &case.expected, events, check_roles);
            totals[level as usize].add(score::counts(&assignment, events.len()));
            if listed == Some(level) {
                for (expected, found) in case.expected.iter().zip(&assignment) {
                    if found.is_none() {
                        let text = if expected.text.is_empty() {
                            &case.text
                        } else {
                            &expected.text
                        };
                        println!(
                            "  MISS {} {}{} -> {}{} {:?}: {}",
                            if expected.label.is_empty() {
                                &case.id
                            } else {
                                &expected.label
                            },
                            expected.source,
                            suffix(&expected.source_role),
                            expected.target,
                            suffix(&expected.target_role),
                            expected.roots,
                            text
                        );
                    }
                }
                for (i, event) in events.iter().enumerate() {
                    if !assignment.contains(&Some(i)) {
                        println!("  FALSE {}", describe(event));
                    }
                }
            }
        }
    }
    totals
}

fn suffix(role: &str) -> String {
    if role.is_empty() {
        String::new()
    } else {
        format!("+{role}")
    }
}

fn violates(must_not: &gold::Expected, event: &CodedEvent) -> bool {
    score::matches(Level::Dyad, must_not, event, false)
        && must_not
            .date
            .as_deref()
            .is_none_or(|d| event.date.start.to_string().starts_with(d))
}

fn describe(event: &CodedEvent) -> String {
    format!(
        "{} {} -> {} [{} {:?}{}] {:?} ({}): {}",
        event.source.code(),
        event.cameo.code,
        event.target.as_ref().map_or("-".to_string(), |t| t.code()),
        event.date.start,
        event.date.precision,
        event
            .location
            .as_ref()
            .map_or(String::new(), |l| format!(" @{}", l.name)),
        event.modality,
        event.rule,
        event.sentence_text
    )
}

fn print_scores(title: &str, totals: &[Counts; 3]) {
    println!("{title}");
    println!(
        "  {:<12} {:>9} {:>9} {:>9} {:>8} {:>8}",
        "level", "precision", "recall", "F1", "found", "coded"
    );
    for level in Level::ALL {
        let c = totals[level as usize];
        println!(
            "  {:<12} {:>9.3} {:>9.3} {:>9.3} {:>4}/{:<3} {:>8}",
            level.name(),
            c.precision(),
            c.recall(),
            c.f1(),
            c.found,
            c.expected,
            c.coded
        );
    }
}
