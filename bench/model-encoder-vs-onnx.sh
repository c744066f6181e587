#!/usr/bin/env bash
# TF Java encoder (fp32 and bf16) vs langchain4j's ONNX Runtime model on the same texts, in one JVM.
# Usage: bench/model-encoder-vs-onnx.sh [texts=256] [batch=32] [threads=nproc] [encoder=minilm-l6|e5-small-v2]
exec "$(dirname "$0")/lib/model-bench.sh" io.guardstream.model.bench.EncoderVsOnnxBench "$@"
