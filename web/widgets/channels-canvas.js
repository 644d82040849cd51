// Canvas drawings of <cnn-channels>: a plane of values as a small picture (the photo, one colour
// plane, a feature map), with the chosen pixel ringed and the kernel's window outlined. Drawing
// only: the values arrive computed by the core, the colours from the theme (grid.js paintKit).

import { sharpCanvas } from './grid.js';

/**
 * Paints `rows` × `cols` pixels, each coloured by colorOf(index) → [r, g, b], scaled without
 * smoothing to a canvas `edgePx` wide (CSS pixels; the backing store follows devicePixelRatio).
 * @param {HTMLCanvasElement} canvas
 * @param {object} options
 * @param {number} options.rows
 * @param {number} options.cols
 * @param {number} options.edgePx
 * @param {(index: number) => number[]} options.colorOf
 * @param {number[]} [options.pixel] [row, col] to ring
 * @param {{ top: number, left: number, bottom: number, right: number }} [options.window] cells to outline (may reach outside: clipped)
 * @param {{ ring: string, halo: string, window: string }} [options.marks] mark colours
 */
export function drawPlane(canvas, { rows, cols, edgePx, colorOf, pixel = null, window = null, marks = null }) {
  const ratio = globalThis.devicePixelRatio || 1;
  const heightPx = Math.round((edgePx * rows) / cols);
  const backingWidth = Math.round(edgePx * ratio);
  const backingHeight = Math.round(heightPx * ratio);
  if (canvas.width !== backingWidth || canvas.height !== backingHeight) {
    canvas.width = backingWidth;
    canvas.height = backingHeight;
  }
  canvas.style.width = `${edgePx}px`;
  canvas.style.height = `${heightPx}px`;
  const context = canvas.getContext('2d');
  const image = new ImageData(cols, rows);
  for (let index = 0; index < rows * cols; index++) {
    const [r, g, b] = colorOf(index);
    image.data.set([r, g, b, 255], index * 4);
  }
  const source = document.createElement('canvas');
  source.width = cols;
  source.height = rows;
  source.getContext('2d').putImageData(image, 0, 0);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.imageSmoothingEnabled = false;
  context.clearRect(0, 0, edgePx, heightPx);
  context.drawImage(source, 0, 0, edgePx, heightPx);
  const scale = edgePx / cols;
  if (window && marks) {
    const top = Math.max(0, window.top),
      left = Math.max(0, window.left);
    const bottom = Math.min(rows - 1, window.bottom),
      right = Math.min(cols - 1, window.right);
    if (bottom >= top && right >= left) {
      box(context, left * scale, top * scale, (right - left + 1) * scale, (bottom - top + 1) * scale, marks.halo, 4);
      box(context, left * scale, top * scale, (right - left + 1) * scale, (bottom - top + 1) * scale, marks.window, 2);
    }
  }
  if (pixel && marks) {
    const [row, col] = pixel;
    const size = Math.max(scale, 5);
    const x = col * scale + scale / 2 - size / 2;
    const y = row * scale + scale / 2 - size / 2;
    box(context, x - 1, y - 1, size + 2, size + 2, marks.halo, 4);
    box(context, x - 1, y - 1, size + 2, size + 2, marks.ring, 2);
  }
}

function box(context, x, y, width, height, color, lineWidth) {
  context.strokeStyle = color;
  context.lineWidth = lineWidth;
  context.strokeRect(x + 0.5, y + 0.5, Math.max(1, width - 1), Math.max(1, height - 1));
}

/** A horizontal colour bar: colorAt(t) → [r, g, b] for t from 0 (left) to 1 (right). */
export function drawBar(canvas, widthPx, heightPx, colorAt) {
  const context = sharpCanvas(canvas, widthPx, heightPx);
  context.setTransform(1, 0, 0, 1, 0, 0); // one colour per backing-store column
  for (let x = 0; x < canvas.width; x++) {
    const [r, g, b] = colorAt(x / Math.max(1, canvas.width - 1));
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    context.fillRect(x, 0, 1, canvas.height);
  }
}

/** Which [row, col] of a rows × cols plane drawn on `canvas` a pointer event is over. */
export function pixelAt(canvas, event, rows, cols) {
  const bounds = canvas.getBoundingClientRect();
  const col = Math.floor(((event.clientX - bounds.left) / bounds.width) * cols);
  const row = Math.floor(((event.clientY - bounds.top) / bounds.height) * rows);
  return [Math.min(rows - 1, Math.max(0, row)), Math.min(cols - 1, Math.max(0, col))];
}
