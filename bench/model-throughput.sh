#!/usr/bin/env bash
# Guard checks/s through the dynamic batcher at fixed input lengths, reasoning off, per encoder precision (the first is
# the baseline). Usage: bench/model-throughput.sh [tokens=64,256] [checks=512] [maxBatch=32] [heads.bin|shipped] [workers] [precisions=fp32,bf16]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl model-server -am test-compile -DskipTests
CP_FILE=model-server/target/bench.classpath
./mvnw -B -q -pl model-server dependency:build-classpath -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
exec java -cp "model-server/target/test-classes:model-server/target/classes:$(cat "$CP_FILE")" \
  io.guardstream.model.bench.ThroughputBench "$@" 2>&1 | grep -vE "^(WARNING|I0000|[0-9-]+ [0-9:.]+: I )|oneDNN|cpu_feature_guard|rebuild TensorFlow|DEBUG"
