//! The relation RPCs on a store filled with crafted events whose answers
//! are known, against SQLite and PostgreSQL alike: two years of
//! Russia–Armenia relations that turn hostile at the start of 2023, steady
//! Russia–Azerbaijan cooperation, a few US statements, domestic and negated
//! events that must not count.

use std::{sync::Arc, time::Duration};

use chrono::{Days, NaiveDate};
use dyad_proto::{
    Timestamp,
    v1::{
        self, Actor, ActorLevel, ActorMatch, Article, Bucket, Event, EventDate, EventFilter,
        GetDyadHistoryRequest, GetRelationGraphRequest, GetTimelineRequest, ListEventsRequest,
        ListRelationsRequest, Mention, Modality, RelationOrder, SearchActorsRequest,
        TrendDirection, WatchEventsRequest, query_service_client::QueryServiceClient,
    },
};
use dyad_store::Store;
use tokio_stream::StreamExt;
use tonic::{Code, transport::Channel};
use tonic_types::StatusExt;

const CODER: &str = "test/1.0.0";

fn actor(code: &str, name: &str, text: &str) -> Actor {
    Actor {
        code: code.into(),
        name: name.into(),
        country_code: code[..3].into(),
        role: code[3..].into(),
        text: text.into(),
        ..Default::default()
    }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn ts(text: &str) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: day(text)
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp(),
        nanos: 0,
    })
}

/// An asserted event; `n` makes its id and a small wobble of its score.
fn event(
    n: usize,
    when: NaiveDate,
    source: &Actor,
    target: &Actor,
    code: &str,
    goldstein: f64,
) -> Event {
    let quad = match &code[..2] {
        "01" | "02" | "03" | "04" | "05" => 1,
        "06" | "07" | "08" => 2,
        "09" | "10" | "11" | "12" | "13" => 3,
        _ => 4,
    };
    Event {
        id: format!("ev_{n:05}"),
        source: Some(source.clone()),
        target: Some(target.clone()),
        cameo_code: code.into(),
        cameo_root: code[..2].into(),
        cameo_name: format!("CAMEO {code}"),
        quad_class: quad,
        goldstein: goldstein + (n % 3) as f64 * 0.1,
        date: Some(EventDate {
            start_date: when.to_string(),
            end_date: when.to_string(),
            precision: v1::DatePrecision::Day as i32,
            basis: v1::DateBasis::Stated as i32,
            text: String::new(),
        }),
        modality: Modality::Asserted as i32,
        confidence: 0.9,
        mentions: vec![Mention {
            sentence_text: format!("Sentence about event {n}."),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The crafted events, one article each.
fn events() -> Vec<Event> {
    let rus = actor("RUSGOV", "Russian government", "the Kremlin");
    let rus_mil = actor("RUSMIL", "Russian military", "Russian forces");
    let arm = actor("ARMGOV", "Armenian government", "Yerevan");
    let aze = actor("AZEGOV", "Azerbaijani government", "Baku");
    let usa = actor("USAGOV", "United States government", "Washington");
    let mut events = Vec::new();
    let mut n = 0;
    let mut add = |when: NaiveDate, s: &Actor, t: &Actor, code: &str, g: f64| {
        n += 1;
        events.push(event(n, when, s, t, code, g));
    };
    for month in 0..24u32 {
        let first = NaiveDate::from_ymd_opt(2022 + (month / 12) as i32, month % 12 + 1, 1).unwrap();
        let hostile = month >= 12;
        for k in 0..6u64 {
            let when = first + Days::new(1 + k * 4);
            let (s, t) = if k < 4 { (&rus, &arm) } else { (&arm, &rus) };
            if hostile {
                if k % 2 == 0 {
                    add(when, s, t, "130", -4.4);
                } else {
                    add(when, s, t, "172", -5.0);
                }
            } else {
                add(when, s, t, "043", 4.0);
            }
        }
        add(first + Days::new(20), &rus, &aze, "036", 3.0);
    }
    for k in 0..5u64 {
        add(day("2023-03-01") + Days::new(k), &rus, &rus_mil, "010", 0.0);
    }
    for k in 0..3u64 {
        add(day("2023-06-10") + Days::new(k), &usa, &arm, "020", 3.0);
    }
    // The coder is less sure of the American appeals.
    for e in events.iter_mut().filter(|e| e.cameo_code == "020") {
        e.confidence = 0.4;
        e.mentions[0].confidence = 0.4;
    }
    let mut negated = event(999, day("2023-05-05"), &rus, &arm, "190", -10.0);
    negated.modality = Modality::Negated as i32;
    events.push(negated);
    events
}

async fn fill(store: &Arc<dyn Store>) {
    let batch: Vec<(Article, Vec<Event>)> = events()
        .into_iter()
        .map(|mut e| {
            let id = format!("art-{}", e.id);
            e.mentions[0].article_id = id.clone();
            let article = Article {
                id,
                outlet: "Test Wire".into(),
                text: e.mentions[0].sentence_text.clone(),
                ..Default::default()
            };
            (article, vec![e])
        })
        .collect();
    for chunk in batch.chunks(64) {
        store.put_articles(chunk, CODER).await.unwrap();
    }
}

async fn serve(store: Arc<dyn Store>) -> QueryServiceClient<Channel> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(dyad_query::serve(
        listener,
        store,
        Default::default(),
        Default::default(),
        std::future::pending(),
    ));
    QueryServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap()
}

fn country(code: &str) -> Option<ActorMatch> {
    Some(ActorMatch {
        country_code: code.into(),
        ..Default::default()
    })
}

fn code(code: &str) -> Option<ActorMatch> {
    Some(ActorMatch {
        code: code.into(),
        ..Default::default()
    })
}

async fn timelines(client: &mut QueryServiceClient<Channel>) {
    let request = |normalize: bool, cameo: Vec<String>| GetTimelineRequest {
        filter: Some(EventFilter {
            actor: country("RUS"),
            start_time: ts("2022-01-01"),
            end_time: ts("2024-01-01"),
            cameo_codes: cameo,
            ..Default::default()
        }),
        bucket: Bucket::Month as i32,
        normalize,
    };
    let series = client
        .get_timeline(request(true, vec![]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(series.points.len(), 24);
    let total = series.total.unwrap();
    assert_eq!(total.events, 144 + 24 + 5, "negated events do not count");
    let march = series.points[14].tally.unwrap();
    assert_eq!(march.events, 7 + 5, "domestic events count once");
    let june = &series.points[17];
    assert_eq!(june.tally.unwrap().events, 7);
    assert!((june.share - 7.0 / 10.0).abs() < 1e-9, "{}", june.share);
    assert_eq!(series.points[0].tally.unwrap().verbal_cooperation, 7);
    assert_eq!(
        series.points[23].tally.unwrap().net_cooperation,
        (1.0 - 6.0) / 7.0
    );
    // A code filter is answered from the events, with the same buckets.
    let threats = client
        .get_timeline(request(false, vec!["13".into()]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(threats.points.len(), 24);
    assert_eq!(threats.total.unwrap().events, 12 * 3);
    assert_eq!(threats.points[0].tally.unwrap().events, 0);
    assert_eq!(threats.points[12].tally.unwrap().events, 3);
    // Quarters and weeks cover the same events.
    for bucket in [Bucket::Quarter, Bucket::Week, Bucket::Year] {
        let mut other = request(false, vec![]);
        other.bucket = bucket as i32;
        let series = client.get_timeline(other).await.unwrap().into_inner();
        assert_eq!(series.total.unwrap().events, 173, "{bucket:?}");
    }
}

async fn relations(client: &mut QueryServiceClient<Channel>) {
    let request = |order: RelationOrder, include_domestic: bool| ListRelationsRequest {
        actor: country("RUS"),
        start_time: ts("2023-01-01"),
        end_time: ts("2024-01-01"),
        order: order as i32,
        include_domestic,
        ..Default::default()
    };
    let found = client
        .list_relations(request(RelationOrder::Volume, false))
        .await
        .unwrap()
        .into_inner()
        .relations;
    let names: Vec<&str> = found.iter().map(|r| r.counterpart.as_str()).collect();
    assert_eq!(names, ["ARM", "AZE"]);
    let armenia = &found[0];
    assert_eq!(armenia.outgoing.unwrap().events, 48);
    assert_eq!(armenia.incoming.unwrap().events, 24);
    assert_eq!(armenia.combined.unwrap().net_cooperation, -1.0);
    assert_eq!(armenia.previous.unwrap().events, 72);
    assert_eq!(armenia.events_change, 0);
    assert!((armenia.net_cooperation_change + 2.0).abs() < 1e-9);
    assert_eq!(armenia.first_event_date, "2023-01-02");
    assert_eq!(armenia.last_event_date, "2023-12-22");
    let by_cooperation = client
        .list_relations(request(RelationOrder::Cooperation, true))
        .await
        .unwrap()
        .into_inner()
        .relations;
    let names: Vec<&str> = by_cooperation
        .iter()
        .map(|r| r.counterpart.as_str())
        .collect();
    assert_eq!(
        names,
        ["AZE", "RUS", "ARM"],
        "domestic on request, ranked by cooperation"
    );
    // The same ranking a page of one at a time, each page's token leading
    // to the next, the last without one.
    let mut paged = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .list_relations(ListRelationsRequest {
                limit: 1,
                page_token,
                ..request(RelationOrder::Cooperation, true)
            })
            .await
            .unwrap()
            .into_inner();
        assert!(page.relations.len() <= 1);
        paged.extend(page.relations.into_iter().map(|r| r.counterpart));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    assert_eq!(paged, names, "pages of one give the whole ranking once");
    let first_page_token = client
        .list_relations(ListRelationsRequest {
            limit: 1,
            ..request(RelationOrder::Cooperation, true)
        })
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    let other_request = client
        .list_relations(ListRelationsRequest {
            limit: 1,
            page_token: first_page_token,
            ..request(RelationOrder::Volume, true)
        })
        .await
        .unwrap_err();
    assert_eq!(other_request.code(), Code::InvalidArgument);
    assert!(
        other_request
            .message()
            .starts_with("page_token: was issued for another request")
    );
    let capped = client
        .list_relations(ListRelationsRequest {
            limit: 100_000,
            ..request(RelationOrder::Volume, false)
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        capped.relations.len(),
        2,
        "an over-large limit is taken as the maximum"
    );
    let actors = client
        .list_relations(ListRelationsRequest {
            actor: code("ARMGOV"),
            level: ActorLevel::Actor as i32,
            order: RelationOrder::Conflict as i32,
            ..request(RelationOrder::Conflict, false)
        })
        .await
        .unwrap()
        .into_inner()
        .relations;
    let names: Vec<&str> = actors.iter().map(|r| r.counterpart.as_str()).collect();
    assert_eq!(names, ["RUSGOV", "USAGOV"]);
    assert_eq!(actors[0].counterpart_name, "Russian government");
    let sure = client
        .list_relations(ListRelationsRequest {
            actor: code("ARMGOV"),
            level: ActorLevel::Actor as i32,
            min_confidence: 0.5,
            ..request(RelationOrder::Conflict, false)
        })
        .await
        .unwrap()
        .into_inner()
        .relations;
    let names: Vec<&str> = sure.iter().map(|r| r.counterpart.as_str()).collect();
    assert_eq!(names, ["RUSGOV"], "the unsure American appeals left out");
}

async fn history(client: &mut QueryServiceClient<Channel>) {
    let history = client
        .get_dyad_history(GetDyadHistoryRequest {
            actor_a: country("RUS"),
            actor_b: country("ARM"),
            start_time: ts("2022-01-01"),
            end_time: ts("2024-01-01"),
            bucket: Bucket::Month as i32,
            examples_per_shift: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(history.points.len(), 24);
    assert_eq!(history.total.unwrap().events, 144);
    let first = &history.points[0];
    assert_eq!(
        (first.a_to_b.unwrap().events, first.b_to_a.unwrap().events),
        (4, 2)
    );
    let trend = history.trend.unwrap();
    assert_eq!(
        trend.direction,
        TrendDirection::Worsening as i32,
        "{trend:?}"
    );
    assert!(trend.slope_per_year < -4.0, "{trend:?}");
    assert_eq!(history.shifts.len(), 1, "{:?}", history.shifts);
    let shift = &history.shifts[0];
    assert_eq!(shift.start_time, ts("2023-01-01"));
    assert!(shift.goldstein_mean_before > 3.9 && shift.goldstein_mean_after < -4.0);
    assert_eq!(
        (shift.net_cooperation_before, shift.net_cooperation_after),
        (1.0, -1.0)
    );
    assert_eq!(shift.examples.len(), 2);
    for example in &shift.examples {
        assert!(
            example.goldstein <= -4.85,
            "the most hostile first: {example:?}"
        );
        assert!(example.date.as_ref().unwrap().start_date.as_str() >= "2023-01-01");
        assert_eq!(example.mentions.len(), 1, "examples carry their evidence");
    }
    // A steady relation has no shift and a flat trend.
    let steady = client
        .get_dyad_history(GetDyadHistoryRequest {
            actor_a: code("RUSGOV"),
            actor_b: code("AZEGOV"),
            start_time: ts("2022-01-01"),
            end_time: ts("2024-01-01"),
            bucket: Bucket::Quarter as i32,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(steady.points.len(), 8);
    assert!(steady.shifts.is_empty());
    assert!(steady.trend.unwrap().slope_per_year.abs() < 0.2);
}

async fn graph(client: &mut QueryServiceClient<Channel>) {
    let graph = client
        .get_relation_graph(GetRelationGraphRequest {
            start_time: ts("2023-01-01"),
            end_time: ts("2024-01-01"),
            compare_start_time: ts("2022-01-01"),
            compare_end_time: ts("2023-01-01"),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let edges: Vec<(&str, &str, u64)> = graph
        .edges
        .iter()
        .map(|e| {
            (
                e.source.as_str(),
                e.target.as_str(),
                e.tally.unwrap().events,
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("RUS", "ARM", 48),
            ("ARM", "RUS", 24),
            ("RUS", "AZE", 12),
            ("USA", "ARM", 3)
        ]
    );
    assert_eq!(graph.edges[0].compare.unwrap().events, 48);
    assert_eq!(graph.edges[3].events_change, 3);
    assert_eq!(graph.nodes[0].code, "RUS");
    assert_eq!(graph.nodes[0].strength, 84);
    assert_eq!(graph.nodes[0].degree, 2);
    assert_eq!(graph.nodes[1].code, "ARM");
    let top = client
        .get_relation_graph(GetRelationGraphRequest {
            start_time: ts("2023-01-01"),
            end_time: ts("2024-01-01"),
            level: ActorLevel::Actor as i32,
            top_k: 2,
            include_domestic: true,
            min_events: 5,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(top.edges.len(), 2);
    assert_eq!(top.edges[0].source, "RUSGOV");
    assert!(top.edges[0].compare.is_none());
    let sure = client
        .get_relation_graph(GetRelationGraphRequest {
            start_time: ts("2023-01-01"),
            end_time: ts("2024-01-01"),
            min_confidence: 0.5,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let edges: Vec<(&str, &str)> = sure
        .edges
        .iter()
        .map(|e| (e.source.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(edges, [("RUS", "ARM"), ("ARM", "RUS"), ("RUS", "AZE")]);
}

async fn search(client: &mut QueryServiceClient<Channel>) {
    let codes = |response: v1::SearchActorsResponse| -> Vec<String> {
        response
            .actors
            .into_iter()
            .map(|a| a.actor.unwrap().code)
            .collect()
    };
    for (query, expected) in [
        ("kreml", "RUSGOV"),
        ("Yerevan", "ARMGOV"),
        ("Armenain government", "ARMGOV"),
        ("usag", "USAGOV"),
    ] {
        let found = client
            .search_actors(SearchActorsRequest {
                query: query.into(),
                limit: 3,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(codes(found.clone())[0], expected, "{query}");
        assert!(found.actors[0].events > 0);
    }
    let russia = client
        .search_actors(SearchActorsRequest {
            query: "RUSGOV".into(),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .actors
        .remove(0);
    assert_eq!(russia.score, 1.0);
    assert_eq!(russia.events, 96 + 48 + 24 + 5);
    assert_eq!(russia.aliases, ["the Kremlin"]);
    // "gov" finds the three governments; in pages of two, each once.
    let all = codes(
        client
            .search_actors(SearchActorsRequest {
                query: "government".into(),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner(),
    );
    assert!(all.len() >= 3, "{all:?}");
    let mut paged = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .search_actors(SearchActorsRequest {
                query: "government".into(),
                limit: 2,
                page_token,
            })
            .await
            .unwrap()
            .into_inner();
        assert!(page.actors.len() <= 2);
        paged.extend(codes(page.clone()));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    assert_eq!(paged, all);
}

async fn invalid(client: &mut QueryServiceClient<Channel>) {
    let field_of = |status: tonic::Status| {
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        status.get_details_bad_request().unwrap().field_violations[0]
            .field
            .clone()
    };
    let timeline = |filter: EventFilter, bucket: Bucket| GetTimelineRequest {
        filter: Some(filter),
        bucket: bucket as i32,
        normalize: false,
    };
    let window = EventFilter {
        start_time: ts("1990-01-01"),
        end_time: ts("2024-01-01"),
        ..Default::default()
    };
    let cases: Vec<(tonic::Status, &str)> = vec![
        (
            client
                .get_timeline(timeline(EventFilter::default(), Bucket::Month))
                .await
                .unwrap_err(),
            "filter.start_time",
        ),
        (
            client
                .get_timeline(timeline(window.clone(), Bucket::Day))
                .await
                .unwrap_err(),
            "filter.end_time",
        ),
        (
            client
                .get_timeline(GetTimelineRequest {
                    bucket: 9,
                    ..timeline(window.clone(), Bucket::Month)
                })
                .await
                .unwrap_err(),
            "bucket",
        ),
        (
            client
                .get_timeline(timeline(
                    EventFilter {
                        counterpart: country("ARM"),
                        ..window.clone()
                    },
                    Bucket::Year,
                ))
                .await
                .unwrap_err(),
            "filter.counterpart",
        ),
        (
            client
                .get_timeline(timeline(
                    EventFilter {
                        quad_classes: vec![7],
                        ..window.clone()
                    },
                    Bucket::Year,
                ))
                .await
                .unwrap_err(),
            "filter.quad_classes",
        ),
        (
            client
                .list_relations(ListRelationsRequest::default())
                .await
                .unwrap_err(),
            "actor",
        ),
        (
            client
                .list_relations(ListRelationsRequest {
                    actor: country("RUS"),
                    limit: -1,
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "limit",
        ),
        (
            client
                .get_dyad_history(GetDyadHistoryRequest {
                    actor_a: country("RUS"),
                    start_time: ts("2022-01-01"),
                    end_time: ts("2023-01-01"),
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "actor_b",
        ),
        (
            client
                .get_relation_graph(GetRelationGraphRequest {
                    start_time: ts("2022-01-01"),
                    end_time: ts("2023-01-01"),
                    compare_start_time: ts("2021-01-01"),
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "compare_end_time",
        ),
        (
            client
                .get_relation_graph(GetRelationGraphRequest {
                    start_time: ts("1900-01-01"),
                    end_time: ts("2023-01-01"),
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "end_time",
        ),
        (
            client
                .search_actors(SearchActorsRequest::default())
                .await
                .unwrap_err(),
            "query",
        ),
        (
            client
                .get_timeline(timeline(
                    EventFilter {
                        min_confidence: 1.5,
                        ..window.clone()
                    },
                    Bucket::Year,
                ))
                .await
                .unwrap_err(),
            "filter.min_confidence",
        ),
        (
            client
                .list_relations(ListRelationsRequest {
                    actor: country("RUS"),
                    min_confidence: -0.1,
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "min_confidence",
        ),
        (
            client
                .get_dyad_history(GetDyadHistoryRequest {
                    actor_a: country("RUS"),
                    actor_b: country("ARM"),
                    start_time: ts("2022-01-01"),
                    end_time: ts("2023-01-01"),
                    min_confidence: f64::NAN,
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "min_confidence",
        ),
        (
            client
                .get_relation_graph(GetRelationGraphRequest {
                    start_time: ts("2022-01-01"),
                    end_time: ts("2023-01-01"),
                    min_confidence: 2.0,
                    ..Default::default()
                })
                .await
                .unwrap_err(),
            "min_confidence",
        ),
    ];
    for (status, field) in cases {
        assert_eq!(field_of(status), field);
    }
    let unknown = client
        .list_events(ListEventsRequest {
            filter: Some(EventFilter {
                actor: code("XYZGOV"),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    assert!(
        unknown.message().contains("XYZGOV"),
        "{}",
        unknown.message()
    );
    let unknown = client
        .list_relations(ListRelationsRequest {
            actor: country("XYZ"),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    let status = client
        .watch_events(WatchEventsRequest {
            cursor: "yesterday".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(status), "cursor");
    // A cursor past the newest event was never sent.
    let beyond = client
        .watch_events(WatchEventsRequest {
            cursor: "999999999.1".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(beyond), "cursor");
    // A timeline over more than 50 years, even in few buckets.
    let long = client
        .get_timeline(GetTimelineRequest {
            filter: Some(EventFilter {
                start_time: ts("1900-01-01"),
                end_time: ts("2024-01-01"),
                ..Default::default()
            }),
            bucket: Bucket::Year as i32,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(field_of(long), "filter.end_time");
}

/// New events reach a watcher in store order; a cursor resumes after its
/// event; a filter holds.
async fn watching(store: &Arc<dyn Store>, client: &mut QueryServiceClient<Channel>) {
    let mut live = client
        .watch_events(WatchEventsRequest {
            filter: Some(EventFilter {
                actor: country("USA"),
                ..Default::default()
            }),
            cursor: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let usa = actor("USAGOV", "United States government", "Washington");
    let arm = actor("ARMGOV", "Armenian government", "Yerevan");
    let aze = actor("AZEGOV", "Azerbaijani government", "Baku");
    for (n, target) in [(5001, &arm), (5002, &aze), (5003, &arm)] {
        let mut e = event(n, day("2024-01-10"), &usa, target, "042", 1.9);
        let id = format!("live-{n}");
        e.mentions[0].article_id = id.clone();
        let article = Article {
            id,
            outlet: "Live".into(),
            text: "Live.".into(),
            ..Default::default()
        };
        store.put_article(&article, &[e], CODER).await.unwrap();
    }
    let mut received = Vec::new();
    while received.len() < 3 {
        let next = tokio::time::timeout(Duration::from_secs(10), live.next())
            .await
            .expect("new events arrive within seconds")
            .unwrap()
            .unwrap();
        received.push((next.event.unwrap().id, next.cursor));
    }
    let ids: Vec<&str> = received.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["ev_05001", "ev_05002", "ev_05003"]);
    // From the start, with the cursor of the first live event: the rest.
    let everything_usa = |cursor: &str| WatchEventsRequest {
        filter: Some(EventFilter {
            actor: code("USAGOV"),
            counterpart: country("ARM"),
            ..Default::default()
        }),
        cursor: cursor.into(),
    };
    let mut replay = client
        .watch_events(everything_usa("0"))
        .await
        .unwrap()
        .into_inner();
    let mut replayed = Vec::new();
    while replayed.len() < 5 {
        let next = tokio::time::timeout(Duration::from_secs(10), replay.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        replayed.push(next.event.unwrap().id);
    }
    assert_eq!(replayed[3..], ["ev_05001", "ev_05003"], "{replayed:?}");
    let mut resumed = client
        .watch_events(everything_usa(&received[0].1))
        .await
        .unwrap()
        .into_inner();
    let next = tokio::time::timeout(Duration::from_secs(10), resumed.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(next.event.unwrap().id, "ev_05003");

    // An event already sent that gains a report elsewhere comes again,
    // with its new counts.
    let mut again = event(5001, day("2024-01-10"), &usa, &arm, "042", 1.9);
    again.mentions[0].article_id = "live-5001-again".into();
    again.mentions[0].outlet = "Other Wire".into();
    let article = Article {
        id: "live-5001-again".into(),
        outlet: "Other Wire".into(),
        text: "Live again.".into(),
        ..Default::default()
    };
    store.put_article(&article, &[again], CODER).await.unwrap();
    let resent = tokio::time::timeout(Duration::from_secs(10), live.next())
        .await
        .expect("the event comes again within seconds")
        .unwrap()
        .unwrap();
    let resent_event = resent.event.unwrap();
    assert_eq!(resent_event.id, "ev_05001");
    assert_eq!(
        (resent_event.num_mentions, resent_event.num_sources),
        (2, 2)
    );
    let position = |cursor: &str| -> (u64, u64) {
        let (transaction, sequence) = cursor.split_once('.').unwrap();
        (transaction.parse().unwrap(), sequence.parse().unwrap())
    };
    assert!(
        position(&resent.cursor) > position(&received[2].1),
        "{} after {}",
        resent.cursor,
        received[2].1
    );

    // An actor the store has never seen may be watched: its events come
    // when they are stored.
    let mut newcomer = client
        .watch_events(WatchEventsRequest {
            filter: Some(EventFilter {
                actor: code("NZLGOV"),
                ..Default::default()
            }),
            cursor: String::new(),
        })
        .await
        .expect("watching an actor not seen yet is allowed")
        .into_inner();
    let nzl = actor("NZLGOV", "New Zealand government", "Wellington");
    let mut first = event(5004, day("2024-01-11"), &nzl, &arm, "042", 1.9);
    first.mentions[0].article_id = "live-5004".into();
    let article = Article {
        id: "live-5004".into(),
        outlet: "Live".into(),
        text: "Live.".into(),
        ..Default::default()
    };
    store.put_article(&article, &[first], CODER).await.unwrap();
    let arrived = tokio::time::timeout(Duration::from_secs(10), newcomer.next())
        .await
        .expect("the newcomer's event arrives within seconds")
        .unwrap()
        .unwrap();
    assert_eq!(arrived.event.unwrap().id, "ev_05004");
}

/// A consumer that does not read is cut off with RESOURCE_EXHAUSTED and
/// the cursor to resume from, instead of being buffered for without bound.
/// The flood (16 MB) is larger than what the HTTP/2 windows (a few MB) and
/// the stream's buffer (1 MiB by default) hold together.
async fn slow_consumers_are_cut_off(
    store: &Arc<dyn Store>,
    client: &mut QueryServiceClient<Channel>,
) {
    let mut stream = client
        .watch_events(WatchEventsRequest {
            filter: None,
            cursor: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let usa = actor("USAGOV", "United States government", "Washington");
    let arm = actor("ARMGOV", "Armenian government", "Yerevan");
    let flood = 4 * dyad_query::DEFAULT_WATCH_BUFFER_KIB;
    let batch: Vec<(Article, Vec<Event>)> = (0..flood)
        .map(|i| {
            let mut e = event(10_000 + i, day("2024-02-01"), &usa, &arm, "042", 1.9);
            e.mentions[0].sentence_text = "x".repeat(4000);
            let id = format!("flood-{i}");
            e.mentions[0].article_id = id.clone();
            let article = Article {
                id,
                outlet: "Flood".into(),
                text: "Flood.".into(),
                ..Default::default()
            };
            (article, vec![e])
        })
        .collect();
    for chunk in batch.chunks(256) {
        store.put_articles(chunk, CODER).await.unwrap();
    }
    // Stalled longer than any grace period the service might give: the
    // closing status still comes, after the queued events.
    tokio::time::sleep(Duration::from_secs(35)).await;
    let mut read = 0;
    let status = loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.next()).await {
            Ok(Some(Ok(_))) => read += 1,
            Ok(Some(Err(status))) => break status,
            other => panic!("the stream ended without a status after {read} events: {other:?}"),
        }
    };
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(
        status.message().contains("resume with cursor"),
        "{}",
        status.message()
    );
    // The cursor to resume from, structured: ErrorInfo's metadata.
    let details = status.get_error_details();
    let info = details.error_info().expect("an ErrorInfo");
    assert_eq!(info.reason, "WATCH_BEHIND");
    assert_eq!(info.domain, "dyad.v1");
    assert!(
        status
            .message()
            .contains(&format!("{:?}", info.metadata["cursor"])),
        "{status:?}"
    );
    assert!(details.retry_info().is_some());
    assert!(
        read < flood,
        "cut off before the end: read {read} of {flood}"
    );
}

async fn everything(store: Arc<dyn Store>) {
    fill(&store).await;
    let mut client = serve(store.clone()).await;
    timelines(&mut client).await;
    relations(&mut client).await;
    history(&mut client).await;
    graph(&mut client).await;
    search(&mut client).await;
    invalid(&mut client).await;
    watching(&store, &mut client).await;
    slow_consumers_are_cut_off(&store, &mut client).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_answers_relation_questions() {
    let dir = tempfile::tempdir().unwrap();
    let store = dyad_store::SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    everything(Arc::new(store)).await;
}

/// The same answers from PostgreSQL. Fails loudly without PostgreSQL unless
/// `DYAD_SKIP_POSTGRES_TESTS=1` says to skip.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_answers_relation_questions() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: PostgreSQL relation queries (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = dyad_store::throwaway::PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let url = cluster.create_database("relations").await.unwrap();
    let store = dyad_store::PostgresStore::open(&url).await.unwrap();
    everything(Arc::new(store)).await;
}
