// Save and load a trained lab model in the safetensors format
// (https://huggingface.co/docs/safetensors/index#format), which PyTorch users can read with
// `safetensors.torch.load_file` and load into the same nn.Sequential (web/train/model.js):
//
//   bytes 0–7     N, the header length, uint64 little-endian
//   bytes 8…8+N   a JSON header, padded with spaces to a multiple of 8:
//                   { "__metadata__": { "format": "cnn-see-mnist", "version": "1",
//                                       "knobs": "<the knobs as JSON>", …more strings },
//                     "<layer>.<tensor>": { "dtype": "F32", "shape": [...], "data_offsets": [begin, end] }, … }
//   then          the tensors, little-endian float32, back to back; offsets count bytes from here.
//
// Tensor names are the state_dict names of torch.nn.Sequential: "0.weight", "1.running_mean", …
import { checkKnobs } from './knobs.js';
import { buildModel } from './model.js';

const FORMAT = 'cnn-see-mnist';
const VERSION = '1';

/** The model's tensors as [state_dict name, Tensor] pairs, in torch.nn.Sequential's state_dict order. */
export function stateDict(model) {
  const entries = [];
  model.layers.forEach((layer, index) => {
    for (const p of layer.parameters()) entries.push([`${index}.${p.name}`, p.value]);
    if (layer.runningMean)
      entries.push([`${index}.running_mean`, layer.runningMean], [`${index}.running_var`, layer.runningVar]);
  });
  return entries;
}

/** The safetensors bytes of a lab model built from knobs; metadata: more strings to keep (accuracy, …). */
export function saveModel(model, knobs, metadata = {}) {
  const state = stateDict(model);
  const header = {
    __metadata__: {
      format: FORMAT,
      version: VERSION,
      knobs: JSON.stringify(knobs),
      ...Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)])),
    },
  };
  let offset = 0;
  for (const [name, tensor] of state) {
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + 4 * tensor.size] };
    offset += 4 * tensor.size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, tensor] of state) for (const value of tensor.data) view.setFloat32((at += 4) - 4, value, true);
  return bytes;
}

/**
 * { model, knobs, metadata } from safetensors bytes written by saveModel. A file is accepted only
 * when its header is a JSON object, its knobs build a model, and each of that model's tensors is
 * there by name, F32, with the model's shape, and data_offsets [begin, end] of whole numbers that
 * hold exactly its floats; together the tensors cover the data section exactly (no overlap, no
 * hole, nothing past its end: safetensors' own rule). Errors name the file, the tensor and the rule.
 */
export function loadModel(nn, bytes, fileName = 'model file') {
  const fail = (rule) => {
    throw new RangeError(`${fileName}: ${rule}`);
  };
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${fileName}: the bytes must be a Uint8Array`);
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) fail(`the header length ${headerLength} runs past the end of the file`);
  const header = parseJson(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)), (reason) =>
    fail(`the header is not JSON (${reason})`),
  );
  if (!isObject(header)) fail(`the header must be a JSON object, got ${JSON.stringify(header)}`);
  const metadata = Object.hasOwn(header, '__metadata__') ? header.__metadata__ : {};
  if (!isObject(metadata) || Object.values(metadata).some((value) => typeof value !== 'string'))
    fail('__metadata__ must be an object of strings');
  if (metadata.format !== FORMAT || metadata.version !== VERSION)
    fail(
      `format ${JSON.stringify(metadata.format)} version ${JSON.stringify(metadata.version)}, expected ${FORMAT} version ${VERSION}`,
    );
  const rawKnobs = parseJson(metadata.knobs ?? '', (reason) => fail(`the knobs are not JSON (${reason})`));
  if (!isObject(rawKnobs)) fail(`the knobs must be a JSON object, got ${JSON.stringify(rawKnobs)}`);
  let knobs, model;
  try {
    knobs = checkKnobs(rawKnobs);
    model = buildModel(nn, knobs);
  } catch (error) {
    fail(`the knobs do not make a model: ${error.message}`);
  }
  const dataStart = 8 + headerLength,
    dataLength = bytes.length - dataStart,
    state = stateDict(model);
  const expected = new Set(state.map(([name]) => name));
  for (const name of Object.keys(header))
    if (name !== '__metadata__' && !expected.has(name)) fail(`unexpected tensor '${name}' for these knobs`);
  const placed = state.map(([name, tensor]) => {
    const entry = Object.hasOwn(header, name) ? header[name] : fail(`tensor '${name}' is missing`);
    if (!isObject(entry)) fail(`tensor '${name}' must be an object {dtype, shape, data_offsets}`);
    if (entry.dtype !== 'F32') fail(`tensor '${name}' has dtype ${JSON.stringify(entry.dtype)}, expected F32`);
    if (JSON.stringify(entry.shape) !== JSON.stringify(tensor.shape))
      fail(`tensor '${name}' has shape ${JSON.stringify(entry.shape)}, the model needs [${tensor.shape}]`);
    const offsets = entry.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0)
    )
      fail(`tensor '${name}' data_offsets ${JSON.stringify(offsets)} must be two whole numbers of bytes [begin, end]`);
    const [begin, end] = offsets;
    if (end - begin !== 4 * tensor.size)
      fail(
        `tensor '${name}' data_offsets [${begin}, ${end}] hold ${end - begin} bytes, its ${tensor.size} floats need ${4 * tensor.size}`,
      );
    if (end > dataLength)
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] run past the data section (${dataLength} bytes)`);
    return { name, tensor, begin, end };
  });
  // Sorted by begin, each tensor starts where the previous one ended, from 0 to the end of the data.
  let covered = 0;
  for (const { name, begin, end } of [...placed].sort((a, b) => a.begin - b.begin)) {
    if (begin < covered)
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] overlap another tensor's (which ends at ${covered})`);
    if (begin > covered)
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] leave bytes ${covered}–${begin} unused`);
    covered = end;
  }
  if (covered !== dataLength) fail(`the tensors cover ${covered} of the data section's ${dataLength} bytes`);
  for (const { tensor, begin } of placed)
    for (let i = 0; i < tensor.size; i++) tensor.data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
  return { model, knobs, metadata };
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseJson(text, fail) {
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(error.message);
  }
}
