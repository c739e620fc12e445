//! `dyad ingest`: bulk-load articles into a running ingest service over the
//! streaming RPC: several streams side by side, each article retried until
//! it is answered (UNAVAILABLE and RESOURCE_EXHAUSTED are waited out with
//! backoff), with a progress bar and a summary. Running it again resumes:
//! what the service already has is answered ALREADY_KNOWN without coding.

use std::{
    path::PathBuf,
    process::ExitCode,
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::Context;
use dyad_proto::v1::{
    Article, IngestArticlesRequest, IngestArticlesResponse, IngestOutcome,
    ingest_service_client::IngestServiceClient,
};
use indicatif::{ProgressBar, ProgressStyle};
use tokio_stream::StreamExt;
use tonic::Code;

use crate::{
    articles,
    connect::{AuthChannel, ClientOptions, causes, is_certificate_error},
    shapes::Ignored,
};

/// Arguments of `dyad ingest`.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// Text files or HTML pages (one article each), JSONL files (*.jsonl, one
    /// dyad.v1.Article per line) or directories of them.
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
    /// Streams sent side by side.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
    /// Articles per stream.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    chunk: u32,
    /// Attempts at a chunk before giving up, when the service is unavailable
    /// or overloaded (backoff from 0.2 s doubling to 10 s between them).
    #[arg(long, default_value_t = 10)]
    attempts: u32,
    /// TLS and token.
    #[command(flatten)]
    client: ClientOptions,
}

/// Counts of a bulk load.
#[derive(Default)]
struct Summary {
    ingested: u64,
    known: u64,
    not_coded: u64,
    events: u64,
    retries: u64,
    failed: Vec<String>,
}

/// Articles numbered in reading order.
type Chunk = Vec<(u64, Article)>;

/// Runs `dyad ingest`.
pub async fn run(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let published = args
        .published
        .as_deref()
        .map(articles::publish_time)
        .transpose()?;
    let files = articles::expand(&args.paths)?;
    let channel = args
        .client
        .connect(&args.addr, "the ingest service")
        .await?;
    let client = IngestServiceClient::with_interceptor(channel, args.client.bearer()?)
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
    let summary = Arc::new(Mutex::new(Summary::default()));

    // Articles are read on a blocking thread into chunks sent through a
    // bounded channel; lines that cannot be read are reported and skipped.
    let (chunks, receiver) = async_channel(usize::from(args.concurrency));
    let chunk_size = args.chunk as usize;
    let reader_summary = summary.clone();
    let reader = tokio::task::spawn_blocking(move || -> anyhow::Result<(u64, Ignored)> {
        let mut chunk = Chunk::new();
        let mut index = 0u64;
        let mut ignored = Ignored::default();
        for file in files {
            articles::read_file(&file, published.as_ref(), &mut ignored, |article| {
                match article {
                    Ok(article) => {
                        chunk.push((index, article));
                        if chunk.len() == chunk_size
                            && chunks.send_blocking(std::mem::take(&mut chunk)).is_err()
                        {
                            anyhow::bail!("the load stopped early");
                        }
                    }
                    Err(error) => {
                        let line = format!("{error:#}");
                        reader_summary.lock().expect("no panics").failed.push(line);
                    }
                }
                index += 1;
                Ok(())
            })?;
        }
        if !chunk.is_empty() {
            let _ = chunks.send_blocking(chunk);
        }
        Ok((index, ignored))
    });

    let workers: Vec<_> = (0..args.concurrency)
        .map(|_| {
            let (mut client, receiver) = (client.clone(), receiver.clone());
            let (summary, progress) = (summary.clone(), progress.clone());
            let attempts = args.attempts;
            tokio::spawn(async move {
                while let Ok(chunk) = receiver.recv().await {
                    send_chunk(&mut client, chunk, attempts, &summary, &progress).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    drop(receiver);
    for worker in workers {
        worker.await.context("a sender task failed")??;
    }
    let (read, ignored) = reader.await.context("the reader task failed")??;
    progress.finish_and_clear();
    if read == 0 {
        anyhow::bail!(
            "no articles in {}: give text or HTML files, JSON Lines files (*.jsonl) with \
             one article per line, or directories of them",
            args.paths
                .iter()
                .map(|path| path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let summary = summary.lock().expect("no panics");
    println!(
        "ingested {}  already known {}  not coded {}  failed {}  events {}  retries {}  in {:.1}s",
        summary.ingested,
        summary.known,
        summary.not_coded,
        summary.failed.len(),
        summary.events,
        summary.retries,
        progress.elapsed().as_secs_f64()
    );
    if let Some(line) = ignored.summary() {
        println!("{line}");
    }
    for failure in &summary.failed {
        println!("  failed: {failure}");
    }
    Ok(if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A bounded multi-consumer channel of chunks.
fn async_channel(capacity: usize) -> (ChunkSender, ChunkReceiver) {
    let (sender, receiver) = tokio::sync::mpsc::channel(capacity);
    (
        ChunkSender(sender),
        ChunkReceiver(Arc::new(tokio::sync::Mutex::new(receiver))),
    )
}

struct ChunkSender(tokio::sync::mpsc::Sender<Chunk>);

impl ChunkSender {
    fn send_blocking(&self, chunk: Chunk) -> Result<(), ()> {
        self.0.blocking_send(chunk).map_err(|_| ())
    }
}

#[derive(Clone)]
struct ChunkReceiver(Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Chunk>>>);

impl ChunkReceiver {
    async fn recv(&self) -> Result<Chunk, ()> {
        self.0.lock().await.recv().await.ok_or(())
    }
}

/// Sends one chunk on a stream until every article is answered, resending
/// the unanswered ones after retryable failures.
async fn send_chunk(
    client: &mut IngestServiceClient<AuthChannel>,
    mut pending: Chunk,
    attempts: u32,
    summary: &Mutex<Summary>,
    progress: &ProgressBar,
) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        let requests: Vec<IngestArticlesRequest> = pending
            .iter()
            .map(|(_, article)| IngestArticlesRequest {
                article: Some(article.clone()),
            })
            .collect();
        let mut answered = vec![false; pending.len()];
        let failure = match client.ingest_articles(tokio_stream::iter(requests)).await {
            Err(status) => Some(status),
            Ok(responses) => {
                let mut responses = responses.into_inner();
                let mut failure = None;
                while let Some(response) = responses.next().await {
                    match response {
                        Ok(response) => {
                            let at = usize::try_from(response.index).unwrap_or(usize::MAX);
                            let Some((index, _)) = pending.get(at) else {
                                anyhow::bail!("the service answered an article it was not sent");
                            };
                            answered[at] = true;
                            record(*index, response, summary);
                            progress.inc(1);
                        }
                        Err(status) => {
                            failure = Some(status);
                            break;
                        }
                    }
                }
                failure
            }
        };
        let mut still = answered.iter();
        pending.retain(|_| !*still.next().expect("one flag per article"));
        let Some(status) = failure else {
            anyhow::ensure!(
                pending.is_empty(),
                "the stream ended with {} articles unanswered",
                pending.len()
            );
            return Ok(());
        };
        attempt += 1;
        // A refused certificate (the service's was replaced by one no
        // trusted CA signed) is reported as unavailable, but no retry
        // changes it. A stream the service cut off as it stopped (SIGTERM)
        // arrives as cancelled: the restarted service takes the rest.
        let retryable = matches!(
            status.code(),
            Code::Unavailable | Code::ResourceExhausted | Code::Unknown | Code::Cancelled
        ) && !is_certificate_error(&causes(&status));
        if !retryable || attempt >= attempts {
            anyhow::bail!(
                "the ingest service failed ({:?}: {}) with {} articles of the chunk unanswered{}",
                status.code(),
                status.message(),
                pending.len(),
                if attempt >= attempts {
                    format!(" after {attempt} attempts")
                } else {
                    String::new()
                }
            );
        }
        summary.lock().expect("no panics").retries += 1;
        progress.set_message(format!("retrying: {}", status.message()));
        tokio::time::sleep(backoff(attempt)).await;
    }
}

/// Exponential backoff from 0.2 s, doubling to at most 10 s, with up to a
/// quarter of jitter so that many loaders do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(200).saturating_mul(1 << attempt.min(6).saturating_sub(1));
    let base = base.min(Duration::from_secs(10));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base + base.mul_f64(f64::from(nanos % 1000) / 4000.0)
}

/// Adds one answer to the summary.
fn record(index: u64, response: IngestArticlesResponse, summary: &Mutex<Summary>) {
    let mut summary = summary.lock().expect("no panics");
    match IngestOutcome::try_from(response.outcome) {
        Ok(IngestOutcome::Ingested | IngestOutcome::Replaced) => {
            if response.not_coded.is_empty() {
                summary.ingested += 1;
            } else {
                summary.not_coded += 1;
            }
            summary.events += u64::from(response.event_count);
        }
        Ok(IngestOutcome::AlreadyKnown) => summary.known += 1,
        _ => {
            let why = response.rejection.map_or("rejected".to_string(), |r| {
                format!("{}: {}", r.field, r.description)
            });
            summary.failed.push(format!("article #{index}: {why}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_cap() {
        assert!(
            backoff(1) >= Duration::from_millis(200) && backoff(1) < Duration::from_millis(260)
        );
        assert!(backoff(3) >= Duration::from_millis(800));
        assert!(backoff(30) <= Duration::from_millis(12_500));
    }
}
