"""`dyad export` as an analyst uses it: one line of pandas reads the file,
and what it reads is what ListEvents serves."""

import subprocess
import tempfile
import pathlib

import pandas as pd

from conftest import dyad_binary
from test_client import FIXTURE, published


def all_events(stubs, query):
    events, token = [], ""
    while True:
        page = query.ListEvents(stubs["query"].ListEventsRequest(page_size=5, page_token=token))
        events.extend(page.events)
        token = page.next_page_token
        if not token:
            return events


def export(dyad, *args):
    run = subprocess.run(
        [str(dyad_binary()), "export", "--quiet", "--addr", f"http://{dyad[1]}", *args],
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_parquet_and_csv_load_in_one_line_of_pandas(stubs, dyad, ingest, query):
    article = stubs["event"].Article(
        id="py-export", url="https://example.org/py-export", outlet="The Epoch Times",
        publish_time=published("2024-05-10"), text=FIXTURE.read_text(),
    )
    ingest.IngestArticle(stubs["ingest"].IngestArticleRequest(article=article))
    events = all_events(stubs, query)
    assert events
    out = pathlib.Path(tempfile.mkdtemp(prefix="dyad-export-"))

    summary = export(dyad, "--out", str(out / "events.parquet"))
    assert f"exported {len(events)} events" in summary
    frame = pd.read_parquet(out / "events.parquet")
    assert list(frame["event_id"]) == [e.id for e in events]
    assert str(frame["date_start"].iloc[0]) == events[0].date.start_date
    assert frame["cameo_code"].dtype.name == "category"  # dictionary-encoded codes
    assert list(frame["goldstein"]) == [e.goldstein for e in events]
    assert list(frame["num_mentions"]) == [e.num_mentions for e in events]

    export(dyad, "--out", str(out / "gdelt.csv"), "--layout", "gdelt")
    gdelt = pd.read_csv(out / "gdelt.csv", dtype={"EventCode": str, "EventRootCode": str})
    assert len(gdelt.columns) == 61
    assert list(gdelt["EventCode"]) == [e.cameo_code for e in events]
    assert list(gdelt["SQLDATE"]) == [int(e.date.start_date.replace("-", "")) for e in events]
    assert set(gdelt["SOURCEURL"].dropna()) <= {m.article_url for e in events for m in e.mentions} | {
        "https://example.org/py-export"
    }
