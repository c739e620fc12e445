#!/usr/bin/env bash
# The whole test suite: Rust unit, integration and end-to-end tests, the
# README's grpcurl examples, the Python client built from proto/, and the
# containerized suite (docker-compose.yml with faults).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
# The PostgreSQL conformance tests start a throwaway cluster from the server
# binaries; install them where they are missing and we may (CI runs as root).
if [ -z "${DYAD_TEST_POSTGRES_URL:-}" ] && ! command -v initdb >/dev/null \
  && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL server binaries not found: apt-get install -y postgresql (or set DYAD_TEST_POSTGRES_URL)" >&2
  fi
fi
# The Python TLS test makes its test certificates with the openssl command.
if ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
  else
    echo "openssl not found: apt-get install -y openssl (the Python TLS test needs it)" >&2
  fi
fi
# The web view's tests drive a real browser.
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium not found: apt-get install -y chromium (the web view tests need it)" >&2
  fi
fi
# `dyad train lexicon` reads WordNet 3.0; its tests and the freshness check below need it.
if [ ! -f /usr/share/wordnet/index.verb ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null
  else
    echo "WordNet 3.0 not found: apt-get install -y wordnet-base (dyad train lexicon's tests need it)" >&2
  fi
fi
cargo build --workspace --bins --locked
cargo test --workspace --locked
# The house: the store needs the API contract, not the server runtime; the
# query service's tests do not depend on the coder.
heavy=$(cargo tree --locked -p dyad-store -e normal --prefix none | grep -E '^(governor|clap|metrics-exporter-prometheus|tonic-health|tonic-reflection|dyad-server) ' || true)
[ -z "$heavy" ] || { echo "dyad-store pulls in the server runtime:" >&2; echo "$heavy" >&2; exit 1; }
if cargo tree --locked -p dyad-query -e dev --depth 1 --prefix none | grep -E '^dyad-(ingest|extract) '; then
  echo "dyad-query's tests depend on the ingest service or the coder" >&2
  exit 1
fi
# The coder's quality gate, scored as the reference scorer scores (shared/tools/score_events.py):
# fails when scores fall below what the coder reaches today.
target/debug/dyad eval --quiet \
  --gold tests/data/eval/plover-gsr-dev.jsonl --min-type-f1 0.80 --min-source-f1 0.63 --min-dyad-f1 0.62 --min-dyad-precision 0.67 \
  --articles tests/data/eval/articles-dev --min-strict-precision 0.68 --min-strict-recall 0.43 --max-must-not-hits 0 \
  --fixture tests/data/russia-armenia-peacekeepers.expected.toml --min-fixture-found 16 --min-fixture-dates 13 --min-fixture-locations 6
# The shipped WordNet patterns are what `dyad train lexicon` derives from the verbs as they are.
widened=$(mktemp)
target/debug/dyad train lexicon --out "$widened" 2>/dev/null
cmp crates/extract/data/verbs/wordnet.tsv "$widened" || {
  echo "crates/extract/data/verbs/wordnet.tsv is stale: rerun dyad train lexicon (README, 'Lexicon')" >&2
  exit 1
}
rm -f "$widened"
# The shipped parser is what `dyad train parser` trains on the treebank (about 80 s in a debug build).
treebank=../shared/data/ud-english-ewt/en_ewt-ud-train.conllu
if [ -f "$treebank" ]; then
  trained=$(mktemp)
  target/debug/dyad train parser --train "$treebank" --out "$trained" 2>/dev/null
  cmp crates/extract/data/parser/en-ewt-arcs.model "$trained" || {
    echo "crates/extract/data/parser/en-ewt-arcs.model is stale: rerun dyad train parser (README, 'The parser')" >&2
    exit 1
  }
  rm -f "$trained"
else
  echo "SKIPPED: the parser freshness check ($treebank not found)" >&2
fi
# All 16 dev articles, the six Reuters ones included (research-only licence: they stay in ../shared).
articles=../shared/data/eval/articles-dev
if [ -d "$articles" ]; then
  target/debug/dyad eval --quiet --articles "$articles" --min-strict-precision 0.70 --min-strict-recall 0.40 --max-must-not-hits 0
  # The shipped confidence model is what `dyad train confidence` fits to the coder as it is.
  fitted=$(mktemp)
  target/debug/dyad train confidence --gold ../shared/data/eval/plover-gsr-dev.jsonl --articles "$articles" --out "$fitted" 2>/dev/null
  cmp crates/extract/data/confidence/calibration.tsv "$fitted" || {
    echo "crates/extract/data/confidence/calibration.tsv is stale: rerun dyad train confidence (README, 'Confidence')" >&2
    exit 1
  }
  rm -f "$fitted"
else
  echo "SKIPPED: the 16-article dev gate ($articles not found; the 10 VOA articles in tests/data still ran)" >&2
fi
# Page reading against every saved page of the shared corpus, when it is there.
pages=../shared/corpus/html-pages
if [ -d "$pages" ]; then
  target/debug/dyad eval-pages "$pages" --min-recall 0.9 --min-precision 0.9 --min-title 1 --min-time 1
else
  echo "SKIPPED: full page-reading score ($pages not found; the 7 pages in tests/data still ran)" >&2
fi
tests/grpcurl.sh
tests/clients.sh
python3 -m pytest -q tests/python
# The containerized suite: docker-compose.yml as users run it, with faults.
# It needs a Docker engine; it is skipped only when told to.
if [ "${DYAD_SKIP_CONTAINER_TESTS:-}" = 1 ]; then
  echo "SKIPPED: container suite (DYAD_SKIP_CONTAINER_TESTS=1)" >&2
else
  docker info >/dev/null 2>&1 || {
    echo "the container suite needs a running Docker engine with Compose (or DYAD_SKIP_CONTAINER_TESTS=1)" >&2
    exit 1
  }
  tests/containers/prepare-images.sh
  tests/containers/run.sh
fi
