//! The coder's dictionaries: CAMEO codes, actors and action patterns. They are
//! data files (tab-separated, one entry per line, `#` comments) compiled into
//! the library and extendable at run time with the user's own files.

mod actors;
mod cameo;
mod historic;
mod places;
pub(crate) mod table;
pub(crate) mod verbs;

pub use actors::{ActorEntry, ActorKind, ActorPayload, AgentEntry};
pub use cameo::{CameoCode, QuadClass};
pub use historic::HistoricState;
pub use places::{Gazetteer, Place, PlaceKind};
pub use verbs::VerbPattern;

use std::collections::HashMap;

use crate::matcher::PhraseMatcher;

/// A dictionary file that could not be read, with where and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}:{line}: {message}")]
pub struct DictionaryError {
    /// Name of the file, as given to the loader.
    pub file: String,
    /// One-based line number (0 when the problem is the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The kinds of dictionary file, told apart by their header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictionaryKind {
    /// `country  name  aliases`
    Countries,
    /// `country  name  start  end  successors  aliases`
    HistoricStates,
    /// `name  aliases  country  role  office  start  end`
    People,
    /// `name  aliases  country  role  kind  start  end`
    Groups,
    /// `role  kind  nouns`
    Agents,
    /// `code  name  aliases`
    Organisations,
    /// `country  role  aliases`
    Metonyms,
    /// `code  pattern`
    Verbs,
    /// `name  aliases  kind  country  admin  lat  lon  population`
    Places,
}

const BUILTIN: &[(&str, &str)] = &[
    (
        "actors/countries.tsv",
        include_str!("../../data/actors/countries.tsv"),
    ),
    (
        "actors/historic-states.tsv",
        include_str!("../../data/actors/historic-states.tsv"),
    ),
    (
        "actors/people.tsv",
        include_str!("../../data/actors/people.tsv"),
    ),
    (
        "actors/people-phoenix.tsv",
        include_str!("../../data/actors/people-phoenix.tsv"),
    ),
    (
        "actors/agents.tsv",
        include_str!("../../data/actors/agents.tsv"),
    ),
    (
        "actors/peoples.tsv",
        include_str!("../../data/actors/peoples.tsv"),
    ),
    (
        "actors/organisations.tsv",
        include_str!("../../data/actors/organisations.tsv"),
    ),
    (
        "actors/metonyms.tsv",
        include_str!("../../data/actors/metonyms.tsv"),
    ),
    (
        "actors/groups.tsv",
        include_str!("../../data/actors/groups.tsv"),
    ),
    (
        "actors/agents-phoenix.tsv",
        include_str!("../../data/actors/agents-phoenix.tsv"),
    ),
    (
        "actors/groups-phoenix.tsv",
        include_str!("../../data/actors/groups-phoenix.tsv"),
    ),
    (
        "places/geonames.tsv",
        include_str!("../../data/places/geonames.tsv"),
    ),
    (
        "places/regions.tsv",
        include_str!("../../data/places/regions.tsv"),
    ),
    (
        "verbs/verbs.tsv",
        include_str!("../../data/verbs/verbs.tsv"),
    ),
    (
        "verbs/frames.tsv",
        include_str!("../../data/verbs/frames.tsv"),
    ),
    (
        "verbs/phoenix.tsv",
        include_str!("../../data/verbs/phoenix.tsv"),
    ),
    (
        "verbs/nouns.tsv",
        include_str!("../../data/verbs/nouns.tsv"),
    ),
    (
        WIDENED_ACTIONS,
        include_str!("../../data/verbs/wordnet.tsv"),
    ),
];

/// The action patterns `dyad train lexicon` derives from WordNet. Loaded
/// last: a written or Phoenix pattern with the same words wins over it.
pub const WIDENED_ACTIONS: &str = "verbs/wordnet.tsv";

/// One action pattern of the built-in files, its alternatives spelt out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    /// The file it comes from ("verbs/verbs.tsv").
    pub file: &'static str,
    /// Its code as written ("190", "<071", "---").
    pub code: String,
    /// Its words ("=talks with", "hand over").
    pub pattern: String,
}

/// The built-in action patterns but the WordNet-derived ones: what the
/// widening starts from and must not override.
pub fn builtin_actions() -> Vec<ActionRow> {
    BUILTIN
        .iter()
        .filter(|(file, _)| file.starts_with("verbs/") && *file != WIDENED_ACTIONS)
        .flat_map(|(file, contents)| {
            let table = table::Table::parse(file, contents).expect("built-in files are valid");
            table
                .rows
                .iter()
                .flat_map(|row| {
                    let patterns = verbs::alternatives(row.cells[1]).unwrap_or_default();
                    patterns.into_iter().map(|pattern| ActionRow {
                        file,
                        code: row.cells[0].to_string(),
                        pattern,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The singular and plural of a noun ("attack", "attacks"), as the
/// dictionaries read nouns.
pub fn noun_forms(noun: &str) -> Vec<String> {
    actors::noun_forms(noun)
}

const EVENT_CODES: (&str, &str) = (
    "cameo/eventcodes.tsv",
    include_str!("../../data/cameo/eventcodes.tsv"),
);

/// All dictionaries, ready for matching.
#[derive(Debug, Clone)]
pub struct Dictionaries {
    pub(crate) cameo: cameo::CameoTable,
    pub(crate) actors: PhraseMatcher<ActorPayload>,
    /// Each country's canonical name, by its code.
    country_names: HashMap<String, String>,
    historic_states: Vec<HistoricState>,
    pub(crate) verbs: verbs::Verbs,
    pub(crate) places: Gazetteer,
}

impl Dictionaries {
    /// The dictionaries compiled into the library.
    pub fn builtin() -> Self {
        Self::with_files(std::iter::empty()).expect("built-in dictionaries are valid (tested)")
    }

    /// The built-in dictionaries extended with extra files, each given as
    /// `(file name, contents)`. The header line of each file tells its kind;
    /// see the files under `crates/extract/data/` for the formats.
    pub fn with_files<'a>(
        extra: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DictionaryError> {
        let cameo = cameo::CameoTable::parse(EVENT_CODES.0, EVENT_CODES.1)?;
        let mut actor_files = Vec::new();
        let mut verb_files = Vec::new();
        let mut place_files = Vec::new();
        for (file, contents) in BUILTIN.iter().copied().chain(extra) {
            match table::kind_of(&table::Table::parse_header(file, contents)?)? {
                DictionaryKind::Verbs => verb_files.push((file, contents)),
                DictionaryKind::Places => place_files.push((file, contents)),
                kind => actor_files.push((kind, file, contents)),
            }
        }
        // Verbs on one thread; actors, then places, on this one.
        let (actors, verbs, places) = std::thread::scope(|scope| {
            let verbs = scope.spawn(|| {
                let mut verbs = verbs::Verbs::default();
                for (file, contents) in &verb_files {
                    verbs::load(&table::Table::parse(file, contents)?, &cameo, &mut verbs)?;
                }
                verbs.finish();
                Ok::<_, DictionaryError>(verbs)
            });
            let actors = build_actors(&actor_files);
            let places = (|| {
                let mut places = Gazetteer::default();
                for (file, contents) in &place_files {
                    places::load(&table::Table::parse(file, contents)?, &mut places)?;
                }
                Ok::<_, DictionaryError>(places)
            })();
            let verbs = verbs.join().expect("the verb loader does not panic");
            (actors, verbs, places)
        });
        let ActorTables {
            actors,
            country_names,
            historic_states,
        } = actors?;
        Ok(Self {
            cameo,
            actors,
            country_names,
            historic_states,
            verbs: verbs?,
            places: places?,
        })
    }

    /// The canonical name of the country or organisation with this code
    /// ("MEX" -> "Mexico", "EU" -> "European Union").
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.country_names.get(code).map(String::as_str)
    }

    /// The historic state that an actor of `country` acting on `date` was
    /// part of ("RUS" in 1987 -> the Soviet Union), if any.
    pub fn historic_state(&self, country: &str, date: chrono::NaiveDate) -> Option<&HistoricState> {
        historic::state_on(&self.historic_states, country, date)
    }

    /// Whether `country` is the code of a state that had ceased to exist by
    /// `date` ("SUN" in 2020).
    pub fn defunct_on(&self, country: &str, date: chrono::NaiveDate) -> bool {
        historic::defunct_on(&self.historic_states, country, date)
    }

    /// The CAMEO code entry for `code`, if the code exists.
    pub fn cameo(&self, code: &str) -> Option<&CameoCode> {
        self.cameo.get(code)
    }
}

/// What the actor files make.
struct ActorTables {
    actors: PhraseMatcher<ActorPayload>,
    country_names: HashMap<String, String>,
    historic_states: Vec<HistoricState>,
}

/// The actor phrases of `files`, the countries' names by code and the
/// historic states.
fn build_actors(files: &[(DictionaryKind, &str, &str)]) -> Result<ActorTables, DictionaryError> {
    let mut actors = PhraseMatcher::default();
    let mut names = HashMap::new();
    let mut historic_states = Vec::new();
    for (kind, file, contents) in files {
        let table = &table::Table::parse(file, contents)?;
        match kind {
            DictionaryKind::Countries => actors::load_countries(table, &mut actors, &mut names)?,
            DictionaryKind::HistoricStates => {
                historic::load(table, &mut actors, &mut names, &mut historic_states)?
            }
            DictionaryKind::People => actors::load_people(table, &mut actors)?,
            DictionaryKind::Groups => actors::load_groups(table, &mut actors)?,
            DictionaryKind::Agents => actors::load_agents(table, &mut actors)?,
            DictionaryKind::Organisations => {
                actors::load_organisations(table, &mut actors, &mut names)?
            }
            DictionaryKind::Metonyms => actors::load_metonyms(table, &mut actors)?,
            DictionaryKind::Verbs | DictionaryKind::Places => {
                unreachable!("verb and place tables are loaded apart")
            }
        }
    }
    actors.finish();
    Ok(ActorTables {
        actors,
        country_names: names,
        historic_states,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_dictionaries_load() {
        let dictionaries = Dictionaries::with_files(std::iter::empty()).unwrap();
        assert!(dictionaries.actors.len() > 5_000);
        assert!(dictionaries.verbs.len() > 200);
        assert_eq!(dictionaries.cameo("0874").unwrap().goldstein, 10.0);
        assert!(dictionaries.places.len() > 30_000);
        let yerevan: Vec<_> = dictionaries.places.lookup("yerevan").collect();
        assert_eq!(yerevan[0].country, "ARM");
        assert_eq!(yerevan[0].kind, PlaceKind::City);
        let karabakh = dictionaries
            .places
            .lookup("nagorno - karabakh")
            .next()
            .unwrap();
        assert_eq!(
            (karabakh.country.as_str(), karabakh.kind),
            ("AZE", PlaceKind::Region)
        );
    }

    #[test]
    fn user_files_extend_the_builtin_ones() {
        let extra = "code\tpattern\n173\tround up\n";
        let dictionaries = Dictionaries::with_files([("mine.tsv", extra)]).unwrap();
        assert!(dictionaries.verbs.len() > Dictionaries::builtin().verbs.len());
    }

    #[test]
    fn malformed_files_name_file_and_line() {
        let cases = [
            ("code\tpattern\n999\tfly\n", 2, "unknown CAMEO code"),
            ("code\tpattern\n173\n", 2, "expected 2 columns"),
            (
                "role\tkind\tnouns\nGOV\tnonsense\tclerk\n",
                2,
                "unknown actor kind",
            ),
            (
                "name\taliases\tcountry\trole\tkind\tstart\tend\nFront\t\tFRA\tREB\tnone\t\t\n",
                2,
                "unknown actor kind",
            ),
            (
                "country\tname\taliases\nXX\tNowhere\t\n",
                2,
                "three capital letters",
            ),
            (
                "country\trole\taliases\nRUS\tGOV\tKremlin\nru\tGOV\tMoscow\n",
                3,
                "three capital letters",
            ),
            (
                "code\tname\taliases\nAB-C\tSome Body\t\n",
                2,
                "letters and digits",
            ),
            (
                "name\taliases\tcountry\trole\tkind\tstart\tend\nFront\t\tfr\tREB\tarmed_group\t\t\n",
                2,
                "capital letters or digits",
            ),
            ("cameo\n", 1, "unknown dictionary header"),
            (
                "code\tpattern\n190\t.. fight\n",
                2,
                "must start with a word",
            ),
            (
                "name\taliases\tcountry\trole\toffice\tstart\tend\nA B\t\tFRA\tGOV\tPM\t2020-13-01\t\n",
                2,
                "invalid date",
            ),
            ("what\tis\tthis\n", 1, "unknown dictionary header"),
            (
                "name\taliases\tkind\tcountry\tadmin\tlat\tlon\tpopulation\nX\t\tvillage\tFRA\t\t1\t2\t0\n",
                2,
                "unknown place kind",
            ),
            (
                "name\taliases\tkind\tcountry\tadmin\tlat\tlon\tpopulation\nX\t\tcity\tFRA\t\t91\t2\t0\n",
                2,
                "bad coordinate",
            ),
        ];
        for (contents, line, message) in cases {
            let error = Dictionaries::with_files([("bad.tsv", contents)]).unwrap_err();
            assert_eq!(
                (error.file.as_str(), error.line),
                ("bad.tsv", line),
                "{contents}"
            );
            assert!(error.message.contains(message), "{error}");
        }
    }
}
