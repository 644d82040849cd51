// The pooling kernels on special values, both builds, bit for bit (Object.is: a NaN
// equals any NaN, −0 is not +0) against a reference that applies the kernels' rules:
//   max pooling: a tap replaces the running max (from −∞) when `value > max || isnan(value)`,
//     PyTorch's rule. With the argmax (training) taps go in row-major order, as in PyTorch;
//     without it (F.max_pool2d) in column-major order (kw, then kh), the order of the SIMD
//     kernel's separable path: only the sign of a zero max can differ between the two.
//   average pooling: the window's inputs summed in row-major order from +0, divided by the
//     divisor (PyTorch's).
// The inputs hold NaN, ±∞, ±0 and many ties, at every output width around the SIMD kernels'
// four-wide blocks, with padding, ceil_mode and dilation, so that every path of
// src/kernels/f32-{max,avg}pool*-wasmsimd.c meets them: the separable path's NaN check and
// its fall-back, the masked left block (which reads the row above), the block-by-block path.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../web/cnn.js';
import { makeRandom } from './lib/random.mjs';

const random = makeRandom(9001);
const pair = (value) => (Array.isArray(value) ? value : [value, value]);

/** Input values from N(0, 1) draws n: 'nan' gives small integers (ties) with about 4% NaN,
    3% +∞, 1.5% −∞; 'zeros' gives +0, −0 and negative integers; 'one-nan' small integers and
    one NaN per `plane` values. */
function values(kind, count, plane) {
  const { data } = random.randn([count]);
  if (kind === 'one-nan') {
    for (let i = 0; i < count; i++) data[i] = Math.round(2 * data[i]);
    for (let p = 0; p < count; p += plane) data[p + (Math.floor(Math.abs(data[p]) * 7919) % plane)] = NaN;
    return data;
  }
  for (let i = 0; i < count; i++) {
    const n = data[i];
    if (kind === 'zeros') data[i] = Math.abs(n) < 0.5 ? 0 : Math.abs(n) < 1.2 ? -0 : -1 - Math.round(Math.abs(n));
    else data[i] = n > 1.75 ? NaN : n > 1.6 ? -Infinity : n < -1.9 ? Infinity : Math.round(2 * n);
  }
  return data;
}

/** Window geometry of output (oh, ow) for the reference. */
function windowOf({ kernel_size, options }, oh, ow) {
  const [kh, kw] = pair(kernel_size),
    [sh, sw] = pair(options.stride ?? kernel_size);
  const [ph, pw] = pair(options.padding ?? 0),
    [dh, dw] = pair(options.dilation ?? 1);
  return { row0: oh * sh - ph, col0: ow * sw - pw, kh, kw, dh, dw };
}

/** {value, index} of a max window, taps in row-major (rowMajor) or column-major order. */
function referenceMax(plane, height, width, w, rowMajor) {
  let max = -Infinity,
    index = -1;
  const take = (h, x) => {
    if (h < 0 || h >= height || x < 0 || x >= width) return;
    const value = plane[h * width + x];
    if (index < 0 || value > max || Number.isNaN(value)) ((max = value), (index = h * width + x));
  };
  for (let a = 0; a < (rowMajor ? w.kh : w.kw); a++)
    for (let b = 0; b < (rowMajor ? w.kw : w.kh); b++)
      rowMajor ? take(w.row0 + a * w.dh, w.col0 + b * w.dw) : take(w.row0 + b * w.dh, w.col0 + a * w.dw);
  return { value: max, index };
}

/** PyTorch's average: the window clipped to the padded input gives the divisor with count_include_pad. */
function referenceAverage(plane, height, width, { kernel_size, options }, oh, ow) {
  const [kh, kw] = pair(kernel_size),
    [sh, sw] = pair(options.stride ?? kernel_size),
    [ph, pw] = pair(options.padding ?? 0);
  const span = (i, stride, pad, kernel, size) => {
    const begin = i * stride - pad,
      end = Math.min(begin + kernel, size + pad);
    return { begin: Math.max(begin, 0), end: Math.min(end, size), padded: end - begin };
  };
  const rows = span(oh, sh, ph, kh, height),
    cols = span(ow, sw, pw, kw, width);
  let sum = 0;
  for (let h = rows.begin; h < rows.end; h++)
    for (let x = cols.begin; x < cols.end; x++) sum = Math.fround(sum + plane[h * width + x]);
  const divisor =
    options.count_include_pad === false ? (rows.end - rows.begin) * (cols.end - cols.begin) : rows.padded * cols.padded;
  return Math.fround(sum / divisor);
}

const WINDOWS = [
  { kernel_size: 2, options: { stride: 2 } },
  { kernel_size: 2, options: { stride: 2, ceil_mode: true } },
  { kernel_size: 3, options: { stride: 2, padding: 1 } },
  { kernel_size: 3, options: { stride: 2 } },
  { kernel_size: 3, options: { stride: 1, padding: 1 } },
  { kernel_size: 3, options: { stride: 2, padding: 1, ceil_mode: true } },
  { kernel_size: [2, 3], options: { stride: [1, 3], padding: [1, 1] } },
  { kernel_size: 3, options: { stride: 2, padding: 1, dilation: [1, 2] } },
];
const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 29];

function firstDifference(got, want) {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return i;
  return -1;
}

function assertSame(got, want, label) {
  const i = firstDifference(got, want);
  assert.equal(
    i,
    -1,
    i < 0
      ? label
      : `${label}: element ${i} is ${Object.is(got[i], -0) ? '-0' : got[i]}, want ${Object.is(want[i], -0) ? '-0' : want[i]}`,
  );
}

describe('pooling kernels on NaN, ±∞ and ±0: SIMD and scalar builds match the reference bit for bit', () => {
  let builds;
  before(async () => {
    builds = await Promise.all([load({ simd: true }), load({ simd: false })]);
  });

  for (const kind of ['nan', 'zeros', 'one-nan'])
    for (const window of WINDOWS)
      test(`${kind}: kernel ${window.kernel_size}, ${JSON.stringify(window.options)}`, () => {
        for (const width of WIDTHS) {
          const [batch, channels, height] = [1, 2, 9];
          const input = {
            shape: [batch, channels, height, width],
            data: values(kind, batch * channels * height * width, height * width),
          };
          let shape;
          try {
            shape = builds[0].arithmetic.max_pool2d_shape(input.shape, window.kernel_size, window.options).shape;
          } catch {
            continue;
          } // too narrow for this window
          const [, , outHeight, outWidth] = shape;
          const wantValues = [],
            wantArgmax = [],
            wantIndices = [];
          for (let c = 0; c < channels; c++) {
            const plane = input.data.subarray(c * height * width, (c + 1) * height * width);
            for (let oh = 0; oh < outHeight; oh++)
              for (let ow = 0; ow < outWidth; ow++) {
                const w = windowOf(window, oh, ow);
                wantValues.push(referenceMax(plane, height, width, w, false).value);
                const { value, index } = referenceMax(plane, height, width, w, true);
                (wantArgmax.push(value), wantIndices.push(index));
              }
          }
          const label = `${kind} width ${width}`;
          for (const cnn of builds) {
            const build = `${label}, ${cnn.simd ? 'SIMD' : 'scalar'}`;
            assertSame(
              cnn.F.max_pool2d(input, window.kernel_size, window.options).data,
              wantValues,
              `${build}: max_pool2d`,
            );
            const { output, indices } = cnn.F.max_pool2d_with_indices(input, window.kernel_size, window.options);
            assertSame(output.data, wantArgmax, `${build}: max_pool2d_with_indices output`);
            assert.deepEqual([...indices], wantIndices, `${build}: argmax`);
            if ((window.options.dilation ?? 1) !== 1) continue;
            for (const count_include_pad of [true, false]) {
              const options = { ...window.options, count_include_pad };
              delete options.dilation;
              const wantAverage = [];
              for (let c = 0; c < channels; c++) {
                const plane = input.data.subarray(c * height * width, (c + 1) * height * width);
                for (let oh = 0; oh < outHeight; oh++)
                  for (let ow = 0; ow < outWidth; ow++)
                    wantAverage.push(referenceAverage(plane, height, width, { ...window, options }, oh, ow));
              }
              assertSame(
                cnn.F.avg_pool2d(input, window.kernel_size, options).data,
                wantAverage,
                `${build}: avg_pool2d count_include_pad ${count_include_pad}`,
              );
            }
          }
        }
      });
});

// F.max_pool2d's separable path computes two output rows per pass, whose windows share
// input rows; a pass checks for NaN only the rows the pass before did not read, and the
// last pass overlaps the one before when the number of rows is odd. One channel per input
// position, holding NaN (or ±∞) there and ±0 and negative integers elsewhere, meets every
// pass and every shared row with it; heights give even, odd and single rows of windows
// inside the input, widths every block layout.
describe('max_pool2d separable passes: one NaN or ±∞ at each position, both builds bit for bit', () => {
  let builds;
  before(async () => {
    builds = await Promise.all([load({ simd: true }), load({ simd: false })]);
  });

  const SEPARABLE = [
    { kernel_size: 2, options: { stride: 2 } },
    { kernel_size: 3, options: { stride: 2, padding: 1 } },
    { kernel_size: 3, options: { stride: 2 } },
    { kernel_size: 3, options: { stride: 1, padding: 1 } },
    { kernel_size: 3, options: { stride: 1 } },
  ];
  for (const special of [NaN, Infinity, -Infinity])
    for (const window of SEPARABLE)
      test(`${special}: kernel ${window.kernel_size}, ${JSON.stringify(window.options)}`, () => {
        for (const height of [3, 4, 5, 6, 7, 8, 11])
          for (const width of [4, 8, 9, 13, 16, 17]) {
            const plane = height * width,
              channels = plane;
            const data = values('zeros', channels * plane, plane);
            for (let c = 0; c < channels; c++) data[c * plane + c] = special;
            const input = { shape: [1, channels, height, width], data };
            const [, , outHeight, outWidth] = builds[0].arithmetic.max_pool2d_shape(
              input.shape,
              window.kernel_size,
              window.options,
            ).shape;
            const want = [];
            for (let c = 0; c < channels; c++)
              for (let oh = 0; oh < outHeight; oh++)
                for (let ow = 0; ow < outWidth; ow++)
                  want.push(
                    referenceMax(
                      data.subarray(c * plane, (c + 1) * plane),
                      height,
                      width,
                      windowOf(window, oh, ow),
                      false,
                    ).value,
                  );
            for (const cnn of builds)
              assertSame(
                cnn.F.max_pool2d(input, window.kernel_size, window.options).data,
                want,
                `${height}×${width}, ${cnn.simd ? 'SIMD' : 'scalar'}`,
              );
          }
      });
});

// avg_pool2d takes the output rows whose windows lie inside the input's rows together
// (one divisor for their inside blocks), the rows above and below one by one: heights
// from one row of windows up, with padding and ceil_mode rows at both ends.
describe('avg_pool2d at several heights: both builds bit for bit', () => {
  let builds;
  before(async () => {
    builds = await Promise.all([load({ simd: true }), load({ simd: false })]);
  });

  for (const window of WINDOWS.filter((w) => (w.options.dilation ?? 1) === 1))
    test(`kernel ${window.kernel_size}, ${JSON.stringify(window.options)}`, () => {
      for (const height of [2, 3, 4, 5, 6, 7, 10])
        for (const width of [4, 7, 8, 13, 16])
          for (const count_include_pad of [true, false]) {
            const options = { ...window.options, count_include_pad };
            const input = { shape: [1, 2, height, width], data: values('nan', 2 * height * width, height * width) };
            let shape;
            try {
              shape = builds[0].arithmetic.max_pool2d_shape(input.shape, window.kernel_size, options).shape;
            } catch {
              continue;
            } // too small for this window
            const [, , outHeight, outWidth] = shape,
              want = [];
            for (let c = 0; c < 2; c++) {
              const plane = input.data.subarray(c * height * width, (c + 1) * height * width);
              for (let oh = 0; oh < outHeight; oh++)
                for (let ow = 0; ow < outWidth; ow++)
                  want.push(referenceAverage(plane, height, width, { ...window, options }, oh, ow));
            }
            for (const cnn of builds)
              assertSame(
                cnn.F.avg_pool2d(input, window.kernel_size, options).data,
                want,
                `${height}×${width} count_include_pad ${count_include_pad}, ${cnn.simd ? 'SIMD' : 'scalar'}`,
              );
          }
    });
});
