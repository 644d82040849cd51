// The binding's contract beyond numerics: bad input is refused with an Error
// that names the op, the argument and the rule, the module keeps working
// afterwards, memory is freed, and the heap may grow.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load, simdSupported, Tensor } from '../web/cnn.js';

const builds = [true, false];

// Each case: [what, call(cnn), expected error class, text the message must contain].
const x4 = (cnn, shape = [1, 2, 5, 5]) => cnn.randn(shape, 3);
const badCalls = [
  [
    'conv2d: kernel larger than the padded input',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 7, 7])),
    RangeError,
    'kernel_h',
  ],
  [
    'conv2d: stride 0',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { stride: 0 }),
    RangeError,
    'stride_h must be at least 1',
  ],
  [
    'conv2d: negative padding',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { padding: -1 }),
    RangeError,
    'pad_top must be at least 0',
  ],
  [
    'conv2d: non-integer stride',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { stride: 1.5 }),
    RangeError,
    'stride must be an integer',
  ],
  [
    'conv2d: NaN dilation',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { dilation: NaN }),
    RangeError,
    'dilation must be an integer',
  ],
  [
    'conv2d: string stride',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { stride: '2' }),
    TypeError,
    'stride must be an integer',
  ],
  [
    'conv2d: channels not divisible by groups',
    (c) => c.F.conv2d(c.randn([1, 3, 5, 5]), c.randn([2, 1, 3, 3]), null, { groups: 2 }),
    RangeError,
    'groups',
  ],
  ['conv2d: weight channels mismatch', (c) => c.F.conv2d(x4(c), c.randn([4, 3, 3, 3])), RangeError, 'weight.shape[1]'],
  [
    'conv2d: wrong bias length',
    (c) => c.F.conv2d(x4(c), c.randn([4, 2, 3, 3]), c.randn([3])),
    RangeError,
    'bias must have 4 elements',
  ],
  [
    'conv2d: same padding with stride 2',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { padding: 'same', stride: 2 }),
    RangeError,
    "padding='same' needs stride 1",
  ],
  [
    'conv2d: unknown padding string',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { padding: 'full' }),
    RangeError,
    "'full'",
  ],
  [
    'conv2d: unknown option',
    (c) => c.F.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, { dilations: 2 }),
    TypeError,
    "unknown option 'dilations'",
  ],
  [
    'conv2d: input not 4-D',
    (c) => c.F.conv2d(c.randn([2, 5, 5]), c.randn([1, 2, 3, 3])),
    RangeError,
    'input must be 4-D',
  ],
  [
    'conv2d: input not a tensor',
    (c) => c.F.conv2d([1, 2, 3], c.randn([1, 2, 3, 3])),
    TypeError,
    'input must be a Tensor',
  ],
  [
    'conv2d: data length mismatch',
    (c) => c.F.conv2d({ shape: [1, 2, 5, 5], data: new Float32Array(10) }, c.randn([1, 2, 3, 3])),
    RangeError,
    'data has 10 elements',
  ],
  [
    'conv2d: zero-size input',
    (c) => c.F.conv2d({ shape: [1, 2, 0, 5], data: new Float32Array(0) }, c.randn([1, 2, 3, 3])),
    RangeError,
    'input.shape[2] must be at least 1',
  ],
  [
    'conv2d: element count overflows int32',
    (c) => c.arithmetic.conv2d_shape([65536, 1, 65536, 2], [1, 1, 1, 1]),
    RangeError,
    'more than the limit',
  ],
  [
    'conv_transpose2d: output_padding not below stride or dilation',
    (c) => c.F.conv_transpose2d(x4(c), c.randn([2, 1, 3, 3]), null, { stride: 2, output_padding: 2 }),
    RangeError,
    'output_padding_h = 2 must be smaller than stride',
  ],
  [
    'conv_transpose2d: output smaller than 1',
    (c) => c.F.conv_transpose2d(c.randn([1, 1, 1, 1]), c.randn([1, 1, 1, 1]), null, { padding: 1 }),
    RangeError,
    'is less than 1',
  ],
  [
    'max_pool2d: padding over half the kernel',
    (c) => c.F.max_pool2d(x4(c), 2, { padding: 2 }),
    RangeError,
    'padding_h = 2 must be at most half the kernel size',
  ],
  [
    'max_pool2d: window that holds only padding',
    (c) => c.F.max_pool2d(c.randn([1, 1, 2, 8]), [2, 1], { stride: 1, padding: [1, 0], dilation: [3, 1] }),
    RangeError,
    'holds no input cell',
  ],
  ['max_pool2d: kernel larger than input', (c) => c.F.max_pool2d(x4(c), 9), RangeError, 'kernel_h'],
  [
    'avg_pool2d: dilation is not an option',
    (c) => c.F.avg_pool2d(x4(c), 2, { dilation: 2 }),
    TypeError,
    "unknown option 'dilation'",
  ],
  [
    'avg_pool2d: ceil_mode not boolean',
    (c) => c.F.avg_pool2d(x4(c), 2, { ceil_mode: 1 }),
    TypeError,
    'ceil_mode must be true or false',
  ],
  [
    'adaptive_avg_pool2d: output size 0',
    (c) => c.F.adaptive_avg_pool2d(x4(c), 0),
    RangeError,
    'output_size height must be at least 1',
  ],
  [
    'batch_norm: running stats of the wrong length',
    (c) => c.F.batch_norm(x4(c), Tensor.zeros([3]), Tensor.zeros([2])),
    RangeError,
    'running_mean must have 2 elements',
  ],
  [
    'batch_norm: negative eps',
    (c) => c.F.batch_norm(x4(c), Tensor.zeros([2]), Tensor.zeros([2]), { eps: -1 }),
    RangeError,
    'eps must be positive',
  ],
  [
    'batch_norm: training on one value per channel',
    (c) => c.F.batch_norm(c.randn([1, 2, 1, 1]), Tensor.zeros([2]), Tensor.zeros([2]), { training: true }),
    RangeError,
    'more than 1 value per channel',
  ],
  [
    'linear: in_features mismatch',
    (c) => c.F.linear(c.randn([2, 3]), c.randn([4, 5])),
    RangeError,
    'weight.shape[1] = 5 must equal in_features 3',
  ],
  [
    'cross_entropy: target out of range',
    (c) => c.F.cross_entropy(c.randn([2, 3]), [0, 3]),
    RangeError,
    'target[1] = 3 must be a class index in [0, 3)',
  ],
  [
    'cross_entropy: target count mismatch',
    (c) => c.F.cross_entropy(c.randn([2, 3]), [0]),
    RangeError,
    'target has 1 entries but input has batch 2',
  ],
  [
    'cross_entropy: non-integer target',
    (c) => c.F.cross_entropy(c.randn([2, 3]), [0, 1.5]),
    RangeError,
    'target[1] must be an integer',
  ],
  [
    'grad.conv2d: grad_output of the wrong shape',
    (c) => c.grad.conv2d(c.randn([1, 1, 2, 2]), x4(c), c.randn([1, 2, 3, 3])),
    RangeError,
    'grad_output shape',
  ],
  [
    'trace.conv2d: row outside the output',
    (c) => c.trace.conv2d(x4(c), c.randn([1, 2, 3, 3]), null, {}, { channel: 0, row: 3, col: 0 }),
    RangeError,
    'row = 3 must be in [0, 3)',
  ],
  [
    'trace.max_pool2d: channel outside the input',
    (c) => c.trace.max_pool2d(x4(c), 2, {}, { channel: 5, row: 0, col: 0 }),
    RangeError,
    'channel = 5 must be in [0, 2)',
  ],
  [
    'arithmetic.conv_out_size: negative size',
    (c) => c.arithmetic.conv_out_size(-4, 3),
    RangeError,
    'in_height must be at least 1',
  ],
  [
    'arithmetic.receptive_field: stride 0',
    (c) => c.arithmetic.receptive_field([{ kernel: 3, stride: 0 }]),
    RangeError,
    'layer 1',
  ],
  [
    'arithmetic.conv2d_params: groups not dividing channels',
    (c) => c.arithmetic.conv2d_params(3, 64, 3, { groups: 2 }),
    RangeError,
    'divisible by groups',
  ],
  [
    'nn.Conv2d: channels not divisible by groups',
    (c) => new c.nn.Conv2d(3, 4, 3, { groups: 2 }),
    RangeError,
    'divisible by groups',
  ],
  ['nn.Sequential: argument not a layer', (c) => new c.nn.Sequential({}), TypeError, 'argument 0 is not a layer'],
  ['Tensor: negative size', () => Tensor.zeros([2, -1]), RangeError, 'shape[1] must be a non-negative integer'],
  [
    'out of memory: a 6.4 GB output',
    (c) => c.F.conv2d(c.randn([1, 1, 1, 1]), c.randn([1, 1, 1, 1]), null, { padding: [20000, 20000] }),
    RangeError,
    'out of memory',
  ],
  // The 1.2 GB output fits; the 2.3 GB im2col scratch the core then asks for does not.
  [
    'out of memory in the core: 1.2 GB output, 2.3 GB scratch',
    (c) => c.F.conv2d(c.randn([1, 2, 1, 1]), c.randn([1, 2, 1, 1]), null, { padding: [8500, 8500] }),
    RangeError,
    'conv2d: out of memory',
  ],
];

describe('memory', () => {
  test('thousands of calls leave nothing allocated and do not grow the heap', async () => {
    const cnn = await load();
    const x = cnn.randn([2, 3, 16, 16], 1),
      w = cnn.randn([8, 3, 3, 3], 2);
    const once = () => {
      const y = cnn.F.conv2d(x, w, null, { padding: 1 });
      cnn.grad.conv2d(y, x, w, null, { padding: 1 });
      cnn.F.max_pool2d(y, 2);
    };
    once();
    const heapAfterWarmup = cnn.memoryBytes();
    for (let i = 0; i < 2000; i++) once();
    assert.equal(cnn.liveAllocations(), 0);
    assert.equal(cnn.memoryBytes(), heapAfterWarmup);
  });

  test('the heap grows for a large tensor and results stay correct afterwards', async () => {
    const cnn = await load({ simd: false });
    const before = cnn.memoryBytes();
    const rows = Math.ceil(before / 4 / 1024) + 256; // more floats than the heap holds now
    const big = Tensor.zeros([1, 1, rows, 1024]);
    big.data[big.size - 1] = 5;
    const pooled = cnn.F.max_pool2d(big, 2);
    assert.ok(cnn.memoryBytes() > before, 'memory grew');
    assert.equal(pooled.data[pooled.size - 1], 5);
    assert.deepEqual([...cnn.F.relu(new Tensor([-1, 2], [2])).data], [0, 2]);
  });
});

for (const simd of builds) {
  describe(`bad input (${simd ? 'SIMD' : 'scalar'} build)`, () => {
    for (const [what, call, errorClass, text] of badCalls) {
      test(what, async () => {
        const cnn = await load({ simd });
        assert.throws(
          () => call(cnn),
          (error) => {
            assert.equal(error.constructor, errorClass, `${error.constructor.name}: ${error.message}`);
            assert.ok(error.message.includes(text), `message "${error.message}" lacks "${text}"`);
            return true;
          },
        );
        assert.equal(cnn.liveAllocations(), 0, 'every block is freed after the error');
        // The module still works: the seed's 2×2 max pool.
        const map = new Tensor(
          Float32Array.from({ length: 16 }, (_, i) => i + 1),
          [1, 1, 4, 4],
        );
        assert.deepEqual([...cnn.F.max_pool2d(map, 2).data], [6, 8, 14, 16]);
      });
    }
  });
}

describe('loading', () => {
  test('one instance per variant is shared by every caller', async () => {
    const [a, b] = await Promise.all([load({ simd: false }), load({ simd: false })]);
    assert.equal(a, b);
    assert.equal(a.simd, false);
  });

  test('SIMD is detected in this Node and the SIMD build is the default', async () => {
    assert.equal(simdSupported(), true);
    assert.equal((await load()).simd, true);
  });
});
