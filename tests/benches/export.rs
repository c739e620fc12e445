//! Export throughput and memory: a synthetic store (see
//! `dyad_store::synthetic`) served by the real `dyad-query` binary, exported
//! by the real `dyad export` in each format.
//!
//! `cargo bench -p dyad-tests --bench export -- [EVENTS]` (default
//! 1,000,000 events into a fresh SQLite file; `DYAD_BENCH_DB=PATH` keeps the
//! file and reuses it when it already holds enough events). Build the
//! binaries first (`cargo build --release --bins`).
//!
//! Prints, per format and layout: rows, bytes, seconds, rows per second,
//! the peak resident memory of `dyad export` and the largest heap of the
//! query service while it ran (its resident memory without the store's
//! memory-mapped pages, which the kernel may drop at will).

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use dyad_store::{
    Store,
    synthetic::{asserted_events, fill_to},
};
use dyad_tests::{Service, binary};

/// Countries of the synthetic corpus (five actors each).
const COUNTRIES: usize = 80;

/// A memory figure of a running process from `/proc/PID/status`, in MiB:
/// `VmHWM` (peak resident) or `RssAnon` (resident heap and stacks, without
/// the store's memory-mapped file pages).
fn status_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

async fn stored_events(store: &Arc<dyn Store>) -> i64 {
    asserted_events(store.as_ref()).await.expect("tally")
}

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

/// Runs `dyad export` to `out` with `args`, sampling memory until it exits;
/// returns (seconds, its peak MiB, the query service's largest heap MiB).
fn export(query: &Service, out: &Path, args: &[&str]) -> (f64, f64, f64) {
    let started = Instant::now();
    let mut child: Child = Command::new(binary("dyad"))
        .args(["export", "--quiet", "--addr", &query.url(), "--out"])
        .arg(out)
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .expect("dyad export starts");
    let (mut peak, mut server_heap): (f64, f64) = (0.0, 0.0);
    let status = loop {
        if let Some(status) = child.try_wait().expect("a status") {
            break status;
        }
        if let Some(mib) = status_mib(child.id(), "VmHWM:") {
            peak = peak.max(mib);
        }
        if let Some(mib) = status_mib(query.child.id(), "RssAnon:") {
            server_heap = server_heap.max(mib);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let seconds = started.elapsed().as_secs_f64();
    assert!(status.success(), "dyad export failed");
    (seconds, peak, server_heap)
}

fn main() {
    let target: i64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = std::env::var("DYAD_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("export.sqlite3"));
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(load(&db, target));

    let store = format!("sqlite://{}", db.display());
    let query = Service::start("dyad-query", &["--store", &store]);
    println!(
        "query service before the exports: heap {:.0} MiB",
        status_mib(query.child.id(), "RssAnon:").unwrap_or(0.0)
    );
    println!("format   layout  rows       MB      s      rows/s   export peak MiB  query heap MiB");
    for (format, layout) in [
        ("parquet", "dyad"),
        ("csv", "dyad"),
        ("tsv", "gdelt"),
        ("jsonl", "dyad"),
    ] {
        let out = dir.path().join(format!("events-{layout}.{format}"));
        let (seconds, export_peak, query_heap) = export(&query, &out, &["--layout", layout]);
        let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        let rows = runtime.block_on(async {
            let store: Arc<dyn Store> =
                Arc::new(dyad_store::SqliteStore::open(&db).expect("a store"));
            stored_events(&store).await
        });
        println!(
            "{format:<8} {layout:<7} {rows:<10} {:<7.0} {seconds:<6.1} {:<8.0} {export_peak:<16.0} {query_heap:.0}",
            bytes as f64 / 1e6,
            rows as f64 / seconds,
        );
        let _ = std::fs::remove_file(&out);
    }
}
