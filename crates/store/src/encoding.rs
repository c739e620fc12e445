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

#[cfg(test)]
mod tests {
    use super::*;

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
