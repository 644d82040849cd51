// The page's theme switch (web/page/theme.js in <head>, page.js), in Chromium: Light, Dark and
// Auto (the system's); the choice reaches every widget, its canvases and the lab, is kept in
// localStorage and applied before the body is drawn on the next visit (no frame in the other
// theme), works from the keyboard, is labelled in both languages, and survives a storage that
// refuses. The rule itself (cnnSeeTheme) runs in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { openBrowser, whenStarted } from './harness.mjs';

const LIGHT_INK = 'rgb(26, 26, 26)';
const DARK_INK = 'rgb(232, 232, 232)';
const DARK_CARD = 'rgb(22, 24, 29)';
let session;

before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.close();
});

test("the theme's rule: a stored light or dark, else auto", () => {
  const context = {};
  runInNewContext(readFileSync(new URL('../../web/page/theme.js', import.meta.url), 'utf8'), context);
  assert.equal(context.cnnSeeTheme('dark'), 'dark');
  assert.equal(context.cnnSeeTheme('light'), 'light');
  assert.equal(context.cnnSeeTheme('auto'), 'auto');
  assert.equal(context.cnnSeeTheme(null), 'auto');
  assert.equal(context.cnnSeeTheme('purple'), 'auto');
});

/** A fresh page in its own context (its own localStorage), recording the theme when <body> is first parsed. */
async function open({ colorScheme = 'light', viewport = { width: 1280, height: 900 }, path = 'web/', init } = {}) {
  const context = await session.browser.newContext({ colorScheme, viewport });
  if (init) await context.addInitScript(init);
  // Before any script of the page: when the parser inserts <body>, the head (style sheet and
  // theme.js) has run; what the root says then is what the first frame is painted with.
  await context.addInitScript(() => {
    new MutationObserver((records, observer) => {
      if (!document.body) return;
      observer.disconnect();
      const style = getComputedStyle(document.documentElement);
      window.atFirstBody = {
        theme: document.documentElement.getAttribute('theme'),
        paper: style.getPropertyValue('--page-paper').trim(),
      };
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${session.url}${path}`);
  return { page, errors, context };
}

/** What the theme is, as the page, a widget, its canvas and the switch show it. */
function readTheme(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) =>
        // the canvases repaint on a mutation observer: read after the next frame
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const conv = document.querySelector('#conv');
            const frame = conv.shadowRoot.querySelector('[part="input"] .grid-frame');
            const grid = frame.gridView;
            const index = grid.view.findIndex((cell, at) => cell.text === '0' && !grid.marksOf(at));
            const { x, y } = grid.cellCenter(index);
            const corner = (value) => Math.round((value - grid.cellPx / 2 + 3) * devicePixelRatio);
            const canvas = frame.querySelector('canvas');
            resolve({
              attribute: document.documentElement.getAttribute('theme'),
              page: getComputedStyle(document.body).backgroundColor,
              widgetInk: getComputedStyle(conv).color,
              widgetPaper: getComputedStyle(conv).backgroundColor,
              poolInk: getComputedStyle(document.querySelector('#pool')).color,
              canvasPaper: [...canvas.getContext('2d').getImageData(corner(x), corner(y), 1, 1).data.slice(0, 3)],
              checked: document.querySelector('.theme input:checked')?.value,
              stored: localStorage.getItem('cnn-see.theme'),
            });
          }),
        ),
      ),
  );
}

test('Dark, Light and Auto reach the page, every widget and its canvas; the choice is stored and applied before the first paint', async () => {
  const { page, errors, context } = await open({ colorScheme: 'light' });
  await whenStarted(page, '#conv');
  await whenStarted(page, '#pool');
  await page.evaluate(() => window.scrollTo(0, 0));
  const auto = await readTheme(page);
  assert.equal(auto.attribute, null, 'auto: no attribute, the system decides');
  assert.equal(auto.checked, 'auto');
  assert.equal(auto.widgetInk, LIGHT_INK);
  assert.deepEqual(auto.canvasPaper, [255, 255, 255]);

  await page.getByRole('radio', { name: 'Dark' }).check();
  const dark = await readTheme(page);
  assert.equal(dark.attribute, 'dark');
  assert.equal(dark.stored, 'dark');
  assert.equal(dark.checked, 'dark');
  assert.equal(dark.widgetInk, DARK_INK, 'the widget’s own colours turned dark');
  assert.equal(dark.poolInk, DARK_INK, 'every widget, not only the first');
  assert.equal(dark.widgetPaper, DARK_CARD);
  assert.equal(dark.page, 'rgb(16, 18, 22)');
  assert.deepEqual(dark.canvasPaper, [22, 24, 29], 'the grid’s canvas painted again on dark paper');

  // The lab follows too: its drawing pad takes the dark paper.
  await whenStarted(page, '#train');
  assert.equal(
    await page.evaluate(
      () => getComputedStyle(document.querySelector('#train').shadowRoot.querySelector('canvas.pad')).backgroundColor,
    ),
    DARK_CARD,
  );

  // A new visit: dark from the very first frame, with the switch showing it.
  await page.reload();
  await whenStarted(page, '#conv');
  assert.deepEqual(await page.evaluate(() => window.atFirstBody), { theme: 'dark', paper: '#101216' });
  const reloaded = await readTheme(page);
  assert.equal(reloaded.checked, 'dark');
  assert.equal(reloaded.widgetInk, DARK_INK);

  // Light against a dark system, then Auto gives the system back.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('radio', { name: 'Light' }).check();
  const light = await readTheme(page);
  assert.equal(light.attribute, 'light');
  assert.equal(light.widgetInk, LIGHT_INK, 'light wins over the dark system');
  assert.deepEqual(light.canvasPaper, [255, 255, 255]);
  await page.getByRole('radio', { name: 'Auto' }).check();
  const system = await readTheme(page);
  assert.equal(system.attribute, null);
  assert.equal(system.stored, 'auto');
  assert.equal(system.widgetInk, DARK_INK, 'auto follows the dark system');
  assert.deepEqual(system.canvasPaper, [22, 24, 29]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the switch works from the keyboard, is labelled in Chinese, and its targets are 24×24 or more, on one line with the language switch at 360 px', async () => {
  const { page, errors, context } = await open({ viewport: { width: 360, height: 740 }, path: 'web/?lang=zh' });
  await page.waitForFunction(() => !document.documentElement.classList.contains('translating'));
  const group = page.getByRole('group', { name: '配色主题；“自动”跟随系统设置' });
  assert.deepEqual(
    await group.getByRole('radio').evaluateAll((inputs) => inputs.map((input) => input.labels[0].textContent)),
    ['浅色', '深色', '自动'],
  );
  await page.getByRole('radio', { name: '自动' }).focus();
  await page.keyboard.press('ArrowLeft'); // a native radio group: the arrow keys choose
  await page.waitForFunction(() => document.documentElement.getAttribute('theme') === 'dark');
  assert.equal(await page.evaluate(() => localStorage.getItem('cnn-see.theme')), 'dark');

  // In both languages the two switches fit side by side on a phone, every target 24×24 or more.
  for (const language of ['zh', 'en']) {
    if (language === 'en') {
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
    }
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll('.theme input, .language a')].map((element) => {
        const box = element.getBoundingClientRect();
        return { width: box.width, height: box.height, top: box.top, right: box.right };
      }),
    );
    for (const box of boxes) assert.ok(box.width >= 24 && box.height >= 24, `${language}: ${JSON.stringify(box)}`);
    const tops = boxes.map((box) => box.top);
    assert.ok(Math.max(...tops) - Math.min(...tops) < 4, `${language}: one line`);
    assert.ok(Math.max(...boxes.map((box) => box.right)) <= 360, `${language}: inside the screen`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('with a storage that refuses, the page follows the system and the switch still works for the page', async () => {
  const { page, errors, context } = await open({
    colorScheme: 'dark',
    init: () => {
      const refuse = () => {
        throw new DOMException('blocked', 'SecurityError');
      };
      Object.defineProperty(window, 'localStorage', { get: refuse });
    },
  });
  await whenStarted(page, '#conv');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('theme')), null);
  await page.getByRole('radio', { name: 'Light' }).check();
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('theme')), 'light');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#conv')).color), LIGHT_INK);
  assert.deepEqual(errors, []);
  await context.close();
});
