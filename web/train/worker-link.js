// One gradient worker (gradient-worker.js) seen from the thread that drives it: a Web Worker
// in the browser, a worker_threads Worker in Node, behind the same request/reply link.
//
//   const link = await spawnGradientWorker(1, 2, { simd, knobs, capacity });  // 'init' → 'ready'
//   const reply = await link.request({ type: 'step', … }, [transferables]);    // → 'gradients'
//   link.close();
//
// One request at a time. A request is refused (its promise rejects with an Error naming the
// worker, "gradient worker 2 of 3 …") when the worker answers { type: 'error', message }, when
// it throws outside a request, or when it ends: a failed or unloadable script, an exit
// (Node: also terminate() from elsewhere). After a failure every later request is refused
// with the same reason. Messages are copied (or their ArrayBuffers transferred when a request
// lists them): no SharedArrayBuffer, so no cross-origin isolation is needed.

/**
 * Node or a browser, by Node's own mark rather than by a global Worker: Emscripten's Node glue for
 * pthreads (onnxruntime-web's, tfjs-backend-wasm's) sets globalThis.Worker to worker_threads'
 * Worker, which has no onmessage, so a browser link made with it never hears back.
 */
const IN_NODE = typeof globalThis.process?.versions?.node === 'string';

/** The worker script's URL: the same module in both platforms. */
export const GRADIENT_WORKER_URL = new URL('./gradient-worker.js', import.meta.url);

export class WorkerLink {
  #pending = null;
  #failure = null;
  #closed = false;

  /** name: how errors call the worker; endpoint: { post(message, transfer), terminate() }. */
  constructor(name, endpoint) {
    this.name = name;
    this.endpoint = endpoint;
  }

  request(message, transfer = []) {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pending) return Promise.reject(new Error(`${this.name}: a request is already waiting for its reply`));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.endpoint.post(message, transfer);
    });
  }

  /** A message from the worker: the reply to the pending request, or its refusal. */
  receive(message) {
    if (message?.type === 'error') return this.fail(message.message);
    if (!this.#pending) return this.fail(`sent '${message?.type}' when nothing was asked`);
    const { resolve } = this.#pending;
    this.#pending = null;
    return resolve(message);
  }

  /** The worker failed or ended: the pending request and every later one are refused. */
  fail(reason) {
    if (this.#closed || this.#failure) return;
    this.#failure = new Error(`${this.name} ${reason}`);
    this.#pending?.reject(this.#failure);
    this.#pending = null;
    this.endpoint.terminate();
  }

  close() {
    this.#closed = true;
    this.endpoint.terminate();
  }
}

/**
 * Starts gradient worker `index` (1-based) of `count` and sends it `init` (gradient-worker.js);
 * resolves with its link once it is ready, or rejects naming what went wrong.
 */
export async function spawnGradientWorker(index, count, init) {
  const name = `gradient worker ${index} of ${count}`;
  const link = IN_NODE ? await nodeLink(name) : browserLink(name);
  try {
    await link.request({ type: 'init', ...init });
  } catch (error) {
    link.close();
    throw new Error(`${error.message} (while starting)`);
  }
  return link;
}

function browserLink(name) {
  const worker = new Worker(GRADIENT_WORKER_URL, { type: 'module' });
  const link = new WorkerLink(name, {
    post: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => worker.terminate(),
  });
  worker.onmessage = ({ data }) => link.receive(data);
  worker.onmessageerror = () => link.fail('sent a message that could not be read');
  worker.onerror = (event) => {
    event.preventDefault();
    link.fail(`failed: ${event.message || 'its script could not be loaded'}`);
  };
  return link;
}

async function nodeLink(name) {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(GRADIENT_WORKER_URL);
  const link = new WorkerLink(name, {
    post: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => worker.terminate(),
  });
  worker.on('message', (data) => link.receive(data));
  worker.on('messageerror', () => link.fail('sent a message that could not be read'));
  worker.on('error', (error) => link.fail(`failed: ${error.message}`));
  worker.on('exit', (code) => link.fail(`exited (code ${code})`));
  return link;
}
