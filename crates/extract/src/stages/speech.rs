//! Stage: reported speech. "X said Y attacked Z" is Y's act, reported by
//! X; "X said Y must ..." is X's demand of Y.

use std::ops::Range;

use crate::{
    dictionary::{CameoCode, Dictionaries},
    lexicon::{WordSet, en},
    model::{CodedActor, CodedEvent, Modality},
    reference::find_phrase,
    setting::Setting,
    tagger::Upos,
    text::Token,
};

use super::{
    actors::ActorPhrase,
    arguments::{follows_preposition, same_actor},
    modality::penalty_after,
    recode::{self, Recoding},
    triggers::Action,
};

/// Roots of statements: reported speech verbs.
pub(crate) const STATEMENT_CODE: &str = "010";

/// Marks events of a sentence with a statement verb as reported by its
/// speaker ("X said Y attacked Z").
pub(crate) fn attribute_speech(events: &mut [CodedEvent], speakers: &[(usize, CodedActor)]) {
    let Some((_, speaker)) = speakers.first() else {
        return;
    };
    for event in events.iter_mut().filter(|e| e.cameo.code != STATEMENT_CODE) {
        if event.source.code() != speaker.code() || event.source.name != speaker.name {
            event.reported_by = Some(speaker.clone());
        }
    }
}

/// "The administration declared that China must drop barriers": someone
/// says another actor must act — a demand (CAMEO 100) from the sentence's
/// first actor to the actor before "must"; "should" is a suggestion, an
/// appeal (020), and so is the semi-modal "need to" ("Rubio said both Russia
/// and Ukraine need to do difficult things"). The codes are the word set's
/// values. Coordinated addressees each get the act. With the token of the
/// modal word.
pub(crate) fn obligation(
    dictionaries: &Dictionaries,
    tokens: &[Token],
    actors: &[ActorPhrase],
    setting: &Setting,
    text: &str,
) -> Option<(Vec<CodedEvent>, usize)> {
    let (must, len) = find_phrase(tokens, WordSet::Obligation)?;
    let modal: Vec<&str> = tokens[must..must + len]
        .iter()
        .map(|t| t.norm.as_str())
        .collect();
    let code = en().value(WordSet::Obligation, &modal.join(" "))?;
    // "“…,” Rubio said, adding that both Russia and Ukraine need to": the
    // subject of a reporting verb before the modal speaks, else the
    // sentence's first actor.
    let reporting_subject = (0..must)
        .filter(|&k| en().has(WordSet::ReportingVerb, &tokens[k].norm))
        .find_map(|says| subject_before(tokens, actors, says));
    let speaker = reporting_subject.or_else(|| {
        actors
            .iter()
            .find(|a| a.tokens.end <= must && a.actor.is_some() && !follows_preposition(tokens, a))
    })?;
    let addressee = actors
        .iter()
        .rposition(|a| {
            a.tokens.end <= must
                && must - a.tokens.end <= 2
                && a.actor.is_some()
                // "Soviet winter crops need to": a noun after the actor is
                // the subject's head, and the actor only modifies it.
                && tokens[a.tokens.end..must]
                    .iter()
                    .all(|t| !matches!(t.pos, Upos::Noun | Upos::Propn))
        })
        // "its border with Kenya should ...": Kenya is no subject of "should";
        // but "a reminder to Iraq that it must": the one spoken to is.
        .filter(|&k| {
            let spoken_to = tokens
                .get(actors[k].tokens.end)
                .is_some_and(|t| t.norm == "that")
                && actors[k]
                    .tokens
                    .start
                    .checked_sub(1)
                    .is_some_and(|p| tokens[p].norm == "to");
            spoken_to || !follows_preposition(tokens, &actors[k])
        })?;
    let source = speaker.actor.clone()?;
    // "X reiterated that Y must ...": the speaker is the subject of a verb
    // before the addressee; in "X and Y should ..." both are addressees.
    let says = tokens
        .get(speaker.tokens.end..actors[addressee].tokens.start)
        .is_some_and(|between| between.iter().any(|t| t.pos == Upos::Verb));
    if !says {
        return None;
    }
    // "X said Y must withdraw or face the consequences": an ultimatum.
    let code = match recode::rule(Recoding::Ultimatum, code) {
        Some(rule) if penalty_after(tokens, must + len) => rule.to,
        _ => code,
    };
    let cameo = dictionaries.cameo(code)?;
    let demands: Vec<CodedEvent> = coordinated(tokens, actors, addressee)
        .filter(|a| a.tokens != speaker.tokens)
        .filter_map(|a| a.actor.clone())
        .filter(|target| !same_actor(&source, target))
        .map(|target| {
            said_act(
                (source.clone(), Some(target)),
                cameo.clone(),
                (setting, text, tokens),
                must,
                "rule:obligation",
            )
        })
        .collect();
    (!demands.is_empty()).then_some((demands, must))
}

/// The actor phrase `last` and those coordinated before it ("both Russia
/// and Ukraine", "Armenia, Azerbaijan and Turkey"), first to last.
fn coordinated<'a>(
    tokens: &[Token],
    actors: &'a [ActorPhrase],
    last: usize,
) -> impl Iterator<Item = &'a ActorPhrase> {
    let mut first = last;
    while first > 0 {
        let (before, after) = (&actors[first - 1], &actors[first]);
        let joined = before.actor.is_some()
            && after.tokens.start == before.tokens.end + 1
            && matches!(tokens[before.tokens.end].norm.as_str(), "and" | ",");
        if !joined {
            break;
        }
        first -= 1;
    }
    actors[first..=last].iter()
}

/// The asserted act of a speaker who says something of another actor,
/// dated and placed at the token `at`, with the rule that found it.
fn said_act(
    (source, target): (CodedActor, Option<CodedActor>),
    cameo: CameoCode,
    (setting, text, tokens): (&Setting, &str, &[Token]),
    at: usize,
    rule: &str,
) -> CodedEvent {
    CodedEvent {
        source,
        target,
        cameo,
        date: setting.date_at(at),
        location: setting.location_at(at, text, tokens),
        modality: Modality::Asserted,
        reported_by: None,
        // Set by the confidence model once the article is coded.
        confidence: 0.0,
        sentence_index: 0,
        sentence_chars: 0..0,
        sentence_text: String::new(),
        rule: rule.to_string(),
    }
}

/// CAMEO's code for an accusation whose charge the codebook does not list.
const ACCUSATION_CODE: &str = "112";

/// How far after its subject a charge's word may stand, in tokens.
const CHARGE_REACH: usize = 8;

/// How many words (an adverb, an auxiliary) may stand between a reporting
/// verb and its subject.
const SUBJECT_GAP: usize = 2;

/// "The UN says both sides have committed grave abuses", "Iran said Iraq
/// violated the truce": someone reports that another actor did wrong — an
/// accusation (CAMEO 112) from the speaker (the subject just before the
/// reporting verb) to the subject of the reported clause, which stands
/// right after it.
pub(crate) fn reported_accusation(
    dictionaries: &Dictionaries,
    tokens: &[Token],
    actors: &[ActorPhrase],
    setting: &Setting,
    text: &str,
) -> Option<CodedEvent> {
    let says = tokens
        .iter()
        .position(|t| en().has(WordSet::ReportingVerb, &t.norm))?;
    let speaker = subject_before(tokens, actors, says)?;
    let accused = actors.iter().find(|a| {
        a.tokens.start > says
            && tokens[says + 1..a.tokens.start]
                .iter()
                .all(|t| t.norm == "that" || t.pos == Upos::Det)
    })?;
    let charge = tokens[accused.tokens.end..]
        .iter()
        .take(CHARGE_REACH)
        .take_while(|t| !en().has(WordSet::ClauseBreak, &t.norm) && t.norm != ".")
        .any(|t| en().has(WordSet::Wrongdoing, &t.norm));
    let (source, target) = (speaker.actor.clone()?, accused.actor.clone()?);
    if !charge || same_actor(&source, &target) {
        return None;
    }
    Some(said_act(
        (source, Some(target)),
        dictionaries.cameo(ACCUSATION_CODE)?.clone(),
        (setting, text, tokens),
        says,
        "rule:reported-accusation",
    ))
}

/// CAMEO's denial (016: deny responsibility, or what was reported).
const DENIAL_CODE: &str = "016";

/// How far after the reporting verb the report's falsity may be told.
const DENIAL_REACH: usize = 30;

/// "Iran said reports that it had attacked Kuwaiti tankers were false": a
/// speaker who calls a report false denies it (CAMEO 016), and what the
/// report tells did not happen by the speaker's account — it is no event
/// of the sentence. With the tokens the report's content spans.
pub(crate) fn denied_report(
    dictionaries: &Dictionaries,
    tokens: &[Token],
    actors: &[ActorPhrase],
    setting: &Setting,
    text: &str,
) -> Option<(CodedEvent, Range<usize>)> {
    let says = tokens
        .iter()
        .position(|t| en().has(WordSet::ReportingVerb, &t.norm))?;
    // "said (that) (the) reports …".
    let report = (says + 1..tokens.len().min(says + 4))
        .take_while(|&k| k == says + 1 || matches!(tokens[k - 1].pos, Upos::Det | Upos::Sconj))
        .find(|&k| en().has(WordSet::Hearsay, &tokens[k].norm))?;
    let falsity = (report + 2..tokens.len().min(says + DENIAL_REACH)).find(|&k| {
        en().has(WordSet::Falsity, &tokens[k].norm) && en().has(WordSet::Be, &tokens[k - 1].norm)
    })?;
    let speaker = subject_before(tokens, actors, says)?.actor.clone()?;
    let denial = said_act(
        (speaker, None),
        dictionaries.cameo(DENIAL_CODE)?.clone(),
        (setting, text, tokens),
        says,
        "rule:denied-report",
    );
    Some((denial, report..falsity))
}

/// How many words ("allegedly", another adverb) may stand between "for"
/// and the wrongdoing it gives as a reason.
const REASON_GAP: usize = 2;

/// "Mogadishu cut ties with Kenya for allegedly meddling in its affairs": a
/// punitive act (rejection to coercion, CAMEO 12–17) whose "for allegedly"
/// names a wrongdoing as its reason, or whose "on allegations of" names the
/// charge, accuses its target of it (112): who punishes asserts the wrong.
/// The accusation of the first such event among `events`.
pub(crate) fn punished_wrong(
    dictionaries: &Dictionaries,
    (tokens, actions): (&[Token], &[Action]),
    events: &[CodedEvent],
    setting: &Setting,
    text: &str,
) -> Option<CodedEvent> {
    // "for allegedly meddling": the adverb makes the reason the punisher's
    // charge; "expelled for spying" tells the reason as the writer's fact.
    // "jailed … on allegations of treason" names the charge as one.
    let reason = tokens.iter().enumerate().position(|(k, t)| {
        let after = &tokens[k + 1..tokens.len().min(k + 2 + REASON_GAP)];
        let alleged = t.norm == "for"
            && after
                .first()
                .is_some_and(|w| matches!(w.norm.as_str(), "allegedly" | "supposedly"))
            && after.iter().any(|w| en().has(WordSet::Wrongdoing, &w.norm));
        let on_allegations = t.norm == "on"
            && after
                .first()
                .is_some_and(|w| matches!(w.norm.as_str(), "allegations" | "accusations"))
            && after.get(1).is_some_and(|w| w.norm == "of");
        alleged || on_allegations
    })?;
    let punitive = |code: &str| {
        ["12", "13", "14", "15", "16", "17"]
            .iter()
            .any(|root| code.starts_with(root))
    };
    // The punished act stands before its reason ("blamed Washington for
    // obstructing talks": the obstruction is the charge, not a penalty).
    let punished = events.iter().find(|e| {
        punitive(&e.cameo.code)
            && e.target.is_some()
            && actions.iter().any(|a| {
                a.tokens.start < reason
                    && e.rule
                        .strip_prefix(a.pattern.id.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('>'))
            })
    })?;
    let accusation = said_act(
        (punished.source.clone(), punished.target.clone()),
        dictionaries.cameo(ACCUSATION_CODE)?.clone(),
        (setting, text, tokens),
        reason,
        "rule:punished-wrong",
    );
    Some(accusation)
}

/// The actor phrase that is the subject of the verb at `verb`: the last one
/// ending at most [`SUBJECT_GAP`] words before it, not a preposition's object.
fn subject_before<'a>(
    tokens: &[Token],
    actors: &'a [ActorPhrase],
    verb: usize,
) -> Option<&'a ActorPhrase> {
    actors.iter().rev().find(|a| {
        a.tokens.end <= verb
            && verb - a.tokens.end <= SUBJECT_GAP
            && a.actor.is_some()
            && !follows_preposition(tokens, a)
    })
}

/// The surnames of the people a sentence introduces as commentators: a name
/// before an apposition with a commentator noun ("Charles Hecker, an expert
/// on ...") or after one ("analyst Charles Hecker"). Lower case.
pub(crate) fn commentator_names(tokens: &[Token]) -> Vec<String> {
    let name_end = |end: usize| {
        (end > 0 && tokens[end - 1].capitalized && tokens[end - 1].pos == Upos::Propn)
            .then(|| tokens[end - 1].norm.clone())
    };
    let mut names = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        // "Alexander Gabuev, director of the Berlin-based Carnegie Russia
        // Eurasia Center": someone presented by a research body speaks for it.
        if t.capitalized && en().has(WordSet::ResearchBody, &t.norm) {
            names.extend(research_affiliate(tokens, k).and_then(name_end));
        }
        if t.capitalized || !en().has(WordSet::Commentator, &t.norm) {
            continue;
        }
        // "Hecker, an expert": the comma, an article, perhaps a modifier.
        let comma = tokens[k.saturating_sub(4)..k]
            .iter()
            .rposition(|w| w.norm == ",")
            .map(|p| k.saturating_sub(4) + p);
        if let Some(c) = comma
            && tokens[c + 1..k]
                .iter()
                .all(|w| matches!(w.pos, Upos::Det | Upos::Adj | Upos::Noun))
        {
            names.extend(name_end(c));
        }
        // "analyst Charles Hecker".
        let after = tokens[k + 1..]
            .iter()
            .take_while(|w| w.capitalized && w.pos == Upos::Propn)
            .count();
        if after > 0 {
            names.extend(name_end(k + 1 + after));
        }
    }
    names
}

/// Where the name ends that an apposition naming the research body whose
/// name ends at `body` presents: "NAME, director of the ... Center",
/// "NAME, a fellow at the ... Institute" — a comma, then a role with "of" or
/// "at", with no other comma or verb between.
fn research_affiliate(tokens: &[Token], body: usize) -> Option<usize> {
    let start = body.saturating_sub(RESEARCH_REACH);
    let comma = start + tokens[start..body].iter().rposition(|t| t.norm == ",")?;
    let stretch = &tokens[comma + 1..body];
    let affiliated = stretch
        .iter()
        .any(|t| matches!(t.norm.as_str(), "of" | "at"));
    // "Berlin-based" is a modifier, whatever its participle.
    let verbless = stretch
        .iter()
        .enumerate()
        .all(|(i, t)| !t.pos.is_verbal() || (i > 0 && stretch[i - 1].norm == "-"));
    (affiliated && verbless).then_some(comma)
}

/// How far before a research body's name its person's comma may stand.
const RESEARCH_REACH: usize = 12;

/// Whether a sentence quotes commentators (analysts, experts, scholars):
/// their views and forecasts are analysis, which event data leaves out,
/// not acts of the actors they talk about.
/// `known` are the surnames of commentators the article introduced before
/// ("Hecker cautions", "Gabuev added").
pub(crate) fn commentary(tokens: &[Token], known: &[String]) -> bool {
    // A capital opening the sentence makes no name ("Analysts say").
    let commentator = tokens.iter().enumerate().any(|(k, t)| {
        ((!t.capitalized || k == 0) && en().has(WordSet::Commentator, &t.norm))
            || (t.capitalized && known.contains(&t.norm))
    });
    let speech = tokens
        .iter()
        .any(|t| en().has(WordSet::SpeechVerb, &t.norm) || en().has(WordSet::OpinionVerb, &t.norm));
    commentator && speech
}
