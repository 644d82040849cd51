// Does the page stay responsive while the lab trains on every core? (issue 13) In Chromium,
// on the project's page: a slider of another widget (<cnn-params id="groups">, its groups
// range) is moved 40 times, each move an input event, and the time from the event to the next
// animation frame is taken; first with nothing training, then while the lab's worker
// (web/train/worker.js) trains the default model with `--workers N` (default: the lab's
// default, cores − 1, at least 1). Prints both medians and 90th percentiles. A measurement,
// not a test: the machine is shared.
//   node bench/lab-frames.mjs [--workers 2]
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { openBrowser, watchedPage } from '../tests/browser/harness.mjs';

const MOVES = 40;
const { values } = parseArgs({ options: { workers: { type: 'string' } } });
const workers = Number(values.workers ?? Math.max(1, availableParallelism() - 1));

/** Event → next frame latencies (ms) of MOVES slider moves, spaced out by two frames. */
const sliderLatencies = (page) =>
  page.evaluate(async (moves) => {
    const slider = document.querySelector('cnn-params#groups').shadowRoot.querySelector('input[type="range"]');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const latencies = [];
    for (let i = 0; i < moves; i++) {
      await frame();
      await frame();
      slider.value = String(i % 2 ? Number(slider.min) : Number(slider.max));
      const start = performance.now();
      slider.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await frame();
      latencies.push(performance.now() - start);
    }
    return latencies;
  }, MOVES);

const summary = (latencies) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, 90th percentile ${sorted[Math.floor(sorted.length * 0.9)].toFixed(1)} ms`;
};

const session = await openBrowser();
const watched = await watchedPage(session);
try {
  await watched.page.goto(`${session.url}web/`);
  await watched.page.evaluate(() => document.querySelector('cnn-params#groups').scrollIntoView()); // widgets start when seen
  await watched.page.waitForFunction(() => document.querySelector('cnn-params#groups')?.started === true);
  console.log(`idle: ${summary(await sliderLatencies(watched.page))}`);
  await watched.page.evaluate(
    (knobs) =>
      new Promise((resolve) => {
        window.labWorker = new Worker('/web/train/worker.js', { type: 'module' });
        window.labWorker.onmessage = ({ data }) => {
          if (data.type === 'ready') window.labWorker.postMessage({ type: 'start', knobs });
          if (data.type === 'progress') resolve();
        };
      }),
    { epochs: 3, workers },
  );
  console.log(
    `training on ${workers} worker${workers > 1 ? 's' : ''}: ${summary(await sliderLatencies(watched.page))}`,
  );
} finally {
  await watched.close();
  await session.close();
}
