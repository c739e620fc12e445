//! Bulk write rate into a store: synthetic articles (see
//! `dyad_store::synthetic`) loaded in batched transactions.
//!
//! `cargo bench -p dyad-store --bench write -- [MENTIONS] [BATCH] [STORE_URL|postgres]`
//! (defaults: 200000 mentions, batches of 2000 articles, a fresh SQLite file;
//! `postgres` starts a throwaway PostgreSQL cluster). Prints mentions/s, events/s, articles/s, the size on
//! disk per million events and the projected time to load a million.

use std::time::Instant;

/// The allocator the services use (it also serves SQLite's allocations).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use dyad_store::synthetic::SyntheticCorpus;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let target_mentions: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let batch_size: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("bench.sqlite3");
    // "postgres": a throwaway cluster (see dyad_store::throwaway).
    let cluster = (args.get(2).map(String::as_str) == Some("postgres"))
        .then(|| dyad_store::throwaway::PostgresCluster::start().expect("PostgreSQL starts"));
    let url = match (&cluster, args.get(2)) {
        (Some(cluster), _) => cluster.create_database("bench").await.expect("database"),
        (None, Some(url)) => url.clone(),
        (None, None) => format!("sqlite://{}", path.display()),
    };
    let store = dyad_store::open(&url).await.expect("store opens");
    let mut corpus = SyntheticCorpus::new(42, 80);

    let (mut mentions, mut articles) = (0usize, 0usize);
    let started = Instant::now();
    while mentions < target_mentions {
        let batch: Vec<_> = (0..batch_size).map(|_| corpus.next_article()).collect();
        mentions += batch.iter().map(|(_, events)| events.len()).sum::<usize>();
        articles += batch.len();
        store
            .put_articles(&batch, "synthetic")
            .await
            .expect("batch stored");
    }
    let seconds = started.elapsed().as_secs_f64();
    let (events, postgres_bytes) = match &cluster {
        Some(_) => count_postgres_events(&url).await,
        None => (count_events(&url), 0),
    };
    println!("store: {url}");
    println!(
        "loaded {articles} articles, {mentions} mentions, {events} distinct events in {seconds:.2} s (batches of {batch_size} articles)"
    );
    println!("  mentions/s: {:.0}", mentions as f64 / seconds);
    println!("  events/s:   {:.0}", events as f64 / seconds);
    println!("  articles/s: {:.0}", articles as f64 / seconds);
    println!(
        "  time to load 1M events (projected): {:.0} s",
        seconds * 1e6 / events.max(1) as f64
    );
    if postgres_bytes > 0 {
        println!(
            "  size on disk: {:.1} MB, {:.0} MB per million events",
            postgres_bytes as f64 / 1e6,
            postgres_bytes as f64 / 1e6 * 1e6 / events.max(1) as f64
        );
    }
    if let Some(db) = url.strip_prefix("sqlite://") {
        let size = |suffix: &str| std::fs::metadata(format!("{db}{suffix}")).map_or(0, |m| m.len());
        let (bytes, wal) = (size(""), size("-wal"));
        println!(
            "  size on disk: {:.1} MB, {:.0} MB per million events (plus {:.1} MB of write-ahead log)",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 * 1e6 / events.max(1) as f64,
            wal as f64 / 1e6
        );
    }
}

/// Distinct events stored in a PostgreSQL database, and its size in bytes.
async fn count_postgres_events(url: &str) -> (i64, i64) {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connects");
    tokio::spawn(connection);
    let row = client
        .query_one(
            "SELECT count(*), pg_database_size(current_database()) FROM events",
            &[],
        )
        .await
        .expect("events counted");
    (row.get(0), row.get(1))
}

/// Distinct events stored (read straight from the SQLite file).
fn count_events(url: &str) -> i64 {
    let Some(path) = url.strip_prefix("sqlite://") else {
        return 0;
    };
    let conn = rusqlite::Connection::open(path).expect("database opens");
    conn.query_row("SELECT count(*) FROM events", [], |row| row.get(0))
        .expect("events counted")
}
