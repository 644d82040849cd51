#!/usr/bin/env bash
# Installs what `make serve` and `make test` need, only what is missing, and
# says exactly what to install when it cannot (not root, or no apt).
#   Debian packages: emscripten (emcc), nodejs + npm (Node >= 20), chromium
#   (browser tests), fonts-noto-cjk (Chinese in the screenshots), clang +
#   libclang-rt-14-dev (the libFuzzer smoke), clang-format (the format check); npm dev
#   dependencies pinned by package-lock.json.
# Usage: scripts/setup.sh [serve|test]   (serve skips what only tests need)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-test}

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

{ have emcc || [ -n "${EMCC:-}" ]; } || missing+=(emscripten)
{ have node && [ "$(node_major)" -ge 20 ]; } || missing+=(nodejs)
have npm || missing+=(npm)
if [ "$purpose" = test ]; then
  have cc || missing+=(gcc)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # a CJK font, so the Chinese edition's screenshots show characters, not boxes
  { have fc-list && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; } || missing+=(fonts-noto-cjk)
  # libFuzzer (clang with its runtime) for the native fuzz smoke (tests/native/fuzz.sh)
  { have clang && [ -e "$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a")" ]; } || missing+=(clang libclang-rt-14-dev)
  # the C side of the format check (tests/format.test.mjs)
  have clang-format || missing+=(clang-format)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "setup: installing ${missing[*]} with apt-get (a few minutes on a fresh machine; its progress follows)"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
      | grep --line-buffered -E '^(Get:|Setting up|Need to get|[0-9]+ upgraded)' || true
    echo "setup: apt-get done"
    for command in emcc node npm; do have "$command" || { echo "setup: $command is still missing after apt-get" >&2; exit 1; }; done
  else
    echo "setup: missing ${missing[*]}." >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
    echo "setup: (emscripten may also come from emsdk: set EMCC=/path/to/emcc; Node must be 20 or newer)" >&2
    exit 1
  fi
fi

# npm dev dependencies, exactly as locked; reinstalled when the lock changes.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (the locked dev dependencies; about a minute on a fresh clone)"
  started=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error --foreground-scripts
  echo "setup: npm ci done in $((SECONDS - started)) s"
else
  echo "setup: npm dev dependencies up to date"
fi
