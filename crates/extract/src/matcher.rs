//! Longest-match lookup of multi-word phrases in a token sequence.

use std::collections::HashMap;

use crate::text::Token;

/// The wildcard word of a pattern: matches any one token.
pub const WILDCARD: &str = "*";

/// A set of phrases (word sequences), each with payloads, looked up by first
/// word. Matching at a position costs one hash lookup plus the phrases that
/// start with that word.
#[derive(Debug, Clone)]
pub struct PhraseMatcher<P> {
    by_first_word: HashMap<String, Vec<Phrase>>,
    payloads: Vec<P>,
}

#[derive(Debug, Clone)]
struct Phrase {
    words: Vec<String>,
    payloads: Vec<usize>,
}

impl<P> Default for PhraseMatcher<P> {
    fn default() -> Self {
        Self {
            by_first_word: HashMap::new(),
            payloads: Vec::new(),
        }
    }
}

/// A phrase found in a token sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index of the first token.
    pub start: usize,
    /// Index one past the last token.
    pub end: usize,
}

impl<P> PhraseMatcher<P> {
    /// Adds a phrase (already tokenised into normalised words; the first word
    /// must not be the wildcard) with its payload.
    pub fn insert(&mut self, words: Vec<String>, payload: P) {
        let Some(first) = words.first().cloned() else {
            return;
        };
        let id = self.payloads.len();
        self.payloads.push(payload);
        let phrases = self.by_first_word.entry(first).or_default();
        match phrases.iter_mut().find(|p| p.words == words) {
            Some(existing) => existing.payloads.push(id),
            None => {
                let at = phrases
                    .iter()
                    .position(|p| p.words.len() < words.len())
                    .unwrap_or(phrases.len());
                phrases.insert(
                    at,
                    Phrase {
                        words,
                        payloads: vec![id],
                    },
                );
            }
        }
    }

    /// Number of payloads (entries) stored.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.payloads.len()
    }

    /// The longest phrase starting at token `start` that has at least one
    /// payload accepted by `accept`, with those payloads.
    pub fn longest_at<'s>(
        &'s self,
        tokens: &[Token],
        start: usize,
        mut accept: impl FnMut(&P, &[Token]) -> bool,
    ) -> Option<(Found, Vec<&'s P>)> {
        let first = tokens.get(start)?;
        let phrases = self.by_first_word.get(&first.norm)?;
        for phrase in phrases {
            let end = start + phrase.words.len();
            if end > tokens.len() {
                continue;
            }
            let matches = phrase
                .words
                .iter()
                .zip(&tokens[start..end])
                .all(|(w, t)| w == WILDCARD || *w == t.norm);
            if !matches {
                continue;
            }
            let span = &tokens[start..end];
            let accepted: Vec<&P> = phrase
                .payloads
                .iter()
                .map(|&id| &self.payloads[id])
                .filter(|p| accept(p, span))
                .collect();
            if !accepted.is_empty() {
                return Some((Found { start, end }, accepted));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{phrase_words, tokenize};

    #[test]
    fn prefers_the_longest_phrase_and_honours_wildcards() {
        let mut matcher = PhraseMatcher::default();
        matcher.insert(phrase_words("pull"), 1);
        matcher.insert(phrase_words("pull out of"), 2);
        matcher.insert(phrase_words("voice * concern"), 3);
        let text = "began pulling out of it; pull out of Iraq; voiced its concern";
        let tokens = tokenize(text, 0..text.len());
        let at = |i| {
            matcher
                .longest_at(&tokens, i, |_, _| true)
                .map(|(f, p)| (f.end - f.start, *p[0]))
        };
        assert_eq!(at(1), None, "inflections are the caller's job");
        assert_eq!(at(6), Some((3, 2)));
        assert_eq!(matcher.longest_at(&tokens, 10, |_, _| true), None);
        let voiced = tokenize("voice its concern", 0..17);
        assert_eq!(
            matcher
                .longest_at(&voiced, 0, |_, _| true)
                .map(|(_, p)| *p[0]),
            Some(3)
        );
    }
}
