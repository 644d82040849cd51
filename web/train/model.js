// The lab's CNN from its knobs (web/train/knobs.js), as a cnn.nn.Sequential whose layer i is
// layer i of the same torch.nn.Sequential, so parameter names ("4.weight") match PyTorch's:
//
//   per block b (channels[b]):  Conv2d(k, stride, padding) [→ BatchNorm2d] → ReLU → pool
//       stride  = knobs.stride for the first block, 1 after; × 2 when pool = 'none'
//       padding = ⌊(k − 1)/2⌋ for 'same', 0 for 'valid'; no conv bias before batch norm
//       pool    = MaxPool2d(2) (max, gap) | AvgPool2d(2) (avg) | nothing (none)
//   head: Flatten → Linear(C·H·W, 10), or for gap AdaptiveAvgPool2d(1) → Flatten → Linear(C, 10)
//
// Initial weights are PyTorch's default initialisation drawn by the core, each layer with its
// own seed derived from knobs.seed: same knobs, same model, bit for bit.

/** MNIST digits: [channels, height, width] and the number of classes. */
export const MNIST_INPUT = Object.freeze([1, 28, 28]);
export const CLASSES = 10;

/** The seed of layer `index` for a run seeded with `seed` (the core draws bias with seed + 1). */
function layerSeed(seed, index) {
  return (seed * 256 + 2 * index + 1) >>> 0;
}

/** The layers the knobs describe, before any shape is checked. */
function layersOf(nn, knobs, inputChannels) {
  const layers = [];
  const seed = () => layerSeed(knobs.seed, layers.length);
  let channels = inputChannels;
  knobs.channels.forEach((outChannels, block) => {
    const stride = (block === 0 ? knobs.stride : 1) * (knobs.pool === 'none' ? 2 : 1);
    const padding = knobs.padding === 'same' ? Math.floor((knobs.kernel - 1) / 2) : 0;
    layers.push(
      new nn.Conv2d(channels, outChannels, knobs.kernel, { stride, padding, bias: !knobs.batchNorm, seed: seed() }),
    );
    if (knobs.batchNorm) layers.push(new nn.BatchNorm2d(outChannels));
    layers.push(new nn.ReLU());
    if (knobs.pool === 'max' || knobs.pool === 'gap') layers.push(new nn.MaxPool2d(2));
    if (knobs.pool === 'avg') layers.push(new nn.AvgPool2d(2));
    channels = outChannels;
  });
  return layers;
}

/**
 * The model for checked knobs (checkKnobs) on inputs [C, H, W]. Throws a RangeError before
 * anything trains when a layer would get an empty map: it names the layer, its input and the
 * core's rule.
 */
export function buildModel(nn, knobs, inputShape = MNIST_INPUT) {
  const layers = layersOf(nn, knobs, inputShape[0]);
  let shape = [1, ...inputShape];
  layers.forEach((layer, i) => {
    try {
      shape = layer.outputShape(shape);
    } catch (error) {
      throw new RangeError(`layer ${i + 1} (${layer.name}) gets a ${shape.slice(1).join('×')} input: ${error.message}`);
    }
  });
  if (knobs.pool === 'gap') layers.push(new nn.AdaptiveAvgPool2d(1), new nn.Flatten());
  else layers.push(new nn.Flatten());
  const features = shape[1] * (knobs.pool === 'gap' ? 1 : shape[2] * shape[3]);
  layers.push(new nn.Linear(features, CLASSES, { seed: layerSeed(knobs.seed, layers.length) }));
  return new nn.Sequential(...layers);
}

/**
 * What the lab shows before training: the per-layer summary of one image (shapes, params, MACs,
 * receptive field) and the receptive field and jump of the last convolution.
 */
export function describeModel(model, inputShape = MNIST_INPUT) {
  const summary = model.summary([1, ...inputShape]);
  const lastConv = summary.rows.findLast((row) => row.name.startsWith('Conv2d'));
  // The lab's kernels, strides and paddings are square: both axes of the field agree.
  return { ...summary, receptiveField: lastConv?.rf?.[0] ?? null, jump: lastConv?.jump?.[0] ?? null };
}
