// The training lab's DOM-free parts, in Node: the worker's session protocol, the drawing pad's
// preparation of a digit, the effective receptive field, the runs table's CSV and the
// widget's attributes. The widget itself: tests/browser/train.test.mjs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from '../web/cnn.js';
import { loadMnist, readBytes } from '../web/train/dataset.js';
import { drawingToDigit } from '../web/train/drawing.js';
import { effectiveReceptiveField } from '../web/train/inspect.js';
import { checkKnobs, KNOBS } from '../web/train/knobs.js';
import { formatFixed } from '../web/i18n/index.js';
import { buildModel, describeModel } from '../web/train/model.js';
import { RUN_COLUMNS, runsCsv } from '../web/train/runs.js';
import { DEFAULT_MODEL_URL, TrainingSession } from '../web/train/session.js';
import {
  accuracyChartData,
  accuracyRange,
  fasterKernelExercise,
  joinSeries,
  knobsOf,
  LAB_COLUMNS,
  labColumns,
  lossChartData,
  RunCurves,
  scatterGeometry,
  TRAIN_SCHEMA,
  trainingNote,
} from '../web/widgets/cnn-train-model.js';
import { message } from '../web/i18n/index.js';
import { parseAll } from '../web/widgets/attributes.js';

const cnn = await load();
const data = await loadMnist();

/** A session whose posts are collected; `next(type)` resolves with the next message of a type. */
function openSession() {
  const messages = [],
    waiting = [];
  const session = new TrainingSession(cnn, data, (message) => {
    messages.push(message);
    waiting
      .filter((w) => w.type === message.type)
      .forEach((w) => {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(message);
      });
  });
  const next = (type) => new Promise((resolve) => waiting.push({ type, resolve }));
  return { session, messages, next };
}

describe('the worker session', () => {
  test('the pre-trained model loads, reports its analysis and answers a drawing', async () => {
    const { session, messages } = openSession();
    session.useDefaultModel(await readBytes(DEFAULT_MODEL_URL));
    const [ready, analysis] = messages;
    assert.equal(ready.type, 'ready');
    assert.deepEqual(ready.knobs.channels, [16, 32]);
    assert.equal(analysis.type, 'analysis');
    assert.equal(analysis.run, 0);
    // examples/train_mnist.mjs --augment yes --epochs 6 printed 98.30% when it wrote the file
    assert.equal(analysis.model.testAccuracy, 0.983);
    assert.equal(
      analysis.model.confusion.reduce((a, b) => a + b),
      2000,
    );
    assert.equal(analysis.model.misclassified.length, 34);

    // a vertical bar, drawn thick on a 280 × 280 pad: a "1"
    const ink = new Uint8Array(280 * 280);
    for (let y = 50; y < 230; y++) for (let x = 128; x < 152; x++) ink[y * 280 + x] = 255;
    await session.handle({ type: 'predict', ink, width: 280, height: 280 });
    const prediction = messages.at(-1);
    assert.equal(prediction.predicted, 1);
    assert.ok(Math.abs(prediction.probabilities.reduce((a, b) => a + b) - 1) < 1e-6, 'probabilities sum to 1');
    await session.handle({ type: 'predict', ink: new Uint8Array(280 * 280), width: 280, height: 280 });
    assert.equal(messages.at(-1).digit, null, 'an empty pad predicts nothing');

    await session.handle({ type: 'inspect', digit: 0 });
    const features = messages.at(-1);
    assert.deepEqual(
      features.maps.map((map) => `${map.name} ${map.shape.join('×')}`),
      ['Conv2d-1 16×28×28', 'MaxPool2d-4 16×14×14', 'Conv2d-5 32×14×14', 'MaxPool2d-8 32×7×7'],
    );
    assert.equal(features.label, data.image(data.test, 0).label);
    await session.handle({ type: 'inspect', digit: 2000 });
    assert.match(messages.at(-1).message, /inspect: digit must be a test digit index in \[0, 2000\), got 2000/);
    session.current.network.dispose();
  });

  test('a run starts, pauses, resumes, stops on request and joins the runs table', async () => {
    const { session, messages, next } = openSession();
    const run = session.handle({ type: 'start', knobs: { channels: [2, 4], epochs: 2 } });
    await next('progress');
    await session.handle({ type: 'pause' });
    assert.equal(messages.at(-1).type, 'paused');
    await session.handle({ type: 'start', knobs: {} });
    assert.match(messages.at(-1).message, /a run is in progress: stop it first/);
    await session.handle({ type: 'resume' });
    await next('progress');
    await session.handle({ type: 'stop' });
    await run;
    const finished = messages.find((message) => message.type === 'finished');
    assert.ok(finished.stopped);
    assert.ok(finished.record.epochs < 2, `stopped after ${finished.record.epochs} epochs`);
    assert.deepEqual(
      messages.filter((m) => !['progress', 'epoch'].includes(m.type)).map((m) => m.type),
      ['started', 'paused', 'error', 'resumed', 'finished', 'analysis'],
    );
    assert.match(
      runsCsv([finished.record]),
      /^run,config,test accuracy \(%\),training \(s\),evaluation \(s\),images\/s,workers,MACs per image,.*\r\n1,"k5 s1 max 2,4",\d+\.\d\d,\d+\.\d,\d+\.\d,\d+,1,"[\d,]+",/,
    );
    const { record } = finished;
    assert.equal(record.macs, describeModel(buildModel(cnn.nn, checkKnobs({ channels: [2, 4] }))).macs);
    assert.ok(record.evalSeconds > 0 && record.seconds > 0, 'training and evaluation timed apart');
    assert.ok(Number.isFinite(record.testLoss));
    // stopped mid-epoch: the accuracy is the stopped weights' own, not the last epoch's
    assert.equal(messages.filter((m) => m.type === 'epoch').length, Math.floor(record.epochs));
    await session.handle({ type: 'predict', ink: new Uint8Array(28 * 28).fill(255), width: 28, height: 28 });
    assert.equal(messages.at(-1).run, 1, 'the newest model answers the pad');
    session.current.network.dispose();
    assert.equal(cnn.liveAllocations(), 0);
  });

  test('impossible knobs are refused before anything trains', async () => {
    const { session, messages } = openSession();
    await session.handle({ type: 'start', knobs: { kernel: 9, stride: 4, padding: 'valid' } });
    assert.equal(messages.length, 1);
    assert.match(messages[0].message, /^layer 5 \(Conv2d\) gets a 8×2×2 input: conv2d: kernel_h: /);
  });
});

describe('the drawing pad', () => {
  test('a drawing becomes a 28×28 digit in a 20×20 box, centred by its centre of mass', () => {
    // a small filled square in a corner of a 100 × 60 pad
    const [width, height] = [100, 60];
    const ink = new Uint8Array(width * height);
    for (let y = 2; y < 12; y++) for (let x = 80; x < 90; x++) ink[y * width + x] = 200;
    const digit = drawingToDigit(cnn, ink, width, height);
    const inked = [...digit.keys()].filter((i) => digit[i] > 0);
    const rows = inked.map((i) => Math.floor(i / 28)),
      cols = inked.map((i) => i % 28);
    assert.deepEqual(
      [Math.min(...rows), Math.max(...rows), Math.min(...cols), Math.max(...cols)],
      [4, 23, 4, 23],
      'scaled to 20×20, centred',
    );
    assert.ok(
      inked.every((i) => Math.abs(digit[i] - 200) < 1e-3),
      'area averaging keeps a uniform grey',
    );
    assert.equal(drawingToDigit(cnn, new Uint8Array(16), 4, 4), null);
  });
});

describe('the effective receptive field', () => {
  test('lies inside the theoretical receptive field: every pixel outside it has zero gradient', () => {
    const model = buildModel(cnn.nn, checkKnobs({ channels: [4, 8], kernel: 3 }));
    const images = cnn.augment.normalizePixels(data.gather(data.test, [0, 1, 2, 3]).pixels);
    const field = effectiveReceptiveField(cnn, model, images, 4);
    // conv 3 (pad 1) → pool 2 → conv 3 (pad 1): rf 3 + 1 + 2·2 = 8, jump 2, and output pixel 0
    // starts at −1 − 1·2 = −3; the centre of the 14×14 map, pixel 7, sees 7·2 − 3 … + 7 = 11 … 18
    assert.equal(field.rf, 8);
    assert.deepEqual(
      [field.rows, field.cols],
      [
        [11, 18],
        [11, 18],
      ],
    );
    let inside = 0;
    field.data.forEach((value, p) => {
      const [row, col] = [Math.floor(p / 28), p % 28];
      const within = row >= 11 && row <= 18 && col >= 11 && col <= 18;
      if (!within) assert.equal(value, 0, `pixel (${row}, ${col}) outside the field`);
      else if (value > 0) inside++;
    });
    assert.ok(inside > 32, `${inside} of 64 pixels inside the field move the output`);
    assert.equal(Math.max(...field.data), 1, 'scaled to a maximum of 1');
    // the share the text reports: the fewest pixels holding 90 % of the gradient, of the 8×8 field
    assert.equal(field.area, 64);
    const sorted = [...field.data].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const carried = sorted.slice(0, field.pixels).reduce((a, b) => a + b, 0);
    const fewer = sorted.slice(0, field.pixels - 1).reduce((a, b) => a + b, 0);
    assert.ok(carried >= 0.9 * total - 1e-4 && fewer < 0.9 * total, `${field.pixels} pixels`);
    assert.equal(field.share, field.pixels / 64);
  });
});

describe("the widget's attributes", () => {
  test('one attribute per knob and workers; the state gives checked knobs', () => {
    assert.deepEqual(Object.keys(TRAIN_SCHEMA), [...KNOBS.map((knob) => knob.flag), 'workers']);
    const { state } = parseAll(
      TRAIN_SCHEMA,
      (name) => ({ kernel: '3', channels: '8,16', 'batch-norm': 'false', lr: '0.01' })[name] ?? null,
    );
    assert.deepEqual(knobsOf(state), checkKnobs({ kernel: 3, channels: [8, 16], batchNorm: false, lr: 0.01 }));
    const bad = parseAll(TRAIN_SCHEMA, (name) => (name === 'lr' ? 'fast' : null)).state;
    assert.throws(() => knobsOf(bad), /--lr: must be a number, got 'fast'/);
    const workers = (text) =>
      knobsOf(parseAll(TRAIN_SCHEMA, (name) => ({ workers: text, batch: '16' })[name] ?? null).state).workers;
    assert.equal(workers('2'), 2);
    assert.equal(workers(null), checkKnobs({ batch: 16 }).workers, 'absent: the cores but one');
    assert.throws(() => workers('17'), /--workers: 17 workers for a batch of 16/);
    assert.throws(() => workers('0'), /--workers: must be a whole number of workers from 1 to the batch \(16\), got 0/);
  });

  test("the charts overlay every run: series grow with the worker's messages, joined on one x axis", () => {
    const first = new RunCurves(1, 'k3 s1 max 8,16', 4);
    first.addProgress({ epoch: 1, step: 2, loss: 1.5 });
    first.addEpoch({ epoch: 1, trainAccuracy: 0.5, testAccuracy: 0.75, testLoss: 0.8 });
    assert.deepEqual(first.loss, [[0.5], [1.5]]);
    assert.deepEqual(first.testLoss, [
      [0, 1],
      [null, 0.8],
    ]);
    assert.deepEqual(first.testAccuracy, [
      [0, 1],
      [null, 75],
    ]);
    const second = new RunCurves(2, 'k5 s1 max 8,16', 2);
    second.addProgress({ epoch: 1, step: 1, loss: 2 });
    second.addProgress({ epoch: 1, step: 2, loss: 1 });
    assert.notEqual(first.color, second.color);
    assert.deepEqual(lossChartData([first, second]), [
      [0, 0.5, 1],
      [null, 1.5, null],
      [null, null, 0.8],
      [null, 2, 1],
      [null, null, null],
    ]);
    assert.deepEqual(
      joinSeries([
        [
          [0, 2],
          [1, 3],
        ],
        [[1], [5]],
      ]),
      [
        [0, 1, 2],
        [1, null, 3],
        [null, 5, null],
      ],
    );
    assert.equal(accuracyChartData([first, second]).length, 5, 'x and two series per run');
  });

  test('the accuracy axis zooms to the shown data; the scatter places each run by speed and accuracy', () => {
    const curves = new RunCurves(1, 'k5', 4);
    curves.addEpoch({ epoch: 1, trainAccuracy: 0.9612, testAccuracy: 0.9745, testLoss: 0.1 });
    assert.deepEqual(accuracyRange([curves]), [95, 99]);
    curves.shown = false;
    assert.deepEqual(accuracyRange([curves]), [0, 100]);
    const records = [
      { run: 1, imagesPerSecond: 9000, testAccuracy: 0.9745 },
      { run: 2, imagesPerSecond: 4000, testAccuracy: 0.981 },
    ];
    const { points, frame, xTicks, yTicks } = scatterGeometry(records, 360, 220);
    assert.deepEqual(
      xTicks.map((tick) => tick.value),
      ['4,000', '6,000', '8,000'],
      'round ticks inside the padded range',
    );
    assert.ok(
      yTicks.length >= 2 && yTicks.every((tick) => tick.position >= frame.top && tick.position <= frame.bottom),
    );
    assert.equal(points.length, 2);
    assert.ok(points[0].px > points[1].px, 'the faster run lies to the right');
    assert.ok(points[1].py < points[0].py, 'the more accurate run lies higher');
    for (const point of points)
      assert.ok(point.px > frame.left && point.px < frame.right && point.py > frame.top && point.py < frame.bottom);
  });

  test('a global-average-pooling head on a small receptive field carries a note with the reason', () => {
    const gap = checkKnobs({ pool: 'gap' });
    assert.match(
      trainingNote(gap, describeModel(buildModel(cnn.nn, gap))),
      /^Known to train poorly: the global-average-pooling head keeps 16 numbers.* sees 14×14 of the 28×28 digit/,
    );
    const dense = checkKnobs({});
    assert.equal(trainingNote(dense, describeModel(buildModel(cnn.nn, dense))), '');
  });
});

describe('the lab in two languages', () => {
  const record = {
    run: 1,
    knobs: checkKnobs({}),
    epochs: 3,
    params: 12345,
    macs: 1234567,
    receptiveField: 14,
    seconds: 12.34,
    evalSeconds: 1.5,
    imagesPerSecond: 7512.4,
    testAccuracy: 0.9745,
    testLoss: 0.08123,
  };
  const formats = (language) => ({
    fixed: (value, decimals) => formatFixed(language, value, decimals),
    number: (value) => String(value),
    config: () => 'k5 s1 max 8,16',
    yesNo: (value) => message(language, value ? 'lab.runs.yes' : 'lab.runs.no'),
    choice: (name, value) => value,
  });

  test("the runs table has a column for each of runs.js's (its CSV), headed in either language", () => {
    const english = LAB_COLUMNS.map((column) => message('en', `lab.column.${column.id}`));
    for (const [header] of RUN_COLUMNS)
      assert.ok(english.includes(header), `runs.js column "${header}" has a lab column`);
    assert.deepEqual(
      labColumns([record])
        .map((column) => column.cell(record, formats('zh')))
        .slice(0, 7),
      ['1', 'k5 s1 max 8,16', '97.45', '12.3', '1.5', '7,512', '1,234,567'],
    );
    assert.equal(message('zh', `lab.column.${labColumns([record])[2].id}`), '测试准确率 (%)');
  });

  test('the workers column shows only when a run has the field (multi-worker runs)', () => {
    assert.ok(!labColumns([record]).some((column) => column.id === 'workers'));
    const parallel = { ...record, workers: 3 };
    const columns = labColumns([record, parallel]);
    const workers = columns.find((column) => column.id === 'workers');
    assert.equal(workers.cell(parallel, formats('en')), '3');
    assert.equal(message('en', 'lab.knob.workers'), 'Workers');
    assert.equal(message('zh', 'lab.knob.workers'), '并行 Worker 数');
  });

  test("the model notes and the exercise speak the lab's language", () => {
    const gap = checkKnobs({ pool: 'gap' });
    const zh = (key, vars) => message('zh', key, vars);
    assert.match(
      trainingNote(gap, describeModel(buildModel(cnn.nn, gap)), 28, zh),
      /^已知训练效果差：全局平均池化头只保留 16 个数/,
    );
    const faster = fasterKernelExercise(
      cnn.nn,
      checkKnobs({}),
      (nn, knobs) => describeModel(buildModel(nn, knobs)),
      zh,
      (value, decimals) => formatFixed('zh', value, decimals),
    );
    assert.match(faster.text, /^卷积核 3：每张图像 [\d,]+ 次乘加（MACs），另一个是 [\d,]+，计算量少 \d+\.\d 倍。/);
    assert.match(faster.mistakes[0].message, /^7×7 卷积核对每个输出像素和每对通道要做 49 次乘加/);
  });
});
