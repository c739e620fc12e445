"""The HTTP/JSON API of the query service, as an analyst's script uses it:
every QueryService RPC as POST /v1/<Method>, errors as HTTP statuses with
the google.rpc.Status, tokens enforced, and JSON that pandas reads without
NaN where a value is zero."""
import json
import pathlib
import re
import subprocess
import tempfile
import urllib.error
import urllib.request

import pandas as pd
import pytest

from conftest import dyad_binary

FIXTURE = pathlib.Path(__file__).resolve().parents[1] / "data" / "russia-armenia-peacekeepers.txt"
WINDOW = {"startTime": "2020-01-01T00:00:00Z", "endTime": "2025-01-01T00:00:00Z"}


def post(url, method, body=None, token=None, raw=None):
    """POSTs JSON to /v1/<method>; returns (HTTP status, parsed body)."""
    data = raw if raw is not None else json.dumps(body or {}).encode()
    request = urllib.request.Request(f"{url}/v1/{method}", data=data, method="POST",
                                     headers={"content-type": "application/json"})
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def loaded(dyad, stubs):
    import grpc
    with grpc.insecure_channel(dyad[0]) as channel:
        stub = stubs["ingest_grpc"].IngestServiceStub(channel)
        article = stubs["event"].Article(id="http-fixture", text=FIXTURE.read_text(), outlet="The Epoch Times")
        article.publish_time.FromJsonString("2024-05-10T00:00:00Z")
        stub.IngestArticle(stubs["ingest"].IngestArticleRequest(article=article))
    return True


def test_every_rpc_answers_json(http_url, loaded):
    status, listed = post(http_url, "ListEvents", {"filter": {"actor": {"countryCode": "ARM"}}, "pageSize": 50,
                                                    "includeMentions": True})
    assert status == 200, listed
    assert listed["events"], listed
    event = listed["events"][0]
    # Every field is present, 64-bit counts are numbers.
    assert isinstance(event["numMentions"], int) and isinstance(event["goldstein"], float)
    # Scalars and lists are there even when zero or empty (unset nested
    # messages, as a place not known, are left out).
    assert all({"goldstein", "numSources", "modality", "mentions"} <= set(e) for e in listed["events"])
    assert post(http_url, "GetEvent", {"id": event["id"]})[1]["event"]["id"] == event["id"]
    assert post(http_url, "GetArticle", {"id": "http-fixture"})[1]["article"]["id"] == "http-fixture"
    timeline = post(http_url, "GetTimeline", {"filter": {"actor": {"countryCode": "ARM"}, **WINDOW},
                                              "bucket": "BUCKET_YEAR"})[1]
    assert timeline["points"], timeline
    relations = post(http_url, "ListRelations", {"actor": {"countryCode": "RUS"}, **WINDOW})[1]
    assert any(r["counterpart"] == "ARM" for r in relations["relations"]), relations
    history = post(http_url, "GetDyadHistory", {"actorA": {"countryCode": "RUS"}, "actorB": {"countryCode": "ARM"},
                                                **WINDOW, "bucket": "BUCKET_YEAR"})[1]
    assert history["points"], history
    graph = post(http_url, "GetRelationGraph", {**WINDOW, "topK": 10})[1]
    assert graph["nodes"] and graph["edges"], graph
    found = post(http_url, "SearchActors", {"query": "pashinyan", "limit": 3})[1]
    assert found["actors"][0]["actor"]["code"] == "ARMGOV", found


def test_watch_events_streams_one_json_object_per_line(http_url, loaded):
    request = urllib.request.Request(f"{http_url}/v1/WatchEvents", method="POST",
                                     data=json.dumps({"cursor": "0", "filter": {"actor": {"countryCode": "ARM"}}}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["content-type"] == "application/x-ndjson"
        lines = [json.loads(response.readline()) for _ in range(3)]
    assert all(line["event"]["id"] and line["cursor"] for line in lines), lines


def test_bad_requests_are_400_naming_the_field(http_url):
    status, error = post(http_url, "ListEvents", {"pageSize": -1})
    assert status == 400
    assert error["code"] == 3
    details = {d["@type"].rsplit(".", 1)[-1]: d for d in error["details"]}
    assert details["BadRequest"]["fieldViolations"][0]["field"] == "page_size"
    assert details["ErrorInfo"] == {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "INVALID_FIELD",
        "domain": "dyad.v1",
        "metadata": {"field": "page_size"},
    }, details
    status, error = post(http_url, "ListEvents", {"pagesize": 5})
    violations = [d for d in error["details"] if d["@type"].endswith("BadRequest")]
    assert status == 400 and violations[0]["fieldViolations"][0]["field"] == "body", error
    status, error = post(http_url, "ListEvents", raw=b"{not json")
    assert status == 400 and "proto3 JSON" in error["message"], error
    status, error = post(http_url, "NoSuchMethod", {})
    assert status == 404 and "ListEvents" in error["message"], error


def test_pandas_reads_events_with_numeric_columns(http_url, loaded):
    events = post(http_url, "ListEvents", {"pageSize": 200})[1]["events"]
    frame = pd.json_normalize(events)
    assert len(frame) == len(events) > 10
    for column in ["goldstein", "confidence", "numMentions", "numSources", "quadClass"]:
        assert column in frame, column
    assert frame["goldstein"].dtype.kind == "f"
    assert frame["numMentions"].dtype.kind == "i"
    assert not frame["goldstein"].isna().any()


def test_tokens_guard_the_http_door_as_they_do_grpc():
    work = pathlib.Path(tempfile.mkdtemp(prefix="dyad-http-"))
    reader = "r" * 24
    (work / "tokens").write_text(f"{'w' * 24} write\n{reader} read\n")
    process = subprocess.Popen(
        [str(dyad_binary()), "up", "--data-dir", str(work / "data"), "--ingest-addr", "127.0.0.1:0",
         "--query-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--auth-tokens", str(work / "tokens")],
        stdout=subprocess.PIPE, text=True)
    try:
        url = None
        for line in process.stdout:
            match = re.match(r"dyad: http\s+(\S+)", line)
            if match:
                url = match.group(1)
                break
        assert url, "dyad up did not print its HTTP address"
        status, error = post(url, "ListEvents", {})
        assert status == 401 and error["code"] == 16, error
        assert post(url, "ListEvents", {}, token="x" * 24)[0] == 401
        status, listed = post(url, "ListEvents", {}, token=reader)
        assert status == 200 and listed["events"] == [], listed
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_grpc_web_on_the_grpc_port(dyad, stubs, loaded):
    """A browser's gRPC-Web call (HTTP/1.1, grpc-web framing) to the gRPC port
    answers the message and its status in the body's trailer frame."""
    query = stubs["query"].ListEventsRequest(page_size=3)
    payload = query.SerializeToString()
    body = b"\x00" + len(payload).to_bytes(4, "big") + payload
    request = urllib.request.Request(f"http://{dyad[1]}/dyad.v1.QueryService/ListEvents", data=body, method="POST",
                                     headers={"content-type": "application/grpc-web+proto", "x-grpc-web": "1"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["content-type"].startswith("application/grpc-web")
        answer = response.read()
    frames, at = [], 0
    while at < len(answer):
        flag, size = answer[at], int.from_bytes(answer[at + 1:at + 5], "big")
        frames.append((flag, answer[at + 5:at + 5 + size]))
        at += 5 + size
    data = [bytes(f) for flag, f in frames if flag == 0]
    trailers = b"".join(f for flag, f in frames if flag & 0x80).decode()
    listed = stubs["query"].ListEventsResponse.FromString(data[0])
    assert len(listed.events) == 3
    assert "grpc-status:0" in trailers.replace(" ", ""), trailers
