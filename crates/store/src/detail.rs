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
