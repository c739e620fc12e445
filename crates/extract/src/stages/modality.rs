//! Stage: modality. Whether an action is asserted, negated, intended or
//! hypothetical, from the words before it and the actions that govern it.

use crate::{
    lexicon::{WordSet, en},
    model::Modality,
    text::Token,
};

use super::{
    recode::{CodeClass, in_class},
    speech::STATEMENT_CODE,
    triggers::Action,
};

/// How far (in tokens) before an action the coder looks for modal words.
pub(crate) const MODAL_WINDOW: usize = 4;

/// How far (in tokens) a demand or intent reaches the action it governs.
const GOVERNED_DISTANCE: usize = 8;

/// The modality of `action` from the words just before it and the actions
/// that govern it.
pub(crate) fn modality_of(
    tokens: &[Token],
    first_if: Option<usize>,
    earlier: &[Action],
    action: &Action,
) -> Modality {
    let start = action.tokens.start;
    let window = &tokens[start.saturating_sub(MODAL_WINDOW)..start];
    // "said they will release": a pattern's gap may hold the modal word.
    // But a pattern that names a negative act ("made no comment") is that act.
    let negative_act = action
        .pattern
        .id
        .split_whitespace()
        .any(|w| en().has(WordSet::Negation, w));
    let inside = match action.tokens.len() {
        _ if negative_act => &[][..],
        0..=2 => &[][..],
        _ => &tokens[start + 1..action.tokens.end - 1],
    };
    // Modal words are lower case: "May 8" is a date, not a possibility.
    let has = |set: WordSet| {
        window
            .iter()
            .chain(inside)
            .any(|t| !t.capitalized && en().has(set, &t.norm))
    };
    let no_longer = window
        .windows(2)
        .any(|w| w[0].norm == "no" && w[1].norm == "longer");
    let negated = has(WordSet::Negation) || no_longer;
    // "may halt mediation if cooperation founders": a possible act of the
    // subject's, conditioned on what others do, is announced as a
    // conditional commitment (a threat or an offer, CAMEO 13 and 03), no
    // mere possibility.
    let conditional_commitment =
        first_if.is_some_and(|i| i > start) && only_possibility(window.iter().chain(inside));
    let hypothetical = ((has(WordSet::Hypothetical)
        || in_scope_of(WordSet::Hypothetical, tokens, start))
        && !conditional_commitment)
        || first_if.is_some_and(|i| i < start);
    // A negation inside a possibility stays a possibility ("should never
    // discuss", "if it does not withdraw"); "could not agree" tells that
    // the act did not happen.
    let inability = window
        .windows(2)
        .any(|w| w[0].norm == "could" && en().has(WordSet::Negation, &w[1].norm));
    if negated && (!hypothetical || inability) {
        return Modality::Negated;
    }
    if hypothetical {
        return Modality::Hypothetical;
    }
    let governed = governor(tokens, earlier, action).is_some();
    let infinitive = window.last().is_some_and(|t| t.norm == "to");
    // "attempted to assassinate": an attempt is the act (CAMEO codes attempts so).
    let attempted = infinitive
        && window.len() >= 2
        && en().has(WordSet::Attempt, &window[window.len() - 2].norm);
    if attempted && !has(WordSet::Future) {
        return Modality::Asserted;
    }
    if has(WordSet::Future)
        || conditional_commitment
        || in_scope_of(WordSet::Future, tokens, start)
        || governed
        || (infinitive && !earlier.is_empty())
    {
        return Modality::Intended;
    }
    Modality::Asserted
}

/// Whether the modal words among `tokens` are only words of possibility
/// ("may", "might"), and there is one.
fn only_possibility<'t>(tokens: impl Iterator<Item = &'t Token>) -> bool {
    let mut modals = tokens
        .filter(|t| !t.capitalized && en().has(WordSet::Hypothetical, &t.norm))
        .peekable();
    modals.peek().is_some() && modals.all(|t| matches!(t.norm.as_str(), "may" | "might"))
}

/// The verb that governs `action` as its complement, if any: the last
/// earlier verb of a control root, close enough ("agreed to withdraw",
/// "threatened to close or suspend U.S. operations").
/// A clause opened by "after" or "when" between them ends the reach.
pub(crate) fn governor<'a, 'd>(
    tokens: &[Token],
    earlier: &'a [Action<'d>],
    action: &Action,
) -> Option<&'a Action<'d>> {
    earlier.last().filter(|e| {
        action.pattern.code != STATEMENT_CODE
            && !e.pattern.nominal
            && in_class(CodeClass::ControlRoot, &e.pattern.code[..2])
            && action.tokens.start - e.tokens.end <= GOVERNED_DISTANCE
            && !tokens[e.tokens.end..action.tokens.start]
                .iter()
                .any(|t| en().has(WordSet::RealisSubordinator, &t.norm))
    })
}

/// Whether a modal word of `set` earlier in the action's clause scopes over
/// it: a future or intent word ("hopes to resolve the pause in aid during
/// talks Tuesday"), a possibility ("he may tease the U.S. further by
/// attempting to purchase ..."), up to a clause break.
fn in_scope_of(set: WordSet, tokens: &[Token], start: usize) -> bool {
    tokens[..start]
        .iter()
        .rev()
        .take_while(|t| !en().has(WordSet::ClauseBreak, &t.norm))
        .any(|t| !t.capitalized && en().has(set, &t.norm))
}

/// Whether "no longer" stands just before the action.
pub(crate) fn ceases(tokens: &[Token], action: &Action) -> bool {
    let start = action.tokens.start;
    tokens[start.saturating_sub(MODAL_WINDOW)..start]
        .windows(2)
        .any(|w| w[0].norm == "no" && w[1].norm == "longer")
}

/// "told Japan to resolve the row or face sanctions": a demand that names
/// a penalty for not complying ("or face", "or risk", "or else") after
/// token `from`, in the same sentence.
pub(crate) fn penalty_after(tokens: &[Token], from: usize) -> bool {
    tokens[from.min(tokens.len())..]
        .windows(2)
        .take_while(|w| !matches!(w[0].norm.as_str(), "." | ";"))
        .any(|w| w[0].norm == "or" && en().has(WordSet::Penalty, &w[1].norm))
}

/// "will not accept", "would not allow", "refused to deploy": a negated act
/// in the future, or an act governed by a verb of refusal, is a refusal
/// (re-coded by [`super::recode`] where the act is cooperative).
pub(crate) fn refuses(tokens: &[Token], action: &Action, modality: Modality) -> bool {
    let start = action.tokens.start;
    let refused = start >= 2
        && tokens[start - 1].norm == "to"
        && en().has(WordSet::RefusalVerb, &tokens[start - 2].norm);
    refused
        || modality == Modality::Negated
            && tokens[start.saturating_sub(MODAL_WINDOW)..start]
                .iter()
                .any(|t| en().has(WordSet::FutureAuxiliary, &t.norm))
}
