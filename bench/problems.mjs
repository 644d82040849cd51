// A row of the table made concrete: seeded tensors, the output shape and the
// MAC count (both asked of the core through the binding's arithmetic, the only
// copy of that arithmetic), and the hyper-parameters every engine reads:
//   stride [h, w], padding [top, left, bottom, right], dilation [h, w], groups,
//   output_padding [h, w], kernel [h, w].
import { randn, sizeOf } from './tensors.mjs';

const pair = (value, fallback) =>
  value === undefined ? [fallback, fallback] : Array.isArray(value) ? value : [value, value];
const FLOAT_BYTES = 4;

export function makeProblem(row, cnn) {
  const o = row.options ?? {};
  const params = {
    stride: pair(o.stride, row.kernel ?? 1),
    dilation: pair(o.dilation, 1),
    groups: o.groups ?? 1,
    output_padding: pair(o.output_padding, 0),
  };
  const problem = { row, kind: row.kind, params };
  let seed = 1;
  const tensor = (shape) => randn(shape, seed++);

  if (row.kind === 'memcpy') return { ...problem, bytes: row.bytes };
  if (row.kind === 'train_step') return problem;

  problem.x = tensor(row.input);
  if (row.kind.startsWith('conv')) {
    problem.w = tensor(row.weight);
    params.kernel = row.weight.slice(2);
    if (row.kind === 'conv_transpose2d') {
      const shape = cnn.arithmetic.conv_transpose2d_shape(row.input, row.weight, o);
      const [h, w] = pair(o.padding, 0);
      Object.assign(problem, { outShape: shape.shape, macs: shape.macs });
      params.padding = [h, w, h, w];
    } else {
      const shape = cnn.arithmetic.conv2d_shape(row.input, row.weight, o);
      Object.assign(problem, { outShape: shape.shape, macs: shape.macs });
      params.padding = shape.padding;
    }
    if (row.kind !== 'conv2d' && row.kind !== 'conv_transpose2d') problem.dy = tensor(problem.outShape);
    if (row.kind === 'conv2d_backward') {
      problem.b = tensor([row.weight[0]]);
      problem.macs *= row.input_grad ? 2 : 1; // dW always, dX when asked; db is O(output)
    }
    return problem;
  }
  // Pooling: bytes = what the op must read and write at least.
  if (row.kind === 'global_avg_pool') {
    problem.outShape = [row.input[0], row.input[1], 1, 1];
  } else {
    const shapeOf = row.kind === 'max_pool2d' ? cnn.arithmetic.max_pool2d_shape : cnn.arithmetic.avg_pool2d_shape;
    problem.outShape = shapeOf(row.input, row.kernel, o).shape;
    const [h, w] = pair(o.padding, 0);
    params.padding = [h, w, h, w];
    params.kernel = pair(row.kernel);
  }
  problem.bytes = (sizeOf(row.input) + sizeOf(problem.outShape)) * FLOAT_BYTES;
  return problem;
}
