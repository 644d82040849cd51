// The grid renderer: a canvas that paints what a DOM-free view model computed. draw() sets
// the values (text, heat, lasting marks), mark() the step's marks (window, current cell…),
// setActive() the keyboard cursor; one repaint per task follows. A canvas repaints a padded
// 38×38 input in well under a millisecond, where thousands of DOM cells took a full layout.
//
// Marks (space-separated, as in the view models): win, hole, pad, unseen, cur, fed, sel,
// winner, later, dark. paintCell() draws one cell and is shared with the legend swatches,
// so the legend always matches the grid.
//
// Keyboard: the canvas is one tab stop. Arrow keys move the cursor (wrapping at row ends) and
// report it through onActivate; Enter or a digit edits the cursor's cell of an editable grid;
// Escape cancels. The accessible name carries the cursor cell's value.
import { COLORS, FONTS, GLYPHS, SIZES } from './palette.js';
import { startsEditing } from './keyboard.js';
import { cellTitle } from './grid-views.js';

const MOVES = { ArrowRight: 1, ArrowLeft: -1 };
const DARK_HEAT = 0.55; // above this tint, text turns light to stay readable
const GAP = 1;          // grid line between cells, in CSS pixels
const HEAT_STEPS = 100; // shades of the heat map on each side of zero
const LATER_VEIL = 0.65; // opacity of the paper over cells not computed yet
const CANVAS_GROWTH_PX = 64; // the backing store grows by this step, and never shrinks

/** The palette as the page themed it: --cnn-<name> custom properties, else palette.js. */
export function themeColors(element) {
  const style = getComputedStyle(element);
  return Object.fromEntries(Object.keys(COLORS).map((name) => [name, style.getPropertyValue(`--cnn-${name}`).trim() || COLORS[name]]));
}

/** Any CSS colour → [r, g, b], through the canvas's own parser. */
function rgb(context, color) {
  context.fillStyle = '#000';
  context.fillStyle = color;
  const parsed = context.fillStyle;
  if (parsed.startsWith('#')) return [1, 3, 5].map((at) => parseInt(parsed.slice(at, at + 2), 16));
  return parsed.match(/[\d.]+/g).slice(0, 3).map(Number);
}

/** [r, g, b] of `amount` of the first colour over the second. */
function mix([r1, g1, b1], [r2, g2, b2], amount) {
  return [Math.round(r1 * amount + r2 * (1 - amount)), Math.round(g1 * amount + g2 * (1 - amount)), Math.round(b1 * amount + b2 * (1 - amount))];
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
    if (direction > 0) { ink.moveTo(offset, 6); ink.lineTo(offset + 6, 0); } else { ink.moveTo(offset, 0); ink.lineTo(offset + 6, 6); }
  }
  ink.stroke();
  return context.createPattern(tile, 'repeat');
}

/** Paint resources for one theme: parsed colours and hatch patterns. */
export function paintKit(context, colors) {
  const parsed = Object.fromEntries(Object.entries(colors).map(([name, value]) => [name, rgb(context, value)]));
  // One colour string per hundredth of heat: setting fillStyle from a cached string skips parsing.
  const rgbShades = Array.from({ length: 2 * HEAT_STEPS + 1 }, (_, step) => {
    const heat = (step - HEAT_STEPS) / HEAT_STEPS;
    return heat >= 0 ? mix(parsed.ink, parsed.paper, 0.7 * heat) : mix(parsed.negative, parsed.paper, -0.7 * heat);
  });
  const shades = rgbShades.map(css);
  const shadeIndex = (heat) => HEAT_STEPS + Math.round(Math.max(-1, Math.min(1, heat)) * HEAT_STEPS);
  return {
    colors,
    heat: (heat) => shades[shadeIndex(heat)],
    heatRgb: (heat) => rgbShades[shadeIndex(heat)],
    padding: stripes(context, css(mix(parsed.padding, parsed.paper, 0.6)), colors.paper, 1),
    unseen: stripes(context, css(mix(parsed.unseen, parsed.paper, 0.8)), null, -1),
  };
}

/** Veils cells (a path of rects) with paper: cells the stepper has not reached yet. */
function fade(context, colors, addRects) {
  context.beginPath();
  addRects();
  context.globalAlpha = LATER_VEIL;
  context.fillStyle = colors.paper;
  context.fill();
  context.globalAlpha = 1;
}

function ring(context, x, y, size, inset, width, color, dash = []) {
  context.strokeStyle = color;
  context.lineWidth = width;
  context.setLineDash(dash);
  context.strokeRect(x + inset + width / 2, y + inset + width / 2, size - 2 * inset - width, size - 2 * inset - width);
  context.setLineDash([]);
}

/** Paints one cell at (x, y), `size` CSS pixels wide: fill, text, then its marks. */
export function paintCell(context, kit, { text = '', heat = 0, marks = '' }, x, y, size, showText = true) {
  const set = marks ? new Set(marks.split(' ')) : null;
  const has = (name) => set !== null && set.has(name);
  const { colors } = kit;
  context.fillStyle = has('pad') ? kit.padding : kit.heat(heat);
  context.fillRect(x, y, size, size);
  if (has('unseen')) {
    context.fillStyle = kit.unseen;
    context.fillRect(x, y, size, size);
  }
  if (showText && text) {
    context.fillStyle = has('pad') ? colors.muted : heat > DARK_HEAT ? colors.paper : colors.ink;
    context.fillText(text, x + size / 2, y + size / 2 + 0.5, size - 2);
  }
  if (has('later')) fade(context, colors, () => context.rect(x, y, size, size));
  const border = Math.max(2, Math.round(size / 11));
  if (has('hole')) ring(context, x, y, size, border + 1, 1, colors.window, [3, 2]);
  if (has('win')) ring(context, x, y, size, 0, border, colors.window);
  if (has('fed')) ring(context, x, y, size, 0, border, colors.fed);
  if (has('sel') || has('cur')) {
    ring(context, x, y, size, 0, border, colors.accent);
    ring(context, x, y, size, border, 2, colors.paper);
  }
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
   */
  constructor({ label, onActivate = null, onEdit = null, editOnClick = false }) {
    this.label = label;
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
    this.element.append(this.canvas);
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
    const cellPx = this.cols ? Math.max(4, Math.min(SIZES.cellPx, Math.floor((width - GAP) / this.cols) - GAP)) : SIZES.cellPx;
    const edgeWidth = this.cols * (cellPx + GAP) + GAP;
    const edgeHeight = this.rows * (cellPx + GAP) + GAP;
    if (cellPx === this.cellPx && this.edge?.[0] === edgeWidth && this.edge?.[1] === edgeHeight) return;
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
    this.queueRender(null);
  }

  /** The values: one view-model cell per cell, row-major (grid-views.js; lasting marks: pad, unseen). */
  draw(view) {
    const previous = this.view;
    this.view = view;
    if (previous.length !== view.length) {
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
    this.queueRender(changed);
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
    return [cell?.marks, this.marked.get(index), cell && cell.heat > DARK_HEAT ? 'dark' : '', index === this.activeIndex ? 'active' : '']
      .filter(Boolean).join(' ');
  }

  /** What the grid shows, for tests and embedders: shape, texts and marks per cell. */
  snapshot() {
    return { rows: this.rows, cols: this.cols, texts: this.view.map((cell) => cell.text), marks: this.view.map((_, index) => this.marksOf(index)) };
  }

  /** Centre of a cell in CSS pixels from the canvas's top-left corner. */
  cellCenter(index) {
    const pitch = this.cellPx + GAP;
    return { x: GAP + (index % this.cols) * pitch + this.cellPx / 2, y: GAP + Math.floor(index / this.cols) * pitch + this.cellPx / 2 };
  }

  describe() {
    const title = cellTitle(this.view[this.activeIndex]);
    this.element.setAttribute('aria-label', title ? `${this.label}, ${this.rows}×${this.cols}; cursor on ${title}` : `${this.label}, ${this.rows}×${this.cols}`);
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
    const context = this.canvas.getContext('2d');
    context.setTransform(this.capacityRatio, 0, 0, this.capacityRatio, 0, 0);
    if (cells === null || !this.kit) { // the page's theme is read again on full repaints only
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
      paintCell(context, this.kit, { text: cell.text, heat: cell.heat, marks: index === this.activeIndex ? `${marks} active` : marks }, x, y, this.cellPx, showText);
    };
    if (cells !== null) {
      for (const index of cells) paint(index);
      return;
    }
    this.paintAll(context, pitch, at, showText);
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
        const [r, g, b] = kit.heatRgb(cell.heat);
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
    for (const [mark, pattern] of [['pad', kit.padding], ['unseen', kit.unseen]]) {
      context.beginPath();
      this.view.forEach((cell, index) => {
        if (cell.marks && cell.marks.split(' ').includes(mark)) context.rect(...at(index), this.cellPx, this.cellPx);
      });
      context.fillStyle = pattern;
      context.fill();
    }
    if (showText) {
      this.view.forEach((cell, index) => {
        if (!cell.text) return;
        const [x, y] = at(index);
        const pad = cell.marks && cell.marks.split(' ').includes('pad');
        context.fillStyle = pad ? kit.colors.muted : cell.heat > DARK_HEAT ? kit.colors.paper : kit.colors.ink;
        context.fillText(cell.text, x + this.cellPx / 2, y + this.cellPx / 2 + 0.5, this.cellPx - 2);
      });
    }
    fade(context, kit.colors, () => {
      for (const [index, marks] of this.marked) if (marks === 'later') context.rect(...at(index), this.cellPx, this.cellPx);
    });
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
    const title = cellTitle(this.view[index]);
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
    editor.setAttribute('aria-label', `new value for ${cellTitle(this.view[index]) || `cell ${index}`}`);
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
