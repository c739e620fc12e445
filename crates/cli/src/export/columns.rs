//! What an exported column is: a name, a type every format honours, a
//! description for the documentation, and how its value is read from an
//! event.

use chrono::{DateTime, NaiveDate, Utc};
use dyad_proto::{
    Timestamp,
    v1::{Event, Mention},
};

/// The type of a column, as the formats write it: Parquet as its own types
/// (codes dictionary-encoded), JSON Lines as numbers or strings, CSV as
/// text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A code from a small set ("RUSGOV", "190", "asserted").
    Code,
    /// A whole number.
    Int,
    /// A real number.
    Float,
    /// A calendar day.
    Date,
    /// An instant, UTC.
    Time,
}

impl Kind {
    /// The name the documentation gives the type.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Code => "code",
            Kind::Int => "integer",
            Kind::Float => "real",
            Kind::Date => "date",
            Kind::Time => "timestamp",
        }
    }
}

/// One value of a row; `Empty` where the event has no such field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: an empty CSV cell, a JSON null, a Parquet null.
    Empty,
    /// Text or a code.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A real number.
    Float(f64),
    /// A day.
    Date(NaiveDate),
    /// An instant.
    Time(DateTime<Utc>),
}

impl Value {
    /// Text, or `Empty` when there is none.
    pub fn text(text: &str) -> Self {
        if text.is_empty() {
            Value::Empty
        } else {
            Value::Text(text.to_string())
        }
    }

    /// A day written YYYY-MM-DD, or `Empty`.
    pub fn date(text: &str) -> Self {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_or(Value::Empty, Value::Date)
    }

    /// An instant, or `Empty` when it is not set.
    pub fn time(ts: Option<&Timestamp>) -> Self {
        instant(ts).map_or(Value::Empty, Value::Time)
    }
}

/// The instant of a timestamp, when it is set and valid.
pub fn instant(ts: Option<&Timestamp>) -> Option<DateTime<Utc>> {
    let ts = ts?;
    DateTime::from_timestamp(ts.seconds, u32::try_from(ts.nanos).ok()?)
}

/// One column of a layout.
pub struct Column {
    /// The header name.
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// What it holds, for the documentation.
    pub doc: &'static str,
    /// Its value for an event.
    pub value: fn(&Event) -> Value,
}

/// The mention an event's provenance columns come from: the first with an
/// article URL (mentions come ordered by article id), else the first.
pub fn first_mention(event: &Event) -> Option<&Mention> {
    event
        .mentions
        .iter()
        .find(|m| !m.article_url.is_empty())
        .or_else(|| event.mentions.first())
}

/// The lower-case name of an enum value ("DATE_PRECISION_DAY" → "day"),
/// `Empty` for the unspecified value.
pub fn enum_name(name: &str, prefix: &str) -> Value {
    match name.strip_prefix(prefix) {
        Some("UNSPECIFIED") | None => Value::Empty,
        Some(rest) => Value::Text(rest.to_ascii_lowercase()),
    }
}
