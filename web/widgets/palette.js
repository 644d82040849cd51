// Visual constants of every widget, in one place: colours, sizes, fonts and timing.
//
// Colours are the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), chosen to
// stay distinguishable with the common colour-vision deficiencies. No meaning is carried by
// colour alone: every mark also has a shape (border style, hatching or a glyph), see GLYPHS.
//
// Each colour is exposed to pages as a CSS custom property (`--cnn-<name>`), so a course page
// can re-theme every widget from outside the shadow roots.

export const COLORS = {
  ink: '#1a1a1a',          // text and positive values
  paper: '#ffffff',        // background
  muted: '#6b6b6b',        // secondary text, zeros of padding
  rule: '#d0d0d0',         // grid lines
  accent: '#0072B2',       // blue: buttons, the current output cell
  window: '#E69F00',       // orange: input cells under the current window
  fed: '#56B4E9',          // sky blue: output cells one input cell fed
  winner: '#D55E00',       // vermillion: the winner of a max-pool window
  negative: '#0072B2',     // blue: heat-map tint of negative values
  unseen: '#CC79A7',       // reddish purple: input cells no window ever reads
  padding: '#F0E442',      // yellow: padding cells
  reached: '#009E73',      // bluish green: input pixels inside a receptive field
  error: '#D55E00',        // vermillion: an invalid setting
};

/** Shapes that double every colour-coded mark, for readers who cannot tell the colours apart. */
export const GLYPHS = {
  winner: '★',
  first: '|◀',
  previous: '◀',
  next: '▶',
  play: '▶ Play',
  pause: '❚❚ Pause',
};

export const SIZES = {
  cellPx: 34,          // preferred grid cell edge
  minLabelledCellPx: 22, // below this a cell shows colour only; its value stays in the tooltip
  maxGridPx: 480,      // a grid never grows wider than this on a wide screen
  canvasPx: 360,       // receptive-field canvas edge
  legendSwatchPx: 18,
  plotWidthPx: 360,
  plotHeightPx: 200,
};

export const FONTS = {
  body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  mono: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
};

/** Play speeds offered by the steppers, in steps per second. */
export const PLAY_SPEEDS = [1, 2, 4, 8];
export const DEFAULT_PLAY_SPEED = 2;

/** Significant decimals shown in grid cells and sums. */
export const DISPLAY_DECIMALS = 2;

/** The custom properties a page may set, with their defaults (documented in web/widgets/README.md). */
export const CUSTOM_PROPERTIES = {
  '--cnn-font': FONTS.body,
  '--cnn-mono': FONTS.mono,
  ...Object.fromEntries(Object.entries(COLORS).map(([name, value]) => [`--cnn-${name}`, value])),
};
