// dist/ (make dist): every file the issue names is there, every page link resolves inside the
// folder, the gzipped digits are mnist.bin, and the bundled binding runs in Node as the source
// does (class names kept: the Network compiles layers by name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const WEB = fileURLToPath(new URL('../web/', import.meta.url));

test('dist/ holds the binding, both wasm builds, the widget bundles, the pages, the data and a standalone file per light widget', () => {
  for (const file of [
    'cnn.js',
    'cnn-simd.wasm',
    'cnn-scalar.wasm',
    'widgets.js',
    'train.js',
    'train-worker.js',
    'train-gradient-worker.js',
    'uplot.js',
    'index.html',
    'embed.html',
    'builder.html',
    'data/mnist.bin.gz',
    'data/mnist-cnn.safetensors',
    'LICENSE',
    ...['conv', 'pool', 'receptive-field', 'params', 'channels'].map((name) => `standalone/cnn-${name}.html`),
  ])
    assert.ok(existsSync(join(DIST, file)), `dist/${file} is missing (make dist)`);
  assert.deepEqual(
    gunzipSync(readFileSync(join(DIST, 'data/mnist.bin.gz'))),
    readFileSync(join(WEB, 'data/mnist.bin')),
  );
  assert.deepEqual(readFileSync(join(DIST, 'cnn-simd.wasm')), readFileSync(join(WEB, 'build/cnn-simd.wasm')));
});

test('every local link of the release pages resolves inside dist/, and widgets.js leaves the lab to train.js', () => {
  for (const page of ['index.html', 'embed.html', 'builder.html']) {
    const html = readFileSync(join(DIST, page), 'utf8');
    const links = [...html.matchAll(/\b(?:href|src)="([^"#][^"]*)"/g)]
      .map((match) => match[1].split('?')[0])
      .filter((link) => !link.startsWith('data:'));
    for (const link of links) assert.ok(existsSync(join(dirname(join(DIST, page)), link)), `${page} links ${link}`);
    assert.doesNotMatch(html, /modulepreload" href="(?!cnn\.js|widgets\.js)/, `${page}: preloads only the bundles`);
  }
  const widgets = readFileSync(join(DIST, 'widgets.js'), 'utf8');
  assert.match(widgets, /import\("\.\/train\.js"\)/);
  assert.match(widgets, /from"\.\/cnn\.js"/);
  assert.doesNotMatch(widgets, /uPlot|new Worker/);
});

test('the bundled binding runs in Node: a conv, a summary and a Network training step, SIMD and scalar', async () => {
  const { load } = await import(new URL('../dist/cnn.js', import.meta.url));
  for (const simd of [true, false]) {
    const cnn = await load({ simd });
    const x = new cnn.Tensor(
      Array.from({ length: 16 }, (_, i) => i + 1),
      [1, 1, 4, 4],
    );
    assert.deepEqual(Array.from(cnn.F.max_pool2d(x, 2).data), [6, 8, 14, 16]);
    const model = new cnn.nn.Sequential(
      new cnn.nn.Conv2d(1, 2, 3),
      new cnn.nn.BatchNorm2d(2),
      new cnn.nn.ReLU(),
      new cnn.nn.Flatten(),
      new cnn.nn.Linear(8, 3),
    );
    assert.match(model.summary([1, 1, 4, 4]).text, /Conv2d-1 .*BatchNorm2d-2/s);
    const network = new cnn.Network(model, [1, 4, 4], { capacity: 2 });
    const step = network.trainStep(new Float32Array(32).fill(0.5), [0, 2], 2);
    assert.ok(Number.isFinite(step.loss));
    network.dispose();
    assert.equal(cnn.liveAllocations(), 0);
  }
});

test('fetchBytes inflates a gzip file, also when the server already undid the gzip (Content-Encoding)', async () => {
  const { createServer } = await import('node:http');
  const { gzipSync: gzip } = await import('node:zlib');
  const { fetchBytes } = await import('../web/train/fetch-data.js');
  const plain = new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
  const server = createServer((request, response) => {
    const headers = request.url === '/encoded.gz' ? { 'Content-Encoding': 'gzip' } : {};
    response.writeHead(request.url === '/missing' ? 404 : 200, headers);
    response.end(request.url === '/plain.bin' ? plain : gzip(plain));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const path of ['/plain.bin', '/file.gz', '/encoded.gz'])
      assert.deepEqual(await fetchBytes(new URL(path, base)), plain, path);
    await assert.rejects(fetchBytes(new URL('/missing', base)), /could not fetch .*\/missing: HTTP 404/);
  } finally {
    server.close();
  }
});
