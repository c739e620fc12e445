//! The gazetteer: named places with coordinates, looked up by their words.

use rustc_hash::FxHashMap;

use super::{DictionaryError, table::Table};
use crate::text::phrase_words;

/// What sort of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A city, town or other point.
    City,
    /// A region within a country (a province, a state, a contested area).
    Region,
    /// A whole country, placed at its centroid.
    Country,
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Canonical name ("Yerevan").
    pub name: String,
    /// City, region or country.
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-3 code of the country the place lies in.
    pub country: String,
    /// First-level administrative code within the country, where known.
    pub admin: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Inhabitants, used to prefer the better-known of two namesakes.
    pub population: u64,
}

/// All places, indexed by the normalised words of their names.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_words: FxHashMap<String, Vec<u32>>,
    /// For each first word of a name, the most words a name starting with it has.
    longest_from: FxHashMap<String, usize>,
}

impl Gazetteer {
    /// The places whose name or alias is exactly `words` (normalised,
    /// space-separated).
    pub fn lookup(&self, words: &str) -> impl Iterator<Item = &Place> {
        self.by_words
            .get(words)
            .into_iter()
            .flatten()
            .map(|&i| &self.places[i as usize])
    }

    /// The most words a name starting with `first` has; 0 when none does.
    pub fn longest_from(&self, first: &str) -> usize {
        self.longest_from.get(first).copied().unwrap_or(0)
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether there are no places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    fn add(&mut self, place: Place, aliases: &[&str]) {
        let index = u32::try_from(self.places.len()).expect("fewer than 2^32 places");
        for name in std::iter::once(place.name.as_str()).chain(aliases.iter().copied()) {
            let (key, first, count) = words_key(name);
            if count == 0 {
                continue;
            }
            match self.longest_from.get_mut(first.as_str()) {
                Some(longest) => *longest = (*longest).max(count),
                None => {
                    self.longest_from.insert(first, count);
                }
            }
            let entry = self.by_words.entry(key).or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
        self.places.push(place);
    }
}

/// The lookup key of a name (its normalised words joined by spaces), its
/// first word and its number of words. Plain names take a fast path.
fn words_key(name: &str) -> (String, String, usize) {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') && !name.contains("  ") {
        let key = name.trim().to_ascii_lowercase();
        let first = key.split(' ').next().unwrap_or_default().to_string();
        let count = if key.is_empty() {
            0
        } else {
            key.split(' ').count()
        };
        return (key, first, count);
    }
    let words = phrase_words(name);
    let first = words.first().cloned().unwrap_or_default();
    (words.join(" "), first, words.len())
}

/// Loads a `name aliases kind country admin lat lon population` table.
pub(crate) fn load(table: &Table, gazetteer: &mut Gazetteer) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [name, aliases, kind, country, admin, lat, lon, population] = row.cells[..] else {
            unreachable!("the table checked the column count");
        };
        let kind = match kind {
            "city" => PlaceKind::City,
            "region" => PlaceKind::Region,
            "country" => PlaceKind::Country,
            other => {
                return Err(table.error(
                    row.line,
                    format!("unknown place kind {other:?} (city, region or country)"),
                ));
            }
        };
        if country.len() != 3 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(table.error(
                row.line,
                format!("country {country:?} must be three capital letters"),
            ));
        }
        let coordinate = |cell: &str, limit: f64| {
            cell.parse::<f64>()
                .ok()
                .filter(|v| v.abs() <= limit)
                .ok_or_else(|| table.error(row.line, format!("bad coordinate {cell:?}")))
        };
        let place = Place {
            name: name.to_string(),
            kind,
            country: country.to_string(),
            admin: admin.to_string(),
            lat: coordinate(lat, 90.0)?,
            lon: coordinate(lon, 180.0)?,
            population: population.parse().map_err(|_| {
                table.error(
                    row.line,
                    format!("population {population:?} is not a number"),
                )
            })?,
        };
        let aliases: Vec<&str> = super::table::list(aliases).collect();
        gazetteer.add(place, &aliases);
    }
    Ok(())
}
