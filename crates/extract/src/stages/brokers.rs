//! Stage: brokers. "A Moscow-brokered cease-fire", "talks mediated by
//! Qatar": whoever brokers an act is no party to it. CAMEO codes the
//! broker's part as mediation between the parties (045, "mediate talks or
//! negotiations between other parties; serve as mediator").

use crate::{
    lexicon::{WordSet, en},
    tagger::Upos,
    text::Token,
};

use super::{actors::ActorPhrase, triggers::Action};

/// CAMEO's code for mediating between other parties.
pub(crate) const MEDIATION_CODE: &str = "045";

/// Provenance mark of a broker's mediation event.
pub(crate) const MEDIATION: &str = "mediation";

/// How many modifiers may stand between "X-brokered" and its noun ("a
/// Moscow-brokered new cease-fire").
const MODIFIER_REACH: usize = 2;

/// The index in `actors` of whoever brokers the act that the event noun
/// `action` names: "X-brokered N" or "N (,) brokered by X".
pub(crate) fn broker(tokens: &[Token], actors: &[ActorPhrase], action: &Action) -> Option<usize> {
    if !action.pattern.nominal {
        return None;
    }
    let brokering = |k: usize| {
        tokens
            .get(k)
            .is_some_and(|t| en().has(WordSet::Brokering, &t.norm))
    };
    let start = action.tokens.start;
    // "a Moscow-brokered cease-fire": the name, a hyphen, the participle.
    let participle = (start.saturating_sub(MODIFIER_REACH + 1)..start)
        .rev()
        .take_while(|&k| brokering(k) || matches!(tokens[k].pos, Upos::Adj | Upos::Noun))
        .find(|&k| brokering(k));
    if let Some(k) = participle
        && k >= 1
        && tokens[k - 1].norm == "-"
        && let Some(index) = actors
            .iter()
            .position(|a| a.tokens.end == k - 1 && a.actor.is_some())
    {
        return Some(index);
    }
    // "talks, mediated by Qatar,": the participle and "by" after the noun.
    let mut k = action.tokens.end;
    if tokens.get(k).is_some_and(|t| t.norm == ",") {
        k += 1;
    }
    if !(brokering(k) && tokens.get(k + 1).is_some_and(|t| t.norm == "by")) {
        return None;
    }
    let named_from = k + 2;
    actors.iter().position(|a| {
        a.actor.is_some()
            && a.tokens.start >= named_from
            && tokens[named_from..a.tokens.start]
                .iter()
                .all(|t| en().has(WordSet::BeforeName, &t.norm))
    })
}
