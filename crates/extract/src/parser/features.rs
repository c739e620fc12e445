//! The parser's features: words, tags and attached relations around the top
//! of the stack and the front of the buffer (after Zhang and Nivre 2011),
//! each combination hashed to 32 bits as the tagger's are.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::state::State;
use crate::tagger::Upos;

/// A sentence prepared for feature extraction: per word, hashes of its
/// lower-cased form and suffix, and its tag.
pub(super) struct Sentence {
    words: Vec<u64>,
    suffixes: Vec<u64>,
    tags: Vec<u64>,
}

/// Number of features of a state.
pub(super) const COUNT: usize = 51;

/// Atoms for positions that hold no word, and for the root.
const NONE: u64 = 1;
const ROOT_ATOM: u64 = 2;
/// Tag atoms sit above word-hash collisions with small numbers.
const TAG_BASE: u64 = 1 << 40;
const RELATION_BASE: u64 = 2 << 40;
const NO_RELATION: u64 = 3 << 40;

fn hash_str(s: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(s.as_bytes());
    hasher.finish() | 4
}

impl Sentence {
    /// Prepares `words` (as written) with their tags.
    pub(super) fn new(words: &[&str], tags: &[Upos]) -> Self {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        Self {
            words: lower.iter().map(|w| hash_str(w)).collect(),
            suffixes: lower
                .iter()
                .map(|w| {
                    let start = w.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
                    hash_str(&w[start..])
                })
                .collect(),
            tags: tags.iter().map(|&t| TAG_BASE + t as u64).collect(),
        }
    }

    /// Number of words.
    pub(super) fn len(&self) -> usize {
        self.words.len()
    }

    fn word(&self, w: Option<u16>) -> u64 {
        w.map_or(NONE, |w| self.words[usize::from(w)])
    }

    fn tag(&self, w: Option<u16>) -> u64 {
        w.map_or(NONE, |w| self.tags[usize::from(w)])
    }

    fn suffix(&self, w: Option<u16>) -> u64 {
        w.map_or(NONE, |w| self.suffixes[usize::from(w)])
    }

    /// Calls `sink` with the hash of every feature of `state`.
    pub(super) fn features(&self, state: &State, sink: &mut impl FnMut(u32)) {
        let s0 = state.stack_word(0);
        let s1 = state.stack_word(1);
        let s2 = state.stack_word(2);
        let b0 = state.buffer_word(0);
        let b1 = state.buffer_word(1);
        let b2 = state.buffer_word(2);
        // The root under the top word reads as a word of its own.
        let root_below = state.stack.len() == 2;
        let w = |p: Option<u16>| self.word(p);
        let t = |p: Option<u16>| self.tag(p);
        let (s0w, s0t, s1t) = (w(s0), t(s0), if root_below { ROOT_ATOM } else { t(s1) });
        let s1w = if root_below { ROOT_ATOM } else { w(s1) };
        let (b0w, b0t, b1t, b2t) = (w(b0), t(b0), t(b1), t(b2));
        let left = |p: Option<u16>, k: usize| p.and_then(|p| state.left[usize::from(p)][k]);
        let right = |p: Option<u16>, k: usize| p.and_then(|p| state.right[usize::from(p)][k]);
        let relation = |p: Option<u16>| {
            p.map_or(NO_RELATION, |p| {
                RELATION_BASE + state.relations[usize::from(p)] as u64
            })
        };
        let valency = |p: Option<u16>| {
            p.map_or(0, |p| {
                let p = usize::from(p);
                u64::from(state.left_count[p].min(4)) << 4 | u64::from(state.right_count[p].min(4))
            })
        };
        let distance = match (s0, s1) {
            (Some(a), Some(b)) => u64::from((a - b).min(6)),
            _ => 0,
        };
        let mut emit = |template: u8, atoms: &[u64]| {
            let mut hasher = FxHasher::default();
            hasher.write_u8(template);
            for &a in atoms {
                hasher.write_u64(a);
            }
            let h = hasher.finish();
            sink((h ^ (h >> 32)) as u32);
        };
        emit(0, &[]);
        emit(1, &[s0w]);
        emit(2, &[s0t]);
        emit(3, &[s0w, s0t]);
        emit(4, &[s1w]);
        emit(5, &[s1t]);
        emit(6, &[s1w, s1t]);
        emit(7, &[b0w]);
        emit(8, &[b0t]);
        emit(9, &[b0w, b0t]);
        emit(10, &[w(b1)]);
        emit(11, &[b1t]);
        emit(12, &[w(b1), b1t]);
        emit(13, &[b2t]);
        emit(14, &[t(s2)]);
        emit(15, &[s0w, s1w]);
        emit(16, &[s0t, s1t]);
        emit(17, &[s0w, s1t]);
        emit(18, &[s0t, s1w]);
        emit(19, &[s0w, s0t, s1w, s1t]);
        emit(20, &[s0t, b0t]);
        emit(21, &[s0w, b0w]);
        emit(22, &[s0t, b0w]);
        emit(23, &[s0w, b0t]);
        emit(24, &[s0t, s1t, b0t]);
        emit(25, &[s0t, b0t, b1t]);
        emit(26, &[b0t, b1t, b2t]);
        emit(27, &[t(s2), s1t, s0t]);
        emit(28, &[s1t, s0t, t(left(s0, 0))]);
        emit(29, &[s1t, s0t, t(right(s0, 0))]);
        emit(30, &[s1t, t(left(s1, 0)), s0t]);
        emit(31, &[s1t, t(right(s1, 0)), s0t]);
        emit(32, &[s0t, relation(left(s0, 0))]);
        emit(33, &[s0t, relation(right(s0, 0))]);
        emit(34, &[s1t, relation(left(s1, 0))]);
        emit(35, &[s1t, relation(right(s1, 0))]);
        emit(36, &[s0t, relation(left(s0, 0)), relation(left(s0, 1))]);
        emit(37, &[s1t, relation(right(s1, 0)), relation(right(s1, 1))]);
        emit(38, &[distance, s0t, s1t]);
        emit(39, &[distance, s0w, s1w]);
        emit(40, &[s0t, valency(s0)]);
        emit(41, &[s1t, valency(s1)]);
        emit(42, &[s0w, valency(s0)]);
        emit(43, &[self.suffix(s0)]);
        emit(44, &[self.suffix(s1)]);
        emit(45, &[self.suffix(b0)]);
        emit(46, &[w(left(s0, 0)), s0t]);
        emit(47, &[w(right(s1, 0)), s1t]);
        emit(48, &[s1t, s0w, b0t]);
        emit(49, &[s0w, b0w, b0t]);
        emit(50, &[t(left(s1, 0)), relation(left(s1, 0)), s1w]);
    }
}
