//! Stage: arguments. Assigns each action its sources and targets from the
//! actor phrases around it: subject and object, coordination, passive
//! voice, inverted reporting clauses, purpose clauses.

use std::ops::Range;

use crate::{
    dictionary::{ActorKind, verbs::is_past_form},
    lexicon::{WordSet, en},
    model::CodedActor,
    parser::{Dependency, Relation},
    reference::TOPIC_RULE,
    setting::Setting,
    tagger::Upos,
    text::Token,
};

use super::{
    actors::ActorPhrase,
    clauses::{comma_stretch_opener, coordinated_subject},
    recode::{CodeClass, in_class, under_class},
    speech::STATEMENT_CODE,
    syntax::Syntax,
    triggers::Action,
};

/// How far (in tokens) the coder looks for an action's source and target.
pub(crate) const ACTOR_WINDOW: usize = 24;

/// How far (in tokens) after a protest's purpose verb its target may be
/// named: "to demand the resignation of President X".
const PROTEST_PURPOSE_REACH: usize = 6;

/// Sources and targets for an action: one pair per source (coordinated
/// subjects give several), or none when no source is found.
pub(crate) fn assign_roles(
    tokens: &[Token],
    actors: &[ActorPhrase],
    action: &Action,
    next: Option<&Action>,
    (setting, syntax): (&Setting, &Syntax),
    unnamed_agent: impl Fn(&CodedActor) -> Option<CodedActor>,
) -> Vec<(CodedActor, Option<CodedActor>)> {
    let start = action.tokens.start;
    // "praised the withdrawal of U.S. troops", "voiced concern over what
    // it called the 'ultimatums' from Armenia": an event noun that is no
    // prepositional adjunct stays in the verb's clause, and so do the
    // actors of its phrase.
    let clause_end = match next {
        Some(n) if n.pattern.nominal && !in_adjunct(tokens, n) => n.tokens.end + NOUN_REACH,
        Some(n) => n.tokens.start,
        None => tokens.len(),
    }
    .min(action.tokens.end + ACTOR_WINDOW)
    .min(tokens.len());
    // "were attacked", "were 'brutally attacked'": quotation marks aside.
    let after_be = tokens[..start]
        .iter()
        .rev()
        .filter(|t| t.norm != "\"")
        .take(2)
        .any(|t| en().has(WordSet::Be, &t.norm));
    // "was attacked by", "'will be crushed' by": the word after the act,
    // past a closing quotation mark.
    let by = action.tokens.end
        + usize::from(
            tokens
                .get(action.tokens.end)
                .is_some_and(|t| t.norm == "\""),
        );
    let passive = after_be && tokens.get(by).is_some_and(|t| t.norm == "by");

    // Actors are in sentence order: only those within the window are looked at.
    let first = actors.partition_point(|a| a.tokens.end + ACTOR_WINDOW < start);
    let last = actors.partition_point(|a| a.tokens.start < clause_end);
    let nearby = &actors[first..last.max(first)];
    // A quotation ends the clause: '"... the gang leader was killed," X told
    // reporters' has no target outside the quote, and a verb outside
    // quotes no subject inside one.
    let segment = setting.quote_segment(start);
    // "…, prisoners rioted and guerrillas attacked": a coordinated clause's
    // subject is its own noun phrase, never an actor of the clause before.
    let own_subject = coordinated_subject(tokens, action);
    let next_subject = next.and_then(|n| coordinated_subject(tokens, n));
    let dateline = dateline_end(tokens);
    let left: Vec<&ActorPhrase> = nearby
        .iter()
        .filter(|a| a.tokens.end <= start)
        .filter(|a| setting.in_quote(start) || !setting.in_quote(a.tokens.start))
        .filter(|a| !follows_preposition(tokens, a))
        .filter(|a| !in_participle_agent(tokens, a))
        .filter(|a| !in_fronted_clause(tokens, a, start))
        .filter(|a| !in_closed_relative_clause(tokens, a, start))
        .filter(|a| !in_apposition(tokens, nearby, a, start))
        .filter(|a| a.tokens.end > dateline)
        .filter(|a| {
            own_subject
                .as_ref()
                .is_none_or(|s| a.tokens.start >= s.start)
        })
        .collect();
    // Actors after the action, or inside it where a pattern's wildcard
    // covers the object ("accused Azerbaijan of").
    let right: Vec<&ActorPhrase> = nearby
        .iter()
        .filter(|a| a.tokens.start > start && a.actor.is_some())
        .filter(|a| setting.quote_segment(a.tokens.start) == segment)
        .filter(|a| !possessor_of_next(tokens, nearby, a))
        .filter(|a| !subject_of_next_clause(tokens, action, next, next_subject.as_ref(), a))
        .filter(|a| !place_of_the_article(tokens, action, a))
        .filter(|a| !(verbal_cooperation(action) && names_a_place(tokens, a)))
        .filter(|a| !in_reported_content(tokens, action, a))
        .collect();

    let mut sources: Vec<CodedActor> = Vec::new();
    let mut source_phrases: Vec<&ActorPhrase> = Vec::new();
    if let Some(subject) = left.last() {
        sources.extend(subject.actor.clone());
        source_phrases.push(subject);
        // Coordination: "Putin and Pashinyan agreed".
        let mut head = subject.tokens.start;
        for earlier in left.iter().rev().skip(1) {
            // "Fabius and a group of deputies": the quantity is no gap.
            let gap: Vec<&str> = tokens[earlier.tokens.end..quantity_start(tokens, head)]
                .iter()
                .map(|t| t.norm.as_str())
                .collect();
            let list_comma = gap.as_slice() == [","] && sources.len() > 1;
            // An empty gap only separates the halves of "the two countries".
            if matches!(gap.as_slice(), [] | ["and"] | [",", "and"]) || list_comma {
                sources.extend(earlier.actor.clone());
                source_phrases.push(earlier);
                head = earlier.tokens.start;
            } else {
                break;
            }
        }
    }
    let mut targets: Vec<CodedActor> = Vec::new();
    if let Some(object) = right.first() {
        targets.extend(object.actor.clone());
        // Coordination: "visit Mauritania and Senegal".
        let mut tail = object.tokens.end;
        for later in right.iter().skip(1) {
            if list_separator(&tokens[tail..later.tokens.start]) {
                targets.extend(later.actor.clone());
                tail = later.tokens.end;
            } else {
                break;
            }
        }
    }
    let mut target = targets.first().cloned();
    // "launched an offensive into X to disarm Y": force used to do something
    // to Y is used against Y. "went on strike to demand the resignation of
    // the president": a protest is aimed at whom it makes demands of.
    let purpose_reach = match action.pattern.code.get(..2) {
        Some("14") => Some(PROTEST_PURPOSE_REACH),
        Some(root) if root >= "17" => Some(2),
        _ => None,
    };
    if target.is_none()
        && let Some(reach) = purpose_reach
        && let Some(purpose) = next.filter(|n| {
            n.tokens.start > 0 && tokens[n.tokens.start - 1].norm == "to" && !n.pattern.nominal
        })
    {
        target = actors
            .iter()
            .find(|a| {
                a.tokens.start >= purpose.tokens.end
                    && a.tokens.start <= purpose.tokens.end + reach
                    && a.actor.is_some()
            })
            .and_then(|a| a.actor.clone());
    }
    // "the gang leader was killed in a gun battle with police": a passive
    // without "by" has its patient as subject; the counterpart that "with"
    // introduces after the act or after a noun of encounter ("killed in
    // clashes with", "a gun battle with"), if any, did it — not "near the
    // border with Niger".
    let agentless =
        after_be && !passive && !action.pattern.nominal && is_past_form(&tokens[start].norm);
    if agentless {
        let patient = left.last().and_then(|a| a.actor.clone());
        let act_ends = [
            Some(action.tokens.end),
            next.filter(|n| n.pattern.nominal).map(|n| n.tokens.end),
        ];
        let counterpart = right
            .iter()
            .find(|a| {
                tokens[..a.tokens.start]
                    .iter()
                    .rposition(|t| !en().has(WordSet::BeforeName, &t.norm))
                    .is_some_and(|w| {
                        tokens[w].norm == "with"
                            && (act_ends.contains(&Some(w))
                                || w.checked_sub(1)
                                    .is_some_and(|p| en().has(WordSet::Encounter, &tokens[p].norm)))
                    })
            })
            .and_then(|a| a.actor.clone());
        // "Minah has been detained": no one named, the one who alone does
        // such acts did it.
        return match (counterpart, patient) {
            (Some(agent), Some(patient)) if !same_actor(&agent, &patient) => {
                vec![(agent, Some(patient))]
            }
            (None, Some(patient)) => unnamed_agent(&patient)
                .map(|agent| vec![(agent, Some(patient))])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
    }
    if passive {
        // The agent is the phrase "by" introduces ("hit by gunfire and a
        // staff member went missing" has no actor as agent).
        let agent = right
            .first()
            .filter(|a| {
                // Only an actor after "by"; one inside the pattern is not it.
                tokens.get(by + 1..a.tokens.start).is_some_and(|gap| {
                    gap.iter()
                        .all(|t| matches!(t.pos, Upos::Det | Upos::Adj | Upos::Num | Upos::Pron))
                })
            })
            .and_then(|a| a.actor.clone());
        // The patient may sit in a phrase: "a camp for Congolese refugees was attacked".
        let patient = nearby
            .iter()
            .rev()
            .find(|a| a.tokens.end <= start && a.actor.is_some())
            .and_then(|a| a.actor.clone());
        sources = agent.into_iter().collect();
        target = patient;
    }
    // Inverted reporting clause: "..., said Mr. Peskov". The object of
    // "told" is its hearer, never its speaker.
    let lemma = action.pattern.id.strip_prefix("verb:").unwrap_or_default();
    if sources.is_empty()
        && action.pattern.code == STATEMENT_CODE
        && !en().has(WordSet::AddressedSpeech, lemma)
    {
        sources.extend(right.first().and_then(|a| a.actor.clone()));
        target = None;
    }
    if sources.is_empty() {
        return Vec::new();
    }
    if !passive
        && !action.pattern.nominal
        && let Some(parsed) = parsed_source(tokens, syntax, start, &source_phrases, nearby)
            .or_else(|| participle_source(tokens, syntax, start, &source_phrases, nearby))
            .or_else(|| relative_source(tokens, syntax, start, &source_phrases, nearby))
    {
        sources = parsed.cloned().into_iter().collect();
        if sources.is_empty() {
            return Vec::new();
        }
    }
    // "X and Y shook hands at a CSTO summit": a meeting of several subjects
    // is between them unless the text names a counterpart with "with".
    let meeting_of_subjects = action.pattern.code.starts_with("04")
        && right.first().is_some_and(|a| {
            a.tokens
                .start
                .checked_sub(1)
                .and_then(|p| tokens.get(p))
                .is_none_or(|t| t.norm != "with")
        });
    let reciprocal = under_class(CodeClass::Reciprocal, &action.pattern.code);
    if sources.len() > 1 && reciprocal && (target.is_none() || meeting_of_subjects) {
        // "X and Y met": each is the other's counterpart.
        return sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), Some(sources[(i + 1) % sources.len()].clone())))
            .collect();
    }
    if !passive && targets.len() > 1 {
        return sources
            .iter()
            .flat_map(|s| targets.iter().map(move |t| (s.clone(), Some(t.clone()))))
            .filter(|(s, t)| t.as_ref().is_none_or(|t| !same_actor(s, t)))
            .collect();
    }
    sources
        .into_iter()
        .map(|source| {
            let target = target
                .clone()
                .filter(|t| !same_actor(&source, t) && !own_state(&source, t));
            (source, target)
        })
        .collect()
}

/// "rejected the claims that their ventures deprive ethnic Baloch": the
/// actors of what a claim, report or allegation says are not parties to
/// the act done on it.
fn in_reported_content(tokens: &[Token], action: &Action, actor: &ActorPhrase) -> bool {
    let end = action.tokens.end;
    end > 0
        && actor.tokens.start > end
        && en().has(WordSet::Hearsay, &tokens[end - 1].norm)
        && tokens.get(end).is_some_and(|t| t.norm == "that")
}

/// Days named from the day of writing: nouns a parser may take for a
/// subject ("Syrian officers today ended").
const DEICTIC_DAYS: [&str; 4] = ["today", "yesterday", "tonight", "tomorrow"];

/// The source the parse names where the nearest-actor reading reached
/// across a verb of saying for a verb's subject: in "Iran said the tanker
/// was heading to China" the tanker heads, and no actor acts; in "X said
/// the revised figures would not push the government off its course" the
/// figures push. `Some(None)` when that subject is no known actor. `None`
/// where the parse is not needed (no common noun stands between the
/// saying and the verb) or agrees.
///
/// A subject with a pronoun possessor ("said *his country* wanted") and
/// one in apposition to a source ("Japan, *the biggest buyer*, asked")
/// refer back to the source, and leave it.
fn parsed_source<'a>(
    tokens: &[Token],
    syntax: &Syntax,
    verb: usize,
    sources: &[&ActorPhrase],
    nearby: &'a [ActorPhrase],
) -> Option<Option<&'a CodedActor>> {
    let after = sources.iter().map(|p| p.tokens.end).max()?;
    // Only across a verb of saying or opinion does the nearest actor
    // before a verb so often belong to another clause.
    let saying = (after..verb).find(|&w| {
        en().has(WordSet::SpeechVerb, &tokens[w].norm)
            || en().has(WordSet::OpinionVerb, &tokens[w].norm)
    })?;
    let after = saying + 1;
    let candidate = |w: usize| {
        tokens[w].pos == Upos::Noun
            && !DEICTIC_DAYS.contains(&tokens[w].norm.as_str())
            && !nearby.iter().any(|p| p.tokens.contains(&w))
    };
    if !(after..verb).any(candidate) {
        return None;
    }
    let subject = syntax
        .subject_of(verb)
        .filter(|&s| (after..verb).contains(&s) && candidate(s))?;
    let pronoun_possessor = (0..tokens.len()).any(|w| {
        tokens[w].pos == Upos::Pron
            && syntax.dependency(w).head == Some(subject)
            && syntax.dependency(w).relation == Relation::Poss
    });
    let apposed = syntax.dependency(subject).relation == Relation::Appos
        || sources.iter().any(|p| {
            p.tokens.clone().any(|w| {
                syntax.dependency(w)
                    == Dependency {
                        head: Some(subject),
                        relation: Relation::Appos,
                    }
            })
        });
    let agrees = sources
        .iter()
        .any(|p| p.tokens.clone().any(|w| syntax.dominated_by(w, subject)));
    if pronoun_possessor || apposed || agrees {
        return None;
    }
    Some(
        nearby
            .iter()
            .find(|p| p.tokens.clone().any(|w| syntax.dominated_by(w, subject)))
            .and_then(|p| p.actor.as_ref()),
    )
}

/// The source of an "-ing" participle that modifies the noun before it:
/// that noun ("rebels *fighting* the president"; "the court lifted orders
/// *blocking* the swearing-in" — the orders block, not the court).
/// `Some(None)` when the noun is no known actor; `None` where the parse
/// reads the participle otherwise, or agrees with the sources.
fn participle_source<'a>(
    tokens: &[Token],
    syntax: &Syntax,
    verb: usize,
    sources: &[&ActorPhrase],
    nearby: &'a [ActorPhrase],
) -> Option<Option<&'a CodedActor>> {
    let before = verb.checked_sub(1)?;
    if !tokens[verb].norm.ends_with("ing")
        || !matches!(tokens[before].pos, Upos::Noun | Upos::Propn)
    {
        return None;
    }
    let dependency = syntax.dependency(verb);
    let noun = dependency
        .head
        .filter(|_| dependency.relation == Relation::Acl)?;
    modified_noun_source(syntax, noun, sources, nearby)
}

/// The source of a verb whose subject is a relative pronoun after the
/// sources: the noun the relative clause modifies ("the Exclusion Act,
/// *which* admitted students but *banned* laborers": the act bans, not the
/// students). `Some(None)` when that noun is no known actor; `None` where
/// the parse reads the clause otherwise, or agrees with the sources.
fn relative_source<'a>(
    tokens: &[Token],
    syntax: &Syntax,
    verb: usize,
    sources: &[&ActorPhrase],
    nearby: &'a [ActorPhrase],
) -> Option<Option<&'a CodedActor>> {
    let after = sources.iter().map(|p| p.tokens.end).max()?;
    if !(after..verb).any(|w| en().has(WordSet::RelativePronoun, &tokens[w].norm)) {
        return None;
    }
    let pronoun = syntax.subject_of(verb).filter(|&s| {
        (after..verb).contains(&s) && en().has(WordSet::RelativePronoun, &tokens[s].norm)
    })?;
    let clause = syntax.dependency(pronoun).head?;
    let clause = syntax.dependency(clause);
    let noun = clause.head.filter(|_| clause.relation == Relation::Acl)?;
    modified_noun_source(syntax, noun, sources, nearby)
}

/// The source a clause modifying `noun` takes: the actor phrase that
/// `noun` heads or that hangs on it before it ("Kenyan rebels", "the
/// Commerce Department's restrictions"). `None` when that is already a
/// source; `Some(None)` when no actor phrase is there.
fn modified_noun_source<'a>(
    syntax: &Syntax,
    noun: usize,
    sources: &[&ActorPhrase],
    nearby: &'a [ActorPhrase],
) -> Option<Option<&'a CodedActor>> {
    let holds = |p: &ActorPhrase| {
        p.tokens
            .clone()
            .any(|w| syntax.dominated_by(w, noun) && w <= noun)
    };
    if sources.iter().any(|p| holds(p)) {
        return None;
    }
    Some(
        nearby
            .iter()
            .find(|p| holds(p))
            .and_then(|p| p.actor.as_ref()),
    )
}

/// "Pakistan received a loan from the IMF", "faced criticism from the
/// opposition": an act done to the subject goes from the actor the object
/// names to the subject; with no such actor no one is known to have done it.
pub(crate) fn done_to_subject(
    roles: Vec<(CodedActor, Option<CodedActor>)>,
) -> Vec<(CodedActor, Option<CodedActor>)> {
    roles
        .into_iter()
        .filter_map(|(subject, object)| object.map(|actor| (actor, Some(subject))))
        .collect()
}

/// Whether the words between two actor phrases join them in a list:
/// "and", ", and" or a comma ("Mauritania and Senegal").
fn list_separator(gap: &[Token]) -> bool {
    let words: Vec<&str> = gap.iter().map(|t| t.norm.as_str()).collect();
    matches!(words.as_slice(), ["and"] | [",", "and"] | [","])
}

/// Longest dateline: "BRUNSWICK, West Germany -" (a city in capitals, its
/// state, a dash).
const DATELINE_WORDS: usize = 8;

/// Where the dateline that opens a story ends ("BRUNSWICK, West Germany -
/// A former chief ... was arrested"): its place says where the story was
/// filed, and is no subject of the first sentence. 0 when there is none.
fn dateline_end(tokens: &[Token]) -> usize {
    let first = tokens.iter().position(|t| t.norm != "-").unwrap_or(0);
    if !tokens
        .get(first)
        .is_some_and(|t| t.all_caps && t.norm.len() > 1)
    {
        return 0;
    }
    tokens
        .iter()
        .enumerate()
        .skip(first + 1)
        .take(DATELINE_WORDS)
        .take_while(|(_, t)| t.capitalized || matches!(t.norm.as_str(), "," | "-" | "(" | ")"))
        .find(|(_, t)| t.norm == "-")
        .map_or(0, |(dash, _)| dash + 1)
}

/// "barred him from the country": the state the article is about, as
/// what someone is kept from, is a place, not the act's target; only what
/// departs from it ("the withdrawal of U.S. troops from the country") acts
/// on it. (After other prepositions it is no actor at all: see the coder.)
fn place_of_the_article(tokens: &[Token], action: &Action, phrase: &ActorPhrase) -> bool {
    let topic = phrase
        .actor
        .as_ref()
        .is_some_and(|a| a.rules.iter().any(|r| r == TOPIC_RULE));
    let from = phrase
        .tokens
        .start
        .checked_sub(1)
        .is_some_and(|k| tokens[k].norm == "from");
    topic && from && !under_class(CodeClass::Departure, &action.pattern.code)
}

/// "smashing furniture, police sources said": an actor right after a
/// comma whose verb follows it (the next action, at most two words on, no
/// comma between) is that clause's subject, not this act's object; so is
/// the subject of a coordinated clause ("clashed with police and rebels
/// attacked a base", `next_subject`).
fn subject_of_next_clause(
    tokens: &[Token],
    action: &Action,
    next: Option<&Action>,
    next_subject: Option<&Range<usize>>,
    phrase: &ActorPhrase,
) -> bool {
    let after_comma = tokens[action.tokens.end.min(phrase.tokens.start)..phrase.tokens.start]
        .iter()
        .rev()
        .find(|t| !en().has(WordSet::BeforeName, &t.norm))
        .is_some_and(|t| t.norm == ",");
    let coordinated = next_subject.is_some_and(|s| s.contains(&phrase.tokens.start));
    coordinated
        || after_comma
            && next.is_some_and(|n| {
                !n.pattern.nominal
                    && tokens
                        .get(phrase.tokens.end..n.tokens.start)
                        .is_some_and(|gap| gap.len() <= 2 && gap.iter().all(|t| t.norm != ","))
            })
}

/// "lawmakers led by Odinga and Karua": the agents of a participle that
/// modifies a noun, coordinated ones too, describe that noun's referent
/// and are no subject of the verb after them.
fn in_participle_agent(tokens: &[Token], actor: &ActorPhrase) -> bool {
    let by = tokens[..actor.tokens.start].iter().rposition(|t| {
        !matches!(
            t.pos,
            Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num
        ) && !matches!(t.norm.as_str(), "and" | "," | "'s" | "-" | ".")
    });
    by.is_some_and(|b| {
        tokens[b].norm == "by"
            && b >= 2
            && is_past_form(&tokens[b - 1].norm)
            && matches!(tokens[b - 2].pos, Upos::Noun | Upos::Propn)
    })
}

/// "Turkey's rival Greece": a possessor whose possessed noun is itself
/// named by the next actor only describes that actor.
fn possessor_of_next(tokens: &[Token], nearby: &[ActorPhrase], phrase: &ActorPhrase) -> bool {
    if tokens.get(phrase.tokens.end).is_none_or(|t| t.norm != "'s") {
        return false;
    }
    nearby.iter().any(|next| {
        next.actor.is_some()
            && next.tokens.start > phrase.tokens.end
            && next.tokens.start <= phrase.tokens.end + 3
            && tokens[phrase.tokens.end + 1..next.tokens.start]
                .iter()
                .all(|t| !t.capitalized && matches!(t.pos, Upos::Noun | Upos::Adj))
    })
}

/// Whether two actors are one: the same code and name, unless their words
/// name two bodies of that code ("the government ... the leaders of
/// Puntland").
pub(crate) fn same_actor(a: &CodedActor, b: &CodedActor) -> bool {
    a.code() == b.code() && a.name == b.name && !two_bodies(a, b)
}

/// Whether two phrases of one code name different political bodies or
/// people: neither's words hold the other's, and each names a part of
/// government or a person ("the government", "those leaders", "Farmajo"),
/// not the state as a whole nor by a pronoun. Units of one force ("forces
/// backed by artillery") are one actor.
pub(crate) fn two_bodies(a: &CodedActor, b: &CodedActor) -> bool {
    let (x, y) = (a.text.to_lowercase(), b.text.to_lowercase());
    let in_role = |actor: &CodedActor, words: &str| {
        !actor.role.is_empty()
            && matches!(actor.kind, ActorKind::Government | ActorKind::Person)
            && !en().has(WordSet::PersonReference, words)
    };
    in_role(a, &x) && in_role(b, &y) && !x.contains(&y) && !y.contains(&x)
}

/// "Russia's government ... Russia": a state's own government or forces do
/// not act on their state as a whole; such a target is a misreading (a
/// place, or the subject named again). Irregulars may act on their state.
fn own_state(source: &CodedActor, target: &CodedActor) -> bool {
    target.kind == ActorKind::State
        && target.role.is_empty()
        && target.country == source.country
        && source.kind != ActorKind::Organisation
        && in_class(CodeClass::StateForce, &source.role)
}

/// Statements, appeals, intents, meetings and diplomacy take place
/// somewhere: "in Moscow" after them is a venue.
fn verbal_cooperation(action: &Action) -> bool {
    matches!(&action.pattern.code[..2], "01" | "02" | "03" | "04" | "05")
}

/// Whether a state or its capital is named as a place: "a meeting in Moscow".
fn names_a_place(tokens: &[Token], actor: &ActorPhrase) -> bool {
    let is_place = actor.actor.as_ref().is_some_and(|a| {
        matches!(a.kind, ActorKind::State | ActorKind::Government) && a.rules.len() == 1
    });
    is_place
        && actor
            .tokens
            .start
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_some_and(|t| en().has(WordSet::PlacePreposition, &t.norm))
}

/// Whether the phrase is the object of a preposition ("from Armenia",
/// "according to Mr. Peskov"), skipping determiners and honorifics. The
/// "of" of a quantity is no such preposition: in "hundreds of farmers
/// protested" the farmers protested, and the phrase stands where its
/// quantity stands.
pub(crate) fn follows_preposition(tokens: &[Token], actor: &ActorPhrase) -> bool {
    let mut start = actor.tokens.start;
    loop {
        let window = start.saturating_sub(ACTOR_WINDOW)..start;
        let Some(k) = window
            .rev()
            .find(|&k| !en().has(WordSet::BeforeName, &tokens[k].norm))
        else {
            return false;
        };
        if !en().has(WordSet::Preposition, &tokens[k].norm) {
            return false;
        }
        match k.checked_sub(1) {
            Some(quantity) if tokens[k].norm == "of" && partitive(&tokens[quantity]) => {
                start = quantity;
            }
            _ => return true,
        }
    }
}

/// Where the quantity before the phrase at `head` starts ("a group of",
/// "hundreds of"), or `head` when there is none.
fn quantity_start(tokens: &[Token], head: usize) -> usize {
    match tokens[..head] {
        [.., ref det, ref part, ref of]
            if of.norm == "of" && partitive(part) && det.pos == Upos::Det =>
        {
            head - 3
        }
        [.., ref part, ref of] if of.norm == "of" && partitive(part) => head - 2,
        _ => head,
    }
}

/// Whether a word names a quantity of what its "of" phrase names
/// ("hundreds", "two", "some", "members").
fn partitive(t: &Token) -> bool {
    t.pos == Upos::Num || en().has(WordSet::Partitive, &t.norm)
}

/// Whether `actor` stands in a relative clause set off by commas that
/// closes before the verb at `verb`: in "Michel Barnier, who led the EU's
/// talks with Britain, criticized Hungary" the EU is no subject of
/// "criticized".
fn in_closed_relative_clause(tokens: &[Token], actor: &ActorPhrase, verb: usize) -> bool {
    let closes = tokens[actor.tokens.end..verb].iter().any(|t| t.norm == ",");
    closes
        && comma_stretch_opener(tokens, actor.tokens.start)
            .is_some_and(|t| matches!(t.norm.as_str(), "who" | "whose" | "whom" | "which"))
}

/// Whether `actor` sits in a subordinate clause that opens the sentence or
/// a comma-bounded stretch and has its own verb and a closing comma before
/// the verb at `verb`: "Since the Soviet Union fell, they have fought" —
/// the clause's words are its own, not the main verb's subject.
fn in_fronted_clause(tokens: &[Token], actor: &ActorPhrase, verb: usize) -> bool {
    let Some(comma) = tokens[actor.tokens.end..verb]
        .iter()
        .position(|t| t.norm == ",")
    else {
        return false;
    };
    let own_verb = tokens[actor.tokens.end..actor.tokens.end + comma]
        .iter()
        .any(|t| matches!(t.pos, Upos::Verb | Upos::Aux));
    let opening = tokens[..actor.tokens.start]
        .iter()
        .rposition(|t| t.norm == ",")
        .map_or(0, |c| c + 1);
    own_verb && tokens.get(opening).is_some_and(|t| t.pos == Upos::Sconj)
}

/// Whether `actor` sits in an apposition to an earlier actor, closed by a
/// comma before the verb at `verb`: "Pakistan, a key U.S. ally, has
/// refused" — the subject is Pakistan. The stretch between the commas is
/// more than the actor ("Putin, Erdogan, and Rouhani met" is a list) and
/// has no verb of its own (that would be a clause).
fn in_apposition(
    tokens: &[Token],
    actors: &[ActorPhrase],
    actor: &ActorPhrase,
    verb: usize,
) -> bool {
    let Some(open) = tokens[..actor.tokens.start]
        .iter()
        .rposition(|t| t.norm == ",")
    else {
        return false;
    };
    let Some(close) = tokens[actor.tokens.end..verb]
        .iter()
        .position(|t| t.norm == ",")
        .map(|p| actor.tokens.end + p)
    else {
        return false;
    };
    let stretch = &tokens[open + 1..close];
    let head_before = actors
        .iter()
        .any(|a| a.actor.is_some() && a.tokens.end == open);
    let more_than_the_actor = open + 1 < actor.tokens.start || actor.tokens.end < close;
    head_before
        && more_than_the_actor
        && stretch.first().is_some_and(|t| t.norm != "and")
        && !stretch
            .iter()
            .any(|t| matches!(t.pos, Upos::Verb | Upos::Aux))
}

/// The source and target of an event noun, read from its own phrase: the
/// possessor or a nationality before it ("Moscow's offer", "U.S.
/// sanctions") or "by"/"from" after it is the source; "to", "with",
/// "against", "on", "toward" after it — and "of" after acts of force ("the
/// bombing of X") — name the target; "between A and B" names both. None
/// unless the phrase names both, but for a protest (CAMEO 14), which needs
/// no named target: "the seamen's strike" is the seamen's.
pub(crate) fn noun_roles(
    tokens: &[Token],
    actors: &[ActorPhrase],
    action: &Action,
) -> Vec<(CodedActor, Option<CodedActor>)> {
    let start = action.tokens.start;
    let end = action.tokens.end;
    let force = action.pattern.code.as_str() >= "15";
    // The word a phrase's preposition, skipping determiners and honorifics.
    let preposition = |phrase: &ActorPhrase| {
        tokens[(start + 1).min(phrase.tokens.start)..phrase.tokens.start]
            .iter()
            .rev()
            .find(|t| !en().has(WordSet::BeforeName, &t.norm))
            .map(|t| t.norm.as_str())
    };
    let within = |reach: usize| -> Vec<&ActorPhrase> {
        actors
            .iter()
            .filter(|a| a.tokens.start >= end && a.tokens.start <= end + reach && a.actor.is_some())
            .collect()
    };
    let after = within(NOUN_REACH);
    // "between A and B": the pair's own coordination bounds it.
    if tokens.get(end).is_some_and(|t| t.norm == "between")
        && let [first, second, ..] = within(2 * NOUN_REACH).as_slice()
        && coordinated(&tokens[first.tokens.end..second.tokens.start])
    {
        return pair(first, second).into_iter().collect();
    }
    let possessor = actors.iter().rev().find(|a| {
        a.tokens.end <= start
            && a.actor.is_some()
            && tokens[a.tokens.end..start].len() <= 3
            && tokens[a.tokens.end..start].iter().all(|t| {
                matches!(t.norm.as_str(), "'s" | "'")
                    || matches!(t.pos, Upos::Adj | Upos::Num | Upos::Noun | Upos::Propn)
            })
    });
    // "the withdrawal of U.S. troops from Afghanistan": a mover's act
    // names its mover with "of" and the place left with "from".
    let departure = under_class(CodeClass::Departure, &action.pattern.code);
    let by = after
        .iter()
        .find(|a| match preposition(a) {
            Some("of") => departure,
            Some("from") if departure => false,
            Some(p) => en().has(WordSet::NounSource, p),
            None => false,
        })
        .copied();
    let target = after.iter().find(|a| match preposition(a) {
        Some("of") => force,
        Some("from") => departure,
        Some(p) => en().has(WordSet::NounTarget, p),
        None => false,
    });
    let (Some(source), Some(target)) = (possessor.or(by), target) else {
        // "the seamen's strike", "a strike by seamen": a possessive, not
        // a modifier ("public protests"), or "by" names the protester.
        let possessive = possessor.filter(|p| {
            tokens[p.tokens.end..start]
                .iter()
                .any(|t| matches!(t.norm.as_str(), "'s" | "'"))
        });
        return match possessive.or(by).and_then(|s| s.actor.clone()) {
            Some(source) if action.pattern.code.starts_with(PROTEST_ROOT) => {
                vec![(source, None)]
            }
            _ => Vec::new(),
        };
    };
    // "the withdrawal of U.S. and NATO troops": each coordinated source.
    let mut sources = vec![source];
    for next in actors
        .iter()
        .filter(|a| a.tokens.start >= source.tokens.end)
    {
        let last = sources.last().expect("one source at least");
        if !list_separator(&tokens[last.tokens.end..next.tokens.start])
            || next.tokens == target.tokens
        {
            break;
        }
        sources.push(next);
    }
    sources
        .into_iter()
        .filter_map(|source| pair(source, target))
        .collect()
}

/// The CAMEO root of protest: a demonstration, strike or boycott needs
/// no target named in its phrase (the protested government is implied).
const PROTEST_ROOT: &str = "14";

/// Whether the words between two actors join them as one pair: "and",
/// perhaps with the second's determiner ("between Turkey and the Kurds")
/// or a description the second's name stands in apposition to ("and an
/// armed group, the Syrian Democratic Forces"), or nothing where one
/// phrase names both ("between the two countries").
fn coordinated(gap: &[Token]) -> bool {
    let Some(and) = gap.iter().position(|t| t.norm == "and") else {
        return gap.is_empty();
    };
    let second = &gap[and + 1..];
    let determiner = |t: &Token| t.pos == Upos::Det;
    let description = match second.iter().rposition(|t| t.norm == ",") {
        Some(comma) => {
            second[..comma]
                .iter()
                .all(|t| matches!(t.pos, Upos::Det | Upos::Adj | Upos::Noun))
                && second[comma + 1..].iter().all(determiner)
        }
        None => second.iter().all(determiner),
    };
    gap[..and].is_empty() && description
}

/// Whether an event noun heads a prepositional phrase ("in attacks on",
/// "at the request of", "since the withdrawal"): an adjunct with its own
/// arguments.
fn in_adjunct(tokens: &[Token], noun: &Action) -> bool {
    tokens[..noun.tokens.start]
        .iter()
        .rev()
        .find(|t| !modifier_word(t) && t.norm != "\"")
        .is_some_and(|t| {
            en().has(WordSet::Preposition, &t.norm) || en().has(WordSet::Background, &t.norm)
        })
}

/// Whether the event noun `noun` is the object of the verb `verb` that
/// stands before it, with only its determiners and modifiers between
/// ("praised the ongoing U.S. withdrawal"). After a light verb the noun is
/// the verb's own act ("approved a ban": see the events stage).
pub(crate) fn object_of(tokens: &[Token], verb: &Action, noun: &Action) -> bool {
    noun.pattern.nominal
        && !verb.pattern.nominal
        && noun.tokens.start > verb.tokens.end
        && tokens[verb.tokens.end..noun.tokens.start]
            .iter()
            .all(modifier_word)
}

/// Whether a word may stand before an event noun in its phrase: a
/// determiner, modifier or compound part ("the ongoing U.S.-led").
fn modifier_word(t: &Token) -> bool {
    matches!(
        t.pos,
        Upos::Det | Upos::Adj | Upos::Num | Upos::Noun | Upos::Propn
    ) || matches!(t.norm.as_str(), "'s" | "-")
}

/// Whether the noun at `start` heads the object of a verb, so that the
/// clause's subject did the act it names: "Iran launched a new offensive",
/// "they carried out an attack", "agreed to hold talks" — the verb, perhaps
/// a particle, then only determiners and modifiers before the noun.
pub(crate) fn verb_object(tokens: &[Token], start: usize) -> bool {
    object_verb(tokens, start).is_some()
}

/// The verb whose object the noun at `start` heads (see [`verb_object`]).
pub(crate) fn object_verb(tokens: &[Token], start: usize) -> Option<usize> {
    let mut k = start;
    while k > 0 {
        k -= 1;
        let token = &tokens[k];
        match token.pos {
            Upos::Verb => return Some(k),
            Upos::Det | Upos::Adj | Upos::Num | Upos::Noun | Upos::Propn | Upos::Part => {}
            Upos::Adp if matches!(token.norm.as_str(), "out" | "up") => {}
            _ if matches!(token.norm.as_str(), "'s" | "-") => {}
            _ => return None,
        }
    }
    None
}

/// How far after an event noun its arguments may stand, in tokens.
const NOUN_REACH: usize = 8;

/// The source and target two phrases name, unless they are one actor.
fn pair(source: &ActorPhrase, target: &ActorPhrase) -> Option<(CodedActor, Option<CodedActor>)> {
    let (s, t) = (source.actor.clone()?, target.actor.clone()?);
    (!same_actor(&s, &t) && (s.country != t.country || s.role != t.role)).then_some((s, Some(t)))
}
