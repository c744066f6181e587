#!/usr/bin/env bash
# Guard checks/s through the dynamic batcher at fixed input lengths, reasoning off, per encoder precision (the first is
# the baseline). Usage: bench/model-throughput.sh [tokens=64,256] [checks=512] [maxBatch=32] [heads.bin|shipped|e5-small-v2|minilm-l6] [workers]
# [precisions=fp32,bf16] [intraOpThreads=cores] [sessions=1]
exec "$(dirname "$0")/lib/model-bench.sh" io.guardstream.model.bench.ThroughputBench "$@"
