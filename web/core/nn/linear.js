// nn.Flatten and nn.Linear: the feature maps as one vector per sample, then a fully connected layer.
import { bool, integer, options, tensorArg } from '../args.js';
import { linear_macs, linear_params } from '../arithmetic.js';
import { flatten, linear, linear_backward } from '../ops/linear.js';
import { checkShape, elementCount } from '../tensor.js';
import { coreOf, Module, NOT_A_WINDOW, paramGrads, storeGrads } from './module.js';
import { countedBy, defaultParameters } from './parameters.js';

export class Flatten extends Module {
  constructor(startDim = 1) {
    super();
    this.startDim = integer(startDim, 'Flatten', 'start_dim');
  }
  apply(input) {
    return flatten(coreOf(this), input, this.startDim);
  }
  backward(gradOutput) {
    const shape = checkShape(this.requireInput().shape, 'Flatten.backward', 'the input shape');
    const gy = tensorArg(gradOutput, 'Flatten.backward', 'grad_output');
    if (gy.size !== elementCount(shape))
      throw new RangeError(`Flatten.backward: grad_output has ${gy.size} values, the input ${elementCount(shape)}`);
    return gy.reshape(shape);
  }
  outputShape(inputShape) {
    return [...inputShape.slice(0, this.startDim), elementCount(inputShape.slice(this.startDim))];
  }
  window() {
    return NOT_A_WINDOW;
  }
}

export class Linear extends Module {
  constructor(inFeatures, outFeatures, opts = {}) {
    super();
    const core = coreOf(this);
    const o = options(opts, 'Linear', ['bias', 'seed']);
    this.inFeatures = integer(inFeatures, 'Linear', 'in_features');
    this.outFeatures = integer(outFeatures, 'Linear', 'out_features');
    const hasBias = bool(o.bias, 'Linear', 'bias', true);
    const count = (bias) => countedBy('Linear', () => linear_params(core, this.inFeatures, this.outFeatures, bias));
    this.formulaParameters = count(hasBias);
    this.params = defaultParameters(core, 'Linear', {
      weightShape: [this.outFeatures, this.inFeatures],
      weightCount: count(false),
      shapeText: `[out_features, in_features] = [${this.outFeatures}, ${this.inFeatures}]`,
      biasSize: hasBias ? this.outFeatures : null,
      fanIn: this.inFeatures,
      seed: o.seed,
    });
  }
  apply(input) {
    return linear(coreOf(this), input, this.params[0]?.value ?? null, this.params[1]?.value ?? null);
  }
  backward(gradOutput, needInput = true) {
    const grads = linear_backward(
      coreOf(this),
      gradOutput,
      this.requireInput(),
      this.params[0]?.value ?? null,
      this.params[1]?.value ?? null,
      paramGrads(this),
      needInput,
    );
    storeGrads(this, grads);
    return grads.input;
  }
  describe(inputShape) {
    return {
      shape: this.outputShape(inputShape),
      macs: linear_macs(coreOf(this), inputShape[0], this.inFeatures, this.outFeatures),
    };
  }
  outputShape(inputShape) {
    return [inputShape[0], this.outFeatures];
  }
  window() {
    return NOT_A_WINDOW;
  }
}
