// The style sheet shared by every widget's shadow root, built from palette.js.
// A constructed CSSStyleSheet (adoptedStyleSheets) needs no inline <style>, so the widgets
// run under a Content-Security-Policy with `style-src 'self'`.
import { CUSTOM_PROPERTIES, DARK_COLORS, MOTION, SIZES } from './palette.js';

// The theme's defaults live in --default-<name>; a page's --cnn-<name> wins over them (themed()).
const declarations = (entries) =>
  entries.map(([name, value]) => `${name.replace('--cnn-', '--default-')}: ${value};`).join('\n  ');
const lightDefaults = declarations(Object.entries(CUSTOM_PROPERTIES));
const darkDefaults = declarations(Object.entries(DARK_COLORS).map(([name, value]) => [`--cnn-${name}`, value]));

/** var(--cnn-x) with the theme's default as fallback: pages override --cnn-x on any ancestor. */
const themed = (name) => `var(--cnn-${name}, var(--default-${name}))`;
const tint = (name, percent) => `color-mix(in srgb, ${themed(name)} ${percent}%, ${themed('paper')})`;

const SHARED_CSS = `
:host {
  ${lightDefaults}
  color-scheme: light;
  --space-1: 0.25rem; --space-2: 0.5rem; --space-3: 0.75rem; --space-4: 1rem;
  --text-small: 0.8125rem; --text-body: 0.9375rem;
  --target: 1.75rem;    /* touch targets: 28 px, above WCAG 2.2's 24 */
  --radius: 6px;
  display: block;
  font-family: ${themed('font')};
  font-size: var(--text-body);
  color: ${themed('ink')};
  background: ${themed('paper')};
  line-height: 1.45;
  max-width: 100%;
  overflow-wrap: break-word;
}
/* Dark from the reader's setting; a theme="light|dark" attribute on the page root, an ancestor or
   the widget itself overrides it (the nearest wins; :host-context is Chromium's, one rule each). */
@media (prefers-color-scheme: dark) { :host { ${darkDefaults} color-scheme: dark; } }
:host-context([theme="light"]) { ${lightDefaults} color-scheme: light; }
:host-context([theme="dark"]) { ${darkDefaults} color-scheme: dark; }
:host([theme="light"]) { ${lightDefaults} color-scheme: light; }
:host([theme="dark"]) { ${darkDefaults} color-scheme: dark; }
:host([hidden]) { display: none; }
:host(:focus-visible) { outline: 2px solid ${themed('accent')}; outline-offset: 2px; }
* { box-sizing: border-box; }
[hidden], .not-applicable { display: none !important; }
.concealed { visibility: hidden; }
/* A concealed box keeps its place (nothing jumps on reveal) and says why it is empty; its text
   (data-concealed) comes from base-element.js. */
:is(div, figure, section).concealed { position: relative; }
:is(div, figure, section).concealed::after {
  content: attr(data-concealed); visibility: visible; position: absolute; inset: 0;
  display: grid; place-items: center; padding: 0.5rem; text-align: center;
  border: 1px dashed ${themed('muted')}; border-radius: 6px; color: ${themed('muted')}; font-size: 0.85rem;
}
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;
}
.loading { color: ${themed('muted')}; font-style: italic; }
:focus-visible { outline: 2px solid ${themed('accent')}; outline-offset: 2px; }

/* controls: one look for selects, sliders, number fields, checkboxes and buttons */
.controls {
  display: flex; flex-wrap: wrap;
  gap: var(--space-2) var(--space-4); align-items: end; margin: 0 0 var(--space-3);
  padding: var(--space-3); border-radius: var(--radius); background: ${tint('ink', 4)};
}
.control { display: flex; flex-direction: column; flex: 1 1 auto; font-size: var(--text-small); gap: 0.15rem; max-width: min(100%, 20rem); min-width: 7rem; color: ${themed('muted')}; }
.control .control { flex: none; min-width: 0; max-width: 100%; }
.control > span:first-child { font-weight: 600; }
.control.inline { flex-direction: row; align-items: center; gap: var(--space-2); min-height: var(--target); color: ${themed('ink')}; }
.control output { font-family: ${themed('mono')}; color: ${themed('ink')}; min-width: 1.5em; text-align: right; font-size: var(--text-body); }
.control[aria-disabled="true"] { opacity: 0.55; }
select, input, button { font: inherit; font-size: var(--text-body); color: ${themed('ink')}; }
select, input[type="number"], input:not([type]), input[type="text"] {
  min-height: var(--target); max-width: 100%; padding: 0.15rem 0.5rem;
  border: 1px solid ${tint('ink', 45)}; border-radius: var(--radius); background-color: ${themed('paper')};
}
select {
  appearance: none; padding-right: 1.6rem; width: 100%; text-overflow: ellipsis;
  background-image: linear-gradient(45deg, transparent 50%, currentColor 50%), linear-gradient(135deg, currentColor 50%, transparent 50%);
  background-position: right 0.8rem center, right 0.5rem center; background-size: 0.3rem 0.3rem; background-repeat: no-repeat;
}
select:hover:not(:disabled), input:hover:not(:disabled) { border-color: ${themed('accent')}; }
select:disabled, input:disabled { opacity: 0.5; cursor: not-allowed; }
input[type="range"] { width: 100%; min-width: 5rem; height: var(--target); margin: 0; accent-color: ${themed('accent')}; cursor: pointer; background: transparent; }
input[type="checkbox"] { width: 1.5rem; height: 1.5rem; flex: none; margin: 0; accent-color: ${themed('accent')}; }
.control.inline input[type="checkbox"] { margin: 0.125rem; }
.control input[type="number"] { width: 100%; font-family: ${themed('mono')}; }
button {
  border: 1px solid ${themed('accent')}; background: ${themed('paper')}; color: ${themed('accent')};
  border-radius: var(--radius); padding: 0.2rem 0.7rem; cursor: pointer; min-height: var(--target); min-width: var(--target);
  font-weight: 600; transition: background-color 120ms;
}
button:hover:not(:disabled) { background: ${tint('accent', 14)}; }
button:active:not(:disabled) { background: ${tint('accent', 26)}; }
button[aria-pressed="true"] { background: ${themed('accent')}; color: ${themed('paper')}; }
button:disabled { opacity: 0.45; cursor: not-allowed; border-style: dashed; }
.transport { display: flex; gap: var(--space-2); align-items: center; flex-wrap: wrap; margin: 0 0 var(--space-3); }
.transport .control { flex-direction: row; align-items: center; gap: var(--space-2); }
.transport select, td select { width: auto; }
.transport .control { flex: none; min-width: 0; }

/* layout */
.panels { display: flex; flex-wrap: wrap; gap: var(--space-4) 1.25rem; align-items: flex-start; position: relative; }
svg.links { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; pointer-events: none; z-index: 0; } /* under the grids: seen between them */
svg.links line { stroke: ${themed('window')}; stroke-width: 1.25; stroke-dasharray: 4 3; opacity: 0.75; }
.panel { min-width: 0; max-width: 100%; }
.panel-title, .panel h4, .caption { margin: 0 0 var(--space-1); font-size: var(--text-small); font-weight: 700; letter-spacing: 0.01em; }
.panel > .note, .panel > .color-scale, .panel > .grid-tools { width: 0; min-width: 100%; }
.grid-scroll { max-width: 100%; overflow: auto; overscroll-behavior-x: contain; }
.grid-tools { display: flex; flex-wrap: wrap; gap: 0 var(--space-3); align-items: flex-start; }
button.zoom { font-size: 0.75rem; min-height: 1.5rem; font-weight: 400; padding: 0 0.5rem; } /* wrap to the grid's width instead of widening it */
h3, h4 { font-size: var(--text-body); margin: var(--space-3) 0 var(--space-1); }
.summary { font-size: var(--text-body); margin: var(--space-2) 0; }
.note { font-size: var(--text-small); color: ${themed('muted')}; margin: var(--space-1) 0; }
.math {
  font-family: ${themed('mono')}; font-size: var(--text-small); overflow-x: auto; white-space: pre-wrap;
  padding: var(--space-2) var(--space-3); border-left: 3px solid ${themed('window')}; background: ${tint('window', 8)};
  border-radius: 0 var(--radius) var(--radius) 0;
}
.math:empty { display: none; }
.math .term { animation: term-in 160ms ease-out both; animation-delay: var(--term-delay, 0ms); }
@keyframes term-in { from { opacity: 0; } }
.error {
  border-left: 4px solid ${themed('error')}; padding: 0.3rem 0.6rem; margin: 0.4rem 0;
  background: ${tint('error', 10)};
}
.error::before { content: "✗ "; font-weight: 700; color: ${themed('error')}; }
table { border-collapse: collapse; font-size: var(--text-small); font-variant-numeric: tabular-nums; }
caption { text-align: left; font-size: var(--text-small); color: ${themed('muted')}; padding: var(--space-1) 0; }
th, td { padding: 0.2rem 0.5rem; text-align: right; border-bottom: 1px solid ${themed('rule')}; white-space: nowrap; }
td.text { white-space: normal; min-width: 9rem; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
tr[aria-current="true"] td { background: ${tint('accent', 14)}; }
/* A cell tinted inline (the lab's confusion matrix: light tints up to full green or vermillion)
   reads in black in both themes: 5.6:1 or more on every such tint, where white on green was 3.3. */
td[style*="background"] { color: #000; }
.scroll { overflow-x: auto; max-width: 100%; }
/* A figure (the lab's confusion matrix) may shrink below its table's width: the table scrolls in its .scroll box. */
figure { margin: 0; min-width: 0; max-width: 100%; }
code, pre { font-family: ${themed('mono')}; }
pre.code {
  margin: 0; padding: 0.4rem 0.6rem; background: ${tint('ink', 7)};
  border-radius: var(--radius); font-size: var(--text-small); max-width: 100%;
  white-space: pre-wrap; overflow-wrap: anywhere; /* wraps rather than scrolls: no unfocusable scroll box */
}
.code-row { display: flex; gap: var(--space-2); align-items: center; margin-top: var(--space-2); flex-wrap: wrap; }
.code-row > pre { flex: 1 1 12rem; min-width: 0; }
details { font-size: var(--text-small); margin: var(--space-1) 0; }
summary { cursor: pointer; color: ${themed('accent')}; min-height: var(--target); display: flex; align-items: center; font-weight: 600; }
summary::before { content: "▸"; margin-right: 0.35rem; transition: transform 120ms; }
details[open] > summary::before { transform: rotate(90deg); }
summary::-webkit-details-marker { display: none; }
summary { list-style: none; }

/* grids (grid.js paints the cells on a canvas) */
.grid-frame { position: relative; overflow: hidden; border-radius: 2px; }
.grid-frame canvas { display: block; }
.grid-frame canvas.clickable { cursor: pointer; }
.grid-frame:focus-visible { outline: 2px solid ${themed('accent')}; outline-offset: 2px; }
.grid-overlay {
  position: absolute; left: 0; top: 0; pointer-events: none; box-sizing: border-box;
  transition: transform ${MOTION.tweenMs}ms ${MOTION.easing}, width ${MOTION.tweenMs}ms ${MOTION.easing}, height ${MOTION.tweenMs}ms ${MOTION.easing};
}
.grid-overlay.instant { transition: none; }
.window-frame { border: 3px solid ${themed('window')}; border-radius: 3px; box-shadow: 0 0 0 1px ${themed('paper')}, 0 2px 8px color-mix(in srgb, ${themed('window')} 45%, transparent); }
.cell-frame { border: 3px solid ${themed('window')}; border-radius: 3px; box-shadow: 0 0 0 1px ${themed('paper')}, 0 0 0 5px color-mix(in srgb, ${themed('window')} 30%, transparent); }
@media (max-width: 480px) {
  .controls > .control { flex-basis: 8rem; }
}
@media (prefers-reduced-motion: reduce) {
  .grid-overlay, button, summary::before { transition: none; }
  .math .term { animation: none; }
}
.cell-editor {
  position: absolute; border: 2px solid ${themed('accent')}; background: ${themed('paper')};
  font: 14px ${themed('mono')}; text-align: center; padding: 0; z-index: 2;
}
.color-scale { margin: var(--space-1) 0 0; font-size: 0.75rem; font-family: ${themed('mono')}; }
.color-scale canvas { display: block; width: 100%; height: 8px; border: 1px solid ${themed('rule')}; border-radius: 2px; }
.color-scale div { display: flex; justify-content: space-between; gap: var(--space-1); line-height: 1.3; }
.table-view td.marked { font-weight: 700; text-decoration: underline; }
.table-view > summary { font-weight: 400; font-size: 0.75rem; min-height: 1.5rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; font-size: var(--text-small); margin: var(--space-3) 0 0; padding: var(--space-2) 0 0; list-style: none; border-top: 1px solid ${themed('rule')}; }
.legend li { display: inline-flex; gap: 0.3rem; align-items: center; }
.legend canvas { width: ${SIZES.legendSwatchPx}px; height: ${SIZES.legendSwatchPx}px; border: 1px solid ${themed('rule')}; }

/* print: the figures and formulas stay, the controls go */
@media print {
  :host, :host([theme="dark"]), :host-context([theme="dark"]) { ${lightDefaults} color-scheme: light; }
  .controls, .transport, .code-row button, .grid-tools, details:not([open]), .grid-overlay, svg.links { display: none !important; }
  .panels, .panel { break-inside: avoid; }
}
`;

let sharedSheet = null;

/** One CSSStyleSheet object shared by every shadow root (parsed once per page). */
export function sharedStyleSheet() {
  if (!sharedSheet) {
    sharedSheet = new CSSStyleSheet();
    sharedSheet.replaceSync(SHARED_CSS);
  }
  return sharedSheet;
}

/** A widget's own sheet, parsed once per class. */
export function styleSheet(css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}
