//! Answers kept in memory never outlive a write: after another process (a
//! second store on the same file, as the ingest service is) or the same
//! store commits, the same request is answered from the store again.

mod common;

use std::sync::Arc;

use common::{Coded, actor};
use dyad_proto::v1::{
    ActorMatch, EventFilter, ListEventsRequest, query_service_client::QueryServiceClient,
};
use dyad_store::Store;
use tonic::transport::Channel;

/// Stores article `id`: Armenia doing `code` to `target`.
async fn store_article(store: &dyn Store, id: &str, code: &str, target: &str) {
    let sentence = format!("Armenia did {code} to {target}.");
    let coded = [Coded {
        sentence: &sentence,
        source: actor("ARM", "GOV"),
        code,
        target: actor(target, "GOV"),
        date: "2024-05-10",
    }];
    common::store_article(store, id, 1_715_299_200, &coded).await;
}

async fn armenian_events(client: &mut QueryServiceClient<Channel>) -> usize {
    let request = ListEventsRequest {
        filter: Some(EventFilter {
            actor: Some(ActorMatch {
                country_code: "ARM".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    client
        .list_events(request)
        .await
        .unwrap()
        .into_inner()
        .events
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_answers_give_way_to_new_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let served: Arc<dyn Store> = Arc::new(dyad_store::SqliteStore::open(&path).unwrap());
    let other_process = dyad_store::SqliteStore::open(&path).unwrap();
    store_article(served.as_ref(), "a", "112", "AZE").await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(dyad_query::serve(
        listener,
        served.clone(),
        Default::default(),
        Default::default(),
        std::future::pending(),
    ));
    let mut client = QueryServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap();

    let first = armenian_events(&mut client).await;
    assert!(first >= 1);
    assert_eq!(armenian_events(&mut client).await, first, "asked again");

    store_article(&other_process, "b", "111", "TUR").await;
    let second = armenian_events(&mut client).await;
    assert!(
        second > first,
        "another writer's event is listed: {second} after {first}"
    );

    store_article(served.as_ref(), "c", "051", "FRA").await;
    let third = armenian_events(&mut client).await;
    assert!(
        third > second,
        "the served store's own write is listed: {third} after {second}"
    );
}
