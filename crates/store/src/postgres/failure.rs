//! What a PostgreSQL failure means for the caller: the [`StoreError`] kind
//! of each SQLSTATE class, so that a lost connection is "retry later", data
//! the server refuses (a NUL byte in text) is the request's fault and a bad
//! statement is a bug.

use crate::StoreError;

/// The store error a failure is.
pub(super) fn store_error(failure: impl Into<Failure>) -> StoreError {
    failure.into().0
}

/// A failure classified, described for people by the server's own message
/// when there is one.
pub(super) struct Failure(pub(super) StoreError);

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        let message = describe(&e);
        Failure(match e.code() {
            Some(state) => by_sqlstate(state.code(), message),
            // No SQLSTATE: the client failed. Converting a value is our bug;
            // anything else is the connection.
            None if is_conversion(&e) => StoreError::Internal(message),
            None => StoreError::Unavailable(message),
        })
    }
}

impl From<deadpool_postgres::PoolError> for Failure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Failure(StoreError::Unavailable(e.to_string()))
    }
}

/// The server's message (with its severity) or the client's.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    }
}

fn is_conversion(e: &tokio_postgres::Error) -> bool {
    let text = e.to_string();
    text.starts_with("error serializing") || text.starts_with("error deserializing")
}

/// The kind of a SQLSTATE, by its class (the first two characters; see the
/// PostgreSQL manual, appendix A).
fn by_sqlstate(state: &str, message: String) -> StoreError {
    match state.get(..2).unwrap_or_default() {
        // Connection exception, insufficient resources (disk, memory,
        // connections), operator intervention (shutdown, statement timeout,
        // cancel), system error (I/O).
        "08" | "53" | "57" | "58" => StoreError::Unavailable(message),
        // Lock not available; a read-only server (a standby, or
        // default_transaction_read_only) refusing a write.
        "55" if state == "55P03" => StoreError::Unavailable(message),
        "25" if state == "25006" => StoreError::Unavailable(message),
        // Integrity constraint violation, transaction rollback (serialisation
        // failure, deadlock).
        "23" | "40" => StoreError::Conflict(message),
        // Data exception (a NUL byte, a value out of range, bad encoding),
        // program limit exceeded (a statement too large or too deep).
        "22" | "54" => StoreError::invalid(&message),
        "XX" if state == "XX001" || state == "XX002" => StoreError::Corrupt(message),
        _ => StoreError::Internal(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(state: &str) -> &'static str {
        match by_sqlstate(state, String::new()) {
            StoreError::Unavailable(_) => "unavailable",
            StoreError::Conflict(_) => "conflict",
            StoreError::Invalid(_) => "invalid",
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Internal(_) => "internal",
            _ => "other",
        }
    }

    #[test]
    fn each_sqlstate_class_has_its_kind() {
        for (state, expected) in [
            ("08006", "unavailable"), // connection failure
            ("53100", "unavailable"), // disk full
            ("57P01", "unavailable"), // admin shutdown
            ("57014", "unavailable"), // query cancelled (statement timeout)
            ("55P03", "unavailable"), // lock not available
            ("25006", "unavailable"), // read-only transaction (standby)
            ("25001", "internal"),    // active transaction (a bug)
            ("23505", "conflict"),    // unique violation
            ("40001", "conflict"),    // serialisation failure
            ("40P01", "conflict"),    // deadlock
            ("22021", "invalid"),     // character not in repertoire (NUL)
            ("22003", "invalid"),     // numeric value out of range
            ("54001", "invalid"),     // statement too complex
            ("XX001", "corrupt"),     // data corrupted
            ("42P01", "internal"),    // undefined table
            ("42601", "internal"),    // syntax error
            ("55000", "internal"),    // object not in prerequisite state
        ] {
            assert_eq!(kind(state), expected, "SQLSTATE {state}");
        }
    }
}
