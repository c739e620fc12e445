//! What every backend selects and filters on when it reads events or the
//! rollups: the columns read back and the predicate of an [`EventFilter`],
//! written once with the backend's placeholders.

use crate::{ActorMatch, EventCursor, EventFilter};

/// Columns selected for an event, in the order the backends read them.
pub(crate) const EVENT_COLUMNS: &str = "id, cameo_code, cameo_root, cameo_name, quad_class, \
    goldstein, plover_type, date_start, date_end, date_precision, date_basis, date_text, \
    modality, confidence, detail_json, num_mentions, num_articles, num_sources, first_seen, \
    last_seen";

/// Columns selected for a mention, in the order the backends read them.
pub(crate) const MENTION_COLUMNS: &str = "article_id, sentence_index, sentence_start, \
    sentence_end, sentence_text, rule, modality, confidence, coder_version";

/// A `WHERE` clause under construction: clauses joined by AND, with text
/// parameters numbered across them in the backend's way.
pub(crate) struct Predicate {
    clauses: Vec<String>,
    /// The text parameters, in placeholder order.
    pub params: Vec<String>,
    placeholder: fn(usize) -> String,
}

impl Predicate {
    /// An empty predicate; `placeholder(n)` writes the n-th (1-based)
    /// parameter (`?n`, `$n::text`).
    pub fn new(placeholder: fn(usize) -> String) -> Self {
        Self {
            clauses: Vec::new(),
            params: Vec::new(),
            placeholder,
        }
    }

    /// Adds `clause`, each `?` of which takes the next of `values`.
    pub fn add(&mut self, clause: &str, values: &[&str]) {
        let mut parts = clause.split('?');
        let mut numbered = parts.next().unwrap_or_default().to_string();
        for (part, value) in parts.zip(values) {
            self.params.push(value.to_string());
            numbered.push_str(&(self.placeholder)(self.params.len()));
            numbered.push_str(part);
        }
        self.clauses.push(numbered);
    }

    /// `WHERE …`, or nothing when no clause was added.
    pub fn where_clause(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// What a table keeps of an event's sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sides {
    /// The events table: codes, countries and roles, with indexes on the
    /// codes.
    Events,
    /// A dyad rollup: codes and countries of both sides.
    Dyad,
}

/// The condition that side `side` ("source", "target") is an actor `actor`
/// allows, in `?`-form with its values.
fn side_clause(side: &str, actor: &ActorMatch, sides: Sides) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if !actor.code.is_empty() {
        clauses.push(format!("{side} = ?"));
        values.push(actor.code.clone());
    }
    if !actor.country.is_empty() {
        if sides == Sides::Events {
            // Actor codes start with their country's code ("RUS", "RUSGOV"),
            // and `~` sorts after every code character: a range of the code
            // index.
            clauses.push(format!("{side} >= ? AND {side} < ?"));
            values.push(actor.country.clone());
            values.push(format!("{}~", actor.country));
        }
        clauses.push(format!("{side}_country = ?"));
        values.push(actor.country.clone());
    }
    if !actor.role.is_empty() {
        clauses.push(format!("{side}_role = ?"));
        values.push(actor.role.clone());
    }
    (format!("({})", clauses.join(" AND ")), values)
}

/// Adds the actor and dyad conditions of `filter`.
pub(crate) fn add_actors(predicate: &mut Predicate, filter: &EventFilter, sides: Sides) {
    if filter.actor.is_empty() {
        if !filter.counterpart.is_empty() {
            // The counterpart alone: the target (directed) or either side.
            let (target, mut values) = side_clause("target", &filter.counterpart, sides);
            if filter.directed {
                predicate.add(&target, &refs(&values));
            } else {
                let (source, values_s) = side_clause("source", &filter.counterpart, sides);
                values.extend(values_s);
                predicate.add(&format!("({source} OR {target})"), &refs(&values));
            }
        }
        return;
    }
    let (actor_source, mut values_as) = side_clause("source", &filter.actor, sides);
    if filter.counterpart.is_empty() {
        if filter.directed {
            predicate.add(&actor_source, &refs(&values_as));
        } else {
            let (actor_target, values_at) = side_clause("target", &filter.actor, sides);
            values_as.extend(values_at);
            predicate.add(
                &format!("({actor_source} OR {actor_target})"),
                &refs(&values_as),
            );
        }
        return;
    }
    let (other_target, values_ot) = side_clause("target", &filter.counterpart, sides);
    let forward = format!("({actor_source} AND {other_target})");
    let mut values = values_as;
    values.extend(values_ot);
    if filter.directed {
        predicate.add(&forward, &refs(&values));
        return;
    }
    let (other_source, values_os) = side_clause("source", &filter.counterpart, sides);
    let (actor_target, values_at) = side_clause("target", &filter.actor, sides);
    values.extend(values_os);
    values.extend(values_at);
    predicate.add(
        &format!("({forward} OR ({other_source} AND {actor_target}))"),
        &refs(&values),
    );
}

fn refs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// `column IN (…)` of validated small integers, written as literals.
fn in_list(column: &str, values: &[i32]) -> String {
    let list: Vec<String> = values.iter().map(i32::to_string).collect();
    format!("{column} IN ({})", list.join(", "))
}

/// Adds the conditions on event dates and date precision, which the events
/// table and every rollup (on its `day` column) share.
pub(crate) fn add_dates(predicate: &mut Predicate, filter: &EventFilter, day: &str) {
    if !filter.start_date.is_empty() {
        predicate.add(&format!("{day} >= ?"), &[&filter.start_date]);
    }
    if !filter.end_date.is_empty() {
        predicate.add(&format!("{day} < ?"), &[&filter.end_date]);
    }
    if !filter.precisions.is_empty() {
        predicate.add(&in_list("date_precision", &filter.precisions), &[]);
    }
}

/// Adds the conditions only the events table can answer: codes, quad
/// classes, modalities, place and sources.
pub(crate) fn add_event_details(predicate: &mut Predicate, filter: &EventFilter) {
    if !filter.cameo_codes.is_empty() {
        let ranges: Vec<&str> = filter
            .cameo_codes
            .iter()
            .map(|_| "(cameo_code >= ? AND cameo_code < ?)")
            .collect();
        let bounds: Vec<String> = filter
            .cameo_codes
            .iter()
            .flat_map(|code| [code.clone(), format!("{code}~")])
            .collect();
        predicate.add(&format!("({})", ranges.join(" OR ")), &refs(&bounds));
    }
    if !filter.quad_classes.is_empty() {
        predicate.add(&in_list("quad_class", &filter.quad_classes), &[]);
    }
    if !filter.modalities.is_empty() {
        predicate.add(&in_list("modality", &filter.modalities), &[]);
    }
    if !filter.place_country.is_empty() {
        predicate.add("place_country = ?", &[&filter.place_country]);
    }
    if let Some(b) = filter.place_box {
        let longitude = if b.west <= b.east {
            format!("longitude BETWEEN {:?} AND {:?}", b.west, b.east)
        } else {
            format!("(longitude >= {:?} OR longitude <= {:?})", b.west, b.east)
        };
        predicate.add(
            &format!(
                "latitude BETWEEN {:?} AND {:?} AND {longitude}",
                b.south, b.north
            ),
            &[],
        );
    }
    if filter.min_sources > 1 {
        predicate.add(&format!("num_sources >= {}", filter.min_sources), &[]);
    }
}

/// The `WHERE` clause of an event listing and its parameters: every filter,
/// and the position to continue from.
pub(crate) fn event_predicate(
    filter: &EventFilter,
    after: Option<&EventCursor>,
    descending: bool,
    placeholder: fn(usize) -> String,
) -> Predicate {
    let mut predicate = Predicate::new(placeholder);
    add_actors(&mut predicate, filter, Sides::Events);
    add_dates(&mut predicate, filter, "date_start");
    add_event_details(&mut predicate, filter);
    if let Some(after) = after {
        let comparison = if descending { "<" } else { ">" };
        predicate.add(
            &format!("(date_start, id) {comparison} (?, ?)"),
            &[&after.date, &after.id],
        );
    }
    predicate
}

/// `ORDER BY` of an event listing.
pub(crate) fn event_order(descending: bool) -> &'static str {
    if descending {
        "ORDER BY date_start DESC, id DESC"
    } else {
        "ORDER BY date_start, id"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize) -> String {
        format!("?{n}")
    }

    #[test]
    fn parameters_are_numbered_across_clauses() {
        let filter = EventFilter {
            cameo_codes: vec!["19".into()],
            ..EventFilter::actor_code("RUSGOV")
        };
        let after = EventCursor {
            date: "2024-01-01".into(),
            id: "ev_1".into(),
        };
        let predicate = event_predicate(&filter, Some(&after), false, numbered);
        assert_eq!(
            predicate.where_clause(),
            "WHERE ((source = ?1) OR (target = ?2)) AND ((cameo_code >= ?3 AND cameo_code < ?4)) \
             AND (date_start, id) > (?5, ?6)"
        );
        assert_eq!(
            predicate.params,
            ["RUSGOV", "RUSGOV", "19", "19~", "2024-01-01", "ev_1"]
        );
        let empty = event_predicate(&EventFilter::default(), None, false, |n| format!("${n}"));
        assert_eq!(empty.where_clause(), "");
    }

    #[test]
    fn an_undirected_dyad_matches_both_ways() {
        let filter = EventFilter {
            counterpart: ActorMatch {
                country: "ARM".into(),
                ..Default::default()
            },
            ..EventFilter::actor_code("RUSGOV")
        };
        let mut predicate = Predicate::new(numbered);
        add_actors(&mut predicate, &filter, Sides::Dyad);
        assert_eq!(
            predicate.where_clause(),
            "WHERE (((source = ?1) AND (target_country = ?2)) OR \
             ((source_country = ?3) AND (target = ?4)))"
        );
        assert_eq!(predicate.params, ["RUSGOV", "ARM", "ARM", "RUSGOV"]);
    }

    #[test]
    fn a_box_across_the_antimeridian_takes_both_ends() {
        let filter = EventFilter {
            place_box: Some(crate::BoundingBox {
                south: -20.0,
                west: 170.0,
                north: 10.0,
                east: -170.0,
            }),
            ..Default::default()
        };
        let mut predicate = Predicate::new(numbered);
        add_event_details(&mut predicate, &filter);
        assert_eq!(
            predicate.where_clause(),
            "WHERE latitude BETWEEN -20.0 AND 10.0 AND (longitude >= 170.0 OR longitude <= -170.0)"
        );
    }
}
