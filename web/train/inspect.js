// What the lab shows of a model after training, computed with the core: the first layer's
// kernels, the feature maps of one digit, and the effective receptive field (Luo, Li, Urtasun
// & Zemel, "Understanding the Effective Receptive Field in Deep Convolutional Neural
// Networks", NeurIPS 2016): how much each input pixel moves the centre output of the last
// convolution, |∂y_centre/∂x|, averaged over digits, next to the theoretical receptive field.
import { MNIST_INPUT } from './model.js';

/** The first convolution's weights [out_channels, in_channels, k, k] (a copy). */
export function firstKernels(model) {
  const conv = model.layers.find((layer) => layer.name === 'Conv2d');
  return { shape: [...conv.weight.shape], data: conv.weight.data.slice() };
}

/**
 * Each layer's output for one digit's inputs [1, 28, 28] (normalised), from a network compiled
 * from `model`: [{ index, name, shape [C, H, W], data }] for the convolutions and poolings.
 */
export function featureMaps(network, model, image) {
  network.forward(image, 1);
  const maps = [];
  model.layers.forEach((layer, index) => {
    if (!/^(Conv2d|MaxPool2d|AvgPool2d)$/.test(layer.name)) return;
    const { shape, data } = network.activation(index);
    maps.push({ index, name: `${layer.name}-${index + 1}`, shape: shape.slice(1), data });
  });
  return maps;
}

/**
 * The effective receptive field of the centre pixel of the last convolution's output, over
 * `count` digits of inputs [count, 1, 28, 28] (normalised): mean |∂(Σ_channels y[centre])/∂x|
 * per input pixel, scaled to a maximum of 1; and the theoretical field of that pixel, the
 * input rows/columns [first, last] it can see (from the core's receptive-field arithmetic).
 */
export function effectiveReceptiveField(cnn, model, images, count) {
  const lastConv = model.layers.findLastIndex((layer) => layer.name === 'Conv2d');
  const stack = new cnn.nn.Sequential(...model.layers.slice(0, lastConv + 1));
  const network = new cnn.Network(stack, MNIST_INPUT, { capacity: count });
  try {
    network.forward(images, count);
    const [channels, height, width] = network.outputShape;
    const centre = { row: height >> 1, col: width >> 1 };
    const pick = cnn.Tensor.zeros([count, channels, height, width]);
    for (let n = 0; n < count; n++)
      for (let c = 0; c < channels; c++) pick.data[((n * channels + c) * height + centre.row) * width + centre.col] = 1;
    const gradient = network.inputGradient(pick).data;
    const size = MNIST_INPUT[1] * MNIST_INPUT[2];
    const field = new Float32Array(size);
    for (let n = 0; n < count; n++) for (let p = 0; p < size; p++) field[p] += Math.abs(gradient[n * size + p]) / count;
    const largest = field.reduce((a, b) => Math.max(a, b), 0);
    if (largest > 0)
      field.forEach((value, p) => {
        field[p] = value / largest;
      });
    const windows = stack.layers.map((layer) => layer.window()).filter(Boolean);
    const { rf, jump, start } = cnn.arithmetic.receptive_field(windows).at(-1);
    const span = (index) => [start + index * jump, start + index * jump + rf - 1];
    const [rows, cols] = [span(centre.row), span(centre.col)];
    return {
      shape: MNIST_INPUT.slice(1),
      data: field,
      rf,
      rows,
      cols,
      ...massShare(field, rows, cols, MNIST_INPUT[2]),
    };
  } finally {
    network.dispose();
  }
}

/** The share of the gradient the effective receptive field's text reports. */
export const MASS_SHARE = 0.9;

/**
 * How concentrated the effective receptive field is: the fewest pixels that carry MASS_SHARE of
 * the summed gradient (largest first), against the theoretical field's pixels inside the image.
 * { massShare, pixels, area, share: pixels / area }.
 */
export function massShare(field, [top, bottom], [left, right], width) {
  const clamp = (value) => Math.min(width - 1, Math.max(0, value));
  const area = (clamp(bottom) - clamp(top) + 1) * (clamp(right) - clamp(left) + 1);
  const sorted = Float32Array.from(field).sort().reverse();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  let pixels = 0;
  for (let carried = 0; pixels < sorted.length && carried < MASS_SHARE * total; pixels++) carried += sorted[pixels];
  return { massShare: MASS_SHARE, pixels, area, share: pixels / area };
}
