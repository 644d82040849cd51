// The delivery pieces that need no browser: the widget catalog's own-property lookup, the
// generated manifest and element types, the embed builder's snippets, and the light entry
// that keeps the training lab out of a page that does not use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { widgetTag, unknownWidgetMessage, WIDGET_TAGS } from '../web/widgets/catalog.js';
import { generated } from '../scripts/custom-elements.mjs';
import { importGraph } from '../scripts/update-preloads.mjs';
import { escapeHtml, iframeSnippet, snippetAttributes, tagSnippet, widgetQuery } from '../web/page/builder-model.js';
import { parseAttribute } from '../web/widgets/attributes.js';
import { CONV_SCHEMA } from '../web/widgets/conv-model.js';
import { TRAIN_SCHEMA } from '../web/widgets/cnn-train-model.js';

const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

test('a widget name from a URL is looked up as an own property only', () => {
  assert.equal(widgetTag('conv'), 'cnn-conv');
  assert.equal(widgetTag('receptive-field'), 'cnn-receptive-field');
  for (const name of [
    'toString',
    'constructor',
    '__proto__',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '',
    'CONV',
    null,
    undefined,
  ])
    assert.equal(widgetTag(name), null, String(name));
  assert.equal(
    unknownWidgetMessage('toString'),
    `Unknown widget "toString". Use one of: ${Object.keys(WIDGET_TAGS).join(', ')}.`,
  );
});

test('widgets/index.js does not import the training lab, uPlot or the data (it loads <cnn-train> on use)', () => {
  const graph = [...importGraph('web/widgets/index.js')].map((file) => file.slice(file.indexOf('/web/') + 1));
  for (const heavy of [
    'web/widgets/cnn-train.js',
    'web/vendor/uplot/uPlot.esm.js',
    'web/train/worker.js',
    'web/train/dataset.js',
  ])
    assert.ok(!graph.includes(heavy), `index.js imports ${heavy}`);
  assert.match(read('web/widgets/index.js'), /defineOnUse\('cnn-train', \(\) => import\('\.\/cnn-train\.js'\)\)/);
  assert.doesNotMatch(
    read('web/widgets/cnn-train.js'),
    /^import .*uPlot/m,
    'uPlot is imported on Start, not with the lab',
  );
});

test('custom-elements.json and widgets/elements.d.ts are generated from the current schemas (node scripts/custom-elements.mjs)', async () => {
  for (const [path, text] of Object.entries(await generated())) assert.equal(read(path), text, `${path} is stale`);
  const manifest = JSON.parse(read('web/custom-elements.json'));
  const conv = manifest.modules.find((module) => module.path === 'web/widgets/cnn-conv.js').declarations[0];
  assert.equal(conv.tagName, 'cnn-conv');
  assert.deepEqual(
    conv.attributes.map((attribute) => attribute.name).filter((name) => Object.hasOwn(CONV_SCHEMA, name)),
    Object.keys(CONV_SCHEMA),
  );
  for (const name of ['hide', 'lock', 'exercise'])
    assert.ok(
      conv.attributes.some((attribute) => attribute.name === name),
      name,
    );
  assert.equal(
    conv.attributes.find((attribute) => attribute.name === 'padding').type.text,
    "number | 'same' | 'valid'",
  );
  assert.deepEqual(
    manifest.modules.map((module) => module.declarations[0].tagName).sort(),
    Object.values(WIDGET_TAGS).sort(),
  );
});

test('builder snippets carry only values the widget accepts, escaped, defaults left out', () => {
  const chosen = {
    kernel: '5',
    stride: '9',
    padding: 'same',
    mode: 'standard',
    'kernel-preset': 'nonsense',
    hide: 'mode  channels',
    exercise: 'output-size',
  };
  const { attributes, problems } = snippetAttributes(CONV_SCHEMA, chosen);
  assert.deepEqual(attributes, [
    ['kernel', '5'],
    ['stride', '3'],
    ['padding', 'same'],
    ['hide', 'mode  channels'],
    ['exercise', 'output-size'],
  ]);
  assert.equal(problems.length, 2, problems.join(' | '));
  for (const [name, text] of attributes.filter(([name]) => Object.hasOwn(CONV_SCHEMA, name)))
    assert.equal(parseAttribute(name, CONV_SCHEMA[name], text).problem, null, `${name}="${text}"`);
  assert.equal(
    tagSnippet('cnn-conv', attributes, 'https://example.org/dist/widgets.js'),
    '<script type="module" src="https://example.org/dist/widgets.js"></script>\n' +
      '<cnn-conv kernel="5" stride="3" padding="same" hide="mode  channels" exercise="output-size"></cnn-conv>',
  );
  assert.equal(
    widgetQuery(attributes, 'conv'),
    'widget=conv&kernel=5&stride=3&padding=same&hide=mode++channels&exercise=output-size',
  );
  assert.equal(escapeHtml('"><script>&'), '&quot;&gt;&lt;script&gt;&amp;');
  assert.match(
    iframeSnippet('embed.html?widget=conv&kernel=5', 'x"y', 612.4),
    /src="embed\.html\?widget=conv&amp;kernel=5" title="x&quot;y" width="100%" height="612"/,
  );
});

test('a boolean that defaults to true is written "false" when off (an absent attribute would mean true)', () => {
  const off = snippetAttributes(TRAIN_SCHEMA, { 'batch-norm': 'false' }).attributes;
  assert.deepEqual(off, [['batch-norm', 'false']]);
  assert.equal(parseAttribute('batch-norm', TRAIN_SCHEMA['batch-norm'], 'false').value, false);
  assert.deepEqual(snippetAttributes(TRAIN_SCHEMA, { 'batch-norm': '' }).attributes, []);
});

test('web/builder.html runs under the pages’ strict Content-Security-Policy: nothing inline', () => {
  const html = read('web/builder.html');
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/,
  );
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle="|\son[a-z]+="/);
});
