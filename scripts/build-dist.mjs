#!/usr/bin/env node
// `make dist`: writes dist/, the release folder, from web/ (build the wasm and the digits first:
// `make build`). Upload it anywhere, under any path: no server configuration, no headers.
//   cnn.js + cnn-simd.wasm + cnn-scalar.wasm   the binding, one ES module
//   widgets.js   the four light widgets;  train.js, train-worker.js, train-gradient-worker.js,
//                uplot.js(+css)  the lab, loaded on use
//   index.html, embed.html, builder.html       the page, the iframe route, the embed builder
//                                              (language.js: their language, ?lang=zh among the ways;
//                                              theme.js: the page's stored theme)
//   data/        the digits gzipped (the lab inflates them) and the pre-trained model
//   standalone/cnn-<widget>.html               one file per light widget, module and wasm inlined
// Prints every file's size, plain and gzipped.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundle, ROOT, WEB } from './dist/bundle.mjs';
import { releasePage, standalonePage } from './dist/pages.mjs';

const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const NEEDED = [
  'build/cnn-simd.wasm',
  'build/cnn-scalar.wasm',
  'data/mnist.bin',
  'data/mnist-cnn.safetensors',
  'vendor/uplot/uPlot.esm.js',
];

/** Where the source files that modules reference by URL sit in the release. */
const RELEASE_ASSETS = {
  'build/cnn-simd.wasm': 'cnn-simd.wasm',
  'build/cnn-scalar.wasm': 'cnn-scalar.wasm',
  'train/worker.js': 'train-worker.js',
  'train/gradient-worker.js': 'train-gradient-worker.js',
  'vendor/uplot/uPlot.min.css': 'uplot.min.css',
  'data/mnist.bin': 'data/mnist.bin.gz',
  'data/mnist-cnn.safetensors': 'data/mnist-cnn.safetensors',
  'widgets/index.js': 'widgets.js', // the builder's snippets name these three
  'embed.html': 'embed.html',
  'standalone/': 'standalone/',
};

const BUNDLES = {
  'cnn.js': 'cnn.js',
  'widgets.js': 'widgets/index.js',
  'train.js': 'widgets/cnn-train.js',
  'train-worker.js': 'train/worker.js',
  'train-gradient-worker.js': 'train/gradient-worker.js',
  'uplot.js': 'vendor/uplot/uPlot.esm.js',
  'page.js': 'page/page.js',
  'embed.js': 'page/embed.js',
  'builder.js': 'page/builder.js',
};

const COPIES = {
  'cnn-simd.wasm': 'build/cnn-simd.wasm',
  'cnn-scalar.wasm': 'build/cnn-scalar.wasm',
  'data/mnist-cnn.safetensors': 'data/mnist-cnn.safetensors',
  'uplot.min.css': 'vendor/uplot/uPlot.min.css',
  'uplot.LICENSE': 'vendor/uplot/LICENSE',
  'page.css': 'page/page.css',
  'embed.css': 'page/embed.css',
  'builder.css': 'page/builder.css',
  'language.js': 'page/language.js', // a classic script in <head>: the page's language before it is drawn
  'theme.js': 'page/theme.js', // the same for the theme
};

const PAGES = ['index.html', 'embed.html', 'builder.html'];

/** The light widgets that get a standalone file (the lab needs a worker and 1.6 MB of data). */
const STANDALONE = {
  'cnn-conv': 'Convolution stepper',
  'cnn-pool': 'Pooling stepper',
  'cnn-receptive-field': 'Receptive field',
  'cnn-params': 'Parameter counts',
  'cnn-channels': 'Channels: RGB planes to feature maps',
};

const write = (name, contents) => {
  mkdirSync(dirname(join(DIST, name)), { recursive: true });
  writeFileSync(join(DIST, name), contents);
};
const source = (path) => readFileSync(join(WEB, path));

async function main() {
  const missing = NEEDED.filter((path) => !existsSync(join(WEB, path)));
  if (missing.length)
    throw new Error(`dist: missing ${missing.map((path) => `web/${path}`).join(', ')}: run  make build  first`);
  rmSync(DIST, { recursive: true, force: true });

  for (const [name, entry] of Object.entries(BUNDLES)) write(name, await bundle(entry, { assets: RELEASE_ASSETS }));
  for (const [name, path] of Object.entries(COPIES)) write(name, source(path));
  write('data/mnist.bin.gz', gzipSync(source('data/mnist.bin'), { level: 9 }));
  for (const name of PAGES) write(name, releasePage(name, source(name).toString('utf8')));
  write('LICENSE', readFileSync(join(ROOT, 'LICENSE')));

  const inlined = {
    'build/cnn-simd.wasm': `data:application/wasm;base64,${source('build/cnn-simd.wasm').toString('base64')}`,
    'build/cnn-scalar.wasm': `data:application/wasm;base64,${source('build/cnn-scalar.wasm').toString('base64')}`,
  };
  const css = source('page/embed.css').toString('utf8');
  for (const [tag, title] of Object.entries(STANDALONE)) {
    const entry = {
      contents: `import './widgets/${tag}.js';\nimport { showStandalone } from './page/standalone.js';\nshowStandalone('${tag}');\n`,
    };
    const code = await bundle(entry, { assets: inlined, shareModules: false });
    const language = source('page/language.js').toString('utf8');
    write(`standalone/${tag}.html`, standalonePage({ tag, title: `${title} (<${tag}>)`, css, code, language }));
  }
  report();
}

/** Every file of dist/ with its size and gzipped size. */
function report() {
  const files = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(DIST);
  const rows = files.map((path) => {
    const bytes = readFileSync(path);
    return [
      relative(DIST, path),
      bytes.length,
      path.endsWith('.gz') ? bytes.length : gzipSync(bytes, { level: 9 }).length,
    ];
  });
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`dist: ${relative(process.cwd(), DIST) || '.'}/  bytes  gzipped`);
  for (const [name, bytes, gzipped] of rows)
    console.log(`  ${name.padEnd(width)}  ${String(bytes).padStart(9)}  ${String(gzipped).padStart(9)}`);
  const total = rows.reduce((sum, [, bytes, gzipped]) => [sum[0] + bytes, sum[1] + gzipped], [0, 0]);
  console.log(`  ${'total'.padEnd(width)}  ${String(total[0]).padStart(9)}  ${String(total[1]).padStart(9)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
