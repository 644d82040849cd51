// A digit drawn on a canvas, prepared the way MNIST's digits were (LeCun et al.): the ink's
// bounding box, made square, scaled to 20×20 by area averaging (the core's adaptive average
// pooling), then placed in a 28×28 image so that its centre of mass is the centre.

const SIDE = 28;
const BOX = 20;

/**
 * ink: one value per canvas pixel, 0 (paper) to 255 (full ink), row-major width × height.
 * Returns 28 × 28 grey levels 0–255 (Float32Array), or null when nothing is drawn.
 */
export function drawingToDigit(cnn, ink, width, height) {
  let top = height,
    bottom = -1,
    left = width,
    right = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > 0) {
        ((top = Math.min(top, y)),
          (bottom = Math.max(bottom, y)),
          (left = Math.min(left, x)),
          (right = Math.max(right, x)));
      }
  if (bottom < 0) return null;
  // The square around the box, centred on it, may reach past the canvas: paper there.
  const side = Math.max(bottom - top + 1, right - left + 1);
  const originY = Math.floor((top + bottom + 1 - side) / 2),
    originX = Math.floor((left + right + 1 - side) / 2);
  const square = new cnn.Tensor(new Float32Array(side * side), [1, 1, side, side]);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const [sourceY, sourceX] = [originY + y, originX + x];
      if (sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width)
        square.data[y * side + x] = ink[sourceY * width + sourceX];
    }
  const box = cnn.F.adaptive_avg_pool2d(square, BOX).data;

  let mass = 0,
    rowMoment = 0,
    colMoment = 0;
  box.forEach((value, i) => {
    mass += value;
    rowMoment += value * Math.floor(i / BOX);
    colMoment += value * (i % BOX);
  });
  // Shift so that the centre of mass (+ ½ for pixel centres) lands on the image centre 14.
  const clamp = (offset) => Math.min(SIDE - BOX, Math.max(0, offset));
  const offsetY = clamp(Math.round(SIDE / 2 - (rowMoment / mass + 0.5))),
    offsetX = clamp(Math.round(SIDE / 2 - (colMoment / mass + 0.5)));
  const digit = new Float32Array(SIDE * SIDE);
  box.forEach((value, i) => {
    digit[(offsetY + Math.floor(i / BOX)) * SIDE + offsetX + (i % BOX)] = value;
  });
  return digit;
}
