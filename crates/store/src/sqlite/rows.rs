//! Mapping between `dyad.v1` messages and SQLite rows.

use dyad_proto::v1::{Event, EventDate, Mention};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::{
    StoreError,
    detail::{Detail, code_and_country, location_rank},
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
    tx.prepare_cached(
        "INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, \
         plover_type, date_start, date_end, date_precision, date_basis, date_text, modality, \
         confidence, source, source_country, target, target_country, location_precision, \
         detail_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
         ON CONFLICT (id) DO UPDATE SET \
         detail_json = CASE WHEN excluded.location_precision > events.location_precision \
             THEN excluded.detail_json ELSE events.detail_json END, \
         location_precision = max(events.location_precision, excluded.location_precision) \
         RETURNING num_mentions",
    )?
    .query_row(params![
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
    ], |row| row.get(0))
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

/// What the relation rollup needs to know of an event.
pub struct RollupKey {
    source: String,
    target: String,
    day: String,
    precision: i64,
    source_country: String,
    target_country: String,
    quad_class: i64,
    goldstein: f64,
    /// The event's modality; only asserted events are rolled up.
    pub modality: i32,
}

impl RollupKey {
    /// The key of an event about to be stored. Source, target, day and
    /// precision are part of the event's identity, so they equal those of
    /// the stored row of the same id.
    pub fn of(event: &Event) -> Self {
        let date = event.date.clone().unwrap_or_default();
        let (source, source_country) = code_and_country(event.source.as_ref());
        let (target, target_country) = code_and_country(event.target.as_ref());
        Self {
            source,
            target,
            day: date.start_date,
            precision: i64::from(date.precision),
            source_country,
            target_country,
            quad_class: i64::from(event.quad_class),
            goldstein: event.goldstein,
            modality: event.modality,
        }
    }
}

/// The rollup key of a stored event.
pub fn rollup_key(tx: &Transaction, id: &str) -> rusqlite::Result<Option<RollupKey>> {
    tx.prepare_cached(
        "SELECT source, target, date_start, date_precision, source_country, target_country, \
         quad_class, goldstein, modality FROM events WHERE id = ?1",
    )?
    .query_row([id], |row| {
        Ok(RollupKey {
            source: row.get(0)?,
            target: row.get(1)?,
            day: row.get(2)?,
            precision: row.get(3)?,
            source_country: row.get(4)?,
            target_country: row.get(5)?,
            quad_class: row.get(6)?,
            goldstein: row.get(7)?,
            modality: row.get(8)?,
        })
    })
    .optional()
}

/// Moves the rollup row of an event's dyad and day by `events` events and
/// `mentions` mentions, dropping the row when it falls to nothing.
pub fn move_rollup(
    tx: &Transaction,
    key: &RollupKey,
    events: i64,
    mentions: i64,
) -> rusqlite::Result<()> {
    if events == 0 && mentions == 0 {
        return Ok(());
    }
    let quad = |q: i64| if key.quad_class == q { events } else { 0 };
    tx.prepare_cached(
        "INSERT INTO dyad_days (source, target, day, date_precision, source_country, \
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
         mentions = mentions + excluded.mentions",
    )?
    .execute(params![
        key.source,
        key.target,
        key.day,
        key.precision,
        key.source_country,
        key.target_country,
        events,
        quad(1),
        quad(2),
        quad(3),
        quad(4),
        key.goldstein * events as f64,
        mentions,
    ])?;
    if events < 0 || mentions < 0 {
        tx.prepare_cached(
            "DELETE FROM dyad_days WHERE source = ?1 AND target = ?2 AND day = ?3 \
             AND date_precision = ?4 AND events <= 0 AND mentions <= 0",
        )?
        .execute(params![key.source, key.target, key.day, key.precision])?;
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

/// Reads a mention from a row of `article_id, sentence_index, sentence_start,
/// sentence_end, sentence_text, rule, modality, confidence, coder_version`.
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
    })
}
