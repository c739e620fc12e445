//! The SQLite backend against a real database file.

use dyad_proto::v1::{Actor, Article, Event, EventDate, Mention};
use dyad_store::{EventCursor, EventFilter, PutOutcome, SqliteStore, Store, StoreError};

fn article(id: &str, url: &str) -> Article {
    Article {
        id: id.into(),
        url: url.into(),
        text: "Some text.".into(),
        ..Default::default()
    }
}

fn event(id: &str, article_id: &str, date: &str, source: &str, target: &str) -> Event {
    let actor = |code: &str| Actor {
        code: code.into(),
        country_code: code[..3].into(),
        ..Default::default()
    };
    Event {
        id: id.into(),
        cameo_code: "190".into(),
        cameo_root: "19".into(),
        date: Some(EventDate {
            start_date: date.into(),
            end_date: date.into(),
            ..Default::default()
        }),
        source: Some(actor(source)),
        target: Some(actor(target)),
        mentions: vec![Mention {
            article_id: article_id.into(),
            sentence_text: "A sentence.".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[tokio::test]
async fn stores_once_by_id_or_url_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let events = [event("e1", "a", "2020-01-01", "ARMGOV", "AZEMIL")];
    assert_eq!(
        store
            .put_article(&article("a", "https://x.org/1"), &events)
            .await
            .unwrap(),
        PutOutcome::Inserted
    );
    assert_eq!(
        store.put_article(&article("a", ""), &events).await.unwrap(),
        PutOutcome::AlreadyKnown("a".into())
    );
    assert_eq!(
        store
            .put_article(&article("b", "https://x.org/1"), &[])
            .await
            .unwrap(),
        PutOutcome::AlreadyKnown("a".into())
    );
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    let (stored, events) = store.get_article("a").await.unwrap().unwrap();
    assert_eq!(stored.url, "https://x.org/1");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].mentions[0].sentence_text, "A sentence.");
    assert_eq!(
        store
            .get_event("e1")
            .await
            .unwrap()
            .unwrap()
            .target
            .unwrap()
            .code,
        "AZEMIL"
    );
}

#[tokio::test]
async fn lists_in_date_order_with_filters_and_cursors() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    let events = [
        event("e3", "a", "2023-09-19", "AZEMIL", "ARMREB"),
        event("e1", "a", "1994-05-01", "ARMREB", "AZEGOV"),
        event("e2", "a", "2020-09-27", "ARMGOV", "AZEGOV"),
        event("e4", "a", "2020-09-27", "RUSGOV", "ARMGOV"),
    ];
    store.put_article(&article("a", ""), &events).await.unwrap();
    let ids = |events: Vec<Event>| events.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let all = store
        .list_events(&EventFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(ids(all), ["e1", "e2", "e4", "e3"]);
    let after = EventCursor {
        date: "2020-09-27".into(),
        id: "e2".into(),
    };
    assert_eq!(
        ids(store
            .list_events(&EventFilter::default(), Some(&after), 10)
            .await
            .unwrap()),
        ["e4", "e3"]
    );
    let russia = EventFilter {
        country_code: "RUS".into(),
        ..Default::default()
    };
    assert_eq!(
        ids(store.list_events(&russia, None, 10).await.unwrap()),
        ["e4"]
    );
    let window = EventFilter {
        actor_code: "AZEGOV".into(),
        start_date: "2000-01-01".into(),
        end_date: "2021-01-01".into(),
        ..Default::default()
    };
    assert_eq!(
        ids(store.list_events(&window, None, 10).await.unwrap()),
        ["e2"]
    );
}

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
