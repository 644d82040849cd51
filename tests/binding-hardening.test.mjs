// Issue 14's reproducers for the binding, each a test: no public call hands the core a pointer
// or a length the binding did not derive itself (items 2–5), constructors leave nothing behind
// and every argument is checked with the function named (item 9). After each hostile call a
// canary network elsewhere in WASM memory keeps its parameters: a write past a block would show.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { load, Tensor } from '../web/cnn.js';

let cnn, canary, canaryParameters;
before(async () => {
  cnn = await load();
  const { nn } = cnn;
  canary = new cnn.Network(
    new nn.Sequential(new nn.Conv2d(1, 2, 3, { seed: 3 }), new nn.Flatten(), new nn.Linear(8, 2, { seed: 4 })),
    [1, 4, 4],
  );
  canaryParameters = canary.parameters();
});
after(() => canary.dispose());

const untouched = () => assert.deepEqual(canary.parameters(), canaryParameters, 'the canary network is untouched');
// A small model with batch norm over [1, 4, 4] inputs (conv 3×3 → [2, 2, 2], 8 features).
const smallModel = () => {
  const { nn } = cnn;
  return new nn.Sequential(
    new nn.Conv2d(1, 2, 3, { seed: 1 }),
    new nn.BatchNorm2d(2),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(8, 3, { seed: 2 }),
  );
};

describe("item 2: a tensor's shape cannot change under the binding", () => {
  test('x.shape[2] = 4000 is impossible, so conv2d and grad.conv2d see the real shape', () => {
    const x = Tensor.zeros([1, 1, 4, 4]),
      w = cnn.randn([1, 1, 3, 3], 1);
    assert.throws(() => {
      x.shape[2] = 4000;
    }, TypeError);
    assert.throws(() => {
      x.shape = [1, 1, 4000, 4];
    }, TypeError);
    assert.throws(() => {
      x.data = new Float32Array(1);
    }, TypeError);
    assert.deepEqual(x.shape, [1, 1, 4, 4]);
    assert.deepEqual(cnn.F.conv2d(x, w).shape, [1, 1, 2, 2]);
    assert.deepEqual(cnn.grad.conv2d(Tensor.zeros([1, 1, 2, 2]), x, w).input.shape, [1, 1, 4, 4]);
    untouched();
  });

  test('a Proxy whose shape grows after the first read is read once', () => {
    const real = new Tensor(new Float32Array(16).fill(1), [1, 1, 4, 4]);
    let reads = 0;
    const proxy = new Proxy(real, {
      get: (target, key) => (key === 'shape' && reads++ > 0 ? [1, 1, 4000, 4] : target[key]),
    });
    const y = cnn.F.conv2d(proxy, Tensor.zeros([1, 1, 3, 3]));
    assert.deepEqual(y.shape, [1, 1, 2, 2]);
    untouched();
  });

  test('data whose buffer was transferred away, or is resizable, cannot be read past its end', () => {
    const x = cnn.randn([1, 1, 4, 4], 2);
    structuredClone(x.data.buffer, { transfer: [x.data.buffer] });
    assert.throws(() => cnn.F.conv2d(x, Tensor.zeros([1, 1, 3, 3])), {
      name: 'RangeError',
      message: /^conv2d: input data has 0 elements but shape \[1, 1, 4, 4\] needs 16/,
    });
    const buffer = new ArrayBuffer(64, { maxByteLength: 4096 });
    const resizable = new Tensor(new Float32Array(buffer), [1, 1, 4, 4]);
    buffer.resize(4);
    assert.equal(resizable.data.length, 16, 'the tensor keeps a fixed-length copy');
    assert.deepEqual(cnn.F.conv2d(resizable, Tensor.zeros([1, 1, 3, 3])).shape, [1, 1, 2, 2]);
    untouched();
  });

  test("a layer's gradient buffer of the wrong length is refused, not written past", () => {
    const conv = new cnn.nn.Conv2d(1, 1, 3);
    const x = cnn.randn([1, 1, 4, 4], 3);
    conv.forward(x);
    conv.params[0].grad = Tensor.zeros([1]);
    assert.throws(() => conv.backward(Tensor.zeros([1, 1, 2, 2])), {
      name: 'RangeError',
      message: 'conv2d: the weight gradient must be a Float32Array of 9 values, got Float32Array of 1',
    });
    assert.equal(cnn.liveAllocations(), 1, 'only the canary is allocated');
    untouched();
  });
});

describe('item 3: optimizers only over a Network', () => {
  test('the raw-pointer form is refused and a Network hands out no address', () => {
    for (const Optimizer of [cnn.optim.SGD, cnn.optim.Adam]) {
      assert.throws(
        () => new Optimizer({ parametersPointer: 1024, gradientsPointer: 1024, parameterCount: 200000 }, { lr: 1 }),
        { name: 'TypeError', message: /^(SGD|Adam): parameters must be a cnn\.Network, got Object$/ },
      );
    }
    assert.equal(canary.parametersPointer, undefined);
    assert.equal(canary.gradientsPointer, undefined);
    untouched();
  });

  test('no property reachable from the API, a layer, a network or an optimizer holds the core (its raw calls take any pointer)', () => {
    const seen = new Set();
    const visit = (value, path, depth) => {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 5)
        return;
      seen.add(value);
      assert.ok(!('scoped' in value) && !('lastError' in value), `${path} is the core`);
      for (const key of Reflect.ownKeys(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if ('value' in descriptor) visit(descriptor.value, `${path}.${String(key)}`, depth + 1);
      }
    };
    visit(cnn, 'cnn', 0);
    visit(smallModel(), 'model', 0);
    visit(canary, 'network', 0);
    visit(new cnn.optim.SGD(canary, { lr: 0 }), 'optimizer', 0);
    assert.ok(seen.size > 100, `visited ${seen.size} objects`);
  });

  test('state replaced by the caller is checked at every step', () => {
    const network = new cnn.Network(smallModel(), [1, 4, 4]);
    const sgd = new cnn.optim.SGD(network, { lr: 0.1, momentum: 0.9 });
    sgd.state.momentum_buffer = new Float32Array(1);
    assert.throws(() => sgd.step(), {
      name: 'RangeError',
      message: /^SGD\.step: state\.momentum_buffer must be a Float32Array of 51 values/,
    });
    const adam = new cnn.optim.Adam(network);
    adam.lr = 'fast';
    assert.throws(() => adam.step(), { name: 'TypeError', message: /^Adam\.step: lr must be a number/ });
    network.dispose();
    assert.throws(() => sgd.step(), { name: 'Error', message: 'SGD.step: Network: used after dispose()' });
    untouched();
  });
});

describe('item 4: Network.loadParameters bounds every write', () => {
  test('running statistics of the wrong length are refused by name', () => {
    const model = smallModel();
    const network = new cnn.Network(model, [1, 4, 4]);
    model.layers[1].runningMean = Tensor.zeros([4000]);
    assert.throws(() => network.loadParameters(), {
      name: 'RangeError',
      message: 'Network.loadParameters: layer 1 (BatchNorm2d) running_mean must hold 2 values, got 4000',
    });
    model.layers[1].runningMean = Tensor.zeros([2]);
    model.layers[1].numFeatures = 4000;
    network.loadParameters(); // the network keeps the channels it was compiled with
    model.layers[0].params[0].value = Tensor.zeros([40]);
    assert.throws(() => network.loadParameters(), {
      name: 'RangeError',
      message: 'Network.loadParameters: layer 0 (Conv2d) weight must hold 18 values, got 40',
    });
    network.dispose();
    untouched();
  });

  test('a BatchNorm2d or Linear that does not fit its input is refused at construction, naming the layer', () => {
    const { nn } = cnn;
    assert.throws(() => new cnn.Network(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(8)), [1, 4, 4]), {
      name: 'RangeError',
      message: "Network: layer 1 (BatchNorm2d): num_features = 8 must equal its input's channels 2",
    });
    assert.throws(() => new cnn.Network(new nn.Sequential(new nn.Flatten(), new nn.Linear(10, 2)), [1, 4, 4]), {
      name: 'RangeError',
      message: "Network: layer 1 (Linear): in_features = 10 must equal its input's 16 features",
    });
    assert.equal(cnn.liveAllocations(), 1);
  });

  test('a layer whose params is not an array is refused at construction, naming the layer (fuzz, seed 14)', () => {
    const { nn } = cnn;
    for (const [index, layer] of [
      [0, new nn.Conv2d(1, 2, 3)],
      [1, new nn.BatchNorm2d(2)],
      [3, new nn.Linear(8, 2)],
    ]) {
      const layers = [new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.Flatten(), new nn.Linear(8, 2)];
      layers[index] = layer;
      for (const params of [null, undefined, 7]) {
        layer.params = params;
        assert.throws(() => new cnn.Network(new nn.Sequential(...layers), [1, 4, 4]), {
          name: 'TypeError',
          message: new RegExp(
            `^Network: layer ${index} \\(${layer.name}\\): the layer: parameters\\(\\) must be an array`,
          ),
        });
      }
    }
    assert.equal(cnn.liveAllocations(), 1);
    untouched();
  });
});

describe('an output past one block of WASM memory is refused by the op', () => {
  test('adaptive_avg_pool2d, functional and as a layer, names itself (fuzz, seed 14, edges: call 14524)', () => {
    const { nn, F } = cnn;
    const x = new Tensor(new Float32Array(4), [1, 1, 2, 2]);
    const message =
      /^adaptive_avg_pool2d: the output \[1,1,67108864,67108864\] would have 4503599627370496 elements, more than/;
    assert.throws(() => F.adaptive_avg_pool2d(x, [2 ** 26, 2 ** 26]), { name: 'RangeError', message });
    assert.throws(() => new nn.AdaptiveAvgPool2d([2 ** 26, 2 ** 26]).forward(x), { name: 'RangeError', message });
    assert.equal(cnn.liveAllocations(), 1);
    untouched();
  });
});

describe('item 5: Network.inputGradient validates grad_output', () => {
  test('a 1-float grad_output, a non-tensor, or no forward first are refused', () => {
    const network = new cnn.Network(smallModel(), [1, 4, 4]);
    assert.throws(() => network.inputGradient(Tensor.zeros([1, 3])), {
      name: 'Error',
      message: 'Network.inputGradient: call forward(images, batch) first',
    });
    network.forward(new Float32Array(16), 1);
    assert.throws(() => network.inputGradient({ shape: [1, 3], data: new Float32Array(1) }), {
      name: 'RangeError',
      message: 'Network.inputGradient: grad_output data has 1 elements but shape [1, 3] needs 3',
    });
    assert.throws(() => network.inputGradient(null), {
      name: 'TypeError',
      message: /^Network\.inputGradient: grad_output must be a Tensor/,
    });
    assert.throws(() => network.inputGradient(Tensor.zeros([1, 4])), {
      name: 'RangeError',
      message: 'Network.inputGradient: grad_output must have shape [1,3], got [1,4]',
    });
    assert.deepEqual(network.inputGradient(Tensor.zeros([1, 3])).shape, [1, 1, 4, 4]);
    network.dispose();
    untouched();
  });
});

describe('item 9: no leak when a constructor throws; every argument checked, the function named', () => {
  test('the Network constructor frees its compiled network when loading the parameters throws', () => {
    const model = smallModel();
    model.layers[1].runningVar = Tensor.zeros([1]);
    const live = cnn.liveAllocations(),
      memory = cnn.memoryBytes();
    for (let i = 0; i < 200; i++)
      assert.throws(() => new cnn.Network(model, [1, 4, 4]), { message: /running_var must hold 2 values, got 1/ });
    assert.equal(cnn.liveAllocations(), live);
    assert.equal(cnn.memoryBytes(), memory, 'the heap did not grow');
  });

  test('flops takes a whole number of MACs', () => {
    assert.throws(() => cnn.arithmetic.flops(undefined), {
      name: 'TypeError',
      message: 'flops: macs must be a number, got undefined',
    });
    assert.throws(() => cnn.arithmetic.flops('3'), {
      name: 'TypeError',
      message: "flops: macs must be a number, got '3'",
    });
    assert.throws(() => cnn.arithmetic.flops(-5), {
      name: 'RangeError',
      message: 'flops: macs must be a whole number at least 0, got -5',
    });
    assert.equal(cnn.arithmetic.flops(5), 10);
  });

  test('errors from inside name the function called, never an internal op or the engine', () => {
    const cases = [
      [() => cnn.arithmetic.conv_out_size(-4, 3), /^conv_out_size: /],
      [() => cnn.arithmetic.same_padding(0), /^same_padding: /],
      [() => cnn.trace.conv2d(cnn.randn([1, 1, 3, 3]), cnn.randn([1, 1, 5, 5]), null, {}, {}), /^trace\.conv2d: /],
      [() => cnn.F.max_pool2d_with_indices(cnn.randn([1, 1, 3, 3]), 9), /^max_pool2d_with_indices: /],
      [
        () => cnn.F.batch_norm(cnn.randn([2, 1, 2, 2]), Tensor.zeros([1]), Tensor.zeros([1]), { momentum: 2 }),
        /^batch_norm: /,
      ],
      [
        () => cnn.F.conv2d({ shape: [1, 1, 2, 2], data: new Float32Array(3) }, cnn.randn([1, 1, 1, 1])),
        /^conv2d: input data has 3 elements/,
      ],
      [() => new cnn.nn.Conv2d(3, 4, 3, { groups: 2 }), /^Conv2d: /],
      [
        () => new cnn.nn.Sequential(new cnn.nn.Conv2d(1, 1, 3)).summary(undefined),
        /^Sequential\.summary: input_shape must be an array/,
      ],
      [() => cnn.augment.normalizePixels(new Uint8Array(2), { std: 0 }), /^normalizePixels: /],
      [
        () => cnn.F.flatten(cnn.randn([2, 2]), Symbol('x')),
        /^flatten: start_dim must be an integer in \[0, 2\), got a symbol$/,
      ],
      [() => Tensor.zeros([2]).at(Symbol('x')), /^Tensor: index 0 must be a number/],
      [() => cnn.randn([2], 'seed'), /^randn: seed must be a number/],
      [() => new cnn.Network(smallModel(), 'shape'), /^Network: input_shape must be \[C, H, W\]/],
      [() => canary.trainStep(new Float32Array(16), undefined, 1), /^Network\.trainStep: labels must be an array/],
      [
        () => canary.trainStep(new Float32Array(16), [99], 1),
        /^Network\.trainStep: cross_entropy: target\[0\] = 99 must be a class index in \[0, 2\)/,
      ],
      [() => new cnn.nn.ReLU().train('yes'), /^ReLU\.train: mode must be true or false/],
      [() => new cnn.nn.BatchNorm2d(2, { eps: '1e-5' }), /^BatchNorm2d: eps must be a number/],
    ];
    for (const [call, pattern] of cases)
      assert.throws(call, (error) => {
        assert.ok(
          error instanceof TypeError || error instanceof RangeError,
          `${error.constructor.name}: ${error.message}`,
        );
        assert.match(error.message, pattern);
        return true;
      });
    assert.equal(cnn.liveAllocations(), 1);
    untouched();
  });
});

describe('item 14: a layer or tensor too large for WASM memory is refused by name before JS allocates it', () => {
  // The bytes JS holds in ArrayBuffers around a call: a refusal after allocating would show here.
  const allocatedBy = (call) => {
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(call, (error) => {
      assert.equal(error.name, 'RangeError');
      allocatedBy.message = error.message;
      return true;
    });
    return process.memoryUsage().arrayBuffers - before;
  };
  const MB = 2 ** 20;

  test('nn.Linear: a weight past one WASM block (2^29 − 1 floats) names the function, the arguments and the rule', () => {
    assert.ok(allocatedBy(() => new cnn.nn.Linear(32768, 32768)) < MB);
    assert.equal(
      allocatedBy.message,
      'Linear: the weight [out_features, in_features] = [32768, 32768] would have ' +
        '1073741824 elements, more than the 536870911 floats (2 GiB) one block of WASM memory holds',
    );
    assert.ok(allocatedBy(() => new cnn.nn.Linear(2 ** 31 - 1, 2 ** 31 - 1, { bias: false })) < MB);
    assert.match(
      allocatedBy.message,
      /^Linear: the weight \[out_features, in_features\] = \[2147483647, 2147483647\] would have 4\.61e\+18 elements/,
    );
  });

  test("nn.Conv2d and nn.ConvTranspose2d: the same rule past the block, the core's element limit past 2^31 − 1", () => {
    assert.ok(allocatedBy(() => new cnn.nn.Conv2d(1024, 1024, 23)) < MB);
    assert.match(
      allocatedBy.message,
      /^Conv2d: the weight \[1024, 1024, 23, 23\] would have 554696704 elements, more than the 536870911 floats/,
    );
    assert.ok(allocatedBy(() => new cnn.nn.ConvTranspose2d(2048, 1024, 23, { groups: 2 })) < MB);
    assert.match(
      allocatedBy.message,
      /^ConvTranspose2d: the weight \[2048, 512, 23, 23\] would have 554696704 elements, more than the 536870911 floats/,
    );
    assert.ok(allocatedBy(() => new cnn.nn.Conv2d(4096, 4096, 200)) < MB);
    assert.match(
      allocatedBy.message,
      /^Conv2d: conv2d params: weight would have 4096·4096·200·200 elements, more than the limit of 2\^31 - 1$/,
    );
  });

  test('nn.BatchNorm2d: the core refuses more channels than its block limit, with or without affine', () => {
    for (const affine of [true, false]) {
      assert.ok(allocatedBy(() => new cnn.nn.BatchNorm2d(2 ** 27, { affine })) < MB);
      assert.match(
        allocatedBy.message,
        /^BatchNorm2d: batch_norm2d params: channels = 134217728 must be at most 2\^26/,
      );
    }
  });

  test("randn and rand: the core's block is asked for first, and the error names the function", () => {
    assert.ok(allocatedBy(() => cnn.randn([2 ** 30])) < MB);
    assert.equal(
      allocatedBy.message,
      'randn: cnn: out of memory: the output needs 4294967296 bytes, more than the 2 GiB the module can hold',
    );
    assert.ok(allocatedBy(() => cnn.rand([2 ** 15, 2 ** 15])) < MB);
    assert.match(allocatedBy.message, /^rand: cnn: out of memory/);
    assert.equal(cnn.liveAllocations(), 1);
    untouched();
  });
});
