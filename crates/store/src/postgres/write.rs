//! Storing an article in one PostgreSQL transaction, with the same rules as
//! the SQLite backend (see `sqlite/write.rs`): one event per happening,
//! counts moved by what the article adds, replacement by a newer coder, the
//! relation rollup kept in step. Row locks on the events serialise writers
//! that touch the same happening, so no count is lost.

use std::collections::{BTreeSet, HashMap};

use deadpool_postgres::Transaction;
use dyad_proto::v1::{Article, Event, Modality};
use futures_util::future::try_join_all;

use crate::{
    PutOutcome,
    detail::{Detail, code_and_country, location_rank},
    encoding::{is_newer, timestamp_to_text},
};

type Result<T> = std::result::Result<T, tokio_postgres::Error>;

/// Stores `article` with `events`, coded by `coder_version`.
pub async fn put_article(
    tx: &Transaction<'_>,
    article: &Article,
    events: &[Event],
    coder_version: &str,
    now: &str,
) -> Result<PutOutcome> {
    let mut existing = stored_article(tx, "id", &article.id).await?;
    if existing.is_none() && !article.url.is_empty() {
        existing = stored_article(tx, "url", &article.url).await?;
    }
    // Lock the happenings in id order: writers never wait on each other in a cycle.
    let mut events: Vec<&Event> = events.iter().collect();
    events.sort_by(|a, b| a.id.cmp(&b.id));
    let mut touched: BTreeSet<String> = events.iter().map(|e| e.id.clone()).collect();
    let (article_id, outcome) = match existing {
        Some((id, stored)) if !is_newer(coder_version, &stored) => {
            return Ok(PutOutcome::AlreadyKnown(id));
        }
        Some((id, _)) => {
            let rows = tx
                .query(
                    "SELECT DISTINCT event_id FROM mentions WHERE article_id = $1",
                    &[&id],
                )
                .await?;
            touched.extend(rows.iter().map(|row| row.get::<_, String>(0)));
            (id.clone(), PutOutcome::Replaced(id))
        }
        None => (article.id.clone(), PutOutcome::Inserted),
    };
    let replacing = matches!(outcome, PutOutcome::Replaced(_));
    let before = if replacing {
        lock_and_count(tx, &touched).await?
    } else {
        HashMap::new()
    };
    if replacing {
        tx.execute("DELETE FROM mentions WHERE article_id = $1", &[&article_id])
            .await?;
        tx.execute("DELETE FROM articles WHERE id = $1", &[&article_id])
            .await?;
    }
    let publish_time = timestamp_to_text(&article.publish_time);
    let insert_article = tx
        .prepare_cached(
            "INSERT INTO articles (id, url, title, outlet, publish_time, language, text, \
             ingest_time, coder_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .await?;
    tx.execute(
        &insert_article,
        &[
            &article_id,
            &article.url,
            &article.title,
            &article.outlet,
            &publish_time,
            &article.language,
            &article.text,
            &now,
            &coder_version,
        ],
    )
    .await?;
    let seen = publish_time.as_deref().unwrap_or(now);
    // Statements of one step are pipelined on the connection: a round trip
    // per step, not per row. Upserts go out in id order, so locks are taken
    // in that order.
    let existed = try_join_all(events.iter().map(|e| upsert_event(tx, e))).await?;
    let added = try_join_all(
        events
            .iter()
            .map(|e| insert_mentions(tx, e, &article_id, &article.outlet, seen)),
    )
    .await?;
    if !replacing {
        try_join_all(events.iter().zip(existed.iter().zip(&added)).map(
            |(event, (existed, added))| {
                count_new_mentions(
                    tx,
                    event,
                    &article.outlet,
                    &article_id,
                    *added,
                    seen,
                    *existed,
                )
            },
        ))
        .await?;
    }
    if replacing {
        for id in &touched {
            recount(tx, id, before.get(id).copied().unwrap_or(0)).await?;
        }
    }
    Ok(outcome)
}

async fn stored_article(
    tx: &Transaction<'_>,
    column: &str,
    value: &str,
) -> Result<Option<(String, String)>> {
    let statement = tx
        .prepare_cached(&format!(
            "SELECT id, coder_version FROM articles WHERE {column} = $1 AND {column} <> ''"
        ))
        .await?;
    Ok(tx
        .query_opt(&statement, &[&value])
        .await?
        .map(|row| (row.get(0), row.get(1))))
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

/// Inserts the event or locks the stored one (taking the new place when it is
/// more precise); returns whether it was stored before.
async fn upsert_event(tx: &Transaction<'_>, event: &Event) -> Result<bool> {
    let date = event.date.clone().unwrap_or_default();
    let (source, source_country) = code_and_country(event.source.as_ref());
    let (target, target_country) = code_and_country(event.target.as_ref());
    let statement = tx
        .prepare_cached(
            "INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, \
             plover_type, date_start, date_end, date_precision, date_basis, date_text, modality, \
             confidence, source, source_country, target, target_country, location_precision, \
             detail_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15, $16, $17, $18, $19, $20) \
             ON CONFLICT (id) DO UPDATE SET \
             detail_json = CASE WHEN excluded.location_precision > events.location_precision \
                 THEN excluded.detail_json ELSE events.detail_json END, \
             location_precision = GREATEST(events.location_precision, excluded.location_precision) \
             RETURNING (xmax <> 0)",
        )
        .await?;
    let row = tx
        .query_one(
            &statement,
            &[
                &event.id,
                &event.cameo_code,
                &event.cameo_root,
                &event.cameo_name,
                &event.quad_class,
                &event.goldstein,
                &event.plover_type,
                &date.start_date,
                &date.end_date,
                &date.precision,
                &date.basis,
                &date.text,
                &event.modality,
                &event.confidence,
                &source,
                &source_country,
                &target,
                &target_country,
                &location_rank(event.location.as_ref()),
                &Detail::json_of(event),
            ],
        )
        .await?;
    Ok(row.get(0))
}

async fn insert_mentions(
    tx: &Transaction<'_>,
    event: &Event,
    article_id: &str,
    outlet: &str,
    seen: &str,
) -> Result<i64> {
    let statement = tx
        .prepare_cached(
            "INSERT INTO mentions (event_id, article_id, sentence_index, sentence_start, \
             sentence_end, sentence_text, rule, modality, confidence, coder_version, outlet, \
             seen_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT DO NOTHING",
        )
        .await?;
    let inserted = try_join_all(event.mentions.iter().map(|mention| async {
        let sentence = (
            i64::from(mention.sentence_index),
            i64::from(mention.sentence_start),
            i64::from(mention.sentence_end),
        );
        tx.execute(
            &statement,
            &[
                &event.id,
                &article_id,
                &sentence.0,
                &sentence.1,
                &sentence.2,
                &mention.sentence_text,
                &mention.rule,
                &mention.modality,
                &mention.confidence,
                &mention.coder_version,
                &outlet,
                &seen,
            ],
        )
        .await
    }))
    .await?;
    let added = inserted.iter().sum::<u64>() as i64;
    Ok(added)
}

async fn count_new_mentions(
    tx: &Transaction<'_>,
    event: &Event,
    outlet: &str,
    article_id: &str,
    added: i64,
    seen: &str,
    existed: bool,
) -> Result<()> {
    let statement = tx
        .prepare_cached(
            "UPDATE events SET num_mentions = num_mentions + $2::BIGINT, \
             num_articles = num_articles + 1, \
             num_sources = num_sources + CASE WHEN EXISTS (SELECT 1 FROM mentions \
                 WHERE event_id = $1 AND outlet = $3 AND article_id <> $4) THEN 0 ELSE 1 END, \
             first_seen = LEAST(COALESCE(first_seen, $5), $5), \
             last_seen = GREATEST(COALESCE(last_seen, $5), $5) \
             WHERE id = $1",
        )
        .await?;
    tx.execute(
        &statement,
        &[&event.id, &added, &outlet, &article_id, &seen],
    )
    .await?;
    if event.modality == Modality::Asserted as i32 {
        move_rollup(tx, &event.id, i64::from(!existed), added).await?;
    }
    Ok(())
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
