//! The SQLite schema, as numbered migrations applied at start.

use rusqlite::Connection;

use crate::StoreError;

/// The columns every rollup table has before its key (see rollup.rs): the
/// sides, the day or month, the date precision, the counts.
macro_rules! rollup_columns {
    () => {
        r#"    source               TEXT NOT NULL,
    target               TEXT NOT NULL,
    day                  TEXT NOT NULL,
    date_precision       INTEGER NOT NULL,
    source_country       TEXT NOT NULL,
    target_country       TEXT NOT NULL,
    events               INTEGER NOT NULL,
    verbal_cooperation   INTEGER NOT NULL,
    material_cooperation INTEGER NOT NULL,
    verbal_conflict      INTEGER NOT NULL,
    material_conflict    INTEGER NOT NULL,
    goldstein_sum        REAL NOT NULL,
    mentions             INTEGER NOT NULL,
"#
    };
}

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    title         TEXT NOT NULL,
    outlet        TEXT NOT NULL,
    publish_time  TEXT,
    language      TEXT NOT NULL,
    text          TEXT NOT NULL,
    ingest_time   TEXT NOT NULL,
    coder_version TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_by_url ON articles (url) WHERE url <> '';

-- One row per happening, however many articles report it. Rowid tables:
-- new rows are appended, and only the small index entries land at random
-- places, which keeps the pages a batch rewrites few.
CREATE TABLE events (
    id                 TEXT PRIMARY KEY,
    cameo_code         TEXT NOT NULL,
    cameo_root         TEXT NOT NULL,
    cameo_name         TEXT NOT NULL,
    quad_class         INTEGER NOT NULL,
    goldstein          REAL NOT NULL,
    plover_type        TEXT NOT NULL,
    date_start         TEXT NOT NULL,
    date_end           TEXT NOT NULL,
    date_precision     INTEGER NOT NULL,
    date_basis         INTEGER NOT NULL,
    date_text          TEXT NOT NULL,
    modality           INTEGER NOT NULL,
    confidence         REAL NOT NULL,
    source             TEXT NOT NULL,
    source_country     TEXT NOT NULL,
    target             TEXT NOT NULL,
    target_country     TEXT NOT NULL,
    location_precision INTEGER NOT NULL,
    detail_json        TEXT NOT NULL,
    num_mentions       INTEGER NOT NULL DEFAULT 0,
    num_articles       INTEGER NOT NULL DEFAULT 0,
    num_sources        INTEGER NOT NULL DEFAULT 0,
    first_seen         TEXT,
    last_seen          TEXT
);
-- Actor codes start with their country's code, so these serve country
-- filters too (a range of codes); CAMEO roots are filtered along a date or
-- actor range.
CREATE INDEX events_by_date ON events (date_start, id);
CREATE INDEX events_by_source ON events (source, date_start, id);
CREATE INDEX events_by_target ON events (target, date_start, id);

CREATE TABLE mentions (
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id      TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_index  INTEGER NOT NULL,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL,
    sentence_text   TEXT NOT NULL,
    rule            TEXT NOT NULL,
    modality        INTEGER NOT NULL,
    confidence      REAL NOT NULL,
    coder_version   TEXT NOT NULL,
    outlet          TEXT NOT NULL,
    seen_time       TEXT,
    -- The outlet (a function of the article) in the key answers "has this
    -- outlet reported the event before?" without another index.
    PRIMARY KEY (event_id, outlet, article_id, sentence_index)
);
CREATE INDEX mentions_by_article ON mentions (article_id, sentence_index);

-- Relation rollup: asserted events per directed dyad, event day and date
-- precision, kept up to date in the transaction that stores an article.
CREATE TABLE dyad_days (
    source               TEXT NOT NULL,
    target               TEXT NOT NULL,
    day                  TEXT NOT NULL,
    date_precision       INTEGER NOT NULL,
    source_country       TEXT NOT NULL,
    target_country       TEXT NOT NULL,
    events               INTEGER NOT NULL,
    verbal_cooperation   INTEGER NOT NULL,
    material_cooperation INTEGER NOT NULL,
    verbal_conflict      INTEGER NOT NULL,
    material_conflict    INTEGER NOT NULL,
    goldstein_sum        REAL NOT NULL,
    mentions             INTEGER NOT NULL,
    PRIMARY KEY (source, target, day, date_precision)
) WITHOUT ROWID;
CREATE INDEX dyad_days_by_countries ON dyad_days (source_country, target_country, day);
"#,
    concat!(
        r#"
-- Version 2: what the query service filters and groups on.
-- Event columns for role, place and store order, filled from the detail.
ALTER TABLE events ADD COLUMN source_role TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN target_role TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN place_country TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN latitude REAL;
ALTER TABLE events ADD COLUMN longitude REAL;
ALTER TABLE events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE events SET
    source_role = coalesce(json_extract(detail_json, '$.source.role'), ''),
    target_role = coalesce(json_extract(detail_json, '$.target.role'), ''),
    place_country = coalesce(json_extract(detail_json, '$.location.countryCode'), ''),
    latitude = CASE WHEN json_extract(detail_json, '$.location') IS NOT NULL
        THEN coalesce(json_extract(detail_json, '$.location.latitude'), 0) END,
    longitude = CASE WHEN json_extract(detail_json, '$.location') IS NOT NULL
        THEN coalesce(json_extract(detail_json, '$.location.longitude'), 0) END,
    seq = rowid;
CREATE INDEX events_by_seq ON events (seq);
CREATE INDEX events_by_place ON events (place_country, date_start);
CREATE INDEX events_by_source_country ON events (source_country, date_start, id);
CREATE INDEX events_by_target_country ON events (target_country, date_start, id);

-- Relation rollups (see rollup.rs): the day table gains target-side
-- indexes; month tables per dyad, actor, country and in total.
CREATE INDEX dyad_days_by_target ON dyad_days (target, day);
CREATE INDEX dyad_days_by_target_country ON dyad_days (target_country, day);
-- Month tables are keyed source first, then month: an actor's relations
-- in a window are one contiguous range.
CREATE TABLE dyad_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, day, target, date_precision)
) WITHOUT ROWID;
CREATE INDEX dyad_months_by_target ON dyad_months (target, day);
-- The same per pair of countries (`source` and `target` hold the
-- countries): relations and graphs of countries read a few rows per
-- counterpart and month; a graph reads a window from the covering index.
CREATE TABLE country_dyad_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, day, target, date_precision)
) WITHOUT ROWID;
CREATE INDEX country_dyad_months_by_target ON country_dyad_months (target, day);
CREATE INDEX country_dyad_months_by_day ON country_dyad_months (day, source, target, date_precision, events, verbal_cooperation, material_cooperation, verbal_conflict, material_conflict, goldstein_sum, mentions);
CREATE TABLE actor_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, target, day, date_precision)
) WITHOUT ROWID;
CREATE TABLE country_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, target, day, date_precision)
) WITHOUT ROWID;
CREATE TABLE total_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, target, day, date_precision)
) WITHOUT ROWID;
INSERT INTO dyad_months SELECT source, target, substr(day, 1, 8) || '01', date_precision,
    source_country, target_country, sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM dyad_days GROUP BY source, target, substr(day, 1, 8) || '01', date_precision;
INSERT INTO country_dyad_months SELECT source_country, target_country, day, date_precision,
    source_country, target_country, sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM dyad_months GROUP BY source_country, target_country, day, date_precision;
INSERT INTO actor_months SELECT actor, '', day, date_precision, country, '', sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM (SELECT source AS actor, source_country AS country, * FROM dyad_months
          UNION ALL
          SELECT target, target_country, * FROM dyad_months WHERE target <> source)
    GROUP BY actor, day, date_precision;
INSERT INTO country_months SELECT country, '', day, date_precision, country, '', sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM (SELECT source_country AS country, * FROM dyad_months
          UNION ALL
          SELECT target_country, * FROM dyad_months WHERE target_country <> source_country)
    GROUP BY country, day, date_precision;
INSERT INTO total_months SELECT '', '', day, date_precision, '', '', sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM dyad_months GROUP BY day, date_precision;

-- Actors seen in events, for search; kinds of actors stored before this
-- version are unknown (0).
CREATE TABLE actors (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL,
    role    TEXT NOT NULL,
    kind    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE actor_names (
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (code, name)
) WITHOUT ROWID;
INSERT OR IGNORE INTO actors SELECT code, name, country, role, 0 FROM (
    SELECT source AS code, coalesce(json_extract(detail_json, '$.source.name'), '') AS name, source_country AS country,
        source_role AS role FROM events
    UNION ALL
    SELECT target, coalesce(json_extract(detail_json, '$.target.name'), ''), target_country, target_role FROM events)
    WHERE code <> '';
"#
    ),
    r#"
-- Version 3: event indexes without the id. Every index entry already ends
-- with the row's rowid, which tells rows apart; events of one date are put
-- in id order by a sort of that date's few rows. The indexes are a third
-- smaller, and a batch of new events rewrites fewer of their pages.
DROP INDEX events_by_date;
CREATE INDEX events_by_date ON events (date_start);
DROP INDEX events_by_source;
CREATE INDEX events_by_source ON events (source, date_start);
DROP INDEX events_by_target;
CREATE INDEX events_by_target ON events (target, date_start);
DROP INDEX events_by_source_country;
CREATE INDEX events_by_source_country ON events (source_country, date_start);
DROP INDEX events_by_target_country;
CREATE INDEX events_by_target_country ON events (target_country, date_start);
"#,
    concat!(
        r#"
-- Version 4: listings order the events of one date by store order (`seq`,
-- a few bytes), which the date-ordered indexes now end with: a page is read
-- straight from an index, without sorting a busy date's rows.
DROP INDEX events_by_date;
CREATE INDEX events_by_date ON events (date_start, seq);
DROP INDEX events_by_source;
CREATE INDEX events_by_source ON events (source, date_start, seq);
DROP INDEX events_by_target;
CREATE INDEX events_by_target ON events (target, date_start, seq);
DROP INDEX events_by_source_country;
CREATE INDEX events_by_source_country ON events (source_country, date_start, seq);
DROP INDEX events_by_target_country;
CREATE INDEX events_by_target_country ON events (target_country, date_start, seq);

-- Country pairs per year: a graph over whole years reads each pair once a
-- year (see rollup.rs).
CREATE TABLE country_dyad_years (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, day, target, date_precision)
) WITHOUT ROWID;
CREATE INDEX country_dyad_years_by_target ON country_dyad_years (target, day);
CREATE INDEX country_dyad_years_by_day ON country_dyad_years (day, source, target, date_precision, events, verbal_cooperation, material_cooperation, verbal_conflict, material_conflict, goldstein_sum, mentions);
INSERT INTO country_dyad_years SELECT source, target, substr(day, 1, 5) || '01-01', date_precision,
    source_country, target_country, sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM country_dyad_months GROUP BY source, target, substr(day, 1, 5) || '01-01', date_precision;
"#
    ),
    // A country's day rollups as the source over a stretch of days ("A00"
    // to anyone on 2022-12-31, the odd day of a window's previous period):
    // by source country and day, as `dyad_days_by_target_country` serves
    // the target side. Without it SQLite walks every day of the country.
    "CREATE INDEX dyad_days_by_source_country ON dyad_days (source_country, day);",
    // Watching sends an event again when it gains a report: `changed`
    // numbers every insert and every change of counts in the order they
    // were written (`seq` keeps the order of first storing, for listings).
    r#"
ALTER TABLE events ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
UPDATE events SET changed = seq;
CREATE INDEX events_by_change ON events (changed);
"#,
];

/// Newest schema version this binary knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database to [`SCHEMA_VERSION`], refusing one that is newer.
pub fn migrate(conn: &mut Connection, location: &str) -> Result<(), StoreError> {
    let open_error = |e: rusqlite::Error| StoreError::Open {
        location: location.to_string(),
        reason: e.to_string(),
    };
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(open_error)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            location: location.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().map_err(open_error)?;
        tx.execute_batch(migration).map_err(open_error)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .map_err(open_error)?;
        tx.commit().map_err(open_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use dyad_proto::v1::{Actor, Event, EventDate, Location};

    use super::*;
    use crate::detail::Detail;

    /// A version-1 database with two events (one domestic) and the day
    /// rollup version 1 kept, brought to the newest version: the new
    /// columns, month rollups and actor register are filled from it.
    #[test]
    fn version_one_data_is_carried_forward() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let actor = |code: &str, role: &str| Actor {
            code: code.into(),
            name: format!("{code} name"),
            country_code: code[..3].into(),
            role: role.into(),
            ..Default::default()
        };
        let event = |id: &str, source: Actor, target: Actor, day: &str| Event {
            id: id.into(),
            source: Some(source),
            target: Some(target),
            date: Some(EventDate {
                start_date: day.into(),
                ..Default::default()
            }),
            location: Some(Location {
                country_code: "ARM".into(),
                latitude: 40.2,
                longitude: 44.5,
                ..Default::default()
            }),
            ..Default::default()
        };
        let events = [
            event(
                "e1",
                actor("RUSGOV", "GOV"),
                actor("ARMGOV", "GOV"),
                "2024-05-08",
            ),
            event(
                "e2",
                actor("RUSGOV", "GOV"),
                actor("RUSMIL", "MIL"),
                "2024-05-20",
            ),
        ];
        for (e, quad) in events.iter().zip([1, 4]) {
            let (source, target) = (e.source.as_ref().unwrap(), e.target.as_ref().unwrap());
            conn.execute(
                "INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, \
                 goldstein, plover_type, date_start, date_end, date_precision, date_basis, \
                 date_text, modality, confidence, source, source_country, target, \
                 target_country, location_precision, detail_json, num_mentions) \
                 VALUES (?1, '', '', '', ?2, 1.5, '', ?3, ?3, 1, 1, '', 1, 1.0, ?4, ?5, ?6, ?7, \
                 3, ?8, 2)",
                rusqlite::params![
                    e.id,
                    quad,
                    e.date.as_ref().unwrap().start_date,
                    source.code,
                    source.country_code,
                    target.code,
                    target.country_code,
                    Detail::json_of(e),
                ],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO dyad_days VALUES (?1, ?2, ?3, 1, ?4, ?5, 1, ?6, 0, 0, ?7, 1.5, 2)",
                rusqlite::params![
                    source.code,
                    target.code,
                    e.date.as_ref().unwrap().start_date,
                    source.country_code,
                    target.country_code,
                    i64::from(quad == 1),
                    i64::from(quad == 4),
                ],
            )
            .unwrap();
        }
        migrate(&mut conn, "memory").unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let columns: (String, String, String, f64, i64) = conn
            .query_row(
                "SELECT source_role, target_role, place_country, latitude, seq FROM events \
                 WHERE id = 'e2'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(columns, ("GOV".into(), "MIL".into(), "ARM".into(), 40.2, 2));
        let sum = |sql: &str| -> (i64, i64) {
            conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
        };
        assert_eq!(sum("SELECT count(*), sum(events) FROM dyad_months"), (2, 2));
        assert_eq!(
            sum("SELECT count(*), sum(events) FROM country_dyad_months"),
            (2, 2)
        );
        assert_eq!(
            sum("SELECT count(*), sum(events) FROM country_dyad_years"),
            (2, 2),
            "years summed from the months"
        );
        assert_eq!(
            sum("SELECT count(*), sum(events) FROM country_months WHERE source = 'RUS'"),
            (1, 2),
            "the domestic event counts once for its country"
        );
        assert_eq!(
            sum("SELECT count(*), sum(events) FROM actor_months WHERE source = 'RUSGOV'"),
            (1, 2)
        );
        assert_eq!(
            sum("SELECT count(*), sum(material_conflict) FROM total_months"),
            (1, 1)
        );
        let actors: i64 = conn
            .query_row("SELECT count(*) FROM actors", [], |r| r.get(0))
            .unwrap();
        assert_eq!(actors, 3);
    }
}
