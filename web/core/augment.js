// Input preparation in the core (src/augment.c): pixel bytes to normalised inputs, and
// seeded random shifts of whole images for augmentation. Each function takes the core
// first; cnn.js binds `augmentation` as cnn.augment.
//
//   const x = cnn.augment.normalizePixels(bytes, MNIST_NORMALIZATION);   // Float32Array
//   const { images, shifts } = cnn.augment.randomShift(x, [64, 1, 28, 28], { maxShift: 2, fill, seed });
import { integer, number, options } from './args.js';
import { elementCount } from './tensor.js';

/** MNIST's usual normalisation (torchvision's MNIST example): mean and std of its pixels in [0, 1]. */
export const MNIST_NORMALIZATION = Object.freeze({ mean: 0.1307, std: 0.3081 });

function checkPixels(values, op, name) {
  if (!ArrayBuffer.isView(values) || values instanceof DataView)
    throw new TypeError(`${op}: ${name} must be a typed array (bytes or floats)`);
  return values;
}

/** (pixels / 255 − mean) / std for each pixel 0–255, as ToTensor() then Normalize(mean, std). */
export function normalizePixels(core, pixels, opts = {}) {
  const op = 'normalizePixels';
  const o = options(opts, op, ['mean', 'std']);
  const values = checkPixels(pixels, op, 'pixels');
  const mean = number(o.mean, op, 'mean', MNIST_NORMALIZATION.mean),
    std = number(o.std, op, 'std', MNIST_NORMALIZATION.std);
  return core.scoped((scope) => {
    const out = scope.output(values.length);
    core.call('cnn_normalize_pixels', out, scope.floats(values, 'the pixels'), values.length, mean, std);
    return scope.readFloats(out, values.length);
  });
}

/**
 * Each image of images [N, C, H, W] moved by (dy, dx) drawn from {−maxShift … maxShift}²
 * with the core's generator seeded by seed; `fill` where the shift uncovers the border.
 * Returns the shifted images (a Float32Array like `images`) and the shifts [N, 2].
 */
export function randomShift(core, images, shape, opts = {}) {
  const op = 'randomShift';
  const o = options(opts, op, ['maxShift', 'fill', 'seed']);
  const values = checkPixels(images, op, 'images');
  if (!Array.isArray(shape) || shape.length !== 4) throw new TypeError(`${op}: shape must be [N, C, H, W]`);
  const sizes = shape.map((size, axis) => integer(size, op, `shape[${axis}]`));
  if (elementCount(sizes) !== values.length)
    throw new RangeError(`${op}: images has ${values.length} values but shape [${sizes}] needs ${elementCount(sizes)}`);
  const maxShift = integer(o.maxShift ?? 2, op, 'maxShift'),
    seed = number(o.seed, op, 'seed', 0);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`${op}: seed must be an integer in [0, 2^32), got ${seed}`);
  const fill = number(o.fill, op, 'fill', 0);
  return core.scoped((scope) => {
    const out = scope.output(values.length),
      shifts = scope.ints(2 * sizes[0], 'the shifts');
    core.call('cnn_random_shift', out, shifts, scope.floats(values, 'the images'), fill, maxShift, seed, ...sizes);
    return { images: scope.readFloats(out, values.length), shifts: scope.readInts(shifts, 2 * sizes[0]) };
  });
}

/** cnn.augment, before cnn.js binds it to a core. */
export const augmentation = { normalizePixels, randomShift };
