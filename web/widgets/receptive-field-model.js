// <cnn-receptive-field>'s logic, DOM-free: the layer stack (its text form for attributes and
// URLs), presets, and every number shown, each from the core: output sizes
// (arithmetic.conv2d_shape / max_pool2d_shape), RF, jump and start (arithmetic.receptive_field),
// the span of one pixel (arithmetic.receptive_field_span), parameters (arithmetic.conv2d_params),
// the input pixels that actually reach an output pixel (grad.conv2d through the stack) and the
// photo under the field at the input size (F.adaptive_avg_pool2d of web/data/photo-grey.js).
// Sentences come from `t` (web/i18n), the last argument of the functions that write them.
import { english } from '../i18n/index.js';
import { coreMessage } from '../i18n/core-errors.js';
import { PHOTO_GREY } from '../data/photo-grey.js';

/**
 * A layer: { kind: 'conv' | 'pool', kernel, stride, padding, dilation, channels } where
 * channels is a conv's output channels. Text form, one token per layer, comma separated:
 * "c7s2p3o64" (conv 7×7, stride 2, padding 3, 64 out channels), "p3s2p1" (pool), "d2" = dilation.
 */
const TOKEN = /^([cp])(\d+)(?:s(\d+))?(?:p(\d+))?(?:d(\d+))?(?:o(\d+))?$/;

export const LAYER_LIMITS = { kernel: [1, 11], stride: [1, 4], padding: [0, 8], dilation: [1, 8], channels: [1, 2048] };
export const MAX_LAYERS = 12;

export function parseLayers(text, t = english) {
  const tokens = String(text)
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);
  if (!tokens.length) return { error: t('rf.layers-empty') };
  if (tokens.length > MAX_LAYERS) return { error: t('rf.layers-too-many', { max: MAX_LAYERS, count: tokens.length }) };
  const layers = [];
  for (const [index, token] of tokens.entries()) {
    const match = TOKEN.exec(token);
    if (!match) return { error: t('rf.layers-bad-item', { item: index + 1, token }) };
    const [, kind, kernel, stride, padding, dilation, channels] = match;
    const layer = {
      kind: kind === 'c' ? 'conv' : 'pool',
      kernel: Number(kernel),
      stride: Number(stride ?? (kind === 'p' ? kernel : 1)),
      padding: Number(padding ?? 0),
      dilation: Number(dilation ?? 1),
      channels: kind === 'c' ? Number(channels ?? 64) : null,
    };
    for (const [name, [low, high]] of Object.entries(LAYER_LIMITS)) {
      if (layer[name] !== null && (layer[name] < low || layer[name] > high)) {
        return { error: t('rf.layers-outside', { item: index + 1, name, value: layer[name], low, high }) };
      }
    }
    layers.push(layer);
  }
  return { layers };
}

export function formatLayers(layers) {
  return layers
    .map(
      (layer) =>
        `${layer.kind === 'conv' ? 'c' : 'p'}${layer.kernel}s${layer.stride}p${layer.padding}` +
        `${layer.dilation !== 1 ? `d${layer.dilation}` : ''}${layer.kind === 'conv' ? `o${layer.channels}` : ''}`,
    )
    .join(',');
}

/** Presets; label is the message key of the preset's name (web/i18n). */
export const RF_PRESETS = {
  resnet18: { label: 'rf.preset.resnet18', layers: 'c7s2p3o64,p3s2p1,c3s1p1o64,c3s1p1o64', compare: '' },
  'five-vs-three': { label: 'rf.preset.five-vs-three', layers: 'c5s1p2o64', compare: 'c3s1p1o64,c3s1p1o64' },
  vgg: {
    label: 'rf.preset.vgg',
    layers: 'c3s1p1o64,c3s1p1o64,p2s2,c3s1p1o128,c3s1p1o128,p2s2,c3s1p1o256,c3s1p1o256,c3s1p1o256,p2s2',
    compare: '',
  },
  dilated: {
    label: 'rf.preset.dilated',
    layers: 'c3s1p1o64,c3s1p2d2o64,c3s1p4d4o64,c3s1p8d8o64',
    compare: 'c3s1p1o64,c3s1p1o64,c3s1p1o64,c3s1p1o64',
  },
  holes: { label: 'rf.preset.holes', layers: 'c2s3o16,c2s3o16', compare: '' },
};

export const RF_SCHEMA = {
  preset: { type: 'enum', values: [...Object.keys(RF_PRESETS), 'custom'], default: 'resnet18' },
  layers: { type: 'string', default: '' },
  compare: { type: 'string', default: '' },
  size: { type: 'int', min: 8, max: 256, default: 64 },
  'in-channels': { type: 'int', min: 1, max: 512, default: 3 },
  step: { type: 'int', min: 1, max: MAX_LAYERS, default: MAX_LAYERS }, // layers applied; clamped to the stack
  pixel: { type: 'numbers', default: null },
};

/** The stack and the comparison stack the state describes (edited text, else the preset). */
export function stacksOf(state, t = english) {
  const preset = RF_PRESETS[state.preset] ?? RF_PRESETS.resnet18;
  const main = parseLayers(state.layers || preset.layers, t);
  const compareText = state.compare || (state.layers ? '' : preset.compare);
  const compare = compareText ? parseLayers(compareText, t) : { layers: [] };
  return { main, compare };
}

const coreLayer = (layer) => ({
  kernel: layer.kernel,
  stride: layer.stride,
  padding: layer.padding,
  dilation: layer.dilation,
});

function layerName(layer, t) {
  const name = t(layer.kind === 'conv' ? 'rf.layer-conv' : 'rf.layer-pool', layer);
  return layer.dilation !== 1 ? `${name}${t('rf.layer-dilation', layer)}` : name;
}

/**
 * One row per layer: output size, RF, jump, start and parameters (weights only, as in the
 * seed's table), all from the core. Stops at the first invalid layer with the core's reason.
 * @returns {{ rows: object[], error: string | null }}
 */
export function layerTable(cnn, layers, size, inChannels, t = english) {
  const rows = [];
  let shape = [1, inChannels, size, size];
  const fields = cnn.arithmetic.receptive_field(layers.map(coreLayer));
  for (const [index, layer] of layers.entries()) {
    const options = { stride: layer.stride, padding: layer.padding, dilation: layer.dilation };
    try {
      const channels = shape[1];
      const output =
        layer.kind === 'conv'
          ? cnn.arithmetic.conv2d_shape(shape, [layer.channels, channels, layer.kernel, layer.kernel], options)
          : cnn.arithmetic.max_pool2d_shape(shape, layer.kernel, options);
      const params =
        layer.kind === 'conv'
          ? cnn.arithmetic.conv2d_params(channels, layer.channels, layer.kernel, { bias: false })
          : 0;
      shape = output.shape;
      rows.push({ name: layerName(layer, t), layer, outSize: shape[2], channels: shape[1], params, ...fields[index] });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return {
        rows,
        error: t('rf.layer-error', {
          index: index + 1,
          name: layerName(layer, t),
          reason: coreMessage(t, error.message),
        }),
      };
    }
  }
  return { rows, error: null };
}

/** [first, last] input coordinates of output pixel `index` after `layers` (may reach into padding). */
export function pixelSpan(cnn, layers, index) {
  return cnn.arithmetic.receptive_field_span(layers.map(coreLayer), index);
}

/**
 * How many paths lead from each input pixel to output pixel (row, col) of the last layer:
 * the gradient of that pixel with respect to the input, with every weight 1, computed by the
 * core's conv2d forward (shapes) and backward. Zero = the pixel does not reach it, which shows
 * the holes of a stride larger than the kernel; the largest counts sit in the middle.
 * @returns {Float32Array} size × size
 */
export function pathCounts(cnn, layers, size, row, col) {
  const activations = [new cnn.Tensor(new Float32Array(size * size).fill(1), [1, 1, size, size])];
  const weights = layers.map(
    (layer) =>
      new cnn.Tensor(new Float32Array(layer.kernel * layer.kernel).fill(1), [1, 1, layer.kernel, layer.kernel]),
  );
  const options = layers.map((layer) => ({ stride: layer.stride, padding: layer.padding, dilation: layer.dilation }));
  for (const [index] of layers.entries()) {
    activations.push(cnn.F.conv2d(activations[index], weights[index], null, options[index]));
  }
  const last = activations[layers.length];
  let upstream = cnn.Tensor.zeros(last.shape);
  upstream.data[row * last.shape[3] + col] = 1;
  for (let index = layers.length - 1; index >= 0; index--) {
    upstream = cnn.grad.conv2d(upstream, activations[index], weights[index], null, options[index]).input;
  }
  return upstream.data;
}

/**
 * The receptive-field exercise: the last layer's field from the core, and the usual slip —
 * adding the kernels' reach without the jump (every stride taken as 1), also from the core.
 */
export function receptiveFieldExercise(cnn, layers, rows, t = english) {
  const rf = rows.at(-1)?.rf;
  if (!rf) return { expected: [], text: t('rf.no-valid-stack'), mistakes: [] };
  const withoutJump = cnn.arithmetic
    .receptive_field(layers.map((layer) => ({ ...coreLayer(layer), stride: 1 })))
    .at(-1).rf;
  return {
    expected: [rf],
    text: `${rf}×${rf}`,
    mistakes: [{ expected: [withoutJump], message: t('rf.slip-jump') }],
  };
}

let photoBytes = null; // decoded once: the base64 text is the module's, the bytes are ours

/**
 * The photo at the stack's input size: size × size grey values in 0…1 (bytes / 255), the
 * 256×256 photo averaged down by the core's adaptive_avg_pool2d (each pixel the mean of the
 * source pixels its window covers, as torch.nn.AdaptiveAvgPool2d).
 * @returns {Float32Array} size × size
 */
export function photoAt(cnn, size) {
  photoBytes ??= Uint8Array.from(atob(PHOTO_GREY.base64), (char) => char.charCodeAt(0));
  const edge = PHOTO_GREY.size;
  const photo = new cnn.Tensor(
    Float32Array.from(photoBytes, (byte) => byte / 255),
    [1, 1, edge, edge],
  );
  return cnn.F.adaptive_avg_pool2d(photo, [size, size]).data;
}
