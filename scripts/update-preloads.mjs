// Rewrites the <link rel="modulepreload"> lists of the pages to the modules their
// scripts import (tests/widgets-page-files.test.mjs fails when a list drifts):
//   node scripts/update-preloads.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PAGES = { 'web/index.html': 'web/page/page.js', 'web/embed.html': 'web/page/embed.js' };
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/** Every module reachable from `entry` through static relative imports, the entry itself excluded. */
export function importGraph(entry) {
  const seen = new Set();
  const pending = [resolve(root, entry)];
  while (pending.length) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT))
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
  }
  seen.delete(resolve(root, entry));
  return seen;
}

/** The modulepreload hrefs a page needs, relative to the page, sorted. */
export function preloadList(page) {
  return [...importGraph(PAGES[page])].map((file) => relative(dirname(resolve(root, page)), file)).sort();
}

function rewrite(page) {
  const path = resolve(root, page);
  const lines = readFileSync(path, 'utf8').split('\n');
  const first = lines.findIndex((line) => line.includes('rel="modulepreload"'));
  const count = lines.slice(first).findIndex((line) => !line.includes('rel="modulepreload"'));
  const indent = lines[first].match(/^\s*/)[0];
  const modules = preloadList(page);
  lines.splice(first, count, ...modules.map((href) => `${indent}<link rel="modulepreload" href="${href}">`));
  writeFileSync(path, lines.join('\n'));
  console.log(`${page}: ${modules.length} modules`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const page of Object.keys(PAGES)) rewrite(page);
