#!/usr/bin/env bash
# Builds bench/build/profile-simd.wasm: the core plus bench/profile/parts.c
# (exports the pieces of a convolution for bench/profile.mjs). Bench only:
# not part of ./build.sh or make test. Usage: bench/profile/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
EMCC=${EMCC:-emcc}
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
# gemm.c is compiled inside parts.c (which includes it for its static packers).
sources=$(ls src/*.c src/conv2d/*.c src/kernels/*.c | grep -v '^src/gemm\.c$')
mkdir -p bench/build
# shellcheck disable=SC2086
"$EMCC" -std=c11 -O3 -msimd128 -Isrc --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 \
  -sINITIAL_MEMORY=4MB -sMAXIMUM_MEMORY=2GB -sTOTAL_STACK=256KB -sEXPORTED_FUNCTIONS=_malloc,_free \
  -sERROR_ON_UNDEFINED_SYMBOLS=1 -sFILESYSTEM=0 -sSUPPORT_LONGJMP=0 \
  $sources bench/profile/parts.c -o bench/build/profile-simd.wasm
echo "bench/build/profile-simd.wasm $(stat -c %s bench/build/profile-simd.wasm) bytes"
