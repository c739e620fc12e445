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

#[cfg(test)]
mod tests {
    use crate::{ArticleText, Coder, Dictionaries};
    use chrono::NaiveDate;

    /// "SOURCE CODE TARGET" of each event coded from `text`.
    fn coded(text: &str) -> Vec<String> {
        let coder = Coder::new(Dictionaries::builtin());
        let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
        coder
            .code(ArticleText { text, published })
            .into_iter()
            .map(|e| {
                let target = e.target.map(|t| t.code()).unwrap_or_else(|| "-".into());
                format!("{} {} {target}", e.source.code(), e.cameo.code)
            })
            .collect()
    }

    #[test]
    fn a_broker_before_the_noun_mediates_between_its_parties() {
        let events =
            coded("A Qatar-brokered truce between Israel and Hamas took effect on Monday.");
        assert!(events.contains(&"QAT 045 ISR".to_string()), "{events:?}");
        assert!(events.contains(&"QAT 045 PSEREB".to_string()), "{events:?}");
        assert!(
            events.iter().all(|e| !e.starts_with("QAT 0871")),
            "the broker declared no truce: {events:?}"
        );
    }

    #[test]
    fn a_broker_after_by_mediates_and_is_no_party() {
        let events = coded("The war ended with a ceasefire brokered by Egypt.");
        assert_eq!(events, vec!["EGY 045 -".to_string()]);
    }

    #[test]
    fn a_broker_named_without_parties_still_mediated() {
        let events = coded("That conflict ended with a Moscow-brokered cease-fire deal.");
        assert_eq!(events, vec!["RUSGOV 045 -".to_string()]);
    }

    #[test]
    fn a_modifier_that_is_not_brokering_leaves_the_name_a_party() {
        let events = coded("Israel and Hamas agreed to a new truce on Monday.");
        assert!(events.iter().all(|e| !e.contains(" 045 ")), "{events:?}");
    }
}
