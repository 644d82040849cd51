// The static pages: strict-CSP friendly markup (no inline script, style or handler), every
// referenced file present, and the modulepreload list equal to the real import graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preloadList } from '../scripts/update-preloads.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = {
  'web/index.html': 'web/page/page.js',
  'web/embed.html': 'web/page/embed.js',
  'examples/embed.html': null,
};
const attributeValues = (html, tag, attribute) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${attribute}="([^"]+)"`, 'g'))].map((match) => match[1]);

for (const [page, entry] of Object.entries(PAGES)) {
  const html = readFileSync(resolve(root, page), 'utf8');
  const folder = dirname(resolve(root, page));

  test(`${page}: nothing inline that a strict Content-Security-Policy blocks`, () => {
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/,
    );
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
    assert.doesNotMatch(html, /<style\b/, 'no style element');
    assert.doesNotMatch(html, /\sstyle="/, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+="/, 'no inline event handler');
    assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL: nothing leaves the origin');
  });

  test(`${page}: every linked file exists`, () => {
    const links = [
      ...attributeValues(html, 'script', 'src'),
      ...attributeValues(html, 'link', 'href'),
      ...attributeValues(html, 'iframe', 'src'),
    ]
      .filter((href) => !href.startsWith('data:'))
      .map((href) => href.split('?')[0].replace(/&amp;.*/, ''));
    assert.ok(links.length > 0);
    for (const href of links)
      assert.ok(existsSync(resolve(folder, href)), `${page} links ${href}, which does not exist`);
  });

  if (entry) {
    test(`${page}: modulepreload lists exactly the modules its script imports (node scripts/update-preloads.mjs)`, () => {
      const preloaded = new Set(
        [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((match) => match[1]),
      );
      assert.deepEqual([...preloaded].sort(), preloadList(page));
    });
  }
}
