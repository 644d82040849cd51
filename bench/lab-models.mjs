// Does a training step cost what its arithmetic costs? (issue 13, item 3)
//
// For the training lab's models (web/train/model.js) — its default (kernel 5) and the knob
// changes a learner tries first: 3×3, 7×7, stride 2, pooling none — one training step at
// batch 64 (cnn.Network.trainStep, then cnn.optim.Adam.step; one thread) is timed and set
// against the step time its MACs predict:
//   predicted = (MACs of the model / MACs of the default) × step time of the default
//   ratio     = measured / predicted        (target: at most 1.3)
// MACs are the core's (Sequential.summary: forward MACs of one image). A ratio above 1 is
// time that does not scale with the work: per-call setup, copies, small-GEMM edges — and the
// layers MACs do not count: batch norm, ReLU and pooling, forward and backward, and zeroing
// the activation gradients, whose cost follows the activations' size, not the kernel's.
// To measure that part, each model is also timed with 1×1 kernels (its "floor": the same
// activations, the same layers, next to no MACs); then
//   conv ms   = step time − floor            (what the convolutions' MACs cost)
//   conv ratio = (conv ms / (MACs − floor's MACs)) / the same for the default
// says whether a model's convolutions cost what their MACs predict (its route: Winograd
// F(4, 5) along rows for 5×5 and 7×7 does fewer multiplications than it has MACs).
//
//   node bench/lab-models.mjs [--before DIR] [--samples 7]
//   (--before: the web/ folder of another build, e.g. an older checkout's, timed in the same
//    run, samples interleaved with this one's, so the two columns see the same machine)
//
// make bench runs labModelTable() after its rows (bench/run.mjs); alone, this file prints
// the table and writes bench/results/lab-models.md.
import { writeFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BATCH = 64,
  INPUT = [1, 28, 28],
  LR = 0.003,
  WARMUP_STEPS = 5,
  SAMPLE_MS = 150;
// CPU time of this process, not wall time: on a shared machine (load far above the cores)
// a step's wall time counts the other processes' turns; its CPU time only its own.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** The lab's models: label and knob changes from the lab's defaults; the first is the default. */
export const LAB_MODELS = [
  { label: 'default (kernel 5)', knobs: {} },
  { label: '3×3', knobs: { kernel: 3 } },
  { label: '7×7', knobs: { kernel: 7 } },
  { label: 'stride 2', knobs: { stride: 2 } },
  { label: 'pooling none', knobs: { pool: 'none' } },
];

async function labBuilder() {
  const [model, knobs] = await Promise.all(
    ['model.js', 'knobs.js'].map((file) => import(new URL(`../web/train/${file}`, import.meta.url).href)),
  );
  return (cnn, changes) => model.buildModel(cnn.nn, knobs.checkKnobs(changes));
}

/** A seeded batch of images and labels. */
function batchOf(cnn) {
  const images = cnn.randn([BATCH, ...INPUT], 11).data;
  return { images, labels: Int32Array.from({ length: BATCH }, (_, i) => (i * 7) % 10) };
}

/** One training step of a model on a core: trainStep then Adam. */
function stepper(cnn, build, knobs) {
  const floor = knobs.kernel === 1 ? null : stepper(cnn, build, { ...knobs, kernel: 1 });
  const net = new cnn.Network(build(cnn, knobs), INPUT, { capacity: BATCH });
  const adam = new cnn.optim.Adam(net, { lr: LR });
  const { images, labels } = batchOf(cnn);
  for (let i = 0; i < WARMUP_STEPS; i++) (net.trainStep(images, labels, BATCH), adam.step());
  return {
    /** CPU ms per step over enough steps for SAMPLE_MS of it. */
    sample() {
      let steps = 0;
      const started = cpuMs();
      do (net.trainStep(images, labels, BATCH), adam.step(), steps++);
      while (cpuMs() - started < SAMPLE_MS);
      return (cpuMs() - started) / steps;
    },
    /** The same model with 1×1 kernels (null for one that has them). */
    floor,
    dispose: () => (net.dispose(), floor?.dispose()),
  };
}

/**
 * Rows {label, macs, floorMacs, ms: {name: ms}, floorMs: {name: ms}} for cores {name: cnn}, each
 * model's samples and its 1×1 floor's taken in turns across the cores; ms is the fastest
 * sample's mean CPU time per step (noise only adds).
 */
export async function labModelTable(cores, { samples = 7 } = {}) {
  const build = await labBuilder();
  const first = Object.values(cores)[0];
  const rows = [];
  for (const { label, knobs } of LAB_MODELS) {
    const macsOf = (changes) => build(first, changes).summary([1, ...INPUT]).macs;
    const steppers = Object.entries(cores).map(([name, cnn]) => [name, stepper(cnn, build, knobs)]);
    const times = Object.fromEntries(steppers.map(([name]) => [name, []]));
    const floorTimes = Object.fromEntries(steppers.map(([name]) => [name, []]));
    for (let s = 0; s < samples; s++)
      for (const [name, step] of steppers) {
        times[name].push(step.sample());
        floorTimes[name].push(step.floor.sample());
      }
    steppers.forEach(([, step]) => step.dispose());
    const fastest = (table) => Object.fromEntries(Object.entries(table).map(([name, t]) => [name, Math.min(...t)]));
    rows.push({
      label,
      knobs,
      macs: macsOf(knobs),
      floorMacs: macsOf({ ...knobs, kernel: 1 }),
      ms: fastest(times),
      floorMs: fastest(floorTimes),
    });
  }
  return rows;
}

/**
 * The table as markdown: per core, measured ms, predicted ms and their ratio; the 1×1 floor,
 * the convolutions' ms (step − floor) and their ratio to the default's ms per MAC.
 */
export function labModelMarkdown(rows) {
  const names = Object.keys(rows[0].ms),
    base = rows[0];
  const head = [
    'model',
    'MACs per image',
    ...names.flatMap((n) => [
      `${n} ms`,
      `${n} predicted`,
      `${n} ratio`,
      `${n} floor ms`,
      `${n} conv ms`,
      `${n} conv ratio`,
    ]),
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  const convMs = (row, name) => row.ms[name] - row.floorMs[name];
  const convPerMac = (row, name) => convMs(row, name) / (row.macs - row.floorMacs);
  for (const row of rows) {
    const cells = names.flatMap((name) => {
      const predicted = (row.macs / base.macs) * base.ms[name];
      return [
        row.ms[name].toFixed(2),
        predicted.toFixed(2),
        (row.ms[name] / predicted).toFixed(2),
        row.floorMs[name].toFixed(2),
        convMs(row, name).toFixed(2),
        (convPerMac(row, name) / convPerMac(base, name)).toFixed(2),
      ];
    });
    lines.push(`| ${row.label} | ${Math.round(row.macs).toLocaleString('en-US')} | ${cells.join(' | ')} |`);
  }
  return (
    `${lines.join('\n')}\n\nOne training step at batch ${BATCH} (cnn.Network.trainStep + cnn.optim.Adam.step, one thread), ` +
    "CPU time per step, fastest of interleaved samples (each the mean of ≥ 150 ms of steps); predicted = MACs / the default's MACs × the default's step time; target ratio ≤ 1.3. " +
    'floor: the same model with 1×1 kernels (same activations, batch norm, ReLU and pooling; next to no MACs); ' +
    "conv ms = ms − floor; conv ratio = (conv ms per MAC beyond the floor's) / the default's.\n"
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: args } = parseArgs({
    options: { before: { type: 'string' }, samples: { type: 'string', default: '7' } },
  });
  const { load } = await import('../web/cnn.js');
  const cores = {};
  if (args.before)
    cores.before = await (await import(pathToFileURL(`${args.before}/cnn.js`).href)).load({ simd: true });
  cores[args.before ? 'after' : 'simd'] = await load({ simd: true });
  const rows = await labModelTable(cores, { samples: Number(args.samples) });
  const table = `${labModelMarkdown(rows)}\nLoad average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} at the end (2 cores shared with other work).\n`;
  console.log(table);
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(
    new URL('lab-models.md', dir),
    `# Training step time against MACs (bench/lab-models.mjs)\n\n${table}`,
  );
}
