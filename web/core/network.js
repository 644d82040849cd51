// Network: a Sequential model compiled into the core (src/cnn_network.h), for
// training. Parameters, gradients and activations stay in WASM memory; a step
// copies in one input batch and its targets and copies out two numbers.
import { GEOMETRY_FIELDS, integer, number, options, targets as checkTargets } from './args.js';
import { convSpec, poolSpec, solve } from './specs.js';
import { elementCount, Tensor } from './tensor.js';

// Layer kinds, as cnn_layer_kind in src/cnn_network.h (tests/layout.test.mjs checks them).
export const KIND = { Conv2d: 1, MaxPool2d: 2, AvgPool2d: 3, AdaptiveAvgPool2d: 4, BatchNorm2d: 5, ReLU: 6, Flatten: 7, Linear: 8 };

export function createNetworkClass(core, nn) {
  // One layer record: {kind, has_bias, cnn_geometry} with the geometry solved by the core.
  function record(layer, inputShape) {
    const shape = [1, ...inputShape];
    const solved = (spec) => core.scoped((scope) => solve(core, scope, spec).g);
    let hasBias = 0, g = {};
    if (layer instanceof nn.Conv2d) {
      g = solved(convSpec('conv2d', shape, layer.weight.shape, layer.options, false));
      hasBias = layer.bias ? 1 : 0;
    } else if (layer instanceof nn.MaxPool2d || layer instanceof nn.AvgPool2d) {
      const average = layer instanceof nn.AvgPool2d;
      g = solved(poolSpec(average ? 'avg_pool2d' : 'max_pool2d', shape, layer.kernelSize, layer.options, average));
    } else if (layer instanceof nn.AdaptiveAvgPool2d) {
      [g.out_height, g.out_width] = layer.outputSize;
    } else if (layer instanceof nn.BatchNorm2d) {
      hasBias = layer.parameters().length ? 1 : 0;
      // carried in by cnn_network_set_batch_norm after creation, which checks their ranges
      number(layer.momentum, 'Network', 'BatchNorm2d momentum');
      number(layer.eps, 'Network', 'BatchNorm2d eps');
    } else if (layer instanceof nn.Flatten) {
      if (layer.startDim !== 1) throw new RangeError(`Network: Flatten must start at dim 1, got ${layer.startDim}`);
    } else if (layer instanceof nn.Linear) {
      g.out_channels = layer.outFeatures;
      hasBias = layer.parameters().length > 1 ? 1 : 0;
    } else if (!(layer instanceof nn.ReLU)) {
      throw new TypeError(`Network: ${layer.name} layers cannot be compiled (supported: ${Object.keys(KIND).join(', ')})`);
    }
    return [KIND[layer.name], hasBias, ...GEOMETRY_FIELDS.map((field) => g[field] ?? 0)];
  }

  return class Network {
    #pointer;
    #inputShape;
    #capacity;
    #model;
    #lastBatch = 0;
    #flatOutputs;
    #layers;

    /**
     * Compiles a Sequential (its layers minus Identity) for inputs [C, H, W] and up to
     * `capacity` samples per batch, starting from the model's current parameters.
     */
    constructor(model, inputShape, opts = {}) {
      const o = options(opts, 'Network', ['capacity']);
      if (!(model instanceof nn.Sequential)) throw new TypeError('Network: model must be an nn.Sequential');
      this.#capacity = integer(o.capacity ?? 64, 'Network', 'capacity');
      this.#inputShape = inputShape.map((size, i) => integer(size, 'Network', `input_shape[${i}]`));
      this.#model = model;
      const layers = model.layers.filter((layer) => !(layer instanceof nn.Identity));
      const records = [];
      let shape = this.#inputShape;
      for (const layer of layers) {
        records.push(...record(layer, shape));
        shape = layer.outputShape([1, ...shape]).slice(1);
      }
      this.outputShape = shape;
      // Flatten and Linear outputs are [batch, features], as in the JS layers.
      this.#flatOutputs = layers.map((layer) => layer instanceof nn.Flatten || layer instanceof nn.Linear);
      this.#pointer = core.scoped((scope) => core.call('cnn_network_create', scope.ints(records, 'the layer records'),
        layers.length, this.#capacity, ...this.#inputShape));
      core.retain(this.#pointer);
      this.layerCount = layers.length;
      this.#layers = layers;
      layers.forEach((layer, index) => layer instanceof nn.BatchNorm2d &&
        core.call('cnn_network_set_batch_norm', this.#pointer, index, layer.momentum, layer.eps));
      this.loadParameters();
    }

    get parameterCount() {
      return core.call('cnn_network_parameter_count', this.#live());
    }

    #live() {
      if (!this.#pointer) throw new Error('Network: used after dispose()');
      return this.#pointer;
    }

    #writeBatch(images, batch) {
      const size = elementCount(this.#inputShape);
      const n = integer(batch, 'Network', 'batch');
      if (n < 1 || n > this.#capacity) throw new RangeError(`Network: batch = ${n} must be in [1, ${this.#capacity}]`);
      if (!(images instanceof Float32Array) || images.length < n * size)
        throw new RangeError(`Network: images must be a Float32Array of at least batch · ${size} = ${n * size} values`);
      core.write(core.call('cnn_network_input', this.#live()), images.subarray(0, n * size));
      return n;
    }

    /** One supervised step: zero grads, forward (training), cross entropy, backward. */
    trainStep(images, labels, batch) {
      const n = this.#writeBatch(images, batch);
      const t = checkTargets(Array.from(labels).slice(0, n), 'Network.trainStep', n);
      const result = core.scoped((scope) => {
        const loss = scope.floats(1), correct = scope.ints(1);
        core.call('cnn_network_train_step', this.#live(), loss, correct, scope.ints(t), n);
        return { loss: scope.readFloats(loss, 1)[0], correct: scope.readInts(correct, 1)[0] };
      });
      this.#lastBatch = n;
      return result;
    }

    /** The network's output for a batch, [batch, ...outputShape]; eval mode unless training. */
    forward(images, batch, { training = false } = {}) {
      const n = this.#writeBatch(images, batch);
      core.call('cnn_network_forward', this.#live(), n, training ? 1 : 0);
      this.#lastBatch = n;
      return this.activation(this.layerCount - 1);
    }

    /** Layer l's output from the last forward pass, [batch, C, H, W]. */
    activation(layer) {
      return core.scoped((scope) => {
        const shapePointer = scope.ints(3);
        const index = integer(layer, 'Network', 'layer');
        const pointer = core.call('cnn_network_activation', this.#live(), index, shapePointer);
        const [channels, height, width] = scope.readInts(shapePointer, 3);
        const shape = this.#flatOutputs[index] ? [this.#lastBatch, channels] : [this.#lastBatch, channels, height, width];
        return new Tensor(core.read(Float32Array, pointer, elementCount(shape)), shape);
      });
    }

    /**
     * The gradient of Σ output · grad_output with respect to the input, after
     * forward(images, batch): e.g. one output pixel's effective receptive field.
     */
    inputGradient(gradOutput) {
      const n = this.#lastBatch;
      const expected = [n, ...this.outputShape];
      if (gradOutput.shape.join() !== expected.join())
        throw new RangeError(`Network.inputGradient: grad_output must have shape [${expected}], got [${gradOutput.shape}]`);
      return core.scoped((scope) => {
        core.call('cnn_network_backward', this.#live(), scope.floats(gradOutput.data), n, 1);
        const shape = [n, ...this.#inputShape];
        return new Tensor(core.read(Float32Array, core.call('cnn_network_input_gradient', this.#pointer), elementCount(shape)), shape);
      });
    }

    /** Flat parameters (layer by layer, weight then bias) and their gradients, copied out. */
    parameters() {
      return core.read(Float32Array, core.call('cnn_network_parameters', this.#live()), this.parameterCount);
    }
    gradients() {
      return core.read(Float32Array, core.call('cnn_network_gradients', this.#live()), this.parameterCount);
    }
    /** Pointers for the core's optimizers, which update the parameters in place. */
    get parametersPointer() {
      return core.call('cnn_network_parameters', this.#live());
    }
    get gradientsPointer() {
      return core.call('cnn_network_gradients', this.#live());
    }

    /** Copies the model's JS parameters and batch-norm running statistics into the network. */
    loadParameters() {
      const flat = new Float32Array(this.parameterCount);
      let offset = 0;
      for (const p of this.#model.parameters()) {
        flat.set(p.value.data, offset);
        offset += p.value.size;
      }
      if (offset !== flat.length) throw new Error(`Network: the model has ${offset} parameters, the network ${flat.length}`);
      core.write(core.call('cnn_network_parameters', this.#live()), flat);
      this.#batchNorms().forEach(({ layer, pointer }) => {
        core.write(pointer, layer.runningMean.data);
        core.write(pointer + layer.numFeatures * Float32Array.BYTES_PER_ELEMENT, layer.runningVar.data);
      });
    }

    /** Copies the network's parameters and running statistics back into the model's layers (to save or summarise it). */
    storeParameters() {
      const flat = this.parameters();
      let offset = 0;
      for (const p of this.#model.parameters()) {
        p.value.data.set(flat.subarray(offset, offset + p.value.size));
        offset += p.value.size;
      }
      this.#batchNorms().forEach(({ layer, pointer }) => {
        const stats = core.read(Float32Array, pointer, 2 * layer.numFeatures);
        layer.runningMean.data.set(stats.subarray(0, layer.numFeatures));
        layer.runningVar.data.set(stats.subarray(layer.numFeatures));
      });
    }

    #batchNorms() {
      return this.#layers.flatMap((layer, index) => (layer instanceof nn.BatchNorm2d
        ? [{ layer, pointer: core.call('cnn_network_running_stats', this.#live(), index) }] : []));
    }

    dispose() {
      if (!this.#pointer) return;
      core.call('cnn_network_destroy', this.#pointer);
      core.release(this.#pointer);
      this.#pointer = 0;
    }
  };
}
