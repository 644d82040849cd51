// batch_norm over input [N, C, H, W], forward and backward: per channel, batch statistics when
// training (moving the running ones in place, as PyTorch does), the running ones otherwise.
import { bool, number, optionalTensor, options, tensorArg } from '../args.js';
import { checkGradShape, gradBuffer, readTensor } from './common.js';
import { NULL } from '../wasm.js';

function batchNormArgs(input, runningMean, runningVar, opts, op) {
  const x = tensorArg(input, op, 'input', 4);
  const o = options(opts, op, ['weight', 'bias', 'training', 'momentum', 'eps']);
  const channels = x.shape[1];
  const mean = tensorArg(runningMean, op, 'running_mean', 1),
    variance = tensorArg(runningVar, op, 'running_var', 1);
  const weight = optionalTensor(o.weight, op, 'weight', 1),
    bias = optionalTensor(o.bias, op, 'bias', 1);
  for (const [name, t] of [
    ['running_mean', mean],
    ['running_var', variance],
    ['weight', weight],
    ['bias', bias],
  ])
    if (t && t.size !== channels)
      throw new RangeError(`${op}: ${name} must have ${channels} elements (one per channel), got ${t.size}`);
  return {
    x,
    mean,
    variance,
    weight,
    bias,
    training: bool(o.training, op, 'training', false),
    momentum: number(o.momentum, op, 'momentum', 0.1),
    eps: number(o.eps, op, 'eps', 1e-5),
  };
}

// Runs the batch-norm forward in a scope; returns pointers to what backward needs.
function batchNormForward(core, scope, a, runningMean, runningVar) {
  const [batch, channels, height, width] = a.x.shape;
  const out = scope.output(a.x.size);
  const saveMean = scope.floats(channels),
    saveInvstd = scope.floats(channels);
  const weight = a.weight ? scope.tensor(a.weight) : NULL,
    bias = a.bias ? scope.tensor(a.bias) : NULL;
  const input = scope.tensor(a.x);
  core.call(
    'cnn_batch_norm2d_forward',
    out,
    saveMean,
    saveInvstd,
    runningMean,
    runningVar,
    input,
    weight,
    bias,
    a.training ? 1 : 0,
    a.momentum,
    a.eps,
    batch,
    channels,
    height,
    width,
  );
  return { out, saveMean, saveInvstd, weight, input };
}

export function batch_norm(core, input, runningMean, runningVar, opts = {}) {
  const a = batchNormArgs(input, runningMean, runningVar, opts, 'batch_norm');
  return core.scoped((scope) => {
    const meanPointer = scope.tensor(a.mean),
      varPointer = scope.tensor(a.variance);
    const { out } = batchNormForward(core, scope, a, meanPointer, varPointer);
    if (a.training) {
      a.mean.data.set(scope.readFloats(meanPointer, a.mean.size));
      a.variance.data.set(scope.readFloats(varPointer, a.variance.size));
    }
    return readTensor(scope, out, a.x.shape);
  });
}

export function batch_norm_backward(core, gradOutput, input, runningMean, runningVar, opts = {}, into = null) {
  const a = batchNormArgs(input, runningMean, runningVar, opts, 'batch_norm');
  const gy = tensorArg(gradOutput, 'batch_norm', 'grad_output', 4);
  checkGradShape('batch_norm', gy, a.x.shape);
  const [batch, channels, height, width] = a.x.shape;
  return core.scoped((scope) => {
    // Running statistics are copies here: a gradient never moves them.
    const saved = batchNormForward(core, scope, a, scope.tensor(a.mean), scope.tensor(a.variance));
    const gx = gradBuffer(scope, 'batch_norm', into, 'input', a.x.size);
    const gw = gradBuffer(scope, 'batch_norm', into, 'weight', channels, a.weight !== null);
    const gb = gradBuffer(scope, 'batch_norm', into, 'bias', channels, a.bias !== null);
    core.call(
      'cnn_batch_norm2d_backward',
      gx,
      gw,
      gb,
      scope.tensor(gy),
      saved.input,
      saved.weight,
      saved.saveMean,
      saved.saveInvstd,
      a.training ? 1 : 0,
      batch,
      channels,
      height,
      width,
    );
    return {
      input: readTensor(scope, gx, a.x.shape),
      weight: a.weight ? readTensor(scope, gw, [channels]) : null,
      bias: a.bias ? readTensor(scope, gb, [channels]) : null,
    };
  });
}
