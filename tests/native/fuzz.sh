#!/usr/bin/env bash
# Fuzzes the C API (fuzz_core.c) with libFuzzer under ASan + UBSan: op choice, int32-edge
# geometry, small tensors, forward and backward against the naive reference (reference.c).
# make fuzz runs it long; make test runs a 20-second smoke.
# Usage: bash tests/native/fuzz.sh [seconds=60] [extra libFuzzer flags, e.g. -runs=10000000]
# The corpus grows in tests/native/build/fuzz-corpus; a finding is written to
# tests/native/build/crash-* (or leak-*, timeout-*) and replays with: tests/native/build/fuzz_core <file>
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
build=tests/native/build
mkdir -p "$build/fuzz-corpus"

# libFuzzer's runtime comes with clang's compiler-rt (Debian: libclang-rt-<version>-dev).
if ! command -v clang >/dev/null 2>&1 || [ ! -e "$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a")" ]; then
  echo "fuzz: clang with libFuzzer is missing; install it with: sudo apt-get install clang libclang-rt-14-dev" >&2
  exit 1
fi

sources=$(ls src/*.c src/conv2d/*.c src/kernels/*.c | grep -v -- '-wasmsimd\.c$')
# shellcheck disable=SC2086
clang -std=c11 -O2 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-coverage=trace-cmp -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -Isrc $sources tests/native/reference.c tests/native/fuzz_core.c \
  -o "$build/fuzz_core.$$" -lm -Wl,--wrap=malloc
mv -f "$build/fuzz_core.$$" "$build/fuzz_core"

"$build/fuzz_core" -max_total_time="$seconds" -timeout=10 -max_len=256 -print_final_stats=1 \
  -artifact_prefix="$build/" "$@" "$build/fuzz-corpus"
