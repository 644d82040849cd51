// <cnn-train>'s pictures: digits, kernels and feature maps as heat maps, the effective
// receptive field with the theoretical one outlined, probability bars, the confusion matrix,
// the runs' legend toggles and their speed-against-accuracy scatter. Each returns an element;
// values arrive computed (by the core, in the worker; geometry by cnn-train-model.js).
// `ui` is what the lab lends its views: t(key, vars) (its language), colors (the theme as it is
// now, [r, g, b] per palette role: the pictures are painted for it and again when it changes)
// and fixed(value, decimals) (numbers as its language writes them).
import { mix } from './palette.js';
import { button, h } from './controls.js';
import { confusionCell } from './cnn-train-model.js';

const SVG = 'http://www.w3.org/2000/svg';

const SCALE = { digit: 3, kernel: 8, map: 3, field: 8 };

function canvasOf(rows, cols, scale, paint) {
  const canvas = h('canvas');
  canvas.width = cols;
  canvas.height = rows;
  canvas.style.width = `${cols * scale}px`;
  canvas.style.height = `${rows * scale}px`;
  canvas.style.imageRendering = 'pixelated';
  const context = canvas.getContext('2d');
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) image.data.set([...paint(i), 255], 4 * i);
  context.putImageData(image, 0, 0);
  return canvas;
}

/** `t` of the way from paper to a colour. */
const toward = (colors, color, t) => mix(color, colors.paper, t);
const css = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

/** A digit's grey levels (0–255, ink high) as ink on the theme's paper. */
export function digitCanvas(ui, pixels, label, scale = SCALE.digit) {
  const canvas = canvasOf(28, 28, scale, (i) => toward(ui.colors, ui.colors.ink, pixels[i] / 255));
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}

/** Signed values as a heat map: vermillion positive, blue negative, paper at 0 (scaled by max |v|). */
export function signedCanvas(ui, values, rows, cols, scale) {
  const largest = values.reduce((a, b) => Math.max(a, Math.abs(b)), 0) || 1;
  const { winner, negative } = ui.colors;
  return canvasOf(rows, cols, scale, (i) =>
    toward(ui.colors, values[i] >= 0 ? winner : negative, Math.abs(values[i]) / largest),
  );
}

/** One small heat map per channel of [C, H, W] values, with a caption (title: a layer's name, as PyTorch prints it). */
export function channelGrid(ui, title, { shape: [channels, rows, cols], data }, scale) {
  const cells = Array.from({ length: channels }, (_, c) =>
    signedCanvas(ui, data.subarray(c * rows * cols, (c + 1) * rows * cols), rows, cols, scale),
  );
  return h(
    'figure',
    'maps',
    h('figcaption', 'caption', ui.t('lab.maps.caption', { title, channels, rows, cols })),
    h('div', 'map-grid', ...cells),
  );
}

/** The first convolution's kernels [OC, IC, k, k], one heat map per output channel (first input channel). */
export function kernelGrid(ui, { shape: [outChannels, inChannels, rows, cols], data }) {
  const size = rows * cols;
  const first = new Float32Array(outChannels * size);
  for (let o = 0; o < outChannels; o++)
    first.set(data.subarray(o * inChannels * size, o * inChannels * size + size), o * size);
  return channelGrid(ui, ui.t('lab.maps.kernels'), { shape: [outChannels, rows, cols], data: first }, SCALE.kernel);
}

/** The effective receptive field (0–1 over 28×28), the theoretical field of the same pixel outlined (dashed). */
export function fieldCanvas(ui, { shape: [rows, cols], data, rows: [top, bottom], cols: [left, right] }) {
  const canvas = canvasOf(rows, cols, SCALE.field, (i) => toward(ui.colors, ui.colors.winner, data[i]));
  const outline = h('canvas');
  outline.width = cols * SCALE.field;
  outline.height = rows * SCALE.field;
  const context = outline.getContext('2d');
  context.strokeStyle = css(ui.colors.accent);
  context.lineWidth = 2;
  context.setLineDash([6, 4]);
  const clamp = (value, limit) => Math.min(limit, Math.max(0, value));
  const [x0, x1] = [clamp(left, cols), clamp(right + 1, cols)].map((v) => v * SCALE.field);
  const [y0, y1] = [clamp(top, rows), clamp(bottom + 1, rows)].map((v) => v * SCALE.field);
  context.strokeRect(x0 + 1, y0 + 1, x1 - x0 - 2, y1 - y0 - 2);
  const stack = h('div', 'field-stack', canvas, outline);
  stack.setAttribute('role', 'img');
  stack.setAttribute('aria-label', ui.t('lab.analysis.erf-label', { top, bottom, left, right }));
  return stack;
}

/** Ten labelled bars, the predicted class marked (▶) and emphasised. */
export function probabilityBars(ui, probabilities, predicted) {
  return h(
    'div',
    'bars',
    ...Array.from(probabilities, (p, digit) => {
      const bar = h('span', 'bar');
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      const row = h(
        'div',
        digit === predicted ? 'bar-row predicted' : 'bar-row',
        h('span', 'bar-label', `${digit === predicted ? '▶ ' : ''}${digit}`),
        h('span', 'bar-track', bar),
        h('span', 'bar-value', `${ui.fixed(100 * p, 1)}%`),
      );
      return row;
    }),
  );
}

/** The confusion matrix: rows true digits, columns predictions, shaded by count; the diagonal bold. */
export function confusionTable(ui, counts, classes = 10) {
  const largest = Math.max(...counts);
  const header = h(
    'tr',
    '',
    h('th', '', ui.t('lab.analysis.confusion-corner')),
    ...Array.from({ length: classes }, (_, k) => h('th', '', String(k))),
  );
  const rows = Array.from({ length: classes }, (_, truth) =>
    h(
      'tr',
      '',
      h('th', '', String(truth)),
      ...Array.from({ length: classes }, (_, guess) => {
        const count = counts[truth * classes + guess];
        const cell = h('td', truth === guess ? 'diagonal' : '', String(count));
        if (count) {
          const { fill, text } = confusionCell(ui.colors, count, largest, truth === guess);
          cell.style.background = css(fill);
          cell.style.color = css(text); // black or white, whichever reads on the tint (4.5:1 or more)
        }
        return cell;
      }),
    ),
  );
  return h('div', 'scroll', h('table', 'confusion', h('thead', '', header), h('tbody', '', ...rows)));
}

/** One toggle button per run, in its colour: pressed = its curves and point are shown. */
export function runLegend(ui, runCurves, onToggle) {
  return runCurves.map((curves) => {
    const swatch = h('span', 'swatch');
    swatch.style.background = curves.color;
    const names = { run: curves.run, config: curves.label };
    const toggle = button(ui.t('lab.charts.toggle', names), ui.t('lab.charts.toggle.label', names), () =>
      onToggle(curves),
    );
    toggle.prepend(swatch);
    toggle.setAttribute('aria-pressed', String(curves.shown));
    toggle.dataset.run = String(curves.run);
    return toggle;
  });
}

function svg(tag, attributes = {}, text = '') {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text) element.textContent = text;
  return element;
}

/**
 * The runs as points, training speed across, test accuracy up (geometry: scatterGeometry),
 * each point in its run's colour and labelled with the run's number; its title names the config.
 */
export function scatterPlot(ui, geometry, { width, height, colors, labels }) {
  const root = svg('svg', {
    class: 'scatter',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': ui.t('lab.scatter.label', { count: geometry.points.length }),
  });
  const { frame } = geometry;
  const text = (attributes, content) => svg('text', { 'font-size': 10, fill: 'currentColor', ...attributes }, content);
  root.append(
    svg('line', { x1: frame.left, y1: frame.bottom, x2: frame.right, y2: frame.bottom, stroke: 'currentColor' }),
    svg('line', { x1: frame.left, y1: frame.top, x2: frame.left, y2: frame.bottom, stroke: 'currentColor' }),
    ...geometry.xTicks.map((tick) =>
      text({ x: tick.position, y: frame.bottom + 13, 'text-anchor': 'middle' }, String(tick.value)),
    ),
    ...geometry.yTicks.map((tick) =>
      text({ x: frame.left - 4, y: tick.position + 3, 'text-anchor': 'end' }, String(tick.value)),
    ),
    text(
      { x: (frame.left + frame.right) / 2, y: height - 4, 'text-anchor': 'middle', 'font-size': 11 },
      ui.t('lab.scatter.x'),
    ),
    text({ x: frame.left + 4, y: frame.top + 9, 'font-size': 11 }, ui.t('lab.scatter.y')),
  );
  for (const point of geometry.points) {
    const marker = svg('circle', {
      cx: point.px,
      cy: point.py,
      r: 6,
      fill: colors.get(point.run),
      'data-run': point.run,
    });
    marker.append(
      svg(
        'title',
        {},
        ui.t('lab.scatter.point', {
          run: point.run,
          config: labels.get(point.run),
          rate: ui.fixed(point.x, 0),
          accuracy: ui.fixed(point.y, 2),
        }),
      ),
    );
    root.append(marker, text({ x: point.px + 8, y: point.py + 4 }, String(point.run)));
  }
  return root;
}
