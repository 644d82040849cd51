// <cnn-channels>'s DOM-free logic against the core: each input plane's share of an output plane
// is x[c] ⋆ w[o, c] (the core's conv2d on that plane alone), the shares and the bias add up to the
// core's output, the printed terms add up to the printed value, and the parameter count and the
// groups offered are the core's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../web/cnn.js';
import { parseAll } from '../web/widgets/attributes.js';
import { PHOTO } from '../web/data/photo-patch.js';
import { formatCount } from '../web/widgets/format.js';
import {
  CHANNELS_SCHEMA,
  FILTER_SETS,
  PLANES,
  photoInput,
  groupsOffered,
  layerWeights,
  runLayer,
  chosenPixel,
  planeOf,
  kernelsOf,
  pixelSum,
  sumLine,
  parameterFormula,
  articleLayer,
  channelsCode,
} from '../web/widgets/channels-model.js';

const cnn = await load();
const stateOf = (attributes = {}) =>
  parseAll(CHANNELS_SCHEMA, (name) => (attributes[name] === undefined ? null : String(attributes[name]))).state;

/** A printed decimal ("−0.45", "1.06") as an integer count of 10^-decimals. */
const scaled = (text, decimals) => Math.round(Number(text.replace('−', '-')) * 10 ** decimals);

test('the photo is a real 32×32 RGB image, its source and licence named, scaled to [0, 1]', () => {
  assert.equal(PHOTO.size, 32);
  assert.match(PHOTO.license, /public domain/);
  assert.match(PHOTO.source, /NASA/);
  const { values, bytes, size } = photoInput();
  assert.equal(bytes.length, 3 * size * size);
  assert.ok(values.every((value) => value >= 0 && value <= 1));
  const mean = (channel) =>
    bytes.subarray(channel * size * size, (channel + 1) * size * size).reduce((sum, byte) => sum + byte, 0) /
    (size * size);
  // The orange suit and the red stripes make red the strongest plane; the planes differ.
  assert.ok(mean(0) > mean(2) + 20, `R mean ${mean(0)} against B mean ${mean(2)}`);
});

const CASES = [
  { groups: 1, 'out-channels': 4, kernel: 3, padding: 1 },
  { groups: 1, 'out-channels': 8, kernel: 5, padding: 0, stride: 2, filters: 'edges' },
  { groups: 1, 'out-channels': 2, kernel: 1, padding: 0, filters: 'colour' },
  { groups: 1, 'out-channels': 3, kernel: 7, padding: 3, filters: 'random' },
  { groups: 3, 'out-channels': 3, kernel: 3, padding: 1 },
  { groups: 3, 'out-channels': 6, kernel: 5, padding: 2, stride: 3, filters: 'blur' },
  { groups: 3, 'out-channels': 6, kernel: 2, padding: 0, filters: 'random' },
];

test('each plane’s share is x[c] ⋆ w[o, c] from the core, and the shares plus b[o] are the core’s out[o]', () => {
  for (const attributes of CASES) {
    const state = stateOf(attributes);
    const layer = runLayer(cnn, state);
    assert.equal(layer.error, undefined, JSON.stringify(attributes));
    const { height, width, size } = layer;
    const perGroup = 3 / state.groups;
    for (let o = 0; o < state.outChannels; o++) {
      // groups = 1: every plane feeds every output; grouped: output o reads its group's planes only.
      const group = Math.floor(o / (state.outChannels / state.groups));
      assert.deepEqual(
        layer.feeds[o],
        Array.from({ length: perGroup }, (_, j) => group * perGroup + j),
        `${JSON.stringify(attributes)} feeds of ${o}`,
      );
      const kernels = kernelsOf(layer, o);
      const out = planeOf(layer.output, o, height, width);
      const sum = new Float32Array(out.length).fill(layer.weights.bias[o]);
      for (let c = 0; c < 3; c++) {
        const share = planeOf(layer.contributions[c], o, height, width);
        const j = layer.feeds[o].indexOf(c);
        if (j < 0) {
          assert.ok(
            share.every((value) => value === 0),
            `plane ${c} does not feed output ${o}: its share is zero`,
          );
          continue;
        }
        // The same share from the core's conv2d on the single plane with the single kernel w[o, j].
        const alone = cnn.F.conv2d(
          new cnn.Tensor(layer.input.subarray(c * size * size, (c + 1) * size * size), [1, 1, size, size]),
          new cnn.Tensor(kernels[j], [1, 1, state.kernel, state.kernel]),
          null,
          { stride: state.stride, padding: state.padding },
        ).data;
        share.forEach((value, index) =>
          assert.ok(
            Math.abs(value - alone[index]) <= 1e-5 * Math.max(1, Math.abs(value)),
            `${JSON.stringify(attributes)} share of ${PLANES[c]} in ${o} at ${index}: ${value} against ${alone[index]}`,
          ),
        );
        share.forEach((value, index) => {
          sum[index] += value;
        });
      }
      out.forEach((value, index) =>
        assert.ok(
          Math.abs(value - sum[index]) <= 1e-5 * Math.max(1, Math.abs(value)),
          `${JSON.stringify(attributes)} out[${o}] at ${index}: ${value} against ${sum[index]}`,
        ),
      );
    }
  }
});

test('the printed terms add up to the printed value at every pixel (the value from the core’s map, the bias from its trace)', () => {
  let lines = 0;
  for (const attributes of CASES) {
    const state = stateOf(attributes);
    const layer = runLayer(cnn, state);
    for (let o = 0; o < state.outChannels; o++) {
      for (let row = 0; row < layer.height; row += 3) {
        for (let col = 0; col < layer.width; col += 2) {
          const pixel = pixelSum(cnn, layer, o, row, col);
          assert.equal(
            pixel.value,
            layer.output[(o * layer.height + row) * layer.width + col],
            'the value is the output map’s',
          );
          assert.ok(
            Math.abs(pixel.traced - pixel.value) <= 1e-5 * Math.max(1, Math.abs(pixel.value)),
            'the trace agrees to float rounding',
          );
          assert.equal(pixel.bias, layer.weights.bias[o]);
          const line = sumLine(
            `out[${o}][${row}, ${col}]`,
            pixel.terms.map((term) => ({ label: PLANES[term.channel], value: term.value })),
            pixel.bias,
            pixel.value,
          );
          assert.ok(line.exact, `${JSON.stringify(attributes)} ${line.text}`);
          const total =
            line.terms.reduce((sum, text) => sum + scaled(text, line.decimals), 0) + scaled(line.bias, line.decimals);
          assert.equal(total, scaled(line.value, line.decimals), line.text);
          for (const text of [...line.terms, line.bias, line.value])
            assert.ok(line.text.includes(text), `${line.text} shows ${text}`);
          // Every printed number is its value to the printed decimals (within one unit of the last digit).
          pixel.terms.forEach((term, index) =>
            assert.ok(
              Math.abs(scaled(line.terms[index], line.decimals) - term.value * 10 ** line.decimals) < 1,
              `${line.text}: ${term.value}`,
            ),
          );
          assert.ok(
            Math.abs(scaled(line.value, line.decimals) - pixel.value * 10 ** line.decimals) <= 0.5 + 1e-6,
            `${line.text}: ${pixel.value}`,
          );
          assert.ok(line.text.endsWith(`= ${line.value}`));
          lines++;
        }
      }
    }
  }
  assert.ok(lines > 1000);
});

test('rounding: nearest at 2–4 decimals, else rounded down or up to add up, else ≈', () => {
  const line = sumLine(
    's',
    [
      { label: 'R', value: 1 / 3 },
      { label: 'G', value: 1 / 3 },
    ],
    0,
    0.7,
  ); // no rounding of 1/3 + 1/3 gives 0.7
  assert.equal(line.exact, false);
  assert.match(line.text, /≈ 0\.7$/);
  assert.equal(
    sumLine(
      's',
      [
        { label: 'R', value: 0.125 },
        { label: 'G', value: -0.5 },
      ],
      0.25,
      -0.125,
    ).text,
    's = 0.13 R + (−0.5) G + 0.25 b = −0.12',
  );
  // 0.333 + 0.333 + 0.333 = 1: no nearest rounding adds up, so one third is printed rounded up.
  assert.equal(
    sumLine(
      's',
      [
        { label: 'R', value: 1 / 3 },
        { label: 'G', value: 1 / 3 },
        { label: 'B', value: 1 / 3 },
      ],
      0,
      1,
    ).text,
    's = 0.34 R + 0.33 G + 0.33 B + 0 b = 1',
  );
});

test('the parameter count is the core’s: out · (in / groups) · k · k + out, and the weights have that many numbers', () => {
  for (const attributes of CASES) {
    const state = stateOf(attributes);
    const layer = runLayer(cnn, state);
    assert.equal(
      layer.params,
      cnn.arithmetic.conv2d_params(3, state.outChannels, state.kernel, { groups: state.groups, bias: true }),
    );
    assert.equal(layer.params, layer.weights.weight.length + layer.weights.bias.length);
    const formula = parameterFormula(state, layer.params);
    assert.equal(
      formula.filled,
      `${state.outChannels} · (3 / ${state.groups}) · ${state.kernel} · ${state.kernel} + ${state.outChannels} = ${formatCount(layer.params)}`,
    );
  }
  assert.equal(runLayer(cnn, stateOf()).params, 168); // 6 · 3 · 3 · 3 + 6
});

test('only the groups the core accepts are offered; others are explained by the core', () => {
  for (let out = 1; out <= 8; out++) {
    assert.deepEqual(groupsOffered(cnn, out, 3), out % 3 === 0 ? [1, 3] : [1], `out ${out}`);
  }
  const refused = runLayer(cnn, stateOf({ groups: 3, 'out-channels': 4 }));
  assert.match(refused.error, /divisible by groups/);
  assert.match(
    runLayer(cnn, stateOf({ groups: 2 })).error,
    /in_channels = 3 must be divisible by groups = 2|divisible/,
  );
});

test('filters: the colour-opposite kernel weighs R against G; depthwise keeps only the spatial kernel', () => {
  const standard = layerWeights(cnn, stateOf());
  assert.deepEqual(standard.weightShape, [6, 3, 3, 3]);
  assert.deepEqual(
    standard.filters.map((filter) => filter.key),
    FILTER_SETS.mixed.slice(0, 6),
  );
  const redGreen = standard.weight.subarray(27, 54);
  assert.ok(
    redGreen.subarray(0, 9).every((value) => value > 0) &&
      redGreen.subarray(9, 18).every((value) => value < 0) &&
      redGreen.subarray(18).every((value) => value === 0),
  );
  const depthwise = layerWeights(cnn, stateOf({ groups: 3, 'out-channels': 3 }));
  assert.deepEqual(depthwise.weightShape, [3, 1, 3, 3]);
  assert.deepEqual(layerWeights(cnn, stateOf({ groups: 3 })).weightShape, [6, 1, 3, 3]); // the default 6 outputs: two per plane
  assert.deepEqual(
    depthwise.filters.map((filter) => filter.key),
    ['sobel-x', 'box', 'sobel-y'],
  );
  assert.equal(layerWeights(cnn, stateOf({ kernel: 1 })).filters[0].key, 'mix'); // Sobel needs 3×3: only the colour mix is left
});

test('the pixel: "row,col" inside the output, else the default spot', () => {
  assert.deepEqual(chosenPixel('3,4', 30, 30), [3, 4]);
  assert.deepEqual(chosenPixel('', 32, 32), [16, 3]);
  assert.deepEqual(chosenPixel('40,1', 16, 16), [8, 1]);
  assert.deepEqual(chosenPixel('a,b', 10, 10), [5, 1]);
});

test('the PyTorch line', () => {
  assert.equal(channelsCode(stateOf()), 'nn.Conv2d(3, 6, kernel_size=3, padding=1)');
  assert.equal(
    channelsCode(stateOf({ groups: 3, 'out-channels': 6, padding: 0 })),
    'nn.Conv2d(3, 6, kernel_size=3, groups=3)',
  );
});

test('the seed article’s 3 → 64 with the same kernel and groups, counted by the core (none where groups do not divide 64)', () => {
  assert.deepEqual(articleLayer(cnn, stateOf()), {
    params: 1792,
    weights: 1728,
    filled: '64 · (3 / 1) · 3 · 3 + 64 = 1,792',
  }); // the article's 1,728 weights + 64 biases
  assert.equal(articleLayer(cnn, stateOf({ groups: 3 })), null);
});
