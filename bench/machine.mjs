// What this machine can do at best, from a hand-assembled WebAssembly module
// (no toolchain needed):
//   peak(iterations)          register-only f32x4 multiply + add: `chains`
//                             independent chains acc = acc·m + c, so neither
//                             latency nor memory limits it; 8 FLOPs per chain step.
//   copy_bulk(dst, src, n)    memory.copy (the engine's memmove)
//   copy_simd(dst, src, n)    a v128 load/store loop, 64 bytes per step (n % 64 == 0)
// The module owns a memory of MEMORY_PAGES 64 KiB pages for the copies.
import { readFileSync } from 'node:fs';

const MEMORY_PAGES = 256; // 16 MiB: two copies of the largest pooling input
const UNROLL = 4; // chain steps per loop iteration

const I32 = 0x7f,
  F32 = 0x7d,
  V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Add: 0x6a,
  i32Sub: 0x6b,
};
const simd = (code) => [0xfd, ...leb(code)];
const V128_LOAD = 0x00,
  V128_STORE = 0x0b,
  V128_CONST = 0x0c,
  F32X4_EXTRACT_LANE = 0x1f;
const F32X4_ADD = 0xe4,
  F32X4_MUL = 0xe6;
const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}
const sleb = (value) => {
  // signed LEB128 for i32.const
  const out = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vector = (items) => [...leb(items.length), ...items.flat()];
const section = (id, body) => [id, ...leb(body.length), ...body];
const name = (text) => vector([...new TextEncoder().encode(text)]);
const f32x4 = (value) => [
  ...simd(V128_CONST),
  ...new Uint8Array(new Float32Array([value, value, value, value]).buffer),
];
const memarg = (offset) => [4, ...leb(offset)]; // align 2^4

function peakBody(chains) {
  const acc = (i) => 1 + i,
    m = 1 + chains,
    c = 2 + chains; // local 0 is `iterations`
  const code = [];
  for (let i = 0; i < chains; i++) code.push(...f32x4(1 + i / 64), op.localSet, acc(i));
  code.push(...f32x4(0.999), op.localSet, m, ...f32x4(1e-3), op.localSet, c);
  code.push(op.block, 0x40, op.loop, 0x40, op.localGet, 0, op.i32Eqz, op.brIf, 1);
  for (let u = 0; u < UNROLL; u++)
    for (let i = 0; i < chains; i++)
      code.push(
        op.localGet,
        acc(i),
        op.localGet,
        m,
        ...simd(F32X4_MUL),
        op.localGet,
        c,
        ...simd(F32X4_ADD),
        op.localSet,
        acc(i),
      );
  code.push(op.localGet, 0, op.i32Const, 1, op.i32Sub, op.localSet, 0, op.br, 0, op.end, op.end);
  code.push(op.localGet, acc(0));
  for (let i = 1; i < chains; i++) code.push(op.localGet, acc(i), ...simd(F32X4_ADD));
  code.push(...simd(F32X4_EXTRACT_LANE), 0, op.end);
  return [...vector([[...leb(chains + 2), V128]]), ...code];
}

const copyBulkBody = [0, op.localGet, 0, op.localGet, 1, op.localGet, 2, ...MEMORY_COPY, op.end];

function copySimdBody() {
  const code = [op.block, 0x40, op.loop, 0x40, op.localGet, 2, op.i32Eqz, op.brIf, 1];
  for (let j = 0; j < 4; j++)
    code.push(
      op.localGet,
      0,
      op.localGet,
      1,
      ...simd(V128_LOAD),
      ...memarg(16 * j),
      ...simd(V128_STORE),
      ...memarg(16 * j),
    );
  for (const [local, delta] of [
    [0, 64],
    [1, 64],
    [2, -64],
  ])
    code.push(op.localGet, local, op.i32Const, ...sleb(delta), op.i32Add, op.localSet, local);
  code.push(op.br, 0, op.end, op.end, op.end);
  return [0, ...code];
}

/** The module's bytes for a given number of independent chains. */
export function machineModule(chains) {
  const withSize = (body) => [...leb(body.length), ...body];
  const types = vector([
    [0x60, ...vector([I32]), ...vector([F32])],
    [0x60, ...vector([I32, I32, I32]), ...vector([])],
  ]);
  const exports = vector([
    [...name('peak'), 0x00, 0],
    [...name('copy_bulk'), 0x00, 1],
    [...name('copy_simd'), 0x00, 2],
    [...name('memory'), 0x02, 0],
  ]);
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, types),
    ...section(3, vector([[0], [1], [1]])),
    ...section(5, vector([[0x00, ...leb(MEMORY_PAGES)]])),
    ...section(7, exports),
    ...section(10, vector([withSize(peakBody(chains)), withSize(copyBulkBody), withSize(copySimdBody())])),
  ]);
}

const CHAIN_COUNTS = [12, 14, 16]; // enough to cover mul + add latency on 2 + 2 pipes

/**
 * SIMD peak in GFLOP/s: for each chain count, warm up, then the best of
 * `samples` timed runs of ~`sampleMs`; the best chain count wins.
 */
export function measurePeak({ samples = 9, sampleMs = 40 } = {}) {
  const results = CHAIN_COUNTS.map((chains) => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(machineModule(chains)));
    const flopsPerIteration = chains * UNROLL * 8;
    for (let i = 0; i < 5; i++) exports.peak(20000); // leave the baseline tier
    let iterations = 20000;
    for (;;) {
      // calibrate to ~sampleMs
      const t = performance.now();
      exports.peak(iterations);
      const ms = performance.now() - t;
      if (ms > sampleMs / 4) {
        iterations = Math.ceil((iterations * sampleMs) / ms);
        break;
      }
      iterations *= 4;
    }
    const gflops = [];
    for (let s = 0; s < samples; s++) {
      const t = performance.now();
      exports.peak(iterations);
      gflops.push((iterations * flopsPerIteration) / ((performance.now() - t) * 1e6));
    }
    gflops.sort((a, b) => a - b);
    return { chains, best: gflops.at(-1), median: gflops[gflops.length >> 1] };
  });
  const best = results.reduce((a, b) => (b.best > a.best ? b : a));
  return { gflops: best.best, median: best.median, chains: best.chains, byChains: results };
}

/**
 * A ~0.3 ms run of the peak loop that returns GFLOP/s: run before and after each
 * sample, it tells whether the core was shared during it (a busy sibling
 * hyperthread or another process slows it without descheduling this one).
 */
export function makeCanary(chains = 14, targetMs = 0.3) {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(machineModule(chains)));
  const flopsPerIteration = chains * UNROLL * 8;
  for (let i = 0; i < 5; i++) exports.peak(20000);
  let iterations = 1000;
  const t = performance.now();
  exports.peak(iterations * 100);
  iterations = Math.max(100, Math.round((iterations * 100 * targetMs) / (performance.now() - t)));
  return () => {
    const start = performance.now();
    exports.peak(iterations);
    return (iterations * flopsPerIteration) / ((performance.now() - start) * 1e6);
  };
}

/** A memory copy of `bytes` in the module's own memory: {run(kind)} with kind 'bulk' or 'simd'. */
export function copyHarness(bytes) {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(machineModule(8)));
  const size = Math.ceil(bytes / 64) * 64;
  if (2 * size + 64 > MEMORY_PAGES * 65536)
    throw new RangeError(`copy of ${bytes} bytes does not fit the bench module`);
  const src = 64,
    dst = 64 + size;
  new Uint8Array(exports.memory.buffer, src, size).fill(7);
  return {
    bulk: () => exports.copy_bulk(dst, src, size),
    simd: () => exports.copy_simd(dst, src, size),
    check: () => new Uint8Array(exports.memory.buffer, dst, size).every((b) => b === 7),
  };
}

/** CPU model and flags summary from /proc/cpuinfo (Linux), else os.cpus(). */
export async function machineDescription() {
  const os = await import('node:os');
  let model = os.cpus()[0]?.model ?? 'unknown CPU',
    mhz = os.cpus()[0]?.speed,
    vector = [];
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    model = info.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? model;
    mhz = Number(info.match(/^cpu MHz\s*:\s*(.*)$/m)?.[1] ?? mhz);
    const flags = new Set((info.match(/^flags\s*:\s*(.*)$/m)?.[1] ?? '').split(' '));
    vector = ['sse4_1', 'avx', 'fma', 'avx2', 'avx512f'].filter((flag) => flags.has(flag));
  } catch {
    /* not Linux */
  }
  return {
    cpu: model,
    mhz: Math.round(mhz),
    cores: os.cpus().length,
    vector_flags: vector,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    load_average: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}
