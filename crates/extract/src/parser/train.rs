//! Training: the averaged perceptron (Collins 2002) over the static
//! oracle's moves, with greedy decoding as at parsing time; sentences whose
//! tree crosses itself (non-projective) are left out.

use rustc_hash::FxHashMap;

use super::{
    Parser, Relation,
    features::Sentence,
    state::{Move, State},
};
use crate::{feature_weights::FeatureWeights, tagger::Upos};

/// A treebank sentence: words as written, the tags the parser will see,
/// and the gold tree.
#[derive(Debug, Clone)]
pub struct Tree<'w> {
    /// Words as written.
    pub words: Vec<&'w str>,
    /// Their tags (the tagger's, as at parsing time).
    pub tags: Vec<Upos>,
    /// Each word's head (`None` for the root).
    pub heads: Vec<Option<usize>>,
    /// Each word's relation to its head.
    pub relations: Vec<Relation>,
}

/// How a parser is trained.
#[derive(Debug, Clone)]
pub struct ParserTrainOptions {
    /// Passes over the training sentences.
    pub iterations: usize,
    /// Seed of the order in which sentences are visited in each pass.
    pub seed: u64,
}

impl Default for ParserTrainOptions {
    fn default() -> Self {
        Self {
            iterations: 8,
            seed: 1,
        }
    }
}

/// What training saw and reached.
#[derive(Debug, Clone)]
pub struct ParserTrainReport {
    /// Sentences trained on.
    pub sentences: usize,
    /// Sentences left out: not projective, or too long.
    pub skipped: usize,
    /// Share of moves predicted right in each pass (before averaging).
    pub pass_accuracy: Vec<f64>,
}

/// Unlabelled and labelled attachment scores, punctuation left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttachmentScores {
    /// Words scored.
    pub words: usize,
    /// Share with the right head.
    pub unlabelled: f64,
    /// Share with the right head and relation.
    pub labelled: f64,
}

/// Perceptron weights while training: current, summed over time, and when
/// each was last changed (for lazy averaging), one row per feature.
#[derive(Default)]
struct Weights {
    rows: FxHashMap<u32, usize>,
    current: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u64>,
}

impl Weights {
    fn scores(&self, features: &[u32]) -> [f32; Move::COUNT] {
        let mut scores = [0f32; Move::COUNT];
        for f in features {
            if let Some(&row) = self.rows.get(f) {
                let run = &self.current[row * Move::COUNT..(row + 1) * Move::COUNT];
                for (score, w) in scores.iter_mut().zip(run) {
                    *score += w;
                }
            }
        }
        scores
    }

    fn update(&mut self, features: &[u32], m: usize, delta: f32, clock: u64) {
        for &f in features {
            let rows = self.rows.len();
            let row = *self.rows.entry(f).or_insert(rows);
            if row == rows {
                self.current.extend([0.0; Move::COUNT]);
                self.total.extend([0.0; Move::COUNT]);
                self.stamp.extend([0; Move::COUNT]);
            }
            let k = row * Move::COUNT + m;
            self.total[k] += (clock - self.stamp[k]) as f64 * f64::from(self.current[k]);
            self.stamp[k] = clock;
            self.current[k] += delta;
        }
    }

    /// The averaged weights as a parser; zero weights are dropped.
    fn averaged(self, clock: u64) -> Parser {
        let mut rows: Vec<(u32, usize)> = self.rows.into_iter().collect();
        rows.sort_unstable();
        let mut runs = Vec::new();
        let mut weights = Vec::new();
        for (hash, row) in rows {
            let start = weights.len();
            for m in 0..Move::COUNT {
                let k = row * Move::COUNT + m;
                let total =
                    self.total[k] + (clock - self.stamp[k]) as f64 * f64::from(self.current[k]);
                let mean = (total / clock.max(1) as f64) as f32;
                if mean != 0.0 {
                    weights.push((m as u8, mean));
                }
            }
            runs.push((hash, start as u32, (weights.len() - start) as u8));
        }
        Parser {
            features: FeatureWeights::quantised(&runs, &weights),
        }
    }
}

/// The oracle's moves for `tree`, or `None` where it is not projective.
fn oracle_moves(tree: &Tree) -> Option<Vec<Move>> {
    if tree.words.len() > super::MAX_WORDS {
        return None;
    }
    let mut dependents = vec![0usize; tree.words.len()];
    for head in tree.heads.iter().flatten() {
        dependents[*head] += 1;
    }
    let mut state = State::new(tree.words.len());
    let mut moves = Vec::new();
    while !state.is_final() {
        let m = state.oracle(&tree.heads, &tree.relations, &dependents)?;
        state.apply(m);
        moves.push(m);
    }
    Some(moves)
}

/// Trains a parser on gold trees. Deterministic for a given `options.seed`.
pub fn train(trees: &[Tree], options: &ParserTrainOptions) -> (Parser, ParserTrainReport) {
    let usable: Vec<(Sentence, Vec<Move>)> = trees
        .iter()
        .filter_map(|tree| {
            oracle_moves(tree).map(|moves| (Sentence::new(&tree.words, &tree.tags), moves))
        })
        .collect();
    let mut weights = Weights::default();
    let mut clock = 0u64;
    let mut order: Vec<usize> = (0..usable.len()).collect();
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut pass_accuracy = Vec::new();
    let mut features = Vec::new();
    for _ in 0..options.iterations {
        rng.shuffle(&mut order);
        let (mut right, mut seen) = (0usize, 0usize);
        for &s in &order {
            let (sentence, moves) = &usable[s];
            let mut state = State::new(sentence.len());
            for &gold in moves {
                features.clear();
                sentence.features(&state, &mut |hash| features.push(hash));
                let guess = super::best_allowed(&state, &weights.scores(&features));
                clock += 1;
                seen += 1;
                if guess == gold {
                    right += 1;
                } else {
                    weights.update(&features, gold.index(), 1.0, clock);
                    weights.update(&features, guess.index(), -1.0, clock);
                }
                state.apply(gold);
            }
        }
        pass_accuracy.push(right as f64 / seen.max(1) as f64);
    }
    let report = ParserTrainReport {
        sentences: usable.len(),
        skipped: trees.len() - usable.len(),
        pass_accuracy,
    };
    (weights.averaged(clock), report)
}

impl Parser {
    /// Attachment scores against gold trees (punctuation left out, as is usual).
    pub fn attachment_scores(&self, trees: &[Tree]) -> AttachmentScores {
        let (mut words, mut heads, mut labelled) = (0usize, 0usize, 0usize);
        for tree in trees {
            let parsed = self.parse(&tree.words, &tree.tags);
            for (i, dependency) in parsed.iter().enumerate() {
                if tree.relations[i] == Relation::Punct {
                    continue;
                }
                words += 1;
                if dependency.head == tree.heads[i] {
                    heads += 1;
                    labelled += usize::from(dependency.relation == tree.relations[i]);
                }
            }
        }
        let share = |n: usize| n as f64 / words.max(1) as f64;
        AttachmentScores {
            words,
            unlabelled: share(heads),
            labelled: share(labelled),
        }
    }
}
