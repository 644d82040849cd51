// <cnn-channels>: channels seen, not only counted. A real photo (32×32, NASA, public domain)
// is three planes R, G, B; a Conv2d(3 → out_channels, k×k, groups) turns them into
// out_channels feature maps. Lines show which input planes feed which output plane (all three
// with groups = 1, one with groups = 3, depthwise). Focusing an output plane shows its sum:
// out[o] = Σ_c (x[c] ⋆ w[o, c]) + b[o], drawn as maps and written with the values at one pixel,
// every term from the core (channels-model.js).
//
// Attributes (reflected; see channels-model.js CHANNELS_SCHEMA and the README table):
//   filters="mixed|edges|colour|blur|random" out-channels kernel groups stride padding
//   channel (the output plane explained) pixel="row,col"
//   plus the shared url-state, hide, lock, loading, lang (base-element.js).
// Events: cnn-change, cnn-ready.  Parts: input, output, sum, params, code.
import { CnnElement } from './base-element.js';
import { GridView, paintKit, themeColors, followTheme } from './grid.js';
import { outputView } from './grid-views.js';
import { formatTerm, formatValue } from './format.js';
import { drawPlane, drawBar, pixelAt } from './channels-canvas.js';
import {
  CHANNELS_SCHEMA,
  FILTER_SETS,
  PLANES,
  IN_CHANNELS,
  MAX_OUT_CHANNELS,
  groupsOffered,
  runLayer,
  chosenPixel,
  planeOf,
  kernelsOf,
  pixelSum,
  sumLine,
  parameterFormula,
  articleLayer,
  channelsCode,
  largestMagnitude,
} from './channels-model.js';
import { rangeControl, selectControl, codeRow, h, setText } from './controls.js';

const PLANE_RGB = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
]; // each plane drawn in its own colour: value · (r, g, b)
const TILE = {
  inputMin: 64,
  inputMax: 132,
  outputMin: 40,
  outputMax: 124,
  namedOutput: 72,
  termMax: 150,
  termMin: 72,
  chromePx: 8,
}; // chromePx: a tile's padding and border
const GAP_PX = 12;
const NARROW_PX = 480;
const SVG = 'http://www.w3.org/2000/svg';
const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

const CSS = `
.figure { position: relative; padding: var(--space-2) 0; }
.row { display: flex; flex-wrap: nowrap; justify-content: center; align-items: flex-start; gap: var(--row-gap, ${GAP_PX}px); position: relative; z-index: 1; }
.tile { margin: 0; display: flex; flex-direction: column; align-items: center; gap: 2px; min-width: 0; }
.tile canvas { display: block; border: 1px solid var(--cnn-rule, var(--default-rule)); image-rendering: pixelated; }
.tile figcaption, .tile .label { font-size: 0.75rem; text-align: center; line-height: 1.25; max-width: 100%; }
.tile .range { font-family: var(--cnn-mono, var(--default-mono)); color: var(--cnn-muted, var(--default-muted)); font-size: 0.6875rem; }
.tile.unfed canvas { opacity: 0.3; }
.tile.unfed figcaption { color: var(--cnn-muted, var(--default-muted)); }
.equals { align-self: center; font-size: 1.25rem; color: var(--cnn-muted, var(--default-muted)); }
.layer-band {
  margin: 0 auto var(--space-3); max-width: 40rem; text-align: center; position: relative; z-index: 1;
  padding: var(--space-1) var(--space-3); border-left: 3px solid var(--cnn-accent, var(--default-accent));
  background: color-mix(in srgb, var(--cnn-accent, var(--default-accent)) 7%, var(--cnn-paper, var(--default-paper)));
  border-radius: 0 var(--radius) var(--radius) 0; font-size: var(--text-small);
}
.link-gap { height: 4.5rem; }
.layer-band code { font-weight: 700; }
button.tile { position: relative; padding: 2px; border: 2px solid transparent; background: var(--cnn-paper, var(--default-paper)); color: inherit; font-weight: 400; min-width: 0; }
button.tile[aria-pressed="true"] { border-color: var(--cnn-accent, var(--default-accent)); background: color-mix(in srgb, var(--cnn-accent, var(--default-accent)) 10%, var(--cnn-paper, var(--default-paper))); }
.outputs.compact .label .name { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; } /* heard, not shown */
button.tile .feeds { font-family: var(--cnn-mono, var(--default-mono)); font-size: 0.6875rem; letter-spacing: 0.05em; }
svg.channel-links { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; pointer-events: none; z-index: 0; }
svg.channel-links line { stroke: var(--cnn-muted, var(--default-muted)); stroke-width: 1; opacity: 0.35; }
svg.channel-links line.active { stroke: var(--cnn-accent, var(--default-accent)); stroke-width: 2.5; opacity: 1; }
.legends { display: flex; flex-wrap: wrap; gap: var(--space-2) var(--space-4); font-size: 0.75rem; align-items: center; justify-content: center; margin: var(--space-2) 0; }
.legends .bar { display: inline-flex; align-items: center; gap: var(--space-1); font-family: var(--cnn-mono, var(--default-mono)); }
.legends canvas { border: 1px solid var(--cnn-rule, var(--default-rule)); }
.detail { border-top: 1px solid var(--cnn-rule, var(--default-rule)); margin-top: var(--space-3); padding-top: var(--space-2); }
.detail h3 { margin-top: 0; }
.equation { display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: var(--space-2); margin: var(--space-2) 0; }
.term { display: flex; flex-direction: column; align-items: center; gap: 3px; font-size: 0.75rem; }
.term .grid-frame { margin-bottom: 2px; }
.term .value { font-family: var(--cnn-mono, var(--default-mono)); font-size: var(--text-small); font-weight: 700; }
.term canvas.map { border: 1px solid var(--cnn-rule, var(--default-rule)); cursor: crosshair; image-rendering: pixelated; }
.term.bias .value { font-size: var(--text-body); padding: 0 var(--space-1); }
.op { font-size: 1.25rem; font-weight: 700; color: var(--cnn-muted, var(--default-muted)); }
.params { border-left-color: var(--cnn-accent, var(--default-accent)); }
.credit { font-size: 0.6875rem; }
`;

export class CnnChannels extends CnnElement {
  static schema = CHANNELS_SCHEMA;
  static css = CSS;
  static label = 'channels.label'; // the host's accessible name (base-element.js); message keys (web/i18n)

  build() {
    const set = (property) => (value) => this.commit({ [property]: value });
    this.controls = {
      filters: selectControl({
        name: 'filters',
        label: this.t('channels.control.filters'),
        options: Object.keys(FILTER_SETS).map((name) => [name, this.t(`channels.filters.${name}`)]),
        onInput: set('filters'),
      }),
      outChannels: rangeControl({
        name: 'out-channels',
        label: this.t('channels.control.out-channels'),
        min: 1,
        max: MAX_OUT_CHANNELS,
        onInput: (value) =>
          this.commit({
            outChannels: value,
            ...(this.offered(value).includes(this.state.groups) ? {} : { groups: 1 }),
            channel: Math.min(this.state.channel, value - 1),
          }),
      }),
      kernel: rangeControl({
        name: 'kernel',
        label: this.t('channels.control.kernel'),
        min: 1,
        max: 7,
        onInput: set('kernel'),
      }),
      groups: selectControl({
        name: 'groups',
        label: this.t('channels.control.groups'),
        options: [],
        onInput: (value) => this.commit({ groups: Number(value) }),
      }),
      stride: rangeControl({
        name: 'stride',
        label: this.t('channels.control.stride'),
        min: 1,
        max: 3,
        onInput: set('stride'),
      }),
      padding: rangeControl({
        name: 'padding',
        label: this.t('channels.control.padding'),
        min: 0,
        max: 3,
        onInput: set('padding'),
      }),
    };

    // The figure: photo = R + G + B on top, the layer in the middle, the output planes below.
    this.photoCanvas = h('canvas');
    this.photoCanvas.setAttribute('role', 'img');
    this.photoCanvas.setAttribute('aria-label', this.t('channels.photo-alt'));
    const photoTile = h('figure', 'tile', this.photoCanvas, h('figcaption', '', this.t('channels.photo')));
    this.planeTiles = PLANES.map((plane, channel) => {
      const canvas = h('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', this.t('channels.plane-alt', { plane: this.planeName(channel) }));
      const tile = h('figure', 'tile', canvas, h('figcaption', '', this.planeName(channel)));
      tile.dataset.plane = String(channel);
      return { tile, canvas };
    });
    this.inputRow = h(
      'div',
      'row inputs',
      photoTile,
      h('span', 'equals', '='),
      ...this.planeTiles.map((plane) => plane.tile),
    );
    this.inputRow.setAttribute('part', 'input');
    this.layerBand = h('p', 'layer-band');
    this.outputTiles = Array.from({ length: MAX_OUT_CHANNELS }, (_, channel) => {
      const canvas = h('canvas');
      canvas.setAttribute('aria-hidden', 'true');
      const label = h('span', 'label');
      const feeds = h('span', 'feeds');
      const range = h('span', 'range');
      feeds.setAttribute('aria-hidden', 'true'); // said in words by `spoken`
      range.setAttribute('aria-hidden', 'true');
      const spoken = h('span', 'visually-hidden');
      const tile = h('button', 'tile', canvas, label, spoken, feeds, range);
      tile.type = 'button';
      tile.dataset.channel = String(channel);
      tile.addEventListener('click', () => this.commit({ channel }));
      tile.addEventListener('focus', () => {
        this.previewed = null;
        this.commit({ channel });
        this.showChannel();
      });
      tile.addEventListener('pointerenter', () => this.preview(channel));
      tile.addEventListener('keydown', (event) => this.moveAmongOutputs(event, channel));
      return { tile, canvas, label, feeds, range, spoken };
    });
    this.outputRow = h('div', 'row outputs', ...this.outputTiles.map((output) => output.tile));
    this.outputRow.setAttribute('part', 'output');
    this.outputRow.setAttribute('role', 'group');
    this.outputRow.setAttribute('aria-label', this.t('channels.outputs-label'));
    this.links = document.createElementNS(SVG, 'svg');
    this.links.classList.add('channel-links');
    this.links.setAttribute('aria-hidden', 'true');
    const gap = h('div', 'link-gap'); // where the lines run from the planes to the outputs they feed
    this.figure = h('div', 'figure', this.links, this.layerBand, this.inputRow, gap, this.outputRow);

    // Legends: the planes' colour maps and the feature maps' diverging map.
    this.planeBars = PLANES.map(() => h('canvas'));
    this.divergingBar = h('canvas');
    this.legend = h(
      'div',
      'legends',
      h('span', 'bar', this.t('channels.legend-planes'), ' 0', ...this.planeBars, '255'),
      h(
        'span',
        'bar',
        this.t('channels.legend-maps'),
        ` ${this.t('channels.negative')}`,
        this.divergingBar,
        this.t('channels.positive'),
      ),
    );
    this.legend.dataset.control = 'legend';

    // The sum of the focused output plane: kernels, the planes' shares, the bias, the output.
    this.detailTitle = h('h3');
    this.detailHint = h('p', 'note', this.t('channels.pixel-hint'));
    this.terms = PLANES.map(() => {
      const kernel = new GridView({ label: '', t: this.t.bind(this) });
      kernel.element.tabIndex = -1;
      const map = h('canvas', 'map');
      map.setAttribute('aria-hidden', 'true');
      map.addEventListener('click', (event) => this.pickPixel(event, map));
      const caption = h('span', '');
      const value = h('span', 'value');
      const kernelCaption = h('span', '');
      const element = h('div', 'term share', kernelCaption, kernel.scroller, map, caption, value);
      const plus = h('span', 'op', '+');
      plus.setAttribute('aria-hidden', 'true');
      return { element, plus, kernel, map, caption, value, kernelCaption };
    });
    this.biasValue = h('span', 'value');
    this.biasCaption = h('span', '');
    this.biasTerm = h('div', 'term bias', this.biasCaption, this.biasValue);
    this.resultMap = h('canvas', 'map');
    this.resultMap.tabIndex = 0;
    this.resultMap.setAttribute('role', 'img');
    this.resultMap.addEventListener('click', (event) => this.pickPixel(event, this.resultMap));
    this.resultMap.addEventListener('keydown', (event) => this.movePixel(event));
    this.resultCaption = h('span', '');
    this.resultValue = h('span', 'value');
    const equals = h('span', 'op', '=');
    equals.setAttribute('aria-hidden', 'true');
    const biasPlus = h('span', 'op', '+');
    biasPlus.setAttribute('aria-hidden', 'true');
    this.equation = h(
      'div',
      'equation',
      ...this.terms.flatMap((term) => [term.element, term.plus]),
      this.biasTerm,
      equals,
      h(
        'div',
        'term result',
        h('span', '', this.t('channels.result')),
        this.resultMap,
        this.resultCaption,
        this.resultValue,
      ),
    );
    this.sumText = h('p', 'math');
    this.sumText.dataset.control = 'formula';
    this.groupsNote = h('p', 'note');
    this.detail = h(
      'section',
      'detail',
      this.detailTitle,
      this.detailHint,
      this.equation,
      this.sumText,
      this.groupsNote,
    );
    this.detail.setAttribute('part', 'sum');

    this.paramsText = h('p', 'math params');
    this.paramsText.dataset.control = 'params';
    this.paramsText.setAttribute('part', 'params');
    this.error = h('p', 'error');
    this.error.hidden = true;
    this.code = codeRow('PyTorch', this.t.bind(this));
    this.shadowRoot.append(
      h('div', 'controls', ...Object.values(this.controls).map((control) => control.element)),
      this.error,
      this.figure,
      this.legend,
      this.detail,
      this.paramsText,
      this.code.element,
      h('p', 'note credit', this.t('channels.credit')),
    );
    // A hovered output plane stays explained while the pointer travels to its sum below (a click
    // there picks a pixel of that plane); leaving the widget shows the chosen plane again.
    this.previewed = null;
    if (!this.leaveListener) {
      this.leaveListener = () => this.preview(null);
      this.addEventListener('pointerleave', this.leaveListener);
    }
    this.repaintTheme = () => this.paint();
    if (!this.followsTheme) followTheme(this); // once: a new language rebuilds the DOM, not the element
    this.followsTheme = true;
  }

  planeName(channel) {
    return this.t(`channels.plane.${PLANES[channel]}`);
  }

  /** The groups values the core accepts for 3 → out channels at this kernel size. */
  offered(outChannels) {
    return groupsOffered(this.cnn, outChannels, this.state.kernel);
  }

  update(state, changed) {
    for (const [property, control] of Object.entries(this.controls))
      if (property !== 'groups') control.write(state[property]);
    const groups = this.offered(state.outChannels);
    const options = this.controls.groups.input;
    if (options.dataset.offered !== groups.join()) {
      options.dataset.offered = groups.join();
      options.replaceChildren(
        ...groups.map(
          (value) =>
            new Option(
              this.t(`channels.groups.${value === 1 ? 'standard' : value === IN_CHANNELS ? 'depthwise' : 'grouped'}`, {
                groups: value,
              }),
              String(value),
            ),
        ),
      );
    }
    options.value = String(state.groups);
    if (changed.has('channel')) this.previewed = null; // a chosen plane (click, focus, attribute) ends the hover preview
    const viewOnly = [...changed].every((name) => name === 'channel' || name === 'pixel');
    if (!(viewOnly && this.layer)) this.layer = runLayer(this.cnn, state);
    const layer = this.layer;
    this.error.hidden = !layer.error;
    this.error.textContent = layer.error ? this.t('channels.invalid', { reason: layer.error }) : '';
    this.figure.hidden = this.detail.hidden = this.legend.hidden = Boolean(layer.error);
    this.code.set(channelsCode(state));
    if (layer.error) {
      this.paramsText.textContent = '';
      this.announce(this.error.textContent);
      return;
    }
    const formula = parameterFormula(state, layer.params);
    const article = articleLayer(this.cnn, state);
    setText(
      this.paramsText,
      `${this.t('channels.params', { count: this.formatNumber(layer.params) })}\n${formula.general} = ${formula.filled}\n` +
        this.t('channels.shapes', {
          weight: `(${layer.weights.weightShape.join(', ')})`,
          bias: `(${state.outChannels})`,
        }) +
        (article
          ? `\n${this.t('channels.params-article', { formula: article.filled, weights: this.formatNumber(article.weights) })}`
          : ''),
    );
    setText(this.layerBand, '');
    this.layerBand.replaceChildren(
      h(
        'code',
        '',
        `Conv2d(${IN_CHANNELS} → ${state.outChannels}, ${state.kernel}×${state.kernel}, groups=${state.groups})`,
      ),
      h('br'),
      this.t(
        state.groups === 1
          ? 'channels.band-standard'
          : state.groups === IN_CHANNELS
            ? 'channels.band-depthwise'
            : 'channels.band-grouped',
        { count: state.outChannels, groups: state.groups },
      ),
    );
    this.outputTiles.forEach((output, channel) => {
      output.tile.hidden = channel >= state.outChannels;
      if (output.tile.hidden) return;
      const filter = layer.weights.filters[channel];
      const name = this.filterName(filter, layer.feeds[channel]);
      const feeds = layer.feeds[channel].map((plane) => PLANES[plane]).join('');
      output.label.replaceChildren(String(channel), h('span', 'name', ` · ${name}`));
      setText(output.feeds, `← ${feeds}`);
      setText(
        output.spoken,
        this.t('channels.output-fed', {
          planes: layer.feeds[channel].map((plane) => this.planeName(plane)).join(', '),
        }),
      );
    });
    this.layoutTiles();
    this.showChannel();
  }

  /** The name of output o's filter in the learner's language ("vertical edges", "Sobel x of G"…). */
  filterName(filter, feeds) {
    if (this.state.groups === 1) return this.t(`channels.filter.${filter.key}`);
    return this.t('channels.filter-of', {
      kernel: this.t(`channels.kernel.${filter.kernel}`),
      planes: feeds.map((plane) => PLANES[plane]).join(''),
    });
  }

  /** The output plane explained now: the hovered one, else the chosen one. */
  get shownChannel() {
    const count = this.layer?.feeds?.length ?? 1;
    return Math.min(this.previewed ?? this.state.channel, count - 1);
  }

  preview(channel) {
    if (this.previewed === channel || !this.layer || this.layer.error) return;
    this.previewed = channel;
    this.showChannel();
  }

  /** The sum of the shown output plane at the chosen pixel, the highlights, the announcement. */
  showChannel() {
    const layer = this.layer;
    if (!layer || layer.error) return;
    const state = this.state;
    const channel = this.shownChannel;
    const [row, col] = chosenPixel(state.pixel, layer.height, layer.width);
    const sum = pixelSum(this.cnn, layer, channel, row, col);
    this.sum = { channel, row, col, ...sum };
    const fed = new Set(layer.feeds[channel]);
    this.planeTiles.forEach(({ tile }, plane) => tile.classList.toggle('unfed', !fed.has(plane)));
    this.outputTiles.forEach(({ tile }, index) => tile.setAttribute('aria-pressed', String(index === state.channel)));
    const name = this.filterName(layer.weights.filters[channel], layer.feeds[channel]);
    setText(this.detailTitle, this.t('channels.detail-title', { channel, name }));
    const kernels = kernelsOf(layer, channel);
    const [, , kernelSize] = layer.weights.weightShape;
    this.terms.forEach((term, index) => {
      const plane = layer.feeds[channel][index];
      const shown = plane !== undefined;
      term.element.hidden = term.plus.hidden = !shown;
      if (!shown) return;
      const weights = kernels[index];
      term.kernel.setShape(kernelSize, kernelSize);
      term.kernel.draw(outputView({ values: weights, width: kernelSize, name: 'weight', exact: true }));
      term.kernel.setLabel(
        this.t('channels.kernel-alt', {
          channel,
          plane: PLANES[plane],
          values: Array.from(weights, (value) => formatTerm(value).text).join(', '),
        }),
      );
      setText(term.kernelCaption, `w[${channel}, ${PLANES[plane]}]`);
      setText(term.caption, `x[${PLANES[plane]}] ⋆ w[${channel}, ${PLANES[plane]}]`);
    });
    setText(this.biasCaption, `b[${channel}]`);
    setText(this.resultCaption, `out[${channel}]`);
    const line = sumLine(
      `out[${channel}][${row}, ${col}]`,
      sum.terms.map((term) => ({ label: PLANES[term.channel], value: term.value })),
      sum.bias,
      sum.value,
    );
    this.line = line;
    this.terms.forEach((term, index) => {
      if (index < line.terms.length) setText(term.value, `${line.terms[index]}`);
    });
    setText(this.biasValue, line.bias);
    setText(this.resultValue, line.value);
    setText(
      this.sumText,
      `out[${channel}] = Σ_c (x[c] ⋆ w[${channel}, c]) + b[${channel}]   (c ∈ {${layer.feeds[channel].map((plane) => PLANES[plane]).join(', ')}})\n${line.text}`,
    );
    this.resultMap.setAttribute('aria-label', this.t('channels.result-alt', { channel, row, col, value: line.value }));
    setText(
      this.groupsNote,
      this.t(
        state.groups === 1
          ? state.kernel === 1
            ? 'channels.note-1x1'
            : 'channels.note-standard'
          : state.groups === IN_CHANNELS
            ? 'channels.note-depthwise'
            : 'channels.note-grouped',
        { groups: state.groups },
      ),
    );
    this.paint();
    this.placeLinks();
    this.announce(line.text);
  }

  /** Every canvas: photo, planes (window outlined), output tiles, the equation's maps, legends. */
  paint() {
    const layer = this.layer;
    if (!layer || layer.error || !this.sizes) return;
    const colors = themeColors(this.figure);
    const kit = paintKit(this.photoCanvas.getContext('2d'), colors);
    const marks = { ring: colors.accent, halo: colors.paper, window: colors.window };
    const { size, bytes } = layer;
    const plane = size * size;
    const sum = this.sum;
    drawPlane(this.photoCanvas, {
      rows: size,
      cols: size,
      edgePx: this.sizes.input,
      window: sum.window,
      marks,
      colorOf: (index) => [bytes[index], bytes[plane + index], bytes[2 * plane + index]],
    });
    this.planeTiles.forEach(({ canvas, tile }, channel) => {
      drawPlane(canvas, {
        rows: size,
        cols: size,
        edgePx: this.sizes.input,
        marks,
        window: tile.classList.contains('unfed') ? null : sum.window,
        colorOf: (index) => PLANE_RGB[channel].map((amount) => amount * bytes[channel * plane + index]),
      });
    });
    const { height, width } = layer;
    const signedColor = (values, scale) => (index) => kit.heatRgb(values[index] / scale, true);
    this.outputTiles.forEach((output, channel) => {
      if (output.tile.hidden) return;
      const values = planeOf(layer.output, channel, height, width);
      const scale = largestMagnitude(values);
      setText(output.range, `±${formatValue(scale)}`);
      drawPlane(output.canvas, {
        rows: height,
        cols: width,
        edgePx: this.sizes.output,
        colorOf: signedColor(values, scale),
        pixel: channel === sum.channel ? [sum.row, sum.col] : null,
        marks,
      });
    });
    // The equation's maps share one scale, so the planes' shares compare with the sum.
    const shares = layer.feeds[sum.channel].map((fedPlane) =>
      planeOf(layer.contributions[fedPlane], sum.channel, height, width),
    );
    const result = planeOf(layer.output, sum.channel, height, width);
    const scale = largestMagnitude(result, ...shares);
    shares.forEach((values, index) =>
      drawPlane(this.terms[index].map, {
        rows: height,
        cols: width,
        edgePx: this.sizes.term,
        colorOf: signedColor(values, scale),
        pixel: [sum.row, sum.col],
        marks,
      }),
    );
    drawPlane(this.resultMap, {
      rows: height,
      cols: width,
      edgePx: this.sizes.term,
      colorOf: signedColor(result, scale),
      pixel: [sum.row, sum.col],
      marks,
    });
    this.planeBars.forEach((bar, channel) =>
      drawBar(bar, 36, 10, (t) => PLANE_RGB[channel].map((amount) => Math.round(amount * 255 * t))),
    );
    drawBar(this.divergingBar, 96, 10, (t) => kit.heatRgb(2 * t - 1, true));
  }

  /** Tile sizes for the width: four input tiles in a row, every output tile in one row. */
  layoutTiles() {
    const width = this.width ?? 640;
    const count = this.layer && !this.layer.error ? this.layer.feeds.length : 1;
    const gap = width < NARROW_PX ? GAP_PX / 2 : GAP_PX; // a phone keeps the room for the maps
    this.figure.style.setProperty('--row-gap', `${gap}px`);
    const fit = (tiles, min, max, reserve = 0) =>
      Math.max(min, Math.min(max, Math.floor((width - reserve - gap * (tiles - 1)) / tiles) - TILE.chromePx));
    this.sizes = {
      input: fit(4, TILE.inputMin, TILE.inputMax, 24),
      output: fit(count, TILE.outputMin, TILE.outputMax),
      term: Math.max(TILE.termMin, Math.min(TILE.termMax, Math.floor(width / 5) - 16)),
    };
    for (const term of this.terms) term.kernel.fit(Math.min(this.sizes.term, 34 * 7));
    // Tiles too narrow for a filter's name show its number only (the name is in the detail's title and the tile's label).
    this.outputRow.classList.toggle('compact', this.sizes.output < TILE.namedOutput);
  }

  /** Lines from each input plane to each output plane it feeds (the shown output's bold). */
  placeLinks() {
    if (!this.layer || this.layer.error) return;
    cancelAnimationFrame(this.linksFrame ?? 0);
    this.linksFrame = requestAnimationFrame(() => {
      const origin = this.figure.getBoundingClientRect();
      const lines = [];
      this.layer.feeds.forEach((planes, channel) => {
        const target = this.outputTiles[channel].tile.getBoundingClientRect();
        for (const plane of planes) {
          const source = this.planeTiles[plane].canvas.getBoundingClientRect();
          const line = document.createElementNS(SVG, 'line');
          line.setAttribute('x1', String(source.left + source.width / 2 - origin.left));
          line.setAttribute('y1', String(source.bottom - origin.top + 18));
          line.setAttribute('x2', String(target.left + target.width / 2 - origin.left));
          line.setAttribute('y2', String(target.top - origin.top));
          if (channel === this.shownChannel) line.classList.add('active');
          line.dataset.from = PLANES[plane];
          line.dataset.to = String(channel);
          lines.push(line);
        }
      });
      lines.sort((a, b) => Number(a.classList.contains('active')) - Number(b.classList.contains('active'))); // the bold ones on top
      this.links.replaceChildren(...lines);
    });
  }

  pickPixel(event, canvas) {
    if (!this.layer || this.layer.error) return;
    const [row, col] = pixelAt(canvas, event, this.layer.height, this.layer.width);
    this.commit({ pixel: `${row},${col}`, channel: this.shownChannel });
  }

  movePixel(event) {
    if (!(event.key in MOVES) || !this.layer || this.layer.error) return;
    event.preventDefault();
    event.stopPropagation();
    const [dRow, dCol] = MOVES[event.key];
    const row = Math.min(this.layer.height - 1, Math.max(0, this.sum.row + dRow));
    const col = Math.min(this.layer.width - 1, Math.max(0, this.sum.col + dCol));
    this.commit({ pixel: `${row},${col}` });
  }

  /** ← → (and ↑ ↓) move between the output planes, as in a toolbar. */
  moveAmongOutputs(event, channel) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    const count = this.layer?.feeds?.length ?? 1;
    const next = (channel + step + count) % count;
    this.outputTiles[next].tile.focus();
  }

  resize(width) {
    if (!this.layer) return;
    this.width = width;
    this.layoutTiles();
    this.paint();
    this.placeLinks();
  }
}

CnnChannels.define('cnn-channels');
