// scripts/serve.mjs: serves what the pages need and nothing else, with the right MIME types,
// and long URLs (a widget's state in the query string) are served, not refused with 431.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../scripts/serve.mjs';

let server;
before(async () => {
  server = await startServer({ port: 0 });
});
after(() => server?.close());

const get = (path) => fetch(new URL(path, server.url), { redirect: 'manual' });

test('the page, the examples and the core are served with their MIME types', async () => {
  for (const [path, type] of [
    ['web/', 'text/html'],
    ['web/cnn.js', 'text/javascript'],
    ['web/widgets/index.js', 'text/javascript'],
    ['examples/embed.html', 'text/html'],
    ['web/build/cnn-simd.wasm', 'application/wasm'],
  ]) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.ok(
      response.headers.get('content-type').startsWith(type),
      `${path}: ${response.headers.get('content-type')}`,
    );
  }
  const root = await get('/');
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/web/');
});

test('nothing outside web/ and examples/ is served: not .git, node_modules, tests, sources or dotfiles', async () => {
  for (const path of [
    '.git/HEAD',
    '.git/config',
    'node_modules/esbuild/package.json',
    'tests/serve.test.mjs',
    'src/cnn.h',
    'package.json',
    'Makefile',
    'scripts/serve.mjs',
    'web/../package.json',
    'web/%2e%2e/package.json',
    'web/..%2fMakefile',
    'web/.hidden',
    'examples/../.git/HEAD',
    '%2e%2e/%2e%2e/etc/passwd',
  ]) {
    const response = await get(path);
    assert.equal(response.status, 404, `${path} answered ${response.status}`);
  }
});

test('a 100 KB query string is served (the widgets keep their state in the URL)', async () => {
  const query = `?conv.values=${'0.25,'.repeat(20_000)}`;
  assert.ok(query.length > 100_000);
  const response = await get(`web/embed.html${query}`);
  assert.equal(response.status, 200);
});
