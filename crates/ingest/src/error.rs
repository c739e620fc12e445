//! Errors of the ingest service and their gRPC status.

use dyad_proto::v1::Rejection;
use dyad_store::StoreError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

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

impl IngestError {
    /// The error of a reading or coding task that did not finish.
    pub fn from_task(error: tokio::task::JoinError) -> Self {
        if error.is_panic() {
            IngestError::Task(error.to_string())
        } else {
            IngestError::Store(StoreError::Unavailable(format!(
                "the service is shutting down: {error}"
            )))
        }
    }
}

impl From<IngestError> for Status {
    fn from(error: IngestError) -> Self {
        match error {
            IngestError::Invalid(rejection) => Status::with_error_details(
                Code::InvalidArgument,
                format!("{}: {}", rejection.field, rejection.description),
                ErrorDetails::with_bad_request_violation(rejection.field, rejection.description),
            ),
            IngestError::Store(e) => store_status(e),
            IngestError::Overloaded => Status::resource_exhausted(
                "the service is coding and storing as much as it may at once: retry with backoff, \
                 or use the IngestArticles stream, which waits instead",
            ),
            IngestError::Task(e) => {
                tracing::error!(error = %e, "a coding task panicked");
                Status::internal(
                    "coding this article failed inside the service (a bug, not your request); \
                     see the service log",
                )
            }
        }
    }
}

/// The status of each kind of store failure: retry later, retry now, fix the
/// request, or a bug on our side.
fn store_status(error: StoreError) -> Status {
    match error {
        StoreError::Unavailable(_) | StoreError::Open { .. } => {
            tracing::warn!(%error, "store unavailable");
            Status::unavailable("the store is unavailable; retry later")
        }
        StoreError::Conflict(_) => {
            tracing::info!(%error, "store conflict");
            Status::aborted("the write conflicted with another writer; retry it")
        }
        StoreError::Invalid(reason) => {
            Status::invalid_argument(format!("the store refused this article: {reason}"))
        }
        StoreError::Corrupt(_) => {
            tracing::error!(%error, "corrupt store");
            Status::data_loss("the store holds corrupt data; see the service log")
        }
        StoreError::TooNew { .. } | StoreError::Internal(_) => {
            tracing::error!(%error, "store error");
            Status::internal("internal store error; see the service log")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(error: StoreError) -> Code {
        Status::from(IngestError::Store(error)).code()
    }

    #[test]
    fn each_store_error_kind_has_its_status() {
        let text = || "x".to_string();
        assert_eq!(code_of(StoreError::Unavailable(text())), Code::Unavailable);
        assert_eq!(code_of(StoreError::Conflict(text())), Code::Aborted);
        assert_eq!(code_of(StoreError::Invalid(text())), Code::InvalidArgument);
        assert_eq!(code_of(StoreError::Corrupt(text())), Code::DataLoss);
        assert_eq!(code_of(StoreError::Internal(text())), Code::Internal);
        let open = StoreError::Open {
            location: text(),
            reason: text(),
        };
        assert_eq!(code_of(open), Code::Unavailable);
        let too_new = StoreError::TooNew {
            location: text(),
            found: 9,
            supported: 8,
        };
        assert_eq!(code_of(too_new), Code::Internal);
    }

    #[tokio::test]
    async fn a_panicked_coding_task_is_internal_not_unavailable() {
        let panicked = tokio::task::spawn_blocking(|| panic!("a coder bug"))
            .await
            .unwrap_err();
        let status = Status::from(IngestError::from_task(panicked));
        assert_eq!(status.code(), Code::Internal);
        assert!(status.message().contains("a bug"), "{status:?}");
    }
}
