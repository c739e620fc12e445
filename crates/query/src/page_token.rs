//! Opaque page tokens: the position after the last event of a page, bound to
//! the filters it was issued for.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use dyad_store::EventCursor;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Serialize, Deserialize)]
struct Token {
    /// Event date of the last event.
    d: String,
    /// Store order of the last event.
    s: i64,
    /// Fingerprint of the filters.
    f: String,
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
    let token = Token {
        d: cursor.date.clone(),
        s: cursor.seq,
        f: fingerprint(scope),
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).expect("a token serialises"))
}

/// Decodes a token issued by [`encode`] for the same scope.
pub fn decode(token: &str, scope: &str) -> Result<EventCursor, &'static str> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| "is not a page token issued by this service")?;
    let token: Token =
        serde_json::from_slice(&bytes).map_err(|_| "is not a page token issued by this service")?;
    if token.f != fingerprint(scope) {
        return Err(
            "was issued for other filters: repeat the request with the filters of the first page",
        );
    }
    Ok(EventCursor {
        date: token.d,
        seq: token.s,
    })
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
    }
}
