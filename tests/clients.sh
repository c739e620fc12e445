#!/usr/bin/env bash
# Builds the C++, Go and Ruby clients under clients/ from proto/, with the
# README's generation commands exactly as written (the block tagged
# client-generation), and runs each against a fresh `dyad up` on the
# default ports. Installs the Debian packages they need when it runs as root
# with apt; fails naming them otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev pkg-config g++ golang-go protoc-gen-go protoc-gen-go-grpc
  golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev golang-google-genproto-dev ruby-grpc ruby-grpc-tools)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "clients.sh: the client builds need: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
python3 -c 'import google.rpc' 2>/dev/null || {
  echo "clients.sh: the error protos come from PyPI: pip install -r tests/python/requirements.txt" >&2
  exit 1
}

mapfile -t commands < <(awk '/^```sh client-generation/{on=1; next} /^```/{on=0} on' README.md)
[ "${#commands[@]}" -ge 11 ] || { echo "clients.sh: found ${#commands[@]} commands in README.md, expected 11" >&2; exit 1; }

rm -rf gen
# shellcheck source=tests/up.sh
. tests/up.sh
start_dyad_up clients.sh --http-addr off

export GOCACHE="${GOCACHE:-$work/gocache}"
clients=0
for command in "${commands[@]}"; do
  echo "+ $command"
  # In this shell, not a subshell: a command may set a variable for later ones.
  eval "$command" >"$work/out" 2>&1 || { cat "$work/out"; echo "FAIL clients.sh: $command" >&2; exit 1; }
  output=$(cat "$work/out")
  [ -z "$output" ] || echo "$output"
  case "$output" in
    *" client: INGEST_OUTCOME_INGESTED with "*" events, listed "*" BadRequest names page_size, watched 3") clients=$((clients + 1)) ;;
  esac
done
[ -f gen/java/io/github/dyadevents/dyad/v1/Event.java ] || { echo "FAIL clients.sh: java_package and java_multiple_files did not give Event.java" >&2; exit 1; }
[ "$clients" = 3 ] || { echo "FAIL clients.sh: $clients of 3 clients reported success" >&2; exit 1; }
echo "clients.sh: the C++, Go and Ruby clients pass"
