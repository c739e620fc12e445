//! `dyad up`: both services in one process on the embedded store.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc};

use anyhow::Context;
use dyad_proto::runtime::{LogFormat, init_tracing, shutdown_signal};
use tokio::net::TcpListener;

/// Arguments of `dyad up`.
#[derive(clap::Args)]
pub struct UpArgs {
    /// Data directory of the embedded SQLite store.
    #[arg(long, env = "DYAD_DATA_DIR", default_value = "./dyad-data")]
    data_dir: PathBuf,
    /// Store URL (sqlite://PATH); overrides --data-dir.
    #[arg(long, env = "DYAD_STORE")]
    store: Option<String>,
    /// Address of the ingest service.
    #[arg(long, env = "DYAD_INGEST_ADDR", default_value = "127.0.0.1:50051")]
    ingest_addr: SocketAddr,
    /// Address of the query service.
    #[arg(long, env = "DYAD_QUERY_ADDR", default_value = "127.0.0.1:50052")]
    query_addr: SocketAddr,
    /// Log format: text or json. Filter with RUST_LOG.
    #[arg(long, env = "DYAD_LOG_FORMAT", default_value = "text")]
    log_format: LogFormat,
    /// Ingest service settings.
    #[command(flatten)]
    ingest: dyad_ingest::IngestConfig,
    /// Authentication, TLS, metrics (one port for both services) and
    /// request limits (for each service).
    #[command(flatten)]
    server: dyad_proto::runtime::ServerOptions,
}

/// Runs `dyad up` until SIGINT or SIGTERM.
pub async fn run(args: UpArgs) -> anyhow::Result<ExitCode> {
    init_tracing(args.log_format);
    let store_url = dyad_store::url_or_default(args.store.as_deref(), &args.data_dir);
    let store = dyad_store::open(&store_url).await?;
    let coder = Arc::new(
        dyad_ingest::load_coder(args.ingest.dictionary_dir.as_deref())
            .map_err(anyhow::Error::msg)?,
    );
    if let Some(addr) = args.server.metrics_addr {
        dyad_proto::runtime::metrics::install(addr).map_err(anyhow::Error::msg)?;
    }
    let ingest_listener = TcpListener::bind(args.ingest_addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.ingest_addr))?;
    let query_listener = TcpListener::bind(args.query_addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.query_addr))?;
    let (ingest_addr, query_addr) = (ingest_listener.local_addr()?, query_listener.local_addr()?);
    println!("dyad: store   {store_url}");
    println!("dyad: ingest  {ingest_addr}  (dyad.v1.IngestService)");
    println!("dyad: query   {query_addr}  (dyad.v1.QueryService)");
    println!("try:");
    println!("  grpcurl -plaintext {ingest_addr} list");
    println!(
        "  grpcurl -plaintext -d '{{\"article\": {{\"id\": \"demo-1\", \"publishTime\": \"2024-05-10T00:00:00Z\", \"text\": \"Russia condemned Ukraine on Tuesday.\"}}}}' {ingest_addr} dyad.v1.IngestService/IngestArticle"
    );
    println!(
        "  grpcurl -plaintext -d '{{\"filter\": {{\"actor\": {{\"countryCode\": \"RUS\"}}}}}}' {query_addr} dyad.v1.QueryService/ListEvents"
    );

    let (stop, _) = tokio::sync::broadcast::channel::<()>(1);
    let stopped = |stop: &tokio::sync::broadcast::Sender<()>| {
        let mut receiver = stop.subscribe();
        async move {
            let _ = receiver.recv().await;
        }
    };
    let ingest = dyad_ingest::serve(
        ingest_listener,
        coder,
        store.clone(),
        args.ingest,
        args.server.clone(),
        stopped(&stop),
    );
    let query = dyad_query::serve(
        query_listener,
        store,
        dyad_query::QueryConfig::default(),
        args.server,
        stopped(&stop),
    );
    let signal = {
        let stop = stop.clone();
        async move {
            shutdown_signal().await;
            let _ = stop.send(());
        }
    };
    let (ingest, query, ()) = tokio::join!(ingest, query, signal);
    ingest.context("ingest service failed")?;
    query.context("query service failed")?;
    Ok(ExitCode::SUCCESS)
}
