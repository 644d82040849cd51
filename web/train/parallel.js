// Data-parallel training: N workers share every batch, as torch.nn.parallel.DistributedDataParallel
// shares it between N processes. DOM-free; the same in the browser (Web Workers) and Node
// (worker_threads), through worker-link.js. No SharedArrayBuffer: it runs in any page or iframe.
//
//   const trainer = await ParallelTrainer.create(cnn, data, checkKnobs({ workers: 2 }));
//   while (!trainer.done) await trainer.trainStep();    // then as Trainer: evaluate, syncModel
//   trainer.dispose();
//
// Worker 1 is this thread (its Network is the model's: evaluation, running statistics);
// workers 2…N are gradient workers (gradient-worker.js), each with its own instance of the
// core and the same model, started from this thread's parameters. One step of a batch of B digits:
//   1. the batch is Trainer.batchAt's: the same digits, shifts and learning rate as with one worker
//   2. it is cut into N contiguous shares, b_k = ⌊B/N⌋ or ⌊B/N⌋ + 1 digits (the first B mod N
//      get one more); each worker gets its share's bytes (it normalises them itself) and
//      returns g_k, the gradient of its share's mean cross entropy
//   3. g = Σ_k (b_k / B) · g_k, summed in worker order k = 1…N (in float64, rounded once to
//      float32): the gradient of the whole batch's mean, whatever N, up to float rounding
//   4. the next step's message carries g (and the learning rate) to every gradient worker, and
//      each worker, this thread too, makes g its Network's gradient (Network.setGradients) and
//      takes the knobs' optimizer step (torch.optim's, state in its own thread) before
//      computing its next share: the same start, the same steps, the same bits everywhere.
//      Before the model is used (evaluate, syncModel) the last step's update is applied here.
// While the gradient workers compute, this thread computes its share and prepares the next
// batch. The loss reported is Σ_k (b_k / B) · loss_k, the batch's mean.
//
// Same seed and worker count: the same run bit for bit. One worker against N: equal up to float
// rounding (the sum's order differs), except with batch norm: each worker normalises with the
// statistics of its own share, as DDP does without SyncBatchNorm, and the running statistics
// are worker 1's (DDP's broadcast_buffers: rank 0's). A worker that fails or ends rejects the
// step with an Error naming it; the trainer is then unusable (dispose it).
import { normaliseDigits, Trainer } from './trainer.js';
import { spawnGradientWorker } from './worker-link.js';

/** A Trainer for knobs.workers = 1 (this thread alone), else a ParallelTrainer; options: ParallelTrainer.create's. */
export async function startTrainer(cnn, data, knobs, { spawnWorker, ...options } = {}) {
  return knobs.workers > 1
    ? ParallelTrainer.create(cnn, data, knobs, { spawnWorker, ...options })
    : new Trainer(cnn, data, knobs, options);
}

/** The shares of a batch of `count` digits among `workers`: [{ start, count }], in worker order. */
export function shares(count, workers) {
  const base = Math.floor(count / workers),
    extra = count % workers;
  let start = 0;
  return Array.from({ length: workers }, (_, k) => {
    const size = base + (k < extra ? 1 : 0);
    start += size;
    return { start: start - size, count: size };
  });
}

/**
 * One optimizer step with a gradient computed elsewhere ({ gradient, lr }, the summed gradient
 * of a step): it becomes the network's gradient, which the optimizer (the knobs' torch.optim
 * over that network) reads. Every worker does the same on the same bits.
 */
export function applyUpdate(network, optimizer, { gradient, lr }) {
  network.setGradients(gradient);
  optimizer.lr = lr;
  optimizer.step();
}

/**
 * Σ_k weights[k] · gradients[k], in order, accumulated in float64 and rounded once; into `out`
 * (a Float32Array as long as each gradient) when given.
 */
export function weightedSum(gradients, weights, out = new Float32Array(gradients[0].length)) {
  const count = gradients.length;
  for (let i = 0; i < out.length; i++) {
    let sum = 0; // a JS number: float64
    for (let k = 0; k < count; k++) sum += weights[k] * gradients[k][i];
    out[i] = sum;
  }
  return out;
}

export class ParallelTrainer extends Trainer {
  /**
   * A trainer over knobs.workers workers (≥ 2), once every gradient worker is ready. options:
   * Trainer's, and spawnWorker(index, count, init) → a link (worker-link.js's by default).
   */
  static async create(cnn, data, knobs, { spawnWorker = spawnGradientWorker, ...options } = {}) {
    const trainer = new ParallelTrainer(cnn, data, knobs, options);
    const init = {
      simd: cnn.simd,
      knobs,
      capacity: Math.ceil(knobs.batch / knobs.workers),
      parameters: trainer.network.parameters(),
    };
    const started = await Promise.allSettled(
      Array.from({ length: knobs.workers - 1 }, (_, k) => spawnWorker(k + 2, knobs.workers, init)),
    );
    trainer.links = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      trainer.dispose();
      throw failed.reason;
    }
    return trainer;
  }

  constructor(cnn, data, knobs, options) {
    super(cnn, data, knobs, options);
    this.links = [];
    this.prepared = null; // the next step's batch, made while the workers compute
    this.update = null; // the last step's { gradient, lr, applied (here) }: the workers get it with the next step
    // This thread's gradient and the sum, written in place every step (the sum is applied
    // before the next one overwrites it).
    this.ownGradient = new Float32Array(this.network.parameterCount);
    this.summed = new Float32Array(this.network.parameterCount);
  }

  async trainStep() {
    const batch = this.prepared ?? this.nextBatch();
    const parts = shares(batch.count, this.knobs.workers),
      size = this.data.imageSize;
    const update = this.update;
    this.update = null;
    // Posted as copies (structured clone), not transferred: in Node 20 a postMessage that
    // transfers these few tens of kilobytes took this thread more CPU than one that copies them.
    const replies = this.links.map((link, k) => {
      const { start, count } = parts[k + 1]; // count 0: a last batch with fewer digits than workers
      return link.request({
        type: 'step',
        update: update && { gradient: update.gradient, lr: update.lr },
        pixels: batch.pixels.slice(start * size, (start + count) * size),
        labels: batch.labels.slice(start, start + count),
        count,
      });
    });
    if (update) this.apply(update); // as the workers apply theirs
    const own = this.network.trainStep(
      normaliseDigits(this.cnn, batch.pixels.subarray(0, parts[0].count * size)),
      batch.labels,
      parts[0].count,
    );
    const results = [{ ...own, gradients: this.network.gradients(this.ownGradient) }];
    this.prepared = this.steps + 1 < this.totalSteps ? this.batchAt(this.steps + 1) : null;
    (await Promise.all(replies)).forEach((reply, k) => parts[k + 1].count && results.push(reply));

    const weights = results.map((_, k) => parts[k].count / batch.count);
    this.update = {
      gradient: weightedSum(
        results.map((result) => result.gradients),
        weights,
        this.summed,
      ),
      lr: batch.lr,
      applied: false,
    };
    const loss = results.reduce((total, result, k) => total + weights[k] * result.loss, 0);
    return this.stepDone(
      batch,
      loss,
      results.reduce((total, result) => total + result.correct, 0),
    );
  }

  /** The optimizer's step with a summed gradient, here, once. */
  apply(update) {
    if (update.applied) return;
    applyUpdate(this.network, this.optimizer, update);
    update.applied = true;
  }

  /** The last step's update is applied here before the model is used (the workers get it with the next step). */
  evaluate(split) {
    if (this.update) this.apply(this.update);
    return super.evaluate(split);
  }

  syncModel() {
    if (this.update) this.apply(this.update);
    return super.syncModel();
  }

  dispose() {
    for (const link of this.links) link.close();
    this.links = [];
    super.dispose();
  }
}
