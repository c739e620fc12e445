//! The PostgreSQL backend: a pool of connections to one database that many
//! ingest and query processes may share. Same contract as SQLite, proven by
//! the same conformance suite.

mod bulk;
mod schema;
mod write;

use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use dyad_proto::v1::{Article, Event, EventDate, Mention};
use tokio_postgres::{NoTls, Row, types::ToSql};

use crate::{
    DyadDay, DyadQuery, EventCursor, EventFilter, PutOutcome, Store, StoreError,
    detail::Detail,
    encoding::{text_to_timestamp, time_text},
    listing::{self, EVENT_COLUMNS, MENTION_COLUMNS},
};

/// Connections in the pool.
const POOL_SIZE: usize = 8;
/// How long a request waits for a connection before the store is reported
/// unavailable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How often a transaction that lost a deadlock or serialisation race is
/// tried again.
const RETRIES: usize = 5;

/// A store in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

fn unavailable(e: impl Into<Failure>) -> StoreError {
    StoreError::Unavailable(e.into().0)
}

/// A failure described for people: the server's own message when there is one.
struct Failure(String);

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure(match e.as_db_error() {
            Some(db) => format!("{}: {}", db.severity(), db.message()),
            None => e.to_string(),
        })
    }
}

impl From<deadpool_postgres::PoolError> for Failure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Failure(e.to_string())
    }
}

/// Whether a failed transaction may succeed when tried again.
fn retryable(e: &tokio_postgres::Error) -> bool {
    use tokio_postgres::error::SqlState;
    e.code().is_some_and(|code| {
        [
            SqlState::T_R_DEADLOCK_DETECTED,
            SqlState::T_R_SERIALIZATION_FAILURE,
            SqlState::UNIQUE_VIOLATION,
        ]
        .contains(code)
    })
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:pass@host/db`)
    /// and applies migrations. Fails when the database cannot be reached or
    /// was written by a newer Dyad.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let location = redact(url);
        let open_error = |reason: String| StoreError::Open {
            location: location.clone(),
            reason,
        };
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|e| open_error(format!("{e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("dyad");
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| open_error(e.to_string()))?;
        let mut client = pool
            .get()
            .await
            .map_err(|e| open_error(Failure::from(e).0))?;
        schema::migrate(&mut client, &location).await?;
        drop(client);
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(unavailable)
    }

    async fn put_batch(
        &self,
        batch: &[(&Article, &[Event])],
        coder_version: &str,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let mut client = self.client().await?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = async {
                let tx = client.transaction().await?;
                let now = time_text(Utc::now());
                let outcomes = bulk::put_batch(&tx, batch, coder_version, &now).await?;
                tx.commit().await?;
                Ok::<_, tokio_postgres::Error>(outcomes)
            }
            .await;
            match result {
                Ok(outcomes) => return Ok(outcomes),
                Err(e) if attempt < RETRIES && retryable(&e) => continue,
                Err(e) => return Err(unavailable(e)),
            }
        }
    }

    async fn events_where(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Event>, StoreError> {
        let client = self.client().await?;
        let rows = client.query(sql, params).await.map_err(unavailable)?;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut event = event_from_row(row)?;
            let mentions = client
                .query(
                    &format!(
                        "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = $1 \
                         ORDER BY article_id, sentence_index"
                    ),
                    &[&event.id],
                )
                .await
                .map_err(unavailable)?;
            event.mentions = mentions.iter().map(mention_from_row).collect();
            events.push(event);
        }
        Ok(events)
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn event_from_row(row: &Row) -> Result<Event, StoreError> {
    let detail = Detail::parse(row.get(14))?;
    let count = |i: usize| u32::try_from(row.get::<_, i64>(i)).unwrap_or(u32::MAX);
    Ok(Event {
        id: row.get(0),
        cameo_code: row.get(1),
        cameo_root: row.get(2),
        cameo_name: row.get(3),
        quad_class: row.get(4),
        goldstein: row.get(5),
        plover_type: row.get(6),
        date: Some(EventDate {
            start_date: row.get(7),
            end_date: row.get(8),
            precision: row.get(9),
            basis: row.get(10),
            text: row.get(11),
        }),
        modality: row.get(12),
        confidence: row.get(13),
        source: detail.source,
        target: detail.target,
        reported_by: detail.reported_by,
        location: detail.location,
        mentions: Vec::new(),
        num_mentions: count(15),
        num_articles: count(16),
        num_sources: count(17),
        first_seen: text_to_timestamp(row.get(18)),
        last_seen: text_to_timestamp(row.get(19)),
    })
}

fn mention_from_row(row: &Row) -> Mention {
    let number = |i: usize| u32::try_from(row.get::<_, i64>(i)).unwrap_or(0);
    Mention {
        article_id: row.get(0),
        sentence_index: number(1),
        sentence_start: number(2),
        sentence_end: number(3),
        sentence_text: row.get(4),
        rule: row.get(5),
        modality: row.get(6),
        confidence: row.get(7),
        coder_version: row.get(8),
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn put_article(
        &self,
        article: &Article,
        events: &[Event],
        coder_version: &str,
    ) -> Result<PutOutcome, StoreError> {
        let mut outcomes = self.put_batch(&[(article, events)], coder_version).await?;
        Ok(outcomes.remove(0))
    }

    async fn put_articles(
        &self,
        batch: &[(Article, Vec<Event>)],
        coder_version: &str,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let batch: Vec<(&Article, &[Event])> =
            batch.iter().map(|(a, e)| (a, e.as_slice())).collect();
        self.put_batch(&batch, coder_version).await
    }

    async fn find_article(
        &self,
        id: &str,
        url: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let client = self.client().await?;
        let mut found = client
            .query_opt(
                "SELECT id, coder_version FROM articles WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(unavailable)?;
        if found.is_none() && !url.is_empty() {
            found = client
                .query_opt(
                    "SELECT id, coder_version FROM articles WHERE url = $1 AND url <> ''",
                    &[&url],
                )
                .await
                .map_err(unavailable)?;
        }
        Ok(found.map(|row| (row.get(0), row.get(1))))
    }

    async fn get_article(&self, id: &str) -> Result<Option<(Article, Vec<Event>)>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT id, url, title, outlet, publish_time, language, text, ingest_time \
                 FROM articles WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(unavailable)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let article = Article {
            id: row.get(0),
            url: row.get(1),
            title: row.get(2),
            outlet: row.get(3),
            publish_time: text_to_timestamp(row.get(4)),
            language: row.get(5),
            text: row.get(6),
            ingest_time: text_to_timestamp(row.get(7)),
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events JOIN (SELECT event_id, min(sentence_index) AS first \
             FROM mentions WHERE article_id = $1 GROUP BY event_id) AS m \
             ON m.event_id = events.id ORDER BY m.first, events.id"
        );
        let events = self.events_where(&sql, &[&id]).await?;
        Ok(Some((article, events)))
    }

    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        Ok(self.events_where(&sql, &[&id]).await?.pop())
    }

    async fn dyad_days(&self, query: &DyadQuery) -> Result<Vec<DyadDay>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT day, sum(events)::BIGINT, sum(verbal_cooperation)::BIGINT, \
                 sum(material_cooperation)::BIGINT, sum(verbal_conflict)::BIGINT, \
                 sum(material_conflict)::BIGINT, sum(goldstein_sum), sum(mentions)::BIGINT \
                 FROM dyad_days WHERE source_country = $1 AND target_country = $2 \
                 AND ($3 = '' OR day >= $3) AND ($4 = '' OR day < $4) \
                 GROUP BY day HAVING sum(events) > 0 ORDER BY day",
                &[
                    &query.source,
                    &query.target,
                    &query.start_date,
                    &query.end_date,
                ],
            )
            .await
            .map_err(unavailable)?;
        Ok(rows
            .iter()
            .map(|row| DyadDay {
                day: row.get(0),
                events: row.get(1),
                quad_counts: [row.get(2), row.get(3), row.get(4), row.get(5)],
                goldstein_sum: row.get(6),
                mentions: row.get(7),
            })
            .collect())
    }

    async fn list_events(
        &self,
        filter: &EventFilter,
        after: Option<&EventCursor>,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let (predicate, params) = listing::event_predicate(filter, after, |n| format!("${n}"));
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events {predicate} ORDER BY date_start, id LIMIT {limit}"
        );
        let params: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.events_where(&sql, &params).await
    }
}
