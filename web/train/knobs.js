// The knobs of the MNIST training lab: one table drives the CLI flags and their --help
// (examples/train_mnist.mjs), the widget's controls and the checks, so they cannot disagree.
//
// A knob: { name, flag, kind: 'int' | 'number' | 'choice' | 'list' | 'bool', default, help,
//           choices? (choice), min?, max? (int, number, list entries) }.
//
// WORKERS_KNOB, how many threads share each step (web/train/parallel.js), is checked and
// filled in with the others but kept out of KNOBS: KNOBS are what a run learns from, and the
// lab lays out one control per entry; the worker count changes how fast a run goes (and, with
// batch norm only, which images each statistic sees), so the lab shows it apart.

export const KNOBS = [
  {
    name: 'kernel',
    flag: 'kernel',
    kind: 'int',
    min: 1,
    max: 9,
    default: 5,
    help: 'kernel size of every convolution (3, 5, 7, …)',
  },
  { name: 'stride', flag: 'stride', kind: 'int', min: 1, max: 4, default: 1, help: 'stride of the first convolution' },
  {
    name: 'padding',
    flag: 'padding',
    kind: 'choice',
    choices: ['same', 'valid'],
    default: 'same',
    help: 'same: (kernel − 1)/2 zeros each side (rounded down); valid: none',
  },
  {
    name: 'pool',
    flag: 'pool',
    kind: 'choice',
    choices: ['max', 'avg', 'none', 'gap'],
    default: 'max',
    help:
      '2×2 max or average pooling after each block; none: stride-2 convolutions instead; ' +
      'gap: max pooling and a global-average-pooling head instead of the dense head',
  },
  {
    name: 'channels',
    flag: 'channels',
    kind: 'list',
    min: 1,
    max: 128,
    maxLength: 4,
    default: [8, 16],
    help: 'output channels of each convolution block, comma-separated',
  },
  {
    name: 'batchNorm',
    flag: 'batch-norm',
    kind: 'bool',
    default: true,
    help: 'batch normalisation after each convolution (then the convolution has no bias)',
  },
  {
    name: 'optimizer',
    flag: 'optimizer',
    kind: 'choice',
    choices: ['adam', 'sgd'],
    default: 'adam',
    help: 'torch.optim.Adam or torch.optim.SGD',
  },
  {
    name: 'lr',
    flag: 'lr',
    kind: 'number',
    min: 0,
    max: 10,
    default: null,
    help: 'learning rate (default 0.003 for adam, 0.05 for sgd)',
  },
  { name: 'momentum', flag: 'momentum', kind: 'number', min: 0, max: 0.999, default: 0.9, help: 'SGD momentum' },
  {
    name: 'weightDecay',
    flag: 'weight-decay',
    kind: 'number',
    min: 0,
    max: 1,
    default: 0,
    help: 'L2 weight decay, added to the gradient as PyTorch does',
  },
  {
    name: 'schedule',
    flag: 'schedule',
    kind: 'choice',
    choices: ['cosine', 'constant'],
    default: 'cosine',
    help: 'learning rate over the run: cosine annealing to 0 per step, or constant',
  },
  { name: 'batch', flag: 'batch', kind: 'int', min: 2, max: 512, default: 64, help: 'images per training step' },
  {
    name: 'epochs',
    flag: 'epochs',
    kind: 'int',
    min: 0,
    max: 100,
    default: 3,
    help: 'passes over the 8,000 training digits (0: only evaluate the model)',
  },
  {
    name: 'augment',
    flag: 'augment',
    kind: 'bool',
    default: false,
    help: 'shift each training digit by up to ±2 pixels at random',
  },
  {
    name: 'seed',
    flag: 'seed',
    kind: 'int',
    min: 0,
    max: 2 ** 31 - 1,
    default: 1,
    help: 'seed of the initial weights, the shuffling and the shifts: same seed, same run',
  },
];

export const WORKERS_KNOB = {
  name: 'workers',
  flag: 'workers',
  kind: 'int',
  min: 1,
  max: 512,
  default: null, // max: the batch's
  help: "threads that compute each step's gradients, at most the batch (default all cores in the CLI, cores − 1 in the lab)",
};

/** The lab's worker count when the knob is left at null: every core but the page's, at most the batch. */
export function defaultWorkers(batch) {
  return Math.min(batch, Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 1) - 1));
}

/** lr when the knob is left at null: what trains the default model well with each optimizer. */
export const DEFAULT_LR = Object.freeze({ adam: 0.003, sgd: 0.05 });

export const DEFAULT_KNOBS = Object.freeze(Object.fromEntries(KNOBS.map((knob) => [knob.name, knob.default])));

const BOOLEAN_WORDS = { true: true, yes: true, on: true, 1: true, false: false, no: false, off: false, 0: false };

/** A knob's value from text (a CLI flag, a form field); throws a RangeError that names the flag. */
export function parseKnob(knob, text) {
  const fail = (rule) => {
    throw new RangeError(`--${knob.flag}: ${rule}, got '${text}'`);
  };
  switch (knob.kind) {
    case 'int':
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) fail(`must be a number`);
      return value;
    }
    case 'list':
      return text.split(',').map((part) => {
        const value = Number(part);
        if (part.trim() === '' || !Number.isFinite(value)) fail('must be numbers separated by commas');
        return value;
      });
    case 'bool':
      if (!(text.toLowerCase() in BOOLEAN_WORDS)) fail('must be yes or no');
      return BOOLEAN_WORDS[text.toLowerCase()];
    default:
      return text;
  }
}

function checkRange(knob, value, what) {
  const rule = knob.kind === 'int' || knob.kind === 'list' ? 'an integer' : 'a number';
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    ((knob.kind === 'int' || knob.kind === 'list') && !Number.isInteger(value))
  )
    throw new RangeError(`--${knob.flag}: ${what} must be ${rule}, got ${value}`);
  if (value < knob.min || value > knob.max)
    throw new RangeError(`--${knob.flag}: ${what} must be in [${knob.min}, ${knob.max}], got ${value}`);
}

/** Every knob checked and filled in (defaults, lr by optimizer); unknown names are refused. */
export function checkKnobs(values = {}) {
  const known = new Set([...KNOBS, WORKERS_KNOB].map((knob) => knob.name));
  for (const name of Object.keys(values))
    if (!known.has(name)) throw new RangeError(`unknown knob '${name}' (expected ${[...known].join(', ')})`);
  const knobs = {};
  for (const knob of KNOBS) {
    const value = values[knob.name] ?? knob.default;
    if (value === null) {
      knobs[knob.name] = null;
      continue;
    }
    if (knob.kind === 'choice' && !knob.choices.includes(value))
      throw new RangeError(`--${knob.flag}: must be one of ${knob.choices.join(', ')}, got '${value}'`);
    if (knob.kind === 'bool' && typeof value !== 'boolean')
      throw new RangeError(`--${knob.flag}: must be true or false, got ${value}`);
    if (knob.kind === 'int' || knob.kind === 'number') checkRange(knob, value, 'the value');
    if (knob.kind === 'list') {
      if (!Array.isArray(value) || value.length < 1 || value.length > knob.maxLength)
        throw new RangeError(`--${knob.flag}: must list 1 to ${knob.maxLength} values, got ${JSON.stringify(value)}`);
      value.forEach((entry, i) => checkRange(knob, entry, `entry ${i + 1}`));
    }
    knobs[knob.name] = Array.isArray(value) ? [...value] : value;
  }
  knobs.lr ??= DEFAULT_LR[knobs.optimizer];
  knobs.workers = checkWorkers(values.workers ?? defaultWorkers(knobs.batch), knobs.batch);
  return knobs;
}

/** The worker count for a batch: an integer in [1, batch], since each worker needs an image of every batch. */
function checkWorkers(value, batch) {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`--workers: must be a whole number of workers from 1 to the batch (${batch}), got ${value}`);
  if (value > batch)
    throw new RangeError(
      `--workers: ${value} workers for a batch of ${batch}: each needs at least one image of the batch, so at most ${batch}`,
    );
  return value;
}
