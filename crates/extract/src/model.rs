//! What the coder produces.

use std::ops::Range;

use chrono::NaiveDate;

use crate::dictionary::{ActorKind, CameoCode};

/// An article to code.
#[derive(Debug, Clone, Copy)]
pub struct ArticleText<'a> {
    /// The plain text.
    pub text: &'a str,
    /// The publication date, against which relative dates resolve and on
    /// which people's roles are looked up.
    pub published: NaiveDate,
}

/// A coded actor.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedActor {
    /// Country (ISO 3166-1 alpha-3) or organisation code.
    pub country: String,
    /// CAMEO role ("GOV", "MIL", ...), empty for a state as a whole.
    pub role: String,
    /// Kind of actor.
    pub kind: ActorKind,
    /// Canonical name.
    pub name: String,
    /// The words of the text that named the actor.
    pub text: String,
    /// Ids of the dictionary entries that made the actor.
    pub rules: Vec<String>,
}

impl CodedActor {
    /// CAMEO-style actor code: country code plus role ("RUSGOV"); for an
    /// organisation, its code alone ("CSTO").
    pub fn code(&self) -> String {
        if self.kind == ActorKind::Organisation || self.role == "IGO" {
            self.country.clone()
        } else {
            format!("{}{}", self.country, self.role)
        }
    }
}

/// Whether and how the text says an event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modality {
    /// Stated as happening or having happened.
    Asserted,
    /// Stated as not happening.
    Negated,
    /// Intended, agreed, planned or future.
    Intended,
    /// Possible or conditional.
    Hypothetical,
}

/// How precisely an event is dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePrecision {
    /// One day.
    Day,
    /// A week (Monday to Sunday).
    Week,
    /// A month.
    Month,
    /// A year.
    Year,
    /// A span of days given by the text ("from May 3 to May 5").
    Range,
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBasis {
    /// Stated in the text.
    Stated,
    /// Resolved from an expression relative to the publication date.
    Relative,
    /// Carried over from a date stated earlier in the same passage, or from
    /// the sentence that dates the same statement.
    Inherited,
    /// The publication date, for want of any other.
    Publication,
}

/// When an event happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedDate {
    /// First day of the period.
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// Precision.
    pub precision: DatePrecision,
    /// Basis.
    pub basis: DateBasis,
    /// The words that gave the date; empty for the publication date.
    pub text: String,
}

/// How precisely an event is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationPrecision {
    /// A city, town or other point.
    Point,
    /// A region within a country.
    Region,
    /// Only the country is known: the coordinates are its centroid.
    CountryCentroid,
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedLocation {
    /// The gazetteer's name of the place.
    pub name: String,
    /// ISO 3166-1 alpha-3 code of its country.
    pub country: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Point, region or country centroid.
    pub precision: LocationPrecision,
    /// The words that named the place.
    pub text: String,
}

/// One coded event with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedEvent {
    /// Who did it.
    pub source: CodedActor,
    /// To whom, when there is a recipient.
    pub target: Option<CodedActor>,
    /// The CAMEO code and its scores.
    pub cameo: CameoCode,
    /// When.
    pub date: CodedDate,
    /// Where, when the text says.
    pub location: Option<CodedLocation>,
    /// Whether it happened.
    pub modality: Modality,
    /// Who is reported as saying so.
    pub reported_by: Option<CodedActor>,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Index of the sentence in the text.
    pub sentence_index: usize,
    /// The sentence's range in the text, in Unicode code points.
    pub sentence_chars: Range<usize>,
    /// The sentence.
    pub sentence_text: String,
    /// Id of the action pattern that fired.
    pub rule: String,
}

/// What makes two codings — in one article or in many — the same happening:
/// the same source and target actor codes, the same CAMEO code, the same
/// date period at the same precision, and the same modality (as ICEWS and
/// GDELT deduplicate: "accused" and "criticized" the same day are two
/// acts, as a coder of the text counts them). The
/// place is deliberately not part of it: one report names the city while
/// another names none, and both tell of one happening; the store keeps the
/// most precise place its mentions give.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventIdentity {
    /// Source actor code ("RUSGOV").
    pub source: String,
    /// Target actor code, empty when there is none.
    pub target: String,
    /// CAMEO code ("042").
    pub code: String,
    /// First day of the date period.
    pub start: NaiveDate,
    /// Last day of the date period.
    pub end: NaiveDate,
    /// Precision of the date.
    pub precision: DatePrecision,
    /// Asserted, negated, intended or hypothetical.
    pub modality: Modality,
}

impl EventIdentity {
    /// A stable text form, for hashing into an event id.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{:?}|{:?}",
            self.source,
            self.target,
            self.code,
            self.start,
            self.end,
            self.precision,
            self.modality
        )
    }
}

impl CodedEvent {
    /// The happening this coding reports.
    pub fn identity(&self) -> EventIdentity {
        EventIdentity {
            source: self.source.code(),
            target: self
                .target
                .as_ref()
                .map(CodedActor::code)
                .unwrap_or_default(),
            code: self.cameo.code.clone(),
            start: self.date.start,
            end: self.date.end,
            precision: self.date.precision,
            modality: self.modality,
        }
    }
}
