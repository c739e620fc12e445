//! Mapping between `dyad.v1` messages and SQLite rows.

use dyad_proto::v1::{Event, EventDate, Mention, Modality};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::{
    StoreError,
    detail::{ActorBook, Detail, code_and_country, place_columns, role_of},
    policy::place_rank,
    rollup::{RollupDeltas, RollupEvent, RollupTable},
};

/// What one article adds to an event's counts.
#[derive(Debug, Clone, Copy)]
pub struct NewMentions<'a> {
    /// Mentions the article adds.
    pub mentions: i64,
    /// Whether the article reports the event for the first time (it then
    /// counts once more among the articles, and among the sources unless
    /// its outlet reported the event before).
    pub first_in_article: bool,
    /// The article's outlet.
    pub outlet: &'a str,
    /// When the article was seen.
    pub seen: &'a str,
}

/// Inserts an event with the counts `added` brings, or, when the happening
/// is already stored, moves its counts by them and takes the new place only
/// if it is more precise: one statement, before the article's mentions are
/// written. Returns how many mentions the event had before (0 for a new one).
pub fn upsert_event(tx: &Transaction, event: &Event, added: &NewMentions) -> rusqlite::Result<i64> {
    let date = event.date.clone().unwrap_or_default();
    let (source, source_country) = code_and_country(event.source.as_ref());
    let (target, target_country) = code_and_country(event.target.as_ref());
    let detail = Detail::json_of(event);
    let location_precision = place_rank(event.location.as_ref());
    let (place_country, latitude, longitude) = place_columns(event);
    // A stored row takes the new detail and place only when they are more
    // precise (as precise: the detail later in byte order, so that what is
    // kept does not depend on which article came first). New rows are numbered in store order (for watching).
    tx.prepare_cached(
        "INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, \
         plover_type, date_start, date_end, date_precision, date_basis, date_text, modality, \
         confidence, source, source_country, target, target_country, location_precision, \
         detail_json, source_role, target_role, place_country, latitude, longitude, seq, \
         num_mentions, num_articles, num_sources, first_seen, last_seen, changed) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24, ?25, (SELECT coalesce(max(seq), 0) + 1 FROM events), \
         ?26, ?27, ?27, ?29, ?29, (SELECT coalesce(max(changed), 0) + 1 FROM events)) \
         ON CONFLICT (id) DO UPDATE SET \
         changed = excluded.changed, \
         num_mentions = events.num_mentions + excluded.num_mentions, \
         num_articles = events.num_articles + excluded.num_articles, \
         num_sources = events.num_sources + (excluded.num_sources AND NOT EXISTS \
             (SELECT 1 FROM mentions WHERE event_id = excluded.id AND outlet = ?28)), \
         first_seen = min(coalesce(events.first_seen, excluded.first_seen), excluded.first_seen), \
         last_seen = max(coalesce(events.last_seen, excluded.last_seen), excluded.last_seen), \
         confidence = max(events.confidence, excluded.confidence), \
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
         location_precision = max(events.location_precision, excluded.location_precision) \
         RETURNING num_mentions - ?26",
    )?
    .query_row(
        params![
            event.id,
            event.cameo_code,
            event.cameo_root,
            event.cameo_name,
            event.quad_class,
            event.goldstein,
            event.plover_type,
            date.start_date,
            date.end_date,
            date.precision,
            date.basis,
            date.text,
            event.modality,
            event.confidence,
            source,
            source_country,
            target,
            target_country,
            location_precision,
            detail,
            role_of(event.source.as_ref()),
            role_of(event.target.as_ref()),
            place_country,
            latitude,
            longitude,
            added.mentions,
            added.first_in_article,
            added.outlet,
            added.seen,
        ],
        |row| row.get(0),
    )
}

/// Inserts the mentions of an event in article `article_id` (a mention
/// already stored is left as it is).
pub fn insert_mentions(
    tx: &Transaction,
    event: &Event,
    article_id: &str,
    outlet: &str,
    seen_time: &str,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO mentions (event_id, article_id, sentence_index, sentence_start, \
         sentence_end, sentence_text, rule, modality, confidence, coder_version, outlet, seen_time) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for mention in &event.mentions {
        stmt.execute(params![
            event.id,
            article_id,
            mention.sentence_index,
            mention.sentence_start,
            mention.sentence_end,
            mention.sentence_text,
            mention.rule,
            mention.modality,
            mention.confidence,
            mention.coder_version,
            outlet,
            seen_time,
        ])?;
    }
    Ok(())
}

/// The rollup view of a stored event.
pub fn rollup_event(tx: &Transaction, id: &str) -> rusqlite::Result<Option<RollupEvent>> {
    tx.prepare_cached(
        "SELECT source, target, date_start, date_precision, source_country, target_country, \
         quad_class, goldstein, modality FROM events WHERE id = ?1",
    )?
    .query_row([id], |row| {
        Ok(RollupEvent {
            source: row.get(0)?,
            target: row.get(1)?,
            day: row.get(2)?,
            precision: row.get(3)?,
            source_country: row.get(4)?,
            target_country: row.get(5)?,
            quad_class: row.get(6)?,
            goldstein: row.get(7)?,
            asserted: row.get::<_, i32>(8)? == Modality::Asserted as i32,
        })
    })
    .optional()
}

/// Writes a batch's rollup moves, dropping rows that fall to nothing.
pub fn write_rollups(tx: &Transaction, deltas: &RollupDeltas) -> rusqlite::Result<()> {
    for table in RollupTable::ALL {
        let name = table.name();
        let mut upsert = tx.prepare_cached(&format!(
            "INSERT INTO {name} (source, target, day, date_precision, source_country, \
             target_country, events, verbal_cooperation, material_cooperation, verbal_conflict, \
             material_conflict, goldstein_sum, mentions) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
             ON CONFLICT (source, target, day, date_precision) DO UPDATE SET \
             events = events + excluded.events, \
             verbal_cooperation = verbal_cooperation + excluded.verbal_cooperation, \
             material_cooperation = material_cooperation + excluded.material_cooperation, \
             verbal_conflict = verbal_conflict + excluded.verbal_conflict, \
             material_conflict = material_conflict + excluded.material_conflict, \
             goldstein_sum = goldstein_sum + excluded.goldstein_sum, \
             mentions = mentions + excluded.mentions"
        ))?;
        let mut shrank = false;
        for (key, delta) in deltas.of_table(table) {
            upsert.execute(params![
                key.source,
                key.target,
                key.day,
                key.precision,
                delta.source_country,
                delta.target_country,
                delta.events,
                delta.quads[0],
                delta.quads[1],
                delta.quads[2],
                delta.quads[3],
                delta.goldstein,
                delta.mentions,
            ])?;
            shrank |= delta.events < 0 || delta.mentions < 0;
        }
        if shrank {
            tx.execute(
                &format!("DELETE FROM {name} WHERE events <= 0 AND mentions <= 0"),
                [],
            )?;
        }
    }
    Ok(())
}

/// Registers a batch's actors and the names they appeared under.
pub fn register_actors(tx: &Transaction, book: &ActorBook) -> rusqlite::Result<()> {
    let mut actor = tx.prepare_cached(
        "INSERT OR IGNORE INTO actors (code, name, country, role, kind) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for a in book.actors.values() {
        actor.execute(params![a.code, a.name, a.country_code, a.role, a.kind])?;
    }
    let mut name =
        tx.prepare_cached("INSERT OR IGNORE INTO actor_names (code, name) VALUES (?1, ?2)")?;
    for (code, text) in &book.names {
        name.execute(params![code, text])?;
    }
    Ok(())
}

/// Reads an event (without mentions) from a row of `listing::EVENT_COLUMNS`.
pub fn event_from_row(row: &Row) -> rusqlite::Result<Result<Event, StoreError>> {
    let detail_json: String = row.get(14)?;
    let detail = match Detail::parse(&detail_json) {
        Ok(detail) => detail,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(Event {
        id: row.get(0)?,
        cameo_code: row.get(1)?,
        cameo_root: row.get(2)?,
        cameo_name: row.get(3)?,
        quad_class: row.get(4)?,
        goldstein: row.get(5)?,
        plover_type: row.get(6)?,
        date: Some(EventDate {
            start_date: row.get(7)?,
            end_date: row.get(8)?,
            precision: row.get(9)?,
            basis: row.get(10)?,
            text: row.get(11)?,
        }),
        modality: row.get(12)?,
        confidence: row.get(13)?,
        source: detail.source,
        target: detail.target,
        reported_by: detail.reported_by,
        location: detail.location,
        mentions: Vec::new(),
        num_mentions: row.get(15)?,
        num_articles: row.get(16)?,
        num_sources: row.get(17)?,
        first_seen: crate::encoding::text_to_timestamp(row.get(18)?),
        last_seen: crate::encoding::text_to_timestamp(row.get(19)?),
    }))
}

/// Reads a mention from a row of `listing::MENTION_COLUMNS`.
pub fn mention_from_row(row: &Row) -> rusqlite::Result<Mention> {
    Ok(Mention {
        article_id: row.get(0)?,
        sentence_index: row.get(1)?,
        sentence_start: row.get(2)?,
        sentence_end: row.get(3)?,
        sentence_text: row.get(4)?,
        rule: row.get(5)?,
        modality: row.get(6)?,
        confidence: row.get(7)?,
        coder_version: row.get(8)?,
        outlet: row.get(9)?,
        article_url: row.get(10)?,
    })
}
