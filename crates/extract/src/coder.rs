//! The event coder: the conductor that runs the stages of
//! [`crate::stages`] over each sentence of an article.

use std::{
    ops::Range,
    sync::{Arc, OnceLock},
};

use crate::{
    confidence,
    dictionary::Dictionaries,
    model::{ArticleText, CodedActor, CodedEvent, CodedLocation, Modality},
    parser::Parser,
    places,
    reference::{self, Context},
    setting::{Passage, Setting},
    stages::{
        Annotator,
        actors::{self, insert_phrase, overlapping},
        brokers,
        clauses::{in_relative_clause, main_events, question, reduced_passive},
        events::{self, SentenceView},
        generic, responses,
        speech::{
            STATEMENT_CODE, attribute_speech, commentary, commentator_names, denied_report,
            obligation, punished_wrong, reported_accusation,
        },
        statehood,
        syntax::Syntax,
        triggers, venues,
    },
    tagger::{Tagger, Upos},
    text::{self, Token, char_offset, split_sentences, tokenize},
};

/// Codes articles into events with a fixed set of dictionaries and
/// annotators (by default the built-in part-of-speech tagger).
#[derive(Debug, Clone)]
pub struct Coder {
    dictionaries: Dictionaries,
    annotators: Vec<Arc<dyn Annotator>>,
    /// Run only where argument structure needs the tree (see
    /// [`crate::stages::syntax`]): parsing every sentence would cost more
    /// than every other stage together.
    parser: Arc<Parser>,
}

/// The built-in parser, read once per process: its model is the largest
/// the coder loads.
fn builtin_parser() -> Arc<Parser> {
    static PARSER: OnceLock<Arc<Parser>> = OnceLock::new();
    PARSER.get_or_init(|| Arc::new(Parser::builtin())).clone()
}

impl Coder {
    /// A coder using `dictionaries`, the built-in tagger and the built-in parser.
    pub fn new(dictionaries: Dictionaries) -> Self {
        Self {
            dictionaries,
            annotators: vec![Arc::new(Tagger::builtin())],
            parser: builtin_parser(),
        }
    }

    /// The same coder with `annotator` run after the others on every sentence.
    pub fn with_annotator(mut self, annotator: impl Annotator + 'static) -> Self {
        self.annotators.push(Arc::new(annotator));
        self
    }

    /// Codes every sentence of the article. Never fails: text without
    /// recognisable actors and actions yields no events. Time is linear in
    /// the length of the text.
    pub fn code(&self, article: ArticleText<'_>) -> Vec<CodedEvent> {
        let sentences = split_sentences(article.text);
        let tokenize_at = |i: usize| {
            sentences.get(i).map(|s| {
                let mut tokens = tokenize(article.text, s.bytes.clone());
                for annotator in &self.annotators {
                    annotator.annotate(article.text, &mut tokens);
                }
                tokens
            })
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
            if let Some(first) = coded.first() {
                context.observe_agent(index, &first.source);
            }
            // A headline restates the story's lead: its events are coded
            // where the body tells them, with their dates and places.
            if index == 0 && text::is_headline(article.text, &sentences) {
                continue;
            }
            for event in coded {
                events.push(CodedEvent {
                    sentence_index: index,
                    sentence_chars: sentence_chars.clone(),
                    sentence_text: sentence_text.to_string(),
                    ..event
                });
            }
        }
        responses::address_denials(&mut events);
        confidence::assign(&mut events);
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
        let mut actors = actors::find(&self.dictionaries, article, tokens);
        // A state gone by the story's day is background, never "the two countries".
        let present = actors
            .iter()
            .filter_map(|a| a.actor.as_ref())
            .filter(|a| !self.dictionaries.defunct_on(&a.country, article.published));
        let named_people = reference::named_by_role(article.text, tokens, &actors);
        context.observe(index, present.chain(&named_people));
        let named_places = places::candidates(&self.dictionaries.places, tokens);
        context.observe_regions(places::regions(&named_places));
        let countries: Vec<&str> = actors
            .iter()
            .filter_map(|a| a.actor.as_ref().map(|actor| actor.country.as_str()))
            .collect();
        let mut place_mentions = places::find(&named_places, tokens, &countries);
        let cities = places::city_names(&named_places);
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
        // "the Baloch Liberation Army, or BLA": later "BLA" is that actor.
        for (range, actor) in context.resolve_acronyms(tokens) {
            if overlapping(&actors, &range).is_none() {
                insert_phrase(&mut actors, range, actor);
            }
        }
        let named: Vec<(Range<usize>, &CodedActor)> = actors
            .iter()
            .filter_map(|a| Some((a.tokens.clone(), a.actor.as_ref()?)))
            .collect();
        context.observe_acronyms(tokens, &named);
        for (range, person) in context.resolve_people(index, article.text, tokens) {
            // A role noun alone ("the spokesman") is replaced; a named actor stays.
            match overlapping(&actors, &range) {
                Some(k) if actors[k].actor.is_none() => actors[k].actor = Some(person),
                Some(_) => {}
                None => insert_phrase(&mut actors, range, person),
            }
        }
        // A person named again stays at hand for later references.
        let surnamed = context.resolve_surnames(article.text, tokens);
        context.observe(index, surnamed.iter().map(|(_, person)| person));
        for (range, person) in surnamed {
            if overlapping(&actors, &range).is_none() {
                insert_phrase(&mut actors, range, person);
            }
        }
        if let Some((range, agent)) = context.resolve_subject_pronoun(index, article.text, tokens)
            && overlapping(&actors, &range).is_none()
        {
            insert_phrase(&mut actors, range, agent);
        }
        if let Some((range, organisation)) = context.resolve_organisation(article.text, tokens) {
            // A role noun alone ("the court") is replaced; a named actor stays.
            match overlapping(&actors, &range) {
                Some(k) if actors[k].actor.is_none() => actors[k].actor = Some(organisation),
                Some(_) => {}
                None => insert_phrase(&mut actors, range, organisation),
            }
        }
        for (k, group) in context.resolve_armed_groups(article.text, tokens, &actors) {
            actors[k].actor = Some(group);
        }
        // "farmers held rallies throughout the country": the article's
        // state is where the sentence's acts happen.
        let is_state = |c: &str| self.dictionaries.country_name(c).map(str::to_string);
        let topic = context.resolve_topic_country(article.text, tokens, is_state);
        if let Some(mention) = topic.as_ref().and_then(|(range, state)| {
            places::state_as_place(&self.dictionaries.places, tokens, range.clone(), state)
        }) {
            let at = place_mentions.partition_point(|m| m.tokens.start < mention.tokens.start);
            place_mentions.insert(at, mention);
        }
        let recent_countries = context.recent_countries();
        generic::place_in_country(
            &self.dictionaries,
            &mut actors,
            &place_mentions,
            &recent_countries,
            context.topic_state(|c| self.dictionaries.country_name(c).is_some()),
            article.text,
            tokens,
        );
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
        if let Some((range, pair)) = context.resolve_pair(index, article.text, tokens, &actors)
            && overlapping(&actors, &range).is_none()
        {
            match <[CodedActor; 2]>::try_from(pair) {
                // "the two countries": two coordinated actors over the phrase.
                Ok([first, second]) => {
                    let split = range.start + 1;
                    insert_phrase(&mut actors, range.start..split, first);
                    insert_phrase(&mut actors, split..range.end, second);
                }
                // "both sides" of one state's war: that state.
                Err(mut one) => {
                    if let Some(state) = one.pop() {
                        insert_phrase(&mut actors, range, state);
                    }
                }
            }
        }
        // "withdrew from the country": the state the article is about. "In
        // the country", "throughout the country" name where, not who.
        if let Some((range, topic)) = topic
            && overlapping(&actors, &range).is_none()
            && range.start.checked_sub(1).is_none_or(|k| {
                tokens[k].pos != Upos::Adp || matches!(tokens[k].norm.as_str(), "from" | "of")
            })
        {
            insert_phrase(&mut actors, range, topic);
        }
        // "Charles Hecker, an expert": his later words are commentary too.
        context.observe_commentators(commentator_names(tokens));
        if actors.iter().all(|a| a.actor.is_none())
            || commentary(tokens, context.commentators())
            || question(tokens)
        {
            return Vec::new();
        }
        let actions = triggers::find(&self.dictionaries, tokens, &actors);
        // "a Moscow-brokered cease-fire": a broker is no party to the sentence's acts.
        let brokered: Vec<(usize, CodedActor, Range<usize>)> = (0..actions.len())
            .filter_map(|i| {
                let phrase = &actors[brokers::broker(tokens, &actors, &actions[i])?];
                Some((i, phrase.actor.clone()?, phrase.tokens.clone()))
            })
            .collect();
        actors.retain(|a| !brokered.iter().any(|(_, _, tokens)| *tokens == a.tokens));
        actors.retain(|a| !venues::names_the_venue(tokens, a, &cities, &actions));
        let view = SentenceView {
            dictionaries: &self.dictionaries,
            text: article.text,
            tokens,
            actors: &actors,
            actions: &actions,
            setting: &setting,
            first_if: tokens.iter().position(|t| t.norm == "if"),
            syntax: Syntax::new(&self.parser, article.text, tokens),
            recent_states: recent_countries
                .into_iter()
                .filter(|c| self.dictionaries.country_name(c).is_some())
                .collect(),
        };
        let mut speakers = Vec::new();
        let per_action: Vec<_> = (0..actions.len())
            .map(|i| {
                let mut coded = events::of_action(&view, i, &mut speakers);
                for (_, broker, _) in brokered.iter().filter(|(b, _, _)| *b == i) {
                    coded.extend(events::mediation(&view, i, broker, &coded));
                }
                (&actions[i], coded)
            })
            .filter(|(_, events)| !events.is_empty())
            .collect();
        // ", backed by Armenia's military,": a reduced passive clause is not
        // the main verb, nor ", who led the talks,": a relative clause.
        let first_verb = actions
            .iter()
            .find(|a| {
                !a.pattern.nominal && !reduced_passive(tokens, a) && !in_relative_clause(tokens, a)
            })
            .map(|a| a.tokens.start);
        // Where the acts coded stand: a demand replaces only what it governs.
        let acted: Vec<&triggers::Action> = per_action
            .iter()
            .filter(|(a, _)| !a.pattern.nominal && a.pattern.code != STATEMENT_CODE)
            .map(|(a, _)| *a)
            .collect();
        // "X said reports that Y attacked Z were false": X's denial; the
        // report's content is no event.
        let denial = denied_report(&self.dictionaries, tokens, &actors, &setting, article.text);
        let per_action = match &denial {
            Some((_, content)) => per_action
                .into_iter()
                .filter(|(a, _)| !content.contains(&a.tokens.start))
                .collect(),
            None => per_action,
        };
        let mut events = main_events(&view, first_verb, per_action);
        if let Some((denial, _)) = denial {
            events.insert(0, denial);
        }
        if let Some((demands, must)) =
            obligation(&self.dictionaries, tokens, &actors, &setting, article.text)
        {
            // "X said Y must ...": the demand is the news, what Y must do its
            // content; "X accused Y, saying Y should ..." keeps the accusation.
            if !acted.iter().any(|a| a.tokens.start < must) {
                events = demands;
            }
        }
        // "cut ties with Kenya for allegedly meddling": the reason accuses.
        if let Some(accusation) = punished_wrong(
            &self.dictionaries,
            (tokens, &actions),
            &events,
            &setting,
            article.text,
        ) {
            events.push(accusation);
        }
        // "X says Y violated ...": the accusation, unless X's act on Y is coded.
        if let Some(accusation) =
            reported_accusation(&self.dictionaries, tokens, &actors, &setting, article.text)
            && !events.iter().any(|e| {
                e.source.code() == accusation.source.code()
                    && e.target.as_ref().map(CodedActor::code)
                        == accusation.target.as_ref().map(CodedActor::code)
            })
        {
            events.push(accusation);
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
            let day = event.date.start;
            let actors = std::iter::once(&mut event.source)
                .chain(event.target.as_mut())
                .chain(event.reported_by.as_mut());
            for actor in actors {
                statehood::as_of(&self.dictionaries, actor, day);
            }
        }
        // A possibility ("may tease", "if it sailed") is not an event: event
        // data codes what happened, was denied or was announced.
        events
            .retain(|event| !events::reflexive(event) && event.modality != Modality::Hypothetical);
        events
    }

    /// The name of the state with this country code (the code itself when
    /// the dictionaries name no such country).
    fn state_name<'c>(&'c self, country: &'c str) -> &'c str {
        self.dictionaries.country_name(country).unwrap_or(country)
    }
}

#[cfg(test)]
mod tests;
