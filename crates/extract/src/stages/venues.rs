//! Stage: venues. "The Jeddah talks", "the Minsk agreement", "a Geneva
//! summit": a city named as a modifier of an event noun names where the
//! act took place (CAMEO codes its location, not an actor), so it is no
//! party to the act, though the city stands for its state elsewhere
//! ("Moscow's offer", "Washington said").

use std::ops::Range;

use crate::{tagger::Upos, text::Token};

use super::{actors::ActorPhrase, triggers::Action};

/// Whether `phrase` is a city (one of `cities`, the token ranges of
/// city names) that names the place of the event noun right after it,
/// after a determiner: "the Jeddah talks", "joined the Geneva talks with"
/// (the noun may be part of a verb's pattern).
pub(crate) fn names_the_venue(
    tokens: &[Token],
    phrase: &ActorPhrase,
    cities: &[Range<usize>],
    actions: &[Action],
) -> bool {
    let determined = phrase
        .tokens
        .start
        .checked_sub(1)
        .is_some_and(|k| tokens[k].pos == Upos::Det);
    determined
        && cities.contains(&phrase.tokens)
        && tokens
            .get(phrase.tokens.end)
            .is_some_and(|t| t.pos == Upos::Noun)
        && actions
            .iter()
            .any(|a| a.tokens.contains(&phrase.tokens.end))
}
