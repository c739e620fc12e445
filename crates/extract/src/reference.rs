//! References across sentences: "the two countries", "both sides" resolved
//! to the two states named just before — only when exactly two are.

use std::{collections::VecDeque, ops::Range};

use crate::{dictionary::ActorKind, model::CodedActor, text::Token};

/// How many earlier sentences a reference may reach back.
const REACH: usize = 3;

/// Phrases that refer to the two states of the preceding sentences.
const PAIR_PHRASES: &[&[&str]] = &[
    &["the", "two", "countries"],
    &["both", "countries"],
    &["the", "two", "sides"],
    &["both", "sides"],
    &["the", "two", "nations"],
    &["the", "two", "states"],
    &["the", "two", "neighbors"],
    &["the", "two", "neighbours"],
    &["the", "two", "rivals"],
];

/// What the article has named so far: the states of recent sentences.
#[derive(Debug, Default)]
pub(crate) struct Context {
    recent: VecDeque<(usize, CodedActor)>,
}

impl Context {
    /// Records the actors named in sentence `index`.
    pub fn observe<'a>(&mut self, index: usize, actors: impl IntoIterator<Item = &'a CodedActor>) {
        for actor in actors {
            if actor.kind != ActorKind::Organisation && actor.country.len() == 3 {
                self.recent.push_back((index, actor.clone()));
            }
        }
        while self
            .recent
            .front()
            .is_some_and(|(i, _)| i + REACH < index + 1)
        {
            self.recent.pop_front();
        }
    }

    /// The two states the last sentences name, as states, if there are
    /// exactly two.
    fn pair(&self, index: usize) -> Option<[CodedActor; 2]> {
        let mut states: Vec<&CodedActor> = Vec::new();
        for (_, actor) in self
            .recent
            .iter()
            .filter(|(i, _)| *i < index && index - i <= REACH)
        {
            if !states.iter().any(|s| s.country == actor.country) {
                states.push(actor);
            }
        }
        let [a, b] = states[..] else {
            return None;
        };
        let as_state = |actor: &CodedActor, text: &str| CodedActor {
            country: actor.country.clone(),
            role: String::new(),
            kind: ActorKind::State,
            name: actor.country.clone(),
            text: text.to_string(),
            rules: vec!["reference:pair".to_string()],
        };
        Some([as_state(a, ""), as_state(b, "")])
    }

    /// Finds a pair phrase in `tokens` and resolves it: the token range and the
    /// two states.
    pub fn resolve_pair(
        &self,
        index: usize,
        text: &str,
        tokens: &[Token],
    ) -> Option<(Range<usize>, [CodedActor; 2])> {
        let (start, len) = (0..tokens.len()).find_map(|i| {
            PAIR_PHRASES
                .iter()
                .find(|phrase| {
                    tokens.len() >= i + phrase.len()
                        && phrase.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.norm)
                })
                .map(|phrase| (i, phrase.len()))
        })?;
        let mut pair = self.pair(index)?;
        let words = &text[tokens[start].bytes.start..tokens[start + len - 1].bytes.end];
        for actor in &mut pair {
            actor.text = words.to_string();
        }
        Some((start..start + len, pair))
    }
}
