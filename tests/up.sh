# Sourced by tests/grpcurl.sh and tests/clients.sh: `dyad up` on the default
# ports (127.0.0.1:50051, :50052, HTTP :8080) on a fresh store, stopped
# when the script exits.
#
# start_dyad_up SCRIPT [ARGS...]: checks the binary and the ports (naming
# SCRIPT in its errors), starts `target/debug/dyad up ARGS...` and waits
# until it serves. Sets `dyad` (the binary), `work` (a temporary directory,
# removed at exit) and `up_pid`.
start_dyad_up() {
  local script=$1
  shift
  dyad=target/debug/dyad
  [ -x "$dyad" ] || { echo "$script: $dyad is missing: run 'cargo build --workspace --bins' first" >&2; exit 1; }
  for port in 50051 50052 8080; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$script: port $port is in use; stop what listens there (a running dyad up?) and retry" >&2
      exit 1
    fi
  done
  work=$(mktemp -d)
  "$dyad" up --data-dir "$work/data" "$@" >"$work/up.log" 2>&1 &
  up_pid=$!
  trap 'kill $up_pid 2>/dev/null; wait $up_pid 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 100); do
    grep -q "dyad: query" "$work/up.log" && break
    sleep 0.1
  done
  grep -q "dyad: query" "$work/up.log" || { echo "$script: dyad up did not start:" >&2; cat "$work/up.log" >&2; exit 1; }
}
