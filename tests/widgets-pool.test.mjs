// <cnn-pool>'s DOM-free logic against the core, and the coverage helpers it shares with
// <cnn-conv> (separable traces must agree with tracing every output cell).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../web/cnn.js';
import { parseAll } from '../web/widgets/attributes.js';
import {
  POOL_SCHEMA,
  poolInputValues,
  shiftedValues,
  runPool,
  traceCell,
  paddedExtent,
  windowReads,
  outputsReading,
  poolFormula,
  poolPytorchCode,
} from '../web/widgets/pool-model.js';
import { unreadCells, droppedLines } from '../web/widgets/reach.js';
import { paddedInputView, windowMarks, cellMarks } from '../web/widgets/grid-views.js';

const cnn = await load();
const stateOf = (attributes = {}) => parseAll(POOL_SCHEMA, (name) => attributes[name] ?? null).state;

test('the default state is the seed article’s 4×4 example and its printed outputs', () => {
  const values = poolInputValues(stateOf(), cnn);
  assert.deepEqual(
    Array.from(values),
    Array.from({ length: 16 }, (_, i) => i + 1),
  );
  const x = new cnn.Tensor(values, [1, 1, 4, 4]);
  const expected = {
    max: cnn.F.max_pool2d(x, 2, { stride: 2 }).data,
    avg: cnn.F.avg_pool2d(x, 2, { stride: 2 }).data,
    global: cnn.F.adaptive_avg_pool2d(x, [1, 1]).data,
  };
  // The values the seed article prints: [[6, 8], [14, 16]], [[3.5, 5.5], [11.5, 13.5]], 8.5.
  const article = { max: [6, 8, 14, 16], avg: [3.5, 5.5, 11.5, 13.5], global: [8.5] };
  for (const mode of ['max', 'avg', 'global']) {
    const result = runPool(cnn, stateOf({ mode }), values);
    assert.deepEqual(Array.from(result.output), Array.from(expected[mode]), mode);
    assert.deepEqual(Array.from(result.output), article[mode], mode);
  }
  assert.equal(runPool(cnn, stateOf(), values).printed, 'tensor([[ 6.,  8.],\n        [14., 16.]])');
});

test('each traced window agrees with the pooled output; max marks its winner', () => {
  for (const attributes of [
    {},
    { mode: 'avg', kernel: '3', stride: '1', padding: '1' },
    { kernel: '3', stride: '2', 'ceil-mode': '', size: '6', input: 'integers' },
  ]) {
    const state = stateOf(attributes);
    const values = poolInputValues(state, cnn);
    const result = runPool(cnn, state, values);
    for (let index = 0; index < result.output.length; index++) {
      const traced = traceCell(cnn, state, values, Math.floor(index / result.width), index % result.width);
      assert.equal(traced.value, result.output[index]);
      if (state.mode === 'max') assert.equal(traced.terms[traced.winner].value, result.output[index]);
    }
  }
});

test('invalid settings come back as the core’s explanation, not an exception', () => {
  const state = stateOf({ kernel: '2', padding: '2' });
  const result = runPool(cnn, state, poolInputValues(state, cnn));
  assert.match(result.error, /padding.*at most half the kernel size/);
  const formula = poolFormula(cnn, state);
  assert.equal(formula.size, null);
  assert.match(formula.error, /padding/);
});

test('the formula shows the current numbers and the core’s answer', () => {
  const state = stateOf({ kernel: '3', stride: '2', padding: '1', size: '7', 'ceil-mode': '' });
  const formula = poolFormula(cnn, state);
  assert.equal(formula.size, cnn.arithmetic.pool_out_size(7, 3, 2, 1, 1, true));
  assert.equal(formula.filled, `ceil((7 + 2·1 − 3) / 2) + 1 = ${formula.size}`);
  assert.equal(poolPytorchCode(state), 'nn.MaxPool2d(3, 2, padding=1, ceil_mode=True)');
});

test('a ceil-mode window that hangs past the padding widens the drawn grid', () => {
  const state = stateOf({ kernel: '3', stride: '2', size: '6', 'ceil-mode': '' });
  const values = poolInputValues(state, cnn);
  const result = runPool(cnn, state, values);
  const extent = paddedExtent(cnn, state, values, result.height, result.width);
  const last = traceCell(cnn, state, values, result.height - 1, result.width - 1);
  const reach = Math.max(...last.terms.map((term) => term.padded_row)) + 1;
  assert.equal(extent.rows, Math.max(6, reach));
  assert.ok(extent.rows > 6, 'this setting overhangs');
});

test('which cells each window reads, from the core’s pooling and its gradient, equals tracing every output cell', () => {
  const cases = [
    { kernel: '2', stride: '2', size: '5' },
    { kernel: '3', stride: '3', size: '8', padding: '1' },
    { kernel: '1', stride: '2', size: '5' },
    { kernel: '3', stride: '2', size: '6', 'ceil-mode': '' },
    { mode: 'global', size: '5' },
  ];
  for (const attributes of cases) {
    const state = stateOf(attributes);
    const values = poolInputValues(state, cnn);
    const result = runPool(cnn, state, values);
    const read = new Set();
    const fedBy = new Map();
    for (let index = 0; index < result.output.length; index++) {
      for (const term of traceCell(cnn, state, values, Math.floor(index / result.width), index % result.width).terms) {
        if (!term.in_bounds) continue;
        const cell = `${term.row},${term.col}`;
        read.add(cell);
        if (!fedBy.has(cell)) fedBy.set(cell, new Set());
        fedBy.get(cell).add(index);
      }
    }
    const unread = unreadCells(windowReads(cnn, state, result.height, result.width), state.size);
    for (let row = 0; row < state.size; row++) {
      for (let col = 0; col < state.size; col++) {
        const cell = `${row},${col}`;
        assert.equal(unread.has(cell), !read.has(cell), `${JSON.stringify(attributes)} ${cell}`);
        assert.deepEqual(
          [...outputsReading(cnn, state, row, col)].sort(),
          [...(fedBy.get(cell) ?? [])].sort(),
          `${JSON.stringify(attributes)} ${cell}`,
        );
      }
    }
    if (attributes.size === '5' && attributes.kernel === '2') {
      assert.deepEqual(droppedLines(windowReads(cnn, state, result.height, result.width), 5, 5), {
        rows: [4],
        cols: [4],
      });
    }
  }
});

test('the translation demo moves the input by one pixel and fills the edge with 0', () => {
  const values = Float32Array.from({ length: 9 }, (_, i) => i + 1);
  assert.deepEqual(Array.from(shiftedValues(values, 3, 'right')), [0, 1, 2, 0, 4, 5, 0, 7, 8]);
  assert.deepEqual(Array.from(shiftedValues(values, 3, 'down')), [0, 0, 0, 1, 2, 3, 4, 5, 6]);
});

test('the padded input view marks the traced window, its winner and the padding', () => {
  const state = stateOf({ kernel: '3', stride: '2', padding: '1', size: '4' });
  const values = poolInputValues(state, cnn);
  const traced = traceCell(cnn, state, values, 0, 0);
  const view = paddedInputView({ values, height: 4, width: 4, padTop: 1, padLeft: 1, rows: 6, cols: 6, padText: '−∞' });
  const marks = cellMarks(windowMarks(traced.terms, traced.winner), 6);
  assert.equal(view.length, 36);
  assert.equal(view[0].text, '−∞');
  assert.equal(view[0].marks, 'pad');
  assert.equal(marks.get(0), 'win', 'the first window starts in the padding');
  const winner = traced.terms[traced.winner];
  const winnerCell = winner.padded_row * 6 + winner.padded_col;
  assert.equal(marks.get(winnerCell), 'win winner');
  assert.equal(view[winnerCell].text, String(winner.value));
  assert.equal(marks.has(3 * 6 + 3), false, 'outside the window');
  assert.equal(marks.size, 9);
});
