//! The `dyad.v1.IngestService` implementation.

use std::{pin::Pin, sync::Arc};

use dyad_extract::{ArticleText, Coder};
use dyad_proto::v1::{
    self, ExtractEventsRequest, ExtractEventsResponse, IngestArticleRequest, IngestArticleResponse,
    IngestArticlesRequest, IngestArticlesResponse, IngestOutcome, Rejection,
    ingest_service_server::IngestService,
};
use dyad_store::{PutOutcome, Store};
use futures_util::{FutureExt, future::join_all};
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use crate::{IngestConfig, convert, error::IngestError, validate::validate};

/// Codes and stores articles.
#[derive(Clone)]
pub struct Ingester {
    coder: Arc<Coder>,
    store: Arc<dyn Store>,
    config: IngestConfig,
}

/// The result of ingesting one article.
struct Ingested {
    article_id: String,
    outcome: IngestOutcome,
    event_count: u32,
}

impl Ingester {
    /// An ingester writing to `store`.
    pub fn new(coder: Arc<Coder>, store: Arc<dyn Store>, config: IngestConfig) -> Self {
        Self {
            coder,
            store,
            config,
        }
    }

    fn extract(&self, article: Option<v1::Article>) -> Result<ExtractEventsResponse, IngestError> {
        extract_events(&self.coder, article, self.config.max_text_bytes)
    }

    /// Validates an article and codes it unless it is already stored by this
    /// coder (or a newer one).
    async fn prepare(&self, article: Option<v1::Article>) -> Result<Prepared, IngestError> {
        let valid = validate(article, self.config.max_text_bytes).map_err(IngestError::Invalid)?;
        let article = valid.article;
        if let Some((existing, stored_by)) =
            self.store.find_article(&article.id, &article.url).await?
            && !dyad_store::is_newer_coder(dyad_extract::CODER_VERSION, &stored_by)
        {
            return Ok(Prepared::Done(Ingested {
                article_id: existing,
                outcome: IngestOutcome::AlreadyKnown,
                event_count: 0,
            }));
        }
        let coder = self.clone();
        let (article, events) = tokio::task::spawn_blocking(move || {
            let events = code_article(&coder.coder, &article, valid.published);
            (article, events)
        })
        .await
        .map_err(|e| IngestError::Store(dyad_store::StoreError::Unavailable(e.to_string())))?;
        Ok(Prepared::ToStore(article, events))
    }

    async fn ingest(&self, article: Option<v1::Article>) -> Result<Ingested, IngestError> {
        match self.prepare(article).await? {
            Prepared::Done(ingested) => Ok(ingested),
            Prepared::ToStore(article, events) => {
                let outcome = self
                    .store
                    .put_article(&article, &events, dyad_extract::CODER_VERSION)
                    .await?;
                Ok(ingested(&article, events.len(), outcome))
            }
        }
    }

    /// Ingests the articles of one stream batch: prepared (coded) side by
    /// side, stored in one transaction, answered in order. A store failure
    /// fails the batch: none of its articles is acknowledged.
    async fn ingest_batch(
        &self,
        articles: Vec<Option<v1::Article>>,
    ) -> Result<Vec<Result<Ingested, Rejection>>, IngestError> {
        let prepared = join_all(articles.into_iter().map(|a| self.prepare(a))).await;
        let mut to_store = Vec::new();
        let mut answers: Vec<Option<Result<Ingested, Rejection>>> = Vec::new();
        for result in prepared {
            match result {
                Ok(Prepared::Done(done)) => answers.push(Some(Ok(done))),
                Ok(Prepared::ToStore(article, events)) => {
                    answers.push(None);
                    to_store.push((article, events));
                }
                Err(IngestError::Invalid(rejection)) => answers.push(Some(Err(rejection))),
                Err(error) => return Err(error),
            }
        }
        let outcomes = if to_store.is_empty() {
            Vec::new()
        } else {
            self.store
                .put_articles(&to_store, dyad_extract::CODER_VERSION)
                .await?
        };
        let mut stored = to_store.iter().zip(outcomes);
        Ok(answers
            .into_iter()
            .map(|answer| {
                answer.unwrap_or_else(|| {
                    let ((article, events), outcome) =
                        stored.next().expect("one outcome per stored article");
                    Ok(ingested(article, events.len(), outcome))
                })
            })
            .collect())
    }
}

/// An article after validation: answered already, or coded and to store.
enum Prepared {
    Done(Ingested),
    ToStore(v1::Article, Vec<v1::Event>),
}

/// The answer for an article the store took.
fn ingested(article: &v1::Article, events: usize, outcome: PutOutcome) -> Ingested {
    match outcome {
        PutOutcome::Inserted => {
            tracing::debug!(article_id = %article.id, events, "article ingested");
            Ingested {
                article_id: article.id.clone(),
                outcome: IngestOutcome::Ingested,
                event_count: events as u32,
            }
        }
        PutOutcome::AlreadyKnown(existing) => Ingested {
            article_id: existing,
            outcome: IngestOutcome::AlreadyKnown,
            event_count: 0,
        },
        PutOutcome::Replaced(existing) => Ingested {
            article_id: existing,
            outcome: IngestOutcome::Replaced,
            event_count: events as u32,
        },
    }
}

/// Validates and codes an article without storing it: what `ExtractEvents`
/// returns and `dyad extract` prints.
pub fn extract_events(
    coder: &Coder,
    article: Option<v1::Article>,
    max_text_bytes: usize,
) -> Result<ExtractEventsResponse, IngestError> {
    let valid = validate(article, max_text_bytes).map_err(IngestError::Invalid)?;
    let events = code_article(coder, &valid.article, valid.published);
    Ok(ExtractEventsResponse {
        article_id: valid.article.id,
        events,
    })
}

/// Codes a validated article; articles not in English yield no events.
fn code_article(
    coder: &Coder,
    article: &v1::Article,
    published: chrono::NaiveDate,
) -> Vec<v1::Event> {
    if article.language != "en" {
        return Vec::new();
    }
    let events = coder
        .code(ArticleText {
            text: &article.text,
            published,
        })
        .iter()
        .map(|coded| convert::event((&article.id, &article.outlet), coded))
        .collect();
    convert::merge_repeated(events)
}

/// Most articles of a stream stored in one transaction.
const STREAM_BATCH: usize = 64;

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
        tokio::spawn(async move {
            let mut index = 0u64;
            let mut ended = false;
            while !ended {
                // The articles already received, up to a batch: one transaction.
                let mut batch = Vec::new();
                while batch.len() < STREAM_BATCH {
                    let next = if batch.is_empty() {
                        incoming.next().await
                    } else {
                        match incoming.next().now_or_never() {
                            Some(next) => next,
                            None => break,
                        }
                    };
                    match next {
                        Some(Ok(request)) => batch.push(request.article),
                        Some(Err(status)) => {
                            tracing::debug!(%status, "ingest stream ended by the client");
                            ended = true;
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
                        },
                        Err(rejection) => IngestArticlesResponse {
                            index,
                            article_id: String::new(),
                            outcome: IngestOutcome::Rejected as i32,
                            event_count: 0,
                            rejection: Some(rejection),
                        },
                    };
                    if sender.send(Ok(response)).await.is_err() {
                        return;
                    }
                    index += 1;
                }
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
        let response = tokio::task::spawn_blocking(move || ingester.extract(article))
            .await
            .map_err(|e| Status::internal(format!("coder task failed: {e}")))??;
        Ok(Response::new(response))
    }
}
