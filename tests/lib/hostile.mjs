// Argument generators for the binding's fuzz (tests/fuzz-binding.test.mjs): from one seeded
// stream, values that are mostly plausible (small tensors whose shapes fit each other, small
// sizes, options an op takes) and sometimes hostile (wrong types, NaN, int32 edges, Proxies,
// look-alike tensors, detached or resizable buffers, getters that throw or change).
import { makeRandom } from './random.mjs';

// Sizes at the edges of int32 and of the geometry the core accepts.
export const INT32_EDGES = [
  2 ** 31 - 1,
  2 ** 31 - 2,
  2 ** 30,
  2 ** 30 - 1,
  2 ** 29,
  2 ** 23,
  2 ** 22,
  2 ** 20,
  65536,
  -1,
  -(2 ** 31),
];

export function makeValues(seed, { Tensor, edges = true }) {
  const random = makeRandom(seed);
  const uniform = random.uniform;
  const below = (n) => Math.floor(uniform() * n);
  const chance = (p) => uniform() < p;
  const pick = (items) => items[below(items.length)];
  const data = (length) => Float32Array.from({ length }, () => uniform() * 4 - 2);
  const size = () => (chance(0.9) ? 1 + below(4) : pick([0, 5, 7, 9]));

  // A tensor that is not quite one: each kind once broke (or could break) a binding somewhere.
  const lookAlikes = [
    () => ({ shape: [1, 1, 2, 2], data: new Float32Array(3) }), // length mismatch
    () => ({ shape: [1, 1, 2, 2], data: [1, 2, 3, 4] }), // not a Float32Array
    () => ({ shape: '1,1,2,2', data: new Float32Array(4) }),
    () => ({ shape: [1, 1, 2, 2.5], data: new Float32Array(5) }),
    () => ({ shape: [1, 1, -2, -2], data: new Float32Array(4) }),
    () => ({ shape: [1, 1, 2 ** 31, 1], data: new Float32Array(4) }),
    () => ({ shape: [1, 1, 2, 2], data: new Int32Array(4) }),
    () => {
      // data whose buffer was transferred away (length 0)
      const tensor = new Tensor(data(4), [1, 1, 2, 2]);
      structuredClone(tensor.data.buffer, { transfer: [tensor.data.buffer] });
      return tensor;
    },
    () => {
      // a length-tracking view of a resizable buffer
      const buffer = new ArrayBuffer(16, { maxByteLength: 4096 });
      return { shape: [1, 1, 2, 2], data: new Float32Array(buffer) };
    },
    () => {
      // a Proxy whose shape grows after the first read
      let reads = 0;
      const plain = { shape: [1, 1, 2, 2], data: data(4) };
      return new Proxy(plain, {
        get: (target, key) => (key === 'shape' && reads++ > 0 ? [1, 1, 4000, 2] : target[key]),
      });
    },
    () => Object.create(Tensor.prototype),
    () => ({
      get shape() {
        throw new Error('a getter that throws');
      },
      data: new Float32Array(4),
    }),
  ];

  const hostileValues = [
    () => undefined,
    () => null,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -1,
    () => 0,
    () => 1.5,
    () => 2 ** 53,
    () => '3',
    () => '',
    () => 'same',
    () => true,
    () => false,
    () => [],
    () => [1],
    () => [1, 2, 3],
    () => ({}),
    () => Symbol('fuzz'),
    () => 10n,
    () => () => 1,
    () => new Float32Array(3),
    () => new Proxy({}, {}),
    () => Object.freeze([2, 2]),
    () => pick(lookAlikes)(),
    ...(edges ? [() => pick(INT32_EDGES)] : []),
  ];
  const hostile = () => pick(hostileValues)();
  const made = new WeakSet();

  const values = {
    below,
    chance,
    pick,
    hostile,
    /** A small int the ops take (sizes, strides), an int32 edge (unless withEdges is false), or a hostile value. */
    int: (low = 0, high = 3, withEdges = true) =>
      chance(0.85) ? low + below(high - low + 1) : chance(0.5) && edges && withEdges ? pick(INT32_EDGES) : hostile(),
    /** An int or a pair of them. */
    pair: (low = 0, high = 3, withEdges = true) =>
      chance(0.7)
        ? values.int(low, high, withEdges)
        : [values.int(low, high, withEdges), values.int(low, high, withEdges)],
    /** A Tensor of the shape, or (sometimes) a hostile stand-in. */
    tensor: (shape) => {
      if (!chance(0.92)) return hostile();
      const tensor = new Tensor(data(shape.reduce((a, b) => a * b, 1)), shape);
      made.add(tensor);
      return tensor;
    },
    /** true for a Tensor tensor() made (not a hostile stand-in). */
    made: (value) => made.has(value),
    shape4: () => [size(), size(), size() + below(4), size() + below(4)],
    /** A seeded integer shape of the rank, positive sizes. */
    shape: (rank) => Array.from({ length: rank }, () => 1 + below(4)),
    /** An options object with some of the keys, or hostile; unknown keys sometimes. */
    options: (keys) => {
      if (chance(0.08)) return hostile();
      const result = {};
      for (const [key, make] of Object.entries(keys)) if (chance(0.5)) result[key] = make();
      if (chance(0.05)) result.unknown_option = 1;
      if (chance(0.03))
        Object.defineProperty(result, pick(Object.keys(keys)), {
          get() {
            throw new RangeError('option getter');
          },
          enumerable: true,
        });
      return result;
    },
    data,
    labels: (n, classes) =>
      chance(0.9) ? Array.from({ length: n }, () => (chance(0.97) ? below(classes) : hostile())) : hostile(),
  };
  return values;
}
