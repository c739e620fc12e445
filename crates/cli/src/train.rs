//! `dyad train`: builds the coder's trained data files — the
//! part-of-speech tagger, the dependency parser, the confidence model, the
//! WordNet-widened action patterns.

use std::{path::PathBuf, process::ExitCode, time::Instant};

use anyhow::Context;
use dyad_extract::tagger::{ConlluSentence, TrainOptions, Upos, train};

use crate::tag::{Accuracy, read_conllu};

/// Arguments of `dyad train`.
#[derive(clap::Args)]
pub struct TrainArgs {
    #[command(subcommand)]
    what: TrainCommand,
}

#[derive(clap::Subcommand)]
enum TrainCommand {
    /// Train the part-of-speech tagger (averaged perceptron) on a treebank.
    Tagger(TaggerArgs),
    /// Train the dependency parser (arc-standard, averaged perceptron) on a treebank.
    Parser(crate::train_parser::ParserArgs),
    /// Fit the confidence model to coded events judged against gold data.
    Confidence(crate::calibrate::ConfidenceArgs),
    /// Widen the action patterns through WordNet 3.0 (synonyms, troponyms, act nouns).
    Lexicon(crate::widen::LexiconArgs),
}

/// Where a model trained on a treebank learns, is checked and is written.
#[derive(clap::Args)]
pub struct TreebankPaths {
    /// Training sentences, CoNLL-U with the gold annotation (e.g. en_ewt-ud-train.conllu).
    #[arg(long)]
    pub train: PathBuf,
    /// Held-out sentences to report accuracy on after training (e.g. en_ewt-ud-dev.conllu).
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(clap::Args)]
struct TaggerArgs {
    #[command(flatten)]
    paths: TreebankPaths,
    /// Passes over the training data.
    #[arg(long, default_value_t = TrainOptions::default().iterations)]
    iterations: usize,
    /// Seed of the sentence order (training is deterministic given it).
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
    /// Text for the model file's header: where the data came from and its licence.
    #[arg(
        long,
        default_value = "Trained on the Universal Dependencies English Web Treebank (UD_English-EWT), \
                         by `dyad train tagger`.\nLicence of this model: CC BY-SA 4.0, as the treebank \
                         (https://creativecommons.org/licenses/by-sa/4.0/)."
    )]
    header: String,
}

/// Runs `dyad train`.
pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        TrainCommand::Tagger(args) => train_tagger(args),
        TrainCommand::Parser(args) => crate::train_parser::run(args),
        TrainCommand::Confidence(args) => crate::calibrate::run(args),
        TrainCommand::Lexicon(args) => crate::widen::run(args),
    }
}

/// Each training pass's accuracy, to four places.
pub fn passes(accuracy: &[f64]) -> String {
    accuracy
        .iter()
        .map(|a| format!("{a:.4}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn train_tagger(args: TaggerArgs) -> anyhow::Result<ExitCode> {
    let sentences = read_conllu(&args.paths.train)?;
    let options = TrainOptions {
        iterations: args.iterations,
        seed: args.seed,
        ..TrainOptions::default()
    };
    let started = Instant::now();
    let (tagger, report) = train(&sentences, &options);
    eprintln!(
        "trained on {} sentences, {} words, in {:.1} s; passes: {}",
        sentences.len(),
        report.tokens,
        started.elapsed().as_secs_f64(),
        passes(&report.pass_accuracy)
    );
    let file_name = |p: &PathBuf| {
        p.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let header = format!(
        "{}\nTraining data: {} ({} sentences, {} words); {} passes, seed {}.",
        args.header,
        file_name(&args.paths.train),
        sentences.len(),
        report.tokens,
        args.iterations,
        args.seed
    );
    let bytes = tagger.to_bytes(&header);
    std::fs::write(&args.paths.out, &bytes)
        .with_context(|| format!("cannot write {}", args.paths.out.display()))?;
    // Report on the model as written: the file's quantised weights are what ships.
    let written = dyad_extract::tagger::Tagger::from_bytes(&bytes)?;
    eprintln!(
        "wrote {} ({:.1} MB, {} features, {} dictionary words)",
        args.paths.out.display(),
        bytes.len() as f64 / 1e6,
        written.feature_count(),
        report.dictionary_words
    );
    if let Some(dev) = &args.paths.dev {
        let dev = read_conllu(dev)?;
        let gold: Vec<Vec<Option<Upos>>> = dev.iter().map(ConlluSentence::tags).collect();
        let predicted: Vec<Vec<Upos>> = dev.iter().map(|s| written.tag(&s.forms())).collect();
        eprint!("{}", Accuracy::of(&gold, &predicted).report());
    }
    Ok(ExitCode::SUCCESS)
}
