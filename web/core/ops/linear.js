// linear over input [N, in_features] with weight [out_features, in_features], forward and
// backward, and flatten, the reshape that puts a feature map in front of a linear layer.
import { describe, optionalTensor, tensorArg } from '../args.js';
import { elementCount } from '../tensor.js';
import { checkBias, checkGradShape, gradBuffer, readTensor } from './common.js';
import { NULL } from '../wasm.js';

function linearArgs(input, weight, bias, op) {
  const x = tensorArg(input, op, 'input', 2),
    w = tensorArg(weight, op, 'weight', 2);
  const b = optionalTensor(bias, op, 'bias', 1);
  if (w.shape[1] !== x.shape[1])
    throw new RangeError(
      `${op}: weight.shape[1] = ${w.shape[1]} must equal in_features ${x.shape[1]} (input.shape[1])`,
    );
  checkBias(b, w.shape[0], op);
  return { x, w, b };
}

export function linear(core, input, weight, bias = null) {
  const { x, w, b } = linearArgs(input, weight, bias, 'linear');
  const shape = [x.shape[0], w.shape[0]];
  return core.scoped((scope) => {
    const out = scope.output(elementCount(shape));
    core.call(
      'cnn_linear_forward',
      out,
      scope.tensor(x),
      scope.tensor(w),
      b ? scope.tensor(b) : NULL,
      x.shape[0],
      x.shape[1],
      w.shape[0],
    );
    return readTensor(scope, out, shape);
  });
}

export function linear_backward(core, gradOutput, input, weight, bias = null, into = null, needInput = true) {
  const { x, w, b } = linearArgs(input, weight, bias, 'linear');
  const gy = tensorArg(gradOutput, 'linear', 'grad_output', 2);
  checkGradShape('linear', gy, [x.shape[0], w.shape[0]]);
  return core.scoped((scope) => {
    const gx = gradBuffer(scope, 'linear', into, 'input', x.size, needInput);
    const gw = gradBuffer(scope, 'linear', into, 'weight', w.size);
    const gb = gradBuffer(scope, 'linear', into, 'bias', b?.size ?? 0, b !== null);
    core.call(
      'cnn_linear_backward',
      gx,
      gw,
      gb,
      scope.tensor(gy),
      scope.tensor(x),
      scope.tensor(w),
      x.shape[0],
      x.shape[1],
      w.shape[0],
    );
    return {
      input: needInput ? readTensor(scope, gx, x.shape) : null,
      weight: readTensor(scope, gw, w.shape),
      bias: b ? readTensor(scope, gb, b.shape) : null,
    };
  });
}

/** The dimensions from start_dim on as one; a reshape in JS (the core is not called). */
export function flatten(core, input, startDim = 1) {
  const x = tensorArg(input, 'flatten', 'input');
  if (!Number.isInteger(startDim) || startDim < 0 || startDim >= Math.max(1, x.shape.length))
    throw new RangeError(`flatten: start_dim must be an integer in [0, ${x.shape.length}), got ${describe(startDim)}`);
  return x.reshape([...x.shape.slice(0, startDim), elementCount(x.shape.slice(startDim))]);
}
