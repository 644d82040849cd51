// The npm package runs from its tarball: `npm pack` (prepack builds), install the tarball into a
// fresh project with no registry, import it by name, and run a conv, a summary and a few
// training steps in both builds; its types resolve through `exports`. The tarball stays under
// 1.5 MB and holds no tests or benchmarks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const MAX_TARBALL_BYTES = 1_500_000;
let folder;
let packed;

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'cnn-see-pack-'));
  [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', folder], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const project = join(folder, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'course', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(folder, packed.filename)],
    { cwd: project, stdio: 'inherit' },
  );
});

after(() => rmSync(folder, { recursive: true, force: true }));

test('the tarball is under 1.5 MB, holds what a user needs and no tests or benchmarks', () => {
  const files = packed.files.map((file) => file.path);
  assert.ok(packed.size <= MAX_TARBALL_BYTES, `tarball ${packed.size} bytes`);
  assert.deepEqual(
    files.filter((path) => /^(tests|bench|src|examples)\//.test(path)),
    [],
  );
  for (const needed of [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'package.json',
    'web/cnn.js',
    'web/cnn.d.ts',
    'web/build/cnn-simd.wasm',
    'web/build/cnn-scalar.wasm',
    'web/widgets/index.js',
    'web/widgets/elements.d.ts',
    'web/custom-elements.json',
    'web/train/index.js',
    'web/train/worker.js',
    'web/data/mnist-cnn.safetensors',
    'web/data/photo-patch.js',
    'web/vendor/uplot/uPlot.esm.js',
  ])
    assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.license, 'MIT');
  assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
});

const RUN = `
import { load } from 'cnn-see';
import { checkKnobs, parseMnist, Trainer } from 'cnn-see/train';
import manifest from 'cnn-see/package.json' with { type: 'json' };

// 64 synthetic digits in mnist.bin's format (scripts/mnist-to-binary.mjs): a bright square whose place is the label
const count = 64, side = 28, header = 28;
const bytes = new Uint8Array(header + count + count * side * side);
bytes.set([...'MNISTU8\\0'].map((c) => c.charCodeAt(0)));
const view = new DataView(bytes.buffer);
[1, count, 48, side, side].forEach((value, i) => view.setUint32(8 + 4 * i, value, true));
for (let n = 0; n < count; n++) {
  const label = n % 10;
  bytes[header + n] = label;
  for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) bytes[header + count + n * 784 + (2 + 2 * label + r) * side + 4 + c] = 255;
}
const data = parseMnist(bytes);

const results = { version: manifest.version, widgets: import.meta.resolve('cnn-see/widgets') };
for (const simd of [true, false]) {
  const cnn = await load({ simd });
  const x = new cnn.Tensor(Array.from({ length: 16 }, (_, i) => i + 1), [1, 1, 4, 4]);
  const conv = Array.from(cnn.F.conv2d(x, new cnn.Tensor([1, 0, 0, 1], [1, 1, 2, 2]), null, { stride: 2 }).data);
  const summary = new cnn.nn.Sequential(new cnn.nn.Conv2d(3, 64, 7, { stride: 2, padding: 3 }), new cnn.nn.MaxPool2d(3, { stride: 2, padding: 1 }))
    .summary([1, 3, 224, 224]);
  const trainer = new Trainer(cnn, data, checkKnobs({ channels: [2, 4], batch: 16, epochs: 1 }), { trainSplit: data.train });
  const losses = [];
  while (!trainer.done) losses.push(trainer.trainStep().loss);
  trainer.dispose?.();
  results[simd ? 'simd' : 'scalar'] = { simd: cnn.simd, conv, params: summary.params, rf: summary.rows.at(-1).rf, losses, live: cnn.liveAllocations() };
}
console.log(JSON.stringify(results));
`;

test('installed from the tarball, it imports by name and runs a conv, a summary and training steps, SIMD and scalar', () => {
  const project = join(folder, 'project');
  writeFileSync(join(project, 'run.mjs'), RUN);
  const results = JSON.parse(execFileSync('node', ['run.mjs'], { cwd: project, encoding: 'utf8' }));
  assert.equal(results.version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  assert.ok(results.widgets.endsWith('/node_modules/cnn-see/web/widgets/index.js'), results.widgets);
  for (const build of ['simd', 'scalar']) {
    const run = results[build];
    assert.equal(run.simd, build === 'simd');
    assert.deepEqual(run.conv, [1 + 6, 3 + 8, 9 + 14, 11 + 16]);
    assert.equal(run.params, 3 * 64 * 49 + 64);
    assert.deepEqual(run.rf, [11, 11]); // per axis: 7×7 stride 2, then 3×3: 7 + 2·2
    assert.equal(run.losses.length, 3, '48 training digits in batches of 16');
    assert.ok(run.losses.every(Number.isFinite) && run.losses[0] > 1, `losses ${run.losses}`);
    assert.equal(run.live, 0);
  }
  assert.deepEqual(
    results.simd.losses.map((loss) => loss.toFixed(3)),
    results.scalar.losses.map((loss) => loss.toFixed(3)),
    'the two builds train alike',
  );
});

test('its types resolve through exports: the binding, the widgets’ elements and their tags (tsc --strict)', () => {
  const project = join(folder, 'project');
  writeFileSync(
    join(project, 'check.ts'),
    `import { load, type CNN } from 'cnn-see';
import type { CnnPoolElement } from 'cnn-see/widgets';
export async function check(): Promise<number> {
  const cnn: CNN = await load();
  const pool: CnnPoolElement = document.createElement('cnn-pool');
  pool.ceilMode = true;
  return cnn.arithmetic.conv_out_size(32, 3, 2, 2) + pool.kernel;
}
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['check.ts'],
    }),
  );
  execFileSync(TSC, ['-p', project], { cwd: project, encoding: 'utf8' });
});
