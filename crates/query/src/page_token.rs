//! Opaque page tokens, bound to the request they were issued for: the
//! position after the last event of a page (event listings and exports),
//! after the last mention of a page (an event's mentions), or the rank
//! after the last entry of a page (ranked answers: relations, actor
//! searches, an article's events).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use dyad_store::{EventCursor, MentionCursor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A page token in the clear; serialised as JSON, base64 on the wire.
#[derive(Serialize, Deserialize)]
struct Token {
    /// Event date of the last event.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    d: String,
    /// Store order of the last event.
    #[serde(default, skip_serializing_if = "is_zero")]
    s: i64,
    /// Rank of the first entry of the next page, in ranked answers.
    #[serde(default, skip_serializing_if = "is_zero")]
    o: i64,
    /// Outlet, article and sentence of the last mention, in mention pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<(String, String, i64)>,
    /// Fingerprint of the filters.
    f: String,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// A short hash of what a listing was asked for (its filters and order).
fn fingerprint(scope: &str) -> String {
    Sha256::digest(scope.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Encodes the position after `cursor` for a listing of `scope`.
pub fn encode(cursor: &EventCursor, scope: &str) -> String {
    seal(Token {
        d: cursor.date.clone(),
        s: cursor.seq,
        o: 0,
        m: None,
        f: fingerprint(scope),
    })
}

/// Decodes a token issued by [`encode`] for the same scope.
pub fn decode(token: &str, scope: &str) -> Result<EventCursor, &'static str> {
    let token = open(token, scope)?;
    // A token is not signed: what it holds must at least be a position.
    let is_day = chrono::NaiveDate::parse_from_str(&token.d, "%Y-%m-%d").is_ok();
    if !is_day || token.s < 0 {
        return Err(NOT_OURS);
    }
    Ok(EventCursor {
        date: token.d,
        seq: token.s,
    })
}

/// Encodes the rank `offset` (the first entry of the next page) for a
/// ranked answer of `scope`.
pub fn encode_offset(offset: usize, scope: &str) -> String {
    seal(Token {
        d: String::new(),
        s: 0,
        o: i64::try_from(offset).unwrap_or(i64::MAX),
        m: None,
        f: fingerprint(scope),
    })
}

/// Decodes a token issued by [`encode_offset`] for the same scope.
pub fn decode_offset(token: &str, scope: &str) -> Result<usize, &'static str> {
    let token = open(token, scope)?;
    usize::try_from(token.o)
        .ok()
        .filter(|o| *o > 0 && token.d.is_empty() && token.m.is_none())
        .ok_or(NOT_OURS)
}

/// Encodes the position after the mention `cursor` in the mentions of
/// `scope` (an event).
pub fn encode_mention(cursor: &MentionCursor, scope: &str) -> String {
    seal(Token {
        d: String::new(),
        s: 0,
        o: 0,
        m: Some((
            cursor.outlet.clone(),
            cursor.article_id.clone(),
            cursor.sentence_index,
        )),
        f: fingerprint(scope),
    })
}

/// Decodes a token issued by [`encode_mention`] for the same scope.
pub fn decode_mention(token: &str, scope: &str) -> Result<MentionCursor, &'static str> {
    let token = open(token, scope)?;
    match token.m {
        Some((outlet, article_id, sentence_index)) if sentence_index >= 0 => Ok(MentionCursor {
            outlet,
            article_id,
            sentence_index,
        }),
        _ => Err(NOT_OURS),
    }
}

/// A token's mention position, or `None` for the first page (no token).
pub fn mention_cursor_of(
    field: &'static str,
    token: &str,
    scope: &str,
) -> Result<Option<MentionCursor>, crate::error::QueryError> {
    if token.is_empty() {
        return Ok(None);
    }
    decode_mention(token, scope)
        .map(Some)
        .map_err(|why| crate::error::QueryError::invalid(field, why))
}

const NOT_OURS: &str = "is not a page token issued by this service";

fn seal(token: Token) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).expect("a token serialises"))
}

fn open(token: &str, scope: &str) -> Result<Token, &'static str> {
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| NOT_OURS)?;
    let token: Token = serde_json::from_slice(&bytes).map_err(|_| NOT_OURS)?;
    if token.f != fingerprint(scope) {
        return Err(
            "was issued for another request: repeat the request as it was for the first page",
        );
    }
    Ok(token)
}

/// A token's position, or `None` for the first page (no token).
pub fn cursor_of(
    field: &'static str,
    token: &str,
    scope: &str,
) -> Result<Option<EventCursor>, crate::error::QueryError> {
    if token.is_empty() {
        return Ok(None);
    }
    decode(token, scope)
        .map(Some)
        .map_err(|why| crate::error::QueryError::invalid(field, why))
}

/// A token's offset, or 0 for the first page (no token).
pub fn offset_of(
    field: &'static str,
    token: &str,
    scope: &str,
) -> Result<usize, crate::error::QueryError> {
    if token.is_empty() {
        return Ok(0);
    }
    decode_offset(token, scope).map_err(|why| crate::error::QueryError::invalid(field, why))
}

/// The page of `entries` that starts at rank `offset`, `limit` long, and
/// the token of the page after it (empty on the last page).
pub fn page_of<T>(entries: Vec<T>, offset: usize, limit: usize, scope: &str) -> (Vec<T>, String) {
    let total = entries.len();
    let page: Vec<T> = entries.into_iter().skip(offset).take(limit).collect();
    let next = offset + page.len();
    let token = if next < total && !page.is_empty() {
        encode_offset(next, scope)
    } else {
        String::new()
    };
    (page, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_foreign_tokens() {
        let filter = "country ARM";
        let cursor = EventCursor {
            date: "2024-05-08".into(),
            seq: 41,
        };
        let token = encode(&cursor, filter);
        assert_eq!(decode(&token, filter), Ok(cursor));
        assert!(decode(&token, "").is_err());
        assert!(decode("garbage!", filter).is_err());
        assert!(decode_offset(&token, filter).is_err());
        let made_up = seal(Token {
            d: "2024-13-45".into(),
            s: 1,
            o: 0,
            m: None,
            f: fingerprint(filter),
        });
        assert_eq!(decode(&made_up, filter), Err(NOT_OURS));
    }

    #[test]
    fn ranked_pages_follow_each_other_to_the_end() {
        let scope = "relations of RUS";
        let (first, token) = page_of((1..=5).collect(), 0, 2, scope);
        assert_eq!(first, vec![1, 2]);
        let offset = decode_offset(&token, scope).unwrap();
        let (second, token) = page_of((1..=5).collect(), offset, 2, scope);
        assert_eq!(second, vec![3, 4]);
        let offset = decode_offset(&token, scope).unwrap();
        let (last, token) = page_of((1..=5).collect::<Vec<i32>>(), offset, 2, scope);
        assert_eq!((last, token), (vec![5], String::new()));
        assert!(decode_offset(&encode_offset(2, scope), "other").is_err());
        assert!(decode(&encode_offset(2, scope), scope).is_err());
    }

    #[test]
    fn mention_tokens_round_trip_for_their_event_only() {
        let cursor = MentionCursor {
            outlet: "AP".into(),
            article_id: "a7".into(),
            sentence_index: 3,
        };
        let token = encode_mention(&cursor, "ev_1");
        assert_eq!(decode_mention(&token, "ev_1"), Ok(cursor));
        assert!(decode_mention(&token, "ev_2").is_err());
        assert!(decode_offset(&token, "ev_1").is_err());
        assert!(decode(&token, "ev_1").is_err());
        assert!(decode_mention(&encode_offset(4, "ev_1"), "ev_1").is_err());
    }
}
