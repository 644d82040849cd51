// The list of microkernels (src/kernels/microkernels.h) is the only way in: every kernel a
// kernel file defines is listed with its ISA and scalar twin, the routes call kernels only by
// the names the list makes (cnn_<role>_microkernel), and every listed role is used by a route.
// tests/native/test_microkernels.c runs every listed kernel against its twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path) => readFileSync(`${ROOT}${path}`, 'utf8');
const cFiles = (folder) =>
  readdirSync(`${ROOT}${folder}`)
    .filter((name) => /\.[ch]$/.test(name))
    .map((name) => `${folder}/${name}`);

/** The entries of CNN_MICROKERNELS(X): role, type, isa, kernel, twin. */
function listedKernels() {
  const header = read('src/kernels/microkernels.h').replace(/\\\n/g, ' ');
  const body = header.match(/#define CNN_MICROKERNELS\(X\)(.*)/)[1];
  return [...body.matchAll(/X\(\s*(\w+),\s*(\w+),\s*(\w+),\s*(\w+),\s*(\w+),/g)].map(
    ([, role, type, isa, kernel, twin]) => ({ role, type, isa, kernel, twin }),
  );
}

const KERNEL_NAME = /\bcnn_f32_\w+__(?:scalar|wasmsimd)\b/g;
const LIST = listedKernels();
const KERNEL_FILES = cFiles('src/kernels').filter((path) => /\/f32-[\w-]+-(scalar|wasmsimd)\.c$/.test(path));
const ROUTE_FILES = [...cFiles('src'), ...cFiles('src/conv2d'), ...cFiles('bench/profile')];

test('the list has every kernel family, with its ISA in the kernel name and a scalar twin', () => {
  assert.ok(LIST.length >= 16, `found ${LIST.length} entries`);
  for (const { role, isa, kernel, twin } of LIST) {
    assert.ok(kernel.endsWith(`__${isa}`), `${role}: ${kernel} is not a ${isa} kernel`);
    assert.ok(twin.endsWith('__scalar'), `${role}: the twin ${twin} is not scalar`);
  }
  assert.equal(new Set(LIST.map((entry) => entry.role)).size, LIST.length, 'a role is listed twice');
});

test('every kernel a kernel file defines is listed, and every listed kernel is defined', () => {
  const listed = new Set(LIST.flatMap(({ kernel, twin }) => [kernel, twin]));
  const defined = new Set();
  for (const path of KERNEL_FILES) {
    const isa = path.match(/-(scalar|wasmsimd)\.c$/)[1];
    for (const [, name] of read(path).matchAll(/^void (cnn_f32_\w+)\(/gm)) {
      defined.add(name);
      assert.ok(name.endsWith(`__${isa}`), `${path} defines ${name}, not a ${isa} kernel`);
      assert.ok(listed.has(name), `${path} defines ${name}, missing from src/kernels/microkernels.h`);
    }
  }
  for (const name of listed) assert.ok(defined.has(name), `${name} is listed but no kernel file defines it`);
});

test('the routes call kernels only through the list, and use every listed role', () => {
  const routes = ROUTE_FILES.map((path) => [path, read(path)]);
  for (const [path, text] of routes) {
    const direct = text.match(KERNEL_NAME);
    assert.equal(direct, null, `${path} calls ${direct} directly: call cnn_<role>_microkernel (microkernels.h)`);
  }
  for (const { role } of LIST) {
    const name = `cnn_${role}_microkernel`;
    assert.ok(
      routes.some(([path, text]) => !path.startsWith('bench/') && new RegExp(`\\b${name}\\b`).test(text)),
      `no route calls ${name}: remove the entry or use it`,
    );
  }
});
