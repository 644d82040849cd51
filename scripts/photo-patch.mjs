#!/usr/bin/env node
// Writes web/data/photo-patch.js, the small RGB photo of <cnn-channels>, from a PNG (8-bit RGB,
// not interlaced): a square crop, averaged down to edge × edge pixels (each output pixel the mean
// of the source pixels it covers), stored as base64 bytes in an ES module.
//   node scripts/photo-patch.mjs astronaut.png [left top side edge]
// The source shipped today: scikit-image's astronaut.png (Debian package python3-skimage,
// skimage/data/astronaut.png): Eileen Collins, NASA, public domain.
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pixels of an 8-bit RGB PNG: { width, height, rgb: Uint8Array }. */
export function decodePng(bytes) {
  let offset = 8;
  let width = 0,
    height = 0;
  const data = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[9] !== 2 || body[12] !== 0)
        throw new Error('photo-patch: only 8-bit RGB, non-interlaced PNGs');
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 3;
  const rgb = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= 3 ? rgb[row * stride + i - 3] : 0;
      const up = row > 0 ? rgb[(row - 1) * stride + i] : 0;
      const upLeft = row > 0 && i >= 3 ? rgb[(row - 1) * stride + i - 3] : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      rgb[row * stride + i] = (line[i] + predicted) & 255;
    }
  }
  return { width, height, rgb };
}

/** A side × side crop at (left, top), averaged down to edge × edge, channel-major (R plane, G, B). */
export function downsample({ width, rgb }, left, top, side, edge) {
  const planes = new Uint8Array(3 * edge * edge);
  for (let row = 0; row < edge; row++) {
    for (let col = 0; col < edge; col++) {
      const [r0, r1] = [Math.floor(top + (row * side) / edge), Math.floor(top + ((row + 1) * side) / edge)];
      const [c0, c1] = [Math.floor(left + (col * side) / edge), Math.floor(left + ((col + 1) * side) / edge)];
      for (let channel = 0; channel < 3; channel++) {
        let sum = 0;
        for (let y = r0; y < r1; y++) for (let x = c0; x < c1; x++) sum += rgb[(y * width + x) * 3 + channel];
        planes[channel * edge * edge + row * edge + col] = Math.round(sum / ((r1 - r0) * (c1 - c0)));
      }
    }
  }
  return planes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, left = 0, top = 0, side = 512, edge = 32] = process.argv.slice(2);
  if (!path) throw new Error('usage: node scripts/photo-patch.mjs astronaut.png [left top side edge]');
  const planes = downsample(decodePng(readFileSync(path)), Number(left), Number(top), Number(side), Number(edge));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'data', 'photo-patch.js');
  writeFileSync(
    out,
    `// The photo of <cnn-channels>: ${edge}×${edge} RGB, channel-major bytes (the R plane, then G, then B;
// rows top to bottom), base64. Made by scripts/photo-patch.mjs from scikit-image's astronaut.png
// (skimage/data/astronaut.png in Debian's python3-skimage 0.19.3), crop ${side}×${side} at (${left}, ${top}),
// each pixel the mean of the ${side / edge}×${side / edge} source pixels it covers.
// The photo: astronaut Eileen Collins, NASA (NASA Great Images database); "No known copyright
// restrictions, released into the public domain" (scikit-image's notes on data.astronaut).
export const PHOTO = {
  name: 'astronaut',
  size: ${edge},
  source: 'NASA portrait of astronaut Eileen Collins (scikit-image data.astronaut)',
  license: 'public domain',
  base64: '${Buffer.from(planes).toString('base64')}',
};
`,
  );
  console.log(`wrote ${out}`);
}
