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
}

impl From<IngestError> for Status {
    fn from(error: IngestError) -> Self {
        match error {
            IngestError::Invalid(rejection) => Status::with_error_details(
                Code::InvalidArgument,
                format!("{}: {}", rejection.field, rejection.description),
                ErrorDetails::with_bad_request_violation(rejection.field, rejection.description),
            ),
            IngestError::Store(e @ StoreError::Unavailable(_)) => {
                tracing::warn!(error = %e, "store unavailable");
                Status::unavailable("the store is unavailable; retry later")
            }
            IngestError::Overloaded => Status::resource_exhausted(
                "the service is coding and storing as much as it may at once: retry with backoff, \
                 or use the IngestArticles stream, which waits instead",
            ),
            IngestError::Store(e) => {
                tracing::error!(error = %e, "store error");
                Status::internal("internal store error; see the service log")
            }
        }
    }
}
