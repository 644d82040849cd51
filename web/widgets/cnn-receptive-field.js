// <cnn-receptive-field>: a stack of conv and pool layers, its per-layer table (output size,
// RF, jump, start, parameters), the receptive field of one output pixel drawn on the input
// (growing as the learner steps through the layers, holes included), and RF against depth for
// the stack and an alternative.
//
// Attributes (reflected; see receptive-field-model.js RF_SCHEMA and the README table):
//   preset="resnet18|five-vs-three|vgg|dilated|holes|custom" layers="c7s2p3o64,p3s2p1,…"
//   compare="…" (the alternative stack) size in-channels step pixel="row,col"
//   plus the shared url-state, hide, lock, exercise="rf", loading.
// Events: cnn-change, cnn-ready.  Parts: editor, table, field, map, plot, exercise.
import { CnnElement } from './base-element.js';
import { Stepper } from './stepper.js';
import { COLORS, PLAY_SPEEDS, SIZES } from './palette.js';
import { formatCount } from './format.js';
import { concealing } from './exercise.js';
import { plotGeometry, renderPlot } from './plot.js';
import { drawInputField, drawOutputMap, sizeCanvas } from './field-canvas.js';
import { themeColors } from './grid.js';
import {
  RF_SCHEMA, RF_PRESETS, LAYER_LIMITS, MAX_LAYERS, stacksOf, formatLayers, layerTable, pixelSpan, pathCounts, receptiveFieldExercise,
} from './receptive-field-model.js';
import { rangeControl, selectControl, transport, panel, button, h } from './controls.js';

const CSS = `
.editor td, .editor th { padding: 0.1rem 0.25rem; }
.editor input { width: 3.4rem; }
.editor select { max-width: 6rem; }
canvas { display: block; touch-action: none; }
canvas:focus-visible { outline: 2px solid var(--cnn-accent, var(--default-accent)); outline-offset: 2px; }
.plot { width: 100%; max-width: ${SIZES.plotWidthPx}px; height: auto; color: var(--cnn-ink, var(--default-ink)); }
`;

const FIELDS = ['kernel', 'stride', 'padding', 'dilation', 'channels'];

export class CnnReceptiveField extends CnnElement {
  static schema = RF_SCHEMA;
  static label = 'Receptive-field explorer'; // the host's accessible name (base-element.js)
  static css = CSS;
  static exercises = { rf: 'the receptive field of the last layer (pixels per side)' };

  build() {
    this.stepper = new Stepper({ onStep: (index) => this.commit({ step: index + 1, pixel: null }), onPlayChange: () => this.transport.sync() });
    this.controls = {
      preset: selectControl({
        name: 'preset', label: 'Stack',
        options: [...Object.entries(RF_PRESETS).map(([name, preset]) => [name, preset.label]), ['custom', 'Custom']],
        onInput: (preset) => this.commit({ preset, layers: '', compare: '', step: MAX_LAYERS, pixel: null }),
      }),
      size: rangeControl({ name: 'size', label: 'Input size', min: RF_SCHEMA.size.min, max: RF_SCHEMA.size.max, step: 8, onInput: (size) => this.commit({ size, pixel: null }) }),
    };
    this.transport = transport(this.stepper, PLAY_SPEEDS, 'Layer steps');
    this.editorBody = h('tbody');
    this.editor = h('div', 'scroll',
      h('table', 'editor', h('thead', '', this.headerRow(['#', 'layer', 'kernel', 'stride', 'padding', 'dilation', 'out ch.', ''])), this.editorBody),
      h('div', 'transport', button('+ conv', 'Add a conv layer', () => this.editLayers((layers) => layers.push({ kind: 'conv', kernel: 3, stride: 1, padding: 1, dilation: 1, channels: 64 }))),
        button('+ pool', 'Add a max-pool layer', () => this.editLayers((layers) => layers.push({ kind: 'pool', kernel: 2, stride: 2, padding: 0, dilation: 1, channels: null })))));
    this.editor.dataset.control = 'editor';
    this.editor.setAttribute('part', 'editor');
    this.tableBody = h('tbody');
    this.table = h('div', 'scroll', h('table', '', h('thead', '', this.headerRow(['#', 'layer', 'output', 'RF', 'jump', 'start', 'params'])), this.tableBody));
    this.table.setAttribute('part', 'table');
    this.table.dataset.reveal = 'rf';
    this.error = h('p', 'error');

    this.fieldCanvas = h('canvas');
    this.fieldCanvas.setAttribute('role', 'img');
    this.mapCanvas = h('canvas');
    this.mapCanvas.tabIndex = 0;
    this.mapCanvas.setAttribute('role', 'img');
    this.mapCanvas.addEventListener('click', (event) => this.pickPixel(event));
    this.mapCanvas.addEventListener('keydown', (event) => this.movePixel(event));
    this.fieldPanel = panel('Input: the receptive field', this.fieldCanvas, 'field');
    this.fieldPanel.element.dataset.reveal = 'rf';
    this.mapPanel = panel('Output of the layer: pick a pixel', this.mapCanvas, 'map');
    this.plot = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.plot.classList.add('plot');
    this.plot.setAttribute('role', 'img');
    this.plotPanel = panel('Receptive field against depth', this.plot, 'plot');
    this.plotPanel.element.dataset.reveal = 'rf';

    this.shadowRoot.append(
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.editor,
      this.error,
      this.transport.element,
      this.table,
      h('div', 'panels', this.mapPanel.element, this.fieldPanel.element, this.plotPanel.element),
    );
  }

  headerRow(names) {
    return h('tr', '', ...names.map((name, column) => h('th', column === 1 ? 'text' : '', name)));
  }

  update(state, changed) {
    this.controls.preset.write(state.preset);
    this.controls.size.write(state.size);
    const { main, compare } = stacksOf(state);
    this.stack = main.layers ?? [];
    this.alternative = compare.layers ?? [];
    const viewOnly = [...changed].every((name) => name === 'step' || name === 'pixel');
    if (!viewOnly || !this.mainTable) {
      this.drawEditor();
      this.mainTable = main.error ? { rows: [], error: null } : layerTable(this.cnn, this.stack, state.size, state.inChannels);
      this.compareTable = compare.error || !this.alternative.length ? null : layerTable(this.cnn, this.alternative, state.size, state.inChannels);
      const errors = [main.error, compare.error && `Alternative stack: ${compare.error}`, this.mainTable.error].filter(Boolean);
      this.error.textContent = errors.join(' ');
      this.error.hidden = errors.length === 0;
      this.drawPlot();
    }
    const rows = this.mainTable.rows;
    this.stepper.resize(rows.length);
    this.stepper.index = Math.max(0, Math.min(state.step, rows.length) - 1);
    this.drawTable(rows);
    this.drawField(state, rows);
    this.transport.sync();
  }

  drawEditor() {
    const lock = (this.getAttribute('lock') ?? '').split(/[\s,]+/).includes('editor');
    this.editorBody.replaceChildren(...this.stack.map((layer, index) => {
      const kind = h('select');
      kind.append(new Option('conv', 'conv'), new Option('max pool', 'pool'));
      kind.value = layer.kind;
      kind.setAttribute('aria-label', `layer ${index + 1} kind`);
      kind.addEventListener('change', () => this.editLayers((layers) => {
        layers[index] = { ...layers[index], kind: kind.value, channels: kind.value === 'conv' ? 64 : null };
      }));
      const cells = FIELDS.map((field) => {
        if (field === 'channels' && layer.kind !== 'conv') return h('td', '', '—');
        const input = h('input');
        const [low, high] = LAYER_LIMITS[field];
        Object.assign(input, { type: 'number', min: String(low), max: String(high), value: String(layer[field]) });
        input.setAttribute('aria-label', `layer ${index + 1} ${field}`);
        input.addEventListener('change', () => {
          const value = Number(input.value);
          const valid = Number.isInteger(value) && value >= low && value <= high;
          input.setCustomValidity(valid ? '' : `${field} must be an integer from ${low} to ${high}`);
          if (valid) this.editLayers((layers) => { layers[index][field] = value; });
          else input.reportValidity();
        });
        return h('td', '', input);
      });
      const moves = h('td', '',
        button('↑', `Move layer ${index + 1} up`, () => this.editLayers((layers) => layers.splice(index - 1, 0, ...layers.splice(index, 1)))),
        button('↓', `Move layer ${index + 1} down`, () => this.editLayers((layers) => layers.splice(index + 1, 0, ...layers.splice(index, 1)))),
        button('✕', `Remove layer ${index + 1}`, () => this.editLayers((layers) => layers.splice(index, 1))));
      const [up, down, remove] = moves.children;
      up.disabled = index === 0;
      down.disabled = index === this.stack.length - 1;
      remove.disabled = this.stack.length === 1;
      const row = h('tr', '', h('td', '', String(index + 1)), h('td', '', kind), ...cells, moves);
      if (lock) for (const field of row.querySelectorAll('input, select, button')) field.disabled = true;
      return row;
    }));
  }

  editLayers(change) {
    const layers = this.stack.map((layer) => ({ ...layer }));
    change(layers);
    if (!layers.length || layers.length > MAX_LAYERS) return;
    this.commit({ layers: formatLayers(layers), compare: formatLayers(this.alternative), preset: 'custom', pixel: null });
  }

  drawTable(rows) {
    const current = this.stepper.index;
    this.tableBody.replaceChildren(...rows.map((row, index) => {
      const tr = h('tr', '', ...[index + 1, row.name, `${row.outSize}×${row.outSize}`, row.rf, row.jump, row.start, formatCount(row.params)]
        .map((value, column) => h('td', column === 1 ? 'text' : '', String(value))));
      tr.setAttribute('aria-current', String(index === current));
      return tr;
    }));
  }

  colors() {
    return themeColors(this);
  }

  drawField(state, rows) {
    if (!rows.length) return;
    const depth = this.stepper.index + 1;
    const layers = this.stack.slice(0, depth);
    const outSize = rows[depth - 1].outSize;
    const centre = Math.floor(outSize / 2);
    const [row, col] = state.pixel?.length === 2 ? state.pixel.map((value) => Math.min(outSize - 1, Math.max(0, value))) : [centre, centre];
    this.pickedPixel = [row, col, outSize];
    const counts = pathCounts(this.cnn, layers, state.size, row, col);
    const span = [pixelSpan(this.cnn, layers, row), pixelSpan(this.cnn, layers, col)];
    const edge = Math.min(SIZES.canvasPx, Math.max(160, (this.width ?? SIZES.canvasPx) - 24));
    const colors = this.colors();
    drawInputField(sizeCanvas(this.fieldCanvas, edge), { size: state.size, counts, span, edgePx: edge, colors });
    drawOutputMap(sizeCanvas(this.mapCanvas, Math.min(edge, 200)), { size: outSize, row, col, edgePx: Math.min(edge, 200), colors });
    let reached = 0;
    for (const count of counts) if (count) reached++;
    const { rf, jump } = rows[depth - 1];
    const summary = `Layer ${depth} output pixel (${row}, ${col}) sees input rows ${span[0][0]} to ${span[0][1]} and columns ${span[1][0]} to ${span[1][1]}: `
      + `RF ${rf}×${rf}, jump ${jump}. ${formatCount(reached)} input pixels reach it${reached < rf * rf ? ' (the rest of the square is padding or holes)' : ''}.`;
    this.fieldPanel.caption.textContent = summary;
    this.fieldCanvas.setAttribute('aria-label', summary);
    this.mapPanel.heading.textContent = `Output of layer ${depth} (${outSize}×${outSize}): pick a pixel`;
    this.mapCanvas.setAttribute('aria-label', `Output map of layer ${depth}; pixel (${row}, ${col}) chosen. Arrow keys move it.`);
    this.announce(concealing(this, 'rf') ? `Layer ${depth} output pixel (${row}, ${col}) chosen: predict its receptive field.` : summary);
  }

  drawPlot() {
    const series = [{ label: 'this stack', points: this.rfPoints(this.mainTable.rows) }];
    if (this.compareTable?.rows.length) series.push({ label: 'alternative', points: this.rfPoints(this.compareTable.rows) });
    const width = SIZES.plotWidthPx;
    const height = SIZES.plotHeightPx;
    const styles = [{ color: COLORS.accent, dash: '', marker: 'circle' }, { color: COLORS.window, dash: '6 4', marker: 'square' }];
    renderPlot(this.plot, plotGeometry(series, width, height), styles, { xLabel: 'depth (layers)', yLabel: 'RF (pixels)', width, height });
    const last = (points) => points[points.length - 1]?.y;
    this.plotPanel.caption.textContent = series.map((line) => `${line.label === 'this stack' ? '● solid' : '■ dashed'}: ${line.label}, RF ${last(line.points)} after ${line.points.length - 1} layers`).join('; ');
    this.plot.setAttribute('aria-label', this.plotPanel.caption.textContent);
  }

  rfPoints(rows) {
    return [{ x: 0, y: 1 }, ...rows.map((row, index) => ({ x: index + 1, y: row.rf }))];
  }

  pickPixel(event) {
    const [, , outSize] = this.pickedPixel;
    const bounds = this.mapCanvas.getBoundingClientRect();
    const col = Math.floor(((event.clientX - bounds.left) / bounds.width) * outSize);
    const row = Math.floor(((event.clientY - bounds.top) / bounds.height) * outSize);
    this.commit({ pixel: [row, col] });
  }

  movePixel(event) {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (!moves[event.key]) return;
    event.preventDefault();
    event.stopPropagation();
    const [row, col, outSize] = this.pickedPixel;
    const [dRow, dCol] = moves[event.key];
    this.commit({ pixel: [Math.min(outSize - 1, Math.max(0, row + dRow)), Math.min(outSize - 1, Math.max(0, col + dCol))] });
  }

  resize() {
    if (this.mainTable) this.drawField(this.state, this.mainTable.rows);
  }

  exerciseAnswer() {
    return receptiveFieldExercise(this.cnn, this.stack ?? [], this.mainTable?.rows ?? []);
  }
}

CnnReceptiveField.define('cnn-receptive-field');
