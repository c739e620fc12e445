//! Stage: events of one action. Puts together what the earlier stages
//! found for an action — its pairs of actors, modality, CAMEO re-codings,
//! date and place — into one event per source and target.

use crate::{
    dictionary::{ActorKind, CameoCode, Dictionaries},
    lexicon::{WordSet, en},
    model::{CodedActor, CodedEvent, Modality},
    parser::Relation,
    reference,
    setting::Setting,
    tagger::Upos,
    text::Token,
};

use super::{
    actors::ActorPhrase,
    arguments::{
        assign_roles, done_to_subject, follows_preposition, noun_roles, object_of, same_actor,
        two_bodies, verb_object,
    },
    brokers::{MEDIATION, MEDIATION_CODE},
    clauses::gathering_of_subjects,
    modality::{ceases, governor, modality_of, penalty_after, refuses},
    recode::{self, CodeClass, Recoding},
    speech::STATEMENT_CODE,
    syntax::Syntax,
    triggers::{Action, governs},
};

/// Provenance mark of events whose noun phrase named both actors.
pub(crate) const NOUN_ARGUMENTS: &str = "noun-arguments";

/// What the stages know of a sentence when its events are made.
pub(crate) struct SentenceView<'s, 'd> {
    pub dictionaries: &'d Dictionaries,
    pub text: &'s str,
    pub tokens: &'s [Token],
    pub actors: &'s [ActorPhrase],
    pub actions: &'s [Action<'d>],
    pub setting: &'s Setting,
    /// Where the sentence's first "if" stands: what follows is conditional.
    pub first_if: Option<usize>,
    /// The sentence's dependency tree, parsed when first asked for.
    pub syntax: Syntax<'s>,
    /// The states the article's last sentences (this one included) name.
    pub recent_states: Vec<String>,
}

/// A code and the ids of the re-coding rules that made it.
struct Coding<'d> {
    cameo: &'d CameoCode,
    rules: Vec<&'static str>,
}

impl<'d> Coding<'d> {
    fn apply(&mut self, dictionaries: &'d Dictionaries, rule: &'static recode::Rule) {
        if let Some(cameo) = dictionaries.cameo(rule.to) {
            self.cameo = cameo;
            self.rules.push(rule.id);
        }
    }

    /// The provenance: the pattern, then each re-coding ("verb:withdraw>intent-08").
    fn rule(&self, pattern: &str) -> String {
        std::iter::once(pattern)
            .chain(self.rules.iter().copied())
            .collect::<Vec<_>>()
            .join(">")
    }
}

/// The events of action `i`, with the statement's speakers noted in
/// `speakers`. None when the action governs the next one ("agreed to
/// withdraw": the governed action carries the event) or has no source.
pub(crate) fn of_action(
    view: &SentenceView<'_, '_>,
    i: usize,
    speakers: &mut Vec<(usize, CodedActor)>,
) -> Vec<CodedEvent> {
    let (tokens, actions, dictionaries) = (view.tokens, view.actions, view.dictionaries);
    let action = &actions[i];
    if let Some(next) = actions.get(i + 1)
        && governs(tokens, action, next)
        && !action.pattern.code.starts_with("10")
    {
        return Vec::new();
    }
    // "approved a trade ban", "issued a warning": the noun names the act.
    if let Some(next) = actions.get(i + 1)
        && supports(tokens, action, next)
    {
        return Vec::new();
    }
    let Some(cameo) = dictionaries.cameo(&action.pattern.code) else {
        return Vec::new();
    };
    if figurative_force(tokens, action) || trend(tokens, action) {
        return Vec::new();
    }
    let mut coding = Coding {
        cameo,
        rules: Vec::new(),
    };
    // An event noun takes its arguments from its own phrase; a verb, or a
    // noun whose phrase names no pair, from the clause around it.
    let noun_pairs = action
        .pattern
        .nominal
        .then(|| noun_roles(tokens, view.actors, action))
        .filter(|pairs| !pairs.is_empty());
    let roles = match noun_pairs {
        Some(pairs) => {
            coding.rules.push(NOUN_ARGUMENTS);
            pairs
        }
        // "the victims of recent bombings": a noun deep in another phrase
        // is no act of the clause's subject.
        // "praised the U.S. withdrawal": the subject praised; whoever
        // withdrew is named in the noun's phrase or not at all.
        None if action.pattern.nominal
            && (!verb_object(tokens, action.tokens.start) || topic_of_act(tokens, actions, i))
            && !gathering_of_subjects(tokens, action) =>
        {
            return Vec::new();
        }
        None => {
            let roles = assign_roles(
                tokens,
                view.actors,
                action,
                actions.get(i + 1),
                (view.setting, &view.syntax),
                |patient| authority(view, action, patient),
            );
            if action.pattern.to_subject {
                done_to_subject(roles)
            } else {
                roles
            }
        }
    };
    // "urged Papandreou to accept an offer": what an appeal or demand asks
    // of the one it addresses is its content — no act, nor intent, of
    // theirs ("hopes to visit" has no addressee: the intent is the
    // subject's own).
    if governor(tokens, &actions[..i], action).is_some_and(|g| {
        (g.pattern.code.starts_with("02") || g.pattern.code.starts_with("10"))
            && tokens[g.tokens.end..action.tokens.start]
                .iter()
                .any(|t| matches!(t.pos, Upos::Noun | Upos::Propn | Upos::Pron))
    }) {
        return Vec::new();
    }
    let mut modality = modality_of(tokens, view.first_if, &actions[..i], action);
    // "will no longer fund": stopping cooperation is itself an event.
    if ceases(tokens, action)
        && let Some(rule) = recode::rule(Recoding::Cessation, &coding.cameo.code)
    {
        modality = Modality::Asserted;
        coding.apply(dictionaries, rule);
    }
    // "will not accept": refusing cooperation is a rejection (12); a
    // refused act of another kind ("refused to attack") did not happen.
    if refuses(tokens, action, modality) {
        match recode::rule(Recoding::Refusal, &coding.cameo.code) {
            Some(rule) => {
                modality = Modality::Asserted;
                coding.apply(dictionaries, rule);
            }
            None => modality = Modality::Negated,
        }
    }
    let lemma = action.pattern.id.strip_prefix("verb:").unwrap_or_default();
    if invites_to_act(tokens, action, lemma)
        && let Some(rule) = recode::rule(Recoding::Invitation, &coding.cameo.code)
    {
        coding.apply(dictionaries, rule);
    }
    // "threatened to close the base": the news is the threat (13), coded by
    // what is threatened; the threat itself was made.
    // "threatened to impose an embargo": past the light verb to the noun.
    let head = match i.checked_sub(1) {
        Some(k) if supports(tokens, &actions[k], action) => k,
        _ => i,
    };
    let threatened = governor(tokens, &actions[..head], &actions[head])
        .is_some_and(|g| g.pattern.code.starts_with("13"));
    if threatened && let Some(rule) = recode::rule(Recoding::Threat, &coding.cameo.code) {
        modality = Modality::Asserted;
        coding.apply(dictionaries, rule);
    }
    // "told Japan to resolve the row or face ...": an ultimatum (139).
    if penalty_after(tokens, action.tokens.end)
        && let Some(rule) = recode::rule(Recoding::Ultimatum, &coding.cameo.code)
    {
        modality = Modality::Asserted;
        coding.apply(dictionaries, rule);
    }
    // "will withdraw", "agreed to visit": the news is the intent (03).
    if modality == Modality::Intended
        && let Some(rule) = recode::rule(Recoding::Intent, &coding.cameo.code)
    {
        coding.apply(dictionaries, rule);
    }
    let pledged = pledge(tokens, &actions[..i], action);
    let mut events = Vec::new();
    let source_countries: Vec<String> = roles.iter().map(|(s, _)| s.country.clone()).collect();
    for (source, target) in roles {
        if coding.cameo.code == STATEMENT_CODE {
            speakers.push((action.tokens.start, source.clone()));
        }
        let mut coding = Coding {
            cameo: coding.cameo,
            rules: coding.rules.clone(),
        };
        if forewarns(view, action, lemma, &source)
            && let Some(rule) = recode::rule(Recoding::Forewarning, &coding.cameo.code)
        {
            coding.apply(dictionaries, rule);
        }
        if let Some(rule) = recode::violence(lemma, &coding.cameo.code, &source, target.as_ref()) {
            coding.apply(dictionaries, rule);
        }
        // "mourners clashed with police" is a riot; "seized villagers" an abduction.
        if let Some(rule) = recode::by_participants(&coding.cameo.code, &source, target.as_ref()) {
            coding.apply(dictionaries, rule);
        }
        // "a Senate committee passed legislation targeting Turkey": bodies
        // that use no force themselves use it only figuratively.
        if force(&coding.cameo.code) && recode::in_class(CodeClass::Unarmed, &source.role) {
            continue;
        }
        let target = target
            .or_else(|| place_target(view, action, &coding.cameo.code, &source))
            .or_else(|| protested_government(view, &coding.cameo.code, &source))
            .or_else(|| answered_party(view, action, (&source, &source_countries)));
        // Who did what to whom: an interaction without a "whom" is no event;
        // a pledge ("promised to hold elections") is made to the public.
        let pledge_made = pledged && coding.cameo.code.starts_with(INTENT_ROOT);
        if target.is_none() && !recode::monadic(&coding.cameo.code) && !pledge_made {
            continue;
        }
        events.push(event_at(
            view,
            action,
            (source, target),
            coding.cameo,
            modality,
            coding.rule(&action.pattern.id),
        ));
    }
    events
}

/// The CAMEO root of expressed intents (03).
const INTENT_ROOT: &str = "03";

/// How far after an invitation its "to" and infinitive may stand
/// ("invited the Turkish government to take").
const INVITATION_REACH: usize = 6;

/// "Papandreou repeated an invitation to Turkey to take the dispute to the
/// court": an invitation whose infinitive is no meeting act (visit, attend,
/// talk) asks the addressee to do something — a directive speech act,
/// which CAMEO codes as an appeal (the `invitation` re-coding).
fn invites_to_act(tokens: &[Token], action: &Action, lemma: &str) -> bool {
    if !en().has(WordSet::Inviting, lemma) {
        return false;
    }
    let end = tokens.len().min(action.tokens.end + INVITATION_REACH);
    (action.tokens.end..end.saturating_sub(1)).any(|k| {
        let verb = &tokens[k + 1];
        tokens[k].norm == "to"
            && verb.pos == Upos::Verb
            && !en().has(WordSet::MeetingAct, &verb.norm)
    })
}

/// How far after a verb of warning its "that" may stand ("warned Kenya's
/// government that").
const WARNING_REACH: usize = 5;

/// "The EU warned that the Somali government's actions would divide the
/// country": a warning, with no condition, whose "that" clause has another
/// state's doings for its subject warns of that party's own acts — a
/// criticism of it, no threat by the speaker (the `forewarning` re-coding).
fn forewarns(
    view: &SentenceView<'_, '_>,
    action: &Action,
    lemma: &str,
    source: &CodedActor,
) -> bool {
    if !en().has(WordSet::WarningVerb, lemma) || view.first_if.is_some() {
        return false;
    }
    let tokens = view.tokens;
    let Some(that) = (action.tokens.end..tokens.len().min(action.tokens.end + WARNING_REACH))
        .find(|&k| tokens[k].norm == "that")
    else {
        return false;
    };
    // The clause's subject is that party's own doing: "the government's
    // actions", "Iran's policy" (not "NATO would regret", a veiled threat).
    let owner = view
        .actors
        .iter()
        .find(|a| a.tokens.start > that && a.actor.is_some())
        .filter(|a| {
            a.tokens.start <= that + 2
                && !follows_preposition(tokens, a)
                && (tokens[a.tokens.end - 1].norm == "'s"
                    || tokens.get(a.tokens.end).is_some_and(|t| t.norm == "'s"))
        });
    owner
        .and_then(|a| a.actor.as_ref())
        .is_some_and(|owner| owner.country != source.country)
}

/// Whether the action is a pledge, or the act a pledge governs ("promised
/// to hold elections", "vowed to rebuild"): a commissive verb expresses the
/// intent. An intent read from tense alone ("would meet") is not one.
fn pledge(tokens: &[Token], earlier: &[Action], action: &Action) -> bool {
    // "promised", and its noun "an offer from NATO to help".
    let commissive = |a: &Action| {
        a.pattern
            .id
            .strip_prefix("verb:")
            .map(|pattern| pattern.trim_start_matches('='))
            .is_some_and(|pattern| {
                let lemma = pattern.split_whitespace().next().unwrap_or_default();
                en().has(WordSet::Commissive, pattern) || en().has(WordSet::Commissive, lemma)
            })
    };
    commissive(action) || governor(tokens, earlier, action).is_some_and(commissive)
}

/// An event of `action`, dated and placed where the action stands.
fn event_at(
    view: &SentenceView<'_, '_>,
    action: &Action,
    (source, target): (CodedActor, Option<CodedActor>),
    cameo: &CameoCode,
    modality: Modality,
    rule: String,
) -> CodedEvent {
    let at = action.tokens.start;
    CodedEvent {
        source,
        target,
        cameo: cameo.clone(),
        date: view.setting.date_at(at),
        location: view.setting.location_at(at, view.text, view.tokens),
        modality,
        reported_by: None,
        // Set by the confidence model once the article is coded.
        confidence: 0.0,
        sentence_index: 0,
        sentence_chars: 0..0,
        sentence_text: String::new(),
        rule,
    }
}

/// The mediation events of `broker`, who brokers action `i` ("a
/// Moscow-brokered cease-fire"): one toward each party of the action's own
/// events `parties`, or one without a target when the sentence names none.
pub(crate) fn mediation(
    view: &SentenceView<'_, '_>,
    i: usize,
    broker: &CodedActor,
    parties: &[CodedEvent],
) -> Vec<CodedEvent> {
    let Some(cameo) = view.dictionaries.cameo(MEDIATION_CODE) else {
        return Vec::new();
    };
    let action = &view.actions[i];
    let mut targets: Vec<Option<CodedActor>> = Vec::new();
    for party in parties
        .iter()
        .flat_map(|e| std::iter::once(&e.source).chain(&e.target))
    {
        let known = targets.iter().flatten().any(|t| same_actor(t, party));
        if !known && !same_actor(party, broker) {
            targets.push(Some(party.clone()));
        }
    }
    if targets.is_empty() {
        targets.push(None);
    }
    // "agreed to a Qatar-brokered truce": the truce is agreed to, its
    // brokering done.
    let modality = match modality_of(view.tokens, view.first_if, &view.actions[..i], action) {
        Modality::Intended => Modality::Asserted,
        other => other,
    };
    targets
        .into_iter()
        .map(|target| {
            let rule = format!("{}>{MEDIATION}", action.pattern.id);
            event_at(
                view,
                action,
                (broker.clone(), target),
                cameo,
                modality,
                rule,
            )
        })
        .collect()
}

/// Whether action `i` is an event noun that another act's verb takes as
/// its object: what that act is about, not a light verb's own act.
fn topic_of_act(tokens: &[Token], actions: &[Action], i: usize) -> bool {
    i.checked_sub(1).is_some_and(|k| {
        object_of(tokens, &actions[k], &actions[i]) && !supports(tokens, &actions[k], &actions[i])
    })
}

/// Whether a light verb ("approve", "issue", "stage") takes the event noun
/// `next` as its object, so that the noun names the act (a support-verb
/// construction: the verb adds little but tense and the subject).
fn supports(tokens: &[Token], action: &Action, next: &Action) -> bool {
    let Some(lemma) = action.pattern.id.strip_prefix("verb:") else {
        return false;
    };
    next.pattern.nominal
        && en().has(WordSet::SupportVerb, lemma)
        && verb_object(tokens, next.tokens.start)
        && tokens[action.tokens.end..next.tokens.start]
            .iter()
            .all(|t| t.pos != Upos::Verb)
}

/// Whether an event is an actor acting on itself: the same code on both
/// sides, or a state as a whole acting on a part of itself ("the Soviet
/// Union" on "Moscow", "Iraq mourned the victims"). A part acting on its
/// state as a whole stays: rebels blowing up the country's power lines, a
/// curfew a government imposes; so does a state acting on armed groups and
/// criminals within it ("Croatia is investigating Croatian extremists").
pub(crate) fn reflexive(event: &CodedEvent) -> bool {
    event.target.as_ref().is_some_and(|target| {
        let own_part = event.source.role.is_empty()
            && !recode::in_class(CodeClass::IrregularForce, &target.role);
        target.country == event.source.country
            && (target.role == event.source.role || own_part)
            && !two_people(&event.source, target)
            && !two_bodies(&event.source, target)
    })
}

/// "Hassan urged Farmajo": two people named by name are two actors even
/// when CAMEO gives them one code (an opposition senator and the
/// president are both SOMGOV to a coder that knows their offices only).
fn two_people(source: &CodedActor, target: &CodedActor) -> bool {
    source.kind == ActorKind::Person
        && target.kind == ActorKind::Person
        && source.name != target.name
}

/// "tanks fired at targets in Jericho": force used at a named place, with
/// nobody named as its target, is used on the place's state — unless a
/// state's own forces act at home.
fn place_target(
    view: &SentenceView<'_, '_>,
    action: &Action,
    code: &str,
    source: &CodedActor,
) -> Option<CodedActor> {
    let mention = view
        .setting
        .named_place_at(action.tokens.start)
        .filter(|m| {
            used_on_places(code)
                && (m.place.country != source.country
                    || recode::in_class(CodeClass::IrregularForce, &source.role))
        })?;
    let country = &mention.place.country;
    Some(reference::place_actor(
        &mention.place,
        view.dictionaries.country_name(country).unwrap_or(country),
        view.text,
        view.tokens,
        &mention.tokens,
        "place",
    ))
}

/// "Farmers held rallies to protest against high interest rates": a
/// protest (CAMEO 14) by people outside any armed force that names no one
/// it is aimed at is aimed at their own government, whom protests make
/// their demands of.
fn protested_government(
    view: &SentenceView<'_, '_>,
    code: &str,
    source: &CodedActor,
) -> Option<CodedActor> {
    let name = view.dictionaries.country_name(&source.country)?;
    (code.starts_with("14")
        && source.kind == ActorKind::Civilian
        && recode::in_class(CodeClass::Noncombatant, &source.role))
    .then(|| {
        state_body(
            (&source.country, name),
            ("GOV", ActorKind::Government, "government"),
            PROTESTED_GOVERNMENT_RULE,
        )
    })
}

/// "The Taliban denounced the delay", "Beijing rejected the ruling": a
/// political actor's reaction in words (disapproval, rejection: CAMEO 11,
/// 12) whose object is a definite description of a known happening answers
/// whoever made it happen, whom the text has just named. Without the deeds
/// of the passage to hand, that is the one state besides the reacting ones
/// (`source_countries`, those of all the action's subjects) that the last sentences name,
/// if only one (a definite null complement, recovered from the discourse);
/// the opposition answers its own government.
fn answered_party(
    view: &SentenceView<'_, '_>,
    action: &Action,
    (source, source_countries): (&CodedActor, &[String]),
) -> Option<CodedActor> {
    // The verb's own code: "failed to resolve the dispute" is no rejection.
    let code = &action.pattern.code;
    let reaction = code.starts_with("11") || code.starts_with("12");
    let political = !matches!(source.role.as_str(), "BUS" | "JUD" | "MNC" | "CRM")
        && !source.code().starts_with("MNC");
    if !reaction || !political || action.pattern.nominal || !definite_object(view, action) {
        return None;
    }
    if source.role == "OPP" {
        let name = view.dictionaries.country_name(&source.country)?;
        return Some(state_body(
            (&source.country, name),
            ("GOV", ActorKind::Government, "government"),
            ANSWERED_PARTY_RULE,
        ));
    }
    // "Moscow" and "the Soviet Union" are one state in 1987.
    let day = view.setting.date_at(action.tokens.start).start;
    let state = |country: &str| {
        view.dictionaries
            .historic_state(country, day)
            .map_or(country.to_string(), |s| s.country.clone())
    };
    let reacting: Vec<String> = source_countries.iter().map(|c| state(c)).collect();
    let mut others = view
        .recent_states
        .iter()
        .filter(|c| !reacting.contains(&state(c)));
    let country = others.next()?;
    if others.any(|c| state(c) != state(country)) {
        return None;
    }
    Some(CodedActor {
        country: country.clone(),
        role: String::new(),
        kind: ActorKind::State,
        name: view.dictionaries.country_name(country)?.to_string(),
        text: String::new(),
        rules: vec![ANSWERED_PARTY_RULE.to_string()],
    })
}

/// Whether the verb of `action` takes as its direct object (by the parse) a
/// noun phrase opened by "the" that names no actor: "the delay", "the
/// arbitral ruling" — not "decline this year", nor "argue the flow … is".
fn definite_object(view: &SentenceView<'_, '_>, action: &Action) -> bool {
    let (tokens, verb) = (view.tokens, action.tokens.start);
    // Right after the verb, or its particle ("called off the talks"); a
    // pattern with a gap spans its object ("considers the accord void").
    let Some(the) = (verb + 1..tokens.len().min(verb + 3)).find(|&k| tokens[k].norm == "the")
    else {
        return false;
    };
    if tokens[verb + 1..the].iter().any(|t| t.pos != Upos::Adp) {
        return false;
    }
    let parsed_object = (the + 1..tokens.len()).find(|&k| {
        let d = view.syntax.dependency(k);
        d.head == Some(verb) && d.relation == Relation::Obj
    });
    // A pattern's gap holds the object itself ("considers the accord void").
    let spanned_object = || (the + 1..action.tokens.end).find(|&k| tokens[k].pos == Upos::Noun);
    let Some(head) = parsed_object.or_else(spanned_object) else {
        return false;
    };
    // "described the dispute as …", "argue the flow of chips is due": the
    // phrase is predicated on, not reacted to.
    let predicated = tokens[head + 1..]
        .iter()
        .take_while(|t| t.pos != Upos::Punct && t.norm != "and")
        .any(|t| t.norm == "as" || t.pos == Upos::Aux);
    tokens[head].pos == Upos::Noun
        && !predicated
        && !view
            .actors
            .iter()
            .any(|a| a.actor.is_some() && a.tokens.start <= head && a.tokens.end > the)
}

/// Whether a reaction's target recovered from the passage is its source's
/// own state: so when a coordinated verb takes the main verb's subject
/// ("the court vacated the award … and dismissed the lawsuit").
pub(crate) fn answers_itself(event: &CodedEvent) -> bool {
    event.target.as_ref().is_some_and(|target| {
        target.rules.iter().any(|r| r == ANSWERED_PARTY_RULE)
            && target.country == event.source.country
            && event.source.role != "OPP"
    })
}

/// The rule a reaction's target recovered from the passage carries.
const ANSWERED_PARTY_RULE: &str = "reference:answered-party";

/// The body of a state the text does not name but the act implies ("Kenya
/// government", "Uganda police"), with the rule that inferred it.
fn state_body(
    (country, name): (&str, &str),
    (role, kind, body): (&str, ActorKind, &str),
    rule: &str,
) -> CodedActor {
    CodedActor {
        country: country.to_string(),
        role: role.to_string(),
        kind,
        name: format!("{name} {body}"),
        text: String::new(),
        rules: vec![rule.to_string()],
    }
}

/// "Minah has been detained", "Pollard was sentenced": the doer of an act
/// that only a state's police (arrest, detention, repression) or
/// government (penalties) do, when the sentence names no one:
/// that body of the state where it happened — the place the sentence or
/// the dateline names, else the patient's own state.
fn authority(
    view: &SentenceView<'_, '_>,
    action: &Action,
    patient: &CodedActor,
) -> Option<CodedActor> {
    // "after his release from being detained in North Korea": a gerund
    // tells a circumstance of another act, not news of its own.
    let start = action.tokens.start;
    if start > 0 && view.tokens[start - 1].norm == "being" {
        return None;
    }
    let code = &action.pattern.code;
    let body = if recode::under_class(CodeClass::PoliceAct, code) {
        ("COP", ActorKind::Military, "police")
    } else if recode::under_class(CodeClass::GovernmentAct, code) {
        ("GOV", ActorKind::Government, "government")
    } else {
        return None;
    };
    let place = view
        .setting
        .location_at(start, view.text, view.tokens)
        .map(|location| location.country);
    let (country, name) = [place.as_deref(), Some(patient.country.as_str())]
        .into_iter()
        .flatten()
        .find_map(|c| Some((c, view.dictionaries.country_name(c)?)))?;
    Some(state_body((country, name), body, UNNAMED_AUTHORITY_RULE))
}

/// The rule that names the authority that did an act no one is named for.
const UNNAMED_AUTHORITY_RULE: &str = "unnamed-authority";

/// The rule that names a protest's unnamed target.
const PROTESTED_GOVERNMENT_RULE: &str = "protest-own-government";

/// "a trade war", "the tariff fight", "a legal battle", "a war of words":
/// words of force (CAMEO 18-20) that a modifier makes figurative.
fn figurative_force(tokens: &[Token], action: &Action) -> bool {
    let force = force(&action.pattern.code);
    let start = action.tokens.start;
    // Before the word, or inside a pattern's gap ("waged a tariff war").
    let modifier = tokens[start.saturating_sub(2)..action.tokens.end]
        .iter()
        .any(|t| en().has(WordSet::FigurativeForce, &t.norm));
    let of_words = tokens
        .get(action.tokens.end..action.tokens.end + 2)
        .is_some_and(|w| w[0].norm == "of" && w[1].norm == "words");
    force && (modifier || of_words)
}

/// Whether `code` is a use of force: violence, assault, fighting and mass
/// violence (CAMEO 18-20).
fn force(code: &str) -> bool {
    matches!(code.get(..2), Some("18" | "19" | "20"))
}

/// "a wave of kidnappings", "a spate of recent attacks", "a rise in
/// arrests": a noun gathering many acts into a trend states something
/// generic (habitual aspect), not an event that happened once.
fn trend(tokens: &[Token], action: &Action) -> bool {
    if !action.pattern.nominal {
        return false;
    }
    let before = &tokens[..action.tokens.start];
    let Some(link) = before
        .iter()
        .rposition(|t| !matches!(t.pos, Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num))
    else {
        return false;
    };
    link + 3 >= action.tokens.start
        && matches!(before[link].norm.as_str(), "of" | "in")
        && link
            .checked_sub(1)
            .is_some_and(|k| en().has(WordSet::Trend, &before[k].norm))
}

/// Whether force of this code, done at a named place with nobody named as
/// its target, is done to the state the place belongs to: violence (18-20)
/// and destruction of property (171).
fn used_on_places(code: &str) -> bool {
    force(code) || code.starts_with("171")
}
