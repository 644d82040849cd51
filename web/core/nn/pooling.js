// nn.MaxPool2d, nn.AvgPool2d and nn.AdaptiveAvgPool2d over the functional pooling ops.
import { options, pair } from '../args.js';
import { avg_pool2d_shape, max_pool2d_shape } from '../arithmetic.js';
import {
  adaptive_avg_pool2d,
  adaptive_avg_pool2d_backward,
  avg_pool2d,
  avg_pool2d_backward,
  max_pool2d,
  max_pool2d_backward,
} from '../ops/pooling.js';
import { AVG_POOL_OPTIONS, MAX_POOL_OPTIONS } from '../specs.js';
import { coreOf, Module, NOT_A_WINDOW } from './module.js';

// What differs between the two: the options and the core's functions; average pooling has no dilation.
const KINDS = {
  MaxPool2d: {
    op: 'MaxPool2d',
    allowed: MAX_POOL_OPTIONS,
    forward: max_pool2d,
    backward: max_pool2d_backward,
    shape: max_pool2d_shape,
    average: false,
  },
  AvgPool2d: {
    op: 'AvgPool2d',
    allowed: AVG_POOL_OPTIONS,
    forward: avg_pool2d,
    backward: avg_pool2d_backward,
    shape: avg_pool2d_shape,
    average: true,
  },
};

class Pool2d extends Module {
  #kind;

  constructor(kernelSize, opts = {}) {
    super();
    this.#kind = this instanceof AvgPool2d ? KINDS.AvgPool2d : KINDS.MaxPool2d;
    this.kernelSize = kernelSize;
    this.options = { ...options(opts, this.#kind.op, this.#kind.allowed) };
  }
  apply(input) {
    return this.#kind.forward(coreOf(this), input, this.kernelSize, this.options);
  }
  backward(gradOutput) {
    return this.#kind.backward(coreOf(this), gradOutput, this.requireInput(), this.kernelSize, this.options).input;
  }
  outputShape(inputShape) {
    return this.#kind.shape(coreOf(this), inputShape, this.kernelSize, this.options).shape;
  }
  window(axis = 0) {
    const { op, average } = this.#kind;
    const kernel = pair(this.kernelSize, op, 'kernel_size')[axis];
    const stride = this.options.stride == null ? kernel : pair(this.options.stride, op, 'stride')[axis];
    const dilation = average ? 1 : pair(this.options.dilation ?? 1, op, 'dilation')[axis];
    return { kernel, stride, padding: pair(this.options.padding ?? 0, op, 'padding')[axis], dilation };
  }
}

// A subclass a caller makes is still a MaxPool2d or AvgPool2d to summary() and Network.
export class MaxPool2d extends Pool2d {
  static layerName = 'MaxPool2d';
}

export class AvgPool2d extends Pool2d {
  static layerName = 'AvgPool2d';
}

export class AdaptiveAvgPool2d extends Module {
  constructor(outputSize) {
    super();
    this.outputSize = pair(outputSize, 'AdaptiveAvgPool2d', 'output_size');
  }
  apply(input) {
    return adaptive_avg_pool2d(coreOf(this), input, this.outputSize);
  }
  backward(gradOutput) {
    return adaptive_avg_pool2d_backward(coreOf(this), gradOutput, this.requireInput(), this.outputSize).input;
  }
  outputShape(inputShape) {
    return [inputShape[0], inputShape[1], ...this.outputSize];
  }
  window() {
    return NOT_A_WINDOW;
  }
}
