//! Nothing lost, nothing twice: `kill -9` the ingest service part-way
//! through a bulk load, restart it, run the loader again, and the store
//! holds exactly what one clean load gives — every article acknowledged
//! before the kill among them — on SQLite and on PostgreSQL. Fails loudly
//! without PostgreSQL unless `DYAD_SKIP_POSTGRES_TESTS=1`.

use std::{path::Path, process::Command};

use dyad_proto::v1::{
    Article, EventFilter, GetArticleRequest, IngestArticlesRequest, ListEventsRequest, Modality,
    ingest_service_client::IngestServiceClient, query_service_client::QueryServiceClient,
};
use dyad_store::throwaway::PostgresCluster;
use dyad_tests::{Service, binary};
use tokio_stream::StreamExt;

/// Articles in the load: the VOA stories, each several times under its own
/// id, so that the same happenings are reported by many articles.
const ARTICLES: usize = 300;

fn articles() -> Vec<Article> {
    let voa =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/cli/data/demo/voa-stories.jsonl");
    let stories: Vec<Article> = std::fs::read_to_string(voa)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (0..ARTICLES)
        .map(|n| Article {
            id: format!("crash-{n}"),
            url: String::new(),
            outlet: format!("outlet-{}", n % 7),
            ..stories[n % stories.len()].clone()
        })
        .collect()
}

/// Every event with its counts and mentions, in a comparable form.
async fn snapshot(query_url: &str) -> Vec<String> {
    let mut client = QueryServiceClient::connect(query_url.to_string())
        .await
        .unwrap();
    let mut rows = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .list_events(ListEventsRequest {
                filter: Some(EventFilter {
                    modalities: [
                        Modality::Asserted,
                        Modality::Negated,
                        Modality::Intended,
                        Modality::Hypothetical,
                    ]
                    .map(|m| m as i32)
                    .to_vec(),
                    ..Default::default()
                }),
                page_size: 1000,
                page_token,
                include_mentions: true,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        for event in page.events {
            let mut mentions: Vec<String> = event
                .mentions
                .iter()
                .map(|m| format!("{}#{}:{}", m.article_id, m.sentence_index, m.sentence_start))
                .collect();
            mentions.sort();
            rows.push(format!(
                "{} mentions={} articles={} sources={} [{}]",
                event.id,
                event.num_mentions,
                event.num_articles,
                event.num_sources,
                mentions.join(" ")
            ));
        }
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    rows.sort();
    rows
}

fn write_jsonl(path: &Path, articles: &[Article]) {
    let lines: Vec<String> = articles
        .iter()
        .map(|a| serde_json::to_string(a).unwrap())
        .collect();
    std::fs::write(path, lines.join("\n")).unwrap();
}

/// Runs `dyad ingest` on `file`; returns its summary line.
fn load(ingest_url: &str, file: &Path) -> String {
    let output = Command::new(binary("dyad"))
        .args(["ingest", "--addr", ingest_url, "--chunk", "50"])
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The clean load, then the interrupted one, compared.
async fn crash_and_reload(reference_store: &str, crashed_store: &str, dir: &Path) {
    let all = articles();
    let file = dir.join("load.jsonl");
    write_jsonl(&file, &all);

    let ingest = Service::start("dyad-ingest", &["--store", reference_store]);
    let summary = load(&ingest.url(), &file);
    assert!(
        summary.contains(&format!("ingested {ARTICLES} ")),
        "{summary}"
    );
    drop(ingest);
    let query = Service::start("dyad-query", &["--store", reference_store]);
    let expected = snapshot(&query.url()).await;
    drop(query);
    assert!(
        expected.len() > 100,
        "too few events to compare: {}",
        expected.len()
    );

    // The interrupted load: acknowledgements recorded as they arrive, the
    // service killed (SIGKILL) once a third of the articles are answered.
    let mut ingest = Service::start("dyad-ingest", &["--store", crashed_store]);
    let mut client = IngestServiceClient::connect(ingest.url()).await.unwrap();
    let requests: Vec<IngestArticlesRequest> = all
        .iter()
        .map(|a| IngestArticlesRequest {
            article: Some(a.clone()),
        })
        .collect();
    let mut responses = client
        .ingest_articles(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut acknowledged = Vec::new();
    let mut killed = false;
    while let Some(response) = responses.next().await {
        let Ok(response) = response else { break };
        acknowledged.push(response.article_id);
        if !killed && acknowledged.len() >= ARTICLES / 3 {
            ingest.child.kill().unwrap();
            killed = true;
        }
    }
    assert!(killed, "the load ended before the kill");
    assert!(
        acknowledged.len() < ARTICLES,
        "every article was acknowledged before the kill took effect"
    );
    let _ = ingest.child.wait();
    drop(ingest);

    // Restarted on the same store; the loader run again resumes.
    let ingest = Service::start("dyad-ingest", &["--store", crashed_store]);
    let summary = load(&ingest.url(), &file);
    assert!(
        summary.contains("failed 0"),
        "the second load failed: {summary}"
    );
    let known: usize = summary
        .split("already known ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        known >= acknowledged.len(),
        "{known} known after the restart, but {} were acknowledged before the kill",
        acknowledged.len()
    );
    drop(ingest);

    let query = Service::start("dyad-query", &["--store", crashed_store]);
    let mut reader = QueryServiceClient::connect(query.url()).await.unwrap();
    for id in &acknowledged {
        let stored = reader
            .get_article(GetArticleRequest {
                id: id.clone(),
                ..Default::default()
            })
            .await;
        assert!(stored.is_ok(), "acknowledged article {id} was lost");
    }
    let got = snapshot(&query.url()).await;
    assert_eq!(
        got.len(),
        expected.len(),
        "event counts differ after the crash"
    );
    for (got, expected) in got.iter().zip(&expected) {
        assert_eq!(got, expected, "an event differs after the crash");
    }
    println!(
        "crash test: {} acknowledged before the kill, {known} known on reload, {} events identical",
        acknowledged.len(),
        got.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_loses_nothing_to_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let store = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    crash_and_reload(
        &store("reference.sqlite3"),
        &store("crashed.sqlite3"),
        dir.path(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_loses_nothing_to_a_kill() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: PostgreSQL crash test (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let reference = cluster.create_database("reference").await.unwrap();
    let crashed = cluster.create_database("crashed").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    crash_and_reload(&reference, &crashed, dir.path()).await;
}
