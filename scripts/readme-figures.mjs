// Regenerates the README's headline training figures from fresh runs, so they move with the
// code instead of being typed by hand:   make figures   (node scripts/readme-figures.mjs)
// It trains the default model and the one with twice the channels for 3 epochs each, exactly
// as `node examples/train_mnist.mjs` does (same engine, same seed, so the accuracies repeat bit
// for bit), and rewrites the paragraph between the README's figures markers. Times are this
// machine's, training and evaluation apart, as the page's lab and the command line report them.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { load } from '../web/cnn.js';
import { loadMnist } from '../web/train/dataset.js';
import { checkKnobs } from '../web/train/knobs.js';
import { buildModel, describeModel } from '../web/train/model.js';
import { Trainer } from '../web/train/trainer.js';
import { formatCount } from '../web/widgets/format.js';

const README = new URL('../README.md', import.meta.url);
export const MARKERS = ['<!-- figures: training (make figures writes this paragraph) -->', '<!-- /figures -->'];
const EPOCHS = 3;
const WIDE_CHANNELS = [16, 32];

/** One run as the CLI trains it: { knobs, description, epochAccuracies, trainingSeconds, evaluationSeconds, imagesPerSecond }. */
export async function trainingFigures(cnn, data, given) {
  const knobs = checkKnobs({ epochs: EPOCHS, workers: 1, ...given });
  const model = buildModel(cnn.nn, knobs);
  const description = describeModel(model);
  const trainer = new Trainer(cnn, data, knobs, { model });
  let trainingMs = 0,
    evaluationMs = 0,
    images = 0;
  const epochAccuracies = [];
  try {
    for (let epoch = 0; epoch < knobs.epochs; epoch++) {
      const start = performance.now();
      for (let step = 0; step < trainer.stepsPerEpoch; step++) images += trainer.trainStep().count;
      trainingMs += performance.now() - start;
      const evaluationStart = performance.now();
      epochAccuracies.push(trainer.evaluate(data.test).accuracy);
      evaluationMs += performance.now() - evaluationStart;
    }
  } finally {
    trainer.dispose();
  }
  return {
    knobs,
    description,
    epochAccuracies,
    trainingSeconds: trainingMs / 1000,
    evaluationSeconds: evaluationMs / 1000,
    imagesPerSecond: images / (trainingMs / 1000),
  };
}

const percent = (fraction) => `${(100 * fraction).toFixed(2)} %`;

/** The README paragraph for the two runs. */
export function figuresParagraph(base, wide, date = new Date()) {
  const layers = base.knobs.channels.map(
    (channels) => `conv ${base.knobs.kernel}×${base.knobs.kernel} ${channels} → BN → ReLU → ${base.knobs.pool} pool`,
  );
  return [
    `The default model (${layers.join(' → ')} → linear; ${formatCount(base.description.params)} parameters,`,
    `${(base.description.macs / 1e6).toFixed(2)} M MACs per image) reaches **${percent(base.epochAccuracies.at(-1))}** test accuracy after ${base.knobs.epochs}`,
    `epochs (${base.epochAccuracies.map(percent).join(', ')} per epoch; training ${base.trainingSeconds.toFixed(1)} s at`,
    `${formatCount(Math.round(base.imagesPerSecond))} images/s, evaluation ${base.evaluationSeconds.toFixed(1)} s); twice the channels`,
    `(\`--channels ${wide.knobs.channels.join(',')}\`, ${formatCount(wide.description.params)} parameters) reaches ${percent(wide.epochAccuracies.at(-1))} but trains for`,
    `${wide.trainingSeconds.toFixed(1)} s, so the lab starts small and retraining after a knob change takes seconds. (\`make figures\`,`,
    `${date.toISOString().slice(0, 10)}, one thread in Node, load average ${loadavg()[0].toFixed(1)}: times are upper bounds on a shared machine.)`,
  ]
    .join(' ')
    .replace(/(.{1,96})(?: |$)/g, '$1\n')
    .trimEnd(); // wrapped as the README's prose
}

/** The README with the paragraph between the markers replaced. */
export function withFigures(readme, paragraph) {
  const [open, close] = MARKERS;
  const start = readme.indexOf(open),
    end = readme.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md: the markers ${open} … ${close} are missing`);
  return `${readme.slice(0, start + open.length)}\n${paragraph}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cnn = await load();
  const data = await loadMnist();
  const base = await trainingFigures(cnn, data, {});
  const wide = await trainingFigures(cnn, data, { channels: WIDE_CHANNELS });
  const paragraph = figuresParagraph(base, wide);
  writeFileSync(README, withFigures(readFileSync(README, 'utf8'), paragraph));
  console.log(paragraph);
}
