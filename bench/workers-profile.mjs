// Where the time of a data-parallel training step goes, per thread (issue 13): for the lab's
// default model at batch 64 on 1 and 2 workers (web/train/parallel.js, worker_threads), per
// step: wall time, and for this thread and each gradient worker's thread the time it ran on a
// CPU and the time it waited for one (Linux: /proc/self/task/<tid>/schedstat, nanoseconds).
//
//   node bench/workers-profile.mjs [--samples 7] [--steps 30]     (writes results/workers-profile.md)
//
// Why per thread: on a shared machine wall time says how busy the machine was more than what
// the code costs. A thread's CPU time per step is what it computes (its share of the batch,
// the optimizer step, batch preparation, sending and summing gradients); the rest of a step is
// waiting — for a CPU (run-queue wait: the machine was busy) or for the other thread (idle).
//   cpu-bound scaling = 1-worker CPU per step / the busiest 2-worker thread's CPU per step
// is the 2 workers / 1 worker ratio of images/s the code allows when each thread has a core of
// its own, up to the messages' latency (which no thread's CPU time counts). Samples are
// interleaved (1, 2, 1, 2, …) on two trainers kept alive; each figure is the sample with the
// least wall time per step (noise only adds). A gradient worker's threads are the ones the
// process gained when its trainer started; its busiest is the worker's.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { load } from '../web/cnn.js';
import { loadMnist } from '../web/train/dataset.js';
import { checkKnobs } from '../web/train/knobs.js';
import { startTrainer } from '../web/train/parallel.js';

const BATCH = 64,
  WARMUP = 10;

const threadIds = () => new Set(readdirSync('/proc/self/task'));
/** [ms on a CPU, ms waiting for one] of thread tid so far. */
function schedstat(tid) {
  const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
  return [run / 1e6, wait / 1e6];
}

/** A trainer on `workers` workers and the thread ids that are its: this thread's, then one per gradient worker. */
async function profiled(cnn, data, workers, steps, samples) {
  const before = threadIds();
  const trainer = await startTrainer(
    cnn,
    data,
    checkKnobs({ batch: BATCH, workers, epochs: Math.ceil(((WARMUP + steps * samples) * BATCH) / 8000) }),
  );
  const fresh = [...threadIds()].filter((tid) => !before.has(tid));
  for (let i = 0; i < WARMUP; i++) await trainer.trainStep();
  return { workers, trainer, threads: [String(process.pid), ...fresh], samples: [] };
}

/** One sample: { wall, threads: [[cpu, wait] per thread] } per step, in ms. */
async function sample(run, steps) {
  const start = run.threads.map(schedstat),
    started = performance.now();
  for (let i = 0; i < steps; i++) await run.trainer.trainStep();
  const wall = (performance.now() - started) / steps;
  const threads = run.threads.map((tid, k) => schedstat(tid).map((value, i) => (value - start[k][i]) / steps));
  // This thread, then the busiest of each worker's threads (the worker; the others are V8's helpers).
  return {
    wall,
    threads: [
      threads[0],
      ...threads
        .slice(1)
        .sort((a, b) => b[0] - a[0])
        .slice(0, run.workers - 1),
    ],
  };
}

export async function workersProfile({ samples = 7, steps = 30 } = {}) {
  const cnn = await load(),
    data = await loadMnist();
  const runs = [await profiled(cnn, data, 1, steps, samples), await profiled(cnn, data, 2, steps, samples)];
  try {
    for (let s = 0; s < samples; s++) for (const run of runs) run.samples.push(await sample(run, steps));
  } finally {
    runs.forEach((run) => run.trainer.dispose());
  }
  return runs.map(({ workers, samples: taken }) => ({
    workers,
    ...taken.reduce((best, next) => (next.wall < best.wall ? next : best)),
  }));
}

export function workersProfileTable(rows) {
  const lines = [
    '| workers | wall ms per step | thread | CPU ms per step | waiting for a CPU, ms | idle, ms |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const { workers, wall, threads } of rows)
    threads.forEach(([cpu, wait], k) =>
      lines.push(
        `| ${workers} | ${wall.toFixed(2)} | ${k === 0 ? 'this (worker 1)' : `gradient worker ${k + 1}`} | ` +
          `${cpu.toFixed(2)} | ${wait.toFixed(2)} | ${Math.max(0, wall - cpu - wait).toFixed(2)} |`,
      ),
    );
  const [one, two] = rows;
  const busiest = Math.max(...two.threads.map(([cpu]) => cpu));
  return [
    ...lines,
    '',
    `cpu-bound scaling (1-worker CPU per step / busiest 2-worker thread's): ${(one.threads[0][0] / busiest).toFixed(2)}×; ` +
      `wall-clock scaling of the same samples: ${(one.wall / two.wall).toFixed(2)}×.`,
    `Load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')} at the end (2 cores shared with other work: waiting for a CPU is theirs).`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { samples: { type: 'string', default: '7' }, steps: { type: 'string', default: '30' } },
  });
  const rows = await workersProfile({ samples: Number(values.samples), steps: Number(values.steps) });
  const table = workersProfileTable(rows);
  console.log(table);
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(
    new URL('workers-profile.md', dir),
    `# A training step per thread (bench/workers-profile.mjs)\n\n${table}\n`,
  );
}
