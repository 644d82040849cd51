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
    if (layer.runningMean) entries.push([`${index}.running_mean`, layer.runningMean], [`${index}.running_var`, layer.runningVar]);
  });
  return entries;
}

/** The safetensors bytes of a lab model built from knobs; metadata: more strings to keep (accuracy, …). */
export function saveModel(model, knobs, metadata = {}) {
  const state = stateDict(model);
  const header = { __metadata__: { format: FORMAT, version: VERSION, knobs: JSON.stringify(knobs),
    ...Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)])) } };
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
  for (const [, tensor] of state)
    for (const value of tensor.data) view.setFloat32((at += 4) - 4, value, true);
  return bytes;
}

/** { model, knobs, metadata } from safetensors bytes written by saveModel; every tensor checked by name and shape. */
export function loadModel(nn, bytes) {
  const fail = (rule) => { throw new RangeError(`model file: ${rule}`); };
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) fail(`the header length ${headerLength} runs past the end of the file`);
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`the header is not JSON (${error.message})`);
  }
  const metadata = header.__metadata__ ?? {};
  if (metadata.format !== FORMAT || metadata.version !== VERSION)
    fail(`format ${JSON.stringify(metadata.format)} version ${JSON.stringify(metadata.version)}, expected ${FORMAT} version ${VERSION}`);
  const knobs = checkKnobs(JSON.parse(metadata.knobs));
  const model = buildModel(nn, knobs);
  const dataStart = 8 + headerLength, state = stateDict(model);
  const expected = new Set(state.map(([name]) => name));
  for (const name of Object.keys(header))
    if (name !== '__metadata__' && !expected.has(name)) fail(`unexpected tensor '${name}' for these knobs`);
  for (const [name, tensor] of state) {
    const entry = header[name] ?? fail(`tensor '${name}' is missing`);
    if (entry.dtype !== 'F32') fail(`tensor '${name}' has dtype ${entry.dtype}, expected F32`);
    if (JSON.stringify(entry.shape) !== JSON.stringify(tensor.shape))
      fail(`tensor '${name}' has shape [${entry.shape}], the model needs [${tensor.shape}]`);
    const [begin, end] = entry.data_offsets;
    if (end - begin !== 4 * tensor.size || dataStart + end > bytes.length)
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] do not hold ${tensor.size} floats inside the file`);
    for (let i = 0; i < tensor.size; i++) tensor.data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
  }
  return { model, knobs, metadata };
}
