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
import { CnnElement } from './base-element.js';
import { button, h, panel, selectControl, checkboxControl, numberControl, table } from './controls.js';
import { formatCount } from './format.js';
import {
  attributeOf, CHOICES, fasterKernelExercise, knobsOf, RACE, TRAIN_SCHEMA, trainingNote,
} from './cnn-train-model.js';
import { RunCharts } from './cnn-train-charts.js';
import { channelGrid, confusionTable, digitCanvas, fieldCanvas, kernelGrid, probabilityBars } from './cnn-train-views.js';
import { KNOBS } from '../train/knobs.js';
import { buildModel, describeModel } from '../train/model.js';
import { RUN_COLUMNS, runRows, runsCsv } from '../train/runs.js';

const UPLOT_CSS = new URL('../vendor/uplot/uPlot.min.css', import.meta.url);
const DRAW_SIDE = 280;      // drawing canvas pixels; shown at DRAW_CSS_PX
const DRAW_CSS_PX = 224;
const STROKE_PX = 20;

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
.field-stack canvas:first-child { outline: 1px solid var(--cnn-rule, #d0d0d0); }
.field-stack canvas + canvas { position: absolute; left: 0; top: 0; }
.pad { touch-action: none; border: 1px solid var(--cnn-rule, #d0d0d0); cursor: crosshair; background: #fff; }
.bars { min-width: 14rem; font-size: 0.8rem; }
.bar-row { display: grid; grid-template-columns: 2.2rem 1fr 3.2rem; gap: 0.3rem; align-items: center; }
.bar-row.predicted { font-weight: 700; }
.bar-track { background: #eee; height: 0.8rem; }
.bar { display: block; height: 100%; background: var(--cnn-accent, #0072B2); }
.mistakes { display: flex; flex-wrap: wrap; gap: 0.4rem; max-width: 44rem; }
.mistakes figure { margin: 0; font-size: 0.75rem; text-align: center; }
.runs-box { max-width: 100%; min-width: 0; }
.runs-box table { border-collapse: collapse; font-size: 0.8rem; }
.runs-box th, .runs-box td { padding: 0.15rem 0.45rem; text-align: right; white-space: nowrap; }
.runs-box tr > :nth-child(-n+2) { position: sticky; background: var(--cnn-paper, #fff); text-align: left; }
.runs-box tr > :nth-child(1) { left: 0; }
.runs-box tr > :nth-child(2) { left: 2.2rem; }
.runs-box th.key, .runs-box td.key { font-weight: 600; }
.run-legend { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.3rem 0; }
.run-legend button, .run-legend button[aria-pressed="true"] { background: var(--cnn-paper, #fff); color: var(--cnn-ink, #1a1a1a); font-size: 0.8rem; }
.run-legend button[aria-pressed="false"] { opacity: 0.5; text-decoration: line-through; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
.scatter { max-width: 100%; height: auto; }
.warning { border-left: 3px solid var(--cnn-error, #D55E00); padding-left: 0.5rem; }
`;

export class CnnTrain extends CnnElement {
  static schema = TRAIN_SCHEMA;
  static label = 'Training lab'; // the host's accessible name (base-element.js)
  static css = CSS;
  static exercises = { faster: `which kernel size trains more images per second, ${RACE.join(' or ')}, with the other knobs as set` };

  build() {
    this.runs = [];
    this.controls = Object.fromEntries(KNOBS.map((knob) => [knob.name, this.controlFor(knob)]));
    const controlRow = h('div', 'controls', ...Object.values(this.controls).map((control) => control.element));
    controlRow.setAttribute('part', 'controls');

    this.summary = h('div', '');
    this.summaryError = h('p', 'error');
    this.warning = h('p', 'note warning');
    this.warning.hidden = true;
    const summaryPanel = panel('Model summary (one image)', h('div', '', this.summaryError, this.summary, this.warning), 'summary');

    this.startButton = button('Start training', 'Start training', () => this.startRun());
    this.pauseButton = button('Pause', 'Pause training', () => this.togglePause());
    this.stopButton = button('Stop', 'Stop training', () => this.worker?.postMessage({ type: 'stop' }));
    this.progress = h('progress');
    this.progress.max = 1;
    this.progress.value = 0;
    this.status = h('p', 'status', 'Press Start to train, or draw a digit: the digits and the pre-trained model load then.');
    const transport = h('div', 'transport', this.startButton, this.pauseButton, this.stopButton);
    const progressPanel = h('div', '', transport, this.progress, this.status);
    progressPanel.setAttribute('part', 'progress');

    this.runCharts = new RunCharts();
    this.charts = this.runCharts.element;
    this.charts.setAttribute('part', 'charts');
    this.runsBody = h('div', 'runs-box');
    const exportButton = button('Export CSV', 'Export the runs table as CSV', () => this.exportRuns());
    const runsPanel = panel('Runs of this session', h('div', '', this.runsBody, exportButton), 'runs');
    runsPanel.element.classList.add('runs-box');

    this.analysis = h('div', '');
    this.analysis.setAttribute('part', 'analysis');
    this.digitField = numberControl({ name: 'digit', label: 'Test digit', min: 0, max: 1999, onInput: (digit) => this.startWorker().postMessage({ type: 'inspect', digit }) });
    this.features = h('div', '');

    this.digitField.write(0);
    const featuresPanel = panel('Feature maps of a test digit', h('div', '', this.digitField.element, this.features));
    this.shadowRoot.append(controlRow, summaryPanel.element, progressPanel, this.charts, runsPanel.element,
      this.buildDrawing(), this.analysis, featuresPanel.element);
    this.setRunning(false);
  }

  /** A select with the knob's choices (the current value added when it is not one), or a checkbox. */
  controlFor(knob) {
    const name = attributeOf(knob);
    const onInput = (value) => this.commit({ [knob.name]: value });
    if (knob.kind === 'bool') return checkboxControl({ name, label: knob.flag.replace('-', ' '), onInput });
    if (knob.name === 'seed') return numberControl({ name, label: 'seed', min: knob.min, max: knob.max, onInput });
    const texts = (value) => (Array.isArray(value) ? value.join(',') : String(value));
    const options = knob.kind === 'choice' ? knob.choices : CHOICES[knob.name];
    const control = selectControl({ name, label: knob.flag.replace('-', ' '), options: options.map((value) => [texts(value), texts(value) || 'default']),
      onInput: (text) => onInput(knob.kind === 'list' ? text.split(',').map(Number) : knob.kind === 'int' ? Number(text) : text) });
    const write = control.write;
    control.write = (value) => {
      if (![...control.input.options].some((option) => option.value === texts(value))) control.input.append(new Option(texts(value), texts(value)));
      write(texts(value));
    };
    control.element.title = knob.help;
    return control;
  }

  update(state) {
    for (const knob of KNOBS) this.controls[knob.name].write(state[knob.name]);
    this.knobs = null;
    try {
      const knobs = knobsOf(state);
      const description = describeModel(buildModel(this.cnn.nn, knobs));
      this.knobs = knobs;
      this.summary.replaceChildren(table(['layer', 'output', 'params', 'MACs', 'RF'],
        description.rows.map((row) => [row.name, `${row.shape.slice(1).join('×')}`, formatCount(row.params), formatCount(row.macs), row.rf?.join('×') ?? '–'])),
      h('p', 'summary', `${formatCount(description.params)} parameters, ${formatCount(description.macs)} MACs per image; ` +
        `the last convolution sees ${description.receptiveField}×${description.receptiveField} input pixels (jump ${description.jump}).`));
      this.summary.querySelector('table').classList.add('summary-table');
      this.summaryError.hidden = true;
      this.warning.textContent = trainingNote(knobs, description);
      this.warning.hidden = !this.warning.textContent;
    } catch (error) {
      this.warning.hidden = true;
      this.summaryError.textContent = `This model cannot be built: ${error.message}`;
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
    this.showStatus('Loading the digits and the pre-trained model…');
    this.worker = new Worker(new URL('../train/worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => this.showStatus(`The training worker failed: ${event.message}`);
    return this.worker;
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.started && this.hadWorker && !this.worker) {
      this.showStatus('Restarting the training worker…');
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
      this.showStatus('The training worker stopped when the lab left the page.');
    }
  }

  receive(message) {
    switch (message.type) {
      case 'ready':
        this.workerReady = true;
        this.showStatus(`Ready (${message.simd ? 'SIMD128' : 'scalar'} core). The pre-trained model answers the drawing pad.`);
        this.refresh();
        break;
      case 'started':
        this.runCharts.start(message);
        break;
      case 'progress':
        this.runCharts.progress(message);
        this.progress.value = message.done;
        this.showStatus(`epoch ${message.epoch}, step ${message.step}/${message.stepsPerEpoch}  loss ${message.loss.toFixed(4)}  ` +
          `${Math.round(message.imagesPerSecond)} images/s  training ${message.seconds.toFixed(1)} s`);
        break;
      case 'epoch':
        this.runCharts.epoch(message);
        break;
      case 'paused':
      case 'resumed':
        this.pauseButton.textContent = message.type === 'paused' ? 'Resume' : 'Pause';
        this.pauseButton.setAttribute('aria-pressed', String(message.type === 'paused'));
        break;
      case 'finished':
        this.setRunning(false);
        this.runs.push(message.record);
        this.showRuns();
        this.showStatus(`Run ${message.record.run} ${message.stopped ? 'stopped' : 'finished'}: test accuracy ` +
          `${(100 * message.record.testAccuracy).toFixed(2)}%; training ${message.record.seconds.toFixed(1)} s ` +
          `(${Math.round(message.record.imagesPerSecond)} images/s), evaluation ${message.record.evalSeconds.toFixed(1)} s.`);
        this.dispatchEvent(new CustomEvent('cnn-run', { detail: message.record, bubbles: true, composed: true }));
        break;
      case 'analysis':
        this.showAnalysis(message);
        this.worker?.postMessage({ type: 'inspect', digit: this.digitField.read() }); // the new model's maps
        this.requestPrediction(); // and its answer to what is on the pad
        break;
      case 'prediction':
        this.showPrediction(message);
        break;
      case 'features':
        this.features.replaceChildren(h('p', 'caption', `Test digit ${message.digit}: a ${message.label}, predicted ${message.predicted}`),
          digitCanvas(message.image, `test digit ${message.digit}`), ...message.maps.map((map) => channelGrid(map.name, map, 2)));
        break;
      case 'error':
        this.setRunning(false);
        this.showStatus(message.message);
        break;
      default:
    }
  }

  showStatus(text) {
    this.status.textContent = text;
    this.announce(text);
  }

  setRunning(running) {
    this.running = running;
    this.startButton.disabled = running || !this.knobs;
    this.pauseButton.disabled = this.stopButton.disabled = !running;
    this.pauseButton.textContent = 'Pause';
    this.pauseButton.setAttribute('aria-pressed', 'false');
  }

  async startRun() {
    if (!this.knobs) return;
    this.setRunning(true);
    this.progress.value = 0;
    const worker = this.startWorker();
    this.chartLibrary ??= Promise.all([import('../vendor/uplot/uPlot.esm.js'), this.adoptChartStyles()]);
    try {
      [{ default: this.runCharts.uPlot }] = await this.chartLibrary;
    } catch (error) {
      this.chartLibrary = null;
      this.setRunning(false);
      this.showStatus(`The chart library could not be loaded: ${error.message}`);
      return;
    }
    worker.postMessage({ type: 'start', knobs: this.knobs });
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
  }

  showRuns() {
    const runsTable = table(RUN_COLUMNS.map(([header]) => header), runRows(this.runs), new Set([1]));
    RUN_COLUMNS.forEach(([, , key], column) => {
      if (!key) return;
      for (const row of runsTable.querySelectorAll('tr')) row.cells[column].classList.add('key');
    });
    this.runs.forEach((record, index) => {
      const swatch = h('span', 'swatch');
      swatch.style.background = this.runCharts.colorOf(record.run);
      runsTable.querySelectorAll('tbody tr')[index].cells[0].prepend(swatch);
    });
    this.runsBody.replaceChildren(runsTable);
    this.runCharts.finish(this.runs);
  }

  exerciseAnswer() {
    if (!this.knobs) return { expected: [], text: 'these knobs make no model', mistakes: [] };
    return fasterKernelExercise(this.cnn.nn, this.knobs, (nn, knobs) => describeModel(buildModel(nn, knobs)));
  }

  exportRuns() {
    const link = h('a');
    link.href = URL.createObjectURL(new Blob([runsCsv(this.runs)], { type: 'text/csv' }));
    link.download = 'cnn-train-runs.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  showAnalysis({ run, model }) {
    const title = run === 0 ? 'The pre-trained model' : `Run ${run}`;
    const mistakes = h('div', 'mistakes', ...model.misclassified.map(({ digit, label, predicted, image }) =>
      h('figure', '', digitCanvas(image, `test digit ${digit}: a ${label} taken for a ${predicted}`, 2), h('figcaption', '', `${label}→${predicted}`))));
    const erf = model.erf;
    const erfText = `How much each input pixel moves the centre pixel of the last convolution (mean |gradient| over 64 test digits); `
      + `its theoretical ${erf.rf}×${erf.rf} field dashed. ${Math.round(100 * erf.massShare)} % of the gradient lies on ${erf.pixels} pixels, `
      + `${Math.round(100 * erf.share)} % of the theoretical field's ${erf.area} inside the digit.`;
    this.analysis.replaceChildren(
      h('h4', '', `${title}: test accuracy ${(100 * model.testAccuracy).toFixed(2)}%`),
      h('div', 'lab-row', kernelGrid(model.kernels),
        h('figure', '', h('figcaption', 'caption', 'Effective receptive field'), fieldCanvas(erf), h('p', 'note erf-share', erfText))),
      h('div', 'lab-row', h('figure', '', h('figcaption', 'caption', 'Confusion matrix (2,000 test digits)'), confusionTable(model.confusion)),
        h('figure', '', h('figcaption', 'caption', `Misclassified digits (true→predicted), first ${model.misclassified.length}`), mistakes)));
  }

  buildDrawing() {
    this.pad = h('canvas', 'pad');
    this.pad.width = this.pad.height = DRAW_SIDE;
    this.pad.style.width = this.pad.style.height = `${DRAW_CSS_PX}px`;
    this.pad.setAttribute('aria-label', 'Drawing pad: draw a digit with the mouse, a pen or a finger');
    const context = this.pad.getContext('2d');
    Object.assign(context, { lineWidth: STROKE_PX, lineCap: 'round', lineJoin: 'round', strokeStyle: '#000' });
    let last = null;
    const point = (event) => {
      const bounds = this.pad.getBoundingClientRect();
      return [(event.clientX - bounds.left) * DRAW_SIDE / bounds.width, (event.clientY - bounds.top) * DRAW_SIDE / bounds.height];
    };
    this.pad.addEventListener('pointerdown', (event) => {
      this.pad.setPointerCapture(event.pointerId);
      last = point(event);
      this.strokeTo(context, last, last);
    });
    this.pad.addEventListener('pointermove', (event) => {
      if (!last) return;
      const next = point(event);
      this.strokeTo(context, last, next);
      last = next;
    });
    const end = () => { last = null; };
    this.pad.addEventListener('pointerup', end);
    this.pad.addEventListener('pointercancel', end);
    const clear = button('Clear', 'Clear the drawing pad', () => {
      context.clearRect(0, 0, DRAW_SIDE, DRAW_SIDE);
      this.requestPrediction();
    });
    this.seen = h('div', '');
    this.bars = h('div', '');
    const root = h('div', 'lab-row', h('div', '', this.pad, h('div', 'transport', clear)), this.seen, this.bars);
    root.setAttribute('part', 'draw');
    return panel('Draw a digit', root).element;
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

  showPrediction({ digit, probabilities, predicted, run }) {
    if (!digit) {
      this.seen.replaceChildren();
      this.bars.replaceChildren(h('p', 'note', 'Draw a digit on the pad.'));
      return;
    }
    this.seen.replaceChildren(h('p', 'caption', 'What the model sees (28×28)'), digitCanvas(digit, 'the drawing as a 28×28 digit', 3));
    const by = run ? `run ${run}'s model` : 'the pre-trained model';
    const prediction = h('p', 'summary', `Prediction by ${by}: ${predicted} (${(100 * probabilities[predicted]).toFixed(1)}%)`);
    prediction.dataset.predicted = String(predicted);
    prediction.dataset.run = String(run);
    this.bars.replaceChildren(prediction, probabilityBars(probabilities, predicted));
  }
}

CnnTrain.define('cnn-train');
