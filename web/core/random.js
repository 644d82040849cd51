// Tensors of seeded random values, filled by the core (xorshift32; Box–Muller for normal values),
// so the same seed gives the same tensor in every engine.
import { number } from './args.js';
import { checkShape, elementCount, Tensor } from './tensor.js';

function random(core, op, exportName, shape, seed) {
  const sizes = checkShape(shape, op, 'shape');
  const seedValue = number(seed, op, 'seed');
  if (!Number.isInteger(seedValue) || seedValue < 0 || seedValue > 0xffffffff)
    throw new RangeError(`${op}: seed must be an integer in [0, 2^32), got ${seedValue}`);
  const count = elementCount(sizes);
  // The core's block first: a shape too large for WASM memory is refused before JS allocates it.
  return core.scoped((scope) => {
    const pointer = scope.output(count);
    core.call(exportName, pointer, count, 0, 1, seedValue); // N(0, 1) or U[0, 1)
    return new Tensor(scope.readFloats(pointer, count), sizes);
  });
}

/** Values from N(0, 1). */
export function randn(core, shape, seed = 0) {
  return random(core, 'randn', 'cnn_random_normal', shape, seed);
}

/** Values from U[0, 1). */
export function rand(core, shape, seed = 0) {
  return random(core, 'rand', 'cnn_random_uniform', shape, seed);
}

/** cnn.randn and cnn.rand, before cnn.js binds them to a core. */
export const randomTensors = { randn, rand };
