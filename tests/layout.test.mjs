// The binding's mirrors of the core's structs and constants against the core's own layout
// export (cnn_layout in src/layout.c, offsets from the compiler): cnn_geometry's fields in
// order, cnn_trace_term's counts and field order, the network's layer kinds and record size,
// and the last-error buffer. A field added, moved or renumbered on one side fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GEOMETRY_FIELDS } from '../web/core/args.js';
import { KIND } from '../web/core/layer-records.js';
import { TERM_FLOATS, TERM_INTS } from '../web/core/trace.js';
import { instantiateCore, LAST_ERROR_BYTES } from '../web/core/wasm.js';
import { load, Tensor } from '../web/cnn.js';

for (const variant of ['simd', 'scalar']) {
  const core = await instantiateCore(new URL(`../web/build/cnn-${variant}.wasm`, import.meta.url));
  const pointer = core.call('cnn_layout');
  const bytes = core.read(Uint8Array, pointer, 4096);
  const layout = JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0))));

  test(`${variant}: cnn_geometry, int32 fields in the binding's order`, () => {
    assert.deepEqual(
      layout.geometry.fields.map(([name]) => name),
      GEOMETRY_FIELDS,
    );
    assert.deepEqual(
      layout.geometry.fields.map(([, offset]) => offset),
      GEOMETRY_FIELDS.map((_, i) => 4 * i),
    );
    assert.equal(layout.geometry.bytes, 4 * GEOMETRY_FIELDS.length);
  });

  test(`${variant}: cnn_trace_term, ${TERM_INTS} int32 then ${TERM_FLOATS} float32 fields in the order the binding reads them`, async () => {
    assert.equal(layout.trace_term.ints, TERM_INTS);
    assert.equal(layout.trace_term.floats, TERM_FLOATS);
    assert.deepEqual(
      layout.trace_term.fields.map(([, offset, type]) => [offset, type]),
      layout.trace_term.fields.map((_, i) => [4 * i, i < TERM_INTS ? 'int32' : 'float32']),
    );
    const cnn = await load({ simd: variant === 'simd' });
    const x = new Tensor(new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2]),
      w = new Tensor(new Float32Array([1, 1, 1, 1]), [1, 1, 2, 2]);
    const [term] = cnn.trace.conv2d(x, w, null, {}, { channel: 0, row: 0, col: 0 }).terms;
    assert.deepEqual(
      Object.keys(term),
      layout.trace_term.fields.map(([name]) => name),
    );
  });

  test(`${variant}: the network's layer kinds and record size`, () => {
    assert.deepEqual(KIND, layout.layer.kinds);
    assert.equal(layout.layer.fields, 2 + GEOMETRY_FIELDS.length);
  });

  test(`${variant}: the last-error buffer`, () => {
    assert.equal(layout.error_bytes, LAST_ERROR_BYTES);
  });
}
