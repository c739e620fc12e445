//! Errors of the query service and their gRPC status.

use dyad_store::StoreError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// What can go wrong while answering a query.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// A request field is invalid.
    #[error("{field}: {description}")]
    Invalid {
        /// The field, e.g. "page_size".
        field: &'static str,
        /// What is wrong with it.
        description: String,
    },
    /// The requested thing does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl QueryError {
    /// An invalid-argument error for `field`.
    pub fn invalid(field: &'static str, description: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            description: description.into(),
        }
    }
}

impl From<QueryError> for Status {
    fn from(error: QueryError) -> Self {
        match error {
            QueryError::Invalid { field, description } => Status::with_error_details(
                Code::InvalidArgument,
                format!("{field}: {description}"),
                ErrorDetails::with_bad_request_violation(field, description),
            ),
            QueryError::NotFound(what) => Status::not_found(what),
            QueryError::Store(e @ StoreError::Unavailable(_)) => {
                tracing::warn!(error = %e, "store unavailable");
                Status::unavailable("the store is unavailable; retry later")
            }
            QueryError::Store(e) => {
                tracing::error!(error = %e, "store error");
                Status::internal("internal store error; see the service log")
            }
        }
    }
}
