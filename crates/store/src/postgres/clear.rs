//! Clearing the coding of an article stored by an older coder, before the
//! batch path (`bulk.rs`) writes it again as a new one: its old mentions go
//! and the events they touched are recounted (removed when no mention is
//! left), with what that takes from the rollup.

use std::collections::{BTreeSet, HashMap};

use deadpool_postgres::Transaction;
use dyad_proto::v1::Modality;

use crate::rollup::{RollupDeltas, RollupEvent};

type Result<T> = std::result::Result<T, tokio_postgres::Error>;

/// Removes the stored article `stored_id` and its mentions; returns what
/// the rollup loses (for the caller to write with the new coding's gains).
pub async fn clear_article(tx: &Transaction<'_>, stored_id: &str) -> Result<RollupDeltas> {
    let touched: BTreeSet<String> = tx
        .query(
            "SELECT DISTINCT event_id FROM mentions WHERE article_id = $1",
            &[&stored_id],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let before = lock_and_count(tx, &touched).await?;
    tx.execute("DELETE FROM mentions WHERE article_id = $1", &[&stored_id])
        .await?;
    tx.execute("DELETE FROM articles WHERE id = $1", &[&stored_id])
        .await?;
    let mut rollups = RollupDeltas::default();
    for id in &touched {
        recount(tx, id, before.get(id).copied().unwrap_or(0), &mut rollups).await?;
    }
    Ok(rollups)
}

/// Locks the events `ids` and returns their mention counts.
async fn lock_and_count(
    tx: &Transaction<'_>,
    ids: &BTreeSet<String>,
) -> Result<HashMap<String, i64>> {
    let mut counts = HashMap::new();
    for id in ids {
        if let Some(row) = tx
            .query_opt(
                "SELECT num_mentions FROM events WHERE id = $1 FOR UPDATE",
                &[id],
            )
            .await?
        {
            counts.insert(id.clone(), row.get(0));
        }
    }
    Ok(counts)
}

/// Recounts an event from its mentions after a replacement.
async fn recount(
    tx: &Transaction<'_>,
    id: &str,
    mentions_before: i64,
    rollups: &mut RollupDeltas,
) -> Result<()> {
    let row = tx
        .query_one(
            "SELECT count(*), count(DISTINCT article_id), count(DISTINCT outlet), \
             min(seen_time), max(seen_time) FROM mentions WHERE event_id = $1",
            &[&id],
        )
        .await?;
    let mentions: i64 = row.get(0);
    let Some(event) = tx
        .query_opt(
            "SELECT source, target, date_start, date_precision, source_country, target_country, \
             quad_class, goldstein, modality FROM events WHERE id = $1",
            &[&id],
        )
        .await?
        .map(|row| RollupEvent {
            source: row.get(0),
            target: row.get(1),
            day: row.get(2),
            precision: row.get(3),
            source_country: row.get(4),
            target_country: row.get(5),
            quad_class: row.get(6),
            goldstein: row.get(7),
            asserted: row.get::<_, i32>(8) == Modality::Asserted as i32,
        })
    else {
        return Ok(());
    };
    let events = i64::from(mentions > 0) - i64::from(mentions_before > 0);
    rollups.add(&event, events, mentions - mentions_before);
    if mentions == 0 {
        tx.execute("DELETE FROM events WHERE id = $1", &[&id])
            .await?;
    } else {
        let (articles, sources): (i64, i64) = (row.get(1), row.get(2));
        let (first, last): (Option<String>, Option<String>) = (row.get(3), row.get(4));
        tx.execute(
            "UPDATE events SET num_mentions = $2, num_articles = $3, num_sources = $4, \
             first_seen = $5, last_seen = $6, \
             changed_txid = pg_current_xact_id(), changed_seq = nextval('events_changes'), \
             confidence = (SELECT max(confidence) FROM mentions WHERE event_id = $1) WHERE id = $1",
            &[&id, &mentions, &articles, &sources, &first, &last],
        )
        .await?;
    }
    Ok(())
}
