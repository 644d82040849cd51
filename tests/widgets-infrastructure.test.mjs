// The widgets' DOM-free infrastructure: attribute parsing, URL state, keys, stepping,
// exercises, formatting and the "show the code" lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAttribute, formatAttribute, parseAll, propertyName, parseNameList } from '../web/widgets/attributes.js';
import { readUrlState, writeUrlState } from '../web/widgets/url-state.js';
import { keyAction, startsEditing } from '../web/widgets/keyboard.js';
import { Stepper } from '../web/widgets/stepper.js';
import { answerNumbers, checkAnswer } from '../web/widgets/exercise.js';
import { formatValue, formatCount, formatShape, formatPercent } from '../web/widgets/format.js';
import { conv2dCode, convTranspose2dCode, poolCode } from '../web/widgets/pytorch-code.js';

const SCHEMA = {
  kernel: { type: 'int', min: 1, max: 7, default: 3 },
  padding: { type: 'int', min: 0, max: 3, keywords: ['same', 'valid'], default: 0 },
  mode: { type: 'enum', values: ['max', 'avg'], default: 'max' },
  'ceil-mode': { type: 'bool', default: false },
  values: { type: 'numbers', default: null },
};

test('attributes parse to typed values and explain what they changed', () => {
  assert.deepEqual(parseAttribute('kernel', SCHEMA.kernel, '5'), { value: 5, problem: null });
  assert.deepEqual(parseAttribute('kernel', SCHEMA.kernel, null), { value: 3, problem: null });
  const clamped = parseAttribute('kernel', SCHEMA.kernel, '9');
  assert.equal(clamped.value, 7);
  assert.match(clamped.problem, /kernel=9 is outside 1–7/);
  assert.match(parseAttribute('kernel', SCHEMA.kernel, '2.5').problem, /not an integer from 1 to 7/);
  assert.equal(parseAttribute('padding', SCHEMA.padding, 'same').value, 'same');
  assert.equal(parseAttribute('padding', SCHEMA.padding, '2').value, 2);
  assert.match(parseAttribute('padding', SCHEMA.padding, 'full').problem, /or same, valid/);
  assert.equal(parseAttribute('mode', SCHEMA.mode, 'avg').value, 'avg');
  assert.match(parseAttribute('mode', SCHEMA.mode, 'min').problem, /not one of max, avg/);
  assert.equal(parseAttribute('ceil-mode', SCHEMA['ceil-mode'], '').value, true);
  assert.equal(parseAttribute('ceil-mode', SCHEMA['ceil-mode'], 'false').value, false);
  assert.deepEqual(parseAttribute('values', SCHEMA.values, '1, 2.5,-3').value, [1, 2.5, -3]);
  assert.match(parseAttribute('values', SCHEMA.values, '1,x').problem, /item 2 is not a number/);
});

test('formatAttribute is the inverse of parseAttribute', () => {
  for (const [name, value] of [
    ['kernel', 4],
    ['padding', 'valid'],
    ['mode', 'avg'],
    ['ceil-mode', true],
    ['values', [0.1, -2, 3]],
  ]) {
    const text = formatAttribute(SCHEMA[name], value);
    assert.deepEqual(parseAttribute(name, SCHEMA[name], text).value, value, name);
  }
  assert.equal(formatAttribute(SCHEMA['ceil-mode'], false), null);
  assert.equal(formatAttribute(SCHEMA.values, null), null);
});

test('parseAll names properties in camelCase and collects problems', () => {
  const attributes = { kernel: '12', 'ceil-mode': '' };
  const { state, problems } = parseAll(SCHEMA, (name) => attributes[name] ?? null);
  assert.deepEqual(state, { kernel: 7, padding: 0, mode: 'max', ceilMode: true, values: null });
  assert.equal(problems.length, 1);
  assert.equal(propertyName('output-padding'), 'outputPadding');
  assert.deepEqual([...parseNameList('stride, padding  kernel')], ['stride', 'padding', 'kernel']);
});

test('URL state keeps non-default values under the widget prefix and round-trips', () => {
  const params = new URLSearchParams('other=1&pool.kernel=5');
  assert.deepEqual(readUrlState(SCHEMA, params, 'pool.'), { kernel: '5' });
  const written = writeUrlState(
    SCHEMA,
    { kernel: '3', padding: 'same', mode: 'avg', 'ceil-mode': '', values: '1,2' },
    params,
    'pool.',
  );
  assert.equal(written.get('other'), '1', 'keys of other widgets stay');
  assert.equal(written.has('pool.kernel'), false, 'a default value is not written');
  assert.equal(written.get('pool.padding'), 'same');
  assert.equal(written.get('pool.ceil-mode'), '1');
  assert.deepEqual(readUrlState(SCHEMA, written, 'pool.'), {
    padding: 'same',
    mode: 'avg',
    'ceil-mode': '1',
    values: '1,2',
  });
  const unprefixed = writeUrlState(SCHEMA, { kernel: '4' }, new URLSearchParams('widget=conv'), '');
  assert.equal(unprefixed.toString(), 'widget=conv&kernel=4');
});

test('keys map to stepping actions except inside form controls', () => {
  assert.equal(keyAction({ key: 'ArrowRight' }, 'DIV'), 'next');
  assert.equal(keyAction({ key: 'ArrowUp' }, 'CNN-CONV'), 'prev-row');
  assert.equal(keyAction({ key: ' ' }, 'DIV'), 'toggle-play');
  assert.equal(keyAction({ key: 'ArrowRight' }, 'INPUT'), null);
  assert.equal(keyAction({ key: 'ArrowRight', ctrlKey: true }, 'DIV'), null);
  assert.equal(keyAction({ key: 'a' }, 'DIV'), null);
  assert.equal(startsEditing({ key: '7' }), true);
  assert.equal(startsEditing({ key: '-' }), true);
  assert.equal(startsEditing({ key: 'x' }), false);
});

test('the stepper clamps, moves by rows and plays with an injected clock', () => {
  const seen = [];
  const timers = [];
  const stepper = new Stepper({
    onStep: (index) => seen.push(index),
    startTimer: (tick, ms) => {
      timers.push({ tick, ms });
      return timers.length;
    },
    stopTimer: () => timers.pop(),
  });
  stepper.resize(6, 3);
  stepper.perform('next-row');
  stepper.perform('prev');
  stepper.perform('last');
  stepper.perform('next');
  assert.deepEqual(seen, [3, 2, 5], 'no step past the end');
  stepper.play();
  assert.equal(stepper.index, 0, 'playing from the end starts again');
  assert.equal(timers[0].ms, 1000 / stepper.stepsPerSecond);
  for (let i = 0; i < 10; i++) timers[0]?.tick();
  assert.equal(stepper.index, 5);
  assert.equal(stepper.playing, false, 'play stops at the last step');
  stepper.resize(2, 2);
  assert.equal(stepper.index, 1, 'a smaller extent keeps the index inside');
});

test('exercise answers are read leniently and checked exactly', () => {
  assert.deepEqual(answerNumbers('4 x 4'), [4, 4]);
  assert.deepEqual(answerNumbers('1,728 params'), [1728]);
  assert.deepEqual(answerNumbers('27×27'), [27, 27]);
  assert.equal(checkAnswer('4', [4, 4]).correct, true, 'one number for a square answer');
  assert.equal(checkAnswer('4x3', [4, 4]).correct, false);
  assert.equal(checkAnswer('', [4]).correct, false);
  assert.equal(checkAnswer('27', [27]).correct, true);
});

test('numbers are written like the seed article', () => {
  assert.equal(formatValue(3.5), '3.5');
  assert.equal(formatValue(6), '6');
  assert.equal(formatValue(-0.0001), '0');
  assert.equal(formatValue(0.4509999), '0.45');
  assert.equal(formatCount(102400), '102,400');
  assert.equal(formatShape([1, 64, 32, 32]), '(1, 64, 32, 32)');
  assert.equal(formatPercent(-0.28), '−28%');
});

test('the PyTorch lines follow the seed article’s style', () => {
  assert.equal(
    conv2dCode({ inChannels: 3, outChannels: 64, kernel: 3, stride: 2, padding: 1 }),
    'nn.Conv2d(3, 64, kernel_size=3, stride=2, padding=1)',
  );
  assert.equal(
    conv2dCode({ inChannels: 64, outChannels: 64, kernel: 5, bias: false }),
    'nn.Conv2d(64, 64, kernel_size=5, bias=False)',
  );
  assert.equal(
    conv2dCode({ inChannels: 1, outChannels: 1, kernel: 4, padding: 'same' }),
    "nn.Conv2d(1, 1, kernel_size=4, padding='same')",
  );
  assert.equal(
    convTranspose2dCode({
      inChannels: 64,
      outChannels: 3,
      kernel: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
      bias: false,
    }),
    'nn.ConvTranspose2d(64, 3, kernel_size=3, stride=2, padding=1, output_padding=1, bias=False)',
  );
  assert.equal(poolCode({ mode: 'max', kernel: 2, stride: 2 }), 'nn.MaxPool2d(2, 2)');
  assert.equal(
    poolCode({ mode: 'avg', kernel: 3, stride: 2, padding: 1, ceilMode: true }),
    'nn.AvgPool2d(3, 2, padding=1, ceil_mode=True)',
  );
  assert.equal(poolCode({ mode: 'global' }), 'nn.AdaptiveAvgPool2d((1, 1))');
});
