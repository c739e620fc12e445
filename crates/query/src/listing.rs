//! `ListEvents`: the timeline as pages of events.

use dyad_proto::v1::{ListEventsRequest, ListEventsResponse};
use dyad_store::PageRequest;

use crate::{Querier, error::QueryError, page_token, request};

/// Page size when the request gives none.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Largest page size.
pub const MAX_PAGE_SIZE: usize = 1000;

/// What a page token of an event listing is bound to: its filter and
/// order. Exports share it, so a listing's token resumes an export.
pub(crate) fn scope(filter: &dyad_store::EventFilter, descending: bool) -> String {
    format!("{filter:?}|{descending}")
}

impl Querier {
    /// One page of the events a request's filter takes, read from the store.
    pub(crate) async fn events_page(
        &self,
        request: ListEventsRequest,
    ) -> Result<ListEventsResponse, QueryError> {
        let page_size = request::limit(
            "page_size",
            request.page_size,
            DEFAULT_PAGE_SIZE,
            MAX_PAGE_SIZE,
        )?;
        let filter = self.event_filter(request.filter.as_ref()).await?;
        let scope = scope(&filter, request.descending);
        let after = page_token::cursor_of("page_token", &request.page_token, &scope)?;
        let page = PageRequest {
            after,
            limit: page_size,
            descending: request.descending,
            with_mentions: request.include_mentions,
        };
        let page = self.store.list_events(&filter, &page).await?;
        let next_page_token = page
            .next
            .map(|cursor| page_token::encode(&cursor, &scope))
            .unwrap_or_default();
        Ok(ListEventsResponse {
            events: page.events,
            next_page_token,
        })
    }
}
