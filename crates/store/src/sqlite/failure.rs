//! What a SQLite failure means for the caller: the [`StoreError`] kind of
//! each result code, so that a busy database is "retry later", a query too
//! large to run is the request's fault and a bad statement is a bug.

use rusqlite::{Error, ErrorCode};

use crate::StoreError;

/// The store error a SQLite failure is.
pub(super) fn store_error(error: Error) -> StoreError {
    let message = error.to_string();
    let Error::SqliteFailure(failure, detail) = &error else {
        // Conversions and API misuse on our side.
        return StoreError::Internal(message);
    };
    match failure.code {
        ErrorCode::DatabaseBusy
        | ErrorCode::DatabaseLocked
        | ErrorCode::DiskFull
        | ErrorCode::OutOfMemory
        | ErrorCode::SystemIoFailure
        | ErrorCode::CannotOpen
        | ErrorCode::ReadOnly
        | ErrorCode::PermissionDenied
        | ErrorCode::FileLockingProtocolFailed
        | ErrorCode::OperationInterrupted => StoreError::Unavailable(message),
        ErrorCode::ConstraintViolation => StoreError::Conflict(message),
        ErrorCode::TooBig => StoreError::invalid(&message),
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => StoreError::Corrupt(message),
        // SQLITE_ERROR is both "this query is beyond SQLite's limits" (the
        // caller asked for too much) and "no such table" (a bug).
        _ if detail.as_deref().is_some_and(beyond_limits) => StoreError::invalid(&message),
        _ => StoreError::Internal(message),
    }
}

/// Whether SQLite's message says a statement exceeds one of its limits
/// (`SQLITE_MAX_EXPR_DEPTH`, `SQLITE_MAX_VARIABLE_NUMBER`, …).
fn beyond_limits(message: &str) -> bool {
    ["too large", "too many", "too big", "too long"]
        .iter()
        .any(|phrase| message.contains(phrase))
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn failing(sql: &str) -> StoreError {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT UNIQUE)")
            .unwrap();
        conn.execute_batch("INSERT INTO t (code) VALUES ('a')")
            .unwrap();
        store_error(conn.execute_batch(sql).unwrap_err())
    }

    #[test]
    fn a_query_beyond_sqlites_limits_is_the_requests_fault() {
        let deep = (0..1200)
            .map(|i| format!("code = '{i}'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let error = failing(&format!("SELECT * FROM t WHERE {deep}"));
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
    }

    #[test]
    fn a_unique_violation_is_a_conflict() {
        let error = failing("INSERT INTO t (code) VALUES ('a')");
        assert!(matches!(error, StoreError::Conflict(_)), "{error:?}");
    }

    #[test]
    fn a_statement_sqlite_does_not_understand_is_a_bug() {
        let error = failing("SELECT * FROM no_such_table");
        assert!(matches!(error, StoreError::Internal(_)), "{error:?}");
    }

    #[test]
    fn a_locked_database_is_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locked.sqlite");
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
            .unwrap();
        let other = Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let error = store_error(other.execute_batch("INSERT INTO t VALUES (2)").unwrap_err());
        assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
    }

    #[test]
    fn a_wrong_column_type_is_a_bug() {
        let conn = Connection::open_in_memory().unwrap();
        let error = conn
            .query_row("SELECT 'text'", [], |row| row.get::<_, i64>(0))
            .unwrap_err();
        assert!(matches!(store_error(error), StoreError::Internal(_)));
    }
}
