//! What is particular to the SQLite backend; the behaviour common to all
//! backends is in `conformance.rs`.

use dyad_store::{SqliteStore, StoreError};

#[test]
fn refuses_a_database_from_a_newer_dyad() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    match SqliteStore::open(&path) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn unopenable_locations_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let error = SqliteStore::open(&file.join("db.sqlite3")).unwrap_err();
    assert!(
        error.to_string().starts_with("cannot open the store at"),
        "{error}"
    );
}
