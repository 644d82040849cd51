// relu (forward and backward, any shape) and softmax over the classes of [N, K] logits.
import { describe, tensorArg } from '../args.js';
import { checkGradShape, gradBuffer, readTensor } from './common.js';

export function relu(core, input) {
  const x = tensorArg(input, 'relu', 'input');
  return core.scoped((scope) => {
    const out = scope.output(x.size);
    core.call('cnn_relu_forward', out, scope.tensor(x), x.size);
    return readTensor(scope, out, x.shape);
  });
}

export function relu_backward(core, gradOutput, input, into = null) {
  const x = tensorArg(input, 'relu', 'input'),
    gy = tensorArg(gradOutput, 'relu', 'grad_output');
  checkGradShape('relu', gy, x.shape);
  return core.scoped((scope) => {
    const gx = gradBuffer(scope, 'relu', into, 'input', x.size);
    core.call('cnn_relu_backward', gx, scope.tensor(gy), scope.tensor(x), x.size);
    return { input: readTensor(scope, gx, x.shape) };
  });
}

/** Softmax over the classes of [N, K] logits (dim 1). */
export function softmax(core, input, dim = 1) {
  const x = tensorArg(input, 'softmax', 'input', 2);
  if (dim !== 1 && dim !== -1)
    throw new RangeError(`softmax: dim must be 1 (the classes of [N, K]), got ${describe(dim)}`);
  return core.scoped((scope) => {
    const out = scope.output(x.size);
    core.call('cnn_softmax_forward', out, scope.tensor(x), x.shape[0], x.shape[1]);
    return readTensor(scope, out, x.shape);
  });
}
