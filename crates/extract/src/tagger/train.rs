//! Training: the averaged perceptron (Collins 2002) over greedy left-to-right
//! decoding, with the tags the model itself predicted as left context
//! (Honnibal's recipe), and a dictionary of frequent unambiguous words.

use rustc_hash::FxHashMap;

use crate::feature_weights::FeatureWeights;

use super::{
    ConlluSentence, Tagger, Upos,
    features::{Context, Lexicon},
};

/// How a tagger is trained.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training sentences.
    pub iterations: usize,
    /// Seed of the order in which sentences are visited in each pass.
    pub seed: u64,
    /// Words seen at least this often with one tag nearly always
    /// ([`TrainOptions::dictionary_purity`]) skip the model.
    pub dictionary_min_count: usize,
    /// Share of a word's occurrences its one tag must have.
    pub dictionary_purity: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            iterations: 10,
            seed: 1,
            dictionary_min_count: 20,
            dictionary_purity: 0.97,
        }
    }
}

/// What training saw and reached.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Tagged words in the training sentences.
    pub tokens: usize,
    /// Accuracy on the training sentences during each pass (before averaging).
    pub pass_accuracy: Vec<f64>,
    /// Words in the tag dictionary.
    pub dictionary_words: usize,
}

/// One feature's weights while training: current, summed over time, and
/// when each was last changed (for lazy averaging).
#[derive(Clone)]
struct Weights {
    current: [f32; Upos::COUNT],
    total: [f64; Upos::COUNT],
    stamp: [u64; Upos::COUNT],
}

/// Trains a tagger on sentences with gold UPOS tags. Deterministic for a
/// given `options.seed`. Words without a gold tag are skipped in updates.
pub fn train(sentences: &[ConlluSentence], options: &TrainOptions) -> (Tagger, TrainReport) {
    let tagged: Vec<(Vec<&str>, Vec<Option<Upos>>)> =
        sentences.iter().map(|s| (s.forms(), s.tags())).collect();
    let (tag_dictionary, lexicon) = dictionaries(&tagged, options);
    let mut index: FxHashMap<u32, usize> = FxHashMap::default();
    let mut weights: Vec<Weights> = Vec::new();
    let mut clock: u64 = 0;
    let mut order: Vec<usize> = (0..tagged.len()).collect();
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut pass_accuracy = Vec::new();
    let mut features = Vec::new();
    let tokens = tagged.iter().map(|(w, _)| w.len()).sum();
    for _ in 0..options.iterations {
        rng.shuffle(&mut order);
        let (mut right, mut seen) = (0usize, 0usize);
        for &s in &order {
            let (words, gold) = &tagged[s];
            let context = Context::new(words, &lexicon);
            let mut tags = Vec::with_capacity(words.len());
            for i in 0..words.len() {
                if let Some(&tag) = tag_dictionary.get(words[i]) {
                    tags.push(tag);
                    continue;
                }
                features.clear();
                context.features(i, &tags, &mut features);
                let mut scores = [0f32; Upos::COUNT];
                for f in &features {
                    if let Some(&k) = index.get(f) {
                        for (score, w) in scores.iter_mut().zip(&weights[k].current) {
                            *score += w;
                        }
                    }
                }
                let guess = Upos::best(&scores);
                clock += 1;
                if let Some(truth) = gold[i] {
                    seen += 1;
                    if truth == guess {
                        right += 1;
                    } else {
                        for &f in &features {
                            let k = *index.entry(f).or_insert_with(|| {
                                weights.push(Weights {
                                    current: [0.0; Upos::COUNT],
                                    total: [0.0; Upos::COUNT],
                                    stamp: [0; Upos::COUNT],
                                });
                                weights.len() - 1
                            });
                            let w = &mut weights[k];
                            update(w, truth as usize, 1.0, clock);
                            update(w, guess as usize, -1.0, clock);
                        }
                    }
                }
                // Left context is what the model predicted, as at tagging time.
                tags.push(guess);
            }
        }
        pass_accuracy.push(right as f64 / seen.max(1) as f64);
    }
    let averaged = index.into_iter().map(|(hash, k)| {
        let w = &weights[k];
        let mut mean = [0f32; Upos::COUNT];
        for (t, mean) in mean.iter_mut().enumerate() {
            let total = w.total[t] + (clock - w.stamp[t]) as f64 * f64::from(w.current[t]);
            *mean = (total / clock.max(1) as f64) as f32;
        }
        (hash, mean)
    });
    let tagger = Tagger::from_dense(averaged, tag_dictionary, lexicon);
    let report = TrainReport {
        tokens,
        pass_accuracy,
        dictionary_words: tagger.tag_dictionary.len(),
    };
    (tagger, report)
}

fn update(w: &mut Weights, tag: usize, delta: f32, clock: u64) {
    w.total[tag] += (clock - w.stamp[tag]) as f64 * f64::from(w.current[tag]);
    w.stamp[tag] = clock;
    w.current[tag] += delta;
}

/// Words (as written) frequent enough and unambiguous enough to be tagged by lookup,
/// and the lexicon of ambiguity classes: the tags of each word seen more
/// than once (words seen once stand in for the unknown words of new text).
fn dictionaries(
    tagged: &[(Vec<&str>, Vec<Option<Upos>>)],
    options: &TrainOptions,
) -> (FxHashMap<Box<str>, Upos>, Lexicon) {
    let mut counts: FxHashMap<Box<str>, [usize; Upos::COUNT]> = FxHashMap::default();
    let mut written: FxHashMap<&str, [usize; Upos::COUNT]> = FxHashMap::default();
    for (words, tags) in tagged {
        let context = Context::new(words, &Lexicon::default());
        for (i, tag) in tags.iter().enumerate() {
            if let Some(tag) = tag {
                counts.entry(context.lower(i).into()).or_default()[*tag as usize] += 1;
                written.entry(words[i]).or_default()[*tag as usize] += 1;
            }
        }
    }
    let dictionary = written
        .into_iter()
        .filter_map(|(word, counts)| {
            let (best, share) = majority(&counts)?;
            (counts.iter().sum::<usize>() >= options.dictionary_min_count
                && share >= options.dictionary_purity)
                .then(|| (word.into(), best))
        })
        .collect();
    let mut lexicon = Lexicon::default();
    for (word, counts) in counts {
        let total: usize = counts.iter().sum();
        if total < 2 {
            continue;
        }
        let classes = counts
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0 && c * 100 >= total)
            .fold(0u32, |mask, (t, _)| mask | 1 << t);
        lexicon.insert(word, classes);
    }
    (dictionary, lexicon)
}

/// A word's most frequent tag and its share of the word's occurrences.
fn majority(counts: &[usize; Upos::COUNT]) -> Option<(Upos, f64)> {
    let total: usize = counts.iter().sum();
    let (best, &n) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
    (total > 0).then(|| (Upos::ALL[best], n as f64 / total as f64))
}

impl Tagger {
    /// A tagger from dense averaged weights; zero weights are dropped.
    fn from_dense(
        dense: impl Iterator<Item = (u32, [f32; Upos::COUNT])>,
        tag_dictionary: FxHashMap<Box<str>, Upos>,
        lexicon: Lexicon,
    ) -> Self {
        let mut dense: Vec<_> = dense.collect();
        dense.sort_unstable_by_key(|(hash, _)| *hash);
        let mut runs = Vec::new();
        let mut weights = Vec::new();
        for (hash, row) in dense {
            let start = weights.len();
            weights.extend(
                row.iter()
                    .enumerate()
                    .filter(|(_, w)| **w != 0.0)
                    .map(|(t, w)| (Upos::ALL[t], *w)),
            );
            runs.push((hash, start as u32, (weights.len() - start) as u8));
        }
        Self::new(
            FeatureWeights::quantised(&runs, &weights),
            tag_dictionary,
            lexicon,
        )
    }
}
