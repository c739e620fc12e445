//! Stage: generic actors. A role noun that names no one ("police", "the
//! rebels", "protesters", "the government") is an actor of the country the
//! text places it in: the place it is said to be in ("police in Minsk"),
//! else the one country of the places where the sentence's acts happen
//! ("rebels attacked a police station in northern Mali"), else the one
//! country the article's recent sentences name, else the state the article
//! is about (named three times, twice as often as any other: "opposition
//! lawmakers" in a story on Somalia). Armed forces are placed by
//! the article's country only: troops are often abroad. CAMEO codes such actors by
//! their country ("police" in a Belarus story is BLRCOP); with two candidate
//! countries the phrase stays unresolved, as a guessed country is worse
//! than none.

use crate::{
    dictionary::Dictionaries,
    lexicon::{WordSet, en},
    model::CodedActor,
    places::PlaceMention,
    stages::{actors::ActorPhrase, arguments::follows_preposition},
    tagger::Upos,
    text::Token,
};

/// Roles CAMEO gives the people of a country at home: government, courts,
/// forces, police, rebels, opposition, civilians, workers, students,
/// farmers, business, criminals. Not the press (it reports), rights groups
/// and refugees (often foreign), nor religions (they cross borders).
const DOMESTIC: &[&str] = &[
    "GOV", "LEG", "JUD", "MIL", "COP", "SPY", "REB", "INS", "SEP", "OPP", "CVL", "LAB", "EDU",
    "AGR", "BUS", "CRM", "HLH",
];

/// CAMEO religion codes of communities ("Hindus", "Moslems", "Sikhs"):
/// a community crosses borders, so it takes a country only from its
/// sentence: where the text places it ("Hindus staged a rally in Delhi"),
/// else the one state the sentence names ("Islamic fundamentalists …
/// the resignation of Algerian President"), never the article's country or
/// a title ("Archbishop Desmond Tutu" is of no country said).
const COMMUNITY: &[&str] = &["HIN", "MOS", "SIK", "JEW", "BUD"];

/// How many tokens may stand between a role noun and the place it is in
/// ("protesters in the capital Khartoum").
const PLACE_REACH: usize = 4;

/// Gives each role-noun-only phrase the country its context fixes, if one.
/// `recent` lists the countries the last sentences (this one included) name;
/// `topic` is the state the article is about, if one is.
pub(crate) fn place_in_country(
    dictionaries: &Dictionaries,
    actors: &mut [ActorPhrase],
    places: &[PlaceMention],
    recent: &[String],
    topic: Option<&str>,
    text: &str,
    tokens: &[Token],
) {
    let is_state = |c: &&str| dictionaries.country_name(c).is_some();
    // Where things happen, not where they are sent ("troops to Ukraine").
    let sentence_country = only(
        places
            .iter()
            .filter(|m| !destination(tokens, m))
            .map(|m| m.place.country.as_str())
            .filter(is_state),
    );
    let article_country = only(recent.iter().map(String::as_str).filter(is_state)).or(topic);
    // States the sentence names, by where their phrases end, and whether
    // each is a subject (no preposition before it): "Iran said its troops
    // ...", "Pakistan, a U.S. ally in Iraq, urged its citizens": a
    // possessive pronoun refers back to the first subject, else the nearest.
    let named_states: Vec<(usize, bool, String)> = actors
        .iter()
        .filter_map(|a| {
            let actor = a.actor.as_ref()?;
            is_state(&actor.country.as_str()).then(|| {
                (
                    a.tokens.end,
                    !follows_preposition(tokens, a),
                    actor.country.clone(),
                )
            })
        })
        .collect();
    // The one state the sentence names, if one: a titled name's country.
    let named_here = only(named_states.iter().map(|(.., country)| country.as_str()));
    // The one state whose government the sentence names: an opposition is
    // the opposition to a government ("opposition leader Mitsotakis urged
    // Papandreou to accept an offer from NATO").
    let governed_here = only(
        actors
            .iter()
            .filter_map(|a| a.actor.as_ref())
            .filter(|a| a.role == "GOV" && is_state(&a.country.as_str()))
            .map(|a| a.country.as_str()),
    )
    .map(str::to_string);
    for phrase in actors.iter_mut().filter(|p| p.actor.is_none()) {
        let Some(agent) = phrase.role_noun.as_ref() else {
            continue;
        };
        let community = COMMUNITY.contains(&agent.role.as_str());
        if !community && !DOMESTIC.contains(&agent.role.as_str()) {
            continue;
        }
        // "national governments", "parliaments": bodies of several states.
        let several_states = tokens[phrase.tokens.clone()]
            .last()
            .is_some_and(|t| en().has(WordSet::StateBodies, &t.norm));
        // "President Dos Santos ... of Angola": a titled name no dictionary
        // knows is of the one state its sentence names, and of no other.
        let titled = titled_name(tokens, phrase);
        let titled_country =
            named_here.or(governed_here.as_deref().filter(|_| agent.role == "OPP"));
        if (titled && titled_country.is_none())
            || led_by_a_noun(tokens, phrase)
            || backed_by_a_name(tokens, phrase)
            || agent.id.contains("peacekeep")
            || several_states
        {
            continue;
        }
        // "its troops" as a subject: the state the pronoun refers back to.
        // Forces are often abroad: only the article's one country places
        // them otherwise.
        // Only a subject: "its troops repulsed": what "its citizens" or
        // "their ambassadors" undergo is mostly their own state's doing.
        let subject = tokens[phrase.tokens.end..]
            .iter()
            .find(|t| t.pos != Upos::Adv)
            .is_some_and(|t| matches!(t.pos, Upos::Verb | Upos::Aux));
        let by_owner = (owned(tokens, phrase) && subject)
            .then(|| {
                let before = || {
                    named_states
                        .iter()
                        .filter(|(end, ..)| *end <= phrase.tokens.start)
                };
                before()
                    .find(|(_, subject, _)| *subject)
                    .or_else(|| before().next_back())
                    .map(|(.., country)| country.as_str())
            })
            .flatten();
        let by_place = (agent.role != "MIL" && !owned(tokens, phrase))
            .then(|| own_place(places, tokens, phrase.tokens.end).or(sentence_country))
            .flatten();
        let country = if community {
            by_owner.or(by_place).or(named_here).filter(|_| !titled)
        } else if titled {
            titled_country
        } else {
            by_owner.or(by_place).or(article_country)
        };
        let Some(country) = country else {
            continue;
        };
        let Some(name) = dictionaries.country_name(country) else {
            continue;
        };
        let words = &tokens[phrase.tokens.clone()];
        phrase.actor = Some(CodedActor {
            country: country.to_string(),
            role: agent.role.clone(),
            kind: agent.kind,
            name: name.to_string(),
            text: text[words[0].bytes.start..words[words.len() - 1].bytes.end].to_string(),
            rules: vec![agent.id.clone(), format!("context:country:{country}")],
        });
    }
}

/// The country of a place named right after the phrase ending at `end` with
/// "in" or a preposition of spread: "police in Minsk", "farmers across the
/// country" ("troops from Chad" may be withdrawn from it).
fn own_place<'p>(places: &'p [PlaceMention], tokens: &[Token], end: usize) -> Option<&'p str> {
    let linked = tokens
        .get(end)
        .is_some_and(|t| matches!(t.norm.as_str(), "in" | "throughout" | "across"));
    if !linked {
        return None;
    }
    places
        .iter()
        .find(|m| m.tokens.start > end && m.tokens.start <= end + PLACE_REACH)
        .map(|m| m.place.country.as_str())
}

/// Whether a place is named as where something goes or leaves ("sent troops
/// to Ukraine", "withdraw peacekeepers from Armenia"): the first small word
/// before its name.
fn destination(tokens: &[Token], mention: &PlaceMention) -> bool {
    tokens[..mention.tokens.start]
        .iter()
        .rev()
        .take(PLACE_REACH)
        .find(|t| !t.capitalized && !en().has(WordSet::LocativeGap, &t.norm))
        .is_some_and(|t| {
            matches!(
                t.norm.as_str(),
                "to" | "into" | "toward" | "towards" | "from" | "out"
            )
        })
}

/// "Archbishop Desmond Tutu": a title before a name the dictionaries do
/// not know names someone of unknown country. A day or month after the
/// noun is a date ("freed by their captors Tuesday").
fn titled_name(tokens: &[Token], phrase: &ActorPhrase) -> bool {
    tokens.get(phrase.tokens.end).is_some_and(|t| {
        t.capitalized
            && t.pos == Upos::Propn
            && !en().has(WordSet::Weekday, &t.norm)
            && !en().has(WordSet::Month, &t.norm)
    })
}

/// "the gang leader", "a union spokesman": a noun before the role noun
/// says whose role it is, and it is no state's.
fn led_by_a_noun(tokens: &[Token], phrase: &ActorPhrase) -> bool {
    phrase.tokens.start.checked_sub(1).is_some_and(|k| {
        let before = &tokens[k];
        before.pos == Upos::Noun && !before.capitalized
    })
}

/// "Iran-backed rebels": a name that backs, funds or arms the role says
/// they are not its own, and no more whose they are.
fn backed_by_a_name(tokens: &[Token], phrase: &ActorPhrase) -> bool {
    let start = phrase.tokens.start;
    start >= 2
        && tokens[start - 2].norm == "-"
        && en().has(WordSet::ModifierParticiple, &tokens[start - 1].norm)
}

/// "its citizens", "their troops": the possessor, not a place, says whose.
fn owned(tokens: &[Token], phrase: &ActorPhrase) -> bool {
    phrase.tokens.start.checked_sub(1).is_some_and(|k| {
        matches!(
            tokens[k].norm.as_str(),
            "its" | "their" | "his" | "her" | "our"
        )
    })
}

/// The one code among `countries`, if exactly one (named any number of times).
fn only<'c>(mut countries: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let first = countries.next()?;
    countries.all(|c| c == first).then_some(first)
}
