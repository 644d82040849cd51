// A small line plot in SVG (receptive field against depth). plotGeometry is DOM-free and
// tested in Node; renderPlot turns it into SVG elements. Lines differ by colour, dash and
// marker shape, so they stay apart without colour vision.
import { english } from '../i18n/index.js';
const SVG = 'http://www.w3.org/2000/svg';
const MARGIN = { left: 40, right: 12, top: 12, bottom: 30 };

/** Round upper bound for an axis: 1, 2, 5 × 10^k at or above `value`. */
export function niceCeiling(value) {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((bound) => bound >= value);
}

/**
 * Pixel coordinates of every series and the axis ticks.
 * @param {{ label: string, points: { x: number, y: number }[] }[]} series
 */
export function plotGeometry(series, width, height) {
  const allPoints = series.flatMap((line) => line.points);
  const xMax = Math.max(1, ...allPoints.map((point) => point.x));
  const yMax = niceCeiling(Math.max(1, ...allPoints.map((point) => point.y)));
  const innerWidth = width - MARGIN.left - MARGIN.right;
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const px = (x) => MARGIN.left + (x / xMax) * innerWidth;
  const py = (y) => MARGIN.top + innerHeight - (y / yMax) * innerHeight;
  const xTicks = Array.from({ length: xMax + 1 }, (_, x) => ({ value: x, position: px(x) })).filter(
    (tick, index, ticks) => ticks.length <= 13 || tick.value % Math.ceil(ticks.length / 12) === 0,
  );
  const yTicks = [0, 0.5, 1].map((fraction) => ({ value: fraction * yMax, position: py(fraction * yMax) }));
  return {
    frame: { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: MARGIN.top + innerHeight },
    lines: series.map((line) => ({
      label: line.label,
      points: line.points.map((point) => ({ ...point, px: px(point.x), py: py(point.y) })),
    })),
    xTicks,
    yTicks,
  };
}

function svg(tag, attributes = {}, text = '') {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text) element.textContent = text;
  return element;
}

/**
 * @param {SVGSVGElement} root an <svg> to fill (cleared first)
 * @param {object} geometry from plotGeometry
 * @param {{ color: string, dash: string, marker: 'circle' | 'square' }[]} styles one per line
 */
export function renderPlot(
  root,
  geometry,
  styles,
  { xLabel, yLabel, width, height, pointTitle = (label, depth, rf) => english('rf.plot-point', { label, depth, rf }) },
) {
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const { frame } = geometry;
  const children = [
    svg('line', { x1: frame.left, y1: frame.bottom, x2: frame.right, y2: frame.bottom, stroke: 'currentColor' }),
    svg('line', { x1: frame.left, y1: frame.top, x2: frame.left, y2: frame.bottom, stroke: 'currentColor' }),
    ...geometry.xTicks.map((tick) =>
      svg(
        'text',
        { x: tick.position, y: frame.bottom + 14, 'text-anchor': 'middle', 'font-size': 10, fill: 'currentColor' },
        String(tick.value),
      ),
    ),
    ...geometry.yTicks.map((tick) =>
      svg(
        'text',
        { x: frame.left - 4, y: tick.position + 3, 'text-anchor': 'end', 'font-size': 10, fill: 'currentColor' },
        String(tick.value),
      ),
    ),
    svg(
      'text',
      {
        x: (frame.left + frame.right) / 2,
        y: height - 2,
        'text-anchor': 'middle',
        'font-size': 11,
        fill: 'currentColor',
      },
      xLabel,
    ),
    svg('text', { x: frame.left + 6, y: frame.top + 8, 'font-size': 11, fill: 'currentColor' }, yLabel),
  ];
  geometry.lines.forEach((line, index) => {
    const style = styles[index];
    children.push(
      svg('polyline', {
        points: line.points.map((point) => `${point.px},${point.py}`).join(' '),
        fill: 'none',
        stroke: style.color,
        'stroke-width': 2,
        'stroke-dasharray': style.dash,
      }),
    );
    for (const point of line.points) {
      const marker =
        style.marker === 'square'
          ? svg('rect', { x: point.px - 3.5, y: point.py - 3.5, width: 7, height: 7, fill: style.color })
          : svg('circle', { cx: point.px, cy: point.py, r: 3.5, fill: style.color });
      marker.append(svg('title', {}, pointTitle(line.label, point.x, point.y)));
      children.push(marker);
    }
  });
  root.replaceChildren(...children);
}
