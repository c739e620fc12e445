//! When and where each event of a sentence happened: the sentence's own
//! dates and places, and what the passage around it carries over.

use chrono::NaiveDate;

use crate::{
    dates::{self, DateMention, Reference},
    dictionary::verbs::is_past_form,
    lexicon::{WordSet, en},
    model::{CodedDate, CodedLocation, DateBasis, DatePrecision},
    places::{self, PlaceMention},
    tagger::Upos,
    text::Token,
};

/// How many sentences back "the next day" may find its day.
const ANCHOR_REACH: usize = 3;

/// The dates carried from one sentence to the next.
#[derive(Debug, Default)]
pub(crate) struct Passage {
    /// The last sentence's date, when it had one to carry.
    last: Option<(usize, CodedDate)>,
    /// The last day stated, for "the next day".
    last_day: Option<(usize, NaiveDate)>,
}

impl Passage {
    /// What the relative expressions of sentence `index` resolve against.
    pub fn reference(&self, index: usize, published: NaiveDate) -> Reference {
        Reference {
            published,
            future: false,
            anchor: self
                .last_day
                .filter(|(i, _)| index - i <= ANCHOR_REACH)
                .map(|(_, day)| day),
        }
    }

    /// The date the previous sentence carries into sentence `index`.
    fn carried(&self, index: usize) -> Option<CodedDate> {
        let (i, date) = self.last.as_ref()?;
        (i + 1 == index).then(|| CodedDate {
            basis: DateBasis::Inherited,
            ..date.clone()
        })
    }

    /// Records what sentence `index` dated.
    pub fn record(&mut self, index: usize, setting: &Setting) {
        // Only a narrative in the past carries its date on.
        let own = setting
            .dates
            .iter()
            .find(|m| setting.asides[m.tokens.start] == 0)
            .map(|m| m.date.clone());
        if let Some(date) = own.or(setting.carried.clone()).filter(|_| setting.past) {
            self.last = Some((index, date));
        }
        for mention in &setting.dates {
            if mention.date.precision == DatePrecision::Day {
                self.last_day = Some((index, mention.date.start));
            }
        }
    }
}

/// The dates and places of one sentence.
#[derive(Debug)]
pub(crate) struct Setting {
    dates: Vec<DateMention>,
    /// Dates that modify the event noun after them ("the 2014 abduction"):
    /// they date that noun only.
    attributive: Vec<DateMention>,
    /// The quote that follows dates this statement.
    speech: Option<CodedDate>,
    /// The previous sentence's date, taken by past-tense events.
    carried: Option<CodedDate>,
    past: bool,
    publication: CodedDate,
    /// For each token, the stretch between quotation marks it lies in.
    segments: Vec<usize>,
    /// For each token, the non-restrictive relative clause or "since"
    /// stretch it lies in (0: none, else the stretch's number).
    asides: Vec<usize>,
    /// For each stretch number, what it says of the main clause's time.
    aside_kinds: Vec<Aside>,
    /// Whether the main clause tells of a state in the perfect ("relations
    /// have been in a deep freeze since ..."): a "since" date is its onset.
    perfect_state: bool,
    places: Vec<PlaceMention>,
    dateline: Option<CodedLocation>,
}

impl Setting {
    /// The setting of a sentence: `next` is the following sentence's tokens,
    /// `places` the places it names, `dateline` the article's.
    pub fn new(
        text: &str,
        tokens: &[Token],
        next: Option<&[Token]>,
        reference: &Reference,
        passage: &Passage,
        index: usize,
        (places, dateline): (Vec<PlaceMention>, Option<CodedLocation>),
    ) -> Self {
        let (attributive, dates): (Vec<_>, Vec<_>) = dates::find_dates(text, tokens, reference)
            .into_iter()
            .partition(|m| dates::modifies_noun(tokens, &m.tokens));
        let (asides, aside_kinds) = asides(tokens);
        let perfect_state = perfect_state(tokens, &asides);
        let speech = (dates.is_empty()
            && tokens
                .iter()
                .any(|t| en().has(WordSet::SpeechVerb, &t.norm)))
        .then(|| next.and_then(|next| quote_date(text, next, reference)))
        .flatten();
        let segments = quote_segments(tokens);
        Self {
            dates,
            attributive,
            speech,
            carried: passage.carried(index),
            past: past_tense(tokens),
            publication: dates::publication_date(reference.published),
            segments,
            asides,
            aside_kinds,
            perfect_state,
            places,
            dateline,
        }
    }

    /// The date of an action at token `at`: a date of its own stretch of the
    /// sentence (the first after it, else the nearest before), else the
    /// sentence's nearest date, else the date of the quote that follows,
    /// else the date carried from the previous sentence when this one tells
    /// of the past, else the publication date.
    pub fn date_at(&self, at: usize) -> CodedDate {
        let segment = self.segments.get(at).copied().unwrap_or_default();
        let aside = self.asides.get(at).copied().unwrap_or_default();
        // A date in a relative clause the action is not in is background:
        // "criticized Ukraine, which it invaded in 2022" is not of 2022.
        let kind = self.aside_kinds.get(aside).copied().unwrap_or(Aside::Main);
        let in_clause = |m: &&DateMention| {
            let clause = self.asides.get(m.tokens.start).copied().unwrap_or_default();
            let clause_kind = self.aside_kinds.get(clause).copied();
            clause == aside
                // ", when": the time just named, wherever it was named.
                || (kind == Aside::Setting && m.tokens.start < at)
                || (aside == 0 && self.perfect_state && clause_kind == Some(Aside::Since))
        };
        let in_segment =
            |m: &&DateMention| in_clause(m) && self.segments.get(m.tokens.start) == Some(&segment);
        // "the 2014 abduction": a date right before the action is its own.
        let own = self
            .attributive
            .iter()
            .find(|m| m.tokens.end == at)
            .or_else(|| {
                self.dates
                    .iter()
                    .filter(in_segment)
                    .find(|m| m.tokens.start >= at)
            })
            .or_else(|| self.dates.iter().rfind(in_segment))
            .or_else(|| {
                self.dates
                    .iter()
                    .filter(in_clause)
                    .min_by_key(|m| m.tokens.start.abs_diff(at))
            });
        own.map(|m| m.date.clone())
            .or_else(|| self.speech.clone())
            .or_else(|| self.carried.clone().filter(|_| self.past))
            .unwrap_or_else(|| self.publication.clone())
    }

    /// The place the sentence names for an action at token `at`, if any.
    pub fn named_place_at(&self, at: usize) -> Option<&places::PlaceMention> {
        places::place_of_action(&self.places, at)
    }

    /// The stretch between quotation marks that token `at` lies in (even:
    /// outside quotes, odd: inside).
    pub fn quote_segment(&self, at: usize) -> usize {
        self.segments.get(at).copied().unwrap_or_default()
    }

    /// Whether token `at` lies between quotation marks.
    pub fn in_quote(&self, at: usize) -> bool {
        !self.quote_segment(at).is_multiple_of(2)
    }

    /// The place of an action at token `at`: a place the sentence names,
    /// else the dateline's.
    pub fn location_at(&self, at: usize, text: &str, tokens: &[Token]) -> Option<CodedLocation> {
        places::place_of_action(&self.places, at)
            .map(|mention| places::location(mention, text, tokens))
            .or_else(|| self.dateline.clone())
    }
}

/// How many words a quoted fragment inside a clause may have ("the
/// Taliban 'will be crushed' by the army").
const QUOTED_FRAGMENT: usize = 6;

/// Numbers the stretches of a sentence inside and outside quotation marks
/// (odd inside). A quoted term cited after "called", "dubbed" or "so-called"
/// ("what it called the 'ultimatums ... from Armenia's leadership'") is a
/// noun phrase of the clause, not speech: it opens no stretch; nor does a
/// short fragment quoted inside a clause, with words of the clause on both
/// sides ("said the Taliban 'will be crushed' by the army").
fn quote_segments(tokens: &[Token]) -> Vec<usize> {
    let mut segment = 0;
    let mut cited = false;
    let mut segments = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if t.norm == "\"" {
            let fragment = || {
                let close = tokens[i + 1..].iter().position(|w| w.norm == "\"");
                let word = |k: usize| tokens.get(k).is_some_and(|w| w.pos != Upos::Punct);
                close.is_some_and(|len| {
                    len <= QUOTED_FRAGMENT && i > 0 && word(i - 1) && word(i + len + 2)
                })
            };
            if cited {
                cited = false;
            } else if segment % 2 == 0
                && (tokens[i.saturating_sub(2)..i]
                    .iter()
                    .any(|w| en().has(WordSet::CitingWord, &w.norm))
                    || fragment())
            {
                cited = true;
            } else {
                segment += 1;
            }
        }
        segments.push(segment);
    }
    segments
}

/// What a stretch set off from the main clause says of its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aside {
    /// The main clause itself.
    Main,
    /// A non-restrictive relative clause (", which", ", who"): background
    /// to a noun, in its own time.
    Background,
    /// ", where", ", when": set in the main clause's time or place; without
    /// dates of its own it takes the main clause's.
    Setting,
    /// "since ...": the start of a period that lasts until now.
    Since,
}

/// Numbers the non-restrictive relative clauses of a sentence: from a
/// relative word after a comma (", which", ", who", ", where", ", when") to
/// the next comma or the end. Such a clause adds background to a noun; its
/// dates are not the main clause's. So is a "since" stretch ("Since
/// gaining independence in 1947, Pakistan has received 23 bailouts"): its
/// date opens a period that lasts until now, and dates no single act of
/// the main clause (only the onset of a state, see [`perfect_state`]).
fn asides(tokens: &[Token]) -> (Vec<usize>, Vec<Aside>) {
    let mut kinds = vec![Aside::Main];
    let mut current = 0;
    let mut asides = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let after_comma = i > 0 && tokens[i - 1].norm == ",";
        if after_comma {
            current = 0;
        }
        let setting = matches!(token.norm.as_str(), "where" | "when");
        let relative =
            (en().has(WordSet::RelativePronoun, &token.norm) && token.norm != "that") || setting;
        let kind = if token.norm == "since" {
            Some(Aside::Since)
        } else if after_comma && relative {
            Some(if setting {
                Aside::Setting
            } else {
                Aside::Background
            })
        } else {
            None
        };
        if let Some(kind) = kind {
            current = kinds.len();
            kinds.push(kind);
        }
        asides.push(current);
    }
    (asides, kinds)
}

/// Whether the main clause (stretch 0 of `asides`) tells of a state in the
/// perfect ("have been in a deep freeze", "has been held"): a "since" date
/// then marks when the state began, the act that began it.
fn perfect_state(tokens: &[Token], asides: &[usize]) -> bool {
    tokens.windows(2).zip(asides).any(|(pair, aside)| {
        *aside == 0
            && matches!(pair[0].norm.as_str(), "has" | "have" | "had")
            && pair[1].norm == "been"
    })
}

/// Whether the sentence tells of the past: a past verb form comes before any
/// present, perfect or future auxiliary.
fn past_tense(tokens: &[Token]) -> bool {
    for (i, token) in tokens.iter().enumerate() {
        let word = token.norm.as_str();
        if en().has(WordSet::NotPast, word) {
            return false;
        }
        let compound = i > 0 && tokens[i - 1].norm == "-";
        if !token.capitalized && !compound && is_past_form(word) {
            return true;
        }
    }
    false
}

/// The date of a quote attributed by a pronoun: "'...,' she said on May 8."
fn quote_date(text: &str, tokens: &[Token], reference: &Reference) -> Option<CodedDate> {
    if tokens.first()?.norm != "\"" {
        return None;
    }
    let said = tokens.windows(2).position(|pair| {
        matches!(pair[0].norm.as_str(), "he" | "she" | "they")
            && en().has(WordSet::SpeechVerb, &pair[1].norm)
    })?;
    let date = dates::find_dates(text, &tokens[said..], reference)
        .into_iter()
        .next()?
        .date;
    Some(CodedDate {
        basis: DateBasis::Inherited,
        ..date
    })
}
