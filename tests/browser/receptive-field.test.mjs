// <cnn-receptive-field> in Chromium: the square drawn over the photo is the core's receptive
// field (span, size and place, read back from the canvas's pixels), at several layers and pixels;
// nothing of the hidden answer is drawn or carried before the learner answers; the arrow keys
// move the pixel and the live region says so politely, in English and in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPageForFile, whenStarted } from './harness.mjs';

const RF = 'cnn-receptive-field#rf';
let watched, page;

openPageForFile('web/', async (opened) => {
  ({ watched, page } = opened);
  await page.emulateMedia({ reducedMotion: 'reduce' }); // the square jumps: its pixels are final at once
  await whenStarted(page, RF);
});

/**
 * The widget's field as drawn, and the core's answer for the same layer and pixel: span
 * (arithmetic.receptive_field_span of the first `depth` layers) and RF (arithmetic.receptive_field).
 * `probe`: the canvas pixels where the square's outline must be (the middle of its right edge, over
 * the photo) and its inside, as [r, g, b], with the theme's accent to compare them with.
 */
const fieldAndCore = () =>
  page.evaluate(async (selector) => {
    const cnn = await (await import('/web/cnn.js')).load();
    const element = document.querySelector(selector);
    const view = element.fieldView;
    const layers = element.stack
      .slice(0, view.depth)
      .map(({ kernel, stride, padding, dilation }) => ({ kernel, stride, padding, dilation }));
    const core = {
      span: [
        cnn.arithmetic.receptive_field_span(layers, view.row),
        cnn.arithmetic.receptive_field_span(layers, view.col),
      ],
      rf: cnn.arithmetic.receptive_field(layers).at(-1).rf,
    };
    const canvas = element.shadowRoot.querySelector('[part="field"] canvas');
    const data = { ...canvas.dataset };
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const pixel = (x, y) => [
      ...canvas
        .getContext('2d')
        .getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1)
        .data.slice(0, 3),
    ];
    const accent = element.colors().accent;
    // The 2 px outline covers [x − 1, x + 1]: the pixel that starts at ceil(x − 1) lies wholly on it.
    // Probed on the right edge, three quarters down the part of the square over the photo.
    const probe = ({ x, y, width, height }) => {
      const overPhoto = Math.max(y, view.photoPx.y);
      return {
        outline: pixel(Math.ceil(x + width - 1), y + height - (y + height - overPhoto) / 4),
        size: element.state.size,
      };
    };
    return {
      view,
      data,
      core,
      accent: [1, 3, 5].map((at) => parseInt(accent.slice(at, at + 2), 16)),
      probe: view.square ? probe(view.square) : null,
    };
  }, RF);

const near = (a, b, tolerance = 12) => a.every((value, index) => Math.abs(value - b[index]) <= tolerance);

test('before the answer: photo, output map and ring, but no square, no size, no span and no RF column', async () => {
  const shown = await page.evaluate(async (selector) => {
    const cnn = await (await import('/web/cnn.js')).load();
    const element = document.querySelector(selector);
    const root = element.shadowRoot;
    const canvas = root.querySelector('[part="field"] canvas');
    const view = element.fieldView;
    // Where the last layer's square would be drawn (no margin while hidden): its top edge, from the core.
    const layers = element.stack.map(({ kernel, stride, padding, dilation }) => ({
      kernel,
      stride,
      padding,
      dilation,
    }));
    const [top] = cnn.arithmetic.receptive_field_span(layers, view.row);
    const [left, right] = cnn.arithmetic.receptive_field_span(layers, view.col);
    const scale = canvas.getBoundingClientRect().width / element.state.size;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const edgePixel = [
      ...canvas
        .getContext('2d')
        .getImageData(Math.round(((left + right + 1) / 2) * scale * ratio), Math.ceil((top * scale - 1) * ratio), 1, 1)
        .data.slice(0, 3),
    ];
    const accent = element.colors().accent;
    return {
      view,
      data: { ...canvas.dataset },
      fieldVisible: canvas.checkVisibility({ visibilityProperty: true }),
      mapVisible: root.querySelector('[part="map"] canvas').checkVisibility({ visibilityProperty: true }),
      caption: root.querySelector('[part="field"] .note').textContent,
      hiddenCells: [...root.querySelectorAll('[part="table"] tbody tr')].map((row) =>
        [...row.cells].slice(3, 6).map((cell) => cell.firstChild.classList.contains('concealed')),
      ),
      edgePixel,
      accent: [1, 3, 5].map((at) => parseInt(accent.slice(at, at + 2), 16)),
      plotConcealed: root.querySelector('[part="plot"]').classList.contains('concealed'),
    };
  }, RF);
  assert.equal(shown.view.depth, 4, 'the first view is the last layer');
  assert.equal(shown.view.hidden, true);
  assert.ok(shown.fieldVisible && shown.mapVisible, 'the photo and the output map are in view');
  assert.deepEqual(Object.keys(shown.view).sort(), ['col', 'depth', 'hidden', 'outSize', 'row']);
  assert.equal(shown.data.span, undefined);
  assert.equal(shown.data.rf, undefined);
  assert.match(shown.caption, /The ring marks where layer 4 output pixel \(8, 8\) looks/);
  assert.deepEqual(
    shown.hiddenCells,
    [
      [false, false, false],
      [true, true, true],
      [true, true, true],
      [true, true, true],
    ],
    'RF, jump and start hidden but for layer 1 (its kernel)',
  );
  assert.ok(!near(shown.edgePixel, shown.accent, 40), `no outline where the square would be: ${shown.edgePixel}`);
  assert.ok(shown.plotConcealed, 'the plot, which is the answer, stays hidden');
});

test('layer 1 of the stack is shown before the answer: its field is its kernel', async () => {
  await page.evaluate((selector) => document.querySelector(selector).stepper.goTo(0), RF);
  const { view, data, core, probe, accent } = await fieldAndCore();
  assert.equal(view.hidden, false);
  assert.deepEqual(view.span, core.span);
  assert.equal(view.rf, 7);
  assert.equal(data.rf, '7');
  assert.ok(near(probe.outline, accent), `outline ${probe.outline} is the accent ${accent}`);
  await page.evaluate((selector) => document.querySelector(selector).stepper.goTo(3), RF);
});

test('after the reveal: at every layer and several pixels the square is the core’s field, drawn where it is', async () => {
  await page.evaluate(
    (selector) =>
      [...document.querySelector(selector).shadowRoot.querySelectorAll('[part="exercise"] button')]
        .find((button) => button.textContent === 'Reveal')
        .click(),
    RF,
  );
  for (const depth of [1, 2, 3, 4]) {
    await page.evaluate(({ selector, index }) => document.querySelector(selector).stepper.goTo(index), {
      selector: RF,
      index: depth - 1,
    });
    for (const pixel of [null, [0, 0], [2, 5]]) {
      if (pixel)
        await page.evaluate(({ selector, pixel }) => (document.querySelector(selector).pixel = pixel), {
          selector: RF,
          pixel,
        });
      const { view, data, core, probe, accent } = await fieldAndCore();
      const where = `layer ${depth}, pixel ${view.row},${view.col}`;
      assert.equal(view.depth, depth);
      assert.equal(view.hidden, false, where);
      assert.deepEqual(view.span, core.span, where);
      assert.equal(view.rf, core.rf, where);
      assert.equal(view.span[0][1] - view.span[0][0] + 1, core.rf, `${where}: the square's side is the RF`);
      assert.equal(data.span, core.span.flat().join(','), where);
      // Place on the canvas: the photo's pixel i starts at (i + margin)·scale, margin = the span's overhang.
      const size = probe.size;
      const margin = Math.max(
        0,
        -core.span[0][0],
        -core.span[1][0],
        core.span[0][1] - (size - 1),
        core.span[1][1] - (size - 1),
      );
      const edge = await page.evaluate(
        (selector) =>
          document.querySelector(selector).shadowRoot.querySelector('[part="field"] canvas').getBoundingClientRect()
            .width,
        RF,
      );
      const scale = edge / (size + 2 * margin);
      assert.ok(Math.abs(view.square.x - (core.span[1][0] + margin) * scale) < 1e-6, `${where}: left`);
      assert.ok(Math.abs(view.square.y - (core.span[0][0] + margin) * scale) < 1e-6, `${where}: top`);
      assert.ok(Math.abs(view.square.width - core.rf * scale) < 1e-6, `${where}: width`);
      assert.ok(near(probe.outline, accent), `${where}: outline ${probe.outline} is the accent ${accent}`);
    }
  }
});

test('the arrow keys move the pixel, the answer stays shown, and the live region says where, politely', async () => {
  await page.evaluate((selector) => {
    const element = document.querySelector(selector);
    element.pixel = null;
    element.stepper.goTo(3);
  }, RF);
  const map = page.locator(`${RF} [part="map"] canvas`);
  await map.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  const english = await page.evaluate((selector) => {
    const element = document.querySelector(selector);
    const region = element.shadowRoot.querySelector('[role="status"]');
    return { view: element.fieldView, text: region.textContent, live: region.getAttribute('aria-live') };
  }, RF);
  assert.deepEqual([english.view.row, english.view.col], [7, 7]);
  assert.equal(english.view.hidden, false, 'looking elsewhere keeps the answer shown');
  assert.equal(english.live, 'polite');
  assert.match(english.text, /^Layer 4 output pixel \(7, 7\) sees input rows 15 to 41 .*RF 27×27, jump 4/);
  await page.evaluate((selector) => document.querySelector(selector).setAttribute('lang', 'zh'), RF);
  await page.waitForFunction((selector) => document.querySelector(selector).builtLanguage === 'zh', RF);
  await page.locator(`${RF} [part="map"] canvas`).focus();
  await page.keyboard.press('ArrowDown');
  const chinese = await page.evaluate(
    (selector) => document.querySelector(selector).shadowRoot.querySelector('[role="status"]').textContent,
    RF,
  );
  assert.match(chinese, /^第 4 层的输出像素 \(8, 7\) 看到输入的第 19 到 45 行.*感受野 27×27，跳距 4/);
  await page.evaluate((selector) => document.querySelector(selector).removeAttribute('lang'), RF);
});

test('no console errors and no request outside the page’s origin', () => {
  assert.deepEqual(watched.problems(), []);
});
