//! Compiles `proto/dyad/v1/*.proto` with protox (no system protoc needed),
//! then generates prost messages, tonic services and pbjson serde impls, and
//! hands the encoded descriptor set to dependents' build scripts
//! (`DEP_DYAD_PROTO_DESCRIPTOR`).

use std::{env, fs, path::PathBuf};

use prost::Message;

const PROTO_ROOT: &str = "../../proto";
const PROTO_FILES: &[&str] = &[
    "dyad/v1/event.proto",
    "dyad/v1/ingest_service.proto",
    "dyad/v1/query_service.proto",
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
        .client_mod_attribute(".", r#"#[cfg(feature = "client")]"#)
        .server_mod_attribute(".", r#"#[cfg(feature = "server")]"#)
        .compile_fds(file_descriptors)?;

    // Dependents that generate more code from the same contract (the query
    // service's server for its kept answers) read the descriptor here.
    println!("cargo::metadata=descriptor={}", descriptor_path.display());

    let descriptor_bytes = fs::read(&descriptor_path)?;
    pbjson_build::Builder::new()
        .register_descriptors(&descriptor_bytes)?
        .extern_path(".google.protobuf", "::pbjson_types")
        .build(&[".dyad"])?;
    Ok(())
}
