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
// Events: cnn-change (a knob), cnn-ready, cnn-run (detail: the finished run's record, runs.js).
// Parts: controls, summary, progress, charts, runs, analysis, draw.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { CnnElement } from './base-element.js';
import { button, h, panel, selectControl, checkboxControl, numberControl, table } from './controls.js';
import { formatCount } from './format.js';
import { SIZES } from './palette.js';
import { attributeOf, CHOICES, knobsOf, TRAIN_SCHEMA, TrainingCurves } from './cnn-train-model.js';
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
`;

export class CnnTrain extends CnnElement {
  static schema = TRAIN_SCHEMA;
  static css = CSS;

  build() {
    this.runs = [];
    this.controls = Object.fromEntries(KNOBS.map((knob) => [knob.name, this.controlFor(knob)]));
    const controlRow = h('div', 'controls', ...Object.values(this.controls).map((control) => control.element));
    controlRow.setAttribute('part', 'controls');

    this.summary = h('div', '');
    this.summaryError = h('p', 'error');
    const summaryPanel = panel('Model summary (one image)', h('div', '', this.summaryError, this.summary), 'summary');

    this.startButton = button('Start training', 'Start training', () => this.startRun());
    this.pauseButton = button('Pause', 'Pause training', () => this.togglePause());
    this.stopButton = button('Stop', 'Stop training', () => this.worker?.postMessage({ type: 'stop' }));
    this.progress = h('progress');
    this.progress.max = 1;
    this.progress.value = 0;
    this.status = h('p', 'status', 'Loading the digits and the pre-trained model…');
    const transport = h('div', 'transport', this.startButton, this.pauseButton, this.stopButton);
    const progressPanel = h('div', '', transport, this.progress, this.status);
    progressPanel.setAttribute('part', 'progress');

    this.charts = h('div', 'lab-row');
    this.charts.setAttribute('part', 'charts');
    this.runsBody = h('div', '');
    const exportButton = button('Export CSV', 'Export the runs table as CSV', () => this.exportRuns());
    const runsPanel = panel('Runs of this session', h('div', '', this.runsBody, exportButton), 'runs');

    this.analysis = h('div', '');
    this.analysis.setAttribute('part', 'analysis');
    this.digitField = numberControl({ name: 'digit', label: 'Test digit', min: 0, max: 1999, onInput: (digit) => this.worker?.postMessage({ type: 'inspect', digit }) });
    this.features = h('div', '');

    this.digitField.write(0);
    const featuresPanel = panel('Feature maps of a test digit', h('div', '', this.digitField.element, this.features));
    this.shadowRoot.append(controlRow, summaryPanel.element, progressPanel, this.charts, runsPanel.element,
      this.buildDrawing(), this.analysis, featuresPanel.element);
    this.setRunning(false);
    this.adoptChartStyles();
    this.startWorker();
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
        description.rows.map((row) => [row.name, `${row.shape.slice(1).join('×')}`, formatCount(row.params), formatCount(row.macs), row.rf ?? '–'])),
      h('p', 'summary', `${formatCount(description.params)} parameters, ${formatCount(description.macs)} MACs per image; ` +
        `the last convolution sees ${description.receptiveField}×${description.receptiveField} input pixels (jump ${description.jump}).`));
      this.summary.querySelector('table').classList.add('summary-table');
      this.summaryError.hidden = true;
    } catch (error) {
      this.summaryError.textContent = `This model cannot be built: ${error.message}`;
      this.summaryError.hidden = false;
      this.summary.replaceChildren();
    }
    this.startButton.disabled = this.running || !this.knobs || !this.workerReady;
  }

  // The worker lives while the element is in the document: started by build() or on
  // reconnection (an element moved in the DOM is disconnected, then connected again), ended on
  // disconnection, when a run in progress ends with it.
  startWorker() {
    this.workerReady = false;
    this.worker = new Worker(new URL('../train/worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => this.showStatus(`The training worker failed: ${event.message}`);
  }

  connectedCallback() {
    super.connectedCallback();
    if (this.started && !this.worker) {
      this.showStatus('Restarting the training worker…');
      this.startWorker();
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
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
        this.curves = new TrainingCurves(message.stepsPerEpoch);
        this.buildCharts(message.knobs.epochs);
        break;
      case 'progress':
        this.curves.addProgress(message);
        this.lossChart.setData(this.curves.loss);
        this.progress.value = message.done;
        this.showStatus(`epoch ${message.epoch}, step ${message.step}/${message.stepsPerEpoch}  loss ${message.loss.toFixed(4)}  ` +
          `${Math.round(message.imagesPerSecond)} images/s  ${message.seconds.toFixed(1)} s`);
        break;
      case 'epoch':
        this.curves.addEpoch(message);
        this.accuracyChart.setData(this.curves.accuracy);
        break;
      case 'paused':
      case 'resumed':
        this.pauseButton.textContent = message.type === 'paused' ? 'Resume' : 'Pause';
        this.pauseButton.setAttribute('aria-pressed', String(message.type === 'paused'));
        break;
      case 'finished':
        this.setRunning(false);
        this.runs.push(message.record);
        this.runsBody.replaceChildren(table(RUN_COLUMNS.map(([header]) => header), runRows(this.runs)));
        this.showStatus(`Run ${message.record.run} ${message.stopped ? 'stopped' : 'finished'}: test accuracy ` +
          `${(100 * message.record.testAccuracy).toFixed(2)}% in ${message.record.seconds.toFixed(1)} s, ` +
          `${Math.round(message.record.imagesPerSecond)} images/s.`);
        this.dispatchEvent(new CustomEvent('cnn-run', { detail: message.record, bubbles: true, composed: true }));
        break;
      case 'analysis':
        this.showAnalysis(message);
        this.worker?.postMessage({ type: 'inspect', digit: this.digitField.read() }); // the new model's maps
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
    this.startButton.disabled = running || !this.knobs || !this.workerReady;
    this.pauseButton.disabled = this.stopButton.disabled = !running;
    this.pauseButton.textContent = 'Pause';
    this.pauseButton.setAttribute('aria-pressed', 'false');
  }

  startRun() {
    if (!this.knobs || !this.workerReady) return;
    this.setRunning(true);
    this.progress.value = 0;
    this.worker.postMessage({ type: 'start', knobs: this.knobs });
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

  buildCharts(epochs) {
    this.lossChart?.destroy();
    this.accuracyChart?.destroy();
    const size = { width: SIZES.plotWidthPx, height: SIZES.plotHeightPx };
    const epochAxis = { label: 'epoch', values: (_, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? tick : '')) };
    const lossBox = h('div', '');
    const accuracyBox = h('div', '');
    this.charts.replaceChildren(lossBox, accuracyBox);
    this.lossChart = new uPlot({ ...size, title: 'Training loss (per batch)',
      scales: { x: { time: false, range: [0, Math.max(epochs, 1)] } },
      axes: [epochAxis, { label: 'cross entropy' }],
      series: [{ label: 'epoch', value: (_, v) => (v == null ? '–' : v.toFixed(2)) },
        { label: 'loss', stroke: '#0072B2', width: 1.5, value: (_, v) => (v == null ? '–' : v.toFixed(4)) }] }, this.curves.loss, lossBox);
    this.accuracyChart = new uPlot({ ...size, title: 'Accuracy per epoch',
      scales: { x: { time: false, range: [0, Math.max(epochs, 1)] }, y: { range: [0, 100] } },
      axes: [epochAxis, { label: '%' }],
      series: [{ label: 'epoch' },
        { label: 'train', stroke: '#E69F00', width: 2, points: { show: true, size: 7 }, value: (_, v) => (v == null ? '–' : `${v.toFixed(2)}%`) },
        { label: 'test', stroke: '#009E73', width: 2, dash: [6, 4], points: { show: true, size: 7 }, value: (_, v) => (v == null ? '–' : `${v.toFixed(2)}%`) }] },
    this.curves.accuracy, accuracyBox);
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
    this.analysis.replaceChildren(
      h('h4', '', `${title}: test accuracy ${(100 * model.testAccuracy).toFixed(2)}%`),
      h('div', 'lab-row', kernelGrid(model.kernels),
        h('figure', '', h('figcaption', 'caption', `Effective receptive field of the last convolution's centre pixel; theoretical ${erf.rf}×${erf.rf} dashed`), fieldCanvas(erf))),
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
    if (this.predictionQueued || !this.worker) return;
    this.predictionQueued = true;
    requestAnimationFrame(() => {
      this.predictionQueued = false;
      const alpha = this.pad.getContext('2d').getImageData(0, 0, DRAW_SIDE, DRAW_SIDE).data;
      const ink = new Uint8Array(DRAW_SIDE * DRAW_SIDE);
      for (let i = 0; i < ink.length; i++) ink[i] = alpha[4 * i + 3];
      this.worker?.postMessage({ type: 'predict', ink, width: DRAW_SIDE, height: DRAW_SIDE }, [ink.buffer]);
    });
  }

  showPrediction({ digit, probabilities, predicted }) {
    if (!digit) {
      this.seen.replaceChildren();
      this.bars.replaceChildren(h('p', 'note', 'Draw a digit on the pad.'));
      return;
    }
    this.seen.replaceChildren(h('p', 'caption', 'What the model sees (28×28)'), digitCanvas(digit, 'the drawing as a 28×28 digit', 3));
    const prediction = h('p', 'summary', `Prediction: ${predicted} (${(100 * probabilities[predicted]).toFixed(1)}%)`);
    prediction.dataset.predicted = String(predicted);
    this.bars.replaceChildren(prediction, probabilityBars(probabilities, predicted));
  }
}

CnnTrain.define('cnn-train');
