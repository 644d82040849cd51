// Example inputs and kernels for the steppers. These are data, not arithmetic: every value the
// page derives from them (outputs, sums, sizes) is computed by the core.
import { MNIST_DIGIT } from './mnist-digit.js';
import { roundToShown } from './format.js';
import { english } from '../i18n/index.js';

/** Preset name → the message key of its label (web/i18n: shared.input.<name>, shared.kernel.<name>). */
export const INPUT_PRESETS = Object.fromEntries(
  ['counting', 'integers', 'digit', 'edges', 'gradient', 'spike'].map((name) => [name, `shared.input.${name}`]),
);

export const KERNEL_PRESETS = Object.fromEntries(
  ['identity', 'box', 'sharpen', 'sobel-x', 'sobel-y', 'ramp', 'random'].map((name) => [name, `shared.kernel.${name}`]),
);

/** [name, label] options of a preset list in the language of `t`. */
export function presetOptions(presets, t = english, names = Object.keys(presets)) {
  return names.map((name) => [name, t(presets[name])]);
}

/** The smallest kernel each preset needs (the 3×3 patterns); the others fit any size. */
const SMALLEST_KERNEL = { sharpen: 3, 'sobel-x': 3, 'sobel-y': 3 };

/** Can `name` be drawn in a size × size kernel? */
export function presetFits(name, size) {
  return size >= (SMALLEST_KERNEL[name] ?? 1);
}

/** The preset a size × size kernel shows: `name` when it fits, else the identity, with the reason. */
export function presetForKernel(name, size, t = english) {
  if (presetFits(name, size)) return { name, note: '' };
  return {
    name: 'identity',
    note: t('shared.kernel-too-small', { preset: t(KERNEL_PRESETS[name]), size: SMALLEST_KERNEL[name] }),
  };
}

/** Deterministic small integers 0–9 (a 32-bit xorshift, so a preset looks the same everywhere). */
function smallIntegers(count, seed) {
  let state = (seed * 2654435761) >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % 10;
  });
}

/** Channel c of a multi-channel preset: channel 1 is the transpose, channel 2 the mirror image. */
function channelVariant(plane, size, channel) {
  if (channel === 0) return plane;
  return Float32Array.from({ length: size * size }, (_, index) => {
    const row = Math.floor(index / size);
    const col = index % size;
    return channel === 1 ? plane[col * size + row] : plane[row * size + (size - 1 - col)];
  });
}

/**
 * One input plane (size × size, row-major).
 * @param {string} name a key of INPUT_PRESETS
 * @param {number} size
 * @param {number} channel 0, 1 or 2 (channels differ so the multi-channel view has three inputs)
 * @param {import('../cnn.js').CNN} cnn the digit is resampled to `size` by the core's adaptive average pooling
 */
export function inputPlane(name, size, channel, cnn) {
  const cells = size * size;
  let plane;
  switch (name) {
    case 'counting':
      plane = Float32Array.from({ length: cells }, (_, index) => index + 1);
      break;
    case 'integers':
      return smallIntegers(cells, 7 + channel);
    case 'digit': {
      // Resampled by the core, then rounded to the shown decimals: the grid's numbers are the terms the core sums.
      const digit = new cnn.Tensor(MNIST_DIGIT.pixels, [1, 1, MNIST_DIGIT.size, MNIST_DIGIT.size]);
      const resampled = size === MNIST_DIGIT.size ? digit.data : cnn.F.adaptive_avg_pool2d(digit, size).data;
      plane = resampled.map((value) => roundToShown(value));
      break;
    }
    case 'edges': {
      const low = Math.floor(size / 4);
      const high = size - 1 - low;
      plane = Float32Array.from({ length: cells }, (_, index) => {
        const row = Math.floor(index / size);
        const col = index % size;
        return row >= low && row <= high && col >= low && col <= high ? 1 : 0;
      });
      break;
    }
    case 'gradient':
      plane = Float32Array.from({ length: cells }, (_, index) => index % size);
      break;
    case 'spike':
      plane = new Float32Array(cells);
      plane[Math.min(size - 1, 1) * size + Math.min(size - 1, 1)] = 9;
      break;
    default:
      throw new RangeError(`input preset: unknown name ${name}`);
  }
  return channelVariant(plane, size, channel);
}

const SOBEL_X = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
const SHARPEN = [0, -1, 0, -1, 5, -1, 0, -1, 0];

/** A 3×3 pattern placed in a k×k kernel at the tap PyTorch's 'same' padding centres. */
function embed3x3(pattern, size, transpose = false) {
  const kernel = new Float32Array(size * size);
  const offset = Math.floor((size - 3) / 2);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      kernel[(row + offset) * size + col + offset] = transpose ? pattern[col * 3 + row] : pattern[row * 3 + col];
    }
  }
  return kernel;
}

/** A size × size kernel (the preset must fit: presetForKernel picks one that does). */
export function kernelPlane(name, size, cnn) {
  if (!presetFits(name, size))
    throw new RangeError(
      `kernel preset: ${name} needs a kernel of at least ${SMALLEST_KERNEL[name]}×${SMALLEST_KERNEL[name]}, got ${size}×${size}`,
    );
  const cells = size * size;
  switch (name) {
    case 'identity': {
      const kernel = new Float32Array(cells);
      const centre = Math.floor((size - 1) / 2); // the tap 'same' padding aligns with the input cell
      kernel[centre * size + centre] = 1;
      return kernel;
    }
    case 'box':
      return new Float32Array(cells).fill(1 / cells);
    case 'sharpen':
      return embed3x3(SHARPEN, size);
    case 'sobel-x':
      return embed3x3(SOBEL_X, size);
    case 'sobel-y':
      return embed3x3(SOBEL_X, size, true);
    case 'ramp':
      return Float32Array.from({ length: cells }, (_, index) => index + 1);
    case 'random':
      // N(0, 1) from the binding's seeded generator, rounded to one decimal so products read easily.
      return Float32Array.from(cnn.randn([cells], 42).data, (value) => Math.round(value * 10) / 10);
    default:
      throw new RangeError(`kernel preset: unknown name ${name}`);
  }
}
