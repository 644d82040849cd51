// Messages in the learner's language. Every user-facing string of the page and the widgets is a
// key in the two catalogues, en.js and zh.js (one file per language, the same keys in both:
// tests/i18n.test.mjs checks). Terms follow the seed article: 卷积核 (kernel), 步长 (stride),
// 填充 (padding), 空洞卷积 (dilation), 转置卷积 (transposed convolution), 最大池化, 平均池化,
// 全局平均池化, 感受野 (receptive field). PyTorch code stays code in both languages.
//
//   message('zh', 'conv.output-size', { size: 5 })   // '输出尺寸 5'
//   formatNumber('zh', 1728)                           // '1,728'
//
// A message is a string with {name} placeholders, or, where English needs a plural,
// { one, other } chosen by Intl.PluralRules from vars.count.
import en from './en.js';
import zh from './zh.js';

export const CATALOGUES = { en, zh };
export const LANGUAGES = Object.keys(CATALOGUES);
export const DEFAULT_LANGUAGE = 'en';

/** The catalogue language for a BCP 47 tag: zh, zh-CN, zh-Hans… → zh; anything else → en. */
export function resolveLanguage(tag) {
  const primary = String(tag ?? '')
    .trim()
    .toLowerCase()
    .split(/[-_]/)[0];
  return Object.hasOwn(CATALOGUES, primary) ? primary : DEFAULT_LANGUAGE;
}

/** The locale numbers are written in, per catalogue language. */
const LOCALES = { en: 'en-US', zh: 'zh-CN' };

/** A number as the language writes it (grouping, decimal sign), up to `decimals` decimals. */
export function formatNumber(language, value, decimals = 3) {
  return new Intl.NumberFormat(LOCALES[resolveLanguage(language)], { maximumFractionDigits: decimals }).format(value);
}

/** A number with exactly `decimals` decimals, as the language writes it (98.30, 7,512). */
export function formatFixed(language, value, decimals = 0) {
  const options = { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return new Intl.NumberFormat(LOCALES[resolveLanguage(language)], options).format(value);
}

/** Is `key` a message of the catalogues (a widget's label or question may be a key or plain text)? */
export function hasMessage(key) {
  return typeof key === 'string' && Object.hasOwn(CATALOGUES.en, key);
}

/**
 * The message `key` in `language` with {name} replaced by vars[name]. An unknown key throws:
 * a missing string is a bug the catalogue test should have caught, not text to guess.
 */
export function message(language, key, vars = {}) {
  const catalogue = CATALOGUES[resolveLanguage(language)];
  if (!Object.hasOwn(catalogue, key))
    throw new Error(`message: no key "${key}" in the ${resolveLanguage(language)} catalogue`);
  let text = catalogue[key];
  if (typeof text === 'object') {
    const rule = new Intl.PluralRules(LOCALES[resolveLanguage(language)]).select(vars.count ?? 0);
    text = text[rule] ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/**
 * A translate function for `language`: (key, vars) → message. Shared modules and DOM-free model
 * modules take one as their last argument, English by default, so a caller that passes none
 * keeps working and a widget passes its own (this.t).
 */
export function translator(language) {
  const resolved = resolveLanguage(language);
  const t = (key, vars) => message(resolved, key, vars);
  t.language = resolved;
  return t;
}

/** The English translate function: the default of every DOM-free module that takes one. */
export const english = translator('en');

/**
 * The page's language at the moment of the call (<html lang>; English outside a browser): the
 * default of the DOM helpers (controls.js, grid.js, invalid-view.js), so a widget that passes no
 * `t` still shows them in the page's language, and again after a language change rebuilds it.
 */
export function pageTranslator() {
  return translator(globalThis.document?.documentElement?.lang);
}

/** The language of a node: its closest lang attribute (the page's <html lang> at the top). */
export function languageOf(node) {
  return resolveLanguage(node.closest?.('[lang]')?.getAttribute('lang') ?? globalThis.document?.documentElement?.lang);
}
