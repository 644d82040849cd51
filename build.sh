#!/usr/bin/env bash
# Builds the C core into two standalone WebAssembly modules (no Emscripten JS
# glue; web/cnn.js instantiates them itself):
#   web/build/cnn-simd.wasm    SIMD128 microkernels (-msimd128)
#   web/build/cnn-scalar.wasm  their scalar twins
# and copies uPlot from node_modules into web/vendor/ for the training lab.
# Usage: ./build.sh            (EMCC=... to use another emcc, e.g. from emsdk)
set -euo pipefail
cd "$(dirname "$0")"

EMCC=${EMCC:-emcc}
# Debian's emscripten 3.1.6 finds its node modules only through NODE_PATH.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

common_sources=$(ls src/*.c src/conv2d/*.c src/kernels/*.c | grep -v -- '-wasmsimd\.c$')
simd_sources=$(ls src/kernels/*-wasmsimd.c)

flags=(-std=c11 -O3 -Wall -Wextra -Werror --no-entry
  -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=4MB -sMAXIMUM_MEMORY=2GB
  -sTOTAL_STACK=256KB -sEXPORTED_FUNCTIONS=_malloc,_free -sERROR_ON_UNDEFINED_SYMBOLS=1
  -sFILESYSTEM=0 -sSUPPORT_LONGJMP=0)

mkdir -p web/build
# The two modules compile in parallel; each says when it is done and how long it took.
compile() { # name, extra flags...
  local name=$1 started=$SECONDS
  shift
  # shellcheck disable=SC2086
  "$EMCC" "${flags[@]}" "$@" -o "web/build/$name" && echo "build: $name done in $((SECONDS - started)) s"
}
echo "build: compiling web/build/cnn-simd.wasm and cnn-scalar.wasm in parallel (about a minute on 2 cores)"
# shellcheck disable=SC2086
compile cnn-simd.wasm -msimd128 $common_sources $simd_sources &
simd=$!
# shellcheck disable=SC2086
compile cnn-scalar.wasm $common_sources &
scalar=$!
status=0
wait $simd || status=$?
wait $scalar || status=$?
[ $status = 0 ] || { echo "build: a WebAssembly build failed (see above)" >&2; exit $status; }
# uPlot (MIT) for the training lab's charts, served from our own origin.
mkdir -p web/vendor/uplot
cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css node_modules/uplot/LICENSE web/vendor/uplot/
ls -l web/build/*.wasm | awk '{print $5, $9}'
