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
import { formatPercent, formatShape } from './format.js';
import { coreMessage } from '../i18n/core-errors.js';
import {
  PARAMS_SCHEMA,
  PARAMS_VIEWS,
  kernelTable,
  kernelSlips,
  stackComparison,
  bottleneckBlock,
  groupStops,
  groupedLayer,
} from './params-model.js';
import { rangeControl, numberControl, checkboxControl, codeRow, table, button, h } from './controls.js';

/** The controls each view shows (by attribute name). */
const VIEW_CONTROLS = {
  kernels: ['in-channels', 'out-channels', 'bias', 'size'],
  stack: ['channels', 'bias', 'size'],
  bottleneck: ['block-in', 'block-out', 'downsample', 'size'],
  layer: ['in-channels', 'out-channels', 'kernel', 'stride', 'groups', 'bias', 'size'],
};

const COUNT_COLUMNS = ['layer', 'params', 'macs', 'flops', 'shape'];

export class CnnParams extends CnnElement {
  static schema = PARAMS_SCHEMA;
  static label = 'params.label'; // the host's accessible name (base-element.js); message keys (web/i18n)
  static exercises = { params: 'params.exercise' };

  /** Counts as the widget's language writes them. */
  count(value) {
    return this.formatNumber(value);
  }

  countCells(row) {
    return [row.name, this.count(row.params), this.count(row.macs), this.count(row.flops), formatShape(row.shape)];
  }

  countHeaders() {
    return COUNT_COLUMNS.map((column) => this.t(`params.column.${column}`));
  }

  build() {
    const t = this.t;
    const set = (property) => (value) => this.commit({ [property]: value });
    this.viewButtons = Object.entries(PARAMS_VIEWS).map(([view, key]) => {
      const label = t(key);
      const element = button(label, t('params.show-view', { view: label }), () => this.commit({ view }));
      element.dataset.view = view;
      return element;
    });
    const views = h('div', 'transport', ...this.viewButtons);
    views.dataset.control = 'view';
    views.setAttribute('role', 'group');
    views.setAttribute('aria-label', t('params.views'));
    this.controls = {
      inChannels: numberControl({
        name: 'in-channels',
        label: 'in_channels',
        min: 1,
        max: 2048,
        t,
        onInput: (value) => this.commit({ inChannels: value, groups: 1 }),
      }),
      outChannels: numberControl({
        name: 'out-channels',
        label: 'out_channels',
        min: 1,
        max: 2048,
        t,
        onInput: (value) => this.commit({ outChannels: value, groups: 1 }),
      }),
      channels: numberControl({
        name: 'channels',
        label: t('params.channels'),
        min: 1,
        max: 2048,
        t,
        onInput: set('channels'),
      }),
      blockIn: numberControl({ name: 'block-in', label: 'in_channels', min: 4, max: 2048, t, onInput: set('blockIn') }),
      blockOut: numberControl({
        name: 'block-out',
        label: 'out_channels',
        min: 4,
        max: 2048,
        t,
        onInput: set('blockOut'),
      }),
      kernel: rangeControl({ name: 'kernel', label: t('shared.kernel-size'), min: 1, max: 11, onInput: set('kernel') }),
      stride: rangeControl({ name: 'stride', label: t('shared.stride'), min: 1, max: 4, onInput: set('stride') }),
      groups: rangeControl({
        name: 'groups',
        label: 'groups',
        min: 0,
        max: 0,
        onInput: (stop) => this.commit({ groups: this.stops[stop] }),
      }),
      size: numberControl({ name: 'size', label: t('params.size'), min: 1, max: 512, t, onInput: set('size') }),
      bias: checkboxControl({ name: 'bias', label: 'bias', onInput: set('bias') }),
      downsample: checkboxControl({ name: 'downsample', label: t('params.downsample'), onInput: set('downsample') }),
    };
    this.stops = [1];
    this.body = h('div', '');
    this.body.setAttribute('part', 'table');
    this.body.dataset.reveal = 'params';
    this.question = h('p', 'note');
    this.question.dataset.control = 'exercise';
    this.error = h('p', 'error');
    this.code = codeRow('PyTorch', t);
    this.shadowRoot.append(
      views,
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.question,
      this.error,
      this.body,
      this.code.element,
      h('details', '', h('summary', '', t('params.definitions-title')), h('p', '', t('params.definitions'))),
    );
  }

  update(state) {
    for (const button of this.viewButtons)
      button.setAttribute('aria-pressed', String(button.dataset.view === state.view));
    const shown = new Set(VIEW_CONTROLS[state.view]);
    for (const control of Object.values(this.controls))
      control.element.classList.toggle('not-applicable', !shown.has(control.element.dataset.control));
    this.stops = groupStops(state.inChannels, state.outChannels);
    const stop = Math.max(0, this.stops.indexOf(state.groups));
    for (const [property, control] of Object.entries(this.controls))
      control.write(property === 'groups' ? stop : state[property]);
    this.controls.groups.input.max = String(this.stops.length - 1);
    this.controls.groups.input.setAttribute('aria-valuetext', `groups = ${state.groups}`);
    this.controls.groups.element.querySelector('output').value = String(state.groups);
    const rendered = this[`render_${state.view}`](state);
    this.error.hidden = !rendered.error;
    this.error.textContent = rendered.error ? coreMessage(this.t, rendered.error) : '';
    this.body.replaceChildren(...(rendered.elements ?? []));
    this.code.set(rendered.code ?? '');
    this.answer = rendered.answer ?? null;
    this.question.hidden = !this.exerciseForm;
    this.question.textContent = rendered.question ?? '';
    this.announce(
      concealing(this, 'params') ? (rendered.question ?? '') : (rendered.summary ?? this.error.textContent),
    );
  }

  render_kernels(state) {
    const t = this.t;
    const result = kernelTable(this.cnn, state, t);
    if (result.error) return result;
    const rows = result.rows.map((row) => [
      row.name,
      this.count(row.params),
      this.count(row.macs),
      this.count(row.flops),
      row.use,
    ]);
    const chosen = result.rows.find((row) => row.kernel === state.kernel) ?? result.rows[1];
    const summary = t(state.bias ? 'params.kernels-summary-bias' : 'params.kernels-summary', {
      in: state.inChannels,
      out: state.outChannels,
      size: state.size,
      counts: result.rows.map((row) => `${row.name} ${this.count(row.params)}`).join(t('params.list-separator')),
    });
    const headers = ['kernel', 'params', 'macs', 'flops', 'use'].map((column) => t(`params.column.${column}`));
    return {
      elements: [table(headers, rows, new Set([0, 4])), h('p', 'note', summary)],
      code: chosen.code,
      answer: { expected: [chosen.params], text: this.count(chosen.params), mistakes: kernelSlips(this.cnn, state, t) },
      question: t(state.bias ? 'params.kernels-question-bias' : 'params.kernels-question', {
        name: chosen.name,
        in: state.inChannels,
        out: state.outChannels,
      }),
      summary,
    };
  }

  render_stack(state) {
    const t = this.t;
    const result = stackComparison(this.cnn, state, t);
    if (result.error) return result;
    const { single, double, singleTotals, doubleTotals, saving } = result;
    const totalRow = (key, totals) => [
      t(key),
      this.count(totals.params),
      this.count(totals.macs),
      this.count(totals.flops),
      t('params.rf', { rf: totals.rf }),
    ];
    const rows = [
      ...single.map((row) => this.countCells(row)),
      totalRow('params.total-single', singleTotals),
      ...double.map((row) => this.countCells(row)),
      totalRow('params.total-double', doubleTotals),
    ];
    const summary = t('params.stack-summary', {
      single: singleTotals.rf,
      double: doubleTotals.rf,
      params: this.count(doubleTotals.params),
      instead: this.count(singleTotals.params),
      saving: formatPercent(-saving),
    });
    return {
      elements: [table(this.countHeaders(), rows), h('p', 'note', summary)],
      code: [...single, ...double].map((row) => row.code).join('\n'),
      answer: { expected: [doubleTotals.params], text: this.count(doubleTotals.params) },
      question: t(state.bias ? 'params.stack-question-bias' : 'params.stack-question', { channels: state.channels }),
      summary,
    };
  }

  render_bottleneck(state) {
    const t = this.t;
    const result = bottleneckBlock(this.cnn, state, t);
    if (result.error) return result;
    const { inner, main, shortcut, total, mainTotal } = result;
    const totalRow = (key, totals) => [
      t(key),
      this.count(totals.params),
      this.count(totals.macs),
      this.count(totals.flops),
      '',
    ];
    const rows = [
      ...main.map((row) => this.countCells(row)),
      totalRow('params.main-path', mainTotal),
      ...shortcut.map((row) => this.countCells(row)),
      totalRow('params.block-total', total),
    ];
    const summary = t(shortcut.length ? 'params.bottleneck-summary-projection' : 'params.bottleneck-summary', {
      in: state.blockIn,
      inner,
      out: state.blockOut,
      params: this.count(total.params),
      macs: this.count(total.macs),
      size: state.size,
    });
    return {
      elements: [table(this.countHeaders(), rows), h('p', 'note', summary)],
      code: [...main, ...shortcut].map((row) => row.code).join('\n'),
      answer: { expected: [total.params], text: this.count(total.params) },
      question: t('params.bottleneck-question'),
      summary,
    };
  }

  render_layer(state) {
    const t = this.t;
    const result = groupedLayer(this.cnn, state, t);
    if (result.error) return result;
    const { layer, standard, depthwise, ratio } = result;
    const kind = depthwise
      ? t('params.kind-depthwise')
      : state.groups === 1
        ? t('params.kind-standard')
        : t('params.kind-grouped', { groups: state.groups });
    const summary =
      t('params.layer-summary', {
        groups: state.groups,
        kind,
        params: this.count(layer.params),
        ratio: formatPercent(ratio),
        standard: this.count(standard.params),
      }) +
      (this.stops.length === 1 ? t('params.layer-no-groups', { in: state.inChannels, out: state.outChannels }) : '');
    return {
      elements: [
        table(
          this.countHeaders(),
          [layer, standard].map((row) => this.countCells(row)),
        ),
        h('p', 'note', summary),
      ],
      code: layer.code,
      answer: { expected: [layer.params], text: this.count(layer.params) },
      question: t('params.layer-question', { groups: state.groups }),
      summary,
    };
  }

  exerciseAnswer() {
    return this.answer ?? { expected: [], text: this.t('params.no-valid-layer') };
  }
}

CnnParams.define('cnn-params');
