// Issue 12, items 1–5: every number the widgets show tells the truth. Printed expressions
// evaluate (here, independently) to the number beside them over each widget's attribute range;
// shown sums add up from their shown terms; presets follow the kernel size; links stay short;
// a wrong prediction is told which term it left out; the score stays in the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../web/cnn.js';
import { parseAll } from '../web/widgets/attributes.js';
import {
  CONV_SCHEMA,
  convInput,
  convWeights,
  runConv,
  traceOutput,
  channelPartials,
  convFormula,
  stepExplanation,
  equivalentConvolution,
  outputsReading,
  scatterLine,
  oneByOneNote,
  outputSizeExercise,
  parameterExercise,
} from '../web/widgets/conv-model.js';
import {
  POOL_SCHEMA,
  poolFormula,
  poolInputValues,
  runPool,
  traceCell,
  poolStepText,
  poolSizeExercise,
  pooledValueExercise,
} from '../web/widgets/pool-model.js';
import { receptiveFieldExercise } from '../web/widgets/receptive-field-model.js';
import { fasterKernelExercise } from '../web/widgets/cnn-train-model.js';
import { checkAnswer, readScore, recordAnswer } from '../web/widgets/exercise.js';
import { checkKnobs } from '../web/train/knobs.js';
import { buildModel, describeModel } from '../web/train/model.js';
import { KERNEL_PRESETS } from '../web/widgets/presets.js';
import { stepMarks } from '../web/widgets/grid-views.js';
import { withEdit } from '../web/widgets/cell-edits.js';
import { writeUrlState, shareableUrl, URL_LIMIT } from '../web/widgets/url-state.js';
import { wrongEquations, printedEquations } from './lib/printed-arithmetic.mjs';

const cnn = await load();
const convState = (attributes) => parseAll(CONV_SCHEMA, (name) => attributes[name] ?? null).state;
const poolState = (attributes) => parseAll(POOL_SCHEMA, (name) => attributes[name] ?? null).state;
const range = (low, high) => Array.from({ length: high - low + 1 }, (_, i) => low + i);

test('pooling: every printed size expression equals the size beside it, ceil_mode included', () => {
  let checked = 0,
    dropped = 0;
  for (const mode of ['max', 'avg'])
    for (const kernel of range(1, 6))
      for (const stride of range(1, 6))
        for (const padding of range(0, 3))
          for (const ceilMode of [false, true])
            for (const size of range(2, 12)) {
              const state = { ...poolState({}), mode, kernel, stride, padding, ceilMode, size };
              const formula = poolFormula(cnn, state);
              const text = [formula.general, formula.filled, formula.rule].filter(Boolean).join('\n');
              assert.deepEqual(wrongEquations(text), [], JSON.stringify(state));
              if (formula.size === null) continue;
              checked += printedEquations(text).length;
              assert.equal(formula.size, cnn.arithmetic.pool_out_size(size, kernel, stride, padding, 1, ceilMode));
              assert.ok(formula.filled.endsWith(`= ${formula.size}`), formula.filled);
              if (formula.rule) dropped++;
            }
  assert.ok(checked > 1000 && dropped > 20, `${checked} equations, ${dropped} dropped windows`);
});

test('pooling: the ceil_mode rule is stated, with the dropped window, where it applies (5, 2, 2, 1)', () => {
  const state = { ...poolState({}), size: 5, kernel: 2, stride: 2, padding: 1, ceilMode: true };
  const formula = poolFormula(cnn, state);
  assert.equal(formula.size, 3);
  assert.match(formula.filled, /^ceil\(\(5 \+ 2·1 − 2\) \/ 2\) \+ 1 = 4 windows, minus the dropped one: H_out = 3$/);
  assert.match(
    formula.rule,
    /Window 4 would start at padded position \(4 − 1\)·2 = 6, .* begins at 5 \+ 1 = 6: .*PyTorch drops it/,
  );
  assert.equal(formula.dropped, 3);
});

test('convolution: every printed size expression equals the size beside it, both modes', () => {
  let checked = 0;
  const input = new Float32Array(32 * 32);
  for (const size of [...range(2, 12), 16, 28, 32])
    for (const kernel of range(1, 7))
      for (const stride of range(1, 3))
        for (const dilation of range(1, 3)) {
          for (const padding of [0, 1, 2, 3, 'same', 'valid']) {
            const state = { ...convState({}), size, kernel, stride, dilation, padding };
            const result = runConv(cnn, state, input.subarray(0, size * size), new Float32Array(kernel * kernel));
            const formula = convFormula(state, result);
            assert.deepEqual(wrongEquations(`${formula.general}\n${formula.filled}`), [], JSON.stringify(state));
            checked += result.error ? 0 : 1;
          }
          for (const padding of range(0, 3))
            for (const outputPadding of range(0, 2)) {
              const state = {
                ...convState({}),
                mode: 'transposed',
                size,
                kernel,
                stride,
                dilation,
                padding,
                outputPadding,
              };
              const result = runConv(cnn, state, input.subarray(0, size * size), new Float32Array(kernel * kernel));
              assert.deepEqual(wrongEquations(convFormula(state, result).filled), [], JSON.stringify(state));
            }
        }
  assert.ok(checked > 3000, `${checked} valid settings`);
});

/** Every step line of a conv setting, as the widget builds them. */
function convStepLines(attributes) {
  const state = convState(attributes);
  const input = convInput(state, cnn);
  const { weights } = convWeights(state, cnn);
  const result = runConv(cnn, state, input, weights);
  if (result.error) return [];
  const lines = [];
  for (let index = 0; index < result.output.length; index += Math.max(1, Math.floor(result.output.length / 7))) {
    const [row, col] = [Math.floor(index / result.width), index % result.width];
    const traced = traceOutput(cnn, state, input, weights, row, col);
    const partials =
      state.mode === 'standard' && state.channels > 1 ? channelPartials(cnn, state, input, weights, row, col) : null;
    lines.push(...stepExplanation(state, row, col, traced, partials));
  }
  return lines;
}

test('the box blur shows 1/9, and its products add up to the sum beside them', () => {
  const [line] = convStepLines({ 'kernel-preset': 'box' });
  assert.match(line, /·1\/9 \+/);
  assert.deepEqual(wrongEquations(line), []);
  assert.equal(printedEquations(line).length, 1);
});

test('every shown sum equals the sum of its shown terms, or the line says ≈', () => {
  let equations = 0,
    approximate = 0;
  for (const mode of ['standard', 'transposed'])
    for (const preset of Object.keys(KERNEL_PRESETS))
      for (const input of ['integers', 'digit', 'gradient'])
        for (const kernel of [1, 2, 3, 5, 7])
          for (const channels of [1, 3]) {
            const lines = convStepLines({
              mode,
              'kernel-preset': preset,
              input,
              kernel: String(kernel),
              channels: String(channels),
              size: '9',
              stride: '2',
            });
            for (const line of lines) {
              assert.deepEqual(wrongEquations(line), [], line);
              equations += printedEquations(line).length;
              if (line.includes('≈')) approximate++;
            }
          }
  assert.ok(equations > 2000, `${equations} equations`);
  // with two-decimal inputs and exact weights only partial sums of three channels are rounded
  assert.ok(approximate < equations / 4, `${approximate} approximate lines`);
  for (const mode of ['max', 'avg'])
    for (const padding of [0, 1])
      for (const input of ['counting', 'integers', 'spike']) {
        const state = { ...poolState({ input }), mode, kernel: 3, stride: 2, padding, size: 7 };
        const values = poolInputValues(state, cnn);
        const result = runPool(cnn, state, values);
        for (let index = 0; index < result.output.length; index++) {
          const [row, col] = [Math.floor(index / result.width), index % result.width];
          const line = poolStepText(state, row, col, traceCell(cnn, state, values, row, col), result.output[index]);
          assert.deepEqual(wrongEquations(line), [], line);
        }
      }
});

test('kernel 1 and 2 with the default Sobel preset still show every grid; 1×1 explains channel mixing', () => {
  for (const kernel of ['1', '2']) {
    const state = convState({ kernel, channels: '3' });
    const { weights, note } = convWeights(state, cnn);
    const result = runConv(cnn, state, convInput(state, cnn), weights);
    assert.equal(result.error, undefined);
    assert.equal(result.output.length, (7 - Number(kernel)) ** 2);
    assert.match(note, /Sobel x .* needs a kernel of at least 3×3: showing the identity kernel/);
  }
  assert.match(oneByOneNote(convState({ kernel: '1', channels: '3' })), /mixes the channels, pixel by pixel/);
  assert.equal(oneByOneNote(convState({ kernel: '3' })), '');
});

test('the page’s transposed convolution has a kernel whose flip is visible', () => {
  const html = readFileSync(new URL('../web/index.html', import.meta.url), 'utf8');
  const tag = /<cnn-conv id="transposed"([^>]*)>/.exec(html)[1];
  const attributes = Object.fromEntries(
    [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]),
  );
  const state = convState(attributes);
  const input = convInput(state, cnn);
  const { weights } = convWeights(state, cnn);
  const result = runConv(cnn, state, input, weights);
  const { flipped } = equivalentConvolution(cnn, state, input, weights, result.equivalent);
  assert.notDeepEqual(Array.from(flipped), Array.from(weights), 'the flipped kernel differs from the kernel');
});

test('the scatter line counts the outlined cells the output grid marks', () => {
  const state = convState({
    mode: 'transposed',
    size: '3',
    stride: '2',
    padding: '1',
    'output-padding': '1',
    input: 'counting',
    'kernel-preset': 'ramp',
  });
  const input = convInput(state, cnn);
  const fed = outputsReading(cnn, state, 1, 1);
  for (const current of [0, [...fed][0]]) {
    const marks = stepMarks({ count: 36, current, fed });
    const outlined = [...marks.values()].filter((mark) => /\bfed\b/.test(mark)).length;
    const line = scatterLine(1, 1, input[4], fed, current);
    assert.match(line, new RegExp(`the ${outlined} outlined`), line);
  }
});

test('one edited cell of a 32×32×3 input makes a short link; an oversized state is refused with a reason', () => {
  const state = convState({ size: '32', channels: '3', input: 'digit' });
  const base = convInput(state, cnn);
  const edits = withEdit(state.edits, base, 1000, 0.22550000250339508);
  assert.equal(edits, '1000:0.23', 'the value rounded to what the grid shows');
  assert.equal(convInput({ ...state, edits }, cnn)[1000], Math.fround(0.23));
  const attributes = { size: '32', channels: '3', input: 'digit', edits };
  const params = writeUrlState(CONV_SCHEMA, attributes, new URLSearchParams(), 'conv.');
  const { url, problem } = shareableUrl({ origin: 'http://127.0.0.1:8000', pathname: '/web/', hash: '' }, params);
  assert.equal(problem, null);
  assert.ok(url.length < 100, url);
  let many = '';
  for (let index = 0; index < 400; index++) many = withEdit(many, base, index * 7, 0.5 + index / 1000);
  const big = shareableUrl(
    { pathname: '/web/' },
    writeUrlState(CONV_SCHEMA, { ...attributes, edits: many }, new URLSearchParams(), 'conv.'),
  );
  assert.ok(big.url.length > URL_LIMIT);
  assert.match(big.problem, /too big to share as a link \([\d,]+ characters; links stop at 2,000\)/);
  assert.equal(withEdit(edits, base, 1000, base[1000]), '', 'back to the preset value: no edit left');
});

test('a wrong prediction that leaves out one term is told which term (each slip computed by the core)', () => {
  const state = convState({ size: '28', stride: '2', padding: '1', kernel: '3' });
  const result = runConv(cnn, state, new Float32Array(28 * 28), new Float32Array(9));
  const exercise = outputSizeExercise(cnn, state, result);
  assert.deepEqual(exercise.expected, [14, 14]);
  const told = (guess) => checkAnswer(guess, exercise.expected, exercise.mistakes).message;
  assert.equal(told('14'), 'Correct.');
  assert.match(told('28×28'), /stride 1; divide by the stride 2/); // floor((28 + 2 − 3) / 1) + 1
  assert.match(told('13'), /without padding|the first window position/);
  assert.match(told('99'), /check each term/);
  const params = parameterExercise(cnn, convState({ kernel: '3' }));
  assert.deepEqual(params.expected, [1728]);
  assert.match(
    checkAnswer('576', params.expected, params.mistakes).message,
    /one 3×3 plane per input channel: multiply by 3/,
  );
  assert.match(checkAnswer('1,792', params.expected, params.mistakes).message, /counts the biases/);
  const pool = poolState({});
  const values = poolInputValues(pool, cnn);
  const pooled = pooledValueExercise(cnn, pool, values, runPool(cnn, pool, values), 0);
  assert.deepEqual(pooled.expected, [6]);
  assert.match(
    checkAnswer('3.5', pooled.expected, pooled.mistakes, pooled.tolerance).message,
    /average; max pooling keeps only the largest/,
  );
  const sizes = poolSizeExercise(cnn, { ...pool, size: 4, kernel: 3, ceilMode: true }, { height: 2, width: 2 }); // ceil(1 / 2) + 1
  assert.match(
    checkAnswer('1', sizes.expected, sizes.mistakes).message,
    /rounds down; ceil_mode=True rounds the division up/,
  );
  const layers = [
    { kind: 'conv', kernel: 7, stride: 2, padding: 3, dilation: 1 },
    { kind: 'pool', kernel: 3, stride: 2, padding: 1, dilation: 1 },
    { kind: 'conv', kernel: 3, stride: 1, padding: 1, dilation: 1 },
    { kind: 'conv', kernel: 3, stride: 1, padding: 1, dilation: 1 },
  ];
  const rf = receptiveFieldExercise(cnn, layers, [{ rf: 27 }]);
  assert.deepEqual(rf.expected, [27]);
  assert.match(checkAnswer('13', rf.expected, rf.mistakes).message, /as if every stride were 1/); // 7 + 2 + 2 + 2
  const faster = fasterKernelExercise(cnn.nn, checkKnobs({}), (nn, knobs) => describeModel(buildModel(nn, knobs)));
  assert.deepEqual(faster.expected, [3]);
  assert.match(faster.text, /^kernel 3: [\d,]+ MACs per image against [\d,]+, \d+\.\d× less work/);
});

test('the quiet score counts each question once, in the given storage only, and survives a refusing storage', () => {
  const items = new Map();
  const storage = { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => items.set(key, value) };
  assert.deepEqual(recordAnswer(storage, 'stride:output-size', false), { answered: 1, correct: 0 });
  assert.deepEqual(
    recordAnswer(storage, 'stride:output-size', true),
    { answered: 1, correct: 0 },
    'the first try counts',
  );
  assert.deepEqual(recordAnswer(storage, 'pool:pooled-value', true), { answered: 2, correct: 1 });
  assert.equal(readScore(storage).answered, 2);
  const refusing = {
    getItem: () => 'not json',
    setItem: () => {
      throw new Error('quota');
    },
  };
  assert.deepEqual(recordAnswer(refusing, 'a', true), { answered: 1, correct: 1 });
});
