// <cnn-train>'s DOM-free side: its attributes (one per knob of web/train/knobs.js), the
// choices its selects offer, and the series its charts plot. Tested in Node.
import { checkKnobs, KNOBS, parseKnob } from '../train/knobs.js';

/** The attribute of a knob: 'batchNorm' → 'batch-norm' (the CLI flag's name). */
export const attributeOf = (knob) => knob.flag;

const SPEC = {
  int: (knob) => ({ type: 'int', min: knob.min, max: knob.max, default: knob.default }),
  choice: (knob) => ({ type: 'enum', values: knob.choices, default: knob.default }),
  bool: (knob) => ({ type: 'bool', default: knob.default }),
  list: (knob) => ({ type: 'numbers', default: knob.default }),
  number: (knob) => ({ type: 'string', default: knob.default === null ? '' : String(knob.default) }),
};

/** The widget's attributes, from the knob table (web/widgets/attributes.js spec types). */
export const TRAIN_SCHEMA = Object.fromEntries(KNOBS.map((knob) => [attributeOf(knob), SPEC[knob.kind](knob)]));

/** What each select offers; an attribute value outside the list is added to it. */
export const CHOICES = {
  kernel: [1, 3, 5, 7, 9],
  stride: [1, 2, 3, 4],
  channels: [[4, 8], [8, 16], [16, 32], [32, 64], [8, 16, 32]],
  lr: ['', '0.0003', '0.001', '0.003', '0.01', '0.03', '0.05', '0.1'],
  momentum: ['0', '0.5', '0.9', '0.95'],
  weightDecay: ['0', '0.0001', '0.0005', '0.001'],
  batch: [16, 32, 64, 128, 256],
  epochs: [1, 2, 3, 4, 5, 6, 8, 10],
};

/** The checked knobs of the widget's state (properties by camelCase attribute name); throws a RangeError naming the knob. */
export function knobsOf(state) {
  const values = {};
  for (const knob of KNOBS) {
    const value = state[knob.name];
    if (knob.kind === 'number') {
      if (value !== '') values[knob.name] = parseKnob(knob, value);
    } else values[knob.name] = value;
  }
  return checkKnobs(values);
}

/** The charts' data, in uPlot's column form, grown by the worker's messages. */
export class TrainingCurves {
  constructor(stepsPerEpoch) {
    this.stepsPerEpoch = stepsPerEpoch;
    this.loss = [[], []];                  // x: epochs done (fractional), y: batch loss
    this.accuracy = [[0], [null], [null]]; // x: epoch, y: train and test accuracy (%)
  }

  addProgress({ epoch, step, loss }) {
    this.loss[0].push(epoch - 1 + step / this.stepsPerEpoch);
    this.loss[1].push(loss);
  }

  addEpoch({ epoch, trainAccuracy, testAccuracy }) {
    this.accuracy[0].push(epoch);
    this.accuracy[1].push(100 * trainAccuracy);
    this.accuracy[2].push(100 * testAccuracy);
  }
}
