//! Dyad's store: articles and the events coded from them, behind the
//! [`Store`] trait, with an embedded SQLite backend (the default) and a
//! PostgreSQL backend for many processes on one database. The store
//! is the only thing the ingest and query services share at run time.

mod detail;
mod encoding;
mod listing;
pub mod policy;
mod postgres;
mod rollup;
mod sqlite;
pub mod synthetic;
pub mod throwaway;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use dyad_proto::v1::{Actor, Article, Event, Mention};

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

/// Which actors one side of an event may be; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ActorMatch {
    /// Actor code ("RUSGOV").
    pub code: String,
    /// Country or organisation code ("RUS").
    pub country: String,
    /// Role ("GOV").
    pub role: String,
}

impl ActorMatch {
    /// Whether nothing is asked of the actor.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty() && self.country.is_empty() && self.role.is_empty()
    }
}

/// A latitude/longitude rectangle in degrees; `west > east` crosses the
/// antimeridian.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BoundingBox {
    /// Southern edge.
    pub south: f64,
    /// Western edge.
    pub west: f64,
    /// Northern edge.
    pub north: f64,
    /// Eastern edge.
    pub east: f64,
}

/// Which events to take; empty fields do not filter, the others combine
/// with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// An actor on either side (the source side when `directed`).
    pub actor: ActorMatch,
    /// With `actor`: the other side of the event. Without it: an actor on
    /// either side (the target side when `directed`).
    pub counterpart: ActorMatch,
    /// Whether `actor` must be the source and `counterpart` the target.
    pub directed: bool,
    /// CAMEO codes or code prefixes ("19", "0874"), any of which matches.
    pub cameo_codes: Vec<String>,
    /// Quad classes (1 to 4), any of which matches.
    pub quad_classes: Vec<i32>,
    /// First event day to include, YYYY-MM-DD.
    pub start_date: String,
    /// First event day to exclude, YYYY-MM-DD.
    pub end_date: String,
    /// Date precisions (`DatePrecision` values), any of which matches.
    pub precisions: Vec<i32>,
    /// Modalities (`Modality` values), any of which matches.
    pub modalities: Vec<i32>,
    /// Country of the event's place.
    pub place_country: String,
    /// Box the event's place lies in.
    pub place_box: Option<BoundingBox>,
    /// Least number of distinct outlets reporting the event.
    pub min_sources: u32,
    /// Least confidence of the event (0 takes all).
    pub min_confidence: f64,
}

impl EventFilter {
    /// A filter on one actor code, either side, asserted events.
    pub fn actor_code(code: &str) -> Self {
        Self {
            actor: ActorMatch {
                code: code.to_string(),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// Position in the event order (event date, then store order): listings
/// continue strictly after it (before it, newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCursor {
    /// Start date of the last event returned, YYYY-MM-DD.
    pub date: String,
    /// Store order of the last event returned: events of one date are
    /// listed in the order they were first stored.
    pub seq: i64,
}

/// One page of an event listing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventPage {
    /// The events, in listing order.
    pub events: Vec<Event>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<EventCursor>,
}

/// Which page of an event listing to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// Continue after this event.
    pub after: Option<EventCursor>,
    /// At most this many events.
    pub limit: usize,
    /// Newest first.
    pub descending: bool,
    /// Load each event's first [`MENTIONS_IN_LISTINGS`] mentions; the page
    /// then also stops short of [`ANSWER_BYTES`].
    pub with_mentions: bool,
}

/// Mentions an event carries in a listing (its first, in mention order);
/// [`Store::event_mentions`] pages through the rest.
pub const MENTIONS_IN_LISTINGS: usize = 10;

/// Most encoded bytes of events or mentions in one page, well inside the
/// 4 MiB gRPC message limit clients keep by default, whatever the page size
/// asked for.
pub const ANSWER_BYTES: usize = 3 << 20;

/// How many items of these encoded sizes, in order, fit in `budget` bytes
/// (at least one: an answer always holds something).
pub fn fitting(sizes: impl Iterator<Item = usize>, budget: usize) -> usize {
    let mut bytes = 0;
    let mut count = 0;
    for size in sizes {
        bytes += size;
        if bytes > budget && count > 0 {
            break;
        }
        count += 1;
    }
    count
}

/// Where a page of an event's mentions continues: after the mention of this
/// outlet, article and sentence (mentions are ordered so).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MentionCursor {
    /// Outlet of the last mention returned.
    pub outlet: String,
    /// Article of the last mention returned.
    pub article_id: String,
    /// Sentence of the last mention returned.
    pub sentence_index: i64,
}

/// One page of an event's mentions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MentionPage {
    /// The mentions, in order of outlet, article and sentence.
    pub mentions: Vec<Mention>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<MentionCursor>,
}

/// Counts of a set of events.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Number of distinct events.
    pub events: i64,
    /// Events per quad class: verbal cooperation, material cooperation,
    /// verbal conflict, material conflict.
    pub quads: [i64; 4],
    /// Sum of the events' Goldstein scores.
    pub goldstein_sum: f64,
    /// Number of mentions of those events, in all articles.
    pub mentions: i64,
}

impl Tally {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Tally) {
        self.events += other.events;
        for (mine, theirs) in self.quads.iter_mut().zip(other.quads) {
            *mine += theirs;
        }
        self.goldstein_sum += other.goldstein_sum;
        self.mentions += other.mentions;
    }
}

/// The time grain of tallied rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// One row per event day.
    Day,
    /// One row per month (its first day).
    Month,
}

/// How one side of the events is grouped in a tally.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Level {
    /// Not grouped: all actors together.
    #[default]
    Whole,
    /// Per actor code.
    Actor,
    /// Per country or organisation code.
    Country,
}

/// How a tally groups events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grouping {
    /// Per day or month; `None`: the whole window.
    pub grain: Option<Grain>,
    /// How the source side is grouped.
    pub source: Level,
    /// How the target side is grouped.
    pub target: Level,
}

/// One group of a tally.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TallyRow {
    /// First day of the period, YYYY-MM-DD; empty without a grain.
    pub period: String,
    /// Source code at the grouping's level; empty for [`Level::Whole`].
    pub source: String,
    /// Target code at the grouping's level; empty for [`Level::Whole`].
    pub target: String,
    /// The group's counts.
    pub tally: Tally,
}

/// An actor seen in stored events, with the other names it appeared under.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnownActor {
    /// Code, name, country, role and kind (as first stored).
    pub actor: Actor,
    /// Other names it was found under in the news.
    pub aliases: Vec<String>,
}

impl KnownActor {
    /// An actor with the names it appeared under; its own name is not
    /// repeated as an alias.
    pub fn new(actor: Actor, mut aliases: Vec<String>) -> Self {
        aliases.retain(|alias| *alias != actor.name);
        aliases.sort();
        aliases.dedup();
        Self { actor, aliases }
    }
}

/// Position in the order events were stored, for watching new events:
/// `(transaction, sequence)`; the transaction part is 0 on SQLite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredPosition {
    /// Id of the writing transaction (PostgreSQL), 0 on SQLite.
    pub transaction: u64,
    /// Sequence number of the event.
    pub sequence: i64,
}

/// The store URL without its password, for messages and logs: the
/// password of `scheme://user:password@host` and of a `password=` parameter
/// become `***`.
pub fn redact(url: &str) -> String {
    let mut redacted = match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    };
    let mut from = 0;
    while let Some(found) = redacted[from..].find("password=") {
        let start = from + found + "password=".len();
        let end = redacted[start..]
            .find(['&', ' '])
            .map_or(redacted.len(), |n| start + n);
        redacted.replace_range(start..end, "***");
        from = start + 3;
    }
    redacted
}

/// The longest reason a refusal ([`StoreError::Invalid`]) carries.
pub const MAX_REASON_CHARS: usize = 240;

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
    /// The database cannot serve now (connection lost, busy or locked past
    /// its timeout, out of disk or memory); the operation may succeed later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The write lost a race with another writer (a constraint or
    /// serialisation conflict) more often than the store retries it; trying
    /// again may succeed.
    #[error("store conflict: {0}")]
    Conflict(String),
    /// The database refused the data or the request as given (a NUL byte in
    /// text, a value out of range, a query too large to run); the same call
    /// will fail again.
    #[error("the store refused the request: {0}")]
    Invalid(String),
    /// Stored data could not be decoded.
    #[error("corrupt data in the store: {0}")]
    Corrupt(String),
    /// A bug: a statement the database does not understand, a value of the
    /// wrong type, a store task that panicked.
    #[error("internal store error: {0}")]
    Internal(String),
}

impl StoreError {
    /// A refusal, its message cut to [`MAX_REASON_CHARS`] so that a
    /// database that quotes the offending value does not echo a whole
    /// article back to the caller.
    pub fn invalid(message: &str) -> Self {
        let cut = match message.char_indices().nth(MAX_REASON_CHARS) {
            Some((end, _)) => format!("{}…", &message[..end]),
            None => message.to_owned(),
        };
        StoreError::Invalid(cut)
    }

    /// The error of a blocking store task that did not finish: a panic is a
    /// bug; a task cancelled at shutdown leaves the store unavailable.
    pub fn from_task(error: tokio::task::JoinError) -> Self {
        if error.is_panic() {
            StoreError::Internal(format!("a store task panicked: {error}"))
        } else {
            StoreError::Unavailable(format!("a store task was cancelled: {error}"))
        }
    }
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

    /// Whether the store answers: a trivial query, for readiness checks.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Whether the store can write now: the smallest committed write (it
    /// changes nothing the store holds), failing as a real write would on a
    /// full disk or a read-only database. For health checks after a write
    /// failed; not to be called all the time, since every call is a commit.
    async fn probe_write(&self) -> Result<(), StoreError>;

    /// Id and coder version of the stored article that has this id or (when
    /// `url` is not empty) this url.
    async fn find_article(
        &self,
        id: &str,
        url: &str,
    ) -> Result<Option<(String, String)>, StoreError>;

    /// An article with its events in text order, each with its mentions in
    /// this article (at most [`MENTIONS_IN_LISTINGS`]).
    async fn get_article(&self, id: &str) -> Result<Option<(Article, Vec<Event>)>, StoreError>;

    /// An event with the counts of its mentions but none of them
    /// ([`Store::event_mentions`] reads those).
    async fn get_event(&self, id: &str) -> Result<Option<Event>, StoreError>;

    /// One page of an event's mentions in order of outlet, article and
    /// sentence: those after `after`, at most `limit`, and stopping short of
    /// [`ANSWER_BYTES`].
    async fn event_mentions(
        &self,
        id: &str,
        after: Option<&MentionCursor>,
        limit: usize,
    ) -> Result<MentionPage, StoreError>;

    /// Events matching `filter`, ordered by event date then store order,
    /// the page `page` asks for.
    async fn list_events(
        &self,
        filter: &EventFilter,
        page: &PageRequest,
    ) -> Result<EventPage, StoreError>;

    /// Counts of the events matching `filter`, grouped by `grouping`: read
    /// from the relation rollups whenever they can answer (asserted events,
    /// filtered by actor code or country, dates and precision), from the
    /// events otherwise. Rows in no particular order; empty groups left out.
    async fn tally(
        &self,
        filter: &EventFilter,
        grouping: &Grouping,
    ) -> Result<Vec<TallyRow>, StoreError>;

    /// First and last event day of the events matching `filter`.
    async fn date_span(&self, filter: &EventFilter)
    -> Result<Option<(String, String)>, StoreError>;

    /// Every actor seen in stored events.
    async fn actors(&self) -> Result<Vec<KnownActor>, StoreError>;

    /// The position of the newest stored event: watching from it sends what
    /// is stored from now on.
    async fn latest_position(&self) -> Result<StoredPosition, StoreError>;

    /// Events matching `filter` stored after `after`, in the order they were
    /// stored, at most `limit`, each with its position. Only events whose
    /// transaction is over are returned, so nothing is skipped later.
    async fn events_stored_after(
        &self,
        filter: &EventFilter,
        after: StoredPosition,
        limit: usize,
    ) -> Result<Vec<(Event, StoredPosition)>, StoreError>;

    /// A number that grows whenever any writer commits, for backends that
    /// can tell cheaply; `None` for those that cannot. An answer read
    /// between two equal markers holds until the marker changes.
    async fn change_marker(&self) -> Result<Option<i64>, StoreError> {
        Ok(None)
    }
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
            location: redact(url),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls_lose_their_passwords() {
        for (url, shown) in [
            (
                "postgres://dyad:s3cret@db:5432/dyad",
                "postgres://dyad:***@db:5432/dyad",
            ),
            (
                "postgresql://db/dyad?user=dyad&password=s3cret&sslmode=disable",
                "postgresql://db/dyad?user=dyad&password=***&sslmode=disable",
            ),
            (
                "host=db password=s3cret user=dyad",
                "host=db password=*** user=dyad",
            ),
            ("postgres://dyad@db/dyad", "postgres://dyad@db/dyad"),
            (
                "sqlite://./dyad-data/dyad.sqlite3",
                "sqlite://./dyad-data/dyad.sqlite3",
            ),
        ] {
            assert_eq!(redact(url), shown);
        }
    }

    #[test]
    fn a_refusal_does_not_echo_a_whole_article() {
        let quoted = format!("invalid input: \"{}\"", "é".repeat(10_000));
        let StoreError::Invalid(reason) = StoreError::invalid(&quoted) else {
            panic!("not a refusal");
        };
        assert_eq!(reason.chars().count(), MAX_REASON_CHARS + 1);
        assert!(reason.ends_with('…'));
    }

    #[tokio::test]
    async fn a_panicked_store_task_is_a_bug() {
        let panicked = tokio::task::spawn_blocking(|| panic!("a store bug"))
            .await
            .unwrap_err();
        assert!(matches!(
            StoreError::from_task(panicked),
            StoreError::Internal(_)
        ));
    }
}
