//! `ExportEvents`: a whole result set as a stream of batches, read from the
//! store one page at a time and sent as fast as the consumer takes them.

use std::{pin::Pin, sync::Arc};

use dyad_proto::errors::{self, Reason};
use dyad_proto::v1::{ExportEventsRequest, ExportEventsResponse};
use dyad_store::{EventCursor, EventFilter, Grouping, PageRequest, Store};
use tokio::sync::mpsc;
use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::Status;

use crate::{Querier, error::QueryError, listing, page_token, request};

/// Events per batch when the request gives no size.
pub const DEFAULT_BATCH_SIZE: usize = 500;
/// Batches read ahead of the consumer: memory stays at a few batches
/// however many events match.
const READ_AHEAD: usize = 2;

/// The stream of an export.
pub type ExportStream = Pin<Box<dyn Stream<Item = Result<ExportEventsResponse, Status>> + Send>>;

impl Querier {
    /// Starts an export: a task reads the pages in event order and hands
    /// them to the consumer through a channel of [`READ_AHEAD`] batches.
    pub(crate) async fn export(
        &self,
        request: ExportEventsRequest,
    ) -> Result<ExportStream, QueryError> {
        let batch_size = request::limit(
            "batch_size",
            request.batch_size,
            DEFAULT_BATCH_SIZE,
            listing::MAX_PAGE_SIZE,
        )?;
        let filter = self.event_filter(request.filter.as_ref()).await?;
        let scope = listing::scope(&filter, false);
        let after = page_token::cursor_of("resume_token", &request.resume_token, &scope)?;
        let total_events = match after {
            Some(_) => 0,
            None => self
                .store
                .tally(&filter, &Grouping::default())
                .await?
                .first()
                .map_or(0, |row| u64::try_from(row.tally.events).unwrap_or(0)),
        };
        let (sender, receiver) = mpsc::channel(READ_AHEAD);
        let export = Export {
            store: self.store.clone(),
            filter,
            scope,
            batch_size,
            with_mentions: request.include_mentions,
        };
        tokio::spawn(export.feed(after, total_events, sender));
        Ok(Box::pin(ReceiverStream::new(receiver)))
    }
}

/// What an export reads.
struct Export {
    store: Arc<dyn Store>,
    filter: EventFilter,
    scope: String,
    batch_size: usize,
    with_mentions: bool,
}

impl Export {
    /// Sends the pages after `after` until the last one, the consumer
    /// leaves, or the store fails (its status then names the token to
    /// resume with).
    async fn feed(
        self,
        mut after: Option<EventCursor>,
        mut total_events: u64,
        sender: mpsc::Sender<Result<ExportEventsResponse, Status>>,
    ) {
        loop {
            let page = PageRequest {
                after: after.clone(),
                limit: self.batch_size,
                descending: false,
                with_mentions: self.with_mentions,
            };
            let page = match self.store.list_events(&self.filter, &page).await {
                Ok(page) => page,
                Err(e) => {
                    let resume = after
                        .as_ref()
                        .map(|cursor| page_token::encode(cursor, &self.scope))
                        .unwrap_or_default();
                    let status = Status::from(QueryError::Store(e));
                    let status = errors::status_with(
                        status.code(),
                        format!("{}; resume with resume_token {resume:?}", status.message()),
                        Reason::ExportInterrupted,
                        &[("resume_token", &resume)],
                        None,
                    );
                    let _ = sender.send(Err(status)).await;
                    return;
                }
            };
            let resume_token = page
                .events
                .last()
                .zip(page.next.as_ref())
                .map(|(_, cursor)| page_token::encode(cursor, &self.scope))
                .unwrap_or_default();
            let last = page.next.is_none();
            let batch = ExportEventsResponse {
                events: page.events,
                resume_token,
                total_events: std::mem::take(&mut total_events),
            };
            if sender.send(Ok(batch)).await.is_err() || last {
                return;
            }
            after = page.next;
        }
    }
}
