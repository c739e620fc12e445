//! `GetRelationGraph`: actors as nodes and their directed relations as
//! weighted edges over a window, optionally against another window.

use std::collections::{BTreeSet, HashMap};

use dyad_proto::v1::{
    GetRelationGraphRequest, GetRelationGraphResponse, GraphEdge, GraphNode, Modality,
};
use dyad_store::{EventFilter, Grouping, Level, Tally};

use crate::{
    Querier,
    error::QueryError,
    relations::{is_domestic, level_of},
    request,
    series::{net_cooperation, tally_message},
};

/// Edges kept when the request gives no top-k.
const DEFAULT_TOP_K: usize = 100;
/// Most edges kept.
const MAX_TOP_K: usize = 10_000;

impl Querier {
    /// The relation graph of a request's window.
    pub(crate) async fn relation_graph(
        &self,
        request: GetRelationGraphRequest,
    ) -> Result<GetRelationGraphResponse, QueryError> {
        let (start, end) = request::window(
            ("start_time", &request.start_time),
            ("end_time", &request.end_time),
        )?;
        let compare = match (&request.compare_start_time, &request.compare_end_time) {
            (None, None) => None,
            _ => Some(request::window(
                ("compare_start_time", &request.compare_start_time),
                ("compare_end_time", &request.compare_end_time),
            )?),
        };
        let level = level_of("level", request.level)?;
        let top_k = request::limit("top_k", request.top_k, DEFAULT_TOP_K, MAX_TOP_K)?;
        let min_confidence = request::min_confidence("min_confidence", request.min_confidence)?;
        let directory = self.directory(&[]).await?;
        let edges_of = |start: chrono::NaiveDate, end: chrono::NaiveDate| {
            let filter = EventFilter {
                start_date: start.to_string(),
                end_date: end.to_string(),
                modalities: vec![Modality::Asserted as i32],
                min_confidence,
                ..Default::default()
            };
            let grouping = Grouping {
                grain: None,
                source: level,
                target: level,
            };
            let store = self.store.clone();
            async move { store.tally(&filter, &grouping).await }
        };
        let rows = edges_of(start, end).await?;
        let mut edges: Vec<(String, String, Tally)> = rows
            .into_iter()
            .filter(|r| !r.source.is_empty() && !r.target.is_empty())
            .filter(|r| {
                request.include_domestic
                    || !is_domestic(
                        &directory,
                        level,
                        &r.target,
                        home(&directory, level, &r.source),
                    )
            })
            .filter(|r| r.tally.events >= i64::from(request.min_events))
            .map(|r| (r.source, r.target, r.tally))
            .collect();
        edges.sort_by(|a, b| {
            b.2.events
                .cmp(&a.2.events)
                .then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1)))
        });
        edges.truncate(top_k);
        let compared: HashMap<(String, String), Tally> = match compare {
            Some((start, end)) => edges_of(start, end)
                .await?
                .into_iter()
                .map(|r| ((r.source, r.target), r.tally))
                .collect(),
            None => HashMap::new(),
        };

        // Nodes over the kept edges.
        let mut strength: HashMap<&str, Tally> = HashMap::new();
        let mut neighbours: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for (source, target, tally) in &edges {
            for (node, other) in [(source, target), (target, source)] {
                strength.entry(node).or_default().add(tally);
                neighbours.entry(node).or_default().insert(other);
            }
        }
        let mut nodes: Vec<GraphNode> = strength
            .iter()
            .map(|(&code, tally)| GraphNode {
                code: code.to_string(),
                name: directory.name_of(code),
                degree: neighbours.get(code).map_or(0, |n| n.len() as u32),
                strength: u64::try_from(tally.events).unwrap_or(0),
                net_cooperation: net_cooperation(tally),
            })
            .collect();
        nodes.sort_by(|a, b| {
            b.strength
                .cmp(&a.strength)
                .then_with(|| a.code.cmp(&b.code))
        });
        let edges = edges
            .into_iter()
            .map(|(source, target, tally)| {
                let other = compare.map(|_| {
                    compared
                        .get(&(source.clone(), target.clone()))
                        .copied()
                        .unwrap_or_default()
                });
                GraphEdge {
                    events_change: other.map_or(0, |o| tally.events - o.events),
                    compare: other.as_ref().map(tally_message),
                    tally: Some(tally_message(&tally)),
                    source,
                    target,
                }
            })
            .collect();
        Ok(GetRelationGraphResponse { nodes, edges })
    }
}

/// The country of a node at `level`.
fn home<'a>(directory: &'a crate::directory::Directory, level: Level, code: &'a str) -> &'a str {
    match level {
        Level::Actor => directory.country_of(code),
        _ => code,
    }
}
