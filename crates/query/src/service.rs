//! The `dyad.v1.QueryService` implementation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use dyad_proto::{
    Timestamp,
    v1::{
        GetArticleRequest, GetArticleResponse, GetEventRequest, GetEventResponse,
        ListEventsRequest, ListEventsResponse, query_service_server::QueryService,
    },
};
use dyad_store::{EventCursor, EventFilter, Store};
use tonic::{Request, Response, Status};

use crate::{error::QueryError, page_token};

/// Page size when the request gives none.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Largest page size.
pub const MAX_PAGE_SIZE: usize = 1000;

/// Answers queries from a store.
#[derive(Clone)]
pub struct Querier {
    store: Arc<dyn Store>,
}

impl Querier {
    /// A querier reading from `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    async fn list_events(
        &self,
        request: ListEventsRequest,
    ) -> Result<ListEventsResponse, QueryError> {
        let page_size = match request.page_size {
            0 => DEFAULT_PAGE_SIZE,
            n if n < 0 => return Err(QueryError::invalid("page_size", "must not be negative")),
            n if n as usize > MAX_PAGE_SIZE => {
                return Err(QueryError::invalid(
                    "page_size",
                    format!("is {n}, over the limit of {MAX_PAGE_SIZE}"),
                ));
            }
            n => n as usize,
        };
        let filter = filter_of(&request)?;
        let after = match request.page_token.as_str() {
            "" => None,
            token => Some(
                page_token::decode(token, &filter)
                    .map_err(|why| QueryError::invalid("page_token", why))?,
            ),
        };
        let mut events = self
            .store
            .list_events(&filter, after.as_ref(), page_size + 1)
            .await?;
        let next_page_token = if events.len() > page_size {
            events.truncate(page_size);
            let last = events.last().expect("page_size is at least 1");
            let cursor = EventCursor {
                date: last
                    .date
                    .as_ref()
                    .map(|d| d.start_date.clone())
                    .unwrap_or_default(),
                id: last.id.clone(),
            };
            page_token::encode(&cursor, &filter)
        } else {
            String::new()
        };
        Ok(ListEventsResponse {
            events,
            next_page_token,
        })
    }
}

fn date_of(field: &'static str, ts: &Option<Timestamp>) -> Result<String, QueryError> {
    let Some(ts) = ts else {
        return Ok(String::new());
    };
    DateTime::<Utc>::from_timestamp(ts.seconds, u32::try_from(ts.nanos).unwrap_or(u32::MAX))
        .filter(|_| (0..1_000_000_000).contains(&ts.nanos))
        .map(|t| t.date_naive().to_string())
        .ok_or_else(|| QueryError::invalid(field, "is not a valid timestamp"))
}

fn filter_of(request: &ListEventsRequest) -> Result<EventFilter, QueryError> {
    let root = &request.cameo_root;
    let is_root = root.len() == 2
        && root.chars().all(|c| c.is_ascii_digit())
        && ("01"..="20").contains(&root.as_str());
    if !root.is_empty() && !is_root {
        return Err(QueryError::invalid(
            "cameo_root",
            format!("{root:?} is not a CAMEO root: give two digits, 01 to 20"),
        ));
    }
    let start_date = date_of("start_time", &request.start_time)?;
    let end_date = date_of("end_time", &request.end_time)?;
    if !start_date.is_empty() && !end_date.is_empty() && start_date >= end_date {
        return Err(QueryError::invalid(
            "end_time",
            "must be later than start_time",
        ));
    }
    Ok(EventFilter {
        actor_code: request.actor_code.trim().to_ascii_uppercase(),
        country_code: request.country_code.trim().to_ascii_uppercase(),
        start_date,
        end_date,
        cameo_root: root.clone(),
    })
}

fn require_id(id: &str) -> Result<&str, QueryError> {
    if id.trim().is_empty() {
        Err(QueryError::invalid(
            "id",
            "is empty: give the id to look up",
        ))
    } else {
        Ok(id)
    }
}

#[tonic::async_trait]
impl QueryService for Querier {
    async fn list_events(
        &self,
        request: Request<ListEventsRequest>,
    ) -> Result<Response<ListEventsResponse>, Status> {
        Ok(Response::new(
            Querier::list_events(self, request.into_inner()).await?,
        ))
    }

    async fn get_event(
        &self,
        request: Request<GetEventRequest>,
    ) -> Result<Response<GetEventResponse>, Status> {
        let request = request.into_inner();
        let id = require_id(&request.id)?;
        let event = self
            .store
            .get_event(id)
            .await
            .map_err(QueryError::from)?
            .ok_or_else(|| QueryError::NotFound(format!("no event with id {id:?}")))?;
        Ok(Response::new(GetEventResponse { event: Some(event) }))
    }

    async fn get_article(
        &self,
        request: Request<GetArticleRequest>,
    ) -> Result<Response<GetArticleResponse>, Status> {
        let request = request.into_inner();
        let id = require_id(&request.id)?;
        let (article, events) = self
            .store
            .get_article(id)
            .await
            .map_err(QueryError::from)?
            .ok_or_else(|| QueryError::NotFound(format!("no article with id {id:?}")))?;
        Ok(Response::new(GetArticleResponse {
            article: Some(article),
            events,
        }))
    }
}
