//! Compiles `proto/dyad/v1/*.proto` with protox (no system protoc needed),
//! then generates prost messages, tonic services and pbjson serde impls, and
//! a second QueryService server whose kept answers are written as encoded
//! bytes (`crate::Encoded`).

use std::{env, fs, path::PathBuf};

use prost::Message;

const PROTO_ROOT: &str = "../../proto";
const PROTO_FILES: &[&str] = &[
    "dyad/v1/event.proto",
    "dyad/v1/ingest_service.proto",
    "dyad/v1/query_service.proto",
];

/// Responses the query service keeps and writes as encoded bytes.
const KEPT_ANSWERS: &[&str] = &[
    "ListEventsResponse",
    "GetTimelineResponse",
    "ListRelationsResponse",
    "GetDyadHistoryResponse",
    "GetRelationGraphResponse",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for file in PROTO_FILES {
        println!("cargo:rerun-if-changed={PROTO_ROOT}/{file}");
    }
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let descriptor_path = out_dir.join("dyad_descriptor.bin");

    let file_descriptors = protox::compile(PROTO_FILES, [PROTO_ROOT])?;
    fs::write(&descriptor_path, file_descriptors.encode_to_vec())?;

    tonic_prost_build::configure()
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .codec_path("crate::codec::DyadCodec")
        .compile_fds(file_descriptors.clone())?;

    // The query server again, its messages those generated above but for
    // the answers the service keeps, which it writes as encoded bytes.
    let encoded_dir = out_dir.join("encoded");
    fs::create_dir_all(&encoded_dir)?;
    let mut query_only = file_descriptors;
    query_only
        .file
        .retain(|file| file.name() != "dyad/v1/ingest_service.proto");
    let mut server = tonic_prost_build::configure()
        .build_client(false)
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .extern_path(".dyad.v1", "crate::v1")
        .codec_path("crate::codec::DyadCodec")
        .out_dir(&encoded_dir);
    for answer in KEPT_ANSWERS {
        server = server.extern_path(
            format!(".dyad.v1.{answer}"),
            format!("crate::Encoded<crate::v1::{answer}>"),
        );
    }
    server.compile_fds(query_only)?;

    let descriptor_bytes = fs::read(&descriptor_path)?;
    pbjson_build::Builder::new()
        .register_descriptors(&descriptor_bytes)?
        .extern_path(".google.protobuf", "::pbjson_types")
        .build(&[".dyad"])?;
    Ok(())
}
