#!/usr/bin/env bash
# Overhead of the GuardStream gateway (moderation off, publisher off) against nginx, in one run:
#   direct    wrk -> static nginx upstream
#   nginx     wrk -> nginx proxy_pass (keep-alive upstream) -> static nginx upstream
#   gateway   wrk -> GuardStream -> static nginx upstream
#   bare      wrk -> a bare Vert.x proxy (the gateway's transport and pooled client, none of its code) -> upstream:
#             the ceiling the framework sets on this machine
# Loopback only; every wrk run is bounded by DURATION. The four targets are measured in ROUNDS
# interleaved rounds and the medians reported, so load from other processes hits them alike.
# Besides req/s and latency, each run reports the proxy's own CPU time per request (utime+stime of its processes
# from /proc, divided by the requests wrk completed): steadier than req/s on a shared machine, since every
# process competes for the same two cores. For `direct` that is the static upstream's CPU.
# Usage: bench/gateway-overhead.sh [DURATION_SECONDS=8] [CONNECTIONS=32] [ROUNDS=3]
# TRANSPORT=auto|io_uring|epoll|nio sets the event loops' transport of the gateway and the bare proxy alike.
# BASELINE_REF=<git ref> adds a fifth target, the gateway built from that commit (in a temporary worktree), measured
# in the same interleaved rounds: the way to compare two builds on a machine whose speed drifts between runs.
# GATEWAY_JAVA_OPTS sets the JVM options of the gateway and the bare proxy; BASELINE_JAVA_OPTS those of the baseline
# (default: the same), so BASELINE_REF=HEAD with two option sets compares JVM flags in one run.
# GATEWAY_JAVA / BASELINE_JAVA name the java binaries the same way (default: java on PATH; the baseline's defaults to
# the gateway's), so BASELINE_REF=HEAD GATEWAY_JAVA=/path/to/other/java compares two JVMs in one run.
set -euo pipefail

DURATION=${1:-8}
CONNECTIONS=${2:-32}
ROUNDS=${3:-3}
THREADS=${THREADS:-1}
TRANSPORT=${TRANSPORT:-auto}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/guardstream-bench.XXXXXX)
UP_PORT=${UP_PORT:-18081}
PROXY_PORT=${PROXY_PORT:-18082}
GW_PORT=${GW_PORT:-18083}
BARE_PORT=${BARE_PORT:-18084}
BASE_PORT=${BASE_PORT:-18085}
BASELINE_REF=${BASELINE_REF:-}
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -d "$WORK/baseline" ]; then git -C "$ROOT" worktree remove --force "$WORK/baseline" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "installing $2 (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    fi
  fi
}
need wrk wrk
need nginx nginx
NGINX=$(command -v nginx)

RESPONSE='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"This is a fixed benchmark answer from a static upstream."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":11,"total_tokens":23}}'

nginx_conf() { # $1 = name, $2 = server block
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/$1/body;
  proxy_temp_path $WORK/$1/proxy;
  fastcgi_temp_path $WORK/$1/fastcgi;
  uwsgi_temp_path $WORK/$1/uwsgi;
  scgi_temp_path $WORK/$1/scgi;
  keepalive_requests 1000000;
  $2
}
CONF
}

nginx_conf upstream "server {
    listen 127.0.0.1:$UP_PORT;
    location / { default_type application/json; return 200 '$RESPONSE'; }
  }"
nginx_conf proxy "upstream vlm { server 127.0.0.1:$UP_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://vlm;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_buffering on;
    }
  }"

"$NGINX" -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" -g 'daemon off;' & PIDS+=($!)
UP_PID=$!
"$NGINX" -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" -g 'daemon off;' & PIDS+=($!)
PROXY_PID=$!

echo "building the gateway..." >&2
(cd "$ROOT" && ./mvnw -B -q -pl gateway -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime) >&2
CP="$ROOT/gateway/target/classes:$(cat "$WORK/cp.txt")"
BENCH_KEY=sk-bench-key
TARGETS="direct nginx gateway bare"
JAVA_OPTS_DEFAULT="-Xms512m -Xmx512m -XX:+UseParallelGC"
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-$JAVA_OPTS_DEFAULT}
BASELINE_JAVA_OPTS=${BASELINE_JAVA_OPTS:-$GATEWAY_JAVA_OPTS}
GATEWAY_JAVA=${GATEWAY_JAVA:-java}
BASELINE_JAVA=${BASELINE_JAVA:-$GATEWAY_JAVA}
if [ -n "$BASELINE_REF" ]; then
  echo "building the baseline gateway at $BASELINE_REF..." >&2
  git -C "$ROOT" worktree add -q --detach "$WORK/baseline" "$BASELINE_REF"
  (cd "$WORK/baseline" && ./mvnw -B -q -pl gateway -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$WORK/base-cp.txt" -Dmdep.includeScope=runtime) >&2
  # shellcheck disable=SC2086
  GUARDSTREAM_SERVER_TRANSPORT=$TRANSPORT \
    "$BASELINE_JAVA" $BASELINE_JAVA_OPTS \
    -cp "$WORK/baseline/gateway/target/classes:$(cat "$WORK/base-cp.txt")" io.guardstream.gateway.GatewayMain \
    --port "$BASE_PORT" --upstream "http://127.0.0.1:$UP_PORT/v1" --api-key "$BENCH_KEY" \
    > "$WORK/baseline.log" 2>&1 & PIDS+=($!)
  BASE_PID=$!
  TARGETS="$TARGETS baseline"
fi
# shellcheck disable=SC2086
GUARDSTREAM_SERVER_TRANSPORT=$TRANSPORT \
  "$GATEWAY_JAVA" $GATEWAY_JAVA_OPTS -cp "$CP" io.guardstream.gateway.GatewayMain \
  --port "$GW_PORT" --upstream "http://127.0.0.1:$UP_PORT/v1" --api-key "$BENCH_KEY" \
  > "$WORK/gateway.log" 2>&1 & PIDS+=($!)
GW_PID=$!
# shellcheck disable=SC2086
"$GATEWAY_JAVA" $GATEWAY_JAVA_OPTS -cp "$ROOT/gateway/target/test-classes:$CP" \
  io.guardstream.gateway.bench.BareVertxProxy "$BARE_PORT" 127.0.0.1 "$UP_PORT" "$TRANSPORT" > "$WORK/bare.log" 2>&1 & PIDS+=($!)
BARE_PID=$!

for port in $UP_PORT $PROXY_PORT $GW_PORT $BARE_PORT ${BASE_PID:+$BASE_PORT}; do
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $BENCH_KEY" \
      --data '{"model":"bench-model","messages":[{"role":"user","content":"ping"}]}' \
      "http://127.0.0.1:$port/v1/chat/completions" && break
    sleep 0.5
  done
done

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"bench-model","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Describe a cat in one sentence."}],"max_tokens":32}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $BENCH_KEY"
LUA

ticks() { # utime+stime clock ticks of a process and its children (nginx workers)
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)
run() { # $1 = label, $2 = port, $3 = seconds
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${3}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$2/v1/chat/completions" > "$WORK/$1.txt"
  if grep -q 'Non-2xx' "$WORK/$1.txt"; then echo "$1: non-2xx answers!" >&2; grep 'Non-2xx' "$WORK/$1.txt" >&2; fi
}
to_ms() { # wrk latency like 312.00us / 1.20ms / 2.01s -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "warming up the JIT of the gateway and the bare proxy (20 s each)..." >&2
run warmup "$GW_PORT" 20
run warmup "$BARE_PORT" 20
if [ -n "$BASELINE_REF" ]; then run warmup "$BASE_PORT" 20; fi
declare -A RPS_ALL P50_ALL P99_ALL CPU_ALL
for round in $(seq 1 "$ROUNDS"); do
  for target in direct:$UP_PORT:$UP_PID nginx:$PROXY_PORT:$PROXY_PID gateway:$GW_PORT:$GW_PID bare:$BARE_PORT:$BARE_PID \
      ${BASE_PID:+baseline:$BASE_PORT:$BASE_PID}; do
    IFS=: read -r name port pid <<< "$target"
    before=$(ticks "$pid")
    run "$name" "$port" "$DURATION"
    after=$(ticks "$pid")
    requests=$(awk '/requests in/ {print $1}' "$WORK/$name.txt")
    CPU_ALL[$name]+="$(awk -v t=$((after - before)) -v n="$requests" -v hz="$HZ" 'BEGIN {printf "%.2f", t * 1e6 / hz / n}') "
    RPS_ALL[$name]+="$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt") "
    P50_ALL[$name]+="$(to_ms "$(awk '$1=="50%" {print $2}' "$WORK/$name.txt")") "
    P99_ALL[$name]+="$(to_ms "$(awk '$1=="99%" {print $2}' "$WORK/$name.txt")") "
  done
  echo "round $round/$ROUNDS done" >&2
done

printf '\n%-9s %12s %10s %10s %11s   %s\n' path req/s p50_ms p99_ms cpu_us/req "(medians of $ROUNDS rounds; req/s per round)"
declare -A RPS P50 P99 CPU
for name in $TARGETS; do
  RPS[$name]=$(echo "${RPS_ALL[$name]}" | median)
  P50[$name]=$(echo "${P50_ALL[$name]}" | median)
  P99[$name]=$(echo "${P99_ALL[$name]}" | median)
  CPU[$name]=$(echo "${CPU_ALL[$name]}" | median)
  printf '%-9s %12.0f %10.3f %10.3f %11.2f   %s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${CPU[$name]}" \
    "${RPS_ALL[$name]}"
done
awk -v gc="${CPU[gateway]}" -v nc="${CPU[nginx]}" -v bc="${CPU[bare]}" \
    -v g="${RPS[gateway]}" -v n="${RPS[nginx]}" -v d="${RPS[direct]}" -v b="${RPS[bare]}" -v b50="${P50[bare]}" \
    -v g50="${P50[gateway]}" -v n50="${P50[nginx]}" -v d50="${P50[direct]}" \
    -v g99="${P99[gateway]}" -v n99="${P99[nginx]}" 'BEGIN {
  printf "\nthroughput gateway/nginx-proxy: %.2fx   gateway/direct: %.2fx   nginx-proxy/direct: %.2fx\n", g/n, g/d, n/d
  printf "p50 added over direct: gateway %+.3f ms, nginx-proxy %+.3f ms   p99 gateway/nginx-proxy: %.2fx\n", g50-d50, n50-d50, g99/n99
  printf "bare Vert.x proxy/nginx-proxy: %.2fx   gateway/bare Vert.x proxy: %.2fx   p50 added by the bare proxy %+.3f ms\n", b/n, g/b, b50-d50
  printf "proxy CPU per request: gateway %.2f us = %.2fx nginx-proxy (%.2f us), %.2fx the bare Vert.x proxy (%.2f us)\n", gc, gc/nc, nc, gc/bc, bc
}'
if [ -n "$BASELINE_REF" ]; then
  awk -v gc="${CPU[gateway]}" -v bc="${CPU[baseline]}" -v g="${RPS[gateway]}" -v b="${RPS[baseline]}" \
      -v g50="${P50[gateway]}" -v b50="${P50[baseline]}" -v ref="$BASELINE_REF" 'BEGIN {
    printf "this gateway against the baseline %s: throughput %.3fx, CPU per request %.3fx (%.2f against %.2f us), p50 %+.3f ms\n", ref, g/b, gc/bc, gc, bc, g50-b50
  }'
fi
echo "(wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s x $ROUNDS rounds, loopback, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); gateway: moderation off, publisher none, $(grep -o 'transport [a-z_]*' "$WORK/gateway.log" | head -1))"
