// The fixed table of benchmark rows (issue 3). Shapes are PyTorch's: input
// [N, C, H, W], conv weight [OC, C/groups, KH, KW], transposed weight
// [C, OC/groups, KH, KW]; options as torch.nn.functional takes them.
// `samples` is the number of timed samples per engine (fewer on big rows).
//
// Kinds:
//   conv2d              y = conv2d(x, w)                           (no bias)
//   conv2d_grad_input   dx = ∂/∂x of conv2d, given dy               (MACs as forward)
//   conv2d_grad_weight  dw = ∂/∂w of conv2d, given dy and x         (MACs as forward)
//   conv2d_backward     dw + db (+ dx when `input_grad`), with bias (MACs × 1 or × 2)
//   conv_transpose2d    y = conv_transpose2d(x, w)                 (no bias)
//   max_pool2d / avg_pool2d / global_avg_pool
//   memcpy              a copy of `bytes` (the pooling rows' input)
//   train_step          one step of the training lab's default model (train-step.mjs)

const POOL_INPUT = [1, 64, 112, 112];

export const ROWS = [
  {
    id: 'conv-64-64-3x3-56',
    label: 'conv 64→64 3×3 p1 56²',
    kind: 'conv2d',
    input: [1, 64, 56, 56],
    weight: [64, 64, 3, 3],
    options: { padding: 1 },
    samples: 15,
  },
  {
    id: 'conv-3-64-3x3-224',
    label: 'conv 3→64 3×3 p1 224²',
    kind: 'conv2d',
    input: [1, 3, 224, 224],
    weight: [64, 3, 3, 3],
    options: { padding: 1 },
    samples: 11,
  },
  {
    id: 'mnist-conv1',
    label: 'MNIST conv1 1→8 5×5 p2 28² b64',
    kind: 'conv2d',
    input: [64, 1, 28, 28],
    weight: [8, 1, 5, 5],
    options: { padding: 2 },
    samples: 15,
  },
  {
    id: 'mnist-conv2',
    label: 'MNIST conv2 8→16 5×5 p2 14² b64',
    kind: 'conv2d',
    input: [64, 8, 14, 14],
    weight: [16, 8, 5, 5],
    options: { padding: 2 },
    samples: 15,
  },
  {
    id: 'depthwise-128-3x3-56',
    label: 'depthwise 3×3 128ch p1 56²',
    kind: 'conv2d',
    input: [1, 128, 56, 56],
    weight: [128, 1, 3, 3],
    options: { padding: 1, groups: 128 },
    samples: 15,
  },
  {
    id: 'grad-input-64-64-3x3-56',
    label: 'conv grad-input 64→64 3×3 56²',
    kind: 'conv2d_grad_input',
    input: [1, 64, 56, 56],
    weight: [64, 64, 3, 3],
    options: { padding: 1 },
    samples: 11,
  },
  {
    id: 'grad-weight-64-64-3x3-56',
    label: 'conv grad-weight 64→64 3×3 56²',
    kind: 'conv2d_grad_weight',
    input: [1, 64, 56, 56],
    weight: [64, 64, 3, 3],
    options: { padding: 1 },
    samples: 11,
  },
  {
    id: 'conv-64-128-3x3-s2-56',
    label: 'conv 64→128 3×3 s2 p1 56²',
    kind: 'conv2d',
    input: [1, 64, 56, 56],
    weight: [128, 64, 3, 3],
    options: { stride: 2, padding: 1 },
    samples: 15,
  },
  {
    id: 'conv-3-64-7x7-s2-224',
    label: 'conv 3→64 7×7 s2 p3 224²',
    kind: 'conv2d',
    input: [1, 3, 224, 224],
    weight: [64, 3, 7, 7],
    options: { stride: 2, padding: 3 },
    samples: 11,
  },
  {
    id: 'conv-64-64-1x1-56',
    label: 'conv 1×1 64→64 56²',
    kind: 'conv2d',
    input: [1, 64, 56, 56],
    weight: [64, 64, 1, 1],
    options: {},
    samples: 15,
  },
  {
    id: 'dilated-64-64-3x3-d2-56',
    label: 'dilated 3×3 d2 p2 64→64 56²',
    kind: 'conv2d',
    input: [1, 64, 56, 56],
    weight: [64, 64, 3, 3],
    options: { padding: 2, dilation: 2 },
    samples: 11,
  },
  {
    id: 'conv-transpose-64-3-s2-32',
    label: 'conv_transpose 64→3 3×3 s2 32²→64²',
    kind: 'conv_transpose2d',
    input: [1, 64, 32, 32],
    weight: [64, 3, 3, 3],
    options: { stride: 2, padding: 1, output_padding: 1 },
    samples: 15,
  },
  {
    id: 'max-pool-3x3-s2-112',
    label: 'max pool 3×3 s2 p1 64×112²',
    kind: 'max_pool2d',
    input: POOL_INPUT,
    kernel: 3,
    options: { stride: 2, padding: 1 },
    samples: 21,
  },
  {
    id: 'avg-pool-2x2-s2-112',
    label: 'avg pool 2×2 s2 64×112²',
    kind: 'avg_pool2d',
    input: POOL_INPUT,
    kernel: 2,
    options: { stride: 2 },
    samples: 21,
  },
  {
    id: 'global-avg-pool-512-7',
    label: 'global avg pool 512×7²',
    kind: 'global_avg_pool',
    input: [1, 512, 7, 7],
    samples: 21,
  },
  {
    id: 'memcpy-pool-input',
    label: 'memcpy of the pool input (3.2 MB)',
    kind: 'memcpy',
    bytes: POOL_INPUT.reduce((a, b) => a * b) * 4,
    samples: 21,
  },
  {
    id: 'mnist-conv1-backward',
    label: 'MNIST conv1 backward dW+db b64',
    kind: 'conv2d_backward',
    input: [64, 1, 28, 28],
    weight: [8, 1, 5, 5],
    options: { padding: 2 },
    input_grad: false,
    samples: 15,
  },
  {
    id: 'mnist-conv2-backward',
    label: 'MNIST conv2 backward dX+dW+db b64',
    kind: 'conv2d_backward',
    input: [64, 8, 14, 14],
    weight: [16, 8, 5, 5],
    options: { padding: 2 },
    input_grad: true,
    samples: 15,
  },
  {
    id: 'mnist-conv2-grad-input',
    label: 'MNIST conv2 grad-input b64',
    kind: 'conv2d_grad_input',
    input: [64, 8, 14, 14],
    weight: [16, 8, 5, 5],
    options: { padding: 2 },
    samples: 15,
  },
  {
    id: 'mnist-train-step',
    label: 'MNIST training step b64 (lab default)',
    kind: 'train_step',
    batch: 64,
    samples: 11,
  },
];
