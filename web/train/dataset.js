// The MNIST digits of web/data/mnist.bin (written by scripts/mnist-to-binary.mjs, which
// documents the format): 10,000 labelled 28×28 grey images, the first 8,000 the training set,
// the last 2,000 the test set. Pixels stay bytes here; the core normalises them per batch.
//
//   const data = await loadMnist();                        // Node or browser
//   const { pixels, labels } = data.gather(data.train, [5, 17, 3]);

import { fetchBytes } from './fetch-data.js';

export const MNIST_URL = new URL('../data/mnist.bin', import.meta.url);

const MAGIC = 'MNISTU8\0';
const VERSION = 1;
const HEADER_BYTES = 28;

/** The bytes at url: fetch() over http(s) (gzip inflated, fetch-data.js), the file system for file: URLs (Node). */
export async function readBytes(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    try {
      return new Uint8Array(await readFile(url));
    } catch (error) {
      if (error.code === 'ENOENT')
        throw new Error(`${url.pathname} is missing: run  node scripts/mnist-to-binary.mjs  to write it`);
      throw error;
    }
  }
  return fetchBytes(url);
}

/** The dataset in an mnist.bin image; every header field is checked against the file size. */
export function parseMnist(bytes) {
  const fail = (rule) => {
    throw new RangeError(`mnist.bin: ${rule}`);
  };
  if (bytes.length < HEADER_BYTES) fail(`${bytes.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) fail(`magic is ${JSON.stringify(magic)}, expected ${JSON.stringify(MAGIC)}`);
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const [version, count, trainCount, rows, cols] = [8, 12, 16, 20, 24].map((offset) => header.getUint32(offset, true));
  if (version !== VERSION) fail(`version ${version}, expected ${VERSION}`);
  if (trainCount > count) fail(`train_count ${trainCount} exceeds count ${count}`);
  const imageSize = rows * cols;
  const expected = HEADER_BYTES + count + count * imageSize;
  if (bytes.length !== expected)
    fail(`${bytes.length} bytes, expected ${expected} for ${count} images of ${rows}×${cols}`);
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  const pixels = bytes.subarray(HEADER_BYTES + count);
  labels.forEach((label, i) => label > 9 && fail(`label ${i} is ${label}, not a digit`));
  return new MnistData({ labels, pixels, rows, cols, trainCount });
}

export async function loadMnist(url = MNIST_URL) {
  return parseMnist(await readBytes(url));
}

class MnistData {
  constructor({ labels, pixels, rows, cols, trainCount }) {
    this.labels = labels;
    this.pixels = pixels;
    this.rows = rows;
    this.cols = cols;
    this.imageSize = rows * cols;
    /** The two splits as ranges of image indices. */
    this.train = Object.freeze({ name: 'train', start: 0, count: trainCount });
    this.test = Object.freeze({ name: 'test', start: trainCount, count: labels.length - trainCount });
  }

  /** The first `count` images of a split, as a split. */
  subset(split, count) {
    if (!Number.isInteger(count) || count < 1 || count > split.count)
      throw new RangeError(
        `mnist: a subset of the ${split.name} split must have 1 to ${split.count} images, got ${count}`,
      );
    return Object.freeze({ name: `${split.name}[:${count}]`, start: split.start, count });
  }

  /** One image's bytes (a view, row-major) and its label; index within the split. */
  image(split, index) {
    const at = split.start + index;
    return { pixels: this.pixels.subarray(at * this.imageSize, (at + 1) * this.imageSize), label: this.labels[at] };
  }

  /** The bytes and labels of images `indices` of a split, back to back (copies). */
  gather(split, indices) {
    const pixels = new Uint8Array(indices.length * this.imageSize);
    const labels = new Int32Array(indices.length);
    indices.forEach((index, n) => {
      const at = split.start + index;
      pixels.set(this.pixels.subarray(at * this.imageSize, (at + 1) * this.imageSize), n * this.imageSize);
      labels[n] = this.labels[at];
    });
    return { pixels, labels };
  }
}
