//! The `dyad.v1.IngestService` implementation.

use std::{pin::Pin, sync::Arc};

use dyad_extract::{ArticleText, Coder};
use dyad_proto::errors;
use dyad_proto::v1::{
    self, ExtractEventsRequest, ExtractEventsResponse, IngestArticleRequest, IngestArticleResponse,
    IngestArticlesRequest, IngestArticlesResponse, IngestOutcome, Rejection,
    ingest_service_server::IngestService,
};
use dyad_store::{
    PutOutcome, Store, StoreError,
    policy::{Arrival, arrival},
};
use futures_util::{FutureExt, future::join_all};
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use crate::{
    IngestConfig,
    admission::{Admission, UNARY_WAIT},
    coding_pool::CodingPool,
    convert,
    error::IngestError,
    validate::{Limits, ValidArticle, validate},
    writability::Writability,
};

/// Codes and stores articles.
#[derive(Clone)]
pub struct Ingester {
    coder: Arc<Coder>,
    store: Arc<dyn Store>,
    config: IngestConfig,
    admission: Admission,
    coding: CodingPool,
    writability: Writability,
}

/// The result of ingesting one article.
struct Ingested {
    article_id: String,
    outcome: IngestOutcome,
    event_count: u32,
    not_coded: String,
}

impl Ingested {
    fn known(article_id: String) -> Self {
        Self {
            article_id,
            outcome: IngestOutcome::AlreadyKnown,
            event_count: 0,
            not_coded: String::new(),
        }
    }
}

/// Counts an article's outcome in the metrics.
fn count_outcome(outcome: &str) {
    metrics::counter!("dyad_articles_total", "outcome" => outcome.to_string()).increment(1);
}

impl Ingester {
    /// An ingester writing to `store`.
    pub fn new(coder: Arc<Coder>, store: Arc<dyn Store>, config: IngestConfig) -> Self {
        let admission = Admission::new(config.max_inflight_bytes);
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        // Reading and coding take one thread per core: each article needs a
        // working set several times its size, and more would not be faster.
        Self {
            coder,
            store,
            config,
            admission,
            coding: CodingPool::new(cores),
            writability: Writability::default(),
        }
    }

    /// Whether the store took this service's last write; ingest health
    /// follows it.
    pub fn writability(&self) -> Writability {
        self.writability.clone()
    }

    fn extract(&self, article: Option<v1::Article>) -> Result<ExtractEventsResponse, IngestError> {
        extract_events(&self.coder, article, self.config.limits())
    }

    /// Validates an article and codes it unless it is already stored by this
    /// coder (or a newer one).
    async fn prepare(&self, article: Option<v1::Article>) -> Result<Prepared, IngestError> {
        let limits = self.config.limits();
        // Reading a page parses HTML: on the coding threads, one per core.
        let valid = self
            .coding
            .run(move || validate(article, limits))
            .await?
            .map_err(IngestError::Invalid)?;
        // Known articles are answered without coding them again.
        let stored = self
            .store
            .find_article(&valid.article.id, &valid.article.url)
            .await?;
        if let Arrival::Known(existing) = arrival(stored, dyad_extract::CODER_VERSION) {
            return Ok(Prepared::Done(Ingested::known(existing)));
        }
        let coder = self.coder.clone();
        let (article, events, not_coded) = self
            .coding
            .run(move || {
                let started = std::time::Instant::now();
                let events = code_article(&coder, &valid);
                metrics::histogram!("dyad_coding_duration_seconds")
                    .record(started.elapsed().as_secs_f64());
                (valid.article, events, valid.not_coded)
            })
            .await?;
        Ok(Prepared::ToStore(
            Box::new(article),
            events,
            not_coded.unwrap_or_default(),
        ))
    }

    async fn ingest(&self, article: Option<v1::Article>) -> Result<Ingested, IngestError> {
        let size = article.as_ref().map_or(0, prost::Message::encoded_len);
        let _room = self
            .admission
            .within(size, UNARY_WAIT)
            .await
            .ok_or(IngestError::Overloaded)?;
        let answer = match self.prepare(article).await {
            Ok(Prepared::Done(ingested)) => Ok(ingested),
            Ok(Prepared::ToStore(article, events, not_coded)) => {
                let started = std::time::Instant::now();
                let outcome = self
                    .store
                    .put_article(&article, &events, dyad_extract::CODER_VERSION)
                    .await;
                record_store_write(started, outcome.is_ok());
                self.writability.observe(&outcome);
                outcome
                    .map(|outcome| ingested(&article, events.len(), outcome, not_coded))
                    .map_err(IngestError::from)
            }
            Err(error) => Err(error),
        };
        match &answer {
            Ok(ingested) => count_ingested(ingested),
            Err(IngestError::Invalid(_) | IngestError::Store(StoreError::Invalid(_))) => {
                count_outcome("rejected")
            }
            Err(IngestError::Overloaded) => count_outcome("shed"),
            Err(IngestError::Store(_) | IngestError::Task(_)) => count_outcome("failed"),
        }
        answer
    }

    /// Ingests the articles of one stream batch: prepared (coded) side by
    /// side, stored in one transaction, answered in order. A store failure
    /// fails the batch: none of its articles is acknowledged. An article
    /// sent twice in the batch is stored once, the second answered as known.
    async fn ingest_batch(
        &self,
        articles: Vec<Option<v1::Article>>,
    ) -> Result<Vec<Result<Ingested, Rejection>>, IngestError> {
        let prepared = join_all(articles.into_iter().map(|a| self.prepare(a))).await;
        let mut to_store: Vec<(v1::Article, Vec<v1::Event>)> = Vec::new();
        let mut not_coded = Vec::new();
        let mut answers: Vec<Option<Result<Ingested, Rejection>>> = Vec::new();
        for result in prepared {
            match result {
                Ok(Prepared::Done(done)) => answers.push(Some(Ok(done))),
                Ok(Prepared::ToStore(article, events, why)) => {
                    let twin = to_store
                        .iter()
                        .find(|(earlier, _)| {
                            earlier.id == article.id
                                || (!article.url.is_empty() && earlier.url == article.url)
                        })
                        .map(|(earlier, _)| earlier.id.clone());
                    match twin {
                        Some(earlier) => answers.push(Some(Ok(Ingested::known(earlier)))),
                        None => {
                            answers.push(None);
                            to_store.push((*article, events));
                            not_coded.push(why);
                        }
                    }
                }
                Err(IngestError::Invalid(rejection)) => answers.push(Some(Err(rejection))),
                Err(error) => return Err(error),
            }
        }
        let outcomes = if to_store.is_empty() {
            Vec::new()
        } else {
            let started = std::time::Instant::now();
            let outcomes = self
                .store
                .put_articles(&to_store, dyad_extract::CODER_VERSION)
                .await;
            record_store_write(started, outcomes.is_ok());
            self.writability.observe(&outcomes);
            match outcomes {
                Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
                // One article the database refuses must not sink the rest.
                Err(StoreError::Invalid(_)) => self.put_one_by_one(&to_store).await?,
                Err(error) => return Err(error.into()),
            }
        };
        let mut stored = to_store.iter().zip(outcomes).zip(not_coded);
        let answers: Vec<_> = answers
            .into_iter()
            .map(|answer| {
                answer.unwrap_or_else(|| {
                    let (((article, events), outcome), why) =
                        stored.next().expect("one outcome per stored article");
                    outcome.map(|outcome| ingested(article, events.len(), outcome, why))
                })
            })
            .collect();
        for answer in &answers {
            match answer {
                Ok(ingested) => count_ingested(ingested),
                Err(_) => count_outcome("rejected"),
            }
        }
        Ok(answers)
    }

    /// Stores a batch the database refused as a whole one article at a
    /// time: each article it refuses is answered with its reason, the
    /// others are stored. Any other failure fails the batch.
    async fn put_one_by_one(
        &self,
        batch: &[(v1::Article, Vec<v1::Event>)],
    ) -> Result<Vec<Result<PutOutcome, Rejection>>, IngestError> {
        let mut outcomes = Vec::with_capacity(batch.len());
        for (article, events) in batch {
            let outcome = match self
                .store
                .put_article(article, events, dyad_extract::CODER_VERSION)
                .await
            {
                Ok(outcome) => Ok(outcome),
                Err(refused @ StoreError::Invalid(_)) => Err(Rejection {
                    field: "article".to_owned(),
                    description: dyad_server::store_status(refused, "this article")
                        .message()
                        .to_owned(),
                }),
                Err(error) => return Err(error.into()),
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }
}

/// Counts a taken article and its events in the metrics.
fn count_ingested(ingested: &Ingested) {
    count_outcome(match ingested.outcome {
        IngestOutcome::AlreadyKnown => "known",
        IngestOutcome::Replaced => "replaced",
        _ if !ingested.not_coded.is_empty() => "not_coded",
        _ => "ingested",
    });
    metrics::counter!("dyad_events_coded_total").increment(u64::from(ingested.event_count));
}

/// The status to end a stream with when its requests broke off: none when
/// the client went away (nobody would read it), else what broke, as the
/// caller's fault when it is a malformed message.
fn broken_off(status: Status) -> Option<Status> {
    match status.code() {
        tonic::Code::Cancelled => None,
        tonic::Code::Internal | tonic::Code::Unknown => Some(errors::status(
            tonic::Code::InvalidArgument,
            format!(
                "the request stream broke off ({}): the articles answered before it are stored; \
                 send the rest again",
                status.message()
            ),
            errors::Reason::StreamBrokenOff,
        )),
        _ => Some(status),
    }
}

/// Records a store write's duration and result in the metrics.
fn record_store_write(started: std::time::Instant, ok: bool) {
    metrics::histogram!("dyad_store_write_duration_seconds", "ok" => ok.to_string())
        .record(started.elapsed().as_secs_f64());
}

/// An article after validation: answered already, or coded and to store
/// (with why it was not coded, if it was not).
enum Prepared {
    Done(Ingested),
    ToStore(Box<v1::Article>, Vec<v1::Event>, String),
}

/// The answer for an article the store took.
fn ingested(
    article: &v1::Article,
    events: usize,
    outcome: PutOutcome,
    not_coded: String,
) -> Ingested {
    match outcome {
        PutOutcome::Inserted => {
            tracing::debug!(article_id = %article.id, events, "article ingested");
            Ingested {
                article_id: article.id.clone(),
                outcome: IngestOutcome::Ingested,
                event_count: events as u32,
                not_coded,
            }
        }
        PutOutcome::AlreadyKnown(existing) => Ingested::known(existing),
        PutOutcome::Replaced(existing) => Ingested {
            article_id: existing,
            outcome: IngestOutcome::Replaced,
            event_count: events as u32,
            not_coded,
        },
    }
}

/// Validates and codes an article without storing it: what `ExtractEvents`
/// returns and `dyad extract` prints.
pub fn extract_events(
    coder: &Coder,
    article: Option<v1::Article>,
    limits: Limits,
) -> Result<ExtractEventsResponse, IngestError> {
    let valid = validate(article, limits).map_err(IngestError::Invalid)?;
    let events = code_article(coder, &valid);
    Ok(ExtractEventsResponse {
        article_id: valid.article.id.clone(),
        events,
        not_coded: valid.not_coded.unwrap_or_default(),
        article: Some(valid.article),
    })
}

/// Codes a validated article; articles not to be coded (their language)
/// yield no events.
fn code_article(coder: &Coder, valid: &ValidArticle) -> Vec<v1::Event> {
    if valid.not_coded.is_some() {
        return Vec::new();
    }
    let article = &valid.article;
    let events = coder
        .code(ArticleText {
            text: &article.text,
            published: valid.published,
        })
        .iter()
        .map(|coded| convert::event(article, coded))
        .collect();
    convert::merge_repeated(events)
}

/// Most articles of a stream stored in one transaction.
const STREAM_BATCH: usize = 64;
/// Most bytes of articles in one stream batch.
const STREAM_BATCH_BYTES: usize = 8 << 20;

type ResponseStream = Pin<Box<dyn Stream<Item = Result<IngestArticlesResponse, Status>> + Send>>;

#[tonic::async_trait]
impl IngestService for Ingester {
    async fn ingest_article(
        &self,
        request: Request<IngestArticleRequest>,
    ) -> Result<Response<IngestArticleResponse>, Status> {
        let ingested = self.ingest(request.into_inner().article).await?;
        Ok(Response::new(IngestArticleResponse {
            article_id: ingested.article_id,
            outcome: ingested.outcome as i32,
            event_count: ingested.event_count,
            not_coded: ingested.not_coded,
        }))
    }

    type IngestArticlesStream = ResponseStream;

    async fn ingest_articles(
        &self,
        request: Request<Streaming<IngestArticlesRequest>>,
    ) -> Result<Response<Self::IngestArticlesStream>, Status> {
        let mut incoming = request.into_inner();
        let ingester = self.clone();
        // Articles answered in order, in batches of what has arrived: the
        // client's send window, one batch and this bounded channel are the
        // only buffers.
        let (sender, receiver) = tokio::sync::mpsc::channel(STREAM_BATCH);
        let max_articles = self.config.max_stream_articles;
        tokio::spawn(async move {
            let mut index = 0u64;
            let mut received = 0u64;
            // How the stream ends after its last answers, when not plainly.
            let mut ending: Option<Status> = None;
            let mut ended = false;
            while !ended {
                // The articles already received, up to a batch: one
                // transaction. Each waits for room in the in-flight budget
                // before the next is read.
                let (mut batch, mut room, mut bytes) = (Vec::new(), Vec::new(), 0);
                while batch.len() < STREAM_BATCH && bytes < STREAM_BATCH_BYTES {
                    let next = if batch.is_empty() {
                        incoming.next().await
                    } else {
                        match incoming.next().now_or_never() {
                            Some(next) => next,
                            None => break,
                        }
                    };
                    match next {
                        Some(Ok(request)) => {
                            received += 1;
                            if received > max_articles {
                                ended = true;
                                ending = Some(errors::status_with(
                                    tonic::Code::ResourceExhausted,
                                    format!(
                                        "the stream is over its limit of {max_articles} articles: \
                                         the first {max_articles} are answered; send the rest on a \
                                         new stream"
                                    ),
                                    errors::Reason::StreamLimit,
                                    &[],
                                    Some(std::time::Duration::ZERO),
                                ));
                                break;
                            }
                            let size = prost::Message::encoded_len(&request);
                            room.push(ingester.admission.wait(size).await);
                            bytes += size;
                            batch.push(request.article);
                        }
                        Some(Err(status)) => {
                            tracing::debug!(%status, "ingest stream broke off");
                            ended = true;
                            ending = broken_off(status);
                            break;
                        }
                        None => {
                            ended = true;
                            break;
                        }
                    }
                }
                if batch.is_empty() {
                    break;
                }
                let answers = match ingester.ingest_batch(batch).await {
                    Ok(answers) => answers,
                    Err(error) => {
                        let _ = sender.send(Err(Status::from(error))).await;
                        break;
                    }
                };
                for answer in answers {
                    let response = match answer {
                        Ok(ingested) => IngestArticlesResponse {
                            index,
                            article_id: ingested.article_id,
                            outcome: ingested.outcome as i32,
                            event_count: ingested.event_count,
                            rejection: None,
                            not_coded: ingested.not_coded,
                        },
                        Err(rejection) => IngestArticlesResponse {
                            index,
                            article_id: String::new(),
                            outcome: IngestOutcome::Rejected as i32,
                            event_count: 0,
                            rejection: Some(rejection),
                            not_coded: String::new(),
                        },
                    };
                    if sender.send(Ok(response)).await.is_err() {
                        return;
                    }
                    index += 1;
                }
            }
            if let Some(status) = ending {
                let _ = sender.send(Err(status)).await;
            }
        });
        let stream = tokio_stream::wrappers::ReceiverStream::new(receiver);
        Ok(Response::new(Box::pin(stream)))
    }

    async fn extract_events(
        &self,
        request: Request<ExtractEventsRequest>,
    ) -> Result<Response<ExtractEventsResponse>, Status> {
        let ingester = self.clone();
        let article = request.into_inner().article;
        let coding = ingester.coding.clone();
        let response = coding
            .run(move || ingester.extract(article))
            .await
            .map_err(Status::from)??;
        Ok(Response::new(response))
    }
}
