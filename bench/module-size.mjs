// Module size (raw and gzip -9) and cold load time. Cold means a fresh Node
// process each time: V8 shares compiled wasm between instances of the same
// bytes within a process, so in-process reloads would not be cold.
// A child measures, with performance.now():
//   import    dynamic import of web/cnn.js (the binding's JS modules)
//   load      await load({ simd }): read the file, compile, instantiate, wrap
//   compile / instantiate   the same two steps alone on the bytes (second child)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { stats } from './timing.mjs';

const binding = new URL('../web/cnn.js', import.meta.url).href;
const wasm = (variant) => new URL(`../web/build/cnn-${variant}.wasm`, import.meta.url);

const CHILD_LOAD = `
const t0 = performance.now();
const { load } = await import(${JSON.stringify(binding)});
const t1 = performance.now();
await load({ simd: SIMD });
const t2 = performance.now();
console.log(JSON.stringify({ import: t1 - t0, load: t2 - t1 }));`;

const CHILD_RAW = `
import { readFileSync } from 'node:fs';
const bytes = readFileSync(new URL(FILE));
const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const t1 = performance.now();
const instance = await WebAssembly.instantiate(module, { env: { emscripten_notify_memory_growth() {} } });
instance.exports._initialize();
const t2 = performance.now();
console.log(JSON.stringify({ compile: t1 - t0, instantiate: t2 - t1 }));`;

function child(source) {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8' }));
}

export function moduleSizes() {
  return Object.fromEntries(
    ['simd', 'scalar'].map((variant) => {
      const bytes = readFileSync(wasm(variant));
      return [variant, { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }];
    }),
  );
}

/** Median (and min/max) of `runs` fresh processes per measure. */
export function coldLoad({ simd = true, runs = 7 } = {}) {
  const loads = [],
    raws = [];
  for (let i = 0; i < runs; i++) {
    loads.push(child(CHILD_LOAD.replace('SIMD', String(simd))));
    raws.push(child(CHILD_RAW.replace('FILE', JSON.stringify(wasm(simd ? 'simd' : 'scalar').href))));
  }
  const pick = (list, key) => stats(list.map((r) => r[key]));
  return {
    runs,
    import: pick(loads, 'import'),
    load: pick(loads, 'load'),
    compile: pick(raws, 'compile'),
    instantiate: pick(raws, 'instantiate'),
  };
}
