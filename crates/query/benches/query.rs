//! Query latency and throughput over a synthetic store (see
//! `dyad_store::synthetic`: a few hundred actors with Zipf-like activity,
//! ten years of dates, several mentions per event), served over real gRPC
//! by the query service in this process.
//!
//! `cargo bench -p dyad-query --bench query -- [EVENTS] [sqlite|postgres|URL]`
//! (defaults: 1,000,000 events into a fresh SQLite file; `postgres` starts a
//! throwaway cluster; a `postgres://` URL is used, and reused when loaded). `DYAD_BENCH_DB=PATH` keeps the SQLite file and
//! reuses it when it already holds enough events; `DYAD_BENCH_LOAD_BATCH`
//! sets the articles per loading transaction (default 5,000).
//!
//! Prints the load time, p50/p99 latency (answers read from the store each
//! time) of ListEvents (one busy actor, a page of 50), GetTimeline (monthly, ten
//! years), ListRelations (one year), GetDyadHistory (monthly, ten years) and
//! GetRelationGraph (top 50, one year), and the ListEvents throughput of 32
//! concurrent clients (pages of 50 and of 10; with answers kept until the
//! store changes, and without; clients that decode every answer, and
//! clients that keep its bytes) as a share of the empty-handler baseline
//! (the health check) served by the same server, each run timed next to a
//! baseline run of its own.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use dyad_proto::{
    Timestamp,
    codec::DyadCodec,
    v1::{
        ActorMatch, Bucket, EventFilter, GetDyadHistoryRequest, GetRelationGraphRequest,
        GetTimelineRequest, ListEventsRequest, ListEventsResponse, ListRelationsRequest,
        query_service_client::QueryServiceClient,
    },
};
use dyad_query::Encoded;
use dyad_store::{Store, synthetic::SyntheticCorpus};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::Channel;
use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Countries of the synthetic corpus (five actors each).
const COUNTRIES: usize = 80;
/// Requests timed per RPC.
const SAMPLES: usize = 300;
/// Concurrent clients of the throughput runs.
const CLIENTS: usize = 32;
/// Length of each throughput run.
const RUN: Duration = Duration::from_secs(5);
/// Throughput rounds: each run is timed next to a baseline run of its own,
/// since this machine's speed drifts within a minute.
const ROUNDS: usize = 3;

fn ts(day: &str) -> Option<Timestamp> {
    let seconds = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .expect("a day")
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp();
    Some(Timestamp { seconds, nanos: 0 })
}

fn code(code: String) -> Option<ActorMatch> {
    Some(ActorMatch {
        code,
        ..Default::default()
    })
}

fn country(country_code: String) -> Option<ActorMatch> {
    Some(ActorMatch {
        country_code,
        ..Default::default()
    })
}

/// The `i`-th busiest country code of the corpus ("A00", "A01", …).
fn busy_country(i: usize) -> String {
    format!("A{:02}", i % 10)
}

/// The `i`-th of the busiest actor codes: the country actors and
/// governments of the busiest countries.
fn busy_actor(i: usize) -> String {
    let country = busy_country(i / 2);
    if i.is_multiple_of(2) {
        country
    } else {
        format!("{country}GOV")
    }
}

async fn asserted_events(store: &Arc<dyn Store>) -> i64 {
    dyad_store::synthetic::asserted_events(store.as_ref())
        .await
        .expect("tally")
}

async fn load(store: &Arc<dyn Store>, target: i64) {
    let have = asserted_events(store).await;
    if have >= target {
        println!("reusing a store of {have} events");
        return;
    }
    assert_eq!(
        have, 0,
        "the store holds {have} events, fewer than {target}: remove it"
    );
    let mut corpus = SyntheticCorpus::new(42, COUNTRIES);
    // Larger transactions load a large store faster (each commit rewrites
    // the index pages it dirtied).
    let load_batch: usize = std::env::var("DYAD_BENCH_LOAD_BATCH")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(5000);
    let started = Instant::now();
    let mut events = 0i64;
    let mut mentions = 0usize;
    while events < target {
        let batch: Vec<_> = (0..load_batch).map(|_| corpus.next_article()).collect();
        mentions += batch.iter().map(|(_, e)| e.len()).sum::<usize>();
        store
            .put_articles(&batch, "synthetic")
            .await
            .expect("batch");
        events = asserted_events(store).await;
        eprint!("\rloaded {events} events, {mentions} mentions");
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "\nloaded {events} events ({mentions} mentions) in {seconds:.0} s: {:.0} mentions/s",
        mentions as f64 / seconds
    );
}

/// The `i`-th ListEvents request of the benchmark: the `i`-th busy actor, a
/// page of `page_size`, oldest or newest first by turns.
fn list_request(page_size: i32, i: usize) -> ListEventsRequest {
    ListEventsRequest {
        filter: Some(EventFilter {
            actor: code(busy_actor(i)),
            ..Default::default()
        }),
        page_size,
        descending: i % 2 == 1,
        ..Default::default()
    }
}

/// ListEvents as [`list_request`] asks it; the number of events answered.
fn list_page(
    client: QueryServiceClient<Channel>,
    page_size: i32,
) -> impl Fn(usize) -> std::pin::Pin<Box<dyn std::future::Future<Output = usize> + Send>> + Clone {
    move |i: usize| {
        let mut client = client.clone();
        Box::pin(async move {
            let request = list_request(page_size, i);
            let reply = client.list_events(request).await.expect("ListEvents");
            reply.into_inner().events.len()
        })
    }
}

/// Times `SAMPLES` calls of `call(i)` after a warm-up; prints p50 and p99.
async fn latency<F, Fut>(name: &str, mut call: F)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    for i in 0..20 {
        call(i).await;
    }
    let mut times = Vec::with_capacity(SAMPLES);
    let mut items = 0;
    for i in 0..SAMPLES {
        let started = Instant::now();
        items += call(i).await;
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {name:<18} p50 {:>7.2} ms   p99 {:>7.2} ms   ({:.0} items per answer)",
        ms(times[SAMPLES / 2]),
        ms(times[SAMPLES * 99 / 100]),
        items as f64 / SAMPLES as f64
    );
}

/// Requests per second that `CLIENTS` clients, each on its own connection,
/// get through `call` in `RUN`.
async fn throughput<F, Fut>(url: &str, call: F) -> f64
where
    F: Fn(Channel, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let channel = Channel::from_shared(url.to_string())
            .expect("url")
            .connect()
            .await
            .expect("connect");
        let (done, stop, call) = (done.clone(), stop.clone(), call.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = client;
            while !stop.load(Ordering::Relaxed) {
                call(channel.clone(), i).await;
                done.fetch_add(1, Ordering::Relaxed);
                i += CLIENTS;
            }
        }));
    }
    tokio::time::sleep(RUN).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("client task");
    }
    done.load(Ordering::Relaxed) as f64 / RUN.as_secs_f64()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let target: i64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let cluster = (args.get(1).map(String::as_str) == Some("postgres"))
        .then(|| dyad_store::throwaway::PostgresCluster::start().expect("PostgreSQL starts"));
    let url = match (&cluster, args.get(1)) {
        (Some(cluster), _) => cluster.create_database("bench").await.expect("database"),
        (None, Some(url)) if url.starts_with("postgres") => url.clone(),
        (None, _) => match std::env::var("DYAD_BENCH_DB") {
            Ok(path) => format!("sqlite://{path}"),
            Err(_) => format!("sqlite://{}", dir.path().join("bench.sqlite3").display()),
        },
    };
    let store = dyad_store::open(&url).await.expect("store opens");
    println!("store: {url}");
    load(&store, target).await;

    let address = serve(&store, dyad_query::QueryConfig::default()).await;
    let uncached = serve(
        &store,
        dyad_query::QueryConfig {
            answer_cache_mib: 0,
            ..Default::default()
        },
    )
    .await;
    // Latencies are of answers read from the store every time: the server
    // that keeps no answers.
    let client = QueryServiceClient::connect(uncached.clone())
        .await
        .expect("connect");

    println!("latency over {SAMPLES} sequential requests (no answers kept):");
    latency("ListEvents", list_page(client.clone(), 50)).await;
    latency("GetTimeline", |i| {
        let mut client = client.clone();
        async move {
            let request = GetTimelineRequest {
                filter: Some(EventFilter {
                    actor: country(busy_country(i)),
                    start_time: ts("2015-01-01"),
                    end_time: ts("2025-01-01"),
                    ..Default::default()
                }),
                bucket: Bucket::Month as i32,
                normalize: false,
            };
            client
                .get_timeline(request)
                .await
                .expect("GetTimeline")
                .into_inner()
                .points
                .len()
        }
    })
    .await;
    latency("ListRelations", |i| {
        let mut client = client.clone();
        async move {
            let request = ListRelationsRequest {
                actor: country(busy_country(i)),
                start_time: ts("2023-01-01"),
                end_time: ts("2024-01-01"),
                ..Default::default()
            };
            client
                .list_relations(request)
                .await
                .expect("ListRelations")
                .into_inner()
                .relations
                .len()
        }
    })
    .await;
    latency("GetDyadHistory", |i| {
        let mut client = client.clone();
        async move {
            let request = GetDyadHistoryRequest {
                actor_a: country(busy_country(i)),
                actor_b: country(busy_country(i + 1)),
                start_time: ts("2015-01-01"),
                end_time: ts("2025-01-01"),
                bucket: Bucket::Month as i32,
                ..Default::default()
            };
            client
                .get_dyad_history(request)
                .await
                .expect("GetDyadHistory")
                .into_inner()
                .points
                .len()
        }
    })
    .await;
    latency("GetRelationGraph", |i| {
        let mut client = client.clone();
        let year = 2015 + i % 10;
        async move {
            let request = GetRelationGraphRequest {
                start_time: ts(&format!("{year}-01-01")),
                end_time: ts(&format!("{}-01-01", year + 1)),
                top_k: 50,
                ..Default::default()
            };
            client
                .get_relation_graph(request)
                .await
                .expect("GetRelationGraph")
                .into_inner()
                .edges
                .len()
        }
    })
    .await;

    let pages = serve_pages(&store).await;
    let event_id = client
        .clone()
        .list_events(list_request(1, 0))
        .await
        .expect("ListEvents")
        .into_inner()
        .events
        .first()
        .map(|e| e.id.clone())
        .unwrap_or_default();
    println!("web view pages over HTTP, {SAMPLES} sequential loads each (no answers kept):");
    let window = "from=2015-01-01&to=2025-01-01";
    let event_path = format!("/event/{event_id}");
    for (name, path) in [
        ("home", format!("/?{window}")),
        ("actor", format!("/actor/A00?{window}")),
        ("dyad (quarters)", format!("/dyad/A00/A01?{window}")),
        ("graph", format!("/graph?{window}")),
        ("event", event_path),
    ] {
        latency(&format!("page {name}"), |_| {
            let (pages, path) = (pages.clone(), path.clone());
            async move { http_get(&pages, &path).await }
        })
        .await;
    }

    println!(
        "throughput of {CLIENTS} concurrent clients, {ROUNDS} rounds of {} s, each next to a \
         baseline run of the empty handler (the health check) on the same server:",
        RUN.as_secs()
    );
    for (server, kept) in [(&address, "answers kept"), (&uncached, "no answers kept")] {
        for page_size in [50, 10] {
            let decoded = move |channel, i| async move {
                list_page(QueryServiceClient::new(channel), page_size)(i).await;
            };
            report(
                &format!("ListEvents, pages of {page_size:<3} ({kept})"),
                server,
                decoded,
            )
            .await;
        }
    }
    // Clients that take each answer as bytes, as a client on another machine
    // would cost these two cores nothing to decode it.
    let undecoded = move |channel, i| async move { list_bytes(channel, 50, i).await };
    report(
        "ListEvents, pages of 50  (answers kept, clients keep the bytes)",
        &address,
        undecoded,
    )
    .await;
}

/// Prints the throughput of `call` on `server` next to the health check
/// on the same server, round by round, with the median ratio.
async fn report<F, Fut>(name: &str, server: &str, call: F)
where
    F: Fn(Channel, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let mut ratios = Vec::new();
    let mut rates = Vec::new();
    for _ in 0..ROUNDS {
        let baseline = throughput(server, |channel, _| async move {
            HealthClient::new(channel)
                .check(HealthCheckRequest {
                    service: String::new(),
                })
                .await
                .expect("health check");
        })
        .await;
        let rate = throughput(server, call.clone()).await;
        rates.push(format!("{rate:.0}/{baseline:.0}"));
        ratios.push(100.0 * rate / baseline);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "  {name:<62} median {:>3.0} % of the baseline  (requests/s per round: {})",
        ratios[ROUNDS / 2],
        rates.join(", ")
    );
}

/// ListEvents as `list_page` asks it, its answer taken as encoded bytes.
async fn list_bytes(channel: Channel, page_size: i32, i: usize) {
    let request = list_request(page_size, i);
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.expect("ready");
    let answer: tonic::Response<Encoded<ListEventsResponse>> = grpc
        .unary(
            tonic::Request::new(request),
            PathAndQuery::from_static("/dyad.v1.QueryService/ListEvents"),
            DyadCodec::default(),
        )
        .await
        .expect("ListEvents");
    assert!(!answer.into_inner().bytes().is_empty());
}

/// Serves the query service over `store` with `config` on a free port; its URL.
async fn serve(store: &Arc<dyn Store>, config: dyad_query::QueryConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(dyad_query::serve(
        listener,
        store.clone(),
        config,
        // No rate limit: the benchmark measures what the service can do.
        dyad_server::ServerOptions {
            max_requests_per_second: 0,
            ..Default::default()
        },
        std::future::pending(),
    ));
    address
}

/// Serves the query service with its HTTP door (no answers kept) on free
/// ports; the HTTP address.
async fn serve_pages(store: &Arc<dyn Store>) -> String {
    let grpc = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let http = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = http.local_addr().expect("address").to_string();
    tokio::spawn(dyad_query::serve_with_http(
        grpc,
        Some(http),
        store.clone(),
        dyad_query::QueryConfig {
            answer_cache_mib: 0,
            ..Default::default()
        },
        dyad_server::ServerOptions {
            max_requests_per_second: 0,
            ..Default::default()
        },
        std::future::pending(),
    ));
    address
}

/// GETs `path` from `address` over HTTP/1.1 as a browser's first load
/// would (a new connection); the bytes of the page. Panics unless 200.
async fn http_get(address: &str, path: &str) -> usize {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut page = Vec::new();
    stream.read_to_end(&mut page).await.expect("read");
    assert!(
        page.starts_with(b"HTTP/1.1 200"),
        "{path}: {}",
        String::from_utf8_lossy(&page[..page.len().min(200)])
    );
    page.len()
}
