#!/usr/bin/env node
// Writes web/data/photo-grey.js, the grey photo under <cnn-receptive-field>'s field, from the same
// PNG as web/data/photo-patch.js (8-bit RGB, not interlaced): a square crop averaged down to
// edge × edge pixels (scripts/photo-patch.mjs's downsample), each pixel then made grey by
// Rec. 601 luma, Y = 0.299 R + 0.587 G + 0.114 B, stored as base64 bytes in an ES module.
// Grey, so that the coloured field drawn over it stays the only colour on the canvas.
//   node scripts/photo-grey.mjs astronaut.png [left top side edge]
// The source shipped today: scikit-image's astronaut.png (Debian package python3-skimage
// 0.19.3, skimage/data/astronaut.png), the 256×256 square around the face, at (96, 0): Eileen Collins, NASA,
// public domain.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePng, downsample } from './photo-patch.mjs';

/** Channel-major RGB planes (edge × edge each) → one grey plane, Rec. 601 luma rounded. */
export function luma(planes, edge) {
  const plane = edge * edge;
  const grey = new Uint8Array(plane);
  for (let i = 0; i < plane; i++)
    grey[i] = Math.round(0.299 * planes[i] + 0.587 * planes[plane + i] + 0.114 * planes[2 * plane + i]);
  return grey;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, left = 0, top = 0, side = 512, edge = 256] = process.argv.slice(2);
  if (!path) throw new Error('usage: node scripts/photo-grey.mjs astronaut.png [left top side edge]');
  const planes = downsample(decodePng(readFileSync(path)), Number(left), Number(top), Number(side), Number(edge));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'data', 'photo-grey.js');
  writeFileSync(
    out,
    `// The photo under <cnn-receptive-field>'s field: ${edge}×${edge} grey bytes (rows top to bottom),
// base64. Made by scripts/photo-grey.mjs from scikit-image's astronaut.png
// (skimage/data/astronaut.png in Debian's python3-skimage 0.19.3), crop ${side}×${side} at (${left}, ${top}),
// each pixel the mean of the ${side / edge}×${side / edge} source pixels it covers, then Rec. 601 luma.
// The photo: astronaut Eileen Collins, NASA (NASA Great Images database); "No known copyright
// restrictions, released into the public domain" (scikit-image's notes on data.astronaut).
export const PHOTO_GREY = {
  name: 'astronaut',
  size: ${edge},
  source: 'NASA portrait of astronaut Eileen Collins (scikit-image data.astronaut)',
  license: 'public domain',
  base64: '${Buffer.from(luma(planes, Number(edge))).toString('base64')}',
};
`,
  );
  console.log(`wrote ${out}`);
}
