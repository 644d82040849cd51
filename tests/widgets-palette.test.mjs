// The palette, checked by arithmetic on the colours the canvas will draw (palette.js is the
// one source of them): every number on a cell of either colour map reaches 4.5:1 (WCAG AA),
// padding zeros too, and marks reach 3:1 on paper (WCAG 1.4.11), in both themes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  THEMES,
  CUSTOM_PROPERTIES,
  rgbTheme,
  mapColor,
  textColorOn,
  contrastRatio,
  paddingStripe,
  paddingTextColor,
  hexToRgb,
} from '../web/widgets/palette.js';

const HEAT_STEPS = 100;
const TEXT_CONTRAST = 4.5;
const MARK_CONTRAST = 3;

test('contrast ratio follows WCAG: black on white is 21, a colour on itself 1', () => {
  assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(contrastRatio(hexToRgb('#777777'), hexToRgb('#777777')), 1);
  assert.ok(Math.abs(contrastRatio(hexToRgb('#767676'), [255, 255, 255]) - 4.54) < 0.01);
});

for (const [themeName, theme] of Object.entries(THEMES)) {
  const colors = rgbTheme(theme);

  for (const signed of [false, true]) {
    test(`${themeName} theme, ${signed ? 'diverging' : 'sequential'} map: the number on every shade reads at ≥ ${TEXT_CONTRAST}:1`, () => {
      const failures = [];
      for (let step = -HEAT_STEPS; step <= HEAT_STEPS; step++) {
        const fill = mapColor(colors, step / HEAT_STEPS, signed);
        const ratio = contrastRatio(textColorOn(fill), fill);
        if (ratio < TEXT_CONTRAST) failures.push(`heat ${step / HEAT_STEPS}: ${ratio.toFixed(2)}`);
      }
      assert.deepEqual(failures, []);
    });
  }

  test(`${themeName} theme: the diverging map tells the sign apart and is paper at zero`, () => {
    assert.deepEqual(mapColor(colors, 0, true), colors.paper);
    const [negative, positive] = [mapColor(colors, -1, true), mapColor(colors, 1, true)];
    assert.ok(negative[2] > negative[0] && positive[0] > positive[2], 'blue below zero, red above');
  });

  test(`${themeName} theme: padding zeros read at ≥ ${TEXT_CONTRAST}:1 on both colours of the hatching`, () => {
    const text = paddingTextColor(colors);
    for (const background of [paddingStripe(colors), colors.paper])
      assert.ok(contrastRatio(text, background) >= TEXT_CONTRAST, `${contrastRatio(text, background)}`);
  });

  test(`${themeName} theme: text colours read at ≥ ${TEXT_CONTRAST}:1 and marks at ≥ ${MARK_CONTRAST}:1 on paper`, () => {
    for (const name of ['ink', 'muted', 'accent'])
      assert.ok(
        contrastRatio(colors[name], colors.paper) >= TEXT_CONTRAST,
        `${name}: ${contrastRatio(colors[name], colors.paper).toFixed(2)}`,
      );
    for (const name of ['window', 'fed', 'winner', 'negative', 'positive', 'error']) {
      assert.ok(
        contrastRatio(colors[name], colors.paper) >= MARK_CONTRAST,
        `${name}: ${contrastRatio(colors[name], colors.paper).toFixed(2)}`,
      );
    }
  });
}

test('the dark theme defines every colour the light one does, and pages can set each', () => {
  assert.deepEqual(Object.keys(THEMES.dark).sort(), Object.keys(THEMES.light).sort());
  for (const name of Object.keys(THEMES.light)) assert.ok(`--cnn-${name}` in CUSTOM_PROPERTIES, name);
});

// The training lab's canvases and tints (cnn-train-model.js says which roles it draws with).
import { confusionCell, LAB_CANVAS, RUN_COLORS, themeOfPaper } from '../web/widgets/cnn-train-model.js';

for (const [themeName, theme] of Object.entries(THEMES)) {
  const colors = rgbTheme(theme);
  test(`${themeName} theme, the lab: canvas text (chart axes and ticks, the pad's hint) at ≥ ${TEXT_CONTRAST}:1, confusion counts on every tint, runs at ≥ ${MARK_CONTRAST}:1`, () => {
    for (const role of LAB_CANVAS.text)
      assert.ok(
        contrastRatio(colors[role], colors.paper) >= TEXT_CONTRAST,
        `${role}: ${contrastRatio(colors[role], colors.paper).toFixed(2)}`,
      );
    assert.ok(contrastRatio(colors.accent, colors.paper) >= MARK_CONTRAST, 'the dashed theoretical field');
    const failures = [];
    for (let count = 1; count <= 200; count++) {
      for (const diagonal of [false, true]) {
        const { fill, text } = confusionCell(colors, count, 200, diagonal);
        if (contrastRatio(text, fill) < TEXT_CONTRAST)
          failures.push(`${count}${diagonal ? ' (diagonal)' : ''}: ${contrastRatio(text, fill).toFixed(2)}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(themeOfPaper(colors.paper), themeName, 'the lab tells the theme by its paper');
    for (const color of RUN_COLORS[themeName])
      assert.ok(
        contrastRatio(hexToRgb(color), colors.paper) >= MARK_CONTRAST,
        `run colour ${color}: ${contrastRatio(hexToRgb(color), colors.paper).toFixed(2)}`,
      );
  });
}

// The receptive-field canvas: its size label, and the square's outline on its paper halo.
import { FIELD_LABEL } from '../web/widgets/palette.js';

for (const [themeName, theme] of Object.entries(THEMES)) {
  const colors = rgbTheme(theme);
  test(`${themeName} theme, the receptive field: the size label reads at ≥ ${TEXT_CONTRAST}:1, the square at ≥ ${MARK_CONTRAST}:1 on its halo`, () => {
    const label = contrastRatio(colors[FIELD_LABEL.text], colors[FIELD_LABEL.fill]);
    assert.ok(label >= TEXT_CONTRAST, `label: ${label.toFixed(2)}`);
    const outline = contrastRatio(colors.accent, colors.paper);
    assert.ok(outline >= MARK_CONTRAST, `outline: ${outline.toFixed(2)}`);
  });
}
