//! The embedded SQLite backend: one database file, WAL mode, one writer
//! connection and a few reader connections, blocking calls run off the async
//! runtime.

mod failure;
mod rows;
mod schema;
mod write;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use chrono::Utc;
use dyad_proto::v1::{Actor, Article, Event};
use failure::store_error;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params, params_from_iter, types::Value};

use crate::{
    EventFilter, EventPage, Grouping, KnownActor, MENTIONS_IN_LISTINGS, MentionCursor, MentionPage,
    PageRequest, PutOutcome, Store, StoreError, StoredPosition, Tally, TallyRow,
    listing::{self, EVENT_COLUMNS, MENTION_COLUMNS, MENTION_ORDER},
    rollup,
};

/// Number of read connections.
const READERS: usize = 4;
/// How long a connection waits for a lock held by another writer.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    location: Arc<str>,
    /// The one write connection. A write waits for it here, without a
    /// thread: writers queued behind a slow transaction hold no blocking
    /// thread (and no allocator heap) each.
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Arc<[Mutex<Connection>]>,
    /// One permit per reader: a read waits here, without a thread, until a
    /// reader is free, and then finds it free.
    free_readers: Arc<tokio::sync::Semaphore>,
    /// A connection that only asks whether others have committed.
    change_watcher: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("location", &self.location)
            .finish()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and applies
    /// migrations. Fails when the file cannot be opened or written, or was
    /// written by a newer Dyad.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let location = path.display().to_string();
        let open_error = |e: &dyn std::fmt::Display| StoreError::Open {
            location: location.clone(),
            reason: e.to_string(),
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_error(&e))?;
        }
        let mut writer = Connection::open(path).map_err(|e| open_error(&e))?;
        configure(&writer).map_err(|e| open_error(&e))?;
        schema::migrate(&mut writer, &location)?;
        let open_reader = || {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            configure(&reader)?;
            Ok(Mutex::new(reader))
        };
        let readers = (0..READERS)
            .map(|_| open_reader())
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| open_error(&e))?;
        let change_watcher = open_reader().map_err(|e| open_error(&e))?;
        Ok(Self {
            location: location.into(),
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            readers: readers.into(),
            free_readers: Arc::new(tokio::sync::Semaphore::new(READERS)),
            change_watcher: Arc::new(change_watcher),
        })
    }

    /// The default database file under a data directory.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("dyad.sqlite3")
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut conn = self.writer.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || f(&mut conn))
            .await
            .map_err(StoreError::from_task)?
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let permit = self
            .free_readers
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| StoreError::Unavailable(format!("store closed: {e}")))?;
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = readers
                .iter()
                .find_map(|r| r.try_lock().ok())
                .unwrap_or_else(|| {
                    readers[0]
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                });
            f(&conn)
        })
        .await
        .map_err(StoreError::from_task)?
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Map the file: pages are read without copying them into the page cache.
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if !conn.is_readonly(rusqlite::MAIN_DB)? {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // 64 MiB of page cache: the indexes of a growing store stay in memory.
        // (256 MiB loads a million mentions 23 % faster, but the service's
        // resident memory would grow by as much.)
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Checkpoint every 64 MiB of WAL rather than 4: a page rewritten by
        // several transactions is copied back once.
        conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
        // A bulk load's large transactions grow the log far past that (490
        // MB seen loading a million events); once checkpointed and reused,
        // it is cut back to 64 MiB rather than kept at its largest.
        conn.pragma_update(None, "journal_size_limit", 64i64 << 20)?;
    }
    Ok(())
}

fn find_article_id(
    conn: &Connection,
    id: &str,
    url: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    let by = |column: &str, value: &str| {
        conn.prepare_cached(&format!(
            "SELECT id, coder_version FROM articles WHERE {column} = ?1 AND {column} <> ''"
        ))?
        .query_row([value], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
    };
    match by("id", id)? {
        None if !url.is_empty() => by("url", url),
        found => Ok(found),
    }
}

/// Loads an event's first [`MENTIONS_IN_LISTINGS`] mentions: anywhere, or
/// in one article.
fn load_mentions(
    conn: &Connection,
    event: &mut Event,
    in_article: Option<&str>,
) -> rusqlite::Result<()> {
    let limit = MENTIONS_IN_LISTINGS as i64;
    event.mentions = match in_article {
        None => conn
            .prepare_cached(&format!(
                "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = ?1 {MENTION_ORDER} \
                 LIMIT ?2"
            ))?
            .query_map(params![event.id, limit], rows::mention_from_row)?
            .collect::<rusqlite::Result<_>>()?,
        Some(article) => conn
            .prepare_cached(&format!(
                "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = ?1 AND article_id = ?3 \
                 ORDER BY sentence_index LIMIT ?2"
            ))?
            .query_map(params![event.id, limit, article], rows::mention_from_row)?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(())
}

/// The events a query selects (by [`EVENT_COLUMNS`]), without mentions.
fn query_events(
    conn: &Connection,
    sql: &str,
    params: Vec<Value>,
) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(store_error)?;
    let rows = stmt
        .query_map(params_from_iter(params), rows::event_from_row)
        .map_err(store_error)?;
    let mut events = Vec::new();
    for row in rows {
        events.push(row.map_err(store_error)??);
    }
    Ok(events)
}

#[async_trait]
impl Store for SqliteStore {
    async fn put_article(
        &self,
        article: &Article,
        events: &[Event],
        coder_version: &str,
    ) -> Result<PutOutcome, StoreError> {
        let batch = [(article.clone(), events.to_vec())];
        let mut outcomes = self.put_articles(&batch, coder_version).await?;
        Ok(outcomes.remove(0))
    }

    async fn put_articles(
        &self,
        batch: &[(Article, Vec<Event>)],
        coder_version: &str,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let batch = batch.to_vec();
        let coder_version = coder_version.to_string();
        self.write(move |conn| {
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(store_error)?;
            let now = crate::encoding::time_text(Utc::now());
            let mut effects = write::BatchEffects::default();
            let outcomes = batch
                .iter()
                .map(|(article, events)| {
                    write::put_article(&tx, (article, events), &coder_version, &now, &mut effects)
                })
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(store_error)?;
            effects.write(&tx).map_err(store_error)?;
            tx.commit().map_err(store_error)?;
            Ok(outcomes)
        })
        .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| {
            conn.query_row("SELECT 1", [], |_| Ok(()))
                .map_err(store_error)
        })
        .await
    }

    async fn probe_write(&self) -> Result<(), StoreError> {
        self.write(|conn| {
            // Rewriting the schema version with its own value commits a
            // page (the header) like any write, and changes nothing.
            let tx = conn.transaction().map_err(store_error)?;
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |row| row.get(0))
                .map_err(store_error)?;
            tx.pragma_update(None, "user_version", version)
                .map_err(store_error)?;
            tx.commit().map_err(store_error)
        })
        .await
    }

    async fn find_article(
        &self,
        id: &str,
        url: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let (id, url) = (id.to_string(), url.to_string());
        self.read(move |conn| find_article_id(conn, &id, &url).map_err(store_error))
            .await
    }

    async fn get_article(&self, id: &str) -> Result<Option<(Article, Vec<Event>)>, StoreError> {
        let id = id.to_string();
        self.read(move |conn| {
            let article = conn
                .query_row(
                    "SELECT id, url, title, outlet, publish_time, language, text, ingest_time \
                     FROM articles WHERE id = ?1",
                    [&id],
                    |row| {
                        Ok(Article {
                            id: row.get(0)?,
                            url: row.get(1)?,
                            title: row.get(2)?,
                            outlet: row.get(3)?,
                            publish_time: crate::encoding::text_to_timestamp(row.get(4)?),
                            language: row.get(5)?,
                            text: row.get(6)?,
                            ingest_time: crate::encoding::text_to_timestamp(row.get(7)?),
                            html: Vec::new(),
                        })
                    },
                )
                .optional()
                .map_err(store_error)?;
            let Some(article) = article else {
                return Ok(None);
            };
            let sql = format!(
                "SELECT {} FROM events JOIN (SELECT event_id, min(sentence_index) AS first \
                 FROM mentions WHERE article_id = ?1 GROUP BY event_id) AS m \
                 ON m.event_id = events.id ORDER BY m.first, events.id",
                EVENT_COLUMNS
            );
            let mut events = query_events(conn, &sql, vec![Value::Text(id.clone())])?;
            for event in &mut events {
                load_mentions(conn, event, Some(&id)).map_err(store_error)?;
            }
            Ok(Some((article, events)))
        })
        .await
    }

    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!("SELECT {} FROM events WHERE id = ?1", EVENT_COLUMNS);
            Ok(query_events(conn, &sql, vec![Value::Text(id)])?.pop())
        })
        .await
    }

    async fn event_mentions(
        &self,
        id: &str,
        after: Option<&MentionCursor>,
        limit: usize,
    ) -> Result<MentionPage, StoreError> {
        let id = id.to_string();
        let after = after.cloned();
        self.read(move |conn| {
            let read_limit = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
            let read = match &after {
                None => conn
                    .prepare_cached(&format!(
                        "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = ?1 \
                         {MENTION_ORDER} LIMIT ?2"
                    ))
                    .and_then(|mut stmt| {
                        stmt.query_map(params![id, read_limit], rows::mention_from_row)?
                            .collect::<rusqlite::Result<Vec<_>>>()
                    }),
                Some(cursor) => conn
                    .prepare_cached(&format!(
                        "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = ?1 \
                         AND (outlet, article_id, sentence_index) > (?3, ?4, ?5) \
                         {MENTION_ORDER} LIMIT ?2"
                    ))
                    .and_then(|mut stmt| {
                        stmt.query_map(
                            params![
                                id,
                                read_limit,
                                cursor.outlet,
                                cursor.article_id,
                                cursor.sentence_index
                            ],
                            rows::mention_from_row,
                        )?
                        .collect::<rusqlite::Result<Vec<_>>>()
                    }),
            }
            .map_err(store_error)?;
            Ok(listing::mention_page(read, limit))
        })
        .await
    }

    async fn list_events(
        &self,
        filter: &EventFilter,
        page: &PageRequest,
    ) -> Result<EventPage, StoreError> {
        let filter = filter.clone();
        let page = page.clone();
        self.read(move |conn| {
            let (sql, params) = listing::event_listing(&filter, &page, numbered, false);
            let mut stmt = conn.prepare_cached(&sql).map_err(store_error)?;
            let rows = stmt
                .query_map(params_from_iter(texts(params)), |row| {
                    Ok((rows::event_from_row(row)?, row.get::<_, i64>(20)?))
                })
                .map_err(store_error)?;
            let mut listed = Vec::new();
            for row in rows {
                let (event, seq) = row.map_err(store_error)?;
                listed.push((event?, seq));
            }
            if page.with_mentions {
                for (event, _) in &mut listed {
                    load_mentions(conn, event, None).map_err(store_error)?;
                }
            }
            Ok(listing::page_of(listed, &page))
        })
        .await
    }

    async fn tally(
        &self,
        filter: &EventFilter,
        grouping: &Grouping,
    ) -> Result<Vec<TallyRow>, StoreError> {
        let statements = rollup::tally_statements(filter, grouping, numbered);
        self.read(move |conn| {
            let mut rows = Vec::new();
            for statement in statements {
                let mut stmt = conn.prepare_cached(&statement.sql).map_err(store_error)?;
                let found = stmt
                    .query_map(params_from_iter(texts(statement.params)), |row| {
                        Ok(TallyRow {
                            period: row.get(0)?,
                            source: row.get(1)?,
                            target: row.get(2)?,
                            tally: Tally {
                                events: row.get(3)?,
                                quads: [row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?],
                                goldstein_sum: row.get(8)?,
                                mentions: row.get(9)?,
                            },
                        })
                    })
                    .map_err(store_error)?;
                for row in found {
                    rows.push(row.map_err(store_error)?);
                }
            }
            Ok(rollup::merge(rows))
        })
        .await
    }

    async fn date_span(
        &self,
        filter: &EventFilter,
    ) -> Result<Option<(String, String)>, StoreError> {
        let statement = rollup::span_statement(filter, numbered);
        self.read(move |conn| {
            let span: (Option<String>, Option<String>) = conn
                .prepare_cached(&statement.sql)
                .and_then(|mut stmt| {
                    stmt.query_row(params_from_iter(texts(statement.params)), |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                })
                .map_err(store_error)?;
            Ok(span.0.zip(span.1))
        })
        .await
    }

    async fn actors(&self) -> Result<Vec<KnownActor>, StoreError> {
        self.read(|conn| {
            let mut names: HashMap<String, Vec<String>> = HashMap::new();
            let mut stmt = conn
                .prepare_cached("SELECT code, name FROM actor_names")
                .map_err(store_error)?;
            for row in stmt
                .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))
                .map_err(store_error)?
            {
                let (code, name) = row.map_err(store_error)?;
                names.entry(code).or_default().push(name);
            }
            let mut stmt = conn
                .prepare_cached("SELECT code, name, country, role, kind FROM actors")
                .map_err(store_error)?;
            let actors = stmt
                .query_map([], |row| {
                    Ok(Actor {
                        code: row.get(0)?,
                        name: row.get(1)?,
                        country_code: row.get(2)?,
                        role: row.get(3)?,
                        kind: row.get(4)?,
                        text: String::new(),
                    })
                })
                .map_err(store_error)?
                .map(|row| {
                    let actor = row.map_err(store_error)?;
                    let aliases = names.remove(&actor.code).unwrap_or_default();
                    Ok(KnownActor::new(actor, aliases))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(actors)
        })
        .await
    }

    /// SQLite's `data_version` as one connection sees it: it changes when
    /// any other connection commits. Asked on the caller's thread: it reads
    /// the write-ahead log's index in shared memory, microseconds.
    async fn change_marker(&self) -> Result<Option<i64>, StoreError> {
        let conn = self
            .change_watcher
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        conn.prepare_cached("PRAGMA data_version")
            .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
            .map(Some)
            .map_err(store_error)
    }

    async fn latest_position(&self) -> Result<StoredPosition, StoreError> {
        self.read(|conn| {
            let sequence: i64 = conn
                .query_row("SELECT coalesce(max(changed), 0) FROM events", [], |row| {
                    row.get(0)
                })
                .map_err(store_error)?;
            Ok(StoredPosition {
                transaction: 0,
                sequence,
            })
        })
        .await
    }

    async fn events_stored_after(
        &self,
        filter: &EventFilter,
        after: StoredPosition,
        limit: usize,
    ) -> Result<Vec<(Event, StoredPosition)>, StoreError> {
        let filter = filter.clone();
        self.read(move |conn| {
            let mut predicate = listing::event_predicate(&filter, numbered);
            predicate.add("changed > ?", &[&after.sequence.to_string()]);
            let sql = format!(
                "SELECT {EVENT_COLUMNS}, changed FROM events {} ORDER BY changed LIMIT {limit}",
                predicate.where_clause()
            );
            let mut stmt = conn.prepare_cached(&sql).map_err(store_error)?;
            let rows = stmt
                .query_map(params_from_iter(texts(predicate.params)), |row| {
                    Ok((rows::event_from_row(row)?, row.get::<_, i64>(20)?))
                })
                .map_err(store_error)?;
            let mut events = Vec::new();
            for row in rows {
                let (event, sequence) = row.map_err(store_error)?;
                let mut event = event?;
                load_mentions(conn, &mut event, None).map_err(store_error)?;
                events.push((
                    event,
                    StoredPosition {
                        transaction: 0,
                        sequence,
                    },
                ));
            }
            Ok(events)
        })
        .await
    }
}

/// SQLite's numbered placeholder.
fn numbered(n: usize) -> String {
    format!("?{n}")
}

fn texts(params: Vec<String>) -> Vec<Value> {
    params.into_iter().map(Value::Text).collect()
}
