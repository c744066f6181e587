#!/usr/bin/env bash
# TF Java MiniLM encoder vs langchain4j's ONNX Runtime model on the same texts, in one JVM.
# Usage: bench/model-encoder-vs-onnx.sh [texts=256] [batch=32] [threads=nproc]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl model-server -am test-compile -DskipTests
CP_FILE=model-server/target/bench.classpath
./mvnw -B -q -pl model-server dependency:build-classpath -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
exec java -cp "model-server/target/test-classes:model-server/target/classes:$(cat "$CP_FILE")" \
  io.guardstream.model.bench.EncoderVsOnnxBench "$@" 2>&1 | grep -vE "^(WARNING|I0000|[0-9-]+ [0-9:.]+: I )|oneDNN|cpu_feature_guard|rebuild TensorFlow|DEBUG"
