// Canvas drawings of <cnn-receptive-field>: the photo at the stack's input size with the
// receptive field of one output pixel over it, and the output map where the learner picks that
// pixel. Drawing only: the photo, the counts, the spans and the margin arrive computed by the core.
import { FIELD_LABEL, FONTS, MOTION, PADDING_STRIPE } from './palette.js';

/** The square each field canvas shows now, and its running tween: the next draw grows it from there. */
const shownSquare = new WeakMap();
const runningTween = new WeakMap();

const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/** How the field is drawn over the photo (alpha of the colour laid over a photo pixel). */
const OVERLAY = {
  fadedAlpha: 0.6, // paper over the pixels that do not reach the output pixel (outside, or a hole)
  reachedAlpha: [0.1, 0.45], // the reached colour over the pixels that do: fewest paths … most paths
  stripeGapPx: 6, // the hatching of the padding margin
  minRuledScale: 8, // pixel lines only when a pixel is at least this many CSS px wide
};

/**
 * The photo, with a margin for padding around it (hatched). With a square: pixels that reach the
 * output pixel tinted by how many paths lead there, the others faded; the square outlined, solid
 * over the photo and dashed over the padding, with its size label. Without one (the answer is
 * still hidden): the photo, a ring where the output pixel looks and the hidden label.
 * When the square changes on the same canvas it grows or moves there over MOTION.tweenMs
 * (jumps under prefers-reduced-motion).
 * @param {CanvasRenderingContext2D} context
 * @param {object} options
 * @param {number} options.size input edge in pixels
 * @param {ArrayLike<number>} options.photo size × size grey values in 0…1
 * @param {ArrayLike<number> | null} options.counts size × size path counts (0 = does not reach), null when hidden
 * @param {number[][]} options.span [[firstRow, lastRow], [firstCol, lastCol]] from the core
 * @param {boolean} options.showSquare false while the answer is hidden: only the span's centre is drawn
 * @param {string} options.label the square's size label ("27×27"), or the hidden one
 * @param {number} options.margin input pixels of padding drawn around the photo
 * @param {number} options.edgePx canvas edge in CSS pixels
 * @param {{ reached: string, rule: string, padding: string, accent: string, paper: string, ink: string }} options.colors
 * @returns {{ scale: number, photoPx: { x: number, y: number, edge: number }, square: { x: number, y: number, width: number, height: number } }}
 *   CSS px per input pixel, and where the photo and the square are, in CSS px
 */
export function drawInputField(context, options) {
  const { canvas } = context;
  cancelAnimationFrame(runningTween.get(canvas) ?? 0);
  const picture = pictureOf(options);
  const layout = paintField(context, picture, options);
  const [[firstRow, lastRow], [firstCol, lastCol]] = options.span;
  const target = {
    x: layout.at(firstCol),
    y: layout.at(firstRow),
    width: (lastCol - firstCol + 1) * layout.scale,
    height: (lastRow - firstRow + 1) * layout.scale,
  };
  const result = { scale: layout.scale, photoPx: layout.photo, square: target };
  if (!options.showSquare) {
    shownSquare.delete(canvas);
    paintHidden(context, target, options);
    return result;
  }
  const key = `${options.edgePx} ${options.size} ${options.margin}`;
  const from = shownSquare.get(canvas);
  if (from?.key !== key || reducedMotion()) {
    paintSquare(context, target, layout, options);
    shownSquare.set(canvas, { ...target, key });
    return result;
  }
  const start = performance.now();
  const frame = (now) => {
    const progress = Math.min(1, (now - start) / MOTION.tweenMs);
    const eased = 1 - (1 - progress) ** 3;
    const square = Object.fromEntries(
      ['x', 'y', 'width', 'height'].map((name) => [name, from[name] + (target[name] - from[name]) * eased]),
    );
    if (progress > 0) paintField(context, picture, options);
    paintSquare(context, square, layout, options);
    shownSquare.set(canvas, { ...square, key });
    if (progress < 1) runningTween.set(canvas, requestAnimationFrame(frame));
  };
  frame(start);
  return result;
}

/**
 * The photo, one canvas pixel per input pixel, with the field's tint and fading laid over it:
 * each pixel (1 − alpha)·grey + alpha·colour, composed in one ImageData (a fillRect per pixel
 * takes over 100 ms at 256×256).
 */
function pictureOf({ size, photo, counts, showSquare, colors }) {
  const picture = document.createElement('canvas');
  picture.width = size;
  picture.height = size;
  const context = picture.getContext('2d');
  const image = context.createImageData(size, size);
  let largest = 0;
  if (showSquare) for (const count of counts) largest = Math.max(largest, count);
  const [reached, paper] = [rgbOf(context, colors.reached), rgbOf(context, colors.paper)];
  const [fewest, most] = OVERLAY.reachedAlpha;
  for (let index = 0; index < size * size; index++) {
    const grey = photo[index] * 255;
    const count = showSquare ? counts[index] : -1;
    const [color, alpha] =
      count < 0
        ? [paper, 0]
        : count
          ? [reached, fewest + (most - fewest) * (count / largest)]
          : [paper, OVERLAY.fadedAlpha];
    for (let channel = 0; channel < 3; channel++)
      image.data[index * 4 + channel] = Math.round(grey * (1 - alpha) + color[channel] * alpha);
    image.data[index * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return picture;
}

/** Any CSS colour (a page may theme with any) → [r, g, b], painted by the canvas and read back. */
function rgbOf(context, color) {
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)];
}

/** Everything but the square: hatched padding margin, the photo, pixel lines, the photo's border. */
function paintField(context, picture, { size, margin, edgePx, colors }) {
  const scale = edgePx / (size + 2 * margin);
  const at = (index) => (index + margin) * scale;
  const photoEdge = size * scale;
  context.clearRect(0, 0, edgePx, edgePx);
  context.fillStyle = colors.paper;
  context.fillRect(0, 0, edgePx, edgePx);
  if (margin > 0) {
    context.save();
    context.strokeStyle = colors.padding;
    context.globalAlpha = PADDING_STRIPE;
    context.lineWidth = 2;
    context.beginPath();
    for (let offset = -edgePx; offset < edgePx; offset += OVERLAY.stripeGapPx) {
      context.moveTo(offset, edgePx);
      context.lineTo(offset + edgePx, 0);
    }
    context.stroke();
    context.restore();
  }
  context.imageSmoothingEnabled = false; // one square per input pixel: the pixels the layers see
  context.drawImage(picture, at(0), at(0), photoEdge, photoEdge);
  if (scale >= OVERLAY.minRuledScale) {
    context.strokeStyle = colors.rule;
    context.lineWidth = 0.5;
    context.beginPath();
    for (let line = 0; line <= size; line++) {
      context.moveTo(at(line), at(0));
      context.lineTo(at(line), at(size));
      context.moveTo(at(0), at(line));
      context.lineTo(at(size), at(line));
    }
    context.stroke();
  }
  context.strokeStyle = colors.ink;
  context.lineWidth = 1;
  context.strokeRect(at(0), at(0), photoEdge, photoEdge);
  return { scale, at, photo: { x: at(0), y: at(0), edge: photoEdge } };
}

/**
 * The receptive-field square: solid where it lies over the photo, dashed where it runs into the
 * padding, each on a paper halo so that it reads on any photo pixel; its size label on a corner.
 */
function paintSquare(context, square, layout, { edgePx, colors, label }) {
  const { photo } = layout;
  const outline = (dash) => {
    for (const [color, width] of [
      [colors.paper, 4],
      [colors.accent, 2],
    ]) {
      context.strokeStyle = color;
      context.lineWidth = width;
      context.setLineDash(dash);
      context.strokeRect(square.x, square.y, square.width, square.height);
    }
    context.setLineDash([]);
  };
  context.save();
  context.beginPath();
  context.rect(photo.x, photo.y, photo.edge, photo.edge);
  context.clip();
  outline([]);
  context.restore();
  context.save();
  context.beginPath();
  context.rect(0, 0, edgePx, edgePx);
  context.rect(photo.x, photo.y, photo.edge, photo.edge);
  context.clip('evenodd');
  outline([6, 3]);
  context.restore();
  paintLabel(context, label, square.x, square.y, square.y + square.height, edgePx, colors);
}

/** While the answer is hidden: a ring at the centre of the pixel's field, and the hidden label beside it. */
function paintHidden(context, square, { edgePx, colors, label }) {
  const x = square.x + square.width / 2;
  const y = square.y + square.height / 2;
  for (const [color, width] of [
    [colors.paper, 5],
    [colors.accent, 2.5],
  ]) {
    context.strokeStyle = color;
    context.lineWidth = width;
    context.beginPath();
    context.arc(x, y, 9, 0, 2 * Math.PI);
    context.stroke();
  }
  paintLabel(context, label, x + 12, y - 12, y + 12, edgePx, colors);
}

/**
 * A label in a box: FIELD_LABEL's text colour on its fill (ink on paper, ≥ 4.5:1 in both themes,
 * tests/widgets-palette.test.mjs), outlined in the accent. Above `top` when there is room, else
 * below `bottom`, else just inside; left-aligned at x, always inside the canvas.
 */
function paintLabel(context, text, x, top, bottom, edgePx, colors) {
  context.font = `600 ${FIELD_LABEL.fontPx}px ${FONTS.body}`;
  const width = context.measureText(text).width + 2 * FIELD_LABEL.paddingPx;
  const height = FIELD_LABEL.heightPx;
  const gap = 3;
  const y = top - height - gap >= 0 ? top - height - gap : bottom + gap + height <= edgePx ? bottom + gap : top + gap;
  const left = Math.min(Math.max(0, x), edgePx - width);
  context.fillStyle = colors[FIELD_LABEL.fill];
  context.fillRect(left, y, width, height);
  context.strokeStyle = colors.accent;
  context.lineWidth = 1;
  context.strokeRect(left + 0.5, y + 0.5, width - 1, height - 1);
  context.fillStyle = colors[FIELD_LABEL.text];
  context.textAlign = 'left';
  context.textBaseline = 'middle';
  context.fillText(text, left + FIELD_LABEL.paddingPx, y + height / 2 + 0.5);
}

/** The output map of the current layer with the chosen pixel filled. */
export function drawOutputMap(context, { size, row, col, edgePx, colors }) {
  const scale = edgePx / size;
  context.clearRect(0, 0, edgePx, edgePx);
  context.fillStyle = colors.paper;
  context.fillRect(0, 0, edgePx, edgePx);
  if (scale >= 4) {
    context.strokeStyle = colors.rule;
    context.lineWidth = 0.5;
    context.beginPath();
    for (let line = 0; line <= size; line++) {
      context.moveTo(line * scale, 0);
      context.lineTo(line * scale, edgePx);
      context.moveTo(0, line * scale);
      context.lineTo(edgePx, line * scale);
    }
    context.stroke();
  }
  context.fillStyle = colors.accent;
  context.fillRect(col * scale, row * scale, Math.max(scale, 2), Math.max(scale, 2));
  context.strokeStyle = colors.ink;
  context.strokeRect(0, 0, edgePx, edgePx);
}
