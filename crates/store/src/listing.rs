//! What every backend selects and filters on when it lists events: the
//! columns read back and the predicate of an [`EventFilter`].

use crate::{EventCursor, EventFilter};

/// Columns selected for an event, in the order the backends read them.
pub(crate) const EVENT_COLUMNS: &str = "id, cameo_code, cameo_root, cameo_name, quad_class, \
    goldstein, plover_type, date_start, date_end, date_precision, date_basis, date_text, \
    modality, confidence, detail_json, num_mentions, num_articles, num_sources, first_seen, \
    last_seen";

/// Columns selected for a mention, in the order the backends read them.
pub(crate) const MENTION_COLUMNS: &str = "article_id, sentence_index, sentence_start, \
    sentence_end, sentence_text, rule, modality, confidence, coder_version";

/// The `WHERE` clause of a listing (empty when nothing filters) and its text
/// parameters in order; `placeholder(n)` writes the n-th (1-based) parameter
/// the backend's way (`?n`, `$n`).
pub(crate) fn event_predicate(
    filter: &EventFilter,
    after: Option<&EventCursor>,
    placeholder: impl Fn(usize) -> String,
) -> (String, Vec<String>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut params: Vec<String> = Vec::new();
    // Each `?` of a clause takes the next value, numbered across clauses.
    let mut add = |clause: &str, values: &[&str]| {
        let mut parts = clause.split('?');
        let mut numbered = parts.next().unwrap_or_default().to_string();
        for (part, value) in parts.zip(values) {
            params.push(value.to_string());
            numbered.push_str(&placeholder(params.len()));
            numbered.push_str(part);
        }
        clauses.push(numbered);
    };
    if !filter.actor_code.is_empty() {
        add(
            "(source = ? OR target = ?)",
            &[&filter.actor_code, &filter.actor_code],
        );
    }
    if !filter.country_code.is_empty() {
        // Actor codes start with their country's code ("RUS", "RUSGOV"), and
        // `~` sorts after every code character: a range of the code indexes.
        let (low, high) = (
            filter.country_code.as_str(),
            format!("{}~", filter.country_code),
        );
        add(
            "((source >= ? AND source < ? AND source_country = ?) \
             OR (target >= ? AND target < ? AND target_country = ?))",
            &[low, &high, low, low, &high, low],
        );
    }
    if !filter.start_date.is_empty() {
        add("date_start >= ?", &[&filter.start_date]);
    }
    if !filter.end_date.is_empty() {
        add("date_start < ?", &[&filter.end_date]);
    }
    if !filter.cameo_root.is_empty() {
        add("cameo_root = ?", &[&filter.cameo_root]);
    }
    if let Some(after) = after {
        add("(date_start, id) > (?, ?)", &[&after.date, &after.id]);
    }
    let predicate = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (predicate, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_across_clauses() {
        let filter = EventFilter {
            actor_code: "RUSGOV".into(),
            cameo_root: "19".into(),
            ..Default::default()
        };
        let after = EventCursor {
            date: "2024-01-01".into(),
            id: "ev_1".into(),
        };
        let (predicate, params) = event_predicate(&filter, Some(&after), |n| format!("?{n}"));
        assert_eq!(
            predicate,
            "WHERE (source = ?1 OR target = ?2) AND cameo_root = ?3 AND (date_start, id) > (?4, ?5)"
        );
        assert_eq!(params, ["RUSGOV", "RUSGOV", "19", "2024-01-01", "ev_1"]);
        assert_eq!(
            event_predicate(&EventFilter::default(), None, |n| format!("${n}")).0,
            ""
        );
    }
}
