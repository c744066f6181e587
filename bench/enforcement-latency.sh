#!/usr/bin/env bash
# What in-flight moderation costs on the whole standalone system (embedded Kafka, TF guard, stream apps,
# gateway, fake VLM), against moderation off, in one run: sync request checks over kafka and direct
# (p50/p99 added latency), and streamed answers under hold_back (two window sizes) and stream_first
# (time to first token, chunks/s). Loopback only; bounded by the request counts.
# Usage: bench/enforcement-latency.sh [REQUESTS_PER_ROUND=40] [STREAMS_PER_ROUND=4] [ROUNDS=3] [CHUNK_DELAY_MS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=it-tests/target/bench-classpath.txt
./mvnw -B -q -pl it-tests -am package -DskipTests >/dev/null
./mvnw -B -q -pl it-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
# as bin/guardstream runs the guard
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
exec java -Xms512m -Xmx3g -Dlogback.configurationFile=it-tests/src/test/resources/logback-test.xml \
  -cp "it-tests/target/test-classes:$(cat "$cp_file")" io.guardstream.it.bench.EnforcementBench "$@"
