//! Storing an article in one transaction: the article row, its events merged
//! into the events already stored (one row per happening, whatever article
//! reported it first), the mention counts and the relation rollup; or, for
//! an article coded again by a newer coder, the replacement of its mentions.

use std::collections::{BTreeSet, HashMap, HashSet};

use dyad_proto::v1::{Article, Event};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows;
use crate::{
    PutOutcome,
    detail::ActorBook,
    encoding::timestamp_to_text,
    policy::{Arrival, arrival},
    rollup::{RollupDeltas, RollupEvent},
};

/// What a batch's articles add to the rollups and the actor register,
/// written once at the end of the batch.
#[derive(Debug, Default)]
pub struct BatchEffects {
    rollups: RollupDeltas,
    actors: ActorBook,
}

impl BatchEffects {
    /// Writes the batch's rollup moves and actors.
    pub fn write(&self, tx: &Transaction) -> rusqlite::Result<()> {
        rows::write_rollups(tx, &self.rollups)?;
        rows::register_actors(tx, &self.actors)
    }
}

/// Stores `article` with `events`, coded by `coder_version`; what it adds
/// to the rollups and actors goes to `effects`.
pub fn put_article(
    tx: &Transaction,
    (article, events): (&Article, &[Event]),
    coder_version: &str,
    now: &str,
    effects: &mut BatchEffects,
) -> rusqlite::Result<PutOutcome> {
    let existing = stored_article(tx, "id", &article.id)?;
    let existing = match existing {
        None if !article.url.is_empty() => stored_article(tx, "url", &article.url)?,
        found => found,
    };
    let mut touched: BTreeSet<String> = events.iter().map(|e| e.id.clone()).collect();
    let article_id;
    let outcome = match arrival(existing, coder_version) {
        Arrival::Known(id) => return Ok(PutOutcome::AlreadyKnown(id)),
        Arrival::Recode(id) => {
            let mut stmt =
                tx.prepare_cached("SELECT DISTINCT event_id FROM mentions WHERE article_id = ?1")?;
            for event_id in stmt.query_map([&id], |row| row.get::<_, String>(0))? {
                touched.insert(event_id?);
            }
            article_id = id;
            PutOutcome::Replaced(article_id.clone())
        }
        Arrival::New => {
            article_id = article.id.clone();
            PutOutcome::Inserted
        }
    };
    let replacing = matches!(outcome, PutOutcome::Replaced(_));
    let before = if replacing {
        mention_counts(tx, &touched)?
    } else {
        HashMap::new()
    };
    if replacing {
        tx.execute("DELETE FROM mentions WHERE article_id = ?1", [&article_id])?;
        tx.execute("DELETE FROM articles WHERE id = ?1", [&article_id])?;
    }
    let publish_time = timestamp_to_text(&article.publish_time);
    tx.prepare_cached(
        "INSERT INTO articles (id, url, title, outlet, publish_time, language, text, ingest_time, \
         coder_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        article_id,
        article.url,
        article.title,
        article.outlet,
        publish_time,
        article.language,
        article.text,
        now,
        coder_version,
    ])?;
    let seen = publish_time.as_deref().unwrap_or(now);
    // (event, sentence) pairs already written for this article: an event
    // listed twice counts its article and each sentence once.
    let mut written: HashSet<(&str, u32)> = HashSet::new();
    let mut reported: HashSet<&str> = HashSet::new();
    for event in events {
        effects.actors.add(event);
        let first_in_article = reported.insert(&event.id);
        let added = event
            .mentions
            .iter()
            .filter(|m| written.insert((&event.id, m.sentence_index)))
            .count() as i64;
        let counts = rows::NewMentions {
            mentions: added,
            first_in_article,
            outlet: &article.outlet,
            seen,
        };
        let mentions_before = rows::upsert_event(tx, event, &counts)?;
        rows::insert_mentions(tx, event, &article_id, &article.outlet, seen)?;
        if !replacing {
            let new_event = i64::from(mentions_before == 0);
            effects
                .rollups
                .add(&RollupEvent::of(event), new_event, added);
        }
    }
    if replacing {
        for id in &touched {
            recount(
                tx,
                id,
                before.get(id).copied().unwrap_or(0),
                &mut effects.rollups,
            )?;
        }
    }
    Ok(outcome)
}

/// The id and coder version of the article whose `column` (id or url) is
/// `value`: one indexed lookup per column.
fn stored_article(
    tx: &Transaction,
    column: &str,
    value: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    tx.prepare_cached(&format!(
        "SELECT id, coder_version FROM articles WHERE {column} = ?1 AND {column} <> ''"
    ))?
    .query_row([value], |row| Ok((row.get(0)?, row.get(1)?)))
    .optional()
}

/// How many mentions each of `ids` has now (events not stored yet are left out).
fn mention_counts(
    tx: &Transaction,
    ids: &BTreeSet<String>,
) -> rusqlite::Result<HashMap<String, i64>> {
    let mut stmt = tx.prepare_cached("SELECT num_mentions FROM events WHERE id = ?1")?;
    let mut counts = HashMap::with_capacity(ids.len());
    for id in ids {
        let n: Option<i64> = stmt.query_row([id], |row| row.get(0)).optional()?;
        if let Some(n) = n.filter(|n| *n > 0) {
            counts.insert(id.clone(), n);
        }
    }
    Ok(counts)
}

/// Recounts an event's mentions from scratch (after a replacement), removes
/// it when none is left, and moves the relation rollups by the difference
/// from `mentions_before`.
fn recount(
    tx: &Transaction,
    id: &str,
    mentions_before: i64,
    rollups: &mut RollupDeltas,
) -> rusqlite::Result<()> {
    let (mentions, articles, sources, first, last): (
        i64,
        i64,
        i64,
        Option<String>,
        Option<String>,
    ) = tx
        .prepare_cached(
            "SELECT count(*), count(DISTINCT article_id), count(DISTINCT outlet), min(seen_time), \
             max(seen_time) FROM mentions WHERE event_id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?;
    let Some(event) = rows::rollup_event(tx, id)? else {
        return Ok(());
    };
    let existed = i64::from(mentions_before > 0);
    let exists = i64::from(mentions > 0);
    if mentions == 0 {
        tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
    } else {
        tx.prepare_cached(
            "UPDATE events SET num_mentions = ?2, num_articles = ?3, num_sources = ?4, \
             first_seen = ?5, last_seen = ?6, \
             changed = (SELECT max(changed) + 1 FROM events), \
             confidence = (SELECT max(confidence) FROM mentions WHERE event_id = ?1) WHERE id = ?1",
        )?
        .execute(params![id, mentions, articles, sources, first, last])?;
    }
    rollups.add(&event, exists - existed, mentions - mentions_before);
    Ok(())
}
