//! Replacing the coding of an article stored by an older coder: its old
//! mentions go, the events they touched are recounted (and removed when no
//! mention is left), then the article is written again as a new one by the
//! batch path (`bulk.rs`). The rollup moves with every step.

use std::collections::{BTreeSet, HashMap};

use deadpool_postgres::Transaction;
use dyad_proto::v1::{Article, Event, Modality};

use super::bulk;

type Result<T> = std::result::Result<T, tokio_postgres::Error>;

/// Replaces the stored article `stored_id` (coded by an older coder) with
/// `article` and its `events`.
pub async fn replace_article(
    tx: &Transaction<'_>,
    stored_id: &str,
    article: &Article,
    events: &[Event],
    coder_version: &str,
    now: &str,
) -> Result<()> {
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
    for id in &touched {
        recount(tx, id, before.get(id).copied().unwrap_or(0)).await?;
    }
    let article = Article {
        id: stored_id.to_string(),
        ..article.clone()
    };
    bulk::insert_fresh(tx, &[(&article, events)], coder_version, now).await
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
async fn recount(tx: &Transaction<'_>, id: &str, mentions_before: i64) -> Result<()> {
    let row = tx
        .query_one(
            "SELECT count(*), count(DISTINCT article_id), count(DISTINCT outlet), \
             min(seen_time), max(seen_time) FROM mentions WHERE event_id = $1",
            &[&id],
        )
        .await?;
    let mentions: i64 = row.get(0);
    let Some(modality) = tx
        .query_opt("SELECT modality FROM events WHERE id = $1", &[&id])
        .await?
        .map(|row| row.get::<_, i32>(0))
    else {
        return Ok(());
    };
    if modality == Modality::Asserted as i32 {
        let events = i64::from(mentions > 0) - i64::from(mentions_before > 0);
        move_rollup(tx, id, events, mentions - mentions_before).await?;
    }
    if mentions == 0 {
        tx.execute("DELETE FROM events WHERE id = $1", &[&id])
            .await?;
    } else {
        let (articles, sources): (i64, i64) = (row.get(1), row.get(2));
        let (first, last): (Option<String>, Option<String>) = (row.get(3), row.get(4));
        tx.execute(
            "UPDATE events SET num_mentions = $2, num_articles = $3, num_sources = $4, \
             first_seen = $5, last_seen = $6 WHERE id = $1",
            &[&id, &mentions, &articles, &sources, &first, &last],
        )
        .await?;
    }
    Ok(())
}

/// Moves the rollup row of event `id`'s dyad and day.
async fn move_rollup(tx: &Transaction<'_>, id: &str, events: i64, mentions: i64) -> Result<()> {
    if events == 0 && mentions == 0 {
        return Ok(());
    }
    let statement = tx
        .prepare_cached(
            "INSERT INTO dyad_days AS d (source, target, day, date_precision, source_country, \
             target_country, events, verbal_cooperation, material_cooperation, verbal_conflict, \
             material_conflict, goldstein_sum, mentions) \
             SELECT source, target, date_start, date_precision, source_country, target_country, \
             $2::BIGINT, CASE WHEN quad_class = 1 THEN $2::BIGINT ELSE 0 END, \
             CASE WHEN quad_class = 2 THEN $2::BIGINT ELSE 0 END, \
             CASE WHEN quad_class = 3 THEN $2::BIGINT ELSE 0 END, \
             CASE WHEN quad_class = 4 THEN $2::BIGINT ELSE 0 END, goldstein * $2::BIGINT, $3::BIGINT \
             FROM events WHERE id = $1 \
             ON CONFLICT (source, target, day, date_precision) DO UPDATE SET \
             events = d.events + excluded.events, \
             verbal_cooperation = d.verbal_cooperation + excluded.verbal_cooperation, \
             material_cooperation = d.material_cooperation + excluded.material_cooperation, \
             verbal_conflict = d.verbal_conflict + excluded.verbal_conflict, \
             material_conflict = d.material_conflict + excluded.material_conflict, \
             goldstein_sum = d.goldstein_sum + excluded.goldstein_sum, \
             mentions = d.mentions + excluded.mentions",
        )
        .await?;
    tx.execute(&statement, &[&id, &events, &mentions]).await?;
    if events < 0 || mentions < 0 {
        tx.execute(
            "DELETE FROM dyad_days d USING events e WHERE e.id = $1 AND d.source = e.source \
             AND d.target = e.target AND d.day = e.date_start \
             AND d.date_precision = e.date_precision AND d.events <= 0 AND d.mentions <= 0",
            &[&id],
        )
        .await?;
    }
    Ok(())
}
