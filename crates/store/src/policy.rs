//! The store's rules, each written once and used by both backends and by
//! the ingest service:
//!
//! - **Already known or coded again.** An article arriving under an id or
//!   url already stored is left alone, unless the stored coding came from
//!   an older coder: then it is coded again and replaces the old coding.
//! - **The most precise place wins.** An event reported by several
//!   mentions keeps the most precise place any of them gives: a point beats
//!   a region beats a country centroid beats none. The SQL upserts compare
//!   the events' `location_precision` columns, which hold [`place_rank`].

use dyad_proto::v1::{Location, LocationPrecision};

/// What becomes of an arriving article, given what is stored under its id
/// or url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrival {
    /// Nothing is stored: insert it.
    New,
    /// Stored (under this id) by the same or a newer coder: leave it.
    Known(String),
    /// Stored (under this id) by an older coder: replace its coding.
    Recode(String),
}

/// The arrival of an article coded by `coder_version`, when `stored` holds
/// the id and coder version of the article already stored under its id or
/// url.
pub fn arrival(stored: Option<(String, String)>, coder_version: &str) -> Arrival {
    match stored {
        None => Arrival::New,
        Some((id, stored_by)) if is_newer_coder(coder_version, &stored_by) => Arrival::Recode(id),
        Some((id, _)) => Arrival::Known(id),
    }
}

/// Whether coder version `new` is newer than `stored` ("dyad-extract/0.2.0"
/// after "dyad-extract/0.1.9"), comparing the numbers of the version.
pub fn is_newer_coder(new: &str, stored: &str) -> bool {
    let numbers = |v: &str| -> Vec<u64> {
        v.rsplit('/')
            .next()
            .unwrap_or_default()
            .split(['.', '-'])
            .map_while(|part| part.parse().ok())
            .collect()
    };
    numbers(new) > numbers(stored)
}

/// How precise a place is, as a number that grows with precision.
pub fn place_rank(location: Option<&Location>) -> i64 {
    match location.map(Location::precision) {
        Some(LocationPrecision::Point) => 3,
        Some(LocationPrecision::Region) => 2,
        Some(LocationPrecision::CountryCentroid) => 1,
        _ => 0,
    }
}

/// Whether place `new` should replace place `kept`.
pub fn more_precise(new: Option<&Location>, kept: Option<&Location>) -> bool {
    place_rank(new) > place_rank(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coder_versions_compare_by_number() {
        assert!(is_newer_coder("dyad-extract/0.2.0", "dyad-extract/0.1.9"));
        assert!(is_newer_coder("dyad-extract/0.10.0", "dyad-extract/0.9.0"));
        assert!(is_newer_coder("dyad-extract/0.1.0", ""));
        assert!(!is_newer_coder("dyad-extract/0.1.0", "dyad-extract/0.1.0"));
        assert!(!is_newer_coder("dyad-extract/0.1.0", "dyad-extract/0.2.0"));
    }

    #[test]
    fn an_article_is_new_known_or_coded_again() {
        let stored = |by: &str| Some(("a1".to_string(), by.to_string()));
        assert_eq!(arrival(None, "dyad-extract/0.2.0"), Arrival::New);
        assert_eq!(
            arrival(stored("dyad-extract/0.2.0"), "dyad-extract/0.2.0"),
            Arrival::Known("a1".into())
        );
        assert_eq!(
            arrival(stored("dyad-extract/0.3.0"), "dyad-extract/0.2.0"),
            Arrival::Known("a1".into())
        );
        assert_eq!(
            arrival(stored("dyad-extract/0.1.0"), "dyad-extract/0.2.0"),
            Arrival::Recode("a1".into())
        );
    }

    #[test]
    fn a_point_beats_a_region_beats_a_country_beats_none() {
        let at = |precision: LocationPrecision| Location {
            precision: precision as i32,
            ..Default::default()
        };
        let (point, region, country) = (
            at(LocationPrecision::Point),
            at(LocationPrecision::Region),
            at(LocationPrecision::CountryCentroid),
        );
        assert!(more_precise(Some(&point), Some(&region)));
        assert!(more_precise(Some(&region), Some(&country)));
        assert!(more_precise(Some(&country), None));
        assert!(!more_precise(Some(&region), Some(&region)));
        assert!(!more_precise(None, Some(&country)));
    }
}
