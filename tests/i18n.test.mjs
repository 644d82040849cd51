// The message catalogues (web/i18n): the same keys in English and Chinese, the same
// placeholders in both, plural forms where English needs them, and the lookup's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES, formatNumber, message, resolveLanguage } from '../web/i18n/index.js';

const placeholders = (text) => new Set([...JSON.stringify(text).matchAll(/\{(\w+)\}/g)].map((match) => match[1]));

test('every key is in both catalogues', () => {
  const [en, zh] = [Object.keys(CATALOGUES.en), Object.keys(CATALOGUES.zh)];
  assert.deepEqual(
    en.filter((key) => !zh.includes(key)),
    [],
    'keys missing in zh.js',
  );
  assert.deepEqual(
    zh.filter((key) => !en.includes(key)),
    [],
    'keys missing in en.js',
  );
});

test('a message has the same placeholders in both languages, and no empty text', () => {
  for (const [key, english] of Object.entries(CATALOGUES.en)) {
    const chinese = CATALOGUES.zh[key];
    assert.deepEqual(placeholders(chinese), placeholders(english), key);
    for (const text of [english, chinese].flatMap((value) =>
      typeof value === 'object' ? Object.values(value) : [value],
    )) {
      assert.ok(typeof text === 'string' && text.trim().length > 0, `${key} is empty`);
    }
  }
});

test('plural messages give English one and other, and Chinese its other form', () => {
  for (const [key, english] of Object.entries(CATALOGUES.en)) {
    if (typeof english !== 'object') continue;
    assert.deepEqual(Object.keys(english).sort(), ['one', 'other'], key);
    assert.ok(typeof CATALOGUES.zh[key] === 'string' || 'other' in CATALOGUES.zh[key], key);
  }
});

test('lookup: language tags resolve, placeholders fill, an unknown key throws', () => {
  assert.equal(resolveLanguage('zh-CN'), 'zh');
  assert.equal(resolveLanguage('zh-Hans'), 'zh');
  assert.equal(resolveLanguage('en-GB'), 'en');
  assert.equal(resolveLanguage('fr'), 'en');
  assert.equal(resolveLanguage(null), 'en');
  assert.equal(message('zh', 'shared.core-failed', { reason: 'x' }), 'CNN 核心加载失败：x');
  assert.throws(() => message('en', 'no.such-key'), /message: no key "no.such-key" in the en catalogue/);
  assert.equal(formatNumber('en', 1728.5), '1,728.5');
  assert.equal(formatNumber('zh', 0.125, 2), '0.13');
});

// ---- the Chinese edition: the page's HTML, no text left inline, core errors, the page's language ----

import { readFileSync, readdirSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { stringLiterals } from './lib/string-literals.mjs';
import { CORE_ERROR_PATTERNS, coreMessage } from '../web/i18n/core-errors.js';
import { translator } from '../web/i18n/index.js';
import { load } from '../web/cnn.js';

const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const PAGES = ['web/index.html', 'web/builder.html'];
// The lab's files are translated by their own owner (catalogue section "lab"), with the same API.
const LAB_FILES = /^(cnn-train.*|mnist-digit)\.js$/;
const SOURCES = [
  ...readdirSync(new URL('../web/widgets/', import.meta.url))
    .filter((file) => file.endsWith('.js') && !LAB_FILES.test(file))
    .map((file) => `web/widgets/${file}`),
  ...readdirSync(new URL('../web/page/', import.meta.url))
    .filter((file) => file.endsWith('.js'))
    .map((file) => `web/page/${file}`),
];

const decode = (text) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');

/** [key, English text as the HTML writes it] for every data-i18n element and data-i18n-attr attribute. */
function htmlTexts(html) {
  const texts = [...html.matchAll(/<(\w+)\b[^>]*\bdata-i18n="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)].map(
    ([, , key, inner]) => [key, decode(inner.replace(/\s+/g, ' ').trim())],
  );
  for (const [tag, pairs] of html.matchAll(/<\w+\b[^>]*\bdata-i18n-attr="([^"]+)"[^>]*>/g)) {
    for (const pair of pairs.split(';')) {
      const [attribute, key] = pair.split(':').map((part) => part.trim());
      texts.push([key, decode(new RegExp(`\\b${attribute}="([^"]*)"`).exec(tag)[1])]);
    }
  }
  return texts;
}

for (const page of PAGES) {
  test(`${page}: its English text is en.js's, and every marked element has a Chinese message`, () => {
    const texts = htmlTexts(read(page));
    assert.ok(texts.length > 10, 'the page marks its text');
    for (const [key, text] of texts) {
      assert.equal(CATALOGUES.en[key], text, `${page}: "${key}"`);
      assert.ok(Object.hasOwn(CATALOGUES.zh, key), `${page}: no Chinese for "${key}"`);
    }
  });
}

test('web/index.html: no text outside the marked elements (besides code, key names and the language names)', () => {
  const body = read('web/index.html').split('<body>')[1];
  const unmarked = body
    .replace(/<(\w+)\b[^>]*\bdata-i18n="[^"]+"[^>]*>[\s\S]*?<\/\1>/g, '') // marked: from the catalogue
    .replace(/<(kbd|a|cnn-[\w-]+)\b[^>]*>[\s\S]*?<\/\1>/g, (whole, tag) =>
      tag === 'a' && !/\.html/.test(whole) && !/data-language/.test(whole) ? whole : '',
    )
    .replace(/<[^>]+>/g, ' ');
  assert.deepEqual(unmarked.match(/[A-Za-z]{2,}/g) ?? [], []);
});

// A word of text: two words in a row, or one capitalised word ("Copy", "Zoom in to read…").
const TEXT = /[A-Za-z]{2,}[,:;.!?'’)]* +\(?[A-Za-z]{2,}|^[A-Z][a-z]+[.!?]?$/;
// Literals that are not text for a reader, by what precedes them: developer errors, selectors,
// media queries, key names.
const NOT_FOR_READERS =
  /(?:throw new \w*Error\(|console\.\w+\(|querySelector(?:All)?\(|\.matches\(|matchMedia\?\.\(|event\.key === )\s*$/;
// … or by their form: style sheets, font stacks, HTML code the builder writes.
const NOT_TEXT = [/[{};]/, /sans-serif|monospace/, /^<[a-z]/];
// … and the rest, one by one: class names and mark lists, a CSS value, Python's booleans.
const ALLOWED = new Set([
  'params output-size',
  'output-size pooled-value',
  'control inline',
  'win winner',
  'translate(${…}px, ${…}px)',
  'color-mix(in srgb, ${…} ${…}%, ${…})',
  'True',
  'False',
  'use strict',
  'row inputs',
  'row outputs',
  'term share',
  'term bias',
  'term result',
  'math params',
  'note credit',
]);

/** The literals of `source` that look like text for a reader. */
function inlineText(source) {
  return stringLiterals(source).filter(
    ({ text, before }) =>
      TEXT.test(text.replace(/\$\{…\}/g, ' ')) &&
      !NOT_FOR_READERS.test(before) &&
      !NOT_TEXT.some((pattern) => pattern.test(text.replace(/\$\{…\}/g, ''))) &&
      !ALLOWED.has(text),
  );
}

test('no text left inline in the widgets and page scripts: every string a reader meets is a catalogue key', () => {
  // The check catches what the widgets used to write (before the catalogues), …
  const old = `const copy = button('Copy', 'Copy the PyTorch code', () => {});
    this.zoomButton.textContent = 'Zoom in to read the numbers';
    legend([['win', 'a kernel tap reads this cell']]);
    return \`Scatter: input[\${row}, \${col}] = \${shown} stamps\`;`;
  assert.deepEqual(
    inlineText(old).map(({ text }) => text),
    [
      'Copy',
      'Copy the PyTorch code',
      'Zoom in to read the numbers',
      'a kernel tap reads this cell',
      'Scatter: input[${…}, ${…}] = ${…} stamps',
    ],
  );
  // … and finds none now.
  const found = SOURCES.flatMap((path) => inlineText(read(path)).map(({ line, text }) => `${path}:${line}: ${text}`));
  assert.deepEqual(found, []);
});

test('every message key the widgets and pages name is in the catalogues, and every key of their sections is used', () => {
  const KEY = /^(shared|page|conv|pool|rf|params|channels|embed|builder|core)\.[\w.-]+$/;
  const named = new Set();
  const prefixes = [];
  for (const path of [...SOURCES, 'web/i18n/core-errors.js']) {
    for (const { text } of stringLiterals(read(path))) {
      if (KEY.test(text)) named.add(text);
      else if (/^(shared|page|conv|pool|rf|params|channels|embed|builder|core)\.[\w.-]*\$\{…\}$/.test(text))
        prefixes.push(text.replace('${…}', ''));
    }
  }
  for (const page of [...PAGES, 'web/embed.html']) for (const [key] of htmlTexts(read(page))) named.add(key);
  // the standalone files' words before the widget (scripts/dist/pages.mjs, beside file names)
  for (const { text } of stringLiterals(read('scripts/dist/pages.mjs')))
    if (Object.hasOwn(CATALOGUES.en, text)) named.add(text);
  assert.deepEqual(
    [...named].filter((key) => !Object.hasOwn(CATALOGUES.en, key)),
    [],
    'keys named but missing',
  );
  const unused = Object.keys(CATALOGUES.en).filter(
    (key) => KEY.test(key) && !named.has(key) && !prefixes.some((prefix) => key.startsWith(prefix)),
  );
  assert.deepEqual(unused, [], 'keys no file names');
});

test('core errors: each pattern knows a rule a learner reaches from the controls; English rebuilds the core text, Chinese translates it', async () => {
  const cnn = await load();
  const refused = (compute) => {
    try {
      compute();
    } catch (error) {
      return error.message;
    }
    throw new Error('the core accepted a setting it should refuse');
  };
  const x = new cnn.Tensor(new Float32Array(16), [1, 1, 4, 4]);
  const reached = {
    'core.kernel-too-large': refused(() =>
      cnn.arithmetic.conv2d_shape([1, 1, 3, 3], [1, 1, 7, 7], { stride: 1, padding: 0 }),
    ), // <cnn-conv> kernel 7 on size 3
    'core.same-needs-stride-1': refused(() =>
      cnn.arithmetic.conv2d_shape([1, 1, 6, 6], [1, 1, 3, 3], { stride: 2, padding: 'same' }),
    ), // padding 'same', stride 2
    'core.output-padding-too-large': refused(() =>
      cnn.arithmetic.conv_transpose2d_shape([1, 1, 3, 3], [1, 1, 3, 3], { stride: 1, padding: 0, output_padding: 2 }),
    ),
    'core.output-too-small': refused(() =>
      cnn.arithmetic.conv_transpose2d_shape([1, 1, 2, 2], [1, 1, 1, 1], { stride: 1, padding: 3 }),
    ),
    'core.padding-int-or-pair': refused(() =>
      cnn.arithmetic.conv_transpose2d_shape([1, 1, 3, 3], [1, 1, 3, 3], { padding: 'same' }),
    ), // padding="same" mode="transposed" as attributes
    'core.padding-half-kernel': refused(() => cnn.F.avg_pool2d(x, 2, { stride: 2, padding: 3 })), // <cnn-pool> padding 3, window 2
    'core.groups-divide': refused(() => cnn.arithmetic.conv2d_params(6, 4, 3, { groups: 4 })), // <cnn-params groups="4">
    'core.at-least': refused(() => cnn.arithmetic.conv2d_shape([1, 1, 4, 4], [1, 1, 3, 3], { padding: -1 })),
  };
  const zh = translator('zh');
  for (const [key, pattern] of CORE_ERROR_PATTERNS) {
    if (!reached[key]) continue; // the window-only-padding rule: guarded by PyTorch's ceil_mode rule before the core sees it
    const text = reached[key];
    const match = pattern.exec(text);
    assert.ok(match, `${key} matches "${text}"`);
    assert.equal(
      text.slice(0, match.index) + message('en', key, match.groups),
      text,
      `${key}: en.js rebuilds the core's text`,
    );
    const chinese = coreMessage(zh, text);
    assert.doesNotMatch(chinese, /核心拒绝了这个设置（原文为英文）/, `${key} is translated`);
    assert.match(chinese, /[\u4e00-\u9fff]/, chinese);
    assert.equal(coreMessage(translator('en'), text), text, 'English passes through');
  }
  assert.equal(
    coreMessage(zh, 'conv2d: a rule no pattern knows'),
    '核心拒绝了这个设置（原文为英文）：conv2d: a rule no pattern knows',
  );
});

test("the page's language: ?lang= first, then the stored choice, then the browser's (zh… → Chinese), else English", () => {
  const context = { URLSearchParams };
  runInNewContext(read('web/page/language.js'), context);
  const pick = context.cnnSeeLanguage;
  assert.equal(pick('?lang=zh', 'en', ['en-US']), 'zh');
  assert.equal(pick('?lang=en', 'zh', ['zh-CN']), 'en');
  assert.equal(pick('?lang=fr', 'zh', ['en-US']), 'zh', 'an unknown ?lang falls through');
  assert.equal(pick('', null, ['zh-TW', 'en']), 'zh');
  assert.equal(pick('', null, ['fr-FR', 'en-GB']), 'en');
  assert.equal(pick('', null, ['de-DE']), 'en');
  assert.equal(pick('?widget=conv', 'garbage', []), 'en');
});

test("the widgets' models write Chinese through t, and numbers in the locale", async () => {
  const { outputSizeExercise, oneByOneNote } = await import('../web/widgets/conv-model.js');
  const { poolFormula } = await import('../web/widgets/pool-model.js');
  const { parseLayers } = await import('../web/widgets/receptive-field-model.js');
  const { checkAnswer } = await import('../web/widgets/exercise.js');
  const zh = translator('zh');
  assert.equal(outputSizeExercise(null, {}, { error: 'x' }, zh).text, '没有有效输出');
  assert.match(
    oneByOneNote({ kernel: 1, mode: 'standard', channels: 3 }, zh),
    /^1×1 卷积核读取每个输入通道的同一个像素.*3 个通道相加。$/,
  );
  assert.match(poolFormula(await load(), { mode: 'global', size: 4 }, zh).general, /自适应/);
  assert.equal(parseLayers('', zh).error, 'layers：层堆叠至少需要一层。');
  assert.equal(checkAnswer('', [4, 4], [], 0, zh).message, '请先输入一个数。');
  assert.equal(
    checkAnswer('3', [4, 4], [{ expected: [3, 3], message: '这是步长为 1 时的尺寸' }], 0, zh).message,
    '差一点：这是步长为 1 时的尺寸',
  );
  assert.equal(
    message('zh', 'conv.counts', {
      channels: 1,
      kernel: 3,
      layer: formatNumber('zh', 9),
      in: 3,
      out: 64,
      seed: formatNumber('zh', 1728),
      macs: formatNumber('zh', 144),
      flops: formatNumber('zh', 288),
    }),
    '本层权重（1 → 1，3×3，无偏置）：9。原文中 3 → 64 的层用这个卷积核：1,728。本层处理这个输入：144 次 MAC = 288 次 FLOP。',
  );
});

test('embed.html: the line shown before the widget is the catalogues’ text, one span per language', () => {
  const spans = [
    ...read('web/embed.html').matchAll(/<span data-lang="(\w+)"[^>]*data-i18n="([^"]+)">([^<]*)<\/span>/g),
  ];
  assert.deepEqual(
    spans.map(([, language]) => language),
    ['en', 'zh'],
  );
  for (const [, language, key, text] of spans) assert.equal(text, CATALOGUES[language][key], `${language}: ${key}`);
});

test('a standalone file: the language script in <head>, the loading line in both languages, and a bilingual <noscript>', async () => {
  const { standalonePage } = await import('../scripts/dist/pages.mjs');
  const html = standalonePage({
    tag: 'cnn-pool',
    title: 'Pooling stepper',
    css: 'main {}',
    code: 'void 0;',
    language: read('web/page/language.js'),
  });
  const head = html.split('</head>')[0];
  assert.match(head, /<script data-from="query">[\s\S]*function cnnSeeLanguage/);
  assert.match(html, /<span data-lang="en">Loading…<\/span><span data-lang="zh" lang="zh-CN">正在加载…<\/span>/);
  const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)[1];
  assert.match(noscript, new RegExp(`<span lang="en">${CATALOGUES.en['embed.needs-javascript']}</span>`));
  assert.match(noscript, new RegExp(`<span lang="zh-CN">${CATALOGUES.zh['embed.needs-javascript']}</span>`));
});
