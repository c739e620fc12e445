//! What each kind of store failure tells a client: retry later, retry now,
//! fix the request, or a bug on our side. Both services answer with these.

use dyad_proto::errors::{Reason, status};
use dyad_store::StoreError;
use tonic::{Code, Status};

/// The status of a store failure in a call about `subject` ("this
/// article", "this request").
pub fn store_status(error: StoreError, subject: &str) -> Status {
    match error {
        StoreError::Unavailable(_) | StoreError::Open { .. } => {
            tracing::warn!(%error, "store unavailable");
            status(
                Code::Unavailable,
                "the store is unavailable; retry later",
                Reason::StoreUnavailable,
            )
        }
        StoreError::Conflict(_) => {
            tracing::info!(%error, "store conflict");
            status(
                Code::Aborted,
                format!("{subject} met another writer's change in the store; retry it"),
                Reason::StoreConflict,
            )
        }
        StoreError::Invalid(reason) => status(
            Code::InvalidArgument,
            format!("the store refused {subject}: {reason}"),
            Reason::StoreRefused,
        ),
        StoreError::Corrupt(_) => {
            tracing::error!(%error, "corrupt store");
            status(
                Code::DataLoss,
                "the store holds corrupt data; see the service log",
                Reason::StoreCorrupt,
            )
        }
        StoreError::TooNew { .. } | StoreError::Internal(_) => {
            tracing::error!(%error, "store error");
            status(
                Code::Internal,
                "internal store error; see the service log",
                Reason::Internal,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(error: StoreError) -> Code {
        store_status(error, "this request").code()
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

    #[test]
    fn a_refusal_says_what_was_refused_and_why() {
        let status = store_status(StoreError::Invalid("NUL byte".into()), "this article");
        assert_eq!(status.message(), "the store refused this article: NUL byte");
    }
}
