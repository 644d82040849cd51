// How numbers, shapes and counts are written on the page. Display only: every value
// passed in was computed by the core.
import { DISPLAY_DECIMALS } from './palette.js';

/** A cell value: at most DISPLAY_DECIMALS decimals, no trailing zeros, no "-0". */
export function formatValue(value, decimals = DISPLAY_DECIMALS) {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return String(rounded === 0 ? 0 : rounded); // === 0 also catches −0
}

/** A count with thousands separators, as in the seed article: 1,728. */
export function formatCount(count) {
  const [whole, fraction] = String(count).split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
}

/** A shape as torch.Size prints it: (1, 64, 32, 32). */
export function formatShape(shape) {
  return `(${shape.join(', ')})`;
}

/** A signed percentage with no decimals: −28%. */
export function formatPercent(fraction) {
  const percent = Math.round(fraction * 100);
  return `${percent < 0 ? '−' : ''}${Math.abs(percent)}%`;
}

const LARGEST_DENOMINATOR = 64; // a box kernel up to 8×8 shows its weight as 1/k²

/**
 * An operand as it is shown in a sum, exact where possible: the decimal when it is the float32
 * value itself (0.25), else a small fraction that is (1/9 for a 3×3 box blur). `exact` is false
 * when neither is, and the text is rounded: a line built from it must say "≈".
 * @returns {{ text: string, exact: boolean }}
 */
export function formatTerm(value) {
  const text = formatValue(value);
  if (Math.fround(Number(text)) === Math.fround(value)) return { text, exact: true };
  for (let denominator = 2; denominator <= LARGEST_DENOMINATOR; denominator++) {
    const numerator = Math.round(value * denominator);
    if (Math.fround(numerator / denominator) === Math.fround(value)) {
      return { text: `${numerator < 0 ? '−' : ''}${Math.abs(numerator)}/${denominator}`, exact: true };
    }
  }
  return { text, exact: false };
}

/** A value rounded to what the page shows (DISPLAY_DECIMALS), for inputs the learner then reads as terms. */
export function roundToShown(value, decimals = DISPLAY_DECIMALS) {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
