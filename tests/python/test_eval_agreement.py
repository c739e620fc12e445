"""`dyad eval` reports the figures of the reference scorer
(shared/tools/score_events.py): both score the same coder on the dev
sentences and the dev articles, and every figure must be equal."""

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, dyad_binary

SCORER = REPO.parent / "shared" / "tools" / "score_events.py"
SENTENCES = REPO / "tests" / "data" / "eval" / "plover-gsr-dev.jsonl"
ARTICLES = REPO / "tests" / "data" / "eval" / "articles-dev"


def scorer():
    if not SCORER.exists():
        pytest.fail(f"the reference scorer is missing: {SCORER} (CI has ../shared beside the repository)")
    return SCORER


def extract(lines):
    """Codes JSONL articles with `dyad extract --jsonl`; returns the predictions file."""
    source = Path(tempfile.mkdtemp(prefix="dyad-eval-")) / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = subprocess.run([str(dyad_binary()), "extract", "--jsonl", str(source)], capture_output=True, text=True, check=True)
    predictions = source.with_name("pred.jsonl")
    predictions.write_text(result.stdout)
    return predictions


def reference(mode, gold, predictions):
    result = subprocess.run(["python3", str(scorer()), mode, str(gold), str(predictions)], capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures.pop("missed", None)
    return figures


def dyad_eval(*args):
    result = subprocess.run([str(dyad_binary()), "eval", "--quiet", "--json", *args], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_sentence_figures_agree_with_the_reference_scorer():
    cases = [json.loads(line) for line in SENTENCES.read_text().splitlines() if line.strip()]
    predictions = extract(
        {"id": c["id"], "text": c["text"], "publishTime": c["published"] + "T00:00:00Z"} for c in cases
    )
    expected = reference("sentences", SENTENCES, predictions)
    [ours] = dyad_eval("--gold", str(SENTENCES))
    assert ours == expected
    assert expected["predicted_events"] > 0


def test_article_figures_agree_with_the_reference_scorer():
    import tomllib

    articles = []
    for annotation in sorted(ARTICLES.glob("*.expected.toml")):
        name = annotation.name.removesuffix(".expected.toml")
        published = tomllib.loads(annotation.read_text())["published"]
        text = annotation.with_name(name + ".txt").read_text()
        articles.append({"id": name, "text": text, "publishTime": f"{published}T00:00:00Z"})
    predictions = extract(articles)
    expected = reference("articles", ARTICLES, predictions)
    [ours] = dyad_eval("--articles", str(ARTICLES))
    for key in ("events", "found", "dated", "dated_ok", "must_not", "must_not_hits", "predicted",
                "pred_matched", "strict_found", "strict_dated_ok", "strict_precision", "strict_recall", "strict_f1"):
        assert ours[key] == expected[key], key
    assert expected["predicted"] > 0
