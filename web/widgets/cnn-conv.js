// <cnn-conv>: the convolution stepper. One output cell per step: the window on the padded
// input (dilated holes dashed), every input·weight product and the sum landing in the output.
// Several input channels show their partial sums adding into one output channel. In
// transposed mode it shows the scatter view (which input cells and taps reach the output
// cell) and the same result as a stride-1 convolution over the zero-inserted, padded input.
//
// Attributes (reflected as properties; see conv-model.js CONV_SCHEMA and the README table):
//   mode="standard|transposed" size input="integers|digit|edges|gradient|counting|spike"
//   values channels kernel kernel-preset="identity|box|sharpen|sobel-x|sobel-y|random" weights
//   stride padding="0…3|same|valid" dilation output-padding step selected
//   plus the shared url-state, hide, lock, exercise="output-size|params", loading.
// Events: cnn-change, cnn-ready.  Parts: input, kernel, output, equivalent, step, code, exercise.
import { CnnElement } from './base-element.js';
import { Stepper } from './stepper.js';
import { GridView } from './grid.js';
import { PLAY_SPEEDS } from './palette.js';
import { formatShape } from './format.js';
import { coreMessage } from '../i18n/core-errors.js';
import {
  paddedInputView,
  outputView,
  windowMarks,
  maskedInputView,
  termCells,
  cellMarks,
  stepMarks,
} from './grid-views.js';
import { unreadCells, droppedLines } from './reach.js';
import { INPUT_PRESETS, KERNEL_PRESETS, presetOptions } from './presets.js';
import {
  CONV_SCHEMA,
  SEED_CHANNELS,
  convInput,
  convWeights,
  runConv,
  traceOutput,
  channelPartials,
  equivalentConvolution,
  windowReads,
  outputsReading,
  convFormula,
  samePaddingNote,
  convParameterCounts,
  convPytorchCode,
  stepExplanation,
  oneByOneNote,
  scatterLine,
  baseWeights,
  outputSizeExercise,
  parameterExercise,
} from './conv-model.js';
import { presetFits, presetForKernel } from './presets.js';
import { withEdit } from './cell-edits.js';
import { showInvalid, showValid } from './invalid-view.js';
import { concealing } from './exercise.js';
import {
  rangeControl,
  selectControl,
  transport,
  codeRow,
  legend,
  panel,
  h,
  setLines,
  setTermLines,
  setText,
} from './controls.js';

const MAX_CHANNELS = CONV_SCHEMA.channels.max;
const PADDING_CHOICES = [
  ['0', '0'],
  ['1', '1'],
  ['2', '2'],
  ['3', '3'],
  ['same', "'same'"],
  ['valid', "'valid'"],
];
const CLEARS_VALUES = new Set(['size', 'channels', 'input']);
const CLEARS_WEIGHTS = new Set(['kernel', 'channels', 'kernelPreset']);

export class CnnConv extends CnnElement {
  static schema = CONV_SCHEMA;
  static label = 'conv.label'; // the host's accessible name (base-element.js); message keys (web/i18n)
  static exercises = {
    'output-size': 'shared.exercise-output-size',
    params: 'conv.exercise-params',
  };

  build() {
    const t = this.t;
    this.stepper = new Stepper({
      onStep: (index) => this.commit({ step: index }),
      onPlayChange: () => this.transport.sync(),
    });
    const set = (property) => (value) => {
      const change = { [property]: property === 'padding' && /^\d$/.test(value) ? Number(value) : value };
      if (CLEARS_VALUES.has(property)) Object.assign(change, { values: null, edits: '', selected: -1 });
      if (CLEARS_WEIGHTS.has(property)) Object.assign(change, { weights: null, weightEdits: '' });
      if (property === 'kernel') change.kernelPreset = presetForKernel(this.state.kernelPreset, value).name; // presets follow the kernel size
      this.commit(change);
    };
    this.controls = {
      mode: selectControl({
        name: 'mode',
        label: t('conv.mode'),
        options: [
          ['standard', 'Conv2d'],
          ['transposed', 'ConvTranspose2d'],
        ],
        onInput: set('mode'),
      }),
      input: selectControl({
        name: 'input',
        label: t('shared.input'),
        options: presetOptions(INPUT_PRESETS, t),
        onInput: set('input'),
      }),
      size: rangeControl({
        name: 'size',
        label: t('shared.input-size'),
        min: CONV_SCHEMA.size.min,
        max: CONV_SCHEMA.size.max,
        onInput: set('size'),
      }),
      channels: rangeControl({
        name: 'channels',
        label: t('conv.channels'),
        min: 1,
        max: MAX_CHANNELS,
        onInput: set('channels'),
      }),
      kernel: rangeControl({
        name: 'kernel',
        label: t('shared.kernel-size'),
        min: 1,
        max: CONV_SCHEMA.kernel.max,
        onInput: set('kernel'),
      }),
      kernelPreset: selectControl({
        name: 'kernel-preset',
        label: t('shared.kernel'),
        options: presetOptions(KERNEL_PRESETS, t),
        onInput: set('kernelPreset'),
      }),
      stride: rangeControl({
        name: 'stride',
        label: t('shared.stride'),
        min: 1,
        max: CONV_SCHEMA.stride.max,
        onInput: set('stride'),
      }),
      padding: selectControl({
        name: 'padding',
        label: t('shared.padding'),
        options: PADDING_CHOICES,
        onInput: set('padding'),
      }),
      dilation: rangeControl({
        name: 'dilation',
        label: t('shared.dilation'),
        min: 1,
        max: CONV_SCHEMA.dilation.max,
        onInput: set('dilation'),
      }),
      outputPadding: rangeControl({
        name: 'output-padding',
        label: 'output_padding',
        min: 0,
        max: CONV_SCHEMA['output-padding'].max,
        onInput: set('outputPadding'),
      }),
    };
    this.transport = transport(this.stepper, PLAY_SPEEDS, t('conv.steps'), t);
    this.transport.element.querySelector('.note').dataset.reveal = 'output-size'; // "step 1 of 16" counts the outputs

    const channelGrids = (make) => Array.from({ length: MAX_CHANNELS }, (_, channel) => make(channel));
    this.inputGrids = channelGrids(
      (channel) =>
        new GridView({
          label: t('conv.grid-input', { channel }),
          t,
          onActivate: (index) => this.selectInput(index),
          onEdit: (index, value) => this.editInput(channel, index, value),
        }),
    );
    this.kernelGrids = channelGrids(
      (channel) =>
        new GridView({
          label: t('conv.grid-kernel', { channel }),
          editOnClick: true,
          t,
          onEdit: (index, value) => this.editWeight(channel, index, value),
        }),
    );
    this.equivalentGrids = channelGrids(
      (channel) => new GridView({ label: t('conv.grid-equivalent', { channel }), t }),
    );
    this.flippedGrids = channelGrids((channel) => new GridView({ label: t('conv.grid-flipped', { channel }), t }));
    this.outputGrid = new GridView({ label: t('shared.output'), t, onActivate: (index) => this.stepper.goTo(index) });

    this.inputPanels = this.inputGrids.map((grid) => panel(t('shared.input'), grid.element, 'input'));
    this.kernelPanels = this.kernelGrids.map((grid) => panel(t('shared.kernel'), grid.element, 'kernel'));
    this.equivalentPanels = this.equivalentGrids.map((grid) =>
      panel(t('conv.panel-equivalent'), grid.element, 'equivalent'),
    );
    this.flippedPanels = this.flippedGrids.map((grid) => panel(t('conv.panel-flipped'), grid.element, 'equivalent'));
    this.outputPanel = panel(t('shared.output'), this.outputGrid.element, 'output');
    this.outputPanel.element.dataset.reveal = 'output-size';

    this.stepLines = h('div', 'math');
    this.stepLines.setAttribute('part', 'step');
    this.stepLines.dataset.reveal = 'output-size';
    this.equivalentSection = h(
      'section',
      '',
      h('h4', '', t('conv.equivalent-title')),
      h('p', 'note', t('conv.equivalent-note')),
      h(
        'div',
        'panels',
        ...this.equivalentPanels.map((item) => item.element),
        ...this.flippedPanels.map((item) => item.element),
      ),
    );
    this.equivalentSection.dataset.reveal = 'output-size'; // its padded input is the output size plus the kernel
    this.formula = h('p', 'math');
    this.formula.dataset.control = 'formula';
    this.formula.dataset.reveal = 'output-size';
    this.notes = h('div', 'note');
    this.error = h('p', 'error');
    this.counts = h('p', 'summary');
    this.counts.dataset.control = 'params';
    this.counts.dataset.reveal = 'params output-size'; // the MACs count the outputs too
    this.code = codeRow('PyTorch', t);

    this.shadowRoot.append(
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.transport.element,
      h(
        'div',
        'panels',
        ...this.inputPanels.map((item) => item.element),
        ...this.kernelPanels.map((item) => item.element),
        this.outputPanel.element,
      ),
      this.error,
      this.stepLines,
      this.equivalentSection,
      this.formula,
      this.notes,
      this.counts,
      h('details', '', h('summary', '', t('conv.macs-title')), h('p', '', t('conv.macs-definition'))),
      this.code.element,
      legend(['win', 'hole', 'pad', 'unseen', 'cur', 'sel', 'fed'].map((mark) => [mark, t(`conv.legend.${mark}`)])),
    );
  }

  update(state, changed) {
    for (const [property, control] of Object.entries(this.controls)) control.write(state[property]);
    const transposed = state.mode === 'transposed';
    this.controls.outputPadding.element.classList.toggle('not-applicable', !transposed);
    for (const option of this.controls.padding.input.options)
      option.disabled = transposed && !/^\d$/.test(option.value);
    for (const option of this.controls.kernelPreset.input.options)
      option.disabled = !presetFits(option.value, state.kernel);
    const viewOnly = [...changed].every((name) => name === 'step' || name === 'selected');
    if (!(viewOnly && this.model)) this.compute(state);
    this.drawStep(state);
    this.code.set(convPytorchCode(state));
  }

  compute(state) {
    const input = this.inputFor(state);
    const t = this.t;
    const { weights, note: presetNote } = convWeights(state, this.cnn, t);
    const result = runConv(this.cnn, state, input, weights);
    const formula = convFormula(state, result);
    setText(this.formula, `${formula.general}\n${formula.filled}`);
    this.error.hidden = !result.error;
    setText(this.error, result.error ? coreMessage(t, result.error) : '');
    this.model = null;
    if (result.error) {
      this.showChannels(0, false);
      this.outputGrid.setShape(0, 0);
      setLines(this.stepLines, []);
      setLines(this.notes, [], 'p');
      setText(this.counts, '');
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
    const transposed = state.mode === 'transposed';
    const n = state.size;
    const reads = windowReads(this.cnn, state, result);
    const unread = unreadCells(reads, state.size);
    const [top, left, bottom, right] = transposed ? [0, 0, 0, 0] : result.padding;
    const equivalent = transposed ? equivalentConvolution(this.cnn, state, input, weights, result.equivalent) : null;
    this.model = { input, weights, result, top, left, equivalent };
    const taps = state.kernel * state.kernel;
    this.stepper.resize(result.height * result.width, result.width);

    this.showChannels(state.channels, transposed);
    const inputViews = this.inputViewsFor(input, [top, left, bottom, right], unread, state);
    for (let channel = 0; channel < state.channels; channel++) {
      const suffix = state.channels > 1 ? t('conv.channel-suffix', { channel }) : '';
      this.inputGrids[channel].setShape(n + top + bottom, n + left + right);
      this.inputGrids[channel].draw(inputViews[channel]);
      setText(this.inputPanels[channel].heading, `${t(transposed ? 'shared.input' : 'shared.input-padded')}${suffix}`);
      setText(
        this.inputPanels[channel].caption,
        transposed
          ? `${n}×${n}`
          : top === bottom && left === right && top === left
            ? t('shared.size-padding', { size: n, padding: top })
            : t('conv.size-padding-sides', { size: n, top, left, bottom, right }),
      );
      this.kernelGrids[channel].setShape(state.kernel, state.kernel);
      this.kernelGrids[channel].draw(
        outputView({
          values: weights.subarray(channel * taps, (channel + 1) * taps),
          width: state.kernel,
          name: 'weight',
          exact: true,
        }),
      );
      setText(this.kernelPanels[channel].heading, `${t('shared.kernel')}${suffix}`);
      setText(this.kernelPanels[channel].caption, channel === 0 ? t('conv.edit-weight') : '');
      if (equivalent && !equivalent.error) {
        const size = equivalent.height * equivalent.width;
        this.equivalentGrids[channel].setShape(equivalent.height, equivalent.width);
        this.equivalentGrids[channel].draw(
          maskedInputView({
            values: equivalent.values.subarray(channel * size, (channel + 1) * size),
            fromInput: equivalent.fromInput.subarray(channel * size, (channel + 1) * size),
          }),
        );
        setText(this.equivalentPanels[channel].heading, `${t('conv.panel-equivalent-padded')}${suffix}`);
        setText(
          this.equivalentPanels[channel].caption,
          t('conv.equivalent-caption', {
            height: equivalent.height,
            width: equivalent.width,
            padding: equivalent.padding.join(', '),
          }),
        );
        this.flippedGrids[channel].setShape(state.kernel, state.kernel);
        this.flippedGrids[channel].draw(
          outputView({
            values: equivalent.flipped.subarray(channel * taps, (channel + 1) * taps),
            width: state.kernel,
            name: 'flipped',
            exact: true,
          }),
        );
        setText(this.flippedPanels[channel].heading, `${t('conv.panel-flipped')}${suffix}`);
      }
    }
    this.outputGrid.setShape(result.height, result.width);
    this.outputGrid.draw(outputView({ values: result.output, width: result.width }));
    setText(this.outputPanel.caption, t('shared.shape', { shape: formatShape([1, 1, result.height, result.width]) }));
    setLines(
      this.notes,
      [
        presetNote,
        oneByOneNote(state, t),
        ...this.noteLines(state, result, droppedLines(reads, n, n), equivalent),
      ].filter(Boolean),
      'p',
    );
    const counts = convParameterCounts(this.cnn, state);
    const count = (value) => this.formatNumber(value);
    setText(
      this.counts,
      t('conv.counts', {
        channels: state.channels,
        kernel: state.kernel,
        layer: count(counts.layer),
        in: SEED_CHANNELS.in,
        out: SEED_CHANNELS.out,
        seed: count(counts.seed),
        macs: count(result.macs),
        flops: count(result.flops),
      }),
    );
  }

  /** The input, made again only when its own attributes change (not on every kernel or stride change). */
  inputFor(state) {
    const key = JSON.stringify([state.input, state.size, state.channels, this.getAttribute('values'), state.edits]);
    if (this.inputCache?.key !== key) this.inputCache = { key, input: convInput(state, this.cnn) };
    return this.inputCache.input;
  }

  /** The padded input grids' views, built again only when the input, padding or unread cells change. */
  inputViewsFor(input, padding, unread, state) {
    const key = JSON.stringify([padding, [...unread]]);
    if (this.inputViewCache?.input !== input || this.inputViewCache.key !== key) {
      const [top, left, bottom, right] = padding;
      const n = state.size;
      const plane = n * n;
      const views = Array.from({ length: state.channels }, (_, channel) =>
        paddedInputView({
          values: input.subarray(channel * plane, (channel + 1) * plane),
          height: n,
          width: n,
          padTop: top,
          padLeft: left,
          rows: n + top + bottom,
          cols: n + left + right,
          padText: '0',
          unseen: unread,
        }),
      );
      this.inputViewCache = { input, key, views };
    }
    return this.inputViewCache.views;
  }

  noteLines(state, result, dropped, equivalent) {
    const t = this.t;
    const lines = [];
    const same = samePaddingNote(state, result, t);
    if (same) lines.push(same);
    if (state.mode === 'standard' && (dropped.rows.length || dropped.cols.length)) {
      const list = (items) => items.join(', ') || t('shared.none');
      lines.push(t('conv.dropped', { rows: list(dropped.rows), cols: list(dropped.cols) }));
    } else if (state.mode === 'standard') {
      lines.push(t('conv.all-read'));
    }
    if (state.mode === 'transposed') {
      lines.push(t('conv.output-padding-note'));
      if (equivalent?.error) lines.push(t('conv.equivalent-unavailable', { reason: coreMessage(t, equivalent.error) }));
    }
    return lines;
  }

  showChannels(count, transposed) {
    for (let channel = 0; channel < MAX_CHANNELS; channel++) {
      const visible = channel < count;
      this.inputPanels[channel].element.hidden = !visible;
      this.kernelPanels[channel].element.hidden = !visible;
      this.equivalentPanels[channel].element.hidden = !visible;
      this.flippedPanels[channel].element.hidden = !visible;
    }
    this.equivalentSection.classList.toggle('not-applicable', !transposed || count === 0);
  }

  drawStep(state) {
    if (!this.model) return;
    const { input, weights, result, top, left, equivalent } = this.model;
    const transposed = state.mode === 'transposed';
    const n = state.size;
    this.stepper.index = Math.min(state.step, this.stepper.count - 1);
    const index = this.stepper.index;
    const row = Math.floor(index / result.width);
    const col = index % result.width;
    const traced = traceOutput(this.cnn, state, input, weights, row, col);
    const partials =
      !transposed && state.channels > 1 ? channelPartials(this.cnn, state, input, weights, row, col) : null;
    const selectedRow = state.selected >= 0 && state.selected < n * n ? Math.floor(state.selected / n) : -1;
    const selectedCol = selectedRow >= 0 ? state.selected % n : -1;
    const equivalentTerms = equivalent && !equivalent.error ? equivalent.trace(row, col).terms : null;

    for (let channel = 0; channel < state.channels; channel++) {
      const terms = traced.terms.filter((term) => term.channel === channel);
      const window = transposed ? termCells(terms) : windowMarks(terms);
      if (selectedRow >= 0) {
        const key = `${selectedRow + top},${selectedCol + left}`;
        window.set(key, `${window.get(key) ?? ''} sel`.trim());
      }
      this.inputGrids[channel].mark(cellMarks(window, this.inputGrids[channel].cols));
      const usedTaps = transposed
        ? new Map(terms.map((term) => [`${term.kernel_row},${term.kernel_col}`, 'win']))
        : new Map();
      this.kernelGrids[channel].mark(cellMarks(usedTaps, state.kernel));
      if (equivalentTerms) {
        this.equivalentGrids[channel].mark(
          cellMarks(windowMarks(equivalentTerms.filter((term) => term.channel === channel)), equivalent.width),
        );
      }
    }
    const fed = selectedRow >= 0 ? outputsReading(this.cnn, state, selectedRow, selectedCol) : new Set();
    this.outputGrid.setActive(index);
    this.outputGrid.mark(stepMarks({ count: result.output.length, current: index, fed }));
    const lines = stepExplanation(state, row, col, traced, partials, this.t);
    if (transposed && selectedRow >= 0) {
      lines.unshift(scatterLine(selectedRow, selectedCol, input[selectedRow * n + selectedCol], fed, index, this.t));
    }
    setTermLines(this.stepLines, lines, !this.stepper.playing || this.stepper.stepsPerSecond <= 2); // motion: controls.js
    this.transport.sync();
    this.announce(concealing(this, 'output-size') ? this.t('shared.predict-size-first') : lines[lines.length - 1]);
  }

  selectInput(paddedIndex) {
    const { top, left } = this.model;
    const grid = this.inputGrids[0];
    const row = Math.floor(paddedIndex / grid.cols) - top;
    const col = (paddedIndex % grid.cols) - left;
    const n = this.state.size;
    const inside = row >= 0 && row < n && col >= 0 && col < n;
    const selected = inside ? row * n + col : -1;
    for (const inputGrid of this.inputGrids) inputGrid.setActive(paddedIndex);
    this.commit({ selected: selected === this.state.selected ? -1 : selected });
  }

  editInput(channel, paddedIndex, value) {
    const { top, left, input } = this.model;
    const grid = this.inputGrids[channel];
    const row = Math.floor(paddedIndex / grid.cols) - top;
    const col = (paddedIndex % grid.cols) - left;
    const n = this.state.size;
    if (row < 0 || row >= n || col < 0 || col >= n) return; // padding holds zeros by definition
    const base = convInput({ ...this.state, edits: '' }, this.cnn);
    this.commit({ edits: withEdit(this.state.edits, base, channel * n * n + row * n + col, value) });
  }

  editWeight(channel, index, value) {
    const taps = this.state.kernel * this.state.kernel;
    this.commit({
      weightEdits: withEdit(
        this.state.weightEdits,
        baseWeights(this.state, this.cnn, this.t).weights,
        channel * taps + index,
        value,
      ),
    });
  }

  resize(width) {
    if (!this.outputGrid) return;
    for (const grid of [
      ...this.inputGrids,
      ...this.kernelGrids,
      ...this.equivalentGrids,
      ...this.flippedGrids,
      this.outputGrid,
    ])
      grid.fit(width);
  }

  exerciseAnswer(kind) {
    if (kind === 'params') return parameterExercise(this.cnn, this.state, this.t);
    return outputSizeExercise(this.cnn, this.state, this.model?.result, this.t);
  }
}

CnnConv.define('cnn-conv');
