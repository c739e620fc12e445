# Dyad: the ingest and query services and the `dyad` command line, in one
# image.
#
#   docker build -t dyad .
#       compiles in a Rust stage (dependencies cached in their own layer by
#       cargo-chef) and copies the binaries into the runtime stage;
#   docker build -t dyad --target host-binaries .
#       copies target/release/{dyad,dyad-ingest,dyad-query} built on the
#       host into the same runtime stage instead (no Rust image needed; what
#       tests/containers/prepare-images.sh does).
ARG RUST_IMAGE=rust:1-slim-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# The runtime: a non-root user, the data directory, the ports, the health
# check (the standard gRPC health service, asked by `dyad health`).
FROM ${RUNTIME_IMAGE} AS runtime-base
RUN groupadd --system --gid 10001 dyad \
 && useradd --system --uid 10001 --gid dyad --home-dir /var/lib/dyad --create-home dyad
USER dyad
WORKDIR /var/lib/dyad
# The embedded SQLite store lives here unless DYAD_STORE names another;
# DYAD_HEALTH_ADDR is the port of the service the container runs.
ENV DYAD_DATA_DIR=/var/lib/dyad \
    DYAD_INGEST_ADDR=0.0.0.0:50051 \
    DYAD_QUERY_ADDR=0.0.0.0:50052 \
    DYAD_HEALTH_ADDR=127.0.0.1:50051
VOLUME /var/lib/dyad
EXPOSE 50051 50052 9091 9092
HEALTHCHECK --interval=2s --timeout=3s --start-period=5s --retries=3 \
    CMD ["dyad", "health", "--timeout", "2"]
# Both services on the embedded store; run dyad-ingest or dyad-query for one.
CMD ["dyad", "up"]

FROM runtime-base AS host-binaries
COPY target/release/dyad target/release/dyad-ingest target/release/dyad-query /usr/local/bin/

FROM ${RUST_IMAGE} AS chef
RUN cargo install cargo-chef --locked
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS compiled
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin dyad --bin dyad-ingest --bin dyad-query

FROM runtime-base AS runtime
COPY --from=compiled /src/target/release/dyad /src/target/release/dyad-ingest /src/target/release/dyad-query /usr/local/bin/
