//! `WatchEvents`: newly stored events as a stream, resumable from a
//! cursor, with a bounded buffer per consumer.

use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    time::Duration,
};

use dyad_proto::errors::{self, Reason};
use dyad_proto::v1::{WatchEventsRequest, WatchEventsResponse};
use dyad_store::{EventFilter, StoredPosition};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::{Code, Status};

use crate::{Querier, error::QueryError};

/// Events a consumer may fall behind by before it is cut off.
pub const WATCH_BUFFER: usize = 1024;
/// How often the store is asked for new events.
const POLL_EVERY: Duration = Duration::from_millis(200);
/// Events read from the store at a time.
const READ_BATCH: usize = 256;

/// The stream of a watch.
pub type WatchStream = Pin<Box<dyn Stream<Item = Result<WatchEventsResponse, Status>> + Send>>;

/// The text of a position: "transaction.sequence".
pub fn cursor_text(position: StoredPosition) -> String {
    format!("{}.{}", position.transaction, position.sequence)
}

/// The position of a cursor text; "0" is the very start.
pub fn parse_cursor(text: &str) -> Option<StoredPosition> {
    if text == "0" {
        return Some(StoredPosition::default());
    }
    let (transaction, sequence) = text.split_once('.')?;
    Some(StoredPosition {
        transaction: transaction.parse().ok()?,
        sequence: sequence.parse().ok().filter(|s: &i64| *s >= 0)?,
    })
}

impl Querier {
    /// Starts a watch: a task reads new events and feeds them to the
    /// consumer through a bounded channel.
    pub(crate) async fn watch(
        &self,
        request: WatchEventsRequest,
    ) -> Result<WatchStream, QueryError> {
        // An actor not in the store yet is waited for, not refused.
        let filter = crate::request::event_filter(request.filter.as_ref(), None)?;
        let latest = self.store.latest_position().await?;
        let position = match request.cursor.trim() {
            "" => latest,
            text => {
                let not_ours = || {
                    QueryError::invalid(
                        "cursor",
                        "is not a cursor of this service: give a cursor it sent, \"0\" or nothing",
                    )
                };
                let position = parse_cursor(text).ok_or_else(not_ours)?;
                // A cursor past the newest event was never sent: a watch
                // from it would skip what comes until the store caught up.
                if position > latest {
                    return Err(not_ours());
                }
                position
            }
        };
        let (sender, receiver) = mpsc::channel(WATCH_BUFFER);
        let closing = Closing::default();
        tokio::spawn(feed(
            self.store.clone(),
            filter,
            position,
            sender,
            closing.clone(),
        ));
        // The closing status follows the events already queued, however
        // long the consumer takes to read them.
        let last = futures_util::stream::once(async move { closing.take() })
            .filter_map(|status| async move { status.map(Err) });
        Ok(Box::pin(ReceiverStream::new(receiver).chain(last)))
    }
}

/// The status a watch ends with, set by the feeding task before it drops
/// its sender and read by the stream after the last queued event.
#[derive(Clone, Default)]
struct Closing(Arc<Mutex<Option<Status>>>);

impl Closing {
    fn set(&self, status: Status) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
    }

    fn take(&self) -> Option<Status> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Sends new events from `position` on until the consumer leaves, falls
/// behind by a full buffer (RESOURCE_EXHAUSTED), or the store fails
/// (UNAVAILABLE); the closing status names the cursor to resume from.
async fn feed(
    store: Arc<dyn dyad_store::Store>,
    filter: EventFilter,
    mut position: StoredPosition,
    sender: mpsc::Sender<Result<WatchEventsResponse, Status>>,
    closing: Closing,
) {
    loop {
        if sender.is_closed() {
            return;
        }
        let events = match store
            .events_stored_after(&filter, position, READ_BATCH)
            .await
        {
            Ok(events) => events,
            Err(e) => {
                tracing::warn!(error = %e, "watch: store unavailable");
                let cursor = cursor_text(position);
                let status = errors::status_with(
                    Code::Unavailable,
                    format!("the store is unavailable; resume with cursor {cursor:?}"),
                    Reason::WatchInterrupted,
                    &[("cursor", &cursor)],
                    None,
                );
                closing.set(status);
                return;
            }
        };
        let read = events.len();
        for (event, at) in events {
            let message = WatchEventsResponse {
                event: Some(event),
                cursor: cursor_text(at),
            };
            match sender.try_send(Ok(message)) {
                Ok(()) => position = at,
                Err(mpsc::error::TrySendError::Closed(_)) => return,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    let cursor = cursor_text(position);
                    let status = errors::status_with(
                        Code::ResourceExhausted,
                        format!(
                            "the consumer fell more than {WATCH_BUFFER} events behind; \
                             resume with cursor {cursor:?}"
                        ),
                        Reason::WatchBehind,
                        &[("cursor", &cursor)],
                        Some(Duration::ZERO),
                    );
                    closing.set(status);
                    return;
                }
            }
        }
        if read < READ_BATCH {
            tokio::time::sleep(POLL_EVERY).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let position = StoredPosition {
            transaction: 7,
            sequence: 42,
        };
        assert_eq!(parse_cursor(&cursor_text(position)), Some(position));
        assert_eq!(parse_cursor("0"), Some(StoredPosition::default()));
        assert_eq!(parse_cursor("x.1"), None);
        assert_eq!(parse_cursor("1.-5"), None);
    }
}
