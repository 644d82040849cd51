// The model loader (web/train/checkpoint.js) against hostile safetensors files: a file is
// accepted only when every tensor lies exactly inside the data section (whole-number offsets,
// no overlap, no hole), F32, with the model's shape; anything else is an Error that names the
// file, the tensor and the rule (issue 14, item 10).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { load } from '../web/cnn.js';
import { loadModel, saveModel } from '../web/train/checkpoint.js';
import { checkKnobs } from '../web/train/knobs.js';
import { buildModel } from '../web/train/model.js';

const SMALL = { kernel: 5, channels: [4, 8], epochs: 1 };
const FILE = 'small.safetensors';

// A file from a header object and data bytes: the header length, the JSON padded to 8, the data.
function fileOf(header, data) {
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  bytes.set(data, 8 + headerBytes.length);
  return bytes;
}

describe('model files', () => {
  let cnn, header, data;
  before(async () => {
    cnn = await load();
    const knobs = checkKnobs(SMALL);
    const bytes = saveModel(buildModel(cnn.nn, knobs), knobs);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    data = bytes.subarray(8 + headerLength);
  });
  // The saved file with one change to a copy of its header (and optionally other data bytes).
  const edited = (change, bytes = data) => {
    const copy = structuredClone(header);
    change(copy);
    return fileOf(copy, bytes);
  };
  const refused = (bytes, pattern) =>
    assert.throws(
      () => loadModel(cnn.nn, bytes, FILE),
      (error) => {
        assert.ok(error instanceof Error, 'an Error');
        assert.match(error.message, new RegExp(`^${FILE}: `), 'the message names the file');
        assert.match(error.message, pattern);
        return true;
      },
    );

  test('the saved file loads, and is the only layout that does', () => {
    const { model } = loadModel(cnn.nn, fileOf(header, data), FILE);
    assert.equal(model.layers.length > 0, true);
  });

  test('negative data_offsets (the header read as weights) are refused', () => {
    refused(
      edited((h) => {
        const [begin, end] = h['0.weight'].data_offsets;
        h['0.weight'].data_offsets = [begin - 16, end - 16];
      }),
      /tensor '0\.weight' data_offsets \[-16,\d+\] must be two whole numbers/,
    );
  });

  // The second tensor of the file, whose data follows the first's.
  const second = () => Object.keys(header).filter((name) => name !== '__metadata__')[1];
  const named = (name) => name.replace('.', '\\.');

  test('overlapping tensors are refused', () => {
    refused(
      edited((h) => {
        const [begin, end] = h[second()].data_offsets;
        h[second()].data_offsets = [begin - 4, end - 4];
      }),
      new RegExp(`tensor '${named(second())}' data_offsets \\[\\d+, \\d+\\] overlap another tensor's`),
    );
  });

  test('fractional data_offsets are refused', () => {
    refused(
      edited((h) => {
        const [begin, end] = h[second()].data_offsets;
        h[second()].data_offsets = [begin + 0.5, end + 0.5];
      }),
      new RegExp(`tensor '${named(second())}' data_offsets .* must be two whole numbers`),
    );
  });

  test('offsets 1 byte off (a hole, or past the end) are refused', () => {
    const names = Object.keys(header).filter((name) => name !== '__metadata__');
    const last = names.at(-1);
    refused(
      edited(
        (h) => {
          const [begin, end] = h[last].data_offsets;
          h[last].data_offsets = [begin + 1, end + 1];
        },
        Uint8Array.of(...data, 0),
      ),
      new RegExp(`tensor '${named(last)}' data_offsets .* leave bytes \\d+–\\d+ unused`),
    );
    refused(
      edited((h) => {
        const [begin, end] = h[last].data_offsets;
        h[last].data_offsets = [begin + 1, end + 1];
      }),
      new RegExp(`tensor '${named(last)}' data_offsets .* run past the data section`),
    );
    refused(
      fileOf(header, Uint8Array.of(...data, 0, 0, 0, 0)),
      /the tensors cover \d+ of the data section's \d+ bytes/,
    );
  });

  test('a wrong dtype or a tensor that is not an object is refused, naming the tensor', () => {
    refused(
      edited((h) => {
        h['0.weight'].dtype = 'F16';
      }),
      /tensor '0\.weight' has dtype "F16", expected F32/,
    );
    refused(
      edited((h) => {
        h['0.weight'] = null;
      }),
      /tensor '0\.weight' must be an object/,
    );
    refused(
      edited((h) => {
        h['0.weight'].data_offsets = '0,400';
      }),
      /tensor '0\.weight' data_offsets "0,400"/,
    );
  });

  test('a null header, bad metadata or bad knobs give an Error naming the file and the rule', () => {
    refused(fileOf(null, data), /the header must be a JSON object, got null/);
    refused(fileOf([1, 2], data), /the header must be a JSON object/);
    refused(
      edited((h) => {
        h.__metadata__ = null;
      }),
      /__metadata__ must be an object of strings/,
    );
    refused(
      edited((h) => {
        h.__metadata__.knobs = 'null';
      }),
      /the knobs must be a JSON object, got null/,
    );
    refused(
      edited((h) => {
        h.__metadata__.knobs = '{';
      }),
      /the knobs are not JSON/,
    );
    refused(
      edited((h) => {
        h.__metadata__.knobs = JSON.stringify({ kernel: 'x' });
      }),
      /the knobs do not make a model: --kernel/,
    );
    refused(
      edited((h) => {
        h.__metadata__.knobs = JSON.stringify({ colour: 1 });
      }),
      /the knobs do not make a model: unknown knob 'colour'/,
    );
  });

  test('the bytes must be a Uint8Array', () => {
    assert.throws(() => loadModel(cnn.nn, 'not bytes', FILE), {
      name: 'TypeError',
      message: `${FILE}: the bytes must be a Uint8Array`,
    });
  });
});
