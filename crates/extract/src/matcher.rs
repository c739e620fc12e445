//! Longest-match lookup of multi-word phrases in a token sequence.

use rustc_hash::FxHashMap as HashMap;

use crate::text::Token;

/// The wildcard word of a pattern: matches any one token.
pub const WILDCARD: &str = "*";
/// The gap word of a pattern: matches up to [`MAX_GAP`] tokens, none of
/// them punctuation but a possessive "'s" before the pattern's noun
/// ("closed .. border" matches "closed the main border" and "closed
/// Kenya's border").
pub const GAP: &str = "..";
/// Most tokens a gap spans.
pub const MAX_GAP: usize = 4;

/// A set of phrases (word sequences), each with payloads, looked up by first
/// word and then by the next word the phrase needs. Matching at a position
/// costs a few hash lookups plus the phrases whose first two words are there.
#[derive(Debug, Clone)]
pub struct PhraseMatcher<P> {
    by_first_word: HashMap<String, Bucket>,
    payloads: Vec<P>,
}

/// The phrases that start with one word, in priority order, indexed by the
/// next word each needs.
#[derive(Debug, Clone, Default)]
struct Bucket {
    phrases: Vec<Phrase>,
    /// Phrases by the first word after the first that is not a gap.
    by_next_word: HashMap<String, Vec<usize>>,
    /// Phrases of one word, or whose next word is the wildcard.
    always: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Phrase {
    words: Vec<String>,
    payloads: Vec<usize>,
}

impl<P> Default for PhraseMatcher<P> {
    fn default() -> Self {
        Self {
            by_first_word: HashMap::default(),
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
        self.by_first_word
            .entry(first)
            .or_default()
            .phrases
            .push(Phrase {
                words,
                payloads: vec![id],
            });
    }

    /// Merges repeated phrases and orders each word's phrases most specific
    /// first (among equals, the first inserted wins). Call after the last
    /// insert.
    pub fn finish(&mut self) {
        for bucket in self.by_first_word.values_mut() {
            let phrases = &mut bucket.phrases;
            phrases.sort_by(|a, b| {
                a.words
                    .cmp(&b.words)
                    .then(a.payloads[0].cmp(&b.payloads[0]))
            });
            phrases.dedup_by(|later, earlier| {
                let same = later.words == earlier.words;
                if same {
                    earlier.payloads.append(&mut later.payloads);
                }
                same
            });
            phrases.sort_by_key(|p| (std::cmp::Reverse(specificity(&p.words)), p.payloads[0]));
            bucket.by_next_word.clear();
            bucket.always.clear();
            for (index, phrase) in bucket.phrases.iter().enumerate() {
                match phrase.words[1..].iter().find(|w| *w != GAP) {
                    Some(next) if next != WILDCARD => bucket
                        .by_next_word
                        .entry(next.clone())
                        .or_default()
                        .push(index),
                    _ => bucket.always.push(index),
                }
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
        accept: impl FnMut(&P, &[Token]) -> bool,
    ) -> Option<(Found, Vec<&'s P>)> {
        let first = tokens.get(start)?;
        self.longest_at_key(&first.norm, tokens, start, accept)
            .map(|(found, payloads, _)| (found, payloads))
    }

    /// Like [`longest_at`](Self::longest_at), but the first token is taken
    /// to be `key` (a verb's lemma for an inflected form, say). Also returns
    /// the specificity of the phrase found.
    pub fn longest_at_key<'s>(
        &'s self,
        key: &str,
        tokens: &[Token],
        start: usize,
        mut accept: impl FnMut(&P, &[Token]) -> bool,
    ) -> Option<(Found, Vec<&'s P>, usize)> {
        let bucket = self.by_first_word.get(key)?;
        // Only phrases whose next word stands within reach can match; a
        // quantity's "of" may start a second gap.
        let reach = (start + 3 + 2 * MAX_GAP).min(tokens.len());
        let mut candidates = bucket.always.clone();
        for token in tokens.get(start + 1..reach).unwrap_or_default() {
            if let Some(indices) = bucket.by_next_word.get(&token.norm) {
                candidates.extend_from_slice(indices);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for phrase in candidates.into_iter().map(|i| &bucket.phrases[i]) {
            let Some(end) = match_words(&phrase.words[1..], tokens, start + 1) else {
                continue;
            };
            let span = &tokens[start..end];
            let accepted: Vec<&P> = phrase
                .payloads
                .iter()
                .map(|&id| &self.payloads[id])
                .filter(|p| accept(p, span))
                .collect();
            if !accepted.is_empty() {
                return Some((Found { start, end }, accepted, specificity(&phrase.words)));
            }
        }
        None
    }
}

/// Tokenises a dictionary pattern: words as in text, with `*` and `..`
/// kept as the wildcard and the gap.
pub fn pattern_words(pattern: &str) -> Vec<String> {
    pattern
        .split_whitespace()
        .flat_map(|word| match word {
            WILDCARD | GAP => vec![word.to_string()],
            _ => crate::text::phrase_words(word),
        })
        .collect()
}

/// Words a gap may span: the determiners and modifiers of an object ("the
/// main border", "a 24-hour"), not other punctuation or prepositions, which start another
/// phrase ("aid to war-torn Mozambique" is not "promise .. war").
/// A possessive "'s" stays inside the object's noun phrase ("withdrew
/// Friday's request") when the pattern goes on with that phrase's noun, not
/// with a preposition ("praised Haiti's efforts to" is no "praise .. to").
fn gap_word(norm: &str, next: &str) -> bool {
    let lexicon = crate::lexicon::en();
    // A hyphen inside a compound modifier ("a 24-hour offensive") is no break.
    norm == "-"
        || (norm == "'s"
            && !lexicon.has(crate::lexicon::WordSet::FunctionWord, next)
            && !lexicon.has(crate::lexicon::WordSet::Preposition, next))
        || norm.starts_with(char::is_alphanumeric)
            && !lexicon.has(crate::lexicon::WordSet::PhraseBreak, norm)
}

/// Whether token `at` is the "of" of a quantity or part ("launched 10 days
/// of war games", "suspended part of its aid"): the phrase after it is the
/// object's head, so the gap goes on.
fn partitive_of(tokens: &[Token], at: usize) -> bool {
    tokens.get(at).is_some_and(|t| t.norm == "of")
        && at.checked_sub(1).is_some_and(|k| {
            crate::lexicon::en().has(crate::lexicon::WordSet::Partitive, &tokens[k].norm)
        })
}

/// Words that must match, gaps not counted: longer phrases are tried first.
fn specificity(words: &[String]) -> usize {
    words.iter().filter(|w| *w != GAP).count()
}

/// Matches `words` against `tokens` from `at`; returns the end of the match.
/// Gaps take as few tokens as they can.
fn match_words(words: &[String], tokens: &[Token], at: usize) -> Option<usize> {
    let Some((word, rest)) = words.split_first() else {
        return Some(at);
    };
    if word == GAP {
        let next = rest.first().map_or("", String::as_str);
        for skip in 0..=MAX_GAP {
            if skip > 0 && partitive_of(tokens, at + skip - 1) {
                // The quantity before "of" measures the object, whose own
                // modifiers follow: the gap starts afresh ("provide nearly
                // 25,000 tons of emergency food aid").
                return match_words(words, tokens, at + skip);
            }
            if skip > 0
                && tokens
                    .get(at + skip - 1)
                    .is_none_or(|t| !gap_word(&t.norm, next))
            {
                return None;
            }
            if let Some(end) = match_words(rest, tokens, at + skip) {
                return Some(end);
            }
        }
        return None;
    }
    let token = tokens.get(at)?;
    (word == WILDCARD || *word == token.norm).then(|| match_words(rest, tokens, at + 1))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn phrase_words(pattern: &str) -> Vec<String> {
        pattern_words(pattern)
    }

    #[test]
    fn prefers_the_longest_phrase_and_honours_wildcards() {
        let mut matcher = PhraseMatcher::default();
        matcher.insert(phrase_words("pull"), 1);
        matcher.insert(phrase_words("pull out of"), 2);
        matcher.insert(phrase_words("voice * concern"), 3);
        matcher.finish();
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

    /// A matcher of `patterns` and where the longest of them that matches at
    /// the start of a text ends.
    fn end_of_match(patterns: &[&str]) -> impl Fn(&str) -> Option<usize> {
        let mut matcher = PhraseMatcher::default();
        for (payload, pattern) in patterns.iter().enumerate() {
            matcher.insert(phrase_words(pattern), payload);
        }
        matcher.finish();
        move |text: &str| {
            let tokens = tokenize(text, 0..text.len());
            matcher
                .longest_at(&tokens, 0, |_, _| true)
                .map(|(f, _)| f.end)
        }
    }

    #[test]
    fn gaps_span_a_few_modifiers_but_not_punctuation_or_prepositions() {
        let end = end_of_match(&["close .. border"]);
        assert_eq!(end("close border"), Some(2));
        assert_eq!(end("close the main eastern border"), Some(5));
        assert_eq!(end("close the main eastern northern border"), Some(6));
        assert_eq!(end("close the 24-hour border"), Some(6));
        assert_eq!(end("close the main long eastern northern border"), None);
        assert_eq!(end("close it, the border"), None);
        assert_eq!(end("close roads to the border"), None);
    }

    #[test]
    fn a_possessive_stays_in_the_gap_only_before_the_patterns_noun() {
        let end = end_of_match(&["close .. border", "praise .. to"]);
        assert_eq!(end("close Kenya's border"), Some(4));
        assert_eq!(end("praise Kenya's efforts to"), None);
        assert_eq!(end("praise efforts to"), Some(3));
    }

    #[test]
    fn a_quantity_of_the_object_starts_the_gap_afresh() {
        let end = end_of_match(&["provide .. food aid"]);
        assert_eq!(
            end("provide nearly 25,000 tons of emergency food aid"),
            Some(8)
        );
        assert_eq!(end("provide 700 kg of food aid"), Some(6));
        assert_eq!(end("provide 700 tons of food aid"), Some(6));
        assert_eq!(end("provide 700 kg of badly needed food aid"), Some(8));
        assert_eq!(end("provide nearly 25,000 tons of"), None);
        assert_eq!(end("provide tons of it, then food aid"), None);
    }
}
