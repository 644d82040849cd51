// <cnn-train> in Chromium: the pre-trained model answers a drawing; one short epoch trains in
// the Web Worker while the page stays responsive; the plots, the runs table and the analysis
// update; an impossible model is refused before training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSmallLab, drawOne, openPageForFile, setControl } from './harness.mjs';

const LAB = 'cnn-train#lab';
let watched, page;

openPageForFile('web/', async (opened) => {
  ({ watched, page } = opened);
  await addSmallLab(page, 'lab');
});

const inLab = (body, argument = null) => page.evaluate(body, { selector: LAB, argument });

/** Waits until fn(shadowRoot) is truthy in the page. */
const until = (body, timeout = 60_000) => page.waitForFunction(body, LAB, { timeout });

test('the pre-trained model answers a drawing with ten probabilities', async () => {
  await drawOne(page, LAB); // starts the worker, which loads the digits and the model, then answers
  await until((selector) =>
    document.querySelector(selector).shadowRoot.querySelector('.status').textContent.startsWith('Ready'),
  );
  await until((selector) => document.querySelector(selector).shadowRoot.querySelector('[data-predicted]'));
  const shown = await inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    return {
      predicted: root.querySelector('[data-predicted]').dataset.predicted,
      bars: root.querySelectorAll('.bar-row').length,
    };
  });
  assert.equal(shown.bars, 10);
  assert.equal(shown.predicted, '1', 'a vertical stroke is a 1');
});

test('one epoch trains in the worker: progress, plots, runs table and analysis update', async () => {
  await inLab(({ selector }) => document.querySelector(selector).shadowRoot.querySelector('button').click());
  // The page stays responsive while the worker trains: the main thread answers at once.
  await until((selector) => document.querySelector(selector).shadowRoot.querySelector('progress').value > 0);
  const started = Date.now();
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  assert.ok(Date.now() - started < 500, 'the main thread is free during training');

  // the run's row arrives with 'finished', its analysis right after
  await until(
    (selector) =>
      document
        .querySelector(selector)
        .shadowRoot.querySelector('[part="analysis"] h4')
        ?.textContent.startsWith('Run 1'),
    120_000,
  );
  const shown = await inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    const row = [...root.querySelectorAll('[part="runs"] tbody tr')].map((tr) =>
      [...tr.cells].map((cell) => cell.textContent),
    );
    const titles = [...root.querySelectorAll('.u-title')].map((title) => title.textContent);
    return {
      row,
      titles,
      charts: root.querySelectorAll('.uplot').length,
      progress: root.querySelector('progress').value,
      analysis: root.querySelector('[part="analysis"] h4')?.textContent ?? '',
    };
  });
  assert.equal(shown.row.length, 1, 'the runs table gained a row');
  const accuracy = Number(shown.row[0][2]);
  assert.ok(accuracy > 50 && accuracy <= 100, `test accuracy ${accuracy}%`);
  assert.equal(shown.charts, 2, 'a loss chart and an accuracy chart');
  assert.ok(
    shown.titles.some((text) => /test per epoch/.test(text)) && shown.titles.some((text) => /Accuracy/.test(text)),
  );
  assert.equal(shown.progress, 1);
  assert.match(shown.analysis, /^Run 1: test accuracy \d+\.\d\d%$/);
  assert.deepEqual(watched.problems(), []);
});

test('a second run with another kernel: both in the table, both curves overlaid, two points, the pad answered by the newest model', async () => {
  await setControl(page, LAB, 'kernel', 3);
  await inLab(({ selector }) => document.querySelector(selector).shadowRoot.querySelector('button').click());
  await until(
    (selector) =>
      document
        .querySelector(selector)
        .shadowRoot.querySelector('[part="analysis"] h4')
        ?.textContent.startsWith('Run 2'),
    120_000,
  );
  await until(
    (selector) => document.querySelector(selector).shadowRoot.querySelector('[data-predicted]')?.dataset.run === '2',
    10_000,
  );
  const shown = await inLab(({ selector }) => {
    const lab = document.querySelector(selector);
    const root = lab.shadowRoot;
    const rows = [...root.querySelectorAll('[part="runs"] tbody tr')].map((tr) =>
      [...tr.cells].map((cell) => cell.textContent),
    );
    const filled = (chart) => chart.data.slice(1).map((column) => column.filter((value) => value !== null).length);
    const box = root.querySelector('[part="runs"]').getBoundingClientRect();
    const keyCells = [...root.querySelectorAll('[part="runs"] thead th.key')].map(
      (th) => th.getBoundingClientRect().right,
    );
    return {
      rows,
      loss: filled(lab.runCharts.lossChart),
      accuracy: filled(lab.runCharts.accuracyChart),
      accuracyAxis: [lab.runCharts.accuracyChart.scales.y.min, lab.runCharts.accuracyChart.scales.y.max],
      points: [...root.querySelectorAll('svg.scatter circle')].map((circle) => circle.dataset.run),
      legend: [...root.querySelectorAll('.run-legend button')].map((button) => button.textContent),
      prediction: root.querySelector('[data-predicted]').textContent,
      boxRight: box.right,
      keyRight: Math.max(...keyCells),
      tableWidth: root.querySelector('[part="runs"] table').scrollWidth,
      erf: root.querySelector('.erf-share').textContent,
    };
  });
  assert.deepEqual(
    shown.rows.map((row) => row[1]),
    ['k5 s1 max 2,4', 'k3 s1 max 2,4'],
    'both runs in the table',
  );
  // per run: batch loss and test loss; test and training accuracy — every series has data
  assert.equal(shown.loss.length, 4);
  assert.ok(
    shown.loss.every((count) => count > 0),
    `loss points per series ${shown.loss}`,
  );
  assert.deepEqual(shown.accuracy, [1, 1, 1, 1], 'one epoch each: one test and one training accuracy per run');
  assert.ok(
    shown.accuracyAxis[0] > 0 && shown.accuracyAxis[1] <= 100,
    `accuracy axis ${shown.accuracyAxis} zooms to the data`,
  );
  assert.deepEqual(shown.points, ['1', '2'], 'the scatter has one point per run');
  assert.deepEqual(shown.legend, ['run 1: k5 s1 max 2,4', 'run 2: k3 s1 max 2,4']);
  assert.match(shown.prediction, /^Prediction by run 2's model: \d/);
  assert.ok(shown.keyRight <= shown.boxRight + 1, `key columns end at ${shown.keyRight}, the box at ${shown.boxRight}`);
  assert.match(
    shown.erf,
    /90 % of the gradient lies on \d+ pixels, \d+ % of the theoretical field's \d+ inside the digit/,
  );
  assert.deepEqual(watched.problems(), []);
});

test('a model that cannot be built is refused before training, naming the layer', async () => {
  for (const [control, value] of [
    ['kernel', 9],
    ['stride', 4],
    ['padding', 'valid'],
  ])
    await setControl(page, LAB, control, value);
  const shown = await inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    return {
      error: root.querySelector('[part="summary"] .error').textContent,
      disabled: root.querySelector('button').disabled,
    };
  });
  // 28 → (28 − 9)/4 + 1 = 5 → pooled 2: the second 9×9 kernel cannot fit
  assert.match(shown.error, /^This model cannot be built: layer 5 \(Conv2d\) gets a 2×2×2 input: conv2d: kernel_h: /);
  assert.ok(shown.disabled, 'Start is disabled');
});
