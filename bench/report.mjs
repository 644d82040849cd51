// Summaries of the timings (best-of-passes medians, spread, GFLOP/s, % of
// peak, speed ratios) and their rendering: a console table and the markdown
// table the README includes. Ratios are "their time / our time": above 1 means
// ours is faster.
import { stats } from './timing.mjs';

export const ENGINES = ['ours-simd', 'ours-scalar', 'tfjs-wasm', 'ort-wasm', 'tfjs-cpu'];
const TITLES = {
  'ours-simd': 'ours SIMD',
  'ours-scalar': 'ours scalar',
  'tfjs-wasm': 'tfjs-wasm',
  'ort-wasm': 'ORT wasm',
  'tfjs-cpu': 'tfjs-cpu',
};

const round = (value, digits = 3) =>
  value === undefined || value === null || !Number.isFinite(value) ? null : Number(value.toPrecision(digits));

/** One engine on one row, from its per-pass samples. */
export function summariseEngine(record, { flops, peak }) {
  if (record.status === 'skipped' || record.status === 'error') return record;
  const passMedians = record.passes.map((p) => stats(p.samples).median);
  const all = stats(record.passes.flatMap((p) => p.samples));
  const median = Math.min(...passMedians);
  const out = {
    status: record.status,
    error: record.error,
    reason: record.reason,
    median_ms: round(median, 4),
    min_ms: round(all.min, 4),
    max_ms: round(all.max, 4),
    pass_medians_ms: passMedians.map((m) => round(m, 4)),
    spread: round(Math.max(...passMedians) / median - 1, 2),
    samples: all.n,
    dropped_samples: record.passes.reduce((sum, p) => sum + (p.dropped ?? 0), 0),
    calls_per_sample: record.passes[0].calls,
    first_call_ms: round(record.first_ms, 4),
  };
  if (record.slow) out.reason = 'first call over 1 s: one sample, no warm-up, first pass only';
  if (record.note) out.note = record.note;
  if (flops) {
    out.gflops = round(flops / (median * 1e6));
    out.peak_percent = round((100 * out.gflops) / peak, 3);
  }
  return out;
}

export function summariseRow(row, problem, records, { peak }) {
  const flops = problem.macs ? 2 * problem.macs : null;
  const engines = Object.fromEntries(
    Object.entries(records.engines).map(([name, r]) => [name, summariseEngine(r, { flops, peak })]),
  );
  const ours = engines['ours-simd'] ?? engines['memory.copy'];
  const time = (name) =>
    engines[name]?.median_ms && engines[name].status !== 'error' ? engines[name].median_ms : null;
  const summary = {
    id: row.id,
    label: row.label,
    kind: row.kind,
    macs: problem.macs ?? null,
    bytes: problem.bytes ?? null,
    out_shape: problem.outShape ?? null,
    input_bytes: problem.x ? problem.x.data.length * 4 : null,
    engines,
  };
  if (row.kind === 'train_step' && ours?.median_ms) summary.images_per_s = round((row.batch * 1000) / ours.median_ms);
  if (ours?.median_ms) {
    const xnn = time('tfjs-wasm'),
      ort = time('ort-wasm');
    const best = [xnn, ort].filter(Boolean);
    // "vs XNNPACK" only where tfjs-wasm runs XNNPACK (a note names its other kernels)
    summary.vs_xnnpack = xnn && !engines['tfjs-wasm'].note ? round(xnn / ours.median_ms) : null;
    summary.vs_best_of_tfjs_wasm_ort = best.length ? round(Math.min(...best) / ours.median_ms) : null;
    // bytes read + written; a copy reads and writes each byte
    if (problem.bytes)
      summary.gbytes_per_s = round(((row.kind === 'memcpy' ? 2 : 1) * problem.bytes) / (ours.median_ms * 1e6));
  }
  if (records.binding) {
    const b = records.binding;
    summary.binding =
      b.status === 'ok'
        ? {
            median_ms: round(b.median_ms, 4),
            overhead_ms: ours?.median_ms ? round(b.median_ms - ours.median_ms, 3) : null,
            overhead_percent: ours?.median_ms
              ? round((100 * (b.median_ms - ours.median_ms)) / ours.median_ms, 2)
              : null,
          }
        : { status: b.status, reason: b.reason };
  }
  if (records.note) summary.note = records.note;
  return summary;
}

/** Pooling rows: time over the copy of their input (the "within 2× of memcpy"). */
export function linkMemcpy(rows) {
  const copyRow = rows.find((s) => s.kind === 'memcpy'),
    copy = copyRow?.engines['memory.copy'];
  if (!copy?.median_ms) return;
  for (const s of rows)
    if (/pool/.test(s.kind) && s.engines['ours-simd']?.median_ms && s.input_bytes === copyRow.bytes)
      s.vs_memcpy = round(s.engines['ours-simd'].median_ms / copy.median_ms);
}

// ---------------------------------------------------------------------------
// Rendering

const fmtMs = (ms) =>
  ms === null || ms === undefined
    ? ''
    : ms >= 100
      ? ms.toFixed(0)
      : ms >= 10
        ? ms.toFixed(1)
        : ms >= 1
          ? ms.toFixed(2)
          : ms.toFixed(3);
const cell = (e) => {
  if (!e) return '–';
  if (e.status === 'skipped') return 'skip';
  if (e.status === 'error') return 'ERROR';
  return `${fmtMs(e.median_ms)}${e.status === 'mismatch' ? ' ✗MISMATCH' : ''}`;
};
const ratio = (r) => (r ? `${r.toFixed(2)}×` : '');

function rowCells(s) {
  const ours = s.engines['ours-simd'] ?? s.engines['memory.copy'] ?? {};
  const rate = s.gbytes_per_s
    ? `${s.gbytes_per_s.toFixed(1)} GB/s`
    : s.images_per_s
      ? `${Math.round(s.images_per_s)} img/s`
      : ours.gflops
        ? ours.gflops.toFixed(1)
        : '';
  return [
    s.label,
    cell(ours) + (ours.min_ms ? ` (${fmtMs(ours.min_ms)}–${fmtMs(ours.max_ms)})` : ''),
    rate,
    ours.peak_percent ? `${ours.peak_percent.toFixed(0)}%` : s.vs_memcpy ? `${s.vs_memcpy.toFixed(2)}× memcpy` : '',
    ...ENGINES.slice(1).map((name) => cell(s.engines[name])),
    ratio(s.vs_xnnpack),
    ratio(s.vs_best_of_tfjs_wasm_ort),
    fmtMs(ours.first_call_ms),
    s.binding?.overhead_ms !== undefined && s.binding?.overhead_ms !== null
      ? `${s.binding.overhead_ms < 0 ? '−' : '+'}${fmtMs(Math.abs(s.binding.overhead_ms))}`
      : '',
    ours.spread !== undefined && ours.spread !== null ? `${Math.round(ours.spread * 100)}%` : '',
  ];
}

const HEADERS = [
  'row',
  'ours SIMD ms median (min–max)',
  'GFLOP/s',
  '% peak',
  'ours scalar',
  'tfjs-wasm',
  'ORT wasm',
  'tfjs-cpu',
  'vs XNNPACK',
  'vs faster of tfjs-wasm, ORT',
  'first call ms',
  'binding +ms',
  'ours spread',
];

export function consoleTable(rows) {
  const lines = [HEADERS, ...rows.map(rowCells)];
  const widths = HEADERS.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
  return lines
    .map((l, j) => {
      const text = l.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
      return j === 0 ? `${text}\n${'-'.repeat(text.length)}` : text;
    })
    .join('\n');
}

function notesFor(s) {
  const notes = [];
  for (const [name, e] of Object.entries(s.engines)) {
    if (e.status === 'skipped') notes.push(`${TITLES[name] ?? name}: ${e.reason}`);
    if (e.status === 'mismatch')
      notes.push(`**${TITLES[name] ?? name}: output differs from ours (max rel. error ${e.error?.toExponential(1)})**`);
    if (e.status === 'error') notes.push(`**${TITLES[name] ?? name}: ${e.reason}**`);
    if (e.status === 'ok' && e.reason) notes.push(`${TITLES[name] ?? name}: ${e.reason}`);
    if (e.note) notes.push(`${TITLES[name] ?? name}: ${e.note}`);
  }
  if (s.note) notes.push(s.note);
  return notes.join('; ');
}

export function markdown(result) {
  const { machine, peak, rows, modules, cold } = result;
  const out = [];
  out.push(
    `Measured ${result.date} on ${machine.cpu} (${machine.cores} cores, ${machine.mhz} MHz, ${machine.vector_flags.join(' ')}), ` +
      `Node ${machine.node} (V8 ${machine.v8}), one thread; load average ${machine.load_average[0]} before, ${machine.load_average_after?.[0]} after (the machine is shared). ` +
      `SIMD peak (register-only f32x4 mul+add): **${peak.gflops.toFixed(1)} GFLOP/s**. ` +
      `Engines: ours (raw exports, buffers preallocated), tfjs-backend-wasm ${result.versions.tfjs} (XNNPACK, SIMD, 1 thread), ` +
      `onnxruntime-web ${result.versions.ort} (wasm, SIMD, 1 thread), tfjs-backend-cpu. ` +
      `Times are the best of ${result.passes} pass medians in ms; ratios are their time / ours (> 1: ours faster).`,
  );
  out.push('');
  out.push(`| ${HEADERS.join(' | ')} | notes |`);
  out.push(`|${HEADERS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}| --- |`);
  for (const s of rows) out.push(`| ${rowCells(s).join(' | ')} | ${notesFor(s)} |`);
  out.push('');
  out.push(
    'First call (ms; ours on a cold module and fresh memory, the others with their code warm from earlier rows):',
  );
  out.push('');
  out.push(`| row | ${ENGINES.map((n) => TITLES[n]).join(' | ')} |`);
  out.push(`| --- |${ENGINES.map(() => ' ---: ').join('|')}|`);
  for (const s of rows.filter((r) => r.engines['ours-simd']?.first_call_ms))
    out.push(`| ${s.label} | ${ENGINES.map((n) => fmtMs(s.engines[n]?.first_call_ms)).join(' | ')} |`);
  out.push('');
  for (const note of result.notes) out.push(`- ${note}`);
  out.push('');
  out.push(
    `Module: cnn-simd.wasm ${modules.simd.bytes} bytes, **${modules.simd.gzip} gzipped**; ` +
      `cnn-scalar.wasm ${modules.scalar.bytes} bytes, ${modules.scalar.gzip} gzipped.`,
  );
  if (cold)
    out.push(
      `Cold load in a fresh Node process (median of ${cold.runs}): import of web/cnn.js ${cold.import.median.toFixed(1)} ms, ` +
        `load({simd:true}) ${cold.load.median.toFixed(1)} ms (compile ${cold.compile.median.toFixed(1)} ms + instantiate ${cold.instantiate.median.toFixed(2)} ms).`,
    );
  return out.join('\n') + '\n';
}
