#!/usr/bin/env bash
# The native suite again, compiled by Emscripten for wasm32 with the SIMD128
# kernels (the code the page runs) and run in node: a 32-bit `long` and the
# -wasmsimd kernels, which the native build never compiles, face the same
# gradient, trace, NaN, invalid-input and out-of-memory checks. No sanitizers
# there, so the limits cases check answers only. Not part of run.sh (emcc
# takes a minute); make test may call it after the build.
# Usage: bash tests/native/run-wasm.sh [suite ...]     (EMCC=... as in build.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."

EMCC=${EMCC:-emcc}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
build=tests/native/build/wasm
mkdir -p "$build"

sources=$(ls src/*.c src/conv2d/*.c src/kernels/*.c)
tests=$(ls tests/native/*.c | grep -v '/fuzz_')
# shellcheck disable=SC2086
"$EMCC" -std=c11 -O1 -msimd128 -Wall -Wextra -Isrc $sources $tests -o "$build/native_tests.cjs" -lm \
  -Wl,--wrap=malloc -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -sEXIT_RUNTIME=1 \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB -sMAXIMUM_MEMORY=2GB

node "$build/native_tests.cjs" "$@"
