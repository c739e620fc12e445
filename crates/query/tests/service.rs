//! The query service in process on 127.0.0.1:0 over a SQLite store holding
//! hand-built events: a week of Russian–Armenian talks with a complaint
//! about the CSTO, the 2020 war known only by its year, and an older
//! article of September 2020.

mod common;

use std::sync::Arc;

use common::{Coded, actor, store_article};
use dyad_proto::{
    Timestamp,
    v1::{
        ActorMatch, EventFilter, GetArticleRequest, GetEventRequest, ListEventsRequest,
        query_service_client::QueryServiceClient,
    },
};
use tonic::{Code, transport::Channel};
use tonic_types::StatusExt;

/// Publication of the main article, 2024-05-10.
const PUBLISHED: i64 = 1_715_299_200;
/// Publication of the older article, 2020-09-13.
const OLD: i64 = 1_600_000_000;

async fn start() -> (QueryServiceClient<Channel>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(dyad_store::SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap());
    let talks: Vec<(String, String)> = (1..=18)
        .map(|day| {
            (
                format!("Russia’s envoy and Armenian officials held talks on May {day}."),
                format!("2024-05-{day:02}"),
            )
        })
        .collect();
    let (rus, arm, aze) = (
        actor("RUS", "GOV"),
        actor("ARM", "GOV"),
        actor("AZE", "MIL"),
    );
    let mut main: Vec<Coded> = talks
        .iter()
        .map(|(sentence, date)| Coded {
            sentence,
            source: rus.clone(),
            code: "040",
            target: arm.clone(),
            date,
        })
        .collect();
    let complaint = "Armenia’s prime minister said the CSTO had failed to defend it.";
    let war = "During the 2020 war, Azerbaijani forces attacked Armenian positions.";
    main.extend([
        Coded {
            sentence: complaint,
            source: arm.clone(),
            code: "111",
            target: actor("CSTO", ""),
            date: "2024-05-10",
        },
        Coded {
            sentence: complaint,
            source: actor("CSTO", ""),
            code: "036",
            target: arm.clone(),
            date: "2024-05-10",
        },
        Coded {
            sentence: war,
            source: aze.clone(),
            code: "190",
            target: actor("ARM", "MIL"),
            date: "2020",
        },
        Coded {
            sentence: war,
            source: actor("ARM", "MIL"),
            code: "190",
            target: aze.clone(),
            date: "2020",
        },
        Coded {
            sentence: war,
            source: rus.clone(),
            code: "036",
            target: aze.clone(),
            date: "2020",
        },
    ]);
    store_article(store.as_ref(), "fixture", PUBLISHED, &main).await;
    let old = [Coded {
        sentence: "Armenia accused Azerbaijan of shelling border villages.",
        source: actor("ARM", ""),
        code: "112",
        target: actor("AZE", ""),
        date: "2020-09-13",
    }];
    store_article(store.as_ref(), "old", OLD, &old).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(dyad_query::serve(
        listener,
        store,
        Default::default(),
        Default::default(),
        std::future::pending(),
    ));
    (
        QueryServiceClient::connect(format!("http://{addr}"))
            .await
            .unwrap(),
        dir,
    )
}

async fn all_pages(
    client: &mut QueryServiceClient<Channel>,
    mut request: ListEventsRequest,
) -> Vec<dyad_proto::v1::Event> {
    let mut events = Vec::new();
    loop {
        let page = client
            .list_events(request.clone())
            .await
            .unwrap()
            .into_inner();
        assert!(page.events.len() <= request.page_size.max(1) as usize);
        events.extend(page.events);
        if page.next_page_token.is_empty() {
            return events;
        }
        request.page_token = page.next_page_token;
    }
}

#[tokio::test]
async fn pages_through_every_event_in_date_order() {
    let (mut client, _dir) = start().await;
    let everything = all_pages(
        &mut client,
        ListEventsRequest {
            page_size: 1000,
            ..Default::default()
        },
    )
    .await;
    let paged = all_pages(
        &mut client,
        ListEventsRequest {
            page_size: 7,
            ..Default::default()
        },
    )
    .await;
    assert!(everything.len() > 20);
    let capped = client
        .list_events(ListEventsRequest {
            page_size: 5000,
            ..Default::default()
        })
        .await
        .expect("AIP-158: a page size over the maximum is taken as the maximum")
        .into_inner();
    assert_eq!(capped.events.len(), everything.len());
    assert_eq!(
        paged.iter().map(|e| &e.id).collect::<Vec<_>>(),
        everything.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    let keys: Vec<_> = everything
        .iter()
        .map(|e| (e.date.clone().unwrap().start_date, e.id.clone()))
        .collect();
    assert!(keys.windows(2).all(|w| w[0].0 <= w[1].0), "ordered by date");
    // Events carry the dates they happened: the fixture's history comes
    // before the 2020 article, and the 2024 article's news after it.
    let old_article = keys
        .iter()
        .position(|k| k.0 == "2020-09-13")
        .expect("the 2020 article");
    assert!(
        keys[..old_article].iter().any(|k| k.0 == "2020-01-01"),
        "the 2020 war, dated to its year"
    );
    assert!(
        keys[old_article..]
            .iter()
            .any(|k| k.0.starts_with("2024-05"))
    );
}

#[tokio::test]
async fn filters_by_country_root_and_time() {
    let (mut client, _dir) = start().await;
    let csto = all_pages(
        &mut client,
        ListEventsRequest {
            filter: Some(EventFilter {
                actor: Some(ActorMatch {
                    country_code: "csto".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            page_size: 50,
            ..Default::default()
        },
    )
    .await;
    assert!(!csto.is_empty());
    assert!(csto.iter().all(|e| {
        [&e.source, &e.target]
            .iter()
            .any(|a| a.as_ref().is_some_and(|a| a.country_code == "CSTO"))
    }));
    let before_2021 = all_pages(
        &mut client,
        ListEventsRequest {
            filter: Some(EventFilter {
                end_time: Some(Timestamp {
                    seconds: 1_609_459_200,
                    nanos: 0,
                }),
                ..Default::default()
            }),
            page_size: 50,
            include_mentions: true,
            ..Default::default()
        },
    )
    .await;
    assert!(
        before_2021
            .iter()
            .all(|e| e.date.as_ref().unwrap().start_date.as_str() < "2021-01-01")
    );
    assert!(
        before_2021
            .iter()
            .any(|e| e.mentions[0].article_id == "old" && e.cameo_root == "11")
    );
    assert!(
        before_2021
            .iter()
            .any(|e| e.mentions[0].article_id == "fixture"),
        "the 2020 war"
    );
    let accusations = all_pages(
        &mut client,
        ListEventsRequest {
            filter: Some(EventFilter {
                cameo_codes: vec!["11".into()],
                actor: Some(ActorMatch {
                    code: "ARM".into(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            page_size: 50,
            ..Default::default()
        },
    )
    .await;
    assert!(accusations.iter().all(|e| e.cameo_root == "11"));
    assert!(!accusations.is_empty());
}

#[tokio::test]
async fn invalid_requests_name_the_field() {
    let (mut client, _dir) = start().await;
    let first = client
        .list_events(ListEventsRequest {
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let cases = [
        (
            ListEventsRequest {
                page_size: -1,
                ..Default::default()
            },
            "page_size",
        ),
        (
            ListEventsRequest {
                page_token: "nonsense".into(),
                ..Default::default()
            },
            "page_token",
        ),
        (
            ListEventsRequest {
                page_token: first.next_page_token.clone(),
                filter: Some(EventFilter {
                    actor: Some(ActorMatch {
                        country_code: "ARM".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            },
            "page_token",
        ),
        (
            ListEventsRequest {
                page_token: first.next_page_token,
                descending: true,
                ..Default::default()
            },
            "page_token",
        ),
        (
            ListEventsRequest {
                filter: Some(EventFilter {
                    cameo_codes: vec!["99".into()],
                    ..Default::default()
                }),
                ..Default::default()
            },
            "filter.cameo_codes",
        ),
        (
            ListEventsRequest {
                filter: Some(EventFilter {
                    start_time: Some(Timestamp {
                        seconds: 2_000_000_000,
                        nanos: 0,
                    }),
                    end_time: Some(Timestamp {
                        seconds: 1_000_000_000,
                        nanos: 0,
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            },
            "filter.end_time",
        ),
    ];
    for (request, field) in cases {
        let status = client.list_events(request).await.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(
            status.get_details_bad_request().unwrap().field_violations[0].field,
            field
        );
    }
}

#[tokio::test]
async fn gets_events_and_articles_by_id() {
    let (mut client, _dir) = start().await;
    let article = client
        .get_article(GetArticleRequest {
            id: "fixture".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let text = article.article.as_ref().unwrap().text.clone();
    assert_eq!(article.article.unwrap().id, "fixture");
    let first = &article.events[0];
    let event = client
        .get_event(GetEventRequest {
            id: first.id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .event
        .unwrap();
    assert_eq!(&event, first);
    assert_eq!(event.mentions[0].article_id, "fixture");
    let sentence: String = text
        .chars()
        .skip(event.mentions[0].sentence_start as usize)
        .take((event.mentions[0].sentence_end - event.mentions[0].sentence_start) as usize)
        .collect();
    assert_eq!(
        sentence, event.mentions[0].sentence_text,
        "spans count code points"
    );
    for status in [
        client
            .get_event(GetEventRequest {
                id: "ev_missing".into(),
            })
            .await
            .unwrap_err(),
        client
            .get_article(GetArticleRequest {
                id: "missing".into(),
            })
            .await
            .unwrap_err(),
    ] {
        assert_eq!(status.code(), Code::NotFound);
    }
    let status = client
        .get_event(GetEventRequest { id: " ".into() })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
}
