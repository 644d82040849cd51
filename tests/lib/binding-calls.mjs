// The public functions the fuzz (tests/fuzz-binding.test.mjs) calls. Each entry: its name, the
// names its errors may start with, and run(cnn, v): draws the arguments from v
// (tests/lib/hostile.mjs), calls, and returns what is wrong with the result (null when right).
// Where the result's shape follows from the arguments by PyTorch's formula, it is checked.

/** An error in a call's setup (making the layer or network the call needs), not in the call. */
export class SetupFailed extends Error {
  constructor(cause) {
    super('setup failed', { cause });
  }
}
function setup(make) {
  try {
    return make();
  } catch (error) {
    throw new SetupFailed(error);
  }
}

// [h, w] of an int or a pair of ints; null when the value is anything else (then no shape check).
function intPair(value, fallback) {
  const given = value ?? fallback;
  if (Number.isInteger(given)) return [given, given];
  if (Array.isArray(given) && given.length === 2 && given.every(Number.isInteger)) return given;
  return null;
}
const plain = (opts) =>
  opts === undefined || opts === null ? {} : Object.getPrototypeOf(opts) === Object.prototype ? opts : null;

// out = ⌊(in + 2·pad − dilation·(kernel − 1) − 1 + (ceil ? stride − 1 : 0)) / stride⌋ + 1, and with
// ceil_mode the last window must start inside the input or the left padding (PyTorch's rule).
function windowOut(size, kernel, stride, pad, dilation, ceil = false) {
  let out = Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out -= 1;
  return out;
}

function convShape(x, w, opts, transposed) {
  const o = plain(opts);
  if (!o) return null;
  const stride = intPair(o.stride, 1),
    dilation = intPair(o.dilation, 1),
    groups = o.groups ?? 1;
  const outputPadding = intPair(o.output_padding, 0);
  const same = o.padding === 'same',
    padding = o.padding === 'valid' || same ? [0, 0] : intPair(o.padding, 0);
  if (!stride || !dilation || !padding || !outputPadding || !Number.isInteger(groups)) return null;
  const [batch, , height, width] = x.shape,
    [w0, w1, kh, kw] = w.shape;
  if (transposed) {
    const size = (n, i, k) => (n - 1) * stride[i] - 2 * padding[i] + dilation[i] * (k - 1) + outputPadding[i] + 1;
    return [batch, w1 * groups, size(height, 0, kh), size(width, 1, kw)];
  }
  if (same) return [batch, w0, height, width];
  return [
    batch,
    w0,
    windowOut(height, kh, stride[0], padding[0], dilation[0]),
    windowOut(width, kw, stride[1], padding[1], dilation[1]),
  ];
}

function poolShape(x, kernelSize, opts, average) {
  const o = plain(opts);
  const kernel = intPair(kernelSize);
  if (!o || !kernel) return null;
  const stride = o.stride === undefined || o.stride === null ? kernel : intPair(o.stride);
  const padding = intPair(o.padding, 0),
    dilation = average ? [1, 1] : intPair(o.dilation, 1);
  if (!stride || !padding || !dilation) return null;
  const ceil = o.ceil_mode === true;
  const [batch, channels, height, width] = x.shape;
  return [
    batch,
    channels,
    windowOut(height, kernel[0], stride[0], padding[0], dilation[0], ceil),
    windowOut(width, kernel[1], stride[1], padding[1], dilation[1], ceil),
  ];
}

/** What is wrong with a result that should be a Tensor of `expected` shape (null: any valid shape). */
function tensorProblem(cnn, result, expected = null) {
  if (!(result instanceof cnn.Tensor)) return `returned ${typeof result}, not a Tensor`;
  const size = result.shape.reduce((a, b) => a * b, 1);
  if (!result.shape.every((n) => Number.isInteger(n) && n >= 0) || result.data.length !== size)
    return `returned a malformed Tensor: shape [${result.shape}], ${result.data.length} values`;
  if (expected && result.shape.join() !== expected.join())
    return `returned shape [${result.shape}], PyTorch gives [${expected}]`;
  return null;
}
const firstProblem = (...problems) => problems.find((problem) => problem) ?? null;
// The expected shape only when every tensor argument is one the generator made (not a stand-in).
const genuine = (v, ...tensors) => tensors.every((t) => v.made(t));
// A gradient of the expected shape when it is small enough to make, else some other small shape.
const gradientShape = (v, shape) =>
  shape && shape.every((n) => n > 0 && n < 64) && v.chance(0.9) ? shape : v.shape4();

function convolutionArgs(v, transposed) {
  const x = v.tensor(v.shape4());
  const channels = v.made(x) ? x.shape[1] : 1,
    groups = v.chance(0.8) ? 1 : v.int(1, 2);
  const kernel = [1 + v.below(3), 1 + v.below(3)];
  const out = 1 + v.below(3);
  const weightShape = transposed
    ? [channels, out, ...kernel]
    : [
        out,
        v.chance(0.9)
          ? Math.max(1, Math.floor(channels / (Number.isInteger(groups) && groups > 0 ? groups : 1)))
          : 1 + v.below(3),
        ...kernel,
      ];
  const w = v.tensor(weightShape);
  const biasSize = transposed ? out * (Number.isInteger(groups) && groups > 0 && groups < 4 ? groups : 1) : out;
  const bias = v.chance(0.5) ? null : v.tensor([v.chance(0.9) ? biasSize : 1 + v.below(4)]);
  const opts = v.options({
    stride: () => v.pair(1, 3),
    dilation: () => v.pair(1, 2),
    groups: () => groups,
    padding: () => (!transposed && v.chance(0.15) ? v.pick(['same', 'valid']) : v.pair(0, 2)),
    ...(transposed ? { output_padding: () => v.pair(0, 1) } : {}),
  });
  return { x, w, bias, opts };
}

// Pooling kernel sizes with int32 edges: the pooling ops visit only the taps inside the input
// (kernels/pool-window.c), so a 2^31 − 1 kernel that PyTorch's rules accept (ceil_mode,
// padding) answers in milliseconds (tests/native/test_edges.c times none, checks the answer).
// A trace lists every tap of its window, padding included, so its answer grows with the kernel
// (2^23 × 2 taps: 16 M terms, half a minute of JS objects): traces take kernels without edges.
const POOL_KERNEL_EDGES = true;
const poolKernel = (v) => v.pair(1, 3, POOL_KERNEL_EDGES);
const traceKernel = (v) => v.pair(1, 3, false);

const poolOptions = (v, average) =>
  v.options({
    stride: () => v.pair(1, 3),
    padding: () => v.pair(0, 1),
    ceil_mode: () => (v.chance(0.9) ? v.chance(0.5) : v.hostile()),
    ...(average ? { count_include_pad: () => v.chance(0.5) } : { dilation: () => v.pair(1, 2) }),
  });

const layerNames = {
  Conv2d: 'conv2d',
  ConvTranspose2d: 'conv_transpose2d',
  MaxPool2d: 'max_pool2d',
  AvgPool2d: 'avg_pool2d',
  AdaptiveAvgPool2d: 'adaptive_avg_pool2d',
  BatchNorm2d: 'batch_norm',
  ReLU: 'relu',
  Linear: 'linear',
  Flatten: 'flatten',
  Identity: 'Identity',
};

// A small layer of a random kind, with plausible (sometimes hostile) arguments. Its sizes have no
// int32 edges: a layer of 2^28 weights is valid and fills them (seconds, a GB); the size rules
// meet the edges through arithmetic.conv2d_params and the like, which allocate nothing.
function makeLayer(cnn, v, channels = 1 + v.below(3)) {
  const { nn } = cnn;
  const kind = v.pick(Object.keys(layerNames));
  switch (kind) {
    case 'Conv2d':
    case 'ConvTranspose2d':
      return new nn[kind](
        v.chance(0.9) ? channels : v.int(0, 4, false),
        v.int(1, 3, false),
        v.pair(1, 3, false),
        v.options({ stride: () => v.pair(1, 2), padding: () => v.pair(0, 1), bias: () => v.chance(0.5) }),
      );
    case 'MaxPool2d':
    case 'AvgPool2d':
      return new nn[kind](poolKernel(v), poolOptions(v, kind === 'AvgPool2d'));
    case 'AdaptiveAvgPool2d':
      return new nn.AdaptiveAvgPool2d(v.pair(1, 3, false));
    case 'BatchNorm2d':
      return new nn.BatchNorm2d(
        v.chance(0.9) ? channels : v.int(0, 4, false),
        v.options({ eps: () => 1e-5, momentum: () => 0.1, affine: () => v.chance(0.5) }),
      );
    case 'Linear':
      return new nn.Linear(v.int(1, 8, false), v.int(1, 3, false), v.options({ bias: () => v.chance(0.5) }));
    case 'Flatten':
      return new nn.Flatten(v.chance(0.9) ? 1 : v.hostile());
    case 'ReLU':
      return new nn.ReLU();
    default:
      return new nn.Identity();
  }
}

// A model for a Network: conv, (batch norm), relu, pool, flatten, linear over [C, H, W] inputs.
function networkModel(cnn, v) {
  const { nn } = cnn;
  const layers = [
    new nn.Conv2d(1, 2, 3, { seed: 1 }),
    new nn.BatchNorm2d(2),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(8, 3, { seed: 2 }),
  ];
  if (v.chance(0.2)) layers.splice(v.below(layers.length), 0, makeLayer(cnn, v, 2));
  return new nn.Sequential(...layers);
}
const NETWORK_INPUT = [1, 6, 6];

// Something hostile done to a model's layers before load/store: a parameter, a running statistic
// or a layer attribute replaced.
function tamper(cnn, v, model) {
  const layer = v.pick(model.layers);
  const target = v.pick(['param', 'grad', 'runningMean', 'runningVar', 'numFeatures', 'params']);
  if (target === 'param' && layer.params.length)
    layer.params[v.below(layer.params.length)].value = v.tensor([1 + v.below(40)]);
  else if (target === 'grad' && layer.params.length) layer.params[0].grad = v.hostile();
  else if (target === 'params') layer.params = v.chance(0.5) ? [] : v.hostile();
  else if (target === 'numFeatures') layer.numFeatures = v.int(0, 4000);
  else layer[target] = v.chance(0.5) ? v.tensor([v.pick([1, 3, 4000])]) : v.hostile();
}

// A Network for one call, disposed after it (run may dispose it itself).
function withNetwork(cnn, v, body) {
  const model = setup(() => networkModel(cnn, v));
  const network = setup(() => new cnn.Network(model, NETWORK_INPUT, { capacity: 4 }));
  try {
    return body(network, model);
  } finally {
    network.dispose();
  }
}
// Images for a batch (as many as a batch up to the capacity 4 needs), or hostile.
const images = (v, batch) =>
  v.chance(0.9) ? v.data((Number.isInteger(batch) ? Math.min(Math.max(batch, 1), 4) : 1) * 36) : v.hostile();

export const BINDING_CALLS = [
  // ---- torch.nn.functional ----
  {
    name: 'F.conv2d',
    names: ['conv2d'],
    run: (cnn, v) => {
      const { x, w, bias, opts } = convolutionArgs(v, false);
      const y = cnn.F.conv2d(x, w, bias, opts);
      return tensorProblem(cnn, y, genuine(v, x, w) ? convShape(x, w, opts, false) : null);
    },
  },
  {
    name: 'F.conv_transpose2d',
    names: ['conv_transpose2d'],
    run: (cnn, v) => {
      const { x, w, bias, opts } = convolutionArgs(v, true);
      const y = cnn.F.conv_transpose2d(x, w, bias, opts);
      return tensorProblem(cnn, y, genuine(v, x, w) ? convShape(x, w, opts, true) : null);
    },
  },
  ...['max_pool2d', 'avg_pool2d'].map((op) => ({
    name: `F.${op}`,
    names: [op],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4()),
        kernel = poolKernel(v),
        opts = poolOptions(v, op === 'avg_pool2d');
      return tensorProblem(
        cnn,
        cnn.F[op](x, kernel, opts),
        genuine(v, x) ? poolShape(x, kernel, opts, op === 'avg_pool2d') : null,
      );
    },
  })),
  {
    name: 'F.max_pool2d_with_indices',
    names: ['max_pool2d_with_indices'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4()),
        kernel = poolKernel(v),
        opts = poolOptions(v, false);
      const { output, indices } = cnn.F.max_pool2d_with_indices(x, kernel, opts);
      return firstProblem(
        tensorProblem(cnn, output, genuine(v, x) ? poolShape(x, kernel, opts, false) : null),
        indices.length === output.size ? null : `${indices.length} indices for ${output.size} outputs`,
      );
    },
  },
  {
    name: 'F.adaptive_avg_pool2d',
    names: ['adaptive_avg_pool2d'],
    run: (cnn, v) => {
      // No int32 edges: an output of 8,388,608 × 3 from [3, 3, 4, 5] is valid and takes 30 s and 900 MB.
      const x = v.tensor(v.shape4()),
        size = v.pair(1, 3, false);
      const pair = intPair(size);
      return tensorProblem(
        cnn,
        cnn.F.adaptive_avg_pool2d(x, size),
        genuine(v, x) && pair ? [x.shape[0], x.shape[1], ...pair] : null,
      );
    },
  },
  {
    name: 'F.batch_norm',
    names: ['batch_norm'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4()),
        channels = v.made(x) ? x.shape[1] : 2;
      const stats = () => v.tensor([v.chance(0.9) ? channels : 1 + v.below(5)]);
      const opts = v.options({
        weight: stats,
        bias: stats,
        training: () => v.chance(0.5),
        momentum: () => v.pick([0.1, 0.5, v.hostile()]),
        eps: () => v.pick([1e-5, 0.5, -1, 0]),
      });
      return tensorProblem(cnn, cnn.F.batch_norm(x, stats(), stats(), opts), genuine(v, x) ? x.shape : null);
    },
  },
  {
    name: 'F.relu',
    names: ['relu'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(1 + v.below(4)));
      return tensorProblem(cnn, cnn.F.relu(x), genuine(v, x) ? x.shape : null);
    },
  },
  {
    name: 'F.linear',
    names: ['linear'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(2)),
        features = v.made(x) ? x.shape[1] : 2,
        out = 1 + v.below(3);
      const w = v.tensor([out, v.chance(0.9) ? features : 1 + v.below(4)]),
        b = v.chance(0.5) ? null : v.tensor([v.chance(0.9) ? out : 5]);
      return tensorProblem(cnn, cnn.F.linear(x, w, b), genuine(v, x, w) ? [x.shape[0], out] : null);
    },
  },
  {
    name: 'F.flatten',
    names: ['flatten'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(1 + v.below(4))),
        start = v.int(0, 3);
      return tensorProblem(cnn, cnn.F.flatten(x, start));
    },
  },
  {
    name: 'F.softmax',
    names: ['softmax'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(2));
      return tensorProblem(cnn, cnn.F.softmax(x, v.chance(0.9) ? 1 : v.hostile()), genuine(v, x) ? x.shape : null);
    },
  },
  {
    name: 'F.cross_entropy',
    names: ['cross_entropy'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(2));
      return tensorProblem(
        cnn,
        cnn.F.cross_entropy(x, v.labels(v.made(x) ? x.shape[0] : 2, v.made(x) ? x.shape[1] : 2)),
        [],
      );
    },
  },

  // ---- gradients: the same arguments, upstream gradient first; each gradient has its input's shape ----
  ...['conv2d', 'conv_transpose2d'].map((op) => ({
    name: `grad.${op}`,
    names: [op],
    run: (cnn, v) => {
      const transposed = op === 'conv_transpose2d';
      const { x, w, bias, opts } = convolutionArgs(v, transposed);
      const shape = genuine(v, x, w) ? convShape(x, w, opts, transposed) : null;
      const gy = v.tensor(gradientShape(v, shape));
      const grads = cnn.grad[op](gy, x, w, bias, opts);
      return firstProblem(
        tensorProblem(cnn, grads.input, genuine(v, x) ? x.shape : null),
        tensorProblem(cnn, grads.weight, genuine(v, w) ? w.shape : null),
      );
    },
  })),
  ...['max_pool2d', 'avg_pool2d'].map((op) => ({
    name: `grad.${op}`,
    names: [op],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4()),
        kernel = poolKernel(v),
        opts = poolOptions(v, op === 'avg_pool2d');
      const shape = genuine(v, x) ? poolShape(x, kernel, opts, op === 'avg_pool2d') : null;
      const gy = v.tensor(gradientShape(v, shape));
      return tensorProblem(cnn, cnn.grad[op](gy, x, kernel, opts).input, genuine(v, x) ? x.shape : null);
    },
  })),
  {
    name: 'grad.adaptive_avg_pool2d',
    names: ['adaptive_avg_pool2d'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4()),
        size = v.pair(1, 2, false);
      const gy = v.tensor(
        gradientShape(v, genuine(v, x) && intPair(size) ? [x.shape[0], x.shape[1], ...intPair(size)] : null),
      );
      return tensorProblem(cnn, cnn.grad.adaptive_avg_pool2d(gy, x, size).input, genuine(v, x) ? x.shape : null);
    },
  },
  {
    name: 'grad.batch_norm',
    names: ['batch_norm'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4()),
        channels = v.made(x) ? x.shape[1] : 2;
      const stats = () => v.tensor([v.chance(0.9) ? channels : 3]);
      const gy = v.tensor(genuine(v, x) && v.chance(0.9) ? x.shape : v.shape4());
      const opts = v.options({ weight: stats, bias: stats, training: () => v.chance(0.5) });
      return tensorProblem(
        cnn,
        cnn.grad.batch_norm(gy, x, stats(), stats(), opts).input,
        genuine(v, x) ? x.shape : null,
      );
    },
  },
  {
    name: 'grad.relu',
    names: ['relu'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(1 + v.below(4)));
      const gy = v.tensor(genuine(v, x) && v.chance(0.9) ? x.shape : v.shape(2));
      return tensorProblem(cnn, cnn.grad.relu(gy, x).input, genuine(v, x) ? x.shape : null);
    },
  },
  {
    name: 'grad.linear',
    names: ['linear'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(2)),
        features = v.made(x) ? x.shape[1] : 2,
        out = 1 + v.below(3);
      const w = v.tensor([out, features]),
        gy = v.tensor(genuine(v, x) && v.chance(0.9) ? [x.shape[0], out] : v.shape(2));
      return tensorProblem(
        cnn,
        cnn.grad.linear(gy, x, w, v.chance(0.5) ? null : v.tensor([out])).weight,
        genuine(v, w) ? w.shape : null,
      );
    },
  },
  {
    name: 'grad.cross_entropy',
    names: ['cross_entropy'],
    run: (cnn, v) => {
      const x = v.tensor(v.shape(2));
      return tensorProblem(
        cnn,
        cnn.grad.cross_entropy(
          v.chance(0.9) ? 1 : v.hostile(),
          x,
          v.labels(v.made(x) ? x.shape[0] : 2, v.made(x) ? x.shape[1] : 2),
        ).input,
        genuine(v, x) ? x.shape : null,
      );
    },
  },

  // ---- arithmetic: every function, numbers back ----
  ...[
    ['conv_out_size', (v) => [v.int(1, 9), v.int(1, 3), v.int(1, 2), v.int(0, 2), v.int(1, 2)]],
    ['conv_transpose_out_size', (v) => [v.int(1, 9), v.int(1, 3), v.int(1, 2), v.int(0, 2), v.int(1, 2), v.int(0, 1)]],
    [
      'pool_out_size',
      (v) => [v.int(1, 9), v.int(1, 3, POOL_KERNEL_EDGES), v.int(1, 3), v.int(0, 1), v.int(1, 2), v.chance(0.5)],
    ],
    [
      'conv2d_params',
      (v) => [
        v.int(1, 4),
        v.int(1, 4),
        v.pair(1, 3),
        v.options({ groups: () => v.int(1, 2), bias: () => v.chance(0.5) }),
      ],
    ],
    [
      'conv_transpose2d_params',
      (v) => [
        v.int(1, 4),
        v.int(1, 4),
        v.pair(1, 3),
        v.options({ groups: () => v.int(1, 2), bias: () => v.chance(0.5) }),
      ],
    ],
    ['linear_params', (v) => [v.int(1, 9), v.int(1, 9), v.chance(0.8) ? v.chance(0.5) : v.hostile()]],
    ['linear_macs', (v) => [v.int(1, 4), v.int(1, 9), v.int(1, 9)]],
    ['batch_norm2d_params', (v) => [v.int(1, 9), v.chance(0.8) ? v.chance(0.5) : v.hostile()]],
    ['same_padding', (v) => [v.int(1, 7), v.int(1, 3)]],
    ['flops', (v) => [v.chance(0.7) ? v.below(1e6) : v.hostile()]],
    [
      'conv2d_shape',
      (v) => {
        const { x, w, opts } = convolutionArgs(v, false);
        return [x?.shape ?? x, w?.shape ?? w, opts];
      },
    ],
    [
      'conv_transpose2d_shape',
      (v) => {
        const { x, w, opts } = convolutionArgs(v, true);
        return [x?.shape ?? x, w?.shape ?? w, opts];
      },
    ],
    ['max_pool2d_shape', (v) => [v.shape4(), poolKernel(v), poolOptions(v, false)]],
    ['avg_pool2d_shape', (v) => [v.shape4(), poolKernel(v), poolOptions(v, true)]],
    ['receptive_field', (v) => [rfLayers(v)]],
    ['receptive_field_span', (v) => [rfLayers(v), v.int(0, 3)]],
  ].map(([fn, makeArgs]) => ({
    name: `arithmetic.${fn}`,
    names: [fn],
    run: (cnn, v) => {
      const result = cnn.arithmetic[fn](...makeArgs(v));
      if (typeof result === 'number') return Number.isFinite(result) && result >= 0 ? null : `returned ${result}`;
      return result && typeof result === 'object' ? null : `returned ${typeof result}`;
    },
  })),

  // ---- traces ----
  ...['conv2d', 'conv_transpose2d'].map((op) => ({
    name: `trace.${op}`,
    names: [`trace.${op}`],
    run: (cnn, v) => {
      const { x, w, bias, opts } = convolutionArgs(v, op === 'conv_transpose2d');
      const at = v.options({
        n: () => v.int(0, 1),
        channel: () => v.int(0, 2),
        row: () => v.int(0, 3),
        col: () => v.int(0, 3),
      });
      const { terms, value } = cnn.trace[op](x, w, bias, opts, at);
      return Array.isArray(terms) && typeof value === 'number' ? null : 'returned no terms';
    },
  })),
  ...['max_pool2d', 'avg_pool2d'].map((op) => ({
    name: `trace.${op}`,
    names: [`trace.${op}`],
    run: (cnn, v) => {
      const x = v.tensor(v.shape4());
      const at = v.options({
        n: () => v.int(0, 1),
        channel: () => v.int(0, 2),
        row: () => v.int(0, 3),
        col: () => v.int(0, 3),
      });
      const { terms } = cnn.trace[op](x, traceKernel(v), poolOptions(v, op === 'avg_pool2d'), at);
      return Array.isArray(terms) ? null : 'returned no terms';
    },
  })),

  // ---- layers: construction, then forward and backward on a plausible or hostile input ----
  {
    name: 'nn layer',
    names: [...Object.keys(layerNames), ...Object.values(layerNames)],
    run: (cnn, v) => {
      const layer = makeLayer(cnn, v);
      const x = v.tensor(v.shape4());
      const y = layer.forward(x);
      if (layer instanceof cnn.nn.Identity) return Object.is(y, x) ? null : 'Identity changed its input'; // NaN too
      const problem = tensorProblem(cnn, y, genuine(v, x) ? layer.outputShape(x.shape) : null);
      if (problem || v.chance(0.3)) return problem;
      if (v.chance(0.2)) tamper(cnn, v, { layers: [layer] });
      const gx = layer.backward(
        v.chance(0.9) ? new cnn.Tensor(new Float32Array(y.size).fill(1), y.shape) : v.hostile(),
      );
      return tensorProblem(cnn, gx, genuine(v, x) ? x.shape : null);
    },
  },
  {
    name: 'nn.Sequential.summary',
    names: ['Sequential'],
    run: (cnn, v) => {
      const model = setup(
        () => new cnn.nn.Sequential(...Array.from({ length: 1 + v.below(3) }, () => makeLayer(cnn, v, 1))),
      );
      const { rows } = model.summary(v.chance(0.9) ? [1, 1, 6, 6] : v.hostile());
      return Array.isArray(rows) ? null : 'no rows';
    },
  },

  // ---- Network ----
  {
    name: 'Network',
    names: ['Network'],
    run: (cnn, v) => {
      const model = v.chance(0.9) ? setup(() => networkModel(cnn, v)) : v.hostile();
      if (model instanceof cnn.nn.Sequential && v.chance(0.3)) tamper(cnn, v, model);
      const network = new cnn.Network(
        model,
        v.chance(0.9) ? NETWORK_INPUT : v.hostile(),
        v.options({ capacity: () => v.int(1, 8) }),
      );
      network.dispose();
      return null;
    },
  },
  {
    name: 'Network.trainStep',
    names: ['Network.trainStep'],
    run: (cnn, v) =>
      withNetwork(cnn, v, (network) => {
        const batch = v.int(1, 4);
        const { loss } = network.trainStep(
          images(v, batch),
          v.labels(Number.isInteger(batch) ? Math.min(Math.max(batch, 1), 4) : 1, 3),
          batch,
        );
        return typeof loss === 'number' ? null : 'no loss';
      }),
  },
  {
    name: 'Network.forward',
    names: ['Network.forward', 'Network.activation'],
    run: (cnn, v) =>
      withNetwork(cnn, v, (network) => {
        const batch = v.int(1, 4);
        const y = network.forward(images(v, batch), batch, v.options({ training: () => v.chance(0.5) }));
        return tensorProblem(cnn, y, [Number(batch), ...network.outputShape]);
      }),
  },
  {
    name: 'Network.activation',
    names: ['Network.activation'],
    run: (cnn, v) =>
      withNetwork(cnn, v, (network) => {
        if (v.chance(0.8)) network.forward(v.data(72), 2);
        return tensorProblem(cnn, network.activation(v.int(0, network.layerCount)));
      }),
  },
  {
    name: 'Network.inputGradient',
    names: ['Network.inputGradient'],
    run: (cnn, v) =>
      withNetwork(cnn, v, (network) => {
        const batch = 1 + v.below(3);
        if (v.chance(0.9)) network.forward(v.data(batch * 36), batch);
        const gy = v.chance(0.7) ? v.tensor([batch, ...network.outputShape]) : v.tensor(v.shape(1 + v.below(3)));
        return tensorProblem(cnn, network.inputGradient(gy), genuine(v, gy) ? [batch, ...NETWORK_INPUT] : null);
      }),
  },
  {
    name: 'Network.loadParameters',
    names: ['Network.loadParameters', 'Network.storeParameters'],
    run: (cnn, v) =>
      withNetwork(cnn, v, (network, model) => {
        tamper(cnn, v, model);
        if (v.chance(0.5)) network.loadParameters();
        else network.storeParameters();
        return null;
      }),
  },
  {
    name: 'Network after dispose',
    names: ['Network'],
    run: (cnn, v) => {
      const network = withNetwork(cnn, v, (n) => n);
      v.pick([
        () => network.forward(v.data(36), 1),
        () => network.parameters(),
        () => network.loadParameters(),
        () => network.zeroGrad(),
        () => network.activation(0),
      ])();
      return 'a disposed network answered';
    },
  },

  // ---- optimizers ----
  ...['SGD', 'Adam'].map((kind) => ({
    name: `optim.${kind}`,
    names: [kind],
    run: (cnn, v) =>
      withNetwork(cnn, v, (network) => {
        const optimizer = new cnn.optim[kind](
          v.chance(0.85) ? network : v.hostile(),
          v.options({
            lr: () => v.pick([0.1, 1e-3, v.hostile()]),
            momentum: () => v.pick([0, 0.9]),
            weight_decay: () => v.pick([0, 0.01]),
            betas: () => v.pick([[0.9, 0.99], v.hostile()]),
          }),
        );
        if (v.chance(0.3)) {
          const fields = ['lr', 'steps', 'momentum', 'betas', 'amsgrad', 'state'];
          const field = v.pick(fields);
          if (field === 'state')
            optimizer.state[v.pick(Object.keys(optimizer.state))] = v.chance(0.5)
              ? new Float32Array(v.below(301))
              : v.hostile();
          else optimizer[field] = v.hostile();
        }
        if (v.chance(0.2)) network.dispose();
        optimizer.step();
        return null;
      }),
  })),

  // ---- input preparation ----
  {
    name: 'augment.normalizePixels',
    names: ['normalizePixels'],
    run: (cnn, v) => {
      const pixels = v.chance(0.85) ? Uint8Array.from({ length: v.below(20) }, () => v.below(256)) : v.hostile();
      const out = cnn.augment.normalizePixels(pixels, v.options({ mean: () => 0.5, std: () => v.pick([0.3, 0, -1]) }));
      return out instanceof Float32Array && out.length === pixels.length ? null : 'wrong length';
    },
  },
  {
    name: 'augment.randomShift',
    names: ['randomShift'],
    run: (cnn, v) => {
      const shape = v.chance(0.9) ? v.shape4() : v.hostile();
      const count = Array.isArray(shape)
        ? Math.min(
            shape.reduce((a, b) => a * b, 1),
            4096,
          )
        : 4;
      const out = cnn.augment.randomShift(
        v.chance(0.9) ? v.data(count) : v.hostile(),
        shape,
        v.options({ maxShift: () => v.int(0, 3), fill: () => 0, seed: () => v.int(0, 9) }),
      );
      return out.images.length === count && out.shifts.length === 2 * shape[0] ? null : 'wrong lengths';
    },
  },

  // ---- Tensor and random tensors ----
  {
    name: 'Tensor',
    names: ['Tensor'],
    run: (cnn, v) => {
      const shape = v.chance(0.8) ? v.shape(v.below(4)) : v.hostile();
      const t = v.chance(0.3)
        ? cnn.Tensor.zeros(shape)
        : new cnn.Tensor(
            v.chance(0.8) && Array.isArray(shape) ? v.data(shape.reduce((a, b) => a * b, 1)) : v.hostile(),
            shape,
          );
      const index = () => Array.from({ length: v.below(4) }, () => v.int(-2, 3));
      const results = [
        () => t.at(...index()),
        () => t.index(...index()),
        () => t.item(),
        () => t.reshape(v.chance(0.5) ? [t.size] : v.hostile()),
        () => t.toArray(),
        () => t.toString(),
      ];
      v.pick(results)();
      return tensorProblem(cnn, t);
    },
  },
  ...['randn', 'rand'].map((fn) => ({
    name: fn,
    names: [fn],
    run: (cnn, v) => {
      const shape = v.chance(0.85) ? v.shape(v.below(4)) : v.hostile();
      return tensorProblem(
        cnn,
        cnn[fn](shape, v.chance(0.8) ? v.below(100) : v.hostile()),
        Array.isArray(shape) ? shape : null,
      );
    },
  })),
];

function rfLayers(v) {
  if (v.chance(0.05)) return v.hostile();
  return Array.from({ length: 1 + v.below(3) }, () =>
    v.chance(0.95)
      ? v.options({
          kernel: () => v.int(1, 3),
          stride: () => v.int(1, 2),
          padding: () => v.int(0, 1),
          dilation: () => v.int(1, 2),
        })
      : v.hostile(),
  );
}
