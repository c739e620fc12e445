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

use crate::feature_weights::FeatureWeights;

use features::{Context, Lexicon, Neighbour, Reach};

/// A trained tagger: weights of hashed features and a dictionary of
/// unambiguous frequent words, with the weights that do not depend on the
/// tags being chosen summed ahead of time.
#[derive(Debug, Clone)]
pub struct Tagger {
    /// Sparse weights: a (tag, weight) run per feature hash.
    features: FeatureWeights<Upos>,
    /// Words, as written, that always take one tag.
    tag_dictionary: FxHashMap<Box<str>, Upos>,
    /// Lower-cased words seen more than once in training, with their tags.
    lexicon: Lexicon,
    /// Frequent forms as written (each lexicon word, lower-case and
    /// capitalised, and each dictionary word) with their summed weights:
    /// a sentence of such words needs only its joint features looked up.
    forms: FxHashMap<Box<str>, Form>,
    /// Summed weights of each neighbour's features where the neighbour
    /// lies outside the sentence, in [`Neighbour::ALL`] order.
    outside: [Scores; 4],
    /// Summed weights of the features of the two tags before, by
    /// [`tag_pair`].
    tag_pairs: Vec<Scores>,
}

/// What is known of a frequent form before any sentence is read.
#[derive(Debug, Clone)]
struct Form {
    /// The tag the dictionary fixes, if it does.
    tag: Option<Upos>,
    /// Summed weights of its word features (unused when the tag is fixed).
    own: Scores,
    /// Summed weights of the features that look at it as a token's
    /// neighbour, in [`Neighbour::ALL`] order.
    around: [Scores; 4],
}

/// One score per tag.
type Scores = [f32; Upos::COUNT];

/// The tagger trained on UD English EWT, compiled into the library.
const BUILTIN_MODEL: &[u8] = include_bytes!("../../data/tagger/en-ewt-upos.model");

/// A stand-in word for the positions a precomputed feature does not read.
const FILLER: &str = "-";

impl Tagger {
    /// A tagger from its weights, dictionary and lexicon, with the
    /// tag-independent sums precomputed.
    fn new(
        features: FeatureWeights<Upos>,
        tag_dictionary: FxHashMap<Box<str>, Upos>,
        lexicon: Lexicon,
    ) -> Self {
        let mut tagger = Self {
            features,
            tag_dictionary,
            lexicon,
            forms: FxHashMap::default(),
            outside: [[0.0; Upos::COUNT]; 4],
            tag_pairs: Vec::new(),
        };
        let mut forms: Vec<String> = tagger
            .lexicon
            .keys()
            .filter(|word| !word.starts_with('!'))
            .flat_map(|word| [word.to_string(), capitalised(word)])
            .chain(tagger.tag_dictionary.keys().map(|word| word.to_string()))
            .collect();
        forms.sort_unstable();
        forms.dedup();
        tagger.forms = forms
            .into_iter()
            .map(|form| {
                let known = tagger.form(&form);
                (form.into_boxed_str(), known)
            })
            .collect();
        let alone = [FILLER];
        let alone = Context::new(&alone, &tagger.lexicon);
        tagger.outside =
            Neighbour::ALL.map(|n| tagger.summed(&alone, 0, &[], |r| r == Reach::Neighbour(n)));
        tagger.tag_pairs = tag_pair_contexts()
            .map(|(i, tags)| {
                let words = [FILLER; 3];
                let context = Context::new(&words, &tagger.lexicon);
                tagger.summed(&context, i, &tags, |r| r == Reach::Tags)
            })
            .collect();
        tagger
    }

    /// What is known of `form` alone.
    fn form(&self, form: &str) -> Form {
        let alone = [form];
        let own = self.word_scores_of(&Context::new(&alone, &self.lexicon), 0);
        let around = Neighbour::ALL.map(|n| {
            // The token at `i`, the form as its neighbour `n`.
            let i: usize = if n.offset() < 0 { 2 } else { 0 };
            let mut words = [FILLER; 3];
            words[i.wrapping_add_signed(n.offset())] = form;
            let context = Context::new(&words, &self.lexicon);
            self.summed(&context, i, &[Upos::Noun; 2], |r| r == Reach::Neighbour(n))
        });
        Form {
            tag: self.tag_dictionary.get(form).copied(),
            own,
            around,
        }
    }

    /// The summed weights of the context features of token `i` that
    /// `wanted` accepts.
    fn summed(
        &self,
        context: &Context,
        i: usize,
        tags: &[Upos],
        wanted: impl Fn(Reach) -> bool,
    ) -> Scores {
        let mut hashes = Vec::new();
        context.context_features(i, tags, wanted, &mut hashes);
        self.summed_weights(&hashes)
    }

    /// The summed weights of word `i`'s word features.
    fn word_scores_of(&self, context: &Context, i: usize) -> Scores {
        let mut hashes = Vec::new();
        context.word_features(i, &mut hashes);
        self.summed_weights(&hashes)
    }

    /// The summed weights of the features in `hashes`.
    fn summed_weights(&self, hashes: &[u32]) -> Scores {
        let mut scores = [0f32; Upos::COUNT];
        self.add_weights(hashes, &mut scores);
        scores
    }

    /// Adds the weights of the features in `hashes` to `scores`.
    fn add_weights(&self, hashes: &[u32], scores: &mut Scores) {
        self.features
            .add_each(hashes, |tag, weight| scores[tag as usize] += weight);
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
        let known: Vec<Option<&Form>> = words.iter().map(|w| self.forms.get(*w)).collect();
        let mut hashes = Vec::new();
        let fresh = self.forms_in(&context, &known, &mut hashes);
        let forms: Vec<&Form> = known
            .iter()
            .zip(&fresh)
            .filter_map(|(known, fresh)| known.or(fresh.as_ref()))
            .collect();
        let mut tags = Vec::with_capacity(words.len());
        for (i, form) in forms.iter().enumerate() {
            if let Some(tag) = form.tag {
                tags.push(tag);
                continue;
            }
            let mut scores = form.own;
            for (k, n) in Neighbour::ALL.into_iter().enumerate() {
                let at = i
                    .checked_add_signed(n.offset())
                    .filter(|&j| j < words.len());
                add(
                    &mut scores,
                    at.map_or(&self.outside[k], |j| &forms[j].around[k]),
                );
            }
            add(&mut scores, &self.tag_pairs[tag_pair(i, &tags)]);
            hashes.clear();
            context.context_features(i, &tags, |r| r == Reach::Joint, &mut hashes);
            self.add_weights(&hashes, &mut scores);
            tags.push(Upos::best(&scores));
        }
        tags
    }

    /// What the sentence in `context` tells of each word the model has not
    /// summed ahead of time (`None` in `known`): the same sums as
    /// [`Tagger::form`], for the neighbours the sentence has, all looked up
    /// in one batch.
    fn forms_in(
        &self,
        context: &Context,
        known: &[Option<&Form>],
        hashes: &mut Vec<u32>,
    ) -> Vec<Option<Form>> {
        let mut fresh: Vec<Option<Form>> = known
            .iter()
            .map(|known| {
                known.is_none().then_some(Form {
                    tag: None,
                    own: [0.0; Upos::COUNT],
                    around: [[0.0; Upos::COUNT]; 4],
                })
            })
            .collect();
        // Per hash: the word it belongs to and its sum (0 its own, k + 1
        // its k-th neighbour's).
        let mut owners: Vec<(usize, usize)> = Vec::new();
        hashes.clear();
        for j in (0..known.len()).filter(|&j| known[j].is_none()) {
            context.word_features(j, hashes);
            owners.resize(hashes.len(), (j, 0));
            for (k, n) in Neighbour::ALL.into_iter().enumerate() {
                // The token that has word `j` as its neighbour `n`, if any.
                if let Some(i) = j
                    .checked_add_signed(-n.offset())
                    .filter(|&i| i < context.len())
                {
                    context.context_features(i, &[], |r| r == Reach::Neighbour(n), hashes);
                    owners.resize(hashes.len(), (j, k + 1));
                }
            }
        }
        self.features.add_each_of(hashes, |h, tag, weight| {
            let (j, sum) = owners[h];
            if let Some(form) = &mut fresh[j] {
                let scores = match sum {
                    0 => &mut form.own,
                    k => &mut form.around[k - 1],
                };
                scores[tag as usize] += weight;
            }
        });
        fresh
    }

    /// Number of weighted features in the model.
    pub fn feature_count(&self) -> usize {
        self.features.len()
    }
}

/// Adds `more` to `scores`, tag by tag.
fn add(scores: &mut Scores, more: &Scores) {
    for (score, more) in scores.iter_mut().zip(more) {
        *score += more;
    }
}

/// Where the tags before token `i` are found in [`Tagger::tag_pairs`]:
/// the previous tag's index and the one before's, each [`Upos::COUNT`]
/// where there is none.
fn tag_pair(i: usize, tags: &[Upos]) -> usize {
    let before = |k: usize| i.checked_sub(k).map_or(Upos::COUNT, |j| tags[j] as usize);
    before(1) * (Upos::COUNT + 1) + before(2)
}

/// For each index [`tag_pair`] gives, in order, a token position and the
/// tags before it that lead there (the impossible pairs, a tag after none,
/// from the first token: they are never read).
fn tag_pair_contexts() -> impl Iterator<Item = (usize, Vec<Upos>)> {
    let tag = |index: usize| Upos::ALL.get(index).copied();
    (0..=Upos::COUNT).flat_map(move |one| {
        (0..=Upos::COUNT).map(move |two| match (tag(one), tag(two)) {
            (Some(one), Some(two)) => (2, vec![two, one]),
            (Some(one), None) => (1, vec![one]),
            (None, _) => (0, Vec::new()),
        })
    })
}

/// `word` with its first letter upper-cased ("moscow" → "Moscow").
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
