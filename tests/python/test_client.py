"""A Python client, with stubs generated from proto/, against the real services."""

from pathlib import Path

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "russia-armenia-peacekeepers.txt"


def published(date: str) -> Timestamp:
    ts = Timestamp()
    ts.FromJsonString(f"{date}T00:00:00Z")
    return ts


def bad_request_field(error: grpc.RpcError) -> str:
    status = rpc_status.from_call(error)
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            return bad_request.field_violations[0].field
    raise AssertionError("no BadRequest detail")


def test_health_of_both_services(dyad):
    for address, service in zip(dyad, ["dyad.v1.IngestService", "dyad.v1.QueryService"]):
        with grpc.insecure_channel(address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            reply = health.Check(health_pb2.HealthCheckRequest(service=service))
            assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_ingest_the_fixture_then_query_it(stubs, ingest, query):
    pb = stubs["event"]
    article = pb.Article(id="py-fixture", outlet="The Epoch Times", publish_time=published("2024-05-10"), text=FIXTURE.read_text())
    reply = ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(article=article))
    assert reply.outcome == stubs["ingest"].INGEST_OUTCOME_INGESTED
    assert reply.event_count >= 10
    again = ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(article=article))
    assert again.outcome == stubs["ingest"].INGEST_OUTCOME_ALREADY_KNOWN

    seen = []
    q = stubs["query"]
    armenia = q.EventFilter(actor=q.ActorMatch(country_code="ARM"))
    request = q.ListEventsRequest(filter=armenia, page_size=4, include_mentions=True)
    while True:
        page = query.ListEvents(request)
        assert len(page.events) <= 4
        seen.extend(page.events)
        if not page.next_page_token:
            break
        request.page_token = page.next_page_token
    assert len(seen) >= 5
    assert len({e.id for e in seen}) == len(seen), "pages do not overlap"
    for event in seen:
        assert "ARM" in (event.source.country_code, event.target.country_code)
        assert event.mentions[0].article_id == "py-fixture"
    funding_cut = [e for e in seen if "no longer contribute" in e.mentions[0].sentence_text]
    assert funding_cut and all(e.cameo_code == "162" for e in funding_cut)
    dated = [e for e in seen if e.mentions[0].sentence_text.startswith("In 2020, the two countries fought")]
    assert dated and all(e.date.start_date == "2020-01-01" and e.date.precision == pb.DATE_PRECISION_YEAR for e in dated)

    article_reply = query.GetArticle(stubs["query"].GetArticleRequest(id="py-fixture"))
    assert len(article_reply.events) == reply.event_count
    event = query.GetEvent(stubs["query"].GetEventRequest(id=article_reply.events[0].id)).event
    # GetArticle gives each event its mentions in that article; GetEvent a
    # page of all of them (other tests may report the same happening).
    in_article = [m for m in event.mentions if m.article_id == "py-fixture"]
    assert in_article == list(article_reply.events[0].mentions)
    expected = pb.Event()
    expected.CopyFrom(article_reply.events[0])
    for message in (event, expected):
        message.ClearField("mentions")
    assert event == expected


def test_stream_reports_each_article(stubs, ingest):
    pb = stubs["event"]
    texts = ["Russia condemned Ukraine.", "", "Armenia accused Azerbaijan of shelling villages."]
    requests = (
        stubs["ingest"].IngestArticlesRequest(article=pb.Article(id=f"py-stream-{i}", text=t, publish_time=published("2024-05-10")))
        for i, t in enumerate(texts)
    )
    replies = list(ingest.IngestArticles(requests))
    assert [r.index for r in replies] == [0, 1, 2]
    assert replies[1].outcome == stubs["ingest"].INGEST_OUTCOME_REJECTED
    assert replies[1].rejection.field == "article.text"
    assert replies[2].outcome == stubs["ingest"].INGEST_OUTCOME_INGESTED


def test_invalid_arguments_carry_a_bad_request_detail(stubs, ingest, query):
    with pytest.raises(grpc.RpcError) as error:
        ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(article=stubs["event"].Article(text="   ")))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request_field(error.value) == "article.text"

    with pytest.raises(grpc.RpcError) as error:
        query.ListEvents(stubs["query"].ListEventsRequest(page_size=-5))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request_field(error.value) == "page_size"

    assert error_info(error.value) == ("INVALID_FIELD", "dyad.v1", {"field": "page_size"})

    with pytest.raises(grpc.RpcError) as error:
        query.GetEvent(stubs["query"].GetEventRequest(id="ev_nope"))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    assert error_info(error.value) == ("NOT_FOUND", "dyad.v1", {})

    # A page size over the maximum is taken as the maximum (AIP-158).
    assert query.ListEvents(stubs["query"].ListEventsRequest(page_size=1_000_000)) is not None


def error_info(error: grpc.RpcError):
    """The ErrorInfo of a failed call: (reason, domain, metadata)."""
    status = rpc_status.from_call(error)
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason, info.domain, dict(info.metadata)
    raise AssertionError(f"no ErrorInfo in {status}")


def ingest_fixture(stubs, ingest):
    article = stubs["event"].Article(id="py-fixture", outlet="The Epoch Times", publish_time=published("2024-05-10"), text=FIXTURE.read_text())
    ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(article=article))


def test_dyad_history_answers_how_a_relation_changed(stubs, ingest, query):
    ingest_fixture(stubs, ingest)
    q = stubs["query"]
    history = query.GetDyadHistory(
        q.GetDyadHistoryRequest(
            actor_a=q.ActorMatch(country_code="RUS"),
            actor_b=q.ActorMatch(country_code="ARM"),
            start_time=published("2020-01-01"),
            end_time=published("2025-01-01"),
            bucket=q.BUCKET_YEAR,
        )
    )
    assert [p.start_time.ToJsonString() for p in history.points] == [f"{y}-01-01T00:00:00Z" for y in range(2020, 2025)]
    for point in history.points:
        assert point.combined.events == point.a_to_b.events + point.b_to_a.events
    assert history.total.events == sum(p.combined.events for p in history.points) >= 3
    recent = history.points[-1]
    assert recent.a_to_b.events > 0 and recent.b_to_a.events > 0, "Russia and Armenia both acted in 2024"

    with pytest.raises(grpc.RpcError) as error:
        query.GetDyadHistory(q.GetDyadHistoryRequest(actor_a=q.ActorMatch(country_code="RUS"), actor_b=q.ActorMatch(code="NOSUCHACTOR")))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_watch_streams_new_events_and_resumes(stubs, ingest, query):
    ingest_fixture(stubs, ingest)
    q = stubs["query"]
    azerbaijan = q.EventFilter(actor=q.ActorMatch(country_code="AZE"))
    live = query.WatchEvents(q.WatchEventsRequest(filter=azerbaijan), timeout=30)
    article = stubs["event"].Article(
        id="py-watch",
        publish_time=published("2024-06-03"),
        text="Azerbaijan accused Armenia of shelling its positions near the border on Monday.",
    )
    reply = ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(article=article))
    assert reply.outcome == stubs["ingest"].INGEST_OUTCOME_INGESTED
    first = next(live)
    assert "AZE" in (first.event.source.country_code, first.event.target.country_code)
    assert first.event.mentions[0].article_id == "py-watch"
    live.cancel()

    replay = query.WatchEvents(q.WatchEventsRequest(filter=azerbaijan, cursor="0"), timeout=30)
    cursors = []
    for message in replay:
        cursors.append(message.cursor)
        if message.cursor == first.cursor:
            break
    replay.cancel()
    assert cursors[-1] == first.cursor, "a replay from the start reaches the live event"

    with pytest.raises(grpc.RpcError) as error:
        next(query.WatchEvents(q.WatchEventsRequest(cursor="not-a-cursor"), timeout=10))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_request_field(error.value) == "cursor"
