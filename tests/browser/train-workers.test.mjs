// The lab's worker (web/train/worker.js, and its bundle in dist/) trains with 2 workers in
// Chromium: it hosts the coordinator and starts a nested gradient worker (a module Web Worker),
// no SharedArrayBuffer and no cross-origin isolation. Driven through the session's protocol, as
// <cnn-train> drives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openPageForFile, watchedPage } from './harness.mjs';
import { startServer } from '../../scripts/serve.mjs';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
let session, watched;
openPageForFile('web/', async (opened) => ({ session, watched } = opened));

/** The messages of one run of the lab's worker, from 'ready' to 'finished' or 'error'. */
const runInLabWorker = (page, url, knobs) =>
  page.evaluate(
    ({ url, knobs }) =>
      new Promise((resolve) => {
        const worker = new Worker(url, { type: 'module' });
        const messages = [];
        const end = () => {
          worker.terminate();
          resolve({ messages, isolated: self.crossOriginIsolated });
        };
        worker.onerror = (event) => {
          messages.push({ type: 'error', message: `the worker failed: ${event.message}` });
          end();
        };
        setTimeout(end, 90_000);
        worker.onmessage = ({ data }) => {
          messages.push({ type: data.type, record: data.record, message: data.message, knobs: data.knobs });
          if (data.type === 'ready') worker.postMessage({ type: 'start', knobs });
          if (data.type === 'finished' || data.type === 'error') end();
        };
      }),
    { url, knobs },
  );

/** The run's record, after checking the run went as asked, on 2 workers. */
function checkRun({ messages, isolated }) {
  assert.equal(isolated, false, 'the page is not cross-origin isolated');
  const finished = messages.find((message) => message.type === 'finished');
  assert.ok(finished, `finished, got ${JSON.stringify(messages.filter((message) => message.type === 'error'))}`);
  assert.equal(messages.find((message) => message.type === 'started').knobs.workers, 2);
  assert.equal(finished.record.knobs.workers, 2);
  assert.equal(finished.record.epochs, 1);
  assert.ok(finished.record.testAccuracy > 0.5, `test accuracy ${finished.record.testAccuracy}`);
}

const KNOBS = { channels: [2, 4], epochs: 1, workers: 2 };

test('web/train/worker.js trains one epoch with 2 workers in Chromium, without cross-origin isolation', async () => {
  checkRun(await runInLabWorker(watched.page, '/web/train/worker.js', KNOBS));
  assert.deepEqual(watched.problems(), []);
});

test('so does dist/train-worker.js, from dist/ on a plain static server (make dist writes it)', async () => {
  const server = await startServer({ root: DIST, folders: null, index: '.', port: 0 });
  const page = await watchedPage({ ...session, origin: new URL(server.url).origin });
  try {
    await page.page.goto(`${server.url}index.html`);
    checkRun(await runInLabWorker(page.page, `${server.url}train-worker.js`, KNOBS));
    assert.deepEqual(page.problems(), []);
  } finally {
    await page.close();
    await server.close();
  }
});
