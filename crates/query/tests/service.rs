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
        ActorMatch, Article, Event, EventDate, EventFilter, GetArticleRequest, GetEventRequest,
        ListEventsRequest, Mention, Modality, query_service_client::QueryServiceClient,
    },
};
use dyad_store::Store;
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
            ..Default::default()
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
            ..Default::default()
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
                ..Default::default()
            })
            .await
            .unwrap_err(),
        client
            .get_article(GetArticleRequest {
                id: "missing".into(),
                ..Default::default()
            })
            .await
            .unwrap_err(),
    ] {
        assert_eq!(status.code(), Code::NotFound);
    }
    let status = client
        .get_event(GetEventRequest {
            id: " ".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
}

/// A store where answers would outgrow the 4 MiB message limit: one event
/// reported ten times in each of 300 articles, and one article of 400
/// events reported ten times each, every sentence near the coder's longest.
async fn start_crowded() -> (QueryServiceClient<Channel>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = dyad_store::SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    let long = "Russia and Armenia held talks again; ".repeat(52);
    let reported = |id: String, article: &str, sentences: std::ops::Range<u32>| Event {
        id,
        source: Some(actor("RUS", "GOV")),
        target: Some(actor("ARM", "GOV")),
        cameo_code: "040".into(),
        cameo_root: "04".into(),
        modality: Modality::Asserted as i32,
        date: Some(EventDate {
            start_date: "2024-05-10".into(),
            end_date: "2024-05-10".into(),
            ..Default::default()
        }),
        mentions: sentences
            .map(|sentence_index| Mention {
                article_id: article.into(),
                sentence_index,
                sentence_text: long.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let article = |id: &str| Article {
        id: id.into(),
        text: long.clone(),
        outlet: "Test Wire".into(),
        publish_time: Some(Timestamp {
            seconds: PUBLISHED,
            nanos: 0,
        }),
        ..Default::default()
    };
    for n in 0..300 {
        let id = format!("wire-{n:03}");
        let hot = reported("ev_hot".into(), &id, 0..10);
        store.put_article(&article(&id), &[hot], "t").await.unwrap();
    }
    let many: Vec<Event> = (0..400)
        .map(|n| reported(format!("ev_many_{n:03}"), "digest", n * 10..n * 10 + 10))
        .collect();
    store
        .put_article(&article("digest"), &many, "t")
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(dyad_query::serve(
        listener,
        Arc::new(store),
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

/// Every answer fits the client's default 4 MiB limit: an event's mentions
/// come in pages (each mention once, in order), listings carry an event's
/// first ten, an article's events come in pages.
#[tokio::test]
async fn answers_too_large_for_one_message_come_in_pages() {
    let (mut client, _dir) = start_crowded().await;
    let mut request = GetEventRequest {
        id: "ev_hot".into(),
        mention_page_size: 1000,
        ..Default::default()
    };
    let mut mentions = Vec::new();
    let mut pages = 0;
    loop {
        let answer = client
            .get_event(request.clone())
            .await
            .unwrap()
            .into_inner();
        let event = answer.event.unwrap();
        assert_eq!(event.num_mentions, 3000);
        pages += 1;
        mentions.extend(
            event
                .mentions
                .into_iter()
                .map(|m| (m.article_id, m.sentence_index)),
        );
        if answer.next_mention_page_token.is_empty() {
            break;
        }
        request.mention_page_token = answer.next_mention_page_token;
    }
    assert_eq!(pages, 3);
    let mut once = mentions.clone();
    once.sort();
    once.dedup();
    assert_eq!((mentions.len(), once.len()), (3000, 3000));
    assert_eq!(mentions, once, "in order of outlet, article and sentence");
    let first = client
        .get_event(GetEventRequest {
            id: "ev_hot".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.event.unwrap().mentions.len(), 100, "100 by default");
    let foreign = client
        .get_event(GetEventRequest {
            id: "ev_many_000".into(),
            mention_page_token: first.next_mention_page_token,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(foreign.code(), Code::InvalidArgument);

    let listing = all_pages(
        &mut client,
        ListEventsRequest {
            page_size: 1000,
            include_mentions: true,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(listing.len(), 401, "every event once, over several pages");
    assert!(listing.iter().all(|e| e.mentions.len() == 10));

    let mut request = GetArticleRequest {
        id: "digest".into(),
        page_size: 1000,
        ..Default::default()
    };
    let mut events = Vec::new();
    let mut pages = 0;
    loop {
        let answer = client
            .get_article(request.clone())
            .await
            .unwrap()
            .into_inner();
        pages += 1;
        events.extend(answer.events);
        if answer.next_page_token.is_empty() {
            break;
        }
        request.page_token = answer.next_page_token;
    }
    assert!(pages >= 3, "8 MB of events in pages under 3 MiB: {pages}");
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let expected: Vec<String> = (0..400).map(|n| format!("ev_many_{n:03}")).collect();
    assert_eq!(ids, expected, "in text order, each once");
    assert!(
        events
            .iter()
            .all(|e| e.mentions.len() == 10 && e.mentions.iter().all(|m| m.article_id == "digest"))
    );

    for id in ["ev_\u{0}", "digest\u{0}"] {
        let status = client
            .get_event(GetEventRequest {
                id: id.into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::NotFound, "{id:?}");
    }
}
