// The grid renderer: a canvas that paints what a DOM-free view model computed. draw() sets
// the values (text, heat, lasting marks), mark() the step's marks (window, current cell…),
// setActive() the keyboard cursor; one repaint per task follows. A canvas repaints a padded
// 38×38 input in well under a millisecond, where thousands of DOM cells took a full layout.
//
// Marks (space-separated, as in the view models): win, hole, pad, unseen, cur, fed, sel,
// winner, later, dark. paintCell() draws one cell and is shared with the legend swatches,
// so the legend always matches the grid. Each mark has a shape as well as a colour: win a
// thick ring, hole a dashed ring, cur a double ring, sel a ring and a corner triangle, fed a
// ring and a corner dot, winner a ring and a star, pad and unseen hatching.
//
// Colour maps (palette.js): a grid with a negative value uses the diverging map, else the
// sequential one; scaleElement shows the map in use with the grid's extreme values.
//
// Motion: the window (win and hole cells) and the current cell get a frame laid over the
// canvas, which glides to the next position (a CSS transition, MOTION.tweenMs); under
// prefers-reduced-motion the style sheet removes the transition and the frame jumps.
//
// Keyboard: the canvas is one tab stop. Arrow keys move the cursor (wrapping at row ends) and
// report it through onActivate; Enter or a digit edits the cursor's cell of an editable grid;
// Escape cancels. The accessible name carries the cursor cell's value.
import {
  COLORS,
  FONTS,
  GLYPHS,
  MOTION,
  SIZES,
  mapColor,
  mix,
  paddingStripe,
  paddingTextColor,
  textColorOn,
} from './palette.js';
import { startsEditing } from './keyboard.js';
import { cellTitle } from './grid-views.js';
import { formatValue } from './format.js';
import { english, pageTranslator } from '../i18n/index.js';

const MOVES = { ArrowRight: 1, ArrowLeft: -1 };
const DARK_HEAT = 0.55; // above this heat a cell counts as dark (snapshot's 'dark' mark)
const GAP = 1; // grid line between cells, in CSS pixels
const HEAT_STEPS = 100; // shades of the heat map on each side of zero
const LATER_VEIL = 0.7; // opacity of the paper over cells not computed yet
const CANVAS_GROWTH_PX = 64; // the backing store grows by this step, and never shrinks
const MIN_SIGN_CELL_PX = 5; // a colour-only negative cell this big or bigger also gets a minus bar

// Every grid and legend repaints when the theme changes: the colour scheme, printing, or a
// `theme` attribute on the page's root or on a widget.
const themed = new Set();
let themeWatched = false;

/** Registers `owner.repaintTheme()` to run on a theme change (held weakly). */
/**
 * Sizes `canvas` to widthPx × heightPx CSS pixels with a backing store of devicePixelRatio times
 * as many, so it stays sharp on high-density screens; returns its context, drawing in CSS pixels.
 */
export function sharpCanvas(canvas, widthPx, heightPx = widthPx) {
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(widthPx * ratio);
  canvas.height = Math.round(heightPx * ratio);
  canvas.style.width = `${widthPx}px`;
  canvas.style.height = `${heightPx}px`;
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

export function followTheme(owner) {
  themed.add(new WeakRef(owner));
  if (themeWatched || typeof document === 'undefined') return;
  themeWatched = true;
  const repaintAll = () => {
    for (const reference of themed) {
      const target = reference.deref();
      if (target) target.repaintTheme();
      else themed.delete(reference);
    }
  };
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', repaintAll);
  globalThis.matchMedia?.('print').addEventListener('change', repaintAll); // print in the light theme
  new MutationObserver(repaintAll).observe(document.documentElement, {
    attributes: true,
    subtree: true,
    attributeFilter: ['theme'],
  });
}

/** The palette as the page themed it: --cnn-<name> custom properties, else the theme's defaults (styles.js), else palette.js. */
export function themeColors(element) {
  const style = getComputedStyle(element);
  const read = (name) =>
    style.getPropertyValue(`--cnn-${name}`).trim() ||
    style.getPropertyValue(`--default-${name}`).trim() ||
    COLORS[name];
  return Object.fromEntries(Object.keys(COLORS).map((name) => [name, read(name)]));
}

/** Any CSS colour → [r, g, b], through the canvas's own parser. */
function rgb(context, color) {
  context.fillStyle = '#000';
  context.fillStyle = color;
  const parsed = context.fillStyle;
  if (parsed.startsWith('#')) return [1, 3, 5].map((at) => parseInt(parsed.slice(at, at + 2), 16));
  return parsed
    .match(/[\d.]+/g)
    .slice(0, 3)
    .map(Number);
}

const css = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

/** Diagonal stripes, the shape that doubles the padding (yellow) and never-read (purple) colours. */
function stripes(context, color, background, direction) {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const ink = tile.getContext('2d');
  if (background) {
    ink.fillStyle = background;
    ink.fillRect(0, 0, 6, 6);
  }
  ink.strokeStyle = color;
  ink.lineWidth = 1.5;
  ink.beginPath();
  for (const offset of [-6, 0, 6]) {
    if (direction > 0) {
      ink.moveTo(offset, 6);
      ink.lineTo(offset + 6, 0);
    } else {
      ink.moveTo(offset, 0);
      ink.lineTo(offset + 6, 6);
    }
  }
  ink.stroke();
  return context.createPattern(tile, 'repeat');
}

/** One colour map as cached strings: fill and text colour per hundredth of heat. */
function ramp(parsed, signed) {
  const fills = Array.from({ length: 2 * HEAT_STEPS + 1 }, (_, step) =>
    mapColor(parsed, (step - HEAT_STEPS) / HEAT_STEPS, signed),
  );
  return { fills, fillCss: fills.map(css), textCss: fills.map((fill) => css(textColorOn(fill))) };
}

/** Paint resources for one theme: parsed colours, both colour maps and hatch patterns. */
export function paintKit(context, colors) {
  const parsed = Object.fromEntries(Object.entries(colors).map(([name, value]) => [name, rgb(context, value)]));
  // One colour string per hundredth of heat: setting fillStyle from a cached string skips parsing.
  const maps = { sequential: ramp(parsed, false), diverging: ramp(parsed, true) };
  const shadeIndex = (heat) => HEAT_STEPS + Math.round(Math.max(-1, Math.min(1, heat)) * HEAT_STEPS);
  const mapOf = (signed) => (signed ? maps.diverging : maps.sequential);
  return {
    colors,
    parsed,
    heat: (heat, signed = false) => mapOf(signed).fillCss[shadeIndex(heat)],
    heatRgb: (heat, signed = false) => mapOf(signed).fills[shadeIndex(heat)],
    text: (heat, signed = false) => mapOf(signed).textCss[shadeIndex(heat)],
    padding: stripes(context, css(paddingStripe(parsed)), colors.paper, 1),
    paddingText: css(paddingTextColor(parsed)),
    unseen: stripes(context, css(mix(parsed.unseen, parsed.paper, 0.8)), null, -1),
  };
}

function ring(context, x, y, size, inset, width, color, dash = []) {
  context.strokeStyle = color;
  context.lineWidth = width;
  context.setLineDash(dash);
  context.strokeRect(x + inset + width / 2, y + inset + width / 2, size - 2 * inset - width, size - 2 * inset - width);
  context.setLineDash([]);
}

/** A filled corner glyph: the shape that tells 'sel' (triangle) and 'fed' (dot) apart without colour. */
function cornerGlyph(context, x, y, size, color, kind) {
  const edge = Math.max(4, Math.round(size * 0.3));
  context.fillStyle = color;
  context.beginPath();
  if (kind === 'triangle') {
    context.moveTo(x, y);
    context.lineTo(x + edge, y);
    context.lineTo(x, y + edge);
  } else {
    context.arc(x + edge / 2 + 1, y + edge / 2 + 1, edge / 2.5, 0, 2 * Math.PI);
  }
  context.fill();
}

/** A cell the stepper has not reached: its colour veiled, its number not shown yet (it appears when computed). */
function paintLater(context, kit, x, y, size, fill) {
  context.fillStyle = fill;
  context.fillRect(x, y, size, size);
  context.globalAlpha = LATER_VEIL;
  context.fillStyle = kit.colors.paper;
  context.fillRect(x, y, size, size);
  context.globalAlpha = 1;
}

/** The minus bar on a colour-only negative cell, so the sign never rests on colour alone. */
function minusBar(context, kit, heat, signed, x, y, size) {
  if (heat >= 0 || size < MIN_SIGN_CELL_PX) return;
  context.fillStyle = kit.text(heat, signed);
  context.fillRect(x + size * 0.25, y + size / 2 - 0.5, size * 0.5, Math.max(1, size / 8));
}

/** Paints one cell at (x, y), `size` CSS pixels wide: fill, text, then its marks. */
export function paintCell(
  context,
  kit,
  { text = '', heat = 0, marks = '' },
  x,
  y,
  size,
  showText = true,
  signed = false,
) {
  const set = marks ? new Set(marks.split(' ')) : null;
  const has = (name) => set !== null && set.has(name);
  const { colors } = kit;
  if (has('later')) paintLater(context, kit, x, y, size, kit.heat(heat, signed));
  else {
    context.fillStyle = has('pad') ? kit.padding : kit.heat(heat, signed);
    context.fillRect(x, y, size, size);
    if (has('unseen')) {
      context.fillStyle = kit.unseen;
      context.fillRect(x, y, size, size);
    }
    if (showText && text) {
      context.fillStyle = has('pad') ? kit.paddingText : kit.text(heat, signed);
      context.fillText(text, x + size / 2, y + size / 2 + 0.5, size - 2);
    } else if (!has('pad')) minusBar(context, kit, heat, signed, x, y, size);
  }
  const border = Math.max(2, Math.round(size / 11));
  if (has('hole')) ring(context, x, y, size, border + 1, 1, colors.window, [3, 2]);
  if (has('win')) ring(context, x, y, size, 0, border, colors.window);
  if (has('fed')) {
    ring(context, x, y, size, 0, border, colors.fed);
    cornerGlyph(context, x, y, size, colors.fed, 'dot');
  }
  if (has('sel') || has('cur')) {
    ring(context, x, y, size, 0, border, colors.accent);
    ring(context, x, y, size, border, 2, colors.paper);
  }
  if (has('sel')) cornerGlyph(context, x, y, size, colors.accent, 'triangle');
  if (has('winner')) {
    ring(context, x, y, size, 0, border, colors.winner);
    context.fillStyle = colors.winner;
    context.font = `${Math.max(9, Math.round(size * 0.32))}px ${FONTS.body}`;
    context.fillText(GLYPHS.winner, x + size - Math.max(5, size * 0.2), y + Math.max(5, size * 0.2));
    context.font = `${Math.round(size * 0.36)}px ${FONTS.mono}`;
  }
  if (has('active') && !has('cur')) ring(context, x, y, size, 1, 2, colors.ink, [4, 2]);
}

export class GridView {
  /**
   * @param {object} options
   * @param {string} options.label accessible name of the grid
   * @param {(index: number) => void} [options.onActivate] a cell was clicked or reached with arrows
   * @param {(index: number, value: number) => void} [options.onEdit] an editable cell got a new value
   * @param {boolean} [options.editOnClick] a click edits at once (small grids such as kernels)
   * @param {(key: string, vars?: object) => string} [options.t] the language of its own words (web/i18n)
   */
  constructor({ label, onActivate = null, onEdit = null, editOnClick = false, t = pageTranslator() }) {
    this.label = label;
    this.t = t;
    this.onActivate = onActivate;
    this.onEdit = onEdit;
    this.editOnClick = editOnClick;
    this.rows = 0;
    this.cols = 0;
    this.view = [];
    this.marked = new Map();
    this.activeIndex = -1;
    this.cellPx = SIZES.cellPx;
    this.availableWidth = SIZES.maxGridPx;
    this.canvas = document.createElement('canvas');
    if (onActivate || onEdit) this.canvas.classList.add('clickable');
    // The frame, sized to the grid, takes focus: the canvas may be larger (it only grows), and
    // focusing it would scroll the page under the pointer between mousedown and click.
    this.element = document.createElement('div');
    this.element.className = 'grid-frame';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
    this.element.gridView = this; // tests and embedders inspect a grid through snapshot()
    this.signed = false;
    this.windowFrame = frameOverlay('window-frame');
    this.cellFrame = frameOverlay('cell-frame');
    this.scaleElement = colorScale();
    this.zoomed = false;
    this.zoomButton = document.createElement('button');
    this.zoomButton.type = 'button';
    this.zoomButton.className = 'zoom';
    this.zoomButton.textContent = t('shared.zoom-in');
    this.zoomButton.setAttribute('aria-pressed', 'false');
    this.zoomButton.hidden = true;
    this.zoomButton.addEventListener('click', () => {
      this.zoomed = !this.zoomed;
      this.zoomButton.setAttribute('aria-pressed', String(this.zoomed));
      this.zoomButton.textContent = t(this.zoomed ? 'shared.zoom-fit' : 'shared.zoom-in');
      this.fit(this.availableWidth);
    });
    // The box a zoomed grid pans in (scrolls with a finger, a wheel or the arrow keys on the grid).
    this.scroller = document.createElement('div');
    this.scroller.className = 'grid-scroll';
    this.element.append(this.canvas, this.windowFrame, this.cellFrame);
    this.scroller.append(this.element);
    this.repaintTheme = () => this.queueRender(null);
    followTheme(this);
    this.renderQueued = false;
    this.dirty = null; // cells to repaint: a Set, or null for all
    this.canvas.addEventListener('click', (event) => this.handleClick(event));
    this.canvas.addEventListener('dblclick', (event) => this.handleDoubleClick(event));
    this.element.addEventListener('keydown', (event) => this.handleKey(event));
    this.canvas.addEventListener('mousemove', (event) => this.handleHover(event));
  }

  setLabel(label) {
    this.label = label;
    this.describe();
  }

  /** A new shape clears the values, the marks and the cursor. */
  setShape(rows, cols) {
    if (rows === this.rows && cols === this.cols) return;
    this.rows = rows;
    this.cols = cols;
    this.view = Array.from({ length: rows * cols }, () => ({ text: '', heat: 0, marks: '' }));
    this.marked = new Map();
    this.activeIndex = -1;
    this.fit(this.availableWidth);
  }

  /** Sizes the cells to fit `widthPx` (phone or desktop); tiny cells show colour only. */
  fit(widthPx) {
    this.availableWidth = widthPx ?? SIZES.maxGridPx;
    const width = Math.min(this.availableWidth, SIZES.maxGridPx);
    const fitting = this.cols
      ? Math.max(4, Math.min(SIZES.cellPx, Math.floor((width - GAP) / this.cols) - GAP))
      : SIZES.cellPx;
    // Zoomed, a grid too big for the screen keeps cells large enough for their numbers and pans in its box.
    const cellPx = this.zoomed ? Math.max(fitting, SIZES.minLabelledCellPx + 4) : fitting;
    this.zoomButton.hidden = !this.zoomed && fitting >= SIZES.minLabelledCellPx;
    const edgeWidth = this.cols * (cellPx + GAP) + GAP;
    const edgeHeight = this.rows * (cellPx + GAP) + GAP;
    if (cellPx === this.cellPx && this.edge?.[0] === edgeWidth && this.edge?.[1] === edgeHeight) return;
    const resized = cellPx !== this.cellPx;
    this.cellPx = cellPx;
    this.edge = [edgeWidth, edgeHeight];
    // The frame clips the canvas to the grid; the canvas only grows (in CANVAS_GROWTH_PX steps),
    // because a new backing store costs more than the whole repaint.
    this.element.style.width = `${edgeWidth}px`;
    this.element.style.height = `${edgeHeight}px`;
    const ratio = globalThis.devicePixelRatio || 1;
    const [capacityWidth, capacityHeight] = this.capacity ?? [0, 0];
    if (edgeWidth > capacityWidth || edgeHeight > capacityHeight || this.capacityRatio !== ratio) {
      const grow = (size, capacity) => Math.max(capacity, Math.ceil(size / CANVAS_GROWTH_PX) * CANVAS_GROWTH_PX);
      this.capacity = [grow(edgeWidth, capacityWidth), grow(edgeHeight, capacityHeight)];
      this.capacityRatio = ratio;
      this.canvas.width = Math.round(this.capacity[0] * ratio);
      this.canvas.height = Math.round(this.capacity[1] * ratio);
      this.canvas.style.width = `${this.capacity[0]}px`;
      this.canvas.style.height = `${this.capacity[1]}px`;
    }
    if (resized) this.placeFrames();
    this.queueRender(null);
  }

  /** The values: one view-model cell per cell, row-major (grid-views.js; lasting marks: pad, unseen). */
  draw(view) {
    const previous = this.view;
    this.view = view;
    const signed = view.some((cell) => cell.heat < 0);
    if (previous.length !== view.length || signed !== this.signed) {
      this.signed = signed;
      this.queueRender(null);
      return;
    }
    const changed = [];
    for (let index = 0; index < view.length; index++) {
      const before = previous[index];
      const after = view[index];
      if (before.text !== after.text || before.heat !== after.heat || before.marks !== after.marks) changed.push(index);
    }
    // An edited cell repaints alone; a new input repaints the whole grid in a few calls.
    this.queueRender(changed.length > view.length / 8 ? null : changed);
  }

  /** The step's marks: Map cell index → classes (win, cur, fed…). Only changed cells repaint. */
  mark(marks) {
    const changed = [];
    for (const [index, value] of this.marked) if (marks.get(index) !== value) changed.push(index);
    for (const [index, value] of marks) if (this.marked.get(index) !== value) changed.push(index);
    this.marked = marks;
    this.placeFrames();
    this.queueRender(changed);
  }

  /** Lays the window frame over the bounding box of the win/hole cells and the cell frame over the current cell. */
  placeFrames() {
    let top = Infinity,
      left = Infinity,
      bottom = -1,
      right = -1,
      current = -1;
    for (const [index, value] of this.marked) {
      if (/\b(win|hole)\b/.test(value)) {
        const row = Math.floor(index / this.cols);
        const col = index % this.cols;
        top = Math.min(top, row);
        bottom = Math.max(bottom, row);
        left = Math.min(left, col);
        right = Math.max(right, col);
      }
      if (/\bcur\b/.test(value)) current = index;
    }
    const pitch = this.cellPx + GAP;
    const box =
      bottom < 0
        ? null
        : {
            x: left * pitch,
            y: top * pitch,
            width: (right - left + 1) * pitch + GAP,
            height: (bottom - top + 1) * pitch + GAP,
          };
    moveFrame(this.windowFrame, box);
    if (this.zoomed && box) keepInView(this.scroller, box);
    const row = Math.floor(current / this.cols);
    const col = current % this.cols;
    moveFrame(
      this.cellFrame,
      current < 0 ? null : { x: col * pitch, y: row * pitch, width: pitch + GAP, height: pitch + GAP },
    );
    const panels = this.element.closest('.panels');
    if (panels) followLinks(panels);
  }

  /** Moves the keyboard cursor. */
  setActive(index) {
    const previous = this.activeIndex;
    this.activeIndex = index;
    this.describe();
    this.queueRender([previous, index]);
  }

  /** Every mark a cell carries now: lasting, step and cursor. */
  marksOf(index) {
    const cell = this.view[index];
    return [
      cell?.marks,
      this.marked.get(index),
      cell && cell.heat > DARK_HEAT ? 'dark' : '',
      index === this.activeIndex ? 'active' : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  /** What the grid shows, for tests and embedders: shape, texts and marks per cell. */
  snapshot() {
    return {
      rows: this.rows,
      cols: this.cols,
      texts: this.view.map((cell) => cell.text),
      marks: this.view.map((_, index) => this.marksOf(index)),
    };
  }

  /** Centre of a cell in CSS pixels from the canvas's top-left corner. */
  cellCenter(index) {
    const pitch = this.cellPx + GAP;
    return {
      x: GAP + (index % this.cols) * pitch + this.cellPx / 2,
      y: GAP + Math.floor(index / this.cols) * pitch + this.cellPx / 2,
    };
  }

  describe() {
    const title = cellTitle(this.view[this.activeIndex], this.t);
    const shape = `${this.label}, ${this.rows}×${this.cols}`;
    this.element.setAttribute('aria-label', title ? this.t('shared.grid-cursor', { grid: shape, cell: title }) : shape);
  }

  /** Repaints once, after the current task's changes: `cells` listed, or all when null. */
  queueRender(cells) {
    if (cells === null) this.dirty = null;
    else if (this.dirty !== null) for (const index of cells) this.dirty.add(index);
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => {
      this.renderQueued = false;
      const dirty = this.dirty;
      this.dirty = new Set();
      this.render(dirty);
    });
  }

  render(cells) {
    if (this.tableHost?.open) this.fillTable();
    const context = this.canvas.getContext('2d');
    context.setTransform(this.capacityRatio, 0, 0, this.capacityRatio, 0, 0);
    if (cells === null || !this.kit) {
      // the page's theme is read again on full repaints only
      const colors = themeColors(this.canvas);
      const key = JSON.stringify(colors);
      if (this.kitKey !== key) {
        this.kit = paintKit(context, colors);
        this.kitKey = key;
        cells = null;
      }
    }
    context.font = `${Math.round(this.cellPx * 0.36)}px ${FONTS.mono}`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    const showText = this.cellPx >= SIZES.minLabelledCellPx;
    const pitch = this.cellPx + GAP;
    const at = (index) => [GAP + (index % this.cols) * pitch, GAP + Math.floor(index / this.cols) * pitch];
    const paint = (index) => {
      const cell = this.view[index];
      if (!cell) return;
      const step = this.marked.get(index);
      const marks = step ? (cell.marks ? `${cell.marks} ${step}` : step) : cell.marks;
      const [x, y] = at(index);
      paintCell(
        context,
        this.kit,
        { text: cell.text, heat: cell.heat, marks: index === this.activeIndex ? `${marks} active` : marks },
        x,
        y,
        this.cellPx,
        showText,
        this.signed,
      );
    };
    if (cells !== null) {
      for (const index of cells) paint(index);
      return;
    }
    this.paintAll(context, pitch, at, showText);
    updateScale(this.scaleElement, this.kit, this.view, this.signed, this.t);
    for (const [index, marks] of this.marked) if (marks !== 'later') paint(index);
    if (this.activeIndex >= 0) paint(this.activeIndex);
  }

  /**
   * The whole grid in a few calls: the heat map as one image (a pixel per cell, scaled up
   * without smoothing), the grid lines, one hatched path for padding and one for unread
   * cells, the texts, one veil over the cells not reached yet. Cells with other step marks
   * are painted one by one afterwards.
   */
  paintAll(context, pitch, at, showText) {
    const { kit } = this;
    const width = this.cols * pitch + GAP;
    const height = this.rows * pitch + GAP;
    if (this.cols && this.rows) {
      const image = new ImageData(this.cols, this.rows);
      this.view.forEach((cell, index) => {
        const [r, g, b] = kit.heatRgb(cell.heat, this.signed);
        image.data.set([r, g, b, 255], index * 4);
      });
      this.pixels ??= document.createElement('canvas');
      this.pixels.width = this.cols;
      this.pixels.height = this.rows;
      this.pixels.getContext('2d').putImageData(image, 0, 0);
      context.imageSmoothingEnabled = false;
      context.drawImage(this.pixels, GAP, GAP, this.cols * pitch, this.rows * pitch);
    }
    context.fillStyle = kit.colors.rule;
    for (let col = 0; col <= this.cols; col++) context.fillRect(col * pitch, 0, GAP, height);
    for (let row = 0; row <= this.rows; row++) context.fillRect(0, row * pitch, width, GAP);
    for (const [mark, pattern] of [
      ['pad', kit.padding],
      ['unseen', kit.unseen],
    ]) {
      context.beginPath();
      this.view.forEach((cell, index) => {
        if (cell.marks && cell.marks.split(' ').includes(mark)) context.rect(...at(index), this.cellPx, this.cellPx);
      });
      context.fillStyle = pattern;
      context.fill();
    }
    if (showText) {
      this.view.forEach((cell, index) => {
        if (!cell.text || this.marked.get(index) === 'later') return; // a number appears once computed
        const [x, y] = at(index);
        const pad = cell.marks && cell.marks.split(' ').includes('pad');
        context.fillStyle = pad ? kit.paddingText : kit.text(cell.heat, this.signed);
        context.fillText(cell.text, x + this.cellPx / 2, y + this.cellPx / 2 + 0.5, this.cellPx - 2);
      });
    } else {
      this.view.forEach((cell, index) => {
        if (cell.heat < 0 && !(cell.marks && cell.marks.includes('pad')))
          minusBar(context, kit, cell.heat, this.signed, ...at(index), this.cellPx);
      });
    }
    // One veil over every cell not computed yet (their colour was painted with the heat image).
    context.beginPath();
    for (const [index, marks] of this.marked)
      if (marks === 'later') context.rect(...at(index), this.cellPx, this.cellPx);
    context.globalAlpha = LATER_VEIL;
    context.fillStyle = kit.colors.paper;
    context.fill();
    context.globalAlpha = 1;
  }

  /**
   * The text alternative: a <details> whose table lists every cell's value by row and column,
   * with the step's marks in words. Built when opened, kept in step while open.
   */
  tableView() {
    if (this.tableHost) return this.tableHost;
    const summary = document.createElement('summary');
    summary.textContent = this.t('shared.table');
    summary.title = this.t('shared.table-title');
    this.tableHost = document.createElement('details');
    this.tableHost.className = 'table-view';
    this.tableHost.dataset.control = 'table-view';
    this.tableHost.append(summary, document.createElement('div'));
    this.tableHost.lastChild.className = 'scroll';
    this.tableHost.addEventListener('toggle', () => {
      if (this.tableHost.open) this.fillTable();
    });
    return this.tableHost;
  }

  fillTable() {
    const words = Object.fromEntries(
      ['win', 'cur', 'winner', 'sel', 'fed', 'pad', 'unseen', 'later'].map((mark) => [
        mark,
        this.t(`shared.mark.${mark}`),
      ]),
    );
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = this.t('shared.table-caption', { label: this.label, rows: this.rows, cols: this.cols });
    const head = table.createTHead().insertRow();
    head.append(
      Object.assign(document.createElement('th'), { scope: 'col', textContent: this.t('shared.table-corner') }),
    );
    for (let col = 0; col < this.cols; col++)
      head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: String(col) }));
    const body = table.createTBody();
    for (let row = 0; row < this.rows; row++) {
      const line = body.insertRow();
      line.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: String(row) }));
      for (let col = 0; col < this.cols; col++) {
        const index = row * this.cols + col;
        const marks = this.marksOf(index)
          .split(' ')
          .map((mark) => words[mark])
          .filter(Boolean);
        const later = marks.includes(words.later);
        const cell = line.insertCell();
        cell.textContent = later ? '·' : (this.view[index]?.text ?? '');
        if (marks.length) {
          cell.className = 'marked';
          cell.append(
            Object.assign(document.createElement('span'), {
              className: 'visually-hidden',
              textContent: ` (${marks.join(', ')})`,
            }),
          );
        }
      }
    }
    this.tableHost.lastChild.replaceChildren(table);
  }

  cellAt(event) {
    const bounds = this.canvas.getBoundingClientRect();
    const pitch = this.cellPx + GAP;
    const col = Math.floor((event.clientX - bounds.left - GAP) / pitch);
    const row = Math.floor((event.clientY - bounds.top - GAP) / pitch);
    return row >= 0 && row < this.rows && col >= 0 && col < this.cols ? row * this.cols + col : -1;
  }

  handleHover(event) {
    const index = this.cellAt(event);
    const title = cellTitle(this.view[index], this.t);
    if (this.canvas.title !== title) this.canvas.title = title;
  }

  handleClick(event) {
    const index = this.cellAt(event);
    if (index < 0) return;
    if (this.editOnClick && this.onEdit) this.startEditing(index);
    else if (this.onActivate) this.onActivate(index);
    else this.setActive(index);
  }

  handleDoubleClick(event) {
    const index = this.cellAt(event);
    if (index >= 0 && this.onEdit) this.startEditing(index);
  }

  handleKey(event) {
    if (event.target !== this.element) return; // keys typed into the cell editor
    const index = Math.max(0, this.activeIndex);
    let next = null;
    if (event.key in MOVES) next = index + MOVES[event.key];
    else if (event.key === 'ArrowDown') next = index + this.cols;
    else if (event.key === 'ArrowUp') next = index - this.cols;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = this.view.length - 1;
    else if (this.onEdit && startsEditing(event)) {
      event.preventDefault();
      this.startEditing(index, event.key === 'Enter' ? null : event.key);
      return;
    }
    if (next === null) return; // Space and the rest bubble to the widget
    event.preventDefault();
    event.stopPropagation();
    if (next < 0 || next >= this.view.length) return;
    if (this.onActivate) this.onActivate(next);
    else this.setActive(next);
  }

  startEditing(index, firstKey = null) {
    if (this.element.querySelector('input')) return;
    this.setActive(index);
    const { x, y } = this.cellCenter(index);
    const editor = document.createElement('input');
    editor.className = 'cell-editor';
    editor.inputMode = 'decimal';
    editor.setAttribute(
      'aria-label',
      this.t('shared.cell-editor', {
        cell: cellTitle(this.view[index], this.t) || this.t('shared.cell-index', { index }),
      }),
    );
    editor.value = firstKey ?? this.view[index]?.text ?? '';
    const size = Math.max(this.cellPx, 44);
    editor.style.left = `${x - size / 2}px`;
    editor.style.top = `${y - this.cellPx / 2}px`;
    editor.style.width = `${size}px`;
    editor.style.height = `${Math.max(this.cellPx, 24)}px`;
    let done = false;
    const finish = (commit) => {
      if (done) return;
      done = true;
      const value = Number(editor.value);
      editor.remove();
      this.element.focus();
      if (commit && editor.value.trim() !== '' && Number.isFinite(value)) this.onEdit(index, value);
    };
    editor.addEventListener('keydown', (event) => {
      event.stopPropagation();
      if (event.key === 'Enter') finish(true);
      else if (event.key === 'Escape') finish(false);
    });
    editor.addEventListener('blur', () => finish(true));
    this.element.append(editor);
    editor.focus();
    if (firstKey === null) editor.select();
  }
}

/** A frame laid over the grid (window or current cell); aria-hidden, the canvas carries the meaning. */
function frameOverlay(className) {
  const frame = document.createElement('div');
  frame.className = `grid-overlay ${className}`;
  frame.setAttribute('aria-hidden', 'true');
  frame.hidden = true;
  return frame;
}

/** Moves a frame to `box` (CSS px), gliding from where it was; a frame that was hidden appears in place. */
function moveFrame(frame, box) {
  if (!box) {
    frame.hidden = true;
    return;
  }
  const appearing = frame.hidden;
  frame.hidden = false;
  frame.classList.toggle('instant', appearing);
  frame.style.transform = `translate(${box.x}px, ${box.y}px)`;
  frame.style.width = `${box.width}px`;
  frame.style.height = `${box.height}px`;
  if (appearing) requestAnimationFrame(() => frame.classList.remove('instant'));
}

// Lines from each window frame's corners to the corners of the output cell it produces, in an
// SVG laid over the panels. They follow the frames while those glide (one layout read per
// animation frame, for MOTION.tweenMs), or are drawn once under reduced motion.
const SVG = 'http://www.w3.org/2000/svg';
const linking = new WeakMap(); // panels → end time of the current follow

function followLinks(panels) {
  const reduced = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const running = linking.has(panels);
  linking.set(panels, performance.now() + (reduced ? 0 : MOTION.tweenMs + 50));
  if (running) return;
  const frame = () => {
    drawLinks(panels);
    if (performance.now() < linking.get(panels)) requestAnimationFrame(frame);
    else linking.delete(panels);
  };
  requestAnimationFrame(frame);
}

function drawLinks(panels) {
  let svg = panels.querySelector(':scope > svg.links');
  if (!svg) {
    svg = document.createElementNS(SVG, 'svg');
    svg.classList.add('links');
    svg.setAttribute('aria-hidden', 'true');
    panels.prepend(svg);
  }
  // visibility is inherited: a frame inside a concealed answer (exercise.js) computes to hidden
  const visible = (element) =>
    !element.hidden && element.getBoundingClientRect().width > 0 && getComputedStyle(element).visibility !== 'hidden';
  const target = [...panels.querySelectorAll('.cell-frame')].find(visible);
  const sources = [...panels.querySelectorAll('.window-frame')].filter(visible);
  if (!target || !sources.length) {
    svg.replaceChildren();
    return;
  }
  const base = panels.getBoundingClientRect();
  const corners = (element) => {
    const box = element.getBoundingClientRect();
    return [
      [box.left, box.top],
      [box.right, box.top],
      [box.right, box.bottom],
      [box.left, box.bottom],
    ].map(([x, y]) => [x - base.left, y - base.top]);
  };
  const to = corners(target);
  const lines = sources.flatMap((source) =>
    corners(source).map(([x, y], corner) => {
      const line = document.createElementNS(SVG, 'line');
      line.setAttribute('x1', x.toFixed(1));
      line.setAttribute('y1', y.toFixed(1));
      line.setAttribute('x2', to[corner][0].toFixed(1));
      line.setAttribute('y2', to[corner][1].toFixed(1));
      return line;
    }),
  );
  svg.replaceChildren(...lines);
}

/** Pans a zoomed grid's box so that `box` (the window) stays in sight. */
function keepInView(scroller, box) {
  const { scrollLeft, clientWidth } = scroller;
  if (box.x >= scrollLeft && box.x + box.width <= scrollLeft + clientWidth) return;
  const behavior = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'instant' : 'smooth';
  scroller.scrollTo({ left: Math.max(0, box.x + box.width / 2 - clientWidth / 2), behavior });
}

/** The legend of a grid's colour map: a bar as wide as the grid, its lowest and highest value under the ends (0 in the middle of a diverging map). */
function colorScale() {
  const bar = document.createElement('canvas');
  const low = document.createElement('span');
  const zero = document.createElement('span');
  const high = document.createElement('span');
  const labels = document.createElement('div');
  labels.append(low, zero, high);
  labels.setAttribute('aria-hidden', 'true');
  const element = document.createElement('div');
  element.className = 'color-scale';
  element.dataset.control = 'color-scale';
  element.setAttribute('role', 'img');
  element.append(bar, labels);
  element.parts = { bar, low, zero, high };
  return element;
}

function updateScale(element, kit, view, signed, t = english) {
  let largest = 0;
  for (const cell of view)
    if (typeof cell.value === 'number' && Number.isFinite(cell.value))
      largest = Math.max(largest, Math.abs(cell.value));
  const { bar, low, zero, high } = element.parts;
  const key = `${signed} ${largest} ${kit.colors.paper} ${kit.colors.ink} ${kit.colors.negative} ${kit.colors.positive}`;
  if (element.dataset.key === key) return;
  element.dataset.key = key;
  element.hidden = view.length === 0;
  low.textContent = signed ? formatValue(-largest) : formatValue(0);
  zero.textContent = signed ? '0' : '';
  high.textContent = formatValue(largest);
  element.setAttribute(
    'aria-label',
    signed
      ? t('shared.scale-signed', { low: low.textContent, high: high.textContent })
      : t('shared.scale', { high: high.textContent }),
  );
  const ratio = globalThis.devicePixelRatio || 1;
  const width = SIZES.colorBarPx;
  bar.width = Math.round(width * ratio);
  bar.height = Math.round(8 * ratio);
  const context = bar.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  for (let x = 0; x < width; x++) {
    const heat = signed ? (2 * x) / (width - 1) - 1 : x / (width - 1);
    context.fillStyle = kit.heat(heat, signed);
    context.fillRect(x, 0, 1, 8);
  }
}
