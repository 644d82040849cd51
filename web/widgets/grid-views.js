// View models of the grids, DOM-free and tested in Node; grid.js draws them. Two kinds:
//   views: what each cell shows while the values stay, row-major: { text, heat, marks } and
//          what its tooltip names (name, row, col, value), written out only when asked (cellTitle)
//   marks: what one step highlights (Map cell index → classes: window, current cell, winner…)
// Positions come from the core's trace terms (padded_row, padded_col): nothing here
// recomputes a window position from stride, padding or dilation.
import { formatTerm, formatValue } from './format.js';
import { english } from '../i18n/index.js';

/** Largest |value|, so heat = value / scale lies in [−1, 1] (1 for an all-zero grid). */
function heatScale(values) {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest || 1;
}

const key = (row, col) => `${row},${col}`;

/**
 * Marks of one window in padded coordinates: 'win' on every tap, 'hole' on the cells of the
 * window's bounding box that no tap reads (dilation), 'winner' on the max-pool winner.
 */
export function windowMarks(terms, winnerIndex = -1) {
  const marks = new Map();
  if (!terms.length) return marks;
  let top = Infinity,
    left = Infinity,
    bottom = -Infinity,
    right = -Infinity;
  for (const term of terms) {
    top = Math.min(top, term.padded_row);
    bottom = Math.max(bottom, term.padded_row);
    left = Math.min(left, term.padded_col);
    right = Math.max(right, term.padded_col);
  }
  for (let row = top; row <= bottom; row++) {
    for (let col = left; col <= right; col++) marks.set(key(row, col), 'hole');
  }
  terms.forEach((term, index) => {
    marks.set(key(term.padded_row, term.padded_col), index === winnerIndex ? 'win winner' : 'win');
  });
  return marks;
}

/**
 * The padded input grid.
 * @param {object} options
 * @param {ArrayLike<number>} options.values the unpadded plane, height × width
 * @param {number} options.height
 * @param {number} options.width
 * @param {number} options.padTop rows of padding above (from the core's geometry)
 * @param {number} options.padLeft
 * @param {number} options.rows displayed rows (height + padding, or more when a ceil-mode window overhangs)
 * @param {number} options.cols
 * @param {string} options.padText what a padding cell holds ('0', or '−∞' for max pooling)
 * @param {Set<string>} [options.unseen] unpadded "row,col" cells no window reads
 */
export function paddedInputView({ values, height, width, padTop, padLeft, rows, cols, padText, unseen = new Set() }) {
  const scale = heatScale(values);
  const view = new Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const inputRow = row - padTop;
      const inputCol = col - padLeft;
      const inside = inputRow >= 0 && inputRow < height && inputCol >= 0 && inputCol < width;
      if (inside) {
        const value = values[inputRow * width + inputCol];
        view[row * cols + col] = {
          text: formatValue(value),
          heat: value / scale,
          marks: unseen.has(key(inputRow, inputCol)) ? 'unseen' : '',
          name: 'input',
          row: inputRow,
          col: inputCol,
          value,
        };
      } else {
        view[row * cols + col] = { text: padText, heat: 0, marks: 'pad', name: 'padding' };
      }
    }
  }
  return view;
}

/**
 * The values of an output grid, or of any plain grid such as a kernel (name: 'weight'). Weights
 * are operands of the products shown, so `exact` writes them as formatTerm does (1/9, not 0.11).
 */
export function outputView({ values, width, name = 'output', exact = false }) {
  const scale = heatScale(values);
  return Array.from(values, (value, index) => ({
    text: exact ? formatTerm(value).text : formatValue(value),
    heat: value / scale,
    marks: '',
    name,
    row: Math.floor(index / width),
    col: index % width,
    value,
  }));
}

/**
 * An output grid's step marks: the current cell, the cells after it faded (not computed yet in
 * the stepping order), and the flat indices in `fed`.
 */
export function stepMarks({ count, current = -1, fed = new Set(), fadeLater = true }) {
  const marks = new Map();
  if (fadeLater && current >= 0) for (let index = current + 1; index < count; index++) marks.set(index, 'later');
  for (const index of fed) marks.set(index, `${marks.get(index) ?? ''} fed`.trim());
  if (current >= 0 && current < count) marks.set(current, 'cur');
  return marks;
}

/** Map "row,col" → marks (as windowMarks gives) to Map cell index → marks for a grid `cols` wide. */
export function cellMarks(marksByKey, cols) {
  const marks = new Map();
  for (const [cell, value] of marksByKey) {
    const [row, col] = cell.split(',').map(Number);
    if (row >= 0 && col >= 0 && col < cols) marks.set(row * cols + col, value);
  }
  return marks;
}

/**
 * A plane where some cells hold input values and the rest are zeros the op added (the
 * zero-inserted, padded input of a transposed convolution's equivalent stride-1 form).
 * @param {object} options
 * @param {ArrayLike<number>} options.values rows × cols
 * @param {ArrayLike<number>} options.fromInput 1 where the cell holds an input value
 */
export function maskedInputView({ values, fromInput }) {
  const scale = heatScale(values);
  return Array.from(values, (value, index) =>
    fromInput[index]
      ? { text: formatValue(value), heat: value / scale, marks: '', name: 'input-value', value }
      : { text: '0', heat: 0, marks: 'pad', name: 'inserted-zero-or-padding' },
  );
}

/** The tooltip and accessible description of one cell of a view, in the language of `t`. */
export function cellTitle(cell, t = english) {
  if (!cell?.name) return '';
  const name = t(`shared.cell.${cell.name}`);
  if (cell.value === undefined) return cell.text ? `${name} (${cell.text})` : name;
  const where = cell.row === undefined ? '' : `[${cell.row}, ${cell.col}]`;
  const unread = /\bunseen\b/.test(cell.marks) ? t('shared.cell-unread') : '';
  return `${name}${where} = ${formatValue(cell.value, 4)}${unread}`;
}

/** Marks "row,col" → 'win' for the cells a list of terms reads (unpadded coordinates). */
export function termCells(terms, mark = 'win') {
  return new Map(terms.map((term) => [key(term.row, term.col), mark]));
}
