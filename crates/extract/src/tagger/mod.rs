//! Part-of-speech tagging: a greedy averaged-perceptron tagger over
//! Universal Dependencies tags (UPOS), trained here on the UD English Web
//! Treebank (`dyad train tagger`), shipped as a data file.
//!
//! Tagging is linear in the sentence length: per token a fixed set of
//! hashed context features is looked up and summed; frequent words whose
//! tag never varies in training skip the features altogether.

mod conllu;
mod features;
mod model;
mod train;
mod upos;

pub use crate::model_file::ModelError;
pub use conllu::{ConlluSentence, parse_conllu, write_conllu};
pub use train::{TrainOptions, TrainReport, train};
pub use upos::Upos;

use rustc_hash::FxHashMap;

use features::{Context, FeatureSink, Lexicon};

/// A trained tagger: weights of hashed features and a dictionary of
/// unambiguous frequent words.
#[derive(Debug, Clone)]
pub struct Tagger {
    /// Feature hash → range into `weights`.
    features: FxHashMap<u32, (u32, u8)>,
    /// Sparse weights: (tag, weight) runs, one run per feature.
    weights: Vec<(Upos, f32)>,
    /// Words, as written, that always take one tag.
    tag_dictionary: FxHashMap<Box<str>, Upos>,
    /// Lower-cased words seen more than once in training, with their tags.
    lexicon: Lexicon,
    /// Summed weights of the word features of frequent forms as written
    /// (each lexicon word, lower-case and capitalised): most tokens need
    /// only their context features looked up.
    word_scores: FxHashMap<Box<str>, Scores>,
}

/// One score per tag.
type Scores = [f32; Upos::COUNT];

/// The tagger trained on UD English EWT, compiled into the library.
const BUILTIN_MODEL: &[u8] = include_bytes!("../../data/tagger/en-ewt-upos.model");

impl Tagger {
    /// A tagger from its weights, dictionary and lexicon, with the word
    /// scores of the lexicon's words precomputed.
    fn new(
        features: FxHashMap<u32, (u32, u8)>,
        weights: Vec<(Upos, f32)>,
        tag_dictionary: FxHashMap<Box<str>, Upos>,
        lexicon: Lexicon,
    ) -> Self {
        let mut tagger = Self {
            features,
            weights,
            tag_dictionary,
            lexicon,
            word_scores: FxHashMap::default(),
        };
        let forms: Vec<String> = tagger
            .lexicon
            .keys()
            .filter(|word| !word.starts_with('!'))
            .flat_map(|word| [word.to_string(), capitalised(word)])
            .filter(|form| !tagger.tag_dictionary.contains_key(form.as_str()))
            .collect();
        let word_scores = forms
            .into_iter()
            .map(|form| {
                let words = [form.as_str()];
                let scores = tagger.word_scores_of(&Context::new(&words, &tagger.lexicon), 0);
                (form.into_boxed_str(), scores)
            })
            .collect();
        tagger.word_scores = word_scores;
        tagger
    }

    /// The summed weights of word `i`'s word features.
    fn word_scores_of(&self, context: &Context, i: usize) -> Scores {
        let mut scores = [0f32; Upos::COUNT];
        context.word_features(
            i,
            &mut ScoreSink {
                tagger: self,
                scores: &mut scores,
            },
        );
        scores
    }

    /// The English tagger shipped with the library.
    pub fn builtin() -> Self {
        Self::from_bytes(BUILTIN_MODEL).expect("the built-in tagger model is valid (tested)")
    }

    /// Reads a model written by [`Tagger::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        model::read(bytes)
    }

    /// The model in its file format: a text header (`header` lines, e.g.
    /// provenance and licence), then the weights.
    pub fn to_bytes(&self, header: &str) -> Vec<u8> {
        model::write(self, header)
    }

    /// Tags one sentence of words as written (capitals kept).
    pub fn tag(&self, words: &[&str]) -> Vec<Upos> {
        let context = Context::new(words, &self.lexicon);
        let mut tags = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let tag = match self.tag_dictionary.get(*word) {
                Some(&tag) => tag,
                None => {
                    let mut scores = match self.word_scores.get(*word) {
                        Some(scores) => *scores,
                        None => self.word_scores_of(&context, i),
                    };
                    let mut sink = ScoreSink {
                        tagger: self,
                        scores: &mut scores,
                    };
                    context.context_features(i, &tags, &mut sink);
                    Upos::best(&scores)
                }
            };
            tags.push(tag);
        }
        tags
    }

    /// Number of weighted features in the model.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }
}

/// Adds the weights of each feature to the per-tag scores.
struct ScoreSink<'t> {
    tagger: &'t Tagger,
    scores: &'t mut Scores,
}

/// `word` with its first letter upper-cased ("moscow" → "Moscow").
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl FeatureSink for ScoreSink<'_> {
    fn feature(&mut self, hash: u32) {
        if let Some(&(start, len)) = self.tagger.features.get(&hash) {
            let run = &self.tagger.weights[start as usize..start as usize + len as usize];
            for &(tag, weight) in run {
                self.scores[tag as usize] += weight;
            }
        }
    }
}

#[cfg(test)]
mod tests;
