//! The tagger's context features: words, affixes and shapes around a token
//! and the two tags before it, each hashed to 32 bits.
//!
//! Hashing keeps the model compact and lookups allocation-free; with a few
//! hundred thousand features in a 32-bit space, collisions are rare enough
//! (about one lookup in ten thousand) not to matter for accuracy.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::Upos;

/// Receives each feature hash of a token.
pub(super) trait FeatureSink {
    /// One feature of the token.
    fn feature(&mut self, hash: u32);
}

/// Gathers the hashes, to be looked up together.
impl FeatureSink for Vec<u32> {
    fn feature(&mut self, hash: u32) {
        self.push(hash);
    }
}

/// A sentence prepared for feature extraction: lower-cased words and shapes.
pub(super) struct Context<'w> {
    raw: &'w [&'w str],
    /// Each word's ambiguity class: the tags the lexicon has seen it take.
    classes: Vec<u32>,
    /// All lower-cased words, one after another; `lower_ends` cuts them.
    lower: String,
    lower_ends: Vec<usize>,
}

/// Stand-ins for words outside the sentence.
const START: &str = "-start-";
const END: &str = "-end-";

/// Feature templates, one id each (mixed into the hash).
#[derive(Clone, Copy)]
#[repr(u8)]
enum Template {
    Bias,
    Word,
    Suffix1,
    Suffix2,
    Suffix3,
    Suffix4,
    Prefix1,
    Prefix2,
    Prefix3,
    Shape,
    PrevTag,
    PrevTwoTags,
    PrevTagWord,
    PrevWord,
    PrevSuffix3,
    PrevShape,
    PrevTwoWord,
    NextWord,
    NextSuffix3,
    NextShape,
    NextTwoWord,
    PrevWordWord,
    WordNextWord,
    FirstShape,
    PrevTwoTag,
    Class,
    NextClass,
    NextTwoClass,
    PrevTagNextClass,
    WordNextClass,
    RawWord,
    PrevTagShape,
}

/// Lower-cased word → bit set of the tags it took in training.
pub(super) type Lexicon = rustc_hash::FxHashMap<Box<str>, u32>;

impl<'w> Context<'w> {
    /// Prepares `raw` (words as written).
    pub(super) fn new(raw: &'w [&'w str], lexicon: &Lexicon) -> Self {
        let mut lower = String::with_capacity(raw.iter().map(|w| w.len()).sum());
        let mut lower_ends = Vec::with_capacity(raw.len());
        for word in raw {
            normalized_into(word, &mut lower);
            lower_ends.push(lower.len());
        }
        let mut context = Self {
            raw,
            classes: Vec::new(),
            lower,
            lower_ends,
        };
        context.classes = (0..raw.len())
            .map(|i| lexicon.get(context.lower(i)).copied().unwrap_or(0))
            .collect();
        context
    }

    /// Number of words.
    pub(super) fn len(&self) -> usize {
        self.raw.len()
    }

    /// The normalised lower-case form of word `i` (digits folded).
    pub(super) fn lower(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.lower_ends[i - 1] };
        &self.lower[start..self.lower_ends[i]]
    }

    fn word(&self, i: isize) -> &str {
        match i {
            i if i < 0 => START,
            i if i as usize >= self.raw.len() => END,
            i => self.lower(i as usize),
        }
    }

    fn class(&self, i: usize) -> [u8; 4] {
        self.classes
            .get(i)
            .copied()
            .unwrap_or(u32::MAX)
            .to_le_bytes()
    }

    fn raw(&self, i: isize) -> &str {
        match i {
            i if i < 0 => START,
            i if i as usize >= self.raw.len() => END,
            i => self.raw[i as usize],
        }
    }

    /// Emits the features of token `i` given the tags chosen before it:
    /// its word features, then its context features.
    pub(super) fn features(&self, i: usize, tags: &[Upos], sink: &mut impl FeatureSink) {
        self.word_features(i, sink);
        self.context_features(i, tags, |_| true, sink);
    }

    /// Emits the features that depend on token `i`'s own word alone (its
    /// form, affixes, shape and ambiguity class), the same wherever it stands.
    pub(super) fn word_features(&self, i: usize, sink: &mut impl FeatureSink) {
        let at = i as isize;
        let word = self.word(at);
        let own_shape = shape(self.raw(at));
        sink.feature(hash(Template::Bias, &[]));
        sink.feature(hash(Template::Word, &[word.as_bytes()]));
        for (template, n) in [
            (Template::Suffix1, 1),
            (Template::Suffix2, 2),
            (Template::Suffix3, 3),
            (Template::Suffix4, 4),
        ] {
            sink.feature(hash(template, &[suffix(word, n).as_bytes()]));
        }
        for (template, n) in [
            (Template::Prefix1, 1),
            (Template::Prefix2, 2),
            (Template::Prefix3, 3),
        ] {
            sink.feature(hash(template, &[prefix(word, n).as_bytes()]));
        }
        sink.feature(hash(Template::Shape, &[&own_shape]));
        sink.feature(hash(Template::RawWord, &[self.raw(at).as_bytes()]));
        sink.feature(hash(Template::Class, &[&self.class(i)]));
    }

    /// Emits those features of token `i` that look at its neighbours and at
    /// the tags chosen before it whose [`Reach`] `wanted` accepts.
    pub(super) fn context_features(
        &self,
        i: usize,
        tags: &[Upos],
        wanted: impl Fn(Reach) -> bool,
        sink: &mut impl FeatureSink,
    ) {
        let at = i as isize;
        let tag = |k: usize| {
            i.checked_sub(k)
                .map_or(Upos::COUNT as u8, |j| tags[j] as u8)
        };
        // Hashes a feature only when its reach is wanted.
        macro_rules! emit {
            ($reach:expr, $feature:expr) => {
                if wanted($reach) {
                    sink.feature($feature);
                }
            };
        }
        let (word, prev, next) = (self.word(at), self.word(at - 1), self.word(at + 1));
        let (prev_one, prev_two) = (
            Reach::Neighbour(Neighbour::Prev),
            Reach::Neighbour(Neighbour::PrevTwo),
        );
        let (next_one, next_two) = (
            Reach::Neighbour(Neighbour::Next),
            Reach::Neighbour(Neighbour::NextTwo),
        );
        emit!(Reach::Tags, hash(Template::PrevTag, &[&[tag(1)]]));
        emit!(Reach::Tags, hash(Template::PrevTwoTag, &[&[tag(2)]]));
        emit!(
            Reach::Tags,
            hash(Template::PrevTwoTags, &[&[tag(1), tag(2)]])
        );
        emit!(
            Reach::Joint,
            hash(Template::PrevTagWord, &[&[tag(1)], word.as_bytes()])
        );
        emit!(prev_one, hash(Template::PrevWord, &[prev.as_bytes()]));
        emit!(
            prev_one,
            hash(Template::PrevSuffix3, &[suffix(prev, 3).as_bytes()])
        );
        emit!(
            prev_one,
            hash(Template::PrevShape, &[&shape(self.raw(at - 1))])
        );
        emit!(
            prev_two,
            hash(Template::PrevTwoWord, &[self.word(at - 2).as_bytes()])
        );
        emit!(next_one, hash(Template::NextWord, &[next.as_bytes()]));
        emit!(
            next_one,
            hash(Template::NextSuffix3, &[suffix(next, 3).as_bytes()])
        );
        emit!(
            next_one,
            hash(Template::NextShape, &[&shape(self.raw(at + 1))])
        );
        emit!(
            next_two,
            hash(Template::NextTwoWord, &[self.word(at + 2).as_bytes()])
        );
        emit!(
            Reach::Joint,
            hash(Template::PrevWordWord, &[prev.as_bytes(), word.as_bytes()])
        );
        emit!(
            Reach::Joint,
            hash(Template::WordNextWord, &[word.as_bytes(), next.as_bytes()])
        );
        emit!(
            Reach::Joint,
            hash(Template::PrevTagShape, &[&[tag(1)], &shape(self.raw(at))])
        );
        emit!(next_one, hash(Template::NextClass, &[&self.class(i + 1)]));
        emit!(
            next_two,
            hash(Template::NextTwoClass, &[&self.class(i + 2)])
        );
        emit!(
            Reach::Joint,
            hash(
                Template::PrevTagNextClass,
                &[&[tag(1)], &self.class(i), &self.class(i + 1)]
            )
        );
        emit!(
            Reach::Joint,
            hash(
                Template::WordNextClass,
                &[word.as_bytes(), &self.class(i + 1)]
            )
        );
        if i == 0 {
            emit!(
                Reach::Joint,
                hash(Template::FirstShape, &[&shape(self.raw(at))])
            );
        }
    }
}

/// A neighbour of the token being tagged, by where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Neighbour {
    PrevTwo,
    Prev,
    Next,
    NextTwo,
}

impl Neighbour {
    /// Every neighbour a feature looks at.
    pub(super) const ALL: [Neighbour; 4] = [Self::PrevTwo, Self::Prev, Self::Next, Self::NextTwo];

    /// How far the neighbour stands from the token.
    pub(super) fn offset(self) -> isize {
        match self {
            Self::PrevTwo => -2,
            Self::Prev => -1,
            Self::Next => 1,
            Self::NextTwo => 2,
        }
    }
}

/// What a context feature looks at besides its token: what the tagger may
/// sum ahead of time, and what it must look up token by token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// The tags of the two tokens before, alone.
    Tags,
    /// One neighbour's word, shape or class alone.
    Neighbour(Neighbour),
    /// The token's own word or shape together with a neighbour or a tag.
    Joint,
}

/// Lower-cases `word` into `out`, folding digits: four-digit numbers read
/// as years, other numbers by their digit count (capped).
fn normalized_into(word: &str, out: &mut String) {
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    if digits > 0 && digits * 2 >= word.len() {
        let all = digits == word.len();
        out.push_str(match (all, digits) {
            (true, 4) => "!year",
            (true, 1 | 2) => "!dd",
            (true, _) => "!dddd",
            _ => "!num",
        });
        return;
    }
    for c in word.chars() {
        out.extend(c.to_lowercase());
    }
}

/// A word's shape in four bytes: its first character's class, whether later
/// characters hold capitals, digits, and hyphens or dots.
fn shape(raw: &str) -> [u8; 4] {
    let mut chars = raw.chars();
    let first = match chars.next() {
        Some(c) if c.is_uppercase() => b'X',
        Some(c) if c.is_lowercase() => b'x',
        Some(c) if c.is_ascii_digit() => b'd',
        Some(c) if c.is_alphabetic() => b'a',
        Some(c) if c.is_ascii() => c as u8,
        Some(_) => b'u',
        None => b'_',
    };
    let (mut upper, mut digit, mut mark) = (b'-', b'-', b'-');
    for c in chars {
        if c.is_uppercase() {
            upper = b'X';
        } else if c.is_ascii_digit() {
            digit = b'd';
        } else if matches!(c, '-' | '.' | '\'') {
            mark = c as u8;
        }
    }
    [first, upper, digit, mark]
}

fn suffix(word: &str, n: usize) -> &str {
    match word.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &word[i..],
        None => word,
    }
}

fn prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

fn hash(template: Template, parts: &[&[u8]]) -> u32 {
    let mut hasher = FxHasher::default();
    hasher.write_u8(template as u8);
    for part in parts {
        hasher.write(part);
        hasher.write_u8(0xff);
    }
    let h = hasher.finish();
    (h ^ (h >> 32)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes_count_characters_not_bytes() {
        assert_eq!(suffix("café", 2), "fé");
        assert_eq!(prefix("über", 1), "ü");
        assert_eq!(suffix("a", 3), "a");
    }

    #[test]
    fn numbers_fold_to_classes() {
        let words = ["1987", "12", "3.5", "Moscow"];
        let context = Context::new(&words, &Lexicon::default());
        assert_eq!(context.lower(0), "!year");
        assert_eq!(context.lower(1), "!dd");
        assert_eq!(context.lower(2), "!num");
        assert_eq!(context.lower(3), "moscow");
    }

    #[test]
    fn shapes_tell_names_from_words() {
        assert_eq!(shape("Moscow"), *b"X---");
        assert_eq!(shape("NATO"), *b"XX--");
        assert_eq!(shape("U.S."), *b"XX-.");
        assert_eq!(shape("talks"), *b"x---");
    }
}
