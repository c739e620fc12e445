//! The coder's stages, in the order the conductor ([`crate::Coder`]) runs
//! them over each sentence:
//!
//! 1. sentences and tokens — [`crate::text`] (a headline is its own sentence)
//! 2. annotation — [`Annotator`]s: the part-of-speech [`crate::tagger`]
//! 3. actors — [`actors`], then references to earlier actors ([`crate::reference`])
//! 4. event triggers — [`triggers`]
//! 5. arguments (source, target) — [`arguments`], reading the dependency
//!    parse where it decides ([`syntax`], parsed on demand); brokers, who are no party — [`brokers`];
//!    cities that name an event's venue ("the Jeddah talks"), no party either — [`venues`]
//! 6. modality — [`modality`]; reported speech — [`speech`]
//! 7. dates and places — [`crate::setting`], [`crate::dates`], [`crate::places`]
//! 8. CAMEO re-coding — [`recode`]
//! 9. events: one per action and pair of actors — [`events`]; the sentence's
//!    news among them — [`clauses`]
//! 10. actors as the states they belonged to on the event's day — [`statehood`]
//! 11. once the article is coded: whom its denials answer — [`responses`];
//!     confidence — [`crate::confidence`]

pub(crate) mod actors;
pub(crate) mod arguments;
pub(crate) mod brokers;
pub(crate) mod clauses;
pub(crate) mod events;
pub(crate) mod generic;
pub(crate) mod modality;
pub(crate) mod recode;
pub(crate) mod responses;
pub(crate) mod speech;
pub(crate) mod statehood;
pub(crate) mod syntax;
pub(crate) mod triggers;
pub(crate) mod venues;

use crate::{tagger::Tagger, text::Token};

/// A stage that adds annotations to a sentence's tokens: the tagger sets
/// each token's part of speech; another model plugs in the same way (the
/// dependency parser runs later, on demand: `stages::syntax`).
pub trait Annotator: Send + Sync + std::fmt::Debug {
    /// Annotates `tokens`, which point into `text`.
    fn annotate(&self, text: &str, tokens: &mut [Token]);
}

impl Annotator for Tagger {
    fn annotate(&self, text: &str, tokens: &mut [Token]) {
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.bytes.clone()]).collect();
        for (token, tag) in tokens.iter_mut().zip(self.tag(&words)) {
            token.pos = tag;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{tagger::Upos, text::tokenize};

    #[test]
    fn the_tagger_annotates_tokens_in_place() {
        let text = "Troops will march on the capital in March.";
        let mut tokens = tokenize(text, 0..text.len());
        assert!(tokens.iter().all(|t| t.pos == Upos::X));
        Tagger::builtin().annotate(text, &mut tokens);
        let tag = |word: &str| {
            tokens
                .iter()
                .find(|t| &text[t.bytes.clone()] == word)
                .unwrap()
                .pos
        };
        assert_eq!(tag("march"), Upos::Verb);
        assert_eq!(tag("March"), Upos::Propn);
        assert_eq!(tag("capital"), Upos::Noun);
    }
}
