//! The parts of an event every backend keeps as one JSON document — its
//! actors and its place — in the store's own encoding, and the helpers that
//! take an event's columns apart.
//!
//! The document is a storage format, not the API: its field names and enum
//! spellings are fixed here (encoding 1, written by every Dyad since the
//! first schema) and do not follow renames in `proto/`, so a wire-compatible
//! change to the API never needs a migration. A new encoding would add a
//! new struct and a migration that rewrites `detail_json`.

use dyad_proto::v1::{Actor, ActorKind, Event, Location, LocationPrecision};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Actors and place of an event, as the API has them.
#[derive(Default)]
pub(crate) struct Detail {
    pub source: Option<Actor>,
    pub target: Option<Actor>,
    pub reported_by: Option<Actor>,
    pub location: Option<Location>,
}

impl Detail {
    /// The detail of `event`, in the stored encoding.
    pub fn json_of(event: &Event) -> String {
        let stored = StoredDetail {
            source: event.source.as_ref().map(StoredActor::from),
            target: event.target.as_ref().map(StoredActor::from),
            reported_by: event.reported_by.as_ref().map(StoredActor::from),
            location: event.location.as_ref().map(StoredLocation::from),
        };
        serde_json::to_string(&stored).expect("plain structs serialise to JSON")
    }

    /// Parses a stored detail.
    pub fn parse(json: &str) -> Result<Self, StoreError> {
        let stored: StoredDetail = serde_json::from_str(json)
            .map_err(|e| StoreError::Corrupt(format!("event detail: {e}")))?;
        Ok(Detail {
            source: stored.source.map(Actor::from),
            target: stored.target.map(Actor::from),
            reported_by: stored.reported_by.map(Actor::from),
            location: stored.location.map(Location::from),
        })
    }
}

/// Encoding 1 of the detail document. Empty fields are left out.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct StoredDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<StoredActor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<StoredActor>,
    #[serde(rename = "reportedBy", skip_serializing_if = "Option::is_none")]
    reported_by: Option<StoredActor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<StoredLocation>,
}

/// An actor in encoding 1; `kind` is spelled as the enum value's name
/// (`ACTOR_KIND_STATE`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct StoredActor {
    #[serde(skip_serializing_if = "String::is_empty")]
    code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(rename = "countryCode", skip_serializing_if = "String::is_empty")]
    country_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    role: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    text: String,
}

impl From<&Actor> for StoredActor {
    fn from(actor: &Actor) -> Self {
        let kind = actor.kind();
        StoredActor {
            code: actor.code.clone(),
            name: actor.name.clone(),
            country_code: actor.country_code.clone(),
            role: actor.role.clone(),
            kind: if kind == ActorKind::Unspecified {
                String::new()
            } else {
                kind.as_str_name().to_string()
            },
            text: actor.text.clone(),
        }
    }
}

impl From<StoredActor> for Actor {
    fn from(stored: StoredActor) -> Self {
        Actor {
            code: stored.code,
            name: stored.name,
            country_code: stored.country_code,
            role: stored.role,
            kind: ActorKind::from_str_name(&stored.kind).unwrap_or_default() as i32,
            text: stored.text,
        }
    }
}

/// A place in encoding 1; `precision` is spelled as the enum value's name
/// (`LOCATION_PRECISION_POINT`), zero coordinates are left out.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct StoredLocation {
    #[serde(skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(rename = "countryCode", skip_serializing_if = "String::is_empty")]
    country_code: String,
    #[serde(skip_serializing_if = "is_zero")]
    latitude: f64,
    #[serde(skip_serializing_if = "is_zero")]
    longitude: f64,
    #[serde(skip_serializing_if = "String::is_empty")]
    precision: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    text: String,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

impl From<&Location> for StoredLocation {
    fn from(location: &Location) -> Self {
        let precision = location.precision();
        StoredLocation {
            name: location.name.clone(),
            country_code: location.country_code.clone(),
            latitude: location.latitude,
            longitude: location.longitude,
            precision: if precision == LocationPrecision::Unspecified {
                String::new()
            } else {
                precision.as_str_name().to_string()
            },
            text: location.text.clone(),
        }
    }
}

impl From<StoredLocation> for Location {
    fn from(stored: StoredLocation) -> Self {
        Location {
            name: stored.name,
            country_code: stored.country_code,
            latitude: stored.latitude,
            longitude: stored.longitude,
            precision: LocationPrecision::from_str_name(&stored.precision).unwrap_or_default()
                as i32,
            text: stored.text,
        }
    }
}

/// An actor's code and country, empty when there is no actor.
pub(crate) fn code_and_country(actor: Option<&Actor>) -> (String, String) {
    actor.map_or_else(Default::default, |a| {
        (a.code.clone(), a.country_code.clone())
    })
}

/// The country and coordinates of an event's place, as the events table
/// keeps them for filtering (no coordinates without a place).
pub(crate) fn place_columns(event: &Event) -> (String, Option<f64>, Option<f64>) {
    event
        .location
        .as_ref()
        .map_or((String::new(), None, None), |l| {
            (l.country_code.clone(), Some(l.latitude), Some(l.longitude))
        })
}

/// An actor's role, empty when there is no actor.
pub(crate) fn role_of(actor: Option<&Actor>) -> String {
    actor.map(|a| a.role.clone()).unwrap_or_default()
}

/// The actors of a batch of events to register for search: each code once
/// (first seen wins) with every name and text it appeared under.
#[derive(Debug, Default)]
pub(crate) struct ActorBook {
    /// Actors by code.
    pub actors: std::collections::BTreeMap<String, Actor>,
    /// (code, name) pairs.
    pub names: std::collections::BTreeSet<(String, String)>,
}

impl ActorBook {
    /// Notes the actors of `event`.
    pub fn add(&mut self, event: &Event) {
        for actor in [&event.source, &event.target, &event.reported_by]
            .into_iter()
            .flatten()
            .filter(|a| !a.code.is_empty())
        {
            self.actors
                .entry(actor.code.clone())
                .or_insert_with(|| Actor {
                    text: String::new(),
                    ..actor.clone()
                });
            for name in [&actor.name, &actor.text] {
                let name = name.trim();
                // A name has a capital ("the Kremlin"); "he" or "the
                // spokesman" resolved to the actor is no name of it.
                let named = name.chars().any(char::is_uppercase);
                if named && name.chars().count() <= 100 {
                    self.names.insert((actor.code.clone(), name.to_string()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        Event {
            source: Some(Actor {
                code: "RUSGOV".into(),
                name: "Russian government".into(),
                country_code: "RUS".into(),
                role: "GOV".into(),
                kind: ActorKind::Government as i32,
                text: "the Kremlin".into(),
            }),
            target: Some(Actor {
                code: "ARM".into(),
                country_code: "ARM".into(),
                kind: ActorKind::State as i32,
                ..Default::default()
            }),
            reported_by: None,
            location: Some(Location {
                name: "Yerevan".into(),
                country_code: "ARM".into(),
                latitude: 40.18,
                longitude: 44.51,
                precision: LocationPrecision::Point as i32,
                text: "in Yerevan".into(),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn the_stored_encoding_is_fixed() {
        assert_eq!(
            Detail::json_of(&event()),
            r#"{"source":{"code":"RUSGOV","name":"Russian government","countryCode":"RUS","role":"GOV","kind":"ACTOR_KIND_GOVERNMENT","text":"the Kremlin"},"target":{"code":"ARM","countryCode":"ARM","kind":"ACTOR_KIND_STATE"},"location":{"name":"Yerevan","countryCode":"ARM","latitude":40.18,"longitude":44.51,"precision":"LOCATION_PRECISION_POINT","text":"in Yerevan"}}"#
        );
    }

    #[test]
    fn details_read_back_as_written() {
        let event = event();
        let detail = Detail::parse(&Detail::json_of(&event)).unwrap();
        assert_eq!(detail.source, event.source);
        assert_eq!(detail.target, event.target);
        assert_eq!(detail.reported_by, None);
        assert_eq!(detail.location, event.location);
    }

    /// Stores written when the document was the API's proto3 JSON read
    /// back the same.
    #[test]
    fn documents_in_the_proto3_json_of_earlier_versions_read_back() {
        let event = event();
        let earlier = serde_json::json!({
            "source": serde_json::to_value(event.source.as_ref().unwrap()).unwrap(),
            "target": serde_json::to_value(event.target.as_ref().unwrap()).unwrap(),
            "reportedBy": null,
            "location": serde_json::to_value(event.location.as_ref().unwrap()).unwrap(),
        })
        .to_string();
        let detail = Detail::parse(&earlier).unwrap();
        assert_eq!(detail.source, event.source);
        assert_eq!(detail.target, event.target);
        assert_eq!(detail.location, event.location);
        assert_eq!(
            Detail::json_of(&event),
            Detail::json_of(&Event {
                source: detail.source,
                target: detail.target,
                location: detail.location,
                ..Default::default()
            })
        );
    }

    #[test]
    fn a_broken_document_is_corrupt_data() {
        assert!(matches!(
            Detail::parse("{\"source\": 7}"),
            Err(StoreError::Corrupt(_))
        ));
    }
}
