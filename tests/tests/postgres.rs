//! Both services on PostgreSQL: the same answers as on SQLite, `UNAVAILABLE`
//! (not a crash) and NOT_SERVING health while the database is down, and
//! recovery on their own when it returns, with nothing acknowledged lost. Fails loudly without
//! PostgreSQL unless `DYAD_SKIP_POSTGRES_TESTS=1`.

use dyad_proto::v1::{
    Article, IngestArticleRequest, IngestArticlesRequest, IngestOutcome, ListEventsRequest,
    ingest_service_client::IngestServiceClient, query_service_client::QueryServiceClient,
};
use dyad_store::throwaway::PostgresCluster;
use dyad_tests::Service;
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

/// The health of `service` at `url` once it is `wanted`, or the last one
/// seen after ten seconds.
async fn health_within(url: &str, service: &str, wanted: ServingStatus) -> ServingStatus {
    let channel = tonic::transport::Channel::from_shared(url.to_string())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = HealthClient::new(channel);
    let mut seen = ServingStatus::Unknown;
    for _ in 0..50 {
        let request = HealthCheckRequest {
            service: service.to_string(),
        };
        seen = client.check(request).await.unwrap().into_inner().status();
        if seen == wanted {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    seen
}

fn article(n: usize) -> Article {
    Article {
        id: format!("pg-{n}"),
        outlet: "Wire".into(),
        text: [
            "Russia condemned Ukraine on Monday. Armenia criticised Azerbaijan.",
            "France praised Germany on Tuesday. Japan accused China.",
        ][n - 1]
            .to_string(),
        publish_time: Some(dyad_proto::Timestamp {
            seconds: 1_715_299_200,
            nanos: 0,
        }),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_survive_a_database_outage() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: PostgreSQL end-to-end test (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let url = cluster.create_database("outage").await.unwrap();
    let ingest = Service::start("dyad-ingest", &["--store", &url]);
    let query = Service::start("dyad-query", &["--store", &url]);
    let mut ingest_client = IngestServiceClient::connect(ingest.url()).await.unwrap();
    let mut query_client = QueryServiceClient::connect(query.url()).await.unwrap();
    let put = |n: usize| IngestArticleRequest {
        article: Some(article(n)),
    };
    let listed = |client: &mut QueryServiceClient<tonic::transport::Channel>| {
        let mut client = client.clone();
        async move {
            client
                .list_events(ListEventsRequest {
                    page_size: 100,
                    ..Default::default()
                })
                .await
        }
    };

    let first = ingest_client
        .ingest_article(put(1))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.outcome(), IngestOutcome::Ingested);
    let before = listed(&mut query_client)
        .await
        .unwrap()
        .into_inner()
        .events
        .len();
    assert!(before >= 2, "{before} events");

    cluster.stop().unwrap();
    let down = ingest_client.ingest_article(put(2)).await.unwrap_err();
    assert_eq!(down.code(), tonic::Code::Unavailable, "{down:?}");
    assert!(down.message().contains("store"), "{}", down.message());
    let down = listed(&mut query_client).await.unwrap_err();
    assert_eq!(down.code(), tonic::Code::Unavailable, "{down:?}");
    // Health follows the store: NOT_SERVING within a few seconds.
    for (service, name) in [
        (&ingest, "dyad.v1.IngestService"),
        (&query, "dyad.v1.QueryService"),
    ] {
        assert_eq!(
            health_within(&service.url(), name, ServingStatus::NotServing).await,
            ServingStatus::NotServing,
            "{name} while the store is down"
        );
    }

    cluster.restart().unwrap();
    // The pool reconnects by itself: the same processes serve again.
    let mut recovered = None;
    for _ in 0..50 {
        match ingest_client.ingest_article(put(2)).await {
            Ok(response) => {
                recovered = Some(response.into_inner());
                break;
            }
            Err(status) if status.code() == tonic::Code::Unavailable => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            Err(status) => panic!("unexpected {status:?}"),
        }
    }
    assert_eq!(
        recovered.expect("ingest recovers").outcome(),
        IngestOutcome::Ingested
    );
    let again = ingest_client
        .ingest_article(put(1))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        again.outcome(),
        IngestOutcome::AlreadyKnown,
        "nothing acknowledged was lost"
    );
    for (service, name) in [
        (&ingest, "dyad.v1.IngestService"),
        (&query, "dyad.v1.QueryService"),
    ] {
        assert_eq!(
            health_within(&service.url(), name, ServingStatus::Serving).await,
            ServingStatus::Serving,
            "{name} once the store is back"
        );
    }
    let after = listed(&mut query_client).await.unwrap().into_inner().events;
    assert!(
        after.len() > before,
        "{} events after, {before} before",
        after.len()
    );
}

/// PostgreSQL refuses what SQLite takes — here a URL whose index entry is
/// over PostgreSQL's 2.7 KB B-tree limit (a NUL in a label, the attack's
/// example, is now removed before either store sees it): that article is
/// INVALID_ARGUMENT alone, or REJECTED in a stream while the rest of its
/// batch is stored, never "unavailable; retry later".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_the_database_refuses_is_rejected_alone() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: PostgreSQL end-to-end test (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let url = cluster.create_database("refused").await.unwrap();
    let ingest = Service::start("dyad-ingest", &["--store", &url]);
    let mut client = IngestServiceClient::connect(ingest.url()).await.unwrap();
    // 7,000 bytes that do not compress: a URL under ingest's limit whose
    // index entry PostgreSQL cannot store.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: String = (0..7000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect();
    let too_long = |id: &str| Article {
        id: id.into(),
        url: format!("https://example.org/{id}/{noise}"),
        ..article(1)
    };

    let alone = client
        .ingest_article(IngestArticleRequest {
            article: Some(too_long("long-url-alone")),
        })
        .await
        .unwrap_err();
    assert_eq!(alone.code(), tonic::Code::InvalidArgument, "{alone:?}");
    assert!(
        alone.message().contains("the store refused this article"),
        "{alone:?}"
    );

    let batch = vec![
        Article {
            id: "before-long-url".into(),
            ..article(1)
        },
        too_long("long-url-in-batch"),
        Article {
            id: "after-long-url".into(),
            ..article(2)
        },
    ];
    let requests: Vec<_> = batch
        .into_iter()
        .map(|article| IngestArticlesRequest {
            article: Some(article),
        })
        .collect();
    let mut answers = client
        .ingest_articles(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut outcomes = Vec::new();
    while let Some(answer) = answers.message().await.unwrap() {
        let refused = answer.rejection.clone().unwrap_or_default().description;
        outcomes.push((answer.index, answer.outcome(), refused.contains("refused")));
    }
    outcomes.sort_by_key(|(index, ..)| *index);
    assert_eq!(
        outcomes,
        [
            (0, IngestOutcome::Ingested, false),
            (1, IngestOutcome::Rejected, true),
            (2, IngestOutcome::Ingested, false),
        ]
    );
}
