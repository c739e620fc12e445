//! Stage: clauses. Which actions of a sentence are its news: the main
//! clause's action, not subordinate, relative, purpose or background ones.

use std::ops::Range;

use crate::{
    dictionary::verbs::is_past_form,
    lexicon::{WordSet, en},
    model::CodedEvent,
    tagger::Upos,
    text::Token,
};

use super::{
    arguments::object_verb,
    brokers::MEDIATION,
    events::{NOUN_ARGUMENTS, SentenceView, answers_itself},
    recode::{CodeClass, in_class},
    speech::STATEMENT_CODE,
    triggers::{Action, governs},
};

/// The events of the sentence's main action: the first verbal action that
/// codes, else the first noun ("the war"). A statement (CAMEO 010, "make
/// statement, not specified") is the news only when nothing else codes and
/// it was made to someone ("told parliament", "briefed reporters"): "X said
/// Y attacked Z" reports Y's attack, and an unaddressed "X said" with
/// nothing coded in what was said is comment, which event data leaves out
/// (the speaker is kept as the reporter of the sentence's other events).
/// Specific verbal acts (deny 016, decline comment 011, appeal 02) are not
/// statements.
/// Later actions are mostly subordinate clauses, which coders of
/// political event data leave out.
pub(crate) fn main_events(
    view: &SentenceView<'_, '_>,
    first_verb: Option<usize>,
    per_action: Vec<(&Action, Vec<CodedEvent>)>,
) -> Vec<CodedEvent> {
    let (tokens, actions) = (view.tokens, view.actions);
    let is_statement = |a: &Action| a.pattern.code == STATEMENT_CODE;
    let main_clause = |a: &Action| {
        !subordinate(tokens, a, first_verb)
            && !purpose_clause(tokens, actions, a)
            && !realis_clause(tokens, a)
    };
    let position = per_action
        .iter()
        .position(|(a, _)| !a.pattern.nominal && !is_statement(a) && main_clause(a))
        // "Italy announced a suspension of air links with Serbia, one day
        // after a Serbian jet shot down ...": the main verb's object names
        // the act, before the clause that tells what came first.
        .or_else(|| {
            per_action.iter().position(|(a, coded)| {
                a.pattern.nominal
                    && !is_statement(a)
                    && coded.iter().any(|e| e.target.is_some())
                    && object_verb(tokens, a.tokens.start).is_some_and(|v| {
                        !realis_at(tokens, v) && !after_relative_pronoun(tokens, v)
                    })
                    && !presupposed(tokens, a)
                    && !nested_in_noun_phrase(tokens, a)
            })
        })
        .or_else(|| {
            per_action.iter().position(|(a, _)| {
                !a.pattern.nominal && !is_statement(a) && !in_relative_clause(tokens, a)
            })
        })
        .or_else(|| {
            per_action.iter().position(|(a, _)| {
                !is_statement(a)
                    && !background(tokens, a)
                    && !in_relative_clause(tokens, a)
                    && (!a.pattern.nominal || !nested_in_noun_phrase(tokens, a))
            })
        })
        .or_else(|| {
            per_action
                .iter()
                .position(|(a, _)| is_statement(a) && addressed(view, a))
        });
    let Some(main) = position else {
        return Vec::new();
    };
    let mut events = Vec::new();
    let mut others = Vec::new();
    for (p, (action, coded)) in per_action.into_iter().enumerate() {
        // Which of the other acts' events count, and whether they share the
        // main verb's subject.
        let (keep, shares_subject): (fn(&CodedEvent) -> bool, bool) = if p == main {
            events.extend(coded);
            continue;
        } else if !is_statement(action) && realis_clause(tokens, action) {
            // "rejoiced after kidnappers freed the girls": the clause's own
            // subject did its act.
            (has_target, false)
        } else if !is_statement(action) && carries_own_act(tokens, action) {
            (has_target, true)
        } else if !is_statement(action) && coordinated_subject(tokens, action).is_some() {
            // "mourners clashed with police, prisoners rioted and
            // guerrillas attacked security bases": each clause its own
            // subject's act; a protest needs no target.
            (has_target_or_protests, false)
        } else if action.pattern.nominal && gathering_of_subjects(tokens, action) {
            // "X and Y agreed ... at a May 8 meeting": they met.
            (has_target, false)
        } else if action.pattern.nominal
            && !presupposed(tokens, action)
            && !in_relative_clause(tokens, action)
            && !nested_in_noun_phrase(tokens, action)
        {
            // An event noun whose own phrase names who did it to whom.
            (
                |e| e.rule.ends_with(NOUN_ARGUMENTS) || e.rule.ends_with(MEDIATION),
                false,
            )
        } else {
            continue;
        };
        others.extend(coded.into_iter().filter(keep).map(|e| (shares_subject, e)));
    }
    // Several events a sentence: acts of coordinated verbs ("met and
    // signed") and of participle clauses ("…, killing two soldiers").
    let subject = events.first().map(|e| e.source.clone());
    for (shares_subject, mut event) in others {
        // "Russian troops shelled Kharkiv and killed ...": a coordinated or
        // participle verb has the main verb's subject.
        if shares_subject && let Some(subject) = &subject {
            event.source = subject.clone();
        }
        if event
            .target
            .as_ref()
            .is_some_and(|t| t.code() == event.source.code())
            || answers_itself(&event)
        {
            continue;
        }
        if !events.iter().any(|e| same_dyad_and_root(e, &event)) {
            events.push(event);
        }
    }
    events
}

fn has_target(event: &CodedEvent) -> bool {
    event.target.is_some()
}

fn has_target_or_protests(event: &CodedEvent) -> bool {
    has_target(event) || event.cameo.root() == "14"
}

/// The subject of a verb that heads a main clause coordinated with an
/// earlier one: the noun phrase between the verb and a clause-joining word
/// ("and", "but", "while", a semicolon, a comma), where what comes before
/// that word is the object of an earlier finite verb or of a preposition
/// ("police clashed with mourners, prisoners rioted in a jail and
/// guerrillas attacked bases"). Otherwise "and" joins subjects: after a
/// subordinator ("although Duterte and Suga spoke"), in a list ("Malaysia,
/// Vietnam and Taiwan contest"), after a verb of saying ("said Putin and
/// Pashinyan agreed") or in a participle's agent ("senators led by Risch
/// and Ricketts sent").
pub(crate) fn coordinated_subject(tokens: &[Token], action: &Action) -> Option<Range<usize>> {
    let start = action.tokens.start;
    if action.pattern.nominal || tokens[start].pos != Upos::Verb {
        return None;
    }
    let noun_phrase = |t: &Token| {
        matches!(
            t.pos,
            Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num
        ) || matches!(t.norm.as_str(), "'s" | "-")
    };
    let opener = tokens[..start].iter().rposition(|t| !noun_phrase(t))?;
    let has_head = opener + 1 < start && matches!(tokens[start - 1].pos, Upos::Noun | Upos::Propn);
    if !has_head
        || !matches!(
            tokens[opener].norm.as_str(),
            "and" | "but" | "while" | ";" | ","
        )
    {
        return None;
    }
    // The conjunct before the joining word, and the word that governs it.
    let end = opener - usize::from(opener > 0 && tokens[opener - 1].norm == ",");
    let governor = tokens[..end].iter().rposition(|t| !noun_phrase(t))?;
    let governed = tokens[governor].pos == Upos::Verb
        || en().has(WordSet::Preposition, &tokens[governor].norm);
    let earlier_verb = tokens[..opener].iter().rposition(|t| t.pos == Upos::Verb)?;
    let verb = &tokens[earlier_verb].norm;
    let participle = tokens.get(earlier_verb + 1).is_some_and(|t| t.norm == "by");
    let reported_subjects = (en().has(WordSet::SpeechVerb, verb)
        || en().has(WordSet::OpinionVerb, verb))
        && tokens[earlier_verb + 1..opener]
            .iter()
            .all(|t| noun_phrase(t) || t.norm == "that");
    (governor + 1 < end && governed && !participle && !reported_subjects)
        .then_some(opener + 1..start)
}

/// Whether a verb other than the main one carries an act of its own: it
/// is coordinated with another verb ("met and signed") or heads a
/// participle clause after a comma (", killing two soldiers"). An "-ing"
/// form after "and" is coordinated with the "-ing" form before it and
/// shares its standing: "accused X of misrepresenting ... and providing
/// ..." tells the accusation's content, not two acts.
fn carries_own_act(tokens: &[Token], action: &Action) -> bool {
    let start = action.tokens.start;
    let before = |at: usize| at.checked_sub(1).map(|p| tokens[p].norm.as_str());
    let participle_clause = |at: usize| before(at) == Some(",") && tokens[at].norm.ends_with("ing");
    let coordinated = || {
        // The tagger may read a gerund as a noun ("of misrepresenting").
        let earlier_ing = tokens[..start]
            .iter()
            .rposition(|t| t.pos == Upos::Verb || (t.pos == Upos::Noun && t.norm.ends_with("ing")))
            .filter(|&k| tokens[k].norm.ends_with("ing"));
        match earlier_ing {
            Some(k) if tokens[start].norm.ends_with("ing") => participle_clause(k),
            _ => true,
        }
    };
    !action.pattern.nominal
        && ((before(start) == Some("and") && coordinated()) || participle_clause(start))
}

/// Whether a verb heads an adverbial clause of something that happened,
/// opened by "after", "when" or "once" with nothing but its subject and
/// auxiliaries between: "rejoiced after the girls were freed by their
/// captors".
fn realis_clause(tokens: &[Token], action: &Action) -> bool {
    !action.pattern.nominal && realis_at(tokens, action.tokens.start)
}

/// Whether the verb at `start` heads such an adverbial clause.
fn realis_at(tokens: &[Token], start: usize) -> bool {
    // A participle after its noun ("schoolgirls kidnapped in Zamfara")
    // modifies the noun; any other verb or a comma ends the search.
    let ends_search = |k: usize| {
        let t = &tokens[k];
        let modifier = t.norm.ends_with("ed") && k > 0 && tokens[k - 1].pos == Upos::Noun;
        (t.pos == Upos::Verb && !modifier)
            || t.pos == Upos::Punct
            || en().has(WordSet::RealisSubordinator, &t.norm)
    };
    (0..start)
        .rev()
        .find(|&k| ends_search(k))
        .is_some_and(|k| en().has(WordSet::RealisSubordinator, &tokens[k].norm) && k + 1 < start)
}

/// Whether an event noun names a gathering its clause's subjects took part
/// in: a meeting, summit or talks (CAMEO 04) after "at" or "during".
pub(crate) fn gathering_of_subjects(tokens: &[Token], action: &Action) -> bool {
    action.pattern.code.starts_with("04")
        && tokens[..action.tokens.start]
            .iter()
            .rev()
            .find(|t| {
                !matches!(
                    t.pos,
                    Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num | Upos::Det
                )
            })
            .is_some_and(|t| en().has(WordSet::Gathering, &t.norm))
}

/// Whether an event noun sits in a phrase that modifies another noun
/// ("support for Russia's bloody war against Ukraine", "an end to the
/// fighting"): it is what that noun is about, background to the clause's
/// act rather than news of its own.
fn nested_in_noun_phrase(tokens: &[Token], action: &Action) -> bool {
    let before = &tokens[..action.tokens.start];
    let Some(link) = before.iter().rposition(|t| {
        !matches!(
            t.pos,
            Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num | Upos::Det
        ) && t.norm != "'s"
    }) else {
        return false;
    };
    // Prepositions that tie a phrase to a noun; "at", "in", "during" set
    // the verb's act in time or place ("agreed on the withdrawal at a May 8
    // meeting": they met).
    matches!(
        before[link].norm.as_str(),
        "of" | "for" | "to" | "against" | "over"
    ) && link
        .checked_sub(1)
        .is_some_and(|k| before[k].pos == Upos::Noun)
}

/// Whether an event noun refers back to a known happening: "the accord"
/// (a definite article before the noun and its modifiers) or a background
/// phrase ("since the war") presupposes it rather than telling it. "The
/// ongoing withdrawal", "the latest attack" tell of what happens now.
fn presupposed(tokens: &[Token], action: &Action) -> bool {
    let before = &tokens[..action.tokens.start];
    let determiner = before
        .iter()
        .rposition(|t| !matches!(t.pos, Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num));
    let definite = determiner.is_some_and(|d| {
        en().has(WordSet::Definite, &before[d].norm)
            && !before[d + 1..]
                .iter()
                .any(|t| en().has(WordSet::Ongoing, &t.norm))
    });
    definite || background(tokens, action)
}

fn same_dyad_and_root(a: &CodedEvent, b: &CodedEvent) -> bool {
    a.cameo.root() == b.cameo.root()
        && a.source.code() == b.source.code()
        && a.target.as_ref().map(|t| t.code()) == b.target.as_ref().map(|t| t.code())
}

/// Whether a statement was made to a political hearer: its verb takes the
/// hearer as its object ("tell", "inform", "brief") and that object, right
/// after the verb, is an actor or a body ("told the Ukrainian parliament",
/// "told the council"). "Told
/// reporters", "told VOA" and "told Radio France" are the report itself.
fn addressed(view: &SentenceView<'_, '_>, action: &Action) -> bool {
    let lemma = action.pattern.id.strip_prefix("verb:").unwrap_or_default();
    let verb = lemma.split(' ').next().unwrap_or_default();
    let hearer = view.tokens[action.tokens.end..]
        .iter()
        .position(|t| !matches!(t.pos, Upos::Det | Upos::Adj | Upos::Num | Upos::Punct))
        .map(|p| action.tokens.end + p);
    // An actor, or a body named by its role alone ("told parliament").
    en().has(WordSet::AddressedSpeech, verb)
        && hearer.is_some_and(|h| {
            view.actors.iter().any(|a| {
                a.tokens.contains(&h)
                    && !view.tokens[a.tokens.clone()]
                        .iter()
                        .any(|t| en().has(WordSet::PressAudience, &t.norm))
            })
        })
}

/// Whether an action stands in a subordinate clause: "separatists, backed
/// by Armenia", "peacekeepers, who are deployed".
/// ", backed by ...": a participle after a comma with its agent.
pub(crate) fn reduced_passive(tokens: &[Token], action: &Action) -> bool {
    let start = action.tokens.start;
    start > 0
        && tokens[start - 1].norm == ","
        && tokens
            .get(action.tokens.end)
            .is_some_and(|t| t.norm == "by")
}

/// Whether an action stands in a relative clause opened by a wh-pronoun:
/// right after it ("who led the talks"), or anywhere in one set off by a
/// comma ("Barnier, who led the EU's talks with Britain, ..."): it
/// describes a participant and is no news of the sentence. "That" is left
/// out: it also opens reported speech ("said that Russia supports").
pub(crate) fn in_relative_clause(tokens: &[Token], action: &Action) -> bool {
    let start = action.tokens.start;
    let wh = |t: &Token| matches!(t.norm.as_str(), "who" | "whose" | "whom");
    tokens[start.saturating_sub(3)..start].iter().any(wh)
        || comma_stretch_opener(tokens, start).is_some_and(wh)
}

/// The word that opens the comma-bounded stretch a position stands in: the
/// one right after the last comma before `at` ("who" in "Barnier, who led
/// the talks").
pub(crate) fn comma_stretch_opener(tokens: &[Token], at: usize) -> Option<&Token> {
    tokens[..at]
        .iter()
        .rposition(|t| t.norm == ",")
        .and_then(|comma| tokens.get(comma + 1))
}

fn subordinate(tokens: &[Token], action: &Action, first_verb: Option<usize>) -> bool {
    let start = action.tokens.start;
    let relative = in_relative_clause(tokens, action) || after_relative_pronoun(tokens, start);
    // ", backed by ..." and ", calling them ...": participles after a comma;
    // ", the coordinator, demanded ..." is a main verb after an apposition.
    // After the main verb, ", expected to ..." is a participle clause too.
    let after_comma = start > 0 && tokens[start - 1].norm == ",";
    let participle = tokens[start].norm.ends_with("ing")
        || tokens
            .get(action.tokens.end)
            .is_some_and(|t| t.norm == "by")
        || (tokens[start].norm.ends_with("ed") && first_verb.is_some_and(|f| f < start));
    // "lawmakers led by Odinga criticized": a past participle with its
    // agent right after a noun modifies that noun.
    let reduced_relative = start > 0
        && matches!(tokens[start - 1].pos, Upos::Noun | Upos::Propn)
        && is_past_form(&tokens[start].norm)
        && tokens
            .get(action.tokens.end)
            .is_some_and(|t| t.norm == "by");
    relative || (after_comma && participle) || reduced_relative
}

/// "whom have been held", "that Washington imposed", "who led the
/// talks": a relative pronoun right before the verb at `start`.
fn after_relative_pronoun(tokens: &[Token], start: usize) -> bool {
    tokens[start.saturating_sub(2)..start]
        .iter()
        .any(|t| en().has(WordSet::RelativePronoun, &t.norm))
}

/// "staged demonstrations to demand reforms": an infinitive after an action
/// that does not govern it ("agreed to", "asked to") says what the action
/// was for; the action is the event.
fn purpose_clause(tokens: &[Token], actions: &[Action], action: &Action) -> bool {
    let start = action.tokens.start;
    start > 0
        && tokens[start - 1].norm == "to"
        && actions
            .iter()
            .rev()
            .find(|a| a.tokens.end < start)
            .is_some_and(|a| {
                a.pattern.code != STATEMENT_CODE
                    && !in_class(CodeClass::ControlRoot, &a.pattern.code[..2])
                    && !governs(tokens, a, action)
            })
}

/// Whether the sentence asks rather than tells ("Can the US pry Russia
/// away from China?"): a question reports no event.
pub(crate) fn question(tokens: &[Token]) -> bool {
    tokens
        .iter()
        .rev()
        .find(|t| !matches!(t.norm.as_str(), "\"" | "'" | ")"))
        .is_some_and(|t| t.norm == "?")
}

/// Whether a noun action is background ("following the offensive").
fn background(tokens: &[Token], action: &Action) -> bool {
    action.pattern.nominal
        && tokens[action.tokens.start.saturating_sub(5)..action.tokens.start]
            .iter()
            .any(|t| en().has(WordSet::Background, &t.norm))
}
