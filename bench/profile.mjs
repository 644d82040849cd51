// Where our convolution time goes: the rows of run.mjs that matter most, taken
// apart with the exports of bench/build/profile-simd.wasm (bench/profile/,
// built by bench/profile/build.sh): Winograd's 16 GEMMs, and the im2col route
// the MNIST rows took before the implicit GEMM (im2col, packing of A and B,
// the microkernels, col2im), for comparison. Not part of `make bench`.
//
//   bench/profile/build.sh && node bench/profile.mjs
//
// Every piece runs on preallocated buffers; a piece's time is the min and the
// median of SAMPLES undisturbed runs after WARMUP (the min is the better
// estimate of cost on a shared machine: noise only adds). Writes
// bench/results/profile.md.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { load } from '../web/cnn.js';
import { geometryRecord, instantiate } from './engines/core.mjs';
import { makeCanary, measurePeak } from './machine.mjs';
import { makeProblem } from './problems.mjs';
import { ROWS } from './rows.mjs';
import { sizeOf } from './tensors.mjs';
import { canaryMonitor, stats } from './timing.mjs';

const SAMPLES = 21,
  WARMUP = 5,
  MAX_ATTEMPTS = 100;
const PACK_B = 1,
  PACK_A = 2,
  MICROKERNELS = 4,
  ALL = 7;

const bytes = await readFile(new URL('./build/profile-simd.wasm', import.meta.url)).catch(() => {
  console.error('profile: bench/build/profile-simd.wasm is missing: run bench/profile/build.sh first');
  process.exit(1);
});
const core = instantiate(new WebAssembly.Module(bytes));
const e = core.exports;
const cnn = await load({ simd: true });
const peak = measurePeak();
const monitor = canaryMonitor(makeCanary(peak.chains));
const lines = [];
const log = (text = '') => {
  console.log(text);
  lines.push(text);
};

// As in run.mjs, a sample counts only when a SIMD canary just before and just
// after it ran near its best speed (the machine is shared); at most
// MAX_ATTEMPTS tries, then every sample counts.
function time(fn) {
  for (let i = 0; i < WARMUP; i++) fn();
  const quiet = [],
    all = [];
  for (let attempt = 0; quiet.length < SAMPLES && attempt < MAX_ATTEMPTS; attempt++) {
    const before = monitor.measure();
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    const after = monitor.measure();
    all.push(ms);
    if (monitor.quiet(before) && monitor.quiet(after)) quiet.push(ms);
  }
  return stats(quiet.length >= 5 ? quiet : all);
}

/** Prints one line: label, min and median ms, share of a total, GFLOP/s when flops are given. */
function report(label, s, { total, flops } = {}) {
  const share = total ? `${((100 * s.min) / total.min).toFixed(0).padStart(4)}%` : '     ';
  const rate = flops
    ? `${(flops / (s.min * 1e6)).toFixed(1).padStart(6)} GFLOP/s (${((100 * flops) / (s.min * 1e6 * peak.gflops)).toFixed(0)}% of peak)`
    : '';
  log(
    `  ${label.padEnd(58)} ${s.min.toFixed(3).padStart(8)} ms  (median ${s.median.toFixed(3).padStart(8)})  ${share}  ${rate}`,
  );
  return s;
}

const floats = (data) => core.alloc(Float32Array, data);
const zeros = (count) => core.alloc(Float32Array, count);
const check = (name, status) => core.status(name, status);

/** A GEMM taken apart: full cnn_gemm, then B packing, A packing and the microkernels alone. */
function gemmParts(label, { c, ldc, a, aRow, aCol, b, bRow, bCol, m, n, k, accumulate = 1, times = 1, total }) {
  const aPacked = zeros(e.prof_packed_a_floats(m, k)),
    bPacked = zeros(e.prof_packed_b_floats(n, k));
  const flops = 2 * m * n * k * times;
  const full = report(
    `${label}: cnn_gemm ×${times} (M=${m} N=${n} K=${k})`,
    time(() => {
      for (let i = 0; i < times; i++)
        check('gemm', e.prof_gemm(c, ldc, a, aRow, aCol, b, bRow, bCol, m, n, k, accumulate));
    }),
    { total, flops },
  );
  const part = (bits) =>
    time(() => {
      for (let i = 0; i < times; i++)
        e.prof_gemm_parts(c, ldc, a, aRow, aCol, b, bRow, bCol, m, n, k, accumulate, aPacked, bPacked, bits);
    });
  part(ALL); // fill the packed buffers with real values
  const sum = report(`${label}:   all parts (the same loop nest)`, part(ALL), { total });
  report(`${label}:   pack B (${bCol === 1 ? 'rows contiguous' : `strided gather, stride ${bCol}`})`, part(PACK_B), {
    total,
  });
  report(`${label}:   pack A`, part(PACK_A), { total });
  report(`${label}:   microkernels only`, part(MICROKERNELS), { total, flops });
  if (sum.min > 1.25 * full.min || full.min > 1.25 * sum.min)
    log(
      `  (!) the parts (${sum.min.toFixed(3)} ms) and cnn_gemm (${full.min.toFixed(3)} ms) differ by over 25%: noise, or gemm.c changed (rebuild the profile module)`,
    );
  return full;
}

const problemOf = (id) =>
  makeProblem(
    ROWS.find((r) => r.id === id),
    cnn,
  );

// ---------------------------------------------------------------------------
function conv64() {
  const p = problemOf('conv-64-64-3x3-56');
  const [, channels, h, w] = p.x.shape,
    [oc] = p.w.shape,
    [, , oh, ow] = p.outShape;
  const x = floats(p.x.data),
    weight = floats(p.w.data),
    y = zeros(sizeOf(p.outShape));
  const g = core.alloc(Int32Array, geometryRecord(p));
  check('geometry', e.cnn_conv2d_geometry(g));
  log(`\n${p.row.label}: ${(p.macs / 1e6).toFixed(1)} M MACs`);
  const flops = 2 * p.macs;
  const total = report(
    'cnn_conv2d_forward (Winograd F(2×2, 3×3) now)',
    time(() => check('conv', e.cnn_conv2d_forward(y, x, weight, 0, g))),
    { flops },
  );
  // Winograd: 16 GEMMs [OC, C] · [C, tiles].
  const tiles = Math.ceil(oh / 2) * Math.ceil(ow / 2);
  const u = zeros(16 * oc * channels),
    v = floats(new Float32Array(16 * channels * tiles).fill(0.5)),
    m = zeros(16 * oc * tiles);
  const gemms = report(
    '  its 16 GEMMs alone (M=OC, N=tiles, K=C)',
    time(() => {
      for (let xi = 0; xi < 16; xi++)
        check(
          'gemm',
          e.prof_gemm(
            m + 4 * xi * oc * tiles,
            tiles,
            u + 4 * xi * oc * channels,
            channels,
            1,
            v + 4 * xi * channels * tiles,
            tiles,
            1,
            oc,
            tiles,
            channels,
            0,
          ),
        );
    }),
    { total, flops: 2 * 16 * oc * channels * tiles },
  );
  report(
    '  so: filter + input + output transforms, allocation',
    { min: total.min - gemms.min, median: total.median - gemms.median },
    { total },
  );
  // The im2col + GEMM route the same row took before Winograd.
  const rows = channels * 9,
    cols = oh * ow;
  const col = zeros(rows * cols);
  const im2col = report(
    'im2col route: im2col [C·9, OH·OW]',
    time(() => e.prof_im2col(col, x, g)),
    { total },
  );
  const gemm = gemmParts('im2col route', {
    c: y,
    ldc: cols,
    a: weight,
    aRow: rows,
    aCol: 1,
    b: col,
    bRow: cols,
    bCol: 1,
    m: oc,
    n: cols,
    k: rows,
    total,
  });
  report(
    'im2col route: im2col + GEMM',
    { min: im2col.min + gemm.min, median: im2col.median + gemm.median },
    { total, flops },
  );
  void h;
  void w;
}

function mnistConv2() {
  const p = problemOf('mnist-conv2');
  const [batch, channels, h, w] = p.x.shape,
    [oc, , kh, kw] = p.w.shape,
    [, , oh, ow] = p.outShape;
  const x = floats(p.x.data),
    weight = floats(p.w.data),
    y = zeros(sizeOf(p.outShape));
  const g = core.alloc(Int32Array, geometryRecord(p));
  check('geometry', e.cnn_conv2d_geometry(g));
  const rows = channels * kh * kw,
    cols = oh * ow,
    inPlane = channels * h * w;
  log(`\n${p.row.label}: ${(p.macs / 1e6).toFixed(1)} M MACs; per image a GEMM M=${oc} N=${cols} K=${rows}`);
  const flops = 2 * p.macs;
  const total = report(
    'cnn_conv2d_forward (Winograd F(4, 5) along rows now)',
    time(() => check('conv', e.cnn_conv2d_forward(y, x, weight, 0, g))),
    { flops },
  );
  const col = zeros(rows * cols);
  report(
    `im2col route: im2col ×${batch}`,
    time(() => {
      for (let n = 0; n < batch; n++) e.prof_im2col(col, x + 4 * n * inPlane, g);
    }),
    { total },
  );
  gemmParts('im2col route, per image', {
    c: y,
    ldc: cols,
    a: weight,
    aRow: rows,
    aCol: 1,
    b: col,
    bRow: cols,
    bCol: 1,
    m: oc,
    n: cols,
    k: rows,
    times: batch,
    total,
  });
  // The batch folded into one GEMM: col for all images side by side [rows, N·cols].
  const bigCol = zeros(rows * cols * batch),
    bigOut = zeros(oc * cols * batch);
  const gBatch = core.alloc(Int32Array, geometryRecord({ ...p, x: { shape: [1, channels, h, w] } }));
  check('geometry', e.cnn_conv2d_geometry(gBatch));
  report(
    `im2col route, batch folded: im2col ×${batch} into one [${rows}, ${batch}·${cols}]`,
    time(() => {
      for (let n = 0; n < batch; n++) e.prof_im2col(bigCol + 4 * n * cols, x + 4 * n * inPlane, gBatch);
    }),
    { total },
  );
  // (strided im2col writes are modelled by writing image n's columns at offset n·cols with row stride N·cols:
  //  prof_im2col writes rows of `cols` contiguous; this measures the same bytes moved.)
  gemmParts('im2col route, batch folded', {
    c: bigOut,
    ldc: cols * batch,
    a: weight,
    aRow: rows,
    aCol: 1,
    b: bigCol,
    bRow: cols * batch,
    bCol: 1,
    m: oc,
    n: cols * batch,
    k: rows,
    total,
  });
}

/** route: how the core computes this backward today (for the label). */
function mnistBackward(id, route) {
  const p = problemOf(id);
  const [batch, channels, h, w] = p.x.shape,
    [oc, , kh, kw] = p.w.shape,
    [, , oh, ow] = p.outShape;
  const x = floats(p.x.data),
    weight = floats(p.w.data),
    dy = floats(p.dy.data);
  const dx = zeros(p.x.data.length),
    dw = zeros(p.w.data.length),
    db = zeros(oc);
  const g = core.alloc(Int32Array, geometryRecord(p));
  check('geometry', e.cnn_conv2d_geometry(g));
  const rows = channels * kh * kw,
    cols = oh * ow,
    inPlane = channels * h * w,
    outPlane = oc * cols;
  const wantInput = p.row.input_grad;
  log(`\n${p.row.label}: ${(p.macs / 1e6).toFixed(1)} M MACs`);
  const total = report(
    `cnn_conv2d_backward (${route})`,
    time(() => check('backward', e.cnn_conv2d_backward(wantInput ? dx : 0, dw, db, dy, x, weight, g))),
    { flops: 2 * p.macs },
  );
  report(
    'db alone',
    time(() => check('backward', e.cnn_conv2d_backward(0, 0, db, dy, x, weight, g))),
    { total },
  );
  const col = zeros(rows * cols);
  report(
    `im2col route: im2col ×${batch}`,
    time(() => {
      for (let n = 0; n < batch; n++) e.prof_im2col(col, x + 4 * n * inPlane, g);
    }),
    { total },
  );
  // dW[OC, rows] += dy_n [OC, cols] · col_nᵀ [cols, rows]: B is col read across its rows.
  gemmParts('im2col route, dW', {
    c: dw,
    ldc: rows,
    a: dy,
    aRow: cols,
    aCol: 1,
    b: col,
    bRow: 1,
    bCol: cols,
    m: oc,
    n: rows,
    k: cols,
    times: batch,
    total,
  });
  if (wantInput) {
    // col = Wᵀ [rows, OC] · dy_n [OC, cols]; then dx_n += col2im(col).
    gemmParts('im2col route, dX', {
      c: col,
      ldc: cols,
      a: weight,
      aRow: 1,
      aCol: rows,
      b: dy,
      bRow: cols,
      bCol: 1,
      m: rows,
      n: cols,
      k: oc,
      accumulate: 0,
      times: batch,
      total,
    });
    report(
      `im2col route: col2im ×${batch}`,
      time(() => {
        for (let n = 0; n < batch; n++) e.prof_col2im(dx + 4 * n * inPlane, col, g);
      }),
      { total },
    );
  }
  void outPlane;
}

log(
  `profile: SIMD peak ${peak.gflops.toFixed(1)} GFLOP/s; min and median of ${SAMPLES} runs; % of the row's total (min)`,
);
conv64();
mnistConv2();
mnistBackward('mnist-conv1-backward', 'dW by implicit GEMM, db');
mnistBackward('mnist-conv2-backward', 'dX as a forward pass and dW, both by Winograd F(4, 5) along rows; db');

const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(
  new URL('profile.md', dir),
  `Profile of our convolutions (node bench/profile.mjs, ${new Date().toISOString().slice(0, 10)}).\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`,
);
console.log('\nwrote bench/results/profile.md');
