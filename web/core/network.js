// Network: a Sequential model compiled into the core (src/cnn_network.h), for
// training. Parameters, gradients and activations stay in WASM memory; a step
// copies in one input batch and its targets and copies out two numbers.
// The class is module-level; a Network calls the core its class was bound to (cnn.Network of one load()).
import { bool, describe, integer, named, options, renamed, targets as checkTargets, tensorArg } from './args.js';
import { coreOfClass } from './bind.js';
import { layerRecord, parameterLayout, parametersOf } from './layer-records.js';
import { BatchNorm2d, Flatten, Identity, Linear, Sequential } from './nn.js';
import { elementCount, isFloat32Array, Tensor } from './tensor.js';

/**
 * The core's flat parameter and gradient buffers of a live Network ({core, parameters, gradients,
 * count}), or null for anything else. Only the optimizers use it; the public API hands out no pointer.
 */
export let buffersOf;

export class Network {
  #core;
  #pointer;
  #inputShape;
  #capacity;
  #lastBatch = 0;
  #flatOutputs;
  #layers; // [{layer, where, parameters: [{name, size}], channels (batch norm)}]

  /**
   * Compiles a Sequential (its layers minus Identity) for inputs [C, H, W] and up to
   * `capacity` samples per batch, starting from the model's current parameters.
   */
  constructor(model, inputShape, opts = {}) {
    this.#core = coreOfClass(new.target);
    const o = options(opts, 'Network', ['capacity']);
    if (!(model instanceof Sequential))
      throw new TypeError(`Network: model must be an nn.Sequential, got ${describe(model)}`);
    if (!Array.isArray(inputShape) || inputShape.length !== 3)
      throw new TypeError(`Network: input_shape must be [C, H, W], got ${describe(inputShape)}`);
    this.#capacity = integer(o.capacity ?? 64, 'Network', 'capacity');
    if (this.#capacity < 1) throw new RangeError(`Network: capacity must be at least 1, got ${this.#capacity}`);
    this.#inputShape = Array.from(inputShape, (size, i) => integer(size, 'Network', `input_shape[${i}]`));
    this.#inputShape.forEach((size, i) => {
      if (size < 1) throw new RangeError(`Network: input_shape[${i}] must be at least 1, got ${size}`);
    });
    const layers = [];
    const records = [];
    let shape = this.#inputShape;
    Array.from(model.layers).forEach((layer, index) => {
      if (layer instanceof Identity) return;
      const where = `layer ${index} (${layer?.name})`;
      try {
        records.push(...layerRecord(this.#core, layer, shape));
        layers.push({ layer, where, parameters: parameterLayout(layer, shape), channels: shape[0] });
        shape = layer.outputShape([1, ...shape]).slice(1);
      } catch (error) {
        throw renamed(error, `Network: ${where}`);
      }
    });
    if (!layers.length) throw new RangeError('Network: model has no layers to compile');
    // Flatten and Linear outputs are [batch, features], as in the JS layers.
    this.#flatOutputs = layers.map(({ layer }) => layer instanceof Flatten || layer instanceof Linear);
    try {
      this.#pointer = this.#core.scoped((scope) =>
        this.#core.call(
          'cnn_network_create',
          scope.ints(records, 'the layer records'),
          layers.length,
          this.#capacity,
          ...this.#inputShape,
        ),
      );
    } catch (error) {
      throw renamed(error, 'Network');
    }
    this.#core.retain(this.#pointer);
    this.layerCount = layers.length;
    this.#layers = layers;
    try {
      // The output shape is the core's, so grad_output is checked against what the core reads.
      this.outputShape = this.#activationShape(this.layerCount - 1);
      const expected = layers.reduce(
        (total, { parameters }) => total + parameters.reduce((sum, p) => sum + p.size, 0),
        0,
      );
      if (expected !== this.parameterCount)
        throw new RangeError(
          `Network: the model's layers hold ${expected} parameters, the network ${this.parameterCount}`,
        );
      layers.forEach(
        ({ layer }, index) =>
          layer instanceof BatchNorm2d &&
          this.#core.call('cnn_network_set_batch_norm', this.#pointer, index, layer.momentum, layer.eps),
      );
      this.loadParameters();
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  get parameterCount() {
    return this.#core.call('cnn_network_parameter_count', this.#live());
  }

  #live() {
    if (!this.#pointer) throw new Error('Network: used after dispose()');
    return this.#pointer;
  }

  // Layer l's output per sample, as the core holds it: [C] after Flatten and Linear, else [C, H, W].
  #activationShape(index) {
    return this.#core.scoped((scope) => {
      const shapePointer = scope.ints(3);
      this.#core.call('cnn_network_activation', this.#live(), index, shapePointer);
      const [channels, height, width] = scope.readInts(shapePointer, 3);
      return this.#flatOutputs[index] ? [channels] : [channels, height, width];
    });
  }

  #writeBatch(op, images, batch) {
    const size = elementCount(this.#inputShape);
    const n = integer(batch, op, 'batch');
    if (n < 1 || n > this.#capacity) throw new RangeError(`${op}: batch = ${n} must be in [1, ${this.#capacity}]`);
    if (!isFloat32Array(images) || images.length < n * size)
      throw new RangeError(`${op}: images must be a Float32Array of at least batch · ${size} = ${n * size} values`);
    this.#core.write(
      this.#core.call('cnn_network_input', this.#live()),
      images.subarray(0, n * size),
      this.#capacity * size,
    );
    return n;
  }

  /** One supervised step: zero grads, forward (training), cross entropy, backward. */
  trainStep(images, labels, batch) {
    const op = 'Network.trainStep';
    const n = this.#writeBatch(op, images, batch);
    if (labels === null || typeof labels !== 'object' || !(labels.length >= n))
      throw new TypeError(
        `${op}: labels must be an array of at least batch = ${n} class indices, got ${describe(labels)}`,
      );
    const t = checkTargets(Array.prototype.slice.call(labels, 0, n), op, n);
    const result = this.#core.scoped((scope) => {
      const loss = scope.floats(1),
        correct = scope.ints(1);
      this.#core.call('cnn_network_train_step', this.#live(), loss, correct, scope.ints(t), n);
      return { loss: scope.readFloats(loss, 1)[0], correct: scope.readInts(correct, 1)[0] };
    });
    this.#lastBatch = n;
    return result;
  }

  /** The network's output for a batch, [batch, ...outputShape]; eval mode unless training. */
  forward(images, batch, opts = {}) {
    const op = 'Network.forward';
    const training = bool(options(opts, op, ['training']).training, op, 'training', false);
    const n = this.#writeBatch(op, images, batch);
    this.#core.call('cnn_network_forward', this.#live(), n, training ? 1 : 0);
    this.#lastBatch = n;
    return this.activation(this.layerCount - 1);
  }

  /** Layer l's output from the last forward pass, [batch, C, H, W]. */
  activation(layer) {
    const index = integer(layer, 'Network.activation', 'layer');
    if (index < 0 || index >= this.layerCount)
      throw new RangeError(`Network.activation: layer must be in [0, ${this.layerCount}), got ${index}`);
    const shape = [this.#lastBatch, ...this.#activationShape(index)];
    return this.#core.scoped((scope) => {
      const pointer = this.#core.call('cnn_network_activation', this.#live(), index, scope.ints(3));
      return new Tensor(this.#core.read(Float32Array, pointer, elementCount(shape)), shape);
    });
  }

  /**
   * The gradient of Σ output · grad_output with respect to the input, after
   * forward(images, batch): e.g. one output pixel's effective receptive field.
   */
  inputGradient(gradOutput) {
    const op = 'Network.inputGradient';
    const n = this.#lastBatch;
    if (n === 0) throw new Error(`${op}: call forward(images, batch) first`);
    const gy = tensorArg(gradOutput, op, 'grad_output');
    const expected = [n, ...this.outputShape];
    if (gy.shape.join() !== expected.join())
      throw new RangeError(`${op}: grad_output must have shape [${expected}], got [${gy.shape}]`);
    return this.#core.scoped((scope) => {
      this.#core.call('cnn_network_backward', this.#live(), scope.tensor(gy, 'grad_output'), n, 1);
      const shape = [n, ...this.#inputShape];
      return new Tensor(
        this.#core.read(
          Float32Array,
          this.#core.call('cnn_network_input_gradient', this.#pointer),
          elementCount(shape),
        ),
        shape,
      );
    });
  }

  /** Sets every parameter gradient to 0 (trainStep does it itself; inputGradient accumulates). */
  zeroGrad() {
    this.#core.call('cnn_network_zero_grad', this.#live());
  }

  /**
   * Flat parameters (layer by layer, weight then bias) and their gradients, copied out: into
   * `out` (a Float32Array of parameterCount values) when given, allocating nothing, else into a
   * new array.
   */
  parameters(out) {
    return this.#readFlat('Network.parameters', 'cnn_network_parameters', out);
  }
  gradients(out) {
    return this.#readFlat('Network.gradients', 'cnn_network_gradients', out);
  }

  /**
   * Copies parameterCount values in as the flat parameters, or as the gradients (the next
   * optimizer step reads them: a gradient summed over data-parallel workers). The model's JS
   * parameters are not touched (storeParameters copies the network's back into them).
   */
  setParameters(values) {
    this.#writeFlat('Network.setParameters', 'cnn_network_parameters', values);
  }
  setGradients(values) {
    this.#writeFlat('Network.setGradients', 'cnn_network_gradients', values);
  }

  #readFlat(op, buffer, out) {
    const count = this.parameterCount;
    const pointer = this.#core.call(buffer, this.#live());
    if (out === undefined) return this.#core.read(Float32Array, pointer, count);
    if (!isFloat32Array(out) || out.length !== count)
      throw new RangeError(
        `${op}: out must be a Float32Array of parameterCount = ${count} values, got ` +
          `${isFloat32Array(out) ? out.length : describe(out)}`,
      );
    out.set(this.#core.heap(Float32Array, pointer, count));
    return out;
  }

  #writeFlat(op, buffer, values) {
    const count = this.parameterCount;
    if (!isFloat32Array(values) || values.length !== count)
      throw new RangeError(
        `${op}: values must be a Float32Array of parameterCount = ${count} values, got ` +
          `${isFloat32Array(values) ? values.length : describe(values)}`,
      );
    this.#core.write(this.#core.call(buffer, this.#live()), values, count);
  }

  /** Copies the model's JS parameters and batch-norm running statistics into the network. */
  loadParameters() {
    const op = 'Network.loadParameters';
    const flat = new Float32Array(this.parameterCount);
    let offset = 0;
    for (const { values } of this.#parameterValues(op)) {
      flat.set(values, offset);
      offset += values.length;
    }
    this.#core.write(this.#core.call('cnn_network_parameters', this.#live()), flat, flat.length);
    for (const { mean, variance, channels, pointer } of this.#runningStats(op)) {
      this.#core.write(pointer, mean, channels);
      this.#core.write(pointer + channels * Float32Array.BYTES_PER_ELEMENT, variance, channels);
    }
  }

  /** Copies the network's parameters and running statistics back into the model's layers (to save or summarise it). */
  storeParameters() {
    const op = 'Network.storeParameters';
    const flat = this.parameters();
    const targets = this.#parameterValues(op);
    const stats = this.#runningStats(op);
    let offset = 0;
    for (const { values } of targets) {
      values.set(flat.subarray(offset, offset + values.length));
      offset += values.length;
    }
    for (const { mean, variance, channels, pointer } of stats) {
      const values = this.#core.read(Float32Array, pointer, 2 * channels);
      mean.set(values.subarray(0, channels));
      variance.set(values.subarray(channels));
    }
  }

  // Each layer's parameter data, checked against the layout the network was compiled with.
  #parameterValues(op) {
    return this.#layers.flatMap(({ layer, where, parameters }) => {
      const current = parametersOf(layer, `${op}: ${where}`);
      if (current.length !== parameters.length || current.some((p, i) => p?.name !== parameters[i].name))
        throw new RangeError(
          `${op}: ${where} now has parameters [${current.map((p) => p?.name)}], ` +
            `the network was compiled with [${parameters.map((p) => p.name)}]`,
        );
      return current.map((p, i) => ({
        values: checkedValues(op, `${where} ${p.name}`, p.value?.data, parameters[i].size),
      }));
    });
  }

  // Each batch norm's running statistics (JS arrays) and the core's block for them.
  #runningStats(op) {
    return this.#layers.flatMap(({ layer, where, channels }, index) =>
      layer instanceof BatchNorm2d
        ? [
            {
              mean: checkedValues(op, `${where} running_mean`, layer.runningMean?.data, channels),
              variance: checkedValues(op, `${where} running_var`, layer.runningVar?.data, channels),
              channels,
              pointer: this.#core.call('cnn_network_running_stats', this.#live(), index),
            },
          ]
        : [],
    );
  }

  dispose() {
    if (!this.#pointer) return;
    this.#core.call('cnn_network_destroy', this.#pointer);
    this.#core.release(this.#pointer);
    this.#pointer = 0;
  }

  static {
    buffersOf = (network) => {
      if (network === null || typeof network !== 'object' || !(#pointer in network)) return null;
      const core = network.#core;
      return {
        core,
        parameters: core.call('cnn_network_parameters', network.#live()),
        gradients: core.call('cnn_network_gradients', network.#live()),
        count: network.parameterCount,
      };
    };
  }
}
// Refusals from inside (the core's cross entropy, a layer's op) name the method called first.
for (const method of [
  'trainStep',
  'forward',
  'activation',
  'inputGradient',
  'zeroGrad',
  'parameters',
  'gradients',
  'setParameters',
  'setGradients',
  'loadParameters',
  'storeParameters',
])
  Network.prototype[method] = named(`Network.${method}`, Network.prototype[method]);

// A model's Float32Array of exactly `size` values, or a RangeError naming it.
function checkedValues(op, name, values, size) {
  if (!isFloat32Array(values) || values.length !== size)
    throw new RangeError(
      `${op}: ${name} must hold ${size} values, got ${isFloat32Array(values) ? values.length : describe(values)}`,
    );
  return values;
}
