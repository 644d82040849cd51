// cnn.js — the JS binding of the C CNN core (see cnn.d.ts for every signature).
//
//   import { load } from './cnn.js';
//   const cnn = await load();                    // SIMD build when the engine has SIMD128
//   const y = cnn.F.conv2d(x, w, null, { stride: 2, padding: 1 });
//
// The same module serves Node and the browser: it instantiates the standalone
// WebAssembly build itself (no Emscripten glue). One instance per variant is
// shared by every caller on the page. The binding's functions and classes are
// module-level and take the core (core/wasm.js) they call; createApi binds them to one.
import { arithmetic } from './core/arithmetic.js';
import { augmentation } from './core/augment.js';
import { bindAll, onCore } from './core/bind.js';
import { functional, gradients } from './core/functional.js';
import { Network } from './core/network.js';
import { layersFor } from './core/nn.js';
import { Adam, SGD } from './core/optim.js';
import { randomTensors } from './core/random.js';
import { Tensor } from './core/tensor.js';
import { tracing } from './core/trace.js';
import { instantiateCore, simdSupported } from './core/wasm.js';

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
  return Object.freeze({
    simd,
    // Each op names itself before any inner op the core names ('batch_norm: batch_norm2d: …').
    F: bindAll(core, functional),
    grad: bindAll(core, gradients),
    // Each names itself in its errors, before the core's op ('conv_out_size: conv2d: …').
    arithmetic: bindAll(core, arithmetic),
    trace: bindAll(core, tracing, 'trace.'),
    nn: layersFor(core),
    Network: onCore(core, Network),
    // An optimizer calls the core of the network it updates.
    optim: { SGD, Adam },
    augment: bindAll(core, augmentation),
    Tensor,
    ...bindAll(core, randomTensors), // randn, rand
    liveAllocations: () => core.liveAllocations,
    memoryBytes: () => core.memoryBytes,
  });
}
