// cnn.js — the JS binding of the C CNN core (see cnn.d.ts for every signature).
//
//   import { load } from './cnn.js';
//   const cnn = await load();                    // SIMD build when the engine has SIMD128
//   const y = cnn.F.conv2d(x, w, null, { stride: 2, padding: 1 });
//
// The same module serves Node and the browser: it instantiates the standalone
// WebAssembly build itself (no Emscripten glue). One instance per variant is
// shared by every caller on the page.
import { createArithmetic } from './core/arithmetic.js';
import { createFunctional } from './core/functional.js';
import { createNetworkClass } from './core/network.js';
import { createLayers } from './core/nn.js';
import { checkShape, Tensor } from './core/tensor.js';
import { namedAll, number } from './core/args.js';
import { createTracing } from './core/trace.js';
import { instantiateCore, simdSupported } from './core/wasm.js';
import { createAugmentation } from './core/augment.js';
import { createOptimizers } from './core/optim.js';

export { simdSupported, Tensor };

const instances = new Map();

/** Loads (once per variant) and returns the core; simd defaults to what the engine supports. */
export function load({ simd = simdSupported() } = {}) {
  const variant = simd ? 'simd' : 'scalar';
  if (!instances.has(variant)) {
    const url = new URL(`./build/cnn-${variant}.wasm`, import.meta.url);
    const pending = instantiateCore(url).then((core) => createApi(core, simd));
    pending.catch(() => instances.delete(variant));
    instances.set(variant, pending);
  }
  return instances.get(variant);
}

function createApi(core, simd) {
  const { F, grad, backward } = createFunctional(core);
  const arithmetic = createArithmetic(core);
  const nn = createLayers(core, { F, backward }, arithmetic);
  const { Network, buffersOf } = createNetworkClass(core, nn);

  // A tensor of seeded random values, filled by the core.
  const random = (op, exportName, a, b) => (shape, seed = 0) => {
    const sizes = checkShape(shape, op, 'shape');
    const seedValue = number(seed, op, 'seed');
    if (!Number.isInteger(seedValue) || seedValue < 0 || seedValue > 0xffffffff)
      throw new RangeError(`${op}: seed must be an integer in [0, 2^32), got ${seedValue}`);
    const tensor = Tensor.zeros(sizes);
    core.scoped((scope) => {
      const pointer = scope.output(tensor.size);
      core.call(exportName, pointer, tensor.size, a, b, seedValue);
      tensor.data.set(scope.readFloats(pointer, tensor.size));
    });
    return tensor;
  };

  return Object.freeze({
    simd,
    // Each op names itself before any inner op the core names ('batch_norm: batch_norm2d: …').
    F: namedAll(F),
    grad: namedAll(grad),
    // Each names itself in its errors, before the core's op ('conv_out_size: conv2d: …').
    arithmetic: namedAll(arithmetic),
    trace: createTracing(core),
    nn,
    Network,
    optim: createOptimizers(core, buffersOf),
    augment: createAugmentation(core),
    Tensor,
    randn: random('randn', 'cnn_random_normal', 0, 1),
    rand: random('rand', 'cnn_random_uniform', 0, 1),
    liveAllocations: () => core.liveAllocations,
    memoryBytes: () => core.memoryBytes,
  });
}
