//! The PostgreSQL backend: a pool of connections to one database that many
//! ingest and query processes may share. Same contract as SQLite, proven by
//! the same conformance suite.

mod bulk;
mod clear;
mod failure;
mod schema;

use std::{collections::HashMap, time::Duration};

use async_trait::async_trait;
use chrono::Utc;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use dyad_proto::v1::{Actor, Article, Event, EventDate, Mention};
use tokio_postgres::{NoTls, Row, types::ToSql};

use self::failure::store_error;
use crate::{
    EventFilter, EventPage, Grouping, KnownActor, MENTIONS_IN_LISTINGS, MentionCursor, MentionPage,
    PageRequest, PutOutcome, Store, StoreError, StoredPosition, Tally, TallyRow,
    detail::Detail,
    encoding::{text_to_timestamp, time_text},
    listing::{self, EVENT_COLUMNS, MENTION_COLUMNS, MENTION_ORDER},
    rollup,
};

/// Connections in the pool.
const POOL_SIZE: usize = 8;
/// How long a request waits for a connection before the store is reported
/// unavailable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a connection may go unacknowledged before it counts as dead.
const DEAD_LINK_TIMEOUT: Duration = Duration::from_secs(5);
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
        let location = crate::redact(url);
        let open_error = |reason: String| StoreError::Open {
            location: location.clone(),
            reason,
        };
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|e| open_error(format!("{e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("dyad");
        // A connection whose peer stops acknowledging (a cut network) fails
        // after this long instead of hanging its query until the client
        // gives up; an idle one is probed as often.
        config.tcp_user_timeout(DEAD_LINK_TIMEOUT);
        config.keepalives_idle(DEAD_LINK_TIMEOUT);
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
        let mut client = pool.get().await.map_err(|e| open_error(e.to_string()))?;
        schema::migrate(&mut client, &location).await?;
        drop(client);
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(store_error)
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
                Err(e) => return Err(store_error(e)),
            }
        }
    }

    /// Events of `rows` (read by `EVENT_COLUMNS` first), with their first
    /// [`MENTIONS_IN_LISTINGS`] mentions when asked (anywhere, or in one
    /// article), read in one more query.
    async fn events_of_rows(
        &self,
        client: &deadpool_postgres::Object,
        rows: &[Row],
        mentions: Mentions<'_>,
    ) -> Result<Vec<Event>, StoreError> {
        let mut events = rows
            .iter()
            .map(event_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        if events.is_empty() {
            return Ok(events);
        }
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        let limit = MENTIONS_IN_LISTINGS as i64;
        let read = match mentions {
            Mentions::None => return Ok(events),
            Mentions::First => {
                client
                    .query(
                        &format!(
                            "SELECT m.* FROM unnest($1::text[]) AS e(id) CROSS JOIN LATERAL \
                             (SELECT {MENTION_COLUMNS}, event_id FROM mentions \
                              WHERE event_id = e.id {MENTION_ORDER} LIMIT $2) AS m"
                        ),
                        &[&ids, &limit],
                    )
                    .await
            }
            Mentions::InArticle(article) => {
                client
                    .query(
                        &format!(
                            "SELECT m.* FROM unnest($1::text[]) AS e(id) CROSS JOIN LATERAL \
                             (SELECT {MENTION_COLUMNS}, event_id FROM mentions \
                              WHERE event_id = e.id AND article_id = $3 \
                              ORDER BY sentence_index LIMIT $2) AS m"
                        ),
                        &[&ids, &limit, &article],
                    )
                    .await
            }
        }
        .map_err(store_error)?;
        let mut by_event: HashMap<String, Vec<Mention>> = HashMap::new();
        for row in read {
            by_event
                .entry(row.get(11))
                .or_default()
                .push(mention_from_row(&row));
        }
        for event in &mut events {
            event.mentions = by_event.remove(&event.id).unwrap_or_default();
        }
        Ok(events)
    }

    async fn events_where(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        mentions: Mentions<'_>,
    ) -> Result<Vec<Event>, StoreError> {
        let client = self.client().await?;
        let rows = client.query(sql, params).await.map_err(store_error)?;
        self.events_of_rows(&client, &rows, mentions).await
    }
}

/// Which mentions an event read is to carry.
#[derive(Clone, Copy)]
enum Mentions<'a> {
    /// None: only their counts.
    None,
    /// Its first ones anywhere.
    First,
    /// Its first ones in this article.
    InArticle(&'a str),
}

/// PostgreSQL's numbered placeholder, typed as text.
fn numbered(n: usize) -> String {
    format!("${n}::text")
}

/// Text parameters as `ToSql` references.
fn sql_params(params: &[String]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
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
        outlet: row.get(9),
        article_url: row.get(10),
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

    async fn ping(&self) -> Result<(), StoreError> {
        self.client()
            .await?
            .simple_query("SELECT 1")
            .await
            .map(|_| ())
            .map_err(store_error)
    }

    async fn probe_write(&self) -> Result<(), StoreError> {
        // The schema version rewritten with its own value: a committed
        // write (refused on a read-only server, failing on a full disk)
        // that changes nothing.
        self.client()
            .await?
            .simple_query("UPDATE dyad_schema SET version = version")
            .await
            .map(|_| ())
            .map_err(store_error)
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
            .map_err(store_error)?;
        if found.is_none() && !url.is_empty() {
            found = client
                .query_opt(
                    "SELECT id, coder_version FROM articles WHERE url = $1 AND url <> ''",
                    &[&url],
                )
                .await
                .map_err(store_error)?;
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
            .map_err(store_error)?;
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
            html: Vec::new(),
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events JOIN (SELECT event_id, min(sentence_index) AS first \
             FROM mentions WHERE article_id = $1 GROUP BY event_id) AS m \
             ON m.event_id = events.id ORDER BY m.first, events.id"
        );
        let events = self
            .events_where(&sql, &[&id], Mentions::InArticle(id))
            .await?;
        Ok(Some((article, events)))
    }

    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        Ok(self.events_where(&sql, &[&id], Mentions::None).await?.pop())
    }

    async fn event_mentions(
        &self,
        id: &str,
        after: Option<&MentionCursor>,
        limit: usize,
    ) -> Result<MentionPage, StoreError> {
        let client = self.client().await?;
        let read_limit = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let read = match after {
            None => {
                client
                    .query(
                        &format!(
                            "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = $1 \
                             {MENTION_ORDER} LIMIT $2"
                        ),
                        &[&id, &read_limit],
                    )
                    .await
            }
            Some(cursor) => {
                client
                    .query(
                        &format!(
                            "SELECT {MENTION_COLUMNS} FROM mentions WHERE event_id = $1 \
                             AND (outlet, article_id, sentence_index) > ($3, $4, $5) \
                             {MENTION_ORDER} LIMIT $2"
                        ),
                        &[
                            &id,
                            &read_limit,
                            &cursor.outlet,
                            &cursor.article_id,
                            &cursor.sentence_index,
                        ],
                    )
                    .await
            }
        }
        .map_err(store_error)?;
        Ok(listing::mention_page(
            read.iter().map(mention_from_row).collect(),
            limit,
        ))
    }

    async fn list_events(
        &self,
        filter: &EventFilter,
        page: &PageRequest,
    ) -> Result<EventPage, StoreError> {
        let (sql, params) = listing::event_listing(filter, page, numbered, true);
        let client = self.client().await?;
        let rows = client
            .query(&sql, &sql_params(&params))
            .await
            .map_err(store_error)?;
        let events = self
            .events_of_rows(
                &client,
                &rows,
                if page.with_mentions {
                    Mentions::First
                } else {
                    Mentions::None
                },
            )
            .await?;
        let seqs = rows.iter().map(|row| row.get::<_, i64>(20));
        Ok(listing::page_of(
            events.into_iter().zip(seqs).collect(),
            page,
        ))
    }

    async fn tally(
        &self,
        filter: &EventFilter,
        grouping: &Grouping,
    ) -> Result<Vec<TallyRow>, StoreError> {
        let client = self.client().await?;
        let mut rows = Vec::new();
        for statement in rollup::tally_statements(filter, grouping, numbered) {
            for row in client
                .query(&statement.sql, &sql_params(&statement.params))
                .await
                .map_err(store_error)?
            {
                rows.push(TallyRow {
                    period: row.get(0),
                    source: row.get(1),
                    target: row.get(2),
                    tally: Tally {
                        events: row.get(3),
                        quads: [row.get(4), row.get(5), row.get(6), row.get(7)],
                        goldstein_sum: row.get(8),
                        mentions: row.get(9),
                    },
                });
            }
        }
        Ok(rollup::merge(rows))
    }

    async fn date_span(
        &self,
        filter: &EventFilter,
    ) -> Result<Option<(String, String)>, StoreError> {
        let statement = rollup::span_statement(filter, numbered);
        let row = self
            .client()
            .await?
            .query_one(&statement.sql, &sql_params(&statement.params))
            .await
            .map_err(store_error)?;
        let (first, last): (Option<String>, Option<String>) = (row.get(0), row.get(1));
        Ok(first.zip(last))
    }

    async fn actors(&self) -> Result<Vec<KnownActor>, StoreError> {
        let client = self.client().await?;
        let mut names: HashMap<String, Vec<String>> = HashMap::new();
        for row in client
            .query("SELECT code, name FROM actor_names", &[])
            .await
            .map_err(store_error)?
        {
            names.entry(row.get(0)).or_default().push(row.get(1));
        }
        let rows = client
            .query("SELECT code, name, country, role, kind FROM actors", &[])
            .await
            .map_err(store_error)?;
        Ok(rows
            .iter()
            .map(|row| {
                let actor = Actor {
                    code: row.get(0),
                    name: row.get(1),
                    country_code: row.get(2),
                    role: row.get(3),
                    kind: row.get(4),
                    text: String::new(),
                };
                let aliases = names.remove(&actor.code).unwrap_or_default();
                KnownActor::new(actor, aliases)
            })
            .collect())
    }

    async fn latest_position(&self) -> Result<StoredPosition, StoreError> {
        // Every transaction before the oldest one running is over: from
        // there on, nothing stored before now is missed.
        let row = self
            .client()
            .await?
            .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
            .await
            .map_err(store_error)?;
        Ok(StoredPosition {
            transaction: row.get::<_, String>(0).parse().unwrap_or(0),
            sequence: 0,
        })
    }

    async fn events_stored_after(
        &self,
        filter: &EventFilter,
        after: StoredPosition,
        limit: usize,
    ) -> Result<Vec<(Event, StoredPosition)>, StoreError> {
        let mut predicate = listing::event_predicate(filter, numbered);
        predicate.add(
            "(changed_txid, changed_seq) > (CAST(? AS xid8), CAST(? AS BIGINT)) \
             AND changed_txid < pg_snapshot_xmin(pg_current_snapshot())",
            &[&after.transaction.to_string(), &after.sequence.to_string()],
        );
        let sql = format!(
            "SELECT {EVENT_COLUMNS}, changed_txid::text, changed_seq FROM events {} \
             ORDER BY changed_txid, changed_seq LIMIT {limit}",
            predicate.where_clause()
        );
        let client = self.client().await?;
        let rows = client
            .query(&sql, &sql_params(&predicate.params))
            .await
            .map_err(store_error)?;
        let events = self.events_of_rows(&client, &rows, Mentions::First).await?;
        Ok(events
            .into_iter()
            .zip(&rows)
            .map(|(event, row)| {
                let position = StoredPosition {
                    transaction: row.get::<_, String>(20).parse().unwrap_or(0),
                    sequence: row.get(21),
                };
                (event, position)
            })
            .collect())
    }
}
