#!/usr/bin/env bash
# Fuzzes the geometry functions and the ops behind them (fuzz_geometry.c) with
# libFuzzer under ASan + UBSan. Not part of make test.
# Usage: bash tests/native/fuzz.sh [seconds=60] [extra libFuzzer flags...]
# The corpus grows in tests/native/build/fuzz-corpus; a finding is written to
# tests/native/build/crash-* and can be replayed: tests/native/build/fuzz_geometry <file>
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
build=tests/native/build
mkdir -p "$build/fuzz-corpus"

sources=$(ls src/*.c src/kernels/*.c | grep -v -- '-wasmsimd\.c$')
# shellcheck disable=SC2086
clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -Isrc $sources tests/native/fuzz_geometry.c -o "$build/fuzz_geometry" -lm

"$build/fuzz_geometry" -max_total_time="$seconds" -timeout=10 -max_len=256 \
  -artifact_prefix="$build/" "$@" "$build/fuzz-corpus"
