#!/usr/bin/env bash
# Sub2Api benchmark (issue 5). One run: builds the gateway (Release) and the bench tool, starts nginx as a
# fixed-answer fake Anthropic upstream plus a bare nginx reverse proxy in front of it, starts the gateway on a
# fresh SQLite data folder, configures it through the management API, then measures direct / nginx proxy /
# gateway side by side (wrk + bench/Sub2Api.BenchTool), checks the billing after the load, prints a table
# and writes bench/results/latest.json. See bench/README.md.
#
#   ./bench.sh            full run (10 s per load point, about 5 minutes on 2 cores)
#   ./bench.sh --quick    3 s per load point (< 2 minutes)
#   ./bench.sh --serve    set everything up, write the ports and keys to bench/.out/serve.env and keep it
#                         running until Ctrl-C (for profiling under your own load)
#   options: --no-build (reuse bench/.out), --keep (keep the temp folder with logs), --out FILE
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH=$ROOT/bench
OUT_DIR=$BENCH/.out
FIXTURES=$BENCH/fixtures
HELPER=$BENCH/scripts/bench_helper.py
WRK_LUA=$BENCH/scripts/wrk.lua

MODE=full
BUILD=1
KEEP=0
SERVE=0
RESULT_FILE=$BENCH/results/latest.json
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) MODE=quick ;;
    --no-build) BUILD=0 ;;
    --keep) KEEP=1 ;;
    --serve) SERVE=1 ;;
    --out) [[ $# -ge 2 ]] || { echo "bench.sh: --out needs a file" >&2; exit 2; }; RESULT_FILE=$2; shift ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ $MODE == quick ]]; then
  DURATION=${BENCH_DURATION:-3}; WARMUP=${BENCH_WARMUP:-1}
  CONNECTIONS=(1 32 256); SSE_CONNECTIONS=()  # SSE: time to first byte only
  OAI_CONNECTIONS=(32)
  TTFB_COUNT=${BENCH_TTFB_COUNT:-300}; EXACT_COUNT=${BENCH_EXACT_COUNT:-500}; EXACT_CONCURRENCY=16; IDLE_STALL=5
else
  DURATION=${BENCH_DURATION:-10}; WARMUP=${BENCH_WARMUP:-3}
  CONNECTIONS=(1 32 256); SSE_CONNECTIONS=(1 32 256)
  OAI_CONNECTIONS=(1 32)
  TTFB_COUNT=${BENCH_TTFB_COUNT:-2000}; EXACT_COUNT=${BENCH_EXACT_COUNT:-5000}; EXACT_CONCURRENCY=32; IDLE_STALL=10
fi
IDLE_STREAMS=${BENCH_IDLE_STREAMS:-2000}
ADMIN_PASSWORD=bench-admin-$RANDOM$RANDOM
STARTED_AT=$(date +%s)
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_AT_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
  printf '[bench] warning: the machine is busy (load average %s on %s cores): latency tails and throughput will be noisy\n' \
    "$LOAD_AT_START" "$(nproc)" >&2
fi

# fd 3 = the caller's stderr, also from inside commands whose output goes to a file (and from the EXIT trap,
# which runs in whatever redirection was active when the script was interrupted).
exec 3>&2
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&3; }
die() { printf '[bench] ERROR: %s\n' "$*" >&3; exit 1; }

# ----------------------------------------------------------------------------------------- dependencies
install_packages() {
  local packages=("$@")
  log "installing from apt: ${packages[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "missing ${packages[*]}; run as root or install them: apt-get install -y ${packages[*]}"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null || die "missing ${packages[*]} and no apt-get here; install them by hand"
  "${sudo[@]}" apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null \
    || die "apt-get install ${packages[*]} failed"
}
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
[[ ${#missing[@]} -eq 0 ]] || install_packages "${missing[@]}"
export PATH=$PATH:/usr/sbin
command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required"

# 2,000 streams in and out of the gateway plus the bench tool's own ends: raise the open-files limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n); [[ $NOFILE == unlimited ]] && NOFILE=65536
[[ $(ulimit -n) == unlimited || $(ulimit -n) -ge $((IDLE_STREAMS * 2 + 1024)) ]] \
  || log "warning: open-files limit $(ulimit -n) may be too low for $IDLE_STREAMS idle streams"

# --------------------------------------------------------------------------------------- process cleanup
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sub2api-bench.XXXXXX")
chmod 755 "$TMP"
RES=$TMP/results
mkdir -p "$RES" "$TMP/nginx/logs" "$TMP/nginx/temp" "$TMP/data"
PIDS=()
FG_PID=
cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  [[ -n $FG_PID ]] && PIDS+=("$FG_PID")
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ $status -ne 0 ]]; then
    for f in "$TMP/gateway.log" "$TMP/nginx/logs/error.log"; do
      if [[ -s $f ]]; then echo "--- last lines of $f" >&3; tail -n 30 "$f" >&3; fi
    done
  fi
  if [[ $KEEP -eq 1 || $status -ne 0 ]]; then
    echo "[bench] logs and results kept in $TMP" >&3
  else
    rm -rf "$TMP"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a load or bench-tool command in the background and waits for it, so that Ctrl-C / TERM reach the
# trap at once and the command is stopped with everything else.
run_fg() {
  local rc=0
  "$@" &
  FG_PID=$!
  wait "$FG_PID" || rc=$?
  FG_PID=
  return "$rc"
}

# Waits until a URL answers (curl -f), the process is alive, or the deadline passes.
wait_ready() { # name pid deadline_s curl-args...
  local name=$1 pid=$2 seconds=$3 deadline=$(($(date +%s) + $3)); shift 3
  until curl -sf -o /dev/null --max-time 2 "$@"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup"
    (($(date +%s) < deadline)) || die "$name not ready after $seconds s: curl $*"
    sleep 0.2
  done
}

# ------------------------------------------------------------------------------------------------- build
if [[ $BUILD -eq 1 ]]; then
  log "building the gateway (Release) and the bench tool"
  # Own artifacts path: never the default bin/obj of src/ (others may be building there).
  dotnet publish "$ROOT/src/Sub2Api" -c Release --artifacts-path "$OUT_DIR/artifacts" -o "$OUT_DIR/gateway" \
    -nologo -v q >"$TMP/build-gateway.log" 2>&1 || { tail -n 40 "$TMP/build-gateway.log" >&2; die "gateway build failed"; }
  dotnet build "$BENCH/Sub2Api.BenchTool" -c Release --artifacts-path "$OUT_DIR/artifacts" -o "$OUT_DIR/benchtool" \
    -nologo -v q >"$TMP/build-benchtool.log" 2>&1 || { tail -n 40 "$TMP/build-benchtool.log" >&2; die "bench tool build failed"; }
fi
[[ -f $OUT_DIR/gateway/Sub2Api.dll && -f $OUT_DIR/benchtool/Sub2Api.BenchTool.dll ]] \
  || die "nothing built in $OUT_DIR (run without --no-build)"
BENCHTOOL=(dotnet "$OUT_DIR/benchtool/Sub2Api.BenchTool.dll")

# --------------------------------------------------------------------------------------------- ports
read -r FAKE_PORT PROXY_PORT GW_PORT IDLE_PORT FLOOR_PORT < <(python3 "$HELPER" ports 5)
[[ -n ${FLOOR_PORT:-} ]] || die "could not find free ports"
log "ports: fake $FAKE_PORT, nginx proxy $PROXY_PORT, gateway $GW_PORT, idle fake $IDLE_PORT, .NET floor $FLOOR_PORT"

# -------------------------------------------------------------------------------------- nginx (fake + proxy)
nginx_literal() { # a fixture as an nginx single-quoted string body
  local text
  text=$(cat "$1"; printf x); text=${text%x}
  [[ $text != *"'"* && $text != *'$'* && $text != *'\'* ]] || die "$1 must not contain ' \$ or \\ (nginx return text)"
  printf '%s' "$text"
}
JSON_BODY=$(nginx_literal "$FIXTURES/response.json")
SSE_BODY=$(nginx_literal "$FIXTURES/response.sse")
OAI_RESPONSES_BODY=$(nginx_literal "$FIXTURES/openai-responses.sse")
OAI_CHAT_BODY=$(nginx_literal "$FIXTURES/openai-chat.json")
NGINX_CONF=$TMP/nginx/nginx.conf
cat >"$NGINX_CONF" <<EOF
# Written by bench.sh. The fake upstream answers every POST with a fixed body; the proxy is a bare hop.
daemon off;
worker_processes 2;
worker_rlimit_nofile $NOFILE;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections $((NOFILE / 2)); multi_accept on; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/temp/body;
  proxy_temp_path $TMP/nginx/temp/proxy;
  fastcgi_temp_path $TMP/nginx/temp/fastcgi;
  uwsgi_temp_path $TMP/nginx/temp/uwsgi;
  scgi_temp_path $TMP/nginx/temp/scgi;
  client_body_buffer_size 1m;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  tcp_nodelay on;
  server_tokens off;

  server {
    listen 127.0.0.1:$FAKE_PORT backlog=4096;
    location = /json/v1/messages {
      default_type application/json;
      return 200 '$JSON_BODY';
    }
    location = /sse/v1/messages {
      default_type text/event-stream;
      add_header Cache-Control no-cache;
      return 200 '$SSE_BODY';
    }
    # OpenAI API-key upstream (base_url http://127.0.0.1:PORT/oai), with or without /v1 before the path.
    location ~ ^/oai(/v1)?/responses$ {
      default_type text/event-stream;
      add_header Cache-Control no-cache;
      return 200 '$OAI_RESPONSES_BODY';
    }
    location ~ ^/oai(/v1)?/chat/completions$ {
      default_type application/json;
      return 200 '$OAI_CHAT_BODY';
    }
    location / { return 404; }
  }

  upstream fake {
    server 127.0.0.1:$FAKE_PORT;
    keepalive 512;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT backlog=4096;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
EOF
nginx -t -q -c "$NGINX_CONF" -p "$TMP/nginx/" -e "$TMP/nginx/logs/error.log" >"$TMP/nginx-test.log" 2>&1 \
  || { cat "$TMP/nginx-test.log" >&2; die "nginx rejected $NGINX_CONF"; }
nginx -c "$NGINX_CONF" -p "$TMP/nginx/" -e "$TMP/nginx/logs/error.log" >"$TMP/nginx/logs/stdout.log" 2>&1 &
PIDS+=($!)
NGINX_PID=$!
wait_ready "nginx fake" "$NGINX_PID" 15 -X POST -d '{}' "http://127.0.0.1:$FAKE_PORT/json/v1/messages"
wait_ready "nginx proxy" "$NGINX_PID" 15 -X POST -d '{}' "http://127.0.0.1:$PROXY_PORT/sse/v1/messages"
log "nginx up (pid $NGINX_PID)"

# The .NET floor: a minimal Kestrel + HttpClient forwarder to the same fake (JSON only), measured next to the
# gateway so that the platform's share of the distance to nginx is a number, not a guess.
"${BENCHTOOL[@]}" forward --port "$FLOOR_PORT" --upstream "http://127.0.0.1:$FAKE_PORT/json/v1/messages" \
  >"$TMP/floor.log" 2>&1 &
PIDS+=($!)
FLOOR_PID=$!
wait_ready ".NET floor" "$FLOOR_PID" 30 -X POST -H 'content-type: application/json' -d '{}' "http://127.0.0.1:$FLOOR_PORT/v1/messages"

# ------------------------------------------------------------------------------------------------ gateway
GW=http://127.0.0.1:$GW_PORT
(
  cd "$TMP"
  exec env DATA_DIR="$TMP/data" ADMIN_PASSWORD="$ADMIN_PASSWORD" ASPNETCORE_ENVIRONMENT=Production \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS= \
    dotnet "$OUT_DIR/gateway/Sub2Api.dll" --urls "$GW"
) >"$TMP/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
wait_ready "gateway" "$GW_PID" 90 "$GW/health"
log "gateway up (pid $GW_PID) on $GW"

python3 "$HELPER" setup --gateway "$GW" --admin-password "$ADMIN_PASSWORD" --fake-port "$FAKE_PORT" \
  --idle-port "$IDLE_PORT" --out "$RES/setup.json"
KEY_JSON=$(python3 "$HELPER" key --setup "$RES/setup.json" json)
KEY_SSE=$(python3 "$HELPER" key --setup "$RES/setup.json" sse)
KEY_IDLE=$(python3 "$HELPER" key --setup "$RES/setup.json" idle)
KEY_EXACT=$(python3 "$HELPER" key --setup "$RES/setup.json" exact)
KEY_OAI=$(python3 "$HELPER" key --setup "$RES/setup.json" oai --optional)

# One request through each path before any load: a wrong setup fails here with the answer shown.
check_path() { # name url key body expected-substring
  local answer
  answer=$(curl -sS --max-time 10 -X POST "$2" -H 'content-type: application/json' -H "x-api-key: $3" \
    -H 'anthropic-version: 2023-06-01' --data-binary "@$4" -w '\nHTTP %{http_code}') || die "$1: request failed"
  [[ $answer == *"HTTP 200" && $answer == *"$5"* ]] || die "$1 did not answer as expected: $answer"
}
check_path "gateway json" "$GW/v1/messages" "$KEY_JSON" "$FIXTURES/request.json" '"output_tokens":12'
check_path "gateway sse" "$GW/v1/messages" "$KEY_SSE" "$FIXTURES/request-stream.json" 'message_stop'
check_path "nginx proxy json" "http://127.0.0.1:$PROXY_PORT/json/v1/messages" "" "$FIXTURES/request.json" '"output_tokens":12'
# The OpenAI rows (/v1/responses SSE, /v1/chat/completions JSON) need the gateway's OpenAI routes: a gateway without
# them (404) or without the OpenAI account (setup refused) gets "n/a" in its column; direct and proxy are still measured.
PREFLIGHT_OK=2
OAI_GATEWAY=n/a
OAI_GATEWAY_WHY="the gateway could not be set up with an OpenAI account"
if [[ -n $KEY_OAI ]]; then
  oai_status() { # path body -> HTTP status of one request through the gateway
    curl -sS --max-time 10 -o "$TMP/oai-preflight.txt" -w '%{http_code}' -X POST "$GW$1" -H 'content-type: application/json' \
      -H "authorization: Bearer $KEY_OAI" --data-binary "@$2" || echo 000
  }
  responses_status=$(oai_status /v1/responses "$FIXTURES/openai-responses-request.json")
  chat_status=$(oai_status /v1/chat/completions "$FIXTURES/openai-chat-request.json")
  if [[ $responses_status == 404 || $chat_status == 404 ]]; then
    OAI_GATEWAY_WHY="the gateway answered 404 on /v1/responses ($responses_status) or /v1/chat/completions ($chat_status)"
  else
    check_oai() { # name path body expected-substring
      local answer
      answer=$(curl -sS --max-time 10 -X POST "$GW$2" -H 'content-type: application/json' -H "authorization: Bearer $KEY_OAI" \
        --data-binary "@$3" -w '\nHTTP %{http_code}') || die "$1: request failed"
      [[ $answer == *"HTTP 200" && $answer == *"$4"* ]] || die "$1 did not answer as expected: $answer"
    }
    check_oai "gateway openai responses" /v1/responses "$FIXTURES/openai-responses-request.json" 'response.completed'
    check_oai "gateway openai chat" /v1/chat/completions "$FIXTURES/openai-chat-request.json" '"completion_tokens":12'
    OAI_GATEWAY=yes
    OAI_GATEWAY_WHY=""
    PREFLIGHT_OK=$((PREFLIGHT_OK + 2)) # the two checks
  fi
  # A probe the gateway answered 200 was billed, whatever the other one got.
  [[ $responses_status == 200 ]] && PREFLIGHT_OK=$((PREFLIGHT_OK + 1))
  [[ $chat_status == 200 ]] && PREFLIGHT_OK=$((PREFLIGHT_OK + 1))
fi
[[ $OAI_GATEWAY == yes ]] || log "OpenAI rows: gateway n/a ($OAI_GATEWAY_WHY)"
echo "{\"ok\": $PREFLIGHT_OK}" >"$RES/preflight.json" # the gateway requests above are billed too

if ((SERVE)); then
  cat >"$OUT_DIR/serve.env" <<EOF
# Written by bench.sh --serve; valid while it runs. Example:
#   . bench/.out/serve.env && BENCH_KEY=\$KEY_JSON BENCH_BODY_FILE=\$FIXTURES/request.json \\
#     wrk -t2 -c32 -d10s -s bench/scripts/wrk.lua \$GW/v1/messages
GW=$GW
GW_PID=$GW_PID
DIRECT_JSON=http://127.0.0.1:$FAKE_PORT/json/v1/messages
PROXY_JSON=http://127.0.0.1:$PROXY_PORT/json/v1/messages
FLOOR_JSON=http://127.0.0.1:$FLOOR_PORT/v1/messages
KEY_JSON=$KEY_JSON
KEY_SSE=$KEY_SSE
KEY_IDLE=$KEY_IDLE
KEY_OAI=$KEY_OAI
DIRECT_OAI_RESPONSES=http://127.0.0.1:$FAKE_PORT/oai/v1/responses
DIRECT_OAI_CHAT=http://127.0.0.1:$FAKE_PORT/oai/v1/chat/completions
IDLE_PORT=$IDLE_PORT
FIXTURES=$FIXTURES
TMP=$TMP
EOF
  log "serving until Ctrl-C; ports and keys in $OUT_DIR/serve.env"
  wait "$GW_PID" || true
  exit 0
fi

# --------------------------------------------------------------------------------------------------- load
target_url() { # scenario target
  case $1 in
    oai_responses_sse | oai_chat_json)
      local path=/v1/responses
      [[ $1 == oai_chat_json ]] && path=/v1/chat/completions
      case $2 in
        direct) echo "http://127.0.0.1:$FAKE_PORT/oai$path" ;;
        proxy) echo "http://127.0.0.1:$PROXY_PORT/oai$path" ;;
        gateway) echo "$GW$path" ;;
      esac
      return ;;
  esac
  case $2 in
    direct) echo "http://127.0.0.1:$FAKE_PORT/$1/v1/messages" ;;
    proxy) echo "http://127.0.0.1:$PROXY_PORT/$1/v1/messages" ;;
    floor) echo "http://127.0.0.1:$FLOOR_PORT/v1/messages" ;;
    gateway) echo "$GW/v1/messages" ;;
  esac
}
run_wrk() { # name scenario target connections duration
  local name=$1 scenario=$2 target=$3 conns=$4 duration=$5 threads=2 key="" body=$FIXTURES/request.json auth=x-api-key
  if ((conns == 1)); then threads=1; fi
  if [[ $target == gateway && $scenario == json ]]; then key=$KEY_JSON; fi
  if [[ $target == gateway && $scenario == sse ]]; then key=$KEY_SSE; fi
  if [[ $scenario == sse ]]; then body=$FIXTURES/request-stream.json; fi
  if [[ $scenario == oai_* ]]; then
    auth=bearer
    [[ $target == gateway ]] && key=$KEY_OAI
    body=$FIXTURES/openai-responses-request.json
    [[ $scenario == oai_chat_json ]] && body=$FIXTURES/openai-chat-request.json
  fi
  BENCH_AUTH=$auth BENCH_KEY=$key BENCH_BODY_FILE=$body BENCH_OUT=$RES/wrk-$name.json BENCH_CONNS=$conns BENCH_THREADS=$threads \
    run_fg wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$WRK_LUA" "$(target_url "$scenario" "$target")" \
    >"$RES/wrk-$name.txt" 2>&1 || { cat "$RES/wrk-$name.txt" >&2; die "wrk $name failed"; }
  [[ -s $RES/wrk-$name.json ]] || { cat "$RES/wrk-$name.txt" >&2; die "wrk $name wrote no result"; }
  python3 - "$RES/wrk-$name.json" "$name" <<'EOF' >&2
import json, sys
r = json.load(open(sys.argv[1]))
s = r["duration_us"] / 1e6
bad = r["errors_status"] + r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_timeout"]
print(f"[bench]   {sys.argv[2]:<24} {r['requests'] / s:>9,.0f} req/s  p50 {r['lat_p50_us'] / 1000:7.3f} ms  "
      f"p99 {r['lat_p99_us'] / 1000:7.3f} ms" + (f"  ERRORS {bad} (non-2xx {r['errors_status']})" if bad else ""))
EOF
}

# Before each measurement: let the gateway finish what the previous load left (usage writes, GC).
quiesce() { python3 "$HELPER" quiesce --pid "$GW_PID" --record "$RES/busy-after-load.jsonl"; }

# Idle streams first: on a process that has not yet grown its heap under load, the memory the open streams
# take shows in RSS; after the load runs the GC has headroom to spare and the delta reads as noise (even < 0).
log "idle streams: $IDLE_STREAMS held open through the gateway"
quiesce
run_fg "${BENCHTOOL[@]}" idle --url "$GW/v1/messages" --key "$KEY_IDLE" --streams "$IDLE_STREAMS" --fake-port "$IDLE_PORT" \
  --pid "$GW_PID" --stall-s "$IDLE_STALL" --open-timeout-s 60 --sse-file "$FIXTURES/response.sse" --body-file "$FIXTURES/request-stream.json" >"$RES/idle.json"

SCENARIOS=(json sse)
for scenario in "${SCENARIOS[@]}"; do
  if [[ $scenario == sse && ${#SSE_CONNECTIONS[@]} -eq 0 ]]; then continue; fi
  # Warm-up: JIT, connection pools and caches of the gateway (nginx needs none); billed like any request.
  log "warm-up ($scenario): ${WARMUP} s at 32 connections through the gateway"
  run_wrk "warmup-$scenario-gateway" "$scenario" gateway 32 "$WARMUP"
  if [[ $scenario == json ]]; then conns_list=("${CONNECTIONS[@]}"); else conns_list=("${SSE_CONNECTIONS[@]}"); fi
  for conns in "${conns_list[@]}"; do
    log "$scenario, $conns connection(s), ${DURATION} s each"
    targets=(direct proxy gateway)
    # The .NET floor forwards JSON only; one load point under load is enough to place it.
    if [[ $scenario == json && $conns -gt 1 ]]; then targets+=(floor); fi
    for target in "${targets[@]}"; do
      quiesce
      run_wrk "$scenario-$target-c$conns" "$scenario" "$target" "$conns" "$DURATION"
    done
  done
done

# OpenAI: /v1/responses (SSE) and /v1/chat/completions (JSON) against the nginx OpenAI fake; gateway column only
# when the gateway has the OpenAI routes (see the preflight above).
for scenario in oai_responses_sse oai_chat_json; do
  targets=(direct proxy)
  if [[ $OAI_GATEWAY == yes ]]; then
    targets+=(gateway)
    log "warm-up ($scenario): ${WARMUP} s at 32 connections through the gateway"
    run_wrk "warmup-$scenario-gateway" "$scenario" gateway 32 "$WARMUP"
  fi
  for conns in "${OAI_CONNECTIONS[@]}"; do
    log "$scenario, $conns connection(s), ${DURATION} s each"
    for target in "${targets[@]}"; do
      quiesce
      run_wrk "$scenario-$target-c$conns" "$scenario" "$target" "$conns" "$DURATION"
    done
  done
done

log "SSE time to first byte: $TTFB_COUNT sequential streaming requests per target"
quiesce
run_fg "${BENCHTOOL[@]}" ttfb --url "$(target_url sse direct)" --count "$TTFB_COUNT" --label direct \
  --body-file "$FIXTURES/request-stream.json" >"$RES/ttfb-direct.json"
run_fg "${BENCHTOOL[@]}" ttfb --url "$(target_url sse proxy)" --count "$TTFB_COUNT" --label proxy \
  --body-file "$FIXTURES/request-stream.json" >"$RES/ttfb-proxy.json"
quiesce
run_fg "${BENCHTOOL[@]}" ttfb --url "$GW/v1/messages" --key "$KEY_SSE" --count "$TTFB_COUNT" --label gateway \
  --body-file "$FIXTURES/request-stream.json" >"$RES/ttfb-gateway.json"

log "exact: $EXACT_COUNT requests, $EXACT_CONCURRENCY in flight, on a key of their own"
run_fg "${BENCHTOOL[@]}" exact --url "$GW/v1/messages" --key "$KEY_EXACT" --count "$EXACT_COUNT" \
  --concurrency "$EXACT_CONCURRENCY" --body-file "$FIXTURES/request.json" >"$RES/exact.json"
EXACT_OK=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ok"])' "$RES/exact.json")

# ------------------------------------------------------------------------------------------------ billing
log "waiting for the usage writer (deadline 60 s)"
python3 "$HELPER" settle --setup "$RES/setup.json" --key exact --expect "$EXACT_OK" --out "$RES/settle-exact.json"
ANSWERED=$(python3 "$HELPER" answered --dir "$RES")
python3 "$HELPER" settle --setup "$RES/setup.json" --min "$ANSWERED" --balance --out "$RES/settle-global.json"
kill -0 "$GW_PID" 2>/dev/null || die "the gateway died during the run"

# ------------------------------------------------------------------------------------------------- report
GIT_COMMIT=$(GIT_OPTIONAL_LOCKS=0 git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$([[ -n $(GIT_OPTIONAL_LOCKS=0 git -C "$ROOT" status --porcelain -- src 2>/dev/null) ]] && echo True || echo False)
python3 - "$RES/meta.json" <<EOF
import json, sys
json.dump({
  "mode": "$MODE", "duration_s": $DURATION, "warmup_s": $WARMUP,
  "connections": [$(IFS=,; echo "${CONNECTIONS[*]}")], "sse_connections": [$(IFS=,; echo "${SSE_CONNECTIONS[*]:-}")],
  "oai_connections": [$(IFS=,; echo "${OAI_CONNECTIONS[*]}")], "oai_gateway": "$OAI_GATEWAY", "oai_gateway_why": "$OAI_GATEWAY_WHY",
  "ttfb_count": $TTFB_COUNT, "idle_streams": $IDLE_STREAMS,
  "exact_count": $EXACT_COUNT, "exact_concurrency": $EXACT_CONCURRENCY,
  "git_commit": "$GIT_COMMIT", "src_modified": $GIT_DIRTY,
  "wrk_threads": "1 for 1 connection, else 2", "nginx_workers": 2,
  "elapsed_s": $(($(date +%s) - STARTED_AT)),
  "loadavg_at_start": "$LOAD_AT_START", "loadavg_at_end": "$(cut -d' ' -f1-3 /proc/loadavg)",
}, open(sys.argv[1], "w"), indent=2)
EOF
python3 "$HELPER" report --dir "$RES" --fixtures "$FIXTURES" --out "$RESULT_FILE"
log "done in $(($(date +%s) - STARTED_AT)) s"
