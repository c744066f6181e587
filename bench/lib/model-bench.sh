#!/usr/bin/env bash
# Builds the model server's test classes and runs one of its benchmark mains on the test class path, with
# TensorFlow's start-up chatter filtered out. Usage: bench/lib/model-bench.sh MAIN_CLASS [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
main=$1
shift
./mvnw -B -q -pl model-server -am test-compile -DskipTests
CP_FILE=model-server/target/bench.classpath
./mvnw -B -q -pl model-server dependency:build-classpath -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
# as bin/guardstream runs the guard
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
exec java -cp "model-server/target/test-classes:model-server/target/classes:$(cat "$CP_FILE")" "$main" "$@" 2>&1 \
  | grep -vE "^(WARNING|I0000|[0-9-]+ [0-9:.]+: I )|oneDNN|cpu_feature_guard|rebuild TensorFlow|DEBUG"
