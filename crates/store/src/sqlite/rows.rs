//! Mapping between `dyad.v1` messages and SQLite rows.

use dyad_proto::v1::{Actor, Event, EventDate, Location, Mention};
use rusqlite::{Row, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// The parts of an event kept as JSON (proto3 JSON mapping): actors and place.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Detail {
    source: Option<Actor>,
    target: Option<Actor>,
    reported_by: Option<Actor>,
    location: Option<Location>,
}

/// Columns selected for an event, in the order [`event_from_row`] reads them.
pub const EVENT_COLUMNS: &str = "id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, \
    plover_type, date_start, date_end, date_precision, date_basis, date_text, modality, \
    confidence, detail_json";

/// Inserts an event and its mentions.
pub fn insert_event(
    tx: &Transaction,
    article_id: &str,
    seq: usize,
    event: &Event,
) -> rusqlite::Result<()> {
    let date = event.date.clone().unwrap_or_default();
    let code = |a: &Option<Actor>| a.as_ref().map(|a| a.code.clone());
    let country = |a: &Option<Actor>| a.as_ref().map(|a| a.country_code.clone());
    let detail = Detail {
        source: event.source.clone(),
        target: event.target.clone(),
        reported_by: event.reported_by.clone(),
        location: event.location.clone(),
    };
    let detail = serde_json::to_string(&detail)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute(
        "INSERT INTO events (id, article_id, seq, cameo_code, cameo_root, cameo_name, quad_class, \
         goldstein, plover_type, date_start, date_end, date_precision, date_basis, date_text, \
         modality, confidence, source, source_country, target, target_country, detail_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        params![
            event.id,
            article_id,
            seq as i64,
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
            code(&event.source).unwrap_or_default(),
            country(&event.source).unwrap_or_default(),
            code(&event.target),
            country(&event.target),
            detail,
        ],
    )?;
    for mention in &event.mentions {
        tx.execute(
            "INSERT OR IGNORE INTO mentions (event_id, article_id, sentence_index, sentence_start, \
             sentence_end, sentence_text, rule, modality, confidence, coder_version) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                event.id,
                mention.article_id,
                mention.sentence_index,
                mention.sentence_start,
                mention.sentence_end,
                mention.sentence_text,
                mention.rule,
                mention.modality,
                mention.confidence,
                mention.coder_version,
            ],
        )?;
    }
    Ok(())
}

/// Reads an event (without mentions) from a row of [`EVENT_COLUMNS`].
pub fn event_from_row(row: &Row) -> rusqlite::Result<Result<Event, StoreError>> {
    let detail_json: String = row.get(14)?;
    let detail: Detail = match serde_json::from_str(&detail_json) {
        Ok(detail) => detail,
        Err(e) => return Ok(Err(StoreError::Corrupt(format!("event detail: {e}")))),
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

/// Columns of a mention, in the order [`mention_from_row`] reads them.
pub const MENTION_COLUMNS: &str = "article_id, sentence_index, sentence_start, sentence_end, \
    sentence_text, rule, modality, confidence, coder_version";
