//! The `dyad.v1` API: prost messages, tonic clients and servers, proto3 JSON
//! (serde) mappings, and the encoded file descriptor set for reflection.

/// Generated code of the `dyad.v1` package.
#[allow(missing_docs, clippy::all)]
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/dyad.v1.rs"));
    include!(concat!(env!("OUT_DIR"), "/dyad.v1.serde.rs"));
}

/// Encoded `FileDescriptorSet` of every `dyad.v1` file (and its imports), for
/// gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/dyad_descriptor.bin"));

pub use pbjson_types::Timestamp;

pub mod codec;
pub mod errors;
