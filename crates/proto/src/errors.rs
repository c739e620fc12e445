//! The error contract: every status the services make carries a
//! `google.rpc.ErrorInfo` — a [`Reason`] in the domain [`DOMAIN`], with
//! metadata where a client can act on it (the field, the cursor to resume
//! from) — and, where waiting helps (UNAVAILABLE, RESOURCE_EXHAUSTED), a
//! `google.rpc.RetryInfo` saying how long to wait. Invalid fields also carry
//! a `google.rpc.BadRequest` naming the field.

use std::{collections::HashMap, time::Duration};

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// The `ErrorInfo.domain` of every Dyad error.
pub const DOMAIN: &str = "dyad.v1";

/// How long a client should wait before retrying what the service could not
/// do now, when the failure does not say better.
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_secs(1);

/// Why a call failed: the `ErrorInfo.reason`, stable across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A request field is wrong (BadRequest names it; metadata `field`).
    InvalidField,
    /// The request is not a valid message of the API.
    MalformedMessage,
    /// What the request names does not exist.
    NotFound,
    /// The database refused the data or the query as given.
    StoreRefused,
    /// The database cannot serve now.
    StoreUnavailable,
    /// A write lost a race with another writer.
    StoreConflict,
    /// Stored data cannot be decoded.
    StoreCorrupt,
    /// A bug on the service's side.
    Internal,
    /// The service is coding and storing as much as it may at once.
    Overloaded,
    /// Over the requests-per-second limit.
    RateLimited,
    /// Over the limit of calls served at once.
    TooManyCalls,
    /// A stream sent more items than one stream may carry.
    StreamLimit,
    /// A request stream broke off part-way.
    StreamBrokenOff,
    /// A watcher fell too far behind (metadata `cursor`: where to resume).
    WatchBehind,
    /// A watch could not go on (metadata `cursor`: where to resume).
    WatchInterrupted,
    /// An export could not go on (metadata `resume_token`).
    ExportInterrupted,
    /// The call carries no bearer token.
    TokenMissing,
    /// The bearer token is not one the service knows.
    TokenInvalid,
    /// The token may read but the call writes.
    TokenReadOnly,
}

impl Reason {
    /// The reason as sent: UPPER_SNAKE_CASE.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InvalidField => "INVALID_FIELD",
            Reason::MalformedMessage => "MALFORMED_MESSAGE",
            Reason::NotFound => "NOT_FOUND",
            Reason::StoreRefused => "STORE_REFUSED",
            Reason::StoreUnavailable => "STORE_UNAVAILABLE",
            Reason::StoreConflict => "STORE_CONFLICT",
            Reason::StoreCorrupt => "STORE_CORRUPT",
            Reason::Internal => "INTERNAL",
            Reason::Overloaded => "OVERLOADED",
            Reason::RateLimited => "RATE_LIMITED",
            Reason::TooManyCalls => "TOO_MANY_CALLS",
            Reason::StreamLimit => "STREAM_LIMIT",
            Reason::StreamBrokenOff => "STREAM_BROKEN_OFF",
            Reason::WatchBehind => "WATCH_BEHIND",
            Reason::WatchInterrupted => "WATCH_INTERRUPTED",
            Reason::ExportInterrupted => "EXPORT_INTERRUPTED",
            Reason::TokenMissing => "TOKEN_MISSING",
            Reason::TokenInvalid => "TOKEN_INVALID",
            Reason::TokenReadOnly => "TOKEN_READ_ONLY",
        }
    }
}

/// A status of `code` with `message`, an ErrorInfo of `reason` and
/// `metadata`, and a RetryInfo of `retry_delay` — by default
/// [`DEFAULT_RETRY_DELAY`] for UNAVAILABLE and RESOURCE_EXHAUSTED, none
/// otherwise.
pub fn status_with(
    code: Code,
    message: impl Into<String>,
    reason: Reason,
    metadata: &[(&str, &str)],
    retry_delay: Option<Duration>,
) -> Status {
    let mut details = ErrorDetails::new();
    set_error_info(&mut details, reason, metadata);
    let retry_delay = retry_delay
        .or(matches!(code, Code::Unavailable | Code::ResourceExhausted)
            .then_some(DEFAULT_RETRY_DELAY));
    if let Some(delay) = retry_delay {
        details.set_retry_info(Some(delay));
    }
    Status::with_error_details(code, message, details)
}

/// Adds the ErrorInfo of `reason` with `metadata` to `details`.
fn set_error_info(details: &mut ErrorDetails, reason: Reason, metadata: &[(&str, &str)]) {
    details.set_error_info(
        reason.as_str(),
        DOMAIN,
        metadata
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    );
}

/// [`status_with`] without metadata and with the default retry delay.
pub fn status(code: Code, message: impl Into<String>, reason: Reason) -> Status {
    status_with(code, message, reason, &[], None)
}

/// INVALID_ARGUMENT "`field`: `description`", with a BadRequest naming the
/// field and an ErrorInfo of [`Reason::InvalidField`].
pub fn invalid_field(field: &str, description: &str) -> Status {
    let mut details = ErrorDetails::with_bad_request_violation(field, description);
    set_error_info(&mut details, Reason::InvalidField, &[("field", field)]);
    Status::with_error_details(
        Code::InvalidArgument,
        format!("{field}: {description}"),
        details,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_carries_its_reason_and_retry_advice_where_waiting_helps() {
        let busy = status(Code::Unavailable, "later", Reason::StoreUnavailable);
        let details = busy.get_error_details();
        let info = details.error_info().unwrap();
        assert_eq!(
            (info.reason.as_str(), info.domain.as_str()),
            ("STORE_UNAVAILABLE", DOMAIN)
        );
        assert_eq!(
            details.retry_info().unwrap().retry_delay,
            Some(DEFAULT_RETRY_DELAY)
        );
        let missing = status(Code::NotFound, "no such event", Reason::NotFound);
        assert!(missing.get_error_details().retry_info().is_none());
        assert_eq!(missing.message(), "no such event");
    }

    #[test]
    fn an_invalid_field_is_named_twice_over() {
        let bad = invalid_field("page_size", "must not be negative");
        assert_eq!(bad.code(), Code::InvalidArgument);
        assert_eq!(bad.message(), "page_size: must not be negative");
        let details = bad.get_error_details();
        assert_eq!(
            details.bad_request().unwrap().field_violations[0].field,
            "page_size"
        );
        let info = details.error_info().unwrap();
        assert_eq!(info.reason, "INVALID_FIELD");
        assert_eq!(info.metadata["field"], "page_size");
    }

    #[test]
    fn resume_points_travel_as_metadata() {
        let cut = status_with(
            Code::ResourceExhausted,
            "behind",
            Reason::WatchBehind,
            &[("cursor", "7.42")],
            Some(Duration::ZERO),
        );
        let details = cut.get_error_details();
        assert_eq!(details.error_info().unwrap().metadata["cursor"], "7.42");
        assert_eq!(
            details.retry_info().unwrap().retry_delay,
            Some(Duration::ZERO)
        );
    }
}
