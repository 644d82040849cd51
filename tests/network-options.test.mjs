// Issue 14, item 12 and the JS side of items 7 and 8: every BatchNorm2d option reaches the
// compiled Network (or is refused by name), summaries report the receptive field per axis
// as the core computes it, and sizes the core refuses fail before anything is allocated.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from '../web/cnn.js';

const cnn = await load();
const { nn } = cnn;
const inputShape = [2, 5, 6];
const batch = 4;
const images = cnn.randn([batch, ...inputShape], 3);

function largestDifference(a, b) {
  assert.equal(a.length, b.length);
  return a.reduce((largest, value, i) => Math.max(largest, Math.abs(value - b[i])), 0);
}

// The JS layers' output, and the model's running statistics after it (training mutates them).
function jsForward(model, training) {
  model.layers.forEach((layer) => {
    layer.training = training;
  });
  return model.forward(new cnn.Tensor(images.data.slice(), [batch, ...inputShape])).data;
}

describe('Network honours BatchNorm2d options', () => {
  for (const training of [true, false]) {
    test(`eps 0.5 and momentum 0.9 give the JS layers' output and running statistics (${training ? 'training' : 'eval'})`, () => {
      const make = () =>
        new nn.Sequential(
          new nn.Conv2d(2, 3, 3, { padding: 1, seed: 4 }),
          new nn.BatchNorm2d(3, { eps: 0.5, momentum: 0.9 }),
        );
      const compiled = make(),
        layers = make(); // same seeds: one for the Network, one run by the JS layers
      const net = new cnn.Network(compiled, inputShape, { capacity: batch });
      try {
        const got = net.forward(images.data, batch, { training }).data;
        const want = jsForward(layers, training);
        // issue 14: with the options ignored the two differed by 0.56 (training) and 0.15 (eval)
        assert.ok(largestDifference(got, want) < 1e-5, `largest difference ${largestDifference(got, want)}`);
        net.storeParameters();
        const [norm, jsNorm] = [compiled.layers[1], layers.layers[1]];
        assert.ok(largestDifference(norm.runningMean.data, jsNorm.runningMean.data) < 1e-6, 'running mean');
        assert.ok(largestDifference(norm.runningVar.data, jsNorm.runningVar.data) < 1e-5, 'running variance');
        if (training)
          assert.ok(
            largestDifference(norm.runningMean.data, make().layers[1].runningMean.data) > 0.01,
            'momentum 0.9 moved the mean',
          );
      } finally {
        net.dispose();
      }
    });
  }

  test('a momentum or eps the core cannot honour is refused by name', () => {
    const network = (opts) =>
      new cnn.Network(new nn.Sequential(new nn.BatchNorm2d(2, opts)), inputShape, { capacity: 1 });
    assert.throws(
      () => network({ momentum: '0.5' }),
      (error) => error instanceof TypeError && /momentum/.test(error.message),
    );
    assert.throws(
      () => network({ momentum: 1.5 }),
      (error) => error instanceof RangeError && /layer 1.*momentum/.test(error.message),
    );
    assert.throws(
      () => network({ eps: -1 }),
      (error) => error instanceof RangeError && /layer 1.*eps/.test(error.message),
    );
  });
});

describe('Sequential.summary reports the receptive field per axis', () => {
  test('a 1×7 kernel then a 3×1 pool: the core answers each axis', () => {
    const model = new nn.Sequential(
      new nn.Conv2d(1, 2, [1, 7], { seed: 1 }),
      new nn.MaxPool2d([3, 1], { stride: [2, 1] }),
    );
    const { rows, text } = model.summary([1, 1, 9, 9]);
    const field = (kernel, stride = 1) => ({ kernel, stride, padding: 0, dilation: 1 });
    const height = cnn.arithmetic.receptive_field([field(1), field(3, 2)]);
    const width = cnn.arithmetic.receptive_field([field(7), field(1)]);
    assert.deepEqual(
      rows.map((row) => row.rf),
      [
        [height[0].rf, width[0].rf],
        [height[1].rf, width[1].rf],
      ],
    );
    assert.deepEqual(
      rows.map((row) => row.rf),
      [
        [1, 7],
        [3, 7],
      ],
    );
    assert.deepEqual(
      rows.map((row) => row.jump),
      [
        [1, 1],
        [2, 1],
      ],
    );
    assert.match(text, /3×7/);
  });
});

describe('sizes refused before allocation', () => {
  test('BatchNorm2d(2**31 - 1) is refused by the core before its arrays exist', () => {
    assert.throws(
      () => new nn.BatchNorm2d(2 ** 31 - 1),
      (error) => error instanceof RangeError && /channels/.test(error.message),
    );
    assert.equal(new nn.BatchNorm2d(4).numFeatures, 4);
  });
});
