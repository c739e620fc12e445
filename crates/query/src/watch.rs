//! `WatchEvents`: newly stored events as a stream, resumable from a
//! cursor, with a buffer of bounded bytes per consumer
//! (`--watch-buffer-kib`).

use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    time::Duration,
};

use dyad_proto::errors::{self, Reason};
use dyad_proto::v1::{WatchEventsRequest, WatchEventsResponse};
use dyad_store::{EventFilter, StoredPosition};
use futures_util::StreamExt;
use prost::Message;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_stream::{Stream, wrappers::UnboundedReceiverStream};
use tonic::{Code, Status};

use crate::{Querier, error::QueryError};

/// Default memory of events a consumer may fall behind by before it is
/// cut off, in KiB.
pub const DEFAULT_WATCH_BUFFER_KIB: usize = 1024;
/// How often the store is asked for new events.
const POLL_EVERY: Duration = Duration::from_millis(200);
/// Events read from the store at a time.
const READ_BATCH: usize = 256;

/// An event queued for a consumer, holding its share of the consumer's
/// buffer until the stream hands it on.
type Queued = (Result<WatchEventsResponse, Status>, OwnedSemaphorePermit);

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
        let (sender, receiver) = mpsc::unbounded_channel();
        let buffer = Buffer::new(self.watch_buffer_bytes);
        let closing = Closing::default();
        tokio::spawn(feed(
            self.store.clone(),
            filter,
            position,
            Feed {
                sender,
                buffer,
                closing: closing.clone(),
            },
        ));
        // The closing status follows the events already queued, however
        // long the consumer takes to read them. An event's bytes are given
        // back to the buffer as the stream hands it on.
        let last = futures_util::stream::once(async move { closing.take() })
            .filter_map(|status| async move { status.map(Err) });
        let queued = UnboundedReceiverStream::new(receiver).map(|(message, _permit)| message);
        Ok(Box::pin(queued.chain(last)))
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

/// The bytes of events a consumer may have queued: a semaphore of one
/// permit per byte.
struct Buffer {
    bytes: Arc<Semaphore>,
    limit: usize,
}

impl Buffer {
    fn new(limit: usize) -> Self {
        let limit = limit.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            bytes: Arc::new(Semaphore::new(limit)),
            limit,
        }
    }

    /// Room for a message of `size` bytes, if the buffer has it (a message
    /// larger than the whole buffer takes all of it).
    fn room_for(&self, size: usize) -> Option<OwnedSemaphorePermit> {
        let wanted = u32::try_from(size.clamp(1, self.limit)).unwrap_or(u32::MAX);
        self.bytes.clone().try_acquire_many_owned(wanted).ok()
    }
}

/// Where a watch's events go: the consumer's queue, its buffer, and the
/// status the stream ends with.
struct Feed {
    sender: mpsc::UnboundedSender<Queued>,
    buffer: Buffer,
    closing: Closing,
}

/// Sends new events from `position` on until the consumer leaves, falls
/// behind by a full buffer (RESOURCE_EXHAUSTED), or the store fails
/// (UNAVAILABLE); the closing status names the cursor to resume from.
async fn feed(
    store: Arc<dyn dyad_store::Store>,
    filter: EventFilter,
    mut position: StoredPosition,
    Feed {
        sender,
        buffer,
        closing,
    }: Feed,
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
            let Some(permit) = buffer.room_for(message.encoded_len()) else {
                let cursor = cursor_text(position);
                let status = errors::status_with(
                    Code::ResourceExhausted,
                    format!(
                        "the consumer fell more than {} KiB of events behind; \
                         resume with cursor {cursor:?}",
                        buffer.limit.div_ceil(1024)
                    ),
                    Reason::WatchBehind,
                    &[("cursor", &cursor)],
                    Some(Duration::ZERO),
                );
                closing.set(status);
                return;
            };
            if sender.send((Ok(message), permit)).is_err() {
                return;
            }
            position = at;
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
    fn the_buffer_holds_bytes_up_to_its_limit() {
        let buffer = Buffer::new(1000);
        let first = buffer.room_for(600).expect("room for 600 of 1000");
        assert!(buffer.room_for(600).is_none(), "1200 bytes do not fit");
        drop(first);
        let whole = buffer.room_for(5000).expect("a large event takes it all");
        assert!(buffer.room_for(1).is_none());
        drop(whole);
        assert!(buffer.room_for(1000).is_some());
    }

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
