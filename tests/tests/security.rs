//! Authentication, TLS and metrics, end to end: the real service binaries
//! with a tokens file, a certificate signed by a test CA and a metrics port,
//! driven by a tonic client over TLS and by `dyad ingest`.

use std::process::{Command, Stdio};

use dyad_proto::v1::{
    Article, IngestArticleRequest, IngestOutcome, ListEventsRequest,
    ingest_service_client::IngestServiceClient, query_service_client::QueryServiceClient,
};
use dyad_tests::{Service, binary, fixture_path, free_port, http_get, tls_files};
use tonic::{
    Code, Request,
    transport::{Certificate, Channel, ClientTlsConfig},
};
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

const READER: &str = "reader-token-5f1d0c2a9e7b4411";
const WRITER: &str = "writer-token-0b9e3c7d2a6f4c88";

async fn tls_channel(addr: &str, ca: &std::path::Path) -> Channel {
    let port = addr.rsplit(':').next().unwrap();
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(std::fs::read(ca).unwrap()))
        .domain_name("localhost");
    Channel::from_shared(format!("https://localhost:{port}"))
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .unwrap()
}

fn with_token<T>(message: T, token: Option<&str>) -> Request<T> {
    let mut request = Request::new(message);
    if let Some(token) = token {
        request
            .metadata_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
    }
    request
}

fn article(id: &str) -> Article {
    Article {
        id: id.into(),
        text: "Russia condemned Ukraine on Tuesday.".into(),
        publish_time: Some(dyad_proto::Timestamp {
            seconds: 1_715_299_200,
            nanos: 0,
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn tokens_tls_and_metrics_guard_both_services() {
    let dir = tempfile::tempdir().unwrap();
    let tls = tls_files(dir.path());
    let tokens = dir.path().join("tokens");
    std::fs::write(
        &tokens,
        format!("# test tokens\n{READER} read\n{WRITER} write\n"),
    )
    .unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let metrics = format!("127.0.0.1:{}", free_port());
    let log_path = dir.path().join("ingest.log");
    let common = [
        "--store",
        &store,
        "--auth-tokens",
        tokens.to_str().unwrap(),
        "--tls-cert",
        tls.server_cert.to_str().unwrap(),
        "--tls-key",
        tls.server_key.to_str().unwrap(),
    ];
    let ingest = Service::start_logging(
        "dyad-ingest",
        &[&common[..], &["--metrics-addr", &metrics]].concat(),
        "debug",
        std::fs::File::create(&log_path).unwrap(),
    );
    let query = Service::start("dyad-query", &common);

    let channel = tls_channel(&ingest.addr, &tls.ca_cert).await;
    let client = IngestServiceClient::new(channel.clone());
    let send = |token: Option<&'static str>, id: &str| {
        let mut client = client.clone();
        let request = with_token(
            IngestArticleRequest {
                article: Some(article(id)),
            },
            token,
        );
        async move { client.ingest_article(request).await }
    };
    let missing = send(None, "a").await.unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated, "{missing:?}");
    assert!(
        missing.message().contains("authorization: Bearer"),
        "{missing:?}"
    );
    let wrong = send(Some("not-a-token-of-this-service"), "a")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Code::Unauthenticated);
    let reader = send(Some(READER), "a").await.unwrap_err();
    assert_eq!(reader.code(), Code::PermissionDenied, "{reader:?}");
    let written = send(Some(WRITER), "a").await.unwrap().into_inner();
    assert_eq!(written.outcome(), IngestOutcome::Ingested);
    // Health needs no token (container health checks have none).
    let health = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await;
    assert!(health.is_ok(), "{health:?}");
    // Plain text against the TLS port does not get through.
    let plain = IngestServiceClient::connect(format!("http://{}", ingest.addr)).await;
    if let Ok(mut plain) = plain {
        let answer = plain
            .ingest_article(with_token(
                IngestArticleRequest {
                    article: Some(article("b")),
                },
                Some(WRITER),
            ))
            .await;
        assert!(
            answer.is_err(),
            "plain text was served over TLS: {answer:?}"
        );
    }
    drop(client);

    // Reads need a token too (no --public-reads); a write token reads as well.
    let mut query_client = QueryServiceClient::new(tls_channel(&query.addr, &tls.ca_cert).await);
    let list = |token| with_token(ListEventsRequest::default(), token);
    let denied = query_client.list_events(list(None)).await.unwrap_err();
    assert_eq!(denied.code(), Code::Unauthenticated);
    for token in [READER, WRITER] {
        let events = query_client.list_events(list(Some(token))).await.unwrap();
        assert!(!events.into_inner().events.is_empty());
    }

    // `dyad ingest` over TLS with a token; with the read token it fails.
    let run_ingest = |token: &str| {
        Command::new(binary("dyad"))
            .arg("ingest")
            .arg(fixture_path())
            .args([
                "--addr",
                &format!("https://localhost:{}", port_of(&ingest.addr)),
            ])
            .args(["--ca-cert", tls.ca_cert.to_str().unwrap(), "--token", token])
            .args(["--published", "2024-05-10"])
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    let loaded = run_ingest(WRITER);
    let out = String::from_utf8_lossy(&loaded.stdout);
    assert!(
        loaded.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(out.contains("ingested 1"), "{out}");
    // A CA that did not sign the service's certificate: refused at once and
    // said so, not retried as if the service were down.
    let other = dir.path().join("other-ca");
    std::fs::create_dir(&other).unwrap();
    let stranger = tls_files(&other);
    let untrusted = Command::new(binary("dyad"))
        .arg("ingest")
        .arg(fixture_path())
        .args(["--addr", &format!("localhost:{}", port_of(&ingest.addr))])
        .args([
            "--ca-cert",
            stranger.ca_cert.to_str().unwrap(),
            "--token",
            WRITER,
        ])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&untrusted.stderr);
    assert!(!untrusted.status.success(), "{said}");
    assert!(said.contains("certificate is not trusted"), "{said}");
    assert!(!said.contains("retrying"), "{said}");
    let refused = run_ingest(READER);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("PermissionDenied"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // Metrics: calls by method and code, articles, coding and store timings.
    let exposition = http_get(&metrics, "/metrics").unwrap();
    for expected in [
        r#"dyad_grpc_requests_total{service="ingest",method="dyad.v1.IngestService/IngestArticle",code="UNAUTHENTICATED"} 2"#,
        r#"dyad_grpc_requests_total{service="ingest",method="dyad.v1.IngestService/IngestArticle",code="PERMISSION_DENIED"} 1"#,
        r#"dyad_grpc_requests_total{service="ingest",method="dyad.v1.IngestService/IngestArticle",code="OK"} 1"#,
        r#"dyad_grpc_request_duration_seconds_bucket{service="ingest",method="dyad.v1.IngestService/IngestArticles""#,
        r#"dyad_articles_total{outcome="ingested"} 2"#,
        "dyad_events_coded_total",
        "dyad_store_write_duration_seconds_bucket",
        "dyad_coding_duration_seconds_bucket",
        r#"dyad_grpc_requests_in_flight{service="ingest"}"#,
    ] {
        assert!(
            exposition.contains(expected),
            "{expected} missing from\n{exposition}"
        );
    }

    // Tokens never reach the log, even at debug level.
    drop(ingest);
    let log = std::fs::read_to_string(&log_path).unwrap();
    for token in [READER, WRITER] {
        assert!(!log.contains(token), "a token was logged");
    }
    drop(query);
}

fn port_of(addr: &str) -> &str {
    addr.rsplit(':').next().unwrap()
}

/// Calls open to all (health, reflection) have their own budget: a crowd of
/// token-less health watches never takes the capacity of authenticated
/// calls, nor stops health checks of their own for long.
#[tokio::test]
async fn open_calls_never_starve_authenticated_ones() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::write(&tokens, format!("{READER} read\n{WRITER} write\n")).unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let query = Service::start(
        "dyad-query",
        &[
            "--store",
            &store,
            "--auth-tokens",
            tokens.to_str().unwrap(),
            "--max-concurrent-calls",
            "8",
        ],
    );
    let channel = Channel::from_shared(query.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    // 300 health watches without a token, held open.
    let mut watches = Vec::new();
    for _ in 0..300 {
        let mut health = HealthClient::new(channel.clone());
        if let Ok(stream) = health
            .watch(HealthCheckRequest {
                service: String::new(),
            })
            .await
        {
            watches.push(stream.into_inner());
        }
    }
    assert!(
        watches.len() >= 32,
        "at least the open budget is served: {}",
        watches.len()
    );
    let mut client = QueryServiceClient::new(channel.clone());
    for _ in 0..16 {
        let listed = client
            .list_events(with_token(ListEventsRequest::default(), Some(READER)))
            .await;
        assert!(
            listed.is_ok(),
            "an authenticated call is served: {listed:?}"
        );
    }
    drop(watches);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let checked = HealthClient::new(channel)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await;
    assert!(
        checked.is_ok(),
        "health answers again once the watches go: {checked:?}"
    );
}

/// Whether the server closed `socket` (end of stream or reset) within
/// `within`.
async fn closed_within(socket: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 256];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // A TLS alert or an HTTP/2 GOAWAY before the close.
            Ok(Ok(_)) => continue,
        }
    }
}

/// Connections that never start (or never finish) a handshake are closed
/// after --handshake-timeout, in plaintext and over TLS, so silent sockets
/// cannot use up the process's file descriptors; clients that speak stay.
#[tokio::test]
async fn silent_connections_are_closed_after_the_handshake_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let tls = tls_files(dir.path());
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    let plain = Service::start(
        "dyad-ingest",
        &["--store", &store, "--handshake-timeout", "1"],
    );
    let http = format!("127.0.0.1:{}", free_port());
    let secure = Service::start(
        "dyad-query",
        &[
            "--store",
            &store,
            "--http-addr",
            &http,
            "--handshake-timeout",
            "1",
            "--tls-cert",
            tls.server_cert.to_str().unwrap(),
            "--tls-key",
            tls.server_key.to_str().unwrap(),
        ],
    );
    let mut client = IngestServiceClient::connect(plain.url()).await.unwrap();
    let mut silent = Vec::new();
    for addr in [&plain.addr, &secure.addr, &http] {
        for _ in 0..20 {
            silent.push(tokio::net::TcpStream::connect(addr.as_str()).await.unwrap());
        }
    }
    // A few bytes of a preface are not a handshake.
    let mut stalled = tokio::net::TcpStream::connect(plain.addr.as_str())
        .await
        .unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stalled, b"PRI * HTTP/2.0")
        .await
        .unwrap();
    silent.push(stalled);
    let wait = std::time::Duration::from_secs(4);
    for (n, socket) in silent.iter_mut().enumerate() {
        assert!(
            closed_within(socket, wait).await,
            "silent connection {n} is still open"
        );
    }
    // The client that spoke before the deadline is still served after it.
    let answer = client
        .ingest_article(IngestArticleRequest {
            article: Some(article("after-silence")),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.outcome(), IngestOutcome::Ingested);
    let mut reader = QueryServiceClient::new(tls_channel(&secure.addr, &tls.ca_cert).await);
    let listed = reader.list_events(ListEventsRequest::default()).await;
    assert!(listed.is_ok(), "{listed:?}");
    let page = http_get(&http, "/").expect("the web view answers after the silence");
    assert!(page.starts_with("<!DOCTYPE html>"), "{page:.80}");
}
