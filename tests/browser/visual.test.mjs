// The page as a learner sees it, in Chromium: screenshots of every section at desktop and
// phone width in both themes and both languages (English, and Chinese as -zh.png), no
// sideways scrolling at 360 px (in either language), touch targets of at least
// 24×24 CSS px (WCAG 2.2, 2.5.8), axe-core on the page and each embed route, reduced motion
// honoured, and the grid's redraw time. Figures go to test-artifacts/visual-metrics.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, openBrowser, PAGE_WIDGETS, watchedPage, whenStarted } from './harness.mjs';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const SHOTS = join(ARTIFACTS, 'visual');
const SECTIONS = [
  'kernel',
  'channels',
  'stride-padding',
  'dilated-transposed',
  'pooling',
  'receptive-field',
  'train-lab',
];
const WIDGETS = PAGE_WIDGETS;
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } };
const MIN_TARGET_PX = 24;
// The lab's runs table appears only after a training run, which this test does not start; the
// lab's helper makes it scroll in its own box. Listed so that any other overflow still fails.
const KNOWN_OVERFLOW = [/runs/i];
// embed.html has no <h1> (axe's page-has-heading-one); embed.html and embed.js belong to the
// delivery helper, who adds one. Listed so that any other violation on the route still fails.
// examples/embed.html (delivery's too) has no <main> landmark yet (landmark-one-main, region).
const KNOWN_AXE = [
  { route: /^web\/embed\.html/, id: 'page-has-heading-one' },
  { route: /^examples\//, id: 'landmark-one-main' },
  { route: /^examples\//, id: 'region' },
];
const metrics = {};
let session;

before(async () => {
  session = await openBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  writeFileSync(join(ARTIFACTS, 'visual-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await session?.close();
});

/** The page with every widget started, in the given viewport, colour scheme and motion preference. */
async function openPage(
  { width, height },
  { colorScheme = 'light', reducedMotion = 'no-preference', path = 'web/' } = {},
) {
  // bypassCSP lets the axe test inject axe-core into a page whose CSP forbids inline scripts.
  const context = await session.browser.newContext({
    viewport: { width, height },
    colorScheme,
    reducedMotion,
    bypassCSP: true,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${session.url}${path}`);
  return { page, errors, close: () => context.close() };
}

async function startAll(page) {
  for (const id of WIDGETS) await whenStarted(page, `#${id}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300); // ResizeObserver fits and transitions settle
}

/** Every element (through open shadow roots) that overflows the viewport to the right, deepest first. */
function overflowing(page) {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const found = [];
    // Inside a box that scrolls or clips, an element wider than the screen scrolls in its own box.
    const clipped = (element) => {
      for (
        let node = element.parentElement ?? element.getRootNode().host;
        node;
        node = node.parentElement ?? node.getRootNode().host
      ) {
        if (node === document.documentElement || node === document.body) return false;
        if (getComputedStyle(node).overflowX !== 'visible') return true;
      }
      return false;
    };
    const walk = (root, path) => {
      for (const element of root.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.width && box.right > viewport + 0.5) {
          const name = `${path}${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`;
          found.push({ name, right: Math.round(box.right), clippedByScroller: clipped(element) });
        }
        if (element.shadowRoot)
          walk(element.shadowRoot, `${path}${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} › `);
      }
    };
    walk(document, '');
    return { scrollWidth: document.documentElement.scrollWidth, viewport, found };
  });
}

/** Interactive elements smaller than 24×24 CSS px (inline links in running text are exempt, as WCAG allows). */
function smallTargets(page) {
  return page.evaluate((minimum) => {
    const selector =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const all = [];
    const walk = (root, path) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.matches(selector)) all.push({ element, path });
        if (element.shadowRoot) walk(element.shadowRoot, `${path}${element.tagName.toLowerCase()}#${element.id} › `);
      }
    };
    walk(document, '');
    const visible = all.filter(({ element }) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    });
    const inlineText = (element) =>
      element.tagName === 'A' && element.closest('p, li') && getComputedStyle(element).display === 'inline';
    const small = visible.filter(({ element }) => {
      if (inlineText(element)) return false;
      const box = element.getBoundingClientRect();
      return box.width < minimum - 0.01 || box.height < minimum - 0.01;
    });
    return {
      total: visible.length,
      small: small.map(({ element, path }) => {
        const box = element.getBoundingClientRect();
        return `${path}${element.tagName.toLowerCase()}${element.type ? `[${element.type}]` : ''} ${Math.round(box.width)}×${Math.round(box.height)} "${(element.getAttribute('aria-label') ?? element.textContent).trim().slice(0, 30)}"`;
      }),
    };
  }, MIN_TARGET_PX);
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, nodes }) => ({
      id,
      impact,
      count: nodes.length,
      targets: nodes.slice(0, 4).map((node) => node.target.join(' ')),
    }));
  });
}

test('screenshots of every section, desktop and phone, light and dark, English and Chinese', async () => {
  for (const [sizeName, size] of Object.entries(SIZES)) {
    // One page per size: the theme follows the emulated colour scheme, and the language switch
    // re-renders the page and its widgets in Chinese in place (a fresh ?lang=zh load is i18n.test's).
    const { page, errors, close } = await openPage(size);
    await startAll(page);
    for (const [language, suffix] of [
      ['en', ''],
      ['zh', '-zh'],
    ]) {
      if (language === 'zh') {
        await page.evaluate(() => document.querySelector('.language a[data-language="zh"]').click());
        await page.waitForFunction(() =>
          ['conv', 'pool', 'rf', 'params'].every((id) => document.getElementById(id).builtLanguage === 'zh'),
        );
      }
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(300); // repaint and transitions settle
        await page.screenshot({ path: join(SHOTS, `top-${sizeName}-${colorScheme}${suffix}.png`) });
        for (const section of SECTIONS) {
          await page
            .locator(`#${section}`)
            .screenshot({ path: join(SHOTS, `${section}-${sizeName}-${colorScheme}${suffix}.png`) });
        }
      }
    }
    assert.deepEqual(errors, []);
    await close();
  }
});

/** Starts the lab's worker as picking a test digit does, and waits for its views of the pre-trained model. */
async function showLabViews(page) {
  await page.evaluate(() => document.querySelector('cnn-train').startWorker());
  await page.waitForFunction(() => document.querySelector('cnn-train').shadowRoot.querySelector('.confusion'), null, {
    timeout: 60_000,
  });
}

test('at 360 px nothing scrolls sideways, and touch targets are at least 24×24', async () => {
  const { page, close } = await openPage(SIZES.phone);
  await startAll(page);
  // The lab's views of the pre-trained model (the confusion matrix among them) arrive once its
  // worker starts, which a learner does by drawing, picking a test digit or pressing Start.
  await showLabViews(page);
  const overflow = await overflowing(page);
  const unexplained = overflow.found.filter(
    ({ name, clippedByScroller }) => !clippedByScroller && !KNOWN_OVERFLOW.some((known) => known.test(name)),
  );
  const targets = await smallTargets(page);
  metrics.phone = {
    sidewaysScrollPx: overflow.scrollWidth - overflow.viewport,
    overflowing: overflow.found.filter(({ clippedByScroller }) => !clippedByScroller),
    targets: { total: targets.total, under24: targets.small.length, list: targets.small },
  };
  await close();
  // The Chinese page: its labels and sentences break differently.
  const chinese = await openPage(SIZES.phone, { path: 'web/?lang=zh' });
  await startAll(chinese.page);
  const chineseOverflow = await overflowing(chinese.page);
  metrics.phone['zh: sideways scroll px'] = chineseOverflow.scrollWidth - chineseOverflow.viewport;
  unexplained.push(
    ...chineseOverflow.found
      .filter(({ name, clippedByScroller }) => !clippedByScroller && !KNOWN_OVERFLOW.some((known) => known.test(name)))
      .map((entry) => ({ ...entry, name: `zh: ${entry.name}` })),
  );
  targets.small.push(...(await smallTargets(chinese.page)).small.map((entry) => `zh: ${entry}`));
  await chinese.close();
  for (const widget of ['conv', 'pool', 'receptive-field', 'params', 'train']) {
    const embed = await openPage(SIZES.phone, { path: `web/embed.html?widget=${widget}` });
    await embed.page.waitForFunction(() => document.querySelector('#widget-slot > *')?.started === true);
    await embed.page.waitForTimeout(200);
    const found = await overflowing(embed.page);
    metrics.phone[`embed ${widget}: sideways scroll px`] = found.scrollWidth - found.viewport;
    unexplained.push(
      ...found.found
        .filter(
          ({ name, clippedByScroller }) => !clippedByScroller && !KNOWN_OVERFLOW.some((known) => known.test(name)),
        )
        .map((entry) => ({ ...entry, name: `embed ${widget}: ${entry.name}` })),
    );
    await embed.close();
  }
  assert.deepEqual(
    unexplained.map(({ name }) => name),
    [],
    'elements wider than the phone screen',
  );
  assert.deepEqual(targets.small, [], 'touch targets under 24×24 CSS px');
});

test('axe-core finds no serious or moderate violation on the page, an embed route or the examples page', async () => {
  const routes = [
    'web/',
    ...['conv', 'pool', 'receptive-field', 'params', 'train'].map((widget) => `web/embed.html?widget=${widget}`),
    'examples/embed.html',
  ];
  const chineseRoutes = ['web/?lang=zh']; // in the light theme: the theme does not change the words
  metrics.axe = {};
  const failures = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const route of [...routes, ...(colorScheme === 'light' ? chineseRoutes : [])]) {
      const { page, close } = await openPage(SIZES.desktop, { colorScheme, path: route });
      if (/^web\/(\?|$)/.test(route)) await startAll(page);
      else if (route.startsWith('examples/'))
        for (const tag of ['cnn-pool', 'cnn-conv', 'cnn-receptive-field', 'cnn-params']) await whenStarted(page, tag);
      else await page.waitForFunction(() => document.querySelector('#widget-slot > *')?.started === true);
      if (/train|web\/$/.test(route)) await showLabViews(page);
      const violations = await axe(page);
      metrics.axe[`${route} (${colorScheme})`] = violations;
      for (const violation of violations) {
        const known = KNOWN_AXE.some((entry) => entry.route.test(route) && entry.id === violation.id);
        if (violation.impact !== 'minor' && !known)
          failures.push(
            `${route} (${colorScheme}): ${violation.id} (${violation.impact}) × ${violation.count}: ${violation.targets.join(' | ')}`,
          );
      }
      await close();
    }
  }
  assert.deepEqual(failures, []);
});

/** The frames laid over the input and output grids of a conv widget, and whether they are animating. */
function frameMotion(page, selector) {
  return page.evaluate((target) => {
    const frames = [...document.querySelector(target).shadowRoot.querySelectorAll('.grid-overlay:not([hidden])')];
    return frames.map((frame) => ({
      duration: getComputedStyle(frame).transitionDuration,
      running: frame.getAnimations().length,
    }));
  }, selector);
}

test('the window glides to its next place and the receptive field grows, and both jump under prefers-reduced-motion', async () => {
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const { page, close } = await openPage(SIZES.desktop, { reducedMotion });
    await whenStarted(page, '#conv');
    await page.evaluate(() => document.querySelector('#conv').stepper.goTo(1));
    const motion = await frameMotion(page, '#conv');
    assert.equal(motion.length, 2, 'a window frame over the input and a frame on the output cell');
    // The receptive-field square is redrawn by requestAnimationFrame while it grows: count the frames it asks for.
    await whenStarted(page, '#rf');
    const squareFrames = await page.evaluate(async () => {
      const rf = document.querySelector('#rf');
      rf.reveal(); // before the answer only layer 1's square is drawn: nothing to grow
      rf.stepper.goTo(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      let frames = 0;
      const original = window.requestAnimationFrame;
      window.requestAnimationFrame = (callback) => {
        frames++;
        return original(callback);
      };
      rf.stepper.goTo(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      window.requestAnimationFrame = original;
      return frames;
    });
    if (reducedMotion === 'reduce') {
      assert.ok(
        motion.every(({ duration, running }) => /^0s(, 0s)*$/.test(duration) && running === 0),
        JSON.stringify(motion),
      );
      assert.equal(squareFrames, 0, 'the receptive-field square jumps');
    } else {
      assert.ok(
        motion.every(({ duration, running }) => duration.startsWith('0.2s') && running > 0),
        JSON.stringify(motion),
      );
      assert.ok(squareFrames >= 3, `the receptive-field square grows over several frames (${squareFrames})`);
    }
    await close();
  }
});

test('each step is announced politely, and a grid reads as a table', async () => {
  const { page, close } = await openPage(SIZES.desktop);
  await whenStarted(page, '#conv');
  await page.locator('#conv').focus();
  await page.keyboard.press('ArrowRight');
  const announced = await page.evaluate(() => {
    const region = document.querySelector('#conv').shadowRoot.querySelector('[role="status"][aria-live]');
    return {
      text: region.textContent,
      live: region.getAttribute('aria-live'),
      host: [
        document.querySelector('#conv').getAttribute('role'),
        document.querySelector('#conv').getAttribute('aria-label'),
      ],
    };
  });
  assert.equal(announced.live, 'polite');
  assert.match(announced.text, /^output\[0, 1\] = .+ = -?\d+$/);
  assert.deepEqual(announced.host, ['group', 'Convolution stepper']);
  const table = await page.evaluate(async () => {
    const panel = document.querySelector('#conv').shadowRoot.querySelector('[part="output"]');
    const details = panel.querySelector('details.table-view');
    details.open = true;
    await new Promise((resolve) => details.addEventListener('toggle', resolve, { once: true }));
    const grid = panel.querySelector('.grid-frame').gridView.snapshot();
    const rows = [...details.querySelectorAll('tbody tr')];
    return {
      rows: rows.length,
      gridRows: grid.rows,
      first: rows[0].cells[1].textContent,
      expected: grid.texts[0],
      current: rows[0].cells[2].textContent,
    };
  });
  assert.equal(table.rows, table.gridRows);
  assert.equal(table.first, table.expected);
  assert.match(table.current, /\(.*current.*\)/, 'the current cell is named in words, not by colour');
  await close();
});

test('theme="dark" on the page root turns the widgets dark, and the canvas repaints', async () => {
  const { page, close } = await openPage(SIZES.desktop, { colorScheme: 'light' });
  await whenStarted(page, '#conv');
  const paperPixel = () =>
    page.evaluate(
      () =>
        new Promise((resolve) =>
          requestAnimationFrame(() => {
            const frame = document.querySelector('#conv').shadowRoot.querySelector('[part="input"] .grid-frame');
            const grid = frame.gridView;
            const index = grid.view.findIndex((cell, at) => cell.text === '0' && !grid.marksOf(at));
            const { x, y } = grid.cellCenter(index);
            const ratio = devicePixelRatio;
            const corner = (value) => Math.round((value - grid.cellPx / 2 + 3) * ratio);
            resolve([
              ...frame
                .querySelector('canvas')
                .getContext('2d')
                .getImageData(corner(x), corner(y), 1, 1)
                .data.slice(0, 3),
            ]);
          }),
        ),
    );
  assert.deepEqual(await paperPixel(), [255, 255, 255]);
  await page.evaluate(() => document.documentElement.setAttribute('theme', 'dark'));
  await page.waitForTimeout(100);
  assert.deepEqual(await paperPixel(), [22, 24, 29]);
  await close();
});

test('redraw time of every grid on the page, full repaint and one step, medians (reported, not asserted)', async () => {
  const { page, close } = await openPage(SIZES.desktop);
  // Only the widgets measured: the lab's pre-trained model and its views would compete for the CPU.
  for (const id of ['conv', 'stride', 'dilated', 'transposed', 'pool']) await whenStarted(page, `#${id}`);
  // Medians of 21 runs: the machine is shared, and a mean would carry the scheduler's stalls.
  metrics.redrawMs = await page.evaluate(() => {
    const median = (run) => {
      const times = Array.from({ length: 21 }, (_, index) => {
        const start = performance.now();
        run(index);
        return performance.now() - start;
      }).sort((a, b) => a - b);
      return Number(times[10].toFixed(3));
    };
    const result = {};
    for (const id of ['conv', 'stride', 'dilated', 'transposed', 'pool']) {
      const widget = document.querySelector(`#${id}`);
      for (const frame of widget.shadowRoot.querySelectorAll('.grid-frame')) {
        const grid = frame.gridView;
        if (!grid.rows || frame.closest('[hidden]')) continue;
        result[`${id} › ${grid.label} (${grid.rows}×${grid.cols}, full repaint)`] = median(() => grid.render(null));
      }
      result[`${id} › one step (core trace, marks, text, repaint of changed cells)`] = median((run) => {
        widget.stepper.goTo((run + 1) % widget.stepper.count);
        for (const frame of widget.shadowRoot.querySelectorAll('.grid-frame'))
          if (frame.gridView.renderQueued) frame.gridView.render(frame.gridView.dirty ?? null);
      });
    }
    return result;
  });
  await close();
});

test('every grid shows the colour map it uses, with its extreme values', async () => {
  const { page, close } = await openPage(SIZES.desktop);
  await startAll(page);
  const grids = await page.evaluate(() =>
    [...document.querySelectorAll('cnn-conv, cnn-pool')].flatMap((widget) =>
      [...widget.shadowRoot.querySelectorAll('.grid-frame')]
        .filter((frame) => frame.gridView.rows && !frame.closest('[hidden], .not-applicable'))
        .map((frame) => {
          const grid = frame.gridView;
          const scale = grid.scaleElement;
          return {
            name: `${widget.id} › ${grid.label}`,
            signed: grid.signed,
            shown: scale.isConnected && !scale.hidden && scale.getBoundingClientRect().width > 0,
            label: scale.getAttribute('aria-label') ?? '',
          };
        }),
    ),
  );
  await close();
  assert.ok(
    grids.some((grid) => grid.signed) && grids.some((grid) => !grid.signed),
    'both maps are in use on the page',
  );
  for (const grid of grids) {
    assert.ok(grid.shown, `${grid.name}: no colour scale`);
    assert.match(
      grid.label,
      grid.signed ? /blue for negative .* red for positive/ : /from 0|white for 0, darker/,
      grid.name,
    );
  }
});
