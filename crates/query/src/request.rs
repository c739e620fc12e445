//! Reading requests: the proto filter into the store's, time windows into
//! days, with every field checked and named when it is wrong.

use chrono::{DateTime, NaiveDate, Utc};
use dyad_proto::{
    Timestamp,
    v1::{self, DatePrecision, Modality, QuadClass},
};
use dyad_store::{ActorMatch, BoundingBox, EventFilter};

use crate::{directory::Directory, error::QueryError};

/// The longest window a relation or graph request may span, in days (50
/// years).
pub const MAX_WINDOW_DAYS: i64 = 50 * 366;

/// Longest piece of a caller's input an error message quotes.
const SHOWN_CHARS: usize = 40;

/// `text` as an error message quotes it: in quotes, cut to
/// [`SHOWN_CHARS`] characters, so that no message grows with its input.
pub fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{:?}… ({} bytes)", &text[..end], text.len()),
        None => format!("{text:?}"),
    }
}

/// The day of a timestamp (UTC); `None` when the field is not set.
pub fn day_of(
    field: &'static str,
    ts: &Option<Timestamp>,
) -> Result<Option<NaiveDate>, QueryError> {
    let Some(ts) = ts else {
        return Ok(None);
    };
    DateTime::<Utc>::from_timestamp(ts.seconds, u32::try_from(ts.nanos).unwrap_or(u32::MAX))
        .filter(|_| (0..1_000_000_000).contains(&ts.nanos))
        .map(|t| Some(t.date_naive()))
        .ok_or_else(|| QueryError::invalid(field, "is not a valid timestamp"))
}

/// Midnight UTC of `day`, as a timestamp.
pub fn timestamp_of(day: NaiveDate) -> Timestamp {
    Timestamp {
        seconds: day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp(),
        nanos: 0,
    }
}

/// A window `[start, end)` of days, both ends required, `end` after `start`.
pub fn window(
    (start_field, start): (&'static str, &Option<Timestamp>),
    (end_field, end): (&'static str, &Option<Timestamp>),
) -> Result<(NaiveDate, NaiveDate), QueryError> {
    let start = day_of(start_field, start)?
        .ok_or_else(|| QueryError::invalid(start_field, "is required"))?;
    let end =
        day_of(end_field, end)?.ok_or_else(|| QueryError::invalid(end_field, "is required"))?;
    check_order(start, end, end_field)?;
    Ok((start, end))
}

/// `end` must be after `start`, by at most [`MAX_WINDOW_DAYS`].
pub fn check_order(
    start: NaiveDate,
    end: NaiveDate,
    end_field: &'static str,
) -> Result<(), QueryError> {
    if end <= start {
        return Err(QueryError::invalid(
            end_field,
            "must be later than the start of the window",
        ));
    }
    if (end - start).num_days() > MAX_WINDOW_DAYS {
        return Err(QueryError::invalid(
            end_field,
            format!(
                "spans {} days, over the limit of {MAX_WINDOW_DAYS} (50 years)",
                (end - start).num_days()
            ),
        ));
    }
    Ok(())
}

/// An actor match of a request, normalised (codes upper-case) and, with a
/// `directory`, checked against the actors the store knows.
pub fn actor_match(
    field: &'static str,
    actor: Option<&v1::ActorMatch>,
    directory: Option<&Directory>,
) -> Result<ActorMatch, QueryError> {
    let Some(actor) = actor else {
        return Ok(ActorMatch::default());
    };
    let found = ActorMatch {
        code: actor.code.trim().to_ascii_uppercase(),
        country: actor.country_code.trim().to_ascii_uppercase(),
        role: actor.role.trim().to_ascii_uppercase(),
    };
    for (part, value) in [
        ("code", &found.code),
        ("country_code", &found.country),
        ("role", &found.role),
    ] {
        if value.len() > 40 || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(QueryError::invalid(
                field,
                format!(
                    "{part} {} is not an actor code: letters and digits, at most 40",
                    shown(value)
                ),
            ));
        }
    }
    let Some(directory) = directory else {
        return Ok(found);
    };
    if !found.code.is_empty() && !directory.knows_code(&found.code) {
        return Err(QueryError::NotFound(format!(
            "{field}: no actor with code {:?} is in the store; SearchActors finds codes",
            found.code
        )));
    }
    if !found.country.is_empty() && !directory.knows_country(&found.country) {
        return Err(QueryError::NotFound(format!(
            "{field}: no actor of country or organisation {:?} is in the store; SearchActors finds codes",
            found.country
        )));
    }
    Ok(found)
}

fn enum_values<T: TryFrom<i32>>(
    field: &'static str,
    values: &[i32],
    what: &str,
) -> Result<Vec<i32>, QueryError> {
    let mut checked = Vec::with_capacity(values.len());
    for &value in values {
        if value == 0 || T::try_from(value).is_err() {
            return Err(QueryError::invalid(
                field,
                format!("{value} is not a {what}"),
            ));
        }
        if !checked.contains(&value) {
            checked.push(value);
        }
    }
    Ok(checked)
}

/// Most distinct codes a filter may name: more than CAMEO has, so only a
/// list no one could mean (thousands of repeats or made-up codes) is
/// refused, before it reaches the store as a statement too large to run.
pub const MAX_CAMEO_CODES: usize = 400;

/// The store filter of a request's `EventFilter` (absent: everything
/// asserted); invalid fields are named `filter.…` in errors. With a
/// `directory`, actors the store has never seen are NOT_FOUND; without one
/// (a watch, which waits for them) they are taken as given.
pub fn event_filter(
    filter: Option<&v1::EventFilter>,
    directory: Option<&Directory>,
) -> Result<EventFilter, QueryError> {
    let default = v1::EventFilter::default();
    let filter = filter.unwrap_or(&default);
    let actor = actor_match("filter.actor", filter.actor.as_ref(), directory)?;
    let counterpart = actor_match("filter.counterpart", filter.counterpart.as_ref(), directory)?;
    if actor.is_empty() && !counterpart.is_empty() {
        return Err(QueryError::invalid(
            "filter.counterpart",
            "needs filter.actor: give the first side of the dyad there",
        ));
    }
    let mut cameo_codes: Vec<String> = Vec::with_capacity(filter.cameo_codes.len());
    for code in &filter.cameo_codes {
        let code = code.trim();
        let valid = (2..=4).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_digit())
            && ("01"..="20").contains(&&code[..2]);
        if !valid {
            return Err(QueryError::invalid(
                "filter.cameo_codes",
                format!(
                    "{} is not a CAMEO code: two to four digits, starting 01 to 20",
                    shown(code)
                ),
            ));
        }
        cameo_codes.push(code.to_string());
    }
    cameo_codes.sort_unstable();
    cameo_codes.dedup();
    if cameo_codes.len() > MAX_CAMEO_CODES {
        return Err(QueryError::invalid(
            "filter.cameo_codes",
            format!(
                "names {} distinct codes; at most {MAX_CAMEO_CODES} (CAMEO has about 300): \
                 filter by root codes (\"19\") instead",
                cameo_codes.len()
            ),
        ));
    }
    let start = day_of("filter.start_time", &filter.start_time)?;
    let end = day_of("filter.end_time", &filter.end_time)?;
    if let (Some(start), Some(end)) = (start, end)
        && end <= start
    {
        return Err(QueryError::invalid(
            "filter.end_time",
            "must be later than filter.start_time",
        ));
    }
    let mut modalities =
        enum_values::<Modality>("filter.modalities", &filter.modalities, "modality")?;
    if modalities.is_empty() {
        modalities.push(Modality::Asserted as i32);
    }
    let place_country = filter.place_country_code.trim().to_ascii_uppercase();
    if !place_country.is_empty()
        && (place_country.len() != 3 || !place_country.chars().all(|c| c.is_ascii_uppercase()))
    {
        return Err(QueryError::invalid(
            "filter.place_country_code",
            format!(
                "{} is not an ISO 3166-1 alpha-3 code",
                shown(&place_country)
            ),
        ));
    }
    let place_box = filter.place_box.as_ref().map(bounding_box).transpose()?;
    Ok(EventFilter {
        actor,
        counterpart,
        directed: filter.directed,
        cameo_codes,
        quad_classes: enum_values::<QuadClass>(
            "filter.quad_classes",
            &filter.quad_classes,
            "quad class",
        )?,
        start_date: start.map(|d| d.to_string()).unwrap_or_default(),
        end_date: end.map(|d| d.to_string()).unwrap_or_default(),
        precisions: enum_values::<DatePrecision>(
            "filter.date_precisions",
            &filter.date_precisions,
            "date precision",
        )?,
        modalities,
        place_country,
        place_box,
        min_sources: filter.min_sources,
        min_confidence: min_confidence("filter.min_confidence", filter.min_confidence)?,
    })
}

/// A least confidence as asked: a number from 0 to 1.
pub(crate) fn min_confidence(field: &'static str, value: f64) -> Result<f64, QueryError> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(QueryError::invalid(
            field,
            format!("{value} is not a confidence: give a number from 0 to 1 (0 takes all events)"),
        ))
    }
}

fn bounding_box(b: &v1::BoundingBox) -> Result<BoundingBox, QueryError> {
    let latitude = |v: f64| v.is_finite() && (-90.0..=90.0).contains(&v);
    let longitude = |v: f64| v.is_finite() && (-180.0..=180.0).contains(&v);
    if !latitude(b.south) || !latitude(b.north) || b.south > b.north {
        return Err(QueryError::invalid(
            "filter.place_box",
            "south and north must be latitudes (-90 to 90), south not above north",
        ));
    }
    if !longitude(b.west) || !longitude(b.east) {
        return Err(QueryError::invalid(
            "filter.place_box",
            "west and east must be longitudes (-180 to 180)",
        ));
    }
    Ok(BoundingBox {
        south: b.south,
        west: b.west,
        north: b.north,
        east: b.east,
    })
}

/// A size or count field: 0 means `default`, a value over `max` is `max`,
/// a negative one is refused.
pub fn limit(
    field: &'static str,
    value: i32,
    default: usize,
    max: usize,
) -> Result<usize, QueryError> {
    match value {
        0 => Ok(default),
        n if n < 0 => Err(QueryError::invalid(field, "must not be negative")),
        // AIP-158: a page size over the maximum is taken as the maximum.
        n => Ok((n as usize).min(max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_at_most_a_short_piece_of_the_input() {
        assert_eq!(shown("ARM"), "\"ARM\"");
        let long = "x".repeat(3 << 20);
        let quoted = shown(&long);
        assert!(quoted.len() < 80, "{quoted}");
        assert!(quoted.ends_with("… (3145728 bytes)"), "{quoted}");
    }
}
