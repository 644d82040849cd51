// <cnn-conv>'s logic, DOM-free: attribute schema, input and kernel, and every number shown,
// each asked of the core: F.conv2d / F.conv_transpose2d for outputs, trace.* for windows,
// products and sums, arithmetic.* for sizes, padding, parameters, MACs and FLOPs.
//
// Layouts: input [1, C, n, n]; standard weight [1, C, k, k] (C channels summed into one
// output channel); transposed weight [C, 1, k, k]. No bias, so every sum is products only.
//
// Sentences come from `t` (web/i18n), the last argument of the functions that write them,
// English by default; the formulas and PyTorch code stay as they are in every language.
import { INPUT_PRESETS, KERNEL_PRESETS, inputPlane, kernelPlane, presetForKernel } from './presets.js';
import { applyEdits } from './cell-edits.js';
import { conv2dCode, convTranspose2dCode } from './pytorch-code.js';
import { formatCount, formatTerm, formatValue } from './format.js';
import { nonzeroCells, oneHot } from './reach.js';
import { explained } from './explained.js';
import { kernelSlips } from './params-model.js';
import { slipsOf } from './exercise.js';
import { english } from '../i18n/index.js';

export const CONV_SCHEMA = {
  mode: { type: 'enum', values: ['standard', 'transposed'], default: 'standard' },
  size: { type: 'int', min: 2, max: 32, default: 6 },
  input: { type: 'enum', values: Object.keys(INPUT_PRESETS), default: 'integers' },
  values: { type: 'numbers', default: null },
  edits: { type: 'string', default: '' }, // edited input cells over the preset or values: "index:value,…" (cell-edits.js)
  channels: { type: 'int', min: 1, max: 3, default: 1 },
  kernel: { type: 'int', min: 1, max: 7, default: 3 },
  'kernel-preset': { type: 'enum', values: Object.keys(KERNEL_PRESETS), default: 'sobel-x' },
  weights: { type: 'numbers', default: null },
  'weight-edits': { type: 'string', default: '' },
  stride: { type: 'int', min: 1, max: 3, default: 1 },
  padding: { type: 'int', min: 0, max: 3, keywords: ['same', 'valid'], default: 0 },
  dilation: { type: 'int', min: 1, max: 3, default: 1 },
  'output-padding': { type: 'int', min: 0, max: 2, default: 0 },
  step: { type: 'int', min: 0, max: 4095, default: 0 },
  selected: { type: 'int', min: -1, max: 4095, default: -1 },
};

/** The seed article's table counts a 3 → 64 layer; the page shows the same for the chosen kernel. */
export const SEED_CHANNELS = { in: 3, out: 64 };

const isTransposed = (state) => state.mode === 'transposed';

/** Input [C·n·n]: the given values when they fit, else the preset, one plane per channel; then the edited cells. */
export function convInput(state, cnn) {
  const count = state.channels * state.size * state.size;
  if (state.values?.length === count) return applyEdits(state.values, state.edits);
  const input = new Float32Array(count);
  for (let channel = 0; channel < state.channels; channel++) {
    input.set(inputPlane(state.input, state.size, channel, cnn), channel * state.size * state.size);
  }
  return applyEdits(input, state.edits);
}

/**
 * Weights [C·k·k] before edits (one plane per input channel): the given weights when they fit,
 * else the preset, or the identity when the preset needs a larger kernel (`note` says so).
 */
export function baseWeights(state, cnn, t = english) {
  const count = state.channels * state.kernel * state.kernel;
  if (state.weights?.length === count) return { weights: Float32Array.from(state.weights), note: '' };
  const { name, note } = presetForKernel(state.kernelPreset, state.kernel, t);
  const plane = kernelPlane(name, state.kernel, cnn);
  const weights = new Float32Array(count);
  for (let channel = 0; channel < state.channels; channel++) weights.set(plane, channel * plane.length);
  return { weights, note };
}

/** The weights the layer uses: baseWeights with the edited taps written in. */
export function convWeights(state, cnn, t = english) {
  const { weights, note } = baseWeights(state, cnn, t);
  return { weights: applyEdits(weights, state.weightEdits), note };
}

function convTensors(cnn, state, input, weights) {
  const k = state.kernel;
  return {
    x: new cnn.Tensor(input, [1, state.channels, state.size, state.size]),
    w: new cnn.Tensor(weights, isTransposed(state) ? [state.channels, 1, k, k] : [1, state.channels, k, k]),
  };
}

function convOptions(state) {
  if (isTransposed(state)) {
    return {
      stride: state.stride,
      padding: state.padding,
      output_padding: state.outputPadding,
      dilation: state.dilation,
    };
  }
  return { stride: state.stride, padding: state.padding, dilation: state.dilation };
}

/**
 * Runs the layer: output plane, its shape, padding per side, MACs and FLOPs, all from the core.
 * @returns {{ output: Float32Array, height, width, padding: number[], macs, flops, equivalent? } | { error: string }}
 */
export function runConv(cnn, state, input, weights) {
  return explained(() => {
    const { x, w } = convTensors(cnn, state, input, weights);
    const options = convOptions(state);
    if (isTransposed(state)) {
      const shape = cnn.arithmetic.conv_transpose2d_shape(x.shape, w.shape, options);
      const output = cnn.F.conv_transpose2d(x, w, null, options);
      return {
        output: output.data,
        height: shape.shape[2],
        width: shape.shape[3],
        macs: shape.macs,
        flops: shape.flops,
        equivalent: shape.equivalent,
      };
    }
    const shape = cnn.arithmetic.conv2d_shape(x.shape, w.shape, options);
    const output = cnn.F.conv2d(x, w, null, options);
    return {
      output: output.data,
      height: shape.shape[2],
      width: shape.shape[3],
      padding: shape.padding,
      macs: shape.macs,
      flops: shape.flops,
    };
  });
}

/** The terms, products and sum of output cell (row, col). */
export function traceOutput(cnn, state, input, weights, row, col) {
  const { x, w } = convTensors(cnn, state, input, weights);
  const at = { channel: 0, row, col };
  return isTransposed(state)
    ? cnn.trace.conv_transpose2d(x, w, null, convOptions(state), at)
    : cnn.trace.conv2d(x, w, null, convOptions(state), at);
}

/**
 * Standard mode with several channels: each channel's own window sum, traced by the core on
 * that channel alone, so the page can show C partial sums adding up to the output.
 */
export function channelPartials(cnn, state, input, weights, row, col) {
  const plane = state.size * state.size;
  const taps = state.kernel * state.kernel;
  return Array.from({ length: state.channels }, (_, channel) => {
    const x = new cnn.Tensor(input.subarray(channel * plane, (channel + 1) * plane), [1, 1, state.size, state.size]);
    const w = new cnn.Tensor(weights.subarray(channel * taps, (channel + 1) * taps), [
      1,
      1,
      state.kernel,
      state.kernel,
    ]);
    return cnn.trace.conv2d(x, w, null, convOptions(state), { channel: 0, row, col });
  });
}

/**
 * Transposed convolution seen as a stride-1 convolution: the input with stride − 1 zeros
 * inserted between cells (made by the core: a 1×1 transposed convolution of ones), padded by
 * the core's `equivalent.padding` (negative = cropped), convolved with the flipped kernel.
 * `fromInput` is 1 where a cell holds an input value, 0 for inserted zeros and padding.
 * @returns {{ values: Float32Array, fromInput: Uint8Array, height, width, flipped: Float32Array, padding: number[], trace: (row, col) => object } | { error: string }}
 */
export function equivalentConvolution(cnn, state, input, weights, equivalent) {
  return explained(() => {
    const { x } = convTensors(cnn, state, input, weights);
    const ones = new cnn.Tensor(new Float32Array(state.channels).fill(1), [state.channels, 1, 1, 1]);
    const insert = (tensor) =>
      cnn.F.conv_transpose2d(tensor, ones, null, { stride: state.stride, groups: state.channels });
    const inserted = insert(x);
    const marker = insert(new cnn.Tensor(new Float32Array(x.size).fill(1), x.shape));
    const padded = padPlanes(inserted, equivalent.padding);
    const flipped = new Float32Array(weights.length);
    const taps = state.kernel * state.kernel;
    for (let channel = 0; channel < state.channels; channel++) {
      for (let tap = 0; tap < taps; tap++) flipped[channel * taps + tap] = weights[channel * taps + taps - 1 - tap];
    }
    const xPadded = new cnn.Tensor(padded.values, [1, state.channels, padded.height, padded.width]);
    const wFlipped = new cnn.Tensor(flipped, [1, state.channels, state.kernel, state.kernel]);
    const options = { stride: 1, dilation: state.dilation };
    return {
      values: padded.values,
      fromInput: Uint8Array.from(padPlanes(marker, equivalent.padding).values),
      height: padded.height,
      width: padded.width,
      flipped,
      padding: equivalent.padding,
      trace: (row, col) => cnn.trace.conv2d(xPadded, wFlipped, null, options, { channel: 0, row, col }),
    };
  });
}

/** Zero padding per side of every plane of [1, C, H, W] (negative amounts crop): data movement only. */
function padPlanes(tensor, [top, left, bottom, right]) {
  const [, channels, sourceHeight, sourceWidth] = tensor.shape;
  const height = top + sourceHeight + bottom;
  const width = left + sourceWidth + right;
  const values = new Float32Array(channels * height * width);
  for (let channel = 0; channel < channels; channel++) {
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const sourceRow = row - top;
        const sourceCol = col - left;
        if (sourceRow < 0 || sourceRow >= sourceHeight || sourceCol < 0 || sourceCol >= sourceWidth) continue;
        values[(channel * height + row) * width + col] =
          tensor.data[(channel * sourceHeight + sourceRow) * sourceWidth + sourceCol];
      }
    }
  }
  return { values, height, width };
}

/** The output-size formula for one axis, filled with the current numbers; the size is the core's. */
export function convFormula(state, result) {
  const answer = (filled) =>
    result.error
      ? { filled, size: null, error: result.error }
      : { filled: `${filled} = ${result.height}`, size: result.height };
  if (isTransposed(state)) {
    return {
      general: 'H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1',
      ...answer(
        `(${state.size} − 1)·${state.stride} − 2·${state.padding} + ${state.dilation}·(${state.kernel} − 1) + ${state.outputPadding} + 1`,
      ),
    };
  }
  const [top, , bottom] = result.padding ?? [state.padding, 0, state.padding];
  return {
    general: 'H_out = floor((H_in + pad_top + pad_bottom − dilation·(kernel − 1) − 1) / stride) + 1',
    ...answer(
      `floor((${state.size} + ${top} + ${bottom} − ${state.dilation}·(${state.kernel} − 1) − 1) / ${state.stride}) + 1`,
    ),
  };
}

/** The layer's windows on one channel with every weight 1: the probe of reach.js. */
function probe(cnn, state) {
  const taps = state.kernel * state.kernel;
  const ones = new cnn.Tensor(new Float32Array(taps).fill(1), [1, 1, state.kernel, state.kernel]);
  return { ones, options: convOptions(state), transposed: isTransposed(state) };
}

/** How many windows read each input cell (0 = never read): the core's gradient of the summed output. */
export function windowReads(cnn, state, result) {
  const { ones, options, transposed } = probe(cnn, state);
  const input = cnn.Tensor.zeros([1, 1, state.size, state.size]);
  const upstream = new cnn.Tensor(new Float32Array(result.height * result.width).fill(1), [
    1,
    1,
    result.height,
    result.width,
  ]);
  const gradient = transposed
    ? cnn.grad.conv_transpose2d(upstream, input, ones, null, options)
    : cnn.grad.conv2d(upstream, input, ones, null, options);
  return gradient.input.data;
}

/** Flat indices of the output cells that read input cell (row, col): the core's op on a one-hot input. */
export function outputsReading(cnn, state, row, col) {
  const { ones, options, transposed } = probe(cnn, state);
  const input = new cnn.Tensor(oneHot(state.size, state.size, row, col), [1, 1, state.size, state.size]);
  return nonzeroCells(
    (transposed ? cnn.F.conv_transpose2d(input, ones, null, options) : cnn.F.conv2d(input, ones, null, options)).data,
  );
}

/** Why 'same' padding is uneven for an even kernel (PyTorch puts the extra pixel at the end). */
export function samePaddingNote(state, result, t = english) {
  if (state.padding !== 'same' || result.error || isTransposed(state)) return '';
  const [top, left, bottom, right] = result.padding;
  if (top === bottom && left === right) return t('conv.same-even', { top });
  return t('conv.same-uneven', { top, bottom });
}

/** Parameter counts from the core: this layer (C → 1) and the seed article's 3 → 64 with the same kernel. */
export function convParameterCounts(cnn, state) {
  return {
    layer: cnn.arithmetic.conv2d_params(state.channels, 1, state.kernel, { bias: false }),
    seed: cnn.arithmetic.conv2d_params(SEED_CHANNELS.in, SEED_CHANNELS.out, state.kernel, { bias: false }),
  };
}

export function convPytorchCode(state) {
  const common = {
    inChannels: state.channels,
    outChannels: 1,
    kernel: state.kernel,
    stride: state.stride,
    dilation: state.dilation,
    bias: false,
  };
  if (isTransposed(state))
    return convTranspose2dCode({ ...common, padding: convOptions(state).padding, outputPadding: state.outputPadding });
  return conv2dCode({ ...common, padding: state.padding });
}

/** An operand as shown: exact (formatTerm: 1/9 for a weight), negatives in parentheses; a sum shows as a decimal. */
function operand(value, { fractions = true } = {}) {
  const term = formatTerm(value);
  const { text, exact } = fractions || !term.text.includes('/') ? term : { text: formatValue(value), exact: false };
  return { text: value < 0 ? `(${text})` : text, exact };
}

/** "a·b + c·d + …" from the traced terms, and whether every operand is shown exactly. */
function products(terms) {
  const shown = terms.map((term) => [operand(term.value), operand(term.weight)]);
  return {
    text: shown.map(([value, weight]) => `${value.text}·${weight.text}`).join(' + '),
    exact: shown.every(([value, weight]) => value.exact && weight.exact),
  };
}

/** "1·(−1) + 2·0 + …": each traced input value times its weight, as the core listed them. */
export function productsText(terms) {
  return products(terms).text;
}

/** "sum = value", or "sum ≈ value" when an operand is rounded for display (so the shown terms need not add up exactly). */
const equation = (left, { text, exact }, value) => `${left}${text} ${exact ? '=' : '≈'} ${formatValue(value)}`;

/**
 * The lines explaining one step: the products of each channel and their sums, then the output
 * cell. Every sum is a traced value from the core (partials traced channel by channel); the
 * shown operands are exact (1/9, not 0.11) or the line says ≈.
 */
export function stepExplanation(state, row, col, traced, partials, t = english) {
  const cell = `output[${row}, ${col}]`;
  if (isTransposed(state) && traced.terms.length === 0)
    return [t('conv.unreached', { cell, value: formatValue(traced.value) })];
  if (!partials || partials.length < 2) return [equation(`${cell} = `, products(traced.terms), traced.value)];
  const shownPartials = partials.map((partial) => operand(partial.value, { fractions: false }));
  return [
    ...partials.map((partial, channel) =>
      equation(t('conv.channel-sum', { channel }), products(partial.terms), partial.value),
    ),
    equation(
      `${cell} = `,
      {
        text: shownPartials.map((shown) => shown.text).join(' + '),
        exact: shownPartials.every((shown) => shown.exact),
      },
      traced.value,
    ),
  ];
}

/** Why a 1×1 kernel matters (the seed article's channel fusion), shown when the kernel is 1×1. */
export function oneByOneNote(state, t = english) {
  if (state.kernel !== 1 || isTransposed(state)) return '';
  return state.channels > 1 ? t('conv.one-by-one-channels', { channels: state.channels }) : t('conv.one-by-one-single');
}

/**
 * The scatter line of a transposed convolution: the selected input cell stamps the kernel onto
 * `fed` output cells; the current cell's ring hides its outline, so the count says so.
 */
export function scatterLine(row, col, value, fed, current, t = english) {
  const shown = formatValue(value);
  const ringed = fed.has(current);
  return t(ringed ? 'conv.scatter-ringed' : 'conv.scatter', {
    row,
    col,
    value: shown,
    count: fed.size,
    outlined: fed.size - (ringed ? 1 : 0),
  });
}

/** The output [height, width] the core gives with some options changed (a learner's slip), or null when that is invalid. */
function sizeWith(cnn, state, changes) {
  const changed = { ...state, ...changes };
  const result = explained(() => {
    const x = [1, state.channels, state.size, state.size];
    const options = convOptions(changed);
    return isTransposed(state)
      ? cnn.arithmetic.conv_transpose2d_shape(x, [state.channels, 1, state.kernel, state.kernel], options).shape
      : cnn.arithmetic.conv2d_shape(x, [1, state.channels, state.kernel, state.kernel], options).shape;
  });
  return result.error ? null : result.slice(2);
}

/**
 * The output-size exercise: the answer and the slips a learner makes, each the core's size with
 * one term of the formula left out, and what to fix.
 */
export function outputSizeExercise(cnn, state, result, t = english) {
  if (!result || result.error) return { expected: [], text: t('shared.no-valid-output'), mistakes: [] };
  const expected = [result.height, result.width];
  const slips = [
    [{ padding: 0 }, t('conv.slip-padding')],
    [{ stride: 1 }, t('conv.slip-stride', { stride: state.stride })],
    [{ dilation: 1 }, t('conv.slip-dilation', { span: state.dilation * (state.kernel - 1) + 1 })],
    ...(isTransposed(state) ? [[{ outputPadding: 0 }, t('conv.slip-output-padding')]] : []),
  ];
  const mistakes = slipsOf(state, slips, (changes) => sizeWith(cnn, state, changes));
  mistakes.push({ expected: expected.map((size) => size - 1), message: t('conv.slip-plus-one') });
  return { expected, text: `${result.height}×${result.width}`, mistakes };
}

/** The parameter-count exercise (the seed article's 3 → 64 layer with this kernel, no bias): the answer and the usual slips. */
export function parameterExercise(cnn, state, t = english) {
  const seed = cnn.arithmetic.conv2d_params(SEED_CHANNELS.in, SEED_CHANNELS.out, state.kernel, { bias: false });
  return {
    expected: [seed],
    text: formatCount(seed),
    mistakes: kernelSlips(
      cnn,
      { kernel: state.kernel, inChannels: SEED_CHANNELS.in, outChannels: SEED_CHANNELS.out, bias: false },
      t,
    ),
  };
}
