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
// An optimizer is made only from a cnn.Network: the buffers it updates are the network's,
// found by the binding (never an address from the caller) in the core that network lives in,
// and every step re-checks the hyper-parameters and the state's lengths, which are public and
// may have been reassigned.
import { bool, describe, integer, number, options, renamed } from './args.js';
import { buffersOf } from './network.js';
import { isFloat32Array } from './tensor.js';
import { NULL } from './wasm.js';

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'weight_decay', 'nesterov'];
const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weight_decay', 'amsgrad'];

// A call of the core whose refusal names the optimizer first ('Adam: adam: lr must be at least 0').
function coreCall(core, op, name, ...args) {
  try {
    return core.call(name, ...args);
  } catch (error) {
    throw renamed(error, op);
  }
}

// The network's flat buffers, or a TypeError naming the optimizer.
function networkBuffers(network, op) {
  let buffers;
  try {
    buffers = buffersOf(network);
  } catch (error) {
    throw renamed(error, op); // a disposed network
  }
  if (!buffers) throw new TypeError(`${op}: parameters must be a cnn.Network, got ${describe(network)}`);
  return buffers;
}

// A state buffer of exactly count floats (the core writes count values into it).
function stateBuffer(buffer, count, op, name) {
  if (!isFloat32Array(buffer) || buffer.length !== count)
    throw new RangeError(
      `${op}: state.${name} must be a Float32Array of ${count} values (one per parameter), got ` +
        `${isFloat32Array(buffer) ? buffer.length : describe(buffer)}`,
    );
  return buffer;
}

// The step count the core gets: a whole number of steps taken so far.
function stepsTaken(steps, op) {
  const count = integer(steps, op, 'steps');
  if (count < 0 || count >= 0x7fffffff) throw new RangeError(`${op}: steps must be in [0, 2^31 - 1), got ${count}`);
  return count;
}

export class SGD {
  #network;
  #core;

  constructor(network, opts = {}) {
    const o = options(opts, 'SGD', SGD_OPTIONS);
    const { core, count } = networkBuffers(network, 'SGD');
    this.#network = network;
    this.#core = core;
    if (o.lr === undefined) throw new TypeError('SGD: lr is required (as in torch.optim.SGD)');
    this.lr = number(o.lr, 'SGD', 'lr');
    this.momentum = number(o.momentum, 'SGD', 'momentum', 0);
    this.dampening = number(o.dampening, 'SGD', 'dampening', 0);
    this.weight_decay = number(o.weight_decay, 'SGD', 'weight_decay', 0);
    this.nesterov = bool(o.nesterov, 'SGD', 'nesterov', false);
    this.steps = 0;
    this.state = { momentum_buffer: this.momentum > 0 ? new Float32Array(count) : null };
    this.#update('SGD', NULL, NULL, NULL, 1, 0);
  }

  /** The network whose parameters this optimizer updates. */
  get parameters() {
    return this.#network;
  }

  #update(op, param, buffer, grad, step, count) {
    coreCall(
      this.#core,
      op,
      'cnn_sgd_step',
      param,
      buffer,
      grad,
      number(this.lr, op, 'lr'),
      number(this.momentum, op, 'momentum'),
      number(this.dampening, op, 'dampening'),
      number(this.weight_decay, op, 'weight_decay'),
      bool(this.nesterov, op, 'nesterov') ? 1 : 0,
      step,
      count,
    );
  }

  /** param −= lr · (momentum-averaged gradient + weight_decay · param), as torch.optim.SGD. */
  step() {
    const op = 'SGD.step';
    const { parameters, gradients, count } = networkBuffers(this.#network, op);
    const steps = stepsTaken(this.steps, op);
    const momentum = number(this.momentum, op, 'momentum');
    const buffer =
      momentum > 0 || this.state?.momentum_buffer
        ? stateBuffer(this.state?.momentum_buffer, count, op, 'momentum_buffer')
        : null;
    this.#core.scoped((scope) => {
      const bufferPointer = buffer ? scope.floats(buffer, 'the momentum buffer') : NULL;
      this.#update(op, parameters, bufferPointer, gradients, steps + 1, count);
      if (buffer) buffer.set(scope.readFloats(bufferPointer, count));
    });
    this.steps = steps + 1;
  }
}

export class Adam {
  #network;
  #core;

  constructor(network, opts = {}) {
    const o = options(opts, 'Adam', ADAM_OPTIONS);
    const { core, count } = networkBuffers(network, 'Adam');
    this.#network = network;
    this.#core = core;
    this.lr = number(o.lr, 'Adam', 'lr', 1e-3);
    this.betas = betasOf(o.betas ?? [0.9, 0.999], 'Adam');
    this.eps = number(o.eps, 'Adam', 'eps', 1e-8);
    this.weight_decay = number(o.weight_decay, 'Adam', 'weight_decay', 0);
    this.amsgrad = bool(o.amsgrad, 'Adam', 'amsgrad', false);
    this.steps = 0;
    this.state = {
      exp_avg: new Float32Array(count),
      exp_avg_sq: new Float32Array(count),
      max_exp_avg_sq: this.amsgrad ? new Float32Array(count) : null,
    };
    this.#update('Adam', NULL, NULL, NULL, NULL, NULL, 1, 0);
  }

  /** The network whose parameters this optimizer updates. */
  get parameters() {
    return this.#network;
  }

  #update(op, param, expAvg, expAvgSq, maxExpAvgSq, grad, step, count) {
    coreCall(
      this.#core,
      op,
      'cnn_adam_step',
      param,
      expAvg,
      expAvgSq,
      maxExpAvgSq,
      grad,
      number(this.lr, op, 'lr'),
      ...betasOf(this.betas, op),
      number(this.eps, op, 'eps'),
      number(this.weight_decay, op, 'weight_decay'),
      step,
      count,
    );
  }

  /** param −= lr/(1 − β1^t) · m / (sqrt(v)/sqrt(1 − β2^t) + eps), as torch.optim.Adam. */
  step() {
    const op = 'Adam.step';
    const { parameters, gradients, count } = networkBuffers(this.#network, op);
    const steps = stepsTaken(this.steps, op);
    const amsgrad = bool(this.amsgrad, op, 'amsgrad');
    const buffers = [
      stateBuffer(this.state?.exp_avg, count, op, 'exp_avg'),
      stateBuffer(this.state?.exp_avg_sq, count, op, 'exp_avg_sq'),
      amsgrad ? stateBuffer(this.state?.max_exp_avg_sq, count, op, 'max_exp_avg_sq') : null,
    ];
    this.#core.scoped((scope) => {
      const pointers = buffers.map((buffer) => (buffer ? scope.floats(buffer, 'the Adam state') : NULL));
      this.#update(op, parameters, ...pointers, gradients, steps + 1, count);
      buffers.forEach((buffer, i) => buffer?.set(scope.readFloats(pointers[i], count)));
    });
    this.steps = steps + 1;
  }
}

function betasOf(betas, op) {
  if (!Array.isArray(betas) || betas.length !== 2)
    throw new TypeError(`${op}: betas must be a pair [beta1, beta2], got ${describe(betas)}`);
  return [number(betas[0], op, 'betas[0]'), number(betas[1], op, 'betas[1]')];
}
