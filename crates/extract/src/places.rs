//! Places named in a sentence ("in Moscow", "near the city of Terter,
//! Azerbaijan", "at Yerevan's international airport"), resolved against the
//! gazetteer, and the dateline that opens an article ("MOSCOW (Reuters) -").

use std::ops::Range;

use crate::{
    dictionary::{Gazetteer, Place, PlaceKind},
    lexicon::{WordSet, en},
    model::{CodedActor, CodedLocation, LocationPrecision},
    tagger::Upos,
    text::Token,
};

/// How many words may stand between a locative word and the place name
/// ("in the breakaway region of Nagorno-Karabakh").
const LOCATIVE_REACH: usize = 5;

/// A place named in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct PlaceMention {
    /// The tokens of the name.
    pub tokens: Range<usize>,
    /// The place it resolved to.
    pub place: Place,
}

/// "Farmers held rallies throughout the country": the phrase `range` that
/// names the article's state after a preposition of place ("in",
/// "throughout", "across"), as a mention of the state as a place.
pub(crate) fn state_as_place(
    gazetteer: &Gazetteer,
    tokens: &[Token],
    range: Range<usize>,
    state: &CodedActor,
) -> Option<PlaceMention> {
    let before = range.start.checked_sub(1)?;
    if !en().has(WordSet::PlacePreposition, &tokens[before].norm) {
        return None;
    }
    let place = gazetteer
        .lookup(&state.name.to_lowercase())
        .find(|p| p.kind == PlaceKind::Country && p.country == state.country)?;
    Some(PlaceMention {
        tokens: range,
        place: place.clone(),
    })
}

/// A name the gazetteer knows, with every place of that name.
pub(crate) struct Candidate<'g> {
    tokens: Range<usize>,
    places: Vec<&'g Place>,
}

/// Gazetteer names in `tokens`, longest first at each position, capitalised only.
pub(crate) fn candidates<'g>(gazetteer: &'g Gazetteer, tokens: &[Token]) -> Vec<Candidate<'g>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].capitalized || !could_name_a_place(&tokens[i]) {
            i += 1;
            continue;
        }
        let longest = gazetteer
            .longest_from(&tokens[i].norm)
            .min(tokens.len() - i);
        let hit = (1..=longest).rev().find_map(|len| {
            let words: Vec<&str> = tokens[i..i + len].iter().map(|t| t.norm.as_str()).collect();
            let places: Vec<&Place> = gazetteer.lookup(&words.join(" ")).collect();
            (!places.is_empty()).then_some((len, places))
        });
        // "Constantine Mitsotakis", "Victoria Nuland": a town's name before
        // a name of no place is a given name.
        let hit = hit.filter(|(len, _)| !given_name(gazetteer, tokens, i + len));
        match hit {
            Some((len, places)) => {
                found.push(Candidate {
                    tokens: i..i + len,
                    places,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

/// Whether the word at `next` continues a person's name: a capitalised
/// proper noun that is no date word and starts no place name.
fn given_name(gazetteer: &Gazetteer, tokens: &[Token], next: usize) -> bool {
    tokens.get(next).is_some_and(|t| {
        t.capitalized
            && t.pos == Upos::Propn
            && could_name_a_place(t)
            && gazetteer.lookup(&t.norm).next().is_none()
    })
}

/// Whether a capitalised word may start a place name: not a month or a
/// weekday ("In March, ..." is no town in England), nor a word the tagger
/// reads as a common word ("the Union", "Will").
fn could_name_a_place(token: &Token) -> bool {
    !en().has(WordSet::Month, &token.norm)
        && !en().has(WordSet::Weekday, &token.norm)
        && !matches!(
            token.pos,
            Upos::Noun | Upos::Verb | Upos::Aux | Upos::Adv | Upos::Adp | Upos::Pron | Upos::Det
        )
}

/// Whether the name at `start` follows a locative word, skipping articles,
/// descriptive words and possessors ("at Yerevan's international airport",
/// "out of Azerbaijan's Nagorno-Karabakh region").
pub(crate) fn locative_at(tokens: &[Token], start: usize) -> bool {
    let mut k = start;
    let mut skipped = 0;
    while k > 0 && skipped <= LOCATIVE_REACH {
        k -= 1;
        let word = tokens[k].norm.as_str();
        if en().has(WordSet::Locative, word) {
            return true;
        }
        if !tokens[k].capitalized && !en().has(WordSet::LocativeGap, word) {
            return false;
        }
        skipped += 1;
    }
    false
}

/// Whether a name ending before token `end` is a possessor that is not a
/// place: "Baku's offensive", "at Armenia's request" (but "Yerevan's
/// international airport" is a place).
fn possessor(tokens: &[Token], end: usize) -> bool {
    tokens.get(end).is_some_and(|t| t.norm == "'s")
        && !tokens[end + 1..]
            .iter()
            .take(3)
            .any(|t| en().has(WordSet::PlaceNoun, &t.norm))
}

/// Picks one of the places a name may denote: the one in the place named
/// right after it ("Paris, Texas"), else one in a country of the sentence's
/// actors, else the most prominent (countries before regions before cities,
/// then by population).
fn choose<'g>(places: &[&'g Place], qualifiers: &[&Place], countries: &[&str]) -> &'g Place {
    let best = |filter: &dyn Fn(&Place) -> bool| {
        places
            .iter()
            .copied()
            .filter(|p| filter(p))
            .max_by_key(|p| (p.kind, p.population))
    };
    let mut qualifiers = qualifiers.to_vec();
    qualifiers.sort_by_key(|q| std::cmp::Reverse((q.kind, q.population)));
    qualifiers
        .iter()
        .find_map(|q| {
            best(&|p| {
                p.country == q.country
                    && (q.kind != PlaceKind::Region || q.admin.is_empty() || p.admin == q.admin)
            })
        })
        .or_else(|| best(&|p| countries.contains(&p.country.as_str())))
        .or_else(|| best(&|_| true))
        .expect("a candidate has at least one place")
}

/// The places a sentence names as where something happens, in order.
/// `countries` are the countries of the sentence's actors, used to choose
/// between namesakes.
pub(crate) fn find(found: &[Candidate], tokens: &[Token], countries: &[&str]) -> Vec<PlaceMention> {
    let mut mentions = Vec::new();
    let mut k = 0;
    while k < found.len() {
        let candidate = &found[k];
        // "Terter, Azerbaijan": the second name qualifies the first.
        let qualifier = found.get(k + 1).filter(|next| {
            next.tokens.start == candidate.tokens.end + 1
                && tokens[candidate.tokens.end].norm == ","
                && next.places.iter().any(|p| p.kind != PlaceKind::City)
        });
        if (locative_at(tokens, candidate.tokens.start) || qualifier.is_some())
            && !possessor(tokens, candidate.tokens.end)
        {
            let qualifiers: Vec<&Place> = qualifier
                .iter()
                .flat_map(|q| q.places.iter().copied())
                .filter(|p| p.kind != PlaceKind::City)
                .collect();
            mentions.push(PlaceMention {
                tokens: candidate.tokens.clone(),
                place: choose(&candidate.places, &qualifiers, countries).clone(),
            });
        }
        k += if qualifier.is_some() { 2 } else { 1 };
    }
    mentions
}

/// Where the sentence names a city and nothing else ("Geneva", not
/// "Georgia"), whether as a place or not: venues of named meetings.
pub(crate) fn city_names(found: &[Candidate]) -> Vec<Range<usize>> {
    found
        .iter()
        .filter(|c| c.places.iter().all(|p| p.kind == PlaceKind::City))
        .map(|c| c.tokens.clone())
        .collect()
}

/// Every region the sentence names, whether as a place or not ("over the
/// flashpoint region of Nagorno-Karabakh"): antecedents for "the region".
pub(crate) fn regions(found: &[Candidate]) -> Vec<Place> {
    found
        .iter()
        .filter_map(|c| c.places.iter().find(|p| p.kind == PlaceKind::Region))
        .map(|p| (*p).clone())
        .collect()
}

/// The dateline of an article's first sentence: a place name in capitals at
/// the very start, followed by a comma, a parenthesis or a dash
/// ("MOSCOW (Reuters) -", "KYIV, Ukraine -").
pub(crate) fn dateline(gazetteer: &Gazetteer, tokens: &[Token]) -> Option<PlaceMention> {
    let first = candidates(gazetteer, tokens).into_iter().next()?;
    let upper = tokens[first.tokens.clone()].iter().all(|t| t.all_caps);
    let follows = tokens.get(first.tokens.end).map(|t| t.norm.as_str());
    if first.tokens.start != 0 || !upper || !matches!(follows, Some("," | "(" | "-")) {
        return None;
    }
    Some(PlaceMention {
        place: choose(&first.places, &[], &[]).clone(),
        tokens: first.tokens,
    })
}

/// The place of an action at token `at`: the first place named after it,
/// else the last one named before it.
pub(crate) fn place_of_action(mentions: &[PlaceMention], at: usize) -> Option<&PlaceMention> {
    mentions
        .iter()
        .find(|m| m.tokens.start >= at)
        .or_else(|| mentions.iter().rev().find(|m| m.tokens.start < at))
}

/// The coded location of a mention, with the words that named it.
pub(crate) fn location(mention: &PlaceMention, text: &str, tokens: &[Token]) -> CodedLocation {
    let words =
        &text[tokens[mention.tokens.start].bytes.start..tokens[mention.tokens.end - 1].bytes.end];
    let place = &mention.place;
    CodedLocation {
        name: place.name.clone(),
        country: place.country.clone(),
        lat: place.lat,
        lon: place.lon,
        precision: match place.kind {
            PlaceKind::City => LocationPrecision::Point,
            PlaceKind::Region => LocationPrecision::Region,
            PlaceKind::Country => LocationPrecision::CountryCentroid,
        },
        text: words.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{dictionary::Dictionaries, text::tokenize};

    fn places(text: &str, countries: &[&str]) -> Vec<(String, String)> {
        let dictionaries = Dictionaries::builtin();
        let tokens = tokenize(text, 0..text.len());
        find(
            &candidates(&dictionaries.places, &tokens),
            &tokens,
            countries,
        )
        .into_iter()
        .map(|m| (m.place.name, m.place.country))
        .collect()
    }

    fn pair(name: &str, country: &str) -> (String, String) {
        (name.to_string(), country.to_string())
    }

    #[test]
    fn finds_places_after_locative_words() {
        assert_eq!(
            places("They met in Moscow on Friday.", &[]),
            [pair("Moscow", "RUS")]
        );
        assert_eq!(
            places(
                "guards vacate their posts at Yerevan's international airport",
                &[]
            ),
            [pair("Yerevan", "ARM")]
        );
        assert_eq!(
            places("pulling out of Azerbaijan's Nagorno-Karabakh region", &[]),
            [pair("Nagorno-Karabakh", "AZE")]
        );
        assert_eq!(
            places("a summit in Yerevan, Armenia, on Nov. 23", &[]),
            [pair("Yerevan", "ARM")]
        );
    }

    #[test]
    fn names_that_are_actors_are_not_places() {
        assert!(places("an agreement between Moscow and Baku", &[]).is_empty());
        assert!(places("Moscow condemned the vote.", &[]).is_empty());
        assert!(places("failing to avert Baku's offensive", &[]).is_empty());
        assert!(places("deployed at Armenia's request", &[]).is_empty());
        assert!(places("had brought Russia to the decision", &[]).is_empty());
    }

    #[test]
    fn namesakes_resolve_by_qualifier_and_actors() {
        assert_eq!(
            places("a rally in Paris, Texas", &[]),
            [pair("Paris", "USA")]
        );
        assert_eq!(places("a rally in Paris", &[]), [pair("Paris", "FRA")]);
        assert_eq!(
            places("protests in Georgia", &["USA"]),
            [pair("Georgia", "USA")]
        );
        assert_eq!(
            places("protests in Georgia", &["RUS"]),
            [pair("Georgia", "GEO")]
        );
    }

    #[test]
    fn datelines_open_wire_stories() {
        let dictionaries = Dictionaries::builtin();
        for (text, expected) in [
            ("MOSCOW (Reuters) - Russia said", Some("Moscow")),
            ("KYIV, Ukraine - Ukraine said", Some("Kyiv")),
            ("Moscow said on Friday", None),
        ] {
            let tokens = tokenize(text, 0..text.len());
            let found = dateline(&dictionaries.places, &tokens).map(|m| m.place.name);
            assert_eq!(found.as_deref(), expected, "{text}");
        }
    }
}
