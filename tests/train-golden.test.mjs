// Optimizer updates and whole training steps against PyTorch (tests/golden/train_step.py),
// in both builds, with the op fixtures' tolerance.
//   optimizers: cnn_sgd_step / cnn_adam_step through cnn.optim on a one-layer Network's weight, three steps.
//   steps:      the knobs' model (web/train/model.js) from PyTorch's initial weights, two steps
//               of cnn.Network.trainStep + cnn.optim, SGD and Adam: the loss, every parameter
//               and batch norm's running statistics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { load, Tensor } from '../web/cnn.js';
import { stateDict } from '../web/train/checkpoint.js';
import { checkKnobs } from '../web/train/knobs.js';
import { buildModel } from '../web/train/model.js';
import { assertClose, maxAbs } from './lib/close.mjs';

const fixture = JSON.parse(readFileSync(new URL('./golden/train_step.json', import.meta.url), 'utf8'));
const tensor = ({ shape, data }) => new Tensor(Float32Array.from(data), shape);
const vector = (data) => tensor({ shape: [data.length], data });

// The rules train_step.py checks PyTorch's own float32 run against (the op fixtures' tolerance):
//   |got − want| ≤ atol_scale·(1 + max|want|) + rtol·|want|
const tolerance = (want) => ({ rtol: fixture.rtol, atol: fixture.atol_scale * (1 + maxAbs(want.data)) });
// and for an optimizer's update Δ = param − start, small next to the parameter: its own scale plus
// what storing the parameter in float32 costs, half an ulp (≤ 2⁻²⁴·|param|) per step:
//   |Δgot − Δwant| ≤ atol_scale·max|Δwant| + steps·2⁻²⁴·max|param| + rtol·|Δwant|
function assertUpdateClose(got, want, start, steps, label) {
  const delta = (values) => vector(Array.from(values, (value, i) => value - start[i]));
  const wantDelta = delta(want);
  const atol = fixture.atol_scale * maxAbs(wantDelta.data) + steps * 2 ** -24 * maxAbs(want);
  assertClose(delta(got), wantDelta, { rtol: fixture.rtol, atol }, label);
}

// PyTorch's option names are the JS ones; betas is the same pair.
const optimizerClass = (optim, kind) => (kind === 'sgd' ? optim.SGD : optim.Adam);

for (const simd of [true, false]) {
  const build = simd ? 'SIMD128' : 'scalar';

  describe(`optimizer updates vs torch.optim, ${build} build`, () => {
    // An optimizer takes a cnn.Network: here Flatten then Linear(1 → count) without bias, on the
    // input 1. Its weight holds the parameters, and backward from grad_output g sets their
    // gradient to g · 1 = g exactly, so each step sees the fixture's gradient.
    let cnn;
    before(async () => {
      cnn = await load({ simd });
    });

    for (const c of fixture.optimizers) {
      test(c.name, () => {
        const count = c.param.length;
        const model = new cnn.nn.Sequential(new cnn.nn.Flatten(), new cnn.nn.Linear(1, count, { bias: false }));
        model.parameters()[0].value.data.set(c.param);
        const network = new cnn.Network(model, [1, 1, 1], { capacity: 1 });
        const optimizer = new (optimizerClass(cnn.optim, c.kind))(network, c.options);
        network.forward(Float32Array.of(1), 1);
        c.grads.forEach((grad, step) => {
          network.zeroGrad();
          network.inputGradient(new Tensor(Float32Array.from(grad), [1, count]));
          assert.deepEqual(network.gradients(), Float32Array.from(grad), 'the weight gradient is grad_output');
          optimizer.step();
          const label = (what) => `${c.name}, step ${step + 1}: ${what}`;
          const param = network.parameters();
          assertUpdateClose(param, c.after[step].param, c.param, step + 1, label('param − start'));
          for (const [name, want] of Object.entries(c.after[step])) {
            const got = name === 'param' ? param : optimizer.state[name];
            assertClose(vector(got), vector(want), tolerance(vector(want)), label(name));
          }
        });
        network.dispose();
      });
    }
  });

  describe(`training steps vs PyTorch, ${build} build`, () => {
    let cnn;
    before(async () => {
      cnn = await load({ simd });
    });
    const { knobs, input, initial, batches } = fixture.steps;

    for (const c of fixture.steps.cases) {
      test(`${c.name}: two steps of the model of knobs ${JSON.stringify(knobs)}`, () => {
        const model = buildModel(cnn.nn, checkKnobs(knobs), input);
        const state = stateDict(model);
        assert.deepEqual(
          state.map(([name]) => name),
          Object.keys(initial),
          "the model has the state_dict names of PyTorch's",
        );
        for (const [name, value] of state) value.data.set(tensor(initial[name]).data);
        const network = new cnn.Network(model, input, { capacity: batches[0].targets.length });
        const optimizer = new (optimizerClass(cnn.optim, c.kind))(network, c.options);
        batches.forEach(({ inputs, targets }, step) => {
          const label = (what) => `${c.name}, step ${step + 1}: ${what}`;
          const { loss } = network.trainStep(tensor(inputs).data, targets, targets.length);
          assertClose(
            vector([loss]),
            vector([c.after[step].loss]),
            tolerance(vector([c.after[step].loss])),
            label('loss'),
          );
          optimizer.step();
          network.storeParameters();
          for (const [name, value] of state) {
            const want = tensor(c.after[step].state[name]);
            assertClose(value, want, tolerance(want), label(name));
          }
        });
        network.dispose();
        assert.equal(cnn.liveAllocations(), 0, 'WASM blocks left allocated');
      });
    }
  });
}
