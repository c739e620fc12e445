//! The PostgreSQL schema, as numbered migrations applied at start under an
//! advisory lock, so that several services starting at once migrate once.

use tokio_postgres::Client;

use crate::StoreError;

/// The columns every rollup table has before its key (see rollup.rs): the
/// sides, the day or month, the date precision, the counts.
macro_rules! rollup_columns {
    () => {
        r#"    source               TEXT COLLATE "C" NOT NULL,
    target               TEXT COLLATE "C" NOT NULL,
    day                  TEXT COLLATE "C" NOT NULL,
    date_precision       INTEGER NOT NULL,
    source_country       TEXT COLLATE "C" NOT NULL,
    target_country       TEXT COLLATE "C" NOT NULL,
    events               BIGINT NOT NULL,
    verbal_cooperation   BIGINT NOT NULL,
    material_cooperation BIGINT NOT NULL,
    verbal_conflict      BIGINT NOT NULL,
    material_conflict    BIGINT NOT NULL,
    goldstein_sum        DOUBLE PRECISION NOT NULL,
    mentions             BIGINT NOT NULL,
"#
    };
}

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
-- Text compares byte by byte ("C"), as in SQLite: both backends order alike.
CREATE TABLE articles (
    id            TEXT COLLATE "C" PRIMARY KEY,
    url           TEXT COLLATE "C" NOT NULL,
    title         TEXT COLLATE "C" NOT NULL,
    outlet        TEXT COLLATE "C" NOT NULL,
    publish_time  TEXT COLLATE "C",
    language      TEXT COLLATE "C" NOT NULL,
    text          TEXT COLLATE "C" NOT NULL,
    ingest_time   TEXT COLLATE "C" NOT NULL,
    coder_version TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX articles_by_url ON articles (url) WHERE url <> '';

CREATE TABLE events (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    cameo_code         TEXT COLLATE "C" NOT NULL,
    cameo_root         TEXT COLLATE "C" NOT NULL,
    cameo_name         TEXT COLLATE "C" NOT NULL,
    quad_class         INTEGER NOT NULL,
    goldstein          DOUBLE PRECISION NOT NULL,
    plover_type        TEXT COLLATE "C" NOT NULL,
    date_start         TEXT COLLATE "C" NOT NULL,
    date_end           TEXT COLLATE "C" NOT NULL,
    date_precision     INTEGER NOT NULL,
    date_basis         INTEGER NOT NULL,
    date_text          TEXT COLLATE "C" NOT NULL,
    modality           INTEGER NOT NULL,
    confidence         DOUBLE PRECISION NOT NULL,
    source             TEXT COLLATE "C" NOT NULL,
    source_country     TEXT COLLATE "C" NOT NULL,
    target             TEXT COLLATE "C" NOT NULL,
    target_country     TEXT COLLATE "C" NOT NULL,
    location_precision BIGINT NOT NULL,
    detail_json        TEXT COLLATE "C" NOT NULL,
    num_mentions       BIGINT NOT NULL DEFAULT 0,
    num_articles       BIGINT NOT NULL DEFAULT 0,
    num_sources        BIGINT NOT NULL DEFAULT 0,
    first_seen         TEXT COLLATE "C",
    last_seen          TEXT COLLATE "C"
) WITH (fillfactor = 80);  -- room for HOT updates of the counts
-- Actor codes start with their country's code, so these serve country
-- filters too (a range of codes).
CREATE INDEX events_by_date ON events (date_start, id);
CREATE INDEX events_by_source ON events (source, date_start, id);
CREATE INDEX events_by_target ON events (target, date_start, id);

CREATE TABLE mentions (
    -- No foreign keys: checking them locks the parent rows of every mention
    -- and halves the write rate; the write path keeps mentions, events and
    -- articles consistent (the conformance suite checks it).
    event_id        TEXT COLLATE "C" NOT NULL,
    article_id      TEXT COLLATE "C" NOT NULL,
    sentence_index  BIGINT NOT NULL,
    sentence_start  BIGINT NOT NULL,
    sentence_end    BIGINT NOT NULL,
    sentence_text   TEXT COLLATE "C" NOT NULL,
    rule            TEXT COLLATE "C" NOT NULL,
    modality        INTEGER NOT NULL,
    confidence      DOUBLE PRECISION NOT NULL,
    coder_version   TEXT COLLATE "C" NOT NULL,
    outlet          TEXT COLLATE "C" NOT NULL,
    seen_time       TEXT COLLATE "C",
    PRIMARY KEY (event_id, outlet, article_id, sentence_index)
);
CREATE INDEX mentions_by_article ON mentions (article_id, sentence_index);

CREATE TABLE dyad_days (
    source               TEXT COLLATE "C" NOT NULL,
    target               TEXT COLLATE "C" NOT NULL,
    day                  TEXT COLLATE "C" NOT NULL,
    date_precision       INTEGER NOT NULL,
    source_country       TEXT COLLATE "C" NOT NULL,
    target_country       TEXT COLLATE "C" NOT NULL,
    events               BIGINT NOT NULL,
    verbal_cooperation   BIGINT NOT NULL,
    material_cooperation BIGINT NOT NULL,
    verbal_conflict      BIGINT NOT NULL,
    material_conflict    BIGINT NOT NULL,
    goldstein_sum        DOUBLE PRECISION NOT NULL,
    mentions             BIGINT NOT NULL,
    PRIMARY KEY (source, target, day, date_precision)
);
CREATE INDEX dyad_days_by_countries ON dyad_days (source_country, target_country, day);
"#,
    concat!(
        r#"
-- Version 2: what the query service filters and groups on.
-- Event columns for role, place and store order, filled from the detail.
-- `txid` is the writing transaction: a watcher reads only events of
-- transactions older than every one still running, so none is skipped.
ALTER TABLE events
    ADD COLUMN source_role TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN target_role TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN place_country TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN latitude DOUBLE PRECISION,
    ADD COLUMN longitude DOUBLE PRECISION,
    ADD COLUMN seq BIGSERIAL,
    ADD COLUMN txid xid8 NOT NULL DEFAULT '0';
ALTER TABLE events ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
UPDATE events SET
    source_role = coalesce(detail_json::jsonb #>> '{source,role}', ''),
    target_role = coalesce(detail_json::jsonb #>> '{target,role}', ''),
    place_country = coalesce(detail_json::jsonb #>> '{location,countryCode}', ''),
    latitude = CASE WHEN detail_json::jsonb -> 'location' IS NOT NULL
        THEN coalesce((detail_json::jsonb #>> '{location,latitude}')::float8, 0) END,
    longitude = CASE WHEN detail_json::jsonb -> 'location' IS NOT NULL
        THEN coalesce((detail_json::jsonb #>> '{location,longitude}')::float8, 0) END;
CREATE INDEX events_by_store_order ON events (txid, seq);
CREATE INDEX events_by_place ON events (place_country, date_start);
CREATE INDEX events_by_source_country ON events (source_country, date_start, id);
CREATE INDEX events_by_target_country ON events (target_country, date_start, id);

-- Relation rollups (see rollup.rs).
CREATE INDEX dyad_days_by_target ON dyad_days (target, day);
CREATE INDEX dyad_days_by_target_country ON dyad_days (target_country, day);
-- Month tables are keyed source first, then month: an actor's relations
-- in a window are one contiguous range.
CREATE TABLE dyad_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, day, target, date_precision)
);
CREATE INDEX dyad_months_by_target ON dyad_months (target, day);
-- The same per pair of countries (`source` and `target` hold the
-- countries): relations and graphs of countries read a few rows per
-- counterpart and month; a graph reads a window from the covering index.
CREATE TABLE country_dyad_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, day, target, date_precision)
);
CREATE INDEX country_dyad_months_by_target ON country_dyad_months (target, day);
CREATE INDEX country_dyad_months_by_day ON country_dyad_months (day) INCLUDE (source, target, date_precision, events, verbal_cooperation, material_cooperation, verbal_conflict, material_conflict, goldstein_sum, mentions);
CREATE TABLE actor_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, target, day, date_precision)
);
CREATE TABLE country_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, target, day, date_precision)
);
CREATE TABLE total_months (
"#,
        rollup_columns!(),
        r#"    PRIMARY KEY (source, target, day, date_precision)
);
INSERT INTO dyad_months SELECT source, target, substr(day, 1, 8) || '01', date_precision,
    source_country, target_country, sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM dyad_days GROUP BY source, target, substr(day, 1, 8) || '01', date_precision,
    source_country, target_country;
INSERT INTO country_dyad_months SELECT source_country, target_country, day, date_precision,
    source_country, target_country, sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM dyad_months GROUP BY source_country, target_country, day, date_precision;
INSERT INTO actor_months SELECT actor, '', day, date_precision, country, '', sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM (SELECT source AS actor, source_country AS country, * FROM dyad_months
          UNION ALL
          SELECT target, target_country, * FROM dyad_months WHERE target <> source) AS sides
    GROUP BY actor, day, date_precision, country;
INSERT INTO country_months SELECT country, '', day, date_precision, country, '', sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM (SELECT source_country AS country, * FROM dyad_months
          UNION ALL
          SELECT target_country, * FROM dyad_months
          WHERE target_country <> source_country) AS sides
    GROUP BY country, day, date_precision;
INSERT INTO total_months SELECT '', '', day, date_precision, '', '', sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM dyad_months GROUP BY day, date_precision;

-- Actors seen in events, for search; kinds of actors stored before this
-- version are unknown (0).
CREATE TABLE actors (
    code    TEXT COLLATE "C" PRIMARY KEY,
    name    TEXT COLLATE "C" NOT NULL,
    country TEXT COLLATE "C" NOT NULL,
    role    TEXT COLLATE "C" NOT NULL,
    kind    INTEGER NOT NULL
);
CREATE TABLE actor_names (
    code TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (code, name)
);
INSERT INTO actors SELECT DISTINCT ON (code) code, name, country, role, 0 FROM (
    SELECT source AS code, coalesce(detail_json::jsonb #>> '{source,name}', '') AS name, source_country AS country,
        source_role AS role FROM events
    UNION ALL
    SELECT target, coalesce(detail_json::jsonb #>> '{target,name}', ''), target_country, target_role FROM events) AS sides
    WHERE code <> '' ORDER BY code;
"#
    ),
    concat!(
        r#"
-- Version 3: listings order the events of one date by store order (`seq`),
-- which the date-ordered indexes end with instead of the id.
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
);
CREATE INDEX country_dyad_years_by_target ON country_dyad_years (target, day);
CREATE INDEX country_dyad_years_by_day ON country_dyad_years (day) INCLUDE (source, target, date_precision, events, verbal_cooperation, material_cooperation, verbal_conflict, material_conflict, goldstein_sum, mentions);
INSERT INTO country_dyad_years SELECT source, target, substr(day, 1, 5) || '01-01', date_precision,
    source_country, target_country, sum(events), sum(verbal_cooperation), sum(material_cooperation), sum(verbal_conflict), sum(material_conflict), sum(goldstein_sum), sum(mentions)
    FROM country_dyad_months GROUP BY source, target, substr(day, 1, 5) || '01-01', date_precision, source_country, target_country;
"#
    ),
    // A country's day rollups as the source over a stretch of days ("A00"
    // to anyone on 2022-12-31, the odd day of a window's previous period):
    // by source country and day, as `dyad_days_by_target_country` serves
    // the target side. Without it SQLite walks every day of the country.
    "CREATE INDEX dyad_days_by_source_country ON dyad_days (source_country, day);",
    // Watching sends an event again when it gains a report: every insert
    // and every change of counts takes the writing transaction and the next
    // number of `events_changes` (`txid`, `seq` keep the first storing, for
    // listings).
    r#"
CREATE SEQUENCE events_changes;
SELECT setval('events_changes', coalesce((SELECT max(seq) FROM events), 0) + 1);
ALTER TABLE events
    ADD COLUMN changed_txid xid8 NOT NULL DEFAULT '0',
    ADD COLUMN changed_seq BIGINT NOT NULL DEFAULT 0;
UPDATE events SET changed_txid = txid, changed_seq = seq;
ALTER TABLE events ALTER COLUMN changed_txid SET DEFAULT pg_current_xact_id();
ALTER TABLE events ALTER COLUMN changed_seq SET DEFAULT nextval('events_changes');
CREATE INDEX events_by_change ON events (changed_txid, changed_seq);
"#,
];

/// Newest schema version this binary knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Any advisory lock key, the same for every Dyad process.
const MIGRATION_LOCK: i64 = 0x4479_6164_5631;

/// Brings the database to [`SCHEMA_VERSION`], refusing one that is newer.
pub async fn migrate(client: &mut Client, location: &str) -> Result<(), StoreError> {
    let open_error = |e: tokio_postgres::Error| StoreError::Open {
        location: location.to_string(),
        reason: e
            .as_db_error()
            .map_or_else(|| e.to_string(), |db| db.message().to_string()),
    };
    let tx = client.transaction().await.map_err(open_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(open_error)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS dyad_schema (version BIGINT NOT NULL)")
        .await
        .map_err(open_error)?;
    let found: i64 = tx
        .query_opt("SELECT version FROM dyad_schema", &[])
        .await
        .map_err(open_error)?
        .map_or(0, |row| row.get(0));
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            location: location.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(migration).await.map_err(open_error)?;
        let version = index as i64 + 1;
        tx.execute("DELETE FROM dyad_schema", &[])
            .await
            .map_err(open_error)?;
        tx.execute("INSERT INTO dyad_schema (version) VALUES ($1)", &[&version])
            .await
            .map_err(open_error)?;
    }
    tx.commit().await.map_err(open_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version-1 database with two events (one domestic), brought to the
    /// newest version: the new columns, month rollups and actor register
    /// are filled from it. Skipped only with `DYAD_SKIP_POSTGRES_TESTS=1`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn version_one_data_is_carried_forward() {
        if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
            eprintln!("SKIPPED: PostgreSQL migration (DYAD_SKIP_POSTGRES_TESTS=1)");
            return;
        }
        let cluster = crate::throwaway::PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
        let url = cluster.create_database("migration").await.unwrap();
        let (mut client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client.batch_execute(MIGRATIONS[0]).await.unwrap();
        client
            .batch_execute(
                r#"
CREATE TABLE dyad_schema (version BIGINT NOT NULL);
INSERT INTO dyad_schema VALUES (1);
INSERT INTO events (id, cameo_code, cameo_root, cameo_name, quad_class, goldstein, plover_type,
    date_start, date_end, date_precision, date_basis, date_text, modality, confidence, source,
    source_country, target, target_country, location_precision, detail_json, num_mentions)
VALUES
('e1', '', '', '', 1, 1.5, '', '2024-05-08', '2024-05-08', 1, 1, '', 1, 1.0, 'RUSGOV', 'RUS',
 'ARMGOV', 'ARM', 3, '{"source":{"code":"RUSGOV","name":"Russia","countryCode":"RUS","role":"GOV"},"target":{"code":"ARMGOV","name":"Armenia","countryCode":"ARM","role":"GOV"},"location":{"countryCode":"ARM","latitude":40.2,"longitude":44.5}}', 2),
('e2', '', '', '', 4, 1.5, '', '2024-05-20', '2024-05-20', 1, 1, '', 1, 1.0, 'RUSGOV', 'RUS',
 'RUSMIL', 'RUS', 0, '{"source":{"code":"RUSGOV","name":"Russia","countryCode":"RUS","role":"GOV"},"target":{"code":"RUSMIL","name":"Russian army","countryCode":"RUS","role":"MIL"}}', 2);
INSERT INTO dyad_days VALUES
('RUSGOV', 'ARMGOV', '2024-05-08', 1, 'RUS', 'ARM', 1, 1, 0, 0, 0, 1.5, 2),
('RUSGOV', 'RUSMIL', '2024-05-20', 1, 'RUS', 'RUS', 1, 0, 0, 0, 1, 1.5, 2);
"#,
            )
            .await
            .unwrap();
        migrate(&mut client, "test").await.unwrap();
        let row = client
            .query_one(
                "SELECT source_role, target_role, place_country, latitude FROM events \
                 WHERE id = 'e1'",
                &[],
            )
            .await
            .unwrap();
        let columns: (String, String, String, Option<f64>) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        assert_eq!(
            columns,
            ("GOV".into(), "GOV".into(), "ARM".into(), Some(40.2))
        );
        for (sql, expected) in [
            (
                "SELECT count(*), sum(events)::BIGINT FROM dyad_months",
                (2, 2),
            ),
            (
                "SELECT count(*), sum(events)::BIGINT FROM country_dyad_months",
                (2, 2),
            ),
            (
                "SELECT count(*), sum(events)::BIGINT FROM country_months WHERE source = 'RUS'",
                (1, 2),
            ),
            (
                "SELECT count(*), sum(events)::BIGINT FROM actor_months WHERE source = 'RUSGOV'",
                (1, 2),
            ),
            (
                "SELECT count(*), sum(material_conflict)::BIGINT FROM total_months",
                (1, 1),
            ),
            (
                "SELECT count(*), sum(events)::BIGINT FROM country_dyad_years",
                (2, 2),
            ),
            (
                "SELECT count(*), count(*) FILTER (WHERE kind = 0) FROM actors",
                (3, 3),
            ),
        ] {
            let row = client.query_one(sql, &[]).await.unwrap();
            assert_eq!(
                (row.get::<_, i64>(0), row.get::<_, i64>(1)),
                expected,
                "{sql}"
            );
        }
    }
}
