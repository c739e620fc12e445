//! The batch path of the PostgreSQL backend: a batch of new articles is
//! written with a handful of set-based statements (arrays bound as
//! parameters and unnested), whatever its size, with the same results as
//! storing the articles one by one. An article replacing an older coding is
//! cleared first (`clear.rs`) and then written here like a new one.

use std::collections::{BTreeMap, HashMap, HashSet};

use deadpool_postgres::Transaction;
use dyad_proto::v1::{Article, Event};

use super::clear;
use crate::{
    PutOutcome,
    detail::{ActorBook, Detail, code_and_country, place_columns, role_of},
    encoding::timestamp_to_text,
    policy::{Arrival, arrival, more_precise, place_rank},
    rollup::{RollupDelta, RollupDeltas, RollupEvent, RollupKey, RollupTable},
};

type Result<T> = std::result::Result<T, tokio_postgres::Error>;

/// Stores a batch of articles with their events, coded by `coder_version`.
pub async fn put_batch(
    tx: &Transaction<'_>,
    batch: &[(&Article, &[Event])],
    coder_version: &str,
    now: &str,
) -> Result<Vec<PutOutcome>> {
    let ids: Vec<&str> = batch.iter().map(|(a, _)| a.id.as_str()).collect();
    let urls: Vec<&str> = batch
        .iter()
        .map(|(a, _)| a.url.as_str())
        .filter(|u| !u.is_empty())
        .collect();
    let mut by_id: HashMap<String, String> = HashMap::new();
    let mut by_url: HashMap<String, (String, String)> = HashMap::new();
    for row in tx
        .query(
            "SELECT id, url, coder_version FROM articles \
             WHERE id = ANY($1) OR (url <> '' AND url = ANY($2))",
            &[&ids, &urls],
        )
        .await?
    {
        let (id, url, version): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        if !url.is_empty() {
            by_url.insert(url, (id.clone(), version.clone()));
        }
        by_id.insert(id, version);
    }

    let mut outcomes = Vec::with_capacity(batch.len());
    let mut fresh: Vec<(&Article, &[Event])> = Vec::new();
    for (article, events) in batch {
        let stored = by_id
            .get(&article.id)
            .map(|v| (article.id.clone(), v.clone()))
            .or_else(|| {
                (!article.url.is_empty())
                    .then(|| by_url.get(&article.url).cloned())
                    .flatten()
            });
        let outcome = match arrival(stored, coder_version) {
            Arrival::Recode(id) => {
                write_rollups(tx, &clear::clear_article(tx, &id).await?).await?;
                let renamed = Article {
                    id: id.clone(),
                    ..(*article).clone()
                };
                insert_fresh(tx, &[(&renamed, events)], coder_version, now).await?;
                by_id.insert(id.clone(), coder_version.to_string());
                PutOutcome::Replaced(id)
            }
            Arrival::Known(id) => PutOutcome::AlreadyKnown(id),
            Arrival::New => {
                // Later articles of the batch with the same id or url are this one.
                by_id.insert(article.id.clone(), coder_version.to_string());
                if !article.url.is_empty() {
                    by_url.insert(
                        article.url.clone(),
                        (article.id.clone(), coder_version.to_string()),
                    );
                }
                fresh.push((article, events));
                PutOutcome::Inserted
            }
        };
        outcomes.push(outcome);
    }
    if !fresh.is_empty() {
        insert_fresh(tx, &fresh, coder_version, now).await?;
    }
    Ok(outcomes)
}

/// One mention to insert, with what its counts need.
struct NewMention<'a> {
    event: &'a Event,
    article_id: &'a str,
    outlet: &'a str,
    seen: String,
}

/// What a batch adds to one event's counts.
#[derive(Default)]
struct Added<'a> {
    mentions: i64,
    articles: HashSet<&'a str>,
    outlets: HashSet<&'a str>,
    first: Option<String>,
    last: Option<String>,
}

/// Writes articles not stored yet, with their events, counts and rollup.
async fn insert_fresh(
    tx: &Transaction<'_>,
    fresh: &[(&Article, &[Event])],
    coder_version: &str,
    now: &str,
) -> Result<()> {
    // Articles.
    let column = |f: &dyn Fn(&Article) -> String| -> Vec<String> {
        fresh.iter().map(|(a, _)| f(a)).collect()
    };
    let publish: Vec<Option<String>> = fresh
        .iter()
        .map(|(a, _)| timestamp_to_text(&a.publish_time))
        .collect();
    tx.execute(
        "INSERT INTO articles (id, url, title, outlet, publish_time, language, text, ingest_time, \
         coder_version) SELECT a.*, $8, $9 FROM UNNEST($1::text[], $2::text[], $3::text[], \
         $4::text[], $5::text[], $6::text[], $7::text[]) AS a",
        &[
            &column(&|a| a.id.clone()),
            &column(&|a| a.url.clone()),
            &column(&|a| a.title.clone()),
            &column(&|a| a.outlet.clone()),
            &publish,
            &column(&|a| a.language.clone()),
            &column(&|a| a.text.clone()),
            &now,
            &coder_version,
        ],
    )
    .await?;

    // Events: one row per id, in id order (the order their locks are taken),
    // the most precisely placed version of each.
    let mut unique: BTreeMap<&str, &Event> = BTreeMap::new();
    // Each event's place in the batch, for its store order.
    let mut batch_order: HashMap<&str, usize> = HashMap::new();
    let mut mentions: Vec<NewMention> = Vec::new();
    for ((article, events), seen) in fresh.iter().zip(&publish) {
        for event in *events {
            let next = batch_order.len();
            batch_order.entry(event.id.as_str()).or_insert(next);
            unique
                .entry(event.id.as_str())
                .and_modify(|kept| {
                    if more_precise(event.location.as_ref(), kept.location.as_ref()) {
                        *kept = event;
                    }
                })
                .or_insert(event);
            mentions.push(NewMention {
                event,
                article_id: &article.id,
                outlet: &article.outlet,
                seen: seen.clone().unwrap_or_else(|| now.to_string()),
            });
        }
    }
    if unique.is_empty() {
        return Ok(());
    }
    // Outlets that reported each event before this batch.
    let event_ids: Vec<&str> = unique.keys().copied().collect();
    let mut known_outlets: HashSet<(String, String)> = HashSet::new();
    for row in tx
        .query(
            "SELECT DISTINCT event_id, outlet FROM mentions WHERE event_id = ANY($1)",
            &[&event_ids],
        )
        .await?
    {
        known_outlets.insert((row.get(0), row.get(1)));
    }

    // Counts: what the batch adds to each event. The articles are new, so
    // every mention is new but for repeats of one (event, article, sentence).
    let mut added: HashMap<&str, Added> = HashMap::new();
    let mut written: HashSet<(&str, &str, u32)> = HashSet::new();
    for m in &mentions {
        let entry = added.entry(m.event.id.as_str()).or_default();
        entry.articles.insert(m.article_id);
        if !known_outlets.contains(&(m.event.id.clone(), m.outlet.to_string())) {
            entry.outlets.insert(m.outlet);
        }
        if entry.first.as_deref().is_none_or(|f| m.seen.as_str() < f) {
            entry.first = Some(m.seen.clone());
        }
        if entry.last.as_deref().is_none_or(|l| m.seen.as_str() > l) {
            entry.last = Some(m.seen.clone());
        }
        entry.mentions += m
            .event
            .mentions
            .iter()
            .filter(|x| written.insert((&m.event.id, m.article_id, x.sentence_index)))
            .count() as i64;
    }
    let inserted = upsert_events(tx, &unique, &batch_order, &added).await?;
    insert_mentions(tx, &mentions).await?;

    // Rollups: new asserted events count once; every mention counts.
    let mut rollups = RollupDeltas::default();
    let mut actors = ActorBook::default();
    for (id, event) in &unique {
        actors.add(event);
        rollups.add(
            &RollupEvent::of(event),
            i64::from(inserted.contains(*id)),
            added.get(id).map_or(0, |a| a.mentions),
        );
    }
    write_rollups(tx, &rollups).await?;
    register_actors(tx, &actors).await
}

/// Inserts the events with the counts the batch adds, or moves the counts of
/// those already stored (whose detail and place change only for a more
/// precise place): one row version per event. New events take their store
/// order (`seq`) in batch order, as on SQLite, though rows are written in id
/// order. Returns the ids this batch inserted.
async fn upsert_events(
    tx: &Transaction<'_>,
    unique: &BTreeMap<&str, &Event>,
    batch_order: &HashMap<&str, usize>,
    added: &HashMap<&str, Added<'_>>,
) -> Result<HashSet<String>> {
    let events: Vec<&Event> = unique.values().copied().collect();
    // Ascending store orders, one per event, handed out in batch order.
    let reserved: Vec<i64> = tx
        .query(
            "SELECT nextval(pg_get_serial_sequence('events', 'seq')) \
             FROM generate_series(1, $1::bigint) ORDER BY 1",
            &[&(events.len() as i64)],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let seqs: Vec<i64> = unique.keys().map(|id| reserved[batch_order[id]]).collect();
    let counts: Vec<&Added> = unique.keys().map(|id| &added[id]).collect();
    let count = |f: &dyn Fn(&Added) -> i64| -> Vec<i64> { counts.iter().map(|a| f(a)).collect() };
    let seen = |f: &dyn Fn(&Added) -> Option<String>| -> Vec<Option<String>> {
        counts.iter().map(|a| f(a)).collect()
    };
    let text =
        |f: &dyn Fn(&Event) -> String| -> Vec<String> { events.iter().map(|e| f(e)).collect() };
    let int = |f: &dyn Fn(&Event) -> i32| -> Vec<i32> { events.iter().map(|e| f(e)).collect() };
    let float = |f: &dyn Fn(&Event) -> f64| -> Vec<f64> { events.iter().map(|e| f(e)).collect() };
    let date = |e: &Event| e.date.clone().unwrap_or_default();
    let rows = tx
        .query(
            "INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, \
             plover_type, date_start, date_end, date_precision, date_basis, date_text, modality, \
             confidence, source, source_country, target, target_country, location_precision, \
             detail_json, source_role, target_role, place_country, latitude, longitude, \
             num_mentions, num_articles, num_sources, first_seen, last_seen, seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
             $5::int[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::int[], $11::int[], \
             $12::text[], $13::int[], $14::float8[], $15::text[], $16::text[], $17::text[], \
             $18::text[], $19::bigint[], $20::text[], $21::text[], $22::text[], $23::text[], \
             $24::float8[], $25::float8[], $26::bigint[], $27::bigint[], $28::bigint[], \
             $29::text[], $30::text[], $31::bigint[]) \
             ON CONFLICT (id) DO UPDATE SET \
             changed_txid = pg_current_xact_id(), changed_seq = nextval('events_changes'), \
             num_mentions = events.num_mentions + excluded.num_mentions, \
             num_articles = events.num_articles + excluded.num_articles, \
             num_sources = events.num_sources + excluded.num_sources, \
             first_seen = LEAST(COALESCE(events.first_seen, excluded.first_seen), excluded.first_seen), \
             last_seen = GREATEST(COALESCE(events.last_seen, excluded.last_seen), excluded.last_seen), \
             confidence = GREATEST(events.confidence, excluded.confidence), \
             detail_json = CASE WHEN (excluded.location_precision, excluded.detail_json) > \
             (events.location_precision, events.detail_json) \
                 THEN excluded.detail_json ELSE events.detail_json END, \
             place_country = CASE WHEN (excluded.location_precision, excluded.detail_json) > \
             (events.location_precision, events.detail_json) \
                 THEN excluded.place_country ELSE events.place_country END, \
             latitude = CASE WHEN (excluded.location_precision, excluded.detail_json) > \
             (events.location_precision, events.detail_json) \
                 THEN excluded.latitude ELSE events.latitude END, \
             longitude = CASE WHEN (excluded.location_precision, excluded.detail_json) > \
             (events.location_precision, events.detail_json) \
                 THEN excluded.longitude ELSE events.longitude END, \
             location_precision = GREATEST(events.location_precision, excluded.location_precision) \
             RETURNING id, xmax = 0",
            &[
                &text(&|e| e.id.clone()),
                &text(&|e| e.cameo_code.clone()),
                &text(&|e| e.cameo_root.clone()),
                &text(&|e| e.cameo_name.clone()),
                &int(&|e| e.quad_class),
                &float(&|e| e.goldstein),
                &text(&|e| e.plover_type.clone()),
                &text(&|e| date(e).start_date),
                &text(&|e| date(e).end_date),
                &int(&|e| date(e).precision),
                &int(&|e| date(e).basis),
                &text(&|e| date(e).text),
                &int(&|e| e.modality),
                &float(&|e| e.confidence),
                &text(&|e| code_and_country(e.source.as_ref()).0),
                &text(&|e| code_and_country(e.source.as_ref()).1),
                &text(&|e| code_and_country(e.target.as_ref()).0),
                &text(&|e| code_and_country(e.target.as_ref()).1),
                &events
                    .iter()
                    .map(|e| place_rank(e.location.as_ref()))
                    .collect::<Vec<i64>>(),
                &text(&Detail::json_of),
                &text(&|e| role_of(e.source.as_ref())),
                &text(&|e| role_of(e.target.as_ref())),
                &text(&|e| place_columns(e).0),
                &events
                    .iter()
                    .map(|e| place_columns(e).1)
                    .collect::<Vec<Option<f64>>>(),
                &events
                    .iter()
                    .map(|e| place_columns(e).2)
                    .collect::<Vec<Option<f64>>>(),
                &count(&|a| a.mentions),
                &count(&|a| a.articles.len() as i64),
                &count(&|a| a.outlets.len() as i64),
                &seen(&|a| a.first.clone()),
                &seen(&|a| a.last.clone()),
                &seqs,
            ],
        )
        .await?;
    Ok(rows
        .iter()
        .filter(|row| row.get::<_, bool>(1))
        .map(|row| row.get(0))
        .collect())
}

/// Inserts the mentions, leaving out repeats (the same event, outlet,
/// article and sentence).
async fn insert_mentions(tx: &Transaction<'_>, mentions: &[NewMention<'_>]) -> Result<()> {
    let all: Vec<(&NewMention, &dyad_proto::v1::Mention)> = mentions
        .iter()
        .flat_map(|m| m.event.mentions.iter().map(move |mention| (m, mention)))
        .collect();
    let text = |f: &dyn Fn(&NewMention, &dyad_proto::v1::Mention) -> String| -> Vec<String> {
        all.iter().map(|(m, mention)| f(m, mention)).collect()
    };
    let number = |f: &dyn Fn(&dyad_proto::v1::Mention) -> u32| -> Vec<i64> {
        all.iter()
            .map(|(_, mention)| i64::from(f(mention)))
            .collect()
    };
    tx.execute(
        "INSERT INTO mentions (event_id, article_id, sentence_index, sentence_start, \
         sentence_end, sentence_text, rule, modality, confidence, coder_version, outlet, \
         seen_time) SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[], \
         $5::bigint[], $6::text[], $7::text[], $8::int[], $9::float8[], $10::text[], $11::text[], \
         $12::text[]) ON CONFLICT DO NOTHING",
        &[
            &text(&|m, _| m.event.id.clone()),
            &text(&|m, _| m.article_id.to_string()),
            &number(&|x| x.sentence_index),
            &number(&|x| x.sentence_start),
            &number(&|x| x.sentence_end),
            &text(&|_, x| x.sentence_text.clone()),
            &text(&|_, x| x.rule.clone()),
            &all.iter().map(|(_, x)| x.modality).collect::<Vec<i32>>(),
            &all.iter().map(|(_, x)| x.confidence).collect::<Vec<f64>>(),
            &text(&|_, x| x.coder_version.clone()),
            &text(&|m, _| m.outlet.to_string()),
            &text(&|m, _| m.seen.clone()),
        ],
    )
    .await?;
    Ok(())
}

/// Writes a batch's rollup moves, one statement per table, dropping rows
/// that fall to nothing.
async fn write_rollups(tx: &Transaction<'_>, deltas: &RollupDeltas) -> Result<()> {
    for table in RollupTable::ALL {
        let rows = deltas.of_table(table);
        if rows.is_empty() {
            continue;
        }
        let key = |f: &dyn Fn(&RollupKey) -> String| -> Vec<String> {
            rows.iter().map(|(k, _)| f(k)).collect()
        };
        let delta = |f: &dyn Fn(&RollupDelta) -> i64| -> Vec<i64> {
            rows.iter().map(|(_, d)| f(d)).collect()
        };
        let precisions: Vec<i32> = rows.iter().map(|(k, _)| k.precision).collect();
        let name = table.name();
        tx.execute(
            &format!(
                "INSERT INTO {name} AS d (source, target, day, date_precision, source_country, \
                 target_country, events, verbal_cooperation, material_cooperation, \
                 verbal_conflict, material_conflict, goldstein_sum, mentions) SELECT * FROM \
                 UNNEST($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], \
                 $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], \
                 $12::float8[], $13::bigint[]) \
                 ON CONFLICT (source, target, day, date_precision) DO UPDATE SET \
                 events = d.events + excluded.events, \
                 verbal_cooperation = d.verbal_cooperation + excluded.verbal_cooperation, \
                 material_cooperation = d.material_cooperation + excluded.material_cooperation, \
                 verbal_conflict = d.verbal_conflict + excluded.verbal_conflict, \
                 material_conflict = d.material_conflict + excluded.material_conflict, \
                 goldstein_sum = d.goldstein_sum + excluded.goldstein_sum, \
                 mentions = d.mentions + excluded.mentions"
            ),
            &[
                &key(&|k| k.source.clone()),
                &key(&|k| k.target.clone()),
                &key(&|k| k.day.clone()),
                &precisions,
                &rows
                    .iter()
                    .map(|(_, d)| d.source_country.clone())
                    .collect::<Vec<_>>(),
                &rows
                    .iter()
                    .map(|(_, d)| d.target_country.clone())
                    .collect::<Vec<_>>(),
                &delta(&|d| d.events),
                &delta(&|d| d.quads[0]),
                &delta(&|d| d.quads[1]),
                &delta(&|d| d.quads[2]),
                &delta(&|d| d.quads[3]),
                &rows.iter().map(|(_, d)| d.goldstein).collect::<Vec<f64>>(),
                &delta(&|d| d.mentions),
            ],
        )
        .await?;
        if rows.iter().any(|(_, d)| d.events < 0 || d.mentions < 0) {
            tx.execute(
                &format!(
                    "DELETE FROM {name} WHERE (source, target, day, date_precision) IN \
                     (SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int[])) \
                     AND events <= 0 AND mentions <= 0"
                ),
                &[
                    &key(&|k| k.source.clone()),
                    &key(&|k| k.target.clone()),
                    &key(&|k| k.day.clone()),
                    &precisions,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// Registers a batch's actors and the names they appeared under.
async fn register_actors(tx: &Transaction<'_>, book: &ActorBook) -> Result<()> {
    if book.actors.is_empty() {
        return Ok(());
    }
    let actors: Vec<&dyad_proto::v1::Actor> = book.actors.values().collect();
    let text = |f: &dyn Fn(&dyad_proto::v1::Actor) -> String| -> Vec<String> {
        actors.iter().map(|a| f(a)).collect()
    };
    tx.execute(
        "INSERT INTO actors (code, name, country, role, kind) SELECT * FROM UNNEST($1::text[], \
         $2::text[], $3::text[], $4::text[], $5::int[]) ON CONFLICT DO NOTHING",
        &[
            &text(&|a| a.code.clone()),
            &text(&|a| a.name.clone()),
            &text(&|a| a.country_code.clone()),
            &text(&|a| a.role.clone()),
            &actors.iter().map(|a| a.kind).collect::<Vec<i32>>(),
        ],
    )
    .await?;
    let (codes, names): (Vec<&str>, Vec<&str>) = book
        .names
        .iter()
        .map(|(code, name)| (code.as_str(), name.as_str()))
        .unzip();
    tx.execute(
        "INSERT INTO actor_names (code, name) SELECT * FROM UNNEST($1::text[], $2::text[]) \
         ON CONFLICT DO NOTHING",
        &[&codes, &names],
    )
    .await?;
    Ok(())
}
