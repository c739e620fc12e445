#!/usr/bin/env bash
# The whole test suite: Rust unit, integration and end-to-end tests, the
# README's grpcurl examples, and the Python client built from proto/.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
cargo build --workspace --bins --locked
cargo test --workspace --locked
tests/grpcurl.sh
python3 -m pytest -q tests/python
