// <cnn-train> in Chinese and in the dark theme, in Chromium: with lang="zh" its labels are
// Chinese (no English sentence in its shadow root but code, terms beside their Chinese and
// values); a live change of language keeps the runs table, the charts, a run in progress, the
// drawing and the worker; in the dark theme its canvases are painted on dark paper, again on a
// live change; screenshots at 1280×900 and 360×740 in both themes and languages go to
// test-artifacts/lab/. Runs are the worker's messages replayed, not trained: a run's numbers do
// not matter here, and training would take the time the other lab tests already spend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { addSmallLab, ARTIFACTS, drawOne, openPageForFile, setControl } from './harness.mjs';

const LAB = 'cnn-train#lab-i18n';
const SHOTS = join(ARTIFACTS, 'lab');
let watched, page;

openPageForFile('web/', async (opened) => {
  ({ watched, page } = opened);
  mkdirSync(SHOTS, { recursive: true });
  await addSmallLab(page, 'lab-i18n');
});

const inLab = (body, argument = null) => page.evaluate(body, { selector: LAB, argument });
const until = (body, timeout = 60_000) => page.waitForFunction(body, LAB, { timeout });

/** The worker's messages of a run, replayed into the lab (the chart library loaded as Start would). */
function replayRun(run, { finish = true, kernel = 5 } = {}) {
  return inLab(
    async ({ selector, argument: { run, finish, kernel } }) => {
      const lab = document.querySelector(selector);
      await lab.loadCharts();
      const knobs = { ...lab.knobs, kernel };
      lab.setRunning(true);
      lab.receive({ type: 'started', run, knobs, summary: {}, totalSteps: 250, stepsPerEpoch: 125 });
      for (let step = 25; step <= 125; step += 25) {
        lab.receive({
          type: 'progress',
          run,
          epoch: 1,
          step,
          stepsPerEpoch: 125,
          loss: 2.3 / (1 + step / 25),
          imagesPerSecond: 7512.4,
          seconds: step / 100,
          done: step / 250,
        });
      }
      lab.receive({
        type: 'epoch',
        run,
        epoch: 1,
        trainLoss: 0.4,
        trainAccuracy: 0.9,
        testLoss: 0.3,
        testAccuracy: 0.93 + run / 100,
        seconds: 1.25,
        evalSeconds: 0.2,
        imagesPerSecond: 7512.4,
      });
      if (!finish) return;
      lab.receive({
        type: 'finished',
        run,
        stopped: false,
        record: {
          run,
          knobs,
          epochs: 1,
          params: 1234,
          macs: 123456,
          receptiveField: 14,
          seconds: 1.25,
          evalSeconds: 0.2,
          imagesPerSecond: 7512.4 - 1000 * run,
          testAccuracy: 0.93 + run / 100,
          testLoss: 0.3,
        },
      });
    },
    { run, finish, kernel },
  );
}

/** Every text a reader sees or hears in the lab: text nodes (not code), names, titles, options. */
function labTexts() {
  return inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    const texts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!node.parentElement.closest('code, pre, style')) texts.push(node.textContent);
      } else
        for (const name of ['aria-label', 'title']) if (node.hasAttribute(name)) texts.push(node.getAttribute(name));
    }
    return texts.map((text) => text.trim()).filter(Boolean);
  });
}

// An English sentence: three words in a row. Code (torch.optim.Adam) and the English term in
// parentheses beside a Chinese one ("批归一化 (batch norm)") are not sentences.
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b/;

/** Paints settle: the theme's repaint runs on a mutation observer, the charts on the next frame. */
const settle = () =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** The whole lab, from the page laid out in full (an element screenshot of a lab taller than the viewport scrolls and shifts). */
async function shootLab(path) {
  const clip = await inLab(({ selector }) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return { x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height };
  });
  await page.screenshot({ path, fullPage: true, clip });
}

test('a live change of language keeps the runs, a run in progress, the drawing and the worker; Chinese labels throughout', async () => {
  const empty = await inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    return {
      hint: root.querySelector('.pad-hint').textContent,
      shown: !root.querySelector('.pad-hint').hidden,
      clear: root.querySelector('[part="draw"] button').disabled,
    };
  });
  assert.deepEqual(
    empty,
    { hint: 'Draw a digit here', shown: true, clear: true },
    'an empty pad says what it is for; nothing to clear',
  );
  await page
    .locator(LAB)
    .locator('[part="draw"]')
    .screenshot({ path: join(SHOTS, 'lab-pad-empty.png') });
  await drawOne(page, LAB);
  await until((selector) => document.querySelector(selector).shadowRoot.querySelector('[data-predicted]'));
  await until((selector) => document.querySelector(selector).shadowRoot.querySelector('.confusion'));
  await replayRun(1);
  await replayRun(2, { finish: false, kernel: 3 }); // run 2 is training when the language changes
  const before = await inLab(({ selector }) => {
    const lab = document.querySelector(selector);
    window.labWorker = lab.worker;
    return {
      hint: lab.shadowRoot.querySelector('.pad-hint').hidden,
      clear: lab.shadowRoot.querySelector('[part="draw"] button').disabled,
    };
  });
  assert.deepEqual(before, { hint: true, clear: false }, 'the hint went with the first stroke; Clear is enabled');

  await page.evaluate(() => {
    document.documentElement.lang = 'zh-CN';
  });
  await settle();
  const after = await inLab(({ selector }) => {
    const lab = document.querySelector(selector);
    const root = lab.shadowRoot;
    const alpha = lab.shadowRoot.querySelector('canvas.pad').getContext('2d').getImageData(0, 0, 280, 280).data;
    let inked = 0;
    for (let i = 3; i < alpha.length; i += 4) if (alpha[i] > 0) inked++;
    return {
      sameWorker: lab.worker === window.labWorker,
      rows: [...root.querySelectorAll('[part="runs"] tbody tr')].map((tr) => tr.cells[1].textContent),
      headers: [...root.querySelectorAll('[part="runs"] thead th')].slice(0, 3).map((th) => th.textContent),
      charts: root.querySelectorAll('.uplot').length,
      titles: [...root.querySelectorAll('.u-title')].map((title) => title.textContent),
      legend: [...root.querySelectorAll('.run-legend button')].map((button) => button.textContent),
      inked,
      hint: root.querySelector('.pad-hint').hidden,
      progress: root.querySelector('progress').value,
      stopEnabled: !root.querySelector('[part="progress"] button:nth-child(3)').disabled,
      status: root.querySelector('.status').textContent,
      kernelLabel: root.querySelector('[data-control="kernel"] span').textContent,
      start: root.querySelector('[part="progress"] button').textContent,
      poolOptions: [...root.querySelectorAll('[data-control="pool"] option')].map((option) => option.textContent),
      prediction: root.querySelector('[data-predicted]').textContent,
      analysis: root.querySelector('[part="analysis"] h4').textContent,
      host: lab.getAttribute('aria-label'),
    };
  });
  assert.ok(after.sameWorker, 'the worker goes on');
  assert.deepEqual(after.rows, ['k5 s1 max 2,4'], 'the runs table keeps run 1');
  assert.deepEqual(after.headers, ['编号', '配置', '测试准确率 (%)']);
  assert.equal(after.charts, 2);
  assert.deepEqual(after.titles, ['损失：训练按批次，测试按轮（虚线）', '每轮准确率：测试，训练（虚线）']);
  assert.deepEqual(after.legend, ['第 1 次：k5 s1 max 2,4', '第 2 次：k3 s1 max 2,4']);
  assert.ok(after.inked > 1000, `the drawing stays on the pad (${after.inked} inked pixels)`);
  assert.ok(after.hint, 'no hint over a drawing');
  assert.equal(after.progress, 0.5, 'run 2 goes on where it was');
  assert.ok(after.stopEnabled, 'Stop still stops run 2');
  assert.equal(after.status, '第 1 轮，第 125/125 步　损失 0.3833　每秒 7,512 张图像　已训练 1.3 秒');
  assert.equal(after.kernelLabel, '卷积核 (kernel)');
  assert.equal(after.start, '开始训练');
  assert.deepEqual(after.poolOptions, ['最大池化', '平均池化', '不池化（步长 2 卷积）', '全局平均池化头']);
  assert.match(after.prediction, /^预训练模型的预测：1（\d+\.\d%）$/);
  assert.match(after.analysis, /^预训练模型：测试准确率 98\.30%$/);
  assert.equal(after.host, '训练实验室');

  // run 2 ends in Chinese: its row joins run 1's
  await inLab(({ selector }) => {
    const lab = document.querySelector(selector);
    const knobs = { ...lab.knobs, kernel: 3 };
    lab.receive({
      type: 'finished',
      run: 2,
      stopped: true,
      record: {
        run: 2,
        knobs,
        epochs: 0.5,
        params: 1000,
        macs: 100000,
        receptiveField: 10,
        seconds: 0.6,
        evalSeconds: 0.1,
        imagesPerSecond: 6512.4,
        testAccuracy: 0.95,
        testLoss: 0.2,
      },
    });
  });
  const finished = await inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    return {
      rows: root.querySelectorAll('[part="runs"] tbody tr').length,
      status: root.querySelector('.status').textContent,
    };
  });
  assert.equal(finished.rows, 2);
  assert.equal(
    finished.status,
    '第 2 次训练已停止：测试准确率 95.00%；训练 0.6 秒（每秒 6,512 张图像），评估 0.1 秒。',
  );

  const sentences = (await labTexts()).filter((text) => ENGLISH_SENTENCE.test(text.replace(/\([^()]*\)/g, '')));
  assert.deepEqual(sentences, [], 'no English sentence in the Chinese lab');

  // and back: the page's language again English, the same runs
  await page.evaluate(() => {
    document.documentElement.lang = 'en';
  });
  await settle();
  const english = await inLab(({ selector }) => {
    const root = document.querySelector(selector).shadowRoot;
    return {
      rows: root.querySelectorAll('[part="runs"] tbody tr').length,
      start: root.querySelector('[part="progress"] button').textContent,
    };
  });
  assert.deepEqual(english, { rows: 2, start: 'Start training' });
  assert.deepEqual(watched.problems(), []);
});

test("the lab's own lang attribute wins over the page's; a worker error and a refused model are said in it", async () => {
  await page.evaluate((selector) => document.querySelector(selector).setAttribute('lang', 'zh'), LAB);
  await inLab(({ selector }) =>
    document.querySelector(selector).receive({ type: 'error', message: 'a run is in progress: stop it first' }),
  );
  const shown = await inLab(
    ({ selector }) => document.querySelector(selector).shadowRoot.querySelector('.status').textContent,
  );
  assert.equal(shown, '正在训练：请先停止当前训练');
  // a model the core refuses: the layer said in Chinese, the core's rule quoted
  for (const [control, value] of [
    ['kernel', 9],
    ['stride', 4],
    ['padding', 'valid'],
  ])
    await setControl(page, LAB, control, value);
  const refused = await inLab(
    ({ selector }) => document.querySelector(selector).shadowRoot.querySelector('[part="summary"] .error').textContent,
  );
  assert.match(
    refused,
    /^无法构建这个模型：第 5 层（Conv2d）得到的输入是 2×2×2，放不下这一层。核心的说明：conv2d: kernel_h: /,
  );
  for (const [control, value] of [
    ['kernel', 5],
    ['stride', 1],
    ['padding', 'same'],
  ])
    await setControl(page, LAB, control, value);
});

test("dark theme: the lab's canvases are painted on dark paper, on a live change too; screenshots in both themes and languages", async () => {
  const samples = () =>
    inLab(({ selector }) => {
      const root = document.querySelector(selector).shadowRoot;
      const pixel = (canvas) => [...canvas.getContext('2d').getImageData(0, 0, 1, 1).data.slice(0, 3)];
      return {
        digit: pixel(root.querySelector('.mistakes canvas')), // a corner of a digit: paper
        map: pixel(root.querySelector('.map-grid canvas')),
        pad: getComputedStyle(root.querySelector('canvas.pad')).backgroundColor,
        ink: root.querySelector('canvas.pad').getContext('2d').strokeStyle,
      };
    });
  const light = await samples();
  assert.deepEqual(light.digit, [255, 255, 255], 'light paper');
  // the page's theme, as its toggle sets it (the page gives the widgets its card colour as --cnn-paper)
  await page.evaluate(() => document.documentElement.setAttribute('theme', 'dark'));
  await settle();
  const dark = await samples();
  const luminance = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  assert.ok(luminance(dark.digit) < 40, `a digit's paper is dark: ${dark.digit}`);
  assert.equal(dark.pad, 'rgb(22, 24, 29)', 'the pad is dark paper');
  assert.notDeepEqual(dark.map, light.map, 'the kernels painted again, toward the dark paper');
  await drawOne(page, LAB); // a stroke in the dark theme is drawn in its ink
  assert.equal((await samples()).ink, '#e8e8e8');

  for (const [size, viewport] of Object.entries({
    desktop: { width: 1280, height: 900 },
    phone: { width: 360, height: 740 },
  })) {
    await page.setViewportSize(viewport);
    for (const language of ['en', 'zh']) {
      for (const theme of ['light', 'dark']) {
        await page.evaluate(
          ({ selector, language, theme }) => {
            document.querySelector(selector).setAttribute('lang', language);
            document.documentElement.setAttribute('theme', theme);
          },
          { selector: LAB, language, theme },
        );
        await settle();
        await shootLab(join(SHOTS, `lab-${size}-${language}-${theme}.png`));
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => document.documentElement.removeAttribute('theme'));
  await settle();
  assert.deepEqual((await samples()).digit, [255, 255, 255], 'light again without the attribute');
  // the reader's setting, changed while the page is open
  await page.emulateMedia({ colorScheme: 'dark' });
  await settle();
  assert.ok(luminance((await samples()).digit) < 40, 'dark paper after prefers-color-scheme turned dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(watched.problems(), []);
});
