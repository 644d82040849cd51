// max_pool2d, avg_pool2d and adaptive_avg_pool2d, forward and backward, over input [N, C, H, W].
// Max pooling's backward reruns the forward for its argmax (the core's winners), as the
// functional API keeps no state between calls.
import { pair, tensorArg } from '../args.js';
import { outputShape, poolSpec, solve } from '../specs.js';
import { elementCount } from '../tensor.js';
import { checkGradShape, gradBuffer, readTensor } from './common.js';
import { MAX_BLOCK_FLOATS, NULL } from '../wasm.js';

// In a scope: the pooling geometry solved by the core, the output shape and room for the output.
function solvedPool(core, scope, op, x, kernelSize, opts) {
  const { pointer, g } = solve(core, scope, poolSpec(op, x.shape, kernelSize, opts, op === 'avg_pool2d'));
  const shape = outputShape(g);
  return { pointer, shape, out: scope.output(elementCount(shape)) };
}

// The max-pool forward in a scope; the winners too when `withIndices` (max_pool2d_with_indices and the backward).
function maxPoolForward(core, scope, x, kernelSize, opts, withIndices) {
  const { pointer, shape, out } = solvedPool(core, scope, 'max_pool2d', x, kernelSize, opts);
  const argmax = withIndices ? scope.ints(elementCount(shape), 'the argmax indices') : NULL;
  core.call('cnn_max_pool2d_forward', out, argmax, scope.tensor(x), pointer);
  return { pointer, shape, out, argmax };
}

// The core's adaptive pooling arguments: batch, channels, height, width, out height, out width.
function adaptiveSizes(x, outputSize, op) {
  const [outH, outW] = pair(outputSize, op, 'output_size');
  const [batch, channels, height, width] = x.shape;
  return [batch, channels, height, width, outH, outW];
}

export function max_pool2d(core, input, kernelSize, opts = {}) {
  const x = tensorArg(input, 'max_pool2d', 'input', 4);
  return core.scoped((scope) => {
    const { shape, out } = maxPoolForward(core, scope, x, kernelSize, opts, false);
    return readTensor(scope, out, shape);
  });
}

/** The output and the flat h·W+w index of each winner in its input plane. */
export function max_pool2d_with_indices(core, input, kernelSize, opts = {}) {
  const x = tensorArg(input, 'max_pool2d', 'input', 4);
  return core.scoped((scope) => {
    const { shape, out, argmax } = maxPoolForward(core, scope, x, kernelSize, opts, true);
    return { output: readTensor(scope, out, shape), indices: scope.readInts(argmax, elementCount(shape)) };
  });
}

export function avg_pool2d(core, input, kernelSize, opts = {}) {
  const x = tensorArg(input, 'avg_pool2d', 'input', 4);
  return core.scoped((scope) => {
    const { pointer, shape, out } = solvedPool(core, scope, 'avg_pool2d', x, kernelSize, opts);
    core.call('cnn_avg_pool2d_forward', out, scope.tensor(x), pointer);
    return readTensor(scope, out, shape);
  });
}

export function adaptive_avg_pool2d(core, input, outputSize) {
  const x = tensorArg(input, 'adaptive_avg_pool2d', 'input', 4);
  const sizes = adaptiveSizes(x, outputSize, 'adaptive_avg_pool2d');
  const shape = [sizes[0], sizes[1], sizes[4], sizes[5]];
  const count = Math.max(0, elementCount(shape));
  // The one output whose size no core check bounds before it is allocated: refused here, by name.
  if (count > MAX_BLOCK_FLOATS)
    throw new RangeError(
      `adaptive_avg_pool2d: the output [${shape}] would have ${Number.isSafeInteger(count) ? count : count.toExponential(2)} ` +
        `elements, more than the ${MAX_BLOCK_FLOATS} floats (2 GiB) one block of WASM memory holds`,
    );
  return core.scoped((scope) => {
    const out = scope.output(count);
    core.call('cnn_adaptive_avg_pool2d_forward', out, scope.tensor(x), ...sizes);
    return readTensor(scope, out, shape);
  });
}

export function max_pool2d_backward(core, gradOutput, input, kernelSize, opts = {}, into = null) {
  const x = tensorArg(input, 'max_pool2d', 'input', 4),
    gy = tensorArg(gradOutput, 'max_pool2d', 'grad_output', 4);
  return core.scoped((scope) => {
    const { pointer, shape, argmax } = maxPoolForward(core, scope, x, kernelSize, opts, true);
    checkGradShape('max_pool2d', gy, shape);
    const gx = gradBuffer(scope, 'max_pool2d', into, 'input', x.size);
    core.call('cnn_max_pool2d_backward', gx, scope.tensor(gy), argmax, pointer);
    return { input: readTensor(scope, gx, x.shape) };
  });
}

export function avg_pool2d_backward(core, gradOutput, input, kernelSize, opts = {}, into = null) {
  const x = tensorArg(input, 'avg_pool2d', 'input', 4),
    gy = tensorArg(gradOutput, 'avg_pool2d', 'grad_output', 4);
  return core.scoped((scope) => {
    const { pointer, g } = solve(core, scope, poolSpec('avg_pool2d', x.shape, kernelSize, opts, true));
    checkGradShape('avg_pool2d', gy, outputShape(g));
    const gx = gradBuffer(scope, 'avg_pool2d', into, 'input', x.size);
    core.call('cnn_avg_pool2d_backward', gx, scope.tensor(gy), pointer);
    return { input: readTensor(scope, gx, x.shape) };
  });
}

export function adaptive_avg_pool2d_backward(core, gradOutput, input, outputSize, into = null) {
  const op = 'adaptive_avg_pool2d';
  const x = tensorArg(input, op, 'input', 4),
    gy = tensorArg(gradOutput, op, 'grad_output', 4);
  const sizes = adaptiveSizes(x, outputSize, op);
  checkGradShape(op, gy, [sizes[0], sizes[1], sizes[4], sizes[5]]);
  return core.scoped((scope) => {
    const gx = gradBuffer(scope, op, into, 'input', x.size);
    core.call('cnn_adaptive_avg_pool2d_backward', gx, scope.tensor(gy), ...sizes);
    return { input: readTensor(scope, gx, x.shape) };
  });
}
