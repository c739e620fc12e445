//! The `dyad.v1.IngestService` implementation.

use std::{pin::Pin, sync::Arc};

use dyad_extract::{ArticleText, Coder};
use dyad_proto::v1::{
    self, ExtractEventsRequest, ExtractEventsResponse, IngestArticleRequest, IngestArticleResponse,
    IngestArticlesRequest, IngestArticlesResponse, IngestOutcome,
    ingest_service_server::IngestService,
};
use dyad_store::{PutOutcome, Store};
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

    async fn ingest(&self, article: Option<v1::Article>) -> Result<Ingested, IngestError> {
        let valid = validate(article, self.config.max_text_bytes).map_err(IngestError::Invalid)?;
        let article = valid.article;
        // Known and coded by this coder (or a newer one): nothing to code.
        if let Some((existing, stored_by)) =
            self.store.find_article(&article.id, &article.url).await?
            && !dyad_store::is_newer_coder(dyad_extract::CODER_VERSION, &stored_by)
        {
            return Ok(Ingested {
                article_id: existing,
                outcome: IngestOutcome::AlreadyKnown,
                event_count: 0,
            });
        }
        let coder = self.clone();
        let (article, events) = tokio::task::spawn_blocking(move || {
            let events = code_article(&coder.coder, &article, valid.published);
            (article, events)
        })
        .await
        .map_err(|e| IngestError::Store(dyad_store::StoreError::Unavailable(e.to_string())))?;
        let outcome = self
            .store
            .put_article(&article, &events, dyad_extract::CODER_VERSION)
            .await?;
        Ok(match outcome {
            PutOutcome::Inserted => {
                tracing::debug!(article_id = %article.id, events = events.len(), "article ingested");
                Ingested {
                    article_id: article.id,
                    outcome: IngestOutcome::Ingested,
                    event_count: events.len() as u32,
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
                event_count: events.len() as u32,
            },
        })
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
        .map(|coded| convert::event(&article.id, coded))
        .collect();
    convert::merge_repeated(events)
}

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
        // One article at a time, answered in order: the client's send window
        // and this bounded channel are the only buffers.
        let (sender, receiver) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            let mut index = 0u64;
            while let Some(message) = incoming.next().await {
                let response = match message {
                    Err(status) => {
                        tracing::debug!(%status, "ingest stream ended by the client");
                        break;
                    }
                    Ok(request) => match ingester.ingest(request.article).await {
                        Ok(ingested) => Ok(IngestArticlesResponse {
                            index,
                            article_id: ingested.article_id,
                            outcome: ingested.outcome as i32,
                            event_count: ingested.event_count,
                            rejection: None,
                        }),
                        Err(IngestError::Invalid(rejection)) => Ok(IngestArticlesResponse {
                            index,
                            article_id: String::new(),
                            outcome: IngestOutcome::Rejected as i32,
                            event_count: 0,
                            rejection: Some(rejection),
                        }),
                        Err(error) => Err(Status::from(error)),
                    },
                };
                let failed = response.is_err();
                if sender.send(response).await.is_err() || failed {
                    break;
                }
                index += 1;
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
