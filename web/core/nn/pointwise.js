// Layers that keep each pixel where it is (no window): nn.BatchNorm2d, nn.ReLU, nn.Identity.
import { bool, integer, number, options } from '../args.js';
import { batch_norm2d_params } from '../arithmetic.js';
import { relu, relu_backward } from '../ops/activation.js';
import { batch_norm, batch_norm_backward } from '../ops/normalization.js';
import { Tensor } from '../tensor.js';
import { coreOf, Module, paramGrads, storeGrads } from './module.js';
import { countedBy, Parameter } from './parameters.js';

export class BatchNorm2d extends Module {
  constructor(numFeatures, opts = {}) {
    super();
    const o = options(opts, 'BatchNorm2d', ['eps', 'momentum', 'affine']);
    this.numFeatures = integer(numFeatures, 'BatchNorm2d', 'num_features');
    this.eps = number(o.eps, 'BatchNorm2d', 'eps', 1e-5);
    this.momentum = number(o.momentum, 'BatchNorm2d', 'momentum', 0.1);
    const affine = bool(o.affine, 'BatchNorm2d', 'affine', true);
    // The core refuses more channels than its per-channel arrays can hold, before anything is allocated here.
    this.formulaParameters = countedBy('BatchNorm2d', () =>
      batch_norm2d_params(coreOf(this), this.numFeatures, affine),
    );
    this.params = affine
      ? [
          new Parameter('weight', new Tensor(new Float32Array(this.numFeatures).fill(1), [this.numFeatures])),
          new Parameter('bias', Tensor.zeros([this.numFeatures])),
        ]
      : [];
    this.runningMean = Tensor.zeros([this.numFeatures]);
    this.runningVar = new Tensor(new Float32Array(this.numFeatures).fill(1), [this.numFeatures]);
  }
  #options() {
    return {
      weight: this.params[0]?.value ?? null,
      bias: this.params[1]?.value ?? null,
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    };
  }
  apply(input) {
    return batch_norm(coreOf(this), input, this.runningMean, this.runningVar, this.#options());
  }
  backward(gradOutput) {
    const grads = batch_norm_backward(
      coreOf(this),
      gradOutput,
      this.requireInput(),
      this.runningMean,
      this.runningVar,
      this.#options(),
      paramGrads(this),
    );
    storeGrads(this, grads);
    return grads.input;
  }
  outputShape(inputShape) {
    return inputShape;
  }
}

export class ReLU extends Module {
  // inplace is accepted for PyTorch parity; tensors here are never shared with the core.
  constructor(opts = {}) {
    super();
    options(opts, 'ReLU', ['inplace']);
  }
  apply(input) {
    return relu(coreOf(this), input);
  }
  backward(gradOutput) {
    return relu_backward(coreOf(this), gradOutput, this.requireInput()).input;
  }
  outputShape(inputShape) {
    return inputShape;
  }
}

export class Identity extends Module {
  apply(input) {
    return input;
  }
  backward(gradOutput) {
    return gradOutput;
  }
  outputShape(inputShape) {
    return inputShape;
  }
}
