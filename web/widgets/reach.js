// Which input cells reach which output cells, read from planes the core computed (DOM-free):
//   reads[i]  = how many windows read input cell i: the gradient, with respect to the input,
//               of the sum of all outputs of the op with every weight 1 (grad.*)
//   fed[o]    = nonzero where output o reads one chosen input cell: the op, weights 1, applied
//               to an input that is 1 at that cell and 0 elsewhere (F.*)
// One core call each, whatever the stride, padding, dilation, ceil_mode or transposition.

/** "row,col" of every input cell no window reads (what floor division dropped, or dilation skipped). */
export function unreadCells(reads, width) {
  const unread = new Set();
  reads.forEach((count, index) => {
    if (count === 0) unread.add(`${Math.floor(index / width)},${index % width}`);
  });
  return unread;
}

/** Input rows and columns no window reads at all, for the caption. */
export function droppedLines(reads, height, width) {
  const rowRead = new Array(height).fill(false);
  const colRead = new Array(width).fill(false);
  reads.forEach((count, index) => {
    if (count === 0) return;
    rowRead[Math.floor(index / width)] = true;
    colRead[index % width] = true;
  });
  return {
    rows: rowRead.flatMap((read, row) => (read ? [] : [row])),
    cols: colRead.flatMap((read, col) => (read ? [] : [col])),
  };
}

/** Flat indices of the nonzero cells of an output plane. */
export function nonzeroCells(plane) {
  const cells = new Set();
  plane.forEach((value, index) => {
    if (value !== 0) cells.add(index);
  });
  return cells;
}

/** A plane of zeros with a single 1: the probe input for `fed`. */
export function oneHot(height, width, row, col) {
  const plane = new Float32Array(height * width);
  plane[row * width + col] = 1;
  return plane;
}
