//! Dyad's own layout: every field of an event, one row per event, its
//! reports counted, one report's provenance (article, URL, outlet,
//! sentence, rule) kept.

use dyad_proto::v1::{
    Actor, ActorKind, DateBasis, DatePrecision, Event, LocationPrecision, Modality,
};

use super::columns::{Column, Kind, Value, enum_name, first_mention};

fn side(actor: Option<&Actor>, field: fn(&Actor) -> &str) -> Value {
    actor.map_or(Value::Empty, |a| Value::text(field(a)))
}

fn kind(actor: Option<&Actor>) -> Value {
    actor.map_or(Value::Empty, |a| {
        enum_name(
            ActorKind::try_from(a.kind).map_or("", |k| k.as_str_name()),
            "ACTOR_KIND_",
        )
    })
}

fn provenance(event: &Event, field: fn(&dyad_proto::v1::Mention) -> &str) -> Value {
    first_mention(event).map_or(Value::Empty, |m| Value::text(field(m)))
}

fn place(event: &Event, field: fn(&dyad_proto::v1::Location) -> Value) -> Value {
    event.location.as_ref().map_or(Value::Empty, field)
}

/// The columns of the Dyad layout, in order.
pub static COLUMNS: &[Column] = &[
    Column {
        name: "event_id",
        kind: Kind::Text,
        doc: "the event's id (`Event.id`), stable across exports",
        value: |e| Value::text(&e.id),
    },
    Column {
        name: "date_start",
        kind: Kind::Date,
        doc: "first day of the event's date",
        value: |e| {
            e.date
                .as_ref()
                .map_or(Value::Empty, |d| Value::date(&d.start_date))
        },
    },
    Column {
        name: "date_end",
        kind: Kind::Date,
        doc: "last day of the event's date (the start for a day)",
        value: |e| {
            e.date
                .as_ref()
                .map_or(Value::Empty, |d| Value::date(&d.end_date))
        },
    },
    Column {
        name: "date_precision",
        kind: Kind::Code,
        doc: "day, week, month, year or range",
        value: |e| {
            e.date.as_ref().map_or(Value::Empty, |d| {
                enum_name(
                    DatePrecision::try_from(d.precision).map_or("", |p| p.as_str_name()),
                    "DATE_PRECISION_",
                )
            })
        },
    },
    Column {
        name: "date_basis",
        kind: Kind::Code,
        doc: "stated, relative, inherited or publication",
        value: |e| {
            e.date.as_ref().map_or(Value::Empty, |d| {
                enum_name(
                    DateBasis::try_from(d.basis).map_or("", |b| b.as_str_name()),
                    "DATE_BASIS_",
                )
            })
        },
    },
    Column {
        name: "date_text",
        kind: Kind::Text,
        doc: "the words that gave the date",
        value: |e| {
            e.date
                .as_ref()
                .map_or(Value::Empty, |d| Value::text(&d.text))
        },
    },
    Column {
        name: "source_code",
        kind: Kind::Code,
        doc: "source actor code, e.g. RUSGOV",
        value: |e| side(e.source.as_ref(), |a| &a.code),
    },
    Column {
        name: "source_name",
        kind: Kind::Text,
        doc: "source actor's name",
        value: |e| side(e.source.as_ref(), |a| &a.name),
    },
    Column {
        name: "source_country",
        kind: Kind::Code,
        doc: "source actor's country (ISO 3166-1 alpha-3) or organisation code",
        value: |e| side(e.source.as_ref(), |a| &a.country_code),
    },
    Column {
        name: "source_role",
        kind: Kind::Code,
        doc: "source actor's CAMEO role (GOV, MIL, REB, …)",
        value: |e| side(e.source.as_ref(), |a| &a.role),
    },
    Column {
        name: "source_kind",
        kind: Kind::Code,
        doc: "state, government, military, person, organisation, armed_group or civilian",
        value: |e| kind(e.source.as_ref()),
    },
    Column {
        name: "source_text",
        kind: Kind::Text,
        doc: "the words that named the source",
        value: |e| side(e.source.as_ref(), |a| &a.text),
    },
    Column {
        name: "target_code",
        kind: Kind::Code,
        doc: "target actor code; empty when the action has no recipient",
        value: |e| side(e.target.as_ref(), |a| &a.code),
    },
    Column {
        name: "target_name",
        kind: Kind::Text,
        doc: "target actor's name",
        value: |e| side(e.target.as_ref(), |a| &a.name),
    },
    Column {
        name: "target_country",
        kind: Kind::Code,
        doc: "target actor's country or organisation code",
        value: |e| side(e.target.as_ref(), |a| &a.country_code),
    },
    Column {
        name: "target_role",
        kind: Kind::Code,
        doc: "target actor's CAMEO role",
        value: |e| side(e.target.as_ref(), |a| &a.role),
    },
    Column {
        name: "target_kind",
        kind: Kind::Code,
        doc: "target actor's kind (as source_kind)",
        value: |e| kind(e.target.as_ref()),
    },
    Column {
        name: "target_text",
        kind: Kind::Text,
        doc: "the words that named the target",
        value: |e| side(e.target.as_ref(), |a| &a.text),
    },
    Column {
        name: "cameo_code",
        kind: Kind::Code,
        doc: "full CAMEO event code, e.g. 0874",
        value: |e| Value::text(&e.cameo_code),
    },
    Column {
        name: "cameo_root",
        kind: Kind::Code,
        doc: "CAMEO root, e.g. 08",
        value: |e| Value::text(&e.cameo_root),
    },
    Column {
        name: "cameo_name",
        kind: Kind::Code,
        doc: "the code's name in the CAMEO codebook",
        value: |e| Value::text(&e.cameo_name),
    },
    Column {
        name: "quad_class",
        kind: Kind::Int,
        doc: "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict",
        value: |e| Value::Int(i64::from(e.quad_class)),
    },
    Column {
        name: "goldstein",
        kind: Kind::Float,
        doc: "Goldstein score of the code, -10 to +10",
        value: |e| Value::Float(e.goldstein),
    },
    Column {
        name: "plover_type",
        kind: Kind::Code,
        doc: "PLOVER event type; empty when the code has none",
        value: |e| Value::text(&e.plover_type),
    },
    Column {
        name: "modality",
        kind: Kind::Code,
        doc: "asserted, negated, intended or hypothetical",
        value: |e| {
            enum_name(
                Modality::try_from(e.modality).map_or("", |m| m.as_str_name()),
                "MODALITY_",
            )
        },
    },
    Column {
        name: "reported_by_code",
        kind: Kind::Code,
        doc: "actor code of who the sentence attributes the event to",
        value: |e| side(e.reported_by.as_ref(), |a| &a.code),
    },
    Column {
        name: "reported_by_name",
        kind: Kind::Text,
        doc: "name of who the sentence attributes the event to",
        value: |e| side(e.reported_by.as_ref(), |a| &a.name),
    },
    Column {
        name: "confidence",
        kind: Kind::Float,
        doc: "calibrated probability that the coding is right, 0 to 1",
        value: |e| Value::Float(e.confidence),
    },
    Column {
        name: "place_name",
        kind: Kind::Text,
        doc: "where the event happened, as named in the gazetteer",
        value: |e| place(e, |l| Value::text(&l.name)),
    },
    Column {
        name: "place_country",
        kind: Kind::Code,
        doc: "the place's country (ISO 3166-1 alpha-3)",
        value: |e| place(e, |l| Value::text(&l.country_code)),
    },
    Column {
        name: "latitude",
        kind: Kind::Float,
        doc: "the place's latitude (WGS 84)",
        value: |e| place(e, |l| Value::Float(l.latitude)),
    },
    Column {
        name: "longitude",
        kind: Kind::Float,
        doc: "the place's longitude (WGS 84)",
        value: |e| place(e, |l| Value::Float(l.longitude)),
    },
    Column {
        name: "place_precision",
        kind: Kind::Code,
        doc: "point, region or country_centroid",
        value: |e| {
            place(e, |l| {
                enum_name(
                    LocationPrecision::try_from(l.precision).map_or("", |p| p.as_str_name()),
                    "LOCATION_PRECISION_",
                )
            })
        },
    },
    Column {
        name: "place_text",
        kind: Kind::Text,
        doc: "the words that named the place",
        value: |e| place(e, |l| Value::text(&l.text)),
    },
    Column {
        name: "num_mentions",
        kind: Kind::Int,
        doc: "sentences, in all stored articles, that report the event",
        value: |e| Value::Int(i64::from(e.num_mentions)),
    },
    Column {
        name: "num_articles",
        kind: Kind::Int,
        doc: "distinct articles that report it",
        value: |e| Value::Int(i64::from(e.num_articles)),
    },
    Column {
        name: "num_sources",
        kind: Kind::Int,
        doc: "distinct outlets that report it",
        value: |e| Value::Int(i64::from(e.num_sources)),
    },
    Column {
        name: "first_seen",
        kind: Kind::Time,
        doc: "publication time of the earliest article reporting it",
        value: |e| Value::time(e.first_seen.as_ref()),
    },
    Column {
        name: "last_seen",
        kind: Kind::Time,
        doc: "publication time of the latest article reporting it",
        value: |e| Value::time(e.last_seen.as_ref()),
    },
    Column {
        name: "article_id",
        kind: Kind::Text,
        doc: "one article reporting it (the first by id with a URL)",
        value: |e| provenance(e, |m| &m.article_id),
    },
    Column {
        name: "source_url",
        kind: Kind::Text,
        doc: "that article's URL",
        value: |e| provenance(e, |m| &m.article_url),
    },
    Column {
        name: "outlet",
        kind: Kind::Code,
        doc: "that article's outlet",
        value: |e| provenance(e, |m| &m.outlet),
    },
    Column {
        name: "sentence",
        kind: Kind::Text,
        doc: "the sentence of that article the event was coded from",
        value: |e| provenance(e, |m| &m.sentence_text),
    },
    Column {
        name: "rule",
        kind: Kind::Code,
        doc: "the dictionary entry or rule that coded it there",
        value: |e| provenance(e, |m| &m.rule),
    },
];
