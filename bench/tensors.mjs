// Benchmark data: seeded inputs, layout changes between PyTorch's NCHW/OIHW
// and TensorFlow's NHWC/HWIO, and the closeness check every engine must pass
// before it is timed.

import { makeRandom } from '../tests/lib/random.mjs';

export const sizeOf = (shape) => shape.reduce((a, b) => a * b, 1);

/** {shape, data} of N(0, 1) values from a seed (the tests' mulberry32 + Box–Muller). */
export const randn = (shape, seed) => makeRandom(seed).randn(shape);

/** A 4-D array with its axes reordered: out axis i is input axis perm[i] (like torch.permute). */
export function permute(data, shape, perm) {
  const out = new Float32Array(data.length);
  const outShape = perm.map((axis) => shape[axis]);
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const [s0, s1, s2, s3] = perm.map((axis) => strides[axis]);
  const [d0, d1, d2, d3] = outShape;
  let o = 0;
  for (let a = 0; a < d0; a++)
    for (let b = 0; b < d1; b++)
      for (let c = 0; c < d2; c++) {
        const base = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++) out[o++] = data[base + d * s3];
      }
  return { shape: outShape, data: out };
}

export const NCHW_TO_NHWC = [0, 2, 3, 1];
export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const OIHW_TO_HWIO = [2, 3, 1, 0]; // conv weight, PyTorch → TensorFlow
export const HWIO_TO_OIHW = [3, 2, 0, 1];
export const IOHW_TO_HWOI = [2, 3, 1, 0]; // conv_transpose weight [C_in, C_out, KH, KW] → tf [KH, KW, C_out, C_in]

/**
 * Closeness of a result to the reference: max |a − b| / max |b| (one scale per
 * tensor, so values near zero do not blow it up). ok when ≤ tolerance.
 */
export function compare(actual, expected, tolerance = 1e-3) {
  if (actual.length !== expected.length)
    return { ok: false, error: Infinity, reason: `length ${actual.length} ≠ ${expected.length}` };
  let maxDiff = 0,
    maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= maxDiff)) maxDiff = diff; // NaN propagates
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  const error = maxDiff / (maxRef || 1);
  return { ok: error <= tolerance, error };
}

/** compare() over lists of tensors (e.g. dX, dW, db); the worst one decides. */
export function compareAll(actuals, expecteds, tolerance) {
  if (actuals.length !== expecteds.length) return { ok: false, error: Infinity, reason: 'different number of outputs' };
  const results = actuals.map((a, i) => compare(a, expecteds[i], tolerance));
  const worst = results.reduce((a, b) => (!(b.error <= a.error) ? b : a));
  return { ok: results.every((r) => r.ok), error: worst.error, reason: worst.reason };
}
