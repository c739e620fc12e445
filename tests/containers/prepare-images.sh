#!/usr/bin/env bash
# Builds, from Debian's packages, the images that Dockerfile and
# docker-compose.yml name, for machines whose Docker engine cannot pull from
# a registry (users with a registry do not need this script):
#   debian:bookworm-slim  a minimal Debian 12 (debootstrap, docker import)
#   postgres:15           PostgreSQL 15 from Debian's package, behaving like
#                         the official image: POSTGRES_USER, POSTGRES_PASSWORD,
#                         POSTGRES_DB, PGDATA=/var/lib/postgresql/data, port
#                         5432, pg_isready
#   dyad:latest           Dockerfile's runtime stage, with the binaries of
#                         this checkout built on the host (target host-binaries)
# Images that exist are kept; FORCE=1 rebuilds them. Runs as root (debootstrap).
set -euo pipefail
cd "$(dirname "$0")/../.."

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

need() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  else
    echo "prepare-images.sh: $1 is missing: apt-get install $2" >&2; exit 1
  fi
}

# A Debian root file system with `packages`, trimmed like the slim images
# (no documentation, manuals, locales or package lists), imported as `tag`.
import_debian() {
  local tag=$1 packages=$2 root="$work/$1"
  root=${root//:/-}
  echo "== $tag: debootstrap bookworm${packages:+ with $packages}"
  debootstrap --variant=minbase ${packages:+--include="$packages"} bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
         "$root"/usr/share/locale/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
         "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
  tar -C "$root" -c . | docker import - "$tag" >/dev/null
  docker image ls "$tag" --format "   {{.Repository}}:{{.Tag}} {{.Size}}"
}

need debootstrap debootstrap
if ! have debian:bookworm-slim; then
  import_debian debian:bookworm-slim ""
fi
if ! have postgres:15; then
  have dyad-postgres-rootfs:15 || import_debian dyad-postgres-rootfs:15 postgresql-15
  echo "== postgres:15 from tests/containers/postgres"
  docker build -q -t postgres:15 tests/containers/postgres >/dev/null
  docker image ls postgres:15 --format "   {{.Repository}}:{{.Tag}} {{.Size}}"
fi
echo "== dyad:latest from this checkout's binaries"
cargo build --release --locked --bin dyad --bin dyad-ingest --bin dyad-query
docker build -q -t dyad:latest --target host-binaries . >/dev/null
docker image ls dyad:latest --format "   {{.Repository}}:{{.Tag}} {{.Size}}"
