//! Stage: actors. Finds actor phrases in a sentence from the actor
//! dictionaries: matches grouped with the role nouns, possessives and
//! appositions around them ("Russian President Vladimir Putin", "Armenia's
//! foreign ministry"), each resolved to who it names on the article's date.

use std::ops::Range;

use chrono::NaiveDate;

use crate::{
    dictionary::{ActorKind, ActorPayload, AgentEntry, Dictionaries},
    lexicon::{WordSet, en},
    model::{ArticleText, CodedActor},
    tagger::Upos,
    text::Token,
};

/// An actor phrase found in a sentence: its token range and who it is
/// (`None` when the phrase is only a role noun, "the spokesman").
#[derive(Debug, Clone)]
pub(crate) struct ActorPhrase {
    pub tokens: Range<usize>,
    pub actor: Option<CodedActor>,
    /// The role noun of a phrase that names no one ("police", "the rebels"),
    /// left for the article's context to place in a country.
    pub role_noun: Option<AgentEntry>,
}

/// Actor phrases in sentence order: dictionary matches grouped with the
/// role nouns and possessives around them.
pub(crate) fn find(
    dictionaries: &Dictionaries,
    article: ArticleText<'_>,
    tokens: &[Token],
) -> Vec<ActorPhrase> {
    let mut matches: Vec<(Range<usize>, ActorPayload)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let found = dictionaries
            .actors
            .longest_at(tokens, i, |payload, span| payload.case_matches(span));
        match found {
            Some((found, payloads)) => {
                // "Saudi-led forces" are Saudi forces; "the Moscow-led alliance" is not
                // Moscow, nor are "Iran-backed rebels" Iran's.
                let owner = tokens
                    .get(found.end + 1)
                    .and_then(|t| en().value(WordSet::ModifierParticiple, &t.norm))
                    == Some("owner");
                let role_follows = || {
                    owner
                        && dictionaries
                            .actors
                            .longest_at(tokens, found.end + 2, |p, _| {
                                matches!(p, ActorPayload::Agent(_))
                            })
                            .is_some()
                };
                let payloads: Vec<&ActorPayload> = payloads
                    .iter()
                    .copied()
                    .filter(|p| {
                        !surname_of_someone_else(
                            p,
                            tokens,
                            &(found.start..found.end),
                            article.published,
                        )
                    })
                    .collect();
                // "Constantine Mitsotakis": a city that names its state,
                // before a name (of a person or of nothing known), is a
                // given name ("Kenya Airways" keeps the state's own name).
                let given_name = || {
                    found.end - found.start == 1
                        && payloads.iter().all(|p| {
                            matches!(p, ActorPayload::Named(e) if e.kind == ActorKind::State
                                && !e.name.eq_ignore_ascii_case(&tokens[found.start].norm))
                        })
                        && tokens.get(found.end).is_some_and(|t| {
                            t.capitalized
                                && t.pos == Upos::Propn
                                && !en().has(WordSet::Weekday, &t.norm)
                                && !en().has(WordSet::Month, &t.norm)
                        })
                        && dictionaries
                            .actors
                            .longest_at(tokens, found.end, |_, _| true)
                            .is_none_or(|(_, next)| {
                                next.iter().all(|p| {
                                    matches!(p, ActorPayload::Named(e) if e.kind == ActorKind::Person)
                                })
                            })
                };
                if !payloads.is_empty()
                    && (!modifier_only(tokens, found.end) || role_follows())
                    && !given_name()
                {
                    let best = best_payload(&payloads, article.published);
                    let span = found.start..found.end;
                    let best =
                        in_office_within(dictionaries, tokens, &span, best, article.published)
                            .unwrap_or(best);
                    let mut payload = dated(best, article.published);
                    if let ActorPayload::Named(person) = &mut payload
                        && person.kind == ActorKind::Person
                        && former_title(tokens, found.start)
                    {
                        person.role = "ELI".to_string();
                    }
                    matches.push((found.start..found.end, payload));
                }
                i = found.end;
            }
            None => i += 1,
        }
    }
    let is_verb = |word: &str| dictionaries.verbs.is_verb_form(word);
    let mut phrases = group_actor_matches(article.text, tokens, matches, &is_verb);
    // An organisation's officials are coded as the organisation (CAMEO):
    // the actor carries the organisation's name, as every other actor of
    // that code does ("Kaja Kallas" is coded EU, named "European Union").
    for actor in phrases.iter_mut().filter_map(|p| p.actor.as_mut()) {
        if actor.kind != ActorKind::Organisation
            && actor.role == "IGO"
            && let Some(name) = dictionaries.country_name(&actor.country)
        {
            actor.name = name.to_string();
        }
    }
    phrases
}

/// "Russian President Vladimir Putin" may be an alias of a past term only
/// (the Phoenix dictionaries end in 2014): a shorter name inside the match
/// that the same person holds office under on `date` ("Vladimir Putin",
/// dated to today's term) wins.
fn in_office_within<'d>(
    dictionaries: &'d Dictionaries,
    tokens: &[Token],
    found: &Range<usize>,
    best: &ActorPayload,
    date: NaiveDate,
) -> Option<&'d ActorPayload> {
    let ActorPayload::Named(person) = best else {
        return None;
    };
    if person.kind != ActorKind::Person || person.valid_on(date) {
        return None;
    }
    (found.start + 1..found.end).find_map(|k| {
        let (inner, payloads) = dictionaries
            .actors
            .longest_at(tokens, k, |p, span| p.case_matches(span))?;
        let within = inner.end <= found.end;
        payloads.into_iter().find(|p| {
            within
                && matches!(p, ActorPayload::Named(e)
                    if e.kind == ActorKind::Person && e.name == person.name && e.valid_on(date))
        })
    })
}

/// Whether a person matched by part of their name (a surname, "Stoltenberg")
/// is more likely someone else of that name: outside the person's term of
/// office (the dictionaries date people by their offices), or inside a
/// longer name that is not theirs ("Thorvald Stoltenberg" is not Jens,
/// "Francis Minah" is not Pope Francis, "Ilyas Ali Hassan" is not King
/// Hassan). A full name of several words, or a surname after a title,
/// always stands.
fn surname_of_someone_else(
    payload: &ActorPayload,
    tokens: &[Token],
    span: &Range<usize>,
    date: NaiveDate,
) -> bool {
    let ActorPayload::Named(entry) = payload else {
        return false;
    };
    let name_words = entry.name.split_whitespace().count();
    if entry.kind != ActorKind::Person || (span.len() >= name_words && name_words > 1) {
        return false;
    }
    let other_name = |k: usize| {
        let word = &tokens[k];
        word.capitalized
            && word.pos == Upos::Propn
            && !en().has(WordSet::Honorific, &word.norm)
            && !en().has(WordSet::Weekday, &word.norm)
            && !en().has(WordSet::Month, &word.norm)
            && !entry
                .name
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case(&word.norm))
    };
    let inside_other_name = span.start.checked_sub(1).is_some_and(other_name)
        || (span.end < tokens.len() && other_name(span.end));
    if span.len() >= name_words {
        return inside_other_name;
    }
    // "President Trump", "Chancellor Merkel": a title with the surname names
    // the person at any date (out of office, as a former official).
    let titled = span
        .start
        .checked_sub(1)
        .is_some_and(|p| en().has(WordSet::Honorific, &tokens[p].norm));
    (!entry.valid_on(date) && !titled) || inside_other_name
}

/// Whether the title before a person's name says the person no longer holds
/// it: "Former U.S. President Barack Obama", "ex-Prime Minister X".
fn former_title(tokens: &[Token], start: usize) -> bool {
    tokens[start.saturating_sub(5)..start]
        .iter()
        .rev()
        .take_while(|t| {
            en().has(WordSet::Former, &t.norm)
                || en().has(WordSet::Honorific, &t.norm)
                || t.capitalized
                || t.norm == "-"
        })
        .any(|t| en().has(WordSet::Former, &t.norm))
}

/// The first actor phrase that shares a token with `range`.
pub(crate) fn overlapping(actors: &[ActorPhrase], range: &Range<usize>) -> Option<usize> {
    actors
        .iter()
        .position(|a| a.tokens.start < range.end && range.start < a.tokens.end)
}

/// Adds a phrase resolved from a reference, keeping the phrases in sentence order.
pub(crate) fn insert_phrase(
    actors: &mut Vec<ActorPhrase>,
    tokens: Range<usize>,
    actor: CodedActor,
) {
    let at = actors.partition_point(|a| a.tokens.start < tokens.start);
    actors.insert(
        at,
        ActorPhrase {
            tokens,
            actor: Some(actor),
            role_noun: None,
        },
    );
}

/// Whether the name ending before token `end` only modifies a noun ("Moscow-led").
fn modifier_only(tokens: &[Token], end: usize) -> bool {
    tokens.get(end).is_some_and(|t| t.norm == "-")
        && tokens
            .get(end + 1)
            .is_some_and(|t| en().has(WordSet::ModifierParticiple, &t.norm))
}

/// Person > organisation > named actor with a role (metonym) > state > role noun.
/// Entries valid on the date first.
fn best_payload<'p>(payloads: &[&'p ActorPayload], date: NaiveDate) -> &'p ActorPayload {
    let rank = |p: &ActorPayload| match p {
        ActorPayload::Named(e) if !e.valid_on(date) => 5,
        ActorPayload::Named(e) if e.kind == ActorKind::Person => 0,
        ActorPayload::Named(e) if e.kind == ActorKind::Organisation => 1,
        ActorPayload::Named(e) if !e.role.is_empty() => 2,
        ActorPayload::Named(_) => 3,
        ActorPayload::Agent(_) => 4,
    };
    payloads
        .iter()
        .copied()
        .min_by_key(|p| rank(p))
        .expect("longest_at returns at least one payload")
}

/// The entry as it stood on `date`: someone named outside their term of
/// office is an elite of their country (CAMEO "ELI"), not its government.
fn dated(payload: &ActorPayload, date: NaiveDate) -> ActorPayload {
    match payload {
        ActorPayload::Named(e) if !e.valid_on(date) && e.kind == ActorKind::Person => {
            let mut former = e.clone();
            former.role = "ELI".to_string();
            ActorPayload::Named(former)
        }
        other => other.clone(),
    }
}

fn span_text(text: &str, tokens: &[Token]) -> String {
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) => text[first.bytes.start..last.bytes.end].to_string(),
        _ => String::new(),
    }
}

/// Joins dictionary matches that name one actor: "Russian President Vladimir
/// Putin", "Armenia's foreign ministry", "ministry of Russia", "Ararat
/// Mirzoyan, Armenia's foreign minister".
fn group_actor_matches(
    text: &str,
    tokens: &[Token],
    matches: Vec<(Range<usize>, ActorPayload)>,
    is_verb: &dyn Fn(&str) -> bool,
) -> Vec<ActorPhrase> {
    let mut groups: Vec<(Range<usize>, Vec<ActorPayload>)> = Vec::new();
    for (range, mut payload) in matches {
        if let Some((last_range, payloads)) = groups.last_mut() {
            let gap: Vec<&str> = tokens[last_range.end..range.start]
                .iter()
                .map(|t| t.norm.as_str())
                .collect();
            let right_is_agent = matches!(payload, ActorPayload::Agent(_));
            let left_has_named = payloads.iter().any(|p| matches!(p, ActorPayload::Named(_)));
            let right_is_named = !right_is_agent;
            let joins = match gap.as_slice() {
                [] | ["'s"] => true,
                // "Saudi-led forces"
                ["-", participle] => {
                    right_is_agent && en().has(WordSet::ModifierParticiple, participle)
                }
                // "Irish nationalist guerrillas", "Israeli intelligence officials"
                words
                    if right_is_agent
                        && words.len() <= 2
                        && words.iter().all(|w| modifier_word(w) && !is_verb(w)) =>
                {
                    true
                }
                // "Kenya's former vice president", "Iran's supreme leader";
                // not a name: "Russia's Interfax news agency" is Interfax.
                ["'s", words @ ..]
                    if right_is_agent
                        && (1..=2).contains(&words.len())
                        && words.iter().all(|w| modifier_word(w) && !is_verb(w))
                        && tokens[range.start - words.len()..range.start]
                            .iter()
                            .all(|t| !t.capitalized) =>
                {
                    // A former office holder is an elite, no longer the office (CAMEO ELI).
                    if let ActorPayload::Agent(agent) = &mut payload
                        && words.iter().any(|w| en().has(WordSet::Former, w))
                    {
                        agent.role = "ELI".to_string();
                    }
                    true
                }
                // "students in Indonesia", "students throughout Indonesia".
                ["of" | "for" | "in" | "throughout" | "across"]
                | ["of" | "for" | "in" | "throughout" | "across", "the"] => {
                    right_is_named && !left_has_named
                }
                [","] => {
                    !right_is_agent
                        && (left_has_named || right_is_named)
                        && apposition_follows(&range, tokens)
                }
                _ => false,
            };
            if joins {
                last_range.end = range.end;
                payloads.push(payload);
                continue;
            }
        }
        groups.push((range, vec![payload]));
    }
    groups
        .into_iter()
        .map(|(range, payloads)| {
            let actor = resolve_group(&payloads, span_text(text, &tokens[range.clone()]));
            let role_noun = match actor {
                None => role_of_group(&payloads).cloned(),
                Some(_) => None,
            };
            ActorPhrase {
                actor,
                role_noun,
                tokens: range,
            }
        })
        .collect()
}

/// Words that may stand between a country and a role noun: adjectives and
/// noun modifiers, never verbs or prepositions.
fn modifier_word(word: &str) -> bool {
    word.len() > 1
        && word.chars().all(|c| c.is_ascii_lowercase())
        && !en().has(WordSet::FunctionWord, word)
}

/// "Mirzoyan, Armenia's foreign minister": a comma followed by a country and
/// a role noun describes the preceding person.
fn apposition_follows(range: &Range<usize>, tokens: &[Token]) -> bool {
    tokens.get(range.end).is_some_and(|t| t.norm == "'s")
}

/// The role a group's role nouns give: the last one ("Russian army
/// commander"), unless it only heads the group an earlier one names
/// ("union leader", "gang spokesman": the union's, the gang's).
fn role_of_group(payloads: &[ActorPayload]) -> Option<&AgentEntry> {
    let agents: Vec<&AgentEntry> = payloads
        .iter()
        .filter_map(|p| match p {
            ActorPayload::Agent(a) => Some(a),
            _ => None,
        })
        .collect();
    let (first, last) = (agents.first()?, agents.last()?);
    let head = last
        .id
        .strip_prefix("agent:")
        .is_some_and(|noun| en().has(WordSet::GroupHead, noun));
    Some(if head { first } else { last })
}

/// Who a group of matches names.
fn resolve_group(payloads: &[ActorPayload], text: String) -> Option<CodedActor> {
    let named = |kind: Option<ActorKind>| {
        payloads.iter().find_map(|p| match p {
            ActorPayload::Named(e) if kind.is_none_or(|k| e.kind == k) => Some(e),
            _ => None,
        })
    };
    let agent = role_of_group(payloads);
    let rules = payloads
        .iter()
        .map(|p| match p {
            ActorPayload::Named(e) => e.id.clone(),
            ActorPayload::Agent(a) => a.id.clone(),
        })
        .collect();
    let base = named(Some(ActorKind::Person))
        .or_else(|| named(Some(ActorKind::Organisation)))
        .or_else(|| named(None))?;
    // A named person, organisation or armed group keeps its own role
    // whatever describes it: "the paramilitary Rapid Support Forces" are
    // the RSF, not Sudan's military.
    let (role, kind) = match (base.kind, agent) {
        (ActorKind::Person | ActorKind::Organisation | ActorKind::ArmedGroup, _) => {
            (base.role.clone(), base.kind)
        }
        (_, Some(agent)) => (agent.role.clone(), agent.kind),
        _ => (base.role.clone(), base.kind),
    };
    Some(CodedActor {
        country: base.country.clone(),
        role,
        kind,
        name: base.name.clone(),
        text,
        rules,
    })
}
