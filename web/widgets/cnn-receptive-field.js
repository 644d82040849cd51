// <cnn-receptive-field>: a stack of conv and pool layers, its per-layer table (output size,
// RF, jump, start, parameters), the receptive field of one output pixel drawn over a photo at
// the stack's input size (growing as the learner steps through the layers, holes included,
// padding hatched), and RF against depth for the stack and an alternative.
//
// With exercise="rf" the question is the last layer's RF. Until it is answered or revealed, the
// photo, the output map and the ring where the chosen pixel looks stay in view; the square, its
// size and the table's RF, jump and start columns are hidden for every layer but the first (whose
// field is its kernel, already in the editor), and so is the plot. The learner sees where the
// pixel looks, and predicts how far.
//
// Attributes (reflected; see receptive-field-model.js RF_SCHEMA and the README table):
//   preset="resnet18|five-vs-three|vgg|dilated|holes|custom" layers="c7s2p3o64,p3s2p1,…"
//   compare="…" (the alternative stack) size in-channels step pixel="row,col"
//   plus the shared url-state, hide, lock, exercise="rf", loading.
// Events: cnn-change, cnn-ready.  Parts: editor, table, field, map, plot, exercise.
import { CnnElement } from './base-element.js';
import { Stepper } from './stepper.js';
import { COLORS, PLAY_SPEEDS, SIZES } from './palette.js';
import { concealing } from './exercise.js';
import { plotGeometry, renderPlot } from './plot.js';
import { drawInputField, drawOutputMap } from './field-canvas.js';
import { sharpCanvas, themeColors } from './grid.js';
import {
  RF_SCHEMA,
  RF_PRESETS,
  LAYER_LIMITS,
  MAX_LAYERS,
  stacksOf,
  formatLayers,
  layerTable,
  pixelSpan,
  pathCounts,
  photoAt,
  receptiveFieldExercise,
} from './receptive-field-model.js';
import { rangeControl, selectControl, transport, panel, button, h } from './controls.js';

const CSS = `
.editor td, .editor th { padding: 0.1rem 0.25rem; }
.editor input { width: 3.4rem; }
.editor select { max-width: 6rem; }
canvas { display: block; touch-action: none; }
canvas:focus-visible { outline: 2px solid var(--cnn-accent, var(--default-accent)); outline-offset: 2px; }
.plot { width: 100%; max-width: ${SIZES.plotWidthPx}px; height: auto; color: var(--cnn-ink, var(--default-ink)); }
td:has(> .concealed) { position: relative; }
td:has(> .concealed)::after { content: '?'; position: absolute; inset: 0; display: flex; align-items: center; justify-content: flex-end; padding: inherit; color: var(--cnn-muted, var(--default-muted)); }
.field-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin: var(--space-2) 0 0; padding: 0; list-style: none; font-size: var(--text-small); }
.field-legend li { display: inline-flex; gap: 0.35rem; align-items: center; }
.field-legend li > span { flex: none; width: 14px; height: 14px; border: 1px solid var(--cnn-rule, var(--default-rule)); }
.swatch-reached { background: var(--cnn-reached, var(--default-reached)); }
.swatch-faded { background: color-mix(in srgb, var(--cnn-paper, var(--default-paper)) 60%, #808080); }
.swatch-padding { background: repeating-linear-gradient(135deg, color-mix(in srgb, var(--cnn-padding, var(--default-padding)) 60%, var(--cnn-paper, var(--default-paper))) 0 2px, var(--cnn-paper, var(--default-paper)) 2px 4px); }
.swatch-square { border: 2px solid var(--cnn-accent, var(--default-accent)) !important; }
.panel > .field-legend, .panel > .credit { width: 0; min-width: 100%; }
.credit { color: var(--cnn-muted, var(--default-muted)); font-size: var(--text-small); margin: var(--space-1) 0 0; }
`;

const FIELDS = ['kernel', 'stride', 'padding', 'dilation', 'channels'];

export class CnnReceptiveField extends CnnElement {
  static schema = RF_SCHEMA;
  static label = 'rf.label'; // the host's accessible name (base-element.js); message keys (web/i18n)
  static css = CSS;
  static exercises = { rf: 'rf.exercise' };
  static keepsAnswer = ['step', 'pixel']; // the answer is the stack's: looking elsewhere keeps it shown

  build() {
    const t = this.t;
    this.stepper = new Stepper({
      onStep: (index) => this.commit({ step: index + 1, pixel: null }),
      onPlayChange: () => this.transport.sync(),
    });
    this.controls = {
      preset: selectControl({
        name: 'preset',
        label: t('rf.stack'),
        options: [
          ...Object.entries(RF_PRESETS).map(([name, preset]) => [name, t(preset.label)]),
          ['custom', t('rf.preset.custom')],
        ],
        onInput: (preset) => this.commit({ preset, layers: '', compare: '', step: MAX_LAYERS, pixel: null }),
      }),
      size: rangeControl({
        name: 'size',
        label: t('shared.input-size'),
        min: RF_SCHEMA.size.min,
        max: RF_SCHEMA.size.max,
        step: 8,
        onInput: (size) => this.commit({ size, pixel: null }),
      }),
    };
    this.transport = transport(this.stepper, PLAY_SPEEDS, t('rf.steps'), t);
    this.editorBody = h('tbody');
    this.editor = h(
      'div',
      'scroll',
      h(
        'table',
        'editor',
        h(
          'thead',
          '',
          this.headerRow([
            '#',
            ...['layer', 'kernel', 'stride', 'padding', 'dilation', 'out-channels'].map((name) =>
              t(`rf.column.${name}`),
            ),
            '',
          ]),
        ),
        this.editorBody,
      ),
      h(
        'div',
        'transport',
        button(t('rf.add-conv'), t('rf.add-conv-title'), () =>
          this.editLayers((layers) =>
            layers.push({ kind: 'conv', kernel: 3, stride: 1, padding: 1, dilation: 1, channels: 64 }),
          ),
        ),
        button(t('rf.add-pool'), t('rf.add-pool-title'), () =>
          this.editLayers((layers) =>
            layers.push({ kind: 'pool', kernel: 2, stride: 2, padding: 0, dilation: 1, channels: null }),
          ),
        ),
      ),
    );
    this.editor.dataset.control = 'editor';
    this.editor.setAttribute('part', 'editor');
    this.tableBody = h('tbody');
    this.table = h(
      'div',
      'scroll',
      h(
        'table',
        '',
        h(
          'thead',
          '',
          this.headerRow([
            '#',
            ...['layer', 'output', 'rf', 'jump', 'start', 'params'].map((name) => t(`rf.column.${name}`)),
          ]),
        ),
        this.tableBody,
      ),
    );
    this.table.setAttribute('part', 'table');
    this.error = h('p', 'error');

    this.fieldCanvas = h('canvas');
    this.fieldCanvas.setAttribute('role', 'img');
    this.mapCanvas = h('canvas');
    this.mapCanvas.tabIndex = 0;
    this.mapCanvas.setAttribute('role', 'img');
    this.mapCanvas.addEventListener('click', (event) => this.pickPixel(event));
    this.mapCanvas.addEventListener('keydown', (event) => this.movePixel(event));
    this.fieldPanel = panel(t('rf.panel-field'), this.fieldCanvas, 'field');
    const legend = h(
      'ul',
      'field-legend',
      ...['reached', 'faded', 'padding', 'square'].map((name) =>
        h('li', '', h('span', `swatch-${name}`), t(`rf.legend.${name}`)),
      ),
    );
    for (const swatch of legend.querySelectorAll('li > span')) swatch.setAttribute('aria-hidden', 'true');
    this.fieldPanel.element.append(legend, h('p', 'credit', t('rf.photo-credit')));
    this.mapPanel = panel(t('rf.panel-map'), this.mapCanvas, 'map');
    this.plot = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.plot.classList.add('plot');
    this.plot.setAttribute('role', 'img');
    this.plotPanel = panel(t('rf.panel-plot'), this.plot, 'plot');
    this.plotPanel.element.dataset.reveal = 'rf';

    this.shadowRoot.append(
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.editor,
      this.error,
      this.transport.element,
      this.table,
      h('div', 'panels', this.fieldPanel.element, this.mapPanel.element, this.plotPanel.element),
    );
  }

  headerRow(names) {
    return h('tr', '', ...names.map((name, column) => h('th', column === 1 ? 'text' : '', name)));
  }

  update(state, changed) {
    this.controls.preset.write(state.preset);
    this.controls.size.write(state.size);
    const t = this.t;
    const { main, compare } = stacksOf(state, t);
    this.stack = main.layers ?? [];
    this.alternative = compare.layers ?? [];
    const viewOnly = [...changed].every((name) => name === 'step' || name === 'pixel');
    if (!viewOnly || !this.mainTable) {
      this.drawEditor();
      this.mainTable = main.error
        ? { rows: [], error: null }
        : layerTable(this.cnn, this.stack, state.size, state.inChannels, t);
      this.compareTable =
        compare.error || !this.alternative.length
          ? null
          : layerTable(this.cnn, this.alternative, state.size, state.inChannels, t);
      const errors = [
        main.error,
        compare.error && t('rf.alternative-error', { reason: compare.error }),
        this.mainTable.error,
      ].filter(Boolean);
      this.error.textContent = errors.join(' ');
      this.error.hidden = errors.length === 0;
      this.drawPlot();
    }
    const rows = this.mainTable.rows;
    this.stepper.resize(rows.length);
    this.stepper.index = Math.max(0, Math.min(state.step, rows.length) - 1);
    this.drawTable(rows);
    this.transport.sync();
  }

  /** The field is drawn once refresh has settled whether the answer is hidden (after update). */
  refreshExercise() {
    super.refreshExercise();
    if (this.mainTable) this.drawField(this.state, this.mainTable.rows);
  }

  /** Whether layer `depth`'s field is hidden: every layer's while the question is open, but the first of several (its kernel). */
  fieldHidden(depth, rows) {
    return concealing(this, 'rf') && !(depth === 1 && rows.length > 1);
  }

  drawEditor() {
    const lock = (this.getAttribute('lock') ?? '').split(/[\s,]+/).includes('editor');
    this.editorBody.replaceChildren(
      ...this.stack.map((layer, index) => {
        const kind = h('select');
        kind.append(new Option(this.t('rf.kind.conv'), 'conv'), new Option(this.t('rf.kind.pool'), 'pool'));
        kind.value = layer.kind;
        kind.setAttribute('aria-label', this.t('rf.kind-label', { index: index + 1 }));
        kind.addEventListener('change', () =>
          this.editLayers((layers) => {
            layers[index] = { ...layers[index], kind: kind.value, channels: kind.value === 'conv' ? 64 : null };
          }),
        );
        const cells = FIELDS.map((field) => {
          if (field === 'channels' && layer.kind !== 'conv') return h('td', '', '—');
          const input = h('input');
          const [low, high] = LAYER_LIMITS[field];
          Object.assign(input, { type: 'number', min: String(low), max: String(high), value: String(layer[field]) });
          const fieldName = this.t(`rf.field.${field}`);
          input.setAttribute('aria-label', this.t('rf.field-label', { index: index + 1, field: fieldName }));
          input.addEventListener('change', () => {
            const value = Number(input.value);
            const valid = Number.isInteger(value) && value >= low && value <= high;
            input.setCustomValidity(
              valid ? '' : this.t('shared.integer-range', { name: fieldName, min: low, max: high }),
            );
            if (valid)
              this.editLayers((layers) => {
                layers[index][field] = value;
              });
            else input.reportValidity();
          });
          return h('td', '', input);
        });
        const moves = h(
          'td',
          '',
          button('↑', this.t('rf.move-up', { index: index + 1 }), () =>
            this.editLayers((layers) => layers.splice(index - 1, 0, ...layers.splice(index, 1))),
          ),
          button('↓', this.t('rf.move-down', { index: index + 1 }), () =>
            this.editLayers((layers) => layers.splice(index + 1, 0, ...layers.splice(index, 1))),
          ),
          button('✕', this.t('rf.remove', { index: index + 1 }), () =>
            this.editLayers((layers) => layers.splice(index, 1)),
          ),
        );
        const [up, down, remove] = moves.children;
        up.disabled = index === 0;
        down.disabled = index === this.stack.length - 1;
        remove.disabled = this.stack.length === 1;
        const row = h('tr', '', h('td', '', String(index + 1)), h('td', '', kind), ...cells, moves);
        if (lock) for (const field of row.querySelectorAll('input, select, button')) field.disabled = true;
        return row;
      }),
    );
  }

  editLayers(change) {
    const layers = this.stack.map((layer) => ({ ...layer }));
    change(layers);
    if (!layers.length || layers.length > MAX_LAYERS) return;
    this.commit({
      layers: formatLayers(layers),
      compare: formatLayers(this.alternative),
      preset: 'custom',
      pixel: null,
    });
  }

  drawTable(rows) {
    const current = this.stepper.index;
    this.tableBody.replaceChildren(
      ...rows.map((row, index) => {
        const tr = h(
          'tr',
          '',
          ...[
            index + 1,
            row.name,
            `${row.outSize}×${row.outSize}`,
            row.rf,
            row.jump,
            row.start,
            this.formatNumber(row.params),
          ].map((value, column) => h('td', column === 1 ? 'text' : '', h('span', '', String(value)))),
        );
        // RF, jump and start: hidden with the answer (the cell keeps its row's highlight), but layer 1's of several.
        if (this.exerciseForm?.kind === 'rf' && !(index === 0 && rows.length > 1))
          for (const cell of [...tr.cells].slice(3, 6)) cell.firstChild.dataset.reveal = 'rf';
        tr.setAttribute('aria-current', String(index === current));
        return tr;
      }),
    );
  }

  colors() {
    return themeColors(this);
  }

  /**
   * The photo with the chosen output pixel's field over it. Every number from the core (model):
   * the span, the path counts, the margin, the RF and jump; the canvas carries them in data-*
   * attributes, and this.fieldView in CSS px, only while they are shown (tests read both).
   */
  drawField(state, rows) {
    if (!rows.length) return;
    const depth = this.stepper.index + 1;
    const layers = this.stack.slice(0, depth);
    const outSize = rows[depth - 1].outSize;
    const centre = Math.floor(outSize / 2);
    const [row, col] =
      state.pixel?.length === 2
        ? state.pixel.map((value) => Math.min(outSize - 1, Math.max(0, value)))
        : [centre, centre];
    this.pickedPixel = [row, col, outSize];
    const hidden = this.fieldHidden(depth, rows);
    const span = [pixelSpan(this.cnn, layers, row), pixelSpan(this.cnn, layers, col)];
    const counts = hidden ? null : pathCounts(this.cnn, layers, state.size, row, col);
    if (this.photoSize !== state.size) {
      this.photo = photoAt(this.cnn, state.size);
      this.photoSize = state.size;
    }
    const { rf, jump } = rows[depth - 1];
    const t = this.t;
    const edge = Math.min(SIZES.canvasPx, Math.max(160, (this.width ?? SIZES.canvasPx) - 24));
    const colors = this.colors();
    const drawn = drawInputField(sharpCanvas(this.fieldCanvas, edge), {
      size: state.size,
      photo: this.photo,
      counts,
      span,
      showSquare: !hidden,
      label: hidden ? t('rf.square-hidden') : t('rf.square-size', { rf }),
      // How far the square runs past the photo (none while hidden: its width would tell the size).
      margin: hidden
        ? 0
        : Math.max(0, -span[0][0], -span[1][0], span[0][1] - (state.size - 1), span[1][1] - (state.size - 1)),
      edgePx: edge,
      colors,
    });
    drawOutputMap(sharpCanvas(this.mapCanvas, Math.min(edge, 200)), {
      size: outSize,
      row,
      col,
      edgePx: Math.min(edge, 200),
      colors,
    });
    this.fieldView = {
      depth,
      row,
      col,
      outSize,
      hidden,
      ...(hidden ? {} : { span, rf, square: drawn.square, photoPx: drawn.photoPx }),
    };
    Object.assign(this.fieldCanvas.dataset, { depth: String(depth), pixel: `${row},${col}` });
    if (hidden) {
      delete this.fieldCanvas.dataset.span;
      delete this.fieldCanvas.dataset.rf;
    } else {
      this.fieldCanvas.dataset.span = span.flat().join(',');
      this.fieldCanvas.dataset.rf = String(rf);
    }
    this.mapPanel.heading.textContent = t('rf.map-heading', { depth, size: outSize });
    this.mapCanvas.setAttribute('aria-label', t('rf.map-label', { depth, row, col }));
    if (hidden) {
      const text = t('rf.field-hidden', { depth, row, col });
      this.fieldPanel.caption.textContent = text;
      this.fieldCanvas.setAttribute('aria-label', `${t('rf.photo-alt', { size: state.size })} ${text}`);
      this.announce(t('rf.predict', { depth, row, col }));
      return;
    }
    let reached = 0;
    for (const count of counts) if (count) reached++;
    const summary = t(reached < rf * rf ? 'rf.summary-holes' : 'rf.summary', {
      depth,
      row,
      col,
      top: span[0][0],
      bottom: span[0][1],
      left: span[1][0],
      right: span[1][1],
      rf,
      jump,
      reached: this.formatNumber(reached),
    });
    this.fieldPanel.caption.textContent = summary;
    this.fieldCanvas.setAttribute('aria-label', `${t('rf.photo-alt', { size: state.size })} ${summary}`);
    this.announce(summary);
  }

  drawPlot() {
    const t = this.t;
    const series = [{ label: t('rf.series-main'), solid: true, points: this.rfPoints(this.mainTable.rows) }];
    if (this.compareTable?.rows.length)
      series.push({ label: t('rf.series-alternative'), solid: false, points: this.rfPoints(this.compareTable.rows) });
    const width = SIZES.plotWidthPx;
    const height = SIZES.plotHeightPx;
    const styles = [
      { color: COLORS.accent, dash: '', marker: 'circle' },
      { color: COLORS.window, dash: '6 4', marker: 'square' },
    ];
    renderPlot(this.plot, plotGeometry(series, width, height), styles, {
      xLabel: t('rf.plot-x'),
      yLabel: t('rf.plot-y'),
      width,
      height,
      pointTitle: (label, depth, rf) => t('rf.plot-point', { label, depth, rf }),
    });
    const last = (points) => points[points.length - 1]?.y;
    this.plotPanel.caption.textContent = series
      .map((line) =>
        t(line.solid ? 'rf.plot-line-solid' : 'rf.plot-line-dashed', {
          label: line.label,
          rf: last(line.points),
          count: line.points.length - 1,
        }),
      )
      .join(t('rf.plot-separator'));
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
    this.commit({
      pixel: [Math.min(outSize - 1, Math.max(0, row + dRow)), Math.min(outSize - 1, Math.max(0, col + dCol))],
    });
  }

  resize() {
    if (this.mainTable) this.drawField(this.state, this.mainTable.rows);
  }

  exerciseAnswer() {
    return receptiveFieldExercise(this.cnn, this.stack ?? [], this.mainTable?.rows ?? [], this.t);
  }
}

CnnReceptiveField.define('cnn-receptive-field');
