//! The ingest service in process on 127.0.0.1:0 with a real SQLite store.

use std::sync::Arc;

use dyad_proto::{
    Timestamp,
    v1::{
        Article, ExtractEventsRequest, IngestArticleRequest, IngestArticlesRequest, IngestOutcome,
        ingest_service_client::IngestServiceClient,
    },
};
use tonic::{Code, transport::Channel};
use tonic_types::StatusExt;

const FIXTURE: &str = include_str!("../../../tests/data/russia-armenia-peacekeepers.txt");

async fn start(max_text_bytes: usize) -> (IngestServiceClient<Channel>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(dyad_store::SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap());
    let coder = Arc::new(dyad_ingest::load_coder(None).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = dyad_ingest::IngestConfig {
        max_text_bytes,
        ..Default::default()
    };
    tokio::spawn(dyad_ingest::serve(
        listener,
        coder,
        store,
        config,
        Default::default(),
        std::future::pending(),
    ));
    let client = IngestServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    (client, dir)
}

fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.to_string(),
        text: text.to_string(),
        publish_time: Some(Timestamp {
            seconds: 1_715_299_200, // 2024-05-10
            nanos: 0,
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn ingests_once_and_reports_known_articles() {
    let (mut client, _dir) = start(1 << 20).await;
    let first = client
        .ingest_article(IngestArticleRequest {
            article: Some(article("fixture", FIXTURE)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.outcome(), IngestOutcome::Ingested);
    assert!(
        first.event_count >= 10,
        "coded {} events",
        first.event_count
    );
    let again = client
        .ingest_article(IngestArticleRequest {
            article: Some(article("fixture", FIXTURE)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.outcome(), IngestOutcome::AlreadyKnown);
    assert_eq!(again.article_id, "fixture");
}

#[tokio::test]
async fn same_url_is_the_same_article() {
    let (mut client, _dir) = start(1 << 20).await;
    let mut a = article("", "Russia condemned Ukraine.");
    a.url = "https://example.com/story?utm_source=feed".into();
    let mut b = article("", "Russia condemned Ukraine again.");
    b.url = "https://EXAMPLE.com/story#comments".into();
    let first = client
        .ingest_article(IngestArticleRequest { article: Some(a) })
        .await
        .unwrap()
        .into_inner();
    let second = client
        .ingest_article(IngestArticleRequest { article: Some(b) })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.outcome(), IngestOutcome::Ingested);
    assert_eq!(second.outcome(), IngestOutcome::AlreadyKnown);
    assert_eq!(first.article_id, second.article_id);
}

#[tokio::test]
async fn invalid_articles_get_invalid_argument_naming_the_field() {
    let (mut client, _dir) = start(1000).await;
    let mut bad_time = article("t", "Russia condemned Ukraine.");
    bad_time.publish_time = Some(Timestamp {
        seconds: 0,
        nanos: 2_000_000_000,
    });
    let mut bad_url = article("u", "Russia condemned Ukraine.");
    bad_url.url = "not a url".into();
    let cases = [
        (article("e", ""), "article.text"),
        (article("w", " \n\t "), "article.text"),
        (
            article("big", &"Russia condemned Ukraine. ".repeat(100)),
            "article.text",
        ),
        (bad_time, "article.publish_time"),
        (bad_url, "article.url"),
    ];
    for (article, field) in cases {
        let status = client
            .ingest_article(IngestArticleRequest {
                article: Some(article),
            })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        let violations = status
            .get_details_bad_request()
            .expect("a BadRequest detail")
            .field_violations;
        assert_eq!(violations[0].field, field);
        assert!(status.message().starts_with(field), "{}", status.message());
    }
}

#[tokio::test]
async fn stream_answers_every_article_in_order_and_keeps_going_after_a_bad_one() {
    let (mut client, _dir) = start(1 << 20).await;
    let requests = vec![
        article("a", "Russia condemned Ukraine."),
        article("b", ""),
        article("a", "Russia condemned Ukraine."),
        article("c", "Armenia accused Azerbaijan of shelling villages."),
    ]
    .into_iter()
    .map(|a| IngestArticlesRequest { article: Some(a) });
    let mut responses = client
        .ingest_articles(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let mut outcomes = Vec::new();
    while let Some(response) = responses.message().await.unwrap() {
        outcomes.push((
            response.index,
            response.outcome(),
            response.rejection.map(|r| r.field),
        ));
    }
    assert_eq!(
        outcomes,
        vec![
            (0, IngestOutcome::Ingested, None),
            (1, IngestOutcome::Rejected, Some("article.text".to_string())),
            (2, IngestOutcome::AlreadyKnown, None),
            (3, IngestOutcome::Ingested, None),
        ]
    );
}

#[tokio::test]
async fn extract_events_codes_without_storing() {
    let (mut client, _dir) = start(1 << 20).await;
    let text = "Armenia accused Azerbaijan of shelling border villages.";
    let response = client
        .extract_events(ExtractEventsRequest {
            article: Some(article("dry", text)),
        })
        .await
        .unwrap()
        .into_inner();
    let event = &response.events[0];
    assert_eq!(event.cameo_root, "11");
    assert_eq!(event.source.as_ref().unwrap().country_code, "ARM");
    assert_eq!(event.target.as_ref().unwrap().country_code, "AZE");
    assert_eq!(event.mentions[0].sentence_text, text);
    // Nothing was stored: ingesting it now is new.
    let ingested = client
        .ingest_article(IngestArticleRequest {
            article: Some(article("dry", text)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ingested.outcome(), IngestOutcome::Ingested);
}

#[tokio::test]
async fn a_happening_told_twice_is_one_event_with_two_mentions() {
    let (mut client, _dir) = start(1 << 20).await;
    let text = "Armenia accused Azerbaijan of shelling border villages.\nArmenia accused Azerbaijan of shelling border villages.\n";
    let response = client
        .extract_events(ExtractEventsRequest {
            article: Some(article("twice", text)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(response.events.len(), 1);
    let mentions = &response.events[0].mentions;
    assert_eq!(
        mentions
            .iter()
            .map(|m| m.sentence_index)
            .collect::<Vec<_>>(),
        [0, 1]
    );
}

#[tokio::test]
async fn two_acts_of_one_family_on_one_day_are_two_events() {
    let (mut client, _dir) = start(1 << 20).await;
    let text =
        "Armenia accused Azerbaijan of shelling border villages.\nArmenia criticized Azerbaijan.\n";
    let response = client
        .extract_events(ExtractEventsRequest {
            article: Some(article("two-acts", text)),
        })
        .await
        .unwrap()
        .into_inner();
    let mut codes: Vec<&str> = response
        .events
        .iter()
        .map(|e| e.cameo_code.as_str())
        .collect();
    codes.sort();
    assert_eq!(codes, ["110", "112"], "{:?}", response.events);
}

#[tokio::test]
async fn an_article_coded_by_an_older_coder_is_coded_again() {
    let (mut client, dir) = start(1 << 20).await;
    // The same article as stored by an older release, with nothing coded.
    let store = dyad_store::SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    let old = article("fixture", FIXTURE);
    dyad_store::Store::put_article(&store, &old, &[], "dyad-extract/0.0.1")
        .await
        .unwrap();
    let again = client
        .ingest_article(IngestArticleRequest {
            article: Some(article("fixture", FIXTURE)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(again.outcome(), IngestOutcome::Replaced);
    assert!(again.event_count >= 10, "{} events", again.event_count);
    let once_more = client
        .ingest_article(IngestArticleRequest {
            article: Some(article("fixture", FIXTURE)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(once_more.outcome(), IngestOutcome::AlreadyKnown);
}
