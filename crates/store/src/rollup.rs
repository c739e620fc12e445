//! The relation rollups: counts of asserted events kept up to date in the
//! transaction that stores them, so that relation questions over years read
//! a few thousand rows instead of scanning events.
//!
//! Seven tables share one shape (`source`, `target`, `day`, `date_precision`,
//! the sides' countries, the counts): `dyad_days` and `dyad_months` per
//! directed pair of actor codes, `country_dyad_months` and
//! `country_dyad_years` per directed pair of countries, `actor_months` and
//! `country_months` per actor or country on either side (an event between
//! two actors of one country counts once for it), and `total_months` for all
//! events. A window is read in its largest whole units: days at its ends,
//! then months, then (for country pairs) years.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use dyad_proto::v1::{Event, Modality};

use crate::{
    EventFilter, Grain, Grouping, Level, Tally, TallyRow,
    detail::code_and_country,
    listing::{Predicate, actor_branches, add_actors, add_dates, add_event_details, refs},
};

/// One of the rollup tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum RollupTable {
    /// Per directed actor pair and day.
    DyadDays,
    /// Per directed actor pair and month.
    DyadMonths,
    /// Per directed country pair and month (`source` and `target` hold the
    /// countries).
    CountryDyadMonths,
    /// Per directed country pair and year: a graph of a year or more reads
    /// each pair once a year, not twelve times.
    CountryDyadYears,
    /// Per actor code and month.
    ActorMonths,
    /// Per country and month.
    CountryMonths,
    /// All events per month.
    TotalMonths,
}

impl RollupTable {
    /// Every rollup table.
    pub const ALL: [RollupTable; 7] = [
        Self::DyadDays,
        Self::DyadMonths,
        Self::CountryDyadMonths,
        Self::CountryDyadYears,
        Self::ActorMonths,
        Self::CountryMonths,
        Self::TotalMonths,
    ];

    /// The table's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::DyadDays => "dyad_days",
            Self::DyadMonths => "dyad_months",
            Self::CountryDyadMonths => "country_dyad_months",
            Self::CountryDyadYears => "country_dyad_years",
            Self::ActorMonths => "actor_months",
            Self::CountryMonths => "country_months",
            Self::TotalMonths => "total_months",
        }
    }
}

/// The key of a rollup row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct RollupKey {
    pub table: RollupTable,
    pub source: String,
    pub target: String,
    pub day: String,
    pub precision: i32,
}

/// A rollup key borrowed from an event: looked up without allocating, and
/// hashed exactly as the owned [`RollupKey`] (same fields, `str` for `String`).
#[derive(Hash)]
struct RollupKeyRef<'a> {
    table: RollupTable,
    source: &'a str,
    target: &'a str,
    day: &'a str,
    precision: i32,
}

impl hashbrown::Equivalent<RollupKey> for RollupKeyRef<'_> {
    fn equivalent(&self, key: &RollupKey) -> bool {
        self.table == key.table
            && self.precision == key.precision
            && self.source == key.source
            && self.target == key.target
            && self.day == key.day
    }
}

impl RollupKeyRef<'_> {
    fn to_owned(&self) -> RollupKey {
        RollupKey {
            table: self.table,
            source: self.source.to_string(),
            target: self.target.to_string(),
            day: self.day.to_string(),
            precision: self.precision,
        }
    }
}

/// How much a rollup row moves.
#[derive(Debug, Clone, Default)]
pub(crate) struct RollupDelta {
    pub source_country: String,
    pub target_country: String,
    pub events: i64,
    pub quads: [i64; 4],
    pub goldstein: f64,
    pub mentions: i64,
}

/// What the rollups need to know of an event.
#[derive(Debug, Clone)]
pub(crate) struct RollupEvent {
    pub source: String,
    pub source_country: String,
    pub target: String,
    pub target_country: String,
    pub day: String,
    pub precision: i32,
    pub quad_class: i32,
    pub goldstein: f64,
    /// Only asserted events are rolled up.
    pub asserted: bool,
}

impl RollupEvent {
    /// The rollup view of `event`.
    pub fn of(event: &Event) -> Self {
        let (source, source_country) = code_and_country(event.source.as_ref());
        let (target, target_country) = code_and_country(event.target.as_ref());
        let date = event.date.clone().unwrap_or_default();
        Self {
            source,
            source_country,
            target,
            target_country,
            day: date.start_date,
            precision: date.precision,
            quad_class: event.quad_class,
            goldstein: event.goldstein,
            asserted: event.modality == Modality::Asserted as i32,
        }
    }
}

/// The moves of a batch, summed per row before they are written.
#[derive(Debug, Default)]
pub(crate) struct RollupDeltas(hashbrown::HashMap<RollupKey, RollupDelta>);

impl RollupDeltas {
    /// Moves every rollup row of `event` by `events` events and `mentions`
    /// mentions (nothing for an event that is not asserted).
    pub fn add(&mut self, event: &RollupEvent, events: i64, mentions: i64) {
        if !event.asserted || (events == 0 && mentions == 0) {
            return;
        }
        let month = month_of(&event.day);
        let year = year_of(&event.day);
        let none = String::new();
        // (table, source, target, day, source country, target country)
        let mut rows = vec![
            (
                RollupTable::DyadDays,
                &event.source,
                &event.target,
                &event.day,
                &event.source_country,
                &event.target_country,
            ),
            (
                RollupTable::DyadMonths,
                &event.source,
                &event.target,
                &month,
                &event.source_country,
                &event.target_country,
            ),
            (
                RollupTable::CountryDyadMonths,
                &event.source_country,
                &event.target_country,
                &month,
                &event.source_country,
                &event.target_country,
            ),
            (
                RollupTable::CountryDyadYears,
                &event.source_country,
                &event.target_country,
                &year,
                &event.source_country,
                &event.target_country,
            ),
            (
                RollupTable::ActorMonths,
                &event.source,
                &none,
                &month,
                &event.source_country,
                &none,
            ),
            (
                RollupTable::CountryMonths,
                &event.source_country,
                &none,
                &month,
                &event.source_country,
                &none,
            ),
            (RollupTable::TotalMonths, &none, &none, &month, &none, &none),
        ];
        if event.target != event.source {
            rows.push((
                RollupTable::ActorMonths,
                &event.target,
                &none,
                &month,
                &event.target_country,
                &none,
            ));
        }
        if event.target_country != event.source_country {
            rows.push((
                RollupTable::CountryMonths,
                &event.target_country,
                &none,
                &month,
                &event.target_country,
                &none,
            ));
        }
        for (table, source, target, day, source_country, target_country) in rows {
            let key = RollupKeyRef {
                table,
                source,
                target,
                day,
                precision: event.precision,
            };
            let delta = match self.0.get_mut(&key) {
                Some(delta) => delta,
                None => self.0.entry(key.to_owned()).or_insert_with(|| RollupDelta {
                    source_country: source_country.clone(),
                    target_country: target_country.clone(),
                    ..Default::default()
                }),
            };
            delta.events += events;
            delta.quads[(event.quad_class.clamp(1, 4) - 1) as usize] += events;
            delta.goldstein += event.goldstein * events as f64;
            delta.mentions += mentions;
        }
    }

    /// The moves of one table, in key order (the order locks are taken).
    pub fn of_table(&self, table: RollupTable) -> Vec<(&RollupKey, &RollupDelta)> {
        let mut rows: Vec<_> = self.0.iter().filter(|(k, _)| k.table == table).collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        rows
    }
}

/// The first day of `day`'s month ("2024-05-08" → "2024-05-01").
pub(crate) fn month_of(day: &str) -> String {
    match day.get(..8) {
        Some(prefix) => format!("{prefix}01"),
        None => day.to_string(),
    }
}

/// The first day of `day`'s year ("2024-05-08" → "2024-01-01").
pub(crate) fn year_of(day: &str) -> String {
    match day.get(..5) {
        Some(prefix) => format!("{prefix}01-01"),
        None => day.to_string(),
    }
}

/// The first day of the first year that starts on or after `day`.
fn next_year_start(day: &str) -> String {
    let year = year_of(day);
    if year == day {
        return year;
    }
    match day.get(..4).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => format!("{:04}-01-01", y + 1),
        None => year,
    }
}

/// The first day of the first month that starts on or after `day`.
fn next_month_start(day: &str) -> String {
    let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return month_of(day);
    };
    if date.day() == 1 {
        return day.to_string();
    }
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    format!("{year:04}-{month:02}-01")
}

/// Whether the rollups hold what `filter` asks for: asserted events,
/// filtered by actor code or country, dates and precision only.
pub(crate) fn rollup_can_answer(filter: &EventFilter) -> bool {
    filter.cameo_codes.is_empty()
        && filter.quad_classes.is_empty()
        && filter.modalities == [Modality::Asserted as i32]
        && filter.actor.role.is_empty()
        && filter.counterpart.role.is_empty()
        && filter.place_country.is_empty()
        && filter.place_box.is_none()
        && filter.min_sources <= 1
        && filter.min_confidence <= 0.0
}

/// One SQL statement of a tally, with its text parameters.
#[derive(Debug)]
pub(crate) struct TallyStatement {
    pub sql: String,
    pub params: Vec<String>,
}

/// Where a tally reads one stretch of its window from.
enum Source {
    Events,
    Rollup(RollupTable),
}

/// The statements whose rows, summed per key, make the tally of `filter`
/// grouped by `grouping`. Each selects period, source key, target key,
/// events, the four quad counts, Goldstein sum and mentions.
pub(crate) fn tally_statements(
    filter: &EventFilter,
    grouping: &Grouping,
    placeholder: fn(usize) -> String,
) -> Vec<TallyStatement> {
    if !rollup_can_answer(filter) {
        return vec![statement(Source::Events, filter, grouping, placeholder)];
    }
    // The rollups coarser than days this tally can be read from, finest
    // first.
    let mut units = Vec::new();
    if grouping.grain != Some(Grain::Day) {
        let months = month_table(filter, grouping);
        units.push(Unit {
            table: months,
            first_after: next_month_start,
            first_of: month_of,
        });
        if months == RollupTable::CountryDyadMonths && grouping.grain.is_none() {
            units.push(Unit {
                table: RollupTable::CountryDyadYears,
                first_after: next_year_start,
                first_of: year_of,
            });
        }
    }
    let mut stretches = Vec::new();
    split_window(
        &filter.start_date,
        &filter.end_date,
        RollupTable::DyadDays,
        &units,
        &mut stretches,
    );
    stretches
        .into_iter()
        .map(|(table, start, end)| {
            let stretch = EventFilter {
                start_date: start,
                end_date: end,
                ..filter.clone()
            };
            statement(Source::Rollup(table), &stretch, grouping, placeholder)
        })
        .collect()
}

/// A rollup coarser than days and the period its rows cover.
struct Unit {
    table: RollupTable,
    /// The first day of the first period starting on or after a day.
    first_after: fn(&str) -> String,
    /// The first day of a day's period.
    first_of: fn(&str) -> String,
}

/// Splits the window [`start`, `end`) ("" leaves a side open) into stretches
/// each read from `finest` or one of `coarser` (finest first): the coarsest
/// unit's whole periods in the middle, finer ones towards the ends.
fn split_window(
    start: &str,
    end: &str,
    finest: RollupTable,
    coarser: &[Unit],
    stretches: &mut Vec<(RollupTable, String, String)>,
) {
    let Some((next, rest)) = coarser.split_first() else {
        stretches.push((finest, start.to_string(), end.to_string()));
        return;
    };
    let whole = |day: &str, f: fn(&str) -> String| {
        if day.is_empty() {
            String::new()
        } else {
            f(day)
        }
    };
    let inner_start = whole(start, next.first_after);
    let inner_end = whole(end, next.first_of);
    if !start.is_empty() && !end.is_empty() && inner_start >= inner_end {
        stretches.push((finest, start.to_string(), end.to_string()));
        return;
    }
    if !start.is_empty() && start < inner_start.as_str() {
        stretches.push((finest, start.to_string(), inner_start.clone()));
    }
    split_window(&inner_start, &inner_end, next.table, rest, stretches);
    if !end.is_empty() && inner_end.as_str() < end {
        stretches.push((finest, inner_end, end.to_string()));
    }
}

/// The smallest month table that answers `filter` grouped by `grouping`.
fn month_table(filter: &EventFilter, grouping: &Grouping) -> RollupTable {
    let single_side = grouping.source == Level::Whole
        && grouping.target == Level::Whole
        && filter.counterpart.is_empty()
        && !filter.directed;
    let countries_only = filter.actor.code.is_empty()
        && filter.counterpart.code.is_empty()
        && grouping.source != Level::Actor
        && grouping.target != Level::Actor;
    match (&filter.actor.code[..], &filter.actor.country[..]) {
        ("", "") if single_side => RollupTable::TotalMonths,
        (_, "") if single_side => RollupTable::ActorMonths,
        ("", _) if single_side => RollupTable::CountryMonths,
        _ if countries_only => RollupTable::CountryDyadMonths,
        _ => RollupTable::DyadMonths,
    }
}

/// `filter` and `grouping` as they read on the country pair table, whose
/// `source` and `target` columns hold countries: countries become codes.
fn on_country_pairs(filter: &EventFilter, grouping: &Grouping) -> (EventFilter, Grouping) {
    let as_code = |actor: &crate::ActorMatch| crate::ActorMatch {
        code: actor.country.clone(),
        ..Default::default()
    };
    let as_actor = |level: Level| match level {
        Level::Country => Level::Actor,
        other => other,
    };
    (
        EventFilter {
            actor: as_code(&filter.actor),
            counterpart: as_code(&filter.counterpart),
            ..filter.clone()
        },
        Grouping {
            grain: grouping.grain,
            source: as_actor(grouping.source),
            target: as_actor(grouping.target),
        },
    )
}

/// The statement tallying `filter` from `source`.
fn statement(
    source: Source,
    filter: &EventFilter,
    grouping: &Grouping,
    placeholder: fn(usize) -> String,
) -> TallyStatement {
    if matches!(
        source,
        Source::Rollup(RollupTable::CountryDyadMonths | RollupTable::CountryDyadYears)
    ) {
        let (filter, grouping) = on_country_pairs(filter, grouping);
        return statement_as_is(source, &filter, &grouping, placeholder);
    }
    statement_as_is(source, filter, grouping, placeholder)
}

/// The statement tallying `filter` from `source`, columns as named.
fn statement_as_is(
    source: Source,
    filter: &EventFilter,
    grouping: &Grouping,
    placeholder: fn(usize) -> String,
) -> TallyStatement {
    let mut predicate = Predicate::new(placeholder);
    let day = match source {
        Source::Events => "date_start",
        Source::Rollup(_) => "day",
    };
    match source {
        Source::Events => add_actors(&mut predicate, filter),
        Source::Rollup(RollupTable::ActorMonths) => {
            predicate.add("source = ?", &[&filter.actor.code]);
        }
        Source::Rollup(RollupTable::CountryMonths) => {
            predicate.add("source = ?", &[&filter.actor.country]);
        }
        Source::Rollup(RollupTable::TotalMonths) => {}
        Source::Rollup(_) => add_actors(&mut predicate, filter),
    }
    add_dates(&mut predicate, filter, day);
    if matches!(source, Source::Events) {
        add_event_details(&mut predicate, filter);
    }
    let period = match grouping.grain {
        None => None,
        Some(Grain::Day) => Some(day.to_string()),
        Some(Grain::Month) => Some(format!("substr({day}, 1, 8) || '01'")),
    };
    let key = |level: Level, side: &str| match level {
        Level::Whole => None,
        Level::Actor => Some(side.to_string()),
        Level::Country => Some(format!("{side}_country")),
    };
    let keys = [
        period,
        key(grouping.source, "source"),
        key(grouping.target, "target"),
    ];
    let selected: Vec<String> = keys
        .iter()
        .map(|k| k.clone().unwrap_or_else(|| "''".to_string()))
        .collect();
    let grouped: Vec<String> = keys.iter().flatten().cloned().collect();
    let sums = match source {
        Source::Events => "count(*), \
            CAST(coalesce(sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(coalesce(sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(coalesce(sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(coalesce(sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(coalesce(sum(goldstein), 0) AS DOUBLE PRECISION), \
            CAST(coalesce(sum(num_mentions), 0) AS BIGINT)"
            .to_string(),
        Source::Rollup(_) => [
            "events",
            "verbal_cooperation",
            "material_cooperation",
            "verbal_conflict",
            "material_conflict",
        ]
        .iter()
        .map(|c| format!("CAST(coalesce(sum({c}), 0) AS BIGINT)"))
        .chain([
            "CAST(coalesce(sum(goldstein_sum), 0) AS DOUBLE PRECISION)".to_string(),
            "CAST(coalesce(sum(mentions), 0) AS BIGINT)".to_string(),
        ])
        .collect::<Vec<_>>()
        .join(", "),
    };
    let table = match source {
        Source::Events => "events",
        Source::Rollup(table) => table.name(),
    };
    let group_by = if grouped.is_empty() {
        String::new()
    } else {
        format!(" GROUP BY {}", grouped.join(", "))
    };
    TallyStatement {
        sql: format!(
            "SELECT {}, {sums} FROM {table} {}{group_by}",
            selected.join(", "),
            predicate.where_clause()
        ),
        params: predicate.params,
    }
}

/// The statement of the first and last event day matching `filter`: per
/// actor branch one `min` and one `max` subquery, each answered from the
/// ends of an index range rather than by reading the range.
pub(crate) fn span_statement(
    filter: &EventFilter,
    placeholder: fn(usize) -> String,
) -> TallyStatement {
    let (table, day) = if rollup_can_answer(filter) {
        ("dyad_days", "day")
    } else {
        ("events", "date_start")
    };
    let mut predicate = Predicate::new(placeholder);
    let branches = actor_branches(filter);
    let mut spans = Vec::new();
    for branch in branches
        .iter()
        .map(Some)
        .chain(branches.is_empty().then_some(None))
    {
        let mut ends = Vec::new();
        for aggregate in ["min", "max"] {
            if let Some((clause, values)) = branch {
                predicate.add(clause, &refs(values));
            }
            add_dates(&mut predicate, filter, day);
            if table == "events" {
                add_event_details(&mut predicate, filter);
            }
            ends.push(format!(
                "(SELECT {aggregate}({day}) FROM {table} {})",
                predicate.take_where()
            ));
        }
        spans.push(format!(
            "SELECT {} AS first_day, {} AS last_day",
            ends[0], ends[1]
        ));
    }
    TallyStatement {
        sql: format!(
            "SELECT min(first_day), max(last_day) FROM ({}) AS spans",
            spans.join(" UNION ALL ")
        ),
        params: predicate.params,
    }
}

/// Sums rows with the same key and leaves out empty ones.
pub(crate) fn merge(rows: Vec<TallyRow>) -> Vec<TallyRow> {
    let mut merged: HashMap<(String, String, String), Tally> = HashMap::new();
    for row in rows {
        merged
            .entry((row.period, row.source, row.target))
            .or_default()
            .add(&row.tally);
    }
    merged
        .into_iter()
        .filter(|(_, tally)| tally.events != 0 || tally.mentions != 0)
        .map(|((period, source, target), tally)| TallyRow {
            period,
            source,
            target,
            tally,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asserted(filter: EventFilter) -> EventFilter {
        EventFilter {
            modalities: vec![Modality::Asserted as i32],
            ..filter
        }
    }

    #[test]
    fn months_inside_the_window_come_from_a_month_table() {
        let filter = asserted(EventFilter {
            start_date: "2020-01-15".into(),
            end_date: "2020-06-10".into(),
            ..EventFilter::actor_code("RUSGOV")
        });
        let grouping = Grouping {
            grain: Some(Grain::Month),
            ..Default::default()
        };
        let statements = tally_statements(&filter, &grouping, |n| format!("?{n}"));
        let tables: Vec<&str> = statements
            .iter()
            .map(|s| {
                s.sql
                    .split(" FROM ")
                    .nth(1)
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
            })
            .collect();
        assert_eq!(tables, ["dyad_days", "actor_months", "dyad_days"]);
        assert_eq!(
            statements[0].params,
            ["RUSGOV", "RUSGOV", "2020-01-15", "2020-02-01"]
        );
        assert_eq!(statements[1].params, ["RUSGOV", "2020-02-01", "2020-06-01"]);
        assert_eq!(
            statements[2].params,
            ["RUSGOV", "RUSGOV", "2020-06-01", "2020-06-10"]
        );
    }

    #[test]
    fn whole_years_of_country_pairs_come_from_the_year_table() {
        let filter = asserted(EventFilter {
            start_date: "2016-03-17".into(),
            end_date: "2019-11-04".into(),
            ..Default::default()
        });
        let grouping = Grouping {
            grain: None,
            source: Level::Country,
            target: Level::Country,
        };
        let statements = tally_statements(&filter, &grouping, |n| format!("?{n}"));
        let read: Vec<(&str, &[String])> = statements
            .iter()
            .map(|s| {
                let table = s.sql.split(" FROM ").nth(1).unwrap().split(' ').next();
                (table.unwrap(), &s.params[..])
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    "dyad_days",
                    &["2016-03-17".to_string(), "2016-04-01".into()][..]
                ),
                (
                    "country_dyad_months",
                    &["2016-04-01".into(), "2017-01-01".into()][..]
                ),
                (
                    "country_dyad_years",
                    &["2017-01-01".into(), "2019-01-01".into()][..]
                ),
                (
                    "country_dyad_months",
                    &["2019-01-01".into(), "2019-11-01".into()][..]
                ),
                ("dyad_days", &["2019-11-01".into(), "2019-11-04".into()][..]),
            ]
        );
        let monthly = Grouping {
            grain: Some(Grain::Month),
            ..grouping
        };
        assert!(
            tally_statements(&filter, &monthly, |n| format!("?{n}"))
                .iter()
                .all(|s| !s.sql.contains("_years")),
            "months asked for are read from months"
        );
    }

    #[test]
    fn filters_the_rollups_lack_read_the_events() {
        let filter = asserted(EventFilter {
            cameo_codes: vec!["19".into()],
            ..EventFilter::actor_code("RUSGOV")
        });
        let statements = tally_statements(&filter, &Grouping::default(), |n| format!("?{n}"));
        assert_eq!(statements.len(), 1);
        assert!(statements[0].sql.contains("FROM events"));
    }

    #[test]
    fn a_domestic_event_counts_once_for_its_country() {
        let event = RollupEvent {
            source: "RUSGOV".into(),
            source_country: "RUS".into(),
            target: "RUSOPP".into(),
            target_country: "RUS".into(),
            day: "2024-05-08".into(),
            precision: 1,
            quad_class: 4,
            goldstein: -10.0,
            asserted: true,
        };
        let mut deltas = RollupDeltas::default();
        deltas.add(&event, 1, 2);
        assert_eq!(deltas.of_table(RollupTable::CountryMonths).len(), 1);
        assert_eq!(deltas.of_table(RollupTable::ActorMonths).len(), 2);
        let (key, delta) = deltas.of_table(RollupTable::DyadMonths)[0];
        assert_eq!(
            (key.day.as_str(), delta.quads),
            ("2024-05-01", [0, 0, 0, 1])
        );
    }
}
