// Mini-batch training of the lab's model on MNIST in this thread, shared by the CLI
// (examples/train_mnist.mjs) and the Web Worker (web/train/worker.js); parallel.js's
// ParallelTrainer extends it to share each batch among workers (startTrainer picks).
//
//   const trainer = new Trainer(cnn, data, checkKnobs({ epochs: 3 }));
//   while (!trainer.done) {
//     const step = trainer.trainStep();                 // { loss, correct, count, epoch, … }
//     if (step.lastOfEpoch) console.log(trainer.evaluate(data.test).accuracy);
//   }
//
// The model is compiled once into a cnn.Network sized for one batch: parameters, gradients and
// activations stay in WASM memory, a step copies in one batch of normalised images. A step:
// the next indices of this epoch's shuffled order → their bytes, shifted at random if
// knobs.augment (cnn_random_shift) → normalised (cnn_normalize_pixels) → forward, cross
// entropy, backward (cnn_network_train_step) → the optimizer's update (cnn_sgd_step /
// cnn_adam_step) at this step's learning rate. Every random draw is the core's, seeded from
// knobs.seed and the step (batchAt(step) makes any step's batch), so a run repeats bit for bit
// in the same build and sees the same batches whatever the number of workers.
import { MNIST_NORMALIZATION } from '../core/augment.js';
import { argmaxRows } from './metrics.js';
import { buildModel, CLASSES, MNIST_INPUT } from './model.js';

/** Largest shift of a training digit when knobs.augment is on, in pixels. */
export const MAX_SHIFT = 2;

/** A seed per purpose and index (epoch, step), so the draws of a run never share a stream. */
function streamSeed(seed, stream, index) {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca77) ^ Math.imul(index + 1, 0xc2b2ae3d)) >>> 0;
}
const STREAM = { shuffle: 1, shift: 2 };

/**
 * A network's logits for every digit of a split, in eval mode (batch norm's running
 * statistics), `capacity` digits per forward pass; the mean cross entropy (the core's),
 * accuracy and predictions. { loss, accuracy, correct, count, predictions, labels, logits }.
 */
export function evaluate(cnn, network, capacity, data, split) {
  const { pixels, labels } = data.gather(
    split,
    Int32Array.from({ length: split.count }, (_, i) => i),
  );
  const size = data.imageSize,
    logits = new Float32Array(split.count * CLASSES);
  for (let start = 0; start < split.count; start += capacity) {
    const n = Math.min(capacity, split.count - start);
    logits.set(
      network.forward(normaliseDigits(cnn, pixels.subarray(start * size, (start + n) * size)), n).data,
      start * CLASSES,
    );
  }
  const tensor = new cnn.Tensor(logits, [split.count, CLASSES]);
  const predictions = argmaxRows(tensor);
  const correct = predictions.reduce((total, predicted, i) => total + (predicted === labels[i] ? 1 : 0), 0);
  return {
    loss: cnn.F.cross_entropy(tensor, labels).item(),
    accuracy: correct / split.count,
    correct,
    count: split.count,
    predictions,
    labels,
    logits: tensor,
  };
}

/** The network's input for digits' bytes: (p / 255 − mean) / std, MNIST's, as torchvision's ToTensor then Normalize. */
export function normaliseDigits(cnn, pixels) {
  return cnn.augment.normalizePixels(pixels, MNIST_NORMALIZATION);
}

/** torch.optim.SGD or Adam over a network's parameters, as the knobs say. */
export function optimizerFor(cnn, network, knobs) {
  return knobs.optimizer === 'sgd'
    ? new cnn.optim.SGD(network, { lr: knobs.lr, momentum: knobs.momentum, weight_decay: knobs.weightDecay })
    : new cnn.optim.Adam(network, { lr: knobs.lr, weight_decay: knobs.weightDecay });
}

export class Trainer {
  /**
   * knobs: checked (checkKnobs). model: a cnn.nn.Sequential to train further (a loaded
   * checkpoint); default a fresh one built from the knobs. trainSplit: the digits an epoch
   * visits; default all 8,000 training digits (data.subset() for fewer).
   */
  constructor(cnn, data, knobs, { model = buildModel(cnn.nn, knobs), trainSplit = data.train } = {}) {
    this.cnn = cnn;
    this.data = data;
    this.knobs = knobs;
    this.trainSplit = trainSplit;
    this.model = model;
    this.network = new cnn.Network(model, MNIST_INPUT, { capacity: knobs.batch });
    this.optimizer = this.createOptimizer();
    this.stepsPerEpoch = Math.ceil(trainSplit.count / knobs.batch);
    this.totalSteps = this.stepsPerEpoch * knobs.epochs;
    this.steps = 0;
    this.order = null;
    this.orderEpoch = -1;
  }

  /** The knobs' optimizer over this network (ParallelTrainer: over flat parameters). */
  createOptimizer() {
    return optimizerFor(this.cnn, this.network, this.knobs);
  }

  get done() {
    return this.steps >= this.totalSteps;
  }

  get epoch() {
    return Math.floor(this.steps / this.stepsPerEpoch);
  }

  /** cosine: lr · (1 + cos(π · step / total)) / 2, as CosineAnnealingLR stepped per batch; else lr. */
  learningRate(step) {
    const { lr, schedule } = this.knobs;
    return schedule === 'cosine' ? (lr * (1 + Math.cos((Math.PI * step) / this.totalSteps))) / 2 : lr;
  }

  /** Indices 0 … count − 1 in a random order: Fisher–Yates over uniforms drawn by the core. */
  shuffled(count, seed) {
    const uniforms = this.cnn.rand([count], seed).data;
    const order = Int32Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(uniforms[i] * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  /** Image bytes [n, 28·28] shifted at random (cnn_random_shift) when seed is given, else as they are. */
  shifted(pixels, count, shiftSeed = null) {
    return shiftSeed === null
      ? pixels
      : this.cnn.augment.randomShift(pixels, [count, ...MNIST_INPUT], { maxShift: MAX_SHIFT, fill: 0, seed: shiftSeed })
          .images;
  }

  /**
   * What step `step` of the run trains on: its digits' bytes (this epoch's shuffled order,
   * shifted; normaliseDigits makes the network's input), labels and learning rate. The same for
   * any number of workers.
   */
  batchAt(step) {
    const { batch, seed } = this.knobs;
    const epoch = Math.floor(step / this.stepsPerEpoch),
      within = step % this.stepsPerEpoch;
    if (this.orderEpoch !== epoch) {
      this.order = this.shuffled(this.trainSplit.count, streamSeed(seed, STREAM.shuffle, epoch));
      this.orderEpoch = epoch;
    }
    const indices = this.order.subarray(within * batch, (within + 1) * batch);
    const { pixels, labels } = this.data.gather(this.trainSplit, indices);
    const shifted = this.shifted(
      pixels,
      indices.length,
      this.knobs.augment ? streamSeed(seed, STREAM.shift, step) : null,
    );
    return {
      pixels: shifted,
      labels,
      count: indices.length,
      epoch,
      step: within + 1,
      lr: this.learningRate(step),
      lastOfEpoch: within + 1 === this.stepsPerEpoch,
    };
  }

  /** One optimisation step on the next batch of the training digits. */
  trainStep() {
    const batch = this.nextBatch();
    this.optimizer.lr = batch.lr;
    const { loss, correct } = this.network.trainStep(
      normaliseDigits(this.cnn, batch.pixels),
      batch.labels,
      batch.count,
    );
    this.optimizer.step();
    return this.stepDone(batch, loss, correct);
  }

  nextBatch() {
    if (this.done) throw new Error(`Trainer: the run is over (${this.totalSteps} steps)`);
    return this.batchAt(this.steps);
  }

  /** Counts the step; what it did: { loss, correct, count, epoch, step, lr, lastOfEpoch }. */
  stepDone({ count, epoch, step, lr, lastOfEpoch }, loss, correct) {
    this.steps++;
    return { loss, correct, count, epoch, step, lr, lastOfEpoch };
  }

  /** Mean cross entropy, accuracy and every prediction over a split, in eval mode. */
  evaluate(split) {
    return evaluate(this.cnn, this.network, this.knobs.batch, this.data, split);
  }

  /** The trained parameters copied back into this.model (to save it or inspect its layers). */
  syncModel() {
    this.network.storeParameters();
    return this.model;
  }

  dispose() {
    this.network.dispose();
  }
}
