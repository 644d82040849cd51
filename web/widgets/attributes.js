// Attribute schemas: how a widget's HTML attributes (and URL parameters) become typed values.
// DOM-free, so it is tested in Node. A widget declares one schema; the base element derives
// observed attributes, reflecting properties and the URL state from it.
//
// A spec is one of
//   { type: 'int', min, max, default }          integer in [min, max]
//   { type: 'int', min, max, keywords, default } integer or one of the keywords ('same', 'valid')
//   { type: 'enum', values, default }           one of the listed strings
//   { type: 'bool', default }                   present / absent ("false" and "0" mean absent)
//   { type: 'numbers', default }                comma-separated numbers, or null
//   { type: 'string', default }                 any text
// Invalid text never passes silently: parseAttribute returns the value used and a problem
// sentence that the widget shows next to its controls, in the language of `t` (web/i18n).
import { english } from '../i18n/index.js';

/** 'ceil-mode' → 'ceilMode'. */
export function propertyName(attribute) {
  return attribute.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

/** { value, problem }: the typed value of `text` (null = attribute absent), and why it was changed. */
export function parseAttribute(name, spec, text, t = english) {
  if (text === null || text === undefined) return { value: spec.default, problem: null };
  const trimmed = String(text).trim();
  switch (spec.type) {
    case 'bool':
      return { value: !(trimmed === 'false' || trimmed === '0'), problem: null };
    case 'string':
      return { value: trimmed, problem: null };
    case 'enum':
      if (spec.values.includes(trimmed)) return { value: trimmed, problem: null };
      return {
        value: spec.default,
        problem: t('shared.attribute-not-one-of', {
          name,
          text: trimmed,
          values: spec.values.join(', '),
          default: spec.default,
        }),
      };
    case 'int': {
      if (spec.keywords?.includes(trimmed)) return { value: trimmed, problem: null };
      const number = Number(trimmed);
      if (trimmed === '' || !Number.isInteger(number)) {
        const vars = { name, text: trimmed, min: spec.min, max: spec.max, default: spec.default };
        return {
          value: spec.default,
          problem: spec.keywords
            ? t('shared.attribute-not-integer-or', { ...vars, keywords: spec.keywords.join(', ') })
            : t('shared.attribute-not-integer', vars),
        };
      }
      if (number < spec.min || number > spec.max) {
        const clamped = Math.min(spec.max, Math.max(spec.min, number));
        return {
          value: clamped,
          problem: t('shared.attribute-outside', { name, number, min: spec.min, max: spec.max, value: clamped }),
        };
      }
      return { value: number, problem: null };
    }
    case 'numbers': {
      if (trimmed === '') return { value: spec.default, problem: null };
      const numbers = trimmed.split(',').map((part) => Number(part.trim()));
      const bad = numbers.findIndex((number) => !Number.isFinite(number));
      if (bad >= 0) {
        return { value: spec.default, problem: t('shared.attribute-not-number', { name, item: bad + 1 }) };
      }
      return { value: numbers, problem: null };
    }
    default:
      throw new TypeError(`attribute ${name}: unknown type ${spec.type}`);
  }
}

/** The attribute text of a value, or null when the attribute should be absent. */
export function formatAttribute(spec, value) {
  if (value === null || value === undefined) return null;
  switch (spec.type) {
    case 'bool':
      return value ? '' : null;
    case 'numbers':
      return typeof value === 'object' ? Array.from(value, String).join(',') : String(value);
    default:
      return String(value);
  }
}

/** Parses every attribute of a schema through `read(name)` → { state, problems }. */
export function parseAll(schema, read, t = english) {
  const state = {};
  const problems = [];
  for (const [name, spec] of Object.entries(schema)) {
    const { value, problem } = parseAttribute(name, spec, read(name), t);
    state[propertyName(name)] = value;
    if (problem) problems.push(problem);
  }
  return { state, problems };
}

/** Space- or comma-separated names, as in hide="stride padding" or lock="kernel,stride". */
export function parseNameList(text) {
  return new Set((text ?? '').split(/[\s,]+/).filter(Boolean));
}
