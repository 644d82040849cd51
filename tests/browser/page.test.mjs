// The page as a whole in Chromium: load time and bytes, URL state, the iframe route, the
// course-page example, redraw time per step, and screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, openBrowser, PAGE_WIDGETS, watchedPage, whenStarted, setControl, readGrid } from './harness.mjs';

const WIDGETS = { conv: 'cnn-conv', pool: 'cnn-pool', 'receptive-field': 'cnn-receptive-field', params: 'cnn-params' };
const metrics = {};
let session;

before(async () => {
  session = await openBrowser();
});
after(async () => {
  writeFileSync(join(ARTIFACTS, 'page-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await session?.close();
});

test('the page starts from its own origin only, with no errors; time to interactive recorded (page-metrics.json), not asserted', async () => {
  const watched = await watchedPage(session);
  const { page } = watched;
  await page.addInitScript(() => {
    document.addEventListener('cnn-ready', (event) => {
      window.firstWidgetReady ??= { id: event.target.id, at: performance.now() };
    });
  });
  await page.goto(`${session.url}web/`);
  await whenStarted(page, 'cnn-conv#conv');
  const load = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const bytes = navigation.encodedBodySize + resources.reduce((sum, entry) => sum + entry.encodedBodySize, 0);
    return { bytes, files: resources.length + 1, ready: window.firstWidgetReady.at, first: window.firstWidgetReady.id };
  });
  metrics.page = {
    timeToInteractiveMs: Math.round(load.ready),
    transferredBytes: load.bytes,
    files: load.files,
    firstWidget: load.first,
    note: 'navigation start to the first widget drawn and answering input (cnn-ready); local server, no cache',
  };
  assert.equal(
    await page.evaluate(() =>
      document
        .querySelector('meta[http-equiv="Content-Security-Policy"]')
        .content.includes("script-src 'self' 'wasm-unsafe-eval'"),
    ),
    true,
  );
  // Scroll through: every lazily started widget starts and draws without an error.
  for (const id of PAGE_WIDGETS.filter((id) => !['conv', 'train'].includes(id))) {
    await whenStarted(page, `#${id}`);
  }
  assert.match(await page.locator('#core-status').textContent(), /WebAssembly core \((SIMD128|scalar) build\)/);
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('the URL holds each widget’s state: a copied link reopens the same view', async () => {
  const first = await watchedPage(session);
  await first.page.goto(`${session.url}web/`);
  const conv = 'cnn-conv#conv';
  await whenStarted(first.page, conv);
  await setControl(first.page, conv, 'kernel', 5);
  await setControl(first.page, conv, 'padding', 'same');
  await setControl(first.page, conv, 'channels', 2);
  await first.page.evaluate((selector) => document.querySelector(selector).stepper.goTo(4), conv);
  await first.page.waitForFunction(() => location.search.includes('conv.step=4'));
  const link = first.page.url();
  assert.match(link, /conv\.kernel=5/);
  assert.match(link, /conv\.padding=same/);
  const before = await readGrid(first.page, conv, 'Output');

  const second = await watchedPage(session);
  await second.page.goto(link);
  await whenStarted(second.page, conv);
  const after = await readGrid(second.page, conv, 'Output');
  assert.deepEqual(after.texts, before.texts);
  assert.deepEqual(after.marks, before.marks, 'same current cell');
  assert.deepEqual(
    await second.page.evaluate((selector) => document.querySelector(selector).state, conv),
    await first.page.evaluate((selector) => document.querySelector(selector).state, conv),
  );
  assert.deepEqual([...first.problems(), ...second.problems()], []);
  await first.close();
  await second.close();
});

test('the iframe route builds one widget from its query, which the URL then tracks', async () => {
  const watched = await watchedPage(session);
  const { page } = watched;
  await page.goto(`${session.url}web/embed.html?widget=conv&kernel=5&stride=2&size=9`);
  await whenStarted(page, 'cnn-conv');
  const state = await page.evaluate(() => document.querySelector('cnn-conv').state);
  assert.deepEqual([state.kernel, state.stride, state.size], [5, 2, 9]);
  const shape = await page.evaluate(
    async () =>
      (await (await import('/web/cnn.js')).load()).arithmetic.conv2d_shape([1, 1, 9, 9], [1, 1, 5, 5], { stride: 2 })
        .shape,
  );
  assert.equal((await readGrid(page, 'cnn-conv', 'Output')).cols, shape[3]);
  await setControl(page, 'cnn-conv', 'dilation', 2);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('dilation') === '2');
  await page.goto(`${session.url}web/embed.html?widget=nonsense`);
  assert.match(await page.locator('main').textContent(), /Unknown widget "nonsense"/);
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('a course page: one script, four widgets, one WebAssembly download, teacher controls', async () => {
  const watched = await watchedPage(session);
  const { page } = watched;
  await page.goto(`${session.url}examples/embed.html`);
  for (const tag of Object.values(WIDGETS)) await whenStarted(page, tag);
  const wasm = watched.requests.filter((url) => url.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one module for all widgets, got ${wasm.join(', ')}`);
  const conv = 'cnn-conv';
  assert.equal(await page.locator(`${conv} [data-control="stride"] input`).isDisabled(), true, 'lock="stride"');
  assert.equal(await page.locator(`${conv} [data-control="mode"]`).isHidden(), true, 'hide="mode …"');
  // Predict, then reveal: the output is concealed until the learner answers.
  const output = page.locator(`${conv} [part="output"]`);
  assert.match(await output.getAttribute('class'), /concealed/);
  const answer = await page.evaluate(async () => {
    const cnn = await (await import('/web/cnn.js')).load();
    return cnn.arithmetic.conv2d_shape([1, 1, 7, 7], [1, 1, 3, 3], { stride: 2, padding: 1 }).shape.slice(2);
  });
  await page.locator(`${conv} [part="exercise"] input`).fill(`${answer[0] + 1}×${answer[1]}`);
  await page.locator(`${conv} [part="exercise"] button >> text=Check`).click();
  assert.match(await output.getAttribute('class'), /concealed/, 'a wrong answer reveals nothing');
  await page.locator(`${conv} [part="exercise"] input`).fill(`${answer[0]}×${answer[1]}`);
  await page.locator(`${conv} [part="exercise"] button >> text=Check`).click();
  assert.doesNotMatch(await output.getAttribute('class'), /concealed/);
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

/**
 * Milliseconds from a user action to its repainted grids (script, the grids' repaint
 * microtasks, style and layout), median and worst of `runs`.
 */
async function timeInPage(page, action, runs) {
  return page.evaluate(
    async ({ source, runs }) => {
      const element = document.querySelector('cnn-conv');
      const act = {
        step: (i) => element.stepper.goTo(i % element.stepper.count),
        kernel: (i) => element.commit({ kernel: i % 2 ? 5 : 7, weights: null }),
        edit: (i) =>
          element.commit({
            values: Array.from(element.model.input, (value, index) => (index === i ? value + 1 : value)),
          }),
      }[source];
      const times = [];
      for (let i = 1; i <= runs; i++) {
        const start = performance.now();
        act(i);
        await null; // the grids repaint in microtasks queued by the action, before this resumes
        element.shadowRoot.querySelector('.grid-frame').getBoundingClientRect(); // include style and layout
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return { median: Number(times[Math.floor(runs / 2)].toFixed(2)), worst: Number(times[runs - 1].toFixed(2)) };
    },
    { source: action, runs },
  );
}

test('redraw times recorded (page-metrics.json, not asserted: a loaded machine stretches them): 32×32 input, 7×7 kernel, three channels', async () => {
  const watched = await watchedPage(session);
  const { page } = watched;
  await page.goto(
    `${session.url}web/embed.html?widget=conv&size=32&kernel=7&padding=3&channels=3&kernel-preset=random`,
  );
  await whenStarted(page, 'cnn-conv');
  await timeInPage(page, 'step', 20); // warm up
  // Five rounds each; the best round's median is the figure least disturbed by other
  // processes on a shared machine (all rounds are written to test-artifacts/).
  const rounds = { step: [], kernel: [], edit: [] };
  for (let round = 0; round < 5; round++) {
    rounds.step.push(await timeInPage(page, 'step', 40));
    rounds.kernel.push(await timeInPage(page, 'kernel', 10));
    rounds.edit.push(await timeInPage(page, 'edit', 10));
  }
  const best = (list) => list.reduce((a, b) => (b.median < a.median ? b : a));
  metrics.redraw = {
    input: '32×32×3, padding 3',
    kernel: '7×7 (kernel slider: 5 ↔ 7)',
    stepMs: best(rounds.step),
    kernelSliderMs: best(rounds.kernel),
    cellEditMs: best(rounds.edit),
    rounds,
  };
  metrics.redraw.loadAverage = Number(loadavg()[0].toFixed(1));
  for (const name of Object.keys(rounds)) assert.ok(best(rounds[name]).median > 0, `${name}: no time measured`);
  assert.deepEqual(watched.problems(), []);
  await watched.close();
});

test('every widget fits a desktop and a 360 px phone (screenshots in test-artifacts/)', async () => {
  for (const [name, tag] of Object.entries(WIDGETS)) {
    for (const width of [1280, 360]) {
      const watched = await watchedPage(session, { width, height: 800 });
      const { page } = watched;
      await page.goto(`${session.url}web/embed.html?widget=${name}`);
      await whenStarted(page, tag);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `${name} at ${width} px overflows by ${overflow} px`);
      await page.screenshot({ path: join(ARTIFACTS, `widget-${name}-${width}.png`), fullPage: true });
      assert.deepEqual(watched.problems(), []);
      await watched.close();
    }
  }
});
