"""Fixtures for the Python client tests: stubs generated from proto/ and a
running `dyad up` on free ports with a throwaway data directory."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import grpc
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def stubs():
    """Generates Python stubs from proto/ with grpcio-tools, as a user would."""
    out = Path(tempfile.mkdtemp(prefix="dyad-stubs-"))
    from grpc_tools import protoc
    import grpc_tools

    include = Path(grpc_tools.__file__).parent / "_proto"
    protos = [str(p.relative_to(REPO / "proto")) for p in (REPO / "proto/dyad/v1").glob("*.proto")]
    code = protoc.main(
        ["protoc", f"-I{REPO / 'proto'}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", *protos]
    )
    assert code == 0, "protoc failed to generate the stubs"
    sys.path.insert(0, str(out))
    from dyad.v1 import event_pb2, ingest_service_pb2, ingest_service_pb2_grpc, query_service_pb2, query_service_pb2_grpc

    return {
        "event": event_pb2,
        "ingest": ingest_service_pb2,
        "ingest_grpc": ingest_service_pb2_grpc,
        "query": query_service_pb2,
        "query_grpc": query_service_pb2_grpc,
    }


def dyad_binary():
    for profile in ("debug", "release"):
        path = REPO / "target" / profile / "dyad"
        if path.exists():
            return path
    pytest.fail("target/debug/dyad is missing: run `cargo build --workspace --bins` first (tests/run.sh does)")


# The HTTP/JSON address of the session's `dyad up` (see the `http_url` fixture).
HTTP = {}


@pytest.fixture(scope="session")
def dyad():
    """`dyad up` on free ports; yields (ingest address, query address)."""
    data_dir = tempfile.mkdtemp(prefix="dyad-data-")
    process = subprocess.Popen(
        [str(dyad_binary()), "up", "--data-dir", data_dir, "--ingest-addr", "127.0.0.1:0", "--query-addr", "127.0.0.1:0",
         "--http-addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    addresses = {}
    for line in process.stdout:
        match = re.match(r"dyad: (ingest|query|http)\s+(\S+)", line)
        if match:
            addresses[match.group(1)] = match.group(2)
        if len(addresses) == 3:
            break
    assert len(addresses) == 3, "dyad up did not print its addresses"
    HTTP["url"] = addresses["http"]
    yield addresses["ingest"], addresses["query"]
    process.terminate()
    assert process.wait(timeout=30) == 0, "dyad up exits cleanly on SIGTERM"


@pytest.fixture
def ingest(dyad, stubs):
    with grpc.insecure_channel(dyad[0]) as channel:
        yield stubs["ingest_grpc"].IngestServiceStub(channel)


@pytest.fixture
def query(dyad, stubs):
    with grpc.insecure_channel(dyad[1]) as channel:
        yield stubs["query_grpc"].QueryServiceStub(channel)


@pytest.fixture
def http_url(dyad):
    """The base URL of the session's HTTP/JSON API, e.g. http://127.0.0.1:8080."""
    return HTTP["url"]
