//! Exports end to end: stories loaded with `dyad ingest`, exported with
//! `dyad export` from the real query service in every format and both
//! layouts, read back and compared with what ListEvents serves.

use std::{path::Path, process::Command};

use arrow_array::{
    Date32Array, DictionaryArray, Int64Array, StringArray, cast::AsArray, types::Int32Type,
};
use arrow_schema::DataType;
use dyad_proto::v1::{
    Event, ExportEventsRequest, ListEventsRequest, query_service_client::QueryServiceClient,
};
use dyad_tests::{Service, binary, repo_root};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use tokio_stream::StreamExt;

/// Ingest and query services on one SQLite store, loaded with the first
/// 20 demo stories by `dyad ingest`.
fn loaded_pair(dir: &Path) -> (Service, Service) {
    let store = format!("sqlite://{}", dir.join("dyad.sqlite3").display());
    let stories: String =
        std::fs::read_to_string(repo_root().join("crates/cli/data/demo/voa-stories.jsonl"))
            .unwrap()
            .lines()
            .take(20)
            .map(|line| format!("{line}\n"))
            .collect();
    let file = dir.join("stories.jsonl");
    std::fs::write(&file, stories).unwrap();
    let ingest = Service::start("dyad-ingest", &["--store", &store]);
    let query = Service::start("dyad-query", &["--store", &store]);
    let loaded = Command::new(binary("dyad"))
        .args(["ingest", "--addr", &ingest.url()])
        .arg(&file)
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{loaded:?}");
    (ingest, query)
}

/// Every event ListEvents serves, page by page, with mentions.
async fn listed(url: &str) -> Vec<Event> {
    let mut client = QueryServiceClient::connect(url.to_string()).await.unwrap();
    let mut events = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .list_events(ListEventsRequest {
                page_size: 7,
                page_token,
                include_mentions: true,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        events.extend(page.events);
        if page.next_page_token.is_empty() {
            return events;
        }
        page_token = page.next_page_token;
    }
}

fn export(query: &Service, out: &Path, extra: &[&str]) -> String {
    let run = Command::new(binary("dyad"))
        .args(["export", "--quiet", "--addr", &query.url(), "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert!(run.status.success(), "{stderr}");
    stderr
}

/// The URL of the report the exports take provenance from.
fn source_url(event: &Event) -> &str {
    event
        .mentions
        .iter()
        .find(|m| !m.article_url.is_empty())
        .map_or("", |m| m.article_url.as_str())
}

#[tokio::test]
async fn csv_and_parquet_exports_hold_what_list_events_serves() {
    let dir = tempfile::tempdir().unwrap();
    let (_ingest, query) = loaded_pair(dir.path());
    let events = listed(&query.url()).await;
    assert!(events.len() > 30, "{} events", events.len());

    // CSV, Dyad's layout.
    let csv_path = dir.path().join("events.csv");
    let summary = export(&query, &csv_path, &[]);
    assert!(
        summary.contains(&format!("exported {} events", events.len())),
        "{summary}"
    );
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), events.len());
    for (row, event) in rows.iter().zip(&events) {
        assert_eq!(&row[column("event_id")], event.id);
        assert_eq!(&row[column("cameo_code")], event.cameo_code);
        assert_eq!(
            &row[column("source_code")],
            event.source.as_ref().unwrap().code
        );
        assert_eq!(
            &row[column("target_code")],
            event.target.as_ref().map_or("", |t| t.code.as_str())
        );
        assert_eq!(
            &row[column("date_start")],
            event.date.as_ref().unwrap().start_date
        );
        assert_eq!(
            row[column("goldstein")].parse::<f64>().unwrap(),
            event.goldstein
        );
        assert_eq!(
            row[column("num_mentions")].parse::<u32>().unwrap(),
            event.num_mentions
        );
        assert_eq!(&row[column("source_url")], source_url(event));
        assert!(row[column("source_url")].starts_with("https://www.voanews.com/"));
        assert!(!row[column("sentence")].is_empty());
    }

    // Parquet, Dyad's layout: typed columns.
    let parquet_path = dir.path().join("events.parquet");
    export(&query, &parquet_path, &[]);
    let file = std::fs::File::open(&parquet_path).unwrap();
    let batches: Vec<_> = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let schema = batches[0].schema();
    assert_eq!(
        schema.field_with_name("date_start").unwrap().data_type(),
        &DataType::Date32
    );
    assert!(matches!(
        schema.field_with_name("cameo_code").unwrap().data_type(),
        DataType::Dictionary(..)
    ));
    assert_eq!(
        schema.field_with_name("num_mentions").unwrap().data_type(),
        &DataType::Int64
    );
    let mut index = 0;
    for batch in &batches {
        let ids: &StringArray = batch.column_by_name("event_id").unwrap().as_string();
        let codes: &DictionaryArray<Int32Type> =
            batch.column_by_name("cameo_code").unwrap().as_dictionary();
        let code_values: &StringArray = codes.values().as_string();
        let days: &Date32Array = batch.column_by_name("date_start").unwrap().as_primitive();
        let mentions: &Int64Array = batch.column_by_name("num_mentions").unwrap().as_primitive();
        for row in 0..batch.num_rows() {
            let event = &events[index];
            assert_eq!(ids.value(row), event.id);
            let key = codes.keys().value(row) as usize;
            assert_eq!(code_values.value(key), event.cameo_code);
            assert_eq!(
                days.value_as_date(row).unwrap().to_string(),
                event.date.as_ref().unwrap().start_date
            );
            assert_eq!(mentions.value(row), i64::from(event.num_mentions));
            index += 1;
        }
    }
    assert_eq!(index, events.len());
}

#[tokio::test]
async fn the_gdelt_layout_writes_gdelts_columns_and_filters_hold() {
    let dir = tempfile::tempdir().unwrap();
    let (_ingest, query) = loaded_pair(dir.path());
    let events = listed(&query.url()).await;

    // GDELT's own files: tab-separated, no header, 61 columns.
    let tsv_path = dir.path().join("events.tsv");
    export(&query, &tsv_path, &["--layout", "gdelt", "--no-header"]);
    let text = std::fs::read_to_string(&tsv_path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), events.len());
    for (line, event) in lines.iter().zip(&events) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 61, "{line}");
        assert_eq!(fields[0], event.id);
        assert_eq!(
            fields[1],
            event.date.as_ref().unwrap().start_date.replace('-', "")
        );
        assert_eq!(fields[26], event.cameo_code);
        assert_eq!(fields[28], event.cameo_root);
        assert_eq!(fields[29], event.quad_class.to_string());
        assert_eq!(fields[31], event.num_mentions.to_string());
        assert_eq!(fields[60], source_url(event));
    }

    // A filter, as JSON Lines: the rows ListEvents gives for it.
    let jsonl_path = dir.path().join("usa.jsonl");
    export(
        &query,
        &jsonl_path,
        &["--filter", r#"{"actor":{"countryCode":"USA"}}"#],
    );
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&jsonl_path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let american: Vec<&Event> = events
        .iter()
        .filter(|e| {
            e.source.as_ref().unwrap().country_code == "USA"
                || e.target.as_ref().is_some_and(|t| t.country_code == "USA")
        })
        .collect();
    assert!(!american.is_empty());
    assert_eq!(rows.len(), american.len());
    for (row, event) in rows.iter().zip(american) {
        assert_eq!(row["event_id"], event.id.as_str());
        assert_eq!(row["quad_class"], event.quad_class);
        assert_eq!(row["confidence"].as_f64().unwrap(), event.confidence);
    }
    let first_line = std::fs::read_to_string(&jsonl_path).unwrap();
    assert!(
        first_line.starts_with("{\"event_id\":"),
        "keys keep column order"
    );

    // A filter that is not an EventFilter is named, and nothing is written.
    let bad = Command::new(binary("dyad"))
        .args(["export", "--addr", &query.url(), "--out"])
        .arg(dir.path().join("bad.csv"))
        .args(["--filter", r#"{"actr":{}}"#])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--filter is not a dyad.v1.EventFilter"));
}

#[tokio::test]
async fn an_export_streams_in_batches_and_resumes_after_any_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (_ingest, query) = loaded_pair(dir.path());
    let events = listed(&query.url()).await;
    let mut client = QueryServiceClient::connect(query.url()).await.unwrap();
    let mut stream = client
        .export_events(ExportEventsRequest {
            batch_size: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.total_events, events.len() as u64);
    assert_eq!(first.events.len(), 10);
    drop(stream);

    // Resumed after the first batch: the rest, each event once, in order.
    let mut ids: Vec<String> = first.events.iter().map(|e| e.id.clone()).collect();
    let mut stream = client
        .export_events(ExportEventsRequest {
            batch_size: 10,
            resume_token: first.resume_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut last_token = String::from("unset");
    while let Some(batch) = stream.next().await {
        let batch = batch.unwrap();
        assert!(batch.events.len() <= 10);
        assert_eq!(batch.total_events, 0, "only the first batch counts");
        ids.extend(batch.events.iter().map(|e| e.id.clone()));
        last_token = batch.resume_token;
    }
    assert_eq!(last_token, "", "the last batch has no token");
    let expected: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, expected);

    // A token of another filter is refused, naming the field.
    let refused = client
        .export_events(ExportEventsRequest {
            resume_token: "bm9wZQ".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
    assert!(
        refused.message().starts_with("resume_token:"),
        "{refused:?}"
    );
}
