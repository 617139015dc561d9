#!/usr/bin/env bash
# GET /range/{prefix} over HTTP with wrk: the server pinned to CPU 0, wrk to CPU 1, loopback,
# app-password auth, random 5-hex prefixes, a local database of N million generated hashes.
# Then cold lookups in that database (examples/cold_lookup: the file's pages are dropped from
# the page cache before every lookup).
#
#   bench/range.sh [MILLIONS]      (default 25; needs: cargo build --release -p passwords
#                                   -p passwords-breach --example gen_pwned --example cold_lookup)
set -euo pipefail
millions=${1:-25}
root=$(cd "$(dirname "$0")/.." && pwd)
rel=${PASSWORDS_RELEASE:-$root/target/release}
duration=${DURATION:-20s}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
export PASSWORDS_DATA_DIR="$work" PASSWORDS_DATABASE_URL="sqlite://$work/passwords.db" RUST_LOG=warn

"$rel/examples/gen_pwned" "$work/list.txt" "$((millions * 1000000))" 1 hash >/dev/null
"$rel/passwords" pwned-list process "$work/list.txt" -s "$millions" >/dev/null
rm "$work/list.txt"
ls -l "$work/breach/pwned.db"
printf 'pw\n' | "$rel/passwords" account add bench --password-stdin >/dev/null
token=$("$rel/passwords" account token add bench --name bench)
"$rel/passwords" config set service.security.range.limit 0 >/dev/null
auth="Authorization: Basic $(printf 'bench:%s' "$token" | base64 -w0)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

taskset -c 0 "$rel/passwords" serve --listen "127.0.0.1:$port" 2>"$work/server.log" &
echo $! >"$work/pid"
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done
curl -sf -H "$auth" "http://127.0.0.1:$port/range/5BAA6" | head -3

cat >"$work/range.lua" <<'LUA'
math.randomseed(7)
request = function()
  return wrk.format(nil, string.format("/range/%05X", math.random(0, 1048575)))
end
LUA
echo "== GET /range/{random prefix} (32 connections)"
taskset -c 1 wrk --latency -t1 -c32 -d"$duration" -H "$auth" -s "$work/range.lua" \
  "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
echo "RSS after load: $(ps -o rss= -p "$(cat "$work/pid")") KiB"
kill "$(cat "$work/pid")"
echo "== cold and warm lookups"
"$rel/examples/cold_lookup" "$work/breach/pwned.db" "${LOOKUPS:-2000}"
