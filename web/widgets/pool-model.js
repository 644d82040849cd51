// <cnn-pool>'s logic, DOM-free: the attribute schema, the input, and everything shown, each
// number asked of the core (F.max_pool2d_with_indices, F.avg_pool2d, F.adaptive_avg_pool2d,
// trace.*, arithmetic.pool_out_size). Defaults reproduce the seed article's 4×4 example.
// Sentences come from `t` (web/i18n), the last argument of the functions that write them.
import { inputPlane } from './presets.js';
import { nonzeroCells, oneHot } from './reach.js';
import { poolCode } from './pytorch-code.js';
import { formatValue } from './format.js';
import { applyEdits } from './cell-edits.js';
import { slipsOf } from './exercise.js';
import { english } from '../i18n/index.js';

/** Pooling mode → the message key of its name. */
export const POOL_MODES = {
  max: 'pool.mode.max',
  avg: 'pool.mode.avg',
  global: 'pool.mode.global',
};

export const POOL_INPUTS = ['counting', 'integers', 'spike', 'edges'];

export const POOL_SCHEMA = {
  mode: { type: 'enum', values: Object.keys(POOL_MODES), default: 'max' },
  kernel: { type: 'int', min: 1, max: 6, default: 2 },
  stride: { type: 'int', min: 1, max: 6, default: 2 },
  padding: { type: 'int', min: 0, max: 3, default: 0 },
  'ceil-mode': { type: 'bool', default: false },
  size: { type: 'int', min: 2, max: 12, default: 4 },
  input: { type: 'enum', values: POOL_INPUTS, default: 'counting' },
  values: { type: 'numbers', default: null },
  edits: { type: 'string', default: '' }, // edited cells over the preset or values: "index:value,…" (cell-edits.js)
  shift: { type: 'enum', values: ['none', 'right', 'down'], default: 'none' },
  step: { type: 'int', min: 0, max: 1023, default: 0 },
  selected: { type: 'int', min: -1, max: 143, default: -1 }, // row · size + col of the selected input cell
};

/** The input plane: the given values when they fit the size, else the preset; then the edited cells. */
export function poolInputValues(state, cnn) {
  const cells = state.size * state.size;
  const base =
    state.values && state.values.length === cells ? state.values : inputPlane(state.input, state.size, 0, cnn);
  return applyEdits(base, state.edits);
}

/** The input moved one pixel right or down; the pixel entering at the edge is 0. */
export function shiftedValues(values, size, direction) {
  return Float32Array.from({ length: size * size }, (_, index) => {
    const row = Math.floor(index / size);
    const col = index % size;
    if (direction === 'right') return col === 0 ? 0 : values[index - 1];
    if (direction === 'down') return row === 0 ? 0 : values[index - size];
    return values[index];
  });
}

/** Pooling arguments as the binding takes them; global pooling is one window over the map. */
function poolArguments(state) {
  if (state.mode === 'global') return { kernel: state.size, options: { stride: state.size } };
  return { kernel: state.kernel, options: { stride: state.stride, padding: state.padding, ceil_mode: state.ceilMode } };
}

/**
 * Runs the pooling on one input plane.
 * @returns {{ output: Float32Array, height: number, width: number, printed: string, winners: Int32Array | null } | { error: string }}
 */
export function runPool(cnn, state, values) {
  const input = new cnn.Tensor(values, [1, 1, state.size, state.size]);
  try {
    if (state.mode === 'global') {
      const output = cnn.F.adaptive_avg_pool2d(input, [1, 1]);
      return { output: output.data, height: 1, width: 1, printed: output.index(0, 0).toString(), winners: null };
    }
    const { kernel, options } = poolArguments(state);
    if (state.mode === 'max') {
      const { output, indices } = cnn.F.max_pool2d_with_indices(input, kernel, options);
      return {
        output: output.data,
        height: output.shape[2],
        width: output.shape[3],
        printed: output.index(0, 0).toString(),
        winners: indices,
      };
    }
    const output = cnn.F.avg_pool2d(input, kernel, options);
    return {
      output: output.data,
      height: output.shape[2],
      width: output.shape[3],
      printed: output.index(0, 0).toString(),
      winners: null,
    };
  } catch (error) {
    if (error instanceof RangeError) return { error: error.message };
    throw error;
  }
}

/** The window of output cell (row, col): terms, value, and the winner (max) or divisor (avg). */
export function traceCell(cnn, state, values, row, col) {
  const input = new cnn.Tensor(values, [1, 1, state.size, state.size]);
  const { kernel, options } = poolArguments(state);
  const at = { channel: 0, row, col };
  if (state.mode === 'max') return cnn.trace.max_pool2d(input, kernel, options, at);
  return cnn.trace.avg_pool2d(input, kernel, options, at);
}

/**
 * Where the padded grid's rows and columns end: the padding the geometry adds, extended when
 * a ceil-mode window hangs past it (the last window, as the core traces it, reaches furthest)
 * or when ceil_mode dropped a window (`dropped`: its index, from poolFormula).
 */
export function paddedExtent(cnn, state, values, outHeight, outWidth, dropped = null) {
  const padding = state.mode === 'global' ? 0 : state.padding;
  let rows = state.size + 2 * padding;
  if (dropped !== null) rows = Math.max(rows, dropped * state.stride + state.kernel); // the dropped window, drawn dashed
  let cols = rows;
  for (const term of traceCell(cnn, state, values, outHeight - 1, outWidth - 1).terms) {
    rows = Math.max(rows, term.padded_row + 1);
    cols = Math.max(cols, term.padded_col + 1);
  }
  return { rows, cols, padding };
}

/**
 * How many windows read each input cell (0 = never read), and the outputs one cell feeds:
 * the windows are the same for max and average pooling, so the core's average pooling (and its
 * gradient) answers for both (see reach.js).
 */
export function windowReads(cnn, state, outHeight, outWidth) {
  const { kernel, options } = poolArguments(state);
  const input = cnn.Tensor.zeros([1, 1, state.size, state.size]);
  const upstream = new cnn.Tensor(new Float32Array(outHeight * outWidth).fill(1), [1, 1, outHeight, outWidth]);
  return cnn.grad.avg_pool2d(upstream, input, kernel, options).input.data;
}

export function outputsReading(cnn, state, row, col) {
  const { kernel, options } = poolArguments(state);
  const input = new cnn.Tensor(oneHot(state.size, state.size, row, col), [1, 1, state.size, state.size]);
  return nonzeroCells(cnn.F.avg_pool2d(input, kernel, options).data);
}

/**
 * The output-size formula with the current numbers, and the core's answer. With ceil_mode the
 * core also applies PyTorch's last-window rule; when it drops a window, `rule` says which and why,
 * with the terms the core used (arithmetic.pool_ceil_size_before_rule).
 * @returns {{ general: string, filled: string, rule?: string, size: number | null, dropped?: number, error?: string }}
 */
export function poolFormula(cnn, state, t = english) {
  if (state.mode === 'global') {
    return {
      general: `H_out = W_out = 1   ${t('pool.formula-global')}`,
      filled: `window = ${state.size}×${state.size}, stride = ${state.size}  →  1×1`,
      size: 1,
    };
  }
  const rounding = state.ceilMode ? 'ceil' : 'floor';
  const general =
    `H_out = ${rounding}((H_in + 2·padding − kernel) / stride) + 1` +
    (state.ceilMode ? `\n  ${t('pool.formula-ceil-rule')}` : '');
  const expression = `${rounding}((${state.size} + 2·${state.padding} − ${state.kernel}) / ${state.stride}) + 1`;
  try {
    const size = cnn.arithmetic.pool_out_size(state.size, state.kernel, state.stride, state.padding, 1, state.ceilMode);
    const beforeRule = state.ceilMode
      ? cnn.arithmetic.pool_ceil_size_before_rule(state.size, state.kernel, state.stride, state.padding, 1)
      : size;
    if (beforeRule === size) return { general, filled: `${expression} = ${size}`, size };
    const start = (beforeRule - 1) * state.stride;
    return {
      general,
      filled: t('pool.formula-dropped', { expression, windows: beforeRule, size }),
      rule: t('pool.rule', {
        window: beforeRule,
        stride: state.stride,
        start,
        size: state.size,
        padding: state.padding,
        edge: state.size + state.padding,
      }),
      size,
      dropped: beforeRule - 1,
    };
  } catch (error) {
    if (error instanceof RangeError) return { general, filled: expression, size: null, error: error.message };
    throw error;
  }
}

/**
 * Padded cells of the window ceil_mode dropped, in the last row and the last column of windows
 * (`dropped` is its index along an axis, from poolFormula): "row,col" keys of the padded grid.
 */
export function droppedWindowCells(state, dropped, outSize) {
  const cells = new Set();
  const first = dropped * state.stride;
  for (let along = 0; along <= outSize; along++) {
    const other = along * state.stride;
    for (let a = 0; a < state.kernel; a++) {
      for (let b = 0; b < state.kernel; b++) {
        cells.add(`${first + a},${other + b}`);
        cells.add(`${other + b},${first + a}`);
      }
    }
  }
  return cells;
}

/** The line of one step: the window's values as shown (padding as −∞ or 0) and the core's result. */
export function poolStepText(state, row, col, traced, value) {
  const shown = traced.terms.map((term) =>
    term.in_bounds ? formatValue(term.value) : state.mode === 'max' ? '−∞' : '0',
  );
  return state.mode === 'max'
    ? `output[${row}, ${col}] = max(${shown.join(', ')}) = ${formatValue(value)}`
    : `output[${row}, ${col}] = (${shown.join(' + ')}) / ${traced.divisor} = ${formatValue(value)}`;
}

export function poolPytorchCode(state) {
  return poolCode({
    mode: state.mode,
    kernel: state.kernel,
    stride: state.stride,
    padding: state.padding,
    ceilMode: state.ceilMode,
  });
}

/** The output size with some settings changed (a learner's slip), from the core, or null when invalid. */
function sizeWith(cnn, state, changes) {
  const changed = { ...state, ...changes };
  try {
    const size = cnn.arithmetic.pool_out_size(
      changed.size,
      changed.kernel,
      changed.stride,
      changed.padding,
      1,
      changed.ceilMode,
    );
    return [size, size];
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The output-size exercise: the core's size and the slips (one term left out), each with what to fix. */
export function poolSizeExercise(cnn, state, result, t = english) {
  if (!result || result.error) return { expected: [], text: t('shared.no-valid-output'), mistakes: [] };
  const expected = [result.height, result.width];
  if (state.mode === 'global') return { expected, text: '1×1', mistakes: [] };
  const slips = [
    [{ ceilMode: !state.ceilMode }, t(state.ceilMode ? 'pool.slip-floor' : 'pool.slip-ceil')],
    [{ padding: 0 }, t('pool.slip-padding')],
    [{ stride: 1 }, t('pool.slip-stride', { stride: state.stride })],
  ];
  const mistakes = slipsOf(state, slips, (changes) => sizeWith(cnn, state, changes));
  mistakes.push({ expected: expected.map((size) => size - 1), message: t('pool.slip-plus-one') });
  return { expected, text: `${result.height}×${result.width}`, mistakes };
}

/**
 * The pooled-value exercise: the current output cell's value (the core's; a typed answer may be
 * off by the display rounding), and the other pooling's value of the same window as the slip.
 */
export function pooledValueExercise(cnn, state, values, result, index, t = english) {
  if (!result || result.error) return { expected: [], text: t('shared.no-valid-output'), mistakes: [] };
  const value = result.output[index];
  const other = state.mode === 'max' ? 'avg' : 'max';
  const otherValue = runPool(cnn, { ...state, mode: state.mode === 'global' ? 'max' : other }, values);
  const slip =
    state.mode === 'global' ? otherValue.output.length === 1 && otherValue.output[0] : otherValue.output?.[index];
  const message = t(state.mode === 'max' ? 'pool.slip-average' : 'pool.slip-max');
  return {
    expected: [value],
    text: formatValue(value),
    tolerance: 0.005,
    mistakes: typeof slip === 'number' ? [{ expected: [slip], message }] : [],
  };
}
