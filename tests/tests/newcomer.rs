//! What a new user meets first, tried as they would: `dyad up` shows no
//! password and takes `localhost`, its log file holds plain text, a bad
//! tokens file stops it at once, and the clients say within seconds which
//! address they could not reach and how to start it — or that a file held
//! no articles.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use dyad_store::throwaway::PostgresCluster;
use dyad_tests::{binary, fixture_path};

/// `dyad up` on a fresh data directory in `dir` with `args`, its log in
/// `dir/up.log`; returns the process and its start-up lines (up to the
/// query address).
fn up(dir: &Path, args: &[&str]) -> (Child, Vec<String>) {
    let log = std::fs::File::create(dir.join("up.log")).unwrap();
    let mut child = Command::new(binary("dyad"))
        .arg("up")
        .args(["--data-dir", dir.join("data").to_str().unwrap()])
        .args(["--http-addr", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.starts_with("dyad: query");
        lines.push(line.trim_end().to_string());
        if done {
            break;
        }
    }
    // Read the rest, as a terminal would: the process never meets a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    (child, lines)
}

/// The ingest address among `dyad up`'s start-up lines.
fn ingest_address(lines: &[String]) -> String {
    lines
        .iter()
        .find_map(|line| line.strip_prefix("dyad: ingest  "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("dyad up prints its ingest address")
        .to_string()
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn dyad(args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new(binary("dyad")).args(args).output().unwrap();
    (output, started.elapsed())
}

fn all_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn dyad_up_takes_localhost_and_logs_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = up(
        dir.path(),
        &[
            "--ingest-addr",
            "localhost:0",
            "--query-addr",
            "localhost:0",
        ],
    );
    let printed = lines.join("\n");
    assert!(
        printed.contains("dyad: ingest  127.0.0.1:")
            && printed.contains("dyad: query   127.0.0.1:"),
        "{printed}"
    );
    // Both services log the address they listen on once serving.
    let started = Instant::now();
    let log = loop {
        let log = std::fs::read_to_string(dir.path().join("up.log")).unwrap();
        if log.matches("listening").count() >= 2 || started.elapsed() > Duration::from_secs(10) {
            break log;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    stop(child);
    assert!(
        !log.contains('\u{1b}'),
        "terminal colour codes in a log file: {log:?}"
    );
    assert!(log.contains("addr=127.0.0.1:"), "{log}");
    assert!(!log.contains("Some("), "{log}");
}

#[test]
fn dyad_up_with_a_bad_tokens_file_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::write(&tokens, "only-one-field\n").unwrap();
    let started = Instant::now();
    let (mut child, banner) = up(
        dir.path(),
        &[
            "--ingest-addr",
            "127.0.0.1:0",
            "--query-addr",
            "127.0.0.1:0",
            "--auth-tokens",
            tokens.to_str().unwrap(),
        ],
    );
    // No banner announcing services that will not run.
    assert!(banner.is_empty(), "{banner:?}");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(15) {
            stop(child);
            panic!("dyad up kept running with a bad tokens file");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!status.success());
    let log = std::fs::read_to_string(dir.path().join("up.log")).unwrap();
    assert!(log.contains("line 1: expected"), "{log}");
}

#[test]
fn dyad_up_never_shows_the_database_password() {
    // Unreachable: the error names the database without its password.
    let (output, _) = dyad(&[
        "up",
        "--store",
        "postgres://dyad:s3cret-pass@127.0.0.1:1/dyad",
        "--ingest-addr",
        "127.0.0.1:0",
        "--query-addr",
        "127.0.0.1:0",
    ]);
    let text = all_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(!text.contains("s3cret-pass"), "{text}");
    assert!(text.contains("dyad:***@127.0.0.1:1"), "{text}");

    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: dyad up on PostgreSQL (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    // Running: the start-up lines name the store without its password.
    let cluster = PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = runtime
        .block_on(cluster.create_database("newcomer"))
        .unwrap();
    let with_password = format!("{url}?password=s3cret-pass");
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = up(
        dir.path(),
        &[
            "--store",
            &with_password,
            "--ingest-addr",
            "127.0.0.1:0",
            "--query-addr",
            "127.0.0.1:0",
        ],
    );
    stop(child);
    let printed = lines.join("\n");
    let log = std::fs::read_to_string(dir.path().join("up.log")).unwrap();
    assert!(printed.contains("password=***"), "{printed}");
    assert!(
        !printed.contains("s3cret-pass") && !log.contains("s3cret-pass"),
        "{printed}\n{log}"
    );
}

#[test]
fn clients_name_the_address_they_cannot_reach_within_seconds() {
    let port = closed_port();
    let address = format!("127.0.0.1:{port}");
    let (output, took) = dyad(&[
        "ingest",
        "--addr",
        &address,
        fixture_path().to_str().unwrap(),
    ]);
    let text = all_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(took < Duration::from_secs(8), "took {took:?}: {text}");
    assert!(
        text.contains(&format!(
            "cannot reach the ingest service at http://{address}"
        )),
        "{text}"
    );
    assert!(text.to_lowercase().contains("refused"), "{text}");
    assert!(text.contains("dyad up"), "{text}");

    let (output, took) = dyad(&["health", "--addr", &address]);
    let text = all_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(took < Duration::from_secs(8), "took {took:?}: {text}");
    assert!(text.to_lowercase().contains("refused"), "{text}");
    assert!(!text.trim().ends_with("transport error"), "{text}");
}

/// Articles as scrapers and corpora write them: JSON Lines with other field
/// names and extra fields (the shape of `../shared/corpus/voa-dev.jsonl`),
/// and CSV with a header.
#[test]
fn common_jsonl_and_csv_shapes_load_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = up(
        dir.path(),
        &[
            "--ingest-addr",
            "127.0.0.1:0",
            "--query-addr",
            "127.0.0.1:0",
        ],
    );
    let ingest = ingest_address(&lines);
    let scraped = dir.path().join("scraped.jsonl");
    std::fs::write(
        &scraped,
        [
            r#"{"id": "8011117", "url": "https://example.org/1", "section": "Middle East", "title": "Talks", "author": "A. B.", "published": "2025-03-14 20:28:39Z", "keywords": "Syria", "text": "Russia condemned Ukraine on Tuesday."}"#,
            r#"{"id": "8011118", "link": "https://example.org/2", "section": "Asia", "headline": "Protests", "date": "2025-03-15", "body": "Japan accused China of violating its airspace on Friday."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let csv = dir.path().join("news.csv");
    std::fs::write(
        &csv,
        "title,date,body,views\nTruce,2025-03-16,\"France praised Germany on Sunday.\",12\n",
    )
    .unwrap();
    let (output, _) = dyad(&[
        "ingest",
        "--addr",
        &ingest,
        scraped.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    stop(child);
    let text = all_text(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("ingested 3 "), "{text}");
    assert!(
        text.contains(
            "ignored fields that are not part of an article: author (1), keywords (1), section (2), views (1)"
        ),
        "{text}"
    );
}

#[test]
fn an_empty_file_is_an_error_not_a_silent_success() {
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = up(
        dir.path(),
        &[
            "--ingest-addr",
            "127.0.0.1:0",
            "--query-addr",
            "127.0.0.1:0",
        ],
    );
    let ingest = ingest_address(&lines);
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let (output, _) = dyad(&["ingest", "--addr", &ingest, empty.to_str().unwrap()]);
    stop(child);
    let text = all_text(&output);
    assert!(!output.status.success(), "{text}");
    assert!(text.contains("no articles in"), "{text}");
    assert!(text.contains("empty.jsonl"), "{text}");
}
