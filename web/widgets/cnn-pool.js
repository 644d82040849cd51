// <cnn-pool>: the pooling stepper. Max, average or global average pooling on a small feature
// map, one output cell per step, the winner of each max window starred, and a translation
// demo (the input moved by one pixel, pooled again, side by side).
//
// Attributes (all reflect to properties; see pool-model.js POOL_SCHEMA and the README table):
//   mode="max|avg|global" kernel stride padding ceil-mode size input="counting|integers|spike|edges"
//   values="1,2,…" (edited input) shift="none|right|down" step
//   plus the shared url-state, hide, lock, exercise="output-size", loading (base-element.js).
// Events: cnn-change, cnn-ready.  Parts: input, output, code, exercise.
import { CnnElement } from './base-element.js';
import { Stepper } from './stepper.js';
import { GridView } from './grid.js';
import { PLAY_SPEEDS } from './palette.js';
import { paddedInputView, outputView, windowMarks, cellMarks, stepMarks } from './grid-views.js';
import { unreadCells } from './reach.js';
import { showInvalid, showValid } from './invalid-view.js';
import { withEdit } from './cell-edits.js';
import { concealing } from './exercise.js';
import { INPUT_PRESETS, presetOptions } from './presets.js';
import { coreMessage } from '../i18n/core-errors.js';
import {
  POOL_SCHEMA,
  POOL_MODES,
  POOL_INPUTS,
  poolInputValues,
  shiftedValues,
  runPool,
  traceCell,
  paddedExtent,
  windowReads,
  outputsReading,
  poolFormula,
  poolPytorchCode,
  poolStepText,
  droppedWindowCells,
  poolSizeExercise,
  pooledValueExercise,
} from './pool-model.js';
import { rangeControl, selectControl, checkboxControl, transport, codeRow, legend, panel, h } from './controls.js';

export class CnnPool extends CnnElement {
  static schema = POOL_SCHEMA;
  static label = 'pool.label'; // the host's accessible name (base-element.js); message keys (web/i18n)
  static exercises = {
    'output-size': 'shared.exercise-output-size',
    'pooled-value': 'pool.exercise-pooled-value',
  };

  build() {
    const t = this.t;
    this.stepper = new Stepper({
      onStep: (index) => this.commit({ step: index }),
      onPlayChange: () => this.transport.sync(),
    });
    // A new size or preset replaces edited values; other settings keep them.
    const set = (property) => (value) =>
      this.commit(
        property === 'size' || property === 'input'
          ? { [property]: value, values: null, edits: '', selected: -1 }
          : { [property]: value },
      );
    this.controls = {
      mode: selectControl({
        name: 'mode',
        label: t('pool.mode'),
        options: presetOptions(POOL_MODES, t),
        onInput: set('mode'),
      }),
      kernel: rangeControl({ name: 'kernel', label: t('pool.window'), min: 1, max: 6, onInput: set('kernel') }),
      stride: rangeControl({ name: 'stride', label: t('shared.stride'), min: 1, max: 6, onInput: set('stride') }),
      padding: rangeControl({ name: 'padding', label: t('shared.padding'), min: 0, max: 3, onInput: set('padding') }),
      ceilMode: checkboxControl({ name: 'ceil-mode', label: 'ceil_mode', onInput: set('ceilMode') }),
      size: rangeControl({ name: 'size', label: t('shared.input-size'), min: 2, max: 12, onInput: set('size') }),
      input: selectControl({
        name: 'input',
        label: t('shared.input'),
        options: presetOptions(INPUT_PRESETS, t, POOL_INPUTS),
        onInput: set('input'),
      }),
      shift: selectControl({
        name: 'shift',
        label: t('pool.shift'),
        options: ['none', 'right', 'down'].map((shift) => [shift, t(`pool.shift.${shift}`)]),
        onInput: set('shift'),
      }),
    };
    this.transport = transport(this.stepper, PLAY_SPEEDS, t('pool.steps'), t);
    this.transport.element.querySelector('.note').dataset.reveal = 'output-size'; // "step 1 of 4" counts the outputs

    this.inputGrid = new GridView({
      label: t('pool.grid-input'),
      t,
      onActivate: (index) => this.selectInput(index),
      onEdit: (index, value) => this.editInput(index, value),
    });
    this.outputGrid = new GridView({
      label: t('pool.grid-output'),
      t,
      onActivate: (index) => this.stepper.goTo(index),
    });
    this.shiftedGrid = new GridView({ label: t('pool.grid-shifted'), t });
    this.shiftedOutputGrid = new GridView({ label: t('pool.grid-shifted-output'), t });

    this.inputPanel = panel(t('shared.input-padded'), this.inputGrid.element, 'input');
    this.outputPanel = panel(t('shared.output'), this.outputGrid.element, 'output');
    this.outputPanel.element.dataset.reveal = 'output-size pooled-value';
    this.printed = h('pre', 'code');
    this.outputPanel.element.append(this.printed);
    this.stepText = h('p', 'math');
    this.stepText.setAttribute('part', 'step');
    this.stepText.dataset.reveal = 'pooled-value';
    const shiftedInput = panel(t('pool.panel-shifted'), this.shiftedGrid.element);
    const shiftedOutput = panel(t('pool.panel-shifted-output'), this.shiftedOutputGrid.element);
    this.shiftCaption = shiftedOutput.caption;
    this.shiftPanels = h('div', 'panels', shiftedInput.element, shiftedOutput.element);
    this.shiftPanels.dataset.control = 'shift-demo';
    this.shiftPanels.dataset.reveal = 'pooled-value';
    this.formula = h('p', 'math');
    this.formula.dataset.control = 'formula';
    this.formula.dataset.reveal = 'output-size';
    this.error = h('p', 'error');
    this.code = codeRow('PyTorch', t);

    this.shadowRoot.append(
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.transport.element,
      h('div', 'panels', this.inputPanel.element, this.outputPanel.element),
      this.stepText,
      this.error,
      this.shiftPanels,
      this.formula,
      this.code.element,
      legend(
        ['win', 'winner', 'pad', 'unseen', 'hole', 'cur', 'sel', 'fed'].map((mark) => [mark, t(`pool.legend.${mark}`)]),
      ),
    );
  }

  update(state, changed) {
    for (const [property, control] of Object.entries(this.controls)) control.write(state[property]);
    const viewOnly = [...changed].every((name) => name === 'step' || name === 'selected');
    if (!(viewOnly && this.model)) this.compute(state);
    this.drawStep(state);
    this.code.set(poolPytorchCode(state));
    for (const name of ['kernel', 'stride', 'padding', 'ceilMode']) {
      this.controls[name].element.classList.toggle('not-applicable', state.mode === 'global');
    }
  }

  compute(state) {
    const t = this.t;
    const values = poolInputValues(state, this.cnn);
    const result = runPool(this.cnn, state, values);
    const formula = poolFormula(this.cnn, state, t);
    this.formula.textContent = [formula.general, formula.filled, formula.rule].filter(Boolean).join('\n');
    this.error.hidden = !result.error;
    this.error.textContent = result.error ? coreMessage(t, result.error) : '';
    if (result.error) {
      this.model = null;
      this.outputGrid.setShape(0, 0);
      this.inputGrid.mark(new Map());
      this.stepText.textContent = '';
      this.printed.textContent = '';
      this.shiftPanels.classList.add('not-applicable');
      showInvalid({
        stepper: this.stepper,
        transport: this.transport,
        caption: this.outputPanel.caption,
        reason: coreMessage(t, result.error),
        t,
      });
      this.announce(t('shared.invalid-setting', { reason: coreMessage(t, result.error) }));
      return;
    }
    showValid(this.transport);
    const dropped = formula.dropped ?? null;
    const extent = paddedExtent(this.cnn, state, values, result.height, result.width, dropped);
    this.model = {
      values,
      result,
      extent,
      dropped: dropped === null ? new Set() : droppedWindowCells(state, dropped, result.height),
    };
    this.stepper.resize(result.height * result.width, result.width);
    this.inputGrid.setShape(extent.rows, extent.cols);
    this.inputGrid.draw(
      paddedInputView({
        values,
        height: state.size,
        width: state.size,
        padTop: extent.padding,
        padLeft: extent.padding,
        rows: extent.rows,
        cols: extent.cols,
        padText: state.mode === 'max' ? '−∞' : '0',
        unseen: unreadCells(windowReads(this.cnn, state, result.height, result.width), state.size),
      }),
    );
    this.outputGrid.setShape(result.height, result.width);
    this.outputGrid.draw(outputView({ values: result.output, width: result.width }));
    this.printed.textContent = result.printed;
    this.outputPanel.caption.textContent = `${result.height}×${result.width}`;
    this.inputPanel.caption.textContent = t('shared.size-padding', { size: state.size, padding: extent.padding });
    this.computeShift(state, values, result);
  }

  computeShift(state, values, result) {
    this.shiftPanels.classList.toggle('not-applicable', state.shift === 'none');
    if (state.shift === 'none') return;
    const shifted = shiftedValues(values, state.size, state.shift);
    const shiftedResult = runPool(this.cnn, state, shifted);
    this.shiftedGrid.setShape(state.size, state.size);
    this.shiftedGrid.draw(
      paddedInputView({
        values: shifted,
        height: state.size,
        width: state.size,
        padTop: 0,
        padLeft: 0,
        rows: state.size,
        cols: state.size,
        padText: '',
      }),
    );
    this.shiftedOutputGrid.setShape(result.height, result.width);
    const changedCells = new Set();
    result.output.forEach((value, index) => {
      if (value !== shiftedResult.output[index]) changedCells.add(index);
    });
    this.shiftedOutputGrid.draw(outputView({ values: shiftedResult.output, width: result.width }));
    this.shiftedOutputGrid.mark(stepMarks({ count: result.output.length, fed: changedCells, fadeLater: false }));
    const same = result.output.length - changedCells.size;
    this.shiftCaption.textContent = this.t('pool.shift-caption', { same, count: result.output.length });
  }

  drawStep(state) {
    if (!this.model) return;
    this.stepper.index = Math.min(state.step, this.stepper.count - 1);
    const { values, result, extent } = this.model;
    const index = this.stepper.index;
    const row = Math.floor(index / result.width);
    const col = index % result.width;
    const traced = traceCell(this.cnn, state, values, row, col);
    const winnerIndex = state.mode === 'max' ? traced.winner : -1;
    const window = windowMarks(traced.terms, winnerIndex);
    for (const cell of this.model.dropped) if (!window.has(cell)) window.set(cell, 'hole');
    const selected = state.selected >= 0 && state.selected < state.size * state.size;
    const selectedRow = Math.floor(state.selected / state.size);
    const selectedCol = state.selected % state.size;
    if (selected) {
      const key = `${selectedRow + extent.padding},${selectedCol + extent.padding}`;
      window.set(key, `${window.get(key) ?? ''} sel`.trim());
    }
    this.inputGrid.mark(cellMarks(window, extent.cols));
    const fed = selected ? outputsReading(this.cnn, state, selectedRow, selectedCol) : new Set();
    this.outputGrid.setActive(index);
    this.outputGrid.mark(stepMarks({ count: result.output.length, current: index, fed }));
    this.stepText.textContent = poolStepText(state, row, col, traced, result.output[index]);
    this.transport.sync();
    const hidden = ['pooled-value', 'output-size'].find((kind) => concealing(this, kind));
    this.announce(
      hidden === 'pooled-value'
        ? this.t('pool.predict-value', { cell: `output[${row}, ${col}]` })
        : hidden
          ? this.t('shared.predict-size-first')
          : this.stepText.textContent,
    );
  }

  selectInput(paddedIndex) {
    const { extent } = this.model;
    const row = Math.floor(paddedIndex / extent.cols) - extent.padding;
    const col = (paddedIndex % extent.cols) - extent.padding;
    const size = this.state.size;
    const selected = row >= 0 && row < size && col >= 0 && col < size ? row * size + col : -1;
    this.inputGrid.setActive(paddedIndex);
    this.commit({ selected: selected === this.state.selected ? -1 : selected });
  }

  editInput(index, value) {
    const { extent } = this.model;
    const row = Math.floor(index / extent.cols) - extent.padding;
    const col = (index % extent.cols) - extent.padding;
    const size = this.state.size;
    if (row < 0 || row >= size || col < 0 || col >= size) return; // padding is not editable
    const base = poolInputValues({ ...this.state, edits: '' }, this.cnn);
    this.commit({ edits: withEdit(this.state.edits, base, row * size + col, value) });
  }

  resize(width) {
    if (!this.inputGrid) return;
    for (const grid of [this.inputGrid, this.outputGrid, this.shiftedGrid, this.shiftedOutputGrid]) grid.fit(width);
  }

  exerciseAnswer(kind) {
    const result = this.model?.result;
    if (kind === 'pooled-value')
      return pooledValueExercise(this.cnn, this.state, this.model?.values, result, this.stepper.index, this.t);
    return poolSizeExercise(this.cnn, this.state, result, this.t);
  }
}

CnnPool.define('cnn-pool');
