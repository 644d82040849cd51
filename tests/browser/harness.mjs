// Shared by the browser tests: Debian's Chromium through playwright-core, the project's
// static server, and a page that records console errors and any request leaving the origin.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** The ids of web/index.html's widgets, in page order. */
export const PAGE_WIDGETS = [
  'conv',
  'channels-widget',
  'params',
  'bottleneck',
  'stride',
  'dilated',
  'transposed',
  'pool',
  'rf',
  'stack',
  'groups',
  'train',
];

const CHROMIUM_ARGUMENTS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts the server and the browser; close() stops both. */
export async function openBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer({ port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGUMENTS });
  return {
    url: server.url,
    origin: new URL(server.url).origin,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * One browser, server and watched page at `path` for a whole test file: registers the file's
 * before and after hooks, and awaits `use({ session, watched, page })` once the page is open, so
 * `use` can also prepare the page (a before hook of the file's own may run before this one).
 */
export function openPageForFile(path, use) {
  let session, watched;
  before(async () => {
    session = await openBrowser();
    watched = await watchedPage(session);
    await watched.page.goto(`${session.url}${path}`);
    await use({ session, watched, page: watched.page });
  });
  after(async () => {
    await watched?.close();
    await session?.close();
  });
}

/**
 * A new page that collects problems: console errors, uncaught exceptions, and requests to
 * any origin but the server's. `problems()` lists them all.
 */
export async function watchedPage(session, { width = 1280, height = 900 } = {}) {
  const context = await session.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  const offsite = [];
  const requests = []; // of the main frame only (an embedded iframe is a page of its own)
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('request', (request) => {
    if (request.frame() === page.mainFrame()) requests.push(request.url());
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== session.origin) offsite.push(url);
  });
  return {
    page,
    requests,
    problems: () => [...errors, ...offsite.map((url) => `request left the origin: ${url}`)],
    close: () => context.close(),
  };
}

/** Waits until the element matching `selector` has loaded the core and drawn itself. */
export async function whenStarted(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForFunction((target) => document.querySelector(target)?.started === true, selector);
}

/** Sets a slider, select or number field inside a widget and fires the events a user would. */
export async function setControl(page, widget, control, value) {
  await page.evaluate(
    ({ widget, control, value }) => {
      const field = document
        .querySelector(widget)
        .shadowRoot.querySelector(`[data-control="${control}"] input, [data-control="${control}"] select`);
      field.value = String(value);
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { widget, control, value },
  );
}

/** What a widget's grid (found by its label) shows: { rows, cols, texts, marks } per cell. */
export function readGrid(page, widget, label) {
  return page.evaluate(
    ({ widget, label }) => {
      const frames = [...document.querySelector(widget).shadowRoot.querySelectorAll('.grid-frame')];
      const frame = frames.find((element) => element.gridView.label === label);
      if (!frame) throw new Error(`${widget}: no grid labelled "${label}"`);
      return frame.gridView.snapshot();
    },
    { widget, label },
  );
}

/** Clicks the centre of one cell of a widget's grid, as a learner would. */
export async function clickCell(page, widget, label, index) {
  const point = await page.evaluate(
    ({ widget, label, index }) => {
      const frames = [...document.querySelector(widget).shadowRoot.querySelectorAll('.grid-frame')];
      const frame = frames.find((element) => element.gridView.label === label);
      frame.scrollIntoView({ block: 'center' });
      const bounds = frame.getBoundingClientRect();
      const { x, y } = frame.gridView.cellCenter(index);
      return { x: bounds.left + x, y: bounds.top + y };
    },
    { widget, label, index },
  );
  await page.mouse.click(point.x, point.y);
}

/**
 * Prepends a <cnn-train id="`id`"> of its own to the page, started at once, with small channels
 * so one epoch of 8,000 digits takes seconds; resolves when it is drawn. Returns its selector.
 */
export async function addSmallLab(page, id) {
  await page.evaluate(async (labId) => {
    await import('/web/widgets/cnn-train.js');
    const lab = document.createElement('cnn-train');
    lab.id = labId;
    lab.setAttribute('loading', 'eager');
    lab.setAttribute('channels', '2,4');
    lab.setAttribute('epochs', '1');
    document.body.prepend(lab);
  }, id);
  const selector = `cnn-train#${id}`;
  await whenStarted(page, selector);
  return selector;
}

/** Draws a "1" on a lab's pad with the mouse: a vertical stroke down the middle. */
export async function drawOne(page, lab) {
  const pad = page.locator(lab).locator('canvas.pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.07 * i));
  await page.mouse.up();
}
