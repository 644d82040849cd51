// <cnn-train>: the training lab, the seed article's closing exercise. Pick the kernel size,
// stride, padding, pooling, channels and optimizer, see the model's summary, train it on
// 8,000 MNIST digits in a Web Worker (web/train/worker.js) and compare runs side by side;
// then look inside: first-layer kernels, feature maps, the confusion matrix, the misclassified
// digits, the effective receptive field, and a canvas to draw a digit on. A pre-trained model
// answers the canvas before any training.
//
// Attributes (reflected; one per knob of web/train/knobs.js): kernel stride padding pool
//   channels batch-norm optimizer lr momentum weight-decay schedule batch epochs augment seed,
//   plus the shared url-state, hide, lock, loading (base-element.js).
// The worker (with the digits and the pre-trained model) starts on Start, on the drawing pad or
// the test-digit field; the chart library loads on Start. Nothing heavy loads on scroll.
// Events: cnn-change (a knob), cnn-ready, cnn-run (detail: the finished run's record, runs.js).
// Parts: controls, summary, progress, charts, runs, analysis, draw.
//
// Language and theme: every text comes from the catalogues (web/i18n, section lab) in the lab's
// language (lang attribute, else the page's). The lab holds more than its attributes (the runs,
// the charts' curves, a run in progress, the drawing, the worker and what it last sent), so a
// change of language rebuilds the shadow DOM from that kept state: nothing is lost and the
// worker goes on. The worker writes English: its errors are translated here by their kind.
// Pictures (digits, maps, the receptive field, the pad, the charts' axes) are painted in the
// theme's colours and painted again when the theme changes (theme attribute, reader's setting).
import { CnnElement } from './base-element.js';
import { button, h, panel, selectControl, checkboxControl, numberControl, table } from './controls.js';
import { followTheme, themeColors } from './grid.js';
import {
  attributeOf,
  CHOICES,
  controlKind,
  english,
  LAB_KNOBS,
  fasterKernelExercise,
  knobsOf,
  labColumns,
  RACE,
  TRAIN_SCHEMA,
  trainingNote,
} from './cnn-train-model.js';
import { RunCharts } from './cnn-train-charts.js';
import {
  channelGrid,
  confusionTable,
  digitCanvas,
  fieldCanvas,
  kernelGrid,
  probabilityBars,
} from './cnn-train-views.js';
import { CATALOGUES, formatFixed } from '../i18n/index.js';
import { buildModel, describeModel } from '../train/model.js';
import { runConfig, runsCsv } from '../train/runs.js';

const UPLOT_CSS = new URL('../vendor/uplot/uPlot.min.css', import.meta.url);
const DRAW_SIDE = 280; // drawing canvas pixels; shown at DRAW_CSS_PX
const DRAW_CSS_PX = 224;
const STROKE_PX = 20;
const ERF_DIGITS = 64; // test digits the worker averages the effective receptive field over (session.js)
const TEST_DIGITS = 2000; // the test set the confusion matrix counts
const CSV_NAME = 'cnn-train-runs.csv';

const CSS = `
.lab-row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.status { font-family: var(--cnn-mono, monospace); font-size: 0.85rem; }
progress { width: 100%; max-width: 40rem; }
.summary-table td, .summary-table th, .confusion td, .confusion th { padding: 0.1rem 0.4rem; text-align: right; font-size: 0.8rem; }
.confusion td.diagonal { font-weight: 700; }
.map-grid { display: flex; flex-wrap: wrap; gap: 3px; max-width: 40rem; }
.maps { margin: 0.3rem 0; }
figure { margin: 0.3rem 0; }
.field-stack { position: relative; width: max-content; }
.field-stack canvas:first-child { outline: 1px solid var(--cnn-rule, var(--default-rule)); }
.field-stack canvas + canvas { position: absolute; left: 0; top: 0; }
.pad-box { position: relative; width: ${DRAW_CSS_PX}px; height: ${DRAW_CSS_PX}px; }
.pad { display: block; touch-action: none; cursor: crosshair; border-radius: 4px;
  border: 2px dashed var(--cnn-muted, var(--default-muted)); background: var(--cnn-paper, var(--default-paper)); }
.pad-hint { position: absolute; inset: 0; display: flex; flex-direction: column; justify-content: center; align-items: center; gap: 0.4rem;
  pointer-events: none; text-align: center; padding: 1rem; color: var(--cnn-muted, var(--default-muted)); font-size: 1rem; }
.pad-hint::before { content: "✎"; font-size: 2rem; line-height: 1; }
.pad-box + .transport { margin-top: var(--space-2); }
.bars { min-width: 14rem; font-size: 0.8rem; }
.bar-row { display: grid; grid-template-columns: 2.2rem 1fr 3.2rem; gap: 0.3rem; align-items: center; }
.bar-row.predicted { font-weight: 700; }
.bar-track { background: color-mix(in srgb, var(--cnn-ink, var(--default-ink)) 10%, var(--cnn-paper, var(--default-paper))); height: 0.8rem; }
.bar { display: block; height: 100%; background: var(--cnn-accent, var(--default-accent)); }
.mistakes { display: flex; flex-wrap: wrap; gap: 0.4rem; max-width: 44rem; }
.mistakes figure { margin: 0; font-size: 0.75rem; text-align: center; }
.runs-box { max-width: 100%; min-width: 0; }
.runs-box table { border-collapse: collapse; font-size: 0.8rem; }
.runs-box th, .runs-box td { padding: 0.15rem 0.45rem; text-align: right; white-space: nowrap; }
.runs-box tr > :nth-child(-n+2) { position: sticky; background: var(--cnn-paper, var(--default-paper)); text-align: left; z-index: 1; }
.runs-box tr > :nth-child(1) { left: 0; }
.runs-box tr > :nth-child(2) { left: 2.2rem; }
.runs-box th.key, .runs-box td.key { font-weight: 600; }
/* Tables wider than the lab (the runs, the summary, the confusion matrix at 360 px) scroll in their own
   box: a shadow at the right edge while columns wait there (it scrolls away at the end), and, for the runs, a line saying so. */
.scroll {
  scrollbar-width: thin; scrollbar-color: var(--cnn-muted, var(--default-muted)) transparent;
  background:
    linear-gradient(to left, var(--cnn-paper, var(--default-paper)) 40%, transparent) right / 2.5rem 100% no-repeat local,
    radial-gradient(farthest-side at 100% 50%, color-mix(in srgb, var(--cnn-ink, var(--default-ink)) 35%, transparent), transparent) right / 1rem 100% no-repeat scroll;
}
.scroll:focus-visible { outline: 2px solid var(--cnn-accent, var(--default-accent)); outline-offset: 2px; }
.run-legend { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.3rem 0; }
.run-legend button, .run-legend button[aria-pressed="true"] { background: var(--cnn-paper, var(--default-paper)); color: var(--cnn-ink, var(--default-ink)); font-size: 0.8rem; }
.run-legend button[aria-pressed="false"] { opacity: 0.5; text-decoration: line-through; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
.scatter { max-width: 100%; height: auto; }
.warning { border-left: 3px solid var(--cnn-error, var(--default-error)); padding-left: 0.5rem; }
.uplot { color: var(--cnn-ink, var(--default-ink)); }
`;

/** '#rrggbb', rgb(…) or any CSS colour → [r, g, b], through a canvas's own parser. */
let colorContext = null;
function parseColor(text) {
  colorContext ??= document.createElement('canvas').getContext('2d');
  colorContext.fillStyle = '#000';
  colorContext.fillStyle = text;
  const parsed = colorContext.fillStyle;
  if (parsed.startsWith('#')) return [1, 3, 5].map((at) => parseInt(parsed.slice(at, at + 2), 16));
  return parsed
    .match(/[\d.]+/g)
    .slice(0, 3)
    .map(Number);
}

/** A table's scroll box as a named tab stop: keyboard users scroll it with the arrow keys when it is wider than the lab. */
function scrollRegion(box, name) {
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', name);
  return box;
}

export class CnnTrain extends CnnElement {
  static schema = TRAIN_SCHEMA;
  static label = 'lab.label'; // the host's accessible name (base-element.js); message keys (web/i18n)
  static css = CSS;
  static exercises = { faster: english('lab.exercise.faster', { first: RACE[0], second: RACE[1] }) };

  constructor() {
    super();
    // What the lab keeps across a change of language or theme (build() draws from it).
    this.runs = []; // records of the finished runs (runs.js)
    this.runCharts = new RunCharts(() => this.ui()); // every run's curves
    this.running = false;
    this.kept = {
      status: () => this.t('lab.status.idle'), // the status line, written when shown
      progress: 0,
      paused: false,
      digit: 0,
      analysis: null,
      features: null,
      prediction: null, // the worker's last messages of each kind
    };
    this.padEmpty = true;
  }

  /** What the views draw with: the lab's language and its theme as it is now. */
  ui() {
    const colors = Object.fromEntries(
      Object.entries(themeColors(this)).map(([name, value]) => [name, parseColor(value)]),
    );
    return {
      t: (key, vars) => this.t(key, vars),
      colors,
      fixed: (value, decimals) => formatFixed(this.language, value, decimals),
    };
  }

  build() {
    if (!this.followingTheme) {
      followTheme(this);
      this.followingTheme = true;
    }
    this.controls = Object.fromEntries(LAB_KNOBS.map((knob) => [knob.name, this.controlFor(knob)]));
    const controlRow = h('div', 'controls', ...Object.values(this.controls).map((control) => control.element));
    controlRow.setAttribute('part', 'controls');

    this.summary = h('div', '');
    this.summaryError = h('p', 'error');
    this.warning = h('p', 'note warning');
    this.warning.hidden = true;
    const summaryPanel = panel(
      this.t('lab.summary.title'),
      h('div', '', this.summaryError, this.summary, this.warning),
      'summary',
    );

    this.startButton = button(this.t('lab.start'), this.t('lab.start'), () => this.startRun());
    this.pauseButton = button(this.t('lab.pause'), this.t('lab.pause.label'), () => this.togglePause());
    this.stopButton = button(this.t('lab.stop'), this.t('lab.stop.label'), () =>
      this.worker?.postMessage({ type: 'stop' }),
    );
    this.progress = h('progress');
    this.progress.max = 1;
    this.progress.value = this.kept.progress;
    this.status = h('p', 'status');
    const transport = h('div', 'transport', this.startButton, this.pauseButton, this.stopButton);
    const progressPanel = h('div', '', transport, this.progress, this.status);
    progressPanel.setAttribute('part', 'progress');

    this.charts = this.runCharts.element;
    this.charts.setAttribute('part', 'charts');
    this.runCharts.relabel();
    this.runsBody = h('div', 'runs-box');
    this.runsScrollHint = h('p', 'note runs-hint', this.t('lab.runs.scroll'));
    this.runsScrollHint.hidden = true;
    const exportButton = button(this.t('lab.runs.export'), this.t('lab.runs.export.label'), () => this.exportRuns());
    const runsPanel = panel(
      this.t('lab.runs.title'),
      h('div', '', this.runsBody, this.runsScrollHint, exportButton),
      'runs',
    );
    runsPanel.element.classList.add('runs-box');

    this.analysis = h('div', '');
    this.analysis.setAttribute('part', 'analysis');
    this.digitField = numberControl({
      name: 'digit',
      label: this.t('lab.digit.label'),
      min: 0,
      max: TEST_DIGITS - 1,
      onInput: (digit) => {
        this.kept.digit = digit;
        this.startWorker().postMessage({ type: 'inspect', digit });
      },
    });
    this.features = h('div', '');

    this.digitField.write(this.kept.digit);
    const featuresPanel = panel(this.t('lab.features.title'), h('div', '', this.digitField.element, this.features));
    this.shadowRoot.append(
      controlRow,
      summaryPanel.element,
      progressPanel,
      this.charts,
      runsPanel.element,
      this.buildDrawing(),
      this.analysis,
      featuresPanel.element,
    );
    this.setRunning(this.running);
    this.showPaused(this.kept.paused);
    this.showStatus(this.kept.status);
    this.showRuns();
    this.showAnalysis();
    this.showFeatures();
    this.showPrediction();
  }

  /**
   * A change of language: the shadow DOM again, from the kept state (build()), the worker and a
   * run in progress untouched; the control that had the focus has it again.
   */
  languageChanged() {
    if (this.language === this.builtLanguage || !this.started) {
      super.languageChanged();
      return;
    }
    const focused = this.shadowRoot.activeElement?.closest('[data-control]')?.dataset.control;
    super.languageChanged();
    if (focused) this.shadowRoot.querySelector(`[data-control="${focused}"] :is(input, select)`)?.focus();
  }

  /** The theme changed (grid.js's followTheme): every picture painted again in its colours. */
  repaintTheme() {
    if (!this.started) return;
    this.runCharts.relabel();
    this.showRuns();
    this.showAnalysis();
    this.showFeatures();
    this.showPrediction();
    this.recolorPad();
  }

  /** The exercise's question in the lab's language (its message takes the two raced models). */
  exerciseQuestion() {
    return this.t('lab.exercise.faster', { first: RACE[0], second: RACE[1] });
  }

  /** A knob's label and hint in the lab's language (a knob the catalogue does not know yet keeps its flag and help). */
  knobText(knob) {
    const known = (key) => Object.hasOwn(CATALOGUES[this.language], key);
    return {
      label: known(`lab.knob.${knob.name}`) ? this.t(`lab.knob.${knob.name}`) : knob.flag,
      help: known(`lab.help.${knob.name}`) ? this.t(`lab.help.${knob.name}`) : knob.help,
      choice: (value) => {
        if (value === '') return this.t('lab.choice.default');
        const key = `lab.choice.${knob.name}.${value}`;
        return known(key) ? this.t(key) : value;
      },
    };
  }

  /**
   * A select with the knob's choices (the current value added when it is not one), a checkbox,
   * or a number field (an integer knob without a list of choices: seed, workers).
   */
  controlFor(knob) {
    const name = attributeOf(knob);
    const { label, help, choice } = this.knobText(knob);
    const onInput = (value) => this.commit({ [knob.name]: value });
    let control;
    if (knob.kind === 'bool') control = checkboxControl({ name, label, onInput });
    else if (controlKind(knob) === 'int' && !CHOICES[knob.name])
      control = numberControl({ name, label, min: knob.min, max: knob.max, onInput });
    else {
      const texts = (value) => (Array.isArray(value) ? value.join(',') : String(value));
      const options = knob.kind === 'choice' ? knob.choices : CHOICES[knob.name];
      control = selectControl({
        name,
        label,
        options: options.map((value) => [texts(value), choice(texts(value))]),
        onInput: (text) =>
          onInput(
            knob.kind === 'list' ? text.split(',').map(Number) : controlKind(knob) === 'int' ? Number(text) : text,
          ),
      });
      const write = control.write;
      control.write = (value) => {
        if (![...control.input.options].some((option) => option.value === texts(value)))
          control.input.append(new Option(texts(value), texts(value)));
        write(texts(value));
      };
    }
    control.element.title = help;
    return control;
  }

  update(state) {
    for (const knob of LAB_KNOBS) this.controls[knob.name].write(state[knob.name]);
    this.knobs = null;
    const { fixed } = this.ui();
    try {
      const knobs = knobsOf(state);
      const description = describeModel(buildModel(this.cnn.nn, knobs));
      this.knobs = knobs;
      const headers = ['layer', 'output', 'params', 'macs', 'rf'].map((column) => this.t(`lab.summary.${column}`));
      this.summary.replaceChildren(
        table(
          headers,
          description.rows.map((row) => [
            row.name,
            `${row.shape.slice(1).join('×')}`,
            fixed(row.params, 0),
            fixed(row.macs, 0),
            row.rf?.join('×') ?? '–',
          ]),
        ),
        h(
          'p',
          'summary',
          this.t('lab.summary.totals', {
            params: fixed(description.params, 0),
            macs: fixed(description.macs, 0),
            rf: description.receptiveField,
            jump: description.jump,
          }),
        ),
      );
      this.summary.querySelector('table').classList.add('summary-table');
      scrollRegion(this.summary.querySelector('.scroll'), this.t('lab.summary.title'));
      this.summaryError.hidden = true;
      this.warning.textContent = trainingNote(knobs, description, undefined, (key, vars) => this.t(key, vars));
      this.warning.hidden = !this.warning.textContent;
    } catch (error) {
      this.warning.hidden = true;
      this.summaryError.textContent = this.buildError(error.message);
      this.summaryError.hidden = false;
      this.summary.replaceChildren();
    }
    this.startButton.disabled = this.running || !this.knobs;
  }

  /**
   * The worker, started on first use (Start, the drawing pad, the test-digit field) and again
   * when a lab that had one is moved in the DOM (disconnected, then connected); messages sent
   * while it loads wait in it (worker.js). It ends on disconnection, and a run in progress with it.
   */
  startWorker() {
    if (this.worker) return this.worker;
    this.workerReady = false;
    this.showStatus(() => this.t('lab.status.loading'));
    this.worker = new Worker(new URL('../train/worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) =>
      this.showStatus(() => this.t('lab.error.worker-failed', { reason: event.message }));
    return this.worker;
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.started && this.hadWorker && !this.worker) {
      this.showStatus(() => this.t('lab.status.restarting'));
      this.startWorker();
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.hadWorker = Boolean(this.worker);
    this.worker?.terminate();
    this.worker = null;
    this.workerReady = false;
    if (this.started) {
      this.setRunning(false);
      this.showStatus(() => this.t('lab.status.left'));
    }
  }

  receive(message) {
    const fixed = (value, decimals) => formatFixed(this.language, value, decimals);
    switch (message.type) {
      case 'ready':
        this.workerReady = true;
        this.showStatus(() =>
          this.t('lab.status.ready', { core: this.t(message.simd ? 'lab.core.simd' : 'lab.core.scalar') }),
        );
        this.refresh();
        break;
      case 'started':
        this.runCharts.start(message);
        break;
      case 'progress':
        this.runCharts.progress(message);
        this.progress.value = this.kept.progress = message.done;
        this.showStatus(() =>
          this.t('lab.status.progress', {
            epoch: message.epoch,
            step: message.step,
            steps: message.stepsPerEpoch,
            loss: fixed(message.loss, 4),
            rate: fixed(message.imagesPerSecond, 0),
            seconds: fixed(message.seconds, 1),
          }),
        );
        break;
      case 'epoch':
        this.runCharts.epoch(message);
        break;
      case 'paused':
      case 'resumed':
        this.showPaused(message.type === 'paused');
        break;
      case 'finished': {
        const { record } = message;
        this.setRunning(false);
        this.runs.push(record);
        this.showRuns();
        this.showStatus(() =>
          this.t(message.stopped ? 'lab.status.stopped' : 'lab.status.finished', {
            run: record.run,
            accuracy: fixed(100 * record.testAccuracy, 2),
            seconds: fixed(record.seconds, 1),
            rate: fixed(record.imagesPerSecond, 0),
            evalSeconds: fixed(record.evalSeconds, 1),
          }),
        );
        this.dispatchEvent(new CustomEvent('cnn-run', { detail: record, bubbles: true, composed: true }));
        break;
      }
      case 'analysis':
        this.kept.analysis = message;
        this.showAnalysis();
        this.worker?.postMessage({ type: 'inspect', digit: this.kept.digit }); // the new model's maps
        this.requestPrediction(); // and its answer to what is on the pad
        break;
      case 'prediction':
        this.kept.prediction = message;
        this.showPrediction();
        break;
      case 'features':
        this.kept.features = message;
        this.showFeatures();
        break;
      case 'error':
        this.setRunning(false);
        this.showStatus(this.workerError(message.message));
        break;
      default:
    }
  }

  /**
   * Why the knobs make no model, in the lab's language: the core's and the knob checker's
   * English names the layer or the flag, which are said in the language; their rule is quoted.
   */
  buildError(text) {
    const layer = /^layer (\d+) \((\w+)\) gets an? ([\d×]+) input: (.*)$/s.exec(text);
    if (layer)
      return this.t('lab.summary.error-layer', { layer: layer[1], kind: layer[2], shape: layer[3], detail: layer[4] });
    const flag = /^--([\w-]+): (.*)$/s.exec(text);
    const knob = flag && LAB_KNOBS.find((candidate) => candidate.flag === flag[1]);
    if (knob)
      return this.t('lab.summary.error-knob', { knob: this.knobText(knob).label, flag: knob.flag, detail: flag[2] });
    return this.t('lab.summary.error', { reason: text });
  }

  /** The worker's English error as a status line in the lab's language: known kinds translated, others quoted. */
  workerError(text) {
    const range = /^inspect: digit must be a test digit index in \[0, (\d+)\)/.exec(text);
    if (range) return () => this.t('lab.error.digit', { last: Number(range[1]) - 1 });
    if (/^a run is in progress/.test(text)) return () => this.t('lab.error.busy');
    return () => this.t('lab.error.worker', { reason: text });
  }

  /** Shows a status line; `status` writes it (again after a change of language). */
  showStatus(status) {
    this.kept.status = status;
    const text = status();
    this.status.textContent = text;
    this.announce(text);
  }

  setRunning(running) {
    this.running = running;
    this.startButton.disabled = running || !this.knobs;
    this.pauseButton.disabled = this.stopButton.disabled = !running;
    if (!running) this.showPaused(false);
  }

  showPaused(paused) {
    this.kept.paused = paused;
    this.pauseButton.textContent = this.t(paused ? 'lab.resume' : 'lab.pause');
    this.pauseButton.setAttribute('aria-pressed', String(paused));
  }

  async startRun() {
    if (!this.knobs) return;
    this.setRunning(true);
    this.progress.value = this.kept.progress = 0;
    const worker = this.startWorker();
    try {
      await this.loadCharts();
    } catch (error) {
      this.setRunning(false);
      this.showStatus(() => this.t('lab.error.charts', { reason: error.message }));
      return;
    }
    worker.postMessage({ type: 'start', knobs: this.knobs });
  }

  /** The chart library and its style sheet, loaded once (on Start). */
  async loadCharts() {
    this.chartLibrary ??= Promise.all([import('../vendor/uplot/uPlot.esm.js'), this.adoptChartStyles()]);
    try {
      [{ default: this.runCharts.uPlot }] = await this.chartLibrary;
    } catch (error) {
      this.chartLibrary = null;
      throw error;
    }
  }

  togglePause() {
    this.worker?.postMessage({ type: this.pauseButton.getAttribute('aria-pressed') === 'true' ? 'resume' : 'pause' });
  }

  /** uPlot's own style sheet, adopted by the shadow root once fetched. */
  async adoptChartStyles() {
    const sheet = new CSSStyleSheet();
    await sheet.replace(await (await fetch(UPLOT_CSS)).text());
    this.shadowRoot.adoptedStyleSheets = [...this.shadowRoot.adoptedStyleSheets, sheet];
  }

  resize(width) {
    this.runCharts?.resize(width);
    this.showScrollHint();
  }

  /** The runs table in the lab's language, in its own scroll box; key columns stay in view. */
  showRuns() {
    if (!this.runsBody) return;
    if (!this.runs.length) {
      this.runsBody.replaceChildren(h('p', 'note', this.t('lab.runs.empty')));
      this.showScrollHint();
      return;
    }
    const { fixed } = this.ui();
    const columns = labColumns(this.runs);
    const formats = {
      fixed,
      number: (value) => formatFixed(this.language, value, Math.min(6, (String(value).split('.')[1] ?? '').length)),
      config: runConfig,
      yesNo: (value) => this.t(value ? 'lab.runs.yes' : 'lab.runs.no'),
      choice: (name, value) => this.knobText(LAB_KNOBS.find((knob) => knob.name === name)).choice(value),
    };
    const runsTable = table(
      columns.map((column) => this.t(`lab.column.${column.id}`)),
      this.runs.map((record) => columns.map((column) => column.cell(record, formats))),
      new Set([1]),
    );
    columns.forEach((column, index) => {
      if (!column.key) return;
      for (const row of runsTable.querySelectorAll('tr')) row.cells[index].classList.add('key');
    });
    this.runs.forEach((record, index) => {
      const swatch = h('span', 'swatch');
      swatch.style.background = this.runCharts.colorOf(record.run);
      runsTable.querySelectorAll('tbody tr')[index].cells[0].prepend(swatch);
    });
    scrollRegion(runsTable, this.t('lab.runs.table'));
    runsTable.addEventListener('scroll', () => this.showScrollHint(), { passive: true });
    this.runsBody.replaceChildren(runsTable);
    this.runCharts.finish(this.runs);
    requestAnimationFrame(() => this.showScrollHint());
  }

  /** The line "more columns →" while the runs table has columns out of view to the right. */
  showScrollHint() {
    const box = this.runsBody?.querySelector('.scroll');
    if (!this.runsScrollHint) return;
    this.runsScrollHint.hidden = !box || box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
  }

  exerciseAnswer() {
    if (!this.knobs) return { expected: [], text: this.t('lab.exercise.no-model'), mistakes: [] };
    return fasterKernelExercise(
      this.cnn.nn,
      this.knobs,
      (nn, knobs) => describeModel(buildModel(nn, knobs)),
      (key, vars) => this.t(key, vars),
      (value, decimals) => formatFixed(this.language, value, decimals),
    );
  }

  exportRuns() {
    const link = h('a');
    link.href = URL.createObjectURL(new Blob([runsCsv(this.runs)], { type: 'text/csv' }));
    link.download = CSV_NAME;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  /** The analysis of the model predictions use (the worker's last 'analysis'). */
  showAnalysis() {
    if (!this.analysis || !this.kept.analysis) return;
    const { run, model } = this.kept.analysis;
    const ui = this.ui();
    const { t, fixed } = ui;
    const title = run === 0 ? t('lab.analysis.pretrained') : t('lab.analysis.run', { run });
    const mistakes = h(
      'div',
      'mistakes',
      ...model.misclassified.map(({ digit, label, predicted, image }) =>
        h(
          'figure',
          '',
          digitCanvas(ui, image, t('lab.analysis.mistake', { digit, label, predicted }), 2),
          h('figcaption', '', `${label}→${predicted}`),
        ),
      ),
    );
    const erf = model.erf;
    const erfText = t('lab.analysis.erf-note', {
      digits: ERF_DIGITS,
      rf: erf.rf,
      massShare: fixed(100 * erf.massShare, 0),
      pixels: erf.pixels,
      share: fixed(100 * erf.share, 0),
      area: erf.area,
    });
    const confusionTitle = t('lab.analysis.confusion', { count: fixed(TEST_DIGITS, 0) });
    const confusion = scrollRegion(confusionTable(ui, model.confusion), confusionTitle);
    this.analysis.replaceChildren(
      h('h4', '', t('lab.analysis.title', { model: title, accuracy: fixed(100 * model.testAccuracy, 2) })),
      h(
        'div',
        'lab-row',
        kernelGrid(ui, model.kernels),
        h(
          'figure',
          '',
          h('figcaption', 'caption', t('lab.analysis.erf')),
          fieldCanvas(ui, erf),
          h('p', 'note erf-share', erfText),
        ),
      ),
      h(
        'div',
        'lab-row',
        h('figure', '', h('figcaption', 'caption', confusionTitle), confusion),
        h(
          'figure',
          '',
          h('figcaption', 'caption', t('lab.analysis.mistakes', { count: model.misclassified.length })),
          mistakes,
        ),
      ),
    );
  }

  /** The feature maps of the chosen test digit (the worker's last 'features'). */
  showFeatures() {
    if (!this.features || !this.kept.features) return;
    const { digit, label, predicted, image, maps } = this.kept.features;
    const ui = this.ui();
    this.features.replaceChildren(
      h('p', 'caption', ui.t('lab.features.caption', { digit, label, predicted })),
      digitCanvas(ui, image, ui.t('lab.digit.name', { digit })),
      ...maps.map((map) => channelGrid(ui, map.name, map, 2)),
    );
  }

  /** The drawing pad: made once and kept (with the drawing) across a change of language; a hint until the first stroke. */
  buildDrawing() {
    this.pad ??= this.createPad();
    this.pad.setAttribute('aria-label', this.t('lab.draw.pad'));
    this.padHint = h('div', 'pad-hint', this.t('lab.draw.hint'));
    this.padHint.setAttribute('aria-hidden', 'true');
    this.clearButton = button(this.t('lab.draw.clear'), this.t('lab.draw.clear.label'), () => {
      this.pad.getContext('2d').clearRect(0, 0, DRAW_SIDE, DRAW_SIDE);
      this.setPadEmpty(true);
      this.requestPrediction();
    });
    this.seen = h('div', '');
    this.bars = h('div', '');
    this.setPadEmpty(this.padEmpty);
    const root = h(
      'div',
      'lab-row',
      h('div', '', h('div', 'pad-box', this.pad, this.padHint), h('div', 'transport', this.clearButton)),
      this.seen,
      this.bars,
    );
    root.setAttribute('part', 'draw');
    return panel(this.t('lab.draw.title'), root).element;
  }

  createPad() {
    const pad = h('canvas', 'pad');
    pad.width = pad.height = DRAW_SIDE;
    pad.style.width = pad.style.height = `${DRAW_CSS_PX}px`;
    const context = pad.getContext('2d');
    let last = null;
    const point = (event) => {
      const bounds = pad.getBoundingClientRect();
      return [
        ((event.clientX - bounds.left) * DRAW_SIDE) / bounds.width,
        ((event.clientY - bounds.top) * DRAW_SIDE) / bounds.height,
      ];
    };
    pad.addEventListener('pointerdown', (event) => {
      pad.setPointerCapture(event.pointerId);
      last = point(event);
      Object.assign(context, {
        lineWidth: STROKE_PX,
        lineCap: 'round',
        lineJoin: 'round',
        strokeStyle: this.inkColor(),
      });
      this.setPadEmpty(false);
      this.strokeTo(context, last, last);
    });
    pad.addEventListener('pointermove', (event) => {
      if (!last) return;
      const next = point(event);
      this.strokeTo(context, last, next);
      last = next;
    });
    const end = () => {
      last = null;
    };
    pad.addEventListener('pointerup', end);
    pad.addEventListener('pointercancel', end);
    return pad;
  }

  /** The theme's ink, for strokes (the worker reads only the pad's alpha, so the colour is free). */
  inkColor() {
    const [r, g, b] = this.ui().colors.ink;
    return `rgb(${r}, ${g}, ${b})`;
  }

  /** The strokes already drawn, in the new theme's ink (their alpha, which the model reads, unchanged). */
  recolorPad() {
    if (!this.pad || this.padEmpty) return;
    const context = this.pad.getContext('2d');
    context.save();
    context.globalCompositeOperation = 'source-in';
    context.fillStyle = this.inkColor();
    context.fillRect(0, 0, DRAW_SIDE, DRAW_SIDE);
    context.restore();
  }

  setPadEmpty(empty) {
    this.padEmpty = empty;
    if (this.padHint) this.padHint.hidden = !empty;
    if (this.clearButton) this.clearButton.disabled = empty;
  }

  strokeTo(context, from, to) {
    context.beginPath();
    context.moveTo(...from);
    context.lineTo(...to);
    context.stroke();
    this.requestPrediction();
  }

  /** At most one prediction per frame: the worker gets the ink (alpha) of the pad. */
  requestPrediction() {
    if (this.predictionQueued) return;
    this.startWorker();
    this.predictionQueued = true;
    requestAnimationFrame(() => {
      this.predictionQueued = false;
      const alpha = this.pad.getContext('2d').getImageData(0, 0, DRAW_SIDE, DRAW_SIDE).data;
      const ink = new Uint8Array(DRAW_SIDE * DRAW_SIDE);
      for (let i = 0; i < ink.length; i++) ink[i] = alpha[4 * i + 3];
      this.worker?.postMessage({ type: 'predict', ink, width: DRAW_SIDE, height: DRAW_SIDE }, [ink.buffer]);
    });
  }

  /** The model's answer to the drawing (the worker's last 'prediction'). */
  showPrediction() {
    if (!this.bars || !this.kept.prediction) return;
    const { digit, probabilities, predicted, run } = this.kept.prediction;
    const ui = this.ui();
    if (!digit) {
      this.seen.replaceChildren();
      this.bars.replaceChildren(h('p', 'note', ui.t('lab.draw.empty')));
      return;
    }
    this.seen.replaceChildren(
      h('p', 'caption', ui.t('lab.draw.seen')),
      digitCanvas(ui, digit, ui.t('lab.draw.seen-label'), 3),
    );
    const by = run ? ui.t('lab.draw.by-run', { run }) : ui.t('lab.draw.by-pretrained');
    const prediction = h(
      'p',
      'summary',
      ui.t('lab.draw.prediction', { model: by, predicted, percent: ui.fixed(100 * probabilities[predicted], 1) }),
    );
    prediction.dataset.predicted = String(predicted);
    prediction.dataset.run = String(run);
    this.bars.replaceChildren(prediction, probabilityBars(ui, probabilities, predicted));
  }
}

CnnTrain.define('cnn-train');
