// web/cnn.d.ts against the loaded module: every member an API object declares exists at
// runtime, and every key the runtime object has is declared (so a user's editor shows all
// of it). The TypeScript parser reads the declarations; `tsc -p tests/types` (make
// test-types) checks the typed usage file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { load, Tensor } from '../web/cnn.js';

const source = ts.createSourceFile(
  'cnn.d.ts',
  readFileSync(new URL('../web/cnn.d.ts', import.meta.url), 'utf8'),
  ts.ScriptTarget.Latest,
);

/** Member names of an interface or class of cnn.d.ts. */
function declared(name) {
  const node = source.statements.find(
    (statement) =>
      (ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name,
  );
  assert.ok(node, `cnn.d.ts declares ${name}`);
  const isStatic = (member) => member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
  return node.members
    .filter((member) => member.name && !isStatic(member))
    .map((member) => member.name.text)
    .sort();
}

const cnn = await load();

// interface name → the runtime object it describes
const API = {
  CNN: cnn,
  Functional: cnn.F,
  Gradients: cnn.grad,
  Arithmetic: cnn.arithmetic,
  Tracing: cnn.trace,
  Layers: cnn.nn,
  Optimizers: cnn.optim,
  Augmentation: cnn.augment,
};

for (const [name, object] of Object.entries(API)) {
  test(`cnn.d.ts ${name} lists exactly the keys of the runtime object`, () => {
    assert.deepEqual(declared(name), Object.keys(object).sort());
  });
}

test('declared members of Tensor, Module, Sequential and Network exist at runtime', () => {
  const tensor = Tensor.zeros([1, 1, 2, 2]);
  const model = new cnn.nn.Sequential(new cnn.nn.Conv2d(1, 2, 1), new cnn.nn.Flatten(), new cnn.nn.Linear(8, 2));
  const network = new cnn.Network(model, [1, 2, 2], { capacity: 2 });
  try {
    for (const [name, object] of [
      ['Tensor', tensor],
      ['Module', model.layers[0]],
      ['Sequential', model],
      ['Network', network],
    ]) {
      for (const member of declared(name))
        assert.ok(member in object, `${name}.${member} is declared but missing at runtime`);
    }
  } finally {
    network.dispose();
  }
});

test('what the issue found is declared as it runs: nn.Module, forward({shape, data}), Network of a Sequential', () => {
  const layer = new cnn.nn.ReLU();
  assert.ok(layer instanceof cnn.nn.Module);
  assert.deepEqual(Array.from(layer.forward({ shape: [1, 1, 1, 2], data: new Float32Array([-1, 2]) }).data), [0, 2]);
  assert.throws(() => new cnn.Network(layer, [1, 1, 2]), /Network: model must be an nn\.Sequential/);
  const module = source.statements.find((statement) => statement.name?.text === 'Module');
  assert.match(module.getText(source), /forward\(input: TensorLike\): Tensor/);
  assert.match(source.text, /Network: new \(model: Sequential,/);
});
