//! `dyad export`: the events a filter takes, from a running query service,
//! into a CSV, TSV, JSON Lines or Parquet file in Dyad's layout or GDELT's.

mod columns;
mod dyad_layout;
mod gdelt_layout;
mod sink;

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::{Duration, Instant},
};

use anyhow::Context;
use dyad_proto::v1::{EventFilter, ExportEventsRequest, query_service_client::QueryServiceClient};
use indicatif::{ProgressBar, ProgressStyle};
use tokio_stream::StreamExt;

pub use columns::Column;
pub use sink::Format;

use crate::connect::ClientOptions;

/// A column layout of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// Every field of an event, one row per event, one report's provenance.
    Dyad,
    /// The GDELT 2.0 event table's 61 columns, filled where Dyad has the field.
    Gdelt,
}

impl Layout {
    /// The layout's columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Layout::Dyad => dyad_layout::COLUMNS,
            Layout::Gdelt => gdelt_layout::COLUMNS,
        }
    }
}

/// Arguments of `dyad export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The file to write (its extension gives the format when --format is
    /// not given: .csv, .tsv, .jsonl, .parquet).
    #[arg(long, required_unless_present = "list_columns")]
    out: Option<PathBuf>,
    /// File format.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Column layout.
    #[arg(long, value_enum, default_value_t = Layout::Dyad)]
    layout: Layout,
    /// Which events: a dyad.v1.EventFilter in proto3 JSON, as grpcurl and
    /// the HTTP API take it, e.g. '{"actor":{"countryCode":"ARM"},"cameoCodes":["19"]}'.
    /// Without it, every asserted event.
    #[arg(long)]
    filter: Option<String>,
    /// Leave out the header row of CSV and TSV (GDELT's own files have none).
    #[arg(long)]
    no_header: bool,
    /// Print the layout's columns (name, type, meaning) and export nothing.
    #[arg(long)]
    list_columns: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Address of the query service.
    #[arg(
        long,
        visible_alias = "query-addr",
        env = "DYAD_QUERY_URL",
        default_value = "http://127.0.0.1:50052"
    )]
    addr: String,
    /// TLS and token.
    #[command(flatten)]
    client: ClientOptions,
}

/// Runs `dyad export`.
pub async fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let columns = args.layout.columns();
    if args.list_columns {
        for column in columns {
            println!("{}\t{}\t{}", column.name, column.kind.name(), column.doc);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let out = args.out.as_deref().context("--out is required")?;
    let format = match args.format {
        Some(format) => format,
        None => format_of(out)?,
    };
    let filter = parse_filter(args.filter.as_deref())?;
    let channel = args.client.connect(&args.addr, "the query service").await?;
    let mut client = QueryServiceClient::with_interceptor(channel, args.client.bearer()?)
        .max_decoding_message_size(256 << 20);
    let request = ExportEventsRequest {
        filter,
        include_mentions: true,
        ..Default::default()
    };
    let mut stream = client
        .export_events(request)
        .await
        .map_err(|status| anyhow::anyhow!("the query service refused the export: {status}"))?
        .into_inner();

    let mut sink = sink::create(format, out, columns, !args.no_header)?;
    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    progress.set_style(
        ProgressStyle::with_template(
            "{bar:30} {pos}/{len} events  {per_sec}  {elapsed_precise}  eta {eta}",
        )
        .expect("the template is valid"),
    );
    progress.enable_steady_tick(Duration::from_millis(200));
    let started = Instant::now();
    let mut rows = 0u64;
    let mut resume = String::new();
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|status| {
            anyhow::anyhow!(
                "the export broke off after {rows} events: {status}{}",
                if resume.is_empty() {
                    String::new()
                } else {
                    format!(" (the service resumes after resume_token {resume:?})")
                }
            )
        })?;
        if batch.total_events > 0 {
            progress.set_length(batch.total_events);
        }
        sink.write(&batch.events)?;
        rows += batch.events.len() as u64;
        progress.set_position(rows);
        if progress.length().is_some_and(|len| rows > len) {
            progress.set_length(rows);
        }
        resume = batch.resume_token;
    }
    sink.finish()?;
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "exported {rows} events to {} ({}, {} layout): {bytes} bytes in {seconds:.1} s, {:.0} rows/s",
        out.display(),
        format!("{format:?}").to_lowercase(),
        format!("{:?}", args.layout).to_lowercase(),
        rows as f64 / seconds.max(1e-9),
    );
    Ok(ExitCode::SUCCESS)
}

/// The format a file name's extension names.
fn format_of(path: &Path) -> anyhow::Result<Format> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "csv" => Ok(Format::Csv),
        "tsv" | "tab" => Ok(Format::Tsv),
        "jsonl" | "ndjson" => Ok(Format::Jsonl),
        "parquet" | "pq" => Ok(Format::Parquet),
        _ => anyhow::bail!(
            "cannot tell the format of {} from its extension: give --format csv, tsv, jsonl or parquet",
            path.display()
        ),
    }
}

/// The filter of `--filter`, in proto3 JSON.
fn parse_filter(text: Option<&str>) -> anyhow::Result<Option<EventFilter>> {
    text.map(|text| {
        serde_json::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "--filter is not a dyad.v1.EventFilter in proto3 JSON ({e}), e.g. \
                 '{{\"actor\":{{\"countryCode\":\"ARM\"}},\"startTime\":\"2024-01-01T00:00:00Z\"}}'"
            )
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(format_of(Path::new("a.CSV")).unwrap(), Format::Csv);
        assert_eq!(
            format_of(Path::new("x/a.parquet")).unwrap(),
            Format::Parquet
        );
        assert!(format_of(Path::new("a.xlsx")).is_err());
    }

    #[test]
    fn filters_read_as_proto3_json_and_name_their_mistakes() {
        let filter = parse_filter(Some(
            r#"{"actor":{"countryCode":"ARM"},"cameoCodes":["19"]}"#,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(filter.actor.unwrap().country_code, "ARM");
        assert_eq!(filter.cameo_codes, ["19"]);
        let error = parse_filter(Some(r#"{"actorr":{}}"#))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("--filter is not a dyad.v1.EventFilter"),
            "{error}"
        );
    }

    #[test]
    fn the_readme_documents_every_column_as_list_columns_prints_it() {
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
                .unwrap();
        for layout in [Layout::Dyad, Layout::Gdelt] {
            let rows: Vec<String> = layout
                .columns()
                .iter()
                .map(|c| format!("| `{}` | {} | {} |", c.name, c.kind.name(), c.doc))
                .collect();
            let table = rows.join("\n");
            assert!(
                readme.contains(&table),
                "README.md's {layout:?} table differs from the columns; it should read:\n{table}"
            );
        }
    }

    #[test]
    fn the_gdelt_layout_has_gdelt_2s_61_columns_in_order() {
        let names: Vec<&str> = Layout::Gdelt.columns().iter().map(|c| c.name).collect();
        assert_eq!(names.len(), 61);
        assert_eq!(names[0], "GLOBALEVENTID");
        assert_eq!(names[26], "EventCode");
        assert_eq!(names[34], "AvgTone");
        assert_eq!(names[51], "ActionGeo_Type");
        assert_eq!(names[59], "DATEADDED");
        assert_eq!(names[60], "SOURCEURL");
    }
}
