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
            QueryError::Store(e) => store_status(e),
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
            Status::aborted("the read conflicted with a writer; retry it")
        }
        StoreError::Invalid(reason) => {
            Status::invalid_argument(format!("the store cannot answer this request: {reason}"))
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
        Status::from(QueryError::Store(error)).code()
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
}
