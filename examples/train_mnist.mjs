// The seed article's closing exercise from the command line: train an MNIST CNN and watch
// how kernel size, stride and pooling change its speed and accuracy.
//   node examples/train_mnist.mjs --kernel 3 --pool avg --epochs 2
//   node examples/train_mnist.mjs --help
// Data: web/data/mnist.bin (node scripts/mnist-to-binary.mjs writes it): 8,000 training and
// 2,000 held-out test digits. Exit codes: 0 done, 1 failed while running, 2 bad arguments.
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { load } from '../web/cnn.js';
import { saveModel, loadModel } from '../web/train/checkpoint.js';
import { loadMnist } from '../web/train/dataset.js';
import { checkKnobs, DEFAULT_KNOBS, KNOBS, parseKnob, WORKERS_KNOB } from '../web/train/knobs.js';
import { buildModel, describeModel } from '../web/train/model.js';
import { startTrainer } from '../web/train/parallel.js';

const RUN_FLAGS = {
  'train-digits': ['N', 'train on the first N of the 8,000 training digits (quick experiments)'],
  save: ['FILE', 'write the trained model to this file (safetensors; see web/train/checkpoint.js)'],
  load: ['FILE', 'start from a model file: its architecture, trained further (--epochs 0: only evaluated)'],
};
// Every knob has a flag; --workers defaults to every core (at most the batch).
const FLAG_KNOBS = [...KNOBS, WORKERS_KNOB];
// What a loaded model fixes: the knobs that shape its layers.
const ARCHITECTURE = ['kernel', 'stride', 'padding', 'pool', 'channels', 'batchNorm'];

function usage() {
  const text = (value) =>
    Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
  const shown = (knob) => (knob.default === null ? '' : ` (default ${text(knob.default)})`);
  const placeholder = (knob) =>
    knob.kind === 'choice'
      ? knob.choices.join('|')
      : knob.kind === 'bool'
        ? 'yes|no'
        : knob.kind === 'list'
          ? 'N,N'
          : 'N';
  const rows = [
    ...FLAG_KNOBS.map((knob) => [`--${knob.flag} ${placeholder(knob)}`, `${knob.help}${shown(knob)}`]),
    ...Object.entries(RUN_FLAGS).map(([flag, [value, help]]) => [`--${flag} ${value}`, help]),
    ['--help', 'show this text'],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    'Train a CNN on 8,000 MNIST digits and test it on 2,000 held-out ones.',
    '',
    'usage: node examples/train_mnist.mjs [flags]',
    '',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    '',
    'Prints the model summary, a progress bar, one line per epoch and a final line with the',
    'test accuracy, the training time and images per second, and the evaluation time (timed',
    "apart, as the page's lab does). Exit code 2 on a bad flag.",
  ].join('\n');
}

class UsageError extends Error {}

/** {given knobs, run flags, help} from argv; --flag value or --flag=value. */
function parseArguments(argv) {
  const byFlag = new Map(FLAG_KNOBS.map((knob) => [knob.flag, knob]));
  const given = {},
    run = {};
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--help' || argument === '-h') return { help: true };
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (!match) throw new UsageError(`unexpected argument '${argument}' (flags start with --; see --help)`);
    const [, flag, inline] = match;
    if (!byFlag.has(flag) && !(flag in RUN_FLAGS)) throw new UsageError(`unknown flag --${flag} (see --help)`);
    const text = inline ?? argv[++i];
    if (text === undefined) throw new UsageError(`--${flag} needs a value (see --help)`);
    try {
      if (flag in RUN_FLAGS) run[flag] = text;
      else given[byFlag.get(flag).name] = parseKnob(byFlag.get(flag), text);
    } catch (error) {
      throw new UsageError(error.message);
    }
  }
  return { given, run };
}

/** Checked knobs; with a loaded model, its architecture (a differing flag is refused). */
function resolveKnobs(given, loaded) {
  if (loaded) {
    for (const name of ARCHITECTURE)
      if (name in given && JSON.stringify(given[name]) !== JSON.stringify(loaded[name]))
        throw new UsageError(
          `--${KNOBS.find((knob) => knob.name === name).flag} ${given[name]} conflicts with the loaded model's ${loaded[name]}`,
        );
  }
  const architecture = loaded ? Object.fromEntries(ARCHITECTURE.map((name) => [name, loaded[name]])) : {};
  try {
    const workers = given.workers ?? Math.min(availableParallelism(), given.batch ?? DEFAULT_KNOBS.batch);
    return checkKnobs({ ...given, ...architecture, workers });
  } catch (error) {
    throw new UsageError(error.message);
  }
}

function progressBar(fraction, width = 24) {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

const percent = (fraction) => `${(100 * fraction).toFixed(2)}%`;

async function main(argv) {
  const { help, given, run } = parseArguments(argv);
  if (help) {
    console.log(usage());
    return 0;
  }
  const cnn = await load();
  const loaded = run.load ? loadModel(cnn.nn, new Uint8Array(await readFile(run.load))) : null;
  const knobs = resolveKnobs(given, loaded?.knobs);
  let model;
  try {
    model = loaded?.model ?? buildModel(cnn.nn, knobs);
  } catch (error) {
    throw new UsageError(`these knobs make no model: ${error.message}`);
  }
  const data = await loadMnist();
  let trainSplit = data.train;
  if (run['train-digits'] !== undefined) {
    try {
      trainSplit = data.subset(data.train, Number(run['train-digits']));
    } catch (error) {
      throw new UsageError(`--train-digits: ${error.message}`);
    }
  }
  const description = describeModel(model);
  console.log(description.text);
  console.log(
    `Receptive field of the last convolution: ${description.receptiveField}×${description.receptiveField} px ` +
      `(jump ${description.jump}); ${cnn.simd ? 'SIMD128' : 'scalar'} build; ${knobs.workers} worker${knobs.workers > 1 ? 's' : ''}`,
  );

  let trainer;
  try {
    trainer = await startTrainer(cnn, data, knobs, { model, trainSplit });
  } catch (error) {
    throw new Error(`the run could not start: ${error.message}`);
  }
  try {
    return await train(trainer, knobs, data, run.save);
  } finally {
    trainer.dispose();
  }
}

/**
 * The epochs, a line each, and the final line; with --save, the model. Should a step fail (a
 * gradient worker dies), the last completed epoch's model is saved and the error says so.
 */
async function train(trainer, knobs, data, saveTo) {
  const showBar = process.stderr.isTTY;
  // Timed as the page's lab times it: training steps and test evaluations apart.
  let trainingMs = 0,
    evaluationMs = 0,
    images = 0,
    lossSum = 0,
    correct = 0,
    seen = 0,
    test = null,
    savedEpoch = null;
  const evaluateTest = () => {
    const evaluationStart = performance.now();
    const result = trainer.evaluate(data.test);
    evaluationMs += performance.now() - evaluationStart;
    return result;
  };
  const rate = () => (images ? images / (trainingMs / 1000) : 0);
  const save = async (bytes, what) => {
    await writeFile(saveTo, bytes);
    return `${what} ${saveTo} (${bytes.length.toLocaleString('en-US')} bytes)`;
  };
  for (let epoch = 0; epoch < knobs.epochs; epoch++) {
    const epochStart = performance.now();
    try {
      for (let s = 0; s < trainer.stepsPerEpoch; s++) {
        const step = await trainer.trainStep();
        ((images += step.count), (seen += step.count), (lossSum += step.loss * step.count), (correct += step.correct));
        if (showBar) {
          const speed = images / ((trainingMs + performance.now() - epochStart) / 1000);
          process.stderr.write(
            `\repoch ${epoch + 1}/${knobs.epochs} ${progressBar(step.step / trainer.stepsPerEpoch)} ` +
              `${step.step}/${trainer.stepsPerEpoch}  loss ${step.loss.toFixed(4)}  ${speed.toFixed(0)} img/s `,
          );
        }
      }
    } catch (error) {
      if (showBar) process.stderr.write('\r\x1b[K');
      const outcome = !saveTo
        ? 'nothing is saved without --save'
        : savedEpoch
          ? await save(savedEpoch.bytes, `the model of epoch ${savedEpoch.epoch} is in`)
          : 'no epoch had ended: nothing is saved';
      throw new Error(`the run stopped in epoch ${epoch + 1}: ${error.message}; ${outcome}`);
    }
    trainingMs += performance.now() - epochStart;
    test = evaluateTest();
    if (showBar) process.stderr.write('\r\x1b[K');
    console.log(
      `epoch ${epoch + 1}/${knobs.epochs}  train loss ${(lossSum / seen).toFixed(4)}  train accuracy ${percent(correct / seen)}  ` +
        `test loss ${test.loss.toFixed(4)}  test accuracy ${percent(test.accuracy)}`,
    );
    lossSum = correct = seen = 0;
    if (saveTo) savedEpoch = { epoch: epoch + 1, bytes: modelBytes(trainer, knobs, test, rate()) };
  }
  test ??= evaluateTest(); // --epochs 0: only evaluated
  if (saveTo) console.log(await save(modelBytes(trainer, knobs, test, rate()), 'Saved'));
  console.log(
    `test accuracy ${percent(test.accuracy)} (${test.correct}/${test.count})  ` +
      (images
        ? `training ${(trainingMs / 1000).toFixed(1)} s (${rate().toFixed(0)} images/s)  `
        : '(evaluation only)  ') +
      `evaluation ${(evaluationMs / 1000).toFixed(1)} s`,
  );
  return 0;
}

/** The trained model as a safetensors file, with its test accuracy and speed. */
function modelBytes(trainer, knobs, test, imagesPerSecond) {
  return saveModel(trainer.syncModel(), knobs, {
    test_accuracy: test.accuracy,
    images_per_second: imagesPerSecond.toFixed(0),
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`train_mnist: ${error.message}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
