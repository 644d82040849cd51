// The style sheet shared by every widget's shadow root, built from palette.js.
// A constructed CSSStyleSheet (adoptedStyleSheets) needs no inline <style>, so the widgets
// run under a Content-Security-Policy with `style-src 'self'`.
import { CUSTOM_PROPERTIES, SIZES } from './palette.js';

const hostDefaults = Object.entries(CUSTOM_PROPERTIES)
  .map(([name, value]) => `${name.replace('--cnn-', '--default-')}: ${value};`)
  .join('\n  ');

/** var(--cnn-x) with the palette default as fallback: pages override --cnn-x on any ancestor. */
const themed = (name) => `var(--cnn-${name}, var(--default-${name}))`;

const SHARED_CSS = `
:host {
  ${hostDefaults}
  display: block;
  font-family: ${themed('font')};
  color: ${themed('ink')};
  background: ${themed('paper')};
  line-height: 1.4;
  max-width: 100%;
  overflow-wrap: break-word;
}
:host([hidden]) { display: none; }
:host(:focus-visible) { outline: 2px solid ${themed('accent')}; outline-offset: 2px; }
* { box-sizing: border-box; }
[hidden], .not-applicable { display: none !important; }
.concealed { visibility: hidden; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;
}
.loading { color: ${themed('muted')}; font-style: italic; }

/* controls */
.controls { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: end; margin: 0 0 0.6rem; }
.control { display: inline-flex; flex-direction: column; font-size: 0.85rem; gap: 0.1rem; }
.control.inline { flex-direction: row; align-items: center; gap: 0.3rem; }
.control output { font-family: ${themed('mono')}; }
.control[aria-disabled="true"] { opacity: 0.55; }
select, input, button { font: inherit; font-size: 0.9rem; }
select { max-width: 100%; }
.control { max-width: 100%; }
input[type="range"] { width: 7rem; }
.control input[type="number"] { width: 5.5rem; }
button {
  border: 1px solid ${themed('accent')}; background: ${themed('paper')}; color: ${themed('accent')};
  border-radius: 4px; padding: 0.15rem 0.55rem; cursor: pointer; min-height: 1.9rem;
}
button:hover:not(:disabled) { background: color-mix(in srgb, ${themed('accent')} 12%, ${themed('paper')}); }
button[aria-pressed="true"] { background: ${themed('accent')}; color: ${themed('paper')}; }
button:disabled { opacity: 0.5; cursor: default; }
.transport { display: flex; gap: 0.3rem; align-items: center; flex-wrap: wrap; }

/* layout */
.panels { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.panel { min-width: 0; max-width: 100%; }
.panel h4, .caption { margin: 0 0 0.25rem; font-size: 0.85rem; font-weight: 600; }
.panel > .note { width: 0; min-width: 100%; } /* captions wrap to the grid's width instead of widening it */
.summary { font-size: 0.9rem; margin: 0.4rem 0; }
.note { font-size: 0.85rem; color: ${themed('muted')}; margin: 0.3rem 0; }
.math { font-family: ${themed('mono')}; font-size: 0.85rem; overflow-x: auto; white-space: pre-wrap; }
.error {
  border-left: 4px solid ${themed('error')}; padding: 0.3rem 0.6rem; margin: 0.4rem 0;
  background: color-mix(in srgb, ${themed('error')} 10%, ${themed('paper')});
}
.error::before { content: "✗ "; font-weight: 700; color: ${themed('error')}; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { padding: 0.15rem 0.5rem; text-align: right; border-bottom: 1px solid ${themed('rule')}; white-space: nowrap; }
td.text { white-space: normal; min-width: 9rem; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
tr[aria-current="true"] td { background: color-mix(in srgb, ${themed('accent')} 12%, ${themed('paper')}); }
.scroll { overflow-x: auto; max-width: 100%; }
code, pre { font-family: ${themed('mono')}; }
pre.code {
  margin: 0; padding: 0.4rem 0.6rem; background: color-mix(in srgb, ${themed('ink')} 6%, ${themed('paper')});
  border-radius: 4px; overflow-x: auto; font-size: 0.85rem;
}
.code-row { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.5rem; flex-wrap: wrap; }
details { font-size: 0.85rem; margin: 0.3rem 0; }
summary { cursor: pointer; color: ${themed('accent')}; }

/* grids (grid.js paints the cells on a canvas) */
.grid-frame { position: relative; overflow: hidden; }
.grid-frame canvas { display: block; }
.grid-frame canvas.clickable { cursor: pointer; }
.grid-frame:focus-visible { outline: 2px solid ${themed('accent')}; outline-offset: 2px; }
.cell-editor {
  position: absolute; border: 2px solid ${themed('accent')}; background: ${themed('paper')};
  font: 14px ${themed('mono')}; text-align: center; padding: 0; z-index: 2;
}
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; font-size: 0.8rem; margin: 0.4rem 0; padding: 0; list-style: none; }
.legend li { display: inline-flex; gap: 0.3rem; align-items: center; }
.legend canvas { width: ${SIZES.legendSwatchPx}px; height: ${SIZES.legendSwatchPx}px; border: 1px solid ${themed('rule')}; }
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
