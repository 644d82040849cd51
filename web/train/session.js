// The training lab's engine behind a message protocol: web/train/worker.js runs it in a Web
// Worker (so the page stays responsive), tests run it in Node. DOM-free.
//
// In (handle(message)):
//   { type: 'start', knobs }              train a new model; refused (error) while one trains.
//                                         knobs.workers > 1: data-parallel (parallel.js), this
//                                         thread and workers − 1 gradient workers, started here
//   { type: 'pause' } { type: 'resume' } { type: 'stop' }
//   { type: 'predict', ink, width, height } a canvas drawing (ink 0–255 per pixel)
//   { type: 'inspect', digit }            feature maps of test digit `digit`
// Out (post(message)):
//   { type: 'ready', simd, knobs, summary }               the pre-trained default model predicts
//   { type: 'started', run, knobs, summary, totalSteps, stepsPerEpoch }
//   { type: 'progress', run, epoch, step, stepsPerEpoch, loss, imagesPerSecond, seconds, done }
//   { type: 'epoch', run, epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, seconds, evalSeconds, imagesPerSecond }
//       seconds: training steps only; evalSeconds: the test evaluations (the CLI reports both alike)
//   { type: 'paused' | 'resumed', run }
//   { type: 'finished', run, stopped, record }            record: a row of the runs table (runs.js)
//   { type: 'analysis', run, model }                      after ready (run 0) and after finished
//   { type: 'prediction', digit, probabilities, predicted, run }  digit: the 28×28 image the model saw;
//       run: the run whose model answered (0: the pre-trained one); after a run the newest model answers
//   { type: 'features', digit, label, predicted, image, maps }
//   { type: 'error', message }
//       A run whose gradient worker fails to start or dies stops: 'finished' (stopped, its record
//       the last completed epoch's, whose model is kept), 'analysis', then 'error' naming the
//       worker; with no epoch completed, only 'error' (the model from before the run stays).
// `model` describes the model predictions now use: { knobs, summary, kernels, erf, confusion,
// misclassified: [{ digit, label, predicted, image }], testAccuracy, testLoss }.
import { loadModel, saveModel } from './checkpoint.js';
import { drawingToDigit } from './drawing.js';
import { effectiveReceptiveField, featureMaps, firstKernels } from './inspect.js';
import { checkKnobs } from './knobs.js';
import { argmaxRows, confusionMatrix, misclassified } from './metrics.js';
import { buildModel, describeModel, MNIST_INPUT } from './model.js';
import { startTrainer } from './parallel.js';
import { evaluate } from './trainer.js';

/** The pre-trained model shipped with the page (examples/train_mnist.mjs --save wrote it). */
export const DEFAULT_MODEL_URL = new URL('../data/mnist-cnn.safetensors', import.meta.url);

const SLICE_MS = 100; // train this long between looks at the message queue
const EVAL_BATCH = 100; // digits per forward pass of the current model
const ERF_DIGITS = 64; // test digits the effective receptive field averages over
const MISCLASSIFIED_SHOWN = 48;

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  /**
   * cnn: the loaded core; data: loadMnist(); post: sends a message out; spawnWorker: starts a
   * gradient worker (parallel.js; worker-link.js's by default).
   */
  constructor(cnn, data, post, { spawnWorker } = {}) {
    this.cnn = cnn;
    this.spawnWorker = spawnWorker;
    this.data = data;
    this.post = post;
    this.trainer = null;
    this.paused = false;
    this.stopRequested = false;
    this.wake = null;
    this.runs = 0;
    this.current = null; // { model, knobs, network } used by predict and inspect
  }

  /** Loads the default model (bytes of a safetensors file): ready at once, its analysis next. */
  useDefaultModel(bytes) {
    const { model, knobs } = loadModel(this.cnn.nn, bytes);
    this.adopt(model, knobs);
    this.post({ type: 'ready', simd: this.cnn.simd, knobs, summary: describeModel(model) });
    this.post({ type: 'analysis', run: 0, model: this.analysis() });
  }

  /** Acts on one message; a failure becomes an 'error' message. Resolves when it is done (a run: when it ends). */
  async handle(message) {
    try {
      switch (message.type) {
        case 'start':
          return await this.start(message.knobs);
        case 'pause':
          return this.setPaused(true);
        case 'resume':
          return this.setPaused(false);
        case 'stop':
          this.stopRequested = true;
          return this.setPaused(false);
        case 'predict':
          return this.predict(message);
        case 'inspect':
          return this.inspect(message.digit);
        default:
          throw new TypeError(`unknown message type '${message.type}'`);
      }
    } catch (error) {
      return this.post({ type: 'error', message: error.message });
    }
  }

  setPaused(paused) {
    if (!this.trainer || this.paused === paused) return;
    this.paused = paused;
    this.post({ type: paused ? 'paused' : 'resumed', run: this.runs });
    if (!paused) this.wake?.();
  }

  /** Trains a run to the end (or to a stop), yielding to incoming messages every SLICE_MS. */
  async start(values) {
    if (this.trainer) throw new Error('a run is in progress: stop it first');
    const knobs = checkKnobs(values);
    const model = buildModel(this.cnn.nn, knobs); // refuses impossible knobs, naming the layer
    const starting = (this.trainer = startTrainer(this.cnn, this.data, knobs, {
      model,
      spawnWorker: this.spawnWorker,
    }));
    let trainer;
    try {
      trainer = this.trainer = await starting;
    } catch (error) {
      this.trainer = null;
      throw new Error(`the run could not start: ${error.message}`);
    }
    const run = ++this.runs;
    this.paused = this.stopRequested = false;
    const summary = describeModel(model);
    this.post({
      type: 'started',
      run,
      knobs,
      summary,
      totalSteps: trainer.totalSteps,
      stepsPerEpoch: trainer.stepsPerEpoch,
    });
    // Time as the command line reports it: training steps and test evaluations measured apart.
    let trainingMs = 0,
      evaluationMs = 0,
      images = 0,
      epochLoss = 0,
      epochCorrect = 0,
      epochSeen = 0,
      test = null;
    const evaluateTest = () => {
      const evaluationStart = performance.now();
      const result = trainer.evaluate(this.data.test);
      evaluationMs += performance.now() - evaluationStart;
      return result;
    };
    const recordOf = (epochs) => {
      const seconds = trainingMs / 1000;
      return {
        run,
        knobs,
        epochs,
        params: summary.params,
        macs: summary.macs,
        receptiveField: summary.receptiveField,
        seconds,
        evalSeconds: evaluationMs / 1000,
        imagesPerSecond: seconds ? images / seconds : 0,
        testAccuracy: test.accuracy,
        testLoss: test.loss,
      };
    };
    let step = null,
      kept = null; // kept: the last completed epoch's model, should the run fail
    try {
      while (!trainer.done && !this.stopRequested) {
        if (this.paused) {
          await new Promise((resolve) => {
            this.wake = resolve;
          });
          continue;
        }
        const sliceStart = performance.now();
        do {
          step = await trainer.trainStep();
          ((images += step.count),
            (epochSeen += step.count),
            (epochLoss += step.loss * step.count),
            (epochCorrect += step.correct));
        } while (!step.lastOfEpoch && performance.now() - sliceStart < SLICE_MS);
        trainingMs += performance.now() - sliceStart;
        const rate = images / (trainingMs / 1000);
        this.post({
          type: 'progress',
          run,
          epoch: step.epoch + 1,
          step: step.step,
          stepsPerEpoch: trainer.stepsPerEpoch,
          loss: step.loss,
          imagesPerSecond: rate,
          seconds: trainingMs / 1000,
          done: trainer.steps / trainer.totalSteps,
        });
        if (step.lastOfEpoch) {
          test = evaluateTest();
          kept = { bytes: saveModel(trainer.syncModel(), knobs), record: recordOf(step.epoch + 1) };
          this.post({
            type: 'epoch',
            run,
            epoch: step.epoch + 1,
            trainLoss: epochLoss / epochSeen,
            trainAccuracy: epochCorrect / epochSeen,
            testLoss: test.loss,
            testAccuracy: test.accuracy,
            seconds: trainingMs / 1000,
            evalSeconds: evaluationMs / 1000,
            imagesPerSecond: rate,
          });
          epochLoss = epochCorrect = epochSeen = 0;
        }
        await nextTask();
      }
      if (!test || !step?.lastOfEpoch) test = evaluateTest(); // stopped mid-epoch: test the weights it has
      this.adopt(trainer.syncModel(), knobs, run);
      this.post({
        type: 'finished',
        run,
        stopped: this.stopRequested,
        record: recordOf(trainer.steps / trainer.stepsPerEpoch),
      });
      this.post({ type: 'analysis', run, model: this.analysis() });
    } catch (error) {
      this.keepAfterFailure(kept, knobs, run);
      const what = kept
        ? `the model of epoch ${kept.record.epochs} is kept`
        : 'no epoch had ended: the model from before the run is kept';
      throw new Error(`run ${run} stopped in epoch ${trainer.epoch + 1}: ${error.message}; ${what}`);
    } finally {
      trainer.dispose();
      this.trainer = null;
    }
  }

  /** After a failed run: the model of its last completed epoch (if any) answers and joins the runs table. */
  keepAfterFailure(kept, knobs, run) {
    if (!kept) return;
    this.adopt(loadModel(this.cnn.nn, kept.bytes).model, knobs, run);
    this.post({ type: 'finished', run, stopped: true, record: kept.record });
    this.post({ type: 'analysis', run, model: this.analysis() });
  }

  /** Makes `model` (trained by `run`; 0: the pre-trained one) the one predictions and inspection use. */
  adopt(model, knobs, run = 0) {
    this.current?.network.dispose();
    this.current = { model, knobs, run, network: new this.cnn.Network(model, MNIST_INPUT, { capacity: EVAL_BATCH }) };
  }

  /** The current model's summary, kernels, effective receptive field and test results. */
  analysis() {
    const { model, knobs, network } = this.current;
    const test = evaluate(this.cnn, network, EVAL_BATCH, this.data, this.data.test);
    const { predictions, labels } = test;
    const wrong = misclassified(predictions, labels);
    const erfImages = this.normalized(
      this.data.gather(
        this.data.test,
        Int32Array.from({ length: ERF_DIGITS }, (_, i) => i),
      ).pixels,
    );
    return {
      knobs,
      summary: describeModel(model),
      kernels: firstKernels(model),
      erf: effectiveReceptiveField(this.cnn, model, erfImages, ERF_DIGITS),
      confusion: confusionMatrix(predictions, labels),
      misclassified: wrong.slice(0, MISCLASSIFIED_SHOWN).map((digit) => ({
        digit,
        label: labels[digit],
        predicted: predictions[digit],
        image: this.data.image(this.data.test, digit).pixels.slice(),
      })),
      testAccuracy: test.accuracy,
      testLoss: test.loss,
    };
  }

  normalized(pixels) {
    return this.cnn.augment.normalizePixels(pixels);
  }

  predict({ ink, width, height }) {
    const digit = drawingToDigit(this.cnn, ink, width, height);
    if (!digit) {
      this.post({ type: 'prediction', digit: null, probabilities: null, predicted: null, run: this.current.run });
      return;
    }
    const logits = this.current.network.forward(this.normalized(digit), 1);
    const probabilities = this.cnn.F.softmax(logits).data;
    this.post({ type: 'prediction', digit, probabilities, predicted: argmaxRows(logits)[0], run: this.current.run });
  }

  inspect(index) {
    if (!Number.isInteger(index) || index < 0 || index >= this.data.test.count)
      throw new RangeError(`inspect: digit must be a test digit index in [0, ${this.data.test.count}), got ${index}`);
    const { pixels, label } = this.data.image(this.data.test, index);
    const { network, model } = this.current;
    const maps = featureMaps(network, model, this.normalized(pixels));
    const predicted = argmaxRows(network.activation(network.layerCount - 1))[0];
    this.post({ type: 'features', digit: index, label, predicted, image: pixels.slice(), maps });
  }
}
