// The training lab's speed over workers (issue 13): images/s of training steps of the lab's
// five models on the real digits, batch 64, with 1, 2 and all cores' workers
// (web/train/parallel.js, worker_threads), and native PyTorch (bench/torch_train.py, Debian's
// python3-torch through /usr/bin/python3) with 1 and all threads on the same networks and
// batches, in the same run. Skipped with a note when torch cannot be imported.
//
//   node bench/workers.mjs [--passes 3] [--steps 60]      (make bench runs it after the rows)
//
// A sample: a trainer started (workers spawned, untimed), `warmup` steps, then `steps` steps
// timed with the wall clock: images/s of the whole run as the lab shows it (batch preparation,
// shares sent and gradients summed included). Passes interleave ours and PyTorch, so a busy
// spell of the shared machine hits both; each figure is the median over passes, and the
// scaling is given twice: median against median, and fastest pass against fastest pass (a busy
// machine only slows a sample, and it slows N workers more than one: they need N free cores);
// so is ours on all cores against PyTorch on all threads.
// cpu/wall is the process's CPU time over wall time during ours (all threads): well under the
// worker count means the machine was busy elsewhere, and the scaling says more about it than
// about us. Alone, this file prints the table and writes results/workers.md.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { load } from '../web/cnn.js';
import { loadMnist, MNIST_URL } from '../web/train/dataset.js';
import { checkKnobs } from '../web/train/knobs.js';
import { startTrainer } from '../web/train/parallel.js';

/** The lab's five models: its default (kernel 5) and one knob changed each. */
export const LAB_MODELS = [
  { name: 'default (5×5)', knobs: {} },
  { name: 'kernel 3×3', knobs: { kernel: 3 } },
  { name: 'kernel 7×7', knobs: { kernel: 7 } },
  { name: 'stride 2', knobs: { stride: 2 } },
  { name: 'pooling none', knobs: { pool: 'none' } },
];
const BATCH = 64,
  WARMUP = 10;
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_train.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** { imagesPerSecond, cpuPerWall } of `steps` steps of one model on `workers` workers. */
async function timeOurs(cnn, data, knobs, workers, steps) {
  const trainer = await startTrainer(cnn, data, checkKnobs({ ...knobs, batch: BATCH, workers, epochs: 1 }));
  try {
    for (let i = 0; i < WARMUP; i++) await trainer.trainStep();
    const start = performance.now(),
      cpuStart = process.cpuUsage();
    for (let i = 0; i < steps; i++) await trainer.trainStep();
    const ms = performance.now() - start,
      cpu = process.cpuUsage(cpuStart);
    return { imagesPerSecond: (steps * BATCH) / (ms / 1000), cpuPerWall: (cpu.user + cpu.system) / 1000 / ms };
  } finally {
    trainer.dispose();
  }
}

/** PyTorch's images/s per model and thread count for one pass, or { skip } when it cannot run. */
function timeTorch(threads, steps) {
  const config = {
    models: LAB_MODELS.map(({ name, knobs }) => ({ name, knobs: checkKnobs({ ...knobs, batch: BATCH }) })),
    threads,
    batch: BATCH,
    steps,
    warmup: WARMUP,
    passes: 1,
    mnist: fileURLToPath(MNIST_URL),
  };
  const run = spawnSync(PYTHON, [TORCH_SCRIPT, JSON.stringify(config)], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    const reason = run.error?.message ?? run.stderr.trim().split('\n').at(-1);
    return {
      skip: `native PyTorch skipped: ${PYTHON} ${TORCH_SCRIPT} failed (${reason}); apt-get install python3-torch`,
    };
  }
  return JSON.parse(run.stdout);
}

/**
 * Every model × worker count, and PyTorch, over `passes` interleaved passes.
 * { cores, workerCounts, threads, torch (version or null), note, rows: [{ model, ours: {n: {imagesPerSecond, cpuPerWall}}, torch: {n: images/s} }] }
 */
export async function workersBench({ passes = 3, steps = 60, log = () => {} } = {}) {
  const cnn = await load(),
    data = await loadMnist();
  const cores = availableParallelism();
  const workerCounts = [...new Set([1, 2, cores])],
    threads = [...new Set([1, cores])];
  const samples = new Map(LAB_MODELS.map(({ name }) => [name, { ours: {}, torch: {} }]));
  let torchVersion = null,
    note = null;
  for (let pass = 0; pass < passes; pass++) {
    for (const { name, knobs } of LAB_MODELS) {
      for (const workers of workerCounts) {
        (samples.get(name).ours[workers] ??= []).push(await timeOurs(cnn, data, knobs, workers, steps));
      }
    }
    if (note) continue;
    const torch = timeTorch(threads, steps);
    if (torch.skip) note = torch.skip;
    else {
      torchVersion = torch.torch;
      for (const result of torch.results)
        (samples.get(result.name).torch[result.threads] ??= []).push(...result.images_per_second);
    }
    log(`  workers bench: pass ${pass + 1} of ${passes} done`);
  }
  const rows = LAB_MODELS.map(({ name }) => {
    const { ours, torch } = samples.get(name);
    return {
      model: name,
      ours: Object.fromEntries(
        Object.entries(ours).map(([workers, runs]) => [
          workers,
          {
            imagesPerSecond: median(runs.map((run) => run.imagesPerSecond)),
            fastest: Math.max(...runs.map((run) => run.imagesPerSecond)),
            cpuPerWall: median(runs.map((run) => run.cpuPerWall)),
          },
        ]),
      ),
      torch: Object.fromEntries(Object.entries(torch).map(([count, rates]) => [count, median(rates)])),
      torchFastest: Object.fromEntries(Object.entries(torch).map(([count, rates]) => [count, Math.max(...rates)])),
    };
  });
  return {
    cores,
    workerCounts,
    threads,
    torch: torchVersion,
    note,
    batch: BATCH,
    steps,
    passes,
    loadAverage: loadavg(),
    rows,
  };
}

/** The result as a table: images/s per worker count, scaling, PyTorch and the ratios (a markdown table). */
export function workersTable(result) {
  const { workerCounts, threads, cores } = result;
  const many = workerCounts.at(-1);
  const header = [
    'model',
    ...workerCounts.map((n) => `ours ${n}w img/s (cpu/wall)`),
    ...workerCounts.slice(1).flatMap((n) => [`${n}w / 1w`, `${n}w / 1w fastest`]),
  ];
  if (result.torch)
    header.push(
      ...threads.map((n) => `torch ${n}t img/s`),
      'ours 1w / torch 1t',
      `ours ${many}w / torch ${cores}t`,
      `ours ${many}w / torch ${cores}t fastest`,
    );
  const rows = result.rows.map(({ model, ours, torch, torchFastest }) => {
    const rate = (n) => ours[n].imagesPerSecond;
    const cells = [
      model,
      ...workerCounts.map((n) => `${Math.round(rate(n))} (${ours[n].cpuPerWall.toFixed(2)})`),
      ...workerCounts
        .slice(1)
        .flatMap((n) => [`${(rate(n) / rate(1)).toFixed(2)}×`, `${(ours[n].fastest / ours[1].fastest).toFixed(2)}×`]),
    ];
    if (result.torch)
      cells.push(
        ...threads.map((n) => String(Math.round(torch[n]))),
        `${(rate(1) / torch[1]).toFixed(2)}×`,
        `${(rate(many) / torch[cores]).toFixed(2)}×`,
        `${(ours[many].fastest / torchFastest[cores]).toFixed(2)}×`,
      );
    return cells;
  });
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const notes = [
    `batch ${result.batch}, ${result.steps} timed steps per sample, median of ${result.passes} passes; ${cores} cores, ` +
      `load average ${result.loadAverage.map((value) => value.toFixed(2)).join(' ')} at the end`,
    result.torch
      ? `PyTorch ${result.torch} (Debian's python3-torch), torch.set_num_threads(n), the same models, optimizer and digits`
      : result.note,
  ];
  return [...lines, '', ...notes.map((text) => `${text}.`)].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { passes: { type: 'string', default: '3' }, steps: { type: 'string', default: '60' } },
  });
  const result = await workersBench({ passes: Number(values.passes), steps: Number(values.steps), log: console.log });
  const table = workersTable(result);
  console.log(table);
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('workers.md', dir), `# Training over workers (bench/workers.mjs)\n\n${table}\n`);
}
