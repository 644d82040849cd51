// <cnn-receptive-field> and <cnn-params>: DOM-free logic against the core, and the plot geometry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../web/cnn.js';
import { parseAll } from '../web/widgets/attributes.js';
import {
  RF_SCHEMA,
  RF_PRESETS,
  parseLayers,
  formatLayers,
  stacksOf,
  layerTable,
  pixelSpan,
  pathCounts,
} from '../web/widgets/receptive-field-model.js';
import {
  PARAMS_SCHEMA,
  kernelTable,
  stackComparison,
  bottleneckBlock,
  groupStops,
  groupedLayer,
} from '../web/widgets/params-model.js';
import { plotGeometry, niceCeiling } from '../web/widgets/plot.js';

const cnn = await load();
const rfState = (attributes = {}) => parseAll(RF_SCHEMA, (name) => attributes[name] ?? null).state;
const paramsState = (attributes = {}) => parseAll(PARAMS_SCHEMA, (name) => attributes[name] ?? null).state;

test('layer text round-trips and bad tokens are explained', () => {
  const { layers } = parseLayers('c7s2p3o64, p3s2p1, c3s1p2d2o32');
  assert.deepEqual(layers[2], { kind: 'conv', kernel: 3, stride: 1, padding: 2, dilation: 2, channels: 32 });
  assert.equal(layers[1].kind, 'pool');
  assert.deepEqual(parseLayers(formatLayers(layers)).layers, layers);
  assert.equal(parseLayers('p2').layers[0].stride, 2, 'a pool stride defaults to its kernel, as in PyTorch');
  assert.match(parseLayers('c3,x9').error, /item 2 "x9"/);
  assert.match(parseLayers('c30').error, /kernel = 30 is outside/);
  assert.match(parseLayers('').error, /at least one layer/);
});

test('the ResNet-18 preset: the seed article’s 27 and jump 4, from the core', () => {
  const { main } = stacksOf(rfState());
  const table = layerTable(cnn, main.layers, 224, 3);
  assert.equal(table.error, null);
  const fields = cnn.arithmetic.receptive_field(
    main.layers.map(({ kernel, stride, padding, dilation }) => ({ kernel, stride, padding, dilation })),
  );
  assert.deepEqual(
    table.rows.map((row) => [row.rf, row.jump, row.start]),
    fields.map((field) => [field.rf, field.jump, field.start]),
  );
  assert.deepEqual(
    [table.rows.at(-1).rf, table.rows.at(-1).jump],
    [27, 4],
    'the seed article: 27×27, cumulative stride 4',
  );
  assert.deepEqual(
    table.rows.map((row) => row.outSize),
    [112, 56, 56, 56],
    'ResNet-18 at 224×224',
  );
  assert.equal(table.rows[0].params, cnn.arithmetic.conv2d_params(3, 64, 7, { bias: false }));
});

test('an invalid layer stops the table with the core’s reason', () => {
  const { layers } = parseLayers('c7s2o8,c7s1o8');
  const table = layerTable(cnn, layers, 8, 3);
  assert.equal(table.rows.length, 1);
  assert.match(table.error, /^Layer 2 .*larger than the padded input/);
});

test('path counts come from the core’s backward pass and fill exactly the span without holes', () => {
  const { layers } = parseLayers(RF_PRESETS.resnet18.layers);
  const size = 64;
  const counts = pathCounts(cnn, layers, size, 8, 8);
  const [first, last] = pixelSpan(cnn, layers, 8);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const inside = row >= first && row <= last && col >= first && col <= last;
      assert.equal(counts[row * size + col] > 0, inside, `${row},${col}`);
    }
  }
  // One layer: the pixels with a path are exactly the in-bounds taps of the core's trace of that output cell.
  const single = pathCounts(cnn, parseLayers('c3s1p1').layers, 5, 2, 1);
  const ones = new cnn.Tensor(new Float32Array(9).fill(1), [1, 1, 3, 3]);
  const traced = cnn.trace.conv2d(
    new cnn.Tensor(new Float32Array(25), [1, 1, 5, 5]),
    ones,
    null,
    { padding: 1 },
    { channel: 0, row: 2, col: 1 },
  );
  const expected = new Array(25).fill(0);
  for (const term of traced.terms) if (term.in_bounds) expected[term.row * 5 + term.col] = 1;
  assert.deepEqual(Array.from(single), expected);
});

test('stride larger than the kernel leaves holes inside the span', () => {
  const { layers } = parseLayers(RF_PRESETS.holes.layers);
  const table = layerTable(cnn, layers, 64, 3);
  const size = 64;
  const pixel = Math.floor(table.rows.at(-1).outSize / 2);
  const counts = pathCounts(cnn, layers, size, pixel, pixel);
  const [first, last] = pixelSpan(cnn, layers, pixel);
  const reachedRows = new Set();
  counts.forEach((count, index) => {
    if (count) reachedRows.add(Math.floor(index / size));
  });
  assert.equal(Math.min(...reachedRows), first);
  assert.equal(Math.max(...reachedRows), last);
  assert.ok(reachedRows.size < last - first + 1, 'some rows inside the span never reach the pixel');
});

test('the params calculator reproduces the seed article’s figures through the core', () => {
  const kernels = kernelTable(cnn, paramsState());
  assert.deepEqual(
    kernels.rows.map((row) => row.params),
    [1, 3, 5, 7].map((k) => cnn.arithmetic.conv2d_params(3, 64, k, { bias: false })),
  );
  assert.deepEqual(
    kernels.rows.map((row) => row.params),
    [192, 1728, 4800, 9408],
    'the seed article’s table',
  );
  const shape = cnn.arithmetic.conv2d_shape([1, 3, 32, 32], [64, 3, 3, 3], { padding: 'same' });
  assert.deepEqual([kernels.rows[1].macs, kernels.rows[1].flops], [shape.macs, shape.flops]);

  const stack = stackComparison(cnn, paramsState());
  assert.deepEqual(
    [stack.singleTotals.params, stack.doubleTotals.params],
    [102400, 73728],
    'the seed article: 102,400 vs 73,728',
  );
  assert.equal(stack.singleTotals.rf, stack.doubleTotals.rf);
  assert.equal(Math.round(stack.saving * 100), 28);
});

test('the bottleneck block adds its layers’ core counts, with a shortcut only when needed', () => {
  const identity = bottleneckBlock(cnn, paramsState());
  assert.equal(identity.inner, 64);
  assert.equal(identity.shortcut.length, 0);
  const expected =
    cnn.arithmetic.conv2d_params(256, 64, 1, { bias: false }) +
    cnn.arithmetic.conv2d_params(64, 64, 3, { bias: false }) +
    cnn.arithmetic.conv2d_params(64, 256, 1, { bias: false }) +
    2 * cnn.arithmetic.batch_norm2d_params(64) +
    cnn.arithmetic.batch_norm2d_params(256);
  assert.equal(identity.total.params, expected);
  const projected = bottleneckBlock(cnn, paramsState({ downsample: '', 'block-in': '128' }));
  assert.equal(projected.shortcut.length, 2);
  assert.deepEqual(projected.main[2].shape, [1, 64, 16, 16], 'the 3×3 carries the stride');
  assert.deepEqual(projected.shortcut[0].shape, projected.main[4].shape, 'shortcut and main path meet in shape');
});

test('groups: stops divide both channel counts; depthwise divides the weights by in_channels', () => {
  assert.deepEqual(groupStops(64, 64), [1, 2, 4, 8, 16, 32, 64]);
  assert.deepEqual(groupStops(3, 64), [1]);
  const depthwise = groupedLayer(cnn, paramsState({ view: 'layer', 'in-channels': '64', groups: '64' }));
  assert.equal(depthwise.depthwise, true);
  assert.equal(depthwise.layer.params, cnn.arithmetic.conv2d_params(64, 64, 3, { groups: 64, bias: false }));
  assert.match(
    groupedLayer(cnn, paramsState({ view: 'layer', 'in-channels': '64', groups: '5' })).error,
    /divisible by groups = 5/,
  );
});

test('plot geometry maps depth and RF into the frame', () => {
  assert.equal(niceCeiling(27), 50);
  assert.equal(niceCeiling(7), 10);
  assert.equal(niceCeiling(100), 100);
  const geometry = plotGeometry(
    [
      {
        label: 'a',
        points: [
          { x: 0, y: 1 },
          { x: 4, y: 27 },
        ],
      },
    ],
    360,
    200,
  );
  const [start, end] = geometry.lines[0].points;
  assert.equal(start.px, geometry.frame.left);
  assert.equal(end.px, geometry.frame.right);
  assert.ok(end.py < start.py, 'larger RF is drawn higher');
  assert.equal(geometry.yTicks.at(-1).value, 50);
});
