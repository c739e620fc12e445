//! End-to-end ingest rate: `dyad ingest` over the streaming RPC into
//! SQLite and PostgreSQL, next to the coder alone (`dyad extract`) on the
//! same input in the same run; then the service's peak memory over a
//! 100,000-article bulk load.
//!
//! `cargo build --release --bins && cargo bench -p dyad-tests --bench ingest_rate -- [CORPUS_DIR]`
//! (default `../shared/corpus`: `reuters21578.jsonl` and `voa-dev.jsonl`).

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use dyad_store::throwaway::PostgresCluster;
use dyad_tests::{Service, binary};
use serde_json::{Value, json};

/// Articles of the big bulk load.
const BULK: usize = 100_000;

/// The corpus's articles as dyad.v1.Article JSON values.
fn read_corpus(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (give the corpus directory as argument)",
            path.display()
        )
    });
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let raw: Value = serde_json::from_str(line).unwrap();
            let field = |name: &str| raw.get(name).and_then(Value::as_str).unwrap_or_default();
            let published = [field("published"), field("date")]
                .into_iter()
                .find_map(parse_time)
                .unwrap_or_else(|| "2020-01-01T00:00:00Z".to_string());
            json!({
                "id": field("id"),
                "url": field("url"),
                "title": field("title"),
                "outlet": if field("url").contains("voanews") { "Voice of America" } else { "Reuters" },
                "publishTime": published,
                "text": field("text"),
            })
        })
        .collect()
}

/// "2025-03-14 20:28:39Z" (VOA) or "26-FEB-1987 15:01:01.79" (Reuters) as RFC 3339.
fn parse_time(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let parsed =
        chrono::NaiveDateTime::parse_from_str(raw.trim_end_matches('Z'), "%Y-%m-%d %H:%M:%S")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%d-%b-%Y %H:%M:%S%.f"))
            .ok()?;
    Some(parsed.and_utc().to_rfc3339())
}

fn write_jsonl(path: &Path, articles: &[Value]) -> u64 {
    let text: Vec<String> = articles.iter().map(Value::to_string).collect();
    std::fs::write(path, text.join("\n")).unwrap();
    articles
        .iter()
        .map(|a| a["text"].as_str().map_or(0, str::len) as u64)
        .sum()
}

fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Times the coder alone on `file`.
fn extract(file: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(binary("dyad"))
        .args(["extract", "--jsonl"])
        .arg(file)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "dyad extract failed");
    started.elapsed()
}

/// Times `dyad ingest` of `file` into `store`; returns the time and the
/// service's peak resident memory.
fn ingest(store: &str, file: &Path) -> (Duration, u64) {
    let service = Service::start("dyad-ingest", &["--store", store]);
    let started = Instant::now();
    let output = Command::new(binary("dyad"))
        .args(["ingest", "--addr", &service.url(), "--concurrency", "2"])
        .arg(file)
        .output()
        .unwrap();
    let took = started.elapsed();
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{summary}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (took, peak_kib(service.child.id()))
}

fn report(what: &str, articles: usize, bytes: u64, took: Duration, coder: Duration) {
    let seconds = took.as_secs_f64();
    println!(
        "  {what:<22} {:>8.0} articles/s {:>6.2} MB/s  {:>6.1} s   {:.2}x the coder's time",
        articles as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        seconds,
        seconds / coder.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let corpus = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let dir = tempfile::tempdir().unwrap();
    let cluster = PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let mut reuters = Vec::new();
    for name in ["reuters21578", "voa-dev"] {
        let articles = read_corpus(&corpus.join(format!("{name}.jsonl")));
        let file = dir.path().join(format!("{name}.jsonl"));
        let bytes = write_jsonl(&file, &articles);
        println!(
            "{name}: {} articles, {:.1} MB of text",
            articles.len(),
            bytes as f64 / 1e6
        );
        let coder = extract(&file);
        report(
            "coder alone (1 thread)",
            articles.len(),
            bytes,
            coder,
            coder,
        );
        let sqlite = format!(
            "sqlite://{}",
            dir.path().join(format!("{name}.sqlite3")).display()
        );
        let (took, peak) = ingest(&sqlite, &file);
        report("service into SQLite", articles.len(), bytes, took, coder);
        println!("  {:<22} peak RSS {} MiB", "", peak >> 10);
        let postgres = cluster
            .create_database(&name.replace('-', "_"))
            .await
            .unwrap();
        let (took, peak) = ingest(&postgres, &file);
        report(
            "service into PostgreSQL",
            articles.len(),
            bytes,
            took,
            coder,
        );
        println!("  {:<22} peak RSS {} MiB", "", peak >> 10);
        if name == "reuters21578" {
            reuters = articles;
        }
    }
    let bulk: Vec<Value> = (0..BULK)
        .map(|n| {
            let mut article = reuters[n % reuters.len()].clone();
            article["id"] = json!(format!("bulk-{n}"));
            article
        })
        .collect();
    let file = dir.path().join("bulk.jsonl");
    let bytes = write_jsonl(&file, &bulk);
    let sqlite = format!("sqlite://{}", dir.path().join("bulk.sqlite3").display());
    let (took, peak) = ingest(&sqlite, &file);
    println!(
        "bulk load of {BULK} articles ({:.0} MB) into SQLite: {:.1} s, {:.0} articles/s, service peak RSS {} MiB",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        BULK as f64 / took.as_secs_f64(),
        peak >> 10
    );
}
