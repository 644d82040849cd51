// Issue 12 in Chromium: an invalid setting leaves nothing stale and stepping off; one edited
// cell of a 32×32×3 input keeps the link short; kernel 1 with the Sobel preset keeps the grids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPageForFile, whenStarted, setControl, clickCell, readGrid } from './harness.mjs';
import { URL_LIMIT } from '../../web/widgets/url-state.js';

let watched, page;

openPageForFile('web/', async (opened) => {
  ({ watched, page } = opened);
  await whenStarted(page, '#conv');
});

const shown = (selector) =>
  page.evaluate((target) => {
    const root = document.querySelector(target).shadowRoot;
    const transport = root.querySelector('[data-control="transport"]');
    return {
      caption: root.querySelector('[part~="output"] > p.note')?.textContent ?? '',
      enabled: [...transport.querySelectorAll('button')]
        .filter((button) => !button.disabled)
        .map((button) => button.getAttribute('aria-label')),
      position: transport.querySelector('.note').textContent,
      error: root.querySelector('p.error:not([hidden])')?.textContent ?? '',
    };
  }, selector);

test('an invalid setting clears the output caption and disables stepping, with the reason where the output was', async () => {
  const before = await shown('#conv');
  assert.match(before.caption, /^shape \(1, 1, 4, 4\)$/);
  await setControl(page, '#conv', 'size', 3);
  await setControl(page, '#conv', 'kernel', 5);
  const after = await shown('#conv');
  assert.doesNotMatch(after.caption, /^shape \(/);
  assert.match(after.caption, /^No output: conv2d_shape: conv2d: kernel_h: the effective kernel/);
  assert.deepEqual(after.enabled, [], 'no step button stays live');
  assert.equal(after.position, 'no steps: invalid setting');
  await setControl(page, '#conv', 'size', 6);
  const again = await shown('#conv');
  assert.match(again.caption, /^shape \(1, 1, 2, 2\)$/);
  assert.ok(again.enabled.includes('Next step') && again.enabled.includes('Play'), again.enabled.join());
});

test('kernel 1 with the default Sobel preset keeps every grid and says why the kernel is the identity', async () => {
  await setControl(page, '#conv', 'kernel', 1);
  const output = await readGrid(page, '#conv', 'Output');
  assert.equal(output.rows * output.cols, 36);
  const state = await page.evaluate(() => {
    const root = document.querySelector('#conv').shadowRoot;
    return {
      preset: document.querySelector('#conv').getAttribute('kernel-preset'),
      notes: root.querySelector('div.note').textContent,
      sobelDisabled: root.querySelector('[data-control="kernel-preset"] option[value="sobel-x"]').disabled,
    };
  });
  assert.equal(state.preset, 'identity', 'the preset follows the kernel size');
  assert.ok(state.sobelDisabled);
  assert.match(state.notes, /A 1×1 kernel reads one pixel of every input channel/);
  await setControl(page, '#conv', 'kernel', 3);
});

test('editing one cell of a 32×32×3 input leaves a link far below the limit', async () => {
  await page.evaluate(() => {
    const conv = document.querySelector('#conv');
    conv.setAttribute('size', '32');
    conv.setAttribute('channels', '3');
    conv.setAttribute('input', 'digit');
  });
  await page.waitForFunction(() => document.querySelector('#conv').model?.input.length === 3072);
  await clickCell(page, '#conv', 'Input channel 0', 5 * 32 + 5);
  await page.keyboard.type('0.2255');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.search.includes('conv.edits'), null, { timeout: 5000 });
  const url = await page.evaluate(() => location.href);
  assert.ok(url.length < 300 && url.length < URL_LIMIT, `${url.length}: ${url}`);
  assert.match(decodeURIComponent(url), /conv\.edits=\d+:0\.23/, 'the value rounded as the grid shows it');
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  await whenStarted(page, '#conv');
  assert.deepEqual(watched.problems(), []);
});
