// The widgets in Chromium: what they show is checked against the core, called in the same page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPageForFile, whenStarted, setControl, readGrid, clickCell } from './harness.mjs';

let watched, page;

openPageForFile('web/', (opened) => ({ watched, page } = opened));

/**
 * Runs `body({ selector, argument })` in the page; the body imports the core itself
 * (page.evaluate serializes the function, and the page's CSP forbids building one from text).
 */
function inPage(selector, body, argument = null) {
  return page.evaluate(body, { selector, argument });
}

const numbers = (texts) => texts.map(Number);

test('pooling shows the seed article’s values, computed by the core', async () => {
  const pool = 'cnn-pool#pool';
  await whenStarted(page, pool);
  const expected = await inPage(pool, async () => {
    const cnn = await (await import('/web/cnn.js')).load();
    const x = new cnn.Tensor(
      Array.from({ length: 16 }, (_, i) => i + 1),
      [1, 1, 4, 4],
    );
    return {
      max: Array.from(cnn.F.max_pool2d(x, 2, { stride: 2 }).data),
      avg: Array.from(cnn.F.avg_pool2d(x, 2, { stride: 2 }).data),
      global: Array.from(cnn.F.adaptive_avg_pool2d(x, [1, 1]).data),
    };
  });
  const article = { max: [6, 8, 14, 16], avg: [3.5, 5.5, 11.5, 13.5], global: [8.5] }; // printed in the seed article
  for (const mode of ['max', 'avg', 'global']) {
    await setControl(page, pool, 'mode', mode);
    const shown = numbers((await readGrid(page, pool, 'Pooled output')).texts);
    assert.deepEqual(shown, expected[mode], mode);
    assert.deepEqual(shown, article[mode], mode);
  }
  await setControl(page, pool, 'mode', 'max');
  const winners = (await readGrid(page, pool, 'Input feature map with padding')).marks.filter((marks) =>
    /winner/.test(marks),
  );
  assert.equal(winners.length, 1, 'the current window’s winner is starred');
});

const CONV = 'cnn-conv#conv';

/** Output shape, values and one traced window of the widget's current settings, from the core. */
const coreConv = async ({ selector, argument: at }) => {
  const cnn = await (await import('/web/cnn.js')).load();
  const element = document.querySelector(selector);
  const state = element.state;
  const x = new cnn.Tensor(element.model.input, [1, state.channels, state.size, state.size]);
  const w = new cnn.Tensor(element.model.weights, [1, state.channels, state.kernel, state.kernel]);
  const options = { stride: state.stride, padding: state.padding, dilation: state.dilation };
  const output = cnn.F.conv2d(x, w, null, options);
  const width = output.shape[3];
  const trace =
    at === null
      ? null
      : cnn.trace.conv2d(x, w, null, options, { channel: 0, row: Math.floor(at / width), col: at % width });
  return { shape: output.shape, values: Array.from(output.data), terms: trace?.terms ?? [] };
};

test('changing kernel, stride, padding and dilation: output shape and stepped sums match the core', async () => {
  await whenStarted(page, CONV);
  const settings = [
    { kernel: 5, stride: 1, padding: 0, dilation: 1 },
    { kernel: 3, stride: 2, padding: 1, dilation: 1 },
    { kernel: 3, stride: 1, padding: 2, dilation: 2 },
    { kernel: 4, stride: 1, padding: 'same', dilation: 1 },
  ];
  for (const setting of settings) {
    for (const [control, value] of Object.entries(setting)) await setControl(page, CONV, control, value);
    const core = await inPage(CONV, coreConv, null);
    const output = await readGrid(page, CONV, 'Output');
    assert.equal(output.cols, core.shape[3], `${JSON.stringify(setting)}: width`);
    assert.equal(output.texts.length, core.shape[2] * core.shape[3], `${JSON.stringify(setting)}: cells`);
    for (const step of [0, 1, core.values.length - 1]) {
      await page.evaluate(({ selector, step }) => document.querySelector(selector).stepper.goTo(step), {
        selector: CONV,
        step,
      });
      const line = await page.evaluate(
        (selector) =>
          [...document.querySelector(selector).shadowRoot.querySelectorAll('[part="step"] div')].at(-1).textContent,
        CONV,
      );
      const sum = Number(line.slice(line.lastIndexOf('= ') + 2));
      assert.ok(
        Math.abs(sum - core.values[step]) <= 0.005,
        `${JSON.stringify(setting)} step ${step}: shown ${sum}, core ${core.values[step]}`,
      );
    }
  }
  for (const [control, value] of Object.entries({ kernel: 3, stride: 1, padding: 0, dilation: 1 }))
    await setControl(page, CONV, control, value);
});

test('clicking an output cell jumps there and marks exactly the window the core traced', async () => {
  await setControl(page, CONV, 'padding', 1);
  await setControl(page, CONV, 'dilation', 2);
  const target = 7;
  await clickCell(page, CONV, 'Output', target);
  assert.equal(await page.evaluate((selector) => document.querySelector(selector).stepper.index, CONV), target);
  const core = await inPage(CONV, coreConv, target);
  const input = await readGrid(page, CONV, 'Input channel 0');
  const marked = input.marks.flatMap((marks, index) => (/\bwin\b/.test(marks) ? [index] : []));
  const traced = core.terms.map((term) => term.padded_row * input.cols + term.padded_col).sort((a, b) => a - b);
  assert.deepEqual(marked, traced);
  assert.ok(
    input.marks.some((marks) => /\bhole\b/.test(marks)),
    'dilation 2 leaves holes inside the window',
  );
  const output = await readGrid(page, CONV, 'Output');
  assert.match(output.marks[target], /\bcur\b/);
});

test('clicking an input cell marks every output cell it fed (parameter sharing)', async () => {
  const input = await readGrid(page, CONV, 'Input channel 0');
  const padded = 3 * input.cols + 4; // padded (3, 4) = input (2, 3) with padding 1
  await clickCell(page, CONV, 'Input channel 0', padded);
  const expected = await inPage(CONV, async ({ selector }) => {
    const cnn = await (await import('/web/cnn.js')).load();
    const element = document.querySelector(selector);
    const state = element.state;
    const x = new cnn.Tensor(element.model.input, [1, 1, state.size, state.size]);
    const w = new cnn.Tensor(element.model.weights, [1, 1, state.kernel, state.kernel]);
    const options = { stride: state.stride, padding: state.padding, dilation: state.dilation };
    const output = cnn.F.conv2d(x, w, null, options);
    const fed = [];
    for (let index = 0; index < output.size; index++) {
      const traced = cnn.trace.conv2d(x, w, null, options, {
        channel: 0,
        row: Math.floor(index / output.shape[3]),
        col: index % output.shape[3],
      });
      if (traced.terms.some((term) => term.in_bounds && term.row === 2 && term.col === 3)) fed.push(index);
    }
    return fed;
  });
  const output = await readGrid(page, CONV, 'Output');
  const marked = output.marks.flatMap((marks, index) => (/\bfed\b/.test(marks) ? [index] : []));
  assert.ok(expected.length > 1);
  assert.deepEqual(marked, expected);
});

test('the keyboard steps, plays and pauses', async () => {
  await setControl(page, CONV, 'dilation', 1);
  await page.evaluate((selector) => {
    const element = document.querySelector(selector);
    element.stepper.goTo(0);
    element.focus();
  }, CONV);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const width = (await readGrid(page, CONV, 'Output')).cols;
  assert.equal(await page.evaluate((selector) => document.querySelector(selector).stepper.index, CONV), 2 + width);
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await page.keyboard.press(' ');
  assert.equal(
    await page.locator(`${CONV} [data-control="transport"] button[aria-pressed]`).getAttribute('aria-pressed'),
    'true',
  );
  await page.waitForFunction((selector) => document.querySelector(selector).stepper.index >= 2, CONV);
  await page.keyboard.press(' ');
  assert.equal(await page.evaluate((selector) => document.querySelector(selector).stepper.playing, CONV), false);
  const live = await page.evaluate(
    (selector) =>
      document.querySelector(selector).shadowRoot.querySelector('[aria-live="polite"][role="status"]').textContent,
    CONV,
  );
  assert.match(live, /^output\[\d+, \d+\] = /, 'the aria-live summary names the current step');
});

test('transposed convolution: scatter sums and the equivalent convolution match the core', async () => {
  const widget = 'cnn-conv#transposed';
  await whenStarted(page, widget);
  const core = await inPage(widget, async ({ selector }) => {
    const cnn = await (await import('/web/cnn.js')).load();
    const element = document.querySelector(selector);
    const state = element.state;
    const x = new cnn.Tensor(element.model.input, [1, 1, state.size, state.size]);
    const w = new cnn.Tensor(element.model.weights, [1, 1, state.kernel, state.kernel]);
    const output = cnn.F.conv_transpose2d(x, w, null, {
      stride: state.stride,
      padding: state.padding,
      output_padding: state.outputPadding,
    });
    return { shape: output.shape, values: Array.from(output.data) };
  });
  const output = await readGrid(page, widget, 'Output');
  assert.equal(output.cols, core.shape[3]);
  assert.deepEqual(
    numbers(output.texts),
    core.values.map((value) => Number(value.toFixed(2))),
  );
  for (const step of [0, 4, core.values.length - 1]) {
    await page.evaluate(({ widget, step }) => document.querySelector(widget).stepper.goTo(step), { widget, step });
    const line = await page.evaluate(
      (selector) =>
        [...document.querySelector(selector).shadowRoot.querySelectorAll('[part="step"] div')].at(-1).textContent,
      widget,
    );
    assert.ok(
      Math.abs(Number(line.slice(line.lastIndexOf(' ') + 1).replace(/\.$/, '')) - core.values[step]) <= 0.005,
      line,
    );
    const equivalent = await readGrid(page, widget, 'Zero-inserted, padded input channel 0');
    assert.equal(equivalent.marks.filter((marks) => /\bwin\b/.test(marks)).length, 9, 'the flipped 3×3 kernel window');
  }
});

test('the receptive-field widget’s ResNet-18 preset shows RF 27 and jump 4', async () => {
  const rf = 'cnn-receptive-field#rf';
  await whenStarted(page, rf);
  const last = await page.locator(`${rf} [part="table"] tbody tr >> nth=-1`).locator('td').allTextContents();
  const expected = await inPage(rf, async () =>
    (await (await import('/web/cnn.js')).load()).arithmetic
      .receptive_field([
        { kernel: 7, stride: 2, padding: 3 },
        { kernel: 3, stride: 2, padding: 1 },
        { kernel: 3, padding: 1 },
        { kernel: 3, padding: 1 },
      ])
      .at(-1),
  );
  assert.equal(Number(last[3]), expected.rf);
  assert.equal(Number(last[4]), expected.jump);
  assert.deepEqual([Number(last[3]), Number(last[4])], [27, 4], 'the seed article’s figures');
  await page.evaluate((selector) => document.querySelector(selector).stepper.goTo(0), rf);
  const caption = await page.locator(`${rf} [part="field"] .note`).textContent();
  assert.match(caption, /RF 7×7, jump 2/, 'stepping back shows the first layer’s field');
});

test('invalid settings are explained with the core’s reason', async () => {
  await setControl(page, CONV, 'size', 3);
  await setControl(page, CONV, 'kernel', 7);
  const error = await page.locator(`${CONV} p.error:not([hidden])`).first().textContent();
  assert.match(error, /effective kernel .* is larger than the padded input/);
  await setControl(page, CONV, 'kernel', 3);
  await setControl(page, CONV, 'size', 6);
});

test('no console errors and no request outside the page’s origin', () => {
  assert.deepEqual(watched.problems(), []);
});
