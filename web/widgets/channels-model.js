// <cnn-channels>'s logic, DOM-free: a real RGB photo through one Conv2d(3 → out_channels, k×k,
// groups), and everything the widget shows of it, each number asked of the core:
//   the output maps             F.conv2d on the photo
//   each input plane's share    F.conv2d on the photo with the other two planes set to zero, no
//                               bias: x[c] ⋆ w[o, c] for every output o at once, whatever the groups
//   which planes feed an output trace.conv2d's terms (their `channel`), also the window on the input
//   the value at one pixel      trace.conv2d's value and bias
//   the groups offered          the values arithmetic.conv2d_params accepts for 3 → out_channels
//   the parameter count         arithmetic.conv2d_params
// The filters are data (presets.js kernels times a colour mix): the page computes nothing with them.
import { PHOTO } from '../data/photo-patch.js';
import { kernelPlane, presetForKernel } from './presets.js';
import { conv2dCode } from './pytorch-code.js';
import { explained } from './explained.js';
import { formatCount } from './format.js';

export const IN_CHANNELS = 3;
export const PLANES = ['R', 'G', 'B'];
export const MAX_OUT_CHANNELS = 8;
export const GROUP_CANDIDATES = [1, 2, 3];

/**
 * One output channel's filter: a spatial kernel (a presets.js name) weighted per colour plane.
 * `mix` [r, g, b] multiplies the kernel for each plane (groups = 1); with groups > 1 an output
 * reads only its group's planes and the kernel is used as it is.
 */
const FILTERS = {
  'edges-x': { kernel: 'sobel-x', mix: [1, 1, 1] },
  'edges-y': { kernel: 'sobel-y', mix: [1, 1, 1] },
  'red-green': { kernel: 'box', mix: [1, -1, 0] },
  'blue-yellow': { kernel: 'box', mix: [-0.5, -0.5, 1] },
  brightness: { kernel: 'box', mix: [1 / 3, 1 / 3, 1 / 3], bias: -0.5 },
  'red-edges-x': { kernel: 'sobel-x', mix: [1, 0, 0] },
  'green-edges-x': { kernel: 'sobel-x', mix: [0, 1, 0] },
  'blue-edges-x': { kernel: 'sobel-x', mix: [0, 0, 1] },
  'red-edges-y': { kernel: 'sobel-y', mix: [1, 0, 0] },
  'green-edges-y': { kernel: 'sobel-y', mix: [0, 1, 0] },
  'blue-edges-y': { kernel: 'sobel-y', mix: [0, 0, 1] },
  sharpen: { kernel: 'sharpen', mix: [1 / 3, 1 / 3, 1 / 3] },
  'green-red': { kernel: 'box', mix: [-1, 1, 0] },
  'yellow-blue': { kernel: 'box', mix: [0.5, 0.5, -1] },
  red: { kernel: 'identity', mix: [1, 0, 0], bias: -0.5 },
  green: { kernel: 'identity', mix: [0, 1, 0], bias: -0.5 },
  blue: { kernel: 'identity', mix: [0, 0, 1], bias: -0.5 },
  'blur-red': { kernel: 'box', mix: [1, 0, 0], bias: -0.5 },
  'blur-green': { kernel: 'box', mix: [0, 1, 0], bias: -0.5 },
  'blur-blue': { kernel: 'box', mix: [0, 0, 1], bias: -0.5 },
};

/** The filter sets the learner picks; output channel o uses the set's filter o (cycled). */
export const FILTER_SETS = {
  mixed: ['edges-x', 'red-green', 'edges-y', 'blue-yellow', 'brightness', 'red-edges-x', 'sharpen', 'blue-edges-y'],
  edges: [
    'red-edges-x',
    'green-edges-x',
    'blue-edges-x',
    'red-edges-y',
    'green-edges-y',
    'blue-edges-y',
    'edges-x',
    'edges-y',
  ],
  colour: ['red-green', 'blue-yellow', 'green-red', 'yellow-blue', 'red', 'green', 'blue', 'brightness'],
  blur: ['blur-red', 'blur-green', 'blur-blue', 'brightness', 'red', 'green', 'blue', 'sharpen'],
  random: [],
};

export const CHANNELS_SCHEMA = {
  filters: { type: 'enum', values: Object.keys(FILTER_SETS), default: 'mixed' },
  'out-channels': { type: 'int', min: 1, max: MAX_OUT_CHANNELS, default: 6 }, // 6: both groups 1 and 3 (depthwise) are valid
  kernel: { type: 'int', min: 1, max: 7, default: 3 },
  groups: { type: 'int', min: 1, max: 3, default: 1 },
  stride: { type: 'int', min: 1, max: 3, default: 1 },
  padding: { type: 'int', min: 0, max: 3, default: 1 },
  channel: { type: 'int', min: 0, max: MAX_OUT_CHANNELS - 1, default: 0 }, // the output plane explained
  pixel: { type: 'string', default: '' }, // "row,col" of the output pixel explained; empty: the default spot
};

/** The pixel explained when none is chosen: on the flag's stripes next to the suit (rows × cols of the output). */
const DEFAULT_PIXEL = [0.5, 0.12];

/** The photo as the layer's input: 1 × 3 × size × size, bytes / 255 (ToTensor's scaling). */
export function photoInput() {
  const bytes = Uint8Array.from(atob(PHOTO.base64), (char) => char.charCodeAt(0));
  return { values: Float32Array.from(bytes, (byte) => byte / 255), bytes, size: PHOTO.size };
}

/** The groups values the core accepts for 3 → out_channels (it checks both divisibilities). */
export function groupsOffered(cnn, outChannels, kernel) {
  return GROUP_CANDIDATES.filter(
    (groups) => !explained(() => cnn.arithmetic.conv2d_params(IN_CHANNELS, outChannels, kernel, { groups })).error,
  );
}

/**
 * The layer's weights [out, 3 / groups, k, k] and biases [out], and what each output channel's
 * filter is (its FILTERS key, or 'random'). Kernel patterns that need 3×3 become the identity on
 * smaller kernels (presets.js).
 */
export function layerWeights(cnn, state) {
  const { outChannels, kernel, groups } = state;
  const perGroup = IN_CHANNELS / groups;
  const taps = kernel * kernel;
  const weight = new Float32Array(outChannels * perGroup * taps);
  const bias = new Float32Array(outChannels);
  const filters = [];
  if (state.filters === 'random') {
    // N(0, 1) from the binding's seeded generator, rounded to one decimal so the weights read easily.
    const random = cnn.randn([weight.length], 7).data;
    weight.set(random.map((value) => Math.round(value * 10) / 10));
    for (let o = 0; o < outChannels; o++) filters.push({ key: 'random', kernel: 'random' });
    return { weight, bias, weightShape: [outChannels, perGroup, kernel, kernel], filters };
  }
  const set = FILTER_SETS[state.filters];
  for (let o = 0; o < outChannels; o++) {
    const filter = FILTERS[set[o % set.length]];
    const spatialName = presetForKernel(filter.kernel, kernel).name;
    const spatial = kernelPlane(spatialName, kernel, cnn);
    for (let j = 0; j < perGroup; j++) {
      const scale = groups === 1 ? filter.mix[j] : 1;
      for (let tap = 0; tap < taps; tap++) weight[(o * perGroup + j) * taps + tap] = spatial[tap] * scale;
    }
    bias[o] = groups === 1 ? (filter.bias ?? 0) : 0;
    // groups = 1: the filter's own name, or 'mix' when its pattern needed a larger kernel (then only the colour mix is left);
    // grouped: each output reads its own planes, so only the spatial kernel remains.
    const key = groups !== 1 ? spatialName : spatialName === filter.kernel ? set[o % set.length] : 'mix';
    filters.push({ key, kernel: spatialName });
  }
  return { weight, bias, weightShape: [outChannels, perGroup, kernel, kernel], filters };
}

/** The chosen output pixel [row, col], inside the output (the default spot when unset or outside). */
export function chosenPixel(pixel, height, width) {
  const parts = String(pixel ?? '')
    .split(',')
    .map((part) => Number(part.trim()));
  const valid =
    parts.length === 2 &&
    parts.every(Number.isInteger) &&
    parts[0] >= 0 &&
    parts[1] >= 0 &&
    parts[0] < height &&
    parts[1] < width;
  if (valid) return parts;
  return [
    Math.min(height - 1, Math.floor(DEFAULT_PIXEL[0] * height)),
    Math.min(width - 1, Math.floor(DEFAULT_PIXEL[1] * width)),
  ];
}

/**
 * Runs the layer on the photo. The output maps and, per input plane c, the maps x[c] ⋆ w[·, c]
 * (the layer without bias on the photo with every other plane zero): for each output o, the
 * planes' maps plus b[o] add up to out[o].
 * @returns {{ error: string } | {
 *   input: Float32Array, size: number, weights, output: Float32Array, height: number, width: number,
 *   contributions: Float32Array[], feeds: number[][], params: number, options: object }}
 */
export function runLayer(cnn, state) {
  return explained(() => {
    const photo = photoInput();
    const params = cnn.arithmetic.conv2d_params(IN_CHANNELS, state.outChannels, state.kernel, {
      groups: state.groups,
      bias: true,
    });
    const weights = layerWeights(cnn, state);
    const options = { stride: state.stride, padding: state.padding, groups: state.groups };
    const inputShape = [1, IN_CHANNELS, photo.size, photo.size];
    const x = new cnn.Tensor(photo.values, inputShape);
    const w = new cnn.Tensor(weights.weight, weights.weightShape);
    const b = new cnn.Tensor(weights.bias, [state.outChannels]);
    const out = cnn.F.conv2d(x, w, b, options);
    const [, , height, width] = out.shape;
    const plane = photo.size * photo.size;
    const contributions = PLANES.map((_, channel) => {
      const only = new Float32Array(photo.values.length);
      only.set(photo.values.subarray(channel * plane, (channel + 1) * plane), channel * plane);
      return cnn.F.conv2d(new cnn.Tensor(only, inputShape), w, null, options).data;
    });
    const feeds = Array.from({ length: state.outChannels }, (_, channel) => {
      const traced = cnn.trace.conv2d(x, w, b, options, { channel, row: 0, col: 0 });
      return [...new Set(traced.terms.map((term) => term.channel))].sort((a, b) => a - b);
    });
    return {
      input: photo.values,
      bytes: photo.bytes,
      size: photo.size,
      weights,
      output: out.data,
      height,
      width,
      contributions,
      feeds,
      params,
      options,
      x,
      w,
      b,
    };
  });
}

/** Output channel o's map (height × width) out of an N × C × H × W array. */
export function planeOf(values, channel, height, width) {
  return values.subarray(channel * height * width, (channel + 1) * height * width);
}

/** The weights w[o, j] (k × k) of output o: one plane per input channel it reads. */
export function kernelsOf(layer, channel) {
  const [, perGroup, kernel] = layer.weights.weightShape;
  const taps = kernel * kernel;
  return Array.from({ length: perGroup }, (_, j) =>
    layer.weights.weight.subarray((channel * perGroup + j) * taps, (channel * perGroup + j + 1) * taps),
  );
}

/**
 * out[o] at one pixel, from the core: the output map's value, trace.conv2d's bias and its window on the input
 * (unpadded cells read), and each feeding plane's share read off its contribution map.
 * @returns {{ value: number, bias: number, terms: { channel: number, value: number }[], window: { top, left, bottom, right } }}
 */
export function pixelSum(cnn, layer, channel, row, col) {
  const traced = cnn.trace.conv2d(layer.x, layer.w, layer.b, layer.options, { channel, row, col });
  const index = channel * layer.height * layer.width + row * layer.width + col;
  const terms = layer.feeds[channel].map((plane) => ({ channel: plane, value: layer.contributions[plane][index] }));
  const rows = traced.terms.map((term) => term.row);
  const cols = traced.terms.map((term) => term.col);
  return {
    value: layer.output[index], // F.conv2d's (the map drawn); the trace sums in another order, equal to float rounding
    traced: traced.value,
    bias: traced.bias,
    terms,
    window: { top: Math.min(...rows), left: Math.min(...cols), bottom: Math.max(...rows), right: Math.max(...cols) },
  };
}

const NEAREST_DECIMALS = [2, 3, 4];

/** A scaled integer as text at `decimals` decimals (− for minus, no trailing zeros, no "-0"). */
function decimalText(scaled, decimals) {
  const text = (Math.abs(scaled) / 10 ** decimals).toFixed(decimals).replace(/\.?0+$/, '');
  return scaled < 0 && text !== '0' ? `−${text}` : text;
}

/**
 * The printed terms of a sum, as integers of 10^-decimals, that add up exactly to the printed
 * value: each term rounded to the nearest at the fewest decimals (2 to 4) where that works; else,
 * at 2 decimals, each term rounded down or up, the ups given to the largest remainders (so every
 * term stays within 0.01 of its value). null when even that cannot (float error past a unit).
 */
function roundedTerms(values, bias, value) {
  for (const decimals of NEAREST_DECIMALS) {
    const scale = 10 ** decimals;
    const terms = values.map((term) => Math.round(term * scale));
    const biasScaled = Math.round(bias * scale);
    if (terms.reduce((sum, term) => sum + term, biasScaled) === Math.round(value * scale))
      return { decimals, terms, bias: biasScaled, total: Math.round(value * scale) };
  }
  const decimals = NEAREST_DECIMALS[0];
  const scale = 10 ** decimals;
  const biasScaled = Math.round(bias * scale);
  const total = Math.round(value * scale);
  const terms = values.map((term) => Math.floor(term * scale));
  const ups = total - biasScaled - terms.reduce((sum, term) => sum + term, 0);
  if (ups < 0 || ups > terms.length) return null;
  const byRemainder = values.map((term, index) => [term * scale - terms[index], index]).sort((a, b) => b[0] - a[0]);
  for (const [, index] of byRemainder.slice(0, ups)) terms[index] += 1;
  return { decimals, terms, bias: biasScaled, total };
}

/**
 * The sum line of one pixel, its terms written so that they add up to the value written
 * (roundedTerms). Where they cannot, the line says ≈.
 * @param {{ label: string, value: number }[]} terms
 * @returns {{ text: string, terms: string[], bias: string, value: string, exact: boolean, decimals: number }}
 */
export function sumLine(head, terms, bias, value, biasLabel = 'b') {
  const rounded = roundedTerms(
    terms.map((term) => term.value),
    bias,
    value,
  );
  const decimals = rounded?.decimals ?? NEAREST_DECIMALS[0];
  const scale = 10 ** decimals;
  const printed = rounded ?? {
    terms: terms.map((term) => Math.round(term.value * scale)),
    bias: Math.round(bias * scale),
    total: Math.round(value * scale),
  };
  const written = (scaled) => {
    const text = decimalText(scaled, decimals);
    return text.startsWith('−') ? `(${text})` : text;
  };
  const shownTerms = printed.terms.map((scaled, index) => `${written(scaled)} ${terms[index].label}`);
  const total = decimalText(printed.total, decimals);
  return {
    text: `${head} = ${[...shownTerms, `${written(printed.bias)} ${biasLabel}`].join(' + ')} ${rounded ? '=' : '≈'} ${total}`,
    terms: printed.terms.map((scaled) => decimalText(scaled, decimals)),
    bias: decimalText(printed.bias, decimals),
    value: total,
    exact: Boolean(rounded),
    decimals,
  };
}

/** The parameter count with its formula filled in: out·(in/groups)·k·k + out = N (N from the core). */
export function parameterFormula(state, params) {
  const { outChannels: out, groups, kernel } = state;
  return {
    general: 'out · (in / groups) · k · k + out',
    filled: `${out} · (${IN_CHANNELS} / ${groups}) · ${kernel} · ${kernel} + ${out} = ${formatCount(params)}`,
    params,
  };
}

/** The seed article's 3 → 64 layer with this kernel and groups: its parameter count from the core, or null where groups do not divide 64. */
export const ARTICLE_OUT_CHANNELS = 64;
export function articleLayer(cnn, state) {
  const count = (bias) =>
    explained(() =>
      cnn.arithmetic.conv2d_params(IN_CHANNELS, ARTICLE_OUT_CHANNELS, state.kernel, { groups: state.groups, bias }),
    );
  const [params, weights] = [count(true), count(false)];
  if (typeof params !== 'number') return null;
  const out = ARTICLE_OUT_CHANNELS;
  return {
    params,
    weights,
    filled: `${out} · (${IN_CHANNELS} / ${state.groups}) · ${state.kernel} · ${state.kernel} + ${out} = ${formatCount(params)}`,
  };
}

export function channelsCode(state) {
  return conv2dCode({
    inChannels: IN_CHANNELS,
    outChannels: state.outChannels,
    kernel: state.kernel,
    stride: state.stride,
    padding: state.padding,
    groups: state.groups,
  });
}

/** Largest |value| of some arrays (1 when all are zero): the colour scale's end. */
export function largestMagnitude(...arrays) {
  let largest = 0;
  for (const values of arrays) for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest || 1;
}
