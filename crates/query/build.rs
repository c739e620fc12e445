//! Generates a second QueryService server from the contract's descriptor set
//! (`DEP_DYAD_PROTO_DESCRIPTOR`, handed over by `dyad-proto`'s build script):
//! its messages are `dyad_proto::v1`'s, but the answers this service keeps
//! are written as encoded bytes (`crate::encoded::Encoded`).

use std::{env, fs, path::PathBuf};

use prost::Message;
use prost_types::FileDescriptorSet;

/// Responses the query service keeps and writes as encoded bytes.
const KEPT_ANSWERS: &[&str] = &[
    "ListEventsResponse",
    "GetTimelineResponse",
    "ListRelationsResponse",
    "GetDyadHistoryResponse",
    "GetRelationGraphResponse",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let descriptor_path = env::var("DEP_DYAD_PROTO_DESCRIPTOR")?;
    println!("cargo:rerun-if-changed={descriptor_path}");
    let mut query_only = FileDescriptorSet::decode(fs::read(&descriptor_path)?.as_slice())?;
    query_only
        .file
        .retain(|file| file.name() != "dyad/v1/ingest_service.proto");

    let out_dir = PathBuf::from(env::var("OUT_DIR")?).join("encoded");
    fs::create_dir_all(&out_dir)?;
    let mut server = tonic_prost_build::configure()
        .build_client(false)
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .extern_path(".dyad.v1", "::dyad_proto::v1")
        .codec_path("::dyad_proto::codec::DyadCodec")
        .out_dir(&out_dir);
    for answer in KEPT_ANSWERS {
        server = server.extern_path(
            format!(".dyad.v1.{answer}"),
            format!("crate::encoded::Encoded<::dyad_proto::v1::{answer}>"),
        );
    }
    server.compile_fds(query_only)?;
    Ok(())
}
