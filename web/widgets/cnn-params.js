// <cnn-params>: the parameter, MAC and FLOP calculator. Four views: the seed article's
// kernel-size table (1×1 … 7×7 for 3 → 64), one 5×5 against two 3×3, the ResNet bottleneck
// block, and one layer with a groups slider from standard to depthwise convolution.
//
// Attributes (reflected; see params-model.js PARAMS_SCHEMA and the README table):
//   view="kernels|stack|bottleneck|layer" in-channels out-channels kernel stride groups bias
//   size channels block-in block-out downsample
//   plus the shared url-state, hide, lock, exercise="params", loading.
// Events: cnn-change, cnn-ready.  Parts: table, code, exercise.
import { CnnElement } from './base-element.js';
import { concealing } from './exercise.js';
import { formatCount, formatPercent, formatShape } from './format.js';
import { PARAMS_SCHEMA, PARAMS_VIEWS, kernelTable, kernelSlips, stackComparison, bottleneckBlock, groupStops, groupedLayer } from './params-model.js';
import { rangeControl, numberControl, checkboxControl, codeRow, table, button, h } from './controls.js';

/** The controls each view shows (by attribute name). */
const VIEW_CONTROLS = {
  kernels: ['in-channels', 'out-channels', 'bias', 'size'],
  stack: ['channels', 'bias', 'size'],
  bottleneck: ['block-in', 'block-out', 'downsample', 'size'],
  layer: ['in-channels', 'out-channels', 'kernel', 'stride', 'groups', 'bias', 'size'],
};

const COUNT_HEADERS = ['layer', 'params', 'MACs', 'FLOPs', 'output shape'];
const countCells = (row) => [row.name, formatCount(row.params), formatCount(row.macs), formatCount(row.flops), formatShape(row.shape)];

export class CnnParams extends CnnElement {
  static schema = PARAMS_SCHEMA;
  static label = 'Parameter and MAC calculator'; // the host's accessible name (base-element.js)
  static exercises = { params: 'the parameter count (see the question under the controls)' };

  build() {
    const set = (property) => (value) => this.commit({ [property]: value });
    this.viewButtons = Object.entries(PARAMS_VIEWS).map(([view, label]) => {
      const element = button(label, `Show ${label}`, () => this.commit({ view }));
      element.dataset.view = view;
      return element;
    });
    const views = h('div', 'transport', ...this.viewButtons);
    views.dataset.control = 'view';
    views.setAttribute('role', 'group');
    views.setAttribute('aria-label', 'Calculator view');
    this.controls = {
      inChannels: numberControl({ name: 'in-channels', label: 'in_channels', min: 1, max: 2048, onInput: (value) => this.commit({ inChannels: value, groups: 1 }) }),
      outChannels: numberControl({ name: 'out-channels', label: 'out_channels', min: 1, max: 2048, onInput: (value) => this.commit({ outChannels: value, groups: 1 }) }),
      channels: numberControl({ name: 'channels', label: 'channels (in = out)', min: 1, max: 2048, onInput: set('channels') }),
      blockIn: numberControl({ name: 'block-in', label: 'in_channels', min: 4, max: 2048, onInput: set('blockIn') }),
      blockOut: numberControl({ name: 'block-out', label: 'out_channels', min: 4, max: 2048, onInput: set('blockOut') }),
      kernel: rangeControl({ name: 'kernel', label: 'Kernel size', min: 1, max: 11, onInput: set('kernel') }),
      stride: rangeControl({ name: 'stride', label: 'Stride', min: 1, max: 4, onInput: set('stride') }),
      groups: rangeControl({ name: 'groups', label: 'groups', min: 0, max: 0, onInput: (stop) => this.commit({ groups: this.stops[stop] }) }),
      size: numberControl({ name: 'size', label: 'Input H = W', min: 1, max: 512, onInput: set('size') }),
      bias: checkboxControl({ name: 'bias', label: 'bias', onInput: set('bias') }),
      downsample: checkboxControl({ name: 'downsample', label: 'downsample (stride 2)', onInput: set('downsample') }),
    };
    this.stops = [1];
    this.body = h('div', '');
    this.body.setAttribute('part', 'table');
    this.body.dataset.reveal = 'params';
    this.question = h('p', 'note');
    this.question.dataset.control = 'exercise';
    this.error = h('p', 'error');
    this.code = codeRow();
    this.shadowRoot.append(
      views,
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.question,
      this.error,
      this.body,
      this.code.element,
      h('details', '', h('summary', '', 'Definitions: parameters, MACs, FLOPs'),
        h('p', '', 'Parameters of a convolution = out_channels · (in_channels / groups) · kernel_h · kernel_w, plus out_channels biases. '
          + 'A MAC (multiply–accumulate) is one weight times one input added to a sum; a layer does params × output pixels of them (bias aside). '
          + 'A FLOP is one floating-point operation: a MAC is two, so FLOPs = 2 × MACs. Every count here is computed by the WebAssembly core, for a batch of one.')),
    );
  }

  update(state) {
    for (const button of this.viewButtons) button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
    const shown = new Set(VIEW_CONTROLS[state.view]);
    for (const control of Object.values(this.controls)) control.element.classList.toggle('not-applicable', !shown.has(control.element.dataset.control));
    this.stops = groupStops(state.inChannels, state.outChannels);
    const stop = Math.max(0, this.stops.indexOf(state.groups));
    for (const [property, control] of Object.entries(this.controls)) control.write(property === 'groups' ? stop : state[property]);
    this.controls.groups.input.max = String(this.stops.length - 1);
    this.controls.groups.input.setAttribute('aria-valuetext', `groups = ${state.groups}`);
    this.controls.groups.element.querySelector('output').value = String(state.groups);
    const rendered = this[`render_${state.view}`](state);
    this.error.hidden = !rendered.error;
    this.error.textContent = rendered.error ?? '';
    this.body.replaceChildren(...(rendered.elements ?? []));
    this.code.set(rendered.code ?? '');
    this.answer = rendered.answer ?? null;
    this.question.hidden = !this.exerciseForm;
    this.question.textContent = rendered.question ?? '';
    this.announce(concealing(this, 'params') ? rendered.question ?? '' : rendered.summary ?? rendered.error ?? '');
  }

  render_kernels(state) {
    const result = kernelTable(this.cnn, state);
    if (result.error) return result;
    const rows = result.rows.map((row) => [row.name, formatCount(row.params), formatCount(row.macs), formatCount(row.flops), row.use]);
    const chosen = result.rows.find((row) => row.kernel === state.kernel) ?? result.rows[1];
    const summary = `${state.inChannels} → ${state.outChannels} channels${state.bias ? ' with bias' : ', weights only'}: `
      + result.rows.map((row) => `${row.name} ${formatCount(row.params)}`).join(', ') + `. MACs for a ${state.size}×${state.size} input with padding 'same'.`;
    return {
      elements: [table(['kernel', 'params', 'MACs', 'FLOPs', 'core usage (seed article)'], rows, new Set([0, 4])), h('p', 'note', summary)],
      code: chosen.code,
      answer: { expected: [chosen.params], text: formatCount(chosen.params), mistakes: kernelSlips(this.cnn, state) },
      question: `Question: how many parameters has the ${chosen.name} layer, ${state.inChannels} → ${state.outChannels}${state.bias ? ' with bias' : ' without bias'}?`,
      summary,
    };
  }

  render_stack(state) {
    const result = stackComparison(this.cnn, state);
    if (result.error) return result;
    const { single, double, singleTotals, doubleTotals, saving } = result;
    const rows = [...single.map(countCells), ['total: one 5×5', formatCount(singleTotals.params), formatCount(singleTotals.macs), formatCount(singleTotals.flops), `RF ${singleTotals.rf}×${singleTotals.rf}`],
      ...double.map(countCells), ['total: two 3×3', formatCount(doubleTotals.params), formatCount(doubleTotals.macs), formatCount(doubleTotals.flops), `RF ${doubleTotals.rf}×${doubleTotals.rf}`]];
    const summary = `Same receptive field (${singleTotals.rf}×${singleTotals.rf} against ${doubleTotals.rf}×${doubleTotals.rf}); `
      + `${formatCount(doubleTotals.params)} parameters instead of ${formatCount(singleTotals.params)}: ${formatPercent(-saving)} (1 − ${formatCount(doubleTotals.params)} / ${formatCount(singleTotals.params)}), with room for one more ReLU between the two.`;
    return {
      elements: [table(COUNT_HEADERS, rows), h('p', 'note', summary)],
      code: [...single, ...double].map((row) => row.code).join('\n'),
      answer: { expected: [doubleTotals.params], text: formatCount(doubleTotals.params) },
      question: `Question: how many parameters have two 3×3 layers, ${state.channels} → ${state.channels}${state.bias ? ' with bias' : ' without bias'}?`,
      summary,
    };
  }

  render_bottleneck(state) {
    const result = bottleneckBlock(this.cnn, state);
    if (result.error) return result;
    const { inner, main, shortcut, total, mainTotal } = result;
    const rows = [...main.map(countCells), ['main path', formatCount(mainTotal.params), formatCount(mainTotal.macs), formatCount(mainTotal.flops), ''],
      ...shortcut.map(countCells), ['block total', formatCount(total.params), formatCount(total.macs), formatCount(total.flops), '']];
    const summary = `Bottleneck ${state.blockIn} → ${inner} → ${inner} → ${state.blockOut} (inner width out_channels // 4 = ${inner})`
      + `${shortcut.length ? ', with a 1×1 projection shortcut' : ', identity shortcut'}: ${formatCount(total.params)} parameters, ${formatCount(total.macs)} MACs on ${state.size}×${state.size}.`;
    return {
      elements: [table(COUNT_HEADERS, rows), h('p', 'note', summary)],
      code: [...main, ...shortcut].map((row) => row.code).join('\n'),
      answer: { expected: [total.params], text: formatCount(total.params) },
      question: `Question: how many parameters has this bottleneck block (batch norm included)?`,
      summary,
    };
  }

  render_layer(state) {
    const result = groupedLayer(this.cnn, state);
    if (result.error) return result;
    const { layer, standard, depthwise, ratio } = result;
    const kind = depthwise ? 'depthwise' : state.groups === 1 ? 'standard' : `grouped (${state.groups} groups)`;
    const summary = `groups = ${state.groups} (${kind}): ${formatCount(layer.params)} parameters, ${formatPercent(ratio)} of the standard layer’s ${formatCount(standard.params)}.`
      + (this.stops.length === 1 ? ` No other groups value divides both ${state.inChannels} and ${state.outChannels}; try in = out = 64.` : '');
    return {
      elements: [table(COUNT_HEADERS, [layer, standard].map(countCells)), h('p', 'note', summary)],
      code: layer.code,
      answer: { expected: [layer.params], text: formatCount(layer.params) },
      question: `Question: how many parameters has this layer with groups = ${state.groups}?`,
      summary,
    };
  }

  exerciseAnswer() {
    return this.answer ?? { expected: [], text: 'no valid layer' };
  }
}

CnnParams.define('cnn-params');
