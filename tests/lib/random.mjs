// Seeded random numbers for tests that need inputs of a chosen distribution
// (well-separated values for max pooling, values away from 0 for ReLU), which
// Tensor.randn cannot give, and which must not depend on the build under test.

/** Tensors from a seed: mulberry32 (one 32-bit state) for uniforms in [0, 1), Box–Muller for normals. */
export function makeRandom(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Box–Muller: sqrt(−2 ln u1) · cos(2π u2) is N(0, 1); 1 − u keeps the log finite.
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return {
    /** The next uniform value in [0, 1). */
    uniform,
    /** A {shape, data} tensor of N(0, 1) values. */
    randn(shape) {
      return { shape, data: Float32Array.from({ length: sizeOf(shape) }, normal) };
    },
    /** A {shape, data} tensor of the multiples of gap centred on 0, shuffled: no two values closer than gap. */
    separated(shape, gap) {
      const count = sizeOf(shape);
      const data = Float32Array.from({ length: count }, (_, i) => (i - Math.floor(count / 2)) * gap);
      for (let i = data.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        [data[i], data[j]] = [data[j], data[i]];
      }
      return { shape, data };
    },
    /** A {shape, data} tensor of N(0, 1) values pushed at least margin away from 0. */
    awayFromZero(shape, margin) {
      return {
        shape,
        data: Float32Array.from({ length: sizeOf(shape) }, () => {
          const value = normal();
          return Math.sign(value || 1) * (margin + Math.abs(value));
        }),
      };
    },
  };
}

function sizeOf(shape) {
  return shape.reduce((product, dim) => product * dim, 1);
}
