// Cells a learner edited, kept as a short diff over the preset: "index:value" pairs, e.g.
// edits="17:0.5,40:−1" (flat index into the C·n·n input, or the C·k·k weights). A link to an
// edited 32×32×3 input then carries one pair, not 3,072 numbers; values are rounded to what the
// grid shows, so what reopens is what was seen. DOM-free.
import { roundToShown } from './format.js';

/** Map index → value from "i:v,i:v" ('' or null: none). Malformed pairs are skipped. */
export function parseEdits(text) {
  const edits = new Map();
  for (const pair of String(text ?? '').split(',')) {
    const match = /^\s*(\d+)\s*:\s*([-−]?[\d.]+(?:e[-+]?\d+)?)\s*$/i.exec(pair);
    if (match) edits.set(Number(match[1]), Number(match[2].replace('−', '-')));
  }
  return edits;
}

export function formatEdits(edits) {
  return [...edits]
    .sort(([a], [b]) => a - b)
    .map(([index, value]) => `${index}:${value}`)
    .join(',');
}

/** `base` with the edits written in; indices outside it are ignored (they belonged to another size). */
export function applyEdits(base, text) {
  const values = Float32Array.from(base);
  for (const [index, value] of parseEdits(text)) if (index < values.length) values[index] = value;
  return values;
}

/** The edits text after setting cell `index` to `value` (rounded as shown); back to the base value drops the pair. */
export function withEdit(text, base, index, value) {
  const edits = parseEdits(text);
  const rounded = roundToShown(value);
  if (Math.fround(rounded) === base[index]) edits.delete(index);
  else edits.set(index, rounded);
  return formatEdits(edits);
}
