//! `dyad tag --conllu FILE`: tags CoNLL-U with the coder's part-of-speech
//! tagger, writes it back with predicted UPOS, and reports accuracy against
//! the tags the file had.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use dyad_extract::tagger::{ConlluSentence, Tagger, Upos, parse_conllu, write_conllu};

/// Arguments of `dyad tag`.
#[derive(clap::Args)]
pub struct TagArgs {
    /// CoNLL-U file to tag (gold tokenisation); its UPOS column, where set, is the gold standard.
    #[arg(long)]
    conllu: PathBuf,
    /// A tagger model file (default: the one built into dyad).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Write the tagged CoNLL-U here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs `dyad tag`.
pub fn run(args: TagArgs) -> anyhow::Result<ExitCode> {
    let tagger = load_tagger(args.model.as_deref())?;
    let mut sentences = read_conllu(&args.conllu)?;
    let gold: Vec<Vec<Option<Upos>>> = sentences.iter().map(ConlluSentence::tags).collect();
    for sentence in &mut sentences {
        let tags = tagger.tag(&sentence.forms());
        sentence.set_tags(&tags);
    }
    let output = write_conllu(&sentences);
    match &args.out {
        Some(path) => std::fs::write(path, output)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(output.as_bytes())?,
    }
    let predicted: Vec<Vec<Upos>> = sentences
        .iter()
        .map(|s| s.tags().into_iter().map(|t| t.unwrap_or(Upos::X)).collect())
        .collect();
    let accuracy = Accuracy::of(&gold, &predicted);
    if accuracy.total > 0 {
        eprint!("{}", accuracy.report());
    }
    Ok(ExitCode::SUCCESS)
}

/// The built-in tagger, or the one in `model`.
pub fn load_tagger(model: Option<&Path>) -> anyhow::Result<Tagger> {
    match model {
        None => Ok(Tagger::builtin()),
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            Tagger::from_bytes(&bytes).with_context(|| path.display().to_string())
        }
    }
}

/// Reads and parses a CoNLL-U file.
pub fn read_conllu(path: &Path) -> anyhow::Result<Vec<ConlluSentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_conllu(&text).with_context(|| path.display().to_string())
}

/// UPOS accuracy overall and per gold tag.
pub struct Accuracy {
    /// Words with a gold tag.
    pub total: usize,
    /// Of them, tagged right.
    pub right: usize,
    per_tag: [(usize, usize, usize); Upos::COUNT],
}

impl Accuracy {
    /// Compares predicted tags with gold ones, sentence by sentence.
    pub fn of(gold: &[Vec<Option<Upos>>], predicted: &[Vec<Upos>]) -> Self {
        let mut accuracy = Self {
            total: 0,
            right: 0,
            per_tag: [(0, 0, 0); Upos::COUNT],
        };
        for (g, p) in gold.iter().zip(predicted) {
            for (g, &p) in g.iter().zip(p) {
                let Some(g) = *g else { continue };
                accuracy.total += 1;
                accuracy.per_tag[g as usize].0 += 1;
                accuracy.per_tag[p as usize].2 += 1;
                if g == p {
                    accuracy.right += 1;
                    accuracy.per_tag[g as usize].1 += 1;
                }
            }
        }
        accuracy
    }

    /// Overall accuracy.
    pub fn overall(&self) -> f64 {
        self.right as f64 / self.total.max(1) as f64
    }

    /// A table: overall accuracy, then recall, precision and F1 per gold tag.
    pub fn report(&self) -> String {
        let mut out = format!(
            "UPOS accuracy {:.4} ({} of {} words)\n{:<6} {:>7} {:>7} {:>7} {:>7}\n",
            self.overall(),
            self.right,
            self.total,
            "tag",
            "gold",
            "recall",
            "prec",
            "F1"
        );
        for tag in Upos::ALL {
            let (gold, right, predicted) = self.per_tag[tag as usize];
            if gold == 0 && predicted == 0 {
                continue;
            }
            let recall = right as f64 / gold.max(1) as f64;
            let precision = right as f64 / predicted.max(1) as f64;
            let f1 = if recall + precision > 0.0 {
                2.0 * recall * precision / (recall + precision)
            } else {
                0.0
            };
            out.push_str(&format!(
                "{:<6} {gold:>7} {recall:>7.4} {precision:>7.4} {f1:>7.4}\n",
                tag.as_str()
            ));
        }
        out
    }
}
