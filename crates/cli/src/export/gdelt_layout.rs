//! The GDELT 2.0 event table's layout: its 61 columns, named and ordered as
//! in the GDELT 2.0 Event Database codebook, filled where Dyad has the
//! field and empty where it has none, so that tools written for GDELT's
//! files read Dyad's.

use chrono::Datelike;
use dyad_proto::v1::{Actor, ActorKind, Event, LocationPrecision};

use super::columns::{Column, Kind, Value, first_mention, instant};

fn nothing(_: &Event) -> Value {
    Value::Empty
}

/// A GDELT column Dyad does not fill.
const fn blank(name: &'static str, doc: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
        doc,
        value: nothing,
    }
}

fn day(event: &Event) -> Option<chrono::NaiveDate> {
    let date = event.date.as_ref()?;
    chrono::NaiveDate::parse_from_str(&date.start_date, "%Y-%m-%d").ok()
}

fn is_organisation(actor: &Actor) -> bool {
    actor.kind == ActorKind::Organisation as i32
}

fn code(actor: Option<&Actor>) -> Value {
    actor.map_or(Value::Empty, |a| Value::text(&a.code))
}

fn name(actor: Option<&Actor>) -> Value {
    actor.map_or(Value::Empty, |a| Value::text(&a.name.to_uppercase()))
}

fn country(actor: Option<&Actor>) -> Value {
    actor
        .filter(|a| !is_organisation(a))
        .map_or(Value::Empty, |a| Value::text(&a.country_code))
}

fn known_group(actor: Option<&Actor>) -> Value {
    actor
        .filter(|a| is_organisation(a))
        .map_or(Value::Empty, |a| Value::text(&a.country_code))
}

fn role(actor: Option<&Actor>) -> Value {
    actor.map_or(Value::Empty, |a| Value::text(&a.role))
}

fn geo_type(event: &Event) -> Value {
    let Some(place) = &event.location else {
        return Value::Empty;
    };
    let american = place.country_code == "USA";
    match LocationPrecision::try_from(place.precision) {
        Ok(LocationPrecision::CountryCentroid) => Value::Int(1),
        Ok(LocationPrecision::Region) => Value::Int(if american { 2 } else { 5 }),
        Ok(LocationPrecision::Point) => Value::Int(if american { 3 } else { 4 }),
        _ => Value::Empty,
    }
}

const ACTOR_GEO_DOC: &str = "empty: Dyad places the event, not its actors";

/// The columns of the GDELT layout, in GDELT 2.0's order.
pub static COLUMNS: &[Column] = &[
    Column {
        name: "GLOBALEVENTID",
        kind: Kind::Text,
        doc: "Dyad's event id (text, where GDELT has an integer)",
        value: |e| Value::text(&e.id),
    },
    Column {
        name: "SQLDATE",
        kind: Kind::Int,
        doc: "event date (its first day) as YYYYMMDD",
        value: |e| {
            day(e).map_or(Value::Empty, |d| {
                Value::Int(i64::from(d.year()) * 10_000 + i64::from(d.month() * 100 + d.day()))
            })
        },
    },
    Column {
        name: "MonthYear",
        kind: Kind::Int,
        doc: "event date as YYYYMM",
        value: |e| {
            day(e).map_or(Value::Empty, |d| {
                Value::Int(i64::from(d.year()) * 100 + i64::from(d.month()))
            })
        },
    },
    Column {
        name: "Year",
        kind: Kind::Int,
        doc: "event year",
        value: |e| day(e).map_or(Value::Empty, |d| Value::Int(i64::from(d.year()))),
    },
    Column {
        name: "FractionDate",
        kind: Kind::Float,
        doc: "year + (month × 30 + day) / 365, to four places, as GDELT computes it",
        value: |e| {
            day(e).map_or(Value::Empty, |d| {
                let fraction = f64::from(d.month() * 30 + d.day()) / 365.0;
                Value::Float(((f64::from(d.year()) + fraction) * 10_000.0).round() / 10_000.0)
            })
        },
    },
    Column {
        name: "Actor1Code",
        kind: Kind::Code,
        doc: "source actor code",
        value: |e| code(e.source.as_ref()),
    },
    Column {
        name: "Actor1Name",
        kind: Kind::Text,
        doc: "source actor's name, upper case",
        value: |e| name(e.source.as_ref()),
    },
    Column {
        name: "Actor1CountryCode",
        kind: Kind::Code,
        doc: "source actor's country (CAMEO/ISO alpha-3); empty for organisations",
        value: |e| country(e.source.as_ref()),
    },
    Column {
        name: "Actor1KnownGroupCode",
        kind: Kind::Code,
        doc: "source organisation's code (NATO, UNO, …) when the source is one",
        value: |e| known_group(e.source.as_ref()),
    },
    blank("Actor1EthnicCode", "empty: not coded"),
    blank("Actor1Religion1Code", "empty: not coded"),
    blank("Actor1Religion2Code", "empty: not coded"),
    Column {
        name: "Actor1Type1Code",
        kind: Kind::Code,
        doc: "source actor's CAMEO role (GOV, MIL, REB, …)",
        value: |e| role(e.source.as_ref()),
    },
    blank("Actor1Type2Code", "empty: Dyad gives one role"),
    blank("Actor1Type3Code", "empty: Dyad gives one role"),
    Column {
        name: "Actor2Code",
        kind: Kind::Code,
        doc: "target actor code; empty when the action has no recipient",
        value: |e| code(e.target.as_ref()),
    },
    Column {
        name: "Actor2Name",
        kind: Kind::Text,
        doc: "target actor's name, upper case",
        value: |e| name(e.target.as_ref()),
    },
    Column {
        name: "Actor2CountryCode",
        kind: Kind::Code,
        doc: "target actor's country; empty for organisations",
        value: |e| country(e.target.as_ref()),
    },
    Column {
        name: "Actor2KnownGroupCode",
        kind: Kind::Code,
        doc: "target organisation's code when the target is one",
        value: |e| known_group(e.target.as_ref()),
    },
    blank("Actor2EthnicCode", "empty: not coded"),
    blank("Actor2Religion1Code", "empty: not coded"),
    blank("Actor2Religion2Code", "empty: not coded"),
    Column {
        name: "Actor2Type1Code",
        kind: Kind::Code,
        doc: "target actor's CAMEO role",
        value: |e| role(e.target.as_ref()),
    },
    blank("Actor2Type2Code", "empty: Dyad gives one role"),
    blank("Actor2Type3Code", "empty: Dyad gives one role"),
    Column {
        name: "IsRootEvent",
        kind: Kind::Int,
        doc: "1 when one of its reports is an article's first sentence, else 0",
        value: |e| Value::Int(i64::from(e.mentions.iter().any(|m| m.sentence_index == 0))),
    },
    Column {
        name: "EventCode",
        kind: Kind::Code,
        doc: "full CAMEO code",
        value: |e| Value::text(&e.cameo_code),
    },
    Column {
        name: "EventBaseCode",
        kind: Kind::Code,
        doc: "CAMEO code cut to three digits",
        value: |e| Value::text(e.cameo_code.get(..3).unwrap_or(&e.cameo_code)),
    },
    Column {
        name: "EventRootCode",
        kind: Kind::Code,
        doc: "CAMEO root",
        value: |e| Value::text(&e.cameo_root),
    },
    Column {
        name: "QuadClass",
        kind: Kind::Int,
        doc: "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
        value: |e| Value::Int(i64::from(e.quad_class)),
    },
    Column {
        name: "GoldsteinScale",
        kind: Kind::Float,
        doc: "Goldstein score, -10 to +10",
        value: |e| Value::Float(e.goldstein),
    },
    Column {
        name: "NumMentions",
        kind: Kind::Int,
        doc: "sentences reporting the event in all stored articles",
        value: |e| Value::Int(i64::from(e.num_mentions)),
    },
    Column {
        name: "NumSources",
        kind: Kind::Int,
        doc: "distinct outlets reporting it",
        value: |e| Value::Int(i64::from(e.num_sources)),
    },
    Column {
        name: "NumArticles",
        kind: Kind::Int,
        doc: "distinct articles reporting it",
        value: |e| Value::Int(i64::from(e.num_articles)),
    },
    blank("AvgTone", "empty: Dyad measures no tone"),
    blank("Actor1Geo_Type", ACTOR_GEO_DOC),
    blank("Actor1Geo_FullName", ACTOR_GEO_DOC),
    blank("Actor1Geo_CountryCode", ACTOR_GEO_DOC),
    blank("Actor1Geo_ADM1Code", ACTOR_GEO_DOC),
    blank("Actor1Geo_ADM2Code", ACTOR_GEO_DOC),
    blank("Actor1Geo_Lat", ACTOR_GEO_DOC),
    blank("Actor1Geo_Long", ACTOR_GEO_DOC),
    blank("Actor1Geo_FeatureID", ACTOR_GEO_DOC),
    blank("Actor2Geo_Type", ACTOR_GEO_DOC),
    blank("Actor2Geo_FullName", ACTOR_GEO_DOC),
    blank("Actor2Geo_CountryCode", ACTOR_GEO_DOC),
    blank("Actor2Geo_ADM1Code", ACTOR_GEO_DOC),
    blank("Actor2Geo_ADM2Code", ACTOR_GEO_DOC),
    blank("Actor2Geo_Lat", ACTOR_GEO_DOC),
    blank("Actor2Geo_Long", ACTOR_GEO_DOC),
    blank("Actor2Geo_FeatureID", ACTOR_GEO_DOC),
    Column {
        name: "ActionGeo_Type",
        kind: Kind::Int,
        doc: "1 country, 2 US state, 3 US city, 4 world city, 5 world region",
        value: geo_type,
    },
    Column {
        name: "ActionGeo_FullName",
        kind: Kind::Text,
        doc: "the event's place",
        value: |e| {
            e.location
                .as_ref()
                .map_or(Value::Empty, |l| Value::text(&l.name))
        },
    },
    Column {
        name: "ActionGeo_CountryCode",
        kind: Kind::Code,
        doc: "the place's country as ISO 3166-1 alpha-3 (GDELT uses FIPS 10-4 here)",
        value: |e| {
            e.location
                .as_ref()
                .map_or(Value::Empty, |l| Value::text(&l.country_code))
        },
    },
    blank(
        "ActionGeo_ADM1Code",
        "empty: Dyad's gazetteer has no ADM1 codes",
    ),
    blank(
        "ActionGeo_ADM2Code",
        "empty: Dyad's gazetteer has no ADM2 codes",
    ),
    Column {
        name: "ActionGeo_Lat",
        kind: Kind::Float,
        doc: "the place's latitude",
        value: |e| {
            e.location
                .as_ref()
                .map_or(Value::Empty, |l| Value::Float(l.latitude))
        },
    },
    Column {
        name: "ActionGeo_Long",
        kind: Kind::Float,
        doc: "the place's longitude",
        value: |e| {
            e.location
                .as_ref()
                .map_or(Value::Empty, |l| Value::Float(l.longitude))
        },
    },
    blank(
        "ActionGeo_FeatureID",
        "empty: Dyad's gazetteer has no feature ids",
    ),
    Column {
        name: "DATEADDED",
        kind: Kind::Int,
        doc: "when the event was first reported (first_seen, UTC) as YYYYMMDDHHMMSS",
        value: |e| {
            instant(e.first_seen.as_ref()).map_or(Value::Empty, |t| {
                t.format("%Y%m%d%H%M%S")
                    .to_string()
                    .parse()
                    .map_or(Value::Empty, Value::Int)
            })
        },
    },
    Column {
        name: "SOURCEURL",
        kind: Kind::Text,
        doc: "URL of an article reporting it (the first by id with a URL)",
        value: |e| first_mention(e).map_or(Value::Empty, |m| Value::text(&m.article_url)),
    },
];
