// <cnn-train>'s DOM-free side: its attributes (one per knob of web/train/knobs.js), the
// choices its selects offer, the series its charts overlay (one colour per run), the
// speed-vs-accuracy scatter, the runs table's columns, the warning for models known to train
// poorly and the colours the lab draws with in either theme. Tested in Node.
// Texts come from the catalogues (web/i18n, section lab): functions that write a sentence take
// `t(key, vars)`, the widget's message lookup; without it they write English.
import { checkKnobs, KNOBS, parseKnob, WORKERS_KNOB } from '../train/knobs.js';
import { formatFixed, message } from '../i18n/index.js';
import { formatCount } from './format.js';
import { mix, textColorOn } from './palette.js';
import { niceCeiling } from './plot.js';

/** The English lookup, for callers without a widget (Node tests, the CLI). */
export const english = (key, vars) => message('en', key, vars);

/** The attribute of a knob: 'batchNorm' → 'batch-norm' (the CLI flag's name). */
export const attributeOf = (knob) => knob.flag;

const SPEC = {
  int: (knob) => ({ type: 'int', min: knob.min, max: knob.max, default: knob.default }),
  choice: (knob) => ({ type: 'enum', values: knob.choices, default: knob.default }),
  bool: (knob) => ({ type: 'bool', default: knob.default }),
  list: (knob) => ({ type: 'numbers', default: knob.default }),
  number: (knob) => ({ type: 'string', default: knob.default === null ? '' : String(knob.default) }),
};

/** The lab's knobs: the training knobs and how many workers share each step (web/train/parallel.js). */
export const LAB_KNOBS = [...KNOBS, WORKERS_KNOB];

/** A knob whose default is null (lr, workers) is chosen from a list with '' for "the default", so it is text. */
export const controlKind = (knob) => (knob.default === null ? 'number' : knob.kind);

/** The widget's attributes, from the knob table (web/widgets/attributes.js spec types). */
export const TRAIN_SCHEMA = Object.fromEntries(
  LAB_KNOBS.map((knob) => [attributeOf(knob), SPEC[controlKind(knob)](knob)]),
);

/** What each select offers; an attribute value outside the list is added to it. */
export const CHOICES = {
  kernel: [1, 3, 5, 7, 9],
  stride: [1, 2, 3, 4],
  channels: [
    [4, 8],
    [8, 16],
    [16, 32],
    [32, 64],
    [8, 16, 32],
  ],
  lr: ['', '0.0003', '0.001', '0.003', '0.01', '0.03', '0.05', '0.1'],
  momentum: ['0', '0.5', '0.9', '0.95'],
  weightDecay: ['0', '0.0001', '0.0005', '0.001'],
  batch: [16, 32, 64, 128, 256],
  workers: ['', '1', '2', '3', '4', '6', '8'],
  epochs: [1, 2, 3, 4, 5, 6, 8, 10],
};

/** The checked knobs of the widget's state (properties by camelCase attribute name); throws a RangeError naming the knob. */
export function knobsOf(state) {
  const values = {};
  for (const knob of LAB_KNOBS) {
    const value = state[knob.name];
    if (controlKind(knob) === 'number') {
      if (value !== '') values[knob.name] = parseKnob(knob, value);
    } else values[knob.name] = value;
  }
  return checkKnobs(values);
}

/**
 * One colour per run, in order (Okabe–Ito, as the page's palette), repeating after eight runs;
 * per theme, each at 3:1 or more on the theme's paper (tests/widgets-palette.test.mjs): the light
 * list darkens Okabe–Ito's orange, sky blue and yellow, the dark one lifts blue and black.
 */
export const RUN_COLORS = {
  light: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#C27400', '#2E8BC0', '#000000', '#7A6F00'],
  dark: ['#56B4E9', '#E69F00', '#2fc79a', '#CC79A7', '#F0E442', '#ff7a3d', '#e8e8e8', '#4393C3'],
};

/** The colour of run `run` (1, 2, …) in the light or dark list. */
export const runColor = (run, theme = 'light') => RUN_COLORS[theme][(run - 1) % RUN_COLORS[theme].length];

/** 'dark' when a paper colour ([r, g, b]) is dark, else 'light': the run colours to use on it. */
export const themeOfPaper = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light');

/**
 * The palette roles the lab draws with on its canvases (the charts' axes, tick numbers and
 * grid; the pad's ink; the receptive field's outline) and the confusion matrix's cell tints with
 * their text: all from the theme, so both themes read (tests/widgets-palette.test.mjs).
 * colors: the theme as [r, g, b] per role.
 */
export const LAB_CANVAS = {
  text: ['ink', 'muted'], // chart axis labels and tick numbers (ink), the pad's hint (muted): on paper
  marks: ['rule', 'accent'], // chart grid (decoration), the dashed theoretical field
};

/** A confusion-matrix cell's fill for `count` of `largest` (diagonal green, else vermillion) and its text colour. */
export function confusionCell(colors, count, largest, diagonal) {
  const fill = mix(diagonal ? colors.reached : colors.winner, colors.paper, 0.15 + (0.85 * count) / largest);
  return { fill, text: textColorOn(fill) };
}

/** One run's curves, grown by the worker's messages: x in epochs done (fractional for batches). */
export class RunCurves {
  constructor(run, label, stepsPerEpoch) {
    Object.assign(this, { run, label, stepsPerEpoch, color: runColor(run), shown: true });
    this.loss = [[], []]; // batch loss
    this.testLoss = [[0], [null]]; // per epoch
    this.trainAccuracy = [[0], [null]];
    this.testAccuracy = [[0], [null]];
  }

  addProgress({ epoch, step, loss }) {
    this.loss[0].push(epoch - 1 + step / this.stepsPerEpoch);
    this.loss[1].push(loss);
  }

  addEpoch({ epoch, trainAccuracy, testAccuracy, testLoss }) {
    for (const [series, value] of [
      [this.testLoss, testLoss],
      [this.trainAccuracy, 100 * trainAccuracy],
      [this.testAccuracy, 100 * testAccuracy],
    ]) {
      series[0].push(epoch);
      series[1].push(value);
    }
  }
}

/**
 * Series of several runs on one x axis, in uPlot's column form: the union of their x values,
 * sorted, and each series' y at its own x values (null elsewhere, bridged by spanGaps).
 * @param {[number[], (number | null)[]][]} series
 */
export function joinSeries(series) {
  const xs = [...new Set(series.flatMap(([x]) => x))].sort((a, b) => a - b);
  const position = new Map(xs.map((x, index) => [x, index]));
  return [
    xs,
    ...series.map(([x, y]) => {
      const column = new Array(xs.length).fill(null);
      x.forEach((value, index) => {
        column[position.get(value)] = y[index];
      });
      return column;
    }),
  ];
}

/** The loss chart: every run's batch loss and, dashed, its test loss per epoch. */
export function lossChartData(runs) {
  return joinSeries(runs.flatMap((curves) => [curves.loss, curves.testLoss]));
}

/** The accuracy chart: every run's test accuracy and, dashed, its training accuracy per epoch. */
export function accuracyChartData(runs) {
  return joinSeries(runs.flatMap((curves) => [curves.testAccuracy, curves.trainAccuracy]));
}

/**
 * The accuracy axis, zoomed to the data so 95–98 % does not lie flat at the top: from a whole
 * percent below the lowest shown value to one above the highest (at most 100).
 */
export function accuracyRange(runs) {
  const values = runs
    .filter((curves) => curves.shown)
    .flatMap((curves) => [...curves.testAccuracy[1], ...curves.trainAccuracy[1]])
    .filter((value) => value !== null);
  if (!values.length) return [0, 100];
  const low = Math.max(0, Math.floor(Math.min(...values)) - 1);
  return [low, Math.min(100, Math.max(low + 2, Math.ceil(Math.max(...values)) + 1))];
}

/** Round tick values in [low, high]: multiples of a 1, 2 or 5 × 10^k step, about four of them. */
function roundTicks(low, high) {
  const step = niceCeiling((high - low) / 4);
  const ticks = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high; tick += step) ticks.push(Number(tick.toPrecision(6)));
  return ticks;
}

/**
 * Speed against accuracy, one point per finished run (the closing exercise's answer in one
 * picture): pixel positions in a width × height box with margins, axes padded around the data.
 */
export function scatterGeometry(
  records,
  width,
  height,
  margin = { left: 48, right: 12, top: 10, bottom: 34 },
  formatTick = formatCount,
) {
  const xs = records.map((record) => record.imagesPerSecond);
  const ys = records.map((record) => 100 * record.testAccuracy);
  const span = (values, minimumSpan) => {
    const low = Math.min(...values),
      high = Math.max(...values);
    const pad = Math.max((high - low) * 0.1, minimumSpan / 2);
    return [low - pad, high + pad];
  };
  const [x0, x1] = records.length ? span(xs, 200) : [0, 1];
  const [y0, y1] = records.length ? span(ys, 1) : [0, 1];
  const innerWidth = width - margin.left - margin.right,
    innerHeight = height - margin.top - margin.bottom;
  const px = (x) => margin.left + ((x - x0) / (x1 - x0)) * innerWidth;
  const py = (y) => margin.top + innerHeight - ((y - y0) / (y1 - y0)) * innerHeight;
  return {
    frame: { left: margin.left, top: margin.top, right: width - margin.right, bottom: margin.top + innerHeight },
    points: records.map((record, index) => ({
      run: record.run,
      x: xs[index],
      y: ys[index],
      px: px(xs[index]),
      py: py(ys[index]),
    })),
    xTicks: roundTicks(x0, x1).map((value) => ({ value: formatTick(value), position: px(value) })),
    yTicks: roundTicks(y0, y1).map((value) => ({ value: formatTick(value), position: py(value) })),
  };
}

/**
 * A one-line warning when the knobs describe a model known to train poorly, with the reason;
 * '' otherwise. `description`: describeModel of the model (its receptive field).
 */
export function trainingNote(knobs, description, inputSize = 28, t = english) {
  if (knobs.pool !== 'gap' || description.receptiveField >= inputSize) return '';
  return t('lab.note.gap', { channels: knobs.channels.at(-1), rf: description.receptiveField, size: inputSize });
}

/** The two kernel sizes the lab's exercise compares. */
export const RACE = [3, 7];

/**
 * "Which kernel trains faster?": the kernel whose model needs fewer multiply-accumulates per
 * image (the core's count), with the other knobs as set. Speed is measured, not computed: the
 * revealed text says how to check it in the runs table.
 */
export function fasterKernelExercise(
  nn,
  knobs,
  describe,
  t = english,
  format = (value, decimals) => formatFixed('en', value, decimals),
) {
  const macs = RACE.map((kernel) => {
    try {
      return describe(nn, { ...knobs, kernel }).macs;
    } catch {
      return null;
    }
  });
  if (macs.includes(null))
    return { expected: [], text: t('lab.exercise.kernel-fails', { first: RACE[0], second: RACE[1] }), mistakes: [] };
  const [fewer, more] = macs[0] <= macs[1] ? [0, 1] : [1, 0];
  const ratio = macs[more] / macs[fewer];
  return {
    expected: [RACE[fewer]],
    text: t('lab.exercise.answer', {
      fewer: RACE[fewer],
      fewerMacs: format(macs[fewer], 0),
      moreMacs: format(macs[more], 0),
      ratio: format(ratio, 1),
    }),
    mistakes: [
      {
        expected: [RACE[more]],
        message: t('lab.exercise.mistake', {
          more: RACE[more],
          moreProducts: RACE[more] ** 2,
          fewer: RACE[fewer],
          fewerProducts: RACE[fewer] ** 2,
        }),
      },
    ],
  };
}

/**
 * The runs table's columns, in the order of web/train/runs.js's RUN_COLUMNS (its CSV keeps the
 * English headers and plain numbers): id names the header (message lab.column.<id>), cell
 * writes a record's value with `f` (the widget's number formats), key columns stay in view, and a
 * column with `field` shows only when some record has that field (workers, from multi-worker runs).
 */
export const LAB_COLUMNS = [
  { id: 'run', key: true, cell: (r) => String(r.run) },
  { id: 'config', key: true, cell: (r, f) => f.config(r.knobs) },
  { id: 'testAccuracy', key: true, cell: (r, f) => f.fixed(100 * r.testAccuracy, 2) },
  { id: 'seconds', key: true, cell: (r, f) => f.fixed(r.seconds, 1) },
  { id: 'evalSeconds', key: true, cell: (r, f) => f.fixed(r.evalSeconds, 1) },
  { id: 'imagesPerSecond', key: true, cell: (r, f) => f.fixed(r.imagesPerSecond, 0) },
  { id: 'macs', key: true, cell: (r, f) => f.fixed(r.macs, 0) },
  { id: 'params', cell: (r, f) => f.fixed(r.params, 0) },
  { id: 'receptiveField', cell: (r) => String(r.receptiveField) },
  { id: 'testLoss', cell: (r, f) => f.fixed(r.testLoss, 4) },
  { id: 'kernel', cell: (r) => String(r.knobs.kernel) },
  { id: 'stride', cell: (r) => String(r.knobs.stride) },
  { id: 'padding', cell: (r, f) => f.choice('padding', r.knobs.padding) },
  { id: 'pool', cell: (r, f) => f.choice('pool', r.knobs.pool) },
  { id: 'channels', cell: (r) => r.knobs.channels.join(' ') },
  { id: 'batchNorm', cell: (r, f) => f.yesNo(r.knobs.batchNorm) },
  { id: 'optimizer', cell: (r, f) => f.choice('optimizer', r.knobs.optimizer) },
  { id: 'lr', cell: (r, f) => f.number(r.knobs.lr) },
  { id: 'batch', cell: (r) => String(r.knobs.batch) },
  { id: 'workers', field: 'workers', cell: (r) => String(r.workers ?? r.knobs.workers ?? '') },
  { id: 'epochs', cell: (r, f) => f.number(r.epochs) },
  { id: 'augment', cell: (r, f) => f.yesNo(r.knobs.augment) },
];

/** The columns the records fill: every column but those whose field no record has. */
export const labColumns = (records) =>
  LAB_COLUMNS.filter((column) => !column.field || records.some((record) => column.field in record));
