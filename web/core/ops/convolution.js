// conv2d and conv_transpose2d, forward and backward: the arguments of torch.nn.functional,
// turned into the core's geometry record (specs.js), which the core validates and solves.
// Backward accumulates into `into` (the layers' gradient buffers) or into zeros.
//   input [N, C, H, W]; weight [OC, C/groups, KH, KW] (transposed: [C, OC/groups, KH, KW]); bias [OC]
import { optionalTensor, tensorArg } from '../args.js';
import { convSpec, outputShape, solve } from '../specs.js';
import { elementCount } from '../tensor.js';
import { checkBias, checkGradShape, gradBuffer, readTensor } from './common.js';
import { NULL } from '../wasm.js';

const EXPORTS = {
  conv2d: { forward: 'cnn_conv2d_forward', backward: 'cnn_conv2d_backward', transposed: false },
  conv_transpose2d: {
    forward: 'cnn_conv_transpose2d_forward',
    backward: 'cnn_conv_transpose2d_backward',
    transposed: true,
  },
};

function prepare(op, input, weight, bias, opts) {
  const x = tensorArg(input, op, 'input', 4),
    w = tensorArg(weight, op, 'weight', 4);
  const b = optionalTensor(bias, op, 'bias', 1);
  return { x, w, b, spec: convSpec(op, x.shape, w.shape, opts, EXPORTS[op].transposed) };
}

function forward(core, op, input, weight, bias, opts) {
  const { x, w, b, spec } = prepare(op, input, weight, bias, opts);
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, spec);
    checkBias(b, g.out_channels, op);
    const shape = outputShape(g);
    const out = scope.output(elementCount(shape));
    core.call(EXPORTS[op].forward, out, scope.tensor(x), scope.tensor(w), b ? scope.tensor(b) : NULL, pointer);
    return readTensor(scope, out, shape);
  });
}

function backward(core, op, gradOutput, input, weight, bias, opts, into, needInput) {
  const { x, w, b, spec } = prepare(op, input, weight, bias, opts);
  const gy = tensorArg(gradOutput, op, 'grad_output', 4);
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, spec);
    checkBias(b, g.out_channels, op);
    checkGradShape(op, gy, outputShape(g));
    const gx = gradBuffer(scope, op, into, 'input', x.size, needInput);
    const gw = gradBuffer(scope, op, into, 'weight', w.size);
    const gb = gradBuffer(scope, op, into, 'bias', b?.size ?? 0, b !== null);
    core.call(EXPORTS[op].backward, gx, gw, gb, scope.tensor(gy), scope.tensor(x), scope.tensor(w), pointer);
    return {
      input: needInput ? readTensor(scope, gx, x.shape) : null,
      weight: readTensor(scope, gw, w.shape),
      bias: b ? readTensor(scope, gb, b.shape) : null,
    };
  });
}

export function conv2d(core, input, weight, bias = null, opts = {}) {
  return forward(core, 'conv2d', input, weight, bias, opts);
}

export function conv_transpose2d(core, input, weight, bias = null, opts = {}) {
  return forward(core, 'conv_transpose2d', input, weight, bias, opts);
}

export function conv2d_backward(
  core,
  gradOutput,
  input,
  weight,
  bias = null,
  opts = {},
  into = null,
  needInput = true,
) {
  return backward(core, 'conv2d', gradOutput, input, weight, bias, opts, into, needInput);
}

export function conv_transpose2d_backward(
  core,
  gradOutput,
  input,
  weight,
  bias = null,
  opts = {},
  into = null,
  needInput = true,
) {
  return backward(core, 'conv_transpose2d', gradOutput, input, weight, bias, opts, into, needInput);
}
