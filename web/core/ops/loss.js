// cross_entropy of logits [N, K] against one class index per row, forward and backward
// (the backward reruns the forward for the probabilities it needs).
import { number, targets, tensorArg } from '../args.js';
import { gradBuffer, readTensor } from './common.js';

function crossEntropyArgs(input, target, op) {
  const x = tensorArg(input, op, 'input', 2);
  return { x, t: targets(target, op, x.shape[0]) };
}

function crossEntropyForward(core, scope, x, t) {
  const loss = scope.floats(1),
    probs = scope.floats(x.size, 'the probabilities');
  const targetPointer = scope.ints(t);
  core.call('cnn_cross_entropy_forward', loss, probs, scope.tensor(x), targetPointer, x.shape[0], x.shape[1]);
  return { loss, probs, targetPointer };
}

/** The mean loss, a 0-d tensor. */
export function cross_entropy(core, input, target) {
  const { x, t } = crossEntropyArgs(input, target, 'cross_entropy');
  return core.scoped((scope) => readTensor(scope, crossEntropyForward(core, scope, x, t).loss, []));
}

/** grad_output is the scalar upstream gradient of the loss (1 for loss.backward()). */
export function cross_entropy_backward(core, gradOutput, input, target, into = null) {
  const { x, t } = crossEntropyArgs(input, target, 'cross_entropy');
  const gradLoss = number(gradOutput, 'cross_entropy', 'grad_output', 1);
  return core.scoped((scope) => {
    const { probs, targetPointer } = crossEntropyForward(core, scope, x, t);
    const gx = gradBuffer(scope, 'cross_entropy', into, 'input', x.size);
    core.call('cnn_cross_entropy_backward', gx, gradLoss, probs, targetPointer, x.shape[0], x.shape[1]);
    return { input: readTensor(scope, gx, x.shape) };
  });
}
