// How the layers of a Sequential become the core's layer records (cnn_layer in src/cnn_network.h)
// and the network's parameter layout; a layer the core cannot run is refused here, by name.
import { describe, GEOMETRY_FIELDS, number } from './args.js';
import { AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU } from './nn.js';
import { convSpec, poolSpec, solve } from './specs.js';
import { elementCount } from './tensor.js';

// Layer kinds, as cnn_layer_kind in src/cnn_network.h (tests/layout.test.mjs checks them).
export const KIND = {
  Conv2d: 1,
  MaxPool2d: 2,
  AvgPool2d: 3,
  AdaptiveAvgPool2d: 4,
  BatchNorm2d: 5,
  ReLU: 6,
  Flatten: 7,
  Linear: 8,
};

// One layer record: {kind, has_bias, cnn_geometry} with the geometry solved by the core.
export function layerRecord(core, layer, inputShape) {
  const shape = [1, ...inputShape];
  const solved = (spec) => core.scoped((scope) => solve(core, scope, spec).g);
  const parameters = parametersOf(layer); // `layer.params` is public: an array before it is read
  let hasBias = 0,
    g = {};
  if (layer instanceof Conv2d) {
    g = solved(convSpec('conv2d', shape, layer.weight?.shape, layer.options, false));
    hasBias = layer.bias ? 1 : 0;
  } else if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
    const average = layer instanceof AvgPool2d;
    g = solved(poolSpec(average ? 'avg_pool2d' : 'max_pool2d', shape, layer.kernelSize, layer.options, average));
  } else if (layer instanceof AdaptiveAvgPool2d) {
    [g.out_height, g.out_width] = layer.outputSize;
  } else if (layer instanceof BatchNorm2d) {
    if (layer.numFeatures !== inputShape[0])
      throw new RangeError(`num_features = ${layer.numFeatures} must equal its input's channels ${inputShape[0]}`);
    hasBias = parameters.length ? 1 : 0;
    // carried in by cnn_network_set_batch_norm after creation, which checks their ranges
    number(layer.momentum, 'Network', 'BatchNorm2d momentum');
    number(layer.eps, 'Network', 'BatchNorm2d eps');
  } else if (layer instanceof Flatten) {
    if (layer.startDim !== 1) throw new RangeError(`start_dim must be 1, got ${describe(layer.startDim)}`);
  } else if (layer instanceof Linear) {
    if (layer.inFeatures !== elementCount(inputShape))
      throw new RangeError(
        `in_features = ${layer.inFeatures} must equal its input's ${elementCount(inputShape)} features`,
      );
    g.out_channels = layer.outFeatures;
    hasBias = parameters.length > 1 ? 1 : 0;
  } else if (!(layer instanceof ReLU)) {
    throw new TypeError(`cannot be compiled (supported: ${Object.keys(KIND).join(', ')})`);
  }
  return [KIND[layer.name], hasBias, ...GEOMETRY_FIELDS.map((field) => g[field] ?? 0)];
}

// The parameters a layer holds, as the network lays them out: [{name, size}] (weight, then bias).
export function parameterLayout(layer, inputShape) {
  const size = (shape) => elementCount(shape);
  let shapes = [];
  if (layer instanceof Conv2d)
    shapes = [
      ['weight', layer.weight.shape],
      ['bias', [layer.weight.shape[0]]],
    ];
  else if (layer instanceof BatchNorm2d)
    shapes = [
      ['weight', [inputShape[0]]],
      ['bias', [inputShape[0]]],
    ];
  else if (layer instanceof Linear)
    shapes = [
      ['weight', [layer.outFeatures, elementCount(inputShape)]],
      ['bias', [layer.outFeatures]],
    ];
  return parametersOf(layer).map((p, i) => {
    if (i >= shapes.length || p?.name !== shapes[i][0])
      throw new TypeError(
        `parameter ${i} is '${p?.name}', the network holds [${shapes.map(([name]) => name)}] in order`,
      );
    return { name: p.name, size: size(shapes[i][1]) };
  });
}

// A layer's parameters, which must still be an array (`layer.params` is public).
export function parametersOf(layer, what = 'the layer') {
  const parameters = layer.parameters();
  if (!Array.isArray(parameters))
    throw new TypeError(`${what}: parameters() must be an array, got ${describe(parameters)}`);
  return parameters;
}
