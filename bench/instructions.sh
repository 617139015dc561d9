#!/usr/bin/env bash
# User-space instructions per request (valgrind's callgrind, Debian package `valgrind`) of
# the v1 password/list (model+tag-ids), the legacy list, password/show and password/create
# on SQLite with 1,000 seeded passwords, each with one tag (the data of bench/http_v1.sh).
#
#   bench/instructions.sh [path/to/passwords]     (default: target/release/passwords)
#
# Unlike requests per second, the count barely moves between runs or with the machine's
# load: use it to compare two builds on a noisy machine. Kernel time (syscalls, context
# switches) is not counted. With KEEP=dir, the callgrind profiles of each route are kept
# there (read them with callgrind_annotate). N sets the requests per route (lists N,
# show and create 10×N; default 10).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/target/release/passwords}"); n=${N:-10}
keep=${KEEP:+$(realpath -m "$KEEP")}
work=$(mktemp -d); cd "$work"
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
export PASSWORDS_DATA_DIR="$work" PASSWORDS_DATABASE_URL="sqlite://$work/passwords.db" RUST_LOG=warn
printf 'pw\n' | "$bin" account add bench --password-stdin >/dev/null
token=$("$bin" account token add bench --name bench)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --listen "127.0.0.1:$port" 2>"$work/server.log" & echo $! >"$work/pid"
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done
cat > client.py <<'PY'
import base64, http.client, json, sys
port, token, mode, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
h = {"Authorization": "Basic " + base64.b64encode(f"bench:{token}".encode()).decode(), "Content-Type": "application/json"}
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
p = "/index.php/apps/passwords/api/1.0"
def req(m, path, body=None):
    c.request(m, path, json.dumps(body) if body is not None else None, h); r = c.getresponse(); d = r.read(); assert r.status < 300, (r.status, d); return d
if mode == "seed":
    tag = json.loads(req("POST", p + "/tag/create", {"label": "bench", "color": "#ff0000"}))["id"]
    for i in range(1000):
        d = req("POST", p + "/password/create", {"label": f"site {i}", "password": f"secret-{i}-Xy!", "username": f"user{i}", "url": f"https://site{i}.example/login", "notes": "some notes " * 5, "customFields": "[]", "tags": [tag]})
    open("id", "w").write(json.loads(d)["id"])
elif mode == "list":
    for _ in range(n): req("POST", p + "/password/list", {"details": "model+tag-ids"})
elif mode == "legacy":
    for _ in range(n): req("GET", "/index.php/apps/passwords/api/0.1/passwords")
elif mode == "show":
    i = open("id").read()
    for _ in range(n): req("POST", p + "/password/show", {"id": i})
elif mode == "create":
    import random
    for k in range(n): req("POST", p + "/password/create", {"label": "bench", "password": f"Tr0ub4dor&3-{k}-{random.random()}", "username": "wrk", "url": "https://bench.example/", "notes": "load"})
PY
python3 client.py $port $token seed 0
kill $(cat pid); wait $(cat pid) 2>/dev/null || true
valgrind --tool=callgrind --compress-strings=no --compress-pos=no --callgrind-out-file=$work/cg.%p "$bin" serve --listen "127.0.0.1:$port" 2>"$work/vg.log" & echo $! >"$work/pid"
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
for mode in list legacy show create; do
  m=$n; [ $mode = show ] && m=$((n*10)); [ $mode = create ] && m=$((n*10))
  python3 client.py $port $token $mode 3  # warm-up
  callgrind_control -z $(cat pid) >/dev/null
  python3 client.py $port $token $mode $m
  callgrind_control -d $(cat pid) >/dev/null
  f=$(ls -t $work/cg.* | head -1)
  ir=$(grep -m1 "^summary:\|^totals:" $f | awk '{print $2}')
  if [ -n "$keep" ]; then mkdir -p "$keep"; cp "$f" "$keep/callgrind-$mode.out"; fi
  echo "$mode: $((ir / m)) instructions per request"
done
