//! `dyad ingest`: bulk-load articles into a running ingest service over the
//! streaming RPC, with a progress bar and a summary.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use anyhow::Context;
use dyad_proto::v1::{
    IngestArticlesRequest, IngestOutcome, ingest_service_client::IngestServiceClient,
};
use indicatif::{ProgressBar, ProgressStyle};
use tokio_stream::StreamExt;

use crate::articles;

/// Arguments of `dyad ingest`.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// Text files (one article each), JSONL files (*.jsonl, one dyad.v1.Article
    /// per line) or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Address of the ingest service.
    #[arg(
        long,
        env = "DYAD_INGEST_URL",
        default_value = "http://127.0.0.1:50051"
    )]
    addr: String,
    /// Publication date (YYYY-MM-DD) of articles that carry none.
    #[arg(long)]
    published: Option<String>,
}

/// Counts of a bulk load.
#[derive(Default)]
struct Summary {
    ingested: u64,
    known: u64,
    events: u64,
    failed: Vec<String>,
}

/// Runs `dyad ingest`.
pub async fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let published = args
        .published
        .as_deref()
        .map(articles::publish_time)
        .transpose()?;
    let files = articles::expand(&args.paths)?;
    let mut client = IngestServiceClient::connect(args.addr.clone())
        .await
        .with_context(|| format!("cannot connect to the ingest service at {}", args.addr))?
        .max_decoding_message_size(64 << 20)
        .max_encoding_message_size(64 << 20);

    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} {pos} articles  {per_sec}  {elapsed_precise}  {msg}",
        )
        .expect("the template is valid"),
    );
    progress.enable_steady_tick(Duration::from_millis(200));

    // Articles are read on a blocking thread and sent through a bounded
    // channel; lines that cannot be read are reported without stopping.
    let (sender, receiver) = tokio::sync::mpsc::channel::<IngestArticlesRequest>(256);
    let (bad_sender, mut bad_lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    let reader = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        for file in files {
            articles::read_file(&file, published.as_ref(), |article| {
                match article {
                    Ok(article) => {
                        if sender
                            .blocking_send(IngestArticlesRequest {
                                article: Some(article),
                            })
                            .is_err()
                        {
                            anyhow::bail!("the ingest stream closed early");
                        }
                    }
                    Err(error) => {
                        let _ = bad_sender.send(format!("{error:#}"));
                    }
                }
                Ok(())
            })?;
        }
        Ok(())
    });

    let mut responses = client
        .ingest_articles(tokio_stream::wrappers::ReceiverStream::new(receiver))
        .await
        .context("the ingest service refused the stream")?
        .into_inner();
    let mut summary = Summary::default();
    while let Some(response) = responses.next().await {
        let response = response.context("the ingest stream failed")?;
        match IngestOutcome::try_from(response.outcome) {
            Ok(IngestOutcome::Ingested) => {
                summary.ingested += 1;
                summary.events += u64::from(response.event_count);
            }
            Ok(IngestOutcome::AlreadyKnown) => summary.known += 1,
            _ => {
                let why = response.rejection.map_or("rejected".to_string(), |r| {
                    format!("{}: {}", r.field, r.description)
                });
                summary
                    .failed
                    .push(format!("article #{}: {why}", response.index));
            }
        }
        progress.inc(1);
    }
    reader.await.context("the reader task failed")??;
    while let Ok(line) = bad_lines.try_recv() {
        summary.failed.push(line);
    }
    progress.finish_and_clear();

    println!(
        "ingested {}  already known {}  failed {}  events {}  in {:.1}s",
        summary.ingested,
        summary.known,
        summary.failed.len(),
        summary.events,
        progress.elapsed().as_secs_f64()
    );
    for failure in &summary.failed {
        println!("  failed: {failure}");
    }
    Ok(if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
