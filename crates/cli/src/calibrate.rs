//! `dyad train confidence`: fits the coder's confidence model to events
//! the reference scorer judges right or wrong, and reports how well its
//! confidences hold on events it was not fitted on.

use std::{collections::HashMap, path::PathBuf, process::ExitCode};

use anyhow::Context;
use dyad_extract::confidence::{self, FEATURE_COUNT, FEATURES};

use crate::eval::labels::{self, Labelled};

/// Arguments of `dyad train confidence`.
#[derive(clap::Args)]
pub struct ConfidenceArgs {
    /// Gold sentences in the gold JSONL format: an event is right when it
    /// matches a gold event of its sentence at dyad level.
    #[arg(long = "gold")]
    gold: Vec<PathBuf>,
    /// Directories of annotated articles: an event is right when the
    /// strict scoring matches it.
    #[arg(long = "articles")]
    article_dirs: Vec<PathBuf>,
    /// Where to write the model (crates/extract/data/confidence/calibration.tsv).
    #[arg(long)]
    out: PathBuf,
    /// L2 penalty on the weights.
    #[arg(long, default_value_t = 2.0)]
    l2: f64,
    /// Folds of the cross-validation (texts are kept whole in one fold).
    #[arg(long, default_value_t = 5)]
    folds: usize,
}

/// Runs `dyad train confidence`.
pub fn run(args: ConfidenceArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        !args.gold.is_empty() || !args.article_dirs.is_empty(),
        "give --gold FILE.jsonl and/or --articles DIR"
    );
    anyhow::ensure!(args.folds >= 2, "--folds must be at least 2");
    let coder = dyad_ingest::load_coder(None).map_err(anyhow::Error::msg)?;
    let mut events: Vec<Labelled> = Vec::new();
    let mut sources = Vec::new();
    for path in &args.gold {
        let cases = crate::eval::read_gold(path)?;
        events.extend(labels::of_sentences(&coder, &cases)?);
        sources.push(file_name(path));
    }
    for dir in &args.article_dirs {
        events.extend(labels::of_articles(&coder, dir)?);
        sources.push(file_name(dir));
    }
    anyhow::ensure!(!events.is_empty(), "the gold data yielded no coded events");
    let samples: Vec<([f64; FEATURE_COUNT], bool)> =
        events.iter().map(|e| (e.features, e.right)).collect();

    // Cross-validation: each text's events in one fold, folds dealt in turn.
    let mut fold_of: HashMap<&str, usize> = HashMap::new();
    for event in &events {
        let next = fold_of.len() % args.folds;
        fold_of.entry(event.text_id.as_str()).or_insert(next);
    }
    let mut held_out = vec![0.0; events.len()];
    for fold in 0..args.folds {
        let in_fold = |i: usize| fold_of[events[i].text_id.as_str()] == fold;
        let training: Vec<_> = (0..events.len())
            .filter(|&i| !in_fold(i))
            .map(|i| samples[i])
            .collect();
        let model = confidence::fit(&training, args.l2);
        for i in (0..events.len()).filter(|&i| in_fold(i)) {
            held_out[i] = model.probability(&samples[i].0);
        }
    }
    let model = confidence::fit(&samples, args.l2);
    let right = events.iter().filter(|e| e.right).count();
    let pairs = |p: &dyn Fn(usize) -> f64| -> Vec<(f64, bool)> {
        (0..events.len()).map(|i| (p(i), events[i].right)).collect()
    };
    let before = pairs(&|i| events[i].confidence);
    let cross = pairs(&|i| held_out[i]);
    let fitted = pairs(&|i| model.probability(&samples[i].0));
    eprintln!(
        "{} events ({right} right) from {}",
        events.len(),
        sources.join(", ")
    );
    eprintln!(
        "confidence of the coder as built:\n{}",
        labels::reliability(&before)
    );
    eprintln!(
        "new model, {}-fold cross-validated (each event scored by a model fitted without its text):\n{}",
        args.folds,
        labels::reliability(&cross)
    );
    eprintln!(
        "new model on the events it was fitted on:\n{}",
        labels::reliability(&fitted)
    );
    eprintln!("weights:");
    for (name, weight) in FEATURES.iter().zip(model.weights()) {
        eprintln!("  {name:<20} {weight:>8.3}");
    }
    let header = format!(
        "The coder's confidence model: logistic regression over the inputs of\n\
         dyad_extract::confidence::FEATURES, fitted by `dyad train confidence` (L2 {}) on\n\
         {} events ({} right) coded from: {}.\n\
         Right means: matched by the reference scorer (dyad level for gold sentences, strict for articles).",
        args.l2,
        events.len(),
        right,
        sources.join(", ")
    );
    std::fs::write(&args.out, model.to_tsv(&header))
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
