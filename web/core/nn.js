// Layers like torch.nn, over the functional ops. forward() keeps what
// backward() needs; backward() accumulates parameter gradients (the core adds
// into the buffers it is given) and returns the gradient of the input.
import { bool, integer, named, number, options, pair, renamed, tensorArg } from './args.js';
import { AVG_POOL_OPTIONS, CONV_OPTIONS, CONV_TRANSPOSE_OPTIONS, MAX_POOL_OPTIONS } from './specs.js';
import { checkShape, elementCount, Tensor } from './tensor.js';

// window() of a layer after which the receptive field is no longer one window
// of the input (flatten, linear, adaptive pooling, transposed convolution).
const NOT_A_WINDOW = Symbol('not a window');

export function createLayers(core, { F, backward }, arithmetic) {
  let nextSeed = 1;

  // A layer's parameter count or initialisation by the core, its errors named by the layer ('Conv2d: conv2d params: …').
  function countedBy(op, count) {
    try {
      return count();
    } catch (error) {
      throw renamed(error, op);
    }
  }

  class Parameter {
    constructor(name, value) {
      this.name = name;
      this.value = value;
      this.grad = Tensor.zeros(value.shape);
    }
  }

  // Fills weight (and bias) with PyTorch's default initialisation, in the core.
  function initDefault(weight, bias, fanIn, seed) {
    core.scoped((scope) => {
      const w = scope.floats(weight.size), b = bias ? scope.floats(bias.size) : 0;
      core.call('cnn_init_default', w, b, weight.size, bias?.size ?? 0, fanIn, seed >>> 0);
      weight.data.set(scope.readFloats(w, weight.size));
      if (bias) bias.data.set(scope.readFloats(b, bias.size));
    });
  }

  class Module {
    training = true;
    params = [];
    /** This layer's parameter count by the core's formula, set by layers with weights. */
    formulaParameters = 0;
    input = null;

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

  // `params` and each Parameter are public: what a caller replaced is skipped here and refused
  // by name where the op needs it (a gradient buffer of the wrong length, a missing weight).
  const ownParameters = (layer) => (Array.isArray(layer.params) ? layer.params.filter((p) => p instanceof Parameter) : []);
  // What a module's parameters() lists (a subclass may override it), objects only.
  const listedParameters = (module) => {
    const parameters = module.parameters();
    return Array.isArray(parameters) ? parameters.filter((p) => p !== null && typeof p === 'object') : [];
  };
  function paramGrads(layer) {
    return Object.fromEntries(ownParameters(layer).map((p) => [p.name, p.grad?.data]));
  }
  function storeGrads(layer, grads) {
    for (const p of ownParameters(layer)) p.grad = grads[p.name];
  }

  function convolutionLayer(transposed) {
    const op = transposed ? 'ConvTranspose2d' : 'Conv2d';
    return class extends Module {
      static layerName = op;
      constructor(inChannels, outChannels, kernelSize, opts = {}) {
        super();
        const o = options(opts, op, [...(transposed ? CONV_TRANSPOSE_OPTIONS : CONV_OPTIONS), 'bias', 'seed']);
        this.inChannels = integer(inChannels, op, 'in_channels');
        this.outChannels = integer(outChannels, op, 'out_channels');
        this.kernelSize = pair(kernelSize, op, 'kernel_size');
        this.groups = integer(o.groups ?? 1, op, 'groups');
        this.options = { stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, groups: this.groups };
        if (transposed) this.options.output_padding = o.output_padding ?? 0;
        const hasBias = bool(o.bias, op, 'bias', true);
        // Parameter count and shape rules are the core's: it refuses bad channel/group combinations here.
        this.formulaParameters = countedBy(op, () => arithmetic[transposed ? 'conv_transpose2d_params' : 'conv2d_params'](
          this.inChannels, this.outChannels, this.kernelSize, { groups: this.groups, bias: hasBias }));
        const [kh, kw] = this.kernelSize;
        const weightShape = transposed
          ? [this.inChannels, this.outChannels / this.groups, kh, kw]
          : [this.outChannels, this.inChannels / this.groups, kh, kw];
        const weight = countedBy(op, () => Tensor.zeros(weightShape)), bias = hasBias ? Tensor.zeros([this.outChannels]) : null;
        countedBy(op, () => initDefault(weight, bias, elementCount(weightShape.slice(1)), o.seed ?? nextSeed++));
        this.params = [new Parameter('weight', weight), ...(bias ? [new Parameter('bias', bias)] : [])];
      }
      get weight() {
        return this.params[0]?.value ?? null;
      }
      get bias() {
        return this.params[1]?.value ?? null;
      }
      apply(input) {
        return (transposed ? F.conv_transpose2d : F.conv2d)(input, this.weight, this.bias, this.options);
      }
      backward(gradOutput, needInput = true) {
        const grads = backward[transposed ? 'conv_transpose2d' : 'conv2d'](gradOutput, this.requireInput(),
          this.weight, this.bias, this.options, paramGrads(this), needInput);
        storeGrads(this, grads);
        return grads.input;
      }
      describe(inputShape) {
        const result = arithmetic[transposed ? 'conv_transpose2d_shape' : 'conv2d_shape'](inputShape, this.weight.shape, this.options);
        return { shape: result.shape, macs: result.macs };
      }
      outputShape(inputShape) {
        return this.describe(inputShape).shape;
      }
      window(axis = 0) {
        if (transposed) return NOT_A_WINDOW;
        const padding = this.options.padding;
        const stride = pair(this.options.stride, op, 'stride')[axis], dilation = pair(this.options.dilation, op, 'dilation')[axis];
        const pad = padding === 'valid' ? 0 : padding === 'same' ? 'same' : pair(padding, op, 'padding')[axis];
        return { kernel: this.kernelSize[axis], stride, padding: pad, dilation };
      }
    };
  }

  function poolLayer(average) {
    const op = average ? 'AvgPool2d' : 'MaxPool2d';
    return class extends Module {
      static layerName = op;
      constructor(kernelSize, opts = {}) {
        super();
        this.kernelSize = kernelSize;
        this.options = { ...options(opts, op, average ? AVG_POOL_OPTIONS : MAX_POOL_OPTIONS) };
      }
      apply(input) {
        return (average ? F.avg_pool2d : F.max_pool2d)(input, this.kernelSize, this.options);
      }
      backward(gradOutput) {
        return backward[average ? 'avg_pool2d' : 'max_pool2d'](gradOutput, this.requireInput(), this.kernelSize, this.options).input;
      }
      outputShape(inputShape) {
        return arithmetic[average ? 'avg_pool2d_shape' : 'max_pool2d_shape'](inputShape, this.kernelSize, this.options).shape;
      }
      window(axis = 0) {
        const kernel = pair(this.kernelSize, op, 'kernel_size')[axis];
        const stride = this.options.stride == null ? kernel : pair(this.options.stride, op, 'stride')[axis];
        const dilation = average ? 1 : pair(this.options.dilation ?? 1, op, 'dilation')[axis];
        return { kernel, stride, padding: pair(this.options.padding ?? 0, op, 'padding')[axis], dilation };
      }
    };
  }

  class AdaptiveAvgPool2d extends Module {
    constructor(outputSize) {
      super();
      this.outputSize = pair(outputSize, 'AdaptiveAvgPool2d', 'output_size');
    }
    apply(input) {
      return F.adaptive_avg_pool2d(input, this.outputSize);
    }
    backward(gradOutput) {
      return backward.adaptive_avg_pool2d(gradOutput, this.requireInput(), this.outputSize).input;
    }
    outputShape(inputShape) {
      return [inputShape[0], inputShape[1], ...this.outputSize];
    }
    window() {
      return NOT_A_WINDOW;
    }
  }

  class BatchNorm2d extends Module {
    constructor(numFeatures, opts = {}) {
      super();
      const o = options(opts, 'BatchNorm2d', ['eps', 'momentum', 'affine']);
      this.numFeatures = integer(numFeatures, 'BatchNorm2d', 'num_features');
      this.eps = number(o.eps, 'BatchNorm2d', 'eps', 1e-5);
      this.momentum = number(o.momentum, 'BatchNorm2d', 'momentum', 0.1);
      const affine = bool(o.affine, 'BatchNorm2d', 'affine', true);
      this.formulaParameters = countedBy('BatchNorm2d', () => arithmetic.batch_norm2d_params(this.numFeatures, affine));
      this.params = affine
        ? [new Parameter('weight', new Tensor(new Float32Array(this.numFeatures).fill(1), [this.numFeatures])),
          new Parameter('bias', Tensor.zeros([this.numFeatures]))]
        : [];
      this.runningMean = Tensor.zeros([this.numFeatures]);
      this.runningVar = new Tensor(new Float32Array(this.numFeatures).fill(1), [this.numFeatures]);
    }
    #options() {
      return { weight: this.params[0]?.value ?? null, bias: this.params[1]?.value ?? null,
        training: this.training, momentum: this.momentum, eps: this.eps };
    }
    apply(input) {
      return F.batch_norm(input, this.runningMean, this.runningVar, this.#options());
    }
    backward(gradOutput) {
      const grads = backward.batch_norm(gradOutput, this.requireInput(), this.runningMean, this.runningVar,
        this.#options(), paramGrads(this));
      storeGrads(this, grads);
      return grads.input;
    }
    outputShape(inputShape) {
      return inputShape;
    }
  }

  class ReLU extends Module {
    // inplace is accepted for PyTorch parity; tensors here are never shared with the core.
    constructor(opts = {}) {
      super();
      options(opts, 'ReLU', ['inplace']);
    }
    apply(input) {
      return F.relu(input);
    }
    backward(gradOutput) {
      return backward.relu(gradOutput, this.requireInput()).input;
    }
    outputShape(inputShape) {
      return inputShape;
    }
  }

  class Identity extends Module {
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

  class Flatten extends Module {
    constructor(startDim = 1) {
      super();
      this.startDim = integer(startDim, 'Flatten', 'start_dim');
    }
    apply(input) {
      return F.flatten(input, this.startDim);
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

  class Linear extends Module {
    constructor(inFeatures, outFeatures, opts = {}) {
      super();
      const o = options(opts, 'Linear', ['bias', 'seed']);
      this.inFeatures = integer(inFeatures, 'Linear', 'in_features');
      this.outFeatures = integer(outFeatures, 'Linear', 'out_features');
      const hasBias = bool(o.bias, 'Linear', 'bias', true);
      this.formulaParameters = countedBy('Linear', () => arithmetic.linear_params(this.inFeatures, this.outFeatures, hasBias));
      const weight = countedBy('Linear', () => Tensor.zeros([this.outFeatures, this.inFeatures])), bias = hasBias ? Tensor.zeros([this.outFeatures]) : null;
      countedBy('Linear', () => initDefault(weight, bias, this.inFeatures, o.seed ?? nextSeed++));
      this.params = [new Parameter('weight', weight), ...(bias ? [new Parameter('bias', bias)] : [])];
    }
    apply(input) {
      return F.linear(input, this.params[0]?.value ?? null, this.params[1]?.value ?? null);
    }
    backward(gradOutput, needInput = true) {
      const grads = backward.linear(gradOutput, this.requireInput(), this.params[0]?.value ?? null, this.params[1]?.value ?? null,
        paramGrads(this), needInput);
      storeGrads(this, grads);
      return grads.input;
    }
    describe(inputShape) {
      return { shape: this.outputShape(inputShape), macs: arithmetic.linear_macs(inputShape[0], this.inFeatures, this.outFeatures) };
    }
    outputShape(inputShape) {
      return [inputShape[0], this.outFeatures];
    }
    window() {
      return NOT_A_WINDOW;
    }
  }

  class Sequential extends Module {
    constructor(...layers) {
      super();
      layers.forEach((layer, i) => {
        if (!(layer instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a layer`);
      });
      this.layers = layers;
    }
    parameters() {
      return this.layers.flatMap((layer) => layer.parameters());
    }
    countParameters() {
      return this.layers.reduce((total, layer) => total + layer.countParameters(), 0);
    }
    train(mode = true) {
      this.training = bool(mode, 'Sequential.train', 'mode', true);
      for (const layer of this.layers) layer.train(this.training);
      return this;
    }
    forward(input) {
      return this.layers.reduce((x, layer) => layer.forward(x), input);
    }
    apply(input) {
      return this.forward(input);
    }
    backward(gradOutput) {
      return this.layers.reduceRight((g, layer) => layer.backward(g), gradOutput);
    }
    outputShape(inputShape) {
      return this.layers.reduce((shape, layer) => layer.outputShape(shape), inputShape);
    }
    describe(inputShape) {
      const { rows, macs } = this.summary(inputShape);
      return { shape: rows.at(-1)?.shape ?? inputShape, macs };
    }
    /**
     * Per layer: output shape, params, MACs, and the receptive field and jump of the stack so far,
     * each [height, width] (the core's answer per axis), or null past a layer that is not a window.
     */
    summary(inputShape) {
      const rows = [];
      const windows = [[], []]; // per axis
      let shape = inputShape, rfDefined = true;
      this.layers.forEach((layer, i) => {
        const described = layer.describe(shape);
        const fields = [0, 1].map((axis) => {
          const window = layer.window(axis);
          if (window === NOT_A_WINDOW) rfDefined = false;
          else if (window) windows[axis].push(resolveSame(window));
          if (!rfDefined) return null;
          return windows[axis].length ? arithmetic.receptive_field(windows[axis]).at(-1) : { rf: 1, jump: 1 };
        });
        shape = described.shape;
        rows.push({ name: `${layer.name}-${i + 1}`, shape, params: layer.countParameters(), macs: described.macs,
          rf: rfDefined ? fields.map((field) => field.rf) : null, jump: rfDefined ? fields.map((field) => field.jump) : null });
      });
      const params = rows.reduce((total, row) => total + row.params, 0);
      const macs = rows.reduce((total, row) => total + row.macs, 0);
      return { rows, params, macs, text: summaryText(rows, params, macs) };
    }
  }

  // Errors of a whole stack name the method called (Sequential.summary: conv2d: …), and the
  // input shape is checked before any layer sees it.
  for (const method of ['summary', 'outputShape', 'describe']) {
    const unchecked = Sequential.prototype[method];
    Sequential.prototype[method] = named(`Sequential.${method}`, function checked(inputShape) {
      return unchecked.call(this, checkShape(inputShape, `Sequential.${method}`, 'input_shape'));
    });
  }

  // 'same' padding's begin side, from the core (it sets the RF start offset).
  function resolveSame(window) {
    if (window.padding !== 'same') return window;
    return { ...window, padding: arithmetic.same_padding(window.kernel, window.dilation)[0] };
  }

  function summaryText(rows, params, macs) {
    const number = (n) => (n === null ? '-' : n.toLocaleString('en-US'));
    const perAxis = (pair) => (pair === null ? '-' : pair.map(number).join('×')); // height×width
    const table = [['Layer (type)', 'Output shape', 'Params', 'MACs', 'RF', 'Jump'],
      ...rows.map((r) => [r.name, `[${r.shape.join(', ')}]`, number(r.params), number(r.macs), perAxis(r.rf), perAxis(r.jump)])];
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
    const line = (row) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
    const rule = '-'.repeat(line(table[0]).length);
    return [rule, line(table[0]), rule, ...table.slice(1).map(line), rule,
      `Total params: ${number(params)}`, `Total MACs: ${number(macs)}`].join('\n');
  }

  return {
    Module, Conv2d: convolutionLayer(false), ConvTranspose2d: convolutionLayer(true),
    MaxPool2d: poolLayer(false), AvgPool2d: poolLayer(true), AdaptiveAvgPool2d,
    BatchNorm2d, ReLU, Identity, Flatten, Linear, Sequential,
  };
}
