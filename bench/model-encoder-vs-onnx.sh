#!/usr/bin/env bash
# TF Java MiniLM encoder (fp32 and bf16) vs langchain4j's ONNX Runtime model on the same texts, in one JVM.
# Usage: bench/model-encoder-vs-onnx.sh [texts=256] [batch=32] [threads=nproc]
exec "$(dirname "$0")/lib/model-bench.sh" io.guardstream.model.bench.EncoderVsOnnxBench "$@"
