// torch.nn.functional over the core: each op copies its tensors into WASM
// memory, calls one exported function, and copies the result out. Backward
// functions accumulate into `into` (the layers' gradient buffers) or into zeros.
import { bool, describe, named, number, optionalTensor, options, pair, targets, tensorArg } from './args.js';
import { convSpec, outputShape, poolSpec, solve } from './specs.js';
import { elementCount, isFloat32Array, Tensor } from './tensor.js';

export function createFunctional(core) {
  const NULL = 0;
  const read = (scope, pointer, shape) => new Tensor(scope.readFloats(pointer, elementCount(shape)), shape);
  // A gradient buffer: a copy of into[name] to accumulate into, zeros, or NULL when not wanted.
  // The core writes `size` values, so an `into` buffer of another length is refused.
  function gradBuffer(scope, op, into, name, size, wanted = true) {
    if (!wanted) return NULL;
    const start = into?.[name];
    if (start === undefined || start === null) return scope.floats(size, `the ${name} gradient`);
    if (!isFloat32Array(start) || start.length !== size)
      throw new RangeError(`${op}: the ${name} gradient must be a Float32Array of ${size} values, got ${describe(start)}` +
        `${isFloat32Array(start) ? ` of ${start.length}` : ''}`);
    return scope.floats(start, `the ${name} gradient`);
  }

  function checkBias(bias, outChannels, op) {
    if (bias && bias.size !== outChannels)
      throw new RangeError(`${op}: bias must have ${outChannels} elements (one per output channel), got ${bias.size}`);
  }

  function convolution(op, transposed) {
    const forwardName = transposed ? 'cnn_conv_transpose2d_forward' : 'cnn_conv2d_forward';
    const backwardName = transposed ? 'cnn_conv_transpose2d_backward' : 'cnn_conv2d_backward';
    const prepare = (input, weight, bias, opts) => {
      const x = tensorArg(input, op, 'input', 4), w = tensorArg(weight, op, 'weight', 4);
      const b = optionalTensor(bias, op, 'bias', 1);
      const spec = convSpec(op, x.shape, w.shape, opts, transposed);
      return { x, w, b, spec };
    };
    const forward = (input, weight, bias = null, opts = {}) => {
      const { x, w, b, spec } = prepare(input, weight, bias, opts);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, spec);
        checkBias(b, g.out_channels, op);
        const shape = outputShape(g);
        const out = scope.output(elementCount(shape));
        core.call(forwardName, out, scope.tensor(x), scope.tensor(w), b ? scope.tensor(b) : NULL, pointer);
        return read(scope, out, shape);
      });
    };
    const backward = (gradOutput, input, weight, bias = null, opts = {}, into = null, needInput = true) => {
      const { x, w, b, spec } = prepare(input, weight, bias, opts);
      const gy = tensorArg(gradOutput, op, 'grad_output', 4);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, spec);
        checkBias(b, g.out_channels, op);
        const shape = outputShape(g);
        if (gy.shape.join() !== shape.join())
          throw new RangeError(`${op}: grad_output shape [${gy.shape}] must equal the output shape [${shape}]`);
        const gx = gradBuffer(scope, op, into, 'input', x.size, needInput);
        const gw = gradBuffer(scope, op, into, 'weight', w.size);
        const gb = gradBuffer(scope, op, into, 'bias', b?.size ?? 0, b !== null);
        core.call(backwardName, gx, gw, gb, scope.tensor(gy), scope.tensor(x), scope.tensor(w), pointer);
        return {
          input: needInput ? read(scope, gx, x.shape) : null,
          weight: read(scope, gw, w.shape),
          bias: b ? read(scope, gb, b.shape) : null,
        };
      });
    };
    return { forward, backward };
  }

  const conv2d = convolution('conv2d', false);
  const convTranspose2d = convolution('conv_transpose2d', true);

  function maxPoolForward(scope, x, kernelSize, opts) {
    const { pointer, g } = solve(core, scope, poolSpec('max_pool2d', x.shape, kernelSize, opts, false));
    const shape = outputShape(g);
    const out = scope.output(elementCount(shape));
    const argmax = scope.ints(elementCount(shape), 'the argmax indices');
    core.call('cnn_max_pool2d_forward', out, argmax, scope.tensor(x), pointer);
    return { pointer, shape, out, argmax };
  }

  function checkGradShape(op, gy, shape) {
    if (gy.shape.join() !== shape.join())
      throw new RangeError(`${op}: grad_output shape [${gy.shape}] must equal the output shape [${shape}]`);
  }

  function adaptiveSizes(x, outputSize, op) {
    const [outH, outW] = pair(outputSize, op, 'output_size');
    const [batch, channels, height, width] = x.shape;
    return [batch, channels, height, width, outH, outW];
  }

  function batchNormArgs(input, runningMean, runningVar, opts, op) {
    const x = tensorArg(input, op, 'input', 4);
    const o = options(opts, op, ['weight', 'bias', 'training', 'momentum', 'eps']);
    const channels = x.shape[1];
    const mean = tensorArg(runningMean, op, 'running_mean', 1), variance = tensorArg(runningVar, op, 'running_var', 1);
    const weight = optionalTensor(o.weight, op, 'weight', 1), bias = optionalTensor(o.bias, op, 'bias', 1);
    for (const [name, t] of [['running_mean', mean], ['running_var', variance], ['weight', weight], ['bias', bias]])
      if (t && t.size !== channels)
        throw new RangeError(`${op}: ${name} must have ${channels} elements (one per channel), got ${t.size}`);
    return {
      x, mean, variance, weight, bias,
      training: bool(o.training, op, 'training', false),
      momentum: number(o.momentum, op, 'momentum', 0.1),
      eps: number(o.eps, op, 'eps', 1e-5),
    };
  }

  // Runs the batch-norm forward in a scope; returns pointers to what backward needs.
  function batchNormForward(scope, a, runningMean, runningVar) {
    const [batch, channels, height, width] = a.x.shape;
    const out = scope.output(a.x.size);
    const saveMean = scope.floats(channels), saveInvstd = scope.floats(channels);
    const weight = a.weight ? scope.tensor(a.weight) : NULL, bias = a.bias ? scope.tensor(a.bias) : NULL;
    const input = scope.tensor(a.x);
    core.call('cnn_batch_norm2d_forward', out, saveMean, saveInvstd, runningMean, runningVar, input, weight, bias,
      a.training ? 1 : 0, a.momentum, a.eps, batch, channels, height, width);
    return { out, saveMean, saveInvstd, weight, input };
  }

  function crossEntropyArgs(input, target, op) {
    const x = tensorArg(input, op, 'input', 2);
    return { x, t: targets(target, op, x.shape[0]) };
  }

  function crossEntropyForward(scope, x, t) {
    const loss = scope.floats(1), probs = scope.floats(x.size, 'the probabilities');
    const targetPointer = scope.ints(t);
    core.call('cnn_cross_entropy_forward', loss, probs, scope.tensor(x), targetPointer, x.shape[0], x.shape[1]);
    return { loss, probs, targetPointer };
  }

  function linearArgs(input, weight, bias, op) {
    const x = tensorArg(input, op, 'input', 2), w = tensorArg(weight, op, 'weight', 2);
    const b = optionalTensor(bias, op, 'bias', 1);
    if (w.shape[1] !== x.shape[1])
      throw new RangeError(`${op}: weight.shape[1] = ${w.shape[1]} must equal in_features ${x.shape[1]} (input.shape[1])`);
    checkBias(b, w.shape[0], op);
    return { x, w, b };
  }

  const F = {
    conv2d: conv2d.forward,
    conv_transpose2d: convTranspose2d.forward,

    max_pool2d_with_indices: named('max_pool2d_with_indices', (input, kernelSize, opts = {}) => {
      const x = tensorArg(input, 'max_pool2d', 'input', 4);
      return core.scoped((scope) => {
        const { shape, out, argmax } = maxPoolForward(scope, x, kernelSize, opts);
        return { output: read(scope, out, shape), indices: scope.readInts(argmax, elementCount(shape)) };
      });
    }),
    max_pool2d(input, kernelSize, opts = {}) {
      const x = tensorArg(input, 'max_pool2d', 'input', 4);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, poolSpec('max_pool2d', x.shape, kernelSize, opts, false));
        const shape = outputShape(g);
        const out = scope.output(elementCount(shape));
        core.call('cnn_max_pool2d_forward', out, NULL, scope.tensor(x), pointer);
        return read(scope, out, shape);
      });
    },

    avg_pool2d(input, kernelSize, opts = {}) {
      const x = tensorArg(input, 'avg_pool2d', 'input', 4);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, poolSpec('avg_pool2d', x.shape, kernelSize, opts, true));
        const shape = outputShape(g);
        const out = scope.output(elementCount(shape));
        core.call('cnn_avg_pool2d_forward', out, scope.tensor(x), pointer);
        return read(scope, out, shape);
      });
    },

    adaptive_avg_pool2d(input, outputSize) {
      const x = tensorArg(input, 'adaptive_avg_pool2d', 'input', 4);
      const sizes = adaptiveSizes(x, outputSize, 'adaptive_avg_pool2d');
      const shape = [sizes[0], sizes[1], sizes[4], sizes[5]];
      return core.scoped((scope) => {
        const out = scope.output(Math.max(0, elementCount(shape)));
        core.call('cnn_adaptive_avg_pool2d_forward', out, scope.tensor(x), ...sizes);
        return read(scope, out, shape);
      });
    },

    batch_norm(input, runningMean, runningVar, opts = {}) {
      const a = batchNormArgs(input, runningMean, runningVar, opts, 'batch_norm');
      return core.scoped((scope) => {
        const meanPointer = scope.tensor(a.mean), varPointer = scope.tensor(a.variance);
        const { out } = batchNormForward(scope, a, meanPointer, varPointer);
        if (a.training) {
          a.mean.data.set(scope.readFloats(meanPointer, a.mean.size));
          a.variance.data.set(scope.readFloats(varPointer, a.variance.size));
        }
        return read(scope, out, a.x.shape);
      });
    },

    relu(input) {
      const x = tensorArg(input, 'relu', 'input');
      return core.scoped((scope) => {
        const out = scope.output(x.size);
        core.call('cnn_relu_forward', out, scope.tensor(x), x.size);
        return read(scope, out, x.shape);
      });
    },

    linear(input, weight, bias = null) {
      const { x, w, b } = linearArgs(input, weight, bias, 'linear');
      const shape = [x.shape[0], w.shape[0]];
      return core.scoped((scope) => {
        const out = scope.output(elementCount(shape));
        core.call('cnn_linear_forward', out, scope.tensor(x), scope.tensor(w), b ? scope.tensor(b) : NULL,
          x.shape[0], x.shape[1], w.shape[0]);
        return read(scope, out, shape);
      });
    },

    flatten(input, startDim = 1) {
      const x = tensorArg(input, 'flatten', 'input');
      if (!Number.isInteger(startDim) || startDim < 0 || startDim >= Math.max(1, x.shape.length))
        throw new RangeError(`flatten: start_dim must be an integer in [0, ${x.shape.length}), got ${describe(startDim)}`);
      return x.reshape([...x.shape.slice(0, startDim), elementCount(x.shape.slice(startDim))]);
    },

    /** Softmax over the classes of [N, K] logits (dim 1). */
    softmax(input, dim = 1) {
      const x = tensorArg(input, 'softmax', 'input', 2);
      if (dim !== 1 && dim !== -1) throw new RangeError(`softmax: dim must be 1 (the classes of [N, K]), got ${describe(dim)}`);
      return core.scoped((scope) => {
        const out = scope.output(x.size);
        core.call('cnn_softmax_forward', out, scope.tensor(x), x.shape[0], x.shape[1]);
        return read(scope, out, x.shape);
      });
    },

    cross_entropy(input, target) {
      const { x, t } = crossEntropyArgs(input, target, 'cross_entropy');
      return core.scoped((scope) => read(scope, crossEntropyForward(scope, x, t).loss, []));
    },
  };

  const backward = {
    conv2d: conv2d.backward,
    conv_transpose2d: convTranspose2d.backward,

    max_pool2d(gradOutput, input, kernelSize, opts = {}, into = null) {
      const x = tensorArg(input, 'max_pool2d', 'input', 4), gy = tensorArg(gradOutput, 'max_pool2d', 'grad_output', 4);
      return core.scoped((scope) => {
        const { pointer, shape, argmax } = maxPoolForward(scope, x, kernelSize, opts);
        checkGradShape('max_pool2d', gy, shape);
        const gx = gradBuffer(scope, 'max_pool2d', into, 'input', x.size);
        core.call('cnn_max_pool2d_backward', gx, scope.tensor(gy), argmax, pointer);
        return { input: read(scope, gx, x.shape) };
      });
    },

    avg_pool2d(gradOutput, input, kernelSize, opts = {}, into = null) {
      const x = tensorArg(input, 'avg_pool2d', 'input', 4), gy = tensorArg(gradOutput, 'avg_pool2d', 'grad_output', 4);
      return core.scoped((scope) => {
        const { pointer, g } = solve(core, scope, poolSpec('avg_pool2d', x.shape, kernelSize, opts, true));
        checkGradShape('avg_pool2d', gy, outputShape(g));
        const gx = gradBuffer(scope, 'avg_pool2d', into, 'input', x.size);
        core.call('cnn_avg_pool2d_backward', gx, scope.tensor(gy), pointer);
        return { input: read(scope, gx, x.shape) };
      });
    },

    adaptive_avg_pool2d(gradOutput, input, outputSize, into = null) {
      const op = 'adaptive_avg_pool2d';
      const x = tensorArg(input, op, 'input', 4), gy = tensorArg(gradOutput, op, 'grad_output', 4);
      const sizes = adaptiveSizes(x, outputSize, op);
      checkGradShape(op, gy, [sizes[0], sizes[1], sizes[4], sizes[5]]);
      return core.scoped((scope) => {
        const gx = gradBuffer(scope, 'adaptive_avg_pool2d', into, 'input', x.size);
        core.call('cnn_adaptive_avg_pool2d_backward', gx, scope.tensor(gy), ...sizes);
        return { input: read(scope, gx, x.shape) };
      });
    },

    batch_norm(gradOutput, input, runningMean, runningVar, opts = {}, into = null) {
      const a = batchNormArgs(input, runningMean, runningVar, opts, 'batch_norm');
      const gy = tensorArg(gradOutput, 'batch_norm', 'grad_output', 4);
      checkGradShape('batch_norm', gy, a.x.shape);
      const [batch, channels, height, width] = a.x.shape;
      return core.scoped((scope) => {
        // Running statistics are copies here: a gradient never moves them.
        const saved = batchNormForward(scope, a, scope.tensor(a.mean), scope.tensor(a.variance));
        const gx = gradBuffer(scope, 'batch_norm', into, 'input', a.x.size);
        const gw = gradBuffer(scope, 'batch_norm', into, 'weight', channels, a.weight !== null);
        const gb = gradBuffer(scope, 'batch_norm', into, 'bias', channels, a.bias !== null);
        core.call('cnn_batch_norm2d_backward', gx, gw, gb, scope.tensor(gy), saved.input, saved.weight,
          saved.saveMean, saved.saveInvstd, a.training ? 1 : 0, batch, channels, height, width);
        return {
          input: read(scope, gx, a.x.shape),
          weight: a.weight ? read(scope, gw, [channels]) : null,
          bias: a.bias ? read(scope, gb, [channels]) : null,
        };
      });
    },

    relu(gradOutput, input, into = null) {
      const x = tensorArg(input, 'relu', 'input'), gy = tensorArg(gradOutput, 'relu', 'grad_output');
      checkGradShape('relu', gy, x.shape);
      return core.scoped((scope) => {
        const gx = gradBuffer(scope, 'relu', into, 'input', x.size);
        core.call('cnn_relu_backward', gx, scope.tensor(gy), scope.tensor(x), x.size);
        return { input: read(scope, gx, x.shape) };
      });
    },

    linear(gradOutput, input, weight, bias = null, into = null, needInput = true) {
      const { x, w, b } = linearArgs(input, weight, bias, 'linear');
      const gy = tensorArg(gradOutput, 'linear', 'grad_output', 2);
      checkGradShape('linear', gy, [x.shape[0], w.shape[0]]);
      return core.scoped((scope) => {
        const gx = gradBuffer(scope, 'linear', into, 'input', x.size, needInput);
        const gw = gradBuffer(scope, 'linear', into, 'weight', w.size);
        const gb = gradBuffer(scope, 'linear', into, 'bias', b?.size ?? 0, b !== null);
        core.call('cnn_linear_backward', gx, gw, gb, scope.tensor(gy), scope.tensor(x), scope.tensor(w),
          x.shape[0], x.shape[1], w.shape[0]);
        return {
          input: needInput ? read(scope, gx, x.shape) : null,
          weight: read(scope, gw, w.shape),
          bias: b ? read(scope, gb, b.shape) : null,
        };
      });
    },

    cross_entropy(gradOutput, input, target, into = null) {
      const { x, t } = crossEntropyArgs(input, target, 'cross_entropy');
      const gradLoss = number(gradOutput, 'cross_entropy', 'grad_output', 1);
      return core.scoped((scope) => {
        const { probs, targetPointer } = crossEntropyForward(scope, x, t);
        const gx = gradBuffer(scope, 'cross_entropy', into, 'input', x.size);
        core.call('cnn_cross_entropy_backward', gx, gradLoss, probs, targetPointer, x.shape[0], x.shape[1]);
        return { input: read(scope, gx, x.shape) };
      });
    },
  };

  // The public gradient API: same arguments as forward, upstream gradient first, fresh zeros.
  const grad = {
    conv2d: (gy, x, w, b = null, o = {}) => backward.conv2d(gy, x, w, b, o),
    conv_transpose2d: (gy, x, w, b = null, o = {}) => backward.conv_transpose2d(gy, x, w, b, o),
    max_pool2d: (gy, x, k, o = {}) => backward.max_pool2d(gy, x, k, o),
    avg_pool2d: (gy, x, k, o = {}) => backward.avg_pool2d(gy, x, k, o),
    adaptive_avg_pool2d: (gy, x, size) => backward.adaptive_avg_pool2d(gy, x, size),
    batch_norm: (gy, x, mean, variance, o = {}) => backward.batch_norm(gy, x, mean, variance, o),
    relu: (gy, x) => backward.relu(gy, x),
    linear: (gy, x, w, b = null) => backward.linear(gy, x, w, b),
    cross_entropy: (gy, x, t) => backward.cross_entropy(gy, x, t),
  };

  return { F, grad, backward };
}
