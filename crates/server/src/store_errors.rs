//! What each kind of store failure tells a client: retry later, retry now,
//! fix the request, or a bug on our side. Both services answer with these.

use dyad_store::StoreError;
use tonic::Status;

/// The status of a store failure in a call about `subject` ("this
/// article", "this request").
pub fn store_status(error: StoreError, subject: &str) -> Status {
    match error {
        StoreError::Unavailable(_) | StoreError::Open { .. } => {
            tracing::warn!(%error, "store unavailable");
            Status::unavailable("the store is unavailable; retry later")
        }
        StoreError::Conflict(_) => {
            tracing::info!(%error, "store conflict");
            Status::aborted(format!(
                "{subject} met another writer's change in the store; retry it"
            ))
        }
        StoreError::Invalid(reason) => {
            Status::invalid_argument(format!("the store refused {subject}: {reason}"))
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
    use tonic::Code;

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
