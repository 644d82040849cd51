// Every op, forward and gradients, against PyTorch fixtures (tests/golden/generate.py),
// in both builds. One test per fixture case, named by op, shapes and options.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { load } from '../web/cnn.js';
import { OP_CALLS } from './lib/op_calls.mjs';
import { assertClose, goldenTolerance } from './lib/close.mjs';

const fixtures = new URL('./golden/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', fixtures), 'utf8'));
const bytes = readFileSync(new URL('tensors.bin', fixtures));
assert.equal(endianness(), 'LE', 'tensors.bin holds little-endian float32');
const floats = new Float32Array(new Uint8Array(bytes).buffer); // the copy is 4-byte aligned

/** A fresh {shape, data} copy of every tensor of a case: batch_norm updates running stats in place. */
function tensorsOf(fixtureCase) {
  return Object.fromEntries(
    Object.entries(fixtureCase.tensors).map(([name, { offset, shape }]) => [
      name,
      { shape, data: floats.slice(offset, offset + shape.reduce((size, dim) => size * dim, 1)) },
    ]),
  );
}

const INPUT_NAMES = ['input', 'weight', 'bias', 'running_mean', 'running_var', 'target'];

function checkCase(cnn, fixtureCase) {
  const want = tensorsOf(fixtureCase);
  const call = OP_CALLS[fixtureCase.op];
  const tensors = Object.fromEntries(INPUT_NAMES.filter((name) => want[name]).map((name) => [name, want[name]]));
  const opCase = { ...fixtureCase, tensors };
  const label = (what) => `${fixtureCase.name}: ${what}`;

  assertClose(call.forward(cnn, opCase), want.output, goldenTolerance(want.output), label('output'));
  if (want.indices) {
    const { output, indices } = cnn.F.max_pool2d_with_indices(
      tensors.input,
      fixtureCase.args.kernel_size,
      fixtureCase.options,
    );
    assertClose(output, want.output, goldenTolerance(want.output), label('max_pool2d_with_indices output'));
    assert.deepEqual(Array.from(indices), Array.from(want.indices.data), label('argmax indices'));
  }
  for (const stat of ['running_mean', 'running_var']) {
    const updated = want[`${stat}_after`];
    if (updated) assertClose(tensors[stat], updated, goldenTolerance(updated), label(`${stat} after forward`));
  }

  const grads = call.backward(cnn, opCase, want.grad_output);
  for (const name of call.differentiable) {
    const wantGrad = want[`grad_${name}`];
    if (wantGrad) assertClose(grads[name], wantGrad, goldenTolerance(wantGrad), label(`grad ${name}`));
    else assert.equal(grads[name] ?? null, null, label(`grad ${name} of an absent ${name} is null`));
  }
  assert.equal(cnn.liveAllocations(), 0, label('WASM blocks left allocated'));
}

for (const simd of [true, false]) {
  describe(`golden (PyTorch) cases, ${simd ? 'SIMD128' : 'scalar'} build`, () => {
    let cnn;
    before(async () => {
      cnn = await load({ simd });
      assert.equal(cnn.simd, simd, `load({ simd: ${simd} }) returned the other build`);
    });
    for (const fixtureCase of cases) test(fixtureCase.name, () => checkCase(cnn, fixtureCase));
  });
}
