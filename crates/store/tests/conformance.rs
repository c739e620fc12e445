//! The store contract, run unchanged against every backend: identity and
//! dedupe, one event per happening across articles, replacement by a newer
//! coder, counts, rollups, paging under concurrent inserts, concurrent
//! writers.

use std::sync::Arc;

use dyad_proto::v1::{Actor, Article, Event, EventDate, Mention, Modality, QuadClass};
use dyad_store::{
    ActorMatch, EventCursor, EventFilter, EventPage, Grain, Grouping, Level, PageRequest,
    PutOutcome, Store, StoredPosition, TallyRow,
};

const V1: &str = "dyad-extract/0.1.0";
const V2: &str = "dyad-extract/0.2.0";

fn article(id: &str, url: &str, outlet: &str) -> Article {
    Article {
        id: id.into(),
        url: url.into(),
        outlet: outlet.into(),
        text: "Some text.".into(),
        ..Default::default()
    }
}

fn event(id: &str, article_id: &str, date: &str, source: &str, target: &str) -> Event {
    let actor = |code: &str| Actor {
        code: code.into(),
        country_code: code[..3].into(),
        ..Default::default()
    };
    Event {
        id: id.into(),
        cameo_code: "190".into(),
        cameo_root: "19".into(),
        quad_class: QuadClass::MaterialConflict as i32,
        goldstein: -10.0,
        modality: Modality::Asserted as i32,
        date: Some(EventDate {
            start_date: date.into(),
            end_date: date.into(),
            ..Default::default()
        }),
        source: Some(actor(source)),
        target: Some(actor(target)),
        mentions: vec![Mention {
            article_id: article_id.into(),
            sentence_text: format!("A sentence of {article_id}."),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The first `limit` events of `filter` after `after`, oldest first,
/// without mentions.
async fn list_page(
    store: &Arc<dyn Store>,
    filter: &EventFilter,
    after: Option<EventCursor>,
    limit: usize,
) -> EventPage {
    let page = PageRequest {
        after,
        limit,
        ..Default::default()
    };
    store.list_events(filter, &page).await.unwrap()
}

/// The events of [`list_page`].
async fn list(
    store: &Arc<dyn Store>,
    filter: &EventFilter,
    after: Option<EventCursor>,
    limit: usize,
) -> Vec<Event> {
    list_page(store, filter, after, limit).await.events
}

/// Asserted events of a directed country dyad per day, in day order.
async fn dyad_days(
    store: &Arc<dyn Store>,
    source: &str,
    target: &str,
    start: &str,
    end: &str,
) -> Vec<TallyRow> {
    let filter = EventFilter {
        actor: country(source),
        counterpart: country(target),
        directed: true,
        start_date: start.into(),
        end_date: end.into(),
        modalities: vec![Modality::Asserted as i32],
        ..Default::default()
    };
    let grouping = Grouping {
        grain: Some(Grain::Day),
        ..Default::default()
    };
    let mut rows = store.tally(&filter, &grouping).await.unwrap();
    rows.sort_by(|a, b| a.period.cmp(&b.period));
    rows
}

fn country(code: &str) -> ActorMatch {
    ActorMatch {
        country: code.into(),
        ..Default::default()
    }
}

fn ids(events: Vec<Event>) -> Vec<String> {
    events.into_iter().map(|e| e.id).collect()
}

async fn stores_once_by_id_or_url(store: Arc<dyn Store>) {
    let events = [event("e1", "a", "2020-01-01", "ARMGOV", "AZEMIL")];
    let put = |a: Article, e: Vec<Event>| {
        let store = store.clone();
        async move { store.put_article(&a, &e, V1).await.unwrap() }
    };
    assert_eq!(
        put(article("a", "https://x.org/1", "X"), events.to_vec()).await,
        PutOutcome::Inserted
    );
    assert_eq!(
        put(article("a", "", "X"), events.to_vec()).await,
        PutOutcome::AlreadyKnown("a".into())
    );
    assert_eq!(
        put(article("b", "https://x.org/1", "X"), vec![]).await,
        PutOutcome::AlreadyKnown("a".into())
    );
    let (stored, events) = store.get_article("a").await.unwrap().unwrap();
    assert_eq!(stored.url, "https://x.org/1");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].mentions[0].sentence_text, "A sentence of a.");
    // A probe write commits and changes nothing.
    store.probe_write().await.unwrap();
    let event = store.get_event("e1").await.unwrap().unwrap();
    assert_eq!(event.target.unwrap().code, "AZEMIL");
    assert_eq!(event.num_mentions, 1);
    assert!(store.get_event("nope").await.unwrap().is_none());
}

async fn merges_one_happening_across_articles(store: Arc<dyn Store>) {
    let mut a = article("a", "", "Reuters");
    a.publish_time = Some(dyad_proto::Timestamp {
        seconds: 1_715_300_000,
        nanos: 0,
    });
    let mut b = article("b", "", "AP");
    b.publish_time = Some(dyad_proto::Timestamp {
        seconds: 1_715_400_000,
        nanos: 0,
    });
    let c = article("c", "", "AP");
    let same = |article_id: &str| event("same", article_id, "2024-05-08", "RUSGOV", "ARMGOV");
    store.put_article(&a, &[same("a")], V1).await.unwrap();
    store.put_article(&b, &[same("b")], V1).await.unwrap();
    store
        .put_article(
            &c,
            &[
                same("c"),
                event("other", "c", "2024-05-08", "ARMGOV", "RUSGOV"),
            ],
            V1,
        )
        .await
        .unwrap();
    let event = store.get_event("same").await.unwrap().unwrap();
    assert_eq!(
        (event.num_mentions, event.num_articles, event.num_sources),
        (3, 3, 2)
    );
    assert!(event.mentions.is_empty(), "mentions are read by page");
    let page = store.event_mentions("same", None, 10).await.unwrap();
    assert_eq!((page.mentions.len(), page.next), (3, None));
    let mut outlets: Vec<&str> = page.mentions.iter().map(|m| m.outlet.as_str()).collect();
    outlets.sort();
    outlets.dedup();
    assert_eq!(
        outlets.len(),
        2,
        "each mention names its outlet: {outlets:?}"
    );
    assert_eq!(event.first_seen.unwrap().seconds, 1_715_300_000);
    assert!(event.last_seen.unwrap().seconds >= 1_715_400_000);
    // One date: in the order first stored.
    let all = list(&store, &EventFilter::default(), None, 10).await;
    assert_eq!(ids(all), ["same", "other"]);
}

async fn a_newer_coder_replaces_an_articles_mentions(store: Arc<dyn Store>) {
    let a = article("a", "https://x.org/a", "X");
    let b = article("b", "", "Y");
    let shared = |article_id: &str| event("shared", article_id, "2024-01-02", "RUSGOV", "ARMGOV");
    store
        .put_article(
            &a,
            &[
                shared("a"),
                event("only-a", "a", "2024-01-03", "RUSGOV", "ARMGOV"),
            ],
            V1,
        )
        .await
        .unwrap();
    store.put_article(&b, &[shared("b")], V1).await.unwrap();
    // The same coder again: nothing changes.
    assert_eq!(
        store.put_article(&a, &[], V1).await.unwrap(),
        PutOutcome::AlreadyKnown("a".into())
    );
    // A newer coder that no longer finds anything in article a.
    assert_eq!(
        store.put_article(&a, &[], V2).await.unwrap(),
        PutOutcome::Replaced("a".into())
    );
    assert!(store.get_event("only-a").await.unwrap().is_none());
    let shared = store.get_event("shared").await.unwrap().unwrap();
    assert_eq!((shared.num_mentions, shared.num_articles), (1, 1));
    let days = dyad_days(&store, "RUS", "ARM", "", "").await;
    assert_eq!(days.len(), 1, "{days:?}");
    assert_eq!((days[0].tally.events, days[0].tally.mentions), (1, 1));
    let months = store
        .tally(
            &EventFilter {
                modalities: vec![Modality::Asserted as i32],
                ..EventFilter::actor_code("RUSGOV")
            },
            &Grouping {
                grain: Some(Grain::Month),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(months.len(), 1, "the month rollups follow: {months:?}");
    assert_eq!((months[0].tally.events, months[0].tally.mentions), (1, 1));
    // An older coder does not undo the newer one's work.
    assert_eq!(
        store.put_article(&a, &[], V1).await.unwrap(),
        PutOutcome::AlreadyKnown("a".into())
    );
}

async fn rolls_up_asserted_events_per_dyad_and_day(store: Arc<dyn Store>) {
    let mut cooperation = event("meet", "a", "2024-05-08", "RUSGOV", "ARMGOV");
    cooperation.cameo_code = "042".into();
    cooperation.quad_class = QuadClass::VerbalCooperation as i32;
    cooperation.goldstein = 1.9;
    let mut negated = event("no-attack", "a", "2024-05-08", "RUSMIL", "ARMGOV");
    negated.modality = Modality::Negated as i32;
    let events = [
        cooperation.clone(),
        event("attack", "a", "2024-05-08", "RUSMIL", "ARMMIL"),
        negated,
        event("later", "a", "2024-06-01", "RUS", "ARM"),
        event("reverse", "a", "2024-05-08", "ARMGOV", "RUSGOV"),
    ];
    store
        .put_article(&article("a", "", "X"), &events, V1)
        .await
        .unwrap();
    let mut again = cooperation;
    again.mentions[0].article_id = "b".into();
    store
        .put_article(&article("b", "", "Y"), &[again], V1)
        .await
        .unwrap();
    let days = dyad_days(&store, "RUS", "ARM", "", "").await;
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].period, "2024-05-08");
    let may = days[0].tally;
    assert_eq!(may.events, 2, "the negated event is not counted");
    assert_eq!(may.quads, [1, 0, 0, 1]);
    assert!((may.goldstein_sum - (1.9 - 10.0)).abs() < 1e-9);
    assert_eq!(may.mentions, 3);
    assert_eq!(days[1].period, "2024-06-01");
    let june = dyad_days(&store, "RUS", "ARM", "2024-06-01", "2024-07-01").await;
    assert_eq!(june.len(), 1);
}

async fn pages_stay_stable_under_concurrent_inserts(store: Arc<dyn Store>) {
    // Three events a day: pages of 7 end between events of one date. Ids
    // fall as events are stored, so store order is not id order.
    let events: Vec<Event> = (0..30)
        .map(|i| {
            event(
                &format!("e{:02}", 29 - i),
                "a",
                &format!("2020-01-{:02}", i % 10 + 1),
                "RUS",
                "UKR",
            )
        })
        .collect();
    store
        .put_article(&article("a", "", "X"), &events, V1)
        .await
        .unwrap();
    let filter = EventFilter::default();
    let mut seen = Vec::new();
    let mut cursor: Option<EventCursor> = None;
    let mut round = 0;
    loop {
        let page = list_page(&store, &filter, cursor.clone(), 7).await;
        assert!(page.events.len() <= 7);
        seen.extend(ids(page.events));
        let Some(next) = page.next else { break };
        cursor = Some(next);
        // Between pages, another writer adds events before and after the cursor.
        round += 1;
        let early = event(&format!("early{round}"), "x", "2019-01-01", "RUS", "UKR");
        let mut writer_article = article(&format!("w{round}"), "", "W");
        writer_article.text = format!("writer {round}");
        let mut early = early;
        early.mentions[0].article_id = writer_article.id.clone();
        store
            .put_article(&writer_article, &[early], V1)
            .await
            .unwrap();
    }
    let original: Vec<&String> = seen.iter().filter(|id| id.starts_with('e')).collect();
    assert_eq!(
        original.len(),
        30,
        "every original event exactly once: {seen:?}"
    );
    // In date order, and in store order within a date (e29, e19, e09 on
    // the 1st).
    let stored = |id: &String| 29 - id[1..].parse::<usize>().unwrap();
    let mut in_order = original.clone();
    in_order.sort_by_key(|id| (stored(id) % 10, stored(id)));
    assert_eq!(original, in_order, "pages in (date, store order) order");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no event twice");
}

async fn the_change_marker_moves_with_every_commit(store: Arc<dyn Store>) {
    // A backend that cannot tell cheaply says so; answers are then never reused.
    let Some(before) = store.change_marker().await.unwrap() else {
        return;
    };
    assert_eq!(
        store.change_marker().await.unwrap(),
        Some(before),
        "no commit, same marker"
    );
    let stored = event("m1", "m", "2020-01-01", "RUS", "UKR");
    store
        .put_article(&article("m", "", "X"), &[stored], V1)
        .await
        .unwrap();
    let after = store.change_marker().await.unwrap();
    assert!(
        after.is_some() && after != Some(before),
        "a commit moves the marker"
    );
}

async fn concurrent_writers_lose_no_count(store: Arc<dyn Store>) {
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..10 {
                    let id = format!("w{w}-{i}");
                    let mut a = article(&id, "", &format!("outlet{w}"));
                    a.text = id.clone();
                    let events = [
                        event("hot", &id, "2024-01-01", "RUS", "UKR"),
                        event(&format!("own-{id}"), &id, "2024-01-02", "RUS", "UKR"),
                    ];
                    store.put_article(&a, &events, V1).await.unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let hot = store.get_event("hot").await.unwrap().unwrap();
    assert_eq!(
        (hot.num_mentions, hot.num_articles, hot.num_sources),
        (80, 80, 8)
    );
    let days = dyad_days(&store, "RUS", "UKR", "", "").await;
    assert_eq!(days[0].tally.events, 1);
    assert_eq!(days[0].tally.mentions, 80);
    assert_eq!(days[1].tally.events, 80);
}

async fn filters_and_orders_listings(store: Arc<dyn Store>) {
    let events = [
        event("e3", "a", "2023-09-19", "AZEMIL", "ARMREB"),
        event("e1", "a", "1994-05-01", "ARMREB", "AZEGOV"),
        event("e2", "a", "2020-09-27", "ARMGOV", "AZEGOV"),
        event("e4", "a", "2020-09-27", "RUSGOV", "ARMGOV"),
    ];
    store
        .put_article(&article("a", "", "X"), &events, V1)
        .await
        .unwrap();
    let list = |filter: EventFilter, after: Option<EventCursor>| {
        let store = store.clone();
        async move { ids(list(&store, &filter, after, 10).await) }
    };
    assert_eq!(
        list(EventFilter::default(), None).await,
        ["e1", "e2", "e4", "e3"]
    );
    let first = list_page(&store, &EventFilter::default(), None, 2).await;
    assert_eq!(ids(first.events), ["e1", "e2"]);
    assert_eq!(list(EventFilter::default(), first.next).await, ["e4", "e3"]);
    let russia = EventFilter {
        actor: country("RUS"),
        ..Default::default()
    };
    assert_eq!(list(russia, None).await, ["e4"]);
    let window = EventFilter {
        start_date: "2000-01-01".into(),
        end_date: "2021-01-01".into(),
        ..EventFilter::actor_code("AZEGOV")
    };
    assert_eq!(list(window, None).await, ["e2"]);
    let newest_first = PageRequest {
        limit: 2,
        descending: true,
        with_mentions: true,
        ..Default::default()
    };
    let page = store
        .list_events(&EventFilter::default(), &newest_first)
        .await
        .unwrap();
    assert_eq!(ids(page.events.clone()), ["e3", "e4"]);
    assert_eq!(page.events[0].mentions.len(), 1, "mentions on request");
    let before = PageRequest {
        after: page.next,
        ..newest_first
    };
    let page = store
        .list_events(&EventFilter::default(), &before)
        .await
        .unwrap();
    assert_eq!(ids(page.events), ["e2", "e1"]);
    assert_eq!(page.next, None, "the last page says so");
    let dyad = EventFilter {
        counterpart: country("ARM"),
        directed: true,
        ..EventFilter::actor_code("AZEMIL")
    };
    assert_eq!(list(dyad.clone(), None).await, ["e3"]);
    let reversed = EventFilter {
        actor: country("ARM"),
        counterpart: ActorMatch {
            code: "AZEMIL".into(),
            ..Default::default()
        },
        ..dyad
    };
    assert_eq!(list(reversed.clone(), None).await, Vec::<String>::new());
    let either_way = EventFilter {
        directed: false,
        ..reversed
    };
    assert_eq!(list(either_way, None).await, ["e3"]);
}

async fn a_batch_is_stored_as_its_articles_one_by_one(store: Arc<dyn Store>) {
    let shared = |article_id: &str| event("shared", article_id, "2024-03-01", "RUSGOV", "ARMGOV");
    let mut placed = shared("b");
    placed.location = Some(dyad_proto::v1::Location {
        name: "Moscow".into(),
        precision: dyad_proto::v1::LocationPrecision::Point as i32,
        ..Default::default()
    });
    let batch = vec![
        (article("a", "https://x.org/a", "X"), vec![shared("a")]),
        (
            article("b", "", "Y"),
            vec![placed, event("own-b", "b", "2024-03-02", "ARM", "AZE")],
        ),
        // The same id, and the same url, again in the same batch.
        (article("a", "", "X"), vec![shared("a")]),
        (article("c", "https://x.org/a", "Z"), vec![shared("c")]),
    ];
    let outcomes = store.put_articles(&batch, V1).await.unwrap();
    assert_eq!(
        outcomes,
        [
            PutOutcome::Inserted,
            PutOutcome::Inserted,
            PutOutcome::AlreadyKnown("a".into()),
            PutOutcome::AlreadyKnown("a".into()),
        ]
    );
    let shared = store.get_event("shared").await.unwrap().unwrap();
    assert_eq!(
        (shared.num_mentions, shared.num_articles, shared.num_sources),
        (2, 2, 2)
    );
    assert_eq!(
        shared.location.unwrap().name,
        "Moscow",
        "the most precise place wins"
    );
    let days = dyad_days(&store, "RUS", "ARM", "", "").await;
    assert_eq!((days[0].tally.events, days[0].tally.mentions), (1, 2));
    // A second batch adds to what the first stored.
    store
        .put_articles(
            &[(
                article("d", "", "X"),
                vec![event("shared", "d", "2024-03-01", "RUSGOV", "ARMGOV")],
            )],
            V1,
        )
        .await
        .unwrap();
    let shared = store.get_event("shared").await.unwrap().unwrap();
    assert_eq!(
        (shared.num_mentions, shared.num_articles, shared.num_sources),
        (3, 3, 2)
    );
}

/// Every tally the rollups answer equals the same tally counted from the
/// events (forced by a code filter that takes every CAMEO root).
async fn rollups_agree_with_the_events(store: Arc<dyn Store>) {
    let mut corpus = dyad_store::synthetic::SyntheticCorpus::new(7, 6);
    let batch: Vec<_> = (0..300).map(|_| corpus.next_article()).collect();
    for chunk in batch.chunks(50) {
        store.put_articles(chunk, V1).await.unwrap();
    }
    let every_root: Vec<String> = (1..=20).map(|r| format!("{r:02}")).collect();
    let actors = [
        ActorMatch::default(),
        ActorMatch {
            code: "A00".into(),
            ..Default::default()
        },
        ActorMatch {
            code: "A01GOV".into(),
            ..Default::default()
        },
        country("A00"),
    ];
    let windows = [
        ("", ""),
        ("2016-03-17", "2019-11-04"),
        ("2017-05-02", "2017-05-30"),
    ];
    let groupings = [
        Grouping::default(),
        Grouping {
            grain: Some(Grain::Month),
            ..Default::default()
        },
        Grouping {
            grain: Some(Grain::Day),
            ..Default::default()
        },
        Grouping {
            grain: None,
            source: Level::Country,
            target: Level::Actor,
        },
        Grouping {
            grain: Some(Grain::Month),
            source: Level::Actor,
            target: Level::Whole,
        },
        Grouping {
            grain: None,
            source: Level::Country,
            target: Level::Country,
        },
        Grouping {
            grain: Some(Grain::Month),
            source: Level::Whole,
            target: Level::Country,
        },
    ];
    let mut checked = 0;
    for actor in &actors {
        for counterpart in [ActorMatch::default(), country("A01")] {
            if actor.is_empty() && !counterpart.is_empty() {
                continue;
            }
            for directed in [false, true] {
                for (start, end) in windows {
                    for grouping in &groupings {
                        let filter = EventFilter {
                            actor: actor.clone(),
                            counterpart: counterpart.clone(),
                            directed,
                            start_date: start.into(),
                            end_date: end.into(),
                            modalities: vec![Modality::Asserted as i32],
                            ..Default::default()
                        };
                        let from_events = EventFilter {
                            cameo_codes: every_root.clone(),
                            ..filter.clone()
                        };
                        let sorted = |mut rows: Vec<TallyRow>| {
                            rows.sort_by(|a, b| {
                                (&a.period, &a.source, &a.target)
                                    .cmp(&(&b.period, &b.source, &b.target))
                            });
                            rows.into_iter()
                                .map(|r| {
                                    let t = r.tally;
                                    let goldstein = (t.goldstein_sum * 1000.0).round() as i64;
                                    (
                                        r.period, r.source, r.target, t.events, t.quads, goldstein,
                                        t.mentions,
                                    )
                                })
                                .collect::<Vec<_>>()
                        };
                        let rolled = sorted(store.tally(&filter, grouping).await.unwrap());
                        let counted = sorted(store.tally(&from_events, grouping).await.unwrap());
                        assert_eq!(rolled, counted, "{filter:?} {grouping:?}");
                        checked += usize::from(!rolled.is_empty());
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} non-empty comparisons");
    let span = store
        .date_span(&EventFilter {
            modalities: vec![Modality::Asserted as i32],
            ..EventFilter::actor_code("A00")
        })
        .await
        .unwrap()
        .unwrap();
    assert!(
        span.0.as_str() >= "2015-01-01" && span.0 < span.1,
        "{span:?}"
    );
}

/// Roles, places, modalities, codes, quad classes and source counts filter
/// listings and tallies alike.
async fn filters_by_role_place_modality_and_sources(store: Arc<dyn Store>) {
    let with_role = |mut e: Event, role: &str| {
        if let Some(source) = e.source.as_mut() {
            source.role = role.into();
        }
        e
    };
    let placed = |mut e: Event, country: &str, lat: f64, lon: f64| {
        e.location = Some(dyad_proto::v1::Location {
            country_code: country.into(),
            latitude: lat,
            longitude: lon,
            precision: dyad_proto::v1::LocationPrecision::Point as i32,
            ..Default::default()
        });
        e
    };
    let mut threat = event("threat", "a", "2024-02-02", "RUSGOV", "ARMGOV");
    threat.cameo_code = "138".into();
    threat.cameo_root = "13".into();
    threat.quad_class = QuadClass::VerbalConflict as i32;
    let mut denied = event("denied", "a", "2024-02-03", "AZEMIL", "ARMMIL");
    denied.modality = Modality::Negated as i32;
    let events = [
        placed(
            with_role(
                event("shelling", "a", "2024-02-01", "AZEMIL", "ARMMIL"),
                "MIL",
            ),
            "ARM",
            39.5,
            45.9,
        ),
        placed(with_role(threat, "GOV"), "RUS", 55.75, 37.6),
        denied,
    ];
    store
        .put_article(&article("a", "", "X"), &events, V1)
        .await
        .unwrap();
    store
        .put_article(
            &article("b", "", "Y"),
            &[event("shelling", "b", "2024-02-01", "AZEMIL", "ARMMIL")],
            V1,
        )
        .await
        .unwrap();
    let asserted = vec![Modality::Asserted as i32];
    let cases: Vec<(EventFilter, &[&str])> = vec![
        (
            EventFilter {
                modalities: asserted.clone(),
                ..Default::default()
            },
            &["shelling", "threat"],
        ),
        (
            EventFilter {
                modalities: vec![Modality::Negated as i32],
                ..Default::default()
            },
            &["denied"],
        ),
        (EventFilter::default(), &["shelling", "threat", "denied"]),
        (
            EventFilter {
                actor: ActorMatch {
                    role: "MIL".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            &["shelling"],
        ),
        (
            EventFilter {
                place_country: "RUS".into(),
                ..Default::default()
            },
            &["threat"],
        ),
        (
            EventFilter {
                place_box: Some(dyad_store::BoundingBox {
                    south: 38.0,
                    west: 44.0,
                    north: 41.0,
                    east: 47.0,
                }),
                ..Default::default()
            },
            &["shelling"],
        ),
        (
            EventFilter {
                min_sources: 2,
                ..Default::default()
            },
            &["shelling"],
        ),
        (
            EventFilter {
                cameo_codes: vec!["13".into()],
                ..Default::default()
            },
            &["threat"],
        ),
        (
            EventFilter {
                cameo_codes: vec!["1384".into()],
                ..Default::default()
            },
            &[],
        ),
        (
            EventFilter {
                quad_classes: vec![3],
                ..Default::default()
            },
            &["threat"],
        ),
        (
            EventFilter {
                precisions: vec![4],
                ..Default::default()
            },
            &[],
        ),
    ];
    for (filter, expected) in cases {
        let found = ids(list(&store, &filter, None, 10).await);
        assert_eq!(found, expected, "{filter:?}");
        let tally = store.tally(&filter, &Grouping::default()).await.unwrap();
        let counted = tally.first().map_or(0, |row| row.tally.events);
        assert_eq!(counted, expected.len() as i64, "tally of {filter:?}");
    }
}

/// An event reported several times keeps its most confident coding, and
/// the least confidence a filter asks for leaves the others out.
async fn keeps_the_highest_confidence_and_filters_by_it(store: Arc<dyn Store>) {
    let sure = |mut e: Event, confidence: f64| {
        e.confidence = confidence;
        e.mentions[0].confidence = confidence;
        e
    };
    let low = |article_id: &str, c| {
        sure(
            event("low", article_id, "2024-03-01", "RUSGOV", "UKRGOV"),
            c,
        )
    };
    store
        .put_article(
            &article("a", "", "X"),
            &[
                low("a", 0.3),
                sure(event("high", "a", "2024-03-02", "RUSGOV", "UKRGOV"), 0.8),
            ],
            V1,
        )
        .await
        .unwrap();
    let at_least = |min_confidence: f64| EventFilter {
        min_confidence,
        ..Default::default()
    };
    let listed_and_counted = async |filter: EventFilter| {
        let found = ids(list(&store, &filter, None, 10).await);
        let tally = store.tally(&filter, &Grouping::default()).await.unwrap();
        let counted = tally.first().map_or(0, |row| row.tally.events);
        assert_eq!(counted, found.len() as i64, "tally of {filter:?}");
        found
    };
    assert_eq!(listed_and_counted(at_least(0.5)).await, ["high"]);
    assert_eq!(listed_and_counted(at_least(0.0)).await, ["low", "high"]);
    // A second, surer report of the same happening raises its confidence.
    store
        .put_article(&article("b", "", "Y"), &[low("b", 0.9)], V1)
        .await
        .unwrap();
    assert_eq!(
        store.get_event("low").await.unwrap().unwrap().confidence,
        0.9
    );
    assert_eq!(listed_and_counted(at_least(0.85)).await, ["low"]);
    // When that report is withdrawn, the event is as sure as what remains.
    store
        .put_article(&article("b", "", "Y"), &[], V2)
        .await
        .unwrap();
    assert_eq!(
        store.get_event("low").await.unwrap().unwrap().confidence,
        0.3
    );
    assert_eq!(listed_and_counted(at_least(0.5)).await, ["high"]);
}

/// Every actor of a stored event is registered once, with the names it
/// appeared under.
async fn registers_actors_with_their_names(store: Arc<dyn Store>) {
    let mut e = event("e", "a", "2024-01-01", "RUSGOV", "ARMGOV");
    if let Some(source) = e.source.as_mut() {
        source.name = "Russia".into();
        source.text = "the Kremlin".into();
        source.kind = dyad_proto::v1::ActorKind::Government as i32;
    }
    let mut again = e.clone();
    again.id = "e2".into();
    if let Some(source) = again.source.as_mut() {
        source.text = "Moscow".into();
    }
    store
        .put_article(&article("a", "", "X"), &[e, again], V1)
        .await
        .unwrap();
    let mut actors = store.actors().await.unwrap();
    actors.sort_by(|a, b| a.actor.code.cmp(&b.actor.code));
    let codes: Vec<&str> = actors.iter().map(|a| a.actor.code.as_str()).collect();
    assert_eq!(codes, ["ARMGOV", "RUSGOV"]);
    let russia = &actors[1];
    assert_eq!(russia.actor.name, "Russia");
    assert_eq!(russia.actor.country_code, "RUS");
    assert_eq!(
        russia.actor.kind,
        dyad_proto::v1::ActorKind::Government as i32
    );
    assert_eq!(russia.aliases, ["Moscow", "the Kremlin"]);
}

/// New events come in the order they were stored, after any position, and
/// only those the filter takes.
async fn watching_follows_store_order(store: Arc<dyn Store>) {
    store
        .put_article(
            &article("old", "", "X"),
            &[event("before", "old", "2024-01-01", "RUSGOV", "ARMGOV")],
            V1,
        )
        .await
        .unwrap();
    let start = store.latest_position().await.unwrap();
    let filter = EventFilter::default();
    let seen = |after: StoredPosition| {
        let store = store.clone();
        let filter = filter.clone();
        async move {
            store
                .events_stored_after(&filter, after, 100)
                .await
                .unwrap()
        }
    };
    assert!(seen(start).await.iter().all(|(e, _)| e.id != "before"));
    for (i, id) in ["b", "a", "c"].iter().enumerate() {
        let name = format!("art{i}");
        store
            .put_article(
                &article(&name, "", "X"),
                &[event(id, &name, "2020-01-01", "AZEGOV", "ARMGOV")],
                V1,
            )
            .await
            .unwrap();
    }
    let before_again = seen(start).await;
    let order: Vec<&str> = before_again.iter().map(|(e, _)| e.id.as_str()).collect();
    assert_eq!(order, ["b", "a", "c"]);
    // An event reported again is not a new row, but it changed: it comes
    // again, after everything stored before, with its new counts.
    store
        .put_article(
            &article("again", "", "Y"),
            &[event("b", "again", "2020-01-01", "AZEGOV", "ARMGOV")],
            V1,
        )
        .await
        .unwrap();
    let new = seen(start).await;
    let order: Vec<&str> = new.iter().map(|(e, _)| e.id.as_str()).collect();
    assert_eq!(order, ["a", "c", "b"]);
    assert!(new.windows(2).all(|w| w[0].1 < w[1].1), "positions grow");
    assert_eq!(
        new[2].0.mentions.len(),
        2,
        "events come with their mentions"
    );
    assert_eq!(new[2].0.num_mentions, 2);
    let after_c = seen(before_again[2].1).await;
    let order: Vec<&str> = after_c.iter().map(|(e, _)| e.id.as_str()).collect();
    assert_eq!(order, ["b"], "a watcher past c gets b again, nothing else");
    let after_first = seen(new[0].1).await;
    assert_eq!(after_first.len(), 2);
    assert!(seen(new[2].1).await.is_empty());
    // Listings keep the order of first storing.
    let listed = store
        .list_events(
            &EventFilter {
                start_date: "2020-01-01".into(),
                end_date: "2020-01-02".into(),
                ..Default::default()
            },
            &dyad_store::PageRequest {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let order: Vec<&str> = listed.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(order, ["b", "a", "c"]);
    let russia_only = store
        .events_stored_after(
            &EventFilter::actor_code("RUSGOV"),
            StoredPosition::default(),
            100,
        )
        .await
        .unwrap();
    assert_eq!(russia_only.len(), 1);
    assert_eq!(russia_only[0].0.id, "before");
}

/// A mention given twice (the same event, article and sentence) is one
/// mention, in the counts and in the rollups.
async fn a_repeated_mention_counts_once(store: Arc<dyn Store>) {
    let mut twice = event("e", "a", "2024-01-01", "RUSGOV", "ARMGOV");
    twice.mentions.push(twice.mentions[0].clone());
    store
        .put_article(&article("a", "", "X"), &[twice], V1)
        .await
        .unwrap();
    let stored = store.get_event("e").await.unwrap().unwrap();
    let page = store.event_mentions("e", None, 10).await.unwrap();
    assert_eq!((stored.num_mentions, page.mentions.len()), (1, 1));
    let days = dyad_days(&store, "RUS", "ARM", "", "").await;
    assert_eq!((days[0].tally.events, days[0].tally.mentions), (1, 1));
}

/// Two reports of one happening with places as precise as each other
/// (another town, another spelling of an actor): what is stored does not
/// depend on which article came first.
async fn arrival_order_does_not_change_an_event(store: Arc<dyn Store>) {
    let report = |id: &str, article_id: &str, outlet: &str, town: &str| {
        let mut e = event(id, article_id, "2024-03-03", "RUSGOV", "UKRGOV");
        e.location = Some(dyad_proto::v1::Location {
            name: town.into(),
            country_code: "UKR".into(),
            precision: dyad_proto::v1::LocationPrecision::Point as i32,
            ..Default::default()
        });
        e.source.as_mut().unwrap().text = format!("Moscow, as {outlet} puts it");
        e
    };
    // Each order with articles of its own (an article is stored once).
    for (id, order) in [("one-way", ["a1", "b1"]), ("other-way", ["b2", "a2"])] {
        for article_id in order {
            let (outlet, town) = if article_id.starts_with('a') {
                ("AP", "Kharkiv")
            } else {
                ("AFP", "Kherson")
            };
            store
                .put_article(
                    &article(article_id, "", outlet),
                    &[report(id, article_id, outlet, town)],
                    V1,
                )
                .await
                .unwrap();
        }
    }
    let mut one = store.get_event("one-way").await.unwrap().unwrap();
    let mut other = store.get_event("other-way").await.unwrap().unwrap();
    assert_eq!(
        one.location.as_ref().unwrap().name,
        other.location.as_ref().unwrap().name
    );
    one.id.clear();
    other.id.clear();
    (one.first_seen, one.last_seen) = (None, None);
    (other.first_seen, other.last_seen) = (None, None);
    assert_eq!(one, other);
}

/// An event reported in many places is read a page of mentions at a time,
/// in order of outlet, article and sentence, every mention once; a listing
/// carries only its first mentions, an article only its own.
async fn pages_through_an_events_mentions(store: Arc<dyn Store>) {
    let outlets = ["AP", "Reuters", "AFP"];
    for n in 0..30 {
        let id = format!("a{n:02}");
        let mut reported = event("hot", &id, "2024-02-02", "RUSGOV", "UKRGOV");
        reported.mentions = (0..3)
            .map(|sentence_index| Mention {
                article_id: id.clone(),
                sentence_index,
                sentence_text: format!("Sentence {sentence_index} of {id}."),
                ..Default::default()
            })
            .collect();
        store
            .put_article(&article(&id, "", outlets[n % 3]), &[reported], V1)
            .await
            .unwrap();
    }
    let event = store.get_event("hot").await.unwrap().unwrap();
    assert_eq!(event.num_mentions, 90);
    let mut read = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = store
            .event_mentions("hot", after.as_ref(), 7)
            .await
            .unwrap();
        assert!(page.mentions.len() <= 7);
        pages += 1;
        read.extend(page.mentions);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 13, "90 mentions in pages of 7");
    let keys: Vec<(String, String, u32)> = read
        .iter()
        .map(|m| (m.outlet.clone(), m.article_id.clone(), m.sentence_index))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "in key order, each once");
    assert_eq!(keys.len(), 90);
    assert_eq!(keys[0], ("AFP".to_string(), "a02".to_string(), 0));
    let page = list_page_with_mentions(&store).await;
    assert_eq!(
        page.events[0].mentions.len(),
        dyad_store::MENTIONS_IN_LISTINGS
    );
    let (_, events) = store.get_article("a07").await.unwrap().unwrap();
    let own: Vec<(&str, u32)> = events[0]
        .mentions
        .iter()
        .map(|m| (m.article_id.as_str(), m.sentence_index))
        .collect();
    assert_eq!(own, [("a07", 0), ("a07", 1), ("a07", 2)]);
    assert!(
        store
            .event_mentions("nope", None, 5)
            .await
            .unwrap()
            .mentions
            .is_empty()
    );
}

/// The first page of every event, with mentions.
async fn list_page_with_mentions(store: &Arc<dyn Store>) -> EventPage {
    store
        .list_events(
            &EventFilter::default(),
            &PageRequest {
                limit: 10,
                with_mentions: true,
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

/// Declares one test per contract clause for a backend made by `$open`.
macro_rules! conformance {
    ($backend:ident, $open:expr) => {
        mod $backend {
            use super::*;

            /// The store, and what must live as long as it (a directory, a cluster).
            async fn store() -> (Arc<dyn Store>, Box<dyn std::any::Any + Send>) {
                $open().await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn stores_once_by_id_or_url() {
                let (store, _guard) = store().await;
                super::stores_once_by_id_or_url(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn keeps_the_highest_confidence_and_filters_by_it() {
                let (store, _guard) = store().await;
                super::keeps_the_highest_confidence_and_filters_by_it(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn merges_one_happening_across_articles() {
                let (store, _guard) = store().await;
                super::merges_one_happening_across_articles(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn a_newer_coder_replaces_an_articles_mentions() {
                let (store, _guard) = store().await;
                super::a_newer_coder_replaces_an_articles_mentions(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn rolls_up_asserted_events_per_dyad_and_day() {
                let (store, _guard) = store().await;
                super::rolls_up_asserted_events_per_dyad_and_day(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn pages_stay_stable_under_concurrent_inserts() {
                let (store, _guard) = store().await;
                super::pages_stay_stable_under_concurrent_inserts(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn concurrent_writers_lose_no_count() {
                let (store, _guard) = store().await;
                super::concurrent_writers_lose_no_count(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn a_batch_is_stored_as_its_articles_one_by_one() {
                let (store, _guard) = store().await;
                super::a_batch_is_stored_as_its_articles_one_by_one(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn filters_and_orders_listings() {
                let (store, _guard) = store().await;
                super::filters_and_orders_listings(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn a_repeated_mention_counts_once() {
                let (store, _guard) = store().await;
                super::a_repeated_mention_counts_once(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn rollups_agree_with_the_events() {
                let (store, _guard) = store().await;
                super::rollups_agree_with_the_events(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn filters_by_role_place_modality_and_sources() {
                let (store, _guard) = store().await;
                super::filters_by_role_place_modality_and_sources(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn registers_actors_with_their_names() {
                let (store, _guard) = store().await;
                super::registers_actors_with_their_names(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn the_change_marker_moves_with_every_commit() {
                let (store, _guard) = store().await;
                super::the_change_marker_moves_with_every_commit(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn arrival_order_does_not_change_an_event() {
                let (store, _guard) = store().await;
                super::arrival_order_does_not_change_an_event(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn pages_through_an_events_mentions() {
                let (store, _guard) = store().await;
                super::pages_through_an_events_mentions(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn watching_follows_store_order() {
                let (store, _guard) = store().await;
                super::watching_follows_store_order(store).await;
            }
        }
    };
}

conformance!(sqlite, || async {
    let dir = tempfile::tempdir().unwrap();
    let store = dyad_store::SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    (
        Arc::new(store) as Arc<dyn Store>,
        Box::new(dir) as Box<dyn std::any::Any + Send>,
    )
});

/// Every clause against PostgreSQL: one throwaway cluster, a fresh database
/// per clause. Fails loudly without PostgreSQL unless
/// `DYAD_SKIP_POSTGRES_TESTS=1` says to skip.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_backend_conforms() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: PostgreSQL conformance (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = match dyad_store::throwaway::PostgresCluster::start() {
        Ok(cluster) => cluster,
        Err(e) => panic!("{e}"),
    };
    let mut n = 0;
    let mut fresh = || {
        n += 1;
        let name = format!("conformance_{n}");
        let cluster = &cluster;
        async move {
            let url = cluster.create_database(&name).await.unwrap();
            Arc::new(dyad_store::PostgresStore::open(&url).await.unwrap()) as Arc<dyn Store>
        }
    };
    stores_once_by_id_or_url(fresh().await).await;
    merges_one_happening_across_articles(fresh().await).await;
    keeps_the_highest_confidence_and_filters_by_it(fresh().await).await;
    a_newer_coder_replaces_an_articles_mentions(fresh().await).await;
    rolls_up_asserted_events_per_dyad_and_day(fresh().await).await;
    pages_stay_stable_under_concurrent_inserts(fresh().await).await;
    concurrent_writers_lose_no_count(fresh().await).await;
    filters_and_orders_listings(fresh().await).await;
    a_batch_is_stored_as_its_articles_one_by_one(fresh().await).await;
    a_repeated_mention_counts_once(fresh().await).await;
    rollups_agree_with_the_events(fresh().await).await;
    filters_by_role_place_modality_and_sources(fresh().await).await;
    registers_actors_with_their_names(fresh().await).await;
    watching_follows_store_order(fresh().await).await;
    the_change_marker_moves_with_every_commit(fresh().await).await;
    pages_through_an_events_mentions(fresh().await).await;
    arrival_order_does_not_change_an_event(fresh().await).await;
}
