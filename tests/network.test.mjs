// cnn.Network (the model compiled into the core) computes what the JS layers
// compute — whose ops the golden tests tie to PyTorch — and allocates once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from '../web/cnn.js';

const cnn = await load();
const { nn } = cnn;

// Every layer kind the network compiles, with odd sizes and strides.
function makeModel() {
  return new nn.Sequential(
    new nn.Conv2d(2, 6, 3, { stride: 2, padding: 1, seed: 11 }),
    new nn.BatchNorm2d(6),
    new nn.ReLU(),
    new nn.MaxPool2d(3, { stride: 2, padding: 1, ceil_mode: true }),
    new nn.Conv2d(6, 8, [3, 2], { padding: 'same', seed: 12 }),
    new nn.ReLU(),
    new nn.AvgPool2d(2, { count_include_pad: false, padding: 1 }),
    new nn.AdaptiveAvgPool2d([2, 3]),
    new nn.Flatten(),
    new nn.Linear(48, 5, { seed: 13 }),
  );
}
const inputShape = [2, 13, 11];
const batch = 7;
const images = cnn.rand([batch, ...inputShape], 5);
const labels = [0, 1, 2, 3, 4, 0, 2];

function close(actual, expected, what, tolerance = 1e-5) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(1e-6, ...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

describe('Network', () => {
  test('a training step gives the loss, accuracy and gradients of the JS layers', () => {
    const model = makeModel();
    const net = new cnn.Network(model, inputShape, { capacity: 8 });
    model.train();
    model.zeroGrad();
    const logits = model.forward(images);
    const loss = cnn.F.cross_entropy(logits, labels).item();
    model.backward(cnn.grad.cross_entropy(1, logits, labels).input);
    const expectedGrads = Float32Array.from(model.parameters().flatMap((p) => [...p.grad.data]));
    const correct = labels.filter((label, n) => {
      const row = Array.from(logits.index(n).data);
      return row.indexOf(Math.max(...row)) === label;
    }).length;

    const step = net.trainStep(images.data, labels, batch);
    assert.ok(Math.abs(step.loss - loss) <= 1e-6 * Math.abs(loss), `loss ${step.loss} vs ${loss}`);
    assert.equal(step.correct, correct);
    close(net.gradients(), expectedGrads, 'gradients');
    assert.equal(net.parameterCount, model.numParameters());
    net.dispose();
  });

  test('eval forward and activations match the JS layers after training updated batch-norm statistics', () => {
    const model = makeModel();
    const net = new cnn.Network(model, inputShape, { capacity: 8 });
    model.train().forward(images); // one batch-norm update in JS …
    net.trainStep(images.data, labels, batch); // … and the same one in the network
    model.eval();
    const expected = model.forward(images);
    const output = net.forward(images.data, batch);
    assert.deepEqual(output.shape, expected.shape);
    close(output.data, expected.data, 'eval logits');
    const firstConv = net.activation(0);
    assert.deepEqual(firstConv.shape, [batch, 6, 7, 6]);
    close(firstConv.data, model.layers[0].forward(images).data, 'first activation');
    net.dispose();
  });

  test('the input gradient of one output is the JS backward', () => {
    const model = makeModel().eval();
    const net = new cnn.Network(model, inputShape, { capacity: 8 });
    const one = cnn.rand([1, ...inputShape], 9);
    const output = net.forward(one.data, 1);
    const pick = cnn.Tensor.zeros(output.shape);
    pick.data[3] = 1;
    const expected = (model.forward(one), model.backward(pick));
    close(net.inputGradient(pick).data, expected.data, 'input gradient');
    net.dispose();
  });

  test('parameters round-trip between the model and the network', () => {
    const model = makeModel();
    const net = new cnn.Network(model, inputShape, { capacity: 8 });
    const before = net.parameters();
    net.trainStep(images.data, labels, batch);
    assert.deepEqual(net.parameters(), before, 'a step computes gradients and leaves the update to the optimizer');
    const firstWeight = model.parameters()[0].value.data;
    firstWeight[0] = 0.25;
    net.loadParameters();
    assert.equal(net.parameters()[0], 0.25);
    firstWeight[0] = 99;
    net.storeParameters();
    assert.equal(firstWeight[0], 0.25);
    net.dispose();
  });

  test('flat parameters and gradients go in and out without the model: set*, and reads into a given array', () => {
    const net = new cnn.Network(makeModel(), inputShape, { capacity: 8 });
    const count = net.parameterCount;
    const values = Float32Array.from({ length: count }, (_, i) => i / count - 0.5);
    net.setParameters(values);
    assert.deepEqual(net.parameters(), values);
    const out = new Float32Array(count);
    assert.equal(net.parameters(out), out, 'reads into the array given, and returns it');
    assert.deepEqual(out, values);
    net.trainStep(images.data, labels, batch);
    const computed = net.gradients();
    const gradient = values.map((value) => -value);
    net.setGradients(gradient);
    assert.deepEqual(net.gradients(out), gradient, 'the gradient an optimizer step reads');
    const sgd = new cnn.optim.SGD(net, { lr: 0.5 });
    sgd.step();
    assert.deepEqual(
      net.parameters(),
      values.map((value, i) => value - Math.fround(0.5) * gradient[i]),
    );
    net.setParameters(values);
    net.trainStep(images.data, labels, batch);
    assert.deepEqual(net.gradients(), computed, 'a step computes its own gradients again');
    for (const [method, args] of [
      ['setParameters', [new Float32Array(count - 1)]],
      ['setGradients', [Array.from(values)]],
      ['parameters', [new Float32Array(count + 1)]],
      ['gradients', [new Float64Array(count)]],
    ])
      assert.throws(
        () => net[method](...args),
        new RegExp(
          `^RangeError: Network.${method}: (values|out) must be a Float32Array of parameterCount = ${count} values`,
        ),
      );
    net.dispose();
  });

  test('batch-norm running statistics are loaded and stored with the parameters', () => {
    const model = makeModel();
    const net = new cnn.Network(model, inputShape, { capacity: 8 });
    const norm = model.layers[1];
    net.trainStep(images.data, labels, batch);
    net.storeParameters();
    const reference = makeModel();
    reference.train().forward(images);
    close(norm.runningMean.data, reference.layers[1].runningMean.data, 'running mean after a step');
    close(norm.runningVar.data, reference.layers[1].runningVar.data, 'running variance after a step');
    norm.runningMean.data.fill(0);
    net.loadParameters();
    net.storeParameters();
    assert.deepEqual([...norm.runningMean.data], [0, 0, 0, 0, 0, 0]);
    net.dispose();
  });

  test('steps allocate nothing: the heap stays the same size', () => {
    const net = new cnn.Network(makeModel(), inputShape, { capacity: 8 });
    net.trainStep(images.data, labels, batch);
    const heap = cnn.memoryBytes();
    for (let i = 0; i < 200; i++) net.trainStep(images.data, labels, batch);
    assert.equal(cnn.memoryBytes(), heap);
    net.dispose();
    assert.equal(cnn.liveAllocations(), 0);
  });

  test('refuses a layer that does not fit, naming the layer and the rule', () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 5), new nn.MaxPool2d(2), new nn.Conv2d(4, 4, 7));
    assert.throws(() => new cnn.Network(model, [1, 12, 12]), /kernel_h/);
    const tooSmall = new nn.Sequential(new nn.Conv2d(1, 4, 5, { stride: 2 }), new nn.Conv2d(4, 4, 5));
    assert.throws(
      () => new cnn.Network(tooSmall, [1, 9, 9]),
      (error) => error instanceof RangeError && /kernel_h/.test(error.message),
    );
    assert.equal(cnn.liveAllocations(), 0);
  });

  test('refuses a batch over the capacity, and use after dispose', () => {
    const net = new cnn.Network(makeModel(), inputShape, { capacity: 4 });
    assert.throws(() => net.trainStep(images.data, labels, batch), /batch = 7 must be in \[1, 4\]/);
    net.dispose();
    assert.throws(() => net.forward(images.data, 1), /used after dispose/);
  });
});

test("summary's parameter counts are the core's formulas and agree with the tensors", () => {
  const model = new nn.Sequential(
    new nn.Conv2d(4, 6, 3, { groups: 2, bias: false }),
    new nn.BatchNorm2d(6, { affine: false }),
    new nn.ConvTranspose2d(6, 4, [3, 2], { stride: 2, groups: 2 }),
    new nn.BatchNorm2d(4),
    new nn.Flatten(),
    new nn.Linear(4 * 15 * 14, 3),
  );
  const { rows, params } = model.summary([1, 4, 9, 9]);
  // 6·(4/2)·9 = 108; 0; 6·(4/2)·3·2 + 4 = 76; 2·4 = 8; 0; 840·3 + 3 = 2,523
  assert.deepEqual(
    rows.map((row) => row.params),
    [108, 0, 76, 8, 0, 2523],
  );
  assert.deepEqual(rows.at(-2).shape, [1, 840]);
  assert.equal(params, model.numParameters());
  assert.equal(model.countParameters(), model.numParameters());
});
