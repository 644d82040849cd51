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
import { formatCount, formatShape } from './format.js';
import { paddedInputView, outputView, windowMarks, maskedInputView, termCells, cellMarks, stepMarks } from './grid-views.js';
import { unreadCells, droppedLines } from './reach.js';
import { INPUT_PRESETS, KERNEL_PRESETS } from './presets.js';
import {
  CONV_SCHEMA, SEED_CHANNELS, convInput, convWeights, runConv, traceOutput, channelPartials,
  equivalentConvolution, windowReads, outputsReading, convFormula, samePaddingNote, convParameterCounts, convPytorchCode, stepExplanation,
  oneByOneNote, scatterLine, baseWeights, outputSizeExercise, parameterExercise,
} from './conv-model.js';
import { presetFits, presetForKernel } from './presets.js';
import { withEdit } from './cell-edits.js';
import { showInvalid, showValid } from './invalid-view.js';
import { concealing } from './exercise.js';
import { rangeControl, selectControl, transport, codeRow, legend, panel, h, setLines, setTermLines, setText } from './controls.js';

const MAX_CHANNELS = CONV_SCHEMA.channels.max;
const PADDING_CHOICES = [['0', '0'], ['1', '1'], ['2', '2'], ['3', '3'], ['same', "'same'"], ['valid', "'valid'"]];
const CLEARS_VALUES = new Set(['size', 'channels', 'input']);
const CLEARS_WEIGHTS = new Set(['kernel', 'channels', 'kernelPreset']);

export class CnnConv extends CnnElement {
  static schema = CONV_SCHEMA;
  static label = 'Convolution stepper'; // the host's accessible name (base-element.js)
  static exercises = {
    'output-size': 'the output size (height × width)',
    params: `the weight count of a ${SEED_CHANNELS.in} → ${SEED_CHANNELS.out} layer with this kernel (no bias)`,
  };

  build() {
    this.stepper = new Stepper({ onStep: (index) => this.commit({ step: index }), onPlayChange: () => this.transport.sync() });
    const set = (property) => (value) => {
      const change = { [property]: property === 'padding' && /^\d$/.test(value) ? Number(value) : value };
      if (CLEARS_VALUES.has(property)) Object.assign(change, { values: null, edits: '', selected: -1 });
      if (CLEARS_WEIGHTS.has(property)) Object.assign(change, { weights: null, weightEdits: '' });
      if (property === 'kernel') change.kernelPreset = presetForKernel(this.state.kernelPreset, value).name; // presets follow the kernel size
      this.commit(change);
    };
    this.controls = {
      mode: selectControl({ name: 'mode', label: 'Convolution', options: [['standard', 'Conv2d'], ['transposed', 'ConvTranspose2d']], onInput: set('mode') }),
      input: selectControl({ name: 'input', label: 'Input', options: Object.entries(INPUT_PRESETS), onInput: set('input') }),
      size: rangeControl({ name: 'size', label: 'Input size', min: CONV_SCHEMA.size.min, max: CONV_SCHEMA.size.max, onInput: set('size') }),
      channels: rangeControl({ name: 'channels', label: 'Input channels', min: 1, max: MAX_CHANNELS, onInput: set('channels') }),
      kernel: rangeControl({ name: 'kernel', label: 'Kernel size', min: 1, max: CONV_SCHEMA.kernel.max, onInput: set('kernel') }),
      kernelPreset: selectControl({ name: 'kernel-preset', label: 'Kernel', options: Object.entries(KERNEL_PRESETS), onInput: set('kernelPreset') }),
      stride: rangeControl({ name: 'stride', label: 'Stride', min: 1, max: CONV_SCHEMA.stride.max, onInput: set('stride') }),
      padding: selectControl({ name: 'padding', label: 'Padding', options: PADDING_CHOICES, onInput: set('padding') }),
      dilation: rangeControl({ name: 'dilation', label: 'Dilation', min: 1, max: CONV_SCHEMA.dilation.max, onInput: set('dilation') }),
      outputPadding: rangeControl({ name: 'output-padding', label: 'output_padding', min: 0, max: CONV_SCHEMA['output-padding'].max, onInput: set('outputPadding') }),
    };
    this.transport = transport(this.stepper, PLAY_SPEEDS, 'Convolution steps');
    this.transport.element.querySelector('.note').dataset.reveal = 'output-size'; // "step 1 of 16" counts the outputs

    const channelGrids = (make) => Array.from({ length: MAX_CHANNELS }, (_, channel) => make(channel));
    this.inputGrids = channelGrids((channel) => new GridView({
      label: `Input channel ${channel}`,
      onActivate: (index) => this.selectInput(index),
      onEdit: (index, value) => this.editInput(channel, index, value),
    }));
    this.kernelGrids = channelGrids((channel) => new GridView({
      label: `Kernel weights for input channel ${channel}`, editOnClick: true,
      onEdit: (index, value) => this.editWeight(channel, index, value),
    }));
    this.equivalentGrids = channelGrids((channel) => new GridView({ label: `Zero-inserted, padded input channel ${channel}` }));
    this.flippedGrids = channelGrids((channel) => new GridView({ label: `Flipped kernel for channel ${channel}` }));
    this.outputGrid = new GridView({ label: 'Output', onActivate: (index) => this.stepper.goTo(index) });

    this.inputPanels = this.inputGrids.map((grid) => panel('Input', grid.element, 'input'));
    this.kernelPanels = this.kernelGrids.map((grid) => panel('Kernel', grid.element, 'kernel'));
    this.equivalentPanels = this.equivalentGrids.map((grid) => panel('Zero-inserted input', grid.element, 'equivalent'));
    this.flippedPanels = this.flippedGrids.map((grid) => panel('Flipped kernel', grid.element, 'equivalent'));
    this.outputPanel = panel('Output', this.outputGrid.element, 'output');
    this.outputPanel.element.dataset.reveal = 'output-size';

    this.stepLines = h('div', 'math');
    this.stepLines.setAttribute('part', 'step');
    this.stepLines.dataset.reveal = 'output-size';
    this.equivalentSection = h('section', '',
      h('h4', '', 'The same output as a stride-1 convolution'),
      h('p', 'note', 'Insert stride − 1 zeros between input cells, pad by dilation·(kernel − 1) − padding (plus output_padding at the bottom and right), flip the kernel, and slide it with stride 1.'),
      h('div', 'panels', ...this.equivalentPanels.map((item) => item.element), ...this.flippedPanels.map((item) => item.element)));
    this.equivalentSection.dataset.reveal = 'output-size'; // its padded input is the output size plus the kernel
    this.formula = h('p', 'math');
    this.formula.dataset.control = 'formula';
    this.formula.dataset.reveal = 'output-size';
    this.notes = h('div', 'note');
    this.error = h('p', 'error');
    this.counts = h('p', 'summary');
    this.counts.dataset.control = 'params';
    this.counts.dataset.reveal = 'params output-size'; // the MACs count the outputs too
    this.code = codeRow();

    this.shadowRoot.append(
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.transport.element,
      h('div', 'panels', ...this.inputPanels.map((item) => item.element), ...this.kernelPanels.map((item) => item.element), this.outputPanel.element),
      this.error,
      this.stepLines,
      this.equivalentSection,
      this.formula,
      this.notes,
      this.counts,
      h('details', '', h('summary', '', 'MACs and FLOPs: definitions'),
        h('p', '', 'A MAC (multiply–accumulate) is one product added to a running sum: one kernel tap at one output cell. '
          + 'A FLOP is one floating-point operation; a MAC is two (a multiply and an add), so FLOPs = 2 × MACs. '
          + 'Both are counted by the core for a batch of one.')),
      this.code.element,
      legend([
        ['win', 'a kernel tap reads this cell'],
        ['hole', 'skipped by dilation'],
        ['pad', 'padding or inserted zero'],
        ['unseen', 'no window reads it'],
        ['cur', 'current output cell'],
        ['sel', 'selected input cell'],
        ['fed', 'outputs the selected input cell feeds'],
      ]),
    );
  }

  update(state, changed) {
    for (const [property, control] of Object.entries(this.controls)) control.write(state[property]);
    const transposed = state.mode === 'transposed';
    this.controls.outputPadding.element.classList.toggle('not-applicable', !transposed);
    for (const option of this.controls.padding.input.options) option.disabled = transposed && !/^\d$/.test(option.value);
    for (const option of this.controls.kernelPreset.input.options) option.disabled = !presetFits(option.value, state.kernel);
    const viewOnly = [...changed].every((name) => name === 'step' || name === 'selected');
    if (!(viewOnly && this.model)) this.compute(state);
    this.drawStep(state);
    this.code.set(convPytorchCode(state));
  }

  compute(state) {
    const input = this.inputFor(state);
    const { weights, note: presetNote } = convWeights(state, this.cnn);
    const result = runConv(this.cnn, state, input, weights);
    const formula = convFormula(state, result);
    setText(this.formula, `${formula.general}\n${formula.filled}`);
    this.error.hidden = !result.error;
    setText(this.error, result.error ?? '');
    this.model = null;
    if (result.error) {
      this.showChannels(0, false);
      this.outputGrid.setShape(0, 0);
      setLines(this.stepLines, []);
      setLines(this.notes, [], 'p');
      setText(this.counts, '');
      showInvalid({ stepper: this.stepper, transport: this.transport, caption: this.outputPanel.caption, reason: result.error });
      this.announce(`Invalid setting: ${result.error}`);
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
      const suffix = state.channels > 1 ? ` · channel ${channel}` : '';
      this.inputGrids[channel].setShape(n + top + bottom, n + left + right);
      this.inputGrids[channel].draw(inputViews[channel]);
      setText(this.inputPanels[channel].heading, `${transposed ? 'Input' : 'Input (padded)'}${suffix}`);
      setText(this.inputPanels[channel].caption, transposed || (top === bottom && left === right && top === left)
        ? `${n}×${n}${transposed ? '' : `, padding ${top}`}`
        : `${n}×${n}, padding top ${top}, left ${left}, bottom ${bottom}, right ${right}`);
      this.kernelGrids[channel].setShape(state.kernel, state.kernel);
      this.kernelGrids[channel].draw(outputView({ values: weights.subarray(channel * taps, (channel + 1) * taps), width: state.kernel, name: 'weight', exact: true }));
      setText(this.kernelPanels[channel].heading, `Kernel${suffix}`);
      setText(this.kernelPanels[channel].caption, channel === 0 ? 'click a weight to edit it' : '');
      if (equivalent && !equivalent.error) {
        const size = equivalent.height * equivalent.width;
        this.equivalentGrids[channel].setShape(equivalent.height, equivalent.width);
        this.equivalentGrids[channel].draw(maskedInputView({
          values: equivalent.values.subarray(channel * size, (channel + 1) * size),
          fromInput: equivalent.fromInput.subarray(channel * size, (channel + 1) * size),
        }));
        setText(this.equivalentPanels[channel].heading, `Zero-inserted, padded input${suffix}`);
        setText(this.equivalentPanels[channel].caption, `${equivalent.height}×${equivalent.width}, padding ${equivalent.padding.join(', ')} (top, left, bottom, right)`);
        this.flippedGrids[channel].setShape(state.kernel, state.kernel);
        this.flippedGrids[channel].draw(outputView({ values: equivalent.flipped.subarray(channel * taps, (channel + 1) * taps), width: state.kernel, name: 'flipped', exact: true }));
        setText(this.flippedPanels[channel].heading, `Flipped kernel${suffix}`);
      }
    }
    this.outputGrid.setShape(result.height, result.width);
    this.outputGrid.draw(outputView({ values: result.output, width: result.width }));
    setText(this.outputPanel.caption, `shape ${formatShape([1, 1, result.height, result.width])}`);
    setLines(this.notes, [presetNote, oneByOneNote(state), ...this.noteLines(state, result, droppedLines(reads, n, n), equivalent)].filter(Boolean), 'p');
    const counts = convParameterCounts(this.cnn, state);
    setText(this.counts, `Weights of this layer (${state.channels} → 1, ${state.kernel}×${state.kernel}, no bias): ${formatCount(counts.layer)}. `
      + `The seed article’s ${SEED_CHANNELS.in} → ${SEED_CHANNELS.out} layer with this kernel: ${formatCount(counts.seed)}. `
      + `This layer on this input: ${formatCount(result.macs)} MACs = ${formatCount(result.flops)} FLOPs.`);
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
      const views = Array.from({ length: state.channels }, (_, channel) => paddedInputView({
        values: input.subarray(channel * plane, (channel + 1) * plane), height: n, width: n, padTop: top, padLeft: left,
        rows: n + top + bottom, cols: n + left + right, padText: '0', unseen: unread,
      }));
      this.inputViewCache = { input, key, views };
    }
    return this.inputViewCache.views;
  }

  noteLines(state, result, dropped, equivalent) {
    const lines = [];
    const same = samePaddingNote(state, result);
    if (same) lines.push(same);
    if (state.mode === 'standard' && (dropped.rows.length || dropped.cols.length)) {
      lines.push(`The division is not exact, and floor drops what no full window reaches: input rows ${dropped.rows.join(', ') || 'none'}, columns ${dropped.cols.join(', ') || 'none'} are never read (hatched).`);
    } else if (state.mode === 'standard') {
      lines.push('Every input row and column is read by some window.');
    }
    if (state.mode === 'transposed') {
      lines.push('output_padding adds rows and columns at the bottom and right only. With stride > 1 several input sizes of a convolution give the same output size; output_padding picks which one this transposed convolution restores.');
      if (equivalent?.error) lines.push(`Equivalent convolution unavailable: ${equivalent.error}`);
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
    const partials = !transposed && state.channels > 1 ? channelPartials(this.cnn, state, input, weights, row, col) : null;
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
      const usedTaps = transposed ? new Map(terms.map((term) => [`${term.kernel_row},${term.kernel_col}`, 'win'])) : new Map();
      this.kernelGrids[channel].mark(cellMarks(usedTaps, state.kernel));
      if (equivalentTerms) {
        this.equivalentGrids[channel].mark(cellMarks(windowMarks(equivalentTerms.filter((term) => term.channel === channel)), equivalent.width));
      }
    }
    const fed = selectedRow >= 0 ? outputsReading(this.cnn, state, selectedRow, selectedCol) : new Set();
    this.outputGrid.setActive(index);
    this.outputGrid.mark(stepMarks({ count: result.output.length, current: index, fed }));
    const lines = stepExplanation(state, row, col, traced, partials);
    if (transposed && selectedRow >= 0) {
      lines.unshift(scatterLine(selectedRow, selectedCol, input[selectedRow * n + selectedCol], fed, index));
    }
    setTermLines(this.stepLines, lines, !this.stepper.playing || this.stepper.stepsPerSecond <= 2); // motion: controls.js
    this.transport.sync();
    this.announce(concealing(this, 'output-size') ? 'Predict the output size first: the steps are read out once it is revealed.' : lines[lines.length - 1]);
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
    this.commit({ weightEdits: withEdit(this.state.weightEdits, baseWeights(this.state, this.cnn).weights, channel * taps + index, value) });
  }

  resize(width) {
    if (!this.outputGrid) return;
    for (const grid of [...this.inputGrids, ...this.kernelGrids, ...this.equivalentGrids, ...this.flippedGrids, this.outputGrid]) grid.fit(width);
  }

  exerciseAnswer(kind) {
    if (kind === 'params') return parameterExercise(this.cnn, this.state);
    return outputSizeExercise(this.cnn, this.state, this.model?.result);
  }
}

CnnConv.define('cnn-conv');
