// The base of every layer (nn.Module) and what the layers share: the core a layer calls, the
// window marker for receptive fields, and the gradient buffers of their parameters.
import { bool } from '../args.js';
import { coreOfClass } from '../bind.js';
import { Tensor } from '../tensor.js';
import { Parameter } from './parameters.js';

/**
 * window() of a layer after which the receptive field is no longer one window
 * of the input (flatten, linear, adaptive pooling, transposed convolution).
 */
export const NOT_A_WINDOW = Symbol('not a window');

/** The core a layer calls: its class's, from layersFor() (nn.js), fixed when the layer was made. */
export let coreOf;

export class Module {
  training = true;
  params = [];
  /** This layer's parameter count by the core's formula, set by layers with weights. */
  formulaParameters = 0;
  input = null;
  #core;

  constructor() {
    this.#core = coreOfClass(new.target);
  }

  static {
    coreOf = (module) => module.#core;
  }

  train(mode = true) {
    this.training = bool(mode, `${this.name}.train`, 'mode', true);
    return this;
  }
  eval() {
    return this.train(false);
  }
  parameters() {
    return this.params;
  }
  numParameters() {
    return listedParameters(this).reduce((total, p) => total + (p.value instanceof Tensor ? p.value.size : 0), 0);
  }
  /** The parameter count the core's formulas give (what summary() shows). */
  countParameters() {
    return this.formulaParameters;
  }
  zeroGrad() {
    for (const p of listedParameters(this)) p.grad?.data?.fill(0);
  }
  forward(input) {
    this.input = input;
    return this.apply(input);
  }
  requireInput() {
    if (!this.input) throw new Error(`${this.constructor.name}.backward: call forward first`);
    return this.input;
  }
  get name() {
    return this.constructor.layerName ?? this.constructor.name;
  }
  // The window this layer slides along axis 0 (height) or 1 (width), for receptive
  // fields; null when it keeps every pixel where it is (kernel 1, stride 1).
  window() {
    return null;
  }
  describe(inputShape) {
    return { shape: this.outputShape(inputShape), macs: 0 };
  }
}

// What a module's parameters() lists (a subclass may override it), objects only.
function listedParameters(module) {
  const parameters = module.parameters();
  return Array.isArray(parameters) ? parameters.filter((p) => p !== null && typeof p === 'object') : [];
}

// `params` and each Parameter are public: what a caller replaced is skipped here and refused
// by name where the op needs it (a gradient buffer of the wrong length, a missing weight).
function ownParameters(layer) {
  return Array.isArray(layer.params) ? layer.params.filter((p) => p instanceof Parameter) : [];
}

/** The layer's gradient buffers by parameter name, for an op's backward to accumulate into. */
export function paramGrads(layer) {
  return Object.fromEntries(ownParameters(layer).map((p) => [p.name, p.grad?.data]));
}

export function storeGrads(layer, grads) {
  for (const p of ownParameters(layer)) p.grad = grads[p.name];
}
