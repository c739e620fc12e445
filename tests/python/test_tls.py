"""The Python client over TLS with bearer tokens: `dyad up` serving a
certificate signed by a test CA (made with the openssl command line), the
client trusting that CA and sending its token as call metadata."""

import re
import subprocess
import tempfile
from pathlib import Path

import grpc
import pytest

from conftest import dyad_binary

WRITER = "py-writer-token-8c41f0a2"
READER = "py-reader-token-5e93b7d1"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def secure_dyad():
    """`dyad up` with TLS and tokens; yields (ingest, query, CA certificate)."""
    work = Path(tempfile.mkdtemp(prefix="dyad-tls-"))
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=dyad test CA", cwd=work)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=localhost", cwd=work)
    (work / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "san.ext", cwd=work)
    (work / "tokens").write_text(f"{WRITER} write\n{READER} read\n")
    process = subprocess.Popen(
        [str(dyad_binary()), "up", "--data-dir", str(work / "data"),
         "--ingest-addr", "127.0.0.1:0", "--query-addr", "127.0.0.1:0",
         "--tls-cert", str(work / "server.pem"), "--tls-key", str(work / "server.key"),
         "--auth-tokens", str(work / "tokens")],
        stdout=subprocess.PIPE,
        text=True,
    )
    addresses = {}
    for line in process.stdout:
        match = re.match(r"dyad: (ingest|query)\s+\S+:(\d+)", line)
        if match:
            addresses[match.group(1)] = f"localhost:{match.group(2)}"
        if len(addresses) == 2:
            break
    assert len(addresses) == 2, "dyad up did not print its addresses"
    yield addresses["ingest"], addresses["query"], (work / "ca.pem").read_bytes()
    process.terminate()
    assert process.wait(timeout=30) == 0


def test_the_python_client_ingests_and_queries_over_tls(stubs, secure_dyad):
    ingest_addr, query_addr, ca = secure_dyad
    credentials = grpc.ssl_channel_credentials(root_certificates=ca)
    pb = stubs["event"]
    article = pb.Article(id="tls-1", text="Russia condemned Ukraine on Tuesday.")
    article.publish_time.FromJsonString("2024-05-10T00:00:00Z")
    with grpc.secure_channel(ingest_addr, credentials) as channel:
        ingest = stubs["ingest_grpc"].IngestServiceStub(channel)
        request = stubs["ingest"].IngestArticleRequest(article=article)
        with pytest.raises(grpc.RpcError) as missing:
            ingest.IngestArticle(request)
        assert missing.value.code() == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(grpc.RpcError) as read_only:
            ingest.IngestArticle(request, metadata=[("authorization", f"Bearer {READER}")])
        assert read_only.value.code() == grpc.StatusCode.PERMISSION_DENIED
        reply = ingest.IngestArticle(request, metadata=[("authorization", f"Bearer {WRITER}")])
        assert reply.event_count == 1
    with grpc.secure_channel(query_addr, credentials) as channel:
        query = stubs["query_grpc"].QueryServiceStub(channel)
        listed = query.ListEvents(stubs["query"].ListEventsRequest(),
                                  metadata=[("authorization", f"Bearer {READER}")])
        assert [e.cameo_root for e in listed.events] == ["11"]


def test_a_plaintext_client_is_not_served(secure_dyad, stubs):
    ingest_addr, _, _ = secure_dyad
    with grpc.insecure_channel(ingest_addr) as channel:
        ingest = stubs["ingest_grpc"].IngestServiceStub(channel)
        with pytest.raises(grpc.RpcError) as refused:
            ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(), timeout=5,
                                 metadata=[("authorization", f"Bearer {WRITER}")])
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
