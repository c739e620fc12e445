//! The HTTP/JSON door to the query service: every QueryService RPC as
//! `POST /v1/<Method>` with the request message as proto3 JSON, answered
//! with the response message as JSON that pandas and R read without
//! surprises — every field present (a Goldstein score of 0.0 is 0.0, not
//! missing; `events: []`, not absent) and 64-bit counts as numbers.
//! WatchEvents answers newline-delimited JSON, one message per line.
//!
//! Each call is made in process through the same gRPC service and the same
//! metrics, authentication and limit layers the gRPC port has, so both
//! doors answer the same and refuse the same. Errors are an HTTP status
//! with the `google.rpc.Status` as JSON, its details included.

use std::{convert::Infallible, future::Future, net::SocketAddr};

use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use dyad_proto::errors::{self, Reason};
use dyad_server::{AuthLayer, HandshakeDeadline, LimitsLayer, MetricsLayer, Policy, ServerOptions};
use futures_util::StreamExt;
use prost::Message;
use prost_reflect::{
    DescriptorPool, DeserializeOptions, DynamicMessage, MethodDescriptor, SerializeOptions,
};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tonic::{Code, Status, codegen::http::uri::PathAndQuery};
use tonic_types::StatusExt;

use crate::{Querier, encoded_server::query_service_server::QueryServiceServer};

mod chart;
mod raw;
mod web;

/// The layers of the HTTP door's calls: those of the gRPC port but gRPC-Web.
type HttpLayers = tower::layer::util::Stack<
    LimitsLayer,
    tower::layer::util::Stack<
        AuthLayer,
        tower::layer::util::Stack<MetricsLayer, tower::layer::util::Identity>,
    >,
>;

/// The gRPC service behind its layers, as the HTTP handlers call it.
type Layered = <tower::ServiceBuilder<HttpLayers> as tower::Layer<tonic::service::Routes>>::Service;

/// What every handler shares.
#[derive(Clone)]
struct Gateway {
    grpc: Layered,
    pool: DescriptorPool,
}

impl Gateway {
    /// Calls `method` with a typed request through the layered service,
    /// carrying the caller's `authorization` header.
    async fn call<Q: Message, A: Message + Default>(
        &self,
        method: &str,
        request: &Q,
        authorization: Option<&axum::http::HeaderValue>,
    ) -> Result<A, Status> {
        let (mut grpc, call, path) = self
            .prepare(method, request.encode_to_vec(), authorization)
            .await?;
        let answer = grpc.unary(call, path, raw::RawCodec).await?.into_inner();
        A::decode(answer.as_slice())
            .map_err(|e| errors::status(Code::Internal, e.to_string(), Reason::Internal))
    }

    /// A ready client of the layered service, the encoded `request` with the
    /// caller's `authorization` header, and the path of `method`.
    async fn prepare(
        &self,
        method: &str,
        request: Vec<u8>,
        authorization: Option<&axum::http::HeaderValue>,
    ) -> Result<
        (
            tonic::client::Grpc<Layered>,
            tonic::Request<Vec<u8>>,
            PathAndQuery,
        ),
        Status,
    > {
        let mut grpc = tonic::client::Grpc::new(self.grpc.clone());
        if let Err(e) = grpc.ready().await {
            match e {}
        }
        let mut call = tonic::Request::new(request);
        if let Some(value) =
            authorization.and_then(|v| tonic::metadata::MetadataValue::try_from(v.as_bytes()).ok())
        {
            call.metadata_mut().insert("authorization", value);
        }
        let path = PathAndQuery::try_from(format!("/{SERVICE}/{method}"))
            .map_err(|e| errors::status(Code::Internal, e.to_string(), Reason::Internal))?;
        Ok((grpc, call, path))
    }
}

/// The QueryService's full name.
const SERVICE: &str = "dyad.v1.QueryService";

/// Serves the HTTP/JSON API for `service` on `listener` until `shutdown`,
/// with the tokens and limits of `server`.
pub(crate) async fn serve(
    listener: TcpListener,
    service: QueryServiceServer<Querier>,
    server: &ServerOptions,
    policy: Policy,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let auth = match server.tokens()? {
        Some(tokens) => AuthLayer::new(tokens, policy),
        None => AuthLayer::open(),
    };
    let grpc = tower::ServiceBuilder::new()
        .layer(MetricsLayer::new("query-http"))
        .layer(auth)
        .layer(LimitsLayer::new(
            server.max_requests_per_second,
            server.max_concurrent_calls,
        ))
        .service(tonic::service::Routes::new(service));
    let pool = DescriptorPool::decode(dyad_proto::FILE_DESCRIPTOR_SET)
        .map_err(|e| format!("the API's descriptor set does not load: {e}"))?;
    let app = web::routes()
        .route("/v1/{method}", post(call))
        .fallback(not_found)
        .with_state(Gateway { grpc, pool });
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, service = SERVICE, "listening for HTTP/JSON");
    }
    let listener = Deadlined {
        listener,
        timeout: server.handshake_timeout(),
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("the HTTP server failed: {e}"))
}

/// The HTTP listener with the gRPC ports' handshake deadline: a connection
/// silent past `--handshake-timeout` is closed here too, so idle sockets
/// on this port cannot use up the descriptors the gRPC ports need.
struct Deadlined {
    listener: TcpListener,
    timeout: std::time::Duration,
}

impl axum::serve::Listener for Deadlined {
    type Io = HandshakeDeadline;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.listener).await;
        (HandshakeDeadline::new(stream, self.timeout), addr)
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// The HTTP/JSON listener `--http-addr` asks for (`off`: none), bound.
pub async fn bind_http(text: &str) -> Result<Option<TcpListener>, String> {
    let Some(addr) = http_addr(text).map_err(|e| format!("--http-addr: {e}"))? else {
        return Ok(None);
    };
    TcpListener::bind(addr)
        .await
        .map(Some)
        .map_err(|e| format!("cannot listen on {addr} (--http-addr; `off` serves no HTTP): {e}"))
}

/// The address an HTTP listener binds, from `--http-addr` (`off`: none).
fn http_addr(text: &str) -> Result<Option<SocketAddr>, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    dyad_server::listen_addr(text).map(Some)
}

async fn not_found() -> Response {
    error(errors::status(
        Code::NotFound,
        "no such resource: the API is POST /v1/<Method> with a dyad.v1.QueryService method, \
         e.g. POST /v1/ListEvents",
        Reason::NotFound,
    ))
}

/// `POST /v1/<Method>`.
async fn call(
    State(gateway): State<Gateway>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(rpc) = gateway
        .pool
        .get_service_by_name(SERVICE)
        .and_then(|service| service.methods().find(|m| m.name() == method))
    else {
        return error(errors::status(
            Code::NotFound,
            format!(
                "no method {method:?} in {SERVICE}: POST /v1/ListEvents, /v1/GetTimeline, \
                 /v1/ListRelations, … (the methods of proto/dyad/v1/query_service.proto)"
            ),
            Reason::NotFound,
        ));
    };
    let request = match request_bytes(&rpc, &body) {
        Ok(request) => request,
        Err(status) => return error(status),
    };
    let (mut grpc, call, path) = match gateway
        .prepare(&method, request, headers.get(header::AUTHORIZATION))
        .await
    {
        Ok(prepared) => prepared,
        Err(status) => return error(status),
    };
    let output = rpc.output();
    if rpc.is_server_streaming() {
        match grpc.server_streaming(call, path, raw::RawCodec).await {
            Ok(stream) => {
                let lines = stream.into_inner().map(move |item| {
                    let line = match item {
                        Ok(bytes) => to_json(&output, &bytes),
                        Err(status) => json!({ "error": status_json(&status) }),
                    };
                    Ok::<_, Infallible>(format!("{line}\n"))
                });
                (
                    [(header::CONTENT_TYPE, "application/x-ndjson")],
                    Body::from_stream(lines),
                )
                    .into_response()
            }
            Err(status) => error(status),
        }
    } else {
        match grpc.unary(call, path, raw::RawCodec).await {
            Ok(response) => axum::Json(to_json(&output, &response.into_inner())).into_response(),
            Err(status) => error(status),
        }
    }
}

/// The request body, proto3 JSON of the method's input (empty: `{}`),
/// encoded as the gRPC service takes it.
fn request_bytes(rpc: &MethodDescriptor, body: &[u8]) -> Result<Vec<u8>, Status> {
    let input = rpc.input();
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let message = DynamicMessage::deserialize_with_options(
        input.clone(),
        &mut deserializer,
        &DeserializeOptions::new().deny_unknown_fields(true),
    )
    .and_then(|message| deserializer.end().map(|()| message))
    .map_err(|e| {
        errors::invalid_field(
            "body",
            &format!("is not a {} in proto3 JSON: {e}", input.full_name()),
        )
    })?;
    Ok(message.encode_to_vec())
}

/// A response message as JSON, every field present, 64-bit integers as
/// numbers.
fn to_json(output: &prost_reflect::MessageDescriptor, bytes: &[u8]) -> Value {
    let options = SerializeOptions::new()
        .skip_default_fields(false)
        .stringify_64_bit_integers(false);
    match DynamicMessage::decode(output.clone(), bytes) {
        Ok(message) => message
            .serialize_with_options(serde_json::value::Serializer, &options)
            .unwrap_or_else(|e| json!({ "error": { "code": 13, "message": e.to_string() } })),
        Err(e) => json!({ "error": { "code": 13, "message": e.to_string() } }),
    }
}

/// A failed call as HTTP: the status gRPC-to-HTTP mapping of Google's APIs
/// (AIP-193), with the `google.rpc.Status` as JSON.
fn error(status: Status) -> Response {
    let code = match status.code() {
        Code::Ok => StatusCode::OK,
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Cancelled => StatusCode::from_u16(499).expect("499 is a status code"),
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (code, axum::Json(status_json(&status))).into_response()
}

/// `google.rpc.Status` in its JSON mapping, with the details Dyad sends.
fn status_json(status: &Status) -> Value {
    let details = status.get_error_details();
    let mut out = Vec::new();
    if let Some(bad) = details.bad_request() {
        let violations: Vec<Value> = bad
            .field_violations
            .iter()
            .map(|v| json!({ "field": v.field, "description": v.description }))
            .collect();
        out.push(json!({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": violations,
        }));
    }
    if let Some(info) = details.error_info() {
        out.push(json!({
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": info.reason,
            "domain": info.domain,
            "metadata": info.metadata,
        }));
    }
    json!({
        "code": status.code() as i32,
        "message": status.message(),
        "details": out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_codes_have_the_http_statuses_of_googles_mapping() {
        for (status, http) in [
            (Status::invalid_argument("x"), 400),
            (Status::unauthenticated("x"), 401),
            (Status::permission_denied("x"), 403),
            (Status::not_found("x"), 404),
            (Status::aborted("x"), 409),
            (Status::resource_exhausted("x"), 429),
            (Status::internal("x"), 500),
            (Status::unavailable("x"), 503),
            (Status::deadline_exceeded("x"), 504),
        ] {
            assert_eq!(error(status).status().as_u16(), http);
        }
    }

    #[test]
    fn a_bad_request_keeps_its_field_in_the_json() {
        let status = Status::with_error_details(
            Code::InvalidArgument,
            "page_size: must be positive",
            tonic_types::ErrorDetails::with_bad_request_violation("page_size", "must be positive"),
        );
        let json = status_json(&status);
        assert_eq!(json["code"], 3);
        assert_eq!(
            json["details"][0]["fieldViolations"][0]["field"],
            "page_size"
        );
    }

    #[test]
    fn off_serves_no_http() {
        assert_eq!(http_addr("off"), Ok(None));
        assert_eq!(
            http_addr("localhost:8080"),
            Ok(Some("127.0.0.1:8080".parse().unwrap()))
        );
        assert!(http_addr("8080").is_err());
    }
}
