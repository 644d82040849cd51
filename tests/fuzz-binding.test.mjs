// A seeded property-based fuzz of every public function of the binding (issue 14, item 7).
// Each call gets arguments from tests/lib/hostile.mjs (mostly plausible, sometimes hostile) and
// must either return a well-formed result (the right shape where the shape is known) or throw a
// TypeError or RangeError (an Error for "call forward first" / "used after dispose") whose message
// starts with the function's name and is not a raw engine error. After every call nothing is left
// allocated in WASM memory; every CHECK_EVERY calls and at the end, a known convolution still
// gives its known values and a canary network's parameters and output are unchanged (a write
// outside its block would show there).
//
//   node --test tests/fuzz-binding.test.mjs                      the smoke in `make test` (~20 s)
//   FUZZ_CALLS=100000 node tests/fuzz-binding.test.mjs            longer
//   FUZZ_SEED=7 FUZZ_ONLY=1234 node tests/fuzz-binding.test.mjs   replay one call
//   FUZZ_EDGES=0 ...                                              without int32-edge sizes
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from './lib/binding-fuzz.mjs';

const CALLS = Number(process.env.FUZZ_CALLS ?? 6000);
const SEED = Number(process.env.FUZZ_SEED ?? 14);
const ONLY = process.env.FUZZ_ONLY === undefined ? null : Number(process.env.FUZZ_ONLY);
const EDGES = process.env.FUZZ_EDGES !== '0';

for (const simd of [true, false]) {
  test(`${CALLS} fuzzed calls of the public API, ${simd ? 'SIMD128' : 'scalar'} build: named refusals, no leak, no corruption`, async () => {
    const { findings, counts, memoryBytes, slowest } = await fuzz({
      simd,
      calls: Math.ceil(CALLS / 2),
      seed: SEED,
      only: ONLY,
      edges: EDGES,
    });
    console.log(
      `fuzz (${simd ? 'simd' : 'scalar'}): ${counts.returned} returned, ${counts.refused} refused, ` +
        `${findings.length} findings, memory ${(memoryBytes / 2 ** 20).toFixed(0)} MiB, slowest ${slowest.ms.toFixed(0)} ms: ${slowest.where}`,
    );
    assert.deepEqual(findings.slice(0, 20), [], `${findings.length} findings`);
  });
}
