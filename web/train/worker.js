// The training lab's Web Worker: loads the core, the digits and the pre-trained model, then
// hands every message to a TrainingSession (session.js documents the protocol). Created by
// <cnn-train> as  new Worker(new URL('../train/worker.js', import.meta.url), { type: 'module' }).
import { load } from '../cnn.js';
import { loadMnist, readBytes } from './dataset.js';
import { DEFAULT_MODEL_URL, TrainingSession } from './session.js';

const pending = [];
let session = null;

// Messages that arrive while loading wait for the session.
self.onmessage = ({ data }) => (session ? session.handle(data) : pending.push(data));

try {
  const [cnn, data, modelBytes] = await Promise.all([load(), loadMnist(), readBytes(DEFAULT_MODEL_URL)]);
  const created = new TrainingSession(cnn, data, (message) => self.postMessage(message));
  created.useDefaultModel(modelBytes);
  session = created;
  for (const message of pending.splice(0)) session.handle(message);
} catch (error) {
  self.postMessage({ type: 'error', message: `the training worker could not start: ${error.message}` });
}
