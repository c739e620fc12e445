//! Errors of the ingest service and their gRPC status.

use dyad_proto::errors::{Reason, invalid_field, status};
use dyad_proto::v1::Rejection;
use dyad_store::StoreError;
use tonic::{Code, Status};

/// What can go wrong while ingesting.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The request is invalid.
    #[error("{}: {}", .0.field, .0.description)]
    Invalid(Rejection),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The service is at its in-flight budget and the call could not wait.
    #[error("overloaded")]
    Overloaded,
    /// Reading or coding the article failed inside the service (a panic: a
    /// bug, never the caller's fault).
    #[error("coding task failed: {0}")]
    Task(String),
}

impl From<IngestError> for Status {
    fn from(error: IngestError) -> Self {
        match error {
            IngestError::Invalid(rejection) => {
                invalid_field(&rejection.field, &rejection.description)
            }
            IngestError::Store(e) => dyad_server::store_status(e, "this article"),
            IngestError::Overloaded => status(
                Code::ResourceExhausted,
                "the service is coding and storing as much as it may at once: retry with backoff, \
                 or use the IngestArticles stream, which waits instead",
                Reason::Overloaded,
            ),
            IngestError::Task(e) => {
                tracing::error!(error = %e, "a coding task panicked");
                status(
                    Code::Internal,
                    "coding this article failed inside the service (a bug, not your request); \
                     see the service log",
                    Reason::Internal,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_failures_answer_with_their_kinds_status() {
        let refused = Status::from(IngestError::Store(StoreError::Invalid("NUL".into())));
        assert_eq!(refused.code(), Code::InvalidArgument);
        assert_eq!(refused.message(), "the store refused this article: NUL");
        let down = Status::from(IngestError::Store(StoreError::Unavailable("x".into())));
        assert_eq!(down.code(), Code::Unavailable);
    }

    #[test]
    fn a_panicked_coding_task_is_internal_not_unavailable() {
        let status = Status::from(IngestError::Task("a coder bug".into()));
        assert_eq!(status.code(), Code::Internal);
        assert!(status.message().contains("a bug"), "{status:?}");
    }
}
