// How each op of the binding is called from a case, so the golden, finite-difference and
// SIMD-vs-scalar tests share one copy of the argument orders of web/cnn.d.ts.
//
// A case: { op, args: { kernel_size?, output_size? }, options, tensors }, where tensors are
// {shape, data} by the binding's argument names: input, weight, bias, running_mean,
// running_var, target (class indices). An absent bias or batch-norm weight means null.
//
//   OP_CALLS[op].forward(cnn, case)               → output Tensor
//   OP_CALLS[op].backward(cnn, case, grad_output) → { input, weight?, bias? }
//   OP_CALLS[op].differentiable                   → the tensors backward returns gradients for

const conv = (name) => ({
  differentiable: ['input', 'weight', 'bias'],
  forward: (cnn, { tensors: t, options }) => cnn.F[name](t.input, t.weight, t.bias ?? null, options),
  backward: (cnn, { tensors: t, options }, grad_output) =>
    cnn.grad[name](grad_output, t.input, t.weight, t.bias ?? null, options),
});

const pool = (name) => ({
  differentiable: ['input'],
  forward: (cnn, { tensors: t, args, options }) => cnn.F[name](t.input, args.kernel_size, options),
  backward: (cnn, { tensors: t, args, options }, grad_output) =>
    cnn.grad[name](grad_output, t.input, args.kernel_size, options),
});

const batchNormOptions = ({ tensors: t, options }) => ({ ...options, weight: t.weight ?? null, bias: t.bias ?? null });

export const OP_CALLS = {
  conv2d: conv('conv2d'),
  conv_transpose2d: conv('conv_transpose2d'),
  max_pool2d: pool('max_pool2d'),
  avg_pool2d: pool('avg_pool2d'),
  adaptive_avg_pool2d: {
    differentiable: ['input'],
    forward: (cnn, { tensors: t, args }) => cnn.F.adaptive_avg_pool2d(t.input, args.output_size),
    backward: (cnn, { tensors: t, args }, grad_output) =>
      cnn.grad.adaptive_avg_pool2d(grad_output, t.input, args.output_size),
  },
  batch_norm: {
    differentiable: ['input', 'weight', 'bias'],
    forward: (cnn, c) =>
      cnn.F.batch_norm(c.tensors.input, c.tensors.running_mean, c.tensors.running_var, batchNormOptions(c)),
    backward: (cnn, c, grad_output) =>
      cnn.grad.batch_norm(
        grad_output,
        c.tensors.input,
        c.tensors.running_mean,
        c.tensors.running_var,
        batchNormOptions(c),
      ),
  },
  relu: {
    differentiable: ['input'],
    forward: (cnn, { tensors: t }) => cnn.F.relu(t.input),
    backward: (cnn, { tensors: t }, grad_output) => cnn.grad.relu(grad_output, t.input),
  },
  linear: {
    differentiable: ['input', 'weight', 'bias'],
    forward: (cnn, { tensors: t }) => cnn.F.linear(t.input, t.weight, t.bias ?? null),
    backward: (cnn, { tensors: t }, grad_output) => cnn.grad.linear(grad_output, t.input, t.weight, t.bias ?? null),
  },
  cross_entropy: {
    differentiable: ['input'],
    forward: (cnn, { tensors: t }) => cnn.F.cross_entropy(t.input, Int32Array.from(t.target.data)),
    // the upstream gradient of a scalar loss is a number
    backward: (cnn, { tensors: t }, grad_output) =>
      cnn.grad.cross_entropy(grad_output.data[0], t.input, Int32Array.from(t.target.data)),
  },
};

/** "conv2d input[2,3,5,4] weight[4,3,3,2] stride=[2,1]": the naming of tests/golden/generate.py. */
export function nameOf({ op, args = {}, options = {}, tensors }) {
  const shapes = Object.entries(tensors).map(([name, { shape }]) => `${name}${JSON.stringify(shape)}`);
  const settings = Object.entries({ ...args, ...options }).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return [op, ...shapes, ...settings].join(' ');
}
