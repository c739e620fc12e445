//! What the query tests share: storing an article as the ingest service
//! would, coded by its own coding path.

use dyad_proto::{Timestamp, v1::Article};
use dyad_store::Store;

/// Codes `text` (published at `seconds` since the epoch) as article `id`
/// with `coder` and stores it; the number of events coded.
pub async fn store_coded(
    store: &dyn Store,
    coder: &dyad_extract::Coder,
    (id, seconds, text): (&str, i64, &str),
) -> usize {
    let article = Article {
        id: id.into(),
        text: text.into(),
        publish_time: Some(Timestamp { seconds, nanos: 0 }),
        ..Default::default()
    };
    let coded = dyad_ingest::extract_events(
        coder,
        Some(article.clone()),
        dyad_ingest::IngestConfig::default().limits(),
    )
    .unwrap();
    store
        .put_article(&article, &coded.events, dyad_extract::CODER_VERSION)
        .await
        .unwrap();
    coded.events.len()
}
