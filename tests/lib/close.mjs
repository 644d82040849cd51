// Element-wise comparison of tensors, failing with the worst element named:
//   |got − want| ≤ atol + rtol·|want|
import assert from 'node:assert/strict';

export function maxAbs(data) {
  let largest = 0;
  for (const value of data) largest = Math.max(largest, Math.abs(value));
  return largest;
}

/** The golden tolerance: rtol 1e-4 and an absolute floor of 1e-5·(1 + max|want|) for the
    cancellation in float32 sums (tests/golden/generate.py checks PyTorch's own float32 meets it). */
export function goldenTolerance(want) {
  return { rtol: 1e-4, atol: 1e-5 * (1 + maxAbs(want.data)) };
}

function indexOf(flat, shape) {
  const index = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return `[${index.join(', ')}]`;
}

/** got, want: {shape, data}. label names the op, the case and the tensor. */
export function assertClose(got, want, { rtol, atol }, label) {
  assert.ok(got, `${label}: missing (want shape [${want.shape}])`);
  assert.deepEqual([...got.shape], [...want.shape], `${label}: shape`);
  let worst = -1,
    worstExcess = 1,
    count = 0;
  for (let i = 0; i < want.data.length; i++) {
    const error = Math.abs(got.data[i] - want.data[i]);
    const excess = error / (atol + rtol * Math.abs(want.data[i]));
    if (excess <= 1) continue;
    count++;
    const ranked = Number.isNaN(excess) ? Infinity : excess; // NaN counts as the worst
    if (ranked > worstExcess || worst < 0) [worst, worstExcess] = [i, ranked];
  }
  if (count > 0) {
    assert.fail(
      `${label}: ${count} of ${want.data.length} elements differ; worst at ${indexOf(worst, want.shape)}: ` +
        `got ${got.data[worst]}, want ${want.data[worst]} (rtol ${rtol}, atol ${atol.toExponential(2)})`,
    );
  }
}
