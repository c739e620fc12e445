//! The event coder: finds actors and actions in each sentence and assigns
//! source, target and modality.

use std::ops::Range;

use chrono::NaiveDate;

use crate::{
    dictionary::{ActorKind, ActorPayload, Dictionaries, VerbPattern},
    lexicon::{WordSet, en},
    model::{ArticleText, CodedActor, CodedEvent, CodedLocation, Modality},
    places,
    reference::{self, Context},
    setting::{Passage, Setting},
    text::{Token, char_offset, split_sentences, tokenize},
};

/// How far (in tokens) the coder looks for an action's source and target.
const ACTOR_WINDOW: usize = 24;
/// How far (in tokens) after a protest's purpose verb its target may be
/// named: "to demand the resignation of President X".
const PROTEST_PURPOSE_REACH: usize = 6;
/// How far (in tokens) before an action the coder looks for modal words.
const MODAL_WINDOW: usize = 4;

/// How far (in tokens) a demand or intent reaches the action it governs.
const GOVERNED_DISTANCE: usize = 8;
/// Verbs that put the action they govern ("agreed to withdraw", "asked that
/// they vacate") in the intended mode.
const CONTROL_ROOTS: &[&str] = &["02", "03", "10", "13"];
/// CAMEO code of a demand, not specified further.
const DEMAND_CODE: &str = "100";
/// Roots of statements: reported speech verbs.
const STATEMENT_CODE: &str = "010";

/// Codes articles into events with a fixed set of dictionaries.
#[derive(Debug, Clone)]
pub struct Coder {
    dictionaries: Dictionaries,
}

/// An actor phrase found in a sentence: its token range and who it is
/// (`None` when the phrase is only a role noun, "the spokesman").
#[derive(Debug, Clone)]
struct ActorPhrase {
    tokens: Range<usize>,
    actor: Option<CodedActor>,
}

/// An action found in a sentence.
#[derive(Debug, Clone)]
struct Action<'d> {
    tokens: Range<usize>,
    pattern: &'d VerbPattern,
}

impl Coder {
    /// A coder using `dictionaries`.
    pub fn new(dictionaries: Dictionaries) -> Self {
        Self { dictionaries }
    }

    /// Codes every sentence of the article. Never fails: text without
    /// recognisable actors and actions yields no events. Time is linear in
    /// the length of the text.
    pub fn code(&self, article: ArticleText<'_>) -> Vec<CodedEvent> {
        let sentences = split_sentences(article.text);
        let tokenize_at = |i: usize| {
            sentences
                .get(i)
                .map(|s| tokenize(article.text, s.bytes.clone()))
        };
        let places = &self.dictionaries.places;
        let mut next_tokens = tokenize_at(0);
        let dateline = next_tokens.as_deref().and_then(|tokens| {
            places::dateline(places, tokens).map(|m| places::location(&m, article.text, tokens))
        });
        let mut events = Vec::new();
        let mut chars_before = 0;
        let mut bytes_counted = 0;
        let mut context = Context::default();
        let mut passage = Passage::default();
        // Each sentence is tokenised once, one ahead: memory stays that of two sentences.
        for (index, sentence) in sentences.iter().enumerate() {
            let tokens = next_tokens.take().unwrap_or_default();
            next_tokens = tokenize_at(index + 1);
            chars_before += char_offset(
                &article.text[bytes_counted..],
                sentence.bytes.start - bytes_counted,
            );
            bytes_counted = sentence.bytes.start;
            let sentence_text = &article.text[sentence.bytes.clone()];
            let char_len = sentence_text.chars().count();
            let sentence_chars = chars_before..chars_before + char_len;
            let coded = self.code_sentence(
                article,
                &tokens,
                next_tokens.as_deref(),
                index,
                (&mut context, &mut passage),
                dateline.as_ref(),
            );
            for event in coded {
                events.push(CodedEvent {
                    sentence_index: index,
                    sentence_chars: sentence_chars.clone(),
                    sentence_text: sentence_text.to_string(),
                    ..event
                });
            }
        }
        events
    }

    fn code_sentence(
        &self,
        article: ArticleText<'_>,
        tokens: &[Token],
        next: Option<&[Token]>,
        index: usize,
        (context, passage): (&mut Context, &mut Passage),
        dateline: Option<&CodedLocation>,
    ) -> Vec<CodedEvent> {
        let mut actors = self.find_actors(article, tokens);
        context.observe(index, actors.iter().filter_map(|a| a.actor.as_ref()));
        let named_places = places::candidates(&self.dictionaries.places, tokens);
        context.observe_regions(places::regions(&named_places));
        let countries: Vec<&str> = actors
            .iter()
            .filter_map(|a| a.actor.as_ref().map(|actor| actor.country.as_str()))
            .collect();
        let mut place_mentions = places::find(&named_places, tokens, &countries);
        let reference = passage.reference(index, article.published);
        let region_reference = context.resolve_region(tokens);
        // "wrested control of the region": an event done to a region happens there.
        let region_location = region_reference.as_ref().map(|(range, region)| {
            let mention = places::PlaceMention {
                tokens: range.clone(),
                place: region.clone(),
            };
            places::location(&mention, article.text, tokens)
        });
        if let Some((range, region)) = region_reference {
            // "wrested control of the region": the region stands for its country.
            if overlapping(&actors, &range).is_none() {
                let name = self.state_name(&region.country);
                let actor = reference::region_actor(&region, name, article.text, tokens, &range);
                insert_phrase(&mut actors, range.clone(), actor);
            }
            if places::locative_at(tokens, range.start) {
                let at = place_mentions.partition_point(|m| m.tokens.start < range.start);
                place_mentions.insert(
                    at,
                    places::PlaceMention {
                        tokens: range,
                        place: region,
                    },
                );
            }
        }
        for (range, person) in context.resolve_people(article.text, tokens) {
            // A role noun alone ("the spokesman") is replaced; a named actor stays.
            match overlapping(&actors, &range) {
                Some(k) if actors[k].actor.is_none() => actors[k].actor = Some(person),
                Some(_) => {}
                None => insert_phrase(&mut actors, range, person),
            }
        }
        if let Some((range, organisation)) = context.resolve_organisation(article.text, tokens)
            && overlapping(&actors, &range).is_none()
        {
            insert_phrase(&mut actors, range, organisation);
        }
        let setting = Setting::new(
            article.text,
            tokens,
            next,
            &reference,
            passage,
            index,
            (place_mentions, dateline.cloned()),
        );
        passage.record(index, &setting);
        if let Some((range, [first, second])) = context.resolve_pair(index, article.text, tokens)
            && overlapping(&actors, &range).is_none()
        {
            // "the two countries": two coordinated actors over the phrase.
            let split = range.start + 1;
            insert_phrase(&mut actors, range.start..split, first);
            insert_phrase(&mut actors, split..range.end, second);
        }
        if actors.iter().all(|a| a.actor.is_none()) {
            return Vec::new();
        }
        let actions = self.find_actions(tokens, &actors);
        let first_if = tokens.iter().position(|t| t.norm == "if");
        let mut per_action: Vec<(&Action, Vec<CodedEvent>)> = Vec::new();
        let mut speakers: Vec<(usize, CodedActor)> = Vec::new();
        for (i, action) in actions.iter().enumerate() {
            // "agreed to withdraw": the governed action carries the event.
            if let Some(next) = actions.get(i + 1)
                && governs(tokens, action, next)
                && !action.pattern.code.starts_with("10")
            {
                continue;
            }
            let Some(cameo) = self.dictionaries.cameo(&action.pattern.code) else {
                continue;
            };
            let roles = assign_roles(tokens, &actors, action, actions.get(i + 1));
            let mut modality = modality_of(tokens, first_if, &actions[..i], action);
            // "will no longer fund": stopping cooperation is itself an event.
            let cameo = match cessation_code(&cameo.code).filter(|_| ceases(tokens, action)) {
                Some(code) => {
                    modality = Modality::Asserted;
                    self.dictionaries.cameo(code).unwrap_or(cameo)
                }
                None => cameo,
            };
            // "will not accept": refusing cooperation is a rejection (12).
            let cameo = match refusal(tokens, action, &cameo.code, modality) {
                Some(code) => {
                    modality = Modality::Asserted;
                    self.dictionaries.cameo(code).unwrap_or(cameo)
                }
                None => cameo,
            };
            // "will withdraw", "agreed to visit": the news is the intent (03).
            let cameo = match intent_code(&cameo.code).filter(|_| modality == Modality::Intended) {
                Some(code) => self.dictionaries.cameo(code).unwrap_or(cameo),
                None => cameo,
            };
            let mut events = Vec::new();
            for (source, target) in roles {
                if cameo.code == STATEMENT_CODE {
                    speakers.push((action.tokens.start, source.clone()));
                }
                let confidence = confidence(action, target.is_some());
                let cameo = violence_code(action, &cameo.code, &source, target.as_ref())
                    .and_then(|code| self.dictionaries.cameo(code))
                    .unwrap_or(cameo);
                // "tanks fired at targets in Jericho": force used on a place is used on its state.
                let target = target.or_else(|| {
                    // A state's own forces at home are not acting on their own state.
                    let mention = setting.named_place_at(action.tokens.start).filter(|m| {
                        used_on_places(&cameo.code)
                            && (m.place.country != source.country
                                || IRREGULAR_FORCES.contains(&source.role.as_str()))
                    })?;
                    Some(reference::place_actor(
                        &mention.place,
                        self.state_name(&mention.place.country),
                        article.text,
                        tokens,
                        &mention.tokens,
                        "place",
                    ))
                });
                events.push(CodedEvent {
                    source,
                    target,
                    cameo: cameo.clone(),
                    date: setting.date_at(action.tokens.start),
                    location: setting.location_at(action.tokens.start, article.text, tokens),
                    modality,
                    reported_by: None,
                    confidence,
                    sentence_index: 0,
                    sentence_chars: 0..0,
                    sentence_text: String::new(),
                    rule: action.pattern.id.clone(),
                });
            }
            if !events.is_empty() {
                per_action.push((action, events));
            }
        }
        // ", backed by Armenia's military,": a reduced passive clause is not the main verb.
        let first_verb = actions
            .iter()
            .find(|a| !a.pattern.nominal && !reduced_passive(tokens, a))
            .map(|a| a.tokens.start);
        let mut events = main_events(tokens, first_verb, &actions, per_action);
        if let Some(demand) = self.obligation(tokens, &actors, &setting, article.text) {
            // "X said Y must ...": the demand is the news, what Y must do its content.
            events = vec![demand];
        }
        attribute_speech(&mut events, &speakers);
        for event in &mut events {
            let target_is_region = event
                .target
                .as_ref()
                .is_some_and(|t| t.rules.iter().any(|r| r.starts_with("reference:region:")));
            if event.location.is_none() && target_is_region {
                event.location.clone_from(&region_location);
            }
        }
        events
    }

    /// The name of the state with this country code (the code itself when
    /// the dictionaries name no such country).
    fn state_name<'c>(&'c self, country: &'c str) -> &'c str {
        self.dictionaries.country_name(country).unwrap_or(country)
    }

    /// "The administration declared that China must drop barriers": someone
    /// says another actor must or should act — a demand (CAMEO 100) from the
    /// sentence's first actor to the actor before "must".
    fn obligation(
        &self,
        tokens: &[Token],
        actors: &[ActorPhrase],
        setting: &Setting,
        text: &str,
    ) -> Option<CodedEvent> {
        let must = tokens
            .iter()
            .position(|t| matches!(t.norm.as_str(), "must" | "should"))?;
        let speaker = actors.iter().find(|a| {
            a.tokens.end <= must && a.actor.is_some() && !follows_preposition(tokens, a)
        })?;
        let addressee = actors
            .iter()
            .rev()
            .find(|a| a.tokens.end <= must && must - a.tokens.end <= 2 && a.actor.is_some())?;
        let (source, target) = (speaker.actor.clone()?, addressee.actor.clone()?);
        if addressee.tokens == speaker.tokens || same_actor(&source, &target) {
            return None;
        }
        let cameo = self.dictionaries.cameo(DEMAND_CODE)?.clone();
        Some(CodedEvent {
            source,
            target: Some(target),
            cameo,
            date: setting.date_at(must),
            location: setting.location_at(must, text, tokens),
            modality: Modality::Asserted,
            reported_by: None,
            confidence: 0.6,
            sentence_index: 0,
            sentence_chars: 0..0,
            sentence_text: String::new(),
            rule: "rule:obligation".to_string(),
        })
    }

    /// Actor phrases in sentence order: dictionary matches grouped with the
    /// role nouns and possessives around them.
    fn find_actors(&self, article: ArticleText<'_>, tokens: &[Token]) -> Vec<ActorPhrase> {
        let mut matches: Vec<(Range<usize>, ActorPayload)> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let found = self
                .dictionaries
                .actors
                .longest_at(tokens, i, |payload, span| payload.case_matches(span));
            match found {
                Some((found, payloads)) => {
                    // "Saudi-led forces" are Saudi forces; "the Moscow-led alliance" is not Moscow.
                    let role_follows = || {
                        self.dictionaries
                            .actors
                            .longest_at(tokens, found.end + 2, |p, _| {
                                matches!(p, ActorPayload::Agent(_))
                            })
                            .is_some()
                    };
                    if !modifier_only(tokens, found.end) || role_follows() {
                        let best = best_payload(&payloads, article.published);
                        matches.push((found.start..found.end, dated(best, article.published)));
                    }
                    i = found.end;
                }
                None => i += 1,
            }
        }
        let is_verb = |word: &str| self.dictionaries.verbs.is_verb_form(word);
        group_actor_matches(article.text, tokens, matches, &is_verb)
    }

    fn find_actions<'d>(&'d self, tokens: &[Token], actors: &[ActorPhrase]) -> Vec<Action<'d>> {
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
            match self
                .dictionaries
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
}

/// The first actor phrase that shares a token with `range`.
fn overlapping(actors: &[ActorPhrase], range: &Range<usize>) -> Option<usize> {
    actors
        .iter()
        .position(|a| a.tokens.start < range.end && range.start < a.tokens.end)
}

/// Adds a phrase resolved from a reference, keeping the phrases in sentence order.
fn insert_phrase(actors: &mut Vec<ActorPhrase>, tokens: Range<usize>, actor: CodedActor) {
    let at = actors.partition_point(|a| a.tokens.start < tokens.start);
    actors.insert(
        at,
        ActorPhrase {
            tokens,
            actor: Some(actor),
        },
    );
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
    for (range, payload) in matches {
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
                ["of"] | ["of", "the"] | ["for"] | ["for", "the"] | ["in"] | ["in", "the"] => {
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
        .map(|(range, payloads)| ActorPhrase {
            actor: resolve_group(&payloads, span_text(text, &tokens[range.clone()])),
            tokens: range,
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

/// Who a group of matches names.
fn resolve_group(payloads: &[ActorPayload], text: String) -> Option<CodedActor> {
    let named = |kind: Option<ActorKind>| {
        payloads.iter().find_map(|p| match p {
            ActorPayload::Named(e) if kind.is_none_or(|k| e.kind == k) => Some(e),
            _ => None,
        })
    };
    let agent = payloads.iter().rev().find_map(|p| match p {
        ActorPayload::Agent(a) => Some(a),
        _ => None,
    });
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
    let (role, kind) = match (base.kind, agent) {
        (ActorKind::Person | ActorKind::Organisation, _) => (base.role.clone(), base.kind),
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

/// Whether `first` governs `second` as its complement: "agreed to
/// withdraw", "asked that ... vacate", "began pulling out of".
fn governs(tokens: &[Token], first: &Action, second: &Action) -> bool {
    let gap: Vec<&str> = tokens[first.tokens.end..second.tokens.start]
        .iter()
        .map(|t| t.norm.as_str())
        .collect();
    matches!(gap.as_slice(), ["to"] | [] | ["on", "the"] | ["to", "the"])
        && !first.pattern.nominal
        && CONTROL_ROOTS.contains(&&first.pattern.code[..2])
}

/// Sources and targets for an action: one pair per source (coordinated
/// subjects give several), or none when no source is found.
fn assign_roles(
    tokens: &[Token],
    actors: &[ActorPhrase],
    action: &Action,
    next: Option<&Action>,
) -> Vec<(CodedActor, Option<CodedActor>)> {
    let start = action.tokens.start;
    let clause_end = next
        .map_or(tokens.len(), |n| n.tokens.start)
        .min(action.tokens.end + ACTOR_WINDOW);
    let passive = start >= 1
        && tokens[start.saturating_sub(2)..start]
            .iter()
            .any(|t| en().has(WordSet::Be, &t.norm))
        && tokens
            .get(action.tokens.end)
            .is_some_and(|t| t.norm == "by");

    // Actors are in sentence order: only those within the window are looked at.
    let first = actors.partition_point(|a| a.tokens.end + ACTOR_WINDOW < start);
    let last = actors.partition_point(|a| a.tokens.start < clause_end);
    let nearby = &actors[first..last.max(first)];
    let left: Vec<&ActorPhrase> = nearby
        .iter()
        .filter(|a| a.tokens.end <= start)
        .filter(|a| !follows_preposition(tokens, a))
        .collect();
    // Actors after the action, or inside it where a pattern's wildcard
    // covers the object ("accused Azerbaijan of").
    let right: Vec<&ActorPhrase> = nearby
        .iter()
        .filter(|a| a.tokens.start > start && a.actor.is_some())
        .filter(|a| !(verbal_cooperation(action) && names_a_place(tokens, a)))
        .collect();

    let mut sources: Vec<CodedActor> = Vec::new();
    if let Some(subject) = left.last() {
        sources.extend(subject.actor.clone());
        // Coordination: "Putin and Pashinyan agreed".
        let mut head = subject.tokens.start;
        for earlier in left.iter().rev().skip(1) {
            let gap: Vec<&str> = tokens[earlier.tokens.end..head]
                .iter()
                .map(|t| t.norm.as_str())
                .collect();
            let list_comma = gap.as_slice() == [","] && sources.len() > 1;
            // An empty gap only separates the halves of "the two countries".
            if matches!(gap.as_slice(), [] | ["and"] | [",", "and"]) || list_comma {
                sources.extend(earlier.actor.clone());
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
            let gap: Vec<&str> = tokens[tail..later.tokens.start]
                .iter()
                .map(|t| t.norm.as_str())
                .collect();
            if matches!(gap.as_slice(), ["and"] | [",", "and"] | [","]) {
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
    if passive {
        let agent = right.first().and_then(|a| a.actor.clone());
        // The patient may sit in a phrase: "a camp for Congolese refugees was attacked".
        let patient = nearby
            .iter()
            .rev()
            .find(|a| a.tokens.end <= start && a.actor.is_some())
            .and_then(|a| a.actor.clone());
        sources = agent.into_iter().collect();
        target = patient;
    }
    // Inverted reporting clause: "..., said Mr. Peskov".
    if sources.is_empty() && action.pattern.code == STATEMENT_CODE {
        sources.extend(right.first().and_then(|a| a.actor.clone()));
        target = None;
    }
    if sources.is_empty() {
        return Vec::new();
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
    if sources.len() > 1 && (target.is_none() || meeting_of_subjects) {
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

fn same_actor(a: &CodedActor, b: &CodedActor) -> bool {
    a.code() == b.code() && a.name == b.name
}

/// "Russia's government ... Russia": a state's own government or forces do
/// not act on their state as a whole; such a target is a misreading (a
/// place, or the subject named again). Irregulars may act on their state.
fn own_state(source: &CodedActor, target: &CodedActor) -> bool {
    target.kind == ActorKind::State
        && target.role.is_empty()
        && target.country == source.country
        && source.kind != ActorKind::Organisation
        && STATE_FORCES.contains(&source.role.as_str())
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
/// "according to Mr. Peskov"), skipping determiners and honorifics.
fn follows_preposition(tokens: &[Token], actor: &ActorPhrase) -> bool {
    tokens[actor.tokens.start.saturating_sub(ACTOR_WINDOW)..actor.tokens.start]
        .iter()
        .rev()
        .find(|t| !en().has(WordSet::BeforeName, &t.norm))
        .is_some_and(|t| en().has(WordSet::Preposition, &t.norm))
}

/// The modality of `action` from the words just before it and the actions
/// that govern it.
fn modality_of(
    tokens: &[Token],
    first_if: Option<usize>,
    earlier: &[Action],
    action: &Action,
) -> Modality {
    let start = action.tokens.start;
    let window = &tokens[start.saturating_sub(MODAL_WINDOW)..start];
    // "said they will release": a pattern's gap may hold the modal word.
    let inside = match action.tokens.len() {
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
    if has(WordSet::Negation) || no_longer {
        return Modality::Negated;
    }
    if has(WordSet::Hypothetical) || first_if.is_some_and(|i| i < start) {
        return Modality::Hypothetical;
    }
    let governed = action.pattern.code != STATEMENT_CODE
        && earlier.last().is_some_and(|e| {
            !e.pattern.nominal
                && CONTROL_ROOTS.contains(&&e.pattern.code[..2])
                && start - e.tokens.end <= GOVERNED_DISTANCE
        });
    let infinitive = window.last().is_some_and(|t| t.norm == "to");
    // "attempted to assassinate": an attempt is the act (CAMEO codes attempts so).
    let attempted = infinitive
        && window.len() >= 2
        && en().has(WordSet::Attempt, &window[window.len() - 2].norm);
    if attempted && !has(WordSet::Future) {
        return Modality::Asserted;
    }
    if has(WordSet::Future) || governed || (infinitive && !earlier.is_empty()) {
        return Modality::Intended;
    }
    Modality::Asserted
}

fn confidence(action: &Action, has_target: bool) -> f64 {
    let mut c: f64 = 0.6;
    if has_target {
        c += 0.15;
    }
    if action.tokens.len() > 1 {
        c += 0.1;
    }
    if action.pattern.nominal {
        c -= 0.2;
    }
    (c.clamp(0.05, 0.95) * 100.0).round() / 100.0
}

/// The events of the sentence's main action: the first verbal action that
/// codes, else the first noun ("the war"); a statement ("X said") only when
/// nothing else codes, since "X said Y attacked Z" reports Y's attack.
/// Later actions are mostly subordinate clauses, which coders of
/// political event data leave out.
fn main_events(
    tokens: &[Token],
    first_verb: Option<usize>,
    actions: &[Action],
    per_action: Vec<(&Action, Vec<CodedEvent>)>,
) -> Vec<CodedEvent> {
    let is_statement = |a: &Action| a.pattern.code == STATEMENT_CODE;
    let main_clause =
        |a: &Action| !subordinate(tokens, a, first_verb) && !purpose_clause(tokens, actions, a);
    let position = per_action
        .iter()
        .position(|(a, _)| !a.pattern.nominal && !is_statement(a) && main_clause(a))
        .or_else(|| {
            per_action
                .iter()
                .position(|(a, _)| !a.pattern.nominal && !is_statement(a))
        })
        .or_else(|| {
            per_action
                .iter()
                .position(|(a, _)| !is_statement(a) && !background(tokens, a))
        })
        .or_else(|| per_action.iter().position(|(a, _)| is_statement(a)));
    position
        .and_then(|p| per_action.into_iter().nth(p))
        .map(|(_, events)| events)
        .unwrap_or_default()
}

/// The CAMEO code for stopping cooperation of the given code: aid (07) ->
/// reduce or stop aid (162); material cooperation (06) -> reduce relations
/// (160).
fn cessation_code(code: &str) -> Option<&'static str> {
    match &code[..2] {
        "07" => Some("162"),
        "06" => Some("160"),
        _ => None,
    }
}

/// The CAMEO "express intent" code (03x, or 13x threats for force) for an
/// action that is only intended, promised or planned.
fn intent_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "0711" | "071" => "0331",
        "072" => "0332",
        "073" => "0333",
        "074" => "0334",
        "081" => "0351",
        "084" | "0841" | "0842" => "0353",
        "085" => "0354",
        "086" => "0355",
        "087" | "0871" | "0872" | "0873" | "0874" => "0356",
        _ => match &code[..2] {
            "04" => "036",
            "05" => "032",
            "06" => "031",
            "07" => "033",
            "08" => "035",
            "09" => "030",
            "15" | "18" | "19" | "20" => "138",
            "16" => "1313",
            "17" => "132",
            _ => return None,
        },
    })
}

/// Whether force of this code, done at a named place with nobody named as
/// its target, is done to the state the place belongs to: violence (18-20)
/// and destruction of property (171).
fn used_on_places(code: &str) -> bool {
    matches!(&code[..2], "18" | "19" | "20") || code.starts_with("171")
}

/// Roles of armed actors outside a state's forces.
const IRREGULAR_FORCES: &[&str] = &["REB", "INS", "TER", "SEP", "UAF", "RAD", "CRM"];
/// Roles of people outside any armed force.
const NONCOMBATANTS: &[&str] = &[
    "CVL", "REF", "JRN", "EDU", "HLH", "MED", "REL", "LAB", "BUS", "AGR", "NGO", "ELI", "OPP",
];
/// Roles of a state's own forces and government.
const STATE_FORCES: &[&str] = &["", "GOV", "MIL", "COP", "SPY"];

/// Verbs of violence that say nothing of its manner.
const UNSPECIFIED_VIOLENCE: &[&str] = &["verb:kill", "verb:attack", "verb:wound", "verb:injure"];

/// "killed", "attacked": violence whose manner the verb leaves open is
/// unconventional (CAMEO 180) when irregulars commit it or non-combatants
/// suffer it, and conventional military force (190) when a state's forces
/// use it against a counterpart.
fn violence_code(
    action: &Action,
    code: &str,
    source: &CodedActor,
    target: Option<&CodedActor>,
) -> Option<&'static str> {
    if !matches!(code, "180" | "190") || !UNSPECIFIED_VIOLENCE.contains(&action.pattern.id.as_str())
    {
        return None;
    }
    let irregular = IRREGULAR_FORCES.contains(&source.role.as_str());
    let noncombatant = target.is_some_and(|t| NONCOMBATANTS.contains(&t.role.as_str()));
    if irregular || noncombatant {
        Some("180")
    } else if STATE_FORCES.contains(&source.role.as_str())
        && source.kind != ActorKind::Organisation
        && target.is_some()
    {
        Some("190")
    } else {
        None
    }
}

/// "will not accept", "would not allow": a negated cooperative action in the
/// future is a refusal, CAMEO 12 (Reject).
fn refusal(
    tokens: &[Token],
    action: &Action,
    code: &str,
    modality: Modality,
) -> Option<&'static str> {
    let start = action.tokens.start;
    let future = tokens[start.saturating_sub(MODAL_WINDOW)..start]
        .iter()
        .any(|t| matches!(t.norm.as_str(), "will" | "would" | "'ll" | "shall"));
    let cooperative = matches!(&code[..2], "03" | "04" | "05" | "06" | "07" | "08");
    (modality == Modality::Negated && future && cooperative).then_some(match &code[..2] {
        "04" => "125",
        "06" => "121",
        "07" => "122",
        "08" => "124",
        _ => "120",
    })
}

/// Whether "no longer" stands just before the action.
fn ceases(tokens: &[Token], action: &Action) -> bool {
    let start = action.tokens.start;
    tokens[start.saturating_sub(MODAL_WINDOW)..start]
        .windows(2)
        .any(|w| w[0].norm == "no" && w[1].norm == "longer")
}

/// Whether an action stands in a subordinate clause: "separatists, backed
/// by Armenia", "peacekeepers, who are deployed".
/// ", backed by ...": a participle after a comma with its agent.
fn reduced_passive(tokens: &[Token], action: &Action) -> bool {
    let start = action.tokens.start;
    start > 0
        && tokens[start - 1].norm == ","
        && tokens
            .get(action.tokens.end)
            .is_some_and(|t| t.norm == "by")
}

fn subordinate(tokens: &[Token], action: &Action, first_verb: Option<usize>) -> bool {
    let start = action.tokens.start;
    // "that" also opens reported speech ("said that Russia has attacked"),
    // so only the pronouns that cannot reach further back: "whom have been held".
    let relative = tokens[start.saturating_sub(2)..start]
        .iter()
        .any(|t| en().has(WordSet::RelativePronoun, &t.norm))
        || tokens[start.saturating_sub(3)..start]
            .iter()
            .any(|t| matches!(t.norm.as_str(), "who" | "whom" | "which"));
    // ", backed by ..." and ", calling them ...": participles after a comma;
    // ", the coordinator, demanded ..." is a main verb after an apposition.
    // After the main verb, ", expected to ..." is a participle clause too.
    let after_comma = start > 0 && tokens[start - 1].norm == ",";
    let participle = tokens[start].norm.ends_with("ing")
        || tokens
            .get(action.tokens.end)
            .is_some_and(|t| t.norm == "by")
        || (tokens[start].norm.ends_with("ed") && first_verb.is_some_and(|f| f < start));
    relative || (after_comma && participle)
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
                    && !CONTROL_ROOTS.contains(&&a.pattern.code[..2])
                    && !governs(tokens, a, action)
            })
}

/// Whether a noun action is background ("following the offensive").
fn background(tokens: &[Token], action: &Action) -> bool {
    action.pattern.nominal
        && tokens[action.tokens.start.saturating_sub(5)..action.tokens.start]
            .iter()
            .any(|t| en().has(WordSet::Background, &t.norm))
}

/// Marks events of a sentence with a statement verb as reported by its
/// speaker ("X said Y attacked Z").
fn attribute_speech(events: &mut [CodedEvent], speakers: &[(usize, CodedActor)]) {
    let Some((_, speaker)) = speakers.first() else {
        return;
    };
    for event in events.iter_mut().filter(|e| e.cameo.code != STATEMENT_CODE) {
        if event.source.code() != speaker.code() || event.source.name != speaker.name {
            event.reported_by = Some(speaker.clone());
        }
    }
}

#[cfg(test)]
mod tests;
