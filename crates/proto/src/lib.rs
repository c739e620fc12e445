//! The `dyad.v1` API: prost messages, tonic clients and servers, proto3 JSON
//! (serde) mappings, and the encoded file descriptor set for reflection.

/// Generated code of the `dyad.v1` package.
#[allow(missing_docs, clippy::all)]
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/dyad.v1.rs"));
    include!(concat!(env!("OUT_DIR"), "/dyad.v1.serde.rs"));
}

/// The QueryService server whose kept answers (`ListEvents`, `GetTimeline`,
/// `ListRelations`, `GetDyadHistory`, `GetRelationGraph`) are returned as
/// [`Encoded`] messages: written as they were encoded once. Clients use
/// [`v1::query_service_client`], whose types are the plain messages.
#[allow(missing_docs, clippy::all)]
pub mod encoded_server {
    include!(concat!(env!("OUT_DIR"), "/encoded/dyad.v1.rs"));
}

/// Encoded `FileDescriptorSet` of every `dyad.v1` file (and its imports), for
/// gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/dyad_descriptor.bin"));

pub use encoded::Encoded;
pub use pbjson_types::Timestamp;

pub mod codec;
pub mod encoded;
pub mod runtime;
