//! Answers kept while the store does not change: the same request asked
//! again is answered from memory until a writer commits. Answers are kept
//! encoded, and written to each caller as they are.

use std::{collections::HashMap, sync::Mutex};

use dyad_proto::v1::{
    GetDyadHistoryResponse, GetRelationGraphResponse, GetTimelineResponse, ListEventsResponse,
    ListRelationsResponse,
};
use prost::Message;

use crate::encoded::Encoded;

use crate::{Querier, error::QueryError};

/// Answers of each kind of request that the store alone decides.
#[derive(Debug)]
pub struct KeptAnswers {
    /// ListEvents pages.
    pub events: Answers<ListEventsResponse>,
    /// GetTimeline series.
    pub timelines: Answers<GetTimelineResponse>,
    /// ListRelations rankings.
    pub relations: Answers<ListRelationsResponse>,
    /// GetDyadHistory series.
    pub histories: Answers<GetDyadHistoryResponse>,
    /// GetRelationGraph graphs.
    pub graphs: Answers<GetRelationGraphResponse>,
}

impl KeptAnswers {
    /// The kinds of answer kept: one field of [`KeptAnswers`] each.
    const KINDS: usize = 5;

    /// Keeps at most `max_bytes` in all, shared out evenly among the kinds.
    pub fn new(max_bytes: usize) -> Self {
        let each = max_bytes / Self::KINDS;
        Self {
            events: Answers::new(each),
            timelines: Answers::new(each),
            relations: Answers::new(each),
            histories: Answers::new(each),
            graphs: Answers::new(each),
        }
    }
}

impl Querier {
    /// The answer `read` gives to the request encoded as `key`, encoded and
    /// kept in `answers` until the store changes. An answer is kept only when
    /// no writer committed while it was read, so it is what the store held.
    pub(crate) async fn kept<A: Message>(
        &self,
        answers: &Answers<A>,
        key: Vec<u8>,
        read: impl Future<Output = Result<A, QueryError>>,
    ) -> Result<Encoded<A>, QueryError> {
        if !answers.keeps_any() {
            return Ok(Encoded::new(&read.await?));
        }
        let Some(marker) = self.store.change_marker().await? else {
            return Ok(Encoded::new(&read.await?));
        };
        if let Some(answer) = answers.get(marker, &key) {
            return Ok(answer);
        }
        let answer = Encoded::new(&read.await?);
        if self.store.change_marker().await? == Some(marker) {
            answers.put(marker, key, answer.clone());
        }
        Ok(answer)
    }
}

/// Answers of one kind of request, keyed by the request's encoding, valid
/// for one store change marker. A new marker empties it; so does reaching
/// its bounds, which keeps its memory within `max_bytes`.
#[derive(Debug)]
pub struct Answers<A> {
    max_bytes: usize,
    kept: Mutex<Kept<A>>,
}

#[derive(Debug)]
struct Kept<A> {
    marker: Option<i64>,
    bytes: usize,
    by_request: HashMap<Vec<u8>, Encoded<A>>,
}

impl<A> Answers<A> {
    /// Keeps at most `max_bytes` of encoded answers; 0 keeps none.
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            kept: Mutex::new(Kept {
                marker: None,
                bytes: 0,
                by_request: HashMap::new(),
            }),
        }
    }

    /// Whether answers are kept at all (a bound of 0 keeps none).
    pub fn keeps_any(&self) -> bool {
        self.max_bytes > 0
    }

    /// The answer to `request` read at `marker`, if kept (its bytes shared,
    /// not copied).
    pub fn get(&self, marker: i64, request: &[u8]) -> Option<Encoded<A>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        (kept.marker == Some(marker))
            .then(|| kept.by_request.get(request).cloned())
            .flatten()
    }

    /// Keeps `answer` to `request`, read between two readings of `marker`.
    pub fn put(&self, marker: i64, request: Vec<u8>, answer: Encoded<A>) {
        let size = request.len() + answer.bytes().len();
        if size > self.max_bytes / 4 {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        // Markers only grow: an answer read before a newer one was kept is not.
        if kept.marker > Some(marker) {
            return;
        }
        if kept.marker != Some(marker) || kept.bytes + size > self.max_bytes {
            kept.marker = Some(marker);
            kept.bytes = 0;
            kept.by_request.clear();
        }
        if kept.by_request.insert(request, answer).is_none() {
            kept.bytes += size;
        }
    }
}

#[cfg(test)]
mod tests {
    use dyad_proto::v1::ListEventsResponse;

    use super::*;

    fn answer(token: &str) -> Encoded<ListEventsResponse> {
        Encoded::new(&ListEventsResponse {
            events: Vec::new(),
            next_page_token: token.into(),
        })
    }

    #[test]
    fn answers_hold_until_the_marker_moves() {
        let answers = Answers::new(1 << 20);
        answers.put(7, b"a".to_vec(), answer("x"));
        assert_eq!(answers.get(7, b"a"), Some(answer("x")));
        assert_eq!(answers.get(7, b"b"), None);
        assert_eq!(answers.get(8, b"a"), None, "a commit since");
        answers.put(8, b"b".to_vec(), answer("y"));
        assert_eq!(answers.get(7, b"a"), None, "emptied by the new marker");
        assert_eq!(answers.get(8, b"b"), Some(answer("y")));
        answers.put(7, b"late".to_vec(), answer("old"));
        assert_eq!(
            answers.get(8, b"b"),
            Some(answer("y")),
            "a late older answer"
        );
        assert_eq!(answers.get(7, b"late"), None);
    }

    #[test]
    fn memory_stays_within_its_bound() {
        let answers = Answers::new(64);
        let big = "z".repeat(40);
        answers.put(1, b"big".to_vec(), answer(&big));
        assert_eq!(answers.get(1, b"big"), None, "over a quarter of the bound");
        for i in 0..20u8 {
            answers.put(1, vec![i], answer("small"));
        }
        let kept = (0..20u8)
            .filter(|i| answers.get(1, &[*i]).is_some())
            .count();
        assert!((1..20).contains(&kept), "{kept} kept of 20");
        let disabled = Answers::new(0);
        assert!(!disabled.keeps_any());
        disabled.put(1, b"a".to_vec(), answer(""));
        assert_eq!(disabled.get(1, b"a"), None);
    }
}
