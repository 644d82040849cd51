// Widget lifecycle in Chromium (issue 14, item 11): properties set before the element is
// defined are upgraded to attributes; a reflected property takes any value the way an attribute
// takes any text (explained, never thrown at a later refresh); <cnn-train> moved in the DOM
// restarts its worker and trains.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, watchedPage, whenStarted } from './harness.mjs';

// An empty page of the server's origin, so no widget is defined before the test defines it.
const EMPTY = '<!doctype html><meta charset="utf-8"><title>lifecycle</title><body></body>';
let session, watched, page;

before(async () => {
  session = await openBrowser();
  watched = await watchedPage(session);
  page = watched.page;
  const address = `${session.url}lifecycle-test.html`;
  await page.route(address, (route) => route.fulfill({ body: EMPTY, contentType: 'text/html' }));
  await page.goto(address);
});

after(async () => {
  await watched?.close();
  await session?.close();
});

const problemsNote = (selector) =>
  page.evaluate((target) => document.querySelector(target).shadowRoot.querySelector('p.error').textContent, selector);

test('properties set before the element is defined become its attributes', async () => {
  await page.evaluate(async () => {
    const pool = document.createElement('cnn-pool');
    pool.id = 'early';
    pool.kernel = 3;
    pool.values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    pool.loading = 'eager';
    document.body.append(pool);
    await import('/web/widgets/cnn-pool.js');
  });
  await whenStarted(page, '#early');
  const shown = await page.evaluate(() => {
    const pool = document.querySelector('#early');
    return {
      kernel: pool.getAttribute('kernel'),
      values: pool.getAttribute('values'),
      loading: pool.getAttribute('loading'),
      own: ['kernel', 'values', 'loading'].filter((name) => Object.hasOwn(pool, name)),
      property: pool.kernel,
    };
  });
  assert.deepEqual(shown, {
    kernel: '3',
    values: '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16',
    loading: 'eager',
    own: [],
    property: 3,
  });
});

test('a bad property value is explained like a bad attribute, and later refreshes do not throw', async () => {
  await page.evaluate(() => {
    const pool = document.querySelector('#early');
    pool.exercise = 'x';
    pool.kernel = 'big';
  });
  await page.waitForFunction(() =>
    /exercise="x"/.test(document.querySelector('#early').shadowRoot.querySelector('p.error').textContent),
  );
  const note = await problemsNote('#early');
  assert.match(note, /kernel="big" is not an integer from 1 to 6; using 2\./);
  assert.match(note, /exercise="x" is not one of output-size, pooled-value; no exercise shown\./);
  // Later refreshes (attribute changes, user commits) run without error.
  for (const stride of [1, 2, 3]) {
    await page.evaluate((value) => {
      document.querySelector('#early').stride = value;
    }, stride);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  }
  // A known kind given later builds the exercise.
  await page.evaluate(() => {
    document.querySelector('#early').exercise = 'output-size';
  });
  await page.waitForFunction(() => document.querySelector('#early').shadowRoot.querySelector('[part="exercise"]'));
  assert.doesNotMatch(await problemsNote('#early'), /exercise=/);
  assert.deepEqual(watched.problems(), []);
});

test('<cnn-train> moved in the DOM restarts its worker, and Start trains', async () => {
  const LAB = '#moved-lab';
  await page.evaluate(async () => {
    await import('/web/widgets/cnn-train.js');
    const lab = document.createElement('cnn-train');
    lab.id = 'moved-lab';
    for (const [name, value] of [
      ['loading', 'eager'],
      ['channels', '2,4'],
      ['epochs', '1'],
    ])
      lab.setAttribute(name, value);
    document.body.append(lab);
  });
  await whenStarted(page, LAB);
  const startEnabled = (selector) => {
    const button = document.querySelector(selector).shadowRoot.querySelector('button');
    return button.textContent === 'Start training' && !button.disabled;
  };
  await page.waitForFunction(startEnabled, LAB, { timeout: 60_000 });
  // Moving an element disconnects it, then connects it again.
  await page.evaluate((selector) => {
    const box = document.createElement('section');
    document.body.prepend(box);
    box.append(document.querySelector(selector));
  }, LAB);
  await page.waitForFunction(startEnabled, LAB, { timeout: 60_000 });
  await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('button').click(), LAB);
  await page.waitForFunction(
    (selector) => document.querySelector(selector).shadowRoot.querySelector('progress').value > 0,
    LAB,
    { timeout: 60_000 },
  );
  await page.evaluate(
    (selector) => document.querySelector(selector).shadowRoot.querySelector('button[title="Stop training"]').click(),
    LAB,
  );
  await page.waitForFunction(
    (selector) =>
      /^Run 1 (stopped|finished)/.test(
        document.querySelector(selector).shadowRoot.querySelector('.status').textContent,
      ),
    LAB,
    { timeout: 120_000 },
  );
  // Removed from the page, the lab ends its worker and says so.
  const removed = await page.evaluate((selector) => {
    const lab = document.querySelector(selector);
    lab.remove();
    return { worker: lab.worker, status: lab.shadowRoot.querySelector('.status').textContent };
  }, LAB);
  assert.deepEqual(removed, { worker: null, status: 'The training worker stopped when the lab left the page.' });
  assert.deepEqual(watched.problems(), []);
});
