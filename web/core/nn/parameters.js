// A layer's parameters: made and initialised by the core as PyTorch does, refused before JS
// allocates them when they could never fit WASM memory, errors named by the layer.
import { renamed } from '../args.js';
import { Tensor } from '../tensor.js';
import { MAX_BLOCK_FLOATS, NULL } from '../wasm.js';

export class Parameter {
  constructor(name, value) {
    this.name = name;
    this.value = value;
    this.grad = Tensor.zeros(value.shape);
  }
}

/** count() (a parameter count, a check or an initialisation by the core), its errors named by the layer ('Conv2d: conv2d params: …'). */
export function countedBy(op, count) {
  try {
    return count();
  } catch (error) {
    throw renamed(error, op);
  }
}

/**
 * A weight (and a bias of `biasSize`, or none) initialised by the core as PyTorch does, as
 * [Parameter]. A weight of more than one block of WASM memory could never be used (every op
 * copies it into one block), so the core's count `weightCount` is checked before JS allocates it;
 * `shapeText` names the arguments that gave the shape.
 */
export function defaultParameters(core, op, { weightShape, weightCount, shapeText, biasSize, fanIn, seed }) {
  checkWeightSize(op, shapeText, weightCount);
  const weight = countedBy(op, () => Tensor.zeros(weightShape)),
    bias = biasSize === null ? null : Tensor.zeros([biasSize]);
  countedBy(op, () => initDefault(core, weight, bias, fanIn, seed));
  return [new Parameter('weight', weight), ...(bias ? [new Parameter('bias', bias)] : [])];
}

function checkWeightSize(op, shapeText, count) {
  if (count > MAX_BLOCK_FLOATS)
    throw new RangeError(
      `${op}: the weight ${shapeText} would have ${Number.isSafeInteger(count) ? count : count.toExponential(2)} elements, more than the ` +
        `${MAX_BLOCK_FLOATS} floats (2 GiB) one block of WASM memory holds`,
    );
}

// Layers made without a seed take 1, 2, 3, … counted per core, as each load() counted them.
const seedCounts = new WeakMap();

function nextSeed(core) {
  const seed = seedCounts.get(core) ?? 1;
  seedCounts.set(core, seed + 1);
  return seed;
}

// Fills weight (and bias) with PyTorch's default initialisation, in the core; no seed takes the core's next.
function initDefault(core, weight, bias, fanIn, seed) {
  const seedValue = seed ?? nextSeed(core);
  core.scoped((scope) => {
    const w = scope.floats(weight.size),
      b = bias ? scope.floats(bias.size) : NULL;
    core.call('cnn_init_default', w, b, weight.size, bias?.size ?? 0, fanIn, seedValue >>> 0);
    weight.data.set(scope.readFloats(w, weight.size));
    if (bias) bias.data.set(scope.readFloats(b, bias.size));
  });
}
