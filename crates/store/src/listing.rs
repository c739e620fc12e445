//! What every backend selects and filters on when it reads events or the
//! rollups: the columns read back and the predicate of an [`EventFilter`],
//! written once with the backend's placeholders.

use dyad_proto::v1::{Event, Mention};
use prost::Message;

use crate::{
    ANSWER_BYTES, ActorMatch, EventCursor, EventFilter, EventPage, MentionCursor, MentionPage,
    PageRequest, fitting,
};

/// Columns selected for an event, in the order the backends read them.
pub(crate) const EVENT_COLUMNS: &str = "id, cameo_code, cameo_root, cameo_name, quad_class, \
    goldstein, plover_type, date_start, date_end, date_precision, date_basis, date_text, \
    modality, confidence, detail_json, num_mentions, num_articles, num_sources, first_seen, \
    last_seen";

/// Columns selected for a mention, in the order the backends read them.
pub(crate) const MENTION_COLUMNS: &str = "article_id, sentence_index, sentence_start, \
    sentence_end, sentence_text, rule, modality, confidence, coder_version, outlet, \
    coalesce((SELECT url FROM articles WHERE articles.id = mentions.article_id), '')";

/// The order of an event's mentions: its mention table's key after the
/// event, so a page of mentions is read straight off the key.
pub(crate) const MENTION_ORDER: &str = "ORDER BY outlet, article_id, sentence_index";

/// A page of at most `limit` mentions from `read` (read in mention order,
/// up to `limit + 1` of them to tell whether more follow), cut short of
/// [`ANSWER_BYTES`].
pub(crate) fn mention_page(mut read: Vec<Mention>, limit: usize) -> MentionPage {
    let keep = fitting(
        read.iter().take(limit).map(Message::encoded_len),
        ANSWER_BYTES,
    );
    let next = (read.len() > keep).then(|| {
        let last = &read[keep - 1];
        MentionCursor {
            outlet: last.outlet.clone(),
            article_id: last.article_id.clone(),
            sentence_index: i64::from(last.sentence_index),
        }
    });
    read.truncate(keep);
    MentionPage {
        mentions: read,
        next,
    }
}

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

    /// `WHERE …` of the clauses added since the last call, which are then
    /// forgotten; parameters keep their numbers, so several clauses can be
    /// written into one statement.
    pub fn take_where(&mut self) -> String {
        let clause = self.where_clause();
        self.clauses.clear();
        clause
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

/// The condition that side `side` ("source", "target") is an actor `actor`
/// allows, in `?`-form with its values.
fn side_clause(side: &str, actor: &ActorMatch) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if !actor.code.is_empty() {
        clauses.push(format!("{side} = ?"));
        values.push(actor.code.clone());
    }
    if !actor.country.is_empty() {
        clauses.push(format!("{side}_country = ?"));
        values.push(actor.country.clone());
    }
    if !actor.role.is_empty() {
        clauses.push(format!("{side}_role = ?"));
        values.push(actor.role.clone());
    }
    (format!("({})", clauses.join(" AND ")), values)
}

/// A condition in `?`-form with its values.
type Clause = (String, Vec<String>);

/// The alternatives the actor and dyad conditions of `filter` allow, each
/// a conjunction: none without actors, one for a directed match, two
/// (source side or target side) otherwise.
pub(crate) fn actor_branches(filter: &EventFilter) -> Vec<Clause> {
    let side = |name: &str, actor: &ActorMatch| side_clause(name, actor);
    let both = |(a, mut va): Clause, (b, vb): Clause| {
        va.extend(vb);
        (format!("({a} AND {b})"), va)
    };
    match (
        filter.actor.is_empty(),
        filter.counterpart.is_empty(),
        filter.directed,
    ) {
        (true, true, _) => Vec::new(),
        // The counterpart alone: the target (directed) or either side.
        (true, false, true) => vec![side("target", &filter.counterpart)],
        (true, false, false) => vec![
            side("source", &filter.counterpart),
            side("target", &filter.counterpart),
        ],
        (false, true, true) => vec![side("source", &filter.actor)],
        (false, true, false) => vec![side("source", &filter.actor), side("target", &filter.actor)],
        (false, false, true) => vec![both(
            side("source", &filter.actor),
            side("target", &filter.counterpart),
        )],
        (false, false, false) => vec![
            both(
                side("source", &filter.actor),
                side("target", &filter.counterpart),
            ),
            both(
                side("source", &filter.counterpart),
                side("target", &filter.actor),
            ),
        ],
    }
}

/// Adds the actor and dyad conditions of `filter`, as one clause.
pub(crate) fn add_actors(predicate: &mut Predicate, filter: &EventFilter) {
    let branches = actor_branches(filter);
    if branches.is_empty() {
        return;
    }
    let clause = branches
        .iter()
        .map(|(c, _)| c.as_str())
        .collect::<Vec<_>>()
        .join(" OR ");
    let values: Vec<String> = branches.into_iter().flat_map(|(_, v)| v).collect();
    predicate.add(&format!("({clause})"), &refs(&values));
}

/// The values as string slices.
pub(crate) fn refs(values: &[String]) -> Vec<&str> {
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
    if filter.min_confidence > 0.0 {
        // Checked finite and within [0, 1] by the query service.
        predicate.add(&format!("confidence >= {:?}", filter.min_confidence), &[]);
    }
}

/// The statement of an event listing, and its parameters: every filter,
/// the position to continue from, the order and the limit (one more than
/// the page, to learn whether another follows). Rows are the event columns
/// and the store order, `seq`. A filter with
/// two actor branches (either side of an event) is listed as the `UNION
/// ALL` of the branches, made disjoint (the second leaves out what the
/// first takes), merged in order straight from the two indexes instead of
/// sorting every match of a disjunction. SQLite merges plain arms;
/// PostgreSQL merges (Merge Append) only arms that carry their own order and
/// limit (`bounded_arms`), a form SQLite does not accept.
pub(crate) fn event_listing(
    filter: &EventFilter,
    page: &PageRequest,
    placeholder: fn(usize) -> String,
    bounded_arms: bool,
) -> (String, Vec<String>) {
    let mut predicate = Predicate::new(placeholder);
    let branches = actor_branches(filter);
    let limit = page.limit + 1;
    let mut selects = Vec::new();
    let arms: Vec<Option<usize>> = if branches.is_empty() {
        vec![None]
    } else {
        (0..branches.len()).map(Some).collect()
    };
    for arm in arms {
        if let Some(i) = arm {
            let (clause, values) = &branches[i];
            predicate.add(clause, &refs(values));
            for (earlier, values) in &branches[..i] {
                predicate.add(&format!("NOT {earlier}"), &refs(values));
            }
        }
        add_dates(&mut predicate, filter, "date_start");
        add_event_details(&mut predicate, filter);
        if let Some(after) = &page.after {
            let comparison = if page.descending { "<" } else { ">" };
            predicate.add(
                &format!("(date_start, seq) {comparison} (?, CAST(? AS BIGINT))"),
                &[&after.date, &after.seq.to_string()],
            );
        }
        let select = format!(
            "SELECT {EVENT_COLUMNS}, seq FROM events {}",
            predicate.take_where()
        );
        selects.push(if bounded_arms && branches.len() > 1 {
            format!("({select} {} LIMIT {limit})", event_order(page.descending))
        } else {
            select
        });
    }
    let sql = format!(
        "{} {} LIMIT {limit}",
        selects.join(" UNION ALL "),
        event_order(page.descending),
    );
    (sql, predicate.params)
}

/// The page of a listing's rows: `listed` holds each event with its store
/// order, one more than the page takes when another page follows (the
/// listing asks for `page.limit + 1`).
pub(crate) fn page_of(mut listed: Vec<(Event, i64)>, page: &PageRequest) -> EventPage {
    let keep = if page.with_mentions {
        fitting(
            listed
                .iter()
                .take(page.limit)
                .map(|(event, _)| event.encoded_len()),
            ANSWER_BYTES,
        )
    } else {
        page.limit
    };
    let next = if listed.len() > keep {
        listed.truncate(keep);
        listed.last().map(|(event, seq)| EventCursor {
            date: event
                .date
                .as_ref()
                .map(|d| d.start_date.clone())
                .unwrap_or_default(),
            seq: *seq,
        })
    } else {
        None
    };
    EventPage {
        events: listed.into_iter().map(|(event, _)| event).collect(),
        next,
    }
}

/// The `WHERE` clause of every filter of events (for watching).
pub(crate) fn event_predicate(filter: &EventFilter, placeholder: fn(usize) -> String) -> Predicate {
    let mut predicate = Predicate::new(placeholder);
    add_actors(&mut predicate, filter);
    add_dates(&mut predicate, filter, "date_start");
    add_event_details(&mut predicate, filter);
    predicate
}

/// `ORDER BY` of an event listing.
pub(crate) fn event_order(descending: bool) -> &'static str {
    if descending {
        "ORDER BY date_start DESC, seq DESC"
    } else {
        "ORDER BY date_start, seq"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize) -> String {
        format!("?{n}")
    }

    #[test]
    fn either_side_is_a_union_of_disjoint_ordered_branches() {
        let filter = EventFilter {
            cameo_codes: vec!["19".into()],
            ..EventFilter::actor_code("RUSGOV")
        };
        let page = PageRequest {
            after: Some(EventCursor {
                date: "2024-01-01".into(),
                seq: 7,
            }),
            limit: 10,
            ..Default::default()
        };
        let (sql, params) = event_listing(&filter, &page, numbered, false);
        let codes = |n: usize| {
            format!(
                "((cameo_code >= ?{} AND cameo_code < ?{})) AND (date_start, seq) > (?{}, CAST(?{} AS BIGINT))",
                n,
                n + 1,
                n + 2,
                n + 3
            )
        };
        assert_eq!(
            sql,
            format!(
                "SELECT {EVENT_COLUMNS}, seq FROM events WHERE (source = ?1) AND {} UNION ALL \
                 SELECT {EVENT_COLUMNS}, seq FROM events WHERE (target = ?6) AND NOT (source = ?7) \
                 AND {} ORDER BY date_start, seq LIMIT 11",
                codes(2),
                codes(8)
            )
        );
        assert_eq!(
            params,
            [
                "RUSGOV",
                "19",
                "19~",
                "2024-01-01",
                "7",
                "RUSGOV",
                "RUSGOV",
                "19",
                "19~",
                "2024-01-01",
                "7"
            ]
        );
        let (bounded, _) = event_listing(&filter, &page, numbered, true);
        assert!(
            bounded.starts_with("(SELECT ") && bounded.contains("LIMIT 11) UNION ALL (SELECT "),
            "{bounded}"
        );
        let (plain, none) = event_listing(&EventFilter::default(), &page, numbered, true);
        assert!(
            plain.starts_with("SELECT id,") && plain.ends_with("LIMIT 11"),
            "{plain}"
        );
        assert_eq!(none, ["2024-01-01", "7"]);
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
        add_actors(&mut predicate, &filter);
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
