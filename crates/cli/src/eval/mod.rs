//! `dyad eval`: scores the coder against gold data.

mod gold;
pub mod labels;
mod reference;
mod reported;
mod score;

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use chrono::NaiveDate;
use dyad_extract::{ArticleText, CodedEvent, Coder};

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
    /// Fail unless the gold precision at dyad level reaches this.
    #[arg(long, default_value_t = 0.0)]
    min_dyad_precision: f64,
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

/// Prints how often the events of the gold sentences and articles are
/// right at each confidence: whether the confidence is calibrated.
fn print_reliability(coder: &Coder, args: &EvalArgs) -> anyhow::Result<()> {
    let mut events = Vec::new();
    for path in &args.gold {
        events.extend(labels::of_sentences(
            coder,
            &gold::read_jsonl_values(path)?,
        )?);
    }
    for dir in &args.article_dirs {
        events.extend(labels::of_articles(coder, dir)?);
    }
    if !events.is_empty() {
        let pairs: Vec<(f64, bool)> = events.iter().map(|e| (e.confidence, e.right)).collect();
        println!(
            "confidence reliability (events of the gold sentences at dyad level and of the articles, strict)\n{}",
            labels::reliability(&pairs).trim_end()
        );
    }
    Ok(())
}

/// Reads gold sentences (gold JSONL objects).
pub fn read_gold(path: &std::path::Path) -> anyhow::Result<Vec<serde_json::Value>> {
    gold::read_jsonl_values(path)
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
            let events = reported::predict(
                &coder,
                &id,
                case["text"].as_str().unwrap_or_default(),
                case["published"].as_str().unwrap_or_default(),
            )?;
            predicted.insert(id, events);
        }
        let events_of = |id: &str| predicted.get(id).map_or(&[][..], Vec::as_slice);
        let scores = reference::sentences(&cases, events_of);
        reported::print_sentence_scores(
            &format!("{} ({} sentences)", path.display(), cases.len()),
            &scores,
            args.json,
        );
        if let Some(level) = listing(&args) {
            reported::list_sentences(&cases, events_of, level as usize);
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
        let precision = scores.levels[Level::Dyad as usize].precision;
        if precision < args.min_dyad_precision {
            failures.push(format!(
                "{}: dyad precision {precision:.3} is below {}",
                path.display(),
                args.min_dyad_precision
            ));
        }
    }

    for dir in &args.article_dirs {
        let scores = reported::score_articles(&coder, dir, args.json)?;
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

    print_reliability(&coder, &args)?;

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
