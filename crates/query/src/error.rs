//! Errors of the query service and their gRPC status.

use dyad_proto::errors::{Reason, invalid_field, status};
use dyad_store::StoreError;
use tonic::{Code, Status};

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
            QueryError::Invalid { field, description } => invalid_field(field, &description),
            QueryError::NotFound(what) => status(Code::NotFound, what, Reason::NotFound),
            QueryError::Store(e) => dyad_server::store_status(e, "this request"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_failures_answer_with_their_kinds_status() {
        let refused = Status::from(QueryError::Store(StoreError::Invalid("too deep".into())));
        assert_eq!(refused.code(), Code::InvalidArgument);
        assert_eq!(
            refused.message(),
            "the store refused this request: too deep"
        );
        let bug = Status::from(QueryError::Store(StoreError::Internal("x".into())));
        assert_eq!(bug.code(), Code::Internal);
    }
}
