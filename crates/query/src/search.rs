//! `SearchActors`: actors by code, name or a name seen in the news.

use dyad_proto::v1::{ActorMatchResult, Modality, SearchActorsRequest, SearchActorsResponse};
use dyad_store::{EventFilter, Grouping};

use crate::{Querier, error::QueryError, page_token, request};

/// Actors returned when the request gives no limit.
const DEFAULT_LIMIT: usize = 10;
/// Most actors returned.
const MAX_LIMIT: usize = 100;
/// Longest query.
const MAX_QUERY_CHARS: usize = 100;

impl Querier {
    /// The actors matching a search, best first, with their event counts.
    pub(crate) async fn search(
        &self,
        request: SearchActorsRequest,
    ) -> Result<SearchActorsResponse, QueryError> {
        let query = request.query.trim();
        if query.is_empty() {
            return Err(QueryError::invalid(
                "query",
                "is empty: give a code or a name",
            ));
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::invalid(
                "query",
                format!("is longer than {MAX_QUERY_CHARS} characters"),
            ));
        }
        let limit = request::limit("limit", request.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
        let directory = self.directory(&[]).await?;
        let scope = format!("search|{}", query.to_lowercase());
        let offset = page_token::offset_of("page_token", &request.page_token, &scope)?;
        let (found, next_page_token) = page_token::page_of(
            // One more than the page tells whether another page follows.
            directory.search(query, offset.saturating_add(limit + 1)),
            offset,
            limit,
            &scope,
        );
        let counts = futures_util::future::try_join_all(found.iter().map(|(actor, _)| {
            let filter = EventFilter {
                modalities: vec![Modality::Asserted as i32],
                ..EventFilter::actor_code(&actor.actor.code)
            };
            let store = self.store.clone();
            async move {
                let rows = store.tally(&filter, &Grouping::default()).await?;
                Ok::<_, dyad_store::StoreError>(rows.first().map_or(0, |r| r.tally.events))
            }
        }))
        .await?;
        let actors = found
            .into_iter()
            .zip(counts)
            .map(|((known, score), events)| ActorMatchResult {
                actor: Some(known.actor.clone()),
                aliases: known.aliases.clone(),
                score,
                events: u64::try_from(events).unwrap_or(0),
            })
            .collect();
        Ok(SearchActorsResponse {
            actors,
            next_page_token,
        })
    }
}
