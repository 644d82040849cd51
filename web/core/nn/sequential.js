// nn.Sequential: layers run in order, and the summary of a stack (shapes, parameters, MACs and
// the receptive field per axis, every number the core's).
import { bool, named } from '../args.js';
import { receptive_field, same_padding } from '../arithmetic.js';
import { checkShape } from '../tensor.js';
import { coreOf, Module, NOT_A_WINDOW } from './module.js';

export class Sequential extends Module {
  constructor(...layers) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a layer`);
    });
    this.layers = layers;
  }
  parameters() {
    return this.layers.flatMap((layer) => layer.parameters());
  }
  countParameters() {
    return this.layers.reduce((total, layer) => total + layer.countParameters(), 0);
  }
  train(mode = true) {
    this.training = bool(mode, 'Sequential.train', 'mode', true);
    for (const layer of this.layers) layer.train(this.training);
    return this;
  }
  forward(input) {
    return this.layers.reduce((x, layer) => layer.forward(x), input);
  }
  apply(input) {
    return this.forward(input);
  }
  backward(gradOutput) {
    return this.layers.reduceRight((g, layer) => layer.backward(g), gradOutput);
  }
  outputShape(inputShape) {
    return this.layers.reduce((shape, layer) => layer.outputShape(shape), inputShape);
  }
  describe(inputShape) {
    const { rows, macs } = this.summary(inputShape);
    return { shape: rows.at(-1)?.shape ?? inputShape, macs };
  }
  /**
   * Per layer: output shape, params, MACs, and the receptive field and jump of the stack so far,
   * each [height, width] (the core's answer per axis), or null past a layer that is not a window.
   */
  summary(inputShape) {
    const core = coreOf(this);
    const rows = [];
    const windows = [[], []]; // per axis
    let shape = inputShape,
      rfDefined = true;
    this.layers.forEach((layer, i) => {
      const described = layer.describe(shape);
      const fields = [0, 1].map((axis) => {
        const window = layer.window(axis);
        if (window === NOT_A_WINDOW) rfDefined = false;
        else if (window) windows[axis].push(resolveSame(core, window));
        if (!rfDefined) return null;
        return windows[axis].length ? receptive_field(core, windows[axis]).at(-1) : { rf: 1, jump: 1 };
      });
      shape = described.shape;
      rows.push({
        name: `${layer.name}-${i + 1}`,
        shape,
        params: layer.countParameters(),
        macs: described.macs,
        rf: rfDefined ? fields.map((field) => field.rf) : null,
        jump: rfDefined ? fields.map((field) => field.jump) : null,
      });
    });
    const params = rows.reduce((total, row) => total + row.params, 0);
    const macs = rows.reduce((total, row) => total + row.macs, 0);
    return { rows, params, macs, text: summaryText(rows, params, macs) };
  }
}

// Errors of a whole stack name the method called (Sequential.summary: conv2d: …), and the
// input shape is checked before any layer sees it.
for (const method of ['summary', 'outputShape', 'describe']) {
  const unchecked = Sequential.prototype[method];
  Sequential.prototype[method] = named(`Sequential.${method}`, function checked(inputShape) {
    return unchecked.call(this, checkShape(inputShape, `Sequential.${method}`, 'input_shape'));
  });
}

// 'same' padding's begin side, from the core (it sets the RF start offset).
function resolveSame(core, window) {
  if (window.padding !== 'same') return window;
  return { ...window, padding: same_padding(core, window.kernel, window.dilation)[0] };
}

function summaryText(rows, params, macs) {
  const number = (n) => (n === null ? '-' : n.toLocaleString('en-US'));
  const perAxis = (pair) => (pair === null ? '-' : pair.map(number).join('×')); // height×width
  const table = [
    ['Layer (type)', 'Output shape', 'Params', 'MACs', 'RF', 'Jump'],
    ...rows.map((r) => [
      r.name,
      `[${r.shape.join(', ')}]`,
      number(r.params),
      number(r.macs),
      perAxis(r.rf),
      perAxis(r.jump),
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const rule = '-'.repeat(line(table[0]).length);
  return [
    rule,
    line(table[0]),
    rule,
    ...table.slice(1).map(line),
    rule,
    `Total params: ${number(params)}`,
    `Total MACs: ${number(macs)}`,
  ].join('\n');
}
