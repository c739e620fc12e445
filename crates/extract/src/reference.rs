//! References across sentences: "the two countries", "both sides" resolved
//! to the two states named just before — only when exactly two are; "the
//! region" to the region named last.

use std::{collections::VecDeque, ops::Range};

use crate::{
    dictionary::{ActorKind, Place},
    lexicon::{WordSet, en},
    model::CodedActor,
    stages::actors::ActorPhrase,
    tagger::Upos,
    text::Token,
};

/// "U.N. special envoy Geir Pedersen", "opposition leader Ilyas Ali
/// Hassan": a role in a body followed by a personal name (two or more
/// proper nouns no dictionary knows) is a person acting in that role; a
/// later "he" or "the envoy" refers to them. The person is coded as the
/// role.
pub(crate) fn named_by_role(
    text: &str,
    tokens: &[Token],
    actors: &[ActorPhrase],
) -> Vec<CodedActor> {
    actors
        .iter()
        .filter_map(|phrase| {
            let actor = phrase
                .actor
                .as_ref()
                .filter(|a| a.kind != ActorKind::Person && !a.role.is_empty())?;
            let name_len = tokens[phrase.tokens.end..]
                .iter()
                .take_while(|t| t.capitalized && t.pos == Upos::Propn)
                .count();
            let name_end = phrase.tokens.end + name_len;
            let named_elsewhere = actors
                .iter()
                .any(|a| a.tokens.start < name_end && a.tokens.end > phrase.tokens.end);
            if name_len < 2 || named_elsewhere {
                return None;
            }
            let words = |range: Range<usize>| {
                text[tokens[range.start].bytes.start..tokens[range.end - 1].bytes.end].to_string()
            };
            Some(CodedActor {
                kind: ActorKind::Person,
                name: words(phrase.tokens.end..name_end),
                text: words(phrase.tokens.start..name_end),
                ..actor.clone()
            })
        })
        .collect()
}

/// The rule an actor resolved from "the country" carries.
pub(crate) const TOPIC_RULE: &str = "reference:topic";

/// How often the article must name a state before "the country" is it.
const TOPIC_MENTIONS: usize = 3;

/// The first phrase of `set` in `tokens`: its start and length.
pub(crate) fn find_phrase(tokens: &[Token], set: WordSet) -> Option<(usize, usize)> {
    (0..tokens.len()).find_map(|i| {
        en().phrases(set)
            .iter()
            .find(|phrase| {
                tokens.len() >= i + phrase.len()
                    && phrase.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.norm)
            })
            .map(|phrase| (i, phrase.len()))
    })
}

/// The position of the word that opens a sentence's main clause as its
/// subject, followed by its verb within two words ("It also said", "On
/// Monday, they attacked"): first, or after an opening phrase and its comma.
fn opening_subject(tokens: &[Token]) -> Option<usize> {
    let verb = |t: &Token| matches!(t.pos, Upos::Verb | Upos::Aux);
    let opening = tokens
        .iter()
        .take(OPENING_PHRASE)
        .position(|t| t.norm == ",")
        .filter(|&comma| !tokens[..comma].iter().any(verb))
        .map_or(0, |comma| comma + 1);
    let followed_by_verb = tokens.iter().skip(opening + 1).take(2).any(verb);
    followed_by_verb.then_some(opening)
}

/// How many words an opening phrase before a sentence's subject may have.
const OPENING_PHRASE: usize = 8;

/// Whether an actor's words name it in the plural ("rebels", "the
/// Taliban", "Kenya and Somalia").
fn plural(actor: &CodedActor) -> bool {
    let last = actor.text.split_whitespace().last().unwrap_or_default();
    actor.kind == ActorKind::ArmedGroup
        || actor.text.contains(" and ")
        || (last.ends_with('s') && !last.ends_with("ss") && !last.ends_with("'s"))
}

/// Whether an actor's words end in a person's title ("the U.N. special
/// envoy", "Iran's foreign minister"): the titles "the spokesman", "the
/// envoy" refer by.
fn titled(actor: &CodedActor) -> bool {
    let last = actor
        .text
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_lowercase();
    en().phrases(WordSet::PersonReference)
        .iter()
        .any(|phrase| phrase.len() > 1 && phrase.last().is_some_and(|w| *w == last))
}

/// How many earlier sentences a reference may reach back.
const REACH: usize = 3;
/// How many earlier sentences "he", "she" and "the spokesman" may reach back.
const PERSON_REACH: usize = 2;
/// How many earlier sentences "the spokesman" may reach back to a person
/// named with that title ("Kremlin spokesman Dmitry Peskov").
const TITLE_REACH: usize = 8;
/// How many earlier sentences "the alliance" may reach back.
const ORGANISATION_REACH: usize = 8;

/// What the article has named so far: the states of recent sentences.
#[derive(Debug, Default)]
pub(crate) struct Context {
    recent: VecDeque<(usize, CodedActor)>,
    people: VecDeque<(usize, CodedActor)>,
    organisations: VecDeque<(usize, CodedActor)>,
    /// Armed groups named by name ("the Taliban", "al-Shabab").
    armed_groups: VecDeque<(usize, CodedActor)>,
    region: Option<Place>,
    commentators: Vec<String>,
    /// Acronyms the article defined ("the Baloch Liberation Army, or BLA"),
    /// lower-cased, with the actor each stands for.
    acronyms: Vec<(String, CodedActor)>,
    /// How often the article has named each country so far.
    mentions: Vec<(String, usize)>,
    /// Who did the first act coded in a sentence, with the sentence's index.
    agent: Option<(usize, CodedActor)>,
}

impl Context {
    /// Records the actors named in sentence `index`.
    pub fn observe<'a>(&mut self, index: usize, actors: impl IntoIterator<Item = &'a CodedActor>) {
        for actor in actors {
            if actor.kind == ActorKind::Person {
                // "Mr. Peskov" after "Kremlin spokesman Dmitry Peskov": the
                // person keeps the fuller words that introduced them.
                let mut person = actor.clone();
                if let Some(k) = self.people.iter().position(|(_, p)| p.name == actor.name) {
                    let (_, earlier) = self.people.remove(k).expect("position is in range");
                    if earlier.text.len() > person.text.len() {
                        person.text = earlier.text;
                    }
                }
                self.people.push_back((index, person));
            }
            if actor.kind == ActorKind::ArmedGroup && named_group(actor) {
                self.armed_groups.retain(|(_, g)| g.name != actor.name);
                self.armed_groups.push_back((index, actor.clone()));
            }
            if actor.kind == ActorKind::Organisation {
                self.organisations
                    .retain(|(_, o)| o.country != actor.country);
                self.organisations.push_back((index, actor.clone()));
            } else if actor.country.len() == 3 {
                match self.mentions.iter_mut().find(|(c, _)| *c == actor.country) {
                    Some((_, count)) => *count += 1,
                    None => self.mentions.push((actor.country.clone(), 1)),
                }
                self.recent.push_back((index, actor.clone()));
            }
        }
        while self
            .people
            .front()
            .is_some_and(|(i, _)| i + TITLE_REACH < index)
        {
            self.people.pop_front();
        }
        while self
            .organisations
            .front()
            .is_some_and(|(i, _)| i + ORGANISATION_REACH < index)
        {
            self.organisations.pop_front();
        }
        while self
            .armed_groups
            .front()
            .is_some_and(|(i, _)| i + ORGANISATION_REACH < index)
        {
            self.armed_groups.pop_front();
        }
        while self
            .recent
            .front()
            .is_some_and(|(i, _)| i + REACH < index + 1)
        {
            self.recent.pop_front();
        }
    }

    /// The countries (not organisations) the last sentences name, this one
    /// included, each once.
    pub fn recent_countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = Vec::new();
        for (_, actor) in &self.recent {
            if !countries.contains(&actor.country) {
                countries.push(actor.country.clone());
            }
        }
        countries
    }

    /// "the alliance", "the Moscow-led alliance", "the bloc": the one
    /// organisation the recent sentences name, if only one. "the court",
    /// "the agency": the latest one whose name has that noun as its word
    /// ("the International Court of Justice") — a definite description
    /// refers back to a name with the same head.
    pub fn resolve_organisation(
        &self,
        text: &str,
        tokens: &[Token],
    ) -> Option<(Range<usize>, CodedActor)> {
        let only = match self.organisations.iter().collect::<Vec<_>>()[..] {
            [(_, organisation)] => Some(organisation),
            _ => None,
        };
        let named_by = |noun: &str| {
            self.organisations.iter().rev().map(|(_, o)| o).find(|o| {
                o.name
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case(noun))
            })
        };
        tokens.iter().enumerate().find_map(|(start, the)| {
            if the.norm != "the" {
                return None;
            }
            let (noun, organisation) = (start + 1..tokens.len().min(start + 5)).find_map(|k| {
                let t = &tokens[k];
                if t.capitalized || !matches!(t.pos, Upos::Noun) {
                    return None;
                }
                let by_kind = only.filter(|_| en().has(WordSet::OrganisationNoun, &t.norm));
                by_kind.or_else(|| named_by(&t.norm)).map(|o| (k, o))
            })?;
            // Only modifiers between: "the Moscow-led alliance", "the military alliance".
            let between = &tokens[start + 1..noun];
            if between
                .iter()
                .any(|t| matches!(t.norm.as_str(), "," | "of" | "and" | "to" | "\""))
            {
                return None;
            }
            let mut actor = organisation.clone();
            actor.text = text[tokens[start].bytes.start..tokens[noun].bytes.end].to_string();
            actor.rules = vec![format!("reference:organisation:{}", organisation.country)];
            Some((start..noun + 1, actor))
        })
    }

    /// "the militants", "the insurgent group", "the rebels": a definite role
    /// noun of an armed group refers back to the one armed group the recent
    /// sentences name by name ("the Taliban ... the insurgent group"), if
    /// only one — a definite description takes an antecedent of its kind.
    /// Gives the actor for each phrase of `actors` (by index) it resolves.
    pub fn resolve_armed_groups(
        &self,
        text: &str,
        tokens: &[Token],
        actors: &[ActorPhrase],
    ) -> Vec<(usize, CodedActor)> {
        let [(_, group)] = self.armed_groups.iter().collect::<Vec<_>>()[..] else {
            return Vec::new();
        };
        actors
            .iter()
            .enumerate()
            .filter(|(_, phrase)| {
                phrase.actor.is_none()
                    && phrase
                        .role_noun
                        .as_ref()
                        .is_some_and(|agent| agent.kind == ActorKind::ArmedGroup)
                    && definite(tokens, phrase.tokens.start)
            })
            .map(|(k, phrase)| {
                let words = &tokens[phrase.tokens.clone()];
                let mut actor = group.clone();
                actor.text =
                    text[words[0].bytes.start..words[words.len() - 1].bytes.end].to_string();
                actor.rules = vec![format!("reference:armed-group:{}", group.name)];
                (k, actor)
            })
            .collect()
    }

    /// "he", "she", "the spokesman": the one person the last sentences (this
    /// one included) name, if only one; each with its token range. A title
    /// ("the spokesman", "the envoy") first looks further back for the one
    /// person named with it ("Kremlin spokesman Dmitry Peskov"); a title
    /// marked "title" in the word set refers to no one else.
    pub fn resolve_people(
        &self,
        index: usize,
        text: &str,
        tokens: &[Token],
    ) -> Vec<(Range<usize>, CodedActor)> {
        let near: Vec<&CodedActor> = self
            .people
            .iter()
            .filter(|(i, _)| i + PERSON_REACH >= index)
            .map(|(_, p)| p)
            .collect();
        let sole = match near[..] {
            [person] => Some(person),
            _ => None,
        };
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let phrase = en()
                .phrases(WordSet::PersonReference)
                .iter()
                .find(|phrase| {
                    tokens.len() >= i + phrase.len()
                        && phrase.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.norm)
                });
            let Some(phrase) = phrase else {
                i += 1;
                continue;
            };
            let range = i..i + phrase.len();
            i += phrase.len();
            let title = phrase
                .strip_prefix(&["the"][..])
                .unwrap_or_default()
                .join(" ");
            let titled: Vec<&CodedActor> = self
                .people
                .iter()
                .map(|(_, p)| p)
                .filter(|p| !title.is_empty() && p.text.to_lowercase().contains(&title))
                .collect();
            let title_only =
                en().value(WordSet::PersonReference, &phrase.join(" ")) == Some("title");
            let person = match titled[..] {
                [person] => person,
                [] if !title_only => match sole {
                    Some(person) => person,
                    None => continue,
                },
                _ => continue,
            };
            let mut actor = person.clone();
            actor.text =
                text[tokens[range.start].bytes.start..tokens[range.end - 1].bytes.end].to_string();
            actor.rules = vec![format!("reference:person:{}", person.name)];
            found.push((range, actor));
        }
        found
    }

    /// "Papandreou" after "Prime Minister Andreas Papandreou": a surname
    /// standing alone (no other name word beside it but an honorific)
    /// refers to the one person the article has lately named with it; each
    /// with its token range.
    pub fn resolve_surnames(
        &self,
        text: &str,
        tokens: &[Token],
    ) -> Vec<(Range<usize>, CodedActor)> {
        let name_word = |t: &Token| t.capitalized && t.pos == Upos::Propn;
        let mut found = Vec::new();
        for (k, token) in tokens.iter().enumerate() {
            let alone = name_word(token)
                && tokens.get(k + 1).is_none_or(|t| !name_word(t))
                && k.checked_sub(1).is_none_or(|j| {
                    !name_word(&tokens[j]) || en().has(WordSet::Honorific, &tokens[j].norm)
                });
            if !alone {
                continue;
            }
            let mut named = self.people.iter().map(|(_, p)| p).filter(|p| {
                p.name.split_whitespace().count() > 1
                    && p.name
                        .split_whitespace()
                        .last()
                        .is_some_and(|last| last.to_lowercase() == token.norm)
            });
            let (Some(person), None) = (named.next(), named.next()) else {
                continue;
            };
            let mut actor = person.clone();
            actor.text = text[token.bytes.clone()].to_string();
            actor.rules = vec![format!("reference:surname:{}", person.name)];
            found.push((k..k + 1, actor));
        }
        found
    }

    /// Records who did the first act coded in sentence `index`.
    pub fn observe_agent(&mut self, index: usize, agent: &CodedActor) {
        self.agent = Some((index, agent.clone()));
    }

    /// "Iran launched an offensive. It also shelled Basra": a subject
    /// pronoun opening a sentence continues its topic, the agent of the
    /// previous sentence's first act (centering: the subject is the
    /// likeliest antecedent), when the pronoun fits it ("it" a state or
    /// body, "they" a group named in the plural, "he" and "she" a person
    /// or a titled office: "The U.N. envoy urged … He also called for").
    /// Where only one person is near, [`Context::resolve_people`] has
    /// already resolved "he" and "she".
    pub fn resolve_subject_pronoun(
        &self,
        index: usize,
        text: &str,
        tokens: &[Token],
    ) -> Option<(Range<usize>, CodedActor)> {
        let (at, agent) = self.agent.as_ref()?;
        if at + 1 != index {
            return None;
        }
        let start = opening_subject(tokens)?;
        let person = agent.kind == ActorKind::Person || titled(agent);
        let fits = match tokens[start].norm.as_str() {
            "it" => !person && (agent.kind == ActorKind::State || !plural(agent)),
            "they" => !person && agent.kind != ActorKind::State && plural(agent),
            "he" | "she" => person,
            _ => false,
        };
        fits.then(|| {
            let mut actor = agent.clone();
            actor.text = text[tokens[start].bytes.clone()].to_string();
            actor.rules = vec![format!("reference:pronoun:{}", agent.name)];
            (start..start + 1, actor)
        })
    }

    /// Records the surnames of people introduced as commentators.
    pub fn observe_commentators(&mut self, names: Vec<String>) {
        for name in names {
            if !self.commentators.contains(&name) {
                self.commentators.push(name);
            }
        }
    }

    /// The surnames of the commentators the article has introduced.
    pub fn commentators(&self) -> &[String] {
        &self.commentators
    }

    /// Records the acronyms a sentence defines for its actors: "the Baloch
    /// Liberation Army (BLA)", "the Baloch Liberation Army, or BLA,".
    pub fn observe_acronyms(&mut self, tokens: &[Token], actors: &[(Range<usize>, &CodedActor)]) {
        for (range, actor) in actors {
            if let Some(acronym) = defined_acronym(tokens, range) {
                self.acronyms.retain(|(a, _)| *a != acronym);
                self.acronyms.push((acronym, (*actor).clone()));
            }
        }
    }

    /// The acronyms of `tokens` that the article defined, with the actor
    /// each stands for.
    pub fn resolve_acronyms(&self, tokens: &[Token]) -> Vec<(Range<usize>, CodedActor)> {
        tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.all_caps)
            .filter_map(|(k, t)| {
                let (_, actor) = self.acronyms.iter().find(|(a, _)| *a == t.norm)?;
                Some((k..k + 1, actor.clone()))
            })
            .collect()
    }

    /// Records the regions a sentence names; "the region" means the last.
    pub fn observe_regions(&mut self, regions: Vec<Place>) {
        if let Some(last) = regions.into_iter().last() {
            self.region = Some(last);
        }
    }

    /// "the region" (not "the region's"), resolved to the region named last.
    pub fn resolve_region(&self, tokens: &[Token]) -> Option<(Range<usize>, Place)> {
        let region = self.region.clone()?;
        let start = tokens.windows(2).position(|pair| {
            pair[0].norm == "the" && pair[1].norm == "region" && !pair[1].capitalized
        })?;
        if tokens.get(start + 2).is_some_and(|t| t.norm == "'s") {
            return None;
        }
        Some((start..start + 2, region))
    }

    /// The parties "the two sides" refers to: the two states the last
    /// sentences (and `before`, the actors named before it in its own) name, as states, if there are exactly two; or the one
    /// state they name, as a whole, when they name two or more of its
    /// actors ("the Rapid Support Forces … the army … both sides": a civil
    /// war's sides, which CAMEO codes by their country).
    fn pair<'a>(
        &'a self,
        index: usize,
        before: impl Iterator<Item = &'a CodedActor>,
    ) -> Option<Vec<CodedActor>> {
        let recent: Vec<&CodedActor> = self
            .recent
            .iter()
            .filter(|(i, _)| *i < index && index - i <= REACH)
            .map(|(_, actor)| actor)
            .chain(before.filter(|a| a.kind != ActorKind::Organisation && a.country.len() == 3))
            .collect();
        let mut states: Vec<&CodedActor> = Vec::new();
        for actor in &recent {
            if !states.iter().any(|s| s.country == actor.country) {
                states.push(actor);
            }
        }
        let as_state = |actor: &CodedActor| CodedActor {
            country: actor.country.clone(),
            role: String::new(),
            kind: ActorKind::State,
            name: actor.country.clone(),
            text: String::new(),
            rules: vec!["reference:pair".to_string()],
        };
        match states[..] {
            [a, b] => Some(vec![as_state(a), as_state(b)]),
            [one] => {
                let mut parts: Vec<String> = recent.iter().map(|a| a.code()).collect();
                parts.sort();
                parts.dedup();
                (parts.len() >= 2).then(|| vec![as_state(one)])
            }
            _ => None,
        }
    }

    /// "The country" (phrases of the word set `topic-country`): the state the
    /// article is about — named at least [`TOPIC_MENTIONS`] times so far and
    /// at least twice as often as any other. `is_state` gives a state's
    /// name, and nothing for other codes.
    pub fn resolve_topic_country(
        &self,
        text: &str,
        tokens: &[Token],
        is_state: impl Fn(&str) -> Option<String>,
    ) -> Option<(Range<usize>, CodedActor)> {
        let (start, len) = find_phrase(tokens, WordSet::TopicCountry)?;
        let topic = self.topic_state(|c| is_state(c).is_some())?;
        let range = start..start + len;
        Some((
            range.clone(),
            CodedActor {
                country: topic.to_string(),
                role: String::new(),
                kind: ActorKind::State,
                name: is_state(topic)?,
                text: text[tokens[range.start].bytes.start..tokens[range.end - 1].bytes.end]
                    .to_string(),
                rules: vec![TOPIC_RULE.to_string()],
            },
        ))
    }

    /// The state the article is about so far: named at least
    /// [`TOPIC_MENTIONS`] times and at least twice as often as any other
    /// state. `is_state` tells states from other codes.
    pub fn topic_state(&self, is_state: impl Fn(&str) -> bool) -> Option<&str> {
        let mut states: Vec<(&str, usize)> = self
            .mentions
            .iter()
            .filter(|(c, _)| is_state(c))
            .map(|(c, n)| (c.as_str(), *n))
            .collect();
        states.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let (topic, count) = *states.first()?;
        let runner_up = states.get(1).map_or(0, |(_, n)| *n);
        (count >= TOPIC_MENTIONS && count >= 2 * runner_up).then_some(topic)
    }

    /// Finds a pair phrase in `tokens` and resolves it: the token range and the
    /// two states, or the one state whose sides they are.
    pub fn resolve_pair(
        &self,
        index: usize,
        text: &str,
        tokens: &[Token],
        actors: &[ActorPhrase],
    ) -> Option<(Range<usize>, Vec<CodedActor>)> {
        let (start, len) = find_phrase(tokens, WordSet::PairPhrase)?;
        let before = actors
            .iter()
            .filter(|a| a.tokens.end <= start)
            .filter_map(|a| a.actor.as_ref());
        let mut pair = self.pair(index, before)?;
        let words = &text[tokens[start].bytes.start..tokens[start + len - 1].bytes.end];
        for actor in &mut pair {
            actor.text = words.to_string();
        }
        Some((start..start + len, pair))
    }
}

/// Whether the noun phrase at `start` is definite: "the", past up to two
/// modifiers ("the Islamist militants"), or the phrase's own first word.
fn definite(tokens: &[Token], start: usize) -> bool {
    (start.saturating_sub(3)..=start)
        .rev()
        .take_while(|&k| k == start || matches!(tokens[k].pos, Upos::Adj | Upos::Det))
        .any(|k| tokens[k].norm == "the")
}

/// Whether an armed group was named by its own name ("the Taliban"), not
/// made of a state and a role noun ("Afghan rebels").
fn named_group(actor: &CodedActor) -> bool {
    !actor.rules.iter().any(|r| r.starts_with("agent:"))
}

/// The acronym defined right after the name at `range`: "(BLA)" or ", or
/// BLA" — capitals that start with the name's first capital, no longer
/// than the name has words and function words.
fn defined_acronym(tokens: &[Token], range: &Range<usize>) -> Option<String> {
    let after: Vec<&str> = tokens[range.end..]
        .iter()
        .take(4)
        .map(|t| t.norm.as_str())
        .collect();
    let at = match after.as_slice() {
        ["(", _, ")", ..] => range.end + 1,
        [",", "or", _, "," | "." | ")"] | [",", "or", _] => range.end + 2,
        _ => return None,
    };
    let acronym = &tokens[at];
    let letters = acronym.norm.chars().filter(|c| c.is_alphabetic()).count();
    let first_capital = tokens[range.clone()]
        .iter()
        .find(|t| t.capitalized)?
        .norm
        .chars()
        .next()?;
    (acronym.all_caps
        && letters >= 2
        && letters <= range.len() + 1
        && acronym.norm.starts_with(first_capital))
    .then(|| acronym.norm.clone())
}

/// The state a region belongs to, as the actor "the region" stands for.
pub(crate) fn region_actor(
    region: &Place,
    state_name: &str,
    text: &str,
    tokens: &[Token],
    range: &Range<usize>,
) -> CodedActor {
    place_actor(region, state_name, text, tokens, range, "reference:region")
}

/// The state a place belongs to, named `state_name`, as the actor the words
/// `range` stand for, with a rule id made of `rule` and the place's name.
pub(crate) fn place_actor(
    place: &Place,
    state_name: &str,
    text: &str,
    tokens: &[Token],
    range: &Range<usize>,
    rule: &str,
) -> CodedActor {
    CodedActor {
        country: place.country.clone(),
        role: String::new(),
        kind: ActorKind::State,
        name: state_name.to_string(),
        text: text[tokens[range.start].bytes.start..tokens[range.end - 1].bytes.end].to_string(),
        rules: vec![format!("{rule}:{}", place.name)],
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::{ArticleText, Coder, Dictionaries};

    /// (source, code, target) of each event coded from `text`.
    fn coded(coder: &Coder, text: &str) -> Vec<(String, String, String)> {
        let published = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
        coder
            .code(ArticleText { text, published })
            .into_iter()
            .map(|e| {
                let target = e.target.map(|t| t.code()).unwrap_or_default();
                (e.source.code(), e.cameo.code, target)
            })
            .collect()
    }

    /// Whether `text` yields an event from `source` to `target`.
    fn has_event(coder: &Coder, text: &str, source: &str, target: &str) -> bool {
        coded(coder, text)
            .iter()
            .any(|(s, _, t)| s == source && t == target)
    }

    #[test]
    fn references_resolve_only_when_unambiguous() {
        let coder = Coder::new(Dictionaries::builtin());
        let has = |text: &str, source: &str, target: &str| has_event(&coder, text, source, target);
        // One person named: "he" and "the spokesman" are that person.
        assert!(has(
            "Vladimir Putin spoke on Monday. He condemned Ukraine.",
            "RUSGOV",
            "UKR"
        ));
        assert!(has(
            "Dmitry Peskov said Russia would withdraw. The spokesman criticised Armenia.",
            "RUSGOV",
            "ARM"
        ));
        // Two people named: "he" opening the next sentence is the subject
        // of its first act (centering), and unresolved further on.
        assert!(has(
            "Vladimir Putin met Recep Tayyip Erdogan. He condemned Ukraine.",
            "RUSGOV",
            "UKR"
        ));
        let two =
            "Vladimir Putin met Recep Tayyip Erdogan. The talks were long. He condemned Ukraine.";
        assert!(!coded(&coder, two).iter().any(|(_, _, t)| t == "UKR"));
        // "the alliance" is the one organisation named before.
        assert!(has(
            "Armenia criticised the CSTO. Armenia suspended relations with the Moscow-led alliance.",
            "ARM",
            "CSTO"
        ));
        // "the region" is the region named last, standing for its state.
        assert!(has(
            "They fought over Nagorno-Karabakh. Armenian separatists wrested control of the region.",
            "ARMREB",
            "AZE"
        ));
    }

    #[test]
    fn a_title_refers_back_to_the_person_named_with_it() {
        let coder = Coder::new(Dictionaries::builtin());
        let has = |text: &str, source: &str, target: &str| has_event(&coder, text, source, target);
        // Two people named since, and a shorter naming in between: the
        // spokesman is still the one introduced as spokesman.
        assert!(has(
            "Kremlin spokesman Dmitry Peskov spoke on Monday. Mr. Peskov said that \
             Vladimir Putin met Recep Tayyip Erdogan. The spokesman criticised Armenia.",
            "RUSGOV",
            "ARM"
        ));
        // "The president" is no one named without that title.
        let text = "Dmitry Peskov spoke on Monday. The president criticised Armenia.";
        assert!(!coded(&coder, text).iter().any(|(_, _, t)| t == "ARM"));
        assert!(has(
            "Kenyan President William Ruto spoke on Monday. Vladimir Putin spoke too. \
             The president criticised Uganda.",
            "KENGOV",
            "UGA"
        ));
    }

    #[test]
    fn the_country_is_the_state_the_article_is_about() {
        let coder = Coder::new(Dictionaries::builtin());
        let story = "Kenya held elections. Kenya's president spoke. Kenya criticized Somalia.";
        let withdrawal = "The withdrawal of U.S. troops from the country began on Monday.";
        assert!(has_event(
            &coder,
            &format!("{story} {withdrawal}"),
            "USAMIL",
            "KEN"
        ));
        // Without a state the article is mostly about, "the country" is no one.
        let even = "Kenya criticized Somalia. Somalia criticized Kenya.";
        assert!(!has_event(
            &coder,
            &format!("{even} {withdrawal}"),
            "USAMIL",
            "KEN"
        ));
        // What someone is kept from is a place, not a target.
        let barred = "Uganda barred him from the country.";
        assert!(!has_event(
            &coder,
            &format!("{story} {barred}"),
            "UGA",
            "KEN"
        ));
    }

    #[test]
    fn an_acronym_the_article_defines_names_its_actor() {
        let coder = Coder::new(Dictionaries::builtin());
        for text in [
            "The Baloch Liberation Army (BLA) spoke on Monday. The BLA attacked Pakistani soldiers.",
            "The Baloch Liberation Army, or BLA, spoke on Monday. The BLA attacked Pakistani soldiers.",
        ] {
            let events = coded(&coder, text);
            assert!(
                events
                    .iter()
                    .any(|(s, _, t)| s == "PAKREB" && t == "PAKMIL"),
                "{text}: {events:?}"
            );
        }
        // Capitals that do not start with the name's are no acronym of it.
        let text =
            "The Baloch Liberation Army (XYZ) spoke on Monday. XYZ attacked Pakistani soldiers.";
        assert!(!coded(&coder, text).iter().any(|(s, _, _)| s == "PAKREB"));
    }
}
