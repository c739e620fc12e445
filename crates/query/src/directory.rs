//! The actors the store knows, held in memory for validation, names and
//! search, and reloaded when they may have changed.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use dyad_store::{KnownActor, Store, StoreError};

/// How long a loaded directory is used before it is loaded again.
const FRESH_FOR: Duration = Duration::from_secs(10);
/// A code not in the directory reloads it only when it is older than this.
const RELOAD_ON_MISS_AFTER: Duration = Duration::from_millis(500);

/// Every actor of the store, indexed.
#[derive(Debug, Default)]
pub struct Directory {
    actors: Vec<KnownActor>,
    by_code: HashMap<String, usize>,
    countries: HashSet<String>,
}

impl Directory {
    /// Indexes `actors`.
    pub fn new(actors: Vec<KnownActor>) -> Self {
        let by_code = actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.actor.code.clone(), i))
            .collect();
        let countries = actors
            .iter()
            .flat_map(|a| [a.actor.country_code.clone(), a.actor.code.clone()])
            .filter(|c| !c.is_empty())
            .collect();
        Self {
            actors,
            by_code,
            countries,
        }
    }

    /// Whether an actor has this code.
    pub fn knows_code(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// Whether an actor belongs to this country or organisation.
    pub fn knows_country(&self, country: &str) -> bool {
        self.countries.contains(country)
    }

    /// The actor with this code.
    pub fn get(&self, code: &str) -> Option<&KnownActor> {
        self.by_code.get(code).map(|&i| &self.actors[i])
    }

    /// The name of an actor or country code (a country's name is that of
    /// the actor whose code is the country's).
    pub fn name_of(&self, code: &str) -> String {
        self.get(code)
            .map(|a| a.actor.name.clone())
            .unwrap_or_default()
    }

    /// The country of an actor code; unknown codes are taken by their first
    /// three letters, the way actor codes are built.
    pub fn country_of<'a>(&'a self, code: &'a str) -> &'a str {
        match self.get(code) {
            Some(a) if !a.actor.country_code.is_empty() => &a.actor.country_code,
            _ => code.get(..3).unwrap_or(code),
        }
    }

    /// Actors matching `query`, best first, with a score in (0, 1]: 1 for the
    /// exact code or name, then prefixes of codes and names, prefixes of a
    /// word of a name, and names within a small spelling distance.
    pub fn search(&self, query: &str, limit: usize) -> Vec<(&KnownActor, f64)> {
        let query = query.trim().to_lowercase();
        let mut scored: Vec<(&KnownActor, f64)> = self
            .actors
            .iter()
            .filter_map(|actor| {
                let score = score(&query, actor);
                (score >= 0.6).then_some((actor, score))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| a.0.actor.code.len().cmp(&b.0.actor.code.len()))
                .then_with(|| a.0.actor.code.cmp(&b.0.actor.code))
        });
        scored.truncate(limit);
        scored
    }
}

/// How well `query` (lower-case) names `actor`.
fn score(query: &str, actor: &KnownActor) -> f64 {
    let code = actor.actor.code.to_lowercase();
    let names = std::iter::once(&actor.actor.name)
        .chain(&actor.aliases)
        .map(|n| n.to_lowercase());
    let mut best: f64 = 0.0;
    // How much of the candidate the query covers, to prefer "RUS" to
    // "RUSGOVPUT" for "rus".
    let coverage = |candidate: &str| query.len() as f64 / candidate.len().max(1) as f64;
    if code == query {
        return 1.0;
    }
    if code.starts_with(query) {
        best = best.max(0.8 + 0.15 * coverage(&code));
    }
    for name in names {
        if name == query {
            return 1.0;
        }
        if name.starts_with(query) {
            best = best.max(0.75 + 0.15 * coverage(&name));
        } else if name
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| word.starts_with(query))
        {
            best = best.max(0.7);
        }
        if query.len() >= 4 {
            let whole = strsim::jaro_winkler(query, &name);
            let word = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 3)
                .map(|w| strsim::jaro_winkler(query, w))
                .fold(0.0, f64::max);
            let similar = whole.max(word);
            if similar >= 0.85 {
                best = best.max(0.7 * similar);
            }
        }
    }
    best
}

/// The directory of a store, loaded lazily and kept fresh.
pub struct Directories {
    store: Arc<dyn Store>,
    loaded: Mutex<Option<(Arc<Directory>, Instant)>>,
}

impl Directories {
    /// Directories of `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            loaded: Mutex::new(None),
        }
    }

    /// The directory, loaded again when it is stale, or when `missing` says
    /// it lacks something a request names and it is not brand new.
    pub async fn current(
        &self,
        missing: impl Fn(&Directory) -> bool,
    ) -> Result<Arc<Directory>, StoreError> {
        let cached = self
            .loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some((directory, at)) = cached {
            let age = at.elapsed();
            let stale = age > FRESH_FOR || (age > RELOAD_ON_MISS_AFTER && missing(&directory));
            if !stale {
                return Ok(directory);
            }
        }
        let directory = Arc::new(Directory::new(self.store.actors().await?));
        *self.loaded.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((directory.clone(), Instant::now()));
        Ok(directory)
    }
}

#[cfg(test)]
mod tests {
    use dyad_proto::v1::Actor;

    use super::*;

    fn actor(code: &str, name: &str, aliases: &[&str]) -> KnownActor {
        KnownActor::new(
            Actor {
                code: code.into(),
                name: name.into(),
                country_code: code[..3].into(),
                ..Default::default()
            },
            aliases.iter().map(|a| a.to_string()).collect(),
        )
    }

    #[test]
    fn finds_by_code_name_alias_and_misspelling() {
        let directory = Directory::new(vec![
            actor("RUS", "Russia", &[]),
            actor("RUSGOV", "Russian government", &["the Kremlin", "Moscow"]),
            actor("ARMGOVPAS", "Nikol Pashinyan", &["Pashinyan"]),
            actor("ARM", "Armenia", &[]),
        ]);
        let codes = |q: &str| -> Vec<String> {
            directory
                .search(q, 10)
                .iter()
                .map(|(a, _)| a.actor.code.clone())
                .collect()
        };
        assert_eq!(codes("rus"), ["RUS", "RUSGOV"]);
        assert_eq!(codes("kremlin"), ["RUSGOV"]);
        assert_eq!(codes("Pashinian"), ["ARMGOVPAS"]);
        assert_eq!(codes("armenia"), ["ARM"]);
        assert!(codes("zzzz").is_empty());
        assert_eq!(directory.search("RUSGOV", 1)[0].1, 1.0);
        assert_eq!(directory.country_of("ARMGOVPAS"), "ARM");
        assert_eq!(directory.country_of("XYZMIL"), "XYZ");
        assert!(directory.knows_country("RUS") && !directory.knows_country("USA"));
    }
}
