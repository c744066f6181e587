#!/usr/bin/env bash
# Latency the stream processor's checks app adds to a guard call, on the embedded KRaft broker, in one run:
# p50/p99 of (a) the guard HTTP call alone, (b) check produced -> verdict consumed from the reply partition,
# one in flight and N in flight. Extra arguments go to the bench main:
#   --requests N (1000) --warmup N (300) --concurrency N (16) --guard-delay-ms N (0) --batch-wait-ms N (2) --threads N (checks.threads default)
#   --fsync-every-message true|false (true: the embedded broker as shipped fsyncs every message)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=stream-processor/target/bench-classpath.txt
./mvnw -B -q -pl stream-processor -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec java -Xms512m -Xmx2g -Dlogback.configurationFile=stream-processor/src/test/resources/logback-test.xml \
  -cp "stream-processor/target/test-classes:stream-processor/target/classes:$(cat "$cp_file")" \
  io.guardstream.streams.bench.StreamsLatencyBench "$@"
