//! The `dyad.v1.QueryService` implementation: the shared state and the
//! gRPC entry points, each answered by its own module.

use std::sync::Arc;

use dyad_proto::v1::{
    self, ExportEventsRequest, GetArticleRequest, GetArticleResponse, GetDyadHistoryRequest,
    GetDyadHistoryResponse, GetEventRequest, GetEventResponse, GetRelationGraphRequest,
    GetRelationGraphResponse, GetTimelineRequest, GetTimelineResponse, ListEventsRequest,
    ListEventsResponse, ListRelationsRequest, ListRelationsResponse, SearchActorsRequest,
    SearchActorsResponse, WatchEventsRequest,
};
use dyad_store::Store;
use prost::Message;
use tonic::{Request, Response, Status};

use crate::{
    QueryConfig,
    answers::KeptAnswers,
    directory::{Directories, Directory},
    encoded::Encoded,
    encoded_server::query_service_server::QueryService,
    error::QueryError,
    export::ExportStream,
    watch::WatchStream,
};

/// Answers queries from a store.
#[derive(Clone)]
pub struct Querier {
    pub(crate) store: Arc<dyn Store>,
    directories: Arc<Directories>,
    /// Answers kept until the store changes.
    pub(crate) answers: Arc<KeptAnswers>,
    /// Bytes of events each watch consumer may fall behind by.
    pub(crate) watch_buffer_bytes: usize,
}

impl Querier {
    /// A querier reading from `store`, configured by `config`.
    pub fn new(store: Arc<dyn Store>, config: &QueryConfig) -> Self {
        Self {
            directories: Arc::new(Directories::new(store.clone())),
            store,
            answers: Arc::new(KeptAnswers::new(config.answer_cache_mib << 20)),
            watch_buffer_bytes: config.watch_buffer_kib << 10,
        }
    }

    /// The actor directory, fresh enough to know the codes `actors` name
    /// if the store does.
    pub(crate) async fn directory(
        &self,
        actors: &[Option<&v1::ActorMatch>],
    ) -> Result<Arc<Directory>, QueryError> {
        let named: Vec<(String, String)> = actors
            .iter()
            .flatten()
            .map(|a| {
                (
                    a.code.trim().to_ascii_uppercase(),
                    a.country_code.trim().to_ascii_uppercase(),
                )
            })
            .collect();
        let missing = |directory: &Directory| {
            named.iter().any(|(code, country)| {
                (!code.is_empty() && !directory.knows_code(code))
                    || (!country.is_empty() && !directory.knows_country(country))
            })
        };
        Ok(self.directories.current(missing).await?)
    }
}

impl Querier {
    /// The store filter of a request's filter, checked, its actors known.
    pub(crate) async fn event_filter(
        &self,
        given: Option<&v1::EventFilter>,
    ) -> Result<dyad_store::EventFilter, QueryError> {
        let directory = self
            .directory(&[
                given.and_then(|f| f.actor.as_ref()),
                given.and_then(|f| f.counterpart.as_ref()),
            ])
            .await?;
        crate::request::event_filter(given, Some(&directory))
    }
}

fn require_id(id: &str) -> Result<&str, QueryError> {
    if id.trim().is_empty() {
        Err(QueryError::invalid(
            "id",
            "is empty: give the id to look up",
        ))
    } else {
        Ok(id)
    }
}

#[tonic::async_trait]
impl QueryService for Querier {
    async fn list_events(
        &self,
        request: Request<ListEventsRequest>,
    ) -> Result<Response<Encoded<ListEventsResponse>>, Status> {
        let request = request.into_inner();
        let key = request.encode_to_vec();
        let answer = self.kept(&self.answers.events, key, self.events_page(request));
        Ok(Response::new(answer.await?))
    }

    async fn get_event(
        &self,
        request: Request<GetEventRequest>,
    ) -> Result<Response<GetEventResponse>, Status> {
        let request = request.into_inner();
        require_id(&request.id)?;
        Ok(Response::new(self.event_with_mentions(request).await?))
    }

    async fn get_article(
        &self,
        request: Request<GetArticleRequest>,
    ) -> Result<Response<GetArticleResponse>, Status> {
        let request = request.into_inner();
        require_id(&request.id)?;
        Ok(Response::new(self.article_with_events(request).await?))
    }

    async fn get_timeline(
        &self,
        request: Request<GetTimelineRequest>,
    ) -> Result<Response<Encoded<GetTimelineResponse>>, Status> {
        let request = request.into_inner();
        let key = request.encode_to_vec();
        let answer = self.kept(&self.answers.timelines, key, self.timeline(request));
        Ok(Response::new(answer.await?))
    }

    async fn list_relations(
        &self,
        request: Request<ListRelationsRequest>,
    ) -> Result<Response<Encoded<ListRelationsResponse>>, Status> {
        let request = request.into_inner();
        // A window left open ends today: today is part of the question.
        let mut key = request.encode_to_vec();
        key.extend(chrono::Utc::now().date_naive().to_string().into_bytes());
        let answer = self.kept(&self.answers.relations, key, self.relations(request));
        Ok(Response::new(answer.await?))
    }

    async fn get_dyad_history(
        &self,
        request: Request<GetDyadHistoryRequest>,
    ) -> Result<Response<Encoded<GetDyadHistoryResponse>>, Status> {
        let request = request.into_inner();
        let key = request.encode_to_vec();
        let answer = self.kept(&self.answers.histories, key, self.dyad_history(request));
        Ok(Response::new(answer.await?))
    }

    async fn get_relation_graph(
        &self,
        request: Request<GetRelationGraphRequest>,
    ) -> Result<Response<Encoded<GetRelationGraphResponse>>, Status> {
        let request = request.into_inner();
        let key = request.encode_to_vec();
        let answer = self.kept(&self.answers.graphs, key, self.relation_graph(request));
        Ok(Response::new(answer.await?))
    }

    async fn search_actors(
        &self,
        request: Request<SearchActorsRequest>,
    ) -> Result<Response<SearchActorsResponse>, Status> {
        Ok(Response::new(self.search(request.into_inner()).await?))
    }

    type ExportEventsStream = ExportStream;

    async fn export_events(
        &self,
        request: Request<ExportEventsRequest>,
    ) -> Result<Response<Self::ExportEventsStream>, Status> {
        Ok(Response::new(self.export(request.into_inner()).await?))
    }

    type WatchEventsStream = WatchStream;

    async fn watch_events(
        &self,
        request: Request<WatchEventsRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        Ok(Response::new(self.watch(request.into_inner()).await?))
    }
}
