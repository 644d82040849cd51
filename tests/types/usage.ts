// A typed tour of the public API: `tsc -p tests/types` (make test-types) checks that web/cnn.d.ts
// and web/widgets/elements.d.ts describe what a user writes. Each @ts-expect-error is a misuse
// the types must reject. tests/types.test.mjs checks the declarations against the loaded module.
import { load, simdSupported, Tensor } from '../../web/cnn.js';
import type { CNN, Module, Sequential, SummaryRow, TensorLike } from '../../web/cnn.js';
import type { CnnChannelsElement, CnnConvElement, CnnTrainElement } from '../../web/widgets/elements.js';

export async function tour(): Promise<number> {
  const cnn: CNN = await load({ simd: simdSupported() });
  const x = cnn.randn([1, 3, 8, 8], 1);
  const plain: TensorLike = { shape: [3, 3, 3, 3], data: new Float32Array(81) };
  const y: Tensor = cnn.F.conv2d(x, plain, null, { stride: 2, padding: 'same' === 'same' ? 1 : 0, dilation: [1, 1] });
  const same = cnn.F.conv2d(x, cnn.randn([4, 3, 3, 3]), null, { padding: 'same' });
  const pooled = cnn.F.max_pool2d_with_indices(same, 2);
  const indices: Int32Array = pooled.indices;
  const { input, weight, bias } = cnn.grad.conv2d(y, x, plain, null, { stride: 2, padding: 1 });
  const shape: number[] = cnn.arithmetic.conv2d_shape([1, 3, 32, 32], [8, 3, 5, 5], { padding: 2 }).shape;
  const rf = cnn.arithmetic.receptive_field([{ kernel: 3, stride: 2 }, { kernel: 3 }]).at(-1)?.rf ?? 0;
  const trace = cnn.trace.conv2d(x, plain, null, {}, { channel: 0, row: 0, col: 0 });

  const { nn } = cnn;
  const conv: Module = new nn.Conv2d(1, 4, 3, { padding: 1 });
  const model: Sequential = new nn.Sequential(
    conv,
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(4 * 14 * 14, 10),
  );
  const isLayer: boolean = conv instanceof nn.Module;
  const forward = model.forward({ shape: [1, 1, 28, 28], data: new Float32Array(784) }); // a plain {shape, data} works
  const rows: SummaryRow[] = model.summary([1, 1, 28, 28]).rows;
  const lastField: [number, number] | null = rows[rows.length - 1].rf;

  const network = new cnn.Network(model, [1, 28, 28], { capacity: 8 });
  const optimizer = new cnn.optim.Adam(network, { lr: 1e-3 });
  const images = cnn.augment.normalizePixels(new Uint8Array(8 * 784));
  const step = network.trainStep(images, new Int32Array(8), 8);
  optimizer.step();
  network.dispose();
  // @ts-expect-error a Network compiles a Sequential, not a single layer
  void (() => new cnn.Network(conv, [1, 28, 28]));
  // @ts-expect-error conv2d takes its options as an object
  void (() => cnn.F.conv2d(x, plain, null, 2));

  const widget = document.createElement('cnn-conv');
  const typed: CnnConvElement = widget;
  typed.kernel = 5;
  typed.padding = 'same';
  typed.mode = 'transposed';
  // @ts-expect-error mode is 'standard' or 'transposed'
  typed.mode = 'dilated';
  const lab: CnnTrainElement = document.createElement('cnn-train');
  lab.channels = [8, 16];
  lab.batchNorm = false;
  const channels: CnnChannelsElement = document.createElement('cnn-channels');
  channels.outChannels = 6;
  channels.groups = 3;
  channels.filters = 'colour';
  channels.pixel = '4,5';
  // @ts-expect-error filters is one of the named sets
  channels.filters = 'sobel';
  await typed.ready;

  return (
    y.size +
    shape.length +
    rf +
    trace.value +
    indices.length +
    input.size +
    weight.size +
    (bias?.size ?? 0) +
    forward.size +
    (lastField?.[0] ?? 0) +
    step.loss +
    Number(isLayer) +
    same.size
  );
}
