//! Several ingest processes writing to one store at once, on SQLite and on
//! PostgreSQL: every article is stored exactly once, and the counts of a
//! happening reported by many articles come out exact.

use dyad_proto::v1::{
    Article, GetEventRequest, IngestArticleRequest, IngestOutcome, ListEventsRequest,
    ingest_service_client::IngestServiceClient, query_service_client::QueryServiceClient,
};
use dyad_store::throwaway::PostgresCluster;
use dyad_tests::Service;

/// 30 articles from 3 outlets that all report the same meeting, each with
/// an event of its own.
fn articles() -> Vec<Article> {
    const OTHERS: &[&str] = &["France", "Germany", "Japan", "China", "Brazil", "India"];
    (0..30)
        .map(|n| Article {
            id: format!("w-{n}"),
            outlet: format!("outlet-{}", n % 3),
            text: format!(
                "Vladimir Putin met Nikol Pashinyan in Moscow on May 8, 2024. \
                 {} criticised {} on {}.",
                OTHERS[n % 6],
                OTHERS[(n + 1) % 6],
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][n / 6]
            ),
            publish_time: Some(dyad_proto::Timestamp {
                seconds: 1_715_299_200 + n as i64,
                nanos: 0,
            }),
            ..Default::default()
        })
        .collect()
}

async fn two_writers_on(store: &str) {
    let writers = [
        Service::start("dyad-ingest", &["--store", store]),
        Service::start("dyad-ingest", &["--store", store]),
    ];
    let mut tasks = Vec::new();
    for writer in &writers {
        let url = writer.url();
        tasks.push(tokio::spawn(async move {
            let mut client = IngestServiceClient::connect(url).await.unwrap();
            let mut outcomes = Vec::new();
            for article in articles() {
                let response = client
                    .ingest_article(IngestArticleRequest {
                        article: Some(article),
                    })
                    .await
                    .unwrap()
                    .into_inner();
                outcomes.push(response.outcome());
            }
            outcomes
        }));
    }
    let mut ingested = [0; 30];
    for task in tasks {
        for (i, outcome) in task.await.unwrap().into_iter().enumerate() {
            match outcome {
                IngestOutcome::Ingested => ingested[i] += 1,
                IngestOutcome::AlreadyKnown => {}
                other => panic!("article {i}: {other:?}"),
            }
        }
    }
    assert_eq!(ingested, [1; 30], "each article stored exactly once");

    let query = Service::start("dyad-query", &["--store", store]);
    let mut client = QueryServiceClient::connect(query.url()).await.unwrap();
    let meetings = client
        .list_events(ListEventsRequest {
            filter: Some(dyad_proto::v1::EventFilter {
                actor: Some(dyad_proto::v1::ActorMatch {
                    code: "RUSGOV".into(),
                    ..Default::default()
                }),
                start_time: Some(dyad_proto::Timestamp {
                    seconds: 1_715_126_400,
                    nanos: 0,
                }),
                ..Default::default()
            }),
            page_size: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .events;
    let meeting = meetings
        .iter()
        .find(|e| e.cameo_root == "04" && e.source.as_ref().unwrap().code == "RUSGOV")
        .expect("the meeting is stored");
    let meeting = client
        .get_event(GetEventRequest {
            id: meeting.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .event
        .expect("GetEvent returns the event");
    assert_eq!(
        (
            meeting.num_mentions,
            meeting.num_articles,
            meeting.num_sources
        ),
        (30, 30, 3),
        "one happening, 30 reports from 3 outlets"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_ingest_processes_share_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    two_writers_on(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_ingest_processes_share_one_postgres_database() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: PostgreSQL writers test (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let store = cluster.create_database("writers").await.unwrap();
    two_writers_on(&store).await;
}
