// A widget's whole state lives in its attributes; this module mirrors them into the page URL,
// so a copied link reopens the same view. DOM-free (works on URLSearchParams).
//
// Several widgets share one URL, so each writes its keys under a prefix (its id and a dot:
// `pool.mode=avg&conv.stride=2`). The iframe route (embed.html) has one widget and no prefix.
// Only values that differ from the schema default are written, to keep links short.
import { formatAttribute, parseAttribute } from './attributes.js';
import { english, formatNumber } from '../i18n/index.js';

/** The attribute texts found in `params` for this schema: { name: text }. */
export function readUrlState(schema, params, prefix = '') {
  const found = {};
  for (const name of Object.keys(schema)) {
    const key = prefix + name;
    if (params.has(key)) found[name] = params.get(key);
  }
  return found;
}

/** True when `text` parses to the schema default (so the URL need not carry it). */
function isDefault(name, spec, text) {
  if (text === null) return true;
  const { value, problem } = parseAttribute(name, spec, text);
  return !problem && formatAttribute(spec, value) === formatAttribute(spec, spec.default);
}

/**
 * A copy of `params` where this widget's keys equal `attributes` ({ name: text | null }):
 * non-default values set, defaults and absent attributes removed. Other keys are kept.
 */
export function writeUrlState(schema, attributes, params, prefix = '') {
  const next = new URLSearchParams(params);
  for (const [name, spec] of Object.entries(schema)) {
    const key = prefix + name;
    const text = attributes[name] ?? null;
    if (isDefault(name, spec, text)) next.delete(key);
    else next.set(key, spec.type === 'bool' ? '1' : text);
  }
  return next;
}

/** Longest link the page writes: servers refuse much longer request lines (HTTP 431, 414). */
export const URL_LIMIT = 2000;

/**
 * The address to put in the location bar for `params`, or a problem when it would be longer
 * than URL_LIMIT (the location is then left as it was, and the widget says why).
 * @returns {{ url: string, problem: string | null }}
 */
export function shareableUrl({ origin = '', pathname, hash = '' }, params, t = english) {
  const query = params.toString();
  const url = `${pathname}${query ? `?${query}` : ''}${hash}`;
  const length = origin.length + url.length;
  if (length <= URL_LIMIT) return { url, problem: null };
  const number = (value) => formatNumber(t.language ?? 'en', value);
  return { url, problem: t('shared.url-too-long', { length: number(length), limit: number(URL_LIMIT) }) };
}
