//! Opaque page tokens: the position after the last event of a page, bound to
//! the filters it was issued for.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use dyad_store::{EventCursor, EventFilter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Serialize, Deserialize)]
struct Token {
    /// Event date of the last event.
    d: String,
    /// Id of the last event.
    i: String,
    /// Fingerprint of the filters.
    f: String,
}

fn fingerprint(filter: &EventFilter) -> String {
    let mut hasher = Sha256::new();
    for part in [
        &filter.actor_code,
        &filter.country_code,
        &filter.start_date,
        &filter.end_date,
        &filter.cameo_root,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Encodes the position after `cursor` for these filters.
pub fn encode(cursor: &EventCursor, filter: &EventFilter) -> String {
    let token = Token {
        d: cursor.date.clone(),
        i: cursor.id.clone(),
        f: fingerprint(filter),
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).expect("a token serialises"))
}

/// Decodes a token issued by [`encode`] for the same filters.
pub fn decode(token: &str, filter: &EventFilter) -> Result<EventCursor, &'static str> {
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| "is not a page token issued by this service")?;
    let token: Token =
        serde_json::from_slice(&bytes).map_err(|_| "is not a page token issued by this service")?;
    if token.f != fingerprint(filter) {
        return Err(
            "was issued for other filters: repeat the request with the filters of the first page",
        );
    }
    Ok(EventCursor {
        date: token.d,
        id: token.i,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_foreign_tokens() {
        let filter = EventFilter {
            country_code: "ARM".into(),
            ..Default::default()
        };
        let cursor = EventCursor {
            date: "2024-05-08".into(),
            id: "ev_1".into(),
        };
        let token = encode(&cursor, &filter);
        assert_eq!(decode(&token, &filter), Ok(cursor));
        assert!(decode(&token, &EventFilter::default()).is_err());
        assert!(decode("garbage!", &filter).is_err());
    }
}
