// <cnn-conv>'s DOM-free logic against the core: outputs, traces, sums, the transposed
// convolution's equivalent stride-1 form, the formula, the parameter counts, the code line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../web/cnn.js';
import { parseAll } from '../web/widgets/attributes.js';
import {
  CONV_SCHEMA,
  SEED_CHANNELS,
  convInput,
  convWeights,
  runConv,
  traceOutput,
  channelPartials,
  equivalentConvolution,
  convFormula,
  samePaddingNote,
  convParameterCounts,
  convPytorchCode,
  stepExplanation,
  productsText,
  windowReads,
  outputsReading,
} from '../web/widgets/conv-model.js';
import { droppedLines, unreadCells } from '../web/widgets/reach.js';

const cnn = await load();
const stateOf = (attributes = {}) => parseAll(CONV_SCHEMA, (name) => attributes[name] ?? null).state;
const setup = (attributes) => {
  const state = stateOf(attributes);
  const input = convInput(state, cnn);
  const { weights } = convWeights(state, cnn);
  return { state, input, weights, result: runConv(cnn, state, input, weights) };
};

const SETTINGS = [
  {},
  { size: '7', stride: '2', padding: '1' },
  { size: '9', dilation: '2', padding: '2', input: 'edges' },
  { size: '6', kernel: '4', padding: 'same', 'kernel-preset': 'random' },
  { size: '8', channels: '3', kernel: '5', stride: '3', 'kernel-preset': 'box' },
  { size: '32', kernel: '7', padding: '3', input: 'digit' },
];

test('the output is the core’s conv2d and every traced sum equals its cell', () => {
  for (const attributes of SETTINGS) {
    const { state, input, weights, result } = setup(attributes);
    const x = new cnn.Tensor(input, [1, state.channels, state.size, state.size]);
    const w = new cnn.Tensor(weights, [1, state.channels, state.kernel, state.kernel]);
    const expected = cnn.F.conv2d(x, w, null, {
      stride: state.stride,
      padding: state.padding,
      dilation: state.dilation,
    });
    assert.deepEqual(Array.from(result.output), Array.from(expected.data), JSON.stringify(attributes));
    assert.deepEqual([result.height, result.width], expected.shape.slice(2));
    for (const index of [0, result.output.length - 1, Math.floor(result.output.length / 2)]) {
      const traced = traceOutput(cnn, state, input, weights, Math.floor(index / result.width), index % result.width);
      assert.ok(
        Math.abs(traced.value - result.output[index]) <= 1e-4 * Math.max(1, Math.abs(result.output[index])),
        `${JSON.stringify(attributes)} cell ${index}`,
      );
      assert.equal(traced.terms.length, state.channels * state.kernel * state.kernel);
    }
  }
});

test('channel partial sums are the core’s traces of each channel alone', () => {
  const { state, input, weights } = setup({ channels: '3', size: '5' });
  const partials = channelPartials(cnn, state, input, weights, 1, 2);
  const plane = state.size * state.size;
  partials.forEach((partial, channel) => {
    const x = new cnn.Tensor(input.slice(channel * plane, (channel + 1) * plane), [1, 1, 5, 5]);
    const w = new cnn.Tensor(weights.slice(channel * 9, (channel + 1) * 9), [1, 1, 3, 3]);
    assert.equal(partial.value, cnn.F.conv2d(x, w).at(0, 0, 1, 2));
  });
  const traced = traceOutput(cnn, state, input, weights, 1, 2);
  const lines = stepExplanation(state, 1, 2, traced, partials);
  assert.equal(lines.length, 4);
  assert.match(lines[3], /^output\[1, 2\] = .* = /);
  assert.ok(lines[3].endsWith(`= ${Number(traced.value.toFixed(2))}`));
});

test('the step text lists each traced value times its weight', () => {
  const terms = [
    { value: 2, weight: -1 },
    { value: 0, weight: 0.5 },
  ];
  assert.equal(productsText(terms), '2·(-1) + 0·0.5');
});

test('transposed mode: output, trace and the equivalent stride-1 convolution agree with the core', () => {
  for (const attributes of [
    {
      mode: 'transposed',
      size: '3',
      stride: '2',
      padding: '1',
      'output-padding': '1',
      input: 'counting',
      'kernel-preset': 'box',
    },
    { mode: 'transposed', size: '4', stride: '3', kernel: '2', 'kernel-preset': 'random' },
    { mode: 'transposed', size: '3', stride: '2', dilation: '2', channels: '2', 'kernel-preset': 'sobel-y' },
  ]) {
    const { state, input, weights, result } = setup(attributes);
    const x = new cnn.Tensor(input, [1, state.channels, state.size, state.size]);
    const w = new cnn.Tensor(weights, [state.channels, 1, state.kernel, state.kernel]);
    const expected = cnn.F.conv_transpose2d(x, w, null, {
      stride: state.stride,
      padding: state.padding,
      output_padding: state.outputPadding,
      dilation: state.dilation,
    });
    assert.deepEqual(Array.from(result.output), Array.from(expected.data));
    const equivalent = equivalentConvolution(cnn, state, input, weights, result.equivalent);
    assert.equal(equivalent.error, undefined);
    for (let index = 0; index < result.output.length; index++) {
      const row = Math.floor(index / result.width);
      const col = index % result.width;
      const scatter = traceOutput(cnn, state, input, weights, row, col);
      const gathered = equivalent.trace(row, col);
      assert.ok(Math.abs(scatter.value - result.output[index]) < 1e-4, `scatter ${index}`);
      assert.ok(Math.abs(gathered.value - result.output[index]) < 1e-4, `equivalent ${index}`);
      // every scattered term sits where the equivalent window reads a real input value
      for (const term of scatter.terms) {
        const cell = (term.channel * equivalent.height + term.padded_row) * equivalent.width + term.padded_col;
        assert.equal(equivalent.fromInput[cell], 1);
        assert.equal(equivalent.values[cell], term.value);
      }
    }
  }
});

test('invalid settings carry the core’s reason; the formula shows which numbers fail', () => {
  const { state, result } = setup({ size: '3', kernel: '5' });
  assert.match(result.error, /effective kernel .* larger than the padded input/);
  const formula = convFormula(state, result);
  assert.equal(formula.size, null);
  assert.match(formula.filled, /floor\(\(3 \+ 0 \+ 0 − 1·\(5 − 1\) − 1\) \/ 1\) \+ 1/);
  assert.match(setup({ stride: '2', padding: 'same' }).result.error, /'same' needs stride 1/);
  const small = convWeights(stateOf({ kernel: '2', 'kernel-preset': 'sobel-x' }), cnn);
  assert.match(small.note, /at least 3×3: showing the identity kernel/);
  assert.deepEqual(Array.from(small.weights), [1, 0, 0, 0]);
});

test('the formula is filled with the core’s padding and answered with the core’s size', () => {
  const { state, result } = setup({ size: '6', kernel: '4', padding: 'same' });
  const formula = convFormula(state, result);
  const [top, , bottom] = cnn.arithmetic.conv2d_shape([1, 1, 6, 6], [1, 1, 4, 4], { padding: 'same' }).padding;
  assert.equal(formula.filled, `floor((6 + ${top} + ${bottom} − 1·(4 − 1) − 1) / 1) + 1 = ${result.height}`);
  assert.match(
    samePaddingNote(state, result),
    new RegExp(`pads ${top} at the top/left and ${bottom} at the bottom/right`),
  );
  const transposed = setup({ mode: 'transposed', size: '3', stride: '2', padding: '1', 'output-padding': '1' });
  assert.equal(
    convFormula(transposed.state, transposed.result).size,
    cnn.arithmetic.conv_transpose_out_size(3, 3, 2, 2, 1, 1),
  );
});

test('reads and fed outputs, from the core’s op and gradient, equal tracing every output cell', () => {
  for (const attributes of [
    { size: '8', stride: '3', kernel: '3' },
    { size: '7', stride: '2', kernel: '2', dilation: '3', padding: '1', 'kernel-preset': 'random' },
    {
      size: '4',
      mode: 'transposed',
      stride: '3',
      kernel: '2',
      padding: '1',
      'output-padding': '1',
      'kernel-preset': 'random',
    },
  ]) {
    const { state, input, weights, result } = setup(attributes);
    const n = state.size;
    const fedBy = new Map();
    for (let index = 0; index < result.output.length; index++) {
      for (const term of traceOutput(cnn, state, input, weights, Math.floor(index / result.width), index % result.width)
        .terms) {
        if (!term.in_bounds) continue;
        const cell = `${term.row},${term.col}`;
        if (!fedBy.has(cell)) fedBy.set(cell, new Set());
        fedBy.get(cell).add(index);
      }
    }
    const reads = windowReads(cnn, state, result);
    const unread = unreadCells(reads, n);
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        const cell = `${row},${col}`;
        assert.equal(unread.has(cell), !fedBy.has(cell), `${JSON.stringify(attributes)} ${cell}`);
        assert.deepEqual(
          [...outputsReading(cnn, state, row, col)].sort((a, b) => a - b),
          [...(fedBy.get(cell) ?? [])].sort((a, b) => a - b),
          `${JSON.stringify(attributes)} ${cell}`,
        );
      }
    }
    if (attributes.stride === '3' && !attributes.mode) {
      const dropped = droppedLines(reads, n, n);
      const readRows = new Set([...fedBy.keys()].map((cell) => Number(cell.split(',')[0])));
      assert.deepEqual(
        dropped.rows,
        [...Array(n).keys()].filter((row) => !readRows.has(row)),
      );
      assert.ok(dropped.rows.length > 0, 'stride 3 over 8 leaves a row unread');
    }
  }
});

test('parameter counts and the code line', () => {
  const state = stateOf({ kernel: '5', channels: '3', stride: '2', dilation: '2', padding: '2' });
  const counts = convParameterCounts(cnn, state);
  assert.equal(counts.layer, cnn.arithmetic.conv2d_params(3, 1, 5, { bias: false }));
  assert.equal(counts.seed, cnn.arithmetic.conv2d_params(SEED_CHANNELS.in, SEED_CHANNELS.out, 5, { bias: false }));
  assert.equal(convPytorchCode(state), 'nn.Conv2d(3, 1, kernel_size=5, stride=2, padding=2, dilation=2, bias=False)');
  assert.equal(
    convPytorchCode(stateOf({ mode: 'transposed', stride: '2', padding: '1', 'output-padding': '1' })),
    'nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1, bias=False)',
  );
});

test('edited values and weights replace the presets only when their length fits', () => {
  const edited = stateOf({ size: '2', values: '1,2,3,4', kernel: '1', weights: '3' });
  assert.deepEqual(Array.from(convInput(edited, cnn)), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(convWeights(edited, cnn).weights), [3]);
  const stale = stateOf({ size: '3', values: '1,2,3,4' });
  assert.equal(convInput(stale, cnn).length, 9, 'a list of the wrong length falls back to the preset');
});
