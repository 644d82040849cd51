// The SIMD128 and scalar builds agree, forward and gradients, at sizes around the GEMM
// tiles and blocks (src/kernels/gemm.h: 4 × 8 register tile; src/gemm.c: 64-row,
// 256-deep and 2048-column blocks): sizes equal to a tile, smaller, larger, odd, prime.
// Both builds run the same loops and only the microkernels differ, so they should agree
// to float32 rounding at most.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../web/cnn.js';
import { OP_CALLS, nameOf } from './lib/op_calls.mjs';
import { assertClose, maxAbs } from './lib/close.mjs';
import { makeRandom } from './lib/random.mjs';

const EDGE_SIZES = [1, 3, 4, 5, 7, 8, 9, 13, 17];
const random = makeRandom(4242);
const { randn } = random;

// Per edge size s, cases whose GEMM rows (output channels / batch), columns (output
// pixels / features) or depth (inputs per output) is s.
const casesForSize = (s) => [
  { op: 'conv2d', tensors: { input: randn([1, s, 1, s]), weight: randn([s, s, 1, 1]), bias: randn([s]) } }, // 1×1
  {
    op: 'conv2d',
    options: { stride: 2 },
    tensors: { input: randn([2, 3, 3, 2 * s + 1]), weight: randn([s, 3, 3, 3]) },
  },
  {
    op: 'conv2d',
    options: { dilation: 2, padding: [1, 0] },
    tensors: { input: randn([1, 2, s + 2, s + 4]), weight: randn([5, 2, 3, 3]), bias: randn([5]) },
  },
  {
    op: 'conv2d',
    options: { padding: [0, 1], groups: s },
    tensors: { input: randn([2, s, s + 2, s]), weight: randn([s, 1, 3, 3]), bias: randn([s]) },
  }, // depthwise
  {
    op: 'conv2d',
    options: { groups: 2 },
    tensors: { input: randn([1, 4, 3, s + 1]), weight: randn([2 * s, 2, 2, 2]) },
  },
  // grad_input as a stride-1 forward pass with 9 output channels (src/conv2d/conv2d_grad_input.c)
  {
    op: 'conv2d',
    options: { padding: [2, 1], dilation: [1, 2] },
    tensors: { input: randn([2, 9, 5, s + 2]), weight: randn([s, 9, 5, 3]), bias: randn([s]) },
  },
  // Winograd F(4, 5) along rows (src/conv2d/winograd_rows.c): 4·5 tap rows, 5·5 for grad_input, output width s + 1
  {
    op: 'conv2d',
    options: { padding: [1, 2] },
    tensors: { input: randn([2, 4, 3, s + 1]), weight: randn([5, 4, 5, 5]), bias: randn([5]) },
  },
  // and F(2, 7): 2·7 tap rows, 5·7 for grad_input
  {
    op: 'conv2d',
    options: { padding: 3 },
    tensors: { input: randn([2, 2, 3, s + 1]), weight: randn([5, 2, 7, 7]), bias: randn([5]) },
  },
  {
    op: 'conv_transpose2d',
    options: { stride: 2, padding: 1, output_padding: 1 },
    tensors: { input: randn([1, s, 2, s]), weight: randn([s, 3, 3, 3]), bias: randn([3]) },
  },
  {
    op: 'conv_transpose2d',
    options: { groups: 2, dilation: 2 },
    tensors: { input: randn([2, 4, s, 2]), weight: randn([4, s, 2, 2]) },
  },
  { op: 'adaptive_avg_pool2d', args: { output_size: [3, 2] }, tensors: { input: randn([1, 2, s, s + 2]) } },
  { op: 'linear', tensors: { input: randn([s, s]), weight: randn([s, s]), bias: randn([s]) } },
  { op: 'linear', tensors: { input: randn([s, 9]), weight: randn([13, 9]) } },
  { op: 'linear', tensors: { input: randn([3, s]), weight: randn([5, s]), bias: randn([5]) } },
  { op: 'linear', tensors: { input: randn([7, 4]), weight: randn([s, 4]), bias: randn([s]) } },
];

// Pooling windows (kernel, stride, padding, dilation, ceil_mode), run at output width s.
// The SIMD kernels do four output columns at a time, masked at the input's edges, with scalar
// cells only where a block would read outside the plane (src/kernels/f32-*pool*-wasmsimd.c);
// tests/pool-kernels.test.mjs takes them through NaN, ±∞ and ±0.
const POOL_WINDOWS = [
  { kernel_size: 2, options: { stride: 1 } },
  { kernel_size: 3, options: { stride: 1, padding: 1 } },
  { kernel_size: 3, options: { stride: 2, padding: 1 } },
  { kernel_size: 2, options: { stride: 2, ceil_mode: true } },
  { kernel_size: 3, options: { stride: 3, padding: 1, ceil_mode: true } },
  { kernel_size: [2, 3], options: { stride: [1, 3], padding: [1, 1] } },
];

// Input width giving output width s: (s − 1)·stride + dilation·(kernel − 1) + 1 − 2·padding;
// with ceil_mode one more column, which adds a partial last window (width s + 1), or, for
// stride 3 with padding 1, a window starting in the padding that ceil_mode drops (width s).
function poolCase(op, s, { kernel_size, options }, extraOptions) {
  const pick = (value, axis) => (Array.isArray(value) ? value[axis] : (value ?? 0));
  const all = { ...options, ...extraOptions };
  const width =
    (s - 1) * pick(all.stride, 1) +
    pick(all.dilation ?? 1, 1) * (pick(kernel_size, 1) - 1) +
    1 -
    2 * pick(all.padding, 1) +
    (all.ceil_mode ? 1 : 0);
  return { op, args: { kernel_size }, options: all, tensors: { input: randn([2, 2, 5, width]) } };
}

const poolCasesForSize = (s) =>
  POOL_WINDOWS.flatMap((window) => [
    poolCase('max_pool2d', s, window, {}),
    poolCase('max_pool2d', s, window, { dilation: [1, 2] }),
    poolCase('avg_pool2d', s, window, {}),
    poolCase('avg_pool2d', s, window, { count_include_pad: false }),
  ]);

// Depthwise windows (groups = channels; src/conv2d/depthwise_conv2d.c, src/kernels/dwconv.h), run
// at output width s: the 3×3 stride-1 and stride-2 kernels, the general kernel (kernels 1, 5
// and 3×5, stride 3, dilation), grad_input through the zero-inserted flipped-kernel
// convolution. The SIMD kernels do four or eight output columns at a time and store a short
// last group in part; grad_weight sums in 4 lanes (3×3) or 16. Both twins sum in the same order.
const DEPTHWISE_WINDOWS = [
  { kernel: 3, options: { padding: 1 } },
  { kernel: 3, options: {} },
  { kernel: 3, options: { padding: [2, 0], dilation: [2, 1] } },
  { kernel: 3, options: { stride: 2, padding: 1 } },
  { kernel: 1, options: {} },
  { kernel: 5, options: { padding: 2 } },
  { kernel: [3, 5], options: { stride: [1, 3], padding: [1, 2], dilation: 2 } },
];

// Input width giving output width s: (s − 1)·stride + dilation·(kernel − 1) + 1 − 2·padding.
function depthwiseCase(s, { kernel, options }) {
  const pick = (value, axis) => (Array.isArray(value) ? value[axis] : (value ?? 0));
  const width =
    (s - 1) * pick(options.stride ?? 1, 1) +
    pick(options.dilation ?? 1, 1) * (pick(kernel, 1) - 1) +
    1 -
    2 * pick(options.padding, 1);
  const [kernelH, kernelW] = [pick(kernel, 0), pick(kernel, 1)];
  return {
    op: 'conv2d',
    options: { ...options, groups: 3 },
    tensors: { input: randn([2, 3, 9, width]), weight: randn([3, 1, kernelH, kernelW]), bias: randn([3]) },
  };
}

const DEPTHWISE_SIZES = [...EDGE_SIZES, 2, 12, 15, 16, 31, 33];

// Past one GEMM block in each direction.
const blockCases = [
  { op: 'linear', tensors: { input: randn([65, 257]), weight: randn([9, 257]), bias: randn([9]) } },
  { op: 'linear', tensors: { input: randn([64, 256]), weight: randn([8, 256]) } },
  {
    op: 'conv2d',
    options: { padding: 1 },
    tensors: { input: randn([1, 1, 41, 50]), weight: randn([3, 1, 3, 3]), bias: randn([3]) },
  }, // 2050 columns
  { op: 'conv2d', tensors: { input: randn([1, 29, 4, 4]), weight: randn([66, 29, 3, 3]) } }, // 66 rows, depth 261
];

// Float32 rounding, not a different result: both builds sum in the same order today.
const tolerance = (want) => ({ rtol: 1e-5, atol: 1e-6 * (1 + maxAbs(want.data)) });

function checkAgreement(simd, scalar, opCase) {
  const call = OP_CALLS[opCase.op];
  const name = nameOf(opCase);
  const output = call.forward(scalar, opCase);
  assertClose(call.forward(simd, opCase), output, tolerance(output), `${name}: output`);
  const grad_output = randn(output.shape);
  const simdGrads = call.backward(simd, opCase, grad_output),
    scalarGrads = call.backward(scalar, opCase, grad_output);
  for (const parameter of call.differentiable) {
    if (opCase.tensors[parameter]) {
      assertClose(
        simdGrads[parameter],
        scalarGrads[parameter],
        tolerance(scalarGrads[parameter]),
        `${name}: grad ${parameter}`,
      );
    }
  }
}

/** Bit-for-bit equality: the pooling kernels visit taps in the scalar twin's order. */
function assertIdentical(got, want, label) {
  assert.deepEqual([...got.shape], [...want.shape], `${label}: shape`);
  const first = want.data.findIndex((value, i) => !Object.is(got.data[i], value));
  assert.equal(
    first,
    -1,
    first < 0 ? label : `${label}: element ${first} is ${got.data[first]}, want ${want.data[first]}`,
  );
}

function checkDepthwiseIdentical(simd, scalar, opCase) {
  const call = OP_CALLS.conv2d;
  const name = nameOf(opCase);
  const output = call.forward(scalar, opCase);
  assertIdentical(call.forward(simd, opCase), output, `${name}: output`);
  const grad_output = randn(output.shape);
  const simdGrads = call.backward(simd, opCase, grad_output),
    scalarGrads = call.backward(scalar, opCase, grad_output);
  for (const parameter of call.differentiable) {
    assertIdentical(simdGrads[parameter], scalarGrads[parameter], `${name}: grad ${parameter}`);
  }
}

function checkPoolIdentical(simd, scalar, opCase) {
  const call = OP_CALLS[opCase.op];
  const name = nameOf(opCase);
  const output = call.forward(scalar, opCase);
  assertIdentical(call.forward(simd, opCase), output, `${name}: output`);
  if (opCase.op === 'max_pool2d') {
    const indices = (cnn) =>
      cnn.F.max_pool2d_with_indices(opCase.tensors.input, opCase.args.kernel_size, opCase.options).indices;
    assert.deepEqual(indices(simd), indices(scalar), `${name}: argmax indices`);
  }
  const grad_output = randn(output.shape);
  assertIdentical(
    call.backward(simd, opCase, grad_output).input,
    call.backward(scalar, opCase, grad_output).input,
    `${name}: grad input`,
  );
}

describe('SIMD128 and scalar builds agree', () => {
  let simd, scalar;
  before(async () => {
    [simd, scalar] = await Promise.all([load({ simd: true }), load({ simd: false })]);
    assert.deepEqual([simd.simd, scalar.simd], [true, false], 'load({ simd }) returned the requested builds');
  });
  for (const s of EDGE_SIZES) {
    test(`edge size ${s}`, () => {
      for (const opCase of casesForSize(s)) checkAgreement(simd, scalar, opCase);
    });
  }
  for (const s of EDGE_SIZES) {
    test(`pooling, output width ${s}: identical output, argmax and gradient`, () => {
      for (const opCase of poolCasesForSize(s)) checkPoolIdentical(simd, scalar, opCase);
    });
  }
  for (const s of DEPTHWISE_SIZES) {
    test(`depthwise, output width ${s}: identical output and gradients`, () => {
      for (const window of DEPTHWISE_WINDOWS) checkDepthwiseIdentical(simd, scalar, depthwiseCase(s, window));
    });
  }
  for (const opCase of blockCases) test(`GEMM blocks: ${nameOf(opCase)}`, () => checkAgreement(simd, scalar, opCase));
});
