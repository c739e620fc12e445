//! The bad-input catalogue: every kind of unusable request the ingest
//! service may meet, each answered with the right status and a message
//! naming the problem; afterwards the service still answers and the store
//! holds exactly what was accepted.

use std::time::Duration;

use bytes::{Buf, BufMut};
use dyad_proto::{
    Timestamp,
    v1::{
        Article, ExtractEventsRequest, GetArticleRequest, IngestArticleRequest,
        IngestArticlesRequest, IngestOutcome, ingest_service_client::IngestServiceClient,
        query_service_client::QueryServiceClient,
    },
};
use dyad_tests::Service;
use prost::Message;
use tonic::{
    Code, Status,
    codec::{CompressionEncoding, DecodeBuf, Decoder, EncodeBuf, Encoder},
    transport::Channel,
};

const NEWS: &str = "Russia condemned Ukraine on Tuesday. Armenia accused Azerbaijan of shelling \
                    villages near the border, the foreign ministry in Yerevan said.";

fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        text: text.into(),
        publish_time: Some(Timestamp {
            seconds: 1_715_299_200,
            nanos: 0,
        }),
        ..Default::default()
    }
}

fn page(id: &str, html: Vec<u8>) -> Article {
    Article {
        html,
        ..article(id, "")
    }
}

/// What the catalogue found: each case's name and what went wrong, if anything.
#[derive(Default)]
struct Catalogue {
    cases: usize,
    failures: Vec<String>,
    accepted: Vec<String>,
    refused: Vec<String>,
}

impl Catalogue {
    /// A case expected to be refused with `code` and a message containing `needle`.
    fn refused<T: std::fmt::Debug>(
        &mut self,
        name: &str,
        id: &str,
        result: Result<T, Status>,
        code: Code,
        needle: &str,
    ) {
        self.cases += 1;
        match result {
            Err(status) if status.code() == code && status.message().contains(needle) => {
                self.refused.push(id.to_string());
            }
            other => self.failures.push(format!(
                "{name}: expected {code:?} naming {needle:?}, got {other:?}"
            )),
        }
    }

    /// A case expected to be accepted, with `check` on the answer.
    fn accepted<T: std::fmt::Debug>(
        &mut self,
        name: &str,
        id: &str,
        result: Result<T, Status>,
        check: impl FnOnce(&T) -> bool,
    ) {
        self.cases += 1;
        match result {
            Ok(answer) if check(&answer) => self.accepted.push(id.to_string()),
            other => self
                .failures
                .push(format!("{name}: expected acceptance, got {other:?}")),
        }
    }
}

/// A codec sending raw bytes as the message, to send what no typed client would.
#[derive(Default)]
struct RawCodec;

impl tonic::codec::Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> Self::Encoder {
        RawCodec
    }

    fn decoder(&mut self) -> Self::Decoder {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let bytes = src.chunk().to_vec();
        src.advance(bytes.len());
        Ok(Some(bytes))
    }
}

async fn raw_unary(channel: Channel, path: &'static str, body: Vec<u8>) -> Result<Vec<u8>, Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    grpc.unary(
        tonic::Request::new(body),
        http::uri::PathAndQuery::from_static(path),
        RawCodec,
    )
    .await
    .map(tonic::Response::into_inner)
}

/// Sends one complete article, then a message cut off half way, and ends the
/// stream there (HTTP/2 by hand). Returns the answered outcomes and the
/// final grpc-status and message.
async fn stream_cut_mid_message(addr: &str, whole: Article) -> (usize, String, String) {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(connection);
    let mut client = client.ready().await.unwrap();
    let request = http::Request::builder()
        .method("POST")
        .uri(format!(
            "http://{addr}/dyad.v1.IngestService/IngestArticles"
        ))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(())
        .unwrap();
    let (response, mut send) = client.send_request(request, false).unwrap();
    let frame = |message: Vec<u8>| {
        let mut framed = vec![0u8];
        framed.put_u32(message.len() as u32);
        framed.extend(message);
        framed
    };
    let complete = IngestArticlesRequest {
        article: Some(whole),
    }
    .encode_to_vec();
    send.send_data(frame(complete).into(), false).unwrap();
    let half = IngestArticlesRequest {
        article: Some(article("cut-in-half", NEWS)),
    }
    .encode_to_vec();
    let mut partial = frame(half);
    partial.truncate(partial.len() / 2);
    send.send_data(partial.into(), true).unwrap();
    let mut body = response.await.unwrap().into_body();
    let mut answers = 0;
    while let Some(data) = body.data().await {
        let data = data.unwrap();
        answers += usize::from(!data.is_empty());
        let _ = body.flow_control().release_capacity(data.len());
    }
    let trailers = body.trailers().await.unwrap().unwrap_or_default();
    let field = |name: &str| {
        trailers
            .get(name)
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    (answers, field("grpc-status"), field("grpc-message"))
}

#[tokio::test]
async fn the_bad_input_catalogue_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite://{}", dir.path().join("dyad.sqlite3").display());
    catalogue(&store).await;
}

/// The same catalogue on PostgreSQL, which refuses some values SQLite takes
/// (a NUL in text): the answers must not differ. Fails loudly without
/// PostgreSQL unless `DYAD_SKIP_POSTGRES_TESTS=1`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bad_input_catalogue_on_postgres() {
    if std::env::var("DYAD_SKIP_POSTGRES_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: the bad-input catalogue on PostgreSQL (DYAD_SKIP_POSTGRES_TESTS=1)");
        return;
    }
    let cluster = dyad_store::throwaway::PostgresCluster::start().unwrap_or_else(|e| panic!("{e}"));
    let url = cluster.create_database("catalogue").await.unwrap();
    catalogue(&url).await;
}

/// Every case against both services on the store at `store`.
async fn catalogue(store: &str) {
    let ingest = Service::start("dyad-ingest", &["--store", store]);
    let query = Service::start("dyad-query", &["--store", store]);
    let channel = Channel::from_shared(ingest.url())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let client = IngestServiceClient::new(channel.clone())
        .max_encoding_message_size(usize::MAX)
        .max_decoding_message_size(64 << 20);
    let one = |article: Option<Article>| {
        let mut client = client.clone();
        async move {
            client
                .ingest_article(IngestArticleRequest { article })
                .await
                .map(tonic::Response::into_inner)
        }
    };
    let mut c = Catalogue::default();
    let arg = Code::InvalidArgument;

    // The article itself.
    c.refused(
        "missing article",
        "",
        one(None).await,
        arg,
        "article: missing",
    );
    c.refused(
        "empty text",
        "empty",
        one(Some(article("empty", ""))).await,
        arg,
        "article.text: is empty",
    );
    c.refused(
        "whitespace only",
        "blank",
        one(Some(article("blank", " \n\t \u{a0}\n"))).await,
        arg,
        "article.text: is empty",
    );
    c.refused(
        "only invisible characters",
        "invisible",
        one(Some(article(
            "invisible",
            "\u{200b}\u{feff}\u{202e}\u{0007}",
        )))
        .await,
        arg,
        "article.text: is empty",
    );
    let big = "Armenia accused Azerbaijan. ".repeat(80_000);
    c.refused(
        "text over its limit",
        "big-text",
        one(Some(article("big-text", &big))).await,
        arg,
        "over the limit of 1048576 bytes",
    );
    c.refused(
        "a url of a megabyte",
        "long-url",
        one(Some(Article {
            url: format!("https://example.org/{}", "a".repeat(1 << 20)),
            ..article("long-url", "Armenia accused Azerbaijan.")
        }))
        .await,
        arg,
        "article.url: is 1048596 bytes, over the limit of 8000",
    );
    let fifty_mb = "x".repeat(50 << 20);
    c.refused(
        "a 50 MB message",
        "huge",
        one(Some(article("huge", &fifty_mb))).await,
        Code::OutOfRange,
        "message length too large",
    );
    drop(fifty_mb);
    let one_sentence = format!(
        "Russia condemned Ukraine {}",
        "and its allies ".repeat(65_000)
    );
    c.accepted(
        "a 1 MB single sentence",
        "one-sentence",
        one(Some(article("one-sentence", &one_sentence))).await,
        |a| a.outcome() == IngestOutcome::Ingested,
    );
    // A deadline shorter than the coding takes: the server gives up at the
    // deadline (tonic answers CANCELLED "Timeout expired"; clients that
    // enforce their deadline themselves report DEADLINE_EXCEEDED). Whether
    // the article was stored first is up to the race, so it is not checked.
    let mut hurried = tonic::Request::new(IngestArticleRequest {
        article: Some(article(
            "hurried",
            &one_sentence.replace("Russia", "Armenia"),
        )),
    });
    hurried.set_timeout(Duration::from_millis(5));
    let started = std::time::Instant::now();
    let answer = client.clone().ingest_article(hurried).await;
    c.refused(
        "a deadline shorter than the work",
        "",
        answer,
        Code::Cancelled,
        "Timeout expired",
    );
    if started.elapsed() > Duration::from_secs(1) {
        c.failures.push(format!(
            "a deadline of 5 ms was answered only after {:?}",
            started.elapsed()
        ));
    }
    c.refused(
        "id too long",
        "",
        one(Some(article(&"i".repeat(300), NEWS))).await,
        arg,
        "article.id: must be at most 256 bytes",
    );
    c.refused(
        "id with a control character",
        "",
        one(Some(article("bad\u{1}id", NEWS))).await,
        arg,
        "article.id",
    );
    let mut titled = article("long-title", NEWS);
    titled.title = "t".repeat(2_000);
    c.refused(
        "title too long",
        "long-title",
        one(Some(titled)).await,
        arg,
        "article.title: is 2000 bytes",
    );

    // Times, addresses, languages.
    for (name, id, seconds, nanos, needle) in [
        (
            "publish time in year 0",
            "year-0",
            -62_167_219_200,
            0,
            "year 0 is outside 1900..=2100",
        ),
        (
            "publish time in year 3000",
            "year-3000",
            32_503_680_000,
            0,
            "year 3000 is outside",
        ),
        (
            "negative nanoseconds",
            "nanos",
            1_715_299_200,
            -5,
            "is not a valid timestamp",
        ),
        (
            "time beyond any calendar",
            "no-time",
            i64::MAX,
            0,
            "is not a valid timestamp",
        ),
    ] {
        let mut a = article(id, NEWS);
        a.publish_time = Some(Timestamp { seconds, nanos });
        c.refused(name, id, one(Some(a)).await, arg, needle);
    }
    for (name, id, url, needle) in [
        (
            "malformed URL",
            "url-1",
            "ht!tp://exa mple",
            "article.url: is not a valid URL",
        ),
        (
            "URL without a scheme",
            "url-2",
            "www.example.com/a",
            "article.url: is not a valid URL",
        ),
        (
            "URL of another scheme",
            "url-3",
            "ftp://example.com/a",
            "has scheme \"ftp\"",
        ),
    ] {
        let mut a = article(id, NEWS);
        a.url = url.into();
        c.refused(name, id, one(Some(a)).await, arg, needle);
    }
    let mut klingon = article("klingon", NEWS);
    klingon.language = "klingon".into();
    c.refused(
        "unknown language",
        "klingon",
        one(Some(klingon)).await,
        arg,
        "article.language: \"klingon\" is not an ISO 639-1",
    );
    let german = article(
        "german",
        "Russland hat am Dienstag angekündigt, seine Friedenstruppen aus der Region abzuziehen. \
         Das Außenministerium erklärte, die Entscheidung sei im Einvernehmen mit Aserbaidschan getroffen worden.",
    );
    c.accepted(
        "an article in German",
        "german",
        one(Some(german)).await,
        |a| {
            a.outcome() == IngestOutcome::Ingested
                && a.event_count == 0
                && a.not_coded == "unsupported language: de (only English is coded)"
        },
    );

    // Characters that hide or garble text: removed, the rest coded.
    let mut extract = client.clone();
    let cleaned = extract
        .extract_events(ExtractEventsRequest {
            article: Some(article(
                "",
                "Russia\u{0}\u{7} con\u{202e}demned\u{2066} Ukraine\r\non Tuesday.",
            )),
        })
        .await
        .map(tonic::Response::into_inner);
    c.accepted("control and bidi characters", "", cleaned, |r| {
        r.article
            .as_ref()
            .is_some_and(|a| a.text == "Russia condemned Ukraine\non Tuesday.")
            && r.events.len() == 1
    });
    c.accepted(
        "NUL bytes (PostgreSQL cannot store them)",
        "nul",
        one(Some(article(
            "nul",
            "Russia condemned\0 Ukraine on Tuesday.",
        )))
        .await,
        |a| a.event_count == 1,
    );

    // Pages.
    let binary: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    c.refused(
        "binary bytes as a page",
        "binary",
        one(Some(page("binary", binary))).await,
        arg,
        "article.html: is not UTF-8 text",
    );
    let mut latin1 = b"<html><body><p>".to_vec();
    for _ in 0..200 {
        latin1.extend_from_slice(
            b"Fran\xe7ois Hollande a d\xe9clar\xe9 que la France \xe9tait pr\xeate. ",
        );
    }
    c.refused(
        "invalid UTF-8 in a page that declares no charset",
        "latin1",
        one(Some(page("latin1", latin1.clone()))).await,
        arg,
        "is not UTF-8 text",
    );
    let declared = [b"<meta charset=\"iso-8859-1\">".to_vec(), latin1].concat();
    c.accepted(
        "the same page with its charset declared",
        "latin1-declared",
        one(Some(page("latin1-declared", declared))).await,
        |a| a.outcome() == IngestOutcome::Ingested && !a.not_coded.is_empty(),
    );
    let nested = format!(
        "<html><body>{}<p>{NEWS}</p></body></html>",
        "<div>".repeat(100_000)
    );
    c.refused(
        "100,000 nested tags",
        "nested",
        one(Some(page("nested", nested.into_bytes()))).await,
        arg,
        "nested 1001 deep, over the limit of 1000",
    );
    let bomb = format!(
        "<html><body><article><p>{}</p><p>{NEWS}</p></article></body></html>",
        "&amp;&lt;&#x1F4A3;&nbsp;".repeat(100_000)
    );
    c.accepted(
        "an HTML bomb of entities",
        "bomb",
        one(Some(page("bomb", bomb.into_bytes()))).await,
        |a| a.outcome() == IngestOutcome::Ingested,
    );
    c.refused("a page with no text", "no-text", one(Some(page("no-text", b"<html><head><title>Photo</title></head><body><img src=a.png><script>var a = \"<p>text</p>\";</script></body></html>".to_vec()))).await, arg, "article.html: has no readable text");
    let huge_page = [b"<html><body><p>".to_vec(), vec![b'a'; 5 << 20]].concat();
    c.refused(
        "a page over its limit",
        "huge-page",
        one(Some(page("huge-page", huge_page))).await,
        arg,
        "article.html: is 5242895 bytes, over the limit",
    );
    let good_page = format!(
        "<html><head><title>News</title><meta property=\"article:published_time\" content=\"2024-05-10T08:00:00Z\"></head><body><article><p>{NEWS}</p></article></body></html>"
    );
    c.accepted(
        "a good page",
        "good-page",
        one(Some(page("good-page", good_page.into_bytes()))).await,
        |a| a.event_count >= 1,
    );

    // Malformed messages.
    let mut invalid_utf8 = IngestArticleRequest {
        article: Some(article("invalid-utf8", "Russia condemned XXXXXXX.")),
    }
    .encode_to_vec();
    let at = invalid_utf8
        .windows(7)
        .position(|w| w == b"XXXXXXX")
        .unwrap();
    invalid_utf8[at..at + 7].copy_from_slice(b"\xff\xfe\xfd\xfc\xfb\xfa\xf9");
    c.refused(
        "invalid UTF-8 in a string field",
        "invalid-utf8",
        raw_unary(
            channel.clone(),
            "/dyad.v1.IngestService/IngestArticle",
            invalid_utf8,
        )
        .await,
        arg,
        "not a valid dyad.v1 message",
    );
    c.refused(
        "garbage bytes for a message",
        "",
        raw_unary(
            channel.clone(),
            "/dyad.v1.IngestService/IngestArticle",
            vec![0xff; 64],
        )
        .await,
        arg,
        "not a valid dyad.v1 message",
    );
    c.refused(
        "an unknown method",
        "",
        raw_unary(channel.clone(), "/dyad.v1.IngestService/Delete", vec![]).await,
        Code::Unimplemented,
        "",
    );
    let mut zipped = client.clone().send_compressed(CompressionEncoding::Gzip);
    let inflating = zipped
        .ingest_article(IngestArticleRequest {
            article: Some(article("gzip-bomb", &" ".repeat(20 << 20))),
        })
        .await;
    c.refused(
        "a gzip request inflating past the limit",
        "gzip-bomb",
        inflating,
        Code::ResourceExhausted,
        "size limit, of 6291456 bytes, exceeded while decompressing",
    );
    let zipped_ok = zipped
        .ingest_article(IngestArticleRequest {
            article: Some(article("gzip-ok", NEWS)),
        })
        .await
        .map(tonic::Response::into_inner);
    c.accepted(
        "a gzip request within the limit",
        "gzip-ok",
        zipped_ok,
        |a| a.event_count >= 1,
    );

    // Streams.
    let mut streaming = client.clone();
    let requests = ["dup", "dup", "stream-bad", "stream-good"].map(|id| IngestArticlesRequest {
        article: Some(article(id, if id == "stream-bad" { "" } else { NEWS })),
    });
    let answers: Vec<_> = {
        use tokio_stream::StreamExt;
        let mut responses = streaming
            .ingest_articles(tokio_stream::iter(requests))
            .await
            .unwrap()
            .into_inner();
        let mut answers = Vec::new();
        while let Some(answer) = responses.next().await {
            answers.push(answer.unwrap());
        }
        answers
    };
    let outcome = |i: usize| answers.get(i).map(|a| a.outcome());
    c.accepted(
        "a duplicate inside one stream",
        "dup",
        Ok::<_, Status>(()),
        |()| {
            outcome(0) == Some(IngestOutcome::Ingested)
                && outcome(1) == Some(IngestOutcome::AlreadyKnown)
        },
    );
    c.cases += 1;
    let rejected_field = answers.get(2).and_then(|a| a.rejection.as_ref());
    if outcome(2) != Some(IngestOutcome::Rejected)
        || rejected_field.is_none_or(|r| r.field != "article.text")
    {
        c.failures
            .push(format!("a bad article in a stream: {:?}", answers.get(2)));
    }
    c.refused.push("stream-bad".into());
    c.accepted(
        "a good article after a bad one in a stream",
        "stream-good",
        Ok::<_, Status>(()),
        |()| outcome(3) == Some(IngestOutcome::Ingested),
    );
    let empty_stream = streaming
        .ingest_articles(tokio_stream::iter(Vec::<IngestArticlesRequest>::new()))
        .await;
    c.accepted("an empty stream", "", empty_stream, |_| true);
    let (answered, status, message) =
        stream_cut_mid_message(&ingest.addr, article("before-cut", NEWS)).await;
    c.cases += 1;
    if answered != 1 || status != "3" || !message.contains("the%20request%20stream%20broke%20off") {
        c.failures.push(format!(
            "a stream that stops mid-message: {answered} answers, grpc-status {status:?}, {message:?}"
        ));
    }
    c.accepted.push("before-cut".into());
    c.refused.push("cut-in-half".into());

    labels_and_repetition(&mut c, client.clone(), &query.url()).await;
    query_cases(&mut c, &query.url()).await;

    assert!(c.cases >= 60, "the catalogue has only {} cases", c.cases);
    assert!(
        c.failures.is_empty(),
        "{} of {} cases failed:\n{}",
        c.failures.len(),
        c.cases,
        c.failures.join("\n")
    );

    // The service still answers, and the store holds exactly what was accepted.
    let after = one(Some(article("after-catalogue", NEWS))).await.unwrap();
    assert_eq!(after.outcome(), IngestOutcome::Ingested);
    let mut reader = QueryServiceClient::connect(query.url()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    for id in c.accepted.iter().filter(|id| !id.is_empty()) {
        let found = reader
            .get_article(GetArticleRequest {
                id: id.clone(),
                ..Default::default()
            })
            .await;
        assert!(
            found.is_ok(),
            "accepted article {id} is not stored: {found:?}"
        );
    }
    for id in c.refused.iter().filter(|id| !id.is_empty()) {
        let found = reader
            .get_article(GetArticleRequest {
                id: id.clone(),
                ..Default::default()
            })
            .await;
        assert_eq!(
            found.map(|_| ()).unwrap_err().code(),
            Code::NotFound,
            "refused article {id} was stored"
        );
    }
    // An id of 3 MB is NOT_FOUND with a short message, not a message too
    // large for the status header.
    let huge_id = reader
        .get_event(dyad_proto::v1::GetEventRequest {
            id: "x".repeat(3 << 20),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(huge_id.code(), Code::NotFound, "{:?}", huge_id.code());
    assert!(huge_id.message().len() < 120, "{}", huge_id.message());
    println!("bad-input catalogue: {} cases passed", c.cases);
}

/// Labels with control characters are stored without them on both stores
/// (PostgreSQL refuses a NUL), and an article repeating one sentence
/// thousands of times gives an event that is still read back whole.
async fn labels_and_repetition(
    c: &mut Catalogue,
    client: IngestServiceClient<Channel>,
    query_url: &str,
) {
    let ingest = |article: Article| {
        let mut client = client.clone();
        async move {
            client
                .ingest_article(IngestArticleRequest {
                    article: Some(article),
                })
                .await
                .map(tonic::Response::into_inner)
        }
    };
    let mut labelled = article("nul-outlet", NEWS);
    labelled.outlet = "Wire\u{0}Service".into();
    labelled.title = "Title\u{0}with a NUL".into();
    let answer = ingest(labelled).await;
    c.accepted("a NUL in the outlet and title", "nul-outlet", answer, |a| {
        a.outcome() == IngestOutcome::Ingested
    });
    let sentence = "Russia condemned Ukraine on Tuesday. ";
    let repeated = sentence.repeat((1 << 20) / sentence.len() - 1);
    let answer = ingest(article("repeated", &repeated)).await;
    c.accepted(
        "a 1 MB article repeating one sentence",
        "repeated",
        answer,
        |a| a.event_count >= 1,
    );
    let mut reader = QueryServiceClient::connect(query_url.to_string())
        .await
        .unwrap();
    let stored = reader
        .get_article(GetArticleRequest {
            id: "nul-outlet".into(),
            ..Default::default()
        })
        .await
        .map(tonic::Response::into_inner);
    c.accepted(
        "the outlet and title are stored without the NUL",
        "",
        stored,
        |a| {
            let article = a.article.as_ref().unwrap();
            article.outlet == "WireService" && article.title == "Titlewith a NUL"
        },
    );
    let repeated = reader
        .get_article(GetArticleRequest {
            id: "repeated".into(),
            ..Default::default()
        })
        .await
        .map(tonic::Response::into_inner);
    let event_id = repeated
        .as_ref()
        .ok()
        .and_then(|a| a.events.first())
        .map(|e| e.id.clone())
        .unwrap_or_default();
    c.accepted(
        "the repeated article keeps ten mentions of its event",
        "",
        repeated,
        |a| {
            a.events
                .iter()
                .all(|e| e.mentions.len() <= 10 && e.num_mentions >= 1)
        },
    );
    let event = reader
        .get_event(dyad_proto::v1::GetEventRequest {
            id: event_id,
            ..Default::default()
        })
        .await
        .map(tonic::Response::into_inner);
    c.accepted(
        "the repeated article's event is read back",
        "",
        event,
        |e| {
            e.event.as_ref().is_some_and(|e| {
                let here = e.mentions.iter().filter(|m| m.article_id == "repeated");
                here.count() == 10
            })
        },
    );
}

/// Requests the query service must refuse, each naming its field, with
/// the right status; none may reach the store as a statement it refuses.
async fn query_cases(c: &mut Catalogue, query_url: &str) {
    use dyad_proto::v1::{
        ActorMatch, BoundingBox, EventFilter, ExportEventsRequest, GetDyadHistoryRequest,
        GetEventRequest, GetRelationGraphRequest, GetTimelineRequest, ListEventsRequest,
        ListRelationsRequest, SearchActorsRequest, WatchEventsRequest,
    };
    let mut q = QueryServiceClient::connect(query_url.to_string())
        .await
        .unwrap();
    let arg = Code::InvalidArgument;
    let at = |seconds: i64| Some(Timestamp { seconds, nanos: 0 });
    let listed = |filter: EventFilter| ListEventsRequest {
        filter: Some(filter),
        ..Default::default()
    };
    let rus = || {
        Some(ActorMatch {
            country_code: "RUS".into(),
            ..Default::default()
        })
    };
    let filters: Vec<(&str, EventFilter, &str)> = vec![
        (
            "a CAMEO code out of range",
            EventFilter {
                cameo_codes: vec!["21".into()],
                ..Default::default()
            },
            "filter.cameo_codes",
        ),
        (
            "a CAMEO code with letters",
            EventFilter {
                cameo_codes: vec!["19a".into()],
                ..Default::default()
            },
            "filter.cameo_codes",
        ),
        (
            "2,000 distinct CAMEO codes",
            EventFilter {
                cameo_codes: (0..2000).map(|n| format!("1{n:03}")).collect(),
                ..Default::default()
            },
            "filter.cameo_codes",
        ),
        (
            "a counterpart without an actor",
            EventFilter {
                counterpart: rus(),
                ..Default::default()
            },
            "filter.counterpart",
        ),
        (
            "an end before the start",
            EventFilter {
                start_time: at(1_700_000_000),
                end_time: at(1_600_000_000),
                ..Default::default()
            },
            "filter.end_time",
        ),
        (
            "a timestamp with negative nanoseconds",
            EventFilter {
                start_time: Some(Timestamp {
                    seconds: 0,
                    nanos: -1,
                }),
                ..Default::default()
            },
            "filter.start_time",
        ),
        (
            "an unknown modality",
            EventFilter {
                modalities: vec![99],
                ..Default::default()
            },
            "filter.modalities",
        ),
        (
            "an unknown quad class",
            EventFilter {
                quad_classes: vec![-3],
                ..Default::default()
            },
            "filter.quad_classes",
        ),
        (
            "a place country that is no ISO code",
            EventFilter {
                place_country_code: "Russia".into(),
                ..Default::default()
            },
            "filter.place_country_code",
        ),
        (
            "a place box beyond the poles",
            EventFilter {
                place_box: Some(BoundingBox {
                    south: -100.0,
                    west: 0.0,
                    north: 10.0,
                    east: 10.0,
                }),
                ..Default::default()
            },
            "filter.place_box",
        ),
        (
            "a confidence over one",
            EventFilter {
                min_confidence: 1.5,
                ..Default::default()
            },
            "filter.min_confidence",
        ),
    ];
    for (name, filter, field) in filters {
        let answer = q.list_events(listed(filter)).await;
        c.refused(name, "", answer, arg, field);
    }
    let answer = q
        .list_events(ListEventsRequest {
            page_size: -1,
            ..Default::default()
        })
        .await;
    c.refused("a negative page size", "", answer, arg, "page_size");
    let answer = q
        .list_events(ListEventsRequest {
            page_token: "not-a-token".into(),
            ..Default::default()
        })
        .await;
    c.refused("a made-up page token", "", answer, arg, "page_token");
    let first = q
        .list_events(ListEventsRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let answer = q
        .list_events(ListEventsRequest {
            page_token: first.next_page_token.clone(),
            descending: true,
            ..Default::default()
        })
        .await;
    c.refused(
        "a page token of another listing",
        "",
        answer,
        arg,
        "page_token",
    );
    let answer = q
        .get_timeline(GetTimelineRequest {
            filter: Some(EventFilter {
                start_time: at(0),
                end_time: at(4_000_000_000),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await;
    c.refused("a timeline window of 127 years", "", answer, arg, "filter");
    let answer = q
        .get_timeline(GetTimelineRequest {
            bucket: 42,
            ..Default::default()
        })
        .await;
    c.refused("an unknown bucket", "", answer, arg, "bucket");
    for (name, id) in [
        ("an event id with a NUL", "ev_\u{0}x"),
        ("an unknown event id", "ev_nothing"),
    ] {
        let answer = q
            .get_event(GetEventRequest {
                id: id.into(),
                ..Default::default()
            })
            .await;
        c.refused(name, "", answer, Code::NotFound, "no event with id");
    }
    let answer = q
        .get_article(GetArticleRequest {
            id: "a\u{0}".into(),
            ..Default::default()
        })
        .await;
    c.refused(
        "an article id with a NUL",
        "",
        answer,
        Code::NotFound,
        "no article with id",
    );
    let answer = q
        .get_event(GetEventRequest {
            id: "ev_nothing".into(),
            mention_page_size: -5,
            ..Default::default()
        })
        .await;
    c.refused(
        "a negative mention page size",
        "",
        answer,
        arg,
        "mention_page_size",
    );
    let answer = q
        .get_event(GetEventRequest {
            id: "ev_nothing".into(),
            mention_page_token: "forged".into(),
            ..Default::default()
        })
        .await;
    c.refused(
        "a made-up mention page token",
        "",
        answer,
        arg,
        "mention_page_token",
    );
    let answer = q
        .get_article(GetArticleRequest {
            id: "nul-outlet".into(),
            page_token: first.next_page_token.clone(),
            ..Default::default()
        })
        .await;
    c.refused(
        "an event listing's token on an article",
        "",
        answer,
        arg,
        "page_token",
    );
    let answer = q.list_relations(ListRelationsRequest::default()).await;
    c.refused("relations of no actor", "", answer, arg, "actor");
    let answer = q
        .list_relations(ListRelationsRequest {
            actor: rus(),
            page_token: "forged".into(),
            ..Default::default()
        })
        .await;
    c.refused("a made-up relations token", "", answer, arg, "page_token");
    let answer = q
        .list_relations(ListRelationsRequest {
            actor: rus(),
            start_time: at(0),
            end_time: at(4_000_000_000),
            ..Default::default()
        })
        .await;
    c.refused("a relations window of 127 years", "", answer, arg, "time");
    let answer = q
        .get_dyad_history(GetDyadHistoryRequest {
            actor_a: rus(),
            ..Default::default()
        })
        .await;
    c.refused("a dyad with one side", "", answer, arg, "actor_b");
    let answer = q
        .get_relation_graph(GetRelationGraphRequest {
            start_time: at(1_700_000_000),
            end_time: at(1_600_000_000),
            ..Default::default()
        })
        .await;
    c.refused("a graph window ending first", "", answer, arg, "end_time");
    let answer = q
        .get_relation_graph(GetRelationGraphRequest {
            start_time: at(1_600_000_000),
            end_time: at(1_700_000_000),
            top_k: -1,
            ..Default::default()
        })
        .await;
    c.refused("a negative top_k", "", answer, arg, "top_k");
    let answer = q.search_actors(SearchActorsRequest::default()).await;
    c.refused("an empty actor search", "", answer, arg, "query");
    let answer = q
        .search_actors(SearchActorsRequest {
            query: "x".repeat(1 << 20),
            ..Default::default()
        })
        .await;
    c.refused("a 1 MB actor search", "", answer, arg, "query");
    let watch = q
        .watch_events(WatchEventsRequest {
            cursor: "forged".into(),
            ..Default::default()
        })
        .await;
    c.refused("a made-up watch cursor", "", watch, arg, "cursor");
    let export = q
        .export_events(ExportEventsRequest {
            resume_token: "forged".into(),
            ..Default::default()
        })
        .await;
    c.refused(
        "a made-up export resume token",
        "",
        export,
        arg,
        "resume_token",
    );
}
