//! Dependency parsing: a greedy arc-standard transition parser scored by an
//! averaged perceptron, trained here on the UD English Web Treebank
//! (`dyad train parser`) over the coder's own tags, shipped as a data file.
//!
//! Parsing is linear in the sentence length: two moves per word, each
//! scored from a fixed set of hashed features. The coder reads the tree
//! for argument structure: who is the subject of an event verb, and what
//! hangs on what.

mod features;
mod model;
mod relation;
mod state;
mod train;

pub use relation::Relation;
pub use train::{AttachmentScores, ParserTrainOptions, ParserTrainReport, Tree, train};

use crate::{feature_weights::FeatureWeights, model_file::ModelError, tagger::Upos};
use features::Sentence;
use state::{Move, ROOT, State};

/// A word's place in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency {
    /// The head word's index in the sentence (`None` for the sentence's head).
    pub head: Option<usize>,
    /// How the word depends on its head.
    pub relation: Relation,
}

/// A trained parser: weights of hashed features, one sparse run of
/// (move index, weight) per feature.
#[derive(Debug, Clone)]
pub struct Parser {
    features: FeatureWeights<u8>,
}

/// The parser trained on UD English EWT, compiled into the library.
const BUILTIN_MODEL: &[u8] = include_bytes!("../../data/parser/en-ewt-arcs.model");

/// Longest sentence parsed (word indexes are 16 bits, one kept for the root).
pub const MAX_WORDS: usize = ROOT as usize;

impl Parser {
    /// The English parser shipped with the library.
    pub fn builtin() -> Self {
        Self::from_bytes(BUILTIN_MODEL).expect("the built-in parser model is valid (tested)")
    }

    /// Reads a model written by [`Parser::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        model::read(bytes)
    }

    /// The model in its file format: a text header (`header` lines), then
    /// the weights.
    pub fn to_bytes(&self, header: &str) -> Vec<u8> {
        model::write(self, header)
    }

    /// Number of weighted features in the model.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    /// Parses one sentence of words (as written) with their tags. A
    /// sentence longer than [`MAX_WORDS`] is left flat: every word a
    /// dependent of nothing, by [`Relation::Dep`].
    pub fn parse(&self, words: &[&str], tags: &[Upos]) -> Vec<Dependency> {
        if words.len() > MAX_WORDS || words.len() != tags.len() {
            return vec![
                Dependency {
                    head: None,
                    relation: Relation::Dep,
                };
                words.len()
            ];
        }
        let sentence = Sentence::new(words, tags);
        let mut state = State::new(sentence.len());
        while !state.is_final() {
            let scores = self.scores(&sentence, &state);
            state.apply(best_allowed(&state, &scores));
        }
        state
            .heads
            .iter()
            .zip(&state.relations)
            .map(|(head, &relation)| Dependency {
                head: head.filter(|&h| h != ROOT).map(usize::from),
                relation,
            })
            .collect()
    }

    fn scores(&self, sentence: &Sentence, state: &State) -> [f32; Move::COUNT] {
        let mut hashes = [0u32; features::COUNT];
        let mut n = 0;
        sentence.features(state, &mut |hash| {
            hashes[n] = hash;
            n += 1;
        });
        let mut scores = [0f32; Move::COUNT];
        self.features
            .add_each(&hashes[..n], |m, weight| scores[usize::from(m)] += weight);
        scores
    }
}

/// The best-scoring move `state` allows (ties: the lower index).
fn best_allowed(state: &State, scores: &[f32; Move::COUNT]) -> Move {
    let mut best: Option<(Move, f32)> = None;
    for (i, &score) in scores.iter().enumerate() {
        let m = Move::from_index(i).expect("every index below COUNT is a move");
        if state.allows(m) && best.is_none_or(|(_, s)| score > s) {
            best = Some((m, score));
        }
    }
    best.expect("a state that is not final allows a move").0
}

#[cfg(test)]
mod tests;
