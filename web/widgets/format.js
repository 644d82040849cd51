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
