//! Overload: clients push large articles far faster than the ingest
//! service can code and store them. Prints the peak and final resident
//! memory of the service for two in-flight budgets, and how many calls were
//! shed with RESOURCE_EXHAUSTED; fails if memory outgrows the budget.
//!
//! `cargo build --release --bins && cargo bench -p dyad-tests --bench overload`

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use dyad_proto::v1::{
    Article, IngestArticleRequest, IngestArticlesRequest,
    ingest_service_client::IngestServiceClient,
};
use dyad_tests::Service;
use tokio_stream::StreamExt;
use tonic::{Code, transport::Channel};

/// How long the clients push.
const PUSH: Duration = Duration::from_secs(20);
/// Clients calling IngestArticle in a loop.
const UNARY_CLIENTS: usize = 128;
/// Clients streaming IngestArticles.
const STREAM_CLIENTS: usize = 8;
/// Size of each article's text.
const ARTICLE_BYTES: usize = 400 << 10;
/// The SQLite store's page cache (see `dyad_store::sqlite`), filled as the
/// database grows past it, as it does here.
const SQLITE_PAGE_CACHE_MIB: u64 = 64;

/// The process's resident memory of one kind (/proc status field), KiB:
/// `RssAnon` is its own heap; `VmRSS` adds the store's memory-mapped
/// database file, which the kernel may drop at any time.
fn resident_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn article(text: &Arc<String>, id: String) -> Article {
    Article {
        id,
        text: text.as_str().to_string(),
        publish_time: Some(dyad_proto::Timestamp {
            seconds: 1_715_299_200,
            nanos: 0,
        }),
        ..Default::default()
    }
}

#[derive(Default)]
struct Counts {
    accepted: AtomicU64,
    shed: AtomicU64,
    other: AtomicU64,
}

async fn run(budget_mib: usize, max_calls: usize, text: Arc<String>) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let budget = (budget_mib << 20).to_string();
    let service = Service::start(
        "dyad-ingest",
        &[
            "--store",
            &store,
            "--max-inflight-bytes",
            &budget,
            "--max-requests-per-second",
            "0",
        ],
    );
    let pid = service.child.id();
    let idle = resident_kib(pid, "RssAnon:");
    let channel = Channel::from_shared(service.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let client = IngestServiceClient::new(channel).max_encoding_message_size(8 << 20);
    let stop = Arc::new(AtomicBool::new(false));
    let counts = Arc::new(Counts::default());
    let next_id = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..UNARY_CLIENTS {
        let (mut client, stop, counts, next_id, text) = (
            client.clone(),
            stop.clone(),
            counts.clone(),
            next_id.clone(),
            text.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let id = format!("u{}", next_id.fetch_add(1, Ordering::Relaxed));
                let request = IngestArticleRequest {
                    article: Some(article(&text, id)),
                };
                match client.ingest_article(request).await {
                    Ok(_) => counts.accepted.fetch_add(1, Ordering::Relaxed),
                    Err(s) if s.code() == Code::ResourceExhausted => {
                        counts.shed.fetch_add(1, Ordering::Relaxed)
                    }
                    Err(_) => counts.other.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for _ in 0..STREAM_CLIENTS {
        let (mut client, stop, counts, next_id, text) = (
            client.clone(),
            stop.clone(),
            counts.clone(),
            next_id.clone(),
            text.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let requests = tokio_stream::iter(0..)
                .map(move |_| IngestArticlesRequest {
                    article: Some(article(
                        &text,
                        format!("s{}", next_id.fetch_add(1, Ordering::Relaxed)),
                    )),
                })
                .take_while(move |_| !stop.load(Ordering::Relaxed));
            if let Ok(responses) = client.ingest_articles(requests).await {
                let mut responses = responses.into_inner();
                while let Some(Ok(_)) = responses.next().await {
                    counts.accepted.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let started = Instant::now();
    let (mut peak, mut peak_total) = (0, 0);
    while started.elapsed() < PUSH {
        peak = peak.max(resident_kib(pid, "RssAnon:"));
        peak_total = peak_total.max(resident_kib(pid, "VmRSS:"));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(30), task).await;
    }
    peak = peak.max(resident_kib(pid, "RssAnon:"));
    let after = resident_kib(pid, "RssAnon:");
    let offered = next_id.load(Ordering::Relaxed);
    println!(
        "budget {budget_mib:>4} MiB, {max_calls:>3} calls at once: offered {offered} articles of {} KiB in {}s ({:.0} MB/s offered); \
         accepted {}, shed (RESOURCE_EXHAUSTED) {}, other errors {}; \
         heap (RssAnon) idle {} MiB, peak {} MiB, after {} MiB; VmRSS peak {} MiB",
        ARTICLE_BYTES >> 10,
        PUSH.as_secs(),
        (offered as f64 * ARTICLE_BYTES as f64) / 1e6 / PUSH.as_secs_f64(),
        counts.accepted.load(Ordering::Relaxed),
        counts.shed.load(Ordering::Relaxed),
        counts.other.load(Ordering::Relaxed),
        idle >> 10,
        peak >> 10,
        after >> 10,
        peak_total >> 10,
    );
    // Bounded by the configuration, not by the offered load: the idle
    // service, the store's page cache, the budget (twice: articles waiting
    // for room are decoded already), a few copies of the message of each
    // running call (request buffers, the decoded and the cleaned article),
    // and slack for the allocator and runtime.
    let per_call_mib = (6 * ARTICLE_BYTES as u64) >> 20;
    let bound_mib = idle / 1024
        + SQLITE_PAGE_CACHE_MIB
        + 2 * budget_mib as u64
        + max_calls as u64 * per_call_mib.max(1)
        + 128;
    let bounded = peak / 1024 <= bound_mib;
    if !bounded {
        println!(
            "  peak {} MiB is over the bound of {bound_mib} MiB",
            peak >> 10
        );
    }
    bounded
}

#[tokio::main]
async fn main() {
    let voa = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates/cli/data/demo/voa-stories.jsonl"),
    )
    .unwrap();
    let mut text = String::new();
    for line in voa.lines().cycle() {
        let article: Article = serde_json::from_str(line).unwrap();
        text.push_str(&article.text);
        text.push('\n');
        if text.len() >= ARTICLE_BYTES {
            break;
        }
    }
    let mut end = ARTICLE_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    let text = Arc::new(text);
    let mut ok = true;
    for (budget, max_calls) in [(32, 32), (256, 256)] {
        ok &= run(budget, max_calls, text.clone()).await;
    }
    if !ok {
        std::process::exit(1);
    }
}
