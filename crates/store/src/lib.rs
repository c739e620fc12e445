//! Dyad's store: articles and the events coded from them, behind the
//! [`Store`] trait, with an embedded SQLite backend (the default) and a
//! PostgreSQL backend for many processes on one database. The store
//! is the only thing the ingest and query services share at run time.

mod detail;
mod encoding;
mod listing;
mod postgres;
mod sqlite;
pub mod synthetic;
pub mod throwaway;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use dyad_proto::v1::{Article, Event};

/// What storing an article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    /// The article and its events were written.
    Inserted,
    /// An article with the same id or url was already stored (under this id)
    /// by the same or a newer coder; nothing was written.
    AlreadyKnown(String),
    /// An article with the same id or url, stored by an older coder, was
    /// replaced (under this id): its mentions were swapped for the new ones.
    Replaced(String),
}

/// Filters of an event listing; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Source or target actor code ("RUSGOV").
    pub actor_code: String,
    /// Source or target country or organisation code ("ARM").
    pub country_code: String,
    /// First event day to include, YYYY-MM-DD.
    pub start_date: String,
    /// First event day to exclude, YYYY-MM-DD.
    pub end_date: String,
    /// CAMEO root ("19").
    pub cameo_root: String,
}

/// Position in the event order (event date, then id): listings continue
/// strictly after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCursor {
    /// Start date of the last event returned, YYYY-MM-DD.
    pub date: String,
    /// Id of the last event returned.
    pub id: String,
}

/// A directed relation to read from the rollup: events of actors of
/// `source` (a country or organisation code) towards actors of `target`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DyadQuery {
    /// Source country or organisation code ("RUS").
    pub source: String,
    /// Target country or organisation code ("ARM").
    pub target: String,
    /// First event day to include, YYYY-MM-DD (empty: no bound).
    pub start_date: String,
    /// First event day to exclude, YYYY-MM-DD (empty: no bound).
    pub end_date: String,
}

/// One day of a directed relation: asserted events dated that day (their
/// first day, for longer periods), summed over actor codes and precisions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DyadDay {
    /// The day, YYYY-MM-DD.
    pub day: String,
    /// Number of distinct events.
    pub events: i64,
    /// Events per quad class: verbal cooperation, material cooperation,
    /// verbal conflict, material conflict.
    pub quad_counts: [i64; 4],
    /// Sum of the events' Goldstein scores.
    pub goldstein_sum: f64,
    /// Number of mentions of those events, in all articles.
    pub mentions: i64,
}

/// Errors of a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open the store at {location}: {reason}")]
    Open {
        /// Where the store was looked for.
        location: String,
        /// Why it failed.
        reason: String,
    },
    /// The database was written by a newer version of Dyad.
    #[error(
        "the store at {location} has schema version {found}, newer than this binary's {supported}: upgrade Dyad"
    )]
    TooNew {
        /// Where the store is.
        location: String,
        /// Schema version found.
        found: i64,
        /// Newest schema version this binary knows.
        supported: i64,
    },
    /// The database is unreachable or failed; the operation may succeed later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be decoded.
    #[error("corrupt data in the store: {0}")]
    Corrupt(String),
}

/// Storage of articles and events. Every method is atomic: an article is
/// stored with all its events or not at all.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Stores an article with its events coded by `coder_version`. An event
    /// whose id is already stored (the same happening, reported by another
    /// article) gains mentions instead of a new row. An article with the same
    /// id (or the same non-empty url) already stored is left alone, unless it
    /// was coded by an older coder: then its mentions are replaced.
    async fn put_article(
        &self,
        article: &Article,
        events: &[Event],
        coder_version: &str,
    ) -> Result<PutOutcome, StoreError>;

    /// Stores several articles, as [`Store::put_article`] would one by one,
    /// in as few transactions as the backend can: the fast path for bulk
    /// loads. Returns one outcome per article, in order.
    async fn put_articles(
        &self,
        batch: &[(Article, Vec<Event>)],
        coder_version: &str,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(batch.len());
        for (article, events) in batch {
            outcomes.push(self.put_article(article, events, coder_version).await?);
        }
        Ok(outcomes)
    }

    /// Id and coder version of the stored article that has this id or (when
    /// `url` is not empty) this url.
    async fn find_article(
        &self,
        id: &str,
        url: &str,
    ) -> Result<Option<(String, String)>, StoreError>;

    /// An article with its events in text order.
    async fn get_article(&self, id: &str) -> Result<Option<(Article, Vec<Event>)>, StoreError>;

    /// An event with its mentions.
    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError>;

    /// The rollup of a directed relation, one entry per day with events, in
    /// day order.
    async fn dyad_days(&self, query: &DyadQuery) -> Result<Vec<DyadDay>, StoreError>;

    /// Events matching `filter`, ordered by event date then id, starting
    /// after `after`, at most `limit`.
    async fn list_events(
        &self,
        filter: &EventFilter,
        after: Option<&EventCursor>,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError>;
}

/// Whether an article coded by coder version `stored` should be coded again
/// by version `new` (numerically newer: "dyad-extract/0.2.0" after
/// "dyad-extract/0.1.9").
pub fn is_newer_coder(new: &str, stored: &str) -> bool {
    encoding::is_newer(new, stored)
}

/// Opens the store named by `url`: `sqlite://PATH` (or a bare path) for the
/// embedded SQLite backend, `postgres://…` (or `postgresql://…`) for
/// PostgreSQL.
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(std::sync::Arc::new(PostgresStore::open(url).await?));
    }
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok(std::sync::Arc::new(SqliteStore::open(
            std::path::Path::new(path),
        )?));
    }
    if url.contains("://") {
        return Err(StoreError::Open {
            location: url.to_string(),
            reason: "unsupported store URL scheme: use sqlite://PATH or postgres://…".to_string(),
        });
    }
    Ok(std::sync::Arc::new(SqliteStore::open(
        std::path::Path::new(url),
    )?))
}

/// The store URL to use: `url` when given, else the SQLite file under
/// `data_dir`.
pub fn url_or_default(url: Option<&str>, data_dir: &std::path::Path) -> String {
    url.map_or_else(
        || format!("sqlite://{}", SqliteStore::default_path(data_dir).display()),
        str::to_string,
    )
}
