//! `dyad up`: both services in one process on the embedded store.

use std::{io::Write, net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc};

use anyhow::Context;
use dyad_server::{LogArgs, ServeError, StoreArgs, init_tracing, listen_addr, shutdown_signal};
use futures_util::FutureExt;
use tokio::net::TcpListener;

use crate::demo;

/// Arguments of `dyad up`: the addresses, then the same settings as
/// `dyad-ingest` and `dyad-query` (one definition each, shared).
#[derive(clap::Args)]
pub struct UpArgs {
    /// Address of the ingest service (HOST:PORT).
    #[arg(long, env = "DYAD_INGEST_ADDR", default_value = "127.0.0.1:50051", value_parser = listen_addr)]
    ingest_addr: SocketAddr,
    /// Address of the query service (HOST:PORT).
    #[arg(long, env = "DYAD_QUERY_ADDR", default_value = "127.0.0.1:50052", value_parser = listen_addr)]
    query_addr: SocketAddr,
    /// Address of the HTTP/JSON API of the query service (HOST:PORT, or `off`).
    #[arg(long, env = "DYAD_HTTP_ADDR", default_value = dyad_query::DEFAULT_HTTP_ADDR)]
    http_addr: String,
    /// Where the store is.
    #[command(flatten)]
    store: StoreArgs,
    /// Start on a store of its own (--demo-dir) seeded with 74 Voice of
    /// America stories built into dyad, and print queries to try on them.
    #[arg(long, conflicts_with_all = ["store", "data_dir"])]
    demo: bool,
    /// Data directory of the --demo store.
    #[arg(long, env = "DYAD_DEMO_DIR", default_value = demo::DATA_DIR, requires = "demo")]
    demo_dir: PathBuf,
    /// How to log.
    #[command(flatten)]
    log: LogArgs,
    /// Ingest service settings.
    #[command(flatten)]
    ingest: dyad_ingest::IngestConfig,
    /// Query service settings.
    #[command(flatten)]
    query: dyad_query::QueryConfig,
    /// Authentication, TLS, metrics (one port for both services), request
    /// and message limits (for each service).
    #[command(flatten)]
    server: dyad_server::ServerOptions,
}

/// Runs `dyad up` until SIGINT or SIGTERM, or until a service fails.
pub async fn run(args: UpArgs) -> anyhow::Result<ExitCode> {
    init_tracing(args.log.log_format);
    // A tokens file or TLS key the services would refuse stops `dyad up`
    // before it announces them.
    args.server.tokens().map_err(anyhow::Error::msg)?;
    args.server.tls().map_err(anyhow::Error::msg)?;
    let store_args = if args.demo {
        StoreArgs {
            store: None,
            data_dir: args.demo_dir.clone(),
        }
    } else {
        args.store.clone()
    };
    let store = store_args.open().await?;
    let coder = Arc::new(
        dyad_ingest::load_coder(args.ingest.dictionary_dir.as_deref())
            .map_err(anyhow::Error::msg)?,
    );
    let seeded = if args.demo {
        Some(demo::seed(store.as_ref(), &coder).await?)
    } else {
        None
    };
    if let Some(addr) = args.server.metrics_addr {
        dyad_server::metrics::install(addr).map_err(anyhow::Error::msg)?;
    }
    let ingest_listener = TcpListener::bind(args.ingest_addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.ingest_addr))?;
    let query_listener = TcpListener::bind(args.query_addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.query_addr))?;
    let http_listener = dyad_query::bind_http(&args.http_addr)
        .await
        .map_err(anyhow::Error::msg)?;
    let (ingest_addr, query_addr) = (ingest_listener.local_addr()?, query_listener.local_addr()?);
    let http_addr = http_listener
        .as_ref()
        .map(TcpListener::local_addr)
        .transpose()?;
    let http_line = match http_addr {
        Some(addr) => format!(
            "dyad: http    http://{addr}  (HTTP/JSON: POST /v1/<Method>, e.g. curl -d '{{}}' http://{addr}/v1/ListEvents)\n"
        ),
        None => String::new(),
    };
    // The banner is for people; the services run on when nobody reads it
    // (`dyad up | head -3`), so a closed stdout is no error.
    let banner = format!(
        "dyad: store   {store}\n\
         dyad: ingest  {ingest_addr}  (dyad.v1.IngestService)\n\
         dyad: query   {query_addr}  (dyad.v1.QueryService)\n\
         {http_line}\
         try:\n  grpcurl -plaintext {ingest_addr} list\n  \
         grpcurl -plaintext -d '{{\"article\": {{\"id\": \"demo-1\", \"publishTime\": \"2024-05-10T00:00:00Z\", \"text\": \"Russia condemned Ukraine on Tuesday.\"}}}}' {ingest_addr} dyad.v1.IngestService/IngestArticle\n  \
         grpcurl -plaintext -d '{{\"filter\": {{\"actor\": {{\"countryCode\": \"RUS\"}}}}}}' {query_addr} dyad.v1.QueryService/ListEvents\n",
        store = store_args.shown_url(),
    );
    let banner = match &seeded {
        Some(seeded) => {
            let http = http_addr.map(|a| a.to_string());
            let examples = demo::examples(seeded, &query_addr.to_string(), http.as_deref());
            format!("{banner}{examples}")
        }
        None => banner,
    };
    let mut stdout = std::io::stdout();
    let _ = stdout
        .write_all(banner.as_bytes())
        .and_then(|()| stdout.flush());

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
    let query = dyad_query::serve_with_http(
        query_listener,
        http_listener,
        store,
        args.query,
        args.server,
        stopped(&stop),
    );
    // Both services stop together: at a signal, or as soon as either ends
    // (a bad tokens file or TLS key ends `dyad up` at once, not at SIGTERM).
    let signal = {
        let (stop, ended) = (stop.clone(), stopped(&stop));
        async move {
            tokio::select! {
                () = shutdown_signal() => {}
                () = ended => {}
            }
            let _ = stop.send(());
        }
    };
    let stop_when_done = |service: &'static str| {
        let stop = stop.clone();
        move |result: Result<(), ServeError>| {
            let _ = stop.send(());
            result.with_context(|| format!("{service} service failed"))
        }
    };
    let (ingest, query, ()) = tokio::join!(
        ingest.map(stop_when_done("ingest")),
        query.map(stop_when_done("query")),
        signal
    );
    ingest?;
    query?;
    Ok(ExitCode::SUCCESS)
}
