// Canvas drawings of <cnn-receptive-field>: the input with the receptive field of one output
// pixel, and the output map where the learner picks that pixel. Drawing only: the counts and
// spans arrive computed by the core.
import { MOTION } from './palette.js';

/** The square each field canvas shows now, and its running tween: the next draw grows it from there. */
const shownSquare = new WeakMap();
const runningTween = new WeakMap();

const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/**
 * The input plane with a margin for padding around it; reached pixels tinted by how many
 * paths lead to the output pixel; the span square outlined (dashed where it lies in padding).
 * When the square changes on the same canvas it grows or moves there over MOTION.tweenMs
 * (jumps under prefers-reduced-motion).
 * @param {CanvasRenderingContext2D} context
 * @param {object} options
 * @param {number} options.size input edge in pixels
 * @param {ArrayLike<number>} options.counts size × size path counts (0 = does not reach)
 * @param {number[][]} options.span [[firstRow, lastRow], [firstCol, lastCol]] from the core
 * @param {number} options.edgePx canvas edge in CSS pixels
 * @param {{ reached: string, rule: string, padding: string, accent: string, paper: string }} options.colors
 */
export function drawInputField(context, options) {
  const { canvas } = context;
  cancelAnimationFrame(runningTween.get(canvas) ?? 0);
  const layout = paintField(context, options);
  const [[firstRow, lastRow], [firstCol, lastCol]] = options.span;
  const target = {
    x: layout.at(firstCol),
    y: layout.at(firstRow),
    width: (lastCol - firstCol + 1) * layout.scale,
    height: (lastRow - firstRow + 1) * layout.scale,
  };
  const from = shownSquare.get(canvas);
  const same = from && from.edgePx === options.edgePx && from.size === options.size;
  if (!same || reducedMotion()) {
    paintSquare(context, target, layout.margin, options.colors);
    shownSquare.set(canvas, { ...target, edgePx: options.edgePx, size: options.size });
    return layout;
  }
  const start = performance.now();
  const frame = (now) => {
    const progress = Math.min(1, (now - start) / MOTION.tweenMs);
    const eased = 1 - (1 - progress) ** 3;
    const square = Object.fromEntries(
      ['x', 'y', 'width', 'height'].map((key) => [key, from[key] + (target[key] - from[key]) * eased]),
    );
    if (progress > 0) paintField(context, options);
    paintSquare(context, square, layout.margin, options.colors);
    shownSquare.set(canvas, { ...square, edgePx: options.edgePx, size: options.size });
    if (progress < 1) runningTween.set(canvas, requestAnimationFrame(frame));
  };
  frame(start);
  return layout;
}

/** Everything but the square: padding margin, reached pixels, pixel lines, the input's border. */
function paintField(context, { size, counts, span, edgePx, colors }) {
  const [[firstRow, lastRow], [firstCol, lastCol]] = span;
  const margin = Math.max(0, -firstRow, -firstCol, lastRow - (size - 1), lastCol - (size - 1));
  const scale = edgePx / (size + 2 * margin);
  const at = (index) => (index + margin) * scale;
  context.clearRect(0, 0, edgePx, edgePx);
  context.fillStyle = colors.padding;
  context.globalAlpha = 0.35;
  context.fillRect(0, 0, edgePx, edgePx);
  context.globalAlpha = 1;
  context.fillStyle = colors.paper;
  context.fillRect(at(0), at(0), size * scale, size * scale);
  let largest = 0;
  for (const count of counts) largest = Math.max(largest, count);
  context.fillStyle = colors.reached;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const count = counts[row * size + col];
      if (!count) continue;
      context.globalAlpha = 0.25 + 0.75 * (count / largest);
      context.fillRect(at(col), at(row), Math.max(scale, 1), Math.max(scale, 1));
    }
  }
  context.globalAlpha = 1;
  if (scale >= 4) {
    context.strokeStyle = colors.rule;
    context.lineWidth = 0.5;
    context.beginPath();
    for (let line = 0; line <= size; line++) {
      context.moveTo(at(line), at(0));
      context.lineTo(at(line), at(size));
      context.moveTo(at(0), at(line));
      context.lineTo(at(size), at(line));
    }
    context.stroke();
  }
  context.strokeStyle = colors.ink;
  context.lineWidth = 1;
  context.strokeRect(at(0), at(0), size * scale, size * scale);
  return { margin, scale, at };
}

/** The receptive-field square, dashed when part of it lies in the padding margin. */
function paintSquare(context, { x, y, width, height }, margin, colors) {
  context.strokeStyle = colors.accent;
  context.lineWidth = 2;
  context.setLineDash(margin > 0 ? [6, 3] : []);
  context.strokeRect(x, y, width, height);
  context.setLineDash([]);
}

/** The output map of the current layer with the chosen pixel filled. */
export function drawOutputMap(context, { size, row, col, edgePx, colors }) {
  const scale = edgePx / size;
  context.clearRect(0, 0, edgePx, edgePx);
  context.fillStyle = colors.paper;
  context.fillRect(0, 0, edgePx, edgePx);
  if (scale >= 4) {
    context.strokeStyle = colors.rule;
    context.lineWidth = 0.5;
    context.beginPath();
    for (let line = 0; line <= size; line++) {
      context.moveTo(line * scale, 0);
      context.lineTo(line * scale, edgePx);
      context.moveTo(0, line * scale);
      context.lineTo(edgePx, line * scale);
    }
    context.stroke();
  }
  context.fillStyle = colors.accent;
  context.fillRect(col * scale, row * scale, Math.max(scale, 2), Math.max(scale, 2));
  context.strokeStyle = colors.ink;
  context.strokeRect(0, 0, edgePx, edgePx);
}

/** A canvas sharp on high-density screens: backing store scaled by devicePixelRatio. */
export function sizeCanvas(canvas, edgePx) {
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(edgePx * ratio);
  canvas.height = Math.round(edgePx * ratio);
  canvas.style.width = `${edgePx}px`;
  canvas.style.height = `${edgePx}px`;
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}
