#!/usr/bin/env bash
# Native C test suite of the core, under AddressSanitizer + UndefinedBehaviorSanitizer.
# Builds src/ (without the -wasmsimd kernels) and tests/native/*.c (without the
# fuzz targets) into tests/native/build/, then runs each suite in its own
# process, so a sanitizer abort in one suite still lets the others report.
# Usage: bash tests/native/run.sh [suite ...]     (CC=clang to pick a compiler)
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-cc}
build=tests/native/build
mkdir -p "$build"

sources=$(ls src/*.c src/conv2d/*.c src/kernels/*.c | grep -v -- '-wasmsimd\.c$')
tests=$(ls tests/native/*.c | grep -v '/fuzz_')
# Build beside and rename, so a run in progress (another make test) keeps its binary.
# --wrap=malloc: harness.c injects allocation failures (test_out_of_memory.c).
# shellcheck disable=SC2086
"$CC" -std=c11 -O1 -g -Wall -Wextra -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -Isrc $sources $tests -o "$build/native_tests.$$" -lm -Wl,--wrap=malloc
mv -f "$build/native_tests.$$" "$build/native_tests"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

if [ $# -gt 0 ]; then suites=("$@"); else mapfile -t suites < <("$build/native_tests" --list); fi
failed=()
start=$SECONDS
for suite in "${suites[@]}"; do
  "$build/native_tests" "$suite" || failed+=("$suite")
done
echo "native: ${#suites[@]} suites in $((SECONDS - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "native: FAILED: ${failed[*]}" >&2
  exit 1
fi
