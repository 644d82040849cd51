// The message catalogues (web/i18n): the same keys in English and Chinese, the same
// placeholders in both, plural forms where English needs them, and the lookup's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES, formatNumber, message, resolveLanguage } from '../web/i18n/index.js';

const placeholders = (text) => new Set([...JSON.stringify(text).matchAll(/\{(\w+)\}/g)].map((match) => match[1]));

test('every key is in both catalogues', () => {
  const [en, zh] = [Object.keys(CATALOGUES.en), Object.keys(CATALOGUES.zh)];
  assert.deepEqual(en.filter((key) => !zh.includes(key)), [], 'keys missing in zh.js');
  assert.deepEqual(zh.filter((key) => !en.includes(key)), [], 'keys missing in en.js');
});

test('a message has the same placeholders in both languages, and no empty text', () => {
  for (const [key, english] of Object.entries(CATALOGUES.en)) {
    const chinese = CATALOGUES.zh[key];
    assert.deepEqual(placeholders(chinese), placeholders(english), key);
    for (const text of [english, chinese].flatMap((value) => (typeof value === 'object' ? Object.values(value) : [value]))) {
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
