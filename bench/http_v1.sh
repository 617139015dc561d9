#!/usr/bin/env bash
# HTTP benchmarks of API v1 objects with wrk (Debian package `wrk`): the server pinned to CPU 0,
# the load generator to CPU 1, loopback only, app-password auth.
#
#   bench/http_v1.sh [sqlite|postgres]      (needs a release build: cargo build --release)
#
# Seeds 1,000 passwords (each with one tag) through password/create, then measures:
# password/list with details model+tag-ids, password/show of one password, password/create.
# With CPU=1 (needs `perf`) it prints instead the server CPU time per request of the v1 list
# and of the legacy list on the same data. Results go to docs/benchmarks.md by hand.
set -euo pipefail
backend=${1:-sqlite}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${PASSWORDS_BIN:-$root/target/release/passwords}
duration=${DURATION:-20s}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

case "$backend" in
  sqlite) url="sqlite://$work/passwords.db" ;;
  postgres)
    db="pwbench_v1_$$"
    psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    url="postgres://root@127.0.0.1:5432/$db" ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac
export PASSWORDS_DATA_DIR="$work" PASSWORDS_DATABASE_URL="$url" RUST_LOG=warn

printf 'pw\n' | "$bin" account add bench --password-stdin >/dev/null
token=$("$bin" account token add bench --name bench)
auth="Authorization: Basic $(printf 'bench:%s' "$token" | base64 -w0)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/index.php/apps/passwords/api/1.0"

taskset -c 0 "$bin" serve --listen "127.0.0.1:$port" 2>"$work/server.log" &
echo $! >"$work/pid"
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.005; done

# Seed one tag and 1,000 passwords over one keep-alive connection; remember one id.
id=$(python3 - "$port" "$token" <<'PY'
import base64, http.client, json, sys
port, token = int(sys.argv[1]), sys.argv[2]
h = {"Authorization": "Basic " + base64.b64encode(f"bench:{token}".encode()).decode(),
     "Content-Type": "application/json"}
c = http.client.HTTPConnection("127.0.0.1", port)
p = "/index.php/apps/passwords/api/1.0"
c.request("POST", p + "/tag/create", json.dumps({"label": "bench", "color": "#ff0000"}), h)
r = c.getresponse(); tag = json.loads(r.read())["id"]; assert r.status == 201
ids = []
for i in range(1000):
    body = {"label": f"site {i}", "password": f"secret-{i}-Xy!", "username": f"user{i}",
            "url": f"https://site{i}.example/login", "notes": "some notes " * 5,
            "customFields": "[]", "tags": [tag]}
    c.request("POST", p + "/password/create", json.dumps(body), h)
    r = c.getresponse(); ids.append(json.loads(r.read())["id"])
    assert r.status == 201, r.status
print(ids[500])
PY
)

cat >"$work/list.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"details":"model+tag-ids"}'
LUA
cat >"$work/show.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"$id"}'
LUA
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"label":"bench","password":"Tr0ub4dor&3-%d-%d","username":"wrk","url":"https://bench.example/","notes":"load"}',
    n, math.random(1, 1000000000))
  return wrk.format(nil, nil, nil, body)
end
LUA

if [ -n "${CPU:-}" ]; then
  # Server CPU time per request of this list and of the legacy list on the same data: a
  # figure that depends much less on the machine's load and speed than requests per second.
  cpu() { # name, wrk arguments...
    local name=$1; shift
    taskset -c 1 wrk -t1 -d2s "$@" >/dev/null
    perf stat -x, -e task-clock -p "$(cat "$work/pid")" -- sleep 6 2>"$work/stat.txt" &
    local sp=$! n ms
    n=$(taskset -c 1 wrk -t1 -d6s "$@" | awk '/requests in/ {print $1}')
    wait $sp
    ms=$(grep task-clock "$work/stat.txt" | cut -d, -f1)
    echo "$name: $n requests, $(python3 -c "print(round($ms / $n, 2))") ms CPU per request"
  }
  cpu "v1 password/list model+tag-ids" -c8 -H "$auth" -s "$work/list.lua" "$base/password/list"
  cpu "legacy GET /passwords" -c8 -H "$auth" "${base%/api/1.0}/api/0.1/passwords"
  exit 0
fi

load() { taskset -c 1 wrk --latency -t1 "$@" | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"; }
echo "== password/list model+tag-ids, 1,000 passwords (8 connections)"
load -c8 -d"$duration" -H "$auth" -s "$work/list.lua" "$base/password/list"
echo "== password/show (32 connections)"
load -c32 -d"$duration" -H "$auth" -s "$work/show.lua" "$base/password/show"
echo "== password/create (8 connections)"
load -c8 -d"$duration" -H "$auth" -s "$work/post.lua" "$base/password/create"
echo "RSS after load: $(ps -o rss= -p "$(cat "$work/pid")") KiB"
if [ "$backend" = postgres ]; then
  kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true
  psql -h 127.0.0.1 -U root -d postgres -qc "DROP DATABASE IF EXISTS $db"
fi
