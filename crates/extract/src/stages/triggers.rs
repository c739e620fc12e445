//! Stage: event triggers. Finds the actions of a sentence: verb patterns
//! and event nouns from the verb dictionaries, outside actor phrases.

use std::ops::Range;

use crate::{
    dictionary::{Dictionaries, VerbPattern, verbs::is_past_form},
    lexicon::{WordSet, en},
    tagger::Upos,
    text::Token,
};

use super::{
    actors::ActorPhrase,
    recode::{CodeClass, in_class},
    speech::STATEMENT_CODE,
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
        // "what it called the 'ultimatums'": a verb citing a term, quoted
        // or after "what", is no act ("called" is no phone call).
        if en().has(WordSet::CitingWord, &tokens[i].norm)
            && (tokens[i + 1..tokens.len().min(i + 3)]
                .iter()
                .any(|t| t.norm == "\"")
                || tokens[i.saturating_sub(3)..i]
                    .iter()
                    .any(|t| t.norm == "what"))
        {
            i += 1;
            continue;
        }
        // "the index released last week", "the sanctions imposed on
        // Russia": a participle after its noun modifies it; "a growing
        // rebellion", "of jailed former Prime Minister Imran Khan": one
        // before its noun is an adjective.
        if participle_modifier(tokens, actors, i) || attributive_participle(tokens, i) {
            i += 1;
            continue;
        }
        // "according to the ministry" attributes; it is no agreement.
        if tokens[i].norm == "according" && tokens.get(i + 1).is_some_and(|t| t.norm == "to") {
            i += 2;
            continue;
        }
        // Triggers are predicates: a verb pattern starts at a word the tagger
        // reads as a verb ("the states signed", not "the two states"); a noun
        // pattern ends in a noun, its head ("the attack", "a cease-fire", not
        // "they attack").
        // Right after an actor, a verb form is that actor's verb whatever the
        // tagger says ("... and President Vladimir Putin shake hands").
        let pos = tokens[i].pos;
        // But "the Kabul attack": a noun after a determined actor in the
        // singular is a compound ("the Palestinians reject" is a clause).
        // Nor after a nationality adjective: "a key Egyptian ally" is a noun
        // phrase, whatever the tagger makes of "ally".
        let after_actor = actors.iter().filter(|a| a.tokens.end == i).any(|a| {
            let last = &tokens[a.tokens.end - 1];
            let compound = pos == Upos::Noun
                && a.tokens.start > 0
                && tokens[a.tokens.start - 1].pos == Upos::Det
                && !last.norm.ends_with('s');
            // Nor after a possessive: "the Taliban's sweeping curbs".
            let modifier = last.pos == Upos::Adj || last.norm == "'s";
            !compound && !modifier
        });
        // "Fighting between Armenia and Azerbaijan erupted": a gerund
        // opening the sentence that names an act heads its subject, a
        // noun, no verb. A gerund of speech opens a participle clause
        // instead ("Speaking at the event, X said").
        let opening_gerund = i == 0
            && tokens[i].norm.ends_with("ing")
            && dictionaries
                .verbs
                .longest_at(tokens, i, |pattern, _| {
                    pattern.nominal && pattern.code != STATEMENT_CODE
                })
                .is_some();
        let found = dictionaries.verbs.longest_at(tokens, i, |pattern, span| {
            if pattern.nominal {
                // "the Finance Ministry": a word of an actor's name, or a
                // capitalised one just before it, is no act.
                let end = i + span.len();
                let in_name = actors.iter().any(|a| {
                    a.actor.is_some()
                        && ((a.tokens.start <= i && end <= a.tokens.end)
                            || (a.tokens.start == end && i > 0 && tokens[i].capitalized))
                });
                // "war crimes", "aid workers": an event noun before another
                // noun only modifies that noun, the compound's head.
                let modifier = span.last().is_some_and(|head| head.pos == Upos::Noun)
                    && tokens.get(end).is_some_and(|next| {
                        next.pos == Upos::Noun
                            && !next.capitalized
                            && !en().has(WordSet::ActHead, &next.norm)
                    });
                !in_name
                    && !modifier
                    && span
                        .last()
                        .is_some_and(|head| !head.pos.is_verbal() || opening_gerund)
            } else {
                !opening_gerund
                    && (pos == Upos::Verb || after_actor)
                    && !verb_in_gap(pattern, span)
                    && !modifies_actor(tokens, actors, i + span.len() - 1)
            }
        });
        // "the sanctions that Washington imposed": the frame's object
        // stands before the relative clause.
        let frame = (pos == Upos::Verb || after_actor)
            .then(|| relative_object_frame(dictionaries, tokens, actors, i))
            .flatten();
        match (found, frame) {
            (_, Some(pattern)) => {
                actions.push(Action {
                    tokens: i..i + 1,
                    pattern,
                });
                i += 1;
            }
            // "took lives", "seized the opportunity": the object makes
            // the verb no act; its words start no other pattern.
            (Some((found, patterns)), None) if patterns[0].names_no_event() => i = found.end,
            (Some((found, patterns)), None) => {
                actions.push(Action {
                    tokens: found.start..found.end,
                    pattern: patterns[0],
                });
                i = found.end;
            }
            (None, None) => i += 1,
        }
    }
    actions
}

/// Whether the verb at `i` is a past participle that modifies the common
/// noun before it, a reduced relative clause ("the index released last
/// week", "the index 2025 released in May", "workers held in prisons",
/// "the sanctions imposed on Russia"):
/// the noun, no actor, is what the act was done to, and the sentence's
/// news is told by another verb. The participle takes no object: a
/// preposition, an adverb, a time or punctuation follows it. A verb that
/// takes no object ("rioted", "clashed") has no passive participle.
fn participle_modifier(tokens: &[Token], actors: &[ActorPhrase], i: usize) -> bool {
    let (Some(noun), Some(verb)) = (i.checked_sub(1).map(|k| &tokens[k]), tokens.get(i)) else {
        return false;
    };
    let no_object = || {
        tokens.get(i + 1).is_none_or(|t| {
            matches!(t.pos, Upos::Adp | Upos::Adv | Upos::Punct)
                || en().has(WordSet::Background, &t.norm)
                || en().has(WordSet::Weekday, &t.norm)
                || en().has(WordSet::Month, &t.norm)
                || matches!(
                    t.norm.as_str(),
                    "last" | "next" | "this" | "earlier" | "yesterday" | "today"
                )
        })
    };
    verb.pos == Upos::Verb
        && (noun.pos == Upos::Num || (noun.pos == Upos::Noun && !noun.capitalized))
        && past_participle(&verb.norm)
        && !en().has(WordSet::Intransitive, &verb.norm)
        && no_object()
        && !actors.iter().any(|a| a.tokens.contains(&(i - 1)))
        && tokens
            .iter()
            .enumerate()
            .any(|(k, t)| k != i && t.pos == Upos::Verb)
}

/// Whether the word at `i` is a participle used as an adjective before
/// its noun: after a determiner or a possessive ("a growing rebellion",
/// "the Taliban's sweeping curbs") or, a past participle, after a
/// preposition ("of jailed former Prime Minister Imran Khan"); an "-ing"
/// word after a preposition is a gerund ("for attacking military vehicles").
fn attributive_participle(tokens: &[Token], i: usize) -> bool {
    let (Some(before), Some(word), Some(after)) = (
        i.checked_sub(1).map(|k| &tokens[k]),
        tokens.get(i),
        tokens.get(i + 1),
    ) else {
        return false;
    };
    if !matches!(after.pos, Upos::Adj | Upos::Noun | Upos::Propn) {
        return false;
    }
    let determined = before.pos == Upos::Det || before.norm == "'s";
    let after_preposition = before.pos == Upos::Adp && before.norm != "to";
    if !determined && !after_preposition {
        return false;
    }
    past_participle(&word.norm) || (determined && word.norm.ends_with("ing"))
}

/// Whether `word` may be a past participle: a past form other than "was"
/// and "were".
fn past_participle(word: &str) -> bool {
    is_past_form(word) && !matches!(word, "was" | "were")
}

/// Whether the word at `k` modifies the next noun of its actor phrase:
/// "attacked Afghan government forces" attacks forces, so the pattern
/// "attack .. government" (criticism, CAMEO 111) must not end on
/// "government". In a noun compound the last noun is the head; an actor
/// phrase is one argument, as in PETRARCH, which replaces noun phrases by
/// their codes before it matches patterns ("its forces in Lebanon" still
/// ends its noun at "forces").
fn modifies_actor(tokens: &[Token], actors: &[ActorPhrase], k: usize) -> bool {
    actors.iter().any(|a| {
        a.tokens.contains(&k)
            && a.tokens.contains(&(k + 1))
            && matches!(tokens[k + 1].pos, Upos::Noun | Upos::Propn)
    })
}

/// Whether a verb stands in the gap of a pattern's match: in "reported
/// launching a new offensive" the offensive is the object of "launching",
/// not of "reported" (an object belongs to the nearest verb before it).
/// The span's last word is the pattern's own.
/// Nor does an auxiliary or modal stand there: in "said Somalia will
/// release the prisoners" the release is the act of another clause, not
/// the object of "said" ("say .. release").
fn verb_in_gap(pattern: &VerbPattern, span: &[Token]) -> bool {
    let own_word = |t: &Token| {
        pattern
            .id
            .trim_start_matches("verb:")
            .split_whitespace()
            .any(|word| word == t.norm)
    };
    // A participle before its noun modifies it: "reject proposed changes".
    span.len() > 2
        && span.windows(2).skip(1).any(|w| {
            (w[0].pos == Upos::Verb && !matches!(w[1].pos, Upos::Noun | Upos::Adj | Upos::Propn)
                || w[0].pos == Upos::Aux)
                && !own_word(&w[0])
        })
}

/// The verb pattern of "NOUN that|which ACTOR VERB": the verb at `verb` read
/// with the relative clause's antecedent as its object ("the sanctions that
/// Washington imposed on Venezuela" is "impose .. sanctions"), if the
/// dictionaries have such a frame.
fn relative_object_frame<'d>(
    dictionaries: &'d Dictionaries,
    tokens: &[Token],
    actors: &[ActorPhrase],
    verb: usize,
) -> Option<&'d VerbPattern> {
    let subject = actors.iter().find(|a| a.tokens.end == verb)?;
    let relative = subject.tokens.start.checked_sub(1)?;
    if !matches!(tokens[relative].norm.as_str(), "that" | "which") {
        return None;
    }
    let antecedent = tokens.get(relative.checked_sub(1)?)?;
    if antecedent.pos != Upos::Noun {
        return None;
    }
    let frame = [tokens[verb].clone(), antecedent.clone()];
    let (found, patterns) = dictionaries
        .verbs
        .longest_at(&frame, 0, |pattern, _| !pattern.nominal)?;
    (found.end == frame.len() && !patterns[0].names_no_event()).then(|| patterns[0])
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
