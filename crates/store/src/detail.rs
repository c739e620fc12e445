//! The parts of an event every backend keeps as one JSON document (proto3
//! JSON mapping): its actors and its place; and how precise a place is.

use dyad_proto::v1::{Actor, Event, Location, LocationPrecision};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Actors and place of an event.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Detail {
    pub source: Option<Actor>,
    pub target: Option<Actor>,
    pub reported_by: Option<Actor>,
    pub location: Option<Location>,
}

impl Detail {
    /// The detail of `event`, as JSON.
    pub fn json_of(event: &Event) -> String {
        let detail = Detail {
            source: event.source.clone(),
            target: event.target.clone(),
            reported_by: event.reported_by.clone(),
            location: event.location.clone(),
        };
        serde_json::to_string(&detail).expect("proto messages serialise to JSON")
    }

    /// Parses a stored detail.
    pub fn parse(json: &str) -> Result<Self, StoreError> {
        serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("event detail: {e}")))
    }
}

/// How precise a place is: a point beats a region beats a country centroid
/// beats none.
pub(crate) fn location_rank(location: Option<&Location>) -> i64 {
    match location.map(Location::precision) {
        Some(LocationPrecision::Point) => 3,
        Some(LocationPrecision::Region) => 2,
        Some(LocationPrecision::CountryCentroid) => 1,
        _ => 0,
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
