//! `ListRelations`: an actor's counterparts in a window, ranked, against
//! the previous window of the same length.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, Utc};
use dyad_proto::v1::Modality;
use dyad_proto::v1::{
    ActorLevel, ListRelationsRequest, ListRelationsResponse, Relation, RelationOrder,
};
use dyad_store::{ActorMatch, EventFilter, Grouping, Level, Tally};

use crate::{
    Querier,
    directory::Directory,
    error::QueryError,
    page_token, request,
    series::{net_cooperation, tally_message},
};

/// Counterparts returned when the request gives no limit.
const DEFAULT_LIMIT: usize = 20;
/// Most counterparts returned.
const MAX_LIMIT: usize = 500;
/// Window length when the request gives no start.
const DEFAULT_WINDOW_DAYS: u64 = 365;

/// Events to and from each counterpart.
type Sides = HashMap<String, (Tally, Tally)>;

/// The store level of a request's actor level (default: country).
pub fn level_of(field: &'static str, value: i32) -> Result<Level, QueryError> {
    match ActorLevel::try_from(value) {
        Ok(ActorLevel::Unspecified | ActorLevel::Country) => Ok(Level::Country),
        Ok(ActorLevel::Actor) => Ok(Level::Actor),
        Err(_) => Err(QueryError::invalid(
            field,
            format!("{value} is not an actor level"),
        )),
    }
}

/// The match of a counterpart code at `level`.
pub fn match_at(level: Level, code: &str) -> ActorMatch {
    match level {
        Level::Actor => ActorMatch {
            code: code.to_string(),
            ..Default::default()
        },
        _ => ActorMatch {
            country: code.to_string(),
            ..Default::default()
        },
    }
}

/// Whether `code` (at `level`) is on the home side of an actor of
/// `home_country`: the country itself, or one of its actors.
pub fn is_domestic(directory: &Directory, level: Level, code: &str, home_country: &str) -> bool {
    match level {
        Level::Actor => directory.country_of(code) == home_country,
        _ => code == home_country,
    }
}

/// What a page of relations belongs to: the request but its page token,
/// with its window resolved (an open window moves with the day).
fn relations_scope(request: &ListRelationsRequest, start: NaiveDate, end: NaiveDate) -> String {
    let first_page = ListRelationsRequest {
        page_token: String::new(),
        ..request.clone()
    };
    format!("relations|{first_page:?}|{start}|{end}")
}

impl Querier {
    /// The ranked relations of a request's actor.
    pub(crate) async fn relations(
        &self,
        request: ListRelationsRequest,
    ) -> Result<ListRelationsResponse, QueryError> {
        let directory = self.directory(&[request.actor.as_ref()]).await?;
        let actor = request::actor_match("actor", request.actor.as_ref(), Some(&directory))?;
        if actor.code.is_empty() && actor.country.is_empty() {
            return Err(QueryError::invalid(
                "actor",
                "is required: give an actor code or a country code",
            ));
        }
        if !actor.role.is_empty() {
            return Err(QueryError::invalid(
                "actor.role",
                "is not supported here: give an actor code (\"RUSGOV\") instead",
            ));
        }
        let end = match request::day_of("end_time", &request.end_time)? {
            Some(end) => end,
            None => Utc::now().date_naive() + Days::new(1),
        };
        let start = match request::day_of("start_time", &request.start_time)? {
            Some(start) => start,
            None => end - Days::new(DEFAULT_WINDOW_DAYS),
        };
        request::check_order(start, end, "end_time")?;
        let level = level_of("level", request.level)?;
        let order = RelationOrder::try_from(request.order).map_err(|_| {
            QueryError::invalid("order", format!("{} is not an order", request.order))
        })?;
        let limit = request::limit("limit", request.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
        let min_confidence = request::min_confidence("min_confidence", request.min_confidence)?;
        let previous_start = start - (end - start);
        let (current, previous) = tokio::try_join!(
            self.sides(&actor, level, (start, end), min_confidence),
            self.sides(&actor, level, (previous_start, start), min_confidence)
        )?;
        let home = if actor.country.is_empty() {
            directory.country_of(&actor.code).to_string()
        } else {
            actor.country.clone()
        };
        let mut ranked: Vec<Ranked> = current
            .into_iter()
            .filter(|(code, _)| {
                !code.is_empty()
                    && *code != actor.code
                    && (request.include_domestic || !is_domestic(&directory, level, code, &home))
            })
            .map(|(counterpart, (outgoing, incoming))| {
                let mut combined = outgoing;
                combined.add(&incoming);
                let mut previous_both = Tally::default();
                if let Some((o, i)) = previous.get(&counterpart) {
                    previous_both.add(o);
                    previous_both.add(i);
                }
                Ranked {
                    counterpart,
                    outgoing,
                    incoming,
                    combined,
                    previous: previous_both,
                }
            })
            .filter(|r| r.combined.events >= i64::from(request.min_events))
            .collect();
        ranked.sort_by(|a, b| {
            let volume = b.combined.events.cmp(&a.combined.events);
            let cooperation = net_cooperation(&b.combined).total_cmp(&net_cooperation(&a.combined));
            match order {
                RelationOrder::Cooperation => cooperation.then(volume),
                RelationOrder::Conflict => cooperation.reverse().then(volume),
                _ => volume,
            }
            .then_with(|| a.counterpart.cmp(&b.counterpart))
        });
        let scope = relations_scope(&request, start, end);
        let offset = page_token::offset_of("page_token", &request.page_token, &scope)?;
        let (ranked, next_page_token) = page_token::page_of(ranked, offset, limit, &scope);
        let window = EventFilter {
            actor: actor.clone(),
            start_date: start.to_string(),
            end_date: end.to_string(),
            modalities: vec![Modality::Asserted as i32],
            min_confidence,
            ..Default::default()
        };
        let spans = futures_util::future::try_join_all(ranked.iter().map(|r| {
            let filter = EventFilter {
                counterpart: match_at(level, &r.counterpart),
                ..window.clone()
            };
            let store = self.store.clone();
            async move { store.date_span(&filter).await }
        }))
        .await?;
        let relations = ranked
            .into_iter()
            .zip(spans)
            .map(|(r, span)| {
                let (first, last) = span.unwrap_or_default();
                let net_change = if r.previous.events > 0 {
                    net_cooperation(&r.combined) - net_cooperation(&r.previous)
                } else {
                    0.0
                };
                Relation {
                    counterpart_name: directory.name_of(&r.counterpart),
                    counterpart: r.counterpart,
                    outgoing: Some(tally_message(&r.outgoing)),
                    incoming: Some(tally_message(&r.incoming)),
                    combined: Some(tally_message(&r.combined)),
                    first_event_date: first,
                    last_event_date: last,
                    previous: Some(tally_message(&r.previous)),
                    events_change: r.combined.events - r.previous.events,
                    net_cooperation_change: net_change,
                }
            })
            .collect();
        Ok(ListRelationsResponse {
            relations,
            start_time: Some(request::timestamp_of(start)),
            end_time: Some(request::timestamp_of(end)),
            next_page_token,
        })
    }

    /// Asserted events of at least `min_confidence` from `actor` to each
    /// counterpart (grouped at `level`) and from each counterpart to
    /// `actor`, in `[start, end)`.
    async fn sides(
        &self,
        actor: &ActorMatch,
        level: Level,
        (start, end): (NaiveDate, NaiveDate),
        min_confidence: f64,
    ) -> Result<Sides, QueryError> {
        let base = EventFilter {
            directed: true,
            start_date: start.to_string(),
            end_date: end.to_string(),
            modalities: vec![Modality::Asserted as i32],
            min_confidence,
            ..Default::default()
        };
        let outgoing = EventFilter {
            actor: actor.clone(),
            ..base.clone()
        };
        let incoming = EventFilter {
            counterpart: actor.clone(),
            ..base
        };
        let by_target = Grouping {
            target: level,
            ..Default::default()
        };
        let by_source = Grouping {
            source: level,
            ..Default::default()
        };
        let (out_rows, in_rows) = tokio::try_join!(
            self.store.tally(&outgoing, &by_target),
            self.store.tally(&incoming, &by_source)
        )?;
        let mut sides = Sides::new();
        for row in out_rows {
            sides.entry(row.target).or_default().0.add(&row.tally);
        }
        for row in in_rows {
            sides.entry(row.source).or_default().1.add(&row.tally);
        }
        Ok(sides)
    }
}

/// A counterpart with its counts, while ranking.
struct Ranked {
    counterpart: String,
    outgoing: Tally,
    incoming: Tally,
    combined: Tally,
    previous: Tally,
}
