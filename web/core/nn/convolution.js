// nn.Conv2d and nn.ConvTranspose2d: a weight and an optional bias over F.conv2d and
// F.conv_transpose2d; the shape rules and the parameter count are the core's.
import { bool, integer, options, pair } from '../args.js';
import { conv2d_params, conv2d_shape, conv_transpose2d_params, conv_transpose2d_shape } from '../arithmetic.js';
import { conv2d, conv2d_backward, conv_transpose2d, conv_transpose2d_backward } from '../ops/convolution.js';
import { CONV_OPTIONS, CONV_TRANSPOSE_OPTIONS } from '../specs.js';
import { elementCount } from '../tensor.js';
import { coreOf, Module, NOT_A_WINDOW, paramGrads, storeGrads } from './module.js';
import { countedBy, defaultParameters } from './parameters.js';

// What differs between the two: the options, the core's functions and the weight's layout.
const KINDS = {
  Conv2d: {
    op: 'Conv2d',
    allowed: CONV_OPTIONS,
    params: conv2d_params,
    forward: conv2d,
    backward: conv2d_backward,
    shape: conv2d_shape,
    // [OC, C/groups, KH, KW]
    weightShape: (inChannels, outChannels, groups, [kh, kw]) => [outChannels, inChannels / groups, kh, kw],
  },
  ConvTranspose2d: {
    op: 'ConvTranspose2d',
    allowed: CONV_TRANSPOSE_OPTIONS,
    params: conv_transpose2d_params,
    forward: conv_transpose2d,
    backward: conv_transpose2d_backward,
    shape: conv_transpose2d_shape,
    // [C, OC/groups, KH, KW]
    weightShape: (inChannels, outChannels, groups, [kh, kw]) => [inChannels, outChannels / groups, kh, kw],
  },
};

class Convolution extends Module {
  #kind;

  constructor(inChannels, outChannels, kernelSize, opts = {}) {
    super();
    const kind = this instanceof ConvTranspose2d ? KINDS.ConvTranspose2d : KINDS.Conv2d;
    const op = kind.op,
      core = coreOf(this);
    this.#kind = kind;
    const o = options(opts, op, [...kind.allowed, 'bias', 'seed']);
    this.inChannels = integer(inChannels, op, 'in_channels');
    this.outChannels = integer(outChannels, op, 'out_channels');
    this.kernelSize = pair(kernelSize, op, 'kernel_size');
    this.groups = integer(o.groups ?? 1, op, 'groups');
    this.options = { stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, groups: this.groups };
    if (kind === KINDS.ConvTranspose2d) this.options.output_padding = o.output_padding ?? 0;
    const hasBias = bool(o.bias, op, 'bias', true);
    // Parameter count and shape rules are the core's: it refuses bad channel/group combinations here.
    const count = (bias) =>
      countedBy(op, () =>
        kind.params(core, this.inChannels, this.outChannels, this.kernelSize, { groups: this.groups, bias }),
      );
    this.formulaParameters = count(hasBias);
    const weightShape = kind.weightShape(this.inChannels, this.outChannels, this.groups, this.kernelSize);
    this.params = defaultParameters(core, op, {
      weightShape,
      weightCount: count(false),
      shapeText: `[${weightShape.join(', ')}]`,
      biasSize: hasBias ? this.outChannels : null,
      fanIn: elementCount(weightShape.slice(1)),
      seed: o.seed,
    });
  }
  get weight() {
    return this.params[0]?.value ?? null;
  }
  get bias() {
    return this.params[1]?.value ?? null;
  }
  apply(input) {
    return this.#kind.forward(coreOf(this), input, this.weight, this.bias, this.options);
  }
  backward(gradOutput, needInput = true) {
    const grads = this.#kind.backward(
      coreOf(this),
      gradOutput,
      this.requireInput(),
      this.weight,
      this.bias,
      this.options,
      paramGrads(this),
      needInput,
    );
    storeGrads(this, grads);
    return grads.input;
  }
  describe(inputShape) {
    const result = this.#kind.shape(coreOf(this), inputShape, this.weight.shape, this.options);
    return { shape: result.shape, macs: result.macs };
  }
  outputShape(inputShape) {
    return this.describe(inputShape).shape;
  }
}

export class Conv2d extends Convolution {
  // A subclass a caller makes is still a Conv2d to summary() and Network.
  static layerName = 'Conv2d';

  window(axis = 0) {
    const op = 'Conv2d',
      padding = this.options.padding;
    const stride = pair(this.options.stride, op, 'stride')[axis],
      dilation = pair(this.options.dilation, op, 'dilation')[axis];
    const pad = padding === 'valid' ? 0 : padding === 'same' ? 'same' : pair(padding, op, 'padding')[axis];
    return { kernel: this.kernelSize[axis], stride, padding: pad, dilation };
  }
}

export class ConvTranspose2d extends Convolution {
  static layerName = 'ConvTranspose2d';

  window() {
    return NOT_A_WINDOW;
  }
}
