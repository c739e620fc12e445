//! End to end: the real `dyad-ingest`, `dyad-query` and `dyad` binaries as
//! processes on one SQLite file, driven by a real gRPC client.

use std::process::Command;

use dyad_proto::{
    Timestamp,
    v1::{
        Article, ExtractEventsRequest, GetArticleRequest, IngestArticleRequest, IngestOutcome,
        ListEventsRequest, Modality, ingest_service_client::IngestServiceClient,
        query_service_client::QueryServiceClient,
    },
};
use dyad_tests::{Service, binary, fixture_path};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

fn fixture_article() -> Article {
    Article {
        id: "russia-armenia-peacekeepers".into(),
        url: "https://www.theepochtimes.com/world/russia-to-withdraw-peacekeepers-from-armenia-5646218".into(),
        title: "Russia to Withdraw Peacekeepers From Armenia Amid Steadily Fraying Ties".into(),
        outlet: "The Epoch Times".into(),
        publish_time: Some(Timestamp { seconds: 1_715_299_200, nanos: 0 }),
        text: std::fs::read_to_string(fixture_path()).unwrap(),
        ..Default::default()
    }
}

async fn serving(url: &str, service: &str) -> ServingStatus {
    let channel = tonic::transport::Channel::from_shared(url.to_string())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = HealthClient::new(channel);
    let response = health
        .check(HealthCheckRequest {
            service: service.into(),
        })
        .await
        .unwrap();
    response.into_inner().status()
}

#[tokio::test]
async fn article_in_events_out_across_both_binaries() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let ingest = Service::start("dyad-ingest", &["--store", &store]);
    let query = Service::start("dyad-query", &["--store", &store]);
    assert_eq!(
        serving(&ingest.url(), "dyad.v1.IngestService").await,
        ServingStatus::Serving
    );
    assert_eq!(
        serving(&query.url(), "dyad.v1.QueryService").await,
        ServingStatus::Serving
    );

    let mut ingest_client = IngestServiceClient::connect(ingest.url()).await.unwrap();
    let ingested = ingest_client
        .ingest_article(IngestArticleRequest {
            article: Some(fixture_article()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ingested.outcome(), IngestOutcome::Ingested);
    assert!(ingested.event_count >= 10);

    let mut query_client = QueryServiceClient::connect(query.url()).await.unwrap();
    let listed = query_client
        .list_events(ListEventsRequest {
            filter: Some(dyad_proto::v1::EventFilter {
                actor: Some(dyad_proto::v1::ActorMatch {
                    country_code: "ARM".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            page_size: 100,
            include_mentions: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(listed.events.len() >= 5, "{} events", listed.events.len());
    for event in &listed.events {
        let source = event.source.as_ref().expect("every event has a source");
        assert!(!source.code.is_empty() && !source.country_code.is_empty());
        assert_eq!(event.cameo_code[..2], event.cameo_root);
        assert!(event.quad_class != 0 && !event.cameo_name.is_empty());
        let date = event.date.as_ref().expect("every event is dated");
        assert_eq!(date.start_date.len(), 10);
        let mention = &event.mentions[0];
        assert_eq!(mention.article_id, "russia-armenia-peacekeepers");
        assert!(mention.rule.starts_with("verb:"));
        assert!(mention.sentence_end > mention.sentence_start);
    }
    // "would no longer contribute to funding CSTO activities" is a cut in
    // aid (162), never aid given.
    let funding: Vec<_> = listed
        .events
        .iter()
        .filter(|e| e.mentions[0].sentence_text.contains("no longer contribute"))
        .collect();
    assert!(!funding.is_empty(), "the funding sentence is coded");
    for event in funding {
        assert_eq!(event.cameo_code, "162");
        assert_eq!(event.modality(), Modality::Asserted);
        assert_eq!(event.target.as_ref().unwrap().code, "CSTO");
    }

    let article = query_client
        .get_article(GetArticleRequest {
            id: "russia-armenia-peacekeepers".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(article.events.len() as u32, ingested.event_count);
    assert_eq!(article.article.unwrap().outlet, "The Epoch Times");

    drop((ingest_client, query_client));
    assert!(ingest.terminate(), "dyad-ingest exits cleanly on SIGTERM");
    assert!(query.terminate(), "dyad-query exits cleanly on SIGTERM");
}

#[test]
fn a_store_that_cannot_be_opened_stops_the_service_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "x").unwrap();
    for name in ["dyad-ingest", "dyad-query"] {
        let output = Command::new(binary(name))
            .args([
                "--data-dir",
                not_a_dir.to_str().unwrap(),
                "--addr",
                "127.0.0.1:0",
            ])
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot open the store"), "{name}: {stderr}");
    }
}

#[tokio::test]
async fn dyad_extract_jsonl_prints_what_extract_events_returns() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let ingest = Service::start("dyad-ingest", &["--store", &store]);
    let article = fixture_article();
    let line = serde_json::to_string(&article).unwrap();
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, format!("{line}\n")).unwrap();
    let output = Command::new(binary("dyad"))
        .args(["extract", "--jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_cli: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();

    let mut client = IngestServiceClient::connect(ingest.url()).await.unwrap();
    let response = client
        .extract_events(ExtractEventsRequest {
            article: Some(article),
        })
        .await
        .unwrap()
        .into_inner();
    let from_grpc = serde_json::to_value(&response).unwrap();
    assert!(
        from_cli == from_grpc,
        "dyad extract --jsonl and ExtractEvents differ"
    );
    assert!(from_cli["events"].as_array().unwrap().len() >= 10);
}

#[tokio::test]
async fn dyad_ingest_bulk_loads_and_reports_failures() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let ingest = Service::start("dyad-ingest", &["--store", &store]);
    let jsonl = dir.path().join("batch.jsonl");
    std::fs::write(
        &jsonl,
        [
            r#"{"id":"a","text":"Russia condemned Ukraine.","publishTime":"2024-05-10T00:00:00Z"}"#,
            r#"{"id":"b","text":""}"#,
            r#"{"id":"c","text":"Armenia accused Azerbaijan of shelling villages."}"#,
            r#"this is not json"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let run = || {
        Command::new(binary("dyad"))
            .args([
                "ingest",
                "--addr",
                &ingest.url(),
                "--published",
                "2024-05-10",
            ])
            .arg(&jsonl)
            .arg(fixture_path())
            .output()
            .unwrap()
    };
    let first = run();
    let summary = String::from_utf8_lossy(&first.stdout);
    assert!(
        !first.status.success(),
        "failures make the exit status non-zero"
    );
    assert!(
        summary.contains("ingested 3  already known 0  not coded 0  failed 2"),
        "{summary}"
    );
    assert!(summary.contains("article.text: is empty"), "{summary}");
    assert!(summary.contains("batch.jsonl:4"), "{summary}");
    let second = run();
    let summary = String::from_utf8_lossy(&second.stdout);
    assert!(
        summary.contains("ingested 0  already known 3  not coded 0  failed 2"),
        "{summary}"
    );
}

#[tokio::test]
async fn health_turns_not_serving_when_shutdown_begins() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let query = Service::start("dyad-query", &["--store", &store]);
    let channel = tonic::transport::Channel::from_shared(query.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = HealthClient::new(channel);
    let mut watch = health
        .watch(HealthCheckRequest {
            service: "dyad.v1.QueryService".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        watch.message().await.unwrap().unwrap().status(),
        ServingStatus::Serving
    );
    let pid = query.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), watch.message()).await;
    assert_eq!(
        next.unwrap().unwrap().unwrap().status(),
        ServingStatus::NotServing
    );
}

#[test]
fn dyad_health_exits_by_serving_state() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("db.sqlite3").display());
    let query = Service::start("dyad-query", &["--store", &store]);
    let health = |args: &[&str]| {
        Command::new(binary("dyad"))
            .arg("health")
            .args(args)
            .output()
            .unwrap()
    };
    let serving = health(&["--addr", &query.addr, "--service", "dyad.v1.QueryService"]);
    assert!(serving.status.success(), "{serving:?}");
    assert_eq!(String::from_utf8_lossy(&serving.stdout).trim(), "SERVING");
    let whole = health(&["--addr", &query.url()]);
    assert!(whole.status.success(), "the server as a whole: {whole:?}");
    let unknown = health(&["--addr", &query.addr, "--service", "no.such.Service"]);
    assert!(!unknown.status.success());
    drop(query);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = listener.local_addr().unwrap().to_string();
    drop(listener);
    let unreachable = health(&["--addr", &closed, "--timeout", "1"]);
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unreachable.stderr).contains("cannot reach"));
}
