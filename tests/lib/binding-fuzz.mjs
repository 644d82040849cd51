// The engine of the binding's fuzz (tests/fuzz-binding.test.mjs, which documents it): runs
// seeded calls from tests/lib/binding-calls.mjs and collects what is wrong.
import assert from 'node:assert/strict';
import { load } from '../../web/cnn.js';
import { makeValues } from './hostile.mjs';
import { BINDING_CALLS, SetupFailed } from './binding-calls.mjs';

const CHECK_EVERY = 250;

// What a message must never be: the engine's words for a bug in the binding.
const RAW_ENGINE_ERROR =
  /Cannot read prop|is not a function|is not iterable|Cannot convert|Cannot destructure|Invalid typed array length|Invalid array length|out of bounds|memory access|unreachable|Maximum call stack|is not a constructor|Cannot mix BigInt|Reduce of empty|Cannot assign to read only|object is not extensible|Cannot create property/;

// Every name an error of some public function may start with (for errors in a call's setup).
const ALL_NAMES = [...new Set(BINDING_CALLS.flatMap((spec) => spec.names))];
// The generator's own throwing getter (tests/lib/hostile.mjs): the caller's exception passes through.
const CALLERS_OWN = /option getter$|a getter that throws$/;

/** Why an error is not an acceptable refusal, or null when it is. */
export function refusalProblem(error, names) {
  if (error instanceof SetupFailed) return refusalProblem(error.cause, ALL_NAMES);
  if (!(error instanceof Error)) return `threw a non-Error ${String(error)}`;
  if (CALLERS_OWN.test(error.message)) return null;
  if (error instanceof WebAssembly.RuntimeError) return `a WebAssembly trap: ${error.message}`;
  const stateError = error.constructor === Error && /call forward|after dispose/.test(error.message);
  if (!(error instanceof TypeError || error instanceof RangeError || stateError))
    return `${error.constructor.name} (expected TypeError or RangeError): ${error.message}`;
  if (RAW_ENGINE_ERROR.test(error.message)) return `a raw engine error: ${error.message}`;
  if (!names.some((name) => error.message.startsWith(`${name}: `) || error.message.startsWith(`${name}.`)))
    return `the message does not start with ${names.map((name) => `'${name}: '`).join(' or ')}: ${error.message}`;
  return null;
}

// The fixed conv2d whose values are known: x [1, 2, 4, 4] = 0..31 / 8, w [3, 2, 3, 3] = (k mod 5) − 2,
// bias [1, −1, 0.5], stride 1, padding 1; expected by direct summation here in float64.
function knownConvolution(cnn) {
  const x = new cnn.Tensor(
    Float32Array.from({ length: 32 }, (_, i) => i / 8),
    [1, 2, 4, 4],
  );
  const w = new cnn.Tensor(
    Float32Array.from({ length: 54 }, (_, k) => (k % 5) - 2),
    [3, 2, 3, 3],
  );
  const b = new cnn.Tensor([1, -1, 0.5], [3]);
  const expected = [];
  for (let o = 0; o < 3; o++)
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 4; c++) {
        let sum = b.data[o];
        for (let i = 0; i < 2; i++)
          for (let kr = 0; kr < 3; kr++)
            for (let kc = 0; kc < 3; kc++) {
              const row = r + kr - 1,
                col = c + kc - 1;
              if (row >= 0 && row < 4 && col >= 0 && col < 4)
                sum += x.data[i * 16 + row * 4 + col] * w.data[((o * 2 + i) * 3 + kr) * 3 + kc];
            }
        expected.push(sum);
      }
  return () => {
    const y = cnn.F.conv2d(x, w, b, { padding: 1 });
    assert.deepEqual(y.shape, [1, 3, 4, 4]);
    y.data.forEach((value, i) =>
      assert.ok(Math.abs(value - expected[i]) < 1e-4, `known conv2d value ${i}: ${value} ≠ ${expected[i]}`),
    );
  };
}

// A network nobody touches: its parameters and its output for one image must never change.
function canaryNetwork(cnn) {
  const { nn } = cnn;
  const model = new nn.Sequential(
    new nn.Conv2d(1, 3, 3, { seed: 5 }),
    new nn.BatchNorm2d(3),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(12, 4, { seed: 6 }),
  );
  const network = new cnn.Network(model, [1, 4, 4], { capacity: 2 });
  const image = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i));
  const parameters = network.parameters(),
    output = network.forward(image, 1).data;
  return () => {
    assert.deepEqual(network.parameters(), parameters, "the canary network's parameters are unchanged");
    assert.deepEqual(network.forward(image, 1).data, output, "the canary network's output is unchanged");
  };
}

/** Runs calls seeded by seed (or only call `only`) on one build; { findings, counts, memoryBytes, slowest }. */
export async function fuzz({ calls, seed, only = null, edges = true, simd }) {
  const cnn = await load({ simd });
  const checkKnown = knownConvolution(cnn),
    checkCanary = canaryNetwork(cnn);
  const baseline = cnn.liveAllocations();
  const findings = [];
  const counts = { returned: 0, refused: 0 };
  const slowest = { ms: 0, where: '' };
  const first = only ?? 0,
    last = only ?? calls - 1;
  for (let index = first; index <= last; index++) {
    const values = makeValues(seed * 1_000_003 + index, { Tensor: cnn.Tensor, edges });
    const spec = BINDING_CALLS[values.below(BINDING_CALLS.length)];
    const where = `call ${index} (FUZZ_SEED=${seed} FUZZ_ONLY=${index}) ${spec.name}`;
    let problem = null;
    const started = performance.now();
    try {
      problem = spec.run(cnn, values);
      counts.returned++;
    } catch (error) {
      problem = refusalProblem(error, spec.names);
      counts.refused++;
    }
    if (problem) findings.push(`${where}: ${problem}`);
    const ms = performance.now() - started;
    if (ms > slowest.ms) Object.assign(slowest, { ms, where });
    if (cnn.liveAllocations() !== baseline) {
      findings.push(`${where}: ${cnn.liveAllocations() - baseline} blocks left allocated`);
      break;
    }
    if (index % CHECK_EVERY === CHECK_EVERY - 1 || index === last) {
      try {
        checkKnown();
        checkCanary();
      } catch (error) {
        findings.push(`after ${where}: ${error.message}`);
        break;
      }
    }
  }
  return { findings, counts, memoryBytes: cnn.memoryBytes(), slowest };
}
