// make bench: our core against XNNPACK (tfjs-backend-wasm), onnxruntime-web
// and tfjs-backend-cpu, one thread, in one Node process (issue 3); then, without --rows, the
// lab's training over workers against native PyTorch (workers.mjs, issue 13).
//
//   node bench/run.mjs [--passes 3] [--rows id,id] [--quick] [--no-cold] [--slow]
//   (--slow: also time tfjs-cpu where one call takes half a minute or more)
//
// For each pass and each row of rows.mjs: every engine is prepared (inputs
// converted to its layout, untimed), called once (first call, reported apart),
// checked against ours (max |Δ| / max |ours| ≤ 1e-3, else marked loudly), warmed
// up, then timed with the engines interleaved (timing.mjs). The table reports
// the best of the pass medians and their spread, and is written to
// bench/results/latest.json and latest.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { load } from '../web/cnn.js';
import { bindingEngine, compileCore, coreEngine } from './engines/core.mjs';
import { ortEngine, initOrt } from './engines/ort.mjs';
import { activateBackend, initTfjs, tfjsEngine } from './engines/tfjs.mjs';
import { copyHarness, machineDescription, makeCanary, measurePeak } from './machine.mjs';
import { coldLoad, moduleSizes } from './module-size.mjs';
import { makeProblem } from './problems.mjs';
import { consoleTable, linkMemcpy, markdown, summariseRow } from './report.mjs';
import { ROWS } from './rows.mjs';
import { compareAll } from './tensors.mjs';
import { callOnce, canaryMonitor, SLOW_MS, stats, timeInterleaved } from './timing.mjs';
import { trainStepEngines } from './train-step.mjs';
import { labModelMarkdown, labModelTable } from './lab-models.mjs';
import { workersBench, workersTable } from './workers.mjs';

const TOLERANCE = 1e-3;
const BINDING_CALLS = 3;

const { values: args } = parseArgs({
  options: {
    passes: { type: 'string', default: '3' },
    rows: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-cold': { type: 'boolean', default: false },
    slow: { type: 'boolean', default: false },
  },
});
const passes = args.quick ? 1 : Number(args.passes);
const budgetMs = args.quick ? 400 : 1500;
const rows = args.rows ? ROWS.filter((r) => args.rows.split(',').some((id) => r.id.includes(id))) : ROWS;

const log = (...parts) => console.log(...parts);
const started = performance.now();

// ---------------------------------------------------------------------------
log('bench: one thread; engines interleaved; times in ms');
const machine = await machineDescription();
log(
  `machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.load_average.join(' ')}`,
);
const peakBefore = measurePeak();
log(
  `SIMD peak (register-only f32x4 mul+add, ${peakBefore.chains} chains): ${peakBefore.gflops.toFixed(1)} GFLOP/s (median ${peakBefore.median.toFixed(1)})`,
);

const monitor = canaryMonitor(makeCanary(peakBefore.chains));
const cnn = await load({ simd: true });
const [simdModule, scalarModule] = await Promise.all([compileCore('simd'), compileCore('scalar')]);
const tfjsInfo = await initTfjs();
const ortInfo = initOrt();
const engines = [
  coreEngine('ours-simd', simdModule),
  coreEngine('ours-scalar', scalarModule),
  tfjsEngine('tfjs-wasm', 'wasm'),
  ortEngine(),
  tfjsEngine('tfjs-cpu', 'cpu'),
];
const binding = bindingEngine(cnn);
const training = await trainStepEngines(
  { simd: cnn, scalar: await load({ simd: false }) },
  { activateTfjs: activateBackend, slow: args.slow },
);

function copyEngines(problem) {
  const harness = copyHarness(problem.bytes);
  const named = (name, run) => ({
    name,
    prepare: () => ({ run, result: () => (harness.check() ? [] : null), dispose() {} }),
  });
  return [named('memory.copy', harness.bulk), named('v128-copy', harness.simd)];
}

/** Prepares, first-calls and checks every engine of a row; returns the timable entries. */
async function prepareRow(problem, rowEngines, records, firstPass) {
  const entries = [];
  for (const engine of rowEngines) {
    const record = (records.engines[engine.name] ??= { status: 'ok', passes: [] });
    if (record.slow || (engine.firstPassOnly && !firstPass)) continue; // timed in the first pass only
    let instance;
    try {
      instance = await engine.prepare(problem);
      if (instance.skip) {
        Object.assign(record, { status: 'skipped', reason: instance.skip });
        continue;
      }
      if (instance.note) record.note = instance.note;
      const first = await callOnce(engine, instance.first ? { run: instance.first } : instance);
      if (firstPass) record.first_ms = first;
      if (first > SLOW_MS) record.slow = true;
      entries.push({ engine, instance, record, firstMs: first });
    } catch (error) {
      Object.assign(record, { status: 'error', reason: `${error.message.split('\n')[0]}` });
      log(`  !!! ${engine.name} failed on ${problem.row.label}: ${error.message.split('\n')[0]}`);
      instance?.dispose?.();
    }
  }
  // Correctness: ours-simd is the reference (it matches PyTorch in the golden tests).
  let reference;
  for (const entry of entries) {
    await entry.engine.activate?.();
    const checkStart = performance.now();
    const outputs = await entry.instance.result();
    entry.checkMs = performance.now() - checkStart;
    if (outputs === null) {
      Object.assign(entry.record, { status: 'mismatch', reason: 'copy check failed' });
      continue;
    }
    if (entry.engine.name === 'ours-simd') {
      reference = outputs;
      continue;
    }
    if (!reference || outputs.length === 0) continue;
    const check = compareAll(outputs, reference, TOLERANCE);
    entry.record.error = Math.max(entry.record.error ?? 0, check.error);
    if (!check.ok) {
      entry.record.status = 'mismatch';
      log(
        `  !!! MISMATCH: ${entry.engine.name} on ${problem.row.label}: max |Δ|/max|ours| = ${check.error.toExponential(2)} > ${TOLERANCE}${check.reason ? ` (${check.reason})` : ''}`,
      );
    }
  }
  return { entries, reference };
}

async function timeBinding(binding, problem, records, reference) {
  let instance;
  try {
    instance = await binding.prepare(problem);
    if (instance.skip) return { status: 'skipped', reason: instance.skip };
    const outputs = await instance.result(); // also the warm-up call
    const check = reference ? compareAll(outputs, reference, TOLERANCE) : { ok: true };
    if (!check.ok) log(`  !!! MISMATCH: binding on ${problem.row.label}: ${check.error.toExponential(2)}`);
    const times = [];
    for (let i = 0; i < BINDING_CALLS; i++) times.push(await callOnce(binding, instance));
    const previous = records.binding?.median_ms ?? Infinity;
    return { status: check.ok ? 'ok' : 'mismatch', median_ms: Math.min(previous, stats(times).median) };
  } catch (error) {
    return { status: 'error', reason: error.message.split('\n')[0] };
  }
}

// ---------------------------------------------------------------------------
const recordsByRow = new Map(rows.map((row) => [row.id, { engines: {} }]));
const problems = new Map();
for (let pass = 0; pass < passes; pass++) {
  log(`\npass ${pass + 1} of ${passes}`);
  for (const row of rows) {
    const records = recordsByRow.get(row.id);
    const problem = problems.get(row.id) ?? makeProblem(row, cnn);
    problems.set(row.id, problem);
    const rowEngines =
      row.kind === 'memcpy' ? copyEngines(problem) : row.kind === 'train_step' ? training.engines : engines;
    const rowStart = performance.now();
    const { entries, reference } = await prepareRow(problem, rowEngines, records, pass === 0);
    if (row.kind === 'memcpy')
      records.note = 'memory.copy (V8 memmove) of the pooling input; v128-copy: a v128 load/store loop';
    const timings = entries.length ? await timeInterleaved(entries, row.samples, { budgetMs, monitor }) : {};
    for (const entry of entries) entry.record.passes.push(timings[entry.engine.name]);
    if (row.kind === 'train_step')
      records.note = `binding +ms: the JS layers instead of cnn.Network; ${training.description}`;
    if (row.kind !== 'memcpy')
      records.binding = await timeBinding(
        row.kind === 'train_step' ? training.binding : binding,
        problem,
        records,
        reference,
      );
    for (const entry of entries) entry.instance.dispose?.();
    const medians = entries.map((e) => {
      const t = timings[e.engine.name];
      return `${e.engine.name} ${stats(t.samples).median.toFixed(3)}${t.dropped ? ` (${t.dropped} dropped)` : ''}`;
    });
    const skipped = Object.entries(records.engines)
      .filter(([, r]) => r.status === 'skipped')
      .map(([n]) => n);
    log(
      `  ${row.label.padEnd(38)} ${medians.join(', ')}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}` +
        `  [${((performance.now() - rowStart) / 1000).toFixed(1)} s]`,
    );
  }
}

// ---------------------------------------------------------------------------
const peakAfter = measurePeak();
const peak = peakAfter.gflops > peakBefore.gflops ? peakAfter : peakBefore;
log(`\nSIMD peak again: ${peakAfter.gflops.toFixed(1)} GFLOP/s; using the best, ${peak.gflops.toFixed(1)}`);

const summaries = rows.map((row) =>
  summariseRow(row, problems.get(row.id), recordsByRow.get(row.id), { peak: peak.gflops }),
);
linkMemcpy(summaries);
for (const row of rows) {
  const records = recordsByRow.get(row.id);
  for (const [name, r] of Object.entries(records.engines))
    if (r.status === 'skipped') log(`  skipped: ${name} on ${row.label}: ${r.reason}`);
}

const workers = args.rows ? null : await workersBench({ passes, log });
if (workers) log(`\n${workersTable(workers)}`);

const modules = moduleSizes();
const cold = args['no-cold'] ? null : coldLoad({ simd: true });

const result = {
  date: new Date().toISOString().slice(0, 10),
  machine: { ...machine, load_average_after: (await machineDescription()).load_average },
  versions: { tfjs: tfjsInfo.version, ort: ortInfo.version },
  passes,
  tolerance: TOLERANCE,
  peak: {
    gflops: Number(peak.gflops.toFixed(2)),
    chains: peak.chains,
    before: Number(peakBefore.gflops.toFixed(2)),
    after: Number(peakAfter.gflops.toFixed(2)),
    canary_best: Number(monitor.best.toFixed(2)),
  },
  modules,
  cold,
  rows: summaries,
  workers,
  notes: [
    'ms: best of the pass medians; min/max over every sample; spread = worst / best pass median − 1.',
    'a sample is dropped (and counted, while 3 others remain) when the process had less than 90% of a core during it, or when a 0.3 ms SIMD canary just before or after it ran below 85% of its best speed (the machine is shared).',
    'tfjs-cpu is timed in the first pass only (it is 20 to 2000 times slower; more passes change no conclusion).',
    'ours: raw exports on preallocated buffers; binding +ms: the public binding (copies in and out, allocation) over that.',
    'first call: ours on a cold module (compiled from bytes V8 has not cached) and a fresh instance: lazy compilation, baseline-tier code, memory growth and first page touches; the others: the first call of that shape in this process, their code warm from earlier rows.',
    'tfjs-wasm runs XNNPACK for conv2d, depthwise and pooling, its own C loops for Conv2DBackpropInput (grad-input, conv_transpose) and mean; it has no Conv2DBackpropFilter.',
    'ORT times include its copies of the input and output per run (its API has no way around them); grad-input runs as ConvTranspose.',
    'GFLOP/s = 2 · MACs / time, MACs of the direct convolution from the core (arithmetic.conv2d_shape); backward rows count dX and dW as one forward each. It is an effective rate: a Winograd route does fewer multiplies and can pass 100% of the peak.',
  ],
  seconds: Math.round((performance.now() - started) / 1000),
};

log('');
log(consoleTable(summaries));
log(
  `\nmodule: cnn-simd.wasm ${modules.simd.bytes} B, ${modules.simd.gzip} B gzipped; cnn-scalar.wasm ${modules.scalar.bytes} B, ${modules.scalar.gzip} B gzipped`,
);
if (cold)
  log(
    `cold load (fresh process, median of ${cold.runs}): import ${cold.import.median.toFixed(1)} ms, load ${cold.load.median.toFixed(1)} ms (compile ${cold.compile.median.toFixed(1)} + instantiate ${cold.instantiate.median.toFixed(2)})`,
  );

// Step time against MACs for the lab's models (lab-models.mjs): not with --rows.
if (!args.rows) result.lab_models = await labModelTable({ 'ours-simd': cnn });
if (result.lab_models) log(`\n${labModelMarkdown(result.lab_models)}`);

const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
if (!args.rows) {
  await writeFile(new URL('latest.json', dir), JSON.stringify(result, null, 1) + '\n');
  const sections = [
    markdown(result),
    `## Step time against MACs (bench/lab-models.mjs)\n\n${labModelMarkdown(result.lab_models)}`,
    `## Training over workers (bench/workers.mjs)\n\n${workersTable(workers)}`,
  ];
  await writeFile(new URL('latest.md', dir), `${sections.join('\n')}\n`);
  log(`\nwrote bench/results/latest.json and latest.md (${result.seconds} s)`);
} else {
  log(`\n(--rows given: results not written; ${result.seconds} s)`);
}
process.exit(0); // the wasm backends keep no handles, but ORT may
