// Every op's gradients against finite differences of its own forward, in the default build.
//
// For L(θ) = Σ forward(θ) · G, with G a random upstream gradient, summed in float64:
//   ∂L/∂θ_i ≈ (L(θ⁺) − L(θ⁻)) / (θ_i⁺ − θ_i⁻),   θ_i± = float32(θ_i ± h)
// dividing by the step actually stored, so rounding θ_i ± h costs nothing.
// h = 2⁻⁷ ≈ 0.008: float32 rounding of the outputs (≈ 1e-7 of their size) divided by 2h stays
// near 1e-5, and the curvature error h²/6 · L‴ of the smooth ops (batch norm, cross entropy)
// near 1e-5 too. Piecewise-linear ops have kinks: max pooling gets values at least 0.05 apart
// and ReLU inputs at least 0.05 from 0, so no step of h crosses one.
import { test, before } from 'node:test';
import { load } from '../web/cnn.js';
import { OP_CALLS, nameOf } from './lib/op_calls.mjs';
import { assertClose, maxAbs } from './lib/close.mjs';
import { makeRandom } from './lib/random.mjs';

const STEP = 2 ** -7;
const KINK_MARGIN = 0.05;
const random = makeRandom(20240501);
const { randn } = random;
const classes = (targets) => ({ shape: [targets.length], data: Float32Array.from(targets) });
const scaled = ({ shape, data }, factor) => ({ shape, data: data.map((x) => x * factor) });

const CASES = [
  {
    op: 'conv2d',
    options: { stride: [2, 1], padding: [1, 0] },
    tensors: { input: randn([2, 3, 5, 4]), weight: randn([4, 3, 3, 2]), bias: randn([4]) },
  },
  {
    op: 'conv2d',
    options: { padding: 2, dilation: 2, groups: 2 },
    tensors: { input: randn([1, 4, 5, 5]), weight: randn([4, 2, 3, 3]), bias: randn([4]) },
  },
  { op: 'conv2d', options: { padding: 'same' }, tensors: { input: randn([1, 2, 5, 6]), weight: randn([3, 2, 4, 2]) } },
  {
    op: 'conv2d',
    options: { stride: 2, padding: 1, groups: 3 },
    tensors: { input: randn([2, 3, 6, 5]), weight: randn([3, 1, 3, 3]), bias: randn([3]) },
  },
  {
    op: 'conv_transpose2d',
    options: { stride: 2, padding: 1, output_padding: 1 },
    tensors: { input: randn([2, 2, 3, 3]), weight: randn([2, 3, 3, 3]), bias: randn([3]) },
  },
  {
    op: 'conv_transpose2d',
    options: { stride: [1, 2], dilation: [2, 1], groups: 2 },
    tensors: { input: randn([1, 4, 3, 2]), weight: randn([4, 1, 2, 3]) },
  },
  {
    op: 'max_pool2d',
    args: { kernel_size: 3 },
    options: { stride: 2, padding: 1 },
    tensors: { input: random.separated([2, 2, 5, 6], KINK_MARGIN) },
  },
  {
    op: 'max_pool2d',
    args: { kernel_size: [2, 3] },
    options: { stride: 2, dilation: [2, 1], ceil_mode: true },
    tensors: { input: random.separated([1, 2, 7, 6], KINK_MARGIN) },
  },
  {
    op: 'avg_pool2d',
    args: { kernel_size: 3 },
    options: { stride: 2, padding: 1, ceil_mode: true, count_include_pad: false },
    tensors: { input: randn([2, 2, 6, 5]) },
  },
  {
    op: 'avg_pool2d',
    args: { kernel_size: [2, 3] },
    options: { stride: [2, 1], padding: [1, 1] },
    tensors: { input: randn([1, 2, 5, 5]) },
  },
  { op: 'adaptive_avg_pool2d', args: { output_size: [3, 4] }, tensors: { input: randn([2, 1, 7, 5]) } },
  { op: 'adaptive_avg_pool2d', args: { output_size: 5 }, tensors: { input: randn([1, 2, 3, 4]) } },
  {
    op: 'batch_norm',
    options: { training: true, momentum: 0.1, eps: 1e-5 },
    tensors: {
      input: randn([2, 3, 2, 3]),
      running_mean: randn([3]),
      running_var: { shape: [3], data: Float32Array.of(1, 0.5, 2) },
      weight: randn([3]),
      bias: randn([3]),
    },
  },
  {
    op: 'batch_norm',
    options: { training: true, eps: 1e-3 },
    tensors: {
      input: randn([3, 2, 2, 2]),
      running_mean: randn([2]),
      running_var: { shape: [2], data: Float32Array.of(1, 1) },
    },
  },
  {
    op: 'batch_norm',
    options: { training: false, eps: 1e-5 },
    tensors: {
      input: randn([2, 2, 3, 2]),
      running_mean: randn([2]),
      running_var: { shape: [2], data: Float32Array.of(0.7, 1.6) },
      weight: randn([2]),
      bias: randn([2]),
    },
  },
  { op: 'relu', tensors: { input: random.awayFromZero([2, 3, 4, 3], KINK_MARGIN) } },
  { op: 'linear', tensors: { input: randn([3, 7]), weight: randn([5, 7]), bias: randn([5]) } },
  { op: 'linear', tensors: { input: randn([2, 9]), weight: randn([4, 9]) } },
  { op: 'cross_entropy', tensors: { input: randn([4, 5]), target: classes([0, 4, 2, 2]) } },
  { op: 'cross_entropy', tensors: { input: scaled(randn([3, 3]), 4), target: classes([1, 0, 2]) } },
];

function weightedSum(output, grad_output) {
  let sum = 0;
  for (let i = 0; i < output.data.length; i++) sum += output.data[i] * grad_output.data[i];
  return sum;
}

let cnn;
before(async () => {
  cnn = await load();
});

for (const opCase of CASES) {
  test(`finite differences: ${nameOf(opCase)}`, () => {
    const call = OP_CALLS[opCase.op];
    const grad_output = randn(call.forward(cnn, opCase).shape);
    const loss = () => weightedSum(call.forward(cnn, opCase), grad_output);
    const analytic = call.backward(cnn, opCase, grad_output);
    for (const name of call.differentiable) {
      const parameter = opCase.tensors[name];
      if (!parameter) continue;
      const numeric = new Float64Array(parameter.data.length);
      for (let i = 0; i < numeric.length; i++) {
        const original = parameter.data[i];
        parameter.data[i] = original + STEP;
        const [above, lossAbove] = [parameter.data[i], loss()];
        parameter.data[i] = original - STEP;
        const [below, lossBelow] = [parameter.data[i], loss()];
        parameter.data[i] = original;
        numeric[i] = (lossAbove - lossBelow) / (above - below);
      }
      // numeric is good to ~2e-5 of the largest gradient here: the tolerance leaves a margin of 10
      assertClose(
        analytic[name],
        { shape: parameter.shape, data: numeric },
        { rtol: 2e-4, atol: 2e-4 * (1 + maxAbs(numeric)) },
        `${nameOf(opCase)}: grad ${name}`,
      );
    }
  });
}
