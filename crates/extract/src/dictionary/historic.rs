//! Historic states: states that existed under another code than today's
//! (the Soviet Union, Yugoslavia, Zaire), with the days they existed.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    DictionaryError,
    actors::{ActorPayload, Bound, country_code, insert_name, parse_bound, state_entry},
    table::{Table, list},
};
use crate::matcher::PhraseMatcher;

/// A state as it was between two days.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoricState {
    /// Its code (ISO 3166-1 alpha-3 as it was, kept in ISO 3166-3): "SUN".
    pub country: String,
    /// Its name: "Soviet Union".
    pub name: String,
    /// First day it existed under this code.
    pub start: NaiveDate,
    /// Last day it existed under this code.
    pub end: NaiveDate,
    /// Today's codes that stood for it in its days ("RUS": Moscow, the Kremlin).
    pub successors: Vec<String>,
    /// Whether the code is still a state's (DEU, West Germany's and Germany's).
    pub current: bool,
}

impl HistoricState {
    /// Whether an actor of `country` acting on `date` is this state.
    pub fn covers(&self, country: &str, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
            && (self.country == country || self.successors.iter().any(|s| s == country))
    }
}

/// Loads a `country name start end successors aliases` table: the names are
/// matched as the historic state, the states kept for [`state_on`].
pub(crate) fn load(
    table: &Table,
    actors: &mut PhraseMatcher<ActorPayload>,
    names: &mut HashMap<String, String>,
    states: &mut Vec<HistoricState>,
) -> Result<(), DictionaryError> {
    for row in &table.rows {
        let [code, name, start, end, successors, aliases] = row.cells[..] else {
            unreachable!("checked by header")
        };
        let country = country_code(table, row, code)?;
        let bound = |cell, bound| {
            parse_bound(table, row, cell, bound)?.ok_or_else(|| {
                table.error(row.line, "a historic state needs its first and last day")
            })
        };
        let current = names.contains_key(&country);
        let state = HistoricState {
            country: country.clone(),
            name: name.to_string(),
            start: bound(start, Bound::Start)?,
            end: bound(end, Bound::End)?,
            successors: list(successors)
                .map(|s| country_code(table, row, s))
                .collect::<Result<_, _>>()?,
            current,
        };
        if state.end < state.start {
            return Err(table.error(row.line, "the last day is before the first"));
        }
        // A current code keeps its current name; a code of the past gets this one.
        names
            .entry(country.clone())
            .or_insert_with(|| name.to_string());
        let entry = state_entry(country, name);
        for alias in std::iter::once(name).chain(list(aliases)) {
            insert_name(actors, alias, &entry);
        }
        states.push(state);
    }
    Ok(())
}

/// Whether `country` is the code of a state that no longer existed on `date`.
pub(crate) fn defunct_on(states: &[HistoricState], country: &str, date: NaiveDate) -> bool {
    states
        .iter()
        .any(|s| s.country == country && !s.current && s.end < date)
}

/// The historic state an actor of `country` acting on `date` belongs to.
pub(crate) fn state_on<'s>(
    states: &'s [HistoricState],
    country: &str,
    date: NaiveDate,
) -> Option<&'s HistoricState> {
    states.iter().find(|s| s.covers(country, date))
}
