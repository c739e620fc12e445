//! Mapping between `dyad.v1` messages and SQLite rows.

use dyad_proto::v1::{Event, EventDate, Mention, Modality};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::{
    StoreError,
    detail::{ActorBook, Detail, code_and_country, location_rank, place_columns, role_of},
    rollup::{RollupDeltas, RollupEvent, RollupTable},
};

/// Inserts an event, or, when the happening is already stored, keeps the
/// stored row and only takes the new place if it is more precise. Returns
/// how many mentions the event had before (0 for a new one).
pub fn upsert_event(tx: &Transaction, event: &Event) -> rusqlite::Result<i64> {
    let date = event.date.clone().unwrap_or_default();
    let (source, source_country) = code_and_country(event.source.as_ref());
    let (target, target_country) = code_and_country(event.target.as_ref());
    let detail = Detail::json_of(event);
    let location_precision = location_rank(event.location.as_ref());
    let (place_country, latitude, longitude) = place_columns(event);
    // A stored row takes the new detail and place only when they are more
    // precise. New rows are numbered in store order (for watching).
    tx.prepare_cached(
        "INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, \
         plover_type, date_start, date_end, date_precision, date_basis, date_text, modality, \
         confidence, source, source_country, target, target_country, location_precision, \
         detail_json, source_role, target_role, place_country, latitude, longitude, seq) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24, ?25, (SELECT coalesce(max(seq), 0) + 1 FROM events)) \
         ON CONFLICT (id) DO UPDATE SET \
         detail_json = CASE WHEN excluded.location_precision > events.location_precision \
             THEN excluded.detail_json ELSE events.detail_json END, \
         place_country = CASE WHEN excluded.location_precision > events.location_precision \
             THEN excluded.place_country ELSE events.place_country END, \
         latitude = CASE WHEN excluded.location_precision > events.location_precision \
             THEN excluded.latitude ELSE events.latitude END, \
         longitude = CASE WHEN excluded.location_precision > events.location_precision \
             THEN excluded.longitude ELSE events.longitude END, \
         location_precision = max(events.location_precision, excluded.location_precision) \
         RETURNING num_mentions",
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
        ],
        |row| row.get(0),
    )
}

/// Inserts the mentions of an event in article `article_id`; returns how
/// many were new.
pub fn insert_mentions(
    tx: &Transaction,
    event: &Event,
    article_id: &str,
    outlet: &str,
    seen_time: &str,
) -> rusqlite::Result<usize> {
    let mut added = 0;
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO mentions (event_id, article_id, sentence_index, sentence_start, \
         sentence_end, sentence_text, rule, modality, confidence, coder_version, outlet, seen_time) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for mention in &event.mentions {
        added += stmt.execute(params![
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
    Ok(added)
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
    })
}
