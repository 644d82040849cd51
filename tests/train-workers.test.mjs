// Data-parallel training (web/train/parallel.js) on the real digits, with worker_threads:
// the shares of a batch, 1 against 2 workers, repeatability, identical parameters in every
// worker, refused worker counts, and a worker that dies mid-run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from '../web/cnn.js';
import { loadMnist } from '../web/train/dataset.js';
import { checkKnobs } from '../web/train/knobs.js';
import { ParallelTrainer, shares, startTrainer, weightedSum } from '../web/train/parallel.js';
import { TrainingSession } from '../web/train/session.js';
import { normaliseDigits, Trainer } from '../web/train/trainer.js';
import { spawnGradientWorker } from '../web/train/worker-link.js';

const cnn = await load();
const data = await loadMnist();
const NO_BATCH_NORM = { channels: [4, 8], batchNorm: false, epochs: 1 };

/** The losses of `steps` steps and the parameters after them. */
async function run(knobs, steps, options = {}) {
  const trainer = await startTrainer(cnn, data, checkKnobs(knobs), options);
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push((await trainer.trainStep()).loss);
  trainer.syncModel(); // the last step's update applied
  const parameters = trainer.network.parameters();
  trainer.dispose();
  return { losses, parameters };
}

const maxRelative = (got, want) => Math.max(...want.map((value, i) => Math.abs(got[i] - value) / Math.abs(value)));

describe('sharing a batch', () => {
  test('shares are contiguous, in worker order, the first B mod N one digit larger', () => {
    assert.deepEqual(shares(64, 2), [
      { start: 0, count: 32 },
      { start: 32, count: 32 },
    ]);
    assert.deepEqual(shares(10, 3), [
      { start: 0, count: 4 },
      { start: 4, count: 3 },
      { start: 7, count: 3 },
    ]);
    assert.deepEqual(
      shares(2, 3).map((share) => share.count),
      [1, 1, 0],
      'a last batch smaller than the workers',
    );
  });

  test('the weighted sum goes in order, in float64, rounded once', () => {
    const sum = weightedSum([Float32Array.of(1, 2 ** 24), Float32Array.of(3, 1)], [0.5, 0.5]);
    assert.deepEqual(sum, Float32Array.of(2, 2 ** 23 + 0.5));
  });

  test('bad worker counts are refused, naming the rule', () => {
    assert.throws(
      () => checkKnobs({ workers: 0 }),
      /--workers: must be a whole number of workers from 1 to the batch \(64\), got 0/,
    );
    assert.throws(() => checkKnobs({ workers: -2 }), /from 1 to the batch \(64\), got -2/);
    assert.throws(() => checkKnobs({ workers: 1.5 }), /from 1 to the batch \(64\), got 1.5/);
    assert.throws(
      () => checkKnobs({ workers: 9, batch: 8 }),
      /--workers: 9 workers for a batch of 8: each needs at least one image of the batch, so at most 8/,
    );
    assert.equal(checkKnobs({ workers: 8, batch: 8 }).workers, 8);
  });
});

describe('training with workers', () => {
  test('one worker through ParallelTrainer is the in-thread Trainer, bit for bit', async () => {
    const knobs = checkKnobs({ ...NO_BATCH_NORM, workers: 1 });
    const alone = new Trainer(cnn, data, knobs);
    const shared = await ParallelTrainer.create(cnn, data, knobs);
    for (let i = 0; i < 5; i++) assert.equal((await shared.trainStep()).loss, alone.trainStep().loss, `step ${i + 1}`);
    shared.syncModel();
    assert.deepEqual(shared.network.parameters(), alone.network.parameters());
    alone.dispose();
    shared.dispose();
  });

  test('2 workers: the same run twice bit for bit, and the 1-worker run within 1e-4 over 100 steps (no batch norm)', async () => {
    // Average pooling: with max pooling, a window whose two largest values differ by a rounding
    // error can pick the other one, a discrete change; measured on the default model without
    // batch norm, the curves agree within 1e-6 for 80 steps, then within 6e-4.
    const knobs = { ...NO_BATCH_NORM, pool: 'avg' };
    const one = await run({ ...knobs, workers: 1 }, 100);
    const two = await run({ ...knobs, workers: 2 }, 100);
    const again = await run({ ...knobs, workers: 2 }, 100);
    assert.deepEqual(again.losses, two.losses, 'same seed, same workers: the same losses');
    assert.deepEqual(again.parameters, two.parameters);
    const relative = maxRelative(two.losses, one.losses);
    assert.ok(relative < 1e-4, `1 vs 2 workers: max relative difference of the loss ${relative}`); // measured 2e-7
  });

  test("with batch norm, each worker normalises with its own share's statistics: the runs differ more", async () => {
    const knobs = { channels: [4, 8], epochs: 1 };
    const one = await run({ ...knobs, workers: 1 }, 20);
    const two = await run({ ...knobs, workers: 2 }, 20);
    const relative = maxRelative(two.losses, one.losses);
    assert.ok(
      relative > 1e-4 && relative < 0.1,
      `max relative difference ${relative}: per-share statistics, not whole-batch`,
    );
  });

  test("every worker holds this thread's parameters and optimizer state, bit for bit", async () => {
    const links = [];
    const spawnWorker = async (...args) => {
      const link = await spawnGradientWorker(...args);
      links.push(link);
      return link;
    };
    const trainer = await startTrainer(cnn, data, checkKnobs({ ...NO_BATCH_NORM, workers: 3 }), { spawnWorker });
    for (let i = 0; i < 3; i++) await trainer.trainStep();
    // The workers still owe the third step's update: each applies it (one Adam step, which
    // reads the averages of the steps before) and computes one digit's gradient; this thread
    // does the same. Equal gradients mean equal parameters after equal updates.
    const { gradient, lr } = trainer.update;
    trainer.syncModel();
    const { pixels, labels } = trainer.batchAt(0);
    const own = trainer.network.trainStep(normaliseDigits(cnn, pixels.subarray(0, 784)), labels, 1);
    const ownGradients = trainer.network.gradients();
    for (const link of links) {
      const reply = await link.request({
        type: 'step',
        update: { gradient, lr },
        pixels: pixels.slice(0, 784),
        labels: labels.slice(0, 1),
        count: 1,
      });
      assert.equal(reply.loss, own.loss, link.name);
      assert.deepEqual(reply.gradients, ownGradients, `${link.name}: the same gradient, so the same parameters`);
    }
    trainer.dispose();
  });
});

describe('a worker that fails', () => {
  /** A session whose second gradient worker is terminated after `afterSteps` steps. */
  function sessionWithFailingWorker(afterSteps) {
    const messages = [];
    const session = new TrainingSession(cnn, data, (message) => messages.push(message), {
      spawnWorker: async (...args) => {
        const link = await spawnGradientWorker(...args);
        let steps = 0;
        const request = link.request.bind(link);
        link.request = (message, transfer) => {
          if (++steps === afterSteps) setTimeout(() => link.endpoint.terminate(), 0);
          return request(message, transfer);
        };
        return link;
      },
    });
    return { session, messages };
  }
  const knobs = { channels: [2, 4], batchNorm: false, epochs: 3, workers: 2 };

  test("dying mid-run stops the run with a message; the last completed epoch's model is kept", async () => {
    const { session, messages } = sessionWithFailingWorker(125 + 40); // 125 steps an epoch
    await session.handle({ type: 'start', knobs });
    const types = messages.map((message) => message.type).filter((type) => !['progress', 'epoch'].includes(type));
    assert.deepEqual(types, ['started', 'finished', 'analysis', 'error']);
    const error = messages.at(-1).message;
    assert.match(
      error,
      /^run 1 stopped in epoch 2: gradient worker 2 of 2 exited \(code 1\); the model of epoch 1 is kept$/,
    );
    const finished = messages.find((message) => message.type === 'finished');
    const epoch = messages.find((message) => message.type === 'epoch');
    assert.equal(finished.record.epochs, 1);
    assert.equal(finished.record.testAccuracy, epoch.testAccuracy, "the record is epoch 1's");
    assert.equal(session.current.run, 1, "epoch 1's model answers now");
    assert.equal(messages.find((message) => message.type === 'analysis').model.testAccuracy, epoch.testAccuracy);
    assert.equal(session.trainer, null, 'another run can start');
    session.current.network.dispose();
  });

  test('dying before an epoch ends keeps the model from before the run', async () => {
    const { session, messages } = sessionWithFailingWorker(3);
    await session.handle({ type: 'start', knobs });
    assert.deepEqual(
      messages.map((message) => message.type).filter((type) => type !== 'progress'),
      ['started', 'error'],
    );
    assert.match(
      messages.at(-1).message,
      /gradient worker 2 of 2 exited \(code 1\); no epoch had ended: the model from before the run is kept$/,
    );
    assert.equal(session.current, null);
  });

  test(
    "in Node with globalThis.Worker set to worker_threads' (Emscripten's pthread glue does it), 2 workers still train",
    { timeout: 60_000 },
    async () => {
      const { Worker } = await import('node:worker_threads');
      globalThis.Worker = Worker;
      try {
        const alone = await run({ ...NO_BATCH_NORM, workers: 2 }, 3);
        assert.equal(alone.losses.length, 3);
        assert.ok(alone.losses.every(Number.isFinite));
      } finally {
        delete globalThis.Worker;
      }
    },
  );

  test('a worker that cannot start says why', async () => {
    await assert.rejects(
      spawnGradientWorker(2, 2, { simd: cnn.simd, knobs: null, capacity: 1 }),
      /^Error: gradient worker 2 of 2 failed: .*null.* \(while starting\)$/,
    );
  });

  test('a run whose worker cannot start does not start, and says why', async () => {
    const messages = [];
    const session = new TrainingSession(cnn, data, (message) => messages.push(message), {
      spawnWorker: async () => {
        throw new Error('gradient worker 2 of 2 failed: no such script (while starting)');
      },
    });
    await session.handle({ type: 'start', knobs });
    assert.deepEqual(messages, [
      {
        type: 'error',
        message: 'the run could not start: gradient worker 2 of 2 failed: no such script (while starting)',
      },
    ]);
    assert.equal(session.trainer, null);
  });
});
