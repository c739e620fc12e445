//! Reads under a write load: ListEvents and GetTimeline latencies of the
//! real `dyad-query` on a SQLite store of a million events, first alone,
//! then while the real `dyad-ingest` takes a bulk load into the same store;
//! with the answer cache as deployed, then without it.
//! Prints p50, p99 and the largest latency of each, the queries answered
//! and the articles stored per second.
//!
//! `cargo build --release --bins && cargo bench -p dyad-tests --bench read_under_write -- [EVENTS]`
//! (default 1,000,000 synthetic events; `DYAD_BENCH_DB=PATH` keeps the
//! store and reuses it when it holds enough events).

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use dyad_proto::{
    Timestamp,
    v1::{
        ActorMatch, Article, Bucket, EventFilter, GetTimelineRequest, IngestArticlesRequest,
        ListEventsRequest, ingest_service_client::IngestServiceClient,
        query_service_client::QueryServiceClient,
    },
};
use dyad_store::synthetic::fill_to;
use dyad_tests::Service;
use tonic::transport::Channel;

/// Countries of the synthetic corpus (five actors each).
const COUNTRIES: usize = 80;
/// How long each phase runs.
const PHASE: Duration = Duration::from_secs(30);
/// Query clients, each asking one question after the other.
const READERS: usize = 4;
/// Streams of the bulk load.
const WRITERS: usize = 2;

async fn load(path: &Path, target: i64) {
    let store = dyad_store::SqliteStore::open(path).expect("a store");
    let started = Instant::now();
    let (events, loaded) = fill_to(&store, target, COUNTRIES)
        .await
        .expect("a synthetic store");
    if loaded {
        println!(
            "loaded {events} events in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing {} ({events} events)", path.display());
    }
}

/// The stories the bulk load sends, again and again under new ids.
fn stories() -> Vec<Article> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/cli/data/demo/voa-stories.jsonl");
    std::fs::read_to_string(path)
        .expect("the demo stories")
        .lines()
        .map(|line| serde_json::from_str(line).expect("an article"))
        .collect()
}

fn at(year: i32) -> Option<Timestamp> {
    let seconds = chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .expect("a date")
        .and_hms_opt(0, 0, 0)
        .expect("a time")
        .and_utc()
        .timestamp();
    Some(Timestamp { seconds, nanos: 0 })
}

/// The `n`-th question: a country's events (a page) or its monthly
/// timeline, over the synthetic corpus's ten busiest countries (A00–A09)
/// and its ten years in turn, so that few are asked twice.
fn country_filter(n: u64) -> EventFilter {
    let year = 2015 + (n / 2 % 10) as i32;
    EventFilter {
        actor: Some(ActorMatch {
            country_code: format!("A{:02}", n / 20 % 10),
            ..Default::default()
        }),
        start_time: at(year),
        end_time: at(year + 1),
        ..Default::default()
    }
}

/// Latencies of one kind of call, in microseconds.
#[derive(Default)]
struct Latencies(Vec<u64>);

impl Latencies {
    fn report(&mut self, name: &str) {
        self.0.sort_unstable();
        let at = |q: f64| {
            let i = ((self.0.len() as f64 - 1.0) * q).round() as usize;
            self.0.get(i).copied().unwrap_or(0) as f64 / 1000.0
        };
        println!(
            "  {name:<12} {:>7} calls  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms",
            self.0.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
}

/// Asks questions from `READERS` clients until `stop`; returns the
/// ListEvents and GetTimeline latencies.
async fn read(query: Channel, stop: Arc<AtomicBool>) -> (Latencies, Latencies) {
    let next = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::new();
    for _ in 0..READERS {
        let (mut client, stop, next) = (
            QueryServiceClient::new(query.clone()),
            stop.clone(),
            next.clone(),
        );
        readers.push(tokio::spawn(async move {
            let (mut list, mut timeline) = (Latencies::default(), Latencies::default());
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let started = Instant::now();
                if n % 2 == 0 {
                    client
                        .list_events(ListEventsRequest {
                            filter: Some(country_filter(n)),
                            page_size: 50,
                            ..Default::default()
                        })
                        .await
                        .expect("ListEvents");
                    list.0.push(started.elapsed().as_micros() as u64);
                } else {
                    client
                        .get_timeline(GetTimelineRequest {
                            filter: Some(country_filter(n)),
                            bucket: Bucket::Month as i32,
                            ..Default::default()
                        })
                        .await
                        .expect("GetTimeline");
                    timeline.0.push(started.elapsed().as_micros() as u64);
                }
            }
            (list, timeline)
        }));
    }
    let (mut list, mut timeline) = (Latencies::default(), Latencies::default());
    for reader in readers {
        let (l, t) = reader.await.expect("a reader");
        list.0.extend(l.0);
        timeline.0.extend(t.0);
    }
    (list, timeline)
}

/// Streams stories under new ids into the ingest service until `stop`;
/// returns the articles stored.
async fn write(ingest: Channel, stop: Arc<AtomicBool>) -> u64 {
    let stories = Arc::new(stories());
    let stored = Arc::new(AtomicU64::new(0));
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (mut client, stop, stories, stored) = (
            IngestServiceClient::new(ingest.clone()),
            stop.clone(),
            stories.clone(),
            stored.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut round = 0;
            while !stop.load(Ordering::Relaxed) {
                let batch: Vec<IngestArticlesRequest> = stories
                    .iter()
                    .map(|story| IngestArticlesRequest {
                        article: Some(Article {
                            id: format!("w{writer}-{round}-{}", story.id),
                            url: String::new(),
                            ..story.clone()
                        }),
                    })
                    .collect();
                round += 1;
                let mut answers = client
                    .ingest_articles(tokio_stream::iter(batch))
                    .await
                    .expect("a stream")
                    .into_inner();
                while let Some(answer) = answers.message().await.expect("an answer") {
                    if answer.outcome() == dyad_proto::v1::IngestOutcome::Ingested {
                        stored.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for writer in writers {
        writer.await.expect("a writer");
    }
    stored.load(Ordering::Relaxed)
}

async fn phase(query: &Service, ingest: Option<&Service>) {
    let stop = Arc::new(AtomicBool::new(false));
    let channel = |url: String| async move {
        Channel::from_shared(url)
            .expect("a url")
            .connect()
            .await
            .expect("a connection")
    };
    let reads = tokio::spawn(read(channel(query.url()).await, stop.clone()));
    let writes = match ingest {
        Some(ingest) => Some(tokio::spawn(write(
            channel(ingest.url()).await,
            stop.clone(),
        ))),
        None => None,
    };
    tokio::time::sleep(PHASE).await;
    stop.store(true, Ordering::Relaxed);
    let (mut list, mut timeline) = reads.await.expect("the readers");
    list.report("ListEvents");
    timeline.report("GetTimeline");
    if let Some(writes) = writes {
        let stored = writes.await.expect("the writers");
        println!(
            "  bulk load    {stored} articles stored, {:.0} articles/s",
            stored as f64 / PHASE.as_secs_f64()
        );
    }
}

fn main() {
    let target: i64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = std::env::var("DYAD_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("reads.sqlite3"));
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(load(&db, target));
    let store = format!("sqlite://{}", db.display());
    let ingest = Service::start("dyad-ingest", &["--store", &store]);
    // As deployed (answers kept until the store changes), and with every
    // question read from the store.
    for (label, cache) in [("answer cache on", "64"), ("answer cache off", "0")] {
        let query = Service::start(
            "dyad-query",
            &["--store", &store, "--answer-cache-mib", cache],
        );
        runtime.block_on(async {
            println!(
                "{label}: reads alone ({READERS} clients, {} s):",
                PHASE.as_secs()
            );
            phase(&query, None).await;
            println!(
                "{label}: reads during a bulk load ({READERS} clients, {WRITERS} ingest streams, {} s):",
                PHASE.as_secs()
            );
            phase(&query, Some(&ingest)).await;
        });
    }
}
