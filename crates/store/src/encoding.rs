//! Encodings every backend shares: times as fixed-width RFC 3339 text (so
//! that text order is time order) and the order of coder versions.

use chrono::{DateTime, SecondsFormat, Utc};
use dyad_proto::Timestamp;

/// A time as fixed-width RFC 3339 text in UTC, nanoseconds included.
pub(crate) fn time_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// A protobuf timestamp as [`time_text`]; `None` when absent or out of range.
pub(crate) fn timestamp_to_text(ts: &Option<Timestamp>) -> Option<String> {
    let ts = ts.as_ref()?;
    DateTime::<Utc>::from_timestamp(ts.seconds, u32::try_from(ts.nanos).unwrap_or(0)).map(time_text)
}

/// Text written by [`time_text`] back as a protobuf timestamp.
pub(crate) fn text_to_timestamp(text: Option<String>) -> Option<Timestamp> {
    let t = DateTime::parse_from_rfc3339(&text?).ok()?;
    Some(Timestamp {
        seconds: t.timestamp(),
        nanos: i32::try_from(t.timestamp_subsec_nanos()).unwrap_or(0),
    })
}

/// Whether coder version `new` is newer than `stored` ("dyad-extract/0.2.0"
/// against "dyad-extract/0.1.3"), comparing the numbers of the version.
pub(crate) fn is_newer(new: &str, stored: &str) -> bool {
    let numbers = |v: &str| -> Vec<u64> {
        v.rsplit('/')
            .next()
            .unwrap_or_default()
            .split(['.', '-'])
            .map_while(|part| part.parse().ok())
            .collect()
    };
    numbers(new) > numbers(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coder_versions_compare_by_number() {
        assert!(is_newer("dyad-extract/0.2.0", "dyad-extract/0.1.9"));
        assert!(is_newer("dyad-extract/0.10.0", "dyad-extract/0.9.0"));
        assert!(is_newer("dyad-extract/0.1.0", ""));
        assert!(!is_newer("dyad-extract/0.1.0", "dyad-extract/0.1.0"));
        assert!(!is_newer("dyad-extract/0.1.0", "dyad-extract/0.2.0"));
    }

    #[test]
    fn time_text_orders_like_time() {
        let early = timestamp_to_text(&Some(Timestamp {
            seconds: 10,
            nanos: 500_000_000,
        }));
        let late = timestamp_to_text(&Some(Timestamp {
            seconds: 11,
            nanos: 0,
        }));
        assert!(early < late);
        assert_eq!(text_to_timestamp(early).unwrap().nanos, 500_000_000);
    }
}
