//! The sense a seed verb is taken in: the one of its most frequent senses
//! whose WordNet gloss, synonyms and hypernyms share most word stems with
//! its CAMEO category (a simplified Lesk, 1986).

use std::collections::HashSet;

use dyad_extract::dictionary::ActionRow;
use wordnet_db::WordNet;
use wordnet_types::{Pos, Synset, SynsetId};

/// Senses past this one are too rare to be a seed's news sense.
const SEED_SENSES: usize = 8;

/// The seed's sense that shares most words with its category, among its
/// [`SEED_SENSES`] most frequent; none when no sense shares a word.
pub(super) fn seed_sense<'w>(
    wordnet: &'w WordNet,
    seed: &str,
    category: &HashSet<String>,
) -> Option<Synset<'w>> {
    let entry = wordnet.index_entry(Pos::Verb, seed)?;
    let mut best: Option<(usize, Synset<'w>)> = None;
    for &offset in entry.synset_offsets.iter().take(SEED_SENSES) {
        let Some(sense) = wordnet.get_synset(SynsetId {
            pos: Pos::Verb,
            offset,
        }) else {
            continue;
        };
        let shared = sense_words(wordnet, &sense, seed)
            .intersection(category)
            .count();
        if shared > best.as_ref().map_or(0, |(n, _)| *n) {
            best = Some((shared, sense));
        }
    }
    best.map(|(_, sense)| sense)
}

/// The stems a sense is told by: its other words, its gloss, its
/// hypernyms' words.
fn sense_words(wordnet: &WordNet, sense: &Synset<'_>, seed: &str) -> HashSet<String> {
    let hypernyms = sense
        .pointers
        .iter()
        .filter(|p| p.symbol == "@")
        .filter_map(|p| wordnet.get_synset(p.target));
    let mut text: Vec<String> = sense.words.iter().map(|w| w.text.to_string()).collect();
    text.push(sense.gloss.definition.to_string());
    text.extend(hypernyms.flat_map(|h| h.words.into_iter().map(|w| w.text.to_string())));
    let mut words = stems(&text.join(" "));
    words.remove(&stem(seed));
    words
}

/// The stems a seed's category is told by: the names of its code and
/// root in the codebook and the other seeds of its root.
pub(super) fn category_words(
    seed: &ActionRow,
    seeds: &[&ActionRow],
    code_name: impl Fn(&str) -> Option<String>,
) -> HashSet<String> {
    let root = seed.code.get(..2).unwrap_or_default();
    let mut text: Vec<String> = [seed.code.as_str(), root]
        .into_iter()
        .filter_map(&code_name)
        .collect();
    text.extend(
        seeds
            .iter()
            .filter(|s| s.code.starts_with(root) && s.pattern != seed.pattern)
            .map(|s| s.pattern.clone()),
    );
    stems(&text.join(" "))
}

/// Words that tell no sense apart.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "into",
    "its",
    "not",
    "of",
    "on",
    "one",
    "or",
    "oneself",
    "other",
    "someone",
    "somebody",
    "something",
    "specified",
    "that",
    "the",
    "their",
    "to",
    "up",
    "with",
    "below",
];

/// The content words of a text, each cut to its first five letters
/// ("deportation" and "deport" meet as "depor").
fn stems(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .map(str::to_ascii_lowercase)
        .filter(|w| w.len() > 2 && !FUNCTION_WORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}
