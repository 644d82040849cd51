// Optimizers like torch.optim.SGD and torch.optim.Adam over a cnn.Network, whose parameters
// and gradients are flat arrays in WASM memory: one step is one call of the core
// (cnn_sgd_step / cnn_adam_step in src/optim.c) over every parameter at once.
//
//   const optimizer = new cnn.optim.Adam(network, { lr: 3e-3 });
//   network.trainStep(images, labels, batch);   // gradients of one batch
//   optimizer.step();                           // parameters updated in place
//
// The optimizer state (momentum buffer; Adam's averages) is kept here, as PyTorch keeps
// optimizer.state, and visits WASM memory for the step. Rules on hyper-parameters are the
// core's: the constructor asks it with an empty update, so a bad value fails at once.
import { bool, number, options } from './args.js';

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'];
const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'];

export function createOptimizers(core) {
  const NULL = 0;

  // The flat parameters to update: a cnn.Network, or {parametersPointer, gradientsPointer, parameterCount}.
  function flatParameters(target, op) {
    for (const key of ['parametersPointer', 'gradientsPointer', 'parameterCount'])
      if (typeof target?.[key] !== 'number')
        throw new TypeError(`${op}: parameters must be a cnn.Network (it has no ${key})`);
    return target;
  }

  class SGD {
    constructor(parameters, opts = {}) {
      const o = options(opts, 'SGD', SGD_OPTIONS);
      this.parameters = flatParameters(parameters, 'SGD');
      if (o.lr === undefined) throw new TypeError('SGD: lr is required (as in torch.optim.SGD)');
      this.lr = number(o.lr, 'SGD', 'lr');
      this.momentum = number(o.momentum, 'SGD', 'momentum', 0);
      this.dampening = number(o.dampening, 'SGD', 'dampening', 0);
      this.weight_decay = number(o.weight_decay, 'SGD', 'weight_decay', 0);
      this.nesterov = bool(o.nesterov, 'SGD', 'nesterov', false);
      this.steps = 0;
      this.state = { momentum_buffer: this.momentum > 0 ? new Float32Array(this.parameters.parameterCount) : null };
      this.#update(NULL, NULL, NULL, 1, 0);
    }

    #update(param, buffer, grad, step, count) {
      core.call('cnn_sgd_step', param, buffer, grad, this.lr, this.momentum, this.dampening, this.weight_decay,
        this.nesterov ? 1 : 0, step, count);
    }

    /** param −= lr · (momentum-averaged gradient + weight_decay · param), as torch.optim.SGD. */
    step() {
      const { parametersPointer, gradientsPointer, parameterCount } = this.parameters;
      const buffer = this.state.momentum_buffer;
      core.scoped((scope) => {
        const bufferPointer = buffer ? scope.floats(buffer, 'the momentum buffer') : NULL;
        this.#update(parametersPointer, bufferPointer, gradientsPointer, this.steps + 1, parameterCount);
        if (buffer) buffer.set(scope.readFloats(bufferPointer, parameterCount));
      });
      this.steps++;
    }
  }

  class Adam {
    constructor(parameters, opts = {}) {
      const o = options(opts, 'Adam', ADAM_OPTIONS);
      this.parameters = flatParameters(parameters, 'Adam');
      this.lr = number(o.lr, 'Adam', 'lr', 1e-3);
      const betas = o.betas ?? [0.9, 0.999];
      if (!Array.isArray(betas) || betas.length !== 2) throw new TypeError('Adam: betas must be a pair [beta1, beta2]');
      this.betas = [number(betas[0], 'Adam', 'betas[0]'), number(betas[1], 'Adam', 'betas[1]')];
      this.eps = number(o.eps, 'Adam', 'eps', 1e-8);
      this.weight_decay = number(o.weight_decay, 'Adam', 'weight_decay', 0);
      this.amsgrad = bool(o.amsgrad, 'Adam', 'amsgrad', false);
      this.steps = 0;
      const count = this.parameters.parameterCount;
      this.state = {
        exp_avg: new Float32Array(count),
        exp_avg_sq: new Float32Array(count),
        max_exp_avg_sq: this.amsgrad ? new Float32Array(count) : null,
      };
      this.#update(NULL, NULL, NULL, NULL, NULL, 1, 0);
    }

    #update(param, expAvg, expAvgSq, maxExpAvgSq, grad, step, count) {
      core.call('cnn_adam_step', param, expAvg, expAvgSq, maxExpAvgSq, grad, this.lr, ...this.betas, this.eps,
        this.weight_decay, step, count);
    }

    /** param −= lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps), as torch.optim.Adam. */
    step() {
      const { parametersPointer, gradientsPointer, parameterCount } = this.parameters;
      const buffers = Object.values(this.state);
      core.scoped((scope) => {
        const pointers = buffers.map((buffer) => (buffer ? scope.floats(buffer, 'the Adam state') : NULL));
        this.#update(parametersPointer, ...pointers, gradientsPointer, this.steps + 1, parameterCount);
        buffers.forEach((buffer, i) => buffer?.set(scope.readFloats(pointers[i], parameterCount)));
      });
      this.steps++;
    }
  }

  return { SGD, Adam };
}
