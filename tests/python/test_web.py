"""The web view in a real browser: headless Chromium loads the pages of a
`dyad up --demo` instance and the rendered DOM is checked — the dyad series
has points and its shift is marked with example events, the graph has its
nodes, the event page shows its sentence with the actors highlighted.
Screenshots go to target/screenshots/ (CI keeps them as artefacts)."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import dyad_binary

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = ROOT / "target" / "screenshots"
WINDOW = "from=2019-01-01&to=2026-01-01"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("DYAD_SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SKIPPED LOUDLY: no Chromium and DYAD_SKIP_BROWSER_TESTS=1")
    pytest.fail("the web view tests need a browser: apt-get install chromium (tests/run.sh does as root)")


def browse(url, shot=None):
    """The DOM Chromium renders for url; a screenshot too when named."""
    flags = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,1400"]
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(flags + [f"--screenshot={SHOTS / shot}", url], capture_output=True, timeout=120)
        assert (SHOTS / shot).stat().st_size > 10_000, f"no screenshot of {url}"
    done = subprocess.run(flags + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


# The web view pages `dyad up --demo` printed.
PRINTED = []


@pytest.fixture(scope="module")
def demo():
    work = tempfile.mkdtemp(prefix="dyad-web-")
    process = subprocess.Popen(
        [str(dyad_binary()), "up", "--demo", "--demo-dir", work, "--ingest-addr", "127.0.0.1:0",
         "--query-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE, text=True)
    url = None
    for line in process.stdout:
        match = re.match(r"dyad: http\s+(\S+)", line)
        if match:
            url = match.group(1)
        PRINTED.extend(re.findall(r"(http://\S+)", line) if "web view" in line or line.startswith("  http://") else [])
        if line.startswith("try, on the pair"):
            break
    assert url, "dyad up --demo did not print its HTTP address"
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_home_lists_pairs_and_is_labelled(demo):
    dom = browse(f"{demo}/?{WINDOW}", "home.png")
    assert '<html lang="en">' in dom and "<title>" in dom
    assert '<label for="q">' in dom
    assert "Most reported pairs" in dom
    assert len(re.findall(r'href="/dyad/[A-Z]+/[A-Z]+', dom)) >= 5


def test_dyad_page_draws_the_series_and_marks_the_shift(demo):
    dom = browse(f"{demo}/dyad/USA/CHN?{WINDOW}&bucket=year", "dyad-usa-chn.png")
    assert 'role="img"' in dom and 'id="chart-title"' in dom
    points = re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="3"', dom)
    assert len(points) >= 4, "the series has its points"
    assert re.search(r'<polyline points="[\d.]+,[\d.]+ [\d.]+,[\d.]+', dom), "a line joins neighbouring buckets"
    assert 'class="shift"' in dom and "Shift at 2024-01-01" in dom
    assert re.search(r'href="/event/ev_[0-9a-f]+"', dom), "the shift's example events link to their pages"
    assert "The numbers behind the chart" in dom


def test_the_pages_dyad_up_demo_prints_load(demo):
    assert len(PRINTED) == 4, PRINTED
    for url in PRINTED:
        dom = browse(url)
        assert "<main>" in dom and "Not available" not in dom, url


def test_actor_page_ranks_counterparts_and_filters_its_events(demo):
    dom = browse(f"{demo}/actor/USA?{WINDOW}", "actor-usa.png")
    assert "Counterparts, by events in the window" in dom
    assert re.search(r'href="/dyad/USA/CHN\?', dom)
    assert "Timeline" in dom and "material conflict" in dom
    assert "Latest events" in dom
    assert '<form class="filters"' in dom and 'name="quad"' in dom
    every = len(re.findall(r'href="/event/ev_', dom))
    conflict = browse(f"{demo}/actor/USA?{WINDOW}&quad=4")
    assert len(re.findall(r'href="/event/ev_', conflict)) < every, "the quad-class filter narrows the events"


def test_article_page_lists_its_events_and_text(demo):
    dyad = browse(f"{demo}/dyad/USA/CHN?{WINDOW}&bucket=year")
    event = re.search(r'href="(/event/ev_[0-9a-f]+)"', dyad).group(1)
    article = re.search(r'href="(/article/[^"]+)"', browse(f"{demo}{event}")).group(1)
    dom = browse(f"{demo}{article}")
    assert "Events coded from it" in dom and "<h2>Text</h2>" in dom
    assert event in dom, "the article lists the event we came from"


def test_graph_page_draws_nodes_that_link_to_actors(demo):
    dom = browse(f"{demo}/graph?{WINDOW}", "graph.png")
    assert dom.count('class="node"') >= 5
    assert 'href="/actor/USA?' in dom
    assert re.search(r'<a href="/dyad/[A-Z]+/[A-Z]+\?[^"]*"><line class="edge', dom), "edges link to dyad pages"
    assert re.search(r'class="edge (cooperative|hostile|neutral)"', dom)


def test_event_page_shows_the_sentence_with_its_actors(demo):
    dyad = browse(f"{demo}/dyad/USA/CHN?{WINDOW}&bucket=year")
    event = re.search(r'href="(/event/ev_[0-9a-f]+)"', dyad).group(1)
    dom = browse(f"{demo}{event}", "event.png")
    assert "<h2>Mentions</h2>" in dom
    assert "<mark>" in dom, "the actors' words are highlighted in the sentence"
    assert "rule <code>" in dom and "Confidence" in dom


def test_search_finds_actors(demo):
    dom = browse(f"{demo}/search?q=china")
    assert 'href="/actor/CHN' in dom
