//! Actor dictionaries: countries, people with dated roles, role nouns
//! ("agents") and international organisations.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    DictionaryError,
    table::{Row, Table, list},
};
use crate::{matcher::PhraseMatcher, text::phrase_words};

/// What kind of actor an entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A state as a whole.
    State,
    /// A government or one of its civilian parts.
    Government,
    /// Armed forces, police, border guards.
    Military,
    /// A named person.
    Person,
    /// An international organisation.
    Organisation,
    /// A non-state armed group.
    ArmedGroup,
    /// Opposition, civil society, media, business, people.
    Civilian,
}

/// How the text must be written for a name to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// First letter upper case (proper names).
    Capitalized,
    /// All letters upper case (acronyms such as "WHO").
    AllCaps,
}

/// A named actor: a country, a person or an organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorEntry {
    /// Id of the entry, reported as provenance ("person:Vladimir Putin").
    pub id: String,
    /// Country (ISO 3166-1 alpha-3) or organisation code.
    pub country: String,
    /// CAMEO role ("GOV"); empty for a state as a whole.
    pub role: String,
    /// Kind of actor.
    pub kind: ActorKind,
    /// Canonical name.
    pub name: String,
    /// First day the entry applies (people's terms of office).
    pub start: Option<NaiveDate>,
    /// Last day the entry applies.
    pub end: Option<NaiveDate>,
    pub(crate) case: Case,
}

impl ActorEntry {
    /// Whether the entry applies on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= date) && self.end.is_none_or(|e| date <= e)
    }
}

/// A role noun: gives a role to the country it stands with.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentEntry {
    /// Id of the entry ("agent:border guard").
    pub id: String,
    /// CAMEO role code.
    pub role: String,
    /// Kind of actor the role makes.
    pub kind: ActorKind,
}

/// What an actor phrase in the dictionary stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum ActorPayload {
    /// A named actor.
    Named(ActorEntry),
    /// A role noun.
    Agent(AgentEntry),
}

impl ActorPayload {
    /// Whether the matched tokens are written as this entry requires.
    pub(crate) fn case_matches(&self, tokens: &[crate::text::Token]) -> bool {
        match self {
            ActorPayload::Agent(_) => true,
            ActorPayload::Named(entry) => match entry.case {
                Case::Capitalized => tokens.first().is_some_and(|t| t.capitalized),
                Case::AllCaps => tokens
                    .iter()
                    .all(|t| t.all_caps || !t.norm.chars().any(char::is_alphabetic)),
            },
        }
    }
}

fn case_of(name: &str) -> Case {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() <= 6
        && !letters.is_empty()
        && letters.iter().all(|c| c.is_uppercase())
        && !name.contains(' ')
    {
        Case::AllCaps
    } else {
        Case::Capitalized
    }
}

pub(super) fn country_code(
    table: &Table,
    row: &Row,
    cell: &str,
) -> Result<String, DictionaryError> {
    if cell.len() == 3 && cell.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(cell.to_string())
    } else {
        Err(table.error(
            row.line,
            format!("country {cell:?} must be three capital letters (ISO 3166-1 alpha-3)"),
        ))
    }
}

/// Inserts an entry under its name and each of its `|`-separated aliases.
fn insert_names(
    actors: &mut PhraseMatcher<ActorPayload>,
    name: &str,
    aliases: &str,
    entry: &ActorEntry,
) {
    for alias in std::iter::once(name).chain(list(aliases)) {
        insert_name(actors, alias, entry);
    }
}

pub(super) fn insert_name(
    actors: &mut PhraseMatcher<ActorPayload>,
    name: &str,
    entry: &ActorEntry,
) {
    let mut entry = entry.clone();
    entry.case = case_of(name);
    actors.insert(phrase_words(name), ActorPayload::Named(entry));
}

/// The entry of a state as a whole, named `name`.
pub(super) fn state_entry(country: String, name: &str) -> ActorEntry {
    ActorEntry {
        id: format!("country:{country}"),
        country,
        role: String::new(),
        kind: ActorKind::State,
        name: name.to_string(),
        start: None,
        end: None,
        case: Case::Capitalized,
    }
}

pub(crate) fn load_countries(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
    names: &mut HashMap<String, String>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [code, name, aliases] = row.cells[..] else {
            unreachable!("checked by header")
        };
        let country = country_code(table, row, code)?;
        names.insert(country.clone(), name.to_string());
        let entry = state_entry(country, name);
        for alias in std::iter::once(name).chain(list(aliases)) {
            insert_name(actors, alias, &entry);
            if let Some(plural) = demonym_plural(alias) {
                insert_name(actors, &plural, &entry);
            }
        }
    }
    Ok(())
}

/// "Liberian" -> "Liberians", "Iraqi" -> "Iraqis": people of a country.
fn demonym_plural(alias: &str) -> Option<String> {
    (alias.len() > 4 && !alias.contains(' ') && (alias.ends_with("an") || alias.ends_with('i')))
        .then(|| format!("{alias}s"))
}

pub(crate) fn load_people(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [name, aliases, country, role, _office, start, end] = row.cells[..] else {
            unreachable!("checked by header")
        };
        let is_organisation = role == "IGO";
        let country = if is_organisation {
            country.to_string()
        } else {
            country_code(table, row, country)?
        };
        let entry = ActorEntry {
            id: format!("person:{name}"),
            country,
            role: role.to_string(),
            kind: ActorKind::Person,
            name: name.to_string(),
            start: parse_bound(table, row, start, Bound::Start)?,
            end: parse_bound(table, row, end, Bound::End)?,
            case: Case::Capitalized,
        };
        insert_names(actors, name, aliases, &entry);
    }
    Ok(())
}

pub(crate) fn load_organisations(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
    names: &mut HashMap<String, String>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [code, name, aliases] = row.cells[..] else {
            unreachable!("checked by header")
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(table.error(
                row.line,
                format!("organisation code {code:?} must be letters and digits"),
            ));
        }
        let entry = ActorEntry {
            id: format!("organisation:{code}"),
            country: code.to_string(),
            role: "IGO".to_string(),
            kind: ActorKind::Organisation,
            name: name.to_string(),
            start: None,
            end: None,
            case: Case::Capitalized,
        };
        insert_names(actors, name, aliases, &entry);
        names.insert(code.to_string(), name.to_string());
    }
    Ok(())
}

pub(crate) fn load_metonyms(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [country, role, aliases] = row.cells[..] else {
            unreachable!("checked by header")
        };
        let country = country_code(table, row, country)?;
        let entry = ActorEntry {
            id: format!("metonym:{country}{role}"),
            country,
            role: role.to_string(),
            kind: ActorKind::Government,
            name: String::new(),
            start: None,
            end: None,
            case: Case::Capitalized,
        };
        for alias in list(aliases) {
            let mut entry = entry.clone();
            entry.name = alias.trim_start_matches("the ").to_string();
            actors.insert(
                phrase_words(alias.trim_start_matches("the ")),
                ActorPayload::Named(entry),
            );
        }
    }
    Ok(())
}

pub(crate) fn load_groups(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [name, aliases, country, role, kind, start, end] = row.cells[..] else {
            unreachable!("checked by header")
        };
        if country.is_empty()
            || !country
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err(table.error(
                row.line,
                format!("country {country:?} must be capital letters or digits"),
            ));
        }
        let kind = match kind {
            "organisation" => ActorKind::Organisation,
            other => parse_kind(table, row, other)?,
        };
        let entry = ActorEntry {
            id: format!("group:{name}"),
            country: country.to_string(),
            role: role.to_string(),
            kind,
            name: name.to_string(),
            start: parse_bound(table, row, start, Bound::Start)?,
            end: parse_bound(table, row, end, Bound::End)?,
            case: Case::Capitalized,
        };
        insert_names(actors, name, aliases, &entry);
    }
    Ok(())
}

fn parse_kind(table: &Table, row: &Row, kind: &str) -> Result<ActorKind, DictionaryError> {
    match kind {
        "government" => Ok(ActorKind::Government),
        "military" => Ok(ActorKind::Military),
        "civilian" => Ok(ActorKind::Civilian),
        "armed_group" => Ok(ActorKind::ArmedGroup),
        other => Err(table.error(
            row.line,
            format!("unknown actor kind {other:?} (government, military, civilian, armed_group)"),
        )),
    }
}

pub(crate) fn load_agents(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [role, kind, nouns] = row.cells[..] else {
            unreachable!("checked by header")
        };
        let kind = parse_kind(table, row, kind)?;
        for noun in list(nouns) {
            let entry = AgentEntry {
                id: format!("agent:{noun}"),
                role: role.to_string(),
                kind,
            };
            for form in noun_forms(noun) {
                actors.insert(phrase_words(&form), ActorPayload::Agent(entry.clone()));
            }
        }
    }
    Ok(())
}

/// The singular and the regular plural of a noun phrase (last word inflected).
pub(super) fn noun_forms(noun: &str) -> Vec<String> {
    let (head, last) = noun.rsplit_once(' ').map_or(("", noun), |(h, l)| (h, l));
    let plural = if let Some(stem) = last.strip_suffix("man") {
        format!("{stem}men")
    } else if last.ends_with('s') {
        return vec![noun.to_string()];
    } else if let Some(stem) = last
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if last.ends_with("ch") || last.ends_with("sh") || last.ends_with('x') {
        format!("{last}es")
    } else {
        format!("{last}s")
    };
    let plural = if head.is_empty() {
        plural
    } else {
        format!("{head} {plural}")
    };
    vec![noun.to_string(), plural]
}

pub(super) enum Bound {
    Start,
    End,
}

/// Parses YYYY, YYYY-MM or YYYY-MM-DD as the first (start) or last (end) day.
pub(super) fn parse_bound(
    table: &Table,
    row: &Row,
    cell: &str,
    bound: Bound,
) -> Result<Option<NaiveDate>, DictionaryError> {
    if cell.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        table.error(
            row.line,
            format!("invalid date {cell:?} (YYYY, YYYY-MM or YYYY-MM-DD)"),
        )
    };
    let parts: Vec<&str> = cell.split('-').collect();
    let number = |s: &str| s.parse::<u32>().map_err(|_| invalid());
    let year = parts[0].parse::<i32>().map_err(|_| invalid())?;
    let date = match (parts.len(), bound) {
        (1, Bound::Start) => NaiveDate::from_ymd_opt(year, 1, 1),
        (1, Bound::End) => NaiveDate::from_ymd_opt(year, 12, 31),
        (2, Bound::Start) => NaiveDate::from_ymd_opt(year, number(parts[1])?, 1),
        (2, Bound::End) => {
            let month = number(parts[1])?;
            let (y, m) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1)
                .and_then(|d| d.pred_opt())
                .filter(|_| (1..=12).contains(&month))
        }
        (3, _) => NaiveDate::from_ymd_opt(year, number(parts[1])?, number(parts[2])?),
        _ => None,
    };
    date.map(Some).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_of_role_nouns() {
        assert_eq!(
            noun_forms("border guard"),
            vec!["border guard", "border guards"]
        );
        assert_eq!(noun_forms("spokesman"), vec!["spokesman", "spokesmen"]);
        assert_eq!(noun_forms("militia"), vec!["militia", "militias"]);
        assert_eq!(noun_forms("ministry"), vec!["ministry", "ministries"]);
        assert_eq!(noun_forms("armed forces"), vec!["armed forces"]);
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        assert_eq!(case_of("WHO"), Case::AllCaps);
        assert_eq!(case_of("U.N."), Case::AllCaps);
        assert_eq!(case_of("World Bank"), Case::Capitalized);
    }
}
