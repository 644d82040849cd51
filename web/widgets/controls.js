// Form controls of the widgets: a labelled slider, select or checkbox bound to one attribute.
// Each control root carries data-control="<attribute>", which is what the teacher attributes
// hide="…" and lock="…" select. Labels and captions come in already translated; the few words
// a control writes itself (Copy, step 1 of 16, …) come from `t` (web/i18n), by default the page's language.
import { followTheme, paintCell, paintKit, themeColors } from './grid.js';
import { GLYPHS, SIZES } from './palette.js';
import { pageTranslator } from '../i18n/index.js';

function controlRoot(name, labelText, inline = false) {
  const root = document.createElement('label');
  root.className = inline ? 'control inline' : 'control';
  root.dataset.control = name;
  const caption = document.createElement('span');
  caption.textContent = labelText;
  root.append(caption);
  return root;
}

/**
 * A slider with its value printed next to it.
 * @returns {{ element: HTMLElement, read: () => number, write: (value: number) => void, input: HTMLInputElement }}
 */
export function rangeControl({ name, label, min, max, step = 1, onInput }) {
  const element = controlRoot(name, label);
  const row = document.createElement('span');
  row.className = 'control inline';
  const input = document.createElement('input');
  Object.assign(input, { type: 'range', min: String(min), max: String(max), step: String(step) });
  const output = document.createElement('output');
  row.append(input, output);
  element.append(row);
  input.addEventListener('input', () => {
    output.value = input.value;
    onInput(Number(input.value));
  });
  return {
    element,
    input,
    read: () => Number(input.value),
    write(value) {
      if (input.value === String(value) && output.value === String(value)) return;
      input.value = String(value);
      output.value = String(value);
      input.setAttribute('aria-valuetext', String(value));
    },
  };
}

/** A number field; out-of-range or fractional entries are reported, not applied. */
export function numberControl({ name, label, min, max, onInput, t = pageTranslator() }) {
  const element = controlRoot(name, label);
  const input = document.createElement('input');
  Object.assign(input, { type: 'number', min: String(min), max: String(max), step: '1' });
  element.append(input);
  input.addEventListener('change', () => {
    const value = Number(input.value);
    const valid = Number.isInteger(value) && value >= min && value <= max;
    input.setCustomValidity(valid ? '' : t('shared.integer-range', { name: label, min, max }));
    if (valid) onInput(value);
    else input.reportValidity();
  });
  return {
    element,
    input,
    read: () => Number(input.value),
    write(value) {
      if (document.activeElement !== input || Number(input.value) !== value) input.value = String(value);
    },
  };
}

/** A table from header names and rows of cell texts; `textColumns` are left-aligned. */
export function table(headers, rows, textColumns = new Set([0])) {
  const cell = (tag, text, column) => h(tag, textColumns.has(column) ? 'text' : '', text);
  return h(
    'div',
    'scroll',
    h(
      'table',
      '',
      h('thead', '', h('tr', '', ...headers.map((text, column) => cell('th', text, column)))),
      h('tbody', '', ...rows.map((row) => h('tr', '', ...row.map((text, column) => cell('td', String(text), column))))),
    ),
  );
}

/** A select of [value, text] options; values are strings. */
export function selectControl({ name, label, options, onInput }) {
  const element = controlRoot(name, label);
  const input = document.createElement('select');
  input.append(...options.map(([value, text]) => new Option(text, value)));
  element.append(input);
  input.addEventListener('change', () => onInput(input.value));
  return {
    element,
    input,
    read: () => input.value,
    write(value) {
      if (input.value !== String(value)) input.value = String(value);
    },
  };
}

export function checkboxControl({ name, label, onInput }) {
  const element = controlRoot(name, label, true);
  const input = document.createElement('input');
  input.type = 'checkbox';
  element.prepend(input);
  input.addEventListener('change', () => onInput(input.checked));
  return {
    element,
    input,
    read: () => input.checked,
    write(value) {
      if (input.checked !== Boolean(value)) input.checked = Boolean(value);
    },
  };
}

/**
 * A button with text and an accessible name. A glyph button (◀, ▶) is named by `label`; a button
 * with words keeps them as its name (speech users say what they see, WCAG 2.5.3) and `label`
 * becomes its tooltip and description.
 */
export function button(text, label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  if (label && label !== text) {
    if (/\p{L}{2}/u.test(text)) element.title = label;
    else element.setAttribute('aria-label', label);
  }
  element.addEventListener('click', onClick);
  return element;
}

/** Replaces an element's text lines (one div or p each) only when they changed: no needless layout. */
export function setLines(element, lines, tag = 'div') {
  const text = lines.join('\n');
  if (element.dataset.lines === text) return;
  element.dataset.lines = text;
  element.replaceChildren(...lines.map((line) => h(tag, '', line)));
}

const TERM_STEP_MS = 45; // one product appears after the other…
const TERMS_TOTAL_MS = 600; // …and the whole sum within this, however many taps

/**
 * setLines for a step's sums: when `slow` (stepping by hand or slow play), the products of
 * "output[i, j] = a·w + b·v + … = s" appear term by term, then the sum (a CSS animation the
 * reduced-motion style removes). The text is all there at once for screen readers and tests.
 */
export function setTermLines(element, lines, slow) {
  const text = lines.join('\n');
  if (element.dataset.lines === text) return;
  element.dataset.lines = text;
  element.replaceChildren(...lines.map((line) => h('div', '', ...(slow ? termSpans(line) : [line]))));
}

function termSpans(line) {
  const parts = /^(.+? = )(.+ \+ .+)( = [^=]+)$/.exec(line);
  if (!parts) return [line];
  const [, head, sum, result] = parts;
  const terms = sum.split(' + ');
  const stepMs = Math.min(TERM_STEP_MS, TERMS_TOTAL_MS / (terms.length + 1));
  const appearing = (text, order) => {
    const span = h('span', 'term', text);
    span.style.setProperty('--term-delay', `${Math.round(order * stepMs)}ms`);
    return span;
  };
  const nodes = [head];
  terms.forEach((term, order) => nodes.push(...(order ? [' + '] : []), appearing(term, order)));
  nodes.push(appearing(result, terms.length));
  return nodes;
}

/** Sets textContent only when it changed. */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** Builds an element with a class and children in one call. */
export function h(tag, className = '', ...children) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.append(...children);
  return element;
}

/**
 * Step buttons (first, previous, play/pause, next) and a speed select, bound to a Stepper.
 * @returns {{ element: HTMLElement, sync: () => void }} call sync() after the stepper changed
 */
export function transport(stepper, speeds, label, t = pageTranslator()) {
  const first = button(GLYPHS.first, t('shared.first-step'), () => stepper.perform('first'));
  const previous = button(GLYPHS.previous, t('shared.previous-step'), () => stepper.perform('prev'));
  const playText = (playing) =>
    playing ? `${GLYPHS.pause} ${t('shared.pause')}` : `${GLYPHS.play} ${t('shared.play')}`;
  const play = button(playText(false), t('shared.play'), () => stepper.perform('toggle-play'));
  const next = button(GLYPHS.next, t('shared.next-step'), () => stepper.perform('next'));
  const speed = selectControl({
    name: 'speed',
    label: t('shared.speed'),
    options: speeds.map((value) => [String(value), t('shared.steps-per-second', { count: value })]),
    onInput: (value) => stepper.setSpeed(Number(value)),
  });
  speed.write(stepper.stepsPerSecond);
  const position = h('span', 'note');
  const element = h('div', 'transport', first, previous, play, next, position, speed.element);
  element.dataset.control = 'transport';
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', label);
  return {
    element,
    sync() {
      play.textContent = playText(stepper.playing);
      play.setAttribute('aria-label', t(stepper.playing ? 'shared.pause' : 'shared.play'));
      play.setAttribute('aria-pressed', String(stepper.playing));
      position.textContent = t('shared.step-of', { index: stepper.index + 1, count: stepper.count });
      first.disabled = previous.disabled = stepper.index === 0;
      next.disabled = stepper.index >= stepper.count - 1;
    },
  };
}

/** "Show the code": a copyable line of PyTorch. */
export function codeRow(caption = 'PyTorch', t = pageTranslator()) {
  const code = h('code', '');
  const pre = h('pre', 'code', code);
  const status = h('span', 'note');
  status.setAttribute('aria-live', 'polite');
  const copy = button(t('shared.copy'), t('shared.copy-code'), async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      status.textContent = t('shared.copied');
    } catch {
      getSelection()?.selectAllChildren(code); // clipboard refused (no permission): select it instead
      status.textContent = t('shared.selected-copy');
    }
  });
  const element = h('div', 'code-row', h('span', 'caption', caption), pre, copy, status);
  element.dataset.control = 'code';
  element.setAttribute('part', 'code');
  return {
    element,
    set(text) {
      if (code.textContent !== text) {
        code.textContent = text;
        status.textContent = '';
      }
    },
  };
}

/** A legend of cell marks: [[marks, text]], each swatch painted by the grid's own paintCell. */
export function legend(items) {
  const list = h('ul', 'legend');
  const swatches = items.map(([marks, text]) => {
    const swatch = document.createElement('canvas');
    swatch.setAttribute('aria-hidden', 'true');
    list.append(h('li', '', swatch, text));
    return { swatch, marks };
  });
  list.dataset.control = 'legend';
  list.repaint = () => {
    // in the shadow tree, the swatches read the page's theme
    for (const { swatch, marks } of swatches) {
      const ratio = globalThis.devicePixelRatio || 1;
      swatch.width = swatch.height = Math.round(SIZES.legendSwatchPx * ratio);
      const context = swatch.getContext('2d');
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      paintCell(context, paintKit(context, themeColors(swatch)), { marks }, 0, 0, SIZES.legendSwatchPx, false);
    }
  };
  list.repaintTheme = list.repaint;
  followTheme(list);
  queueMicrotask(list.repaint);
  return list;
}

/**
 * A titled panel holding a grid (or anything) with a caption line under it. A grid brings its
 * colour scale and its table view (the text alternative) along.
 */
export function panel(title, content, partName) {
  const heading = h('h3', 'panel-title', title);
  const caption = h('p', 'note');
  const grid = content.gridView;
  const element = grid
    ? h(
        'div',
        'panel',
        heading,
        grid.scroller,
        grid.scaleElement,
        caption,
        h('div', 'grid-tools', grid.zoomButton, grid.tableView()),
      )
    : h('div', 'panel', heading, content, caption);
  if (partName) element.setAttribute('part', partName);
  return { element, heading, caption };
}
