#!/usr/bin/env bash
# Runs every test tier (web app: type check + vitest; unit, functional, browser, fuzz, integration) and ends with one
# line: "N passed, N failed". Installs what is missing first (apt: PostgreSQL, Redis, Chromium, Prometheus; npm ci; NuGet
# restore), and starts a throwaway PostgreSQL and Redis on free loopback ports for the integration tier. Browser
# screenshots are kept in artifacts/screenshots. Exit code is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/sub2api-test.XXXXXX)
chmod 755 "$WORK"
LOG="$WORK/test.log"

say() { printf '\n== %s\n' "$*"; }
finish() {
  local code=$1 passed=${2:-0} failed=${3:-0}
  stop_servers
  echo
  echo "$passed passed, $failed failed"
  exit "$code"
}

# ---------------------------------------------------------------------------
# 1. Prerequisites
# ---------------------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
# The browser tier drives the system's Chromium (no browser download).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# A CJK font, so the browser tests' Chinese screenshots show characters instead of boxes.
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
# A real Prometheus scrapes the gateway in the metrics test (started by the test itself, never as a service).
[ -x /usr/bin/prometheus ] || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing from apt: ${missing[*]}"
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "warning: apt-get install ${missing[*]} failed"
fi
command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required"; finish 1; }
if command -v npm >/dev/null; then
  say "npm: the real clients (Anthropic SDK, OpenAI SDK, Codex CLI) used by the real-client tests"
  (cd tests/clients/anthropic-sdk && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || echo "warning: npm ci failed in tests/clients/anthropic-sdk"
  for client in openai-sdk codex; do
    (cd "tests/clients/$client" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || echo "warning: npm ci failed in tests/clients/$client"
  done
else
  echo "warning: npm not found; the real-client test will fail under CI=true"
fi

# ---------------------------------------------------------------------------
# 2. Throwaway servers on free loopback ports
# ---------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PG_DATA=""
REDIS_PID_FILE=""
stop_servers() {
  if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    run_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "$REDIS_PID_FILE" ] && [ -f "$REDIS_PID_FILE" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$REDIS_PID_FILE")" 2>/dev/null || true
  fi
  rm -rf "$WORK" 2>/dev/null || true
}
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else "$@"; fi; }

if [ -n "$(pg_bin)" ]; then
  PG_PORT=$(free_port)
  PG_DATA="$WORK/pg"
  mkdir -p "$PG_DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA"
  if run_pg "$(pg_bin)/initdb" -D "$PG_DATA" -A trust -U postgres >"$WORK/initdb.log" 2>&1 \
     && run_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
          -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
    export SUB2API_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
    say "PostgreSQL on 127.0.0.1:$PG_PORT"
  else
    echo "warning: could not start PostgreSQL (see $WORK/initdb.log)"; PG_DATA=""
  fi
fi

if command -v redis-server >/dev/null; then
  REDIS_PORT=$(free_port)
  mkdir -p "$WORK/redis"
  if redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
       --dir "$WORK/redis" --pidfile "$WORK/redis/redis.pid" --logfile "$WORK/redis/redis.log" >/dev/null 2>&1; then
    REDIS_PID_FILE="$WORK/redis/redis.pid"
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
    export SUB2API_TEST_REDIS="127.0.0.1:$REDIS_PORT"
    say "Redis on 127.0.0.1:$REDIS_PORT"
  else
    echo "warning: could not start Redis (see $WORK/redis/redis.log)"
  fi
fi

# ---------------------------------------------------------------------------
# 3. Build once, then run each test project
# ---------------------------------------------------------------------------
say "restore and build"
if ! dotnet build Sub2Api.slnx -c Debug -nologo -v q >"$WORK/build.log" 2>&1; then
  grep -E "error|Error" "$WORK/build.log" | head -40
  echo "build failed"
  finish 1 0 1
fi

passed=0; failed=0; code=0

# The web app (web/): the type check counts as one test, then vitest's own count. The build above already ran
# npm ci when the lock file changed; run it here too if node_modules is missing or older than the lock file.
say "web app (web/: vue-tsc, vitest)"
started=$SECONDS
if ! command -v npm >/dev/null; then
  echo "npm not found: the web app cannot be checked (needs Node.js 20.19 or newer)"
  failed=$((failed + 1)); code=1
else
  if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm-ci.log" 2>&1) || { echo "npm ci failed in web/"; tail -20 "$WORK/npm-ci.log"; }
  fi
  if (cd web && npx vue-tsc --noEmit -p tsconfig.json) >"$WORK/vue-tsc.log" 2>&1; then
    echo "vue-tsc: no type errors"; passed=$((passed + 1))
  else
    head -60 "$WORK/vue-tsc.log"; echo "vue-tsc: type errors"; failed=$((failed + 1)); code=1
  fi
  (cd web && NO_COLOR=1 FORCE_COLOR=0 npx vitest run) >"$WORK/vitest.log" 2>&1
  rc=$?
  summary=$(grep -E "^\s*Tests\s+[0-9]" "$WORK/vitest.log" | tail -n 1)
  p=$(echo "$summary" | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+"); f=$(echo "$summary" | grep -oE "[0-9]+ failed" | grep -oE "[0-9]+")
  [ "$rc" != 0 ] && grep -E "FAIL|AssertionError|Error:|✗|×" "$WORK/vitest.log" | head -60
  echo "vitest: ${summary:-no summary (see below)}"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$rc" != 0 ]; then
    code=1
    if [ -z "$f" ] || [ "$f" = 0 ]; then tail -20 "$WORK/vitest.log"; failed=$((failed + 1)); fi # crashed or ran nothing: count it
  fi
fi
echo "web app: $((SECONDS - started)) s"

# Browser tests save their screenshots here (a known place CI can keep).
export SUB2API_SCREENSHOTS="$ROOT/artifacts/screenshots"
rm -rf "$SUB2API_SCREENSHOTS"

for project in tests/Sub2Api.UnitTests tests/Sub2Api.FunctionalTests tests/Sub2Api.BrowserTests tests/Sub2Api.FuzzTests tests/Sub2Api.IntegrationTests; do
  name=$(basename "$project")
  say "$name"
  started=$SECONDS
  out="$WORK/$name.log"
  # A hung test must fail the run in minutes, not hold CI until its own limit: each tier gets TIER_TIMEOUT seconds.
  timeout --kill-after=20 "${TIER_TIMEOUT:-1200}" dotnet test --project "$project" --no-build >"$out" 2>&1
  rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "$name did not finish within ${TIER_TIMEOUT:-1200} s (a test hung); its test host is killed"
    pkill -9 -f "$ROOT/$project/bin/" 2>/dev/null || true
  fi
  # Show failures in full, then the summary. The fuzz tier's report (seed, counts, every failure group with an
  # example) is printed whole: one run shows everything it found.
  report=""
  if [ "$name" = Sub2Api.FuzzTests ] && [ "$rc" != 0 ]; then
    report=$(awk '/fuzz seed [0-9]+:/{on=1} on && /^ *at Sub2Api/{exit} on' "$out" | head -600)
  fi
  if [ -n "$report" ]; then
    echo "$report"
  else
    grep -E "^\s*failed |^\s*(Assert|Expected|Actual|Stack|at Sub2Api)|Zero tests|error" "$out" | head -80 || true
  fi
  grep -E "^  (total|failed|succeeded|skipped):" "$out" || true
  p=$(awk '/^  succeeded:/{print $2}' "$out" | tail -n 1); f=$(awk '/^  failed:/{print $2}' "$out" | tail -n 1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$rc" != 0 ]; then
    code=1
    if [ -z "$f" ] || [ "$f" = 0 ]; then failed=$((failed + 1)); fi # crashed or ran nothing: count it
  fi
  echo "$name: $((SECONDS - started)) s"
  if [ "$name" = Sub2Api.BrowserTests ] && [ -d "$SUB2API_SCREENSHOTS" ]; then
    echo "screenshots: $SUB2API_SCREENSHOTS ($(ls "$SUB2API_SCREENSHOTS" | wc -l) files)"
  fi
done

finish "$code" "$passed" "$failed"
