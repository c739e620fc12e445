//! `dyad train parser`: trains the dependency parser on a treebank, over
//! the tags the coder's own tagger gives (as at coding time), and reports
//! its attachment scores on held-out sentences.

use std::{process::ExitCode, time::Instant};

use anyhow::Context;
use dyad_extract::{
    parser::{self, Parser, ParserTrainOptions, Relation, Tree},
    tagger::{ConlluSentence, Tagger},
};

use crate::{
    tag::read_conllu,
    train::{TreebankPaths, passes},
};

/// Arguments of `dyad train parser`.
#[derive(clap::Args)]
pub struct ParserArgs {
    #[command(flatten)]
    paths: TreebankPaths,
    /// Passes over the training data.
    #[arg(long, default_value_t = ParserTrainOptions::default().iterations)]
    iterations: usize,
    /// Seed of the sentence order (training is deterministic given it).
    #[arg(long, default_value_t = ParserTrainOptions::default().seed)]
    seed: u64,
    /// Text for the model file's header: where the data came from and its licence.
    #[arg(
        long,
        default_value = "Trained on the Universal Dependencies English Web Treebank (UD_English-EWT), \
                         by `dyad train parser`, over the tags of the shipped tagger.\nLicence of this \
                         model: CC BY-SA 4.0, as the treebank (https://creativecommons.org/licenses/by-sa/4.0/)."
    )]
    header: String,
}

/// The sentences of a treebank as trees, tagged by `tagger`.
fn trees<'s>(sentences: &'s [ConlluSentence], tagger: &Tagger) -> Vec<Tree<'s>> {
    sentences
        .iter()
        .map(|s| {
            let words = s.forms();
            let tags = tagger.tag(&words);
            Tree {
                words,
                tags,
                heads: s.heads(),
                relations: s.relations().into_iter().map(Relation::from_ud).collect(),
            }
        })
        .collect()
}

/// Runs `dyad train parser`.
pub fn run(args: ParserArgs) -> anyhow::Result<ExitCode> {
    let tagger = Tagger::builtin();
    let sentences = read_conllu(&args.paths.train)?;
    let training = trees(&sentences, &tagger);
    let options = ParserTrainOptions {
        iterations: args.iterations,
        seed: args.seed,
    };
    let started = Instant::now();
    let (parser, report) = parser::train(&training, &options);
    eprintln!(
        "trained on {} sentences ({} not projective, left out) in {:.1} s; passes: {}",
        report.sentences,
        report.skipped,
        started.elapsed().as_secs_f64(),
        passes(&report.pass_accuracy)
    );
    let file_name = args
        .paths
        .train
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let header = format!(
        "{}\nTraining data: {file_name} ({} sentences used); {} passes, seed {}.",
        args.header, report.sentences, args.iterations, args.seed
    );
    let bytes = parser.to_bytes(&header);
    std::fs::write(&args.paths.out, &bytes)
        .with_context(|| format!("cannot write {}", args.paths.out.display()))?;
    // Report on the model as written: the file's quantised weights are what ships.
    let written = Parser::from_bytes(&bytes)?;
    eprintln!(
        "wrote {} ({:.1} MB, {} features)",
        args.paths.out.display(),
        bytes.len() as f64 / 1e6,
        written.feature_count()
    );
    if let Some(dev) = &args.paths.dev {
        let dev = read_conllu(dev)?;
        let scores = written.attachment_scores(&trees(&dev, &tagger));
        eprintln!(
            "{}: UAS {:.4}, LAS {:.4} over {} words (punctuation left out)",
            args.paths
                .dev
                .as_ref()
                .map_or_else(String::new, |p| p.display().to_string()),
            scores.unlabelled,
            scores.labelled,
            scores.words
        );
    }
    Ok(ExitCode::SUCCESS)
}
