//! Stage: event triggers. Finds the actions of a sentence: verb patterns
//! and event nouns from the verb dictionaries, outside actor phrases.

use std::ops::Range;

use crate::{
    dictionary::{Dictionaries, VerbPattern},
    lexicon::{WordSet, en},
    text::Token,
};

use super::{
    actors::ActorPhrase,
    recode::{CodeClass, in_class},
};

/// An action found in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Action<'d> {
    pub tokens: Range<usize>,
    pub pattern: &'d VerbPattern,
}

pub(crate) fn find<'d>(
    dictionaries: &'d Dictionaries,
    tokens: &[Token],
    actors: &[ActorPhrase],
) -> Vec<Action<'d>> {
    let mut actions = Vec::new();
    let mut next_actor = actors.iter().peekable();
    let mut i = 0;
    while i < tokens.len() {
        while next_actor.next_if(|a| a.tokens.end <= i).is_some() {}
        if let Some(actor) = next_actor.peek().filter(|a| a.tokens.contains(&i)) {
            i = actor.tokens.end;
            continue;
        }
        // The second half of a compound ("Saudi-led", "war-torn") is no action.
        if i > 0 && tokens[i - 1].norm == "-" {
            i += 1;
            continue;
        }
        // "according to the ministry" attributes; it is no agreement.
        if tokens[i].norm == "according" && tokens.get(i + 1).is_some_and(|t| t.norm == "to") {
            i += 2;
            continue;
        }
        // A verb form right after another action is its object: "tortured scores".
        let after_action = actions
            .last()
            .is_some_and(|a: &Action| a.tokens.end == i && !a.pattern.nominal);
        // "the Kenyan government criticized": a verb right after an actor is its verb.
        let after_actor = actors.iter().any(|a| a.tokens.end == i);
        let noun_position = (used_as_noun(tokens, i) && !after_actor) || after_action;
        match dictionaries
            .verbs
            .longest_at(tokens, i, |pattern, _| pattern.nominal || !noun_position)
        {
            Some((found, patterns)) => {
                actions.push(Action {
                    tokens: found.start..found.end,
                    pattern: patterns[0],
                });
                i = found.end;
            }
            None => i += 1,
        }
    }
    actions
}

/// Whether the token at `i` stands where a noun, not a verb, would.
fn used_as_noun(tokens: &[Token], i: usize) -> bool {
    i.checked_sub(1)
        .and_then(|p| tokens.get(p))
        .is_some_and(|t| {
            en().has(WordSet::NounContext, &t.norm)
                || (t.norm.len() > 4
                    && !t.norm.ends_with("ment")
                    && en()
                        .entries(WordSet::AdjectiveSuffix)
                        .any(|(s, _)| t.norm.ends_with(s)))
        })
}

/// Whether `first` governs `second` as its complement: "agreed to
/// withdraw", "asked that ... vacate", "began pulling out of".
pub(crate) fn governs(tokens: &[Token], first: &Action, second: &Action) -> bool {
    let gap: Vec<&str> = tokens[first.tokens.end..second.tokens.start]
        .iter()
        .map(|t| t.norm.as_str())
        .collect();
    matches!(gap.as_slice(), ["to"] | [] | ["on", "the"] | ["to", "the"])
        && !first.pattern.nominal
        && in_class(CodeClass::ControlRoot, &first.pattern.code[..2])
}
