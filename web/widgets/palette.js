// Visual constants of every widget, in one place: colours (light and dark), the two colour
// maps, sizes, fonts and timing. DOM-free: the contrast test (tests/widgets-palette.test.mjs)
// computes from these tables what the canvas will draw.
//
// Marks use the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), chosen to stay
// distinguishable with the common colour-vision deficiencies. No meaning is carried by colour
// alone: every mark also has a shape (ring, dashes, hatching, a corner glyph), see GLYPHS.
//
// Two colour maps, each with its legend on the grid that uses it:
//   sequential  paper → ink, for grids whose values are all ≥ 0 (an image, a count)
//   diverging   negative (blue) ← paper at zero → positive (red), for signed values (weights,
//               most outputs); negative cells too small for a number also carry a minus bar.
// A number drawn on a cell is black or white, whichever contrasts more with the fill: that
// choice reaches 4.58:1 on any fill (WCAG AA asks 4.5). Padding zeros are muted where that
// keeps 4.5:1 on both colours of the hatching, else ink. Marks keep 3:1 on paper (WCAG 1.4.11).
//
// Each colour is exposed to pages as a CSS custom property (`--cnn-<name>`), so a course page
// can re-theme every widget from outside the shadow roots.

export const COLORS = {
  ink: '#1a1a1a', // text and the top of the sequential map
  paper: '#ffffff', // background
  muted: '#595959', // secondary text, zeros of padding
  rule: '#c9c9c9', // grid lines
  accent: '#0072B2', // blue: buttons, the current output cell
  window: '#C27400', // orange (Okabe–Ito's, darkened to 3:1 on paper): the window and its output cell
  fed: '#2E8BC0', // sky blue (darkened to 3:1): output cells one input cell fed
  winner: '#D55E00', // vermillion: the winner of a max-pool window
  negative: '#2166AC', // blue end of the diverging map
  positive: '#B2182B', // red end of the diverging map
  unseen: '#CC79A7', // reddish purple: input cells no window ever reads
  padding: '#F0E442', // yellow: padding cells
  reached: '#009E73', // bluish green: input pixels inside a receptive field
  error: '#D55E00', // vermillion: an invalid setting
};

/** The dark theme: the same roles, lifted so that marks and text keep their contrast on a dark paper. */
export const DARK_COLORS = {
  ink: '#e8e8e8',
  paper: '#16181d',
  muted: '#a6a6a6',
  rule: '#3d424b',
  accent: '#56B4E9',
  window: '#E69F00',
  fed: '#9ad3f5',
  winner: '#ff7a3d',
  negative: '#4393C3',
  positive: '#D6604D',
  unseen: '#CC79A7',
  padding: '#8a8030',
  reached: '#2fc79a',
  error: '#ff7a3d',
};

export const THEMES = { light: COLORS, dark: DARK_COLORS };

/** Shapes that double every colour-coded mark, for readers who cannot tell the colours apart. */
export const GLYPHS = {
  winner: '★',
  first: '|◀',
  previous: '◀',
  next: '▶',
  play: '▶', // the button adds the word, in the widget's language
  pause: '❚❚',
};

export const SIZES = {
  cellPx: 34, // preferred grid cell edge
  minLabelledCellPx: 22, // below this a cell shows colour only; its value stays in the tooltip and the table view
  maxGridPx: 480, // a grid never grows wider than this: input and output stay side by side (zoom shows a big grid's numbers)
  canvasPx: 360, // receptive-field canvas edge
  legendSwatchPx: 18,
  colorBarPx: 120, // width of a colour map's legend bar
  plotWidthPx: 360,
  plotHeightPx: 200,
};

export const FONTS = {
  body: 'system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
  mono: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
};

/** Motion: a window or square moving to its next place. Under prefers-reduced-motion it jumps. */
export const MOTION = {
  tweenMs: 200,
  easing: 'cubic-bezier(0.2, 0, 0, 1)',
};

/** Play speeds offered by the steppers, in steps per second. */
export const PLAY_SPEEDS = [1, 2, 4, 8];
export const DEFAULT_PLAY_SPEED = 2;

/** Significant decimals shown in grid cells and sums. */
export const DISPLAY_DECIMALS = 2;

/** How far the colour maps go from paper towards their end colour at |heat| = 1. */
export const MAP_STRENGTH = 0.9;

/** How much of the padding colour its hatching stripes carry (over paper). */
export const PADDING_STRIPE = 0.6;

/** The size label drawn on the receptive-field canvas: `text` on `fill` (theme colour names), ≥ 4.5:1 in both themes. */
export const FIELD_LABEL = { text: 'ink', fill: 'paper', fontPx: 13, heightPx: 20, paddingPx: 6 };

/** The two colours a number on a cell can take. */
export const CELL_TEXT = { dark: [0, 0, 0], light: [255, 255, 255] };

/** The custom properties a page may set, with their defaults (documented in web/widgets/README.md). */
export const CUSTOM_PROPERTIES = {
  '--cnn-font': FONTS.body,
  '--cnn-mono': FONTS.mono,
  ...Object.fromEntries(Object.entries(COLORS).map(([name, value]) => [`--cnn-${name}`, value])),
};

// ---- colour arithmetic (sRGB, WCAG 2.x definitions) -----------------------------------

/** '#rrggbb' → [r, g, b] in 0…255. */
export function hexToRgb(hex) {
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
}

/** [r, g, b] of `amount` of the first colour over the second. */
export function mix([r1, g1, b1], [r2, g2, b2], amount) {
  return [
    Math.round(r1 * amount + r2 * (1 - amount)),
    Math.round(g1 * amount + g2 * (1 - amount)),
    Math.round(b1 * amount + b2 * (1 - amount)),
  ];
}

/** Relative luminance: L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels. */
export function luminance(rgb) {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio (L_lighter + 0.05) / (L_darker + 0.05), from 1 to 21. */
export function contrastRatio(first, second) {
  const [a, b] = [luminance(first), luminance(second)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

/**
 * The fill of a cell with heat in [−1, 1]: sequential (paper → ink, negatives clamped to paper)
 * or diverging (negative ← paper → positive). Colours are [r, g, b].
 */
export function mapColor(colors, heat, signed) {
  const amount = MAP_STRENGTH * Math.min(1, Math.abs(heat));
  if (!signed) return mix(colors.ink, colors.paper, Math.max(0, heat) * MAP_STRENGTH);
  return mix(heat < 0 ? colors.negative : colors.positive, colors.paper, amount);
}

/** Black or white, whichever reads better on `fill`. */
export function textColorOn(fill) {
  return contrastRatio(CELL_TEXT.dark, fill) >= contrastRatio(CELL_TEXT.light, fill) ? CELL_TEXT.dark : CELL_TEXT.light;
}

/** The stripe colour of the padding hatching. */
export function paddingStripe(colors) {
  return mix(colors.padding, colors.paper, PADDING_STRIPE);
}

/** The padding zeros' colour: muted if it reads at 4.5:1 on stripe and paper alike, else ink. */
export function paddingTextColor(colors) {
  const stripe = paddingStripe(colors);
  const worst = (color) => Math.min(contrastRatio(color, stripe), contrastRatio(color, colors.paper));
  return worst(colors.muted) >= 4.5 ? colors.muted : colors.ink;
}

/** Every colour of a theme as [r, g, b] (the theme's values are '#rrggbb'). */
export function rgbTheme(theme) {
  return Object.fromEntries(Object.entries(theme).map(([name, value]) => [name, hexToRgb(value)]));
}
